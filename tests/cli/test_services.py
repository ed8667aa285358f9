"""Service IPs, node ports and load balancers through the CLI: kube-apiserver's allocators
(pkg/registry/core/service/ipallocator, portallocator, storage/alloc.go) and their
messages, and the simulated cloud's load balancers (service-controller events)."""

from __future__ import annotations

import ipaddress
import json

SVC = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
{spec}"""


def svc(name: str, spec: str) -> str:
    return SVC.format(name=name, spec=spec)


def apply(mk, text: str):
    return mk(["apply", "-f", "-"], input=text)


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def events(mk, name: str) -> list[tuple[str, str, str]]:
    return [(e["type"], e["reason"], e["message"]) for e in jget(mk, "get events")["items"]
            if e["involvedObject"]["kind"] == "Service" and e["involvedObject"]["name"] == name]


PORT80 = "  ports: [{port: 80, targetPort: 8080}]\n  selector: {app: x}\n"


# ------------------------------------------------------------------ cluster IPs
def test_cluster_ip_allocated_from_the_service_cidr(cluster):
    assert apply(cluster, svc("a", PORT80)).code == 0
    s = jget(cluster, "get svc a")["spec"]
    ip = ipaddress.ip_address(s["clusterIP"])
    assert ip in ipaddress.ip_network("10.96.0.0/12")
    assert s["clusterIPs"] == [s["clusterIP"]]
    assert str(ip) not in ("10.96.0.0", "10.111.255.255", "10.96.0.1", "10.96.0.10")


def test_explicit_cluster_ip_in_range_and_free(cluster):
    assert apply(cluster, svc("a", "  clusterIP: 10.96.0.50\n" + PORT80)).code == 0
    assert jget(cluster, "get svc a")["spec"]["clusterIP"] == "10.96.0.50"


def test_explicit_cluster_ip_already_allocated(cluster):
    assert apply(cluster, svc("a", "  clusterIP: 10.96.0.50\n" + PORT80)).code == 0
    r = apply(cluster, svc("b", "  clusterIP: 10.96.0.50\n" + PORT80))
    assert r.code == 1
    assert r.err == ('The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: '
                     "failed to allocate IP 10.96.0.50: provided IP is already allocated\n")
    r = apply(cluster, svc("b", "  clusterIP: 10.96.0.10\n" + PORT80))  # kube-dns's
    assert "provided IP is already allocated" in r.err


def test_explicit_cluster_ip_out_of_range(cluster):
    r = apply(cluster, svc("b", "  clusterIP: 10.0.0.1\n" + PORT80))
    assert r.code == 1
    assert r.err == ('The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: '
                     "failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. "
                     "The range of valid IPs is 10.96.0.0/12\n")
    assert cluster("get svc b").code == 1


def test_released_cluster_ip_can_be_taken_again(cluster):
    assert apply(cluster, svc("a", "  clusterIP: 10.96.0.50\n" + PORT80)).code == 0
    assert cluster("delete svc a").code == 0
    assert apply(cluster, svc("b", "  clusterIP: 10.96.0.50\n" + PORT80)).code == 0
    assert cluster("cluster check").code == 0


def test_service_cidr_exhaustion_is_kube_apiservers_error_not_a_hang(mk):
    assert mk("cluster create --clock manual --service-cidr 10.0.0.0/28").code == 0
    # 14 usable addresses: kubernetes (.1), kube-dns (.10) and the ingress controller hold 3
    for i in range(11):
        r = mk(f"create service clusterip s{i} --tcp=80")
        assert r.code == 0, r
    r = mk("create service clusterip full --tcp=80")
    assert (r.code, r.err) == (1, "Error from server (InternalError): Internal error occurred: "
                                  "failed to allocate a serviceIP: range is full\n")
    ips = {s["spec"]["clusterIP"] for s in jget(mk, "get svc -A")["items"]}
    assert len(ips) == 14 and "10.0.0.0" not in ips and "10.0.0.15" not in ips
    assert mk("delete svc s3").code == 0
    assert mk("create service clusterip again --tcp=80").code == 0
    assert mk("cluster check").code == 0


def test_headless_service_has_no_cluster_ip(cluster):
    assert apply(cluster, svc("h", "  clusterIP: None\n" + PORT80)).code == 0
    s = jget(cluster, "get svc h")["spec"]
    assert (s["clusterIP"], s["clusterIPs"]) == ("None", ["None"])
    assert cluster("get svc h").out.splitlines()[1].split()[2] == "None"


def test_external_name_service(cluster):
    text = svc("ext", "  type: ExternalName\n  externalName: someapi.somecompany.com\n  ports: [{port: 80}]\n")
    assert apply(cluster, text).code == 0
    s = jget(cluster, "get svc ext")["spec"]
    assert "clusterIP" not in s
    row = cluster("get svc ext").out.splitlines()[1].split()
    assert row[1:4] == ["ExternalName", "<none>", "someapi.somecompany.com"]
    assert cluster("get ep ext").code == 1  # no endpoints for an ExternalName service


def test_session_affinity_client_ip_defaults_its_timeout(cluster):
    assert apply(cluster, svc("a", "  sessionAffinity: ClientIP\n" + PORT80)).code == 0
    s = jget(cluster, "get svc a")["spec"]
    assert s["sessionAffinity"] == "ClientIP"
    assert s["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_multi_port_services_need_port_names(cluster):
    r = apply(cluster, svc("m", "  ports: [{port: 80}, {port: 443}]\n  selector: {app: x}\n"))
    assert r.code == 1
    assert "spec.ports[0].name: Required value" in r.err and "spec.ports[1].name: Required value" in r.err
    ok = "  ports:\n  - {name: http, port: 80, targetPort: 8080}\n  - {name: https, port: 443, targetPort: 8443}\n" \
         "  selector: {app: cyberchef}\n"
    assert apply(cluster, svc("m", ok)).code == 0


# ------------------------------------------------------------------ node ports
NP = "  type: NodePort\n  ports: [{{port: 80, targetPort: 8000{extra}}}]\n  selector: {{app: x}}\n"


def nodeport(extra: str = "") -> str:
    return NP.format(extra=extra)


def test_node_port_allocated_and_shown(cluster):
    assert apply(cluster, svc("np", nodeport())).code == 0
    p = jget(cluster, "get svc np")["spec"]["ports"][0]
    assert 30000 <= p["nodePort"] <= 32767
    assert cluster("get svc np").out.splitlines()[1].split()[4] == f"80:{p['nodePort']}/TCP"


def test_explicit_node_port_conflict_and_range(cluster):
    assert apply(cluster, svc("a", nodeport(", nodePort: 30123"))).code == 0
    r = apply(cluster, svc("b", nodeport(", nodePort: 30123")))
    assert (r.code, r.err) == (1, 'The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30123: '
                                  "provided port is already allocated\n")
    r = apply(cluster, svc("c", nodeport(", nodePort: 40000")))
    assert r.err == ('The Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 40000: '
                     "provided port is not in the valid range. The range of valid ports is 30000-32767\n")


def test_node_port_range_exhaustion(mk):
    assert mk("cluster create --clock manual --node-port-range 30000-30004 --lb-pool none").code == 0
    # the ingress controller's LoadBalancer service holds 3 (http, https, health check)
    assert mk("create service nodeport a --tcp=80").code == 0
    assert mk("create service nodeport b --tcp=80").code == 0
    r = mk("create service nodeport c --tcp=80")
    assert (r.code, r.err) == (1, "Error from server (InternalError): Internal error occurred: "
                                  "failed to allocate a nodePort: range is full\n")
    assert mk("delete svc a").code == 0
    assert mk("create service nodeport c --tcp=80").code == 0
    assert mk("cluster check").code == 0


def test_node_port_to_cluster_ip_frees_the_port(cluster):
    assert apply(cluster, svc("a", nodeport(", nodePort: 30123"))).code == 0
    assert apply(cluster, svc("a", PORT80)).code == 0
    s = jget(cluster, "get svc a")["spec"]
    assert s["type"] == "ClusterIP" and "nodePort" not in s["ports"][0]
    assert apply(cluster, svc("b", nodeport(", nodePort: 30123"))).code == 0
    assert cluster("cluster check").code == 0


def test_deleting_a_service_frees_everything(cluster):
    text = svc("a", "  type: NodePort\n  clusterIP: 10.96.0.77\n  ports: [{port: 80, nodePort: 30555}]\n")
    assert apply(cluster, text).code == 0
    assert cluster("delete svc a").code == 0
    assert apply(cluster, text.replace("name: a", "name: b")).code == 0
    assert cluster("cluster check").code == 0


# -------------------------------------------------------------- load balancers
LB = "  type: LoadBalancer\n  ports: [{port: 80, targetPort: 8000}]\n  selector: {app: x}\n"


def test_load_balancer_gets_an_ip_from_the_pool(cluster):
    assert apply(cluster, svc("lb", LB)).code == 0
    # provisioning takes a few seconds of cluster time (tests/cli/test_loadbalancer_delay.py)
    assert cluster("get svc lb").out.splitlines()[1].split()[3] == "<pending>"
    assert cluster("clock advance 3s").code == 0
    s = jget(cluster, "get svc lb")
    ing = s["status"]["loadBalancer"]["ingress"]
    assert len(ing) == 1 and ing[0]["ipMode"] == "VIP"
    assert ipaddress.ip_address(ing[0]["ip"]) in ipaddress.ip_network("172.18.255.200/29")
    assert s["spec"]["ports"][0]["nodePort"]
    row = cluster("get svc lb").out.splitlines()[1].split()
    assert row[3] == ing[0]["ip"]
    assert events(cluster, "lb") == [("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"),
                                      ("Normal", "EnsuredLoadBalancer", "Ensured load balancer")]
    assert cluster("cluster check").code == 0


def test_without_a_pool_external_ip_stays_pending_and_the_node_port_works(mk):
    assert mk("cluster create --clock manual --lb-pool none").code == 0
    assert apply(mk, svc("lb", LB)).code == 0
    s = jget(mk, "get svc lb")
    assert s["status"]["loadBalancer"] == {}
    assert s["spec"]["ports"][0]["nodePort"]
    assert mk("get svc lb").out.splitlines()[1].split()[3] == "<pending>"
    assert events(mk, "lb") == []


def test_load_balancer_pool_exhaustion_and_reuse(cluster):
    # 172.18.255.200/29: 6 usable addresses, the ingress controller holds one
    for i in range(5):
        assert apply(cluster, svc(f"lb{i}", LB)).code == 0
    assert apply(cluster, svc("late", LB)).code == 0
    assert cluster("clock advance 3s").code == 0
    assert jget(cluster, "get svc late")["status"]["loadBalancer"] == {}
    assert cluster("get svc late").out.splitlines()[1].split()[3] == "<pending>"
    failed = [e for e in events(cluster, "late") if e[1] == "SyncLoadBalancerFailed"]
    assert failed and failed[0][0] == "Warning"
    assert failed[0][2].startswith("Error syncing load balancer: failed to ensure load balancer: ")
    freed = jget(cluster, "get svc lb2")["status"]["loadBalancer"]["ingress"][0]["ip"]
    assert cluster("delete svc lb2").code == 0
    assert cluster("clock advance 3s").code == 0  # the retry provisions in its turn
    assert jget(cluster, "get svc late")["status"]["loadBalancer"]["ingress"][0]["ip"] == freed
    assert cluster("cluster check").code == 0


def test_load_balancer_to_cluster_ip_releases_the_address(cluster):
    assert apply(cluster, svc("lb", LB)).code == 0
    assert apply(cluster, svc("lb", PORT80)).code == 0
    s = jget(cluster, "get svc lb")
    assert s["status"]["loadBalancer"] == {}
    assert ("Normal", "DeletedLoadBalancer", "Deleted load balancer") in events(cluster, "lb")
    assert cluster("cluster check").code == 0


def test_external_traffic_policy_local_allocates_a_health_check_node_port(cluster):
    assert apply(cluster, svc("lb", LB + "  externalTrafficPolicy: Local\n")).code == 0
    s = jget(cluster, "get svc lb")["spec"]
    assert 30000 <= s["healthCheckNodePort"] <= 32767
    assert s["healthCheckNodePort"] != s["ports"][0]["nodePort"]
    assert cluster("cluster check").code == 0


# ------------------------------------------------------------------ ingress
ING = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: cyberchef
spec:
{cls}  rules:
  - host: cyberchef.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {{name: cyberchef-nodeport, port: {{number: 80}}}}
"""


