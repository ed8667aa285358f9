"""drain through the CLI on a manual clock (issue 11).

kubectl 1.32: staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go (RunDrain, its messages),
pkg/drain/drain.go (evictPods: "evicting pod", the 429 retry after 5 s, waitForDelete's
polls, the global timeout) and pkg/drain/filters.go (the refusals and warnings, their
wording checked against the kubectl.1.32 binary's strings); the evictions go through the
Eviction API and its PodDisruptionBudget checks (pkg/registry/core/pod/storage/eviction.go).
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import store_snapshot

W = "minikctl-worker"


def _on(mk, node=W) -> list[tuple[str, str]]:
    pods = json.loads(mk("get pods -A -o json").out)["items"]
    return sorted((p["metadata"]["namespace"], p["metadata"]["name"]) for p in pods
                  if p["spec"].get("nodeName") == node)


def _place_on_worker(mk, *cmds):
    """Run commands with worker2 cordoned, so their pods land on minikctl-worker (the control
    plane is tainted), then make worker2 schedulable again for the replacements."""
    assert mk("cordon minikctl-worker2").code == 0
    for c in cmds:
        r = mk(c) if isinstance(c, str) else mk(c[0], input=c[1])
        assert r.code == 0, r
    assert mk("uncordon minikctl-worker2").code == 0


def _evicting(pods) -> list[str]:
    return [f"evicting pod {ns}/{n}" for ns, n in pods]


def _evicted(pods) -> list[str]:
    return [f"pod/{n} evicted" for _, n in pods]


DS = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: nginx}]
"""

CACHE = """apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  replicas: 1
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      volumes: [{name: tmp, emptyDir: {}}]
      containers: [{name: c, image: nginx, volumeMounts: [{name: tmp, mountPath: /tmp}]}]
"""


# ------------------------------------------------------------------ refusals
def test_unmanaged_pod_refused_store_unchanged_but_cordon_stays(cluster, state):
    mk = cluster
    _place_on_worker(mk, "run lone --image=nginx")
    before = store_snapshot(state)
    r = mk(f"drain {W}")
    assert r.code == 1
    assert r.out == f"node/{W} cordoned\n"
    # drain.go RunDrain + filters.go unmanagedFatal (kubectl 1.32: "Pods that declare no controller")
    assert r.err == (f'error: unable to drain node "{W}" due to error: cannot delete Pods that declare no controller '
                     "(use --force to override): default/lone, continuing command...\n"
                     "There are pending nodes to be drained:\n"
                     f" {W}\n"
                     "cannot delete Pods that declare no controller (use --force to override): default/lone\n")
    # kubectl cordons first and leaves the node cordoned when the drain is refused
    node = json.loads(mk(f"get node {W} -o json").out)
    assert node["spec"]["unschedulable"] is True
    assert "Ready,SchedulingDisabled" in mk(f"get node {W}").out
    # nothing else moved: a second refused drain (already cordoned) changes nothing at all
    before = store_snapshot(state)
    r = mk(f"drain {W}")
    assert r.code == 1 and r.out == f"node/{W} already cordoned\n"
    assert store_snapshot(state) == before


def test_every_refusal_at_once(cluster, state):
    mk = cluster
    _place_on_worker(mk, ("apply -f -", DS), ("apply -f -", CACHE), "run lone --image=nginx")
    pods = dict((n.split("-")[0], n) for _, n in _on(mk))
    mk(f"cordon {W}")
    before = store_snapshot(state)
    r = mk(f"drain {W}")
    assert r.code == 1 and r.out == f"node/{W} already cordoned\n"
    errs = [f"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/{pods['agent']}",
            f"cannot delete Pods with local storage (use --delete-emptydir-data to override): default/{pods['cache']}",
            "cannot delete Pods that declare no controller (use --force to override): default/lone"]
    assert r.err == (f'error: unable to drain node "{W}" due to error: [{", ".join(errs)}], continuing command...\n'
                     f"There are pending nodes to be drained:\n {W}\n" + "\n".join(errs) + "\n")
    assert store_snapshot(state) == before
    # each flag lifts its own refusal only
    r = mk(f"drain {W} --ignore-daemonsets --delete-emptydir-data")
    assert r.code == 1
    assert r.err.splitlines()[-1] == "cannot delete Pods that declare no controller (use --force to override): default/lone"
    assert store_snapshot(state) == before


def test_mirror_pods_are_skipped_and_orphaned_daemonset_pods_need_force(cluster):
    mk = cluster
    _place_on_worker(mk, ("apply -f -", """apiVersion: v1
kind: Pod
metadata:
  name: static-web
  annotations: {kubernetes.io/config.mirror: "abc"}
  ownerReferences: [{apiVersion: v1, kind: Node, name: minikctl-worker, uid: 5a3c, controller: true}]
spec:
  containers: [{name: web, image: nginx}]
"""), ("apply -f -", """apiVersion: v1
kind: Pod
metadata:
  name: orphan
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: gone, uid: 1f2e, controller: true}]
spec:
  containers: [{name: web, image: nginx}]
"""))
    r = mk(f"drain {W} --ignore-daemonsets")
    assert r.code == 1
    assert r.err.splitlines()[-1] == 'cannot delete daemonsets.apps "gone" not found: default/orphan'
    r = mk(f"drain {W} --force")
    assert r.code == 0, r
    # the daemonSetFilter's warning is replaced by unreplicatedFilter's Okay (filters.go: "only the
    # last filter's message will be retained"), so kubectl says nothing about the orphan
    assert r.err == ""
    assert "evicting pod default/orphan" in r.lines and "pod/orphan evicted" in r.lines
    assert "static-web" not in r.out and ("default", "static-web") in _on(mk)


