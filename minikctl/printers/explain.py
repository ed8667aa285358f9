"""``kubectl explain`` output from an OpenAPI v3 document, byte for byte as kubectl 1.32 prints it.

A port of kubectl's plaintext template (staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl,
with the template functions of explain/v2/funcs.go and github.com/mitchellh/go-wordwrap v1.0.1's
WrapString). Each function below is one ``define`` of the template, with its quirks: Go templates range
over map keys in sorted order; truthiness is Go's (an empty map, list or string is false); the cycle
``history`` is copied, never shared, between siblings.

As kubectl writes the template's output straight to stdout while it executes, an error met part-way
(``field "x" does not exist``) comes after the header that was already printed: ``ExplainError.partial``.
"""

from __future__ import annotations

from minikctl.api.openapi import resolve_ref


class ExplainError(Exception):
    """A template ``throw``: the message is printed as is (it already starts with ``error: ``)."""

    def __init__(self, message: str, partial: str = ""):
        super().__init__(message)
        self.partial = partial


def _go_space(c: str) -> bool:
    """Go's unicode.IsSpace."""
    if c <= "\xff":
        return c in "\t\n\v\f\r \x85\xa0"
    return c.isspace()


def wrap(limit: int, s: str) -> str:
    """go-wordwrap v1.0.1 WrapString (kubectl's term.NewWordWrapWriter); limit 0 does not wrap."""
    if limit <= 0:
        return s
    out: list[str] = []
    word: list[str] = []
    space: list[str] = []
    current = 0
    for c in s:
        if c == "\n":
            if not word:
                if current + len(space) > limit:
                    current = 0
                else:
                    current += len(space)
                    out.extend(space)
                space = []
            else:
                current += len(space) + len(word)
                out.extend(space)
                space = []
                out.extend(word)
                word = []
            out.append(c)
            current = 0
        elif _go_space(c) and c != "\xa0":
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                space = []
                out.extend(word)
                word = []
            space.append(c)
        else:
            word.append(c)
            if current + len(word) + len(space) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, s: str) -> str:
    pad = " " * amount
    return pad + s.replace("\n", "\n" + pad)


def _map(v: object) -> dict | None:
    """A non-bool additionalProperties / items value that Go's template treats as true."""
    return v if isinstance(v, dict) and v else None


def _resolve(schema: dict, doc: dict) -> dict:
    """``or (resolveRef $ref $.Document) $.schema``."""
    return resolve_ref(schema.get("$ref"), doc) or schema


