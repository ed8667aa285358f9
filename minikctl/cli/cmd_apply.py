"""apply / create -f / replace -f: all-or-nothing writes of manifests."""

from __future__ import annotations

import json

from minikctl.api.errors import ApiError, Invalid, NotFound, UsageError

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _dry(ctx) -> str | None:
    v = ctx.opts.get("dry_run")
    if v in (None, "none", False):
        result = None
    elif v in ("client", "1", "true"):
        result = "client"
    elif v == "server":
        result = "server"
    else:
        raise UsageError(f'Invalid dry-run value ({v}). Must be "none", "server", or "client".')
    if "validate" in ctx.p.flags_seen:  # cmdutil.GetValidationDirective, in the same Complete step
        from minikctl.cli.manifests import validation_directive

        validation_directive(ctx)
    return result


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
    from minikctl.printers.structured import go_escape

    return go_escape(json.dumps(cfg, sort_keys=True, separators=(",", ":"), ensure_ascii=False)) + "\n"


def check_printer(ctx) -> None:
    """PrintFlags.ToPrinter, before anything is written (minikctl/printers/output.py)."""
    from minikctl.printers import output

    output.check(ctx)


def _emit(ctx, results, dry, *, typed: bool = False, as_list: bool = False):
    """Print what a command wrote, one PrintObj per object (YAML documents separated by ---).
    as_list: apply's printObjects, which prints two or more objects as one v1 List when -o
    asks for whole objects (kubectl/pkg/cmd/apply/apply.go)."""
    from minikctl.printers.output import Printer

    p = Printer(ctx, dry_suffix=_suffix(dry))
    if as_list and p.prints_objects and len(results) > 1:
        p.print({"kind": "List", "apiVersion": "v1", "metadata": {}, "items": [o for o, _ in results]}, typed=True)
        return
    for obj, verb in results:
        p.print(obj, typed=typed, operation=verb)


def _kept(ctx, obj: dict) -> dict:
    """What _emit needs of a written object: all of it when -o prints objects, else its kind and
    name (a bulk apply would otherwise hold every object it wrote until the end)."""
    from minikctl.printers.output import Printer

    if Printer(ctx).prints_objects:
        return obj
    return {"kind": obj.get("kind"), "metadata": {"name": (obj.get("metadata") or {}).get("name")}}


def _warn_all(ctx, docs):
    for _, warnings in docs:
        for w in warnings:
            ctx.warn(w)


def apply(ctx, docs: list | None = None) -> int:
    """docs: already loaded and ordered (cluster import, issue 13), else -f's."""
    from minikctl.api.server import clone
    from minikctl.cli.manifests import load
    from minikctl.cli.resources import resolve_kind

    dry = _dry(ctx)
    docs = load(ctx) if docs is None else docs
    check_printer(ctx)
    _warn_all(ctx, docs)
    session = ctx.session()
    results = []
    from minikctl.cli.term import progress

    # defer: the controllers see the new objects after the command returns (Session.write)
    with session.write(dry_run=bool(dry), defer=True) as api, progress(docs, "Applying", ctx.err) as bar:
        for doc, _ in bar:
            if dry == "client":
                # apply.go: a client dry run sends nothing: a new object is printed as it would be
                # created (with its last-applied annotation), an existing one as it is on the server
                desired = doc.obj
                kind = resolve_kind(desired["kind"])
                ns = _target_ns(ctx, desired, kind)
                name = (desired.get("metadata") or {}).get("name") or ""
                live = api.try_get(kind.plural, ns, name) if name else None
                if live is None:
                    obj = clone(desired)
                    meta = obj.setdefault("metadata", {})
                    meta.setdefault("annotations", {})[LAST_APPLIED] = _last_applied(desired, kind, ns)
                    if kind.namespaced:
                        meta["namespace"] = ns
                    results.append((_kept(ctx, obj), "created"))
                else:
                    results.append((_kept(ctx, live), "configured"))
                continue
            live, written = apply_doc(ctx, api, doc)
            if live is None:
                results.append((_kept(ctx, written), "created"))
            else:
                results.append((_kept(ctx, written), "unchanged" if written is live or written == live else "configured"))
    _emit(ctx, results, dry, as_list=True)
    _print_api_warnings(ctx, session)
    return 0


def apply_doc(ctx, api, doc) -> tuple[dict | None, dict]:
    """One document of `apply -f` (and of `diff -f`, in a dry-run transaction): the live object
    (None when it is created) and the object as written, after the three-way merge."""
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
        from minikctl.api.merge import three_way  # only an update merges (copy, weakref: ~1 ms)

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
            if ctx.opts.get("save_config"):  # create.go: the annotation is set before the dry run prints
                obj["metadata"].setdefault("annotations", {})[LAST_APPLIED] = _last_applied(obj, kind, ns)
            results.append((obj, "created"))
        _emit(ctx, results, dry)
        return 0
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry), defer=True) as api:
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
