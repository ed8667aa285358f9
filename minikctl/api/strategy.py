"""Per-kind registry strategies, as kube-apiserver's pkg/registry/*/strategy.go:
defaulting, validation, and the allocations a Service owns
(pkg/registry/core/service/storage/alloc.go).
"""

from __future__ import annotations

from minikctl.api import errors as E
from minikctl.api.kinds import Kind

# Kinds whose metadata.generation kube-apiserver maintains.
GENERATION_KINDS = {"Deployment", "ReplicaSet", "ReplicationController", "Ingress", "IngressClass", "Pod",
                    "NetworkPolicy", "DaemonSet", "StatefulSet", "Job", "CronJob",
                    "PodDisruptionBudget",  # issue 11 (w-drain)
                    "HorizontalPodAutoscaler"}  # issue 11 (w-hpa)
# pkg/registry/apps/daemonset/strategy.go: spec.templateGeneration (apps/v1 keeps it in this annotation)
# starts at 1 and goes up by one each time the pod template changes.
DS_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"

PROTECTED_NAMESPACES = ("default", "kube-system", "kube-public")


# Kinds whose status a client may set on create (the others start with the server's status).
_STATUS_ON_CREATE = ("Event", "Node", "Namespace", "Endpoints", "EndpointSlice")


# --------------------------------------------------------------------- hooks
def prepare_for_create(api, kind: Kind, obj: dict) -> None:
    from minikctl.api.defaults import apply_defaults

    if kind.kind not in _STATUS_ON_CREATE:
        obj.pop("status", None)
    apply_defaults(obj)
    if kind.kind == "Namespace":
        obj.setdefault("spec", {"finalizers": ["kubernetes"]})
        obj["status"] = {"phase": "Active"}
    elif kind.kind == "Pod":
        obj.setdefault("status", {})
        obj["status"].setdefault("phase", "Pending")
        from minikctl.api import limitranger  # issue 11 (w-quota): LimitRanger's defaults, before the QoS class

        limitranger.mutate_pod(api, obj)
        from minikctl.kubelet.resources import qos_class  # podStrategy.PrepareForCreate: ComputePodQOS

        obj["status"].setdefault("qosClass", qos_class(obj))
        from minikctl.api.admission import admit_pod

        admit_pod(api, obj)
        if isinstance(obj.get("spec"), dict):  # issue 11 (w-quota): the Priority admission plugin
            from minikctl.api import priority

            priority.admit_pod(api, obj, obj["spec"])
    elif kind.kind == "Ingress":
        _default_ingress_class(api, obj)
    elif kind.kind == "DaemonSet":  # issue 11 (w-ds)
        obj.setdefault("metadata", {}).setdefault("annotations", {})[DS_TEMPLATE_GENERATION] = "1"
    elif kind.kind == "Job":  # issue 11 (w-job)
        _job_generate_selector(api, obj)
    elif kind.kind == "HorizontalPodAutoscaler":  # issue 11 (w-hpa)
        # pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go PrepareForCreate resets the
        # status; autoscaling/v2 serialises its non-omitempty fields (currentMetrics, desiredReplicas)
        obj["status"] = {"currentMetrics": None, "desiredReplicas": 0}
    elif kind.kind == "PersistentVolumeClaim":
        _default_storage_class(api, obj)
        _add_finalizer(obj, "kubernetes.io/pvc-protection")  # StorageObjectInUseProtection admission
    elif kind.kind == "PersistentVolume":
        _add_finalizer(obj, "kubernetes.io/pv-protection")
    elif kind.kind == "PodDisruptionBudget":  # issue 11 (w-drain): PrepareForCreate resets the status
        obj["status"] = {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0}


def _add_finalizer(obj: dict, name: str) -> None:
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        fins = meta.get("finalizers") if isinstance(meta.get("finalizers"), list) else []
        if name not in fins:
            meta["finalizers"] = fins + [name]


def _default_storage_class(api, pvc: dict) -> None:
    """The DefaultStorageClass admission plugin (plugin/pkg/admission/storage/storageclass/setdefault):
    a claim created without spec.storageClassName (nil, not "") gets the default class (issue 11)."""
    spec = pvc.get("spec")
    if not isinstance(spec, dict) or spec.get("storageClassName") is not None:
        return
    best = None
    for sc in api.list("storageclasses"):
        ann = sc["metadata"].get("annotations") or {}
        if ann.get("storageclass.kubernetes.io/is-default-class") == "true":
            key = (sc["metadata"].get("creationTimestamp") or "", sc["metadata"]["name"])
            best = key if best is None or key > best else best  # the newest default class wins
    if best is not None:
        spec["storageClassName"] = best[1]


