"""Contexts: which store (cluster) and default namespace a command works on.

The config file is a kubeconfig (apiVersion v1, kind Config) kept at $MINIKCTL_CONFIG, else
$XDG_CONFIG_HOME/minikctl/config (~/.config/minikctl/config). A context names a cluster and a
default namespace; a cluster names its store file as `server: file:///PATH` (minikctl has no
API server: the store file is the cluster). A context with no cluster, or one naming a cluster
the file does not list, works on the default store, as kubectl falls back to its default server.

Cost: without --context, and with --state or $MINIKCTL_STATE given, the file is never read; with
no config file, one stat; otherwise one parse (C YAML loader) per command, on first need.
"""

from __future__ import annotations

import os

from minikctl.api.errors import MinikctlError, UsageError

# the global flags of this command (set by minikctl.cli.app.main before the handler runs)
_selected: str | None = None  # --context
_kubeconfig: str | None = None  # --kubeconfig
_cache: dict = {}

FILE_SCHEME = "file://"


class ConfigError(MinikctlError):
    """kubectl's clientcmd validation error, printed without the `error: ` prefix."""

    def render(self) -> str:
        return f"Error in configuration: {self}"


def reset(context: str | None = None, kubeconfig: str | None = None) -> None:
    """Start of a command (also between in-process test runs)."""
    global _selected, _kubeconfig
    _selected = context or None
    _kubeconfig = kubeconfig or None
    _cache.clear()


def selected() -> str | None:
    return _selected


def config_path() -> str:
    if _kubeconfig:
        return _kubeconfig
    env = os.environ.get("MINIKCTL_CONFIG")
    if env:
        return env
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "minikctl", "config")


def data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "minikctl")


def store_for_cluster_name(name: str) -> str:
    """Where `cluster create --name NAME` keeps its store: the default cluster keeps state.db."""
    return os.path.join(data_dir(), "state.db" if name in ("", "minikctl") else f"{name}.db")


# --------------------------------------------------------------------------- the file
def empty() -> dict:
    return {"clusters": [], "contexts": [], "users": [], "current-context": "", "preferences": {}, "extensions": []}


def load(path: str | None = None, *, missing_ok: bool = True) -> dict:
    """The config as {clusters, contexts, users: [{name, ...}], current-context, preferences}."""
    path = path or config_path()
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return empty()
    except OSError as e:
        raise UsageError(f'error loading config file "{path}": {e.strerror or e}') from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(data, Loader=loader) if data.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise UsageError(f'error loading config file "{path}": yaml: {where}{getattr(e, "problem", None) or e}') from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise UsageError(f'error loading config file "{path}": couldn\'t get version/kind; json parse error: '
                         f'json: cannot unmarshal {_go_type(doc)} into Go value of type struct '
                         '{ APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }')
    cfg = empty()
    for key, inner in (("clusters", "cluster"), ("contexts", "context"), ("users", "user")):
        seen = {}
        for item in doc.get(key) or []:
            if not isinstance(item, dict):
                continue
            body = item.get(inner)
            body = dict(body) if isinstance(body, dict) else {}
            seen[str(item.get("name") or "")] = body  # the last of a duplicated name wins, as in a Go map
        cfg[key] = [{"name": n, inner: b} for n, b in sorted(seen.items())]
    cfg["current-context"] = str(doc.get("current-context") or "")
    cfg["preferences"] = doc.get("preferences") if isinstance(doc.get("preferences"), dict) else {}
    cfg["extensions"] = [e for e in doc.get("extensions") or [] if isinstance(e, dict)]
    return cfg


def _go_type(value) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def find(cfg: dict, key: str, name: str) -> dict | None:
    for item in cfg[key]:
        if item["name"] == name:
            return item
    return None


def v1(cfg: dict) -> dict:
    """The config as kubectl serialises clientcmd/api/v1.Config (its JSON field order; YAML sorts
    the keys): empty lists are null, a context always has cluster and user, a cluster its server."""
    out: dict = {"kind": "Config", "apiVersion": "v1", "preferences": cfg.get("preferences") or {}}
    out["clusters"] = [{"name": c["name"], "cluster": _cluster_v1(c["cluster"])} for c in cfg["clusters"]] or None
    out["users"] = [{"name": u["name"], "user": dict(u["user"])} for u in cfg["users"]] or None
    out["contexts"] = [{"name": c["name"], "context": _context_v1(c["context"])} for c in cfg["contexts"]] or None
    out["current-context"] = cfg.get("current-context") or ""
    if cfg.get("extensions"):
        out["extensions"] = cfg["extensions"]
    return out


def _cluster_v1(body: dict) -> dict:
    out = {"server": str(body.get("server") or "")}
    out.update((k, v) for k, v in body.items() if k != "server" and v not in (None, "", [], {}, False))
    return out


def _context_v1(body: dict) -> dict:
    out = {"cluster": str(body.get("cluster") or ""), "user": str(body.get("user") or "")}
    if body.get("namespace"):
        out["namespace"] = str(body["namespace"])
    if body.get("extensions"):
        out["extensions"] = body["extensions"]
    return out


def save(cfg: dict, path: str | None = None) -> None:
    """Write the file whole (a temporary file renamed over it), readable by its owner only."""
    from minikctl.printers.structured import to_yaml

    path = path or config_path()
    d = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(d, exist_ok=True)
        tmp = f"{path}.tmp.{os.getpid()}"
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(to_yaml(v1(cfg)))
        os.replace(tmp, path)
    except OSError as e:
        raise UsageError(f"error writing config file {path}: {e.strerror or e}") from None
    _cache.clear()


