"""One kubelet sync of a pod (start it, restart a container whose image changed), and what is
forgotten when a pod is gone.
"""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.kubelet.pods.backoff import _clear_backoff
from minikctl.kubelet.pods.containers import _retry, _run_containers, start_pod
from minikctl.kubelet.pods.images import PULL_BACKOFF_META, normalize_image
from minikctl.kubelet.pods.kill import restart_container
from minikctl.kubelet.pods.status import _finish_status
from minikctl.kubelet.pods.timers import RESYNC, TERMINATING, _update_due


def sync_pod(api, pod: dict) -> None:
    """One kubelet sync of a pod bound to a node: start it if it has not started; restart
    containers whose image changed (the only mutable part of a running container spec)."""
    spec = pod.get("spec") or {}
    node_name = spec.get("nodeName")
    if not node_name or pod["metadata"].get("deletionTimestamp"):
        return
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return
    node = api.peek("nodes", "", node_name)  # read only (the kubelet never changes its node here)
    if node is None:
        return  # a node that does not exist runs nothing: the pod stays Pending
    if not status.get("startTime"):
        start_pod(api, pod, node)
        return
    statuses = {x.get("name"): x for x in (status.get("initContainerStatuses") or []) +
                (status.get("containerStatuses") or [])}
    if any(_retry(statuses.get(c.get("name"))) and statuses[c.get("name")].get("image") != c.get("image")
           for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])):
        # the pod's image was changed (patch, edit, apply, set image): the update makes the
        # kubelet sync the pod now, and a new image has no back-off
        pod = clone(pod)
        _run_containers(api, pod, node_name)
        _finish_status(api, pod)
        pod = api.update_status(pod)
        status = pod.get("status") or {}
    for c in spec.get("containers") or []:
        cs = next((x for x in status.get("containerStatuses") or [] if x.get("name") == c.get("name")), None)
        if cs and cs.get("imageID") and cs.get("image") != normalize_image(c.get("image", "")):
            pod = restart_container(api, pod, c["name"],
                                    f"Container {c['name']} definition changed, will be restarted", 0, "Completed",
                                    backoff=False)


def forget_pod(api, uid: str) -> None:
    """A pod is gone: drop what the kubelet kept for it (its IP is released with its uid)."""
    from minikctl.kubelet import envvars

    envvars.forget(api, uid)
    from minikctl.kubelet import load  # issue 11 (w-hpa): its request loops stop

    load.forget(api, uid)
    _clear_backoff(api, uid)
    api.store.meta_delete(PULL_BACKOFF_META + uid)
    if api.store.kubelet_timer_delete(RESYNC, uid):
        _update_due(api)
    if api.store.kubelet_timer_delete(TERMINATING, uid):
        _update_due(api)
