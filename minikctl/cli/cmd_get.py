"""minikctl get: kubectl get's listing, tables and structured output."""

from __future__ import annotations

from minikctl.api.errors import NotFound, UsageError

PRINTER_FORMATS = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
                   "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml")


def check_output_format(ctx) -> str:
    """get's PrintFlags.ToPrinter (kubectl/pkg/cmd/get/get_flags.go): the printer's kind ("" for
    the table), or kubectl's error for a format, template or columns it cannot use."""
    o = ctx.opts
    if not o.get("template") and o.get("output") in (None, "", "wide", "yaml", "json", "name"):
        return o.get("output") or ""  # the usual cases, without importing the printers
    from minikctl.printers import output

    fmt = output.output_format(ctx)
    if fmt and fmt.lower() in ("json", "yaml", "name"):
        fmt = fmt.lower()
    kind = output.kind_of(fmt, ctx, output.GET_FORMATS)
    if kind in ("", "wide", "json", "yaml", "name"):
        return fmt
    output.check(ctx, output.GET_FORMATS)
    return output.normalized(fmt, ctx)


def run(ctx) -> int:
    from minikctl.cli.resources import parse_targets

    o = ctx.opts
    fmt = check_output_format(ctx)
    if o.get("output_watch_events") and not (o.get("watch") or o.get("watch_only")):  # GetOptions.Validate
        raise UsageError("--output-watch-events option can only be used with --watch or --watch-only")
    watching = o.get("watch") or o.get("watch_only")
    if o.get("filename"):
        from minikctl.cli.manifests import targets_from_files

        targets = targets_from_files(ctx)
    else:
        if not ctx.args and watching:  # get.go watch(): the builder's error, without Complete's notice
            raise UsageError("You must provide one or more resources by argument or filename.\nExample resource "
                             "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                             "'<resource> <name>'\n   '<resource>'")
        if not ctx.args:  # get.go: a notice on stderr, then cmdutil.UsageErrorf
            ctx.err.write('You must specify the type of resource to get. Use "minikctl api-resources" for a complete '
                          "list of supported resources.\n\n")
            raise UsageError('Required resource not specified.\nUse "minikctl explain <resource>" for a detailed '
                             "description of that resource (e.g. minikctl explain pods).\n"
                             "See 'minikctl get -h' for help and examples")
        targets = parse_targets(ctx.args)
    if watching:  # issue 12: get -w, --watch-only (cli/watching.py)
        from minikctl.cli import watching as W

        return W.run_get(ctx, fmt, targets)
    session = ctx.session()
    api = session.api
    all_ns = bool(o.get("all_namespaces"))
    ns = None if all_ns else ctx.namespace
    selector = None
    if o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    errors: list[str] = []
    groups = []  # (kind, objs, by_name)
    for kind, names in targets:
        if names is not None:
            found = api.list(kind.plural, ns if kind.namespaced else None, names=names)
            by = {ob["metadata"]["name"]: ob for ob in found}
            objs = []
            for n in names:
                if n in by:
                    objs.append(by[n])
                elif not o.get("ignore_not_found"):
                    errors.append(NotFound.of(kind.group_resource, n).render())
            if selector:
                objs = [ob for ob in objs if selector.matches(ob["metadata"].get("labels"))]
        else:
            objs = api.list(kind.plural, ns if kind.namespaced else None, selector=selector)
        if o.get("field_selector"):
            from minikctl.api import fields

            terms = fields.parse(o["field_selector"], kind.kind, kind.plural)
            objs = [ob for ob in objs if fields.matches(ob, terms)]
        table = fmt in (None, "", "wide")
        if o.get("sort_by") and table:  # each kind's table is sorted on its own (TableSorter)
            objs = sort_objects(objs, o["sort_by"], named=names is not None)
        groups.append((kind, objs, names is not None))
    all_objs = [ob for _, objs, _ in groups for ob in objs]
    if o.get("sort_by") and not table:  # -o json/yaml/name/jsonpath/...: all objects together (SortObjects)
        all_objs = sort_objects(all_objs, o["sort_by"], table=False)
    named = any(by_name for _, _, by_name in groups)
    # get.go printGeneric: one TYPE NAME implies a single item: its error alone, no empty List;
    # --ignore-not-found with nothing found prints nothing
    single_implied = len(targets) == 1 and len(targets[0][1] or ()) == 1 and not o.get("filename")
    if fmt and fmt != "wide" and ((single_implied and errors) or (o.get("ignore_not_found") and not all_objs)):
        pass
    elif fmt and fmt not in ("wide", "name"):
        single = len(all_objs) == 1 and named and len(targets) == 1 and len(targets[0][1] or ()) == 1
        data = all_objs[0] if single else _as_list(all_objs)  # nothing found: kubectl prints an empty List
        if fmt in ("json", "yaml") and not o.get("show_managed_fields"):
            # issue 14 (w-ssa): JSONYamlPrintFlags.ToPrinter wraps OmitManagedFieldsPrinter (json and yaml only)
            from minikctl.printers.structured import omit_managed_fields

            data = omit_managed_fields(data)
        ctx.out.write(_structured(fmt, data, all_objs, ctx))
    elif fmt == "name":
        from minikctl.printers.structured import name_of

        for ob in all_objs:
            ctx.print(name_of(ob))
    else:
        _tables(ctx, session, groups, all_ns, fmt == "wide")
        if not all_objs and not errors and not o.get("ignore_not_found"):  # get.go: not when ignoring NotFound
            _no_resources(ctx, all_ns, groups)
    for e in errors:
        ctx.warn(e)
    return 1 if errors else 0


def _as_list(objs):
    from minikctl.printers.structured import as_list

    return as_list(objs)


def _structured(fmt: str, data: dict, objs: list[dict], ctx) -> str:
    from minikctl.printers import structured

    if fmt == "yaml":
        return structured.to_yaml(data)
    if fmt == "json":
        return structured.to_json(data)
    from minikctl.printers import template

    return template.render(fmt, data, ctx)


def _no_resources(ctx, all_ns: bool, groups) -> None:
    if all_ns or not any(k.namespaced for k, _, _ in groups):
        ctx.warn("No resources found")
    else:
        ctx.warn(f"No resources found in {ctx.namespace} namespace.")


def _tables(ctx, session, groups, all_ns: bool, wide: bool) -> None:
    from minikctl.printers.columns import build_table
    from minikctl.printers.table import render_table

    now = session.clock.now()
    o = ctx.opts
    multi = len(groups) > 1 or bool(o.get("show_kind"))
    first = True
    for kind, objs, _ in groups:
        if not objs:
            continue
        table = build_table(kind.kind, objs, now)
        prefix = None
        if multi:
            prefix = f"{kind.kind.lower()}.{kind.group}" if kind.group else kind.kind.lower()
        label_cols = [c for lc in (o.get("label_columns") or []) for c in lc.split(",") if c]
        no_headers = bool(o.get("no_headers"))
        if not first and not no_headers:
            ctx.print()
        first = False
        ctx.out.write(render_table(table, wide=wide, no_headers=no_headers, namespace_column=all_ns and kind.namespaced,
                                   show_labels=bool(o.get("show_labels")), with_kind=prefix,
                                   label_columns=label_cols or None))


def sort_objects(objs: list[dict], expr: str, table: bool = True, named: bool = False) -> list[dict]:
    from minikctl.printers import template

    return template.sort_by(objs, expr, table=table, named=named)
