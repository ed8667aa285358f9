"""ResourceQuota: what objects use, the admission check, and the usage bookkeeping.

- Usage evaluators (pkg/quota/v1/evaluator/core: pods.go, services.go,
  persistent_volume_claims.go; staging/src/k8s.io/apiserver/pkg/quota/v1/generic for
  ``count/<resource>.<group>`` and the legacy names configmaps, secrets,
  replicationcontrollers, resourcequotas): ``usage(kind, obj)``.
- The ResourceQuota admission plugin's CheckRequest
  (staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go), run after
  validation as kube-apiserver runs validating admission: ``admit(api, kind, obj, old)``
  raises Forbidden with kube-apiserver's words (``exceeded quota: q, requested: pods=1,
  used: pods=2, limited: pods=2``, ``failed quota: q: must specify limits.cpu for: web``,
  ``status unknown for quota: q, resources: pods``).
- Bookkeeping: kube-apiserver's admission writes the new usage into the quota's
  status.used when it admits an object, and the resource quota controller
  (pkg/controller/resourcequota) gives usage back when objects go or end (replenishment)
  and recalculates all of it when a quota changes. Here the first two are one step:
  every write of an object of a namespace with quotas moves the quota's used by the
  difference between the object's usage before and after (``observe``, from the object
  API's save and delete), so a check never counts objects: it reads status.used (O(1) per
  quota of the namespace). The controller (minikctl.controllers.resourcequota) does the
  full recalculation when a quota is created or its spec changes, as upstream does.

Not modelled: a pod stuck terminating past its grace period still counts until it is gone
(QuotaV1Pod lets it go after deletionTimestamp + grace); the CrossNamespacePodAffinity scope
matches no pod; the AdmissionConfiguration's limitedResources (none by default).
"""

from __future__ import annotations

from fractions import Fraction

from minikctl.printers.describe.quantity import Quantity, parse_quantity, quantity_string

