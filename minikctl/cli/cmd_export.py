"""minikctl cluster export|import (issue 13): manifests that apply unchanged to a real cluster
(the rules are minikctl.api.export's)."""

from __future__ import annotations

import os

from minikctl.api.errors import UsageError

CLUSTER_FILE = "00-cluster.yaml"  # export --file DIR/: namespaces and cluster-scoped objects, first by name


def _render(objs: list[dict], fmt: str) -> str:
    from minikctl.printers.structured import as_list, to_json, to_yaml

    if fmt == "json":
        list_ = as_list(objs)
        list_.pop("metadata")
        return to_json(list_)
    return "".join("---\n" + to_yaml(o) for o in objs)


def export(ctx) -> int:
    from minikctl.api.export import exported

    if ctx.args:
        raise UsageError("usage: minikctl cluster export [-n NS | -A] [-o yaml|json] [--file FILE|DIR]")
    fmt = ctx.opts.get("output") or "yaml"
    if fmt not in ("yaml", "json"):
        raise UsageError(f'invalid argument "{fmt}" for "-o, --output" flag: must be yaml or json')
    # the whole cluster unless -n names one namespace (-A says so explicitly)
    namespace = ctx.namespace if ctx.namespace_explicit and not ctx.opts.get("all_namespaces") else None
    session = ctx.session()
    with session.store.read():
        api = session.api
        if namespace is not None and api.try_get("namespaces", "", namespace) is None:
            raise UsageError(f'namespaces "{namespace}" not found')
        objs = exported(api, namespace)
    target = ctx.opts.get("file")
    if not target:
        ctx.out.write(_render(objs, fmt))
        return 0
    ext = "json" if fmt == "json" else "yaml"
    if target.endswith(os.sep) or os.path.isdir(target):
        groups: dict[str, list[dict]] = {}
        for o in objs:
            ns = o["metadata"].get("namespace") or ""
            groups.setdefault(f"{ns}.{ext}" if ns else CLUSTER_FILE.replace("yaml", ext), []).append(o)
        try:
            os.makedirs(target, exist_ok=True)
            for fname, group in sorted(groups.items()):
                _write(os.path.join(target, fname), _render(group, fmt))
        except OSError as e:
            raise UsageError(f"cannot write {target}: {e.strerror}") from None
        ctx.print(f"exported {len(objs)} objects to {target} ({len(groups)} files)")
        return 0
    try:
        _write(target, _render(objs, fmt))
    except OSError as e:
        raise UsageError(f"cannot write {target}: {e.strerror}") from None
    ctx.print(f"exported {len(objs)} objects to {target}")
    return 0


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def import_(ctx) -> int:
    """`kubectl apply -f` of the files, the documents in install order (namespaces first, whatever
    file they are in), in one transaction: all or nothing."""
    from minikctl.api.export import INSTALL_ORDER
    from minikctl.cli import cmd_apply
    from minikctl.cli.manifests import load

    if ctx.args:
        raise UsageError("usage: minikctl cluster import -f FILE|DIR")
    ctx.opts["recursive"] = False
    docs = load(ctx)
    order = {k: i for i, k in enumerate(INSTALL_ORDER)}
    docs.sort(key=lambda d: order.get((d[0].obj or {}).get("kind"), len(order)))  # stable: file order within a kind
    return cmd_apply.apply(ctx, docs=docs)
