"""auth reconcile -f: kubectl's reconcile (staging/src/k8s.io/kubectl/pkg/cmd/auth/reconcile.go) over
pkg/registry/rbac/reconciliation (reconcile_role.go, reconcile_rolebindings.go) and the rule comparison of
pkg/registry/rbac/validation/policy_comparator.go (Covers): missing rules and subjects are added (or, with
--remove-extra-permissions / --remove-extra-subjects, the object is set to the file's), labels and annotations
merged, a binding whose roleRef changed is deleted and created again, and an object annotated
rbac.authorization.kubernetes.io/autoupdate=false is left alone."""

from __future__ import annotations

from minikctl.api.errors import UsageError

RBAC = {"Role": "roles", "ClusterRole": "clusterroles", "RoleBinding": "rolebindings",
        "ClusterRoleBinding": "clusterrolebindings"}
AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate"


def _l(rule: dict, key: str) -> list:
    v = rule.get(key) if isinstance(rule, dict) else None
    return v if isinstance(v, list) else []


def _breakdown(rule: dict) -> list[dict]:
    """validation.BreakdownRule: one verb, group, resource (and name) per rule."""
    out = []
    for g in _l(rule, "apiGroups"):
        for r in _l(rule, "resources"):
            for v in _l(rule, "verbs"):
                names = _l(rule, "resourceNames")
                if names:
                    for n in names:
                        out.append({"apiGroups": [g], "resources": [r], "verbs": [v], "resourceNames": [n]})
                else:
                    out.append({"apiGroups": [g], "resources": [r], "verbs": [v]})
    for u in _l(rule, "nonResourceURLs"):
        for v in _l(rule, "verbs"):
            out.append({"nonResourceURLs": [u], "verbs": [v]})
    return out


def _resource_covers(owner: list, sub: list) -> bool:
    if "*" in owner:
        return True
    for r in sub:
        if r in owner:
            continue
        if isinstance(r, str) and "/" in r and "*/" + r.split("/", 1)[1] in owner:
            continue
        return False
    return True


def _url_covers(owner: list, sub: list) -> bool:
    for u in sub:
        if not any(o == "*" or o == u or (isinstance(o, str) and o.endswith("*") and u.startswith(o[:-1]))
                   for o in owner):
            return False
    return True


def _rule_covers(owner: dict, sub: dict) -> bool:
    verbs, groups = _l(owner, "verbs"), _l(owner, "apiGroups")
    names = _l(owner, "resourceNames")
    verb_ok = "*" in verbs or all(v in verbs for v in _l(sub, "verbs"))
    group_ok = "*" in groups or all(g in groups for g in _l(sub, "apiGroups"))
    if _l(sub, "resourceNames"):
        name_ok = not names or all(n in names for n in _l(sub, "resourceNames"))
    else:
        name_ok = not names
    return (verb_ok and group_ok and _resource_covers(_l(owner, "resources"), _l(sub, "resources"))
            and name_ok and _url_covers(_l(owner, "nonResourceURLs"), _l(sub, "nonResourceURLs")))


def uncovered(owner_rules: list, servant_rules: list) -> list[dict]:
    """validation.Covers: the broken-down servant rules no owner rule covers."""
    out = []
    for rule in servant_rules:
        for sub in _breakdown(rule):
            if not any(_rule_covers(o, sub) for o in owner_rules if isinstance(o, dict)):
                out.append(sub)
    return out


def _merge(expected, existing):
    """merge(): the existing values win."""
    if expected is None and existing is None:
        return None
    return {**(expected or {}), **(existing or {})}


def _go_rule(r: dict) -> str:
    from minikctl.api.rbac import go_list

    return (f"{{Verbs:{go_list(r.get('verbs'))} APIGroups:{go_list(r.get('apiGroups'))} "
            f"Resources:{go_list(r.get('resources'))} ResourceNames:{go_list(r.get('resourceNames'))} "
            f"NonResourceURLs:{go_list(r.get('nonResourceURLs'))}}}")


def _go_subject(s: dict) -> str:
    return (f"{{Kind:{s.get('kind') or ''} APIGroup:{s.get('apiGroup') or ''} Name:{s.get('name') or ''} "
            f"Namespace:{s.get('namespace') or ''}}}")


def _subject_key(s) -> tuple:
    s = s if isinstance(s, dict) else {}
    return (s.get("kind") or "", s.get("apiGroup") or "", s.get("name") or "", s.get("namespace") or "")


