"""Server-side printing: Kubernetes JSON objects -> metav1.Table.

A port of kubernetes/pkg/printers/internalversion/printers.go (Kubernetes
1.32): ``AddHandlers`` column definitions (names, types, priorities) and one
row function per kind (printPod, printService, ...).

Like kube-apiserver (TableConvertor.ConvertToTable in
pkg/printers/storage/storage.go calls GenerateTable with ``Wide: true``), rows
are always generated with every column, wide ones included; kubectl drops
priority-1 columns unless ``-o wide``.  That is why e.g. a LoadBalancer
EXTERNAL-IP is never clipped to 16 characters in ``kubectl get svc``.

Objects are plain dicts in v1 JSON form (camelCase).  Fields the apiserver
would default are defaulted here too; a missing field never raises.

Standard library only.
"""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.duration import age as _age
from minikctl.printers.duration import human_duration_ns, parse_time, since_ns
from minikctl.printers.table import Column, Row, Table, format_labels

__all__ = [
    "COLUMNS",
    "build_table",
    "column_definitions",
    "format_label_selector",
    "label_selector_string",
    "format_endpoints",
    "join_host_port",
]

_D = {}  # shared empty dict (never mutated)
_L = ()  # shared empty sequence

LOAD_BALANCER_WIDTH = 16  # loadBalancerWidth
LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"  # labelNodeRolePrefix
NODE_LABEL_ROLE = "kubernetes.io/role"  # nodeLabelRole
NODE_UNREACHABLE_POD_REASON = "NodeLost"  # k8s.io/kubernetes/pkg/util/node


def _c(name: str, type: str = "string", priority: int = 0, format: str = "") -> Column:
    return Column(name, type, priority, format)


def _name() -> Column:
    return _c("Name", format="name")


# ---------------------------------------------------------------------------
# Column definitions (AddHandlers in printers.go)
# ---------------------------------------------------------------------------

COLUMNS: dict[str, list[Column]] = {
    "Pod": [
        _name(),
        _c("Ready"),
        _c("Status"),
        _c("Restarts"),  # "string" since the "(Xm ago)" suffix was added
        _c("Age"),
        _c("IP", priority=1),
        _c("Node", priority=1),
        _c("Nominated Node", priority=1),
        _c("Readiness Gates", priority=1),
    ],
    "ReplicationController": [
        _name(),
        _c("Desired", "integer"),
        _c("Current", "integer"),
        _c("Ready", "integer"),
        _c("Age"),
        _c("Containers", priority=1),
        _c("Images", priority=1),
        _c("Selector", priority=1),
    ],
    "ReplicaSet": [
        _name(),
        _c("Desired", "integer"),
        _c("Current", "integer"),
        _c("Ready", "integer"),
        _c("Age"),
        _c("Containers", priority=1),
        _c("Images", priority=1),
        _c("Selector", priority=1),
    ],
    "Service": [
        _name(),
        _c("Type"),
        _c("Cluster-IP"),
        _c("External-IP"),
        _c("Port(s)"),
        _c("Age"),
        _c("Selector", priority=1),
    ],
    "Ingress": [
        _name(),
        _c("Class"),
        _c("Hosts"),
        _c("Address"),
        _c("Ports"),
        _c("Age"),
    ],
    "IngressClass": [
        _name(),
        _c("Controller"),
        _c("Parameters"),
        _c("Age"),
    ],
    "Endpoints": [
        _name(),
        _c("Endpoints"),
        _c("Age"),
    ],
    "Node": [
        _name(),
        _c("Status"),
        _c("Roles"),
        _c("Age"),
        _c("Version"),
        _c("Internal-IP", priority=1),
        _c("External-IP", priority=1),
        _c("OS-Image", priority=1),
        _c("Kernel-Version", priority=1),
        _c("Container-Runtime", priority=1),
    ],
    "Event": [
        _c("Last Seen"),
        _c("Type"),
        _c("Reason"),
        _c("Object"),
        _c("Subobject", priority=1),
        _c("Source", priority=1),
        _c("Message"),
        _c("First Seen", priority=1),
        _c("Count", priority=1),
        _c("Name", priority=1, format="name"),
    ],
    "Namespace": [
        _name(),
        _c("Status"),
        _c("Age"),
    ],
    "Secret": [
        _name(),
        _c("Type"),
        _c("Data"),
        _c("Age"),
    ],
    "ServiceAccount": [
        _name(),
        _c("Secrets"),
        _c("Age"),
    ],
    "Deployment": [
        _name(),
        _c("Ready"),
        _c("Up-to-date"),
        _c("Available"),
        _c("Age"),
        _c("Containers", priority=1),
        _c("Images", priority=1),
        _c("Selector", priority=1),
    ],
    "ConfigMap": [
        _name(),
        _c("Data"),
        _c("Age"),
    ],
    "EndpointSlice": [
        _name(),
        _c("AddressType"),
        _c("Ports"),
        _c("Endpoints"),
        _c("Age"),
    ],
}

