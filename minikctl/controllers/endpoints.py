"""endpoint-controller (pkg/controller/endpoint/endpoints_controller.go syncService).

For each Service with a selector, an Endpoints object of the same name: ready pods in
``addresses``, the others in ``notReadyAddresses`` (all in ``addresses`` with
publishNotReadyAddresses), each with its targetRef and nodeName; a port per service
port, resolved per pod (podutil.FindPort: a named targetPort is looked up in the pod's
containers, and a pod without it is left out for that port); subsets packed as
endpoints.RepackSubsets packs them (one subset per distinct set of addresses).
Services without a selector are left alone: their Endpoints are the user's.

A pod change queues the services whose selector matches its labels now or before the
change (the index answers "which selectors match these labels"), so a relabelled pod
leaves its old services' endpoints.
"""

from __future__ import annotations

from minikctl.api.server import clone

WORK = "~service-endpoints"
HEADLESS_LABEL = "service.kubernetes.io/headless"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"


# ------------------------------------------------------------------ watches
def on_pod(api, namespace: str, name: str) -> None:
    pod = api.peek("pods", namespace, name)
    prev = api.previous
    if pod is not None and prev is not None and not _pod_relevant_change(prev, pod):
        return  # nothing the endpoints show changed: no need to look for the services
    names: set[str] = set()
    for p in (pod, prev):
        if p is None:
            continue
        labels = p["metadata"].get("labels") or {}
        for svc in api.store.matching_selectors("services", namespace, labels):
            names.add(svc["metadata"]["name"])
    for n in sorted(names):
        api._enqueue(WORK, namespace, n)


def _pod_relevant_change(old: dict, new: dict) -> bool:
    """podEndpointsChanged / what the endpoints depend on."""
    om, nm = old["metadata"], new["metadata"]
    if om.get("labels") != nm.get("labels") or om.get("uid") != nm.get("uid"):
        return True
    if bool(om.get("deletionTimestamp")) != bool(nm.get("deletionTimestamp")):
        return True
    os_, ns_ = old.get("status") or {}, new.get("status") or {}
    if os_.get("podIP") != ns_.get("podIP") or os_.get("phase") != ns_.get("phase"):
        return True
    if is_pod_ready(old) != is_pod_ready(new):
        return True
    ospec, nspec = old.get("spec") or {}, new.get("spec") or {}
    return (ospec.get("nodeName") != nspec.get("nodeName") or ospec.get("hostname") != nspec.get("hostname") or
            ospec.get("subdomain") != nspec.get("subdomain") or
            [c.get("ports") for c in ospec.get("containers") or []] != [c.get("ports") for c in nspec.get("containers") or []])


def on_service(api, namespace: str, name: str) -> None:
    svc = api.try_get("services", namespace, name)
    prev = api.previous
    api._enqueue(WORK, namespace, name)
    if svc is None:
        return
    sel = (svc.get("spec") or {}).get("selector")
    old_sel = ((prev or {}).get("spec") or {}).get("selector") if prev is not None else None
    if sel and (prev is None or sel != old_sel or
                (prev.get("spec") or {}).get("type") == "ExternalName"):
        _watch_for_empty(api).add((namespace, name))


