"""minikctl expose: kubectl 1.32's expose (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go
createService, and polymorphichelpers CanBeExposed / MapBasedSelectorForObject /
PortsForObject / MultiProtocolsForObject): a Service whose selector, ports, protocols and
labels come from the exposed object unless given by flags, with kubectl's errors.
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.api.errors import UsageError

EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")
DNS1035_MAX = 63


def _go_requirements(exprs: list[dict]) -> str:
    """%+v of []metav1.LabelSelectorRequirement."""
    items = []
    for e in exprs:
        vals = " ".join(e.get("values") or [])
        items.append(f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} Values:[{vals}]}}")
    return "[" + " ".join(items) + "]"


def selector_for(obj: dict) -> dict[str, str]:
    """MapBasedSelectorForObject; raises ValueError with kubectl's reason."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise ValueError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "Service":
        if spec.get("selector") is None:
            raise ValueError("the service has no pod selector set")
        return dict(spec["selector"])
    if kind == "ReplicationController":
        return dict(spec.get("selector") or {})
    if kind in ("Deployment", "ReplicaSet"):
        sel = spec.get("selector") or {}
        if not sel.get("matchLabels"):
            raise ValueError(f"invalid {kind.lower()}: no selectors, therefore cannot be exposed")
        if sel.get("matchExpressions"):
            raise ValueError(f'couldn\'t convert expressions - "{_go_requirements(sel["matchExpressions"])}" '
                             "to map-based selector format")
        return dict(sel["matchLabels"])
    raise ValueError(f"cannot extract pod selector from {kind}")


def _pod_spec(obj: dict) -> dict:
    if obj.get("kind") == "Pod":
        return obj.get("spec") or {}
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def ports_and_protocols(obj: dict) -> tuple[list[str], dict[str, list[str]]]:
    """PortsForObject (distinct, in order) and MultiProtocolsForObject."""
    ports: list[str] = []
    protocols: dict[str, list[str]] = {}
    if obj.get("kind") == "Service":
        items = [(p.get("port"), p.get("protocol") or "TCP") for p in (obj.get("spec") or {}).get("ports") or []]
    else:
        items = [(p.get("containerPort"), p.get("protocol") or "TCP")
                 for c in _pod_spec(obj).get("containers") or [] for p in c.get("ports") or []]
    for port, proto in items:
        if port is None:
            continue
        key = str(port)
        if key not in ports:
            ports.append(key)
        protocols.setdefault(key, []).append(proto)
    return ports, protocols


def _parse_map(spec: str) -> dict[str, str]:
    from minikctl.cli.cmd_run import parse_labels

    return parse_labels(spec)


