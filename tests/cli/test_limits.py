"""Replica counts past what Kubernetes or the emulator takes, and large deployments.

- Flags: `create deployment --replicas` is pflag's Int32Var, `scale --replicas` its IntVar
  (int64): a value out of range is refused by strconv.ParseInt ("value out of range").
- The API server decodes spec.replicas into an int32: a manifest or patch past it gets the
  decoder's error; `scale` past int32 sends a merge patch to the Scale subresource, whose
  decoded form cannot hold it (kubectl pkg/scale/scale.go ScaleSimple; apiserver
  handlers/patch.go), or, with a precondition, an Update with int32(N).
- The emulator's capacity (README, "Capacity"): at most 50,000 pods per cluster, refused
  before anything is written (Forbidden, as an admission plugin refuses).
- Scheduling many pods: the ones that fit run, the others wait with kube-scheduler's
  message, one FailedScheduling event each; waiting pods get the room pods leave.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers import store_snapshot

INT32_MAX = 2**31 - 1

DEPLOYMENT = """apiVersion: apps/v1
kind: {kind}
metadata: {{name: big}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: big}}}}
  template:
    metadata: {{labels: {{app: big}}}}
    spec: {{containers: [{{name: c, image: nginx}}]}}
"""

RC = """apiVersion: v1
kind: ReplicationController
metadata: {{name: big}}
spec:
  replicas: {replicas}
  selector: {{app: big}}
  template:
    metadata: {{labels: {{app: big}}}}
    spec: {{containers: [{{name: c, image: nginx}}]}}
