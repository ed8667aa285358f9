"""describeQuota, describeLimitRange and describePriorityClass (describe.go, kubectl 1.32).
ResourceQuota and LimitRange describers show no events; PriorityClass's does."""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.quantity import Quantity, parse_quantity, quantity_string
from minikctl.printers.describe.writer import _D, _L, _Writer, _g
from minikctl.printers.table import format_labels

_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long running "
                      "pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a burstable "
                     "or guaranteed quality of service.",
}


def help_text_for_scope(scope: str) -> str:
    """helpTextForResourceQuotaScope."""
    return _SCOPE_HELP.get(scope, "")


def _describe_resource_quota(rq: dict) -> str:
    w = _Writer()
    meta = rq.get("metadata") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    scopes = sorted(s for s in _g(rq, "spec", "scopes", default=_L) or _L if isinstance(s, str))
    if scopes:
        w.write(0, "Scopes:\t%s\n" % ", ".join(scopes))
        for s in scopes:
            text = help_text_for_scope(s)
            if text:
                w.write(0, " * %s\n" % text)
    w.write(0, "Resource\tUsed\tHard\n")
    w.write(0, "--------\t----\t----\n")
    hard = _g(rq, "status", "hard", default=_D) or _D
    used = _g(rq, "status", "used", default=_D) or _D
    for r in sorted(hard):
        h = parse_quantity(hard[r])
        u = parse_quantity(used.get(r)) if r in used else Quantity(0, "")
        if h.format != u.format:
            # describeQuota: a used value in another format is shown as its Value() in the hard one's
            u = Quantity(u.value_int(), h.format)
        w.write(0, "%s\t%s\t%s\n" % (r, quantity_string(u), quantity_string(h)))
    return w.render()


def _limit_range_rows(w: _Writer, lr: dict, prefix: str) -> None:
    """describeLimitRangeSpec (Go walks a map: the resources are sorted here)."""
    for item in _g(lr, "spec", "limits", default=_L) or _L:
        item = item if isinstance(item, dict) else {}
        keys: set = set()
        for f in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            keys.update((item.get(f) or _D).keys())
        for k in sorted(keys):
            vals = []
            for f in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio"):
                m = item.get(f) or _D
                vals.append(quantity_string(parse_quantity(m[k])) if k in m else "-")
            w.write(0, "%s%s\t%s\t%s\n" % (prefix, item.get("type") or "", k, "\t".join(vals)))


def _describe_limit_range(lr: dict) -> str:
    w = _Writer()
    meta = lr.get("metadata") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    w.write(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    _limit_range_rows(w, lr, "")
    return w.render()


def _describe_priority_class(pc: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = pc.get("metadata") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Value:\t%d\n" % (pc.get("value") if isinstance(pc.get("value"), int) else 0))
    w.write(0, "GlobalDefault:\t%s\n" % ("true" if pc.get("globalDefault") is True else "false"))
    w.write(0, "PreemptionPolicy:\t%s\n" % (pc.get("preemptionPolicy") or ""))
    w.write(0, "Description:\t%s\n" % (pc.get("description") or ""))
    w.write(0, "Annotations:\t%s\n" % format_labels(meta.get("annotations")))
    if events is not None:
        describe_events(events, w, now)
    return w.render()
