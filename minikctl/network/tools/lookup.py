"""The DNS lookup tools: nslookup (bind9's and BusyBox's), host and dig."""

from __future__ import annotations

from minikctl.api import rand

from minikctl.network import dns
from minikctl.network.tools.common import _conf, _Term, _vtuple, dns_reachable, dns_timeout_lines, flavor


def nslookup(api, args: list[str], origin: dict, t: _Term) -> int:
    conf = _conf(api, origin)
    busy = flavor(origin, "nslookup") == "busybox"
    qtype = None
    names: list[str] = []
    for a in args:
        if a.startswith("-"):
            opt, _, val = a[1:].partition("=")
            if opt in ("type", "querytype", "query", "q", "ty", "qu") and val:
                if val.upper() not in dns.QTYPES:
                    if busy:
                        t.e(f'nslookup: invalid query type "{val}"')
                        return 1
                    t.o(f"unknown query type: {val}")
                    continue
                qtype = val.upper()
            elif opt in ("debug", "nodebug", "recurse", "norecurse", "search", "nosearch", "vc", "novc", "fail",
                         "nofail", "sil") or opt.startswith(("timeout", "retry", "port", "ndots", "t")):
                if opt.startswith("ndots") and val.isdigit():
                    conf = dns.ResolvConf(conf.nameservers, conf.search, int(val))
                if opt == "nosearch":
                    conf = dns.ResolvConf(conf.nameservers, [], conf.ndots)
            else:
                if busy:
                    return _busybox_nslookup_usage(t)
                t.o(f"*** Invalid option: {a[1:]}")
        else:
            names.append(a)
    if not names:
        if busy:
            return _busybox_nslookup_usage(t)
        t.e("minikctl: nslookup's interactive mode is not simulated; give a name: nslookup NAME")
        return 1
    name = names[0]
    server = names[1] if len(names) > 1 else (conf.nameservers[0] if conf.nameservers else dns.kube_dns_ip(api))
    if not dns_reachable(api, origin, server):
        for line in dns_timeout_lines(origin, server):
            t.o(line)
        return 1
    if busy:
        return _nslookup_busybox(api, name, qtype, conf, server, t)
    return _nslookup_bind(api, name, qtype, conf, server, t)


def _busybox_nslookup_usage(t: _Term) -> int:
    t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
    t.e("")
    t.e("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]")
    t.e("")
    t.e("Query DNS about HOST")
    t.e("")
    t.e("QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any")
    return 1


def _server_conf(conf: dns.ResolvConf, server: str) -> dns.ResolvConf:
    return dns.ResolvConf([server], conf.search, conf.ndots)


def _nslookup_bind(api, name: str, qtype: str | None, conf, server: str, t: _Term) -> int:
    """bind9's nslookup (9.9-9.18 output): header, then the answer; exit 1 on an error rcode."""
    conf = _server_conf(conf, server)
    if qtype is None and dns.is_ipv4(name):
        qtype, name = "PTR", dns.reverse_name(name)
        res = dns.Lookup(dns.query(api, name, "PTR", server), [])
    else:
        qtype = qtype or "A"
        if qtype == "PTR" and dns.is_ipv4(name):
            name = dns.reverse_name(name)
        res = dns.search(api, name, qtype, conf, stop_on_nodata=True)
    rep = res.reply
    t.o(f"Server:\t\t{server}")
    t.o(f"Address:\t{server}#53")
    t.o("")
    if rep.rcode != "NOERROR":
        t.o(f"** server can't find {dns.bare(rep.qname)}: {rep.rcode}")
        t.o("")
        return 1
    if not rep.aa and rep.answer:
        t.o("Non-authoritative answer:")
    if not rep.answer:
        t.o(f"*** Can't find {name}: No answer")
        t.o("")
        return 0
    for rr in rep.answer:
        t.o(_nslookup_rr(rr))
    t.o("")
    return 0


