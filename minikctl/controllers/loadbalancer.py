"""service-controller with a simulated cloud provider (like cloud-provider-kind or MetalLB
on a laptop): a LoadBalancer Service gets ``status.loadBalancer.ingress[{ip, ipMode: VIP}]``
from the cluster's LB pool (store pool ``lbip``, owned by the service's uid, so it is
released when the service goes). With ``--lb-pool none`` nothing is provisioned and
EXTERNAL-IP stays ``<pending>`` while the node ports keep working, as on a cluster
without a cloud.

Events are the service controller's (staging/src/k8s.io/cloud-provider/controllers/service):
EnsuringLoadBalancer / EnsuredLoadBalancer, DeletingLoadBalancer / DeletedLoadBalancer,
SyncLoadBalancerFailed.

Provisioning takes PROVISION_SECONDS of cluster time, as a cloud's load balancer takes a while
(the tutorial: "If you do a kubectl get services right away you'll see that the EXTERNAL-IP
column for cyberchef now says pending. Wait a bit..."): EnsuringLoadBalancer at once, with
EXTERNAL-IP `<pending>`; the address and EnsuredLoadBalancer when the time has passed. The
timers are kept in the store (TIMERS_META, the earliest in DUE_META): on a manual clock
`clock advance` (and every command that waits) stops at them (next_wakeup, on_clock); on a
wall clock the first command after the time catches up (catch_up, from Session.open). A
service already provisioned that asks for another loadBalancerIP moves at once, and the
cluster's own (ingress-nginx's) is provisioned when the cluster is created.
"""

from __future__ import annotations

import json

SOURCE = "service-controller"
POOL = "lbip"
PENDING_META = "controllers:lb-pending"  # services waiting for a free address ("ns/name")
TIMERS_META = "controllers:lb-timers"  # {"ns/name": due timestamp (float seconds)}
DUE_META = "controllers:lb-due"  # the earliest of them: one meta read per command (wall clock)
PROVISION_SECONDS = 3


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
        _set_timer(api, namespace, name, None)
        _retry_pending(api)
        return
    uid = svc["metadata"]["uid"]
    held = _held(api, uid)
    status = svc.get("status") or {}
    ingress = (status.get("loadBalancer") or {}).get("ingress")
    if not _wants_lb(svc):
        ensuring = f"{namespace}/{name}" in _timers(api)  # the cleanup finalizer was on it already
        if held is not None or ingress or ensuring:
            if held is not None:
                api.store.release(POOL, held)
            if (api.previous or {}).get("spec", {}).get("type") == "LoadBalancer" or ingress or ensuring:
                api.record_event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer", SOURCE)
                svc["status"] = {**status, "loadBalancer": {}}
                api.update_status(svc)
                api.record_event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer", SOURCE)
            _retry_pending(api)
        _set_pending(api, namespace, name, False)
        _set_timer(api, namespace, name, None)
        return
    pool = _pool(api)
    if pool is None:
        return  # no cloud: EXTERNAL-IP stays <pending>, the node ports still work
    cidr, first, last = pool
    want_ip = (svc.get("spec") or {}).get("loadBalancerIP")
    if held is not None and (not want_ip or int_to_ip(held) == want_ip) and ingress and \
            ingress[0].get("ip") == int_to_ip(held):
        return  # provisioned already
    if not ingress and not getattr(api, "lb_immediate", False):
        # first provisioning: the cloud takes PROVISION_SECONDS (a retry after a full pool too)
        now = api.clock.timestamp()
        due = _timers(api).get(f"{namespace}/{name}")
        if due is None:
            api.record_event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer", SOURCE)
            _set_timer(api, namespace, name, now + PROVISION_SECONDS)
            return
        if due > now:
            return  # still provisioning: on_clock brings it back when due
        _set_timer(api, namespace, name, None)
    else:  # a new address for a provisioned one, or the cluster's own at its creation
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


# ------------------------------------------------------------------ timers
def _timers(api) -> dict:
    raw = api.store.meta_get(TIMERS_META)
    return json.loads(raw) if raw else {}


def _set_timer(api, ns: str, name: str, due: float | None) -> None:
    timers = _timers(api)
    key = f"{ns}/{name}"
    if due is None:
        if key not in timers:
            return
        del timers[key]
    elif timers.get(key) == due:
        return
    else:
        timers[key] = due
    if timers:
        api.store.meta_set(TIMERS_META, json.dumps(timers))
        api.store.meta_set(DUE_META, repr(min(timers.values())))
    else:
        api.store.meta_delete(TIMERS_META)
        api.store.meta_delete(DUE_META)


def next_wakeup(api, after_ns: int, until_ns: int) -> int | None:
    """The earliest provisioning timer in (after, until), ns: `clock advance` stops there."""
    raw = api.store.meta_get(DUE_META)
    if raw is None:
        return None
    times = [round(t * 1_000_000_000) for t in _timers(api).values()]
    times = [t for t in times if after_ns < t < until_ns]
    return min(times) if times else None


def on_clock(api) -> None:
    if api.store.meta_get(DUE_META) is None:
        return
    now = api.clock.timestamp()
    # in the order they fell due, ties in the order they were asked for (the dict keeps it): a
    # pool with fewer addresses than services goes to the first ones, as the controller's queue does
    for key, due in sorted(_timers(api).items(), key=lambda kv: kv[1]):
        if due <= now:
            ns, _, name = key.partition("/")
            sync(api, ns, name)


def catch_up(session) -> None:
    """Provisioning that fell due while no command ran (wall clock), in one write transaction."""
    with session.write() as api:
        on_clock(api)


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
