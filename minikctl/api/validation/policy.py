"""policy/v1 validation (pkg/apis/policy/validation, Kubernetes 1.32): PodDisruptionBudget
(issue 11, w-drain)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, invalid, unsupported
from minikctl.api.validation.common import GoValue, _go_intstr, _m, _s
from minikctl.api.validation.meta import _validate_label_selector, validate_object_meta
from minikctl.api.validation.workloads import _int_or_percent, _percent_value

_UNHEALTHY_POD_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]  # sets.List: sorted


def _go_pdb_spec(spec: dict) -> GoValue:
    """%#v of the internal policy.PodDisruptionBudgetSpec: its pointer fields print as addresses
    (these are made up: kube-apiserver's change from request to request too)."""
    def ptr(t: str, present: bool, addr: int) -> str:
        return f"(*{t})(0xc00{addr:07x})" if present else f"(*{t})(nil)"

    base = 0x4a3b100
    return GoValue("policy.PodDisruptionBudgetSpec{"
                   f"MinAvailable:{ptr('intstr.IntOrString', spec.get('minAvailable') is not None, base)}, "
                   f"Selector:{ptr('v1.LabelSelector', spec.get('selector') is not None, base + 0x20)}, "
                   f"MaxUnavailable:{ptr('intstr.IntOrString', spec.get('maxUnavailable') is not None, base + 0x10)}, "
                   "UnhealthyPodEvictionPolicy:"
                   f"{ptr('policy.UnhealthyPodEvictionPolicyType', spec.get('unhealthyPodEvictionPolicy') is not None, base + 0x30)}}}")


def _not_more_than_100_percent(v, path: str) -> list[FieldError]:
    """apps IsNotMoreThan100Percent."""
    p = _percent_value(v)
    if p is None or p <= 100:
        return []
    return [invalid(path, GoValue(_go_intstr(v)), "must not be greater than 100%")]


def _validate_pod_disruption_budget(obj: dict) -> list[FieldError]:
    """ValidatePodDisruptionBudget / ValidatePodDisruptionBudgetSpec, after the strategy's
    ValidateObjectMeta (pkg/registry/policy/poddisruptionbudget/strategy.go)."""
    errs = validate_object_meta(obj, "PodDisruptionBudget")
    spec = _m(obj.get("spec"))
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(invalid("spec", _go_pdb_spec(spec), "minAvailable and maxUnavailable cannot be both set"))
    for f in ("minAvailable", "maxUnavailable"):
        if spec.get(f) is not None:
            errs += _int_or_percent(spec[f], f"spec.{f}")
            errs += _not_more_than_100_percent(spec[f], f"spec.{f}")
    errs += _validate_label_selector(spec.get("selector"), "spec.selector")
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in _UNHEALTHY_POD_EVICTION_POLICIES:
        errs.append(unsupported("spec.unhealthyPodEvictionPolicy", _s(policy), _UNHEALTHY_POD_EVICTION_POLICIES))
    return errs
