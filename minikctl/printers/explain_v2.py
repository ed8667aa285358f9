"""`explain --output=plaintext-openapiv2`: kubectl 1.32's OpenAPI v2 explain printer over the shipped
Swagger 2.0 document (minikctl.api.swagger), the output kubectl prints from kube-apiserver's /openapi/v2.

The schema model is k8s.io/kube-openapi/pkg/util/proto (document.go ParseSchema: a $ref is a Reference,
``type: object`` with properties a Kind, without them a Map, ``type: array`` an Array, another type a
Primitive, no type and no properties Arbitrary); the printers are staging/src/k8s.io/kubectl/pkg/explain
(field_lookup.go, model_printer.go, fields_printer.go, recursive_fields_printer.go, typename.go,
formatter.go), followed step by step.
"""

from __future__ import annotations

import re

FIELD_INDENT = 3  # model_printer.go fieldIndentLevel
DESCRIPTION_INDENT = 5  # descriptionIndentLevel
INDENT_DESC = 2  # fields_printer.go indentDesc
INDENT_PER_LEVEL = 3  # recursive_fields_printer.go indentPerLevel
WRAP = 80


class ExplainV2Error(Exception):
    pass


class Node:
    """One proto.Schema: kind is "ref", "kind", "map", "array", "primitive" or "arbitrary"."""
    __slots__ = ("kind", "description", "ref", "fields", "required", "sub", "type")

    def __init__(self, kind: str, description: str = ""):
        self.kind, self.description = kind, description or ""
        self.ref = None
        self.fields: dict | None = None
        self.required: list = []
        self.sub = None
        self.type = ""


def parse(s: dict, definitions: dict) -> Node:
    """document.go Definitions.ParseSchema."""
    s = s if isinstance(s, dict) else {}
    desc = s.get("description") or ""
    if s.get("$ref"):
        n = Node("ref", desc)
        n.ref = s["$ref"][len("#/definitions/"):] if s["$ref"].startswith("#/definitions/") else s["$ref"]
        return n
    t = s.get("type")
    types = t if isinstance(t, list) else ([t] if t else [])
    if not types:
        if s.get("properties") is not None:
            return _kind(s, definitions)
        return Node("arbitrary", desc)
    if types[0] == "object":
        if s.get("properties") is not None:
            return _kind(s, definitions)
        n = Node("map", desc)
        ap = s.get("additionalProperties")
        # parseMap: without an additionalProperties schema the value is Arbitrary with the map's own base
        # (description): model_printer prints that description twice, as kubectl does
        n.sub = (lambda: parse(ap, definitions)) if isinstance(ap, dict) else (lambda: Node("arbitrary", desc))
        return n
    if types[0] == "array":
        n = Node("array", desc)
        items = s.get("items")
        items = items[0] if isinstance(items, list) and len(items) == 1 else items
        n.sub = lambda: parse(items, definitions)
        return n
    n = Node("primitive", desc)
    n.type = types[0]
    return n


def _kind(s: dict, definitions: dict) -> Node:
    n = Node("kind", s.get("description") or "")
    n.fields = {k: (lambda v=v: parse(v, definitions)) for k, v in (s.get("properties") or {}).items()}
    n.required = list(s.get("required") or ())
    return n


def _sub(n: Node, definitions: dict) -> Node:
    """A Reference's SubSchema (the definition) or an Array's / Map's SubType."""
    if n.kind == "ref":
        return parse(definitions.get(n.ref) or {}, definitions)
    return n.sub()


def type_name(n: Node, definitions: dict) -> str:
    """typename.go GetTypeName."""
    if n.kind == "array":
        return "[]" + type_name(_sub(n, definitions), definitions)
    if n.kind == "kind":
        return "Object"
    if n.kind == "map":
        return "map[string]" + type_name(_sub(n, definitions), definitions)
    if n.kind == "primitive":
        return n.type
    if n.kind == "ref":
        return type_name(_sub(n, definitions), definitions)
    return ""  # Arbitrary: typeName has no VisitArbitrary


def lookup(n: Node, path: list[str], definitions: dict) -> Node:
    """field_lookup.go LookupSchemaForField."""
    while True:
        if n.kind in ("array", "map", "ref"):
            if not path:
                return n
            n = _sub(n, definitions)
        elif n.kind == "primitive" or n.kind == "arbitrary":
            return n
        else:  # kind
            if not path:
                return n
            field = n.fields.get(path[0])
            if field is None:
                raise ExplainV2Error(f'field "{path[0]}" does not exist')
            path = path[1:]
            n = field()


# -------------------------------------------------------------------------------- formatter.go
_BULLET = re.compile(r"^(\d+\.?|-|\*)\s")


def _should_start_new_line(last_word: str, s: str) -> bool:
    if last_word.endswith(":"):
        return True
    if s.startswith("    "):
        return True
    s = s.strip()
    if not s:
        return True
    return bool(_BULLET.match(s))


