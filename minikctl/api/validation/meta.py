"""ObjectMeta, labels, annotations and label selectors:
  staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go   (metadata)
  staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go (labels, selectors)"""

from __future__ import annotations

from minikctl.api.errors import FieldError, forbidden, invalid, required
from minikctl.api.validation.common import GoValue, _i, _l, _m, _ml, _s
from minikctl.api.validation.names import (
    IMMUTABLE_ERROR, NEGATIVE_ERROR, is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_qualified_name,
    is_valid_label_value,
)


_NAME_FNS = {
    "Service": is_dns1035_label,  # ValidateServiceName = NameIsDNS1035Label
    "Namespace": is_dns1123_label,  # ValidateNamespaceName = NameIsDNSLabel
}


def _rbac_name(name: str) -> list[str]:  # issue 12 (w-rbac): ValidateRBACName = path.IsValidPathSegmentName
    from minikctl.api.validation.rbac import is_valid_path_segment_name

    return is_valid_path_segment_name(name)


for _k in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"):
    _NAME_FNS[_k] = _rbac_name
_CLUSTER_SCOPED = {"Namespace", "Node", "IngressClass"}
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


def _validate_labels(labels, path: str) -> list[FieldError]:
    errs = []
    for k, v in sorted(_m(labels).items()):
        errs += [invalid(path, k, m) for m in is_qualified_name(k)]
        errs += [invalid(path, _s(v), m) for m in is_valid_label_value(_s(v))]
    return errs


def _validate_annotations(annotations, path: str) -> list[FieldError]:
    errs = []
    ann = _m(annotations)
    for k in sorted(ann):
        errs += [invalid(path, k, m) for m in is_qualified_name(k.lower())]
    size = sum(len(k.encode()) + len(_s(v).encode()) for k, v in ann.items())
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(FieldError("Too long", path, None, f"may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes",
                               has_value=False))
    return errs


def validate_object_meta(obj: dict, kind: str, path: str = "metadata") -> list[FieldError]:
    """objectmeta.go ValidateObjectMetaAccessor."""
    meta = _m(obj.get("metadata"))
    name_fn = _NAME_FNS.get(kind, is_dns1123_subdomain)
    errs = []
    gen = _s(meta.get("generateName"))
    if gen:
        masked = gen[:-1] + "a" if gen.endswith("-") else gen  # maskTrailingDash
        errs += [invalid(f"{path}.generateName", gen, m) for m in name_fn(masked)]
    name = _s(meta.get("name"))
    if not name:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    else:
        errs += [invalid(f"{path}.name", name, m) for m in name_fn(name)]
    ns = _s(meta.get("namespace"))
    if kind in _CLUSTER_SCOPED:
        if ns:
            errs.append(forbidden(f"{path}.namespace", "not allowed on this type"))
    elif ns:  # the server fills an empty namespace from the request before validating
        errs += [invalid(f"{path}.namespace", ns, m) for m in is_dns1123_label(ns)]
    if _i(meta.get("generation")) < 0:
        errs.append(invalid(f"{path}.generation", _i(meta.get("generation")), NEGATIVE_ERROR))
    errs += _validate_labels(meta.get("labels"), f"{path}.labels")
    errs += _validate_annotations(meta.get("annotations"), f"{path}.annotations")
    for i, f in enumerate(_l(meta.get("finalizers"))):
        errs += [invalid(f"{path}.finalizers", _s(f), m) for m in is_qualified_name(_s(f))]
    return errs


def validate_object_meta_update(obj: dict, old: dict, path: str = "metadata") -> list[FieldError]:
    meta, ometa = _m(obj.get("metadata")), _m(old.get("metadata"))
    errs = []
    for key in ("name", "namespace", "uid"):
        if ometa.get(key) and meta.get(key) != ometa.get(key):
            errs.append(invalid(f"{path}.{key}", _s(meta.get(key)), IMMUTABLE_ERROR))
    if ometa.get("creationTimestamp") and meta.get("creationTimestamp") not in (None, ometa.get("creationTimestamp")):
        errs.append(invalid(f"{path}.creationTimestamp", GoValue(_s(meta.get("creationTimestamp"))), IMMUTABLE_ERROR))
    return errs


# --------------------------------------------------------------------- selectors


def _validate_label_selector(sel, path: str) -> list[FieldError]:
    """meta/v1/validation ValidateLabelSelector."""
    sel = _m(sel)
    errs = []
    for i, e in enumerate(_ml(sel, "matchExpressions")):
        p = f"{path}.matchExpressions[{i}]"
        op = _s(e.get("operator"))
        values = _l(e.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{p}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{p}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(f"{p}.operator", op, "not a valid selector operator"))
        errs += [invalid(f"{p}.key", _s(e.get("key")), m) for m in is_qualified_name(_s(e.get("key")))]
    errs += _validate_labels(sel.get("matchLabels"), f"{path}.matchLabels")
    return errs


def selector_matches(sel, labels) -> bool:
    """metav1.LabelSelectorAsSelector(sel).Matches(labels); a missing selector matches nothing."""
    from minikctl.api.selectors import label_selector_matches

    return label_selector_matches(sel, labels)


def _selector_empty(sel) -> bool:
    sel = _m(sel)
    return not sel.get("matchLabels") and not sel.get("matchExpressions")
