"""Pod volumes (pkg/apis/core/validation/validation.go ValidateVolumes' sources, paths, key-to-path
items, downward API and projected volumes) and validateObjectFieldSelector, which env vars share."""

from __future__ import annotations

import re

from minikctl.api.errors import FieldError, forbidden, invalid, required, unsupported
from minikctl.api.validation.common import _i, _m, _ml, _s
from minikctl.api.validation.names import is_qualified_name
from minikctl.api.validation.resources import quantity_value


# pkg/apis/core/validation/validation.go validateVolumeSource and the per-type validators
_VOLUME_TYPES = ("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
                 "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte",
                 "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume",
                 "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi",
                 "ephemeral", "image")
# the field names of the "more than 1" errors (upstream spells two of them differently)
_VOLUME_TYPE_PATHS = {"downwardAPI": "downwarAPI", "cephfs": "cephFS"}
FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
_HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
_VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                       "metadata.uid"]
_RE_SUBSCRIPT = re.compile(r"^(metadata\.(labels|annotations))\['?([^\]']*)'?\]$")


def _validate_path_no_backsteps(target: str, path: str) -> list[FieldError]:
    if ".." in target.split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def _validate_local_descending_path(target: str, path: str) -> list[FieldError]:
    errs = []
    if target.startswith("/"):
        errs.append(invalid(path, target, "must be a relative path"))
    return errs + _validate_path_no_backsteps(target, path)


def _validate_local_non_reserved_path(target: str, path: str) -> list[FieldError]:
    errs = _validate_local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(path, target, "must not start with '..'"))
    return errs


def _validate_mode(src: dict, key: str, path: str) -> list[FieldError]:
    mode = src.get(key)
    if mode is not None and isinstance(mode, int) and not 0 <= mode <= 0o777:
        return [invalid(f"{path}.{key}", mode, FILE_MODE_ERROR)]
    return []


def _validate_key_to_path(kp: dict, path: str) -> list[FieldError]:
    errs = []
    if not _s(kp.get("key")):
        errs.append(required(f"{path}.key"))
    p = _s(kp.get("path"))
    if not p:
        errs.append(required(f"{path}.path"))
    errs += _validate_local_non_reserved_path(p, f"{path}.path")
    return errs + _validate_mode(kp, "mode", path)


def _validate_object_field_selector(fs: dict, allowed, path: str) -> list[FieldError]:
    """validateObjectFieldSelector (pkg/apis/core/validation): apiVersion, then fieldPath, each
    required (the first missing one is the only error), then the path checked against the ones
    the caller allows (env vars and downwardAPI volumes allow different sets)."""
    if not _s(fs.get("apiVersion")):
        return [required(f"{path}.apiVersion")]
    fp = _s(fs.get("fieldPath"))
    if not fp:
        return [required(f"{path}.fieldPath")]
    m = _RE_SUBSCRIPT.match(fp)
    if m:
        return [invalid(f"{path}.fieldPath", m.group(3), msg) for msg in is_qualified_name(m.group(3).lower())]
    if fp not in allowed:
        return [unsupported(f"{path}.fieldPath", fp, allowed)]
    return []


