"""HorizontalPodAutoscaler describer: describe.go describeHorizontalPodAutoscalerV2 and
printDirectionBehavior (kubectl 1.32)."""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.quantity import _qstr
from minikctl.printers.describe.writer import (
    _D,
    _Writer,
    _creation,
    _int,
    _print_annotations_multiline,
    _print_labels_multiline,
)


def _q(v) -> str:
    return _qstr(v if v is not None else "0")


def _cur(statuses: list, i: int, key: str) -> dict | None:
    st = statuses[i] if i < len(statuses) and isinstance(statuses[i], dict) else None
    src = st.get(key) if st is not None else None
    return src if isinstance(src, dict) else None


def _metric_lines(w: _Writer, spec: dict, status: dict) -> None:
    statuses = status.get("currentMetrics") if isinstance(status.get("currentMetrics"), list) else []
    for i, m in enumerate(spec.get("metrics") or ()):
        m = m if isinstance(m, dict) else _D
        typ = m.get("type") or ""
        if typ == "External":
            src = m.get("external") or _D
            target = src.get("target") or _D
            name = (src.get("metric") or _D).get("name") or ""
            cur = _cur(statuses, i, "external")
            current = (cur or _D).get("current") or _D
            if target.get("averageValue") is not None:
                c = _q(current["averageValue"]) if cur is not None and current.get("averageValue") is not None else "<unknown>"
                w.write(1, '"%s" (target average value):\t%s / %s\n' % (name, c, _q(target["averageValue"])))
            else:
                c = _q(current.get("value")) if cur is not None else "<unknown>"
                w.write(1, '"%s" (target value):\t%s / %s\n' % (name, c, _q(target.get("value"))))
        elif typ == "Pods":
            src = m.get("pods") or _D
            cur = _cur(statuses, i, "pods")
            c = _q(((cur or _D).get("current") or _D).get("averageValue")) if cur is not None else "<unknown>"
            w.write(1, '"%s" on pods:\t%s / %s\n' % ((src.get("metric") or _D).get("name") or "", c,
                                                      _q((src.get("target") or _D).get("averageValue"))))
        elif typ == "Object":
            src = m.get("object") or _D
            obj = src.get("describedObject") or _D
            target = src.get("target") or _D
            w.write(1, '"%s" on %s/%s ' % ((src.get("metric") or _D).get("name") or "", obj.get("kind") or "",
                                            obj.get("name") or ""))
            cur = _cur(statuses, i, "object")
            current = (cur or _D).get("current") or _D
            if target.get("type") == "AverageValue":
                c = _q(current.get("averageValue")) if cur is not None else "<unknown>"
                w.write(0, "(target average value):\t%s / %s\n" % (c, _q(target.get("averageValue"))))
            else:
                c = _q(current.get("value")) if cur is not None else "<unknown>"
                w.write(0, "(target value):\t%s / %s\n" % (c, _q(target.get("value"))))
        elif typ in ("Resource", "ContainerResource"):
            key = "resource" if typ == "Resource" else "containerResource"
            src = m.get(key) or _D
            target = src.get("target") or _D
            if typ == "Resource":
                w.write(1, "resource %s on pods" % (src.get("name") or ""))
            else:
                w.write(1, 'resource %s of container "%s" on pods' % (src.get("name") or "", src.get("container") or ""))
            cur = _cur(statuses, i, key)
            current = (cur or _D).get("current") or _D
            if target.get("averageValue") is not None:
                c = _q(current.get("averageValue")) if cur is not None else "<unknown>"
                w.write(0, ":\t%s / %s\n" % (c, _q(target["averageValue"])))
            else:
                c = "<unknown>"
                if cur is not None and current.get("averageUtilization") is not None:
                    c = "%d%% (%s)" % (_int(current["averageUtilization"]), _q(current.get("averageValue")))
                tu = target.get("averageUtilization")
                t = "%d%%" % _int(tu) if tu is not None else "<auto>"
                w.write(1, "(as a percentage of request):\t%s / %s\n" % (c, t))
        else:
            w.write(1, "<unknown metric type %s>\n" % _go_q(typ))


def _go_q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)


def _direction(w: _Writer, direction: str, rules) -> None:
    if not isinstance(rules, dict):
        return
    w.write(1, "%s:\n" % direction)
    if rules.get("stabilizationWindowSeconds") is not None:
        w.write(2, "Stabilization Window: %d seconds\n" % _int(rules["stabilizationWindowSeconds"]))
    policies = rules.get("policies") or []
    if policies:
        w.write(2, "Select Policy: %s\n" % (rules.get("selectPolicy") or "Max"))
        w.write(2, "Policies:\n")
        for p in policies:
            p = p if isinstance(p, dict) else _D
            w.write(3, "- Type: %s\tValue: %d\tPeriod: %d seconds\n" % (
                p.get("type") or "", _int(p.get("value")), _int(p.get("periodSeconds"))))


def _describe_horizontal_pod_autoscaler(hpa: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = hpa.get("metadata") or _D
    spec = hpa.get("spec") or _D
    status = hpa.get("status") or _D
    ref = spec.get("scaleTargetRef") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "CreationTimestamp:\t%s\n" % _creation(hpa))
    w.write(0, "Reference:\t%s/%s\n" % (ref.get("kind") or "", ref.get("name") or ""))
    w.write(0, "Metrics:\t( current / target )\n")
    _metric_lines(w, spec, status)
    mn = spec.get("minReplicas")
    w.write(0, "Min replicas:\t%s\n" % ("<unset>" if mn is None else _int(mn)))
    w.write(0, "Max replicas:\t%d\n" % _int(spec.get("maxReplicas")))
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        w.write(0, "Behavior:\n")
        _direction(w, "Scale Up", behavior.get("scaleUp"))
        _direction(w, "Scale Down", behavior.get("scaleDown"))
    w.write(0, "%s pods:\t" % (ref.get("kind") or ""))
    w.write(0, "%d current / %d desired\n" % (_int(status.get("currentReplicas")), _int(status.get("desiredReplicas"))))
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tReason\tMessage\n")
        w.write(1, "----\t------\t------\t-------\n")
        for c in conditions:
            c = c if isinstance(c, dict) else _D
            w.write(1, "%s\t%s\t%s\t%s\n" % (c.get("type") or "", c.get("status") or "", c.get("reason") or "",
                                             c.get("message") or ""))
    describe_events(events, w, now)
    return w.render()
