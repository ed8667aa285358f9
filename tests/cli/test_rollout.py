"""rollout status|history|undo|restart|pause|resume through the CLI on a manual clock (issue 12).

Messages from staging/src/k8s.io/kubectl/pkg/polymorphichelpers (rollout_status.go,
history.go, rollback.go, objectpauser.go, objectresumer.go, objectrestarter.go) and
pkg/cmd/rollout; revisions as the deployment controller keeps them (pkg/controller/deployment
sync.go, progress.go); ControllerRevisions for DaemonSets and StatefulSets.
"""

from __future__ import annotations

import json

from tests.helpers import store_snapshot

PROBED = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
{extra}  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        readinessProbe:
          httpGet: {{path: /, port: 80}}
          initialDelaySeconds: 5
          periodSeconds: 5
"""


def _web(mk, extra=""):
    r = mk("apply -f -", input=PROBED.format(extra=extra))
    assert r.code == 0, r
    r = mk("rollout status deploy/web")
    assert r.code == 0, r


def _now(mk) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(mk("clock").out.split()[0].replace("Z", "+00:00")).timestamp())


def _created(mk) -> int:
    from datetime import datetime

    ts = mk("get deploy web -o jsonpath={.metadata.creationTimestamp}").out
    return int(datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp())


def _deploy(mk, name="web"):
    return json.loads(mk(f"get deploy {name} -o json").out)


def test_history_lists_revisions_with_change_cause(cluster):
    mk = cluster
    _web(mk)
    assert mk("rollout history deploy/web").out == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    assert mk("set image deploy/web nginx=nginx:1.26").out == "deployment.apps/web image updated\n"
    # the controller copies the deployment's annotations to its new replica set (as a real one does)
    mk("annotate deploy web kubernetes.io/change-cause='image 1.26'")
    r = mk("rollout history deployment web")
    assert r.out == ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.26\n\n")
    # the revision annotation on the deployment and its replica sets (deploymentutil.SetNewReplicaSetAnnotations)
    assert _deploy(mk)["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    revs = sorted(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                  for rs in json.loads(mk("get rs -o json").out)["items"])
    assert revs == ["1", "2"]


def test_history_revision_prints_the_pod_template(cluster):
    mk = cluster
    _web(mk)
    mk("set image deploy/web nginx=nginx:1.26")
    h = [rs["metadata"]["labels"]["pod-template-hash"] for rs in json.loads(mk("get rs -o json").out)["items"]
         if rs["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"][0]
    r = mk("rollout history deploy/web --revision=2")
    assert r.out == ("deployment.apps/web with revision #2\n"
                     "Pod Template:\n"
                     "  Labels:\tapp=web\n"
                     f"\tpod-template-hash={h}\n"
                     "  Containers:\n"
                     "   nginx:\n"
                     "    Image:\tnginx:1.26\n"
                     "    Port:\t<none>\n"
                     "    Host Port:\t<none>\n"
                     "    Readiness:\thttp-get http://:80/ delay=5s timeout=1s period=5s #success=1 #failure=3\n"
                     "    Environment:\t<none>\n"
                     "    Mounts:\t<none>\n"
                     "  Volumes:\t<none>\n"
                     "  Node-Selectors:\t<none>\n"
                     "  Tolerations:\t<none>\n\n")
    r = mk("rollout history deploy/web --revision=7")
    assert (r.code, r.out, r.err) == (1, "", "error: unable to find the specified revision\n")
    r = mk("rollout history deploy/web --revision=-1")
    assert (r.code, r.err) == (1, "error: revision must be a positive integer: -1\n")


def test_status_waits_on_the_manual_clock_and_prints_progress(cluster):
    mk = cluster
    r = mk("apply -f -", input=PROBED.format(extra=""))
    assert r.code == 0
    r = mk("rollout status deploy/web")
    assert r.out == ('Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n'
                     'deployment "web" successfully rolled out\n'), r
    # the wait moved the cluster clock to the first readiness probe that passed (5s delay), one second at a time
    assert _now(mk) - _created(mk) == 5
    mk("set image deploy/web nginx=nginx:1.26")
    r = mk("rollout status deploy/web --watch=false")
    assert r.out == 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'
    r = mk("rollout status deploy/web")
    assert r.lines == ['Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
                       'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...',
                       'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
                       'deployment "web" successfully rolled out']
    assert mk("rollout status deploy/web").out == 'deployment "web" successfully rolled out\n'


def test_status_timeout_and_pod_warning(cluster):
    mk = cluster
    _web(mk)
    mk("set image deploy/web nginx=nginx:nope")
    before = mk("clock").out.split()[0]
    r = mk("rollout status deploy/web --timeout=20s")
    assert r.code == 1
    assert r.out.startswith('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been '
                            'updated... (Warning: ErrImagePull - ')
    assert r.err == "error: timed out waiting for the condition\n"
    assert before != mk("clock").out.split()[0]


def test_status_progress_deadline_exceeded(cluster):
    mk = cluster
    _web(mk, "  progressDeadlineSeconds: 30\n")
    mk("set image deploy/web nginx=nginx:nope")
    r = mk("rollout status deploy/web")
    assert r.code == 1 and r.err == 'error: deployment "web" exceeded its progress deadline\n'
    cond = [c for c in _deploy(mk)["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert (cond["status"], cond["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert cond["message"].endswith('has timed out progressing.')


def test_status_refusals(cluster):
    mk = cluster
    _web(mk)
    assert mk("rollout status").err == "error: required resource not specified\n"
    r = mk("rollout status deploy/web --revision=3")
    assert (r.code, r.err) == (1, "error: desired revision (3) is different from the running revision (1)\n")
    r = mk("rollout status svc/kubernetes")
    assert (r.code, r.err) == (1, "error: no status viewer has been implemented for Service\n")
    r = mk("rollout status deploy/nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "nope" not found\n')
    r = mk("rollout status deploy/web --timeout=bogus")
    assert r.code == 1 and 'invalid argument "bogus" for "--timeout" flag' in r.err


def test_undo_rolls_back_and_skips(cluster, state):
    mk = cluster
    _web(mk)
    mk("set image deploy/web nginx=nginx:1.26")
    mk("rollout status deploy/web")
    assert mk("rollout undo deploy/web").out == "deployment.apps/web rolled back\n"
    mk("rollout status deploy/web")
    d = _deploy(mk)
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert mk("rollout history deploy/web").out == ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n"
                                                     "3         <none>\n\n")
    # revision 1 became 3: the replica set keeps the old number in revision-history
    rs = [r for r in json.loads(mk("get rs -o json").out)["items"]
          if r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"][0]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    r = mk("rollout undo deploy/web --to-revision=3")
    assert r.out == "deployment.apps/web skipped rollback (current template already matches revision 3)\n"
    before = store_snapshot(state)
    r = mk("rollout undo deploy/web --to-revision=9")
    assert (r.code, r.out, r.err) == (1, "", "error: unable to find specified revision 9 in history\n")
    assert store_snapshot(state) == before
    r = mk("rollout undo deploy/web --to-revision=2 --dry-run=server")
    assert r.out == "deployment.apps/web rolled back (server dry run)\n"
    assert store_snapshot(state) == before
    r = mk("rollout undo deploy/web --to-revision=2 -o name")
    assert r.out == "deployment.apps/web\n"
    assert _deploy(mk)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"


def test_undo_without_history_and_paused(cluster, state):
    mk = cluster
    _web(mk)
    before = store_snapshot(state)
    r = mk("rollout undo deploy/web")
    assert (r.code, r.err) == (1, 'error: no rollout history found for deployment "web"\n')
    assert store_snapshot(state) == before
    mk("set image deploy/web nginx=nginx:1.26")
    assert mk("rollout pause deploy/web").out == "deployment.apps/web paused\n"
    before = store_snapshot(state)
    r = mk("rollout undo deploy/web")
    assert r.err == ("error: you cannot rollback a paused deployment; resume it first with "
                     "'kubectl rollout resume deployment/web' and try again\n")
    assert store_snapshot(state) == before


def test_revision_history_limit_prunes_old_replica_sets(cluster):
    mk = cluster
    _web(mk, "  revisionHistoryLimit: 1\n")
    for tag in ("1.26", "1.27", "1.25-alpine"):
        mk(f"set image deploy/web nginx=nginx:{tag}")
        mk("rollout status deploy/web")
    assert mk("rollout history deploy/web").out == ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n3         <none>\n"
                                                     "4         <none>\n\n")
    assert len(json.loads(mk("get rs -o json").out)["items"]) == 2


def test_pause_resume_and_paused_deployments_do_not_roll(cluster, state):
    mk = cluster
    _web(mk)
    assert mk("rollout pause deploy/web").out == "deployment.apps/web paused\n"
    before = store_snapshot(state)
    r = mk("rollout pause deploy/web")
    assert (r.code, r.out, r.err) == (1, "", 'error: deployments.apps "web" is already paused\n')
    r = mk("rollout restart deploy/web")
    assert r.err == 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n'
    assert store_snapshot(state) == before
    mk("set image deploy/web nginx=nginx:1.26")
    assert len(json.loads(mk("get rs -o json").out)["items"]) == 1  # paused: no new replica set
    assert mk("rollout resume deploy/web").out == "deployment.apps/web resumed\n"
    assert len(json.loads(mk("get rs -o json").out)["items"]) == 2
    r = mk("rollout resume deploy/web")
    assert (r.code, r.err) == (1, 'error: deployments.apps "web" is not paused\n')
    r = mk("rollout pause ds/nope")
    assert r.err == 'Error from server (NotFound): daemonsets.apps "nope" not found\n'


def test_restart_sets_restarted_at_from_the_cluster_clock(cluster):
    mk = cluster
    _web(mk)
    assert mk("rollout restart deploy/web").out == "deployment.apps/web restarted\n"
    now = mk("clock").out.split()[0]
    d = _deploy(mk)
    assert d["spec"]["template"]["metadata"]["annotations"] == {"kubectl.kubernetes.io/restartedAt": now}
    # the same second again: kubectl's empty patch error, and the object printed anyway
    r = mk("rollout restart deploy/web")
    assert (r.code, r.out, r.err) == (1, "deployment.apps/web restarted\n",
                                      "error: failed to create patch for web: empty patch\n")
    mk("clock advance 1m")
    assert mk("rollout restart deployment").out == "deployment.apps/web restarted\n"  # a type alone: all of them
    mk("rollout status deploy/web")
    assert mk("rollout history deploy/web").out.count("\n") == 6  # revisions 1, 2, 3


def test_statefulset_history_undo_and_status(cluster):
    mk = cluster
    sts = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: c
        image: nginx:1.25
"""
    assert mk("apply -f -", input=sts).code == 0
    r = mk("rollout status sts/db")
    # the defaulted rollingUpdate.partition (0) makes it the partitioned message, as on a real cluster
    assert (r.code, r.lines[-1]) == (0, "partitioned roll out complete: 2 new pods have been updated..."), r
    mk("set image sts/db c=nginx:1.26")
    mk("rollout status sts/db")
    assert mk("rollout history sts/db").out == "statefulset.apps/db \nREVISION\n1\n2\n\n"
    r = mk("get controllerrevisions")  # printers.go printControllerRevision's columns
    assert r.lines[0].split() == ["NAME", "CONTROLLER", "REVISION", "AGE"]
    assert sorted(line.split()[1:3] for line in r.lines[1:]) == [["statefulset.apps/db", "1"],
                                                                 ["statefulset.apps/db", "2"]]
    assert mk("rollout undo sts/db").out == "statefulset.apps/db rolled back\n"
    r = mk("rollout status sts/db")
    assert r.code == 0
    assert json.loads(mk("get sts db -o json").out)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert mk("rollout history sts/db").out == "statefulset.apps/db \nREVISION\n2\n3\n\n"
    r = mk("rollout undo sts/db --to-revision=3")
    assert r.out == "statefulset.apps/db skipped rollback (current template already matches revision 3)\n"
    r = mk("rollout pause sts/db")
    assert r.err == 'error: statefulsets.apps "db" pausing is not supported\n'


