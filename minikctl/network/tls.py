"""TLS material: checking a certificate/key pair as kubectl create secret tls does
(crypto/tls.X509KeyPair's messages), and describing a served certificate."""

from __future__ import annotations

from minikctl.api.errors import UsageError


def _block_types(pem: bytes) -> list[str]:
    import re

    return [m.decode() for m in re.findall(rb"-----BEGIN ([^-\r\n]+)-----", pem)]


def check_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """Raise UsageError with kubectl's wording unless both are PEM and the key matches the certificate
    (crypto/tls.X509KeyPair's errors, which kubectl create secret tls prints as they are)."""
    cert_types = _block_types(cert_pem)
    if "CERTIFICATE" not in cert_types:
        if not cert_types:
            raise UsageError("tls: failed to find any PEM data in certificate input")
        if len(cert_types) == 1 and cert_types[0].endswith("PRIVATE KEY"):
            raise UsageError("tls: failed to find certificate PEM data in certificate input, but did find a private "
                             "key; PEM inputs may have been switched")
        raise UsageError('tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM '
                         f"blocks of the following types: [{' '.join(cert_types)}]")
    key_types = _block_types(key_pem)
    if not any(t == "PRIVATE KEY" or t.endswith(" PRIVATE KEY") for t in key_types):
        if not key_types:
            raise UsageError("tls: failed to find any PEM data in key input")
        if key_types == ["CERTIFICATE"]:
            raise UsageError("tls: found a certificate rather than a key in the PEM for the private key")
        raise UsageError('tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after '
                         f"skipping PEM blocks of the following types: [{' '.join(key_types)}]")
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as e:
        raise UsageError("x509: malformed certificate") from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as e:
        raise UsageError("tls: failed to parse private key") from None
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    if cert.public_key().public_bytes(enc, fmt) != key.public_key().public_bytes(enc, fmt):
        raise UsageError("tls: private key does not match public key")


def describe_cert(cert_pem: bytes) -> dict:
    """Subject, issuer, dates and SANs of a PEM certificate (for curl -v)."""
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(cert_pem)
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        sans = []
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "sans": list(sans),
        "self_signed": cert.subject == cert.issuer,
    }


# ------------------------------------------------------------ served certificates
FAKE_CERT_META = "ingress-nginx:fake-certificate"
FAKE_CN = "Kubernetes Ingress Controller Fake Certificate"


def fake_certificate(api) -> bytes:
    """ingress-nginx's default certificate (internal/net/ssl/ssl.go GetFakeSSLCert):
    self-signed RSA 2048, O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate,
    DNS name ingress.local, valid 365 days. Generated once per cluster (on the cluster clock)
    and kept in the store's meta."""
    pem = api.store.meta_get(FAKE_CERT_META)
    if pem:
        return pem.encode()
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme Co"),
                      x509.NameAttribute(NameOID.COMMON_NAME, FAKE_CN)])
    from minikctl.api.clock import add_capped

    now = api.clock.now().replace(microsecond=0)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(add_capped(now, datetime.timedelta(days=365)))
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("ingress.local")]), critical=False)
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    if api.store.in_write:
        api.store.meta_set(FAKE_CERT_META, pem.decode())
    return pem


def secret_certificate(api, namespace: str, name: str) -> bytes | None:
    """The certificate of a kubernetes.io/tls secret the controller can use: present, of
    type kubernetes.io/tls (or Opaque with both keys), PEM that parses, key matching."""
    import base64

    from minikctl.api.errors import MinikctlError

    sec = api.try_get("secrets", namespace, name) if name else None
    if not sec:
        return None
    data = sec.get("data") or {}
    try:
        crt = base64.b64decode(data.get("tls.crt") or "")
        key = base64.b64decode(data.get("tls.key") or "")
    except ValueError:
        return None
    if not crt or not key:
        return None
    try:
        check_pair(crt, key)
    except MinikctlError:
        return None
    return crt


def _name_curl(name) -> str:
    """X509_NAME_print_ex(..., XN_FLAG_SEP_SPLUS_SPC) as curl prints subject and issuer:
    attributes in certificate order, "; " between them."""
    from cryptography.x509.oid import NameOID

    short = {NameOID.COMMON_NAME: "CN", NameOID.ORGANIZATION_NAME: "O", NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
             NameOID.COUNTRY_NAME: "C", NameOID.STATE_OR_PROVINCE_NAME: "ST", NameOID.LOCALITY_NAME: "L",
             NameOID.EMAIL_ADDRESS: "emailAddress", NameOID.DOMAIN_COMPONENT: "DC"}
    parts = []
    for rdn in name.rdns:
        parts.append(" + ".join(f"{short.get(a.oid, a.oid.dotted_string)}={a.value}" for a in rdn))
    return "; ".join(parts)


def openssl_date(dt) -> str:
    """ASN1_TIME_print: 'Jan  1 00:00:00 2025 GMT'."""
    return f"{dt:%b} {dt.day:2d} {dt:%H:%M:%S} {dt.year} GMT"


def curl_info(cert_pem: bytes) -> dict:
    """What curl -v shows of a served certificate (OpenSSL backend)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    cert = x509.load_pem_x509_certificate(cert_pem)
    d = describe_cert(cert_pem)
    pub = cert.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        bits = pub.key_size
        sec = {1024: 80, 2048: 112, 3072: 128, 4096: 152, 7680: 192, 15360: 256}.get(bits, 112)
        ktype, kx = f"RSA ({bits}/{sec} Bits/secBits)", "RSASSA-PSS"
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        bits = pub.curve.key_size
        cname = {"secp256r1": "prime256v1"}.get(pub.curve.name, pub.curve.name)
        ktype, kx = f"EC/{cname} ({bits}/{bits // 2} Bits/secBits)", "id-ecPublicKey"
    else:
        ktype, kx = "unknown", "unknown"
    try:
        sig = cert.signature_algorithm_oid._name
    except AttributeError:  # pragma: no cover
        sig = "unknown"
    sig = {"sha256WithRSAEncryption": "sha256WithRSAEncryption", "ecdsa-with-SHA256": "ecdsa-with-SHA256"}.get(sig, sig)
    cns = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    return {**d, "subject_curl": _name_curl(cert.subject), "issuer_curl": _name_curl(cert.issuer),
            "start": openssl_date(d["not_before"]), "expire": openssl_date(d["not_after"]),
            "key_type": ktype, "sig_kx": kx, "signature": sig, "cn": cns[0] if cns else None,
            "der_len": len(cert.public_bytes(_der())) + 13}


def _der():
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.DER


def host_matches(pattern: str, host: str) -> bool:
    """RFC 6125 matching as Go's crypto/x509 and curl do: a leading "*." matches one label."""
    p, h = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if p.startswith("*."):
        first, _, rest = h.partition(".")
        return bool(first) and rest == p[2:]
    return p == h


def cert_covers(cert_pem: bytes, host: str) -> bool:
    """Does the certificate name `host`? SANs first; the CN when there are none (ingress-nginx
    falls back to the Common Name, internal/ingress/controller/util.go verifyHostname)."""
    info = describe_cert(cert_pem)
    if any(host_matches(s, host) for s in info["sans"]):
        return True
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_pem_x509_certificate(cert_pem)
    return any(host_matches(a.value, host) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME))
