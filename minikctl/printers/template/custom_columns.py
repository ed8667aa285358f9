"""-o custom-columns / custom-columns-file (kubectl/pkg/cmd/get/customcolumn.go and
customcolumn_flags.go)."""

from __future__ import annotations

import re

from minikctl.printers.template.errors import JSONPathError, TemplateError, _read_file
from minikctl.printers.template.govalues import go_sprint
from minikctl.printers.template.jsonpath import _Engine, parse

# customcolumn.go

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}\Z|^\.?([^{}]+)\Z")


def relaxed(expr: str) -> str:
    """RelaxedJSONPathExpression: metadata.name, .metadata.name, {metadata.name} -> {.metadata.name}."""
    if not expr:
        return expr
    m = _RELAXED.match(expr)
    if m is None:
        raise TemplateError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                            "'{name1.name2}' or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"


def _columns_from_spec(spec: str) -> list[tuple[str, str]]:
    cols = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise TemplateError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        cols.append((header, relaxed(path)))
    return cols


def _columns_from_template(text: str) -> list[tuple[str, str]]:
    lines = text.splitlines()
    if not lines:
        raise TemplateError("invalid template, missing header line. Expected format is one line of space "
                            "separated headers, one line of space separated column specs.")
    if len(lines) < 2:
        raise TemplateError("invalid template, missing spec line. Expected format is one line of space "
                            "separated headers, one line of space separated column specs.")
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise TemplateError(f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match")
    return [(h, relaxed(s)) for h, s in zip(headers, specs)]


def check(fmt: str) -> None:
    """CustomColumnsPrintFlags.ToPrinter: the columns given, and their spec (or file) readable."""
    head, _, value = fmt.partition("=")
    if not value:
        raise TemplateError("custom-columns format specified but no custom columns given")
    if head == "custom-columns-file":
        _columns_from_template(_read_file(value, "template"))
    else:
        _columns_from_spec(value)


def render_custom_columns(head: str, value: str, data: dict, ctx) -> str:
    from minikctl.printers.table import TABLE_MINWIDTH, TABLE_PADDING, TABLE_TABWIDTH, escape_terminal, tabwrite

    if not value:
        raise TemplateError("custom-columns format specified but no custom columns given")
    if head == "custom-columns-file":
        columns = _columns_from_template(_read_file(value, "template"))
        no_headers = False  # NewCustomColumnsPrinterFromTemplate ignores --no-headers
    else:
        columns = _columns_from_spec(value)
        opts = getattr(ctx, "opts", None) or {}
        no_headers = bool(opts.get("no_headers"))
    lines = []
    if not no_headers:
        lines.append("\t".join(h for h, _ in columns))

    def flush() -> str:
        if not lines:
            return ""
        return tabwrite("\n".join(lines) + "\n", TABLE_MINWIDTH, TABLE_TABWIDTH, TABLE_PADDING, " ")

    try:
        engines = [_Engine(parse(spec), True) for _, spec in columns]
        items = data["items"] if isinstance(data, dict) and data.get("kind") == "List" and "items" in data else [data]
        for obj in items:
            cells = []
            for eng in engines:
                values = eng.find_results(obj)
                strs = ["<none>"] if not values or not values[0] else []
                for vs in values:
                    strs.extend(escape_terminal(go_sprint(v)) for v in vs)
                cells.append(",".join(strs))
            lines.append("\t".join(cells))
    except JSONPathError as e:
        # the tabwriter is flushed (deferred) even when printing fails
        out = getattr(ctx, "out", None)
        if out is not None:
            out.write(flush())
        raise TemplateError(str(e)) from None
    return flush()
