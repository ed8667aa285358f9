"""minikctl logs: a container's output (staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go).

The lines are what the simulated container printed: its image's start-up lines (written
when the kubelet started it), what its command printed (simulated ahead: a line is shown once
the cluster clock reaches its time, minikctl.kubelet.exec run_main_process) and one access-log
line per request its server answered (minikctl.kubelet.server), kept per container instance so
that --previous shows the instance before the last restart. --since/--since-time filter by each
line's time; -f follows on the wall clock and returns at once on a manual one.
"""

from __future__ import annotations

from minikctl.api.errors import BadRequest, UsageError


def run(ctx) -> int:
    from minikctl.cli.cmd_exec import pick_container, resolve_pod
    from minikctl.kubelet import exec as ex

    o = ctx.opts
    args = list(ctx.args)
    if o.get("selector") and not args:
        return _by_selector(ctx)
    if o.get("selector"):
        raise UsageError("only a selector (-l) or a POD name is allowed")
    if not args:
        raise UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                         "POD or TYPE/NAME is a required argument for the logs command\n"
                         "See 'minikctl logs -h' for help and examples")
    container = o.get("container")
    if len(args) == 2 and not container:
        container = args[1]
    elif len(args) > 2 or (len(args) == 2 and container):
        raise UsageError("only one of -c or an inline [CONTAINER] arg is allowed")
    tail = o.get("tail")
    if tail is not None and tail < -1:
        tail = -1
    since = _since(o)
    session = ctx.session()
    api = session.api
    if since is not None and since[0] == "seconds":
        since = api.clock.timestamp() - since[1]
    elif since is not None:
        since = since[1]
    from minikctl.api.errors import NotFound

    try:
        pod, n = resolve_pod(api, ctx.namespace, args[0], for_logs=True)
    except NotFound as e:  # logs.go: the builder's NotFound, with the namespace
        raise UsageError(f"error from server (NotFound): {e.message} in namespace {_q(ctx.namespace)}") from None
    if n > 1:
        ctx.err.write(f"Found {n} pods, using pod/{pod['metadata']['name']}\n")
    name = pod["metadata"]["name"]
    if o.get("all_containers"):
        names = [c["name"] for c in (pod.get("spec") or {}).get("initContainers") or ()] + \
                [c["name"] for c in (pod.get("spec") or {}).get("containers") or ()]
    else:
        names = [pick_container(ctx, pod, container, bool(o.get("quiet")))]
    out = []
    for cname in names:
        if ex.find_container(pod, cname) is None:
            # kubectl checks it itself (polymorphichelpers/logsforobject.go), before asking the server
            raise UsageError(f"container {cname} is not valid for pod {name}")
        from minikctl.controllers.nodemonitor import check_kubelet_reachable  # issue 11 (w-node)

        check_kubelet_reachable(api, pod, "logs", cname)
        lines = _render(api, pod, cname, _lines(api, pod, cname, bool(o.get("previous"))))
        if since is not None:
            lines = [x for x in lines if x[0] >= since]
        if tail is not None and tail >= 0:
            lines = lines[-tail:] if tail else []
        for ts, line in lines:
            prefix = f"[pod/{name}/{cname}] " if o.get("prefix") or (len(names) > 1 and o.get("prefix")) else ""
            stamp = _rfc3339nano(ts) + " " if o.get("timestamps") else ""
            out.append(f"{prefix}{stamp}{line}\n")
    ctx.out.write("".join(out))
    if o.get("follow") and len(names) == 1 and not o.get("previous"):
        _follow(ctx, session, pod, names[0], bool(o.get("timestamps")),
                f"[pod/{name}/{names[0]}] " if o.get("prefix") else "")
    return 0


def _since(o) -> tuple[str, float] | None:
    """--since DURATION / --since-time RFC3339 (kubectl logs.go Complete and Validate)."""
    from minikctl.api.errors import MinikctlError

    if o.get("since") and o.get("since_time"):
        raise MinikctlError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if o.get("since"):
        from minikctl.api.clock import parse_duration

        try:
            ns = parse_duration(o["since"])
        except ValueError as e:
            raise UsageError(f'invalid argument "{o["since"]}" for "--since" flag: {e}') from None
        if ns < 0:
            raise MinikctlError("--since must be greater than 0")
        # kubectl rounds to whole seconds (SinceSeconds); the kubelet keeps lines from now - since on
        return "seconds", float(round(ns / 1e9))
    if o.get("since_time"):
        from minikctl.kubelet.exec import parse_time

        text = o["since_time"]
        ts = parse_time(text) if len(text) >= 20 and text[10] == "T" else None
        if ts is None:
            raise MinikctlError(f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse '
                                f'"{text}" as "2006"')
        return "time", ts
    return None


