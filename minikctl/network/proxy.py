"""The data path: where a TCP connection to ip:port ends up (kube-proxy's rules, the nodes'
ports, the ingress controller, the simulated internet), and the HTTP exchange over it.

kube-proxy, as its iptables/nftables modes behave (pkg/proxy/iptables/proxier.go):
- ClusterIP:port of a service port -> one ready endpoint picked at random per connection,
  or, with sessionAffinity ClientIP, the endpoint this client IP used last as long as it is
  still ready and was used within timeoutSeconds (the "recent" match; the last-used time is
  kept in the store on the cluster clock); on the endpoint's port (the targetPort the
  endpoints controller resolved). No ready endpoint -> REJECT (connection refused).
- NodePort on any node IP -> the service. externalTrafficPolicy Local keeps external
  traffic on the receiving node's endpoints; none there -> DROP (the connection hangs, curl
  times out). Cluster -> any endpoint, the source NATed to the node.
- LoadBalancer ingress IP -> the service, as through its node ports.
- internalTrafficPolicy Local: pod traffic only to endpoints on the pod's node, else DROP.
Pod IPs are routable inside the cluster only; from outside only node IPs, LoadBalancer IPs
and the ingress controller's address answer (ClusterIPs and pod IPs time out).
"""

from __future__ import annotations

import json
from minikctl.api import rand
from dataclasses import dataclass

from minikctl.network import index

EXTERNAL_CLIENT_IP = "172.18.0.1"   # the user's machine on the nodes' network (kind's docker bridge)
AFFINITY_PREFIX = "affinity:"
DEFAULT_AFFINITY_TIMEOUT = 10800     # core/v1 DefaultClientIPServiceAffinitySeconds


@dataclass
class Conn:
    """Where a connection went. state: open | refused | timeout | unreachable."""
    state: str
    ip: str
    port: int
    kind: str = ""               # pod | external | ingress | apiserver | healthcheck
    pod: dict | None = None
    target_ip: str = ""          # the address actually reached (endpoint)
    target_port: int = 0
    client_ip: str = ""          # the source address the server sees
    host: dict | None = None     # external host entry
    service: dict | None = None  # the service the connection went through
    node: dict | None = None     # the node that received it (NodePort, ingress)
    hint: str = ""               # why it failed, for the user (printed as a hint line)

    @property
    def ok(self) -> bool:
        return self.state == "open"


def origin_ip(origin: dict) -> str:
    if origin.get("kind") == "pod":
        return ((origin.get("pod") or {}).get("status") or {}).get("podIP") or "127.0.0.1"
    return EXTERNAL_CLIENT_IP


def _kubelet():
    from minikctl.kubelet import server

    return server


# ------------------------------------------------------------------ routing
def connect(api, ip: str, port: int, origin: dict) -> Conn:
    """Open a TCP connection from `origin` to ip:port: kube-proxy's routing, then the source
    pod's NetworkPolicy egress on the address it reached (policies see the endpoint, after the
    service's DNAT); the destination's ingress is checked where it is reached (_to_pod)."""
    conn = _connect(api, ip, port, origin)
    me = origin.get("pod") if origin.get("kind") == "pod" else None
    # the address the SYN went to: the endpoint, or the address itself when a host or node
    # refused it (a service without endpoints is rejected by kube-proxy before any policy)
    dst_ip = conn.target_ip or (ip if conn.state == "refused" and conn.service is None else "")
    if me is not None and dst_ip and conn.state in ("open", "refused", "timeout"):
        dst_pod = conn.pod if conn.kind in ("pod", "ingress") else None
        v = policy_verdict(api, origin_ip(origin), me, dst_ip, dst_pod, conn.target_port or int(port),
                           check_ingress=False)
        if not v:
            return _dropped(conn, v)
    return conn


