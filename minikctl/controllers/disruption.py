"""The disruption controller (issue 11): a PodDisruptionBudget's status.

pkg/controller/disruption/disruption.go (Kubernetes 1.32) trySync: the pods its selector
picks in its namespace (a nil selector picks none, an empty one all); the expected count
(an integer minAvailable: the pods found; a percentage or maxUnavailable: the sum of the
scales of their controllers, found as getExpectedScale's finders find them: ReplicaSet (or
its Deployment), ReplicationController, StatefulSet, else "does not implement the scale
subresource"); desiredHealthy; currentHealthy (ready pods not being deleted and not in
disruptedPods); disruptionsAllowed = currentHealthy - desiredHealthy, 0 when no pod is
expected; the DisruptionAllowed condition (SufficientPods / InsufficientPods, or
SyncFailed through failSafe); observedGeneration; and its events (NoPods, UnmanagedPods,
CalculateExpectedPodCountFailed).

A pod's change syncs the budgets of its namespace whose selector picks it (before or after
the change), a budget's change syncs that budget, as the controller's informers do.
"""

from __future__ import annotations

from minikctl.controllers import replication as R

WORK = "~disruption"
SOURCE = "controllermanager"  # the disruption controller's recorder (record.EventSource{Component: "controllermanager"})
DELETION_TIMEOUT = 120.0  # DeletionTimeout: 2 minutes for an evicted pod to go


def _budgets(api, namespace: str) -> list[tuple[str, object]]:
    """The budgets of a namespace as (name, selector), cached for the transaction (a pod
    change costs a dict lookup, not a store query) until a budget changes."""
    cache = api.__dict__.setdefault("_pdb_selectors", {})
    got = cache.get(namespace)
    if got is None:
        got = cache[namespace] = [(p["metadata"]["name"], (p.get("spec") or {}).get("selector"))
                                  for p in api.list("poddisruptionbudgets", namespace)]
    return got


def on_pdb(api, namespace: str, name: str) -> None:
    api.__dict__.get("_pdb_selectors", {}).pop(namespace, None)
    api._enqueue(WORK, namespace, name)


def on_pod(api, namespace: str, name: str) -> None:
    budgets = _budgets(api, namespace)
    if not budgets:
        return
    from minikctl.api.selectors import label_selector_matches

    for p in (api.try_get("pods", namespace, name), api.previous):
        if p is None:
            continue
        labels = (p.get("metadata") or {}).get("labels") or {}
        for pdb_name, sel in budgets:
            if label_selector_matches(sel, labels):
                api._enqueue(WORK, namespace, pdb_name)


