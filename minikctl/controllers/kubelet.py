"""The kubelets of all simulated nodes, as one controller: each changed pod bound to a
node gets that node's kubelet sync (minikctl.kubelet.pods)."""

from __future__ import annotations


def on_pod(api, namespace: str, name: str) -> None:
    from minikctl.kubelet import pods

    pod = api.peek("pods", namespace, name)  # read only: sync_pod copies it before any change
    prev = api.previous
    if pod is None or (prev is not None and prev["metadata"].get("uid") != pod["metadata"].get("uid")):
        if prev is not None:
            pods.forget_pod(api, prev["metadata"]["uid"])  # the old pod of that name is gone
        if pod is None:
            return
    from minikctl.controllers.nodemonitor import is_stopped  # issue 11 (w-node): a stopped kubelet runs nothing

    if is_stopped(api, (pod.get("spec") or {}).get("nodeName")):
        return
    pods.sync_pod(api, pod)


def on_clock(api) -> None:
    """Crash-loop back-offs that ran out restart their containers."""
    from minikctl.kubelet import pods

    pods.on_clock(api)


def on_config(api, namespace: str, name: str) -> None:
    """A ConfigMap or Secret changed: pods that mount it get the new files at their next sync,
    pods waiting on it to mount try again, and pods of its namespace waiting on their
    configuration (CreateContainerConfigError) are synced again. When none wait, a few meta
    reads: the kubelet's pod module is not even imported for the usual change."""
    from minikctl.kubelet import volumes

    volumes.on_config(api, namespace, name)
    if api.store.meta_get("kubelet:configwait:" + namespace) is None:  # pods.CONFIG_WAIT_META
        return
    from minikctl.kubelet import pods

    pods.retry_config_errors(api, namespace)


def on_service(api, namespace: str, name: str) -> None:
    """A Service changed: init containers of its namespace that poll for one look again."""
    from minikctl.kubelet import pods

    pods.retry_polling(api, namespace)
