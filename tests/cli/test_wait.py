"""wait --for=condition|delete|create|jsonpath through the CLI on a manual clock (issue 12).

Messages from staging/src/k8s.io/kubectl/pkg/cmd/wait (wait.go, condition.go, delete.go,
json.go): `pod/x condition met`, `error: timed out waiting for the condition on pods/x`,
`error: no matching resources found`; the condition errors are kubectl 1.32's own (offline).
"""

from __future__ import annotations

from datetime import datetime

from tests.helpers import store_snapshot

SLOW = """apiVersion: v1
kind: Pod
metadata:
  name: slow
  labels: {app: slow}
spec:
  containers:
  - name: c
    image: nginx:1.25
    readinessProbe:
      httpGet: {path: /, port: 80}
      initialDelaySeconds: 10
      periodSeconds: 5
"""


def _now(mk) -> int:
    return int(datetime.fromisoformat(mk("clock").out.split()[0].replace("Z", "+00:00")).timestamp())


def test_condition_waits_on_the_manual_clock(cluster):
    mk = cluster
    mk("apply -f -", input=SLOW)
    t0 = _now(mk)
    r = mk("wait --for=condition=Ready pod/slow")
    assert (r.code, r.out, r.err) == (0, "pod/slow condition met\n", "")
    assert _now(mk) - t0 == 10  # the first readiness probe, one second at a time
    r = mk("wait --for=condition=ready=TRUE pods slow")  # compared after case folding
    assert r.out == "pod/slow condition met\n"
    assert _now(mk) - t0 == 10  # already met: the clock stays


def test_timeout_and_zero_timeout(cluster, state):
    mk = cluster
    mk("apply -f -", input=SLOW)
    t0 = _now(mk)
    r = mk("wait --for=condition=Ready pod/slow --timeout=3s")
    assert (r.code, r.out, r.err) == (1, "", "error: timed out waiting for the condition on pods/slow\n")
    assert _now(mk) - t0 == 3
    r = mk("wait --for=condition=Ready pod/slow --timeout=0")
    assert (r.code, r.err) == (1, "error: condition not met for pods/slow\n")
    assert _now(mk) - t0 == 3


def test_jsonpath_and_selector(cluster):
    mk = cluster
    mk("create deployment web --image=nginx:1.25 --replicas=2")
    r = mk("wait --for=jsonpath={.status.phase}=Running pods -l app=web")
    assert r.code == 0 and len(r.lines) == 2 and all(line.endswith(" condition met") for line in r.lines)
    assert mk("wait --for=jsonpath='{.status.readyReplicas}'=2 deploy/web").out == "deployment.apps/web condition met\n"
    assert mk("wait --for=jsonpath=.status.availableReplicas deploy/web").out == "deployment.apps/web condition met\n"
    assert mk("wait --for=condition=Available deployment --all").out == "deployment.apps/web condition met\n"
    assert mk("wait --for=jsonpath={.spec} deploy/web").out == "deployment.apps/web condition met\n"  # any value
    r = mk("wait --for=jsonpath={.spec}=x deploy/web --timeout=1s")
    assert (r.code, r.err) == (1, "error: jsonpath leads to a nested object or list which is not supported\n")
    r = mk("wait --for=jsonpath={.status.phase}=Running pods --all --timeout=1s")
    assert r.code == 0 and len(r.lines) == 2


def test_delete_and_create(cluster):
    mk = cluster
    mk("run once --image=busybox --restart=Never -- sh -c 'sleep 3'")
    r = mk("wait --for=jsonpath={.status.phase}=Succeeded pod/once --timeout=10s")
    assert r.out == "pod/once condition met\n"
    mk("run sleeper --image=busybox -- sleep 3600")  # PID 1 without a SIGTERM handler: killed after 30s
    assert mk("delete pod sleeper --wait=false").out == 'pod "sleeper" deleted\n'
    t0 = _now(mk)
    r = mk("wait --for=delete pod/sleeper --timeout=60s")
    assert (r.code, r.out) == (0, "pod/sleeper condition met\n")
    assert _now(mk) - t0 == 30  # the grace period, on the cluster clock
    assert mk("wait --for=delete pod/sleeper").out == ""  # not found: nothing to wait for (IgnoreErrors(IsNotFound))
    r = mk("wait --for=create cm/later --timeout=2s")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition\n")
    mk("create configmap later")
    assert mk("wait --for=create cm/later").out == "configmap/later condition met\n"


def test_refusals_change_nothing(cluster, state):
    mk = cluster
    mk("create deployment web --image=nginx:1.25")
    before = store_snapshot(state)
    cases = {
        "wait pod/x --for=foo": 'error: unrecognized condition: "foo"\n',
        "wait pod/x": 'error: unrecognized condition: ""\n',
        "wait pod/x --for=jsonpath=": "error: jsonpath expression cannot be empty\n",
        "wait pod/x --for=jsonpath={.a}=1=2": ("error: jsonpath wait format must be "
                                              "--for=jsonpath='{.status.readyReplicas}'=3 or "
                                              "--for=jsonpath='{.status.readyReplicas}'\n"),
        "wait pod/x --for=jsonpath={.a}=": ("error: jsonpath wait has to have a value after equal sign, like "
                                           "--for=jsonpath='{.status.readyReplicas}'=3\n"),
        "wait pod/x --for=jsonpath={.a": ("error: unexpected path string, expected a 'name1.name2' or "
                                         "'.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n"),
        "wait --for=delete": ("error: You must provide one or more resources by argument or filename.\n"
                              "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                              "   '<resource> <name>'\n   '<resource>'\n"),
        "wait --for=condition=Ready pod/nope": 'Error from server (NotFound): pods "nope" not found\n',
        "wait --for=condition=Ready pods -l app=none": "error: no matching resources found\n",
    }
    for cmd, err in cases.items():
        r = mk(cmd)
        assert (r.code, r.out, r.err) == (1, "", err), cmd
    assert store_snapshot(state) == before


def test_help_says_it_advances_the_clock(cluster):
    r = cluster("wait --help")
    assert "on a manual clock it advances the clock" in r.out
