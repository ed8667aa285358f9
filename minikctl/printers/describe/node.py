"""describeNode (describe.go, kubectl 1.32): taints, the node Lease, conditions, addresses,
capacity, system info, and the non-terminated pods with their requests and limits
(resourcehelper.PodRequests / PodLimits) against the node's allocatable.
"""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.columns import find_node_roles
from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.quantity import Quantity, _qstr, parse_quantity
from minikctl.printers.describe.writer import (
    _D,
    _L,
    _Writer,
    _creation,
    _g,
    _print_annotations_multiline,
    _print_labels_multiline,
    _print_taints_multiline,
    rfc1123z,
)
from minikctl.printers.duration import age as _age


# ---------------------------------------------------------------------------
# Node
# ---------------------------------------------------------------------------


def _sum_resources(lists) -> dict:
    out: dict = {}
    for rl in lists:
        for name, qty in (rl or _D).items():
            q = parse_quantity(qty)
            out[name] = out[name].add(q) if name in out else q
    return out


def _max_resources(a: dict, b: dict) -> dict:
    out = dict(a)
    for name, q in b.items():
        if name not in out or q.value > out[name].value:
            out[name] = q
    return out


def _pod_resources(pod: dict, field: str) -> dict:
    """resourcehelper.PodRequests / PodLimits (containers, sidecars, init max, overhead)."""
    spec = pod.get("spec") or _D
    total = _sum_resources(_g(c, "resources", field) for c in spec.get("containers") or _L)
    sidecars: dict = {}
    init_max: dict = {}
    for ic in spec.get("initContainers") or _L:
        res = _sum_resources([_g(ic, "resources", field)])
        if (ic or _D).get("restartPolicy") == "Always":
            sidecars = _sum_resources([{k: str(v) for k, v in sidecars.items()}, {k: str(v) for k, v in res.items()}]) if sidecars else res
            total = _sum_resources([{k: str(v) for k, v in total.items()}, {k: str(v) for k, v in res.items()}])
        else:
            with_sidecars = _sum_resources([{k: str(v) for k, v in res.items()}, {k: str(v) for k, v in sidecars.items()}])
            init_max = _max_resources(init_max, with_sidecars)
    total = _max_resources(total, init_max)
    overhead = spec.get("overhead")
    if isinstance(overhead, dict):
        total = _sum_resources([{k: str(v) for k, v in total.items()}, overhead])
    return total


def _pct(num: int, den: int) -> int:
    if den == 0:
        # float64 division by zero in Go gives +Inf/NaN; int64() of that is undefined; show 0.
        return 0
    return int(num / den * 100)


def _describe_node_resource(w: _Writer, pods, node: dict, now: datetime) -> None:
    w.write(0, "Non-terminated Pods:\t(%d in total)\n" % len(pods))
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    status = node.get("status") or _D
    alloc_raw = status.get("allocatable") or status.get("capacity") or _D
    allocatable = {k: parse_quantity(v) for k, v in alloc_raw.items()}
    zero = Quantity(0)
    cpu_alloc = allocatable.get("cpu", zero).milli_value()
    mem_alloc = allocatable.get("memory", zero).value_int()
    eph_alloc = allocatable.get("ephemeral-storage", zero).value_int()
    for pod in pods:
        req = _pod_resources(pod, "requests")
        lim = _pod_resources(pod, "limits")
        cr, cl = req.get("cpu", zero), lim.get("cpu", zero)
        mr, ml = req.get("memory", zero), lim.get("memory", zero)
        w.write(1, "%s\t%s\t\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s\n" % (
            _g(pod, "metadata", "namespace") or "", _g(pod, "metadata", "name") or "",
            cr, _pct(cr.milli_value(), cpu_alloc), cl, _pct(cl.milli_value(), cpu_alloc),
            mr, _pct(mr.value_int(), mem_alloc), ml, _pct(ml.value_int(), mem_alloc),
            _age(_g(pod, "metadata", "creationTimestamp"), now)))
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    reqs: dict = {}
    limits: dict = {}
    for pod in pods:
        for name, q in _pod_resources(pod, "requests").items():
            reqs[name] = reqs[name].add(q) if name in reqs else q
        for name, q in _pod_resources(pod, "limits").items():
            limits[name] = limits[name].add(q) if name in limits else q
    for name, alloc, milli in (("cpu", cpu_alloc, True), ("memory", mem_alloc, False), ("ephemeral-storage", eph_alloc, False)):
        r, l = reqs.get(name, zero), limits.get(name, zero)
        rv = r.milli_value() if milli else r.value_int()
        lv = l.milli_value() if milli else l.value_int()
        w.write(1, "%s\t%s (%d%%)\t%s (%d%%)\n" % (name, r, _pct(rv, alloc) if alloc else 0, l, _pct(lv, alloc) if alloc else 0))
    huge = sorted(k for k in allocatable if k.startswith("hugepages-"))
    ext = sorted(k for k in allocatable if not k.startswith("hugepages-") and k not in ("cpu", "memory", "ephemeral-storage", "pods"))
    for name in huge:
        r, l, a = reqs.get(name, zero), limits.get(name, zero), allocatable[name].value_int()
        w.write(1, "%s\t%s (%d%%)\t%s (%d%%)\n" % (name, r, _pct(r.value_int(), a) if a else 0, l, _pct(l.value_int(), a) if a else 0))
    for name in ext:
        w.write(1, "%s\t%s\t%s\n" % (name, reqs.get(name, zero), limits.get(name, zero)))