def _connect(api, ip: str, port: int, origin: dict) -> Conn:
    port = int(port)
    external = origin.get("kind") != "pod"
    src = origin_ip(origin)
    me = origin.get("pod") if not external else None
    if ip.startswith("127.") or ip == "0.0.0.0":
        if me is None:
            return Conn("refused", ip, port, hint="nothing listens on this port of your own machine: NodePorts listen on "
                                                  "the nodes' IPs (minikctl get nodes -o wide), LoadBalancer "
                                                  "services on their EXTERNAL-IP")
        return _to_pod(api, me, ip, port, "127.0.0.1")
    cfg = api.config
    if index.in_cidr(ip, cfg.get("serviceCIDR")):
        if external:
            return Conn("timeout", ip, port, hint=_outside_hint(api, ip, "service"))
        return _cluster_ip(api, ip, port, src, me)
    if index.in_cidr(ip, cfg.get("podCIDR")):
        if external:
            return Conn("timeout", ip, port, hint=_outside_hint(api, ip, "pod"))
        pod = index.pod_by_ip(api, ip)
        if pod is None:
            return Conn("unreachable", ip, port, hint=f"no pod has the IP {ip}")
        return _to_pod(api, pod, ip, port, src)
    node = index.node_by_ip(api, ip)
    if node is not None:
        return _node_port(api, node, ip, port, src, external)
    svc = index.service_by_lb_ip(api, ip)
    if svc is not None:
        return _load_balancer(api, svc, ip, port, src, external)
    from minikctl.network import external as ext

    h = ext.by_address(api, ip)
    if h is not None:
        if ext.open_port(h, port):
            return Conn("open", ip, port, kind="external", host=h, client_ip=src, target_ip=ip, target_port=port)
        return Conn("refused", ip, port)
    return Conn("timeout", ip, port, hint=f"no host at {ip} answers (not a cluster address nor a known external host)")


def _outside_hint(api, ip: str, what: str) -> str:
    if what == "service":
        svc = index.service_by_cluster_ip(api, ip)
        name = f" of service {svc['metadata']['namespace']}/{svc['metadata']['name']}" if svc else ""
        return (f"{ip} is a ClusterIP{name}: it is reachable only from inside the cluster "
                "(e.g. minikctl exec POD -- curl ...); from outside use a NodePort, a LoadBalancer IP or an Ingress")
    return (f"{ip} is a pod IP: it is reachable only from inside the cluster "
            "(e.g. minikctl exec POD -- curl ...)")


INGRESS_NS = "ingress-nginx"
INGRESS_SVC = "ingress-nginx-controller"
INGRESS_POD_LABELS = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/name": "ingress-nginx"}


def is_ingress_pod(pod: dict) -> bool:
    m = pod.get("metadata") or {}
    labels = m.get("labels") or {}
    return m.get("namespace") == INGRESS_NS and all(labels.get(k) == v for k, v in INGRESS_POD_LABELS.items())


def _pod_ready(pod: dict) -> bool:
    st = pod.get("status") or {}
    if st.get("phase") != "Running":
        return False
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or ())


def ingress_pods(api) -> list[dict]:
    c = index._cache(api)
    if "ingress_pods" not in c:
        from minikctl.api.selectors import from_map

        c["ingress_pods"] = api.list("pods", INGRESS_NS, selector=from_map(INGRESS_POD_LABELS))
    return c["ingress_pods"]


def ingress_node_ips(api) -> set[str]:
    """Nodes where a ready controller pod listens on host ports 80 and 443."""
    return {(p.get("status") or {}).get("hostIP") for p in ingress_pods(api) if _pod_ready(p)} - {None, ""}


def ingress_address(api) -> str:
    """The controller's address as Ingress status shows it (its LoadBalancer IP, else a node)."""
    ctl = api.try_get("services", INGRESS_NS, INGRESS_SVC)
    for i in (((ctl or {}).get("status") or {}).get("loadBalancer") or {}).get("ingress") or ():
        if i.get("ip"):
            return i["ip"]
    return next(iter(sorted(ingress_node_ips(api))), "")


def ingress_addresses(api) -> set[str]:
    """Where the built-in ingress-nginx controller answers on ports 80 and 443: its
    LoadBalancer service's address (what Ingress status shows) and the nodes running it
    (host ports, as kind's and minikube's ingress setups)."""
    out = set(ingress_node_ips(api))
    ctl = api.try_get("services", INGRESS_NS, INGRESS_SVC)
    for i in (((ctl or {}).get("status") or {}).get("loadBalancer") or {}).get("ingress") or ():
        if i.get("ip"):
            out.add(i["ip"])
    return out


