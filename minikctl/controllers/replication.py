"""What the ReplicaSet and ReplicationController controllers share
(pkg/controller/replicaset/replica_set.go; the RC manager is the same code with another
kind): claim pods (adopt matching orphans, release owned pods that stopped matching),
create or delete pods to reach spec.replicas, and write the status.

Pods are named like the API server's generateName (``<owner>-`` + 5 characters of
k8s.io/apimachinery/pkg/util/rand's alphabet); each gets a controller ownerReference
with blockOwnerDeletion, as metav1.NewControllerRef makes it.
"""

from __future__ import annotations

import json

from minikctl.api.server import clone

MAX_GENERATED_PREFIX = 58  # names.maxGeneratedNameLength: 63 - 5 random characters
MINREADY_META = "controllers:minready"  # owners waiting for a pod to become available (minReadySeconds)


class ReplicaKind:
    """What a replica controller manages (an immutable value; a plain class, not a frozen
    dataclass: `dataclasses` imports `inspect`, about 5 ms of every `apply`)."""

    __slots__ = ("kind", "api_version", "resource", "work", "source")

    def __init__(self, kind: str, api_version: str, resource: str, work: str, source: str):
        object.__setattr__(self, "kind", kind)                # "ReplicaSet"
        object.__setattr__(self, "api_version", api_version)  # "apps/v1"
        object.__setattr__(self, "resource", resource)        # "replicasets"
        object.__setattr__(self, "work", work)                # work-queue key resource, "~replicaset"
        object.__setattr__(self, "source", source)            # event source component

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    __delattr__ = __setattr__

    def _key(self) -> tuple:
        return (self.kind, self.api_version, self.resource, self.work, self.source)

    def __repr__(self) -> str:
        return ("ReplicaKind(kind={!r}, api_version={!r}, resource={!r}, work={!r}, source={!r})"
                .format(*self._key()))

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


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

    # The RFC 3339 form minikctl writes (2024-01-02T03:04:05Z) without strptime, whose first call
    # imports _strptime, locale and calendar (about 2 ms of every apply); any other shape goes
    # through strptime as before.
    if len(s) == 20 and s[4] == s[7] == "-" and s[10] == "T" and s[13] == s[16] == ":" and s[19] == "Z" \
            and (s[:4] + s[5:7] + s[8:10] + s[11:13] + s[14:16] + s[17:19]).isdigit() and s.isascii():
        try:
            return datetime(int(s[:4]), int(s[5:7]), int(s[8:10]), int(s[11:13]), int(s[14:16]), int(s[17:19]),
                            tzinfo=timezone.utc).timestamp()
        except ValueError:
            return None
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
    pod = api.peek("pods", namespace, name)
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
class PodSummary:
    """What a sync needs to know of one pod: a ReplicaSet of 20,000 replicas is synced
    without holding 20,000 pod objects (each pod is read, summarised and dropped).
    A plain class with slots (not a dataclass: see ReplicaKind)."""

    __slots__ = ("namespace", "name", "node", "phase", "ready", "ready_since", "restarts", "created",
                 "fully_labeled", "available")
    __hash__ = None

    def __init__(self, namespace: str, name: str, node: str, phase: str, ready: bool, ready_since: str,
                 restarts: int, created: str, fully_labeled: bool, available: bool):
        self.namespace = namespace
        self.name = name
        self.node = node                    # spec.nodeName, "" when not bound
        self.phase = phase
        self.ready = ready
        self.ready_since = ready_since      # the Ready condition's lastTransitionTime
        self.restarts = restarts
        self.created = created
        self.fully_labeled = fully_labeled  # carries every label of the owner's pod template
        self.available = available

    def _key(self) -> tuple:
        return tuple(getattr(self, f) for f in self.__slots__)

    def __repr__(self) -> str:
        return "PodSummary(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in self.__slots__) + ")"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()


def summarise(pod: dict, template_labels: dict, min_ready_seconds: int, now_ts: float) -> PodSummary:
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    labels = meta.get("labels") or {}
    ready = is_pod_ready(pod)
    return PodSummary(
        meta.get("namespace", ""), meta["name"], spec.get("nodeName") or "", status.get("phase") or "", ready,
        (_condition(pod, "Ready") or {}).get("lastTransitionTime") or "",
        sum(int(c.get("restartCount", 0)) for c in status.get("containerStatuses") or []),
        meta.get("creationTimestamp") or "",
        all(labels.get(k) == v for k, v in template_labels.items()),
        ready and is_pod_available(pod, min_ready_seconds, now_ts))


