"""create service|deployment|namespace|serviceaccount|secret|configmap: the generators of kubectl create
(staging/src/k8s.io/kubectl/pkg/cmd/create/*.go)."""

from __future__ import annotations

import base64
import os

from minikctl.api.errors import UsageError
from minikctl.cli.cmd_apply import LAST_APPLIED, _dry, _emit, _last_applied, _print_api_warnings, check_printer


def _one_name(ctx) -> str:
    if len(ctx.args) != 1:
        raise UsageError(f"exactly one NAME is required, got {len(ctx.args)}")
    return ctx.args[0]


def _submit(ctx, obj: dict) -> int:
    from minikctl.api import kinds as K

    dry = _dry(ctx)
    check_printer(ctx)
    kind = K.by_kind(obj["kind"])
    ns = ctx.namespace if kind.namespaced else ""
    if kind.namespaced and (dry != "client" or ctx.namespace_explicit):
        obj["metadata"]["namespace"] = ns
    if ctx.opts.get("save_config"):
        obj["metadata"].setdefault("annotations", {})[LAST_APPLIED] = _last_applied(obj, kind, ns)
    if dry == "client":
        # what kubectl's generators print: the typed object as sent, with Go's zero values
        obj["metadata"]["creationTimestamp"] = None
        tmpl = (obj.get("spec") or {}).get("template")
        if isinstance(tmpl, dict):
            tmpl.setdefault("metadata", {})["creationTimestamp"] = None
        zero = {"Deployment": {"status": {}}, "Service": {"status": {"loadBalancer": {}}},
                "Namespace": {"spec": {}, "status": {}}}
        for k, v in zero.get(kind.kind, {}).items():
            obj.setdefault(k, v)
        _emit(ctx, [(obj, "created")], dry, typed=True)
        return 0
    session = ctx.session()
    from minikctl.api.errors import ApiError

    try:
        with session.write(dry_run=bool(dry)) as api:
            created = api.create(obj, namespace=ns or None)
    except ApiError as e:
        what = _WRAPPED.get(kind.kind)
        if what is None:
            raise
        # these generators return fmt.Errorf("failed to create <what>: %v", err) (create_*.go)
        raise UsageError(f"failed to create {what}: {_go_error(e)}") from None
    _emit(ctx, [(created, "created")], dry, typed=True)  # the clientset's typed response
    _print_api_warnings(ctx, session)
    return 0


def _group_help(ctx, name: str) -> int:
    """`create service` / `create secret` alone: the group's help on stderr, exit 1
    (cmdutil.DefaultSubCommandRun(streams.ErrOut), kubectl 1.32)."""
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.err.write(command_help(COMMANDS["create"].subcommands[name], ["create", name]))
    return 1


def service(ctx) -> int:
    return _group_help(ctx, "service")


def _parse_ports(item: str) -> tuple[int, int | str]:
    """create_service.go parsePorts: PORT[:TARGET]; PORT as utilsnet.ParsePort(allowZero) (strconv.ParseUint
    with 16 bits), TARGET a number in 1-65535 or a port name (IsValidPortName), both errors as Go words them."""
    from minikctl.api.validation.names import is_valid_port_name

    port, found, target = item.partition(":")
    if not port.isascii() or not port.isdigit():
        raise UsageError(f'strconv.ParseUint: parsing "{port}": invalid syntax')
    if int(port) > 65535:
        raise UsageError(f'strconv.ParseUint: parsing "{port}": value out of range')
    p = int(port)
    if not found:
        return p, p
    if target.isascii() and target.lstrip("-+").isdigit() and not target.startswith("+"):  # intstr.Parse: Atoi
        t = int(target)
        if not 1 <= t <= 65535:
            raise UsageError("must be between 1 and 65535, inclusive")
        return p, t
    errs = is_valid_port_name(target)
    if errs:
        raise UsageError(",".join(errs))
    return p, target


