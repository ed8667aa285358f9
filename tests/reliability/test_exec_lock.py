"""A simulated command never holds the store's write lock while it computes (issue 9).

`exec`, `curl` and the in-cluster tools compute over a read snapshot; what they write (the
container's files, the access-log lines of the servers they reach) is applied afterwards in
one short write transaction, after checking that each container it wrote for is still the
same instance (minikctl.kubelet.journal).

The tests hold a command in the middle of its run without relying on time: its command
prints a line on stderr, then more than a pipe holds on stdout, which the test does not read.
The command cannot finish (let alone commit) until the test drains that pipe, so whatever the
test does meanwhile happens while the command is computing. Before the fix, the concurrent
writer waited for the lock (and failed after the busy timeout).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest

# seq's output (348,894 bytes) is far more than a pipe (64 KiB) and Python's buffer hold
LINES = 60000
SEQ_OUT = "".join(f"{i}\n" for i in range(1, LINES + 1))


@contextmanager
def started(state: str, *args: str, **kw):
    """`minikctl ARGS` in a subprocess, killed at the end of the block if still running."""
    env = {**os.environ, "MINIKCTL_STATE": state}
    p = subprocess.Popen([sys.executable, "-m", "minikctl", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, **kw)
    try:
        yield p
    finally:
        if p.poll() is None:
            p.kill()
        p.communicate()


@pytest.fixture
def web(cluster, state):
    r = cluster("run web --image=nginx")
    assert r.code == 0, r
    return state


def _rows(state: str, table: str, uid: str) -> int:
    with sqlite3.connect(state) as db:
        return db.execute(f"SELECT count(*) FROM {table} WHERE pod_uid=?", (uid,)).fetchone()[0]


def test_a_command_sees_its_own_writes_before_they_are_stored(web, cluster):
    """The journal is an overlay over the snapshot, for every reader in the run: the shell,
    and the server of the same pod answering a request to localhost."""
    html = "/usr/share/nginx/html"
    r = cluster(["exec", "web", "--", "sh", "-c",
                 f"echo hi > {html}/x.html; cat {html}/x.html; curl -s localhost/x.html; rm {html}/x.html; "
                 "curl -s -o /dev/null -w '%{http_code}\\n' localhost/x.html; echo kept > /tmp/k"])
    assert (r.code, r.out, r.err) == (0, "hi\nhi\n404\n", "")
    r = cluster(f"exec web -- ls {html} /tmp")
    assert (r.code, r.out) == (0, f"/tmp:\nk\n\n{html}:\n50x.html\nindex.html\n")
    log = cluster("logs web --tail=2").lines
    assert ['"GET /x.html HTTP/1.1" 200 3' in log[0], '"GET /x.html HTTP/1.1" 404 ' in log[1]] == [True, True]


def test_a_writer_succeeds_while_an_exec_computes(web, mk_proc):
    script = f"echo start > /tmp/f; echo computing >&2; seq 1 {LINES}; echo done > /tmp/f"
    with started(web, "exec", "web", "--", "sh", "-c", script) as ex:
        assert ex.stderr.readline() == b"computing\n"
        # the exec is inside its command and cannot finish: its stdout is full and unread
        w = mk_proc("create configmap x --from-literal=a=b")
        assert (w.code, w.out, w.err) == (0, "configmap/x created\n", "")
        assert ex.poll() is None
        out, err = ex.communicate(timeout=60)
    assert (ex.returncode, out.decode(), err.decode()) == (0, SEQ_OUT, "")
    # its writes were applied when it finished, and the writer's object is there too
    r = mk_proc("exec web -- cat /tmp/f")
    assert (r.code, r.out, r.err) == (0, "done\n", "")
    r = mk_proc("get configmap x -o jsonpath={.data.a}")
    assert (r.code, r.out) == (0, "b")


def test_curl_through_a_service_from_an_exec_does_not_block_writers(web, cluster, mk_proc):
    """The server's access-log line is written after the run, in the short transaction."""
    assert cluster("expose pod web --port=80").code == 0
    ip = mk_proc("get pod web -o jsonpath={.status.podIP}").out
    script = (f"curl -s -o /dev/null http://web.default.svc.cluster.local/index.html; echo computing >&2; "
              f"seq 1 {LINES}")
    with started(web, "exec", "web", "--", "sh", "-c", script) as ex:
        assert ex.stderr.readline() == b"computing\n"
        w = mk_proc("create configmap y --from-literal=a=b")
        assert (w.code, w.err) == (0, "")
        assert ex.poll() is None
        r = mk_proc("logs web")
        assert "GET /index.html" not in r.out  # not yet: the exec has not finished
        out, err = ex.communicate(timeout=60)
    assert (ex.returncode, out.decode(), err.decode()) == (0, SEQ_OUT, "")
    r = mk_proc("logs web --tail=1")
    assert r.code == 0 and r.out.startswith(f'{ip} - - [') and '"GET /index.html HTTP/1.1" 200 ' in r.out, r


