"""The utilities that print their arguments: echo and printf."""

from __future__ import annotations

import re

from minikctl.kubelet.shell.utils_common import _gnu


def u_echo(sh, argv, io):
    args = argv[1:]
    newline = True
    escapes = sh.flavor == "dash"  # dash's builtin echo always interprets backslash escapes
    if sh.flavor != "dash":
        while args and re.fullmatch(r"-[neE]+", args[0]):
            for ch in args[0][1:]:
                if ch == "n":
                    newline = False
                elif ch == "e":
                    escapes = True
                elif ch == "E":
                    escapes = False
            args = args[1:]
    else:
        if args and args[0] == "-n":
            newline = False
            args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = _echo_escapes(text)
        if stop:
            io.out(text)
            return 0
    io.out(text + ("\n" if newline else ""))
    return 0


def _echo_escapes(s: str) -> tuple[str, bool]:
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            table = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v",
                     "e": "\x1b"}
            if n in table:
                out.append(table[n])
                i += 2
                continue
            if n == "c":
                return "".join(out), True
            if n == "0":
                m = re.match(r"[0-7]{0,3}", s[i + 2:])
                out.append(_byte(int(m.group(0) or "0", 8)))
                i += 2 + len(m.group(0))
                continue
        out.append(c)
        i += 1
    return "".join(out), False


def _byte(n: int) -> str:
    """One byte as shell text: ASCII as itself, 0x80-0xff as the surrogate that stands for a raw
    byte (the fs and the streams keep bytes that are not UTF-8 this way: surrogateescape)."""
    n &= 0xFF
    return chr(n) if n < 0x80 else chr(0xDC00 + n)


_PRINTF_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
                   '"': '"'}
_PRINTF_SPEC = re.compile(r"%([-+ #0']*)(\d*|\*)(?:\.(\d*|\*))?([sdibxXoucfFeEgG%])")


def _printf_escape(fmt: str, i: int, bash: bool) -> tuple[str, int]:
    """The escape at fmt[i] (a backslash) in a printf FORMAT: (text, next index)."""
    if i + 1 >= len(fmt):
        return "\\", i + 1
    n = fmt[i + 1]
    if n in _PRINTF_ESCAPES:
        return _PRINTF_ESCAPES[n], i + 2
    m = re.match(r"[0-7]{1,3}", fmt[i + 1:i + 4])
    if m:  # \NNN: one to three octal digits, a byte
        return _byte(int(m.group(0), 8)), i + 1 + m.end()
    if bash:
        if n in "eE":
            return "\x1b", i + 2
        if n == "x":
            m = re.match(r"[0-9A-Fa-f]{1,2}", fmt[i + 2:i + 4])
            if m:
                return _byte(int(m.group(0), 16)), i + 2 + m.end()
        if n in "uU":
            m = re.match(r"[0-9A-Fa-f]{1,%d}" % (4 if n == "u" else 8), fmt[i + 2:i + 10])
            if m and int(m.group(0), 16) < 0x110000 and not 0xD800 <= int(m.group(0), 16) < 0xE000:
                return chr(int(m.group(0), 16)), i + 2 + m.end()
    return "\\" + n, i + 2


def _c_integer(arg: str) -> tuple[int, bool]:
    """strtoimax(arg, 0) as printf reads a numeric argument: (value, whole argument used)."""
    a = arg.strip(" \t\n")
    if a[:1] in ("'", '"'):
        return (ord(a[1]) if len(a) > 1 else 0), True
    m = re.match(r"([-+]?)(0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*)", a)
    if not m:
        return 0, arg == ""
    digits = m.group(2)
    if digits[:2] in ("0x", "0X"):
        v = int(digits[2:], 16)
    elif digits.startswith("0"):
        v = int(digits, 8)
    elif len(digits) > 20:
        v = 1 << 64
    else:
        v = int(digits)
    if m.group(1) == "-":
        v = -v
    v = max(-(1 << 63), min(v, (1 << 64) - 1))  # out of range: clamped (ERANGE)
    return v, m.end() == len(a)


def u_printf(sh, argv, io):
    if len(argv) < 2:
        io.err("printf: usage: printf format [arguments]\n" if sh.flavor == "bash" else
               f"{'printf: missing operand' if _gnu(sh) else 'printf: usage: printf FORMAT [ARGUMENT...]'}\n")
        return 2 if sh.flavor == "bash" else 1
    fmt = argv[1]
    args = argv[2:]
    bash = sh.flavor != "dash"  # \x, \e and \u: bash, BusyBox and GNU printf, not dash
    budget = sh.budget
    out: list[str] = []
    size = 0
    status = 0

    def put(text: str) -> None:
        nonlocal size
        size += len(text)
        budget.size(size)
        out.append(text)

    def bad_number(arg: str) -> None:
        nonlocal status
        io.err(f"{sh.errprefix() if sh.flavor else ''}printf: {arg}: invalid number\n"
               if sh.flavor == "bash" else f"printf: '{arg}': expected a numeric value\n")
        status = 1

    def number(arg: str) -> int:
        v, whole = _c_integer(arg)
        if not whole:
            bad_number(arg)
        return v

    while True:
        budget.step()
        used = 0
        i = 0
        stop = False
        while i < len(fmt):
            c = fmt[i]
            if c == "\\":
                text, i = _printf_escape(fmt, i, bash)
                put(text)
                continue
            if c == "%":
                m = _PRINTF_SPEC.match(fmt, i)
                if not m:
                    put(c)
                    i += 1
                    continue
                i = m.end()
                flags, width, prec, conv = m.group(1).replace("'", ""), m.group(2), m.group(3), m.group(4)
                if conv == "%":
                    put("%")
                    continue
                if width == "*":
                    w = number(args[used]) if used < len(args) else 0
                    used += 1
                    if w < 0:
                        flags += "-"
                        w = -w
                    width = str(w)
                if prec == "*":
                    p = number(args[used]) if used < len(args) else 0
                    used += 1
                    prec = str(p) if p >= 0 else None
                # the field is built in memory: a width or precision beyond the budget is an OOM kill
                budget.size(max(int(width or 0), int(prec or 0) if conv not in "sbc" else 0))
                arg = args[used] if used < len(args) else ""
                used += 1
                spec = "%" + flags + width + (("." + prec) if prec is not None else "")
                if conv == "s":
                    put((spec + "s") % arg)
                elif conv == "b":
                    text, stop = _echo_escapes(arg)
                    put((spec + "s") % text)
                    if stop:
                        break
                elif conv == "c":
                    put(("%" + flags + width + "s") % arg[:1])
                elif conv in "diouxX":
                    v = number(arg) if arg else 0
                    if conv in "ouxX" and v < 0:
                        v += 1 << 64
                    elif conv in "di" and v >= 1 << 63:
                        v = (1 << 63) - 1  # strtoimax clamps what is out of range
                    put((spec + ("d" if conv in "iu" else conv)) % v)
                else:
                    try:
                        v = float(arg) if arg else 0.0
                    except ValueError:
                        v = 0.0
                        bad_number(arg)
                    put((spec + conv) % v)
                continue
            put(c)
            i += 1
        if stop or not args or used == 0 or used >= len(args):
            break
        args = args[used:]
    io.out("".join(out))
    return status