def _service(ctx, svc_type: str) -> int:
    name = _one_name(ctx)
    o = ctx.opts
    ports = []
    for spec in o.get("tcp") or []:
        for item in spec.split(","):
            p, t = _parse_ports(item)
            # kubectl create service: the port's name is the --tcp value with ':' turned into '-'
            ports.append({"name": item.replace(":", "-"), "port": p, "protocol": "TCP", "targetPort": t})
    if svc_type == "clusterip" and o.get("clusterip") == "None" and not ports:
        pass
    elif svc_type != "externalname" and not ports:
        raise UsageError("at least one tcp port specifier must be provided")
    types = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer", "externalname": "ExternalName"}
    spec: dict = {"type": types[svc_type], "selector": {"app": name}}
    if ports:
        spec["ports"] = ports
    if o.get("node_port"):
        for p in ports:
            p["nodePort"] = o["node_port"]
    if o.get("clusterip"):
        spec["clusterIP"] = o["clusterip"]
    if svc_type == "externalname":
        if not o.get("external_name"):  # cobra's MarkFlagRequired
            raise UsageError('required flag(s) "external-name" not set')
        spec["externalName"] = o["external_name"]
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": {"app": name}}, "spec": spec}
    return _submit(ctx, obj)


def service_clusterip(ctx) -> int:
    return _service(ctx, "clusterip")


def service_nodeport(ctx) -> int:
    return _service(ctx, "nodeport")


def service_loadbalancer(ctx) -> int:
    return _service(ctx, "loadbalancer")


def service_externalname(ctx) -> int:
    return _service(ctx, "externalname")


def _required(ctx, *flags: str) -> None:
    """cobra checks a command's required flags before its RunE looks at the arguments:
    `error: required flag(s) "image", "schedule" not set` (command.go validateRequiredFlags)."""
    missing = [f for f in flags if not ctx.opts.get(f)]
    if missing:
        raise UsageError(f"required flag(s) {', '.join(chr(34) + f + chr(34) for f in missing)} not set")


def deployment(ctx) -> int:
    _required(ctx, "image")
    name = _one_name(ctx)
    images = ctx.opts.get("image") or []
    containers = []
    for img in images:
        cname = img.rsplit("/", 1)[-1].split(":")[0].split("@")[0]
        c: dict = {"image": img, "name": cname, "resources": {}}
        if ctx.opts.get("port", -1) >= 0:
            c["ports"] = [{"containerPort": ctx.opts["port"]}]
        containers.append(c)
    if ctx.p.dash_args:
        containers[0]["command"] = list(ctx.p.dash_args)
    labels = {"app": name}
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": dict(labels)},
           "spec": {"replicas": ctx.opts.get("replicas", 1), "selector": {"matchLabels": dict(labels)}, "strategy": {},
                    "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}}}}
    return _submit(ctx, obj)


def namespace(ctx) -> int:
    name = _one_name(ctx)
    return _submit(ctx, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


def serviceaccount(ctx) -> int:
    """create serviceaccount (kubectl/pkg/cmd/create/create_serviceaccount.go)."""
    name = _one_name(ctx)
    return _submit(ctx, {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})


def secret(ctx) -> int:
    return _group_help(ctx, "secret")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(1024 * 1024 + 1)
    except OSError as e:
        raise UsageError(f"error reading {path}: {e.strerror}") from None


def _read_tls(path: str) -> bytes:
    """create_secret_tls.go readFile: "Cannot read file P, " and os.ReadFile's error."""
    if os.path.isdir(path):
        raise UsageError(f"Cannot read file {path}, read {path}: is a directory")
    try:
        with open(path, "rb") as f:
            return f.read(1024 * 1024 + 1)
    except OSError as e:
        raise UsageError(f"Cannot read file {path}, open {path}: {(e.strerror or str(e)).lower()}") from None


def secret_tls(ctx) -> int:
    name = _one_name(ctx)
    cert_path, key_path = ctx.opts.get("cert"), ctx.opts.get("key")
    if not cert_path or not key_path:
        raise UsageError("required flags --cert and --key must be provided")
    cert, key = _read_tls(cert_path), _read_tls(key_path)
    from minikctl.network.tls import check_pair

    check_pair(cert, key)  # raises UsageError with kubectl's tls.X509KeyPair wording
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": "kubernetes.io/tls",
           "data": {"tls.crt": base64.b64encode(cert).decode(), "tls.key": base64.b64encode(key).decode()}}
    return _submit(ctx, obj)


def _literals(items: list[str]) -> dict[str, bytes]:
    out = {}
    for item in items:
        k, sep, v = item.partition("=")
        if not sep or not k:
            raise UsageError(f'invalid literal source {item}, expected key=value')
        out[k] = v.encode()
    return out


def _files(items: list[str]) -> dict[str, bytes]:
    out = {}
    for item in items:
        k, sep, path = item.partition("=")
        if not sep:
            path, k = item, os.path.basename(item)
        out[k] = _read(path)
    return out


def secret_generic(ctx) -> int:
    name = _one_name(ctx)
    data = {**_literals(ctx.opts.get("from_literal") or []), **_files(ctx.opts.get("from_file") or [])}
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
           "data": {k: base64.b64encode(v).decode() for k, v in data.items()}}
    if ctx.opts.get("type"):
        obj["type"] = ctx.opts["type"]  # the API server defaults it to Opaque
    return _submit(ctx, obj)


