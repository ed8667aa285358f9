"""apply / create -f / replace -f: all-or-nothing writes of manifests."""

from __future__ import annotations

import json

from minikctl.api.errors import ApiError, Invalid, NotFound, UsageError

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _dry(ctx) -> str | None:
    v = ctx.opts.get("dry_run")
    if v in (None, "none", False):
        return None
    if v in ("client", "1", "true"):
        return "client"
    if v == "server":
        return "server"
    raise UsageError(f'Invalid dry-run value ({v}). Must be "none", "server", or "client".')


def _suffix(dry: str | None) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(dry or "", "")


def _target_ns(ctx, obj: dict, kind) -> str:
    meta = obj.get("metadata") or {}
    if not kind.namespaced:
        return ""
    ns = meta.get("namespace")
    if ns and ctx.namespace_explicit and ns != ctx.namespace:
        raise UsageError(f'the namespace from the provided object "{ns}" does not match the namespace '
                         f'"{ctx.namespace}". You must pass \'--namespace={ns}\' to perform this operation.')
    return ns or ctx.namespace


def _wrap(err: ApiError, verb: str, source: str) -> ApiError:
    if isinstance(err, Invalid):
        return err
    err.message = f'error when {verb} "{source}": {err.message}'
    return err


def _last_applied(obj: dict, kind, ns: str) -> str:
    # copies only the maps it changes: the rest is only read, by json.dumps
    cfg = dict(obj)
    meta = cfg["metadata"] = dict(cfg.get("metadata") or {})
    ann = meta["annotations"] = dict(meta.get("annotations") or {})
    ann.pop(LAST_APPLIED, None)
    if kind.namespaced:
        meta["namespace"] = ns
    return json.dumps(cfg, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


# The formats kubectl's create/apply/replace print (genericclioptions.PrintFlags: JSONYaml, Name,
# GoTemplate, JSONPath), as its "unable to match a printer" error lists them.
PRINTER_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
                   "name", "template", "templatefile", "yaml")
_JSONPATH = ("jsonpath", "jsonpath-file", "jsonpath-as-json")


def check_printer(ctx) -> None:
    """PrintFlags.ToPrinter, before anything is written: an output format these commands cannot
    print (wide, custom-columns, ...) is refused, and a jsonpath template must be given and parse."""
    fmt = ctx.opts.get("output")
    if not fmt or fmt in ("yaml", "json", "name"):
        return
    head, _, value = fmt.partition("=")
    if head in _JSONPATH:
        from minikctl.printers import template as T

        if not value:
            raise T.TemplateError("template format specified but no template given")
        text = T._read_file(value, "--template") if head == "jsonpath-file" else value
        try:
            T.parse(text)
        except T.JSONPathError as e:  # the words of printers/template.render_jsonpath
            raise T.TemplateError(f"error parsing jsonpath {text}, {e}\n") from None
        return
    if head in PRINTER_FORMATS and not value:
        from minikctl.printers.template import TemplateError

        raise TemplateError("template format specified but no template given")
    # go-template and template are not printed by minikctl yet: refused as `get` refuses them
    raise UsageError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                     + ",".join(PRINTER_FORMATS))


def _emit(ctx, results, dry):
    from minikctl.printers.structured import as_list, name_of, to_json, to_yaml

    fmt = ctx.opts.get("output")
    if fmt in ("yaml", "json"):
        objs = [o for o, _ in results]
        data = objs[0] if len(objs) == 1 else as_list(objs)
        ctx.out.write(to_yaml(data) if fmt == "yaml" else to_json(data))
        return
    if fmt and fmt.partition("=")[0] in _JSONPATH:
        from minikctl.printers import template

        for obj, _ in results:  # kubectl prints each object on its own, with nothing between them
            ctx.out.write(template.render(fmt, obj, ctx))
        return
    for obj, verb in results:
        if fmt == "name":
            ctx.print(name_of(obj))
        else:
            ctx.print(f"{name_of(obj)} {verb}{_suffix(dry)}")


def _kept(ctx, obj: dict) -> dict:
    """What _emit needs of a written object: all of it for -o yaml|json, else its kind and
    name (a bulk apply would otherwise hold every object it wrote until the end)."""
    if ctx.opts.get("output") not in (None, "", "name"):
        return obj
    return {"kind": obj.get("kind"), "metadata": {"name": (obj.get("metadata") or {}).get("name")}}


def _warn_all(ctx, docs):
    for _, warnings in docs:
        for w in warnings:
            ctx.warn(w)


def apply(ctx) -> int:
    from minikctl.cli.manifests import load

    dry = _dry(ctx)
    docs = load(ctx)
    check_printer(ctx)
    _warn_all(ctx, docs)
    session = ctx.session()
    results = []
    from minikctl.cli.term import progress

    with session.write(dry_run=bool(dry)) as api, progress(docs, "Applying", ctx.err) as bar:
        for doc, _ in bar:
            live, written = apply_doc(ctx, api, doc)
            if live is None:
                results.append((_kept(ctx, written), "created"))
            else:
                results.append((_kept(ctx, written), "unchanged" if written is live or written == live else "configured"))
    _emit(ctx, results, dry)
    _print_api_warnings(ctx, session)
    return 0


