"""Read ``-f`` input: multi-document YAML, JSON and ``kind: List``, with line numbers.

The bytes become plain Kubernetes JSON dicts exactly as kubectl turns them into
unstructured objects: sigs.k8s.io/yaml (go-yaml v2 rules: ``yes``/``no``/``on``/
``off``/``y``/``n`` are booleans, ``0x1f``/``017``/``0o17``/``0b1`` are integers,
timestamps stay strings, ``<<`` merge keys, scalar map keys turned into strings),
then a JSON round trip (integral numbers become ints).

libyaml (PyYAML's C parser) gives the event stream; values are built here
without recursion so that every guard rail (size, depth, node count, alias
expansion, NUL bytes, UTF-8) answers with one line, fast. Each mapping key and
sequence item keeps its 1-based line in the whole file, so that later checks
can say ``svc.yaml:12``.

Errors keep kubectl's wording (staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go
"error parsing %s: %v", staging/src/k8s.io/kubectl/pkg/validation/schema.go
getObjectKind, staging/src/k8s.io/cli-runtime/pkg/resource/mapper.go) with
``FILE:LINE: `` put in front.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator

from minikctl.api import kinds
from minikctl.api.errors import MinikctlError

MAX_BYTES = 20 * 1024 * 1024  # larger input is refused before parsing
MAX_DEPTH = 100  # nesting of mappings and sequences in one object
MAX_NODES = 400_000  # values in one file, alias expansions included (~0.8 s to reach); a 10,000-service
# + 1,000-deployment manifest (the benchmark's) holds ~250,000
MAX_ALIAS_NODES = 100_000  # values produced by alias expansion in one file

STDIN = "STDIN"  # how kubectl names standard input in messages


class ManifestError(MinikctlError):
    """A file cannot be turned into objects. ``render()`` is ``error: FILE:LINE: message``."""

    def __init__(self, source: str, line: int | None, message: str):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


# ---------------------------------------------------------------------------
# Documents and line lookup


# A line tree mirrors a value: (line, children) where children is a dict
# (key -> tree) for a mapping, a list of trees for a sequence, None for a scalar.
LineTree = tuple

_PATH_TOKEN = re.compile(r"\[([^\]]*)\]|\.?([^.\[\]]+)")


def split_path(path: str) -> list[str | int]:
    """``spec.ports[0].selector`` -> ["spec", "ports", 0, "selector"];
    ``metadata.labels[app.kubernetes.io/name]`` keeps the bracketed key whole."""
    out: list[str | int] = []
    for m in _PATH_TOKEN.finditer(path):
        if m.group(2) is not None:
            out.append(m.group(2))
        else:
            k = m.group(1)
            out.append(int(k) if k.isdigit() else k)
    return out


class Document:
    """One object of a manifest. A plain class, not a dataclass: `dataclasses` imports `inspect`
    (about 5 ms), and every `apply -f` reads a manifest. Same fields, equality and repr as the
    dataclass it replaces (lines and _lazy take no part in either)."""

    __hash__ = None  # mutable, compared by value

    def __init__(self, obj: dict, source: str, line: int, index: int, lines: LineTree | None = None,
                 _lazy: tuple | None = None):
        self.obj = obj
        self.source = source  # the file name as given, or "STDIN"
        self.line = line  # 1-based line of the object's first key in the whole file
        self.index = index  # 0-based position among the objects of the file (List items expanded)
        self.lines = lines
        # JSON input keeps no line tree; it is built on first use from (text, first line, path in it).
        self._lazy = _lazy

    def __repr__(self) -> str:
        return f"Document(obj={self.obj!r}, source={self.source!r}, line={self.line!r}, index={self.index!r})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.obj, self.source, self.line, self.index) == (other.obj, other.source, other.line, other.index)

    def line_of(self, path: str) -> int:
        """Line of the key at ``path`` (``spec.ports[0].selector``) in the whole file;
        the nearest ancestor's line when the path is not in the file."""
        tree = self._tree()
        if tree is None:
            return self.line
        line = tree[0]
        for step in split_path(path):
            tree = _step(tree, step)
            if tree is None:
                break
            line = tree[0]
        return line

    def _tree(self) -> LineTree | None:
        if self.lines is None and self._lazy is not None:
            (text, first_line, path), self._lazy = self._lazy, None
            try:
                for _value, tree in _Builder(text, "", first_line - 1).documents():
                    for step in path:
                        tree = _step(tree, step) if tree else None
                    self.lines = tree
                    break
            except (ManifestError, _YAMLErrors):
                pass
        return self.lines


