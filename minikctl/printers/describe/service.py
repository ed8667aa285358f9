"""Networking describers (describe.go, kubectl 1.32): describeService (EndpointSlice-based
``Endpoints:`` lines, checked against the real kubectl 1.32.5), describeEndpoints,
describeEndpointSliceV1, describeIngressV1 (EndpointSlice-based backends) and
describeIngressClassV1.
"""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.columns import join_host_port
from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.writer import (
    _D,
    _L,
    _Writer,
    _g,
    _int,
    _name_ns,
    _print_annotations_multiline,
    _print_labels_multiline,
)
from minikctl.printers.table import format_labels


# ---------------------------------------------------------------------------
# networking
# ---------------------------------------------------------------------------


def _build_ingress_string(ingress) -> str:
    parts = []
    for ing in ingress or _L:
        ing = ing or _D
        if ing.get("ip"):
            s = ing["ip"]
            if ing.get("ipMode") is not None:
                s += " (%s)" % ing["ipMode"]
            parts.append(s)
        else:
            parts.append(ing.get("hostname") or "")
    return ", ".join(parts)


def _endpoints_to_slices(ep) -> list[dict]:
    """Mirror a v1 Endpoints object into EndpointSlices (one per subset, readiness kept).

    Used when the caller only has the Endpoints object: a selector service
    always has at least one (possibly empty) slice, hence ``[{}]`` for an
    Endpoints object without subsets; no Endpoints object means no slices.
    """
    if not isinstance(ep, dict):
        return []
    slices = []
    for ss in ep.get("subsets") or _L:
        ss = ss or _D
        endpoints = [{"addresses": [(a or _D).get("ip") or ""], "conditions": {"ready": True}} for a in ss.get("addresses") or _L]
        endpoints += [{"addresses": [(a or _D).get("ip") or ""], "conditions": {"ready": False}} for a in ss.get("notReadyAddresses") or _L]
        slices.append({"ports": [{"name": (p or _D).get("name") or "", "port": (p or _D).get("port")} for p in ss.get("ports") or _L],
                       "endpoints": endpoints})
    return slices or [{}]


def _slices_for_service(related: dict, name: str) -> list[dict]:
    """EndpointSlices labelled kubernetes.io/service-name=<name> (or mirrored from Endpoints)."""
    if related.get("endpointslices") is not None:
        out = []
        for s in related.get("endpointslices") or _L:
            if not isinstance(s, dict):
                continue
            labels = _g(s, "metadata", "labels", default=_D)
            if "kubernetes.io/service-name" in labels and labels["kubernetes.io/service-name"] != name:
                continue
            out.append(s)
        return out
    eps = related.get("endpoints")
    if isinstance(eps, dict) and "subsets" not in eps and "metadata" not in eps:
        eps = eps.get(name)  # {name: Endpoints} mapping (Ingress)
    return _endpoints_to_slices(eps)


def format_endpoint_slices(slices, ports: set | None) -> str:
    """formatEndpointSlices (describe.go): ready endpoints only, 3 shown, then `` + N more...``."""
    if not slices:
        return "<none>"
    lst: list[str] = []
    mx = 3
    more = False
    count = 0
    for sl in slices:
        sl = sl or _D
        sports = sl.get("ports") or _L
        endpoints = [e for e in sl.get("endpoints") or _L if isinstance(e, dict)]
        if not sports:
            # It's possible to have headless services with no ports.
            for e in endpoints:
                if len(lst) == mx:
                    more = True
                ready = _g(e, "conditions", "ready")
                if ready is not None and not ready:
                    continue
                if not more:
                    addrs = e.get("addresses") or [""]
                    lst.append(addrs[0])
                count += 1
            continue
        for p in sports:
            p = p or _D
            if ports is None or (p.get("name") or "") in ports:
                for e in endpoints:
                    if len(lst) == mx:
                        more = True
                    addrs = e.get("addresses") or [""]
                    ready = _g(e, "conditions", "ready")
                    if ready is not None and not ready:
                        continue
                    if not more:
                        lst.append(join_host_port(addrs[0], _int(p.get("port"))))
                    count += 1
    ret = ",".join(lst)
    if more:
        return "%s + %d more..." % (ret, count - mx)
    return ret


