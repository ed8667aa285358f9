"""Defaulting, as kube-apiserver runs it after decoding: fills only empty fields.

Per kind, following pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go,
pkg/apis/networking/v1/defaults.go and pkg/apis/discovery/v1/defaults.go (Kubernetes
1.32), plus the empty structures Go always serializes (``resources: {}`` on a
container, ``status: {loadBalancer: {}}`` on a Service, ``creationTimestamp: null``
in a pod template) so that stored objects read back as kube-apiserver's do.

Cluster IPs and node ports are allocated elsewhere (api/strategy.py).
Malformed input is left alone: validation reports it.
"""

from __future__ import annotations


def apply_defaults(obj: dict) -> None:
    """Fill the defaults of ``obj`` (a Kubernetes JSON object) in place."""
    if not isinstance(obj, dict):
        return
    fn = _BY_KIND.get(obj.get("kind"))
    if fn is not None:
        fn(obj)


# --------------------------------------------------------------------- helpers


def _map(parent, key: str, create: bool = False):
    """parent[key] if it is a mapping; with create, an empty mapping is put in when absent/null."""
    if not isinstance(parent, dict):
        return None
    v = parent.get(key)
    if v is None and create:
        v = parent[key] = {}
    return v if isinstance(v, dict) else None


def _items(parent, key: str):
    """The mappings in the list parent[key]."""
    v = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(v, list):
        return []
    return [x for x in v if isinstance(x, dict)]


def _fill(d: dict, key: str, value) -> None:
    """Go's `if obj.Field == "" / == 0 / == nil { obj.Field = value }` (False is not empty)."""
    v = d.get(key)
    if v is None or v == "" or (v == 0 and not isinstance(v, bool)):
        d[key] = value


def _fill_nil(d: dict, key: str, value) -> None:
    """For pointer fields: only an absent or null value is empty."""
    if d.get(key) is None:
        d[key] = value


# --------------------------------------------------------------------- core/v1


def image_tag(image: str) -> str:
    """The tag parsers.ParseImageName finds: "latest" when there is neither tag nor digest."""
    if not isinstance(image, str):
        return "latest"
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "" if digest else "latest"


def _container(c: dict) -> None:
    # SetDefaults_Container
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = "Always" if image_tag(c.get("image")) == "latest" else "IfNotPresent"
    _fill(c, "terminationMessagePath", "/dev/termination-log")
    _fill(c, "terminationMessagePolicy", "File")
    if c.get("resources") is None:
        c["resources"] = {}  # ResourceRequirements is a struct: always serialized
    for p in _items(c, "ports"):
        _fill(p, "protocol", "TCP")  # SetDefaults_ContainerPort (declarative in later releases)
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        pr = _map(c, probe)
        if pr is not None:
            _probe(pr)
    for env in _items(c, "env"):
        src = _map(env, "valueFrom")
        ref = _map(src, "fieldRef")
        if ref is not None:
            _fill(ref, "apiVersion", "v1")  # SetDefaults_ObjectFieldSelector
    lifecycle = _map(c, "lifecycle")
    if lifecycle is not None:
        for hook in ("postStart", "preStop"):
            _handler(_map(lifecycle, hook))


def _probe(p: dict) -> None:
    # SetDefaults_Probe
    _fill(p, "timeoutSeconds", 1)
    _fill(p, "periodSeconds", 10)
    _fill(p, "successThreshold", 1)
    _fill(p, "failureThreshold", 3)
    _handler(p)


def _handler(h) -> None:
    get = _map(h, "httpGet")
    if get is not None:
        # SetDefaults_HTTPGetAction
        _fill(get, "path", "/")
        _fill(get, "scheme", "HTTP")


_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
    "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
    "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)