def _to_pod(api, pod: dict, ip: str, port: int, client_ip: str, **kw) -> Conn:
    from minikctl.controllers.nodemonitor import is_stopped  # issue 11 (w-node)

    node_name = (pod.get("spec") or {}).get("nodeName")
    if is_stopped(api, node_name):  # a stopped node's pods answer nothing: the SYN is lost
        return Conn("timeout", kw.pop("entry_ip", ip), kw.pop("entry_port", port),
                    target_ip=(pod.get("status") or {}).get("podIP") or ip, target_port=port,
                    hint=f"pod {pod['metadata']['name']} runs on node {node_name}, which is stopped "
                         f"(minikctl cluster node start {node_name})")
    v = policy_verdict(api, client_ip, None, (pod.get("status") or {}).get("podIP") or ip, pod, port,
                       check_egress=False)
    if not v:
        return _dropped(Conn("timeout", kw.pop("entry_ip", ip), kw.pop("entry_port", port), kind="pod", pod=pod,
                             target_ip=(pod.get("status") or {}).get("podIP") or ip, target_port=port,
                             client_ip=client_ip, **kw), v)
    if is_ingress_pod(pod) and port in (80, 443):
        # the built-in controller: its nginx is this module's ingress data path
        st = "open" if _pod_ready(pod) else "refused"
        return Conn(st, kw.pop("entry_ip", ip), kw.pop("entry_port", port), kind="ingress", pod=pod,
                    target_ip=(pod.get("status") or {}).get("podIP") or ip, target_port=port, client_ip=client_ip, **kw)
    conn = Conn("open", kw.pop("entry_ip", ip), kw.pop("entry_port", port), kind="pod", pod=pod,
                target_ip=(pod.get("status") or {}).get("podIP") or ip, target_port=port, client_ip=client_ip, **kw)
    if not listening(api, pod, port, client_ip):
        conn.state = "refused"
        conn.hint = _refused_pod_hint(api, pod, port, client_ip)
    return conn


def _refused_pod_hint(api, pod: dict, port: int, client_ip: str) -> str:
    """Why a pod refused: its app binds 127.0.0.1 only, or listens elsewhere (the seed's
    troubleshooting list)."""
    try:
        from minikctl.images import catalog
    except ImportError:  # pragma: no cover
        return ""
    name = pod["metadata"]["name"]
    ports = []
    for c in (pod.get("spec") or {}).get("containers") or ():
        img = catalog.resolve(api.store, c.get("image") or "")
        for lst in img.listeners(c, {}):
            if lst["port"] == port and lst["address"] in ("127.0.0.1", "localhost", "::1"):
                return (f"the app in pod {name} listens on {lst['address']}:{port} only: it is reachable only from "
                        "inside its own pod; make sure your app isn't only binding to localhost")
            ports.append(lst["port"])
    if ports and port not in ports:
        return f"pod {name} listens on port(s) {', '.join(str(p) for p in sorted(set(ports)))}, not {port}"
    return ""


def listening(api, pod: dict, port: int, client_ip: str) -> bool:
    return bool(_kubelet().listening(api, pod, port, client_ip))


def _cluster_ip(api, ip: str, port: int, src: str, me: dict | None) -> Conn:
    svc = index.service_by_cluster_ip(api, ip)
    if svc is None:
        return Conn("timeout", ip, port, hint=f"no service has the ClusterIP {ip}")
    sp = _service_port(svc, port=port)
    if sp is None:
        tgt = [p for p in (svc.get("spec") or {}).get("ports") or () if str(p.get("targetPort")) == str(port)]
        extra = (f"; {port} is the targetPort of its port {tgt[0].get('port')}: connect to the port the service "
                 "exposes, not the target port") if tgt else ""
        return Conn("refused", ip, port, service=svc,
                    hint=f"service {_key(svc)} does not expose port {port} (its ports: {_ports(svc)}){extra}")
    local_node = None
    if me is not None and (svc.get("spec") or {}).get("internalTrafficPolicy") == "Local":
        local_node = (me.get("spec") or {}).get("nodeName")
    return _via_service(api, svc, sp, ip, port, src, local_node=local_node, local_drop=True)


