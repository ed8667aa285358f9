"""HorizontalPodAutoscaler: pkg/apis/autoscaling/validation/validation.go (1.32), on the
autoscaling/v2 object (the internal version has v2's fields and paths; a v1 manifest is
converted first, so its targetCPUUtilizationPercentage is reported as the metric it became)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, forbidden, invalid, required, unsupported
from minikctl.api.validation.common import _i, _l, _m, _s
from minikctl.api.validation.meta import validate_object_meta

MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
_METRIC_SOURCE_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"]  # sets.List(): sorted
_SOURCE_FIELD = {"Object": "object", "Pods": "pods", "Resource": "resource", "External": "external",
                 "ContainerResource": "containerResource"}


def _path_segment_errors(name: str) -> list[str]:
    """apimachinery/pkg/api/validation/path IsValidPathSegmentName."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    out = []
    for bad in ("/", "%"):
        if bad in name:
            out.append(f"may not contain '{bad}'")
    return out


def validate_cross_version_object_reference(ref, path: str) -> list[FieldError]:
    ref = _m(ref)
    errs = []
    for f in ("kind", "name"):
        v = _s(ref.get(f))
        if not v:
            errs.append(required(f"{path}.{f}", ""))
        else:
            errs += [invalid(f"{path}.{f}", v, m) for m in _path_segment_errors(v)]
    return errs


def _quantity_sign(q) -> int:
    from minikctl.kubelet.resources import parse

    v = parse(q)
    if v is None:
        return 0
    return (v > 0) - (v < 0)


def _validate_metric_target(t, path: str) -> list[FieldError]:
    t = _m(t)
    errs = []
    typ = _s(t.get("type"))
    if not typ:
        errs.append(required(f"{path}.type", "must specify a metric target type"))
    if typ not in ("Utilization", "Value", "AverageValue"):
        errs.append(invalid(f"{path}.type", typ, "must be either Utilization, Value, or AverageValue"))
    for f in ("value", "averageValue"):
        if t.get(f) is not None and _quantity_sign(t[f]) != 1:
            errs.append(invalid(f"{path}.{f}", str(t[f]), "must be positive"))
    if t.get("averageUtilization") is not None and _i(t["averageUtilization"]) < 1:
        errs.append(invalid(f"{path}.averageUtilization", _i(t["averageUtilization"]), "must be greater than 0"))
    return errs


def _validate_metric_identifier(ident, path: str) -> list[FieldError]:
    name = _s(_m(ident).get("name"))
    if not name:
        return [required(f"{path}.name", "must specify a metric name")]
    return [invalid(f"{path}.name", name, m) for m in _path_segment_errors(name)]


def _validate_source(typ: str, src: dict, path: str) -> list[FieldError]:
    target = _m(src.get("target"))
    tpath = f"{path}.target"
    errs: list[FieldError] = []
    if typ == "object":
        errs += validate_cross_version_object_reference(src.get("describedObject"), f"{path}.describedObject")
        errs += _validate_metric_identifier(src.get("metric"), f"{path}.metric")
        errs += _validate_metric_target(target, tpath)
        if target.get("value") is None and target.get("averageValue") is None:
            errs.append(required(f"{tpath}.averageValue", "must set either a target value or averageValue"))
    elif typ == "external":
        errs += _validate_metric_identifier(src.get("metric"), f"{path}.metric")
        errs += _validate_metric_target(target, tpath)
        if target.get("value") is None and target.get("averageValue") is None:
            errs.append(required(f"{tpath}.averageValue",
                                 "must set either a target value for metric or a per-pod target"))
        if target.get("value") is not None and target.get("averageValue") is not None:
            errs.append(forbidden(f"{tpath}.value", "may not set both a target value for metric and a per-pod target"))
    elif typ == "pods":
        errs += _validate_metric_identifier(src.get("metric"), f"{path}.metric")
        errs += _validate_metric_target(target, tpath)
        if target.get("averageValue") is None:
            errs.append(required(f"{tpath}.averageValue", "must specify a positive target averageValue"))
    else:  # resource, containerResource
        if not _s(src.get("name")):
            errs.append(required(f"{path}.name", "must specify a resource name"))
        if typ == "containerResource":
            if not _s(src.get("container")):
                errs.append(required(f"{path}.container", "must specify a container"))
        errs += _validate_metric_target(target, tpath)
        if target.get("averageUtilization") is None and target.get("averageValue") is None:
            errs.append(required(f"{tpath}.averageUtilization",
                                 "must set either a target raw value or a target utilization"))
        if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
            errs.append(forbidden(f"{tpath}.averageValue", "may not set both a target raw value and a target utilization"))
    return errs


