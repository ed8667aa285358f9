"""Pod status (the status manager): container readiness, the conditions and the phase
(kubelet_pods.go generateAPIPodStatus / getPhase).
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.kubelet.pods.network import _release_ip


def container_ready(api, pod: dict, container_spec: dict, status: dict) -> bool:
    """Whether a started container is ready. The plug-in point for probes
    (minikctl/kubelet/probes.py): without a readinessProbe a running container is ready;
    with one it starts not ready (the prober's initial readiness result is Failure)."""
    if not (status.get("state") or {}).get("running"):
        return False
    if container_spec.get("readinessProbe") or container_spec.get("livenessProbe") or \
            container_spec.get("startupProbe"):
        from minikctl.kubelet import probes

        return probes.on_container_start(api, pod, container_spec, status)
    return True


def _cond(type_: str, ok: bool, now: str, old: list, reason: str = "", message: str = "") -> dict:
    prev = next((c for c in old if c.get("type") == type_), None)
    status = "True" if ok else "False"
    ltt = prev.get("lastTransitionTime") if prev and prev.get("status") == status else now
    c: dict = {"lastProbeTime": None, "lastTransitionTime": ltt}
    if not ok and message:
        c["message"] = message
    if not ok and reason:
        c["reason"] = reason
    c["status"] = status
    c["type"] = type_
    return c


def compute_conditions(api, pod: dict) -> list[dict]:
    """generateAPIPodStatus' conditions from the container statuses."""
    now = api.clock.rfc3339()
    status = pod.get("status") or {}
    old = status.get("conditions") or []
    spec = pod.get("spec") or {}
    sandbox = bool(status.get("podIP")) or bool(spec.get("hostNetwork") and status.get("hostIP"))
    inits = status.get("initContainerStatuses") or []
    pending_init = [s["name"] for s in inits
                    if not ((s.get("state") or {}).get("terminated") or {}).get("exitCode") == 0]
    css = status.get("containerStatuses") or []
    unready = [s["name"] for s in css if not s.get("ready")]
    names = [c.get("name") for c in spec.get("containers") or []]
    unready += [n for n in names if n not in {s["name"] for s in css}]
    msg = f"containers with unready status: [{' '.join(unready)}]"
    init_msg = f"containers with incomplete status: [{' '.join(pending_init)}]"
    sched = next((c for c in old if c.get("type") == "PodScheduled"), None) or \
        {"lastProbeTime": None, "lastTransitionTime": now, "status": "True", "type": "PodScheduled"}
    if status.get("phase") in ("Succeeded", "Failed"):
        # generatePodReadyCondition: a finished pod is not ready, with reason PodCompleted
        return [_cond("PodReadyToStartContainers", False, now, old),
                _cond("Initialized", not pending_init, now, old, "ContainersNotInitialized", init_msg),
                _cond("Ready", False, now, old, "PodCompleted"),
                _cond("ContainersReady", False, now, old, "PodCompleted"),
                sched]
    return [
        _cond("PodReadyToStartContainers", sandbox, now, old),
        _cond("Initialized", not pending_init, now, old, "ContainersNotInitialized", init_msg),
        _cond("Ready", not unready and not pending_init, now, old, "ContainersNotReady", msg),
        _cond("ContainersReady", not unready and not pending_init, now, old, "ContainersNotReady", msg),
        sched,
    ]


def set_container_ready(api, pod: dict, container_name: str, ready: bool) -> dict:
    """Flip one container's readiness (what the prober's result does) and recompute the
    pod's Ready/ContainersReady conditions; writes the status only when it changes."""

    new = clone(pod)
    status = new.setdefault("status", {})
    for cs in status.get("containerStatuses") or []:
        if cs.get("name") == container_name:
            cs["ready"] = bool(ready) and bool((cs.get("state") or {}).get("running"))
    status["conditions"] = compute_conditions(api, new)
    if new.get("status") == pod.get("status"):
        return pod
    return api.update_status(new)


def _ts(text: str | None) -> float | None:
    from minikctl.kubelet.exec import parse_time

    return parse_time(text)


def _finish_status(api, pod: dict, resync: bool = True) -> None:
    """Phase (kubelet_pods.go getPhase) and conditions from the container statuses; a pod with a
    container to retry (an image pull) is synced again (RESYNC_FIRST seconds later)."""
    status = pod["status"]
    if resync and _needs_resync(pod):
        _schedule_resync(api, pod, api.clock.timestamp() + RESYNC_FIRST)
    status["phase"] = _phase(pod)
    if status["phase"] in ("Succeeded", "Failed"):
        _release_ip(api, pod)
        _clear_backoff(api, pod["metadata"]["uid"])
    status["conditions"] = compute_conditions(api, pod)


def _phase(pod: dict) -> str:
    """kubelet_pods.go getPhase (1.32)."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    policy = spec.get("restartPolicy") or "Always"
    inits = {c.get("name"): c for c in spec.get("initContainers") or []}
    pending_init = failed_init = 0
    init_st = {x.get("name"): x for x in status.get("initContainerStatuses") or []}
    for name, c in inits.items():
        x = init_st.get(name)
        if x is None:
            pending_init += 1
            continue
        state = x.get("state") or {}
        if _is_sidecar(c):
            if not x.get("started") and "running" not in state:
                pending_init += 1
            continue
        term = state.get("terminated")
        if term is not None and int(term.get("exitCode") or 0) == 0:
            continue
        if term is not None or (((state.get("waiting") or {}).get("reason")) and
                                (x.get("lastState") or {}).get("terminated")):
            failed_init += 1
        pending_init += 1
    if failed_init and policy == "Never":
        return "Failed"
    running = waiting = stopped = succeeded = 0
    regular_started = False
    for x in status.get("containerStatuses") or []:
        state = x.get("state") or {}
        if "running" in state:
            running += 1
            regular_started = True
        elif "terminated" in state:
            stopped += 1
            regular_started = True
            if int(state["terminated"].get("exitCode") or 0) == 0:
                succeeded += 1
        elif (x.get("lastState") or {}).get("terminated"):
            stopped += 1
            regular_started = True
        else:
            waiting += 1
    waiting += len(spec.get("containers") or []) - len(status.get("containerStatuses") or [])
    if (pending_init and not regular_started) or waiting > 0:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if policy == "Never":
            return "Failed"
        return "Running"
    return "Pending"


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.backoff import _clear_backoff  # noqa: E402
from minikctl.kubelet.pods.containers import _is_sidecar  # noqa: E402
from minikctl.kubelet.pods.resync import _needs_resync, _schedule_resync  # noqa: E402
from minikctl.kubelet.pods.timers import RESYNC_FIRST  # noqa: E402