def _default_ingress_class(api, ing: dict) -> None:
    """The DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass):
    an Ingress created without a class gets the default IngressClass's name."""
    spec = ing.get("spec")
    if not isinstance(spec, dict) or spec.get("ingressClassName"):
        return
    if "kubernetes.io/ingress.class" in ((ing.get("metadata") or {}).get("annotations") or {}):
        return
    defaults = [c for c in api.list("ingressclasses")
                if ((c.get("metadata") or {}).get("annotations") or {}).get(
                    "ingressclass.kubernetes.io/is-default-class") == "true"]
    if defaults:
        newest = max(defaults, key=lambda c: (c["metadata"].get("creationTimestamp") or "", c["metadata"]["name"]))
        spec["ingressClassName"] = newest["metadata"]["name"]


def prepare_for_update(api, kind: Kind, obj: dict, old: dict) -> None:
    from minikctl.api.defaults import apply_defaults

    apply_defaults(obj)
    if kind.kind == "ServiceAccount":
        _forget_service_account(api, old)
    if kind.kind == "Service":
        _drop_type_dependent_fields(obj, old)
        _patch_allocated_values(obj, old)
    if kind.kind == "DaemonSet":  # issue 11 (w-ds)
        _daemon_set_template_generation(obj, old)
    if kind.kind == "Pod":  # issue 11 (w-quota): the Priority plugin keeps the priority set at create
        from minikctl.api import priority

        priority.keep_on_update(obj, old)


def _daemon_set_template_generation(obj: dict, old: dict) -> None:
    oann = (old.get("metadata") or {}).get("annotations") or {}
    try:
        gen = int(oann.get(DS_TEMPLATE_GENERATION) or 1)
    except ValueError:
        gen = 1
    if (obj.get("spec") or {}).get("template") != (old.get("spec") or {}).get("template"):
        gen += 1
    if isinstance(obj.get("metadata"), dict):
        obj["metadata"].setdefault("annotations", {})
        if isinstance(obj["metadata"]["annotations"], dict):
            obj["metadata"]["annotations"][DS_TEMPLATE_GENERATION] = str(gen)


def _drop_type_dependent_fields(new: dict, old: dict) -> None:
    """pkg/registry/core/service/strategy.go dropTypeDependentFields: a type change drops the
    fields the old type needed (allocated or defaulted) that the user did not change, so that
    e.g. an apply from NodePort back to ClusterIP releases the node port."""
    ns, os_ = new.setdefault("spec", {}), old.get("spec") or {}
    nt, ot = ns.get("type", "ClusterIP"), os_.get("type", "ClusterIP")
    if ot != "ExternalName" and nt == "ExternalName":
        if ns.get("clusterIP") == os_.get("clusterIP") and ns.get("clusterIPs") == os_.get("clusterIPs"):
            ns.pop("clusterIP", None)
            ns.pop("clusterIPs", None)
        if ns.get("ipFamilies") == os_.get("ipFamilies"):
            ns.pop("ipFamilies", None)
        if ns.get("ipFamilyPolicy") == os_.get("ipFamilyPolicy"):
            ns.pop("ipFamilyPolicy", None)
    if ot in ("NodePort", "LoadBalancer") and nt not in ("NodePort", "LoadBalancer"):
        old_ports = {p.get("nodePort") for p in os_.get("ports") or [] if p.get("nodePort")}
        new_ports = {p.get("nodePort") for p in ns.get("ports") or [] if p.get("nodePort")}
        if new_ports <= old_ports:
            for p in ns.get("ports") or []:
                p.pop("nodePort", None)
    old_hc = ot == "LoadBalancer" and os_.get("externalTrafficPolicy") == "Local"
    new_hc = nt == "LoadBalancer" and ns.get("externalTrafficPolicy") == "Local"
    if old_hc and not new_hc and ns.get("healthCheckNodePort") == os_.get("healthCheckNodePort"):
        ns.pop("healthCheckNodePort", None)
    if ot == "LoadBalancer" and nt != "LoadBalancer":
        if "allocateLoadBalancerNodePorts" in ns and ns.get("allocateLoadBalancerNodePorts") == \
                os_.get("allocateLoadBalancerNodePorts"):
            ns.pop("allocateLoadBalancerNodePorts", None)
        if ns.get("loadBalancerClass") == os_.get("loadBalancerClass"):
            ns.pop("loadBalancerClass", None)

    def accessible(spec: dict, t: str) -> bool:
        return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(spec.get("externalIPs")))

    if accessible(os_, ot) and not accessible(ns, nt) and ns.get("externalTrafficPolicy") == os_.get("externalTrafficPolicy"):
        ns.pop("externalTrafficPolicy", None)
    if nt != "LoadBalancer" and isinstance(new.get("status"), dict):
        new["status"]["loadBalancer"] = {}


