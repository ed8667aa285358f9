"""minikctl rollout status|history|undo|restart|pause|resume, as kubectl 1.32's
(staging/src/k8s.io/kubectl/pkg/cmd/rollout/*.go over pkg/polymorphichelpers: minikctl.api.rollout).

`rollout status` waits on the cluster clock (minikctl.api.ticker): on a manual clock it moves
the clock one second at a time (each step its own transaction) until the rollout is done or
--timeout passes; on a wall clock it polls.
"""

from __future__ import annotations

from minikctl.api.errors import ApiError, MinikctlError, UsageError


class _Message(MinikctlError):
    """An error whose text is printed as is (kubectl's `error: KIND "NAME" ...` from an Aggregate)."""

    def render(self) -> str:
        return str(self)


def _dry(ctx):
    from minikctl.cli.cmd_apply import _dry as dry

    return dry(ctx) if "dry_run" in ctx.opts else None


def no_kustomize(ctx) -> None:
    """-k/--kustomize is accepted as kubectl's flag, and refused when used."""
    if ctx.opts.get("kustomize"):
        raise UsageError("-k/--kustomize: kustomization directories are not supported by minikctl")


def _validate(ctx) -> None:
    no_kustomize(ctx)
    if not ctx.args and not ctx.opts.get("filename"):
        raise UsageError("required resource not specified")
    if (ctx.opts.get("revision") or 0) < 0:
        raise UsageError(f"revision must be a positive integer: {ctx.opts['revision']}")
    from minikctl.cli.cmd_apply import check_printer

    check_printer(ctx)


def _select(ctx, api, errors: list):
    """resource.Builder with ResourceTypeOrNameArgs(true, ...): a type alone means all its objects."""
    from minikctl.cli.cmd_label import select

    opts = ctx.opts
    had = opts.get("all")
    opts["all"] = True  # allowEmptySelector: `rollout restart deployment` restarts them all
    try:
        targets, _ = select(ctx, api, ctx.args, allow_empty_selector=True, errors=errors)
    finally:
        opts["all"] = had
    return targets


def _print(ctx, obj: dict, operation: str, dry=None, shared: bool = False) -> None:
    """The command's PrintFlags (minikctl/printers/output.py): the name printer with the operation,
    or -o FORMAT of the object, typed as kubectl holds it (its builder decodes with the scheme).
    rollout makes a printer for each object (o.ToPrinter(operation)); set makes one for the run
    (shared: YAML documents separated by ---)."""
    from minikctl.printers.output import Printer

    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry or "", "")
    p = getattr(ctx, "_shared_printer", None) if shared else None
    if p is None:
        p = Printer(ctx, dry_suffix=suffix)
        if shared:
            ctx._shared_printer = p
    p.print(obj, typed=True, operation=operation)


def _raise(ctx, errors: list) -> int:
    if errors:
        from minikctl.cli.cmd_label import raise_collected

        raise_collected(errors)
    return 0


def _resource_string(kind) -> str:
    return f"{kind.plural}.{kind.group}" if kind.group else kind.plural


# --------------------------------------------------------------------- history
def history(ctx) -> int:
    from minikctl.api import rollout as RO

    _validate(ctx)
    revision = ctx.opts.get("revision") or 0
    errors: list = []
    session = ctx.session()
    out = []
    api = session.api
    for t in _select(ctx, api, errors):
        try:
            info = RO.history(api, t.kind, t.obj, revision)
        except RO.RolloutError as e:
            errors.append(e)
            continue  # ContinueOnError: the errors are aggregated after the others
        if isinstance(info, str):
            text = info
        elif isinstance(info, dict):
            text = RO.pod_template_text(info)
        else:
            text = _history_table(info)
        with_revision = f"with revision #{revision}" if revision > 0 else ""
        out.append((t.obj, f"{with_revision}\n{text}"))
    for obj, op in out:
        _print(ctx, obj, op)
    return _raise(ctx, errors)


def _history_table(rows) -> str:
    from minikctl.printers.table import tabwrite

    if rows and rows[0][1] is None:  # StatefulSetHistoryViewer: revisions only
        return tabwrite("REVISION\n" + "".join(f"{r}\n" for r, _ in rows), 0, 8, 2, " ")
    body = "REVISION\tCHANGE-CAUSE\n" + "".join(f"{r}\t{c or '<none>'}\n" for r, c in rows)
    return tabwrite(body, 0, 8, 2, " ")


