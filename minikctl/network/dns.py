"""Cluster DNS: what CoreDNS (kubeadm's Corefile) answers, and how a pod's stub resolver asks.

The server side follows the Kubernetes DNS-based service discovery specification
(kubernetes/dns docs/specification.md) as CoreDNS's kubernetes plugin implements it
(coredns plugin/kubernetes/{parse.go,kubernetes.go,reverse.go}, plugin/backend_lookup.go),
configured as kubeadm/kind configure it::

    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    forward . /etc/resolv.conf

so cluster answers are authoritative (flags ``qr aa rd``) with TTL 30, ``a-b-c-d.ns.pod.<zone>``
answers for any well-formed IP in an existing namespace ("pods insecure"), and everything
outside the zone goes to the upstream resolver, simulated by the table of external hosts
(``external.py``; flags ``qr rd ra``, "Non-authoritative answer").

The client side (``search``) applies resolv.conf's search list and ``ndots`` as glibc's
res_nsearch and bind9's dighost.c do: a name with fewer than ndots dots is tried under each
search domain first, then as is; a name with at least ndots dots is tried as is first; a
trailing dot means absolute. Everything here is pure: objects come from indexed API
lookups (service by name, endpoints by name, allocations by value), never a scan.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

TTL = 30  # kubeadm's Corefile: kubernetes { ttl 30 }
TIMEOUT = "TIMEOUT"  # not an rcode: no reply came back (the query was dropped, e.g. by a NetworkPolicy)
DNS_SCHEMA_VERSION = "1.1.0"  # dns-version.<zone> TXT (specification.md 2.2)
QTYPES = ("A", "AAAA", "SRV", "CNAME", "PTR", "TXT", "SOA", "NS", "MX", "ANY")


@dataclass
class RR:
    """One resource record in presentation form: name is absolute (trailing dot)."""
    name: str
    type: str
    ttl: int
    data: str

    @property
    def target(self) -> str:
        """The domain name an SRV/CNAME/PTR record points to (absolute)."""
        return self.data.split()[-1]


@dataclass
class Reply:
    qname: str
    qtype: str
    rcode: str = "NOERROR"          # NOERROR | NXDOMAIN | SERVFAIL | REFUSED
    aa: bool = True                 # authoritative (cluster zone) vs forwarded (upstream)
    ra: bool = False                # CoreDNS's kubernetes answers do not set RA
    answer: list[RR] = field(default_factory=list)
    authority: list[RR] = field(default_factory=list)
    additional: list[RR] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A positive answer: NOERROR with at least one record."""
        return self.rcode == "NOERROR" and bool(self.answer)

    def addresses(self) -> list[str]:
        return [r.data for r in self.answer if r.type == "A"]


# ------------------------------------------------------------------ names
def fqdn(name: str) -> str:
    return name if name.endswith(".") else name + "."


def bare(name: str) -> str:
    return name[:-1] if name.endswith(".") else name


def reverse_name(ip: str) -> str:
    """10.96.0.1 -> 1.0.96.10.in-addr.arpa (bind's and busybox's make_ptr)."""
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa"


def ip_from_reverse(name: str) -> str | None:
    """dnsutil.ExtractAddressFromReverse for IPv4 names."""
    n = bare(name).lower()
    if not n.endswith(".in-addr.arpa"):
        return None
    parts = n[: -len(".in-addr.arpa")].split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        return None
    return ".".join(reversed(parts))


def is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


def zone_of(api) -> str:
    return str(api.config.get("clusterDomain") or "cluster.local").lower()


def kube_dns_ip(api) -> str:
    """The kube-dns service's ClusterIP (10.96.0.10 by default)."""
    svc = api.try_get("services", "kube-system", "kube-dns")
    ip = ((svc or {}).get("spec") or {}).get("clusterIP")
    if ip and ip != "None":
        return ip
    from minikctl.allocators.ranges import CIDR

    return CIDR(api.config["serviceCIDR"]).nth(10)


