"""TLS at the ingress: `create secret tls` checks the pair; curl -k -v shows the served
certificate (subject, dates, issuer) and talks HTTP/2; without -k a self-signed certificate
fails with curl's (60); a TLS host without a usable secret, or whose certificate does not
name it, gets the controller's fake certificate; HTTP is redirected to HTTPS (308)."""

from __future__ import annotations

import datetime

import pytest
from ingress_setup import ensure_controller, ingress_address

CERT_HOST = "cyberchef.example.com"


def make_cert(tmp_path, cn=CERT_HOST, sans=None, days=360, key_name="tls.key", cert_name="tls.cert"):
    """openssl genrsa 2048 + openssl req -new -x509 -days 360 -subj /CN=..., done with cryptography."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = datetime.datetime(2025, 3, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(start)
         .not_valid_after(start + datetime.timedelta(days=days)))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    cert = b.sign(key, hashes.SHA256())
    kp, cp = tmp_path / key_name, tmp_path / cert_name
    kp.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))
    cp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(cp), str(kp)


APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: cyberchef}
spec:
  replicas: 1
  selector: {matchLabels: {app: cyberchef}}
  template:
    metadata: {labels: {app: cyberchef}}
    spec:
      containers: [{name: cyberchef, image: mpepping/cyberchef, ports: [{containerPort: 8000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: cyberchef-nodeport}
spec:
  type: NodePort
  selector: {app: cyberchef}
  ports: [{port: 80, targetPort: 8000}]
"""


def tls_ingress(secret="tls-secret", hosts=(CERT_HOST,), annotations=""):
    hl = "\n".join(f"    - {h}" for h in hosts)
    return f"""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: cyberchef
{annotations}
spec:
  tls:
  - hosts:
{hl}
    secretName: {secret}
  rules:
  - host: {CERT_HOST}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {{service: {{name: cyberchef-nodeport, port: {{number: 80}}}}}}
"""


@pytest.fixture
def tls(cluster, state, tmp_path):
    ensure_controller(cluster, state)
    assert cluster(["apply", "-f", "-"], input=APP).code == 0
    return cluster


def _setup(mk, tmp_path, **kw):
    cert, key = make_cert(tmp_path, **kw)
    r = mk(f"create secret tls tls-secret --cert={cert} --key={key}")
    assert (r.code, r.out) == (0, "secret/tls-secret created\n"), r
    r = mk(["apply", "-f", "-"], input=tls_ingress())
    assert r.code == 0, r
    addr = ingress_address(mk, "cyberchef")
    mk(f"hosts add {addr} {CERT_HOST}")
    return addr


def test_curl_k_v_shows_the_served_certificate(tls, tmp_path):
    addr = _setup(tls, tmp_path)
    r = tls(f"curl -k -v -s https://{CERT_HOST}/cyberchef")
    assert r.code == 0
    err = r.err.replace("\r", "")
    assert f"*   Trying {addr}:443...\n* Connected to {CERT_HOST} ({addr}) port 443\n" in err
    assert "* ALPN: curl offers h2,http/1.1\n" in err
    assert ("* Server certificate:\n"
            f"*  subject: CN={CERT_HOST}\n"
            "*  start date: Mar  1 12:00:00 2025 GMT\n"
            "*  expire date: Feb 24 12:00:00 2026 GMT\n"
            f"*  issuer: CN={CERT_HOST}\n"
            "*  SSL certificate verify result: self-signed certificate (18), continuing anyway.\n"
            "*   Certificate level 0: Public key type RSA (2048/112 Bits/secBits), signed using sha256WithRSAEncryption\n"
            ) in err
    assert f"> GET /cyberchef HTTP/2\n> Host: {CERT_HOST}\n> User-Agent: curl/8.5.0\n> Accept: */*\n" in err
    assert "< HTTP/2 " in err
    assert "< strict-transport-security: max-age=31536000; includeSubDomains\n" in err


def test_without_k_a_self_signed_certificate_fails(tls, tmp_path):
    _setup(tls, tmp_path)
    r = tls(f"curl -s -S https://{CERT_HOST}/")
    assert (r.code, r.out) == (60, "")
    assert r.err == ("curl: (60) SSL certificate problem: self-signed certificate\n"
                     "More details here: https://curl.se/docs/sslcerts.html\n\n"
                     "curl failed to verify the legitimacy of the server and therefore could not\n"
                     "establish a secure connection to it. To learn more about this situation and\n"
                     "how to fix it, please visit the web page mentioned above.\n")


