"""daemonset-controller (pkg/controller/daemon/daemon_controller.go, update.go, util) as of 1.32.

One pod per node that should run it (NodeShouldRunDaemonPod: the template's nodeName,
nodeSelector and required node affinity, and the node's NoSchedule/NoExecute taints
against the template's tolerations plus the automatic ones). The pod is created with a
required node affinity ``metadata.name In [node]`` (ReplaceDaemonSetPodNodeNameNodeAffinity)
and bound by the default scheduler. Pods carry ``controller-revision-hash`` and
``pod-template-generation``; a template change rolls the pods node by node within
maxUnavailable, or with maxSurge a new pod next to the old one until it is available
(RollingUpdate), or waits for the user to delete them (OnDelete). Node changes (labels,
taints, a node added) queue every DaemonSet.

ControllerRevisions (constructHistory, cleanupHistory) are in dshistory.py (issue 12). Not
modelled: the failed-pod backoff, slow-start batches.
"""

from __future__ import annotations

import json
import math

from minikctl.controllers import replication as R

DS = R.ReplicaKind("DaemonSet", "apps/v1", "daemonsets", "~daemonset", "daemonset-controller")
SOURCE = "daemonset-controller"
HASH_LABEL = "controller-revision-hash"          # apps.DefaultDaemonSetUniqueLabelKey
GENERATION_LABEL = "pod-template-generation"     # extensions.DaemonSetTemplateGenerationKey
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _tol(key: str, effect: str) -> dict:
    return {"key": key, "operator": "Exists", "effect": effect}


# util.AddOrUpdateDaemonPodTolerations, in its order
AUTO_TOLERATIONS = (
    _tol("node.kubernetes.io/not-ready", "NoExecute"),
    _tol("node.kubernetes.io/unreachable", "NoExecute"),
    _tol("node.kubernetes.io/disk-pressure", "NoSchedule"),
    _tol("node.kubernetes.io/memory-pressure", "NoSchedule"),
    _tol("node.kubernetes.io/pid-pressure", "NoSchedule"),
    _tol("node.kubernetes.io/unschedulable", "NoSchedule"),
)
HOST_NETWORK_TOLERATION = _tol("node.kubernetes.io/network-unavailable", "NoSchedule")


def selector_of(ds: dict):
    from minikctl.api.selectors import from_label_selector

    sel = (ds.get("spec") or {}).get("selector")
    if not sel or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        return None
    return from_label_selector(sel)


# ------------------------------------------------------------------- watches
def on_daemonset(api, namespace: str, name: str) -> None:
    api._daemonsets_exist = True
    api._enqueue(DS.work, namespace, name)


def on_pod(api, namespace: str, name: str) -> None:
    # most clusters run no DaemonSet: then a pod change costs nothing here (counted once per command)
    exist = getattr(api, "_daemonsets_exist", None)
    if exist is None:
        exist = api._daemonsets_exist = api.store.count_objects("daemonsets") > 0
    if exist:
        R.enqueue_for_pod(api, DS, namespace, name, selector_of)


def on_node(api, namespace: str, name: str) -> None:
    """A node was added, changed (labels, taints, cordon) or removed: every DaemonSet looks again."""
    for ds in api.list("daemonsets"):
        api._enqueue(DS.work, ds["metadata"]["namespace"], ds["metadata"]["name"])


# ------------------------------------------------------------------- helpers
def _add_toleration(tols: list, tol: dict) -> None:
    """v1helper.AddOrUpdateTolerationInPodSpec."""
    for i, t in enumerate(tols):
        if (t.get("key") or "") == tol["key"] and (t.get("effect") or "") == tol["effect"] \
                and (t.get("operator") or "Equal") == tol["operator"] and (t.get("value") or "") == "":
            tols[i] = dict(tol)
            return
    tols.append(dict(tol))


def template_generation(ds: dict) -> str:
    return str(((ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION)) or "1")


def template_hash(ds: dict) -> str:
    """controller.ComputeHash of the template and collisionCount: fnv32a, then
    rand.SafeEncodeString of its decimal form."""
    data = json.dumps((ds.get("spec") or {}).get("template") or {}, sort_keys=True, separators=(",", ":"))
    data += str(((ds.get("status") or {}).get("collisionCount")) or "")
    h = 0x811C9DC5
    for b in data.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    return "".join(alphabet[int(ch) % len(alphabet)] for ch in str(h))


def pod_template(ds: dict, gen: str, hash_: str) -> dict:
    """util.CreatePodTemplate: the template with the automatic tolerations and the two labels."""
    from minikctl.api.server import clone

    t = clone((ds.get("spec") or {}).get("template") or {})
    spec = t.setdefault("spec", {})
    tols = list(spec.get("tolerations") or [])
    for tol in AUTO_TOLERATIONS:
        _add_toleration(tols, tol)
    if spec.get("hostNetwork"):
        _add_toleration(tols, HOST_NETWORK_TOLERATION)
    spec["tolerations"] = tols
    labels = t.setdefault("metadata", {}).setdefault("labels", {})
    labels[GENERATION_LABEL] = gen
    labels[HASH_LABEL] = hash_
    return t


