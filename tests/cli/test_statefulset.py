"""StatefulSets, PersistentVolumeClaims, PersistentVolumes and StorageClasses through the CLI,
on a manual clock (issue 11). Behaviour after Kubernetes 1.32's pkg/controller/statefulset,
kube-scheduler's VolumeBinding plugin and kind's local-path provisioner; columns and describe
after kubectl 1.32's printers.go and describe.go."""

from __future__ import annotations

import json

import pytest

SVC = """
apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{port: 80, name: web}]
"""

STS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web}}
spec:
  serviceName: nginx
  replicas: {replicas}
  podManagementPolicy: {policy}
  selector: {{matchLabels: {{app: nginx}}}}
  template:
    metadata: {{labels: {{app: nginx}}}}
    spec:
      containers:
      - name: nginx
        image: {image}
        ports: [{{containerPort: 80, name: web}}]
        volumeMounts: [{{name: www, mountPath: /usr/share/nginx/html}}]
{probe}
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {{requests: {{storage: 1Gi}}}}
"""

PROBE = """        readinessProbe:
          exec: {command: [ls, /tmp/ready]}
          periodSeconds: 5
"""


def sts_yaml(replicas=3, policy="OrderedReady", image="registry.k8s.io/nginx-slim:0.24", probe=False, extra=""):
    return STS.format(replicas=replicas, policy=policy, image=image, probe=PROBE if probe else "") + extra


def pods(mk) -> list[str]:
    return sorted(p["metadata"]["name"] for p in json.loads(mk("get pods -l app=nginx -o json").out)["items"])


def pod(mk, name) -> dict:
    return json.loads(mk(f"get pod {name} -o json").out)


@pytest.fixture
def web(cluster):
    r = cluster(["apply", "-f", "-"], input=SVC + "---\n" + sts_yaml())
    assert r.code == 0, r
    return cluster


# ------------------------------------------------------------------ creation
def test_ordered_ready_waits_for_each_pod_to_be_ready(cluster):
    """OrderedReady: web-1 is created only once web-0 is Running and Ready."""
    r = cluster(["apply", "-f", "-"], input=SVC + "---\n" + sts_yaml(probe=True))
    assert r.code == 0, r
    assert pods(cluster) == ["web-0"]
    assert cluster("get sts web").out == "NAME   READY   AGE\nweb    0/3     0s\n"
    cluster("clock advance 10s")
    assert pods(cluster) == ["web-0"]  # not ready yet: the probe fails
    assert cluster("exec web-0 -- touch /tmp/ready").code == 0
    cluster("clock advance 5s")
    assert pods(cluster) == ["web-0", "web-1"]
    assert cluster("exec web-1 -- touch /tmp/ready").code == 0
    cluster("clock advance 5s")
    assert pods(cluster) == ["web-0", "web-1", "web-2"]
    assert cluster("exec web-2 -- touch /tmp/ready").code == 0
    cluster("clock advance 5s")
    assert cluster("get sts web").out == "NAME   READY   AGE\nweb    3/3     25s\n"


def test_parallel_creates_every_pod_at_once(cluster):
    r = cluster(["apply", "-f", "-"], input=SVC + "---\n" + sts_yaml(policy="Parallel", probe=True))
    assert r.code == 0, r
    assert pods(cluster) == ["web-0", "web-1", "web-2"]


def test_pod_identity_labels_and_claims(web):
    p = pod(web, "web-1")
    labels = p["metadata"]["labels"]
    rev = json.loads(web("get sts web -o json").out)["status"]["updateRevision"]
    assert labels == {"app": "nginx", "apps.kubernetes.io/pod-index": "1", "controller-revision-hash": rev,
                      "statefulset.kubernetes.io/pod-name": "web-1"}
    assert rev.startswith("web-")
    assert p["spec"]["hostname"] == "web-1" and p["spec"]["subdomain"] == "nginx"
    assert p["spec"]["volumes"][0] == {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}
    ref = p["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"], ref["blockOwnerDeletion"]) == ("StatefulSet", "web", True, True)
    out = web("get controllerrevisions").out.splitlines()
    assert out[0].split() == ["NAME", "CONTROLLER", "REVISION", "AGE"]
    assert out[1].split() == [rev, "statefulset.apps/web", "1", "0s"]


def test_status_fields(web):
    st = json.loads(web("get sts web -o json").out)["status"]
    rev = st["updateRevision"]
    assert st == {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "currentReplicas": 3,
                  "updatedReplicas": 3, "currentRevision": rev, "updateRevision": rev, "collisionCount": 0,
                  "availableReplicas": 3}


# ----------------------------------------------------------------------- DNS
DNSUTILS = """
apiVersion: v1
kind: Pod
metadata: {name: dnsutils}
spec:
  containers:
  - {name: dnsutils, image: tutum/dnsutils, command: [sleep, infinity]}
