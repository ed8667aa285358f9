"""DaemonSets through the CLI on a manual clock (issue 11).

pkg/controller/daemon (daemon_controller.go, update.go, util/daemonset_util.go) of
Kubernetes 1.32: one pod per eligible node, the controller's automatic tolerations, a
required node affinity on metadata.name that the default scheduler honours, the
controller-revision-hash and pod-template-generation labels, status, rolling updates
within maxUnavailable and OnDelete; printers.go printDaemonSet and describe.go
describeDaemonSet for get/describe; apps validation for the refusals.
"""

from __future__ import annotations

import json
import re

DS = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {name}
spec:
{spec_extra}  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {label}}}
    spec:
{pod_extra}      containers:
      - name: agent
        image: {image}
        command: ["sh", "-c", "sleep 3600"]
"""

CP_TOLERATION = """      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
"""

WORKERS = ["minikctl-worker", "minikctl-worker2"]
ALL_NODES = ["minikctl-control-plane", "minikctl-worker", "minikctl-worker2"]


def ds_yaml(name="agent", *, spec_extra="", pod_extra="", image="busybox:1.36", label=None) -> str:
    return DS.format(name=name, spec_extra=spec_extra, pod_extra=pod_extra, image=image, label=label or name)


def apply(mk, text: str):
    r = mk(["apply", "-f", "-"], input=text)
    assert r.code == 0, r
    return r


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def ds_pods(mk, name="agent") -> list[dict]:
    return [p for p in jget(mk, f"get pods -l app={name}")["items"]]


def nodes_of(pods) -> list[str]:
    return sorted(p["spec"]["nodeName"] for p in pods)


def test_one_pod_per_worker_never_on_the_tainted_control_plane(cluster):
    r = apply(cluster, ds_yaml())
    assert r.out == "daemonset.apps/agent created\n"
    pods = ds_pods(cluster)
    assert nodes_of(pods) == WORKERS
    r = cluster("get ds")
    assert r.out == ("NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
                     "agent   2         2         2       2            2           <none>          0s\n")
    status = jget(cluster, "get ds agent")["status"]
    assert status == {"currentNumberScheduled": 2, "numberMisscheduled": 0, "desiredNumberScheduled": 2,
                      "numberReady": 2, "observedGeneration": 1, "updatedNumberScheduled": 2, "numberAvailable": 2}


def test_pods_carry_the_controllers_labels_affinity_and_tolerations(cluster):
    apply(cluster, ds_yaml())
    ds = jget(cluster, "get ds agent")
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "1"
    for pod in ds_pods(cluster):
        labels = pod["metadata"]["labels"]
        assert labels["pod-template-generation"] == "1"
        assert re.fullmatch(r"[bcdfghjklmnpqrstvwxz2456789]{5,10}", labels["controller-revision-hash"])
        assert re.fullmatch(r"agent-[bcdfghjklmnpqrstvwxz2456789]{5}", pod["metadata"]["name"])
        ref = pod["metadata"]["ownerReferences"]
        assert ref == [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": ds["metadata"]["uid"],
                        "controller": True, "blockOwnerDeletion": True}]
        # util.ReplaceDaemonSetPodNodeNameNodeAffinity: the default scheduler binds it there
        terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        assert terms == {"nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": [pod["spec"]["nodeName"]]}]}]}
        # util.AddOrUpdateDaemonPodTolerations, in its order (DefaultTolerationSeconds adds nothing then)
        assert pod["spec"]["tolerations"] == [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
            {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
        ]


def test_host_network_pods_also_tolerate_network_unavailable(cluster):
    apply(cluster, ds_yaml(pod_extra="      hostNetwork: true\n"))
    tols = ds_pods(cluster)[0]["spec"]["tolerations"]
    assert tols[-1] == {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"}


def test_a_control_plane_toleration_puts_one_pod_on_every_node(cluster):
    apply(cluster, ds_yaml(pod_extra=CP_TOLERATION))
    assert nodes_of(ds_pods(cluster)) == ALL_NODES
    assert jget(cluster, "get ds agent")["status"]["desiredNumberScheduled"] == 3


def test_node_selector_eligibility_follows_node_labels(cluster):
    apply(cluster, ds_yaml(pod_extra="      nodeSelector: {disk: ssd}\n"))
    assert ds_pods(cluster) == []
    r = cluster("get ds")
    assert r.out == ("NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
                     "agent   0         0         0       0            0           disk=ssd        0s\n")
    # a node that becomes eligible gets its pod (the controller watches nodes)
    assert cluster("label node minikctl-worker2 disk=ssd").code == 0
    assert nodes_of(ds_pods(cluster)) == ["minikctl-worker2"]
    assert cluster("label node minikctl-worker disk=ssd").code == 0
    assert nodes_of(ds_pods(cluster)) == WORKERS
    # and one that stops being eligible loses it
    assert cluster("label node minikctl-worker2 disk-").code == 0
    assert nodes_of(ds_pods(cluster)) == ["minikctl-worker"]
    assert jget(cluster, "get ds agent")["status"]["desiredNumberScheduled"] == 1


def test_a_no_schedule_taint_keeps_the_running_pod_but_counts_it_misscheduled(cluster):
    """NodeShouldRunDaemonPod: an untolerated NoSchedule taint -> shouldRun false,
    shouldContinueRunning true."""
    apply(cluster, ds_yaml())
    assert cluster("taint node minikctl-worker dedicated=db:NoSchedule").code == 0
    assert nodes_of(ds_pods(cluster)) == WORKERS
    st = jget(cluster, "get ds agent")["status"]
    assert (st["desiredNumberScheduled"], st["currentNumberScheduled"], st["numberMisscheduled"]) == (1, 1, 1)


def test_a_cordoned_node_keeps_and_gets_daemon_pods(cluster):
    """The automatic node.kubernetes.io/unschedulable toleration."""
    assert cluster("cordon minikctl-worker").code == 0
    apply(cluster, ds_yaml())
    assert nodes_of(ds_pods(cluster)) == WORKERS


def test_a_deleted_pod_is_replaced_on_its_node(cluster):
    apply(cluster, ds_yaml())
    pod = next(p for p in ds_pods(cluster) if p["spec"]["nodeName"] == "minikctl-worker")
    assert cluster(f"delete pod {pod['metadata']['name']}").code == 0
    pods = ds_pods(cluster)
    assert nodes_of(pods) == WORKERS
    assert pod["metadata"]["name"] not in {p["metadata"]["name"] for p in pods}


def test_rolling_update_replaces_at_most_max_unavailable_pods_at_a_time(cluster):
    # minReadySeconds keeps a new pod unavailable for 10s of cluster time
    spec_extra = "  minReadySeconds: 10\n"
    apply(cluster, ds_yaml(spec_extra=spec_extra, pod_extra=CP_TOLERATION))
    assert cluster("clock advance 10s").code == 0
    apply(cluster, ds_yaml(spec_extra=spec_extra, pod_extra=CP_TOLERATION, image="busybox:1.37"))
    ds = jget(cluster, "get ds agent")
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    assert ds["metadata"]["generation"] == 2

    def generations():
        return sorted(p["metadata"]["labels"]["pod-template-generation"] for p in ds_pods(cluster))

    assert generations() == ["1", "1", "2"]
    assert cluster("get ds").out.splitlines()[1] == \
        "agent   3         3         3       1            2           <none>          10s"
    assert cluster("clock advance 10s").code == 0
    assert generations() == ["1", "2", "2"]
    assert cluster("clock advance 10s").code == 0
    assert generations() == ["2", "2", "2"]
    images = {p["spec"]["containers"][0]["image"] for p in ds_pods(cluster)}
    assert images == {"busybox:1.37"}
    assert nodes_of(ds_pods(cluster)) == ALL_NODES
    assert cluster("clock advance 10s").code == 0
    st = jget(cluster, "get ds agent")["status"]
    assert (st["updatedNumberScheduled"], st["numberAvailable"], st.get("numberUnavailable")) == (3, 3, None)


def test_rolling_update_with_max_unavailable_two(cluster):
    spec_extra = ("  minReadySeconds: 10\n  updateStrategy:\n    type: RollingUpdate\n"
                  "    rollingUpdate: {maxUnavailable: 2}\n")
    apply(cluster, ds_yaml(spec_extra=spec_extra, pod_extra=CP_TOLERATION))
    assert cluster("clock advance 10s").code == 0
    apply(cluster, ds_yaml(spec_extra=spec_extra, pod_extra=CP_TOLERATION, image="busybox:1.37"))
    gens = sorted(p["metadata"]["labels"]["pod-template-generation"] for p in ds_pods(cluster))
    assert gens == ["1", "2", "2"]


def test_on_delete_waits_for_the_user_to_delete_pods(cluster):
    spec_extra = "  updateStrategy:\n    type: OnDelete\n"
    apply(cluster, ds_yaml(spec_extra=spec_extra))
    apply(cluster, ds_yaml(spec_extra=spec_extra, image="busybox:1.37"))
    pods = ds_pods(cluster)
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods} == {"1"}
    old = next(p for p in pods if p["spec"]["nodeName"] == "minikctl-worker")
    assert cluster(f"delete pod {old['metadata']['name']}").code == 0
    by_node = {p["spec"]["nodeName"]: p for p in ds_pods(cluster)}
    assert by_node["minikctl-worker"]["metadata"]["labels"]["pod-template-generation"] == "2"
    assert by_node["minikctl-worker"]["spec"]["containers"][0]["image"] == "busybox:1.37"
    assert by_node["minikctl-worker2"]["metadata"]["labels"]["pod-template-generation"] == "1"
    assert jget(cluster, "get ds agent")["status"]["updatedNumberScheduled"] == 1


def test_deleting_the_daemonset_deletes_its_pods(cluster):
    apply(cluster, ds_yaml())
    r = cluster("delete ds agent")
    assert r.code == 0, r
    assert r.out == 'daemonset.apps "agent" deleted\n'
    assert ds_pods(cluster) == []


def test_get_wide_all_and_short_name(cluster):
    apply(cluster, ds_yaml(pod_extra="      nodeSelector: {kubernetes.io/os: linux}\n"))
    r = cluster("get ds -o wide")
    assert r.out == (
        "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS   "
        "IMAGES         SELECTOR\n"
        "agent   2         2         2       2            2           kubernetes.io/os=linux   0s    agent        "
        "busybox:1.36   app=agent\n")
    assert cluster("get daemonsets.apps agent -o name").out == "daemonset.apps/agent\n"
    assert "daemonset.apps/agent   2         2" in cluster("get all").out


def test_describe(cluster):
    apply(cluster, ds_yaml())
    r = cluster("describe ds agent")
    assert r.code == 0, r
    names = sorted(p["metadata"]["name"] for p in ds_pods(cluster))
    head = r.out.split("Events:")[0]
    assert head == (
        "Name:           agent\n"
        "Selector:       app=agent\n"
        "Node-Selector:  <none>\n"
        "Labels:         <none>\n"
        "Annotations:    deprecated.daemonset.template.generation: 1\n"
        "Desired Number of Nodes Scheduled: 2\n"
        "Current Number of Nodes Scheduled: 2\n"
        "Number of Nodes Scheduled with Up-to-date Pods: 2\n"
        "Number of Nodes Scheduled with Available Pods: 2\n"
        "Number of Nodes Misscheduled: 0\n"
        "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=agent\n"
        "  Containers:\n"
        "   agent:\n"
        "    Image:      busybox:1.36\n"
        "    Port:       <none>\n"
        "    Host Port:  <none>\n"
        "    Command:\n"
        "      sh\n"
        "      -c\n"
        "      sleep 3600\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n")
    events = r.out.split("Events:")[1]
    for n in names:
        assert re.search(rf"Normal  SuccessfulCreate  0s    daemonset-controller  Created pod: {n}\n", events)


# ------------------------------------------------------------------ refusals
def _unchanged(mk):
    r = mk("get ds")
    assert r.out == "" and r.err == "No resources found in default namespace.\n", r
    assert mk("get pods").err == "No resources found in default namespace.\n"


def test_selector_not_matching_template_labels_is_refused(cluster):
    r = cluster(["apply", "-f", "-"], input=ds_yaml(label="other"))
    assert r.code == 1
    assert r.err == ('The DaemonSet "agent" is invalid: spec.template.metadata.labels: Invalid value: '
                     'map[string]string{"app":"other"}: `selector` does not match template `labels`\n')
    _unchanged(cluster)


def test_empty_selector_is_refused(cluster):
    text = ds_yaml().replace("    matchLabels: {app: agent}\n", "    matchLabels: {}\n")
    r = cluster(["create", "-f", "-"], input=text)
    assert r.code == 1
    # the value as the Deployment check prints it (validation._go_label_selector)
    assert r.err.startswith('The DaemonSet "agent" is invalid: spec.selector: Invalid value: v1.LabelSelector{')
    assert r.err.endswith("}: empty selector is invalid for daemonset\n")
    _unchanged(cluster)


def test_bad_update_strategy_is_refused(cluster):
    spec_extra = "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 0}\n"
    r = cluster(["apply", "-f", "-"], input=ds_yaml(spec_extra=spec_extra))
    assert r.code == 1
    assert r.err == ('The DaemonSet "agent" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: '
                     "Required value: cannot be 0 when maxSurge is 0\n")
    _unchanged(cluster)


def test_selector_is_immutable(cluster):
    apply(cluster, ds_yaml())
    before = cluster("get ds agent -o yaml").out
    text = ds_yaml().replace("    matchLabels: {app: agent}\n", "    matchLabels: {app: agent, tier: z}\n").replace(
        "      labels: {app: agent}\n", "      labels: {app: agent, tier: z}\n")
    r = cluster(["apply", "-f", "-"], input=text)
    assert r.code == 1
    assert "spec.selector: Invalid value:" in r.err and "field is immutable" in r.err
    assert cluster("get ds agent -o yaml").out == before


NODE = """apiVersion: v1
kind: Node
metadata:
  name: extra
  labels: {kubernetes.io/hostname: extra, kubernetes.io/os: linux}