def _nslookup_rr(rr: dns.RR) -> str:
    n = dns.bare(rr.name)
    if rr.type == "A":
        return f"Name:\t{n}\nAddress: {rr.data}"
    if rr.type == "CNAME":
        return f"{n}\tcanonical name = {rr.data}"
    if rr.type == "PTR":
        return f"{n}\tname = {rr.data}"
    if rr.type == "SRV":
        return f"{n}\tservice = {rr.data}"
    if rr.type == "TXT":
        return f"{n}\ttext = {rr.data}"
    if rr.type == "NS":
        return f"{n}\tnameserver = {rr.data}"
    if rr.type == "SOA":
        f = rr.data.split()
        return (f"{n}\n\torigin = {f[0]}\n\tmail addr = {f[1]}\n\tserial = {f[2]}\n\trefresh = {f[3]}\n"
                f"\tretry = {f[4]}\n\texpire = {f[5]}\n\tminimum = {f[6]}")
    return f"{n}\t{rr.type} = {rr.data}"


def _nslookup_busybox(api, name: str, qtype: str | None, conf, server: str, t: _Term) -> int:
    """BusyBox 1.3x nslookup: A and AAAA queries, the search list only for dotless names and
    then every search domain (add_query_with_search); every reply is printed; exit 1 when any
    query failed."""
    if qtype is None and dns.is_ipv4(name):
        queries = [(dns.reverse_name(name), "PTR")]
    else:
        types = [qtype] if qtype else ["A", "AAAA"]
        if "." in name or not conf.search or qtype == "PTR":
            names = [name]
        else:
            names = [f"{name}.{d}" for d in conf.search]
        queries = [(n, ty) for ty in types for n in names]
    t.o(f"Server:\t\t{server}")
    t.o(f"Address:\t{server}:53")
    t.o("")
    code = 0
    for qn, ty in queries:
        rep = dns.query(api, qn, ty, server)
        if rep.rcode != "NOERROR":
            t.o(f"** server can't find {qn}: {rep.rcode}")
            code = 1
        else:
            if not rep.aa:
                t.o("Non-authoritative answer:")
            if not rep.answer:
                t.o(f"*** Can't find {qn}: No answer")
            for rr in rep.answer:
                t.o(_nslookup_rr(rr) if rr.type != "SRV" else f"{dns.bare(rr.name)}\tservice = {rr.data}")
        t.o("")
    return code


# =================================================================== host
def host(api, args: list[str], origin: dict, t: _Term) -> int:
    conf = _conf(api, origin)
    qtype = None
    names = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-t" and i + 1 < len(args):
            qtype = args[i + 1].upper()
            i += 2
            continue
        if a.startswith("-t") and len(a) > 2:
            qtype = a[2:].upper()
        elif a == "-a":
            qtype = "ANY"
        elif a.startswith("-"):
            pass
        else:
            names.append(a)
        i += 1
    if not names:
        t.e("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]")
        t.e("            [-R number] [-m flag] [-p port] hostname [server]")
        return 1
    name = names[0]
    server = names[1] if len(names) > 1 else conf.nameservers[0]
    if not dns_reachable(api, origin, server):
        for line in dns_timeout_lines(origin, server):
            t.o(line)
        return 1
    conf = _server_conf(conf, server)
    if dns.is_ipv4(name):
        rep = dns.query(api, dns.reverse_name(name), "PTR", server)
        if rep.rcode != "NOERROR" or not rep.answer:
            t.o(f"Host {dns.reverse_name(name)} not found: {_rcode_num(rep.rcode)}")
            return 1
        for rr in rep.answer:
            t.o(f"{dns.bare(rr.name)} domain name pointer {rr.data}")
        return 0
    types = [qtype] if qtype else ["A", "AAAA", "MX"]
    first = dns.search(api, name, types[0], conf, stop_on_nodata=True)
    if first.reply.rcode != "NOERROR":
        t.o(f"Host {name} not found: {_rcode_num(first.reply.rcode)}")
        return 1
    fq = first.reply.qname
    printed = False
    for ty in types:
        rep = first.reply if ty == types[0] else dns.query(api, fq, ty, server)
        for rr in rep.answer:
            n = dns.bare(rr.name)
            if rr.type == "A":
                t.o(f"{n} has address {rr.data}")
            elif rr.type == "CNAME":
                if ty == types[0]:
                    t.o(f"{n} is an alias for {rr.data}")
            elif rr.type == "SRV":
                t.o(f"{n} has SRV record {rr.data}")
            elif rr.type == "PTR":
                t.o(f"{n} domain name pointer {rr.data}")
            elif rr.type == "TXT":
                t.o(f"{n} descriptive text {rr.data}")
            else:
                t.o(f"{n} has {rr.type} record {rr.data}")
            printed = True
    if not printed and qtype:
        t.o(f"{dns.bare(fq)} has no {qtype} record")
    return 0


