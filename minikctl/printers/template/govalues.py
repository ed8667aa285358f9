"""Go's printing of decoded JSON values, as kubectl's printers show them: fmt.Sprint (map[k:v]),
%#v, strconv.Quote, float64 formatting (fmt and encoding/json), encoding/json's Marshal with
``<>&`` escaped."""

from __future__ import annotations

import re

from minikctl.api.errors import go_quote  # noqa: F401  strconv.Quote (re-exported for the printers)

# ---------------------------------------------------------------------------
# Go value formatting
# ---------------------------------------------------------------------------


def _is_print(ch: str) -> bool:
    # unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space
    return ch == " " or ch.isprintable()


def _digits(f: float) -> tuple[str, int, bool]:
    """Shortest decimal digits of f (as strconv finds them): (digits, decimal point, negative);
    the value is 0.DIGITS * 10**dp."""
    from decimal import Decimal

    _, digs, exp = Decimal(repr(abs(f))).as_tuple()
    ds = "".join(map(str, digs)).lstrip("0")
    if not ds:
        return "0", 1, repr(f).startswith("-")
    dp = len(ds) + exp
    return ds.rstrip("0"), dp, f < 0


def _fmt_e(ds: str, dp: int, neg: bool) -> str:
    mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
    exp = dp - 1
    es = "-" if exp < 0 else "+"
    ea = abs(exp)
    return ("-" if neg else "") + mant + "e" + es + ("%02d" % ea)


def _fmt_f(ds: str, dp: int, neg: bool) -> str:
    if dp <= 0:
        s = "0." + "0" * (-dp) + ds
    elif dp >= len(ds):
        s = ds + "0" * (dp - len(ds))
    else:
        s = ds[:dp] + "." + ds[dp:]
    return ("-" if neg else "") + s


def go_float_v(f: float) -> str:
    """fmt's %v for a float64: strconv 'g' with the shortest digits, so %e when the exponent
    is < -4 or >= 6 (the precision strconv uses for that decision when shortest)."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    ds, dp, neg = _digits(f)
    exp = dp - 1
    if ds == "0":
        return "-0" if neg else "0"
    if exp < -4 or exp >= 6:
        return _fmt_e(ds, dp, neg)
    return _fmt_f(ds, dp, neg)


def go_float_json(f: float) -> str:
    """encoding/json's float64 encoding (ES6 number formatting)."""
    if f == 0:
        return "0" if repr(f)[0] != "-" else "-0"
    ds, dp, neg = _digits(f)
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        s = _fmt_e(ds, dp, neg)
        # clean up e-09 to e-9
        if len(s) >= 4 and s[-4] == "e" and s[-3] == "-" and s[-2] == "0":
            s = s[:-2] + s[-1]
        return s
    return _fmt_f(ds, dp, neg)


def go_sprint(v) -> str:
    """fmt.Sprint of an unstructured value."""
    if isinstance(v, str):
        return v
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_float_v(v)
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    return str(v)


def go_sharp_v(v, top: bool = True) -> str:
    """fmt's %#v of an unstructured value (map[string]interface {}{...})."""
    if isinstance(v, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{go_quote(str(k))}:{go_sharp_v(v[k], False)}" for k in sorted(v)) + "}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}{" + ", ".join(go_sharp_v(x, False) for x in v) + "}"
    if isinstance(v, str):
        return go_quote(v)
    if v is None:
        return "interface {}(nil)"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_float_v(v)
    return str(v)


def go_type(v) -> str:
    """The Go type of an unstructured value, as reflect prints it."""
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    return "interface {}"


_JSON_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
             "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_NEEDS = re.compile('["\\\\<>&\u2028\u2029\x00-\x1f]')


def _json_str(s: str) -> str:
    if not _JSON_NEEDS.search(s):
        return '"' + s + '"'
    return '"' + _JSON_NEEDS.sub(lambda m: _JSON_ESC.get(m.group(), "\\u%04x" % ord(m.group())), s) + '"'


def go_json(v, indent: str | None = None, _level: int = 0) -> str:
    """encoding/json Marshal (indent None) or MarshalIndent(v, "", indent)."""
    if isinstance(v, str):
        return _json_str(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_float_json(v)
    if isinstance(v, dict):
        if not v:
            return "{}"
        keys = sorted(v)
        if indent is None:
            return "{" + ",".join(_json_str(str(k)) + ":" + go_json(v[k]) for k in keys) + "}"
        pad = "\n" + indent * (_level + 1)
        return "{" + ",".join(pad + _json_str(str(k)) + ": " + go_json(v[k], indent, _level + 1) for k in keys) \
            + "\n" + indent * _level + "}"
    if isinstance(v, (list, tuple)):
        if not v:
            return "[]"
        if indent is None:
            return "[" + ",".join(go_json(x) for x in v) + "]"
        pad = "\n" + indent * (_level + 1)
        return "[" + ",".join(pad + go_json(x, indent, _level + 1) for x in v) + "\n" + indent * _level + "]"
    return _json_str(str(v))


def _go_unicode(ch: str) -> str:
    """%#U: U+0078 'x' (the quoted form only for printable runes)."""
    s = "U+%04X" % ord(ch)
    return s + " '" + ch + "'" if _is_print(ch) else s
