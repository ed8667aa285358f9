"""Service environment variables (pkg/kubelet/envvars/envvars.go FromServices) and how the
kubelet assembles a container's environment (kubelet_pods.go getServiceEnvVarMap /
makeEnvironmentVariables), seen from inside the pod with `exec POD -- env`."""

from __future__ import annotations

import json

from minikctl.kubelet.envvars import expand, from_services

NAMED = {"metadata": {"name": "my-db"},
         "spec": {"clusterIP": "10.96.0.50", "ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}]}}
UNNAMED = {"metadata": {"name": "web"},
           "spec": {"clusterIP": "10.96.0.60", "ports": [{"port": 80, "protocol": "TCP"}]}}
MULTI = {"metadata": {"name": "cyberchef"},
         "spec": {"clusterIP": "10.96.0.70", "ports": [{"name": "http", "port": 80, "protocol": "TCP"},
                                                       {"name": "dns", "port": 53, "protocol": "UDP"}]}}


def test_from_services_named_port():
    assert from_services([NAMED]) == [
        ("MY_DB_SERVICE_HOST", "10.96.0.50"),
        ("MY_DB_SERVICE_PORT", "5432"),
        ("MY_DB_SERVICE_PORT_PG", "5432"),
        ("MY_DB_PORT", "tcp://10.96.0.50:5432"),
        ("MY_DB_PORT_5432_TCP", "tcp://10.96.0.50:5432"),
        ("MY_DB_PORT_5432_TCP_PROTO", "tcp"),
        ("MY_DB_PORT_5432_TCP_PORT", "5432"),
        ("MY_DB_PORT_5432_TCP_ADDR", "10.96.0.50"),
    ]


def test_from_services_unnamed_port():
    assert from_services([UNNAMED]) == [
        ("WEB_SERVICE_HOST", "10.96.0.60"),
        ("WEB_SERVICE_PORT", "80"),
        ("WEB_PORT", "tcp://10.96.0.60:80"),
        ("WEB_PORT_80_TCP", "tcp://10.96.0.60:80"),
        ("WEB_PORT_80_TCP_PROTO", "tcp"),
        ("WEB_PORT_80_TCP_PORT", "80"),
        ("WEB_PORT_80_TCP_ADDR", "10.96.0.60"),
    ]


def test_from_services_multi_port_and_udp():
    env = dict(from_services([MULTI]))
    assert env["CYBERCHEF_SERVICE_PORT"] == "80"
    assert env["CYBERCHEF_SERVICE_PORT_HTTP"] == "80"
    assert env["CYBERCHEF_SERVICE_PORT_DNS"] == "53"
    assert env["CYBERCHEF_PORT"] == "tcp://10.96.0.70:80"  # Docker special-cases the first port
    assert env["CYBERCHEF_PORT_53_UDP"] == "udp://10.96.0.70:53"
    assert env["CYBERCHEF_PORT_53_UDP_PROTO"] == "udp"


def test_headless_and_external_name_services_give_nothing():
    headless = {"metadata": {"name": "h"}, "spec": {"clusterIP": "None", "ports": [{"port": 80}]}}
    ext = {"metadata": {"name": "e"}, "spec": {"type": "ExternalName", "externalName": "x.example.com",
                                               "ports": [{"port": 80}]}}
    assert from_services([headless, ext]) == []


def test_names_starting_with_a_digit_get_an_underscore():
    svc = {"metadata": {"name": "3d.render"}, "spec": {"clusterIP": "10.96.0.9", "ports": [{"port": 1}]}}
    assert from_services([svc])[0] == ("_3D_RENDER_SERVICE_HOST", "10.96.0.9")


def test_expansion_rules():
    m = {"A": "1", "B": "two"}.get

    def mapping(name):
        v = m(name)
        return v if v is not None else f"$({name})"

    assert expand("$(A)-$(B)", mapping) == "1-two"
    assert expand("$(MISSING)", mapping) == "$(MISSING)"
    assert expand("$$(A)", mapping) == "$(A)"
    assert expand("$A $(A", mapping) == "$A $(A"


# ------------------------------------------------------------- through the CLI
def env_of(mk, pod: str) -> list[tuple[str, str]]:
    r = mk(f"exec {pod} -- env")
    assert r.code == 0, r
    return [tuple(line.split("=", 1)) for line in r.out.splitlines()]


SVC = """apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  selector: {{app: {name}}}
  ports: [{ports}]
"""


def test_pod_environment_in_the_order_env_prints_it(cluster):
    assert cluster(["apply", "-f", "-"], input=SVC.format(name="backend", ports="{name: http, port: 80}")).code == 0
    pod = """apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: c
    image: nginx
    env:
    - {name: GREETING, value: hello}
    - {name: BACKEND_URL, value: "http://$(BACKEND_SERVICE_HOST):$(BACKEND_SERVICE_PORT)/"}
    - {name: ESCAPED, value: "$$(BACKEND_SERVICE_HOST)"}
    - {name: MY_POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    env = env_of(cluster, "client")
    names = [k for k, _ in env]
    d = dict(env)
    assert names[0] == "PATH" and names[1] == "HOSTNAME" and names[-1] == "HOME"
    assert d["HOSTNAME"] == "client" and d["HOME"] == "/root"
    ip = json.loads(cluster("get svc backend -o json").out)["spec"]["clusterIP"]
    assert d["BACKEND_URL"] == f"http://{ip}:80/"
    assert d["ESCAPED"] == "$(BACKEND_SERVICE_HOST)"
    assert d["MY_POD"] == "client"
    # the image's ENV, then the container's own variables, then the service variables
    assert names.index("GREETING") < names.index("BACKEND_SERVICE_HOST")
    assert names.index("NGINX_VERSION") < names.index("GREETING") if "NGINX_VERSION" in d else True
    expected = dict(from_services([json.loads(cluster("get svc backend -o json").out)]))
    for k, v in expected.items():
        assert d[k] == v
    kube = json.loads(cluster("get svc kubernetes -o json").out)
    assert d["KUBERNETES_SERVICE_HOST"] == kube["spec"]["clusterIP"]
    assert d["KUBERNETES_SERVICE_PORT"] == "443" and d["KUBERNETES_SERVICE_PORT_HTTPS"] == "443"


def test_a_service_created_after_the_pod_is_not_in_its_environment(cluster):
    assert cluster("create deployment client --image=nginx").code == 0
    pod = json.loads(cluster("get pods -l app=client -o json").out)["items"][0]["metadata"]["name"]
    assert cluster(["apply", "-f", "-"], input=SVC.format(name="late", ports="{port: 80}")).code == 0
    assert "LATE_SERVICE_HOST" not in dict(env_of(cluster, pod))
    # a replacement pod (the deployment replaces the deleted one) gets it
    assert cluster(f"delete pod {pod}").code == 0
    new = json.loads(cluster("get pods -l app=client -o json").out)["items"][0]["metadata"]["name"]
    assert new != pod
    assert "LATE_SERVICE_HOST" in dict(env_of(cluster, new))


def test_enable_service_links_false_keeps_only_the_kubernetes_service(cluster):
    assert cluster(["apply", "-f", "-"], input=SVC.format(name="backend", ports="{port: 80}")).code == 0
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: quiet}\nspec:\n  enableServiceLinks: false\n"
           "  containers: [{name: c, image: nginx}]\n")
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    d = dict(env_of(cluster, "quiet"))
    assert "BACKEND_SERVICE_HOST" not in d
    assert "KUBERNETES_SERVICE_HOST" in d


def test_other_namespaces_services_are_not_injected_but_kubernetes_is(cluster):
    assert cluster("create namespace team").code == 0
    assert cluster(["apply", "-f", "-"], input=SVC.format(name="backend", ports="{port: 80}")).code == 0
    assert cluster("run c --image=nginx -n team").code == 0
    d = dict(env_of(cluster, "c -n team"))
    assert "BACKEND_SERVICE_HOST" not in d and "KUBERNETES_SERVICE_HOST" in d
    assert not any(k.startswith("KUBE_DNS_") for k in d)  # kube-system's services stay there


def test_headless_and_external_name_services_are_not_injected(cluster):
    text = ("apiVersion: v1\nkind: Service\nmetadata: {name: h}\nspec:\n  clusterIP: None\n  selector: {app: h}\n"
            "  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec:\n"
            "  type: ExternalName\n  externalName: someapi.somecompany.com\n  ports: [{port: 80}]\n")
    assert cluster(["apply", "-f", "-"], input=text).code == 0
    assert cluster("run c --image=nginx").code == 0
    d = dict(env_of(cluster, "c"))
    assert not any(k.startswith(("H_", "EXT_")) for k in d)


def test_run_env_flag_reaches_the_container(cluster):
    assert cluster("run c --image=nginx --env=MODE=debug --env=EMPTY=").code == 0
    d = dict(env_of(cluster, "c"))
    assert d["MODE"] == "debug" and d["EMPTY"] == ""
