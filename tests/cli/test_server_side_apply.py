"""metadata.managedFields and `apply --server-side` through minikctl's CLI (issue 14).

Upstream: sigs.k8s.io/structured-merge-diff (fieldpath/serialize.go FieldsV1, typed/tofieldset.go,
typed/compare.go, merge/update.go Updater.Apply/Update/prune, merge/conflict.go),
k8s.io/apimachinery/pkg/util/managedfields/internal (conflict.go getConflictMessage/printManager,
stripmeta.go, managedfieldsupdater.go, lastappliedmanager.go), kubectl 1.32
pkg/cmd/apply/apply.go (the conflict advice, "serverside-applied", --force-conflicts checks) and
printers.OmitManagedFieldsPrinter (managedFields hidden without --show-managed-fields).
"""

from __future__ import annotations

import json

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {labels}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: {image}
"""

ADVICE = """Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
"""

T0 = "2026-03-14T15:09:26Z"  # tests/conftest.py CLOCK_START


def deploy(replicas=2, image="nginx", labels="{app: web}"):
    return DEPLOY.format(replicas=replicas, image=image, labels=labels)


def _managed(mk, ref="deploy/web"):
    r = mk(f"get {ref} -o json --show-managed-fields")
    assert r.code == 0, r
    return json.loads(r.out)["metadata"].get("managedFields") or []


def _entry(mk, manager, ref="deploy/web", operation=None):
    found = [e for e in _managed(mk, ref) if e["manager"] == manager and operation in (None, e["operation"])]
    assert len(found) == 1, _managed(mk, ref)
    return found[0]


def test_create_deployment_records_kubectl_create_and_the_controller(cluster):
    mk = cluster
    assert mk("create deployment web --image=nginx").code == 0
    entries = _managed(mk)
    # sorted as kube-apiserver writes them (operation, time, manager); Go's field order in each
    assert [(e["manager"], e["operation"], e.get("subresource")) for e in entries] == [
        ("kube-controller-manager", "Update", "status"), ("kubectl-create", "Update", None)]
    create = entries[1]
    assert (create["apiVersion"], create["time"], create["fieldsType"]) == ("apps/v1", T0, "FieldsV1")
    # what kube-apiserver 1.32 records for `kubectl create deployment web --image=nginx`: the
    # defaulted fields, `.` where a map or list item did not exist in the empty object
    assert create["fieldsV1"] == {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {"f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {}, "f:selector": {},
                   "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}},
                                  "f:type": {}},
                   "f:template": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                                  "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                                      ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {},
                                      "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}},
                                      "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:schedulerName": {},
                                      "f:securityContext": {}, "f:terminationGracePeriodSeconds": {}}}}}


def test_pods_record_the_controller_and_the_kubelet_but_not_admission(cluster):
    mk = cluster
    assert mk("create deployment web --image=nginx").code == 0
    pod = json.loads(mk("get pods -o json --show-managed-fields").out)["items"][0]
    by = {e["manager"]: e for e in pod["metadata"]["managedFields"]}
    assert sorted(by) == ["kube-controller-manager", "kubelet"]
    kcm = by["kube-controller-manager"]["fieldsV1"]
    # the service account volume, tolerations and priority are admission's: nobody's
    assert sorted(kcm["f:spec"]) == ["f:containers", "f:dnsPolicy", "f:enableServiceLinks", "f:restartPolicy",
                                     "f:schedulerName", "f:securityContext", "f:terminationGracePeriodSeconds"]
    assert "f:status" not in kcm
    assert by["kubelet"]["subresource"] == "status"
    assert sorted(by["kubelet"]["fieldsV1"]["f:status"])[:2] == ["f:conditions", "f:containerStatuses"]


def test_pods_of_one_replicaset_each_record_their_own_ips(cluster, tmp_path):
    """The field manager computes a write's entries once per kind of change (the kubelet's status
    writes of a ReplicaSet's pods: api/fieldmanager.py _update_key); each pod's entries still name
    its own podIPs item, and pods left Pending get kube-scheduler's entry."""
    mk = cluster
    assert mk("create deployment web --image=nginx --replicas=4").code == 0
    f = tmp_path / "big.yaml"  # no node has 900 CPUs
    f.write_text(deploy(replicas=3).replace("name: web", "name: big").replace("{app: web}", "{app: big}")
                 + "        resources: {requests: {cpu: '900'}}\n")
    assert mk(f"apply -f {f}").code == 0
    pods = json.loads(mk("get pods -o json --show-managed-fields").out)["items"]
    running = [p for p in pods if p["metadata"]["name"].startswith("web-")]
    assert len(running) == 4 and len({p["status"]["podIP"] for p in running}) == 4
    shapes = set()
    for p in running:
        by = {e["manager"]: e for e in p["metadata"]["managedFields"]}
        status = by["kubelet"]["fieldsV1"]["f:status"]
        assert list(status["f:podIPs"]) == [".", 'k:{"ip":"%s"}' % p["status"]["podIP"]]
        assert status["f:hostIPs"] == {}  # +listType=atomic in 1.32's PodStatus
        text = json.dumps(p["metadata"]["managedFields"], sort_keys=True)
        shapes.add(text.replace(p["status"]["podIP"], "POD").replace(p["status"]["hostIP"], "HOST"))
    assert len(shapes) == 1
    pending = [p for p in pods if p["metadata"]["name"].startswith("big-") and p["status"]["phase"] == "Pending"]
    assert len(pending) == 3
    entries = [p["metadata"]["managedFields"] for p in pending]
    assert all(e == entries[0] for e in entries)
    sched = {e["manager"]: e for e in entries[0]}["kube-scheduler"]
    assert sched["subresource"] == "status"
    assert list(sched["fieldsV1"]["f:status"]["f:conditions"]) == [".", 'k:{"type":"PodScheduled"}']


