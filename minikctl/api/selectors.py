"""Label selectors, as k8s.io/apimachinery/pkg/labels/selector.go parses and matches them.

Syntax: ``a=b``, ``a==b``, ``a!=b``, ``a in (x,y)``, ``a notin (x)``, ``a``, ``!a``, joined by commas.
"""

from __future__ import annotations

import re

from minikctl.api.errors import UsageError


class Requirement:
    """One requirement of a selector: an immutable value (a plain class rather than a frozen
    dataclass, whose module imports `inspect`: about 5 ms on every command that reads a selector)."""

    __slots__ = ("key", "op", "values")

    def __init__(self, key: str, op: str, values: tuple[str, ...] = ()):
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "op", op)  # "=", "!=", "in", "notin", "exists", "!"
        object.__setattr__(self, "values", values)

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    __delattr__ = __setattr__

    def __repr__(self) -> str:
        return f"Requirement(key={self.key!r}, op={self.op!r}, values={self.values!r})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.key, self.op, self.values) == (other.key, other.op, other.values)

    def __hash__(self):
        return hash((self.key, self.op, self.values))

    def matches(self, labels: dict) -> bool:
        has = self.key in labels
        if self.op == "=":
            return has and labels[self.key] == self.values[0]
        if self.op == "in":
            return has and labels[self.key] in self.values
        if self.op == "!=":
            return not has or labels[self.key] != self.values[0]
        if self.op == "notin":
            return not has or labels[self.key] not in self.values
        if self.op == "exists":
            return has
        return not has  # "!"


class Selector:
    def __init__(self, reqs: list[Requirement]):
        self.reqs = reqs

    def matches(self, labels: dict | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.reqs)

    # The store answers at most this many terms from its label index, each one a clause of a
    # single SQL statement (SQLite refuses an expression deeper than 1,000); the caller
    # matches every term of the selector on what the index returns (api.server.list), so
    # a selector of any length works, its extra terms checked in Python.
    INDEX_TERMS = 32

    def equalities(self) -> list[tuple[str, str]]:
        """The terms an index can answer (key=value)."""
        return [(r.key, r.values[0]) for r in self.reqs if r.op == "="][:self.INDEX_TERMS]

    def exists_keys(self) -> list[str]:
        n = self.INDEX_TERMS - min(self.INDEX_TERMS, sum(1 for r in self.reqs if r.op == "="))
        return [r.key for r in self.reqs if r.op in ("exists", "in")][:n]

    def __bool__(self) -> bool:
        return bool(self.reqs)

    def __str__(self) -> str:
        parts = []
        for r in self.reqs:
            if r.op in ("=", "!="):
                parts.append(f"{r.key}{r.op}{r.values[0]}")
            elif r.op in ("in", "notin"):
                parts.append(f"{r.key} {r.op} ({','.join(r.values)})")
            elif r.op == "exists":
                parts.append(r.key)
            else:
                parts.append(f"!{r.key}")
        return ",".join(parts)


_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")


def _check(req: Requirement) -> Requirement:
    """labels.NewRequirement's checks of a parsed term: the key is a qualified name, each
    value a label value (field errors %q-quote the bad string)."""
    from minikctl.api.errors import FieldError
    from minikctl.api.validation import is_qualified_name, is_valid_label_value

    errs = []
    if msgs := is_qualified_name(req.key):
        errs.append(FieldError("Invalid value", "key", req.key, "; ".join(msgs)))
    for i, v in enumerate(req.values):
        if msgs := is_valid_label_value(v):
            errs.append(FieldError("Invalid value", f"values[{i}][{req.key}]", v, "; ".join(msgs)))
    if errs:
        # utilerrors.NewAggregate: one error as is, several as [a, b]
        text = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
        raise UsageError(f"unable to parse requirement: {text}")
    return req


