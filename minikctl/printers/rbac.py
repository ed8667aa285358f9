"""Rows of rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding (issue 12, added
minimally for `set subject`): printers.go printRoleBinding / printClusterRoleBinding with
rbac.SubjectsStrings for the wide columns."""

from __future__ import annotations

from datetime import datetime


def _subjects(subjects) -> tuple[str, str, str]:
    users, groups, sas = [], [], []
    for s in subjects or []:
        if not isinstance(s, dict):
            continue
        kind, name = s.get("kind"), s.get("name") or ""
        if kind == "User":
            users.append(name)
        elif kind == "Group":
            groups.append(name)
        elif kind == "ServiceAccount":
            sas.append(f"{s.get('namespace') or ''}/{name}")
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def print_binding(obj: dict, now: datetime) -> list:
    from minikctl.printers.columns import _age, _meta

    meta = _meta(obj)
    ref = obj.get("roleRef") or {}
    users, groups, sas = _subjects(obj.get("subjects"))
    return [meta.get("name") or "", f"{ref.get('kind') or ''}/{ref.get('name') or ''}",
            _age(meta.get("creationTimestamp"), now), users, groups, sas]
