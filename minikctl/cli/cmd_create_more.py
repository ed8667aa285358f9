"""More of kubectl 1.32's create generators (issue 12):
  configmap, secret generic   staging/src/k8s.io/kubectl/pkg/cmd/create/create_configmap.go, create_secret.go
                              (--from-file=DIR, --from-env-file: cmd/util/env_file.go, binaryData, --append-hash:
                              kubectl/pkg/util/hash/hash.go; key and source parsing: kubectl/pkg/util/util.go)
  secret docker-registry      create_secret_docker.go
  ingress                     create_ingress.go
  token                       create_token.go, answered as kube-apiserver's TokenRequest
                              (pkg/registry/core/serviceaccount/storage/token.go, pkg/serviceaccount/claims.go)
"""

from __future__ import annotations

import base64
import os
import re

from minikctl.api.errors import UsageError
from minikctl.cli.cmd_create import _one_name, _submit


# --------------------------------------------------------------------- sources
def parse_file_source(source: str) -> tuple[str, str]:
    """util.ParseFileSource: (key, path)."""
    n = source.count("=")
    if n == 0:
        return os.path.basename(source.rstrip("/")) or source, source
    if n == 1 and source.startswith("="):
        raise UsageError(f"key name for file path {source[1:]} missing")
    if n == 1 and source.endswith("="):
        raise UsageError(f"file path for key name {source[:-1]} missing")
    if n > 1:
        raise UsageError("key names or file paths cannot contain '='")
    k, p = source.split("=")
    return k, p


def parse_literal_source(source: str) -> tuple[str, str]:
    """util.ParseLiteralSource."""
    if source.startswith("=") or "=" not in source:
        raise UsageError(f"invalid literal source {source}, expected key=value")
    k, v = source.split("=", 1)
    return k, v


def _stat(path: str):
    try:
        return os.stat(path)
    except OSError as e:
        raise UsageError(f"error reading {path}: {(e.strerror or str(e)).lower()}") from None


def _read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise UsageError(f"open {path}: {(e.strerror or str(e)).lower()}") from None


def _dir_files(path: str) -> list[tuple[str, str]]:
    """ioutil.ReadDir (sorted by name, Lstat: a symlink is not a regular file), regular files only."""
    import stat

    try:
        names = sorted(os.listdir(path))
    except OSError as e:
        raise UsageError(f"error listing files in {path}: {(e.strerror or str(e)).lower()}") from None
    out = []
    for name in names:
        p = os.path.join(path, name)
        try:
            if stat.S_ISREG(os.lstat(p).st_mode):
                out.append((name, p))
        except OSError:
            continue
    return out


_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*\Z")


def is_env_var_name(key: str) -> list[str]:
    """validation.IsEnvVarName."""
    errs = []
    if not _ENV_NAME.match(key):
        errs.append("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
                    "'.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', "
                    "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def env_file_pairs(path: str) -> list[tuple[str, str]]:
    """cmdutil.AddFromEnvFile: bufio.Scanner lines (a trailing \\r dropped), a UTF-8 BOM dropped from the first,
    leading white space trimmed, blank lines and # comments skipped, KEY=VALUE (VALUE kept as written) or KEY
    alone (its value from the environment)."""
    data = _read_file(path)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for i, raw in enumerate(lines):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"env file {path} contains invalid utf8 bytes at line {i + 1}: "
                             f"[{' '.join(str(b) for b in raw)}]") from None
        if i == 0 and line.startswith("\ufeff"):
            line = line[1:]
        line = line.lstrip(" \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                           "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
        if not line or line.startswith("#"):
            continue
        key, eq, value = line.partition("=")
        errs = is_env_var_name(key)
        if errs:
            raise UsageError(f"{_go_q(key)} is not a valid key name: {';'.join(errs)}")
        out.append((key, value if eq else os.environ.get(key, "")))
    return out


def _config_key_errors(key: str) -> list[str]:
    """validation.IsConfigMapKey as kubectl 1.32 words it (apimachinery 1.32's RegexError lists its examples as
    "'key.name',  or 'KEY_NAME',  or 'key-name', ")."""
    from minikctl.api.validation.names import is_config_map_key

    return [e.replace("(e.g. 'key.name' or 'KEY_NAME' or 'key-name', ",
                      "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', ") for e in is_config_map_key(key)]


def _go_q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)


