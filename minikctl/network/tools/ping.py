"""ping (iputils' and BusyBox's) and traceroute: whether an address answers, and the path to it."""

from __future__ import annotations

import random

from minikctl.network import dns
from minikctl.network.tools.common import _conf, _hint, _hosts, _Term, flavor


def ping(api, args: list[str], origin: dict, t: _Term) -> int:
    busy = flavor(origin, "ping") == "busybox"
    count = None
    target = None
    size = 56
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-c" and i + 1 < len(args):
            count = args[i + 1]
            i += 1
        elif a.startswith("-c") and len(a) > 2:
            count = a[2:]
        elif a in ("-s",) and i + 1 < len(args):
            size = int(args[i + 1]) if args[i + 1].isdigit() else size
            i += 1
        elif a in ("-W", "-w", "-i", "-t") and i + 1 < len(args):
            i += 1
        elif a.startswith("-"):
            pass
        else:
            target = a
        i += 1
    if count is not None and (not str(count).isdigit() or int(count) == 0):
        if busy:
            t.e(f"ping: invalid number '{count}'")
            return 1
        t.e(f"ping: invalid argument: '{count}'")
        return 1
    n = int(count) if count else 4
    if target is None:
        if busy:
            t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
            t.e("")
            t.e("Usage: ping [OPTIONS] HOST")
            return 1
        t.e("ping: usage error: Destination address required")
        return 1
    if dns.is_ipv4(target):
        addrs, canon = [target], target
    else:
        addrs, canon = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        if busy:
            t.e(f"ping: bad address '{target}'")
            return 1
        t.e(f"ping: {target}: Name or service not known")
        return 2
    from minikctl.network import proxy

    ip = addrs[0]
    answers, ttl, hint = proxy.ping(api, ip, origin)
    shown = canon if not dns.is_ipv4(target) else ip
    if busy:
        t.o(f"PING {target} ({ip}): {size} data bytes")
    else:
        t.o(f"PING {shown} ({ip}) {size}({size + 28}) bytes of data.")
    times = []
    if answers:
        rnd = random.Random(hash(ip) & 0xffff)
        for s in range(n):
            ms = round(0.04 + rnd.random() * 0.12, 3)
            times.append(ms)
            if busy:
                t.o(f"{size + 8} bytes from {ip}: seq={s} ttl={ttl} time={ms:.3f} ms")
            else:
                who = f"{canon} ({ip})" if not dns.is_ipv4(target) and canon != ip else ip
                t.o(f"{size + 8} bytes from {who}: icmp_seq={s + 1} ttl={ttl} time={ms:.3f} ms")
    t.o("")
    t.o(f"--- {target if busy else shown} ping statistics ---")
    got = len(times)
    loss = 100 - (got * 100 // n)
    if busy:
        t.o(f"{n} packets transmitted, {got} packets received, {loss}% packet loss")
        if got:
            t.o(f"round-trip min/avg/max = {min(times):.3f}/{sum(times) / got:.3f}/{max(times):.3f} ms")
    else:
        span = (n - 1) * 1000 + (n * 25 if got else 40 * n)
        t.o(f"{n} packets transmitted, {got} received, {loss}% packet loss, time {span}ms")
        if got:
            avg = sum(times) / got
            mdev = (sum((x - avg) ** 2 for x in times) / got) ** 0.5
            t.o(f"rtt min/avg/max/mdev = {min(times):.3f}/{avg:.3f}/{max(times):.3f}/{mdev:.3f} ms")
    if not got:
        _hint(t, hint)
        return 1
    return 0


def traceroute(api, args: list[str], origin: dict, t: _Term) -> int:
    pos = [a for a in args if not a.startswith("-")]
    if not pos:
        t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
        t.e("")
        t.e("Usage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT] HOST [BYTES]")
        return 1
    target = pos[0]
    addrs, _ = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        t.e(f"traceroute: bad address '{target}'")
        return 1
    from minikctl.network import index, proxy

    ip = addrs[0]
    t.e(f"traceroute to {target} ({ip}), 30 hops max, 46 byte packets")
    rnd = random.Random(hash(ip) & 0xffff)

    def hop(n, addr):
        ms = [f"{0.004 + rnd.random() / 20:.3f} ms" for _ in range(3)]
        t.o(f"{n:2d}  {addr} ({addr})  {'  '.join(ms)}")

    answers, ttl, _hint_text = proxy.ping(api, ip, origin)
    if not answers:
        for n in range(1, 31):
            t.o(f"{n:2d}  *  *  *")
        return 0
    me = origin.get("pod") or {}
    mine = (me.get("spec") or {}).get("nodeName")
    pod = index.pod_by_ip(api, ip) if index.in_cidr(ip, api.config.get("podCIDR")) else None
    n = 1
    if origin.get("kind") == "pod" and ip != (me.get("status") or {}).get("podIP"):
        node = index.node_named(api, mine) if mine else None
        if pod is None or (pod.get("spec") or {}).get("nodeName") != mine:
            if node is not None and index.node_ip(node) and index.node_ip(node) != ip:
                hop(n, index.node_ip(node))
                n += 1
            if pod is not None:
                other = index.node_named(api, (pod.get("spec") or {}).get("nodeName") or "")
                if other is not None and index.node_ip(other):
                    hop(n, index.node_ip(other))
                    n += 1
    hop(n, ip)
    return 0
