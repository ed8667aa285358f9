"""More create generators (issue 12): configmap / secret generic (--from-file=DIR, --from-env-file, binaryData,
--append-hash), secret docker-registry, ingress and token. Expected texts are kubectl 1.32's own output
(/usr/lib/google-cloud-sdk/bin/kubectl.1.32 ... --dry-run=client -o yaml), pasted here; when that binary is
present, the parametrized case also runs it on the same files."""

from __future__ import annotations

import base64
import json
import os
import subprocess

import pytest

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"


@pytest.fixture
def files(tmp_path, monkeypatch):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_bytes(b"hello\n")
    (d / "b.bin").write_bytes(b"\xff\xfe\x00bin")
    (d / "sub" / "c").write_bytes(b"x")
    os.symlink("a.txt", d / "link")  # not a regular file: skipped, as ioutil.ReadDir's Lstat sees it
    (tmp_path / "e.env").write_bytes(b"\xef\xbb\xbf# comment\n  KEY=value with spaces  \nEMPTY=\n\nNOVAL\nA=b=c\r\n")
    (tmp_path / "bad.env").write_bytes(b"1BAD=x\n")
    (tmp_path / "bad2.env").write_bytes(b"OK=1\n\xff=2\n")
    (tmp_path / "cfg.json").write_bytes(b'{"auths":{}}')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NOVAL", "fromenv")
    return tmp_path


CASES = {
    "create configmap c --from-file=d": """apiVersion: v1
binaryData:
  b.bin: //4AYmlu
data:
  a.txt: |
    hello
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c
""",
    "create configmap c --from-env-file=e.env": """apiVersion: v1
data:
  A: b=c
  EMPTY: ""
  KEY: 'value with spaces  '
  NOVAL: fromenv
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c
""",
    "create configmap c --from-literal=a=1 --append-hash": """apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c-9dtcmmmm5t
""",
    "create configmap c --append-hash": """apiVersion: v1
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c-94b26g54cg
""",
    "create secret generic s --from-file=d": """apiVersion: v1
data:
  a.txt: aGVsbG8K
  b.bin: //4AYmlu
kind: Secret
metadata:
  creationTimestamp: null
  name: s
""",
    "create secret generic s --from-env-file=e.env --append-hash": """apiVersion: v1
data:
  A: Yj1j
  EMPTY: ""
  KEY: dmFsdWUgd2l0aCBzcGFjZXMgIA==
  NOVAL: ZnJvbWVudg==
kind: Secret
metadata:
  creationTimestamp: null
  name: s-ccctf9h8tm
""",
    "create secret docker-registry r --docker-server=reg.io --docker-username=u --docker-password=p "
    "--docker-email=e@x": """apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiZW1haWwiOiJlQHgiLCJhdXRoIjoiZFRwdyJ9fX0=
kind: Secret
metadata:
  creationTimestamp: null
  name: r
type: kubernetes.io/dockerconfigjson
""",
    "create secret docker-registry r --docker-username=u --docker-password=p --append-hash": """apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19
kind: Secret
metadata:
  creationTimestamp: null
  name: r-mmbmthh8k5
type: kubernetes.io/dockerconfigjson
""",
    "create secret docker-registry r --from-file=cfg.json": """apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6e319
kind: Secret
metadata:
  creationTimestamp: null
  name: r
type: kubernetes.io/dockerconfigjson
""",
    "create ingress simple --rule=foo.com/bar=svc1:8080,tls=my-cert": """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: simple
spec:
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc1
            port:
              number: 8080
        path: /bar
        pathType: Exact
  tls:
  - hosts:
    - foo.com
    secretName: my-cert
status:
  loadBalancer: {}
""",
    "create ingress ingdefault --class=default --default-backend=defaultsvc:http --rule=foo.com/*=svc:8080,tls=secret1 "
    "--rule=foo.com/admin/=svcadmin:portadmin --annotation=a=1": """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    a: "1"
  creationTimestamp: null
  name: ingdefault
spec:
  defaultBackend:
    service:
      name: defaultsvc
      port:
        name: http
  ingressClassName: default
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              number: 8080
        path: /
        pathType: Prefix
      - backend:
          service:
            name: svcadmin
            port:
              name: portadmin
        path: /admin/
        pathType: Exact
  tls:
  - hosts:
    - foo.com
    secretName: secret1
status:
  loadBalancer: {}
""",
    "create ing x --rule=*.foo.com/a=svc:80,tls= --rule=/=svc:80": """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: x
spec:
  rules:
  - host: '*.foo.com'
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              number: 80
        path: /a
        pathType: Exact
  - http:
      paths:
      - backend:
          service:
            name: svc
            port:
              number: 80
        path: /
        pathType: Exact
  tls:
  - hosts:
    - '*.foo.com'
status:
  loadBalancer: {}
""",
}

