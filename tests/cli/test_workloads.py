"""Deployments, ReplicaSets, ReplicationControllers and scale, through the CLI.

After pkg/controller/deployment (sync.go, rolling.go, recreate.go), pkg/controller/replicaset
and pkg/controller/controller_utils.go (ComputeHash, pod names from generateName).
"""

from __future__ import annotations

import json
import re

HASH = r"[bcdfghjklmnpqrstvwxz2456789]{1,10}"
SUFFIX = r"[bcdfghjklmnpqrstvwxz2456789]{5}"

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  {extra}template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: {image}
"""


def deploy(replicas=3, image="nginx:1.27", extra=""):
    return DEPLOY.format(replicas=replicas, image=image, extra=extra)


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def events(mk, kind: str, name: str) -> list[dict]:
    return [e for e in jget(mk, "get events")["items"]
            if e["involvedObject"]["kind"] == kind and e["involvedObject"]["name"] == name]


def pods(mk, selector: str = "") -> list[dict]:
    return jget(mk, "get pods" + (f" -l {selector}" if selector else ""))["items"]


def test_deployment_makes_a_replica_set_named_by_the_template_hash_and_its_pods(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    rss = jget(cluster, "get rs")["items"]
    assert len(rss) == 1
    rs = rss[0]
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert re.fullmatch(HASH, h)
    assert rs["metadata"]["name"] == f"web-{h}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": h}
    d = jget(cluster, "get deploy web")
    ref = rs["metadata"]["ownerReferences"]
    assert ref == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": d["metadata"]["uid"],
                    "controller": True, "blockOwnerDeletion": True}]
    ann = rs["metadata"]["annotations"]
    assert ann["deployment.kubernetes.io/revision"] == "1"
    assert ann["deployment.kubernetes.io/desired-replicas"] == "3"
    assert ann["deployment.kubernetes.io/max-replicas"] == "4"  # 3 + maxSurge 25% (rounded up)
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    ps = pods(cluster, "app=web")
    assert len(ps) == 3
    for p in ps:
        assert re.fullmatch(rf"web-{h}-{SUFFIX}", p["metadata"]["name"])
        assert p["metadata"]["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                     "name": rs["metadata"]["name"], "uid": rs["metadata"]["uid"],
                                                     "controller": True, "blockOwnerDeletion": True}]
        assert p["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}


def test_same_template_same_hash(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    h1 = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    assert cluster("delete deploy web").code == 0
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    assert jget(cluster, "get rs")["items"][0]["metadata"]["name"] == h1


def test_deployment_and_replica_set_status_and_conditions(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    d = jget(cluster, "get deploy web")
    st = d["status"]
    assert {k: st.get(k) for k in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                                     "observedGeneration")} == {"replicas": 3, "updatedReplicas": 3,
                                                                "readyReplicas": 3, "availableReplicas": 3,
                                                                "observedGeneration": 1}
    assert "unavailableReplicas" not in st
    conds = {c["type"]: c for c in st["conditions"]}
    assert (conds["Available"]["status"], conds["Available"]["reason"], conds["Available"]["message"]) == (
        "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    rs = jget(cluster, "get rs")["items"][0]
    assert (conds["Progressing"]["status"], conds["Progressing"]["reason"], conds["Progressing"]["message"]) == (
        "True", "NewReplicaSetAvailable", f'ReplicaSet "{rs["metadata"]["name"]}" has successfully progressed.')
    assert rs["status"] == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                            "observedGeneration": 1}
    r = cluster("get deploy web")
    assert r.out.splitlines()[1].split()[:4] == ["web", "3/3", "3", "3"]


def test_events_scaling_replica_set_and_successful_create(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    rs = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    ev = events(cluster, "Deployment", "web")
    assert [(e["reason"], e["message"], e["source"]["component"]) for e in ev] == [
        ("ScalingReplicaSet", f"Scaled up replica set {rs} from 0 to 3", "deployment-controller")]
    ev = events(cluster, "ReplicaSet", rs)
    assert len(ev) == 3
    names = {p["metadata"]["name"] for p in pods(cluster, "app=web")}
    assert {e["message"] for e in ev} == {f"Created pod: {n}" for n in names}
    assert {(e["reason"], e["source"]["component"]) for e in ev} == {("SuccessfulCreate", "replicaset-controller")}


def test_deleted_pod_is_replaced_with_a_new_name_and_ip(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    before = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods(cluster, "app=web")}
    victim = sorted(before)[0]
    r = cluster(f"delete pod {victim}")
    assert r.code == 0 and r.out == f'pod "{victim}" deleted\n'
    after = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods(cluster, "app=web")}
    assert len(after) == 3 and victim not in after
    new = (set(after) - set(before)).pop()
    assert after[new] not in before.values()
    assert cluster("cluster check").code == 0


def test_relabelled_pod_is_orphaned_and_replaced(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    p = pods(cluster, "app=web")[0]
    name = p["metadata"]["name"]
    p["metadata"]["labels"]["app"] = "debug"
    r = cluster(["replace", "-f", "-"], input=json.dumps(p))
    assert r.code == 0, r
    orphan = jget(cluster, f"get pod {name}")
    assert "ownerReferences" not in orphan["metadata"]
    assert orphan["status"]["phase"] == "Running"
    assert len(pods(cluster, "app=web")) == 3
    assert len(pods(cluster)) == 4
    # relabelled back: the replica set adopts it and, one too many, deletes one
    orphan["metadata"]["labels"]["app"] = "web"
    assert cluster(["replace", "-f", "-"], input=json.dumps(orphan)).code == 0
    assert len(pods(cluster, "app=web")) == 3
    rs = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    assert [e["reason"] for e in events(cluster, "ReplicaSet", rs)].count("SuccessfulDelete") == 1


def test_matching_orphan_pod_is_adopted(cluster):
    rs = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: 2
  selector: {matchLabels: {tier: front}}
  template:
    metadata: {labels: {tier: front}}
    spec:
      containers: [{name: c, image: nginx}]
"""
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: early, labels: {tier: front}}\nspec:\n  containers: [{name: c, image: nginx}]\n"
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    assert cluster(["apply", "-f", "-"], input=rs).code == 0
    ps = pods(cluster, "tier=front")
    assert len(ps) == 2
    early = jget(cluster, "get pod early")
    owner = jget(cluster, "get rs front")
    assert early["metadata"]["ownerReferences"][0]["uid"] == owner["metadata"]["uid"]
    assert len(events(cluster, "ReplicaSet", "front")) == 1  # only one pod was created


