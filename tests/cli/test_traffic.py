"""Traffic through Services as kube-proxy routes it (pkg/proxy/iptables/proxier.go): ClusterIP by
IP, short name and FQDN; random endpoint per connection; session affinity; refused, timed out
and unresolvable connections with curl's own messages; NodePort on every node,
externalTrafficPolicy Local; LoadBalancer IPs; selector-less services with manual Endpoints;
ExternalName; ping of a ClusterIP vs a pod IP."""

from __future__ import annotations

import json
import random
import re

import pytest

KUBIA = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 3
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {role: client}}
spec:
  containers:
  - {name: curl, image: curlimages/curl, command: [sleep, infinity]}
"""


def svc(name, spec_extra="", ports="  - {port: 80, targetPort: 8080}", selector="  selector: {app: kubia}"):
    return f"""
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
{spec_extra}
  ports:
{ports}
{selector}
"""


@pytest.fixture
def kubia(cluster):
    random.seed(4)
    r = cluster(["apply", "-f", "-"], input=KUBIA + "---" + svc("kubia"))
    assert r.code == 0, r
    return cluster


def pods(mk, selector="app=kubia"):
    out = json.loads(mk(f"get pods -l {selector} -o json").out)["items"]
    return {p["metadata"]["name"]: p for p in out}


def cluster_ip(mk, name, ns="default"):
    return json.loads(mk(f"get svc {name} -n {ns} -o json").out)["spec"]["clusterIP"]


def hit(r, names):
    return [n for n in names if n in r.out]


def test_curl_service_by_cluster_ip_short_name_and_fqdn(kubia):
    names = pods(kubia)
    ip = cluster_ip(kubia, "kubia")
    for url in (f"http://{ip}", "http://kubia", "kubia:80", "http://kubia.default", "http://kubia.default.svc.cluster.local/"):
        r = kubia(f"curl -s --from client {url}")
        assert r.code == 0 and len(hit(r, names)) == 1, (url, r)


def test_each_connection_picks_a_random_endpoint(kubia):
    names = pods(kubia)
    seen = set()
    for _ in range(12):
        r = kubia("curl -s --from client http://kubia")
        seen.update(hit(r, names))
    assert len(seen) >= 2


def test_session_affinity_client_ip_sticks_until_timeout(kubia):
    r = kubia(["apply", "-f", "-"], input=svc("sticky", "  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}"))
    assert r.code == 0, r
    names = pods(kubia)
    seen = set()
    for _ in range(8):
        seen.update(hit(kubia("curl -s --from client http://sticky"), names))
    assert len(seen) == 1
    # used within the timeout: still the same endpoint (the last-used time moves with each use)
    kubia("clock advance 50s")
    assert set(hit(kubia("curl -s --from client http://sticky"), names)) == seen
    kubia("clock advance 50s")
    assert set(hit(kubia("curl -s --from client http://sticky"), names)) == seen
    # idle longer than timeoutSeconds: a new pick each time the affinity expires
    for _ in range(10):
        kubia("clock advance 61s")
        seen.update(hit(kubia("curl -s --from client http://sticky"), names))
    assert len(seen) >= 2


def test_port_the_service_does_not_expose_is_refused(kubia):
    ip = cluster_ip(kubia, "kubia")
    r = kubia(f"curl --from client -sS http://{ip}:8080/")
    assert r.code == 7
    assert f"curl: (7) Failed to connect to {ip} port 8080 after 0 ms: Couldn't connect to server" in r.err


def test_service_without_ready_endpoints_is_refused(kubia):
    kubia(["apply", "-f", "-"], input=svc("nobody", selector="  selector: {app: nobody}"))
    r = kubia("curl --from client -sS http://nobody")
    assert r.code == 7
    assert "curl: (7) Failed to connect to nobody port 80 after 0 ms: Couldn't connect to server" in r.err
    assert "hint: service default/nobody has no ready endpoints" in r.err
    r = kubia("curl --from client -s http://nobody")
    assert r.code == 7 and r.err == ""


def test_unresolvable_name(kubia):
    r = kubia("curl --from client -sS http://nothere")
    assert (r.code, r.out) == (6, "")
    assert r.err == "curl: (6) Could not resolve host: nothere\n"


def test_progress_meter_without_silent(kubia):
    r = kubia("curl --from client http://nothere")
    assert r.code == 6
    assert r.err.startswith("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n")
    assert r.err.endswith("curl: (6) Could not resolve host: nothere\n")


def test_write_out_http_code(kubia):
    r = kubia(["curl", "--from", "client", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://kubia"])
    assert (r.code, r.out) == (0, "200")
    r = kubia(["curl", "--from", "client", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "http://nothere"])
    assert (r.code, r.out) == (6, "000\n")


def test_verbose_exchange(kubia):
    ip = cluster_ip(kubia, "kubia")
    r = kubia("curl --from client -vs http://kubia")  # curl's -v, not minikctl's global -v=N
    assert r.code == 0
    err = r.err.replace("\r", "")
    assert f"* Host kubia:80 was resolved.\n* IPv6: (none)\n* IPv4: {ip}\n*   Trying {ip}:80...\n" in err
    assert f"* Connected to kubia ({ip}) port 80\n" in err
    assert "> GET / HTTP/1.1\n> Host: kubia\n> User-Agent: curl/8.11.1\n> Accept: */*\n> \n" in err
    assert "< HTTP/1.1 200 OK\n" in err
    assert "* Connection #0 to host kubia left intact\n" in err


def test_pod_ip_directly_and_wrong_port(kubia):
    names = pods(kubia)
    name, pod = next(iter(names.items()))
    ip = pod["status"]["podIP"]
    r = kubia(f"curl -s --from client http://{ip}:8080/")
    assert r.code == 0 and name in r.out
    r = kubia(f"curl -sS --from client http://{ip}:80/")
    assert r.code == 7 and f"Failed to connect to {ip} port 80 after 0 ms" in r.err


# ----------------------------------------------------------------- from outside
def test_cluster_ip_and_pod_ip_are_not_reachable_from_outside(kubia):
    ip = cluster_ip(kubia, "kubia")
    r = kubia(f"curl -sS http://{ip}/")
    assert r.code == 28
    assert f"curl: (28) Failed to connect to {ip} port 80 after 130255 ms: Couldn't connect to server" in r.err
    assert "is a ClusterIP of service default/kubia: it is reachable only from inside the cluster" in r.err
    r = kubia(f"curl -sS --connect-timeout 3 http://{ip}/")
    assert r.code == 28 and "curl: (28) Connection timed out after 3001 milliseconds" in r.err
    r = kubia(f"curl -sS -m 10 http://{ip}/")
    assert "curl: (28) Connection timed out after 10001 milliseconds" in r.err
    pod_ip = next(iter(pods(kubia).values()))["status"]["podIP"]
    r = kubia(f"curl -sS -m 2 http://{pod_ip}:8080/")
    assert r.code == 28 and "is a pod IP: it is reachable only from inside the cluster" in r.err


def test_cluster_dns_names_do_not_resolve_outside(kubia):
    r = kubia("curl -sS http://kubia.default.svc.cluster.local/")
    assert r.code == 6 and "Could not resolve host: kubia.default.svc.cluster.local" in r.err


def nodes(mk):
    out = json.loads(mk("get nodes -o json").out)["items"]
    return {n["metadata"]["name"]: next(a["address"] for a in n["status"]["addresses"] if a["type"] == "InternalIP")
            for n in out}


def test_node_port_answers_on_every_node(kubia):
    kubia(["apply", "-f", "-"], input=svc("kubia-nodeport", "  type: NodePort",
                                          "  - {port: 80, targetPort: 8080, nodePort: 30123}"))
    names = pods(kubia)
    for node, ip in nodes(kubia).items():
        r = kubia(f"curl -s http://{ip}:30123/")
        assert r.code == 0 and hit(r, names), (node, r)
    r = kubia("curl -sS http://172.18.0.2:30124/")
    assert r.code == 7


def test_external_traffic_policy_local_only_on_nodes_with_a_pod(kubia):
    kubia(["apply", "-f", "-"], input=svc("local", "  type: NodePort\n  externalTrafficPolicy: Local",
                                          "  - {port: 80, targetPort: 8080, nodePort: 30200}"))
    names = pods(kubia)
    with_pods = {p["spec"]["nodeName"] for p in names.values()}
    node_ips = nodes(kubia)
    checked_empty = False
    for node, ip in node_ips.items():
        r = kubia(f"curl -sS --max-time 5 http://{ip}:30200/")
        if node in with_pods:
            assert r.code == 0
            local = [n for n, p in names.items() if p["spec"]["nodeName"] == node]
            assert hit(r, local), (node, r)
        else:
            checked_empty = True
            assert r.code == 28, (node, r)
            assert "curl: (28) Connection timed out after 5001 milliseconds" in r.err
            assert f"externalTrafficPolicy Local and no ready endpoint on node {node}" in r.err
    assert checked_empty  # the control-plane node runs no kubia pod (tainted)


def test_load_balancer_ip(kubia):
    kubia(["apply", "-f", "-"], input=svc("kubia-lb", "  type: LoadBalancer"))
    kubia("clock advance 3s")  # the load balancer's provisioning (controllers/loadbalancer.py)
    lb = json.loads(kubia("get svc kubia-lb -o json").out)["status"]["loadBalancer"]["ingress"][0]["ip"]
    r = kubia(f"curl -s http://{lb}/")
    assert r.code == 0 and hit(r, pods(kubia))
    r = kubia(f"curl -sS http://{lb}:81/")
    assert r.code == 7


def test_selector_less_service_with_manual_endpoints(kubia):
    manual = svc("cyberchef-service", selector="") + """---
