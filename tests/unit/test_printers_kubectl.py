"""Byte-for-byte comparison with the real kubectl 1.32 (skipped when it is not installed).

A tiny fake kube-apiserver on 127.0.0.1 (ephemeral port, this process only)
serves the fixture objects; kubectl 1.32 then prints them with ``get`` (we
answer its Table requests with ``build_table``, so this checks kubectl's own
rendering against ``render_table``) and ``describe`` (kubectl formats the
JSON itself, so this checks ``describe`` end to end).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import printer_fixtures as fx
from minikctl.printers.columns import build_table
from minikctl.printers.describe import describe
from minikctl.printers.duration import parse_time
from minikctl.printers.table import render_table


def _find_kubectl() -> str | None:
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32", shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return None


KUBECTL = _find_kubectl()
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl 1.32 binary not available")

RESOURCES = {
    "Namespace": ("v1", "namespaces", False), "Node": ("v1", "nodes", False), "Pod": ("v1", "pods", True),
    "Service": ("v1", "services", True), "Endpoints": ("v1", "endpoints", True), "Secret": ("v1", "secrets", True),
    "ConfigMap": ("v1", "configmaps", True), "Event": ("v1", "events", True),
    "ReplicationController": ("v1", "replicationcontrollers", True), "ResourceQuota": ("v1", "resourcequotas", True),
    "LimitRange": ("v1", "limitranges", True), "Deployment": ("apps/v1", "deployments", True),
    "ReplicaSet": ("apps/v1", "replicasets", True), "Ingress": ("networking.k8s.io/v1", "ingresses", True),
    "IngressClass": ("networking.k8s.io/v1", "ingressclasses", False),
    "EndpointSlice": ("discovery.k8s.io/v1", "endpointslices", True), "Lease": ("coordination.k8s.io/v1", "leases", True),
    "ServiceAccount": ("v1", "serviceaccounts", True),
    "NetworkPolicy": ("networking.k8s.io/v1", "networkpolicies", True),
    "DaemonSet": ("apps/v1", "daemonsets", True),
    "PodDisruptionBudget": ("policy/v1", "poddisruptionbudgets", True),  # issue 11 (w-drain)
    "HorizontalPodAutoscaler": ("autoscaling/v2", "horizontalpodautoscalers", True),  # issue 11 (w-hpa)
}


SHORT_NAMES = {"namespaces": ["ns"], "nodes": ["no"], "pods": ["po"], "services": ["svc"], "endpoints": ["ep"],
               "configmaps": ["cm"], "events": ["ev"], "replicationcontrollers": ["rc"], "deployments": ["deploy"],
               "replicasets": ["rs"], "ingresses": ["ing"], "serviceaccounts": ["sa"],
               "networkpolicies": ["netpol"], "daemonsets": ["ds"],
               "poddisruptionbudgets": ["pdb"], "horizontalpodautoscalers": ["hpa"]}


def _shift(obj, delta):
    """Move every RFC3339 timestamp in obj by delta (fixtures are relative to fx.NOW)."""
    if isinstance(obj, dict):
        return {k: _shift(v, delta) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_shift(v, delta) for v in obj]
    if isinstance(obj, str) and len(obj) >= 20 and obj[4:5] == "-" and obj[10:11] == "T" and obj.endswith("Z"):
        t = parse_time(obj)
        if t is not None:
            t = t + delta
            if "." in obj:
                return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    return obj


def _path_value(obj, path):
    cur = obj
    for p in path.split("."):
        cur = cur.get(p) if isinstance(cur, dict) else None
    return "" if cur is None else str(cur)


def _matches(obj, selector, field):
    for term in filter(None, (selector or "").split(",")):
        neg = "!=" in term
        key, _, val = term.partition("!=" if neg else "=")
        val = val.lstrip("=")
        actual = _path_value(obj, key) if field else ((obj.get("metadata") or {}).get("labels") or {}).get(key)
        if (actual == val) == neg:
            return False
    return True


class _Api(BaseHTTPRequestHandler):
    objects: list = []

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
        if u.path == "/version":
            return self._send(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0"})
        if u.path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"],
                                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if u.path == "/apis":
            groups = []
            for g, v in sorted({tuple(gv.split("/")) for gv, _, _ in RESOURCES.values() if "/" in gv}):
                gv = {"groupVersion": g + "/" + v, "version": v}
                groups.append({"name": g, "versions": [gv], "preferredVersion": gv})
            return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
        if parts == ["api", "v1"] or (parts[:1] == ["apis"] and len(parts) == 3):
            gv = "v1" if parts[0] == "api" else parts[1] + "/" + parts[2]
            res = [{"name": plural, "singularName": kind.lower(), "namespaced": nsd, "kind": kind,
                    "verbs": ["get", "list"], "shortNames": SHORT_NAMES.get(plural, [])} for kind, (g, plural, nsd) in RESOURCES.items() if g == gv]
            return self._send(200, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": res})
        gv, rest = ("v1", parts[2:]) if parts[0] == "api" else (parts[1] + "/" + parts[2], parts[3:])
        ns = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        kind = next((k for k, (g, plural, _) in RESOURCES.items() if g == gv and plural == rest[0]), None)
        items = [o for o in self.objects if o["kind"] == kind and (ns is None or o["metadata"].get("namespace") == ns)]
        if len(rest) > 1:
            for o in items:
                if o["metadata"]["name"] == rest[1]:
                    return self._send(200, o)
            return self._send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                    "message": '%s "%s" not found' % (rest[0], rest[1]), "reason": "NotFound",
                                    "details": {"name": rest[1], "kind": rest[0]}, "code": 404})
        items = [o for o in items if _matches(o, q.get("labelSelector"), False) and _matches(o, q.get("fieldSelector"), True)]
        if "as=Table" in self.headers.get("Accept", ""):
            t = build_table(kind, items, datetime.now(timezone.utc))
            return self._send(200, {
                "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
                "columnDefinitions": [{"name": c.name, "type": c.type, "format": c.format, "description": "", "priority": c.priority}
                                      for c in t.columns],
                "rows": [{"cells": r.cells, "object": r.obj} for r in t.rows]})
        return self._send(200, {"kind": kind + "List", "apiVersion": gv, "metadata": {"resourceVersion": "1"}, "items": items})


FIXTURE_OBJECTS = (
    fx.ALL_SERVICES + fx.ALL_PODS + fx.EVENTS_WEB + fx.EVENTS_CRASH
    + [fx.ENDPOINTS_WEB, fx.ENDPOINTS_DB, fx.ENDPOINTS_EMPTY, fx.EPS_WEB, fx.DEPLOYMENT, fx.RS_NEW, fx.RS_OLD, fx.RC,
       fx.INGRESS, fx.INGRESS_BARE, fx.INGRESS_CLASS, fx.SECRET, fx.SECRET_TLS, fx.CONFIGMAP, fx.CONFIGMAP_BIN, fx.NAMESPACE,
       fx.NAMESPACE_TERMINATING, fx.NODE, fx.NODE_WORKER, fx.LEASE]
    + [fx.POD_CONFIG_ERROR, fx.SA_DEFAULT, fx.SA_BUILDER] + fx.EVENTS_CONFIG_ERROR
    + [fx.POD_VOLUMES] + fx.EVENTS_VOLUMES
    + [fx.NODE_RES] + fx.PODS_RES
    + fx.ALL_NETPOLS
    + [fx.DAEMONSET, fx.DAEMONSET_BARE, fx.POD_DS, fx.POD_DS_PENDING] + fx.EVENTS_DS
    + fx.ALL_PDBS + fx.EVENTS_PDB  # issue 11 (w-drain)
    + [fx.HPA_WEB, fx.HPA_BARE] + fx.EVENTS_HPA  # issue 11 (w-hpa)
)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    kubeconfig = tmp_path_factory.mktemp("kube") / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:%d\"}\n  name: c\n"
        "contexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\n"
        "users:\n- name: u\n  user: {}\n" % server.server_address[1])
    yield str(kubeconfig)
    server.shutdown()
    server.server_close()


def _load(now):
    _Api.objects = [_shift(copy.deepcopy(o), now - fx.NOW) for o in FIXTURE_OBJECTS]
    return _Api.objects


def _kubectl(kubeconfig, *args):
    env = dict(os.environ, KUBECONFIG=kubeconfig, TZ="UTC", HOME=os.path.dirname(kubeconfig))
    r = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, timeout=30)
    return r.stdout + r.stderr


def _at_kubectls_instant(render, before, after, theirs):
    """Our rendering at the instant kubectl computed its ages. kubectl read the clock somewhere
    between ``before`` and ``after``; every fixture timestamp is a whole number of seconds from
    ``before``, so the printed ages only change at whole-second ticks: try ``before``, each tick
    up to ``after``, and ``after``, and return the one equal to kubectl's output (else the first,
    for the assertion's diff). Not a tolerance: a rendering that differs at every instant fails."""
    from datetime import timedelta
    first = render(before)
    if first == theirs:
        return first
    t = before + timedelta(seconds=1)
    while t < after:
        if (r := render(t)) == theirs:
            return r
        t += timedelta(seconds=1)
    return theirs if render(after) == theirs else first


