"""Protobuf request bodies (application/vnd.kubernetes.protobuf), decoded to the JSON form the
object API takes. kubectl 1.32's typed commands (`create deployment`, `create namespace`,
`create service`, ...) send them, and client-go does not retry a declined (415) protobuf body
as JSON.

The message tables come from Kubernetes' own .proto definitions (tools/proto_schema.py ->
proto_schema.json.gz, made from kubernetes/api 10b39a39bcee995dfe7cd5e8e7b922be5e46f1e2 and kubernetes/apimachinery
eed236ceee2c19c2753a3d93ac0631dc20750454, Apache License 2.0; field numbers are stable across versions); the wire format is protobuf's (varint, 64-bit, length-delimited,
32-bit). The envelope is runtime.Unknown after the 4-byte magic "k8s\\0"
(k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go). The types that marshal
themselves are converted as their JSON forms are: meta/v1 Time and MicroTime (RFC 3339; the
zero time is an empty message: null), Duration, resource.Quantity (its string), intstr.IntOrString,
runtime.RawExtension and meta/v1 FieldsV1 (embedded JSON); bytes are base64, as in JSON.

gogo-protobuf writes a non-pointer scalar even when it is the zero value, where JSON's
omitempty leaves it out: zero scalars ("" / 0 / false) are dropped. (A pointer field set to
its zero value, such as `replicas: 0`, is dropped too: a limitation of decoding without the Go
types.)
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import os
import struct

MAGIC = b"k8s\x00"
_SCHEMA: dict | None = None

_META = "k8s.io.apimachinery.pkg.apis.meta.v1."
_PACKAGES = {"": "core", "apps": "apps", "batch": "batch", "networking.k8s.io": "networking", "policy": "policy",
             "rbac.authorization.k8s.io": "rbac", "scheduling.k8s.io": "scheduling", "storage.k8s.io": "storage",
             "discovery.k8s.io": "discovery", "autoscaling": "autoscaling", "coordination.k8s.io": "coordination",
             "events.k8s.io": "events"}


class ProtoError(ValueError):
    pass


def schema() -> dict:
    global _SCHEMA
    if _SCHEMA is None:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "proto_schema.json.gz"), "rb") as f:
            _SCHEMA = json.loads(gzip.decompress(f.read()))
    return _SCHEMA


# meta/v1 types every group-version registers (client-go sends a DeleteOptions body as "v1" DeleteOptions:
# kubectl drain --disable-eviction, delete --cascade)
_META_KINDS = ("DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "GetOptions", "ListOptions")


def message_name(api_version: str, kind: str) -> str:
    if kind in _META_KINDS:
        return _META + kind
    group, _, version = api_version.rpartition("/")
    pkg = _PACKAGES.get(group)
    if pkg is None:
        raise ProtoError(f"no kind {kind!r} is registered for version {api_version!r}")
    return f"k8s.io.api.{pkg}.{version}.{kind}"


# ------------------------------------------------------------------------------ wire format
def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(data):
            raise ProtoError("unexpected EOF")
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7
        if shift > 63:
            raise ProtoError("proto: integer overflow")


def fields(data: bytes):
    """(field number, wire type, value) of each field: an int for varint, bytes otherwise."""
    i, n = 0, len(data)
    while i < n:
        key, i = _varint(data, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(data, i)
        elif wt == 1:
            v, i = data[i:i + 8], i + 8
        elif wt == 2:
            ln, i = _varint(data, i)
            v, i = data[i:i + ln], i + ln
        elif wt == 5:
            v, i = data[i:i + 4], i + 4
        else:
            raise ProtoError(f"proto: illegal wireType {wt}")
        if i > n:
            raise ProtoError("unexpected EOF")
        yield num, wt, v


def _signed(v: int, bits: int = 64) -> int:
    v &= (1 << 64) - 1
    if v >= 1 << 63:
        v -= 1 << 64
    return v


def _scalar(t: str, wt: int, v):
    if wt == 2 and t not in ("string", "bytes"):
        raise ProtoError("packed")
    if t == "string":
        return v.decode("utf-8", "replace")
    if t == "bytes":
        return base64.b64encode(v).decode()
    if t == "bool":
        return bool(v)
    if t in ("int32", "int64"):
        return _signed(v)
    if t in ("uint32", "uint64"):
        return v
    if t in ("sint32", "sint64"):
        return (v >> 1) ^ -(v & 1)
    if t == "double":
        return struct.unpack("<d", v)[0]
    if t == "float":
        return struct.unpack("<f", v)[0]
    if t in ("fixed32", "fixed64"):
        return int.from_bytes(v, "little")
    if t in ("sfixed32", "sfixed64"):
        return int.from_bytes(v, "little", signed=True)
    raise ProtoError(f"unknown scalar type {t}")


def _packed(t: str, data: bytes) -> list:
    out, i = [], 0
    if t in ("double", "fixed64", "sfixed64"):
        return [_scalar(t, 1, data[j:j + 8]) for j in range(0, len(data), 8)]
    if t in ("float", "fixed32", "sfixed32"):
        return [_scalar(t, 5, data[j:j + 4]) for j in range(0, len(data), 4)]
    while i < len(data):
        v, i = _varint(data, i)
        out.append(_scalar(t, 0, v))
    return out


def _zero(v) -> bool:
    return v == "" or v is False or (type(v) is int and v == 0) or (type(v) is float and v == 0.0)


def _rfc3339(seconds: int, nanos: int, micro: bool) -> str:
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    if micro:
        return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos // 1000:06d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _special(name: str, data: bytes):
    """Types with their own JSON form; _NO when `name` is an ordinary message."""
    if name in (_META + "Time", _META + "MicroTime"):
        if not data:
            return None
        secs = nanos = 0
        for num, _, v in fields(data):
            if num == 1:
                secs = _signed(v)
            elif num == 2:
                nanos = _signed(v)
        return _rfc3339(secs, nanos, name.endswith("MicroTime"))
    if name == "k8s.io.apimachinery.pkg.api.resource.Quantity":
        for num, _, v in fields(data):
            if num == 1:
                return v.decode()
        return "0"
    if name == "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        typ, iv, sv = 0, 0, ""
        for num, _, v in fields(data):
            if num == 1:
                typ = v
            elif num == 2:
                iv = _signed(v)
            elif num == 3:
                sv = v.decode()
        return sv if typ == 1 else iv
    if name in ("k8s.io.apimachinery.pkg.runtime.RawExtension", _META + "FieldsV1"):
        for num, _, v in fields(data):
            if num == 1:
                return json.loads(v) if v else None
        return None
    if name == _META + "Duration":
        for num, _, v in fields(data):
            if num == 1:
                return _duration_string(_signed(v))
        return "0s"
    return _NO


_NO = object()


def _duration_string(ns: int) -> str:
    """Go's time.Duration.String for the values a spec holds (whole seconds and above)."""
    if ns == 0:
        return "0s"
    neg, ns = ns < 0, abs(ns)
    h, rem = divmod(ns, 3600 * 10**9)
    m, rem = divmod(rem, 60 * 10**9)
    s = rem / 10**9
    out = (f"{h}h" if h else "") + (f"{m}m" if h or m else "") + (f"{s:g}s")
    return ("-" if neg else "") + out