def _replace_node_affinity(spec: dict, node_name: str) -> None:
    """util.ReplaceDaemonSetPodNodeNameNodeAffinity."""
    aff = spec.get("affinity") or {}
    na = dict(aff.get("nodeAffinity") or {})
    na["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}
    spec["affinity"] = {**aff, "nodeAffinity": na}


def target_node(pod: dict) -> str:
    """util.GetTargetNodeName: spec.nodeName, or the node of the matchFields affinity."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    terms = ((((spec.get("affinity") or {}).get("nodeAffinity") or {})
              .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or [])
    for term in terms:
        for f in term.get("matchFields") or ():
            if f.get("key") == "metadata.name" and f.get("operator") == "In" and len(f.get("values") or []) == 1:
                return f["values"][0]
    return ""


def node_should_run(node: dict, template: dict) -> tuple[bool, bool]:
    """NodeShouldRunDaemonPod: (shouldRun, shouldContinueRunning)."""
    from minikctl.controllers import scheduler as S

    tspec = template.get("spec") or {}
    name = node["metadata"]["name"]
    if tspec.get("nodeName") and tspec["nodeName"] != name:
        return False, False
    if not S.matches_node_affinity(template, node):
        return False, False
    tols = tspec.get("tolerations") or []
    taints = (node.get("spec") or {}).get("taints") or ()
    untolerated = [t for t in taints if t.get("effect") in ("NoSchedule", "NoExecute")
                   and not any(S.toleration_tolerates(x, t) for x in tols)]
    if untolerated:
        return False, not any(t.get("effect") == "NoExecute" for t in untolerated)
    return True, True


def _by_age(pods: list[dict]) -> list[dict]:
    """podByCreationTimestampAndPhase: the oldest first (a running pod before a pending one of the same age)."""
    return sorted(pods, key=lambda p: (p["metadata"].get("creationTimestamp") or "",
                                       0 if (p.get("status") or {}).get("phase") == "Running" else 1,
                                       p["metadata"]["name"]))


def _is_updated(pod: dict, hash_: str, gen: str) -> bool:
    """util.IsPodUpdated."""
    labels = pod["metadata"].get("labels") or {}
    return labels.get(GENERATION_LABEL) == gen or (bool(hash_) and labels.get(HASH_LABEL) == hash_)


def _scaled(v, total: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true)."""
    if isinstance(v, str) and v.endswith("%"):
        try:
            return math.ceil(int(v[:-1]) * total / 100)
        except ValueError:
            return 0
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


# ---------------------------------------------------------------------- sync
def sync(api, namespace: str, name: str) -> None:
    ds = api.try_get("daemonsets", namespace, name)
    if ds is None:
        R._track_min_ready(api, DS, namespace, name, False)
        return
    selector = selector_of(ds)
    if selector is None or ds["metadata"].get("deletionTimestamp"):
        return
    spec = ds.get("spec") or {}
    R.claim_pods(api, ds, selector, DS, spec.get("template") or {})
    uid = ds["metadata"]["uid"]
    gen, hash_ = template_generation(ds), template_hash(ds)
    template = pod_template(ds, gen, hash_)
    from minikctl.controllers import dshistory  # issue 12 (w-rollout): ControllerRevisions

    dshistory.construct_history(api, ds, hash_)

    node_pods: dict[str, list[dict]] = {}
    for pod in api.store.iter_owned(uid, "pods"):
        if pod["metadata"].get("namespace") != namespace or pod["metadata"].get("deletionTimestamp"):
            continue
        node_pods.setdefault(target_node(pod), []).append(pod)
    nodes = sorted(api.list("nodes"), key=lambda n: n["metadata"]["name"])
    verdicts = {n["metadata"]["name"]: node_should_run(n, template) for n in nodes}

    # manage(): podsShouldBeOnNode for every node
    surge = allows_surge(ds, sum(1 for v in verdicts.values() if v[0]))
    to_create: list[str] = []
    to_delete: list[dict] = []
    for node in nodes:
        nname = node["metadata"]["name"]
        should_run, should_continue = verdicts[nname]
        pods = node_pods.get(nname, [])
        if should_run and not pods:
            to_create.append(nname)
        elif should_continue:
            running = []
            for p in pods:
                phase = (p.get("status") or {}).get("phase")
                if phase == "Failed":
                    api.record_event(ds, "Warning", "FailedDaemonPod",
                                     f"Found failed daemon pod {namespace}/{p['metadata']['name']} on node {nname}, "
                                     "will try to kill it", SOURCE)
                    to_delete.append(p)
                elif phase == "Succeeded":
                    to_delete.append(p)
                else:
                    running.append(p)
            if not surge:
                # without surge, more than one running pod on a node: all but the oldest go
                to_delete += _by_age(running)[1:]
                continue
            # with surge, two pods only while the oldest updated one is not available and
            # the oldest old one is ready; if neither is, only the updated one stays
            if not running:
                if should_run:
                    to_create.append(nname)  # at least one pod that is not being deleted
                continue
            oldest_new = oldest_old = None
            for p in _by_age(running):
                if (p["metadata"].get("labels") or {}).get(HASH_LABEL) == hash_:
                    if oldest_new is None:
                        oldest_new = p
                        continue
                elif oldest_old is None:
                    oldest_old = p
                    continue
                to_delete.append(p)
            if oldest_new is not None and oldest_old is not None and (
                    not R.is_pod_ready(oldest_old)
                    or R.is_pod_available(oldest_new, int(spec.get("minReadySeconds") or 0), api.clock.timestamp())):
                to_delete.append(oldest_old)
        elif pods:
            to_delete += pods
    known = set(verdicts)
    for nname, pods in node_pods.items():
        if nname not in known:  # getUnscheduledPodsWithoutNode / pods of a node that is gone
            to_delete += pods
    _sync_nodes(api, ds, to_delete, to_create, template)

    strategy = spec.get("updateStrategy") or {}
    if not to_delete and not to_create and strategy.get("type", "RollingUpdate") == "RollingUpdate":
        _rolling_update(api, ds, node_pods, verdicts, hash_, gen)
    _update_status(api, namespace, name, hash_, gen)
    dshistory.cleanup_history(api, ds, hash_, {(p["metadata"].get("labels") or {}).get(HASH_LABEL)
                                               for pods in node_pods.values() for p in pods})


def _sync_nodes(api, ds: dict, to_delete: list[dict], to_create: list[str], template: dict) -> None:
    from minikctl.api.errors import AlreadyExists, ApiError

    for p in to_delete:
        try:
            api.delete("pods", p["metadata"]["namespace"], p["metadata"]["name"])
        except ApiError:
            continue
        api.record_event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}", SOURCE)
    for nname in to_create:
        pod = R.pod_from_template(ds, template, DS)
        _replace_node_affinity(pod["spec"], nname)
        if not R._take_pod_slot(api):
            from minikctl.api.validation import MAX_PODS

            api.record_event(ds, "Warning", "FailedCreate",
                             f'Error creating: pods "{pod["metadata"]["generateName"]}" is forbidden: the cluster '
                             f"holds {MAX_PODS} pods, the most this emulator runs", SOURCE)
            return
        for _attempt in range(5):
            try:
                created = api.create(pod)
                break
            except AlreadyExists:
                continue
            except ApiError as e:
                api.record_event(ds, "Warning", "FailedCreate", f"Error creating: {e.message}", SOURCE)
                return
        else:  # pragma: no cover - five name collisions in a row
            continue
        api.record_event(ds, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}", SOURCE)


