"""Two parts of the node lifecycle as Kubernetes 1.32 runs them:

* TaintNodesByCondition (pkg/controller/nodelifecycle/node_lifecycle_controller.go
  doNoScheduleTaintingPass): a node with spec.unschedulable (``cordon``) gets the
  ``node.kubernetes.io/unschedulable:NoSchedule`` taint, with timeAdded as
  controller.SwapNodeControllerTaint sets it, and loses it when uncordoned.
* The taint-eviction-controller (pkg/controller/tainteviction/taint_eviction.go,
  the NoExecuteTaintManager): a pod on a node with a NoExecute taint it does not
  tolerate is deleted at once; one that tolerates every NoExecute taint for a while
  (tolerationSeconds) is deleted when the shortest of them runs out on the cluster
  clock; the event is ``TaintManagerEviction`` "Marking for deletion Pod ns/name"
  (and "Cancelling deletion of Pod ns/name" when the taint goes first).

Scheduled evictions live in the store's meta table under EVICTIONS_META, as
{"ns/name": [created, fire_at, uid]}; the clock hook fires those that are due.
"""

from __future__ import annotations

import json

SOURCE = "taint-eviction-controller"
UNSCHEDULABLE_KEY = "node.kubernetes.io/unschedulable"
EVICTIONS_META = "controllers:taint-evictions"


# ------------------------------------------------------------------ helpers
def _load(api) -> dict:
    cached = getattr(api, "_taint_evictions", None)
    if cached is None:
        raw = api.store.meta_get(EVICTIONS_META)
        cached = json.loads(raw) if raw else {}
        api._taint_evictions = cached
    return cached


def _save(api, work: dict) -> None:
    api._taint_evictions = work
    if work:
        api.store.meta_set(EVICTIONS_META, json.dumps(work, sort_keys=True))
    else:
        api.store.meta_delete(EVICTIONS_META)


def _ref(namespace: str, name: str) -> dict:
    """The bare ObjectReference the taint manager records its events on (no uid)."""
    return {"kind": "Pod", "metadata": {"namespace": namespace, "name": name}}


def _cancel(api, namespace: str, name: str, event: bool = True) -> None:
    """cancelWorkWithEvent."""
    work = _load(api)
    key = f"{namespace}/{name}"
    if key in work:
        del work[key]
        _save(api, work)
        if event:
            api.record_event(_ref(namespace, name), "Normal", "TaintManagerEviction",
                             f"Cancelling deletion of Pod {key}", SOURCE)


def _min_toleration_time(used: list[dict]) -> float:
    """getMinTolerationTime: -1 means forever."""
    if not used:
        return 0
    best = None
    for t in used:
        s = t.get("tolerationSeconds")
        if s is not None:
            try:
                s = int(s)
            except (TypeError, ValueError):
                continue
            if s <= 0:
                return 0
            if best is None or s < best:
                best = s
    return -1 if best is None else best


def _evict(api, pod: dict) -> None:
    """deletePodHandler -> addConditionAndDeletePod, after emitPodDeletionEvent."""
    from minikctl.api.errors import ApiError

    meta = pod["metadata"]
    ns, name = meta["namespace"], meta["name"]
    api.record_event(_ref(ns, name), "Normal", "TaintManagerEviction", f"Marking for deletion Pod {ns}/{name}", SOURCE)
    try:
        api.delete("pods", ns, name)
    except ApiError:
        pass


def process_pod(api, pod: dict, node: dict | None) -> None:
    """processPodOnNode."""
    from minikctl.controllers.scheduler import toleration_tolerates

    meta = pod["metadata"]
    ns, name = meta["namespace"], meta["name"]
    taints = [t for t in ((node or {}).get("spec") or {}).get("taints") or () if t.get("effect") == "NoExecute"]
    if not taints:
        _cancel(api, ns, name)
        return
    tols = (pod.get("spec") or {}).get("tolerations") or []
    used: list[dict] = []
    for taint in taints:  # v1helper.GetMatchingTolerations
        match = next((t for t in tols if toleration_tolerates(t, taint)), None)
        if match is None:
            _cancel(api, ns, name)
            _evict(api, pod)
            return
        used.append(match)
    wait = _min_toleration_time(used)
    if wait < 0:
        _cancel(api, ns, name)
        return
    now = api.clock.timestamp()
    if wait == 0:
        _cancel(api, ns, name, event=False)
        _evict(api, pod)
        return
    work = _load(api)
    key = f"{ns}/{name}"
    start = now
    old = work.get(key)
    if old is not None:
        start = old[0]
        if start + wait < now + wait:
            return  # the eviction already scheduled comes first
        _cancel(api, ns, name)
        work = _load(api)
    work[key] = [start, start + wait, meta.get("uid")]
    _save(api, work)


