"""/openapi/v2: the shipped Swagger 2.0 document (minikctl.api.swagger), as JSON or, when the client
asks for ``application/com.github.proto-openapi.spec.v2@v1.0+protobuf`` (kubectl 1.32's
DiscoveryClient.OpenAPISchema asks for nothing else: explain --output=plaintext-openapiv2 and the v2
fallbacks), as the protobuf of gnostic's openapi_v2.Document (github.com/google/gnostic-models,
openapiv2/OpenAPIv2.proto: field numbers below), the form kube-apiserver serves.

The protobuf is made from the JSON document the way gnostic's compiler reads it (openapiv2/document.go
NewDocument): ``type`` becomes a TypeItem, ``items`` an ItemsItem, ``additionalProperties`` a schema or a
boolean, maps become ordered (name, value) pairs, and ``x-`` vendor extensions, ``default``, ``enum`` and
``example`` become Any messages holding their YAML text (JSON is YAML). It is built once per process.
"""

from __future__ import annotations

import struct

PROTO_V2 = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"  # what kubectl asks for
# the media type of the answer (k8s.io/kube-openapi/pkg/handler: subTypeProtobuf; the "@" form is the
# deprecated one, which Go's mime parser refuses in a Content-Type)
PROTO_V2_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
_PB: bytes | None = None
_HASH: str | None = None


# ------------------------------------------------------------------------------ wire format
def _varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _bytes(field: int, data: bytes) -> bytes:
    return _key(field, 2) + _varint(len(data)) + data


def _str(field: int, s) -> bytes:
    if not isinstance(s, str) or not s:
        return b""
    return _bytes(field, s.encode())


def _bool(field: int, v) -> bytes:
    return _key(field, 0) + b"\x01" if v is True else b""


def _int(field: int, v) -> bytes:
    if isinstance(v, bool) or not isinstance(v, int) or v == 0:
        return b""
    return _key(field, 0) + _varint(v)


def _double(field: int, v) -> bytes:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v == 0:
        return b""
    return _key(field, 1) + struct.pack("<d", float(v))


# ------------------------------------------------------------------------------- messages
def _any(value) -> bytes:
    """openapi.v2.Any: yaml (2) is the value's YAML text, as gnostic writes it for a scalar or a map."""
    return _str(2, _yaml(value))


def _yaml(value) -> str:
    import yaml

    return yaml.safe_dump(value, default_flow_style=False, sort_keys=False, allow_unicode=True, width=1 << 30)


def _named_any(name: str, value) -> bytes:
    return _str(1, name) + _bytes(2, _any(value))


def _vendor(obj: dict, field: int) -> bytes:
    return b"".join(_bytes(field, _named_any(k, v)) for k, v in obj.items() if k.startswith("x-"))


_SCHEMA_STRINGS = (("$ref", 1), ("format", 2), ("title", 3), ("description", 4), ("pattern", 13),
                   ("discriminator", 26))
_SCHEMA_DOUBLES = (("multipleOf", 6), ("maximum", 7), ("minimum", 9))
_SCHEMA_BOOLS = (("exclusiveMaximum", 8), ("exclusiveMinimum", 10), ("uniqueItems", 16), ("readOnly", 27))
_SCHEMA_INTS = (("maxLength", 11), ("minLength", 12), ("maxItems", 14), ("minItems", 15), ("maxProperties", 17),
                ("minProperties", 18))


