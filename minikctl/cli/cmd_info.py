"""version, api-resources."""

from __future__ import annotations


def version(ctx) -> int:
    from minikctl import __version__
    from minikctl.api.errors import UsageError

    # kubectl 1.32 pkg/cmd/version/version.go: Complete refuses arguments, then Validate the output
    if ctx.args:
        raise UsageError(f"extra arguments: [{' '.join(ctx.args)}]")
    if ctx.opts.get("output") not in (None, "", "yaml", "json"):
        raise UsageError("--output must be 'yaml' or 'json'")
    # version.Info as kubectl 1.32 prints it (k8s.io/apimachinery/pkg/version/types.go field order);
    # the build fields are the emulated kube-apiserver's /version (minikctl/network/proxy.py)
    git = "v1.32.0"
    fmt = ctx.opts.get("output")
    data = {"clientVersion": _info(git), "kustomizeVersion": "v5.5.0"}
    if not ctx.opts.get("client"):
        s = ctx.session()
        data["serverVersion"] = _info(s.config["kubernetesVersion"])
    if fmt == "json":  # json.MarshalIndent(v, "", "  ")
        import json

        ctx.print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if fmt == "yaml":  # sigs.k8s.io/yaml (keys sorted), then Fprintln: a blank line after it
        from minikctl.printers.structured import to_yaml

        ctx.print(to_yaml(data))
        return 0
    ctx.print(f"Client Version: {git} (minikctl {__version__})")
    ctx.print("Kustomize Version: v5.5.0")
    if "serverVersion" in data:
        ctx.print(f"Server Version: {data['serverVersion']['gitVersion']} (emulated)")
    return 0


def _info(git: str) -> dict:
    from minikctl.api.version import version_info

    return version_info(git)


# The verbs kube-apiserver 1.32 lists for a resource in discovery: every served kind has the eight of a
# standard REST storage, except the kinds named here (pkg/registry/core/namespace: no deletecollection).
VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
_VERBS_EXCEPT = {"namespaces": ("create", "delete", "get", "list", "patch", "update", "watch")}


def verbs(plural: str) -> tuple[str, ...]:
    if plural.endswith("reviews"):  # the create-only review kinds (api/reviews.py)
        from minikctl.api import reviews

        if plural in reviews.PLURALS:
            return reviews.VERBS
    return _VERBS_EXCEPT.get(plural, VERBS)


def api_resources(ctx) -> int:
    """kubectl 1.32 pkg/cmd/apiresources/apiresources.go: Complete, Validate, RunAPIResources."""
    from minikctl.api import kinds as K
    from minikctl.api.errors import UsageError

    if ctx.args:
        raise UsageError(f"unexpected arguments: [{' '.join(ctx.args)}]\n"
                         "See 'minikctl api-resources -h' for help and examples")
    fmt = ctx.opts.get("output") or ""
    if fmt not in ("", "wide", "name"):
        raise UsageError(f"--output {fmt} is not available")
    sort_by = ctx.opts.get("sort_by") or ""
    if sort_by not in ("", "name", "kind"):
        raise UsageError("--sort-by accepts only name or kind")
    seen = ctx.p.flags_seen
    want_verbs = [v for item in ctx.opts.get("verbs") or () for v in item.split(",") if v]  # StringSlice: CSV
    want_cats = [c for c in ctx.opts.get("categories") or () if c]
    from minikctl.api import reviews

    rows = []
    stored_groups = {k.group for k in K.KINDS}
    # a group's preferred version only (kubectl lists discovery's preferred versions): the stored one, or
    # the only version of a group that has no stored kind (events.k8s.io)
    also = tuple(k for k in getattr(K, "ALSO_SERVED", ()) if k.group not in stored_groups)
    for k in (*K.KINDS, *reviews.KINDS, *also):
        if "api_group" in seen and (ctx.opts.get("api_group") or "") != k.group:
            continue
        if "namespaced" in seen and bool(ctx.opts.get("namespaced")) != k.namespaced:
            continue
        if want_verbs and not set(want_verbs) <= set(verbs(k.plural)):
            continue
        if want_cats and not set(want_cats) <= set(k.categories):
            continue
        rows.append(k)
    # sort.Stable by group (or name, kind), then name
    key = {"name": lambda k: (k.plural,), "kind": lambda k: (k.kind, k.plural)}.get(sort_by, lambda k: (k.group, k.plural))
    rows.sort(key=key)
    lines = []
    if not ctx.opts.get("no_headers") and fmt != "name":
        lines.append("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND" + ("\tVERBS\tCATEGORIES" if fmt == "wide" else ""))
    for k in rows:
        if fmt == "name":
            lines.append(k.group_resource)
            continue
        line = f"{k.plural}\t{','.join(k.short_names)}\t{k.api_version}\t{'true' if k.namespaced else 'false'}\t{k.kind}"
        if fmt == "wide":
            line += f"\t{','.join(verbs(k.plural))}\t{','.join(k.categories)}"
        lines.append(line)
    if not lines:
        return 0
    from minikctl.printers.table import TABLE_MINWIDTH, TABLE_PADDING, TABLE_TABWIDTH, tabwrite

    ctx.out.write(tabwrite("\n".join(lines) + "\n", TABLE_MINWIDTH, TABLE_TABWIDTH, TABLE_PADDING, " "))
    return 0