def apply_doc(ctx, api, doc) -> tuple[dict | None, dict]:
    """One document of `apply -f` (and of `diff -f`, in a dry-run transaction): the live object
    (None when it is created) and the object as written, after the three-way merge."""
    from minikctl.api.merge import three_way
    from minikctl.api.server import clone
    from minikctl.cli.resources import resolve_kind

    desired = doc.obj
    kind = resolve_kind(desired["kind"])
    ns = _target_ns(ctx, desired, kind)
    name = (desired.get("metadata") or {}).get("name") or ""
    live = api.try_get(kind.plural, ns, name) if name else None
    try:
        if live is None:
            obj = clone(desired)
            obj.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = _last_applied(desired, kind, ns)
            return None, api.create(obj, namespace=ns or None)
        last_raw = (live["metadata"].get("annotations") or {}).get(LAST_APPLIED)
        try:
            last = json.loads(last_raw) if last_raw else None
        except ValueError:
            last = None
        want = clone(desired)
        want.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = _last_applied(desired, kind, ns)
        if kind.namespaced:
            want["metadata"]["namespace"] = ns
        merged = three_way(live, last, want)
        merged["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
        return live, api.update(merged)
    except ApiError as e:
        raise _wrap(e, "creating" if live is None else "patching", doc.source) from None


def create(ctx) -> int:
    from minikctl.cli.manifests import load
    from minikctl.cli.resources import resolve_kind

    if not ctx.opts.get("filename"):
        if ctx.args:
            raise UsageError(f'unknown command "{ctx.args[0]}" for "minikctl create"')
        raise UsageError("must specify one of -f and -k")
    dry = _dry(ctx)
    check_printer(ctx)
    docs = load(ctx)
    _warn_all(ctx, docs)
    if dry == "client":
        # client-side dry run: kubectl prints what it would send, without asking the server
        results = []
        for doc, _ in docs:
            obj = doc.obj
            kind = resolve_kind(obj["kind"])
            ns = _target_ns(ctx, obj, kind)
            if kind.namespaced:
                obj.setdefault("metadata", {})["namespace"] = ns
            results.append((obj, "created"))
        _emit(ctx, results, dry)
        return 0
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api:
        for doc, _ in docs:
            obj = doc.obj
            kind = resolve_kind(obj["kind"])
            ns = _target_ns(ctx, obj, kind)
            if ctx.opts.get("save_config"):
                obj.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = _last_applied(obj, kind, ns)
            try:
                results.append((api.create(obj, namespace=ns or None), "created"))
            except ApiError as e:
                raise _wrap(e, "creating", doc.source) from None
    _emit(ctx, results, dry)
    _print_api_warnings(ctx, session)
    return 0


def replace(ctx) -> int:
    from minikctl.cli.manifests import load
    from minikctl.cli.resources import resolve_kind

    dry = _dry(ctx)
    check_printer(ctx)
    docs = load(ctx)
    _warn_all(ctx, docs)
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api:
        for doc, _ in docs:
            obj = doc.obj
            kind = resolve_kind(obj["kind"])
            ns = _target_ns(ctx, obj, kind)
            meta = obj.setdefault("metadata", {})
            if kind.namespaced:
                meta["namespace"] = ns
            try:
                if ctx.opts.get("force"):
                    if api.try_get(kind.plural, ns, meta.get("name", "")):
                        api.delete(kind.plural, ns, meta["name"])
                    results.append((api.create(obj, namespace=ns or None), "replaced"))
                    continue
                live = api.try_get(kind.plural, ns, meta.get("name", ""))
                if live is None:
                    raise NotFound.of(kind.group_resource, meta.get("name", ""))
                if ctx.opts.get("save_config"):
                    meta.setdefault("annotations", {})[LAST_APPLIED] = _last_applied(obj, kind, ns)
                results.append((api.update(obj), "replaced"))
            except ApiError as e:
                raise _wrap(e, "replacing", doc.source) from None
    _emit(ctx, results, dry)
    _print_api_warnings(ctx, session)
    return 0


# A bulk apply of services that select no pods yet (their deployments come later, or in another
# file) would print one warning per service: the first few are shown, then a count.
NO_PODS_SHOWN = 5


def _print_api_warnings(ctx, session) -> None:
    api = session._api
    if api is None:
        return
    no_pods = 0
    for w in api.warnings:
        w = w if w.startswith("Warning:") else f"Warning: {w}"
        if w.startswith('Warning: service "') and '" selects no pods: ' in w:
            no_pods += 1
            if no_pods > NO_PODS_SHOWN:
                continue
        ctx.warn(w)
    if no_pods > NO_PODS_SHOWN:
        n = no_pods - NO_PODS_SHOWN
        ctx.warn(f"Warning: ... and {n} more services select no pods, so their endpoints will be empty" if n > 1 else
                 "Warning: ... and 1 more service selects no pods, so its endpoints will be empty")
