"""minikctl patch (kubectl/pkg/cmd/patch/patch.go) and the server half of a patch
(apiserver/pkg/endpoints/handlers/patch.go): decode the patch, apply it to the live
object (strategic merge, JSON merge or JSON patch, see api/merge.py), drop and warn
about unknown fields (fieldValidation=Warn, the default for patch), then update."""

from __future__ import annotations

import json

from minikctl.api.errors import ApiError, BadRequest, MinikctlError, UsageError

PATCH_TYPES = ("json", "merge", "strategic")


class ServerError(ApiError):
    """A Status without a reason: kubectl prints "Error from server: ..."."""

    reason = ""

    def render(self) -> str:
        return f"Error from server: {self.message}"


class RequestInvalid(MinikctlError):
    """A 422 whose Status carries no kind, name or causes (NewGenericServerResponse)."""

    def __init__(self, message: str = "the server rejected our request due to an error in our request"):
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        return f"The request is invalid: {self.message}"


def go_json_error(text: str, e: json.JSONDecodeError) -> str:
    """encoding/json's syntax error text for what Python's json module refused."""
    from minikctl.api.manifest import _go_quote_char, _json_message

    if e.msg.startswith("Extra data"):
        return f"invalid character {_go_quote_char(text[e.pos])} after top-level value"
    if not text.strip():
        return "unexpected end of JSON input"
    msg = _json_message(text, 0, e.msg, e.pos)
    return msg.split(": ", 2)[-1] if msg.startswith("json: offset") else msg


def _json_kind(v) -> str:
    return {dict: "object", list: "array", str: "string", bool: "bool", type(None): "null"}.get(
        type(v), "number")


def decode_patch(patch_type: str, data: str):
    """What the apiserver does with the body first (kjson.UnmarshalStrict into a map or into
    []jsonPatchOp). Errors are BadRequest, as the server answers them."""
    from minikctl.api.manifest import BadNumber, loads

    try:
        value = loads(data)
    except json.JSONDecodeError as e:
        msg = go_json_error(data, e)
        raise BadRequest(msg if patch_type == "strategic" else f"error decoding patch: {msg}") from None
    except BadNumber as e:  # a number beyond float64 (sigs.k8s.io/json convertNumber)
        raise BadRequest(e.message if patch_type == "strategic" else f"error decoding patch: {e.message}") from None
    if patch_type in ("strategic", "merge"):
        if value is not None and not isinstance(value, dict):
            msg = f"json: cannot unmarshal {_json_kind(value)} into Go value of type map[string]interface {{}}"
            raise BadRequest(msg if patch_type == "strategic" else f"error decoding patch: {msg}")
        return value
    if not isinstance(value, list):
        raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(value)} into Go value of type "
                         "[]handlers.jsonPatchOp")
    for op in value:
        if not isinstance(op, dict):
            raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(op)} into Go value of type "
                             "handlers.jsonPatchOp")
        for field in ("op", "path", "from"):
            if field in op and not isinstance(op[field], str) and op[field] is not None:
                raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(op[field])} into Go "
                                 f"struct field jsonPatchOp.{field} of type string")
    return value


def apply_patch(live: dict, patch_type: str, patch, kind: str) -> dict:
    """Apply a decoded patch to a copy of `live`; PatchError becomes the apiserver's answer."""
    from minikctl.api import merge

    try:
        if patch_type == "strategic":
            return merge.strategic_merge(live, patch or {}, kind)
        if patch_type == "merge":
            return merge.json_merge_patch(live, patch)
        return merge.json_patch(live, patch)
    except merge.PatchError as e:
        if patch_type == "json" and e.status != "BadRequest":
            raise RequestInvalid() from None  # evanphx errors come back as a bare 422
        if e.status == "BadRequest":
            raise BadRequest(e.message) from None
        if e.status == "Unprocessable":
            raise RequestInvalid() from None
        raise ServerError(e.message) from None


REDACTED = "<secret contents redacted>"


def redact_secret(obj, kind: str):
    """A copy of a Secret (or of a patch to one) with every value of data and stringData
    replaced by kube-apiserver's "<secret contents redacted>" (what its validation prints for
    a bad .dockerconfigjson): error messages name the keys, never the values."""
    if kind != "Secret" or not isinstance(obj, dict) or not any(k in obj for k in ("data", "stringData")):
        return obj
    out = dict(obj)
    for field in ("data", "stringData"):
        if field in out:
            v = out[field]
            out[field] = {k: REDACTED for k in v} if isinstance(v, dict) else REDACTED
    return out


def patch_invalid_value(patch_type: str, patch, patched: dict, kind: str) -> str:
    """The bad value of kube-apiserver's `patch: Invalid value: ...` when the patched object
    does not decode (apiserver/pkg/endpoints/handlers/patch.go): a strategic merge patch shows
    the user's patch as fmt's %+v of a map[string]interface{} (applyPatchToObject); a JSON or
    merge patch shows the patched object's JSON (jsonPatcher.applyPatchToCurrentObject). Both
    are %q-quoted by field.Error. A Secret's values are redacted: no error shows a Secret's data
    (kube-apiserver would print the stored values of a JSON or merge patch's result here)."""
    from minikctl.printers.template import go_json, go_quote, go_sprint

    if patch_type == "strategic":
        return go_quote(go_sprint(redact_secret(patch or {}, kind)))
    return go_quote(go_json(redact_secret(patched, kind)))


