"""service-controller with a simulated cloud provider (like cloud-provider-kind or MetalLB
on a laptop): a LoadBalancer Service gets ``status.loadBalancer.ingress[{ip, ipMode: VIP}]``
from the cluster's LB pool (store pool ``lbip``, owned by the service's uid, so it is
released when the service goes). With ``--lb-pool none`` nothing is provisioned and
EXTERNAL-IP stays ``<pending>`` while the node ports keep working, as on a cluster
without a cloud.

Events are the service controller's (staging/src/k8s.io/cloud-provider/controllers/service):
EnsuringLoadBalancer / EnsuredLoadBalancer, DeletingLoadBalancer / DeletedLoadBalancer,
SyncLoadBalancerFailed. Provisioning is immediate.
"""

from __future__ import annotations

SOURCE = "service-controller"
POOL = "lbip"
PENDING_META = "controllers:lb-pending"  # services waiting for a free address ("ns/name")


def _pool(api):
    from minikctl.allocators.ranges import CIDR

    text = api.config.get("lbPool")
    if not text or text == "none":
        return None
    cidr = CIDR(text)
    first, size = cidr.usable()
    return cidr, first, first + size - 1


def _held(api, uid: str) -> int | None:
    for pool, value in api.store.allocations_of(uid):
        if pool == POOL:
            return value
    return None


def _wants_lb(svc: dict) -> bool:
    spec = svc.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass")


def sync(api, namespace: str, name: str) -> None:
    from minikctl.allocators.ranges import int_to_ip, ip_to_int

    svc = api.try_get("services", namespace, name)
    if svc is None:
        # deleted: API.delete released the address with the service's allocations
        _set_pending(api, namespace, name, False)
        _retry_pending(api)
        return
    uid = svc["metadata"]["uid"]
    held = _held(api, uid)
    status = svc.get("status") or {}
    ingress = (status.get("loadBalancer") or {}).get("ingress")
    if not _wants_lb(svc):
        if held is not None or ingress:
            if held is not None:
                api.store.release(POOL, held)
            if (api.previous or {}).get("spec", {}).get("type") == "LoadBalancer" or ingress:
                api.record_event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer", SOURCE)
                svc["status"] = {**status, "loadBalancer": {}}
                api.update_status(svc)
                api.record_event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer", SOURCE)
            _retry_pending(api)
        _set_pending(api, namespace, name, False)
        return
    pool = _pool(api)
    if pool is None:
        return  # no cloud: EXTERNAL-IP stays <pending>, the node ports still work
    cidr, first, last = pool
    want_ip = (svc.get("spec") or {}).get("loadBalancerIP")
    if held is not None and (not want_ip or int_to_ip(held) == want_ip) and ingress and \
            ingress[0].get("ip") == int_to_ip(held):
        return  # provisioned already
    api.record_event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer", SOURCE)
    value = held
    if want_ip:
        try:
            requested = ip_to_int(want_ip)
        except ValueError:
            requested = None
        if requested is None or not first <= requested <= last:
            _failed(api, svc, f"requested IP {want_ip} is not in the load-balancer pool {cidr.text}")
            return
        if requested != held:
            if not api.store.allocate(POOL, requested, uid):
                _failed(api, svc, f"requested IP {want_ip} is already in use")
                return
            if held is not None:
                api.store.release(POOL, held)
            value = requested
    if value is None:
        value = api.store.first_free(POOL, first, last)
        if value is None or not api.store.allocate(POOL, value, uid):
            _failed(api, svc, f"no available IPs in the load-balancer pool {cidr.text}")
            return
    svc["status"] = {**status, "loadBalancer": {"ingress": [{"ip": int_to_ip(value), "ipMode": "VIP"}]}}
    api.update_status(svc)
    _set_pending(api, namespace, name, False)
    api.record_event(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer", SOURCE)


def _failed(api, svc: dict, why: str) -> None:
    m = svc["metadata"]
    _set_pending(api, m["namespace"], m["name"], True)
    api.record_event(svc, "Warning", "SyncLoadBalancerFailed",
                     f"Error syncing load balancer: failed to ensure load balancer: {why}", SOURCE)


def _pending(api) -> list[str]:
    import json

    raw = api.store.meta_get(PENDING_META)
    return json.loads(raw) if raw else []


def _set_pending(api, ns: str, name: str, on: bool) -> None:
    import json

    keys = _pending(api)
    key = f"{ns}/{name}"
    if on == (key in keys):
        return
    keys = sorted(set(keys) | {key}) if on else [k for k in keys if k != key]
    if keys:
        api.store.meta_set(PENDING_META, json.dumps(keys))
    else:
        api.store.meta_delete(PENDING_META)


def _retry_pending(api) -> None:
    """An address was freed: services that found the pool full try again (the service
    controller's retry)."""
    for key in _pending(api):
        ns, _, name = key.partition("/")
        api._enqueue("~loadbalancer", ns, name)
