"""DescribeEvents (describe.go, kubectl 1.32): the ``Events:`` section every describer ends with."""

from __future__ import annotations

from datetime import datetime, timezone

from minikctl.printers.describe.writer import _Writer, _g, _int
from minikctl.printers.duration import age as _age
from minikctl.printers.duration import parse_time


def _event_time(e: dict):
    """kubectl/pkg/util/event: sort time (series.lastObservedTime, lastTimestamp, eventTime)."""
    series = e.get("series")
    if isinstance(series, dict):
        t = parse_time(series.get("lastObservedTime"))
    else:
        t = parse_time(e.get("lastTimestamp"))
        if t is None:
            t = parse_time(e.get("eventTime"))
    return t or datetime.min.replace(tzinfo=timezone.utc)


def describe_events(events, w: _Writer, now: datetime) -> None:
    """DescribeEvents; ``events=None`` (``--show-events=false``) prints no section at all."""
    if events is None:
        return
    events = [e for e in events if isinstance(e, dict)]
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    events.sort(key=_event_time)
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in events:
        if parse_time(e.get("eventTime")) is not None:
            first = _age(e.get("eventTime"), now)
        else:
            first = _age(e.get("firstTimestamp"), now)
        series = e.get("series")
        count = _int(e.get("count"))
        if isinstance(series, dict):
            interval = "%s (x%d over %s)" % (_age(series.get("lastObservedTime"), now), _int(series.get("count")), first)
        elif count > 1:
            interval = "%s (x%d over %s)" % (_age(e.get("lastTimestamp"), now), count, first)
        else:
            interval = first
        source = _g(e, "source", "component") or e.get("reportingComponent") or ""
        # (the "fieldPath: " message prefix only arrived after 1.32)
        message = (e.get("message") or "").strip()
        w.write(1, "%s\t%s\t%s\t%s\t%s\n" % (e.get("type") or "", e.get("reason") or "", interval, source, message))