apiVersion: v1
kind: Endpoints
metadata: {name: cyberchef-service}
subsets:
- addresses: [{ip: 11.11.11.11}, {ip: 22.22.22.22}]
  ports: [{port: 80}]
"""
    r = kubia(["apply", "-f", "-"], input=manual.replace("targetPort: 8080", "targetPort: 80"))
    assert r.code == 0, r
    seen = set()
    for _ in range(10):
        r = kubia("curl -s --from client http://cyberchef-service")
        assert r.code == 0, r
        seen.update(re.findall(r"Hello from (\d+\.\d+\.\d+\.\d+)", r.out))
    assert seen == {"11.11.11.11", "22.22.22.22"}


def test_external_name_service(kubia):
    r = kubia(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Service
metadata: {name: someapi}
spec:
  type: ExternalName
  externalName: someapi.somecompany.com
  ports: [{port: 80}]
""")
    assert r.code == 0, r
    r = kubia("curl -s --from client http://someapi.default.svc.cluster.local/v1")
    assert r.code == 0 and '"service":"someapi"' in r.out and '"path":"/v1"' in r.out
    r = kubia("nslookup someapi")
    assert "someapi.default.svc.cluster.local\tcanonical name = someapi.somecompany.com.\n" in r.out


def test_ping_cluster_ip_never_answers_pod_ip_does(kubia, state):
    # ping runs inside the client pod (the exec shell calls network.tools.run the same way)
    from minikctl.api.cluster import Session
    from minikctl.network import tools

    ip = cluster_ip(kubia, "kubia")
    pod_ip = next(iter(pods(kubia).values()))["status"]["podIP"]
    client = json.loads(kubia("get pod client -o json").out)
    sess = Session.open(state)
    try:
        origin = {"kind": "pod", "pod": client, "hosts": {}, "image": {"userland": "gnu"}}
        code, out, err = tools.run(sess.api, ["ping", "-c", "3", ip], origin)
        assert code == 1
        assert out.startswith(f"PING {ip} ({ip}) 56(84) bytes of data.\n\n--- {ip} ping statistics ---\n")
        assert out.endswith("3 packets transmitted, 0 received, 100% packet loss, time 2120ms\n")
        assert "a service IP is virtual" in err and "never works" in err
        code, out, err = tools.run(sess.api, ["ping", "-c", "2", pod_ip], origin)
        assert code == 0 and f"64 bytes from {pod_ip}: icmp_seq=1 ttl=" in out
        assert "2 packets transmitted, 2 received, 0% packet loss" in out
        code, out, err = tools.run(sess.api, ["ping", "-c", "1", "kubia"], origin)
        assert code == 1 and out.startswith(f"PING kubia.default.svc.cluster.local ({ip}) 56(84) bytes of data.")
    finally:
        sess.close()


