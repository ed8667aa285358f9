"""The small core/v1 kinds: Namespace, Node and Event (pkg/apis/core/validation/validation.go
ValidateNamespace, ValidateNode; events.go ValidateEvent)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, invalid
from minikctl.api.validation.common import _l, _m, _s
from minikctl.api.validation.ip import is_valid_cidr
from minikctl.api.validation.meta import validate_object_meta
from minikctl.api.validation.names import is_qualified_name


def _validate_namespace(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Namespace")
    for i, f in enumerate(_l(_m(obj.get("spec")).get("finalizers"))):
        errs += [invalid(f"spec.finalizers[{i}]", _s(f), m) for m in is_qualified_name(_s(f))]
    return errs


def _validate_node(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Node")
    for i, cidr in enumerate(_l(_m(obj.get("spec")).get("podCIDRs"))):
        errs += is_valid_cidr(f"spec.podCIDRs[{i}]", _s(cidr))
    return errs


def _validate_event(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Event")
    io = _m(obj.get("involvedObject"))
    meta_ns = _s(_m(obj.get("metadata")).get("namespace"))
    if io.get("namespace") and meta_ns and io.get("namespace") != meta_ns:
        errs.append(invalid("involvedObject.namespace", _s(io.get("namespace")), "does not match event.namespace"))
    return errs
