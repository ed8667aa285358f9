"""replication-controller: the ReplicaSet controller's logic for ReplicationControllers
(pkg/controller/replication), whose selector is a plain label map."""

from __future__ import annotations

from minikctl.controllers import replication as R

RC = R.ReplicaKind("ReplicationController", "v1", "replicationcontrollers", "~replicationcontroller",
                   "replication-controller")


def selector_of(rc: dict):
    from minikctl.api.selectors import from_map

    spec = rc.get("spec") or {}
    sel = spec.get("selector") or ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    if not sel:
        return None
    return from_map(sel)


def on_pod(api, namespace: str, name: str) -> None:
    R.enqueue_for_pod(api, RC, namespace, name, selector_of)


def on_rc(api, namespace: str, name: str) -> None:
    api._enqueue(RC.work, namespace, name)


def sync(api, namespace: str, name: str) -> None:
    R.sync(api, RC, namespace, name, selector_of)
