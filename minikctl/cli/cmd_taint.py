"""minikctl taint / cordon / uncordon.

taint: staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go and utils.go (kubectl 1.32):
``key=value:Effect`` adds, ``key:Effect-`` / ``key-`` removes, ``--overwrite`` replaces a
taint of the same key and effect; the messages are taint.go's (checked against the real
kubectl 1.32 where it answers without a server).
cordon / uncordon: pkg/cmd/drain/drain.go RunCordonOrUncordon with pkg/drain/cordon.go:
spec.unschedulable is set or cleared; the node lifecycle controller then adds or removes
the node.kubernetes.io/unschedulable:NoSchedule taint (controllers.nodelifecycle).
"""

from __future__ import annotations

from minikctl.api.errors import ApiError, MinikctlError, NotFound, UsageError

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _see(cmd: str) -> str:
    return f"\nSee 'minikctl {cmd} -h' for help and examples"


def _taint_string(t: dict) -> str:
    """v1.Taint.ToString."""
    key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _go_taint(t: dict) -> str:
    """%v of a v1.Taint: {Key Value Effect TimeAdded}."""
    return "{%s %s %s <nil>}" % (t.get("key", ""), t.get("value", ""), t.get("effect", ""))


def _parse_taint(spec: str) -> dict:
    """utils.go parseTaint: '<key>=<value>:<effect>', '<key>:<effect>' or '<key>'."""
    from minikctl.api.validation import is_qualified_name
    from minikctl.cli.cmd_label import _label_value_errors

    parts = spec.split(":")
    value = effect = ""
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        if effect not in EFFECTS:
            raise UsageError(f"invalid taint effect: {effect}, unsupported taint effect" + _see("taint"))
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise UsageError(f"invalid taint spec: {spec}" + _see("taint"))
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            errs = _label_value_errors(value)
            if errs:
                raise UsageError(f"invalid taint spec: {spec}, {'; '.join(errs)}" + _see("taint"))
    else:
        raise UsageError(f"invalid taint spec: {spec}" + _see("taint"))
    # apimachinery's RegexError writes "'MyName',  or 'my.name',  or '123-abc', " (names.regex_error)
    errs = is_qualified_name(key)
    if errs:
        raise UsageError(f"invalid taint spec: {spec}, {'; '.join(errs)}" + _see("taint"))
    out = {"key": key}
    if value:
        out["value"] = value
    if effect:
        out["effect"] = effect
    return out


def parse_taints(specs: list[str]) -> tuple[list[dict], list[dict]]:
    """utils.go parseTaints."""
    add: list[dict] = []
    remove: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        if spec.endswith("-"):
            t = _parse_taint(spec[:-1])
            remove.append({k: v for k, v in t.items() if k != "value"})
            continue
        t = _parse_taint(spec)
        if not t.get("effect"):
            raise UsageError(f"invalid taint spec: {spec}" + _see("taint"))
        if (t["effect"], t["key"]) in seen:
            raise UsageError(f"duplicated taints with the same key and effect: {_go_taint(t)}" + _see("taint"))
        seen.add((t["effect"], t["key"]))
        add.append(t)
    return add, remove


def _match(a: dict, b: dict) -> bool:
    """Taint.MatchTaint: same key and effect."""
    return a.get("key") == b.get("key") and (a.get("effect") or "") == (b.get("effect") or "")


def reorganize(old: list[dict], overwrite: bool, add: list[dict], remove: list[dict]) -> tuple[str, list[dict], list[str]]:
    """utils.go reorganizeTaints: (operation, new taints, errors)."""
    new = [dict(t) for t in add]
    for o in old:
        if not any(_match(t, o) for t in new):
            new.append(o)
    added = len(old) != len(new)
    errs: list[str] = []
    deleted = False
    for r in remove:
        before = len(new)
        if r.get("effect"):
            new = [t for t in new if not _match(r, t)]
        else:
            new = [t for t in new if t.get("key") != r.get("key")]
        deleted = len(new) != before
        if not deleted:
            errs.append(f'taint "{_taint_string(r)}" not found')
    if (added and deleted) or overwrite:
        return "modified", new, errs
    if added:
        return "tainted", new, errs
    return "untainted", new, errs


def _print_node(ctx, node: dict, operation: str, dry: str | None) -> None:
    """taint.go: a printer for each node (no --- between YAML documents)."""
    from minikctl.cli.cmd_apply import _suffix
    from minikctl.printers.output import Printer

    Printer(ctx, dry_suffix=_suffix(dry)).print(node, operation=operation)


