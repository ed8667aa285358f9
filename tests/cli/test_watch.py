"""get -w / --watch-only / --output-watch-events and events -w (issue 12): the listing, then one
line per change another process makes, as kubectl 1.32 prints them
(staging/src/k8s.io/kubectl/pkg/cmd/get/get.go watch(), pkg/cmd/events/events.go runWatch()).

The expected lines are what the real kubectl 1.32 printed for the same commands through
`minikctl serve` (tests/server/test_serve_watch.py compares the two side by side). Each test
starts the watch as a subprocess, reads the lines it expects (select() with a generous timeout:
no assertion on time), makes the next change with `mk`, and ends the watch with SIGINT."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

import pytest

from tests.helpers import store_snapshot

TIMEOUT = 30  # seconds a line may take before the test fails (never reached when all is well)


class Watch:
    def __init__(self, state: str, args: str | list[str]):
        env = {**os.environ, "MINIKCTL_STATE": state}
        argv = args.split() if isinstance(args, str) else list(args)
        self.p = subprocess.Popen([sys.executable, "-m", "minikctl", *argv], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env, bufsize=0)
        self.buf = b""

    def _fill(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not ready:
            return False
        data = os.read(self.p.stdout.fileno(), 65536)
        assert data, f"the watch ended: {self.p.wait()} {self.p.stderr.read()!r}"
        self.buf += data
        return True

    def line(self, timeout: float = TIMEOUT) -> str:
        while b"\n" not in self.buf:
            assert self._fill(timeout), f"no line within {timeout} s; so far {self.buf!r}"
        ln, _, self.buf = self.buf.partition(b"\n")
        return ln.decode() + "\n"

    def lines(self, n: int) -> list[str]:
        return [self.line() for _ in range(n)]

    def text(self, size: int) -> str:
        while len(self.buf) < size:
            assert self._fill(TIMEOUT), f"not {size} bytes within {TIMEOUT} s; so far {self.buf!r}"
        out, self.buf = self.buf[:size], self.buf[size:]
        return out.decode()

    def stop(self, sig=signal.SIGINT):
        """Ctrl-C: kubectl's interrupt handler exits 1 and prints nothing."""
        try:
            self.p.send_signal(sig)
            rest, err = self.p.communicate(timeout=TIMEOUT)
            return self.p.returncode, (self.buf + rest).decode(), err.decode()
        finally:
            if self.p.poll() is None:
                self.p.kill()
                self.p.wait()

    def finish(self):
        """The watch ending by itself (--request-timeout)."""
        rest, err = self.p.communicate(timeout=TIMEOUT)
        return self.p.returncode, (self.buf + rest).decode(), err.decode()


@pytest.fixture
def watch(state):
    started = []

    def _start(args) -> Watch:
        w = Watch(state, args)
        started.append(w)
        return w

    yield _start
    for w in started:
        if w.p.poll() is None:
            w.p.kill()
            w.p.wait()
        w.p.stdout.close()
        w.p.stderr.close()


@pytest.fixture
def cms(cluster):
    cluster("create configmap a --from-literal=x=1")
    cluster("create configmap bb --from-literal=x=1 --from-literal=y=2")
    return cluster


def test_get_watch_lists_then_follows_changes(cms, watch):
    """The table once (tabwriter widths remembered across flushes), then a row per change;
    a deleted object's last row; Ctrl-C ends it with exit code 1 and nothing on stderr."""
    w = watch("get configmaps -w")
    assert w.lines(4) == ["NAME               DATA   AGE\n",
                          "a                  1      0s\n",
                          "bb                 2      0s\n",
                          "kube-root-ca.crt   1      0s\n"]
    cms("create configmap ccccccccccccccccccc --from-literal=x=1")
    assert w.line() == "ccccccccccccccccccc   1      0s\n"
    cms("clock advance 90s")
    cms(["patch", "configmap", "a", "-p", '{"data":{"z":"2"}}'])
    assert w.line() == "a                     2      90s\n"
    cms("delete configmap a")
    assert w.line() == "a                     2      90s\n"
    assert w.stop() == (1, "", "")