def _ranked_for_deletion(pods: list[PodSummary], related: list[PodSummary]) -> list[PodSummary]:
    """controller.ActivePodsWithRanks ordering (getPodsToDelete): the first are deleted first."""
    on_node: dict[str, int] = {}
    for p in related:
        if p.node:
            on_node[p.node] = on_node.get(p.node, 0) + 1
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}

    def key(p: PodSummary):
        return (1 if p.node else 0, phase_rank.get(p.phase, 0), 1 if p.ready else 0,
                -on_node.get(p.node, 0), _neg(p.ready_since) if p.ready else "", -p.restarts,
                _neg(p.created), _neg(p.name))

    return sorted(pods, key=key)


def _neg(s: str) -> tuple:
    """Sort key for 'newer/greater first'."""
    return tuple(-ord(ch) for ch in s)


def claim_pods(api, owner: dict, selector, rk: ReplicaKind, template: dict) -> list[PodSummary]:
    """PodControllerRefManager.ClaimPods: the active pods this owner controls after adopting
    matching orphans and releasing owned pods that no longer match, summarised."""
    ns = owner["metadata"]["namespace"]
    uid = owner["metadata"]["uid"]
    tlabels = (template.get("metadata") or {}).get("labels") or {}
    min_ready = int((owner.get("spec") or {}).get("minReadySeconds") or 0)
    now = api.clock.timestamp()
    claimed: list[PodSummary] = []

    def keep(pod: dict) -> None:
        if is_pod_active(pod):
            claimed.append(summarise(pod, tlabels, min_ready, now))

    release = []
    for pod in api.store.iter_owned(uid, "pods"):
        if pod["metadata"].get("namespace") != ns:
            continue
        if selector.matches(pod["metadata"].get("labels")):
            keep(pod)
        elif not pod["metadata"].get("deletionTimestamp"):
            release.append(pod)
    for pod in release:
        # release: remove our ownerReference (the pod is orphaned, and replaced)
        pod["metadata"]["ownerReferences"] = [r for r in pod["metadata"].get("ownerReferences") or []
                                              if r.get("uid") != uid]
        if not pod["metadata"]["ownerReferences"]:
            del pod["metadata"]["ownerReferences"]
        api.update(pod, check_rv=False)
    if owner["metadata"].get("deletionTimestamp") or not selector:
        return claimed
    for pns, pname in api.store.orphan_names("pods", ns):
        pod = api.store.get("pods", pns, pname)
        if pod is None or controller_ref(pod) is not None or pod["metadata"].get("deletionTimestamp"):
            continue
        if not selector.matches(pod["metadata"].get("labels")):
            continue
        pod["metadata"].setdefault("ownerReferences", []).append(new_controller_ref(owner, rk.api_version, rk.kind))
        keep(api.update(pod, check_rv=False))
    return claimed


