"""RBAC: defaults, the authorizer, the ClusterRole aggregation and the bootstrap policy.

Sources (kubernetes/kubernetes release-1.32):
  pkg/apis/rbac/v1/defaults.go                         set_binding_defaults
  plugin/pkg/auth/authorizer/rbac/rbac.go              authorize, rules_for (RuleAllows, appliesToUser)
  pkg/apis/rbac/v1/evaluation_helpers.go               verb/group/resource/name/URL matching
  pkg/registry/rbac/validation/rule.go                 VisitRulesFor (cluster role bindings, then role bindings)
  pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go  aggregate
  plugin/pkg/auth/authorizer/rbac/bootstrappolicy/     rbac_bootstrap.json (what a kind cluster starts with)
  staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go  impersonated users' groups
  staging/src/k8s.io/kubectl/pkg/util/rbac/rbac.go     breakdown / compact / sort (describe, can-i --list)
"""

from __future__ import annotations

GROUP = "rbac.authorization.k8s.io"
# kind's kubeconfig user (kubeadm 1.29+: the admin.conf client certificate's subject)
ADMIN_USER = "kubernetes-admin"
ADMIN_GROUPS = ("kubeadm:cluster-admins", "system:authenticated")
# its certificate's fingerprint, as `auth whoami` shows it (authentication.kubernetes.io/credential-id)
ADMIN_CREDENTIAL_ID = "X509SHA256=6a4a1c0c2e1d0bdf5f7b6e6f2b9c8a0d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b"
SA_PREFIX = "system:serviceaccount:"
PRIVILEGED_GROUP = "system:masters"  # authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup)


# --------------------------------------------------------------------- defaults
def set_binding_defaults(obj: dict) -> None:
    """SetDefaults_ClusterRoleBinding / SetDefaults_RoleBinding / SetDefaults_Subject."""
    ref = obj.get("roleRef")
    if isinstance(ref, dict) and not ref.get("apiGroup"):
        ref["apiGroup"] = GROUP
    for s in obj.get("subjects") or ():
        if isinstance(s, dict) and not s.get("apiGroup"):
            if s.get("kind") in ("User", "Group"):  # a ServiceAccount's is "" (omitted)
                s["apiGroup"] = GROUP


# --------------------------------------------------------------------- users
class User:
    __slots__ = ("name", "groups", "extra")

    def __init__(self, name: str, groups: tuple[str, ...] | list[str], extra: dict | None = None):
        self.name = name
        self.groups = tuple(groups)
        self.extra = extra or {}


def admin_user() -> User:
    return User(ADMIN_USER, ADMIN_GROUPS, {"authentication.kubernetes.io/credential-id": [ADMIN_CREDENTIAL_ID]})


def split_sa_username(name: str) -> tuple[str, str] | None:
    """serviceaccount.SplitUsername: system:serviceaccount:NS:NAME."""
    if not name.startswith(SA_PREFIX):
        return None
    parts = name[len(SA_PREFIX):].split(":")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1]


def impersonate(name: str, groups: list[str] | None) -> User:
    """The user kube-apiserver's impersonation filter builds from Impersonate-User/-Group."""
    out = list(groups or [])
    sa = split_sa_username(name)
    if sa and not groups:
        out = ["system:serviceaccounts", f"system:serviceaccounts:{sa[0]}"]
    if name != "system:anonymous":
        if not any(g in ("system:authenticated", "system:unauthenticated") for g in out):
            out.append("system:authenticated")
    elif not any(g == "system:unauthenticated" for g in out):
        out.append("system:unauthenticated")
    return User(name, out)


# --------------------------------------------------------------------- matching
def _list(rule: dict, key: str) -> list:
    v = rule.get(key)
    return v if isinstance(v, list) else []


def verb_matches(rule: dict, verb: str) -> bool:
    return any(v == "*" or v == verb for v in _list(rule, "verbs"))


def group_matches(rule: dict, group: str) -> bool:
    return any(g == "*" or g == group for g in _list(rule, "apiGroups"))


def resource_matches(rule: dict, combined: str, subresource: str) -> bool:
    for r in _list(rule, "resources"):
        if r == "*" or r == combined:
            return True
        if subresource and isinstance(r, str) and len(r) == len(subresource) + 2 and r.startswith("*/") \
                and r.endswith(subresource):
            return True
    return False


def name_matches(rule: dict, name: str) -> bool:
    names = _list(rule, "resourceNames")
    return not names or name in names


def url_matches(rule: dict, path: str) -> bool:
    for u in _list(rule, "nonResourceURLs"):
        if not isinstance(u, str):
            continue
        if u == "*" or u == path or (u.endswith("*") and path.startswith(u.rstrip("*"))):
            return True
    return False


