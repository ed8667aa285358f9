"""minikctl set image|env|resources|selector|serviceaccount|subject, as kubectl 1.32's
(staging/src/k8s.io/kubectl/pkg/cmd/set/*.go, helper.go, env/env_parse.go;
pkg/polymorphichelpers/updatepodspec.go).

Each command changes objects the way set.CalculatePatches does: the object is changed in
memory, an object left as it was is skipped (nothing printed), the others are printed
(--local, --dry-run=client) or written (the server's patch) and printed with the
command's operation (`deployment.apps/web image updated`). Errors are collected
(ContinueOnError) and printed after, exit 1.
"""

from __future__ import annotations

import re

from minikctl.api.errors import MinikctlError, UsageError

LOCAL_RESOURCE_ERROR = ("error: you must specify resources by --filename when --local is set.\n"
                        "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")


class _Message(MinikctlError):
    def render(self) -> str:
        return str(self)


class _ObjError(Exception):
    """patch.Err: reported as `error: NAME MESSAGE`."""


def _dry(ctx):
    from minikctl.cli.cmd_apply import _dry as dry

    return dry(ctx)


def _finish(errors: list) -> int:
    if not errors:
        return 0
    lines = []
    for e in errors:
        if isinstance(e, MinikctlError):
            text = e.render()
        else:
            text = str(e)
        text = text.rstrip("\n")
        lines.append(text if text.startswith(("error: ", "Error from server")) or len(errors) > 1 else f"error: {text}")
    raise _Message("\n".join(lines))


# --------------------------------------------------------------------- pod specs
_TEMPLATED = ("ReplicationController", "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job")


def pod_spec(obj: dict) -> dict:
    """updatepodspec.go UpdatePodSpecForObject: the pod spec a change goes into."""
    kind = obj.get("kind")
    if kind == "Pod":
        return obj.setdefault("spec", {})
    if kind in _TEMPLATED:
        return obj.setdefault("spec", {}).setdefault("template", {}).setdefault("spec", {})
    if kind == "CronJob":
        return (obj.setdefault("spec", {}).setdefault("jobTemplate", {}).setdefault("spec", {})
                .setdefault("template", {}).setdefault("spec", {}))
    version = str(obj.get("apiVersion") or "v1").rpartition("/")[2]
    raise _ObjError(f"the object is not a pod or does not have a pod template: *{version}.{kind}")


def select_string(s: str, spec: str) -> bool:
    """helper.go selectString: a non-greedy '*' wildcard (ported with its quirks)."""
    if spec == "*":
        return True
    if "*" not in spec:
        return s == spec
    pos = 0
    parts = spec.split("*")
    for i, part in enumerate(parts):
        if not part:
            continue
        nxt = s[pos:].find(part)
        if nxt < pos or (i == 0 and pos != 0) or (i == len(parts) - 1 and len(s) != len(part) + nxt):
            return False
        pos = nxt
    return True


def _select_containers(spec: dict, selector: str) -> list[dict]:
    """selectContainers over the containers, then the init containers."""
    out = [c for c in spec.get("containers") or [] if isinstance(c, dict) and select_string(c.get("name", ""), selector)]
    out += [c for c in spec.get("initContainers") or [] if isinstance(c, dict)
            and select_string(c.get("name", ""), selector)]
    return out


def status_message(e) -> str:
    """StatusError.Error(), what kubectl prints of a server error inside its own message:
    errors.NewInvalid's `Kind.group "name" is invalid: ...` ([a, b] for several)."""
    from minikctl.api.errors import Invalid

    if not isinstance(e, Invalid):
        return e.message
    from minikctl.api import kinds as K
    from minikctl.printers.template import go_quote

    k = K.by_kind(e.kind)
    qualified = f"{e.kind}.{k.group}" if k is not None and k.group else e.kind
    errs = [str(x) for x in e.errors]
    return f"{qualified} {go_quote(e.name or '')} is invalid: " + (errs[0] if len(errs) == 1 else
                                                                    "[" + ", ".join(errs) + "]")


# ---------------------------------------------------------------------- objects
class _Info:
    __slots__ = ("kind", "obj", "local")

    def __init__(self, kind, obj: dict, local: bool):
        self.kind = kind
        self.obj = obj
        self.local = local

    def object_name(self) -> str:
        """resource.Info.ObjectName: resource/name from the server, kind/name for a local object."""
        name = (self.obj.get("metadata") or {}).get("name", "")
        if not self.local:
            return f"{self.kind.plural}/{name}"
        group = str(self.obj.get("apiVersion") or "").rpartition("/")[0]
        k = str(self.obj.get("kind") or "").lower()
        return f"{k}.{group}/{name}" if group else f"{k}/{name}"


