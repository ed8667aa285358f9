"""minikctl label / annotate (kubectl/pkg/cmd/label/label.go, annotate/annotate.go).

Also the pieces label, annotate, patch and edit share: choosing objects the way
kubectl's resource.Builder does (TYPE NAME..., TYPE/NAME, -l, --all, -A, -f), and
kubectl's ContinueOnError reporting (every object is tried; the errors come last).
"""

from __future__ import annotations

import re

from minikctl.api.errors import ApiError, MinikctlError, NotFound, UsageError

# ---------------------------------------------------------------------------
# shared: errors collected while visiting objects (utilerrors.Aggregate + cmdutil.CheckErr)


class AggregateError(MinikctlError):
    """Errors of several objects: one is printed as kubectl prints it alone; several go one
    per line without the "error: " prefix (cmdutil.MultipleErrors)."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__("; ".join(_plain(e) for e in errors))

    def render(self) -> str:
        if len(self.errors) == 1:
            e = self.errors[0]
            if isinstance(e, list):
                return "\n".join(_message(x) for x in e)
            return e.render() if isinstance(e, MinikctlError) else f"error: {e}"
        return "\n".join(_message(e) for e in self.errors)


def _plain(e) -> str:
    if isinstance(e, list):
        return "[" + ", ".join(_plain(x) for x in e) + "]"
    return e.message if isinstance(e, ApiError) else str(e)


def _message(e) -> str:
    """messageForError: API errors as kubectl words them, anything else as is."""
    if isinstance(e, list):
        return _plain(e)
    if isinstance(e, ApiError):
        return e.render()
    if isinstance(e, MinikctlError):
        text = e.render()
        return text[len("error: "):] if text.startswith("error: ") else text
    return str(e)


def raise_collected(errors: list) -> None:
    if errors:
        raise AggregateError(errors)


# ---------------------------------------------------------------------------
# shared: resource.Builder's choice of objects


class Target:
    __slots__ = ("kind", "namespace", "name", "obj")

    def __init__(self, kind, namespace: str, name: str, obj: dict | None = None):
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.obj = obj


def select(ctx, api, resources: list[str], *, allow_empty_selector: bool, errors: list,
           use_selectors: bool = True) -> tuple[list[Target], bool]:
    """The objects named by -f, TYPE NAME..., TYPE/NAME or TYPE with -l/--all/--field-selector.

    Returns (targets with their live objects, single_item_implied). Objects that do not
    exist add a NotFound to `errors` (kubectl goes on with the others). Argument errors
    are raised at once, before anything is changed."""
    from minikctl.api import kinds as K
    from minikctl.cli.resources import parse_targets, resolve_kind

    o = ctx.opts
    all_ns = bool(o.get("all_namespaces")) and use_selectors
    found: list[Target] = []
    if o.get("filename"):
        from minikctl.cli.manifests import load

        wanted = []
        for doc, _ in load(ctx, strict=False):
            kind = resolve_kind(doc.obj.get("kind", ""))
            meta = doc.obj.get("metadata") or {}
            ns = (meta.get("namespace") or ctx.namespace) if kind.namespaced else ""
            if kind.namespaced and meta.get("namespace") and ctx.namespace_explicit and meta["namespace"] != ctx.namespace:
                raise UsageError(f'the namespace from the provided object "{meta["namespace"]}" does not match the '
                                 f'namespace "{ctx.namespace}". You must pass \'--namespace={meta["namespace"]}\' to '
                                 'perform this operation.')
            wanted.append(Target(kind, ns, meta.get("name") or ""))
        if resources:
            raise UsageError("Unexpected args: " + "[" + " ".join(resources) + "]")
        single = len(wanted) == 1
    else:
        if not resources:
            return [], False
        groups = parse_targets(resources, allow_all=False)
        selector_given = use_selectors and (o.get("selector") or o.get("field_selector"))
        wanted = []
        single = False
        for kind, names in groups:
            if names is not None:
                if selector_given:
                    raise UsageError("name cannot be provided when a selector is specified")
                if all_ns:
                    raise UsageError("a resource cannot be retrieved by name across all namespaces")
                wanted += [Target(kind, ctx.namespace if kind.namespaced else "", n) for n in names]
            elif not (selector_given or (allow_empty_selector and o.get("all"))):
                raise UsageError("resource(s) were provided, but no name was specified")
            else:
                wanted.append(Target(kind, "", "", None))  # a list request
        single = len(wanted) == 1 and wanted[0].name != ""
    selector = None
    if use_selectors and o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    for t in wanted:
        if t.name:
            obj = api.try_get(t.kind.plural, t.namespace, t.name)
            if obj is None:
                errors.append(NotFound.of(t.kind.group_resource, t.name))
                continue
            t.obj = obj
            found.append(t)
            continue
        ns = None if all_ns or not t.kind.namespaced else ctx.namespace
        objs = api.list(t.kind.plural, ns, selector=selector)
        if use_selectors and o.get("field_selector"):
            from minikctl.api import fields

            terms = fields.parse(o["field_selector"], t.kind.kind, t.kind.plural)
            objs = [ob for ob in objs if fields.matches(ob, terms)]
        for ob in objs:
            meta = ob["metadata"]
            found.append(Target(K.by_kind(ob["kind"]) or t.kind, meta.get("namespace", ""), meta["name"], ob))
    return found, single


def resources_and_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: resources first, then KEY=VALUE / KEY- pairs."""
    resources, pairs = [], []
    found_pair = False
    for s in args:
        non_resource = ("=" in s and not s.startswith("=")) or (s.endswith("-") and s != "-")
        if non_resource:
            found_pair = True
            pairs.append(s)
        elif found_pair:
            raise UsageError(f"all resources must be specified before {pair_type} changes: {s}")
        else:
            resources.append(s)
    return resources, pairs