def allows_surge(ds: dict, desired: int) -> bool:
    """util.AllowsSurge: a RollingUpdate whose maxSurge comes to more than 0."""
    strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return False
    return _scaled((strategy.get("rollingUpdate") or {}).get("maxSurge"), desired) > 0


def _rolling_update(api, ds: dict, node_pods: dict, verdicts: dict, hash_: str, gen: str) -> None:
    """update.go rollingUpdate. Without surge: old pods are deleted (the manage loop then
    creates their replacements) while at most maxUnavailable nodes lack an available pod.
    With maxSurge: a new pod is created next to an old one on up to maxSurge nodes at a
    time, and the old one goes once the new one is available."""
    spec = ds.get("spec") or {}
    ru = (spec.get("updateStrategy") or {}).get("rollingUpdate") or {}
    desired = sum(1 for v in verdicts.values() if v[0])
    max_surge = _scaled(ru.get("maxSurge"), desired)
    max_unavailable = _scaled(ru.get("maxUnavailable"), desired)
    if max_unavailable == 0 and max_surge == 0:
        max_unavailable = 1
    min_ready = int(spec.get("minReadySeconds") or 0)
    now = api.clock.timestamp()
    if max_surge > 0:
        _surge_update(api, ds, node_pods, verdicts, hash_, gen, max_surge, desired, min_ready, now)
        return
    unavailable = 0
    replace: list[dict] = []
    candidates: list[dict] = []
    for nname in sorted(node_pods):
        pods = node_pods[nname]
        new = [p for p in pods if _is_updated(p, hash_, gen)]
        old = [p for p in pods if not _is_updated(p, hash_, gen)]
        if len(new) > 1 or len(old) > 1 or (new and old) or not pods:
            unavailable += 1
        elif new:
            if not R.is_pod_available(new[0], min_ready, now):
                unavailable += 1
        elif not R.is_pod_available(old[0], min_ready, now):
            replace.append(old[0])
        elif unavailable < max_unavailable:
            candidates.append(old[0])
    room = max(0, max_unavailable - unavailable)
    doomed = replace + candidates[:room]
    if doomed:
        _sync_nodes(api, ds, doomed, [], {})


