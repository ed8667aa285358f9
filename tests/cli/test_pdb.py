"""PodDisruptionBudgets through the CLI on a manual clock (issue 11).

create_pdb.go (the generator and its errors, compared with kubectl 1.32 --dry-run=client),
pkg/apis/policy/validation (kube-apiserver's refusals), pkg/controller/disruption/disruption.go
(the status: currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed, the
DisruptionAllowed condition), printers.go printPodDisruptionBudget, describe.go
describePodDisruptionBudgetV1, and the Eviction API (pkg/registry/core/pod/storage/eviction.go)
called as kube-apiserver's handler would call it.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import store_snapshot

PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
{spec}"""


def _status(mk, name="web"):
    r = mk(f"get pdb {name} -o json")
    assert r.code == 0, r
    return json.loads(r.out)["status"]


def _names(mk, selector="app=web"):
    return sorted(p["metadata"]["name"] for p in json.loads(mk(f"get pods -l {selector} -o json").out)["items"])


# ------------------------------------------------------------------ create pdb
def test_create_pdb_dry_run_matches_kubectl(cluster):
    # kubectl.1.32 create pdb x --selector=app=a --min-available=1 --dry-run=client -o yaml
    r = cluster("create pdb x --selector=app=a --min-available=1 --dry-run=client -o yaml")
    assert r.code == 0 and r.out == """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  creationTimestamp: null
  name: x
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: a
status:
  currentHealthy: 0
  desiredHealthy: 0
  disruptionsAllowed: 0
  expectedPods: 0
"""
    r = cluster("create poddisruptionbudget x --selector=app=a --max-unavailable=50% --dry-run=client -o yaml")
    assert "spec:\n  maxUnavailable: 50%\n  selector:\n    matchLabels:\n      app: a\n" in r.out
    assert cluster("create pdb x --selector=app=a --min-available=1 --dry-run=client").out == \
        "poddisruptionbudget.policy/x created (dry run)\n"


@pytest.mark.parametrize("args,err", [  # kubectl 1.32's messages, in Validate's order
    ("x --min-available=1", "error: a selector must be specified\n"),
    ("x --selector=app=a", "error: one of min-available or max-unavailable must be specified\n"),
    ("x --selector=app=a --min-available=1 --max-unavailable=1",
     "error: min-available and max-unavailable cannot be both specified\n"),
    ("x --selector=app=a --min-available=abc", "error: invalid format specified for min-available\n"),
    ("x --selector=app=a --min-available=-1", "error: invalid format specified for min-available\n"),
    ("x --selector=app=a --max-unavailable=1Gi", "error: invalid format specified for max-unavailable\n"),
    ("--selector=app=a --min-available=1",
     "error: exactly one NAME is required, got 0\nSee 'minikctl create poddisruptionbudget -h' for help and examples\n"),
    ("x '--selector=a b' --min-available=1",
     "error: couldn't parse the selector string \"a b\": unable to parse requirement: found 'b', expected: in, "
     "notin, =, ==, !=, gt, lt\n"),
])
def test_create_pdb_refusals(cluster, state, args, err):
    before = store_snapshot(state)
    r = cluster(f"create pdb {args}")
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


def test_create_pdb_percent_over_100_is_refused_by_the_server(cluster, state):
    # create_pdb.go accepts 120% (kubectl prints it with --dry-run=client); kube-apiserver does not
    assert "minAvailable: 120%" in cluster("create pdb x --selector=app=a --min-available=120% --dry-run=client -o yaml").out
    before = store_snapshot(state)
    r = cluster("create pdb x --selector=app=a --min-available=120%")
    assert r.code == 1
    # create_pdb.go Run wraps the server's error: fmt.Errorf("failed to create poddisruptionbudgets: %v", err)
    assert r.err == ('error: failed to create poddisruptionbudgets: PodDisruptionBudget.policy "x" is invalid: '
                     'spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: '
                     "must not be greater than 100%\n")
    r = cluster("create pdb x --selector=app=a --min-available=1 -n nowhere")
    assert r.err == 'error: failed to create poddisruptionbudgets: namespaces "nowhere" not found\n'
    assert store_snapshot(state) == before


