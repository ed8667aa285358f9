"""kubectl's template printers: -o jsonpath / jsonpath-file / jsonpath-as-json,
-o custom-columns / custom-columns-file, -o go-template / go-template-file / template /
templatefile, and --sort-by.

The parts: errors.py (printer errors, reading template files), govalues.py (Go's printing of
JSON values), jsonpath.py, custom_columns.py, gotemplate.py (the printer; the engine is
minikctl/printers/gotemplate/), sort.py.

No maintained Python library speaks kubectl's dialect (jsonpath-ng and friends do
RFC-style JSONPath; kubectl's is a text template with ``{...}`` actions,
``{range}``/``{end}``, quoted literals and its own slice and filter rules), so this
is a compact port of:

* k8s.io/client-go/util/jsonpath/parser.go (the parser, including its quirks: a
  ``['a.b']`` key is re-parsed as fields, so dots in keys need ``\\.``),
* k8s.io/client-go/util/jsonpath/jsonpath.go (FindResults with its range/end state
  machine, evalArray's bounds errors, filters, ``..``, ``*``, PrintResults),
* k8s.io/client-go/third_party/forked/golang/template/funcs.go (filter comparisons),
* k8s.io/cli-runtime/pkg/printers/jsonpath.go and kubectl/pkg/cmd/get/jsonpath_flags.go
  (error texts, allowMissingKeys=true for get),
* kubectl/pkg/cmd/get/customcolumn.go and customcolumn_flags.go,
* kubectl/pkg/cmd/get/sorter.go (RuntimeSort/TableSorter, isLess: numbers numerically,
  quantities by value, other strings bytewise, missing values first) sorted with Go's sort.Sort (pdqsort, src/sort/zsortinterface.go), so
  ties and missing values come out in kubectl's order.

Values are printed as kubectl prints unstructured JSON: maps and lists with Go's
encoding/json (sorted keys, ``<>&`` escaped), scalars with fmt.Print, custom columns
with fmt.Sprint (``map[k:v]``). Go map iteration is random; where kubectl walks a
map (``*``, ``..``) keys are taken in sorted order here.

Standard library only; imported only for these output formats.
"""

from __future__ import annotations

from minikctl.printers.template.errors import JSONPathError, TemplateError, _read_file
from minikctl.printers.template.govalues import (go_float_json, go_float_v, go_json, go_quote, go_sharp_v,
                                                 go_sprint, go_type)
from minikctl.printers.template.jsonpath import execute, parse, print_results, render_jsonpath

__all__ = ["render", "sort_by", "parse", "execute", "TemplateError", "JSONPathError", "relaxed", "go_json",
           "go_quote", "go_sharp_v", "go_sprint", "go_float_v", "go_float_json", "go_type", "print_results",
           "render_jsonpath", "render_custom_columns", "render_gotemplate", "_read_file"]

GO_TEMPLATE_FORMATS = ("go-template", "go-template-file", "template", "templatefile")
JSONPATH_FORMATS = ("jsonpath", "jsonpath-file", "jsonpath-as-json")


def render(fmt: str, data: dict, ctx, raw: str | None = None) -> str:
    """-o jsonpath=..., jsonpath-file=..., jsonpath-as-json=..., custom-columns=...,
    custom-columns-file=..., go-template=..., go-template-file=..., template=..., templatefile=...
    (`raw`: the object's JSON as kubectl marshals it, for go-template's error report)."""
    head, _, value = fmt.partition("=")
    if head.startswith("custom-columns"):
        return render_custom_columns(head, value, data, ctx)
    if head in GO_TEMPLATE_FORMATS:
        from minikctl.printers.template.gotemplate import render_fmt

        return render_fmt(fmt, data, ctx, raw)
    if not value:
        raise TemplateError("template format specified but no template given")
    if head == "jsonpath-file":
        value = _read_file(value, "--template")
    return render_jsonpath(value, data, output_json=head == "jsonpath-as-json",
                           allow_missing=_allow_missing(ctx))


def _allow_missing(ctx) -> bool:
    opts = getattr(ctx, "opts", None) or {}
    v = opts.get("allow_missing_template_keys")
    return True if v is None else bool(v)


def relaxed(expr: str) -> str:
    from minikctl.printers.template.custom_columns import relaxed as r

    return r(expr)


def render_custom_columns(head: str, value: str, data: dict, ctx) -> str:
    from minikctl.printers.template.custom_columns import render_custom_columns as r

    return r(head, value, data, ctx)


def render_gotemplate(text: str, data, ctx, raw: str | None = None) -> str:
    from minikctl.printers.template.gotemplate import render_gotemplate as r

    return r(text, data, ctx, raw)


def sort_by(objs: list[dict], expr: str, *, table: bool = True, named: bool = False) -> list[dict]:
    from minikctl.printers.template.sort import sort_by as s

    return s(objs, expr, table=table, named=named)


def __getattr__(name: str):
    # every name the one-module template.py had (T._Engine, T._text, T.go_sort ...), from its parts
    import importlib

    for part in ("jsonpath", "govalues", "errors", "custom_columns", "sort"):
        mod = importlib.import_module(f"minikctl.printers.template.{part}")
        if hasattr(mod, name):
            return getattr(mod, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