# --------------------------------------------------------- resolv.conf
@dataclass
class ResolvConf:
    nameservers: list[str]
    search: list[str]
    ndots: int = 5
    options: list[str] = field(default_factory=list)
    # nameservers a NetworkPolicy keeps this pod from reaching (queries to them time out)
    unreachable: frozenset = frozenset()

    def text(self) -> str:
        """The file the kubelet writes (pkg/kubelet/network/dns/dns.go formDNSConfig)."""
        lines = []
        if self.search:
            lines.append("search " + " ".join(self.search))
        lines += [f"nameserver {ns}" for ns in self.nameservers]
        opts = [o for o in self.options if not o.startswith("ndots:")]
        lines.append("options " + " ".join([f"ndots:{self.ndots}"] + opts))
        return "\n".join(lines) + "\n"


def parse_resolv_conf(text: str) -> ResolvConf:
    """resolv.conf as glibc reads it: nameserver lines (up to 3), the last search/domain line,
    options ndots:N (default 1)."""
    ns: list[str] = []
    search: list[str] = []
    ndots = 1
    opts: list[str] = []
    for line in (text or "").splitlines():
        f = line.split("#", 1)[0].split(";", 1)[0].split()
        if not f:
            continue
        if f[0] == "nameserver" and len(f) > 1 and len(ns) < 3:
            ns.append(f[1])
        elif f[0] in ("search", "domain"):
            search = f[1:]
        elif f[0] == "options":
            for o in f[1:]:
                if o.startswith("ndots:") and o[6:].isdigit():
                    ndots = min(int(o[6:]), 15)
                else:
                    opts.append(o)
    return ResolvConf(ns or ["127.0.0.1"], search, ndots, opts)


NODE_RESOLVER = "172.18.0.1"  # the node's upstream resolver (kind's docker network gateway)


def resolv_conf(api, pod: dict | None, namespace: str | None = None) -> ResolvConf:
    """A pod's /etc/resolv.conf as the kubelet derives it from dnsPolicy and dnsConfig
    (pkg/kubelet/network/dns/dns.go GetPodDNS): ClusterFirst (default) -> kube-dns with the
    search list "<ns>.svc.<zone> svc.<zone> <zone>" and ndots:5; Default -> the node's resolver;
    None -> only dnsConfig. hostNetwork pods with ClusterFirst fall back to Default."""
    zone = zone_of(api)
    spec = (pod or {}).get("spec") or {}
    ns = ((pod or {}).get("metadata") or {}).get("namespace") or namespace or "default"
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "ClusterFirst" and spec.get("hostNetwork"):
        policy = "Default"
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        conf = ResolvConf([kube_dns_ip(api)], [f"{ns}.svc.{zone}", f"svc.{zone}", zone], 5)
    elif policy == "None":
        conf = ResolvConf([], [], 1)
    else:  # Default: the node's own resolv.conf (no cluster search domains)
        conf = ResolvConf([NODE_RESOLVER], [], 1)
    cfg = spec.get("dnsConfig") or {}
    for s in cfg.get("nameservers") or ():
        if s not in conf.nameservers:
            conf.nameservers.append(s)
    for s in cfg.get("searches") or ():
        if s not in conf.search:
            conf.search.append(s)
    for o in cfg.get("options") or ():
        name, value = o.get("name"), o.get("value")
        if name == "ndots" and value is not None:
            try:
                conf.ndots = int(value)
            except ValueError:
                pass
        elif name:
            conf.options.append(f"{name}:{value}" if value is not None else name)
    if not conf.nameservers:
        conf.nameservers = [kube_dns_ip(api)]
    return conf


# ------------------------------------------------------------- server
def query(api, qname: str, qtype: str = "A", server: str | None = None) -> Reply:
    """One DNS query sent to `server` (default kube-dns). kube-dns answers the cluster zone and
    the reverse zones itself and forwards the rest; any other server is an upstream resolver."""
    qtype = qtype.upper()
    name = fqdn(qname)
    if server is not None and server != kube_dns_ip(api):
        return _upstream(api, name, qtype)
    zone = zone_of(api)
    low = name.lower()
    if low == zone + "." or low.endswith("." + zone + "."):
        return _cluster(api, name, qtype, zone)
    ip = ip_from_reverse(low)
    if ip is not None and qtype in ("PTR", "ANY"):
        reply = _reverse(api, name, ip, zone)
        if reply is not None:
            return reply
        # fallthrough in-addr.arpa ip6.arpa: the upstream answers (or not)
    return _upstream(api, name, qtype)


