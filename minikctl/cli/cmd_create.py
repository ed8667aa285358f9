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
    with session.write(dry_run=bool(dry)) as api:
        created = api.create(obj, namespace=ns or None)
    _emit(ctx, [(created, "created")], dry, typed=True)  # the clientset's typed response
    _print_api_warnings(ctx, session)
    return 0


def service(ctx) -> int:
    raise UsageError("a service type is required: minikctl create service (clusterip|nodeport|loadbalancer|externalname) NAME")


def _service(ctx, svc_type: str) -> int:
    name = _one_name(ctx)
    o = ctx.opts
    ports = []
    for spec in o.get("tcp") or []:
        for item in spec.split(","):
            port, _, target = item.partition(":")
            try:
                p = int(port)
                t = int(target) if target and target.isdigit() else (target or p)
            except ValueError:
                raise UsageError(f'error parsing port "{item}": the port must be an integer') from None
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
        if not o.get("external_name"):
            raise UsageError("--external-name must be specified")
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


def deployment(ctx) -> int:
    name = _one_name(ctx)
    images = ctx.opts.get("image") or []
    if not images:
        raise UsageError("required flag(s) \"image\" not set")
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
    raise UsageError("a secret type is required: minikctl create secret (generic|tls) NAME")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(1024 * 1024 + 1)
    except OSError as e:
        raise UsageError(f"error reading {path}: {e.strerror}") from None


def secret_tls(ctx) -> int:
    name = _one_name(ctx)
    cert_path, key_path = ctx.opts.get("cert"), ctx.opts.get("key")
    if not cert_path or not key_path:
        raise UsageError("required flags --cert and --key must be provided")
    cert, key = _read(cert_path), _read(key_path)
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

    kind_name, _, cj_name = source.partition("/")
    k = K.resolve(kind_name) if cj_name else None
    if k is None or k.kind != "CronJob":
        raise UsageError(f"from must be an existing cronjob: {source}")
    cj = ctx.session().api.try_get("cronjobs", ctx.namespace, cj_name)
    if cj is None:
        raise NotFound.of("cronjobs.batch", cj_name)
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
    name = _one_name(ctx)
    image, schedule = ctx.opts.get("image") or "", ctx.opts.get("schedule") or ""
    if not image:
        raise UsageError('required flag(s) "image" not set')
    if not schedule:
        raise UsageError('required flag(s) "schedule" not set')
    restart = ctx.opts.get("restart") or "OnFailure"
    if restart not in ("OnFailure", "Never"):
        raise UsageError(f"restart {restart} not supported. Please use OnFailure or Never")
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
