"""RBAC's escalation prevention: a user may create or update a Role/ClusterRole only with rules they
hold (or the `escalate` verb), and bind a role only when they hold its rules (or the `bind` verb).
kube-apiserver does it in the RBAC registry (pkg/registry/rbac/{role,clusterrole,rolebinding,
clusterrolebinding}/policybased/storage.go, pkg/registry/rbac/escalation_check.go,
pkg/registry/rbac/validation/rule.go ConfirmNoEscalation, policy_comparator.go Covers).

Only a request with a user does it: `minikctl serve` sets the requester (apiserver/auth.py) for the
object the request writes; the CLI (kind's admin) and the controllers never do.
"""

from __future__ import annotations

from minikctl.api import rbac

_REQUEST: dict | None = None  # {"user": rbac.User, "plural", "namespace", "name"} while serve handles a write


def set_request(user, plural: str, namespace: str, name: str) -> None:
    global _REQUEST
    _REQUEST = {"user": user, "plural": plural, "namespace": namespace, "name": name}


def clear_request() -> None:
    global _REQUEST
    _REQUEST = None


def admit(api, kind, obj: dict, old: dict | None) -> None:
    """strategy.admit's hook for the four RBAC kinds: raises Forbidden on an escalation."""
    req = _REQUEST
    if req is None or req["plural"] != kind.plural:
        return
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace") or ""
    if req["name"] and meta.get("name") != req["name"]:
        return  # not the object the request writes
    user = req["user"]
    if rbac.PRIVILEGED_GROUP in user.groups:  # rbacregistry.EscalationAllowed
        return
    name = meta.get("name") or ""
    if kind.plural in ("roles", "clusterroles"):
        if _authorized(api, user, "escalate", kind.plural, namespace, name):  # RoleEscalationAuthorized
            return
        rules = [r for r in obj.get("rules") or [] if isinstance(r, dict)]
        err = confirm_no_escalation(api, user, namespace, rules)
    else:
        ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else {}
        target = "roles" if ref.get("kind") == "Role" else "clusterroles"
        if _authorized(api, user, "bind", target, namespace, ref.get("name") or ""):  # BindingAuthorized
            return
        rules, err = rbac._role_rules(api, ref, namespace)  # GetRoleReferenceRules
        if err is None:
            err = confirm_no_escalation(api, user, namespace, rules)
    if err:
        from minikctl.api.errors import Forbidden, go_quote

        raise Forbidden(f"{kind.group_resource} {go_quote(name)} is forbidden: {err}")


def _authorized(api, user, verb: str, resource: str, namespace: str, name: str) -> bool:
    allowed, _ = rbac.authorize(api, user, {"verb": verb, "resource": resource, "group": rbac.GROUP,
                                            "namespace": namespace, "name": name, "subresource": ""})
    return allowed


def confirm_no_escalation(api, user, namespace: str, rules: list[dict]) -> str | None:
    """validation.ConfirmNoEscalation: None, or the error's text."""
    from minikctl.api.errors import go_quote

    owner, errors = rbac.rules_for(api, user, namespace)
    ok, missing = covers(owner, rules)
    if ok:
        return None
    lines = sorted({compact_string(r) for r in rbac.compact(missing)}, key=lambda s: s.encode())
    groups = "[" + " ".join(go_quote(g) for g in user.groups) + "]"
    msg = (f"user {go_quote(user.name)} (groups={groups}) is attempting to grant RBAC permissions not currently "
           "held:\n" + "\n".join(lines))
    if errors:  # %v of a []error holding RulesFor's aggregate
        msg += "; resolution errors: [" + (errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]") + "]"
    return msg


def covers(owner: list[dict], servant: list[dict]) -> tuple[bool, list[dict]]:
    """policy_comparator.Covers: every broken-down servant rule covered by some owner rule."""
    missing = []
    for rule in servant:
        for sub in rbac.breakdown(rule):
            if not any(_rule_covers(o, sub) for o in owner):
                missing.append(sub)
    return not missing, missing


def _l(rule: dict, key: str) -> list:
    v = rule.get(key)
    return v if isinstance(v, list) else []


def _has_all(have: list, want: list) -> bool:
    return set(want) <= set(have)


def _rule_covers(owner: dict, sub: dict) -> bool:
    verbs = "*" in _l(owner, "verbs") or _has_all(_l(owner, "verbs"), _l(sub, "verbs"))
    groups = "*" in _l(owner, "apiGroups") or _has_all(_l(owner, "apiGroups"), _l(sub, "apiGroups"))
    resources = _resources_cover(_l(owner, "resources"), _l(sub, "resources"))
    urls = all(any(_url_covers(o, p) for o in _l(owner, "nonResourceURLs")) for p in _l(sub, "nonResourceURLs"))
    if not _l(sub, "resourceNames"):
        names = not _l(owner, "resourceNames")
    else:
        names = not _l(owner, "resourceNames") or _has_all(_l(owner, "resourceNames"), _l(sub, "resourceNames"))
    return verbs and groups and resources and names and urls


def _resources_cover(have: list, want: list) -> bool:
    if "*" in have or _has_all(have, want):
        return True
    for path in want:
        if path in have:
            continue
        if "/" not in path:
            return False
        if "*/" + path.split("/", 1)[1] not in have:
            return False
    return True


def _url_covers(owner: str, sub: str) -> bool:
    return owner == sub or (isinstance(owner, str) and owner.endswith("*") and sub.startswith(owner.rstrip("*")))


def compact_string(rule: dict) -> str:
    """rbacv1helpers.CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}."""
    from minikctl.api.errors import go_quote

    parts = []
    for key, label in (("apiGroups", "APIGroups"), ("resources", "Resources"), ("nonResourceURLs", "NonResourceURLs"),
                       ("resourceNames", "ResourceNames"), ("verbs", "Verbs")):
        if _l(rule, key):
            parts.append(f"{label}:[" + " ".join(go_quote(str(v)) for v in _l(rule, key)) + "]")
    return "{" + ", ".join(parts) + "}"
