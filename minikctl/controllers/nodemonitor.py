"""Node faults for teaching (issue 11): `cluster node stop|start|add|remove`, and the node
lifecycle controller's health monitor that notices a silent kubelet.

Kubernetes 1.32, pkg/controller/nodelifecycle/node_lifecycle_controller.go:

* monitorNodeHealth / tryUpdateNodeHealth: a node whose kubelet has not posted status for
  the node-monitor grace period (kube-controller-manager ``--node-monitor-grace-period``,
  50s since 1.32: CHANGELOG-1.32, kubernetes/kubernetes#126287; 40s before) gets its Ready, MemoryPressure, DiskPressure and PIDPressure conditions set
  to Unknown, reason ``NodeStatusUnknown``, message ``Kubelet stopped posting node status.``
  (lastHeartbeatTime kept, lastTransitionTime now); the event ``NodeNotReady`` "Node NAME
  status is now: NodeNotReady" (controllerutil.RecordNodeStatusChange) and
  MarkPodsNotReady: each pod's Ready condition goes False and the pod gets the Warning
  event ``NodeNotReady`` "Node is not ready" (pkg/controller/util/node/controller_utils.go).
* doNoExecuteTaintingPass / doNoScheduleTaintingPass: Ready Unknown means the taints
  ``node.kubernetes.io/unreachable:NoExecute`` and ``:NoSchedule`` (with timeAdded); the
  taint-eviction-controller (nodelifecycle.py) then evicts the pods when their
  DefaultTolerationSeconds toleration (300 s) runs out.
* When the kubelet posts again (``node start``): conditions True (KubeletReady, the
  kubelet's ``NodeReady`` event), the unreachable taints removed, the pods synced (ready).

Which kubelets are stopped lives in the store's meta table (STOPPED_META, {name: stopped_at});
a stopped kubelet runs nothing: its pods are not synced, their probes do not run.
"""

from __future__ import annotations

import json

STOPPED_META = "nodes:stopped"
DUE_META = "nodes:monitor-due"  # wall clock: when a command must run the monitor (and the evictions) first
GRACE_PERIOD = 50.0  # --node-monitor-grace-period default of kube-controller-manager 1.32 (#126287)
UNREACHABLE = "node.kubernetes.io/unreachable"
SOURCE = "node-controller"
UNKNOWN_REASON = "NodeStatusUnknown"
UNKNOWN_MESSAGE = "Kubelet stopped posting node status."
_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
_HEALTHY = {
    "MemoryPressure": ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    "Ready": ("True", "KubeletReady", "kubelet is posting ready status"),
}


def stopped(api) -> dict:
    """{node name: stopped at} for the stopped kubelets; read once per command."""
    cached = getattr(api, "_stopped_nodes", None)
    if cached is None:
        raw = api.store.meta_get(STOPPED_META)
        cached = api._stopped_nodes = json.loads(raw) if raw else {}
    return cached


def is_stopped(api, node_name: str | None) -> bool:
    return bool(node_name) and node_name in stopped(api)


def _save(api, data: dict) -> None:
    api._stopped_nodes = data
    if data:
        api.store.meta_set(STOPPED_META, json.dumps(data, sort_keys=True))
    else:
        api.store.meta_delete(STOPPED_META)


def _node_ref(name: str) -> dict:
    return {"kind": "Node", "_ref": True, "metadata": {"name": name, "uid": name}}


