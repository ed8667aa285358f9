"""endpointslice-controller (pkg/controller/endpointslice, staging/src/k8s.io/endpointslice
reconciler.go) and endpointslice-mirroring-controller (pkg/controller/endpointslicemirroring).

For a Service with a selector: EndpointSlices named ``<service>-<5 random>``, labelled
``kubernetes.io/service-name`` and ``endpointslice.kubernetes.io/managed-by:
endpointslice-controller.k8s.io``, owned by the Service; one endpoint per pod with an IP
(conditions ready/serving/terminating, nodeName, targetRef), grouped into one slice per
distinct set of resolved ports, at most 100 endpoints a slice. A service selecting no pod
keeps one empty placeholder slice, as the controller does.

For a Service without a selector, the user's Endpoints object is mirrored into slices
managed by ``endpointslicemirroring-controller.k8s.io`` (unless labelled
``endpointslice.kubernetes.io/skip-mirror: "true"``).
"""

from __future__ import annotations

from minikctl.api.server import clone

from minikctl.controllers import endpoints as EP

SERVICE_NAME = "kubernetes.io/service-name"
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
CONTROLLER = "endpointslice-controller.k8s.io"
MIRROR_CONTROLLER = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror"
MAX_ENDPOINTS = 100


def _slices(api, namespace: str, service: str, managed_by: str) -> list[dict]:
    from minikctl.api.selectors import from_map

    return api.list("endpointslices", namespace,
                    selector=from_map({SERVICE_NAME: service, MANAGED_BY: managed_by}))


def _endpoint(pod: dict, svc: dict) -> dict:
    """podToEndpoint (discovery/v1 Endpoint field order)."""
    spec = svc.get("spec") or {}
    serving = EP.is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = bool(spec.get("publishNotReadyAddresses")) or serving
    if terminating and not spec.get("publishNotReadyAddresses"):
        ready = False
    ep: dict = {"addresses": [(pod.get("status") or {}).get("podIP")],
                "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
    if EP.should_set_hostname(pod, svc):
        ep["hostname"] = pod["spec"]["hostname"]
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        ep["nodeName"] = node
    m = pod["metadata"]
    ep["targetRef"] = {"kind": "Pod", "name": m["name"], "namespace": m.get("namespace"), "uid": m["uid"]}
    return ep


def _ports(pod: dict, svc: dict) -> list[dict]:
    """getEndpointPorts: every service port this pod resolves."""
    out = []
    for sp in (svc.get("spec") or {}).get("ports") or []:
        num = EP.find_port(pod, sp)
        if num is None:
            continue
        p: dict = {"name": sp.get("name") or "", "port": num, "protocol": sp.get("protocol") or "TCP"}
        if sp.get("appProtocol"):
            p["appProtocol"] = sp["appProtocol"]
        out.append(p)
    return out


def _labels(svc: dict, managed_by: str, extra: dict | None = None) -> dict:
    labels = dict(extra if extra is not None else (svc["metadata"].get("labels") or {}))
    labels.pop(SKIP_MIRROR, None)
    labels[SERVICE_NAME] = svc["metadata"]["name"]
    labels[MANAGED_BY] = managed_by
    if (svc.get("spec") or {}).get("clusterIP") == "None":
        labels[EP.HEADLESS_LABEL] = ""
    return labels


def _key(ep: dict) -> tuple:
    return (ep["addresses"][0] or "", (ep.get("targetRef") or {}).get("uid", ""))


def _reconcile(api, owner: dict, owner_kind: str, owner_api_version: str, svc: dict, managed_by: str,
               desired: dict[str, tuple[list, list]], labels: dict, placeholder: bool) -> None:
    """Make the slices of this service match `desired` ({ports json: (ports, endpoints)}),
    reusing existing slices (same ports first) before creating new ones, deleting the rest."""
    from minikctl.api.errors import AlreadyExists
    from minikctl.controllers.replication import new_controller_ref

    ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
    existing = _slices(api, ns, name, managed_by)
    now = api.clock.rfc3339()
    wanted: list[tuple[list | None, list]] = []
    for _k, (ports, eps) in sorted(desired.items()):
        eps = sorted(eps, key=_key)
        for i in range(0, max(len(eps), 1), MAX_ENDPOINTS):
            wanted.append((ports or None, eps[i:i + MAX_ENDPOINTS]))
    if not wanted and placeholder:
        wanted.append((None, []))
    unused = list(existing)
    for ports, chunk in wanted:
        match = next((x for x in unused if (x.get("ports") or None) == ports), None) or (unused[0] if unused else None)
        body = {"addressType": "IPv4", "endpoints": chunk or None, "ports": ports}
        if match is not None:
            unused.remove(match)
            cur = {"addressType": match.get("addressType"), "endpoints": match.get("endpoints") or None,
                   "ports": match.get("ports") or None}
            if cur == body and (match["metadata"].get("labels") or {}) == labels:
                continue
            new = clone(match)
            new.update(body)
            new["metadata"]["labels"] = labels
            new["metadata"].setdefault("annotations", {})[EP.TRIGGER_TIME] = now
            api.update(new, check_rv=False)
            continue
        sl = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
              "metadata": {"generateName": f"{name}-", "namespace": ns, "labels": labels,
                           "annotations": {EP.TRIGGER_TIME: now},
                           "ownerReferences": [new_controller_ref(owner, owner_api_version, owner_kind)]},
              **body}
        for _ in range(5):
            try:
                api.create(clone(sl))
                break
            except AlreadyExists:
                continue
    for x in unused:
        api.delete("endpointslices", ns, x["metadata"]["name"])