def _go_str(v: object) -> str:
    """How a JSON value prints in a Go template (fmt's %v)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e21:
            return str(int(v))
        return repr(v)
    if v is None:
        return "<nil>"
    return str(v)


class _Explainer:
    def __init__(self, doc: dict, recursive: bool):
        self.doc = doc
        self.recursive = recursive

    # {{ define "typeGuess" }}
    def type_guess(self, schema: dict) -> str:
        if not schema:
            raise ExplainError("template: plaintext:typeGuess: expected schema argument to subtemplate 'typeguess'")
        if _map(schema.get("items")):
            return "[]" + self.type_guess(schema["items"])
        if _map(schema.get("additionalProperties")):
            return "map[string]" + self.type_guess(schema["additionalProperties"])
        all_of = schema.get("allOf")
        if all_of and not schema.get("properties") and len(all_of) == 1:
            return self.type_guess(all_of[0])
        ref = schema.get("$ref")
        if ref:
            ref_schema = resolve_ref(ref, self.doc)
            if not ref_schema or not ref_schema.get("type") or ref_schema.get("type") == "object":
                return ref.split("/")[-1].split(".")[-1] or "Object"
            return ref_schema["type"]
        t = schema.get("type")
        if t == "object":
            return "Object"
        return t or "Object"

    # {{ define "extractEnum" }}
    @staticmethod
    def extract_enum(schema: dict, long_view: bool, limit: int, indent_amount: int = 0) -> str:
        enum = schema.get("enum") if schema else None
        if not enum:
            return ""
        limit = limit or -1
        out = ["\n" + " " * indent_amount + "enum: "] if not long_view else ["ENUM:"]
        for i, e in enumerate(enum):
            if limit > -1 and i >= limit:
                out.append(", ....")
                break
            if i > 0 and not long_view:
                out.append(", ")
            elif long_view:
                out.append("\n    ")
            out.append('""' if e == "" and isinstance(e, str) else _go_str(e))
        return "".join(out)

    # {{ define "description" }}
    def description(self, schema: dict) -> str:
        s = _resolve(schema, self.doc)
        if not s:
            return ""
        out = []
        if s.get("description"):
            out.append(s["description"] + "\n")
        for sub in s.get("allOf") or ():
            out.append(self.description(sub))
        if _map(s.get("items")):
            out.append(self.description(s["items"]))
        if _map(s.get("additionalProperties")):
            out.append(self.description(s["additionalProperties"]))
        return "".join(out)

    # {{ define "fieldDetail" }}
    def field_detail(self, name: str, schema: dict, short: bool, level: int) -> str:
        amount = level * 2
        field = schema["properties"][name]
        out = [indent(amount, name), "\t<", self.type_guess(field), ">"]
        if name in (schema.get("required") or ()):
            out.append(" -required-")
        out.append(self.extract_enum(field, False, 4, amount))
        out.append("\n")
        if not short:
            out.append(indent(amount + 2, wrap(78 - amount, field.get("description") or "<no description>")))
            out.append("\n\n")
        return "".join(out)

    # {{ define "fieldList" }}
    def field_list(self, schema: dict, level: int, history: dict) -> str:
        ref = schema.get("$ref") or ""
        if ref and history.get(ref):
            return ""  # a cycle
        nxt = dict(history)
        nxt[ref] = 1
        resolved = _resolve(schema, self.doc)
        out = []
        props = resolved.get("properties") or {}
        for k in sorted(props):
            out.append(self.field_detail(k, resolved, self.recursive, level))
            if self.recursive:
                out.append(self.field_list(props[k], level + 1, nxt))
        for sub in resolved.get("allOf") or ():
            out.append(self.field_list(sub, level, nxt))
        if _map(resolved.get("items")):
            out.append(self.field_list(resolved["items"], level, nxt))
        if _map(resolved.get("additionalProperties")):
            out.append(self.field_list(resolved["additionalProperties"], level, nxt))
        return "".join(out)

    # {{ define "output" }}
    def output(self, schema: dict, history: dict, path: list[str]) -> str:
        ref = schema.get("$ref") or ""
        nxt = dict(history)
        nxt[ref] = 1
        resolved = _resolve(schema, self.doc)
        if not path:
            out = ["DESCRIPTION:\n",
                   indent(4, wrap(76, self.description(resolved) or "<empty>")), "\n"]
            fields = self.field_list(resolved, 1, {})
            if fields:
                out.append("FIELDS:\n")
                out.append(fields)
            return "".join(out)
        if ref and history.get(ref):
            return ""  # a cycle
        props = resolved.get("properties")
        if props and props.get(path[0]):
            sub = props[path[0]]
            head = ""
            if len(path) == 1:
                head = (f"FIELD: {path[0]} <{self.type_guess(sub)}>\n"
                        + self.extract_enum(sub, True, -1) + "\n\n")
            return head + self.output(sub, {}, path[1:])
        if _map(resolved.get("items")):
            return self.output(resolved["items"], nxt, path)
        if _map(resolved.get("additionalProperties")):
            return self.output(resolved["additionalProperties"], nxt, path)
        for sub in resolved.get("allOf") or ():
            text = self.output(sub, nxt, path)
            if text:
                return text
        return ""


def gvk_for_resource(doc: dict, group: str, version: str, resource: str) -> dict | None:
    """The template's search of the document's paths for the resource's x-kubernetes-group-version-kind
    (list and item paths, cluster-scoped then namespaced; the last one found wins, as there)."""
    prefix = f"/apis/{group}" if group else "/api"
    searches = (f"{prefix}/{version}/{resource}", f"{prefix}/{version}/{resource}/{{name}}",
                f"{prefix}/{version}/namespaces/{{namespace}}/{resource}",
                f"{prefix}/{version}/namespaces/{{namespace}}/{resource}/{{name}}")
    gvk = None
    all_paths = doc.get("paths") or {}
    for p in searches:
        element = all_paths.get(p)
        if not element:
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            m = element.get(method)
            if m:
                gvk = m.get("x-kubernetes-group-version-kind")
                if gvk:
                    break
    return gvk or None


def _gvk_string(gvk: object) -> str:
    """fmt's %v of a map[string]interface{}: map[k:v ...] with sorted keys."""
    if isinstance(gvk, dict):
        return "map[" + " ".join(f"{k}:{_go_str(gvk[k])}" for k in sorted(gvk)) + "]"
    return _go_str(gvk)


def render(doc: dict, group: str, version: str, resource: str, field_path: list[str], recursive: bool) -> str:
    """The ``plaintext`` template: raises ExplainError (with what was printed before it) on a template throw."""
    gvk = gvk_for_resource(doc, group, version, resource)
    if not gvk:
        gvr = f"{group}/{version}, Resource={resource}"
        raise ExplainError(f"error: GVR ({gvr}) not found in OpenAPI schema")
    head = []
    if gvk.get("group"):
        head.append(f"GROUP:      {_go_str(gvk['group'])}\n")
    head.append(f"KIND:       {_go_str(gvk.get('kind'))}\n")
    head.append(f"VERSION:    {_go_str(gvk.get('version'))}\n\n")
    head_text = "".join(head)
    ex = _Explainer(doc, recursive)
    schemas = (doc.get("components") or {}).get("schemas") or {}
    body = ""
    for name in sorted(schemas):
        schema = schemas[name]
        if gvk in (schema.get("x-kubernetes-group-version-kind") or ()):
            try:
                body = ex.output(schema, {}, list(field_path))
            except ExplainError as e:
                raise ExplainError(str(e), head_text) from None
            if not body:
                raise ExplainError(f'error: field "{field_path[-1]}" does not exist', head_text)
            break
    if not body:
        raise ExplainError(f"error: GVK {_gvk_string(gvk)} not found in OpenAPI schema", head_text)
    return head_text + body + "\n"
