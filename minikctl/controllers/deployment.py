"""deployment-controller (pkg/controller/deployment): Deployment -> ReplicaSets.

Ported from deployment_controller.go syncDeployment, sync.go (getNewReplicaSet, scale,
syncRolloutStatus, cleanupDeployment), rolling.go, recreate.go and
util/deployment_util.go. Each sync re-reads the deployment and its replica sets and
makes one step of the rollout; the ReplicaSet status changes that follow queue the
next step, so a rolling update goes through the same scale-up/scale-down steps
(and the same ScalingReplicaSet events) as on a real cluster, and stalls the same way
when new pods do not become available.

The ReplicaSet name is ``<deployment>-<pod-template-hash>``; the hash is computed as
controller.ComputeHash does (32-bit FNV-1a of the pod template, plus the collision
count, rendered with rand.SafeEncodeString), over the template's canonical JSON (the
real one hashes a Go struct dump, so the values differ from a real cluster's, but not
their form or their stability).
"""

from __future__ import annotations

from minikctl.api.server import clone
import json

from minikctl.controllers import replication as R

SOURCE = "deployment-controller"
KIND, API_VERSION = "Deployment", "apps/v1"
WORK = "~deployment"
HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
SKIP_COPY = {"kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS,
             "deprecated.deployment.rollback.to"}

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand


# --------------------------------------------------------------------- hash
def fnv32a(data: bytes, h: int = 0x811C9DC5) -> int:
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode_string(s: str) -> str:
    """rand.SafeEncodeString."""
    return "".join(ALPHANUMS[ord(ch) % len(ALPHANUMS)] for ch in s)