def rule_allows(attrs: dict, rule: dict) -> bool:
    if not isinstance(rule, dict):
        return False
    if attrs.get("path") is None:
        sub = attrs.get("subresource") or ""
        combined = attrs["resource"] + ("/" + sub if sub else "")
        return (verb_matches(rule, attrs["verb"]) and group_matches(rule, attrs.get("group") or "")
                and resource_matches(rule, combined, sub) and name_matches(rule, attrs.get("name") or ""))
    return verb_matches(rule, attrs["verb"]) and url_matches(rule, attrs["path"])


def applies_to(user: User, subject, namespace: str) -> bool:
    if not isinstance(subject, dict):
        return False
    kind, name = subject.get("kind"), subject.get("name")
    if kind == "User":
        return user.name == name
    if kind == "Group":
        return name in user.groups
    if kind == "ServiceAccount":
        ns = subject.get("namespace") or namespace
        return bool(ns) and user.name == f"{SA_PREFIX}{ns}:{name}"
    return False


# --------------------------------------------------------------------- the rule resolver
def _role_rules(api, ref, namespace: str):
    """GetRoleReferenceRules: (rules, error text)."""
    ref = ref if isinstance(ref, dict) else {}
    kind, name = ref.get("kind"), ref.get("name") or ""
    if kind == "ClusterRole":
        role = api.try_get("clusterroles", "", name)
        if role is None:
            return [], f'clusterrole.rbac.authorization.k8s.io "{name}" not found'
    elif kind == "Role":
        role = api.try_get("roles", namespace, name)
        if role is None:
            return [], f'role.rbac.authorization.k8s.io "{name}" not found'
    else:
        return [], f"unsupported role reference kind: {kind!r}"
    return [r for r in (role.get("rules") or []) if isinstance(r, dict)], None


def visit_rules(api, user: User, namespace: str):
    """Yield (rule, error) as VisitRulesFor: every ClusterRoleBinding that applies to the user, then
    (in a namespace) every RoleBinding of that namespace."""
    for b in api.list("clusterrolebindings"):
        if not any(applies_to(user, s, "") for s in b.get("subjects") or ()):
            continue
        rules, err = _role_rules(api, b.get("roleRef"), "")
        if err:
            yield None, err
        for r in rules:
            yield r, None
    if namespace:
        for b in api.list("rolebindings", namespace):
            if not any(applies_to(user, s, namespace) for s in b.get("subjects") or ()):
                continue
            rules, err = _role_rules(api, b.get("roleRef"), namespace)
            if err:
                yield None, err
            for r in rules:
                yield r, None


