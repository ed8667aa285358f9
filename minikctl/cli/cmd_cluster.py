"""minikctl cluster create|info|delete|check, and the cluster clock."""

from __future__ import annotations

import os

from minikctl.api.errors import UsageError


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS["cluster"], ["cluster"]))
    return 0


def create(ctx) -> int:
    o = ctx.opts
    if o.get("clock") not in ("wall", "manual"):
        raise UsageError(f'invalid argument "{o.get("clock")}" for "--clock" flag: must be wall or manual')
    options = {
        "name": o.get("name"),
        "nodes": o.get("nodes"),
        "serviceCIDR": o.get("service_cidr"),
        "podCIDR": o.get("pod_cidr"),
        "nodePortRange": o.get("node_port_range"),
        "clusterDomain": o.get("cluster_domain"),
        "lbPool": o.get("lb_pool"),
        "allowUnknownImages": True if o.get("allow_unknown_images") else None,
        "nodeCPU": o.get("node_cpu"),
        "nodeMemory": o.get("node_memory"),
        "clockStart": None,
        "seed": o.get("seed"),  # issue 13: minikctl.api.rand
    }
    if o.get("clock_start") is not None:
        from minikctl.api.clock import parse_rfc3339
        try:
            options["clockStart"] = parse_rfc3339(o["clock_start"])
        except ValueError as e:
            raise UsageError(f'invalid argument for "--clock-start" flag: {e}') from None
    from minikctl.api.cluster import Session

    named = _named_store(ctx)
    session = Session.open(named or o.get("state"), bootstrap=False)
    try:
        session.create_cluster(options, o["clock"])
        cfg = session.config
    finally:
        session.close()
    if named:
        _add_context(ctx, o["name"], named)
    ctx.print(f"cluster \"{cfg['name']}\" created in {session.store.path} "
              f"({cfg['nodes']} nodes, service CIDR {cfg['serviceCIDR']}, pod CIDR {cfg['podCIDR']}, "
              f"node ports {cfg['nodePortRange']}, domain {cfg['clusterDomain']}, LB pool {cfg['lbPool']}, "
              f"clock {o['clock']}{', unknown images allowed' if cfg.get('allowUnknownImages') else ''})")
    if named:
        ctx.print(f'Switched to context "{o["name"]}".')
    return 0


def _named_store(ctx) -> str | None:
    """`cluster create --name NAME` with no --state, $MINIKCTL_STATE or --context: the cluster gets
    its own store, $XDG_DATA_HOME/minikctl/NAME.db (or the store its context already names), and a
    context NAME in the config file (minikctl.store.contexts). The default name keeps state.db."""
    name = ctx.opts.get("name")
    if not name or name == "minikctl" or ctx.opts.get("state") or os.environ.get("MINIKCTL_STATE") \
            or ctx.opts.get("context"):
        return None
    from minikctl.store import contexts as C

    cfg = C.load()
    found = C.find(cfg, "contexts", name)
    cluster = C.find(cfg, "clusters", str(found["context"].get("cluster") or "")) if found else None
    path = C.store_of(cluster["name"], cluster["cluster"]) if cluster else None
    path = path or C.store_for_cluster_name(name)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create state directory {os.path.dirname(path)}: {e.strerror}") from None
    return path


def _add_context(ctx, name: str, path: str) -> None:
    """A cluster, user and context NAME, made current; the default cluster's entries too (so that
    `config use-context minikctl` leads back to state.db)."""
    from minikctl.store import contexts as C

    cfg = C.load()
    for n, p in ((name, path), ("minikctl", C.store_for_cluster_name("minikctl"))):
        if n != name and C.find(cfg, "contexts", n) is not None:
            continue
        for key, inner, body in (("clusters", "cluster", {"server": C.FILE_SCHEME + p}),
                                 ("users", "user", {}),
                                 ("contexts", "context", {"cluster": n, "user": n})):
            found = C.find(cfg, key, n)
            if found is None:
                cfg[key].append({"name": n, inner: body})
            elif key == "clusters" and not found[inner].get("server"):
                found[inner]["server"] = body["server"]
            elif key == "contexts":
                found[inner].setdefault("cluster", n)
        for key in ("clusters", "users", "contexts"):
            cfg[key].sort(key=lambda x: x["name"])
    cfg["current-context"] = name
    C.save(cfg)


