"""Helpers every validator shares: bad values rendered as Go's %#v prints them (field.Error's
fallback), and safe access to decoded JSON (a value of the wrong type reads as Go's zero value:
the strict decoding check, schema.py, reports the type first)."""

from __future__ import annotations


# --------------------------------------------------------------------- Go value rendering


class GoValue:
    """A bad value printed as Go's %#v does (field.Error.ErrorBody's fallback)."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"GoValue({self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, GoValue) and other.text == self.text


def _gq(s: str) -> str:
    """Go's %q (strconv.Quote)."""
    from minikctl.api.errors import go_quote

    return go_quote(s)


def go_string_map(m) -> GoValue:
    if not isinstance(m, dict):
        return GoValue("map[string]string(nil)")
    items = ", ".join(f"{_gq(str(k))}:{_gq(_s(v))}" for k, v in sorted(m.items()))
    return GoValue(f"map[string]string{{{items}}}")


def go_string_list(items) -> GoValue:
    if not isinstance(items, list):
        return GoValue("[]string(nil)")
    return GoValue("[]string{" + ", ".join(_gq(_s(x)) for x in items) + "}")


def _go_intstr(v) -> str:
    if isinstance(v, str):
        return f'intstr.IntOrString{{Type:1, IntVal:0, StrVal:{_gq(v)}}}'
    return f'intstr.IntOrString{{Type:0, IntVal:{_i(v)}, StrVal:""}}'


def _go_label_selector(sel) -> GoValue:
    sel = sel if isinstance(sel, dict) else {}
    ml = sel.get("matchLabels")
    ml_text = go_string_map(ml).text if isinstance(ml, dict) and ml else "map[string]string(nil)"
    exprs = sel.get("matchExpressions")
    if isinstance(exprs, list) and exprs:
        parts = []
        for e in exprs:
            e = e if isinstance(e, dict) else {}
            vals = e.get("values")
            parts.append(
                f"v1.LabelSelectorRequirement{{Key:{_gq(_s(e.get('key')))}, Operator:{_gq(_s(e.get('operator')))}, "
                f"Values:{go_string_list(vals).text if isinstance(vals, list) else '[]string(nil)'}}}"
            )
        ex_text = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    else:
        ex_text = "[]v1.LabelSelectorRequirement(nil)"
    return GoValue(f"v1.LabelSelector{{MatchLabels:{ml_text}, MatchExpressions:{ex_text}}}")


# --------------------------------------------------------------------- safe access


def _m(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


def _s(v) -> str:
    return v if isinstance(v, str) else ""


def _i(v) -> int:
    if isinstance(v, bool):
        return 0
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return 0


def _ml(parent, key) -> list[dict]:
    """The list parent[key], each item a mapping (others become {})."""
    v = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(v, list):
        return []
    return [x if isinstance(x, dict) else {} for x in v]
