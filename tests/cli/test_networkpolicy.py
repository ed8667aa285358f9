"""NetworkPolicy (networking.k8s.io/v1) through the CLI: the apiserver's defaulting and validation
(pkg/apis/networking/v1/defaults.go, pkg/apis/networking/validation/validation.go), kubectl 1.32's
`get netpol` and `describe networkpolicy`, and enforcement by the simulated data plane
(minikctl/network/policy.py) for curl, wget, nslookup and NodePort arrivals: a dropped
connection times out (curl 28), it is never refused."""

from __future__ import annotations

import json

import pytest

from helpers import store_snapshot

SETUP = """
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {team: a}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 1
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers:
      - {name: kubia, image: luksa/kubia, ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: kubia}
spec:
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {role: client}}
spec:
  containers: [{name: curl, image: curlimages/curl, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: other}
spec:
  containers: [{name: curl, image: curlimages/curl, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: bb, labels: {role: client}}
spec:
  containers: [{name: bb, image: busybox, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: a-client, namespace: team-a, labels: {role: client}}
spec:
  containers: [{name: curl, image: curlimages/curl, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: a-other, namespace: team-a}
spec:
  containers: [{name: curl, image: curlimages/curl, command: [sleep, infinity]}]
"""

WEB_FQDN = "http://web.default.svc.cluster.local"


@pytest.fixture
def net(cluster):
    r = cluster(["apply", "-f", "-"], input=SETUP)
    assert r.code == 0, r
    assert cluster("clock advance 1m").code == 0
    return cluster


def policy(mk, text: str):
    r = mk(["apply", "-f", "-"], input=text)
    assert r.code == 0, r
    return r


def curl(mk, frm: str, url: str = "http://web", ns: str = "default", extra: str = "-sS --connect-timeout 2"):
    return mk(["exec", "-n", ns, frm, "--", "sh", "-c", f"curl {extra} -o /dev/null -w '%{{http_code}}' {url}"])


def ok(r) -> bool:
    return r.code == 0 and r.out == "200"


def dropped(r) -> bool:
    return r.code == 28 and "curl: (28) Connection timed out after 2001 milliseconds" in r.err


DENY_INGRESS = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress}
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""


def test_without_policies_everything_flows(net):
    assert ok(curl(net, "client")) and ok(curl(net, "other")) and ok(curl(net, "a-other", WEB_FQDN, "team-a"))


def test_default_deny_ingress_drops_and_curl_times_out(net):
    policy(net, DENY_INGRESS)
    r = curl(net, "client")
    assert dropped(r), r
    # not refused: curl waits for its limit (simulated: the command returns at once)
    assert "Couldn't connect" not in r.err and "refused" not in r.err
    # no limit: the kernel's SYN retries give up (curlimages/curl is curl 8.11.1)
    r = net("exec client -- curl -sS http://web")
    assert r.code == 28
    assert "curl: (28) Failed to connect to web port 80 after 130255 ms: Couldn't connect to server\n" in r.err
    assert "hint: NetworkPolicy default/default-deny-ingress isolates pod default/web-" in r.err
    # wget (BusyBox) waits too
    r = net("exec bb -- wget -q -O- -T 2 http://web")
    assert (r.code, r.err.splitlines()[0]) == (1, "wget: download timed out"), r
    # every pod of the namespace is isolated, whoever the client
    assert dropped(curl(net, "a-client", "http://kubia.default", "team-a"))
    # the policy is namespaced: one in team-a isolates only team-a's pods
    policy(net, DENY_INGRESS.replace("default-deny-ingress}", "default-deny-ingress, namespace: team-a}"))
    assert net("delete netpol default-deny-ingress").code == 0
    assert ok(curl(net, "client"))
    assert ok(curl(net, "a-client", WEB_FQDN, "team-a"))


