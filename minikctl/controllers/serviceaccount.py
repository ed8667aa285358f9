"""The serviceaccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
every active namespace has a ServiceAccount ``default``, created with the namespace and put
back when it is deleted. Since 1.24 no token Secret is made for it (SECRETS 0)."""

from __future__ import annotations

DEFAULT_NAME = "default"


def on_namespace(api, _namespace: str, name: str) -> None:
    ensure(api, name)


def on_serviceaccount(api, namespace: str, name: str) -> None:
    from minikctl.api import admission

    admission.forget(api, namespace, name)
    if name == DEFAULT_NAME:
        ensure(api, namespace)
    if api.previous is None and api.store.exists("serviceaccounts", namespace, name):
        _requeue_owners(api, namespace)


def _requeue_owners(api, namespace: str) -> None:
    """A ServiceAccount appeared: ReplicaSets and ReplicationControllers short of pods (their
    creates were refused for want of it) sync again, as their rate-limited requeue would."""
    for resource, work in (("replicasets", "~replicaset"), ("replicationcontrollers", "~replicationcontroller")):
        for owner in api.list(resource, namespace):
            want = (owner.get("spec") or {}).get("replicas")
            have = (owner.get("status") or {}).get("replicas") or 0
            if isinstance(want, int) and have < want:
                api._enqueue(work, namespace, owner["metadata"]["name"])


def ensure(api, namespace: str) -> None:
    """syncNamespace: skip a namespace that is gone or terminating; create what is missing."""
    ns = api.store.get("namespaces", "", namespace)
    if ns is None or (ns.get("metadata") or {}).get("deletionTimestamp") or \
            (ns.get("status") or {}).get("phase") == "Terminating":
        return
    if api.store.exists("serviceaccounts", namespace, DEFAULT_NAME):
        return
    api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": DEFAULT_NAME, "namespace": namespace}})