def reconcile(ctx) -> int:
    from minikctl.api.server import clone
    from minikctl.cli.cmd_apply import _dry, _target_ns
    from minikctl.cli.manifests import load
    from minikctl.cli.resources import resolve_kind
    from minikctl.printers.structured import name_of

    if ctx.args:
        raise UsageError("no arguments are allowed")
    dry = _dry(ctx)
    if dry == "server":
        raise UsageError("--dry-run=server for command reconcile is not supported yet")
    docs = load(ctx)
    remove_perms, remove_subjects = ctx.opts.get("remove_extra_permissions"), ctx.opts.get("remove_extra_subjects")
    session = ctx.session()
    lines: list[tuple[str, list[str]]] = []
    with session.write(dry_run=bool(dry)) as api:
        for doc, _ in docs:
            want = doc.obj
            if want.get("kind") not in RBAC:
                continue  # skipping: only RBAC objects are reconciled
            if want.get("apiVersion") != "rbac.authorization.k8s.io/v1":
                raise UsageError(f"only rbac.authorization.k8s.io/v1 is supported: not *{want.get('apiVersion', '').split('/')[-1]}"
                                 f".{want['kind']}")
            kind = resolve_kind(want["kind"])
            ns = _target_ns(ctx, want, kind)
            want = clone(want)
            meta = want.setdefault("metadata", {})
            if kind.namespaced:
                meta["namespace"] = ns
            name = meta.get("name") or ""
            existing = api.try_get(kind.plural, ns, name)
            err: list[str] = []
            if want["kind"] in ("Role", "ClusterRole"):
                result, op, missing, extra, protected = _reconcile_role(want, existing, remove_perms)
            else:
                result, op, missing, extra, protected = _reconcile_binding(want, existing, remove_subjects)
            if not protected:
                if op == "create":
                    if kind.namespaced and api.try_get("namespaces", "", ns) is None:
                        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
                    result = api.create(result, namespace=ns or None)
                elif op == "update":
                    result = api.update(result)
                elif op == "recreate":
                    api.delete(kind.plural, ns, name)
                    result = api.create(result, namespace=ns or None)
            caveat = ", but object opted out (rbac.authorization.kubernetes.io/autoupdate: false)" if protected else ""
            if op != "none":
                err.append(f"\treconciliation required {op}{caveat}")
                is_binding = want["kind"].endswith("Binding")
                if missing:
                    err.append(f"\tmissing {'subjects' if is_binding else 'rules'} added:")
                    err += ["\t\t" + (_go_subject(x) if is_binding else _go_rule(x)) for x in missing]
                if extra and (remove_subjects if is_binding else remove_perms):
                    err.append(f"\textra {'subjects' if is_binding else 'rules'} removed:")
                    err += ["\t\t" + (_go_subject(x) if is_binding else _go_rule(x)) for x in extra]
            lines.append((name_of(result) + (" reconciled (dry run)" if dry else " reconciled"), err))
    for out, err in lines:
        ctx.out.write(out + "\n")
        for e in err:
            ctx.err.write(e + "\n")
    return 0


def _labels_annotations(result: dict, want: dict, existing: dict) -> bool:
    """Merge the expected labels and annotations in; True when that changed them."""
    changed = False
    m, wm, em = result.setdefault("metadata", {}), want.get("metadata") or {}, existing.get("metadata") or {}
    for key in ("annotations", "labels"):
        merged = _merge(wm.get(key), em.get(key))
        if merged is not None:
            m[key] = merged
        if (merged or None) != (em.get(key) or None):
            changed = True
    return changed


def _reconcile_role(want: dict, existing: dict | None, remove: bool):
    from minikctl.api.server import clone

    want_rules = [r for r in (want.get("rules") or []) if isinstance(r, dict)]
    if existing is None:
        return want, "create", want_rules, [], False
    protected = ((existing.get("metadata") or {}).get("annotations") or {}).get(AUTOUPDATE) == "false"
    result = clone(existing)
    op = "update" if _labels_annotations(result, want, existing) else "none"
    have = [r for r in (existing.get("rules") or []) if isinstance(r, dict)]
    extra = uncovered(want_rules, have) if (want.get("aggregationRule") is None or
                                            existing.get("aggregationRule") is None) else []
    missing = uncovered(have, want_rules)
    if not remove and missing:
        result["rules"] = have + missing
        op = "update"
    elif remove and (missing or extra):
        result["rules"] = want_rules
        op = "update"
    if want.get("aggregationRule") is not None and existing.get("aggregationRule") is None:
        result["aggregationRule"] = want["aggregationRule"]
        op = "update"
    return result, op, missing, extra, protected


def _reconcile_binding(want: dict, existing: dict | None, remove: bool):
    from minikctl.api.server import clone

    want_subjects = [s for s in (want.get("subjects") or []) if isinstance(s, dict)]
    if existing is None:
        return want, "create", want_subjects, [], False
    protected = ((existing.get("metadata") or {}).get("annotations") or {}).get(AUTOUPDATE) == "false"
    ref_keys = ("apiGroup", "kind", "name")
    if any(((want.get("roleRef") or {}).get(k) or "") != ((existing.get("roleRef") or {}).get(k) or "")
           for k in ref_keys):
        return want, "recreate", [], [], protected
    result = clone(existing)
    op = "update" if _labels_annotations(result, want, existing) else "none"
    have = [s for s in (existing.get("subjects") or []) if isinstance(s, dict)]
    have_keys = {_subject_key(s) for s in have}
    want_keys = {_subject_key(s) for s in want_subjects}
    missing = [s for s in want_subjects if _subject_key(s) not in have_keys]
    extra = [s for s in have if _subject_key(s) not in want_keys]
    if not remove and missing:
        result["subjects"] = have + missing
        op = "update"
    elif remove and (missing or extra):
        result["subjects"] = want_subjects
        op = "update"
    return result, op, missing, extra, protected
