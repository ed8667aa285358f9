"""Human-readable durations, exactly as kubectl prints AGE.

Ports ``HumanDuration`` from k8s.io/apimachinery/pkg/util/duration/duration.go
and ``translateTimestampSince`` from pkg/printers/internalversion/printers.go
(the same helper is duplicated in staging/src/k8s.io/kubectl/pkg/describe/describe.go).

Standard library only: this module is imported on every ``get``.
"""

from __future__ import annotations

from datetime import datetime, timezone

_NS = 1_000_000_000
_MINUTE = 60 * _NS
_HOUR = 60 * _MINUTE


def _go_div(a: int, b: int) -> int:
    """Go integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def human_duration_ns(d: int) -> str:
    """HumanDuration for a duration given in integer nanoseconds (Go's time.Duration)."""
    seconds = _go_div(d, _NS)  # int(d.Seconds()) truncates toward zero
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return "%ds" % seconds
    minutes = d // _MINUTE
    if minutes < 10:
        s = (d // _NS) % 60
        if s == 0:
            return "%dm" % minutes
        return "%dm%ds" % (minutes, s)
    if minutes < 60 * 3:
        return "%dm" % minutes
    hours = d // _HOUR
    if hours < 8:
        m = (d // _MINUTE) % 60
        if m == 0:
            return "%dh" % hours
        return "%dh%dm" % (hours, m)
    if hours < 48:
        return "%dh" % hours
    if hours < 24 * 8:
        h = hours % 24
        if h == 0:
            return "%dd" % (hours // 24)
        return "%dd%dh" % (hours // 24, h)
    if hours < 24 * 365 * 2:
        return "%dd" % (hours // 24)
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        if dy == 0:
            return "%dy" % (hours // 24 // 365)
        return "%dy%dd" % (hours // 24 // 365, dy)
    return "%dy" % (hours // 24 // 365)


def human_duration(seconds: float) -> str:
    """duration.HumanDuration(d) for ``d`` given in (possibly fractional) seconds."""
    if isinstance(seconds, int):
        return human_duration_ns(seconds * _NS)
    return human_duration_ns(int(round(seconds * 1_000_000)) * 1000)


def parse_time(ts: str | None) -> datetime | None:
    """Parse an RFC3339 / RFC3339Micro timestamp; None when missing or malformed."""
    if not ts or not isinstance(ts, str):
        return None
    try:
        t = datetime.fromisoformat(ts)
    except ValueError:
        try:
            t = datetime.fromisoformat(ts.replace("Z", "+00:00"))
        except ValueError:
            return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t


def since_ns(t: datetime, now: datetime) -> int:
    """time.Since(t) in integer nanoseconds."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    delta = now - t
    return (delta.days * 86400 + delta.seconds) * _NS + delta.microseconds * 1000


def age(timestamp_rfc3339: str | None, now: datetime) -> str:
    """translateTimestampSince: ``<unknown>`` for a zero/missing timestamp."""
    t = parse_time(timestamp_rfc3339)
    if t is None:
        return "<unknown>"
    return human_duration_ns(since_ns(t, now))


def until(timestamp_rfc3339: str | None, now: datetime) -> str:
    """translateTimestampUntil."""
    t = parse_time(timestamp_rfc3339)
    if t is None:
        return "<unknown>"
    return human_duration_ns(-since_ns(t, now))