def _node_port(api, node: dict, ip: str, port: int, src: str, external: bool) -> Conn:
    from minikctl.controllers.nodemonitor import is_stopped  # issue 11 (w-node)

    if is_stopped(api, node["metadata"]["name"]):
        return Conn("timeout", ip, port, node=node,
                    hint=f"node {node['metadata']['name']} is stopped (minikctl cluster node start "
                         f"{node['metadata']['name']})")
    cp = index.control_plane(api)
    if port == 6443 and cp is not None and cp["metadata"]["name"] == node["metadata"]["name"]:
        return Conn("open", ip, port, kind="apiserver", node=node, client_ip=src, target_ip=ip, target_port=port)
    if port in (80, 443) and ip in ingress_node_ips(api):
        return Conn("open", ip, port, kind="ingress", node=node, client_ip=src, target_ip=ip, target_port=port)
    svc = index.service_by_node_port(api, port)
    if svc is None:
        return Conn("refused", ip, port, node=node)
    spec = svc.get("spec") or {}
    if spec.get("healthCheckNodePort") == port:
        return Conn("open", ip, port, kind="healthcheck", service=svc, node=node, client_ip=src,
                    target_ip=ip, target_port=port)
    sp = _service_port(svc, node_port=port)
    if sp is None:
        return Conn("refused", ip, port, node=node)
    local = external and spec.get("externalTrafficPolicy") == "Local"
    return _via_service(api, svc, sp, ip, port, src if local else ip, local_node=node["metadata"]["name"] if local else None,
                        local_drop=True, node=node)


def _load_balancer(api, svc: dict, ip: str, port: int, src: str, external: bool) -> Conn:
    sp = _service_port(svc, port=port)
    if sp is None:
        return Conn("refused", ip, port, service=svc)
    local = (svc.get("spec") or {}).get("externalTrafficPolicy") == "Local"
    eps = ready_endpoints(api, svc, sp)
    if local and not eps:
        # no node has a local endpoint: the load balancer has nowhere healthy to send it
        return Conn("timeout", ip, port, service=svc,
                    hint=f"service {_key(svc)} has externalTrafficPolicy Local and no ready endpoint on any node")
    first = index.control_plane(api)
    return _via_service(api, svc, sp, ip, port, src if local else (index.node_ip(first) if first else src),
                        endpoints=eps)


def _key(svc: dict) -> str:
    m = svc.get("metadata") or {}
    return f"{m.get('namespace')}/{m.get('name')}"


def _ports(svc: dict) -> str:
    return ", ".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" for p in (svc.get("spec") or {}).get("ports") or ()) or "none"


def _service_port(svc: dict, port: int | None = None, node_port: int | None = None, name: str | None = None,
                  protocol: str = "TCP") -> dict | None:
    for p in (svc.get("spec") or {}).get("ports") or ():
        if str(p.get("protocol") or "TCP") != protocol:
            continue
        if port is not None and int(p.get("port") or 0) == port:
            return p
        if node_port is not None and int(p.get("nodePort") or 0) == node_port:
            return p
        if name is not None and (p.get("name") or "") == name:
            return p
    return None


# ------------------------------------------------------------- endpoints
@dataclass
class Endpoint:
    ip: str
    port: int
    node: str | None = None
    pod: str | None = None     # targetRef pod name
    namespace: str | None = None


def ready_endpoints(api, svc: dict, svc_port: dict) -> list[Endpoint]:
    """The ready endpoints of one service port, as kube-proxy pairs them: the endpoint ports
    whose name is the service port's name (from Endpoints; EndpointSlices if there are none)."""
    m = svc["metadata"]
    pname = str(svc_port.get("name") or "")
    proto = str(svc_port.get("protocol") or "TCP")
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    out: list[Endpoint] = []
    ep = api.try_get("endpoints", m["namespace"], m["name"])
    if ep is not None:
        for sub in ep.get("subsets") or ():
            ports = [p for p in sub.get("ports") or () if str(p.get("name") or "") == pname
                     and str(p.get("protocol") or "TCP") == proto]
            addrs = list(sub.get("addresses") or ())
            if publish:
                addrs += list(sub.get("notReadyAddresses") or ())
            for p in ports:
                for a in addrs:
                    ref = a.get("targetRef") or {}
                    out.append(Endpoint(a["ip"], int(p["port"]), a.get("nodeName"),
                                        ref.get("name") if ref.get("kind") == "Pod" else None,
                                        ref.get("namespace") or m["namespace"]))
        return out
    from minikctl.api.selectors import from_map

    for sl in api.list("endpointslices", m["namespace"], selector=from_map({"kubernetes.io/service-name": m["name"]})):
        ports = [p for p in sl.get("ports") or () if str(p.get("name") or "") == pname
                 and str(p.get("protocol") or "TCP") == proto]
        for e in sl.get("endpoints") or ():
            cond = e.get("conditions") or {}
            if cond.get("ready") is False and not publish:
                continue
            ref = e.get("targetRef") or {}
            for p in ports:
                for a in e.get("addresses") or ():
                    out.append(Endpoint(a, int(p["port"]), e.get("nodeName"),
                                        ref.get("name") if ref.get("kind") == "Pod" else None, m["namespace"]))
    return out


