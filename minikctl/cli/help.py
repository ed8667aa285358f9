"""Help texts and unknown-command errors, derived from the command table."""

from __future__ import annotations

from minikctl.api.errors import UsageError
from minikctl.cli.commands import COMMANDS
from minikctl.cli.parser import GLOBAL_FLAGS, Command


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


# The order in which kubectl 1.32 adds its commands (pkg/cmd/cmd.go: the help groups, then alpha, config,
# plugin, version, api-versions, api-resources, options): cobra suggests in that order. minikctl's own
# commands follow in the table's order.
_KUBECTL_ORDER = ("create expose run set explain get edit delete rollout scale autoscale certificate cluster-info "
                  "top cordon uncordon drain taint describe logs attach exec port-forward proxy cp auth debug "
                  "events diff apply patch replace wait kustomize label annotate completion alpha config plugin "
                  "version api-versions api-resources options").split()


def unknown_command(word: str) -> UsageError:
    """cobra's legacyArgs error for the root command, with its "Did you mean this?" block
    (spf13/cobra args.go, command.go SuggestionsFor): every visible command within Levenshtein
    distance 2 of the word (case-insensitive) or starting with it, in the command table's order."""
    low = word.lower()
    rank = {n: i for i, n in enumerate(_KUBECTL_ORDER)}
    names = sorted((n for n, c in COMMANDS.items() if not c.hidden), key=lambda n: rank.get(n, len(rank)))
    found = [n for n in names if _levenshtein(low, n.lower()) <= 2 or n.lower().startswith(low)]
    hint = "\n\nDid you mean this?\n" + "".join(f"\t{n}\n" for n in found) if found else ""
    return UsageError(f'unknown command "{word}" for "minikctl"{hint}')


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
