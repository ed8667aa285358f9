"""nc and telnet: a raw TCP connection; HTTP typed by hand gets its raw response."""

from __future__ import annotations

import re

from minikctl.network import dns
from minikctl.network.tools.common import _conf, _hosts, _Term, flavor


def _raw_http(api, conn, data: str) -> str:
    """What an HTTP server sends back for raw bytes written to it (nc/telnet): parse the
    request line and headers, answer with a raw response; non-HTTP input gets nothing."""
    from minikctl.network import proxy

    head = data.replace("\r\n", "\n").split("\n\n", 1)[0]
    lines = head.split("\n")
    m = re.match(r"^([A-Z]+) (\S+) (HTTP/1\.[01])$", lines[0].strip()) if lines else None
    if not m:
        return ""
    hdrs = {}
    for ln in lines[1:]:
        k, sep, v = ln.partition(":")
        if sep:
            hdrs[k.strip()] = v.strip()
    host_h = next((v for k, v in hdrs.items() if k.lower() == "host"), "")
    resp = proxy.http(api, conn, {"method": m.group(1), "path": m.group(2), "headers": hdrs, "host": host_h}, "http")
    if resp is None:
        return ""
    out = [f"HTTP/1.1 {resp['status']} {resp['reason']}"] + [f"{k}: {v}" for k, v in resp["headers"]]
    return "\r\n".join(out) + "\r\n\r\n" + resp["body"]


def nc(api, args: list[str], origin: dict, t: _Term) -> int:
    busy = flavor(origin, "nc") == "busybox"
    zero = verbose = False
    pos: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-w", "-W", "-p", "-s", "-q", "-i") and i + 1 < len(args):
            i += 2
            continue
        if a.startswith("-") and len(a) > 1:
            zero = zero or "z" in a
            verbose = verbose or "v" in a
            if "u" in a:
                t.e("minikctl: nc -u (UDP) is not simulated")
                return 1
            if "l" in a:
                t.e("minikctl: nc -l (listening) is not simulated")
                return 1
        else:
            pos.append(a)
        i += 1
    if len(pos) < 2:
        if busy:
            t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
            t.e("")
            t.e("Usage: nc [OPTIONS] HOST PORT  - connect")
            return 1
        t.e("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]")
        return 1
    target, port_s = pos[0], pos[1]
    if not port_s.isdigit():
        t.e(f"nc: bad port '{port_s}'" if busy else f"nc: port number invalid: {port_s}")
        return 1
    port = int(port_s)
    addrs, _ = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        t.e(f"nc: bad address '{target}'" if busy else
            f'nc: getaddrinfo for host "{target}" port {port}: Name or service not known')
        return 1
    ip = addrs[0]
    from minikctl.network import proxy

    conn = proxy.connect(api, ip, port, origin)
    if conn.state != "open":
        err = {"refused": "Connection refused", "unreachable": "No route to host"}.get(conn.state, "Connection timed out")
        if busy:
            t.e(f"nc: {target} ({ip}:{port}): {err}" if zero else f"nc: can't connect to remote host ({ip}): {err}")
        else:
            t.e(f"nc: connect to {target} ({ip}) port {port} (tcp) failed: {err}")
        return 1
    if verbose or zero:
        if busy:
            if verbose:
                t.e(f"{target} ({ip}:{port}) open")
        elif verbose:
            svc = {80: "http", 443: "https", 53: "domain", 22: "ssh", 5432: "postgresql", 6379: "redis"}.get(port, "*")
            t.e(f"Connection to {target} ({ip}) {port} port [tcp/{svc}] succeeded!")
    if zero:
        return 0
    data = origin.get("stdin") or ""
    if data and conn.kind in ("pod", "external", "ingress", "apiserver", "healthcheck"):
        t.out.append(_raw_http(api, conn, data))
    return 0


def telnet(api, args: list[str], origin: dict, t: _Term) -> int:
    pos = [a for a in args if not a.startswith("-")]
    if not pos:
        t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
        t.e("")
        t.e("Usage: telnet [-a] [-l USER] HOST [PORT]")
        return 1
    target = pos[0]
    port = int(pos[1]) if len(pos) > 1 and pos[1].isdigit() else 23
    addrs, _ = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        t.e(f"telnet: bad address '{target}'")
        return 1
    from minikctl.network import proxy

    conn = proxy.connect(api, addrs[0], port, origin)
    if conn.state != "open":
        err = {"refused": "Connection refused", "unreachable": "No route to host"}.get(conn.state, "Connection timed out")
        t.e(f"telnet: can't connect to remote host ({addrs[0]}): {err}")
        return 1
    data = origin.get("stdin") or ""
    if data:
        t.out.append(_raw_http(api, conn, data))
    t.e("Connection closed by foreign host")
    return 1
