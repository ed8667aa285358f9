"""The kubelet's event recorder for a pod (client-go EventCorrelator) and the Go duration texts
its messages use.
"""

from __future__ import annotations

from minikctl.api.server import clone


SOURCE = "kubelet"


def go_duration_ms(ms: int) -> str:
    """time.Duration.String() of a duration truncated to milliseconds."""
    if ms < 1000:
        return f"{ms}ms"
    s = ms / 1000
    if s < 60:
        return f"{s:.3f}".rstrip("0").rstrip(".") + "s"
    m, sec = divmod(ms, 60_000)
    rest = f"{sec / 1000:.3f}".rstrip("0").rstrip(".")
    if m >= 60:
        h, m = divmod(m, 60)
        return f"{h}h{m}m{rest}s"
    return f"{m}m{rest}s"


class _Events:
    """The kubelet's event recorder for one pod (client-go's EventCorrelator): a repeat of an
    event with the same source, object, fieldPath, type, reason and message counts up the one
    Event (`kubectl describe` prints "9s (x3 over 40s)"). Events are buffered and written on
    flush(), so catching up on many syncs at once writes each distinct event once."""

    def __init__(self, api, pod: dict, node: str):
        self.api, self.pod, self.node = api, pod, node
        self.pending: dict[tuple, list] = {}

    def add(self, type_: str, reason: str, message: str, field_path: str = "") -> None:
        now = self.api.clock.rfc3339()
        key = (field_path, type_, reason, message)
        p = self.pending.get(key)
        if p is None:
            self.pending[key] = [now, now, 1, self.api.clock.timestamp()]
        else:
            p[1] = now
            p[2] += 1

    def add_n(self, type_: str, reason: str, message: str, field_path: str, n: int, first: float,
              last: float) -> None:
        """n occurrences of one event, the first at `first`, the last at `last` (a fast-forward)."""
        if n <= 0:
            return
        from minikctl.kubelet.probes import _TickClock

        key = (field_path, type_, reason, message)
        p = self.pending.get(key)
        if p is None:
            self.pending[key] = [_TickClock(first).rfc3339(), _TickClock(last).rfc3339(), n, first]
        else:
            p[1] = _TickClock(last).rfc3339()
            p[2] += n

    def flush(self) -> None:
        if not self.pending:
            return
        from minikctl.api import kinds as K
        from minikctl.api.server import index_fields, new_uid

        api, pod = self.api, self.pod
        kind_ev = K.by_kind("Event")
        existing = {}
        for ev in api.events_for(pod):
            inv = ev.get("involvedObject") or {}
            if (ev.get("source") or {}).get("component") == SOURCE:
                existing[(inv.get("fieldPath") or "", ev.get("type"), ev.get("reason"), ev.get("message"))] = ev
        meta = pod["metadata"]
        ns = meta.get("namespace") or "default"
        for key, (first, last, count, ts) in self.pending.items():
            field_path, type_, reason, message = key
            ev = existing.get(key)
            if ev is not None:
                ev = clone(ev)
                ev["count"] = int(ev.get("count") or 1) + count
                ev["lastTimestamp"] = last
            else:
                name = f"{meta['name']}.{int(ts) * 1_000_000_000 + api.store.next_rv():x}"[:253]
                inv = {"kind": "Pod", "namespace": ns, "name": meta["name"], "uid": meta["uid"], "apiVersion": "v1",
                       "resourceVersion": meta.get("resourceVersion")}
                if field_path:
                    inv["fieldPath"] = field_path
                ev = {"apiVersion": "v1", "kind": "Event",
                      "metadata": {"name": name, "namespace": ns, "uid": new_uid(), "creationTimestamp": first},
                      "involvedObject": inv, "reason": reason, "message": message,
                      "source": {"component": SOURCE, **({"host": self.node} if self.node else {})},
                      "firstTimestamp": first, "lastTimestamp": last, "count": count, "type": type_,
                      "eventTime": None, "reportingComponent": SOURCE, "reportingInstance": self.node or ""}
            ev["metadata"]["resourceVersion"] = str(api.store.next_rv())
            m = ev["metadata"]
            api.store.put("events", m["namespace"], m["name"], ev, **index_fields(kind_ev, ev))
        self.pending = {}


def _field_path(pod: dict, c: dict) -> str:
    """GenerateContainerRef's fieldPath: spec.containers{name} or spec.initContainers{name}."""
    name = c.get("name", "")
    app = any(x.get("name") == name for x in (pod.get("spec") or {}).get("containers") or [])
    if not app and any(x.get("name") == name for x in (pod.get("spec") or {}).get("ephemeralContainers") or ()):
        return f"spec.ephemeralContainers{{{name}}}"
    return f"spec.{'containers' if app else 'initContainers'}{{{name}}}"


def _who(pod: dict) -> str:
    m = pod["metadata"]
    return f"{m['name']}_{m.get('namespace', 'default')}({m['uid']})"  # format.Pod


def go_seconds(sec: float) -> str:
    """time.Duration.String() of whole seconds: 10s, 1m20s, 5m0s."""
    sec = int(sec)
    if sec < 60:
        return f"{sec}s"
    m, s = divmod(sec, 60)
    if m < 60:
        return f"{m}m{s}s"
    h, m = divmod(m, 60)
    return f"{h}h{m}m{s}s"
