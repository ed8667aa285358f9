"""The cluster clock. Nothing else reads the wall clock: AGE, probes and delays all ask this.

Modes (kept in the store): ``wall`` (real time plus any ``clock advance`` offset) and
``manual`` (frozen; moves only with ``clock advance``).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone


class Clock:
    def __init__(self, mode: str = "wall", offset: float = 0.0, frozen: float | None = None):
        self.mode = mode
        self.offset = offset
        self.frozen = frozen

    @classmethod
    def from_meta(cls, value: str | None) -> "Clock":
        if not value:
            return cls()
        mode, _, rest = value.partition(":")
        if mode == "manual":
            return cls("manual", 0.0, float(rest))
        return cls("wall", float(rest or 0.0))

    def to_meta(self) -> str:
        if self.mode == "manual":
            return f"manual:{self.frozen!r}"
        return f"wall:{self.offset!r}"

    def timestamp(self) -> float:
        if self.mode == "manual":
            return float(self.frozen or 0.0)
        return time.time() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(int(self.timestamp()), tz=timezone.utc)

    def rfc3339(self) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(self.timestamp())))

    def advance(self, seconds: float) -> None:
        if self.mode == "manual":
            self.frozen = float(self.frozen or 0.0) + seconds
        else:
            self.offset += seconds


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration subset: 30s, 5m, 1h30m, 1.5h, 250ms."""
    import re

    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
    s = text.strip()
    if not s:
        raise ValueError("empty duration")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s)
    total = 0.0
    pos = 0
    for m in re.finditer(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)", s):
        if m.start() != pos:
            raise ValueError(f'time: invalid duration "{text}"')
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    if pos != len(s):
        raise ValueError(f'time: invalid duration "{text}"')
    return total
