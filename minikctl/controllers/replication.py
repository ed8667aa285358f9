"""What the ReplicaSet and ReplicationController controllers share
(pkg/controller/replicaset/replica_set.go; the RC manager is the same code with another
kind): claim pods (adopt matching orphans, release owned pods that stopped matching),
create or delete pods to reach spec.replicas, and write the status.

Pods are named like the API server's generateName (``<owner>-`` + 5 characters of
k8s.io/apimachinery/pkg/util/rand's alphabet); each gets a controller ownerReference
with blockOwnerDeletion, as metav1.NewControllerRef makes it.
"""

from __future__ import annotations

from minikctl.api.server import clone
import json
from dataclasses import dataclass

MAX_GENERATED_PREFIX = 58  # names.maxGeneratedNameLength: 63 - 5 random characters
MINREADY_META = "controllers:minready"  # owners waiting for a pod to become available (minReadySeconds)


@dataclass(frozen=True)
class ReplicaKind:
    kind: str           # "ReplicaSet"
    api_version: str    # "apps/v1"
    resource: str       # "replicasets"
    work: str           # work-queue key resource, "~replicaset"
    source: str         # event source component


def controller_ref(obj: dict) -> dict | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def new_controller_ref(owner: dict, api_version: str, kind: str) -> dict:
    """metav1.NewControllerRef."""
    return {"apiVersion": api_version, "kind": kind, "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


# -------------------------------------------------------------- pod helpers
def _condition(pod: dict, type_: str) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    c = _condition(pod, "Ready")
    return bool(c) and c.get("status") == "True"


def is_pod_available(pod: dict, min_ready_seconds: int, now_ts: float) -> bool:
    """podutil.IsPodAvailable."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    c = _condition(pod, "Ready") or {}
    t = _parse_time(c.get("lastTransitionTime"))
    return t is not None and t + min_ready_seconds <= now_ts


def _parse_time(s: str | None) -> float | None:
    if not s:
        return None
    from datetime import datetime, timezone

    try:
        return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def is_pod_active(pod: dict) -> bool:
    """controller.IsPodActive: not terminal, not being deleted."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp")


def pod_from_template(owner: dict, template: dict, rk: ReplicaKind) -> dict:
    """controller.GetPodFromTemplate."""
    tmeta = template.get("metadata") or {}
    prefix = (owner["metadata"]["name"] + "-")[:MAX_GENERATED_PREFIX]
    meta: dict = {"generateName": prefix, "namespace": owner["metadata"]["namespace"]}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    meta["ownerReferences"] = [new_controller_ref(owner, rk.api_version, rk.kind)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": clone(template.get("spec") or {})}


# ------------------------------------------------------------- watch helpers
def enqueue_for_pod(api, rk: ReplicaKind, namespace: str, name: str, selectors_of) -> None:
    """Queue the owners a pod change concerns: its controller (now and before the change),
    and, for an orphan, every owner whose selector it matches (adoption)."""
    pod = api.try_get("pods", namespace, name)
    prev = api.previous
    keys: set[str] = set()
    for p in (pod, prev):
        if p is None:
            continue
        ref = controller_ref(p)
        if ref is not None:
            if ref.get("kind") == rk.kind:
                keys.add(ref.get("name", ""))
        elif p is pod:
            for owner in api.store.matching_selectors(rk.resource, namespace,
                                                      (p["metadata"].get("labels") or {})):
                keys.add(owner["metadata"]["name"])
    for k in sorted(keys):
        api._enqueue(rk.work, namespace, k)


# -------------------------------------------------------------------- sync
def _ranked_for_deletion(pods: list[dict], related: list[dict]) -> list[dict]:
    """controller.ActivePodsWithRanks ordering (getPodsToDelete): the first are deleted first."""
    on_node: dict[str, int] = {}
    for p in related:
        n = (p.get("spec") or {}).get("nodeName")
        if n:
            on_node[n] = on_node.get(n, 0) + 1
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}

    def key(p: dict):
        spec, status = p.get("spec") or {}, p.get("status") or {}
        node = spec.get("nodeName")
        restarts = sum(int(c.get("restartCount", 0)) for c in status.get("containerStatuses") or [])
        ready_since = (_condition(p, "Ready") or {}).get("lastTransitionTime") or ""
        return (1 if node else 0, phase_rank.get(status.get("phase"), 0), 1 if is_pod_ready(p) else 0,
                -on_node.get(node or "", 0), _neg(ready_since) if is_pod_ready(p) else "", -restarts,
                _neg(p["metadata"].get("creationTimestamp") or ""), _neg(p["metadata"]["name"]))

    return sorted(pods, key=key)


def _neg(s: str) -> tuple:
    """Sort key for 'newer/greater first'."""
    return tuple(-ord(ch) for ch in s)