def test_ingress_gets_the_controllers_address(cluster):
    assert apply(cluster, ING.format(cls="  ingressClassName: nginx\n")).code == 0
    lb = jget(cluster, "get svc -n ingress-nginx ingress-nginx-controller")["status"]["loadBalancer"]["ingress"][0]["ip"]
    ing = jget(cluster, "get ingress cyberchef")
    assert ing["status"]["loadBalancer"] == {"ingress": [{"ip": lb}]}
    assert lb in cluster("get ingress").out


def test_ingress_without_class_uses_the_default_nginx_class(cluster):
    assert apply(cluster, ING.format(cls="")).code == 0
    ing = jget(cluster, "get ingress cyberchef")
    assert ing["spec"]["ingressClassName"] == "nginx"  # the DefaultIngressClass admission plugin
    assert ing["status"]["loadBalancer"]["ingress"]
    assert cluster("get ingress cyberchef").out.splitlines()[1].split()[1] == "nginx"


def test_ingress_of_another_class_is_left_alone(cluster):
    assert apply(cluster, ING.format(cls="  ingressClassName: traefik\n")).code == 0
    assert not (jget(cluster, "get ingress cyberchef").get("status") or {}).get("loadBalancer", {}).get("ingress")


def test_ingress_address_without_a_load_balancer_pool_is_the_controllers_node(mk):
    assert mk("cluster create --clock manual --lb-pool none").code == 0
    assert apply(mk, ING.format(cls="  ingressClassName: nginx\n")).code == 0
    pod = jget(mk, "get pods -n ingress-nginx")["items"][0]
    ing = jget(mk, "get ingress cyberchef")
    assert ing["status"]["loadBalancer"] == {"ingress": [{"ip": pod["status"]["hostIP"]}]}


def test_kubernetes_service_is_put_back_when_deleted(cluster):
    """pkg/controlplane/controller/kubernetesservice: the API server recreates default/kubernetes."""
    r = cluster("delete svc kubernetes")
    assert (r.code, r.out) == (0, 'service "kubernetes" deleted\n')
    assert cluster("get svc kubernetes -o jsonpath={.spec.clusterIP}").out == "10.96.0.1"
    assert cluster("delete endpoints kubernetes").code == 0
    assert cluster("get endpoints kubernetes --no-headers").out.split()[1] == "172.18.0.2:6443"