def build_service(obj: dict, o: dict) -> dict:
    name = obj["metadata"]["name"][:DNS1035_MAX]
    if o.get("svc_selector"):
        selector = _parse_map(o["svc_selector"])
    else:
        try:
            selector = selector_for(obj)
        except ValueError as e:
            raise UsageError(f"couldn't retrieve selectors via --selector flag or introspection: {e}") from None
    headless = o.get("cluster_ip") == "None"
    obj_ports, protocols = ports_and_protocols(obj)
    port_string = o.get("port") or ""
    if not port_string:
        if not obj_ports and not headless:
            raise UsageError("couldn't find port via --port flag or introspection")
        port_string = ",".join(obj_ports)
    if not selector:
        raise UsageError("selector must be specified")
    labels = _parse_map(o["labels"]) if o.get("labels") else dict(obj["metadata"].get("labels") or {})
    svc_name = o.get("name") or name
    ports: list[dict] = []
    if port_string:
        items = port_string.split(",")
        for i, item in enumerate(items):
            try:
                port = int(item)
            except ValueError:
                raise UsageError(f'strconv.Atoi: parsing "{item}": invalid syntax') from None
            pname = f"port-{i + 1}" if len(items) > 1 else ""
            proto = o.get("protocol") or ""
            if not proto:
                proto = "TCP"
                found = protocols.get(item)
                if found:
                    if len(found) > 1:
                        for p in found:
                            ports.append({"name": f"port-{i + 1}-{p.lower()}", "port": port, "protocol": p})
                        continue
                    proto = found[0]
            entry: dict = {"name": pname} if pname else {}
            entry.update({"port": port, "protocol": proto})
            ports.append(entry)
    target = o.get("target_port") or o.get("container_port")
    for p in ports:
        if target:
            p["targetPort"] = int(target) if target.isdigit() else target
        else:
            p["targetPort"] = p["port"]
    spec: dict = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = selector
    if o.get("external_ip"):
        spec["externalIPs"] = [o["external_ip"]]
    if o.get("type"):
        spec["type"] = o["type"]
    if spec.get("type") == "LoadBalancer" and o.get("load_balancer_ip"):
        spec["loadBalancerIP"] = o["load_balancer_ip"]
    aff = o.get("session_affinity")
    if aff:
        if aff not in ("None", "ClientIP"):
            raise UsageError(f"unknown session affinity: {aff}")
        spec["sessionAffinity"] = aff
    if o.get("cluster_ip"):
        spec["clusterIP"] = o["cluster_ip"]
    meta: dict = {"creationTimestamp": None}
    if labels:
        meta["labels"] = labels
    meta["name"] = svc_name
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec, "status": {"loadBalancer": {}}}
    if o.get("overrides"):
        from minikctl.cli.cmd_run import merge_patch

        from minikctl.cli.cmd_run import overrides_patch

        svc = merge_patch(svc, overrides_patch(o["overrides"]))
    return svc


def _targets(ctx) -> list[tuple[object, str, str | None, dict | None]]:
    """[(kind, name, namespace from a file, object from a file)]."""
    from minikctl.cli.resources import parse_targets, resolve_kind

    if ctx.opts.get("filename"):
        from minikctl.cli.manifests import load

        out = []
        for doc, _ in load(ctx):
            kind = resolve_kind(doc.obj.get("kind", ""))
            meta = doc.obj.get("metadata") or {}
            out.append((kind, meta.get("name", ""), meta.get("namespace"), doc.obj))
        return out
    if not ctx.args:
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    out = []
    for kind, names in parse_targets(ctx.args, allow_all=False):
        if not names:
            raise UsageError("resource(s) were provided, but no name was specified")
        out += [(kind, n, None, None) for n in names]
    return out


def run(ctx) -> int:
    from minikctl.cli.cmd_apply import LAST_APPLIED, _dry, _emit, _last_applied, _print_api_warnings, check_printer

    dry = _dry(ctx)
    check_printer(ctx)  # PrintFlags.ToPrinter: before anything is written
    targets = _targets(ctx)
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api:
        for kind, name, file_ns, file_obj in targets:
            ns = file_ns or ctx.namespace
            if kind.kind not in EXPOSABLE:
                raise UsageError(f"cannot expose a {kind.kind}")
            obj = file_obj if file_obj is not None else api.get(kind.plural, ns, name)
            svc = build_service(obj, ctx.opts)
            if ctx.opts.get("save_config"):
                svc["metadata"].setdefault("annotations", {})[LAST_APPLIED] = _last_applied(svc, _svc_kind(), ns)
            if dry == "client":
                if ctx.namespace_explicit:  # expose.go: EnforceNamespace sets it on what is printed
                    svc["metadata"]["namespace"] = ctx.namespace
                results.append((svc, "exposed"))
                continue
            body = clone(svc)
            body["metadata"].pop("creationTimestamp", None)
            body.pop("status", None)
            body["metadata"]["namespace"] = ns
            results.append((api.create(body, namespace=ns), "exposed"))
        if dry == "client":
            api.warnings.clear()
    # a client dry run prints the typed Service kubectl built; the server's answer is unstructured
    _emit(ctx, results, dry, typed=dry == "client")
    if dry != "client":
        _print_api_warnings(ctx, session)
    return 0


def _svc_kind():
    from minikctl.api import kinds as K

    return K.by_kind("Service")