def info(ctx) -> int:
    session = ctx.session()
    cfg = dict(session.config)
    cfg["state"] = str(session.store.path)
    cfg["clock"] = session.clock.mode
    cfg["now"] = session.clock.rfc3339()
    fmt = ctx.opts.get("output")
    if fmt in ("yaml", "json"):
        from minikctl.printers.structured import to_json, to_yaml

        ctx.out.write(to_yaml(cfg) if fmt == "yaml" else to_json(cfg))
        return 0
    nodes = session.api.list("nodes")
    rows = [("Name", cfg["name"]), ("State file", cfg["state"]), ("Kubernetes version", cfg["kubernetesVersion"]),
            ("Nodes", ", ".join(f"{n['metadata']['name']} ({_ip(n)})" for n in nodes)),
            ("Node resources", f"{cfg.get('nodeCPU', '8')} CPU, {cfg.get('nodeMemory', '32827164Ki')} memory, "
                               "110 pods each (capacity = allocatable)"),
            ("Service CIDR", cfg["serviceCIDR"]), ("Pod CIDR", cfg["podCIDR"]),
            ("Node port range", cfg["nodePortRange"]), ("Cluster domain", cfg["clusterDomain"]),
            ("Load-balancer pool", cfg["lbPool"]),
            ("Unknown images", "allowed (generic behaviour)" if cfg.get("allowUnknownImages") else
             "refused (ErrImagePull; see minikctl image list)"),
            ("Clock", f"{cfg['clock']} ({cfg['now']})")]
    if cfg.get("seed") is not None:  # issue 13: cluster create --seed
        rows.append(("Seed", str(cfg["seed"])))
    w = max(len(k) for k, _ in rows) + 1
    for k, v in rows:
        ctx.print(f"{(k + ':').ljust(w)} {v}")
    return 0


def _ip(node: dict) -> str:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == "InternalIP":
            return a.get("address", "")
    return ""


def delete(ctx) -> int:
    from minikctl.store.db import Store, default_path

    path = ctx.opts.get("state") or str(default_path())
    if not os.path.exists(path):
        raise UsageError(f"no cluster at {path}")
    s = Store.open(path, create=False)  # refuses foreign files
    s.close()
    for suffix in ("", "-wal", "-shm", "-checked"):  # -checked: minikctl.store.db.CHECKED_SUFFIX
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
    ctx.print(f"cluster deleted ({path})")
    if not ctx.opts.get("state") and not os.environ.get("MINIKCTL_STATE"):
        _forget_context(ctx, path)
    return 0


def _forget_context(ctx, path: str) -> None:
    """As `kind delete cluster` does: the contexts of a deleted named cluster leave the config file
    (the default cluster's `minikctl` context stays: its store comes back on the next command)."""
    from minikctl.store import contexts as C

    file = C.config_path()
    if not os.path.exists(file):
        return
    cfg = C.load(file)
    gone = {c["name"] for c in cfg["clusters"] if c["name"] != "minikctl" and
            str(c["cluster"].get("server") or "") == C.FILE_SCHEME + path}
    if not gone:
        return
    names = [c["name"] for c in cfg["contexts"] if c["context"].get("cluster") in gone]
    users = {c["context"].get("user") for c in cfg["contexts"] if c["name"] in names}
    cfg["clusters"] = [c for c in cfg["clusters"] if c["name"] not in gone]
    cfg["contexts"] = [c for c in cfg["contexts"] if c["name"] not in names]
    users -= {c["context"].get("user") for c in cfg["contexts"]}  # still used by another context
    cfg["users"] = [u for u in cfg["users"] if u["name"] not in users]
    if cfg["current-context"] in names:
        cfg["current-context"] = "minikctl" if C.find(cfg, "contexts", "minikctl") else ""
    C.save(cfg, file)
    for n in names:
        ctx.print(f"deleted context {n} from {file}")


def check(ctx) -> int:
    from minikctl.api.check import check_store

    session = ctx.session(bootstrap=False)
    problems = check_store(session)
    if problems:
        for p in problems:
            ctx.warn(p)
        ctx.warn(f"error: {len(problems)} problem(s) found")
        return 1
    ctx.print("ok: store integrity and cluster consistency checks passed")
    return 0


def clock_show(ctx) -> int:
    s = ctx.session()
    ctx.print(f"{s.clock.rfc3339()} ({s.clock.mode})")
    return 0


