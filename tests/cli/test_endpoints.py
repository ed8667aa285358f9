"""Endpoints and EndpointSlices through the CLI (pkg/controller/endpoint/endpoints_controller.go,
pkg/api/v1/endpoints RepackSubsets, pkg/controller/endpointslice, endpointslicemirroring)."""

from __future__ import annotations

import json

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - {{containerPort: 8080, name: http}}
"""

SVC = """apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {{team: a}}
spec:
  selector: {{app: web}}
{extra}  ports:
  - {{port: 80, targetPort: {target}}}
"""


def svc(target="8080", extra=""):
    return SVC.format(target=target, extra=extra)


def apply(mk, text: str):
    return mk(["apply", "-f", "-"], input=text)


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def pod_ips(mk, selector="app=web") -> dict[str, dict]:
    return {p["status"]["podIP"]: p for p in jget(mk, f"get pods -l {selector}")["items"]}


def test_endpoints_list_the_ready_pods_with_target_refs(cluster):
    assert apply(cluster, DEPLOY.format(replicas=3)).code == 0
    assert apply(cluster, svc()).code == 0
    ep = jget(cluster, "get endpoints web")
    assert ep["metadata"]["labels"] == {"team": "a"}  # the service's labels
    assert "endpoints.kubernetes.io/last-change-trigger-time" in ep["metadata"]["annotations"]
    pods = pod_ips(cluster)
    assert len(ep["subsets"]) == 1
    ss = ep["subsets"][0]
    assert ss["ports"] == [{"port": 8080, "protocol": "TCP"}]
    assert [a["ip"] for a in ss["addresses"]] == sorted(pods)
    for a in ss["addresses"]:
        p = pods[a["ip"]]
        assert a["nodeName"] == p["spec"]["nodeName"]
        assert a["targetRef"] == {"kind": "Pod", "name": p["metadata"]["name"], "namespace": "default",
                                  "uid": p["metadata"]["uid"]}
    assert "notReadyAddresses" not in ss
    row = cluster("get ep web").out.splitlines()[1].split()
    assert row[1] == ",".join(f"{ip}:8080" for ip in sorted(pods))
    assert cluster("cluster check").code == 0


def test_no_matching_pod_shows_none_and_warns(cluster):
    r = apply(cluster, svc())
    assert r.code == 0
    assert r.err == ('Warning: service "web" selects no pods: no pod in namespace "default" has the labels app=web, '
                     "so its endpoints will be empty\n")
    ep = jget(cluster, "get ep web")
    assert "subsets" not in ep
    assert cluster("get ep web").out.splitlines()[1].split()[1] == "<none>"


def test_no_warning_when_pods_and_service_arrive_together(cluster):
    r = apply(cluster, DEPLOY.format(replicas=1) + "---\n" + svc())
    assert r.code == 0 and r.err == ""
    r = apply(cluster, svc())  # unchanged: nothing to say
    assert r.err == ""


def test_not_ready_pods_are_not_ready_addresses_until_the_probe_passes(cluster):
    text = DEPLOY.format(replicas=2) + ("        readinessProbe:\n          tcpSocket: {port: 80}\n"
                                        "          initialDelaySeconds: 20\n")
    assert apply(cluster, text).code == 0
    assert apply(cluster, svc(target="80")).code == 0
    ss = jget(cluster, "get ep web")["subsets"][0]
    assert "addresses" not in ss and len(ss["notReadyAddresses"]) == 2
    # printers.go formatEndpoints lists ready addresses only: an empty cell (not <none>: there is a subset)
    assert cluster("get ep web").out.splitlines()[1].split() == ["web", "0s"]
    slices = jget(cluster, "get endpointslices -l kubernetes.io/service-name=web")["items"]
    conds = [e["conditions"] for s in slices for e in s["endpoints"]]
    assert conds == [{"ready": False, "serving": False, "terminating": False}] * 2
    # the probe's first run after its initial delay makes them ready (nginx listens on 80)
    assert cluster("clock advance 25s").code == 0
    ss = jget(cluster, "get ep web")["subsets"][0]
    assert len(ss["addresses"]) == 2 and "notReadyAddresses" not in ss
    assert cluster("cluster check").code == 0


def test_publish_not_ready_addresses(cluster):
    text = DEPLOY.format(replicas=1) + ("        readinessProbe:\n          exec: {command: [cat, /tmp/ready]}\n")
    assert apply(cluster, text).code == 0
    assert apply(cluster, svc(extra="  publishNotReadyAddresses: true\n")).code == 0
    ss = jget(cluster, "get ep web")["subsets"][0]
    assert len(ss["addresses"]) == 1 and "notReadyAddresses" not in ss
    s = jget(cluster, "get endpointslices -l kubernetes.io/service-name=web")["items"][0]
    assert s["endpoints"][0]["conditions"] == {"ready": True, "serving": False, "terminating": False}


def test_named_target_port_is_resolved_per_pod_and_pods_without_it_are_left_out(cluster):
    assert apply(cluster, DEPLOY.format(replicas=2)).code == 0
    other = ("apiVersion: v1\nkind: Pod\nmetadata: {name: odd, labels: {app: web}}\nspec:\n"
             "  containers: [{name: c, image: nginx, ports: [{containerPort: 9090, name: web}]}]\n")
    named = ("apiVersion: v1\nkind: Pod\nmetadata: {name: alt, labels: {app: web}}\nspec:\n"
             "  containers: [{name: c, image: nginx, ports: [{containerPort: 9999, name: http}]}]\n")
    assert apply(cluster, other).code == 0
    assert apply(cluster, named).code == 0
    assert apply(cluster, svc(target="http")).code == 0
    ep = jget(cluster, "get ep web")
    by_port = {ss["ports"][0]["port"]: sorted(a["targetRef"]["name"] for a in ss["addresses"]) for ss in ep["subsets"]}
    deploy_pods = sorted(p["metadata"]["name"] for p in jget(cluster, "get pods")["items"]
                         if p["metadata"]["name"].startswith("web-"))
    assert by_port == {8080: deploy_pods, 9999: ["alt"]}  # "odd" has no port named http
    slices = jget(cluster, "get endpointslices -l kubernetes.io/service-name=web")["items"]
    ports = sorted(tuple(p["port"] for p in s["ports"] or []) for s in slices)
    assert ports == [(), (8080,), (9999,)]  # slices keep "odd", with no ports


def test_relabelled_pod_leaves_the_endpoints(cluster):
    assert apply(cluster, DEPLOY.format(replicas=2)).code == 0
    assert apply(cluster, svc()).code == 0
    p = jget(cluster, "get pods -l app=web")["items"][0]
    p["metadata"]["labels"]["app"] = "quarantine"
    assert cluster(["replace", "-f", "-"], input=json.dumps(p)).code == 0
    ips = [a["ip"] for ss in jget(cluster, "get ep web")["subsets"] for a in ss["addresses"]]
    assert p["status"]["podIP"] not in ips
    assert len(ips) == 2  # its replacement took its place
    assert cluster("cluster check").code == 0


def test_deleted_pod_leaves_and_scaling_to_zero_empties(cluster):
    assert apply(cluster, DEPLOY.format(replicas=2)).code == 0
    assert apply(cluster, svc()).code == 0
    assert cluster("scale deployment web --replicas=0").code == 0
    ep = jget(cluster, "get ep web")
    assert "subsets" not in ep
    slices = jget(cluster, "get endpointslices -l kubernetes.io/service-name=web")["items"]
    assert len(slices) == 1 and slices[0]["endpoints"] is None  # the placeholder slice


def test_service_without_selector_keeps_the_users_endpoints(cluster):
    # the seed's example: a service without a selector plus a manual Endpoints object
    text = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef-service
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: Endpoints
metadata:
  name: cyberchef-service
subsets:
  - addresses:
    - ip: 11.11.11.11
    - ip: 22.22.22.22
    ports:
    - port: 80
"""
    r = apply(cluster, text)
    assert r.code == 0, r
    assert r.err == ""  # no selector: no "selects no pods" warning
    ep = jget(cluster, "get ep cyberchef-service")
    assert ep["subsets"] == [{"addresses": [{"ip": "11.11.11.11"}, {"ip": "22.22.22.22"}],
                              "ports": [{"port": 80, "protocol": "TCP"}]}]
    assert cluster("get ep cyberchef-service").out.splitlines()[1].split()[1] == "11.11.11.11:80,22.22.22.22:80"
    # mirrored into a slice by the mirroring controller
    s = jget(cluster, "get endpointslices -l kubernetes.io/service-name=cyberchef-service")["items"]
    assert len(s) == 1
    assert s[0]["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == \
        "endpointslicemirroring-controller.k8s.io"
    assert sorted(e["addresses"][0] for e in s[0]["endpoints"]) == ["11.11.11.11", "22.22.22.22"]
    # a pod change elsewhere does not touch it
    assert cluster("run other --image=nginx").code == 0
    assert jget(cluster, "get ep cyberchef-service")["subsets"] == ep["subsets"]


def test_endpoint_slices_labels_and_conditions(cluster):
    assert apply(cluster, DEPLOY.format(replicas=2)).code == 0
    assert apply(cluster, svc()).code == 0
    slices = jget(cluster, "get endpointslices -l kubernetes.io/service-name=web")["items"]
    assert len(slices) == 1
    s = slices[0]
    assert s["metadata"]["name"].startswith("web-") and len(s["metadata"]["name"]) == len("web-") + 5
    assert s["metadata"]["labels"] == {"team": "a", "kubernetes.io/service-name": "web",
                                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    owner = jget(cluster, "get svc web")
    assert s["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                                 "uid": owner["metadata"]["uid"], "controller": True,
                                                 "blockOwnerDeletion": True}]
    assert s["addressType"] == "IPv4"
    assert s["ports"] == [{"name": "", "port": 8080, "protocol": "TCP"}]
    pods = pod_ips(cluster)
    for e in s["endpoints"]:
        p = pods[e["addresses"][0]]
        assert e["conditions"] == {"ready": True, "serving": True, "terminating": False}
        assert e["nodeName"] == p["spec"]["nodeName"]
        assert e["targetRef"] == {"kind": "Pod", "name": p["metadata"]["name"], "namespace": "default",
                                  "uid": p["metadata"]["uid"]}


def test_deleting_the_service_deletes_its_endpoints_and_slices(cluster):
    assert apply(cluster, DEPLOY.format(replicas=1)).code == 0
    assert apply(cluster, svc()).code == 0
    assert cluster("delete svc web").code == 0
    assert cluster("get ep web").code == 1
    assert jget(cluster, "get endpointslices -l kubernetes.io/service-name=web")["items"] == []


def test_selector_change_moves_the_endpoints(cluster):
    assert apply(cluster, DEPLOY.format(replicas=2)).code == 0
    r = apply(cluster, svc().replace("{app: web}", "{app: other}"))
    assert "selects no pods" in r.err
    assert "subsets" not in jget(cluster, "get ep web")
    r = apply(cluster, svc())
    assert r.err == ""
    assert len(jget(cluster, "get ep web")["subsets"][0]["addresses"]) == 2


def test_multi_port_service_subsets(cluster):
    assert apply(cluster, DEPLOY.format(replicas=2)).code == 0
    text = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n"
            "  - {name: http, port: 80, targetPort: http}\n  - {name: metrics, port: 9153, targetPort: 9153}\n")
    assert apply(cluster, text).code == 0
    ep = jget(cluster, "get ep web")
    assert len(ep["subsets"]) == 1
    assert ep["subsets"][0]["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"},
                                         {"name": "metrics", "port": 9153, "protocol": "TCP"}]
    assert len(ep["subsets"][0]["addresses"]) == 2


def test_kube_dns_endpoints_after_bootstrap(cluster):
    ep = jget(cluster, "get ep kube-dns -n kube-system")
    pods = jget(cluster, "get pods -n kube-system -l k8s-app=kube-dns")["items"]
    assert len(pods) == 2
    ips = sorted(p["status"]["podIP"] for p in pods)
    assert [a["ip"] for a in ep["subsets"][0]["addresses"]] == ips
    assert {p["name"] for p in ep["subsets"][0]["ports"]} == {"dns", "dns-tcp", "metrics"}
