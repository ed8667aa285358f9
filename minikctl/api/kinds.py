"""The one registry of kinds: feeds get/describe/apply, api-resources and completion.

Names, short names, groups and versions are those of Kubernetes 1.32
(``kubectl api-resources``).
"""

from __future__ import annotations


class Kind:
    """One API kind. `plural` is the REST resource name and the store key; `group` is "" for core."""

    __slots__ = ("kind", "plural", "singular", "group", "version", "namespaced", "short_names", "categories")

    def __init__(self, kind: str, plural: str, singular: str, group: str, version: str, namespaced: bool,
                 short_names: tuple[str, ...] = (), categories: tuple[str, ...] = ()):
        self.kind = kind
        self.plural = plural
        self.singular = singular
        self.group = group
        self.version = version
        self.namespaced = namespaced
        self.short_names = short_names
        self.categories = categories

    def __repr__(self) -> str:
        return f"Kind({self.kind})"

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """What kubectl shows in messages: ``services``, ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


KINDS: tuple[Kind, ...] = (
    Kind("Namespace", "namespaces", "namespace", "", "v1", False, ("ns",)),
    Kind("Node", "nodes", "node", "", "v1", False, ("no",)),
    Kind("Pod", "pods", "pod", "", "v1", True, ("po",), ("all",)),
    Kind("Service", "services", "service", "", "v1", True, ("svc",), ("all",)),
    Kind("Endpoints", "endpoints", "endpoints", "", "v1", True, ("ep",)),
    Kind("EndpointSlice", "endpointslices", "endpointslice", "discovery.k8s.io", "v1", True),
    Kind("Deployment", "deployments", "deployment", "apps", "v1", True, ("deploy",), ("all",)),
    Kind("ReplicaSet", "replicasets", "replicaset", "apps", "v1", True, ("rs",), ("all",)),
    Kind("ReplicationController", "replicationcontrollers", "replicationcontroller", "", "v1", True, ("rc",), ("all",)),
    Kind("Ingress", "ingresses", "ingress", "networking.k8s.io", "v1", True, ("ing",)),
    Kind("IngressClass", "ingressclasses", "ingressclass", "networking.k8s.io", "v1", False),
    Kind("Secret", "secrets", "secret", "", "v1", True),
    Kind("ConfigMap", "configmaps", "configmap", "", "v1", True, ("cm",)),
    Kind("ServiceAccount", "serviceaccounts", "serviceaccount", "", "v1", True, ("sa",)),
    Kind("Event", "events", "event", "", "v1", True, ("ev",)),
    # NetworkPolicy block
    Kind("NetworkPolicy", "networkpolicies", "networkpolicy", "networking.k8s.io", "v1", True, ("netpol",)),
    # --- issue 11: DaemonSet (w-ds)
    Kind("DaemonSet", "daemonsets", "daemonset", "apps", "v1", True, ("ds",), ("all",)),
    # --- stateful workloads and storage (issue 11: StatefulSet, PVC/PV/StorageClass)
    Kind("StatefulSet", "statefulsets", "statefulset", "apps", "v1", True, ("sts",), ("all",)),
    Kind("ControllerRevision", "controllerrevisions", "controllerrevision", "apps", "v1", True),
    Kind("PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", "", "v1", True, ("pvc",)),
    Kind("PersistentVolume", "persistentvolumes", "persistentvolume", "", "v1", False, ("pv",)),
    Kind("StorageClass", "storageclasses", "storageclass", "storage.k8s.io", "v1", False, ("sc",)),
    # --- issue 11: Batch (w-job)
    Kind("Job", "jobs", "job", "batch", "v1", True, (), ("all",)),
    Kind("CronJob", "cronjobs", "cronjob", "batch", "v1", True, ("cj",), ("all",)),
    # --- issue 11: policy (w-quota)
    Kind("ResourceQuota", "resourcequotas", "resourcequota", "", "v1", True, ("quota",)),
    Kind("LimitRange", "limitranges", "limitrange", "", "v1", True, ("limits",)),
    Kind("PriorityClass", "priorityclasses", "priorityclass", "scheduling.k8s.io", "v1", False, ("pc",)),
    # --- issue 11: disruptions (w-drain)
    Kind("PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", "policy", "v1", True, ("pdb",)),
    # --- issue 12: RBAC (w-rbac)
    Kind("Role", "roles", "role", "rbac.authorization.k8s.io", "v1", True),
    Kind("ClusterRole", "clusterroles", "clusterrole", "rbac.authorization.k8s.io", "v1", False),
    Kind("RoleBinding", "rolebindings", "rolebinding", "rbac.authorization.k8s.io", "v1", True),
    Kind("ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", "rbac.authorization.k8s.io", "v1", False),
    # --- issue 11: HorizontalPodAutoscaler (w-hpa); autoscaling/v1 manifests are converted (conversion.py)
    Kind("HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", "autoscaling", "v2", True,
         ("hpa",), ("all",)),
)

_BY_KIND = {k.kind: k for k in KINDS}
_BY_PLURAL = {k.plural: k for k in KINDS}
_ALIASES: dict[str, Kind] = {}
for _k in KINDS:
    for _alias in (_k.plural, _k.singular, _k.kind.lower(), *_k.short_names, f"{_k.plural}.{_k.group}" if _k.group else _k.plural,
                   f"{_k.singular}.{_k.group}" if _k.group else _k.singular):
        _ALIASES.setdefault(_alias, _k)


def by_kind(kind: str) -> Kind | None:
    return _BY_KIND.get(kind)


def by_plural(plural: str) -> Kind:
    return _BY_PLURAL[plural]


def resolve(name: str) -> Kind | None:
    """Resolve what a user typed (``svc``, ``services``, ``Service``, ``deployments.apps``)."""
    k = _ALIASES.get(name)
    if k is None:
        k = _ALIASES.get(name.lower())
    if k is None and "." in name:
        # resource.version.group, e.g. ingresses.v1.networking.k8s.io
        parts = name.lower().split(".")
        k = _ALIASES.get(parts[0])
    return k


def all_aliases() -> list[str]:
    return sorted(_ALIASES)


# Kinds `get all` lists, in kubectl's order.
ALL_CATEGORY = ("pods", "services", "daemonsets", "deployments", "replicasets", "replicationcontrollers",
                "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs")

# --- issue 14 (w-versions): the other versions Kubernetes 1.32 serves of a stored kind, converted by
# api/conversion.py VIEWS (the API server serves them; `api-resources` lists those of a group that has
# no stored kind: events.k8s.io). The stored kind of each is K.by_kind(kind).
ALSO_SERVED = (
    Kind("HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", "autoscaling", "v1", True,
         ("hpa",), ("all",)),
    Kind("Event", "events", "event", "events.k8s.io", "v1", True, ("ev",)),
)
