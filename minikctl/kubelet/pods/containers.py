"""Starting a pod's containers (kuberuntime_manager.go SyncPod / computePodActions,
kuberuntime_container.go startContainer): the sandbox, init containers in order (sidecars:
restartable init containers), then the app containers; create, start, postStart hook and the
simulated main process.
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.kubelet.pods.events import SOURCE, _Events, _field_path
from minikctl.kubelet.pods.images import RETRY_REASONS, _pull, image_id, normalize_image, resolve_image
from minikctl.kubelet.pods.network import _host_ip, _pod_ip


def _new_container_id() -> str:
    from minikctl.api import rand  # issue 13: cluster create --seed

    return "containerd://" + rand.token_hex(32)


def _start_container(api, pod: dict, c: dict, node: str, restart_count: int = 0, ev: "_Events | None" = None) -> dict:
    """Pull, create and start one container, run its main process; returns its v1.ContainerStatus.
    `ev`: the sync's event buffer (flushed here when the caller gave none)."""
    own = ev is None
    if own:
        ev = _Events(api, pod, node)
    try:
        return _create_and_start(api, pod, c, node, restart_count, ev)
    finally:
        if own:
            ev.flush()


def _create_and_start(api, pod: dict, c: dict, node: str, restart_count: int, ev: "_Events") -> dict:
    name = c.get("name", "")
    now = api.clock.rfc3339()
    base = {"image": normalize_image(c.get("image", "")), "imageID": "", "lastState": {}, "name": name,
            "ready": False, "restartCount": restart_count, "started": False}
    failed = _pull(api, pod, c, node, ev)
    if failed:
        # a container that was never created: its status shows the image as the spec writes it
        base["image"] = c.get("image", "")
        base["state"] = {"waiting": {"message": failed[1], "reason": failed[0]}}
        return base
    from minikctl.kubelet import envvars

    fp = _field_path(pod, c)
    try:
        envvars.snapshot(api, pod, [c])
    except envvars.EnvError as e:
        # kuberuntime startContainer: generateContainerConfig failed -> CreateContainerConfigError;
        # the container was never created, so its status shows the spec's image.
        ev.add("Warning", "Failed", f"Error: {e}", fp)
        base["image"] = c.get("image", "")
        base["state"] = {"waiting": {"message": str(e), "reason": "CreateContainerConfigError"}}
        _config_wait(api, pod, True)
        return base
    ev.add("Normal", "Created", f"Created container: {name}", fp)
    cid = _new_container_id()
    st = {"containerID": cid, **base, "imageID": image_id(c.get("image", ""), api),
          "started": not bool(c.get("startupProbe")), "state": {"running": {"startedAt": now}}}
    # key order as the API server serialises v1.ContainerStatus
    order = ("containerID", "image", "imageID", "lastState", "name", "ready", "restartCount", "started", "state")
    st = {k: st[k] for k in order}
    uid = pod["metadata"]["uid"]
    if restart_count > 1:
        api.store.container_log_drop(uid, name, restart_count - 1)  # the kubelet keeps one dead container
    proc = _main_process(api, pod, c, restart_count)
    # [resources] over its memory limit the main process is OOM-killed (minikctl.kubelet.resources)
    from minikctl.kubelet.resources import oom_kill

    proc = oom_kill(resolve_image(api, c.get("image", "")), c, proc)
    # [/resources]
    if proc.get("startError"):
        # runc could not start the process (kuberuntime startContainer: StartContainer failed)
        msg = proc["startError"]
        ev.add("Warning", "Failed", f"Error: {msg}", fp)
        st["state"] = {"terminated": {"containerID": cid, "exitCode": 128, "finishedAt": now, "message": msg,
                                      "reason": "StartError", "startedAt": "1970-01-01T00:00:00Z"}}
        st["started"] = False
        return st
    ev.add("Normal", "Started", f"Started container {name}", fp)
    if not proc["runs"] or (proc.get("exitCode") is not None and not proc.get("after")):
        # the main process exits at once (busybox's sh without a terminal, `echo hello`, `exit 3`...)
        code = int(proc.get("exitCode") or 0)
        st["state"] = {"terminated": {"containerID": cid, "exitCode": code, "finishedAt": now,
                                      "reason": proc.get("reason") or ("Completed" if code == 0 else "Error"),
                                      "startedAt": now}}
        st["started"] = False
        return st
    if proc.get("exitCode") is not None and proc.get("after"):
        # it exits later on the cluster clock (it sleeps): the kubelet sees the exit at that time
        _schedule_exit(api, pod, name, cid, api.clock.timestamp() + float(proc["after"]), int(proc["exitCode"]))
    if proc.get("argv_run") and proc.get("exitCode") is None and _is_init(pod, c) and not _is_sidecar(c):
        _polling(api, pod, name, cid, True)
    failed_hook = _post_start(api, pod, c, st, ev)
    if failed_hook:
        # kuberuntime startContainer: a failed postStart hook kills the container (FailedPostStartHook)
        uid = pod["metadata"]["uid"]
        if any(x[4] == name and x[5] == cid for x in _timers(api, EXIT, uid=uid)):
            api.store.kubelet_timer_delete(EXIT, uid, name)
            _update_due(api)
        _drop_future_logs(api, pod, name, restart_count, api.clock.timestamp())
        st["state"] = {"terminated": {"containerID": cid, "exitCode": 137, "finishedAt": now, "reason": "Error",
                                      "startedAt": now}}
        st["started"] = False
        return st
    if _is_init(pod, c) and not _is_sidecar(c):
        return st  # an init container is not probed and not ready: it runs to its end
    st["ready"] = container_ready(api, pod, c, st)
    return st


