"""minikctl delete: by name, by -l, --all, or -f."""

from __future__ import annotations

from minikctl.api.errors import NotFound, UsageError


def _deleted_name(kind, name: str) -> str:
    prefix = f"{kind.kind.lower()}.{kind.group}" if kind.group else kind.kind.lower()
    return f'{prefix} "{name}" deleted'


def run(ctx) -> int:
    from minikctl.cli.resources import parse_targets, resolve_kind

    o = ctx.opts
    if o.get("filename"):
        from minikctl.cli.manifests import load

        targets = []
        for doc, _ in load(ctx, strict=False):
            kind = resolve_kind(doc.obj.get("kind", ""))
            meta = doc.obj.get("metadata") or {}
            targets.append((kind, [meta.get("name", "")], meta.get("namespace")))
    else:
        if not ctx.args:
            raise UsageError("You must provide one or more resources by argument or filename.\n"
                             "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                             "   '<resource> <name>'\n   '<resource>'")
        targets = [(k, n, None) for k, n in parse_targets(ctx.args)]
        for kind, names, _ in targets:
            if names is None and not o.get("selector") and not o.get("all"):
                raise UsageError("resource(s) were provided, but no name was specified")
            if names is not None and (o.get("selector") or o.get("all")):
                raise UsageError("name cannot be provided when a selector is specified"
                                 if o.get("selector") else "--all cannot be used with names")
    session = ctx.session()
    selector = None
    if o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    lines: list[str] = []
    errors: list[str] = []
    all_ns = bool(o.get("all_namespaces"))
    with session.write() as api:
        for kind, names, file_ns in targets:
            ns = file_ns or ctx.namespace
            if names is None:
                objs = api.list(kind.plural, None if all_ns else (ns if kind.namespaced else None), selector=selector)
                todo = [(ob["metadata"].get("namespace", ""), ob["metadata"]["name"]) for ob in objs]
            else:
                todo = [(ns, n) for n in names]
            for tns, name in todo:
                try:
                    api.delete(kind.plural, tns, name)
                    lines.append(_deleted_name(kind, name))
                except NotFound as e:
                    if not o.get("ignore_not_found"):
                        errors.append(e.render())
    for line in lines:
        ctx.print(line)
    if not lines and not errors and (o.get("selector") or o.get("all")):
        ctx.warn("No resources found")
    for e in errors:
        ctx.warn(e)
    return 1 if errors else 0
