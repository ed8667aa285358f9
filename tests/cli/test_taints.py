"""taint / cordon / uncordon and NoExecute evictions through the CLI (issue 11).

kubectl 1.32: staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go + utils.go, pkg/cmd/drain
(cordon/uncordon); the messages that need no server were checked against the real
kubectl 1.32 binary. The node lifecycle controller's TaintNodesByCondition
(node.kubernetes.io/unschedulable) and the taint-eviction-controller
(pkg/controller/tainteviction/taint_eviction.go: "Marking for deletion Pod ns/name",
tolerationSeconds on the cluster clock).
"""

from __future__ import annotations

import json

import pytest

W = "minikctl-worker"
W2 = "minikctl-worker2"
SEE = "\nSee 'minikctl taint -h' for help and examples\n"


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def taints(mk, node: str) -> list[dict]:
    return jget(mk, f"get node {node}")["spec"].get("taints") or []


def pod_yaml(name: str, node: str, tolerations: str = "") -> str:
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  nodeSelector: {{kubernetes.io/hostname: {node}}}
{tolerations}  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
"""


def toleration(seconds: int | None, key="evict", value="yes") -> str:
    out = (f"  tolerations:\n  - key: {key}\n    operator: Equal\n    value: \"{value}\"\n"
           f"    effect: NoExecute\n")
    if seconds is not None:
        out += f"    tolerationSeconds: {seconds}\n"
    return out


def evictions(mk, name: str) -> list[str]:
    items = jget(mk, "get events")["items"]
    return [e["message"] for e in items
            if e["reason"] == "TaintManagerEviction" and e["involvedObject"]["name"] == name]


# ------------------------------------------------------------------ taint
def test_taint_add_overwrite_and_remove(cluster):
    r = cluster(f"taint nodes {W} dedicated=gpu:NoSchedule")
    assert (r.code, r.out, r.err) == (0, f"node/{W} tainted\n", "")
    assert taints(cluster, W) == [{"effect": "NoSchedule", "key": "dedicated", "value": "gpu"}]
    r = cluster(f"taint nodes {W} dedicated=cpu:NoSchedule")
    assert (r.code, r.out) == (1, "")
    assert r.err == (f"error: node {W} already has dedicated taint(s) with same effect(s) and --overwrite is false\n")
    assert taints(cluster, W) == [{"effect": "NoSchedule", "key": "dedicated", "value": "gpu"}]
    r = cluster(f"taint node {W} dedicated=cpu:NoSchedule --overwrite")
    assert (r.code, r.out) == (0, f"node/{W} modified\n")
    assert taints(cluster, W) == [{"effect": "NoSchedule", "key": "dedicated", "value": "cpu"}]
    # another effect of the same key is another taint
    assert cluster(f"taint no {W} dedicated:PreferNoSchedule").out == f"node/{W} tainted\n"
    r = cluster(f"taint nodes {W} dedicated:NoSchedule-")
    assert (r.code, r.out) == (0, f"node/{W} untainted\n")
    assert taints(cluster, W) == [{"effect": "PreferNoSchedule", "key": "dedicated"}]
    r = cluster(f"taint nodes {W} dedicated-")
    assert (r.code, r.out) == (0, f"node/{W} untainted\n")
    assert taints(cluster, W) == []


def test_taint_removing_a_missing_taint_is_an_error(cluster):
    r = cluster(f"taint nodes {W} dedicated:NoSchedule-")
    assert (r.code, r.out, r.err) == (1, "", 'error: taint "dedicated:NoSchedule" not found\n')
    r = cluster(f"taint nodes {W} dedicated-")
    assert r.err == 'error: taint "dedicated" not found\n'


def test_taint_by_selector_and_all(cluster):
    r = cluster("taint nodes -l kubernetes.io/os=linux zone=a:PreferNoSchedule")
    assert r.out == ("node/minikctl-control-plane tainted\nnode/minikctl-worker tainted\n"
                     "node/minikctl-worker2 tainted\n")
    r = cluster("taint nodes --all zone-")
    assert r.out == ("node/minikctl-control-plane untainted\nnode/minikctl-worker untainted\n"
                     "node/minikctl-worker2 untainted\n")


def test_taint_dry_run_and_output_name(cluster):
    r = cluster(f"taint nodes {W} a=b:NoSchedule --dry-run=client")
    assert r.out == f"node/{W} tainted\n"  # taint.go prints no "(dry run)" (kubectl 1.32)
    assert taints(cluster, W) == []
    assert cluster(f"taint nodes {W} a=b:NoSchedule -o name").out == f"node/{W}\n"


@pytest.mark.parametrize("args,err", [
    ("taint", "error: one or more resources must be specified as <resource> <name>\n"),
    ("taint nodes", "error: at least one taint update is required\n"),
    ("taint nodes minikctl-worker", "error: at least one taint update is required\n"),
    ("taint nodes minikctl-worker a=b",
     "error: invalid taint spec: a=b, name part must consist of alphanumeric characters, '-', '_' or '.', and must "
     "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
     "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" + SEE),
    ("taint nodes minikctl-worker a=b=c:NoSchedule", "error: invalid taint spec: a=b=c:NoSchedule" + SEE),
    ("taint nodes minikctl-worker a:b:c", "error: invalid taint spec: a:b:c" + SEE),
    ("taint nodes minikctl-worker a:Bad", "error: invalid taint effect: Bad, unsupported taint effect" + SEE),
    ("taint nodes minikctl-worker a=b*:NoSchedule",
     "error: invalid taint spec: a=b*:NoSchedule, a valid label must be an empty string or consist of alphanumeric "
     "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
     "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" + SEE),
    ("taint nodes minikctl-worker a=b:NoSchedule a=c:NoSchedule",
     "error: duplicated taints with the same key and effect: {a c NoSchedule <nil>}" + SEE),
    ("taint nodes minikctl-worker a=b:NoSchedule x", "error: all resources must be specified before taint changes: x\n"),
    ("taint nodes a:NoSchedule", "error: at least one resource name must be specified since 'all' parameter is not set\n"),
    ("taint nodes --all -l a=b k:NoSchedule", "error: setting 'all' parameter with a non empty selector is prohibited\n"),
    ("taint pods web a:NoSchedule", "error: invalid resource type pods, only node types are supported\n"),
    ("taint nodes minikctl-worker a=b:NoSchedule a-",
     "error: can not both modify and remove the following taint(s) in the same command: {\"a\":\"\"}\n"),
    ("taint nodes nope a:NoSchedule", 'Error from server (NotFound): nodes "nope" not found\n'),
])
def test_taint_refusals(cluster, args, err):
    before = cluster("get nodes -o yaml").out
    r = cluster(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert cluster("get nodes -o yaml").out == before


# ------------------------------------------------------------------ cordon
def test_cordon_and_uncordon(cluster):
    r = cluster(f"cordon {W}")
    assert (r.code, r.out, r.err) == (0, f"node/{W} cordoned\n", "")
    node = jget(cluster, f"get node {W}")
    assert node["spec"]["unschedulable"] is True
    # TaintNodesByCondition: the node lifecycle controller adds the unschedulable taint
    assert [(t["key"], t["effect"], "timeAdded" in t) for t in node["spec"]["taints"]] == [
        ("node.kubernetes.io/unschedulable", "NoSchedule", True)]
    assert cluster("get nodes").out.splitlines()[2].split()[:2] == [W, "Ready,SchedulingDisabled"]
    assert cluster(f"cordon {W}").out == f"node/{W} already cordoned\n"
    r = cluster(f"uncordon {W}")
    assert (r.code, r.out) == (0, f"node/{W} uncordoned\n")
    node = jget(cluster, f"get node {W}")
    assert "unschedulable" not in node["spec"] and "taints" not in node["spec"]
    assert cluster(f"uncordon {W}").out == f"node/{W} already uncordoned\n"


def test_cordon_dry_run_and_selector(cluster):
    assert cluster(f"cordon {W} --dry-run=client").out == f"node/{W} cordoned (dry run)\n"
    assert "unschedulable" not in jget(cluster, f"get node {W}")["spec"]
    r = cluster("cordon -l kubernetes.io/hostname=minikctl-worker2")
    assert r.out == f"node/{W2} cordoned\n"


@pytest.mark.parametrize("args,err", [
    ("cordon", "error: USAGE: cordon NODE [flags]\nSee 'minikctl cordon -h' for help and examples\n"),
    ("uncordon", "error: USAGE: uncordon NODE [flags]\nSee 'minikctl uncordon -h' for help and examples\n"),
    ("cordon minikctl-worker -l a=b",
     "error: cannot specify both a node name and a --selector option\nSee 'minikctl cordon -h' for help and examples\n"),
    ("cordon minikctl-worker nope", 'Error from server (NotFound): nodes "nope" not found\n'),
])
def test_cordon_refusals(cluster, args, err):
    before = cluster("get nodes -o yaml").out
    r = cluster(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert cluster("get nodes -o yaml").out == before


def test_the_scheduler_skips_a_cordoned_node_and_uses_it_after_uncordon(cluster):
    assert cluster(f"cordon {W}").code == 0
    r = cluster(["apply", "-f", "-"], input=pod_yaml("pinned", W))
    assert r.code == 0, r
    pod = jget(cluster, "get pod pinned")
    assert "nodeName" not in pod["spec"]
    msg = [e["message"] for e in jget(cluster, "get events")["items"] if e["reason"] == "FailedScheduling"]
    assert msg == ["0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had "
                   "untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. "
                   "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."]
    assert cluster(f"uncordon {W}").code == 0
    assert jget(cluster, "get pod pinned")["spec"]["nodeName"] == W


def test_cordon_evicts_nothing(cluster):
    assert cluster("create deployment web --image=nginx --replicas=2").code == 0
    before = sorted(p["metadata"]["name"] for p in jget(cluster, "get pods")["items"])
    assert cluster(f"cordon {W}").code == 0
    assert sorted(p["metadata"]["name"] for p in jget(cluster, "get pods")["items"]) == before


# ------------------------------------------------------------------ NoExecute
def test_no_execute_taint_evicts_untolerating_pods_and_replicasets_replace_them(cluster):
    assert cluster("create deployment web --image=nginx --replicas=2").code == 0
    pods = jget(cluster, "get pods -l app=web")["items"]
    victim = next(p["metadata"]["name"] for p in pods if p["spec"]["nodeName"] == W2)
    r = cluster(f"taint nodes {W2} evict=yes:NoExecute")
    assert (r.code, r.out) == (0, f"node/{W2} tainted\n")
    pods = jget(cluster, "get pods -l app=web")["items"]
    assert victim not in {p["metadata"]["name"] for p in pods}
    assert sorted(p["spec"]["nodeName"] for p in pods) == [W, W]
    assert evictions(cluster, victim) == [f"Marking for deletion Pod default/{victim}"]
    ev = next(e for e in jget(cluster, "get events")["items"] if e["reason"] == "TaintManagerEviction")
    assert ev["involvedObject"] == {"kind": "Pod", "namespace": "default", "name": victim}
    assert ev["source"] == {"component": "taint-eviction-controller"} and ev["type"] == "Normal"


def test_no_schedule_taint_evicts_nothing(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("stay", W2)).code == 0
    assert cluster(f"taint nodes {W2} evict=yes:NoSchedule").code == 0
    assert cluster("get pod stay").code == 0


def test_a_toleration_without_seconds_tolerates_forever(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("forever", W2, toleration(None))).code == 0
    assert cluster(f"taint nodes {W2} evict=yes:NoExecute").code == 0
    assert cluster("clock advance 24h").code == 0
    assert jget(cluster, "get pod forever")["spec"]["nodeName"] == W2


def test_toleration_seconds_delays_the_eviction_on_the_cluster_clock(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("brief", W2, toleration(60))).code == 0
    assert cluster(f"taint nodes {W2} evict=yes:NoExecute").code == 0
    assert cluster("clock advance 59s").code == 0
    assert cluster("get pod brief").code == 0
    assert evictions(cluster, "brief") == []
    assert cluster("clock advance 1s").code == 0
    r = cluster("get pod brief")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): pods "brief" not found\n')
    assert evictions(cluster, "brief") == ["Marking for deletion Pod default/brief"]


def test_removing_the_taint_in_time_cancels_the_eviction(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("saved", W2, toleration(60))).code == 0
    assert cluster(f"taint nodes {W2} evict=yes:NoExecute").code == 0
    assert cluster("clock advance 30s").code == 0
    assert cluster(f"taint nodes {W2} evict:NoExecute-").out == f"node/{W2} untainted\n"
    assert cluster("clock advance 60s").code == 0
    assert cluster("get pod saved").code == 0
    assert evictions(cluster, "saved") == ["Cancelling deletion of Pod default/saved"]


def test_default_toleration_seconds_do_not_cover_other_taints(cluster):
    """DefaultTolerationSeconds tolerates not-ready/unreachable for 300s, nothing else."""
    assert cluster(["apply", "-f", "-"], input=pod_yaml("plain", W2)).code == 0
    assert cluster(f"taint nodes {W2} node.kubernetes.io/unreachable:NoExecute").code == 0
    assert cluster("clock advance 299s").code == 0
    assert cluster("get pod plain").code == 0
    assert cluster("clock advance 1s").code == 0
    assert cluster("get pod plain").code == 1
    assert evictions(cluster, "plain") == ["Marking for deletion Pod default/plain"]


def test_the_kubelet_reports_the_node_schedulable_or_not(cluster):
    """pkg/kubelet/nodestatus/setters.go: its event names the node by its name as uid, and
    kubectl describe node looks its events up that way too."""
    assert cluster(f"cordon {W}").code == 0
    r = cluster(f"describe node {W}")
    assert r.out.endswith(
        "Events:\n"
        "  Type    Reason              Age   From     Message\n"
        "  ----    ------              ----  ----     -------\n"
        f"  Normal  NodeNotSchedulable  0s    kubelet  Node {W} status is now: NodeNotSchedulable\n")
    assert cluster(f"uncordon {W}").code == 0
    evs = [e for e in jget(cluster, "get events")["items"] if e["involvedObject"]["kind"] == "Node"]
    assert [(e["reason"], e["message"]) for e in evs] == [
        ("NodeNotSchedulable", f"Node {W} status is now: NodeNotSchedulable"),
        ("NodeSchedulable", f"Node {W} status is now: NodeSchedulable")]
    assert evs[0]["involvedObject"] == {"kind": "Node", "name": W, "uid": W}
    assert evs[0]["source"] == {"component": "kubelet", "host": W}
    # already cordoned / uncordoned: no change, no event
    assert cluster(f"uncordon {W}").code == 0
    assert len([e for e in jget(cluster, "get events")["items"] if e["involvedObject"]["kind"] == "Node"]) == 2


def test_one_node_update_that_cordons_and_adds_a_no_execute_taint_evicts(cluster):
    """The unschedulable taint the controller adds in between does not hide the NoExecute change."""
    assert cluster(["apply", "-f", "-"], input=pod_yaml("victim", W2)).code == 0
    patch = '{"spec":{"unschedulable":true,"taints":[{"key":"evict","value":"yes","effect":"NoExecute"}]}}'
    r = cluster(["patch", "node", W2, "-p", patch])
    assert r.code == 0, r
    assert cluster("get pod victim").code == 1
    assert evictions(cluster, "victim") == ["Marking for deletion Pod default/victim"]
    assert [t["key"] for t in taints(cluster, W2)] == ["evict", "node.kubernetes.io/unschedulable"]
