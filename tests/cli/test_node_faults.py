"""Fault injection for teaching (issue 11): `cluster node stop|start|add|remove` on a manual clock.

Kubernetes 1.32 pkg/controller/nodelifecycle/node_lifecycle_controller.go (tryUpdateNodeHealth:
conditions Unknown, NodeStatusUnknown, "Kubelet stopped posting node status." after the 50s
--node-monitor-grace-period (1.32: kubernetes/kubernetes#126287, CHANGELOG-1.32); the node.kubernetes.io/unreachable NoSchedule and NoExecute taints),
pkg/controller/util/node/controller_utils.go (MarkPodsNotReady, "Node is not ready";
RecordNodeEvent "Registered Node X in Controller" / "Removing Node X from Controller"), the
DefaultTolerationSeconds admission (300s) and the taint-eviction-controller.
"""

from __future__ import annotations

import json
import sqlite3

W = "minikctl-worker"
W2 = "minikctl-worker2"
CP = "minikctl-control-plane"


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def dump(state: str) -> list[str]:
    con = sqlite3.connect(state)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def conditions(mk, node: str) -> dict:
    return {c["type"]: c for c in jget(mk, f"get node {node}")["status"]["conditions"]}


def taints(mk, node: str) -> list[tuple]:
    return [(t["key"], t["effect"]) for t in jget(mk, f"get node {node}")["spec"].get("taints") or []]


def web(mk, replicas: int = 4) -> None:
    assert mk(f"create deployment web --image=nginx --replicas={replicas}").code == 0
    assert mk("expose deployment web --port=80").code == 0


def pods_on(mk, node: str) -> list[dict]:
    return [p for p in jget(mk, "get pods -l app=web")["items"] if p["spec"].get("nodeName") == node]


def ready(pod: dict) -> str:
    return next(c["status"] for c in pod["status"]["conditions"] if c["type"] == "Ready")


def node_status(mk, node: str) -> str:
    line = next(x for x in mk("get nodes").out.splitlines() if x.startswith(node + " "))
    return line.split()[1]


def test_stop_node_not_ready_after_grace_period_taints_pods_not_ready_and_out_of_endpoints(cluster):
    mk = cluster
    web(mk)
    on_worker = {p["metadata"]["name"] for p in pods_on(mk, W)}
    assert on_worker
    r = mk(f"cluster node stop {W}")
    assert r.code == 0 and r.out == (f"node/{W} stopped (its kubelet no longer posts status: NotReady after 50s, "
                                     "its pods evicted 300s later)\n")
    assert mk("clock advance 49s").code == 0
    assert node_status(mk, W) == "Ready" and taints(mk, W) == []
    assert mk("clock advance 1s").code == 0
    assert node_status(mk, W) == "NotReady"
    conds = conditions(mk, W)
    for t in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure"):
        assert (conds[t]["status"], conds[t]["reason"], conds[t]["message"]) == \
            ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert conds["Ready"]["lastHeartbeatTime"] != conds["Ready"]["lastTransitionTime"]
    node = jget(mk, f"get node {W}")
    assert [(t["key"], t["effect"]) for t in node["spec"]["taints"]] == [
        ("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")]
    assert all(t["timeAdded"] == conds["Ready"]["lastTransitionTime"] for t in node["spec"]["taints"])
    # MarkPodsNotReady: still Running, not ready; out of the Endpoints' addresses
    for p in pods_on(mk, W):
        assert p["status"]["phase"] == "Running" and ready(p) == "False"
    ep = jget(mk, "get endpoints web")
    ready_ips = {a["targetRef"]["name"] for s in ep["subsets"] for a in s.get("addresses") or []}
    not_ready = {a["targetRef"]["name"] for s in ep["subsets"] for a in s.get("notReadyAddresses") or []}
    assert not_ready == on_worker and not (ready_ips & on_worker)
    ev = jget(mk, "get events")["items"]
    assert [(e["type"], e["reason"], e["message"], e["source"]["component"]) for e in ev
            if e["involvedObject"]["kind"] == "Node"] == [
        ("Normal", "NodeNotReady", f"Node {W} status is now: NodeNotReady", "node-controller")]
    assert {e["involvedObject"]["name"] for e in ev if e["reason"] == "NodeNotReady" and e["type"] == "Warning"
            and e["message"] == "Node is not ready"} == on_worker
    # nothing new is scheduled there
    assert mk("scale deployment web --replicas=8").code == 0
    assert {p["metadata"]["name"] for p in pods_on(mk, W)} == on_worker