def _post_start(api, pod: dict, c: dict, st: dict, ev: "_Events") -> bool:
    """The container's postStart exec hook, run in the container once it started
    (pkg/kubelet/lifecycle/handlers.go); True when it failed (Warning FailedPostStartHook and
    the container is killed). An httpGet hook is not simulated (it succeeds)."""
    hook = ((c.get("lifecycle") or {}).get("postStart") or {}).get("exec")
    if not hook:
        return False
    cmd = [str(x) for x in hook.get("command") or ()]
    name = c.get("name", "")
    view = clone(pod)
    found = _statuses_of(view, name)
    if found is None:
        view.setdefault("status", {}).setdefault(
            "initContainerStatuses" if _is_init(pod, c) else "containerStatuses", []).append(st)
    else:
        found[0][found[1]] = st
    from minikctl.kubelet.exec import probe_exec

    code, out = probe_exec(api, view, name, cmd) if cmd else (None, "missing exec command")
    if code == 0:
        return False
    # 1.32 does not put the hook's output in the event ("so that secrets won't leak from the server")
    msg = "PostStartHook failed"
    fp = _field_path(pod, c)
    ev.add("Warning", "FailedPostStartHook", msg, fp)
    ev.add("Normal", "Killing", "FailedPostStartHook", fp)
    return True


def _main_process(api, pod: dict, c: dict, instance: int) -> dict:
    """What the container's main process does (minikctl.images.catalog.main_process): an image's
    own process from the catalog's data, any other command run in the simulated shell
    (minikctl.kubelet.exec.run_main_process). Its output is appended to the container's log,
    each line at the time it is printed (a line printed after a sleep is in the future until the
    clock reaches it)."""
    from minikctl.images import catalog
    from minikctl.kubelet import envvars

    img = resolve_image(api, c.get("image", ""))
    env = dict(envvars.container_env(api, pod, c.get("name", "")))
    proc = catalog.main_process(img, c, env)
    uid, name = pod["metadata"]["uid"], c.get("name", "")
    if proc.get("argv") and _request_loop(api, pod, c, proc["argv"]):
        # issue 11 (w-hpa): a request loop (the HPA walkthrough's load generator) runs as a rate
        # of requests toward a Service (minikctl.kubelet.load), not request by request
        return {"runs": True, "servers": False, "exitCode": None, "after": None, "startError": None}
    if proc.get("argv") and c.get("stdin"):
        # stdin open (run -i, attach): the process waits for its input; `run -i` runs it through
        # exec with the terminal's input (minikctl.cli.cmd_run _attach)
        return {"runs": True, "servers": False, "exitCode": None, "after": None, "startError": None}
    if c.get("stdin") and not proc.get("argv") and not proc.get("runs") and \
            str((img.process.get("command") or [""])[0]).rsplit("/", 1)[-1] in ("sh", "bash", "ash", "dash"):
        # the image's own process is a shell: with stdin open (run -i, debug -i) it waits for input
        return {"runs": True, "servers": False, "exitCode": None, "after": None, "startError": None}
    if proc.get("argv"):
        from minikctl.kubelet.exec import run_main_process

        res = run_main_process(api, pod, c, proc["argv"])
        if res["log"]:
            api.store.container_log_append_rows([(uid, name, instance, ts, ln) for ts, ln in res["log"]])
        runs = res["exitCode"] is None or bool(res["after"])
        return {"runs": runs, "servers": False, "exitCode": res["exitCode"], "after": res["after"],
                "startError": res["startError"], "argv_run": True}
    lines = [str(x) for x in proc.get("log") or ()]
    if lines:
        api.store.container_log_append(uid, name, instance, api.clock.timestamp(), lines)
    if proc["runs"]:
        return {**proc, "exitCode": None, "after": None}  # a server: it runs until it is stopped
    return {**proc, "after": 0.0}


