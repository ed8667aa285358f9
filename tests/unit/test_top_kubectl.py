"""`top pod` / `top node` printing compared byte for byte with the real kubectl 1.32
(staging/src/k8s.io/kubectl/pkg/cmd/top, metricsutil/metrics_printer.go), skipped when the
binary is not installed. A tiny fake kube-apiserver with the metrics.k8s.io/v1beta1 API serves
the same usage minikctl.cli.cmd_top renders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from minikctl.cli.cmd_top import render_nodes, render_pods


def _find_kubectl() -> str | None:
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                 shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return None


KUBECTL = _find_kubectl()
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl 1.32 binary not available")

# (namespace, pod, labels, [(container, millicores, bytes)])
PODS = [
    ("default", "web-1", {"app": "web"}, [("nginx", 1, 3 << 20), ("sidecar", 0, 700 << 10)]),
    ("default", "memory-demo", {"app": "demo"}, [("memory-demo-ctr", 50, 158 << 20)]),
    ("default", "cpu-demo", {"app": "demo"}, [("cpu-demo-ctr", 1000, 1 << 20)]),
    ("kube-system", "coredns-abc", {"k8s-app": "kube-dns"}, [("coredns", 2, 13 << 20)]),
]
# (node, millicores, bytes, allocatable cpu, allocatable memory)
NODES = [("kind-control-plane", 96, 602 << 20, "8", "32827164Ki"), ("kind-worker", 1020, 350 << 20, "2", "4Gi"),
         ("kind-worker2", 20, 183 << 20, "2", "4Gi")]


def _pod_metrics(ns, name, labels, conts):
    return {"kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": {"name": name, "namespace": ns, "labels": labels, "creationTimestamp": "2024-11-25T12:00:00Z"},
            "timestamp": "2024-11-25T12:00:00Z", "window": "15s",
            "containers": [{"name": c, "usage": {"cpu": f"{m * 1000000}n", "memory": f"{b // 1024}Ki"}}
                           for c, m, b in conts]}


def _selected(labels, sel):
    for term in filter(None, (sel or "").split(",")):
        k, _, v = term.partition("=")
        if labels.get(k) != v:
            return False
    return True


class _Api(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: C901 - a router
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        parts = [p for p in u.path.split("/") if p]
        sel = q.get("labelSelector")
        if u.path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if u.path == "/apis":
            gv = {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}
            return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": "metrics.k8s.io", "versions": [gv], "preferredVersion": gv}]})
        if parts == ["apis", "metrics.k8s.io", "v1beta1"]:
            return self._send(200, {"kind": "APIResourceList", "groupVersion": "metrics.k8s.io/v1beta1", "resources": [
                {"name": "nodes", "kind": "NodeMetrics", "namespaced": False, "verbs": ["get", "list"]},
                {"name": "pods", "kind": "PodMetrics", "namespaced": True, "verbs": ["get", "list"]}]})
        if parts == ["api", "v1", "nodes"]:
            items = [{"metadata": {"name": n}, "status": {"allocatable": {"cpu": c, "memory": m},
                                                          "capacity": {"cpu": c, "memory": m}}}
                     for n, _, _, c, m in NODES]
            return self._send(200, {"kind": "NodeList", "apiVersion": "v1", "metadata": {}, "items": items})
        if parts == ["apis", "metrics.k8s.io", "v1beta1", "nodes"]:
            items = [{"metadata": {"name": n}, "timestamp": "2024-11-25T12:00:00Z", "window": "15s",
                      "usage": {"cpu": f"{cpu * 1000000}n", "memory": f"{mem // 1024}Ki"}} for n, cpu, mem, _, _ in NODES]
            return self._send(200, {"kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                                    "metadata": {}, "items": items})
        if parts[:3] == ["apis", "metrics.k8s.io", "v1beta1"]:
            ns = parts[4] if len(parts) > 4 and parts[3] == "namespaces" else None
            items = [_pod_metrics(*p) for p in PODS if (ns is None or p[0] == ns) and _selected(p[2], sel)]
            if len(parts) == 7:
                items = [i for i in items if i["metadata"]["name"] == parts[6]]
                return self._send(200, items[0])
            return self._send(200, {"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                                    "metadata": {}, "items": items})
        return self._send(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404})


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kubeconfig = tmp_path_factory.mktemp("kube") / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:%d\"}\n  name: c\n"
        "contexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\n"
        "users:\n- name: u\n  user: {}\n" % server.server_address[1])
    yield str(kubeconfig)
    server.shutdown()
    server.server_close()


def _kubectl(kubeconfig, *args):
    env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=os.path.dirname(kubeconfig))
    r = subprocess.run([KUBECTL, *args, "--use-protocol-buffers=false"], capture_output=True, text=True, env=env,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


POD_CASES = [[], ["-A"], ["--containers"], ["-A", "--containers"], ["--sort-by=cpu"], ["--sort-by=memory", "-A"],
             ["--no-headers"], ["--sum"], ["-A", "--containers", "--sum"], ["--no-headers", "-A", "--sum"],
             ["-l", "app=demo"], ["memory-demo"], ["--containers", "--sort-by=memory"]]


@pytest.mark.parametrize("flags", POD_CASES, ids=[" ".join(c) or "plain" for c in POD_CASES])
def test_top_pod_matches_kubectl(api, flags):
    all_ns = "-A" in flags
    sel = flags[flags.index("-l") + 1] if "-l" in flags else None
    name = next((f for f in flags if not f.startswith("-") and f != sel), None)
    sort_by = next((f.split("=")[1] for f in flags if f.startswith("--sort-by=")), "")
    metrics = [(ns, n, c) for ns, n, lab, c in PODS if (all_ns or ns == "default") and _selected(lab, sel)
               and (name is None or n == name)]
    ours = render_pods(metrics, "--containers" in flags, all_ns, "--no-headers" in flags, sort_by, "--sum" in flags)
    assert ours == _kubectl(api, "top", "pod", *flags)


NODE_CASES = [[], ["--sort-by=cpu"], ["--sort-by=memory"], ["--no-headers"]]


@pytest.mark.parametrize("flags", NODE_CASES, ids=[" ".join(c) or "plain" for c in NODE_CASES])
def test_top_node_matches_kubectl(api, flags):
    from minikctl.kubelet.resources import milli

    sort_by = next((f.split("=")[1] for f in flags if f.startswith("--sort-by=")), "")
    data = [(n, cpu, mem, milli(c), milli(m)) for n, cpu, mem, c, m in NODES]
    assert render_nodes(data, "--no-headers" in flags, sort_by) == _kubectl(api, "top", "node", *flags)
