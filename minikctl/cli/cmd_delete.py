"""minikctl delete: by name, by -l, --all, or -f."""

from __future__ import annotations

from minikctl.api.errors import NotFound, UsageError


def _deleted_name(kind, name: str) -> str:
    prefix = f"{kind.kind.lower()}.{kind.group}" if kind.group else kind.kind.lower()
    return f'{prefix} "{name}" deleted'


def run(ctx) -> int:
    from minikctl.cli.resources import parse_targets, resolve_kind

    o = ctx.opts
    _cascade(ctx)
    if o.get("output") not in (None, "", "name"):  # delete.go Validate: delete prints names only
        raise UsageError(f"unexpected -o output mode: {o['output']}. We only support '-o name'")
    if o.get("filename"):
        from minikctl.cli.manifests import load

        targets = []
        for doc, _ in load(ctx, strict=False):
            kind = resolve_kind(doc.obj.get("kind", ""))
            meta = doc.obj.get("metadata") or {}
            targets.append((kind, [meta.get("name", "")], meta.get("namespace")))
    else:
        if not ctx.args:
            raise UsageError("You must provide one or more resources by argument or filename.\n"
                             "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                             "   '<resource> <name>'\n   '<resource>'")
        if o.get("all") and o.get("selector"):  # resource.Builder SelectAllParam (the trailing space is kubectl's)
            raise UsageError("setting 'all' parameter but found a non empty selector. ")
        targets = [(k, n, None) for k, n in parse_targets(ctx.args)]
        for kind, names, _ in targets:
            if names is None and not o.get("selector") and not o.get("all"):
                raise UsageError("resource(s) were provided, but no name was specified")
            if names is not None and (o.get("selector") or o.get("all")):
                raise UsageError("name cannot be provided when a selector is specified"
                                 if o.get("selector") else "--all cannot be used with names")
    grace = o.get("grace_period")
    grace = -1 if grace is None else int(grace)
    if o.get("now"):
        if grace != -1:
            raise UsageError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not o.get("force"):
        # kubectl delete.go: --grace-period=0 becomes 1 unless --force says otherwise
        grace = 1
    if o.get("force") and grace < 0:
        grace = 0
    force = bool(o.get("force")) and grace == 0
    if force:
        ctx.warn("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.")
    session = ctx.session()
    selector = None
    if o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    all_ns = bool(o.get("all_namespaces"))
    from minikctl.cli.cmd_apply import _dry

    dry = _dry(ctx)
    if dry:
        return _dry_run(ctx, session, targets, selector, all_ns, dry, force=force)
    lines: list[str] = []
    errors: list[str] = []
    waits: list[float] = []
    with session.write() as api:
        for kind, names, file_ns in targets:
            ns = file_ns or ctx.namespace
            if names is None:
                objs = api.list(kind.plural, None if all_ns else (ns if kind.namespaced else None), selector=selector)
                todo = [(ob["metadata"].get("namespace", ""), ob["metadata"]["name"]) for ob in objs]
            else:
                todo = [(ns, n) for n in names]
            for tns, name in todo:
                try:
                    if kind.plural == "pods":
                        pod = api.get("pods", tns, name)
                        from minikctl.kubelet.pods import graceful_delete

                        waits.append(graceful_delete(api, pod, 0 if force else (None if grace < 0 else grace)))
                    else:
                        api.delete(kind.plural, tns, name)
                    if o.get("output") == "name":  # delete.go PrintObj: -o name prints resource/name
                        prefix = f"{kind.kind.lower()}.{kind.group}" if kind.group else kind.kind.lower()
                        lines.append(f"{prefix}/{name}")
                    else:
                        lines.append(_deleted_name(kind, name) if not force else
                                     _deleted_name(kind, name).replace('" deleted', '" force deleted'))
                except NotFound as e:
                    if not o.get("ignore_not_found"):
                        errors.append(e.render())
        wait = max(waits, default=0.0)
        if wait > 0 and o.get("wait", True) and session.clock.mode == "manual":
            # kubectl waits until the pods are gone: on a manual clock the wait is the cluster clock
            # moving on to the end of their grace period (kubectl would have blocked that long)
            from minikctl.controllers import on_clock

            session.clock.advance(int(wait * 1_000_000_000))
            session.store.meta_set("clock", session.clock.to_meta())
            on_clock(api)
    for line in lines:
        ctx.print(line)
    wait = max(waits, default=0.0)
    if wait > 0 and o.get("wait", True) and session.clock.mode != "manual":
        _wait_wall(ctx, wait)
    if not lines and not errors and (o.get("selector") or o.get("all")):
        ctx.print("No resources found")  # delete.go: fmt.Fprintf(o.Out, ...)
    for e in errors:
        ctx.warn(e)
    return 1 if errors else 0


def _cascade(ctx) -> str:
    """delete_flags.go GetCascadingStrategy: background, foreground, orphan; the deprecated booleans
    with their warning."""
    v = ctx.opts.get("cascade")
    if v in (None, True, "", "1"):  # the bare flag is background (its NoOptDefVal); minikctl's parser gives "1"
        return "background"
    v = str(v)
    if v in ("background", "foreground", "orphan"):
        return v
    b = {"t": True, "T": True, "TRUE": True, "true": True, "True": True,
         "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}.get(v)  # strconv.ParseBool
    if b is not None:
        new = "background" if b else "orphan"
        ctx.warn(f"warning: --cascade={v} is deprecated (boolean value) and can be replaced with "
                 f"--cascade={new}.")
        return new
    raise UsageError(f'invalid cascade value ({v}). Must be "background", "foreground", or "orphan"')


def _dry_run(ctx, session, targets, selector, all_ns: bool, dry: str, *, force: bool = False) -> int:
    """delete.go with --dry-run: nothing changes. client: each named object is printed without being
    read (the builder has RequireObject(false)), selectors list; server: kube-apiserver's dry run
    finds each object (NotFound as without --dry-run)."""
    o = ctx.opts
    api = session.api
    suffix = " (dry run)" if dry == "client" else " (server dry run)"
    lines: list[str] = []
    errors: list[str] = []
    for kind, names, file_ns in targets:
        ns = file_ns or ctx.namespace
        if names is None:
            objs = api.list(kind.plural, None if all_ns else (ns if kind.namespaced else None), selector=selector)
            todo = [(ob["metadata"].get("namespace", ""), ob["metadata"]["name"]) for ob in objs]
        else:
            todo = [(ns, n) for n in names]
        for tns, name in todo:
            if dry == "server" and api.try_get(kind.plural, tns, name) is None:
                if not o.get("ignore_not_found"):
                    errors.append(NotFound.of(kind.group_resource, name).render())
                continue
            if o.get("output") == "name":
                lines.append(f"{kind.kind.lower()}.{kind.group}/{name}" if kind.group else f"{kind.kind.lower()}/{name}")
            else:
                # delete.go PrintObj: a grace period of 0 (--force) is "force deleted"
                lines.append(_deleted_name(kind, name).replace('" deleted', '" force deleted' if force else '" deleted')
                             + suffix)
    for line in lines:
        ctx.print(line)
    if not lines and not errors and (o.get("selector") or o.get("all")):
        ctx.print("No resources found")  # delete.go: fmt.Fprintf(o.Out, ...)
    for e in errors:
        ctx.warn(e)
    return 1 if errors else 0


def _wait_wall(ctx, seconds: float) -> None:
    """kubectl delete's wait on the wall clock: until the pods' grace periods end (Ctrl-C stops waiting)."""
    import time

    from minikctl.api.cluster import Session

    try:
        ctx.out.flush()
        time.sleep(seconds)
        Session.open(ctx.opts.get("state")).store.close()  # catches up: the kubelet removes the pods
    except KeyboardInterrupt:
        pass