def _request_loop(api, pod: dict, c: dict, argv: list[str]) -> bool:
    """Register the container's main process as a rate source when it is a request loop whose
    shell and client program the image has (minikctl.kubelet.load); False otherwise."""
    from minikctl.kubelet import load

    shape = load.detect([str(x) for x in argv])
    if shape is None or _is_init(pod, c) or _is_ephemeral(pod, c):
        return False
    from minikctl.kubelet.exec import DEFAULT_PATH, ExecContext

    try:
        ctx = ExecContext(api, pod, c.get("name", ""))
        path = dict(ctx.env).get("PATH", DEFAULT_PATH)
        if ctx.fs.find_executable(str(argv[0]), path, ctx.cwd) is None:
            return False
        if ctx.fs.find_executable(shape["client"], path, ctx.cwd) is None:
            return False
    except Exception:  # noqa: BLE001 - anything unusual: simulate the loop as it is
        return False
    load.register(api, pod, c, shape)
    return True


def _is_init(pod: dict, c: dict) -> bool:
    name = c.get("name")
    return any(x.get("name") == name for x in (pod.get("spec") or {}).get("initContainers") or ())


def _is_ephemeral(pod: dict, c: dict) -> bool:
    """An ephemeral container (kubectl debug): never restarted, never probed (issue 12)."""
    name = c.get("name")
    return any(x.get("name") == name for x in (pod.get("spec") or {}).get("ephemeralContainers") or ())


def _is_sidecar(c: dict) -> bool:
    """A restartable init container (restartPolicy: Always, 1.29+): it keeps running beside the app."""
    return c.get("restartPolicy") == "Always"


def _drop_future_logs(api, pod: dict, name: str, instance: int, after: float) -> None:
    """A process killed at `after` prints nothing later: its simulated-ahead lines go."""
    api.store.conn.execute("DELETE FROM container_logs WHERE pod_uid=? AND container=? AND instance=? AND ts>?",
                           (pod["metadata"]["uid"], name, instance, after))


def _spec_container(pod: dict, name: str) -> dict | None:
    spec = pod.get("spec") or {}
    return next((x for x in (spec.get("initContainers") or []) + (spec.get("containers") or [])
                 + (spec.get("ephemeralContainers") or []) if x.get("name") == name), None)


def _statuses_of(pod: dict, name: str) -> tuple[list, int] | None:
    status = pod.get("status") or {}
    for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"):
        lst = status.get(key) or []
        for i, x in enumerate(lst):
            if x.get("name") == name:
                return lst, i
    return None


