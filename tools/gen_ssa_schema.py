"""Generate minikctl/api/ssa_schema.json: what server-side apply needs of the Kubernetes 1.32
OpenAPI v3 schema shipped in minikctl/api/openapi_v3/ (issue 14, w-ssa), converted as
kube-openapi's schemaconv converts it for structured-merge-diff, without the descriptions, so that
a write does not parse the documents:

    python3 tools/gen_ssa_schema.py

Output: {"kinds": {"apps/v1/Deployment": "io.k8s.api.apps.v1.Deployment", ...},
         "types": {"io.k8s.api.apps.v1.Deployment": T, ...}}
where a type T is "s" (a scalar), "u" (deduced from the value: IntOrString is "s"; RawExtension,
preserve-unknown-fields and objects without properties are "u"), a map
{"m": {field: T or "#Name"}, "e": elements (additionalProperties), "a": 1 when atomic} or a list
{"l": "atomic"|"set"|"map", "k": [keys], "d": {key: default}, "e": elements}. "#Name" refers to
another type. A list's type comes from x-kubernetes-list-type, else from the patch strategy
(`merge` with x-kubernetes-patch-merge-key: map keyed by it; `merge` alone: set; else atomic).
"""

from __future__ import annotations

import gzip
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "minikctl", "api", "openapi_v3")
OUT = os.path.join(ROOT, "minikctl", "api", "ssa_schema.json")


def _ref_name(s: dict) -> str | None:
    if "$ref" in s:
        return s["$ref"].rsplit("/", 1)[-1]
    all_of = s.get("allOf")
    if all_of and len(all_of) == 1 and "$ref" in all_of[0] and "properties" not in s and "items" not in s:
        return all_of[0]["$ref"].rsplit("/", 1)[-1]
    return None


def convert(s: dict, schemas: dict, outer: dict | None = None):
    """A schema (a property's, an items', a component's) as a type or a "#Name" reference."""
    outer = outer or s
    name = _ref_name(s)
    if name is not None:
        target = schemas.get(name, {})
        # list and map extensions written on the property win over the referenced type's
        if target.get("type") == "array" or outer.get("x-kubernetes-map-type") or \
                outer.get("x-kubernetes-list-type"):
            return convert(target, schemas, {**target, **{k: v for k, v in outer.items() if k.startswith("x-")}})
        return "#" + name
    if s.get("x-kubernetes-int-or-string"):
        return "s"
    if s.get("x-kubernetes-preserve-unknown-fields"):
        return "u"
    t = s.get("type")
    if t == "array":
        out: dict = {}
        lt = outer.get("x-kubernetes-list-type")
        strategy = (outer.get("x-kubernetes-patch-strategy") or "").split(",")
        keys: list = []
        if lt in ("atomic", "set", "map"):
            if lt == "map":
                keys = list(outer.get("x-kubernetes-list-map-keys") or ())
        elif "merge" in strategy:
            key = outer.get("x-kubernetes-patch-merge-key")
            lt, keys = ("map", [key]) if key else ("set", [])
        else:
            lt = "atomic"
        out["l"] = lt
        if keys:
            out["k"] = keys
        items = s.get("items")
        if items is not None:
            out["e"] = convert(items, schemas)
            if keys:
                iname = _ref_name(items)
                props = (schemas.get(iname, {}) if iname else items).get("properties") or {}
                defaults = {k: props[k]["default"] for k in keys if k in props and "default" in props[k]}
                if defaults:
                    out["d"] = defaults
        return out
    if t == "object" or "properties" in s or "additionalProperties" in s:
        props = s.get("properties")
        addl = s.get("additionalProperties")
        if not props and not isinstance(addl, dict):
            return "u"
        out = {"m": {k: convert(v, schemas) for k, v in sorted((props or {}).items())}}
        if isinstance(addl, dict):
            out["e"] = convert(addl, schemas)
        if outer.get("x-kubernetes-map-type") == "atomic":
            out["a"] = 1
        return out
    if t in ("string", "integer", "number", "boolean"):
        return "s"
    return "u"


def main() -> int:
    schemas: dict = {}
    kinds: dict = {}
    for name in sorted(os.listdir(DATA)):
        if not name.endswith("_openapi.json.gz"):
            continue
        with open(os.path.join(DATA, name), "rb") as f:
            doc = json.loads(gzip.decompress(f.read()))
        for cname, s in (doc.get("components") or {}).get("schemas", {}).items():
            schemas.setdefault(cname, s)
    for cname, s in sorted(schemas.items()):
        for gvk in s.get("x-kubernetes-group-version-kind") or ():
            gv = f"{gvk['group']}/{gvk['version']}" if gvk.get("group") else gvk["version"]
            kinds.setdefault(f"{gv}/{gvk['kind']}", cname)
    types = {}
    todo = sorted(set(kinds.values()))
    while todo:
        cname = todo.pop()
        if cname in types or cname not in schemas:
            continue
        t = types[cname] = convert(schemas[cname], schemas, schemas[cname])
        todo.extend(_refs(t))
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"kinds": dict(sorted(kinds.items())), "types": dict(sorted(types.items()))}, f,
                  separators=(",", ":"), sort_keys=True)
        f.write("\n")
    return 0


def _refs(t) -> list[str]:
    if isinstance(t, str):
        return [t[1:]] if t.startswith("#") else []
    out = []
    for v in (t.get("m") or {}).values():
        out.extend(_refs(v))
    if "e" in t:
        out.extend(_refs(t["e"]))
    return out


if __name__ == "__main__":
    sys.exit(main())