def _validate_downward_file(f: dict, path: str) -> list[FieldError]:
    errs = []
    p = _s(f.get("path"))
    if not p:
        errs.append(required(f"{path}.path"))
    errs += _validate_local_non_reserved_path(p, f"{path}.path")
    if f.get("fieldRef") is not None:
        errs += _validate_object_field_selector(_m(f.get("fieldRef")), _VOLUME_FIELD_PATHS, f"{path}.fieldRef")
        if f.get("resourceFieldRef") is not None:
            errs.append(invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
    elif f.get("resourceFieldRef") is not None:
        if not _s(_m(f.get("resourceFieldRef")).get("resource")):
            errs.append(required(f"{path}.resourceFieldRef.resource"))
    else:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    return errs + _validate_mode(f, "mode", path)


def _validate_volume_source(v: dict, path: str) -> list[FieldError]:
    errs = []
    n = 0
    for t in _VOLUME_TYPES:
        if v.get(t) is None:
            continue
        if n > 0:
            errs.append(forbidden(f"{path}.{_VOLUME_TYPE_PATHS.get(t, t)}", "may not specify more than 1 volume type"))
            continue
        n += 1
        src = _m(v.get(t))
        tp = f"{path}.{t}"
        if t == "emptyDir":
            if src.get("sizeLimit") is not None and (quantity_value(src["sizeLimit"]) or 0) < 0:
                errs.append(forbidden(f"{tp}.sizeLimit", "SizeLimit field must be a valid resource quantity"))
        elif t == "hostPath":
            hp = _s(src.get("path"))
            if not hp:
                errs.append(required(f"{tp}.path"))
                continue
            errs += _validate_path_no_backsteps(hp, f"{tp}.path")
            if src.get("type") is not None and _s(src.get("type")) not in _HOST_PATH_TYPES:
                errs.append(unsupported(f"{tp}.type", _s(src.get("type")), _HOST_PATH_TYPES))
        elif t in ("secret", "configMap"):
            key = "secretName" if t == "secret" else "name"
            if not _s(src.get(key)):
                errs.append(required(f"{tp}.{key}"))
            errs += _validate_mode(src, "defaultMode", tp)
            for i, kp in enumerate(_ml(src, "items")):
                errs += _validate_key_to_path(kp, f"{tp}.items[{i}]")
        elif t == "persistentVolumeClaim":
            if not _s(src.get("claimName")):
                errs.append(required(f"{tp}.claimName"))
        elif t == "nfs":
            if not _s(src.get("server")):
                errs.append(required(f"{tp}.server"))
            if not _s(src.get("path")):
                errs.append(required(f"{tp}.path"))
            if not _s(src.get("path")).startswith("/"):
                errs.append(invalid(f"{tp}.path", _s(src.get("path")), "must be an absolute path"))
        elif t == "downwardAPI":
            errs += _validate_mode(src, "defaultMode", tp)
            for f in _ml(src, "items"):
                errs += _validate_downward_file(f, tp)  # upstream passes the volume's path, not the item's
        elif t == "projected":
            errs += _validate_mode(src, "defaultMode", tp)
            errs += _validate_projection_sources(src, tp)
    if n == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def _validate_projection_sources(proj: dict, path: str) -> list[FieldError]:
    errs = []
    seen: set = set()
    for i, source in enumerate(_ml(proj, "sources")):
        sp = f"{path}.sources[{i}]"
        n = 0
        for kind, key in (("secret", "name"), ("configMap", "name")):
            if source.get(kind) is None:
                continue
            n += 1
            s = _m(source.get(kind))
            if not _s(s.get("name")):
                errs.append(required(f"{sp}.{kind}.name"))
            for j, kp in enumerate(_ml(s, "items")):
                errs += _validate_key_to_path(kp, f"{sp}.{kind}.items[{j}]")
                p = _s(kp.get("path"))
                if p:
                    if p in seen:
                        errs.append(invalid(path, _s(s.get("name")), "conflicting duplicate paths"))
                    seen.add(p)
        if source.get("downwardAPI") is not None:
            n += 1
            for f in _ml(_m(source.get("downwardAPI")), "items"):
                errs += _validate_downward_file(f, f"{sp}.downwardAPI")
                p = _s(f.get("path"))
                if p:
                    if p in seen:
                        errs.append(invalid(path, p, "conflicting duplicate paths"))
                    seen.add(p)
        if source.get("serviceAccountToken") is not None:
            n += 1
            s = _m(source.get("serviceAccountToken"))
            exp = _i(s.get("expirationSeconds")) if s.get("expirationSeconds") is not None else 3600
            if exp < 600:
                errs.append(invalid(f"{sp}.serviceAccountToken.expirationSeconds", exp,
                                    "may not specify a duration less than 10 minutes"))
            if exp > 1 << 32:
                errs.append(invalid(f"{sp}.serviceAccountToken.expirationSeconds", exp,
                                    "may not specify a duration larger than 2^32 seconds"))
            p = _s(s.get("path"))
            if not p:
                errs.append(required(f"{path}.path"))
            else:
                errs += _validate_local_non_reserved_path(p, f"{path}.path")
        if n > 1:
            errs.append(forbidden(sp, "may not specify more than 1 volume type per source"))
    return errs
