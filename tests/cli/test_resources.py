"""Compute resources through the CLI: node capacity, NodeResourcesFit, QoS, OOM kills, top.

- Nodes report capacity = allocatable as kind's kubelet does (cluster create --node-cpu/--node-memory).
- kube-scheduler 1.32 fits requests (noderesources/fit.go fitsRequest; FitError.Error in
  framework/types.go; DefaultPreemption's PostFilter message, framework/preemption).
- status.qosClass is GetPodQOS (pkg/apis/core/helper/qos); limits alone default the requests.
- A container over its memory limit is OOMKilled (exit 137) and restarts with back-off.
- top pod / top node print metrics-server's view as kubectl 1.32 (metricsutil/metrics_printer.go).
- Bad resources are refused with kube-apiserver's messages, the store unchanged.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import store_snapshot

TAINT = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
POD = """apiVersion: v1
kind: Pod
metadata: {{name: {name}, labels: {{app: {app}}}}}
spec:
  restartPolicy: {policy}
{init}  containers:
  - name: c
    image: {image}
{command}    resources: {resources}
"""


def pod(name, resources="{}", image="nginx", app="demo", policy="Always", init="", command=""):
    return POD.format(name=name, resources=resources, image=image, app=app, policy=policy, init=init, command=command)


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def apply(mk, text: str):
    r = mk(["apply", "-f", "-"], input=text)
    assert r.code == 0, r
    return r


@pytest.fixture
def small(mk):
    """3 nodes of 2 CPUs and 4Gi: the control plane (tainted) and two workers."""
    r = mk("cluster create --clock manual --node-cpu 2 --node-memory 4Gi")
    assert r.code == 0, r
    return mk


def unschedulable(mk, name: str) -> str:
    p = jget(mk, f"get pod {name}")
    assert p["status"]["phase"] == "Pending" and "nodeName" not in p["spec"]
    cond = next(c for c in p["status"]["conditions"] if c["type"] == "PodScheduled")
    assert (cond["status"], cond["reason"]) == ("False", "Unschedulable")
    return cond["message"]


# --------------------------------------------------------------------- nodes
KIND_RESOURCES = {"cpu": "8", "ephemeral-storage": "263174212Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                  "memory": "32827164Ki", "pods": "110"}


def test_nodes_report_kind_like_capacity_and_allocatable_by_default(cluster):
    for node in jget(cluster, "get nodes")["items"]:
        assert node["status"]["capacity"] == KIND_RESOURCES
        assert node["status"]["allocatable"] == KIND_RESOURCES


def test_cluster_create_sets_node_cpu_and_memory(small):
    want = {**KIND_RESOURCES, "cpu": "2", "memory": "4Gi"}
    node = jget(small, "get node minikctl-worker")
    assert node["status"]["capacity"] == want and node["status"]["allocatable"] == want
    out = small("describe node minikctl-worker").out
    assert "Capacity:\n  cpu:                2\n  ephemeral-storage:  263174212Ki\n  hugepages-1Gi:      0\n" \
           "  hugepages-2Mi:      0\n  memory:             4Gi\n  pods:               110\nAllocatable:\n" in out


def test_cluster_info_shows_the_node_size(small):
    assert "Node resources:     2 CPU, 4Gi memory, 110 pods each (capacity = allocatable)\n" in small("cluster info").out


def test_node_memory_in_decimal_units_is_reported_in_bytes_as_the_kubelet_does(mk):
    assert mk("cluster create --clock manual --node-memory 4G").code == 0
    assert jget(mk, "get node minikctl-worker")["status"]["capacity"]["memory"] == "3906250Ki"


@pytest.mark.parametrize("flags,err", [
    ("--node-memory 1x", "error: invalid argument \"1x\" for \"--node-memory\" flag: quantities must match the regular "
                         "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"),
    ("--node-memory 1Mi", 'error: invalid --node-memory "1Mi": must be between 64Mi and 1Pi\n'),
    ("--node-cpu two", 'error: invalid argument "two" for "--node-cpu" flag: must be a whole number of CPUs\n'),
    ("--node-cpu 0", "error: --node-cpu must be between 1 and 1024\n"),
])
def test_bad_node_resources_create_no_cluster(mk, state, flags, err):
    r = mk(f"cluster create --clock manual {flags}")
    assert (r.code, r.out, r.err) == (1, "", err)
    assert mk("cluster create --clock manual").code == 0  # nothing was left behind


# ----------------------------------------------------------------- scheduling
def test_a_pod_that_fits_nowhere_stays_pending_with_the_schedulers_message(small):
    for n in ("a", "b", "c"):
        apply(small, pod(n, "{requests: {cpu: 1500m}}"))
    nodes = {jget(small, f"get pod {n}")["spec"].get("nodeName") for n in ("a", "b")}
    assert nodes == {"minikctl-worker", "minikctl-worker2"}
    msg = (f"0/3 nodes are available: {TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: "
           "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")
    assert unschedulable(small, "c") == msg
    ev = [e for e in jget(small, "get events")["items"]
          if e["involvedObject"]["name"] == "c" and e["reason"] == "FailedScheduling"]
    assert [(e["type"], e["message"], e["source"]) for e in ev] == [("Warning", msg, {"component": "default-scheduler"})]
    r = small("get pod c")
    assert r.out.splitlines()[1].split()[1:3] == ["0/1", "Pending"]


def test_every_insufficient_resource_is_counted_per_node(small):
    apply(small, pod("huge", "{requests: {cpu: 3, memory: 5Gi, ephemeral-storage: 1Ti, hugepages-2Mi: 2Mi}}"))
    assert unschedulable(small, "huge") == (
        f"0/3 nodes are available: {TAINT}, 2 Insufficient cpu, 2 Insufficient ephemeral-storage, "
        "2 Insufficient hugepages-2Mi, 2 Insufficient memory. preemption: 0/3 nodes are available: "
        "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")


def test_an_extended_resource_no_node_has_is_insufficient(small):
    apply(small, pod("gpu", "{limits: {example.com/gpu: 1}}"))
    assert "2 Insufficient example.com/gpu." in unschedulable(small, "gpu")


def test_preemption_policy_never_is_not_eligible(small):
    # the Priority admission plugin sets preemptionPolicy from the pod's class (a pod may not
    # state another one: tests/cli/test_priority.py), so Never comes from a class
    assert small("create priorityclass never --value=0 --preemption-policy=Never").code == 0
    text = pod("np", "{requests: {memory: 8Gi}}").replace("spec:\n", "spec:\n  priorityClassName: never\n")
    apply(small, text)
    assert unschedulable(small, "np") == (f"0/3 nodes are available: {TAINT}, 2 Insufficient memory. "
                                          "preemption: not eligible due to preemptionPolicy=Never.")


def test_requests_of_a_deleted_pod_make_room_for_a_waiting_one(small):
    for n in ("a", "b", "c"):
        apply(small, pod(n, "{requests: {cpu: 1500m}}"))
    node_a = jget(small, "get pod a")["spec"]["nodeName"]
    assert small("delete pod a").code == 0
    p = jget(small, "get pod c")
    assert p["spec"]["nodeName"] == node_a and p["status"]["phase"] == "Running"


def test_waiting_pods_share_the_room_a_pod_leaves(small):
    for n in ("a", "b"):
        apply(small, pod(n, "{requests: {cpu: 1500m}}"))
    for n in ("c", "d"):
        apply(small, pod(n, "{requests: {cpu: 700m}}"))
        assert "2 Insufficient cpu." in unschedulable(small, n)
    node_a = jget(small, "get pod a")["spec"]["nodeName"]
    assert small("delete pod a").code == 0  # 1500m free on that worker: both fit there
    assert {jget(small, f"get pod {n}")["spec"].get("nodeName") for n in ("c", "d")} == {node_a}


def test_a_completed_pod_no_longer_holds_its_requests(small):
    done = pod("{n}", "{requests: {cpu: 1500m}}", image="busybox", policy="Never",
               command="    command: [\"true\"]\n")
    for n in ("d1", "d2"):
        apply(small, done.replace("{n}", n))
        assert jget(small, f"get pod {n}")["status"]["phase"] == "Succeeded"
    for n in ("a", "b"):  # both workers have room again
        apply(small, pod(n, "{requests: {cpu: 1500m}}"))
        assert jget(small, f"get pod {n}")["status"]["phase"] == "Running"


def test_init_containers_count_by_the_max_rule(small):
    init = ("  initContainers:\n  - name: init\n    image: busybox\n    command: [\"true\"]\n"
            "    resources: {requests: {cpu: 2500m}}\n")
    apply(small, pod("i", "{requests: {cpu: 100m}}", init=init))
    assert "2 Insufficient cpu." in unschedulable(small, "i")
    # a restartable (sidecar) init container adds to the containers' sum
    side = ("  initContainers:\n  - name: side\n    image: nginx\n    restartPolicy: Always\n"
            "    resources: {requests: {cpu: 1}}\n")
    apply(small, pod("s", "{requests: {cpu: 1500m}}", init=side))
    assert "2 Insufficient cpu." in unschedulable(small, "s")


def test_a_node_set_by_the_user_counts_its_requests(small):
    text = pod("pinned", "{requests: {cpu: 1500m}}").replace("spec:\n", "spec:\n  nodeName: minikctl-worker\n")
    apply(small, text)
    apply(small, pod("a", "{requests: {cpu: 1500m}}"))
    assert jget(small, "get pod a")["spec"]["nodeName"] == "minikctl-worker2"


def test_requests_survive_across_commands_and_a_pod_spread_deployment(small):
    r = small("create deployment web --image=nginx --replicas=5")
    assert r.code == 0
    r = small(["set", "resources", "deployment", "web", "--requests=cpu=700m"])
    if r.code != 0:  # `set resources` may not exist: patch the template instead
        patch = {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "resources": {"requests": {"cpu": "700m"}}}]}}}}
        assert small(["patch", "deployment", "web", "-p", json.dumps(patch)]).code == 0
    pods = [p for p in jget(small, "get pods -l app=web")["items"] if p["metadata"].get("deletionTimestamp") is None
            and p["spec"]["containers"][0].get("resources", {}).get("requests")]
    running = [p for p in pods if p["status"]["phase"] == "Running"]
    assert len(running) <= 4  # 2 workers x 2 pods of 700m on 2 CPUs
    assert small("cluster check").code == 0


def test_the_kubelet_rejects_a_pod_bound_by_hand_past_what_the_node_has_left(small):
    pinned = pod("{n}", "{requests: {cpu: 1500m}}").replace("spec:\n", "spec:\n  nodeName: minikctl-worker\n")
    apply(small, pinned.replace("{n}", "p1"))
    apply(small, pinned.replace("{n}", "p2"))  # CoreDNS (100m) and p1 leave 400m
    p = jget(small, "get pod p2")
    message = "Node didn't have enough resource: cpu, requested: 1500, used: 1600, capacity: 2000"
    assert {k: p["status"].get(k) for k in ("phase", "reason", "message")} == {
        "phase": "Failed", "reason": "OutOfcpu", "message": "Pod was rejected: " + message}
    assert small("get pod p2").out.splitlines()[1].split()[1:3] == ["0/1", "OutOfcpu"]
    ev = [e for e in jget(small, "get events")["items"] if e["involvedObject"]["name"] == "p2"]
    assert [(e["type"], e["reason"], e["message"]) for e in ev] == [("Warning", "OutOfcpu", message)]
    # the rejected pod holds nothing: the other worker's room is untouched and p1's stays counted
    apply(small, pod("a", "{requests: {cpu: 1500m}}"))
    assert jget(small, "get pod a")["spec"]["nodeName"] == "minikctl-worker2"


# ------------------------------------------------------------------ describe
def test_describe_node_shows_the_pods_requests_and_the_allocated_resources(small):
    text = pod("r", "{requests: {cpu: 500m, memory: 128Mi}, limits: {cpu: 1, memory: 256Mi}}") \
        .replace("spec:\n", "spec:\n  nodeName: minikctl-worker\n")
    apply(small, text)
    out = small("describe node minikctl-worker").out
    rows = {ln.split()[1]: ln.split() for ln in out.split("Non-terminated Pods:")[1].split("Allocated resources:")[0]
            .splitlines()[3:] if ln.strip()}
    assert rows["r"][:10] == ["default", "r", "500m", "(25%)", "1", "(50%)", "128Mi", "(3%)", "256Mi", "(6%)"]
    alloc = out.split("Allocated resources:\n")[1].split("Events:")[0].splitlines()
    assert [a.split() for a in alloc] == [
        ["(Total", "limits", "may", "be", "over", "100", "percent,", "i.e.,", "overcommitted.)"],
        ["Resource", "Requests", "Limits"], ["--------", "--------", "------"],
        # with the CoreDNS pod the scheduler put there (kubeadm's requests: cpu 100m, memory 70Mi; limit 170Mi)
        ["cpu", "600m", "(30%)", "1", "(50%)"], ["memory", "198Mi", "(4%)", "426Mi", "(10%)"],
        ["ephemeral-storage", "0", "(0%)", "0", "(0%)"], ["hugepages-1Gi", "0", "(0%)", "0", "(0%)"],
        ["hugepages-2Mi", "0", "(0%)", "0", "(0%)"]]


# ----------------------------------------------------------------------- QoS
@pytest.mark.parametrize("resources,qos", [
    ("{}", "BestEffort"),
    ("{requests: {cpu: 100m}}", "Burstable"),
    ("{requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 64Mi}}", "Burstable"),
    ("{requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}", "Guaranteed"),
    ("{limits: {cpu: 100m, memory: 64Mi}}", "Guaranteed"),  # requests default to the limits
    ("{limits: {memory: 64Mi}}", "Burstable"),
])
def test_qos_class_in_status_and_describe(cluster, resources, qos):
    apply(cluster, pod("q", resources))
    p = jget(cluster, "get pod q")
    assert p["status"]["qosClass"] == qos
    assert f"QoS Class:                   {qos}\n" in cluster("describe pod q").out


def test_limits_alone_default_the_requests(cluster):
    apply(cluster, pod("q", "{limits: {cpu: 100m, memory: 64Mi}}"))
    res = jget(cluster, "get pod q")["spec"]["containers"][0]["resources"]
    assert res == {"limits": {"cpu": "100m", "memory": "64Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}}


# ----------------------------------------------------------------- OOM kills
MEMORY_DEMO_2 = """apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
"""
MEMORY_DEMO = MEMORY_DEMO_2.replace("memory-demo-2", "memory-demo").replace('"50Mi"', '"100Mi"') \
    .replace('"100Mi"\n    command', '"200Mi"\n    command').replace("250M", "150M")
CPU_DEMO = """apiVersion: v1
kind: Pod
metadata:
  name: cpu-demo
  namespace: cpu-example
