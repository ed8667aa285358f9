"""The resource handlers: get, list, create, update, patch, delete, deletecollection, and the
status and scale subresources, each one transaction of the CLI's Session over the object API
(staging/src/k8s.io/apiserver/pkg/endpoints/handlers: get.go, create.go, update.go, patch.go,
delete.go; pkg/registry/apps/deployment/storage/storage.go for Scale)."""

from __future__ import annotations

import json

from minikctl.api import kinds as K
from minikctl.api.errors import BadRequest, NotFound
from minikctl.apiserver.rest import (JSON, MethodNotSupported, Request, Response, Target, decode_continue,
                                     encode_continue, status_response)

TABLE_V1 = ("meta.k8s.io", "v1")


def serve(backend, req: Request, t: Target) -> Response:
    from minikctl.api.fieldmanager import request_manager  # issue 14 (w-ssa): managedFields

    backend.session.field_manager = request_manager(req)
    try:
        return _serve(backend, req, t)
    finally:
        backend.session.field_manager = None


def _serve(backend, req: Request, t: Target) -> Response:
    m = req.method
    if t.sub is not None:
        if t.sub == "status":
            return _status_sub(backend, req, t)
        if t.sub == "scale" and t.kind.plural in ("deployments", "replicasets", "statefulsets",
                                                   "replicationcontrollers"):
            return _scale_sub(backend, req, t)
        from minikctl.apiserver import subresources  # binding, eviction, ephemeralcontainers

        r = subresources.serve(backend, req, t)
        if r is not None:
            return r
        return status_response(404, "NotFound", "the server could not find the requested resource", {})
    if t.name is None:
        if m == "GET":
            return _list(backend, req, t)
        if m == "POST":
            return _create(backend, req, t)
        if m == "DELETE":
            if t.kind.plural == "namespaces":
                return _method_not_allowed()
            return _delete_collection(backend, req, t)
        return _method_not_allowed()
    if m == "GET":
        return _get(backend, req, t)
    if m == "PUT":
        return _update(backend, req, t)
    if m == "PATCH":
        return _patch(backend, req, t)
    if m == "DELETE":
        return _delete(backend, req, t)
    return _method_not_allowed()


def _method_not_allowed() -> Response:
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                           {})


# ------------------------------------------------------------------------------ helpers
def _dry_run(req: Request) -> bool:
    values = req.query.get("dryRun") or []
    for v in values:
        if v != "All":
            raise BadRequest(f'Invalid dry run value "{v}", valid values are: All' if v else
                             "Invalid dry run value")
    return bool(values)


def _wants_table(req: Request) -> bool:
    for part in req.headers.get("accept", "").split(","):
        params = {p.split("=", 1)[0].strip(): p.split("=", 1)[1].strip() for p in part.split(";")[1:] if "=" in p}
        if params.get("as") == "Table" and params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
            return True
    return False


