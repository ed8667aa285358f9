"""Scheduler preemption and PodDisruptionBudgets (Kubernetes 1.32 pkg/scheduler/framework/plugins/
defaultpreemption/default_preemption.go SelectVictimsOnNode + filterPodsWithPDBViolation, and
pkg/scheduler/framework/preemption/preemption.go pickOneNodeForPreemption): victims whose removal
would break a budget are reprieved first, the node with the fewest such victims is preferred,
and a budget never stops a preemption that needs its pods (preemption deletes, it does not evict).
"""

from __future__ import annotations

import json

import pytest

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: {app}}}
spec:
{extra}  containers:
  - name: c
    image: busybox
    command: [sleep, "3600"]
    resources: {{requests: {{cpu: {cpu}}}}}
"""


def pod(name: str, app: str, cpu: str, extra: str = "") -> str:
    return POD.format(name=name, app=app, cpu=cpu, extra=extra)


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def victims(mk) -> list[str]:
    return sorted(p["metadata"]["name"] for p in jget(mk, "get pods")["items"] if p["metadata"].get("deletionTimestamp"))


def nominated(mk, name: str) -> str | None:
    return jget(mk, f"get pod {name}")["status"].get("nominatedNodeName")


@pytest.fixture
def two_workers(mk):
    """Two workers of 2 CPUs (100m taken by kindnet on each) and a priority class above 0."""
    assert mk("cluster create --clock manual --nodes 3 --node-cpu 2").code == 0
    assert mk("create priorityclass high --value=1000").code == 0
    return mk


def _one_node_three_pods(mk) -> None:
    """On minikctl-worker: a (600m, started first), then b1, b2 (600m, 10 s later); 100m free."""
    node = "  nodeName: minikctl-worker\n"
    assert mk("apply -f -", input=pod("a", "a", "600m", node)).code == 0
    mk("clock advance 10s")
    assert mk("apply -f -", input=pod("b1", "b", "600m", node)).code == 0
    assert mk("apply -f -", input=pod("b2", "b", "600m", node)).code == 0
    assert mk("cordon minikctl-worker2").code == 0  # only minikctl-worker can help
    assert [p["status"]["phase"] for p in jget(mk, "get pods")["items"]] == ["Running"] * 3


def test_without_a_budget_the_latest_started_pod_goes(two_workers):
    mk = two_workers
    _one_node_three_pods(mk)
    assert mk("apply -f -", input=pod("vip", "vip", "500m", "  priorityClassName: high\n")).code == 0
    assert nominated(mk, "vip") == "minikctl-worker"
    # reprieved from the most important (the earliest start): a, b1 fit back; b2 does not
    assert victims(mk) == ["b2"]


def test_a_budget_moves_the_victim_to_a_pod_it_does_not_protect(two_workers):
    mk = two_workers
    _one_node_three_pods(mk)
    assert mk("create pdb keep-b --selector=app=b --min-available=2").code == 0
    assert jget(mk, "get pdb keep-b")["status"]["disruptionsAllowed"] == 0
    assert mk("apply -f -", input=pod("vip", "vip", "500m", "  priorityClassName: high\n")).code == 0
    assert nominated(mk, "vip") == "minikctl-worker"
    # b1 and b2 would break keep-b: they are reprieved first, so a (older, but unprotected) goes
    assert victims(mk) == ["a"]


def test_a_budget_with_one_disruption_allowed_protects_the_second_pod(two_workers):
    mk = two_workers
    _one_node_three_pods(mk)
    assert mk("create pdb loose-b --selector=app=b --min-available=1").code == 0
    assert jget(mk, "get pdb loose-b")["status"]["disruptionsAllowed"] == 1
    assert mk("apply -f -", input=pod("vip", "vip", "500m", "  priorityClassName: high\n")).code == 0
    # b1 counts the one allowed disruption down, b2 is then in violation and reprieved first:
    # b2 fits back, then a, and b1 (allowed) is the victim
    assert victims(mk) == ["b1"]


def test_an_empty_budget_selector_matches_nothing_for_preemption(two_workers):
    mk = two_workers
    _one_node_three_pods(mk)
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "all"},
           "spec": {"minAvailable": 3, "selector": {}}}
    assert mk("apply -f -", input=json.dumps(pdb)).code == 0
    assert mk("apply -f -", input=pod("vip", "vip", "500m", "  priorityClassName: high\n")).code == 0
    assert victims(mk) == ["b2"]


def _one_pod_per_worker(mk) -> None:
    assert mk("apply -f -", input=pod("px", "left", "1800m", "  nodeName: minikctl-worker\n")).code == 0
    assert mk("apply -f -", input=pod("py", "right", "1800m", "  nodeName: minikctl-worker2\n")).code == 0


def test_the_node_with_fewer_budget_violations_is_chosen(two_workers):
    mk = two_workers
    _one_pod_per_worker(mk)
    assert mk("create pdb keep-left --selector=app=left --min-available=1").code == 0
    assert mk("apply -f -", input=pod("vip", "vip", "500m", "  priorityClassName: high\n")).code == 0
    # without the budget the tie would go to the first node by name (minikctl-worker)
    assert nominated(mk, "vip") == "minikctl-worker2"
    assert victims(mk) == ["py"]


def test_budgets_do_not_stop_a_needed_preemption(two_workers):
    mk = two_workers
    _one_pod_per_worker(mk)
    assert mk("create pdb keep-left --selector=app=left --min-available=1").code == 0
    assert mk("create pdb keep-right --selector=app=right --min-available=1").code == 0
    assert mk("apply -f -", input=pod("vip", "vip", "500m", "  priorityClassName: high\n")).code == 0
    # one violation either way: the tie goes to the first node by name; the victim is deleted
    # (the scheduler does not use the Eviction API), the budget notwithstanding
    assert nominated(mk, "vip") == "minikctl-worker"
    assert victims(mk) == ["px"]
    mk("clock advance 31s")
    vip = jget(mk, "get pod vip")
    assert (vip["spec"]["nodeName"], vip["status"]["phase"]) == ("minikctl-worker", "Running")