"""


def test_per_pod_dns_names_resolve_through_the_headless_service(web):
    ip0 = pod(web, "web-0")["status"]["podIP"]
    assert web(["apply", "-f", "-"], input=DNSUTILS).code == 0
    r = web("exec dnsutils -- nslookup web-0.nginx")
    assert r.code == 0, r
    assert f"Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: {ip0}\n" in r.out
    r = web("exec dnsutils -- dig +short SRV _web._tcp.nginx.default.svc.cluster.local")
    assert sorted(r.out.splitlines()) == sorted(f"0 33 80 web-{i}.nginx.default.svc.cluster.local." for i in range(3))
    r = web("exec web-0 -- cat /etc/hosts")
    assert r.out.endswith(f"{ip0}\tweb-0.nginx.default.svc.cluster.local\tweb-0\n")
    assert web("exec web-2 -- hostname -f").out == "web-2.nginx.default.svc.cluster.local\n"


def test_missing_governing_service_is_accepted_but_names_do_not_resolve(cluster):
    """kube-apiserver 1.32 does not check serviceName: the set runs, its names just don't resolve."""
    r = cluster(["apply", "-f", "-"], input=sts_yaml(replicas=1))
    assert r.code == 0 and r.out == "statefulset.apps/web created\n", r
    assert pods(cluster) == ["web-0"]
    assert cluster(["apply", "-f", "-"], input=DNSUTILS).code == 0
    r = cluster("exec dnsutils -- nslookup web-0.nginx")
    assert r.code == 1 and "** server can't find web-0.nginx: NXDOMAIN" in r.out, r


def test_serviceName_may_be_omitted(cluster):
    """serviceName is optional in 1.32's validation: the pods get no subdomain, so no per-pod name."""
    r = cluster(["apply", "-f", "-"], input=sts_yaml(replicas=1).replace("  serviceName: nginx\n", ""))
    assert r.code == 0 and r.out == "statefulset.apps/web created\n", r
    p = pod(cluster, "web-0")
    assert p["spec"]["hostname"] == "web-0" and "subdomain" not in p["spec"]
    assert cluster("exec web-0 -- hostname -f").out == "web-0\n"


# ------------------------------------------------------------------- storage
def test_claims_are_bound_on_first_consumer_and_data_survives_pod_deletion(web):
    out = web("get pvc").out.splitlines()
    assert out[0].split() == ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS",
                              "VOLUMEATTRIBUTESCLASS", "AGE"]
    claim = json.loads(web("get pvc www-web-0 -o json").out)
    vol = claim["spec"]["volumeName"]
    assert vol == "pvc-" + claim["metadata"]["uid"]
    assert out[1].split() == ["www-web-0", "Bound", vol, "1Gi", "RWO", "standard", "<unset>", "0s"]
    node = pod(web, "web-0")["spec"]["nodeName"]
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
    pv = json.loads(web(f"get pv {vol} -o json").out)
    assert pv["spec"]["claimRef"]["name"] == "www-web-0" and pv["status"]["phase"] == "Bound"
    line = web("get pv").out.splitlines()[1:]
    assert any(ln.split() == [vol, "1Gi", "RWO", "Delete", "Bound", "default/www-web-0", "standard", "<unset>", "0s"]
               for ln in line)
    assert web("exec web-0 -- sh -c 'echo hello from web-0 > /usr/share/nginx/html/index.html'").code == 0
    assert web("exec web-1 -- curl -s web-0.nginx").out == "hello from web-0\n"
    assert web("delete pod web-0").code == 0
    p = pod(web, "web-0")
    assert p["status"]["phase"] == "Running" and p["spec"]["nodeName"] == node  # the local volume pins it
    assert web("exec web-0 -- cat /usr/share/nginx/html/index.html").out == "hello from web-0\n"
    assert web("exec web-1 -- cat /usr/share/nginx/html/index.html").code == 1  # its own volume


