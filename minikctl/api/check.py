"""`minikctl cluster check`: store integrity plus the cluster's own invariants."""

from __future__ import annotations


def check_store(session) -> list[str]:
    store = session.store
    problems: list[str] = []
    res = store.integrity_check()
    if res != "ok":
        problems.append(f"sqlite integrity_check: {res}")
        return problems
    from minikctl.allocators.ranges import int_to_ip

    api = session.api
    # every allocation has exactly one owning object, and that object holds it
    owners: dict[str, dict | None] = {}
    for pool, value, owner in store.all_allocations():
        if owner not in owners:
            owners[owner] = store.get_by_uid(owner)
        obj = owners[owner]
        shown = int_to_ip(value) if pool in ("clusterip", "lbip") or pool.startswith("podip") else str(value)
        if obj is None:
            problems.append(f"allocation {pool} {shown} is owned by a missing object (uid {owner})")
            continue
        if not _holds(obj, pool, shown):
            problems.append(f"allocation {pool} {shown} is owned by {obj['kind']} "
                            f"{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}, which does not use it")
    # every service holds its allocations
    for svc in api.list("services"):
        spec = svc.get("spec") or {}
        uid = svc["metadata"]["uid"]
        ip = spec.get("clusterIP")
        from minikctl.allocators.ranges import ip_to_int

        if ip and ip != "None":
            if store.allocated("clusterip", ip_to_int(ip)) != uid:
                problems.append(f"service {svc['metadata']['namespace']}/{svc['metadata']['name']}: "
                                f"clusterIP {ip} is not allocated to it")
        for p in spec.get("ports") or []:
            if p.get("nodePort") and store.allocated("nodeport", int(p["nodePort"])) != uid:
                problems.append(f"service {svc['metadata']['namespace']}/{svc['metadata']['name']}: "
                                f"nodePort {p['nodePort']} is not allocated to it")
    # every controller-owned object's owner exists
    for kind in ("pods", "replicasets", "endpointslices"):
        for obj in api.list(kind):
            for ref in obj["metadata"].get("ownerReferences") or []:
                if ref.get("controller") and store.get_by_uid(ref.get("uid", "")) is None:
                    problems.append(f"{obj['kind']} {obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}: "
                                    f"owner {ref.get('kind')} {ref.get('name')} (uid {ref.get('uid')}) does not exist")
    try:
        from minikctl.controllers.endpoints import expected_subsets
    except ImportError:
        expected_subsets = None
    if expected_subsets is not None:
        for svc in api.list("services"):
            if not (svc.get("spec") or {}).get("selector"):
                continue
            ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
            ep = api.try_get("endpoints", ns, name)
            want = expected_subsets(api, svc)
            if ep is None or (ep.get("subsets") or []) != want:
                problems.append(f"endpoints {ns}/{name} do not match the service's ready pods")
    return problems


def _holds(obj: dict, pool: str, shown: str) -> bool:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    if pool == "clusterip":
        return spec.get("clusterIP") == shown
    if pool == "nodeport":
        return any(str(p.get("nodePort")) == shown for p in spec.get("ports") or []) or str(spec.get("healthCheckNodePort")) == shown
    if pool == "lbip":
        return any(i.get("ip") == shown for i in (status.get("loadBalancer") or {}).get("ingress") or [])
    if pool.startswith("podip"):
        return status.get("podIP") == shown
    return True
