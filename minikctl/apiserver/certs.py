"""The cluster's serving credentials, generated once per cluster and kept in the store's meta:
a self-signed CA (as kubeadm's "kubernetes" CA), a serving certificate for the API server
signed by it, and the bearer token of the kubeconfig's user.

Meta keys: serve:ca-cert, serve:ca-key (PEM), serve:cert, serve:key (PEM), serve:token.
The serving certificate is re-issued (by the same CA) when the server listens on an address
it does not name.
"""

from __future__ import annotations

import datetime
import ipaddress
import secrets

KEYS = ("serve:ca-cert", "serve:ca-key", "serve:cert", "serve:key", "serve:token")

# kube-apiserver's serving certificate names (kubeadm certs: apiserver), plus the loopback names
_DNS = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
        "localhost"]
_IPS = ["127.0.0.1", "::1"]


class Credentials:
    __slots__ = ("ca_pem", "cert_pem", "key_pem", "token")

    def __init__(self, ca_pem: str, cert_pem: str, key_pem: str, token: str):
        self.ca_pem = ca_pem
        self.cert_pem = cert_pem
        self.key_pem = key_pem
        self.token = token


def _key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _pem_cert(cert) -> str:
    from cryptography.hazmat.primitives import serialization

    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _new_ca(cluster: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _new_serving(ca_cert, ca_key, address: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = _key()
    now = datetime.datetime.now(datetime.timezone.utc)
    sans: list = [x509.DNSName(d) for d in _DNS]
    ips = list(_IPS)
    if address and address not in ips and address not in ("0.0.0.0", "::", "localhost"):
        try:
            ipaddress.ip_address(address)
            ips.append(address)
        except ValueError:
            sans.append(x509.DNSName(address))
    sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert, key


def _names(cert_pem: str) -> set[str]:
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(v) for v in san.get_values_for_type(x509.DNSName)} | \
        {str(v) for v in san.get_values_for_type(x509.IPAddress)}


def ensure(session, address: str) -> Credentials:
    """The cluster's credentials, created (in one write transaction) where missing."""
    store = session.store
    have = {k: store.meta_get(k) for k in KEYS}
    if all(have.values()) and (address in ("0.0.0.0", "::", "localhost") or address in _names(have["serve:cert"])):
        return Credentials(have["serve:ca-cert"], have["serve:cert"], have["serve:key"], have["serve:token"])
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    with store.write():
        have = {k: store.meta_get(k) for k in KEYS}  # another server may have made them meanwhile
        if have["serve:ca-cert"] and have["serve:ca-key"]:
            ca_cert = x509.load_pem_x509_certificate(have["serve:ca-cert"].encode())
            ca_key = serialization.load_pem_private_key(have["serve:ca-key"].encode(), None)
        else:
            ca_cert, ca_key = _new_ca(session.config.get("name", "minikctl"))
            store.meta_set("serve:ca-cert", _pem_cert(ca_cert))
            store.meta_set("serve:ca-key", _pem_key(ca_key))
            have["serve:cert"] = None  # a new CA: a new serving certificate
        if not have["serve:cert"] or not have["serve:key"] or (
                address not in ("0.0.0.0", "::", "localhost") and address not in _names(have["serve:cert"])):
            cert, key = _new_serving(ca_cert, ca_key, address)
            store.meta_set("serve:cert", _pem_cert(cert))
            store.meta_set("serve:key", _pem_key(key))
        if not have["serve:token"]:
            store.meta_set("serve:token", secrets.token_urlsafe(32))
        have = {k: store.meta_get(k) for k in KEYS}
    return Credentials(have["serve:ca-cert"], have["serve:cert"], have["serve:key"], have["serve:token"])
