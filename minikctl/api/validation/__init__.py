"""Validation, with kube-apiserver 1.32's field paths, wording and order.

Sources (kubernetes/kubernetes), and the part of this package that follows each:
  staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go  names.py (DNS names, labels, ports)
  staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go          ip.py (IPs, CIDRs)
  staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go   meta.py (metadata)
  staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go meta.py (labels, selectors)
  pkg/apis/core/validation/validation.go      pod.py, volumes.py, resources.py (Pod), service.py (Service),
                                              endpoints.py (Endpoints), workloads.py (RC), config.py (Secret,
                                              ConfigMap), core.py (Namespace, Node, Event), storage.py (PVC, PV)
  pkg/apis/apps/validation/validation.go      workloads.py (Deployment, ReplicaSet, DaemonSet, StatefulSet)
  pkg/apis/batch/validation/validation.go     workloads.py (Job, CronJob)
  pkg/apis/networking/validation/validation.go networking.py (Ingress, IngressClass; NetworkPolicy: api/netpol.py)
  pkg/apis/discovery/validation/validation.go endpoints.py (EndpointSlice)
  pkg/apis/autoscaling/validation/validation.go autoscaling.py (HorizontalPodAutoscaler)
  ValidateResourceQuota, ValidateLimitRange, pkg/apis/scheduling/validation   quotas.py (issue 11, w-quota)
  pkg/registry/apps/deployment/strategy.go    (immutable selector: validate_update below)
common.py holds what they all share: safe access to decoded JSON and Go's %#v rendering of bad values.

``validate(obj, old)`` returns every FieldError of an object after defaulting, in the
order kube-apiserver reports them (Go map iteration is random there; maps are walked
in sorted key order here). Values of the wrong JSON type are treated as Go's zero
value: the strict decoding check (schema.py) reports them first.

This module holds the dispatch (``validate``, ``validate_update``) and the emulator's capacity
check (MAX_PODS, admit_capacity). common, names and meta are imported with it (every kind
needs them); a kind's part is imported when an object of that kind is validated. Every name
the parts define is also reachable here (``from minikctl.api.validation import parse_ip``,
as when validation was one module): _PARTS says where each lives, and ``__getattr__``
imports only that part.
"""

from __future__ import annotations

import sys

from minikctl.api.errors import FieldError, invalid, required
from minikctl.api.validation.common import _go_label_selector, _i, _m, _s
from minikctl.api.validation.meta import validate_object_meta, validate_object_meta_update
from minikctl.api.validation.names import IMMUTABLE_ERROR

# The emulator's capacity (README, "Capacity"): a workload may ask for at most this many
# pods, and the replica controllers create no pod beyond it in a cluster. Kubernetes'
# own tested limit is 150,000 pods per cluster; an emulated pod costs about a millisecond
# of one command's write transaction, so this bound keeps any command under a minute.
MAX_PODS = 50_000
_WORKLOADS = {"Deployment": "deployments.apps", "ReplicaSet": "replicasets.apps",
              "ReplicationController": "replicationcontrollers", "StatefulSet": "statefulsets.apps"}


def admit_capacity(obj: dict) -> None:
    """The emulator's admission check, after validation (as kube-apiserver's validating
    admission plugins run after the type's validation): a workload that asks for more pods
    than the emulator runs is refused before anything is written, as ResourceQuota refuses
    an object over quota (Forbidden)."""
    resource = _WORKLOADS.get(obj.get("kind"))
    if resource is None:
        return
    n = _i(_m(obj.get("spec")).get("replicas"))
    if n > MAX_PODS:
        from minikctl.api.errors import Forbidden

        name = _s(_m(obj.get("metadata")).get("name"))
        raise Forbidden(f'{resource} "{name}" is forbidden: spec.replicas: {n} is more than this emulator runs: '
                        f"at most {MAX_PODS} pods per cluster")


