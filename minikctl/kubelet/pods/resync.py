"""The pod worker's re-syncs of a pod whose sync failed (an image pull): each sync on its own
tick, fast-forwarded when every sync would repeat the last.
"""

from __future__ import annotations

import json

from minikctl.api.server import clone
from minikctl.kubelet.pods.events import _Events, _field_path
from minikctl.kubelet.pods.images import (
    PULL_BACKOFF_MAX, PULL_BACKOFF_META, PULL_REASONS, _backoff_message, _backoffs_of, pull_error)


def _needs_resync(pod: dict) -> bool:
    status = pod.get("status") or {}
    return any(_retry(x) for x in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []))


def _schedule_resync(api, pod: dict, at: float) -> None:
    """The pod worker requeues a pod whose sync failed; one entry per pod (the earliest)."""
    m = pod["metadata"]
    mine = _timers(api, RESYNC, uid=m["uid"])
    if mine and min(x[0] for x in mine) <= at:
        return
    _set_timer(api, RESYNC, [at, m.get("namespace", "default"), m["name"], m["uid"]])
    _update_due(api)


def _resync_due(api) -> None:
    """Pods whose re-sync fell due: run each sync between then and now on its own tick (the
    events of all of them aggregated and written once; the status written once)."""
    now = api.clock.timestamp()
    due = _timers(api, RESYNC, upto=now)
    if not due:
        return
    api.store.kubelet_timer_delete(RESYNC, upto=now)
    _update_due(api)
    again = []
    for at, ns, name, uid in sorted(due):
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            api.store.meta_delete(PULL_BACKOFF_META + uid)
            continue
        nxt = _resync_pod(api, pod, at, now)
        if nxt is not None:
            again.append([nxt, ns, name, uid])
    if again:
        # a pod re-synced by an update meanwhile keeps its entry
        for x in again:
            if not _timers(api, RESYNC, uid=x[3]):
                _set_timer(api, RESYNC, x)
        _update_due(api)


FAST_FORWARD_AFTER = 600  # seconds of syncs still to run before a steady pod is fast-forwarded


def _fast_forward(api, pod: dict, ev: "_Events", t: float, until: float) -> float | None:
    """Account at once for every sync from `t` to `until` when each would repeat what the last
    did: a pull that keeps failing with its back-off at the 5-minute cap (a pull every 300 s,
    ImagePullBackOff at the syncs between), ErrImageNeverPull and InvalidImageName (the same
    events every sync). Returns the time of the sync after `until`, or None when not steady."""
    from minikctl.kubelet.probes import _TickClock

    status = pod["status"]
    spec = pod.get("spec") or {}
    specs = {c.get("name"): c for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])}
    uid = pod["metadata"]["uid"]
    backoffs = _backoffs_of(api, uid)
    steady = []
    for st in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        if not _retry(st):
            continue
        c = specs.get(st.get("name"))
        if c is None:
            return None
        reason = st["state"]["waiting"]["reason"]
        err = None
        if reason not in PULL_REASONS:
            return None  # another retried failure: run its syncs one by one
        if reason in ("ErrImagePull", "ImagePullBackOff"):
            b = backoffs.get(c.get("image", ""))
            err = pull_error(api, c.get("image", ""))
            if b is None or b[0] != PULL_BACKOFF_MAX or err is None or t - b[1] > 2 * PULL_BACKOFF_MAX:
                return None
        steady.append((st, c, reason, err))
    if not steady:
        return None
    eps = 1e-6
    n = int((until - t + eps) // RESYNC_PERIOD) + 1
    last = t + (n - 1) * RESYNC_PERIOD
    for st, c, reason, err in steady:
        fp = _field_path(pod, c)
        image = c.get("image", "")
        waiting = st["state"]["waiting"]
        if reason == "ErrImageNeverPull":
            ev.add_n("Warning", "ErrImageNeverPull", waiting.get("message", ""), fp, n, t, last)
            ev.add_n("Warning", "Failed", "Error: ErrImageNeverPull", fp, n, t, last)
            continue
        if reason == "InvalidImageName":
            ev.add_n("Warning", "InspectFailed", waiting.get("message", ""), fp, n, t, last)
            ev.add_n("Warning", "Failed", "Error: InvalidImageName", fp, n, t, last)
            continue
        since = backoffs[image][1]
        pulls = int((last - since + eps) // PULL_BACKOFF_MAX)
        last_pull = since + pulls * PULL_BACKOFF_MAX
        first_pull = since + PULL_BACKOFF_MAX
        ev.add_n("Normal", "Pulling", f'Pulling image "{image}"', fp, pulls, first_pull, last_pull)
        ev.add_n("Warning", "Failed", f'Failed to pull image "{image}": {err}', fp, pulls, first_pull, last_pull)
        ev.add_n("Warning", "Failed", "Error: ErrImagePull", fp, pulls, first_pull, last_pull)
        pulled_last = abs(last - last_pull) < eps
        ev.add_n("Normal", "BackOff", f'Back-off pulling image "{image}"', fp, n - pulls, t,
                 last - RESYNC_PERIOD if pulled_last else last)
        ev.add_n("Warning", "Failed", "Error: ImagePullBackOff", fp, n - pulls, t,
                 last - RESYNC_PERIOD if pulled_last else last)
        backoffs[image] = [PULL_BACKOFF_MAX, last_pull, f"ErrImagePull: {err}"]
        st["state"] = {"waiting": {"message": err, "reason": "ErrImagePull"} if pulled_last else
                       {"message": _backoff_message(image, backoffs[image]), "reason": "ImagePullBackOff"}}
    api.store.meta_set(PULL_BACKOFF_META + uid, json.dumps(backoffs, sort_keys=True))
    api.clock = _TickClock(last)
    _finish_status(api, pod, resync=False)
    return last + RESYNC_PERIOD


def _resync_pod(api, pod: dict, at: float, until: float) -> float | None:
    """The syncs of one pod from `at` to `until`; returns the time of its next sync, if any."""
    from minikctl.kubelet.probes import _TickClock

    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    if not node or pod["metadata"].get("deletionTimestamp") or \
            (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") or not _needs_resync(pod):
        return None
    before = pod.get("status")
    pod = clone(pod)
    real = api.clock
    ev = _Events(api, pod, node)
    t = at
    try:
        while True:
            api.clock = _TickClock(t)
            _run_containers(api, pod, node, ev)
            _finish_status(api, pod, resync=False)
            t += RESYNC_PERIOD
            if not _needs_resync(pod) or t > until:
                break
            if until - t >= FAST_FORWARD_AFTER:
                nxt = _fast_forward(api, pod, ev, t, until)
                if nxt is not None:
                    t = nxt
                    break
        ev.flush()
    finally:
        api.clock = real
    if pod.get("status") != before:
        api.update_status(pod)  # the status manager writes a status that changed, only
    return t if _needs_resync(pod) else None


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.containers import _retry, _run_containers  # noqa: E402
from minikctl.kubelet.pods.status import _finish_status  # noqa: E402
from minikctl.kubelet.pods.timers import RESYNC, RESYNC_PERIOD, _set_timer, _timers, _update_due  # noqa: E402