# --- issue 11: StatefulSet, ControllerRevision and storage (printers.go AddHandlers, 1.32)
COLUMNS.update({
    "StatefulSet": [
        _name(),
        _c("Ready"),
        _c("Age"),
        _c("Containers", priority=1),
        _c("Images", priority=1),
    ],
    "ControllerRevision": [
        _name(),
        _c("Controller"),
        _c("Revision", "integer"),
        _c("Age"),
    ],
    "PersistentVolumeClaim": [
        _name(),
        _c("Status"),
        _c("Volume"),
        _c("Capacity"),
        _c("Access Modes"),
        _c("StorageClass"),
        _c("VolumeAttributesClass"),
        _c("Age"),
        _c("VolumeMode", priority=1),
    ],
    "PersistentVolume": [
        _name(),
        _c("Capacity"),
        _c("Access Modes"),
        _c("Reclaim Policy"),
        _c("Status"),
        _c("Claim"),
        _c("StorageClass"),
        _c("VolumeAttributesClass"),
        _c("Reason"),
        _c("Age"),
        _c("VolumeMode", priority=1),
    ],
    "StorageClass": [
        _name(),
        _c("Provisioner"),
        _c("ReclaimPolicy"),
        _c("VolumeBindingMode"),
        _c("AllowVolumeExpansion"),
        _c("Age"),
    ],
})

# Kinds without a printer get the default table convertor
# (k8s.io/apiserver/pkg/registry/rest/table.go defaultTableConvertor).
_DEFAULT_COLUMNS = [_name(), _c("Created At", "date")]


# ---- NetworkPolicy block (rows: minikctl/printers/netpol.py) ----
COLUMNS["NetworkPolicy"] = [_name(), _c("Pod-Selector"), _c("Age")]
# ---- end NetworkPolicy ----


def column_definitions(kind: str) -> list[Column]:
    return COLUMNS.get(kind, _DEFAULT_COLUMNS)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _g(d, *keys, default=None):
    """Nested dict lookup that never raises."""
    for k in keys:
        if not isinstance(d, dict):
            return default
        d = d.get(k)
        if d is None:
            return default
    return d


def _int(v) -> int:
    if v is None or v is False:
        return 0
    if v is True:
        return 1
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def _replicas(spec: dict) -> int:
    """spec.replicas as defaulted by the apiserver (1 when unset)."""
    r = spec.get("replicas")
    return 1 if r is None else _int(r)


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or _D


def join_host_port(host: str, port) -> str:
    """net.JoinHostPort: brackets around IPv6 literals."""
    host = host or ""
    if ":" in host:
        return "[" + host + "]:" + str(port)
    return host + ":" + str(port)


def _selector_requirements(sel: dict) -> list[tuple[str, str]]:
    """(key, text) pairs for a metav1.LabelSelector, like labels.Requirement.String()."""
    reqs: list[tuple[str, str]] = []
    for k, v in (sel.get("matchLabels") or _D).items():
        reqs.append((k, k + "=" + ("" if v is None else str(v))))
    for e in sel.get("matchExpressions") or _L:
        if not isinstance(e, dict):
            continue
        key = e.get("key") or ""
        op = e.get("operator") or ""
        vals = sorted(set(str(x) for x in (e.get("values") or _L)))
        if op == "In":
            reqs.append((key, key + " in (" + ",".join(vals) + ")"))
        elif op == "NotIn":
            reqs.append((key, key + " notin (" + ",".join(vals) + ")"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, "!" + key))
        else:
            reqs.append((key, key + " " + op.lower() + " (" + ",".join(vals) + ")"))
    # labels.internalSelector.Add sorts requirements by key (stable).
    reqs.sort(key=lambda kv: kv[0])
    return reqs


def label_selector_string(sel: dict | None) -> str:
    """metav1.LabelSelectorAsSelector(sel).String(); ``""`` for nil/empty selectors."""
    if not isinstance(sel, dict):
        return ""
    return ",".join(t for _, t in _selector_requirements(sel))


def format_label_selector(sel: dict | None) -> str:
    """metav1.FormatLabelSelector: the selector string, ``<none>`` when empty."""
    s = label_selector_string(sel)
    return s if s else "<none>"


def _layout_container_cells(containers) -> tuple[str, str]:
    """layoutContainerCells: names and images joined by ','."""
    names = []
    images = []
    for c in containers or _L:
        if isinstance(c, dict):
            names.append(c.get("name") or "")
            images.append(c.get("image") or "")
    return ",".join(names), ",".join(images)


def _template_containers(obj: dict):
    return _g(obj, "spec", "template", "spec", "containers", default=_L)


def _lb_status_string(status: dict | None, wide: bool) -> str:
    """loadBalancerStatusStringer / ingressLoadBalancerStatusStringer."""
    result = set()
    for ing in (status or _D).get("ingress") or _L:
        if not isinstance(ing, dict):
            continue
        if ing.get("ip"):
            result.add(ing["ip"])
        elif ing.get("hostname"):
            result.add(ing["hostname"])
    r = ",".join(sorted(result))
    if not wide and len(r) > LOAD_BALANCER_WIDTH:
        r = r[: LOAD_BALANCER_WIDTH - 3] + "..."
    return r


def format_endpoints(endpoints: dict | None, ports: set | None = None) -> str:
    """formatEndpoints: up to 3 ``ip:port`` entries, then `` + N more...``.

    ``ports=None`` means all ports (printers.go); describe passes the service
    port name (describe.go has an equivalent copy).
    """
    subsets = (endpoints or _D).get("subsets") or _L
    if not subsets:
        return "<none>"
    lst: list[str] = []
    mx = 3
    more = False
    count = 0
    for ss in subsets:
        if not isinstance(ss, dict):
            continue
        addrs = ss.get("addresses") or _L
        sports = ss.get("ports") or _L
        if not sports:
            # It's possible to have headless services with no ports.
            for a in addrs:
                if len(lst) == mx:
                    more = True
                if not more:
                    lst.append((a or _D).get("ip") or "")
                count += 1
            continue
        for p in sports:
            p = p or _D
            if ports is None or (p.get("name") or "") in ports:
                for a in addrs:
                    if len(lst) == mx:
                        more = True
                    if not more:
                        lst.append(join_host_port((a or _D).get("ip") or "", _int(p.get("port"))))
                    count += 1
    ret = ",".join(lst)
    if more:
        return "%s + %d more..." % (ret, count - mx)
    return ret


