"""Word expansion (a part of Shell): tilde, parameters, command substitution, arithmetic,
field splitting and pathname expansion (globbing)."""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING

from minikctl.kubelet.fs import FsError
from minikctl.kubelet.shell.streams import IO, Buffer, Input
from minikctl.kubelet.shell.syntax import Lexer, ShellSyntaxError, Word, parse

if TYPE_CHECKING:
    from minikctl.kubelet.shell.interp import Shell


class Expander:
    """Shell's word expansion (Shell inherits it); `self` is the Shell."""

    def expand_words(self, words: list[Word], io: IO) -> list[str]:
        out: list[str] = []
        size = 0
        for w in words:
            fields = self.expand_word(w, io)
            if len(fields) > 1 or size:
                # an argument list costs its text plus a pointer and a header per field
                size += sum(len(f) + 64 for f in fields)
                self.budget.size(size)
            out.extend(fields)
        return out

    def expand_word(self, w: Word, io: IO) -> list[str]:
        """Full expansion: tilde, parameters, command substitution, arithmetic, field splitting, globbing."""
        fields: list[list[tuple[str, bool]]] = [[]]  # each field: [(text, quoted)]
        had_quoted = False
        parts = w.parts
        ifs = self.vars.get("IFS", " \t\n")
        for idx, p in enumerate(parts):
            kind = p[0]
            if kind == "l":
                text = p[1]
                if idx == 0 and text.startswith("~"):
                    text = self._tilde(text)
                fields[-1].append((text, False))
            elif kind == "q":
                had_quoted = True
                fields[-1].append((p[1], True))
            else:
                quoted = p[-1]
                if kind == "v" and p[1] in ("@", "*") and p[2] is None:
                    vals = list(self.positional)
                    if quoted and p[1] == "@":
                        had_quoted = True
                        for j, v in enumerate(vals):
                            if j:
                                fields.append([])
                            fields[-1].append((v, True))
                        continue
                    value = (ifs[:1] if p[1] == "*" else " ").join(vals)
                else:
                    value = self._expand_part(p, io)
                if quoted:
                    had_quoted = True
                    fields[-1].append((value, True))
                else:
                    pieces = _split_ifs(value, ifs)
                    if not pieces:
                        continue
                    lead = value[:1] in ifs and value != ""
                    trail = value[-1:] in ifs and value != ""
                    if lead and fields[-1]:
                        fields.append([])
                    for j, piece in enumerate(pieces):
                        if j:
                            fields.append([])
                        fields[-1].append((piece, False))
                    if trail:
                        fields.append([])
        out: list[str] = []
        for f in fields:
            if not f:
                continue
            if len(f) > 1:
                self.budget.size(sum(len(t) for t, _ in f))
            text = "".join(t for t, _ in f)
            if any(not q and any(ch in t for ch in "*?[") for t, q in f):
                matches = self._glob(f)
                if matches:
                    out.extend(matches)
                    continue
            out.append(text)
        if not out and had_quoted and not any(p[0] == "v" and p[1] == "@" for p in parts):
            out.append("")
        return out

    def expand_word_nosplit(self, w: Word, io: IO, assign: bool = False) -> str:
        out = []
        for idx, p in enumerate(w.parts):
            if p[0] == "l":
                text = p[1]
                if idx == 0 and text.startswith("~"):
                    text = self._tilde(text)
                out.append(text)
            elif p[0] == "q":
                out.append(p[1])
            elif p[0] == "v" and p[1] in ("@", "*") and p[2] is None:
                out.append(" ".join(self.positional))
            else:
                out.append(self._expand_part(p, io))
        if len(out) > 1:
            self.budget.size(sum(len(x) for x in out))
        return "".join(out)

    def expand_pattern(self, w: Word, io: IO) -> str:
        out = []
        for p in w.parts:
            if p[0] == "l":
                out.append(p[1])
            elif p[0] == "q":
                out.append(_glob_escape(p[1]))
            else:
                out.append(_glob_escape(self._expand_part(p, io)) if p[-1] else self._expand_part(p, io))
        return "".join(out)

    def _tilde(self, text: str) -> str:
        head, sep, rest = text.partition("/")
        if head == "~":
            return self.vars.get("HOME", "/") + sep + rest
        return text

    def _expand_part(self, p, io: IO) -> str:
        kind = p[0]
        if kind == "c":
            return self.command_substitution(p[1], io)
        if kind == "a":
            return str(self.arith(p[1], io))
        _, name, op, arg, _quoted = p
        value = self.param(name)
        if op is None:
            if value is None and "u" in self.options:
                raise _ExpansionError(f"{self.errprefix()}{name}: parameter not set\n"
                                      if self.flavor != "bash" else f"{self.errprefix()}{name}: unbound variable\n", 2)
            return value or ""
        if op == "len":
            if name in ("@", "*", "#"):
                return str(len(self.positional))
            return str(len(value or ""))
        unset_or_null = value is None or (op.startswith(":") and value == "")
        if op in (":-", "-"):
            return self.expand_word_nosplit(arg, io) if unset_or_null else value
        if op in (":=", "="):
            if unset_or_null:
                v = self.expand_word_nosplit(arg, io)
                self.vars[name] = v
                return v
            return value
        if op in (":+", "+"):
            return "" if unset_or_null else self.expand_word_nosplit(arg, io)
        if op in (":?", "?"):
            if unset_or_null:
                msg = self.expand_word_nosplit(arg, io) or "parameter null or not set"
                raise _ExpansionError(f"{self.errprefix()}{name}: {msg}\n", 2 if self.flavor == "dash" else 1)
            return value
        pat = self.expand_pattern(arg, io)
        v = value or ""
        if op in ("#", "##"):
            rng = range(len(v) + 1) if op == "#" else range(len(v), -1, -1)
            for i in rng:
                if fnmatch.fnmatchcase(v[:i], pat):
                    return v[i:]
            return v
        if op in ("%", "%%"):
            rng = range(len(v), -1, -1) if op == "%" else range(len(v) + 1)
            for i in rng:
                if fnmatch.fnmatchcase(v[i:], pat):
                    return v[:i]
            return v
        return v

    def param(self, name: str) -> str | None:
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(self.ctx.pid)
        if name == "#":
            return str(len(self.positional))
        if name == "0":
            return self.name
        if name.isdigit():
            i = int(name)
            return self.positional[i - 1] if 0 < i <= len(self.positional) else None
        if name == "!":
            return ""
        if name == "-":
            return "".join(sorted(self.options)) + ("i" if self.interactive else "")
        if name == "RANDOM" and self.flavor == "bash":
            from minikctl.api import rand

            return str(rand.rng().randint(0, 32767))
        if name == "PPID":
            return "0"
        if name == "UID" and self.flavor == "bash":
            return str(self.ctx.image.user["uid"])
        if name == "HOSTNAME" and self.flavor == "bash" and "HOSTNAME" not in self.vars:
            return self.ctx.hostname
        return self.vars.get(name)

    def command_substitution(self, script: str, io: IO) -> str:
        sub = self.subshell()
        buf = Buffer(self.budget)
        sub_io = IO(Input(""), buf.append, io.err)
        try:
            tree = parse(script, self.line)
        except ShellSyntaxError as e:
            self.syntax_error(e, script, io)
            return ""
        status = sub._run_sub(tree, sub_io)
        self.status = status
        self._last_subst_status = status
        return buf.text().rstrip("\n")

    def arith(self, expr: str, io: IO) -> int:
        # expand $x inside, then evaluate with a small safe evaluator
        text = Lexer(expr).read_dquoted_body(expr)
        s = self.expand_word_nosplit(text, io)
        try:
            return _arith_eval(s, self)
        except (ValueError, ZeroDivisionError, SyntaxError, TypeError, RecursionError):
            msg = "arithmetic expression: expecting primary" if self.flavor != "bash" else "syntax error in expression"
            if isinstance(_sys_exc(), ZeroDivisionError):
                msg = "division by zero" if self.flavor != "bash" else "division by 0"
            raise _ExpansionError(f"{self.errprefix()}{s.strip()}: {msg}\n" if self.flavor == "bash" else
                                  f"{self.errprefix()}arithmetic expression: {msg.split(': ')[-1]}: \"{s.strip()}\"\n",
                                  2 if self.flavor == "dash" else 1)

    def _glob(self, field: list[tuple[str, bool]]) -> list[str]:
        pattern = "".join(t if not q else _glob_escape(t) for t, q in field)
        absolute = pattern.startswith("/")
        segs = [s for s in pattern.split("/") if s != ""]
        bases = ["/"] if absolute else [""]
        for i, seg in enumerate(segs):
            nxt = []
            magic = any(ch in seg for ch in "*?[")
            for b in bases:
                dirpath = self.fs.abspath(b or ".", self.cwd)
                if not magic:
                    cand = (b + "/" + _glob_unescape(seg)) if b not in ("", "/") else (b + _glob_unescape(seg))
                    if self.fs.exists(cand, self.cwd):
                        nxt.append(cand)
                    continue
                try:
                    names = self.fs.listdir(dirpath)
                except FsError:
                    continue
                for n in names:
                    if n.startswith(".") and not seg.startswith("."):
                        continue
                    if fnmatch.fnmatchcase(n, seg):
                        nxt.append((b + "/" + n) if b not in ("", "/") else (b + n))
            bases = nxt
            if not bases:
                return []
        return sorted(bases)


