"""`minikctl cluster check`: the store's integrity, then the cluster's own invariants.

- SQLite's ``PRAGMA integrity_check`` (a torn or corrupted file stops here);
- every allocated cluster IP, node port, load-balancer IP and pod IP has exactly one
  owner, that owner exists and uses it (no leak), and every service and running pod
  holds the allocations its spec and status show (nothing handed out twice);
- every controller-owned object's owner exists (no orphan a garbage collector missed);
- every Endpoints object maintained for a service with a selector lists exactly what
  the endpoints controller would compute from the pods now, and the service's
  EndpointSlices hold the same addresses.

``check_store`` returns one line per problem, naming the object; an empty list means
the cluster is consistent. Everything is read in one read transaction (a consistent
snapshot even while other commands write).
"""

from __future__ import annotations

_IP_POOLS = ("clusterip", "lbip")


def check_store(session) -> list[str]:
    import sqlite3

    try:
        return _check(session)
    except sqlite3.DatabaseError as e:  # a page too damaged to read at all
        return [f"sqlite: {e}"]


def _check(session) -> list[str]:
    store = session.store
    res = store.integrity_check()
    if res != "ok":
        lines = res.splitlines()
        more = [f"sqlite integrity_check: ... and {len(lines) - 10} more"] if len(lines) > 10 else []
        return [f"sqlite integrity_check: {line}" for line in lines[:10]] + more
    with store.read():
        session._config = session._clock = session._api = None  # read them inside the snapshot
        api = session.api
        problems: list[str] = []
        problems += _allocations(api)
        problems += _services(api)
        problems += _pods(api)
        problems += _owners(api)
        problems += _endpoints(api)
        return problems


def _name(obj: dict) -> str:
    m = obj.get("metadata") or {}
    ns = m.get("namespace")
    return f"{ns}/{m.get('name')}" if ns else str(m.get("name"))


def _shown(pool: str, value: int) -> str:
    from minikctl.allocators.ranges import int_to_ip

    return int_to_ip(value) if pool in _IP_POOLS or pool.startswith("podip:") else str(value)


def _allocations(api) -> list[str]:
    """Every allocation: an existing owner of the right kind that uses the value."""
    store = api.store
    out = []
    owners: dict[str, dict | None] = {}
    for pool, value, owner in store.all_allocations():
        if owner not in owners:
            owners[owner] = store.get_by_uid(owner)
        obj = owners[owner]
        shown = _shown(pool, value)
        what = f"allocation {pool} {shown}"
        if obj is None:
            out.append(f"{what} is leaked: its owner (uid {owner}) does not exist")
            continue
        want_kind = "Pod" if pool.startswith("podip:") else "Service"
        if obj.get("kind") != want_kind:
            out.append(f"{what} is owned by {obj.get('kind')} {_name(obj)}, not a {want_kind}")
        elif not _holds(obj, pool, shown):
            out.append(f"{what} is leaked: its owner {obj['kind']} {_name(obj)} does not use it")
    return out


def _holds(obj: dict, pool: str, shown: str) -> bool:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    if pool == "clusterip":
        return shown in ([spec.get("clusterIP")] + list(spec.get("clusterIPs") or []))
    if pool == "nodeport":
        return (any(str(p.get("nodePort")) == shown for p in spec.get("ports") or [])
                or str(spec.get("healthCheckNodePort")) == shown)
    if pool == "lbip":
        return any(i.get("ip") == shown for i in (status.get("loadBalancer") or {}).get("ingress") or [])
    if pool.startswith("podip:"):
        return status.get("podIP") == shown and spec.get("nodeName") == pool.split(":", 1)[1]
    return True


def _services(api) -> list[str]:
    """Every service holds the cluster IP, node ports and load-balancer IP it shows."""
    from minikctl.allocators.ranges import ip_to_int

    store = api.store
    lb = _lb_range(api)
    out = []
    for svc in api.list("services"):
        spec = svc.get("spec") or {}
        uid = svc["metadata"]["uid"]
        name = _name(svc)
        ip = spec.get("clusterIP")
        if ip and ip != "None":
            try:
                held = store.allocated("clusterip", ip_to_int(ip))
            except ValueError:
                held = None
            if held != uid:
                out.append(f"service {name}: clusterIP {ip} is not allocated to it"
                           + (" (another object holds it)" if held else ""))
        ports = [p.get("nodePort") for p in spec.get("ports") or [] if p.get("nodePort")]
        if spec.get("healthCheckNodePort"):
            ports.append(spec["healthCheckNodePort"])
        for port in ports:
            held = store.allocated("nodeport", int(port))
            if held != uid:
                out.append(f"service {name}: nodePort {port} is not allocated to it"
                           + (" (another object holds it)" if held else ""))
        if lb is not None:
            for ing in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
                try:
                    v = ip_to_int(ing.get("ip") or "")
                except ValueError:
                    continue
                if lb[0] <= v <= lb[1] and store.allocated("lbip", v) != uid:
                    out.append(f"service {name}: load-balancer IP {ing.get('ip')} is not allocated to it")
    return out


