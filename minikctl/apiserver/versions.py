"""The other API versions Kubernetes 1.32 serves of a stored kind (autoscaling/v1
HorizontalPodAutoscaler beside the stored autoscaling/v2): the same objects, converted on the
way in and out by the object API (minikctl.api.conversion VIEWS; the views are api/kinds.py ALSO_SERVED), as kube-apiserver serves every
version of a group from one storage version (staging/src/k8s.io/apiserver/pkg/endpoints/handlers:
the request's version is decoded, converted to the storage version, and the answer encoded in the
request's version).

A request of such a version is answered by the stored version's handlers (handlers.py): its body
is converted first, and the objects of the answer (an object, a list, a Table's rows) after."""

from __future__ import annotations

import json

from minikctl.api import kinds as K
from minikctl.api.errors import BadRequest
from minikctl.apiserver.rest import JSON, Request, Response, parse_resource_path

def view_kinds() -> list[K.Kind]:
    """The views (api/kinds.py ALSO_SERVED), for discovery."""
    return list(K.ALSO_SERVED)


def _view(group: str, version: str, plural: str) -> K.Kind | None:
    """The stored kind of a view's resource."""
    for k in K.ALSO_SERVED:
        if (k.group, k.version, k.plural) == (group, version, plural):
            return K.by_kind(k.kind)
    return None


def target(group: str, version: str, rest: list[str]):
    """The Target (of the stored kind, with .view set) of a view's resource path, or None."""
    plural = rest[2] if len(rest) > 2 and rest[0] == "namespaces" else rest[0]
    k = _view(group, version, plural)
    if k is None:
        return None
    t = parse_resource_path(k.group, k.version, rest)
    if t is not None:
        t.view = f"{group}/{version}" if group else version
    return t


def serve(backend, req: Request, group: str, version: str, rest: list[str]) -> Response | None:
    """The answer for a resource path of a view's group/version, None when it names no view."""
    t = target(group, version, rest)
    if t is None:
        return None
    from minikctl.apiserver import handlers

    api_version = f"{group}/{version}" if group else version
    if req.method == "PATCH" and t.name and t.sub in (None, "status"):
        return _patch(backend, req, t, api_version)
    if req.method in ("POST", "PUT") and t.sub in (None, "status"):
        req = _stored_request(req, t.kind, api_version)
    return _view_response(handlers.serve(backend, req, t), api_version)


def _stored_request(req: Request, kind: K.Kind, api_version: str, body=None) -> Request:
    """The request with its body (of the view's version) converted to the stored version, as JSON."""
    from minikctl.api.conversion import from_view
    from minikctl.apiserver.rest import _decode_body

    if body is None:
        body = _decode_body(req)
    if isinstance(body, dict):
        av, kd = body.get("apiVersion"), body.get("kind")
        if not av and not kd:
            body["apiVersion"], body["kind"] = api_version, kind.kind
        elif kd != kind.kind:
            raise BadRequest(f"the kind in the data ({kd}) does not match the expected kind ({kind.kind})")
        elif av != api_version:
            raise BadRequest(f"the API version in the data ({av}) does not match the expected API version "
                             f"({api_version})")
        body = from_view(body)
    headers = {k: v for k, v in req.headers.items() if k != "content-type"}
    headers["content-type"] = JSON
    return Request(req.method, req.path, req.query, headers, json.dumps(body).encode())


def _patch(backend, req: Request, t, api_version: str) -> Response:
    """PATCH through a view: the patch applies to the object as this version shows it; the result,
    converted back, replaces the stored object (an update on the resourceVersion read)."""
    from minikctl.api.conversion import to_view
    from minikctl.apiserver.handlers import _patch_type
    from minikctl.cli.cmd_patch import apply_patch, decode_patch

    pt = _patch_type(req, t)
    if pt == "apply":  # server-side apply of the view's version: the applied (partial) object converted
        import yaml

        try:
            applied = yaml.safe_load(req.body.decode("utf-8", "replace"))
        except yaml.YAMLError as e:
            raise BadRequest(f"error decoding YAML: {e}") from None
        if isinstance(applied, dict) and (applied.get("apiVersion"), applied.get("kind")) == (api_version,
                                                                                               t.kind.kind):
            from minikctl.api.conversion import from_view

            applied = from_view(applied)
        body = json.dumps(applied).encode()
        from minikctl.apiserver import handlers

        return _view_response(handlers.serve(backend, Request(req.method, req.path, req.query, req.headers, body), t),
                              api_version)
    s = backend._fresh()
    with s.store.read():
        live = s.api.get(t.kind.plural, t.namespace or "", t.name)
    view = to_view(live, api_version)
    patched = apply_patch(view, pt, decode_patch(pt, req.body.decode("utf-8", "replace")), t.kind.kind)
    if not isinstance(patched, dict):
        raise BadRequest("the patched object is not an object")
    meta = patched.setdefault("metadata", {}) if isinstance(patched.get("metadata"), dict) else {}
    meta["resourceVersion"] = live["metadata"].get("resourceVersion")
    put = _stored_request(Request("PUT", req.path, req.query, req.headers, b""), t.kind, api_version, patched)
    from minikctl.apiserver import handlers

    return _view_response(handlers.serve(backend, put, t), api_version)


def _view_response(resp: Response, api_version: str) -> Response:
    """The objects of a stored-version answer as the view's version shows them."""
    from minikctl.api.conversion import to_view

    ctype = next((v for k, v in resp.headers if k == "Content-Type"), "")
    if not ctype.startswith(JSON) or not resp.body:
        return resp
    try:
        body = json.loads(resp.body)
    except ValueError:
        return resp
    if not isinstance(body, dict):
        return resp
    kind = body.get("kind", "")
    if kind == "Table":
        for row in body.get("rows") or ():
            obj = row.get("object")
            if isinstance(obj, dict) and obj.get("kind") not in (None, "PartialObjectMetadata"):
                row["object"] = to_view(obj, api_version)
    elif kind.endswith("List") and isinstance(body.get("items"), list):
        body["apiVersion"] = api_version
        body["items"] = [to_view(o, api_version) for o in body["items"]]
    elif kind != "Status":
        body = to_view(body, api_version)
    else:
        return resp
    out = Response(resp.status, body, ctype)
    out.headers = [(k, v) for k, v in resp.headers]
    return out
