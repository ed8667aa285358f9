"""The Kubernetes 1.32 OpenAPI v2 (Swagger 2.0) document of the kinds minikctl serves, shipped as package
data (``openapi_v2/swagger.json.gz``, made by tools/openapi_v2.py from the v3 documents of openapi_v3/; see
openapi_v2/NOTICE). Only `minikctl serve`'s /openapi/v2 and `explain --output=plaintext-openapiv2` load it,
once per process, on first use: no other command's start-up reads it.
"""

from __future__ import annotations

import os

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi_v2", "swagger.json.gz")
_DOC: dict | None = None


def raw() -> bytes:
    """The document's JSON, gzip'd as shipped."""
    with open(PATH, "rb") as f:
        return f.read()


def document() -> dict:
    """The parsed document (cached; callers must not modify it)."""
    global _DOC
    if _DOC is None:
        import gzip
        import json

        _DOC = json.loads(gzip.decompress(raw()))
    return _DOC


def definition_for_kind(group: str, version: str, kind: str) -> tuple[str, dict] | None:
    """(name, schema) of the definition whose x-kubernetes-group-version-kind names this kind, as kubectl's
    openapi.Resources.LookupResource finds it (k8s.io/kubectl/pkg/util/openapi)."""
    want = {"group": group, "kind": kind, "version": version}
    for name, schema in document()["definitions"].items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or ():
            if gvk == want:
                return name, schema
    return None


def resolve(ref: str) -> tuple[str, dict] | None:
    """A ``#/definitions/NAME`` reference: (NAME, schema)."""
    prefix = "#/definitions/"
    if not isinstance(ref, str) or not ref.startswith(prefix):
        return None
    name = ref[len(prefix):]
    schema = document()["definitions"].get(name)
    return (name, schema) if schema is not None else None