def _describe_service(svc: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = svc.get("metadata") or _D
    spec = svc.get("spec") or _D
    slices = _slices_for_service(related, meta.get("name") or "")
    _name_ns(w, svc)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Selector:\t%s\n" % format_labels(spec.get("selector")))
    w.write(0, "Type:\t%s\n" % (spec.get("type") or "ClusterIP"))
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, "IP Family Policy:\t%s\n" % spec["ipFamilyPolicy"])
    families = spec.get("ipFamilies") or _L
    w.write(0, "IP Families:\t%s\n" % (",".join(families) if families else "<none>"))
    w.write(0, "IP:\t%s\n" % (spec.get("clusterIP") or ""))
    cips = spec.get("clusterIPs") or _L
    w.write(0, "IPs:\t%s\n" % (",".join(cips) if cips else "<none>"))
    if spec.get("externalIPs"):
        w.write(0, "External IPs:\t%s\n" % ",".join(spec["externalIPs"]))
    if spec.get("loadBalancerIP"):
        w.write(0, "Desired LoadBalancer IP:\t%s\n" % spec["loadBalancerIP"])
    if spec.get("externalName"):
        w.write(0, "External Name:\t%s\n" % spec["externalName"])
    lb_ingress = _g(svc, "status", "loadBalancer", "ingress", default=_L)
    if lb_ingress:
        w.write(0, "LoadBalancer Ingress:\t%s\n" % _build_ingress_string(lb_ingress))
    for sp in spec.get("ports") or _L:
        sp = sp or _D
        name = sp.get("name") or "<unset>"
        proto = sp.get("protocol") or "TCP"
        w.write(0, "Port:\t%s\t%d/%s\n" % (name, _int(sp.get("port")), proto))
        tp = sp.get("targetPort")
        if tp is None:
            tp = _int(sp.get("port"))
        w.write(0, "TargetPort:\t%s/%s\n" % (tp, proto))
        if sp.get("appProtocol") is not None:
            w.write(0, "AppProtocol:\t%s\n" % sp["appProtocol"])
        if _int(sp.get("nodePort")) != 0:
            w.write(0, "NodePort:\t%s\t%d/%s\n" % (name, _int(sp.get("nodePort")), proto))
        w.write(0, "Endpoints:\t%s\n" % format_endpoint_slices(slices, {sp.get("name") or ""}))
    w.write(0, "Session Affinity:\t%s\n" % (spec.get("sessionAffinity") or "None"))
    if spec.get("externalTrafficPolicy"):
        w.write(0, "External Traffic Policy:\t%s\n" % spec["externalTrafficPolicy"])
    if spec.get("internalTrafficPolicy") is not None:
        w.write(0, "Internal Traffic Policy:\t%s\n" % spec["internalTrafficPolicy"])
    if _int(spec.get("healthCheckNodePort")) != 0:
        w.write(0, "HealthCheck NodePort:\t%d\n" % _int(spec.get("healthCheckNodePort")))
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, "LoadBalancer Source Ranges:\t%s\n" % ",".join(spec["loadBalancerSourceRanges"]))
    if spec.get("trafficDistribution") is not None:
        w.write(0, "Traffic Distribution:\t%s\n" % spec["trafficDistribution"])
    describe_events(events, w, now)
    return w.render()


