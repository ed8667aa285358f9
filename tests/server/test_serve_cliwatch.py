"""`minikctl get -w` (issue 12) side by side with the real kubectl 1.32's `get -w` through
`minikctl serve` over the same store: for the same changes, the same lines."""

from __future__ import annotations

import os
import select
import subprocess
import sys

from tests.server.serving import KUBECTL

TIMEOUT = 30


class _Proc:
    def __init__(self, argv, env):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, bufsize=0)
        self.buf = b""

    def lines(self, n: int) -> list[str]:
        out = []
        while len(out) < n:
            while b"\n" not in self.buf:
                ready, _, _ = select.select([self.p.stdout], [], [], TIMEOUT)
                assert ready, f"no line within {TIMEOUT} s; so far {out!r} {self.buf!r}"
                data = os.read(self.p.stdout.fileno(), 65536)
                assert data, self.p.stderr.read()
                self.buf += data
            ln, _, self.buf = self.buf.partition(b"\n")
            out.append(ln.decode() + "\n")
        return out

    def stop(self) -> None:
        self.p.terminate()
        self.p.wait(timeout=TIMEOUT)
        self.p.stdout.close()
        self.p.stderr.close()


def _both(srv, args: str):
    kenv = {"PATH": os.environ.get("PATH", ""), "HOME": str(srv.root), "KUBECONFIG": srv.kubeconfig}
    menv = {**os.environ, "MINIKCTL_STATE": srv.state, "MINIKCTL_CONFIG": str(srv.root / "config")}
    return (_Proc([KUBECTL, *args.split()], kenv), _Proc([sys.executable, "-m", "minikctl", *args.split()], menv))


def _head(srv) -> int:
    from minikctl.store import revlog
    from minikctl.store.db import Store

    s = Store.open(srv.state)
    try:
        return revlog.head(s)
    finally:
        s.close()


def _changes(srv, resource: str, after: int, namespace: str | None = "default") -> int:
    from minikctl.store import revlog
    from minikctl.store.db import Store

    s = Store.open(srv.state)
    try:
        return sum(1 for r in revlog.of_resource(s, resource, after) if namespace is None or r[2] == namespace)
    finally:
        s.close()


def test_get_watch_lines_equal_kubectl_through_serve(srv):
    srv.mk("create configmap a --from-literal=x=1")
    srv.mk("create configmap bb --from-literal=x=1 --from-literal=y=2")
    kubectl, mine = _both(srv, "get configmaps -w")
    try:
        first = kubectl.lines(4)
        assert mine.lines(4) == first
        srv.mk("create configmap ccccccccccccccccccc --from-literal=x=1")
        srv.mk(["patch", "configmap", "a", "-p", '{"data":{"z":"2"}}'])
        srv.mk("delete configmap bb")
        expected = kubectl.lines(3)
        assert expected == ["ccccccccccccccccccc   1      0s\n", "a                     2      0s\n",
                            "bb                    2      0s\n"]
        assert mine.lines(3) == expected
    finally:
        kubectl.stop()
        mine.stop()


def test_pods_with_watch_events_all_namespaces(srv):
    srv.mk("create deployment web --image=nginx:1.27")
    kubectl, mine = _both(srv, "get pods -A --output-watch-events -w")
    try:
        n = int(srv.mk("get pods -A --no-headers").out.count("\n"))
        first = kubectl.lines(n + 1)
        assert first[0].startswith("EVENT      NAMESPACE")
        assert mine.lines(n + 1) == first
        pos = _head(srv)
        srv.mk("scale deployment web --replicas=3")
        srv.mk("label pods -l app=web tier=front")
        changes = _changes(srv, "pods", pos, None)
        expected = kubectl.lines(changes)
        assert [ln.split()[0] for ln in expected][:2] == ["ADDED", "ADDED"]
        assert mine.lines(changes) == expected
    finally:
        kubectl.stop()
        mine.stop()


def test_watch_events_and_event_names_equal_kubectl_through_serve(srv):
    """get --output-watch-events -o json (one WatchEvent a line) and events -w -o name."""
    srv.mk("create deployment ev --image=nginx:1.27")
    kubectl, mine = _both(srv, "get deployments --output-watch-events -o json -w")
    kev, mev = _both(srv, "events -w -o name")
    try:
        n = srv.mk("get deployments --no-headers").out.count("\n")
        assert mine.lines(n) == kubectl.lines(n)
        e = srv.mk("events --no-headers").out.count("\n")
        assert mev.lines(e) == kev.lines(e)
        pos = _head(srv)
        srv.mk("scale deployment ev --replicas=2")
        srv.mk("label deployment ev tier=front")
        changes = _changes(srv, "deployments", pos)
        expected = kubectl.lines(changes)
        assert expected[0].startswith('{"type":"MODIFIED","object":{"apiVersion":"apps/v1","kind":"Deployment",')
        assert mine.lines(changes) == expected
        news = sum(1 for r in _rows_after(srv, "events", pos) if r[4] != "DELETED")
        expected = kev.lines(news)
        assert all(ln.startswith("event/") for ln in expected)
        assert mev.lines(news) == expected
    finally:
        for p in (kubectl, mine, kev, mev):
            p.stop()


def _rows_after(srv, resource: str, after: int):
    from minikctl.store import revlog
    from minikctl.store.db import Store

    s = Store.open(srv.state)
    try:
        return [r for r in revlog.of_resource(s, resource, after) if r[2] == "default"]
    finally:
        s.close()


def test_selector_transitions_equal_kubectl_through_serve(srv):
    """An object that starts to match is ADDED, one that stops is DELETED (cacher semantics)."""
    srv.mk("create configmap sel --from-literal=x=1")
    kubectl, mine = _both(srv, "get configmaps -l team=blue -w --output-watch-events")
    try:
        srv.mk("label configmap sel team=blue")
        first = kubectl.lines(2)
        assert first == ["EVENT      NAME   DATA   AGE\n", "ADDED      sel    1      0s\n"]
        assert mine.lines(2) == first
        srv.mk("label configmap sel team=red --overwrite")
        srv.mk("label configmap sel team=blue --overwrite")
        srv.mk("delete configmap sel")
        expected = kubectl.lines(3)
        assert [ln.split()[0] for ln in expected] == ["DELETED", "ADDED", "DELETED"]
        assert mine.lines(3) == expected
    finally:
        kubectl.stop()
        mine.stop()