def test_daemonset_controller_revisions(cluster):
    mk = cluster
    ds = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: c
        image: nginx:1.25
"""
    assert mk("apply -f -", input=ds).code == 0
    assert mk("rollout status ds/agent").lines[-1] == 'daemon set "agent" successfully rolled out'
    mk("annotate ds agent kubernetes.io/change-cause=v1.26")
    mk("set image ds/agent c=nginx:1.26")
    r = mk("rollout status ds/agent")
    assert r.code == 0 and r.lines[-1] == 'daemon set "agent" successfully rolled out'
    assert mk("rollout history ds/agent").out == ("daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n"
                                                   "2         v1.26\n\n")
    crs = json.loads(mk("get controllerrevisions -o json").out)["items"]
    assert sorted(c["revision"] for c in crs) == [1, 2]
    assert all(c["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet" for c in crs)
    r = mk("rollout history ds/agent --revision=1")
    assert r.out.startswith("daemonset.apps/agent with revision #1\nPod Template:\n  Labels:\tapp=agent\n")
    assert "Image:\tnginx:1.25\n" in r.out
    assert mk("rollout undo ds/agent").out == "daemonset.apps/agent rolled back\n"
    mk("rollout status ds/agent")
    pods = json.loads(mk("get pods -o json").out)["items"]
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.25"}
    r = mk("rollout undo ds/agent --to-revision=1")
    assert r.code == 1 and r.err == "error: unable to find specified revision 1 in history\n"


def test_help_says_status_waits_on_the_cluster_clock(cluster):
    r = cluster("rollout status --help")
    assert "on a manual clock it advances the clock" in r.out
    r = cluster("rollout")
    assert "Available Commands:" in r.out and "undo" in r.out


def test_completion_offers_kubectls_valid_types(cluster):
    mk = cluster
    mk("create deployment web --image=nginx")
    assert mk("__complete -- rollout undo ''").lines == ["deployment", "daemonset", "statefulset", ":4"]
    assert mk("__complete -- rollout pause ''").lines == ["deployment", ":4"]
    assert mk("__complete -- rollout status deployment ''").lines == ["web", ":4"]
    assert mk("__complete -- set image deploy/").lines == ["deploy/web", ":4"]


def test_paused_condition_and_deadline_counted_from_resume(cluster):
    """sync.go checkPausedConditions: Progressing Unknown DeploymentPaused, then DeploymentResumed,
    so a deployment paused longer than its progressDeadlineSeconds does not time out on resume."""
    mk = cluster
    _web(mk, "  progressDeadlineSeconds: 60\n")
    mk("rollout pause deploy/web")
    cond = [c for c in _deploy(mk)["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert (cond["status"], cond["reason"], cond["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    mk("set image deploy/web nginx=nginx:1.26")
    mk("clock advance 5m")
    mk("rollout resume deploy/web")
    r = mk("rollout status deploy/web")
    assert (r.code, r.lines[-1]) == (0, 'deployment "web" successfully rolled out'), r
    cond = [c for c in _deploy(mk)["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert (cond["status"], cond["reason"]) == ("True", "NewReplicaSetAvailable")


def test_clock_advance_stops_at_the_progress_deadline(cluster):
    """requeueStuckDeployment enqueues the deployment one second past its deadline: a long
    `clock advance` stops there, so the condition carries that time (DeploymentTimedOut is strict)."""
    from datetime import datetime

    mk = cluster
    _web(mk, "  progressDeadlineSeconds: 30\n")
    mk("set image deploy/web nginx=nginx:nope")
    t0 = _now(mk)
    mk("clock advance 10m")
    cond = [c for c in _deploy(mk)["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert cond["reason"] == "ProgressDeadlineExceeded"
    at = int(datetime.fromisoformat(cond["lastUpdateTime"].replace("Z", "+00:00")).timestamp())
    assert at - t0 == 31