def manage_replicas(api, owner: dict, pods: list[PodSummary], rk: ReplicaKind, template: dict,
                    errors: list[str] | None = None) -> list[PodSummary]:
    """replica_set.go manageReplicas; returns the active pods after it. Pods are created in
    slowStartBatch's batches (1, 2, 4, ...: every pod of a batch is tried, and a batch with a
    failure ends the creations); the first failure's message goes into ``errors``."""
    from minikctl.api.errors import AlreadyExists, ApiError

    want = spec_replicas(owner.get("spec") or {})
    diff = len(pods) - want
    if diff < 0:
        pods = list(pods)
        tlabels = (template.get("metadata") or {}).get("labels") or {}
        min_ready = int((owner.get("spec") or {}).get("minReadySeconds") or 0)
        now = api.clock.timestamp()
        pod = pod_from_template(owner, template, rk)
        remaining, batch = -diff, 1  # controller.SlowStartInitialBatchSize
        while remaining > 0:
            size = min(batch, remaining)
            failed = []
            for _ in range(size):
                if not _take_pod_slot(api):
                    from minikctl.api.validation import MAX_PODS

                    api.record_event(owner, "Warning", "FailedCreate",
                                     f'Error creating: pods "{pod["metadata"]["generateName"]}" is forbidden: the '
                                     f"cluster holds {MAX_PODS} pods, the most this emulator runs", rk.source)
                    return pods
                for _attempt in range(5):
                    try:
                        created = api.create(pod)  # create copies its argument
                        break
                    except AlreadyExists:
                        continue
                    except ApiError as e:
                        api.record_event(owner, "Warning", "FailedCreate", f"Error creating: {e.message}", rk.source)
                        failed.append(e.message)
                        created = None
                        break
                else:  # pragma: no cover - five name collisions in a row
                    continue
                if created is None:
                    continue
                pods.append(summarise(created, tlabels, min_ready, now))
                api.record_event(owner, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                                 rk.source)
            if failed:
                if errors is not None:
                    errors.append(failed[0])
                return pods
            remaining -= size
            batch = size * 2
    elif diff > 0:
        doomed = _ranked_for_deletion(pods, pods)[:diff]
        for p in doomed:
            api.delete("pods", p.namespace, p.name)
            api.record_event(owner, "Normal", "SuccessfulDelete", f"Deleted pod: {p.name}", rk.source)
        gone = {p.name for p in doomed}
        pods = [p for p in pods if p.name not in gone]
    return pods


def _take_pod_slot(api) -> bool:
    """Room for one more pod within the emulator's capacity (validation.MAX_PODS). The pods
    are counted once per transaction, then each creation here takes one; only when that
    estimate runs out are they counted again (pods deleted meanwhile give their room back)."""
    from minikctl.api.validation import MAX_PODS

    room = getattr(api, "_pod_room", None)
    if room is None or room <= 0:
        room = MAX_PODS - api.store.count_objects("pods")
    if room <= 0:
        api._pod_room = 0
        return False
    api._pod_room = room - 1
    return True


def spec_replicas(spec: dict) -> int:
    r = spec.get("replicas")
    return 1 if r is None else int(r)


def calculate_status(api, owner: dict, pods: list[PodSummary]) -> tuple[dict, bool]:
    """replica_set_utils.go calculateStatus (fields in v1 struct order; zeros omitted but replicas)."""
    fully = sum(1 for p in pods if p.fully_labeled)
    ready = sum(1 for p in pods if p.ready)
    available = sum(1 for p in pods if p.available)
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
    pods = claim_pods(api, owner, selector, rk, template)
    errors: list[str] = []
    if not owner["metadata"].get("deletionTimestamp") and len(pods) != spec_replicas(spec):
        pods = manage_replicas(api, owner, pods, rk, template, errors)
    owner = api.get(rk.resource, namespace, name)
    status, waiting = calculate_status(api, owner, pods)
    _replica_failure(api, rk, owner, status, pods, errors[0] if errors else None)
    _track_min_ready(api, rk, namespace, name, waiting)
    if status != (owner.get("status") or {}):
        owner["status"] = status
        api.update_status(owner)


def _replica_failure(api, rk: ReplicaKind, owner: dict, status: dict, pods: list, err: str | None) -> None:
    """calculateStatus's ReplicaFailure condition: set (reason FailedCreate, the create error's
    message) when manageReplicas failed and none is set; removed once it succeeds. The owner
    waits for quota room (controllers.resourcequota) meanwhile. (issue 11, w-quota)"""
    from minikctl.controllers import resourcequota

    meta = owner["metadata"]
    conds = [c for c in status.get("conditions") or [] if isinstance(c, dict)]
    current = next((c for c in conds if c.get("type") == "ReplicaFailure"), None)
    if err is not None:
        resourcequota.remember_failed(api, rk.work, meta.get("namespace", ""), meta["name"])
        if current is None:
            diff = len(pods) - spec_replicas(owner.get("spec") or {})
            reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
            conds.append({"type": "ReplicaFailure", "status": "True", "lastTransitionTime": api.clock.rfc3339(),
                          "reason": reason, "message": err})
            status["conditions"] = conds
    else:
        resourcequota.forget_failed(api, rk.work, meta.get("namespace", ""), meta["name"])
        if current is not None:
            conds = [c for c in conds if c.get("type") != "ReplicaFailure"]
            if conds:
                status["conditions"] = conds
            else:
                status.pop("conditions", None)


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
