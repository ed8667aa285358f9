"""Container exits and the crash-loop back-off (kuberuntime_manager.go doBackOff,
flowcontrol.Backoff): a process's exit timer, restart per restartPolicy, CrashLoopBackOff and
its BackOff events, and the fast-forward of a steady crash loop.
"""

from __future__ import annotations

import json

from minikctl.api.server import clone
from minikctl.kubelet.pods.events import _Events, _field_path, _who, go_seconds


CRASH_BACKOFF_META = "kubelet:crash-backoff:"  # + pod uid: {container: [backoff seconds, last update]}
# pkg/kubelet/kubelet.go: flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff): 10 s doubling up to
# 5 minutes; an entry whose container ran longer than 2 x MaxContainerBackOff (10 min) since its last
# update has expired (flowcontrol hasExpired), so the next crash restarts at once with 10 s again.
BACKOFF_INITIAL, BACKOFF_MAX = 10, 300
SYNC_PERIOD = 10  # a pod in back-off is synced again every backOffPeriod: one BackOff event each time


def _restart_allowed(pod: dict, exit_code: int, c: dict | None = None) -> bool:
    """kuberuntime_manager.go computePodActions / ShouldContainerBeRestarted: an init container
    is restarted only after a failure (never when the pod's policy is Never); a sidecar always."""
    policy = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    if c is not None and _is_ephemeral(pod, c):
        return False  # ephemeral containers are not restarted (EphemeralContainer: no restartPolicy)
    if c is not None and _is_init(pod, c):
        if _is_sidecar(c):
            return True
        return policy != "Never" and exit_code != 0
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)


def _schedule_exit(api, pod: dict, name: str, cid: str, at: float, code: int) -> None:
    m = pod["metadata"]
    _set_timer(api, EXIT, [at, m.get("namespace", "default"), m["name"], m["uid"], name, cid, code])
    _update_due(api)


def _clear_backoff(api, uid: str, container: str | None = None) -> None:
    if api.store.kubelet_timer_delete(BACKOFF, uid, container) + api.store.kubelet_timer_delete(EXIT, uid, container):
        _update_due(api)
    if container is None:
        api.store.meta_delete(CRASH_BACKOFF_META + uid)


def _crash_entries(api, uid: str) -> dict:
    raw = api.store.meta_get(CRASH_BACKOFF_META + uid)
    return json.loads(raw) if raw else {}


def _save_crash_entries(api, uid: str, d: dict) -> None:
    api.store.meta_set(CRASH_BACKOFF_META + uid, json.dumps(d, sort_keys=True))


def _handle_exit(api, pod: dict, c: dict, st: dict, node: str, ev: "_Events | None" = None) -> dict:
    """A container's process ended (its status is terminated, at the clock's now): restart it
    per restartPolicy, at once or after the kubelet's crash-loop back-off
    (kuberuntime_manager.go doBackOff: IsInBackOffSince(key, finishedAt), else Next and start)."""
    term = (st.get("state") or {}).get("terminated")
    if not term or not _restart_allowed(pod, int(term.get("exitCode") or 0), c):
        return st
    own = ev is None
    if own:
        ev = _Events(api, pod, node)
    try:
        return _crash(api, pod, c, st, node, ev)
    finally:
        if own:
            ev.flush()


def _crash(api, pod: dict, c: dict, st: dict, node: str, ev: "_Events") -> dict:
    name = c.get("name", "")
    uid = pod["metadata"]["uid"]
    term = st["state"]["terminated"]
    now = api.clock.timestamp()
    entries = _crash_entries(api, uid)
    entry = entries.get(name)
    if entry is None or now - entry[1] > 2 * BACKOFF_MAX:
        # not in back-off: Next (a new or expired entry starts at 10 s) and start it again now
        entries[name] = [BACKOFF_INITIAL, now]
        _save_crash_entries(api, uid, entries)
        api.store.container_files_wipe(uid, name)  # a new container: what the old one wrote is gone
        new = _start_container(api, pod, c, node, int(st.get("restartCount") or 0) + 1, ev)
        new["lastState"] = {"terminated": term}
        if "terminated" in (new.get("state") or {}):
            return _crash(api, pod, c, new, node, ev) if _restart_allowed(
                pod, int(new["state"]["terminated"].get("exitCode") or 0), c) else new
        return new
    delay = entry[0]
    ev.add("Warning", "BackOff", f"Back-off restarting failed container {name} in pod {_who(pod)}", _field_path(pod, c))
    st = dict(st)
    st["lastState"] = {"terminated": term}
    st["ready"] = False
    st["started"] = False
    st["state"] = {"waiting": {"message": f"back-off {go_seconds(delay)} restarting failed container={name} "
                                          f"pod={_who(pod)}", "reason": "CrashLoopBackOff"}}
    m = pod["metadata"]
    _set_timer(api, BACKOFF, [now + delay, m.get("namespace", "default"), m["name"], uid, name, delay, now])
    _update_due(api)
    return st


def _backoff_syncs(api, entries: list, now: float) -> None:
    """Pods still in a crash-loop back-off: the syncs since the last one each record the BackOff event."""
    for e in entries:
        b = next((x for x in _timers(api, BACKOFF, uid=e[3]) if x[4] == e[4]), None)
        if b is None:
            continue
        pod = api.try_get("pods", b[1], b[2])
        if pod is None or pod["metadata"]["uid"] != b[3]:
            continue
        ev = _Events(api, pod, (pod.get("spec") or {}).get("nodeName") or "")
        through = _backoff_events(pod, b, ev, now)
        ev.flush()
        if through != b[6]:
            b[6] = through
            _set_timer(api, BACKOFF, b)
    _update_due(api)


