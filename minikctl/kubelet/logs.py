"""A container's log as the kubelet serves it (pkg/kubelet/kubelet_pods.go GetContainerLogs,
validateContainerLogStatus; pkg/kubelet/kuberuntime/logs ReadLogs for the selection).

The lines are what the simulated container printed: its image's start-up lines (written when the
kubelet started it), what its command printed (simulated ahead: a line is shown once the cluster
clock reaches its time, minikctl.kubelet.exec run_main_process) and one access-log line per
request its server answered (minikctl.kubelet.server), kept per container instance so that
--previous shows the instance before the last restart.

Every front end reads logs here: the CLI's `logs`, `attach` and `debug` (minikctl.cli) and
`minikctl serve`'s log and attach streams (minikctl.apiserver.streams). Rows are (time, line)
pairs, the time in seconds since the epoch on the cluster clock.
"""

from __future__ import annotations

from minikctl.api.errors import BadRequest

Row = tuple[float, str]


def lines(api, pod: dict, cname: str, previous: bool) -> list[Row]:
    """The log of the container's current (or previous) instance whose time has come on the
    cluster clock: a process's output is simulated ahead (minikctl.kubelet.exec run_main_process),
    lines whose time has not come are not shown."""
    now = api.clock.timestamp()
    return [x for x in all_lines(api, pod, cname, previous) if x[0] <= now]


def all_lines(api, pod: dict, cname: str, previous: bool) -> list[Row]:
    """Every line of the container's current (or, `previous`, last terminated) instance, those
    still ahead of the clock included; BadRequest as the kubelet refuses (waiting to start, no
    previous instance). A pod not scheduled to a node has no log: []."""
    from minikctl.kubelet import exec as ex

    name = pod["metadata"]["name"]
    cs = ex.container_status(pod, cname)
    if not (pod.get("spec") or {}).get("nodeName"):
        return []
    if cs is None:
        raise BadRequest(f'container "{cname}" in pod "{name}" is waiting to start: ContainerCreating')
    state = cs.get("state") or {}
    restarts = int(cs.get("restartCount") or 0)
    last_term = (cs.get("lastState") or {}).get("terminated")
    if previous:
        if not last_term:
            raise BadRequest(f'previous terminated container "{cname}" in pod "{name}" not found')
        # the instance lastState describes: the one before the current (running) one, or the
        # one that just ended when the container waits (CrashLoopBackOff)
        instance = restarts if "waiting" in state else restarts - 1
        return api.store.container_log(pod["metadata"]["uid"], cname, max(instance, 0))
    if "waiting" in state:
        if last_term:
            # CrashLoopBackOff: the kubelet serves the last terminated instance
            return api.store.container_log(pod["metadata"]["uid"], cname, restarts)
        reason = (state.get("waiting") or {}).get("reason") or "ContainerCreating"
        # the most common pending failures get words of their own
        reason = {"ErrImagePull": "image can't be pulled",
                  "ImagePullBackOff": "trying and failing to pull image"}.get(reason, reason)
        raise BadRequest(f'container "{cname}" in pod "{name}" is waiting to start: {reason}')
    return api.store.container_log(pod["metadata"]["uid"], cname, restarts)


def render(api, pod: dict, cname: str, rows: list[Row]) -> list[Row]:
    """Start-up lines are kept as the image catalog writes them ({pod_ip}, {time_nginx}...):
    fill them in with the pod's values and each line's own time."""
    if not any("{" in ln for _, ln in rows):
        return rows
    from minikctl.images import catalog
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet.fs import pod_hostname

    c = ex.find_container(pod, cname) or {}
    img = catalog.resolve(api.store, c.get("image") or "")
    env = None
    if any("{env." in ln for _, ln in rows):
        env = dict(ex.container_environment(api, pod, c, img))
    ports = [str(p["port"]) for p in img.listeners(c, env or {})]
    values = {"pod_name": pod["metadata"]["name"], "namespace": pod["metadata"].get("namespace", "default"),
              "pod_ip": (pod.get("status") or {}).get("podIP", ""), "hostname": pod_hostname(api, pod)[0],
              "node_name": (pod.get("spec") or {}).get("nodeName", ""), "image": c.get("image", ""),
              "port": ports[0] if ports else ""}
    return [(ts, catalog.render(ln, values, env, ts) if "{" in ln else ln) for ts, ln in rows]


def rendered(api, pod: dict, cname: str, previous: bool) -> list[Row]:
    """lines() with the start-up lines filled in (render)."""
    return render(api, pod, cname, lines(api, pod, cname, previous))


def select(rows: list[Row], since: float | None = None, tail: int | None = None) -> list[Row]:
    """sinceSeconds/sinceTime (`since`: the earliest time kept) then tailLines (`tail` >= 0: the
    last `tail` rows, none for 0; None or a negative number: all of them)."""
    if since is not None:
        rows = [x for x in rows if x[0] >= since]
    if tail is not None and tail >= 0:
        rows = rows[-tail:] if tail else []
    return rows


def rfc3339nano(ts: float) -> str:
    """Go's time.RFC3339Nano in UTC as the kubelet writes it before a line (timestamps=true),
    with all nine digits."""
    import time as _t

    return _t.strftime("%Y-%m-%dT%H:%M:%S", _t.gmtime(int(ts))) + f".{int((ts % 1) * 1e9):09d}Z"


def format_line(ts: float, line: str, timestamps: bool) -> str:
    """One line of the log as served: its time first when `timestamps`, a newline after."""
    return (rfc3339nano(ts) + " " if timestamps else "") + line + "\n"


def limit_bytes(data: bytes, limit: int | None) -> tuple[bytes, int | None]:
    """limitBytes: (at most `limit` bytes of data, how many are still allowed after them)."""
    if limit is None:
        return data, None
    data = data[:limit]
    return data, limit - len(data)


def follow_start(api, pod: dict, cname: str, now: float) -> tuple[int, int] | None:
    """For following the log (follow=true): (the running instance, how many of its rows are shown by
    `now`); None when the container is not running (nothing more will come)."""
    from minikctl.kubelet import exec as ex

    cs = ex.container_status(pod, cname) or {}
    if "running" not in (cs.get("state") or {}):
        return None
    instance = int(cs.get("restartCount") or 0)
    shown = sum(1 for x in api.store.container_log(pod["metadata"]["uid"], cname, instance) if x[0] <= now)
    return instance, shown


def written(api, uid: str, cname: str, instance: int, now: float) -> list[Row]:
    """The rows of one container instance whose time has come by `now` (not rendered)."""
    return [x for x in api.store.container_log(uid, cname, instance) if x[0] <= now]


def instance_ended(pod: dict | None, uid: str, cname: str, instance: int) -> bool:
    """Has the followed instance ended: the pod (as read now, None when gone) is another one, the
    container no longer runs, or it restarted?"""
    from minikctl.kubelet import exec as ex

    cs = ex.container_status(pod, cname) if pod is not None and pod["metadata"]["uid"] == uid else None
    return cs is None or "running" not in (cs.get("state") or {}) or int(cs.get("restartCount") or 0) != instance