def _selector_string(sel) -> str:
    """labels.Selector String() of metav1.LabelSelectorAsSelector: requirements sorted by key."""
    sel = sel if isinstance(sel, dict) else {}
    reqs: list[tuple[str, str]] = []
    for k, v in (sel.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    for e in sel.get("matchExpressions") or ():
        k, op, vals = e.get("key", ""), e.get("operator"), sorted(e.get("values") or ())
        if op == "In":
            reqs.append((k, f"{k} in ({','.join(vals)})"))
        elif op == "NotIn":
            reqs.append((k, f"{k} notin ({','.join(vals)})"))
        elif op == "Exists":
            reqs.append((k, k))
        elif op == "DoesNotExist":
            reqs.append((k, f"!{k}"))
    return ",".join(text for _, text in sorted(reqs, key=lambda r: r[0]))


def scaled_value(v, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if isinstance(v, str):
        if not v.endswith("%"):
            raise ValueError(f"invalid value for IntOrString: invalid value {v!r}")
        try:
            pct = int(v[:-1])
        except ValueError:
            raise ValueError(f"invalid value for IntOrString: invalid value {v!r}") from None
        num = pct * total
        return -(-num // 100) if round_up else num // 100
    return int(v or 0)


class _ScaleError(Exception):
    pass


def _controller_scale(api, ref: dict, namespace: str) -> tuple[str, int] | None:
    """The finders of getExpectedScale, in their order: (uid, replicas) or None."""
    kind, name, uid = ref.get("kind"), ref.get("name", ""), ref.get("uid")
    group = (ref.get("apiVersion") or "").rpartition("/")[0]
    if kind == "ReplicaSet" and group == "apps":
        rs = api.try_get("replicasets", namespace, name)
        if rs is None or rs["metadata"].get("uid") != uid:
            return None
        owner = R.controller_ref(rs)
        if owner is not None and owner.get("kind") == "Deployment" and \
                (owner.get("apiVersion") or "").startswith("apps/"):
            d = api.try_get("deployments", namespace, owner.get("name", ""))  # getPodDeployment
            if d is None or d["metadata"].get("uid") != owner.get("uid"):
                return None
            return d["metadata"]["uid"], int((d.get("spec") or {}).get("replicas") or 0)
        return rs["metadata"]["uid"], int((rs.get("spec") or {}).get("replicas") or 0)
    for k, g, resource in (("ReplicationController", "", "replicationcontrollers"),
                           ("StatefulSet", "apps", "statefulsets"), ("Deployment", "apps", "deployments")):
        if kind == k and group == g:
            obj = api.try_get(resource, namespace, name)
            if obj is None or obj["metadata"].get("uid") != uid:
                return None
            return uid, int((obj.get("spec") or {}).get("replicas") or 0)
    # getScaleController: kinds without a scale subresource
    from minikctl.api import kinds as K

    k = K.by_kind(kind or "")
    if k is None:
        raise _ScaleError(f'no matches for kind "{kind}" in group "{group}"')
    raise _ScaleError(f"{k.group_resource} does not implement the scale subresource")


def _expected_scale(api, pods: list[dict], namespace: str) -> tuple[int, list[str]]:
    scales: dict[str, int] = {}
    unmanaged: list[str] = []
    for pod in pods:
        ref = R.controller_ref(pod)
        if ref is None:
            unmanaged.append(pod["metadata"]["name"])
            continue
        if ref.get("uid") in scales:
            continue
        found = _controller_scale(api, ref, namespace)
        if found is None:
            raise _ScaleError(f'found no controllers for pod "{pod["metadata"]["name"]}"')
        scales[found[0]] = found[1]
    return sum(scales.values()), unmanaged


def expected_pod_count(api, pdb: dict, pods: list[dict]) -> tuple[int, int, list[str]]:
    """getExpectedPodCount: (expectedCount, desiredHealthy, unmanaged pod names)."""
    spec = pdb.get("spec") or {}
    ns = pdb["metadata"]["namespace"]
    expected = desired = 0
    unmanaged: list[str] = []
    if spec.get("maxUnavailable") is not None:
        expected, unmanaged = _expected_scale(api, pods, ns)
        desired = max(0, expected - scaled_value(spec["maxUnavailable"], expected, True))
    elif spec.get("minAvailable") is not None:
        v = spec["minAvailable"]
        if isinstance(v, str):
            expected, unmanaged = _expected_scale(api, pods, ns)
            desired = scaled_value(v, expected, True)
        else:
            desired, expected = int(v), len(pods)
    return expected, desired, unmanaged


def _time(s) -> float | None:
    return R._parse_time(s) if isinstance(s, str) else None


def sync(api, namespace: str, name: str) -> None:
    pdb = api.try_get("poddisruptionbudgets", namespace, name)
    if pdb is None or pdb["metadata"].get("deletionTimestamp"):
        return
    from minikctl.api.selectors import from_label_selector, label_selector_matches

    sel = (pdb.get("spec") or {}).get("selector")
    pods = []
    if isinstance(sel, dict):  # the label index narrows the list; the full selector decides
        pods = [p for p in api.list("pods", namespace, selector=from_label_selector(sel))
                if label_selector_matches(sel, (p.get("metadata") or {}).get("labels"))]
    if not pods:
        api.record_event(pdb, "Normal", "NoPods", "No matching pods found", SOURCE)
    try:
        expected, desired, unmanaged = expected_pod_count(api, pdb, pods)
    except _ScaleError as e:
        api.record_event(pdb, "Warning", "CalculateExpectedPodCountFailed",
                         f"Failed to calculate the number of expected pods: {e}", SOURCE)
        _fail_safe(api, pdb, str(e))
        return
    if unmanaged:
        api.record_event(pdb, "Warning", "UnmanagedPods",
                         f"Pods selected by this PodDisruptionBudget (selector: {_selector_string(sel)}) were found "
                         "to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which "
                         "may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" "
                         "field of the PDB to an integer value.", SOURCE)
    now = api.clock.timestamp()
    disrupted = _disrupted_pod_map(api, pods, pdb, now)
    healthy = 0
    for p in pods:
        if p["metadata"].get("deletionTimestamp"):
            continue
        t = _time(disrupted.get(p["metadata"]["name"]))
        if t is not None and t + DELETION_TIMEOUT > now:
            continue
        if R.is_pod_ready(p):
            healthy += 1
    _update_status(api, pdb, healthy, desired, expected, disrupted)


def _disrupted_pod_map(api, pods: list[dict], pdb: dict, now: float) -> dict:
    """buildDisruptedPodMap: the evicted pods not deleted yet, for at most DeletionTimeout."""
    old = (pdb.get("status") or {}).get("disruptedPods") or {}
    out: dict = {}
    if not old:
        return out
    for p in pods:
        meta = p["metadata"]
        if meta.get("deletionTimestamp") or meta["name"] not in old:
            continue
        t = _time(old[meta["name"]])
        if t is None or t + DELETION_TIMEOUT < now:
            api.record_event(p, "Warning", "NotDeleted", f"Pod was expected by PDB {pdb['metadata']['namespace']}/"
                             f"{pdb['metadata']['name']} to be deleted but it wasn't", SOURCE)
        else:
            out[meta["name"]] = old[meta["name"]]
    return out


def disruption_allowed_condition(status: dict, now: str) -> None:
    """pdbhelper.UpdateDisruptionAllowedCondition (apimeta.SetStatusCondition)."""
    if status.get("disruptionsAllowed", 0) > 0:
        _set_condition(status, "True", "SufficientPods", "", now)
    else:
        _set_condition(status, "False", "InsufficientPods", "", now)


def _set_condition(status: dict, value: str, reason: str, message: str, now: str) -> None:
    conds = [dict(c) for c in status.get("conditions") or ()]
    cur = next((c for c in conds if c.get("type") == "DisruptionAllowed"), None)
    if cur is None:
        cur = {"type": "DisruptionAllowed", "lastTransitionTime": now}
        conds.append(cur)
    elif cur.get("status") != value:
        cur["lastTransitionTime"] = now
    cur.update(status=value, reason=reason, message=message,
               observedGeneration=status.get("observedGeneration", 0))
    status["conditions"] = [{k: c[k] for k in sorted(c)} for c in conds]


def _update_status(api, pdb: dict, healthy: int, desired: int, expected: int, disrupted: dict) -> None:
    allowed = healthy - desired
    if expected <= 0 or allowed <= 0:
        allowed = 0
    gen = pdb["metadata"].get("generation", 1)
    old = pdb.get("status") or {}
    status = {"currentHealthy": healthy, "desiredHealthy": desired, "disruptionsAllowed": allowed,
              "expectedPods": expected, "observedGeneration": gen}
    if disrupted:
        status["disruptedPods"] = disrupted
    if old.get("conditions"):
        status["conditions"] = old["conditions"]
    disruption_allowed_condition(status, api.clock.rfc3339())
    if status == old:
        return
    new = dict(pdb)
    new["status"] = status
    api.update_status(new)


def _fail_safe(api, pdb: dict, message: str) -> None:
    """failSafe: no disruption allowed, the condition says why."""
    status = dict(pdb.get("status") or {})
    status["disruptionsAllowed"] = 0
    _set_condition(status, "False", "SyncFailed", message, api.clock.rfc3339())
    if status != (pdb.get("status") or {}):
        new = dict(pdb)
        new["status"] = status
        api.update_status(new)