# --------------------------------------------------------------------------- fast reading
_SECTIONS = {"clusters": "cluster", "contexts": "context"}


def _scalar(v: str):
    """A plain or double-quoted scalar as the config writers print them; _NO when unsure."""
    if v in ("", "null", "~"):
        return None
    if v == "{}":
        return {}
    if v[0] == '"':
        import json

        try:
            out = json.loads(v)
        except ValueError:
            return _NO
        return out if isinstance(out, str) else _NO
    if v[0] == "'":
        body = v[1:-1]
        if len(v) < 2 or v[-1] != "'" or "'" in body.replace("''", ""):
            return _NO
        return body.replace("''", "'")
    if v[0] in "&*!|>{[%@`#" or " #" in v or v[-1] == ":":
        return _NO
    return v


_NO = object()


def fast_load(text: str) -> dict | None:
    """The clusters, contexts and current-context of a config file in the layout kubectl and
    minikctl write (block style, sorted keys, two-space indents), without importing a YAML
    parser (~10 ms of start-up); None for anything else, which the YAML loader then reads."""
    cfg = {"clusters": {}, "contexts": {}, "current-context": ""}
    top_seen: set[str] = set()
    section = None  # "clusters" / "contexts" while inside one, "" inside a section not needed here
    item: dict | None = None
    inner: str | None = None  # inside an item's cluster:/context: mapping
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("\t") or "\t" in line.split(":", 1)[0]:
            return None
        if not line.startswith((" ", "-")):
            key, colon, rest = line.partition(": ") if ": " in line else line.partition(":")
            if not colon or key in top_seen or key.startswith(("#", "'", '"', "?", "{", "[", "&", "!", "%")):
                return None
            if key == "---" or key == "...":
                return None
            top_seen.add(key)
            item = inner = None
            rest = rest.strip()
            if key in _SECTIONS:
                if rest in ("null", "~", "[]"):
                    section = ""
                elif rest == "":
                    section = key
                else:
                    return None
            elif key == "current-context":
                v = _scalar(rest)
                if v is _NO or isinstance(v, dict):
                    return None
                cfg["current-context"] = v or ""
                section = ""
            else:
                section = ""  # apiVersion, kind, preferences, users, extensions: not needed
            continue
        if not section:
            continue
        if line.startswith("- "):
            item = {}
            cfg[section].setdefault("\0items", []).append(item)
            inner = None
            line = "  " + line[2:]
        if item is None:
            return None
        indent = len(line) - len(line.lstrip(" "))
        key, colon, rest = line.strip().partition(":")
        if not colon or (rest and not rest.startswith(" ")):
            return None
        v = _scalar(rest.strip())
        if v is _NO:
            return None
        if indent == 2:
            inner = None
            if key == _SECTIONS[section]:
                if v is None:
                    inner = key
                    item[key] = {}
                elif v == {}:
                    item[key] = {}
                else:
                    return None
            elif key == "name":
                if not isinstance(v, str) and v is not None:
                    return None
                item["name"] = v or ""
            else:
                return None
        elif indent == 4 and inner is not None:
            if isinstance(v, dict) or (v is None and rest.strip() == ""):
                return None  # a nested structure (extensions, ...): leave it to the YAML loader
            item[inner][key] = v
        else:
            return None
    out = {}
    for sec, inner_key in _SECTIONS.items():
        named = {}
        for it in cfg[sec].get("\0items", []):
            named[it.get("name", "")] = {"name": it.get("name", ""), inner_key: it.get(inner_key) or {}}
        out[sec] = [named[n] for n in sorted(named)]
    out["current-context"] = cfg["current-context"]
    out["users"] = []
    return out


# --------------------------------------------------------------------------- resolution
def _resolve() -> tuple[str | None, str | None]:
    """(store path or None for the default store, namespace or None) of the context in use."""
    if "resolved" in _cache:
        return _cache["resolved"]
    result: tuple[str | None, str | None] = (None, None)
    path = config_path()
    if _selected or os.path.exists(path):  # the one stat a command without a config file pays
        cfg = None
        try:
            with open(path, "rb") as f:
                cfg = fast_load(f.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            pass
        if cfg is None:
            cfg = load(path)
        name = _selected or cfg["current-context"]
        if name:
            ctx = find(cfg, "contexts", name)
            if ctx is None:
                raise ConfigError(f"context was not found for specified context: {name}")
            body = ctx["context"]
            store = None
            cluster = find(cfg, "clusters", str(body.get("cluster") or ""))
            if cluster is not None:
                store = store_of(cluster["name"], cluster["cluster"])
            result = (store, str(body.get("namespace") or "") or None)
    _cache["resolved"] = result
    return result


def store_of(name: str, body: dict) -> str | None:
    server = str(body.get("server") or "")
    if not server:
        return None
    if not server.startswith(FILE_SCHEME):
        raise UsageError(f'cluster "{name}" has server "{server}": minikctl works on a store file '
                         f"(server: file:///PATH/TO/STORE.db), it has no API server to reach")
    return os.path.expanduser(server[len(FILE_SCHEME):])


def _state_explicit() -> bool:
    return bool(os.environ.get("MINIKCTL_STATE"))


def store_path() -> str | None:
    """The store of the context in use (--context, else the current context), or None."""
    if _state_explicit() and not _selected:
        return None
    return _resolve()[0]


def namespace(state_flag: bool = False) -> str | None:
    """The default namespace of the context in use, or None. --state or $MINIKCTL_STATE without
    --context: the config file is not read at all."""
    if (state_flag or _state_explicit()) and not _selected:
        return None
    return _resolve()[1]
