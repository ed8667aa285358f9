"""DefaultPreemption, kube-scheduler's PostFilter plugin (pkg/scheduler/framework/plugins/
defaultpreemption/default_preemption.go and pkg/scheduler/framework/preemption/preemption.go,
Kubernetes 1.32), in outline:

- PodEligibleToPreemptOthers: preemptionPolicy Never is not eligible; a pod nominated to a
  node where a lower-priority pod is still terminating waits for it ("not eligible due to a
  terminating pod on the nominated node.").
- findCandidates / SelectVictimsOnNode: only nodes that failed a resource fit (not a filter
  preemption cannot change: taints, affinity, cordon) are tried. On each, every pod of lower
  priority is removed; if the pod then fits, victims are reprieved again from the most
  important (highest priority, earliest start) down, so the fewest and least important go.
  A node without lower-priority pods gives "No preemption victims found for incoming pod";
  one where the pod does not fit even without them gives the fit's reasons.
- PodDisruptionBudgets (filterPodsWithPDBViolation): the lower-priority pods are split into
  those whose removal would take a budget of their namespace below zero (status.
  disruptionsAllowed, counted down pod by pod from the most important; a pod already in the
  budget's disruptedPods does not count; a budget with a nil or empty selector picks nothing)
  and the others; the violating ones are reprieved first, so a victim breaks a budget only
  when nothing else makes room. Budgets are only preferred: preemption deletes the pods, it
  does not go through the Eviction API.
- pickOneNodeForPreemption: the node with the fewest budget-violating victims, then the one
  whose most important victim has the lowest priority, then the lowest sum of priorities,
  then the fewest victims, then the latest start of the most important victims, then the
  first by name.
- prepareCandidate: each victim gets the DisruptionTarget condition (reason
  PreemptionByScheduler, "default-scheduler: preempting to accommodate a higher priority pod"),
  is deleted gracefully, and gets the event ``Preempted`` "Preempted by pod <uid> on node
  <node>"; the preemptor gets status.nominatedNodeName and waits for the room, tried before
  other waiting pods when it appears (the scheduling queue sorts by priority).

Not modelled: extenders, inter-pod affinity to victims.
Pods of priority 0 and below skip the search when no class has a negative value: nothing can
have a lower priority, the answer is the one choose_node already gives.
"""

from __future__ import annotations

import json

from minikctl.controllers import scheduler as S

META_NOMINATED = "scheduler:nominated"
TERMINATING_ON_NOMINATED = "not eligible due to a terminating pod on the nominated node."


def priority_of(pod: dict) -> int:
    p = (pod.get("spec") or {}).get("priority")
    return p if isinstance(p, int) and not isinstance(p, bool) else 0


def _start(pod: dict) -> str:
    return ((pod.get("status") or {}).get("startTime")) or "9999"


def _more_important_key(pod: dict):
    """util.MoreImportantPod: higher priority first, then the earlier start."""
    return (-priority_of(pod), _start(pod))


def _lowest_possible(api) -> int:
    from minikctl.api import priority

    values = [int(pc.get("value") or 0) for pc in priority.classes(api).values()]
    return min(values + [0])


def _split(message: str) -> str:
    i = message.find(" preemption: ")
    return message[:i] if i >= 0 else message