def _list_with_more(lst: list[str], more: bool, count: int, mx: int) -> str:
    """listWithMoreString."""
    ret = ",".join(lst)
    if more:
        return "%s + %d more..." % (ret, count - mx)
    if ret == "":
        ret = "<unset>"
    return ret


def _format_discovery_ports(ports) -> str:
    lst: list[str] = []
    mx = 3
    more = False
    count = 0
    for p in ports or _L:
        p = p or _D
        if len(lst) < mx:
            if p.get("port") is not None:
                lst.append(str(_int(p.get("port"))))
            elif p.get("name") is not None:
                lst.append(str(p.get("name")))
            else:
                lst.append("*")
        elif len(lst) == mx:
            more = True
        count += 1
    return _list_with_more(lst, more, count, mx)


def _format_discovery_endpoints(endpoints) -> str:
    lst: list[str] = []
    mx = 3
    more = False
    count = 0
    for ep in endpoints or _L:
        for a in (ep or _D).get("addresses") or _L:
            if len(lst) < mx:
                lst.append(a)
            elif len(lst) == mx:
                more = True
            count += 1
    return _list_with_more(lst, more, count, mx)


# ---------------------------------------------------------------------------
# row functions (one per kind, same names as printers.go)
# ---------------------------------------------------------------------------


def _is_restartable_init_container(c: dict | None) -> bool:
    """podutil.IsRestartableInitContainer: restartPolicy == Always."""
    return bool(c) and c.get("restartPolicy") == "Always"


def _condition_true(conditions, ctype: str) -> bool:
    for c in conditions or _L:
        if isinstance(c, dict) and c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def _has_pod_ready_condition(conditions) -> bool:
    for c in conditions or _L:
        if isinstance(c, dict) and c.get("type") == "Ready" and c.get("status") == "True":
            return True
    return False


def print_pod(pod: dict, now: datetime) -> list:
    meta = _meta(pod)
    spec = pod.get("spec") or _D
    status = pod.get("status") or _D

    restarts = 0
    restartable_init_restarts = 0
    containers = spec.get("containers") or _L
    total_containers = len(containers)
    ready_containers = 0
    last_restart = None  # datetime or None (zero time)
    last_restartable_init_restart = None

    pod_phase = status.get("phase") or ""
    reason = pod_phase
    if status.get("reason"):
        reason = status["reason"]

    # If the Pod carries {type:PodScheduled, reason:SchedulingGated}, set reason to 'SchedulingGated'.
    for cond in status.get("conditions") or _L:
        if isinstance(cond, dict) and cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = spec.get("initContainers") or _L
    init_containers: dict = {}
    for ic in init_specs:
        if isinstance(ic, dict):
            init_containers[ic.get("name")] = ic
            if _is_restartable_init_container(ic):
                total_containers += 1

    def later(cur, cs):
        term = _g(cs, "lastState", "terminated")
        if isinstance(term, dict):
            t = parse_time(term.get("finishedAt"))
            if t is not None and (cur is None or cur < t):
                return t
        return cur

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or _L):
        cs = cs or _D
        restarts += _int(cs.get("restartCount"))
        last_restart = later(last_restart, cs)
        restartable = _is_restartable_init_container(init_containers.get(cs.get("name")))
        if restartable:
            restartable_init_restarts += _int(cs.get("restartCount"))
            last_restartable_init_restart = later(last_restartable_init_restart, cs)
        state = cs.get("state") or _D
        term = state.get("terminated")
        waiting = state.get("waiting")
        if isinstance(term, dict) and _int(term.get("exitCode")) == 0:
            continue
        if restartable and cs.get("started") is True:
            if cs.get("ready"):
                ready_containers += 1
            continue
        if isinstance(term, dict):
            # initialization is failed
            if not term.get("reason"):
                if _int(term.get("signal")) != 0:
                    reason = "Init:Signal:%d" % _int(term.get("signal"))
                else:
                    reason = "Init:ExitCode:%d" % _int(term.get("exitCode"))
            else:
                reason = "Init:" + term["reason"]
            initializing = True
        elif isinstance(waiting, dict) and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
            initializing = True
        else:
            reason = "Init:%d/%d" % (i, len(init_specs))
            initializing = True
        break

    if not initializing or _condition_true(status.get("conditions"), "Initialized"):
        restarts = restartable_init_restarts
        last_restart = last_restartable_init_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or _L):
            cs = cs or _D
            restarts += _int(cs.get("restartCount"))
            last_restart = later(last_restart, cs)
            state = cs.get("state") or _D
            waiting = state.get("waiting")
            term = state.get("terminated")
            if isinstance(waiting, dict) and waiting.get("reason"):
                reason = waiting["reason"]
            elif isinstance(term, dict) and term.get("reason"):
                reason = term["reason"]
            elif isinstance(term, dict):
                if _int(term.get("signal")) != 0:
                    reason = "Signal:%d" % _int(term.get("signal"))
                else:
                    reason = "ExitCode:%d" % _int(term.get("exitCode"))
            elif cs.get("ready") and isinstance(state.get("running"), dict):
                has_running = True
                ready_containers += 1

        # change pod status back to "Running" if there is at least one container still reporting as "Running" status
        if reason == "Completed" and has_running:
            if _has_pod_ready_condition(status.get("conditions")):
                reason = "Running"
            else:
                reason = "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == NODE_UNREACHABLE_POD_REASON:
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and pod_phase not in ("Failed", "Succeeded"):
        reason = "Terminating"

    restarts_str = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_str = "%d (%s ago)" % (restarts, human_duration_ns(since_ns(last_restart, now)))

    cells = [
        meta.get("name") or "",
        "%d/%d" % (ready_containers, total_containers),
        reason,
        restarts_str,
        _age(meta.get("creationTimestamp"), now),
    ]

    # wide (always generated server side)
    node_name = spec.get("nodeName") or "<none>"
    nominated = status.get("nominatedNodeName") or "<none>"
    # Convert_v1_PodStatus_To_core_PodStatus: podIP is authoritative over podIPs[0].
    pod_ip = status.get("podIP") or ""
    if not pod_ip:
        ips = status.get("podIPs") or _L
        if ips and isinstance(ips[0], dict):
            pod_ip = ips[0].get("ip") or ""
    pod_ip = pod_ip or "<none>"
    readiness_gates = "<none>"
    gates = spec.get("readinessGates") or _L
    if gates:
        true_conditions = 0
        for g in gates:
            ctype = (g or _D).get("conditionType")
            for cond in status.get("conditions") or _L:
                if isinstance(cond, dict) and cond.get("type") == ctype:
                    if cond.get("status") == "True":
                        true_conditions += 1
                    break
        readiness_gates = "%d/%d" % (true_conditions, len(gates))
    cells += [pod_ip, node_name, nominated, readiness_gates]
    return cells