def parse(text: str) -> Selector:
    """Parse a -l selector. Raises UsageError with apimachinery-like wording."""
    reqs: list[Requirement] = []
    s = text.strip()
    i, n = 0, len(s)

    def skip_ws():
        nonlocal i
        while i < n and s[i] in " \t":
            i += 1

    def read_ident() -> str:
        nonlocal i
        start = i
        while i < n and s[i] not in " \t,=!()":
            i += 1
        return s[start:i]

    while True:
        skip_ws()
        if i >= n:
            break
        if s[i] == "!":
            i += 1
            skip_ws()
            key = read_ident()
            if not key:
                raise UsageError(f"unable to parse requirement: found '{s[i:i+1] or 'EOS'}', expected: identifier")
            reqs.append(Requirement(key, "!"))
        else:
            key = read_ident()
            if not key:
                raise UsageError(f"unable to parse requirement: found '{s[i:i+1] or 'EOS'}', expected: identifier")
            skip_ws()
            if i >= n or s[i] == ",":
                reqs.append(Requirement(key, "exists"))
            elif s.startswith("==", i) or s[i] == "=" or s.startswith("!=", i):
                op = "!=" if s[i] == "!" else "="
                i += 2 if s.startswith(("==", "!="), i) else 1
                skip_ws()
                val = read_ident()
                reqs.append(Requirement(key, op, (val,)))
            else:
                word = read_ident()
                if word not in ("in", "notin"):
                    raise UsageError(f"unable to parse requirement: found '{word}', expected: in, notin, =, ==, !=, gt, lt")
                skip_ws()
                if i >= n or s[i] != "(":
                    raise UsageError("unable to parse requirement: found '" + (s[i] if i < n else "EOS") + "', expected: '('")
                i += 1
                vals = []
                while True:
                    skip_ws()
                    vals.append(read_ident())
                    skip_ws()
                    if i < n and s[i] == ",":
                        i += 1
                        continue
                    if i < n and s[i] == ")":
                        i += 1
                        break
                    raise UsageError("unable to parse requirement: found 'EOS', expected: ',', ')'")
                reqs.append(Requirement(key, word, tuple(v for v in vals if v)))
        skip_ws()
        if i < n:
            if s[i] != ",":
                raise UsageError(f"unable to parse requirement: found '{s[i]}', expected: ','")
            i += 1
    for r in reqs:
        # the common case without importing the validation module; anything else gets its messages
        if not (_NAME.fullmatch(r.key) and len(r.key) <= 63 and all(
                not v or (_NAME.fullmatch(v) and len(v) <= 63) for v in r.values)):
            _check(r)
    return Selector(reqs)


def from_map(m: dict | None) -> Selector:
    return Selector([Requirement(k, "=", (str(v),)) for k, v in sorted((m or {}).items())])


def from_label_selector(ls: dict | None) -> Selector:
    """metav1.LabelSelector (matchLabels + matchExpressions) -> Selector. An empty selector matches everything."""
    ls = ls or {}
    reqs = [Requirement(k, "=", (str(v),)) for k, v in sorted((ls.get("matchLabels") or {}).items())]
    ops = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}
    for e in ls.get("matchExpressions") or ():
        reqs.append(Requirement(e.get("key", ""), ops.get(e.get("operator"), "in"), tuple(e.get("values") or ())))
    return Selector(reqs)


def label_selector_matches(sel, labels) -> bool:
    """metav1.LabelSelectorAsSelector(sel).Matches(labels) on a decoded object, tolerant of
    malformed input (validation and the network policy engine use it): a missing selector
    matches nothing, an empty one everything."""
    if not isinstance(sel, dict):
        return False
    labels = labels if isinstance(labels, dict) else {}
    ml = sel.get("matchLabels")
    for k, v in (ml.items() if isinstance(ml, dict) else ()):
        if labels.get(k) != v:
            return False
    exprs = sel.get("matchExpressions")
    for e in (exprs if isinstance(exprs, list) else ()):
        if not isinstance(e, dict):
            continue
        k, op, values = e.get("key"), e.get("operator"), e.get("values")
        values = values if isinstance(values, list) else ()
        if op == "In" and labels.get(k) not in values:
            return False
        if op == "NotIn" and k in labels and labels[k] in values:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


def format_map(m: dict | None) -> str:
    """labels.FormatLabels / SelectorFromSet(...).String(): sorted k=v joined by commas."""
    if not m:
        return "<none>"
    return ",".join(f"{k}={m[k]}" for k in sorted(m))
