"""ResourceQuota through the CLI on a manual clock (issue 11).

Sources (Kubernetes 1.32): staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/
controller.go (CheckRequest: "exceeded quota", "failed quota", prettyPrint), pkg/quota/v1/
evaluator/core (pods.go, services.go, persistent_volume_claims.go), pkg/controller/
resourcequota (status.hard/used), pkg/controller/replicaset (FailedCreate, ReplicaFailure),
pkg/printers/internalversion printResourceQuota, kubectl describe.go describeQuota,
kubectl create_quota.go; messages checked against kubectl 1.32.
"""

from __future__ import annotations

import json

from tests.conftest import write

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
{extra}  containers:
  - name: {name}
    image: nginx
{resources}"""

RES = """    resources:
      requests: {{cpu: {cpu}, memory: {mem}}}
      limits: {{cpu: {cpu}, memory: {mem}}}
"""


def pod(name: str, cpu: str | None = None, mem: str = "64Mi", extra: str = "") -> str:
    return POD.format(name=name, extra=extra, resources=RES.format(cpu=cpu, mem=mem) if cpu else "")


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def used(mk, name: str = "q") -> dict:
    return jget(mk, f"get quota {name}")["status"]["used"]


def snapshot(mk) -> str:
    r = mk("get pods,quota,deploy,rs,svc -A -o yaml")
    assert r.code == 0, r
    return r.out


# ------------------------------------------------------------------ printing
def test_get_and_describe_quota(cluster, tmp_path):
    mk = cluster
    assert mk("create quota q --hard=pods=10,requests.cpu=1,requests.memory=1Gi,limits.cpu=2,"
              "limits.memory=2Gi").out == "resourcequota/q created\n"
    mk("clock advance 5s")
    assert mk("apply -f -", input=pod("web", "500m", "128Mi")).code == 0
    assert mk("get quota").lines == [
        "NAME   AGE   REQUEST                                                        LIMIT",
        "q      5s    pods: 1/10, requests.cpu: 500m/1, requests.memory: 128Mi/1Gi   "
        "limits.cpu: 500m/2, limits.memory: 128Mi/2Gi",
    ]
    assert mk("get resourcequotas q --no-headers").lines == mk("get quota --no-headers").lines
    assert mk("describe quota q").out == (
        "Name:            q\n"
        "Namespace:       default\n"
        "Resource         Used   Hard\n"
        "--------         ----   ----\n"
        "limits.cpu       500m   2\n"
        "limits.memory    128Mi  2Gi\n"
        "pods             1      10\n"
        "requests.cpu     500m   1\n"
        "requests.memory  128Mi  1Gi\n")
    st = jget(mk, "get quota q")["status"]
    assert st["hard"] == {"limits.cpu": "2", "limits.memory": "2Gi", "pods": "10", "requests.cpu": "1",
                          "requests.memory": "1Gi"}
    assert st["used"] == {"limits.cpu": "500m", "limits.memory": "128Mi", "pods": "1", "requests.cpu": "500m",
                          "requests.memory": "128Mi"}
    ns = mk("describe ns default").out
    assert "Resource Quotas\n  Name:            q\n  Resource         Used   Hard\n  --------         ---    ---\n" in ns
    assert "  pods             1      10\n" in ns and "No LimitRange resource.\n" in ns


def test_describe_quota_with_scopes_help_text(cluster):
    mk = cluster
    assert mk("create quota be --hard=pods=3 --scopes=NotTerminating,BestEffort").code == 0
    assert mk("describe quota be").out == (
        "Name:       be\n"
        "Namespace:  default\n"
        "Scopes:     BestEffort, NotTerminating\n"
        " * Matches all pods that do not have resource requirements set. These pods have a best effort quality "
        "of service.\n"
        " * Matches all pods that do not have an active deadline. These pods usually include long running pods "
        "whose container command is not expected to terminate.\n"
        "Resource  Used  Hard\n"
        "--------  ----  ----\n"
        "pods      0     3\n")


# ----------------------------------------------------------------- admission
def test_exceeded_quota_is_refused_with_kube_apiservers_message(cluster, tmp_path, monkeypatch):
    mk = cluster
    monkeypatch.chdir(tmp_path)
    mk("create quota q --hard=pods=2")
    for n in ("a", "b"):
        assert mk("apply -f -", input=pod(n)).code == 0
    before = snapshot(mk)
    write(tmp_path, "x.yaml", pod("web"))
    r = mk("create -f x.yaml")
    assert r.code == 1 and r.out == ""
    assert r.err == ('Error from server (Forbidden): error when creating "x.yaml": pods "web" is forbidden: '
                     "exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2\n")
    assert snapshot(mk) == before
    r = mk("run web --image=nginx")
    assert r.err == ('Error from server (Forbidden): pods "web" is forbidden: exceeded quota: q, requested: '
                     "pods=1, used: pods=2, limited: pods=2\n")
    assert snapshot(mk) == before


def test_compute_quota_requires_every_container_to_state_it(cluster, tmp_path, monkeypatch):
    mk = cluster
    monkeypatch.chdir(tmp_path)
    mk("create quota q --hard=requests.memory=1Gi,limits.cpu=2")
    before = snapshot(mk)
    write(tmp_path, "x.yaml", pod("web"))
    r = mk("apply -f x.yaml")
    assert r.code == 1
    assert r.err == ('Error from server (Forbidden): error when creating "x.yaml": pods "web" is forbidden: '
                     "failed quota: q: must specify limits.cpu for: web; requests.memory for: web\n")
    assert snapshot(mk) == before


def test_exceeded_quantities_and_only_the_exceeded_resources(cluster):
    mk = cluster
    mk("create quota q --hard=pods=5,requests.cpu=1,requests.memory=256Mi")
    assert mk("apply -f -", input=pod("a", "600m", "128Mi")).code == 0
    r = mk("apply -f -", input=pod("b", "600m", "128Mi"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": pods "b" is forbidden: '
                     "exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, "
                     "limited: requests.cpu=1\n")
    assert used(mk) == {"pods": "1", "requests.cpu": "600m", "requests.memory": "128Mi"}


def test_bulk_apply_counts_the_objects_admitted_before_in_the_same_command(cluster, tmp_path):
    mk = cluster
    mk("create quota q --hard=pods=2")
    path = write(tmp_path, "pods.yaml", "---\n".join(pod(n) for n in ("a", "b", "c")))
    r = mk(f"apply -f {path}")
    # the third pod sees the two admitted before it in the same command; kubectl 1.32 applies each
    # document on its own (apply.go Run), so the first two stay and the third is reported
    assert r.code == 1 and r.out == "pod/a created\npod/b created\n"
    assert r.err == (f'Error from server (Forbidden): error when creating "{path}": pods "c" is forbidden: '
                     "exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2\n")
    assert used(mk) == {"pods": "2"}
    assert mk("get pod c").code == 1


# --------------------------------------------------------------- bookkeeping
def test_usage_goes_down_when_pods_go_or_finish(cluster):
    mk = cluster
    mk("create quota q --hard=pods=3,count/pods=3")
    mk("apply -f -", input=pod("a"))
    mk("run once --image=busybox --restart=Never -- sh -c 'sleep 5'")
    assert used(mk) == {"count/pods": "2", "pods": "2"}
    mk("clock advance 10s")
    assert jget(mk, "get pod once")["status"]["phase"] == "Succeeded"
    # a finished pod no longer counts for "pods", but it is still an object (count/pods)
    assert used(mk) == {"count/pods": "2", "pods": "1"}
    assert mk("delete pod a").code == 0
    assert used(mk) == {"count/pods": "1", "pods": "0"}


def test_object_counts_services_node_ports_and_load_balancers(cluster):
    mk = cluster
    mk("create quota q --hard=count/deployments.apps=1,services=3,services.nodeports=1,"
       "services.loadbalancers=0,configmaps=1,secrets=5")
    q = jget(mk, "get quota q")["status"]["used"]
    assert q["configmaps"] == "1"  # kube-root-ca.crt, made when the namespace was
    assert mk("create deployment d --image=nginx").code == 0
    r = mk("create deployment e --image=nginx")
    # create_deployment.go wraps the server's error
    assert r.err == ('error: failed to create deployment: deployments.apps "e" is forbidden: exceeded quota: q, '
                     "requested: count/deployments.apps=1, used: count/deployments.apps=1, "
                     "limited: count/deployments.apps=1\n")
    assert mk("create service nodeport np --tcp=80").code == 0
    r = mk("create service nodeport np2 --tcp=80")
    assert r.err == ('Error from server (Forbidden): services "np2" is forbidden: exceeded quota: q, '
                     "requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1\n")
    r = mk("create service loadbalancer lb --tcp=80")
    assert r.err == ('Error from server (Forbidden): services "lb" is forbidden: exceeded quota: q, '
                     "requested: services.loadbalancers=1,services.nodeports=1, used: services.loadbalancers=0,"
                     "services.nodeports=1, limited: services.loadbalancers=0,services.nodeports=1\n")
    r = mk("create configmap c2 --from-literal=a=b")
    assert r.err == ('error: failed to create configmap: configmaps "c2" is forbidden: exceeded quota: q, '
                     "requested: configmaps=1, used: configmaps=1, limited: configmaps=1\n")
    assert used(mk)["services"] == "2" and used(mk)["services.nodeports"] == "1"  # and the kubernetes service
    # a type change is checked too (the service evaluator handles updates)
    assert mk("create service clusterip c --tcp=80").code == 0
    r = mk("patch svc c -p '{\"spec\":{\"type\":\"NodePort\"}}'")
    assert r.code == 1 and 'services "c" is forbidden: exceeded quota: q, requested: services.nodeports=1' in r.err
    mk("delete svc np")
    assert used(mk)["services.nodeports"] == "0"
    assert mk("patch svc c -p '{\"spec\":{\"type\":\"NodePort\"}}'").code == 0
    assert used(mk)["services.nodeports"] == "1"


def test_scopes_best_effort_and_not_best_effort(cluster):
    mk = cluster
    mk("create quota be --hard=pods=1 --scopes=BestEffort")
    mk("create quota nbe --hard=pods=1,requests.cpu=1 --scopes=NotBestEffort")
    assert mk("apply -f -", input=pod("free")).code == 0
    assert mk("apply -f -", input=pod("paid", "250m")).code == 0
    assert used(mk, "be") == {"pods": "1"} and used(mk, "nbe") == {"pods": "1", "requests.cpu": "250m"}
    r = mk("apply -f -", input=pod("free2"))
    assert "exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1" in r.err
    r = mk("apply -f -", input=pod("paid2", "100m"))
    assert "exceeded quota: nbe, requested: pods=1, used: pods=1, limited: pods=1" in r.err


def test_priority_class_scope_selector(cluster, tmp_path):
    mk = cluster
    mk("create priorityclass high --value=100")
    q = """apiVersion: v1
