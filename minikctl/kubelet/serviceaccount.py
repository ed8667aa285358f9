"""The service account token volume as the kubelet mounts it: the projected
``kube-api-access-xxxxx`` volume the ServiceAccount admission plugin added
(minikctl/api/admission.py) shows ``token``, ``ca.crt`` and ``namespace`` at
/var/run/secrets/kubernetes.io/serviceaccount in each container that mounts it, and nothing
when the pod opted out (automountServiceAccountToken: false, on the pod or its account).

The token is a bound service account JWT as kube-apiserver issues it for the kubelet's
TokenRequest (pkg/serviceaccount/claims.go): issuer and audience the cluster's
https://kubernetes.default.svc.<domain>, the pod, node and account bound in the
``kubernetes.io`` claim; with --service-account-extend-token-expiration (kubeadm's default)
a 3607 s request is valid for a year and ``warnafter`` marks the 3607 s. The signature is
simulated (stable per pod), not verifiable.
"""

from __future__ import annotations

import base64
import hashlib
import json

MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
EXTENDED_EXPIRATION = 365 * 24 * 3600  # ExpirationExtensionSeconds


def token_volume(pod: dict, container: dict) -> dict | None:
    """The projected volume with a serviceAccountToken source the container mounts at the
    service account path, if any."""
    mounts = [m for m in container.get("volumeMounts") or [] if isinstance(m, dict) and m.get("mountPath") == MOUNT_PATH]
    if not mounts:
        return None
    name = mounts[0].get("name")
    for v in (pod.get("spec") or {}).get("volumes") or []:
        if isinstance(v, dict) and v.get("name") == name and isinstance(v.get("projected"), dict):
            if any(isinstance(s, dict) and isinstance(s.get("serviceAccountToken"), dict)
                   for s in v["projected"].get("sources") or []):
                return v
    return None


def files(api, pod: dict, container: dict) -> dict[str, str]:
    """{path: content} of the token volume's files in this container (empty without one)."""
    vol = token_volume(pod, container)
    if vol is None:
        return {}
    meta = pod["metadata"]
    ns = meta.get("namespace", "default")
    out: dict[str, str] = {}
    for src in vol["projected"].get("sources") or []:
        if not isinstance(src, dict):
            continue
        if isinstance(src.get("serviceAccountToken"), dict):
            out[f"{MOUNT_PATH}/{src['serviceAccountToken'].get('path') or 'token'}"] = token(api, pod)
        elif isinstance(src.get("configMap"), dict):
            cm = api.store.get("configmaps", ns, src["configMap"].get("name") or "")
            data = (cm or {}).get("data") or {}
            for item in src["configMap"].get("items") or [{"key": k, "path": k} for k in data]:
                if item.get("key") in data:
                    out[f"{MOUNT_PATH}/{item.get('path')}"] = data[item["key"]]
        elif isinstance(src.get("downwardAPI"), dict):
            for item in src["downwardAPI"].get("items") or []:
                fp = (item.get("fieldRef") or {}).get("fieldPath")
                if fp == "metadata.namespace":
                    out[f"{MOUNT_PATH}/{item.get('path')}"] = ns
                elif fp == "metadata.name":
                    out[f"{MOUNT_PATH}/{item.get('path')}"] = meta.get("name", "")
    return out


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(api, pod: dict) -> str:
    from minikctl.printers.duration import parse_time

    meta = pod["metadata"]
    spec = pod.get("spec") or {}
    ns = meta.get("namespace", "default")
    sa_name = spec.get("serviceAccountName") or "default"
    sa = api.store.get("serviceaccounts", ns, sa_name) or {}
    node_name = spec.get("nodeName") or ""
    node = api.store.get("nodes", "", node_name) if node_name else None
    started = parse_time((pod.get("status") or {}).get("startTime") or meta.get("creationTimestamp") or "")
    iat = int(started.timestamp()) if started is not None else int(api.clock.timestamp())
    issuer = f"https://kubernetes.default.svc.{api.config.get('clusterDomain', 'cluster.local')}"
    seed = hashlib.sha256(f"{meta.get('uid', '')}|{iat}".encode()).hexdigest()
    jti = f"{seed[:8]}-{seed[8:12]}-4{seed[13:16]}-a{seed[17:20]}-{seed[20:32]}"
    kio = {"namespace": ns}
    if node is not None:
        kio["node"] = {"name": node_name, "uid": node["metadata"].get("uid", "")}
    kio["pod"] = {"name": meta.get("name", ""), "uid": meta.get("uid", "")}
    kio["serviceaccount"] = {"name": sa_name, "uid": (sa.get("metadata") or {}).get("uid", "")}
    kio["warnafter"] = iat + 3607
    claims = {"aud": [issuer], "exp": iat + EXTENDED_EXPIRATION, "iat": iat, "iss": issuer, "jti": jti,
              "kubernetes.io": kio, "nbf": iat, "sub": f"system:serviceaccount:{ns}:{sa_name}"}
    kid = _b64url(hashlib.sha256(b"minikctl-sa-signing-key").digest())
    header = {"alg": "RS256", "kid": kid}
    signing = _b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        _b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = b"".join(hashlib.sha256(f"{signing}|{i}".encode()).digest() for i in range(8))
    return signing + "." + _b64url(sig)
