"""Cron schedules as kube-controller-manager parses them: github.com/robfig/cron/v3
ParseStandard (parser.go, spec.go, constantdelay.go), the library Kubernetes 1.32 vendors.

Five fields (minute hour day-of-month month day-of-week) with `*`, `?`, ranges, steps,
lists and month/weekday names, or a descriptor (@yearly/@annually, @monthly, @weekly,
@daily/@midnight, @hourly, @every DURATION). Error texts are the library's, word for word.

`next_after(t)` gives the first activation strictly after t (epoch seconds), walking days
and the hour/minute sets that match, never minute by minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

STAR = 1 << 63
_MONTHS = {n: i + 1 for i, n in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"))}
_DOW = {n: i for i, n in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_BOUNDS = ((0, 59, None), (0, 23, None), (1, 31, None), (1, 12, _MONTHS), (0, 6, _DOW))
_DESCRIPTORS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}


class CronError(ValueError):
    pass


def _atoi(expr: str) -> int:
    """mustParseInt: strconv.Atoi's errors."""
    s = expr[1:] if expr[:1] in "+-" else expr
    if not s or not s.isascii() or not s.isdigit():
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": invalid syntax')
    n = int(expr)
    if n < 0:
        raise CronError(f"negative number ({n}) not allowed: {expr}")
    if n > 2**63 - 1:
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": value out of range')
    return n


def _int_or_name(expr: str, names) -> int:
    if names is not None and expr.lower() in names:
        return names[expr.lower()]
    return _atoi(expr)


def _range(expr: str, lo: int, hi: int, names) -> int:
    """getRange."""
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    single = len(low_high) == 1
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = lo, hi, STAR
    else:
        start = _int_or_name(low_high[0], names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _int_or_name(low_high[1], names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if single:
            end = hi
        if step > 1:
            extra = 0
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < lo:
        raise CronError(f"beginning of range ({start}) below minimum ({lo}): {expr}")
    if end > hi:
        raise CronError(f"end of range ({end}) above maximum ({hi}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")
    bits = 0
    for v in range(start, end + 1, step):
        bits |= 1 << v
    return bits | extra


class Schedule:
    __slots__ = ("minute", "hour", "dom", "month", "dow", "every")

    def __init__(self, fields: tuple[int, int, int, int, int] | None = None, every: int = 0):
        self.minute, self.hour, self.dom, self.month, self.dow = fields or (0, 0, 0, 0, 0)
        self.every = every  # @every: seconds

    def _day_matches(self, d: datetime) -> bool:
        dom = bool((1 << d.day) & self.dom)
        dow = bool((1 << ((d.weekday() + 1) % 7)) & self.dow)
        if self.dom & STAR or self.dow & STAR:
            return dom and dow
        return dom or dow

    def next_after(self, t: float, tz=timezone.utc) -> float | None:
        """The first activation after t (epoch seconds), or None within five years (as Next)."""
        if self.every:
            return float(int(t) + self.every)
        # the first whole minute after t, then the first matching (day, hour, minute) from there
        start = datetime.fromtimestamp(int(t), tz).replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.replace(hour=0, minute=0)
        hours = [h for h in range(24) if self.hour & (1 << h)]
        minutes = [m for m in range(60) if self.minute & (1 << m)]
        first = True
        for _ in range(366 * 5 + 2):
            if (1 << day.month) & self.month and self._day_matches(day):
                for h in hours:
                    if first and h < start.hour:
                        continue
                    for m in minutes:
                        if first and h == start.hour and m < start.minute:
                            continue
                        ts = datetime(day.year, day.month, day.day, h, m, tzinfo=tz).timestamp()
                        if ts > t:
                            return ts
            first = False
            day = (day + timedelta(days=1)).replace(hour=0, minute=0)
        return None


def parse_standard(spec: str) -> Schedule:
    """cron.ParseStandard."""
    if len(spec) == 0:
        raise CronError("empty spec string")
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        head, _, rest = spec.partition(" ")
        name = head.split("=", 1)[1]
        if not _zone(name):
            raise CronError(f"provided bad location {name}: unknown time zone {name}")
        spec = rest.strip()
    if spec.startswith("@"):
        if spec.startswith("@every "):
            from minikctl.api.clock import parse_duration

            text = spec[len("@every "):]
            try:
                ns = parse_duration(text)
            except ValueError as e:
                raise CronError(f"failed to parse duration {spec}: {e}") from None
            secs = max(ns // 1_000_000_000, 1)  # Every(): at least a second, rounded down to seconds
            return Schedule(every=secs)
        if spec not in _DESCRIPTORS:
            raise CronError(f"unrecognized descriptor: {spec}")
        spec = _DESCRIPTORS[spec]
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    bits = []
    for text, (lo, hi, names) in zip(fields, _BOUNDS):
        b = 0
        for part in text.split(","):
            b |= _range(part, lo, hi, names)
        bits.append(b)
    return Schedule(tuple(bits))


def _zone(name: str):
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:
        return None


def zone(name: str | None):
    """time.LoadLocation; None for an unknown zone."""
    if name is None or name == "" or name == "UTC":
        return timezone.utc
    if name == "Local":
        return None
    return _zone(name)
