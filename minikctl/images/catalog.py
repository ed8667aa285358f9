"""The image catalog: what an image has and does, as data (catalog.yaml), plus user images.

``resolve(store, ref)`` turns an image reference (``nginx``, ``nginx:1.27``,
``docker.io/library/nginx@sha256:...``) into an ``Image``: the catalog entry with its
``from:`` chain merged in, or the documented generic behaviour for an unknown image.
User images (``minikctl image add -f FILE``) live in the cluster store under the meta
key ``images`` and take precedence over built-in entries of the same name.

Everything here is pure data handling: no printing, no store writes except ``add``/``remove``.
"""

from __future__ import annotations

import json
import os
import re

from minikctl.api.errors import UsageError

META_KEY = "images"
_BUILTIN_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalog.yaml")
_COMPILED_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalog.json")

_builtin: dict | None = None
_resolved: dict[tuple[str, str], "Image"] = {}

SHELLS = ("dash", "bash", "ash", "none")
USERLANDS = ("gnu", "busybox")
PROTOCOLS = ("http", "tcp")
MATCHES = ("Exact", "Prefix")
FIELDS = {
    "name", "description", "from", "replace", "shell", "userland", "user", "workdir", "env", "links", "bin",
    "dirs", "files", "programs", "process", "startupSeconds", "listen", "logs", "genericHttp", "tags", "usage",
}
USAGE_MODELS = ("stress", "vish-stress")  # minikctl.kubelet.resources: programs whose arguments say what they use
MERGED_MAPS = ("env", "files", "programs", "links")
UNION_FIELDS = ("bin", "dirs")
_PORT_REF = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(\d+))?\}$")


class Image:
    """A resolved image: every field present (defaults filled), `from:` merged."""

    def __init__(self, name: str, ref: str, spec: dict, known: bool, source: str):
        self.name = name          # catalog key that matched (or "generic")
        self.ref = ref            # the reference the pod used
        self.spec = spec
        self.known = known        # False: generic behaviour
        self.source = source      # "built-in" | "user" | "generic"

    # convenient views --------------------------------------------------------
    @property
    def shell(self) -> str:
        return self.spec.get("shell") or "dash"

    @property
    def userland(self) -> str:
        return self.spec.get("userland") or "gnu"

    @property
    def user(self) -> dict:
        u = self.spec.get("user") or {}
        return {"name": u.get("name", "root"), "uid": int(u.get("uid", 0)), "gid": int(u.get("gid", 0)),
                "home": u.get("home", "/root")}

    @property
    def workdir(self) -> str:
        return self.spec.get("workdir") or "/"

    @property
    def env(self) -> list[tuple[str, str]]:
        return [(k, str(v)) for k, v in (self.spec.get("env") or {}).items()]

    @property
    def links(self) -> dict[str, str]:
        return dict(self.spec.get("links") or {})

    @property
    def bin(self) -> dict[str, list[str]]:
        return {d: list(v) for d, v in (self.spec.get("bin") or {}).items()}

    @property
    def dirs(self) -> list[str]:
        return list(self.spec.get("dirs") or [])

    @property
    def files(self) -> dict[str, str]:
        return dict(self.spec.get("files") or {})

    @property
    def programs(self) -> dict[str, list[dict]]:
        return self.spec.get("programs") or {}

    @property
    def process(self) -> dict:
        return self.spec.get("process") or {}

    @property
    def startup_seconds(self) -> float:
        return float(self.spec.get("startupSeconds") or 0)

    @property
    def start_logs(self) -> list[str]:
        return list((self.spec.get("logs") or {}).get("start") or [])

    def listeners(self, container: dict | None = None, env: dict[str, str] | None = None) -> list[dict]:
        """The servers this image runs: [{port:int, address, protocol, http|tcp}]; a generic image
        serves HTTP on each TCP containerPort of `container`."""
        listen = self.spec.get("listen")
        out = []
        if listen == "containerPorts":
            generic = self.spec.get("genericHttp") or {}
            for p in (container or {}).get("ports") or ():
                if (p.get("protocol") or "TCP") != "TCP" or not isinstance(p.get("containerPort"), int):
                    continue
                out.append({"port": p["containerPort"], "address": "0.0.0.0", "protocol": "http",
                            "http": {"routes": [{"path": "/", "match": "Prefix", "status": 200,
                                                 "headers": generic.get("headers") or {},
                                                 "body": generic.get("body", "")}],
                                     "accessLog": generic.get("accessLog")}})
            return out
        for item in listen or ():
            port = port_value(item.get("port"), env or {})
            if port is None:
                continue
            out.append({**item, "port": port, "address": item.get("address") or "0.0.0.0",
                        "protocol": item.get("protocol") or "http"})
        return out

    def executables(self) -> dict[str, str]:
        """{absolute path: program name} of the image's executables."""
        out = {}
        for d, names in self.bin.items():
            for n in names:
                out[_join(d, n)] = n
        return out