ERRORS = {
    "create configmap c --from-env-file=bad.env":
        "error: \"1BAD\" is not a valid key name: a valid environment variable name must consist of alphabetic "
        "characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or "
        "'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')\n",
    "create configmap c --from-env-file=bad2.env": "error: env file bad2.env contains invalid utf8 bytes at line 2: "
                                                   "[255 61 50]\n",
    "create configmap c --from-env-file=d": "error: env config file cannot be a directory\n",
    "create configmap c --from-env-file=nope": "error: error reading nope: no such file or directory\n",
    "create configmap c --from-env-file=e.env --from-literal=a=b":
        "error: from-env-file cannot be combined with from-file or from-literal\n",
    "create configmap c --from-file=k=d": "error: cannot give a key name for a directory path\n",
    "create configmap c --from-file==x": "error: key name for file path x missing\n",
    "create configmap c --from-file=x=": "error: file path for key name x missing\n",
    "create configmap c --from-file=a=b=c": "error: key names or file paths cannot contain '='\n",
    "create configmap c --from-literal=a=b --from-literal=a=c":
        'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "c"\n',
    "create configmap c --from-literal==b": "error: invalid literal source =b, expected key=value\n",
    "create configmap c --from-literal=a/b=1":
        "error: \"a/b\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric "
        "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')\n",
    "create secret generic s --from-literal=a=b --from-literal=a=c":
        "error: cannot add key a, another key by that name already exists\n",
    "create secret generic s --from-env-file=d": "error: env secret file cannot be a directory\n",
    "create secret docker-registry r --docker-username=u":
        "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server "
        "is required\n",
    "create ingress x": "error: not enough information provided: every ingress has to either specify a "
                       "default-backend (which catches all traffic) or a list of rules (which catch specific paths)\n",
    "create ingress x --rule=foo.com/=svc":
        "error: rule foo.com/=svc is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n",
    "create ingress x --default-backend=svc": "error: default-backend should be in format servicename:serviceport\n",
    "create ingress x --rule=foo.com/=svc:80 --annotation=bad":
        "error: annotation bad is invalid and should be in format key=[value]\n",
}


@pytest.mark.parametrize("cmd", list(CASES))
def test_generator_output_is_kubectls(cluster, files, cmd):
    r = cluster(f"{cmd} --dry-run=client -o yaml")
    assert (r.code, r.out, r.err) == (0, CASES[cmd], "")


@pytest.mark.parametrize("cmd", list(ERRORS))
def test_generator_errors_are_kubectls(cluster, files, cmd):
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", ERRORS[cmd])
    assert cluster("get configmap c").code == 1 and cluster("get secret s").code == 1


@pytest.mark.skipif(not os.path.exists(KUBECTL), reason="kubectl 1.32 is not installed")
@pytest.mark.parametrize("cmd", list(CASES) + list(ERRORS))
def test_the_real_kubectl_agrees(cluster, files, cmd):
    real = subprocess.run([KUBECTL, *cmd.split(), "--dry-run=client", "-o", "yaml"], capture_output=True, text=True)
    ours = cluster(f"{cmd} --dry-run=client -o yaml")
    assert (ours.out, ours.err.replace("minikctl", "kubectl")) == (real.stdout, real.stderr)


def test_created_objects_are_stored(cluster, files):
    # the name kubectl 1.32 gives (create configmap c --from-file=d --append-hash --dry-run=client -o name)
    assert cluster("create configmap c --from-file=d --append-hash").out == "configmap/c-HASH created\n".replace(
        "HASH", _hash_of_c())
    obj = json.loads(cluster(f"get configmap c-{_hash_of_c()} -o json").out)
    assert obj["data"] == {"a.txt": "hello\n"} and obj["binaryData"] == {"b.bin": "//4AYmlu"}
    assert cluster("create ingress web --rule=web.example.com/*=web:80").out == \
        "ingress.networking.k8s.io/web created\n"
    assert cluster("get ingress web -o jsonpath={.spec.ingressClassName}").out == "nginx"  # the default class


def _hash_of_c() -> str:
    from minikctl.cli.cmd_create_more import config_map_hash

    return config_map_hash({"metadata": {"name": "c"}, "data": {"a.txt": "hello\n"},
                            "binaryData": {"b.bin": "//4AYmlu"}})


def test_config_map_hash_is_kubectls():
    # kubectl/pkg/util/hash/hash.go: sha256 of the json-encoded {kind, name, data[, binaryData]}, first ten hex
    # digits with 0 1 3 a e replaced; the values are kubectl 1.32's (see CASES)
    from minikctl.cli.cmd_create_more import config_map_hash, secret_hash

    assert config_map_hash({"metadata": {"name": "c"}, "data": {"a": "1"}}) == "9dtcmmmm5t"
    assert config_map_hash({"metadata": {"name": "c"}}) == "94b26g54cg"
    assert config_map_hash({"metadata": {"name": "c"}, "data": {"a.txt": "hello\n"},
                            "binaryData": {"b.bin": "//4AYmlu"}}) == "m7dmc4th78"  # --from-file=d
    assert secret_hash({"metadata": {"name": "s"}, "data": {
        "A": "Yj1j", "EMPTY": "", "KEY": "dmFsdWUgd2l0aCBzcGFjZXMgIA==", "NOVAL": "ZnJvbWVudg=="}}) == "ccctf9h8tm"


