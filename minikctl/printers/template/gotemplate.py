"""-o go-template / go-template-file / template / templatefile and --template, as kubectl prints
them: cli-runtime/pkg/genericclioptions/template_flags.go (GoTemplatePrintFlags.ToPrinter: which
format, reading the file, the parse error) and cli-runtime/pkg/printers/template.go
(GoTemplatePrinter: the template named "output", missingkey=default|error, and on an execution
error the debugging report written to the output after what the template had printed)."""

from __future__ import annotations

from minikctl.printers.template.errors import TemplateError
from minikctl.printers.template.govalues import go_json, go_quote

_FILE_FORMATS = ("go-template-file", "templatefile")


def template_text(fmt: str, ctx) -> str:
    """The template of `-o FORMAT=VALUE` (or --template), read from its file for the file
    formats; TemplateError as kubectl words it."""
    head, _, value = fmt.partition("=")
    opts = getattr(ctx, "opts", None) or {}
    if opts.get("template"):
        value = opts["template"]
    if not value:
        raise TemplateError("template format specified but no template given")
    if head in _FILE_FORMATS:
        try:
            with open(value, "rb") as f:
                value = f.read().decode("utf-8", "replace")
        except IsADirectoryError:
            raise TemplateError(f"error reading --template {value}, read {value}: is a directory") from None
        except OSError as e:
            msg = (e.strerror or str(e)).lower()
            raise TemplateError(f"error reading --template {value}, open {value}: {msg}") from None
    return value


def compile_template(text: str):
    """NewGoTemplatePrinter: the parsed template, or kubectl's parse error."""
    from minikctl.printers.gotemplate import Template, TemplateSyntaxError

    try:
        return Template(text, "output")
    except TemplateSyntaxError as e:
        raise TemplateError(f"error parsing template {text}, {e}") from None


def check(fmt: str, ctx) -> None:
    """PrintFlags.ToPrinter's part for templates, before anything is done: the template given,
    its file readable, its text parsed."""
    compile_template(template_text(fmt, ctx))


def render_fmt(fmt: str, data, ctx, raw: str | None = None) -> str:
    return render_gotemplate(template_text(fmt, ctx), data, ctx, raw)


def render_gotemplate(text: str, data, ctx, raw: str | None = None) -> str:
    """GoTemplatePrinter.PrintObj. On an error, what the template printed and kubectl's report
    go to the output (ctx.out) and TemplateError carries the `error: ...` line."""
    from minikctl.printers.gotemplate import ExecError
    from minikctl.printers.gotemplate.gofmt import sprint

    tmpl = compile_template(text)
    opts = getattr(ctx, "opts", None) or {}
    allow = opts.get("allow_missing_template_keys")
    missing_error = allow is not None and not allow
    try:
        return tmpl.execute(data, missing_error=missing_error)
    except ExecError as e:
        if raw is None:
            raw = go_json(data)
        report = (getattr(e, "partial", "")
                  + f"Error executing template: {e}. Printing more information for debugging the template:\n"
                  + f"\ttemplate was:\n\t\t{text}\n"
                  + f"\traw data was:\n\t\t{raw}\n"
                  + f"\tobject given to template engine was:\n\t\t{sprint([data])}\n\n")
        out = getattr(ctx, "out", None)
        if out is not None:
            out.write(report)
        raise TemplateError(f"error executing template {go_quote(text)}: {e}") from None