def _soa(api, zone: str) -> RR:
    serial = int(api.clock.timestamp())
    return RR(zone + ".", "SOA", TTL, f"ns.dns.{zone}. hostmaster.{zone}. {serial} 7200 1800 86400 {TTL}")


def _nodata(api, name: str, qtype: str, zone: str) -> Reply:
    return Reply(name, qtype, "NOERROR", authority=[_soa(api, zone)])


def _nxdomain(api, name: str, qtype: str, zone: str) -> Reply:
    return Reply(name, qtype, "NXDOMAIN", authority=[_soa(api, zone)])


@dataclass
class _Svc:
    """A msg.Service of CoreDNS: a host (IP or name) and port under a key name."""
    owner: str   # the name records are derived from, e.g. web.default.svc.cluster.local.
    host: str
    port: int


def _cluster(api, name: str, qtype: str, zone: str) -> Reply:
    base = bare(name)[: -len(zone)].rstrip(".").lower()
    if base == "dns-version" and qtype in ("TXT", "ANY"):
        return Reply(name, qtype, answer=[RR(name, "TXT", 28800, f'"{DNS_SCHEMA_VERSION}"')])
    svcs, err = records(api, base, zone)
    if err:
        return _nxdomain(api, name, qtype, zone)
    if qtype in ("A", "AAAA"):
        answer, extra = _a(api, name, qtype, svcs, zone)
    elif qtype == "SRV":
        answer, extra = _srv(name, svcs)
    elif qtype == "CNAME":
        answer, extra = [RR(name, "CNAME", TTL, fqdn(s.host)) for s in svcs if not is_ipv4(s.host)], []
    elif qtype == "SOA" and base == "":
        answer, extra = [_soa(api, zone)], []
    elif qtype == "NS" and base == "":
        answer, extra = [RR(name, "NS", TTL, f"ns.dns.{zone}.")], [RR(f"ns.dns.{zone}.", "A", TTL, kube_dns_ip(api))]
    else:
        # The handler's default case: a fake A lookup only tells NODATA from NXDOMAIN (ANY included).
        answer, extra = [], []
    if not answer:
        return _nodata(api, name, qtype, zone)
    return Reply(name, qtype, "NOERROR", answer=answer, additional=extra)


def _a(api, name: str, qtype: str, svcs: list[_Svc], zone: str, depth: int = 0) -> tuple[list[RR], list[RR]]:
    out: list[RR] = []
    seen: set[str] = set()
    for s in svcs:
        if is_ipv4(s.host):
            if qtype == "A" and s.host not in seen:
                seen.add(s.host)
                out.append(RR(name, "A", TTL, s.host))
            continue
        # ExternalName: the CNAME, then its target's addresses (in the zone: our own records;
        # elsewhere: the upstream's answer, which may be empty).
        target = fqdn(s.host)
        if target.lower() == name.lower() or depth > 7:
            continue
        cname = RR(name, "CNAME", TTL, target)
        low = target.lower()
        if low.endswith("." + zone + "."):
            sub, err = records(api, bare(low)[: -len(zone)].rstrip("."), zone)
            if err:
                continue
            nxt, _ = _a(api, target, qtype, sub, zone, depth + 1)
            if nxt:
                out += [cname] + nxt
            continue
        up = _upstream(api, target, qtype)
        out += [cname] + up.answer
    return out, []


def _srv(name: str, svcs: list[_Svc]) -> tuple[list[RR], list[RR]]:
    """plugin.SRV: weight = floor(100 / n) per priority (all 0), the target's A record in
    the additional section; endpoints without ports (port -1) get none."""
    svcs = [s for s in svcs if s.port != -1]
    if not svcs:
        return [], []
    weight = 100 // len(svcs)
    answer, extra, seen = [], [], set()
    for s in svcs:
        if is_ipv4(s.host):
            answer.append(RR(name, "SRV", TTL, f"0 {weight} {s.port} {s.owner}"))
            if s.owner not in seen:
                seen.add(s.owner)
                extra.append(RR(s.owner, "A", TTL, s.host))
        else:
            answer.append(RR(name, "SRV", TTL, f"0 {weight} {s.port} {fqdn(s.host)}"))
    return answer, extra