"""


def manifest(kind: str, replicas) -> str:
    return RC.format(replicas=replicas) if kind == "ReplicationController" else \
        DEPLOYMENT.format(kind=kind, replicas=replicas)


def refused(mk, state, cmd, input=None, lines=1):
    before = store_snapshot(state)
    r = mk(cmd, input=input)
    assert r.code == 1, r
    assert r.out == ""
    assert r.err.count("\n") == lines, r.err
    assert store_snapshot(state) == before
    return r.err.rstrip("\n")


# ------------------------------------------------------------------ flags
@pytest.mark.parametrize("cmd", ["create deployment big --image=nginx --replicas=2147483648",
                                 "create deployment big --image=nginx -r=2147483648",
                                 "run big --image=nginx --replicas=2147483648"])
def test_int32_replicas_flag_refuses_values_past_int32(cluster, state, cmd):
    # kubectl 1.32: error: invalid argument "2147483648" for "-r, --replicas" flag: strconv.ParseInt: ...
    # See 'kubectl create deployment --help' for usage.
    verb = " ".join(cmd.split()[:2]) if cmd.startswith("create") else "run"
    assert refused(cluster, state, cmd, lines=2) == (
        'error: invalid argument "2147483648" for "-r, --replicas" flag: '
        f'strconv.ParseInt: parsing "2147483648": value out of range\nSee \'minikctl {verb} --help\' for usage.')


def test_scale_flag_is_an_int64(cluster, state):
    assert cluster("create deployment x --image=nginx").code == 0
    for v in ("9223372036854775808", "99999999999999999999", "-9223372036854775809", "1" * 5000):
        assert refused(cluster, state, f"scale deployment x --replicas={v}", lines=2) == (
            f'error: invalid argument "{v}" for "--replicas" flag: strconv.ParseInt: parsing "{v}": value out of range'
            "\nSee 'minikctl scale --help' for usage.")
    assert refused(cluster, state, "scale deployment x --replicas=08", lines=2) == (
        'error: invalid argument "08" for "--replicas" flag: strconv.ParseInt: parsing "08": invalid syntax'
        "\nSee 'minikctl scale --help' for usage.")
    assert cluster("scale deployment x --replicas=0x2").code == 0  # ParseInt(s, 0, 64): base prefixes
    assert json.loads(cluster("get deployment x -o json").out)["spec"]["replicas"] == 2


@pytest.mark.parametrize("kind,resource", [("deployment", "Deployment"), ("rs", "ReplicaSet"),
                                           ("rc", "ReplicationController")])
def test_scale_past_int32_is_the_scale_subresource_decode_error(cluster, state, kind, resource):
    text = manifest(resource, 1)
    assert cluster("apply -f -", input=text).code == 0
    obj = json.loads(cluster(f"get {kind} big -o json").out)
    meta = obj["metadata"]
    scale = {"apiVersion": "autoscaling/v1", "kind": "Scale",
             "metadata": {"name": "big", "namespace": "default", "uid": meta["uid"],
                          "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"]},
             "spec": {"replicas": 2147483648}, "status": {"replicas": 1, "selector": "app=big"}}
    quoted = json.dumps(json.dumps(scale, separators=(",", ":")))
    assert refused(cluster, state, f"scale {kind} big --replicas=2147483648") == (
        f"The request is invalid: patch: Invalid value: {quoted}: json: cannot unmarshal number 2147483648 "
        "into Go struct field ScaleSpec.spec.replicas of type int32")


def test_scale_with_a_precondition_sends_int32_of_the_value(cluster, state):
    """ScaleSimple with preconditions: scale.Spec.Replicas = int32(newSize), then Update."""
    assert cluster("create deployment x --image=nginx").code == 0
    assert refused(cluster, state, "scale deployment x --current-replicas=1 --replicas=2147483648") == (
        'The Scale "x" is invalid: spec.replicas: Invalid value: -2147483648: must be greater than or equal to 0')
    r = cluster("scale deployment x --current-replicas=1 --replicas=4294967298")
    assert r.code == 0, r
    assert json.loads(cluster("get deployment x -o json").out)["spec"]["replicas"] == 2


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "ReplicationController"])
def test_manifest_replicas_past_int32_is_the_decoders_error(cluster, state, kind):
    err = refused(cluster, state, "apply -f -", input=manifest(kind, 2147483648))
    assert err == (f'Error from server (BadRequest): error when creating "STDIN": {kind} in version "v1" cannot be '
                   f"handled as a {kind}: json: cannot unmarshal number 2147483648 into Go struct field "
                   f"{kind}Spec.spec.replicas of type int32")  # kubectl's line (no hint: no file location)


@pytest.mark.parametrize("patch_type", ["strategic", "merge", "json"])
def test_patch_replicas_past_int32_is_refused(cluster, state, patch_type):
    assert cluster("create deployment x --image=nginx").code == 0
    patch = ('[{"op":"replace","path":"/spec/replicas","value":2147483648}]' if patch_type == "json"
             else '{"spec":{"replicas":2147483648}}')
    err = refused(cluster, state, ["patch", "deployment", "x", f"--type={patch_type}", "-p", patch])
    assert err.startswith("The request is invalid: patch: Invalid value: ")
    assert err.endswith("json: cannot unmarshal number 2147483648 into Go struct field "
                        "DeploymentSpec.spec.replicas of type int32")


def test_int32_max_reaching_validation_any_other_way_is_refused():
    from minikctl.api.validation import _replicas_errors

    assert [str(e) for e in _replicas_errors({"replicas": INT32_MAX + 1})] == [
        "spec.replicas: Invalid value: 2147483648: must be less than or equal to 2147483647"]
    assert _replicas_errors({"replicas": INT32_MAX}) == []


# --------------------------------------------------------------- capacity
@pytest.mark.parametrize("kind,resource", [("Deployment", "deployments.apps"), ("ReplicaSet", "replicasets.apps"),
                                           ("ReplicationController", "replicationcontrollers")])
def test_apply_past_the_emulators_capacity_is_refused_before_any_write(cluster, state, kind, resource):
    err = refused(cluster, state, "apply -f -", input=manifest(kind, 100000000))
    assert err == (f'Error from server (Forbidden): error when creating "STDIN": {resource} "big" is forbidden: '
                   "spec.replicas: 100000000 is more than this emulator runs: at most 50000 pods per cluster")


def test_create_scale_and_patch_past_the_capacity_are_refused(cluster, state):
    msg = ('Error from server (Forbidden): deployments.apps "{}" is forbidden: spec.replicas: {} is more than '
           "this emulator runs: at most 50000 pods per cluster")
    # create_deployment.go wraps the server's error: fmt.Errorf("failed to create deployment: %v", err)
    assert refused(cluster, state, "create deployment big --image=nginx --replicas=50001") == (
        "error: failed to create deployment: " + msg.split(": ", 1)[1].format("big", 50001))
    assert cluster("create deployment x --image=nginx").code == 0
    assert refused(cluster, state, "scale deployment x --replicas=2147483647") == msg.format("x", 2147483647)
    assert refused(cluster, state, ["patch", "deployment", "x", "-p", '{"spec":{"replicas":60000}}']) == \
        msg.format("x", 60000)


def test_replica_controllers_create_no_pod_past_the_capacity(cluster, state, monkeypatch):
    from minikctl.api import validation

    pods = len(json.loads(cluster("get pods -A -o json").out)["items"])
    monkeypatch.setattr(validation, "MAX_PODS", pods + 5)
    assert cluster("create deployment a --image=nginx --replicas=3").code == 0
    r = cluster("create deployment b --image=nginx --replicas=4")
    assert r.code == 0, r  # the Deployment is within the bound; the cluster is not
    assert len(json.loads(cluster("get pods -l app=b -o json").out)["items"]) == 2
    rs = json.loads(cluster("get rs -l app=b -o json").out)["items"][0]
    events = [e for e in json.loads(cluster("get events -o json").out)["items"]
              if e["involvedObject"]["name"] == rs["metadata"]["name"] and e["reason"] == "FailedCreate"]
    assert events[0]["type"] == "Warning"
    assert events[0]["message"] == (f'Error creating: pods "{rs["metadata"]["name"]}-" is forbidden: the cluster holds '
                                    f"{pods + 5} pods, the most this emulator runs")
    # room comes back when pods go
    assert cluster("scale deployment a --replicas=1").code == 0
    assert cluster("scale deployment b --replicas=3").code == 0
    assert len(json.loads(cluster("get pods -l app=b -o json").out)["items"]) == 3


# ------------------------------------------------------- many pods, few nodes
def _pods(mk, selector: str) -> list[dict]:
    return json.loads(mk(f"get pods -l {selector} -o json").out)["items"]


def test_a_deployment_larger_than_the_cluster_runs_what_fits_and_the_rest_waits(cluster):
    # 3 nodes: the control plane is tainted NoSchedule; each worker runs at most 110 pods
    system = [p for p in json.loads(cluster("get pods -A -o json").out)["items"]
              if p["spec"].get("nodeName", "").startswith("minikctl-worker")]
    room = 2 * 110 - len(system)
    r = cluster("create deployment big --image=nginx --replicas=600")
    assert r.code == 0, r
    pods = _pods(cluster, "app=big")
    running = [p for p in pods if p["status"]["phase"] == "Running"]
    pending = [p for p in pods if p["status"]["phase"] == "Pending"]
    assert (len(pods), len(running), len(pending)) == (600, room, 600 - room)
    assert {p["spec"]["nodeName"] for p in running} == {"minikctl-worker", "minikctl-worker2"}
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
           "2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
           "2 No preemption victims found for incoming pod.")
    assert {c["message"] for p in pending for c in p["status"]["conditions"] if c["type"] == "PodScheduled"} == {msg}
    events = [e for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "FailedScheduling"]
    assert sorted(e["involvedObject"]["name"] for e in events) == sorted(p["metadata"]["name"] for p in pending)
    assert {(e["message"], e["count"]) for e in events} == {(msg, 1)}
    # another update of a waiting pod's status is no new attempt: still one event each
    assert cluster("label pods -l app=big tier=web").code == 0
    events = [e for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "FailedScheduling"]
    assert len(events) == 600 - room
    # scaling down deletes waiting pods first; the running ones stay where they are
    assert cluster(f"scale deployment big --replicas={room - 10}").code == 0
    pods = _pods(cluster, "app=big")
    assert len(pods) == room - 10 and all(p["status"]["phase"] == "Running" for p in pods)
    assert cluster("cluster check").code == 0


def test_waiting_pods_take_the_room_of_deleted_ones_first_come_first_served(mk):
    assert mk("cluster create --clock manual --nodes 2").code == 0
    others = [p for p in json.loads(mk("get pods -A -o json").out)["items"]
              if p["spec"].get("nodeName") == "minikctl-worker"]
    room = 110 - len(others)
    assert mk(f"create deployment big --image=nginx --replicas={room}").code == 0
    for name in ("first", "second", "third"):
        assert mk(f"run {name} --image=nginx").code == 0
    assert mk("scale deployment big --replicas=" + str(room - 2)).code == 0
    phases = {n: json.loads(mk(f"get pod {n} -o json").out)["status"]["phase"] for n in ("first", "second", "third")}
    assert phases == {"first": "Running", "second": "Running", "third": "Pending"}


def test_a_store_from_before_the_scheduling_queue_keeps_its_waiting_pods(cluster, state):
    """state/0003 moves the old meta list of waiting pods into the scheduling_queue table."""
    extra = {"spec": {"nodeSelector": {"disk": "ssd"}}}
    assert cluster(["run", "picky", "--image=nginx", f"--overrides={json.dumps(extra)}"]).code == 0
    db = sqlite3.connect(state)
    with db:
        db.execute("DROP TABLE scheduling_queue")
        db.execute("INSERT INTO meta(key, value) VALUES ('scheduler:unschedulable', '[\"default/picky\"]')")
        db.execute("PRAGMA user_version=2")
    db.close()
    assert cluster("label node minikctl-worker2 disk=ssd").code == 0
    pod = json.loads(cluster("get pod picky -o json").out)
    assert (pod["spec"]["nodeName"], pod["status"]["phase"]) == ("minikctl-worker2", "Running")
    db = sqlite3.connect(state)
    try:
        assert db.execute("SELECT count(*) FROM meta WHERE key='scheduler:unschedulable'").fetchone() == (0,)
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 3
    finally:
        db.close()


def test_a_replica_sets_burst_of_events_is_correlated_as_client_gos_recorder_does(cluster):
    """tools/record/events_cache.go: the 10th different "Created pod" message becomes the
    combined event; the source may write 25 events about the ReplicaSet, then none (in one
    burst): 9 events, and one combined event counted 16 times."""
    assert cluster("create deployment web --image=nginx --replicas=30").code == 0
    rs = json.loads(cluster("get rs -l app=web -o json").out)["items"][0]["metadata"]["name"]
    events = [e for e in json.loads(cluster("get events -o json").out)["items"]
              if e["involvedObject"]["name"] == rs and e["reason"] == "SuccessfulCreate"]
    single, combined = events[:-1], events[-1]
    assert len(single) == 9 and all(e["count"] == 1 and e["message"].startswith(f"Created pod: {rs}-")
                                    and e["reportingComponent"] == "replicaset-controller" for e in single)
    assert combined["message"].startswith(f"(combined from similar events): Created pod: {rs}-")
    assert (combined["count"], combined["reportingComponent"], combined["source"]) == (
        16, "", {"component": "replicaset-controller"})
    assert "(x16 over 0s)" in cluster(f"describe rs {rs}").out
    # kube-scheduler's events (events.k8s.io recorder) are not correlated: one per pod
    scheduled = [e for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "Scheduled"]
    assert len(scheduled) == 30
