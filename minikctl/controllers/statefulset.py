"""statefulset-controller (pkg/controller/statefulset, Kubernetes 1.32), reduced to what
the emulator models.

- Pods are named ``<set>-<ordinal>`` (getPodName) with the labels
  ``statefulset.kubernetes.io/pod-name``, ``apps.kubernetes.io/pod-index`` and
  ``controller-revision-hash``; hostname is the pod's name and subdomain the set's
  serviceName (updateIdentity), so the governing headless Service gives each pod its
  DNS name.
- volumeClaimTemplates become PersistentVolumeClaims ``<template>-<pod>`` created before
  the pod (createPersistentVolumeClaims) and mounted by it (updateStorage); they outlive
  the pod. persistentVolumeClaimRetentionPolicy whenScaled/whenDeleted Delete removes
  them when the set scales down / is deleted.
- OrderedReady: at most one pod is created or deleted per step, and only while every
  lower ordinal is Running and Ready (stateful_set_control.go monotonic); Parallel
  creates and deletes all at once. Scale down deletes the highest ordinal first.
- RollingUpdate replaces pods from the highest ordinal down to ``partition``, one at a
  time, each only once all pods are Running and Ready; OnDelete only gives pods
  deleted by the user the new template.
- Revisions are ControllerRevisions ``<set>-<hash>`` whose data is the template patch
  (``{"spec": {"template": {..., "$patch": "replace"}}}``), as history.NewControllerRevision
  stores it; the hash is controller.ComputeHash's form over our canonical JSON.

Each sync makes one step; the pod and claim changes it causes queue the next, so a
scale-up of an OrderedReady set waits on the cluster clock for readiness probes as a
real one does.
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.controllers import replication as R

SOURCE = "statefulset-controller"
KIND, API_VERSION = "StatefulSet", "apps/v1"
WORK = "~statefulset"
REVISION_LABEL = "controller-revision-hash"          # apps.ControllerRevisionHashLabelKey
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"  # apps.StatefulSetPodNameLabel
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"       # apps.PodIndexLabel (beta, on in 1.32)
CR_HASH_LABEL = "controller.kubernetes.io/hash"        # history.ControllerRevisionHashLabel


# ------------------------------------------------------------------- watches
def on_pod(api, namespace: str, name: str) -> None:
    names = set()
    pod = api.peek("pods", namespace, name)
    for p in (pod, api.previous):
        ref = R.controller_ref(p) if p else None
        if ref is not None and ref.get("kind") == KIND:
            names.add(ref.get("name", ""))
            _cache_pod(api, ref.get("uid", ""), name, pod if pod is not None and R.controller_ref(pod) == ref else None)
    for n in sorted(names):
        api._enqueue(WORK, namespace, n)


# --------------------------------------------------------------- pod cache
class _Pod:
    """What a sync needs to know of one of the set's pods (the informer's view): a sync reads
    a set of 1,000 pods from this, not 1,000 pod objects from the store."""
    __slots__ = ("name", "ordinal", "ready", "revision", "terminating", "failed")

    def __init__(self, sts_name: str, pod: dict):
        self.name = pod["metadata"]["name"]
        self.ordinal = ordinal_of(sts_name, self.name)
        self.ready = _running_and_ready(pod)
        self.revision = revision_of(pod)
        self.terminating = _terminating(pod)
        self.failed = _failed(pod)


def _caches(api) -> dict:
    c = getattr(api, "_statefulset_pods", None)
    if c is None:
        c = api._statefulset_pods = {}
    return c


def _cache_pod(api, uid: str, name: str, pod: dict | None) -> None:
    entry = _caches(api).get(uid)
    if entry is None:
        return  # not loaded yet: the first sync reads the pods from the store
    if pod is None:
        entry[1].pop(name, None)
    else:
        entry[1][name] = _Pod(entry[0], pod)


def _pods_of(api, sts: dict) -> dict[str, _Pod]:
    uid = sts["metadata"]["uid"]
    caches = _caches(api)
    entry = caches.get(uid)
    if entry is None:
        ns = sts["metadata"]["namespace"]
        name = sts["metadata"]["name"]
        entry = caches[uid] = (name, {p["metadata"]["name"]: _Pod(name, p)
                                      for p in api.store.iter_owned(uid, "pods")
                                      if p["metadata"].get("namespace") == ns})
    return entry[1]


def on_statefulset(api, namespace: str, name: str) -> None:
    sts = api.try_get("statefulsets", namespace, name)
    if sts is None:
        prev = api.previous
        if prev is not None:
            _delete_claims_of_deleted_set(api, prev)
        return
    api._enqueue(WORK, namespace, name)


# ------------------------------------------------------------------- helpers
def _spec(sts: dict) -> dict:
    return sts.get("spec") or {}


def _start(sts: dict) -> int:
    return int((_spec(sts).get("ordinals") or {}).get("start") or 0)


def ordinal_of(sts_name: str, pod_name: str) -> int | None:
    """getParentNameAndOrdinal."""
    prefix = sts_name + "-"
    if not pod_name.startswith(prefix):
        return None
    rest = pod_name[len(prefix):]
    return int(rest) if rest.isdigit() else None


def _running_and_ready(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and R.is_pod_ready(pod)


def _terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def _failed(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded")


def revision_of(pod: dict) -> str:
    return (pod["metadata"].get("labels") or {}).get(REVISION_LABEL, "")


def claim_name(template: dict, pod_name: str) -> str:
    """getPersistentVolumeClaimName."""
    return f"{(template.get('metadata') or {}).get('name', '')}-{pod_name}"


# ------------------------------------------------------------------ revisions
def _revision_data(template: dict) -> dict:
    t = clone(template)
    t["$patch"] = "replace"
    return {"spec": {"template": t}}


def _revisions(api, sts: dict) -> list[dict]:
    return [cr for cr in api.list("controllerrevisions", sts["metadata"]["namespace"],
                                  owner_uid=sts["metadata"]["uid"])]


def _ensure_update_revision(api, sts: dict) -> tuple[str, dict]:
    """(update revision name, {revision name: template}) of the set: the ControllerRevision
    of its current template, created (or bumped to the newest number) when needed."""
    from minikctl.controllers.deployment import compute_hash

    spec = _spec(sts)
    template = spec.get("template") or {}
    collision = int((sts.get("status") or {}).get("collisionCount") or 0)
    h = compute_hash(template, collision)
    name = f"{sts['metadata']['name']}-{h}"
    revs = _revisions(api, sts)
    templates = {}
    top = 0
    mine = None
    for cr in revs:
        t = ((cr.get("data") or {}).get("spec") or {}).get("template") or {}
        t = {k: v for k, v in t.items() if k != "$patch"}
        templates[cr["metadata"]["name"]] = t
        top = max(top, int(cr.get("revision") or 0))
        if cr["metadata"]["name"] == name:
            mine = cr
    if mine is None:
        labels = dict((template.get("metadata") or {}).get("labels") or {})
        labels[CR_HASH_LABEL] = h
        cr = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
              "metadata": {"name": name, "namespace": sts["metadata"]["namespace"], "labels": labels,
                           "ownerReferences": [R.new_controller_ref(sts, API_VERSION, KIND)]},
              "data": _revision_data(template), "revision": top + 1}
        api.create(cr)
        templates[name] = clone(template)
        _truncate_history(api, sts, revs, name)
    elif int(mine.get("revision") or 0) < top:
        mine["revision"] = top + 1  # a rollback to an older template makes it the newest again
        api.update(mine, check_rv=False)
    return name, templates


def _truncate_history(api, sts: dict, revs: list[dict], update: str) -> None:
    """truncateHistory: keep revisionHistoryLimit revisions besides the live ones."""
    limit = _spec(sts).get("revisionHistoryLimit")
    limit = 10 if limit is None else int(limit)
    live = {update, (sts.get("status") or {}).get("currentRevision")}
    live.update(p.revision for p in _pods_of(api, sts).values())
    history = sorted((cr for cr in revs if cr["metadata"]["name"] not in live),
                     key=lambda cr: int(cr.get("revision") or 0))
    for cr in history[:max(0, len(history) - limit)]:
        api.delete("controllerrevisions", cr["metadata"]["namespace"], cr["metadata"]["name"])


# ----------------------------------------------------------------- pods/claims
def new_pod(sts: dict, template: dict, revision: str, ordinal: int) -> dict:
    """newVersionedStatefulSetPod: GetPodFromTemplate + updateIdentity + updateStorage."""
    meta_t = template.get("metadata") or {}
    name = f"{sts['metadata']['name']}-{ordinal}"
    ns = sts["metadata"]["namespace"]
    labels = dict(meta_t.get("labels") or {})
    labels[POD_NAME_LABEL] = name
    labels[POD_INDEX_LABEL] = str(ordinal)
    labels[REVISION_LABEL] = revision
    meta: dict = {"name": name, "namespace": ns, "labels": labels}
    if meta_t.get("annotations"):
        meta["annotations"] = dict(meta_t["annotations"])
    if meta_t.get("finalizers"):
        meta["finalizers"] = list(meta_t["finalizers"])
    meta["ownerReferences"] = [R.new_controller_ref(sts, API_VERSION, KIND)]
    spec = clone(template.get("spec") or {})
    spec["hostname"] = name
    if _spec(sts).get("serviceName"):
        spec["subdomain"] = _spec(sts)["serviceName"]
    claims = [t for t in _spec(sts).get("volumeClaimTemplates") or () if isinstance(t, dict)]
    if claims:
        names = {(t.get("metadata") or {}).get("name") for t in claims}
        vols = [{"name": (t.get("metadata") or {}).get("name"),
                 "persistentVolumeClaim": {"claimName": claim_name(t, name)}}
                for t in sorted(claims, key=lambda t: (t.get("metadata") or {}).get("name") or "")]
        vols += [v for v in spec.get("volumes") or () if v.get("name") not in names]
        spec["volumes"] = vols
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def _create_claims(api, sts: dict, pod_name: str) -> bool:
    """createPersistentVolumeClaims: the claims the pod needs that do not exist yet."""
    from minikctl.api.errors import ApiError

    ns = sts["metadata"]["namespace"]
    sel = (_spec(sts).get("selector") or {}).get("matchLabels") or {}
    policy = _spec(sts).get("persistentVolumeClaimRetentionPolicy") or {}
    for t in _spec(sts).get("volumeClaimTemplates") or ():
        cname = claim_name(t, pod_name)
        if api.store.exists("persistentvolumeclaims", ns, cname):
            continue
        claim = clone(t)
        claim.pop("status", None)
        meta = claim.setdefault("metadata", {})
        meta["name"] = cname
        meta["namespace"] = ns
        meta.pop("creationTimestamp", None)
        meta["labels"] = {**(meta.get("labels") or {}), **sel}
        if policy.get("whenDeleted") == "Delete":
            # updateClaimOwnerRefForSetAndPod: the set owns the claim (not as its controller)
            meta["ownerReferences"] = [{"apiVersion": API_VERSION, "kind": KIND, "name": sts["metadata"]["name"],
                                        "uid": sts["metadata"]["uid"]}]
        claim["apiVersion"], claim["kind"] = "v1", "PersistentVolumeClaim"
        try:
            api.create(claim)
        except ApiError as e:
            api.record_event(sts, "Warning", "FailedCreate",
                             f"create Claim {cname} for Pod {pod_name} in StatefulSet {sts['metadata']['name']} "
                             f"failed error: {e.message}", SOURCE)
            return False
        api.record_event(sts, "Normal", "SuccessfulCreate",
                         f"create Claim {cname} Pod {pod_name} in StatefulSet {sts['metadata']['name']} success",
                         SOURCE)
    return True


def _create_pod(api, sts: dict, template: dict, revision: str, ordinal: int) -> bool:
    from minikctl.api.errors import ApiError

    pod = new_pod(sts, template, revision, ordinal)
    name = pod["metadata"]["name"]
    if not _create_claims(api, sts, name):
        return False
    try:
        created = api.create(pod)
    except ApiError as e:
        api.record_event(sts, "Warning", "FailedCreate",
                         f"create Pod {name} in StatefulSet {sts['metadata']['name']} failed error: {e.message}",
                         SOURCE)
        return False
    _cache_pod(api, sts["metadata"]["uid"], name, created)
    api.record_event(sts, "Normal", "SuccessfulCreate",
                     f"create Pod {name} in StatefulSet {sts['metadata']['name']} successful", SOURCE)
    return True


def _delete_pod(api, sts: dict, name: str) -> None:
    api.delete("pods", sts["metadata"]["namespace"], name)
    _cache_pod(api, sts["metadata"]["uid"], name, None)
    api.record_event(sts, "Normal", "SuccessfulDelete",
                     f"delete Pod {name} in StatefulSet {sts['metadata']['name']} successful", SOURCE)


def _delete_claims_of(api, sts: dict, pod_name: str) -> None:
    """whenScaled: Delete: the condemned pod's claims go with it (the pod owns them, and the
    garbage collector removes them once the pod is gone)."""
    ns = sts["metadata"]["namespace"]
    for t in _spec(sts).get("volumeClaimTemplates") or ():
        cname = claim_name(t, pod_name)
        if api.store.exists("persistentvolumeclaims", ns, cname):
            api.delete("persistentvolumeclaims", ns, cname)


def _delete_claims_of_deleted_set(api, sts: dict) -> None:
    """whenDeleted: Delete: the garbage collector removes the claims the set owned."""
    uid = sts["metadata"]["uid"]
    ns = sts["metadata"].get("namespace", "")
    if not (_spec(sts).get("volumeClaimTemplates")):
        return
    for claim in api.list("persistentvolumeclaims", ns):
        if any(r.get("uid") == uid for r in claim["metadata"].get("ownerReferences") or ()):
            api.delete("persistentvolumeclaims", ns, claim["metadata"]["name"])


# ---------------------------------------------------------------------- sync
def sync(api, namespace: str, name: str) -> None:
    sts = api.try_get("statefulsets", namespace, name)
    if sts is None or sts["metadata"].get("deletionTimestamp"):
        return
    spec = _spec(sts)
    update_rev, templates = _ensure_update_revision(api, sts)
    sts = api.get("statefulsets", namespace, name)
    status = sts.get("status") or {}
    current_rev = status.get("currentRevision") or update_rev
    if current_rev not in templates:
        current_rev = update_rev
    replicas = R.spec_replicas(spec)
    start = _start(sts)
    parallel = spec.get("podManagementPolicy") == "Parallel"
    strategy = spec.get("updateStrategy") or {}
    rolling = strategy.get("type", "RollingUpdate") == "RollingUpdate"
    partition = int((strategy.get("rollingUpdate") or {}).get("partition") or 0) if rolling else 0

    # the pods the set controls, by ordinal (valid ones) and the condemned rest
    by_ord: dict[int, _Pod] = {}
    condemned: list[_Pod] = []
    for p in _pods_of(api, sts).values():
        if p.ordinal is not None and start <= p.ordinal < start + replicas:
            by_ord[p.ordinal] = p
        else:
            condemned.append(p)
    condemned.sort(key=lambda p: -(p.ordinal if p.ordinal is not None else -1))

    def template_for(ordinal: int) -> tuple[dict, str]:
        """newVersionedStatefulSetPod: a RollingUpdate set recreates the pods below its
        partition at the current revision; every other pod gets the update revision."""
        if current_rev != update_rev and rolling and ordinal - start < partition:
            return templates[current_rev], current_rev
        return templates[update_rev], update_rev

    # 1. failed pods are deleted (and recreated on the next step)
    for o in sorted(by_ord):
        pod = by_ord[o]
        if pod.failed and not pod.terminating:
            _delete_pod(api, sts, pod.name)
            del by_ord[o]
    # 2. create missing pods in ordinal order; OrderedReady waits for each one
    blocked = False
    for o in range(start, start + replicas):
        pod = by_ord.get(o)
        if pod is None:
            template, rev = template_for(o)
            _create_pod(api, sts, template, rev, o)
            if not parallel:
                blocked = True
                break
            continue
        if not parallel and (pod.terminating or not pod.ready):
            blocked = True
            break
    # 3. condemned pods, highest ordinal first
    if condemned and not blocked:
        if parallel:
            for pod in condemned:
                _scale_down(api, sts, pod)
        else:
            _scale_down(api, sts, condemned[0])
            blocked = True
    # 4. rolling update: highest ordinal first, down to the partition, one at a time
    if rolling and not blocked and not condemned:
        pods = [by_ord[o] for o in sorted(by_ord)]
        if len(pods) == replicas and all(p.ready for p in pods):
            for o in range(start + replicas - 1, start + partition - 1, -1):
                pod = by_ord.get(o)
                if pod is not None and pod.revision != update_rev and not pod.terminating:
                    _delete_pod(api, sts, pod.name)
                    break
    _write_status(api, namespace, name, update_rev, current_rev, rolling)


def _scale_down(api, sts: dict, pod: _Pod) -> None:
    _delete_pod(api, sts, pod.name)
    if (_spec(sts).get("persistentVolumeClaimRetentionPolicy") or {}).get("whenScaled") == "Delete":
        _delete_claims_of(api, sts, pod.name)


def _write_status(api, namespace: str, name: str, update_rev: str, current_rev: str, rolling: bool) -> None:
    """updateStatefulSetStatus / computeReplicaStatus (fields in apps/v1 struct order)."""
    sts = api.get("statefulsets", namespace, name)
    replicas = ready = available = current = updated = 0
    for pod in _pods_of(api, sts).values():
        if pod.terminating:
            continue
        replicas += 1
        if pod.ready:
            ready += 1
            available += 1
        rev = pod.revision
        if rev == current_rev:
            current += 1
        if rev == update_rev:
            updated += 1
    want = R.spec_replicas(_spec(sts))
    if rolling and updated == replicas == want and ready == replicas:
        # completeRollingUpdate
        current_rev, current = update_rev, updated
    old = sts.get("status") or {}
    status: dict = {}
    gen = sts["metadata"].get("generation")
    if gen:
        status["observedGeneration"] = gen
    status["replicas"] = replicas
    if ready:
        status["readyReplicas"] = ready
    if current:
        status["currentReplicas"] = current
    if updated:
        status["updatedReplicas"] = updated
    status["currentRevision"] = current_rev
    status["updateRevision"] = update_rev
    status["collisionCount"] = int(old.get("collisionCount") or 0)
    if old.get("conditions"):
        status["conditions"] = old["conditions"]
    status["availableReplicas"] = available
    if status != old:
        sts["status"] = status
        api.update_status(sts)
