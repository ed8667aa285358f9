"""Running minikctl command lines for a lab: its setup at `lab start`, a `command` check (on a copy of
the store, so that a check never writes the store it reads), and the solutions in tests."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile

from minikctl.api.errors import MinikctlError


class SetupFailed(MinikctlError):
    pass


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def run_cli(argv: list[str], state: str, stdin: str | None = None) -> tuple[int, str, str]:
    """One minikctl command, in this process, on the store at `state`: (exit code, stdout, stderr)."""
    from minikctl.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    old_state = os.environ.get("MINIKCTL_STATE")
    os.environ["MINIKCTL_STATE"] = state
    sys.stdin = _Stdin(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        code = main(list(argv))
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
        if old_state is None:
            os.environ.pop("MINIKCTL_STATE", None)
        else:
            os.environ["MINIKCTL_STATE"] = old_state
        if "minikctl.store.contexts" in sys.modules:
            sys.modules["minikctl.store.contexts"].reset()
    return code, out.getvalue(), err.getvalue()


def run_on_copy(store_path: str, argv: list[str]) -> tuple[int, str, str]:
    """A command on a copy of the store (SQLite backup API) in a temporary directory: whatever it
    does, the store itself is only read."""
    from minikctl.labs.store import backup

    d = tempfile.mkdtemp(prefix="minikctl-lab-check-")
    try:
        copy = os.path.join(d, "store.db")
        backup(store_path, copy)
        return run_cli(argv, copy)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def setup(lab, state: str) -> None:
    """Create the lab's cluster in the (new) store at `state` and run its setup: cluster options and
    clock, images, manifests, then commands. Any step that fails stops it with its error."""
    import yaml

    from minikctl.labs.store import HINTS_META, LAB_META, write_meta

    argv = ["cluster", "create", "--clock", lab.clock.get("mode", "manual")]
    if lab.clock.get("start"):
        argv += ["--clock-start", lab.clock["start"]]
    flags = {"nodes": "--nodes", "serviceCIDR": "--service-cidr", "podCIDR": "--pod-cidr",
             "nodePortRange": "--node-port-range", "clusterDomain": "--cluster-domain", "lbPool": "--lb-pool"}
    for key, flag in flags.items():
        if key in lab.cluster:
            argv += [flag, str(lab.cluster[key])]
    if lab.cluster.get("allowUnknownImages"):
        argv.append("--allow-unknown-images")
    steps: list[tuple[list[str], str | None, str]] = [(argv, None, "minikctl " + " ".join(argv))]
    for img in lab.images:
        steps.append((["image", "add", "-f", "-"], yaml.safe_dump(img, sort_keys=False),
                      f"minikctl image add -f - (image {img.get('name', '?')})"))
    if lab.manifests.strip():
        steps.append((["apply", "-f", "-"], lab.manifests, "minikctl apply -f - (the lab's manifests)"))
    for c in lab.commands:
        steps.append((c.argv, c.stdin, c.line))
    for argv, stdin, shown in steps:
        code, _out, err = run_cli(argv, state, stdin)
        if code != 0:
            raise SetupFailed(f"the setup of lab {lab.name} failed at `{shown}`: {err.strip() or f'exit code {code}'}")
    record = {"name": lab.name, "title": lab.title}
    if not lab.path.startswith(os.path.dirname(os.path.abspath(__file__))):
        record["file"] = os.path.abspath(lab.path)
    write_meta(state, {LAB_META: json.dumps(record, sort_keys=True), HINTS_META: "{}"})


def write_files(lab, workdir: str) -> list[str]:
    """The lab's files (manifests to repair) in its work directory; their paths."""
    if not lab.files:
        return []
    os.makedirs(workdir, exist_ok=True)
    out = []
    for name, text in sorted(lab.files.items()):
        p = os.path.join(workdir, name)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        out.append(p)
    return out