def _rcode_num(rcode: str) -> str:
    return {"NXDOMAIN": "3(NXDOMAIN)", "SERVFAIL": "2(SERVFAIL)", "REFUSED": "5(REFUSED)"}.get(rcode, rcode)


# ==================================================================== dig
def dig(api, args: list[str], origin: dict, t: _Term) -> int:
    conf = _conf(api, origin)
    server = conf.nameservers[0]
    qtype = None
    name = None
    short = False
    use_search = False
    sections = {"cmd": True, "comments": True, "question": True, "answer": True, "authority": True,
                "additional": True, "stats": True}
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("@"):
            server = a[1:]
        elif a == "-x" and i + 1 < len(args):
            name, qtype = dns.reverse_name(args[i + 1]), "PTR"
            i += 1
        elif a == "-t" and i + 1 < len(args):
            qtype = args[i + 1].upper()
            i += 1
        elif a.startswith("+"):
            opt = a[1:].lower()
            neg = opt.startswith("no")
            key = opt[2:] if neg else opt
            if key == "short":
                short = not neg
            elif key == "search":
                use_search = not neg
            elif key == "all":
                for k in sections:
                    sections[k] = not neg
            elif key in sections:
                sections[key] = not neg
        elif a.upper() in dns.QTYPES and qtype is None:
            qtype = a.upper()
        elif a.upper() == "IN":
            pass
        else:
            name = a
        i += 1
    if name is None:
        name, qtype = ".", qtype or "NS"
    qtype = qtype or "A"
    version = flavor(origin, "dig")
    if not dns_reachable(api, origin, server):
        # dig 9.18: each try's warning, then the command line and "no servers could be reached"; exit 9
        if _vtuple(version) >= (9, 18):
            for _ in range(3):
                t.o(f";; communications error to {server}#53: timed out")
            if sections["cmd"] and not short:
                t.o("")
                t.o(f"; <<>> DiG {version} <<>> {' '.join(args)}")
                t.o(";; global options: +cmd")
            t.o(";; no servers could be reached")
        else:
            if sections["cmd"] and not short:
                t.o("")
                t.o(f"; <<>> DiG {version} <<>> {' '.join(args)}")
                t.o(";; global options: +cmd")
            t.o(";; connection timed out; no servers could be reached")
        return 9
    if use_search and not name.endswith("."):
        rep = dns.search(api, name, qtype, _server_conf(conf, server), stop_on_nodata=True).reply
    else:
        rep = dns.query(api, dns.fqdn(name), qtype, server)
    if short:
        for rr in rep.answer:
            t.o(rr.data)
        return 0
    qid = rand.rng().randint(1, 65535)
    if sections["cmd"]:
        t.o("")
        t.o(f"; <<>> DiG {version} <<>> {' '.join(args)}")
        t.o(";; global options: +cmd")
    if sections["comments"]:
        t.o(";; Got answer:")
        t.o(f";; ->>HEADER<<- opcode: QUERY, status: {rep.rcode}, id: {qid}")
        flags = "qr" + (" aa" if rep.aa else "") + " rd" + (" ra" if rep.ra else "")
        t.o(f";; flags: {flags}; QUERY: 1, ANSWER: {len(rep.answer)}, AUTHORITY: {len(rep.authority)}, "
            f"ADDITIONAL: {len(rep.additional) + 1}")
        if not rep.ra:
            t.o(";; WARNING: recursion requested but not available")
        t.o("")
        t.o(";; OPT PSEUDOSECTION:")
        t.o("; EDNS: version: 0, flags:; udp: 1232" if _vtuple(version) >= (9, 16) else "; EDNS: version: 0, flags:; udp: 4096")
    if sections["question"]:
        t.o(";; QUESTION SECTION:")
        t.o(_dig_question(rep.qname, qtype))
    for sect, rrs in (("ANSWER", rep.answer), ("AUTHORITY", rep.authority), ("ADDITIONAL", rep.additional)):
        if rrs and sections[sect.lower()]:
            t.o("")
            t.o(f";; {sect} SECTION:")
            for rr in rrs:
                t.o(_dig_rr(rr))
    if sections["stats"]:
        t.o("")
        t.o(";; Query time: 0 msec")
        proto = " (UDP)" if _vtuple(version) >= (9, 16) else ""
        t.o(f";; SERVER: {server}#53({server}){proto}")
        t.o(f";; WHEN: {api.clock.now():%a %b %d %H:%M:%S} UTC {api.clock.now().year}")
        t.o(f";; MSG SIZE  rcvd: {_msg_size(rep)}")
        t.o("")
    return 0