def records(api, base: str, zone: str) -> tuple[list[_Svc], bool]:
    """CoreDNS Records(): parse `base` (the name minus the zone) as
    [_port._proto. | endpoint.] service.namespace.svc  or  ip-dashed.namespace.pod,
    returning (services, nxdomain)."""
    if base in ("", "svc", "pod"):
        return [], False  # apex: NODATA
    segs = base.split(".")
    kind = segs[-1]
    if kind not in ("svc", "pod"):
        return [], True
    rest = segs[:-1]
    if not rest:
        return [], False
    ns = rest[-1]
    if not api.store.exists("namespaces", "", ns):
        return [], True
    rest = rest[:-1]
    if not rest:
        return [], False  # namespace.svc.<zone>: NODATA
    service = rest[-1]
    rest = rest[:-1]
    port = proto = endpoint = None
    if len(rest) == 1:
        endpoint = rest[0]
    elif len(rest) == 2:
        port, proto = rest[0].removeprefix("_"), rest[1].removeprefix("_")
    elif len(rest) > 2:
        return [], True
    zsuffix = f"{ns}.{kind}.{zone}."
    if kind == "pod":
        if rest:
            return [], True
        # pods insecure: any well-formed dashed IPv4 in an existing namespace
        ip = service.replace("-", ".") if service.count("-") == 3 and "--" not in service else ""
        if not is_ipv4(ip):
            return [], True
        return [_Svc(f"{service}.{zsuffix}", ip, 0)], False
    svc = api.try_get("services", ns, service)
    if svc is None:
        return [], True
    spec = svc.get("spec") or {}
    owner = f"{svc['metadata']['name']}.{zsuffix}"
    if spec.get("type") == "ExternalName":
        if endpoint is not None or port is not None:
            return [], True
        return [_Svc(owner, str(spec.get("externalName") or "").rstrip("."), 0)], False
    out: list[_Svc] = []
    if spec.get("clusterIP") == "None" or endpoint is not None:
        for ip, p, host in endpoint_records(api, svc):
            if endpoint is not None and host.lower() != endpoint:
                continue
            if port is not None and (p["name"].lower() != port or p["protocol"].lower() != proto):
                continue
            out.append(_Svc(f"{host}.{owner}", ip, p["port"]))
        return out, not out
    matched = False
    for p in spec.get("ports") or ():
        pname = str(p.get("name") or "")
        if port is not None and (pname.lower() != port or str(p.get("protocol", "TCP")).lower() != proto):
            continue
        matched = True
        for ip in spec.get("clusterIPs") or [spec.get("clusterIP")]:
            if ip and ip != "None":
                out.append(_Svc(owner, ip, int(p.get("port") or 0)))
    return out, not matched


def endpoint_records(api, svc: dict) -> list[tuple[str, dict, str]]:
    """(ip, port{name,port,protocol}, hostname) for each ready endpoint address and port of a
    service: ready = in `addresses`, or any address when publishNotReadyAddresses is set. The
    hostname is the address's `hostname`, else its IP with dashes (endpointHostname)."""
    meta = svc["metadata"]
    ep = api.try_get("endpoints", meta["namespace"], meta["name"])
    if not ep:
        return []
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    out = []
    for sub in ep.get("subsets") or ():
        addrs = list(sub.get("addresses") or ())
        if publish:
            addrs += list(sub.get("notReadyAddresses") or ())
        ports = [{"name": str(p.get("name") or ""), "port": int(p.get("port") or 0),
                  "protocol": str(p.get("protocol") or "TCP")} for p in sub.get("ports") or ()]
        if not ports:
            ports = [{"name": "", "port": -1, "protocol": "TCP"}]  # CoreDNS's sentinel
        for a in addrs:
            ip = a.get("ip")
            if not ip:
                continue
            host = a.get("hostname") or ip.replace(".", "-")
            for p in ports:
                out.append((ip, p, host))
    return out