def _endpoint_node(api, e: Endpoint) -> str | None:
    if e.node:
        return e.node
    pod = api.try_get("pods", e.namespace or "default", e.pod) if e.pod else index.pod_by_ip(api, e.ip)
    return ((pod or {}).get("spec") or {}).get("nodeName")


def _via_service(api, svc: dict, sp: dict, ip: str, port: int, client_ip: str, *, local_node: str | None = None,
                 local_drop: bool = False, node: dict | None = None, endpoints: list[Endpoint] | None = None) -> Conn:
    eps = ready_endpoints(api, svc, sp) if endpoints is None else endpoints
    if not eps:
        from minikctl.controllers.endpoints import diagnose

        why = "; ".join(diagnose(api, svc))
        return Conn("refused", ip, port, service=svc, node=node,
                    hint=f"service {_key(svc)} has no ready endpoints (check: minikctl get endpoints "
                         f"{svc['metadata']['name']} -n {svc['metadata']['namespace']})" + (f": {why}" if why else ""))
    if local_node is not None:
        eps = [e for e in eps if _endpoint_node(api, e) == local_node]
        if not eps:
            pol = "externalTrafficPolicy" if node is not None else "internalTrafficPolicy"
            return Conn("timeout", ip, port, service=svc, node=node,
                        hint=f"service {_key(svc)} has {pol} Local and no ready endpoint on node {local_node}: "
                             "kube-proxy drops the connection")
    e = _pick(api, svc, sp, eps, client_ip)
    conn = _to_endpoint(api, e, client_ip)
    conn.ip, conn.port, conn.service = ip, port, svc
    conn.node = conn.node or node
    return conn