def _describe_endpoints(ep: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = ep.get("metadata") or _D
    _name_ns(w, ep)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for ss in ep.get("subsets") or _L:
        ss = ss or _D
        addrs = ",".join((a or _D).get("ip") or "" for a in ss.get("addresses") or _L)
        w.write(1, "Addresses:\t%s\n" % (addrs or "<none>"))
        nr = ",".join((a or _D).get("ip") or "" for a in ss.get("notReadyAddresses") or _L)
        w.write(1, "NotReadyAddresses:\t%s\n" % (nr or "<none>"))
        ports = ss.get("ports") or _L
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for p in ports:
                p = p or _D
                w.write(2, "%s\t%d\t%s\n" % (p.get("name") or "<unset>", _int(p.get("port")), p.get("protocol") or "TCP"))
        w.write(0, "\n")
    describe_events(events, w, now)
    return w.render()


def _describe_endpoint_slice(eps: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = eps.get("metadata") or _D
    _name_ns(w, eps)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "AddressType:\t%s\n" % (eps.get("addressType") or ""))
    ports = eps.get("ports") or _L
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for p in ports:
            p = p or _D
            pname = p.get("name") or "<unset>"
            pnum = str(_int(p.get("port"))) if p.get("port") is not None else "<unset>"
            w.write(1, "%s\t%s\t%s\n" % (pname, pnum, p.get("protocol") or "TCP"))
    endpoints = eps.get("endpoints") or _L
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for e in endpoints:
            e = e or _D
            w.write(1, "- Addresses:\t%s\n" % (", ".join(e.get("addresses") or _L) or "<none>"))
            w.write(2, "Conditions:\n")
            ready = _g(e, "conditions", "ready")
            w.write(3, "Ready:\t%s\n" % ("<unset>" if ready is None else ("true" if ready else "false")))
            w.write(2, "Hostname:\t%s\n" % (e.get("hostname") if e.get("hostname") is not None else "<unset>"))
            tr = e.get("targetRef")
            if isinstance(tr, dict):
                w.write(2, "TargetRef:\t%s/%s\n" % (tr.get("kind") or "", tr.get("name") or ""))
            w.write(2, "NodeName:\t%s\n" % (e.get("nodeName") if e.get("nodeName") is not None else "<unset>"))
            w.write(2, "Zone:\t%s\n" % (e.get("zone") if e.get("zone") is not None else "<unset>"))
    describe_events(events, w, now)
    return w.render()


def _service_backend_string(backend: dict) -> str:
    port = backend.get("port") or _D
    if _int(port.get("number")) != 0:
        p = str(_int(port.get("number")))
    else:
        p = port.get("name") or ""
    return "%s:%s" % (backend.get("name") or "", p)


def _describe_backend(ns: str, backend: dict, related: dict) -> str:
    """describeBackendV1 (1.32: reads the backend Service's Endpoints object)."""
    svc_backend = backend.get("service")
    if isinstance(svc_backend, dict):
        sb = _service_backend_string(svc_backend)
        name = svc_backend.get("name") or ""
        slices = _slices_for_service(related, name)
        services = related.get("services")
        service = (services or _D).get(name)
        if service is None and services is not None:
            return '%s (<error: services "%s" not found>)' % (sb, name)
        sp_name = ""
        port = svc_backend.get("port") or _D
        if service is None:  # caller gave no services: match a named backend port directly
            sp_name = port.get("name") or ""
        for sp in _g(service, "spec", "ports", default=_L):
            sp = sp or _D
            if _int(port.get("number")) != 0 and _int(port.get("number")) == _int(sp.get("port")):
                sp_name = sp.get("name") or ""
            elif port.get("name") and port.get("name") == sp.get("name"):
                sp_name = sp.get("name") or ""
        return "%s (%s)" % (sb, format_endpoint_slices(slices, {sp_name}))
    res = backend.get("resource")
    if isinstance(res, dict):
        api_group = res.get("apiGroup") if res.get("apiGroup") is not None else "<none>"
        return "APIGroup: %s, Kind: %s, Name: %s" % (api_group, res.get("kind") or "", res.get("name") or "")
    return ""


def _describe_ingress(ing: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = ing.get("metadata") or _D
    spec = ing.get("spec") or _D
    ns = meta.get("namespace") or ""
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, "Namespace:\t%s\n" % ns)
    addrs = set()
    for x in _g(ing, "status", "loadBalancer", "ingress", default=_L):
        x = x or _D
        if x.get("ip"):
            addrs.add(x["ip"])
        elif x.get("hostname"):
            addrs.add(x["hostname"])
    w.write(0, "Address:\t%s\n" % ",".join(sorted(addrs)))
    cls = spec.get("ingressClassName")
    w.write(0, "Ingress Class:\t%s\n" % (cls if cls is not None else "<none>"))
    default_backend = "<default>"
    if isinstance(spec.get("defaultBackend"), dict):
        default_backend = _describe_backend(ns, spec["defaultBackend"], related)
    w.write(0, "Default backend:\t%s\n" % default_backend)
    tls = spec.get("tls") or _L
    if tls:
        w.write(0, "TLS:\n")
        for t in tls:
            t = t or _D
            hosts = ",".join(t.get("hosts") or _L)
            if not t.get("secretName"):
                w.write(1, "SNI routes %s\n" % hosts)
            else:
                w.write(1, "%s terminates %s\n" % (t["secretName"], hosts))
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or _L:
        rule = rule or _D
        if not isinstance(rule.get("http"), dict):
            continue
        count += 1
        w.write(1, "%s\t\n" % (rule.get("host") or "*"))
        for path in rule["http"].get("paths") or _L:
            path = path or _D
            w.write(2, "\t%s \t%s\n" % (path.get("path") or "", _describe_backend(ns, path.get("backend") or _D, related)))
    if count == 0:
        w.write(1, "%s\t%s\t%s\n" % ("*", "*", default_backend))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(events, w, now)
    return w.render()


def _describe_ingress_class(ic: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = ic.get("metadata") or _D
    spec = ic.get("spec") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Controller:\t%s\n" % (spec.get("controller") or ""))
    params = spec.get("parameters")
    if isinstance(params, dict):
        w.write(0, "Parameters:\n")
        if params.get("apiGroup") is not None:
            w.write(1, "APIGroup:\t%s\n" % params["apiGroup"])
        w.write(1, "Kind:\t%s\n" % (params.get("kind") or ""))
        w.write(1, "Name:\t%s\n" % (params.get("name") or ""))
    describe_events(events, w, now)
    return w.render()
