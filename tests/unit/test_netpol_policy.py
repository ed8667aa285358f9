"""minikctl/network/policy.py: the pure NetworkPolicy verdict, one rule at a time."""

from __future__ import annotations

from minikctl.network.policy import Peer, check, ip_block_matches


def pod(name, ns="default", labels=None, ports=()):
    return {"metadata": {"name": name, "namespace": ns, "uid": f"uid-{ns}-{name}", "labels": labels or {}},
            "spec": {"containers": [{"name": "c", "ports": list(ports)}]}}


def np(name, spec, ns="default"):
    spec = {"podSelector": {}, **spec}
    spec.setdefault("policyTypes", ["Ingress"] + (["Egress"] if spec.get("egress") else []))
    return {"metadata": {"name": name, "namespace": ns}, "spec": spec}


WEB = pod("web", labels={"app": "web"}, ports=[{"name": "http", "containerPort": 8080}])
CLIENT = pod("client", labels={"role": "client"})
A = pod("a", ns="team-a", labels={"role": "client"})
P_WEB, P_CLIENT, P_A = Peer("10.244.1.5", WEB, {"kubernetes.io/metadata.name": "default"}), \
    Peer("10.244.1.6", CLIENT, {"kubernetes.io/metadata.name": "default"}), \
    Peer("10.244.2.7", A, {"kubernetes.io/metadata.name": "team-a", "team": "a"})


def ingress(rules, src=P_CLIENT, port=8080, proto="TCP", selector=None):
    pol = np("p", {"podSelector": selector or {}, "ingress": rules})
    return bool(check(src, P_WEB, port, proto, [], [pol]))


def test_no_policy_and_no_rules():
    assert check(P_CLIENT, P_WEB, 80, "TCP", [], [])
    assert not ingress([])
    assert ingress([{}])
    # not selected: not isolated
    assert ingress([], selector={"matchLabels": {"app": "other"}})


def test_ports_named_ranges_protocols():
    assert ingress([{"ports": [{"port": "http", "protocol": "TCP"}]}])
    assert not ingress([{"ports": [{"port": "http", "protocol": "UDP"}]}])
    assert not ingress([{"ports": [{"port": "https", "protocol": "TCP"}]}])
    assert ingress([{"ports": [{"port": 8000, "endPort": 8080, "protocol": "TCP"}]}])
    assert not ingress([{"ports": [{"port": 8000, "endPort": 8079, "protocol": "TCP"}]}])
    assert ingress([{"ports": [{"protocol": "TCP"}]}])
    assert not ingress([{"ports": [{"protocol": "SCTP"}]}])


def test_peers():
    assert ingress([{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]}])
    assert not ingress([{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]}], src=P_A)
    assert ingress([{"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}}}]}], src=P_A)
    both = [{"from": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"role": "client"}}}]}]
    assert ingress(both, src=P_A) and ingress(both)
    two = [{"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}}}, {"podSelector": {}}]}]
    assert ingress(two) and ingress(two, src=P_A)
    ext = Peer("93.184.215.14")
    assert not ingress([{"from": [{"podSelector": {}}]}], src=ext)
    assert ingress([{"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}], src=ext)
    assert not ingress([{"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["93.184.215.0/24"]}}]}], src=ext)


def test_egress_and_ingress_both_needed_and_self():
    deny_out = np("out", {"podSelector": {"matchLabels": {"role": "client"}}, "policyTypes": ["Egress"]})
    v = check(P_CLIENT, P_WEB, 8080, "TCP", [deny_out], [])
    assert not v and v.direction == "egress" and v.pod == "default/client" and v.policies == ("default/out",)
    deny_in = np("in", {"policyTypes": ["Ingress"]})
    assert check(P_WEB, P_WEB, 8080, "TCP", [deny_in], [deny_in])


def test_ip_block_matches():
    assert ip_block_matches({"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}, "10.2.3.4")
    assert not ip_block_matches({"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}, "10.1.3.4")
    assert not ip_block_matches({"cidr": "10.0.0.0/8"}, "not-an-ip")
    assert not ip_block_matches({"cidr": "fd00::/8"}, "10.0.0.1")
