#!/usr/bin/env python3
"""Regenerate minikctl/cli/kubectl_help.json: kubectl 1.32's help for every command minikctl has.

    python3 tools/kubectl_help.py [/usr/lib/google-cloud-sdk/bin/kubectl.1.32]

For each command path that both kubectl 1.32 and minikctl have (walked from minikctl's command
table) it runs `kubectl PATH --help` and keeps its parts: the description (cobra's Long, as
kubectl's templater prints it), aliases, examples, the Options table (each flag's shorthand, name,
default as printed, usage text, and the kind minikctl's parser gives it) and the Usage line;
`kubectl options` gives the global flags and `kubectl --help` the root's command groups.
minikctl.cli.help renders them back in kubectl's layout (the test tests/cli/test_help.py checks
that the rendering of the data is kubectl's output byte for byte, with minikctl's name), and
minikctl.cli.parser accepts every flag in them. The binary is needed only to regenerate the
data, never at run time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "minikctl", "cli", "kubectl_help.json")

_SECTION = re.compile(r"^(Aliases|Examples|Available Commands|Options|Usage):$")
_FLAG = re.compile(r"^    (?:-(.), )?--([A-Za-z0-9-]+)=(.*):$")


def _run(kubectl: str, args: list[str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBE")}
    env["HOME"] = "/nonexistent-home"  # --cache-dir's default names $HOME; keep it neutral
    p = subprocess.run([kubectl, *args], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"kubectl {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p.stdout


def kind_of(default: str) -> str:
    """The parser kind of a flag, from its default as kubectl prints it (pflag's Value.String())."""
    if default in ("true", "false"):
        return "bool"
    if default.startswith("["):
        return "list"
    if re.fullmatch(r"-?[0-9]+", default):
        return "int"
    return "str"


def parse_flags(lines: list[str]) -> list[dict]:
    flags: list[dict] = []
    for line in lines:
        m = _FLAG.match(line)
        if m:
            short, name, default = m.groups()
            flags.append({"short": short or "", "name": name, "default": default, "usage": [],
                          "kind": kind_of(default)})
        elif flags:
            flags[-1]["usage"].append(line)
    for f in flags:
        usage = f["usage"]
        while usage and usage[-1] == "":
            usage.pop()
        # each usage line but continuation lines starts with a tab
        f["usage"] = "\n".join(u[1:] if u.startswith("\t") else u for u in usage)
    return flags


def parse_help(text: str) -> dict:
    lines = text.split("\n")
    assert lines[-1] == "", "help ends with a newline"
    lines.pop()
    parts: dict[str, list[str]] = {"Long": []}
    cur = "Long"
    for line in lines:
        m = _SECTION.match(line)
        if m:
            cur = m.group(1)
            parts[cur] = []
            continue
        parts[cur].append(line)

    def block(name):
        body = list(parts.get(name) or [])
        while body and body[-1] == "":
            body.pop()
        return body

    out: dict = {"long": "\n".join(block("Long"))}
    if "Aliases" in parts:
        out["aliases"] = block("Aliases")[0]
    if "Examples" in parts:
        out["examples"] = "\n".join(block("Examples"))
    if "Available Commands" in parts:
        out["commands"] = [l[2:] for l in block("Available Commands")]
    if "Options" in parts:
        out["flags"] = parse_flags(parts["Options"])
    usage = block("Usage")
    out["usage"] = usage[0][2:]
    out["footer"] = "\n".join(usage[1:]).lstrip("\n")
    return out


def command_paths() -> list[list[str]]:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from minikctl.cli.commands import COMMANDS

    paths: list[list[str]] = []

    def walk(table, prefix):
        for name, c in table.items():
            if c.hidden:
                continue
            paths.append(prefix + [name])
            walk(c.subcommands, prefix + [name])

    walk(COMMANDS, [])
    return paths


def main() -> int:
    kubectl = sys.argv[1] if len(sys.argv) > 1 else KUBECTL
    data: dict = {"version": _run(kubectl, ["version", "--client", "-o", "json"]).split('"gitVersion": "')[1].split('"')[0],
                  "commands": {}}
    root = _run(kubectl, ["--help"])
    data["root"] = root
    data["options"] = parse_flags(_run(kubectl, ["options"]).split("\n")[2:])
    kube_cmds = {l.split()[0] for l in root.split("\n") if l.startswith("  ") and not l.startswith("   ")}
    kube_cmds |= {"options"}
    for path in command_paths():
        if path[0] not in kube_cmds:
            continue
        p = subprocess.run([kubectl, *path, "--help"], capture_output=True, text=True,
                           env={**os.environ, "HOME": "/nonexistent-home"})
        if p.returncode != 0 or not p.stdout:
            continue  # (`kubectl options --help` prints nothing)
        parsed = parse_help(p.stdout)
        if len(path) > 1 and parsed["usage"].split()[:len(path) + 1] != ["kubectl", *path]:
            continue  # kubectl showed its parent's help: no such subcommand there
        data["commands"][" ".join(path)] = parsed
    data["commands"]["help"] = parse_help(_run(kubectl, ["help", "--help"]))
    # `kubectl help bogus`: its "Unknown help topic" text, then the root's help without its description
    # (cobra's help command prints it to stderr, exit 0)
    p = subprocess.run([kubectl, "help", "no-such-topic"], capture_output=True, text=True)
    data["help_unknown"] = p.stderr.replace("[`no-such-topic`]", "[`%s`]")
    with open(OUT, "w") as f:
        json.dump(data, f, indent=0, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}: {len(data['commands'])} commands", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