def test_scale_deployment_up_and_down(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    rs = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    r = cluster("scale deployment web --replicas=5")
    assert (r.code, r.out) == (0, "deployment.apps/web scaled\n")
    assert len(pods(cluster, "app=web")) == 5
    r = cluster("scale deploy/web --replicas=1")
    assert r.code == 0, r
    assert len(pods(cluster, "app=web")) == 1
    msgs = [e["message"] for e in events(cluster, "Deployment", "web")]
    assert msgs == [f"Scaled up replica set {rs} from 0 to 3", f"Scaled up replica set {rs} from 3 to 5",
                    f"Scaled down replica set {rs} from 5 to 1"]
    assert [e["reason"] for e in events(cluster, "ReplicaSet", rs)].count("SuccessfulDelete") == 4
    assert jget(cluster, "get rs")["items"][0]["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "1"


def test_scale_preconditions_and_errors(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    r = cluster("scale deployment web --replicas=2 --current-replicas=5")
    assert (r.code, r.err) == (1, "error: Expected replicas to be 5, was 3\n")
    r = cluster("scale deployment web --replicas=2 --current-replicas=3")
    assert r.code == 0
    r = cluster("scale deployment web")
    assert (r.code, r.err) == (1, 'error: required flag(s) "replicas" not set\n')
    r = cluster("scale deployment web --replicas=-1")
    assert r.err == "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    r = cluster("scale deployment nope --replicas=2")
    # scale.go: the builder's error after "no objects passed to scale" (kubectl 1.32; tests/parity)
    assert (r.code, r.err) == (1, 'error: no objects passed to scale deployments.apps "nope" not found\n')
    r = cluster("scale deployment --replicas=2")
    assert r.err == "error: resource(s) were provided, but no name was specified\n"
    r = cluster("scale deployment web --replicas=7 --dry-run=client")
    assert r.out == "deployment.apps/web scaled (dry run)\n"
    assert len(pods(cluster, "app=web")) == 2


def test_scale_replica_set_and_replication_controller(cluster):
    rc = """apiVersion: v1
kind: ReplicationController
metadata: {name: kubia}
spec:
  replicas: 3
  selector: {app: kubia}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers: [{name: kubia, image: luksa/kubia, ports: [{containerPort: 8080}]}]
"""
    assert cluster(["apply", "-f", "-"], input=rc).code == 0
    ps = pods(cluster, "app=kubia")
    assert len(ps) == 3 and all(re.fullmatch(rf"kubia-{SUFFIX}", p["metadata"]["name"]) for p in ps)
    ev = events(cluster, "ReplicationController", "kubia")
    assert {(e["reason"], e["source"]["component"]) for e in ev} == {("SuccessfulCreate", "replication-controller")}
    r = cluster("scale rc kubia --replicas=1")
    assert (r.code, r.out) == (0, "replicationcontroller/kubia scaled\n")
    assert len(pods(cluster, "app=kubia")) == 1
    st = jget(cluster, "get rc kubia")["status"]
    assert st["replicas"] == 1 and st["readyReplicas"] == 1
    # a ReplicaSet scaled directly
    rs = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: 1
  selector: {matchLabels: {tier: front}}
  template:
    metadata: {labels: {tier: front}}
    spec:
      containers: [{name: c, image: nginx}]
"""
    assert cluster(["apply", "-f", "-"], input=rs).code == 0
    r = cluster("scale rs front --replicas=3")
    assert (r.code, r.out) == (0, "replicaset.apps/front scaled\n")
    assert len(pods(cluster, "tier=front")) == 3


def test_scaling_a_deployments_replica_set_is_undone_by_the_deployment(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    rs = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    assert cluster(f"scale rs {rs} --replicas=5").code == 0
    assert len(pods(cluster, "app=web")) == 3


def test_rolling_update_to_a_new_template(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    old = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    r = cluster(["apply", "-f", "-"], input=deploy(image="nginx:1.28"))
    assert r.code == 0, r
    rss = {r["metadata"]["name"]: r for r in jget(cluster, "get rs")["items"]}
    assert len(rss) == 2
    new = (set(rss) - {old}).pop()
    assert rss[new]["spec"]["replicas"] == 3 and rss[old]["spec"]["replicas"] == 0
    assert rss[new]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert rss[old]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    ps = pods(cluster, "app=web")
    assert len(ps) == 3 and all(p["spec"]["containers"][0]["image"] == "nginx:1.28" for p in ps)
    d = jget(cluster, "get deploy web")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert d["status"]["observedGeneration"] == 2 and d["status"]["updatedReplicas"] == 3
    msgs = [e["message"] for e in events(cluster, "Deployment", "web")]
    # maxSurge 1 / maxUnavailable 0 of 3 replicas: one up, one down, as on a real cluster
    assert msgs == [f"Scaled up replica set {old} from 0 to 3",
                    f"Scaled up replica set {new} from 0 to 1", f"Scaled down replica set {old} from 3 to 2",
                    f"Scaled up replica set {new} from 1 to 2", f"Scaled down replica set {old} from 2 to 1",
                    f"Scaled up replica set {new} from 2 to 3", f"Scaled down replica set {old} from 1 to 0"]
    # back to the first template: the old replica set is the new one again, as revision 3
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    rss = {r["metadata"]["name"]: r for r in jget(cluster, "get rs")["items"]}
    assert rss[old]["spec"]["replicas"] == 3 and rss[new]["spec"]["replicas"] == 0
    ann = rss[old]["metadata"]["annotations"]
    assert ann["deployment.kubernetes.io/revision"] == "3"
    assert ann["deployment.kubernetes.io/revision-history"] == "1"


def test_revision_history_limit_deletes_old_replica_sets(cluster):
    extra = "revisionHistoryLimit: 1\n  "
    for tag in ("1.25", "1.26", "1.27"):
        assert cluster(["apply", "-f", "-"], input=deploy(image=f"nginx:{tag}", extra=extra)).code == 0
    rss = jget(cluster, "get rs")["items"]
    assert len(rss) == 2  # the current one plus one old
    assert sorted(r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for r in rss) == ["2", "3"]


def test_recreate_strategy_scales_old_down_before_new_up(cluster):
    extra = "strategy: {type: Recreate}\n  "
    assert cluster(["apply", "-f", "-"], input=deploy(extra=extra)).code == 0
    old = jget(cluster, "get rs")["items"][0]["metadata"]["name"]
    assert cluster(["apply", "-f", "-"], input=deploy(image="nginx:1.28", extra=extra)).code == 0
    new = [r["metadata"]["name"] for r in jget(cluster, "get rs")["items"] if r["metadata"]["name"] != old][0]
    msgs = [e["message"] for e in events(cluster, "Deployment", "web")]
    assert msgs == [f"Scaled up replica set {old} from 0 to 3", f"Scaled down replica set {old} from 3 to 0",
                    f"Scaled up replica set {new} from 0 to 3"]


def test_deleting_a_deployment_deletes_its_replica_sets_and_pods(cluster):
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    r = cluster("delete deployment web")
    assert (r.code, r.out) == (0, 'deployment.apps "web" deleted\n')
    assert jget(cluster, "get rs")["items"] == []
    assert pods(cluster, "app=web") == []
    assert cluster("cluster check").code == 0


def test_unready_pods_keep_a_rollout_waiting_and_it_times_out_on_the_clock(cluster):
    probe = ("      containers:\n      - name: web\n        image: nginx:1.28\n"
             "        readinessProbe:\n          exec: {command: [cat, /tmp/ready]}\n")
    assert cluster(["apply", "-f", "-"], input=deploy()).code == 0
    text = deploy().split("      containers:\n")[0] + probe
    assert cluster(["apply", "-f", "-"], input=text).code == 0
    rss = jget(cluster, "get rs")["items"]
    sizes = sorted((r["spec"]["replicas"], r["metadata"]["annotations"]["deployment.kubernetes.io/revision"]) for r in rss)
    assert sizes == [(1, "2"), (3, "1")]  # the new pod never becomes ready: no old pod goes
    d = jget(cluster, "get deploy web")
    prog = {c["type"]: c for c in d["status"]["conditions"]}["Progressing"]
    assert (prog["status"], prog["reason"]) == ("True", "ReplicaSetUpdated")
    assert d["status"]["unavailableReplicas"] == 1
    assert cluster("clock advance 601s").code == 0
    prog = {c["type"]: c for c in jget(cluster, "get deploy web")["status"]["conditions"]}["Progressing"]
    assert (prog["status"], prog["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert prog["message"].endswith("has timed out progressing.")


def test_min_ready_seconds_on_the_cluster_clock(cluster):
    extra = "minReadySeconds: 20\n  "
    assert cluster(["apply", "-f", "-"], input=deploy(extra=extra)).code == 0
    rs = jget(cluster, "get rs")["items"][0]
    assert rs["status"].get("readyReplicas") == 3 and "availableReplicas" not in rs["status"]
    assert cluster("clock advance 21s").code == 0
    rs = jget(cluster, "get rs")["items"][0]
    assert rs["status"]["availableReplicas"] == 3
    assert jget(cluster, "get deploy web")["status"]["availableReplicas"] == 3