def _strip_hash(template: dict) -> dict:
    t = clone(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if labels and HASH_LABEL in labels:
        del labels[HASH_LABEL]
    meta = t.get("metadata")
    if isinstance(meta, dict):
        meta.pop("creationTimestamp", None)
        if not meta.get("labels"):
            meta.pop("labels", None)
    return t


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash."""
    data = json.dumps(_strip_hash(template), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    h = fnv32a(data)
    if collision_count is not None:
        h = fnv32a(int(collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0", h)
    return safe_encode_string(str(h))


def equal_ignore_hash(a: dict, b: dict) -> bool:
    return _strip_hash(a) == _strip_hash(b)


# ------------------------------------------------------------ int-or-percent
def _scaled(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    import math

    if value is None:
        return 0
    if isinstance(value, int):
        return value
    s = str(value)
    if s.endswith("%"):
        try:
            pct = int(s[:-1])
        except ValueError:
            return 0
        v = pct * total / 100
        return int(math.ceil(v)) if round_up else int(math.floor(v))
    try:
        return int(s)
    except ValueError:
        return 0


def _replicas(d: dict) -> int:
    return R.spec_replicas(d.get("spec") or {})


def _rolling(d: dict) -> bool:
    return ((d.get("spec") or {}).get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"


def resolve_fenceposts(d: dict) -> tuple[int, int]:
    """util.ResolveFenceposts: (maxSurge, maxUnavailable); both 0 means 1 unavailable."""
    ru = ((d.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}
    n = _replicas(d)
    surge = _scaled(ru.get("maxSurge", "25%"), n, True)
    unavail = _scaled(ru.get("maxUnavailable", "25%"), n, False)
    if surge == 0 and unavail == 0:
        unavail = 1
    return surge, unavail


def max_surge(d: dict) -> int:
    return resolve_fenceposts(d)[0] if _rolling(d) else 0


def max_unavailable(d: dict) -> int:
    if not _rolling(d) or _replicas(d) == 0:
        return 0
    return min(resolve_fenceposts(d)[1], _replicas(d))


# ---------------------------------------------------------- replica set data
def _rs_replicas(rs: dict) -> int:
    return R.spec_replicas(rs.get("spec") or {})


def _st(rs: dict | None, field: str) -> int:
    return int(((rs or {}).get("status") or {}).get(field) or 0)


def _revision(rs: dict) -> int:
    try:
        return int(((rs["metadata"].get("annotations") or {}).get(REVISION)) or 0)
    except ValueError:
        return 0


def _by_creation(rss: list[dict]) -> list[dict]:
    return sorted(rss, key=lambda r: (r["metadata"].get("creationTimestamp") or "", _revision(r), r["metadata"]["name"]))


def _active(rss: list[dict]) -> list[dict]:
    return [r for r in rss if r is not None and _rs_replicas(r) > 0]


def _sum(rss, fn) -> int:
    return sum(fn(r) for r in rss if r is not None)


# ------------------------------------------------------------------ watches
def on_deployment(api, namespace: str, name: str) -> None:
    api._enqueue(WORK, namespace, name)


def on_replicaset(api, namespace: str, name: str) -> None:
    rs = api.try_get("replicasets", namespace, name)
    keys = set()
    for r in (rs, api.previous):
        if r is None:
            continue
        ref = R.controller_ref(r)
        if ref is not None:
            if ref.get("kind") == KIND:
                keys.add(ref.get("name", ""))
        elif r is rs:
            for d in api.store.matching_selectors("deployments", namespace, rs["metadata"].get("labels") or {}):
                keys.add(d["metadata"]["name"])
    for k in sorted(keys):
        api._enqueue(WORK, namespace, k)


# --------------------------------------------------------------------- sync
class _Ctx:
    """One sync of one deployment: the working copy `d` is written once at the end."""

    def __init__(self, api, d: dict):
        self.api = api
        self.d = d
        self.orig = clone(d)
        self.now = api.clock.rfc3339()

    # -- conditions (util.SetDeploymentCondition)
    def new_condition(self, type_: str, status: str, reason: str, message: str) -> dict:
        return {"type": type_, "status": status, "lastUpdateTime": self.now, "lastTransitionTime": self.now,
                "reason": reason, "message": message}

    @staticmethod
    def get_condition(status: dict, type_: str) -> dict | None:
        return next((c for c in status.get("conditions") or [] if c.get("type") == type_), None)

    @staticmethod
    def set_condition(status: dict, cond: dict) -> None:
        cur = _Ctx.get_condition(status, cond["type"])
        if cur is not None and cur.get("status") == cond["status"] and cur.get("reason") == cond["reason"]:
            return
        if cur is not None and cur.get("status") == cond["status"]:
            cond["lastTransitionTime"] = cur.get("lastTransitionTime")
        status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != cond["type"]] + [cond]

    @staticmethod
    def remove_condition(status: dict, type_: str) -> None:
        conds = [c for c in status.get("conditions") or [] if c.get("type") != type_]
        if conds:
            status["conditions"] = conds
        else:
            status.pop("conditions", None)

    # -- writes
    def record(self, type_: str, reason: str, message: str) -> None:
        self.api.record_event(self.d, type_, reason, message, SOURCE)

    def update_rs(self, rs: dict) -> dict:
        return self.api.update(rs, check_rv=False)

    def scale_rs(self, rs: dict, new_scale: int, operation: str | None = None) -> tuple[bool, dict]:
        """scaleReplicaSet: size and the desired/max-replicas annotations, ScalingReplicaSet event."""
        old_scale = _rs_replicas(rs)
        if operation is None:
            if old_scale == new_scale:
                return False, rs
            operation = "up" if old_scale < new_scale else "down"
        size_change = old_scale != new_scale
        ann = rs["metadata"].get("annotations") or {}
        want_desired, want_max = str(_replicas(self.d)), str(_replicas(self.d) + max_surge(self.d))
        ann_change = ann.get(DESIRED) != want_desired or ann.get(MAX_REPLICAS) != want_max
        if not size_change and not ann_change:
            return False, rs
        rs = clone(rs)
        rs["spec"]["replicas"] = new_scale
        a = rs["metadata"].setdefault("annotations", {})
        a[DESIRED], a[MAX_REPLICAS] = want_desired, want_max
        rs = self.update_rs(rs)
        if size_change:
            self.record("Normal", "ScalingReplicaSet",
                        f"Scaled {operation} replica set {rs['metadata']['name']} from {old_scale} to {new_scale}")
        return size_change, rs

    def flush(self) -> None:
        if self.d != self.orig:
            self.api.update(self.d, check_rv=False, keep_status=False)


def sync(api, namespace: str, name: str) -> None:
    from minikctl.api.selectors import from_label_selector

    d = api.try_get("deployments", namespace, name)
    if d is None:
        return  # deleted: its replica sets (and their pods) are garbage-collected
    spec = d.get("spec") or {}
    sel = spec.get("selector") or {}
    c = _Ctx(api, d)
    if not (sel.get("matchLabels") or sel.get("matchExpressions")):
        c.record("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
        st = d.setdefault("status", {})
        if int(st.get("observedGeneration") or 0) < int(d["metadata"].get("generation") or 0):
            st["observedGeneration"] = d["metadata"].get("generation")
        c.flush()
        return
    rs_list = _claim_replicasets(api, d, from_label_selector(sel))
    if not d["metadata"].get("deletionTimestamp"):
        _check_paused_conditions(c)  # issue 12 (w-rollout): rollout pause/resume
    if d["metadata"].get("deletionTimestamp"):
        _sync_status_only(c, rs_list)
    elif spec.get("paused"):
        _sync_scale(c, rs_list)
    elif _is_scaling_event(c, rs_list):
        _sync_scale(c, rs_list)
    elif _rolling(d):
        _rollout_rolling(c, rs_list)
    else:
        _rollout_recreate(c, rs_list)
    c.flush()


def _check_paused_conditions(c: _Ctx) -> None:
    """sync.go checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed, so
    that a resumed deployment's progress deadline counts from its resumption."""
    if not _has_progress_deadline(c.d):
        return
    status = c.d.setdefault("status", {})
    cond = c.get_condition(status, "Progressing")
    if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
        return
    paused_cond = cond is not None and cond.get("reason") == "DeploymentPaused"
    if (c.d.get("spec") or {}).get("paused") and not paused_cond:
        c.set_condition(status, c.new_condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused"))
    elif not (c.d.get("spec") or {}).get("paused") and paused_cond:
        c.set_condition(status, c.new_condition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed"))


def _claim_replicasets(api, d: dict, selector) -> list[dict]:
    """ReplicaSetControllerRefManager.ClaimReplicaSets."""
    ns, uid = d["metadata"]["namespace"], d["metadata"]["uid"]
    owned = {r["metadata"]["name"]: r for r in api.list("replicasets", ns, owner_uid=uid)}
    out = []
    for rs in owned.values():
        if selector.matches(rs["metadata"].get("labels")):
            out.append(rs)
        else:
            rs["metadata"]["ownerReferences"] = [r for r in rs["metadata"].get("ownerReferences") or []
                                                 if r.get("uid") != uid] or None
            if rs["metadata"]["ownerReferences"] is None:
                del rs["metadata"]["ownerReferences"]
            api.update(rs, check_rv=False)
    if not d["metadata"].get("deletionTimestamp"):
        for rs in api.list("replicasets", ns, selector=selector):
            if rs["metadata"]["name"] in owned or R.controller_ref(rs) is not None:
                continue
            rs["metadata"].setdefault("ownerReferences", []).append(R.new_controller_ref(d, API_VERSION, KIND))
            out.append(api.update(rs, check_rv=False))
    return out


def _find_new(d: dict, rs_list: list[dict]) -> dict | None:
    """util.FindNewReplicaSet: the oldest replica set whose template equals the deployment's."""
    for rs in _by_creation(rs_list):
        if equal_ignore_hash((rs.get("spec") or {}).get("template") or {}, (d.get("spec") or {}).get("template") or {}):
            return rs
    return None


def _get_all(c: _Ctx, rs_list: list[dict], create: bool) -> tuple[dict | None, list[dict]]:
    """getAllReplicaSetsAndSyncRevision."""
    new = _find_new(c.d, rs_list)
    old = [r for r in rs_list if new is None or r["metadata"]["uid"] != new["metadata"]["uid"]]
    new = _get_new_replicaset(c, new, old, create)
    return new, old


def _copy_annotations(d: dict, rs: dict) -> bool:
    changed = False
    ann = rs["metadata"].setdefault("annotations", {})
    for k, v in (d["metadata"].get("annotations") or {}).items():
        if k in SKIP_COPY or ann.get(k) == v:
            continue
        ann[k] = v
        changed = True
    return changed


def _set_new_rs_annotations(c: _Ctx, rs: dict, new_revision: int, exists: bool) -> bool:
    """util.SetNewReplicaSetAnnotations."""
    changed = _copy_annotations(c.d, rs)
    ann = rs["metadata"].setdefault("annotations", {})
    old_rev = ann.get(REVISION)
    try:
        old_rev_int = int(old_rev) if old_rev else 0
    except ValueError:
        old_rev_int = 0
    if old_rev_int < new_revision:
        ann[REVISION] = str(new_revision)
        changed = True
        if old_rev and exists:
            hist = [h for h in (ann.get(REVISION_HISTORY) or "").split(",") if h]
            ann[REVISION_HISTORY] = ",".join(hist + [old_rev])
    if not exists:
        ann[DESIRED] = str(_replicas(c.d))
        ann[MAX_REPLICAS] = str(_replicas(c.d) + max_surge(c.d))
        changed = True
    return changed


def _set_deployment_revision(d: dict, revision: str) -> None:
    ann = d["metadata"].setdefault("annotations", {})
    if ann.get(REVISION) != revision:
        ann[REVISION] = revision


def _has_progress_deadline(d: dict) -> bool:
    v = (d.get("spec") or {}).get("progressDeadlineSeconds")
    return v is not None and v != 2147483647


def _get_new_replicaset(c: _Ctx, existing: dict | None, old: list[dict], create: bool) -> dict | None:
    from minikctl.api.errors import AlreadyExists, ApiError

    api, d = c.api, c.d
    max_old = max((_revision(r) for r in old), default=0)
    new_revision = max_old + 1
    status = d.setdefault("status", {})
    if existing is not None:
        rs = clone(existing)
        changed = _set_new_rs_annotations(c, rs, new_revision, True)
        mrs = (d.get("spec") or {}).get("minReadySeconds") or 0
        if ((rs.get("spec") or {}).get("minReadySeconds") or 0) != mrs:
            rs["spec"]["minReadySeconds"] = mrs
            changed = True
        if changed:
            rs = c.update_rs(rs)
        _set_deployment_revision(d, (rs["metadata"].get("annotations") or {}).get(REVISION, ""))
        if _has_progress_deadline(d) and c.get_condition(status, "Progressing") is None:
            c.set_condition(status, c.new_condition("Progressing", "True", "FoundNewReplicaSet",
                                                    f'Found new replica set "{rs["metadata"]["name"]}"'))
        return rs
    if not create:
        return None
    spec = d.get("spec") or {}
    collision = status.get("collisionCount")
    template = clone(spec.get("template") or {})
    h = compute_hash(template, collision)
    template.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = h
    selector = clone(spec.get("selector") or {})
    selector.setdefault("matchLabels", {})[HASH_LABEL] = h
    rs = {"apiVersion": API_VERSION, "kind": "ReplicaSet",
          "metadata": {"name": f"{d['metadata']['name']}-{h}", "namespace": d["metadata"]["namespace"],
                       "labels": dict(template["metadata"]["labels"]),
                       "ownerReferences": [R.new_controller_ref(d, API_VERSION, KIND)]},
          "spec": {"replicas": 0, "minReadySeconds": spec.get("minReadySeconds") or 0, "selector": selector,
                   "template": template}}
    replicas = _new_rs_new_replicas(d, old + [rs], rs)
    rs["spec"]["replicas"] = replicas
    _set_new_rs_annotations(c, rs, new_revision, False)
    try:
        created = api.create(rs)
    except AlreadyExists:
        live = api.get("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])
        ref = R.controller_ref(live)
        if ref is not None and ref.get("uid") == d["metadata"]["uid"] and \
                equal_ignore_hash(live["spec"].get("template") or {}, spec.get("template") or {}):
            return live
        # a hash collision: bump the collision count and try again on the next sync
        status["collisionCount"] = int(collision or 0) + 1
        api._enqueue(WORK, d["metadata"]["namespace"], d["metadata"]["name"])
        return None
    except ApiError as e:  # issue 11 (w-quota): e.g. a count/replicasets.apps quota (getNewReplicaSet)
        msg = f'Failed to create new replica set "{rs["metadata"]["name"]}": {e.message}'
        if _has_progress_deadline(d):
            c.set_condition(status, c.new_condition("Progressing", "False", "ReplicaSetCreateError", msg))
        c.record("Warning", "ReplicaSetCreateError", msg)
        return None
    if replicas > 0:
        c.record("Normal", "ScalingReplicaSet",
                 f"Scaled up replica set {created['metadata']['name']} from 0 to {replicas}")
    _set_deployment_revision(d, str(new_revision))
    if _has_progress_deadline(d):
        c.set_condition(status, c.new_condition("Progressing", "True", "NewReplicaSetCreated",
                                                f'Created new replica set "{created["metadata"]["name"]}"'))
    return created


def _new_rs_new_replicas(d: dict, all_rs: list[dict], new_rs: dict) -> int:
    """util.NewRSNewReplicas."""
    if _rolling(d):
        current = _sum(all_rs, _rs_replicas)
        max_total = _replicas(d) + max_surge(d)
        if current >= max_total:
            return _rs_replicas(new_rs)
        up = min(max_total - current, _replicas(d) - _rs_replicas(new_rs))
        return _rs_replicas(new_rs) + up
    return _replicas(d)


# ------------------------------------------------------------ scaling (sync.go)
def _is_scaling_event(c: _Ctx, rs_list: list[dict]) -> bool:
    new, old = _get_all(c, rs_list, False)
    for rs in _active([new] + old):
        desired = (rs["metadata"].get("annotations") or {}).get(DESIRED)
        if desired is None:
            continue
        if desired != str(_replicas(c.d)):
            return True
    return False


def _sync_scale(c: _Ctx, rs_list: list[dict]) -> None:
    """sync(): scale, then the status (no rollout)."""
    new, old = _get_all(c, rs_list, False)
    new, old = _scale(c, new, old)
    if (c.d.get("spec") or {}).get("paused"):
        _cleanup(c, old)
    _sync_deployment_status(c, [new] + old, new)


def _find_active_or_latest(new: dict | None, old: list[dict]) -> dict | None:
    if new is None and not old:
        return None
    old_sorted = list(reversed(_by_creation(old)))
    active = _active(old_sorted + [new])
    if not active:
        return new if new is not None else old_sorted[0]
    if len(active) == 1:
        return active[0]
    return None


def _scale(c: _Ctx, new: dict | None, old: list[dict]) -> tuple[dict | None, list[dict]]:
    d = c.d
    target = _find_active_or_latest(new, old)
    if target is not None:
        if _rs_replicas(target) != _replicas(d):
            _, updated = c.scale_rs(target, _replicas(d))
            new, old = _replace(new, old, updated)
        return new, old
    if new is not None and _rs_replicas(new) == _replicas(d) and _st(new, "availableReplicas") == _replicas(d):
        # IsSaturated: old replica sets are fully scaled down
        for rs in _active(old):
            _, updated = c.scale_rs(rs, 0)
            new, old = _replace(new, old, updated)
        return new, old
    if _rolling(d):
        all_rs = _active([new] + old)
        all_replicas = _sum(all_rs, _rs_replicas)
        allowed = _replicas(d) + max_surge(d) if _replicas(d) > 0 else 0
        to_add = allowed - all_replicas
        if to_add > 0:
            # ReplicaSetsBySizeNewer: bigger first, newer first on ties
            all_rs.sort(key=lambda r: (-_rs_replicas(r), R._neg(r["metadata"].get("creationTimestamp") or ""),
                                       -_revision(r)))
            op = "up"
        elif to_add < 0:
            all_rs.sort(key=lambda r: (-_rs_replicas(r), r["metadata"].get("creationTimestamp") or "", _revision(r)))
            op = "down"
        else:
            op = None
        added = 0
        sizes = {}
        for rs in all_rs:
            if to_add != 0:
                p = _proportion(rs, d, to_add, added)
                sizes[rs["metadata"]["name"]] = _rs_replicas(rs) + p
                added += p
            else:
                sizes[rs["metadata"]["name"]] = _rs_replicas(rs)
        for i, rs in enumerate(all_rs):
            n = rs["metadata"]["name"]
            if i == 0 and to_add != 0:
                sizes[n] = max(0, sizes[n] + to_add - added)
            _, updated = c.scale_rs(rs, sizes[n], op if sizes[n] != _rs_replicas(rs) else None)
            new, old = _replace(new, old, updated)
    return new, old


def _proportion(rs: dict, d: dict, to_add: int, added: int) -> int:
    """util.GetProportion / getReplicaSetFraction."""
    if _rs_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    if _replicas(d) == 0:
        fraction = -_rs_replicas(rs)
    else:
        dmax = _replicas(d) + max_surge(d)
        try:
            before = int((rs["metadata"].get("annotations") or {}).get(MAX_REPLICAS) or 0)
        except ValueError:
            before = 0
        if before == 0:
            before = int((d.get("status") or {}).get("replicas") or 0) or 1
        fraction = int(_round_half_away(_rs_replicas(rs) * dmax / before)) - _rs_replicas(rs)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _round_half_away(x: float) -> int:
    import math

    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def _replace(new, old, updated):
    if updated is None:
        return new, old
    uid = updated["metadata"]["uid"]
    if new is not None and new["metadata"]["uid"] == uid:
        return updated, old
    return new, [updated if r["metadata"]["uid"] == uid else r for r in old]


# ------------------------------------------------------------------ rollouts
def _rollout_rolling(c: _Ctx, rs_list: list[dict]) -> None:
    """rolling.go rolloutRolling."""
    new, old = _get_all(c, rs_list, True)
    if new is None:
        _sync_rollout_status(c, old, None)
        return
    all_rs = old + [new]
    scaled_up, new = _reconcile_new(c, all_rs, new)
    if scaled_up:
        _sync_rollout_status(c, old + [new], new)
        return
    scaled_down, old = _reconcile_old(c, old + [new], _active(old), old, new)
    if scaled_down:
        _sync_rollout_status(c, old + [new], new)
        return
    if _deployment_complete(c.d, c.d.get("status") or {}):
        _cleanup(c, old)
    _sync_rollout_status(c, old + [new], new)


def _reconcile_new(c: _Ctx, all_rs: list[dict], new: dict) -> tuple[bool, dict]:
    want = _replicas(c.d)
    if _rs_replicas(new) == want:
        return False, new
    if _rs_replicas(new) > want:
        return c.scale_rs(new, want)
    return c.scale_rs(new, _new_rs_new_replicas(c.d, all_rs, new))


def _reconcile_old(c: _Ctx, all_rs: list[dict], old_active: list[dict], old_all: list[dict],
                   new: dict) -> tuple[bool, list[dict]]:
    d = c.d
    if _sum(old_active, _rs_replicas) == 0:
        return False, old_all
    all_pods = _sum(all_rs, _rs_replicas)
    min_available = _replicas(d) - max_unavailable(d)
    new_unavailable = _rs_replicas(new) - _st(new, "availableReplicas")
    max_scaled_down = all_pods - min_available - new_unavailable
    if max_scaled_down <= 0:
        return False, old_all
    total = 0
    # cleanupUnhealthyReplicas
    for rs in _by_creation(old_active):
        if total >= max_scaled_down:
            break
        if _rs_replicas(rs) == 0 or _rs_replicas(rs) == _st(rs, "availableReplicas"):
            continue
        n = min(max_scaled_down - total, _rs_replicas(rs) - _st(rs, "availableReplicas"))
        _, updated = c.scale_rs(rs, _rs_replicas(rs) - n)
        _, old_all = _replace(None, old_all, updated)
        old_active = [updated if r["metadata"]["uid"] == updated["metadata"]["uid"] else r for r in old_active]
        total += n
    # scaleDownOldReplicaSetsForRollingUpdate
    available = _sum(old_active + [new], lambda r: _st(r, "availableReplicas"))
    if available > min_available:
        to_scale = available - min_available
        done = 0
        for rs in _by_creation(old_active):
            if done >= to_scale:
                break
            if _rs_replicas(rs) == 0:
                continue
            n = min(_rs_replicas(rs), to_scale - done)
            _, updated = c.scale_rs(rs, _rs_replicas(rs) - n)
            _, old_all = _replace(None, old_all, updated)
            done += n
        total += done
    return total > 0, old_all


def _rollout_recreate(c: _Ctx, rs_list: list[dict]) -> None:
    """recreate.go rolloutRecreate."""
    new, old = _get_all(c, rs_list, False)
    scaled = False
    for rs in _active(old):
        changed, updated = c.scale_rs(rs, 0)
        _, old = _replace(None, old, updated)
        scaled = scaled or changed
    if scaled:
        _sync_rollout_status(c, old + ([new] if new else []), new)
        return
    for rs in old:
        pods = c.api.list("pods", rs["metadata"]["namespace"], owner_uid=rs["metadata"]["uid"])
        if any((p.get("status") or {}).get("phase") not in ("Succeeded", "Failed") for p in pods):
            _sync_rollout_status(c, old + ([new] if new else []), new)
            return
    if new is None:
        new, old = _get_all(c, rs_list, True)
    if new is not None and _rs_replicas(new) != _replicas(c.d):
        _, new = c.scale_rs(new, _replicas(c.d))
    if _deployment_complete(c.d, c.d.get("status") or {}):
        _cleanup(c, old)
    _sync_rollout_status(c, old + ([new] if new else []), new)


def _cleanup(c: _Ctx, old: list[dict]) -> None:
    """cleanupDeployment: keep at most revisionHistoryLimit old replica sets (oldest go first)."""
    limit = (c.d.get("spec") or {}).get("revisionHistoryLimit")
    if limit is None:
        return
    alive = [r for r in old if not r["metadata"].get("deletionTimestamp")]
    diff = len(alive) - int(limit)
    if diff <= 0:
        return
    for rs in sorted(alive, key=lambda r: (_revision(r), r["metadata"].get("creationTimestamp") or ""))[:diff]:
        if _st(rs, "replicas") != 0 or _rs_replicas(rs) != 0 or \
                int(rs["metadata"].get("generation") or 0) > _st(rs, "observedGeneration"):
            continue
        c.api.delete("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])


# -------------------------------------------------------------------- status
def _calculate_status(c: _Ctx, all_rs: list[dict], new: dict | None) -> dict:
    d = c.d
    rss = [r for r in all_rs if r is not None]
    available = _sum(rss, lambda r: _st(r, "availableReplicas"))
    total_spec = _sum(rss, _rs_replicas)
    unavailable = max(0, total_spec - available)
    old = d.get("status") or {}
    st: dict = {}
    for k, v in (("observedGeneration", d["metadata"].get("generation")),
                 ("replicas", _sum(rss, lambda r: _st(r, "replicas"))),
                 ("updatedReplicas", _st(new, "replicas") if new else 0),
                 ("readyReplicas", _sum(rss, lambda r: _st(r, "readyReplicas"))),
                 ("availableReplicas", available),
                 ("unavailableReplicas", unavailable)):
        if v:
            st[k] = v
    if old.get("conditions"):
        st["conditions"] = clone(old["conditions"])
    if old.get("collisionCount") is not None:
        st["collisionCount"] = old["collisionCount"]
    if available >= _replicas(d) - max_unavailable(d):
        c.set_condition(st, c.new_condition("Available", "True", "MinimumReplicasAvailable",
                                            "Deployment has minimum availability."))
    else:
        c.set_condition(st, c.new_condition("Available", "False", "MinimumReplicasUnavailable",
                                            "Deployment does not have minimum availability."))
    return st


def _deployment_complete(d: dict, st: dict) -> bool:
    n = _replicas(d)
    return (int(st.get("updatedReplicas") or 0) == n and int(st.get("replicas") or 0) == n and
            int(st.get("availableReplicas") or 0) == n and
            int(st.get("observedGeneration") or 0) >= int(d["metadata"].get("generation") or 0))


def _deployment_progressing(d: dict, new: dict) -> bool:
    old = d.get("status") or {}

    def g(s, k):
        return int(s.get(k) or 0)

    return (g(new, "updatedReplicas") > g(old, "updatedReplicas") or
            g(new, "replicas") - g(new, "updatedReplicas") < g(old, "replicas") - g(old, "updatedReplicas") or
            g(new, "readyReplicas") > g(old, "readyReplicas") or
            g(new, "availableReplicas") > g(old, "availableReplicas"))


def _timed_out(c: _Ctx, st: dict) -> bool:
    """util.DeploymentTimedOut on the cluster clock."""
    if not _has_progress_deadline(c.d):
        return False
    cond = c.get_condition(st, "Progressing")
    if cond is None or cond.get("reason") == "NewReplicaSetAvailable" or cond.get("reason") == "ProgressDeadlineExceeded":
        return False
    last = R._parse_time(cond.get("lastUpdateTime"))
    if last is None:
        return False
    return last + int(c.d["spec"]["progressDeadlineSeconds"]) < c.api.clock.timestamp()


def _sync_rollout_status(c: _Ctx, all_rs: list[dict], new: dict | None) -> None:
    d = c.d
    st = _calculate_status(c, all_rs, new)
    if not _has_progress_deadline(d):
        c.remove_condition(st, "Progressing")
    cur = c.get_condition(d.get("status") or {}, "Progressing")
    complete_already = (int(st.get("replicas") or 0) == int(st.get("updatedReplicas") or 0) and cur is not None
                        and cur.get("reason") == "NewReplicaSetAvailable")
    if _has_progress_deadline(d) and not complete_already:
        rs_name = new["metadata"]["name"] if new else None
        if _deployment_complete(d, st):
            msg = f'ReplicaSet "{rs_name}" has successfully progressed.' if rs_name else \
                f'Deployment "{d["metadata"]["name"]}" has successfully progressed.'
            c.set_condition(st, c.new_condition("Progressing", "True", "NewReplicaSetAvailable", msg))
        elif _deployment_progressing(d, st):
            msg = f'ReplicaSet "{rs_name}" is progressing.' if rs_name else \
                f'Deployment "{d["metadata"]["name"]}" is progressing.'
            cond = c.new_condition("Progressing", "True", "ReplicaSetUpdated", msg)
            if cur is not None:
                if cur.get("status") == "True":
                    cond["lastTransitionTime"] = cur.get("lastTransitionTime")
                c.remove_condition(st, "Progressing")
            c.set_condition(st, cond)
        elif _timed_out(c, st):
            msg = f'ReplicaSet "{rs_name}" has timed out progressing.' if rs_name else \
                f'Deployment "{d["metadata"]["name"]}" has timed out progressing.'
            c.set_condition(st, c.new_condition("Progressing", "False", "ProgressDeadlineExceeded", msg))
    _replica_failures(c, all_rs, new, st)  # issue 11 (w-quota)
    _track_deadline(c, st)
    d["status"] = st


def _replica_failures(c: _Ctx, all_rs: list[dict], new: dict | None, st: dict) -> None:
    """syncRolloutStatus: the ReplicaSets' ReplicaFailure condition (the new one's first) moves
    into the deployment's conditions (getReplicaFailures, ReplicaSetToDeploymentCondition)."""
    found = None
    for rs in ([new] if new else []) + [r for r in all_rs if r is not new]:
        for cond in ((rs or {}).get("status") or {}).get("conditions") or ():
            if isinstance(cond, dict) and cond.get("type") == "ReplicaFailure":
                found = cond
                break
        if found:
            break
    if found:
        c.set_condition(st, {"type": "ReplicaFailure", "status": found.get("status"),
                             "lastUpdateTime": found.get("lastTransitionTime"),
                             "lastTransitionTime": found.get("lastTransitionTime"),
                             "reason": found.get("reason"), "message": found.get("message")})
    else:
        c.remove_condition(st, "ReplicaFailure")


def _sync_deployment_status(c: _Ctx, all_rs: list[dict], new: dict | None) -> None:
    c.d["status"] = _calculate_status(c, all_rs, new)


def _sync_status_only(c: _Ctx, rs_list: list[dict]) -> None:
    new, old = _get_all(c, rs_list, False)
    _sync_deployment_status(c, old + ([new] if new else []), new)


# ---------------------------------------------- progress deadline on the clock
DEADLINE_META = "controllers:deployment-progress"


def _track_deadline(c: _Ctx, st: dict) -> None:
    """Deployments still progressing are re-checked when the clock moves (requeueStuckDeployment)."""
    key = f"{c.d['metadata']['namespace']}/{c.d['metadata']['name']}"
    raw = c.api.store.meta_get(DEADLINE_META)
    keys = json.loads(raw) if raw else []
    cond = c.get_condition(st, "Progressing")
    waiting = cond is not None and cond.get("status") == "True" and cond.get("reason") != "NewReplicaSetAvailable"
    if waiting and key not in keys:
        c.api.store.meta_set(DEADLINE_META, json.dumps(sorted(keys + [key])))
    elif not waiting and key in keys:
        keys.remove(key)
        if keys:
            c.api.store.meta_set(DEADLINE_META, json.dumps(keys))
        else:
            c.api.store.meta_delete(DEADLINE_META)


def on_clock(api) -> None:
    raw = api.store.meta_get(DEADLINE_META)
    keys = json.loads(raw) if raw else []
    live = []
    for key in keys:
        ns, _, name = key.partition("/")
        if api.store.exists("deployments", ns, name):
            live.append(key)
            api._enqueue(WORK, ns, name)
    if live != keys:
        if live:
            api.store.meta_set(DEADLINE_META, json.dumps(live))
        else:
            api.store.meta_delete(DEADLINE_META)


def next_wakeup(api, after_ns: int, until_ns: int) -> int | None:
    """issue 12 (w-rollout): requeueStuckDeployment's enqueueAfter(after + 1s): `clock advance`
    (and `rollout status`) stop one second past each progressing deployment's deadline, so its
    ProgressDeadlineExceeded condition carries that time."""
    raw = api.store.meta_get(DEADLINE_META)
    if not raw:
        return None
    best = None
    for key in json.loads(raw):
        ns, _, name = key.partition("/")
        d = api.try_get("deployments", ns, name)
        if d is None or not _has_progress_deadline(d):
            continue
        cond = _Ctx.get_condition(d.get("status") or {}, "Progressing")
        last = R._parse_time((cond or {}).get("lastUpdateTime"))
        if last is None:
            continue
        t = (int(last) + int(d["spec"]["progressDeadlineSeconds"]) + 1) * 1_000_000_000
        if after_ns < t < until_ns and (best is None or t < best):
            best = t
    return best