def test_get_hides_managed_fields_unless_asked(cluster):
    mk = cluster
    assert mk("create deployment web --image=nginx").code == 0
    assert "managedFields" not in mk("get deploy web -o yaml").out
    assert "managedFields" not in mk("get deploy -o json").out
    # only the json and yaml printers hide them (JSONYamlPrintFlags.ToPrinter): templates see them
    assert mk("get deploy web -o jsonpath={.metadata.managedFields[*].manager}").out == (
        "kube-controller-manager kubectl-create")
    assert "managedFields" in mk("get deploy web -o yaml --show-managed-fields").out
    assert "managedFields" not in mk("label deploy web tier=x -o yaml").out


def test_label_and_scale_record_their_managers(cluster):
    mk = cluster
    assert mk("create deployment web --image=nginx").code == 0
    assert mk("label deploy web tier=front").code == 0
    assert _entry(mk, "kubectl-label")["fieldsV1"] == {"f:metadata": {"f:labels": {"f:tier": {}}}}
    assert mk("label deploy web tier=back --overwrite --field-manager=ops").code == 0
    # the new writer takes the field; the old one's entry is left empty and goes
    assert _entry(mk, "ops")["fieldsV1"] == {"f:metadata": {"f:labels": {"f:tier": {}}}}
    assert [e for e in _managed(mk) if e["manager"] == "kubectl-label"] == []
    # kubectl scale has no --field-manager: kube-apiserver names it after the User-Agent, on /scale
    assert mk("scale deploy web --replicas=3").code == 0
    e = _entry(mk, "kubectl")
    assert (e["operation"], e["subresource"], e["fieldsV1"]) == ("Update", "scale", {"f:spec": {"f:replicas": {}}})
    assert "f:replicas" not in _entry(mk, "kubectl-create")["fieldsV1"]["f:spec"]


