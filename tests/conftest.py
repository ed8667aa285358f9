"""Shared fixtures: run minikctl as a user would, against a fresh store per test.

`mk` runs the real entry point (minikctl.cli.app:main, what the console script calls)
in-process for speed; `mk_proc` runs the installed console script in a subprocess.
Both return a Result with exit code, stdout and stderr.
"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass

import pytest

# The manual clock of the `cluster` fixture: a fixed instant, not aligned to any minute or hour.
CLOCK_START = "2026-03-14T15:09:26Z"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def __repr__(self) -> str:  # shows up in assertion failures
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


class _BytesStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)

    def read(self, *a):
        return self.buffer.read(*a).decode("utf-8", "replace")

    def readline(self, *a):
        return self.buffer.readline(*a).decode("utf-8", "replace")

    def isatty(self):
        return False

    def __iter__(self):
        for line in self.buffer:
            yield line.decode("utf-8", "replace")


def run_inprocess(args: list[str], state: str, input: str | bytes | None = None, env: dict | None = None) -> Result:
    from minikctl.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    data = input.encode() if isinstance(input, str) else (input or b"")
    old = sys.stdin, sys.stdout, sys.stderr
    old_env = {}
    env = {"MINIKCTL_STATE": state, **(env or {})}
    for k, v in env.items():
        old_env[k] = os.environ.get(k)
        os.environ[k] = v
    sys.stdin, sys.stdout, sys.stderr = _BytesStdin(data), out, err
    try:
        code = main(list(args))
    except SystemExit as e:  # pragma: no cover - main returns codes, it should not exit
        code = e.code if isinstance(e.code, int) else 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def state(tmp_path) -> str:
    return str(tmp_path / "state.db")


@pytest.fixture
def mk(state):
    """mk("get svc") or mk(["get", "svc"]); keyword input= for stdin."""

    def _run(cmd, input=None, env=None) -> Result:
        args = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        return run_inprocess(args, state, input, env)

    return _run


@pytest.fixture
def cluster(mk):
    """A fresh cluster with a frozen clock that starts at a fixed time (deterministic AGE,
    probes, and anything scheduled by the minute or hour: CronJobs)."""
    r = mk(f"cluster create --clock manual --clock-start {CLOCK_START}")
    assert r.code == 0, r
    return mk


@pytest.fixture
def mk_proc(state):
    def _run(cmd, input=None, env=None, timeout=60) -> Result:
        args = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        e = {**os.environ, "MINIKCTL_STATE": state, **(env or {})}
        p = subprocess.run([sys.executable, "-m", "minikctl", *args], input=input.encode() if isinstance(input, str) else input,
                           capture_output=True, env=e, timeout=timeout)
        return Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))

    return _run


def write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)