def _by(objs, kind, name):
    return next(o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name)


GET_CASES = [
    (["get", "svc"], "Service", {}), (["get", "svc", "-o", "wide"], "Service", {"wide": True}),
    (["get", "svc", "-A", "--show-labels"], "Service", {"namespace_column": True, "show_labels": True}),
    (["get", "pods", "-o", "wide"], "Pod", {"wide": True}), (["get", "ep"], "Endpoints", {}),
    (["get", "endpointslices"], "EndpointSlice", {}), (["get", "deploy", "-o", "wide"], "Deployment", {"wide": True}),
    (["get", "rs", "-o", "wide"], "ReplicaSet", {"wide": True}), (["get", "rc", "-o", "wide"], "ReplicationController", {"wide": True}),
    (["get", "ing"], "Ingress", {}), (["get", "ingressclass"], "IngressClass", {}), (["get", "nodes", "-o", "wide"], "Node", {"wide": True}),
    (["get", "secrets"], "Secret", {}), (["get", "cm"], "ConfigMap", {}), (["get", "ns"], "Namespace", {}),
    (["get", "events", "-o", "wide"], "Event", {"wide": True}), (["get", "pods", "--no-headers"], "Pod", {"no_headers": True}),
    (["get", "pods", "-L", "app"], "Pod", {"label_columns": ["app"]}),
    (["get", "sa"], "ServiceAccount", {}),
    (["get", "netpol"], "NetworkPolicy", {}),
    (["get", "ds"], "DaemonSet", {}), (["get", "ds", "-o", "wide"], "DaemonSet", {"wide": True}),
    (["get", "pdb"], "PodDisruptionBudget", {}), (["get", "pdb", "-o", "wide"], "PodDisruptionBudget", {"wide": True}),
    (["get", "hpa"], "HorizontalPodAutoscaler", {}),  # issue 11 (w-hpa)
]