def configmap(ctx) -> int:
    name = _one_name(ctx)
    data = {**_literals(ctx.opts.get("from_literal") or []), **_files(ctx.opts.get("from_file") or [])}
    try:
        decoded = {k: v.decode() for k, v in data.items()}
    except UnicodeDecodeError:
        raise UsageError("configmap data must be UTF-8 text; use a secret for binary data") from None
    return _submit(ctx, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": decoded})


# --- issue 11: Batch (w-job)
def job(ctx) -> int:
    """create_job.go: --image makes a Job with one container named after the job and
    restartPolicy Never; --from=cronjob/NAME copies the CronJob's jobTemplate."""
    name = _one_name(ctx)
    image, source = ctx.opts.get("image") or "", ctx.opts.get("from") or ""
    if bool(image) == bool(source):
        raise UsageError("either --image or --from must be specified")
    if source:
        if ctx.p.dash_args:
            raise UsageError("cannot specify --from and command")
        return _job_from_cronjob(ctx, name, source)
    c: dict = {"image": image, "name": name, "resources": {}}
    if ctx.p.dash_args:
        c["command"] = list(ctx.p.dash_args)
    obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
           "spec": {"template": {"metadata": {}, "spec": {"containers": [c], "restartPolicy": "Never"}}},
           "status": {}}
    return _submit(ctx, obj)


def _job_from_cronjob(ctx, name: str, source: str) -> int:
    """createJobFromCronJob: the jobTemplate's labels and annotations, the annotation
    cronjob.kubernetes.io/instantiate=manual, and the CronJob as controller owner."""
    from minikctl.api import kinds as K
    from minikctl.api.errors import NotFound

    from minikctl.cli.resources import resolve_kind

    # create_job.go: the builder reads --from (TYPE/NAME; a bare word is a type), then the object's
    # Go type must be a CronJob
    kind_name, _, cj_name = source.partition("/")
    k = resolve_kind(kind_name)
    if not cj_name:  # the builder: a type without names
        raise UsageError("resource(s) were provided, but no name was specified")
    cj = ctx.session().api.try_get(k.plural, ctx.namespace if k.namespaced else "", cj_name)
    if cj is None:
        raise NotFound.of(k.group_resource, cj_name)
    if k.kind != "CronJob":
        raise UsageError(f"unknown object type *{k.version}.{k.kind}")
    jt = (cj.get("spec") or {}).get("jobTemplate") or {}
    meta = jt.get("metadata") or {}
    annotations = dict(meta.get("annotations") or {})
    annotations["cronjob.kubernetes.io/instantiate"] = "manual"
    obj = {"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": name, "annotations": annotations,
                        "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cj_name,
                                             "uid": cj["metadata"]["uid"], "controller": True}]},
           "spec": dict(jt.get("spec") or {}), "status": {}}
    if meta.get("labels"):
        obj["metadata"]["labels"] = dict(meta["labels"])
    return _submit(ctx, obj)