def _volume(v: dict) -> None:
    # SetDefaults_Volume: no source at all -> emptyDir
    if all(v.get(s) is None for s in _VOLUME_SOURCES):
        v["emptyDir"] = {}
    for src in ("secret", "configMap", "downwardAPI", "projected"):
        s = _map(v, src)
        if s is not None:
            _fill_nil(s, "defaultMode", 420)  # Secret/ConfigMap/DownwardAPI/ProjectedVolumeSourceDefaultMode 0644
    hp = _map(v, "hostPath")
    if hp is not None:
        _fill_nil(hp, "type", "")  # SetDefaults_HostPathVolumeSource: HostPathUnset
    projected = _map(v, "projected")
    for source in _items(projected, "sources"):
        token = _map(source, "serviceAccountToken")
        if token is not None:
            _fill_nil(token, "expirationSeconds", 3600)  # SetDefaults_ServiceAccountTokenProjection
        for item in _items(_map(source, "downwardAPI"), "items"):
            ref = _map(item, "fieldRef")
            if ref is not None:
                _fill(ref, "apiVersion", "v1")  # SetDefaults_ObjectFieldSelector
    for item in _items(_map(v, "downwardAPI"), "items"):
        ref = _map(item, "fieldRef")
        if ref is not None:
            _fill(ref, "apiVersion", "v1")  # SetDefaults_ObjectFieldSelector


def _pod_spec(spec: dict) -> None:
    # SetDefaults_PodSpec
    _fill(spec, "dnsPolicy", "ClusterFirst")
    _fill(spec, "restartPolicy", "Always")
    _fill_nil(spec, "securityContext", {})
    _fill_nil(spec, "terminationGracePeriodSeconds", 30)
    _fill(spec, "schedulerName", "default-scheduler")
    # Convert_v1_PodSpec_To_core_PodSpec / Convert_core_PodSpec_To_v1_PodSpec: serviceAccount is
    # the deprecated alias of serviceAccountName (the new field wins) and is written back as it.
    sa = spec.get("serviceAccountName")
    if not sa and isinstance(spec.get("serviceAccount"), str) and spec["serviceAccount"]:
        spec["serviceAccountName"] = sa = spec["serviceAccount"]
    if isinstance(sa, str) and sa:
        spec["serviceAccount"] = sa
    elif "serviceAccount" in spec and not spec["serviceAccount"]:
        del spec["serviceAccount"]
    for c in _items(spec, "containers") + _items(spec, "initContainers") + _items(spec, "ephemeralContainers"):
        _container(c)
    for v in _items(spec, "volumes"):
        _volume(v)


def _host_network_ports(spec: dict) -> None:
    # defaultHostNetworkPorts: pods only (DefaultHostNetworkHostPortsInPodTemplates is off)
    for c in _items(spec, "containers") + _items(spec, "initContainers"):
        for p in _items(c, "ports"):
            if not p.get("hostPort"):
                p["hostPort"] = p.get("containerPort")


def _pod(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    _pod_spec(spec)
    # SetDefaults_Pod: requests default to limits, service links on, host ports for hostNetwork
    for c in _items(spec, "containers") + _items(spec, "initContainers"):
        res = _map(c, "resources")
        limits = _map(res, "limits")
        if limits is not None:
            requests = _map(res, "requests", create=True)
            if requests is not None:
                for k, v in limits.items():
                    requests.setdefault(k, v)
    _fill_nil(spec, "enableServiceLinks", True)
    if spec.get("hostNetwork") is True:
        _host_network_ports(spec)


def _template(spec: dict) -> None:
    t = _map(spec, "template")
    if t is None:
        return
    meta = _map(t, "metadata", create=True)
    if meta is not None and "creationTimestamp" not in meta:
        meta["creationTimestamp"] = None  # metav1.Time is a struct: Go writes null
    ps = _map(t, "spec", create=True)
    if ps is not None:
        _pod_spec(ps)


def _externally_accessible(spec: dict) -> bool:
    # pkg/api/v1/service/util.go ExternallyAccessible
    t = spec.get("type")
    return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(spec.get("externalIPs")))


