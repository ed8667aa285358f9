"""Configuration data: Secret and ConfigMap, and the immutable-data rule of their updates
(pkg/apis/core/validation/validation.go ValidateSecret, ValidateConfigMap, ValidateSecretUpdate,
ValidateConfigMapUpdate)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, forbidden, invalid, required
from minikctl.api.validation.common import _m, _s
from minikctl.api.validation.meta import validate_object_meta
from minikctl.api.validation.names import is_config_map_key


MAX_SECRET_SIZE = 1024 * 1024


def _validate_secret(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Secret")
    data = _m(obj.get("data"))
    total = 0
    for key in sorted(data):
        errs += [invalid(f"data[{key}]", key, m) for m in is_config_map_key(key)]
        total += len(_s(data[key])) * 3 // 4
    if total > MAX_SECRET_SIZE:
        errs.append(FieldError("Too long", "data", None, f"may not be more than {MAX_SECRET_SIZE} bytes", has_value=False))
    t = _s(obj.get("type"))
    ann = _m(_m(obj.get("metadata")).get("annotations"))
    if t == "kubernetes.io/service-account-token":
        if not _s(ann.get("kubernetes.io/service-account.name")):
            errs.append(required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif t in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if t == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            errs.append(required(f"data[{key}]"))
        else:
            # ValidateSecret: the content must be a JSON object; the value is never shown
            problem = _json_object_problem(_s(data[key]))
            if problem:
                errs.append(invalid(f"data[{key}]", "<secret contents redacted>", problem))
    elif t == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs.append(required("data[username]"))
            errs.append(required("data[password]"))
    elif t == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(required("data[ssh-privatekey]"))
    elif t == "kubernetes.io/tls":
        if "tls.crt" not in data:
            errs.append(required("data[tls.crt]"))
        if "tls.key" not in data:
            errs.append(required("data[tls.key]"))
    return errs


def _json_object_problem(b64: str) -> str | None:
    """Go's json.Unmarshal(data, &map[string]interface{}{}) error for a base64 data value, or None."""
    import base64
    import binascii
    import json

    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return "illegal base64 data"
    text = raw.decode("utf-8", "replace")
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        return "unexpected end of JSON input"
    try:
        value = json.loads(text)
    except ValueError:
        if stripped[0] not in '{["-0123456789tfn':
            return f"invalid character {_go_char(stripped[0])} looking for beginning of value"
        return "unexpected end of JSON input"
    if not isinstance(value, dict):
        kind = {str: "string", list: "array", bool: "bool", int: "number", float: "number"}.get(type(value), "null")
        if kind == "null":
            return None
        return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return None


def _go_char(c: str) -> str:
    return "'\\''" if c == "'" else f"'{c}'"


def _validate_config_map(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ConfigMap")
    data, binary = _m(obj.get("data")), _m(obj.get("binaryData"))
    total = 0
    for key in sorted(data):
        errs += [invalid(f"data[{key}]", key, m) for m in is_config_map_key(key)]
        if key in binary:
            errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(_s(data[key]).encode())
    for key in sorted(binary):
        errs += [invalid(f"binaryData[{key}]", key, m) for m in is_config_map_key(key)]
        total += len(_s(binary[key])) * 3 // 4
    if total > MAX_SECRET_SIZE:
        errs.append(FieldError("Too long", "", None, f"may not be more than {MAX_SECRET_SIZE} bytes", has_value=False))
    return errs


def _validate_immutable_data(obj: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    errs = []
    if old.get("immutable") is True:
        msg = "field is immutable when `immutable` is set"
        if obj.get("immutable") is not True:
            errs.append(forbidden("immutable", msg))
        for k in keys:
            if (obj.get(k) or None) != (old.get(k) or None):
                errs.append(forbidden(k, msg))
    return errs