@pytest.mark.parametrize("args,kind,kw", GET_CASES, ids=[" ".join(c[0]) for c in GET_CASES])
def test_get_matches_kubectl(api, args, kind, kw):
    now = datetime.now(timezone.utc)
    objs = [o for o in _load(now) if o["kind"] == kind]
    if kind != "Namespace" and kind != "Node" and kind != "IngressClass":
        objs = [o for o in objs if o["metadata"].get("namespace") == "default"]
    theirs = _kubectl(api, *args)
    after = datetime.now(timezone.utc)
    ours = _at_kubectls_instant(lambda t: render_table(build_table(kind, objs, t), **kw), now, after, theirs)
    assert ours == theirs


DESCRIBE_CASES = [
    ("Service", "web", ["describe", "svc", "web"]), ("Service", "db", ["describe", "svc", "db"]),
    ("Service", "lb", ["describe", "svc", "lb"]), ("Service", "lb-pending", ["describe", "svc", "lb-pending"]),
    ("Service", "ext", ["describe", "svc", "ext"]), ("Endpoints", "web", ["describe", "ep", "web"]),
    ("EndpointSlice", "web-abc12", ["describe", "endpointslice", "web-abc12"]),
    ("Pod", "web-7d4b9c-abcde", ["describe", "pod", "web-7d4b9c-abcde"]), ("Pod", "crash", ["describe", "pod", "crash"]),
    ("Pod", "pending", ["describe", "pod", "pending"]), ("Pod", "init", ["describe", "pod", "init"]),
    ("Pod", "done", ["describe", "pod", "done"]), ("Pod", "dying", ["describe", "pod", "dying"]),
    ("Deployment", "web", ["describe", "deploy", "web"]), ("ReplicaSet", "web-7d4b9c", ["describe", "rs", "web-7d4b9c"]),
    ("ReplicationController", "legacy", ["describe", "rc", "legacy"]), ("Ingress", "web-ing", ["describe", "ing", "web-ing"]),
    ("Ingress", "bare", ["describe", "ing", "bare"]), ("IngressClass", "nginx", ["describe", "ingressclass", "nginx"]),
    ("Node", "node-1", ["describe", "node", "node-1"]), ("Node", "worker-2", ["describe", "node", "worker-2"]),
    ("Secret", "creds", ["describe", "secret", "creds"]), ("ConfigMap", "cfg", ["describe", "cm", "cfg"]),
    ("ConfigMap", "bin", ["describe", "cm", "bin"]), ("Namespace", "default", ["describe", "ns", "default"]),
    ("Pod", "cfgerr", ["describe", "pod", "cfgerr"]), ("ServiceAccount", "default", ["describe", "sa", "default"]),
    ("ServiceAccount", "builder", ["describe", "sa", "builder"]),
    ("Pod", "vols", ["describe", "pod", "vols"]),
    ("Node", "kind-worker", ["describe", "node", "kind-worker"]),  # resources: requests, limits, Allocated resources
    ("Pod", "guaranteed", ["describe", "pod", "guaranteed", "-n", "res"]),
    ("NetworkPolicy", "test-network-policy", ["describe", "netpol", "test-network-policy"]),
    ("NetworkPolicy", "deny-all", ["describe", "networkpolicy", "deny-all"]),
    ("NetworkPolicy", "egress-only", ["describe", "netpol", "egress-only"]),
    ("DaemonSet", "agent", ["describe", "ds", "agent"]), ("DaemonSet", "bare-ds", ["describe", "ds", "bare-ds"]),
    # issue 11 (w-drain)
    ("PodDisruptionBudget", "web-pdb", ["describe", "pdb", "web-pdb"]),
    ("PodDisruptionBudget", "db-pdb", ["describe", "pdb", "db-pdb"]),
    ("PodDisruptionBudget", "everything", ["describe", "pdb", "everything"]),
    ("PodDisruptionBudget", "no-selector", ["describe", "pdb", "no-selector"]),
    ("HorizontalPodAutoscaler", "php-apache", ["describe", "hpa", "php-apache"]),  # issue 11 (w-hpa)
    ("HorizontalPodAutoscaler", "many", ["describe", "hpa", "many"]),
]


