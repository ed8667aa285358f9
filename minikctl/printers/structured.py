"""-o yaml / -o json / -o name, as kubectl prints them.

YAML follows sigs.k8s.io/yaml (JSON -> YAML, go-yaml v2 underneath): keys sorted, sequences not
indented under their key, strings that would read as another type double-quoted, long strings
folded at 80 columns as go-yaml's emitter folds them (PyYAML's emitter is the same libyaml port).

JSON follows encoding/json's MarshalIndent: ``<``, ``>``, ``&``, U+2028 and U+2029 escaped; keys
sorted for what kubectl holds as unstructured (get, apply, create -f, label, patch ...), and in
the order of the Go struct's fields for the typed objects kubectl builds itself (create
deployment|service|..., run, expose): that order is gotypes.json, generated from k8s.io/api
v0.32 by tools/gen_gotypes.py.
"""

from __future__ import annotations

import json

from minikctl.api import kinds as K


def as_list(objs: list[dict]) -> dict:
    return {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {"resourceVersion": ""}}


def to_json(obj: dict, typed: bool = False) -> str:
    if typed:
        return go_escape(json.dumps(typed_order(obj), indent=4, ensure_ascii=False)) + "\n"
    return go_escape(json.dumps(obj, indent=4, ensure_ascii=False, sort_keys=True)) + "\n"


def go_escape(text: str) -> str:
    """encoding/json's HTML-safe escaping on text json.dumps wrote (these characters can only
    be inside its strings)."""
    if "<" in text or ">" in text or "&" in text:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


_GOTYPES = None


def _gotypes() -> dict:
    global _GOTYPES
    if _GOTYPES is None:
        import os

        with open(os.path.join(os.path.dirname(__file__), "gotypes.json"), encoding="utf-8") as f:
            _GOTYPES = json.load(f)
    return _GOTYPES


def typed_order(obj: dict) -> dict:
    """The object as kubectl's typed Go struct of its kind marshals: keys in the struct's field
    order, Go's zero values for the fields encoding/json always writes (fields the struct does not
    have come after, sorted, as an unstructured map would hold them)."""
    if not isinstance(obj, dict):
        return obj
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    if kind == "List" and api_version == "v1":  # corev1.List: TypeMeta, ListMeta, Items (RawExtension)
        out = {k: obj[k] for k in ("kind", "apiVersion", "metadata") if k in obj}
        if "items" in obj:
            out["items"] = [_sorted(i) for i in obj["items"]]
        return out
    t = _gotypes()["kinds"].get(f"{api_version}/{kind}")
    if t is None:
        return _sorted(obj)
    return _order(obj, t, _gotypes()["types"])


def _sorted(v):
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


_ZERO = {"N": None, "E": "", "0": 0, "F": False, "Q": "0", "D": "0s"}


def _order(v, t: str | None, types: dict):
    """v as encoding/json writes a Go value of struct type t: its fields in the struct's order,
    and those Go always writes (not omitempty, or struct values) with their zero value when v
    lacks them (creationTimestamp: null, resources: {}, status: {} ...)."""
    if t is None or t not in types:
        return _sorted(v) if isinstance(v, (dict, list)) else v
    if isinstance(v, list):
        return [_order(x, t, types) for x in v]
    if not isinstance(v, dict):
        return v
    fields = types[t]
    out = {}
    names = set()
    for f in fields:
        name, ref = f[0], f[1]
        names.add(name)
        if name in v:
            x = v[name]
            if ref is None:
                out[name] = _sorted(x) if isinstance(x, (dict, list)) else x
            elif ref.startswith("map:") and isinstance(x, dict):  # map[string]T: keys sorted
                out[name] = {k: _order(x[k], ref[4:], types) for k in sorted(x)}
            else:
                out[name] = _order(x, ref, types)
        elif len(f) > 2:
            zero = f[2]
            out[name] = _order({}, ref, types) if zero == "S" else _ZERO.get(zero)
    for k in sorted(v):
        if k not in names:
            out[k] = _sorted(v[k])
    return out


_DUMPER = None


def _dumper():
    global _DUMPER
    if _DUMPER is not None:
        return _DUMPER
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    STR = "tag:yaml.org,2002:str"

    class Dumper(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind, value, implicit):
            # what go-yaml writes plain, PyYAML must not quote for its own YAML 1.1 reasons ("=")
            if kind is yaml.ScalarNode and implicit == (True, False) and isinstance(value, str) \
                    and not go_yaml_needs_quotes(value):
                return STR
            return super().resolve(kind, value, implicit)

    def str_rep(dumper, value: str):
        if "\n" in value:
            return dumper.represent_scalar(STR, value, style="|")
        if go_yaml_needs_quotes(value):
            return dumper.represent_scalar(STR, value, style='"')
        return dumper.represent_scalar(STR, value)

    Dumper.add_representer(str, str_rep)
    _DUMPER = Dumper
    return Dumper