def validate(api, kind: Kind, obj: dict, old: dict | None) -> None:
    from minikctl.api.validation import validate as validate_object

    errs = validate_object(obj, old)
    if errs:
        raise E.Invalid(kind.kind, (obj.get("metadata") or {}).get("name", ""), errs)


def admit(api, kind: Kind, obj: dict, old: dict | None) -> None:
    """Validating admission, after the type's validation (kube-apiserver's order: LimitRanger,
    Priority, ResourceQuota last). Raises Forbidden. (issue 11, w-quota)"""
    if kind.kind in ("Pod", "PersistentVolumeClaim"):
        from minikctl.api import limitranger

        limitranger.admit(api, kind, obj, old)
    elif kind.kind == "PriorityClass":
        from minikctl.api import priority

        priority.admit_class(api, obj, old)
    elif kind.group == "rbac.authorization.k8s.io":  # escalation prevention, for a server request's user (w-auth)
        from minikctl.api import rbac_escalation

        rbac_escalation.admit(api, kind, obj, old)
    if kind.namespaced:
        quota = _quota(api, kind, obj)
        if quota is not None:
            quota.admit(api, kind, obj, old)


def observe(api, kind: Kind, old: dict | None, new: dict | None) -> None:
    """After every save or delete: caches of policy objects, and quota usage (issue 11, w-quota)."""
    if kind.kind == "LimitRange":
        from minikctl.api import limitranger

        limitranger.forget(api, ((new or old).get("metadata") or {}).get("namespace") or "")
    elif kind.kind == "PriorityClass":
        from minikctl.api import priority

        priority.forget(api)
    if kind.namespaced and kind.plural != "events":
        quota = _quota(api, kind, new if new is not None else old)
        if quota is not None:
            quota.observe(api, kind, old, new)


def _quota(api, kind: Kind, obj: dict | None):
    """minikctl.api.quota, or None while no quota can be concerned: until the module is needed,
    a namespace without a ResourceQuota (one indexed listing per namespace and transaction)
    skips importing it (fractions, decimal, the describe package: ~3 ms of a small apply's
    start-up, issue 12). Once imported, its own cache answers (minikctl.api.quota._Quotas)."""
    import sys

    quota = sys.modules.get("minikctl.api.quota")
    if quota is None and kind.kind != "ResourceQuota":
        ns = ((obj or {}).get("metadata") or {}).get("namespace") or ""
        free = api.__dict__.setdefault("_quota_free_namespaces", set())
        if ns in free:
            return None
        if not api.store.names("resourcequotas", ns):
            free.add(ns)
            return None
    if quota is None:
        from minikctl.api import quota
    return quota


def allocate_for_create(api, kind: Kind, obj: dict) -> None:
    if kind.kind == "Service":
        _service_allocate(api, obj, None)
    elif kind.kind == "Job":  # issue 11 (w-job): the uid generateSelector used
        obj["metadata"]["uid"] = api.__dict__.pop("_job_uid", None) or obj["metadata"]["uid"]


def allocate_for_update(api, kind: Kind, obj: dict, old: dict) -> None:
    if kind.kind == "Service":
        _service_allocate(api, obj, old)


def _forget_service_account(api, sa: dict) -> None:
    """The ServiceAccount admission plugin's per-transaction cache drops an account that changes."""
    from minikctl.api.admission import forget

    meta = sa.get("metadata") or {}
    forget(api, meta.get("namespace", ""), meta.get("name", ""))


