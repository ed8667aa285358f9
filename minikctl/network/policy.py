"""NetworkPolicy enforcement: is one connection allowed? Objects in, verdict out.

The semantics are those of networking.k8s.io/v1 as a policy-enforcing CNI applies them
(k8s.io/api/networking/v1/types.go; the upstream conformance suite's truth tables in
test/e2e/network/netpol):

- A pod is isolated for ingress (egress) when any NetworkPolicy of its namespace selects it
  (spec.podSelector) and has Ingress (Egress) in spec.policyTypes. A pod selected by none is
  not isolated for that direction: everything is allowed.
- An isolated pod accepts (sends) a connection when any rule of any selecting policy of that
  type allows it: the rule's ports match (no ports = every port; a port with endPort is a
  range; a named port is resolved against the *destination* pod's container ports, with the
  protocol) and one of its peers matches (no peers = every peer).
- A peer: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every
  pod of the namespaces it selects (by their labels, kubernetes.io/metadata.name included);
  both = the pods matching podSelector in those namespaces; ipBlock = addresses in cidr and
  in none of except.
- A connection needs both: the source's egress and the destination's ingress (when either
  end is a pod). A pod never blocks itself.

Choices where CNIs differ (documented in network/README.md):
- ipBlock matches by address, pod IPs included (Calico's and kube-network-policies'
  behaviour; Cilium matches only addresses outside the cluster). Pods' ever-changing IPs make
  that rarely useful: select pods with podSelector/namespaceSelector.
- Traffic that kube-proxy SNATs (a NodePort or LoadBalancer arrival with
  externalTrafficPolicy Cluster) reaches the pod from the receiving node's IP; with Local,
  from the client's address. Neither is a pod, so only an ipBlock peer (or a rule with no
  peers) lets it in. The node itself is not exempted.
- hostNetwork pods have no pod identity (their address is the node's).
"""

from __future__ import annotations

from minikctl.api.selectors import label_selector_matches

import ipaddress
from dataclasses import dataclass

_D: dict = {}


@dataclass(frozen=True)
class Peer:
    """One end of a connection as the data path sees it: an address, and the pod that has it
    (None outside the pod network) with its namespace's labels."""
    ip: str
    pod: dict | None = None
    ns_labels: dict | None = None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    direction: str = ""   # "egress" | "ingress": which side dropped it
    pod: str = ""         # namespace/name of the isolated pod that dropped it
    policies: tuple[str, ...] = ()   # the policies isolating it

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Verdict(True)


def _labels(obj: dict | None) -> dict:
    return ((obj or _D).get("metadata") or _D).get("labels") or _D


def _ns(obj: dict | None) -> str:
    return ((obj or _D).get("metadata") or _D).get("namespace") or "default"


def selector_matches(sel, labels: dict) -> bool:
    """metav1.LabelSelectorAsSelector(sel).Matches: an empty selector matches everything."""
    return label_selector_matches(sel, labels)


def _net(cidr: str):
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None


def ip_block_matches(ipb: dict, ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    net = _net(ipb.get("cidr") or "")
    if net is None or addr.version != net.version or addr not in net:
        return False
    for ex in ipb.get("except") or ():
        n = _net(ex)
        if n is not None and addr.version == n.version and addr in n:
            return False
    return True


def _peer_matches(peer: dict, policy_ns: str, other: Peer) -> bool:
    ipb = peer.get("ipBlock")
    if ipb is not None:
        return ip_block_matches(ipb, other.ip)
    if other.pod is None:
        return False
    pod_sel, ns_sel = peer.get("podSelector"), peer.get("namespaceSelector")
    if ns_sel is not None:
        if not selector_matches(ns_sel, other.ns_labels or {}):
            return False
    elif _ns(other.pod) != policy_ns:
        return False
    return pod_sel is None or selector_matches(pod_sel, _labels(other.pod))


def named_port(pod: dict | None, name: str, protocol: str) -> int | None:
    """A container port of `pod` by name and protocol (the destination's, as CNIs resolve it)."""
    for c in ((pod or _D).get("spec") or _D).get("containers") or ():
        for p in c.get("ports") or ():
            if p.get("name") == name and (p.get("protocol") or "TCP") == protocol:
                return int(p.get("containerPort") or 0)
    return None


def _port_matches(ports, port: int, protocol: str, dst_pod: dict | None) -> bool:
    if not ports:
        return True
    for p in ports:
        if (p.get("protocol") or "TCP") != protocol:
            continue
        want = p.get("port")
        if want is None:
            return True
        if isinstance(want, str) and not want.isdigit():
            if named_port(dst_pod, want, protocol) == port:
                return True
            continue
        lo = int(want)
        hi = int(p["endPort"]) if p.get("endPort") is not None else lo
        if lo <= port <= hi:
            return True
    return False


def _selecting(policies, pod: dict, direction: str) -> list[dict]:
    kind = "Ingress" if direction == "ingress" else "Egress"
    labels = _labels(pod)
    return [np for np in policies
            if kind in ((np.get("spec") or _D).get("policyTypes") or ("Ingress",))
            and selector_matches((np.get("spec") or _D).get("podSelector") or {}, labels)]


def _allowed_by(policies, direction: str, other: Peer, port: int, protocol: str, dst_pod: dict | None) -> bool:
    rules_key, peers_key = ("ingress", "from") if direction == "ingress" else ("egress", "to")
    for np in policies:
        spec = np.get("spec") or _D
        pns = _ns(np)
        for rule in spec.get(rules_key) or ():
            if not _port_matches(rule.get("ports"), port, protocol, dst_pod):
                continue
            peers = rule.get(peers_key)
            if not peers or any(_peer_matches(p, pns, other) for p in peers):
                return True
    return False


def _name(obj: dict) -> str:
    m = obj.get("metadata") or _D
    return f"{m.get('namespace') or 'default'}/{m.get('name')}"


def check(src: Peer, dst: Peer, port: int, protocol: str, src_policies, dst_policies) -> Verdict:
    """May `src` open a connection to `dst`:port/protocol? `src_policies` are the
    NetworkPolicies of the source pod's namespace, `dst_policies` those of the destination
    pod's (either ignored when that end is not a pod)."""
    if src.pod is not None and dst.pod is not None and src.pod is dst.pod:
        return ALLOW
    if src.pod is not None and dst.pod is not None and \
            (src.pod.get("metadata") or _D).get("uid") == (dst.pod.get("metadata") or _D).get("uid") is not None:
        return ALLOW
    if src.pod is not None:
        sel = _selecting(src_policies, src.pod, "egress")
        if sel and not _allowed_by(sel, "egress", dst, port, protocol, dst.pod):
            return Verdict(False, "egress", _name(src.pod), tuple(_name(p) for p in sel))
    if dst.pod is not None:
        sel = _selecting(dst_policies, dst.pod, "ingress")
        if sel and not _allowed_by(sel, "ingress", src, port, protocol, dst.pod):
            return Verdict(False, "ingress", _name(dst.pod), tuple(_name(p) for p in sel))
    return ALLOW


def hint(v: Verdict) -> str:
    if v.allowed:
        return ""
    if not v.policies:
        return f"a NetworkPolicy isolates pod {v.pod} for {v.direction}: the CNI drops the connection"
    what = "NetworkPolicy " + v.policies[0] + " isolates" if len(v.policies) == 1 else \
        "NetworkPolicies " + ", ".join(v.policies) + " isolate"
    ns, _, name = v.policies[0].partition("/")
    return (f"{what} pod {v.pod} for {v.direction} and no rule allows this connection: the CNI drops it "
            f"(minikctl describe networkpolicy -n {ns} {name})")
