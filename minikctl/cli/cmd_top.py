"""minikctl top pod|node: resource usage as metrics-server reports it and kubectl 1.32 prints it.

The emulated cluster runs metrics-server: a container's usage is what its image uses
(minikctl.kubelet.resources.container_usage: the catalog's `usage`, stress programs' arguments,
CPU capped by the limit); a node's is its system daemons' plus its pods'. metrics-server scrapes
every 15 s (--metric-resolution), so a container has metrics once it has run that long on
the cluster clock; before that kubectl says "metrics not available yet".

Printing follows staging/src/k8s.io/kubectl/pkg/cmd/top (top_pod.go, top_node.go) and
pkg/metricsutil/metrics_printer.go: every cell tab-terminated in a tabwriter (padding 3), CPU
as "%vm" (MilliValue), memory as "%vMi" (Value / 2^20), node percentages of allocatable (or
capacity with --show-capacity) truncated; sorted by name (namespace first with -A), or
descending by --sort-by cpu|memory.
"""

from __future__ import annotations

from minikctl.api.errors import NotFound, UsageError

METRIC_RESOLUTION = 15.0  # metrics-server --metric-resolution: its first scrape of a container
METRICS_CREATION_DELAY = 120.0  # top_pod.go metricsCreationDelay
# What a kind node's own processes use besides its pods (kubelet, containerd, and on the control
# plane the static pods the emulator does not run as pods: kube-apiserver, etcd, ...).
NODE_BASELINE = {"control-plane": (95, 560 << 20), "worker": (18, 170 << 20)}


def _validate_sort(o) -> str:
    sort_by = o.get("sort_by") or ""
    if sort_by and sort_by not in ("cpu", "memory"):
        raise UsageError("--sort-by accepts only cpu or memory")
    return sort_by


def _started(api, st: dict) -> float | None:
    from minikctl.printers.duration import parse_time

    run = (st.get("state") or {}).get("running")
    if not isinstance(run, dict) or not run.get("startedAt"):
        return None
    try:
        return parse_time(run["startedAt"]).timestamp()
    except (TypeError, ValueError):
        return None


def pod_metrics(api, pod: dict, now: float, delay: float = METRIC_RESOLUTION) -> list[tuple[str, int, int]] | None:
    """PodMetrics.containers as [(name, millicores, bytes)], None when metrics-server has none
    (minikctl.kubelet.metrics, shared with the HPA controller)."""
    from minikctl.kubelet.metrics import pod_metrics as metrics

    return metrics(api, pod, now, delay)


def _render(header: list[str], rows: list[list[str]], no_headers: bool) -> str:
    """printers.GetNewTabWriter (minwidth 6, tabwidth 4, padding 3); every value printed as "%v\t"."""
    from minikctl.printers.table import tabwrite

    lines = [] if no_headers else ["".join(f"{h}\t" for h in header)]
    lines += ["".join(f"{v}\t" for v in r) for r in rows]
    return tabwrite("".join(line + "\n" for line in lines), minwidth=6, tabwidth=4, padding=3)


def _cpu(m: int) -> str:
    return f"{m}m"


def _mem(b: int) -> str:
    return f"{b // (1024 * 1024)}Mi"


def top_pod(ctx) -> int:
    from minikctl.api.selectors import parse

    o = ctx.opts
    sort_by = _validate_sort(o)
    name = ctx.args[0] if ctx.args else ""
    if len(ctx.args) > 1:  # top_pod.go Complete: cmdutil.UsageErrorf(cmd, "%s", cmd.Use)
        raise UsageError("pod [NAME | -l label]\nSee 'minikctl top pod -h' for help and examples")
    if name and (o.get("selector") or o.get("field_selector")):
        raise UsageError("only one of NAME or selector can be provided")
    try:
        sel = parse(o["selector"]) if o.get("selector") else None
    except ValueError as e:
        raise UsageError(str(e)) from None
    all_ns = bool(o.get("all_namespaces"))
    session = ctx.session()
    api = session.api
    now = session.clock.timestamp()
    ns = None if all_ns else ctx.namespace
    if name:
        pod = api.try_get("pods", ctx.namespace, name)
        pods = [pod] if pod is not None else []
    else:
        pods = api.list("pods", ns, selector=sel)
        if o.get("field_selector"):
            from minikctl.api import fields

            terms = fields.parse(o["field_selector"], "Pod", "pods")
            pods = [p for p in pods if fields.matches(p, terms)]
    metrics = []
    for pod in pods:
        m = pod_metrics(api, pod, now)
        if m is not None:
            metrics.append((pod["metadata"].get("namespace", ""), pod["metadata"]["name"], m))
    if name and not metrics:
        if not pods:  # the Metrics API's Get
            raise NotFound(f'podmetrics.metrics.k8s.io "{ctx.namespace}/{name}" not found')
    if not metrics:
        _verify_empty(ctx, api, pods, now)  # raises when pods exist
        if all_ns:
            ctx.err.write("No resources found\n")
        else:
            ctx.err.write(f"No resources found in {ctx.namespace} namespace.\n")
        return 0

    ctx.out.write(render_pods(metrics, bool(o.get("containers")), all_ns, bool(o.get("no_headers")), sort_by,
                              bool(o.get("sum"))))
    return 0


def _total(conts) -> tuple[int, int]:
    return sum(c[1] for c in conts), sum(c[2] for c in conts)


