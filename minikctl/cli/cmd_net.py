"""Top-level network verbs: nslookup, dig, curl (as a client outside the cluster, or from a pod
with --from), and the client's name table (`hosts`, the seed's /etc/hosts step) and the
simulated internet (`external-hosts`).

The tools themselves live in minikctl.network.tools and print exactly what they print in a
container; these handlers only build the origin and copy the tool's streams.
"""

from __future__ import annotations

import json

from minikctl.api.errors import UsageError

CLIENT_HOSTS_META = "client-hosts"


def _emit(ctx, res) -> int:
    """Write a tool's output as it wrote it: (code, [(stream, text), ...]) from
    tools.run_interleaved, so that `2>&1` shows curl -v's lines around the body."""
    code, chunks = res
    for stream, text in chunks:
        if stream == "out":
            ctx.out.write(text)
        else:
            ctx.out.flush()
            ctx.err.write(text)
            ctx.err.flush()
    return code


def _pod_origin(api, ctx, pod_name: str) -> dict:
    """A pod as the place a tool runs: its resolv.conf, /etc/hosts and image."""
    ns = ctx.namespace
    pod = api.get("pods", ns, pod_name)
    status = pod.get("status") or {}
    if status.get("phase") != "Running":
        raise UsageError(f"cannot exec into a container in a completed pod; current phase is {status.get('phase')}"
                         if status.get("phase") in ("Succeeded", "Failed") else
                         f"unable to upgrade connection: container not found (\"{_first_container(pod)}\")")
    return {"kind": "pod", "pod": pod, "container": _first_container(pod), "hosts": pod_hosts(pod),
            "image": _image_entry(api, pod), "tty": False}


def _first_container(pod: dict) -> str:
    cs = (pod.get("spec") or {}).get("containers") or [{}]
    return cs[0].get("name") or ""


def pod_hosts(pod: dict) -> dict[str, str]:
    """The names a pod's /etc/hosts maps (pkg/kubelet/kubelet_pods.go managedHostsFileContent)."""
    out = {"localhost": "127.0.0.1", "ip6-localhost": "::1"}
    spec = pod.get("spec") or {}
    ip = (pod.get("status") or {}).get("podIP")
    if ip:
        hn = spec.get("hostname") or pod["metadata"]["name"]
        out[hn] = ip
    for ha in spec.get("hostAliases") or ():
        for h in ha.get("hostnames") or ():
            out.setdefault(h, ha.get("ip"))
    return out


def _image_entry(api, pod: dict) -> dict:
    image = ((pod.get("spec") or {}).get("containers") or [{}])[0].get("image") or ""
    try:
        from minikctl.images import catalog
    except ImportError:  # pragma: no cover
        return {}
    return catalog.resolve(api.store, image).spec


def client_hosts(api) -> dict[str, str]:
    raw = api.store.meta_get(CLIENT_HOSTS_META)
    return json.loads(raw) if raw else {}


def _external_origin(api, ctx) -> dict:
    isatty = getattr(ctx.out, "isatty", None)
    return {"kind": "external", "hosts": client_hosts(api), "tty": bool(isatty and isatty())}


def _run_tool(ctx, argv: list[str], outside: bool = False):
    """Run a network tool over a read snapshot of the store; what it writes (the access-log
    lines of the servers it reached, a session-affinity choice) is applied afterwards in one
    short write transaction, so a long run never holds the write lock
    (minikctl.kubelet.journal)."""
    from minikctl.kubelet import journal as jn
    from minikctl.network import tools

    session = ctx.session()
    with jn.snapshot(session) as (api, journal):
        if ctx.opts.get("from_pod"):
            origin = _pod_origin(api, ctx, ctx.opts["from_pod"])
        elif outside:  # curl from the user's machine
            origin = _external_origin(api, ctx)
        else:  # nslookup, dig: cluster DNS as a pod of the namespace sees it
            origin = {"kind": "pod", "pod": None, "namespace": ctx.namespace, "hosts": {}}
        res = tools.run_interleaved(api, argv, origin)
    jn.commit(session, journal)
    return res


# ------------------------------------------------------------------ verbs
def nslookup(ctx) -> int:
    if not ctx.args:
        raise UsageError("nslookup needs a NAME: minikctl nslookup NAME [--from POD] [-n NS] [--type A|SRV|CNAME|PTR]")
    argv = ["nslookup"]
    if ctx.opts.get("type"):
        argv.append(f"-type={ctx.opts['type']}")
    argv += ctx.args[:2]
    return _emit(ctx, _run_tool(ctx, argv))


def dig(ctx) -> int:
    argv = ["dig"]
    if ctx.opts.get("reverse"):
        argv += ["-x", ctx.opts["reverse"]]
    if ctx.opts.get("type"):
        argv += ["-t", ctx.opts["type"]]
    argv += list(ctx.args) + list(ctx.p.dash_args or [])
    return _emit(ctx, _run_tool(ctx, argv))


_CURL_BOOL = (("silent", "-s"), ("show_error", "-S"), ("insecure", "-k"), ("head", "-I"), ("include", "-i"),
              ("location", "-L"), ("fail", "-f"), ("http1_1", "--http1.1"), ("no_meter", "--no-progress-meter"))
