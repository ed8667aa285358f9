"""Help texts and unknown-command errors, derived from the command table."""

from __future__ import annotations

from minikctl.api.errors import UsageError
from minikctl.cli.commands import COMMANDS
from minikctl.cli.parser import GLOBAL_FLAGS, Command, suggest


def root_help() -> str:
    lines = ["minikctl: an emulated Kubernetes cluster behind kubectl's commands.", "",
             "Usage:", "  minikctl [flags] [command]", "", "Commands:"]
    width = max(len(n) for n in COMMANDS)
    for name, c in COMMANDS.items():
        if not c.hidden:
            lines.append(f"  {name.ljust(width)}  {c.help}")
    lines += ["", "Global flags (accepted before or after the command):"]
    lines += _flag_lines(GLOBAL_FLAGS)
    lines += ["", "Use \"minikctl <command> --help\" for more information about a given command."]
    return "\n".join(lines) + "\n"


def command_help(cmd: Command, path: list[str]) -> str:
    lines = [cmd.help + ".", "", "Usage:", "  " + (cmd.usage or "minikctl " + " ".join(path)), ""]
    if cmd.subcommands:
        lines.append("Available Commands:")
        width = max(len(n) for n in cmd.subcommands)
        for n, sc in cmd.subcommands.items():
            lines.append(f"  {n.ljust(width)}  {sc.help}")
        lines.append("")
    if cmd.flags:
        lines.append("Options:")
        lines += _flag_lines(cmd.flags)
        lines.append("")
    lines.append("Global flags:")
    lines += _flag_lines(GLOBAL_FLAGS)
    return "\n".join(lines) + "\n"


def _flag_lines(flags) -> list[str]:
    out = []
    for f in flags:
        names = ", ".join(f.names)
        arg = "" if f.kind == "bool" else ("=" + ("N" if f.kind in ("int", "int32") else "VALUE"))
        out.append(f"  {names}{arg}")
        if f.help:
            out.append(f"      {f.help}")
    return out


def unknown_command(word: str) -> UsageError:
    names = [n for n, c in COMMANDS.items() if not c.hidden] + [a for c in COMMANDS.values() if not c.hidden
                                                                 for a in c.aliases]
    s = suggest(word, names)
    hint = f' (did you mean "{s}"?)' if s else ""
    return UsageError(f'unknown command "{word}" for "minikctl"{hint}')