# ------------------------------------------------------------------------ undo
def undo(ctx) -> int:
    from minikctl.api import rollout as RO

    _validate(ctx)
    dry = _dry(ctx)
    to_revision = ctx.opts.get("to_revision") or 0
    errors: list = []
    out = []
    session = ctx.session()
    with session.write(dry_run=dry == "server") as api:
        for t in _select(ctx, api, errors):
            try:
                result, changed = RO.rollback(api, t.kind, t.obj, to_revision, dry)
                if changed is not None:
                    try:
                        api.update(changed, check_rv=False)
                    except ApiError as e:
                        from minikctl.cli.cmd_set import status_message

                        raise RO.RolloutError(f"failed restoring revision {to_revision}: {status_message(e)}") from None
            except MinikctlError as e:
                errors.append(e)
                continue
            out.append((t.obj, result))
    for obj, op in out:
        _print(ctx, obj, op, dry)
    return _raise(ctx, errors)


# ------------------------------------------------------- pause/resume/restart
def _patching(ctx, verb: str, change) -> int:
    """pause/resume/restart: set.CalculatePatches with the helper, then a patch per object;
    errors are collected (`error: deployments.apps "web" is already paused`)."""
    from minikctl.api import rollout as RO
    from minikctl.api.server import clone

    _validate(ctx)
    errors: list = []
    out = []
    session = ctx.session()
    with session.write() as api:
        now = session.clock.rfc3339()
        for t in _select(ctx, api, errors):
            obj = clone(t.obj)
            try:
                change(t.kind, obj, now)
            except RO.RolloutError as e:
                errors.append(_Message(f'error: {_resource_string(t.kind)} "{t.obj["metadata"]["name"]}" {e}'))
                continue
            if obj == t.obj:  # an empty patch: only restart gets here (the same second twice)
                errors.append(_Message(f"error: failed to create patch for {t.obj['metadata']['name']}: empty patch"))
            out.append(api.update(obj, check_rv=False))
    for obj in out:
        _print(ctx, obj, verb)
    return _raise(ctx, errors)


def pause(ctx) -> int:
    from minikctl.api import rollout as RO

    return _patching(ctx, "paused", lambda kind, obj, now: RO.pause(kind, obj))


def resume(ctx) -> int:
    from minikctl.api import rollout as RO

    return _patching(ctx, "resumed", lambda kind, obj, now: RO.resume(kind, obj))


def restart(ctx) -> int:
    from minikctl.api import rollout as RO

    return _patching(ctx, "restarted", RO.restart)


# ---------------------------------------------------------------------- status
def status(ctx) -> int:
    from minikctl.api import rollout as RO
    from minikctl.api import ticker

    _validate(ctx)
    timeout = _timeout(ctx.opts.get("timeout"), "0s")
    revision = ctx.opts.get("revision") or 0
    errors: list = []
    session = ctx.session()
    api = session.api
    targets = _select(ctx, api, errors)
    if errors:
        return _raise(ctx, errors)
    if len(targets) != 1:
        raise UsageError(f"rollout status is only supported on individual resources and resource collections - "
                         f"{len(targets)} resources were found")
    t = targets[0]
    if t.kind.kind not in RO.KINDS:
        raise RO.RolloutError(f"no status viewer has been implemented for {RO.group_kind(t.kind)}")
    seen = {"rv": None}

    def check(api):
        obj = api.try_get(t.kind.plural, t.namespace, t.name)
        if obj is None or obj["metadata"].get("uid") != t.obj["metadata"].get("uid"):
            raise UsageError("object has been deleted")
        rv = obj["metadata"].get("resourceVersion")
        if rv == seen["rv"]:
            return None  # no watch event: nothing printed
        seen["rv"] = rv
        msg, done = RO.status(api, t.kind, obj, revision)
        ctx.out.write(msg)
        ctx.out.flush()
        if done or not ctx.opts.get("watch", True):
            return True
        return None

    if ticker.wait_until(session, check, timeout) is None:
        raise UsageError("timed out waiting for the condition")
    return 0


def _timeout(text, default: str) -> int:
    """A --timeout duration (time.ParseDuration), in nanoseconds."""
    from minikctl.api.clock import parse_duration

    if text is None or text == "":
        text = default
    try:
        ns = parse_duration(str(text))
    except ValueError as e:
        raise UsageError(f'invalid argument "{text}" for "--timeout" flag: {e}') from None
    return max(ns, 0)