def test_an_exec_whose_pod_is_deleted_meanwhile_writes_nothing(web, cluster, mk_proc, state):
    """The command ran at its snapshot; the pod deleted afterwards took the files with it:
    they are not written for the deleted pod (no rows resurrected) nor seen by a new pod of
    the same name. The same for the log line of a server pod deleted meanwhile."""
    assert cluster("run srv --image=nginx").code == 0
    uid = mk_proc("get pod web -o jsonpath={.metadata.uid}").out
    srv_uid = mk_proc("get pod srv -o jsonpath={.metadata.uid}").out
    srv_ip = mk_proc("get pod srv -o jsonpath={.status.podIP}").out
    srv_logs = _rows(state, "container_logs", srv_uid)
    assert _rows(state, "container_files", uid) == 0
    script = (f"echo one > /tmp/f; curl -s -o /dev/null http://{srv_ip}/; echo computing >&2; "
              f"seq 1 {LINES}; echo two > /tmp/g")
    with started(web, "exec", "web", "--", "sh", "-c", script) as ex:
        assert ex.stderr.readline() == b"computing\n"
        r = mk_proc("delete pod web srv")
        assert (r.code, r.out) == (0, 'pod "web" deleted\npod "srv" deleted\n'), r
        r = mk_proc("run web --image=nginx")
        assert r.code == 0, r
        assert ex.poll() is None
        out, err = ex.communicate(timeout=60)
    assert (ex.returncode, out.decode(), err.decode()) == (0, SEQ_OUT, "")
    assert _rows(state, "container_files", uid) == 0
    assert _rows(state, "container_logs", srv_uid) == srv_logs
    r = mk_proc("exec web -- cat /tmp/f /tmp/g")
    assert (r.code, r.out) == (1, "")
    assert r.err == ("cat: /tmp/f: No such file or directory\ncat: /tmp/g: No such file or directory\n"
                     "command terminated with exit code 1\n")


LIVE = """
apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  containers:
  - name: main
    image: busybox
    command: [sleep, infinity]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 5
      failureThreshold: 1
"""


def test_an_exec_whose_container_restarts_meanwhile_writes_nothing(cluster, mk_proc, state):
    """The liveness probe kills and restarts the container while the exec computes: the new
    container starts from the image (containerID changed), the exec's files went with the old one."""
    assert cluster(["apply", "-f", "-"], input=LIVE).code == 0
    uid = mk_proc("get pod live -o jsonpath={.metadata.uid}").out
    script = f"echo one > /tmp/f; echo computing >&2; seq 1 {LINES}; echo two > /tmp/g"
    with started(state, "exec", "live", "--", "sh", "-c", script) as ex:
        assert ex.stderr.readline() == b"computing\n"
        r = mk_proc("clock advance 5s")
        assert r.code == 0, r
        r = mk_proc("get pod live -o jsonpath={.status.containerStatuses[0].restartCount}")
        assert (r.code, r.out) == (0, "1")
        assert ex.poll() is None
        out, err = ex.communicate(timeout=60)
    assert (ex.returncode, out.decode(), err.decode()) == (0, SEQ_OUT, "")
    assert _rows(state, "container_files", uid) == 0
    r = mk_proc("exec live -- ls -A /tmp")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_interactive_exec_computes_each_line_without_the_lock(web, mk_proc):
    """exec -it: each line computes over a snapshot, then writes in a short transaction."""
    import pty

    master, slave = pty.openpty()
    try:
        with started(web, "exec", "-it", "web", "--", "sh", stdin=slave) as ex:
            os.close(slave)
            slave = -1
            os.write(master, f"echo one > /tmp/i; echo computing; seq 1 {LINES}; echo two >> /tmp/i\n".encode())
            seen = b""
            while b"computing\n" not in seen:
                chunk = ex.stdout.read1(65536)
                assert chunk, (seen, ex.stderr.read())
                seen += chunk
            # the line is being computed and cannot finish: its output is not read
            w = mk_proc("create configmap z --from-literal=a=b")
            assert (w.code, w.err) == (0, "")
            assert ex.poll() is None
            rest: list[bytes] = []
            drain = threading.Thread(target=lambda: rest.append(ex.stdout.read()))
            drain.start()
            os.write(master, b"cat /tmp/i\nexit 5\n")
            ex.wait(timeout=60)
            drain.join(timeout=60)
            out = (seen + b"".join(rest)).decode()
            err = ex.stderr.read().decode()
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)
    assert (ex.returncode, err) == (5, "command terminated with exit code 5\n")
    assert out == "# computing\n" + SEQ_OUT + "# one\ntwo\n# "


def test_a_meta_value_set_meanwhile_stands_and_objects_are_never_written(cluster, state):
    """Through the journal's own entry points: a meta key another command set after the
    snapshot keeps that command's value; object writes have no place in a command's run."""
    from minikctl.api.cluster import Session
    from minikctl.kubelet import journal as jn

    s = Session.open(state)
    try:
        with jn.snapshot(s) as (api, journal):
            assert api.store.meta_get("client-hosts") is None
            api.store.meta_set("client-hosts", '{"a.example": "1.2.3.4"}')
            assert api.store.meta_get("client-hosts") == '{"a.example": "1.2.3.4"}'
            r = cluster("hosts add 5.6.7.8 b.example")  # another command, meanwhile
            assert r.code == 0, r
            with pytest.raises(jn.JournalWriteError):
                api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
        assert jn.commit(s, journal) == {"files": 0, "logs": 0, "meta": 1}
    finally:
        s.close()
    r = cluster("hosts list")
    assert (r.code, r.out) == (0, "127.0.0.1\tlocalhost\n5.6.7.8\tb.example\n")
    assert cluster("get configmap c").code == 1