def schema(s: dict) -> bytes:
    """openapi.v2.Schema."""
    if not isinstance(s, dict):
        return b""
    out = bytearray()
    fields: dict[int, bytes] = {}
    for name, num in _SCHEMA_STRINGS:
        fields[num] = _str(num, s.get(name))
    if "default" in s:
        fields[5] = _bytes(5, _any(s["default"]))
    for name, num in _SCHEMA_DOUBLES:
        fields[num] = _double(num, s.get(name))
    for name, num in _SCHEMA_BOOLS:
        fields[num] = _bool(num, s.get(name))
    for name, num in _SCHEMA_INTS:
        fields[num] = _int(num, s.get(name))
    fields[19] = b"".join(_str(19, r) for r in s.get("required") or ())
    fields[20] = b"".join(_bytes(20, _any(v)) for v in s.get("enum") or ())
    ap = s.get("additionalProperties")
    if isinstance(ap, dict):
        fields[21] = _bytes(21, _bytes(1, schema(ap)))
    elif isinstance(ap, bool):
        fields[21] = _bytes(21, _key(2, 0) + (b"\x01" if ap else b"\x00"))
    t = s.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        fields[22] = _bytes(22, b"".join(_str(1, x) for x in types))
    items = s.get("items")
    if items is not None:
        lst = items if isinstance(items, list) else [items]
        fields[23] = _bytes(23, b"".join(_bytes(1, schema(x)) for x in lst))
    fields[24] = b"".join(_bytes(24, schema(x)) for x in s.get("allOf") or ())
    props = s.get("properties")
    if isinstance(props, dict):
        fields[25] = _bytes(25, b"".join(_bytes(1, _str(1, k) + _bytes(2, schema(v))) for k, v in props.items()))
    if "example" in s:
        fields[30] = _bytes(30, _any(s["example"]))
    fields[31] = _vendor(s, 31)
    for num in sorted(fields):
        out += fields[num]
    return bytes(out)


def document_pb(doc: dict) -> bytes:
    """openapi.v2.Document of a Swagger 2.0 document (its info, definitions and security; paths as given)."""
    out = bytearray(_str(1, doc.get("swagger", "2.0")))
    info = doc.get("info") or {}
    out += _bytes(2, _str(1, info.get("title")) + _str(2, info.get("version")) + _str(3, info.get("description")))
    out += _bytes(8, b"".join(_bytes(2, _str(1, p) + _bytes(2, b"")) for p in doc.get("paths") or {}))
    defs = doc.get("definitions") or {}
    out += _bytes(9, b"".join(_bytes(1, _str(1, k) + _bytes(2, schema(v))) for k, v in defs.items()))
    for req in doc.get("security") or ():
        out += _bytes(12, b"".join(_bytes(1, _str(1, k) + _bytes(2, b"".join(_str(1, x) for x in v)))
                                   for k, v in req.items()))
    sd = doc.get("securityDefinitions") or {}
    if sd:
        items = b""
        for k, v in sd.items():
            api_key = (_str(1, v.get("type")) + _str(2, v.get("name")) + _str(3, v.get("in")) +
                       _str(4, v.get("description")) + _vendor(v, 5))
            items += _bytes(1, _str(1, k) + _bytes(2, _bytes(2, api_key)))
        out += _bytes(13, items)
    out += _vendor(doc, 16)
    return bytes(out)


def protobuf() -> bytes:
    global _PB
    if _PB is None:
        from minikctl.api import swagger

        _PB = document_pb(swagger.document())
    return _PB


def etag() -> str:
    """kube-apiserver's ETag of /openapi/v2: a hash of the document (here of the shipped bytes)."""
    global _HASH
    if _HASH is None:
        import hashlib

        from minikctl.api import swagger

        _HASH = hashlib.sha512(swagger.raw()).hexdigest().upper()
    return _HASH


def answer(req):
    """The Response to GET /openapi/v2."""
    from minikctl.apiserver.rest import JSON, Response

    accept = req.headers.get("accept", "") or ""
    headers = [("Etag", f'"{etag()}"'), ("Vary", "Accept"), ("X-Varied-Accept", accept)]
    if PROTO_V2 in accept or PROTO_V2_TYPE in accept:
        return Response(200, protobuf(), PROTO_V2_TYPE, headers=headers)
    from minikctl.api import swagger

    if "gzip" in req.headers.get("accept-encoding", ""):
        return Response(200, swagger.raw(), JSON, headers=headers + [("Content-Encoding", "gzip")])
    import gzip

    return Response(200, gzip.decompress(swagger.raw()), JSON, headers=headers)
