"""RBAC printers: `get` rows (pkg/printers/internalversion/printers.go printRoleBinding,
printClusterRoleBinding; roles use the default NAME CREATED AT) and `describe`
(staging/src/k8s.io/kubectl/pkg/describe/describe.go RoleDescriber, ClusterRoleDescriber,
RoleBindingDescriber, ClusterRoleBindingDescriber)."""

from __future__ import annotations

from datetime import datetime

_D: dict = {}


def subjects_strings(subjects) -> tuple[list[str], list[str], list[str]]:
    """pkg/apis/rbac/helpers.go SubjectsStrings: users, groups, service accounts (NS/NAME)."""
    users, groups, sas = [], [], []
    for s in subjects or ():
        if not isinstance(s, dict):
            continue
        kind = s.get("kind")
        if kind == "ServiceAccount":
            sas.append(f"{s.get('namespace') or ''}/{s.get('name') or ''}")
        elif kind == "User":
            users.append(s.get("name") or "")
        elif kind == "Group":
            groups.append(s.get("name") or "")
    return users, groups, sas


def print_role_binding(obj: dict, now: datetime) -> list:
    from minikctl.printers.columns import _age

    meta = obj.get("metadata") or _D
    ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else _D
    users, groups, sas = subjects_strings(obj.get("subjects"))
    return [meta.get("name") or "", f"{ref.get('kind') or ''}/{ref.get('name') or ''}",
            _age(meta.get("creationTimestamp"), now), ", ".join(users), ", ".join(groups), ", ".join(sas)]


def describe_role(obj: dict) -> str:
    from minikctl.api.rbac import rule_table
    from minikctl.printers.describe.writer import _print_annotations_multiline, _print_labels_multiline, _Writer

    w = _Writer()
    meta = obj.get("metadata") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "PolicyRule:\n")
    w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    w.write(1, "---------\t-----------------\t--------------\t-----\n")
    for row in rule_table(obj.get("rules") if isinstance(obj.get("rules"), list) else []):
        w.write(1, "%s\t%s\t%s\t%s\n" % row)
    return w.render()


def describe_role_binding(obj: dict) -> str:
    from minikctl.printers.describe.writer import _print_annotations_multiline, _print_labels_multiline, _Writer

    w = _Writer()
    meta = obj.get("metadata") or _D
    ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Role:\n")
    w.write(1, "Kind:\t%s\n" % (ref.get("kind") or ""))
    w.write(1, "Name:\t%s\n" % (ref.get("name") or ""))
    w.write(0, "Subjects:\n")
    w.write(1, "Kind\tName\tNamespace\n")
    w.write(1, "----\t----\t---------\n")
    for s in obj.get("subjects") or ():
        s = s if isinstance(s, dict) else _D
        w.write(1, "%s\t%s\t%s\n" % (s.get("kind") or "", s.get("name") or "", s.get("namespace") or ""))
    return w.render()


# the name w-rollout's minimal RoleBinding rows had (issue 12, `set subject`)
print_binding = print_role_binding