# --------------------------------------------------------------------- dispatch
# kind -> (part, validator)
_VALIDATORS = {
    "Pod": ("pod", "_validate_pod"),
    "Service": ("service", "_validate_service"),
    "Endpoints": ("endpoints", "_validate_endpoints"),
    "EndpointSlice": ("endpoints", "_validate_endpoint_slice"),
    "Deployment": ("workloads", "_validate_deployment"),
    "ReplicaSet": ("workloads", "_validate_replica_set"),
    "ReplicationController": ("workloads", "_validate_replication_controller"),
    "Ingress": ("networking", "_validate_ingress"),
    "IngressClass": ("networking", "_validate_ingress_class"),
    "Secret": ("config", "_validate_secret"),
    "ConfigMap": ("config", "_validate_config_map"),
    "Namespace": ("core", "_validate_namespace"),
    "Node": ("core", "_validate_node"),
    "Event": ("core", "_validate_event"),
    "DaemonSet": ("workloads", "_validate_daemon_set"),  # issue 11 (w-ds)
    # issue 11
    "StatefulSet": ("workloads", "_validate_stateful_set"),
    "PersistentVolumeClaim": ("storage", "_validate_persistent_volume_claim"),
    "PersistentVolume": ("storage", "_validate_persistent_volume"),
    "StorageClass": ("storage", "_validate_storage_class"),
    "NetworkPolicy": ("networking", "_validate_network_policy"),  # minikctl/api/netpol.py
    # issue 11: Batch (w-job)
    "Job": ("workloads", "_validate_job"),
    "CronJob": ("workloads", "_validate_cron_job"),
    # issue 11: policy (w-quota)
    "ResourceQuota": ("quotas", "validate_resource_quota"),
    "LimitRange": ("quotas", "validate_limit_range"),
    "PriorityClass": ("quotas", "validate_priority_class"),
    "PodDisruptionBudget": ("policy", "_validate_pod_disruption_budget"),  # issue 11 (w-drain)
    # issue 12: RBAC (w-rbac)
    "Role": ("rbac", "_validate_role"),
    "ClusterRole": ("rbac", "_validate_cluster_role"),
    "RoleBinding": ("rbac", "_validate_role_binding"),
    "ClusterRoleBinding": ("rbac", "_validate_cluster_role_binding"),
    "HorizontalPodAutoscaler": ("autoscaling", "_validate_horizontal_pod_autoscaler"),  # issue 11 (w-hpa)
}


def _part(part: str):
    """One part of this package, imported now (__import__: importlib would be two more modules,
    importlib and warnings, on the way of every apply, issue 12)."""
    full = f"{__name__}.{part}"
    __import__(full)
    return sys.modules[full]


def _validator(kind):
    """The validator of a kind (its part imported now), or None."""
    entry = _VALIDATORS.get(kind)
    if entry is None:
        return None
    part, name = entry
    return getattr(_part(part), name)


# --------------------------------------------------------------------- entry points


def validate_update(obj: dict, old: dict) -> list[FieldError]:
    """The rules that only an update has: immutable fields (metadata.name, a Service's clusterIPs,
    a Deployment's selector, an immutable ConfigMap's data, a Secret's type, ...)."""
    if not isinstance(obj, dict) or not isinstance(old, dict):
        return []
    kind = obj.get("kind")
    errs = validate_object_meta_update(obj, old)
    if kind == "Service":
        from minikctl.api.validation.service import _validate_service_update

        errs += _validate_service_update(obj, old)
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        # pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go ValidateUpdate (ValidateImmutableField)
        sel, osel = _m(obj.get("spec")).get("selector"), _m(old.get("spec")).get("selector")
        if (sel or None) != (osel or None):
            errs.append(invalid("spec.selector", _go_label_selector(sel), IMMUTABLE_ERROR))
    elif kind == "ConfigMap":
        from minikctl.api.validation.config import _validate_immutable_data

        errs += _validate_immutable_data(obj, old, ("data", "binaryData"))
    elif kind == "Secret":
        from minikctl.api.validation.config import _validate_immutable_data

        errs += _validate_immutable_data(obj, old, ("data",))
        if _s(obj.get("type")) != _s(old.get("type")):
            errs.append(invalid("type", _s(obj.get("type")), IMMUTABLE_ERROR))
    elif kind == "EndpointSlice":
        if obj.get("addressType") != old.get("addressType"):
            errs.append(invalid("addressType", _s(obj.get("addressType")), IMMUTABLE_ERROR))
    elif kind == "Pod":
        from minikctl.api.validation.pod import _validate_pod_update

        errs += _validate_pod_update(obj, old)
    elif kind == "StatefulSet":
        from minikctl.api.validation.workloads import _validate_stateful_set_update

        errs += _validate_stateful_set_update(obj, old)
    elif kind in ("ResourceQuota", "PriorityClass"):  # issue 11 (w-quota)
        from minikctl.api.validation.quotas import UPDATE_VALIDATORS

        errs += UPDATE_VALIDATORS[kind](obj, old)
    elif kind in ("RoleBinding", "ClusterRoleBinding"):  # issue 12 (w-rbac)
        from minikctl.api.validation.rbac import _validate_binding_update

        errs += _validate_binding_update(obj, old)
    return errs


def validate(obj: dict, old: dict | None = None) -> list[FieldError]:
    """Every FieldError of ``obj`` (defaults applied), in kube-apiserver's order; with ``old``,
    the update rules come first, as ValidateXUpdate puts them."""
    if not isinstance(obj, dict):
        return [required("metadata.name", "name or generateName is required")]
    fn = _validator(obj.get("kind"))
    errs = validate_update(obj, old) if isinstance(old, dict) else []
    if obj.get("kind") in ("Deployment", "ReplicaSet", "DaemonSet") and errs:
        # the selector rule comes from the strategy, after the type's own validation
        selector_errs = [e for e in errs if e.field == "spec.selector"]
        errs = [e for e in errs if e.field != "spec.selector"]
        return errs + (fn(obj) if fn else []) + selector_errs
    if fn is None:
        return errs + validate_object_meta(obj, _s(obj.get("kind")))
    errs += fn(obj)
    if not errs:
        admit_capacity(obj)
    return errs