def test_storage_class_standard_is_the_default(cluster):
    assert cluster("get sc").out == (
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  0s\n")


def test_claim_waits_for_first_consumer(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 2Gi}}
""")
    assert r.code == 0, r
    assert cluster("get pvc").out == (
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
        "data   Pending                                      standard       <unset>                 0s\n")
    d = cluster("describe pvc data").out
    assert "Used By:       <none>\n" in d
    assert "WaitForFirstConsumer  0s    persistentvolume-controller  waiting for first consumer to be created before binding" in d
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
""")
    assert r.code == 0, r
    assert json.loads(cluster("get pvc data -o json").out)["status"] == {
        "phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "2Gi"}}
    assert "Used By:       user\n" in cluster("describe pvc data").out


def test_pod_whose_claim_does_not_exist_stays_pending(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: x}}]
""")
    assert r.code == 0, r
    assert "user   0/1     Pending   0          0s" in cluster("get pods").out
    msg = ('0/3 nodes are available: persistentvolumeclaim "x" not found. preemption: 0/3 nodes are available: '
           '3 Preemption is not helpful for scheduling.')
    assert msg in cluster("describe pod user").out
    cond = [c for c in pod(cluster, "user")["status"]["conditions"] if c["type"] == "PodScheduled"][0]
    assert cond["message"] == msg and cond["reason"] == "Unschedulable"
    # the claim appears: the pod is scheduled, the claim bound on its node, and the pod runs
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: x}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
""")
    assert r.code == 0, r
    p = pod(cluster, "user")
    assert p["status"]["phase"] == "Running"
    assert json.loads(cluster("get pvc x -o json").out)["metadata"]["annotations"][
        "volume.kubernetes.io/selected-node"] == p["spec"]["nodeName"]
    assert cluster("exec user -- sh -c 'echo kept > /data/f'").code == 0
    assert cluster("delete pod user").code == 0
    r = cluster(["apply", "-f", "-"], input=USER_POD.format(claim="x"))
    assert r.code == 0, r
    assert cluster("exec user -- cat /data/f").out == "kept\n"


USER_POD = """
apiVersion: v1
kind: Pod
metadata: {{name: user}}
spec:
  containers: [{{name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{{name: d, mountPath: /data}}]}}]
  volumes: [{{name: d, persistentVolumeClaim: {{claimName: {claim}}}}}]
"""