def cronjob(ctx) -> int:
    """create_cronjob.go: restartPolicy OnFailure (or --restart), the jobTemplate named after it."""
    _required(ctx, "image", "schedule")
    name = _one_name(ctx)
    image, schedule = ctx.opts.get("image") or "", ctx.opts.get("schedule") or ""
    restart = ctx.opts.get("restart") or "OnFailure"  # as given: the apiserver validates it (create_cronjob.go)
    c: dict = {"image": image, "name": name, "resources": {}}
    if ctx.p.dash_args:
        c["command"] = list(ctx.p.dash_args)
    obj = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
           "spec": {"jobTemplate": {"metadata": {"creationTimestamp": None, "name": name},
                                    "spec": {"template": {"metadata": {"creationTimestamp": None},
                                                          "spec": {"containers": [c], "restartPolicy": restart}}}},
                    "schedule": schedule},
           "status": {}}
    return _submit(ctx, obj)


# --- issue 11: ResourceQuota and PriorityClass (w-quota)
def _go_error(e) -> str:
    """err.Error() of the API error kubectl wraps ("failed to create quota: %v")."""
    from minikctl.api import kinds as K
    from minikctl.api.errors import Invalid, go_quote

    if isinstance(e, Invalid):
        k = K.by_kind(e.kind)
        qualified = f"{e.kind}.{k.group}" if k is not None and k.group else e.kind
        msgs: list[str] = []
        for fe in e.errors:
            if str(fe) not in msgs:
                msgs.append(str(fe))
        agg = msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]"
        return f"{qualified} {go_quote(e.name or '')} is invalid: {agg}"
    return e.message


# The generators whose server errors kubectl 1.32 wraps as "failed to create <what>: <error>"
# (create_deployment.go, create_configmap.go, create_serviceaccount.go, create_job.go,
# create_cronjob.go, create_quota.go, create_priorityclass.go); service, secret and namespace
# print the server's error as it is.
_WRAPPED = {"Deployment": "deployment", "ConfigMap": "configmap", "ServiceAccount": "serviceaccount",
            "Job": "job", "CronJob": "cronjob", "ResourceQuota": "quota", "PriorityClass": "priorityclass"}