# ---------------------------------------------------------------------------
# label / annotate

# k8s.io/apimachinery/pkg/util/validation: IsValidLabelValue
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_LABEL_VALUE_ERR = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def _label_value_errors(v: str) -> list[str]:
    errs = []
    if len(v) > 63:
        errs.append("must be no more than 63 characters")
    if not _LABEL_VALUE.match(v):
        errs.append(_LABEL_VALUE_ERR)
    return errs


def _parse_labels(specs: list[str]) -> tuple[dict, list[str]]:
    """label.go parseLabels."""
    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise UsageError(f"invalid label spec: {spec}")
            errs = _label_value_errors(parts[1])
            if errs:
                from minikctl.printers.template import go_quote

                raise UsageError(f"invalid label value: {go_quote(spec)}: {';'.join(errs)}")
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise UsageError(f"unknown label spec: {spec}")
    for r in remove:
        if r in labels:
            raise UsageError("can not both modify and remove a label in the same command")
    return labels, remove


def _parse_pairs(specs: list[str], pair_type: str) -> tuple[dict, list[str]]:
    """cmdutil.ParsePairs(..., supportRemove=true)."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            k, _, v = spec.partition("=")
            new[k] = v
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise UsageError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return new, remove


def label(ctx) -> int:
    return _run(ctx, "labels")


def annotate(ctx) -> int:
    return _run(ctx, "annotations")


def _run(ctx, field: str) -> int:
    from minikctl.cli.cmd_apply import _dry

    o = ctx.opts
    is_label = field == "labels"
    pair_type = "label" if is_label else "annotation"
    fmt = o.get("output")
    if not is_label:
        # annotate.go ToOptions: the printer is made once, before anything else is looked at
        from minikctl.printers import output

        _dry(ctx)
        output.check(ctx)
    if not is_label and o.get("list") and fmt:
        raise UsageError("--list and --output may not be specified together")
    resources, pair_args = resources_and_pairs(ctx.args, pair_type)
    if is_label:
        new, remove = _parse_labels(pair_args)
        if o.get("list") and fmt:
            raise UsageError("--list and --output may not be specified together")
    else:
        new, remove = _parse_pairs(pair_args, pair_type)
    dry = _dry(ctx)
    if o.get("all") and o.get("selector"):
        raise UsageError("cannot set --all and --selector at the same time")
    if o.get("all") and o.get("field_selector"):
        raise UsageError("cannot set --all and --field-selector at the same time")
    if o.get("local"):
        if dry == "server":
            raise UsageError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
        if resources:
            raise UsageError(f"can only use local files by -f {'pod.yaml' if is_label else 'rsrc.yaml'} or "
                             f"--filename={'pod.json' if is_label else 'rsrc.json'} when --local=true is set")
        if not o.get("filename"):
            raise UsageError(f"one or more files must be specified as -f {'pod.yaml' if is_label else 'rsrc.yaml'} "
                             f"or --filename={'pod.json' if is_label else 'rsrc.json'}")
    elif not resources and not o.get("filename"):
        raise UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not new and not remove and not o.get("list"):
        raise UsageError(f"at least one {pair_type} update is required")
    if not is_label:
        both = [r for r in remove if r in new]
        if both:
            raise UsageError("can not both modify and remove the following annotation(s) in the same command: "
                             + ", ".join(both))
    if o.get("local"):
        return _run_local(ctx, field, new, remove, dry)
    session = ctx.session()
    errors: list = []
    out: list[tuple[str, dict | None, str]] = []  # (kind of line, object, text)
    local_only = dry == "client" or bool(o.get("list"))
    with session.write(dry_run=dry == "server") as api:
        targets, single = select(ctx, api, resources, allow_empty_selector=True, errors=errors)
        if not single and o.get("resource_version"):
            raise UsageError("--resource-version may only be used with a single resource")
        for t in targets:
            obj = t.obj
            before = _size(obj)
            if not local_only:
                for r in remove:
                    if is_label and r not in ((obj["metadata"].get("labels")) or {}):
                        from minikctl.printers.template import go_quote

                        out.append(("text", None, f"label {go_quote(r)} not found."))
            try:
                changed = _apply(obj, field, new, remove, bool(o.get("overwrite")), is_label)
            except _Overwrite as e:
                errors.append(e.errors if len(e.errors) > 1 else e.errors[0])
                continue
            if o.get("resource_version"):
                obj["metadata"]["resourceVersion"] = o["resource_version"]
            msg = _change_message(is_label, before, _size(obj), bool(o.get("overwrite")))
            if local_only:
                out.append(("obj", obj, msg))
                continue
            try:
                updated = api.update(obj, check_rv=bool(o.get("resource_version"))) if changed else obj
            except ApiError as e:
                errors.append(e)
                continue
            out.append(("obj", obj if is_label else updated, msg))
        api_warnings = list(api.warnings)
    _print(ctx, out, field, single, dry, errors)
    for w in api_warnings:
        ctx.warn(w if w.startswith("Warning:") else f"Warning: {w}")
    raise_collected(errors)
    return 0


def _run_local(ctx, field: str, new: dict, remove: list[str], dry) -> int:
    from minikctl.cli.manifests import load

    is_label = field == "labels"
    out = []
    errors: list = []
    docs = load(ctx, strict=False)
    for doc, _ in docs:
        obj = doc.obj
        obj.setdefault("metadata", {})
        before = _size(obj)
        try:
            _apply(obj, field, new, remove, bool(ctx.opts.get("overwrite")), is_label)
        except _Overwrite as e:
            errors.append(e.errors if len(e.errors) > 1 else e.errors[0])
            continue
        out.append(("obj", obj, _change_message(is_label, before, _size(obj), bool(ctx.opts.get("overwrite")))))
    _print(ctx, out, field, len(docs) == 1, dry, errors)
    raise_collected(errors)
    return 0


class _Overwrite(Exception):
    def __init__(self, errors: list):
        super().__init__(errors)
        self.errors = errors


def _apply(obj: dict, field: str, new: dict, remove: list[str], overwrite: bool, is_label: bool) -> bool:
    """labelFunc / updateAnnotations. Returns whether the map changed."""
    meta = obj.setdefault("metadata", {})
    current = dict(meta.get(field) or {})
    if not overwrite:
        if is_label:
            conflicts = [UsageError(f"'{k}' already has a value ({current[k]}), and --overwrite is false")
                         for k in sorted(new) if k in current and current[k] != new[k]]
            if conflicts:
                raise _Overwrite(conflicts)
        else:
            found = [f"'{k}' already has a value ({current[k]})" for k in sorted(new)
                     if k in current and current[k] != new[k] and k != "kubernetes.io/change-cause"]
            if found:
                raise _Overwrite([UsageError("--overwrite is false but found the following declared annotation(s): "
                                             + "; ".join(found))])
    updated = dict(current)
    updated.update(new)
    for r in remove:
        updated.pop(r, None)
    if updated == current and (field in meta or not updated):
        return False
    meta[field] = updated
    return True


def _size(obj: dict) -> str:
    """The object as json.Marshal writes it (updateDataChangeMsg compares these bytes)."""
    from minikctl.printers.template import go_json

    return go_json(obj)


def _change_message(is_label: bool, before: str, after: str, overwrite: bool) -> str:
    """label.go updateDataChangeMsg (annotate always says "annotated")."""
    if not is_label:
        return "annotated"
    if before == after:
        return "not labeled"
    if not overwrite and len(after) < len(before):
        return "unlabeled"
    return "labeled"


def _print(ctx, out, field: str, single: bool, dry, errors: list) -> None:
    """annotate prints with the one printer made up front (YAML documents separated by ---);
    label makes a printer for each object after changing it (label.go: o.ToPrinter(dataChangeMsg)),
    so a format it cannot print is an error for each object, collected with the others."""
    from minikctl.api.errors import MinikctlError
    from minikctl.printers import output

    o = ctx.opts
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry or "", "")
    shared = output.Printer(ctx, dry_suffix=suffix) if field != "labels" else None
    for kind, obj, text in out:
        if kind == "text":
            ctx.print(text)
            continue
        if o.get("list"):
            values = (obj.get("metadata") or {}).get(field) or {}
            indent = ""
            if not single:
                indent = " "
                from minikctl.api import kinds as K

                k = K.by_kind(obj.get("kind", ""))
                group = k.group if k else ""
                ctx.print(f"Listing {field} for {obj.get('kind')}.{group}/{obj['metadata'].get('name')}:")
            for key in sorted(values):
                ctx.print(f"{indent}{key}={values[key]}")
            continue
        printer = shared
        if printer is None:
            try:
                output.check(ctx)
            except MinikctlError as e:
                errors.append(e)
                continue
            printer = output.Printer(ctx, dry_suffix=suffix)
        try:
            printer.print(obj, operation=text)
        except MinikctlError as e:
            errors.append(e)


__all__ = ["AggregateError", "Target", "select", "resources_and_pairs", "raise_collected", "label", "annotate"]
