"""default-scheduler: binds pods without spec.nodeName to a node.

After kube-scheduler's default profile, reduced to what the emulator models:
filters NodeUnschedulable, NodeName, TaintToleration (NoSchedule/NoExecute taints),
NodeAffinity (nodeSelector and required node affinity) and NodeResourcesFit (allocatable "pods",
110 on kind's nodes, and the pod's requests, as resourcehelper.PodRequests sums them, against
the node's allocatable less what its pods request); the score is "fewest
pods" (what NodeResourcesFit's LeastAllocated plus default topology spreading amount
to for BestEffort pods), ties broken by node name so runs are reproducible.

Pods no node can take wait in the store's scheduling queue (state/0003_scheduling_queue.sql,
kube-scheduler's unschedulable pods), in the order they first failed, and are tried again
when a node changes (all of them) or a bound pod goes (until one fits); a change of a
waiting pod's status alone is no reason to try it again (isPodUpdated). Every attempt costs
the same however many pods there are: see _Cache.

What each node's pods request is kept as kube-scheduler's cache keeps NodeInfo.Requested:
added when a pod is bound, taken away when it goes or ends (the scheduler's pod informer
leaves out Succeeded and Failed pods), one step per change (_Cache.charge), stored with the
command's writes (meta "scheduler:requested") and never recounted by listing a node's pods.

Messages are kube-scheduler 1.32's: the Scheduled event
(pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v") and, when no
node fits, FailedScheduling with framework.FitError's text
(pkg/scheduler/framework/types.go: reasons counted per node and sorted as strings) plus
DefaultPreemption's PostFilter message (pkg/scheduler/framework/preemption/preemption.go:
nodes failing for an UnschedulableAndUnresolvable reason "Preemption is not helpful for
scheduling"; nodes failing NodeResourcesFit (Unschedulable) "No preemption victims found for
incoming pod" (SelectVictimsOnNode: no pod of lower priority); preemptionPolicy Never: "not
eligible due to preemptionPolicy=Never."). A pod of higher priority than some bound pods runs
DefaultPreemption (minikctl.controllers.preemption): victims are evicted and it is nominated.
"""

from __future__ import annotations

import marshal

SOURCE = "default-scheduler"

# Filter plugins' reasons (pkg/scheduler/framework/plugins/*)
REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_TAINT = "node(s) had untolerated taint {%s: %s}"
REASON_TOO_MANY_PODS = "Too many pods"  # noderesources fit.go fitsRequest
REASON_INSUFFICIENT = "Insufficient %s"  # fit.go: "Insufficient cpu", "Insufficient memory", ...
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"  # preemption.go nodesWherePreemptionMightHelp
NO_VICTIMS = "No preemption victims found for incoming pod"  # default_preemption.go SelectVictimsOnNode
NOT_ELIGIBLE = "not eligible due to preemptionPolicy=Never."  # default_preemption.go PodEligibleToPreemptOthers
_NATIVE = ("cpu", "memory", "ephemeral-storage")
META_REQUESTED = "scheduler:requested"


