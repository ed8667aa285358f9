"""Every bundled lab (minikctl/labs/data): it lints clean; its untouched setup fails every task's
checks; its solution's command lines, run in this process in order, make every check pass. One
lab's solution is also run the way a student runs it: `minikctl lab solution | bash` with minikctl
on PATH."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from minikctl.labs.loader import bundled_paths, read_file, schema

LABS = sorted(bundled_paths())


def _start(tmp_path, name):
    from minikctl.labs.runner import setup

    lab = read_file(bundled_paths()[name])
    state = str(tmp_path / "lab.db")
    setup(lab, state)
    return lab, state


@pytest.mark.parametrize("name", LABS)
def test_bundled_lab_setup_fails_and_solution_passes(tmp_path, name):
    from minikctl.labs.checks import check_lab
    from minikctl.labs.runner import run_cli

    lab, state = _start(tmp_path, name)
    before = check_lab(lab, state)
    assert [r.task.name for r in before if r.passed] == [], [(r.task.name, r.message) for r in before]
    assert all("expected" in r.message for r in before), \
        [r.message for r in before]
    for task in lab.tasks:
        for cmd in task.solution:
            code, out, err = run_cli(cmd.argv, state, cmd.stdin)
            assert code == 0, (task.name, cmd.line, out, err)
    after = check_lab(lab, state)
    assert [(r.task.name, r.message) for r in after if not r.passed] == []


def test_bundled_lab_counts():
    """The issue's minimum: the tutorial section by section, at least 12 break-fix labs, CKAD tasks."""
    groups = {}
    for name, path in bundled_paths().items():
        groups.setdefault(os.path.basename(os.path.dirname(path)), []).append(name)
    assert len(groups["troubleshooting"]) >= 12
    assert len(groups["tutorial"]) >= 7
    assert len(groups["ckad"]) >= 3


def test_bundled_labs_validate_against_the_shipped_schema():
    """The schema is a real JSON Schema (checked with the jsonschema package when it is installed)."""
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    jsonschema.Draft202012Validator.check_schema(schema())
    v = jsonschema.Draft202012Validator(schema())
    for name, path in bundled_paths().items():
        with open(path) as f:
            doc = yaml.safe_load(f)
        errs = [e.message for e in v.iter_errors(doc)]
        assert errs == [], (name, errs)


def test_solution_piped_to_bash(tmp_path):
    """`minikctl lab start NAME; minikctl lab solution | bash; minikctl lab check` as a student types it."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "minikctl"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m minikctl "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}", "MINIKCTL_STATE": str(tmp_path / "s.db"),
           "MINIKCTL_CONFIG": str(tmp_path / "config")}
    script = ("set -e; minikctl lab start ts-selector >/dev/null; "
              "if minikctl lab check >/dev/null; then exit 9; fi; "
              "minikctl lab solution | bash >/dev/null; minikctl lab check")
    p = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, (p.stdout, p.stderr)
    assert p.stdout.splitlines()[-1].startswith("2/2 tasks done")