def drop_unknown_fields(obj: dict, validation: str, *, bad_value=None) -> list[str]:
    """Decode into the Go type: unknown fields are dropped, with a warning (fieldValidation
    Warn), silently (Ignore), or refused (Strict). Returns the warnings. `bad_value` renders
    the value a decoding error shows (patch_invalid_value)."""
    strict = validation == "Strict"
    from minikctl.api import schema

    findings = schema.find(obj)
    typed = [f for f in findings if not f.unknown]
    if typed:
        shown = bad_value() if bad_value is not None else '""'
        raise RequestInvalidPatch(f"patch: Invalid value: {shown}: {typed[0].message}")
    unknown = [f for f in findings if f.unknown]
    if strict and unknown:
        raise BadRequest("strict decoding error: " + ", ".join(f.message for f in unknown))
    for f in sorted(unknown, key=lambda f: len(f.path), reverse=True):  # deepest first
        cur = obj
        for step in f.path[:-1]:
            cur = cur[step]
        if isinstance(cur, dict):
            cur.pop(f.path[-1], None)
    return [f.message for f in unknown] if validation == "Warn" else []


class RequestInvalidPatch(RequestInvalid):
    def render(self) -> str:
        return f"The request is invalid: {self.message}"


def server_patch(api, kind, namespace: str, name: str, patch_type: str, data: str, *,
                 validation: str = "Warn", live: dict | None = None) -> tuple[dict, dict]:
    """PATCH /<resource>/<name>?fieldValidation=...: returns (object before, object after).
    Without the parameter (kubectl patch) the apiserver warns."""
    from minikctl.api.errors import NotFound

    if live is None:
        live = api.try_get(kind.plural, namespace, name)
        if live is None:
            raise NotFound.of(kind.group_resource, name)
    patch = decode_patch(patch_type, data)
    patched = apply_patch(live, patch_type, patch, kind.kind)
    if not isinstance(patched, dict):
        raise RequestInvalid()
    kind_name = live.get("kind") or kind.kind
    for w in drop_unknown_fields(patched, validation,
                                 bad_value=lambda: patch_invalid_value(patch_type, patch, patched, kind_name)):
        api.warnings.append(f"Warning: {w}")
    meta = patched.get("metadata")
    if not isinstance(meta, dict):
        meta = patched["metadata"] = {}
    if meta.get("name", name) != name:
        raise BadRequest(f"the name of the object ({meta.get('name')}) does not match the name on the URL ({name})")
    if kind.namespaced and meta.get("namespace", namespace) != namespace:
        raise BadRequest("the namespace of the provided object does not match the namespace sent on the request")
    meta["name"] = name
    if kind.namespaced:
        meta["namespace"] = namespace
    patched["kind"] = live["kind"]
    patched["apiVersion"] = live.get("apiVersion")
    updated = api.update(patched, check_rv=True)
    return live, updated