def _pick(api, svc: dict, sp: dict, eps: list[Endpoint], client_ip: str) -> Endpoint:
    spec = svc.get("spec") or {}
    if spec.get("sessionAffinity") != "ClientIP":
        return rand.rng().choice(eps)
    timeout = int(((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get("timeoutSeconds")
                  or DEFAULT_AFFINITY_TIMEOUT)
    m = svc["metadata"]
    key = f"{AFFINITY_PREFIX}{m['namespace']}/{m['name']}:{sp.get('port')}/{sp.get('protocol', 'TCP')}:{client_ip}"
    now = api.clock.timestamp()
    chosen = None
    raw = api.store.meta_get(key)
    if raw:
        try:
            st = json.loads(raw)
        except ValueError:
            st = {}
        if now - float(st.get("last", 0)) <= timeout:
            chosen = next((e for e in eps if e.ip == st.get("ip") and e.port == st.get("port")), None)
    if chosen is None:
        chosen = rand.rng().choice(eps)
    if api.store.in_write:
        api.store.meta_set(key, json.dumps({"ip": chosen.ip, "port": chosen.port, "last": now}))
    return chosen


def _to_endpoint(api, e: Endpoint, client_ip: str) -> Conn:
    pod = None
    if e.pod:
        pod = api.try_get("pods", e.namespace or "default", e.pod)
        if pod is not None and (pod.get("status") or {}).get("podIP") != e.ip:
            pod = None
    if pod is None and index.in_cidr(e.ip, api.config.get("podCIDR")):
        pod = index.pod_by_ip(api, e.ip)
    if pod is not None:
        return _to_pod(api, pod, e.ip, e.port, client_ip)
    node = index.node_by_ip(api, e.ip)
    if node is not None:
        c = _node_port(api, node, e.ip, e.port, client_ip, False)
        return c
    from minikctl.network import external as ext

    h = ext.by_address(api, e.ip)
    if h is not None:
        st = "open" if ext.open_port(h, e.port) else "refused"
        return Conn(st, e.ip, e.port, kind="external", host=h, client_ip=client_ip, target_ip=e.ip, target_port=e.port)
    return Conn("timeout", e.ip, e.port, target_ip=e.ip, target_port=e.port,
                hint=f"the endpoint {e.ip}:{e.port} does not answer (no pod, node or known external host has that IP)")


# ------------------------------------------------------------ NetworkPolicy
def _peer(api, ip: str, pod: dict | None = None):
    from minikctl.network.policy import Peer

    if pod is None and ip and index.in_cidr(ip, api.config.get("podCIDR")):
        pod = index.pod_by_ip(api, ip)
    if pod is None or ((pod.get("spec") or {}).get("hostNetwork")):
        return Peer(ip)
    ns = (pod.get("metadata") or {}).get("namespace") or "default"
    return Peer(ip, pod, index.namespace_labels(api, ns))


def policy_verdict(api, src_ip: str, src_pod: dict | None, dst_ip: str, dst_pod: dict | None, port: int,
                   protocol: str = "TCP", *, check_egress: bool = True, check_ingress: bool = True):
    """The NetworkPolicy verdict (network/policy.py) for one connection, with the policies of
    the two ends' namespaces looked up by namespace. A connection a pod makes to itself (or
    through its own loopback) is always allowed."""
    from minikctl.network import policy

    if src_ip.startswith("127.") and src_pod is None:
        return policy.ALLOW
    # the end a check is about must be a pod with policies in its namespace; look the other end
    # up only then (no store access per connection while a namespace has no policies)
    src = _peer(api, src_ip, src_pod) if check_egress or src_pod is not None else None
    src_pols = _ns_policies(api, src.pod) if check_egress and src is not None else ()
    dst = _peer(api, dst_ip, dst_pod) if check_ingress or dst_pod is not None else None
    dst_pols = _ns_policies(api, dst.pod) if check_ingress and dst is not None else ()
    if not src_pols and not dst_pols:
        return policy.ALLOW
    src = src or _peer(api, src_ip, src_pod)
    dst = dst or _peer(api, dst_ip, dst_pod)
    return policy.check(src, dst, int(port), protocol, src_pols, dst_pols)


def _ns_policies(api, pod: dict | None):
    if pod is None:
        return ()
    return index.network_policies(api, (pod.get("metadata") or {}).get("namespace") or "default")


def _dropped(conn: Conn, v) -> Conn:
    from minikctl.network import policy

    conn.state = "timeout"
    conn.hint = policy.hint(v)
    return conn


def dns_verdict(api, origin: dict, server: str):
    """Can a pod's DNS query reach `server` (UDP 53)? kube-dns's ClusterIP leads to the CoreDNS
    pods: the query gets through when the policies let it reach one of them."""
    from minikctl.network import dns, policy

    me = origin.get("pod") if origin.get("kind") == "pod" else None
    if me is None or server.startswith("127."):
        return policy.ALLOW
    src_ip = origin_ip(origin)
    if server == dns.kube_dns_ip(api) and not index.network_policies(api, (me.get("metadata") or {}).get(
            "namespace") or "default") and not index.network_policies(api, "kube-system"):
        return policy.ALLOW  # the common case: no policy on either end
    if index.in_cidr(server, api.config.get("serviceCIDR")):
        svc = index.service_by_cluster_ip(api, server)
        if svc is None:
            return policy.ALLOW if server == dns.kube_dns_ip(api) else policy.Verdict(False, "egress")
        sp = _service_port(svc, port=53, protocol="UDP") or _service_port(svc, port=53)
        first = policy.ALLOW
        for i, e in enumerate(ready_endpoints(api, svc, sp) if sp else ()):
            v = policy_verdict(api, src_ip, me, e.ip, None, e.port, "UDP")
            if v:
                return v
            if i == 0:
                first = v
        return first
    return policy_verdict(api, src_ip, me, server, None, 53, "UDP")


# ------------------------------------------------------------------ HTTP
def http(api, conn: Conn, request: dict, scheme: str = "http") -> dict | None:
    """Send one HTTP request over an open connection; the normalised response, or None when
    the server closed the connection without answering."""
    from minikctl.network.http import normalise

    if conn.kind == "pod":
        return _pod_http(api, conn.pod, conn.target_port, request, conn.client_ip)
    if conn.kind == "external":
        from minikctl.network import external as ext

        return normalise(ext.respond(api, conn.host, request, scheme, conn.client_ip, conn.target_ip))
    if conn.kind == "ingress":
        from minikctl.network import ingress

        return ingress.serve(api, request, scheme, conn.client_ip)
    if conn.kind == "apiserver":
        return _apiserver(api, request)
    if conn.kind == "healthcheck":
        return _healthcheck(api, conn)
    return None


def _pod_http(api, pod: dict, port: int, request: dict, client_ip: str) -> dict | None:
    from minikctl.network.http import normalise

    resp = _kubelet().handle(api, pod, port, request, client_ip)
    return normalise(resp) if resp is not None else None


def _apiserver(api, request: dict) -> dict:
    """kube-apiserver to an anonymous client (no token): 403 Forbidden as a Status."""
    from minikctl.network.http import http_date, normalise

    path = (request.get("path") or "/").split("?")[0]
    if path in ("/healthz", "/livez", "/readyz", "/version"):
        if path == "/version":
            v = api.config.get("kubernetesVersion", "v1.32.0")
            body = json.dumps({"major": "1", "minor": v.split(".")[1], "gitVersion": v, "gitCommit": "",
                               "gitTreeState": "clean", "buildDate": "2024-12-11T18:04:20Z", "goVersion": "go1.23.3",
                               "compiler": "gc", "platform": "linux/amd64"}, indent=2)
            ctype = "application/json"
        else:
            body, ctype = "ok", "text/plain; charset=utf-8"
        status = 200
    else:
        status = 403
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                           "message": f'forbidden: User "system:anonymous" cannot get path "{path}"',
                           "reason": "Forbidden", "details": {}, "code": 403}, indent=2) + "\n"
        ctype = "application/json"
    return normalise({"status": status, "headers": [
        ("Audit-Id", "d1e0c1f2-6b4c-4f5e-9a0d-3c2b1a0f9e8d"), ("Cache-Control", "no-cache, private"),
        ("Content-Type", ctype), ("X-Content-Type-Options", "nosniff"),
        ("Date", http_date(api.clock.now())), ("Content-Length", str(len(body)))],
        "body": "" if request.get("method") == "HEAD" else body, "version": "HTTP/2"})


