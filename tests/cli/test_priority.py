"""PriorityClass, the Priority admission plugin and scheduler preemption (issue 11).

Sources (Kubernetes 1.32): pkg/apis/scheduling (system classes, validation),
plugin/pkg/admission/priority/admission.go, pkg/registry/scheduling/priorityclass/storage
(system classes cannot be deleted), pkg/printers/internalversion printPriorityClass, kubectl
describe.go describePriorityClass and create_priorityclass.go, pkg/scheduler/framework/
plugins/defaultpreemption and framework/preemption (victims, DisruptionTarget, Preempted).
"""

from __future__ import annotations

import json

import pytest


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
{extra}  containers:
  - name: c
    image: nginx
{resources}"""


def pod(name: str, extra: str = "", cpu: str | None = None) -> str:
    res = f"    resources: {{requests: {{cpu: {cpu}}}}}\n" if cpu else ""
    return POD.format(name=name, extra=extra, resources=res)


# ------------------------------------------------------------------- classes
def test_system_classes_and_get_columns(cluster):
    mk = cluster
    assert mk("get pc").lines == [
        "NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY",
        "system-cluster-critical   2000000000   false            0s    PreemptLowerPriority",
        "system-node-critical      2000001000   false            0s    PreemptLowerPriority",
    ]
    assert mk("get priorityclasses -o name").out == ("priorityclass.scheduling.k8s.io/system-cluster-critical\n"
                                                     "priorityclass.scheduling.k8s.io/system-node-critical\n")
    r = mk("delete pc system-node-critical")
    assert (r.code, r.err) == (1, 'Error from server (Forbidden): priorityclasses.scheduling.k8s.io '
                                  '"system-node-critical" is forbidden: this is a system priority class and '
                                  "cannot be deleted\n")
    coredns = jget(mk, "get pods -n kube-system -l k8s-app=kube-dns")["items"][0]["spec"]
    assert (coredns["priorityClassName"], coredns["priority"], coredns["preemptionPolicy"]) == (
        "system-cluster-critical", 2000000000, "PreemptLowerPriority")


def test_create_priorityclass_generator_matches_kubectl(cluster):
    mk = cluster
    # kubectl 1.32 create priorityclass high --value=1000 --global-default --description=hi
    #   --preemption-policy=Never --dry-run=client -o yaml
    r = mk("create priorityclass high --value=1000 --global-default --description=hi --preemption-policy=Never "
           "--dry-run=client -o yaml")
    assert r.out == ("apiVersion: scheduling.k8s.io/v1\ndescription: hi\nglobalDefault: true\nkind: PriorityClass\n"
                     "metadata:\n  creationTimestamp: null\n  name: high\npreemptionPolicy: Never\nvalue: 1000\n")
    assert mk("create pc low --value=10 --dry-run=client -o yaml").out == (
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  creationTimestamp: null\n  name: low\n"
        "preemptionPolicy: PreemptLowerPriority\nvalue: 10\n")
    assert mk("create priorityclass high --value=1000 --description='for important pods'").out == (
        "priorityclass.scheduling.k8s.io/high created\n")
    assert mk("describe pc high").out == (
        "Name:              high\n"
        "Value:             1000\n"
        "GlobalDefault:     false\n"
        "PreemptionPolicy:  PreemptLowerPriority\n"
        "Description:       for important pods\n"
        "Annotations:       <none>\n"
        "Events:            <none>\n")


def test_priority_class_validation_and_one_global_default(cluster):
    mk = cluster
    cases = {
        "create pc system-x --value=5":
            'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "system-x" is invalid: '
            "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
            "error: system-x is not a known system priority class\n",
        "create pc big --value=2000000000":
            'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "big" is invalid: value: '
            "Forbidden: maximum allowed value of a user defined priority is 1000000000\n",
        "create pc x --preemption-policy=Foo":
            'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "x" is invalid: '
            'preemptionPolicy: Unsupported value: "Foo": supported values: "Never", "PreemptLowerPriority"\n',
    }
    for cmd, err in cases.items():
        r = mk(cmd)
        assert (r.code, r.out, r.err) == (1, "", err), cmd
    assert mk("create pc a --value=1 --global-default").code == 0
    before = mk("get pc -o yaml").out
    r = mk("create pc b --value=2 --global-default")
    assert r.err == ('error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "b" is forbidden: '
                     "PriorityClass a is already marked as default. Only one default can exist\n")
    assert mk("get pc -o yaml").out == before
    r = mk("patch pc a -p '{\"value\":5}'")
    assert r.err == 'The PriorityClass "a" is invalid: value: Forbidden: may not be changed in an update.\n'
    r = mk("patch pc a -p '{\"preemptionPolicy\":\"Never\"}'")
    assert r.err == 'The PriorityClass "a" is invalid: preemptionPolicy: Invalid value: "Never": field is immutable\n'
    assert mk("get pc -o yaml").out == before


# ----------------------------------------------------------------- admission
def test_pods_get_their_priority_from_the_class(cluster):
    mk = cluster
    mk("create priorityclass high --value=1000")
    assert mk("apply -f -", input=pod("p", "  priorityClassName: high\n")).code == 0
    spec = jget(mk, "get pod p")["spec"]
    assert (spec["priority"], spec["preemptionPolicy"]) == (1000, "PreemptLowerPriority")
    d = mk("describe pod p").out
    assert "\nPriority:             1000\nPriority Class Name:  high\n" in d
    assert mk("run plain --image=nginx").code == 0
    spec = jget(mk, "get pod plain")["spec"]
    assert (spec["priority"], spec["preemptionPolicy"]) == (0, "PreemptLowerPriority")
    assert "priorityClassName" not in spec


def test_global_default_class_applies_to_pods_without_one(cluster):
    mk = cluster
    mk("create priorityclass normal --value=50 --global-default --preemption-policy=Never")
    mk("run web --image=nginx")
    spec = jget(mk, "get pod web")["spec"]
    assert (spec["priorityClassName"], spec["priority"], spec["preemptionPolicy"]) == ("normal", 50, "Never")


def test_unknown_class_and_a_stated_priority_are_refused(cluster):
    mk = cluster
    before = mk("get pods -o name").out
    r = mk("apply -f -", input=pod("q", "  priorityClassName: nope\n"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": pods "q" is forbidden: '
                     "no PriorityClass with name nope was found\n")
    r = mk("apply -f -", input=pod("r", "  priority: 5\n"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": pods "r" is forbidden: the integer '
                     "value of priority (5) must not be provided in pod spec; priority admission controller computed "
                     "0 from the given PriorityClass name\n")
    r = mk("apply -f -", input=pod("s", "  preemptionPolicy: Never\n"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": pods "s" is forbidden: the string '
                     "value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission "
                     "controller computed PreemptLowerPriority from the given PriorityClass name\n")
    assert mk("get pods -o name").out == before
    # a ReplicaSet's pods are named from generateName in the message (mutating admission)
    assert mk("create deployment d --image=nginx").code == 0
    assert mk("patch deploy d -p '{\"spec\":{\"template\":{\"spec\":{\"priorityClassName\":\"nope\"}}}}'").code == 0
    ev = mk("get events --field-selector reason=FailedCreate -o json").out
    assert 'is forbidden: no PriorityClass with name nope was found' in ev


# ---------------------------------------------------------------- preemption
@pytest.fixture
def one_worker(mk):
    """A control plane (tainted) and one worker of 2 CPUs; 3 low-priority pods of 600m on it."""
    assert mk("cluster create --clock manual --nodes 2 --node-cpu 2").code == 0
    assert mk("create priorityclass high --value=1000").code == 0
    assert mk("create deployment low --image=busybox --replicas=3 -- sleep 3600").code == 0
    assert mk("patch deployment low -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"busybox\","
              "\"resources\":{\"requests\":{\"cpu\":\"600m\"}}}]}}}}'").code == 0
    pods = jget(mk, "get pods -l app=low")["items"]
    assert len(pods) == 3 and {p["spec"]["nodeName"] for p in pods} == {"minikctl-worker"}
    return mk


def test_a_higher_priority_pod_preempts_the_fewest_lower_ones(one_worker):
    mk = one_worker
    assert mk("apply -f -", input=pod("vip", "  priorityClassName: high\n", cpu='"1"')).code == 0
    vip = jget(mk, "get pod vip")
    assert vip["status"]["nominatedNodeName"] == "minikctl-worker" and "nodeName" not in vip["spec"]
    cond = next(c for c in vip["status"]["conditions"] if c["type"] == "PodScheduled")
    # preemption succeeded: the message has no "preemption:" part
    assert cond["message"] == ("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
                               "{node-role.kubernetes.io/control-plane: }.")
    victims = [p for p in jget(mk, "get pods -l app=low")["items"] if p["metadata"].get("deletionTimestamp")]
    assert len(victims) == 2  # removing 2 of the 3 makes room for 1 CPU
    uid = vip["metadata"]["uid"]
    for v in victims:
        dt = next(c for c in v["status"]["conditions"] if c["type"] == "DisruptionTarget")
        assert (dt["status"], dt["reason"], dt["message"]) == (
            "True", "PreemptionByScheduler", "default-scheduler: preempting to accommodate a higher priority pod")
        ev = mk(f"get events --field-selector involvedObject.name={v['metadata']['name']},reason=Preempted "
                "-o json").out
        assert f"Preempted by pod {uid} on node minikctl-worker" in ev
    out = mk("get pod vip -o wide").lines
    assert out[1].split()[:3] == ["vip", "0/1", "Pending"] and "minikctl-worker" in out[1]
    # the replacements of the victims do not take the room: they have no lower-priority pods to preempt
    pending = [p for p in jget(mk, "get pods -l app=low")["items"] if not p["spec"].get("nodeName")]
    assert len(pending) == 2
    msg = next(c for c in pending[0]["status"]["conditions"] if c["type"] == "PodScheduled")["message"]
    assert msg.endswith("preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, "
                        "1 Preemption is not helpful for scheduling.")
    # the victims stop after their grace period (sleep ignores SIGTERM): then the preemptor runs there
    mk("clock advance 31s")
    vip = jget(mk, "get pod vip")
    assert vip["spec"]["nodeName"] == "minikctl-worker" and vip["status"]["phase"] == "Running"
    assert len([p for p in jget(mk, "get pods -l app=low")["items"] if p["spec"].get("nodeName")]) == 1


def test_no_preemption_among_equals_or_with_policy_never(one_worker):
    mk = one_worker
    assert mk("apply -f -", input=pod("same", cpu='"1"')).code == 0
    cond = next(c for c in jget(mk, "get pod same")["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["message"].endswith("preemption: 0/2 nodes are available: 1 No preemption victims found for "
                                    "incoming pod, 1 Preemption is not helpful for scheduling.")
    mk("create priorityclass polite --value=2000 --preemption-policy=Never")
    assert mk("apply -f -", input=pod("polite", "  priorityClassName: polite\n", cpu='"1"')).code == 0
    p = jget(mk, "get pod polite")
    cond = next(c for c in p["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["message"] == ("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
                               "{node-role.kubernetes.io/control-plane: }. preemption: not eligible due to "
                               "preemptionPolicy=Never.")
    assert "nominatedNodeName" not in p["status"]
    assert not any(p["metadata"].get("deletionTimestamp") for p in jget(mk, "get pods")["items"])


def test_preemption_cannot_help_when_the_pod_does_not_fit_even_alone(one_worker):
    mk = one_worker
    assert mk("apply -f -", input=pod("huge", "  priorityClassName: high\n", cpu='"3"')).code == 0
    p = jget(mk, "get pod huge")
    cond = next(c for c in p["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["message"] == ("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
                               "{node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: "
                               "1 Insufficient cpu, 1 Preemption is not helpful for scheduling.")
    assert not any(x["metadata"].get("deletionTimestamp") for x in jget(mk, "get pods")["items"])
