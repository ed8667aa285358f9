"""Validation of ResourceQuota, LimitRange (pkg/apis/core/validation/validation.go
ValidateResourceQuota, ValidateLimitRange) and PriorityClass (pkg/apis/scheduling/validation),
Kubernetes 1.32, with kube-apiserver's paths and words.

Bad values that are resource.Quantity structs are printed as field.Error prints them (Go's
%#v: Quantity's String has a pointer receiver), e.g.
``resource.Quantity{i:resource.int64Amount{value:600, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"600m", Format:"DecimalSI"}``.
"""

from __future__ import annotations

import re

from minikctl.api.errors import FieldError, duplicate, forbidden, invalid, required, unsupported

_STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                       "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
                       "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
                       "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports",
                       "services.loadbalancers", "configmaps"}
_STANDARD_QUOTA_RESOURCES = {"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                             "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
                             "limits.ephemeral-storage", "pods", "resourcequotas", "services",
                             "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps",
                             "services.nodeports", "services.loadbalancers"}
_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_INTEGER_RESOURCES = {"pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
                      "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"}
_LIMIT_TYPES = ("Pod", "Container", "PersistentVolumeClaim")
SCOPES = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
          "CrossNamespacePodAffinity")
_POD_COUNT = {"pods"}
_POD_COMPUTE = {"cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"}
_OVERCOMMIT_DENIED_PREFIX = "hugepages-"
_SCOPE_OP_MSG = ("must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, "
                 "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or "
                 "ResourceQuotaScopeCrossNamespacePodAffinity")


def _v():
    """The package (its names are found in the parts on first use)."""
    from minikctl.api import validation

    return validation


