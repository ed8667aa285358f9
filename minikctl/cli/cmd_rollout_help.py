"""The group commands of issue 12's rollout area: `rollout` and `set` alone print their help
(cmdutil.DefaultSubCommandRun)."""

from __future__ import annotations


def _help(ctx, name: str) -> int:
    """kubectl 1.32: `rollout` prints its help on stdout, `set` (DefaultSubCommandRun(streams.ErrOut))
    on stderr; both exit 1."""
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    (ctx.err if name == "set" else ctx.out).write(command_help(COMMANDS[name], [name]))
    return 1  # cmdutil.DefaultSubCommandRun: the help, then exit 1 (kubectl 1.32)


def help(ctx) -> int:
    return _help(ctx, "rollout")


def set_help(ctx) -> int:
    return _help(ctx, "set")