def test_stopped_node_pods_evicted_after_300s_and_replaced_elsewhere(cluster):
    mk = cluster
    web(mk)
    on_worker = {p["metadata"]["name"] for p in pods_on(mk, W)}
    assert mk(f"cluster node stop {W}").code == 0
    assert mk("clock advance 50s").code == 0
    assert mk("clock advance 299s").code == 0
    assert {p["metadata"]["name"] for p in pods_on(mk, W)} == on_worker
    assert mk("clock advance 1s").code == 0
    assert pods_on(mk, W) == []
    pods = jget(mk, "get pods -l app=web")["items"]
    assert len(pods) == 4 and all(ready(p) == "True" for p in pods)
    msgs = [e["message"] for e in jget(mk, "get events")["items"] if e["reason"] == "TaintManagerEviction"]
    assert sorted(msgs) == sorted(f"Marking for deletion Pod default/{n}" for n in on_worker)
    assert mk("cluster check").code == 0


def test_a_long_clock_jump_counts_the_toleration_from_the_end_of_the_grace_period(cluster):
    mk = cluster
    web(mk)
    assert mk(f"cluster node stop {W}").code == 0
    assert mk("clock advance 350s").code == 0  # 50s grace + 300s toleration in one jump
    assert pods_on(mk, W) == []
    assert len(jget(mk, "get pods -l app=web")["items"]) == 4


def test_start_node_ready_again_taints_removed_pods_ready(cluster):
    mk = cluster
    web(mk)
    on_worker = {p["metadata"]["name"] for p in pods_on(mk, W)}
    assert mk(f"cluster node stop {W}").code == 0
    assert mk("clock advance 70s").code == 0
    r = mk(f"cluster node start {W}")
    assert r.code == 0 and r.out == f"node/{W} started\n"
    assert node_status(mk, W) == "Ready" and taints(mk, W) == []
    conds = conditions(mk, W)
    assert (conds["Ready"]["status"], conds["Ready"]["reason"]) == ("True", "KubeletReady")
    assert (conds["MemoryPressure"]["status"], conds["MemoryPressure"]["reason"]) == ("False", "KubeletHasSufficientMemory")
    pods = pods_on(mk, W)
    assert {p["metadata"]["name"] for p in pods} == on_worker and all(ready(p) == "True" for p in pods)
    ep = jget(mk, "get endpoints web")
    assert not any(s.get("notReadyAddresses") for s in ep["subsets"])
    node_ev = [(e["reason"], e["message"], e["source"]["component"]) for e in jget(mk, "get events")["items"]
               if e["involvedObject"]["kind"] == "Node"]
    assert node_ev[-1] == ("NodeReady", f"Node {W} status is now: NodeReady", "kubelet")
    # the evictions that were waiting are cancelled: nothing happens 300s later
    assert mk("clock advance 10m").code == 0
    assert {p["metadata"]["name"] for p in pods_on(mk, W)} == on_worker
    assert mk("cluster check").code == 0


def test_start_before_grace_period_changes_nothing(cluster):
    mk = cluster
    assert mk(f"cluster node stop {W}").code == 0
    assert mk("clock advance 20s").code == 0
    assert mk(f"cluster node start {W}").code == 0
    assert mk("clock advance 1m").code == 0
    assert node_status(mk, W) == "Ready"
    assert [e for e in jget(mk, "get events")["items"] if e["involvedObject"]["kind"] == "Node"] == []


def test_stop_and_start_twice_say_so(cluster):
    mk = cluster
    assert mk(f"cluster node start {W}").out == f"node/{W} already running\n"
    assert mk(f"cluster node stop {W}").code == 0
    r = mk(f"cluster node stop {W}")
    assert r.code == 0 and r.out == f"node/{W} already stopped\n"


def test_add_node_kind_name_cidr_address_daemonset_and_pending_pods(cluster):
    mk = cluster
    ds = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: busybox:1.36, command: [sh, -c, sleep 3600]}]
"""
    assert mk("apply -f -", input=ds).code == 0
    pending = """apiVersion: v1
