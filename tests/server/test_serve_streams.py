"""`minikctl serve` (issue 14): the pods' streaming subresources driven by the real kubectl 1.32:
log (plain, follow, previous, tail, timestamps), exec and attach over WebSocket
(v5.channel.k8s.io), cp (exec tar) and port-forward. What kubectl prints is compared with what
`minikctl` prints for the same store (minikctl.apiserver.streams)."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import time

import pytest

from tests.server.serving import KUBECTL

PODS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  containers:
  - name: tick
    image: busybox
    command: [sh, -c, 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 5; done']
---
apiVersion: v1
kind: Pod
metadata: {name: chef}
spec:
  containers:
  - {name: cyberchef, image: mpepping/cyberchef}
  - {name: side, image: busybox, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers: [{name: c, image: example/never:1, imagePullPolicy: Never}]
"""


@pytest.fixture(scope="module")
def pods(srv):
    r = srv.mk(["apply", "-f", "-"], input=PODS)
    assert r.code == 0, r
    assert srv.mk("clock advance 12s").code == 0
    return srv


def _web_pods(srv) -> list[str]:
    return sorted(p["metadata"]["name"] for p in json.loads(srv.mk("get pods -l app=web -o json").out)["items"])


# ----------------------------------------------------------------------------------- log
@pytest.mark.parametrize("args", ["ticker", "ticker --tail 2", "ticker --tail=0", "ticker --timestamps",
                                  "ticker --timestamps --tail 1", "chef", "chef -c side", "chef -c cyberchef",
                                  "ticker --since=6s",
                                  "deploy/web --tail 3", "never", "chef -c side -p",
                                  "ticker --previous"])
def test_logs_equal_minikctl(pods, args):
    want = pods.mk(f"logs {args}")
    got = pods.kubectl(f"logs {args}")
    assert (got.code, got.out) == (want.code, want.out), (got, want)
    if "deploy/" in args:
        assert re.fullmatch(r"Found 2 pods, using pod/web-\w+-\w+\n", got.err)
    else:
        assert got.err == want.err, (got, want)


def test_logs_limit_bytes(pods):
    # the kubelet cuts the stream after limitBytes bytes (minikctl logs does not take the flag)
    r = pods.kubectl("logs ticker --limit-bytes=9")
    assert (r.code, r.out, r.err) == (0, "tick 0\nti", "")


def test_logs_errors_kubectl_words_itself(pods):
    # kubectl 1.32 reads the pod (and checks -c) before it asks for the log: its own words, not the CLI's
    r = pods.kubectl("logs nope")
    assert (r.code, r.out, r.err) == (1, "", 'error: error from server (NotFound): pods "nope" not found in '
                                             'namespace "default"\n')
    r = pods.kubectl("logs chef -c nope")
    assert (r.code, r.out, r.err) == (1, "", "error: container nope is not valid for pod chef\n")


def test_log_errors_as_the_apiserver_words_them(pods):
    # pkg/registry/core/pod/strategy.go ValidateContainer, pkg/apis/core/validation ValidatePodLogOptions
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/chef/log")
    assert (code, body["reason"], body["message"]) == (
        400, "BadRequest", "a container name must be specified for pod chef, choose one of: [cyberchef side]")
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/chef/log?container=nope")
    assert (code, body["message"]) == (400, "container nope is not valid for pod chef")
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/ticker/log?tailLines=-1")
    assert (code, body["reason"], body["message"]) == (
        422, "Invalid", 'PodLogOptions "ticker" is invalid: tailLines: Invalid value: -1: must be greater than or '
                        'equal to 0')
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/nope/log")
    assert (code, body["reason"], body["message"]) == (404, "NotFound", 'pods "nope" not found')
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/never/log")
    assert (code, body["message"]) == (400, 'container "c" in pod "never" is waiting to start: ErrImageNeverPull')


def _readline(proc, timeout=30.0) -> str:
    """One line of a running kubectl's stdout (fails rather than hangs)."""
    fd = proc.stdout.fileno()
    buf = b""
    deadline = time.monotonic() + timeout
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        assert left > 0, f"no line from kubectl; so far {buf!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            ch = os.read(fd, 1)
            assert ch, f"kubectl ended; so far {buf!r}"
            buf += ch
    return buf.decode()


def test_logs_follow_sees_lines_as_the_clock_moves(pods):
    before = pods.mk("logs ticker").lines
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(pods.root), "KUBECONFIG": pods.kubeconfig}
    proc = subprocess.Popen([KUBECTL, "logs", "-f", "ticker", "--tail", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        assert _readline(proc) == before[-1] + "\n"
        # a `clock advance` from another terminal: the simulated container prints on the cluster clock
        assert pods.mk("clock advance 10s").code == 0
        got = [_readline(proc), _readline(proc)]
        after = pods.mk("logs ticker").lines
        assert after[:len(before)] == before and got == [ln + "\n" for ln in after[len(before):len(before) + 2]]
        assert proc.poll() is None  # still following
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert pods.kubectl("get --raw /healthz").out == "ok"  # the server carried on


def test_logs_previous_after_a_restart(pods):
    r = pods.mk(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: probed}
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
    assert pods.mk("clock advance 10s").code == 0
    for args in ("probed -p", "probed --previous --tail 1", "probed", "probed --timestamps -p"):
        want = pods.mk(f"logs {args}")
        got = pods.kubectl(f"logs {args}")
        assert (got.code, got.out, got.err) == (0, want.out, ""), args
    assert '"GET /healthz HTTP/1.1" 404' in pods.kubectl("logs probed -p --tail 1").out
