"""Cluster DNS through the CLI: `minikctl nslookup` / `dig` answer as the tools do in a pod
(tutum/dnsutils: bind9), on objects the controllers made (pod IPs, Endpoints)."""

from __future__ import annotations

import json

import pytest

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: cyberchef}
spec:
  replicas: 2
  selector: {matchLabels: {app: cyberchef}}
  template:
    metadata: {labels: {app: cyberchef}}
    spec:
      containers:
      - name: cyberchef
        image: mpepping/cyberchef
        ports: [{containerPort: 8000, name: http}]
---
apiVersion: v1
kind: Service
metadata: {name: cyberchef}
spec:
  selector: {app: cyberchef}
  ports: [{name: http, port: 80, targetPort: 8000}]
---
apiVersion: v1
kind: Service
metadata: {name: cyberchef-headless}
spec:
  clusterIP: None
  selector: {app: cyberchef}
  ports: [{name: http, port: 80, targetPort: 8000}]
---
apiVersion: v1
kind: Pod
metadata: {name: dnsutils}
spec:
  containers:
  - {name: dnsutils, image: tutum/dnsutils, command: [sleep, infinity]}
"""

HEADER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"


@pytest.fixture
def app(cluster):
    r = cluster(["apply", "-f", "-"], input=APP)
    assert r.code == 0, r
    return cluster


def ips(mk, selector="app=cyberchef"):
    return sorted(p["status"]["podIP"] for p in json.loads(mk(f"get pods -l {selector} -o json").out)["items"])


def svc_ip(mk, name, ns="default"):
    return json.loads(mk(f"get svc {name} -n {ns} -o json").out)["spec"]["clusterIP"]


def test_nslookup_service_short_name(app):
    r = app("nslookup cyberchef")
    assert (r.code, r.err) == (0, "")
    assert r.out == HEADER + f"Name:\tcyberchef.default.svc.cluster.local\nAddress: {svc_ip(app, 'cyberchef')}\n\n"


def test_nslookup_headless_returns_pod_ips(app):
    r = app("nslookup cyberchef-headless")
    assert r.code == 0
    got = [line.split(": ")[1] for line in r.out.splitlines() if line.startswith("Address: ")]
    assert sorted(got) == ips(app)
    assert r.out.count("Name:\tcyberchef-headless.default.svc.cluster.local\n") == 2


def test_nslookup_nxdomain_exit_code(app):
    r = app("nslookup nothere")
    assert r.code == 1
    assert r.out == HEADER + "** server can't find nothere: NXDOMAIN\n\n"


def test_nslookup_from_another_namespace_needs_the_namespace(app):
    app("create namespace other")
    assert app("nslookup cyberchef -n other").code == 1
    r = app("nslookup cyberchef.default -n other")
    assert r.code == 0 and "Name:\tcyberchef.default.svc.cluster.local\n" in r.out


def test_nslookup_types(app):
    # headless SRV records carry the endpoint port (CoreDNS findServices uses the EndpointPort)
    r = app("nslookup --type SRV _http._tcp.cyberchef-headless")
    assert r.code == 0
    lines = [l for l in r.out.splitlines() if "service = " in l]
    assert len(lines) == 2 and all(l.startswith("_http._tcp.cyberchef-headless.default.svc.cluster.local\tservice = 0 50 8000 ")
                                   for l in lines)
    r = app(f"nslookup {svc_ip(app, 'cyberchef')}")
    assert "name = cyberchef.default.svc.cluster.local.\n" in r.out
    pod_ip = ips(app)[0]
    r = app(f"nslookup {pod_ip}")
    assert r.code == 0
    names = sorted(l.split("name = ")[1] for l in r.out.splitlines() if "name = " in l)
    dashed = pod_ip.replace(".", "-")
    assert names == [f"{dashed}.cyberchef-headless.default.svc.cluster.local.",
                     f"{dashed}.cyberchef.default.svc.cluster.local."]
    r = app("nslookup --type CNAME cyberchef")
    assert r.code == 0 and "*** Can't find cyberchef: No answer" in r.out


def test_nslookup_from_a_pod(app):
    r = app("nslookup cyberchef --from dnsutils")
    assert r.code == 0 and f"Address: {svc_ip(app, 'cyberchef')}\n" in r.out
    r = app("nslookup cyberchef --from nosuchpod")
    assert r.code == 1 and r.err == 'Error from server (NotFound): pods "nosuchpod" not found\n'


def test_pod_a_record_and_kube_dns(app):
    ip = ips(app)[0]
    r = app(f"nslookup {ip.replace('.', '-')}.default.pod.cluster.local")
    assert r.code == 0 and f"Address: {ip}\n" in r.out
    r = app("nslookup kube-dns.kube-system")
    assert "Address: 10.96.0.10\n" in r.out


def test_hostname_subdomain_under_headless_service(app):
    r = app(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Service
metadata: {name: sub}
spec:
  clusterIP: None
  selector: {app: named}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: named-pod, labels: {app: named}}
spec:
  hostname: web-0
  subdomain: sub
  containers: [{name: c, image: nginx}]
""")
    assert r.code == 0, r
    ip = json.loads(app("get pod named-pod -o json").out)["status"]["podIP"]
    r = app("nslookup web-0.sub")
    assert r.code == 0 and r.out.endswith(f"Name:\tweb-0.sub.default.svc.cluster.local\nAddress: {ip}\n\n")


