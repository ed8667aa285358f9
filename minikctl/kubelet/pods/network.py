"""The pod sandbox's network: host-local IPAM over the node's podCIDR (pod IP, host IP), and
the address given back when the sandbox is torn down.
"""

from __future__ import annotations


LAST_IP_META = "kubelet:podip-last:"  # + node: last reserved address (host-local lastReservedIP)


_CIDR_BOUNDS: dict[str, tuple[int, int]] = {}  # podCIDR -> (first, last) host-local addresses, per process


def _pod_ip(api, pod: dict, node: dict) -> str | None:
    """host-local IPAM over the node's podCIDR: from .2 up (the .1 gateway, the network and
    broadcast addresses never), starting after the last address reserved."""
    from minikctl.allocators.ranges import CIDR, int_to_ip

    name = node["metadata"]["name"]
    cidr_text = (node.get("spec") or {}).get("podCIDR")
    if not cidr_text:
        return None
    bounds = _CIDR_BOUNDS.get(cidr_text)
    if bounds is None:
        cidr = CIDR(cidr_text)
        bounds = _CIDR_BOUNDS[cidr_text] = (cidr.base + 2, cidr.base + cidr.num - 2)
    first, last = bounds
    if last < first:
        return None
    pool = f"podip:{name}"
    uid = pod["metadata"]["uid"]
    for held_pool, value in api.store.allocations_of(uid):
        if held_pool == pool:
            return int_to_ip(value)
    raw = api.store.meta_get(LAST_IP_META + name)
    start = int(raw) + 1 if raw else first
    if not first <= start <= last:
        start = first
    for a, b in ((start, last), (first, start - 1)):
        if a > b:
            continue
        v = api.store.first_free(pool, a, b)
        if v is not None and api.store.allocate(pool, v, uid):
            api.store.meta_set(LAST_IP_META + name, str(v))
            return int_to_ip(v)
    return None


def _host_ip(node: dict) -> str:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == "InternalIP":
            return a.get("address", "")
    return ""


def _release_ip(api, pod: dict) -> None:
    """A finished pod's sandbox is torn down: the CNI gives its address back."""
    uid = pod["metadata"]["uid"]
    node = (pod.get("spec") or {}).get("nodeName") or ""
    api.store.release_owner(uid, f"podip:{node}")