def _read_patch(ctx) -> str:
    o = ctx.opts
    if o.get("patch") is not None and o.get("patch_file"):
        raise UsageError("cannot specify --patch and --patch-file together")
    if not o.get("patch") and not o.get("patch_file"):
        raise UsageError("must specify --patch or --patch-file containing the contents of the patch")
    if o.get("patch_file"):
        try:
            with open(o["patch_file"], encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            raise UsageError(f"unable to read patch file: open {o['patch_file']}: {(e.strerror or str(e)).lower()}") from None
    else:
        text = o["patch"]
    return to_json(text, o.get("patch") or "")


def to_json(text: str, shown: str) -> str:
    """k8s.io/apimachinery/pkg/util/yaml ToJSON: JSON passes through, YAML is converted."""
    if text.lstrip(" \t\r\n").startswith(("{", "[")):
        return text
    import yaml

    try:
        value = yaml.safe_load(text)
    except ValueError:  # an integer of more than 4,300 digits: go-yaml keeps it a string
        from minikctl.api.manifest import ManifestError, _yaml_documents

        try:
            value = next(iter(_yaml_documents(text, "patch")), (None,))[0]
        except ManifestError as e:
            raise UsageError(f"unable to parse {shown!r}: {e.message}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        from minikctl.printers.template import go_quote

        raise UsageError(f"unable to parse {go_quote(shown)}: error converting YAML to JSON: yaml: {where}{problem}") from None
    return json.dumps(value)


def run(ctx) -> int:
    from minikctl.cli.cmd_apply import _dry
    from minikctl.cli.cmd_label import raise_collected, select

    o = ctx.opts
    dry = _dry(ctx)
    ptype = o.get("type") or "strategic"
    if o.get("local") and ctx.args:
        raise UsageError("cannot specify --local and server resources")
    if o.get("local") and dry == "server":
        raise UsageError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if o.get("patch") is not None and o.get("patch_file"):
        raise UsageError("cannot specify --patch and --patch-file together")
    if not o.get("patch") and not o.get("patch_file"):
        raise UsageError("must specify --patch or --patch-file containing the contents of the patch")
    if ptype.lower() not in PATCH_TYPES:
        raise UsageError(f'--type must be one of [json merge strategic], not "{ptype}"')
    ptype = ptype.lower()
    data = _read_patch(ctx)
    if o.get("local"):
        return _local(ctx, ptype, data)
    if not ctx.args and not o.get("filename"):
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    session = ctx.session()
    errors: list = []
    results = []
    with session.write(dry_run=dry == "server") as api:
        targets, _ = select(ctx, api, ctx.args, allow_empty_selector=False, errors=errors, use_selectors=False)
        if not targets and not errors:
            raise UsageError("no objects passed to patch")
        for t in targets:
            try:
                if dry == "client":
                    patched = client_patch(t.obj, ptype, data)
                    results.append((patched, patched != t.obj))
                    continue
                before, after = server_patch(api, t.kind, t.namespace, t.name, ptype, data, live=t.obj)
            except MinikctlError as e:
                errors.append(e)
                continue
            results.append((after, after != before))
        warnings = list(api.warnings)
    _print(ctx, results, dry, errors)
    for w in warnings:
        ctx.warn(w if w.startswith("Warning:") else f"Warning: {w}")
    raise_collected(errors)
    return 0


def client_patch(obj: dict, ptype: str, data: str) -> dict:
    """patch.go getPatchedJSON: the patch applied by kubectl itself (--local, --dry-run=client),
    with the client's own errors (no server in between)."""
    from minikctl.api import kinds as K
    from minikctl.api.manifest import BadNumber, loads

    try:
        patch = loads(data) if ptype != "json" else decode_patch(ptype, data)
    except BadNumber as e:
        raise UsageError(e.message) from None
    except BadRequest as e:  # evanphx/json-patch's own types in the client's message
        msg = e.message.removeprefix("error decoding patch: ")
        raise UsageError(msg.replace("[]handlers.jsonPatchOp", "jsonpatch.Patch")
                         .replace("handlers.jsonPatchOp", "jsonpatch.Operation")) from None
    except ValueError:
        # JSON-looking patch text passes yaml.ToJSON unchanged; the merge then refuses it
        # (strategic: apimachinery mergepatch.ErrBadJSONDoc; merge: json-patch's errBadJSONPatch)
        raise UsageError("Invalid JSON Patch" if ptype == "merge" else "invalid JSON document") from None
    if ptype == "merge" and isinstance(patch, list):  # the merged document is the array, which does not decode
        raise UsageError("json: cannot unmarshal array into Go value of type unstructured.detector")
    if ptype != "json" and patch is not None and not isinstance(patch, dict):
        raise UsageError("Invalid JSON Patch" if ptype == "merge" else "invalid JSON document")
    if ptype == "strategic" and K.by_kind(obj.get("kind", "")) is None:
        raise UsageError(f"strategic merge patch is not supported for {obj.get('apiVersion')}, "
                         f"Kind={obj.get('kind')} locally, try --type merge")
    from minikctl.api import merge

    try:
        if ptype == "strategic":
            return merge.strategic_merge(obj, patch or {}, obj.get("kind", ""))
        if ptype == "merge":
            return merge.json_merge_patch(obj, patch)
        return merge.json_patch(obj, patch)
    except merge.PatchError as e:
        raise UsageError(e.message) from None


def _local(ctx, ptype: str, data: str) -> int:
    from minikctl.cli.manifests import load

    if not ctx.opts.get("filename"):
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    results = []
    for doc, _ in load(ctx, strict=False):
        obj = doc.obj
        patched = client_patch(obj, ptype, data)
        results.append((patched, patched != obj))
    errors: list = []
    _print(ctx, results, "client" if ctx.opts.get("dry_run") not in (None, "none") else None, errors)
    from minikctl.cli.cmd_label import raise_collected

    raise_collected(errors)
    return 0


def _print(ctx, results, dry, errors: list) -> None:
    """patch.go makes a printer for each object after patching it (o.ToPrinter(patchOperation)):
    a format it cannot print is an error for each object, collected with the others."""
    from minikctl.api.errors import MinikctlError
    from minikctl.printers import output

    # patch.go: PrintFlagsWithDryRunStrategy completes the operation before ToPrinter sets it to
    # "patched", which overwrites it: kubectl 1.32 prints no "(dry run)" after a patch (tests/parity)
    suffix = ""
    for obj, changed in results:
        try:
            output.check(ctx)
            output.Printer(ctx, dry_suffix=suffix).print(obj, operation="patched" if changed else "patched (no change)")
        except MinikctlError as e:
            errors.append(e)
