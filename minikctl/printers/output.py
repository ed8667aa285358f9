"""Printing the objects a command created or changed, as kubectl's genericclioptions.PrintFlags
does for create, run, expose, apply, replace, label, annotate, patch, scale, taint, set, rollout,
... (cli-runtime/pkg/genericclioptions/print_flags.go, json_yaml_flags.go, name_flags.go,
jsonpath_flags.go, template_flags.go; cli-runtime/pkg/printers/yaml.go, json.go, name.go).

    check(ctx)                  # PrintFlags.ToPrinter, before the command does anything
    p = Printer(ctx, "created", dry)
    p.print(obj, typed=True)    # once per object, as kubectl calls PrintObj

`typed`: the object is one kubectl built itself from a Go struct (generators of create, run,
expose), so -o json writes its keys in the struct's field order; objects read from files or the
server are unstructured and written with sorted keys.
"""

from __future__ import annotations

from minikctl.api.errors import UsageError

# PrintFlags.AllowedFormats for these commands, sorted as the error lists them
PRINT_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "name",
                 "template", "templatefile", "yaml")
# get's (kubectl/pkg/cmd/get/get_flags.go): those, custom columns and the human-readable tables
GET_FORMATS = PRINT_FORMATS + ("custom-columns", "custom-columns-file", "wide")
_JSONPATH = ("jsonpath", "jsonpath-file", "jsonpath-as-json")
_GOTEMPLATE = ("go-template", "go-template-file", "template", "templatefile")
_COLUMNS = ("custom-columns", "custom-columns-file")


def output_format(ctx) -> str:
    """-o's value; with --template and no -o, go-template (kubectl's backwards compatibility)."""
    opts = ctx.opts
    fmt = opts.get("output") or ""
    p = getattr(ctx, "p", None)
    seen = getattr(p, "flags_seen", None)
    if opts.get("template") and (("output" not in seen) if seen is not None else not fmt):
        return "go-template"
    return fmt


def no_printer(fmt: str, allowed=PRINT_FORMATS) -> UsageError:
    from minikctl.printers.template.govalues import go_quote

    return UsageError(f"unable to match a printer suitable for the output format {go_quote(fmt)}, "
                      f"allowed formats are: {','.join(sorted(allowed))}")


def kind_of(fmt: str, ctx=None, allowed=PRINT_FORMATS) -> str | None:
    """Which printer a format picks (json, yaml, name, jsonpath, go-template, custom-columns,
    wide, or "" for the default printer); None when no printer takes it. json, yaml and name
    are matched whatever their case, as kubectl lowercases them."""
    if fmt == "":
        return ""
    low = fmt.lower()
    if low in ("json", "yaml", "name"):
        return low
    if fmt == "wide" and "wide" in allowed:
        return "wide"
    template_arg = bool(ctx is not None and ctx.opts.get("template"))
    head = fmt.split("=", 1)[0]
    for kind, heads in (("jsonpath", _JSONPATH), ("go-template", _GOTEMPLATE), ("custom-columns", _COLUMNS)):
        if heads[0] not in allowed:
            continue
        if template_arg:
            if fmt in heads:
                return kind
        elif head in heads and (fmt == head or "=" in fmt):
            return kind
    return None


def _template_of(fmt: str, ctx) -> str:
    from minikctl.printers.template.errors import TemplateError

    value = ctx.opts.get("template") or fmt.partition("=")[2]
    if not value:
        raise TemplateError("template format specified but no template given")
    return value


def check(ctx, allowed=PRINT_FORMATS) -> None:
    """PrintFlags.ToPrinter: refuse a format these commands cannot print, and a template that
    is missing, unreadable or does not parse, before anything is changed."""
    fmt = output_format(ctx)
    k = kind_of(fmt, ctx, allowed)
    if k is None:
        raise no_printer(fmt, allowed)
    if k == "custom-columns":
        from minikctl.printers.template.custom_columns import check as check_columns

        check_columns(normalized(fmt, ctx))
    elif k == "jsonpath":
        from minikctl.printers import template as T

        head = fmt.split("=", 1)[0]
        text = _template_of(fmt, ctx)
        if head == "jsonpath-file":
            text = T._read_file(text, "--template")
        try:
            T.parse(text)
        except T.JSONPathError as e:
            raise T.TemplateError(f"error parsing jsonpath {text}, {e}") from None
    elif k == "go-template":
        from minikctl.printers.template import gotemplate

        gotemplate.check(normalized(fmt, ctx), ctx)


def normalized(fmt: str, ctx) -> str:
    """FORMAT=TEMPLATE, the template taken from --template when it is given."""
    head = fmt.split("=", 1)[0]
    if ctx.opts.get("template"):
        return head + "=" + ctx.opts["template"]
    return fmt


class Printer:
    """One printer for a command's run (the YAML printer counts documents to put --- between them)."""

    def __init__(self, ctx, operation: str = "", dry_suffix: str = ""):
        self.ctx = ctx
        self.fmt = output_format(ctx)
        self.kind = kind_of(self.fmt, ctx)
        self.operation = operation
        self.dry_suffix = dry_suffix
        self.count = 0

    @property
    def prints_objects(self) -> bool:
        """Whether whole objects are printed (not only kind/name lines)."""
        return self.kind not in ("", "name")

    def print(self, obj: dict, *, typed: bool = False, operation: str | None = None) -> None:
        from minikctl.printers import structured

        out = self.ctx.out
        k = self.kind
        self.count += 1
        if k in ("json", "yaml") and not self.ctx.opts.get("show_managed_fields"):  # issue 14 (w-ssa): as JSONYamlPrintFlags
            obj = structured.omit_managed_fields(obj)
        if k == "":
            op = self.operation if operation is None else operation
            name = structured.name_of(obj)
            out.write(f"{name} {op}{self.dry_suffix}\n" if op else name + "\n")
        elif k == "name":
            out.write(structured.name_of(obj) + "\n")
        elif k == "json":
            out.write(structured.to_json(obj, typed=typed))
        else:
            if typed:  # what kubectl marshals: the Go struct, with its zero values
                obj = structured.typed_order(obj)
            if k == "yaml":
                if self.count > 1:
                    out.write("---\n")
                out.write(structured.to_yaml(obj))
                return
            from minikctl.printers import template

            raw = None
            if k == "go-template" and typed:
                import json

                raw = structured.go_escape(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
            out.write(template.render(normalized(self.fmt, self.ctx), obj, self.ctx, raw))
