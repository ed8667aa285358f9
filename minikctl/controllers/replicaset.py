"""replicaset-controller (pkg/controller/replicaset/replica_set.go): keeps spec.replicas
pods matching the ReplicaSet's selector, owned by it. The work is shared with the
replication manager in ``replication``."""

from __future__ import annotations

from minikctl.controllers import replication as R

RS = R.ReplicaKind("ReplicaSet", "apps/v1", "replicasets", "~replicaset", "replicaset-controller")


def selector_of(rs: dict):
    from minikctl.api.selectors import from_label_selector

    sel = (rs.get("spec") or {}).get("selector")
    if not sel or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        return None  # an empty selector selects nothing here (validation refuses it)
    return from_label_selector(sel)


def on_pod(api, namespace: str, name: str) -> None:
    R.enqueue_for_pod(api, RS, namespace, name, selector_of)


def on_replicaset(api, namespace: str, name: str) -> None:
    api._enqueue(RS.work, namespace, name)


def sync(api, namespace: str, name: str) -> None:
    R.sync(api, RS, namespace, name, selector_of)
