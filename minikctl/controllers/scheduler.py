"""default-scheduler: binds pods without spec.nodeName to a node.

After kube-scheduler's default profile, reduced to what the emulator models:
filters NodeUnschedulable, NodeName, TaintToleration (NoSchedule/NoExecute taints),
NodeAffinity (nodeSelector and required node affinity) and NodeResourcesFit's pod count
(allocatable "pods", 110 on kind's nodes); the score is "fewest
pods" (what NodeResourcesFit's LeastAllocated plus default topology spreading amount
to for BestEffort pods), ties broken by node name so runs are reproducible.

Messages are kube-scheduler's: the Scheduled event
(pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v") and, when no
node fits, FailedScheduling with framework.FitError's text
(pkg/scheduler/framework/types.go) plus DefaultPreemption's
("preemption: 0/N nodes are available: N Preemption is not helpful for scheduling.").
"""

from __future__ import annotations

import json

SOURCE = "default-scheduler"
PENDING_KEY = "scheduler:unschedulable"  # meta: JSON list of "ns/name" waiting for a node change

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


def fit_error(num_nodes: int, reasons: dict[str, int]) -> str:
    """framework.FitError.Error() with the DefaultPreemption PostFilter message."""
    msg = f"0/{num_nodes} nodes are available:"
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


def choose_node(api, pod: dict, nodes: list[dict]) -> tuple[dict | None, dict[str, int]]:
    reasons: dict[str, int] = {}
    fits = []
    for node in nodes:
        why = filter_node(pod, node)
        if why is None and not node_ready(node):
            why = "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"
        if why is None and pods_on(api, node["metadata"]["name"]) >= _max_pods(node):
            why = REASON_TOO_MANY_PODS
        if why is None:
            fits.append(node)
        else:
            reasons[why] = reasons.get(why, 0) + 1
    if not fits:
        return None, reasons
    best = min(fits, key=lambda n: (pods_on(api, n["metadata"]["name"]), n["metadata"]["name"]))
    return best, reasons


# ----------------------------------------------------------------- controller
def _pending(api) -> list[str]:
    raw = api.store.meta_get(PENDING_KEY)
    return json.loads(raw) if raw else []


def _set_pending(api, keys: list[str]) -> None:
    if keys:
        api.store.meta_set(PENDING_KEY, json.dumps(sorted(set(keys))))
    else:
        api.store.meta_delete(PENDING_KEY)


def on_pod(api, namespace: str, name: str) -> None:
    pod = api.try_get("pods", namespace, name)
    if pod is None:
        key = f"{namespace}/{name}"
        pend = _pending(api)
        if key in pend:
            _set_pending(api, [k for k in pend if k != key])
        elif (api.previous or {}).get("spec", {}).get("nodeName"):
            _retry_pending(api, first_only=True)  # a bound pod went: room for one that waits
        return
    schedule(api, pod)


def _retry_pending(api, first_only: bool = False) -> None:
    for key in _pending(api):
        ns, _, pname = key.partition("/")
        pod = api.try_get("pods", ns, pname)
        if pod is not None and schedule(api, pod) and first_only:
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
    nodes = api.list("nodes")
    node, reasons = choose_node(api, pod, nodes)
    key = f"{meta['namespace']}/{meta['name']}"
    now = api.clock.rfc3339()
    if node is None:
        message = fit_error(len(nodes), reasons)
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
        pend = _pending(api)
        if key not in pend:
            _set_pending(api, pend + [key])
        return False
    node_name = node["metadata"]["name"]
    bind(api, pod, node_name)
    api.record_event(pod, "Normal", "Scheduled", f"Successfully assigned {key} to {node_name}", SOURCE)
    pend = _pending(api)
    if key in pend:
        _set_pending(api, [k for k in pend if k != key])
    return True


def bind(api, pod: dict, node_name: str) -> dict:
    """Bind through the API's pods/binding subresource (see API.bind)."""
    meta = pod["metadata"]
    return api.bind(meta["namespace"], meta["name"], node_name)


def on_node(api, namespace: str, name: str) -> None:
    node = api.try_get("nodes", "", name)
    if node is None:
        # pod GC (pkg/controller/podgc): pods bound to a node that no longer exists are deleted
        for pod in api.list("pods", None, node=name):
            api.delete("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
        return
    # A node changed (labels, taints, cordon): retry the pods that did not fit anywhere.
    _retry_pending(api)