# --------------------------------------------------------------------- hash (kubectl/pkg/util/hash/hash.go)
def _go_json(v) -> str:
    import json

    from minikctl.printers.structured import go_escape

    return go_escape(json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def _encode_hash(hexdigest: str) -> str:
    return hexdigest[:10].translate(str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"}))


def config_map_hash(cm: dict) -> str:
    import hashlib

    m = {"kind": "ConfigMap", "name": cm["metadata"]["name"], "data": cm.get("data") or {}}
    if cm.get("binaryData"):
        m["binaryData"] = cm["binaryData"]
    return _encode_hash(hashlib.sha256(_go_json(m).encode()).hexdigest())


def secret_hash(secret: dict) -> str:
    import hashlib

    m = {"kind": "Secret", "type": secret.get("type") or "", "name": secret["metadata"]["name"],
         "data": secret.get("data") or {}}
    return _encode_hash(hashlib.sha256(_go_json(m).encode()).hexdigest())


# --------------------------------------------------------------------- configmap
def configmap(ctx) -> int:
    name = _one_name(ctx)
    o = ctx.opts
    files, literals, envs = o.get("from_file") or [], o.get("from_literal") or [], o.get("from_env_file") or []
    if envs and (files or literals):
        raise UsageError("from-env-file cannot be combined with from-file or from-literal")
    data: dict[str, str] = {}
    binary: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        _check_cm_key(key, data, binary, name)
        data[key] = value

    def add_file(key: str, path: str) -> None:
        raw = _read_file(path)
        try:
            add(key, raw.decode("utf-8"))
        except UnicodeDecodeError:
            _check_cm_key(key, data, binary, name)
            binary[key] = base64.b64encode(raw).decode()

    for source in files:
        key, path = parse_file_source(source)
        st = _stat(path)
        import stat

        if stat.S_ISDIR(st.st_mode):
            if "=" in source:
                raise UsageError("cannot give a key name for a directory path")
            for fname, fpath in _dir_files(path):
                add_file(fname, fpath)
        else:
            add_file(key, path)
    for source in literals:
        add(*parse_literal_source(source))
    for path in envs:
        import stat

        if stat.S_ISDIR(_stat(path).st_mode):
            raise UsageError("env config file cannot be a directory")
        for k, v in env_file_pairs(path):
            add(k, v)
    obj: dict = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = binary
    if o.get("append_hash"):
        obj["metadata"]["name"] = f"{name}-{config_map_hash(obj)}"
    return _submit(ctx, obj)


def _check_cm_key(key: str, data: dict, binary: dict, name: str) -> None:
    """validateNewConfigMap."""
    errs = _config_key_errors(key)
    if errs:
        raise UsageError(f"{_go_q(key)} is not a valid key name for a ConfigMap: {','.join(errs)}")
    if key in data:
        raise UsageError(f"cannot add key {_go_q(key)}, another key by that name already exists in Data for "
                         f"ConfigMap {_go_q(name)}")
    if key in binary:
        raise UsageError(f"cannot add key {_go_q(key)}, another key by that name already exists in BinaryData for "
                         f"ConfigMap {_go_q(name)}")


# --------------------------------------------------------------------- secrets
def _add_secret_key(data: dict, key: str, value: bytes) -> None:
    """addKeyFromLiteralToSecret."""
    errs = _config_key_errors(key)
    if errs:
        raise UsageError(f"{_go_q(key)} is not valid key name for a Secret {';'.join(errs)}")
    if key in data:
        raise UsageError(f"cannot add key {key}, another key by that name already exists")
    data[key] = base64.b64encode(value).decode()


def _secret_from_files(data: dict, sources: list[str]) -> None:
    import stat

    for source in sources:
        key, path = parse_file_source(source)
        st = _stat(path)
        if stat.S_ISDIR(st.st_mode):
            if "=" in source:
                raise UsageError("cannot give a key name for a directory path")
            for fname, fpath in _dir_files(path):
                _add_secret_key(data, fname, _read_file(fpath))
        else:
            _add_secret_key(data, key, _read_file(path))


def secret_generic(ctx) -> int:
    name = _one_name(ctx)
    o = ctx.opts
    files, literals, envs = o.get("from_file") or [], o.get("from_literal") or [], o.get("from_env_file") or []
    if envs and (files or literals):
        raise UsageError("from-env-file cannot be combined with from-file or from-literal")
    data: dict[str, str] = {}
    _secret_from_files(data, files)
    for source in literals:
        k, v = parse_literal_source(source)
        _add_secret_key(data, k, v.encode())
    for path in envs:
        import stat

        if stat.S_ISDIR(_stat(path).st_mode):
            raise UsageError("env secret file cannot be a directory")
        for k, v in env_file_pairs(path):
            _add_secret_key(data, k, v.encode())
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}}
    if data:
        obj["data"] = data
    if o.get("type"):
        obj["type"] = o["type"]  # the API server defaults it to Opaque
    if o.get("append_hash"):
        obj["metadata"]["name"] = f"{name}-{secret_hash(obj)}"
    return _submit(ctx, obj)