def _service(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    # SetDefaults_Service
    _fill(spec, "sessionAffinity", "None")
    if spec.get("sessionAffinity") == "None":
        spec.pop("sessionAffinityConfig", None)
    if spec.get("sessionAffinity") == "ClientIP":
        cfg = spec.get("sessionAffinityConfig")
        client = cfg.get("clientIP") if isinstance(cfg, dict) else None
        if not isinstance(client, dict) or client.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}  # DefaultClientIPServiceAffinitySeconds
    _fill(spec, "type", "ClusterIP")
    # pkg/registry/core/service/strategy.go NormalizeClusterIPs: clusterIP and clusterIPs[0] agree
    cip, cips = spec.get("clusterIP"), spec.get("clusterIPs")
    if isinstance(cip, str) and cip and not cips:
        spec["clusterIPs"] = [cip]
    elif not cip and isinstance(cips, list) and cips and isinstance(cips[0], str):
        spec["clusterIP"] = cips[0]
    for p in _items(spec, "ports"):
        _fill(p, "protocol", "TCP")
        if p.get("targetPort") in (None, 0, "") and isinstance(p.get("port"), int):
            p["targetPort"] = p["port"]
    if _externally_accessible(spec):
        _fill(spec, "externalTrafficPolicy", "Cluster")
    if spec.get("internalTrafficPolicy") is None and spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec.get("type") == "LoadBalancer":
        _fill_nil(spec, "allocateLoadBalancerNodePorts", True)
    # pkg/registry/core/service/storage/alloc.go initIPFamilyFields (single-stack IPv4 cluster):
    # a headless service without selector may take every family the cluster has.
    if spec.get("type") != "ExternalName":
        headless_selectorless = spec.get("clusterIP") == "None" and not spec.get("selector")
        _fill_nil(spec, "ipFamilyPolicy", "RequireDualStack" if headless_selectorless else "SingleStack")
        _fill_nil(spec, "ipFamilies", ["IPv4"])
    status = _map(obj, "status", create=True)
    lb = _map(status, "loadBalancer", create=True)
    if spec.get("type") == "LoadBalancer":
        for ing in _items(lb, "ingress"):
            if ing.get("ip") and ing.get("ipMode") is None:
                ing["ipMode"] = "VIP"  # LoadBalancerIPMode (beta, on in 1.32)


def _endpoints(obj: dict) -> None:
    for ss in _items(obj, "subsets"):
        for p in _items(ss, "ports"):
            _fill(p, "protocol", "TCP")  # SetDefaults_Endpoints


def _endpoint_slice(obj: dict) -> None:
    for p in _items(obj, "ports"):
        # discovery/v1 SetDefaults_EndpointPort
        _fill_nil(p, "name", "")
        _fill_nil(p, "protocol", "TCP")


def _replication_controller(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    # SetDefaults_ReplicationController: selector and labels from the template's labels
    tmeta = _map(_map(spec, "template"), "metadata")
    labels = _map(tmeta, "labels")
    if labels is not None:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = _map(obj, "metadata", create=True)
        if meta is not None and not meta.get("labels"):
            meta["labels"] = dict(labels)
    _fill_nil(spec, "replicas", 1)
    _template(spec)


def _secret(obj: dict) -> None:
    # Convert_v1_Secret_To_core_Secret: stringData is merged into data (and never stored)
    string_data = obj.get("stringData")
    if isinstance(string_data, dict):
        import base64

        data = obj.get("data")
        if not isinstance(data, dict):
            data = obj["data"] = {}
        for k, v in string_data.items():
            if isinstance(v, str):
                data[k] = base64.b64encode(v.encode()).decode()
        del obj["stringData"]
    _fill(obj, "type", "Opaque")  # SetDefaults_Secret


def _namespace(obj: dict) -> None:
    meta = _map(obj, "metadata")
    name = meta.get("name") if meta is not None else None
    if isinstance(name, str) and name:
        labels = _map(meta, "labels", create=True)
        if labels is not None:
            labels["kubernetes.io/metadata.name"] = name  # SetDefaults_Namespace
    spec = _map(obj, "spec", create=True)
    if spec is not None and spec.get("finalizers") is None:
        spec["finalizers"] = ["kubernetes"]  # pkg/registry/core/namespace/strategy.go PrepareForCreate
    status = _map(obj, "status", create=True)
    if status is not None:
        _fill(status, "phase", "Active")  # SetDefaults_NamespaceStatus


def _node(obj: dict) -> None:
    status = _map(obj, "status")
    if status is not None and status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])  # SetDefaults_NodeStatus


