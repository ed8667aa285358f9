"""explain, api-versions and api-resources compared byte for byte with the real kubectl 1.32.

A tiny fake kube-apiserver on 127.0.0.1 (ephemeral port, this process only) serves discovery for the
kinds minikctl serves (api/kinds.py) and /openapi/v3 from the shipped documents (minikctl/api/openapi.py),
as minikctl's own API server would; kubectl 1.32 then runs its explain template
(staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl) over them, and minikctl must print
the same bytes on stdout and stderr, with the same exit code (messages name ``minikctl`` where kubectl
names itself). Skipped when the kubectl 1.32 binary is not installed.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import run_inprocess
from minikctl.api import kinds as K
from minikctl.api import openapi
from minikctl.cli.cmd_explain import _ALSO_SERVED, served_group_versions, served_paths
from minikctl.cli.cmd_info import verbs
from minikctl.printers.explain import ExplainError, render


def _find_kubectl() -> str | None:
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                 shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return None


KUBECTL = _find_kubectl()
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl 1.32 binary not available")


class _Extra:
    """A kind the fake server also serves (kinds other helpers are about to add: HPA, PDB, ...)."""

    def __init__(self, kind, plural, group, version, namespaced, short_names=(), categories=()):
        self.kind, self.plural, self.singular = kind, plural, kind.lower()
        self.group, self.version, self.namespaced = group, version, namespaced
        self.short_names, self.categories = short_names, categories

    @property
    def api_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version


EXTRA = [
    _Extra("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v2", True, ("hpa",), ("all",)),
    _Extra("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v1", True, ("hpa",), ("all",)),
    _Extra("PodDisruptionBudget", "poddisruptionbudgets", "policy", "v1", True, ("pdb",)),
    _Extra("Role", "roles", "rbac.authorization.k8s.io", "v1", True),
    _Extra("PriorityClass", "priorityclasses", "scheduling.k8s.io", "v1", False, ("pc",)),
    _Extra("Lease", "leases", "coordination.k8s.io", "v1", True),
]


class _Api(BaseHTTPRequestHandler):
    extra: list = []

    def log_message(self, *a):
        pass

    def _send(self, code, body, raw=None):
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        parts = [p for p in u.path.split("/") if p]
        from minikctl.api import reviews

        kinds = list(K.KINDS) + list(reviews.KINDS) + list(self.extra)  # + the create-only reviews
        if u.path == "/version":
            return self._send(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0"})
        if u.path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if u.path == "/apis":
            versions: dict[str, list] = {}
            for k in kinds:  # the kinds' versions first (preferred), then the others served (autoscaling/v1)
                if k.group and k.version not in versions.setdefault(k.group, []):
                    versions[k.group].append(k.version)
            for gv in sorted(served_group_versions()):
                g, _, v = gv.rpartition("/")
                if g and v not in versions[g]:
                    versions[g].append(v)
            groups = []
            for g, vs in versions.items():
                gvs = [{"groupVersion": f"{g}/{v}", "version": v} for v in vs]
                groups.append({"name": g, "versions": gvs, "preferredVersion": gvs[0]})
            return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
        if parts == ["api", "v1"] or (parts[:1] == ["apis"] and len(parts) == 3):
            gv = "v1" if parts[0] == "api" else parts[1] + "/" + parts[2]
            res = [{"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced, "kind": k.kind,
                    "verbs": list(verbs(k.plural)), "shortNames": list(k.short_names),
                    "categories": list(k.categories)} for k in kinds
                   if k.api_version == gv or gv in _ALSO_SERVED.get(k.api_version, ())]  # autoscaling/v1: HPA too
            return self._send(200, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                                    "resources": res})
        served = served_paths() | {openapi.gv_path(k.group, k.version) for k in self.extra}
        if u.path == "/openapi/v3":
            return self._send(200, {"paths": {p: {"serverRelativeURL": f"/openapi/v3/{p}?hash=0"}
                                              for p in sorted(served) if openapi.has(p)}})
        if parts[:2] == ["openapi", "v3"] and "/".join(parts[2:]) in served:
            return self._send(200, None, gzip.decompress(openapi.raw("/".join(parts[2:]))))
        return self._send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": "the server could not find the requested resource", "reason": "NotFound",
                                "code": 404})


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


def _kubectl(kubeconfig, *args, home=None):
    # a fresh HOME (kubectl's discovery cache) per module, or per test when the served kinds change
    env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=str(home or os.path.dirname(kubeconfig)))
    r = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, timeout=60)
    return r.returncode, r.stdout, r.stderr.replace("kubectl", "minikctl")


def _minikctl(tmp_path, *args):
    r = run_inprocess(list(args), str(tmp_path / "state.db"))
    return r.code, r.out, r.err


EXPLAIN_CASES = [
    "pods", "pods.spec", "pods.spec.containers", "pods.spec.containers.resources", "pods.spec.os",
    "pods.spec.containers.ports.protocol", "pods.spec.containers.imagePullPolicy", "pods.metadata.labels",
    "pods.status.phase", "po.spec.restartPolicy", "Pod.spec.dnsPolicy", "pod.spec.volumes.configMap.items",
    "services.spec.type", "svc.spec.ports.targetPort", "services.spec.sessionAffinity",
    "deployments.spec.strategy --recursive", "deployments.apps.spec.template.spec.containers.env.valueFrom",
    "deploy.spec.paused", "deployments --recursive", "replicasets.spec", "daemonsets.spec.updateStrategy",
    "statefulsets.spec.persistentVolumeClaimRetentionPolicy", "controllerrevisions.data",
    "cronjobs.spec", "cronjobs.spec.concurrencyPolicy", "cj.spec.jobTemplate.spec.podFailurePolicy --recursive",
    "jobs.batch.spec.completionMode", "jobs.spec.successPolicy",
    "ingresses.networking.k8s.io.spec.rules", "ing.spec.rules.http.paths.pathType", "ingressclasses.spec",
    "networkpolicies.spec.policyTypes", "netpol.spec --recursive", "endpointslices.endpoints.conditions",
    "endpoints.subsets.ports", "configmaps", "cm.data", "secrets.type", "serviceaccounts --recursive",
    "events.involvedObject", "namespaces.spec.finalizers", "nodes.spec.taints.effect", "no.status.addresses",
    "persistentvolumeclaims.spec.accessModes", "pvc.spec.volumeMode", "pv.spec.persistentVolumeReclaimPolicy",
    "storageclasses.volumeBindingMode", "sc --recursive", "replicationcontrollers.spec.selector",
    # errors, as kubectl prints them (partial output on stdout first)
    "pods.spec.foo", "pods.foo.bar", "pods.metadata.labels.foo", "deployments.v1.apps", "foo", "FOO.spec",
    "ingresses.networking.spec.ingressClassName", "services.apps.spec", "pods.spec.containers[0]",
    "pods.spec..os", "pods..spec", "pods.spec.os.", "pods.spec.{x}", "", "pods svc",
    "pods -o json", "pods -o plaintext --recursive=false", "pods --recursive=maybe",
    "pods --api-version=v1", "pods.spec.os --api-version=v1", "deployments.apps.spec.paused --api-version=apps/v1",
    "pods --api-version=v2", "deployments --api-version=apps/v1beta1", "svc --api-version=apps/v1",
    "pods --api-version=foo/bar/baz", "pods.spec.containers[0] --api-version=v1", "cronjobs --api-version=batch/v1",
    "pods --api-version=autoscaling/v2", "foo -o json", "pods -o json --api-version=v2",
]


@pytest.mark.parametrize("line", EXPLAIN_CASES)
def test_explain_matches_kubectl(api, tmp_path, line):
    args = ["explain", *line.split()]
    assert _minikctl(tmp_path, *args) == _kubectl(api, *args)


@pytest.mark.parametrize("line", [
    "api-versions", "api-versions x", "api-resources", "api-resources -o wide", "api-resources -o name",
    "api-resources --namespaced=false", "api-resources --namespaced", "api-resources --api-group=apps -o wide",
    "api-resources --api-group=", "api-resources --sort-by=kind", "api-resources --sort-by=name --no-headers",
    "api-resources --verbs=deletecollection --namespaced=false", "api-resources --categories=all -o wide",
    "api-resources --api-group=nope", "api-resources --sort-by=age", "api-resources -o json",
])
def test_discovery_commands_match_kubectl(api, tmp_path, line):
    args = line.split()
    assert _minikctl(tmp_path, *args) == _kubectl(api, *args)


def _render(group, version, resource, path, recursive):
    doc = openapi.document(openapi.gv_path(group, version))
    try:
        return 0, render(doc, group, version, resource, path, recursive), ""
    except ExplainError as e:
        return 1, e.partial, str(e) + "\n"


@pytest.fixture
def extra_kinds():
    _Api.extra = EXTRA
    yield
    _Api.extra = []


@pytest.mark.parametrize("line", [
    "hpa --api-version=autoscaling/v2", "hpa.spec.metrics --api-version=autoscaling/v2",
    "hpa.spec.behavior --recursive --api-version=autoscaling/v2", "hpa.spec --api-version=autoscaling/v1",
    "pdb.spec.unhealthyPodEvictionPolicy", "roles.rules", "pc.preemptionPolicy", "leases.spec --recursive",
])
def test_shipped_schemas_of_kinds_to_come_match_kubectl(api, extra_kinds, tmp_path, line):
    """The documents shipped for kinds other helpers are adding (HPA, PDB, RBAC, PriorityClass, Lease):
    the renderer over them, against kubectl over the same documents."""
    words = line.split()
    recursive = "--recursive" in words
    gv = next((w.split("=", 1)[1] for w in words if w.startswith("--api-version=")), None)
    head, *path = words[0].split(".")
    ex = next(e for e in EXTRA if head in (e.plural, *e.short_names) and (gv is None or e.api_version == gv))
    assert _render(ex.group, ex.version, ex.plural, path, recursive) == _kubectl(api, "explain", *words,
                                                                                 home=tmp_path)


def _field_paths(doc, schema, depth, prefix, out):
    """Field paths as explain walks them (through arrays, maps and allOf to the properties)."""
    s = openapi.resolve_ref(schema.get("$ref"), doc) or schema
    while True:
        nxt = s.get("items") or (s.get("additionalProperties") if isinstance(s.get("additionalProperties"), dict)
                                 else None) or ((s.get("allOf") or [None])[0] if not s.get("properties") else None)
        if not nxt:
            break
        s = openapi.resolve_ref(nxt.get("$ref"), doc) or nxt
    for name, sub in (s.get("properties") or {}).items():
        out.append(prefix + [name])
        if depth > 1:
            _field_paths(doc, sub, depth - 1, prefix + [name], out)


def test_every_served_kind_and_its_fields_match_kubectl(api):
    """Every served kind --recursive (every field's name, type, -required- and enum) and a fixed sample of
    its field paths (seeded: the same sample on every run). A wider sweep of 1333 paths (every field to two
    levels, 15 deeper and 4 recursive ones per kind) matched too when this was written."""
    rng = random.Random(132)
    cases = []
    for k in K.KINDS:
        doc = openapi.document(openapi.gv_path(k.group, k.version))
        _, schema = openapi.schema_for_kind(k.group, k.version, k.kind)
        paths: list = []
        _field_paths(doc, schema, 5, [], paths)
        cases.append((k, [], True))
        cases += [(k, p, False) for p in rng.sample(paths, min(len(paths), 2))]
    for k, path, recursive in cases:
        words = [".".join([k.plural, *path])] + (["--recursive"] if recursive else [])
        assert _render(k.group, k.version, k.plural, path, recursive) == _kubectl(api, "explain", *words), words