def _follow(ctx, session, pod: dict, cname: str, timestamps: bool, prefix: str) -> None:
    """logs -f: on a manual clock nothing happens until the next command moves it, so the logs so
    far are all there is and it returns at once; on the wall clock it prints lines as their time
    comes, until the container's instance ends (or Ctrl-C)."""
    import time as _t

    from minikctl.kubelet import exec as ex

    if session.clock.mode == "manual":
        return
    uid = pod["metadata"]["uid"]
    cs = ex.container_status(pod, cname) or {}
    if "running" not in (cs.get("state") or {}):
        return
    instance = int(cs.get("restartCount") or 0)
    start = session.api.clock.timestamp()
    shown = sum(1 for x in session.api.store.container_log(uid, cname, instance) if x[0] <= start)
    ctx.out.flush()
    from minikctl.api.cluster import Session

    path = ctx.opts.get("state")
    try:
        while True:
            _t.sleep(1.0)
            s = Session.open(path)  # a new look at the store each second: timers that fell due are caught up
            try:
                api = s.api
                now = api.clock.timestamp()
                rows = [x for x in api.store.container_log(uid, cname, instance) if x[0] <= now]
                cur = api.try_get("pods", pod["metadata"].get("namespace", "default"), pod["metadata"]["name"])
            finally:
                s.store.close()
            for ts, line in rows[shown:]:
                stamp = _rfc3339nano(ts) + " " if timestamps else ""
                ctx.out.write(f"{prefix}{stamp}{line}\n")
            shown = max(shown, len(rows))
            ctx.out.flush()
            cs = ex.container_status(cur, cname) if cur is not None and cur["metadata"]["uid"] == uid else None
            if cs is None or "running" not in (cs.get("state") or {}) or int(cs.get("restartCount") or 0) != instance:
                return
    except KeyboardInterrupt:
        return


def _by_selector(ctx) -> int:
    """logs -l SELECTOR: every matching pod's logs, 10 lines each unless --tail says otherwise."""
    from minikctl.api.selectors import parse
    from minikctl.cli.cmd_exec import pick_container
    from minikctl.kubelet import exec as ex

    o = ctx.opts
    try:
        sel = parse(o["selector"])
    except ValueError as e:
        raise UsageError(str(e)) from None
    since = _since(o)
    api = ctx.session().api
    if since is not None:
        since = api.clock.timestamp() - since[1] if since[0] == "seconds" else since[1]
    pods = api.list("pods", ctx.namespace, selector=sel)
    tail = o.get("tail")
    if tail is None or tail == -1:
        tail = 10
    out = []
    for pod in pods:
        name = pod["metadata"]["name"]
        if o.get("all_containers"):
            names = [c["name"] for c in (pod.get("spec") or {}).get("containers") or ()]
        else:
            names = [pick_container(ctx, pod, o.get("container"), bool(o.get("quiet")))]
        for cname in names:
            if ex.find_container(pod, cname) is None:
                raise UsageError(f"container {cname} is not valid for pod {name}")  # logsforobject.go
            lines = _render(api, pod, cname, _lines(api, pod, cname, bool(o.get("previous"))))
            if since is not None:
                lines = [x for x in lines if x[0] >= since]
            lines = lines[-tail:] if tail else []
            for ts, line in lines:
                prefix = f"[pod/{name}/{cname}] " if o.get("prefix") else ""
                stamp = _rfc3339nano(ts) + " " if o.get("timestamps") else ""
                out.append(f"{prefix}{stamp}{line}\n")
    if not pods:
        ctx.warn(f"No resources found in {ctx.namespace} namespace.")  # warn escapes control characters
    ctx.out.write("".join(out))
    return 0


def _lines(api, pod: dict, cname: str, previous: bool) -> list[tuple[float, str]]:
    """The log of the container's current (or previous) instance, as the kubelet serves it
    (pkg/kubelet/kubelet_pods.go validateContainerLogStatus). A process's output is simulated
    ahead (minikctl.kubelet.exec run_main_process): lines whose time has not come are not shown."""
    now = api.clock.timestamp()
    return [x for x in _all_lines(api, pod, cname, previous) if x[0] <= now]


def _all_lines(api, pod: dict, cname: str, previous: bool) -> list[tuple[float, str]]:
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


def _render(api, pod: dict, cname: str, lines: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Start-up lines are kept as the image catalog writes them ({pod_ip}, {time_nginx}...):
    fill them in with the pod's values and each line's own time."""
    if not any("{" in ln for _, ln in lines):
        return lines
    from minikctl.images import catalog
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet.fs import pod_hostname

    c = ex.find_container(pod, cname) or {}
    img = catalog.resolve(api.store, c.get("image") or "")
    env = None
    if any("{env." in ln for _, ln in lines):
        env = dict(ex.container_environment(api, pod, c, img))
    ports = [str(p["port"]) for p in img.listeners(c, env or {})]
    values = {"pod_name": pod["metadata"]["name"], "namespace": pod["metadata"].get("namespace", "default"),
              "pod_ip": (pod.get("status") or {}).get("podIP", ""), "hostname": pod_hostname(api, pod)[0],
              "node_name": (pod.get("spec") or {}).get("nodeName", ""), "image": c.get("image", ""),
              "port": ports[0] if ports else ""}
    return [(ts, catalog.render(ln, values, env, ts) if "{" in ln else ln) for ts, ln in lines]


def _rfc3339nano(ts: float) -> str:
    import time as _t

    return _t.strftime("%Y-%m-%dT%H:%M:%S", _t.gmtime(int(ts))) + f".{int((ts % 1) * 1e9):09d}Z"


def _q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)