def _table(backend, req: Request, kind: K.Kind, objs: list[dict], rv: str, cont: str | None = None,
           remaining: int | None = None) -> Response:
    """metav1.Table: the column definitions and cells minikctl prints (printers/columns.py)."""
    from minikctl.printers.columns import build_table

    include = req.q("includeObject") or "Metadata"
    if include not in ("None", "Metadata", "Object"):
        raise BadRequest(f'includeObject: Unsupported value: "{include}": supported values: "None", "Metadata", '
                         '"Object"')
    table = build_table(kind.kind, objs, backend.session.clock.now())
    cols = [{"name": c.name, "type": c.type, "format": c.format, "description": _DESCRIPTIONS.get(c.name, ""),
             "priority": c.priority} for c in table.columns]
    rows = []
    for row in table.rows:
        r = {"cells": [_cell(c) for c in row.cells]}
        if include == "Object":
            r["object"] = row.obj
        elif include == "Metadata":
            r["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                           "metadata": row.obj.get("metadata", {})}
        rows.append(r)
    meta = {"resourceVersion": rv}
    if cont:
        meta["continue"] = cont
    if remaining:
        meta["remainingItemCount"] = remaining
    return Response(200, {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
                          "columnDefinitions": cols, "rows": rows},
                    "application/json;as=Table;v=v1;g=meta.k8s.io")


_DESCRIPTIONS = {"Name": "Name must be unique within a namespace. Is required when creating resources, although some "
                         "resources may allow a client to request the generation of an appropriate name "
                         "automatically. Name is primarily intended for creation idempotence and configuration "
                         "definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/"
                         "working-with-objects/names#names"}


def _cell(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _current_rv(backend) -> str:
    return backend.session.store.meta_get("rv", "0") or "0"


def _warnings(api) -> list[tuple[str, str]]:
    out = []
    for w in getattr(api, "warnings", ()) or ():
        text = str(w)
        if text.startswith("Warning: "):
            text = text[len("Warning: "):]
        out.append(("Warning", '299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'))
    return out


def _check_kind(body, t: Target) -> dict:
    if not isinstance(body, dict):
        raise BadRequest(f"couldn't get version/kind; json parse error: json: cannot unmarshal "
                         f"{_json_kind(body)} into Go value of type struct {{ APIVersion string "
                         '"json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }')
    kind = body.get("kind")
    api_version = body.get("apiVersion")
    if not kind or not api_version:
        body.setdefault("kind", t.kind.kind)
        body.setdefault("apiVersion", t.kind.api_version)
    elif kind != t.kind.kind or api_version != t.kind.api_version:
        gv = t.kind.api_version
        if api_version != gv:
            raise BadRequest(f"the API version in the data ({api_version}) does not match the expected API version "
                             f"({gv})")
        raise BadRequest(f"the kind in the data ({kind}) does not match the expected kind ({t.kind.kind})")
    meta = body.get("metadata")
    if meta is None:
        body["metadata"] = meta = {}
    if not isinstance(meta, dict):
        raise BadRequest("metadata must be an object")
    return body


def _field_validation(api, req: Request, obj: dict, verb: str = "creating") -> None:
    """fieldValidation=Strict|Warn|Ignore (kube-apiserver's default: Warn) on a create or update
    body: a value of the wrong type is always refused; unknown fields are refused (Strict), or
    dropped with a `Warning:` header each (Warn) or silently (Ignore), as the typed decode drops
    them (api/schema.py: the same check `minikctl apply` makes client-side)."""
    from minikctl.api import schema

    mode = req.q("fieldValidation") or "Warn"
    if mode not in ("Strict", "Warn", "Ignore"):
        raise BadRequest(f"fieldValidation parameter unsupported: {mode}")
    findings = schema.find(obj)
    if not findings:
        return
    typed = [f for f in findings if not f.unknown]
    kind = obj.get("kind") or ""
    version = schema._version(obj)
    if typed:
        raise schema.StrictError(kind, version, [typed[0].message], verb=verb)
    if mode == "Strict":
        raise schema.StrictError(kind, version, [f.message for f in findings], verb=verb)
    for f in sorted(findings, key=lambda f: len(f.path), reverse=True):  # deepest first
        cur = obj
        for step in f.path[:-1]:
            cur = cur[step]
        if isinstance(cur, dict):
            cur.pop(f.path[-1], None)
    if mode == "Warn":
        api.warnings.extend(f.message for f in findings)


def _json_kind(v) -> str:
    return {dict: "object", list: "array", str: "string", bool: "bool", type(None): "null"}.get(type(v), "number")


def _ns_check(meta: dict, t: Target) -> None:
    if t.kind.namespaced:
        if meta.get("namespace") and meta["namespace"] != t.namespace:
            raise BadRequest("the namespace of the provided object does not match the namespace sent on the request")
        if t.namespace:
            meta["namespace"] = t.namespace


def _obj_response(obj: dict, code: int = 200, api=None) -> Response:
    return Response(code, obj, headers=_warnings(api) if api is not None else None)


def _read(backend):
    s = backend._fresh()
    return s


# ------------------------------------------------------------------------------- reads
def _get(backend, req: Request, t: Target) -> Response:
    s = _read(backend)
    with s.store.read():
        obj = s.api.get(t.kind.plural, t.namespace or "", t.name)
        if _wants_table(req):
            return _table(backend, req, t.kind, [obj], obj["metadata"].get("resourceVersion", ""))
    return _obj_response(obj)


def _select(s, req: Request, t: Target) -> list[dict]:
    from minikctl.api import fields, selectors

    sel = None
    label = req.q("labelSelector")
    if label:
        try:
            sel = selectors.parse(label)
        except Exception as e:  # noqa: BLE001 - its message is the apiserver's
            raise BadRequest(f"unable to parse requirement: {e}") from None
    objs = s.api.list(t.kind.plural, t.namespace if t.kind.namespaced else None, selector=sel)
    field = req.q("fieldSelector")
    if field:
        terms = fields.parse(field, t.kind.kind, t.kind.plural)
        objs = [o for o in objs if fields.matches(o, terms)]
    return objs


def _list(backend, req: Request, t: Target) -> Response:
    s = _read(backend)
    with s.store.read():
        rv = _current_rv(backend)
        objs = _select(s, req, t)
        limit = req.q("limit")
        cont = req.q("continue")
        if cont:
            after = decode_continue(cont)
            objs = [o for o in objs if (o["metadata"].get("namespace", ""), o["metadata"]["name"]) > after]
        next_token, remaining = None, None
        try:
            n = int(limit) if limit else 0
        except ValueError:
            raise BadRequest(f'strconv.ParseInt: parsing "{limit}": invalid syntax') from None
        if n > 0 and len(objs) > n:
            last = objs[n - 1]["metadata"]
            next_token = encode_continue(rv, last.get("namespace", ""), last["name"])
            remaining = len(objs) - n
            objs = objs[:n]
        if _wants_table(req):
            return _table(backend, req, t.kind, objs, rv, next_token, remaining)
    meta = {"resourceVersion": rv}
    if next_token:
        meta["continue"] = next_token
        meta["remainingItemCount"] = remaining
    return Response(200, {"kind": f"{t.kind.kind}List", "apiVersion": t.kind.api_version, "metadata": meta,
                          "items": objs})


# ------------------------------------------------------------------------------ writes
def _create(backend, req: Request, t: Target) -> Response:
    from minikctl.apiserver.rest import _decode_body

    body = _check_kind(_decode_body(req), t)
    _ns_check(body["metadata"], t)
    s = backend._fresh()
    with s.write(dry_run=_dry_run(req)) as api:
        _field_validation(api, req, body)
        created = api.create(body, namespace=t.namespace)
    return _obj_response(created, 201, api)


def _update(backend, req: Request, t: Target) -> Response:
    from minikctl.apiserver.rest import _decode_body

    body = _check_kind(_decode_body(req), t)
    meta = body["metadata"]
    if meta.get("name") and meta["name"] != t.name:
        raise BadRequest(f"the name of the object ({meta['name']}) does not match the name on the URL ({t.name})")
    meta["name"] = t.name
    _ns_check(meta, t)
    s = backend._fresh()
    with s.write(dry_run=_dry_run(req)) as api:
        _field_validation(api, req, body, "updating")
        updated = api.update(body, check_rv=True)
    return _obj_response(updated, 200, api)


_PATCH_TYPES = {"application/strategic-merge-patch+json": "strategic", "application/merge-patch+json": "merge",
                "application/json-patch+json": "json",
                "application/apply-patch+yaml": "apply"}  # issue 14 (w-ssa): server-side apply


def _patch_type(req: Request, t: Target) -> str:
    ctype = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
    pt = _PATCH_TYPES.get(ctype)
    if pt is None:
        from minikctl.apiserver.rest import UnsupportedMediaType

        e = UnsupportedMediaType(ctype)
        e.message = e.args[0] if False else (  # patch.go: the list of patch types it accepts
            f"the body of the request was in an unknown format - accepted media types include: "
            "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, "
            "application/apply-patch+yaml")
        raise e
    return pt


def _patch(backend, req: Request, t: Target) -> Response:
    from minikctl.cli.cmd_patch import server_patch

    pt = _patch_type(req, t)
    if pt == "apply":  # issue 14 (w-ssa)
        from minikctl.api.fieldmanager import serve_apply

        return serve_apply(backend, req, t, _dry_run(req), _obj_response)
    data = req.body.decode("utf-8", "replace")
    validation = req.q("fieldValidation") or "Warn"
    s = backend._fresh()
    with s.write(dry_run=_dry_run(req)) as api:
        _, updated = server_patch(api, t.kind, t.namespace or "", t.name, pt, data, validation=validation)
    return _obj_response(updated, 200, api)


def _delete_options(req: Request) -> dict:
    opts: dict = {}
    if req.body.strip():
        from minikctl.apiserver.rest import _decode_body

        body = _decode_body(req)
        if isinstance(body, dict):
            opts.update(body)
    for q in ("gracePeriodSeconds", "propagationPolicy"):
        if req.q(q) is not None:
            opts[q] = req.q(q)
    grace = opts.get("gracePeriodSeconds")
    if grace is not None:
        try:
            opts["gracePeriodSeconds"] = int(grace)
        except (TypeError, ValueError):
            raise BadRequest(f'strconv.ParseInt: parsing "{grace}": invalid syntax') from None
    policy = opts.get("propagationPolicy")
    if policy is not None and policy not in ("Orphan", "Background", "Foreground"):
        from minikctl.api.errors import FieldError, Invalid

        raise Invalid("DeleteOptions", "", [FieldError("Unsupported value", "propagationPolicy", policy,
                                                       'supported values: "Foreground", "Background", "Orphan", nil')])
    return opts


def _delete_one(api, kind: K.Kind, ns: str, name: str, opts: dict) -> dict | None:
    """Delete one object: a pod gracefully (the kubelet stops its containers), an Orphan
    propagation first releases the dependents. Returns the object still there (terminating)
    or None when it is gone."""
    obj = api.get(kind.plural, ns, name)
    pre = opts.get("preconditions") or {}
    if pre.get("uid") and pre["uid"] != obj["metadata"].get("uid"):
        from minikctl.api.errors import Conflict

        raise Conflict(f"Operation cannot be fulfilled on {kind.group_resource} \"{name}\": Precondition failed: "
                       f"UID in precondition: {pre['uid']}, UID in object meta: {obj['metadata'].get('uid')}")
    if pre.get("resourceVersion") and pre["resourceVersion"] != obj["metadata"].get("resourceVersion"):
        from minikctl.api.errors import Conflict

        raise Conflict(f"Operation cannot be fulfilled on {kind.group_resource} \"{name}\": Precondition failed: "
                       f"ResourceVersion in precondition: {pre['resourceVersion']}, ResourceVersion in object meta: "
                       f"{obj['metadata'].get('resourceVersion')}")
    if opts.get("propagationPolicy") == "Orphan":
        uid = obj["metadata"]["uid"]
        for resource, dns, dname in list(api.store.owned_keys(uid)):
            dep = api.store.get(resource, dns, dname)
            if dep is None:
                continue
            refs = [r for r in dep["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
            if refs:
                dep["metadata"]["ownerReferences"] = refs
            else:
                dep["metadata"].pop("ownerReferences", None)
            api.update(dep, check_rv=False)
    if kind.plural == "pods":
        from minikctl.kubelet.pods import graceful_delete

        grace = opts.get("gracePeriodSeconds")
        graceful_delete(api, obj, grace)
        return api.try_get("pods", ns, name)
    api.delete(kind.plural, ns, name)
    return None


def _success(kind: K.Kind, obj: dict) -> dict:
    details = {"name": obj["metadata"]["name"], "kind": kind.plural, "uid": obj["metadata"].get("uid")}
    if kind.group:
        details = {"name": details["name"], "group": kind.group, "kind": kind.plural, "uid": details["uid"]}
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


def _delete(backend, req: Request, t: Target) -> Response:
    opts = _delete_options(req)
    s = backend._fresh()
    ns = t.namespace or ""
    with s.write(dry_run=_dry_run(req)) as api:
        before = api.get(t.kind.plural, ns, t.name)
        left = _delete_one(api, t.kind, ns, t.name, opts)
    if left is not None:  # terminating: the object with its deletionTimestamp (202 while it goes)
        return _obj_response(left, 200, api)
    if t.kind.plural in ("pods", "namespaces", "services"):
        return _obj_response(before, 200, api)  # these registries return the deleted object
    return Response(200, _success(t.kind, before), headers=_warnings(api))


def _delete_collection(backend, req: Request, t: Target) -> Response:
    opts = _delete_options(req)
    s = backend._fresh()
    out = []
    with s.write(dry_run=_dry_run(req)) as api:
        for obj in _select(s, req, t):
            meta = obj["metadata"]
            try:
                left = _delete_one(api, t.kind, meta.get("namespace", ""), meta["name"], opts)
            except NotFound:
                continue  # gone meanwhile (a dependent of an earlier one)
            out.append(left or obj)
        rv = s.store.meta_get("rv", "0")
    return Response(200, {"kind": f"{t.kind.kind}List", "apiVersion": t.kind.api_version,
                          "metadata": {"resourceVersion": rv}, "items": out}, headers=_warnings(api))


# ------------------------------------------------------------------------ subresources
def _status_sub(backend, req: Request, t: Target) -> Response:
    ns = t.namespace or ""
    if req.method == "GET":
        return _get(backend, req, t)
    if req.method not in ("PUT", "PATCH"):
        return _method_not_allowed()
    s = backend._fresh()
    with s.write(dry_run=_dry_run(req)) as api:
        live = api.get(t.kind.plural, ns, t.name)
        if req.method == "PUT":
            from minikctl.apiserver.rest import _decode_body

            body = _check_kind(_decode_body(req), t)
            meta = body["metadata"]
            rv = meta.get("resourceVersion")
            if rv and rv != live["metadata"].get("resourceVersion"):
                from minikctl.api.errors import Conflict

                raise Conflict.of(t.kind.group_resource, t.name)
        else:
            from minikctl.cli.cmd_patch import apply_patch, decode_patch

            pt = _patch_type(req, t)
            body = apply_patch(live, pt, decode_patch(pt, req.body.decode("utf-8", "replace")), t.kind.kind)
        new = dict(live)
        new["status"] = body.get("status") if isinstance(body, dict) else live.get("status")
        updated = api.update(new, check_rv=False, subresource="status")
    return _obj_response(updated, 200, api)


def _scale_of(kind: K.Kind, obj: dict) -> dict:
    """autoscaling/v1 Scale of a workload (pkg/registry/apps/deployment/storage scaleFromDeployment)."""
    from minikctl.printers.columns import label_selector_string

    meta = obj["metadata"]
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    sel = spec.get("selector")
    selector = label_selector_string(sel) if kind.plural != "replicationcontrollers" else \
        ",".join(f"{k}={v}" for k, v in sorted((sel or {}).items()))
    out_meta = {"name": meta["name"], "namespace": meta.get("namespace", ""), "uid": meta.get("uid"),
                "resourceVersion": meta.get("resourceVersion"), "creationTimestamp": meta.get("creationTimestamp")}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": out_meta,
            "spec": {"replicas": spec.get("replicas", 1)},
            "status": {"replicas": st.get("replicas", 0), "selector": selector}}


def _scale_sub(backend, req: Request, t: Target) -> Response:
    ns = t.namespace or ""
    if req.method == "GET":
        s = _read(backend)
        with s.store.read():
            return Response(200, _scale_of(t.kind, s.api.get(t.kind.plural, ns, t.name)))
    if req.method not in ("PUT", "PATCH"):
        return _method_not_allowed()
    s = backend._fresh()
    with s.write(dry_run=_dry_run(req)) as api:
        live = api.get(t.kind.plural, ns, t.name)
        scale = _scale_of(t.kind, live)
        if req.method == "PUT":
            from minikctl.apiserver.rest import _decode_body

            body = _decode_body(req)
            if not isinstance(body, dict):
                raise BadRequest("the body of the request must be a Scale object")
        else:
            from minikctl.cli.cmd_patch import apply_patch, decode_patch

            pt = _patch_type(req, t)
            body = apply_patch(scale, pt, decode_patch(pt, req.body.decode("utf-8", "replace")), "Scale")
        rv = (body.get("metadata") or {}).get("resourceVersion")
        if rv and rv != live["metadata"].get("resourceVersion"):
            from minikctl.api.errors import Conflict

            raise Conflict.of(t.kind.group_resource, t.name)
        replicas = (body.get("spec") or {}).get("replicas")
        if not isinstance(replicas, int) or isinstance(replicas, bool):
            replicas = 0 if replicas is None else replicas
        new = json.loads(json.dumps(live))
        new.setdefault("spec", {})["replicas"] = replicas
        api.field_subresource = "scale"  # issue 14 (w-ssa): the writer's entry names the subresource
        updated = api.update(new, check_rv=False)
    return Response(200, _scale_of(t.kind, updated), headers=_warnings(api))
