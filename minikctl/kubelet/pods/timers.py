"""The kubelet's timers (exits, crash-loop back-offs, re-syncs, terminations): where they are
kept, the earliest due time (DUE_META), and running what fell due on the cluster clock, each
pod's timers in time order on their own ticks.
"""

from __future__ import annotations

import json

from minikctl.api.server import clone
from minikctl.kubelet.pods.events import _Events


RESYNC_META = "kubelet:resync"  # JSON list of [due, namespace, pod, uid]: pods whose sync failed
DUE_META = "kubelet:due"  # the earliest of the re-syncs and crash-loop back-offs (a float timestamp)
RESYNC_FIRST, RESYNC_PERIOD = 1, 10


def on_clock(api) -> None:
    """Kubelet timers that fell due: a container's process exits (a sleep ended), a crash-loop
    back-off ran out (the container starts again), a pod whose sync failed (an image pull) is
    synced again. Each pod's timers run in time order on their own ticks; its events are
    aggregated and written once, its status once."""
    from minikctl.kubelet import volumes

    volumes.on_clock(api)  # mounted ConfigMaps/Secrets updated at the pods' next sync
    _resync_due(api)
    _terminate_due(api)
    now = api.clock.timestamp()
    exits, backs = _exits(api), _backoffs(api)
    due: dict[str, tuple] = {}
    for x in exits + backs:
        if x[0] <= now and (x[3] not in due or x[0] < due[x[3]][0]):
            due[x[3]] = (x[0], x[1], x[2])
    waiting = [b for b in backs if b[0] > now and b[6] + SYNC_PERIOD <= now and b[3] not in due]
    for uid, (_at, ns, name) in sorted(due.items(), key=lambda kv: kv[1]):
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            _clear_backoff(api, uid)
            continue
        from minikctl.controllers.nodemonitor import is_stopped  # issue 11 (w-node)

        if is_stopped(api, (pod.get("spec") or {}).get("nodeName")):
            continue  # a stopped kubelet's timers wait for it (they run when it starts)
        if not api.store.probe_states(uid):
            _advance_pod(api, pod, now)
            continue
        _advance_with_probes(api, pod, now)
    if waiting:
        _backoff_syncs(api, waiting, now)


def _advance_with_probes(api, pod: dict, now: float) -> None:
    """A pod with probes: its probe ticks and its kubelet timers interleave in time order (a liveness
    kill cancels an exit due later; an exit stops the probes of that container)."""
    from minikctl.kubelet import probes
    from minikctl.kubelet.probes import _TickClock

    uid = pod["metadata"]["uid"]
    ns, name = pod["metadata"].get("namespace", "default"), pod["metadata"]["name"]
    real = api.clock
    for _ in range(10_000):
        t = _next_timer(api, uid, now)
        if t is None:
            break
        at = t[1][0]
        api.clock = _TickClock(at)
        try:
            probes.run_due(api, only_uid=uid)
        finally:
            api.clock = real
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            return
        _advance_pod(api, pod, at)
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            return


def _next_timer(api, uid: str, until: float):
    exits = [("exit", x) for x in _exits(api) if x[3] == uid and x[0] <= until]
    backs = [("restart", x) for x in _backoffs(api) if x[3] == uid and x[0] <= until]
    timers = sorted(exits + backs, key=lambda t: (t[1][0], t[0] != "exit"))
    return timers[0] if timers else None


def _advance_pod(api, pod: dict, until: float) -> None:
    """Run one pod's kubelet timers due up to `until`, each on its own tick."""
    from minikctl.kubelet.probes import _TickClock

    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    uid = pod["metadata"]["uid"]
    before = pod.get("status")
    pod = clone(pod)
    pod.setdefault("status", {})
    real = api.clock
    ev = _Events(api, pod, node)
    steps = 0
    try:
        while True:
            t = _next_timer(api, uid, until)
            if t is None or pod["metadata"].get("deletionTimestamp"):
                break
            steps += 1
            if steps > 10_000:  # pragma: no cover - a safety net: steady loops are fast-forwarded
                break
            kind, x = t
            api.clock = _TickClock(x[0])
            if kind == "exit":
                _save_exits(api, [e for e in _exits(api) if not (e[3] == uid and e[4] == x[4])])
                _apply_exit(api, pod, x[4], x[5], int(x[6]), node, ev)
            else:
                _save_backoffs(api, [b for b in _backoffs(api) if not (b[3] == uid and b[4] == x[4])])
                _backoff_events(pod, x, ev, x[0])
                _apply_restart(api, pod, x[4], node, ev, until)
            _finish_status(api, pod, resync=False)
        ev.flush()
    finally:
        api.clock = real
    if _needs_resync(pod):
        _schedule_resync(api, pod, api.clock.timestamp() + RESYNC_FIRST)
    if pod.get("status") != before:
        api.update_status(pod)


def _resyncs(api) -> list:
    raw = api.store.meta_get(RESYNC_META)
    return json.loads(raw) if raw else []


def _save_resyncs(api, items: list) -> None:
    if items:
        api.store.meta_set(RESYNC_META, json.dumps(sorted(items)))
    else:
        api.store.meta_delete(RESYNC_META)
    _update_due(api, items, None)


def _update_due(api, resyncs: list | None, backoffs: list | None, exits: list | None = None) -> None:
    """DUE_META: the earliest kubelet timer (a re-sync, a crash-loop back-off, a process's exit),
    read by every command on a wall clock (minikctl.api.cluster.Session) to catch up on what fell due."""
    times = [x[0] for x in (resyncs if resyncs is not None else _resyncs(api))]
    times += [x[0] for x in (backoffs if backoffs is not None else _backoffs(api))]
    times += [x[0] for x in (exits if exits is not None else _exits(api))]
    times += [x[0] for x in _terminatings(api)]
    from minikctl.kubelet import volumes

    times += volumes.due_times(api)  # ConfigMap/Secret updates reaching mounted volumes
    if times:
        api.store.meta_set(DUE_META, repr(float(min(times))))
    else:
        api.store.meta_delete(DUE_META)


def catch_up(session) -> None:
    """Kubelet timers that fell due while no command ran (wall clock), in one write transaction."""
    with session.write() as api:
        raw = api.store.meta_get(DUE_META)
        if raw is not None and float(raw) <= api.clock.timestamp():
            on_clock(api)


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.backoff import (  # noqa: E402
    SYNC_PERIOD, _apply_exit, _apply_restart, _backoff_events, _backoff_syncs, _backoffs, _clear_backoff, _exits,
    _save_backoffs, _save_exits)
from minikctl.kubelet.pods.resync import _needs_resync, _resync_due, _schedule_resync  # noqa: E402
from minikctl.kubelet.pods.status import _finish_status  # noqa: E402
from minikctl.kubelet.pods.termination import _terminate_due, _terminatings  # noqa: E402