def _local_infos(ctx) -> list[_Info]:
    from minikctl.cli.manifests import load
    from minikctl.cli.resources import resolve_kind

    out = []
    for doc, _ in load(ctx, strict=False):
        obj = doc.obj
        obj.setdefault("metadata", {})
        out.append(_Info(resolve_kind(obj.get("kind", "")), obj, True))
    return out


def _server_infos(ctx, api, resources: list[str], errors: list) -> list[_Info]:
    from minikctl.cli.cmd_label import select

    targets, _ = select(ctx, api, resources, allow_empty_selector=bool(ctx.opts.get("all")), errors=errors)
    return [_Info(t.kind, t.obj, False) for t in targets]


def _print(ctx, obj: dict, operation: str, dry) -> None:
    from minikctl.cli.cmd_rollout import _print as p

    p(ctx, obj, operation, dry, shared=True)  # set_*.go: one printer made in Complete


def _run(ctx, resources: list[str], mutate, operation: str, errors: list, *, patch_error: str,
         print_unchanged: bool = False, early=None) -> int:
    """CalculatePatches + the patch loop shared by image, env, resources, serviceaccount, subject.
    mutate(info) changes info.obj in place (raising _ObjError for patch.Err) and may append
    to errors."""
    o = ctx.opts
    dry = _dry(ctx)
    from minikctl.cli.cmd_rollout import no_kustomize

    no_kustomize(ctx)
    if o.get("local"):
        infos = _local_infos(ctx)
        _patch_loop(ctx, None, infos, mutate, operation, errors, dry, patch_error, print_unchanged)
        return _finish(errors)
    session = ctx.session()
    with session.write(dry_run=dry == "server") as api:
        infos = _server_infos(ctx, api, resources, errors)
        if errors:  # the builder's Infos() error: returned before anything is patched
            _finish(errors)
        if early is not None:
            early(api, infos)
        out = _patch_loop(ctx, api, infos, mutate, operation, errors, dry, patch_error, print_unchanged)
    for obj in out:
        _print(ctx, obj, operation, dry)
    return _finish(errors)


def _patch_loop(ctx, api, infos, mutate, operation, errors, dry, patch_error, print_unchanged):
    from minikctl.api.errors import ApiError
    from minikctl.api.server import clone

    patches = []
    for info in infos:
        before = clone(info.obj)
        try:
            mutate(info)
        except _ObjError as e:
            patches.append((info, before, str(e)))
            continue
        patches.append((info, before, None))
    out = []
    for info, before, err in patches:
        if err is not None:
            errors.append(f"error: {info.object_name()} {err}")
            continue
        if info.obj == before and not print_unchanged:
            continue
        if api is None or dry == "client":
            _print(ctx, info.obj, operation, dry)
            continue
        try:
            out.append(api.update(info.obj, check_rv=False) if info.obj != before else info.obj)
        except ApiError as e:
            errors.append(_Message(f"{patch_error}{status_message(e)}"))
    return out