def test_nc_and_wget_inside_a_busybox_pod(kubia, state):
    """BusyBox's nc and wget, as the exec shell runs them (network.tools.run with the pod's origin)."""
    from minikctl.api.cluster import Session
    from minikctl.network import tools

    kubia("run bb --image=busybox --command -- sleep infinity")
    bb = json.loads(kubia("get pod bb -o json").out)
    names = pods(kubia)
    ip = cluster_ip(kubia, "kubia")
    sess = Session.open(state)
    try:
        with sess.write() as api:
            origin = {"kind": "pod", "pod": bb, "hosts": {}, "image": "busybox"}
            assert tools.run(api, ["nc", "-zv", "kubia", "80"], origin) == (0, "", f"kubia ({ip}:80) open\n")
            assert tools.run(api, ["nc", "-zv", "kubia", "81"], origin) == (
                1, "", f"nc: kubia ({ip}:81): Connection refused\n")
            code, out, _ = tools.run(api, ["nc", "kubia", "80"],
                                     {**origin, "stdin": "GET / HTTP/1.1\r\nHost: kubia\r\n\r\n"})
            assert code == 0 and out.startswith("HTTP/1.1 200 OK\r\n") and hit(_R(out), names)
            code, out, err = tools.run(api, ["wget", "-qO-", "http://kubia"], origin)
            assert code == 0 and hit(_R(out), names) and err == ""
            assert tools.run(api, ["wget", "-qO-", "http://nothere"], origin) == (1, "", "wget: bad address 'nothere'\n")
            assert tools.run(api, ["wget", "-qO-", "http://kubia:81"], origin) == (
                1, "", f"wget: can't connect to remote host ({ip}): Connection refused\n")
            # busybox nslookup does not apply the search list to dotted names
            code, out, _ = tools.run(api, ["nslookup", "kubia.default"], origin)
            assert code == 1 and "** server can't find kubia.default: NXDOMAIN" in out
    finally:
        sess.close()


