"""The group commands of issue 12's rollout area: `rollout` and `set` alone print their help
(cmdutil.DefaultSubCommandRun)."""

from __future__ import annotations


def _help(ctx, name: str) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS[name], [name]))
    return 0


def help(ctx) -> int:
    return _help(ctx, "rollout")


def set_help(ctx) -> int:
    return _help(ctx, "set")
