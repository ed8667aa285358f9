"""Old API versions, converted to the ones Kubernetes 1.32 serves.

A real 1.32 cluster no longer serves ``extensions/v1beta1`` or
``networking.k8s.io/v1beta1`` Ingress (removed in 1.22), nor the beta
Deployment/ReplicaSet versions (removed in 1.16); tutorials still use them. minikctl
converts them the way the apiserver's conversion functions did
(pkg/apis/networking/v1beta1/conversion.go, pkg/apis/extensions/v1beta1/conversion.go)
and says so in warnings shaped like the apiserver's deprecation warnings
(staging/src/k8s.io/apiserver/pkg/endpoints/deprecation/deprecation.go).
"""

from __future__ import annotations

# (apiVersion, kind) -> (new apiVersion, deprecated in, removed in)
# Releases from each group's zz_generated.prerelease-lifecycle.go.
LEGACY: dict[tuple[str, str], tuple[str, str, str]] = {
    ("extensions/v1beta1", "Ingress"): ("networking.k8s.io/v1", "1.14", "1.22"),
    ("networking.k8s.io/v1beta1", "Ingress"): ("networking.k8s.io/v1", "1.19", "1.22"),
    ("extensions/v1beta1", "Deployment"): ("apps/v1", "1.8", "1.16"),
    ("apps/v1beta1", "Deployment"): ("apps/v1", "1.8", "1.16"),
    ("apps/v1beta2", "Deployment"): ("apps/v1", "1.9", "1.16"),
    ("extensions/v1beta1", "ReplicaSet"): ("apps/v1", "1.8", "1.16"),
    ("apps/v1beta2", "ReplicaSet"): ("apps/v1", "1.9", "1.16"),
    # issue 11 (w-hpa): autoscaling/v2beta2 has v2's fields (removed in 1.26)
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("autoscaling/v2", "1.23", "1.26"),
}
# Versions 1.32 still serves beside the one minikctl stores: converted without a warning.
SERVED: dict[tuple[str, str], str] = {
    ("autoscaling/v1", "HorizontalPodAutoscaler"): "autoscaling/v2",  # issue 11 (w-hpa)
}


def convert(obj: dict) -> tuple[dict, list[str]]:
    """Return (object in the served version, warning lines). Objects of a version that is
    served, or unknown here, come back unchanged (the same dict) with no warnings."""
    if not isinstance(obj, dict):
        return obj, []
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if isinstance(api_version, str) and isinstance(kind, str) and (api_version, kind) in SERVED:
        return hpa_v1_to_v2(obj), []
    target = LEGACY.get((api_version, kind)) if isinstance(api_version, str) and isinstance(kind, str) else None
    if target is None:
        return obj, []
    new_version, deprecated, removed = target
    import copy  # not at import: copy is on no other path of a small apply (issue 12)

    out = copy.deepcopy(obj)
    out["apiVersion"] = new_version
    warnings = [
        f"Warning: {api_version} {kind} is deprecated in v{deprecated}+, unavailable in v{removed}+; use {new_version} {kind}"
    ]
    spec = out.get("spec")
    if kind == "HorizontalPodAutoscaler":
        pass  # v2beta2 -> v2: the same fields
    elif kind == "Ingress":
        if isinstance(spec, dict):
            _ingress_spec(spec)
    else:
        warnings.extend(_workload(out, spec, api_version))
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) and isinstance(meta.get("name"), str) else ""
    warnings.append(
        f'Warning: minikctl converted {api_version} {kind} "{name}" to {new_version}; '
        f"{api_version} is not served since Kubernetes v{removed}, update the manifest"
    )
    return out, warnings


def _ingress_spec(spec: dict) -> None:
    # Convert_v1beta1_IngressSpec_To_networking_IngressSpec: spec.backend -> spec.defaultBackend
    if "backend" in spec:
        backend = spec.pop("backend")
        if "defaultBackend" not in spec:
            spec["defaultBackend"] = _backend(backend)
    rules = spec.get("rules")
    if not isinstance(rules, list):
        return
    for rule in rules:
        http = rule.get("http") if isinstance(rule, dict) else None
        paths = http.get("paths") if isinstance(http, dict) else None
        if not isinstance(paths, list):
            continue
        for path in paths:
            if not isinstance(path, dict):
                continue
            # networking/v1beta1 and extensions/v1beta1 SetDefaults_HTTPIngressPath
            if path.get("pathType") is None:
                path["pathType"] = "ImplementationSpecific"
            if "backend" in path:
                path["backend"] = _backend(path["backend"])