_CURL_VAL = (("output", "-o"), ("write_out", "-w"), ("max_time", "--max-time"), ("connect_timeout", "--connect-timeout"),
             ("request", "-X"), ("user_agent", "-A"), ("cacert", "--cacert"), ("max_redirs", "--max-redirs"))
_CURL_LIST = (("header", "-H"), ("resolve", "--resolve"), ("data", "-d"))


def curl(ctx) -> int:
    """curl from the user's machine (or from a pod with --from): the same curl as in a container."""
    if not ctx.args and not ctx.p.dash_args:
        ctx.err.write("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    argv = ["curl"]
    if ctx.opts.get("verbose") or "verbosity" in ctx.p.flags_seen:
        argv.append("-v")
    for dest, flag in _CURL_BOOL:
        if ctx.opts.get(dest):
            argv.append(flag)
    for dest, flag in _CURL_VAL:
        if ctx.opts.get(dest) is not None:
            argv += [flag, str(ctx.opts[dest])]
    for dest, flag in _CURL_LIST:
        for v in ctx.opts.get(dest) or ():
            argv += [flag, v]
    argv += list(ctx.args) + list(ctx.p.dash_args or [])
    out = ctx.opts.get("output")
    if out is not None and out not in ("-", "/dev/null"):
        raise UsageError(f"curl -o {out}: minikctl writes no files on your machine; use -o /dev/null or -o -")
    return _emit(ctx, _run_tool(ctx, argv, outside=True))


# ------------------------------------------------------------------ hosts
def hosts_list(ctx) -> int:
    api = ctx.session().api
    table = client_hosts(api)
    by_ip: dict[str, list[str]] = {}
    for name, ip in table.items():
        by_ip.setdefault(ip, []).append(name)
    ctx.print("127.0.0.1\tlocalhost")
    for ip in sorted(by_ip, key=lambda a: tuple(int(x) for x in a.split("."))):
        ctx.print(f"{ip}\t{' '.join(by_ip[ip])}")
    return 0


def hosts_add(ctx) -> int:
    from minikctl.api.errors import go_quote
    from minikctl.network.dns import is_ipv4

    if len(ctx.args) < 2:
        raise UsageError("usage: minikctl hosts add IP NAME [NAME...]")
    ip, names = ctx.args[0], ctx.args[1:]
    if not is_ipv4(ip):
        raise UsageError(f"invalid IP address {go_quote(ip)}")
    import re

    for n in names:
        if not re.fullmatch(r"[A-Za-z0-9*]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\.?", n):
            raise UsageError(f"invalid host name {go_quote(n)}")
    with ctx.session().write() as api:
        table = client_hosts(api)
        for n in names:
            table[n.lower().rstrip(".")] = ip
        api.store.meta_set(CLIENT_HOSTS_META, json.dumps(table))
    for n in names:
        ctx.print(f"{ip}\t{n.lower().rstrip('.')}")
    return 0


def hosts_remove(ctx) -> int:
    if not ctx.args:
        raise UsageError("usage: minikctl hosts remove NAME [NAME...]")
    with ctx.session().write() as api:
        table = client_hosts(api)
        for n in ctx.args:
            key = n.lower().rstrip(".")
            if key not in table:
                raise UsageError(f'host "{n}" is not in the table (see: minikctl hosts list)')
            del table[key]
        api.store.meta_set(CLIENT_HOSTS_META, json.dumps(table))
    return 0


# --------------------------------------------------------- external hosts
def external_list(ctx) -> int:
    from minikctl.network import external

    api = ctx.session().api
    rows = [("NAMES", "ADDRESSES", "PORTS", "SOURCE")]
    users = external.user_hosts(api)
    for h in external.hosts(api):
        src = "user" if h in users else "built-in"
        names = ",".join(h.get("names") or ()) or "<none>"
        if h.get("cname"):
            addrs = f"CNAME {h['cname']}"
        else:
            addrs = ",".join(h.get("addresses") or ()) or "<none>"
        ports = ",".join(str(p) for p in h.get("ports") or [80])
        rows.append((names, addrs, ports, src))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        ctx.print("   ".join(r[i].ljust(widths[i]) for i in range(3)) + "   " + r[3])
    return 0


def external_add(ctx) -> int:
    files = ctx.opts.get("filename") or []
    if not files:
        raise UsageError("required flag -f FILE is missing: minikctl external-hosts add -f FILE")
    import sys

    import yaml

    from minikctl.network import external

    entries: list = []
    for f in files:
        try:
            text = sys.stdin.read() if f == "-" else open(f, encoding="utf-8").read()
        except OSError as e:
            raise UsageError(f'the path "{f}" does not exist' if isinstance(e, FileNotFoundError) else str(e)) from None
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise UsageError(f"error parsing {f}: {str(e).splitlines()[0]}") from None
        if isinstance(doc, dict) and "hosts" in doc:
            doc = doc["hosts"]
        elif isinstance(doc, dict):
            doc = [doc]
        try:
            entries += external.validate(doc)
        except external.ExternalHostsError as e:
            raise UsageError(f"{f}: {e}") from None
    with ctx.session().write() as api:
        external.add(api, entries)
    for h in entries:
        ctx.print(f"external host {','.join(h.get('names') or h.get('addresses'))} added")
    return 0
