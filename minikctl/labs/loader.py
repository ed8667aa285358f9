"""Reading a lab file: YAML with the line of every value kept, validated against the JSON Schema
shipped beside this module (schema.json), then the checks' own rules (which fields each check
type takes, selectors, regular expressions, JSONPath templates, command lines).

Every problem is a LintError: the file, the line and what is wrong, printed as one line
`FILE:LINE: PATH: MESSAGE` (PATH is where in the document, e.g. tasks[2].checks[0]).
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")
SCHEMA_PATH = os.path.join(HERE, "schema.json")


class LintError(Exception):
    def __init__(self, file: str, line: int, where: str, message: str):
        self.file, self.line, self.where, self.message = file, line, where, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class LabFileError(Exception):
    """A lab file with problems: all of them, in file order."""

    def __init__(self, errors: list[LintError]):
        self.errors = errors
        super().__init__(str(errors[0]) if errors else "")


@lru_cache(maxsize=1)
def schema() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


# --------------------------------------------------------------------------- YAML with lines
def _where(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def parse_yaml(text: str, file: str) -> tuple[object, dict]:
    """The document and {path tuple: line} for every value (and ("key", path) for mapping keys)."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LabFileError([LintError(file, 1, "", "the file is empty: a lab is a YAML mapping")])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise LabFileError([LintError(file, line, "", f"invalid YAML: {e.problem or e.context}")]) from None
    except yaml.YAMLError as e:
        raise LabFileError([LintError(file, 1, "", f"invalid YAML: {e}")]) from None
    finally:
        loader.dispose()
    lines: dict = {}
    errors: list[LintError] = []
    _walk(node, data, (), lines, errors, file)
    if errors:
        raise LabFileError(errors)
    return data, lines


def _walk(node, value, path: tuple, lines: dict, errors: list, file: str) -> None:
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode) and isinstance(value, dict):
        seen: dict[str, int] = {}
        for knode, vnode in node.value:
            key = knode.value if isinstance(knode, yaml.ScalarNode) else None
            if key is None or key == "<<":
                continue
            kline = knode.start_mark.line + 1
            if key in seen:
                errors.append(LintError(file, kline, _where(path), f'duplicate key "{key}" (first at line {seen[key]})'))
                continue
            seen[key] = kline
            k = key if key in value else next((x for x in value if str(x) == key), None)
            if k is None:
                continue
            lines[("key",) + path + (k,)] = kline
            _walk(vnode, value[k], path + (k,), lines, errors, file)
    elif isinstance(node, yaml.SequenceNode) and isinstance(value, list):
        for i, (vnode, v) in enumerate(zip(node.value, value)):
            _walk(vnode, v, path + (i,), lines, errors, file)


def line_of(lines: dict, path: tuple, key: bool = False) -> int:
    if key and ("key",) + path in lines:
        return lines[("key",) + path]
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


# --------------------------------------------------------------------------- JSON Schema (subset)
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def _is_type(value, t: str) -> bool:
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "null":
        return value is None
    return isinstance(value, _TYPES[t])


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def validate(value, sch: dict, path: tuple = (), root: dict | None = None) -> list[tuple[tuple, bool, str]]:
    """The schema errors of value: [(path, at_key, message)], for the keywords schema.json uses
    (type, enum, pattern, minLength, minimum, required, properties, additionalProperties,
    items, minItems, oneOf, $ref)."""
    root = root or sch
    if "$ref" in sch:
        ref = sch["$ref"]
        target = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return validate(value, target, path, root)
    errs: list = []
    t = sch.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        if not any(_is_type(value, x) for x in types):
            return [(path, False, f"must be {' or '.join(types)}, not {_type_name(value)}")]
    if "enum" in sch and value not in sch["enum"]:
        return [(path, False, f"must be one of {', '.join(map(str, sch['enum']))}, not {value!r}")]
    if isinstance(value, str):
        if "minLength" in sch and len(value) < sch["minLength"]:
            errs.append((path, False, "must not be empty"))
        if "pattern" in sch and not re.search(sch["pattern"], value):
            errs.append((path, False, f"{value!r} does not match {sch['pattern']}"))
    if _is_type(value, "number") and "minimum" in sch and value < sch["minimum"]:
        errs.append((path, False, f"must be at least {sch['minimum']}"))
    if isinstance(value, list):
        if "minItems" in sch and len(value) < sch["minItems"]:
            errs.append((path, False, f"must have at least {sch['minItems']} item(s)"))
        if "items" in sch:
            for i, v in enumerate(value):
                errs += validate(v, sch["items"], path + (i,), root)
    if isinstance(value, dict):
        for r in sch.get("required", ()):
            if r not in value:
                errs.append((path, False, f'missing required field "{r}"'))
        props = sch.get("properties", {})
        extra = sch.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                errs += validate(v, props[k], path + (k,), root)
            elif extra is False:
                known = ", ".join(sorted(props))
                errs.append((path + (k,), True, f'unknown field "{k}" (known: {known})'))
            elif isinstance(extra, dict):
                errs += validate(v, extra, path + (k,), root)
    if "oneOf" in sch and not errs:
        branches = sch["oneOf"]
        keys = [b["required"][0] for b in branches if list(b) == ["required"] and len(b["required"]) == 1]
        if len(keys) == len(branches) and isinstance(value, dict):
            found = [k for k in keys if k in value]
            if len(found) != 1:
                what = f"has {len(found)}: {', '.join(found)}" if found else "has none"
                errs.append((path, False, f"must have exactly one check type ({', '.join(keys)}); it {what}"))
        else:
            results = [validate(value, b, path, root) for b in branches]
            if not any(not r for r in results):
                matching = [r for b, r in zip(branches, results)
                            if "type" not in b or _is_type(value, b["type"])]
                errs += (matching or results)[0]
    return errs


# --------------------------------------------------------------------------- loading
def read_file(path: str, display: str | None = None) -> "Lab":
    from minikctl.labs.model import Lab

    display = display or path
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise LabFileError([LintError(display, 0, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise LabFileError([LintError(display, 0, "", f"cannot read the file: {getattr(e, 'strerror', None) or e}")]) from None
    data, lines = parse_yaml(text, display)
    errors = [LintError(display, line_of(lines, p, key), _where(p), msg) for p, key, msg in validate(data, schema())]
    if not errors:
        from minikctl.labs.checks import lint_lab

        errors = [LintError(display, line_of(lines, p, key), _where(p), msg) for p, key, msg in lint_lab(data)]
    if errors:
        errors.sort(key=lambda e: e.line)
        raise LabFileError(errors)
    return Lab(data, path)


def bundled_paths() -> dict[str, str]:
    """name -> path of every lab shipped in minikctl/labs/data (the file name is the lab's name)."""
    out = {}
    for root, _dirs, files in os.walk(DATA_DIR):
        for f in files:
            if f.endswith((".yaml", ".yml")):
                out[f.rsplit(".", 1)[0]] = os.path.join(root, f)
    return dict(sorted(out.items()))


def find(name_or_path: str) -> "Lab":
    """A bundled lab by name, or a lab file by path."""
    from minikctl.api.errors import UsageError

    paths = bundled_paths()
    if name_or_path in paths:
        return read_file(paths[name_or_path], display=os.path.relpath(paths[name_or_path], os.path.dirname(HERE)))
    if os.sep in name_or_path or name_or_path.endswith((".yaml", ".yml")) or os.path.exists(name_or_path):
        return read_file(name_or_path)
    raise UsageError(f'lab "{name_or_path}" not found; `minikctl lab list` shows the bundled labs')