def _parse_quantity(text: str) -> str:
    """resource.ParseQuantity's errors, as kubectl prints them."""
    import re

    from minikctl.kubelet.resources import parse

    if not re.match(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$", text):
        raise UsageError("quantities must match the regular expression "
                         "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    if parse(text) is None:
        raise UsageError("unable to parse quantity's numeric part")
    from minikctl.printers.describe.quantity import parse_quantity, quantity_string

    return quantity_string(parse_quantity(text))


def quota(ctx) -> int:
    """create_quota.go: --hard=resource=quantity,... and --scopes=Scope,... (not checked here:
    the apiserver does)."""
    if len(ctx.args) != 1:
        raise UsageError(f"exactly one NAME is required, got {len(ctx.args)}")
    name = ctx.args[0]
    spec: dict = {}
    hard_text = ctx.opts.get("hard") or ""
    if hard_text:
        hard = {}
        for statement in hard_text.split(","):
            parts = statement.split("=")
            if len(parts) != 2:
                raise UsageError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
            hard[parts[0]] = _parse_quantity(parts[1])
        spec["hard"] = {k: hard[k] for k in sorted(hard)}
    scopes_text = ctx.opts.get("scopes") or ""
    if scopes_text:
        scopes = []
        for s in scopes_text.split(","):
            if s == "":
                raise UsageError('invalid resource quota scope ""')
            scopes.append(s)
        spec["scopes"] = scopes
    obj = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": name}, "spec": spec, "status": {}}
    return _submit(ctx, obj)


def priorityclass(ctx) -> int:
    """create_priorityclass.go: value, globalDefault, description, preemptionPolicy (default
    PreemptLowerPriority; the apiserver checks it)."""
    name = _one_name(ctx)
    obj: dict = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                 "value": int(ctx.opts.get("value") or 0),
                 "preemptionPolicy": ctx.opts.get("preemption_policy") or "PreemptLowerPriority"}
    if ctx.opts.get("global_default"):
        obj["globalDefault"] = True
    if ctx.opts.get("description"):
        obj["description"] = ctx.opts["description"]
    return _submit(ctx, obj)
# --- issue 11: disruptions (w-drain)
def poddisruptionbudget(ctx) -> int:
    """create_pdb.go: Validate's checks in its order, then metav1.ParseToLabelSelector."""
    import re

    from minikctl.api import selectors

    name = _one_name(ctx)
    sel_text = ctx.opts.get("selector") or ""
    min_a, max_u = ctx.opts.get("min_available") or "", ctx.opts.get("max_unavailable") or ""
    if not sel_text:
        raise UsageError("a selector must be specified")
    if not min_a and not max_u:
        raise UsageError("one of min-available or max-unavailable must be specified")
    if min_a and max_u:
        raise UsageError("min-available and max-unavailable cannot be both specified")
    num = re.compile(r"[0-9]+%?")  # `^[0-9]+%?$`
    if min_a and not num.fullmatch(min_a):
        raise UsageError("invalid format specified for min-available")
    if max_u and not num.fullmatch(max_u):
        raise UsageError("invalid format specified for max-unavailable")
    try:
        parsed = selectors.parse(sel_text)
    except UsageError as e:
        raise UsageError(f'couldn\'t parse the selector string "{sel_text}": {e}') from None
    match_labels: dict = {}
    exprs: list = []
    ops = {"in": "In", "notin": "NotIn", "exists": "Exists", "!": "DoesNotExist"}
    for r in sorted(parsed.reqs, key=lambda r: r.key):  # ParseToRequirements sorts by key
        if r.op == "=":
            match_labels[r.key] = r.values[0]
        elif r.op == "!=":
            raise UsageError('"!=" is not a valid label selector operator')
        else:
            e: dict = {"key": r.key, "operator": ops[r.op]}
            if r.values:
                e["values"] = sorted(set(r.values))
            exprs.append(e)
    selector: dict = {}
    if match_labels:
        selector["matchLabels"] = match_labels
    if exprs:
        selector["matchExpressions"] = exprs

    def intstr(v: str):  # intstr.Parse
        try:
            return int(v)
        except ValueError:
            return v

    spec: dict = {}
    if min_a:
        spec["minAvailable"] = intstr(min_a)
    spec["selector"] = selector
    if max_u:
        spec["maxUnavailable"] = intstr(max_u)
    obj = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name}, "spec": spec,
           "status": {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}}
    from minikctl.api.errors import ApiError, Invalid

    try:
        return _submit(ctx, obj)
    except ApiError as e:  # Run: fmt.Errorf("failed to create poddisruptionbudgets: %v", err)
        msg = e.message
        if isinstance(e, Invalid):  # StatusError.Error(): the status message kube-apiserver wrote
            errs = [str(x) for x in e.errors]
            msg = (f'PodDisruptionBudget.policy "{name}" is invalid: '
                   + (errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"))
        raise UsageError(f"failed to create poddisruptionbudgets: {msg}") from None
