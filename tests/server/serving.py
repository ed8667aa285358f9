"""Shared by the `minikctl serve` tests: a server in a subprocess on a free port over a
manual-clock cluster, the real kubectl 1.32 pointed at it, and raw HTTP as a client library
would send it. Each area's tests live in their own tests/server/test_serve_*.py file."""

from __future__ import annotations

import json
import os
import shlex
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.conftest import CLOCK_START, Result, run_inprocess

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"

class Server:
    def __init__(self, root, *extra: str):
        self.root = root
        self.state = str(root / "state.db")
        self.kubeconfig = str(root / "kubeconfig")
        r = self.mk(f"cluster create --clock manual --clock-start {CLOCK_START}")
        assert r.code == 0, r
        env = {**os.environ, "MINIKCTL_STATE": self.state, "MINIKCTL_CONFIG": str(root / "config")}
        self.proc = subprocess.Popen([sys.executable, "-m", "minikctl", "serve", "--port", "0", "--kubeconfig",
                                      self.kubeconfig, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.line = self.proc.stdout.readline().decode()  # the server is up once it printed its URL
        assert self.line.startswith("Starting to serve on https://127.0.0.1:"), (self.line, self.proc.stderr.read())
        self.url = self.line.split()[4]

    def mk(self, cmd, input=None) -> Result:
        args = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        return run_inprocess(args, self.state, input, {"MINIKCTL_CONFIG": str(self.root / "config")})

    def kubectl(self, cmd, input=None, token=None, timeout=60) -> Result:
        args = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.root), "KUBECONFIG": self.kubeconfig}
        if token:
            args = [f"--token={token}", *args]
        p = subprocess.run([KUBECTL, *args], input=input.encode() if isinstance(input, str) else input,
                           capture_output=True, env=env, timeout=timeout)
        return Result(p.returncode, p.stdout.decode(), p.stderr.decode())

    def token(self) -> str:
        return next(ln.split()[-1] for ln in open(self.kubeconfig) if ln.strip().startswith("token:"))

    def http(self, method: str, path: str, body: bytes | None = None, ctype="application/json", token=None,
             accept="application/json"):
        """A raw request, as a client library would send it; returns (code, parsed JSON body)."""
        import base64

        ca = base64.b64decode(next(ln.split()[-1] for ln in open(self.kubeconfig)
                                   if "certificate-authority-data" in ln)).decode()
        ctx = ssl.create_default_context(cadata=ca)
        req = urllib.request.Request(self.url + path, data=body, method=method,
                                     headers={"Authorization": f"Bearer {token or self.token()}",
                                              "Content-Type": ctype, "Accept": accept})
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def stop(self) -> int:
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}
"""