class _R:
    def __init__(self, out):
        self.out = out


LOCAL_APP = """
images:
  teach/localhost-app:
    description: an app that binds 127.0.0.1 only
    from: debian
    bin: {/usr/bin: [curl]}
    process: {command: [app], daemons: [app]}
    listen:
    - port: 8080
      address: 127.0.0.1
      protocol: http
      http:
        routes: [{path: /, match: Prefix, status: 200, body: "local only\\n"}]
"""


def test_app_bound_to_localhost_is_reachable_only_from_its_own_pod(kubia, tmp_path):
    f = tmp_path / "img.yaml"
    f.write_text(LOCAL_APP)
    assert kubia(f"image add -f {f}").code == 0
    assert kubia("run local --image=teach/localhost-app --port=8080").code == 0
    ip = json.loads(kubia("get pod local -o json").out)["status"]["podIP"]
    r = kubia(f"curl -sS --from client http://{ip}:8080/")
    assert r.code == 7
    assert "the app in pod local listens on 127.0.0.1:8080 only" in r.err
    assert "make sure your app isn't only binding to localhost" in r.err
    r = kubia("curl -s --from local http://localhost:8080/")
    assert (r.code, r.out) == (0, "local only\n")


def test_health_check_node_port_of_a_local_load_balancer(kubia):
    kubia(["apply", "-f", "-"], input=svc("kubia-local-lb", "  type: LoadBalancer\n  externalTrafficPolicy: Local"))
    kubia("clock advance 3s")  # the load balancer's provisioning
    s = json.loads(kubia("get svc kubia-local-lb -o json").out)
    hc = s["spec"]["healthCheckNodePort"]
    with_pods = {p["spec"]["nodeName"] for p in pods(kubia).values()}
    for node, ip in nodes(kubia).items():
        r = kubia(f"curl -si http://{ip}:{hc}/healthz")
        n = sum(1 for p in pods(kubia).values() if p["spec"]["nodeName"] == node)
        status = "200 OK" if node in with_pods else "503 Service Unavailable"
        assert r.out.startswith(f"HTTP/1.1 {status}\r\n"), (node, r)
        assert f"X-Load-Balancing-Endpoint-Weight: {n}\r\n" in r.out
        assert r.out.endswith(f'\t"localEndpoints": {n},\n\t"serviceProxyHealthy": true\n}}')
    lb = s["status"]["loadBalancer"]["ingress"][0]["ip"]
    r = kubia(f"curl -s http://{lb}/")
    assert r.code == 0 and hit(r, pods(kubia))


def test_gnu_wget_wording_and_exit_codes(kubia, state):
    from minikctl.api.cluster import Session
    from minikctl.network import tools

    client = json.loads(kubia("get pod client -o json").out)
    sess = Session.open(state)
    try:
        with sess.write() as api:
            origin = {"kind": "pod", "pod": client, "hosts": {}, "image": {"userland": "gnu"}}
            code, out, err = tools.run(api, ["wget", "-qO-", "http://kubia"], origin)
            assert code == 0 and "You've hit kubia-" in out and err == ""
            assert tools.run(api, ["wget", "-qO-", "http://nothere"], origin) == (
                4, "", "wget: unable to resolve host address 'nothere'\n")
            assert tools.run(api, ["wget", "-q", "-O-", "http://kubia:81/"], origin)[0] == 4
            code, _, err = tools.run(api, ["wget", "-O-", "http://kubia:81/"], origin)
            assert code == 4 and "Connecting to kubia (kubia)|" in err and "failed: Connection refused.\n" in err
    finally:
        sess.close()
