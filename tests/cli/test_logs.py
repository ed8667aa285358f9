"""minikctl logs: the container's simulated output (start-up lines from the image catalog, one
access-log line per request served), per container instance, with kubectl's selection of a pod
for TYPE/NAME and its errors (pkg/kubelet/kubelet_pods.go validateContainerLogStatus)."""

from __future__ import annotations

import json
import re

import pytest

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  sessionAffinity: ClientIP
  ports: [{port: 80}]
  selector: {app: web}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: chef}
spec:
  containers:
  - {name: cyberchef, image: mpepping/cyberchef}
  - {name: side, image: busybox, command: [sleep, infinity]}
"""


@pytest.fixture
def app(cluster):
    r = cluster(["apply", "-f", "-"], input=APP)
    assert r.code == 0, r
    return cluster


def web_pods(mk) -> list[str]:
    return sorted(json.loads(mk("get pods -l app=web -o json").out)["items"], key=lambda p: p["metadata"]["name"])


def test_start_lines_are_the_images(app):
    pod = web_pods(app)[0]["metadata"]["name"]
    r = app(f"logs {pod}")
    assert r.code == 0
    assert r.lines[0] == "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    assert re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: nginx/1\.27\.3", r.lines[10])
    ip = json.loads(app("get pod chef -o json").out)["status"]["podIP"]
    r = app("logs chef")
    assert r.err == 'Defaulted container "cyberchef" out of: cyberchef, side\n'
    assert r.lines[:4] == ["Starting up http-server, serving ./", "Available on:", "  http://127.0.0.1:8000",
                           f"  http://{ip}:8000"]
    assert app("logs chef -c side").out == ""


def test_access_log_lines_show_where_requests_went(app):
    client_ip = json.loads(app("get pod client -o json").out)["status"]["podIP"]
    for _ in range(4):
        assert app("exec client -- curl -s http://web/").code == 0
    counts = {}
    for p in web_pods(app):
        name = p["metadata"]["name"]
        lines = [ln for ln in app(f"logs {name}").lines if '"GET / HTTP/1.1"' in ln]
        counts[name] = len(lines)
        for ln in lines:
            assert re.fullmatch(re.escape(client_ip) + r' - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
                                r'"GET / HTTP/1\.1" 200 615 "-" "curl/8\.11\.1" "-"', ln), ln
    # sessionAffinity: ClientIP sends every request of this client to the same pod
    assert sorted(counts.values()) == [0, 4]


def test_tail_timestamps_and_follow(app):
    pod = web_pods(app)[0]["metadata"]["name"]
    full = app(f"logs {pod}").lines
    assert app(f"logs {pod} --tail 2").lines == full[-2:]
    assert app(f"logs {pod} --tail=0").out == ""
    r = app(f"logs {pod} --timestamps --tail 1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000000Z " + re.escape(full[-1]) + "\n", r.out)
    r = app(f"logs -f {pod} --tail 1")
    # on a manual clock nothing more can be printed until the next command: -f returns at once
    assert (r.out, r.err) == (full[-1] + "\n", "")


def test_logs_of_a_deployment_picks_one_pod(app):
    r = app("logs deployment/web --tail 1")
    assert r.code == 0
    assert re.fullmatch(r"Found 2 pods, using pod/web-\w+-\w+\n", r.err)


def test_errors(app, cluster):
    r = app("logs nope")
    # logs.go: the builder's NotFound with the namespace (kubectl 1.32, tests/parity)
    assert (r.code, r.err) == (1, 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n')
    r = app("logs chef -c nope")
    # kubectl's own check (polymorphichelpers/logsforobject.go; tests/server/test_serve_streams.py runs the binary)
    assert (r.code, r.err) == (1, "error: container nope is not valid for pod chef\n")
    r = app("logs chef -c side -p")
    assert (r.code, r.err) == (1, 'Error from server (BadRequest): previous terminated container "side" in pod '
                                  '"chef" not found\n')
    r = app("logs")
    assert r.code == 1 and "POD or TYPE/NAME is a required argument" in r.err
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers: [{name: c, image: example/never:1, imagePullPolicy: Never}]
""")
    assert r.code == 0
    r = cluster("logs never")
    assert (r.code, r.err) == (1, 'Error from server (BadRequest): container "c" in pod "never" is waiting to start: '
                                  "ErrImageNeverPull\n")


def test_previous_instance_after_a_restart(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: nginx
    image: nginx
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      periodSeconds: 10
      failureThreshold: 1
""")
    assert r.code == 0
    assert cluster("clock advance 10s").code == 0
    assert json.loads(cluster("get pod web -o json").out)["status"]["containerStatuses"][0]["restartCount"] == 1
    prev = cluster("logs web -p").lines
    assert prev[-1].endswith('"GET /healthz HTTP/1.1" 404 153 "-" "kube-probe/1.32" "-"')
    cur = cluster("logs web").lines
    assert not any("/healthz" in ln for ln in cur)
    assert cur[0].startswith("/docker-entrypoint.sh:")


def test_logs_by_selector(app):
    r = app("logs -l app=web --prefix")
    assert r.code == 0
    pods = [p["metadata"]["name"] for p in web_pods(app)]
    assert len(r.lines) == 20
    assert {ln.split(" ", 1)[0] for ln in r.lines} == {f"[pod/{p}/nginx]" for p in pods}
    r = app("logs -l app=nothing")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")