def _backoff_events(pod: dict, b: list, ev: "_Events", upto: float) -> float:
    """The BackOff events of the syncs after b[6] (the last one recorded) up to `upto`, before the
    restart at b[0]; returns the time of the last one."""
    last = min(upto, b[0] - SYNC_PERIOD)
    n = int((last - b[6]) // SYNC_PERIOD)
    if n <= 0:
        return b[6]
    c = _spec_container(pod, b[4]) or {"name": b[4]}
    end = b[6] + n * SYNC_PERIOD
    ev.add_n("Warning", "BackOff", f"Back-off restarting failed container {b[4]} in pod {_who(pod)}",
             _field_path(pod, c), n, b[6] + SYNC_PERIOD, end)
    return end


def _apply_exit(api, pod: dict, name: str, cid: str, code: int, node: str, ev: "_Events") -> None:
    """The container's process exited with `code` at the clock's now."""
    found = _statuses_of(pod, name)
    c = _spec_container(pod, name)
    if found is None or c is None:
        return
    lst, i = found
    st = clone(lst[i])
    running = (st.get("state") or {}).get("running")
    if running is None or st.get("containerID") != cid:
        return  # that container is gone already (killed, restarted)
    now = api.clock.rfc3339()
    st["state"] = {"terminated": {"containerID": cid, "exitCode": code, "finishedAt": now,
                                  "reason": "Completed" if code == 0 else "Error",
                                  "startedAt": running.get("startedAt", now)}}
    st["ready"] = False
    st["started"] = False
    lst[i] = _handle_exit(api, pod, c, st, node, ev)
    if _is_init(pod, c):
        _run_containers(api, pod, node, ev)  # the next init container, or the app containers


def _apply_restart(api, pod: dict, name: str, node: str, ev: "_Events", until: float) -> None:
    """A crash-loop back-off ran out: Next (the back-off doubles) and start the container again."""
    found = _statuses_of(pod, name)
    c = _spec_container(pod, name)
    if found is None or c is None:
        return
    lst, i = found
    old = lst[i]
    if ((old.get("state") or {}).get("waiting") or {}).get("reason") != "CrashLoopBackOff":
        return
    uid = pod["metadata"]["uid"]
    now = api.clock.timestamp()
    entries = _crash_entries(api, uid)
    entry = entries.get(name) or [BACKOFF_INITIAL, now]
    finished = _ts(((old.get("lastState") or {}).get("terminated") or {}).get("finishedAt")) or now
    if finished - entry[1] > 2 * BACKOFF_MAX:
        entry = [BACKOFF_INITIAL, now]
    else:
        entry = [min(entry[0] * 2, BACKOFF_MAX), now]
    entries[name] = entry
    _save_crash_entries(api, uid, entries)
    count = int(old.get("restartCount") or 0) + 1
    skipped = _fast_forward_crash(api, pod, c, old, entry, ev, until)
    if skipped:
        count += skipped
        now = api.clock.timestamp()
    api.store.container_files_wipe(uid, name)
    new = _start_container(api, pod, c, node, count, ev)
    new["lastState"] = old.get("lastState") or {}
    if "terminated" in (new.get("state") or {}):
        new = _handle_exit(api, pod, c, new, node, ev)
    lst[i] = new


def _fast_forward_crash(api, pod: dict, c: dict, old: dict, entry: list, ev: "_Events", until: float) -> int:
    """A crash loop at the 5-minute cap whose container exits as it starts repeats the same cycle
    (pull check, Created, Started, exit, 30 BackOff syncs) every 300 s: account for all but the
    last two cycles up to `until` at once (events counted, restartCount), so a long `clock advance`
    costs O(1) per pod. Returns the cycles skipped (the clock is moved to the last one)."""
    from minikctl.kubelet.probes import _TickClock

    last = (old.get("lastState") or {}).get("terminated") or {}
    if entry[0] != BACKOFF_MAX or not last or last.get("startedAt") != last.get("finishedAt"):
        return 0
    now = api.clock.timestamp()
    cycles = int((until - now) // BACKOFF_MAX)
    if cycles < 3:
        return 0
    skip = cycles - 2
    # one cycle's events, as the last one recorded them
    name = c.get("name", "")
    fp = _field_path(pod, c)
    per = [(k, v[2]) for k, v in ev.pending.items() if k[0] == fp and k[2] in ("Pulled", "Pulling", "Created",
                                                                                  "Started", "Failed")]
    if not per:
        return 0
    for (fpath, type_, reason, message), _n in per:
        ev.add_n(type_, reason, message, fpath, skip, now, now + (skip - 1) * BACKOFF_MAX)
    ev.add_n("Warning", "BackOff", f"Back-off restarting failed container {name} in pod {_who(pod)}", fp,
             skip * (BACKOFF_MAX // SYNC_PERIOD), now, now + skip * BACKOFF_MAX - SYNC_PERIOD)
    t = now + skip * BACKOFF_MAX
    api.clock = _TickClock(t)
    uid = pod["metadata"]["uid"]
    entries = _crash_entries(api, uid)
    entries[name] = [BACKOFF_MAX, t]
    _save_crash_entries(api, uid, entries)
    return skip


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.containers import (  # noqa: E402
    _is_ephemeral, _is_init, _is_sidecar, _run_containers, _spec_container, _start_container, _statuses_of)
from minikctl.kubelet.pods.status import _ts  # noqa: E402
from minikctl.kubelet.pods.timers import BACKOFF, EXIT, _set_timer, _timers, _update_due  # noqa: E402