def start_pod(api, pod: dict, node: dict) -> dict:
    """Sandbox (pod IP), init containers to completion, then the containers."""

    node_name = node["metadata"]["name"]
    spec = pod.get("spec") or {}
    pod = clone(pod)
    status = pod.setdefault("status", {})
    now = api.clock.rfc3339()
    # [resources] kubelet admission: a pod bound past what the node has left is rejected
    from minikctl.kubelet.resources import admission_reject

    if admission_reject(api, pod, node, now):
        return api.update_status(pod)
    # [/resources]
    # --- volumes (minikctl/kubelet/volumes.py): WaitForAttachAndMount, before the sandbox
    from minikctl.kubelet import volumes

    failed = volumes.mount_pod(api, pod, node)
    if failed:
        volumes.mount_failed(api, pod, node_name, failed)
        return api.update_status(volumes.waiting_status(api, pod, node))
    now = status.get("startTime") or now  # a pod that waited on its volumes keeps its start time
    # --- end volumes
    host_ip = _host_ip(node)
    if spec.get("hostNetwork"):
        ip = host_ip
    else:
        ip = _pod_ip(api, pod, node)
    status["hostIP"] = host_ip
    status["hostIPs"] = [{"ip": host_ip}] if host_ip else []
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    else:
        api.record_event(pod, "Warning", "FailedCreatePodSandBox",
                         "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for "
                         f'sandbox: plugin type="host-local" failed (add): failed to allocate for range 0: '
                         f"no IP addresses available in range set: {(node.get('spec') or {}).get('podCIDR')}",
                         SOURCE, node_name)
        status["conditions"] = compute_conditions(api, pod)
        return api.update_status(pod)
    status["startTime"] = now
    _run_containers(api, pod, node_name)
    status.setdefault("qosClass", "BestEffort")
    _finish_status(api, pod)
    return api.update_status(pod)


def _retry(st: dict | None) -> bool:
    """A container whose last start failed in a way the next sync retries (an image pull)."""
    return (((st or {}).get("state") or {}).get("waiting") or {}).get("reason") in RETRY_REASONS


def _run_containers(api, pod: dict, node_name: str, ev: "_Events | None" = None) -> None:
    """SyncPod's start steps (kuberuntime_manager.go computePodActions): the init containers in
    order, each to completion before the next; then every app container not created yet or whose
    last start failed with a RETRY_REASONS reason (an image pull). Containers that exist keep
    their status; a failed start of an app container does not stop the others."""
    spec = pod.get("spec") or {}
    status = pod["status"]
    old_inits = {x.get("name"): x for x in status.get("initContainerStatuses") or []}
    old_cs = {x.get("name"): x for x in status.get("containerStatuses") or []}
    inits = []
    blocked = False
    for c in spec.get("initContainers") or []:
        old = old_inits.get(c.get("name"))
        if old is not None and not _retry(old):
            st = old
        else:
            count = int((old or {}).get("restartCount") or 0)
            st = _start_container(api, pod, c, node_name, count, ev)
            if old is not None and old.get("lastState"):
                st["lastState"] = old["lastState"]
            st = _handle_exit(api, pod, c, st, node_name, ev)
        state = st.get("state") or {}
        if _is_sidecar(c):
            # a sidecar lets the next init container start once it runs (started, with a startupProbe)
            blocked = not ("running" in state and st.get("started", True) is not False)
        elif "terminated" in state and not state["terminated"].get("exitCode"):
            blocked = False
        else:
            blocked = True  # running to its end, failed, or waiting (to pull, to restart)
        inits.append(st)
        if blocked:
            break
    if inits:
        status["initContainerStatuses"] = inits
    containers = []
    for c in spec.get("containers") or []:
        old = old_cs.get(c.get("name"))
        if blocked:
            containers.append({"image": c.get("image", ""), "imageID": "", "lastState": {}, "name": c.get("name", ""),
                               "ready": False, "restartCount": 0, "started": False,
                               "state": {"waiting": {"reason": "PodInitializing"}}})
            continue
        pending = old is None or _retry(old) or \
            ((old.get("state") or {}).get("waiting") or {}).get("reason") == "PodInitializing"
        if not pending:
            containers.append(old)
            continue
        # a container that ran before (and was killed to change its image) starts as its next instance
        count = int((old or {}).get("restartCount") or 0) + (1 if ((old or {}).get("lastState") or {}).get("terminated")
                                                               else 0)
        st = _start_container(api, pod, c, node_name, count, ev)
        if old is not None and old.get("lastState"):
            st["lastState"] = old["lastState"]
            if _retry(st):
                st["restartCount"] = int(old.get("restartCount") or 0)
        containers.append(_handle_exit(api, pod, c, st, node_name, ev))
    status["containerStatuses"] = containers


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.backoff import _handle_exit, _schedule_exit  # noqa: E402
from minikctl.kubelet.pods.configwait import _config_wait  # noqa: E402
from minikctl.kubelet.pods.polling import _polling  # noqa: E402
from minikctl.kubelet.pods.status import _finish_status, compute_conditions, container_ready  # noqa: E402
from minikctl.kubelet.pods.timers import EXIT, _timers, _update_due  # noqa: E402
