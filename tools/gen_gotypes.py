"""Generate minikctl/printers/gotypes.json: the order in which Go's encoding/json writes the fields
of every stable Kubernetes 1.32 API type (the order of the fields in the Go structs), which is the
key order of kubectl's `-o json` for typed objects (create/run/expose --dry-run=client ...).

Reads k8s.io/api v0.32.9 and k8s.io/apimachinery v0.32.9 from git mirrors (the `fetch` tool's
/work/.mirror/kubernetes+api/repo and kubernetes+apimachinery/repo):

    python3 tools/gen_gotypes.py /work/.mirror/kubernetes+api/repo /work/.mirror/kubernetes+apimachinery/repo

Output: {"kinds": {"apps/v1/Deployment": "apps/v1.Deployment", ...},
         "types": {"apps/v1.Deployment": [["kind", null], ["metadata", "meta/v1.ObjectMeta", "S"], ...]}}
A field's type is the struct its value (or its list's elements) holds, "map:T" for a map of
structs T, else null; a third element says what encoding/json writes for the field at its zero
value when it is not omitted (see _zero).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

TAG = "v0.32.9"
GROUPS = ["core/v1", "apps/v1", "batch/v1", "networking/v1", "discovery/v1", "coordination/v1", "rbac/v1",
          "policy/v1", "scheduling/v1", "autoscaling/v1", "autoscaling/v2", "storage/v1", "events/v1",
          "node/v1", "certificates/v1", "authentication/v1", "authorization/v1", "admissionregistration/v1",
          "apiextensions/v1", "flowcontrol/v1"]
META = ["pkg/apis/meta/v1/types.go", "pkg/apis/meta/v1/group_version.go", "pkg/apis/meta/v1/time.go",
        "pkg/apis/meta/v1/micro_time.go", "pkg/apis/meta/v1/duration.go"]

_STRUCT = re.compile(r"^type (\w+) struct \{\n(.*?)^\}", re.S | re.M)
_FIELD = re.compile(r"^\t(\w+)?\s*([^\s`]+)?\s*`[^`]*json:\"([^\"]*)\"", re.M)


def _show(repo: str, path: str) -> str:
    return subprocess.run(["git", "-C", repo, "show", f"{TAG}:{path}"], capture_output=True, text=True).stdout


def _imports(src: str) -> dict[str, str]:
    out = {}
    for alias, path in re.findall(r'^\s*(\w+)?\s*"([^"]+)"', src.split(")", 1)[0] if "import (" in src else "", re.M):
        name = alias or path.rsplit("/", 1)[-1]
        out[name] = path
    return out


def _pkg_of(import_path: str) -> str | None:
    if import_path == "k8s.io/apimachinery/pkg/apis/meta/v1":
        return "meta/v1"
    m = re.match(r"k8s\.io/api/(\w+)/(\w+)$", import_path)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    return None


# What encoding/json writes for a field at Go's zero value: omitted (no third element), or
# "S" a struct ({} with its own fields' zero values), "N" null, "E" "", "0" 0, "F" false,
# "Q" a resource.Quantity ("0"), "D" a metav1.Duration ("0s").
_ALWAYS = {"meta/v1.Time": "N", "meta/v1.MicroTime": "N", "intstr.IntOrString": "0", "resource.Quantity": "Q",
           "meta/v1.Duration": "D"}
_BASIC = {"string": "E", "bool": "F", "int": "0", "int32": "0", "int64": "0", "uint": "0", "uint32": "0",
          "uint64": "0", "float32": "0", "float64": "0", "byte": "0", "uint8": "0"}
NAMED: dict = {"types.UID": "string"}  # named non-struct types: "pkg.Name" -> underlying Go type


def parse(pkg: str, src: str, types: dict) -> None:
    imports = _imports(src[src.find("import"):])
    for name, underlying in re.findall(r"^type (\w+) ((?:\[\])?\w+|map\[[^\]]+\][\w.*\[\]]+)\s*$", src, re.M):
        if underlying != "struct":
            NAMED[f"{pkg}.{name}"] = underlying
    for name, body in _STRUCT.findall(src):
        fields = []
        for line in body.split("\n"):
            m = re.match(r"^\t([\w.*]+)(?:\s+([^\s`]+))?\s*`[^`]*json:\"([^\"]*)\"", line)
            if not m:
                continue
            fname, ftype, tag = m.groups()
            if ftype is None:  # embedded: `metav1.TypeMeta `json:",inline"``
                ftype, fname = fname, fname.lstrip("*").split(".")[-1]
            jname = tag.split(",")[0]
            if jname == "-":
                continue
            ref = _resolve(pkg, ftype, imports)
            if ref and ftype.lstrip("*").lstrip("[]").startswith("map["):
                ref = "map:" + ref
            if "inline" in tag.split(",")[1:]:
                fields.append(["...", ref])
                continue
            entry = [jname or fname, ref, _zero(pkg, ftype, "omitempty" in tag.split(",")[1:], imports)]
            fields.append(entry)
        types[f"{pkg}.{name}"] = fields


def _qualified(pkg: str, t: str, imports: dict) -> str:
    if "." in t:
        alias, name = t.split(".", 1)
        p = _pkg_of(imports.get(alias, "")) or alias
        return f"{p}.{name}"
    return f"{pkg}.{t}"


def _zero(pkg: str, ftype: str, omitempty: bool, imports: dict):
    nilable = "N" if not omitempty else None
    if ftype.startswith(("*", "[]", "map[")) or ftype in ("interface{}", "any"):
        return nilable
    q = _qualified(pkg, ftype, imports)
    if q in _ALWAYS:
        return _ALWAYS[q]
    if ftype in _BASIC:
        return None if omitempty else _BASIC[ftype]
    under = NAMED.get(q)
    if under is not None:
        if under.startswith(("[]", "map[")):
            return nilable
        return None if omitempty else _BASIC.get(under)
    return "S?" + q  # a struct (resolved once every package is read)


def _resolve(pkg: str, ftype: str, imports: dict) -> str | None:
    t = ftype.lstrip("*")
    t = re.sub(r"^\[\]", "", t)
    t = re.sub(r"^map\[[^\]]+\]", "", t)
    t = t.lstrip("*").lstrip("[]")
    if "." in t:
        alias, name = t.split(".", 1)
        p = _pkg_of(imports.get(alias, ""))
        return f"{p}.{name}" if p else None
    return f"{pkg}.{t}" if t and t[0].isupper() else None


def main(api_repo: str, am_repo: str) -> None:
    types: dict = {}
    kinds: dict = {}
    for path in META:
        parse("meta/v1", _show(am_repo, path), types)
    for g in GROUPS:
        if g.startswith("apiextensions"):
            continue
        src = _show(api_repo, f"{g}/types.go")
        if not src:
            continue
        parse(g, src, types)
        for name in re.findall(r"^// \+genclient[^\n]*\n(?://[^\n]*\n)*type (\w+) struct", src, re.M):
            kinds[name] = None
        group, version = g.split("/")
        api_version = version if group == "core" else f"{_group_name(group)}/{version}"
        for name in re.findall(r"\+k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object\n"
                               r"(?://[^\n]*\n)*type (\w+) struct", src, re.M):
            kinds[f"{api_version}/{name}"] = f"{g}.{name}"
        for name in re.findall(r"^type (\w+) struct \{\n\s*metav1\.TypeMeta", src, re.M):
            kinds.setdefault(f"{api_version}/{name}", f"{g}.{name}")
    kinds = {k: v for k, v in kinds.items() if v}
    # keep only the types reachable from a kind, expanding inline fields in place
    out: dict = {}

    def visit(t: str) -> None:
        if t in out or t not in types:
            return
        out[t] = []
        fields = []
        for entry in types[t]:
            name, ref = entry[0], entry[1]
            if name == "...":
                visit(ref)
                fields.extend(out.get(ref, []))
                continue
            base = ref[4:] if ref and ref.startswith("map:") else ref
            f = [name, ref if base in types and types[base] else None]
            zero = entry[2] if len(entry) > 2 else None
            if zero and zero.startswith("S?"):
                zero = "S" if zero[2:] in types else None  # a struct kept here, else one we do not know
            if zero:
                f.append(zero)
            fields.append(f)
        out[t] = fields
        for f in fields:
            ref = f[1]
            if ref:
                visit(ref[4:] if ref.startswith("map:") else ref)

    for t in kinds.values():
        visit(t)
    json.dump({"kinds": dict(sorted(kinds.items())), "types": dict(sorted(out.items()))}, sys.stdout,
              separators=(",", ":"))
    sys.stdout.write("\n")


def _group_name(group: str) -> str:
    return {"apps": "apps", "batch": "batch", "networking": "networking.k8s.io", "discovery": "discovery.k8s.io",
            "coordination": "coordination.k8s.io", "rbac": "rbac.authorization.k8s.io", "policy": "policy",
            "scheduling": "scheduling.k8s.io", "autoscaling": "autoscaling", "storage": "storage.k8s.io",
            "events": "events.k8s.io", "node": "node.k8s.io", "certificates": "certificates.k8s.io",
            "authentication": "authentication.k8s.io", "authorization": "authorization.k8s.io",
            "admissionregistration": "admissionregistration.k8s.io",
            "flowcontrol": "flowcontrol.apiserver.k8s.io"}[group]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