def _step(tree: LineTree, step: str | int) -> LineTree | None:
    children = tree[1]
    if isinstance(children, dict):
        return children.get(step if isinstance(step, str) else str(step))
    if isinstance(children, list) and isinstance(step, int) and step < len(children):
        return children[step]
    return None


# ---------------------------------------------------------------------------
# Entry points


def load_documents(data: bytes, source: str) -> list[Document]:
    """All objects of ``data`` (``source`` is the file name, ``-`` for stdin).

    Raises the first ManifestError. Empty documents are skipped.
    """
    docs = []
    for d in iter_documents(data, source):
        if isinstance(d, ManifestError):
            raise d
        docs.append(d)
    return docs


def iter_documents(data: bytes, source: str) -> Iterator[Document | ManifestError]:
    """Like load_documents, but yields a ManifestError in place of each object that
    kubectl would reject on its own (apiVersion/kind not set, unknown kind) and goes
    on, as kubectl does; a syntax error is yielded last and ends the stream."""
    source = STDIN if source == "-" else source
    index = 0
    try:
        text = _decode(data, source)
        raw = _json_documents(text, source) if _is_json(text) else _yaml_documents(text, source)
        for value, tree, json_text, first_line in raw:
            if value is None:
                continue
            for obj, obj_tree, line, err, path in _expand(value, tree, first_line, source):
                if err is not None:
                    yield ManifestError(source, line, err)
                    continue
                lazy = (json_text, first_line, path) if json_text is not None else None
                yield Document(obj, source, line, index, obj_tree, lazy)
                index += 1
    except ManifestError as e:
        yield e


# ---------------------------------------------------------------------------
# Bytes -> text