def claim_pods(api, owner: dict, selector, rk: ReplicaKind) -> list[dict]:
    """PodControllerRefManager.ClaimPods: the pods this owner controls after adopting
    matching orphans and releasing owned pods that no longer match."""
    ns = owner["metadata"]["namespace"]
    uid = owner["metadata"]["uid"]
    owned = {p["metadata"]["name"]: p for p in api.list("pods", ns, owner_uid=uid)}
    claimed = []
    for pod in owned.values():
        if selector.matches(pod["metadata"].get("labels")):
            claimed.append(pod)
        elif not pod["metadata"].get("deletionTimestamp"):
            # release: remove our ownerReference (the pod is orphaned, and replaced)
            pod["metadata"]["ownerReferences"] = [r for r in pod["metadata"].get("ownerReferences") or []
                                                  if r.get("uid") != uid]
            if not pod["metadata"]["ownerReferences"]:
                del pod["metadata"]["ownerReferences"]
            api.update(pod, check_rv=False)
    if owner["metadata"].get("deletionTimestamp") or not selector:
        return claimed
    for pod in api.list("pods", ns, selector=selector):
        if pod["metadata"]["name"] in owned or controller_ref(pod) is not None:
            continue
        if pod["metadata"].get("deletionTimestamp"):
            continue
        pod["metadata"].setdefault("ownerReferences", []).append(new_controller_ref(owner, rk.api_version, rk.kind))
        claimed.append(api.update(pod, check_rv=False))
    return claimed


def manage_replicas(api, owner: dict, pods: list[dict], rk: ReplicaKind, template: dict) -> None:
    """replica_set.go manageReplicas."""
    from minikctl.api.errors import AlreadyExists, ApiError

    want = spec_replicas(owner.get("spec") or {})
    diff = len(pods) - want
    if diff < 0:
        for _ in range(-diff):
            pod = pod_from_template(owner, template, rk)
            for _attempt in range(5):
                try:
                    created = api.create(clone(pod))
                    break
                except AlreadyExists:
                    continue
                except ApiError as e:
                    api.record_event(owner, "Warning", "FailedCreate", f"Error creating: {e.message}", rk.source)
                    return
            else:  # pragma: no cover - five name collisions in a row
                continue
            api.record_event(owner, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                             rk.source)
    elif diff > 0:
        for pod in _ranked_for_deletion(pods, pods)[:diff]:
            m = pod["metadata"]
            api.delete("pods", m["namespace"], m["name"])
            api.record_event(owner, "Normal", "SuccessfulDelete", f"Deleted pod: {m['name']}", rk.source)


def spec_replicas(spec: dict) -> int:
    r = spec.get("replicas")
    return 1 if r is None else int(r)


def calculate_status(api, owner: dict, pods: list[dict], template: dict) -> tuple[dict, bool]:
    """replica_set_utils.go calculateStatus (fields in v1 struct order; zeros omitted but replicas)."""
    spec = owner.get("spec") or {}
    tlabels = (template.get("metadata") or {}).get("labels") or {}
    min_ready = int(spec.get("minReadySeconds") or 0)
    now = api.clock.timestamp()
    fully = sum(1 for p in pods if all((p["metadata"].get("labels") or {}).get(k) == v for k, v in tlabels.items()))
    ready = sum(1 for p in pods if is_pod_ready(p))
    available = sum(1 for p in pods if is_pod_available(p, min_ready, now))
    status: dict = {"replicas": len(pods)}
    if fully:
        status["fullyLabeledReplicas"] = fully
    if ready:
        status["readyReplicas"] = ready
    if available:
        status["availableReplicas"] = available
    gen = owner["metadata"].get("generation")
    if gen:
        status["observedGeneration"] = gen
    old_conds = (owner.get("status") or {}).get("conditions")
    if old_conds:
        status["conditions"] = old_conds
    return status, ready > available


def sync(api, rk: ReplicaKind, namespace: str, name: str, selector_of) -> None:
    owner = api.try_get(rk.resource, namespace, name)
    if owner is None:
        _track_min_ready(api, rk, namespace, name, False)
        return  # deleted: its pods went with it (garbage collection)
    spec = owner.get("spec") or {}
    template = spec.get("template") or {}
    selector = selector_of(owner)
    if selector is None:
        return
    pods = [p for p in claim_pods(api, owner, selector, rk) if is_pod_active(p)]
    if not owner["metadata"].get("deletionTimestamp") and len(pods) != spec_replicas(spec):
        manage_replicas(api, owner, pods, rk, template)
        pods = [p for p in api.list("pods", namespace, owner_uid=owner["metadata"]["uid"]) if is_pod_active(p)]
    owner = api.get(rk.resource, namespace, name)
    status, waiting = calculate_status(api, owner, pods, template)
    _track_min_ready(api, rk, namespace, name, waiting)
    if status != (owner.get("status") or {}):
        owner["status"] = status
        api.update_status(owner)


# ----------------------------------------------- minReadySeconds on the clock
def _track_min_ready(api, rk: ReplicaKind, ns: str, name: str, waiting: bool) -> None:
    raw = api.store.meta_get(MINREADY_META)
    keys = json.loads(raw) if raw else []
    key = f"{rk.work}|{ns}|{name}"
    if waiting and key not in keys:
        api.store.meta_set(MINREADY_META, json.dumps(sorted(keys + [key])))
    elif not waiting and key in keys:
        keys.remove(key)
        if keys:
            api.store.meta_set(MINREADY_META, json.dumps(keys))
        else:
            api.store.meta_delete(MINREADY_META)


def on_clock(api) -> None:
    """The clock moved: owners with ready-but-not-yet-available pods re-check availability."""
    raw = api.store.meta_get(MINREADY_META)
    for key in json.loads(raw) if raw else []:
        work, ns, name = key.split("|", 2)
        api._enqueue(work, ns, name)