def test_http_is_redirected_to_https(tls, tmp_path):
    _setup(tls, tmp_path)
    r = tls(f"curl -si http://{CERT_HOST}/cyberchef?x=1")
    head = r.out.split("\r\n\r\n", 1)[0].split("\r\n")
    assert head[0] == "HTTP/1.1 308 Permanent Redirect"
    assert f"Location: https://{CERT_HOST}/cyberchef?x=1" in head
    assert "<center><h1>308 Permanent Redirect</h1></center>" in r.out
    r = tls(f"curl -sLk -o /dev/null -w %{{http_code}}:%{{num_redirects}}:%{{url_effective}} http://{CERT_HOST}/")
    assert r.out == f"200:1:https://{CERT_HOST}/"


def test_ssl_redirect_can_be_turned_off(tls, tmp_path):
    cert, key = make_cert(tmp_path)
    tls(f"create secret tls tls-secret --cert={cert} --key={key}")
    tls(["apply", "-f", "-"], input=tls_ingress(annotations="  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: \"false\""))
    addr = ingress_address(tls, "cyberchef")
    r = tls(f"curl -s -o /dev/null -w %{{http_code}} --resolve {CERT_HOST}:80:{addr} http://{CERT_HOST}/")
    assert r.out == "200"


def test_missing_secret_gets_the_fake_certificate(tls, tmp_path):
    tls(["apply", "-f", "-"], input=tls_ingress(secret="does-not-exist"))
    addr = ingress_address(tls, "cyberchef")
    r = tls(f"curl -skv --resolve {CERT_HOST}:443:{addr} https://{CERT_HOST}/")
    assert r.code == 0
    fake = "O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate"
    assert f"*  subject: {fake}\n" in r.err and f"*  issuer: {fake}\n" in r.err
    # the same certificate every time (generated once per cluster)
    r2 = tls(f"curl -skv --resolve {CERT_HOST}:443:{addr} https://{CERT_HOST}/")
    start = [l for l in r.err.splitlines() if "start date" in l]
    assert start == [l for l in r2.err.splitlines() if "start date" in l]
    # a host with no TLS section at all, and no SNI (an IP), get it as well
    r = tls(f"curl -skv https://{addr}/")
    assert f"*  subject: {fake}\n" in r.err and "HTTP/2 404" in r.err


def test_certificate_for_another_name_is_not_served(tls, tmp_path):
    cert, key = make_cert(tmp_path, cn="other.example.com")
    tls(f"create secret tls tls-secret --cert={cert} --key={key}")
    tls(["apply", "-f", "-"], input=tls_ingress())
    addr = ingress_address(tls, "cyberchef")
    r = tls(f"curl -skv --resolve {CERT_HOST}:443:{addr} https://{CERT_HOST}/")
    assert "*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate\n" in r.err


def test_san_certificate_and_wildcards(tls, tmp_path):
    cert, key = make_cert(tmp_path, cn="ignored", sans=["*.example.com"])
    tls(f"create secret tls tls-secret --cert={cert} --key={key}")
    tls(["apply", "-f", "-"], input=tls_ingress())
    addr = ingress_address(tls, "cyberchef")
    r = tls(f"curl -skv --resolve {CERT_HOST}:443:{addr} https://{CERT_HOST}/")
    assert "*  subject: CN=ignored\n" in r.err


def test_create_secret_tls_checks_the_pair(tls, tmp_path):
    cert, _ = make_cert(tmp_path)
    _, other_key = make_cert(tmp_path, key_name="other.key", cert_name="other.cert")
    r = tls(f"create secret tls bad --cert={cert} --key={other_key}")
    assert (r.code, r.err) == (1, "error: tls: private key does not match public key\n")
    (tmp_path / "junk").write_text("hello")
    r = tls(f"create secret tls bad --cert={tmp_path / 'junk'} --key={other_key}")
    assert r.code == 1 and "failed to find any PEM data in certificate input" in r.err
    assert tls("get secret bad").code == 1


def test_tls_to_a_plain_http_pod_is_a_handshake_error(tls, tmp_path):
    r = tls("curl -sS --from " + _a_pod(tls) + " https://cyberchef-nodeport:80/")
    assert r.code == 35
    assert "error:0A00010B:SSL routines::wrong version number" in r.err


def test_apiserver_over_https_from_a_pod(tls):
    r = tls("curl -sS --from " + _a_pod(tls) + " https://kubernetes.default/")
    assert r.code == 60 and "curl: (60) SSL certificate problem: unable to get local issuer certificate" in r.err
    r = tls("curl -sk --from " + _a_pod(tls) + " https://kubernetes.default/api")
    assert r.code == 0 and '"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/api\\""' in r.out


def _a_pod(mk) -> str:
    import json

    return json.loads(mk("get pods -l app=cyberchef -o json").out)["items"][0]["metadata"]["name"]
