"""`minikctl cluster export`: the cluster's objects as manifests that apply unchanged to a real
cluster (kind, k3s, any Kubernetes 1.32), and the record of which allocated values a user gave.

What is left out, because the real cluster makes it itself (or it belongs to this emulator):
- status, and the metadata the server sets: uid, resourceVersion, creationTimestamp,
  generation, managedFields, selfLink, ownerReferences, deletionTimestamp, the apiserver's
  and controllers' annotations (last-applied, deployment revision, PV binding) and finalizers;
- objects a controller made: anything with a controller ownerReference (ReplicaSets of a
  Deployment, pods of a ReplicaSet/Job/DaemonSet/StatefulSet, Jobs of a CronJob,
  ControllerRevisions, EndpointSlices of a Service), Endpoints and mirrored EndpointSlices of
  Services with a selector, dynamically provisioned PersistentVolumes, Events, Nodes;
- what every cluster has from the start: the default ServiceAccount and the kube-root-ca.crt
  ConfigMap of each namespace, the namespaces default, kube-system, kube-public,
  kube-node-lease and ingress-nginx (with everything in the last four), the kubernetes Service (its Endpoints and EndpointSlice),
  the system PriorityClasses, the default StorageClass and IngressClass, the RBAC bootstrap
  policy (labelled kubernetes.io/bootstrapping=rbac-defaults) and kubeadm's ``kubeadm:`` roles;
- values the cluster allocated: a Service's clusterIP(s), nodePorts and healthCheckNodePort, a
  pod's nodeName, a claim's storageClassName and volumeName, an Ingress's default class, unless the user gave them
  (recorded at create/update time under the meta key ``pinned:UID``: see ``note``), and what
  admission added to a pod (the kube-api-access volume, default tolerations, priority).

Objects come in the order Helm installs kinds (helm/pkg/releaseutil/kind_sorter.go InstallOrder):
namespaces first, then what others refer to, then workloads.
"""

from __future__ import annotations

import json

PINNED = "pinned:"
PINNABLE = ("Service", "Pod", "PersistentVolumeClaim", "Ingress")  # kinds with values user_given records
SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease", "ingress-nginx")
BUILTIN_NAMESPACES = ("default",) + SYSTEM_NAMESPACES
INSTALL_ORDER = ("Namespace", "PriorityClass", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodDisruptionBudget",
                 "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume",
                 "PersistentVolumeClaim", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
                 "Endpoints", "EndpointSlice", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
                 "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress")
_RBAC = ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
_SKIP_KINDS = ("Event", "Node", "ControllerRevision")
_SERVER_META = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
                "ownerReferences", "deletionTimestamp", "deletionGracePeriodSeconds")
_SERVER_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
                       "deprecated.daemonset.template.generation", "endpoints.kubernetes.io/last-change-trigger-time",
                       "pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller",
                       "pv.kubernetes.io/provisioned-by", "volume.kubernetes.io/selected-node",
                       "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner",
                       "local.path.provisioner/selected-node")
_SERVER_FINALIZERS = ("kubernetes.io/pvc-protection", "kubernetes.io/pv-protection")
_BOOTSTRAP = {("PriorityClass", "system-cluster-critical"), ("PriorityClass", "system-node-critical"),
              ("StorageClass", "standard"), ("IngressClass", "nginx")}
_ADMISSION_TOLERATIONS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
_SA_VOLUME = "kube-api-access-"