kind: Pod
metadata: {name: wants-new}
spec:
  nodeSelector: {kubernetes.io/hostname: minikctl-worker3}
  containers: [{name: a, image: busybox:1.36, command: [sh, -c, sleep 3600]}]
"""
    assert mk("apply -f -", input=pending).code == 0
    assert jget(mk, "get pod wants-new")["status"]["phase"] == "Pending"
    r = mk("cluster node add")
    assert r.code == 0 and r.out == "node/minikctl-worker3 added\n"
    node = jget(mk, "get node minikctl-worker3")
    assert node["spec"]["podCIDR"] == "10.244.3.0/24"
    assert node["status"]["addresses"][0] == {"address": "172.18.0.5", "type": "InternalIP"}
    assert node["metadata"]["labels"]["kubernetes.io/hostname"] == "minikctl-worker3"
    assert node["status"]["capacity"] == jget(mk, f"get node {W}")["status"]["capacity"]
    assert "taints" not in node["spec"]
    agents = [p for p in jget(mk, "get pods -l app=agent")["items"] if p["spec"]["nodeName"] == "minikctl-worker3"]
    assert len(agents) == 1 and agents[0]["status"]["phase"] == "Running"
    pod = jget(mk, "get pod wants-new")
    assert pod["spec"]["nodeName"] == "minikctl-worker3" and pod["status"]["phase"] == "Running"
    assert pod["status"]["podIP"].startswith("10.244.3.")
    assert jget(mk, "get ds agent")["status"][
        "desiredNumberScheduled"] == 3
    r = mk("cluster node add edge-1")
    assert r.code == 0 and r.out == "node/edge-1 added\n"
    assert jget(mk, "get node edge-1")["spec"]["podCIDR"] == "10.244.4.0/24"
    assert mk("cluster node add").out == "node/minikctl-worker4 added\n"
    ev = [(e["reason"], e["message"]) for e in jget(mk, "get events")["items"] if e["involvedObject"]["kind"] == "Node"]
    assert ("RegisteredNode", "Node edge-1 event: Registered Node edge-1 in Controller") in ev
    assert mk("cluster check").code == 0


def test_remove_node_pods_garbage_collected_and_replaced(cluster):
    mk = cluster
    web(mk)
    assert pods_on(mk, W2)
    r = mk(f"cluster node remove {W2}")
    assert r.code == 0 and r.out == f"node/{W2} removed\n"
    assert mk(f"get node {W2}").code == 1
    assert pods_on(mk, W2) == []
    pods = jget(mk, "get pods -l app=web")["items"]
    assert len(pods) == 4 and {p["spec"]["nodeName"] for p in pods} == {W}
    ev = [(e["reason"], e["message"]) for e in jget(mk, "get events")["items"] if e["involvedObject"]["kind"] == "Node"]
    assert ev == [("RemovingNode", f"Node {W2} event: Removing Node {W2} from Controller")]
    assert mk("cluster check").code == 0
    # the free name, address and pod CIDR come back (the highest in use was the removed node's)
    assert mk("cluster node add").out == f"node/{W2} added\n"
    assert jget(mk, f"get node {W2}")["spec"]["podCIDR"] == "10.244.2.0/24"
    assert mk("cluster node add").out == "node/minikctl-worker3 added\n"
    assert jget(mk, "get node minikctl-worker3")["spec"]["podCIDR"] == "10.244.3.0/24"
    assert mk("cluster check").code == 0


def test_refusals_exit_1_store_unchanged(cluster, state):
    mk = cluster
    before = dump(state)
    for cmd, err in (
        ("cluster node stop nope", 'Error from server (NotFound): nodes "nope" not found\n'),
        ("cluster node start nope", 'Error from server (NotFound): nodes "nope" not found\n'),
        ("cluster node remove nope", 'Error from server (NotFound): nodes "nope" not found\n'),
        (f"cluster node remove {CP}", f"error: cannot remove node {CP}: it runs the control plane; remove a worker node\n"),
        (f"cluster node stop {CP}", f"error: cannot stop node {CP}: it runs the control plane (kube-apiserver, etcd, "
                                    "the controllers), the cluster would stop answering; stop a worker node\n"),
        (f"cluster node add {W}", f'Error from server (AlreadyExists): nodes "{W}" already exists\n'),
        ("cluster node stop", "error: usage: minikctl cluster node stop NAME\n"),
        ("cluster node add a b", "error: usage: minikctl cluster node add [NAME]\n"),
    ):
        r = mk(cmd)
        assert (r.code, r.out, r.err) == (1, "", err), cmd
        assert dump(state) == before, cmd
    r = mk("cluster node add Bad_Name")
    assert r.code == 1 and r.err.startswith('The Node "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"'), r
    assert dump(state) == before


def test_node_help_lists_the_subcommands(mk):
    r = mk("cluster node --help")
    assert r.code == 0
    for word in ("stop", "start", "add", "remove", "minikctl cluster node (stop NAME | start NAME | add [NAME] | remove NAME)"):
        assert word in r.out


def test_exec_logs_and_traffic_to_a_stopped_node_fail_as_on_kind(cluster):
    """The API server dials the kubelet at NODE_IP:10250 for exec and logs; a stopped kind node's
    address gets no ARP reply: "no route to host". Connections to its pods time out (curl 28)."""
    mk = cluster
    web(mk, 2)
    assert mk(["run", "client", "--image=curlimages/curl:8.10.1",
               '--overrides={"spec":{"nodeName":"minikctl-worker2"}}', "--", "sleep", "3600"]).code == 0
    victim = pods_on(mk, W)[0]
    name, ip = victim["metadata"]["name"], victim["status"]["podIP"]
    assert mk(f"cluster node stop {W}").code == 0
    r = mk(f"exec {name} -- echo hi")
    assert (r.code, r.out, r.err) == (1, "", "Error from server: error dialing backend: dial tcp 172.18.0.3:10250: "
                                             "connect: no route to host\n")
    r = mk(f"logs {name}")
    assert (r.code, r.out, r.err) == (1, "", f'Error from server: Get "https://172.18.0.3:10250/containerLogs/default/'
                                             f'{name}/nginx": dial tcp 172.18.0.3:10250: connect: no route to host\n')
    r = mk(f"exec client -- curl -sS -m 2 http://{ip}")
    assert r.code == 28 and r.err.startswith("curl: (28) Connection timed out after 2001 milliseconds\n"), r
    assert mk(f"cluster node start {W}").code == 0
    r = mk(f"exec client -- curl -sS -m 2 http://{ip}")
    assert r.code == 0 and "Welcome to nginx!" in r.out


def test_wall_clock_the_monitor_and_evictions_catch_up_at_the_next_command(mk, monkeypatch):
    """On a wall clock no `clock advance` runs the controllers: the next command catches up."""
    import time as _time

    from minikctl.api import clock

    t0 = float(int(_time.time()))
    monkeypatch.setattr(clock, "_wall_ns", lambda: int(t0 * clock.NS))
    assert mk("cluster create").code == 0
    web(mk)
    assert mk(f"cluster node stop {W}").code == 0
    monkeypatch.setattr(clock, "_wall_ns", lambda: int((t0 + 51) * clock.NS))
    assert node_status(mk, W) == "NotReady"
    assert all(ready(p) == "False" for p in pods_on(mk, W))
    monkeypatch.setattr(clock, "_wall_ns", lambda: int((t0 + 351) * clock.NS))
    assert pods_on(mk, W) == []
    assert len(jget(mk, "get pods -l app=web")["items"]) == 4


def test_a_stopped_kubelet_restarts_nothing(cluster):
    """A container that exits on a stopped node is not restarted (nobody runs it) until the
    node starts again; then the kubelet's timers run."""
    mk = cluster
    pod = """apiVersion: v1
kind: Pod
metadata: {name: short}
spec:
  nodeName: minikctl-worker
  containers: [{name: a, image: busybox:1.36, command: [sh, -c, sleep 10]}]
"""
    assert mk("apply -f -", input=pod).code == 0
    assert mk(f"cluster node stop {W}").code == 0
    assert mk("clock advance 30s").code == 0
    cs = jget(mk, "get pod short")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 0 and "running" in cs["state"]
    assert mk(f"cluster node start {W}").code == 0
    assert mk("clock advance 1s").code == 0
    assert jget(mk, "get pod short")["status"]["containerStatuses"][0]["restartCount"] >= 1