def _m(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


# ------------------------------------------------------------------ Go values
_Q_RE = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$")
_DEC = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


def go_quantity(text) -> object:
    """%#v of the resource.Quantity ParseQuantity(text) returns (int64Amount path)."""
    GoValue = _v().GoValue
    s = text if isinstance(text, str) else str(text)
    m = _Q_RE.match(s.strip())
    if not m:
        return GoValue(f"resource.Quantity{{i:resource.int64Amount{{value:0, scale:0}}, d:resource.infDecAmount"
                       f"{{Dec:(*inf.Dec)(nil)}}, s:\"\", Format:\"DecimalSI\"}}")
    sign, num, denom, suffix = m.group(1), m.group(2) or "0", m.group(3) or "", m.group(4)
    cached = ""
    if suffix in _BIN:
        fmt, value, scale = "BinarySI", int(num) * (1 << _BIN[suffix]), 0
        if not denom and _BIN[suffix] % 10 == 0 and int(num) & 7 != 0:
            cached = s
        if denom:
            value = int(float(num + "." + denom) * (1 << _BIN[suffix]))
    else:
        if suffix in _DEC:
            fmt, exp = "DecimalSI", _DEC[suffix]
        else:
            fmt = "DecimalExponent"
            try:
                exp = int(suffix[1:])
            except ValueError:
                exp = 0
        shifted = num + denom
        scale = exp - len(denom)
        value = int(shifted)
        if scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
            cached = s
    if sign == "-":
        value = -value
    return GoValue(f"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, "
                   f"d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:\"{cached}\", Format:\"{fmt}\"}}")


def _go_scopes(scopes) -> object:
    from minikctl.api.errors import go_quote

    return _v().GoValue("[]core.ResourceQuotaScope{" + ", ".join(go_quote(str(s)) for s in _l(scopes)) + "}")


# --------------------------------------------------------------- resource names
def _validate_resource_name(name: str, path: str) -> list[FieldError]:
    errs = [invalid(path, name, msg) for msg in _v().is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name and name not in _STANDARD_RESOURCES and not name.startswith("hugepages-") \
            and not name.startswith("requests.hugepages-"):
        return [invalid(path, name, "must be a standard resource type or fully qualified")]
    return []


def _validate_quota_resource_name(name: str, path: str) -> list[FieldError]:
    errs = _validate_resource_name(name, path)
    if "/" not in name and name not in _STANDARD_QUOTA_RESOURCES and not name.startswith("requests.hugepages-"):
        errs.append(invalid(path, name, "must be a standard resource for quota"))
    return errs


def _validate_container_resource_name(name: str, path: str) -> list[FieldError]:
    errs = _validate_resource_name(name, path)
    if "/" not in name:
        if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    elif not name.startswith("kubernetes.io/") and name.startswith("requests."):
        errs.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _quantity(v):
    from minikctl.printers.describe.quantity import parse_quantity

    return parse_quantity(v)


def _qs(v) -> str:
    from minikctl.printers.describe.quantity import quantity_string

    return quantity_string(_quantity(v))


# ------------------------------------------------------------------ ResourceQuota
def _scope_valid_for(scope: str, resource: str) -> bool:
    """helper.IsResourceQuotaScopeValidForResource."""
    if scope in ("Terminating", "NotTerminating", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"):
        return resource in _POD_COUNT or resource in _POD_COMPUTE
    if scope == "BestEffort":
        return resource in _POD_COUNT
    return True


def validate_resource_quota(obj: dict) -> list[FieldError]:
    errs = _v().validate_object_meta(obj, "ResourceQuota")
    spec = _m(obj.get("spec"))
    hard = _m(spec.get("hard"))
    for k in sorted(hard):
        path = f"spec.hard[{k}]"
        errs += _validate_quota_resource_name(k, path)
        qv = _quantity(hard[k])
        if qv.value < 0:
            errs.append(invalid(path, _qs(hard[k]), "must be greater than or equal to 0"))
        if k in _INTEGER_RESOURCES and (qv.value * 1000).denominator == 1 and (qv.value * 1000) % 1000 != 0:
            errs.append(invalid(path, go_quantity(hard[k]), "must be an integer"))
        elif k in _INTEGER_RESOURCES and (qv.value * 1000).denominator != 1:
            errs.append(invalid(path, go_quantity(hard[k]), "must be an integer"))
    scopes = _l(spec.get("scopes"))
    if scopes:
        seen = set()
        for s in scopes:
            if s not in SCOPES:
                errs.append(invalid("spec.scopes", _go_scopes(scopes), "unsupported scope"))
            for k in sorted(hard):
                if k in _STANDARD_QUOTA_RESOURCES and not _scope_valid_for(s, k):
                    errs.append(invalid("spec.scopes", _go_scopes(scopes), "unsupported scope applied to resource"))
            seen.add(s)
        for pair in (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")):
            if all(p in seen for p in pair):
                errs.append(invalid("spec.scopes", _go_scopes(scopes), "conflicting scopes"))
    sel = spec.get("scopeSelector")
    if isinstance(sel, dict):
        errs += _validate_scope_selector(sel, hard)
    return errs


def _go_scope_selector(sel: dict) -> object:
    from minikctl.api.errors import go_quote

    parts = []
    for e in _l(sel.get("matchExpressions")):
        e = _m(e)
        vals = _l(e.get("values"))
        vtext = ("[]string{" + ", ".join(go_quote(str(x)) for x in vals) + "}") if vals else "[]string(nil)"
        parts.append(f"core.ScopedResourceSelectorRequirement{{ScopeName:{go_quote(str(e.get('scopeName') or ''))}, "
                     f"Operator:{go_quote(str(e.get('operator') or ''))}, Values:{vtext}}}")
    return _v().GoValue("core.ScopeSelector{MatchExpressions:[]core.ScopedResourceSelectorRequirement{"
                        + ", ".join(parts) + "}}")


def _validate_scope_selector(sel: dict, hard: dict) -> list[FieldError]:
    """validateScopedResourceSelectorRequirement."""
    errs: list[FieldError] = []
    path = "spec.scopeSelector.matchExpressions"
    seen = set()
    for e in _l(sel.get("matchExpressions")):
        e = _m(e)
        scope, op, values = e.get("scopeName") or "", e.get("operator") or "", _l(e.get("values"))
        if scope not in SCOPES:
            errs.append(invalid(f"{path}.scopeName", scope, "unsupported scope"))
        for k in sorted(hard):
            if k in _STANDARD_QUOTA_RESOURCES and not _scope_valid_for(scope, k):
                errs.append(invalid(path, _go_scope_selector(sel), "unsupported scope applied to resource"))
        if scope in ("BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity") \
                and op != "Exists":
            errs.append(invalid(f"{path}.operator", op, _SCOPE_OP_MSG))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{path}.values",
                                     "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(invalid(f"{path}.values", values,
                                    "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"))
        else:
            errs.append(invalid(f"{path}.operator", op, "not a valid selector operator"))
        seen.add(scope)
    for pair in (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating")):
        if all(p in seen for p in pair):
            errs.append(invalid(path, _go_scope_selector(sel), "conflicting scopes"))
    return errs


def validate_resource_quota_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidateResourceQuotaUpdate: the scopes may not change."""
    scopes, oscopes = _l(_m(obj.get("spec")).get("scopes")), _l(_m(old.get("spec")).get("scopes"))
    if scopes != oscopes:
        return [invalid("spec.scopes", _go_scopes(scopes), "field is immutable")]
    return []


# -------------------------------------------------------------------- LimitRange
def _limit_resource_name(ltype: str, name: str, path: str) -> list[FieldError]:
    if ltype in ("Pod", "Container"):
        return _validate_container_resource_name(name, path)
    return _validate_resource_name(name, path)


def validate_limit_range(obj: dict) -> list[FieldError]:
    errs = _v().validate_object_meta(obj, "LimitRange")
    seen_types: set = set()
    for i, item in enumerate(_l(_m(obj.get("spec")).get("limits"))):
        item = _m(item)
        base = f"spec.limits[{i}]"
        ltype = item.get("type") if isinstance(item.get("type"), str) else ""
        type_errs = [invalid(f"{base}.type", ltype, msg) for msg in _v().is_qualified_name(ltype)]
        if not type_errs and "/" not in ltype and ltype not in _LIMIT_TYPES:
            type_errs.append(invalid(f"{base}.type", ltype, "must be a standard limit type or fully qualified"))
        errs += type_errs
        if ltype in seen_types:
            errs.append(duplicate(f"{base}.type", ltype))
        seen_types.add(ltype)
        keys: set = set()
        mins, maxs, defaults, default_reqs, ratios = {}, {}, {}, {}, {}
        for field, into in (("max", maxs), ("min", mins)):
            for k, v in sorted(_m(item.get(field)).items()):
                errs += _limit_resource_name(ltype, k, f"{base}.{field}[{k}]")
                keys.add(k)
                into[k] = v
        if ltype == "Pod":
            if _m(item.get("default")):
                errs.append(forbidden(f"{base}.default", "may not be specified when `type` is 'Pod'"))
            if _m(item.get("defaultRequest")):
                errs.append(forbidden(f"{base}.defaultRequest", "may not be specified when `type` is 'Pod'"))
        else:
            for field, into in (("default", defaults), ("defaultRequest", default_reqs)):
                for k, v in sorted(_m(item.get(field)).items()):
                    errs += _limit_resource_name(ltype, k, f"{base}.{field}[{k}]")
                    keys.add(k)
                    into[k] = v
        if ltype == "PersistentVolumeClaim" and "storage" not in mins and "storage" not in maxs:
            errs.append(required(f"{base}.limits",
                                 "either minimum or maximum storage value is required, but neither was provided"))
        for k, v in sorted(_m(item.get("maxLimitRequestRatio")).items()):
            errs += _limit_resource_name(ltype, k, f"{base}.maxLimitRequestRatio[{k}]")
            keys.add(k)
            ratios[k] = v
        for k in sorted(keys):
            errs += _limit_value_errors(base, k, mins, maxs, defaults, default_reqs, ratios)
    return errs


def _limit_value_errors(base, k, mins, maxs, defaults, default_reqs, ratios) -> list[FieldError]:
    errs: list[FieldError] = []
    q = {n: _quantity(d[k]) for n, d in (("min", mins), ("max", maxs), ("default", defaults),
                                         ("defaultRequest", default_reqs), ("ratio", ratios)) if k in d}
    s = {n: _qs(d[k]) for n, d in (("min", mins), ("max", maxs), ("default", defaults),
                                   ("defaultRequest", default_reqs), ("ratio", ratios)) if k in d}
    raw = {"min": mins.get(k), "max": maxs.get(k), "default": defaults.get(k), "defaultRequest": default_reqs.get(k),
           "ratio": ratios.get(k)}

    def gt(a, b):
        return a in q and b in q and q[a].value > q[b].value

    if gt("min", "max"):
        errs.append(invalid(f"{base}.min[{k}]", go_quantity(raw["min"]),
                            f"min value {s['min']} is greater than max value {s['max']}"))
    if gt("min", "defaultRequest"):
        errs.append(invalid(f"{base}.defaultRequest[{k}]", go_quantity(raw["defaultRequest"]),
                            f"min value {s['min']} is greater than default request value {s['defaultRequest']}"))
    if gt("defaultRequest", "max"):
        errs.append(invalid(f"{base}.defaultRequest[{k}]", go_quantity(raw["defaultRequest"]),
                            f"default request value {s['defaultRequest']} is greater than max value {s['max']}"))
    if gt("defaultRequest", "default"):
        errs.append(invalid(f"{base}.defaultRequest[{k}]", go_quantity(raw["defaultRequest"]),
                            f"default request value {s['defaultRequest']} is greater than default limit value "
                            f"{s['default']}"))
    if gt("min", "default"):
        errs.append(invalid(f"{base}.default[{k}]", go_quantity(raw["min"]),
                            f"min value {s['min']} is greater than default value {s['default']}"))
    if gt("default", "max"):
        errs.append(invalid(f"{base}.default[{k}]", go_quantity(raw["max"]),
                            f"default value {s['default']} is greater than max value {s['max']}"))
    if "ratio" in q and q["ratio"].value < 1:
        errs.append(invalid(f"{base}.maxLimitRequestRatio[{k}]", go_quantity(raw["ratio"]),
                            f"ratio {s['ratio']} is less than 1"))
    if "ratio" in q and "min" in q and "max" in q and q["min"].milli_value() > 0:
        limit = q["max"].milli_value() / q["min"].milli_value()
        if q["ratio"].milli_value() / 1000 > limit:
            errs.append(invalid(f"{base}.maxLimitRequestRatio[{k}]", go_quantity(raw["ratio"]),
                                f"ratio {s['ratio']} is greater than max/min = {limit:f}"))
    if k.startswith(_OVERCOMMIT_DENIED_PREFIX) and "default" in q and "defaultRequest" in q \
            and q["default"].value != q["defaultRequest"].value:
        errs.append(invalid(f"{base}.defaultRequest[{k}]", go_quantity(raw["defaultRequest"]),
                            f"default value {s['default']} must equal to defaultRequest value "
                            f"{s['defaultRequest']} in {k}"))
    return errs


# ----------------------------------------------------------------- PriorityClass
def validate_priority_class(obj: dict) -> list[FieldError]:
    from minikctl.api import priority as P

    errs = _v().validate_object_meta(obj, "PriorityClass")
    name = _m(obj.get("metadata")).get("name") or ""
    value = obj.get("value") if isinstance(obj.get("value"), int) else 0
    if isinstance(name, str) and name.startswith(P.SYSTEM_PREFIX):
        known = {n: v for n, v, _ in P.SYSTEM_PRIORITY_CLASSES}
        why = None
        if name not in known:
            why = f"{name} is not a known system priority class"
        elif value != known[name]:
            why = f"value of {name} PriorityClass must be {known[name]}"
        elif obj.get("globalDefault") is True:
            why = f"globalDefault of {name} PriorityClass must be false"
        if why:
            errs.append(forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for "
                                                   f"system use only. error: {why}"))
    elif value > P.HIGHEST_USER_DEFINABLE_PRIORITY:
        errs.append(forbidden("value", f"maximum allowed value of a user defined priority is "
                                       f"{P.HIGHEST_USER_DEFINABLE_PRIORITY}"))
    policy = obj.get("preemptionPolicy")
    if policy is not None and policy not in ("Never", "PreemptLowerPriority"):
        errs.append(unsupported("preemptionPolicy", policy, ["Never", "PreemptLowerPriority"]))
    return errs


def validate_priority_class_update(obj: dict, old: dict) -> list[FieldError]:
    errs = []
    if obj.get("value") != old.get("value"):
        errs.append(forbidden("value", "may not be changed in an update."))
    if obj.get("preemptionPolicy") != old.get("preemptionPolicy"):
        errs.append(invalid("preemptionPolicy", obj.get("preemptionPolicy") or "", "field is immutable"))
    return errs


UPDATE_VALIDATORS = {"ResourceQuota": validate_resource_quota_update,
                     "PriorityClass": validate_priority_class_update}