# --------------------------------------------------------------- the record of user-given values
def user_given(kind: str, obj: dict, old: dict | None) -> dict:
    """The allocated fields the user's object sets itself (before defaulting and allocation)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return {}
    got: dict = {}
    if kind == "Service":
        ports = [p for p in spec.get("ports") or () if isinstance(p, dict)]
        if old is None:
            if spec.get("clusterIP") or spec.get("clusterIPs"):
                got["clusterIP"] = True
            if spec.get("healthCheckNodePort"):
                got["healthCheckNodePort"] = True
            got["nodePorts"] = sorted(_port_key(p) for p in ports if p.get("nodePort"))
        else:
            before = {_port_key(p): p.get("nodePort") for p in (old.get("spec") or {}).get("ports") or ()
                      if isinstance(p, dict)}
            got["nodePorts"] = sorted(_port_key(p) for p in ports
                                      if p.get("nodePort") and before.get(_port_key(p)) != p.get("nodePort"))
        if not got["nodePorts"]:
            del got["nodePorts"]
    elif old is None and kind == "Pod" and spec.get("nodeName"):
        got["nodeName"] = True
    elif old is None and kind == "Ingress" and spec.get("ingressClassName"):
        got["ingressClassName"] = True
    elif old is None and kind == "PersistentVolumeClaim":
        if spec.get("storageClassName") is not None:
            got["storageClassName"] = True
        if spec.get("volumeName"):
            got["volumeName"] = True
    return got


def _port_key(p: dict) -> str:
    return f"{p.get('port')}/{p.get('protocol') or 'TCP'}"


def note(store, uid: str, given: dict) -> None:
    """Keep what `user_given` found (merged with what an earlier write of the object gave)."""
    if not given:
        return
    key = PINNED + uid
    raw = store.meta_get(key)
    rec = json.loads(raw) if raw else {}
    for k, v in given.items():
        rec[k] = sorted(set(rec.get(k) or ()) | set(v)) if isinstance(v, list) else v
    store.meta_set(key, json.dumps(rec, sort_keys=True))


def pinned(store, uid: str) -> dict:
    raw = store.meta_get(PINNED + uid) if uid else None
    return json.loads(raw) if raw else {}


# -------------------------------------------------------------------------------- export
def exported(api, namespace: str | None) -> list[dict]:
    """The objects to export, cleaned, in install order (namespace None: the whole cluster)."""
    from minikctl.api import kinds as K

    order = {k: i for i, k in enumerate(INSTALL_ORDER)}
    out = []
    selector_services: set[tuple[str, str]] = set()
    for svc in api.list("services", namespace):
        if (svc.get("spec") or {}).get("selector"):
            selector_services.add((svc["metadata"]["namespace"], svc["metadata"]["name"]))
    # the PersistentVolumes exported (made by a user, not provisioned): claims keep their binding to these
    pvs = {} if namespace is not None else {
        pv["metadata"]["name"]: pv for pv in api.list("persistentvolumes")
        if "pv.kubernetes.io/provisioned-by" not in (pv["metadata"].get("annotations") or {})}
    for kind in K.KINDS:
        if kind.kind in _SKIP_KINDS or (namespace is not None and not kind.namespaced and kind.kind != "Namespace"):
            continue
        objs = api.list(kind.plural, namespace if kind.namespaced else None)
        for obj in objs:
            if kind.kind == "Namespace" and namespace is not None and obj["metadata"]["name"] != namespace:
                continue
            if _skipped(kind.kind, obj, selector_services):
                continue
            out.append(clean(api.store, kind.kind, obj, pvs))
    out.sort(key=lambda o: (order.get(o["kind"], len(order)), o["metadata"].get("namespace", ""), o["metadata"]["name"]))
    return out


def _skipped(kind: str, obj: dict, selector_services) -> bool:
    meta = obj.get("metadata") or {}
    name, ns = meta.get("name", ""), meta.get("namespace", "")
    if ns in SYSTEM_NAMESPACES or (kind == "Namespace" and name in BUILTIN_NAMESPACES):
        return True
    if (kind, name) in _BOOTSTRAP and not ns:
        return True
    if kind in _RBAC and ((meta.get("labels") or {}).get("kubernetes.io/bootstrapping") == "rbac-defaults"
                          or name.startswith("kubeadm:")):
        return True  # the apiserver's bootstrap policy and kubeadm's: every real cluster has its own
    if any(isinstance(r, dict) and r.get("controller") for r in meta.get("ownerReferences") or ()):
        return True
    if kind == "ServiceAccount" and name == "default":
        return True
    if kind == "ConfigMap" and name == "kube-root-ca.crt":
        return True
    if kind in ("Service", "Endpoints", "EndpointSlice") and ns == "default" and name == "kubernetes":
        return True
    if kind == "Endpoints" and (ns, name) in selector_services:
        return True
    labels = meta.get("labels") or {}
    if kind == "EndpointSlice" and labels.get("endpointslice.kubernetes.io/managed-by") in (
            "endpointslice-controller.k8s.io", "endpointslicemirroring-controller.k8s.io"):
        return True
    if kind == "PersistentVolume" and "pv.kubernetes.io/provisioned-by" in (meta.get("annotations") or {}):
        return True
    if kind == "Secret" and obj.get("type") == "kubernetes.io/service-account-token":
        return True  # its token is the cluster's: the real cluster's token controller fills a new one
    return False


def clean(store, kind: str, obj: dict, pvs: dict) -> dict:
    from minikctl.api.server import clone

    obj = clone(obj)
    obj.pop("status", None)
    meta = obj["metadata"]
    uid = meta.get("uid", "")
    for f in _SERVER_META:
        meta.pop(f, None)
    ann = meta.get("annotations") or {}
    for a in _SERVER_ANNOTATIONS:
        ann.pop(a, None)
    if not ann:
        meta.pop("annotations", None)
    fin = [f for f in meta.get("finalizers") or () if f not in _SERVER_FINALIZERS]
    if fin:
        meta["finalizers"] = fin
    else:
        meta.pop("finalizers", None)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    given = pinned(store, uid) if kind in PINNABLE else {}
    if kind == "Namespace":
        labels = meta.get("labels") or {}
        labels.pop("kubernetes.io/metadata.name", None)
        if not labels:
            meta.pop("labels", None)
        if spec.get("finalizers") == ["kubernetes"]:
            spec.pop("finalizers")
        if not spec:
            obj.pop("spec", None)
    elif kind == "Service":
        if not given.get("clusterIP"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        if not given.get("healthCheckNodePort"):
            spec.pop("healthCheckNodePort", None)
        keep = set(given.get("nodePorts") or ())
        for p in spec.get("ports") or ():
            if isinstance(p, dict) and _port_key(p) not in keep:
                p.pop("nodePort", None)
    elif kind == "Pod":
        _clean_pod_spec(spec, given)
    elif kind == "PersistentVolumeClaim":
        if not given.get("storageClassName"):
            spec.pop("storageClassName", None)
        if not given.get("volumeName") and spec.get("volumeName") not in pvs:
            spec.pop("volumeName", None)
    elif kind == "Ingress" and not given.get("ingressClassName"):
        spec.pop("ingressClassName", None)  # the default class's (admission): the target cluster picks its own
    elif kind == "PersistentVolume":
        spec.pop("claimRef", None) if not (spec.get("claimRef") or {}).get("name") else \
            [spec["claimRef"].pop(f, None) for f in ("uid", "resourceVersion")]
    elif kind == "Job" and spec.get("manualSelector") is not True:
        spec.pop("selector", None)  # generated by the apiserver from the Job's uid
        spec.pop("manualSelector", None)
        for m in (meta, (spec.get("template") or {}).get("metadata")):  # the Job's labels default to its template's
            labels = (m or {}).get("labels") or {}
            for k in _JOB_LABELS:
                labels.pop(k, None)
            if not labels and isinstance(m, dict):
                m.pop("labels", None)
    _drop_template_timestamps(spec)
    return obj


_JOB_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name")


def _drop_template_timestamps(spec: dict) -> None:
    """`creationTimestamp: null` in pod templates (and a CronJob's job template) is the Go
    encoding of an unset time: left out of the manifest."""
    for holder in (spec, (spec.get("jobTemplate") or {}).get("spec") or {}):
        for key in ("template", "jobTemplate"):
            m = (holder.get(key) or {}).get("metadata") if isinstance(holder.get(key), dict) else None
            if isinstance(m, dict) and "creationTimestamp" in m and m["creationTimestamp"] is None:
                del m["creationTimestamp"]
                if not m:
                    holder[key].pop("metadata")


def _clean_pod_spec(spec: dict, given: dict) -> None:
    if not given.get("nodeName"):
        spec.pop("nodeName", None)
    spec.pop("priority", None)  # Priority admission computes it from priorityClassName
    spec.pop("preemptionPolicy", None)
    if spec.get("serviceAccount") == spec.get("serviceAccountName"):
        spec.pop("serviceAccount", None)  # the deprecated alias the apiserver fills
    vols = [v for v in spec.get("volumes") or () if not str(v.get("name", "")).startswith(_SA_VOLUME)]
    if vols:
        spec["volumes"] = vols
    else:
        spec.pop("volumes", None)
    for group in ("initContainers", "containers"):
        for c in spec.get(group) or ():
            mounts = [m for m in c.get("volumeMounts") or () if not str(m.get("name", "")).startswith(_SA_VOLUME)]
            if mounts:
                c["volumeMounts"] = mounts
            else:
                c.pop("volumeMounts", None)
    tol = [t for t in spec.get("tolerations") or ()
           if not (t.get("key") in _ADMISSION_TOLERATIONS and t.get("operator") == "Exists"
                   and t.get("effect") == "NoExecute" and t.get("tolerationSeconds") == 300)]
    if tol:
        spec["tolerations"] = tol
    else:
        spec.pop("tolerations", None)
