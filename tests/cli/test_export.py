"""cluster export / cluster import (issue 13): manifests that apply unchanged to a real cluster.
The round trip: export, import into a fresh cluster, export again gives the same bytes."""

from __future__ import annotations

import json
import os

import yaml

from tests.conftest import CLOCK_START, run_inprocess

SETUP = [
    "create namespace shop",
    "-n shop create deployment web --image nginx --replicas 2",
    "-n shop expose deployment web --port 80 --type NodePort",
    "-n shop create service nodeport pinned --tcp 80:8080 --node-port 30123",
    "-n shop create service clusterip fixed --tcp 80:80 --clusterip 10.96.100.100",
    "-n shop create service clusterip headless --tcp 80:80 --clusterip None",
    "run solo --image busybox -- sleep 3600",
    "create configmap conf --from-literal=a=b",
    "create secret generic s --from-literal=p=q",
    "create job once --image busybox -- echo hi",
    "create cronjob tick --image busybox --schedule */5 * * * * -- date",
    "-n shop create role reader --verb=get --resource=pods",
    "-n shop create rolebinding readers --role=reader --user=bob",
    "create clusterrole node-reader --verb=list --resource=nodes",
    "-n shop autoscale deployment web --min=2 --max=4 --cpu-percent=50",
]


def _setup(mk):
    import shlex

    for cmd in SETUP:
        args = shlex.split(cmd)
        if "--schedule" in args:  # the schedule is one argument
            i = args.index("--schedule")
            args[i + 1:i + 6] = [" ".join(args[i + 1:i + 6])]
        r = mk(args)
        assert r.code == 0, (cmd, r)
    assert cluster_ok(mk)


def cluster_ok(mk) -> bool:
    return mk("cluster check").code == 0


def _docs(text: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(text) if d]


def test_export_leaves_out_server_fields_and_generated_objects(cluster):
    mk = cluster
    _setup(mk)
    mk("clock advance 6m")  # the CronJob makes a Job, the Job its pod
    r = mk("cluster export")
    assert r.code == 0, r
    docs = _docs(r.out)
    keys = [(d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"]) for d in docs]
    assert keys == [
        ("Namespace", "", "shop"),
        ("Secret", "default", "s"),
        ("ConfigMap", "default", "conf"),
        ("ClusterRole", "", "node-reader"),
        ("Role", "shop", "reader"),
        ("RoleBinding", "shop", "readers"),
        ("Service", "shop", "fixed"), ("Service", "shop", "headless"),
        ("Service", "shop", "pinned"), ("Service", "shop", "web"),
        ("Pod", "default", "solo"),
        ("Deployment", "shop", "web"),
        ("HorizontalPodAutoscaler", "shop", "web"),
        ("Job", "default", "once"),
        ("CronJob", "default", "tick"),
    ]
    for d in docs:
        assert "status" not in d
        assert not set(d["metadata"]) & {"uid", "resourceVersion", "creationTimestamp", "generation",
                                         "managedFields", "selfLink", "ownerReferences"}
        assert "kubectl.kubernetes.io/last-applied-configuration" not in (d["metadata"].get("annotations") or {})
    by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    ports = {n: by[("Service", n)]["spec"] for n in ("web", "pinned", "fixed", "headless")}
    assert "clusterIP" not in ports["web"] and "nodePort" not in ports["web"]["ports"][0]
    assert ports["pinned"]["ports"][0]["nodePort"] == 30123 and "clusterIP" not in ports["pinned"]
    assert ports["fixed"]["clusterIP"] == "10.96.100.100" and ports["fixed"]["clusterIPs"] == ["10.96.100.100"]
    assert ports["headless"]["clusterIP"] == "None"
    solo = by[("Pod", "solo")]["spec"]
    assert not set(solo) & {"nodeName", "priority", "volumes", "tolerations", "serviceAccount"}
    assert "volumeMounts" not in solo["containers"][0]
    job = by[("Job", "once")]
    assert "selector" not in job["spec"] and "labels" not in job["metadata"]
    assert "metadata" not in job["spec"]["template"]
    assert "creationTimestamp" not in by[("Deployment", "web")]["spec"]["template"]["metadata"]


def test_export_import_export_gives_the_same_bytes(cluster, tmp_path):
    mk = cluster
    _setup(mk)
    first = mk("cluster export")
    assert first.code == 0, first
    f = tmp_path / "all.yaml"
    f.write_text(first.out)
    other = str(tmp_path / "other.db")

    def mk2(cmd):
        import shlex

        return run_inprocess(shlex.split(cmd) if isinstance(cmd, str) else cmd, other)

    assert mk2(f"cluster create --clock manual --clock-start {CLOCK_START}").code == 0
    r = mk2(f"cluster import -f {f}")
    assert r.code == 0, r
    assert r.out.splitlines()[:3] == ["namespace/shop created", "secret/s created", "configmap/conf created"]
    assert mk2("-n shop get svc pinned -o jsonpath={.spec.ports[0].nodePort}").out == "30123"
    assert mk2("-n shop get svc fixed -o jsonpath={.spec.clusterIP}").out == "10.96.100.100"
    second = mk2("cluster export")
    assert second.code == 0
    assert second.out == first.out
    again = mk2(f"cluster import -f {f}")  # applying again changes nothing
    assert again.code == 0 and "created" not in again.out and "configured" not in again.out, again


def test_export_to_directory_json_and_namespace(cluster, tmp_path):
    mk = cluster
    _setup(mk)
    d = tmp_path / "out"
    r = mk(f"cluster export -o json --file {d}/")
    assert r.code == 0, r
    assert r.out == f"exported 15 objects to {d}/ (3 files)\n"
    assert sorted(os.listdir(d)) == ["00-cluster.json", "default.json", "shop.json"]
    data = json.loads((d / "shop.json").read_text())
    assert data["kind"] == "List" and {i["kind"] for i in data["items"]} == {
        "Role", "RoleBinding", "Service", "Deployment", "HorizontalPodAutoscaler"}
    r = mk("-n shop cluster export")
    assert [(x["kind"], x["metadata"]["name"]) for x in _docs(r.out)][:3] == [
        ("Namespace", "shop"), ("Role", "reader"), ("RoleBinding", "readers")]
    other = str(tmp_path / "o.db")
    assert run_inprocess(["cluster", "create", "--clock", "manual"], other).code == 0
    r = run_inprocess(["cluster", "import", "-f", str(d)], other)  # shop.json sorted after its Namespace
    assert r.code == 0, r
    r = mk("-n nope cluster export")
    assert (r.code, r.err) == (1, 'error: namespaces "nope" not found\n')


def test_import_refusal_changes_nothing(cluster, tmp_path):
    mk = cluster
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n"
                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: missing\n")
    r = mk(f"cluster import -f {bad}")
    assert r.code == 1 and r.err.startswith("Error from server (NotFound)"), r
    assert mk("get ns a").code == 1
    r = mk("cluster import")
    assert (r.code, r.err) == (1, "error: must specify one of -f and -k\n")


CLAIM_AND_INGRESSES = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: defaulted}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: chosen}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""


