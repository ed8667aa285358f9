"""A runaway `exec` never stops other commands from writing (issue 9).

The exec runs an endless loop (the shell's CPU-step and time budgets raised so that it
keeps running for the length of the test); meanwhile a writer with a short lock timeout
must succeed, which it could not while exec held the store's write lock. Then the same
loop under the default budget ends on its own with the budget's exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def web(cluster, state):
    r = cluster("run web --image=nginx")
    assert r.code == 0, r
    return state


def test_a_writer_succeeds_within_its_timeout_while_a_runaway_exec_loops(web, mk_proc):
    env = {**os.environ, "MINIKCTL_STATE": web, "MINIKCTL_SHELL_STEPS": "1000000000",
           "MINIKCTL_SHELL_SECONDS": "600"}
    p = subprocess.Popen([sys.executable, "-m", "minikctl", "exec", "web", "--", "sh", "-c",
                          "echo looping >&2; x=a; while true; do x=$x; done"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert p.stderr.readline() == b"looping\n"  # inside the loop from here on
        # a bounded wait for the lock: before the fix this failed with "the cluster is busy"
        w = mk_proc("create configmap during --from-literal=a=b", env={"MINIKCTL_LOCK_TIMEOUT": "20"})
        assert (w.code, w.out, w.err) == (0, "configmap/during created\n", "")
        assert p.poll() is None, "the runaway exec ended early: raise its budget"
        w = mk_proc("label pod web during=yes")
        assert w.code == 0, w
    finally:
        p.kill()
        p.communicate()
    assert mk_proc("get configmap during -o name").out == "configmap/during\n"


def test_a_runaway_exec_ends_at_its_step_budget(web, mk):
    r = mk(["exec", "web", "--", "sh", "-c", "while true; do :; done"], env={"MINIKCTL_SHELL_STEPS": "5000"})
    assert r.code == 124, r
    assert r.err.endswith("command terminated with exit code 124\n"), r