# ----------------------------------------------------------------- predicates
def toleration_tolerates(tol: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint (staging/src/k8s.io/api/core/v1/toleration.go)."""
    if tol.get("effect") and tol.get("effect") != taint.get("effect"):
        return False
    if tol.get("key") and tol.get("key") != taint.get("key"):
        return False
    op = tol.get("operator") or "Equal"
    if op == "Exists":
        return True
    if op == "Equal":
        return (tol.get("value") or "") == (taint.get("value") or "")
    return False


def untolerated_taint(node: dict, tolerations: list) -> dict | None:
    """The first NoSchedule/NoExecute taint no toleration tolerates (tainttoleration Filter)."""
    for taint in (node.get("spec") or {}).get("taints") or ():
        if taint.get("effect") not in ("NoSchedule", "NoExecute"):
            continue
        if not any(toleration_tolerates(t, taint) for t in tolerations or ()):
            return taint
    return None


def _match_expression(expr: dict, labels: dict) -> bool:
    key, op, values = expr.get("key", ""), expr.get("operator"), expr.get("values") or []
    has = key in labels
    if op == "In":
        return has and labels[key] in values
    if op == "NotIn":
        return not has or labels[key] not in values
    if op == "Exists":
        return has
    if op == "DoesNotExist":
        return not has
    if op in ("Gt", "Lt"):
        try:
            a, b = int(labels[key]), int(values[0])
        except (KeyError, ValueError, IndexError):
            return False
        return a > b if op == "Gt" else a < b
    return False


def _match_fields(expr: dict, node: dict) -> bool:
    if expr.get("key") != "metadata.name":
        return False
    return _match_expression({**expr, "key": "n"}, {"n": node["metadata"]["name"]})


def matches_node_affinity(pod: dict, node: dict) -> bool:
    """nodeaffinity Filter: nodeSelector AND requiredDuringSchedulingIgnoredDuringExecution."""
    spec = pod.get("spec") or {}
    labels = node["metadata"].get("labels") or {}
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    req = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = req.get("nodeSelectorTerms")
    if terms:
        def term_ok(t: dict) -> bool:
            exprs, fields = t.get("matchExpressions") or [], t.get("matchFields") or []
            if not exprs and not fields:
                return False  # an empty term matches no objects
            return all(_match_expression(e, labels) for e in exprs) and all(_match_fields(f, node) for f in fields)

        if not any(term_ok(t) for t in terms):
            return False
    return True


def filter_node(pod: dict, node: dict) -> str | None:
    """None when the pod fits, else the filter plugin's reason."""
    spec = pod.get("spec") or {}
    tolerations = spec.get("tolerations") or []
    if (node.get("spec") or {}).get("unschedulable"):
        unsched = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
        if not any(toleration_tolerates(t, unsched) for t in tolerations):
            return REASON_UNSCHEDULABLE
    # the default profile's filter order: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity
    taint = untolerated_taint(node, tolerations)
    if taint is not None:
        return REASON_TAINT % (taint.get("key", ""), taint.get("value", ""))
    if not matches_node_affinity(pod, node):
        return REASON_AFFINITY
    return None


def node_ready(node: dict) -> bool:
    for c in (node.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _histogram(num_nodes: int, reasons: dict[str, int], prefilter: str | None = None) -> str:
    """FitError.Error() without a PostFilter message: "0/N nodes are available: a, b." with
    each reason as "<count> <reason>", sorted as strings (sortReasonsHistogram); a PreFilter
    plugin's rejection (``prefilter``, e.g. VolumeBinding's) comes first, as Diagnosis.PreFilterMsg."""
    msg = f"0/{num_nodes} nodes are available:"
    if prefilter:
        msg += f" {prefilter}."
    hist = sorted(f"{n} {r}" for r, n in reasons.items() if n)
    if hist:
        msg += " " + ", ".join(hist) + "."
    return msg


def fit_error(num_nodes: int, reasons: dict[str, int], resolvable: int = 0, never_preempt: bool = False,
              prefilter: str | None = None) -> str:
    """framework.FitError.Error() with DefaultPreemption's PostFilter message appended:
    `resolvable` nodes failed only NodeResourcesFit (preemption could help there, but no pod
    has a lower priority), the others failed a filter preemption cannot change."""
    if not num_nodes:
        return f"0/{num_nodes} nodes are available: no nodes available to schedule pods."
    msg = _histogram(num_nodes, reasons, prefilter)
    if never_preempt:
        return msg + " preemption: " + NOT_ELIGIBLE
    post = {PREEMPTION_NOT_HELPFUL: num_nodes - resolvable, NO_VICTIMS: resolvable}
    return msg + " preemption: " + _histogram(num_nodes, post)


def pods_on(api, node_name: str) -> int:
    """Pods the node runs: one pod IP each (the kubelet allocates it right after binding)."""
    return api.store.pool_count(f"podip:{node_name}")


def _max_pods(node: dict) -> int:
    try:
        return int(((node.get("status") or {}).get("allocatable") or {}).get("pods", 110))
    except (TypeError, ValueError):
        return 110


def _allocatable(node: dict) -> dict[str, int]:
    """NodeInfo.Allocatable: millicores for cpu, units for the rest (pods apart)."""
    from minikctl.kubelet.resources import amount

    alloc = (node.get("status") or {}).get("allocatable")
    if not isinstance(alloc, dict):
        return {}
    return {k: amount(k, v) for k, v in alloc.items() if k != "pods"}


def _charge(pod: dict | None) -> tuple | None:
    """What a pod takes from its node in kube-scheduler's cache: (node, requests), or None when
    it is not bound, or has ended (Succeeded/Failed: out of the scheduler's pod informer)."""
    if not pod:
        return None
    node = (pod.get("spec") or {}).get("nodeName")
    if not node or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return None
    from minikctl.kubelet.resources import pod_requests

    return node, tuple(sorted((k, v) for k, v in pod_requests(pod).items() if v))


# ------------------------------------------------------------ scheduler cache
class _Cache:
    """What kube-scheduler keeps in memory (its cache and snapshot, pkg/scheduler/backend/cache):
    the nodes, the pods each runs, and here also each node's filter verdict per pod
    "shape" (node selector, required node affinity, tolerations, requests: pods of one
    template share it). Lives for one write transaction, kept up to date from the events the
    scheduler handles, the way kube-scheduler's cache follows its informers: a changed
    node drops the node list (on_node), a changed pod drops the count of its node and moves
    its requests (charge).

    `requested` (node -> {resource: amount}) is NodeInfo.Requested, loaded from the store once
    per command and written back when the controllers' queue drains (flush). `ledger` holds,
    for pods whose charge changed after the scheduler last saw them (its own binds), the charge
    the sums hold, so that the pod's next event moves it from there."""

    __slots__ = ("nodes", "counts", "verdicts", "generation", "no_fit", "requested", "dirty", "ledger")

    def __init__(self):
        self.nodes: list[dict] | None = None
        self.counts: dict[str, int] = {}
        # what choose_node answered for a shape that fit nowhere, valid while `generation`
        # (bumped whenever a count, a node's requests or the nodes may have changed) stays the same
        self.generation = 0
        self.no_fit: dict[bytes, tuple[int, str]] = {}
        # shape -> ([(node name, max pods, allocatable) of nodes that pass the filters], {reason: nodes})
        self.verdicts: dict[bytes, tuple[list[tuple[str, int, dict]], dict[str, int]]] = {}
        self.requested: dict[str, dict[str, int]] | None = None
        self.dirty = False
        self.ledger: dict[tuple[str, str], tuple | None] = {}

    def node_list(self, api) -> list[dict]:
        if self.nodes is None:
            self.nodes = api.list("nodes")
            self.verdicts.clear()
        return self.nodes

    def nodes_changed(self) -> None:
        self.nodes = None
        self.verdicts.clear()
        self.generation += 1

    def count_changed(self, node_name: str) -> None:
        if self.counts.pop(node_name, None) is not None:
            self.generation += 1

    def count(self, api, node_name: str) -> int:
        n = self.counts.get(node_name)
        if n is None:
            n = self.counts[node_name] = pods_on(api, node_name)
        return n

    # ------------------------------------------------------ requested resources
    def load(self, api) -> dict[str, dict[str, int]]:
        if self.requested is None:
            import json

            raw = api.store.meta_get(META_REQUESTED)
            try:
                data = json.loads(raw) if raw else None
            except ValueError:
                data = None
            if isinstance(data, dict):
                self.requested = data
            else:
                self._rebuild(api)
        return self.requested

    def _rebuild(self, api) -> None:
        """A store from before requests were tracked (or whose sums are damaged): count once
        from every pod, then follow changes. Pods with changes still queued move from the
        charge counted here."""
        self.requested = {}
        for pod in api.list("pods"):
            c = _charge(pod)
            meta = pod["metadata"]
            self.ledger[(meta.get("namespace", ""), meta["name"])] = c
            self._apply(c, 1)
        for key in list(getattr(api, "_prev", {}) or {}):
            if key[0] == "pods" and (key[1], key[2]) not in self.ledger:
                self.ledger[(key[1], key[2])] = None  # deleted before its event: never counted
        self.dirty = True

    def _apply(self, c: tuple | None, sign: int) -> None:
        if c is None:
            return
        node, reqs = c
        if not reqs:
            return
        used = self.requested.setdefault(node, {})
        for k, v in reqs:
            n = used.get(k, 0) + sign * v
            if n:
                used[k] = n
            else:
                used.pop(k, None)
        if not used:
            self.requested.pop(node, None)
        self.dirty = True
        self.generation += 1

    def charge(self, api, key: tuple[str, str], old: tuple | None, new: tuple | None) -> None:
        """Move a pod's requests from `old` to `new` (NodeInfo.RemovePod/AddPod): O(1)."""
        self.load(api)
        if old != new:
            self._apply(old, -1)
            self._apply(new, 1)

    def used(self, api, node_name: str) -> dict[str, int]:
        return self.load(api).get(node_name) or {}

    def flush(self, api) -> None:
        if self.dirty and self.requested is not None:
            import json

            api.store.meta_set(META_REQUESTED, json.dumps(self.requested, sort_keys=True, separators=(",", ":")))
            self.dirty = False

    @staticmethod
    def shape(pod: dict, requests: dict[str, int]) -> bytes | None:
        spec = pod.get("spec") or {}
        affinity = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution")
        try:
            return marshal.dumps((spec.get("nodeSelector"), affinity, spec.get("tolerations"),
                                  sorted(requests.items()), spec.get("preemptionPolicy")))
        except ValueError:  # pragma: no cover - specs are JSON data
            return None

    def verdict(self, api, pod: dict, shape: bytes | None) -> tuple[list[tuple[str, int, dict]], dict[str, int]]:
        hit = self.verdicts.get(shape) if shape is not None else None
        if hit is not None:
            return hit
        fits: list[tuple[str, int, dict]] = []
        reasons: dict[str, int] = {}
        for node in self.node_list(api):
            why = filter_node(pod, node)
            if why is None and not node_ready(node):
                why = "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"
            if why is None:
                fits.append((node["metadata"]["name"], _max_pods(node), _allocatable(node)))
            else:
                reasons[why] = reasons.get(why, 0) + 1
        if shape is not None:
            self.verdicts[shape] = (fits, reasons)
        return fits, reasons


def _cache(api) -> _Cache:
    c = getattr(api, "_scheduler_cache", None)
    if c is None:
        c = api._scheduler_cache = _Cache()
    return c


def fits_request(requests: dict[str, int], allocatable: dict[str, int], used: dict[str, int]) -> list[str]:
    """noderesources fitsRequest's reasons (pods apart), in its order: cpu, memory,
    ephemeral-storage, then scalar resources (hugepages, extended resources)."""
    why = []
    for r in _NATIVE:
        if allocatable.get(r, 0) < requests.get(r, 0) + used.get(r, 0):
            why.append(REASON_INSUFFICIENT % r)
    for r, q in requests.items():
        if r not in _NATIVE and allocatable.get(r, 0) < q + used.get(r, 0):
            why.append(REASON_INSUFFICIENT % r)
    return why


def choose_node(api, pod: dict, pinned: str | None = None) -> tuple[str | None, str]:
    """(the node with the fewest pods among those that fit, ties by name; or None) and, when
    none fits, the FailedScheduling message. ``pinned``: the node the pod's bound local volumes
    are on (VolumeBinding's filter)."""
    from minikctl.kubelet.resources import pod_requests

    cache = _cache(api)
    requests = {k: v for k, v in pod_requests(pod).items() if v}
    shape = cache.shape(pod, requests)
    known_key = shape + pinned.encode() if shape is not None and pinned else shape
    known = cache.no_fit.get(known_key) if known_key is not None else None
    if known is not None and known[0] == cache.generation:
        return None, known[1]  # no pod came or went since this shape fit nowhere
    fits, reasons = cache.verdict(api, pod, shape)
    if pinned:
        from minikctl.controllers.volumebinding import REASON_CONFLICT

        others = sum(1 for f in fits if f[0] != pinned)
        fits = [f for f in fits if f[0] == pinned]
        if others:
            reasons = dict(reasons)
            reasons[REASON_CONFLICT] = reasons.get(REASON_CONFLICT, 0) + others
    best, best_count = None, 0
    failed: dict[str, int] = {}
    resolvable = 0
    for name, max_pods, alloc in fits:
        n = cache.count(api, name)
        why = [REASON_TOO_MANY_PODS] if n + 1 > max_pods else []
        if requests:
            why += fits_request(requests, alloc, cache.used(api, name))
        if why:
            resolvable += 1
            for r in why:
                failed[r] = failed.get(r, 0) + 1
        elif best is None or n < best_count or (n == best_count and name < best):
            best, best_count = name, n
    if best is not None:
        return best, ""
    for r, k in reasons.items():
        failed[r] = failed.get(r, 0) + k
    never = (pod.get("spec") or {}).get("preemptionPolicy") == "Never"
    message = fit_error(len(cache.node_list(api)), failed, resolvable, never)
    if known_key is not None:
        cache.no_fit[known_key] = (cache.generation, message)
    return None, message


# ----------------------------------------------------------------- controller
def _pod_updated(old: dict, new: dict) -> bool:
    """isPodUpdated (pkg/scheduler/backend/queue/scheduling_queue.go): a change other than
    status, resourceVersion, generation, managedFields and finalizers."""
    if old.get("spec") != new.get("spec"):
        return True
    om, nm = old.get("metadata") or {}, new.get("metadata") or {}
    skip = ("resourceVersion", "generation", "managedFields", "finalizers")
    return ({k: v for k, v in om.items() if k not in skip} != {k: v for k, v in nm.items() if k not in skip})


_UNSEEN = object()


def on_pod(api, namespace: str, name: str) -> None:
    pod = api.peek("pods", namespace, name)  # shared, read only: schedule() copies it to change it
    prev = api.previous
    cache = _cache(api)
    for p in (pod, prev):  # the pods a node runs changed: count them again when asked
        node_name = ((p or {}).get("spec") or {}).get("nodeName")
        if node_name:
            cache.count_changed(node_name)
    old = cache.ledger.pop((namespace, name), _UNSEEN)
    old = _charge(prev) if old is _UNSEEN else old
    new = _charge(pod)
    cache.charge(api, (namespace, name), old, new)
    # A pod that goes or ends leaves room: a pod slot (one waiting pod may take it) and,
    # when it requested resources, room that several waiting pods may share.
    freed = old is not None and new is None
    if pod is None:
        if api.store.sched_queue_remove(namespace, name):
            return
        if freed or ((prev or {}).get("spec") or {}).get("nodeName"):
            _retry_pending(api, first_only=not (old and old[1]))
        return
    if freed:
        _retry_pending(api, first_only=not old[1])
    if prev is not None and prev["metadata"].get("uid") == pod["metadata"].get("uid") \
            and not (pod.get("spec") or {}).get("nodeName") and not _pod_updated(prev, pod):
        # Only its status changed (e.g. the scheduler's own PodScheduled=False): a pod the
        # scheduler has already tried stays where it is until a node or a pod change.
        return
    schedule(api, pod)


def _retry_pending(api, first_only: bool = False) -> None:
    from minikctl.controllers import preemption  # issue 11 (w-quota): nominated pods go first

    if preemption.retry_nominated(api):
        return  # the room is the nominated pods' until their victims are gone
    after = 0
    while True:
        page = api.store.sched_queue_page(after)
        if not page:
            return
        for after, ns, pname in page:
            pod = api.try_get("pods", ns, pname)
            if pod is None:
                api.store.sched_queue_remove(ns, pname)
                continue
            if schedule(api, pod) and first_only:
                return


def schedule(api, pod: dict) -> bool:
    spec = pod.get("spec") or {}
    meta = pod["metadata"]
    if spec.get("nodeName") or meta.get("deletionTimestamp"):
        return False  # bound already (or by the user): the kubelet's business
    if (spec.get("schedulerName") or SOURCE) != SOURCE:
        return False  # another scheduler's pod: it stays Pending, as in a real cluster
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    prefilter_msg = pinned = None
    if any(isinstance(v, dict) and v.get("persistentVolumeClaim") for v in spec.get("volumes") or ()):
        from minikctl.controllers import volumebinding  # the VolumeBinding plugin (issue 11)

        prefilter_msg, pinned = volumebinding.prefilter(api, pod)
    if prefilter_msg is not None:
        never = spec.get("preemptionPolicy") == "Never"
        node_name, message = None, fit_error(len(_cache(api).node_list(api)), {}, 0, never, prefilter_msg)
    else:
        node_name, message = choose_node(api, pod, pinned)
    nominated_before = (pod.get("status") or {}).get("nominatedNodeName")
    if node_name is None and prefilter_msg is None:  # issue 11 (w-quota): DefaultPreemption's PostFilter
        from minikctl.controllers import preemption

        outcome = preemption.post_filter(api, pod, message)
        if outcome is not None:
            message = outcome[0]
    nominated_changed = (pod.get("status") or {}).get("nominatedNodeName") != nominated_before
    key = f"{meta['namespace']}/{meta['name']}"
    now = api.clock.rfc3339()
    if node_name is None:
        from minikctl.api.server import clone

        pod = clone(pod)  # (it may be the watch hooks' shared copy)
        status = pod.setdefault("status", {})
        cond = {"lastProbeTime": None, "lastTransitionTime": now, "message": message,
                "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}
        old = next((c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), None)
        if old and old.get("status") == "False":
            cond["lastTransitionTime"] = old.get("lastTransitionTime", now)
        if old != cond or nominated_changed:
            status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"] + [cond]
            status.setdefault("phase", "Pending")
            api.update_status(pod)
            api.record_event(pod, "Warning", "FailedScheduling", message, SOURCE)
        api.store.sched_queue_add(meta["namespace"], meta["name"])
        return False
    if any(isinstance(v, dict) and v.get("persistentVolumeClaim") for v in spec.get("volumes") or ()):
        from minikctl.controllers import volumebinding

        volumebinding.provision_for(api, pod, node_name)  # PreBind: WaitForFirstConsumer claims
    bound = bind(api, pod, node_name)
    cache = _cache(api)
    cache.count_changed(node_name)  # the kubelet gives the pod its IP right away
    # the pod's requests count on the node from now (NodeInfo.AddPod on assume); its next
    # event moves them from here
    pkey = (meta["namespace"], meta["name"])
    charged = _charge(bound)
    cache.charge(api, pkey, None, charged)
    cache.ledger[pkey] = charged
    api.record_event(pod, "Normal", "Scheduled", f"Successfully assigned {key} to {node_name}", SOURCE)
    api.store.sched_queue_remove(meta["namespace"], meta["name"])
    if nominated_before:  # issue 11 (w-quota): a preemptor that got its room
        from minikctl.controllers import preemption

        preemption.forget(api, meta["namespace"], meta["name"])
    return True


def bind(api, pod: dict, node_name: str) -> dict:
    """Bind through the API's pods/binding subresource (see API.bind)."""
    meta = pod["metadata"]
    return api.bind(meta["namespace"], meta["name"], node_name)


def node_requested(api, node_name: str) -> dict[str, int]:
    """What the pods bound to a node request, as the scheduler's cache holds it (for the
    kubelet's admission)."""
    return dict(_cache(api).used(api, node_name))


def flush(api) -> None:
    """When the controllers' queue drains: store the nodes' requested sums with the command."""
    c = getattr(api, "_scheduler_cache", None)
    if c is not None:
        c.flush(api)


def on_node(api, namespace: str, name: str) -> None:
    node = api.try_get("nodes", "", name)
    if node is None:
        _cache(api).nodes_changed()
        # pod GC (pkg/controller/podgc): pods bound to a node that no longer exists are deleted
        for pod in api.list("pods", None, node=name):
            api.delete("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
        return
    # A node changed (labels, taints, cordon): retry the pods that did not fit anywhere.
    _cache(api).nodes_changed()
    _retry_pending(api)
