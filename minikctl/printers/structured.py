"""-o yaml / -o json / -o name, as kubectl prints them.

YAML follows sigs.k8s.io/yaml (JSON -> YAML, go-yaml v2 underneath): keys sorted, sequences not
indented under their key, strings that would read as another type double-quoted, long strings
folded at 80 columns as go-yaml's emitter folds them (PyYAML's emitter is the same libyaml port).

JSON follows encoding/json's MarshalIndent: ``<``, ``>``, ``&``, U+2028 and U+2029 escaped; keys
sorted for what kubectl holds as unstructured (get, apply, create -f, label, patch ...), and in
the order of the Go struct's fields for the typed objects kubectl builds itself (create
deployment|service|..., run, expose): that order is gotypes.json, generated from k8s.io/api
v0.32 by tools/gen_gotypes.py.
"""

from __future__ import annotations

import json

from minikctl.api import kinds as K


def as_list(objs: list[dict]) -> dict:
    return {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {"resourceVersion": ""}}


def to_json(obj: dict, typed: bool = False) -> str:
    if typed:
        return go_escape(json.dumps(typed_order(obj), indent=4, ensure_ascii=False)) + "\n"
    return go_escape(json.dumps(obj, indent=4, ensure_ascii=False, sort_keys=True)) + "\n"


def go_escape(text: str) -> str:
    """encoding/json's HTML-safe escaping on text json.dumps wrote (these characters can only
    be inside its strings)."""
    if "<" in text or ">" in text or "&" in text:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


_GOTYPES = None


def _gotypes() -> dict:
    global _GOTYPES
    if _GOTYPES is None:
        import os

        with open(os.path.join(os.path.dirname(__file__), "gotypes.json"), encoding="utf-8") as f:
            _GOTYPES = json.load(f)
    return _GOTYPES


def typed_order(obj: dict) -> dict:
    """The object with its keys in the order encoding/json writes the Go struct of its kind
    (fields the struct does not have, sorted, after them, as an unstructured map would hold them)."""
    if not isinstance(obj, dict):
        return obj
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    if kind == "List" and api_version == "v1":  # corev1.List: TypeMeta, ListMeta, Items (RawExtension)
        out = {k: obj[k] for k in ("kind", "apiVersion", "metadata") if k in obj}
        if "items" in obj:
            out["items"] = [_sorted(i) for i in obj["items"]]
        return out
    t = _gotypes()["kinds"].get(f"{api_version}/{kind}")
    if t is None:
        return _sorted(obj)
    return _order(obj, t, _gotypes()["types"])


def _sorted(v):
    if isinstance(v, dict):
        return {k: _sorted(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sorted(x) for x in v]
    return v


def _order(v, t: str | None, types: dict):
    if t is None or t not in types:
        return _sorted(v) if isinstance(v, (dict, list)) else v
    if isinstance(v, list):
        return [_order(x, t, types) for x in v]
    if not isinstance(v, dict):
        return v
    fields = types[t]
    out = {}
    names = set()
    for name, ref in fields:
        names.add(name)
        if name in v:
            x = v[name]
            if ref is None:
                out[name] = _sorted(x) if isinstance(x, (dict, list)) else x
            elif ref.startswith("map:") and isinstance(x, dict):  # map[string]T: keys sorted
                out[name] = {k: _order(x[k], ref[4:], types) for k in sorted(x)}
            else:
                out[name] = _order(x, ref, types)
    for k in sorted(v):
        if k not in names:
            out[k] = _sorted(v[k])
    return out


_DUMPER = None


def _dumper():
    global _DUMPER
    if _DUMPER is not None:
        return _DUMPER
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    resolver = yaml.resolver.Resolver()

    class Dumper(base):  # type: ignore[misc, valid-type]
        pass

    def str_rep(dumper, value: str):
        if "\n" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        # go-yaml v2 (what kubectl's sigs.k8s.io/yaml uses) also reads y/Y/n/N as booleans and quotes them
        if value == "" or value in ("y", "Y", "n", "N") or resolver.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, str_rep)
    _DUMPER = Dumper
    return Dumper


def to_yaml(obj: dict) -> str:
    import yaml

    return yaml.dump(obj, Dumper=_dumper(), sort_keys=True, default_flow_style=False, allow_unicode=True,
                     width=80)


def name_of(obj: dict) -> str:
    """-o name: kind.group/name in lower case (service/web, deployment.apps/web)."""
    k = K.by_kind(obj.get("kind", ""))
    if k is None:
        return f"{obj.get('kind', '').lower()}/{obj.get('metadata', {}).get('name', '')}"
    prefix = f"{k.kind.lower()}.{k.group}" if k.group else k.kind.lower()
    return f"{prefix}/{obj['metadata']['name']}"
