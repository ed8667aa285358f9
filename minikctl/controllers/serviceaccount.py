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