def _ready_status(node: dict) -> str | None:
    for c in (node.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status")
    return None


# ------------------------------------------------------------------ stop / start
def stop(api, name: str) -> None:
    data = dict(stopped(api))
    if name in data:
        return
    data[name] = api.clock.timestamp()
    _save(api, data)
    update_due(api)


def start(api, name: str) -> None:
    data = dict(stopped(api))
    if data.pop(name, None) is None:
        return
    _save(api, data)
    update_due(api)
    node = api.try_get("nodes", "", name)
    if node is None:
        return
    was_ready = _ready_status(node) == "True"
    now = api.clock.rfc3339()
    status = node.setdefault("status", {})
    for c in status.get("conditions") or ():
        want = _HEALTHY.get(c.get("type"))
        if want is None:
            continue
        if c.get("status") != want[0]:
            c["lastTransitionTime"] = now
        c["status"], c["reason"], c["message"] = want
        c["lastHeartbeatTime"] = now
    node = api.update_status(node)
    if not was_ready:
        # the kubelet's status setter (pkg/kubelet/nodestatus/setters.go ReadyCondition)
        api.record_event(_node_ref(name), "Normal", "NodeReady", f"Node {name} status is now: NodeReady",
                         "kubelet", name)
    taints = [t for t in (node.get("spec") or {}).get("taints") or () if t.get("key") != UNREACHABLE]
    if taints != list((node.get("spec") or {}).get("taints") or ()):
        if taints:
            node["spec"]["taints"] = taints
        else:
            node["spec"].pop("taints", None)
        api.update(node, check_rv=False)
    # the kubelet syncs its pods again: their containers kept running, they are ready again
    from minikctl.kubelet import pods as kpods

    for pod in api.list("pods", None, node=name):
        if pod["metadata"].get("deletionTimestamp") or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            continue
        if not (pod.get("status") or {}).get("startTime"):
            kpods.sync_pod(api, pod)
            continue
        new = json.loads(json.dumps(pod))
        new["status"]["conditions"] = kpods.compute_conditions(api, new)
        if new["status"] != pod.get("status"):
            api.update_status(new)


# ------------------------------------------------------------------ the monitor
def update_due(api) -> None:
    """The next time something is due: the end of a stopped node's grace period, or a scheduled
    taint eviction. Commands on a wall clock catch up when it has passed (api/cluster.py)."""
    from minikctl.controllers.nodelifecycle import EVICTIONS_META

    times = []
    for name, since in stopped(api).items():
        node = api.try_get("nodes", "", name)
        if node is not None and _ready_status(node) != "Unknown":
            times.append(since + GRACE_PERIOD)
    raw = api.store.meta_get(EVICTIONS_META)
    if raw and stopped(api):
        times += [v[1] for v in json.loads(raw).values()]
    if times:
        api.store.meta_set(DUE_META, repr(float(min(times))))
    else:
        api.store.meta_delete(DUE_META)


def catch_up(session) -> None:
    """Wall clock: the grace periods and evictions that fell due while no command ran."""
    from minikctl.controllers import nodelifecycle, run_queue

    with session.write() as api:
        on_clock(api)
        nodelifecycle.on_clock(api)
        run_queue(api)
        update_due(api)


def on_clock(api) -> None:
    """CLOCK_HOOKS entry: a stopped kubelet silent for the grace period makes its node Unknown."""
    raw = api.store.meta_get(STOPPED_META)
    if not raw:
        return
    api._stopped_nodes = None
    now = api.clock.timestamp()
    for name, since in sorted(stopped(api).items()):
        if since + GRACE_PERIOD > now:
            continue
        node = api.try_get("nodes", "", name)
        if node is None or _ready_status(node) == "Unknown":
            continue
        # the monitor noticed at the end of the grace period, even when the clock jumped past
        # it: the taints' timeAdded and the 300 s tolerations count from then
        from minikctl.controllers import run_queue
        from minikctl.kubelet.probes import _TickClock

        real = api.clock
        api.clock = _TickClock(since + GRACE_PERIOD)
        try:
            _mark_unknown(api, node)
            run_queue(api)
        finally:
            api.clock = real
    update_due(api)


def _mark_unknown(api, node: dict) -> None:
    name = node["metadata"]["name"]
    was_ready = _ready_status(node) == "True"
    now = api.clock.rfc3339()
    for c in (node.get("status") or {}).get("conditions") or ():
        if c.get("type") in _CONDITIONS:
            c.update(status="Unknown", reason=UNKNOWN_REASON, message=UNKNOWN_MESSAGE, lastTransitionTime=now)
    node = api.update_status(node)
    spec = node.setdefault("spec", {})
    taints = list(spec.get("taints") or [])
    for effect in ("NoSchedule", "NoExecute"):  # doNoScheduleTaintingPass, doNoExecuteTaintingPass
        if not any(t.get("key") == UNREACHABLE and t.get("effect") == effect for t in taints):
            taints.append({"key": UNREACHABLE, "effect": effect, "timeAdded": now})
    spec["taints"] = taints
    pods = api.list("pods", None, node=name)
    if was_ready:
        api.record_event(_node_ref(name), "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady", SOURCE)
    for pod in pods:  # MarkPodsNotReady
        st = pod.get("status") or {}
        changed = False
        for c in st.get("conditions") or ():
            if c.get("type") == "Ready" and c.get("status") != "False":
                c["status"] = "False"
                c["lastTransitionTime"] = now
                changed = True
        if changed:
            api.update_status(pod)
        api.record_event(pod, "Warning", "NodeNotReady", "Node is not ready", SOURCE)
    api.update(node, check_rv=False)  # the NoExecute taint: the taint manager schedules the evictions


# ------------------------------------------------------------------ the API server's kubelet proxy
def check_kubelet_reachable(api, pod: dict, what: str = "exec", container: str = "") -> None:
    """exec/logs go through the API server to the kubelet (https://NODE_IP:10250); a stopped kind
    node's address no longer answers: the dial fails with "no route to host" (ARP gets no reply).
    exec: pkg/kubelet/client + apiserver's proxy "error dialing backend: ..."; logs: the GET of
    /containerLogs/NS/POD/CONTAINER fails with the url.Error."""
    node_name = (pod.get("spec") or {}).get("nodeName")
    if not is_stopped(api, node_name):
        return
    node = api.try_get("nodes", "", node_name) or {}
    ip = next((a.get("address") for a in (node.get("status") or {}).get("addresses") or ()
               if a.get("type") == "InternalIP"), node_name)
    dial = f"dial tcp {ip}:10250: connect: no route to host"
    if what == "logs":
        meta = pod["metadata"]
        msg = f'Get "https://{ip}:10250/containerLogs/{meta["namespace"]}/{meta["name"]}/{container}": {dial}'
    else:
        msg = f"error dialing backend: {dial}"
    raise KubeletUnreachable(msg)


def _error_class():
    from minikctl.api.errors import MinikctlError

    class KubeletUnreachable(MinikctlError):
        """kubectl prints a non-Status error from the server as "Error from server: MSG"."""

        def render(self) -> str:
            return f"Error from server: {self}"

    return KubeletUnreachable


KubeletUnreachable = _error_class()
