"""Every walkthrough in examples/walkthroughs runs green against minikctl (the seed, end to end)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "examples" / "walkthroughs").glob("[0-9]*.sh"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_walkthrough(script, tmp_path):
    bindir = os.path.dirname(sys.executable)
    env = {**os.environ, "MINIKCTL_STATE": str(tmp_path / "w.db"), "PATH": f"{bindir}:{os.environ['PATH']}",
           "HOME": str(tmp_path), "NO_COLOR": "1"}
    p = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, f"{script.name} failed:\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}"
    assert "Traceback" not in p.stdout + p.stderr


def test_every_section_has_a_walkthrough():
    assert len(SCRIPTS) >= 8
