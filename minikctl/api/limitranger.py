"""The LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go, 1.32).

Mutating (on pod create, before validation): every container and init container gets the
namespace's LimitRanges' Container ``default`` limits and ``defaultRequest`` requests for the
resources it does not state, and the pod is annotated
``kubernetes.io/limit-ranger: LimitRanger plugin set: cpu request for container web; ...``
(mergePodResourceRequirements).

Validating (after validation; pods on create, PersistentVolumeClaims on create and update):
min, max and maxLimitRequestRatio per Container, per Pod (the containers summed) and per
PersistentVolumeClaim (storage), each failure in kube-apiserver's words, aggregated
(``[a, b]`` when more than one) into ``pods "x" is forbidden: ...`` for the first
LimitRange that refuses.

The namespace's LimitRanges are read once per transaction (an indexed list of a handful of
objects), as the plugin's informer cache holds them.
"""

from __future__ import annotations

from minikctl.printers.describe.quantity import Quantity, parse_quantity, quantity_string

ANNOTATION = "kubernetes.io/limit-ranger"
_CACHE = "_limit_ranges"
MAX_MILLI_VALUE = (2**63 - 1) // 1000  # resource.MaxMilliValue


def forget(api, namespace: str) -> None:
    cache = api.__dict__.get(_CACHE)
    if cache:
        cache.pop(namespace, None)


def limit_ranges(api, namespace: str) -> list[dict]:
    cache = api.__dict__.setdefault(_CACHE, {})
    lrs = cache.get(namespace)
    if lrs is None:
        lrs = cache[namespace] = [o for o in (api.store.get("limitranges", namespace, n)
                                              for n in sorted(api.store.names("limitranges", namespace)))
                                  if o is not None]
    return lrs


def _items(lr: dict) -> list[dict]:
    return [i for i in ((lr.get("spec") or {}).get("limits") or ()) if isinstance(i, dict)]


def _rl(m) -> dict:
    return dict(m) if isinstance(m, dict) else {}


# ------------------------------------------------------------------- mutating
def mutate_pod(api, pod: dict) -> None:
    meta = pod.get("metadata") or {}
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    for lr in limit_ranges(api, meta.get("namespace") or "default"):
        requests, limits = {}, {}
        for item in _items(lr):
            if item.get("type") == "Container":
                requests.update(_rl(item.get("defaultRequest")))
                limits.update(_rl(item.get("default")))
        annotations = []
        for key, what in (("containers", "container"), ("initContainers", "init container")):
            for c in spec.get(key) or ():
                if isinstance(c, dict):
                    annotations += _merge(c, requests, limits, what)
        if annotations:
            ann = meta.setdefault("annotations", {})
            if isinstance(ann, dict):
                ann[ANNOTATION] = "LimitRanger plugin set: " + "; ".join(annotations)
            pod["metadata"] = meta


def _merge(c: dict, requests: dict, limits: dict, what: str) -> list[str]:
    """mergeContainerResources."""
    if not requests and not limits:
        return []
    res = c.get("resources")
    if not isinstance(res, dict):
        res = c["resources"] = {}
    lim = res.get("limits") if isinstance(res.get("limits"), dict) else {}
    req = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    set_limits = [k for k in limits if k not in lim]
    set_requests = [k for k in requests if k not in req]
    for k in set_limits:
        lim[k] = limits[k]
    for k in set_requests:
        req[k] = requests[k]
    if lim:
        res["limits"] = lim
    if req:
        res["requests"] = req
    out = []
    name = c.get("name") or ""
    if set_requests:
        out.append(", ".join(sorted(set_requests)) + f" request for {what} {name}")
    if set_limits:
        out.append(", ".join(sorted(set_limits)) + f" limit for {what} {name}")
    return out


# ----------------------------------------------------------------- validating
def _values(req, lim, enforced) -> tuple[int, int, int]:
    """requestLimitEnforcedValues: milli-values when none overflows."""
    r = req.value_int() if req is not None else 0
    li = lim.value_int() if lim is not None else 0
    e = enforced.value_int()
    if r <= MAX_MILLI_VALUE and li <= MAX_MILLI_VALUE and e <= MAX_MILLI_VALUE:
        r = req.milli_value() if req is not None else 0
        li = lim.milli_value() if lim is not None else 0
        e = enforced.milli_value()
    return r, li, e


def _s(x: Quantity) -> str:
    return quantity_string(x)


def min_constraint(ltype: str, name: str, enforced: Quantity, request: dict, limit: dict) -> str | None:
    req, lim = request.get(name), limit.get(name)
    r, li, e = _values(req, lim, enforced)
    if req is None:
        return f"minimum {name} usage per {ltype} is {_s(enforced)}.  No request is specified"
    if r < e:
        return f"minimum {name} usage per {ltype} is {_s(enforced)}, but request is {_s(req)}"
    if lim is not None and li < e:
        return f"minimum {name} usage per {ltype} is {_s(enforced)}, but limit is {_s(lim)}"
    return None