def _describe_node(node: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = node.get("metadata") or _D
    spec = node.get("spec") or _D
    name = meta.get("name") or ""
    w.write(0, "Name:\t%s\n" % name)
    roles = find_node_roles(node)
    w.write(0, "Roles:\t%s\n" % (",".join(roles) if roles else "<none>"))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "CreationTimestamp:\t%s\n" % _creation(node))
    _print_taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, "Unschedulable:\t%s\n" % ("true" if spec.get("unschedulable") else "false"))
    lease = related.get("lease")
    if lease is None and "lease" in related:
        # the Lease in kube-node-lease does not exist
        w.write(0, 'Lease:\tFailed to get lease: leases "%s" not found\n' % name)
    else:
        _describe_node_lease(w, lease, name)
    _describe_node_conditions(w, node)
    _describe_node_rest(w, node, now, related)
    describe_events(events, w, now)
    return w.render()


def _describe_node_lease(w: _Writer, lease, name: str) -> None:
    """describeNodeLease; without lease information minikctl assumes the kubelet's own lease."""
    w.write(0, "Lease:\n")
    lspec = (lease or _D).get("spec") or _D
    if lease is None:
        lspec = {"holderIdentity": name}
    w.write(1, "HolderIdentity:\t%s\n" % (lspec.get("holderIdentity") if lspec.get("holderIdentity") is not None else "<unset>"))
    w.write(1, "AcquireTime:\t%s\n" % (rfc1123z(lspec["acquireTime"]) if lspec.get("acquireTime") else "<unset>"))
    w.write(1, "RenewTime:\t%s\n" % (rfc1123z(lspec["renewTime"]) if lspec.get("renewTime") else "<unset>"))


def _describe_node_conditions(w: _Writer, node: dict) -> None:
    status = node.get("status") or _D
    conds = status.get("conditions") or _L
    if conds:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conds:
            c = c or _D
            w.write(1, "%s \t%s \t%s \t%s \t%s \t%s\n" % (
                c.get("type") or "", c.get("status") or "", rfc1123z(c.get("lastHeartbeatTime")),
                rfc1123z(c.get("lastTransitionTime")), c.get("reason") or "", c.get("message") or ""))


def _describe_node_rest(w: _Writer, node: dict, now: datetime, related: dict) -> None:
    spec = node.get("spec") or _D
    status = node.get("status") or _D
    name = _g(node, "metadata", "name") or ""
    w.write(0, "Addresses:\n")
    for a in status.get("addresses") or _L:
        a = a or _D
        w.write(1, "%s:\t%s\n" % (a.get("type") or "", a.get("address") or ""))
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        rl = status.get(key) or _D
        if rl:
            w.write(0, title + ":\n")
            for rname in sorted(rl):
                w.write(0, "  %s:\t%s\n" % (rname, _qstr(rl[rname])))
    info = status.get("nodeInfo") or _D
    w.write(0, "System Info:\n")
    for label, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
                       ("Architecture", "architecture"), ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion")):
        w.write(0, "  %s:\t%s\n" % (label, info.get(key) or ""))
    if spec.get("podCIDR"):
        w.write(0, "PodCIDR:\t%s\n" % spec["podCIDR"])
    if spec.get("podCIDRs"):
        w.write(0, "PodCIDRs:\t%s\n" % ",".join(spec["podCIDRs"]))
    if spec.get("providerID"):
        w.write(0, "ProviderID:\t%s\n" % spec["providerID"])
    pods = [p for p in related.get("pods") or _L if isinstance(p, dict)
            and _g(p, "spec", "nodeName") == name and _g(p, "status", "phase") not in ("Succeeded", "Failed")]
    _describe_node_resource(w, pods, node, now)