status:
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status}
  allocatable: {pods: "110"}
"""


def test_a_node_added_later_gets_its_pod_and_a_removed_one_loses_it(cluster):
    """The controller watches node creation (what `cluster node add` will use)."""
    apply(cluster, ds_yaml())
    r = cluster(["apply", "-f", "-"], input=NODE)
    assert r.code == 0, r
    pods = ds_pods(cluster)
    assert nodes_of(pods) == ["extra", *WORKERS]
    assert jget(cluster, "get ds agent")["status"]["desiredNumberScheduled"] == 3
    assert cluster("delete node extra").code == 0
    assert nodes_of(ds_pods(cluster)) == WORKERS
    assert jget(cluster, "get ds agent")["status"]["desiredNumberScheduled"] == 2


def test_a_no_execute_taint_evicts_the_daemon_pod_and_it_is_not_recreated(cluster):
    """The taint-eviction-controller deletes it; NodeShouldRunDaemonPod then says neither
    shouldRun nor shouldContinueRunning for that node."""
    apply(cluster, ds_yaml())
    assert cluster("taint node minikctl-worker2 evict=yes:NoExecute").code == 0
    assert nodes_of(ds_pods(cluster)) == ["minikctl-worker"]
    st = jget(cluster, "get ds agent")["status"]
    assert (st["desiredNumberScheduled"], st["currentNumberScheduled"], st["numberMisscheduled"]) == (1, 1, 0)
    assert cluster("taint node minikctl-worker2 evict-").code == 0
    assert nodes_of(ds_pods(cluster)) == WORKERS


def test_rolling_update_with_max_surge_keeps_every_node_available(cluster):
    """update.go, the maxSurge branch: the new pod starts next to the old one, which goes
    once the new one is available (minReadySeconds on the cluster clock)."""
    spec_extra = ("  minReadySeconds: 10\n  updateStrategy:\n    type: RollingUpdate\n"
                  "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n")
    apply(cluster, ds_yaml(spec_extra=spec_extra, pod_extra=CP_TOLERATION))
    assert cluster("clock advance 10s").code == 0
    apply(cluster, ds_yaml(spec_extra=spec_extra, pod_extra=CP_TOLERATION, image="busybox:1.37"))

    def state():
        pods = ds_pods(cluster)
        return sorted(p["metadata"]["labels"]["pod-template-generation"] for p in pods), len(pods)

    assert state() == (["1", "1", "1", "2"], 4)
    assert jget(cluster, "get ds agent")["status"]["numberAvailable"] == 3
    assert cluster("clock advance 10s").code == 0
    assert state() == (["1", "1", "2", "2"], 4)
    assert jget(cluster, "get ds agent")["status"]["numberAvailable"] == 3
    assert cluster("clock advance 10s").code == 0
    assert state() == (["1", "2", "2", "2"], 4)
    assert cluster("clock advance 10s").code == 0
    assert state() == (["2", "2", "2"], 3)
    assert nodes_of(ds_pods(cluster)) == ALL_NODES
