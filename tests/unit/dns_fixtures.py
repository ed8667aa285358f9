"""Objects for the network unit tests, written straight to a fresh store (no controllers run),
so DNS and routing are tested on exactly the objects a test builds."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(tmp_path):
    from minikctl.api.cluster import Session

    s = Session.open(str(tmp_path / "state.db"), bootstrap=False)
    s.create_cluster({}, "manual")
    with s.store.write():
        api = s.api
        yield api
    s.close()


def make_pod(api, name, ip, node="minikctl-worker", ns="default", labels=None, ports=(80,), phase="Running",
             hostname=None, subdomain=None, image="nginx"):
    spec = {"nodeName": node, "containers": [{"name": "c", "image": image,
                                              "ports": [{"containerPort": p, "protocol": "TCP"} for p in ports]}]}
    if hostname:
        spec["hostname"] = hostname
    if subdomain:
        spec["subdomain"] = subdomain
    pod = api.create({"apiVersion": "v1", "kind": "Pod",
                      "metadata": {"name": name, "namespace": ns, "labels": labels or {}}, "spec": spec})
    pod["status"] = {"phase": phase, "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": "172.18.0.3"}
    return api.update_status(pod)


def make_svc(api, name, ns="default", ports=((80, 80, ""),), selector=None, **spec):
    s = {"ports": [{"port": p, "targetPort": t, "protocol": "TCP", **({"name": n} if n else {})} for p, t, n in ports],
         **spec}
    if selector is not None:
        s["selector"] = selector
    return api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns}, "spec": s})


def make_ep(api, name, ready, not_ready=(), ports=((80, ""),), ns="default"):
    """ready/not_ready: [(ip, pod_name_or_None, node_or_None, hostname_or_None)]"""
    def addr(t):
        ip, pod, node, host = (tuple(t) + (None, None, None))[:4]
        a = {"ip": ip}
        if pod:
            a["targetRef"] = {"kind": "Pod", "name": pod, "namespace": ns}
        if node:
            a["nodeName"] = node
        if host:
            a["hostname"] = host
        return a

    sub = {"ports": [{"port": p, "protocol": "TCP", **({"name": n} if n else {})} for p, n in ports]}
    if ready:
        sub["addresses"] = [addr(t) for t in ready]
    if not_ready:
        sub["notReadyAddresses"] = [addr(t) for t in not_ready]
    existing = api.try_get("endpoints", ns, name)
    obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": ns}, "subsets": [sub]}
    if existing:
        obj["metadata"] = existing["metadata"]
        return api.update(obj)
    return api.create(obj)
