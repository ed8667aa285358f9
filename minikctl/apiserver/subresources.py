"""The pods subresources beside status: binding, eviction and ephemeralcontainers, each one
transaction of the object API (api/binding.py, api/eviction.py, api/ephemeral.py), answered as
kube-apiserver 1.32 answers them (pkg/registry/core/pod/storage/storage.go BindingREST,
eviction.go EvictionREST, EphemeralContainersREST).

Discovery lists them from SUBRESOURCES below (apiserver/discovery.py)."""

from __future__ import annotations

from minikctl.api.errors import BadRequest
from minikctl.apiserver.rest import Request, Response, Target, status_response

# resource -> subresource -> (kind, verbs, (group, version) of its kind or None for the resource's)
SUBRESOURCES: dict[str, dict[str, tuple[str, tuple[str, ...], tuple[str, str] | None]]] = {
    "pods": {
        "binding": ("Binding", ("create",), None),
        "ephemeralcontainers": ("Pod", ("get", "patch", "update"), None),
        "eviction": ("Eviction", ("create",), ("policy", "v1")),
    },
}


def serve(backend, req: Request, t: Target) -> Response | None:
    """The answer for a subresource of SUBRESOURCES, None for any other."""
    if t.sub not in SUBRESOURCES.get(t.kind.plural, {}):
        return None
    verbs = {"binding": ("POST",), "eviction": ("POST",), "ephemeralcontainers": ("GET", "PUT", "PATCH")}[t.sub]
    if req.method not in verbs:
        return status_response(405, "MethodNotAllowed",
                               "the server does not allow this method on the requested resource", {})
    return {"binding": _binding, "eviction": _eviction, "ephemeralcontainers": _ephemeral}[t.sub](backend, req, t)


def _body(req: Request, kinds: dict[str, tuple[str, ...]]) -> dict:
    """The request's object, of one of kinds {kind: apiVersions}."""
    from minikctl.apiserver.rest import _decode_body

    body = _decode_body(req)
    if not isinstance(body, dict):
        raise BadRequest("the body of the request must be an object")
    kind, api_version = body.get("kind"), body.get("apiVersion")
    if kind is not None or api_version is not None:
        allowed = kinds.get(kind or "")
        if allowed is None or api_version not in allowed:
            want = next(iter(kinds))
            raise BadRequest(f"the kind in the data ({kind}) does not match the expected kind ({want})"
                             if kind not in kinds else
                             f"the API version in the data ({api_version}) does not match the expected API "
                             f"version ({kinds[want][0]})")
    if body.get("metadata") is None:
        body["metadata"] = {}
    if not isinstance(body["metadata"], dict):
        raise BadRequest("metadata must be an object")
    return body


def _success(code: int = 201) -> Response:
    return Response(code, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": code})


def _binding(backend, req: Request, t: Target) -> Response:
    from minikctl.api import binding
    from minikctl.apiserver.handlers import _dry_run

    body = _body(req, {"Binding": ("v1",)})
    s = backend._fresh()
    dry = _dry_run(req)
    with s.write(dry_run=dry) as api:
        binding.assign(api, t.namespace or "", t.name, body, dry_run=dry)
    return _success()


def _eviction(backend, req: Request, t: Target) -> Response:
    """POST policy/v1 (or v1beta1) Eviction: 201 and a Success Status, or the 429 of a budget
    (details.causes says which; retryAfterSeconds while the budget is being processed)."""
    from minikctl.api import eviction
    from minikctl.api.errors import TooManyRequests
    from minikctl.apiserver.handlers import _dry_run

    body = _body(req, {"Eviction": ("policy/v1", "policy/v1beta1")})
    if body["metadata"].get("name", "") != t.name:
        raise BadRequest("name in URL does not match name in Eviction object")
    opts = body.get("deleteOptions") if isinstance(body.get("deleteOptions"), dict) else {}
    grace = opts.get("gracePeriodSeconds")
    if grace is not None and (isinstance(grace, bool) or not isinstance(grace, int)):
        raise BadRequest("deleteOptions.gracePeriodSeconds must be an integer")
    dry = _dry_run(req) or opts.get("dryRun") == ["All"]
    s = backend._fresh()
    try:
        with s.write(dry_run=dry) as api:
            pre = opts.get("preconditions") or {}
            if pre:
                _preconditions(api, t, pre)
            eviction.evict(api, t.namespace or "", t.name, grace, dry_run=dry)
    except TooManyRequests as e:
        details: dict = {}
        causes = getattr(e, "causes", None)
        retry = getattr(e, "retry_after", 0)
        if retry:
            details["retryAfterSeconds"] = retry
        if causes:
            details["causes"] = causes
        return status_response(429, "TooManyRequests", e.message, details,
                               headers=[("Retry-After", str(retry))] if retry else None)
    return _success()


def _preconditions(api, t: Target, pre: dict) -> None:
    from minikctl.api.errors import Conflict

    pod = api.get("pods", t.namespace or "", t.name)
    meta = pod["metadata"]
    if pre.get("uid") and pre["uid"] != meta.get("uid"):
        raise Conflict(f'Operation cannot be fulfilled on pods "{t.name}": Precondition failed: UID in precondition: '
                       f"{pre['uid']}, UID in object meta: {meta.get('uid')}")
    if pre.get("resourceVersion") and pre["resourceVersion"] != meta.get("resourceVersion"):
        raise Conflict(f'Operation cannot be fulfilled on pods "{t.name}": Precondition failed: ResourceVersion in '
                       f"precondition: {pre['resourceVersion']}, ResourceVersion in object meta: "
                       f"{meta.get('resourceVersion')}")


def _ephemeral(backend, req: Request, t: Target) -> Response:
    """GET the pod; PUT a pod or PATCH it (strategic merge, merge or JSON patch): of the result,
    only spec.ephemeralContainers counts (EphemeralContainersREST.Update)."""
    from minikctl.api import ephemeral
    from minikctl.apiserver.handlers import _dry_run, _get, _patch_type

    ns = t.namespace or ""
    if req.method == "GET":
        return _get(backend, req, t)
    dry = _dry_run(req)
    s = backend._fresh()
    with s.write(dry_run=dry) as api:
        live = api.get("pods", ns, t.name)
        if req.method == "PUT":
            new = _body(req, {"Pod": ("v1",)})
            if new["metadata"].get("name") and new["metadata"]["name"] != t.name:
                raise BadRequest(f"the name of the object ({new['metadata']['name']}) does not match the name on "
                                 f"the URL ({t.name})")
            rv = new["metadata"].get("resourceVersion")
            if rv and rv != live["metadata"].get("resourceVersion"):
                from minikctl.api.errors import Conflict

                raise Conflict.of("pods", t.name)
        else:
            from minikctl.cli.cmd_patch import apply_patch, decode_patch

            pt = _patch_type(req, t)
            new = apply_patch(live, pt, decode_patch(pt, req.body.decode("utf-8", "replace")), "Pod")
        spec = new.get("spec") if isinstance(new, dict) and isinstance(new.get("spec"), dict) else {}
        pod = ephemeral.replace(api, ns, t.name, spec.get("ephemeralContainers") or [], dry_run=dry)
    return Response(200, pod)