def render_pods(metrics: list[tuple[str, str, list[tuple[str, int, int]]]], containers: bool, with_ns: bool,
                no_headers: bool, sort_by: str = "", total: bool = False) -> str:
    """TopCmdPrinter.PrintPodMetrics for [(namespace, pod, [(container, millicores, bytes)])]."""
    if not metrics:
        return ""
    # PodMetricsSorter / ContainerMetricsSorter over the Metrics API's list (namespace, name order)
    metrics = sorted(metrics, key=lambda x: (x[0], x[1]))
    if sort_by == "cpu":
        metrics.sort(key=lambda x: -_total(x[2])[0])
    elif sort_by == "memory":
        metrics.sort(key=lambda x: -_total(x[2])[1])
    elif not with_ns:
        metrics.sort(key=lambda x: x[1])
    header = (["NAMESPACE"] if with_ns else []) + (["POD"] if containers else []) + \
        ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    rows = []
    for pns, pname, conts in metrics:
        pre = [pns] if with_ns else []
        if containers:
            conts = sorted(conts, key=lambda c: c[0])
            if sort_by == "cpu":
                conts.sort(key=lambda c: -c[1])
            elif sort_by == "memory":
                conts.sort(key=lambda c: -c[2])
            for cname, cpu, mem in conts:
                rows.append(pre + [pname, cname, _cpu(cpu), _mem(mem)])
        else:
            cpu, mem = _total(conts)
            rows.append(pre + [pname, _cpu(cpu), _mem(mem)])
    if total:  # printPodResourcesSum; kubectl counts the NAMESPACE/POD columns only when it prints headers
        width = 3 if no_headers else len(header)
        cpu = sum(_total(m[2])[0] for m in metrics)
        mem = sum(_total(m[2])[1] for m in metrics)
        rows.append([""] * (width - 2) + ["________", "________"])
        rows.append([""] * (width - 3) + ["", _cpu(cpu), _mem(mem)])
    return _render(header, rows, no_headers)


def render_nodes(data: list[tuple[str, int, int, int, int]], no_headers: bool, sort_by: str = "") -> str:
    """TopCmdPrinter.PrintNodeMetrics for [(node, millicores, bytes, available millicores,
    available memory in milli-units)]."""
    if not data:
        return ""
    data = sorted(data, key=lambda d: d[0])
    if sort_by == "cpu":
        data.sort(key=lambda d: -d[1])
    elif sort_by == "memory":
        data.sort(key=lambda d: -d[2])

    def pct(used_milli: int, avail_milli: int) -> str:
        if not avail_milli:
            return "0%"  # float division by zero in Go: +Inf, int64() of it is undefined
        return f"{int(used_milli / avail_milli * 100)}%"

    rows = [[n, _cpu(cpu), pct(cpu, acpu), _mem(mem), pct(mem * 1000, amem)] for n, cpu, mem, acpu, amem in data]
    return _render(["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], rows, no_headers)


def _verify_empty(ctx, api, pods: list[dict], now: float) -> None:
    """top_pod.go verifyEmptyMetrics: no metrics at all. Pods older than 2 minutes should have
    had some ("Metrics not available for pod ..."), younger ones not yet."""
    if not pods:
        return
    from minikctl.printers.duration import parse_time

    for pod in pods:
        try:
            created = parse_time(pod["metadata"].get("creationTimestamp")).timestamp()
        except (TypeError, ValueError):
            continue
        age = now - created
        if age > METRICS_CREATION_DELAY:
            raise UsageError(f"Metrics not available for pod {pod['metadata'].get('namespace', '')}/"
                             f"{pod['metadata']['name']}, age: {_go_duration(age)}")
    raise UsageError("metrics not available yet")


def _go_duration(seconds: float) -> str:
    from minikctl.kubelet.pods import go_duration_ms

    return go_duration_ms(int(round(seconds * 1000)))


def node_usage(api, node: dict, now: float) -> tuple[int, int]:
    role = "control-plane" if "node-role.kubernetes.io/control-plane" in (node["metadata"].get("labels") or {}) \
        else "worker"
    cpu, mem = NODE_BASELINE[role]
    for pod in api.list("pods", None, node=node["metadata"]["name"]):
        for _n, c, m in pod_metrics(api, pod, now, delay=0) or ():
            cpu, mem = cpu + c, mem + m
    return cpu, mem


def top_node(ctx) -> int:
    from minikctl.api.selectors import parse
    from minikctl.kubelet.resources import milli

    o = ctx.opts
    sort_by = _validate_sort(o)
    name = ctx.args[0] if ctx.args else ""
    if len(ctx.args) > 1:
        raise UsageError("node [NAME | -l label]\nSee 'minikctl top node -h' for help and examples")
    if name and o.get("selector"):
        raise UsageError("only one of NAME or --selector can be provided")
    try:
        sel = parse(o["selector"]) if o.get("selector") else None
    except ValueError as e:
        raise UsageError(str(e)) from None
    session = ctx.session()
    api = session.api
    now = session.clock.timestamp()
    if name:
        node = api.try_get("nodes", "", name)
        if node is None:
            raise NotFound(f'nodemetrics.metrics.k8s.io "{name}" not found')
        nodes = [node]
    else:
        nodes = api.list("nodes", None, selector=sel)
    if not nodes:
        ctx.err.write("No resources found\n")
        return 0
    key = "capacity" if o.get("show_capacity") else "allocatable"
    data = []
    for node in nodes:
        cpu, mem = node_usage(api, node, now)
        avail = (node.get("status") or {}).get(key) or {}
        data.append((node["metadata"]["name"], cpu, mem, milli(avail.get("cpu", 0)), milli(avail.get("memory", 0))))
    ctx.out.write(render_nodes(data, bool(o.get("no_headers")), sort_by))
    return 0


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.err.write(command_help(COMMANDS["top"], ["top"]))  # DefaultSubCommandRun(streams.ErrOut)
    return 1  # cmdutil.DefaultSubCommandRun: the help, then exit 1 (kubectl 1.32)