def authorize(api, user: User, attrs: dict) -> tuple[bool, str]:
    """(allowed, reason) of the authorizer chain (the privileged group, then RBAC)."""
    if PRIVILEGED_GROUP in user.groups:
        return True, ""
    errors = []
    for rule, err in visit_rules(api, user, attrs.get("namespace") or ""):
        if err:
            errors.append(err)
        elif rule_allows(attrs, rule):
            return True, ""
    if errors:
        return False, "RBAC: " + (errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")
    return False, ""


def rules_for(api, user: User, namespace: str) -> tuple[list[dict], list[str]]:
    rules, errors = [], []
    for rule, err in visit_rules(api, user, namespace):
        if err:
            errors.append(err)
        else:
            rules.append(rule)
    return rules, errors


def subject_rules(api, user: User, namespace: str) -> tuple[list[dict], bool, str]:
    """(rules, incomplete, evaluationError) of a SelfSubjectRulesReview: the union of kind's authorizers'
    RulesFor (authorizer/union.go) — the privileged group's (everything), the Node authorizer's (a
    node's rules are not enumerated: incomplete), then RBAC's (complete; a dangling role reference
    is only an evaluation error)."""
    rules: list[dict] = []
    errors: list[str] = []
    incomplete = False
    if PRIVILEGED_GROUP in user.groups:  # authorizerfactory.privilegedGroupAuthorizer.RulesFor
        rules = [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
                 {"verbs": ["*"], "nonResourceURLs": ["*"]}]
    if "system:nodes" in user.groups and user.name.startswith("system:node:"):  # node.NodeAuthorizer.RulesFor
        incomplete = True
        errors.append("node authorizer does not support user rule resolution")
    found, errs = rules_for(api, user, namespace)
    rules += found
    if errs:
        errors.append(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")
    return rules, incomplete, (errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]") if errors else ""


# --------------------------------------------------------------------- aggregation
def aggregate(api) -> None:
    """The clusterrole-aggregation controller: a ClusterRole with an aggregationRule holds the rules of
    every ClusterRole its selectors select (by name order, each rule once), until nothing changes."""
    from minikctl.api.selectors import label_selector_matches
    from minikctl.api.server import clone

    for _ in range(10):
        changed = False
        roles = sorted(api.list("clusterroles"), key=lambda o: (o.get("metadata") or {}).get("name") or "")
        for role in roles:
            agg = role.get("aggregationRule")
            if not isinstance(agg, dict):
                continue
            name = (role.get("metadata") or {}).get("name")
            rules: list = []
            for sel in agg.get("clusterRoleSelectors") or ():
                for other in roles:
                    if (other.get("metadata") or {}).get("name") == name:
                        continue
                    if not label_selector_matches(sel, (other.get("metadata") or {}).get("labels") or {}):
                        continue
                    for r in other.get("rules") or ():
                        if r not in rules:
                            rules.append(r)
            if (role.get("rules") or []) != rules:
                new = clone(role)
                new["rules"] = rules
                api.update(new, check_rv=False)
                changed = True
        if not changed:
            return


def on_cluster_role(api, _namespace: str, _name: str) -> None:
    """A changed ClusterRole queues one aggregation pass (a work-queue key: a burst of changes, as the
    bootstrap's, is aggregated once)."""
    api._enqueue("~clusterrole-aggregation", "", "")


def sync_aggregation(api, _namespace: str, _name: str) -> None:
    aggregate(api)


# --------------------------------------------------------------------- bootstrap
def bootstrap_objects() -> tuple[list[dict], list[dict]]:
    import json
    import os

    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rbac_bootstrap.json")) as f:
        doc = json.load(f)
    return doc["clusterRoles"], doc["clusterRoleBindings"]


# --------------------------------------------------------------------- kubectl's rule table
def go_list(v) -> str:
    """%v of a []string."""
    return "[" + " ".join(str(x) for x in (v or [])) + "]"


def breakdown(rule: dict) -> list[dict]:
    out = []
    groups, resources, verbs = _list(rule, "apiGroups"), _list(rule, "resources"), _list(rule, "verbs")
    names = _list(rule, "resourceNames")
    for g in groups:
        for r in resources:
            for v in verbs:
                if names:
                    for n in names:
                        out.append({"apiGroups": [g], "resources": [r], "verbs": [v], "resourceNames": [n]})
                else:
                    out.append({"apiGroups": [g], "resources": [r], "verbs": [v]})
    for u in _list(rule, "nonResourceURLs"):
        for v in verbs:
            out.append({"nonResourceURLs": [u], "verbs": [v]})
    return out


def compact(rules: list[dict]) -> list[dict]:
    """CompactRules: simple rules (one group, one resource, at most one name) differing only by verb
    are merged; kubectl then sorts them by their String(), which makes Go's map order irrelevant."""
    compacted, simple = [], {}
    for rule in rules:
        if len(_list(rule, "resourceNames")) <= 1 and not _list(rule, "nonResourceURLs") \
                and len(_list(rule, "apiGroups")) == 1 and len(_list(rule, "resources")) == 1:
            names = _list(rule, "resourceNames")
            key = (rule["apiGroups"][0], rule["resources"][0], bool(names), names[0] if names else "")
            if key in simple:
                simple[key]["verbs"] = simple[key]["verbs"] + _list(rule, "verbs")
            else:
                simple[key] = {k: list(v) for k, v in rule.items()}
        else:
            compacted.append(rule)
    return compacted + list(simple.values())


def rule_string(rule: dict) -> str:
    """The generated PolicyRule.String(), kubectl's sort key (SortableRuleSlice)."""
    return ("&PolicyRule{Verbs:" + go_list(rule.get("verbs")) + ",APIGroups:" + go_list(rule.get("apiGroups"))
            + ",Resources:" + go_list(rule.get("resources")) + ",ResourceNames:" + go_list(rule.get("resourceNames"))
            + ",NonResourceURLs:" + go_list(rule.get("nonResourceURLs")) + ",}")


def combine_resource_group(resources, groups) -> str:
    """describe.CombineResourceGroup."""
    if not resources:
        return ""
    parts = str(resources[0]).split("/", 1)
    out = parts[0]
    if groups and groups[0] != "":
        out += "." + str(groups[0])
    if len(parts) == 2:
        out += "/" + parts[1]
    return out


def rule_table(rules: list) -> list[tuple[str, str, str, str]]:
    """The rows of describe's PolicyRule table and of can-i --list."""
    broken = []
    for r in rules:
        if isinstance(r, dict):
            broken += breakdown(r)
    out = sorted(compact(broken), key=lambda r: rule_string(r).encode())
    return [(combine_resource_group(r.get("resources"), r.get("apiGroups")), go_list(r.get("nonResourceURLs")),
             go_list(r.get("resourceNames")), go_list(r.get("verbs"))) for r in out]
