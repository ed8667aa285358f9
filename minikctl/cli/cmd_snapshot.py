"""minikctl cluster snapshot save|restore|list|delete NAME, and cluster export|import
(issue 13): the library is minikctl.store.snapshots and minikctl.api.export."""

from __future__ import annotations

from minikctl.api.errors import UsageError


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS["cluster"].subcommands["snapshot"], ["cluster", "snapshot"]))
    return 0


def _name(ctx, verb: str) -> str:
    if len(ctx.args) != 1:
        raise UsageError(f"usage: minikctl cluster snapshot {verb} NAME")
    from minikctl.store import snapshots

    return snapshots.check_name(ctx.args[0])


def save(ctx) -> int:
    from minikctl.store import snapshots

    name = _name(ctx, "save")
    session = ctx.session()
    dest = snapshots.save(session.store, name, session.clock.rfc3339())
    ctx.print(f'snapshot "{name}" saved ({dest})')
    return 0


def restore(ctx) -> int:
    from minikctl.store import snapshots

    name = _name(ctx, "restore")
    session = ctx.session(bootstrap=False)
    snapshots.restore(session.store, name)
    ctx.print(f'snapshot "{name}" restored')
    return 0


def list_(ctx) -> int:
    from minikctl.store import snapshots

    if ctx.args:
        raise UsageError("usage: minikctl cluster snapshot list")
    session = ctx.session(bootstrap=False)
    rows = snapshots.entries(session.store.path)
    if not rows:
        ctx.err.write(f"No snapshots found for {session.store.path}.\n")
        return 0
    table = [("NAME", "CREATED", "SIZE")] + [(n, c, snapshots.human_size(s)) for n, c, s in rows]
    widths = [max(len(r[i]) for r in table) for i in range(2)]
    for r in table:
        ctx.print(f"{r[0].ljust(widths[0])}   {r[1].ljust(widths[1])}   {r[2]}")
    return 0


def delete(ctx) -> int:
    from minikctl.store import snapshots

    name = _name(ctx, "delete")
    session = ctx.session(bootstrap=False)
    snapshots.delete(session.store.path, name)
    ctx.print(f'snapshot "{name}" deleted')
    return 0