def _related(objs, kind, obj):
    ns = [o for o in objs if o["metadata"].get("namespace") == "default"]
    of = lambda k: [o for o in ns if o["kind"] == k]  # noqa: E731
    if kind in ("Service", "Ingress"):
        return {"endpointslices": of("EndpointSlice"), "services": {o["metadata"]["name"]: o for o in of("Service")}}
    if kind in ("ReplicaSet", "ReplicationController", "DaemonSet"):
        return {"pods": of("Pod")}
    if kind == "Deployment":
        return {"replicasets": of("ReplicaSet")}
    if kind == "ServiceAccount":
        return {"secret_names": {o["metadata"]["name"] for o in of("Secret")}}
    if kind == "Node":
        lease = next((o for o in objs if o["kind"] == "Lease" and o["metadata"]["name"] == obj["metadata"]["name"]), None)
        # None: looked up and missing (kubectl prints "Failed to get lease")
        return {"pods": [o for o in objs if o["kind"] == "Pod"], "lease": lease}
    return {}


@pytest.mark.parametrize("kind,name,args", DESCRIBE_CASES, ids=[" ".join(c[2]) for c in DESCRIBE_CASES])
def test_describe_matches_kubectl(api, monkeypatch, kind, name, args):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        now = datetime.now(timezone.utc)
        objs = _load(now)
        obj = _by(objs, kind, name)
        uid = obj["metadata"].get("uid")
        # kubectl searches by involvedObject uid/name/namespace, and kind except for pods
        events = [e for e in objs if e["kind"] == "Event" and e["involvedObject"].get("uid") == uid
                  and (kind == "Pod" or e["involvedObject"].get("kind") == kind)]
        # kubectl 1.32 ranges over a ConfigMap's data map (random order): ask again until it
        # prints the order we print (2 keys: 1 in 2 each time)
        for _ in range(12 if kind == "ConfigMap" else 1):
            theirs = _kubectl(api, *args)
            after = datetime.now(timezone.utc)
            if _at_kubectls_instant(lambda t: describe(kind, obj, events, t, _related(objs, kind, obj)),
                                    now, after, theirs) == theirs:
                break
        if kind == "Secret":  # kubectl 1.32 ranges over the data map: random order
            theirs = sorted(theirs.splitlines())
            render = lambda t: sorted(describe(kind, obj, events, t, _related(objs, kind, obj)).splitlines())  # noqa: E731
        else:
            render = lambda t: describe(kind, obj, events, t, _related(objs, kind, obj))  # noqa: E731
        ours = _at_kubectls_instant(render, now, after, theirs)
        assert ours == theirs
    finally:
        monkeypatch.undo()
        time.tzset()


def test_shift_helper():
    d = timedelta(days=1)
    assert _shift({"a": ["2024-11-25T12:00:00Z", "x"], "b": "2024-11-25T12:00:00.123456Z"}, d) == {
        "a": ["2024-11-26T12:00:00Z", "x"], "b": "2024-11-26T12:00:00.123456Z"}