def post_filter(api, pod: dict, message: str) -> tuple[str, str | None] | None:
    """Run preemption for a pod no node fits. None: nothing to change in choose_node's answer;
    else (the FailedScheduling message, the nominated node or None)."""
    spec = pod.get("spec") or {}
    if spec.get("preemptionPolicy") == "Never":
        return None
    prio = priority_of(pod)
    if prio <= _lowest_possible(api):
        return None
    base = _split(message)
    cache = S._cache(api)
    nodes = cache.node_list(api)
    nominated = (pod.get("status") or {}).get("nominatedNodeName")
    if nominated:
        for p in api.list("pods", None, node=nominated):
            if p["metadata"].get("deletionTimestamp") and priority_of(p) < prio:
                return base + " preemption: " + TERMINATING_ON_NOMINATED, nominated
    from minikctl.kubelet.resources import pod_requests

    requests = {k: v for k, v in pod_requests(pod).items() if v}
    pdbs = api.list("poddisruptionbudgets", None)  # getPodDisruptionBudgets: every namespace's
    reasons: dict[str, int] = {}
    candidates = []
    for node in sorted(nodes, key=lambda n: n["metadata"]["name"]):
        name = node["metadata"]["name"]
        if S.filter_node(pod, node) is not None or not S.node_ready(node):
            reasons[S.PREEMPTION_NOT_HELPFUL] = reasons.get(S.PREEMPTION_NOT_HELPFUL, 0) + 1
            continue
        victims, why = _select_victims(api, pod, prio, requests, node, pdbs)
        if victims is not None:
            candidates.append((name, victims, why))
        else:
            for r in why:
                reasons[r] = reasons.get(r, 0) + 1
    if not candidates:
        _set_nominated(api, pod, None)
        return base + " preemption: " + S._histogram(len(nodes), reasons), None
    node_name, victims, _ = min(candidates, key=_candidate_rank)
    _prepare(api, pod, node_name, victims)
    _set_nominated(api, pod, node_name, victims)
    return base, node_name


def _candidate_rank(c):
    name, victims, violations = c
    ordered = sorted(victims, key=_more_important_key)
    top = priority_of(ordered[0]) if ordered else -(2**31)
    total = sum(priority_of(v) + 2**31 for v in victims)
    # the latest start among the most important victims wins: negate for min()
    top_starts = [_start(v) for v in ordered if priority_of(v) == top]
    latest = max(top_starts) if top_starts else ""
    return (violations, top, total, len(victims), _neg(latest), name)


def _neg(s: str) -> tuple:
    return tuple(-ord(ch) for ch in s)


def _select_victims(api, pod: dict, prio: int, requests: dict, node: dict, pdbs: list[dict] = ()):
    """SelectVictimsOnNode: (the victims, how many of them violate a PodDisruptionBudget), or
    (None, the reasons the node cannot help)."""
    from minikctl.kubelet.resources import pod_requests

    name = node["metadata"]["name"]
    on_node = [p for p in api.list("pods", None, node=name)
               if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    lower = [p for p in on_node if priority_of(p) < prio]
    if not lower:
        return None, [S.NO_VICTIMS]
    alloc = S._allocatable(node)
    max_pods = S._max_pods(node)
    used = dict(S._cache(api).used(api, name))
    count = len(on_node)
    reqs = {id(p): {k: v for k, v in pod_requests(p).items() if v} for p in lower}

    def take(p, sign):
        for k, v in reqs[id(p)].items():
            used[k] = used.get(k, 0) + sign * v

    def why() -> list[str]:
        out = [S.REASON_TOO_MANY_PODS] if count + 1 > max_pods else []
        return out + (S.fits_request(requests, alloc, used) if requests else [])

    for p in lower:
        take(p, -1)
    count -= len(lower)
    failing = why()
    if failing:
        return None, failing
    victims = []
    violating, non_violating = filter_pdb_violation(sorted(lower, key=_more_important_key), pdbs)

    def reprieve(p) -> bool:
        nonlocal count
        take(p, 1)
        count += 1
        if why():
            take(p, -1)
            count -= 1
            victims.append(p)
            return False
        return True

    violations = sum(1 for p in violating if not reprieve(p))
    for p in non_violating:
        reprieve(p)
    if violating and non_violating:  # the victims in order of importance again
        victims.sort(key=_more_important_key)
    return victims, violations


def filter_pdb_violation(pods: list[dict], pdbs) -> tuple[list[dict], list[dict]]:
    """filterPodsWithPDBViolation (default_preemption.go): (the pods whose removal takes a
    budget below zero, the others), each in the given order."""
    from minikctl.api.selectors import label_selector_matches

    allowed = []
    for pdb in pdbs:
        v = (pdb.get("status") or {}).get("disruptionsAllowed")
        allowed.append(v if isinstance(v, int) and not isinstance(v, bool) else 0)
    violating, non_violating = [], []
    for p in pods:
        meta = p["metadata"]
        labels = meta.get("labels") or {}
        violated = False
        if labels:  # a pod without labels matches no budget
            for i, pdb in enumerate(pdbs):
                if pdb["metadata"].get("namespace") != meta.get("namespace"):
                    continue
                sel = (pdb.get("spec") or {}).get("selector")
                # a nil or empty selector matches nothing here (unlike the Eviction API's)
                if not isinstance(sel, dict) or not (sel.get("matchLabels") or sel.get("matchExpressions")):
                    continue
                if not label_selector_matches(sel, labels):
                    continue
                if meta.get("name") in ((pdb.get("status") or {}).get("disruptedPods") or {}):
                    continue  # already processed by the API server: not a violation
                allowed[i] -= 1
                if allowed[i] < 0:
                    violated = True
        (violating if violated else non_violating).append(p)
    return violating, non_violating


def _prepare(api, preemptor: dict, node_name: str, victims: list[dict]) -> None:
    """prepareCandidate / PreemptPod."""
    from minikctl.kubelet.pods import graceful_delete

    scheduler = (preemptor.get("spec") or {}).get("schedulerName") or S.SOURCE
    uid = preemptor["metadata"].get("uid")
    for v in victims:
        meta = v["metadata"]
        cur = api.try_get("pods", meta["namespace"], meta["name"])
        if cur is None:
            continue
        status = cur.setdefault("status", {})
        cond = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": api.clock.rfc3339(), "reason": "PreemptionByScheduler",
                "message": f"{scheduler}: preempting to accommodate a higher priority pod"}
        old = next((c for c in status.get("conditions") or [] if c.get("type") == "DisruptionTarget"), None)
        if old is None or old.get("reason") != cond["reason"] or old.get("status") != "True":
            status["conditions"] = [c for c in status.get("conditions") or []
                                    if c.get("type") != "DisruptionTarget"] + [cond]
            cur = api.update_status(cur)
        api.record_event(cur, "Normal", "Preempted", f"Preempted by pod {uid} on node {node_name}", S.SOURCE)
        graceful_delete(api, cur, None)


