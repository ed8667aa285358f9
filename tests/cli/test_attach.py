"""minikctl attach (staging/src/k8s.io/kubectl/pkg/cmd/attach/attach.go): the main process's output
stream, kubectl's messages about TTYs, and its errors. On a manual clock the stream is what the
process has written so far."""

from __future__ import annotations

import pytest

from tests.helpers import store_snapshot

HINT = "If you don't see a command prompt, try pressing enter.\n"


@pytest.fixture
def pods(cluster):
    assert cluster(["run", "loop", "--image=busybox", "--", "sh", "-c",
                    "i=0; while true; do echo tick $i; i=$((i+1)); sleep 5; done"]).code == 0
    assert cluster("run quiet --image=busybox -- sleep 3600").code == 0
    assert cluster("clock advance 12s").code == 0
    return cluster


def test_attach_prints_the_main_process_output(pods):
    r = pods("attach loop")
    assert (r.code, r.out, r.err) == (0, "tick 0\ntick 1\ntick 2\n", HINT)
    assert pods("logs loop").out == r.out
    r = pods("attach pod/loop -q")
    assert (r.code, r.out, r.err) == (0, "tick 0\ntick 1\ntick 2\n", "")
    r = pods("attach pods loop -c loop")  # TYPE NAME
    assert (r.code, r.err) == (0, HINT)
    assert pods("clock advance 5s").code == 0
    assert pods("attach loop -q").out.endswith("tick 3\n")


def test_attach_tty_messages(pods):
    r = pods("attach quiet -i -t")
    # the container did not ask for a TTY (attach.go), then the stdin check of SetupTTY does not apply
    assert (r.code, r.out) == (0, "")
    assert r.err == "error: Unable to use a TTY - container quiet did not allocate one\n" + HINT
    r = pods("attach quiet -t")
    assert r.err == "error: Unable to use a TTY - container quiet did not allocate one\n" + HINT


def test_attach_to_a_container_with_stdin_runs_it_with_the_input(cluster):
    assert cluster("run sh1 --image=busybox -i -t --restart=Never -- sh", input="").code == 0
    r = cluster("attach sh1 -i", input="echo hello from $(hostname)\nexit 3\n")
    assert r.code == 0  # an attach stream has no exit status
    assert r.out == "hello from sh1\n"
    # the container has a TTY, so attach forces one; stdin here is not a terminal
    assert r.err == "Unable to use a TTY - input is not a terminal or the right kind of file\n" + HINT


def test_default_container_notice(cluster, tmp_path):
    f = tmp_path / "two.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n"
                 "  - {name: a, image: busybox, command: [sh, -c, 'echo from-a; sleep 3600']}\n"
                 "  - {name: b, image: busybox, command: [sh, -c, 'echo from-b; sleep 3600']}\n")
    assert cluster(f"apply -f {f}").code == 0
    assert cluster("clock advance 2s").code == 0
    r = cluster("attach two")
    assert (r.code, r.out) == (0, "from-a\n")
    assert r.err == 'Defaulted container "a" out of: a, b\n' + HINT
    assert cluster("attach two -c b -q").out == "from-b\n"


@pytest.mark.parametrize("args,err", [
    ("attach", "error: at least 1 argument is required for attach\n"),
    ("attach a b c", "error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw 3: [a b c]\n"),
    ("attach nope", 'Error from server (NotFound): pods "nope" not found\n'),
    ("attach loop -c nope", "error: cannot attach to the container: container nope not found in pod loop\n"),
    ("attach loop --pod-running-timeout=0s", "error: --pod-running-timeout must be higher than zero\n"),
    ("attach foo/bar", 'error: the server doesn\'t have a resource type "foo"\n'),
])
def test_attach_bad_input(pods, state, args, err):
    before = store_snapshot(state)
    r = pods(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


def test_attach_completed_and_pending_pods(cluster):
    assert cluster(["run", "done", "--image=busybox", "--restart=Never", "--", "sh", "-c", "echo bye"]).code == 0
    assert cluster("run typo --image=busybox:nosuchtag -- sleep 1").code == 0
    assert cluster("clock advance 5s").code == 0
    r = cluster("attach done")
    assert (r.code, r.err) == (1, "error: cannot attach a container in a completed pod; current phase is Succeeded\n")
    r = cluster("attach typo")
    assert r.code == 1
    assert r.err == HINT + 'error: unable to upgrade connection: container not found ("typo")\n'
