"""``kubectl describe`` output (kubectl 1.32).

A port of staging/src/k8s.io/kubectl/pkg/describe/describe.go as of release
1.32: describeService (EndpointSlice-based ``Endpoints:`` lines, checked
against the real kubectl 1.32.5), describeEndpoints, describePod,
describeDeployment, describeReplicaSet, describeReplicationController,
describeIngressV1 (EndpointSlice-based backends),
describeNode, describeSecret, describeNamespace, ConfigMapDescriber,
describeEndpointSliceV1, describeIngressClassV1 and DescribeEvents.

Text is produced the way describe.go does: every ``PrefixWriter.Write``
(indent of two spaces per level, then printers.WriteEscaped) goes into one
buffer that is aligned by text/tabwriter with ``Init(buf, 0, 8, 2, ' ', 0)``
(tabbedString).  Times use RFC1123Z in the local time zone, as metav1.Time is
unmarshalled into local time.

``related`` carries what the Go describers fetch from the API:

* Service: ``{"endpointslices": [EndpointSlice, ...]}`` (those labelled
  kubernetes.io/service-name=<name>), or ``{"endpoints": <Endpoints or None>}``
  which is mirrored into slices the way the EndpointSlice controller would
* Deployment: ``{"replicasets": [ReplicaSet, ...]}`` (all in the namespace; the
  ones controlled by the deployment are picked like deploymentutil does)
* ReplicaSet / ReplicationController: ``{"pods": [Pod, ...]}``
* Ingress: ``{"services": {name: Service}, "endpointslices": [...]}`` (or
  ``"endpoints": {name: Endpoints or None}``).  Without ``services`` a backend
  given by port number matches unnamed endpoint ports only, and a missing
  service is not reported as an error.
* Node: ``{"pods": [Pod, ...], "lease": <Lease dict or None>}``
* Namespace: ``{"resourcequotas": [...], "limitranges": [...]}``

Secrets: values are never printed, only ``key:  N bytes``.

Standard library only.

The package follows describe.go's parts, one module each: writer (the prefix
writer and the label/annotation/toleration/taint helpers), events
(DescribeEvents), quantity (resource.Quantity as printed), pod (pods,
containers, volumes, probes, DescribePodTemplate), workloads (ReplicaSet,
ReplicationController, Deployment, StatefulSet, DaemonSet, Job, CronJob),
service (Service, Endpoints, EndpointSlice, Ingress, IngressClass), node,
config (Secret, ConfigMap, ServiceAccount), namespace and storage
(PersistentVolumeClaim, PersistentVolume, StorageClass); NetworkPolicy's
describer is minikctl.printers.netpol.  ``describe`` imports only the module of
the kind it describes.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

# Quantity, parse_quantity, quantity_string, _Writer and the label/annotation printers are
# re-exported for the callers of the single-module describe.py (cluster config, netpol, tests).
from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.quantity import Quantity, parse_quantity, quantity_string  # noqa: F401
from minikctl.printers.describe.writer import (  # noqa: F401
    _D,
    _Writer,
    _name_ns,
    _print_annotations_multiline,
    _print_labels_multiline,
)

__all__ = ["describe", "describe_events", "DESCRIBABLE_KINDS"]


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------

DESCRIBABLE_KINDS = (
    "Pod", "Service", "Endpoints", "EndpointSlice", "Deployment", "ReplicaSet", "ReplicationController",
    "Ingress", "IngressClass", "Node", "Secret", "Namespace", "ConfigMap", "ServiceAccount",
    "DaemonSet",  # issue 11 (w-ds)
    "StatefulSet", "PersistentVolumeClaim", "PersistentVolume", "StorageClass",  # issue 11
    "Job", "CronJob",  # issue 11 (w-job)
    "ResourceQuota", "LimitRange", "PriorityClass",  # issue 11 (w-quota)
    "PodDisruptionBudget",  # issue 11 (w-drain)
    "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",  # issue 12 (w-rbac)
    "HorizontalPodAutoscaler",  # issue 11 (w-hpa)
)


# kind -> (module, relative to this package; its describer; what the describer takes besides the
# object: "events" = (events, now), "events+related" = (events, now, related), "related" = (related),
# "" = nothing).  describe() imports the module on first use.
_DESCRIBERS: dict[str, tuple[str, str, str]] = {
    "Pod": (".pod", "_describe_pod", "events"),
    "Service": (".service", "_describe_service", "events+related"),
    "Endpoints": (".service", "_describe_endpoints", "events"),
    "EndpointSlice": (".service", "_describe_endpoint_slice", "events"),
    "Deployment": (".workloads", "_describe_deployment", "events+related"),
    "ReplicaSet": (".workloads", "_describe_replica_set", "events+related"),
    "ReplicationController": (".workloads", "_describe_replication_controller", "events+related"),
    "Ingress": (".service", "_describe_ingress", "events+related"),
    "IngressClass": (".service", "_describe_ingress_class", "events"),
    "Node": (".node", "_describe_node", "events+related"),
    "Secret": (".config", "_describe_secret", ""),
    "Namespace": (".namespace", "_describe_namespace", "related"),
    "ConfigMap": (".config", "_describe_config_map", "events"),
    "ServiceAccount": (".config", "_describe_service_account", "events+related"),
    "NetworkPolicy": ("..netpol", "describe_network_policy", "events"),  # NetworkPolicy block
    "DaemonSet": (".workloads", "_describe_daemon_set", "events+related"),  # issue 11 (w-ds)
    "StatefulSet": (".workloads", "_describe_stateful_set", "events+related"),
    "PersistentVolumeClaim": (".storage", "_describe_persistent_volume_claim", "events+related"),
    "PersistentVolume": (".storage", "_describe_persistent_volume", "events"),
    "StorageClass": (".storage", "_describe_storage_class", "events"),
    "Job": (".workloads", "_describe_job", "events"),  # issue 11 (w-job)
    "CronJob": (".workloads", "_describe_cron_job", "events"),  # issue 11 (w-job)
    "ResourceQuota": (".quota", "_describe_resource_quota", ""),  # issue 11 (w-quota)
    "LimitRange": (".quota", "_describe_limit_range", ""),
    "PriorityClass": (".quota", "_describe_priority_class", "events"),
    "PodDisruptionBudget": (".policy", "_describe_pod_disruption_budget", "events"),  # issue 11 (w-drain)
    # issue 12 (w-rbac): minikctl/printers/rbac.py
    "Role": ("..rbac", "describe_role", ""),
    "ClusterRole": ("..rbac", "describe_role", ""),
    "RoleBinding": ("..rbac", "describe_role_binding", ""),
    "ClusterRoleBinding": ("..rbac", "describe_role_binding", ""),
    "HorizontalPodAutoscaler": (".autoscaling", "_describe_horizontal_pod_autoscaler", "events"),  # issue 11 (w-hpa)
}


def describe(kind: str, obj: dict, events: list[dict] | None, now: datetime, related: dict | None = None) -> str:
    """Return ``kubectl describe`` text for one object (ends with a newline).

    ``events`` are the Events whose involvedObject is ``obj`` (any order; they
    are sorted like kubectl).  ``[]`` prints ``Events:  <none>``; ``None``
    (``--show-events=false``) omits the section.  Secret and Namespace never
    show events, like kubectl.
    """
    related = related or {}
    obj = obj if isinstance(obj, dict) else {}
    entry = _DESCRIBERS.get(kind)
    if entry is None:
        return _describe_generic(obj, events, now)
    module, name, takes = entry
    describer = getattr(import_module(module, __name__), name)
    if takes == "events":
        return describer(obj, events, now)
    if takes == "events+related":
        return describer(obj, events, now, related)
    if takes == "related":
        return describer(obj, related)
    return describer(obj)


def _describe_generic(obj: dict, events, now: datetime) -> str:
    """genericDescriber, reduced: Name/Namespace/Labels/Annotations then events."""
    w = _Writer()
    meta = obj.get("metadata") or _D
    _name_ns(w, obj)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(events, w, now)
    return w.render()


_MODULES = (".writer", ".events", ".quantity", ".pod", ".workloads", ".service", ".node", ".config",
            ".namespace", ".storage", ".policy", ".quota")


def __getattr__(name: str):
    """Any other name the single-module describe.py defined (a helper such as
    ``_describe_pod_template``) is still importable from here: found in the part modules,
    imported on first use."""
    if not name.startswith("__"):
        for module in _MODULES:
            m = import_module(module, __name__)
            if name in m.__dict__:
                return m.__dict__[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