def test_allow_from_pod_selector(net):
    policy(net, DENY_INGRESS)
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-clients}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: client}}
""")
    assert ok(curl(net, "client"))
    assert dropped(curl(net, "other"))
    # podSelector alone means pods of the policy's own namespace
    assert dropped(curl(net, "a-client", WEB_FQDN, "team-a"))
    # kubia is isolated by the default deny only
    assert dropped(curl(net, "client", "http://kubia"))
    # relabel: the verdict follows the labels
    assert net("label pod other role=client").code == 0
    assert ok(curl(net, "other"))


def test_namespace_selector_and_combined(net):
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-team-a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: a}}
""")
    assert ok(curl(net, "a-client", WEB_FQDN, "team-a"))
    assert ok(curl(net, "a-other", WEB_FQDN, "team-a"))
    assert dropped(curl(net, "client"))
    # namespaceSelector AND podSelector in one peer: pods with role=client in team=a namespaces
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-team-a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchLabels: {role: client}}
""")
    assert ok(curl(net, "a-client", WEB_FQDN, "team-a"))
    assert dropped(curl(net, "a-other", WEB_FQDN, "team-a"))
    assert dropped(curl(net, "client"))
    # the kubernetes.io/metadata.name label every namespace has
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-default}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: default}}
""")
    assert ok(curl(net, "client")) and ok(curl(net, "other"))
    assert dropped(curl(net, "a-other", WEB_FQDN, "team-a"))


DENY_EGRESS = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress}
spec:
  podSelector: {matchLabels: {role: client}}
  policyTypes: [Egress]
"""

ALLOW_DNS = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
"""


def test_egress_deny_breaks_dns_then_udp_53_to_kube_system_fixes_it(net):
    policy(net, DENY_EGRESS)
    r = net("exec bb -- nslookup web")
    assert r.code == 1
    assert r.out == ";; connection timed out; no servers could be reached\n\n"
    r = net("exec client -- curl -sS http://web")
    assert (r.code, r.err) == (6, "curl: (6) Could not resolve host: web\ncommand terminated with exit code 6\n")
    r = net("exec client -- curl -sS -m 3 http://web")
    assert (r.code, r.err) == (28, "curl: (28) Resolving timed out after 3001 milliseconds\n"
                                   "command terminated with exit code 28\n")
    # an IP needs no DNS, but egress is still denied
    ip = json.loads(net("get svc web -o json").out)["spec"]["clusterIP"]
    assert dropped(curl(net, "client", f"http://{ip}"))
    # other pods are not selected
    assert ok(curl(net, "other"))
    policy(net, ALLOW_DNS)
    r = net("exec bb -- nslookup web.default.svc.cluster.local")
    assert r.code == 0 and "Name:\tweb.default.svc.cluster.local" in r.out, r
    # names resolve now; the connection to web itself is still denied egress
    r = curl(net, "client")
    assert dropped(r) and "isolate pod default/client for egress" in r.err
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: clients-to-web}
spec:
  podSelector: {matchLabels: {role: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
""")
    assert ok(curl(net, "client"))
    assert dropped(curl(net, "client", "http://kubia"))


def test_ip_block_with_except_for_external_hosts(net):
    hosts = net("external-hosts list").out
    assert "93.184.215.14" in hosts and "142.250.185.78" in hosts
    policy(net, ALLOW_DNS)
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: internet-but-example}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 0.0.0.0/0, except: [93.184.215.0/24]}
    ports: [{port: 80}]
""")
    assert curl(net, "client", "http://google.com").code == 0
    r = curl(net, "client", "http://example.com")
    assert dropped(r), r
    assert curl(net, "client", "http://142.250.185.78").code == 0
    # https (443) is not in the rule
    assert curl(net, "client", "https://google.com", extra="-sSk --connect-timeout 2").code == 28


def test_named_ports_and_port_ranges(net):
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-http}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: http}]
""")
    assert ok(curl(net, "client"))  # the container port named http is 80
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-http}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: https}]
""")
    assert dropped(curl(net, "client"))  # no container port named https
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: kubia-range}
spec:
  podSelector: {matchLabels: {app: kubia}}
  ingress:
  - ports: [{port: 8000, endPort: 8080}]
