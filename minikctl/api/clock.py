"""The cluster clock. Nothing else reads the wall clock: AGE, probes and delays all ask this.

Modes (kept in the store): ``wall`` (real time plus any ``clock advance`` offset) and
``manual`` (frozen; moves only with ``clock advance``).

The clock is kept in integer nanoseconds (Go's time.Duration is an int64 of them) and is
bounded: every timestamp the cluster writes must be an RFC 3339 time, which has four-digit
years. Go's Time.MarshalJSON refuses years outside [0,9999] (src/time/time.go); Python's
datetime knows years 1 to 9999. So the clock stays within [MIN_TS, MAX_TS], ``clock advance``
refuses to pass MAX_TS, and a stored clock outside that range (or not a number at all:
stores damaged before the bound existed hold ``manual:1e23`` or ``manual:inf``) is read
clamped, with ``Clock.damage`` saying what was wrong, so that no command crashes on it.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

NS = 1_000_000_000
MAX_TS = 253402300799  # 9999-12-31T23:59:59Z, the last second an RFC 3339 timestamp can hold
MIN_TS = -62135596800  # 0001-01-01T00:00:00Z (Go's zero Time, Python's datetime.min)
MAX_NS = MAX_TS * NS
MIN_NS = MIN_TS * NS
MARSHAL_ERROR = "Time.MarshalJSON: year outside of range [0,9999]"  # golang/go src/time/time.go
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _wall_ns() -> int:
    """The real time (time.time(), the one seam tests move)."""
    return int(time.time() * NS)


def _clamp(ns: int) -> int:
    return MIN_NS if ns < MIN_NS else MAX_NS if ns > MAX_NS else ns


def _to_ns(seconds: float | int) -> int:
    """Seconds (an int, or a float) in nanoseconds, clamped to the clock's range."""
    if isinstance(seconds, int):
        return _clamp(seconds * NS)
    if seconds != seconds:
        return 0
    return _clamp(int(round(max(min(seconds, 4.0 * MAX_TS), 4.0 * MIN_TS) * NS)))


def parse_rfc3339(text: str) -> int:
    """An RFC 3339 time (``2026-01-01T00:00:00Z`` or with an offset) as nanoseconds since the
    epoch, whole seconds. Raises ValueError with Go's time.Parse wording for a malformed one."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})", t)
    if not m:
        raise ValueError(f"{go_quote(text)} is not an RFC 3339 time such as 2026-01-01T00:00:00Z")
    y, mo, d, h, mi, sec = (int(g) for g in m.groups()[:6])
    try:
        dt = datetime(y, mo, d, h, mi, sec, tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"{go_quote(text)}: day or month out of range") from None
    z = m.group(8)
    off = 0 if z == "Z" else (1 if z[0] == "+" else -1) * (int(z[1:3]) * 3600 + int(z[4:6]) * 60)
    ns = (int((dt - _EPOCH).total_seconds()) - off) * NS
    if not MIN_NS <= ns <= MAX_NS:
        raise ValueError(f"{go_quote(text)} {_OUT_OF_RANGE}")
    return ns


_LAST_RFC3339: tuple = (None, "")  # the last second formatted: a command stamps thousands of objects alike


def format_rfc3339(ns: int) -> str:
    """RFC 3339 in UTC, whole seconds (metav1.Time), for any instant within the clock's range."""
    global _LAST_RFC3339
    sec = _clamp(ns) // NS
    last = _LAST_RFC3339
    if sec == last[0]:
        return last[1]
    d = _EPOCH + timedelta(seconds=sec)
    text = f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}Z"
    _LAST_RFC3339 = (sec, text)
    return text


def add_capped(t: datetime, delta: timedelta) -> datetime:
    """``t + delta`` held at 9999-12-31T23:59:59Z: a certificate's notAfter a year after a clock
    near its limit (RFC 5280 4.1.2.5 names 99991231235959Z "no well-defined expiration date")."""
    end = datetime(9999, 12, 31, 23, 59, 59, tzinfo=t.tzinfo or timezone.utc)
    return end if t > end - delta else t + delta