def _lb_range(api) -> tuple[int, int] | None:
    from minikctl.allocators.ranges import CIDR

    pool = api.config.get("lbPool")
    if not pool or pool == "none":
        return None
    try:
        c = CIDR(pool)
    except ValueError:
        return None
    return c.base, c.base + c.num - 1


def _pods(api) -> list[str]:
    """Every pod with an IP from its node's pod CIDR holds that address."""
    from minikctl.allocators.ranges import CIDR, ip_to_int

    store = api.store
    cidrs: dict[str, object] = {}
    for node in api.list("nodes"):
        text = (node.get("spec") or {}).get("podCIDR")
        try:
            cidrs[node["metadata"]["name"]] = CIDR(text) if text else None
        except ValueError:
            cidrs[node["metadata"]["name"]] = None
    out = []
    for pod in api.list("pods"):
        spec, status = pod.get("spec") or {}, pod.get("status") or {}
        ip, node = status.get("podIP"), spec.get("nodeName")
        if not ip or not node or spec.get("hostNetwork") or status.get("phase") in ("Succeeded", "Failed"):
            continue
        cidr = cidrs.get(node)
        if cidr is None or ip not in cidr:
            continue
        if store.allocated(f"podip:{node}", ip_to_int(ip)) != pod["metadata"]["uid"]:
            out.append(f"pod {_name(pod)}: pod IP {ip} is not allocated to it on node {node}")
    return out


def _owners(api) -> list[str]:
    """Every controller-owned object's owner exists."""
    from minikctl.api import kinds as K

    out = []
    for resource, ns, name, owner_uid in api.store.dangling_owners():
        obj = api.store.get(resource, ns, name) or {}
        ref = next((r for r in (obj.get("metadata") or {}).get("ownerReferences") or []
                    if r.get("uid") == owner_uid), {})
        kind = K.by_plural(resource)
        what = kind.kind if kind else resource
        out.append(f"{what} {ns + '/' if ns else ''}{name}: its owner {ref.get('kind', '')} {ref.get('name', '')} "
                   f"(uid {owner_uid}) does not exist".replace("  ", " "))
    return out


def _endpoints(api) -> list[str]:
    """Endpoints (and EndpointSlices) of every service with a selector match its pods."""
    try:
        from minikctl.controllers.endpoints import expected_subsets, selected_pods
    except ImportError:  # pragma: no cover - without the endpoints controller there is nothing to compare
        return []
    from minikctl.api.selectors import from_map

    out = []
    for svc in api.list("services"):
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            continue
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        ep = api.try_get("endpoints", ns, name)
        want = expected_subsets(api, svc)
        if ep is None:
            out.append(f"endpoints {ns}/{name}: missing for the service's selector")
            continue
        have = ep.get("subsets") or []
        if have != want:
            out.append(f"endpoints {ns}/{name}: do not match the service's pods "
                       f"(lists {_addresses(have) or 'none'}; the pods give {_addresses(want) or 'none'})")
        # Slices list a selected pod even when it resolves none of the service's ports (the
        # Endpoints object leaves it out): Endpoints addresses <= slice addresses <= pod IPs.
        slices = api.list("endpointslices", ns, selector=from_map({"kubernetes.io/service-name": name}))
        in_slices = {a for s in slices for e in s.get("endpoints") or [] for a in e.get("addresses") or []}
        in_ep = {a.get("ip") for s in want for k in ("addresses", "notReadyAddresses") for a in s.get(k) or []}
        pod_ips = {(p.get("status") or {}).get("podIP") for p in selected_pods(api, svc)}
        if not in_ep <= in_slices <= pod_ips:
            out.append(f"endpointslices of {ns}/{name}: hold {', '.join(sorted(in_slices)) or 'no address'}, "
                       f"the pods give {', '.join(sorted(in_ep)) or 'none'}")
    return out


def _addresses(subsets: list) -> str:
    ips = sorted({a.get("ip", "") for s in subsets for k in ("addresses", "notReadyAddresses") for a in s.get(k) or []})
    return ", ".join(ips)