# ------------------------------------------------------------------ validation
def test_validation_refusals(cluster, state):
    before = store_snapshot(state)
    r = cluster("apply -f -", input=PDB.format(name="x", spec="  minAvailable: 1\n  maxUnavailable: 1\n"
                                                            "  selector: {matchLabels: {app: web}}\n"))
    assert r.code == 1
    assert r.err.startswith('The PodDisruptionBudget "x" is invalid: spec: Invalid value: '
                            "policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc")
    assert r.err.endswith("UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: "
                          "minAvailable and maxUnavailable cannot be both set\n")
    r = cluster("apply -f -", input=PDB.format(name="x", spec="  maxUnavailable: -1\n  selector: {}\n"
                                                            "  unhealthyPodEvictionPolicy: Sometimes\n"))
    assert r.err == ('The PodDisruptionBudget "x" is invalid: \n'
                     "* spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0\n"
                     '* spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: '
                     '"AlwaysAllow", "IfHealthyBudget"\n')
    r = cluster("apply -f -", input=PDB.format(name="x", spec="  minAvailable: 50x\n"))
    assert r.err == ('The PodDisruptionBudget "x" is invalid: spec.minAvailable: Invalid value: '
                     'intstr.IntOrString{Type:1, IntVal:0, StrVal:"50x"}: a valid percent string must be a numeric '
                     "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                     "'[0-9]+%')\n")
    assert store_snapshot(state) == before


# ------------------------------------------------------------------ status
def test_status_follows_the_pods(cluster):
    mk = cluster
    mk("create deployment web --image=nginx --replicas=3")
    assert mk("create pdb web --selector=app=web --min-available=2").out == "poddisruptionbudget.policy/web created\n"
    assert mk("create pdb half --selector=app=web --max-unavailable=50%").code == 0
    assert mk("get pdb").lines == [
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE",
        "half   N/A             50%               2                     0s",
        "web    2               N/A               1                     0s"]
    st = _status(mk)
    cond = st.pop("conditions")
    assert st == {"currentHealthy": 3, "desiredHealthy": 2, "disruptionsAllowed": 1, "expectedPods": 3,
                  "observedGeneration": 1}
    assert [(c["type"], c["status"], c["reason"], c["message"], c["observedGeneration"]) for c in cond] == \
        [("DisruptionAllowed", "True", "SufficientPods", "", 1)]
    mk("clock advance 1m")
    mk("scale deployment web --replicas=1")
    assert mk("get pdb").lines[1:] == [
        "half   N/A             50%               1                     60s",
        "web    2               N/A               0                     60s"]
    st = _status(mk)
    assert (st["currentHealthy"], st["desiredHealthy"], st["expectedPods"], st["disruptionsAllowed"]) == (1, 2, 1, 0)
    c = st["conditions"][0]
    assert (c["status"], c["reason"], c["lastTransitionTime"]) == ("False", "InsufficientPods", _status(mk)["conditions"][0]["lastTransitionTime"])
    assert c["lastTransitionTime"] != json.loads(mk("get pdb web -o json").out)["metadata"]["creationTimestamp"]
    mk("scale deployment web --replicas=5")
    st = _status(mk, "half")  # maxUnavailable 50% of the Deployment's 5: ceil(2.5) = 3 may go
    assert (st["currentHealthy"], st["desiredHealthy"], st["expectedPods"], st["disruptionsAllowed"]) == (5, 2, 5, 3)
    assert mk("describe pdb web").out == """Name:           web
Namespace:      default
Min available:  2
Selector:       app=web
Status:
    Allowed disruptions:  3
    Current:              5
    Desired:              2
    Total:                5
Events:                   <none>
"""


def test_spec_update_bumps_generation_and_observed_generation(cluster):
    mk = cluster
    mk("create deployment web --image=nginx --replicas=3")
    mk("create pdb web --selector=app=web --min-available=1")
    assert mk("patch pdb web -p '{\"spec\":{\"minAvailable\":3}}'").code == 0
    pdb = json.loads(mk("get pdb web -o json").out)
    assert pdb["metadata"]["generation"] == 2
    assert pdb["status"]["observedGeneration"] == 2 and pdb["status"]["disruptionsAllowed"] == 0


def test_no_pods_and_unmanaged_pods_events(cluster):
    mk = cluster
    mk("create pdb none --selector=app=nothing --min-available=1")
    assert _status(mk, "none")["expectedPods"] == 0
    ev = mk("describe pdb none").out
    # synced at its creation and again at its own status update, as the controller's informer does
    assert "Normal  NoPods  0s (x2 over 0s)  controllermanager  No matching pods found" in ev
    mk("run lone --image=nginx --labels=app=lone")
    mk("create pdb lone --selector=app=lone --max-unavailable=1")
    st = _status(mk, "lone")  # an unmanaged pod counts nowhere in the expected scale
    assert (st["currentHealthy"], st["expectedPods"], st["desiredHealthy"], st["disruptionsAllowed"]) == (1, 0, 0, 0)
    assert ('Pods selected by this PodDisruptionBudget (selector: app=lone) were found to be unmanaged. As a result, '
            'the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account '
            'for these pods please set ".spec.minAvailable" field of the PDB to an integer value.') in \
        mk("describe pdb lone").out