def _group(desired: dict, ports: list[dict], endpoint: dict) -> None:
    import json

    k = json.dumps(ports, sort_keys=True)
    desired.setdefault(k, (ports, []))[1].append(endpoint)


def sync(api, namespace: str, name: str) -> None:
    svc = api.try_get("services", namespace, name)
    if svc is None:
        for managed in (CONTROLLER, MIRROR_CONTROLLER):
            for x in _slices(api, namespace, name, managed):
                api.delete("endpointslices", namespace, x["metadata"]["name"])
        return
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName" or not spec.get("selector"):
        for x in _slices(api, namespace, name, CONTROLLER):
            api.delete("endpointslices", namespace, x["metadata"]["name"])
        if not spec.get("selector") and spec.get("type") != "ExternalName":
            mirror(api, namespace, name)
        return
    for x in _slices(api, namespace, name, MIRROR_CONTROLLER):
        api.delete("endpointslices", namespace, x["metadata"]["name"])
    desired: dict = {}
    for pod in EP.selected_pods(api, svc):
        # slices keep terminating endpoints, flagged by their conditions
        if not EP.should_pod_be_in_endpoints(pod, True):
            continue
        _group(desired, _ports(pod, svc), _endpoint(pod, svc))
    _reconcile(api, svc, "Service", "v1", svc, CONTROLLER, desired, _labels(svc, CONTROLLER), True)


# ------------------------------------------------------------------ mirroring
def on_endpoints(api, namespace: str, name: str) -> None:
    svc = api.try_get("services", namespace, name)
    if svc is None:
        return
    spec = svc.get("spec") or {}
    if spec.get("selector") or spec.get("type") == "ExternalName":
        return
    mirror(api, namespace, name)


def mirror(api, namespace: str, name: str) -> None:
    """endpointslicemirroring: the user's Endpoints of a selector-less service, as slices."""
    svc = api.get("services", namespace, name)
    ep = api.try_get("endpoints", namespace, name)
    if ep is None or (ep["metadata"].get("labels") or {}).get(SKIP_MIRROR) == "true":
        for s in _slices(api, namespace, name, MIRROR_CONTROLLER):
            api.delete("endpointslices", namespace, s["metadata"]["name"])
        return
    desired: dict = {}
    for ss in ep.get("subsets") or []:
        ports = [{"name": p.get("name") or "", "port": p.get("port"), "protocol": p.get("protocol") or "TCP",
                  **({"appProtocol": p["appProtocol"]} if p.get("appProtocol") else {})}
                 for p in ss.get("ports") or []]
        for field, ready in (("addresses", True), ("notReadyAddresses", False)):
            for a in ss.get(field) or []:
                e: dict = {"addresses": [a.get("ip")], "conditions": {"ready": ready}}
                if a.get("hostname"):
                    e["hostname"] = a["hostname"]
                if a.get("nodeName"):
                    e["nodeName"] = a["nodeName"]
                if a.get("targetRef"):
                    e["targetRef"] = a["targetRef"]
                _group(desired, ports, e)
    labels = _labels(svc, MIRROR_CONTROLLER, ep["metadata"].get("labels") or {})
    labels.pop(EP.HEADLESS_LABEL, None)
    _reconcile(api, ep, "Endpoints", "v1", svc, MIRROR_CONTROLLER, desired, labels, False)