def _decode(data: bytes, source: str) -> str:
    if len(data) > MAX_BYTES:
        raise ManifestError(
            source, None, f"file is too large: {len(data)} bytes (the limit is {MAX_BYTES // (1024 * 1024)} MiB)"
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte order mark, as go-yaml reads it
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ManifestError(source, 1, "error converting YAML to JSON: yaml: invalid UTF-16 input") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ManifestError(source, line, "binary data is not a manifest: found a NUL byte; expected YAML or JSON text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        what = {
            "invalid start byte": "invalid leading UTF-8 octet",
            "invalid continuation byte": "invalid trailing UTF-8 octet",
            "unexpected end of data": "incomplete UTF-8 octet sequence",
        }.get(e.reason, "invalid UTF-8")
        raise ManifestError(
            source,
            line,
            f"error converting YAML to JSON: yaml: line {line}: {what} (byte 0x{data[e.start]:02x}); the file is not UTF-8 text",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _is_json(text: str) -> bool:
    # k8s.io/apimachinery/pkg/util/yaml/decoder.go IsJSONBuffer: first non-space byte is '{'
    return text.lstrip(" \t\r\n").startswith("{")


# ---------------------------------------------------------------------------
# JSON


class _Constant(Exception):
    pass


def _reject_constant(name: str):
    raise _Constant(name)


class BadNumber(Exception):
    """A JSON number that Go cannot hold in a float64 (out of its range): encoding/json's
    UnmarshalTypeError when it decodes into interface{} (convertNumber)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    @property
    def message(self) -> str:
        return f"json: cannot unmarshal number {self.text} into Go value of type float64"


_INF = (float("inf"), float("-inf"))


def _json_int(s: str):
    # Python refuses to convert more than 4,300 digits; Go turns an integer beyond int64 into
    # a float64, and fails when that is out of range too
    if len(s) > 20 and float(s) in _INF:
        raise BadNumber(s)
    return int(s)


def _json_float(s: str) -> float:
    f = float(s)
    if f in _INF:
        raise BadNumber(s)
    return f


def loads(text: str):
    """json.loads with Go's limits on numbers (raises BadNumber)."""
    return json.loads(text, parse_int=_json_int, parse_float=_json_float)


_JSON = json.JSONDecoder(parse_constant=_reject_constant, parse_int=_json_int, parse_float=_json_float)
_WS = re.compile(r"[ \t\r\n]*")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_documents(text: str, source: str):
    pos = _WS.match(text, 0).end()
    n = len(text)
    while pos < n:
        line = text.count("\n", 0, pos) + 1
        try:
            value, end = _JSON.raw_decode(text, pos)
        except _Constant:
            raise ManifestError(source, line, _json_message(text, pos, "Expecting value", _constant_pos(text, pos))) from None
        except json.JSONDecodeError as e:
            raise ManifestError(source, text.count("\n", 0, e.pos) + 1, _json_message(text, pos, e.msg, e.pos)) from None
        except RecursionError:
            raise ManifestError(source, line, f"json: exceeded max depth of {MAX_DEPTH}") from None
        except BadNumber as e:
            # kubectl: error validating "big.json": error validating data: json: cannot unmarshal number ...
            at = text.find(e.text, pos)
            line = text.count("\n", 0, at) + 1 if at >= 0 else line
            raise ManifestError(source, line, _validating(source, [e.message])) from None
        depth, nodes = _measure(value)
        if depth > MAX_DEPTH:
            raise ManifestError(source, line, f"json: exceeded max depth of {MAX_DEPTH}")
        if nodes > MAX_NODES:
            raise ManifestError(source, line, f"json: document is too large: more than {MAX_NODES} values")
        yield _normalize_numbers(value), None, text[pos:end], line
        pos = _WS.match(text, end).end()


def _constant_pos(text: str, pos: int) -> int:
    m = re.compile(r"-?(NaN|Infinity)").search(text, pos)
    return m.start() if m else pos


def _json_message(text: str, start: int, msg: str, pos: int) -> str:
    """Python's JSONDecodeError in encoding/json's words (scanner.go), with the byte offset
    kubectl's YAMLOrJSONDecoder shows ("json: offset N: ...")."""
    offset = len(text[start:pos].encode("utf-8")) + 1
    c = text[pos] if pos < len(text) else ""
    q = _go_quote_char(c)
    if msg.startswith("Unterminated string") or not c:
        body = "unexpected end of JSON input"
    elif msg.startswith("Expecting property name"):
        body = f"invalid character {q} looking for beginning of object key string"
    elif msg.startswith("Expecting ':'"):
        body = f"invalid character {q} after object key"
    elif msg.startswith("Expecting ','"):
        inner = _innermost_open(text, start, pos)
        body = f"invalid character {q} after " + ("object key:value pair" if inner == "{" else "array element")
    elif msg.startswith("Invalid control character"):
        body = f"invalid character {q} in string literal"
    elif msg.startswith("Invalid \\"):
        body = f"invalid character {q} in string escape code"
    else:
        body = f"invalid character {q} looking for beginning of value"
    return f"json: offset {offset}: {body}"


def _go_quote_char(c: str) -> str:
    # encoding/json quoteChar
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    from minikctl.api.errors import go_quote

    return f"'{go_quote(c)[1:-1]}'"


def _innermost_open(text: str, start: int, pos: int) -> str:
    stack = []
    for ch in re.findall(r"[\[\]{}]", _JSON_STRING.sub("", text[start:pos])):
        if ch in "[{":
            stack.append(ch)
        elif stack:
            stack.pop()
    return stack[-1] if stack else ""


def _measure(value) -> tuple[int, int]:
    """(depth, number of values) without recursion."""
    depth = nodes = 0
    todo = [(value, 1)]
    while todo:
        v, d = todo.pop()
        nodes += 1
        if isinstance(v, dict):
            if d > depth:
                depth = d
            todo.extend((c, d + 1) for c in v.values())
        elif isinstance(v, list):
            if d > depth:
                depth = d
            todo.extend((c, d + 1) for c in v)
        if nodes > MAX_NODES:
            break
    return depth, nodes


def _normalize_numbers(value):
    """Integral floats become ints, as a JSON round trip into unstructured does."""
    todo = [value]
    while todo:
        v = todo.pop()
        items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        for k, c in items:
            if isinstance(c, float):
                if c.is_integer() and abs(c) < 2**63:
                    v[k] = int(c)
            elif isinstance(c, (dict, list)):
                todo.append(c)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


# ---------------------------------------------------------------------------
# YAML


class _LazyPattern:
    """A regular expression compiled on first use. Importing PyYAML compiles about a dozen
    (the reader's NON_PRINTABLE, a class of every printable Unicode range, the resolver's
    implicit-tag patterns, the constructor's timestamp) for its pure-Python stages, which
    reading a manifest never runs: libyaml's CParser scans, and values are resolved here.
    That is about 5 ms of every `apply -f`'s start-up (issue 12). PyYAML only calls methods
    of its patterns (.match, .search), which compile the real one and pass through."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, *args):
        self._args = args
        self._pattern = None

    def __getattr__(self, name):
        p = self._pattern
        if p is None:
            p = self._pattern = _compile(*self._args)
        return getattr(p, name)


def _import_yaml() -> None:
    """import yaml, with the patterns its own modules compile at import made lazy."""
    import sys

    if "yaml" in sys.modules:
        return

    def lazy_compile(pattern, flags=0):
        if sys._getframe(1).f_globals.get("__name__", "").startswith("yaml"):
            return _LazyPattern(pattern, flags)
        return _compile(pattern, flags)

    re.compile = lazy_compile
    try:
        import yaml  # noqa: F401
    finally:
        re.compile = _compile


_compile = re.compile
_import_yaml()
from yaml import MarkedYAMLError as _MarkedYAMLError  # noqa: E402
from yaml import YAMLError as _YAMLErrors  # noqa: E402
from yaml.reader import ReaderError as _ReaderError  # noqa: E402

try:  # libyaml's event parser
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: the pure-Python parser
    from yaml import Loader as _Parser

_SEPARATOR = re.compile(r"^---([^\n]*)", re.M)


def _check_separators(text: str, source: str) -> None:
    # k8s.io/apimachinery/pkg/util/yaml/decoder.go YAMLReader.Read: only comments and
    # spaces may follow the "---" document separator.
    for m in _SEPARATOR.finditer(text):
        rest = m.group(1).strip()
        if rest and not rest.startswith("#"):
            line = text.count("\n", 0, m.start()) + 1
            raise ManifestError(source, line, f"invalid Yaml document separator: {rest}")


def _yaml_documents(text: str, source: str):
    _check_separators(text, source)
    nlines = text.count("\n") + (0 if text.endswith("\n") else 1)
    b = _Builder(text, source, 0)
    try:
        for value, tree in b.documents():
            yield value, tree, None, tree[0] if tree else 1
    except _MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = min(max(mark.line + 1 if mark else 1, 1), max(nlines, 1))
        problem = e.problem or "unknown problem parsing YAML content"
        if "nesting depth" in problem:
            # libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) stops deep nesting in its scanner, before our own
            # depth check sees the events: one message whatever the libyaml version
            problem = f"exceeded max depth of {MAX_DEPTH}"
        raise ManifestError(source, line, f"error converting YAML to JSON: yaml: line {line}: {problem}") from None
    except _ReaderError as e:
        line = text.encode("utf-8")[: e.position].count(b"\n") + 1
        raise ManifestError(source, line, f"error converting YAML to JSON: yaml: line {line}: {e.reason}") from None
    except _YAMLErrors as e:  # pragma: no cover - any other libyaml complaint
        raise ManifestError(source, None, f"error converting YAML to JSON: yaml: {e}") from None


# go-yaml v2 resolve.go: resolveTable hints and resolveMap words (sigs.k8s.io/yaml/goyaml.v2).
_WORDS: dict[str, object] = {}
for _v, _ws in (
    (True, ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")),
    (False, ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")),
    (None, ("", "~", "null", "Null", "NULL")),
    (float("nan"), (".nan", ".NaN", ".NAN")),
    (float("inf"), (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")),
    (float("-inf"), ("-.inf", "-.Inf", "-.INF")),
):
    for _w in _ws:
        _WORDS[_w] = _v
_MERGE = object()
_WORDS["<<"] = _MERGE
_HINTS = frozenset("+-0123456789yYnNtTfFoO~.<")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")


def _resolve_plain(s: str):
    """go-yaml v2 resolve("", s) for an untagged plain scalar, as seen through interface{}."""
    if not s:
        return None
    if s[0] not in _HINTS:
        return s
    if s in _WORDS:
        return _WORDS[s]
    c = s[0]
    if c in "yYnNtTfFoO~<":
        return s
    if c == ".":
        if _FLOAT.match(s):
            return _go_float(s, s)
        return s
    plain = s.replace("_", "")
    m = _INT.match(plain)
    if m:
        sign, body = m.groups()
        if body[:2] in ("0x", "0X"):
            n = int(body[2:], 16)
        elif body[:2] in ("0o", "0O"):
            n = int(body[2:], 8)
        elif body[:2] in ("0b", "0B"):
            n = int(body[2:], 2)
        elif body.startswith("0"):
            n = int(body, 8)
        elif len(body) > 20:  # beyond uint64 (and beyond what Python converts past 4,300 digits)
            n = 2**64
        else:
            n = int(body)
        if sign == "-":
            n = -n
        if -(2**63) <= n < 2**63 or (sign == "" and 0 <= n < 2**64):  # ParseInt, then ParseUint
            return n
    if _FLOAT.match(plain):
        return _go_float(plain, s)
    return s


def _go_float(num: str, original: str):
    f = float(num)
    if f in (float("inf"), float("-inf")):  # strconv.ParseFloat range error: stays a string
        return original
    return f


def _go_float_key(f: float) -> str:
    # sigs.k8s.io/yaml yaml.go convertToJSONableObject: strconv.FormatFloat(f, 'g', -1, 32)
    if f != f:
        return ".nan"
    if f in (float("inf"), float("-inf")):
        return ".inf" if f > 0 else "-.inf"
    try:
        f32 = struct.unpack("f", struct.pack("f", f))[0]
    except OverflowError:
        return ".inf" if f > 0 else "-.inf"
    if f32 in (float("inf"), float("-inf")):  # out of float32's range (struct rounds it to inf)
        return "+Inf" if f32 > 0 else "-Inf"
    s = "0e+00"
    for p in range(1, 10):
        s = "%.*e" % (p - 1, f32)
        if struct.unpack("f", struct.pack("f", float(s)))[0] == f32:
            break
    mant, exp = s.split("e")
    e = int(exp)
    if e < -4 or e >= 6:
        return f"{mant}e{'-' if e < 0 else '+'}{abs(e):02d}"
    from decimal import Decimal  # only for a float32 printed without exponent

    return format(Decimal(s), "f")


def _key_string(key, line: int) -> str:
    # sigs.k8s.io/yaml yaml.go convertToJSONableObject: scalar keys become strings
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return _go_float_key(key)
    # only null is left: yaml.go reports the Go type of the key
    raise _Fail(line, "error converting YAML to JSON: unsupported map key of type: <nil>, key: <nil>")


def _tagged(tag: str, value: str):
    """A scalar with an explicit tag (``!!str 12``); unknown and local tags keep the text."""
    t = tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else None
    if t == "binary":
        import base64
        import binascii

        try:
            return base64.b64decode(value, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return value
    if t in ("null", "bool", "int", "float"):
        v = _resolve_plain(value)
        if t == "null" and v is None or t == "bool" and isinstance(v, bool):
            return v
        if t in ("int", "float") and isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v) if t == "float" else v
    if t == "merge" and value == "<<":
        return _MERGE
    return value


class _Fail(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


def _syntax(line: int, problem: str) -> _Fail:
    return _Fail(line, f"error converting YAML to JSON: yaml: line {line}: {problem}")


class _Frame:
    __slots__ = ("is_map", "value", "lines", "key", "key_line", "anchor", "line", "height", "nodes")

    def __init__(self, is_map: bool, anchor, line: int):
        self.is_map = is_map
        self.value = {} if is_map else []
        self.lines = {} if is_map else []
        self.key = _NOKEY
        self.key_line = 0
        self.anchor = anchor
        self.line = line
        self.height = 1
        self.nodes = 1


_NOKEY = object()
_OPEN = object()  # an anchor whose value is still being built


class _Builder:
    """Turns libyaml events into values and line trees, iteratively."""

    def __init__(self, text: str, source: str, line_offset: int):
        self.text = text
        self.source = source
        self.offset = line_offset
        self.total = 0
        self.aliased = 0

    def documents(self) -> Iterator[tuple[object, LineTree | None]]:
        parser = _Parser(self.text)
        try:
            yield from self._run(parser)
        except _Fail as f:
            raise ManifestError(self.source, f.line, f.message) from None
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose:
                dispose()

    def _run(self, parser):
        import yaml.events as ev

        Scalar, Alias = ev.ScalarEvent, ev.AliasEvent
        MapStart, SeqStart = ev.MappingStartEvent, ev.SequenceStartEvent
        MapEnd, SeqEnd = ev.MappingEndEvent, ev.SequenceEndEvent
        DocStart, StreamEnd = ev.DocumentStartEvent, ev.StreamEndEvent
        offset = self.offset + 1
        stack: list[_Frame] = []
        anchors: dict = {}
        get = parser.get_event
        root = None
        while True:
            e = get()
            cls = type(e)
            if cls is Scalar:
                line = e.start_mark.line + offset
                if e.tag is None and e.implicit[0]:
                    value = _resolve_plain(e.value)
                elif e.tag is None or e.tag == "!":
                    value = e.value
                else:
                    value = _tagged(e.tag, e.value)
                if e.anchor is not None:
                    anchors[e.anchor] = (value, None, 1, 0, False)
                self.total += 1
                if self.total > MAX_NODES:
                    raise _syntax(line, f"document is too large: more than {MAX_NODES} values")
                item = (value, (line, None), 1, 0)
            elif cls is MapStart or cls is SeqStart:
                line = e.start_mark.line + offset
                if len(stack) >= MAX_DEPTH:
                    raise _syntax(line, f"exceeded max depth of {MAX_DEPTH}")
                if stack and stack[-1].is_map and stack[-1].key is _NOKEY:
                    raise _syntax(line, "invalid map key: a mapping or sequence cannot be a key")
                f = _Frame(cls is MapStart, e.anchor, line)
                if e.anchor is not None:
                    anchors[e.anchor] = _OPEN
                stack.append(f)
                self.total += 1
                if self.total > MAX_NODES:
                    raise _syntax(line, f"document is too large: more than {MAX_NODES} values")
                continue
            elif cls is MapEnd or cls is SeqEnd:
                f = stack.pop()
                tree = (f.line, f.lines)
                if f.anchor is not None:
                    anchors[f.anchor] = (f.value, tree, f.nodes, f.height, True)
                item = (f.value, tree, f.nodes, f.height)
            elif cls is Alias:
                line = e.start_mark.line + offset
                a = anchors.get(e.anchor)
                if a is None:
                    raise _syntax(line, f"unknown anchor '{e.anchor}' referenced")
                if a is _OPEN:
                    raise _syntax(line, f"anchor '{e.anchor}' value contains itself")
                value, tree, nodes, height, container = a
                self.aliased += nodes
                self.total += nodes
                if self.aliased > MAX_ALIAS_NODES or self.total > MAX_NODES:
                    raise _syntax(line, f"document contains excessive aliasing")
                if len(stack) + height > MAX_DEPTH:
                    raise _syntax(line, f"exceeded max depth of {MAX_DEPTH}")
                if container:
                    value = _clone(value)
                item = (value, tree if tree is not None else (line, None), nodes, height)
            elif cls is DocStart:
                anchors = {}
                continue
            elif cls is StreamEnd:
                return
            else:  # StreamStart, DocumentEnd
                if cls is ev.DocumentEndEvent and root is not None:
                    value, tree = root
                    root = None
                    yield value, tree
                continue

            value, tree, nodes, height = item
            if not stack:
                root = (_finish_scalar(value, tree[0]), tree)
                continue
            top = stack[-1]
            top.nodes += nodes
            if height + 1 > top.height:
                top.height = height + 1
            if not top.is_map:
                top.value.append(_finish_scalar(value, tree[0]))
                top.lines.append(tree)
            elif top.key is _NOKEY:
                if value is _MERGE:
                    top.key = _MERGE
                else:
                    top.key = _key_string(value, tree[0])
                top.key_line = tree[0]
            else:
                key = top.key
                top.key = _NOKEY
                if key is _MERGE:
                    _merge(top, value, tree)
                else:
                    top.value[key] = _finish_scalar(value, tree[0])
                    top.lines[key] = (top.key_line, tree[1])


def _finish_scalar(value, line: int):
    if value is _MERGE:
        return "<<"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            # sigs.k8s.io/yaml: json.Marshal of the converted object
            what = "NaN" if value != value else ("+Inf" if value > 0 else "-Inf")
            raise _Fail(line, f"error converting YAML to JSON: json: unsupported value: {what}")
        if value.is_integer() and abs(value) < 2**63:
            return int(value)
    return value


def _merge(frame: _Frame, value, tree) -> None:
    # go-yaml v2 decode.go merge(): a mapping, or a sequence of mappings where earlier
    # ones take precedence; merged keys overwrite keys set before the "<<" entry.
    if isinstance(value, dict):
        sources = [(value, tree)]
    elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
        sources = list(zip(value, tree[1]))[::-1]
    else:
        raise _syntax(tree[0], "map merge requires map or sequence of maps as the value")
    for v, t in sources:
        for k, item in v.items():
            frame.value[k] = item
            if isinstance(t[1], dict) and k in t[1]:
                frame.lines[k] = t[1][k]


def _clone(value):
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# Objects: kubectl's own checks before anything is sent


def _expand(value, tree, first_line: int, source: str):
    """Yield (obj, tree, line, error, path) for one document, List items expanded;
    ``path`` is where the object sits in the document (["items", 2] for a List item)."""
    todo = [(value, tree, first_line, None, [])]
    while todo:
        v, t, line, list_of, path = todo.pop(0)
        line = t[0] if t else line
        if not isinstance(v, dict):
            yield None, None, line, _validating(source, ["invalid object to validate"]), path
            continue
        if list_of is not None:
            # k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/helpers.go decodeToList:
            # items of a typed list (ServiceList) get the list's apiVersion and kind
            v.setdefault("apiVersion", list_of[0])
            v.setdefault("kind", list_of[1])
        errs = _object_kind_errors(v)
        if errs:
            yield None, None, line, _validating(source, errs), path
            continue
        kind = v["kind"]
        if kind.endswith("List") and "items" in v and not kinds.by_kind(kind):
            items = v["items"]
            if items is None:
                continue
            if not isinstance(items, list):
                yield None, None, _child_line(t, "items", line), (
                    f"error parsing {source}: json: cannot unmarshal {_json_type(items)} "
                    "into Go struct field .items of type []json.RawMessage"
                ), path
                continue
            item_trees = _child(t, "items")
            trees = item_trees[1] if item_trees and isinstance(item_trees[1], list) else []
            of = None if kind == "List" else (v["apiVersion"], kind[:-4])
            todo[0:0] = [
                (item, trees[i] if i < len(trees) else None, line, of, path + ["items", i]) for i, item in enumerate(items)
            ]
            continue
        err = _mapping_error(v, source)
        if err:
            yield None, None, line, err, path
            continue
        yield v, t, line, None, path


def _child(tree, key):
    if tree and isinstance(tree[1], dict):
        return tree[1].get(key)
    return None


def _child_line(tree, key, default: int) -> int:
    c = _child(tree, key)
    return c[0] if c else default


def _json_type(v) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "object"
    return "array"


def _validating(source: str, errs: list[str]) -> str:
    # staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go + validation/schema.go (utilerrors.NewAggregate)
    what = errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"
    return (
        f'error validating "{source}": error validating data: {what}; '
        "if you choose to ignore these errors, turn validation off with --validate=false"
    )


def _object_kind_errors(obj: dict) -> list[str]:
    # staging/src/k8s.io/kubectl/pkg/validation/schema.go getObjectKind
    errs = []
    api_version = obj.get("apiVersion")
    if api_version is None:
        errs.append("apiVersion not set")
    elif not isinstance(api_version, str):
        errs.append("apiVersion isn't string type")
    elif api_version.count("/") > 1:
        # k8s.io/apimachinery/pkg/runtime/schema/group_version.go ParseGroupVersion
        errs.append(f"unexpected GroupVersion string: {api_version}")
    kind = obj.get("kind")
    if kind is None:
        errs.append("kind not set")
    elif not isinstance(kind, str):
        errs.append("kind isn't string type")
    return errs


def _mapping_error(obj: dict, source: str) -> str | None:
    from minikctl.api.conversion import LEGACY, SERVED

    api_version, kind = obj["apiVersion"], obj["kind"]
    k = kinds.by_kind(kind)
    if k is not None and (k.api_version == api_version or (api_version, kind) in LEGACY
                          or (api_version, kind) in SERVED):
        return None
    meta = obj.get("metadata")
    name = namespace = ""
    if isinstance(meta, dict):
        name = meta.get("name") if isinstance(meta.get("name"), str) else ""
        namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) else ""
    # staging/src/k8s.io/cli-runtime/pkg/resource/mapper.go infoForData;
    # k8s.io/apimachinery/pkg/api/meta/errors.go NoKindMatchError. kubectl puts
    # "ensure CRDs are installed first" on a second line; minikctl keeps one line.
    return (
        f"resource mapping not found for name: {_q(name)} namespace: {_q(namespace)} "
        f"from {_q(source)}: no matches for kind {_q(kind)} in version {_q(api_version)}; "
        "ensure CRDs are installed first"
    )


def _q(s: str) -> str:
    """Go's %q (strconv.Quote)."""
    from minikctl.api.errors import go_quote

    return go_quote(s)
