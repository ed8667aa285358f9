"""Pods stopped at CreateContainerConfigError: remembered per namespace and started again
when a ConfigMap or Secret there changes.
"""

from __future__ import annotations

import json

from minikctl.api.server import clone


CONFIG_WAIT_META = "kubelet:configwait:"  # + namespace: JSON {pod name: uid} of pods with a config error


def _config_wait(api, pod: dict, waiting: bool) -> None:
    """Remember (or forget) a pod whose container could not be configured, per namespace, so
    that a ConfigMap or Secret change there retries it without scanning pods."""
    m = pod["metadata"]
    key = CONFIG_WAIT_META + m.get("namespace", "default")
    raw = api.store.meta_get(key)
    items = json.loads(raw) if raw else {}
    if waiting:
        if items.get(m["name"]) == m["uid"]:
            return
        items[m["name"]] = m["uid"]
    elif items.pop(m["name"], None) is None:
        return
    if items:
        api.store.meta_set(key, json.dumps(items, sort_keys=True))
    else:
        api.store.meta_delete(key)


def _config_error(st: dict | None) -> bool:
    return ((st or {}).get("state") or {}).get("waiting", {}).get("reason") == "CreateContainerConfigError"


def retry_config_errors(api, namespace: str) -> None:
    """A ConfigMap or Secret of the namespace changed: the kubelet's next sync of each pod
    waiting with CreateContainerConfigError builds its containers' configuration again
    (volumes: minikctl.kubelet.volumes.on_config, called by the controller)."""
    raw = api.store.meta_get(CONFIG_WAIT_META + namespace)
    if not raw:
        return
    for name, uid in sorted(json.loads(raw).items()):
        pod = api.try_get("pods", namespace, name)
        if pod is None or pod["metadata"]["uid"] != uid or pod["metadata"].get("deletionTimestamp"):
            _config_wait(api, {"metadata": {"name": name, "uid": uid, "namespace": namespace}}, False)
            continue
        _retry_config(api, pod)


def _retry_config(api, pod: dict) -> dict:
    """syncPod again for a pod whose start stopped at a container's configuration: init
    containers from the first one not done, then the app containers not started."""
    pod = clone(pod)
    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    status = pod.setdefault("status", {})
    _config_wait(api, pod, False)
    now = api.clock.rfc3339()
    old_inits = {s.get("name"): s for s in status.get("initContainerStatuses") or []}
    inits, blocked = [], False
    for c in spec.get("initContainers") or []:
        old = old_inits.get(c.get("name"))
        if blocked:
            if old is not None:
                inits.append(old)
            continue
        if old is not None and not _config_error(old):
            inits.append(old)
            state = old.get("state") or {}
            blocked = "running" not in state if _is_sidecar(c) else \
                not ("terminated" in state and not state["terminated"].get("exitCode"))
            continue
        st = _handle_exit(api, pod, c, _start_container(api, pod, c, node), node)
        state = st.get("state") or {}
        if _is_sidecar(c):
            blocked = "running" not in state
        else:
            blocked = not ("terminated" in state and not state["terminated"].get("exitCode"))
        inits.append(st)
    if inits:
        status["initContainerStatuses"] = inits
    old_css = {s.get("name"): s for s in status.get("containerStatuses") or []}
    containers = []
    for c in spec.get("containers") or []:
        old = old_css.get(c.get("name"))
        pending = old is None or _config_error(old) or \
            ((old.get("state") or {}).get("waiting") or {}).get("reason") == "PodInitializing"
        if blocked or not pending:
            containers.append(old if old is not None else
                              {"image": c.get("image", ""), "imageID": "", "lastState": {}, "name": c.get("name", ""),
                               "ready": False, "restartCount": 0, "started": False,
                               "state": {"waiting": {"reason": "PodInitializing"}}})
            continue
        st = _start_container(api, pod, c, node)
        containers.append(_handle_exit(api, pod, c, st, node))
    status["containerStatuses"] = containers
    _finish_status(api, pod)
    return api.update_status(pod)


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.backoff import _handle_exit  # noqa: E402
from minikctl.kubelet.pods.containers import _is_sidecar, _start_container  # noqa: E402
from minikctl.kubelet.pods.status import _finish_status  # noqa: E402