# ------------------------------------------------------------------- pods
def is_pod_ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """endpointsliceutil.ShouldPodBeInEndpoints."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    if not include_terminating and pod["metadata"].get("deletionTimestamp"):
        return False
    return True


def find_port(pod: dict, svc_port: dict) -> int | None:
    """podutil.FindPort: a number as is; a name from the pod's containers (same protocol)."""
    target = svc_port.get("targetPort")
    if target is None or target == "":
        target = svc_port.get("port")
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    proto = svc_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or []) + [
        c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for c in containers:
        for p in c.get("ports") or []:
            if p.get("name") == target and (p.get("protocol") or "TCP") == proto:
                return int(p.get("containerPort"))
    return None


def should_set_hostname(pod: dict, svc: dict) -> bool:
    spec = pod.get("spec") or {}
    return bool(spec.get("hostname")) and spec.get("subdomain") == svc["metadata"]["name"] and \
        svc["metadata"].get("namespace") == pod["metadata"].get("namespace")


def _address(pod: dict, svc: dict) -> dict:
    """podToEndpointAddressForService (EndpointAddress field order)."""
    a: dict = {}
    if should_set_hostname(pod, svc):
        a["hostname"] = pod["spec"]["hostname"]
    a["ip"] = (pod.get("status") or {}).get("podIP")
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        a["nodeName"] = node
    m = pod["metadata"]
    a["targetRef"] = {"kind": "Pod", "name": m["name"], "namespace": m.get("namespace"), "uid": m["uid"]}
    return a


def selected_pods(api, svc: dict) -> list[dict]:
    """The pods the service's selector selects. The last answer is kept for the rest of the
    write transaction while no pod is written (Store.pod_gen): the endpoints and the
    endpointslice controllers sync one service one after the other (~service-endpoints),
    and the second reuses the first's listing. Callers read the pods, never change them."""
    from minikctl.api.selectors import from_map

    sel = (svc.get("spec") or {}).get("selector")
    if not sel:
        return []
    ns = svc["metadata"]["namespace"]
    store = api.store
    if not store.in_write:
        return api.list("pods", ns, selector=from_map(sel))
    key = (ns, tuple(sorted((k, str(v)) for k, v in sel.items())), store.pod_gen)
    memo = getattr(api, "_selected_pods_memo", None)
    if memo is not None and memo[0] == key:
        return list(memo[1])
    pods = api.list("pods", ns, selector=from_map(sel))
    api._selected_pods_memo = (key, pods)
    return list(pods)


def expected_subsets(api, svc: dict) -> list:
    """The subsets the controller maintains for `svc` (used by `minikctl cluster check`)."""
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName" or not spec.get("selector"):
        return []
    return compute_subsets(svc, selected_pods(api, svc))


def compute_subsets(svc: dict, pods: list[dict]) -> list:
    spec = svc.get("spec") or {}
    tolerate = bool(spec.get("publishNotReadyAddresses"))
    subsets: list[dict] = []
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, tolerate):
            continue
        epa = _address(pod, svc)
        ready = tolerate or is_pod_ready(pod)
        ports = spec.get("ports") or []
        if not ports:
            if spec.get("clusterIP") == "None":
                subsets.append({("addresses" if ready else "notReadyAddresses"): [epa]})
            continue
        for sp in ports:
            num = find_port(pod, sp)
            if num is None:
                continue  # "Failed to find port for service": this pod is skipped for this port
            epp: dict = {"name": sp.get("name")} if sp.get("name") else {}
            epp["port"] = num
            epp["protocol"] = sp.get("protocol") or "TCP"
            if sp.get("appProtocol"):
                epp["appProtocol"] = sp["appProtocol"]
            subsets.append({("addresses" if ready else "notReadyAddresses"): [epa], "ports": [epp]})
    return repack_subsets(subsets)


def _addr_key(a: dict) -> tuple:
    return (a.get("ip", ""), (a.get("targetRef") or {}).get("uid", ""))


def _port_key(p: dict) -> tuple:
    return (p.get("name", ""), p.get("port", 0), p.get("protocol", ""), p.get("appProtocol", ""))


def repack_subsets(subsets: list[dict]) -> list[dict]:
    """endpoints.RepackSubsets: group addresses by the exact set of ports they serve;
    not-ready for any port makes an address not ready for that port. Sorted like
    SortSubsets (addresses by IP then UID; ports and subsets in a stable order)."""
    all_addrs: dict[tuple, dict] = {}
    port_map: dict[tuple, dict[tuple, bool]] = {}
    port_obj: dict[tuple, dict | None] = {}
    for ss in subsets:
        ports = ss.get("ports") or [None]
        for port in ports:
            pk = _port_key(port) if port is not None else ("", -1, "", "")
            port_obj.setdefault(pk, port)
            amap = port_map.setdefault(pk, {})
            for field, ready in (("addresses", True), ("notReadyAddresses", False)):
                for a in ss.get(field) or []:
                    k = _addr_key(a)
                    all_addrs.setdefault(k, a)
                    if k not in amap or amap[k]:
                        amap[k] = ready
    groups: dict[tuple, list] = {}
    group_addrs: dict[tuple, dict[tuple, bool]] = {}
    for pk, amap in port_map.items():
        gk = tuple(sorted(amap.items()))
        group_addrs[gk] = amap
        lst = groups.setdefault(gk, [])
        if port_obj[pk] is not None:
            lst.append(port_obj[pk])
    final = []
    for gk, ports in groups.items():
        amap = group_addrs[gk]
        ready = sorted((all_addrs[k] for k, r in amap.items() if r), key=_addr_key)
        not_ready = sorted((all_addrs[k] for k, r in amap.items() if not r), key=_addr_key)
        ss: dict = {}
        if ready:
            ss["addresses"] = [clone(a) for a in ready]
        if not_ready:
            ss["notReadyAddresses"] = [clone(a) for a in not_ready]
        if ports:
            ss["ports"] = sorted(ports, key=_port_key)
        final.append(ss)
    final.sort(key=lambda s: ([_addr_key(a) for a in s.get("addresses") or []],
                              [_addr_key(a) for a in s.get("notReadyAddresses") or []],
                              [_port_key(p) for p in s.get("ports") or []]))
    return final


# --------------------------------------------------------------------- sync
def _strip_rv(subsets: list) -> list:
    return subsets  # our targetRefs carry no resourceVersion