# pods.go podResources
POD_RESOURCES = ("count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                 "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods")
_POD_PREFIXES = ("hugepages-", "requests.hugepages-")
# pods.go validationSet: quota on these makes every container state them
_VALIDATION_SET = ("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
SERVICE_RESOURCES = ("count/services", "services", "services.loadbalancers", "services.nodeports")
PVC_RESOURCES = ("persistentvolumeclaims", "count/persistentvolumeclaims", "requests.storage")
_SC_SUFFIX = ".storageclass.storage.k8s.io/"
# generic object-count evaluators with a legacy name (pkg/quota/v1/evaluator/core/registry.go)
_LEGACY = {"configmaps": "configmaps", "secrets": "secrets", "replicationcontrollers": "replicationcontrollers",
           "resourcequotas": "resourcequotas"}
_NATIVE_PREFIX = "kubernetes.io/"
SCOPES = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
          "CrossNamespacePodAffinity")
_CACHE = "_quota_names"
_UNTRACKED = ("events",)  # every other namespaced resource can be counted (count/<resource>.<group>)


# --------------------------------------------------------------- resource lists
def q(v) -> Quantity:
    return parse_quantity(v)


def qstr(v) -> str:
    return quantity_string(v if isinstance(v, Quantity) else parse_quantity(v))


def _copy(x: Quantity) -> Quantity:
    return Quantity(x.value, x.format)


def _plus(a: Quantity, b: Quantity) -> Quantity:
    """Quantity.Add: the receiver keeps its format, unless it is zero (then it takes the other's)."""
    return Quantity(a.value + b.value, b.format if a.value == 0 else a.format)


def _minus(a: Quantity, b: Quantity) -> Quantity:
    return Quantity(a.value - b.value, b.format if a.value == 0 else a.format)


def add(a: dict, b: dict) -> dict:
    """quota.Add."""
    out = {k: (_plus(v, b[k]) if k in b else _copy(v)) for k, v in a.items()}
    for k, v in b.items():
        if k not in out:
            out[k] = _copy(v)
    return out


def subtract(a: dict, b: dict) -> dict:
    """quota.Subtract."""
    out = {k: (_minus(v, b[k]) if k in b else _copy(v)) for k, v in a.items()}
    for k, v in b.items():
        if k not in out:
            out[k] = Quantity(-v.value, v.format)
    return out


def mask(a: dict, names) -> dict:
    names = set(names)
    return {k: v for k, v in a.items() if k in names}


def remove_zeros(a: dict) -> dict:
    return {k: v for k, v in a.items() if v.value != 0}


def to_json(rl: dict) -> dict:
    return {k: qstr(rl[k]) for k in sorted(rl)}


def from_json(m) -> dict:
    return {k: q(v) for k, v in (m or {}).items()} if isinstance(m, dict) else {}


def pretty(rl: dict) -> str:
    """prettyPrint: name=value, sorted, joined by ','."""
    return ",".join(f"{k}={qstr(rl[k])}" for k in sorted(rl))


# ------------------------------------------------------------------- evaluators
def _one() -> Quantity:
    return Quantity(1, "DecimalSI")


def _resources(c, field: str) -> dict:
    res = c.get("resources") if isinstance(c, dict) else None
    rl = res.get(field) if isinstance(res, dict) else None
    return {k: q(v) for k, v in rl.items()} if isinstance(rl, dict) else {}


def _max_into(into: dict, rl: dict) -> None:
    for k, v in rl.items():
        if k not in into or v.value > into[k].value:
            into[k] = _copy(v)


def pod_resource_list(pod: dict, field: str) -> dict:
    """resourcehelper.PodRequests / PodLimits as Quantities (containers summed, init
    containers by the max rule, restartable init containers added; overhead for requests)."""
    spec = pod.get("spec") if isinstance(pod.get("spec"), dict) else {}
    total: dict = {}
    for c in spec.get("containers") or ():
        total = add(total, _resources(c, field))
    sidecars: dict = {}
    init_max: dict = {}
    for c in spec.get("initContainers") or ():
        rl = _resources(c, field)
        if isinstance(c, dict) and c.get("restartPolicy") == "Always":
            total = add(total, rl)
            sidecars = add(sidecars, rl)
            rl = dict(sidecars)
        else:
            rl = add(rl, sidecars)
        _max_into(init_max, rl)
    _max_into(total, init_max)
    if field == "requests" and isinstance(spec.get("overhead"), dict):
        total = add(total, {k: q(v) for k, v in spec["overhead"].items()})
    return total


def _compute_usage(requests: dict, limits: dict) -> dict:
    """pods.go podComputeUsageHelper."""
    out = {"pods": _one()}
    for r in ("cpu", "memory", "ephemeral-storage"):
        if r in requests:
            out[r] = _copy(requests[r])
            out["requests." + r] = _copy(requests[r])
        if r in limits:
            out["limits." + r] = _copy(limits[r])
    for r, v in requests.items():
        if r.startswith("hugepages-"):
            out[r] = _copy(v)
            out["requests." + r] = _copy(v)
        elif _is_extended(r):
            out["requests." + r] = _copy(v)
    return out


def _is_extended(name: str) -> bool:
    """helper.IsExtendedResourceName: a qualified name outside kubernetes.io/ and not requests.*."""
    return "/" in name and not name.startswith(_NATIVE_PREFIX) and not name.startswith("requests.")


def pod_counts(pod: dict) -> bool:
    """QuotaV1Pod: a pod in a terminal phase is no longer charged (but count/pods still is)."""
    return ((pod.get("status") or {}).get("phase")) not in ("Succeeded", "Failed")


def pod_usage(pod: dict) -> dict:
    """PodUsageFunc."""
    out = {"count/pods": _one()}
    if not pod_counts(pod):
        return out
    return add(out, _compute_usage(pod_resource_list(pod, "requests"), pod_resource_list(pod, "limits")))


def service_usage(svc: dict) -> dict:
    """services.go Usage."""
    spec = svc.get("spec") if isinstance(svc.get("spec"), dict) else {}
    ports = [p for p in spec.get("ports") or () if isinstance(p, dict)]
    out = {"services": _one(), "count/services": _one(), "services.loadbalancers": Quantity(0, "DecimalSI"),
           "services.nodeports": Quantity(0, "DecimalSI")}
    t = spec.get("type") or "ClusterIP"
    if t == "NodePort":
        out["services.nodeports"] = Quantity(len(ports), "DecimalSI")
    elif t == "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is False:
            out["services.nodeports"] = Quantity(sum(1 for p in ports if p.get("nodePort")), "DecimalSI")
        else:
            out["services.nodeports"] = Quantity(len(ports), "DecimalSI")
        out["services.loadbalancers"] = _one()
    return out


def pvc_usage(pvc: dict) -> dict:
    """persistent_volume_claims.go Usage: the claim, and its storage request (the larger of
    spec and status.allocatedResources), also per storage class."""
    spec = pvc.get("spec") if isinstance(pvc.get("spec"), dict) else {}
    out = {"persistentvolumeclaims": _one(), "count/persistentvolumeclaims": _one()}
    cls = spec.get("storageClassName") or ""
    if cls:
        out[cls + _SC_SUFFIX + "persistentvolumeclaims"] = _one()
    req = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    alloc = (((pvc.get("status") or {}).get("allocatedResources")) or {}).get("storage")
    if req is not None or alloc is not None:
        r = q(req) if req is not None else None
        a = q(alloc) if alloc is not None else None
        storage = r if a is None or (r is not None and r.value >= a.value) else a
        out["requests.storage"] = _copy(storage)
        if cls:
            out[cls + _SC_SUFFIX + "requests.storage"] = _copy(storage)
    return out


def count_name(kind) -> str:
    """generic.ObjectCountQuotaResourceNameFor: count/<resource>[.<group>]."""
    return "count/" + kind.group_resource


def usage(kind, obj: dict) -> dict:
    if kind.kind == "Pod":
        return pod_usage(obj)
    if kind.kind == "Service":
        return service_usage(obj)
    if kind.kind == "PersistentVolumeClaim":
        return pvc_usage(obj)
    out = {count_name(kind): _one()}
    legacy = _LEGACY.get(kind.plural) if not kind.group else None
    if legacy:
        out[legacy] = _one()
    return out


def matching_resources(kind, names) -> list[str]:
    """Evaluator.MatchingResources: the quota resource names this kind's usage can fill."""
    if kind.kind == "Pod":
        return [n for n in names if n in POD_RESOURCES or n.startswith(_POD_PREFIXES)
                or (n.startswith("requests.") and _is_extended(n[len("requests."):]))]
    if kind.kind == "Service":
        return [n for n in names if n in SERVICE_RESOURCES]
    if kind.kind == "PersistentVolumeClaim":
        return [n for n in names if n in PVC_RESOURCES or (_SC_SUFFIX in n and n.split("/", 1)[1] in
                                                            ("persistentvolumeclaims", "requests.storage"))]
    own = {count_name(kind)}
    if not kind.group and kind.plural in _LEGACY:
        own.add(_LEGACY[kind.plural])
    return [n for n in names if n in own]


def handles_update(kind) -> bool:
    """Evaluator.Handles: pods and object counts are checked on create only; services and
    claims on updates too (a type change, a larger request)."""
    return kind.kind in ("Service", "PersistentVolumeClaim")


# ---------------------------------------------------------------------- scopes
def scope_selectors(quota: dict) -> list[dict]:
    """getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then spec.scopeSelector's."""
    spec = quota.get("spec") or {}
    out = [{"scopeName": s, "operator": "Exists"} for s in spec.get("scopes") or () if isinstance(s, str)]
    sel = spec.get("scopeSelector")
    if isinstance(sel, dict):
        out += [e for e in sel.get("matchExpressions") or () if isinstance(e, dict)]
    return out


def _pod_matches_scope(sel: dict, pod: dict) -> bool:
    """pods.go podMatchesScopeFunc."""
    from minikctl.kubelet.resources import qos_class

    spec = pod.get("spec") or {}
    name = sel.get("scopeName")
    if name in ("Terminating", "NotTerminating"):
        ads = spec.get("activeDeadlineSeconds")
        terminating = isinstance(ads, int) and not isinstance(ads, bool) and ads >= 0
        return terminating if name == "Terminating" else not terminating
    if name in ("BestEffort", "NotBestEffort"):
        best = qos_class(pod) == "BestEffort"
        return best if name == "BestEffort" else not best
    if name == "PriorityClass":
        pc = spec.get("priorityClassName") or ""
        op = sel.get("operator")
        values = [v for v in sel.get("values") or () if isinstance(v, str)]
        if op == "Exists":
            return bool(pc)
        if op == "DoesNotExist":
            return not pc
        if op == "In":
            return bool(pc) and pc in values
        if op == "NotIn":
            return not pc or pc not in values
        return False
    return False


def matches(kind, quota: dict, obj: dict) -> bool:
    """generic.Matches: the quota's status.hard names something this kind uses, and every
    scope matches (only pods have scopes; a scoped quota matches nothing else)."""
    hard = ((quota.get("status") or {}).get("hard")) or {}
    if not matching_resources(kind, list(hard)):
        return False
    for sel in scope_selectors(quota):
        if kind.kind != "Pod" or not _pod_matches_scope(sel, obj):
            return False
    return True


def _constraints(kind, required: list[str], obj: dict) -> str | None:
    """podEvaluator.Constraints: with cpu or memory quota'd, every container must state it."""
    if kind.kind != "Pod":
        return None
    need = set(required) & set(_VALIDATION_SET)
    if not need:
        return None
    missing: dict[str, set] = {}
    spec = obj.get("spec") or {}
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or ():
            if not isinstance(c, dict):
                continue
            have = set(_compute_usage(_resources(c, "requests"), _resources(c, "limits")))
            for r in need - have:
                missing.setdefault(r, set()).add(c.get("name") or "")
    if not missing:
        return None
    return "must specify " + "; ".join(f"{r} for: {','.join(sorted(missing[r]))}" for r in sorted(missing))


# ------------------------------------------------------------------- admission
class _Quotas:
    """The quotas of the namespaces this transaction touched, as the admission plugin's
    informer cache holds them: each namespace's quotas read once (one indexed listing), then
    kept as working copies whose status.used moves with every write (``observe``) and is
    written back once, when the controllers' queue drains (``flush``): a bulk create of 1,000
    pods writes its quota once, not 1,000 times. A quota written by anyone else (the
    controller's recalculation, a user's edit) replaces its working copy."""

    __slots__ = ("by_ns", "dirty")

    def __init__(self):
        self.by_ns: dict[str, dict[str, dict]] = {}
        self.dirty: set[tuple[str, str]] = set()

    def of(self, api, ns: str) -> dict[str, dict]:
        quotas = self.by_ns.get(ns)
        if quotas is None:
            quotas = {}
            for name in sorted(api.store.names("resourcequotas", ns)):
                o = api.store.get("resourcequotas", ns, name)
                if o is not None:
                    quotas[name] = o
            self.by_ns[ns] = quotas
        return quotas


def _cache(api) -> _Quotas:
    c = api.__dict__.get(_CACHE)
    if c is None:
        c = api.__dict__[_CACHE] = _Quotas()
    return c


def quota_names(api, ns: str) -> list[str]:
    return list(_cache(api).of(api, ns))


def _quotas(api, ns: str) -> list[dict]:
    return list(_cache(api).of(api, ns).values())


def flush(api) -> None:
    """Write the working copies whose usage moved (a DRAINED hook: once per drained queue)."""
    c = api.__dict__.get(_CACHE)
    if c is None or not c.dirty:
        return
    dirty, c.dirty = sorted(c.dirty), set()
    freed = False
    for ns, name in dirty:
        work = (c.by_ns.get(ns) or {}).get(name)
        cur = api.store.get("resourcequotas", ns, name)
        if work is None or cur is None:
            continue
        old_used = from_json((cur.get("status") or {}).get("used"))
        new_used = from_json((work.get("status") or {}).get("used"))
        freed = freed or any(v.value < old_used[k].value for k, v in new_used.items() if k in old_used)
        cur["status"] = work.get("status") or {}
        api.update_status(cur)
        if freed:
            from minikctl.controllers import resourcequota

            resourcequota.room_freed(api, ns)
            freed = False


def forbidden_name(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return meta.get("name") or meta.get("generateName") or "Unknown"


def admit(api, kind, obj: dict, old: dict | None) -> None:
    """CheckRequest for a create (old None) or an update; raises Forbidden."""
    if kind.plural in _UNTRACKED or not kind.namespaced:
        return
    if old is not None and not handles_update(kind):
        return
    ns = (obj.get("metadata") or {}).get("namespace") or ""
    if not quota_names(api, ns):
        return
    from minikctl.api.errors import Forbidden

    prefix = f'{kind.group_resource} "{forbidden_name(obj)}" is forbidden: '
    quotas = _quotas(api, ns)
    interesting = []
    for quota in quotas:
        if not matches(kind, quota, obj):
            continue
        st = quota.get("status") or {}
        hard_names = list(st.get("hard") or {})
        restricted = matching_resources(kind, hard_names)
        err = _constraints(kind, restricted, obj)
        qname = quota["metadata"]["name"]
        if err:
            raise Forbidden(prefix + f"failed quota: {qname}: {err}")
        used = st.get("used") or {}
        if any(r not in used for r in restricted):
            raise Forbidden(prefix + f"status unknown for quota: {qname}, resources: {','.join(sorted(restricted))}")
        interesting.append(quota)
    if not interesting:
        return
    new_use = usage(kind, obj)
    negative = sorted(k for k, v in new_use.items() if v.value < 0)
    if negative:
        raise Forbidden(prefix + f"quota usage is negative for resource(s): {','.join(negative)}")
    for quota in interesting:
        delta = new_use
        if old is not None and matches(kind, quota, old):
            # SubtractWithNonNegativeResult
            delta = {k: (v if v.value > 0 else Quantity(0, v.format))
                     for k, v in subtract(new_use, usage(kind, old)).items()}
        st = quota.get("status") or {}
        hard = from_json(st.get("hard"))
        requested = remove_zeros(mask(delta, hard))
        if not requested:
            continue
        used = from_json(st.get("used"))
        new_used = mask(add(used, requested), requested)
        exceeded = sorted(k for k, v in new_used.items() if k in hard and v.value > hard[k].value)
        if exceeded:
            raise Forbidden(prefix + "exceeded quota: %s, requested: %s, used: %s, limited: %s" % (
                quota["metadata"]["name"], pretty(mask(requested, exceeded)), pretty(mask(used, exceeded)),
                pretty(mask(hard, exceeded))))


# ----------------------------------------------------------------- bookkeeping
def _unchanged(kind, old: dict | None, new: dict | None) -> bool:
    """The write cannot move any usage: both versions exist and what usage reads is the same."""
    if old is None or new is None:
        return False
    if kind.kind == "Pod":
        return old.get("spec") == new.get("spec") and \
            (old.get("status") or {}).get("phase") == (new.get("status") or {}).get("phase")
    if kind.kind == "Service":
        return old.get("spec") == new.get("spec")
    if kind.kind == "PersistentVolumeClaim":
        return old.get("spec") == new.get("spec") and \
            (old.get("status") or {}).get("allocatedResources") == (new.get("status") or {}).get("allocatedResources")
    return True  # an object count moves only on create and delete


def observe(api, kind, old: dict | None, new: dict | None) -> None:
    """An object of a namespace was saved (old -> new) or deleted (new None): move every
    matching quota's status.used by the difference. Quotas the controller has not synced
    yet (no status.hard) are left to its recalculation."""
    obj = new if new is not None else old
    if obj is None or kind.plural in _UNTRACKED:
        return
    ns = (obj.get("metadata") or {}).get("namespace") or ""
    c = _cache(api)
    if kind.kind == "ResourceQuota":
        quotas = c.by_ns.get(ns)
        if quotas is not None:
            name = obj["metadata"]["name"]
            work = quotas.get(name)
            if new is None:
                quotas.pop(name, None)
                c.dirty.discard((ns, name))
            elif (ns, name) in c.dirty and work is not None and old is not None \
                    and new.get("status") == old.get("status"):
                # a spec edit (the status kept) while usage is pending: keep the pending usage
                quotas[name] = {**new, "status": work.get("status") or {}}
            else:  # a new status (the controller's recalculation, our flush) is the truth
                quotas[name] = new
                c.dirty.discard((ns, name))
    if _unchanged(kind, old, new):
        return
    quotas = c.of(api, ns)
    if not quotas:
        return
    for name, quota in quotas.items():
        st = quota.get("status") or {}
        hard = st.get("hard")
        if not hard or "used" not in st:
            continue
        before = usage(kind, old) if old is not None and matches(kind, quota, old) else {}
        after = usage(kind, new) if new is not None and matches(kind, quota, new) else {}
        delta = remove_zeros(mask(subtract(after, before), hard))
        if not delta:
            continue
        used = add(from_json(st.get("used")), delta)
        for k in used:
            if used[k].value < 0:  # never below zero (a recount would not give less)
                used[k] = Quantity(0, used[k].format)
        work = dict(quota)
        work["status"] = {**st, "used": to_json(mask(used, hard))}
        quotas[name] = work
        c.dirty.add((ns, name))


def recalculate(api, quota: dict) -> dict:
    """CalculateUsage over the namespace's objects (the controller's full sync)."""
    from minikctl.api import kinds as K

    ns = quota["metadata"]["namespace"]
    hard = from_json((quota.get("spec") or {}).get("hard"))
    names = list(hard)
    fake = {"status": {"hard": quota.get("spec", {}).get("hard") or {}}, "spec": quota.get("spec") or {}}
    used: dict = {}
    for kind in K.KINDS:
        if not kind.namespaced or kind.plural in _UNTRACKED:
            continue
        matched = matching_resources(kind, names)
        if not matched:
            continue
        for n in matched:
            used.setdefault(n, Quantity(0, "DecimalSI"))
        for o in api.list(kind.plural, ns):
            if matches(kind, fake, o):
                used = add(used, mask(usage(kind, o), matched))
    for n in names:
        used.setdefault(n, Quantity(0, "DecimalSI"))
    return {"hard": to_json(hard), "used": to_json(mask(used, names))}


def frac(x: Quantity) -> Fraction:
    return x.value