def _dec(s):
    return json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))


def test_create_token_is_a_signed_jwt_of_the_service_account(cluster, state):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from minikctl.api.cluster import Session
    from minikctl.cli.cmd_create_more import key_id, signing_key

    r = cluster("create token default --audience=api --duration=2h")
    assert r.code == 0 and "\n" not in r.out  # no newline when not on a terminal (create_token.go Run)
    header, claims, sig = r.out.split(".")
    c = _dec(claims)
    sa_uid = cluster("get sa default -o jsonpath={.metadata.uid}").out
    assert c["aud"] == ["api"] and c["exp"] - c["iat"] == 7200 and c["nbf"] == c["iat"]
    assert c["iss"] == "https://kubernetes.default.svc.cluster.local"
    assert c["sub"] == "system:serviceaccount:default:default"
    assert c["kubernetes.io"] == {"namespace": "default", "serviceaccount": {"name": "default", "uid": sa_uid}}
    # RS256 with the cluster's key, whose id is the header's kid
    session = Session.open(state)
    try:
        key = signing_key(session.store)
    finally:
        session.close()
    assert _dec(header) == {"alg": "RS256", "kid": key_id(key)}
    key.public_key().verify(base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)), f"{header}.{claims}".encode(),
                            padding.PKCS1v15(), hashes.SHA256())
    r2 = cluster("create token default")
    assert r2.out.split(".")[0] == header
    c2 = _dec(r2.out.split(".")[1])
    assert c2["exp"] - c2["iat"] == 3600  # the server's default
    assert c2["aud"] == ["https://kubernetes.default.svc.cluster.local"]


def test_create_token_bound_to_a_pod(cluster):
    cluster("run p --image=nginx")
    pod = json.loads(cluster("get pod p -o json").out)
    node_uid = cluster(f"get node {pod['spec']['nodeName']} -o jsonpath={{.metadata.uid}}").out
    c = _dec(cluster("create token default --bound-object-kind=Pod --bound-object-name=p").out.split(".")[1])
    assert c["kubernetes.io"]["pod"] == {"name": "p", "uid": pod["metadata"]["uid"]}
    assert c["kubernetes.io"]["node"] == {"name": pod["spec"]["nodeName"], "uid": node_uid}
    r = cluster("create token default --bound-object-kind=Pod --bound-object-name=p --bound-object-uid=zz")
    assert (r.code, r.err) == (1, "error: failed to create token: the UID in the bound object reference (zz) does "
                                  "not match the UID in record. The object might have been deleted and then "
                                  "recreated\n")


def test_create_token_follows_the_cluster_clock(cluster):
    def iat(out):
        return _dec(out.split(".")[1])["iat"]

    t0 = iat(cluster("create token default").out)
    cluster("clock advance 1h")
    assert iat(cluster("create token default").out) == t0 + 3600


@pytest.mark.parametrize("cmd,err", [
    ("create token nope", 'error: failed to create token: serviceaccounts "nope" not found\n'),
    ("create token default --duration=5m",
     'error: failed to create token: TokenRequest.authentication.k8s.io "default" is invalid: spec.expirationSeconds: '
     "Invalid value: 300: may not specify a duration less than 10 minutes\n"),
    ("create token default --duration=-1s", "error: --duration must be greater than or equal to 0\n"),
    ("create token default --duration=1500ms", "error: --duration cannot be expressed in units less than seconds\n"),
    ("create token default --audience=", "error: --audience must not be an empty string\n"),
    ("create token default --bound-object-name=x",
     "error: --bound-object-name can only be set if --bound-object-kind is provided\n"),
    ("create token default --bound-object-kind=Foo", "error: supported --bound-object-kind values are Node, Pod, Secret\n"),
    ("create token default --bound-object-kind=Pod",
     "error: --bound-object-name is required if --bound-object-kind is provided\n"),
    ("create token default --bound-object-kind=Pod --bound-object-name=x",
     'error: failed to create token: pods "x" not found\n'),
    ("create token default --duration=abc",
     'error: invalid argument "abc" for "--duration" flag: time: invalid duration "abc"\n'
     "See 'minikctl create token --help' for usage.\n"),
])
def test_create_token_errors(cluster, cmd, err):
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_create_aliases_and_flag_errors(cluster):
    assert cluster("create deploy web --image=nginx --dry-run=client -o name").out == "deployment.apps/web\n"
    assert cluster("create ing x --rule=/=s:80 --dry-run=client -o name").out == "ingress.networking.k8s.io/x\n"
    r = cluster("create deployment web --image=x --foo")
    assert (r.code, r.err) == (1, "error: unknown flag: --foo\nSee 'minikctl create deployment --help' for usage.\n")

