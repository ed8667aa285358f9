"""create role | clusterrole | rolebinding | clusterrolebinding: kubectl 1.32's generators
(staging/src/k8s.io/kubectl/pkg/cmd/create/create_role.go, create_clusterrole.go, create_rolebinding.go,
create_clusterrolebinding.go), their option checks and messages."""

from __future__ import annotations

from minikctl.api.errors import MinikctlError, UsageError
from minikctl.cli.cmd_create import _one_name, _submit

GROUP = "rbac.authorization.k8s.io"
API_VERSION = f"{GROUP}/v1"
# create_role.go validResourceVerbs, specialVerbs; create_clusterrole.go validNonResourceVerbs
VALID_RESOURCE_VERBS = ["*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy",
                        "deletecollection", "use", "bind", "escalate", "impersonate"]
VALID_NON_RESOURCE_VERBS = ["*", "get", "post", "put", "delete", "patch", "head", "options"]
SPECIAL_VERBS = {
    "use": [("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")],
    "bind": [(GROUP, "roles"), (GROUP, "clusterroles")],
    "escalate": [(GROUP, "roles"), (GROUP, "clusterroles")],
    "impersonate": [("", "users"), ("", "serviceaccounts"), ("", "groups"), ("authentication.k8s.io", "userextras")],
}


class NoMatch(MinikctlError):
    """cmdutil.CheckErr of a meta.NoResourceMatchError: printed without "error: "."""

    def render(self) -> str:
        return str(self)


def _slice(values) -> list[str]:
    """A pflag StringSlice: every value split at commas."""
    out: list[str] = []
    for v in values or ():
        out += v.split(",") if v != "" else []
    return out


def _dedup(items: list[str]) -> list[str]:
    out: list[str] = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


def _verbs(ctx) -> list[str]:
    verbs: list[str] = []
    for v in _slice(ctx.opts.get("verb")):
        if v == "*":
            return ["*"]
        if v not in verbs:
            verbs.append(v)
    return verbs


def _resources(ctx) -> list[tuple[str, str, str]]:
    """(resource, group, subresource) of each --resource, as Complete splits them."""
    out: list[tuple[str, str, str]] = []
    for r in _slice(ctx.opts.get("resource")):
        head, _, sub = r.partition("/")
        res, _, group = head.partition(".")
        if res == "*" and "." not in head and "/" not in r:
            return [("*", "", "")]
        out.append((res, group, sub))
    return out


def _map(res: str, group: str):
    """mapper.ResourceFor(GroupVersionResource{Resource, Group}): (plural, group) or None."""
    from minikctl.api import kinds as K

    kind = K.resolve(res.lower())
    if kind is None or (group and kind.group != group):
        return None
    return kind.plural, kind.group


def _validate_resources(verbs: list[str], resources) -> None:
    for res, group, _sub in resources:
        if not res:
            raise UsageError("resource must be specified if apiGroup/subresource specified")
        if res == "*":
            return
        mapped = _map(res, group)
        resource = mapped or (res, group)
        unknown = mapped is None
        for v in verbs:
            if v in SPECIAL_VERBS:
                if (resource[1], resource[0]) not in SPECIAL_VERBS[v]:
                    raise UsageError(f"can not perform '{v}' on '{resource[0]}' in group '{resource[1]}'")
                unknown = False  # a special verb's resource (users, groups, ...) needs no discovery
        if unknown:
            raise NoMatch(f'the server doesn\'t have a resource type "{res}"' +
                          (f' in group "{group}"' if group else ""))


def _rules(verbs, resources, names, urls) -> list[dict]:
    """generateResourcePolicyRules: one rule per API group (sorted), then the non-resource URLs."""
    by_group: dict[str, list[str]] = {}
    for res, group, sub in resources:
        mapped = _map(res, group) if res != "*" else None
        plural, g = mapped or (res, group)
        if sub:
            plural += "/" + sub
        lst = by_group.setdefault(g, [])
        if plural not in lst:
            lst.append(plural)
    rules = []
    for g in sorted(by_group):
        rule = {"apiGroups": [g], "resources": by_group[g], "verbs": list(verbs)}
        if names:
            rule["resourceNames"] = list(names)
        rules.append(rule)
    if urls:
        rules.append({"nonResourceURLs": list(urls), "verbs": list(verbs)})
    return rules


def _names(ctx) -> list[str]:
    return _dedup(list(ctx.opts.get("resource_name") or []))