def max_request_constraint(ltype: str, name: str, enforced: Quantity, request: dict) -> str | None:
    req = request.get(name)
    r, _, e = _values(req, None, enforced)
    if req is None:
        return f"maximum {name} usage per {ltype} is {_s(enforced)}.  No request is specified"
    if r > e:
        return f"maximum {name} usage per {ltype} is {_s(enforced)}, but request is {_s(req)}"
    return None


def max_constraint(ltype: str, name: str, enforced: Quantity, request: dict, limit: dict) -> str | None:
    req, lim = request.get(name), limit.get(name)
    r, li, e = _values(req, lim, enforced)
    if lim is None:
        return f"maximum {name} usage per {ltype} is {_s(enforced)}.  No limit is specified"
    if li > e:
        return f"maximum {name} usage per {ltype} is {_s(enforced)}, but limit is {_s(lim)}"
    if req is not None and r > e:
        return f"maximum {name} usage per {ltype} is {_s(enforced)}, but request is {_s(req)}"
    return None


def ratio_constraint(ltype: str, name: str, enforced: Quantity, request: dict, limit: dict) -> str | None:
    req, lim = request.get(name), limit.get(name)
    r, li, _ = _values(req, lim, enforced)
    if req is None or r == 0:
        return (f"{name} max limit to request ratio per {ltype} is {_s(enforced)}, "
                "but no request is specified or request is 0")
    if lim is None or li == 0:
        return (f"{name} max limit to request ratio per {ltype} is {_s(enforced)}, "
                "but no limit is specified or limit is 0")
    observed = li / r
    display = observed
    max_ratio = float(enforced.value_int())
    if enforced.value_int() <= MAX_MILLI_VALUE:
        observed *= 1000
        max_ratio = float(enforced.milli_value())
    if observed > max_ratio:
        return (f"{name} max limit to request ratio per {ltype} is {_s(enforced)}, "
                f"but provided ratio is {display:f}")
    return None


def _q(m) -> dict:
    return {k: parse_quantity(v) for k, v in m.items()} if isinstance(m, dict) else {}


def _container_rl(c: dict, field: str) -> dict:
    res = c.get("resources") if isinstance(c.get("resources"), dict) else {}
    return _q(res.get(field))


def aggregate(errs: list[str]) -> str:
    """utilerrors.NewAggregate(errs).Error(): duplicates once; brackets around two or more."""
    seen: list[str] = []
    for e in errs:
        if e not in seen:
            seen.append(e)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


def _check(ltype: str, item: dict, request: dict, limit: dict, errs: list[str]) -> None:
    for k, v in sorted(_q(item.get("min")).items()):
        e = min_constraint(ltype, k, v, request, limit)
        if e:
            errs.append(e)
    for k, v in sorted(_q(item.get("max")).items()):
        e = max_constraint(ltype, k, v, request, limit)
        if e:
            errs.append(e)
    for k, v in sorted(_q(item.get("maxLimitRequestRatio")).items()):
        e = ratio_constraint(ltype, k, v, request, limit)
        if e:
            errs.append(e)


def validate_pod(lr: dict, pod: dict) -> list[str]:
    """PodValidateLimitFunc."""
    from minikctl.api.quota import pod_resource_list

    errs: list[str] = []
    spec = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
    for item in _items(lr):
        ltype = item.get("type")
        if ltype == "Container":
            for key in ("containers", "initContainers"):
                for c in spec.get(key) or ():
                    if isinstance(c, dict):
                        _check(ltype, item, _container_rl(c, "requests"), _container_rl(c, "limits"), errs)
        elif ltype == "Pod":
            _check(ltype, item, pod_resource_list(pod, "requests"), pod_resource_list(pod, "limits"), errs)
    return errs


def validate_pvc(lr: dict, pvc: dict) -> list[str]:
    """PersistentVolumeClaimValidateLimitFunc."""
    errs: list[str] = []
    spec = pvc.get("spec") if isinstance(pvc.get("spec"), dict) else {}
    requests = _q((spec.get("resources") or {}).get("requests") if isinstance(spec.get("resources"), dict) else None)
    for item in _items(lr):
        ltype = item.get("type")
        if ltype != "PersistentVolumeClaim":
            continue
        for k, v in sorted(_q(item.get("min")).items()):
            e = min_constraint(ltype, k, v, requests, {})
            if e:
                errs.append(e)
        for k, v in sorted(_q(item.get("max")).items()):
            e = max_request_constraint(ltype, k, v, requests)
            if e:
                errs.append(e)
    return errs


def admit(api, kind, obj: dict, old: dict | None) -> None:
    """LimitRanger.Validate: pods on create, claims on create and update."""
    if kind.kind == "Pod":
        if old is not None:
            return
        check = validate_pod
    elif kind.kind == "PersistentVolumeClaim":
        check = validate_pvc
    else:
        return
    meta = obj.get("metadata") or {}
    for lr in limit_ranges(api, meta.get("namespace") or "default"):
        errs = check(lr, obj)
        if errs:
            from minikctl.api.errors import Forbidden
            from minikctl.api.quota import forbidden_name

            raise Forbidden(f'{kind.group_resource} "{forbidden_name(obj)}" is forbidden: {aggregate(errs)}')
