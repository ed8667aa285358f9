"""Killing a running container: a failed liveness/startup probe or a changed image
(restart_container), the runtime ending its process (terminate_container: the OOM killer).
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.kubelet.pods.backoff import (
    BACKOFF_INITIAL, BACKOFF_MAX, _clear_backoff, _crash_entries, _handle_exit, _save_crash_entries)
from minikctl.kubelet.pods.containers import (
    _drop_future_logs, _is_init, _retry, _run_containers, _spec_container, _start_container, _statuses_of)
from minikctl.kubelet.pods.events import SOURCE, _Events
from minikctl.kubelet.pods.status import _finish_status, _ts
from minikctl.kubelet.pods.timers import EXIT, _update_due


def restart_container(api, pod: dict, container_name: str, kill_message: str | None = None,
                      exit_code: int = 137, reason: str = "Error", backoff: bool = True) -> dict:
    """Kill one container, as the kubelet does when its liveness (or startup) probe fails: Killing
    event, then what follows any exit (restartPolicy; at once the first time, then with the
    crash-loop back-off: a container that keeps failing its probe ends in CrashLoopBackOff).
    backoff=False: its definition changed (a new image): killed and started again at once, a new
    container (fresh environment, files and readiness), restartCount + 1."""

    pod = clone(pod)
    spec = pod.get("spec") or {}
    node = spec.get("nodeName", "")
    c = next((x for x in spec.get("containers") or [] if x.get("name") == container_name), None)
    if c is None:
        return pod
    status = pod.setdefault("status", {})
    css = status.setdefault("containerStatuses", [])
    old = next((x for x in css if x.get("name") == container_name), None) or {}
    api.record_event(pod, "Normal", "Killing", kill_message or f"Stopping container {container_name}", SOURCE, node)
    if backoff and (old.get("state") or {}).get("running"):
        # SyncPod kills and starts in one sync; start's doBackOff looks at the newest container that
        # had exited before: the previous instance (none the first time: no back-off, no Next)
        uid = pod["metadata"]["uid"]
        policy = spec.get("restartPolicy") or "Always"
        prev = _ts(((old.get("lastState") or {}).get("terminated") or {}).get("finishedAt"))
        entries = _crash_entries(api, uid)
        entry = entries.get(container_name)
        t = api.clock.timestamp()
        in_backoff = prev is not None and entry is not None and prev - entry[1] <= 2 * BACKOFF_MAX and \
            t - prev < entry[0]
        if policy == "Never" or in_backoff:
            return terminate_container(api, pod, container_name, exit_code, reason)
        if prev is not None:
            expired = entry is None or prev - entry[1] > 2 * BACKOFF_MAX
            entries[container_name] = [BACKOFF_INITIAL if expired else min(entry[0] * 2, BACKOFF_MAX), t]
            _save_crash_entries(api, uid, entries)
    now = api.clock.rfc3339()
    last = old.get("lastState") or {}
    running = (old.get("state") or {}).get("running")
    if running:
        last = {"terminated": {"containerID": old.get("containerID", ""), "exitCode": exit_code, "finishedAt": now,
                               "reason": reason, "startedAt": running.get("startedAt", now)}}
    _clear_backoff(api, pod["metadata"]["uid"], container_name)
    if running:
        _drop_future_logs(api, pod, container_name, int(old.get("restartCount") or 0), api.clock.timestamp())
    api.store.container_files_wipe(pod["metadata"]["uid"], container_name)
    new = _start_container(api, pod, c, node, int(old.get("restartCount", 0)) + 1)
    if "terminated" in (new.get("state") or {}):
        new["lastState"] = last
        new = _handle_exit(api, pod, c, new, node)
    else:
        new["lastState"] = last
        if _retry(new):
            # no new container was created (its image could not be had): the count is the old one's
            new["restartCount"] = int(old.get("restartCount", 0))
    status["containerStatuses"] = [new if x.get("name") == container_name else x for x in css]
    _finish_status(api, pod)
    return api.update_status(pod)


def terminate_container(api, pod: dict, name: str, exit_code: int, reason: str, message: str | None = None) -> dict:
    """The runtime ended a running container's process at the clock's now (the OOM killer:
    exit_code 137, reason "OOMKilled"): its state becomes terminated with that code and reason,
    a pending exit and the output it would still have printed are dropped, and the kubelet
    restarts it per restartPolicy with the crash-loop back-off, as after any exit. Returns the
    pod as written (unchanged when the container is not running)."""
    pod = clone(pod)
    pod.setdefault("status", {})
    found = _statuses_of(pod, name)
    c = _spec_container(pod, name)
    if found is None or c is None:
        return pod
    lst, i = found
    st = clone(lst[i])
    running = (st.get("state") or {}).get("running")
    if running is None:
        return pod
    uid = pod["metadata"]["uid"]
    node = (pod.get("spec") or {}).get("nodeName") or ""
    if api.store.kubelet_timer_delete(EXIT, uid, name):
        _update_due(api)
    now = api.clock.rfc3339()
    _drop_future_logs(api, pod, name, int(st.get("restartCount") or 0), api.clock.timestamp())
    term = {"containerID": st.get("containerID", ""), "exitCode": int(exit_code), "finishedAt": now}
    if message:
        term["message"] = message
    term.update({"reason": reason, "startedAt": running.get("startedAt", now)})
    st["state"] = {"terminated": term}
    st["ready"] = False
    st["started"] = False
    ev = _Events(api, pod, node)
    lst[i] = _handle_exit(api, pod, c, st, node, ev)
    if _is_init(pod, c):
        _run_containers(api, pod, node, ev)
    ev.flush()
    _finish_status(api, pod)
    return api.update_status(pod)
