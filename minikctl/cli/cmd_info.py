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
    return {"major": "1", "minor": git.split(".")[1], "gitVersion": git, "gitCommit": "", "gitTreeState": "clean",
            "buildDate": "2024-12-11T18:04:20Z", "goVersion": "go1.23.3", "compiler": "gc",
            "platform": "linux/amd64"}


def api_resources(ctx) -> int:
    from minikctl.api import kinds as K
    from minikctl.api.errors import UsageError

    # kubectl 1.32 pkg/cmd/apiresources/apiresources.go: Complete, then Validate
    if ctx.args:
        raise UsageError(f"unexpected arguments: [{' '.join(ctx.args)}]\n"
                         "See 'minikctl api-resources -h' for help and examples")
    if ctx.opts.get("output") not in (None, "", "wide", "name"):
        raise UsageError(f"--output {ctx.opts['output']} is not available")
    ns_filter = ctx.opts.get("namespaced")
    rows = []
    for k in sorted(K.KINDS, key=lambda k: (k.group, k.plural)):
        if ns_filter is not None and str(k.namespaced).lower() != str(ns_filter).lower() and not (
                ns_filter == "1" and k.namespaced):
            continue
        rows.append((k.plural, ",".join(k.short_names), k.api_version, "true" if k.namespaced else "false", k.kind))
    fmt = ctx.opts.get("output")
    if fmt == "name":
        for r, _, av, _, _ in rows:
            g = av.split("/")[0] if "/" in av else ""
            ctx.print(f"{r}.{g}" if g else r)
        return 0
    from minikctl.printers.table import Column, Row, Table, render_table

    table = Table([Column("NAME"), Column("SHORTNAMES"), Column("APIVERSION"), Column("NAMESPACED"), Column("KIND")],
                  [Row(list(r), {}) for r in rows])
    ctx.out.write(render_table(table, no_headers=bool(ctx.opts.get("no_headers"))))
    return 0
