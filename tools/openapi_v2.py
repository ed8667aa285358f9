#!/usr/bin/env python3
"""Regenerate minikctl/api/openapi_v2/swagger.json.gz: the OpenAPI v2 (Swagger 2.0) definitions of the
kinds minikctl serves, for `minikctl serve`'s /openapi/v2 and `explain --output=plaintext-openapiv2`.

Source: the Kubernetes 1.32 OpenAPI v3 documents minikctl already ships (minikctl/api/openapi_v3/, from
kubernetes/kubernetes release-1.32 api/openapi-spec/v3; Apache-2.0, The Kubernetes Authors). kube-apiserver
builds /openapi/v2 and /openapi/v3 from the same OpenAPI definitions (k8s.io/kube-openapi pkg/builder and
pkg/builder3); this tool undoes what the v3 builder does differently, schema by schema:

* references point into ``#/definitions/`` instead of ``#/components/schemas/``;
* a reference with siblings (description) is ``$ref`` beside them, not ``allOf: [{$ref}]``;
* no ``default``: the v3 documents have them (``"default": 0`` on ControllerRevision.revision, ``{}`` beside
  references), upstream's swagger.json of the same release has none;
* a definition present in several group-version documents (meta/v1 DeleteOptions, ...) is kept once, with
  the union of their ``x-kubernetes-group-version-kind`` lists.

The definitions are written in name order (the order of upstream's swagger.json), without whitespace,
gzip'd with a zero mtime (reproducible). ``paths`` is left empty: kubectl reads only the definitions of
/openapi/v2 (k8s.io/kube-openapi/pkg/util/proto NewOpenAPIData).

    python3 tools/openapi_v2.py
"""

from __future__ import annotations

import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "minikctl", "api", "openapi_v2", "swagger.json.gz")
V3_PREFIX = "#/components/schemas/"


def to_v2(schema):
    """One schema (recursively) as the v2 builder writes it."""
    if isinstance(schema, list):
        return [to_v2(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    all_of = schema.get("allOf")
    single_ref = (isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict)
                  and set(all_of[0]) == {"$ref"})
    for k, v in schema.items():
        if k == "allOf" and single_ref:
            out["$ref"] = all_of[0]["$ref"].replace(V3_PREFIX, "#/definitions/")
        elif k == "$ref" and isinstance(v, str):
            out[k] = v.replace(V3_PREFIX, "#/definitions/")
        elif k == "default":
            continue  # /openapi/v2 carries no defaults (upstream swagger.json: ControllerRevision.revision)
        elif k in ("properties", "patternProperties", "definitions") and isinstance(v, dict):
            out[k] = {name: to_v2(s) for name, s in v.items()}
        elif k in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[k] = to_v2(v)
        else:
            out[k] = v
    return dict(sorted(out.items()))


def main() -> int:
    sys.path.insert(0, os.path.join(HERE, ".."))
    from minikctl.api import openapi

    definitions: dict[str, dict] = {}
    for path in openapi.paths():
        doc = openapi.document(path)
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            s = to_v2(schema)
            old = definitions.get(name)
            if old is not None:
                gvks = list(old.get("x-kubernetes-group-version-kind") or [])
                for g in s.get("x-kubernetes-group-version-kind") or []:
                    if g not in gvks:
                        gvks.append(g)
                s = {**old, **s}
                if gvks:
                    s["x-kubernetes-group-version-kind"] = sorted(
                        gvks, key=lambda g: (g.get("group", ""), g.get("version", ""), g.get("kind", "")))
            definitions[name] = s
    doc = {"definitions": dict(sorted(definitions.items())),
           "info": {"title": "Kubernetes", "version": "unversioned"},
           "paths": {},
           "security": [{"BearerToken": []}],
           "securityDefinitions": {"BearerToken": {"description": "Bearer Token authentication", "in": "header",
                                                   "name": "authorization", "type": "apiKey"}},
           "swagger": "2.0"}
    data = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(gzip.compress(data, 9, mtime=0))
    print(f"{len(definitions)} definitions, {len(data)} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