def print_replication_controller(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    names, images = _layout_container_cells(_g(spec, "template", "spec", "containers", default=_L))
    return [
        meta.get("name") or "",
        _replicas(spec),
        _int(status.get("replicas")),
        _int(status.get("readyReplicas")),
        _age(meta.get("creationTimestamp"), now),
        names,
        images,
        format_labels(spec.get("selector")),
    ]


def print_replica_set(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    names, images = _layout_container_cells(_template_containers(obj))
    return [
        meta.get("name") or "",
        _replicas(spec),
        _int(status.get("replicas")),
        _int(status.get("readyReplicas")),
        _age(meta.get("creationTimestamp"), now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _service_external_ip(svc: dict, wide: bool) -> str:
    """getServiceExternalIP."""
    spec = svc.get("spec") or _D
    stype = spec.get("type") or "ClusterIP"
    external_ips = [str(x) for x in spec.get("externalIPs") or _L]
    if stype in ("ClusterIP", "NodePort"):
        if external_ips:
            return ",".join(external_ips)
        return "<none>"
    if stype == "LoadBalancer":
        lb_ips = _lb_status_string(_g(svc, "status", "loadBalancer"), wide)
        if external_ips:
            results: list[str] = []
            if lb_ips:
                results.extend(lb_ips.split(","))
            results.extend(external_ips)
            return ",".join(results)
        if lb_ips:
            return lb_ips
        return "<pending>"
    if stype == "ExternalName":
        return spec.get("externalName") or ""
    return "<unknown>"


def make_port_string(ports) -> str:
    """makePortString: ``80/TCP`` or ``80:30080/TCP`` joined by ','."""
    pieces = []
    for p in ports or _L:
        p = p or _D
        proto = p.get("protocol") or "TCP"
        node_port = _int(p.get("nodePort"))
        if node_port > 0:
            pieces.append("%d:%d/%s" % (_int(p.get("port")), node_port, proto))
        else:
            pieces.append("%d/%s" % (_int(p.get("port")), proto))
    return ",".join(pieces)


def service_cluster_ip(svc: dict) -> str:
    """First cluster IP (Convert_v1_ServiceSpec_To_core_ServiceSpec: clusterIP wins)."""
    spec = svc.get("spec") or _D
    ip = spec.get("clusterIP") or ""
    if not ip:
        ips = spec.get("clusterIPs") or _L
        if ips:
            ip = ips[0] or ""
    return ip


def print_service(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    internal_ip = service_cluster_ip(obj) or "<none>"
    svc_ports = make_port_string(spec.get("ports")) or "<none>"
    return [
        meta.get("name") or "",
        spec.get("type") or "ClusterIP",
        internal_ip,
        _service_external_ip(obj, True),
        svc_ports,
        _age(meta.get("creationTimestamp"), now),
        format_labels(spec.get("selector")),
    ]


def _format_hosts(rules) -> str:
    lst: list[str] = []
    mx = 3
    more = False
    rules = [r for r in rules or _L]
    for r in rules:
        if len(lst) == mx:
            more = True
        host = (r or _D).get("host") or ""
        if not more and host:
            lst.append(host)
    if not lst:
        return "*"
    ret = ",".join(lst)
    if more:
        return "%s + %d more..." % (ret, len(rules) - mx)
    return ret


def print_ingress(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    class_name = spec.get("ingressClassName")
    if class_name is None:
        class_name = "<none>"
    return [
        meta.get("name") or "",
        class_name,
        _format_hosts(spec.get("rules")),
        _lb_status_string(_g(obj, "status", "loadBalancer"), True),
        "80, 443" if spec.get("tls") else "80",
        _age(meta.get("creationTimestamp"), now),
    ]


def print_ingress_class(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    parameters = "<none>"
    params = spec.get("parameters")
    if isinstance(params, dict):
        parameters = params.get("kind") or ""
        if params.get("apiGroup") is not None:
            parameters = parameters + "." + str(params.get("apiGroup"))
        parameters = parameters + "/" + (params.get("name") or "")
    return [
        meta.get("name") or "",
        spec.get("controller") or "",
        parameters,
        _age(meta.get("creationTimestamp"), now),
    ]


def print_endpoints(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [meta.get("name") or "", format_endpoints(obj, None), _age(meta.get("creationTimestamp"), now)]


def print_endpoint_slice(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [
        meta.get("name") or "",
        obj.get("addressType") or "",
        _format_discovery_ports(obj.get("ports")),
        _format_discovery_endpoints(obj.get("endpoints")),
        _age(meta.get("creationTimestamp"), now),
    ]


def find_node_roles(node: dict) -> list[str]:
    """findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role=<role>."""
    roles = set()
    for k, v in (_meta(node).get("labels") or _D).items():
        if k.startswith(LABEL_NODE_ROLE_PREFIX):
            role = k[len(LABEL_NODE_ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif k == NODE_LABEL_ROLE and v:
            roles.add(v)
    return sorted(roles)


def _node_address(node: dict, atype: str) -> str:
    for a in _g(node, "status", "addresses", default=_L):
        if isinstance(a, dict) and a.get("type") == atype:
            return a.get("address") or ""
    return "<none>"


def print_node(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    cond_map = {}
    for c in status.get("conditions") or _L:
        if isinstance(c, dict):
            cond_map[c.get("type")] = c
    st: list[str] = []
    ready = cond_map.get("Ready")
    if ready is not None:
        st.append("Ready" if ready.get("status") == "True" else "NotReady")
    if not st:
        st.append("Unknown")
    if spec.get("unschedulable"):
        st.append("SchedulingDisabled")
    roles = ",".join(find_node_roles(obj)) or "<none>"
    info = status.get("nodeInfo") or _D
    return [
        meta.get("name") or "",
        ",".join(st),
        roles,
        _age(meta.get("creationTimestamp"), now),
        info.get("kubeletVersion") or "",
        _node_address(obj, "InternalIP"),
        _node_address(obj, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def _format_event_source(source: dict | None, reporting_controller: str, reporting_instance: str) -> str:
    """formatEventSource: component (or reportingController), then ', host' (or instance)."""
    source = source or _D
    component = source.get("component") or reporting_controller or ""
    instance = source.get("host") or reporting_instance or ""
    if not instance:
        return component
    return component + ", " + instance


def print_event(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    first = obj.get("firstTimestamp")
    if parse_time(first) is not None:
        first_ts = _age(first, now)
    else:
        first_ts = _age(obj.get("eventTime"), now)
    if parse_time(obj.get("lastTimestamp")) is not None:
        last_ts = _age(obj.get("lastTimestamp"), now)
    else:
        last_ts = first_ts
    count = _int(obj.get("count"))
    series = obj.get("series")
    if isinstance(series, dict):
        last_ts = _age(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        # Singleton events don't have a count set in the new API.
        count = 1
    inv = obj.get("involvedObject") or _D
    kind = (inv.get("kind") or "").lower()
    target = kind + "/" + inv["name"] if inv.get("name") else kind
    return [
        last_ts,
        obj.get("type") or "",
        obj.get("reason") or "",
        target,
        inv.get("fieldPath") or "",
        _format_event_source(obj.get("source"), obj.get("reportingComponent") or "", obj.get("reportingInstance") or ""),
        (obj.get("message") or "").strip(),
        first_ts,
        count,
        meta.get("name") or "",
    ]


def print_namespace(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [meta.get("name") or "", _g(obj, "status", "phase", default="Active"), _age(meta.get("creationTimestamp"), now)]


def _secret_data_count(obj: dict) -> int:
    keys = set((obj.get("data") or _D).keys())
    keys.update((obj.get("stringData") or _D).keys())  # merged into data on write
    return len(keys)


def print_secret(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [
        meta.get("name") or "",
        obj.get("type") or "Opaque",
        _secret_data_count(obj),
        _age(meta.get("creationTimestamp"), now),
    ]


def print_service_account(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [meta.get("name") or "", len(obj.get("secrets") or _L), _age(meta.get("creationTimestamp"), now)]


def print_deployment(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    names, images = _layout_container_cells(_template_containers(obj))
    return [
        meta.get("name") or "",
        "%d/%d" % (_int(status.get("readyReplicas")), _replicas(spec)),
        _int(status.get("updatedReplicas")),
        _int(status.get("availableReplicas")),
        _age(meta.get("creationTimestamp"), now),
        names,
        images,
        label_selector_string(spec.get("selector")),
    ]


def print_config_map(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [
        meta.get("name") or "",
        len(obj.get("data") or _D) + len(obj.get("binaryData") or _D),
        _age(meta.get("creationTimestamp"), now),
    ]


# --- issue 11: StatefulSet, ControllerRevision and storage
def print_stateful_set(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    names, images = _layout_container_cells(_template_containers(obj))
    return [meta.get("name") or "", "%d/%d" % (_int(_g(obj, "status", "readyReplicas")), _replicas(spec)),
            _age(meta.get("creationTimestamp"), now), names, images]


def print_controller_revision(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    controller = "<none>"
    for ref in meta.get("ownerReferences") or _L:
        if isinstance(ref, dict) and ref.get("controller"):
            group = (ref.get("apiVersion") or "").rpartition("/")[0]
            kind = (ref.get("kind") or "").lower()
            controller = "%s%s/%s" % (kind, "." + group if group else "", ref.get("name") or "")
            break
    return [meta.get("name") or "", controller, _int(obj.get("revision")), _age(meta.get("creationTimestamp"), now)]


_ACCESS_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                 ("ReadWriteOncePod", "RWOP"))


def access_modes_string(modes) -> str:
    """helper.GetAccessModesAsString."""
    modes = set(modes or _L)
    return ",".join(short for full, short in _ACCESS_MODES if full in modes)


def print_persistent_volume_claim(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    phase = "Terminating" if meta.get("deletionTimestamp") else (status.get("phase") or "")
    cls = spec.get("storageClassName")
    if cls is None:
        cls = (meta.get("annotations") or _D).get("volume.beta.kubernetes.io/storage-class", "<unset>")
    vac = spec.get("volumeAttributesClassName")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes_string(status.get("accessModes"))
        capacity = str((status.get("capacity") or _D).get("storage") or "0")
    return [meta.get("name") or "", phase, spec.get("volumeName") or "", capacity, modes, cls,
            "<unset>" if vac is None else vac, _age(meta.get("creationTimestamp"), now),
            spec.get("volumeMode") or "<unset>"]


def print_persistent_volume(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    ref = spec.get("claimRef")
    claim = "%s/%s" % (ref.get("namespace") or "", ref.get("name") or "") if isinstance(ref, dict) else ""
    phase = "Terminating" if meta.get("deletionTimestamp") else (status.get("phase") or "")
    cls = spec.get("storageClassName") or (meta.get("annotations") or _D).get(
        "volume.beta.kubernetes.io/storage-class", "")
    vac = spec.get("volumeAttributesClassName")
    return [meta.get("name") or "", str((spec.get("capacity") or _D).get("storage") or "0"),
            access_modes_string(spec.get("accessModes")), spec.get("persistentVolumeReclaimPolicy") or "", phase,
            claim, cls, "<unset>" if vac is None else vac, status.get("reason") or "",
            _age(meta.get("creationTimestamp"), now), spec.get("volumeMode") or "<unset>"]


def print_storage_class(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    name = meta.get("name") or ""
    ann = meta.get("annotations") or _D
    if ann.get("storageclass.kubernetes.io/is-default-class") == "true" or \
            ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true":
        name += " (default)"
    return [name, obj.get("provisioner") or "", obj.get("reclaimPolicy") or "Delete",
            obj.get("volumeBindingMode") or "Immediate", "true" if obj.get("allowVolumeExpansion") else "false",
            _age(meta.get("creationTimestamp"), now)]


def _print_default(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    return [meta.get("name") or "", meta.get("creationTimestamp") or ""]


ROW_FUNCS = {
    "Pod": print_pod,
    "ReplicationController": print_replication_controller,
    "ReplicaSet": print_replica_set,
    "Service": print_service,
    "Ingress": print_ingress,
    "IngressClass": print_ingress_class,
    "Endpoints": print_endpoints,
    "EndpointSlice": print_endpoint_slice,
    "Node": print_node,
    "Event": print_event,
    "Namespace": print_namespace,
    "Secret": print_secret,
    "ServiceAccount": print_service_account,
    "Deployment": print_deployment,
    "ConfigMap": print_config_map,
    # issue 11
    "StatefulSet": print_stateful_set,
    "ControllerRevision": print_controller_revision,
    "PersistentVolumeClaim": print_persistent_volume_claim,
    "PersistentVolume": print_persistent_volume,
    "StorageClass": print_storage_class,
}


# ---- NetworkPolicy block ----
def _print_network_policy(obj: dict, now: datetime) -> list:
    from minikctl.printers.netpol import print_network_policy

    return print_network_policy(obj, now)


ROW_FUNCS["NetworkPolicy"] = _print_network_policy
# ---- end NetworkPolicy ----
# --- issue 11: DaemonSet (w-ds) -- printers.go printDaemonSet
COLUMNS["DaemonSet"] = [
    _name(),
    _c("Desired", "integer"),
    _c("Current", "integer"),
    _c("Ready", "integer"),
    _c("Up-to-date", "integer"),
    _c("Available", "integer"),
    _c("Node Selector"),
    _c("Age"),
    _c("Containers", priority=1),
    _c("Images", priority=1),
    _c("Selector", priority=1),
]


def print_daemon_set(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    names, images = _layout_container_cells(_template_containers(obj))
    return [
        meta.get("name") or "",
        _int(status.get("desiredNumberScheduled")),
        _int(status.get("currentNumberScheduled")),
        _int(status.get("numberReady")),
        _int(status.get("updatedNumberScheduled")),
        _int(status.get("numberAvailable")),
        format_labels(_g(spec, "template", "spec", "nodeSelector") or None),
        _age(meta.get("creationTimestamp"), now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


ROW_FUNCS["DaemonSet"] = print_daemon_set


# --- issue 11: Batch (w-job) -- printers.go printJob
COLUMNS["Job"] = [
    _name(),
    _c("Status"),
    _c("Completions"),
    _c("Duration"),
    _c("Age"),
    _c("Containers", priority=1),
    _c("Images", priority=1),
    _c("Selector", priority=1),
]


def _job_condition(status: dict, ctype: str) -> bool:
    return any(c.get("type") == ctype and c.get("status") == "True" for c in status.get("conditions") or ())


def print_job(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec.get('completions'))}"
    elif _int(spec.get("parallelism")) > 1:
        completions = f"{succeeded}/1 of {_int(spec.get('parallelism'))}"
    else:
        completions = f"{succeeded}/1"
    start = parse_time(status.get("startTime"))
    end = parse_time(status.get("completionTime"))
    if start is None:
        duration = ""
    elif end is None:
        duration = human_duration_ns(since_ns(start, now))
    else:
        duration = human_duration_ns(since_ns(start, end))
    for ctype, text in (("Complete", "Complete"), ("Failed", "Failed")):
        if _job_condition(status, ctype):
            state = text
            break
    else:
        if meta.get("deletionTimestamp"):
            state = "Terminating"
        elif _job_condition(status, "Suspended"):
            state = "Suspended"
        elif _job_condition(status, "FailureTarget"):
            state = "FailureTarget"
        elif _job_condition(status, "SuccessCriteriaMet"):
            state = "SuccessCriteriaMet"
        else:
            state = "Running"
    names, images = _layout_container_cells(_template_containers(obj))
    return [meta.get("name") or "", state, completions, duration, _age(meta.get("creationTimestamp"), now),
            names, images, format_label_selector(spec.get("selector"))]


ROW_FUNCS["Job"] = print_job

# printers.go printCronJob
COLUMNS["CronJob"] = [
    _name(),
    _c("Schedule"),
    _c("Timezone"),
    _c("Suspend", "boolean"),
    _c("Active", "integer"),
    _c("Last Schedule"),
    _c("Age"),
    _c("Containers", priority=1),
    _c("Images", priority=1),
    _c("Selector", priority=1),
]


def print_cron_job(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    last = status.get("lastScheduleTime")
    suspend = spec.get("suspend")
    jspec = _g(spec, "jobTemplate", "spec") or _D
    names, images = _layout_container_cells(_g(jspec, "template", "spec", "containers") or [])
    return [meta.get("name") or "", spec.get("schedule") or "",
            spec["timeZone"] if spec.get("timeZone") is not None else "<none>",
            "<unset>" if suspend is None else ("True" if suspend else "False"),
            len(status.get("active") or ()), _age(last, now) if last else "<none>",
            _age(meta.get("creationTimestamp"), now), names, images, format_label_selector(jspec.get("selector"))]


ROW_FUNCS["CronJob"] = print_cron_job


# --- issue 11: HorizontalPodAutoscaler (w-hpa) -- printers.go printHorizontalPodAutoscaler
COLUMNS["HorizontalPodAutoscaler"] = [
    _name(),
    _c("Reference"),
    _c("Targets"),
    _c("MinPods"),
    _c("MaxPods", "integer"),
    _c("Replicas", "integer"),
    _c("Age"),
]


# --- issue 11: disruptions (w-drain) -- printers.go printPodDisruptionBudget
COLUMNS["PodDisruptionBudget"] = [
    _name(),
    _c("Min Available"),
    _c("Max Unavailable"),
    _c("Allowed Disruptions", "integer"),
    _c("Age"),
]


def _hpa_q(q) -> str:
    from minikctl.printers.describe.quantity import _qstr

    return _qstr(q if q is not None else "0")


def format_hpa_metrics(specs, statuses) -> str:
    """printers.go formatHPAMetrics: one "current/target" per metric (2 at most, then
    "+ N more..."), <unknown> where the controller has no current value yet."""
    if not specs:
        return "<none>"
    statuses = statuses if isinstance(statuses, list) else []
    out = []
    for i, spec in enumerate(specs):
        spec = spec if isinstance(spec, dict) else _D
        st = statuses[i] if i < len(statuses) and isinstance(statuses[i], dict) else _D
        typ = spec.get("type")
        if typ == "External":
            src, cur = spec.get("external") or _D, st.get("external")
            target = src.get("target") or _D
            if target.get("averageValue") is not None:
                current = _hpa_q((cur.get("current") or _D).get("averageValue")) \
                    if isinstance(cur, dict) and (cur.get("current") or _D).get("averageValue") is not None else "<unknown>"
                out.append(f"{current}/{_hpa_q(target['averageValue'])} (avg)")
            else:
                current = _hpa_q((cur.get("current") or _D).get("value")) if isinstance(cur, dict) else "<unknown>"
                out.append(f"{current}/{_hpa_q(target.get('value'))}")
        elif typ == "Pods":
            src, cur = spec.get("pods") or _D, st.get("pods")
            current = _hpa_q((cur.get("current") or _D).get("averageValue")) if isinstance(cur, dict) else "<unknown>"
            out.append(f"{current}/{_hpa_q((src.get('target') or _D).get('averageValue'))}")
        elif typ == "Object":
            src, cur = spec.get("object") or _D, st.get("object")
            target = src.get("target") or _D
            if target.get("averageValue") is not None:
                current = _hpa_q((cur.get("current") or _D).get("averageValue")) \
                    if isinstance(cur, dict) and (cur.get("current") or _D).get("averageValue") is not None else "<unknown>"
                out.append(f"{current}/{_hpa_q(target['averageValue'])} (avg)")
            else:
                current = _hpa_q((cur.get("current") or _D).get("value")) if isinstance(cur, dict) else "<unknown>"
                out.append(f"{current}/{_hpa_q(target.get('value'))}")
        elif typ in ("Resource", "ContainerResource"):
            key = "resource" if typ == "Resource" else "containerResource"
            src, cur = spec.get(key) or _D, st.get(key)
            target = src.get("target") or _D
            name = src.get("name") or ""
            if target.get("averageValue") is not None:
                current = _hpa_q((cur.get("current") or _D).get("averageValue")) if isinstance(cur, dict) else "<unknown>"
                out.append(f"{name}: {current}/{_hpa_q(target['averageValue'])}")
            else:
                util = (cur.get("current") or _D).get("averageUtilization") if isinstance(cur, dict) else None
                current = f"{_int(util)}%" if util is not None else "<unknown>"
                tu = target.get("averageUtilization")
                out.append(f"{name}: {current}/{f'{_int(tu)}%' if tu is not None else '<auto>'}")
        else:
            out.append("<unknown type>")
    if len(out) > 2:
        return f"{', '.join(out[:2])} + {len(out) - 2} more..."
    return ", ".join(out)


def print_horizontal_pod_autoscaler(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    ref = spec.get("scaleTargetRef") or _D
    min_pods = str(_int(spec["minReplicas"])) if spec.get("minReplicas") is not None else "<unset>"
    return [meta.get("name") or "", f"{ref.get('kind') or ''}/{ref.get('name') or ''}",
            format_hpa_metrics(spec.get("metrics") or [], status.get("currentMetrics")), min_pods,
            _int(spec.get("maxReplicas")), _int(status.get("currentReplicas")),
            _age(meta.get("creationTimestamp"), now)]


ROW_FUNCS["HorizontalPodAutoscaler"] = print_horizontal_pod_autoscaler


def print_pod_disruption_budget(obj: dict, now: datetime) -> list:
    meta = _meta(obj)
    spec = obj.get("spec") or _D
    status = obj.get("status") or _D
    cells = []
    for f in ("minAvailable", "maxUnavailable"):  # IntOrString.String(), else N/A
        v = spec.get(f)
        cells.append("N/A" if v is None else str(v))
    return [meta.get("name") or "", *cells, _int(status.get("disruptionsAllowed")),
            _age(meta.get("creationTimestamp"), now)]


ROW_FUNCS["PodDisruptionBudget"] = print_pod_disruption_budget


def build_table(kind: str, objs: list[dict], now: datetime) -> Table:
    """Build the metav1.Table kube-apiserver would return for ``objs`` of ``kind``."""
    fn = ROW_FUNCS.get(kind, _print_default)
    rows = [Row(fn(o if isinstance(o, dict) else {}, now), o) for o in objs]
    return Table(column_definitions(kind), rows)
# --- issue 11: policy (w-quota) -- printers.go printResourceQuota, printPriorityClass (1.32);
# LimitRange has no printer there (kubectl shows NAME and CREATED AT: the default table)
COLUMNS["ResourceQuota"] = [_name(), _c("Age"), _c("Request"), _c("Limit")]
COLUMNS["PriorityClass"] = [_name(), _c("Value", "integer"), _c("Global-Default", "boolean"), _c("Age"),
                            _c("PreemptionPolicy")]


def print_resource_quota(obj: dict, now: datetime) -> list:
    """printResourceQuota: "name: used/hard" per status.hard resource, sorted; limits.* ones in LIMIT."""
    from minikctl.printers.describe.quantity import _qstr

    st = obj.get("status") or _D
    hard = st.get("hard") if isinstance(st.get("hard"), dict) else {}
    used = st.get("used") if isinstance(st.get("used"), dict) else {}
    request, limit = [], []
    for r in sorted(hard):
        pieces = r.split(".")
        (limit if len(pieces) > 1 and pieces[0] == "limits" else request).append(
            f"{r}: {_qstr(used.get(r))}/{_qstr(hard[r])}")
    return [_meta(obj).get("name") or "", _age(_meta(obj).get("creationTimestamp"), now),
            ", ".join(request), ", ".join(limit)]


def print_priority_class(obj: dict, now: datetime) -> list:
    return [_meta(obj).get("name") or "", _int(obj.get("value")), obj.get("globalDefault") is True,
            _age(_meta(obj).get("creationTimestamp"), now), obj.get("preemptionPolicy") or ""]


ROW_FUNCS["ResourceQuota"] = print_resource_quota
ROW_FUNCS["PriorityClass"] = print_priority_class
# --- issue 12: RBAC (w-rbac) -- printers.go roleBindingsColumnDefinitions (rows: minikctl/printers/rbac.py);
# Role and ClusterRole: NAME CREATED AT
COLUMNS["Role"] = [_name(), _c("Created At", "date")]
COLUMNS["ClusterRole"] = [_name(), _c("Created At", "date")]
COLUMNS["RoleBinding"] = COLUMNS["ClusterRoleBinding"] = [
    _name(), _c("Role"), _c("Age"), _c("Users", priority=1), _c("Groups", priority=1),
    _c("ServiceAccounts", priority=1),
]


def _print_role_binding(obj: dict, now: datetime) -> list:
    from minikctl.printers.rbac import print_role_binding

    return print_role_binding(obj, now)


ROW_FUNCS["RoleBinding"] = ROW_FUNCS["ClusterRoleBinding"] = _print_role_binding