# go-yaml v2 resolve.go: a string is written double-quoted when read back plain it would be
# another type (encode.go stringv: canUsePlain = resolve("", s) is !!str && !isBase60Float(s)).
_YAML_MAP = frozenset((
    "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
    "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
    "", "~", "null", "Null", "NULL",
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"))
_YAML_HINT = frozenset("+-.0123456789")
_RE_CACHE: dict = {}


def _re(name: str, pattern: str):
    r = _RE_CACHE.get(name)
    if r is None:
        import re

        r = _RE_CACHE[name] = re.compile(pattern)
    return r


def go_yaml_needs_quotes(s: str) -> bool:
    if s in _YAML_MAP:
        return True
    if not s or s[0] not in _YAML_HINT:
        return False
    if _re("b60", r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z").match(s):
        return True
    if s[0] == ".":
        return _go_parse_float(s)
    if _go_timestamp(s):
        return True
    plain = s.replace("_", "")
    if _go_parse_int(plain):
        return True
    if _re("float", r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z").match(plain):
        return True
    return False


def _go_parse_int(s: str) -> bool:
    """strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds."""
    m = _re("int", r"([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)\Z").match(s)
    if not m:
        return False
    body = m.group(2)
    low = body[:2].lower()
    if low == "0x":
        v = int(body[2:], 16)
    elif low == "0b":
        v = int(body[2:], 2)
    elif low == "0o":
        v = int(body[2:], 8)
    elif body.startswith("0") and len(body) > 1:
        v = int(body[1:], 8)
    else:
        v = int(body)
    if m.group(1) == "-":
        return v <= 1 << 63
    return v < 1 << 64


def _go_parse_float(s: str) -> bool:
    """strconv.ParseFloat(s, 64) accepts s (decimal or hex, inf/nan words, no underscores here)."""
    if _re("gofloat", r"[-+]?(\.[0-9]+|[0-9]+\.?[0-9]*)([eE][-+]?[0-9]+)?\Z").match(s):
        return True
    if _re("gohex", r"[-+]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][-+]?[0-9]+\Z").match(s):
        return True
    return s.lstrip("+-").lower() in ("inf", "infinity", "nan")


def _go_timestamp(s: str) -> bool:
    """resolve.go parseTimestamp: YYYY- then one of time.Parse's layouts 2006-1-2T15:4:5.999999999Z07:00,
    2006-1-2t15:4:5.999999999Z07:00, 2006-1-2 15:4:5.999999999, 2006-1-2."""
    if len(s) < 5 or not s[:4].isdigit() or s[4] != "-":
        return False
    date = r"[0-9]{4}-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])"
    clock = r"([01]?[0-9]|2[0-3]):[0-5]?[0-9]:[0-5]?[0-9](\.[0-9]+)?"
    if _re("ts1", date + r"[Tt]" + clock + r"(Z|[-+][0-9]{2}:[0-9]{2})\Z").match(s):
        return True
    if _re("ts2", date + " " + clock + r"\Z").match(s):
        return True
    return bool(_re("ts3", date + r"\Z").match(s))


def to_yaml(obj: dict) -> str:
    import yaml

    return yaml.dump(obj, Dumper=_dumper(), sort_keys=True, default_flow_style=False, allow_unicode=True,
                     width=80)


def name_of(obj: dict) -> str:
    """-o name: kind.group/name in lower case (service/web, deployment.apps/web)."""
    k = K.by_kind(obj.get("kind", ""))
    if k is None:
        return f"{obj.get('kind', '').lower()}/{obj.get('metadata', {}).get('name', '')}"
    prefix = f"{k.kind.lower()}.{k.group}" if k.group else k.kind.lower()
    return f"{prefix}/{obj['metadata']['name']}"


def omit_managed_fields(obj):
    """printers.OmitManagedFieldsPrinter (kubectl 1.32 without --show-managed-fields): the object,
    or each item of a list, without metadata.managedFields (issue 14, w-ssa). Copies only what it drops."""
    if not isinstance(obj, dict):
        return obj
    items = obj.get("items")
    if isinstance(items, list) and obj.get("kind", "").endswith("List"):
        if not any(isinstance(i, dict) and "managedFields" in (i.get("metadata") or {}) for i in items):
            return obj
        return {**obj, "items": [omit_managed_fields(i) for i in items]}
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}
    return obj