# --------------------------------------------------------------------- apps/v1


def _deployment(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    # apps/v1 SetDefaults_Deployment
    _fill_nil(spec, "replicas", 1)
    strategy = _map(spec, "strategy", create=True)
    if strategy is not None:
        _fill(strategy, "type", "RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            ru = _map(strategy, "rollingUpdate", create=True)
            if ru is not None:
                _fill_nil(ru, "maxUnavailable", "25%")
                _fill_nil(ru, "maxSurge", "25%")
    _fill_nil(spec, "revisionHistoryLimit", 10)
    _fill_nil(spec, "progressDeadlineSeconds", 600)
    _template(spec)


def _replica_set(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    _fill_nil(spec, "replicas", 1)  # apps/v1 SetDefaults_ReplicaSet
    _template(spec)


# --- issue 11: DaemonSet (w-ds)
def _daemon_set(obj: dict) -> None:
    """apps/v1 SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0,
    revisionHistoryLimit 10."""
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    strategy = _map(spec, "updateStrategy", create=True)
    if strategy is not None:
        _fill(strategy, "type", "RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            ru = _map(strategy, "rollingUpdate", create=True)
            if ru is not None:
                _fill_nil(ru, "maxUnavailable", 1)
                _fill_nil(ru, "maxSurge", 0)
    _fill_nil(spec, "revisionHistoryLimit", 10)
    _template(spec)


# --------------------------------------------------------------------- networking/v1


def _ingress(obj: dict) -> None:
    # no defaults in networking/v1 (pathType is required); status is a struct
    status = _map(obj, "status", create=True)
    _map(status, "loadBalancer", create=True)


def _ingress_class(obj: dict) -> None:
    params = _map(_map(obj, "spec"), "parameters")
    if params is not None:
        _fill_nil(params, "scope", "Cluster")  # networking/v1 SetDefaults_IngressClass


# --------------------------------------------------------------------- storage and StatefulSet (issue 11)


def _pvc_spec(spec: dict | None) -> None:
    if spec is not None:
        _fill_nil(spec, "volumeMode", "Filesystem")  # core/v1 SetDefaults_PersistentVolumeClaimSpec


def _persistent_volume_claim(obj: dict) -> None:
    _pvc_spec(_map(obj, "spec", create=True))
    status = _map(obj, "status", create=True)
    if status is not None:
        _fill(status, "phase", "Pending")  # SetDefaults_PersistentVolumeClaim


def _persistent_volume(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is not None:
        _fill(spec, "persistentVolumeReclaimPolicy", "Retain")  # SetDefaults_PersistentVolume
        _fill_nil(spec, "volumeMode", "Filesystem")
    status = _map(obj, "status", create=True)
    if status is not None:
        _fill(status, "phase", "Pending")


def _storage_class(obj: dict) -> None:
    _fill_nil(obj, "reclaimPolicy", "Delete")  # storage/v1 SetDefaults_StorageClass
    _fill_nil(obj, "volumeBindingMode", "Immediate")


def _stateful_set(obj: dict) -> None:
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    # apps/v1 SetDefaults_StatefulSet
    _fill(spec, "podManagementPolicy", "OrderedReady")
    strategy = _map(spec, "updateStrategy", create=True)
    if strategy is not None:
        _fill(strategy, "type", "RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            ru = _map(strategy, "rollingUpdate", create=True)
            if ru is not None:
                _fill_nil(ru, "partition", 0)
    policy = _map(spec, "persistentVolumeClaimRetentionPolicy", create=True)
    if policy is not None:
        _fill(policy, "whenDeleted", "Retain")
        _fill(policy, "whenScaled", "Retain")
    _fill_nil(spec, "replicas", 1)
    _fill_nil(spec, "revisionHistoryLimit", 10)
    for t in spec.get("volumeClaimTemplates") or ():
        if isinstance(t, dict):
            # the templates are PersistentVolumeClaims and get their defaults
            _fill(t, "apiVersion", "v1")
            _fill(t, "kind", "PersistentVolumeClaim")
            meta = _map(t, "metadata", create=True)
            if meta is not None and "creationTimestamp" not in meta:
                meta["creationTimestamp"] = None  # metav1.Time is a struct: Go writes null
            _persistent_volume_claim(t)
    _template(spec)


_BY_KIND = {
    "Pod": _pod,
    "Service": _service,
    "Endpoints": _endpoints,
    "EndpointSlice": _endpoint_slice,
    "ReplicationController": _replication_controller,
    "Secret": _secret,
    "Namespace": _namespace,
    "Node": _node,
    "Deployment": _deployment,
    "ReplicaSet": _replica_set,
    "Ingress": _ingress,
    "IngressClass": _ingress_class,
    "DaemonSet": _daemon_set,  # issue 11 (w-ds)
    # issue 11
    "StatefulSet": _stateful_set,
    "PersistentVolumeClaim": _persistent_volume_claim,
    "PersistentVolume": _persistent_volume,
    "StorageClass": _storage_class,
}

# ---- NetworkPolicy block (minikctl/api/netpol.py) ----


def _network_policy(obj: dict) -> None:
    from minikctl.api import netpol

    netpol.set_defaults(obj)


_BY_KIND["NetworkPolicy"] = _network_policy
# ---- end NetworkPolicy ----


# --- issue 11: Batch (w-job)
def _job(obj: dict) -> None:
    """batch/v1 SetDefaults_Job (1.32)."""
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    _fill_nil(spec, "parallelism", 1)
    _fill_nil(spec, "backoffLimit", 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6)
    _job_labels_from_template(obj)
    _fill_nil(spec, "completionMode", "NonIndexed")
    _fill_nil(spec, "suspend", False)
    pfp = spec.get("podFailurePolicy")
    if isinstance(pfp, dict):
        for rule in pfp.get("rules") or ():
            for c in (rule.get("onPodConditions") or ()) if isinstance(rule, dict) else ():
                if isinstance(c, dict):
                    _fill(c, "status", "True")
    _fill_nil(spec, "podReplacementPolicy", "Failed" if pfp is not None else "TerminatingOrFailed")
    _fill_nil(spec, "manualSelector", False)
    _template(spec)


def _job_labels_from_template(obj: dict) -> None:
    """`if labels != nil && len(obj.Labels) == 0 { obj.Labels = labels }` (run again after the
    selector's labels are generated, as the defaulter runs again when the object is read)."""
    labels = (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels")
    meta = _map(obj, "metadata", create=True)
    if isinstance(labels, dict) and meta is not None and not meta.get("labels"):
        meta["labels"] = dict(labels)


_BY_KIND["Job"] = _job


def _cron_job(obj: dict) -> None:
    """batch/v1 SetDefaults_CronJob; the jobTemplate's pod template gets the pod defaults
    (the JobSpec defaults are SetDefaults_Job's, which only a Job gets)."""
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    _fill(spec, "concurrencyPolicy", "Allow")
    _fill_nil(spec, "suspend", False)
    _fill_nil(spec, "successfulJobsHistoryLimit", 3)
    _fill_nil(spec, "failedJobsHistoryLimit", 1)
    jt = _map(spec, "jobTemplate", create=True)
    if jt is not None:
        meta = _map(jt, "metadata", create=True)
        if meta is not None and "creationTimestamp" not in meta:
            meta["creationTimestamp"] = None
        jspec = _map(jt, "spec", create=True)
        if jspec is not None:
            _template(jspec)


_BY_KIND["CronJob"] = _cron_job


# --- issue 11: policy (w-quota)
def _canonical(rl) -> None:
    """A ResourceList as kube-apiserver stores it: every quantity in its canonical form
    (resource.Quantity marshals with String(): "1000m" -> "1", "0.5" -> "500m")."""
    if not isinstance(rl, dict):
        return
    from minikctl.kubelet.resources import parse
    from minikctl.printers.describe.quantity import parse_quantity, quantity_string

    for k, v in rl.items():
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and parse(v) is not None:
            rl[k] = quantity_string(parse_quantity(v))


def _resource_quota(obj: dict) -> None:
    spec = _map(obj, "spec")
    if spec is not None:
        _canonical(spec.get("hard"))


def _limit_range(obj: dict) -> None:
    """SetDefaults_LimitRangeItem: a Container item's default limit is its max, its default
    request the default limit, else the min."""
    for item in _items(_map(obj, "spec"), "limits"):
        for f in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            _canonical(item.get(f))
        if item.get("type") != "Container":
            continue
        default = dict(item.get("default") or {}) if isinstance(item.get("default"), dict) else {}
        request = dict(item.get("defaultRequest") or {}) if isinstance(item.get("defaultRequest"), dict) else {}
        for k, v in (_map(item, "max") or {}).items():
            default.setdefault(k, v)
        for k, v in default.items():
            request.setdefault(k, v)
        for k, v in (_map(item, "min") or {}).items():
            request.setdefault(k, v)
        if default:
            item["default"] = default
        if request:
            item["defaultRequest"] = request


def _priority_class(obj: dict) -> None:
    _fill_nil(obj, "preemptionPolicy", "PreemptLowerPriority")  # SetDefaults_PriorityClass


_BY_KIND.update({"ResourceQuota": _resource_quota, "LimitRange": _limit_range, "PriorityClass": _priority_class})


# --- issue 12: RBAC (w-rbac): pkg/apis/rbac/v1/defaults.go (minikctl/api/rbac.py)
def _rbac_binding(obj: dict) -> None:
    from minikctl.api import rbac

    rbac.set_binding_defaults(obj)


_BY_KIND["RoleBinding"] = _rbac_binding
_BY_KIND["ClusterRoleBinding"] = _rbac_binding


# --- issue 11: HorizontalPodAutoscaler (w-hpa)
def _hpa_scale_up_rules() -> dict:
    """pkg/apis/autoscaling/v2/defaults.go defaultHPAScaleUpRules."""
    return {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
            "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                         {"type": "Percent", "value": 100, "periodSeconds": 15}]}


def _hpa_scale_down_rules() -> dict:
    """defaultHPAScaleDownRules: no stabilizationWindowSeconds (the controller's
    --horizontal-pod-autoscaler-downscale-stabilization, 5 minutes, applies)."""
    return {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}


def _hpa_rules(rules, default: dict) -> dict:
    """copyHPAScalingRules: the set (non-nil) fields of `rules` over the defaults."""
    if not isinstance(rules, dict):
        return default
    for k in ("selectPolicy", "stabilizationWindowSeconds", "policies"):
        if rules.get(k) is not None:
            default[k] = rules[k]
    order = ("stabilizationWindowSeconds", "selectPolicy", "policies")
    return {k: default[k] for k in order if k in default}


def _horizontal_pod_autoscaler(obj: dict) -> None:
    """autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1, a cpu Utilization target
    of 80% when there is no metric, and a behavior's unset rules filled in."""
    spec = _map(obj, "spec", create=True)
    if spec is None:
        return
    _fill_nil(spec, "minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        behavior["scaleUp"] = _hpa_rules(behavior.get("scaleUp"), _hpa_scale_up_rules())
        behavior["scaleDown"] = _hpa_rules(behavior.get("scaleDown"), _hpa_scale_down_rules())


_BY_KIND["HorizontalPodAutoscaler"] = _horizontal_pod_autoscaler
