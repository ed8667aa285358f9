"""Shared setup for the ingress and TLS CLI tests: the built-in ingress-nginx controller
running (its pod Ready), and the controller's address."""

from __future__ import annotations

import json

# Used only when the image catalog does not (yet) describe the controller image: without a
# catalog entry its pod cannot run (CrashLoopBackOff) and the ingress has no data path.
INGRESS_IMAGE = {
    "description": "ingress-nginx controller v1.12.0: nginx on 80/443 (routing is minikctl's ingress data path)",
    "from": "alpine",
    "process": {"command": ["/usr/bin/dumb-init", "--", "/nginx-ingress-controller"],
                "daemons": ["/nginx-ingress-controller", "nginx-ingress-controller", "/usr/bin/dumb-init"]},
    "listen": [{"port": 80, "address": "0.0.0.0", "protocol": "http"},
               {"port": 443, "address": "0.0.0.0", "protocol": "tcp"}],
}


def controller_ready(mk) -> bool:
    pods = json.loads(mk("get pods -n ingress-nginx -o json").out)["items"]
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for p in pods for c in (p.get("status") or {}).get("conditions") or ())


def ensure_controller(mk, state: str) -> None:
    if controller_ready(mk):
        return
    from minikctl.api.cluster import Session
    from minikctl.images import catalog

    s = Session.open(state)
    try:
        with s.write() as api:
            catalog.add(api.store, [("registry.k8s.io/ingress-nginx/controller", INGRESS_IMAGE)])
    finally:
        s.close()
    assert mk("delete pods -n ingress-nginx --all").code == 0
    assert controller_ready(mk)


def ingress_address(mk, name: str, ns: str = "default") -> str:
    ing = json.loads(mk(f"get ingress {name} -n {ns} -o json").out)
    return ing["status"]["loadBalancer"]["ingress"][0]["ip"]
