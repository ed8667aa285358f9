"""The scheduler and the simulated kubelet, through the CLI.

kube-scheduler (pkg/scheduler/schedule_one.go, framework FitError), the kubelet's pod
status and events (pkg/kubelet/kubelet_pods.go, kuberuntime_container.go,
images/image_manager.go) and host-local pod IPs from each node's podCIDR.
"""

from __future__ import annotations

import ipaddress
import json
import re

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
{extra}  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
"""


def pod_yaml(name: str, extra: str = "") -> str:
    return POD.format(name=name, extra=extra)


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def events_for(mk, name: str, ns: str = "default") -> list[dict]:
    items = jget(mk, f"get events -n {ns}")["items"]
    return [e for e in items if e["involvedObject"]["name"] == name]


def test_pods_spread_over_the_workers_never_the_tainted_control_plane(cluster):
    r = cluster("create deployment web --image=nginx --replicas=6")
    assert r.code == 0, r
    pods = jget(cluster, "get pods")["items"]
    nodes = sorted(p["spec"]["nodeName"] for p in pods)
    # the control-plane node is tainted NoSchedule (3-node cluster); 6 pods go 3 + 3 minus the ingress controller
    assert "minikctl-control-plane" not in nodes
    assert set(nodes) == {"minikctl-worker", "minikctl-worker2"}
    counts = {n: nodes.count(n) for n in set(nodes)}
    assert abs(counts["minikctl-worker"] - counts["minikctl-worker2"]) <= 1


def test_scheduled_event_as_the_default_scheduler_records_it(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("one")).code == 0
    pod = jget(cluster, "get pod one")
    node = pod["spec"]["nodeName"]
    evs = events_for(cluster, "one")
    sched = [e for e in evs if e["reason"] == "Scheduled"]
    assert len(sched) == 1
    assert sched[0]["message"] == f"Successfully assigned default/one to {node}"
    assert sched[0]["source"] == {"component": "default-scheduler"}
    assert sched[0]["type"] == "Normal"
    cond = [c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled"][0]
    assert cond["status"] == "True"


def test_kubelet_events_pulling_pulled_created_started(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("one")).code == 0
    node = jget(cluster, "get pod one")["spec"]["nodeName"]
    evs = [e for e in events_for(cluster, "one") if e["source"]["component"] == "kubelet"]
    assert [e["reason"] for e in evs] == ["Pulling", "Pulled", "Created", "Started"]
    assert all(e["source"] == {"component": "kubelet", "host": node} for e in evs)
    assert evs[0]["message"] == 'Pulling image "nginx:1.27"'
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.27" in [0-9.]+m?s \([0-9.]+m?s including waiting\)\. '
                        r"Image size: \d+ bytes\.", evs[1]["message"]), evs[1]["message"]
    assert evs[2]["message"] == "Created container: web"
    assert evs[3]["message"] == "Started container web"
    # a second pod with the same IfNotPresent image on the same node finds it there
    extra = f"  nodeName: {node}\n"
    assert cluster(["apply", "-f", "-"], input=pod_yaml("two", extra)).code == 0
    msgs = [e["message"] for e in events_for(cluster, "two") if e["reason"] == "Pulled"]
    assert msgs == ['Container image "nginx:1.27" already present on machine']


def test_running_pod_status_like_the_kubelet_writes_it(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("one")).code == 0
    pod = jget(cluster, "get pod one")
    st = pod["status"]
    assert st["phase"] == "Running"
    assert [c["type"] for c in st["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" for c in st["conditions"])
    assert all("lastTransitionTime" in c for c in st["conditions"])
    node = jget(cluster, f"get node {pod['spec']['nodeName']}")
    internal = [a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP"][0]
    assert st["hostIP"] == internal and st["hostIPs"] == [{"ip": internal}]
    assert st["podIPs"] == [{"ip": st["podIP"]}]
    assert ipaddress.ip_address(st["podIP"]) in ipaddress.ip_network(node["spec"]["podCIDR"])
    assert st["startTime"]
    cs = st["containerStatuses"][0]
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", cs["containerID"])
    assert cs["image"] == "docker.io/library/nginx:1.27"
    assert re.fullmatch(r"docker\.io/library/nginx@sha256:[0-9a-f]{64}", cs["imageID"])
    assert (cs["ready"], cs["started"], cs["restartCount"]) == (True, True, 0)
    assert cs["state"]["running"]["startedAt"]
    r = cluster("get pod one")
    assert r.out.splitlines()[1].split()[1:3] == ["1/1", "Running"]


def test_pod_ips_come_from_the_node_cidr_from_2_up_and_are_not_reused_at_once(mk):
    assert mk("cluster create --clock manual --nodes 1").code == 0
    # one node: the control plane is not tainted, everything runs there (10.244.0.0/24)
    ips = []
    for i in range(3):
        assert mk(["apply", "-f", "-"], input=pod_yaml(f"p{i}")).code == 0
        ips.append(jget(mk, f"get pod p{i}")["status"]["podIP"])
    used = {p["status"]["podIP"] for p in jget(mk, "get pods -A")["items"]}
    assert all(ip.startswith("10.244.0.") for ip in used)
    assert not {"10.244.0.0", "10.244.0.1", "10.244.0.255"} & used
    assert min(int(ip.rsplit(".", 1)[1]) for ip in used) == 2
    # host-local hands out addresses round-robin: a deleted pod's replacement gets a new IP
    assert mk("delete pod p2").code == 0
    assert mk(["apply", "-f", "-"], input=pod_yaml("p2")).code == 0
    assert jget(mk, "get pod p2")["status"]["podIP"] != ips[2]
    assert mk("cluster check").code == 0


def test_pod_ip_released_on_delete(cluster):
    assert cluster(["apply", "-f", "-"], input=pod_yaml("one")).code == 0
    assert cluster("delete pod one").code == 0
    r = cluster("cluster check")
    assert r.code == 0, r


def test_node_selector_matching_no_node_fails_scheduling_with_kube_schedulers_message(cluster):
    extra = "  nodeSelector: {disk: ssd}\n"
    assert cluster(["apply", "-f", "-"], input=pod_yaml("picky", extra)).code == 0
    pod = jget(cluster, "get pod picky")
    assert "nodeName" not in pod["spec"]
    assert pod["status"]["phase"] == "Pending"
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
           "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: "
           "3 Preemption is not helpful for scheduling.")
    cond = pod["status"]["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"], cond["message"]) == ("PodScheduled", "False", "Unschedulable", msg)
    evs = [e for e in events_for(cluster, "picky") if e["reason"] == "FailedScheduling"]
    assert evs and evs[0]["type"] == "Warning" and evs[0]["message"] == msg
    assert evs[0]["source"] == {"component": "default-scheduler"}
    r = cluster("get pod picky")
    assert r.out.splitlines()[1].split()[1:3] == ["0/1", "Pending"]


def test_pending_pod_is_scheduled_when_a_node_gets_the_label(cluster):
    extra = "  nodeSelector: {disk: ssd}\n"
    assert cluster(["apply", "-f", "-"], input=pod_yaml("picky", extra)).code == 0
    node = jget(cluster, "get node minikctl-worker2")
    node["metadata"]["labels"]["disk"] = "ssd"
    r = cluster(["replace", "-f", "-"], input=json.dumps(node))
    assert r.code == 0, r
    pod = jget(cluster, "get pod picky")
    assert pod["spec"]["nodeName"] == "minikctl-worker2"
    assert pod["status"]["phase"] == "Running"


def test_toleration_and_node_selector_put_a_pod_on_the_control_plane(cluster):
    extra = ("  nodeSelector: {node-role.kubernetes.io/control-plane: ''}\n"
             "  tolerations:\n  - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n")
    assert cluster(["apply", "-f", "-"], input=pod_yaml("cp", extra)).code == 0
    assert jget(cluster, "get pod cp")["spec"]["nodeName"] == "minikctl-control-plane"


def test_node_name_given_by_the_user_bypasses_the_scheduler(cluster):
    extra = "  nodeName: minikctl-control-plane\n"
    assert cluster(["apply", "-f", "-"], input=pod_yaml("pinned", extra)).code == 0
    pod = jget(cluster, "get pod pinned")
    assert pod["spec"]["nodeName"] == "minikctl-control-plane"  # taints do not apply: no scheduler involved
    assert pod["status"]["phase"] == "Running"
    assert not [e for e in events_for(cluster, "pinned") if e["reason"] == "Scheduled"]


def test_pod_bound_to_a_missing_node_stays_pending(cluster):
    extra = "  nodeName: nowhere\n"
    assert cluster(["apply", "-f", "-"], input=pod_yaml("lost", extra)).code == 0
    pod = jget(cluster, "get pod lost")
    assert pod["status"]["phase"] == "Pending" and "podIP" not in pod["status"]


def test_cordoned_node_gets_no_new_pods(cluster):
    node = jget(cluster, "get node minikctl-worker")
    node["spec"]["unschedulable"] = True
    assert cluster(["replace", "-f", "-"], input=json.dumps(node)).code == 0
    assert cluster("create deployment web --image=nginx --replicas=4").code == 0
    assert {p["spec"]["nodeName"] for p in jget(cluster, "get pods")["items"]} == {"minikctl-worker2"}


def test_deleted_node_takes_its_pods_and_the_replica_set_replaces_them(cluster):
    assert cluster("create deployment web --image=nginx --replicas=4").code == 0
    assert cluster("delete node minikctl-worker").code == 0
    pods = jget(cluster, "get pods")["items"]
    assert len(pods) == 4
    assert {p["spec"]["nodeName"] for p in pods} == {"minikctl-worker2"}


def test_readiness_probe_starts_the_container_not_ready(cluster):
    extra = ""
    text = pod_yaml("slow", extra) + "    readinessProbe:\n      httpGet: {path: /, port: 80}\n      initialDelaySeconds: 30\n"
    assert cluster(["apply", "-f", "-"], input=text).code == 0
    st = jget(cluster, "get pod slow")["status"]
    cs = st["containerStatuses"][0]
    assert (cs["ready"], cs["started"]) == (False, True)
    ready = {c["type"]: c for c in st["conditions"]}
    assert ready["Ready"]["status"] == "False"
    assert ready["Ready"]["reason"] == "ContainersNotReady"
    assert ready["Ready"]["message"] == "containers with unready status: [web]"
    assert ready["ContainersReady"]["status"] == "False"
    assert st["phase"] == "Running"
    assert cluster("get pod slow").out.splitlines()[1].split()[1:3] == ["0/1", "Running"]


def test_busybox_without_a_command_crash_loops_on_the_cluster_clock(cluster):
    r = cluster("run bb --image=busybox")
    assert r.code == 0, r
    cs = jget(cluster, "get pod bb")["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert cs["state"]["waiting"]["message"].startswith("back-off 10s restarting failed container=bb pod=bb_default(")
    assert cs["lastState"]["terminated"]["reason"] == "Completed"
    assert cs["restartCount"] == 1
    assert cluster("clock advance 11s").code == 0
    cs = jget(cluster, "get pod bb")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 2
    assert "back-off 20s" in cs["state"]["waiting"]["message"]
    assert [e for e in events_for(cluster, "bb") if e["reason"] == "BackOff"][0]["type"] == "Warning"


def test_restart_never_pod_that_exits_is_completed_and_frees_its_ip(cluster):
    r = cluster("run once --image=busybox --restart=Never -- true")
    assert r.code == 0, r
    pod = jget(cluster, "get pod once")
    assert pod["status"]["phase"] == "Succeeded"
    assert cluster("get pod once").out.splitlines()[1].split()[2] == "Completed"
    ready = {c["type"]: c for c in pod["status"]["conditions"]}["Ready"]
    assert (ready["status"], ready["reason"]) == ("False", "PodCompleted")
    assert cluster("cluster check").code == 0
    r = cluster("run fails --image=busybox --restart=Never -- false")
    assert jget(cluster, "get pod fails")["status"]["phase"] == "Failed"


def test_missing_configmap_is_a_create_container_config_error(cluster):
    text = pod_yaml("cfg") + "    env:\n    - name: X\n      valueFrom: {configMapKeyRef: {name: nope, key: k}}\n"
    assert cluster(["apply", "-f", "-"], input=text).code == 0
    cs = jget(cluster, "get pod cfg")["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"] == {"message": 'configmap "nope" not found', "reason": "CreateContainerConfigError"}
    failed = [e for e in events_for(cluster, "cfg") if e["reason"] == "Failed"]
    assert failed[0]["message"] == 'Error: configmap "nope" not found'


def test_a_node_runs_at_most_its_allocatable_pods(mk):
    assert mk("cluster create --clock manual --nodes 2").code == 0
    # one worker (110 pods, some taken by system pods) for a deployment of 112
    others = [p for p in jget(mk, "get pods -A")["items"] if p["spec"].get("nodeName") == "minikctl-worker"]
    assert mk("create deployment big --image=nginx --replicas=112").code == 0
    pods = jget(mk, "get pods -l app=big")["items"]
    pending = [p for p in pods if p["status"]["phase"] == "Pending"]
    assert len(pods) == 112 and len(pending) == 112 - (110 - len(others))
    msg = pending[0]["status"]["conditions"][0]["message"]
    assert msg == ("0/2 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint "
                   "{node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: "
                   "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.")
    assert mk("scale deployment big --replicas=100").code == 0
    assert all(p["status"]["phase"] == "Running" for p in jget(mk, "get pods -l app=big")["items"])


def test_a_waiting_pod_gets_the_room_a_deleted_pod_leaves(mk):
    assert mk("cluster create --clock manual --nodes 2").code == 0
    others = [p for p in jget(mk, "get pods -A")["items"] if p["spec"].get("nodeName") == "minikctl-worker"]
    room = 110 - len(others)
    assert mk(f"create deployment big --image=nginx --replicas={room}").code == 0
    assert mk("run late --image=nginx").code == 0
    assert jget(mk, "get pod late")["status"]["phase"] == "Pending"
    victim = jget(mk, "get pods -l app=big")["items"][0]["metadata"]["name"]
    assert mk(f"delete pod {victim}").code == 0  # its replacement and "late" compete for the slot
    pending = [p["metadata"]["name"] for p in jget(mk, "get pods")["items"] if p["status"]["phase"] == "Pending"]
    assert len(pending) == 1