# ------------------------------------------------------------------ watches
def _no_execute_nodes(api) -> set[str]:
    """Names of the nodes with a NoExecute taint, listed once per command (until a node changes)."""
    names = getattr(api, "_no_execute_nodes", None)
    if names is None:
        names = api._no_execute_nodes = {
            n["metadata"]["name"] for n in api.list("nodes")
            if any(t.get("effect") == "NoExecute" for t in (n.get("spec") or {}).get("taints") or ())}
    return names


def on_node(api, namespace: str, name: str) -> None:
    api._no_execute_nodes = None
    node = api.try_get("nodes", "", name)
    if node is None:
        return
    spec = node.get("spec") or {}
    taints = list(spec.get("taints") or [])
    has = any(t.get("key") == UNSCHEDULABLE_KEY and t.get("effect") == "NoSchedule" for t in taints)
    if bool(spec.get("unschedulable")) != has:
        if has:
            taints = [t for t in taints if not (t.get("key") == UNSCHEDULABLE_KEY and t.get("effect") == "NoSchedule")]
        else:
            taints.append({"key": UNSCHEDULABLE_KEY, "effect": "NoSchedule", "timeAdded": api.clock.rfc3339()})
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)
        node["spec"] = spec
        node = api.update(node, check_rv=False)  # queues the node again (then nothing is left to do)
    prev = api.previous
    if prev is not None and bool(((prev.get("spec") or {}).get("unschedulable"))) != bool(spec.get("unschedulable")):
        _kubelet_schedulable_event(api, name, bool(spec.get("unschedulable")))
    old_ne = [t for t in ((prev or {}).get("spec") or {}).get("taints") or () if t.get("effect") == "NoExecute"]
    new_ne = [t for t in taints if t.get("effect") == "NoExecute"]
    if prev is not None and old_ne == new_ne:
        return  # handleNodeUpdate: only a change of the NoExecute taints concerns the pods
    for pod in api.list("pods", None, node=name):
        if api.store.get("pods", pod["metadata"]["namespace"], pod["metadata"]["name"]) is not None:
            process_pod(api, pod, node)


def _kubelet_schedulable_event(api, node_name: str, unschedulable: bool) -> None:
    """The kubelet's node status setter (pkg/kubelet/nodestatus/setters.go SchedulableFunc,
    recordNodeStatusEvent): "Node NAME status is now: NodeNotSchedulable" on its nodeRef,
    whose uid is the node's name."""
    reason = "NodeNotSchedulable" if unschedulable else "NodeSchedulable"
    api.record_event({"kind": "Node", "_ref": True, "metadata": {"name": node_name, "uid": node_name}}, "Normal", reason,
                     f"Node {node_name} status is now: {reason}", "kubelet", node_name)


def on_pod(api, namespace: str, name: str) -> None:
    """handlePodUpdate: a pod bound to a node (or whose tolerations changed) is checked against its node."""
    if not _no_execute_nodes(api) and not _load(api):
        return  # no NoExecute taint anywhere and no eviction waiting: nothing to look at
    pod = api.try_get("pods", namespace, name)
    prev = api.previous
    if pod is None:
        _cancel(api, namespace, name, event=False)  # handlePodUpdate(nil): CancelWork
        return
    node_name = (pod.get("spec") or {}).get("nodeName")
    if not node_name or node_name not in _no_execute_nodes(api):
        return
    if prev is not None and (prev.get("spec") or {}).get("nodeName") == node_name \
            and (prev.get("spec") or {}).get("tolerations") == (pod.get("spec") or {}).get("tolerations"):
        return
    node = api.try_get("nodes", "", node_name)
    if node is None or not any(t.get("effect") == "NoExecute" for t in (node.get("spec") or {}).get("taints") or ()):
        return
    process_pod(api, pod, node)


def on_clock(api) -> None:
    """The clock moved: fire the scheduled evictions that are due."""
    raw = api.store.meta_get(EVICTIONS_META)
    if not raw:
        return
    api._taint_evictions = None
    work = _load(api)
    now = api.clock.timestamp()
    due = sorted((v[1], k) for k, v in work.items() if v[1] <= now)
    for _, key in due:
        entry = work.pop(key, None)
        _save(api, work)
        ns, name = key.split("/", 1)
        pod = api.try_get("pods", ns, name)
        if pod is None or (entry and entry[2] and pod["metadata"].get("uid") != entry[2]):
            continue
        _evict(api, pod)
        work = _load(api)