def before_delete(api, kind: Kind, obj: dict) -> None:
    if kind.kind == "ServiceAccount":
        _forget_service_account(api, obj)
    if kind.kind == "PriorityClass":  # issue 11 (w-quota): the system classes stay
        from minikctl.api import priority

        priority.before_delete(api, obj)
    if kind.kind == "Namespace":
        name = obj["metadata"]["name"]
        if name in PROTECTED_NAMESPACES:
            raise E.Forbidden(f'namespaces "{name}" is forbidden: this namespace may not be deleted')
        from minikctl.api import kinds as K

        for k in K.KINDS:
            if k.namespaced:
                for o in api.store.list(k.plural, name):
                    if api.store.exists(k.plural, name, o["metadata"]["name"]):
                        api.delete(k.plural, name, o["metadata"]["name"])


# ------------------------------------------------------------ service allocs
def _patch_allocated_values(new: dict, old: dict) -> None:
    """service/storage/storage.go patchAllocatedValues: an update that omits allocated
    values (clusterIP, nodePorts, healthCheckNodePort) keeps the old ones."""
    ns, os_ = new.setdefault("spec", {}), old.get("spec") or {}
    if _needs_cluster_ip(os_) and _needs_cluster_ip(ns):
        if not ns.get("clusterIP") and os_.get("clusterIP"):
            ns["clusterIP"] = os_["clusterIP"]
        if not ns.get("clusterIPs") and os_.get("clusterIPs"):
            ns["clusterIPs"] = list(os_["clusterIPs"])
    if _needs_node_ports(os_) and _needs_node_ports(ns):
        old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort") for p in os_.get("ports") or []}
        for p in ns.get("ports") or []:
            if not p.get("nodePort"):
                np_ = old_ports.get((p.get("port"), p.get("protocol", "TCP")))
                if np_:
                    p["nodePort"] = np_
    if (os_.get("healthCheckNodePort") and not ns.get("healthCheckNodePort") and
            ns.get("externalTrafficPolicy") == "Local" and ns.get("type") == "LoadBalancer"):
        ns["healthCheckNodePort"] = os_["healthCheckNodePort"]


def _needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type", "ClusterIP") != "ExternalName"


def _needs_node_ports(spec: dict) -> bool:
    t = spec.get("type")
    return t == "NodePort" or (t == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True) is not False)


def _memo(api, name: str, make):
    """One allocator per API object (one transaction): a bulk apply builds each range once."""
    memo = api.__dict__.setdefault("_allocators", {})
    if name not in memo:
        memo[name] = make()
    return memo[name]


def service_ip_allocator(api):
    def make():
        from minikctl.allocators.ranges import CIDR, RangeAllocator, range_offset

        cidr = CIDR(api.config["serviceCIDR"])
        first, size = cidr.usable()
        return cidr, RangeAllocator(api.store, "clusterip", first, size, range_offset(size))

    return _memo(api, "clusterip", make)


def node_port_allocator(api):
    def make():
        from minikctl.allocators.ranges import RangeAllocator, range_offset

        lo, hi = (int(x) for x in api.config["nodePortRange"].split("-"))
        size = hi - lo + 1
        return RangeAllocator(api.store, "nodeport", lo, size, range_offset(size, 16, 128, 32))

    return _memo(api, "nodeport", make)