""")
    assert ok(curl(net, "client", "http://kubia"))  # the endpoint's port 8080 is in 8000-8080
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: kubia-range}
spec:
  podSelector: {matchLabels: {app: kubia}}
  ingress:
  - ports: [{port: 8000, endPort: 8079}, {port: 8080, protocol: UDP}]
""")
    assert dropped(curl(net, "client", "http://kubia"))


def test_nodeport_arrival_into_isolated_pod(net):
    node_ip = json.loads(net("get nodes -o json").out)["items"][0]["status"]["addresses"][0]["address"]
    r = net(f"curl -sS -o /dev/null -w %{{http_code}} http://{node_ip}:30080/")
    assert (r.code, r.out) == (0, "200"), r
    policy(net, DENY_INGRESS)
    r = net(f"curl -sS --connect-timeout 2 http://{node_ip}:30080/")
    assert r.code == 28 and "curl: (28) Connection timed out after 2001 milliseconds" in r.err, r
    # externalTrafficPolicy Cluster: the pod sees the node's address (SNAT); allow the nodes' network
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-nodes}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{ipBlock: {cidr: 172.18.0.0/16}}]
""")
    r = net(f"curl -sS -o /dev/null -w %{{http_code}} http://{node_ip}:30080/")
    assert (r.code, r.out) == (0, "200"), r
    # ... which are not pods: in-cluster clients are still dropped
    assert dropped(curl(net, "client"))


def test_a_pod_never_blocks_itself(net):
    policy(net, DENY_INGRESS)
    policy(net, DENY_EGRESS.replace("{matchLabels: {role: client}}", "{}"))
    pod = json.loads(net("get pods -l app=web -o json").out)["items"][0]
    r = net(["exec", pod["metadata"]["name"], "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
             f"http://{pod['status']['podIP']}/"])
    assert (r.code, r.out) == (0, "200"), r


GET_DESCRIBE = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: test-network-policy, labels: {tier: db}}
spec:
  podSelector: {matchLabels: {role: db}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}
    - namespaceSelector: {matchLabels: {project: myproject}}
    - podSelector: {matchLabels: {role: frontend}}
    ports: [{protocol: TCP, port: 6379}]
  - {}
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/24}}]
    ports: [{protocol: TCP, port: 5978}, {port: 32000, endPort: 32768}]
"""


def test_get_and_describe(cluster):
    policy(cluster, DENY_INGRESS)
    policy(cluster, GET_DESCRIBE)
    r = cluster("get netpol")
    assert r.out == ("NAME                   POD-SELECTOR   AGE\n"
                     "default-deny-ingress   <none>         0s\n"
                     "test-network-policy    role=db        0s\n")
    assert cluster("get networkpolicies.networking.k8s.io default-deny-ingress -o name").out == \
        "networkpolicy.networking.k8s.io/default-deny-ingress\n"
    obj = json.loads(cluster("get netpol default-deny-ingress -o json").out)
    assert obj["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    assert obj["metadata"]["generation"] == 1
    obj = json.loads(cluster("get netpol test-network-policy -o json").out)
    assert obj["spec"]["egress"][0]["ports"] == [{"protocol": "TCP", "port": 5978},
                                                 {"protocol": "TCP", "port": 32000, "endPort": 32768}]
    created = obj["metadata"]["creationTimestamp"].replace("T", " ").replace("Z", "")
    r = cluster("describe netpol test-network-policy", env={"TZ": "UTC"})
    assert r.out == f"""Name:         test-network-policy
Namespace:    default
Created on:   {created} +0000 UTC
Labels:       tier=db
Annotations:  <none>
Spec:
  PodSelector:     role=db
  Allowing ingress traffic:
    To Port: 6379/TCP
    From:
      IPBlock:
        CIDR: 172.17.0.0/16
        Except: 172.17.1.0/24
    From:
      NamespaceSelector: project=myproject
    From:
      PodSelector: role=frontend
    ----------
    To Port: <any> (traffic allowed to all ports)
    From: <any> (traffic not restricted by source)
  Allowing egress traffic:
    To Port: 5978/TCP
    To Port Range: 32000-32768/TCP
    To:
      IPBlock:
        CIDR: 10.0.0.0/24
        Except: 
  Policy Types: Ingress, Egress
"""
    r = cluster("describe networkpolicy default-deny-ingress", env={"TZ": "UTC"})
    assert r.out.endswith("""Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    <none> (Selected pods are isolated for ingress connectivity)
  Not affecting egress traffic
  Policy Types: Ingress
""")
    assert "networkpolicies" in cluster("api-resources").out


BAD = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad}
spec:
  podSelector: {}
  ingress:
  - ports:
    - {port: 80, endPort: 70}
    - {endPort: 90}
    - {port: http, endPort: 90}
    from:
    - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24, 10.0.0.0/8, bogus]}
    - ipBlock: {cidr: 10.0.0.300/8}
    - {}
    - {ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}
  policyTypes: [Ingress, Sideways]
