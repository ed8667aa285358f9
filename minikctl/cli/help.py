"""Help texts and unknown-command errors.

A command kubectl 1.32 also has gets kubectl's help (its description, Aliases, Examples,
Available Commands, Options, Usage and footer, from kubectl_help.json: see kubectl_flags and
tools/kubectl_help.py) with minikctl's name, every kubectl flag listed, and a note on the flags
minikctl accepts without effect or implements differently. minikctl's own commands (cluster,
clock, image, hosts, nslookup, ...) get the same layout from the command table.
The layout is kubectl's templater (staging/src/k8s.io/kubectl/pkg/util/templates/templater.go).
"""

from __future__ import annotations

import re

from minikctl.api.errors import UsageError
from minikctl.cli.commands import COMMANDS
from minikctl.cli.parser import GLOBAL_FLAGS, Command

_NAME = re.compile(r"\bkubectl(?= )")
_OPTIONS_FOOTER = 'Use "minikctl options" for a list of global command-line options (applies to all commands).'
# a note in minikctl's own help of a flag that kubectl's help line should carry too
_NOTE = re.compile(r"\((?=[^()]*(?:minikctl|manual clock|cluster clock|no effect|not supported|emulator|refused))"
                   r"[^()]*\)")
# minikctl flags that only keep old command lines working (kubectl 1.32 hides or lacks them)
_HIDDEN_EXTRAS = {("run", "--replicas"), ("run", "--generator"), ("expose", "--container-port")}


def minikctl_name(text: str) -> str:
    return _NAME.sub("minikctl", text)


def _flag_block(short: str, name: str, default: str, usage: str) -> str:
    head = f"-{short}, --{name}" if short else f"--{name}"
    return f"    {head}={default}:\n\t{usage}\n\n"


def _own_default(f) -> str:
    d = f.default
    if f.kind == "bool":
        return "true" if d else "false"
    if f.kind == "list":
        return "[" + ",".join(d or ()) + "]"
    if f.kind in ("int", "int32"):
        return str(d if d is not None else 0)
    return "'" + (str(d) if d is not None else "") + "'"


def _own_flag_block(f) -> str:
    shorts = [n[1:] for n in f.names if not n.startswith("--")]
    longs = [n[2:] for n in f.names if n.startswith("--")]
    return _flag_block(shorts[0] if shorts and longs else "", longs[0] if longs else shorts[0], _own_default(f),
                       f.help or "")


def _split_usage(cmd: Command) -> tuple[str, str]:
    """minikctl's usage line, and any note after it (a paragraph after a blank line, or a
    parenthesised remark after two spaces) that belongs in the description."""
    usage = cmd.usage or ""
    first, _, rest = usage.partition("\n\n")
    note = "\n".join(line.strip() for line in rest.split("\n")).strip() if rest else ""
    if "  (" in first:
        first, _, remark = first.partition("  (")
        note = (note + " " if note else "") + "(" + remark
    return first.strip(), note


def _usage_line(usage: str, cmd: Command) -> str:
    if not usage:
        usage = "minikctl"
    if cmd.subcommands and "[flags]" not in usage and "SUBCOMMAND" not in usage:
        pass
    return usage if usage.endswith("[options]") else usage + " [options]"


def _subcommand_lines(cmd: Command, kube: dict | None) -> list[str]:
    width = max([len(n) for n in cmd.subcommands] + [len(c.split()[0]) for c in (kube or {}).get("commands", ())])
    kube_help = {c.split()[0]: c for c in (kube or {}).get("commands", ())}
    lines = []
    for name in sorted(set(cmd.subcommands) | set(kube_help)):
        if name in kube_help:
            if name not in cmd.subcommands:
                continue  # kubectl has it, minikctl not (yet)
            lines.append("  " + kube_help[name])
        else:
            sc = cmd.subcommands[name]
            if not sc.hidden:
                lines.append(f"  {name.ljust(max(width, 11) + 2)}{sc.help}")
    return lines


def kubectl_layout(kube: dict, long_note: str = "", commands: list[str] | None = None,
                   blocks: list[tuple[str, str]] | None = None) -> str:
    """kubectl's help page from its parts (kubectl_help.json), with minikctl's name; with only
    `kube`, kubectl's own page (tests/cli/test_help.py compares that with the binary's)."""
    long = minikctl_name(kube["long"])
    if long_note:
        long += "\n\n minikctl: " + long_note
    out = long + "\n\n"
    if "aliases" in kube:
        out += "Aliases:\n" + kube["aliases"] + "\n\n"
    if "examples" in kube:
        out += "Examples:\n" + minikctl_name(kube["examples"]) + "\n\n"
    if commands is None:
        commands = ["  " + c for c in kube.get("commands", ())]
    if commands:
        out += "Available Commands:\n" + "\n".join(commands) + "\n\n"
    if blocks is None:
        blocks = [(f["name"], _flag_block(f["short"], f["name"], f["default"], minikctl_name(f["usage"])))
                  for f in kube.get("flags") or ()]
    if blocks:
        out += "Options:\n" + "".join(b for _, b in sorted(blocks, key=lambda b: b[0]))
    out += "Usage:\n  " + minikctl_name(kube["usage"]) + "\n\n"
    return out + minikctl_name(kube["footer"]) + "\n"


