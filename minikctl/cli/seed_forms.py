"""The seed tutorial's command lines that kubectl 1.32 refuses, which minikctl still runs as the
kubectl of the tutorial's time did (issue 12): the notice on stderr says plainly that kubectl
1.32 refuses them, with its error (copied from the 1.32 binary), and prints the 1.32 command line
that does the same.

- `run NAME --image=I --replicas=N`: 1.32 has no --replicas (`error: unknown flag: --replicas`,
  pkg/cmd/run/run.go); kubectl <= 1.17 made a Deployment. 1.32: `create deployment`.
- `run ... --generator=deployment/apps.v1`: 1.32 accepts --generator but ignores it (a Pod).
- `exec POD COMMAND` without `--`: 1.32 refuses it (pkg/cmd/exec/exec.go Complete:
  "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead").
"""

from __future__ import annotations

import shlex

EXEC_1_32 = "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead"
RUN_1_32 = "error: unknown flag: --replicas"
GENERATOR_1_32 = "kubectl 1.32 ignores --generator and creates a Pod"


def _line(words: list[str]) -> str:
    return "minikctl " + " ".join(shlex.quote(w) for w in words)


def _ns(ctx) -> list[str]:
    return ["-n", ctx.opts["namespace"]] if ctx.namespace_explicit else []


def run_notice(ctx, name: str, args: list[str]) -> str:
    """The notice for `run --replicas` / `--generator=deployment/apps.v1` (a Deployment)."""
    o = ctx.opts
    words = ["create", "deployment", name, "--image=" + o["image"]]
    if o.get("replicas") is not None:
        words.append(f"--replicas={o['replicas']}")
    port = o.get("port")
    if port not in (None, "", -1, "-1"):
        words.append(f"--port={port}")
    words += _ns(ctx)
    if o.get("dry_run") not in (None, "none"):
        words.append(f"--dry-run={o['dry_run']}")
    if o.get("output"):
        words += ["-o", o["output"]]
    if args:
        words += ["--"] + args
    if o.get("replicas") is not None:
        why = f'kubectl 1.32 refuses this command line ("{RUN_1_32}")'
    else:
        why = GENERATOR_1_32
    lines = [f"Warning: {why}; minikctl runs it as kubectl 1.17 did and creates a Deployment. "
             f"With kubectl 1.32, use:", "  " + _line(words)]
    missing = [flag for flag, dest in (("--labels", "labels"), ("--env", "env"), ("--annotations", "annotations"),
                                       ("--overrides", "overrides"), ("--expose", "expose"))
               if o.get(dest)]
    if missing:
        lines.append(f"  (create deployment has no {', '.join(missing)}: it labels the Deployment and its pods "
                     f"app={name}; set the rest afterwards, e.g. with minikctl label, minikctl set env)")
    if args and not o.get("command"):
        lines.append("  (create deployment makes the words after -- the container's command; run without "
                     "--command made them its args)")
    return "\n".join(lines) + "\n"


def exec_notice(ctx, pod_ref: str, command: list[str]) -> str:
    """The notice for `exec POD COMMAND` without `--`."""
    o = ctx.opts
    words = ["exec"]
    short = ("i" if o.get("stdin") else "") + ("t" if o.get("tty") else "")
    if short:
        words.append("-" + short)
    words.append(pod_ref)
    if o.get("container"):
        words += ["-c", o["container"]]
    words += _ns(ctx)
    words += ["--"] + command
    return (f'Warning: kubectl 1.32 refuses this command line ("{EXEC_1_32}"); minikctl runs it as kubectl 1.17 '
            f"did. With kubectl 1.32, use:\n  {_line(words)}\n")
