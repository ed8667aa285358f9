"""minikctl logs: a container's output (staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go).

The lines, and their selection and formatting, are the kubelet's (minikctl.kubelet.logs, which
`minikctl serve` calls too); this is kubectl's side: its flags, pod and container resolution,
--prefix, -l. --since/--since-time filter by each line's time; -f follows on the wall clock and
returns at once on a manual one.
"""

from __future__ import annotations

from minikctl.api.errors import UsageError


def run(ctx) -> int:
    from minikctl.cli.cmd_exec import pick_container, resolve_pod
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet import logs

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
        lines = logs.select(logs.rendered(api, pod, cname, bool(o.get("previous"))), since, tail)
        for ts, line in lines:
            prefix = f"[pod/{name}/{cname}] " if o.get("prefix") or (len(names) > 1 and o.get("prefix")) else ""
            out.append(prefix + logs.format_line(ts, line, bool(o.get("timestamps"))))
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

    from minikctl.kubelet import logs

    if session.clock.mode == "manual":
        return
    uid = pod["metadata"]["uid"]
    start = logs.follow_start(session.api, pod, cname, session.api.clock.timestamp())
    if start is None:
        return
    instance, shown = start
    ctx.out.flush()
    from minikctl.api.cluster import Session

    path = ctx.opts.get("state")
    try:
        while True:
            _t.sleep(1.0)
            s = Session.open(path)  # a new look at the store each second: timers that fell due are caught up
            try:
                api = s.api
                rows = logs.written(api, uid, cname, instance, api.clock.timestamp())
                cur = api.try_get("pods", pod["metadata"].get("namespace", "default"), pod["metadata"]["name"])
            finally:
                s.store.close()
            for ts, line in rows[shown:]:
                ctx.out.write(prefix + logs.format_line(ts, line, timestamps))
            shown = max(shown, len(rows))
            ctx.out.flush()
            if logs.instance_ended(cur, uid, cname, instance):
                return
    except KeyboardInterrupt:
        return


def _by_selector(ctx) -> int:
    """logs -l SELECTOR: every matching pod's logs, 10 lines each unless --tail says otherwise."""
    from minikctl.api.selectors import parse
    from minikctl.cli.cmd_exec import pick_container
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet import logs

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
            lines = logs.select(logs.rendered(api, pod, cname, bool(o.get("previous"))), since)
            lines = lines[-tail:] if tail else []
            for ts, line in lines:
                prefix = f"[pod/{name}/{cname}] " if o.get("prefix") else ""
                out.append(prefix + logs.format_line(ts, line, bool(o.get("timestamps"))))
    if not pods:
        ctx.warn(f"No resources found in {ctx.namespace} namespace.")  # warn escapes control characters
    ctx.out.write("".join(out))
    return 0


def _q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)