def wrap_string(text: str, wrap: int) -> list[str]:
    wrapped: list[str] = []
    words: list[str] = []
    last_word = ""

    def flush():
        nonlocal words, last_word
        if words:
            last_word = ""
            wrapped.append(" ".join(words))
            words = []

    for s in text.split("\n"):
        if s.startswith("    "):
            flush()
            wrapped.append(s)
            continue
        if wrapped and not s.strip():
            flush()
            wrapped.append("")
            continue
        if _should_start_new_line(last_word, s):
            flush()
        for word in s.split():
            last_word = word
            if words and len(" ".join(words + [word])) > wrap:
                flush()
            words.append(word)
    flush()
    return wrapped


class Formatter:
    def __init__(self, out: list[str], indent: int = 0):
        self.out, self.indent_level = out, indent

    def indent(self, n: int) -> "Formatter":
        return Formatter(self.out, self.indent_level + n)

    def write(self, s: str) -> None:
        self.out.append("\n" if s == "" else " " * self.indent_level + s + "\n")

    def write_wrapped(self, s: str) -> None:
        for line in wrap_string(s, WRAP - self.indent_level):
            self.write(line)


# ------------------------------------------------------------------------ model_printer.go and fields
def _print_description(w: Formatter, descriptions: list[str], n: Node) -> None:
    w.write("DESCRIPTION:")
    empty = True
    for i, desc in enumerate(descriptions + [n.description]):
        if not desc:
            continue
        empty = False
        if i != 0:
            w.write("")
        w.indent(DESCRIPTION_INDENT).write_wrapped(desc)
    if empty:
        w.indent(DESCRIPTION_INDENT).write_wrapped("<empty>")


def _regular_fields(w: Formatter, n: Node, definitions: dict) -> None:
    while n.kind in ("array", "map", "ref"):
        n = _sub(n, definitions)
    if n.kind != "kind":
        return
    for key in sorted(n.fields):
        v = n.fields[key]()
        required = " -required-" if key in n.required else ""
        w.write(f"{key}\t<{type_name(v, definitions)}>{required}")
        w.indent(INDENT_DESC).write_wrapped(v.description)
        w.write("")


def _recursive_fields(w: Formatter, n: Node, definitions: dict, visited: set) -> None:
    if n.kind in ("array", "map"):
        _recursive_fields(w, _sub(n, definitions), definitions, visited)
        return
    if n.kind == "ref":
        if n.ref in visited:
            return
        visited.add(n.ref)
        _recursive_fields(w, _sub(n, definitions), definitions, visited)
        visited.discard(n.ref)
        return
    if n.kind != "kind":
        return
    for key in sorted(n.fields):
        v = n.fields[key]()
        w.write(f"{key}\t<{type_name(v, definitions)}>")
        _recursive_fields(w.indent(INDENT_PER_LEVEL), v, definitions, visited)


def print_model(name: str, n: Node, gvk: tuple[str, str, str], definitions: dict, recursive: bool) -> str:
    """model_printer.go PrintModel. gvk: (group, version, kind)."""
    out: list[str] = []
    w = Formatter(out)
    group, version, kind = gvk
    descriptions: list[str] = []
    typ = ""

    def kind_and_version():
        w.write(f"KIND:     {kind}")
        w.write(f"VERSION:  {group + '/' + version if group else version}\n")

    while True:
        if n.kind == "array" or n.kind == "map":
            descriptions.append(n.description)
            if not typ:
                typ = type_name(n, definitions)
            n = _sub(n, definitions)
        elif n.kind == "ref":
            descriptions.append(n.description)
            n = _sub(n, definitions)
        elif n.kind == "kind":
            kind_and_version()
            if not typ:
                typ = "Object"
            if name:
                w.write(f"RESOURCE: {name} <{typ}>\n")
            _print_description(w, descriptions, n)
            w.write("\nFIELDS:")
            if recursive:
                _recursive_fields(w.indent(FIELD_INDENT), n, definitions, set())
            else:
                _regular_fields(w.indent(FIELD_INDENT), n, definitions)
            break
        elif n.kind == "primitive":
            kind_and_version()
            if not typ:
                typ = n.type
            w.write(f"FIELD:    {name} <{typ}>\n")
            _print_description(w, descriptions, n)
            break
        else:  # arbitrary
            kind_and_version()
            _print_description(w, descriptions, n)
            break
    return "".join(out)


def render(doc: dict, group: str, version: str, kind: str, fields: list[str], recursive: bool) -> str:
    """explain.go PrintModelDescription for the resource of this group/version/kind."""
    definitions = doc.get("definitions") or {}
    want = {"group": group, "kind": kind, "version": version}
    schema = next((s for s in definitions.values() if want in (s.get("x-kubernetes-group-version-kind") or ())), None)
    if schema is None:
        raise ExplainV2Error(f'couldn\'t find resource for "{group}/{version}, Kind={kind}"')
    n = lookup(parse(schema, definitions), list(fields), definitions)
    return print_model(fields[-1] if fields else "", n, (group, version, kind), definitions, recursive)