def _indent(col: int, to: int) -> tuple[str, int]:
    """bind9 masterdump.c indent(): tabs (width 8) then spaces to reach column `to`; at least one."""
    if to < col + 1:
        to = col + 1
    ntabs = to // 8 - col // 8
    s = ""
    if ntabs > 0:
        s = "\t" * ntabs
        col = (to // 8) * 8
    s += " " * (to - col)
    return s, to


def _dig_question(qname: str, qtype: str) -> str:
    s = ";" + qname
    pad, col = _indent(len(s), 32)
    s += pad + "IN"
    pad, col = _indent(col + 2, 40)
    return s + pad + qtype


def _dig_rr(rr: dns.RR) -> str:
    s = rr.name
    pad, col = _indent(len(s), 24)
    ttl = str(rr.ttl)
    s += pad + ttl
    pad, col = _indent(col + len(ttl), 32)
    s += pad + "IN"
    pad, col = _indent(col + 2, 40)
    s += pad + rr.type
    pad, col = _indent(col + len(rr.type), 48)
    data = rr.data
    return s + pad + data


def _wire_name(name: str, seen: dict[str, int], offset: int) -> int:
    """Length of `name` on the wire with RFC 1035 compression against names already written."""
    labels = [x for x in dns.bare(name).lower().split(".") if x] if name != "." else []
    length = 0
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in seen:
            return length + 2
        seen[suffix] = offset + length
        length += 1 + len(labels[i])
    return length + 1


def _msg_size(rep: dns.Reply) -> int:
    seen: dict[str, int] = {}
    size = 12
    size += _wire_name(rep.qname, seen, size) + 4
    for rr in rep.answer + rep.authority + rep.additional:
        size += _wire_name(rr.name, seen, size) + 10
        if rr.type == "A":
            size += 4
        elif rr.type in ("CNAME", "PTR", "NS"):
            size += _wire_name(rr.data, seen, size)
        elif rr.type == "SRV":
            size += 6 + _wire_name(rr.data.split()[-1], seen, size + 6)
        elif rr.type == "TXT":
            size += len(rr.data.strip('"')) + 1
        elif rr.type == "SOA":
            f = rr.data.split()
            size += _wire_name(f[0], seen, size)
            size += _wire_name(f[1], seen, size) + 20
        else:
            size += len(rr.data)
    return size + 11  # the OPT record
