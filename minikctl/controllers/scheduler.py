"""default-scheduler: binds pods without spec.nodeName to a node.

After kube-scheduler's default profile, reduced to what the emulator models:
filters NodeUnschedulable, NodeName, TaintToleration (NoSchedule/NoExecute taints),
NodeAffinity (nodeSelector and required node affinity) and NodeResourcesFit's pod count
(allocatable "pods", 110 on kind's nodes); the score is "fewest
pods" (what NodeResourcesFit's LeastAllocated plus default topology spreading amount
to for BestEffort pods), ties broken by node name so runs are reproducible.

Pods no node can take wait in the store's scheduling queue (state/0003_scheduling_queue.sql,
kube-scheduler's unschedulable pods), in the order they first failed, and are tried again
when a node changes (all of them) or a bound pod goes (until one fits); a change of a
waiting pod's status alone is no reason to try it again (isPodUpdated). Every attempt costs
the same however many pods there are: see _Cache.

Messages are kube-scheduler's: the Scheduled event
(pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v") and, when no
node fits, FailedScheduling with framework.FitError's text
(pkg/scheduler/framework/types.go) plus DefaultPreemption's
("preemption: 0/N nodes are available: N Preemption is not helpful for scheduling.").
"""

from __future__ import annotations

import marshal

SOURCE = "default-scheduler"

# Filter plugins' reasons (pkg/scheduler/framework/plugins/*)
REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_TAINT = "node(s) had untolerated taint {%s: %s}"
REASON_TOO_MANY_PODS = "Too many pods"  # noderesources fit.go ErrReasonTooManyPods


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


def fit_error(num_nodes: int, reasons: dict[str, int], prefilter: str | None = None) -> str:
    """framework.FitError.Error() with the DefaultPreemption PostFilter message; a PreFilter
    plugin's rejection (``prefilter``) comes first, as Diagnosis.PreFilterMsg."""
    msg = f"0/{num_nodes} nodes are available:"
    if prefilter:
        msg += f" {prefilter}."
    hist = sorted(f"{n} {r}" for r, n in reasons.items())
    if hist:
        msg += " " + ", ".join(hist) + "."
    if num_nodes:
        msg += f" preemption: 0/{num_nodes} nodes are available: {num_nodes} Preemption is not helpful for scheduling."
    else:
        msg += " no nodes available to schedule pods."
    return msg


def pods_on(api, node_name: str) -> int:
    """Pods the node runs: one pod IP each (the kubelet allocates it right after binding)."""
    return api.store.pool_count(f"podip:{node_name}")


def _max_pods(node: dict) -> int:
    try:
        return int(((node.get("status") or {}).get("allocatable") or {}).get("pods", 110))
    except (TypeError, ValueError):
        return 110


# ------------------------------------------------------------ scheduler cache
class _Cache:
    """What kube-scheduler keeps in memory (its cache and snapshot, pkg/scheduler/backend/cache):
    the nodes, the pods each runs, and here also each node's filter verdict per pod
    "shape" (node selector, required node affinity, tolerations: pods of one template
    share it). Lives for one write transaction, kept up to date from the events the
    scheduler handles, the way kube-scheduler's cache follows its informers: a changed
    node drops the node list (on_node), a changed pod drops the count of its node."""

    __slots__ = ("nodes", "counts", "verdicts", "generation", "no_fit")

    def __init__(self):
        self.nodes: list[dict] | None = None
        self.counts: dict[str, int] = {}
        # what choose_node answered for a shape that fit nowhere, valid while `generation`
        # (bumped whenever a count or the nodes may have changed) stays the same
        self.generation = 0
        self.no_fit: dict[bytes, tuple[int, int, dict[str, int]]] = {}
        # shape -> ([(node name, max pods) of nodes that pass the filters], {reason: nodes})
        self.verdicts: dict[bytes, tuple[list[tuple[str, int]], dict[str, int]]] = {}

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

    @staticmethod
    def shape(pod: dict) -> bytes | None:
        spec = pod.get("spec") or {}
        affinity = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution")
        try:
            return marshal.dumps((spec.get("nodeSelector"), affinity, spec.get("tolerations")))
        except ValueError:  # pragma: no cover - specs are JSON data
            return None

    def verdict(self, api, pod: dict, shape: bytes | None) -> tuple[list[tuple[str, int]], dict[str, int]]:
        hit = self.verdicts.get(shape) if shape is not None else None
        if hit is not None:
            return hit
        fits: list[tuple[str, int]] = []
        reasons: dict[str, int] = {}
        for node in self.node_list(api):
            why = filter_node(pod, node)
            if why is None and not node_ready(node):
                why = "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"
            if why is None:
                fits.append((node["metadata"]["name"], _max_pods(node)))
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