STOPS_PER_TXN = 32  # controller stops one transaction of a long `clock advance` runs before it commits


def clock_advance(ctx) -> int:
    """Move the clock forward by a Go duration (time.ParseDuration). Refused, changing nothing:
    a malformed or negative duration, and one that would take the clock past the last time an
    RFC 3339 timestamp can hold. The new time and the controllers it wakes commit together: in
    one transaction, or for an advance with many controller stops, in one per STOPS_PER_TXN
    stops (counted in cluster time, never wall time, so the outcome is the same on any machine)."""
    from minikctl.api.clock import MARSHAL_ERROR, MAX_NS, format_duration, format_rfc3339, parse_duration

    args = ctx.args + (ctx.p.dash_args or [])  # `clock advance -- -5s`: cobra's positional args after --
    if len(args) != 1:
        raise UsageError("usage: minikctl clock advance DURATION (e.g. 30s, 5m, 1h30m)")
    text = args[0]
    try:
        ns = parse_duration(text)
    except ValueError as e:
        raise UsageError(str(e)) from None
    # text parsed, so it holds only digits, signs, points and unit names: safe to echo
    if ns < 0:
        raise UsageError(f"the cluster clock only moves forward: cannot advance it by {text}")
    from minikctl.controllers import next_wakeup, on_clock

    # Stop at each moment a controller is due (a CronJob's scheduled times), then at the end;
    # the steps add up to exactly the duration asked (a wall clock moves on meanwhile). Each stop
    # drains the controllers' queue, so a commit between two stops changes nothing but lets other
    # commands take the store's write lock: the lock is never held for more than STOPS_PER_TXN stops.
    session = ctx.session()
    moved, first, done = 0, True, False
    while not done:
        with session.write() as api:
            clock = session.clock  # read inside the transaction: a concurrent advance is not lost
            if first and ns > clock.headroom_ns():
                raise UsageError(f"cannot advance the cluster clock by {text}: it would pass "
                                 f"{format_rfc3339(MAX_NS)} ({MARSHAL_ERROR}); it can advance by at most "
                                 f"{format_duration(clock.headroom_ns())}")
            first = False
            api.advance_until = (clock.now_ns() + ns - moved) / 1_000_000_000  # controllers may fast-forward
            stops = 0
            while stops < STOPS_PER_TXN and \
                    (t := next_wakeup(api, clock.now_ns(), clock.now_ns() + (ns - moved))) is not None:
                step = min(max(t - clock.now_ns(), 0), ns - moved)
                clock.advance(step)  # api.clock is this same object: controllers see the new time
                moved += step
                stops += 1
                on_clock(api)
                if moved >= ns:
                    break
            done = moved >= ns or next_wakeup(api, clock.now_ns(), clock.now_ns() + (ns - moved)) is None
            if done:
                clock.advance(ns - moved)
                moved = ns
            session.store.meta_set("clock", clock.to_meta())
            if done:
                on_clock(api)
    ctx.print(f"clock advanced by {text}: now {clock.rfc3339()}")
    return 0


# ------------------------------------------------------------------ issue 11 (w-node): node faults
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"


def node_help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS["cluster"].subcommands["node"], ["cluster", "node"]))
    return 0


def _one_node_arg(ctx, verb: str) -> str:
    if len(ctx.args) != 1:
        raise UsageError(f"usage: minikctl cluster node {verb} NAME")
    return ctx.args[0]


def _existing_node(api, name: str) -> dict:
    from minikctl.api.errors import NotFound

    node = api.try_get("nodes", "", name)
    if node is None:
        raise NotFound.of("nodes", name)
    return node


def _is_control_plane(node: dict) -> bool:
    return CONTROL_PLANE_LABEL in ((node.get("metadata") or {}).get("labels") or {})


def node_stop(ctx) -> int:
    """The node's kubelet stops posting status (as `docker stop` of a kind node's container):
    the node lifecycle controller marks it Unknown after the grace period (controllers/nodemonitor.py)."""
    from minikctl.controllers import nodemonitor

    name = _one_node_arg(ctx, "stop")
    session = ctx.session()
    with session.write() as api:
        node = _existing_node(api, name)
        if _is_control_plane(node):
            raise UsageError(f"cannot stop node {name}: it runs the control plane (kube-apiserver, etcd, "
                             "the controllers), the cluster would stop answering; stop a worker node")
        if nodemonitor.is_stopped(api, name):
            ctx.print(f"node/{name} already stopped")
            return 0
        nodemonitor.stop(api, name)
    ctx.print(f"node/{name} stopped (its kubelet no longer posts status: NotReady after "
              f"{int(nodemonitor.GRACE_PERIOD)}s, its pods evicted 300s later)")
    return 0