def test_claim_without_a_class_binds_to_a_matching_volume_or_waits(cluster):
    """A claim with storageClassName "" binds to an Available volume of no class, the smallest
    that fits (findBestMatchForClaim); without one it stays Pending and its pod unschedulable."""
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: PersistentVolume
metadata: {name: small}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: {path: /mnt/small}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: big}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: {path: /mnt/big}
""")
    assert r.code == 0, r
    assert cluster("get pv").out.splitlines()[1].split() == ["big", "10Gi", "RWO", "Retain", "Available", "<unset>", "0s"]
    claim = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}}}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {size}}}}}
"""
    assert cluster(["apply", "-f", "-"], input=claim.format(name="c1", size="500Mi")).code == 0
    assert json.loads(cluster("get pvc c1 -o json").out)["spec"]["volumeName"] == "small"
    assert cluster(["apply", "-f", "-"], input=claim.format(name="c2", size="20Gi")).code == 0
    assert cluster("get pvc c2").out.splitlines()[1].split() == ["c2", "Pending", "<unset>", "0s"]
    assert cluster(["apply", "-f", "-"], input=USER_POD.format(claim="c2")).code == 0
    msg = ("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are "
           "available: 3 Preemption is not helpful for scheduling.")
    cond = [c for c in pod(cluster, "user")["status"]["conditions"] if c["type"] == "PodScheduled"][0]
    assert cond["message"] == msg
    # a volume that fits appears: the claim binds and the pod is scheduled
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: PersistentVolume
metadata: {name: huge}
spec:
  capacity: {storage: 50Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: {path: /mnt/huge}
""")
    assert r.code == 0, r
    assert cluster("get pvc c2").out.splitlines()[1].split() == ["c2", "Bound", "huge", "50Gi", "RWO", "<unset>", "0s"]
    assert pod(cluster, "user")["status"]["phase"] == "Running"


# ------------------------------------------------------------------- scaling
def test_scale_down_in_reverse_ordinal_order(web):
    r = web("scale sts web --replicas=1")
    assert r.code == 0 and r.out == "statefulset.apps/web scaled\n", r
    assert pods(web) == ["web-0"]
    events = [e["message"] for e in json.loads(web("get events -o json").out)["items"]
              if e["reason"] == "SuccessfulDelete"]
    assert events == ["delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful"]
    # whenScaled: Retain (the default): the claims stay, and are used again on scale up
    assert sorted(c["metadata"]["name"] for c in json.loads(web("get pvc -o json").out)["items"]) == \
        ["www-web-0", "www-web-1", "www-web-2"]
    assert web("scale sts web --replicas=3").code == 0
    assert pods(web) == ["web-0", "web-1", "web-2"]


def test_retention_policy_delete(cluster):
    extra = "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n"
    r = cluster(["apply", "-f", "-"], input=SVC + "---\n" + sts_yaml(extra=extra))
    assert r.code == 0, r
    vols = {c["metadata"]["name"]: c["spec"]["volumeName"] for c in json.loads(cluster("get pvc -o json").out)["items"]}
    assert cluster("scale sts web --replicas=2").code == 0
    assert sorted(json.loads(cluster("get pvc -o json").out)["items"][i]["metadata"]["name"] for i in range(2)) == \
        ["www-web-0", "www-web-1"]
    assert cluster(f"get pv {vols['www-web-2']}").code == 1  # reclaimPolicy Delete: the volume went too
    assert cluster("delete sts web").code == 0
    assert cluster("get pvc").err == "No resources found in default namespace.\n"


def test_retention_policy_retain_keeps_claims_after_delete(web):
    assert web("delete sts web").code == 0
    assert len(json.loads(web("get pvc -o json").out)["items"]) == 3
    assert pods(web) == []


# ------------------------------------------------------------- rolling update
def test_rolling_update_in_reverse_order_with_partition(web):
    old = json.loads(web("get sts web -o json").out)["status"]["currentRevision"]
    r = web(["patch", "sts", "web", "-p",
             '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}},'
             '"template":{"spec":{"containers":[{"name":"nginx","image":"registry.k8s.io/nginx-slim:0.21"}]}}}}'])
    assert r.code == 0, r
    images = {n: pod(web, n)["spec"]["containers"][0]["image"] for n in pods(web)}
    assert images == {"web-0": "registry.k8s.io/nginx-slim:0.24", "web-1": "registry.k8s.io/nginx-slim:0.21",
                      "web-2": "registry.k8s.io/nginx-slim:0.21"}
    deletes = [e["message"] for e in json.loads(web("get events -o json").out)["items"] if e["reason"] == "SuccessfulDelete"]
    assert deletes == ["delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful"]
    st = json.loads(web("get sts web -o json").out)["status"]
    assert st["currentRevision"] == old != st["updateRevision"]
    assert (st["currentReplicas"], st["updatedReplicas"]) == (1, 2)
    # below the partition a deleted pod comes back at the current revision
    assert web("delete pod web-0").code == 0
    assert pod(web, "web-0")["spec"]["containers"][0]["image"] == "registry.k8s.io/nginx-slim:0.24"
    assert pod(web, "web-0")["metadata"]["labels"]["controller-revision-hash"] == old
    assert web(["patch", "sts", "web", "-p", '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']).code == 0
    assert pod(web, "web-0")["spec"]["containers"][0]["image"] == "registry.k8s.io/nginx-slim:0.21"
    st = json.loads(web("get sts web -o json").out)["status"]
    assert st["currentRevision"] == st["updateRevision"] and st["currentReplicas"] == 3


def test_on_delete_only_replaces_deleted_pods(cluster):
    extra = "  updateStrategy: {type: OnDelete}\n"
    assert cluster(["apply", "-f", "-"], input=SVC + "---\n" + sts_yaml(extra=extra)).code == 0
    assert cluster(["apply", "-f", "-"], input=sts_yaml(image="nginx", extra=extra)).code == 0
    assert {pod(cluster, n)["spec"]["containers"][0]["image"] for n in pods(cluster)} == \
        {"registry.k8s.io/nginx-slim:0.24"}
    assert cluster("delete pod web-1").code == 0
    assert pod(cluster, "web-1")["spec"]["containers"][0]["image"] == "nginx"
    assert pod(cluster, "web-0")["spec"]["containers"][0]["image"] == "registry.k8s.io/nginx-slim:0.24"


# ------------------------------------------------------------- get/describe
def test_get_sts_wide_and_short_name(web):
    assert web("get sts -o wide").out == (
        "NAME   READY   AGE   CONTAINERS   IMAGES\n"
        "web    3/3     0s    nginx        registry.k8s.io/nginx-slim:0.24\n")
    assert web("get statefulsets.apps web").out == "NAME   READY   AGE\nweb    3/3     0s\n"


def test_describe_sts(web):
    d = web("describe sts web").out
    assert d.startswith("Name:               web\nNamespace:          default\nCreationTimestamp:  ")
    for line in ("Selector:           app=nginx\n", "Replicas:           3 desired | 3 total\n",
                 "Update Strategy:    RollingUpdate\n  Partition:        0\n",
                 "Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n",
                 "Volume Claims:\n  Name:          www\n  StorageClass:  \n  Labels:        <none>\n"
                 "  Annotations:   <none>\n  Capacity:      1Gi\n  Access Modes:  [ReadWriteOnce]\n",
                 "create Claim www-web-0 Pod web-0 in StatefulSet web success\n",
                 "create Pod web-2 in StatefulSet web successful\n"):
        assert line in d, d


# ------------------------------------------------------------------ bad input
def _snapshot(mk) -> str:
    return mk("get sts,pods,pvc,pv,controllerrevisions -A -o json").out


def test_selector_that_does_not_match_the_template_is_refused(cluster):
    before = _snapshot(cluster)
    bad = sts_yaml().replace("metadata: {labels: {app: nginx}}", "metadata: {labels: {app: other}}")
    r = cluster(["apply", "-f", "-"], input=bad)
    assert r.code == 1 and r.out == ""
    assert r.err == ('The StatefulSet "web" is invalid: spec.template.metadata.labels: Invalid value: '
                     'map[string]string{"app":"other"}: `selector` does not match template `labels`\n')
    assert _snapshot(cluster) == before


def test_bad_pod_management_policy_and_forbidden_update(web):
    r = web(["apply", "-f", "-"], input=sts_yaml(policy="Sometimes").replace("name: web}", "name: web2}"))
    assert r.code == 1
    assert r.err == ('The StatefulSet "web2" is invalid: spec.podManagementPolicy: Invalid value: "Sometimes": '
                     "must be 'OrderedReady' or 'Parallel'\n")
    before = _snapshot(web)
    r = web(["patch", "sts", "web", "-p", '{"spec":{"serviceName":"other"}}'])
    assert r.code == 1
    assert r.err == ('The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other '
                     "than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy'"
                     " and 'minReadySeconds' are forbidden\n")
    assert _snapshot(web) == before


def test_claim_without_access_modes_is_refused(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  resources: {requests: {storage: 1Gi}}
""")
    assert r.code == 1
    assert r.err == ('The PersistentVolumeClaim "data" is invalid: spec.accessModes: Required value: '
                     "at least 1 access mode is required\n")
    assert cluster("get pvc").err == "No resources found in default namespace.\n"