def _backend(backend):
    """Convert_v1beta1_IngressBackend_To_networking_IngressBackend."""
    if not isinstance(backend, dict):
        return backend
    out = {k: v for k, v in backend.items() if k not in ("serviceName", "servicePort")}
    if "serviceName" in backend or "servicePort" in backend:
        port = backend.get("servicePort")
        if isinstance(port, bool) or not isinstance(port, (int, str)) and port is not None:
            svc_port = {"number": port}  # a wrong type: left for the strict check to name
        elif isinstance(port, str):
            svc_port = {"name": port} if port else {}
        elif port:
            svc_port = {"number": port}
        else:
            svc_port = {}
        name = backend.get("serviceName")
        out["service"] = {"name": "" if name is None else name, "port": svc_port}
    return out


def _workload(obj: dict, spec, api_version: str) -> list[str]:
    """Deployment / ReplicaSet of a beta version -> apps/v1."""
    warnings = []
    if not isinstance(spec, dict):
        return warnings
    template = spec.get("template")
    labels = template.get("metadata", {}).get("labels") if isinstance(template, dict) and isinstance(template.get("metadata"), dict) else None
    if api_version in ("extensions/v1beta1", "apps/v1beta1"):
        # extensions/v1beta1 and apps/v1beta1 SetDefaults_Deployment / SetDefaults_ReplicaSet:
        # the selector and the object's labels default to the template's labels.
        if spec.get("selector") is None and isinstance(labels, dict) and labels:
            spec["selector"] = {"matchLabels": dict(labels)}
        meta = obj.get("metadata")
        if isinstance(meta, dict) and not meta.get("labels") and isinstance(labels, dict) and labels:
            meta["labels"] = dict(labels)
    if "rollbackTo" in spec:
        # Deployment.spec.rollbackTo has no apps/v1 field: kubectl rollout undo replaces it
        spec.pop("rollbackTo")
        warnings.append("Warning: spec.rollbackTo is not supported in apps/v1 and was dropped; use kubectl rollout undo")
    return warnings


