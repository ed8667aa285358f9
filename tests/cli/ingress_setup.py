"""Shared setup for the ingress and TLS CLI tests: the built-in ingress-nginx controller
(bootstrapped with the cluster) must be running, and the controller's address."""

from __future__ import annotations

import json


def controller_ready(mk) -> bool:
    pods = json.loads(mk("get pods -n ingress-nginx -o json").out)["items"]
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for p in pods for c in (p.get("status") or {}).get("conditions") or ())


def ensure_controller(mk, state: str) -> None:
    assert controller_ready(mk), mk("get pods -n ingress-nginx")


def ingress_address(mk, name: str, ns: str = "default") -> str:
    ing = json.loads(mk(f"get ingress {name} -n {ns} -o json").out)
    return ing["status"]["loadBalancer"]["ingress"][0]["ip"]