def test_output_watch_events_all_namespaces(cms, watch):
    w = watch("get configmaps -A --output-watch-events -w")
    assert w.lines(7) == [
        "EVENT      NAMESPACE         NAME               DATA   AGE\n",
        "ADDED      default           a                  1      0s\n",
        "ADDED      default           bb                 2      0s\n",
        "ADDED      default           kube-root-ca.crt   1      0s\n",
        "ADDED      ingress-nginx     kube-root-ca.crt   1      0s\n",
        "ADDED      kube-node-lease   kube-root-ca.crt   1      0s\n",
        "ADDED      kube-public       kube-root-ca.crt   1      0s\n"]
    assert w.line() == "ADDED      kube-system       kube-root-ca.crt   1      0s\n"
    cms("create namespace other")
    assert w.line() == "ADDED      other             kube-root-ca.crt   1      0s\n"
    cms("label configmap a q=1")
    assert w.line() == "MODIFIED   default           a                  1      0s\n"
    cms("delete namespace other")
    assert w.line() == "DELETED    other             kube-root-ca.crt   1      0s\n"
    assert w.stop() == (1, "", "")


def test_selector_enter_and_leave(cms, watch):
    """The watch cache's filter (cacher.go convertToWatchEvent): an object that starts to match
    is ADDED, one that stops matching is DELETED with its previous content."""
    w = watch("get configmaps -l app=x -w --output-watch-events")
    cms("label configmap bb other=1")  # never matches: nothing
    cms("label configmap a app=x")
    assert w.lines(2) == ["EVENT      NAME   DATA   AGE\n", "ADDED      a      1      0s\n"]
    cms(["patch", "configmap", "a", "-p", '{"data":{"z":"2"}}'])
    assert w.line() == "MODIFIED   a      2      0s\n"
    cms("label configmap a app=y --overwrite")
    assert w.line() == "DELETED    a      2      0s\n"
    cms("label configmap bb app=x")
    assert w.line() == "ADDED      bb     2      0s\n"
    code, out, err = w.stop()
    assert (code, out, err) == (1, "", "")


