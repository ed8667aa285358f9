"""The seed's troubleshooting list as hints: describe (on stderr, stdout stays kubectl's) and curl."""

from __future__ import annotations

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: luksa/kubia
        ports:
        - containerPort: 8080
          name: http
"""


def test_describe_hints_selector_matching_no_pod(cluster):
    assert cluster("create service clusterip typo --tcp=80:8080").code == 0
    r = cluster("describe svc typo")
    assert r.code == 0
    assert r.out.startswith("Name:                     typo\n")
    assert "hint" not in r.out
    assert 'hint: service "typo" selects no pods: no pod in namespace "default" has the labels app=typo' in r.err
    c = cluster("run client --image=curlimages/curl --command -- sleep infinity")
    assert c.code == 0, c
    r = cluster("exec client -- curl -sS http://typo")
    assert r.code == 7
    assert 'selects no pods' in r.err


def test_describe_hints_target_port_and_readiness(cluster):
    assert cluster("apply -f -", input=DEPLOY).code == 0
    assert cluster("expose deployment web --port=80 --target-port=9999 --name=wrongport").code == 0
    r = cluster("describe svc wrongport")
    assert 'hint: service "wrongport" port 80 targets port 9999, but the selected pods declare other containerPorts' in r.err
    assert cluster("expose deployment web --port=80 --target-port=metrics --name=wrongname").code == 0
    r = cluster("describe svc wrongname")
    assert 'targets the named port "metrics", which no selected pod declares' in r.err
    assert cluster("expose deployment web --port=80 --target-port=http --name=good").code == 0
    r = cluster("describe svc good")
    assert r.err == ""
    unready = DEPLOY.replace("name: web\n", "name: slow\n", 1).replace("app: web", "app: slow").replace(
        "          name: http\n", "          name: http\n        readinessProbe:\n          exec:\n            command: [ls, /var/ready]\n")
    assert cluster("apply -f -", input=unready).code == 0
    assert cluster("expose deployment slow --port=80 --target-port=8080").code == 0
    r = cluster("describe svc slow")
    assert 'selects 1 pod(s) but none is ready' in r.err
