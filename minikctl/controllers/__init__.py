"""The control plane's controllers, run inside each command's write transaction.

No daemon: after a command's writes, ``run_queue`` hands every changed key
(resource, namespace, name) to the controllers that watch that resource, each a
small reconcile function safe to run twice; their own writes queue more keys, until
nothing changes (the way a real control plane converges). Only changed keys are
visited, never a rescan of every object.

``WATCHES`` maps a resource to the reconcilers interested in its changes, as
"module:function" under minikctl.controllers, imported on first use.

Keys whose resource starts with "~" are work-queue keys rather than objects: a
controller enqueues one (e.g. ("~replicaset", ns, name)) to have its sync run once
after a burst of changes (many pods starting) instead of once per change, as a real
controller's rate-limited work queue coalesces keys.
"""

from __future__ import annotations

import importlib

WATCHES: dict[str, tuple[str, ...]] = {
    "pods": ("scheduler:on_pod", "kubelet:on_pod", "replicaset:on_pod", "replicationcontroller:on_pod",
             "endpoints:on_pod", "ingress:on_pod"),
    "nodes": ("scheduler:on_node",),
    "replicasets": ("replicaset:on_replicaset", "deployment:on_replicaset"),
    "~replicaset": ("replicaset:sync",),
    "replicationcontrollers": ("replicationcontroller:on_rc",),
    "~replicationcontroller": ("replicationcontroller:sync",),
    "deployments": ("deployment:on_deployment",),
    "~deployment": ("deployment:sync",),
    "services": ("endpoints:on_service", "loadbalancer:sync", "ingress:on_service", "kubernetes_service:ensure",
                 "kubelet:on_service"),
    "~service-endpoints": ("endpoints:sync", "endpointslice:sync"),
    "~loadbalancer": ("loadbalancer:sync",),
    "endpoints": ("endpointslice:on_endpoints", "kubernetes_service:ensure"),
    "namespaces": ("serviceaccount:on_namespace", "rootca:on_namespace"),
    "serviceaccounts": ("serviceaccount:on_serviceaccount",),
    "configmaps": ("rootca:on_configmap", "kubelet:on_config"),
    "secrets": ("kubelet:on_config",),
    "ingresses": ("ingress:sync",),
    "ingressclasses": ("ingress:on_class",),
    "~ingress-all": ("ingress:sync_all",),
}
# --- issue 11: DaemonSet, TaintNodesByCondition (unschedulable) and NoExecute taint evictions (w-ds)
WATCHES["pods"] += ("daemonset:on_pod", "nodelifecycle:on_pod")
WATCHES["nodes"] += ("nodelifecycle:on_node", "daemonset:on_node")
WATCHES["daemonsets"] = ("daemonset:on_daemonset",)
WATCHES["~daemonset"] = ("daemonset:sync",)
# --- issue 11: StatefulSet and storage (the pod watch is added below, after the others)
WATCHES["pods"] = WATCHES["pods"] + ("statefulset:on_pod",)
WATCHES.update({
    "statefulsets": ("statefulset:on_statefulset",),
    "~statefulset": ("statefulset:sync",),
    "persistentvolumeclaims": ("volumebinding:on_claim",),
    "persistentvolumes": ("volumebinding:on_volume",),
})
# --- issue 11: Batch (w-job)
WATCHES["pods"] = WATCHES["pods"] + ("job:on_pod",)
WATCHES.update({"jobs": ("job:on_job", "cronjob:on_job"), "~job": ("job:sync",),
                "cronjobs": ("cronjob:on_cronjob",), "~cronjob": ("cronjob:sync",)})
# --- issue 11: ResourceQuota (w-quota): the resource quota controller's full sync of a changed quota
WATCHES["resourcequotas"] = ("resourcequota:on_quota",)
# --- issue 11: disruptions (w-drain): the disruption controller
WATCHES["pods"] = WATCHES["pods"] + ("disruption:on_pod",)
WATCHES.update({"poddisruptionbudgets": ("disruption:on_pdb",), "~disruption": ("disruption:sync",)})
# --- issue 12: RBAC (w-rbac): the clusterrole-aggregation controller
WATCHES["clusterroles"] = ("minikctl.api.rbac:on_cluster_role",)
WATCHES["~clusterrole-aggregation"] = ("minikctl.api.rbac:sync_aggregation",)
# --- issue 11: HorizontalPodAutoscaler (w-hpa): synced every 15 s of cluster time
WATCHES.update({"horizontalpodautoscalers": ("hpa:on_hpa",), "~hpa": ("hpa:sync",)})
# Reconcilers run when the cluster clock moves (probes, provisioning delays).
CLOCK_HOOKS: tuple[str, ...] = ("kubelet:on_clock", "minikctl.kubelet.probes:on_clock", "replication:on_clock",
                                "deployment:on_clock",
                                "nodelifecycle:on_clock",  # issue 11 (w-ds): tolerationSeconds evictions
                                "job:on_clock",  # issue 11 (w-job): back-off, activeDeadlineSeconds, ttl
                                "cronjob:on_clock",  # issue 11 (w-job): the scheduled times
                                "hpa:on_clock")  # issue 11 (w-hpa): the 15 s resyncs