def hpa_v1_to_v2(obj: dict) -> dict:
    """autoscaling/v1 HorizontalPodAutoscaler -> autoscaling/v2, as the apiserver converts it
    (pkg/apis/autoscaling/v1/conversion.go Convert_v1_HorizontalPodAutoscalerSpec_To_autoscaling_
    HorizontalPodAutoscalerSpec): targetCPUUtilizationPercentage becomes a Resource cpu metric
    with an Utilization target; the other fields keep their names (an unknown one stays, for the
    strict decoding check to name)."""
    import copy

    out = copy.deepcopy(obj)
    out["apiVersion"] = "autoscaling/v2"
    spec = out.get("spec")
    if isinstance(spec, dict) and "targetCPUUtilizationPercentage" in spec:
        pct = spec.pop("targetCPUUtilizationPercentage")
        new = {k: spec[k] for k in ("scaleTargetRef", "minReplicas", "maxReplicas") if k in spec}
        if pct is not None:
            new["metrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "target": {"type": "Utilization", "averageUtilization": pct}}}]
        new.update({k: v for k, v in spec.items() if k not in new})
        out["spec"] = new
    status = out.get("status")
    if isinstance(status, dict):
        cpu = status.pop("currentCPUUtilizationPercentage", None)
        if cpu is not None:  # Convert_v1_HorizontalPodAutoscalerStatus_To_autoscaling_...
            status["currentMetrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "current": {"averageUtilization": cpu}}}]
    _hpa_annotations_to_v2(out)
    return out


# ---------------------------------------------------------------------------------------------------
# autoscaling/v2 (stored) -> autoscaling/v1, for the API server's autoscaling/v1 view of an HPA
# (pkg/apis/autoscaling/v1/conversion.go, Kubernetes 1.32): the CPU utilization target becomes
# targetCPUUtilizationPercentage; what v1 has no field for is kept in the alpha annotations, which
# hpa_v1_to_v2 reads back.
METRIC_SPECS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
METRIC_STATUSES_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
DEFAULT_CPU_UTILIZATION = 80


def _deepcopy(value):
    import copy  # not at import (issue 12: copy is on no other path of a small apply)

    return copy.deepcopy(value)


def _go_json(value) -> str:
    """encoding/json.Marshal's text (compact, HTML-safe) of a value built in Go's field order."""
    import json

    from minikctl.printers.structured import go_escape

    return go_escape(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _put(out: dict, key: str, value, omitempty: bool = True) -> None:
    """Set a field as encoding/json writes it: a nil pointer is left out; with omitempty (a plain
    field), its zero value too."""
    if value is None or (omitempty and not isinstance(value, bool) and value in ("", 0, {}, [])):
        return
    out[key] = value


def _ref(r) -> dict:
    r = r if isinstance(r, dict) else {}
    out: dict = {}
    for k in ("kind", "name"):
        out[k] = r.get(k, "")
    _put(out, "apiVersion", r.get("apiVersion"))
    return out


def _metric_spec_v1(m: dict) -> dict:
    """Convert_autoscaling_MetricSpec_To_v1_MetricSpec."""
    out: dict = {"type": m.get("type", "")}
    t = m.get("type")
    if t == "Object" and isinstance(m.get("object"), dict):
        o = m["object"]
        target, metric = o.get("target") or {}, o.get("metric") or {}
        s = {"target": _ref(o.get("describedObject")), "metricName": metric.get("name", ""),
             "targetValue": target.get("value") if target.get("value") is not None else "0"}
        _put(s, "selector", metric.get("selector"))
        _put(s, "averageValue", target.get("averageValue"))
        out["object"] = s
    elif t == "Pods" and isinstance(m.get("pods"), dict):
        p = m["pods"]
        target, metric = p.get("target") or {}, p.get("metric") or {}
        s = {"metricName": metric.get("name", ""), "targetAverageValue": target.get("averageValue") or "0"}
        _put(s, "selector", metric.get("selector"))
        out["pods"] = s
    elif t in ("Resource", "ContainerResource"):
        key = "resource" if t == "Resource" else "containerResource"
        r = m.get(key) if isinstance(m.get(key), dict) else {}
        target = r.get("target") or {}
        s = {"name": r.get("name", "")}
        _put(s, "targetAverageUtilization", target.get("averageUtilization"))
        _put(s, "targetAverageValue", target.get("averageValue"))
        if t == "ContainerResource":
            s["container"] = r.get("container", "")
        out[key] = s
    elif t == "External" and isinstance(m.get("external"), dict):
        e = m["external"]
        target, metric = e.get("target") or {}, e.get("metric") or {}
        s = {"metricName": metric.get("name", "")}
        _put(s, "metricSelector", metric.get("selector"))
        _put(s, "targetValue", target.get("value"))
        _put(s, "targetAverageValue", target.get("averageValue"))
        out["external"] = s
    return out


def _metric_spec_v2(m: dict) -> dict:
    """Convert_v1_MetricSpec_To_autoscaling_MetricSpec."""
    out: dict = {"type": m.get("type", "")}
    t = m.get("type")
    if t == "Object" and isinstance(m.get("object"), dict):
        o = m["object"]
        metric = {"name": o.get("metricName", "")}
        _put(metric, "selector", o.get("selector"))
        target = {"type": "Value" if o.get("averageValue") is None else "AverageValue",
                  "value": o.get("targetValue", "0")}
        _put(target, "averageValue", o.get("averageValue"))
        out["object"] = {"describedObject": _ref(o.get("target")), "target": target, "metric": metric}
    elif t == "Pods" and isinstance(m.get("pods"), dict):
        p = m["pods"]
        metric = {"name": p.get("metricName", "")}
        _put(metric, "selector", p.get("selector"))
        out["pods"] = {"metric": metric, "target": {"type": "AverageValue",
                                                    "averageValue": p.get("targetAverageValue", "0")}}
    elif t in ("Resource", "ContainerResource"):
        key = "resource" if t == "Resource" else "containerResource"
        r = m.get(key) if isinstance(m.get(key), dict) else {}
        util = r.get("targetAverageUtilization")
        target = {"type": "AverageValue" if util is None else "Utilization"}
        _put(target, "averageUtilization", util)
        _put(target, "averageValue", r.get("targetAverageValue"))
        s = {"name": r.get("name", ""), "target": target}
        if t == "ContainerResource":
            s["container"] = r.get("container", "")
        out[key] = s
    elif t == "External" and isinstance(m.get("external"), dict):
        e = m["external"]
        metric = {"name": e.get("metricName", "")}
        _put(metric, "selector", e.get("metricSelector"))
        target = {"type": "Value" if e.get("targetValue") is not None else "AverageValue"}
        _put(target, "value", e.get("targetValue"))
        _put(target, "averageValue", e.get("targetAverageValue"))
        out["external"] = {"metric": metric, "target": target}
    return out


def _metric_status_v1(m: dict) -> dict:
    """Convert_autoscaling_MetricStatus_To_v1_MetricStatus."""
    out: dict = {"type": m.get("type", "")}
    t = m.get("type")
    if t in ("Resource", "ContainerResource"):
        key = "resource" if t == "Resource" else "containerResource"
        r = m.get(key) if isinstance(m.get(key), dict) else {}
        cur = r.get("current") or {}
        s = {"name": r.get("name", "")}
        _put(s, "currentAverageUtilization", cur.get("averageUtilization"))
        s["currentAverageValue"] = cur.get("averageValue") or "0"
        if t == "ContainerResource":
            s["container"] = r.get("container", "")
        out[key] = s
    elif t == "Pods" and isinstance(m.get("pods"), dict):
        p = m["pods"]
        cur, metric = p.get("current") or {}, p.get("metric") or {}
        s = {"metricName": metric.get("name", ""), "currentAverageValue": cur.get("averageValue") or "0"}
        _put(s, "selector", metric.get("selector"))
        out["pods"] = s
    elif t == "Object" and isinstance(m.get("object"), dict):
        o = m["object"]
        cur, metric = o.get("current") or {}, o.get("metric") or {}
        s = {"target": _ref(o.get("describedObject")), "metricName": metric.get("name", ""),
             "currentValue": cur.get("value") or "0"}
        _put(s, "selector", metric.get("selector"))
        _put(s, "averageValue", cur.get("averageValue"))
        out["object"] = s
    elif t == "External" and isinstance(m.get("external"), dict):
        e = m["external"]
        cur, metric = e.get("current") or {}, e.get("metric") or {}
        s = {"metricName": metric.get("name", "")}
        _put(s, "metricSelector", metric.get("selector"))
        s["currentValue"] = cur.get("value") or "0"
        _put(s, "currentAverageValue", cur.get("averageValue"))
        out["external"] = s
    return out


def _metric_status_v2(m: dict) -> dict:
    """Convert_v1_MetricStatus_To_autoscaling_MetricStatus."""
    out: dict = {"type": m.get("type", "")}
    t = m.get("type")
    if t in ("Resource", "ContainerResource"):
        key = "resource" if t == "Resource" else "containerResource"
        r = m.get(key) if isinstance(m.get(key), dict) else {}
        cur: dict = {}
        _put(cur, "averageValue", r.get("currentAverageValue", "0"), omitempty=False)
        _put(cur, "averageUtilization", r.get("currentAverageUtilization"))
        s = {"name": r.get("name", ""), "current": cur}
        if t == "ContainerResource":
            s["container"] = r.get("container", "")
        out[key] = s
    elif t == "Pods" and isinstance(m.get("pods"), dict):
        p = m["pods"]
        metric = {"name": p.get("metricName", "")}
        _put(metric, "selector", p.get("selector"))
        out["pods"] = {"metric": metric, "current": {"averageValue": p.get("currentAverageValue", "0")}}
    elif t == "Object" and isinstance(m.get("object"), dict):
        o = m["object"]
        metric = {"name": o.get("metricName", "")}
        _put(metric, "selector", o.get("selector"))
        cur = {"value": o.get("currentValue", "0")}
        _put(cur, "averageValue", o.get("averageValue"))
        out["object"] = {"metric": metric, "current": cur, "describedObject": _ref(o.get("target"))}
    elif t == "External" and isinstance(m.get("external"), dict):
        e = m["external"]
        metric = {"name": e.get("metricName", "")}
        _put(metric, "selector", e.get("metricSelector"))
        cur = {"value": e.get("currentValue", "0")}
        _put(cur, "averageValue", e.get("currentAverageValue"))
        out["external"] = {"metric": metric, "current": cur}
    return out


def _condition_v1(c: dict) -> dict:
    out = {"type": c.get("type", ""), "status": c.get("status", ""),
           "lastTransitionTime": c.get("lastTransitionTime")}
    _put(out, "reason", c.get("reason"))
    _put(out, "message", c.get("message"))
    return out


def hpa_v2_to_v1(obj: dict) -> dict:
    """autoscaling/v2 HorizontalPodAutoscaler -> autoscaling/v1
    (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler and the Spec and
    Status conversions of pkg/apis/autoscaling/v1/conversion.go)."""
    src_spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    src_status = obj.get("status") if isinstance(obj.get("status"), dict) else {}
    metrics = [m for m in src_spec.get("metrics") or () if isinstance(m, dict)]
    current = [m for m in src_status.get("currentMetrics") or () if isinstance(m, dict)]
    conditions = [c for c in src_status.get("conditions") or () if isinstance(c, dict)]

    def is_cpu(m: dict, part: str) -> bool:
        r = m.get("resource")
        return m.get("type") == "Resource" and isinstance(r, dict) and r.get("name") == "cpu" and \
            (r.get(part) or {}).get("averageUtilization") is not None

    spec: dict = {"scaleTargetRef": _ref(src_spec.get("scaleTargetRef"))}
    _put(spec, "minReplicas", src_spec.get("minReplicas"), omitempty=False)
    spec["maxReplicas"] = src_spec.get("maxReplicas", 0)
    for m in metrics:
        r = m.get("resource")
        if m.get("type") == "Resource" and isinstance(r, dict) and r.get("name") == "cpu":
            util = (r.get("target") or {}).get("averageUtilization")
            if util is not None:
                spec["targetCPUUtilizationPercentage"] = util
            break
    status: dict = {}
    _put(status, "observedGeneration", src_status.get("observedGeneration"), omitempty=False)
    _put(status, "lastScaleTime", src_status.get("lastScaleTime"), omitempty=False)
    status["currentReplicas"] = src_status.get("currentReplicas", 0)
    status["desiredReplicas"] = src_status.get("desiredReplicas", 0)
    for m in current:
        if is_cpu(m, "current"):
            status["currentCPUUtilizationPercentage"] = m["resource"]["current"]["averageUtilization"]
    meta = _deepcopy(obj.get("metadata")) if isinstance(obj.get("metadata"), dict) else {}
    extra = {}
    others = [_metric_spec_v1(m) for m in metrics if not is_cpu(m, "target")]
    if others:
        extra[METRIC_SPECS_ANNOTATION] = _go_json(others)
    if current:
        extra[METRIC_STATUSES_ANNOTATION] = _go_json([_metric_status_v1(m) for m in current])
    if conditions:
        extra[CONDITIONS_ANNOTATION] = _go_json([_condition_v1(c) for c in conditions])
    if isinstance(src_spec.get("behavior"), dict):
        extra[BEHAVIOR_ANNOTATION] = _go_json(_behavior_go_order(src_spec["behavior"]))
    if extra:
        meta["annotations"] = {**(meta.get("annotations") or {}), **extra}
    out = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": meta, "spec": spec}
    if "status" in obj:
        out["status"] = status
    return out


def _behavior_go_order(b: dict) -> dict:
    out = {}
    for side in ("scaleUp", "scaleDown"):
        r = b.get(side)
        if not isinstance(r, dict):
            continue
        rules: dict = {}
        _put(rules, "stabilizationWindowSeconds", r.get("stabilizationWindowSeconds"), omitempty=False)
        _put(rules, "selectPolicy", r.get("selectPolicy"), omitempty=False)
        rules["policies"] = [{"type": p.get("type", ""), "value": p.get("value", 0),
                              "periodSeconds": p.get("periodSeconds", 0)}
                             for p in r.get("policies") or () if isinstance(p, dict)] or None
        if rules["policies"] is None:
            del rules["policies"]
        out[side] = rules
    return out


def _hpa_annotations_to_v2(out: dict) -> None:
    """The alpha annotations of an autoscaling/v1 object back into v2 fields
    (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler)."""
    import json

    meta = out.get("metadata")
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    if not isinstance(ann, dict):
        return
    spec = out.setdefault("spec", {}) if isinstance(out.get("spec", {}), dict) else {}

    def load(key):
        raw = ann.pop(key, None)
        if not isinstance(raw, str):
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    others = load(METRIC_SPECS_ANNOTATION)
    if isinstance(others, list):
        spec["metrics"] = [_metric_spec_v2(m) for m in others if isinstance(m, dict)] + list(spec.get("metrics") or [])
    current = load(METRIC_STATUSES_ANNOTATION)
    status = out.get("status")
    if isinstance(current, list):
        if not isinstance(status, dict):
            status = out["status"] = {}
        status["currentMetrics"] = [_metric_status_v2(m) for m in current if isinstance(m, dict)]
    conditions = load(CONDITIONS_ANNOTATION)
    if isinstance(conditions, list):
        if not isinstance(status, dict):
            status = out["status"] = {}
        status["conditions"] = [c for c in conditions if isinstance(c, dict)]
    behavior = load(BEHAVIOR_ANNOTATION)
    if isinstance(behavior, dict) and behavior:
        spec["behavior"] = behavior
    if not ann:
        meta.pop("annotations", None)


# Versions Kubernetes 1.32 serves beside the stored one (the API server's other views of a kind):
# (apiVersion, kind) -> (stored apiVersion, stored -> this version, this version -> stored).
VIEWS: dict[tuple[str, str], tuple[str, object, object]] = {}


def to_view(obj: dict, api_version: str) -> dict:
    """A stored object as apiVersion (one of VIEWS) shows it; the same dict when it is stored so."""
    view = VIEWS.get((api_version, obj.get("kind", "")))
    if view is None or obj.get("apiVersion") == api_version:
        return obj
    return view[1](obj)


def from_view(obj: dict) -> dict:
    """An object of a VIEWS version as it is stored; others unchanged."""
    view = VIEWS.get((obj.get("apiVersion", ""), obj.get("kind", "")))
    if view is None:
        return obj
    return view[2](obj)


def _hpa_from_v1(obj: dict) -> dict:
    return hpa_v1_to_v2(obj)


VIEWS[("autoscaling/v1", "HorizontalPodAutoscaler")] = ("autoscaling/v2", hpa_v2_to_v1, _hpa_from_v1)


# ---------------------------------------------------------------------------------------------------
# core/v1 Event (stored) <-> events.k8s.io/v1 Event: two views of one object
# (pkg/apis/events/v1/conversion.go Convert_core_Event_To_v1_Event / Convert_v1_Event_To_core_Event:
# involvedObject/regarding, message/note, source/deprecatedSource, firstTimestamp/
# deprecatedFirstTimestamp, lastTimestamp/deprecatedLastTimestamp, count/deprecatedCount; core's
# reportingComponent is the Go field ReportingController).
_EVENT_RENAMES = (("involvedObject", "regarding"), ("message", "note"), ("source", "deprecatedSource"),
                  ("firstTimestamp", "deprecatedFirstTimestamp"), ("lastTimestamp", "deprecatedLastTimestamp"),
                  ("count", "deprecatedCount"), ("reportingComponent", "reportingController"))
# events.k8s.io/v1 Event's fields in Go's order, and whether encoding/json leaves each out when empty
_EVENTS_V1_FIELDS = (("eventTime", False), ("series", True), ("reportingController", True),
                     ("reportingInstance", True), ("action", True), ("reason", True), ("regarding", False),
                     ("related", True), ("note", True), ("type", True), ("deprecatedSource", False),
                     ("deprecatedFirstTimestamp", False), ("deprecatedLastTimestamp", False),
                     ("deprecatedCount", True))
_CORE_EVENT_FIELDS = (("involvedObject", False), ("reason", True), ("message", True), ("source", True),
                      ("firstTimestamp", False), ("lastTimestamp", False), ("count", True), ("type", True),
                      ("eventTime", False), ("series", True), ("action", True), ("related", True),
                      ("reportingComponent", False), ("reportingInstance", False))


def _event_fields(obj: dict, renames, order) -> dict:
    src = {renames.get(k, k): v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    out: dict = {}
    for name, omitempty in order:
        v = src.get(name)
        if omitempty and (v is None or (not isinstance(v, bool) and v in ("", 0, {}, []))):
            continue
        if v is None and name in ("regarding", "deprecatedSource", "involvedObject"):
            v = {}
        elif v is None and name in ("reportingComponent", "reportingInstance"):
            v = ""
        out[name] = v
    return out


def event_to_events_v1(obj: dict) -> dict:
    out = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": _deepcopy(obj.get("metadata") or {})}
    out.update(_event_fields(obj, dict(_EVENT_RENAMES), _EVENTS_V1_FIELDS))
    return out


def event_from_events_v1(obj: dict) -> dict:
    out = {"apiVersion": "v1", "kind": "Event", "metadata": _deepcopy(obj.get("metadata") or {})}
    out.update(_event_fields(obj, {b: a for a, b in _EVENT_RENAMES}, _CORE_EVENT_FIELDS))
    return out


VIEWS[("events.k8s.io/v1", "Event")] = ("v1", event_to_events_v1, event_from_events_v1)