def sync(api, namespace: str, name: str) -> None:
    svc = api.try_get("services", namespace, name)
    if svc is None:
        # "Delete the corresponding endpoint, as the service has been deleted."
        if api.try_get("endpoints", namespace, name) is not None:
            api.delete("endpoints", namespace, name)
        return
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName" or spec.get("selector") is None or spec.get("selector") == {}:
        return  # no endpoints from this controller: a selector-less service's Endpoints are the user's
    subsets = compute_subsets(svc, selected_pods(api, svc))
    labels = dict(svc["metadata"].get("labels") or {})
    if spec.get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    cur = api.try_get("endpoints", namespace, name)
    if cur is not None and (cur.get("subsets") or []) == subsets and (cur["metadata"].get("labels") or {}) == labels:
        return
    now = api.clock.rfc3339()
    if cur is None:
        ep = {"apiVersion": "v1", "kind": "Endpoints",
              "metadata": {"name": name, "namespace": namespace, "annotations": {TRIGGER_TIME: now}}}
        if labels:
            ep["metadata"]["labels"] = labels
        if subsets:
            ep["subsets"] = subsets
        api.create(ep)
        return
    ep = clone(cur)
    if labels:
        ep["metadata"]["labels"] = labels
    else:
        ep["metadata"].pop("labels", None)
    ep["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = now
    if subsets:
        ep["subsets"] = subsets
    else:
        ep.pop("subsets", None)
    api.update(ep, check_rv=False)


# ------------------------------------------------ "its endpoints will be empty"
def _watch_for_empty(api) -> set:
    s = getattr(api, "_endpoints_empty_watch", None)
    if s is None:
        s = set()
        api._endpoints_empty_watch = s
    return s


def warn_empty(api) -> None:
    """After a command converged: a service it created (or whose selector it changed) that
    selects no pod gets a warning, the first check of the seed's troubleshooting list."""
    watch = getattr(api, "_endpoints_empty_watch", None)
    if not watch:
        return
    from minikctl.api.selectors import format_map

    for ns, name in sorted(watch):
        svc = api.try_get("services", ns, name)
        if svc is None:
            continue
        sel = (svc.get("spec") or {}).get("selector")
        if not sel or (svc.get("spec") or {}).get("type") == "ExternalName":
            continue
        # selected_pods(api, svc) is non-empty, asked of the label index (no body decoded):
        # a selector from a map holds only equalities, which the index answers exactly.
        if len(sel) <= 32:
            if api.store.any_labeled("pods", ns, [(k, str(v)) for k, v in sel.items()]):
                continue
        elif selected_pods(api, svc):
            continue
        api.warnings.append(f'Warning: service "{name}" selects no pods: no pod in namespace "{ns}" has the labels '
                            f"{format_map(sel)}, so its endpoints will be empty")
    watch.clear()


# ------------------------------------------------------------- diagnosis
def diagnose(api, svc: dict) -> list[str]:
    """Why a service would have no (or partial) traffic, in the order of the seed's troubleshooting
    list: its selector matches no pod; the pods that match are not ready; its targetPort matches
    no containerPort. Pure derivation over the store: text for the CLI to show, never printed here."""
    from minikctl.api.selectors import format_map

    spec = svc.get("spec") or {}
    m = svc["metadata"]
    name, ns = m["name"], m.get("namespace", "default")
    sel = spec.get("selector")
    if spec.get("type") == "ExternalName" or not sel:
        return []
    pods = [p for p in selected_pods(api, svc) if not (p.get("metadata") or {}).get("deletionTimestamp")]
    if not pods:
        return [f'service "{name}" selects no pods: no pod in namespace "{ns}" has the labels {format_map(sel)}']
    out = []
    ready = [p for p in pods if is_pod_ready(p)]
    if not ready:
        first = pods[0]["metadata"]["name"]
        out.append(f'service "{name}" selects {len(pods)} pod(s) but none is ready, so none receives traffic '
                   f"(check its readiness probe: minikctl describe pod {first} -n {ns})")
    for sp in spec.get("ports") or []:
        target = sp.get("targetPort", sp.get("port"))
        proto = sp.get("protocol") or "TCP"
        matched = 0
        declared = 0
        for p in pods:
            ports = [cp for c in (p.get("spec") or {}).get("containers") or [] for cp in c.get("ports") or []]
            declared += bool(ports)
            if isinstance(target, str) and not target.isdigit():
                matched += any(cp.get("name") == target and (cp.get("protocol") or "TCP") == proto for cp in ports)
            else:
                matched += any(cp.get("containerPort") == int(target) for cp in ports)
        if isinstance(target, str) and not target.isdigit():
            if not matched:
                out.append(f'service "{name}" port {sp.get("port")} targets the named port "{target}", which no '
                           "selected pod declares: that port has no endpoints")
        elif declared and not matched:
            out.append(f'service "{name}" port {sp.get("port")} targets port {target}, but the selected pods declare '
                       "other containerPorts: check the service's targetPort")
    return out