# resource.Builder's errors when it has nothing to visit (staging/src/k8s.io/cli-runtime/pkg/resource/builder.go),
# which kubectl set image|resources|selector|serviceaccount|subject meet in Complete, before their own checks
BUILDER_NO_RESOURCES = ("You must provide one or more resources by argument or filename.\n"
                        "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                        "   '<resource> <name>'\n   '<resource>'")


def _no_resources(ctx) -> UsageError:
    if ctx.opts.get("selector") and not ctx.opts.get("local"):
        return UsageError("at least one resource must be specified to use a selector")
    return UsageError(BUILDER_NO_RESOURCES)


def _check_local(ctx, resources: list[str]) -> None:
    if ctx.opts.get("local") and _dry(ctx) == "server":
        raise UsageError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if ctx.opts.get("local") and resources:
        raise _Message(LOCAL_RESOURCE_ERROR)


# ------------------------------------------------------------------------- image
def image(ctx) -> int:
    from minikctl.cli.cmd_apply import check_printer
    from minikctl.cli.cmd_label import resources_and_pairs

    o = ctx.opts
    resources, pairs = resources_and_pairs(ctx.args, "image")
    images: dict[str, str] = {}
    for p in pairs:  # cmdutil.ParsePairs(..., supportRemove=false)
        if "=" not in p or p.startswith("="):
            raise UsageError(f"invalid image format: {p}")
        k, _, v = p.partition("=")
        images[k] = v
    check_printer(ctx)
    problems = []
    if o.get("all") and o.get("selector"):
        problems.append("cannot set --all and --selector at the same time")
    if not resources and not o.get("filename"):
        raise _no_resources(ctx)
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        problems.append("all containers are already specified by *, but saw more than one "
                        "container_name=container_image pairs")
    if o.get("local") and _dry(ctx) == "server":
        problems.append("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if o.get("local") and resources:
        raise _Message(LOCAL_RESOURCE_ERROR)
    if problems:
        raise UsageError(problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]")
    errors: list = []

    def mutate(info):
        spec = pod_spec(info.obj)
        for name, img in images.items():
            found = False
            for key in ("initContainers", "containers"):
                for c in spec.get(key) or []:
                    if isinstance(c, dict) and (c.get("name") == name or name == "*"):
                        c["image"] = img
                        found = True
            if not found:
                errors.append(f'error: unable to find container named "{name}"')

    return _run(ctx, resources, mutate, "image updated", errors,
                patch_error="failed to patch image update to pod template: ")


# --------------------------------------------------------------------------- env
_ENV_ARG = re.compile(r"(?s)^(.+)=(.*)$")
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*\Z")
_ENV_NAME_MSG = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                 "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex "
                 "used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
_INVALID_ENV_CHARS = re.compile(r"[^a-zA-Z0-9_]")


def _split_env(args: list[str]) -> tuple[list[str], list[str]]:
    """env.SplitEnvironmentFromResources."""
    resources, env_args = [], []
    first = True
    for s in args:
        is_env = bool(_ENV_ARG.match(s)) or s.endswith("-")
        if is_env:
            first = False
            env_args.append(s)
        elif first:
            resources.append(s)
        else:
            raise UsageError(f"all resources must be specified before environment changes: {' '.join(args)}")
    return resources, env_args


def _parse_env(specs: list[str], stdin) -> tuple[list[dict], list[str]]:
    """env.ParseEnv."""
    from minikctl.printers.template import go_quote

    env, remove, names = [], [], set()
    for spec in specs:
        if spec == "-":
            for line in stdin.read().splitlines():
                line = line.split("#", 1)[0]
                if "=" in line:
                    k, _, v = line.partition("=")
                    env.append({"name": k, "value": v})
        elif "=" in spec:
            k, _, v = spec.partition("=")
            errs = []
            if not _ENV_NAME.match(k):
                errs.append(_ENV_NAME_MSG)
            if errs:
                raise UsageError(f"{go_quote(k)} is not a valid key name: {';'.join(errs)}")
            names.add(k)
            env.append({"name": k, "value": v})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise UsageError(f"unknown environment variable: {spec}")
    if any(r in names for r in remove):
        raise UsageError("can not both modify and remove the same environment variable in the same command")
    return env, remove


def _update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """helper.go updateEnv."""
    out, covered = [], set(remove)
    by_name = {}
    for e in env:
        by_name.setdefault(e["name"], e)
    for e in existing:
        n = e.get("name")
        if n in covered:
            continue
        if n in by_name:
            covered.add(n)
            out.append(dict(by_name[n]))
            continue
        out.append(e)
    for e in env:
        if e["name"] in covered:
            continue
        covered.add(e["name"])
        out.append(dict(e))
    return out


def _ref_string(src: dict) -> str:
    """envutil.GetEnvVarRefString."""
    if isinstance(src.get("configMapKeyRef"), dict):
        r = src["configMapKeyRef"]
        return f"configmap {r.get('name', '')}, key {r.get('key', '')}"
    if isinstance(src.get("secretKeyRef"), dict):
        r = src["secretKeyRef"]
        return f"secret {r.get('name', '')}, key {r.get('key', '')}"
    if isinstance(src.get("fieldRef"), dict):
        return f"field path {src['fieldRef'].get('fieldPath', '')}"
    if isinstance(src.get("resourceFieldRef"), dict):
        r = src["resourceFieldRef"]
        prefix = f"{r['containerName']}/" if r.get("containerName") else ""
        return f"resource field {prefix}{r.get('resource', '')}"
    return "invalid valueFrom"


def env(ctx) -> int:
    import sys

    from minikctl.cli.cmd_apply import check_printer

    o = ctx.opts
    if o.get("all") and o.get("selector"):
        raise UsageError("cannot set --all and --selector at the same time")
    resources, env_args = _split_env(ctx.args)
    _dry(ctx)
    check_printer(ctx)
    if o.get("local") and _dry(ctx) == "server":
        raise UsageError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if not o.get("filename") and not resources:
        raise UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if o.get("local") and not o.get("filename"):  # the Local() builder reads only -f
        raise UsageError(BUILDER_NO_RESOURCES)
    if o.get("list") and o.get("output"):
        raise UsageError("--list and --output may not be specified together")
    keys = [k for item in (o.get("keys") or []) for k in item.split(",")]
    if keys and not o.get("from"):
        raise UsageError("when specifying --keys, a configmap or secret must be provided with --from")
    new_env, remove = _parse_env(list(o.get("env") or []) + env_args, sys.stdin)
    selector = o.get("containers") or "*"
    errors: list = []
    state = {"env": new_env}

    def from_sources(api, infos_unused=None):
        if not o.get("from"):
            return
        if o.get("local"):
            sources = [i.obj for i in _local_infos(ctx)]
        else:
            from minikctl.cli.cmd_label import select

            errs: list = []
            targets, _ = select(ctx, api, [o["from"]], allow_empty_selector=bool(o.get("all")), errors=errs)
            if errs:
                raise errs[0]
            sources = [t.obj for t in targets]
        extra = []
        for src in sources:
            if src.get("kind") not in ("Secret", "ConfigMap"):
                raise UsageError("unsupported resource specified in --from")
            ref = "secretKeyRef" if src["kind"] == "Secret" else "configMapKeyRef"
            for key in sorted(src.get("data") or {}):
                if keys and key not in keys:
                    continue
                name = _INVALID_ENV_CHARS.sub("_", key).upper()
                if name != key:
                    ctx.warn(f"Warning: key {key} transferred to {name}")
                extra.append({"name": name, "valueFrom": {ref: {"name": src["metadata"]["name"], "key": key}}})
        state["env"] = state["env"] + extra

    def finish_env():
        if o.get("prefix"):
            for e in state["env"]:
                e["name"] = f"{o['prefix']}{e['name']}"

    listing: list[str] = []

    def mutate(info):
        spec = pod_spec(info.obj)
        containers = _select_containers(spec, selector)
        obj_kind, obj_name = info.obj.get("kind", ""), (info.obj.get("metadata") or {}).get("name", "")
        if not containers:
            from minikctl.printers.template import go_quote

            ctx.warn(f"Warning: {obj_kind}/{obj_name} does not have any containers matching {go_quote(selector)}")
            return
        for c in containers:
            if not o.get("overwrite", True):
                for e in state["env"]:
                    cur = next((x for x in c.get("env") or [] if x.get("name") == e["name"]), None)
                    if cur is not None and (cur.get("value") or "") != (e.get("value") or ""):
                        raise _ObjError(f"'{cur['name']}' already has a value ({cur.get('value') or ''}), and "
                                        "--overwrite is false")
            updated = _update_env(list(c.get("env") or []), state["env"], remove)
            if updated:
                c["env"] = updated
            else:
                c.pop("env", None)
            if o.get("list"):
                listing.append(f"# {obj_kind} {obj_name}, container {c.get('name', '')}")
                for e in updated:
                    if not isinstance(e.get("valueFrom"), dict):
                        listing.append(f"{e.get('name', '')}={e.get('value') or ''}")
                        continue
                    value = _resolve(info, e["valueFrom"]) if o.get("resolve") else None
                    if value is not None:
                        listing.append(f"{e.get('name', '')}={value}")
                    else:
                        listing.append(f"# {e.get('name', '')} from {_ref_string(e['valueFrom'])}")

    api_holder = {}

    def _resolve(info, src):
        api = api_holder.get("api")
        if api is None:
            return None
        ns = (info.obj.get("metadata") or {}).get("namespace") or ctx.namespace
        for key, plural in (("configMapKeyRef", "configmaps"), ("secretKeyRef", "secrets")):
            ref = src.get(key)
            if isinstance(ref, dict):
                ob = api.try_get(plural, ns, ref.get("name", ""))
                if ob is None or ref.get("key") not in (ob.get("data") or {}):
                    return None
                v = ob["data"][ref["key"]]
                if plural == "secrets":
                    import base64

                    try:
                        v = base64.b64decode(v).decode("utf-8", "replace")
                    except Exception:
                        return None
                return v
        return None

    if o.get("list"):
        if o.get("local"):
            from_sources(None)
            finish_env()
            infos = _local_infos(ctx)
        else:
            session = ctx.session()
            api = session.api
            api_holder["api"] = api
            from_sources(api)
            finish_env()
            infos = _server_infos(ctx, api, resources, errors)
        for info in infos:
            try:
                mutate(info)
            except _ObjError:
                pass
        for line in listing:
            ctx.print(line)
        return _finish(errors)

    if o.get("local"):
        from_sources(None)
        finish_env()
        return _run(ctx, resources, mutate, "env updated", errors, patch_error="failed to patch env update to pod template: ")

    def early(api, infos):
        from_sources(api)
        finish_env()

    return _run(ctx, resources, mutate, "env updated", errors, patch_error="failed to patch env update to pod template: ",
                early=early)


# --------------------------------------------------------------------- resources
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_QUANTITY_ERR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


def _resource_list(spec: str) -> dict:
    """generateversioned populateResourceListV1."""
    from minikctl.printers.describe import quantity as D

    out: dict[str, str] = {}
    if not spec:
        return out
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise UsageError(f"Invalid argument syntax {item}, expected <resource>=<value>")
        name, value = parts
        m = _QUANTITY.match(value)
        ok = m is not None
        if ok:
            try:
                float(m.group(1))
            except ValueError:
                ok = False
            suffix = m.group(2)
            if ok and suffix and suffix not in ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G",
                                                "T", "P", "E") and not re.fullmatch(r"[eE][-+]?[0-9]+", suffix):
                ok = False
        if not ok:
            raise UsageError(_QUANTITY_ERR)
        out[name] = D.quantity_string(D.parse_quantity(value))
    return out


def resources(ctx) -> int:
    from minikctl.cli.cmd_apply import check_printer

    o = ctx.opts
    resources_args = list(ctx.args)
    check_printer(ctx)
    if o.get("all") and o.get("selector"):
        raise UsageError("cannot set --all and --selector at the same time")
    _check_local(ctx, resources_args)
    if not resources_args and not o.get("filename"):
        raise _no_resources(ctx)
    if not o.get("limits") and not o.get("requests"):
        raise UsageError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    limits, requests = _resource_list(o.get("limits") or ""), _resource_list(o.get("requests") or "")
    selector = o.get("containers") or "*"
    errors: list = []

    def mutate(info):
        spec = pod_spec(info.obj)
        containers = _select_containers(spec, selector)
        if not containers:
            errors.append(f"error: unable to find container named {selector}")
            return
        for c in containers:
            res = c.get("resources")
            if not isinstance(res, dict):
                res = c["resources"] = {}
            if limits:
                res["limits"] = {**(res.get("limits") or {}), **limits}
            if requests:
                res["requests"] = {**(res.get("requests") or {}), **requests}

    return _run(ctx, resources_args, mutate, "resource requirements updated", errors,
                patch_error="failed to patch resources update to pod template ")


# ----------------------------------------------------------------- serviceaccount
def serviceaccount(ctx) -> int:
    from minikctl.cli.cmd_apply import check_printer

    o = ctx.opts
    check_printer(ctx)
    if not ctx.args:
        raise UsageError("serviceaccount is required")
    sa = ctx.args[-1]
    resources_args = ctx.args[:-1]
    if o.get("local") and _dry(ctx) == "server":
        raise UsageError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if o.get("local") and not o.get("filename"):  # the Local() builder reads only -f
        raise UsageError(BUILDER_NO_RESOURCES)
    if not resources_args and not o.get("filename"):
        raise _no_resources(ctx)
    errors: list = []

    def mutate(info):
        pod_spec(info.obj)["serviceAccountName"] = sa

    return _run(ctx, resources_args, mutate, "serviceaccount updated", errors,
                patch_error="failed to patch serviceaccount update to pod template: ")


# ---------------------------------------------------------------------- selector
def selector(ctx) -> int:
    from minikctl.api import selectors
    from minikctl.cli.cmd_apply import check_printer

    o = ctx.opts
    check_printer(ctx)
    args = list(ctx.args)
    resources_args = args[:-1]
    expr = args[-1] if args else None
    if o.get("local") and _dry(ctx) == "server":
        raise UsageError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if not resources_args and not o.get("filename") and not o.get("all") and args:
        raise _no_resources(ctx)
    if o.get("local") and resources_args:
        raise _Message(LOCAL_RESOURCE_ERROR)
    if expr is None:
        raise UsageError("one selector is required")
    try:
        sel = selectors.parse(expr)
    except Exception as e:  # metav1.ParseToLabelSelector's error
        msg = str(e)
        if isinstance(e, MinikctlError):
            msg = e.render()
            if msg.startswith("error: "):
                msg = msg[len("error: "):]
        raise UsageError(f'couldn\'t parse the selector string "{expr}": {msg}') from None
    match_labels, expressions = {}, []
    for r in sel.reqs:
        if r.op in ("=", "==") and len(r.values) == 1:
            match_labels[r.key] = next(iter(r.values))
        else:
            expressions.append(r)
    if o.get("resource_version") and o.get("all"):
        raise UsageError("--resource-version may only be used with a single resource")
    dry = _dry(ctx)

    def change(obj):
        if obj.get("kind") != "Service":
            raise UsageError("setting a selector is only supported for Services")
        if expressions:
            raise UsageError(f"match expression {_go_expressions(expressions)} not supported on this object")
        obj.setdefault("spec", {})["selector"] = dict(match_labels)
        if not match_labels:
            obj["spec"].pop("selector")
        if o.get("resource_version"):
            obj["metadata"]["resourceVersion"] = o["resource_version"]

    if o.get("local"):
        for info in _local_infos(ctx):
            change(info.obj)
            _print(ctx, info.obj, "selector updated", dry)
        return 0
    session = ctx.session()
    errors: list = []
    out = []
    with session.write(dry_run=dry == "server") as api:
        infos = _server_infos(ctx, api, resources_args, errors)
        if errors:
            _finish(errors)
        for info in infos:
            change(info.obj)
            if dry == "client":
                out.append(info.obj)
                continue
            out.append(api.update(info.obj, check_rv=bool(o.get("resource_version"))))
    for obj in out:
        _print(ctx, obj, "selector updated", dry)
    return 0


def _go_expressions(reqs) -> str:
    """%v of []metav1.LabelSelectorRequirement."""
    parts = []
    for r in reqs:
        op = {"in": "In", "notin": "NotIn", "exists": "Exists", "!": "DoesNotExist", "!=": "NotIn"}.get(r.op, r.op)
        parts.append("{%s %s [%s]}" % (r.key, op, " ".join(sorted(r.values or []))))
    return "[" + " ".join(parts) + "]"


# ----------------------------------------------------------------------- subject
def subject(ctx) -> int:
    from minikctl.cli.cmd_apply import check_printer

    o = ctx.opts
    check_printer(ctx)
    resources_args = list(ctx.args)
    if o.get("all") and o.get("selector"):
        raise UsageError("cannot set --all and --selector at the same time")
    _check_local(ctx, resources_args)
    if not resources_args and not o.get("filename"):
        raise _no_resources(ctx)
    users, groups, sas = list(o.get("user") or []), list(o.get("group") or []), list(o.get("serviceaccount") or [])
    if not users and not groups and not sas:
        raise UsageError("you must specify at least one value of user, group or serviceaccount")
    for sa in sas:
        tokens = sa.split(":")
        if len(tokens) != 2 or not tokens[1]:
            raise UsageError("serviceaccount must be <namespace>:<name>")
    # sets.NewString(...).List(): sorted, without duplicates
    new_subjects = ([{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": u} for u in sorted(set(users))] +
                    [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": g} for g in sorted(set(groups))])
    errors: list = []

    def mutate(info):
        if info.obj.get("kind") not in ("RoleBinding", "ClusterRoleBinding"):
            raise _ObjError("setting subjects is only supported for RoleBinding/ClusterRoleBinding")
        if info.obj.get("kind") == "ClusterRoleBinding" and any(sa.startswith(":") for sa in sas):
            raise UsageError("serviceaccount must be <namespace>:<name>, namespace must be specified")
        subjects = list(new_subjects)
        for sa in sorted(set(sas)):
            sa_ns, _, name = sa.partition(":")
            subjects.append({"kind": "ServiceAccount", "name": name, "namespace": sa_ns or ctx.namespace})
        existing = list(info.obj.get("subjects") or [])
        for s in subjects:
            if not any(_same_subject(s, e) for e in existing):
                existing.append(s)
        info.obj["subjects"] = existing

    return _run(ctx, resources_args, mutate, "subjects updated", errors,
                patch_error="failed to patch subjects to rolebinding: ")


def _same_subject(a: dict, b: dict) -> bool:
    return all((a.get(k) or "") == (b.get(k) or "") for k in ("kind", "apiGroup", "name", "namespace"))
