"""resourcequota-controller (pkg/controller/resourcequota/resource_quota_controller.go).

syncResourceQuota: when a quota is created or its spec changes, status.hard becomes
spec.hard and status.used is recalculated from the namespace's objects
(quota.CalculateUsage; api.quota.recalculate). Between recalculations the usage moves
with every write of an object of the namespace (api.quota.observe: the admission plugin's
charge and the controller's replenishment in one step), so nothing here rescans.

Replica controllers whose pod creations quota refused (FailedCreate) are remembered by
namespace (meta "quota:failed-owners") and synced again when room appears: a quota's
usage goes down or its hard limits change. That stands in for the rate-limited requeue
a real ReplicaSet controller does after a failed create.
"""

from __future__ import annotations

import json

META_FAILED = "quota:failed-owners"


def on_quota(api, namespace: str, name: str) -> None:
    from minikctl.api import quota as Q

    rq = api.try_get("resourcequotas", namespace, name)
    if rq is None:
        room_freed(api, namespace)
        return
    spec_hard = (rq.get("spec") or {}).get("hard") or {}
    st = rq.get("status") or {}
    hard = {k: Q.qstr(v) for k, v in spec_hard.items()}
    prev = api.previous
    spec_changed = prev is None or (prev.get("spec") != rq.get("spec"))
    if not spec_changed and st.get("hard") == hard and isinstance(st.get("used"), dict) \
            and set(st["used"]) == set(hard):
        return  # only its status moved (our own write): nothing to recalculate
    status = Q.recalculate(api, rq)
    if status != st:
        rq["status"] = status
        api.update_status(rq)
    room_freed(api, namespace)


# ------------------------------------------------------- owners waiting for room
def _load(api) -> dict:
    raw = api.store.meta_get(META_FAILED)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def remember_failed(api, work: str, namespace: str, name: str) -> None:
    data = _load(api)
    keys = data.setdefault(namespace, [])
    key = f"{work}|{name}"
    if key not in keys:
        keys.append(key)
        api.store.meta_set(META_FAILED, json.dumps(data, sort_keys=True))


def forget_failed(api, work: str, namespace: str, name: str) -> None:
    raw = api.store.meta_get(META_FAILED)
    if not raw:
        return
    data = _load(api)
    keys = data.get(namespace) or []
    key = f"{work}|{name}"
    if key in keys:
        keys.remove(key)
        if not keys:
            data.pop(namespace, None)
        if data:
            api.store.meta_set(META_FAILED, json.dumps(data, sort_keys=True))
        else:
            api.store.meta_delete(META_FAILED)


def room_freed(api, namespace: str) -> None:
    raw = api.store.meta_get(META_FAILED)
    if not raw:
        return
    for key in _load(api).get(namespace) or ():
        work, _, name = key.partition("|")
        api._enqueue(work, namespace, name)