# --------------------------------------------------------------- nominated pods
def _load(api) -> dict:
    raw = api.store.meta_get(META_NOMINATED)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def _store(api, data: dict) -> None:
    if data:
        api.store.meta_set(META_NOMINATED, json.dumps(data, sort_keys=True))
    else:
        api.store.meta_delete(META_NOMINATED)


def _set_nominated(api, pod: dict, node_name: str | None, victims: list[dict] | None = None) -> None:
    """status.nominatedNodeName, and the nominated pods (with their victims) the queue tries
    first once the victims are gone."""
    meta = pod["metadata"]
    status = pod.setdefault("status", {})
    if node_name:
        status["nominatedNodeName"] = node_name
    else:
        status.pop("nominatedNodeName", None)
    key = f"{meta['namespace']}/{meta['name']}"
    data = _load(api)
    if node_name:
        data[key] = sorted({*data.get(key, []), *(f"{v['metadata']['namespace']}/{v['metadata']['name']}"
                                                  for v in victims or ())})
        _store(api, data)
    elif key in data:
        del data[key]
        _store(api, data)


def forget(api, namespace: str, name: str) -> None:
    if not api.store.meta_get(META_NOMINATED):
        return
    data = _load(api)
    if data.pop(f"{namespace}/{name}", None) is not None:
        _store(api, data)


def _gone(api, key: str) -> bool:
    """A victim the scheduler has seen go (deleted, and its deletion handled)."""
    ns, _, name = key.partition("/")
    return not api.store.exists("pods", ns, name) and ("pods", ns, name) not in api._queued


def retry_nominated(api) -> bool:
    """Room appeared: the nominated (preempting) pods whose victims are all gone are tried
    first, highest priority first. True while some still wait for their victims: the room
    they made is theirs (kube-scheduler counts nominated pods in other pods' filters)."""
    if not api.store.meta_get(META_NOMINATED):
        return False
    waiting = False
    pods = []
    for key, victims in _load(api).items():
        ns, _, name = key.partition("/")
        p = api.try_get("pods", ns, name)
        if p is None or (p.get("spec") or {}).get("nodeName"):
            forget(api, ns, name)
            continue
        if all(_gone(api, v) for v in victims):
            pods.append(p)
        else:
            waiting = True
    for p in sorted(pods, key=_more_important_key):
        if not S.schedule(api, p):
            waiting = True
    return waiting
