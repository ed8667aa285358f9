"""describeNamespace (describe.go, kubectl 1.32) with its resource quotas
(DescribeResourceQuotas) and limit ranges (DescribeLimitRanges). Namespaces show no events.
"""

from __future__ import annotations

from minikctl.printers.describe.quantity import _qstr
from minikctl.printers.describe.writer import (
    _D,
    _L,
    _Writer,
    _g,
    _print_annotations_multiline,
    _print_labels_multiline,
    rfc1123z,
)


def _describe_namespace(ns: dict, related: dict) -> str:
    w = _Writer()
    meta = ns.get("metadata") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Status:\t%s\n" % _g(ns, "status", "phase", default="Active"))
    conds = _g(ns, "status", "conditions", default=_L)
    if conds:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in conds:
            c = c or _D
            w.write(1, "%s\t%s\t%s\t%s\t%s\n" % (c.get("type") or "", c.get("status") or "",
                                                rfc1123z(c.get("lastTransitionTime")), c.get("reason") or "", c.get("message") or ""))
    quotas = [q for q in related.get("resourcequotas") or _L if isinstance(q, dict)]
    w.write(0, "\n")
    if not quotas:
        w.write(0, "No resource quota.\n")
    else:
        quotas.sort(key=lambda q: _g(q, "metadata", "name") or "")
        w.write(0, "Resource Quotas\n")
        for q in quotas:
            w.write(1, "Name:\t%s\n" % (_g(q, "metadata", "name") or ""))
            scopes = sorted(_g(q, "spec", "scopes", default=_L))
            if scopes:
                w.write(1, "Scopes:\t%s\n" % ", ".join(scopes))
            w.write(1, "Resource\tUsed\tHard\n")
            w.write(1, "--------\t---\t---\n")
            hard = _g(q, "status", "hard", default=_D)
            used = _g(q, "status", "used", default=_D)
            for r in sorted(hard):
                w.write(1, "%s\t%s\t%s\n" % (r, _qstr(used.get(r)), _qstr(hard[r])))
    limit_ranges = [lr for lr in related.get("limitranges") or _L if isinstance(lr, dict)]
    w.write(0, "\n")
    if not limit_ranges:
        w.write(0, "No LimitRange resource.\n")
    else:
        w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
        w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
        for lr in limit_ranges:
            for item in _g(lr, "spec", "limits", default=_L):
                item = item or _D
                keys = set()
                for f in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
                    keys.update((item.get(f) or _D).keys())
                for k in sorted(keys):
                    vals = []
                    for f in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio"):
                        m = item.get(f) or _D
                        vals.append(_qstr(m[k]) if k in m else "-")
                    w.write(0, " %s\t%s\t%s\n" % (item.get("type") or "", k, "\t".join(vals)))
    return w.render()
