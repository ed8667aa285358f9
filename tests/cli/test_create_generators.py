"""create service|deployment|namespace|configmap|secret --dry-run=client -o yaml prints what kubectl 1.32's
generators print (staging/src/k8s.io/kubectl/pkg/cmd/create/*.go); compared with the real kubectl when present."""

from __future__ import annotations

import shutil
import subprocess

import pytest

CASES = [
    "create deployment web --image=nginx --replicas=2 --port=80",
    "create deployment web --image=nginx -n kube-system",
    "create service nodeport web --tcp=80:8080",
    "create service clusterip web --tcp=80 --clusterip=None",
    "create service loadbalancer web --tcp=80:8080,443:8443",
    "create service externalname ext --external-name=a.b.com",
    "create namespace foo",
    "create configmap c --from-literal=a=b",
    "create secret generic s --from-literal=a=b",
]

EXPECTED_NODEPORT = """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - name: 80-8080
    port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: web
  type: NodePort
status:
  loadBalancer: {}
"""


def test_nodeport_generator_exact(cluster):
    r = cluster("create service nodeport web --tcp=80:8080 --dry-run=client -o yaml")
    assert (r.code, r.out) == (0, EXPECTED_NODEPORT)
    assert cluster("get svc web").code == 1  # nothing was written


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
@pytest.mark.parametrize("cmd", CASES)
def test_generators_match_kubectl(cluster, cmd):
    real = subprocess.run(["kubectl", *cmd.split(), "--dry-run=client", "-o", "yaml"], capture_output=True, text=True)
    if real.returncode != 0:
        pytest.skip(f"kubectl could not run offline: {real.stderr.strip()[:200]}")
    assert cluster(f"{cmd} --dry-run=client -o yaml").out == real.stdout
