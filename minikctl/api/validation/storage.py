"""Storage (issue 11): PersistentVolumeClaim, PersistentVolume, StorageClass.
pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaim(Spec), reduced; StorageClass:
pkg/apis/storage/validation/validation.go."""

from __future__ import annotations

from minikctl.api.errors import FieldError, required, unsupported
from minikctl.api.validation.common import _m, _s
from minikctl.api.validation.meta import validate_object_meta


_PVC_ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]


def _validate_pvc_spec(spec: dict, path: str) -> list[FieldError]:
    errs = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(required(f"{path}.accessModes", "at least 1 access mode is required"))
    for m in modes if isinstance(modes, list) else []:
        if m not in _PVC_ACCESS_MODES:
            errs.append(unsupported(f"{path}.accessModes", _s(m), _PVC_ACCESS_MODES))
    requests = _m(_m(spec.get("resources")).get("requests"))
    if "storage" not in requests:
        errs.append(required(f"{path}.resources[storage]", ""))
    return errs


def _validate_persistent_volume_claim(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "PersistentVolumeClaim")
    return errs + _validate_pvc_spec(_m(obj.get("spec")), "spec")


def _validate_persistent_volume(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "PersistentVolume")
    spec = _m(obj.get("spec"))
    if not spec.get("accessModes"):
        errs.append(required("spec.accessModes", ""))
    if "storage" not in _m(spec.get("capacity")):
        errs.append(required("spec.capacity", ""))
    return errs


def _validate_storage_class(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "StorageClass")
    if not _s(obj.get("provisioner")):
        errs.append(required("provisioner", ""))
    mode = obj.get("volumeBindingMode")
    if mode is not None and mode not in ("Immediate", "WaitForFirstConsumer"):
        errs.append(unsupported("volumeBindingMode", _s(mode), ["Immediate", "WaitForFirstConsumer"]))
    return errs