class Clock:
    def __init__(self, mode: str = "wall", offset: float | int = 0, frozen: float | int | None = None):
        self.mode = mode
        self.offset_ns = _to_ns(offset)
        self.frozen_ns = None if frozen is None else _to_ns(frozen)
        self.damage: str | None = None  # set by from_meta when the stored value had to be repaired

    # Seconds views, for callers that think in seconds.
    @property
    def offset(self) -> float:
        return self.offset_ns / NS

    @property
    def frozen(self) -> float | None:
        return None if self.frozen_ns is None else self.frozen_ns / NS

    # ------------------------------------------------------------------ store
    @classmethod
    def from_meta(cls, value: str | None) -> "Clock":
        """The clock from its meta row. Never raises: a value that is not a number, or one that
        leaves the range of RFC 3339 times, is repaired (and ``damage`` says how)."""
        if not value:
            return cls()
        mode, _, rest = value.partition(":")
        if mode not in ("manual", "wall"):
            c = cls()
            c.damage = (f"the stored cluster clock {go_quote(value[:60])} is not one minikctl knows; "
                        "using the wall clock")
            return c
        ns = _parse_seconds(rest, empty=0 if mode == "wall" else None)
        c = cls(mode)
        now = _wall_ns()
        problem = "is not a number" if ns is None else None
        if mode == "manual":
            if ns is None or ns < MIN_NS:
                # not a number, or before year 1 (which a clock that only moves forward never
                # reaches): nothing sensible to clamp to, so start again from the wall clock
                problem = problem or _OUT_OF_RANGE
                c.frozen_ns = now // NS * NS
            elif ns > MAX_NS:
                problem = _OUT_OF_RANGE
                c.frozen_ns = MAX_NS
            else:
                c.frozen_ns = ns
        elif ns is None or now + ns < MIN_NS:
            problem = problem or _OUT_OF_RANGE
            c.offset_ns = 0
        elif ns > MAX_NS - MIN_NS:
            problem = _OUT_OF_RANGE
            c.offset_ns = MAX_NS - now
        else:
            # an offset that the passing of real time took past MAX_TS is no damage: now_ns()
            # holds the clock at MAX_TS
            c.offset_ns = ns
        if problem:
            c.damage = f"the stored cluster clock {go_quote(value[:60])} {problem}; using {c.rfc3339()} instead"
        return c

    def to_meta(self) -> str:
        if self.mode == "manual":
            return f"manual:{_seconds_text(self.frozen_ns or 0)}"
        return f"wall:{_seconds_text(self.offset_ns)}"

    # ------------------------------------------------------------------- time
    def now_ns(self) -> int:
        """The cluster time in nanoseconds since the epoch, always within [MIN_NS, MAX_NS]."""
        if self.mode == "manual":
            return _clamp(self.frozen_ns or 0)
        return _clamp(_wall_ns() + self.offset_ns)

    def timestamp(self) -> float:
        return self.now_ns() / NS

    def now(self) -> datetime:
        return _EPOCH + timedelta(seconds=self.now_ns() // NS)

    def rfc3339(self) -> str:
        return format_rfc3339(self.now_ns())

    def headroom_ns(self) -> int:
        """How far the clock may still move forward."""
        return MAX_NS - self.now_ns()

    def advance(self, ns: int) -> None:
        """Move forward by ``ns`` nanoseconds (an int, as parse_duration returns).

        Raises ValueError, changing nothing, for a negative duration or one that would pass
        MAX_TS."""
        if ns < 0:
            raise ValueError("the cluster clock only moves forward")
        if ns > self.headroom_ns():
            raise ValueError(f"the cluster clock cannot pass {format_rfc3339(MAX_NS)} ({MARSHAL_ERROR})")
        if self.mode == "manual":
            self.frozen_ns = self.now_ns() + ns
        else:
            self.offset_ns += ns


_OUT_OF_RANGE = "is out of range (RFC 3339 years are 0001 to 9999)"


def _parse_seconds(text: str, *, empty: int | None) -> int | None:
    """A stored number of seconds as nanoseconds (exact for plain decimals); None when it is not
    a finite number. Values far out of range come back just past the range, for the caller to clamp."""
    t = text.strip()
    if not t:
        return empty
    try:
        f = float(t)
    except (ValueError, OverflowError):
        return None
    if f != f:
        return None
    if f > 4 * MAX_TS:  # includes inf; keeps int arithmetic on absurd values bounded
        return MAX_NS * 4
    if f < 4 * MIN_TS:
        return MIN_NS * 4
    ns = _exact_ns(t)
    return int(round(f * NS)) if ns is None else ns


def _exact_ns(t: str) -> int | None:
    """``[-+]digits[.digits]`` as exact nanoseconds (fractions past 9 digits truncated); None otherwise."""
    sign = -1 if t.startswith("-") else 1
    body = t[1:] if t[:1] in "+-" else t
    whole, dot, frac = body.partition(".")
    if not whole.isdigit() or not whole.isascii() or (dot and frac and not (frac.isdigit() and frac.isascii())):
        return None
    return sign * (int(whole) * NS + int((frac + "000000000")[:9]))


def _seconds_text(ns: int) -> str:
    """Exact seconds: ``1733482934.0``, ``1733482934.5`` (readable by float() as older minikctl did)."""
    sign = "-" if ns < 0 else ""
    s, frac = divmod(abs(ns), NS)
    return f"{sign}{s}.{(f'{frac:09d}'.rstrip('0') or '0')}"


# ---------------------------------------------------------------- durations
# A port of Go's time.ParseDuration and time.Duration.String (golang/go src/time/format.go,
# src/time/time.go). kubectl parses every duration flag (--since, --timeout,
# --request-timeout) with it, so its accepted forms and its messages are the ones users know.

_UNITS = {
    b"ns": 1,
    b"us": 1_000,
    "µs".encode(): 1_000,  # U+00B5 micro sign
    "μs".encode(): 1_000,  # U+03BC Greek small letter mu
    b"ms": 1_000_000,
    b"s": NS,
    b"m": 60 * NS,
    b"h": 3600 * NS,
}
_U63 = 1 << 63
_U64_MASK = (1 << 64) - 1


def go_quote(s: str | bytes) -> str:
    """time's own quote() (format.go): like strconv.Quote, but every byte that is not printable
    ASCII (controls, and each byte of a non-ASCII character or of invalid UTF-8) becomes \\xNN."""
    b = _as_bytes(s)
    out = ['"']
    for c in b:
        if c >= 0x80 or c < 0x20:
            out.append(f"\\x{c:02x}")
        elif c in (0x22, 0x5C):  # " and backslash
            out.append("\\" + chr(c))
        else:
            out.append(chr(c))
    out.append('"')
    return "".join(out)


def _as_bytes(s: str | bytes) -> bytes:
    if isinstance(s, bytes):
        return s
    try:
        return s.encode("utf-8", "surrogateescape")  # argv bytes that were not UTF-8 come back as they were
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass")


def parse_duration(text: str | bytes) -> int:
    """Go's time.ParseDuration: the duration in integer nanoseconds, or ValueError with Go's message.

    A possibly signed sequence of decimal numbers, each with an optional fraction and a unit:
    ``300ms``, ``-1.5h``, ``2h45m``, ``0``. Units ns, us (or µs, μs), ms, s, m, h; no ``d``.
    The result must fit an int64 of nanoseconds (about 2562047h)."""
    orig = _as_bytes(text)
    s = orig
    n = len(s)
    i = 0
    neg = False

    def invalid() -> ValueError:
        return ValueError("time: invalid duration " + go_quote(orig))

    if n and s[0] in b"-+":
        neg = s[0] == 0x2D
        i = 1
    if s[i:] == b"0":  # special case: "0" (signed or not) needs no unit
        return 0
    if i == n:
        raise invalid()
    d = 0
    while i < n:
        c = s[i]
        if not (c == 0x2E or 0x30 <= c <= 0x39):  # the next character must be [0-9.]
            raise invalid()
        # leadingInt: [0-9]*, refusing more than 1<<63
        start = i
        v = 0
        while i < n and 0x30 <= s[i] <= 0x39:
            if v > _U63 // 10:
                raise invalid()
            v = v * 10 + s[i] - 0x30
            if v > _U63:
                raise invalid()
            i += 1
        pre = i != start
        # leadingFraction: (\.[0-9]*)? -- stops gaining precision instead of overflowing
        f, scale, post = 0, 1.0, False
        if i < n and s[i] == 0x2E:
            i += 1
            start = i
            overflow = False
            while i < n and 0x30 <= s[i] <= 0x39:
                if not overflow:
                    if f > (_U63 - 1) // 10:
                        overflow = True
                    else:
                        y = f * 10 + s[i] - 0x30
                        if y > _U63:
                            overflow = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            post = i != start
        if not pre and not post:  # no digits (e.g. ".s" or "-.s")
            raise invalid()
        # the unit: everything up to the next [0-9.]
        start = i
        while i < n and not (s[i] == 0x2E or 0x30 <= s[i] <= 0x39):
            i += 1
        if i == start:
            raise ValueError("time: missing unit in duration " + go_quote(orig))
        u = s[start:i]
        unit = _UNITS.get(u)
        if unit is None:
            raise ValueError("time: unknown unit " + go_quote(u) + " in duration " + go_quote(orig))
        if v > _U63 // unit:
            raise invalid()
        v *= unit
        if f > 0:
            # float64 is needed to be nanosecond accurate for fractions of hours (as in Go)
            v += int(float(f) * (float(unit) / scale))
            if v > _U63:
                raise invalid()
        d = (d + v) & _U64_MASK  # Go adds in uint64, which wraps
        if d > _U63:
            raise invalid()
    if neg:
        return -d
    if d > _U63 - 1:
        raise invalid()
    return d


def format_duration(ns: int) -> str:
    """Go's time.Duration.String(): ``1h0m0.5s``, ``300ms``, ``1.5µs``, ``0s`` (for any int)."""
    neg = ns < 0
    u = -ns if neg else ns
    if u == 0:
        return "0s"
    if u < 1_000:
        body = f"{u}ns"
    elif u < 1_000_000:
        body = _frac(u, 3) + "µs"
    elif u < NS:
        body = _frac(u, 6) + "ms"
    else:
        total_s, frac = divmod(u, NS)
        body = _frac(total_s % 60 * NS + frac, 9) + "s"
        minutes = total_s // 60
        if minutes:
            body = f"{minutes % 60}m" + body
            if minutes >= 60:
                body = f"{minutes // 60}h" + body
    return ("-" if neg else "") + body


def _frac(v: int, prec: int) -> str:
    """fmtFrac + fmtInt: v / 10**prec with the fraction's trailing zeros (and a bare point) dropped."""
    whole, frac = divmod(v, 10**prec)
    digits = f"{frac:0{prec}d}".rstrip("0") if prec else ""
    return f"{whole}.{digits}" if digits else str(whole)
