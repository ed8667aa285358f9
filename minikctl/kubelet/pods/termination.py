"""Graceful deletion (pkg/registry/core/pod/strategy.go CheckGracefulDelete and
kuberuntime_container.go killContainer): preStop hooks, SIGTERM, the grace period, removal.
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.kubelet.pods.events import _Events, _field_path
from minikctl.kubelet.pods.images import resolve_image


def graceful_delete(api, pod: dict, grace: int | None) -> float:
    """DELETE of a pod with a grace period (pkg/registry/core/pod/strategy.go CheckGracefulDelete)
    and the kubelet's killing of its containers (kuberuntime_container.go killContainer): a pod not
    bound to a node, finished, or deleted with grace 0 goes at once. Otherwise it gets its
    deletionTimestamp (Terminating) and each running container is stopped: its preStop exec hook
    runs (its sleeps take their time on the cluster clock), then SIGTERM, which a server image
    handles by exiting at once while a command run as PID 1 (`sleep`, a shell script) ignores it and
    is killed when the grace period ends. The pod is removed when its last container stopped.
    Returns the seconds until it is gone (0: deleted now)."""
    from minikctl.api import kinds as K

    spec = pod.get("spec") or {}
    meta = pod["metadata"]
    ns, name = meta.get("namespace", "default"), meta["name"]
    if grace is None or grace < 0:
        grace = int(spec.get("terminationGracePeriodSeconds") if spec.get("terminationGracePeriodSeconds")
                    is not None else 30)
    phase = (pod.get("status") or {}).get("phase")
    if meta.get("deletionTimestamp"):
        return _terminating_left(api, meta["uid"])
    if not spec.get("nodeName") or phase in ("Succeeded", "Failed") or grace <= 0:
        api.delete("pods", ns, name)
        return 0.0
    node = spec.get("nodeName") or ""
    ev = _Events(api, pod, node)
    end = 0.0
    for c in spec.get("containers") or []:
        cs = next((x for x in (pod.get("status") or {}).get("containerStatuses") or []
                   if x.get("name") == c.get("name")), None)
        if cs is None or "running" not in (cs.get("state") or {}):
            continue
        ev.add("Normal", "Killing", f"Stopping container {c.get('name', '')}", _field_path(pod, c))
        t = _pre_stop_seconds(api, pod, c, grace)
        end = max(end, t if _handles_sigterm(api, pod, c) else float(grace))
    ev.flush()
    if end <= 0:
        api.delete("pods", ns, name)
        return 0.0
    from minikctl.kubelet.probes import _TickClock

    now = api.clock.timestamp()
    new = clone(pod)
    new["metadata"]["deletionTimestamp"] = _TickClock(now + grace).rfc3339()
    new["metadata"]["deletionGracePeriodSeconds"] = grace
    api._save(K.by_kind("Pod"), new, pod)
    _set_timer(api, TERMINATING, [now + end, ns, name, meta["uid"]])
    _update_due(api)
    return end


def _terminating_left(api, uid: str) -> float:
    for x in _timers(api, TERMINATING, uid=uid):
        if x[3] == uid:
            return max(0.0, x[0] - api.clock.timestamp())
    return 0.0


def _handles_sigterm(api, pod: dict, c: dict) -> bool:
    """A server image's process exits on SIGTERM; a command run as PID 1 has no handler and ignores it."""
    from minikctl.images import catalog
    from minikctl.kubelet import envvars

    img = resolve_image(api, c.get("image", ""))
    env = dict(envvars.container_env(api, pod, c.get("name", "")))
    proc = catalog.main_process(img, c, env)
    return bool(proc.get("servers"))


def _pre_stop_seconds(api, pod: dict, c: dict, grace: int) -> float:
    """Run the preStop exec hook in the container; the seconds it takes (its sleeps), at most the grace period."""
    hook = ((c.get("lifecycle") or {}).get("preStop") or {}).get("exec")
    cmd = [str(x) for x in (hook or {}).get("command") or ()]
    if not cmd:
        return 0.0
    from minikctl.kubelet.exec import ExecFailed, MainContext, MainBudget

    ctx = MainContext(api, pod, c, api.clock.timestamp())
    ctx.shell_budget = MainBudget(horizon=float(grace))
    from minikctl.kubelet import shell as sh_mod

    io = sh_mod.IO(sh_mod.Input(""), lambda s: None, lambda s: None)
    try:
        sh_mod.guarded(ctx, io, lambda: ctx.run_argv(cmd, io))
    except ExecFailed:
        return 0.0
    return min(float(grace), ctx.shell_budget.slept)


def _terminate_due(api) -> None:
    """Pods whose containers all stopped: the kubelet removes them (a delete with grace 0)."""
    now = api.clock.timestamp()
    due = _timers(api, TERMINATING, upto=now)
    if not due:
        return
    api.store.kubelet_timer_delete(TERMINATING, upto=now)
    _update_due(api)
    for _at, ns, name, uid in due:
        pod = api.try_get("pods", ns, name)
        if pod is not None and pod["metadata"]["uid"] == uid:
            api.delete("pods", ns, name)


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.timers import TERMINATING, _set_timer, _timers, _update_due  # noqa: E402
