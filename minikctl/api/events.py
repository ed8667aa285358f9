"""client-go's event correlator (k8s.io/client-go/tools/record/events_cache.go), which every
core/v1 event recorder (controller-manager, kubelet) runs before writing an Event:

- aggregation: the 10th different message in 10 minutes with the same source, object,
  type and reason becomes one event "(combined from similar events): <message>";
- de-duplication: an event seen before (same key, or the same aggregate) is not created
  again: the existing one gets count + 1, the new lastTimestamp and message;
- spam filter: a source may write 25 events about one object, then one more every 5
  minutes (a token bucket); the rest are dropped.

A ReplicaSet creating 20,000 pods therefore leaves 9 "Created pod" events and one combined
event, as in a real cluster, not 20,000. kube-scheduler records through the newer
events.k8s.io recorder (client-go/tools/events), which has none of this: its events are
written as they come.

The correlator's state lives in the recording process; here that is one command's write
transaction (each command is a new process, as if the controller-manager restarted).
"""

from __future__ import annotations

AGGREGATE_MAX_EVENTS = 10      # defaultAggregateMaxEvents
AGGREGATE_INTERVAL_S = 600     # defaultAggregateIntervalInSeconds
SPAM_BURST = 25                # defaultSpamBurst
SPAM_QPS = 1.0 / 300.0         # defaultSpamQPS
COMBINED_PREFIX = "(combined from similar events): "  # EventAggregatorByReasonMessageFunc
UNCORRELATED_SOURCES = frozenset({"default-scheduler"})  # events.k8s.io recorders


class Correlator:
    __slots__ = ("aggregates", "logs", "spam")

    def __init__(self):
        self.aggregates: dict[tuple, list] = {}   # aggregate key -> [set of messages, last seen]
        self.logs: dict[tuple, tuple] = {}        # event or aggregate key -> (count, firstTimestamp, name)
        self.spam: dict[tuple, list] = {}         # source+object -> [tokens, last refill]

    def correlate(self, ev: dict, now: float, new_name) -> tuple[dict, str | None] | None:
        """(the event to write, the name of an existing event it updates or None), or None
        when the spam filter drops it. `new_name()` names a new event."""
        src, inv = ev.get("source") or {}, ev.get("involvedObject") or {}
        obj = (src.get("component", ""), src.get("host", ""), inv.get("kind", ""), inv.get("namespace", ""),
               inv.get("name", ""), inv.get("uid", ""), inv.get("apiVersion", ""))
        # EventAggregate
        agg_key = obj + (ev.get("type", ""), ev.get("reason", ""), ev.get("reportingComponent", ""),
                         ev.get("reportingInstance", ""))
        rec = self.aggregates.get(agg_key)
        if rec is None or now - rec[1] > AGGREGATE_INTERVAL_S:
            rec = self.aggregates[agg_key] = [set(), now]
        rec[0].add(ev.get("message", ""))
        rec[1] = now
        if len(rec[0]) < AGGREGATE_MAX_EVENTS:
            key = ("event",) + obj[:5] + (inv.get("fieldPath", ""),) + obj[5:] + (
                ev.get("type", ""), ev.get("reason", ""), ev.get("message", ""))
        else:
            rec[0].pop()
            # the aggregate is a new Event with only these fields (no reporting controller)
            ev = {**ev, "message": COMBINED_PREFIX + ev.get("message", ""), "count": 1,
                  "reportingComponent": "", "reportingInstance": ""}
            key = ("aggregate",) + agg_key
        # eventObserve
        last = self.logs.get(key)
        existing = None
        if last is not None:
            existing = last[2]
            ev = {**ev, "count": last[0] + 1, "firstTimestamp": last[1]}
        else:
            ev["metadata"] = {**(ev.get("metadata") or {}), "name": new_name()}
        name = existing or ev["metadata"]["name"]
        self.logs[key] = (ev["count"], ev["firstTimestamp"], name)
        # EventSourceObjectSpamFilter
        bucket = self.spam.get(obj)
        if bucket is None:
            bucket = self.spam[obj] = [float(SPAM_BURST), now]
        bucket[0] = min(float(SPAM_BURST), bucket[0] + max(0.0, now - bucket[1]) * SPAM_QPS)
        bucket[1] = now
        if bucket[0] < 1.0:
            return None
        bucket[0] -= 1.0
        return ev, existing
