"""Indexed reverse lookups the data path needs: which object owns an IP or a port.

Every lookup goes through the store's allocations table (clusterip, nodeport, lbip and the
per-node pod IP pools: value -> owner uid -> object) or a by-name / by-node index; nothing
here lists every service or every pod. Node objects are few and read once per process.
"""

from __future__ import annotations

import ipaddress


def ip_int(ip: str) -> int | None:
    try:
        return int(ipaddress.IPv4Address(ip))
    except ValueError:
        return None


def _cache(api) -> dict:
    c = getattr(api, "_net_cache", None)
    if c is None:
        c = {}
        try:
            api._net_cache = c
        except AttributeError:  # pragma: no cover - an API without a __dict__
            pass
    return c


def _by_uid(api, uid: str | None) -> dict | None:
    return api.store.get_by_uid(uid) if uid else None


# ---------------------------------------------------------------- nodes
def nodes(api) -> list[dict]:
    c = _cache(api)
    if "nodes" not in c:
        c["nodes"] = api.list("nodes")
    return c["nodes"]


def node_ip(node: dict) -> str | None:
    for a in (node.get("status") or {}).get("addresses") or ():
        if a.get("type") == "InternalIP":
            return a.get("address")
    return None


def node_by_ip(api, ip: str) -> dict | None:
    for n in nodes(api):
        if node_ip(n) == ip:
            return n
    return None


def node_named(api, name: str) -> dict | None:
    for n in nodes(api):
        if n["metadata"]["name"] == name:
            return n
    return None


def control_plane(api) -> dict | None:
    ns = nodes(api)
    for n in ns:
        if "node-role.kubernetes.io/control-plane" in ((n.get("metadata") or {}).get("labels") or {}):
            return n
    return ns[0] if ns else None


def in_cidr(ip: str, cidr: str | None) -> bool:
    if not cidr:
        return False
    try:
        return ipaddress.IPv4Address(ip) in ipaddress.IPv4Network(cidr, strict=False)
    except ValueError:
        return False


# ------------------------------------------------------------- services
def service_by_cluster_ip(api, ip: str) -> dict | None:
    v = ip_int(ip)
    if v is None:
        return None
    svc = _by_uid(api, api.store.allocated("clusterip", v))
    if svc and svc.get("kind") == "Service" and ip in ((svc.get("spec") or {}).get("clusterIPs") or
                                                       [(svc.get("spec") or {}).get("clusterIP")]):
        return svc
    return None


def service_by_node_port(api, port: int) -> dict | None:
    svc = _by_uid(api, api.store.allocated("nodeport", int(port)))
    return svc if svc and svc.get("kind") == "Service" else None


LB_POOLS = ("lbip", "loadbalancer")


def service_by_lb_ip(api, ip: str) -> dict | None:
    """The LoadBalancer service whose status.loadBalancer.ingress has `ip` (allocated from the
    LB pool by the load-balancer controller)."""
    v = ip_int(ip)
    if v is None:
        return None
    for pool in LB_POOLS:
        svc = _by_uid(api, api.store.allocated(pool, v))
        if svc and svc.get("kind") == "Service":
            ips = [i.get("ip") for i in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()]
            if ip in ips or ip in ((svc.get("spec") or {}).get("externalIPs") or ()):
                return svc
    return None


# ----------------------------------------------------------------- pods
def node_for_pod_ip(api, ip: str) -> dict | None:
    for n in nodes(api):
        spec = n.get("spec") or {}
        for cidr in spec.get("podCIDRs") or [spec.get("podCIDR")]:
            if in_cidr(ip, cidr):
                return n
    return None


def pod_by_ip(api, ip: str) -> dict | None:
    """The pod (not hostNetwork) whose status.podIP is `ip`: the pod IP allocation of the node
    whose podCIDR holds it, else the pods bound to that node (the node index)."""
    node = node_for_pod_ip(api, ip)
    if node is None:
        return None
    name = node["metadata"]["name"]
    v = ip_int(ip)
    for pool in (f"podip:{name}", "podip"):
        pod = _by_uid(api, api.store.allocated(pool, v)) if v is not None else None
        if pod and pod.get("kind") == "Pod" and (pod.get("status") or {}).get("podIP") == ip:
            return pod
    for pod in api.list("pods", None, node=name):
        if (pod.get("status") or {}).get("podIP") == ip and not (pod.get("spec") or {}).get("hostNetwork"):
            return pod
    return None


def services_selecting(api, pod: dict) -> list[dict]:
    meta = pod.get("metadata") or {}
    labels = {k: str(v) for k, v in (meta.get("labels") or {}).items()}
    return api.store.matching_selectors("services", meta.get("namespace") or "default", labels)


def services_with_endpoint_ip(api, ip: str) -> list[dict]:
    """Services whose endpoints may hold `ip`: those selecting the pod with that IP."""
    pod = pod_by_ip(api, ip)
    return services_selecting(api, pod) if pod else []


# ------------------------------------------------------ network policies
def network_policies(api, namespace: str) -> list[dict]:
    """The NetworkPolicies of one namespace (the store's (kind, namespace) index), once per process."""
    c = _cache(api)
    key = ("netpol", namespace)
    if key not in c:
        c[key] = api.list("networkpolicies", namespace)
    return c[key]


def namespace_labels(api, namespace: str) -> dict:
    c = _cache(api)
    key = ("nslabels", namespace)
    if key not in c:
        ns = api.try_get("namespaces", None, namespace)
        c[key] = dict(((ns or {}).get("metadata") or {}).get("labels") or {})
    return c[key]