def _join(d: str, n: str) -> str:
    return (d.rstrip("/") + "/" + n) if d != "/" else "/" + n


def port_value(raw, env: dict[str, str]) -> int | None:
    """A listen port: an int, a digit string, or "${VAR:-default}" read from the container's env."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    s = str(raw or "").strip()
    if s.isdigit():
        return int(s)
    m = _PORT_REF.match(s)
    if not m:
        return None
    v = env.get(m.group(1)) or m.group(2)
    return int(v) if v and v.isdigit() and 0 < int(v) < 65536 else None


# ---------------------------------------------------------------- references
def normalize(ref: str) -> tuple[str, str]:
    """(repository, repository:tag) of an image reference, Docker Hub defaults removed:
    docker.io/library/nginx:1.27 -> ("nginx", "nginx:1.27")."""
    r = (ref or "").strip()
    r = r.split("@", 1)[0]
    parts = r.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        if parts[0] in ("docker.io", "index.docker.io", "registry-1.docker.io"):
            parts = parts[1:]
    if len(parts) == 2 and parts[0] == "library":
        parts = parts[1:]
    last = parts[-1] if parts else ""
    tag = ""
    if ":" in last:
        last, tag = last.split(":", 1)
        parts[-1] = last
    repo = "/".join(parts)
    if repo == "k8s.gcr.io/coredns/coredns" or repo == "k8s.gcr.io/coredns":
        repo = "registry.k8s.io/coredns/coredns"
    return repo, f"{repo}:{tag}" if tag else repo


# ------------------------------------------------------------------ loading
def builtin() -> dict:
    """The built-in catalog. catalog.json is catalog.yaml compiled (JSON loads in 0.3 ms, the YAML
    in ~30 ms with its import); it is used only while it matches the YAML's hash, so an edited
    YAML is never shadowed. Regenerate: python -m minikctl.images.catalog --compile"""
    global _builtin
    if _builtin is None:
        with open(_BUILTIN_PATH, "rb") as f:
            raw = f.read()
        digest = _digest(raw)
        try:
            with open(_COMPILED_PATH, encoding="utf-8") as f:
                compiled = json.load(f)
            if compiled.get("sourceSha256") == digest:
                _builtin = compiled["catalog"]
                return _builtin
        except (OSError, ValueError):
            pass
        _builtin = _parse_yaml(raw)
    return _builtin


def _digest(raw: bytes) -> str:
    from minikctl.digest import sha256  # not hashlib: no OpenSSL on the way of every pod start

    return sha256(raw).hexdigest()


def _parse_yaml(raw: bytes) -> dict:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(raw, Loader=loader)


def compile_catalog() -> str:
    """Write catalog.json from catalog.yaml; returns its path."""
    with open(_BUILTIN_PATH, "rb") as f:
        raw = f.read()
    data = {"sourceSha256": _digest(raw), "catalog": _parse_yaml(raw)}
    with open(_COMPILED_PATH, "w", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    return _COMPILED_PATH


def user_images(store) -> dict[str, dict]:
    raw = store.meta_get(META_KEY) if store is not None else None
    return json.loads(raw) if raw else {}


def _raw(name: str, users: dict) -> tuple[dict | None, str]:
    if name in users:
        return users[name], "user"
    b = builtin()["images"].get(name)
    return (b, "built-in") if b is not None else (None, "")


def _merge(parent: dict, child: dict) -> dict:
    # a repository's tags are its own: an image built FROM nginx does not have nginx's tags
    out = {k: v for k, v in parent.items() if k not in ("description", "replace", "tags")}
    replace = set(child.get("replace") or ())
    for k, v in child.items():
        if k in ("from", "replace"):
            continue
        if k in replace or k not in out or v is None:
            out[k] = v
        elif k in MERGED_MAPS and isinstance(v, dict) and isinstance(out[k], dict):
            out[k] = {**out[k], **v}
        elif k == "bin" and isinstance(v, dict) and isinstance(out[k], dict):
            merged = {d: list(names) for d, names in out[k].items()}
            for d, names in v.items():
                cur = merged.setdefault(d, [])
                cur.extend(n for n in names if n not in cur)
            out[k] = merged
        elif k == "dirs" and isinstance(v, list) and isinstance(out[k], list):
            out[k] = out[k] + [d for d in v if d not in out[k]]
        else:
            out[k] = v
    if child.get("listen") and "process" not in child:
        # an image that declares servers runs one, even if its base image's process exits
        out["process"] = {k: v for k, v in (out.get("process") or {}).items()
                          if k not in ("exits", "exitCode", "exitLog")}
    return out


def _flatten(name: str, users: dict, seen: tuple = ()) -> tuple[dict, str]:
    raw, source = _raw(name, users)
    if raw is None:
        raise UsageError(f'image "{name}" is not in the catalog')
    if name in seen:
        raise UsageError(f'image "{seen[0]}": "from" chain loops back to "{name}"')
    parent = raw.get("from")
    if parent == GENERIC and not _raw(GENERIC, users)[0]:
        # a repository that exists but whose behaviour the catalog does not model
        return _merge(_generic_spec(), raw), source
    if parent:
        if parent == name and source == "user" and name in builtin()["images"]:
            # a user image that extends the built-in image of the same name
            base = _flatten_builtin(name)
        else:
            base, _ = _flatten(parent, users, seen + (name,))
        return _merge(base, raw), source
    return dict(raw), source


def _flatten_builtin(name: str) -> dict:
    return _flatten(name, {})[0]


GENERIC = "generic"


def _generic_spec() -> dict:
    """What an image the catalog does not model does (catalog.yaml's `generic:`)."""
    return _merge(_flatten("debian", {})[0], builtin()["generic"])


def _generic_based(name: str, users: dict) -> bool:
    seen = set()
    while name and name not in seen:
        seen.add(name)
        raw, _ = _raw(name, users)
        if raw is None:
            return name == GENERIC
        name = raw.get("from")
    return False


def resolve(store, ref: str) -> Image:
    """The Image for a pod's image reference (user images first, then built-in, else generic)."""
    users_raw = store.meta_get(META_KEY) if store is not None else None
    key = (ref, users_raw or "")
    img = _resolved.get(key)
    if img is not None:
        return img
    users = json.loads(users_raw) if users_raw else {}
    repo, tagged = normalize(ref)
    for cand in (tagged, repo):
        raw, _ = _raw(cand, users)
        if raw is not None:
            spec, source = _flatten(cand, users)
            img = Image(cand, ref, spec, not _generic_based(cand, users), source)
            break
    else:
        img = Image("generic", ref, _generic_spec(), False, "generic")
    _resolved[key] = img
    return img


# ------------------------------------------------------------------- pulls
_TAG_PATTERN = re.compile(r"^[A-Za-z0-9_*?\[\]][A-Za-z0-9_.*?\[\]-]{0,127}$")
_builtin_tags: dict[str, list[str]] | None = None


def tags_of(store, repo: str) -> list[str] | None:
    """The tags (or tag patterns) repository `repo` has, None when the catalog does not know it:
    an entry's `tags:` (a user entry without tags keeps the built-in entry's, else [latest]),
    plus the tag of each entry named with one (myorg/app:v2)."""
    global _builtin_tags
    if _builtin_tags is None:
        _builtin_tags = {}
        for key, spec in builtin()["images"].items():
            r, tagged = normalize(key)
            tags = _builtin_tags.setdefault(r, [])
            tags.extend([tagged[len(r) + 1:]] if tagged != r else [str(t) for t in spec.get("tags") or ["latest"]])
    tags = list(_builtin_tags[repo]) if repo in _builtin_tags else None
    users = user_images(store)
    mine = users.get(repo)
    if mine is not None:
        if mine.get("tags"):
            tags = [str(t) for t in mine["tags"]]
        elif tags is None:
            tags = ["latest"]
    for key in users:
        r, tagged = normalize(key)
        if r == repo and tagged != r:
            tags = (tags or []) + [tagged[len(r) + 1:]]
    return tags


def pull_check(store, ref: str) -> str:
    """What the registry answers when a node pulls `ref` (a pod's image, as written), per the
    catalog: "ok"; "repository" (no such repository: Docker Hub says "pull access denied");
    "tag" (the repository exists, the tag does not: "not found"). A digest reference pulls from
    any repository the catalog knows (it cannot list every digest a repository ever had)."""
    repo, tagged = normalize(ref)
    tags = tags_of(store, repo)
    if tags is None:
        return "repository"
    if "@" in (ref or ""):
        return "ok"
    tag = tagged[len(repo) + 1:] if tagged != repo else "latest"
    from fnmatch import fnmatchcase

    return "ok" if any(fnmatchcase(tag, t) for t in tags) else "tag"


def names(store) -> list[tuple[str, str]]:
    """(name, source) of every image: built-in and user ones, sorted."""
    users = user_images(store)
    out = {n: "built-in" for n in builtin()["images"]}
    for n in users:
        out[n] = "user (overrides built-in)" if n in out else "user"
    return sorted(out.items())


# --------------------------------------------------------------- user images
def parse_file(text: str, source: str) -> list[tuple[str, dict]]:
    """Image definitions in a YAML file: documents with `name:`, or `images:` as a map or a list."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        docs = [d for d in yaml.load_all(text, Loader=loader) if d is not None]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UsageError(f"error parsing {source}{where}: {getattr(e, 'problem', None) or e}") from None
    out: list[tuple[str, dict]] = []
    for d in docs:
        if not isinstance(d, dict):
            raise UsageError(f"{source}: an image definition must be a mapping with a name")
        if "images" in d and "name" not in d:
            imgs = d["images"]
            if isinstance(imgs, dict):
                for n, spec in imgs.items():
                    if not isinstance(spec, dict):
                        raise UsageError(f'{source}: image "{n}" must be a mapping')
                    out.append((str(n), {k: v for k, v in spec.items() if k != "name"}))
            elif isinstance(imgs, list):
                for spec in imgs:
                    if not isinstance(spec, dict) or not spec.get("name"):
                        raise UsageError(f"{source}: each entry of images must be a mapping with a name")
                    out.append((str(spec["name"]), {k: v for k, v in spec.items() if k != "name"}))
            else:
                raise UsageError(f"{source}: images must be a map of name to image or a list of images")
        else:
            if not d.get("name"):
                raise UsageError(f"{source}: image definition without a name")
            out.append((str(d["name"]), {k: v for k, v in d.items() if k != "name"}))
    if not out:
        raise UsageError(f"no images found in {source}")
    return out


def validate(name: str, spec: dict, known: set[str]) -> list[str]:
    """Every problem of one image definition, as 'field: message' strings."""
    errs: list[str] = []
    repo, tagged = normalize(name)
    if not name or name != tagged or not re.fullmatch(r"[a-z0-9][a-z0-9._/:-]*", name):
        errs.append(f"name: must be an image reference such as myapp or myorg/myapp:v2 "
                    f"(lowercase, no registry defaults such as docker.io/library/), got {_q(name)}")
    for k in spec:
        if k not in FIELDS:
            errs.append(f"{k}: unknown field (known: {', '.join(sorted(FIELDS - {'genericHttp'}))})")
    frm = spec.get("from")
    if frm is not None and (not isinstance(frm, str) or (frm not in known and frm != GENERIC)):
        errs.append(f"from: unknown image {_q(frm)} (see minikctl image list)")
    _check_enum(errs, spec, "shell", SHELLS)
    _check_enum(errs, spec, "userland", USERLANDS)
    for k in ("description", "workdir"):
        if k in spec and not isinstance(spec[k], str):
            errs.append(f"{k}: must be a string")
    if isinstance(spec.get("workdir"), str) and not spec["workdir"].startswith("/"):
        errs.append("workdir: must be an absolute path")
    if "replace" in spec and (not isinstance(spec["replace"], list)
                              or any(x not in FIELDS for x in spec["replace"])):
        errs.append("replace: must be a list of field names")
    u = spec.get("user")
    if u is not None:
        if not isinstance(u, dict):
            errs.append("user: must be a mapping {name, uid, gid, home}")
        else:
            for f in ("uid", "gid"):
                if f in u and (not isinstance(u[f], int) or isinstance(u[f], bool) or u[f] < 0):
                    errs.append(f"user.{f}: must be a non-negative integer")
    for k in ("env", "files", "links"):
        v = spec.get(k)
        if v is None:
            continue
        if not isinstance(v, dict):
            errs.append(f"{k}: must be a mapping")
            continue
        for kk, vv in v.items():
            if k == "env":
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(kk)):
                    errs.append(f"env.{kk}: not a valid variable name")
                if isinstance(vv, (dict, list)):
                    errs.append(f"env.{kk}: must be a string")
            else:
                if not str(kk).startswith("/"):
                    errs.append(f"{k}[{_q(kk)}]: must be an absolute path")
                if not isinstance(vv, str):
                    errs.append(f"{k}[{_q(kk)}]: must be a string")
    b = spec.get("bin")
    if b is not None:
        if not isinstance(b, dict):
            errs.append("bin: must be a mapping of directory to a list of executable names")
        else:
            for d, ns in b.items():
                if not str(d).startswith("/"):
                    errs.append(f"bin[{_q(d)}]: must be an absolute directory")
                if not isinstance(ns, list) or not all(isinstance(n, str) and n and "/" not in n for n in ns):
                    errs.append(f"bin[{_q(d)}]: must be a list of executable names")
    d = spec.get("dirs")
    if d is not None and (not isinstance(d, list) or not all(isinstance(x, str) and x.startswith("/") for x in d)):
        errs.append("dirs: must be a list of absolute paths")
    tags = spec.get("tags")
    if tags is not None:
        if not isinstance(tags, list) or not tags:
            errs.append('tags: must be a list of the tags that exist, e.g. [latest, "1.0", "1.*"]')
        else:
            for t in tags:
                if isinstance(t, (int, float)) and not isinstance(t, bool):
                    errs.append(f'tags: {t} must be quoted ("{t}"): YAML reads it as a number')
                elif not isinstance(t, str) or not _TAG_PATTERN.match(t):
                    errs.append(f"tags: {_q(t)} is not a tag (letters, digits, _ . -, at most 128; "
                                f"* ? [..] as patterns)")
        if tagged != repo:
            errs.append(f'tags: an image named with a tag ({name}) has that tag only; name it "{repo}" to list tags')
    s = spec.get("startupSeconds")
    if s is not None and (isinstance(s, bool) or not isinstance(s, (int, float)) or s < 0):
        errs.append(f"startupSeconds: must be a number of seconds >= 0, got {_q(s)}")
    _validate_process(errs, spec.get("process"))
    _validate_usage(errs, spec.get("usage"))
    _validate_programs(errs, spec.get("programs"))
    _validate_listen(errs, spec.get("listen"))
    logs = spec.get("logs")
    if logs is not None:
        if not isinstance(logs, dict) or not isinstance(logs.get("start", []), list):
            errs.append("logs: must be a mapping with start: [lines]")
        elif not all(isinstance(x, str) for x in logs.get("start", [])):
            errs.append("logs.start: must be a list of strings")
    return errs


def _validate_usage(errs: list[str], u) -> None:
    """usage: {cpu: 1m, memory: 20Mi, model: stress}: what a running container uses (top, OOM)."""
    if u is None:
        return
    if not isinstance(u, dict):
        errs.append("usage: must be a mapping {cpu, memory}")
        return
    from minikctl.kubelet.resources import parse

    for k, v in u.items():
        if k in ("cpu", "memory", "cpuPerRequest"):
            q = parse(v)
            if q is None or q < 0:
                errs.append(f"usage.{k}: must be a quantity >= 0 such as 1m or 20Mi, got {_q(v)}")
        elif k == "model":
            if v not in USAGE_MODELS:
                errs.append(f"usage.model: must be one of {', '.join(USAGE_MODELS)}, got {_q(v)}")
        else:
            errs.append(f"usage.{k}: unknown field (known: cpu, memory, model, cpuPerRequest)")


def _validate_process(errs: list[str], p) -> None:
    if p is None:
        return
    if not isinstance(p, dict):
        errs.append("process: must be a mapping")
        return
    for k in ("command", "entrypoint", "daemons", "exitLog"):
        if k in p and (not isinstance(p[k], list) or not all(isinstance(x, str) for x in p[k])):
            errs.append(f"process.{k}: must be a list of strings")
    for k in ("exits", "wraps"):
        if k in p and not isinstance(p[k], bool):
            errs.append(f"process.{k}: must be true or false")
    if "exitCode" in p and (not isinstance(p["exitCode"], int) or not 0 <= p["exitCode"] <= 255):
        errs.append("process.exitCode: must be an integer 0-255")
    re_env = p.get("requiredEnv")
    if re_env is not None and (not isinstance(re_env, dict)
                               or not all(isinstance(v, list) for v in re_env.values())):
        errs.append("process.requiredEnv: must map a variable name to the lines printed without it")


def _validate_programs(errs: list[str], progs) -> None:
    if progs is None:
        return
    if not isinstance(progs, dict):
        errs.append("programs: must map a program name to a list of behaviours")
        return
    for n, items in progs.items():
        if not isinstance(items, list):
            errs.append(f"programs.{n}: must be a list of {{args|argsPrefix, stdout, stderr, exit}}")
            continue
        for i, it in enumerate(items):
            if not isinstance(it, dict):
                errs.append(f"programs.{n}[{i}]: must be a mapping")
                continue
            for k in it:
                if k not in ("args", "argsPrefix", "stdout", "stderr", "exit"):
                    errs.append(f"programs.{n}[{i}].{k}: unknown field")
            if "exit" in it and (not isinstance(it["exit"], int) or not 0 <= it["exit"] <= 255):
                errs.append(f"programs.{n}[{i}].exit: must be an integer 0-255")


def _validate_listen(errs: list[str], listen) -> None:
    if listen is None or listen == "containerPorts":
        return
    if not isinstance(listen, list):
        errs.append('listen: must be a list of servers (or "containerPorts")')
        return
    for i, item in enumerate(listen):
        path = f"listen[{i}]"
        if not isinstance(item, dict):
            errs.append(f"{path}: must be a mapping")
            continue
        for k in item:
            if k not in ("port", "address", "protocol", "http", "tcp"):
                errs.append(f"{path}.{k}: unknown field (known: address, http, port, protocol, tcp)")
        port = item.get("port")
        ok = (isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536) or \
            (isinstance(port, str) and (port.isdigit() and 0 < int(port) < 65536 or bool(_PORT_REF.match(port))))
        if not ok:
            errs.append(f'{path}.port: must be a port number (1-65535) or "${{VAR:-default}}", got {_q(port)}')
        addr = item.get("address", "0.0.0.0")
        if addr not in ("0.0.0.0", "127.0.0.1", "::", "::1", "localhost"):
            errs.append(f"{path}.address: must be 0.0.0.0 (all interfaces) or 127.0.0.1 (localhost only), "
                        f"got {_q(addr)}")
        proto = item.get("protocol", "http")
        if proto not in PROTOCOLS:
            errs.append(f"{path}.protocol: must be http or tcp, got {_q(proto)}")
        h = item.get("http")
        if h is not None:
            if not isinstance(h, dict):
                errs.append(f"{path}.http: must be a mapping")
                continue
            for k in h:
                if k not in ("headers", "docroot", "index", "routes", "notFound", "accessLog"):
                    errs.append(f"{path}.http.{k}: unknown field")
            if "docroot" in h and (not isinstance(h["docroot"], str) or not h["docroot"].startswith("/")):
                errs.append(f"{path}.http.docroot: must be an absolute path")
            if "headers" in h and not isinstance(h["headers"], dict):
                errs.append(f"{path}.http.headers: must be a mapping")
            for j, r in enumerate(h.get("routes") or ()):
                rp = f"{path}.http.routes[{j}]"
                if not isinstance(r, dict):
                    errs.append(f"{rp}: must be a mapping")
                    continue
                if not isinstance(r.get("path"), str) or not r["path"].startswith("/"):
                    errs.append(f"{rp}.path: must start with /")
                if r.get("match", "Prefix") not in MATCHES:
                    errs.append(f"{rp}.match: must be Exact or Prefix, got {_q(r.get('match'))}")
                _check_status(errs, rp, r.get("status", 200))
                if "headers" in r and not isinstance(r["headers"], dict):
                    errs.append(f"{rp}.headers: must be a mapping")
                if "body" in r and not isinstance(r["body"], str):
                    errs.append(f"{rp}.body: must be a string")
                if "delaySeconds" in r and not isinstance(r["delaySeconds"], (int, float)):
                    errs.append(f"{rp}.delaySeconds: must be a number")
            nf = h.get("notFound")
            if nf is not None:
                if not isinstance(nf, dict):
                    errs.append(f"{path}.http.notFound: must be a mapping")
                else:
                    _check_status(errs, f"{path}.http.notFound", nf.get("status", 404))
        t = item.get("tcp")
        if t is not None and (not isinstance(t, dict) or t.get("onHttp", "close") not in ("close",)):
            errs.append(f"{path}.tcp: must be a mapping with onHttp: close")


def _check_status(errs: list[str], path: str, status) -> None:
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        errs.append(f"{path}.status: must be an HTTP status code (100-599), got {_q(status)}")


def _check_enum(errs: list[str], spec: dict, key: str, allowed: tuple) -> None:
    if key in spec and spec[key] not in allowed:
        errs.append(f"{key}: must be one of {', '.join(allowed)}, got {_q(spec[key])}")


def _q(v) -> str:
    return json.dumps(v) if not isinstance(v, str) else f'"{v}"'


def add(store, defs: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    """Validate and store user images (inside a write transaction). Returns (name, "created"|"configured")."""
    users = user_images(store)
    known = set(builtin()["images"]) | set(users) | {n for n, _ in defs} | {GENERIC}
    problems = []
    for n, spec in defs:
        errs = validate(n, spec, known)
        problems += [f'image "{n}": {e}' for e in errs]
    if problems:
        raise UsageError("\n".join(problems) if len(problems) == 1 else
                         "invalid image definition:\n" + "\n".join(f"* {p}" for p in problems))
    results = []
    new = dict(users)
    for n, spec in defs:
        results.append((n, "configured" if n in users else "created"))
        new[n] = spec
    # every from-chain must resolve (no loops) before anything is stored
    for n, _ in defs:
        _flatten(n, new)
    store.meta_set(META_KEY, json.dumps(new, sort_keys=True, separators=(",", ":")))
    return results


def remove(store, name: str) -> None:
    users = user_images(store)
    if name not in users:
        if name in builtin()["images"]:
            raise UsageError(f'image "{name}" is built in and cannot be removed (only user images can)')
        raise UsageError(f'image "{name}" not found')
    del users[name]
    for other, spec in users.items():
        if spec.get("from") == name and name not in builtin()["images"]:
            raise UsageError(f'image "{name}" is used by image "{other}" (from: {name})')
    store.meta_set(META_KEY, json.dumps(users, sort_keys=True, separators=(",", ":")))


# ------------------------------------------------------------ placeholders
_PLACEHOLDER = re.compile(r"\{(env\.[A-Za-z_][A-Za-z0-9_]*|[a-z_]+)\}")

_TIME_FORMATS = {
    "time_http": "%a, %d %b %Y %H:%M:%S GMT",
    "time_clf": "%d/%b/%Y:%H:%M:%S +0000",
    "time_iso": "%Y-%m-%dT%H:%M:%S.000Z",
    "time_nginx": "%Y/%m/%d %H:%M:%S",
    "time_httpd": "%a %b %d %H:%M:%S.000000 %Y",
    "time_js": "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)",
    "time_redis": "%d %b %Y %H:%M:%S.000",
    "time_pg": "%Y-%m-%d %H:%M:%S.000 UTC",
    "time_uwsgi": "%a %b %e %H:%M:%S %Y",
    "time_go": "%Y/%m/%d %H:%M:%S",
    "time_klog": "%m%d %H:%M:%S.000000",
}


def format_time(name: str, ts: float) -> str:
    import time as _time

    return _time.strftime(_TIME_FORMATS[name], _time.gmtime(int(ts)))


def render(text: str, values: dict, env: dict[str, str] | None = None, ts: float | None = None) -> str:
    """Replace {placeholders} (unknown ones are left as they are: HTML and JSON keep their braces)."""
    if "{" not in text:
        return text

    def sub(m):
        key = m.group(1)
        if key.startswith("env."):
            return (env or {}).get(key[4:], "")
        if key in values:
            return str(values[key])
        if key in _TIME_FORMATS and ts is not None:
            return format_time(key, ts)
        return m.group(0)

    return _PLACEHOLDER.sub(sub, text)


# ----------------------------------------------------------- main process
def main_process(image: Image, container: dict, env: dict[str, str]) -> dict:
    """What the container's main process does, for the kubelet:
    {"runs": bool, "servers": bool, "exitCode": int, "log": [lines], "argv": [..] | None}.

    The process is what the container runtime starts: the container's `command` + `args`; else
    the image's ENTRYPOINT (process.entrypoint) + the container's `args`; else the image's own
    process (process.command). The image's servers run only when that is the image's own process
    or a command whose first word is one of the image's daemons (behind its entrypoint). Any other
    command ("argv") is run by the kubelet in the simulated shell (minikctl.kubelet.exec
    run_main_process): it prints, sleeps on the cluster clock and exits with its own status.
    """
    proc = image.process
    command = [str(x) for x in container.get("command") or ()]
    args = [str(x) for x in container.get("args") or ()]
    entry = [str(x) for x in proc.get("entrypoint") or ()]
    if command or args:
        argv = command + args if command else entry + args
        words = argv
        if entry and argv[:len(entry)] == entry:
            # a wrapper entrypoint (docker-entrypoint.sh: exec "$@") runs its arguments; any other
            # entrypoint is the program, and the arguments are its options (coredns -conf ...)
            words = (argv[len(entry):] or entry) if proc.get("wraps") else entry
        first = words[0]
        base = first.rsplit("/", 1)[-1]
        daemons = set(proc.get("daemons") or ())
        generic = not image.known or list(proc.get("command") or ()) == ["/app"]
        if first in daemons or base in daemons or \
                (generic and base not in ("sleep", "sh", "bash", "ash", "echo", "true", "false")):
            return {"runs": True, "servers": True, "exitCode": 0, "log": image.start_logs, "argv": None}
        return {"runs": True, "servers": False, "exitCode": 0, "log": [], "argv": argv}
    for var, lines in (proc.get("requiredEnv") or {}).items():
        if not env.get(var):
            return {"runs": False, "servers": False, "exitCode": 1, "log": list(lines), "argv": None}
    if proc.get("exits"):
        return {"runs": False, "servers": False, "exitCode": int(proc.get("exitCode") or 0),
                "log": list(proc.get("exitLog") or ()), "argv": None}
    return {"runs": True, "servers": True, "exitCode": 0, "log": image.start_logs, "argv": None}


if __name__ == "__main__":  # pragma: no cover - developer tool
    import sys

    if sys.argv[1:] == ["--compile"]:
        print(compile_catalog())
    else:
        print("usage: python -m minikctl.images.catalog --compile")