kind: ResourceQuota
metadata: {name: pc}
spec:
  hard: {pods: "1"}
  scopeSelector:
    matchExpressions:
    - {scopeName: PriorityClass, operator: In, values: [high]}
"""
    assert mk("apply -f -", input=q).code == 0
    assert mk("apply -f -", input=pod("plain")).code == 0
    assert used(mk, "pc") == {"pods": "0"}
    hi = pod("h1", extra="  priorityClassName: high\n")
    assert mk("apply -f -", input=hi).code == 0
    r = mk("apply -f -", input=pod("h2", extra="  priorityClassName: high\n"))
    assert "exceeded quota: pc, requested: pods=1, used: pods=1, limited: pods=1" in r.err


def test_a_changed_quota_is_recalculated(cluster):
    mk = cluster
    mk("apply -f -", input=pod("a", "100m"))
    mk("apply -f -", input=pod("b", "200m"))
    mk("create quota q --hard=pods=5")
    assert used(mk) == {"pods": "2"}  # the controller counts what was there before
    assert mk("patch quota q --type=merge -p '{\"spec\":{\"hard\":{\"requests.cpu\":\"1\"}}}'").code == 0
    st = jget(mk, "get quota q")["status"]
    assert st["hard"] == {"pods": "5", "requests.cpu": "1"}
    assert st["used"] == {"pods": "2", "requests.cpu": "300m"}


def test_persistent_volume_claims_and_storage(cluster):
    mk = cluster
    mk("create quota q --hard=persistentvolumeclaims=2,requests.storage=1Gi")
    pvc = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {size}}}}}
"""
    assert mk("apply -f -", input=pvc.format(name="a", size="600Mi")).code == 0
    r = mk("apply -f -", input=pvc.format(name="b", size="600Mi"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "b" is '
                     "forbidden: exceeded quota: q, requested: requests.storage=600Mi, used: requests.storage=600Mi, "
                     "limited: requests.storage=1Gi\n")
    assert used(mk) == {"persistentvolumeclaims": "1", "requests.storage": "600Mi"}


# ------------------------------------------------------ replica controllers
def test_replicaset_failed_create_and_replica_failure_condition(cluster):
    mk = cluster
    mk("create quota q --hard=pods=2")
    assert mk("create deployment web --image=nginx --replicas=4").code == 0
    rs = jget(mk, "get rs")["items"][0]
    name = rs["metadata"]["name"]
    assert mk("get rs --no-headers").lines == [f"{name}   4     2     2     0s"]
    cond = rs["status"]["conditions"]
    assert [(c["type"], c["status"], c["reason"]) for c in cond] == [("ReplicaFailure", "True", "FailedCreate")]
    assert cond[0]["message"].startswith(f'pods "{name}-')
    assert cond[0]["message"].endswith('" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, '
                                       "limited: pods=2")
    d = mk("describe rs").out
    assert "Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n" \
           "  ReplicaFailure   True    FailedCreate\n" in d
    assert "Warning  FailedCreate      0s    replicaset-controller  Error creating: pods " in d
    assert "is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2" in d
    dep = jget(mk, "get deploy web")["status"]["conditions"]
    fail = next(c for c in dep if c["type"] == "ReplicaFailure")
    assert (fail["status"], fail["reason"], fail["message"]) == ("True", "FailedCreate", cond[0]["message"])
    assert "  ReplicaFailure   True    FailedCreate\n" in mk("describe deploy web").out
    # more room: the ReplicaSet creates the rest and the condition goes
    assert mk("patch quota q --type=merge -p '{\"spec\":{\"hard\":{\"pods\":\"10\"}}}'").code == 0
    rs = jget(mk, "get rs")["items"][0]
    assert rs["status"]["replicas"] == 4 and "conditions" not in rs["status"]
    assert all(c["type"] != "ReplicaFailure" for c in jget(mk, "get deploy web")["status"]["conditions"])
    assert used(mk) == {"pods": "4"}


def test_deleting_a_pod_makes_room_for_a_waiting_replicaset(cluster):
    mk = cluster
    mk("create quota q --hard=pods=2")
    mk("run solo --image=nginx")
    mk("create deployment web --image=nginx --replicas=2")
    assert jget(mk, "get deploy web")["status"].get("readyReplicas") == 1
    assert mk("delete pod solo").code == 0
    assert jget(mk, "get deploy web")["status"]["readyReplicas"] == 2


# ---------------------------------------------------------------- generator
def test_create_quota_dry_run_matches_kubectl(cluster):
    mk = cluster
    # kubectl 1.32: create quota q --hard=pods=2,requests.cpu=1,count/deployments.apps=3
    #   --scopes=BestEffort,NotTerminating --dry-run=client -o yaml
    r = mk("create quota q --hard=pods=2,requests.cpu=1,count/deployments.apps=3 --scopes=BestEffort,NotTerminating "
           "--dry-run=client -o yaml")
    assert r.out == ("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  creationTimestamp: null\n  name: q\n"
                     "spec:\n  hard:\n    count/deployments.apps: \"3\"\n    pods: \"2\"\n    requests.cpu: \"1\"\n"
                     "  scopes:\n  - BestEffort\n  - NotTerminating\nstatus: {}\n")
    assert mk("create quota q --dry-run=client -o yaml").out == (
        "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  creationTimestamp: null\n  name: q\nspec: {}\n"
        "status: {}\n")


def test_create_quota_bad_input(cluster):
    mk = cluster
    cases = {
        "create quota q --hard=pods": "error: Invalid argument syntax pods, expected <resource>=<value>\n",
        "create quota q --hard=pods=x": "error: quantities must match the regular expression "
                                        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n",
        "create quota q --scopes=,": 'error: invalid resource quota scope ""\n',
        "create quota q --hard=cpu=1,,pods=2": "error: Invalid argument syntax , expected <resource>=<value>\n",
    }
    for cmd, err in cases.items():
        r = mk(cmd)
        assert (r.code, r.out, r.err) == (1, "", err), cmd
    assert mk("get quota").err == "No resources found in default namespace.\n"


def test_quota_validation(cluster):
    mk = cluster
    r = mk("create quota bad --hard=pods=1.5,cpu=-1 --scopes=BestEffort,NotBestEffort")
    assert r.code == 1
    assert r.err == (
        'error: failed to create quota: ResourceQuota "bad" is invalid: ['
        'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0, '
        "spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, "
        'd:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer, '
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: '
        "unsupported scope applied to resource, "
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes]\n')
    r = mk("create quota bad --hard=foo=1")
    assert r.err == ('error: failed to create quota: ResourceQuota "bad" is invalid: ['
                     'spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified, '
                     'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota]\n')
    assert mk("get quota").err == "No resources found in default namespace.\n"
    mk("create quota q --hard=pods=1 --scopes=BestEffort")
    r = mk("patch quota q --type=merge -p '{\"spec\":{\"scopes\":[\"NotBestEffort\"]}}'")
    assert r.err == ('The ResourceQuota "q" is invalid: spec.scopes: Invalid value: '
                     '[]core.ResourceQuotaScope{"NotBestEffort"}: field is immutable\n')


def test_terminating_scopes_follow_active_deadline_seconds(cluster):
    mk = cluster
    mk("create quota t --hard=pods=1 --scopes=Terminating")
    mk("create quota nt --hard=pods=5 --scopes=NotTerminating")
    assert mk("apply -f -", input=pod("job", extra="  activeDeadlineSeconds: 60\n")).code == 0
    assert mk("apply -f -", input=pod("svc")).code == 0
    assert used(mk, "t") == {"pods": "1"} and used(mk, "nt") == {"pods": "1"}
    r = mk("apply -f -", input=pod("job2", extra="  activeDeadlineSeconds: 60\n"))
    assert "exceeded quota: t, requested: pods=1, used: pods=1, limited: pods=1" in r.err


def test_a_deployment_whose_new_replicaset_is_refused(cluster):
    """deployment-controller getNewReplicaSet: ReplicaSetCreateError (event and Progressing False)."""
    mk = cluster
    mk("create quota q --hard=count/replicasets.apps=1")
    assert mk("create deployment web --image=nginx").code == 0
    assert mk("patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\","
              "\"image\":\"nginx:1.27\"}]}}}}'").code == 0
    assert len(jget(mk, "get rs")["items"]) == 1
    cond = next(c for c in jget(mk, "get deploy web")["status"]["conditions"] if c["type"] == "Progressing")
    assert (cond["status"], cond["reason"]) == ("False", "ReplicaSetCreateError")
    assert cond["message"].startswith('Failed to create new replica set "web-')
    assert cond["message"].endswith('is forbidden: exceeded quota: q, requested: count/replicasets.apps=1, '
                                    "used: count/replicasets.apps=1, limited: count/replicasets.apps=1")
