"""Regenerate minikctl/apiserver/proto_schema.json.gz: the message tables of Kubernetes' own
.proto definitions (k8s.io/api */generated.proto, k8s.io/apimachinery */generated.proto) for
the groups `minikctl serve` accepts protobuf bodies of (kubectl's typed create commands send
application/vnd.kubernetes.protobuf).

    python3 tools/proto_schema.py API_REPO APIMACHINERY_REPO

where each is a git directory (a clone or a bare mirror) of kubernetes/api and
kubernetes/apimachinery. The output maps each fully qualified message to its fields:
{"k8s.io.api.apps.v1.Deployment": {"1": ["metadata", "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", "o"], ...}}
with label "o" (optional), "r" (repeated) or "m" (map; type is [key type, value type]).
Field numbers never change between Kubernetes versions (protobuf compatibility), so a newer
checkout decodes 1.32's messages.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys

API_FILES = ["core/v1", "apps/v1", "batch/v1", "networking/v1", "policy/v1", "rbac/v1", "scheduling/v1",
             "storage/v1", "discovery/v1", "autoscaling/v1", "autoscaling/v2", "coordination/v1", "events/v1"]
MACHINERY_FILES = ["pkg/apis/meta/v1", "pkg/runtime", "pkg/runtime/schema", "pkg/util/intstr", "pkg/api/resource"]

_MESSAGE = re.compile(r"^message (\w+) \{$")
_FIELD = re.compile(r"^\s*(optional|repeated) ([\w.]+) (\w+) = (\d+)")
_MAP = re.compile(r"^\s*map<([\w.]+), ([\w.]+)> (\w+) = (\d+)")
SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
           "sfixed32", "sfixed64", "bool", "string", "bytes"}


def _show(repo: str, path: str) -> str:
    return subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], capture_output=True, text=True,
                          check=True).stdout


def parse(text: str, out: dict) -> None:
    pkg = re.search(r"^package ([\w.]+);", text, re.M).group(1)

    def qualify(t: str) -> str:
        if t in SCALARS:
            return t
        return t.lstrip(".") if t.startswith(".") else f"{pkg}.{t}"

    current = None
    depth = 0
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("//"):
            continue
        m = _MESSAGE.match(s)
        if m and depth == 0:
            current = out.setdefault(f"{pkg}.{m.group(1)}", {})
            depth = 1
            continue
        if current is None:
            continue
        if s == "}":
            depth -= 1
            if depth == 0:
                current = None
            continue
        m = _MAP.match(s)
        if m:
            current[m.group(4)] = [m.group(3), [qualify(m.group(1)), qualify(m.group(2))], "m"]
            continue
        m = _FIELD.match(s)
        if m:
            current[m.group(4)] = [m.group(3), qualify(m.group(2)), "r" if m.group(1) == "repeated" else "o"]


_STRUCT = re.compile(r"^type (\w+) struct \{")
_TAGGED = re.compile(r'^\t(?:(\w+) +)?[\w.*\[\]]+ +`json:"([^"]*)".*protobuf:"[^"]*name=(\w+)')


def json_names(text: str, pkg: str, out: dict) -> None:
    """From the Go types: proto fields whose JSON name differs, and embedded structs whose
    fields JSON inlines (`json:""` or `json:",inline"`): those get the name "" (label "i")."""
    current = None
    for line in text.splitlines():
        m = _STRUCT.match(line)
        if m:
            current = f"{pkg}.{m.group(1)}"
            continue
        if line.startswith("}"):
            current = None
            continue
        if current is None:
            continue
        m = _TAGGED.match(line)
        if not m:
            continue
        go_name, tag, proto_name = m.groups()
        json_name = tag.split(",")[0]
        if json_name == "-":
            continue
        if not json_name and go_name is None:  # embedded: inlined by encoding/json
            out.setdefault(current, {})[proto_name] = ""
        elif json_name and json_name != proto_name:
            out.setdefault(current, {})[proto_name] = json_name


def main(api: str, machinery: str) -> None:
    out: dict = {}
    renames: dict = {}
    for gv in API_FILES:
        text = _show(api, f"{gv}/generated.proto")
        parse(text, out)
        pkg = re.search(r"^package ([\w.]+);", text, re.M).group(1)
        json_names(_show(api, f"{gv}/types.go"), pkg, renames)
    for p in MACHINERY_FILES:
        parse(_show(machinery, f"{p}/generated.proto"), out)
    for msg, fields in renames.items():
        for f in out.get(msg, {}).values():
            if f[0] in fields:
                new = fields[f[0]]
                f[0], f[2] = (new, f[2]) if new else (f[0], "i")
    dest = os.path.join(os.path.dirname(__file__), "..", "minikctl", "apiserver", "proto_schema.json.gz")
    data = json.dumps(out, separators=(",", ":"), sort_keys=True).encode()
    with open(dest, "wb") as f:
        f.write(gzip.compress(data, 9, mtime=0))
    print(f"{len(out)} messages, {len(data)} bytes -> {dest}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
