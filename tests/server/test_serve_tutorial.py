"""Issue 14's "done means": the service-discovery tutorial's steps (../shared/seed), in kubectl 1.32's
words, typed into the real kubectl against `minikctl serve`, each read compared with what `minikctl`
prints for the same store, byte for byte."""

from __future__ import annotations

import json

import pytest


def same(srv, cmd: str) -> str:
    """kubectl through the server and minikctl on the store print the same; returns the output."""
    k, m = srv.kubectl(cmd), srv.mk(cmd)
    assert (k.code, k.out, k.err) == (m.code, m.out, m.err), cmd
    return k.out


@pytest.fixture(scope="module")
def chef(srv):
    r = srv.kubectl("create deployment cyberchef --image=mpepping/cyberchef --replicas=3 --port=8000")
    assert (r.code, r.out) == (0, "deployment.apps/cyberchef created\n"), r
    r = srv.kubectl("expose deployment cyberchef --port=80 --target-port=8000")
    assert (r.code, r.out) == (0, "service/cyberchef exposed\n"), r
    r = srv.kubectl("rollout status deployment/cyberchef --timeout=30s")
    assert r.code == 0, r
    return srv


def _pod(srv, selector: str) -> str:
    return srv.mk(f"get pods -l {selector} -o jsonpath={{.items[0].metadata.name}}").out


def test_service_tables(chef):
    for what in ("svc -o wide", "endpoints", "endpoints cyberchef -o wide", "pods -o wide", "deploy,rs -o wide",
                 "svc cyberchef -o yaml", "endpointslices"):
        same(chef, f"get {what}")
    same(chef, "describe svc cyberchef")


def test_exec_curl_env_and_dns(chef):
    pod = _pod(chef, "app=cyberchef")
    ip = chef.mk("get svc cyberchef -o jsonpath={.spec.clusterIP}").out
    out = same(chef, f"exec {pod} -- curl -s http://{ip}")
    assert out
    same(chef, f"exec {pod} -- env")
    r = chef.kubectl("run dnsutils --image=tutum/dnsutils --command -- sleep infinity")
    assert (r.code, r.out) == (0, "pod/dnsutils created\n"), r
    assert chef.kubectl("wait --for=condition=Ready pod/dnsutils --timeout=30s").code == 0
    out = same(chef, "exec dnsutils -- nslookup cyberchef")
    assert "cyberchef.default.svc.cluster.local" in out


def test_nodeport_then_loadbalancer(chef):
    r = chef.kubectl(["patch", "svc", "cyberchef", "-p", '{"spec":{"type":"NodePort"}}'])
    assert (r.code, r.out) == (0, "service/cyberchef patched\n"), r
    same(chef, "get svc cyberchef")
    r = chef.kubectl(["patch", "svc", "cyberchef", "--type=merge", "-p", '{"spec":{"type":"LoadBalancer"}}'])
    assert (r.code, r.out) == (0, "service/cyberchef patched\n"), r
    out = same(chef, "get svc cyberchef")
    assert "<pending>" in out  # the address comes after a few seconds of cluster time
    chef.mk("clock advance 5s")
    out = same(chef, "get svc cyberchef -o wide")
    assert "<pending>" not in out


def test_ingress(chef):
    r = chef.kubectl("create ingress cyberchef --class=nginx --rule=cyberchef.example.com/*=cyberchef:80")
    assert (r.code, r.out) == (0, "ingress.networking.k8s.io/cyberchef created\n"), r
    same(chef, "get ingresses")
    same(chef, "get ingress cyberchef -o wide")
    same(chef, "describe ingress cyberchef")


def test_rollout_history_and_undo(chef):
    r = chef.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    assert r.code == 0, r
    assert chef.kubectl("rollout status deployment/web --timeout=30s").code == 0
    r = chef.kubectl("set image deployment/web nginx=nginx:1.26")
    assert (r.code, r.out) == (0, "deployment.apps/web image updated\n"), r
    r = chef.kubectl("annotate deployment web kubernetes.io/change-cause=downgrade")
    assert r.code == 0, r
    assert chef.kubectl("rollout status deployment/web --timeout=30s").code == 0
    out = same(chef, "rollout history deployment/web")
    assert out.endswith("1         <none>\n2         downgrade\n\n"), out
    same(chef, "rollout history deployment/web --revision=1")
    r = chef.kubectl("rollout undo deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web rolled back\n"), r
    assert chef.kubectl("rollout status deployment/web --timeout=30s").code == 0
    image = chef.mk("get deploy web -o jsonpath={.spec.template.spec.containers[0].image}").out
    assert image == "nginx:1.27"
    same(chef, "rollout history deployment/web")
    same(chef, "get rs -l app=web")


def test_scale_label_and_delete(chef):
    r = chef.kubectl("scale deployment cyberchef --replicas=2")
    assert (r.code, r.out) == (0, "deployment.apps/cyberchef scaled\n"), r
    r = chef.kubectl("label deployment cyberchef env=dev")
    assert (r.code, r.out) == (0, "deployment.apps/cyberchef labeled\n"), r
    same(chef, "get deploy cyberchef --show-labels")
    same(chef, "get endpoints cyberchef")
    r = chef.kubectl("delete svc cyberchef")
    assert (r.code, r.out) == (0, 'service "cyberchef" deleted\n'), r
    same(chef, "get svc")
    r = chef.kubectl("delete ingress cyberchef")
    assert r.code == 0, r
    got = json.loads(chef.mk("get ingress -o json").out)
    assert got["items"] == []