def test_not_ready_endpoints_leave_headless_answers(app):
    r = app(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Service
metadata: {name: unready}
spec:
  clusterIP: None
  selector: {app: unready}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: unready-pod, labels: {app: unready}}
spec:
  containers:
  - name: c
    image: nginx
    readinessProbe:
      exec: {command: [ls, /var/ready]}
""")
    assert r.code == 0, r
    ep = json.loads(app("get endpoints unready -o json").out)
    if any(s.get("addresses") for s in ep.get("subsets") or ()):
        pytest.skip("readiness probes not simulated yet")
    r = app("nslookup unready")
    assert r.code == 1 and "** server can't find unready: NXDOMAIN" in r.out


def test_dig_through_the_cli(app):
    r = app("dig +short cyberchef.default.svc.cluster.local")
    assert r.out == svc_ip(app, "cyberchef") + "\n"
    r = app("dig +short -x 10.96.0.1")
    assert r.out == "kubernetes.default.svc.cluster.local.\n"
    r = app("dig +short SRV _http._tcp.cyberchef.default.svc.cluster.local")
    assert r.out == "0 100 80 cyberchef.default.svc.cluster.local.\n"
    r = app("dig cyberchef")  # dig does not search
    assert "status: NXDOMAIN" in r.out
    r = app("dig +search +short cyberchef")
    assert r.out == svc_ip(app, "cyberchef") + "\n"


def test_external_names(app):
    r = app("nslookup example.com")
    assert r.out == HEADER + "Non-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\n\n"
    r = app("nslookup no-such-host.example.net")
    assert r.code == 1 and "** server can't find no-such-host.example.net: NXDOMAIN" in r.out


def test_external_hosts_can_be_added(app, tmp_path):
    f = tmp_path / "hosts.yaml"
    f.write_text("hosts:\n- names: [api.partner.example]\n  addresses: [198.51.100.20]\n"
                 "  http: {status: 200, body: \"partner says hi\\n\"}\n")
    r = app(f"external-hosts add -f {f}")
    assert r.code == 0, r
    assert "Address: 198.51.100.20" in app("nslookup api.partner.example").out
    assert "api.partner.example" in app("external-hosts list").out
    r = app("curl -s http://api.partner.example/")
    assert (r.code, r.out) == (0, "partner says hi\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("hosts:\n- names: [x.example]\n  addresses: [not-an-ip]\n")
    r = app(f"external-hosts add -f {bad}")
    assert r.code == 1 and r.err == f"error: {bad}: hosts[0].addresses: 'not-an-ip' is not an IPv4 address\n"