def command_help(cmd: Command, path: list[str]) -> str:
    from minikctl.cli import kubectl_flags

    kube = kubectl_flags.entry(path)
    usage, note = _split_usage(cmd)
    if kube is not None:
        blocks = []
        own = {n: f for f in cmd.flags for n in f.names if n.startswith("--")}
        for kf in kube.get("flags") or ():
            usage_text = minikctl_name(kf["usage"])
            mine = own.get("--" + kf["name"])
            if mine is None:
                usage_text += " " + kubectl_flags.note(kf["name"])
            else:
                m = _NOTE.search(mine.help or "")
                if m and m.group(0) not in usage_text:
                    usage_text += " " + m.group(0)
            blocks.append((kf["name"], _flag_block(kf["short"], kf["name"], kf["default"], usage_text)))
        if kube.get("flags") or not cmd.subcommands:
            names = {b[0] for b in blocks}
            for f in cmd.flags:  # minikctl's own flags on a kubectl command
                if f.long.startswith("--") and f.long[2:] not in names and (path[0], f.long) not in _HIDDEN_EXTRAS:
                    names.add(f.long[2:])
                    blocks.append((f.long[2:], _own_flag_block(f)))
        return kubectl_layout(kube, note, _subcommand_lines(cmd, kube) if cmd.subcommands else [], blocks)
    # minikctl's own command, in kubectl's layout
    out = cmd.help + "." + ("\n\n " + note if note else "") + "\n\n"
    if cmd.aliases:
        out += "Aliases:\n" + ", ".join((cmd.name,) + cmd.aliases) + "\n\n"
    if cmd.subcommands:
        out += "Available Commands:\n" + "\n".join(_subcommand_lines(cmd, None)) + "\n\n"
    if cmd.flags:
        out += "Options:\n" + "".join(_own_flag_block(f) for f in sorted(cmd.flags, key=lambda f: f.long.lstrip("-")))
    out += "Usage:\n  " + _usage_line(usage or "minikctl " + " ".join(path), cmd) + "\n\n"
    if cmd.subcommands:
        out += f'Use "minikctl {" ".join(path)} <command> --help" for more information about a given command.\n'
    return out + _OPTIONS_FOOTER + "\n"


# kubectl 1.32's root help groups (pkg/cmd/cmd.go), then minikctl's own commands
_OWN_GROUP = "Emulator Commands (minikctl):"


def _root_groups(text: str) -> str:
    """kubectl's command groups (from its root help text), keeping the commands minikctl has,
    then minikctl's own commands in a group of their own before Usage."""
    kube_names, lines = set(), []
    for line in text.split("\n"):
        if line.startswith("  ") and not line.startswith("   ") and not line.startswith("  kubectl"):
            name = line.split()[0]
            kube_names.add(name)
            if name not in COMMANDS:
                continue  # kubectl's command minikctl lacks
        lines.append(line)
    text = "\n".join(lines)
    own = [(n, c) for n, c in COMMANDS.items() if not c.hidden and n not in kube_names
           and n not in ("help", "options")]
    own_block = _OWN_GROUP + "\n" + "".join(f"  {n.ljust(14)}  {c.help}\n" for n, c in own) + "\n"
    return minikctl_name(text.replace("Usage:\n", own_block + "Usage:\n", 1))


def root_help() -> str:
    from minikctl.cli import kubectl_flags

    text = kubectl_flags.data()["root"]
    body = text[text.index("\n\n", text.index("Find more information")) + 2:]
    head = ("minikctl controls an emulated Kubernetes 1.32 cluster: kubectl's commands against a local store.\n\n"
            " Find more information in minikctl's README.md; kubectl's reference: "
            "https://kubernetes.io/docs/reference/kubectl/\n\n")
    return head + _root_groups(body)


def options_help() -> str:
    """`minikctl options`: kubectl's global options, then minikctl's own global flags."""
    import os

    from minikctl.cli import kubectl_flags

    home = os.path.expanduser("~")
    mine = {n: f for f in GLOBAL_FLAGS for n in f.names if n.startswith("--")}
    blocks = []
    for kf in kubectl_flags.data()["options"]:
        usage = kf["usage"]
        f = mine.get("--" + kf["name"])
        if f is None:
            usage += " " + kubectl_flags.note(kf["name"])
        elif kf["name"] in ("context", "kubeconfig", "namespace"):
            usage += " (minikctl: " + f.help + ")"
        blocks.append((kf["name"], _flag_block(kf["short"], kf["name"],
                                               kf["default"].replace("/nonexistent-home", home), usage)))
    names = {b[0] for b in blocks}
    for f in GLOBAL_FLAGS:
        if f.long[2:] not in names and f.long != "--help":
            blocks.append((f.long[2:], _own_flag_block(f)))
    body = "".join(b for _, b in sorted(blocks, key=lambda b: b[0]))
    return "The following options can be passed to any command:\n\n" + body


def help_command(ctx) -> int:
    """`minikctl help [COMMAND...]`: cobra's help command (its topic not found: "Unknown help
    topic" and the root's usage on stderr, exit 0)."""
    from minikctl.cli.parser import find_command

    words = list(ctx.args)
    if not words:
        ctx.out.write(root_help())
        return 0
    cmd, path, rest = find_command(COMMANDS, words)
    if cmd is None:
        from minikctl.cli import kubectl_flags

        text = kubectl_flags.data()["help_unknown"]
        first, _, rest = text.partition("\n")
        ctx.err.write(first.replace("%s", words[0]) + "\n" + _root_groups(rest))
        return 0
    if path == ["options"]:
        return 0  # kubectl prints nothing for `help options`
    ctx.out.write(command_help(cmd, path))
    return 0


def options_command(ctx) -> int:
    ctx.out.write(options_help())
    return 0


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
    distance 2 of the word (case-insensitive) or starting with it, in kubectl's order.
    kubectl 1.32 prints no "Run 'kubectl --help' for usage." line after it (the binary's output)."""
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