class _ExpansionError(Exception):
    def __init__(self, message: str, code: int):
        self.message = message
        self.code = code


def _sys_exc():
    import sys

    return sys.exc_info()[1]


def _split_ifs(value: str, ifs: str) -> list[str]:
    if not ifs:
        return [value] if value else []
    ws = "".join(c for c in ifs if c in " \t\n")
    other = "".join(c for c in ifs if c not in " \t\n")
    if not other:
        return value.split() if ws == " \t\n" else [x for x in re.split("[" + re.escape(ws) + "]+", value) if x]
    pat = "[" + re.escape(ws) + "]*[" + re.escape(other) + "][" + re.escape(ws) + "]*|[" + re.escape(ws) + "]+"
    parts = re.split(pat, value.strip(ws))
    return parts if value.strip(ws) else []


def _glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


def _glob_unescape(s: str) -> str:
    return re.sub(r"\[([*?\[])\]", r"\1", s)


def _int64(v: int) -> int:
    """Shell arithmetic is intmax_t: 64 bits, wrapping around (dash, bash and ash alike)."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def _arith_eval(s: str, sh: Shell) -> int:
    import ast

    s = s.strip() or "0"
    s = s.replace("&&", " and ").replace("||", " or ")
    s = re.sub(r"!(?!=)", " not ", s)
    tree = ast.parse(s, mode="eval")

    def ev(n):
        return _int64(ev1(n))

    def ev1(n):
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and isinstance(n.value, int):
            return n.value
        if isinstance(n, ast.Name):
            v = sh.vars.get(n.id, "0") or "0"
            try:
                return int(v, 0) if v.strip().lstrip("-").isdigit() else _arith_eval(v, sh)
            except RecursionError:
                raise ValueError(v) from None
        if isinstance(n, ast.UnaryOp):
            v = ev(n.operand)
            if isinstance(n.op, ast.USub):
                return -v
            if isinstance(n.op, ast.UAdd):
                return v
            if isinstance(n.op, ast.Not):
                return int(not v)
            if isinstance(n.op, ast.Invert):
                return ~v
        if isinstance(n, ast.BinOp):
            a, b = ev(n.left), ev(n.right)
            op = n.op
            if isinstance(op, ast.Add):
                return a + b
            if isinstance(op, ast.Sub):
                return a - b
            if isinstance(op, ast.Mult):
                return a * b
            if isinstance(op, (ast.Div, ast.FloorDiv)):
                if b == 0:
                    raise ZeroDivisionError
                q = abs(a) // abs(b)
                return q if (a >= 0) == (b >= 0) else -q
            if isinstance(op, ast.Mod):
                if b == 0:
                    raise ZeroDivisionError
                return a - b * int(a / b)
            if isinstance(op, ast.Pow):
                if b < 0:
                    raise ValueError("exponent less than 0")
                return pow(a, b, 1 << 64)  # intmax_t arithmetic: modulo 2**64
            if isinstance(op, ast.LShift):
                return a << (b & 63)  # x86-64 shifts use the count's low 6 bits
            if isinstance(op, ast.RShift):
                return a >> (b & 63)
            if isinstance(op, ast.BitAnd):
                return a & b
            if isinstance(op, ast.BitOr):
                return a | b
            if isinstance(op, ast.BitXor):
                return a ^ b
        if isinstance(n, ast.BoolOp):
            vals = [ev(x) for x in n.values]
            return int(all(vals)) if isinstance(n.op, ast.And) else int(any(vals))
        if isinstance(n, ast.Compare) and len(n.ops) == 1:
            a, b = ev(n.left), ev(n.comparators[0])
            op = n.ops[0]
            return int({ast.Lt: a < b, ast.Gt: a > b, ast.LtE: a <= b, ast.GtE: a >= b, ast.Eq: a == b,
                        ast.NotEq: a != b}[type(op)])
        if isinstance(n, ast.IfExp):
            return ev(n.body) if ev(n.test) else ev(n.orelse)
        raise ValueError(s)

    return int(ev(tree))
