"""-o yaml / -o json / -o name, as kubectl prints them.

YAML follows sigs.k8s.io/yaml (JSON -> YAML): keys sorted, sequences not indented
under their key, strings that would read as another type double-quoted.
"""

from __future__ import annotations

import json

from minikctl.api import kinds as K


def as_list(objs: list[dict]) -> dict:
    return {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {"resourceVersion": ""}}


def to_json(obj: dict) -> str:
    return json.dumps(obj, indent=4, ensure_ascii=False, sort_keys=True) + "\n"


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
        # ("*", "!", "&" resolve to PyYAML's own "yaml" tag: go-yaml single-quotes them, as PyYAML's emitter does)
        if value == "" or value in ("y", "Y", "n", "N") or \
                resolver.resolve(yaml.ScalarNode, value, (True, False)) not in ("tag:yaml.org,2002:str",
                                                                                "tag:yaml.org,2002:yaml"):
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, str_rep)
    _DUMPER = Dumper
    return Dumper


def to_yaml(obj: dict) -> str:
    import yaml

    return yaml.dump(obj, Dumper=_dumper(), sort_keys=True, default_flow_style=False, allow_unicode=True,
                     width=1 << 30)


def name_of(obj: dict) -> str:
    """-o name: kind.group/name in lower case (service/web, deployment.apps/web)."""
    k = K.by_kind(obj.get("kind", ""))
    if k is None:
        return f"{obj.get('kind', '').lower()}/{obj.get('metadata', {}).get('name', '')}"
    prefix = f"{k.kind.lower()}.{k.group}" if k.group else k.kind.lower()
    return f"{prefix}/{obj['metadata']['name']}"