def node_start(ctx) -> int:
    from minikctl.controllers import nodemonitor

    name = _one_node_arg(ctx, "start")
    session = ctx.session()
    with session.write() as api:
        _existing_node(api, name)
        if not nodemonitor.is_stopped(api, name):
            ctx.print(f"node/{name} already running")
            return 0
        nodemonitor.start(api, name)
    ctx.print(f"node/{name} started")
    return 0


def _next_worker(api, cfg: dict, nodes: list[dict]) -> tuple[str, int]:
    """kind's next free worker name (NAME-worker, NAME-worker2, ...) and the next node index (its
    address and pod CIDR /24): one past the highest node address in use."""
    import re

    from minikctl.allocators.ranges import CIDR, ip_to_int

    prefix = f"{cfg['name']}-worker"
    used = {n["metadata"]["name"] for n in nodes}
    numbers = [int(m.group(1) or 1) for n in used if (m := re.fullmatch(re.escape(prefix) + r"(\d*)", n))]
    num = max(numbers, default=0) + 1
    while (prefix + (str(num) if num > 1 else "")) in used:
        num += 1
    base = CIDR(cfg["nodeNetwork"]).base
    idx = [ip_to_int(_ip(n)) - base - 2 for n in nodes if _ip(n)]
    return prefix + (str(num) if num > 1 else ""), max(idx, default=-1) + 1


def node_add(ctx) -> int:
    """A new worker joins (kind's labels, the next pod CIDR /24 and node address, the cluster's
    node resources); DaemonSets get their pod on it, pending pods may be scheduled there."""
    from minikctl.allocators.ranges import CIDR
    from minikctl.api.cluster import build_node

    if len(ctx.args) > 1:
        raise UsageError("usage: minikctl cluster node add [NAME]")
    session = ctx.session()
    with session.write() as api:
        cfg = session.config
        nodes = api.list("nodes")
        name, idx = _next_worker(api, cfg, nodes)
        if ctx.args:
            name = ctx.args[0]
        if CIDR(cfg["podCIDR"]).num < 256 * (idx + 1):
            raise UsageError(f"cannot add a node: the pod CIDR {cfg['podCIDR']} has no /24 left for it")
        api.create(build_node(cfg, name, idx, api.clock.rfc3339()))
        # the node lifecycle controller registers it (RecordNodeEvent, controller_utils.go)
        api.record_event({"kind": "Node", "_ref": True, "metadata": {"name": name, "uid": name}}, "Normal",
                         "RegisteredNode", f"Node {name} event: Registered Node {name} in Controller", "node-controller")
    ctx.print(f"node/{name} added")
    return 0


def node_remove(ctx) -> int:
    """The Node object is deleted; the pod garbage collector (pkg/controller/podgc gcOrphaned)
    deletes the pods bound to it; their controllers replace them elsewhere."""
    from minikctl.controllers import nodemonitor

    name = _one_node_arg(ctx, "remove")
    session = ctx.session()
    with session.write() as api:
        node = _existing_node(api, name)
        if _is_control_plane(node):
            raise UsageError(f"cannot remove node {name}: it runs the control plane; remove a worker node")
        data = dict(nodemonitor.stopped(api))
        if data.pop(name, None) is not None:
            nodemonitor._save(api, data)
            nodemonitor.update_due(api)
        api.delete("nodes", "", name)
        api.record_event({"kind": "Node", "_ref": True, "metadata": {"name": name, "uid": name}}, "Normal",
                         "RemovingNode", f"Node {name} event: Removing Node {name} from Controller", "node-controller")
        for pod in api.list("pods", None, node=name):  # PodGC: orphaned pods, force-deleted
            meta = pod["metadata"]
            if api.store.get("pods", meta["namespace"], meta["name"]) is not None:
                api.delete("pods", meta["namespace"], meta["name"])
    ctx.print(f"node/{name} removed")
    return 0