def test_selector_leave_as_json_keeps_previous_labels(cms, watch):
    w = watch("get configmaps -l app=x -w -o json --output-watch-events")
    cms("label configmap a app=x")
    added = w.line()
    assert added.startswith('{"type":"ADDED","object":{"apiVersion":"v1","data":{"x":"1"},"kind":"ConfigMap",'
                            '"metadata":{"creationTimestamp":"2026-')
    cms("label configmap a app-")
    import json

    gone = json.loads(w.line())
    assert gone["type"] == "DELETED" and gone["object"]["metadata"]["labels"] == {"app": "x"}
    live = json.loads(cms("get configmap a -o json").out)
    assert gone["object"]["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]
    assert w.stop()[0] == 1


def test_watch_only_prints_changes_only(cms, watch):
    """--watch-only: no listing; the header comes with the first change. (Which change is the
    first the watch sees depends on when it started: the row is the same for each.)"""
    w = watch("get configmaps --watch-only")
    i = 0
    while b"\n" not in w.buf:
        cms(f"label configmap a n={i} --overwrite")
        i += 1
        w._fill(0.5)
    assert w.lines(2) == ["NAME   DATA   AGE\n", "a      1      0s\n"]
    cms("create configmap zz")
    assert w.line() == "zz     0      0s\n"
    assert w.stop() == (1, "", "")


def test_named_object(cms, watch):
    w = watch("get configmap bb -w")
    assert w.lines(2) == ["NAME   DATA   AGE\n", "bb     2      0s\n"]
    cms("label configmap a q=1")  # another object: not shown
    cms("label configmap bb q=1")
    assert w.line() == "bb     2      0s\n"
    assert w.stop() == (1, "", "")


def test_name_wide_no_headers_show_labels(cms, watch):
    w = watch("get configmaps -w -o name")
    assert w.lines(3) == ["configmap/a\n", "configmap/bb\n", "configmap/kube-root-ca.crt\n"]
    cms("label configmap a q=1")
    assert w.line() == "configmap/a\n"
    assert w.stop() == (1, "", "")
    w = watch("get configmaps -w --show-labels -L q --no-headers")
    assert w.lines(3) == ["a                  1     0s    1     q=1\n",  # no header: DATA is 6 wide (minwidth)
                          "bb                 2     0s          <none>\n",
                          "kube-root-ca.crt   1     0s          <none>\n"]
    cms("label configmap a q=2 --overwrite")
    assert w.line() == "a                  1     0s    2     q=2\n"
    assert w.stop() == (1, "", "")
    w = watch("get configmaps -w --show-kind")
    assert w.lines(2) == ["NAME                         DATA   AGE\n", "configmap/a                  1      0s\n"]
    assert w.stop()[0] == 1


def test_yaml_documents_separated(cms, watch):
    w = watch("get configmap bb -w -o yaml")
    first = cms("get configmap bb -o yaml").out
    assert w.text(len(first)) == first
    cms("label configmap bb q=1")
    second = cms("get configmap bb -o yaml").out
    assert w.text(len("---\n") + len(second)) == "---\n" + second
    assert w.stop() == (1, "", "")


def test_json_jsonpath_custom_columns(cms, watch):
    w = watch("get configmap a -w -o json")
    first = cms("get configmap a -o json").out
    assert w.text(len(first)) == first
    cms("label configmap a q=1")
    second = cms("get configmap a -o json").out
    assert w.text(len(second)) == second
    assert w.stop() == (1, "", "")
    w = watch("get configmaps -w -o jsonpath={.metadata.name}")
    assert w.text(len("abbkube-root-ca.crt")) == "abbkube-root-ca.crt"
    cms("label configmap a q=2 --overwrite")
    assert w.text(1) == "a"
    assert w.stop() == (1, "", "")
    w = watch("get configmaps -w -o custom-columns=N:.metadata.name,Q:.metadata.labels.q")
    assert w.lines(4) == ["N                  Q\n", "a                  2\n", "bb                 <none>\n",
                          "kube-root-ca.crt   <none>\n"]
    cms("label configmap a q=3 --overwrite")
    assert w.line() == "a                  3\n"
    assert w.stop() == (1, "", "")


def test_sort_by_warns(cms, watch):
    w = watch("get configmaps -w --sort-by=.metadata.name")
    assert w.lines(4)[0] == "NAME               DATA   AGE\n"
    code, out, err = w.stop()
    assert (code, out, err) == (1, "", "warning: --watch requested, --sort-by will be ignored for watch events received\n")


def test_request_timeout_ends_the_watch(cms, watch):
    """kubectl's watch ends when the server closes it: after --request-timeout, exit 0."""
    w = watch("get configmaps -w --request-timeout=1s")
    assert w.finish() == (0, "NAME               DATA   AGE\na                  1      0s\nbb                 2      0s\n"
                             "kube-root-ca.crt   1      0s\n", "")


def test_sigterm_ends_like_ctrl_c(cms, watch):
    w = watch("get configmaps -w")
    w.lines(4)
    assert w.stop(signal.SIGTERM) == (1, "", "")


def test_empty_list_prints_nothing_until_a_change(cluster, watch):
    w = watch("get pods -w")  # kubectl's watch says no `No resources found`
    i = 0
    while b"\n" not in w.buf:  # the first pod the watch sees (it may start after some)
        cluster(f"run p{i} --image=nginx:1.27")
        i += 1
        w._fill(0.5)
    assert w.line() == "NAME   READY   STATUS    RESTARTS   AGE\n"
    assert w.stop()[0] == 1


def test_manual_clock_advance_in_another_process(cluster, watch):
    """`clock advance` in another terminal: the changes it makes (the container's `sleep 5`
    ends, the pod fails) show with the AGE of the new time."""
    cluster(["run", "once", "--image=busybox", "--restart=Never", "--", "sh", "-c", "sleep 5; exit 3"])
    w = watch("get pods -w")
    assert w.lines(2) == ["NAME   READY   STATUS    RESTARTS   AGE\n",
                          "once   1/1     Running   0          0s\n"]
    cluster("clock advance 10s")
    seen = [w.line()]
    while "Error" not in seen[-1]:
        seen.append(w.line())
    assert seen[-1] == "once   0/1     Error     0          10s\n"
    assert w.stop()[0] == 1


@pytest.mark.parametrize("args,err", [
    ("get configmaps,secrets -w", "error: you may only specify a single resource type\n"),
    ("get configmaps/a secrets/b -w", "error: you may only specify a single resource type\n"),
    ("get -w", "error: You must provide one or more resources by argument or filename.\nExample resource "
               "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
               "   '<resource>'\n"),
    ("get configmaps --output-watch-events",
     "error: --output-watch-events option can only be used with --watch or --watch-only\n"),
    ("get configmaps -w --request-timeout=bogus",
     "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a "
     "corresponding time unit (e.g. 1s | 2m | 3h)\n"),
    ("get configmaps nope -w", 'Error from server (NotFound): configmaps "nope" not found\n'),
])
def test_refusals(cms, state, args, err):
    before = store_snapshot(state)
    r = cms(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    if "nope" not in args:
        assert store_snapshot(state) == before


def test_several_names_listed_then_refused(cms):
    r = cms("get configmaps a bb -w")
    assert (r.code, r.out, r.err) == (1, "NAME   DATA   AGE\na      1      0s\nbb     2      0s\n",
                                      "error: you may only watch a single resource or type of resource at a time\n")


def _rows(text: str) -> list[tuple[str, ...]]:
    import re

    return sorted(tuple(re.split(r"\s{2,}", ln.strip())) for ln in text.splitlines() if ln.strip())


def test_events_watch(cluster, watch):
    """events -w: the events there are (the store's key order, unsorted), then new ones as
    they come, one tabwriter with remembered widths."""
    cluster("create deployment web --image=nginx:1.27")
    before = cluster("events --no-headers").out
    n = len(before.splitlines())
    w = watch("events -w")
    got = w.lines(n + 1)
    assert got[0] .split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert _rows("".join(got[1:])) == _rows(before)
    cluster("scale deployment web --replicas=2")
    after = _rows(cluster("events --no-headers").out)
    new = [r for r in after if r not in _rows(before)]
    lines = w.lines(len(new))
    assert _rows("".join(lines)) == new
    assert any("Scaled up replica set" in ln for ln in lines)
    assert w.stop() == (1, "", "")


def test_events_watch_types_and_json(cluster, watch):
    cluster("create deployment web --image=nginx:1.27")
    w = watch("events -w --types=Warning -A")
    cluster("run bad --image=nginx:no-such-tag")
    head = w.line()
    assert head.split() == ["NAMESPACE", "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    first = w.line()
    assert first.split()[:5] == ["default", "0s", "Warning", "Failed", "Pod/bad"]
    assert w.stop()[0] == 1
    w = watch("events -w -o json --for deployment/web")
    import json

    text = ""
    while text.count("\n}\n") < 1:
        text += w.line()
    ev = json.loads(text)
    assert list(ev)[:3] == ["kind", "apiVersion", "metadata"] and ev["reason"] == "ScalingReplicaSet"
    assert w.stop()[0] == 1


def test_events_watch_yaml_documents(cluster, watch):
    """events -w -o yaml: each event a document (keys sorted, as kubectl's YAMLPrinter), `---`
    between them."""
    cluster("create deployment web --image=nginx:1.27")
    w = watch("events -w -o yaml --for deployment/web")
    name = cluster("get events --field-selector involvedObject.kind=Deployment -o jsonpath={.items[0].metadata.name}").out
    first = cluster(f"get event {name} -o yaml").out
    assert w.text(len(first)) == first
    cluster("scale deployment web --replicas=2")
    assert w.line() == "---\n"
    assert w.line() == "apiVersion: v1\n"
    assert w.stop()[0] == 1


def test_wall_clock_timers_run_while_watching_and_later_writes_still_show(mk, state, watch):
    """On a wall clock the watch lets the cluster's timers run (the kubelet's image pull
    back-off falls due with no other command), and it keeps seeing other processes' writes
    after it did so (its reads never stay on an old snapshot)."""
    assert mk("cluster create").code == 0  # wall clock
    assert mk("run bad --image=nginx:no-such-tag").code == 0
    w = watch(["get", "pods", "-w", "--output-watch-events", "-o",
               'jsonpath={.type} {.object.status.containerStatuses[0].state.waiting.reason} '
               '{.object.metadata.labels.x}{"\\n"}'])
    seen = [w.line()]
    while "ImagePullBackOff" not in seen[-1]:  # about a second later, written by the watch's own tick
        seen.append(w.line())
    assert seen[0].startswith("ADDED ") and seen[-1].endswith(" ImagePullBackOff \n")
    mk("label pod bad x=1")
    while not seen[-1].endswith(" 1\n"):
        seen.append(w.line())
    assert seen[-1].startswith("MODIFIED ")
    assert w.stop()[0] == 1