# issue 11 (w-job): `clock advance` stops at each time these return (the earliest in
# (now, target), ns, or None), so that the controllers run at the moments they are due.
WAKEUP_HOOKS: tuple[str, ...] = ("cronjob:next_wakeup", "job:next_wakeup")
WAKEUP_HOOKS += ("deployment:next_wakeup",)  # issue 12 (w-rollout): progress deadlines
WAKEUP_HOOKS += ("hpa:next_wakeup",)  # issue 11 (w-hpa): the 15 s resyncs
# --- issue 12 (w-help): LoadBalancer provisioning takes a few seconds of cluster time
CLOCK_HOOKS += ("loadbalancer:on_clock",)
WAKEUP_HOOKS += ("loadbalancer:next_wakeup",)
# --- issue 11: node faults (w-node): the node health monitor of a stopped kubelet runs first
CLOCK_HOOKS = ("nodemonitor:on_clock",) + CLOCK_HOOKS
# Run each time the queue drains (they may queue more work): checks that need the
# converged state of the whole command, e.g. "this new service selects no pods".
DRAINED_HOOKS: tuple[str, ...] = ("endpoints:warn_empty", "scheduler:flush")
DRAINED_HOOKS += ("minikctl.api.quota:flush",)  # issue 11 (w-quota): quota usage written once per drain

MAX_STEPS = 1_000_000

_cache: dict[str, object] = {}


def _fn(ref: str):
    f = _cache.get(ref)
    if f is None:
        mod, name = ref.split(":")
        # "module:function" under minikctl.controllers, or a dotted absolute module path
        f = getattr(importlib.import_module(mod if "." in mod else f"minikctl.controllers.{mod}"), name)
        _cache[ref] = f
    return f


def run_queue(api) -> None:
    saved = (getattr(api, "field_manager", None), getattr(api, "field_subresource", ""),  # issue 14 (w-ssa)
             getattr(api, "show_managed", False))
    api.field_subresource = ""  # the controllers' own managers (set per reconciler), no subresource
    api.show_managed = False  # controllers never read managedFields
    try:
        _run_queue(api)
    finally:
        api.field_manager, api.field_subresource, api.show_managed = saved


def _manager(ref: str) -> str:
    m = _managers.get(ref)
    if m is None:
        from minikctl.api.managers import controller_manager

        m = _managers[ref] = controller_manager(ref)
    return m


_managers: dict[str, str] = {}


def _run_queue(api) -> None:
    steps = 0
    while True:
        key = api.pop_queue()
        if key is None:
            for ref in DRAINED_HOOKS:
                api.field_manager = _manager(ref)
                _fn(ref)(api)
            if not api.queue:
                return
            continue
        steps += 1
        if steps > MAX_STEPS:  # pragma: no cover - a controller bug, not user input
            raise RuntimeError("controllers did not converge")
        for ref in WATCHES.get(key[0], ()):
            api.field_manager = _manager(ref)
            _fn(ref)(api, key[1], key[2])


def on_clock(api) -> None:
    saved = getattr(api, "field_manager", None), getattr(api, "field_subresource", ""), getattr(api, "show_managed", False)
    api.field_subresource = ""
    api.show_managed = False
    try:
        for ref in CLOCK_HOOKS:
            api.field_manager = _manager(ref)
            _fn(ref)(api)
    finally:
        api.field_manager, api.field_subresource, api.show_managed = saved
    run_queue(api)


def next_wakeup(api, after_ns: int, until_ns: int) -> int | None:
    """The earliest time in (after, until) a controller asked to be woken at."""
    times = [t for t in (_fn(ref)(api, after_ns, until_ns) for ref in WAKEUP_HOOKS) if t is not None]
    return min(times) if times else None
# --- the API server's own `kubernetes` EndpointSlice is put back when deleted, as its Endpoints are
WATCHES["endpointslices"] = WATCHES.get("endpointslices", ()) + ("kubernetes_service:ensure",)