# --------------------------------------------------------------------- the parts' names
# Every top-level name of the parts, by part: what ``from minikctl.api.validation import X``
# found when validation was one module.
_PARTS = {
    "common": (
        "GoValue", "_gq", "go_string_map", "go_string_list", "_go_intstr", "_go_label_selector", "_m", "_l", "_s",
        "_i", "_ml",
    ),
    "names": (
        "_DNS1123_LABEL_FMT", "_DNS1123_SUBDOMAIN_FMT", "_DNS1035_LABEL_FMT", "_QNAME_FMT", "_LABEL_VALUE_FMT",
        "_WILDCARD_FMT", "_CONFIG_KEY_FMT", "_PERCENT_FMT", "_RE_DNS1123_LABEL", "_RE_DNS1123_SUBDOMAIN",
        "_RE_DNS1035_LABEL", "_RE_QNAME", "_RE_LABEL_VALUE", "_RE_WILDCARD", "_RE_CONFIG_KEY", "_RE_PERCENT",
        "_RE_PORT_NAME_CHARS", "_RE_LETTER", "max_len_error", "regex_error", "inclusive_range_error", "EMPTY_ERROR",
        "NEGATIVE_ERROR", "IMMUTABLE_ERROR", "is_dns1123_label", "is_dns1123_subdomain", "is_dns1035_label",
        "is_wildcard_dns1123_subdomain", "_QNAME_MSG", "_VALID_QNAMES", "is_qualified_name", "_is_qualified_name",
        "is_valid_label_value", "is_valid_port_num", "is_valid_port_name", "is_config_map_key",
        "is_relaxed_env_var_name",
    ),
    "ip": (
        "_IP_CACHE", "parse_ip", "_parse_ip", "is_valid_ip", "validate_non_special_ip", "_ORDINARY_IPS",
        "is_valid_cidr",
    ),
    "meta": (
        "_NAME_FNS", "_CLUSTER_SCOPED", "TOTAL_ANNOTATION_SIZE_LIMIT", "_validate_labels", "_validate_annotations",
        "validate_object_meta", "validate_object_meta_update", "_validate_label_selector", "selector_matches",
        "_selector_empty",
    ),
    "resources": (
        "_QUANTITY", "_SUFFIX", "quantity_value", "_q_text", "_validate_resources",
    ),
    "volumes": (
        "_VOLUME_TYPES", "_VOLUME_TYPE_PATHS", "FILE_MODE_ERROR", "_HOST_PATH_TYPES", "_VOLUME_FIELD_PATHS",
        "_validate_path_no_backsteps", "_validate_local_descending_path", "_validate_local_non_reserved_path",
        "_validate_mode", "_validate_key_to_path", "_validate_object_field_selector", "_validate_downward_file",
        "_validate_volume_source", "_validate_projection_sources", "_RE_SUBSCRIPT",
    ),
    "pod": (
        "_PROTOCOLS", "_validate_port_num_or_name", "_validate_handler", "_validate_probe", "_ENV_FIELD_PATHS",
        "_validate_env", "_validate_container_common", "validate_pod_spec", "validate_pod_template", "_validate_pod",
        "_validate_pod_update",
    ),
    "service": (
        "_cluster_ips", "_is_headless", "_externally_accessible", "_go_service_port", "_validate_service",
        "_validate_cluster_ips", "_validate_service_update",
    ),
    "endpoints": (
        "_validate_endpoints", "_validate_endpoint_slice",
    ),
    "workloads": (
        "_validate_template_for_rs", "_validate_selector_and_template", "_int_or_percent", "_percent_value",
        "INT32_MAX", "_replicas_errors", "_validate_deployment", "_validate_replica_set",
        "_validate_replication_controller", "_validate_daemon_set", "_validate_stateful_set",
        "_validate_stateful_set_update", "_validate_job", "_validate_cron_job",
    ),
    "storage": (
        "_PVC_ACCESS_MODES", "_validate_pvc_spec", "_validate_persistent_volume_claim", "_validate_persistent_volume",
        "_validate_storage_class",
    ),
    "networking": (
        "_PATH_TYPES", "_validate_ingress_backend", "_validate_ingress", "_validate_ingress_class",
        "_validate_network_policy",
    ),
    "config": (
        "MAX_SECRET_SIZE", "_validate_secret", "_json_object_problem", "_go_char", "_validate_config_map",
        "_validate_immutable_data",
    ),
    "core": (
        "_validate_namespace", "_validate_node", "_validate_event",
    ),
    "policy": (  # issue 11 (w-drain)
        "_go_pdb_spec", "_not_more_than_100_percent", "_validate_pod_disruption_budget",
    ),
    "autoscaling": (  # issue 11 (w-hpa)
        "validate_cross_version_object_reference", "_validate_horizontal_pod_autoscaler",
    ),
}
_WHERE = {name: part for part, names in _PARTS.items() for name in names}


def __getattr__(name: str):
    """A name of one of the parts (PEP 562), its part imported on first use."""
    part = _WHERE.get(name)
    if part is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_part(part), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
