"""resource.Quantity values and a container's ResourceRequirements
(pkg/apis/core/validation/validation.go ValidateResourceRequirements)."""

from __future__ import annotations

import re

from minikctl.api.errors import FieldError, invalid
from minikctl.api.validation.common import _m
from minikctl.api.validation.names import NEGATIVE_ERROR


_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_SUFFIX = {"": 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
           "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def quantity_value(q) -> float | None:
    """A resource.Quantity as a number (None when it does not parse)."""
    if isinstance(q, bool):
        return None
    if isinstance(q, (int, float)):
        return float(q)
    if not isinstance(q, str):
        return None
    m = _QUANTITY.match(q.strip())
    if not m:
        return None
    num, suffix = m.groups()
    try:
        base = float(num)
    except ValueError:
        return None
    if suffix in _SUFFIX:
        return base * _SUFFIX[suffix]
    if suffix[:1] in "eE":
        try:
            return base * 10.0 ** int(suffix[1:])
        except ValueError:
            return None
        except OverflowError:  # 1e400: beyond a float, still a (huge) quantity
            return float("inf") if base > 0 else float("-inf") if base < 0 else 0.0
    return None


def _q_text(q) -> str:
    return q if isinstance(q, str) else str(q)


def _validate_resources(res, path: str) -> list[FieldError]:
    res = _m(res)
    errs = []
    limits, requests = _m(res.get("limits")), _m(res.get("requests"))
    for group, items in (("limits", limits), ("requests", requests)):
        for name in sorted(items):
            v = quantity_value(items[name])
            if v is not None and v < 0:
                errs.append(invalid(f"{path}.{group}[{name}]", _q_text(items[name]), NEGATIVE_ERROR))
            if group == "requests" and name in limits:
                lv = quantity_value(limits[name])
                if v is not None and lv is not None and v > lv:
                    errs.append(invalid(f"{path}.requests", _q_text(items[name]),
                                        f"must be less than or equal to {name} limit of {_q_text(limits[name])}"))
    return errs
