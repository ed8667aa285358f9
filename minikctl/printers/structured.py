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
        return go_json(typed_order(obj)) + "\n"
    return go_json(obj, sort_keys=True) + "\n"


def go_json(obj, sort_keys: bool = False, indent: int | None = 4) -> str:
    """json.dumps as encoding/json's MarshalIndent writes it: HTML-safe escaping (go_escape) and
    floats in Go's form (go_json_float); a tree without floats costs one walk. indent None: json.Marshal's
    compact form."""
    if not _has_float(obj):
        seps = None if indent is not None else (",", ":")
        return go_escape(json.dumps(obj, indent=indent, ensure_ascii=False, sort_keys=sort_keys, separators=seps))
    obj = _big_ints_as_floats(obj)
    enc = json.JSONEncoder(indent=indent, ensure_ascii=False, sort_keys=sort_keys)
    # the pure-Python encoder with Go's float text (the C encoder always writes float.__repr__)
    it = json.encoder._make_iterencode(  # type: ignore[attr-defined]
        {}, enc.default, json.encoder.py_encode_basestring, " " * indent if indent else None, _json_number,
        ": " if indent is not None else ":", ",", sort_keys, False, True)
    return go_escape("".join(it(obj, 0)))


def _json_number(f: float) -> str:
    """A float as kubectl prints it after decoding: apimachinery's json decoding turns every number
    whose text is an int64 into one (100.0 -> 100, -0.0 -> 0), the rest stay float64."""
    text = go_json_float(f)
    if "." not in text and "e" not in text and -(1 << 63) <= int(text) < (1 << 63):
        return str(int(text))
    return text


def _big_ints_as_floats(v):
    if isinstance(v, int) and not isinstance(v, bool) and not -(1 << 63) <= v < (1 << 63):
        return float(v)
    if isinstance(v, dict):
        return {k: _big_ints_as_floats(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_big_ints_as_floats(x) for x in v]
    return v


def _has_float(v) -> bool:
    """True when v holds a float or an int beyond int64 (which Go decodes as a float64)."""
    if isinstance(v, float) or (isinstance(v, int) and not -(1 << 63) <= v < (1 << 63)):
        return True
    if isinstance(v, dict):
        return any(_has_float(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_float(x) for x in v)
    return False


def _digits(f: float) -> tuple[str, int]:
    """(shortest round-trip digits without trailing zeros, decimal point position): 0.00125 ->
    ("125", -2); Python's repr and Go's strconv 'shortest' pick the same digits."""
    from decimal import Decimal

    t = Decimal(repr(abs(f))).as_tuple()
    full = "".join(map(str, t.digits))
    ds = full.lstrip("0").rstrip("0")
    if not ds:
        return "0", 1
    # the value is 0.DS * 10**dp
    dp = len(full.lstrip("0")) + t.exponent
    return ds, dp


def _fmt_f(neg: bool, ds: str, dp: int) -> str:
    if dp <= 0:
        s = "0." + "0" * -dp + ds
    elif dp >= len(ds):
        s = ds + "0" * (dp - len(ds))
    else:
        s = ds[:dp] + "." + ds[dp:]
    return ("-" if neg else "") + s


def _fmt_e(neg: bool, ds: str, dp: int) -> str:
    exp = dp - 1
    mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
    return f"{'-' if neg else ''}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


_GO_NUMBER = __import__("re").compile(
    r"-?([0-9]+(\.[0-9]*)?([eE][-+][0-9]+)?|\.inf|\.nan)\Z")


def yaml_number(v) -> str:
    """A number as sigs.k8s.io/yaml writes it: encoding/json's text (go_json_float) read back by
    go-yaml v2 (an int when strconv.ParseInt or ParseUint takes it, else a float) and written by
    its encoder (go_yaml_float): 100.0 -> 100, -0.0 -> 0, 1234567.5 -> 1.2345675e+06."""
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return go_yaml_float(v)
    if isinstance(v, int) and not -(1 << 63) <= v < (1 << 63):  # decoded as a float64 (see _json_number)
        v = float(v)
    text = _json_number(v) if isinstance(v, float) else str(v)
    if "." not in text and "e" not in text:
        n = int(text)
        if -(1 << 63) <= n < (1 << 64):
            return str(n)
    return go_yaml_float(float(text))


def go_json_float(f: float) -> str:
    """encoding/json floatEncoder (encode.go): strconv 'f' shortest, or 'e' when abs < 1e-6 or
    >= 1e21 with the exponent's leading zero dropped (1e-07 -> 1e-7; 1e+21 stays)."""
    if f != f or f in (float("inf"), float("-inf")):  # Go refuses them; no manifest reaches here with one
        return json.dumps(f)
    neg = f < 0 or (f == 0 and repr(f).startswith("-"))
    ds, dp = _digits(f)
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        s = _fmt_e(neg, ds, dp)
        if s[-4:-2] == "e-" and s[-2] == "0":
            s = s[:-2] + s[-1]
        return s
    return _fmt_f(neg, ds, dp)


def go_yaml_float(f: float) -> str:
    """go-yaml v2 encoder floatv: strconv.FormatFloat(f, 'g', -1, 64) (exponent when < -4 or >= 6
    for the shortest form, at least two exponent digits), .inf/-.inf/.nan."""
    if f != f:
        return ".nan"
    if f in (float("inf"), float("-inf")):
        return ".inf" if f > 0 else "-.inf"
    neg = f < 0 or (f == 0 and repr(f).startswith("-"))
    ds, dp = _digits(f)
    if ds != "0" and (dp - 1 < -4 or dp - 1 >= 6):
        return _fmt_e(neg, ds, dp)
    return _fmt_f(neg, ds, dp)


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
            if kind is yaml.ScalarNode and implicit == (True, False) and isinstance(value, str):
                if not go_yaml_needs_quotes(value):
                    return STR
                if value[:1] in _YAML_HINT and _GO_NUMBER.match(value):  # Go's 1e-07, .inf: plain
                    return "tag:yaml.org,2002:" + ("int" if value.lstrip("-").isdigit() else "float")
            return super().resolve(kind, value, implicit)

    def str_rep(dumper, value: str):
        if "\n" in value:
            return dumper.represent_scalar(STR, value, style="|")
        if go_yaml_needs_quotes(value):
            return dumper.represent_scalar(STR, value, style='"')
        return dumper.represent_scalar(STR, value)

    FLOAT, INT = "tag:yaml.org,2002:float", "tag:yaml.org,2002:int"

    def float_rep(dumper, value: float):
        text = yaml_number(value)
        return dumper.represent_scalar(INT if text.lstrip("-").isdigit() else FLOAT, text)

    def int_rep(dumper, value: int):
        text = yaml_number(value)
        return dumper.represent_scalar(INT if text.lstrip("-").isdigit() else FLOAT, text)

    Dumper.add_representer(str, str_rep)
    Dumper.add_representer(float, float_rep)
    Dumper.add_representer(int, int_rep)
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