def decode_message(name: str, data: bytes):
    sp = _special(name, data)
    if sp is not _NO:
        return sp
    table = schema().get(name)
    if table is None:
        raise ProtoError(f"unknown message {name}")
    out: dict = {}
    for num, wt, v in fields(data):
        f = table.get(str(num))
        if f is None:
            continue  # a field this schema does not know: dropped, as an unknown JSON field
        fname, ftype, label = f
        if label == "m":
            kt, vt = ftype
            key, val = None, None
            for n2, w2, v2 in fields(v):
                if n2 == 1:
                    key = _scalar(kt, w2, v2)
                elif n2 == 2:
                    val = decode_message(vt, v2) if vt not in _SCALARS else _scalar(vt, w2, v2)
            if val is None and vt not in _SCALARS:
                val = decode_message(vt, b"")
            if val is None:
                val = "" if vt in ("string", "bytes") else 0
            out.setdefault(fname, {})[str(key) if key is not None else ""] = val
            continue
        if ftype in _SCALARS:
            if label == "r" and wt == 2 and ftype not in ("string", "bytes"):
                out.setdefault(fname, []).extend(_packed(ftype, v))
                continue
            val = _scalar(ftype, wt, v)
        else:
            if wt != 2:
                raise ProtoError(f"proto: wrong wireType = {wt} for field {fname}")
            val = decode_message(ftype, v)
        if label == "r":
            out.setdefault(fname, []).append(val)
        elif label == "i":  # an embedded Go struct: encoding/json inlines its fields
            if isinstance(val, dict):
                out.update(val)
        else:
            out[fname] = val
    for k in [k for k, v in out.items() if v is None or (_zero(v) and table_type(table, k) in _SCALARS)]:
        del out[k]
    return out


def table_type(table: dict, fname: str):
    for f in table.values():
        if f[0] == fname:
            return f[1] if isinstance(f[1], str) else None
    return None


_SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
            "sfixed32", "sfixed64", "bool", "string", "bytes"}


def decode(body: bytes) -> dict:
    """A protobuf request body (the runtime.Unknown envelope) as the object's JSON dict."""
    if not body.startswith(MAGIC):
        raise ProtoError("provided data does not appear to be a protobuf message, expected prefix "
                         "[107 56 115 0]")
    env = {}
    for num, _, v in fields(body[4:]):
        env[num] = v
    api_version = kind = ""
    for num, _, v in fields(env.get(1, b"")):
        if num == 1:
            api_version = v.decode()
        elif num == 2:
            kind = v.decode()
    if env.get(3) or (env.get(4) and env[4] != b"application/vnd.kubernetes.protobuf"):
        raise ProtoError("unsupported content encoding")
    obj = decode_message(message_name(api_version, kind), env.get(2, b""))
    return {"apiVersion": api_version, "kind": kind, **obj}