def _service_allocate(api, svc: dict, old: dict | None) -> None:
    from minikctl.allocators.ranges import AllocationError, IPNotInRange, PortNotInRange, RangeFull, int_to_ip, ip_to_int

    spec = svc.setdefault("spec", {})
    name = svc["metadata"]["name"]
    uid = svc["metadata"]["uid"]
    ospec = (old or {}).get("spec") or {}

    # ---- cluster IP
    if not _needs_cluster_ip(spec):
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
        spec.pop("ipFamilies", None)
        spec.pop("ipFamilyPolicy", None)
        if ospec.get("clusterIP") and ospec.get("clusterIP") != "None":
            api.store.release("clusterip", ip_to_int(ospec["clusterIP"]))
    else:
        want = spec.get("clusterIP") or ((spec.get("clusterIPs") or [None])[0])
        had = ospec.get("clusterIP") if old and _needs_cluster_ip(ospec) else None
        if want == "None":
            spec["clusterIP"] = "None"
            spec["clusterIPs"] = ["None"]
        elif want and want == had:
            pass
        else:
            cidr, alloc = service_ip_allocator(api)
            if want:
                try:
                    value = ip_to_int(want)
                    if not alloc.contains(value) or want not in cidr:
                        raise IPNotInRange(want, cidr.text)
                    alloc.allocate(value, uid)
                except AllocationError as e:
                    raise E.Invalid("Service", name, [E.invalid("spec.clusterIPs", [want],
                                                                f"failed to allocate IP {want}: {e}")]) from None
            else:
                try:
                    want = int_to_ip(alloc.allocate_next(uid))
                except RangeFull as e:
                    raise E.InternalError(f"failed to allocate a serviceIP: {e}") from None
            spec["clusterIP"] = want
            spec["clusterIPs"] = [want]
            if had and had != "None":
                api.store.release("clusterip", ip_to_int(had))
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")

    # ---- node ports
    ports_alloc = node_port_allocator(api)
    valid = api.config["nodePortRange"]
    old_np = {p.get("nodePort") for p in ospec.get("ports") or [] if p.get("nodePort")} if old and _needs_node_ports(ospec) else set()
    keep: set[int] = set()
    if _needs_node_ports(spec):
        for i, p in enumerate(spec.get("ports") or []):
            np_ = p.get("nodePort")
            if np_:
                if np_ in old_np or np_ in keep:
                    keep.add(np_)
                    continue
                try:
                    if not ports_alloc.contains(int(np_)):
                        raise PortNotInRange(valid)
                    ports_alloc.allocate(int(np_), uid)
                except AllocationError as e:
                    raise E.Invalid("Service", name, [E.invalid(f"spec.ports[{i}].nodePort", np_, _port_msg(e))]) from None
                keep.add(np_)
            else:
                try:
                    p["nodePort"] = ports_alloc.allocate_next(uid)
                except RangeFull as e:
                    raise E.InternalError(f"failed to allocate a nodePort: {e}") from None
                keep.add(p["nodePort"])
    else:
        for p in spec.get("ports") or []:
            p.pop("nodePort", None)
    # health check node port (externalTrafficPolicy: Local on a LoadBalancer)
    hc_old = ospec.get("healthCheckNodePort") if old else None
    if spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local":
        hc = spec.get("healthCheckNodePort")
        if hc and hc != hc_old:
            try:
                if not ports_alloc.contains(int(hc)):
                    raise PortNotInRange(valid)
                ports_alloc.allocate(int(hc), uid)
            except AllocationError as e:
                raise E.Invalid("Service", name, [E.invalid("spec.healthCheckNodePort", hc, _port_msg(e))]) from None
        elif not hc:
            try:
                spec["healthCheckNodePort"] = ports_alloc.allocate_next(uid)
            except RangeFull as e:
                raise E.InternalError(f"failed to allocate a nodePort: {e}") from None
        keep.add(spec["healthCheckNodePort"])
    else:
        spec.pop("healthCheckNodePort", None)
    for v in old_np | ({hc_old} if hc_old else set()):
        if v not in keep:
            ports_alloc.release(v)


def _port_msg(e: Exception) -> str:
    from minikctl.allocators.ranges import AlreadyAllocated

    if isinstance(e, AlreadyAllocated):
        return "provided port is already allocated"
    return str(e)


# --- issue 11: Batch (w-job)
def _job_generate_selector(api, obj: dict) -> None:
    """pkg/registry/batch/job/strategy.go generateSelector (run by Validate with the uid
    BeforeCreate assigned): the job-name and controller-uid labels, legacy and prefixed,
    on the template, and a selector on batch.kubernetes.io/controller-uid."""
    from minikctl.api.defaults import _job_labels_from_template
    from minikctl.api.server import new_uid

    spec = obj.get("spec")
    if not isinstance(spec, dict) or spec.get("manualSelector") is True:
        return
    uid = api._job_uid = new_uid()
    t = spec.setdefault("template", {}) if isinstance(spec.get("template", {}), dict) else None
    if t is None:
        return
    meta = t.setdefault("metadata", {})
    if not isinstance(meta, dict):
        return
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
    name = (obj.get("metadata") or {}).get("name") or ""
    for k in ("job-name", "batch.kubernetes.io/job-name"):
        labels.setdefault(k, name)
    for k in ("controller-uid", "batch.kubernetes.io/controller-uid"):
        labels.setdefault(k, uid)
    meta["labels"] = labels
    sel = spec.get("selector") if isinstance(spec.get("selector"), dict) else {}
    ml = sel.get("matchLabels") if isinstance(sel.get("matchLabels"), dict) else {}
    ml.setdefault("batch.kubernetes.io/controller-uid", uid)
    sel["matchLabels"] = ml
    spec["selector"] = sel
    _job_labels_from_template(obj)