"""


def test_validation_refusals_leave_the_store_unchanged(cluster, state):
    before = store_snapshot(state)
    r = cluster(["apply", "-f", "-"], input=BAD)
    assert r.code == 1 and r.out == ""
    assert r.err == """The NetworkPolicy "bad" is invalid: 
* spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`
* spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is not specified
* spec.ingress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric
* spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`
* spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`
* spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
* spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "10.0.0.300/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
* spec.ingress[0].from[2]: Required value: must specify a peer
* spec.ingress[0].from[3]: Forbidden: may not specify both ipBlock and another peer
* spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"
"""
    r = cluster(["apply", "-f", "-"], input=BAD.replace("ports:\n    - {port: 80, endPort: 70}", "ports:\n    - {port: 80, endPort: 70000}")
                .replace("    - {endPort: 90}\n    - {port: http, endPort: 90}\n", "").split("    from:")[0])
    assert r.code == 1
    assert r.err == ('The NetworkPolicy "bad" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 70000: '
                     'must be between 1 and 65535, inclusive\n')
    r = cluster(["apply", "-f", "-"], input=BAD.replace("{cidr: 10.0.0.0/16,", "{cidr: 10.0.0.0/16, bogus: 1,")
                .split("    - ipBlock: {cidr: 10.0.0.300")[0])
    assert r.code == 1 and 'unknown field "spec.ingress[0].from[0].ipBlock.bogus"' in r.err, r
    assert store_snapshot(state) == before
    assert cluster("get netpol").err == "No resources found in default namespace.\n"


def test_every_namespace_has_the_metadata_name_label(cluster):
    assert cluster("create ns blue").code == 0
    labels = json.loads(cluster("get ns blue -o json").out)["metadata"]["labels"]
    assert labels == {"kubernetes.io/metadata.name": "blue"}
    cluster("label ns blue kubernetes.io/metadata.name-")
    cluster("label ns blue kubernetes.io/metadata.name=red --overwrite")
    labels = json.loads(cluster("get ns blue -o json").out)["metadata"]["labels"]
    assert labels == {"kubernetes.io/metadata.name": "blue"}
    for ns in json.loads(cluster("get ns -o json").out)["items"]:
        assert ns["metadata"]["labels"]["kubernetes.io/metadata.name"] == ns["metadata"]["name"]


def test_load_balancer_arrival_and_local_traffic_policy(net):
    assert net("expose deployment web --name web-lb --type=LoadBalancer --port=80").code == 0
    assert net("clock advance 3s").code == 0  # the load balancer's provisioning
    lb = json.loads(net("get svc web-lb -o json").out)["status"]["loadBalancer"]["ingress"][0]["ip"]
    r = net(f"curl -sS -o /dev/null -w %{{http_code}} http://{lb}/")
    assert (r.code, r.out) == (0, "200"), r
    policy(net, DENY_INGRESS)
    r = net(f"curl -sS --connect-timeout 2 http://{lb}/")
    assert r.code == 28 and "curl: (28) Connection timed out after 2001 milliseconds" in r.err, r
    # externalTrafficPolicy Local keeps the client's address (the user's machine, 172.18.0.1)
    assert net(["patch", "svc", "web-lb", "-p", '{"spec":{"externalTrafficPolicy":"Local"}}']).code == 0
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-my-machine}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{ipBlock: {cidr: 172.18.0.1/32}}]
""")
    r = net(f"curl -sS -o /dev/null -w %{{http_code}} http://{lb}/")
    assert (r.code, r.out) == (0, "200"), r


def test_ingress_controller_to_an_isolated_backend(net):
    r = net(["apply", "-f", "-"], input="""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules:
  - host: web.example
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
""")
    assert r.code == 0, r
    net("clock advance 10s")
    node_ip = json.loads(net("get nodes -o json").out)["items"][0]["status"]["addresses"][0]["address"]
    url = f"--resolve web.example:80:{node_ip} http://web.example/"
    r = net(f"curl -s -o /dev/null -w %{{http_code}} {url}")
    assert (r.code, r.out) == (0, "200"), r
    policy(net, DENY_INGRESS)
    # nginx's upstream connection is dropped: it answers 504 after its proxy timeout
    r = net(f"curl -s -o /dev/null -w %{{http_code}} {url}")
    assert (r.code, r.out) == (0, "504"), r
    policy(net, """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-ingress-nginx}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
""")
    r = net(f"curl -s -o /dev/null -w %{{http_code}} {url}")
    assert (r.code, r.out) == (0, "200"), r
    # the controller's own egress
    policy(net, DENY_EGRESS.replace("{matchLabels: {role: client}}", "{}").replace(
        "deny-egress}", "deny-egress, namespace: ingress-nginx}"))
    r = net(f"curl -s -o /dev/null -w %{{http_code}} {url}")
    assert (r.code, r.out) == (0, "504"), r


def test_dns_timeouts_as_each_resolver_prints_them(net):
    """bind before 9.18 (tutum/dnsutils: 9.9.5): one line; bind 9.18 (netshoot) reports each of its
    3 tries (bin/dig/dighost.c "communications error to %s: %s"); dig exits 9 (no reply)."""
    net("run dnsu --image=tutum/dnsutils -- sleep infinity")
    net("run shoot --image=nicolaka/netshoot -- sleep infinity")
    net("clock advance 30s")
    policy(net, DENY_EGRESS.replace("{matchLabels: {role: client}}", "{}"))
    r = net("exec dnsu -- nslookup web")
    assert (r.code, r.out) == (1, ";; connection timed out; no servers could be reached\n\n")
    r = net("exec dnsu -- dig web")
    assert r.code == 9 and r.out.endswith(";; global options: +cmd\n;; connection timed out; no servers could be reached\n")
    tries = ";; communications error to 10.96.0.10#53: timed out\n" * 3
    r = net("exec shoot -- nslookup web")
    assert (r.code, r.out) == (1, tries + ";; no servers could be reached\n")
    r = net("exec shoot -- dig web")
    assert (r.code, r.out) == (9, tries + "\n; <<>> DiG 9.18.30 <<>> web\n;; global options: +cmd\n;; no servers could be reached\n")
    # an explicit server outside the cluster is an egress destination like any other
    r = net("exec shoot -- nslookup example.com 8.8.8.8")
    assert r.code == 1 and "communications error to 8.8.8.8#53: timed out" in r.out


def test_egress_deny_turns_a_refusal_into_a_timeout(net):
    # google.com's simulated host answers 80 and 443 only: port 8080 is refused (7) ...
    r = curl(net, "client", "http://142.250.185.78:8080")
    assert r.code == 7, r
    policy(net, DENY_EGRESS)
    # ... until the client's egress is denied: the SYN never leaves, curl waits (28)
    assert dropped(curl(net, "client", "http://142.250.185.78:8080"))