def choose_node(api, pod: dict, pinned: str | None = None) -> tuple[str | None, int, dict[str, int]]:
    """(the node with the fewest pods among those that fit, ties by name; or None), the
    number of nodes considered, and the filters' reasons for the nodes that do not fit.
    ``pinned``: the node the pod's bound local volumes are on (VolumeBinding's filter)."""
    cache = _cache(api)
    shape = cache.shape(pod)
    known_key = shape + pinned.encode() if shape is not None and pinned else shape
    known = cache.no_fit.get(known_key) if known_key is not None else None
    if known is not None and known[0] == cache.generation:
        return None, known[1], known[2]  # no pod came or went since this shape fit nowhere
    fits, reasons = cache.verdict(api, pod, shape)
    if pinned:
        from minikctl.controllers.volumebinding import REASON_CONFLICT

        others = sum(1 for name, _ in fits if name != pinned)
        fits = [f for f in fits if f[0] == pinned]
        if others:
            reasons = dict(reasons)
            reasons[REASON_CONFLICT] = reasons.get(REASON_CONFLICT, 0) + others
    best, best_count, full = None, 0, 0
    for name, max_pods in fits:
        n = cache.count(api, name)
        if n >= max_pods:
            full += 1
        elif best is None or n < best_count or (n == best_count and name < best):
            best, best_count = name, n
    if best is None and full:
        reasons = dict(reasons)
        reasons[REASON_TOO_MANY_PODS] = reasons.get(REASON_TOO_MANY_PODS, 0) + full
    num_nodes = len(cache.node_list(api))
    if best is None and known_key is not None:
        cache.no_fit[known_key] = (cache.generation, num_nodes, reasons)
    return best, num_nodes, reasons


# ----------------------------------------------------------------- controller
def _pod_updated(old: dict, new: dict) -> bool:
    """isPodUpdated (pkg/scheduler/backend/queue/scheduling_queue.go): a change other than
    status, resourceVersion, generation, managedFields and finalizers."""
    if old.get("spec") != new.get("spec"):
        return True
    om, nm = old.get("metadata") or {}, new.get("metadata") or {}
    skip = ("resourceVersion", "generation", "managedFields", "finalizers")
    return ({k: v for k, v in om.items() if k not in skip} != {k: v for k, v in nm.items() if k not in skip})


def on_pod(api, namespace: str, name: str) -> None:
    pod = api.try_get("pods", namespace, name)
    prev = api.previous
    cache = _cache(api)
    for p in (pod, prev):  # the pods a node runs changed: count them again when asked
        node_name = ((p or {}).get("spec") or {}).get("nodeName")
        if node_name:
            cache.count_changed(node_name)
    if pod is None:
        if api.store.sched_queue_remove(namespace, name):
            return
        if ((prev or {}).get("spec") or {}).get("nodeName"):
            _retry_pending(api, first_only=True)  # a bound pod went: room for one that waits
        return
    if prev is not None and prev["metadata"].get("uid") == pod["metadata"].get("uid") \
            and not (pod.get("spec") or {}).get("nodeName") and not _pod_updated(prev, pod):
        # Only its status changed (e.g. the scheduler's own PodScheduled=False): a pod the
        # scheduler has already tried stays where it is until a node or a pod change.
        return
    schedule(api, pod)


def _retry_pending(api, first_only: bool = False) -> None:
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
        node_name, num_nodes, reasons = None, len(_cache(api).node_list(api)), {}
    else:
        node_name, num_nodes, reasons = choose_node(api, pod, pinned)
    key = f"{meta['namespace']}/{meta['name']}"
    now = api.clock.rfc3339()
    if node_name is None:
        message = fit_error(num_nodes, reasons, prefilter_msg)
        status = pod.setdefault("status", {})
        cond = {"lastProbeTime": None, "lastTransitionTime": now, "message": message,
                "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}
        old = next((c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), None)
        if old and old.get("status") == "False":
            cond["lastTransitionTime"] = old.get("lastTransitionTime", now)
        if old != cond:
            status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"] + [cond]
            status.setdefault("phase", "Pending")
            api.update_status(pod)
            api.record_event(pod, "Warning", "FailedScheduling", message, SOURCE)
        api.store.sched_queue_add(meta["namespace"], meta["name"])
        return False
    if any(isinstance(v, dict) and v.get("persistentVolumeClaim") for v in spec.get("volumes") or ()):
        from minikctl.controllers import volumebinding

        volumebinding.provision_for(api, pod, node_name)  # PreBind: WaitForFirstConsumer claims
    bind(api, pod, node_name)
    _cache(api).count_changed(node_name)  # the kubelet gives the pod its IP right away
    api.record_event(pod, "Normal", "Scheduled", f"Successfully assigned {key} to {node_name}", SOURCE)
    api.store.sched_queue_remove(meta["namespace"], meta["name"])
    return True


def bind(api, pod: dict, node_name: str) -> dict:
    """Bind through the API's pods/binding subresource (see API.bind)."""
    meta = pod["metadata"]
    return api.bind(meta["namespace"], meta["name"], node_name)


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