def role(ctx) -> int:
    name = _one_name(ctx)
    verbs, resources, names = _verbs(ctx), _resources(ctx), _names(ctx)
    if not verbs:
        raise UsageError("at least one verb must be specified")
    for v in verbs:
        if v not in VALID_RESOURCE_VERBS:
            ctx.warn(f"Warning: '{v}' is not a standard resource verb")
    if not resources:
        raise UsageError("at least one resource must be specified")
    _validate_resources(verbs, resources)
    obj = {"apiVersion": API_VERSION, "kind": "Role", "metadata": {"name": name},
           "rules": _rules(verbs, resources, names, [])}
    return _submit(ctx, obj)


def _aggregation_rule(ctx) -> dict:
    """cliflag.MapStringString: key=value pairs, comma separated, each flag adding to the map."""
    out: dict[str, str] = {}
    for value in ctx.opts.get("aggregation_rule") or ():
        for pair in value.split(","):
            if not pair:
                continue
            k, eq, v = pair.partition("=")
            if not eq:
                raise UsageError(f'invalid argument "{value}" for "--aggregation-rule" flag: malformed pair, '
                                 "expect string=string\nSee 'minikctl create clusterrole --help' for usage.")
            out[k] = v
    return out


def clusterrole(ctx) -> int:
    agg = _aggregation_rule(ctx)
    name = _one_name(ctx)
    urls = _dedup(_slice(ctx.opts.get("non_resource_url")))
    verbs, resources, names = _verbs(ctx), _resources(ctx), _names(ctx)
    obj: dict = {"apiVersion": API_VERSION, "kind": "ClusterRole", "metadata": {"name": name}}
    if agg:
        if urls or verbs or resources or names:
            raise UsageError("aggregation rule must be specified without nonResourceURLs, verbs, resources or "
                             "resourceNames")
        obj["rules"] = None
        obj["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": dict(sorted(agg.items()))}]}
        return _submit(ctx, obj)
    if not verbs:
        raise UsageError("at least one verb must be specified")
    if not resources and not urls:
        raise UsageError("one of resource or nonResourceURL must be specified")
    if resources:
        for v in verbs:
            if v not in VALID_RESOURCE_VERBS:
                ctx.warn(f"Warning: '{v}' is not a standard resource verb")
        _validate_resources(verbs, resources)
    if urls:
        for v in verbs:
            if v not in VALID_NON_RESOURCE_VERBS:
                raise UsageError(f"invalid verb: '{v}' for nonResourceURL")
        for u in urls:
            if u == "*":
                continue
            if not u.startswith("/"):
                raise UsageError("nonResourceURL should start with /")
            if "*" in u[:-1]:
                raise UsageError("nonResourceURL only supports wildcard matches when '*' is at the end")
    obj["rules"] = _rules(verbs, resources, names, urls)
    return _submit(ctx, obj)


def _subjects(ctx) -> list[dict]:
    subjects = []
    for u in ctx.opts.get("user") or ():
        subjects.append({"apiGroup": GROUP, "kind": "User", "name": u})
    for g in ctx.opts.get("group") or ():
        subjects.append({"apiGroup": GROUP, "kind": "Group", "name": g})
    for sa in ctx.opts.get("serviceaccount") or ():
        parts = sa.split(":")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise UsageError("serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "name": parts[1], "namespace": parts[0]})
    return subjects


def rolebinding(ctx) -> int:
    """create_rolebinding.go: exactly one of --clusterrole / --role."""
    name = _one_name(ctx)
    cr, r = ctx.opts.get("clusterrole") or "", ctx.opts.get("role") or ""
    if bool(cr) == bool(r):
        raise UsageError("exactly one of clusterrole or role must be specified")
    ref = {"apiGroup": GROUP, "kind": "ClusterRole" if cr else "Role", "name": cr or r}
    obj: dict = {"apiVersion": API_VERSION, "kind": "RoleBinding", "metadata": {"name": name}, "roleRef": ref}
    subjects = _subjects(ctx)
    if subjects:
        obj["subjects"] = subjects
    return _submit(ctx, obj)


def clusterrolebinding(ctx) -> int:
    name = _one_name(ctx)
    cr = ctx.opts.get("clusterrole") or ""
    if not cr:
        raise UsageError('required flag(s) "clusterrole" not set')
    obj: dict = {"apiVersion": API_VERSION, "kind": "ClusterRoleBinding", "metadata": {"name": name},
                 "roleRef": {"apiGroup": GROUP, "kind": "ClusterRole", "name": cr}}
    subjects = _subjects(ctx)
    if subjects:
        obj["subjects"] = subjects
    return _submit(ctx, obj)