def _healthcheck(api, conn: Conn) -> dict:
    """kube-proxy's health check node port (pkg/proxy/healthcheck/service_health.go)."""
    from minikctl.network.http import http_date, normalise

    svc = conn.service
    node = (conn.node or {}).get("metadata", {}).get("name")
    count = 0
    for sp in (svc.get("spec") or {}).get("ports") or ():
        count = max(count, sum(1 for e in ready_endpoints(api, svc, sp) if _endpoint_node(api, e) == node))
    m = svc["metadata"]
    # service_health.go: the dedented template, tabs kept
    body = (f'{{\n\t"service": {{\n\t\t"namespace": "{m["namespace"]}",\n\t\t"name": "{m["name"]}"\n\t}},\n'
            f'\t"localEndpoints": {count},\n\t"serviceProxyHealthy": true\n}}')
    return normalise({"status": 200 if count else 503,
                      "headers": [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff"),
                                  ("X-Load-Balancing-Endpoint-Weight", str(count)),
                                  ("Date", http_date(api.clock.now())), ("Content-Length", str(len(body)))],
                      "body": body})


# ------------------------------------------------------------------ ICMP
def ping(api, ip: str, origin: dict) -> tuple[bool, int, str]:
    """Does ip answer ICMP echo from origin? (answers, ttl, hint). A ClusterIP never answers:
    it is a virtual IP that exists only in kube-proxy's rules, for the service's ports."""
    external = origin.get("kind") != "pod"
    me = origin.get("pod") or {}
    if ip.startswith("127."):
        return True, 64, ""
    cfg = api.config
    if index.in_cidr(ip, cfg.get("serviceCIDR")):
        svc = index.service_by_cluster_ip(api, ip)
        what = f"the ClusterIP of service {_key(svc)}" if svc else "an address in the service CIDR"
        return False, 0, (f"{ip} is {what}: a service IP is virtual (only kube-proxy's rules for the service's "
                          "ports know it), so pinging it never works; try curl on the service port instead")
    if index.in_cidr(ip, cfg.get("podCIDR")):
        if external:
            return False, 0, _outside_hint(api, ip, "pod")
        pod = index.pod_by_ip(api, ip)
        if pod is None or (pod.get("status") or {}).get("phase") != "Running":
            return False, 0, ""
        same = (pod.get("spec") or {}).get("nodeName") == (me.get("spec") or {}).get("nodeName")
        return True, 64 if same else 62, ""
    if index.node_by_ip(api, ip) is not None:
        return True, 64 if external else 63, ""
    if index.service_by_lb_ip(api, ip) is not None or ip in ingress_addresses(api):
        return False, 0, f"{ip} is a load-balancer address: it forwards the service's ports only"
    from minikctl.network import external as ext

    h = ext.by_address(api, ip)
    if h is not None and h.get("ping", True):
        return True, 56, ""
    return False, 0, ""
