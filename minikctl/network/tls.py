"""TLS material: checking a certificate/key pair as kubectl create secret tls does
(crypto/tls.X509KeyPair's messages), and describing a served certificate."""

from __future__ import annotations

from minikctl.api.errors import UsageError


def check_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """Raise UsageError with kubectl's wording unless both are PEM and the key matches the certificate."""
    if b"-----BEGIN" not in cert_pem:
        raise UsageError("failed to load key pair tls: failed to find any PEM data in certificate input")
    if b"-----BEGIN" not in key_pem:
        raise UsageError("failed to load key pair tls: failed to find any PEM data in key input")
    if b"CERTIFICATE-----" not in cert_pem:
        raise UsageError("failed to load key pair tls: failed to find \"CERTIFICATE\" PEM block in certificate input")
    if b"PRIVATE KEY-----" not in key_pem:
        raise UsageError("failed to load key pair tls: failed to find PEM block with type ending in \"PRIVATE KEY\" "
                         "in key input")
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as e:
        raise UsageError(f"failed to load key pair tls: x509: malformed certificate ({e})") from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as e:
        raise UsageError(f"failed to load key pair tls: failed to parse private key ({e})") from None
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    if cert.public_key().public_bytes(enc, fmt) != key.public_key().public_bytes(enc, fmt):
        raise UsageError("failed to load key pair tls: private key does not match public key")


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
