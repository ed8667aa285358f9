"""POSIX regular expressions (grep's BRE and ERE) translated to RE2, and their matcher."""

from __future__ import annotations

import re


# POSIX BRE/ERE are translated to one syntax that both RE2 (linear time, leftmost-longest like
# POSIX: google-re2, imported only by the commands that match) and Python's re understand. RE2
# runs every pattern it can; Python's backtracking re only runs what RE2 cannot (back-references,
# repeat counts over 1000, lines that are not UTF-8), under the time budget, which interrupts it.
class RegexError(Exception):
    """A malformed pattern, with GNU regcomp's wording."""


_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "0-9A-Za-z", "upper": "A-Z", "lower": "a-z",
            "space": r" \t\n\r\f\v", "blank": r" \t", "xdigit": "0-9A-Fa-f", "cntrl": r"\x00-\x1f\x7f",
            "print": r"\x20-\x7e", "graph": r"\x21-\x7e", "word": "0-9A-Za-z_",
            "punct": "".join("\\" + c for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")}


def _lit(c: str) -> str:
    """A literal character in a pattern both engines read the same way."""
    if c.isalnum() or ord(c) > 127 or c == "_":
        return c
    if c.isprintable() and c != " ":
        return "\\" + c
    return "\\x%02x" % ord(c) if ord(c) < 256 else c


def _bracket(p: str, i: int) -> tuple[str, int]:
    """The bracket expression at p[i] == '[': (class, index after it)."""
    j = i + 1
    neg = p[j:j + 1] == "^"
    if neg:
        j += 1
    items: list[str] = []
    first = True
    while True:
        if j >= len(p):
            raise RegexError("Unmatched [, [^, [:, [., or [=")
        c = p[j]
        if c == "]" and not first:
            j += 1
            break
        first = False
        if c == "[" and p[j + 1:j + 2] in (":", ".", "="):
            kind = p[j + 1]
            end = p.find(kind + "]", j + 2)
            if end < 0:
                raise RegexError("Unmatched [, [^, [:, [., or [=")
            name = p[j + 2:end]
            j = end + 2
            if kind == ":":
                if name not in _CLASSES:
                    raise RegexError("Invalid character class name")
                items.append(_CLASSES[name])
            else:
                items.append("".join(_lit(x) for x in name))
            continue
        if j + 2 < len(p) and p[j + 1] == "-" and p[j + 2] != "]":
            if ord(p[j + 2]) < ord(c):
                raise RegexError("Invalid range end")
            items.append(_lit(c) + "-" + _lit(p[j + 2]))
            j += 3
            continue
        items.append(_lit(c))
        j += 1
    return "[" + ("^" if neg else "") + "".join(items) + "]", j


def posix_regex(p: str, extended: bool) -> tuple[str, bool]:
    """A POSIX BRE (GNU extensions: \\| \\+ \\? \\< \\> \\w) or ERE as (pattern, uses back-references)."""
    out: list[str] = []        # one element per atom (a quantifier joins its atom)
    groups: list[int] = []     # where each open group starts in out
    backref = False
    closed = 0                 # groups closed so far (what a back-reference may name)
    start = True               # where * is literal and ^ an anchor (BRE)
    i, n = 0, len(p)

    def quantify(q: str) -> None:
        if not out or start:
            out.append(_lit(q[0]) + q[1:] if len(q) == 1 else _lit("{") + q[1:])
            return
        last = out[-1]
        if last.endswith(("*", "+", "?", "}")) and not last.endswith(("\\*", "\\+", "\\?", "\\}")):
            out[-1] = "(?:" + last + ")" + q
        else:
            out[-1] = last + q

    def interval(text: str) -> str:
        lo, comma, hi = text.partition(",")
        if (lo and not lo.isdigit()) or (hi and not hi.isdigit()) or (lo and hi and int(hi) < int(lo)):
            raise RegexError("Invalid content of \\{\\}")
        if max(int(lo or 0), int(hi or 0)) > 32767:
            raise RegexError("Regular expression too big")
        return "{" + (lo or "0") + (comma + hi) + "}"

    while i < n:
        c = p[i]
        special = None  # what c (or \c in BRE) means when it is an operator
        if c == "\\":
            if i + 1 >= n:
                raise RegexError("Trailing backslash")
            d = p[i + 1]
            i += 2
            if not extended and d in "(){}|+?":
                special = d
            elif d.isdigit() and d != "0":
                if int(d) > closed:
                    raise RegexError("Invalid back reference")
                backref = True
                out.append("\\" + d)
                start = False
                continue
            elif d in "<>":
                out.append(r"\b")
                continue
            elif d in "bB":
                out.append("\\" + d)
                continue
            elif d in "wWsS":
                out.append("\\" + d)
                start = False
                continue
            else:
                out.append(_lit(d))
                start = False
                continue
        else:
            i += 1
            if extended and c in "(){}|+?":
                special = c
            elif c == "*":
                special = "*"
            elif c == "[":
                cls, i = _bracket(p, i - 1)
                out.append(cls)
                start = False
                continue
            elif c == "^" and (extended or start):
                out.append("^")
                continue
            elif c == "$" and (extended or i == n or p[i:i + 2] in ("\\)", "\\|")):
                out.append("$")
                continue
            elif c == ".":
                out.append(".")
                start = False
                continue
            else:
                out.append(_lit(c))
                start = False
                continue
        if special == "(":
            groups.append(len(out))
            out.append("(")
            start = True
        elif special == ")":
            if not groups:
                if extended:
                    out.append(_lit(")"))
                    start = False
                    continue
                raise RegexError("Unmatched ) or \\)")
            g = groups.pop()
            out[g:] = ["".join(out[g:]) + ")"]
            closed += 1
            start = False
        elif special == "|":
            out.append("|")
            start = True
        elif special in ("*", "+", "?"):
            quantify(special)
        elif special == "{":
            close = "\\}" if not extended else "}"
            end = p.find(close, i)
            if end < 0 or (extended and not re.fullmatch(r"\d*(,\d*)?", p[i:end])):
                if extended:
                    out.append(_lit("{"))
                    start = False
                    continue
                raise RegexError("Unmatched \\{")
            q = interval(p[i:end])
            i = end + len(close)
            if start or not out:
                if extended:
                    raise RegexError("Invalid preceding regular expression")
                out.append(_lit("{"))
                continue
            quantify(q)
        elif special == "}":
            out.append(_lit("}"))
            start = False
    if groups:
        raise RegexError("Unmatched ( or \\(")
    return "".join(out), backref


class Regex:
    """A compiled POSIX pattern: search() and finditer() over one line."""

    def __init__(self, pattern: str, extended: bool, fixed: bool = False, icase: bool = False,
                 word: bool = False, whole: bool = False):
        if fixed:
            rx, backref = "".join(_lit(c) for c in pattern), False
        else:
            rx, backref = posix_regex(pattern, extended)
        if word:
            rx = r"\b(?:" + rx + r")\b"
        if whole:
            rx = "^(?:" + rx + ")$"
        self.rx = rx
        self.icase = icase
        self._py = None
        self.re2 = None
        if not backref:
            self.re2 = _re2_compile(rx, icase)
        if self.re2 is None:
            self.py()  # raises RegexError when Python's re cannot read it either

    def py(self):
        if self._py is None:
            try:
                self._py = re.compile(self.rx, re.IGNORECASE if self.icase else 0)
            except (re.error, OverflowError, RecursionError) as e:
                raise RegexError("Invalid regular expression") from e
        return self._py

    def _engine(self, line: str):
        if self.re2 is not None and (line.isascii() or not _has_surrogates(line)):
            return self.re2
        return self.py()

    def search(self, line: str):
        return self._engine(line).search(line)

    def finditer(self, line: str):
        return self._engine(line).finditer(line)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _has_surrogates(s: str) -> bool:
    return _SURROGATE.search(s) is not None


def _re2_compile(rx: str, icase: bool):
    """The pattern compiled by RE2, or None (RE2 not installed, or a pattern it does not take)."""
    if _has_surrogates(rx):
        return None
    try:
        import re2
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        opts = re2.Options()
        opts.longest_match = True   # POSIX: the leftmost-longest match
        opts.log_errors = False     # RE2 would print its parse errors on the process's stderr
        opts.case_sensitive = not icase
        return re2.compile(rx, opts)
    except Exception:  # re2.error: a construct RE2 does not support (Python's re tries it)
        return None