def _surge_update(api, ds: dict, node_pods: dict, verdicts: dict, hash_: str, gen: str, max_surge: int,
                  desired: int, min_ready: int, now: float) -> None:
    """update.go rollingUpdate, the maxSurge > 0 branch."""
    old_to_delete: list[dict] = []
    should_not_run: list[dict] = []
    candidates: list[str] = []
    allowed: list[str] = []
    num_surge = num_available = 0
    for nname in sorted(node_pods):
        pods = [p for p in node_pods[nname]]
        new = [p for p in pods if _is_updated(p, hash_, gen)]
        old = [p for p in pods if not _is_updated(p, hash_, gen)]
        if len(new) > 1 or len(old) > 1:
            num_surge += 1  # the manage loop cleans this node up first
            continue
        new_pod, old_pod = (new or [None])[0], (old or [None])[0]
        if old_pod is not None:
            num_available += R.is_pod_available(old_pod, min_ready, now)
        elif new_pod is not None:
            num_available += R.is_pod_available(new_pod, min_ready, now)
        should_run = verdicts.get(nname, (False, False))[0]
        if old_pod is None:
            continue
        if new_pod is None:
            if not R.is_pod_available(old_pod, min_ready, now):
                if not should_run:
                    old_to_delete.append(old_pod)
                else:
                    allowed.append(nname)
            elif not should_run:
                should_not_run.append(old_pod)
            elif num_surge < max_surge:
                candidates.append(nname)
        elif not R.is_pod_available(new_pod, min_ready, now):
            num_surge += 1
        else:
            old_to_delete.append(old_pod)
    deletable = num_available - desired
    if deletable > 0:
        old_to_delete += should_not_run[:deletable]
    room = min(max(0, max_surge - num_surge), len(candidates))
    create = allowed + candidates[:room]
    if old_to_delete or create:
        _sync_nodes(api, ds, old_to_delete, create, pod_template(ds, gen, hash_))


def _update_status(api, namespace: str, name: str, hash_: str, gen: str) -> None:
    """updateDaemonSetStatus (v1.DaemonSetStatus field order; the first four always written)."""
    ds = api.get("daemonsets", namespace, name)
    spec = ds.get("spec") or {}
    template = pod_template(ds, gen, hash_)
    node_pods: dict[str, list[dict]] = {}
    for pod in api.store.iter_owned(ds["metadata"]["uid"], "pods"):
        if pod["metadata"].get("namespace") == namespace and not pod["metadata"].get("deletionTimestamp"):
            node_pods.setdefault(target_node(pod), []).append(pod)
    min_ready = int(spec.get("minReadySeconds") or 0)
    now = api.clock.timestamp()
    desired = current = misscheduled = ready = available = updated = 0
    waiting = False
    for node in api.list("nodes"):
        pods = node_pods.get(node["metadata"]["name"])
        should_run, _ = node_should_run(node, template)
        if should_run:
            desired += 1
            if not pods:
                continue
            current += 1
            pod = _by_age(pods)[0]
            if R.is_pod_ready(pod):
                ready += 1
                if R.is_pod_available(pod, min_ready, now):
                    available += 1
                else:
                    waiting = True
            if _is_updated(pod, hash_, gen):
                updated += 1
        elif pods:
            misscheduled += 1
        # a surge pod next to an old one: updatePod enqueues the DaemonSet again after
        # minReadySeconds (+1 s there; here when the clock reaches it)
        if pods and len(pods) > 1 and not waiting:
            waiting = any(R.is_pod_ready(p) and not R.is_pod_available(p, min_ready, now) for p in pods)
    status: dict = {"currentNumberScheduled": current, "numberMisscheduled": misscheduled,
                    "desiredNumberScheduled": desired, "numberReady": ready}
    if ds["metadata"].get("generation"):
        status["observedGeneration"] = ds["metadata"]["generation"]
    if updated:
        status["updatedNumberScheduled"] = updated
    if available:
        status["numberAvailable"] = available
    if desired - available:
        status["numberUnavailable"] = desired - available
    old = ds.get("status") or {}
    for k in ("collisionCount", "conditions"):
        if old.get(k) is not None:
            status[k] = old[k]
    R._track_min_ready(api, DS, namespace, name, waiting)
    if status != old:
        ds["status"] = status
        api.update_status(ds)