# ------------------------------------------------------------- reverse
def _reverse(api, name: str, ip: str, zone: str) -> Reply | None:
    """serviceRecordForIP: a service's ClusterIP, else every endpoint address with that IP
    (endpointHostname.service.ns.svc.<zone>). None = not ours (fallthrough upstream)."""
    from minikctl.network import index

    svc = index.service_by_cluster_ip(api, ip)
    if svc is not None:
        m = svc["metadata"]
        return Reply(name, "PTR", answer=[RR(name, "PTR", TTL, f"{m['name']}.{m['namespace']}.svc.{zone}.")])
    answer = []
    for svc in index.services_with_endpoint_ip(api, ip):
        m = svc["metadata"]
        for eip, _p, host in endpoint_records(api, svc):
            if eip == ip:
                data = f"{host}.{m['name']}.{m['namespace']}.svc.{zone}."
                if all(r.data != data for r in answer):
                    answer.append(RR(name, "PTR", TTL, data))
    return Reply(name, "PTR", answer=answer) if answer else None


# ------------------------------------------------------------ upstream
_ROOT_SOA = RR(".", "SOA", 86400, "a.root-servers.net. nstld.verisign-grs.com. 2024010100 1800 900 604800 86400")


def _upstream(api, name: str, qtype: str) -> Reply:
    """`forward . /etc/resolv.conf`: the simulated internet (external.py's table)."""
    from minikctl.network import external

    rep = Reply(name, qtype, "NOERROR", aa=False, ra=True)
    answer = external.dns_answer(api, name, qtype)
    if answer is None:
        rep.rcode = "NXDOMAIN"
        rep.authority = [_ROOT_SOA]
        return rep
    rep.answer = answer
    if not answer:
        rep.authority = [_ROOT_SOA]
    return rep


# ------------------------------------------------------------- client
@dataclass
class Lookup:
    """A stub resolver's result: the reply it settled on and every (name, reply) it tried."""
    reply: Reply
    tried: list[tuple[str, Reply]]

    @property
    def ok(self) -> bool:
        return self.reply.ok


def candidates(name: str, conf: ResolvConf) -> list[str]:
    """The names a resolver tries, in order (glibc res_nsearch, bind9 dighost.c)."""
    if name.endswith("."):
        return [name]
    as_is = name + "."
    searched = [f"{name}.{d.rstrip('.')}." for d in conf.search if d and d != "."]
    if name.count(".") >= conf.ndots:
        return [as_is] + searched
    return searched + [as_is]


def search(api, name: str, qtype: str, conf: ResolvConf, *, stop_on_nodata: bool = False) -> Lookup:
    """Resolve `name` through the search list. glibc/musl go on after NXDOMAIN and NODATA;
    bind's nslookup/host go on only after NXDOMAIN (stop_on_nodata=True)."""
    server = conf.nameservers[0] if conf.nameservers else None
    if server is not None and server in conf.unreachable and len(conf.nameservers) == 1:
        # no answer at all: the resolver gives up (EAI_AGAIN), whatever the search list
        return Lookup(Reply(fqdn(name), qtype, TIMEOUT), [])
    if server is not None and server in conf.unreachable:
        # glibc/musl move on to the next nameserver after the timeout
        rest = [n for n in conf.nameservers if n not in conf.unreachable]
        if not rest:
            return Lookup(Reply(fqdn(name), qtype, TIMEOUT), [])
        server = rest[0]
    tried: list[tuple[str, Reply]] = []
    last = None
    for cand in candidates(name, conf):
        rep = query(api, cand, qtype, server)
        tried.append((cand, rep))
        last = rep
        if rep.ok:
            return Lookup(rep, tried)
        if rep.rcode == "NXDOMAIN":
            continue
        if rep.rcode == "NOERROR" and not stop_on_nodata:
            continue
        break
    return Lookup(last, tried)  # type: ignore[arg-type]


def getaddrinfo(api, name: str, conf: ResolvConf, hosts: dict[str, str] | None = None) -> tuple[list[str], str]:
    """What curl, wget and ping get from libc: /etc/hosts first, then DNS through the search
    list. Returns (addresses, canonical name); no addresses = the name did not resolve."""
    if is_ipv4(name):
        return [name], name
    low = bare(name).lower()
    for h, ip in (hosts or {}).items():
        if h.lower() == low:
            return [ip], bare(name)
    res = search(api, name, "A", conf)
    if not res.ok:
        return [], bare(name)
    canon = bare(res.reply.answer[-1].name) if res.reply.answer else bare(name)
    return res.reply.addresses(), canon
