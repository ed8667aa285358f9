"""`apply -f` of several documents, as kubectl 1.32 goes through them (kubectl/pkg/cmd/apply/apply.go Run):

- the builder reads every file with ContinueOnError (cli-runtime resource/visitor.go StreamVisitor):
  a YAML/JSON syntax error ends that file's stream (the documents before it are kept), so does a
  client-side validation error (`error validating "f": ... kind not set`); a document whose kind
  has no mapping is reported and the stream goes on. These errors come first.
- then each object is applied on its own (applyOneObject): what the server refuses (a decode or
  strict-decoding error, an Invalid object, a conflict ...) is collected and the next object goes on;
  what succeeds is written and printed at once (`configmap/good created`, `-o name`).
- at the end one error is printed as kubectl prints it alone; several, one per line
  (utilerrors.NewAggregate + cmdutil.CheckErr's MultipleErrors); exit 1. With `-o yaml|json` the
  objects are printed only when nothing failed (printObjects runs in the post-processor, after
  the errors returned).

A document that fails leaves the store as it was; the others are written. A client dry run sends
nothing, so the server's checks (unknown fields, types) do not run and such documents print as
created, as kubectl prints them.
"""

from __future__ import annotations

from minikctl.api.errors import MinikctlError, UsageError


class Item:
    """One document to apply: the Document, its warnings, and the error the server would give
    it (a decode or strict-decoding error found while loading), raised when it is applied."""

    __slots__ = ("doc", "warnings", "error")

    def __init__(self, doc, warnings, error=None):
        self.doc, self.warnings, self.error = doc, warnings, error


def load_each(ctx, *, client_dry_run: bool) -> tuple[list[Item], list]:
    """(items, load errors) of every -f, in order; see the module's docstring."""
    from minikctl.api import manifest, schema
    from minikctl.api.manifest import ManifestError
    from minikctl.cli.manifests import decode, sources, validation_directive

    specs = ctx.opts.get("filename") or []
    if not specs:
        raise UsageError("must specify one of -f and -k")
    directive = validation_directive(ctx)
    items: list[Item] = []
    errors: list = []
    for label, data in sources(ctx, specs):
        for doc in manifest.iter_documents(data, label):
            if isinstance(doc, ManifestError):
                obj = getattr(doc, "obj", None)
                if directive == "Ignore" and isinstance(obj, dict) and obj.get("kind") is None:
                    # no schema check: the decoder's error (runtime.NewMissingKindErr), and the stream goes on
                    from minikctl.printers.structured import go_json

                    errors.append(UsageError(f"unable to decode {_q(doc.source)}: Object 'Kind' is missing in "
                                             f"'{go_json(obj, sort_keys=True, indent=None)}'"))
                    continue
                errors.append(doc)
                if directive != "Ignore" and doc.message.startswith("error validating "):
                    break  # StreamVisitor: ValidateSchema's error returns, ending this file
                continue
            warnings = decode(doc)
            error = None
            if not client_dry_run:
                try:
                    if directive == "Strict":
                        schema.raise_for(doc)
                    else:
                        dropped = schema.drop_unknown(doc)
                        if directive == "Warn":
                            warnings = list(warnings) + [f"Warning: {m}" for m in dropped]
                except MinikctlError as e:
                    error = e
            items.append(Item(doc, warnings, error))
    if not items and not errors:
        raise UsageError("no objects passed to " + ctx.p.path[0])
    return items, errors


def aggregate(errors: list) -> MinikctlError:
    """The error Run returns: one as it is, several as NewAggregate (each API error in its
    `Error from server (...)` form, an Invalid one too: StandardErrorMessage)."""
    from minikctl.cli.cmd_label import AggregateError

    if len(errors) == 1:
        return errors[0]
    return AggregateError([_in_aggregate(e) for e in errors])


def _in_aggregate(e):
    """An Invalid object alone is printed as `The ConfigMap "x" is invalid: ...` (CheckErr's
    IsInvalid case); inside an aggregate it is the server's message behind StandardErrorMessage's
    `Error from server (Invalid): error when creating "f": ConfigMap "x" is invalid: ...`
    (apimachinery errors.NewInvalid: the qualified kind; several causes in [a, b])."""
    from minikctl.api.errors import ApiError, Invalid, go_quote

    if not isinstance(e, Invalid):
        return e
    source = getattr(e, "apply_source", None)
    from minikctl.api import kinds as K

    k = K.by_kind(e.kind)
    kind = f"{e.kind}.{k.group}" if k is not None and k.group else e.kind
    causes = [str(x) for x in e.errors]
    what = causes[0] if len(causes) == 1 else "[" + ", ".join(causes) + "]"
    msg = f"{kind} {go_quote(e.name or '')} is invalid: {what}"
    if source:
        msg = f'error when {getattr(e, "apply_verb", "creating")} "{source}": {msg}'
    out = ApiError(msg)
    out.reason, out.code = "Invalid", 422
    return out


def _q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)