# ------------------------------------------------------------------ evictions
def test_drain_evicts_warns_and_replicasets_replace_elsewhere(cluster):
    mk = cluster
    _place_on_worker(mk, ("apply -f -", DS), "create deployment web --image=nginx --replicas=2",
                     "run lone --image=nginx")
    on = _on(mk)
    agent = [p for p in on if p[1].startswith("agent-")]
    evict = [p for p in on if p not in agent]
    r = mk(f"drain {W} --ignore-daemonsets --force")
    assert r.code == 0, r
    assert r.err == (f"Warning: ignoring DaemonSet-managed Pods: default/{agent[0][1]}; "
                     "deleting Pods that declare no controller: default/lone\n")
    assert r.lines == [f"node/{W} cordoned", *_evicting(evict), *_evicted(evict), f"node/{W} drained"]
    assert _on(mk) == agent  # only the DaemonSet's pod stays
    web = [p for p in json.loads(mk("get pods -l app=web -o json").out)["items"]]
    assert len(web) == 2 and {p["spec"]["nodeName"] for p in web} == {"minikctl-worker2"}
    # draining again: nothing left to evict
    r = mk(f"drain {W} --ignore-daemonsets")
    assert r.lines == [f"node/{W} already cordoned", f"node/{W} drained"]


def test_pdb_refusal_is_retried_after_5s_until_the_replacement_is_ready(cluster):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=2")
    mk("create pdb web --selector=app=web --min-available=1")
    on = _on(mk)
    web = [p for p in on if p[1].startswith("web-")]
    first = [p for p in on if p != web[1]]
    r = mk(f"drain {W}")
    assert r.code == 0, r
    # the second web pod: 429 while the first one's replacement is not counted yet, then retried
    assert r.err == (f'error when evicting pods/"{web[1][1]}" -n "default" (will retry after 5s): Cannot evict pod '
                     "as it would violate the pod's disruption budget.\n")
    assert r.lines == [f"node/{W} cordoned", *_evicting(on), *_evicted(first), *_evicting([web[1]]),
                       *_evicted([web[1]]), f"node/{W} drained"]
    # the retry's 5 s passed on the cluster clock; the budget allows one disruption again
    assert mk("get pdb").lines[1] == "web    1               N/A               1                     5s"


def test_pdb_that_never_allows_times_out(cluster, state):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=1")
    mk("create pdb web --selector=app=web --min-available=1")
    (pod,) = [p for p in _on(mk) if p[1].startswith("web-")]
    others = [p for p in _on(mk) if p != pod]
    r = mk(f"drain {W} --timeout=12s")
    assert r.code == 1
    retry = (f'error when evicting pods/"{pod[1]}" -n "default" (will retry after 5s): Cannot evict pod as it would '
             "violate the pod's disruption budget.")
    timeout = f'error when evicting pods/"{pod[1]}" -n "default": global timeout reached: 12s'
    # tries at 0s, 5s and 10s are refused; at 15s the 12s context has expired
    assert r.lines == [f"node/{W} cordoned", *_evicting(sorted(others + [pod])), *_evicted(others),
                       *[f"evicting pod default/{pod[1]}"] * 3]
    assert r.err == (f"{retry}\n{retry}\n{retry}\n"
                     f'There are pending pods in node "{W}" when an error occurred: {timeout}\n'
                     f"pod/{pod[1]}\n"
                     f'error: unable to drain node "{W}" due to error: {timeout}, continuing command...\n'
                     f"There are pending nodes to be drained:\n {W}\n{timeout}\n")
    assert (pod[0], pod[1]) in _on(mk)
    assert mk("get pdb").lines[1] == "web    1               N/A               0                     15s"


def test_manual_clock_without_timeout_stops_when_nothing_changes(cluster):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=1")
    mk("create pdb web --selector=app=web --min-available=1")
    (pod,) = [p for p in _on(mk) if p[1].startswith("web-")]
    r = mk(f"drain {W}")
    assert r.code == 1
    assert r.err.count("(will retry after 5s)") == 12  # a minute of retries on the cluster clock
    assert r.err.endswith(f"Cannot evict pod as it would violate the pod's disruption budget. (minikctl: nothing "
                          "changed in 1m0s of cluster time; kubectl would retry until interrupted: see --timeout)\n")
    assert pod in _on(mk)


