"""The root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
every active namespace has the ConfigMap ``kube-root-ca.crt`` holding the cluster CA
(``ca.crt``) with its description annotation; a deleted one is created again and an edited
one is put back (data and annotation)."""

from __future__ import annotations

NAME = "kube-root-ca.crt"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
               "such as the internal service IP or kubernetes.default.svc. "
               "No other usage is guaranteed across distributions of Kubernetes clusters.")

# The simulated cluster CA (CN=kubernetes, self-signed, ten years), as kind/kubeadm make one.
ROOT_CA = """-----BEGIN CERTIFICATE-----
MIIDETCCAfmgAwIBAgIUNnotJ9j1ukyIigs1ApDhZf3k0KYwDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNTAxMDEwMDAwMDBaFw0zNDEy
MzAwMDAwMDBaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDBxP8BBMogcEM/NZOzLUOavhRaUHh0kx2P/VV8fMCI
HavD7Ip/t4PcHKEibARsOhNrNXukoQHMiqnLgPHf9c0SClUKhmQMUWVEO6vQbhQ1
lNN12S0RoSTCBPw/Kv4R6022cmzIUUMt0K2JxPAeLpArgMMCxkb+5R5idO/NtYZ5
iU74lOOeN4PGomUuc8LwGEzLTdm6e/aBNWx1+3dLzqFHXKliy0Dc91XJUF1nNXzj
1bGfQdsJSgzDFW4BrcQtPbVbSi0LHx2fc85mIwPyjCoZxGfI/mALDoh1E9C1qWm9
O0ZO4Pq4wynzdD65tQSmgHmyb5CuIWUwOckZeyuNgdNLAgMBAAGjWTBXMA4GA1Ud
DwEB/wQEAwICpDAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTdSHf3qQcgpy+2
dk04UqhSpnsRnDAVBgNVHREEDjAMggprdWJlcm5ldGVzMA0GCSqGSIb3DQEBCwUA
A4IBAQAhgd95M7WrapTzK3xbRsw3pKvWNiK5CdXrHGzAtb9X5M0XR0LkRxi9fy6I
2XahZlnLTbwHEzB4ldwO9svikUjHVWD6RbzJ92ytl99WDpeqz5pEpqnKnd5Twt42
gmehTq5iiTXK6PXVoLxzyC36Z4fQTuCzi+M25DLxxqdj17oQPqf4xBh96m0a51XH
k56mScwLKSqCnR8TrMtwxCMRUa/B/cPnKrnB80Z56e/w6dvJ6nB+lzBCjDUX7vNr
2+YRTo/jwnHWk4sCzzkROywrMnGMxAZ+FqM7sG84Lpgxkk3z1FEBsVWLH7Yxm61u
NDop5S6io0rK8hT6RPNCjjlYYXvR
-----END CERTIFICATE-----
"""


def on_namespace(api, _namespace: str, name: str) -> None:
    sync(api, name)


def on_configmap(api, namespace: str, name: str) -> None:
    if name == NAME:
        sync(api, namespace)


def sync(api, namespace: str) -> None:
    """syncNamespace."""
    ns = api.store.get("namespaces", "", namespace)
    if ns is None or (ns.get("metadata") or {}).get("deletionTimestamp") or \
            (ns.get("status") or {}).get("phase") == "Terminating":
        return
    data = {"ca.crt": ROOT_CA}
    cm = api.store.get("configmaps", namespace, NAME)
    if cm is None:
        api.create({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": NAME, "namespace": namespace,
                                 "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION}},
                    "data": data})
        return
    annotations = (cm.get("metadata") or {}).get("annotations") or {}
    if cm.get("data") == data and annotations.get(DESCRIPTION_ANNOTATION):
        return
    from minikctl.api.server import clone

    cm = clone(cm)
    cm["data"] = data
    meta = cm.setdefault("metadata", {})
    if not isinstance(meta.get("annotations"), dict):
        meta["annotations"] = {}
    meta["annotations"].setdefault(DESCRIPTION_ANNOTATION, DESCRIPTION)
    api.update(cm, check_rv=False)