def secret_docker_registry(ctx) -> int:
    """create_secret_docker.go: .dockerconfigjson from --docker-* (DockerConfigJSON{Auths: {server: {username,
    password, email (omitempty), auth}}}, encoding/json's escaping) or from --from-file (key .dockerconfigjson
    unless one is given)."""
    import json

    name = _one_name(ctx)
    o = ctx.opts
    files = [s if "=" in s else f".dockerconfigjson={s}" for s in (o.get("from_file") or [])]
    user, password = o.get("docker_username") or "", o.get("docker_password") or ""
    server = o.get("docker_server")
    server = "https://index.docker.io/v1/" if server is None else server
    if not files and (not user or not password or not server):
        raise UsageError("either --from-file or the combination of --docker-username, --docker-password and "
                         "--docker-server is required")
    data: dict[str, str] = {}
    if files:
        _secret_from_files(data, files)
    else:
        entry = {"username": user, "password": password}
        if o.get("docker_email"):
            entry["email"] = o["docker_email"]
        entry["auth"] = base64.b64encode(f"{user}:{password}".encode()).decode()
        from minikctl.printers.structured import go_escape

        text = go_escape(json.dumps({"auths": {server: entry}}, separators=(",", ":"), ensure_ascii=False))
        data[".dockerconfigjson"] = base64.b64encode(text.encode()).decode()
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": data,
                 "type": "kubernetes.io/dockerconfigjson"}
    if o.get("append_hash"):
        obj["metadata"]["name"] = f"{name}-{secret_hash(obj)}"
    return _submit(ctx, obj)


# --------------------------------------------------------------------- ingress
_RULE = re.compile(r"^(?P<host>[\w*\-.]*)(?P<path>/[^,=\n]*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)"
                   r"(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?$", re.ASCII)


def _backend(service: str) -> dict:
    svc, port = service.split(":")[0], service.split(":")[1]
    try:  # intstr.Parse: strconv.Atoi, else a name
        number = int(port, 10) if re.fullmatch(r"[+-]?[0-9]+", port) else None
    except ValueError:
        number = None
    p = {"number": number} if number is not None else {"name": port}
    if p.get("number") == 0:
        p = {}
    return {"service": {"name": svc, "port": p}}


