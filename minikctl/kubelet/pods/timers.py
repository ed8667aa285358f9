"""The kubelet's timers (exits, crash-loop back-offs, re-syncs, terminations): where they are
kept, the earliest due time (DUE_META), and running what fell due on the cluster clock, each
pod's timers in time order on their own ticks.
"""

from __future__ import annotations

import json

from minikctl.api.server import clone
from minikctl.kubelet.pods.events import _Events


DUE_META = "kubelet:due"  # the earliest kubelet timer or volume update (a float timestamp)
# The kinds of timers (rows of the store's kubelet_timers, one per pod or container and kind), each
# an entry [due, namespace, pod, uid] + per kind:
RESYNC = "resync"            # a pod whose sync failed, synced again
TERMINATING = "terminating"  # a terminating pod whose containers all stopped, removed
BACKOFF = "backoff"          # + [container, delay, events through]: a crash-loop back-off runs out
EXIT = "exit"                # + [container, containerID, exit code]: a container's process exits
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
    exits, backs = _timers(api, EXIT, upto=now), _timers(api, BACKOFF, upto=now)
    due: dict[str, tuple] = {}
    for x in exits + backs:
        if x[0] <= now and (x[3] not in due or x[0] < due[x[3]][0]):
            due[x[3]] = (x[0], x[1], x[2])
    # back-offs not run out whose next BackOff sync event fell due (the index finds them by that
    # time; the exact test is the one on the entries)
    waiting = [b for b in _timers(api, BACKOFF, marked=now - SYNC_PERIOD + 1e-6, after=now)
               if b[0] > now and b[6] + SYNC_PERIOD <= now and b[3] not in due]
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
    exits = [("exit", x) for x in _timers(api, EXIT, upto=until, uid=uid)]
    backs = [("restart", x) for x in _timers(api, BACKOFF, upto=until, uid=uid)]
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
                api.store.kubelet_timer_delete(EXIT, uid, x[4])
                _update_due(api)
                _apply_exit(api, pod, x[4], x[5], int(x[6]), node, ev)
            else:
                api.store.kubelet_timer_delete(BACKOFF, uid, x[4])
                _update_due(api)
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


def _timers(api, kind: str, upto: float | None = None, uid: str | None = None, marked: float | None = None,
            after: float | None = None) -> list:
    """The entries of the timers of a kind (in time order): those due by `upto`, one pod's, or
    (marked/after) the back-offs not due by `after` whose events are recorded up to `marked`."""
    if marked is not None:
        rows = api.store.kubelet_timers_marked(kind, marked, after)
    else:
        rows = api.store.kubelet_timers(kind, upto, uid)
    out = []
    for due, ns, name, uid_, container, mark, extra in rows:
        if kind == BACKOFF:
            out.append([due, ns, name, uid_, container, json.loads(extra)[0], mark])
        elif kind == EXIT:
            out.append([due, ns, name, uid_, container, *json.loads(extra)])
        else:
            out.append([due, ns, name, uid_])
    return out


def _set_timer(api, kind: str, entry: list) -> None:
    """Set the timer of an entry's pod (container) and kind, replacing the one it had."""
    due, ns, name, uid = entry[:4]
    container, mark, extra = "", None, None
    if kind == BACKOFF:
        container, mark, extra = entry[4], entry[6], json.dumps([entry[5]])
    elif kind == EXIT:
        container, extra = entry[4], json.dumps(entry[5:7])
    api.store.kubelet_timer_put(kind, uid, container, due, ns, name, mark, extra)


def _update_due(api, *_unused) -> None:
    """DUE_META: the earliest kubelet timer (a re-sync, a crash-loop back-off, a process's exit,
    a pod's removal) or volume update, read by every command on a wall clock
    (minikctl.api.cluster.Session) to catch up on what fell due."""
    first = api.store.kubelet_timer_next()
    times = [first] if first is not None else []
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
    SYNC_PERIOD, _apply_exit, _apply_restart, _backoff_events, _backoff_syncs, _clear_backoff)
from minikctl.kubelet.pods.resync import _needs_resync, _resync_due, _schedule_resync  # noqa: E402
from minikctl.kubelet.pods.status import _finish_status  # noqa: E402
from minikctl.kubelet.pods.termination import _terminate_due  # noqa: E402