def test_update_managers_are_capped_at_ten(cluster):
    """capmanagers.go: past 10 Update entries the oldest merge into "ancient-changes"."""
    mk = cluster
    assert mk("create configmap cm --from-literal=a=b").code == 0
    for i in range(11):
        mk("clock advance 1s")
        assert mk(f"label cm cm l{i}=x --field-manager=m{i}").code == 0
    entries = _managed(mk, "cm/cm")
    assert len(entries) == 10
    assert entries[0]["manager"] == "ancient-changes"
    # kubectl-create's entry takes m0's and m1's (the two oldest after it), with m1's time
    assert entries[0]["fieldsV1"] == {"f:data": {".": {}, "f:a": {}},
                                      "f:metadata": {"f:labels": {".": {}, "f:l0": {}, "f:l1": {}}}}
    assert entries[0]["time"] == "2026-03-14T15:09:28Z"
    assert [e["manager"] for e in entries[1:]] == [f"m{i}" for i in range(2, 11)]


def test_server_side_apply_creates_and_owns_what_it_applied(cluster, tmp_path):
    mk = cluster
    f = tmp_path / "d.yaml"
    f.write_text(deploy())
    r = mk(f"apply --server-side -f {f}")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    e = _entry(mk, "kubectl")
    assert (e["operation"], e["apiVersion"], e["time"]) == ("Apply", "apps/v1", T0)
    # typed/tofieldset.go: no `.` for a struct field or a map of its own (only list items)
    assert e["fieldsV1"] == {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {"f:replicas": {}, "f:selector": {},
                   "f:template": {"f:metadata": {"f:labels": {"f:app": {}}},
                                  "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                                      ".": {}, "f:image": {}, "f:name": {}}}}}}}
    # the same configuration again: nothing changes, the entry keeps its time
    mk("clock advance 1m")
    assert mk(f"apply --server-side -f {f}").out == "deployment.apps/web serverside-applied\n"
    assert _entry(mk, "kubectl")["time"] == T0


def test_conflict_with_client_side_apply_is_refused_with_kubectl_advice(cluster, tmp_path):
    mk = cluster
    f = tmp_path / "d.yaml"
    f.write_text(deploy())
    assert mk(f"apply -f {f}").out == "deployment.apps/web created\n"
    assert _entry(mk, "kubectl-client-side-apply")["operation"] == "Update"
    before = mk("get deploy web -o yaml --show-managed-fields").out
    f.write_text(deploy(replicas=3))
    r = mk(f"apply --server-side --field-manager=ci -f {f}")
    assert (r.code, r.out) == (1, "")
    assert r.err == ('error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: '
                     ".spec.replicas\n" + ADVICE)
    assert mk("get deploy web -o yaml --show-managed-fields").out == before
    # two fields: one line each under the manager (getConflictMessage)
    f.write_text(deploy(replicas=3, image="nginx:1.27"))
    r = mk(f"apply --server-side --field-manager=ci -f {f}")
    assert r.err == ('error: Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n'
                     "- .spec.replicas\n"
                     '- .spec.template.spec.containers[name="nginx"].image\n' + ADVICE)
    # --force-conflicts takes the fields
    r = mk(f"apply --server-side --field-manager=ci --force-conflicts -f {f}")
    assert (r.code, r.out) == (0, "deployment.apps/web serverside-applied\n")
    assert mk("get deploy web -o jsonpath={.spec.replicas}").out == "3"
    # then kubectl migrates client-side apply's entry into the applier's (migrateToSSAIfNecessary,
    # whatever --field-manager is) and applies again, which drops what only that entry held
    assert [(e["manager"], e["operation"]) for e in _managed(mk)] == [
        ("ci", "Apply"), ("kube-controller-manager", "Update")]
    assert _entry(mk, "ci")["fieldsV1"]["f:spec"] == {
        "f:replicas": {}, "f:selector": {},
        "f:template": {"f:metadata": {"f:labels": {"f:app": {}}},
                       "f:spec": {"f:containers": {'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}}}}}
    assert "last-applied" not in mk("get deploy web -o yaml").out


def test_kubectl_takes_over_its_client_side_apply(cluster, tmp_path):
    """The default manager "kubectl" may take what the last-applied configuration held
    (lastappliedmanager.go), keeps the annotation under "kubectl-last-applied" and migrates
    client-side apply's entry into its own (kubectl apply.go, csaupgrade)."""
    mk = cluster
    f = tmp_path / "d.yaml"
    f.write_text(deploy())
    assert mk(f"apply -f {f}").code == 0
    f.write_text(deploy(replicas=3))
    r = mk(f"apply --server-side -f {f}")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    assert [(e["manager"], e["operation"]) for e in _managed(mk)] == [
        ("kubectl", "Apply"), ("kubectl-last-applied", "Apply"), ("kube-controller-manager", "Update")]
    assert _entry(mk, "kubectl-last-applied")["fieldsV1"] == {
        "f:metadata": {"f:annotations": {"f:kubectl.kubernetes.io/last-applied-configuration": {}}}}
    assert mk("get deploy web -o jsonpath={.spec.replicas}").out == "3"


def test_fields_dropped_from_the_configuration_are_removed_unless_another_manager_owns_them(cluster, tmp_path):
    mk = cluster
    f = tmp_path / "d.yaml"
    f.write_text(deploy(labels="{app: web, tier: front, team: a}"))
    assert mk(f"apply --server-side -f {f}").code == 0
    assert mk("label deploy web team=a --overwrite").code == 0  # the same value: kubectl-label co-owns nothing new
    assert mk("label deploy web team=b --overwrite").code == 0  # kubectl-label takes team
    f.write_text(deploy(labels="{app: web}"))
    assert mk(f"apply --server-side -f {f}").code == 0
    labels = json.loads(mk("get deploy web -o jsonpath={.metadata.labels}").out)
    assert labels == {"app": "web", "team": "b"}  # tier went with the applier; team is kubectl-label's


def test_server_side_apply_refusals_and_dry_run(cluster, tmp_path):
    mk = cluster
    f = tmp_path / "d.yaml"
    f.write_text(deploy())
    r = mk(f"apply --force-conflicts -f {f}")
    assert (r.code, r.err) == (1, "error: --force-conflicts only works with --server-side\n")
    r = mk(f"apply --server-side --dry-run=client -f {f}")
    assert (r.code, r.err) == (1, "error: --dry-run=client doesn't work with --server-side (did you mean "
                                  "--dry-run=server instead?)\n")
    r = mk(f"apply --server-side --dry-run=server -f {f}")
    assert (r.code, r.out) == (0, "deployment.apps/web serverside-applied (server dry run)\n")
    assert mk("get deploy").err == "No resources found in default namespace.\n"
    r = mk(f"apply --server-side -f {f} -o yaml")
    assert r.code == 0 and "managedFields" not in r.out and "replicas: 2" in r.out
    assert "manager: kubectl\n" in mk(f"apply --server-side -f {f} -o yaml --show-managed-fields").out


def test_applying_a_dumped_object_co_owns_it_and_owns_no_status(cluster, tmp_path):
    """The main resource's reset fields (status) are nobody's there (GetResetFields, the Updater's
    IgnoreFilter): a `get -o yaml` dump applies without conflicts, co-owning what it repeats."""
    mk = cluster
    assert mk("create deployment web --image=nginx").code == 0
    f = tmp_path / "dump.yaml"
    f.write_text(mk("get deploy web -o yaml").out)
    r = mk(f"apply --server-side --field-manager=dump -f {f}")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    fields = _entry(mk, "dump")["fieldsV1"]
    assert "f:status" not in fields and "f:replicas" in fields["f:spec"]
    assert "f:replicas" in _entry(mk, "kubectl-create")["fieldsV1"]["f:spec"]  # co-owned, not taken
    mk("label deploy web tier=x")
    r = mk(f"apply --server-side --field-manager=dump -f {f}")  # its resourceVersion is stale now
    # a 409 all the same: kubectl adds its advice to any Conflict
    assert (r.code, r.err) == (1, 'error: Operation cannot be fulfilled on deployments.apps "web": the object has '
                                  "been modified; please apply your changes to the latest version and try again\n"
                                  + ADVICE)