def ingress(ctx) -> int:
    name = _one_name(ctx)
    o = ctx.opts
    rules, annotations = list(o.get("rule") or []), list(o.get("annotation") or [])
    default = o.get("default_backend") or ""
    if not default and not rules:
        raise UsageError("not enough information provided: every ingress has to either specify a default-backend "
                         "(which catches all traffic) or a list of rules (which catch specific paths)")
    for rule in rules:
        if not _RULE.search(rule):
            raise UsageError(f"rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
    for a in annotations:
        if "=" not in a:
            raise UsageError(f"annotation {a} is invalid and should be in format key=[value]")
    if default and len(default.split(":")) != 2:
        raise UsageError("default-backend should be in format servicename:serviceport")
    spec: dict = {}
    if default:
        spec["defaultBackend"] = _backend(default)
    if o.get("class"):
        spec["ingressClassName"] = o["class"]
    # buildTLSRules
    tls: list[dict] = []
    seen: set[str] = set()
    for rule in rules:
        parts = rule.split(",")
        if len(parts) != 2:
            continue
        host = rule.split("/", 1)[0]
        sec = parts[1].split("=")
        secret = sec[1] if len(sec) > 1 else ""
        idx = next((i for i, t in enumerate(tls) if t.get("secretName", "") == secret), -1)
        if host in seen:
            continue
        if idx > -1:
            tls[idx].setdefault("hosts", []).append(host)
            seen.add(host)
            continue
        entry: dict = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            tls.append(entry)
        seen.add(host)
    # buildIngressRules
    out_rules: list[dict] = []
    for rule in rules:
        host, pathsvc = rule.split(",")[0].split("/", 1)
        path_part, service = pathsvc.split("=")[0], pathsvc.split("=")[1]
        path, path_type = "/" + path_part, "Exact"
        if path.endswith("*"):
            path, path_type = path[:-1], "Prefix"
        ipath = {"backend": _backend(service), "path": path, "pathType": path_type}
        existing = next((r for r in out_rules if r.get("host", "") == host), None)
        if existing is not None:
            existing["http"]["paths"].append(ipath)
            continue
        r: dict = {"host": host} if host else {}
        r["http"] = {"paths": [ipath]}
        out_rules.append(r)
    if out_rules:
        spec["rules"] = out_rules
    if tls:
        spec["tls"] = tls
    meta: dict = {"name": name}
    if annotations:
        meta["annotations"] = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in annotations}
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec,
           "status": {"loadBalancer": {}}}
    return _submit(ctx, obj)


# --------------------------------------------------------------------- token
BOUND_KINDS = {"Node": "nodes", "Pod": "pods", "Secret": "secrets"}
ISSUER = "https://kubernetes.default.svc.{domain}"
_KEY_META = "serviceaccount-signing-key"


def token(ctx) -> int:
    from minikctl.api.clock import parse_duration

    name = _one_name(ctx)
    o = ctx.opts
    raw = o.get("duration") or "0s"
    try:
        duration = parse_duration(raw)
    except ValueError as e:
        raise UsageError(f'invalid argument "{raw}" for "--duration" flag: {e}\n'
                         "See 'minikctl create token --help' for usage.") from None
    audiences = list(o.get("audience") or [])
    kind, bname, buid = o.get("bound_object_kind") or "", o.get("bound_object_name") or "", \
        o.get("bound_object_uid") or ""
    # create_token.go Validate
    if duration < 0:
        raise UsageError("--duration must be greater than or equal to 0")
    if duration % 1_000_000_000:
        raise UsageError("--duration cannot be expressed in units less than seconds")
    if any(a == "" for a in audiences):
        raise UsageError("--audience must not be an empty string")
    if not kind:
        if bname:
            raise UsageError("--bound-object-name can only be set if --bound-object-kind is provided")
        if buid:
            raise UsageError("--bound-object-uid can only be set if --bound-object-kind is provided")
    else:
        if kind not in BOUND_KINDS:
            raise UsageError("supported --bound-object-kind values are " + ", ".join(sorted(BOUND_KINDS)))
        if not bname:
            raise UsageError("--bound-object-name is required if --bound-object-kind is provided")
    seconds = duration // 1_000_000_000 or 3600  # TokenRequestSpec's default ExpirationSeconds
    session = ctx.session()
    ns = ctx.namespace
    from minikctl.api.errors import ApiError

    try:
        with session.write() as api:
            token_text = _issue(api, session, ns, name, seconds, audiences, kind, bname, buid)
    except ApiError as e:  # the client's StatusError, wrapped by Run
        raise UsageError(f"failed to create token: {e.message}") from None
    from minikctl.cli.app import _tty

    # Run: a newline only on a terminal
    ctx.out.write(token_text + "\n" if _tty(ctx.out) else token_text)
    return 0