def taint(ctx) -> int:
    from minikctl.cli.cmd_apply import _dry
    from minikctl.cli.cmd_label import AggregateError

    o = ctx.opts
    resources: list[str] = []
    taint_args: list[str] = []
    met = False
    for s in ctx.args:  # taint.go Complete
        is_taint = "=" in s or ":" in s or s.endswith("-")
        if is_taint:
            met = True
            taint_args.append(s)
        elif not met:
            resources.append(s)
        else:
            raise UsageError(f"all resources must be specified before taint changes: {s}")
    if not resources:
        raise UsageError("one or more resources must be specified as <resource> <name>")
    if not taint_args:
        raise UsageError("at least one taint update is required")
    add, remove = parse_taints(taint_args)
    dry = _dry(ctx)
    # Validate
    from minikctl.cli.resources import resolve_kind

    word = resources[0].lower()
    kind = resolve_kind(word)
    if kind.kind != "Node":
        raise UsageError(f"invalid resource type {word}, only node types are supported")
    conflicts = []
    for a in add:
        for r in remove:
            if a["key"] == r["key"] and (not r.get("effect") or a.get("effect") == r.get("effect")):
                conflicts.append('{"%s":"%s"}' % (r["key"], r.get("effect", "")))
    if conflicts:
        raise UsageError("can not both modify and remove the following taint(s) in the same command: "
                         + ", ".join(conflicts))
    selector = o.get("selector") or ""
    if o.get("all") and selector:
        raise UsageError("setting 'all' parameter with a non empty selector is prohibited")
    if not o.get("all") and not selector and len(resources) < 2:
        raise UsageError("at least one resource name must be specified since 'all' parameter is not set")
    errors: list = []
    with ctx.session().write(dry_run=dry == "server") as api:
        nodes = _nodes(api, resources[1:] if not (o.get("all") or selector) else [], selector, errors)
        for node in nodes:
            old = list((node.get("spec") or {}).get("taints") or [])
            if not o.get("overwrite"):
                exists = [t["key"] for t in add for ot in old
                          if t["key"] == ot.get("key") and t["effect"] == ot.get("effect")]
                if exists:
                    errors.append(UsageError(f"node {node['metadata']['name']} already has {','.join(exists)} "
                                             "taint(s) with same effect(s) and --overwrite is false"))
                    continue
            operation, new, errs = reorganize(old, bool(o.get("overwrite")), add, remove)
            if errs:
                errors.append(UsageError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"))
                continue
            try:  # taint.go: o.ToPrinter(operation) for each node, before it is patched
                from minikctl.printers import output

                output.check(ctx)
            except MinikctlError as e:
                errors.append(e)
                continue
            spec = node.setdefault("spec", {})
            if new:
                spec["taints"] = new
            else:
                spec.pop("taints", None)
            if dry != "client":
                try:
                    node = api.update(node, check_rv=False)
                except ApiError as e:
                    errors.append(e)
                    continue
            _print_node(ctx, node, operation, dry)
    if errors:
        raise AggregateError(errors)
    return 0


def _nodes(api, names: list[str], selector: str, errors: list) -> list[dict]:
    if names:
        out = []
        for n in names:
            node = api.try_get("nodes", "", n)
            if node is None:
                errors.append(NotFound.of("nodes", n))
            else:
                out.append(node)
        return out
    sel = None
    if selector:
        from minikctl.api import selectors

        sel = selectors.parse(selector)
    return api.list("nodes", selector=sel)


def _cordon(ctx, desired: bool) -> int:
    """drain.go RunCordonOrUncordon."""
    from minikctl.cli.cmd_apply import _dry
    from minikctl.cli.cmd_label import AggregateError

    verb = "cordon" if desired else "uncordon"
    selector = ctx.opts.get("selector") or ""
    if not ctx.args and not selector:
        raise UsageError(f"USAGE: {verb} NODE [flags]" + _see(verb))
    if ctx.args and selector:
        raise UsageError("cannot specify both a node name and a --selector option" + _see(verb))
    dry = _dry(ctx)
    errors: list = []
    from minikctl.cli.cmd_apply import _suffix

    with ctx.session().write(dry_run=dry == "server") as api:
        nodes = _nodes(api, list(ctx.args), selector, errors)
        if errors:  # Complete visits every node first: a missing one stops the command
            raise AggregateError(errors)
        for node in nodes:
            spec = node.setdefault("spec", {})
            name = f"node/{node['metadata']['name']}"
            if bool(spec.get("unschedulable")) == desired:
                ctx.print(f"{name} already {verb}ed{_suffix(dry)}")
                continue
            if desired:
                spec["unschedulable"] = True
            else:
                spec.pop("unschedulable", None)
            if dry != "client":
                try:
                    api.update(node, check_rv=False)
                except ApiError as e:
                    errors.append(e)
                    continue
            ctx.print(f"{name} {verb}ed{_suffix(dry)}")
    if errors:
        raise AggregateError(errors)
    return 0


def cordon(ctx) -> int:
    return _cordon(ctx, True)


def uncordon(ctx) -> int:
    return _cordon(ctx, False)