def _validate_metric_spec(spec, path: str) -> list[FieldError]:
    spec = _m(spec)
    errs = []
    typ = _s(spec.get("type"))
    if not typ:
        errs.append(required(f"{path}.type", "must specify a metric source type"))
    if typ not in _METRIC_SOURCE_TYPES:
        errs.append(unsupported(f"{path}.type", typ, _METRIC_SOURCE_TYPES))
    present: list[str] = []
    for f in ("object", "external", "pods", "resource", "containerResource"):
        if spec.get(f) is not None:
            present.append(f)
            if len(present) == 1:
                errs += _validate_source(f, _m(spec[f]), f"{path}.{f}")
    expected = _SOURCE_FIELD.get(typ)
    if expected is None:
        errs.append(unsupported(f"{path}.type", typ, _METRIC_SOURCE_TYPES))
    elif spec.get(expected) is None:
        errs.append(required(f"{path}.{expected}", "must populate information for the given metric source"))
    if len(present) != 1:
        for f in sorted(set(present) - {expected}):  # a Go set: any order; sorted here
            errs.append(forbidden(f"{path}.{f}", "must populate the given metric source only"))
    return errs


def _validate_scaling_rules(rules, path: str) -> list[FieldError]:
    if not isinstance(rules, dict):
        return []
    errs = []
    sw = rules.get("stabilizationWindowSeconds")
    if sw is not None and _i(sw) < 0:
        errs.append(invalid(f"{path}.stabilizationWindowSeconds", _i(sw), "must be greater than or equal to zero"))
    if sw is not None and _i(sw) > MAX_STABILIZATION_WINDOW_SECONDS:
        errs.append(invalid(f"{path}.stabilizationWindowSeconds", _i(sw),
                            f"must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"))
    sp = rules.get("selectPolicy")
    if sp is not None and _s(sp) not in ("Disabled", "Max", "Min"):
        errs.append(unsupported(f"{path}.selectPolicy", _s(sp), ["Disabled", "Max", "Min"]))
    policies = _l(rules.get("policies"))
    if not policies:
        errs.append(required(f"{path}.policies", "must specify at least one Policy"))
    for i, p in enumerate(policies):
        p = _m(p)
        pp = f"{path}.policies[{i}]"
        if _s(p.get("type")) not in ("Pods", "Percent"):
            errs.append(unsupported(f"{pp}.type", _s(p.get("type")), ["Percent", "Pods"]))
        if _i(p.get("value")) <= 0:
            errs.append(invalid(f"{pp}.value", _i(p.get("value")), "must be greater than zero"))
        period = _i(p.get("periodSeconds"))
        if period <= 0:
            errs.append(invalid(f"{pp}.periodSeconds", period, "must be greater than zero"))
        if period > MAX_PERIOD_SECONDS:
            errs.append(invalid(f"{pp}.periodSeconds", period, f"must be less than or equal to {MAX_PERIOD_SECONDS}"))
    return errs


def _validate_horizontal_pod_autoscaler(obj: dict) -> list[FieldError]:
    """ValidateHorizontalPodAutoscaler (HPAScaleToZero off: minReplicas >= 1)."""
    errs = validate_object_meta(obj, "HorizontalPodAutoscaler")
    spec = _m(obj.get("spec"))
    min_r = spec.get("minReplicas")
    max_r = _i(spec.get("maxReplicas"))
    if min_r is not None and _i(min_r) < 1:
        errs.append(invalid("spec.minReplicas", _i(min_r), "must be greater than or equal to 1"))
    if max_r < 1:
        errs.append(invalid("spec.maxReplicas", max_r, "must be greater than 0"))
    if min_r is not None and max_r < _i(min_r):
        errs.append(invalid("spec.maxReplicas", max_r, "must be greater than or equal to `minReplicas`"))
    errs += validate_cross_version_object_reference(spec.get("scaleTargetRef"), "spec.scaleTargetRef")
    for i, m in enumerate(_l(spec.get("metrics"))):
        errs += _validate_metric_spec(m, f"spec.metrics[{i}]")
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        errs += _validate_scaling_rules(behavior.get("scaleUp"), "spec.behavior.scaleUp")
        errs += _validate_scaling_rules(behavior.get("scaleDown"), "spec.behavior.scaleDown")
    return errs