def _issue(api, session, ns: str, name: str, seconds: int, audiences: list[str], kind: str, bname: str,
           buid: str) -> str:
    """The TokenRequest REST handler: the service account and bound object must exist; the JWT's claims are
    serviceaccount.Claims (sorted keys, as go-jose writes them) signed RS256 with the cluster's key."""
    from minikctl.api.errors import ApiError, NotFound

    sa = api.try_get("serviceaccounts", ns, name)
    if sa is None:
        raise NotFound.of("serviceaccounts", name)
    # ValidateTokenRequest (pkg/apis/authentication/validation); the message of apierrors.NewInvalid
    if seconds < 600:
        raise ApiError(f'TokenRequest.authentication.k8s.io "{name}" is invalid: spec.expirationSeconds: Invalid '
                       f"value: {seconds}: may not specify a duration less than 10 minutes")
    if seconds > 1 << 32:
        raise ApiError(f'TokenRequest.authentication.k8s.io "{name}" is invalid: spec.expirationSeconds: Invalid '
                       f"value: {seconds}: may not specify a duration larger than 2^32 seconds")
    domain = session.config.get("clusterDomain") or session.config.get("domain") or "cluster.local"
    issuer = ISSUER.format(domain=domain)
    now = session.clock.now_ns() // 1_000_000_000
    private: dict = {"namespace": ns, "serviceaccount": {"name": name, "uid": sa["metadata"]["uid"]}}
    if kind:
        obj = api.try_get(BOUND_KINDS[kind], ns, bname)
        if obj is None:
            raise NotFound.of(BOUND_KINDS[kind], bname)
        uid = obj["metadata"]["uid"]
        if buid and buid != uid:
            class _Conflict(ApiError):
                reason, code = "Conflict", 409

            raise _Conflict(f"the UID in the bound object reference ({buid}) does not match the UID in record. "
                            "The object might have been deleted and then recreated")
        private[kind.lower()] = {"name": bname, "uid": uid}
        if kind == "Pod":  # ServiceAccountTokenPodNodeInfo (beta, on in 1.32): the pod's node
            node_name = (obj.get("spec") or {}).get("nodeName")
            node = api.try_get("nodes", "", node_name) if node_name else None
            if node is not None:
                private["node"] = {"name": node_name, "uid": node["metadata"]["uid"]}
    import hashlib
    import uuid

    jti = str(uuid.UUID(bytes=hashlib.sha256(f"{sa['metadata']['uid']}/{now}/{seconds}/{audiences}/{kind}/{bname}"
                                             .encode()).digest()[:16], version=4))
    claims = {"aud": audiences or [issuer], "exp": now + seconds, "iat": now, "iss": issuer, "jti": jti,
              "kubernetes.io": private, "nbf": now, "sub": f"system:serviceaccount:{ns}:{name}"}
    return sign_jwt(api.store, claims)


def _b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def signing_key(store):
    """The cluster's service-account signing key (RSA 2048, as kubeadm's sa.key), made on first use and kept in
    the store."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = store.meta_get(_KEY_META)
    if pem:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    store.meta_set(_KEY_META, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()).decode())
    return key


def key_id(key) -> str:
    """serviceaccount.keyIDFromPublicKey: base64url(sha256(PKIX DER of the public key))."""
    import hashlib

    from cryptography.hazmat.primitives import serialization

    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _b64url(hashlib.sha256(der).digest())


def sign_jwt(store, claims: dict) -> str:
    import json

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    key = signing_key(store)
    header = {"alg": "RS256", "kid": key_id(key)}
    enc = (_b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
           _b64url(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()))
    sig = key.sign(enc.encode(), padding.PKCS1v15(), hashes.SHA256())
    return enc + "." + _b64url(sig)