spec:
  containers:
  - name: cpu-demo-ctr
    image: vish/stress
    resources:
      limits:
        cpu: "1"
      requests:
        cpu: "0.5"
    args:
    - -cpus
    - "2"
"""


def test_docs_memory_over_its_limit_is_oom_killed_and_restarted_with_back_off(cluster):
    assert cluster("create namespace mem-example").code == 0
    apply(cluster, MEMORY_DEMO_2)
    st = jget(cluster, "get pod memory-demo-2 -n mem-example")["status"]["containerStatuses"][0]
    term = st["lastState"]["terminated"]
    assert (term["reason"], term["exitCode"]) == ("OOMKilled", 137)
    assert st["state"]["waiting"]["reason"] == "CrashLoopBackOff" and st["restartCount"] == 1
    assert cluster("clock advance 10s").code == 0
    r = cluster("get pod memory-demo-2 -n mem-example")
    assert r.out.splitlines()[1].split()[1:4] == ["0/1", "CrashLoopBackOff", "2"]
    out = cluster("describe pod memory-demo-2 -n mem-example").out
    assert "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n" in out


def test_docs_memory_under_its_limit_runs(cluster):
    assert cluster("create namespace mem-example").code == 0
    apply(cluster, MEMORY_DEMO)
    p = jget(cluster, "get pod memory-demo -n mem-example")
    assert p["status"]["phase"] == "Running" and p["status"]["containerStatuses"][0]["restartCount"] == 0


def test_oom_killed_with_restart_policy_never_fails_the_pod(cluster):
    assert cluster("create namespace mem-example").code == 0
    apply(cluster, MEMORY_DEMO_2.replace("spec:\n", "spec:\n  restartPolicy: Never\n"))
    p = jget(cluster, "get pod memory-demo-2 -n mem-example")
    assert p["status"]["phase"] == "Failed"
    assert p["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "OOMKilled"
    r = cluster("get pod memory-demo-2 -n mem-example")
    assert r.out.splitlines()[1].split()[1:4] == ["0/1", "OOMKilled", "0"]


# ----------------------------------------------------------------------- top
def test_top_before_metrics_server_scraped_the_pods(cluster):
    apply(cluster, pod("w"))
    r = cluster("top pods")
    assert (r.code, r.out, r.err) == (1, "", "error: metrics not available yet\n")
    r = cluster("top pod nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n')
    r = cluster("top pods -n kube-public")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in kube-public namespace.\n")


def test_top_pods_prints_the_simulated_usage(cluster):
    assert cluster("create namespace mem-example").code == 0
    assert cluster("create namespace cpu-example").code == 0
    apply(cluster, MEMORY_DEMO)
    apply(cluster, CPU_DEMO)
    apply(cluster, pod("web", app="web"))
    assert cluster("clock advance 15s").code == 0
    assert cluster("top pod -n mem-example").out == (
        "NAME          CPU(cores)   MEMORY(bytes)   \n"
        "memory-demo   50m          151Mi           \n")
    # vish/stress -cpus 2 uses what its CPU limit of 1 allows
    assert cluster("top pod cpu-demo -n cpu-example --no-headers").out == "cpu-demo   1000m   1Mi   \n"
    assert cluster("top pods -l app=web --containers").out == (
        "POD   NAME   CPU(cores)   MEMORY(bytes)   \n"
        "web   c      1m           3Mi             \n")
    out = cluster("top pods -A --sort-by=memory").out.splitlines()
    assert out[0].split() == ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert [ln.split()[1] for ln in out[1:3]] == ["memory-demo", next(
        ln.split()[1] for ln in out if ln.startswith("ingress-nginx"))]
    cpu = cluster("top pods -A --sort-by=cpu --no-headers").out.splitlines()
    assert cpu[0].split()[:3] == ["cpu-example", "cpu-demo", "1000m"]
    r = cluster("top pods --sort-by=disk")
    assert (r.code, r.err) == (1, "error: --sort-by accepts only cpu or memory\n")


def test_top_nodes_with_percentages_of_allocatable(small):
    apply(small, pod("r", "{requests: {cpu: 500m}}").replace("spec:\n", "spec:\n  nodeName: minikctl-worker2\n"))
    assert small("clock advance 15s").code == 0
    out = small("top nodes").out.splitlines()
    assert out[0] == "NAME                     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   "
    rows = {ln.split()[0]: ln.split()[1:] for ln in out[1:]}
    # a worker's daemons (18m, 170Mi) + nginx (1m, 3Mi) + what else runs there
    assert rows["minikctl-worker2"][0].endswith("m") and rows["minikctl-worker2"][2].endswith("Mi")
    used = int(rows["minikctl-worker2"][0][:-1])
    assert rows["minikctl-worker2"][1] == f"{used * 100 // 2000}%"
    assert small("top nodes --sort-by=cpu --no-headers").out.splitlines()[0].startswith("minikctl-control-plane")
    r = small("top node nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): nodemetrics.metrics.k8s.io "nope" not found\n')


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("resources,err", [
    ("{limits: {memory: \"-1\"}}",
     'The Pod "bad" is invalid: \n'
     '* spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0\n'
     '* spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0\n'),
    ("{requests: {cpu: 2}, limits: {cpu: 1}}",
     'The Pod "bad" is invalid: spec.containers[0].resources.requests: Invalid value: "2": '
     "must be less than or equal to cpu limit of 1\n"),
    ("{limits: {cpu: 1x}}",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: '
     "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
])
def test_bad_resources_are_refused_and_nothing_changes(cluster, state, resources, err):
    before = store_snapshot(state)
    r = cluster(["apply", "-f", "-"], input=pod("bad", resources))
    assert r.code == 1 and r.out == ""
    assert r.err.startswith(err)
    assert store_snapshot(state) == before