def test_defaulted_class_and_provisioned_volume_left_to_the_target_cluster(cluster, tmp_path):
    """A claim's default StorageClass and provisioned volume, and an Ingress's default class, were
    the emulator's choices: the target cluster (k3s: local-path, Traefik) makes its own."""
    mk = cluster
    f = tmp_path / "in.yaml"
    f.write_text(CLAIM_AND_INGRESSES)
    assert mk(f"apply -f {f}").code == 0
    assert mk(["run", "p", "--image", "nginx", "--overrides",
               '{"spec":{"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"data"}}]}}']).code == 0
    assert mk("get pvc data -o jsonpath={.status.phase}").out == "Bound"
    docs = {(d["kind"], d["metadata"]["name"]): d for d in _docs(mk("cluster export").out)}
    assert ("PersistentVolume", mk("get pvc data -o jsonpath={.spec.volumeName}").out) not in docs
    assert set(docs[("PersistentVolumeClaim", "data")]["spec"]) == {"accessModes", "resources", "volumeMode"}
    assert "finalizers" not in docs[("PersistentVolumeClaim", "data")]["metadata"]
    assert "ingressClassName" not in docs[("Ingress", "defaulted")]["spec"]
    assert docs[("Ingress", "chosen")]["spec"]["ingressClassName"] == "nginx"


def test_the_record_of_pinned_values_goes_with_its_object(mk, state):
    """A Service with a user-given clusterIP/nodePort leaves no `pinned:UID` row behind once deleted."""
    import sqlite3
    assert mk("cluster create --clock manual").code == 0
    manifest = ("apiVersion: v1\nkind: Service\nmetadata: {name: pin}\nspec:\n  type: NodePort\n"
                "  clusterIP: 10.96.100.100\n  ports: [{port: 80, nodePort: 30111}]\n  selector: {app: x}\n")

    def rows():
        with sqlite3.connect(state) as c:
            return c.execute("SELECT count(*) FROM meta WHERE key LIKE 'pinned:%'").fetchone()[0]
    before = rows()
    assert mk("apply -f -", input=manifest).code == 0
    assert rows() == before + 1
    assert mk("delete svc pin").code == 0
    assert rows() == before