def test_two_budgets_error(cluster):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=1")
    mk("create pdb one --selector=app=web --max-unavailable=1")
    mk("create pdb two --selector=app=web --max-unavailable=1")
    (pod,) = [p for p in _on(mk) if p[1].startswith("web-")]
    r = mk(f"drain {W}")
    assert r.code == 1
    msg = (f'error when evicting pods/"{pod[1]}" -n "default": This pod has more than one PodDisruptionBudget, '
           "which the eviction subresource does not support.")
    assert r.err.splitlines()[-1] == msg


def test_graceful_pods_are_waited_for_and_grace_period(cluster):
    mk = cluster
    _place_on_worker(mk, "create deployment sl --image=busybox --replicas=1 -- sleep 3600")
    (pod,) = [p for p in _on(mk) if p[1].startswith("sl-")]
    r = mk(f"drain {W} --pod-selector=app=sl")
    assert r.code == 0, r
    assert r.lines == [f"node/{W} cordoned", f"evicting pod default/{pod[1]}", f"pod/{pod[1]} evicted",
                       f"node/{W} drained"]
    # sleep ignores SIGTERM: the kubelet killed it when the 30 s grace period ended
    assert mk("get nodes").lines[1].split()[-2] == "30s"
    mk(f"uncordon {W}")
    _place_on_worker(mk, "scale deployment sl --replicas=2")
    (pod2,) = [p for p in _on(mk) if p[1].startswith("sl-")]
    r = mk(f"drain {W} --pod-selector=app=sl --grace-period=3")
    assert r.code == 0 and r.lines[-1] == f"node/{W} drained"
    assert mk("get nodes").lines[1].split()[-2] == "33s"
    assert pod2 not in _on(mk)


def test_pod_selector_only_touches_matching_pods(cluster):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=1", "run lone --image=nginx")
    r = mk(f"drain {W} --pod-selector=app=web")
    assert r.code == 0, r
    assert ("default", "lone") in _on(mk)
    assert not [p for p in _on(mk) if p[1].startswith("web-")]


def test_disable_eviction_deletes_past_the_budget(cluster):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=1")
    mk("create pdb web --selector=app=web --min-available=1")
    (pod,) = [p for p in _on(mk) if p[1].startswith("web-")]
    r = mk(f"drain {W} --disable-eviction --pod-selector=app=web")
    assert r.code == 0, r
    assert r.lines == [f"node/{W} cordoned", f"pod/{pod[1]} deleted", f"node/{W} drained"]
    assert r.err == ""


# ------------------------------------------------------------------ dry runs
def test_dry_run_client_and_server_change_nothing(cluster, state):
    mk = cluster
    _place_on_worker(mk, "create deployment web --image=nginx --replicas=1")
    on = _on(mk)
    before = store_snapshot(state)
    r = mk(f"drain {W} --dry-run=client")
    assert r.code == 0
    assert r.lines == [f"node/{W} cordoned (dry run)", *[f"{x} (dry run)" for x in _evicting(on)],
                       f"node/{W} drained (dry run)"]
    assert store_snapshot(state) == before
    r = mk(f"drain {W} --dry-run=server")
    assert r.code == 0
    assert r.lines == [f"node/{W} cordoned (server dry run)", *[f"{x} (server dry run)" for x in _evicting(on)],
                       f"node/{W} drained (server dry run)"]
    assert store_snapshot(state) == before


# ------------------------------------------------------------------ usage
@pytest.mark.parametrize("args,err", [
    ("drain", "error: USAGE: drain NODE [flags]\nSee 'minikctl drain -h' for help and examples\n"),
    (f"drain {W} -l a=b", "error: cannot specify both a node name and a --selector option\n"
                          "See 'minikctl drain -h' for help and examples\n"),
    (f"drain {W} '--pod-selector=a b'", "error: --pod-selector=<pod_selector> must be a valid label selector\n"),
    (f"drain {W} --timeout=abc", 'error: invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"\n'
                                 "See 'minikctl drain --help' for usage.\n"),
    (f"drain {W} --grace-period=x", 'error: invalid argument "x" for "--grace-period" flag: strconv.ParseInt: '
                                    'parsing "x": invalid syntax\nSee \'minikctl drain --help\' for usage.\n'),
    ("drain nope", 'Error from server (NotFound): nodes "nope" not found\n'),
])
def test_usage_errors_change_nothing(cluster, state, args, err):
    before = store_snapshot(state)
    r = cluster(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


def test_selector_drains_each_matching_node(cluster):
    mk = cluster
    mk("label node minikctl-worker2 pool=b")
    r = mk("drain -l pool=b")
    assert r.code == 0, r
    assert r.lines[0] == "node/minikctl-worker2 cordoned" and r.lines[-1] == "node/minikctl-worker2 drained"


def test_completion_offers_node_names(cluster):
    # drain.go: ValidArgsFunction: completion.ResourceNameCompletionFunc(f, "node")
    r = cluster(["__complete", "--", "drain", ""])
    assert r.code == 0
    assert r.lines[:3] == ["minikctl-control-plane", "minikctl-worker", "minikctl-worker2"]
    r = cluster(["__complete", "--", "drain", "minikctl-worker", "minikctl-w"])
    assert r.lines[0] == "minikctl-worker2"
    r = cluster(["__complete", "--", "drain", "--ignore-d"])
    assert r.lines[0].startswith("--ignore-daemonsets")