def test_percentage_over_a_daemonset_fails_safe(cluster):
    mk = cluster
    mk("apply -f -", input="""apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: nginx}]
""")
    mk("create pdb agent --selector=app=agent --max-unavailable=10%")
    st = _status(mk, "agent")
    c = st["conditions"][0]
    assert (c["status"], c["reason"], c["message"]) == \
        ("False", "SyncFailed", "daemonsets.apps does not implement the scale subresource")
    assert st["disruptionsAllowed"] == 0
    assert ("Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale "
            "subresource") in mk("describe pdb agent").out


# ------------------------------------------------------------------ eviction API
def _evict(state, name, **kw):
    """POST pods/NAME/eviction, as the API server's handler calls the registry."""
    from minikctl.api.cluster import Session
    from minikctl.api.eviction import evict

    s = Session.open(state)
    try:
        with s.write() as api:
            return evict(api, "default", name, **kw)
    finally:
        s.close()


def test_eviction_refused_then_allowed(cluster, state):
    from minikctl.api.errors import NotFound, TooManyRequests

    mk = cluster
    mk("create deployment web --image=nginx --replicas=2")
    mk("create pdb web --selector=app=web --min-available=2")
    a, b = _names(mk)
    before = store_snapshot(state)
    with pytest.raises(TooManyRequests) as e:
        _evict(state, a)
    assert e.value.code == 429
    assert e.value.render() == ("Error from server (TooManyRequests): Cannot evict pod as it would violate the "
                                "pod's disruption budget.")
    assert store_snapshot(state) == before
    # a dry run decrements nothing and deletes nothing
    mk("patch pdb web -p '{\"spec\":{\"minAvailable\":1}}'")
    before = store_snapshot(state)
    assert _evict(state, a, dry_run=True) == 0.0
    assert store_snapshot(state) == before
    assert _evict(state, a) == 0.0  # nginx exits at SIGTERM: gone at once
    assert a not in _names(mk) and len(_names(mk)) == 2  # the ReplicaSet replaced it
    with pytest.raises(NotFound):
        _evict(state, a)


def test_eviction_marks_the_pod_and_deletes_it_gracefully(cluster, state):
    mk = cluster
    mk("create deployment sl --image=busybox --replicas=2 -- sleep 3600")
    mk("create pdb sl --selector=app=sl --max-unavailable=1")
    a = _names(mk, "app=sl")[0]
    assert _evict(state, a) == 30.0  # sleep ignores SIGTERM: killed when the grace period ends
    pod = json.loads(mk(f"get pod {a} -o json").out)
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 30
    cond = [c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert cond == [{"lastProbeTime": None, "lastTransitionTime": pod["metadata"]["creationTimestamp"],
                     "message": "Eviction API: evicting", "reason": "EvictionByEvictionAPI", "status": "True",
                     "type": "DisruptionTarget"}]
    assert f"{a}   1/1     Terminating" in mk("get pods").out
    st = _status(mk, "sl")  # the terminating pod is not healthy; its replacement is
    assert (st["currentHealthy"], st["desiredHealthy"], st["disruptionsAllowed"]) == (2, 1, 1)
    mk("clock advance 30s")
    assert a not in _names(mk, "app=sl")


def test_eviction_with_two_budgets_is_refused(cluster, state):
    from minikctl.api.errors import StatusFailure

    mk = cluster
    mk("create deployment web --image=nginx --replicas=2")
    mk("create pdb one --selector=app=web --max-unavailable=1")
    mk("create pdb two --selector=app=web --min-available=0")
    with pytest.raises(StatusFailure) as e:
        _evict(state, _names(mk)[0])
    assert e.value.message == ("This pod has more than one PodDisruptionBudget, which the eviction subresource "
                               "does not support.")


def test_unhealthy_pod_eviction_policy(cluster, state):
    from minikctl.api.errors import TooManyRequests

    mk = cluster
    # a pod that never gets ready (its readiness probe fails) under a budget that is not met
    mk("apply -f -", input="""apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        readinessProbe: {httpGet: {path: /, port: 81}, periodSeconds: 5}
""")
    mk("clock advance 10s")
    mk("create pdb web --selector=app=web --min-available=1")
    assert _status(mk)["currentHealthy"] == 0
    with pytest.raises(TooManyRequests):
        _evict(state, _names(mk)[0])
    mk("apply -f -", input=PDB.format(name="web", spec="  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n"
                                                       "  unhealthyPodEvictionPolicy: AlwaysAllow\n"))
    assert _evict(state, _names(mk)[0]) == 0.0
