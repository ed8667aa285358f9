"""`minikctl events` compared byte for byte with the real kubectl 1.32's `events` (skipped when the
binary is not installed): the events of a real minikctl scenario are served by a tiny fake
kube-apiserver (in key order, as etcd lists them), and kubectl's table, sort order (Go's unstable
sort.Sort over equal times), --for, --types, -A and -o json must be what minikctl prints.

Ages: kubectl measures them on the wall clock, so the served timestamps are moved by (wall now -
cluster now - 9 days); minikctl renders at cluster now + 9 days. Ages of 8 days and more print as
whole days, so the second that passes between the two never shows."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import run_inprocess


def _find_kubectl() -> str | None:
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                 shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return None


KUBECTL = _find_kubectl()
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl 1.32 binary not available")
AGE = timedelta(days=9)

RESOURCES = {"pods": ("v1", "Pod", "po"), "events": ("v1", "Event", "ev"), "nodes": ("v1", "Node", "no"),
             "replicasets": ("apps/v1", "ReplicaSet", "rs"), "deployments": ("apps/v1", "Deployment", "deploy")}


def _shift(v, delta):
    if isinstance(v, dict):
        return {k: _shift(x, delta) for k, x in v.items()}
    if isinstance(v, list):
        return [_shift(x, delta) for x in v]
    if isinstance(v, str) and len(v) == 20 and v[4] == "-" and v[10] == "T" and v.endswith("Z"):
        t = datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) + delta
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    return v


class _Api(BaseHTTPRequestHandler):
    events: list = []

    def log_message(self, *a):
        pass

    def _send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        parts = [p for p in u.path.split("/") if p]
        if u.path == "/api":
            return self._send({"kind": "APIVersions", "versions": ["v1"]})
        if u.path == "/apis":
            gv = {"groupVersion": "apps/v1", "version": "v1"}
            return self._send({"kind": "APIGroupList", "apiVersion": "v1",
                               "groups": [{"name": "apps", "versions": [gv], "preferredVersion": gv}]})
        if parts in (["api", "v1"], ["apis", "apps", "v1"]):
            gv = "v1" if parts[0] == "api" else "apps/v1"
            res = [{"name": p, "singularName": k.lower(), "namespaced": p != "nodes", "kind": k, "verbs": ["get", "list"],
                    "shortNames": [s]} for p, (g, k, s) in RESOURCES.items() if g == gv]
            return self._send({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": res})
        ns = parts[3] if len(parts) > 3 and parts[2] == "namespaces" else None
        items = [e for e in self.events if ns is None or e["metadata"]["namespace"] == ns]
        for term in filter(None, q.get("fieldSelector", "").split(",")):
            key, _, val = term.partition("=")
            field = key.split(".", 1)[1]
            items = [e for e in items if (e.get("involvedObject") or {}).get(field, "") == val]
        self._send({"kind": "EventList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items})


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    d = tmp_path_factory.mktemp("events")
    state = str(d / "state.db")

    def mk(*args):
        r = run_inprocess(list(args), state)
        assert r.code == 0, r
        return r

    mk("cluster", "create", "--clock", "manual")
    mk("create", "deployment", "web", "--image=nginx", "--replicas=3")
    mk("run", "bad", "--image=nginxx")
    mk("run", "once", "--image=busybox", "--restart=Never", "--", "sh", "-c", "exit 3")
    mk("clock", "advance", "95s")
    events = json.loads(mk("get", "events", "-A", "-o", "json").out)["items"]
    now = datetime.strptime(mk("clock").out.split()[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kubeconfig = d / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:%d\"}\n  name: c\n"
        "contexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\n"
        "users:\n- name: u\n  user: {}\n" % server.server_address[1])
    yield state, events, now, str(kubeconfig)
    server.shutdown()
    server.server_close()


def _kubectl(scenario, *args) -> str:
    state, events, now, kubeconfig = scenario
    delta = datetime.now(timezone.utc).replace(microsecond=0) - now - AGE
    _Api.events = sorted((_shift(e, delta) for e in events),
                         key=lambda e: (e["metadata"]["namespace"], e["metadata"]["name"]))
    env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=os.path.dirname(kubeconfig))
    r = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, timeout=60)
    return r.stdout + r.stderr


def _minikctl(scenario, *args) -> str:
    """What `minikctl events ARGS` prints at cluster now + AGE."""
    from minikctl.cli import cmd_events

    state, _, now, _ = scenario
    real = cmd_events.render_events

    def later(evs, when, **kw):
        return real(evs, when + AGE, **kw)

    cmd_events.render_events = later
    try:
        r = run_inprocess(list(args), state)
    finally:
        cmd_events.render_events = real
    return r.out + r.err


@pytest.mark.parametrize("args", [
    ("events",), ("events", "-A"), ("events", "-A", "--no-headers"), ("events", "-n", "kube-system"),
    ("events", "--for", "pod/bad"), ("events", "--for", "deploy/web"), ("events", "--types=Warning"),
    ("events", "-A", "--types", "normal"), ("events", "--for", "po/nope"),
])
def test_events_table_matches_kubectl(scenario, args):
    assert _minikctl(scenario, *args) == _kubectl(scenario, *args)


def test_events_order_with_json_matches_kubectl(scenario):
    tmpl = "{range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}"
    args = ("events", "-A", "-o", "jsonpath=" + tmpl)
    assert _minikctl(scenario, *args) == _kubectl(scenario, *args)
