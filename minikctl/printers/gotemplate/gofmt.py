"""Go's fmt and strconv as text/template uses them on decoded JSON (src/fmt/print.go, format.go;
src/strconv/quote.go).

Values are Python values standing for Go ones: dict = map[string]interface {}, list = []interface {},
str = string, bool, int = int64 (kubectl decodes JSON integers as int64), float = float64,
GoInt = int (template constants, len), Uint8 = uint8 (a byte of a string), complex = complex128,
None = a nil interface {}.
"""

from __future__ import annotations

import math


class GoInt(int):
    """Go's int (a template's integer constant, the result of len)."""

    __slots__ = ()


class Uint8(int):
    __slots__ = ()


def type_name(v) -> str:
    """reflect.TypeOf(v).String()."""
    if v is None:
        return "<nil>"
    if v is True or v is False:
        return "bool"
    if isinstance(v, GoInt):
        return "int"
    if isinstance(v, Uint8):
        return "uint8"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    if isinstance(v, complex):
        return "complex128"
    return type(v).__name__


# --- strconv -----------------------------------------------------------------------------------

_SIMPLE_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _is_print(ch: str) -> bool:
    return ch == " " or (ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)


def quote(s: str, ascii_only: bool = False) -> str:
    """strconv.Quote (QuoteToASCII with ascii_only)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x80 and _is_print(ch):
            out.append(ch)
        elif _is_print(ch) and not ascii_only:
            out.append(ch)
        elif ch in _SIMPLE_ESC:
            out.append(_SIMPLE_ESC[ch])
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    out.append('"')
    return "".join(out)


def quote_rune(r: int, ascii_only: bool = False) -> str:
    if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    ch = chr(r)
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    q = quote(ch, ascii_only)
    return "'" + q[1:-1] + "'"


def can_backquote(s: str) -> bool:
    for ch in s:
        if ch == "`" or ch == "\ufeff":
            return False
        if ch != "\t" and (ord(ch) < 0x20 or ord(ch) == 0x7F):
            return False
    return True


_UNQ = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unquote_body(s: str, q: str) -> str:
    out = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == q and q != "'":
            raise ValueError
        if c == "\n":
            raise ValueError
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= n:
            raise ValueError
        c = s[i]
        i += 1
        if c in _UNQ:
            out.append(_UNQ[c])
        elif c == q:
            out.append(c)
        elif c in "xuU":
            k = {"x": 2, "u": 4, "U": 8}[c]
            h = s[i:i + k]
            if len(h) < k or any(x not in "0123456789abcdefABCDEF" for x in h):
                raise ValueError
            v = int(h, 16)
            i += k
            if c == "x":
                out.append(chr(v) if q == "'" else bytes([v]).decode("latin-1"))
                if q != "'" and v >= 0x80:
                    out[-1] = ("\x00BYTE" + chr(v))
            else:
                if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
                    raise ValueError
                out.append(chr(v))
        elif c in "01234567":
            h = c + s[i:i + 2]
            if len(h) < 3 or any(x not in "01234567" for x in h):
                raise ValueError
            v = int(h, 8)
            if v > 255:
                raise ValueError
            i += 2
            out.append("\x00BYTE" + chr(v))
        else:
            raise ValueError
    # raw bytes (\x80, \377) are kept as the bytes Go would hold; decoded leniently
    if any(p.startswith("\x00BYTE") for p in out):
        b = bytearray()
        for p in out:
            if p.startswith("\x00BYTE"):
                b.append(ord(p[5]))
            else:
                b.extend(p.encode())
        return b.decode("utf-8", "replace")
    return "".join(out)


def unquote(s: str) -> str:
    """strconv.Unquote for "..." and `...` (errors read as Go's: invalid syntax)."""
    if len(s) >= 2 and s[0] == s[-1] == "`":
        body = s[1:-1]
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")
    if len(s) >= 2 and s[0] == s[-1] == '"':
        try:
            return _unquote_body(s[1:-1], '"')
        except ValueError:
            raise ValueError("invalid syntax") from None
    raise ValueError("invalid syntax")


def unquote_char(s: str) -> int:
    if len(s) < 3 or s[0] != "'" or s[-1] != "'":
        raise ValueError
    body = s[1:-1]
    if body == "'":
        raise ValueError
    r = _unquote_body(body, "'")
    if len(r) != 1:
        raise ValueError
    return ord(r)


# --- floats ------------------------------------------------------------------------------------


def _digits(f: float) -> tuple[str, int]:
    """Shortest decimal digits of |f| and the decimal point: |f| = 0.DIGITS * 10**dp."""
    r = repr(abs(f))
    mant, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    ip, _, fp = mant.partition(".")
    if fp == "0":
        fp = ""
    ds = (ip + fp).lstrip("0")
    if not ds:
        return "0", 1
    dp = len(ip) + e - ((len(ip + fp) - len((ip + fp).lstrip("0"))) if ip == "0" else 0)
    if ip == "0":
        dp = e - (len(fp) - len(fp.lstrip("0")))
    return ds.rstrip("0") or "0", dp


def format_float(f: float, fmt: str, prec: int) -> str:
    """strconv.FormatFloat(f, fmt, prec, 64) for fmt in e E f F g G (prec -1: shortest)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    sign = "-" if neg else ""
    low = fmt.lower()
    if prec < 0:  # shortest: %v and %g use %e when the exponent is < -4 or >= 6 (strconv's eprec)
        ds, dp = _digits(f) if f != 0 else ("0", 1)
        if low == "e" or (low == "g" and not -4 <= dp - 1 < 6):
            return sign + _e(ds, dp, max(len(ds) - 1, 0), fmt in ("E", "G"))
        return sign + _f(ds, dp, max(len(ds) - dp, 0))
    if low == "f":
        s = "%.*f" % (prec, abs(f))
        return sign + s
    if low == "e":
        s = "%.*e" % (prec, abs(f))
        return sign + (s.upper() if fmt == "E" else s)
    # %g with a precision: like C's but Go keeps no trailing zeros either
    if prec == 0:
        prec = 1
    s = "%.*g" % (prec, abs(f))
    return sign + (s.upper() if fmt == "G" else s)


def _e(ds: str, dp: int, prec: int, upper: bool) -> str:
    ds = ds + "0" * max(0, prec + 1 - len(ds))
    m = ds[0] + ("." + ds[1:prec + 1] if prec > 0 else "")
    exp = dp - 1 if ds.strip("0") else 0
    s = m + ("E" if upper else "e") + ("-" if exp < 0 else "+") + "%02d" % abs(exp)
    return s


def _f(ds: str, dp: int, prec: int) -> str:
    if dp <= 0:
        ip = "0"
        fp = "0" * (-dp) + ds
    elif dp >= len(ds):
        ip = ds + "0" * (dp - len(ds))
        fp = ""
    else:
        ip, fp = ds[:dp], ds[dp:]
    fp = (fp + "0" * prec)[:prec]
    return ip + ("." + fp if prec > 0 else "")


def _hex_float(f: float, prec: int, upper: bool) -> str:
    """strconv's 'x' format: -0x1.4p+01 (shortest mantissa unless a precision is given)."""
    if math.isnan(f) or math.isinf(f):
        return format_float(f, "g", -1)
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    if f == 0:
        s = "0x0" + ("." + "0" * prec if prec > 0 else "") + "p+00"
        return sign + (s.upper().replace("0X", "0X") if upper else s)
    m, e = math.frexp(abs(f))  # m in [0.5, 1)
    mant = int(m * (1 << 53))  # 53 bits, leading 1
    exp = e - 1
    frac = mant & ((1 << 52) - 1)
    digits = "%013x" % frac
    if prec < 0:
        digits = digits.rstrip("0")
    elif prec < 13:
        # round half to even on the dropped bits
        shift = (13 - prec) * 4
        full = (1 << 52) | frac
        q, r = divmod(full, 1 << shift)
        half = 1 << (shift - 1)
        if r > half or (r == half and q & 1):
            q += 1
        if q >> (52 - shift + 1):
            q >>= 1
            exp += 1
        digits = ("%0*x" % (prec, q & ((1 << (prec * 4)) - 1))) if prec > 0 else ""
    else:
        digits = digits + "0" * (prec - 13)
    s = "0x1" + ("." + digits if digits else "") + "p" + ("-" if exp < 0 else "+") + "%02d" % abs(exp)
    if upper:
        s = s.upper()
    return sign + s


def float_v(f: float) -> str:
    """%v of a float64."""
    return format_float(f, "g", -1)


# --- Sprint ------------------------------------------------------------------------------------


class _Flags:
    __slots__ = ("plus", "minus", "sharp", "space", "zero", "plus_v", "sharp_v", "wid", "prec")

    def __init__(self):
        self.plus = self.minus = self.sharp = self.space = self.zero = self.plus_v = self.sharp_v = False
        self.wid = None
        self.prec = None


_PLAIN = _Flags()


class _Printer:
    def __init__(self):
        self.buf: list[str] = []
        self.f = _PLAIN

    # padding
    def pad(self, s: str) -> None:
        f = self.f
        if f.wid is None or f.wid == 0:
            self.buf.append(s)
            return
        width = f.wid - len(s)
        if width <= 0:
            self.buf.append(s)
        elif f.minus:
            self.buf.append(s + " " * width)
        else:
            self.buf.append(("0" if f.zero else " ") * width + s)

    def bad_verb(self, verb: str, v, has_value: bool = True) -> None:
        self.buf.append("%!" + verb + "(")
        if v is None and not has_value:
            self.buf.append("<nil>")
        elif v is None:
            self.buf.append("<nil>")
        else:
            self.buf.append(type_name(v) + "=")
            saved = self.f
            self.f = _PLAIN
            self.print_arg(v, "v")
            self.f = saved
        self.buf.append(")")

    def print_arg(self, v, verb: str) -> None:
        if v is None:
            if verb in ("T", "v"):
                self.pad("<nil>")
            else:
                self.bad_verb(verb, None, False)
            return
        if verb == "T":
            self.fmt_s(type_name(v))
            return
        self.print_value(v, verb, 0)

    def print_value(self, v, verb: str, depth: int) -> None:
        if v is None:  # a nil interface inside a map or slice
            if self.f.sharp_v:
                self.buf.append("interface {}(nil)")
            else:
                self.buf.append("<nil>")
            return
        if v is True or v is False:
            if verb in ("t", "v"):
                self.pad("true" if v else "false")
            else:
                self.bad_verb(verb, v)
        elif isinstance(v, int):
            self.fmt_integer(v, verb)
        elif isinstance(v, float):
            self.fmt_float(v, verb)
        elif isinstance(v, str):
            self.fmt_string(v, verb)
        elif isinstance(v, complex):
            self.fmt_complex(v, verb)
        elif isinstance(v, dict):
            if self.f.sharp_v:
                self.buf.append("map[string]interface {}{")
            else:
                self.buf.append("map[")
            for i, k in enumerate(sorted(v)):
                if i:
                    self.buf.append(", " if self.f.sharp_v else " ")
                self.print_value(k, verb, depth + 1)
                self.buf.append(":")
                self.print_value(v[k], verb, depth + 1)
            self.buf.append("}" if self.f.sharp_v else "]")
        elif isinstance(v, (list, tuple)):
            if self.f.sharp_v:
                self.buf.append("[]interface {}{")
                for i, x in enumerate(v):
                    if i:
                        self.buf.append(", ")
                    self.print_value(x, verb, depth + 1)
                self.buf.append("}")
            else:
                self.buf.append("[")
                for i, x in enumerate(v):
                    if i:
                        self.buf.append(" ")
                    self.print_value(x, verb, depth + 1)
                self.buf.append("]")
        else:
            self.pad(str(v))

    def fmt_s(self, s: str) -> None:
        if self.f.prec is not None:
            s = s[:self.f.prec]
        self.pad(s)

    def fmt_string(self, s: str, verb: str) -> None:
        f = self.f
        if verb == "v":
            if f.sharp_v:
                self.fmt_q(s)
            else:
                self.fmt_s(s)
        elif verb == "s":
            self.fmt_s(s)
        elif verb in ("x", "X"):
            self.fmt_sx(s.encode(), verb == "X")
        elif verb == "q":
            self.fmt_q(s)
        else:
            self.bad_verb(verb, s)

    def fmt_sx(self, b: bytes, upper: bool) -> None:
        f = self.f
        if f.prec is not None:
            b = b[:f.prec]
        digits = "0123456789ABCDEF" if upper else "0123456789abcdef"
        parts = []
        for i, c in enumerate(b):
            if i > 0 and f.space:
                parts.append(" ")
            if f.sharp and (f.space or i == 0):
                parts.append("0X" if upper else "0x")
            parts.append(digits[c >> 4] + digits[c & 15])
        if not b and (f.wid is None):
            return
        self.pad("".join(parts))

    def fmt_q(self, s: str) -> None:
        f = self.f
        if f.prec is not None:
            s = s[:f.prec]
        if f.sharp and can_backquote(s):
            self.pad("`" + s + "`")
        else:
            self.pad(quote(s, f.plus))

    def fmt_integer(self, v: int, verb: str) -> None:
        f = self.f
        if verb == "v":
            if f.sharp_v and isinstance(v, Uint8):
                self._int(v, 16, verb, True)
            else:
                self._int(v, 10, verb)
        elif verb == "d":
            self._int(v, 10, verb)
        elif verb == "b":
            self._int(v, 2, verb)
        elif verb in ("o", "O"):
            self._int(v, 8, verb)
        elif verb == "x":
            self._int(v, 16, verb)
        elif verb == "X":
            self._int(v, 16, verb, upper=True)
        elif verb == "c":
            self.pad(chr(v) if 0 <= v <= 0x10FFFF and not 0xD800 <= v <= 0xDFFF else "\ufffd")
        elif verb == "q":
            self.pad(quote_rune(v, f.plus))
        elif verb == "U":
            s = "U+%04X" % v if v >= 0 else "U+%04X" % (v & 0xFFFFFFFFFFFFFFFF)
            if f.sharp and 0 <= v <= 0x10FFFF and _is_print(chr(v)):
                s += " '" + chr(v) + "'"
            self.pad(s)
        else:
            self.bad_verb(verb, v)

    def _int(self, v: int, base: int, verb: str, sharp_v: bool = False, upper: bool = False) -> None:
        f = self.f
        neg = v < 0
        u = -v if neg else v
        prec = 0
        if f.prec is not None:
            prec = f.prec
            if prec == 0 and u == 0:
                saved = f.zero
                f.zero = False
                self.pad("")
                f.zero = saved
                return
        elif f.zero and not f.minus and f.wid is not None:
            prec = f.wid
            if neg or f.plus or f.space:
                prec -= 1
        if base == 10:
            ds = str(u)
        elif base == 16:
            ds = format(u, "X" if upper else "x")
        elif base == 8:
            ds = format(u, "o")
        else:
            ds = format(u, "b")
        if len(ds) < prec:
            ds = "0" * (prec - len(ds)) + ds
        if f.sharp or sharp_v:
            if base == 2:
                ds = "0b" + ds
            elif base == 8 and not ds.startswith("0"):
                ds = "0" + ds
            elif base == 16:
                ds = ("0X" if upper else "0x") + ds
        if verb == "O":
            ds = "0o" + ds
        if neg:
            ds = "-" + ds
        elif f.plus:
            ds = "+" + ds
        elif f.space:
            ds = " " + ds
        saved = f.zero
        f.zero = False
        self.pad(ds)
        f.zero = saved

    def fmt_float(self, v: float, verb: str) -> None:
        f = self.f
        if verb == "v":
            self._float(v, "g", -1)
        elif verb in ("b", "g", "G", "x", "X"):
            self._float(v, verb, -1)
        elif verb in ("f", "e", "E", "F"):
            self._float(v, verb, 6)
        else:
            self.bad_verb(verb, v)

    def _float(self, v: float, verb: str, prec: int) -> None:
        f = self.f
        if f.prec is not None:
            prec = f.prec
        if verb in ("x", "X"):
            num = _hex_float(v, prec, verb == "X")
        elif verb == "b":
            num = repr(v)
        else:
            num = format_float(v, "f" if verb == "F" else verb, prec)
        if f.sharp_v and verb == "g" and prec < 0:
            pass
        if num[0] not in "+-":
            num = "+" + num
        if f.space and num[0] == "+" and not f.plus:
            num = " " + num[1:]
        if num[1:] in ("Inf", "NaN"):
            saved = f.zero
            f.zero = False
            if num[1:] == "NaN" and not f.space and not f.plus:
                num = num[1:]
            elif num[0] == "+" and not f.plus and not f.space and num[1:] == "Inf" and False:
                num = num[1:]
            self.pad(num if (f.plus or num[0] != "+") else num[1:] if num[1:] != "Inf" else num)
            f.zero = saved
            return
        if f.plus or num[0] != "+":
            if f.zero and not f.minus and f.wid is not None and f.wid > len(num):
                self.buf.append(num[0] + "0" * (f.wid - len(num)) + num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    def fmt_complex(self, v: complex, verb: str) -> None:
        if verb not in ("v", "b", "g", "G", "x", "X", "f", "F", "e", "E"):
            self.bad_verb(verb, v)
            return
        saved = self.f
        self.buf.append("(")
        self.fmt_float(v.real, verb)
        f2 = _Flags()
        f2.__init__()
        for k in _Flags.__slots__:
            setattr(f2, k, getattr(saved, k))
        f2.plus = True
        self.f = f2
        self.fmt_float(v.imag, verb)
        self.f = saved
        self.buf.append("i)")


def sprint(args: list) -> str:
    """fmt.Sprint: spaces between operands when neither is a string."""
    p = _Printer()
    prev_string = False
    for i, a in enumerate(args):
        is_string = isinstance(a, str)
        if i > 0 and not is_string and not prev_string:
            p.buf.append(" ")
        p.print_arg(a, "v")
        prev_string = is_string
    return "".join(p.buf)


def sprintln(args: list) -> str:
    p = _Printer()
    for i, a in enumerate(args):
        if i > 0:
            p.buf.append(" ")
        p.print_arg(a, "v")
    p.buf.append("\n")
    return "".join(p.buf)


def _parsenum(s: str, i: int, end: int):
    if i >= end or not s[i].isdigit() or not s[i].isascii():
        return None, i
    n = 0
    while i < end and "0" <= s[i] <= "9":
        n = n * 10 + ord(s[i]) - 48
        if n > 1_000_000:
            return None, end
        i += 1
    return n, i


def sprintf(fmt: str, args: list) -> str:
    """fmt.Sprintf (print.go doPrintf)."""
    p = _Printer()
    buf = p.buf
    end = len(fmt)
    argnum = 0
    reordered = False
    i = 0
    while i < end:
        good_argnum = True
        lasti = i
        while i < end and fmt[i] != "%":
            i += 1
        if i > lasti:
            buf.append(fmt[lasti:i])
        if i >= end:
            break
        i += 1
        f = _Flags()
        p.f = f
        while i < end:
            c = fmt[i]
            if c == "#":
                f.sharp = True
            elif c == "0":
                f.zero = not f.minus
            elif c == "+":
                f.plus = True
            elif c == "-":
                f.minus = True
                f.zero = False
            elif c == " ":
                f.space = True
            else:
                break
            i += 1
        # argument index
        after_index = False

        def arg_number(argnum, i):
            if i >= end or fmt[i] != "[":
                return argnum, i, False, True
            nonlocal reordered
            reordered = True
            j = fmt.find("]", i)
            if j < 0:
                return argnum, i, False, False
            n, k = _parsenum(fmt, i + 1, j)
            if n is None or k != j:
                return argnum, j + 1, False, False
            idx = n - 1
            if 0 <= idx < len(args):
                return idx, j + 1, True, True
            return argnum, j + 1, True, False

        argnum, i, after_index, ok = arg_number(argnum, i)
        if not ok:
            good_argnum = False
        if i < end and fmt[i] == "*":
            i += 1
            if argnum < len(args) and isinstance(args[argnum], int) and not isinstance(args[argnum], bool):
                f.wid = int(args[argnum])
                argnum += 1
                if f.wid < 0:
                    f.wid = -f.wid
                    f.minus = True
                    f.zero = False
            else:
                if argnum < len(args):
                    argnum += 1
                buf.append("%!(BADWIDTH)")
            after_index = False
        else:
            f.wid, i = _parsenum(fmt, i, end)
            if after_index and f.wid is not None:
                good_argnum = False
        if i + 1 < end and fmt[i] == ".":
            i += 1
            if after_index:
                good_argnum = False
            argnum, i, after_index, ok = arg_number(argnum, i)
            if not ok:
                good_argnum = False
            if i < end and fmt[i] == "*":
                i += 1
                if argnum < len(args) and isinstance(args[argnum], int) and not isinstance(args[argnum], bool):
                    f.prec = int(args[argnum])
                    argnum += 1
                    if f.prec < 0:
                        f.prec = None
                        buf.append("%!(BADPREC)")
                else:
                    if argnum < len(args):
                        argnum += 1
                    buf.append("%!(BADPREC)")
                after_index = False
            else:
                f.prec, i = _parsenum(fmt, i, end)
                if f.prec is None:
                    f.prec = 0
        elif i < end and fmt[i] == "." and i + 1 >= end:
            i += 1
            f.prec = 0
        if not after_index:
            argnum, i, after_index, ok = arg_number(argnum, i)
            if not ok:
                good_argnum = False
        if i >= end:
            buf.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            buf.append("%")
        elif not good_argnum:
            buf.append("%!" + verb + "(BADINDEX)")
        elif argnum >= len(args):
            buf.append("%!" + verb + "(MISSING)")
        else:
            if verb == "v":
                f.sharp_v, f.sharp = f.sharp, False
                f.plus_v, f.plus = f.plus, False
            p.print_arg(args[argnum], verb)
            argnum += 1
    if not reordered and argnum < len(args):
        p.f = _Flags()
        buf.append("%!(EXTRA ")
        for k, a in enumerate(args[argnum:]):
            if k:
                buf.append(", ")
            if a is None:
                buf.append("<nil>")
            else:
                buf.append(type_name(a) + "=")
                p.print_arg(a, "v")
        buf.append(")")
    return "".join(buf)
