"""RBAC: Role, ClusterRole, RoleBinding, ClusterRoleBinding (pkg/apis/rbac/validation/validation.go
ValidateRole, ValidateClusterRole, ValidatePolicyRule, ValidateRoleBinding, ValidateClusterRoleBinding,
ValidateRoleBindingSubject and the roleRef rule of ValidateRoleBindingUpdate)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, invalid, required, unsupported
from minikctl.api.validation.common import GoValue, _gq, _l, _m, _s, go_string_list
from minikctl.api.validation.meta import _validate_label_selector, validate_object_meta
from minikctl.api.validation.names import is_dns1123_subdomain

GROUP = "rbac.authorization.k8s.io"


def is_valid_path_segment_name(name: str) -> list[str]:
    """apimachinery/pkg/api/validation/path IsValidPathSegmentName (ValidateRBACName)."""
    for bad in (".", ".."):
        if name == bad:
            return [f"may not be '{bad}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


def _validate_policy_rule(rule, namespaced: bool, path: str) -> list[FieldError]:
    rule = _m(rule)
    errs = []
    if not _l(rule.get("verbs")):
        errs.append(required(f"{path}.verbs", "verbs must contain at least one value"))
    urls = _l(rule.get("nonResourceURLs"))
    if urls:
        if namespaced:
            errs.append(invalid(f"{path}.nonResourceURLs", go_string_list(urls),
                                "namespaced rules cannot apply to non-resource URLs"))
        if _l(rule.get("apiGroups")) or _l(rule.get("resources")) or _l(rule.get("resourceNames")):
            errs.append(invalid(f"{path}.nonResourceURLs", go_string_list(urls),
                                "rules cannot apply to both regular resources and non-resource URLs"))
        return errs
    if not _l(rule.get("apiGroups")):
        errs.append(required(f"{path}.apiGroups", "resource rules must supply at least one api group"))
    if not _l(rule.get("resources")):
        errs.append(required(f"{path}.resources", "resource rules must supply at least one resource"))
    return errs


def _validate_role(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Role")
    for i, rule in enumerate(_l(obj.get("rules"))):
        errs += _validate_policy_rule(rule, True, f"rules[{i}]")
    return errs


def _validate_cluster_role(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ClusterRole")
    for i, rule in enumerate(_l(obj.get("rules"))):
        errs += _validate_policy_rule(rule, False, f"rules[{i}]")
    agg = obj.get("aggregationRule")
    if isinstance(agg, dict):
        selectors = _l(agg.get("clusterRoleSelectors"))
        if not selectors:
            errs.append(required("aggregationRule.clusterRoleSelectors",
                                 "at least one clusterRoleSelector required if aggregationRule is non-nil"))
        for i, sel in enumerate(selectors):
            errs += _validate_label_selector(sel, f"aggregationRule.clusterRoleSelectors[{i}]")
    return errs


def _validate_subject(subject, namespaced: bool, path: str) -> list[FieldError]:
    s = _m(subject)
    errs = []
    name, kind, group = _s(s.get("name")), _s(s.get("kind")), _s(s.get("apiGroup"))
    if not name:
        errs.append(required(f"{path}.name"))
    if kind == "ServiceAccount":
        if name:
            errs += [invalid(f"{path}.name", name, m) for m in is_dns1123_subdomain(name)]
        if group:
            errs.append(unsupported(f"{path}.apiGroup", group, [""]))
        if not namespaced and not _s(s.get("namespace")):
            errs.append(required(f"{path}.namespace"))
    elif kind in ("User", "Group"):
        if group != GROUP:
            errs.append(unsupported(f"{path}.apiGroup", group, [GROUP]))
    else:
        errs.append(unsupported(f"{path}.kind", kind, ["ServiceAccount", "User", "Group"]))
    return errs


def _validate_binding(obj: dict, kinds: list[str]) -> list[FieldError]:
    namespaced = obj.get("kind") == "RoleBinding"
    errs = validate_object_meta(obj, _s(obj.get("kind")))
    ref = _m(obj.get("roleRef"))
    if _s(ref.get("apiGroup")) != GROUP:
        errs.append(unsupported("roleRef.apiGroup", _s(ref.get("apiGroup")), [GROUP]))
    if _s(ref.get("kind")) not in kinds:
        errs.append(unsupported("roleRef.kind", _s(ref.get("kind")), kinds))
    name = _s(ref.get("name"))
    if not name:
        errs.append(required("roleRef.name"))
    else:
        errs += [invalid("roleRef.name", name, m) for m in is_valid_path_segment_name(name)]
    for i, subject in enumerate(_l(obj.get("subjects"))):
        errs += _validate_subject(subject, namespaced, f"subjects[{i}]")
    return errs


def _validate_role_binding(obj: dict) -> list[FieldError]:
    return _validate_binding(obj, ["Role", "ClusterRole"])


def _validate_cluster_role_binding(obj: dict) -> list[FieldError]:
    return _validate_binding(obj, ["ClusterRole"])


def _go_role_ref(ref) -> GoValue:
    ref = _m(ref)
    return GoValue(f"rbac.RoleRef{{APIGroup:{_gq(_s(ref.get('apiGroup')))}, Kind:{_gq(_s(ref.get('kind')))}, "
                   f"Name:{_gq(_s(ref.get('name')))}}}")


def _validate_binding_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: the roleRef is immutable."""
    keys = ("apiGroup", "kind", "name")
    new_ref, old_ref = _m(obj.get("roleRef")), _m(old.get("roleRef"))
    if any(_s(new_ref.get(k)) != _s(old_ref.get(k)) for k in keys):
        return [invalid("roleRef", _go_role_ref(new_ref), "cannot change roleRef")]
    return []
