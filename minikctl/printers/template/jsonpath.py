"""kubectl's JSONPath (k8s.io/client-go/util/jsonpath parser.go and jsonpath.go; filters compared
as client-go/third_party/forked/golang/template/funcs.go does), and the -o jsonpath printer
(cli-runtime/pkg/printers/jsonpath.go)."""

from __future__ import annotations

import re

from minikctl.printers.template.errors import JSONPathError, TemplateError
from minikctl.printers.template.govalues import _go_unicode, go_json, go_quote, go_sharp_v, go_sprint, go_type

# ---------------------------------------------------------------------------
# parser.go
# ---------------------------------------------------------------------------
# Nodes are tuples: ("list", [nodes]) ("text", s) ("field", name) ("array", params)
# ("filter", left_list, right_list, op) ("int", n) ("float", f) ("bool", b)
# ("wildcard",) ("recursive",) ("union", [lists]) ("identifier", name).
# Array params: [[known, value, derived] * 3].

_EOF = ""
_DICT_KEY = re.compile(r"^'([^']*)'\Z")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?\Z")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)\Z")


def _terminator(r: str) -> bool:
    return r in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _alnum(r: str) -> bool:
    return r == "_" or (r != _EOF and (r.isalpha() or r.isdigit()))


class _Parser:
    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.width = 0
        self.root: list = []

    def consume(self) -> str:
        v = self.input[self.start:self.pos]
        self.start = self.pos
        return v

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        r = self.input[self.pos]
        self.width = 1
        self.pos += 1
        return r

    def peek(self) -> str:
        r = self.next()
        self.backup()
        return r

    def backup(self) -> None:
        self.pos -= self.width

    def parse(self) -> list:
        inp = self.input
        while True:
            if inp.startswith("{", self.pos):
                if self.pos > self.start:
                    self.root.append(("text", self.consume()))
                # parseLeftDelim
                self.pos += 1
                self.consume()
                node: list = []
                self.root.append(("list", node))
                self._inside_action(node)
                continue
            if self.next() == _EOF:
                break
        if self.pos > self.start:
            self.root.append(("text", self.consume()))
        return self.root

    def _inside_action(self, cur: list) -> None:
        inp = self.input
        while True:
            if inp.startswith("}", self.pos):
                self.pos += 1
                self.consume()
                return
            if inp.startswith("[?(", self.pos):
                self._filter(cur)
                continue
            if inp.startswith("..", self.pos):
                if cur and cur[-1][0] == "recursive":
                    raise JSONPathError("invalid multiple recursive descent")
                self.pos += 2
                self.consume()
                cur.append(("recursive",))
                if _alnum(self.peek()):
                    self._field(cur)
                continue
            r = self.next()
            if r == _EOF or r in "\r\n":
                raise JSONPathError("unclosed action")
            if r == " " or r in "@$":
                self.consume()
            elif r == "[":
                self._array(cur)
            elif r in "\"'":
                self._quote(cur, r)
            elif r == ".":
                self._field(cur)
            elif r in "+-" or r.isdigit():
                self.backup()
                self._number(cur)
            elif _alnum(r):
                self.backup()
                self._identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: {_go_unicode(r)}")

    def _identifier(self, cur: list) -> None:
        while True:
            r = self.next()
            if _terminator(r):
                self.backup()
                break
        value = self.consume()
        if value in ("true", "false"):
            cur.append(("bool", value == "true"))
        else:
            cur.append(("identifier", value))

    def _number(self, cur: list) -> None:
        r = self.peek()
        if r in ("+", "-"):
            self.next()
        while True:
            r = self.next()
            if r != "." and not (r != _EOF and r.isdigit()):
                self.backup()
                break
        value = self.consume()
        if re.fullmatch(r"[+-]?[0-9]+", value):
            cur.append(("int", int(value)))
            return
        if re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
            cur.append(("float", float(value)))
            return
        raise JSONPathError(f"cannot parse number {value}")

    def _array(self, cur: list) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        strs = text.split(",")
        if len(strs) > 1:
            union = [_parse_action(f"[{s.strip(' ')}]") for s in strs]
            cur.append(("union", union))
            return
        m = _DICT_KEY.match(text)
        if m:
            cur.extend(_parse_action("." + m.group(1)))
            return
        m = _SLICE.match(text)
        if m is None:
            raise JSONPathError(f"invalid array index {text}")
        groups = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        params = [[False, 0, False], [False, 0, False], [False, 0, False]]
        for i in range(3):
            v = groups[i]
            if v != "":
                if i > 0:
                    v = v[1:]
                if i > 0 and v == "":
                    params[i][0] = False
                else:
                    params[i][0] = True
                    try:
                        params[i][1] = int(v)
                    except ValueError:
                        raise JSONPathError(f"array index {v} is not a number") from None
            elif i == 1:
                params[i] = [True, params[0][1] + 1, True]
        cur.append(("array", params))

    def _filter(self, cur: list) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin = True
                    pair = r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")":
                if begin == end:
                    break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            cur.append(("filter", _parse_action(text), [], "exists"))
        else:
            cur.append(("filter", _parse_action(m.group(1)), _parse_action(m.group(3)), m.group(2)))

    def _quote(self, cur: list, end: str) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            s = _unquote_extend(value)
        except ValueError:
            raise JSONPathError(f"unquote string {value} error invalid syntax") from None
        cur.append(("text", s))

    def _field(self, cur: list) -> None:
        self.consume()
        while True:  # advance
            r = self.next()
            if r == "\\":
                self.next()
            elif _terminator(r):
                self.backup()
                break
        value = self.consume()
        if value == "*":
            cur.append(("wildcard",))
        else:
            cur.append(("field", value.replace("\\", "")))


def _parse_action(text: str) -> list:
    """parseAction: parse "{text}" and return the nodes of its first action."""
    p = _Parser("{" + text + "}")
    root = p.parse()
    return root[0][1]


_UNQUOTE_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unquote_extend(s: str) -> str:
    """UnquoteExtend: strconv.Unquote that also accepts single quotes."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == quote:
            raise ValueError
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= n:
            raise ValueError
        e = body[i + 1]
        i += 2
        if e in _UNQUOTE_SIMPLE:
            out.append(_UNQUOTE_SIMPLE[e])
        elif e == quote:
            out.append(e)
        elif e in "xuU":
            size = {"x": 2, "u": 4, "U": 8}[e]
            hexs = body[i:i + size]
            if len(hexs) < size or not all(h in "0123456789abcdefABCDEF" for h in hexs):
                raise ValueError
            v = int(hexs, 16)
            i += size
            if e != "x" and (v > 0x10FFFF or 0xD800 <= v <= 0xDFFF):
                raise ValueError
            out.append(chr(v))
        elif e in "01234567":
            octs = body[i - 1:i + 2]
            if len(octs) < 3 or not all(o in "01234567" for o in octs):
                raise ValueError
            v = int(octs, 8)
            if v > 255:
                raise ValueError
            out.append(chr(v))
            i += 2
        else:
            raise ValueError
    return "".join(out)


def parse(text: str) -> list:
    """Parse a template; raises JSONPathError with client-go's message."""
    return _Parser(text).parse()


# ---------------------------------------------------------------------------
# jsonpath.go
# ---------------------------------------------------------------------------


class _Engine:
    """One JSONPath object: like client-go's, it keeps its range state and the parser's
    root position between FindResults calls (a range moves the root past itself)."""

    def __init__(self, nodes: list, allow_missing: bool = True):
        self.root = nodes
        self.start = 0  # j.parser.Root.Nodes = nodes[start:]
        self.allow_missing = allow_missing
        self.begin_range = 0
        self.in_range = 0
        self.end_range = 0
        self.last_end = -1  # j.lastEndNode, as an index into root

    def find_results(self, data) -> list[list]:
        cur = [data]
        nodes = self.root
        full: list[list] = []
        i = self.start
        while i < len(nodes):
            results = self.walk(cur, nodes[i])
            # encounter an end node, break the current block
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end = i
                break
            # encounter a range node, start a range loop
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                if results:
                    for value in results:
                        self.start = i + 1
                        full.extend(self.find_results(value))
                else:
                    # no results: still walk the body so that the position advances to its end
                    self.start = i + 1
                    self.find_results(None)
                self.in_range -= 1
                # fast forward to resume after the most recent end node
                for k in range(i + 1, len(nodes)):
                    if k == self.last_end:
                        i = k
                        break
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def walk(self, value: list, node) -> list:
        t = node[0]
        if t == "list":
            return self.eval_list(value, node[1])
        if t == "text":
            return [node[1]]
        if t == "field":
            return self.eval_field(value, node[1])
        if t == "array":
            return self.eval_array(value, node[1])
        if t == "filter":
            return self.eval_filter(value, node)
        if t in ("int", "float", "bool"):
            return [node[1]] * len(value)
        if t == "wildcard":
            return self.eval_wildcard(value)
        if t == "recursive":
            return self.eval_recursive(value)
        if t == "union":
            out = []
            for lst in node[1]:
                try:
                    out.extend(self.eval_list(value, lst))
                except JSONPathError as e:
                    e.partial = value
                    raise
            return out
        if t == "identifier":
            return self.eval_identifier(value, node[1])
        raise JSONPathError(f"unexpected Node {node}", value)

    def eval_list(self, value: list, nodes: list) -> list:
        cur = value
        for n in nodes:
            cur = self.walk(cur, n)
        return cur

    def eval_identifier(self, value: list, name: str) -> list:
        if name == "range":
            self.begin_range += 1
            return value
        if name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return []
            raise JSONPathError("not in range, nothing to end", [])
        raise JSONPathError(f"unrecognized identifier {name}", value)

    def eval_field(self, value: list, name: str) -> list:
        results = []
        if not value:
            return results
        for v in value:
            if isinstance(v, dict) and name in v:
                results.append(v[name])
        if not results and not self.allow_missing:
            raise JSONPathError(f"{name} is not found", results)
        return results

    def eval_array(self, value: list, params) -> list:
        result: list = []
        for v in value:
            if v is None:
                continue
            if not isinstance(v, list):
                raise JSONPathError(f"{go_type(v)} is not array or slice", value)
            n = len(v)
            (k0, p0, _), (k1, p1, d1), (k2, p2, _) = params
            if not k0:
                p0 = 0
            if p0 < 0:
                p0 += n
            if not k1:
                p1 = n
            if p1 < 0 or (p1 == 0 and d1):
                p1 += n
            if p1 != p0:  # if you're requesting zero elements, allow it through
                if p0 >= n or p0 < 0:
                    raise JSONPathError(f"array index out of bounds: index {p0}, length {n}", value)
                if p1 > n or p1 < 0:
                    raise JSONPathError(f"array index out of bounds: index {p1 - 1}, length {n}", value)
                if p0 > p1:
                    raise JSONPathError(f"starting index {p0} is greater than ending index {p1}", value)
            else:
                return result
            sl = v[p0:p1]
            step = 1
            if k2:
                if p2 <= 0:
                    raise JSONPathError("step must be > 0", value)
                step = p2
            result.extend(sl[::step])
        return result

    def eval_filter(self, value: list, node) -> list:
        _, left_nodes, right_nodes, op = node
        results: list = []
        for v in value:
            if not isinstance(v, list):
                raise JSONPathError(f"{go_sprint(v)} is not array or slice and cannot be filtered", value)
            for item in v:
                temp = [item]
                try:
                    lefts = self.eval_list(temp, left_nodes)
                    err = None
                except JSONPathError as e:
                    lefts, err = e.partial, e
                if op == "exists":
                    if len(lefts) > 0:
                        results.append(item)
                    continue
                if err is not None:
                    err.partial = value
                    raise err
                # client-go jsonpath evalFilter: an item without the compared field is skipped
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time", value)
                try:
                    rights = self.eval_list(temp, right_nodes)
                except JSONPathError as e:
                    e.partial = value
                    raise
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time", value)
                if _compare(op, lefts[0], rights[0], results):
                    results.append(item)
        return results

    def eval_wildcard(self, value: list) -> list:
        results: list = []
        for v in value:
            results.extend(_children(v))
        return results

    def eval_recursive(self, value: list) -> list:
        result: list = []
        for v in value:
            kids = _children(v)
            if kids:
                result.append(v)
                result.extend(self.eval_recursive(kids))
        return result


def _children(v) -> list:
    if isinstance(v, dict):
        return [v[k] for k in sorted(v)]
    if isinstance(v, list):
        return list(v)
    if isinstance(v, str):
        return list(v.encode("utf-8"))  # reflect indexes a string by byte
    return []


# template/funcs.go: basicKind and the comparison functions

def _kind(v) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    raise JSONPathError("invalid type for comparison")


def _eq(a, b) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        raise JSONPathError("incompatible types for comparison")
    return a == b


def _lt(a, b) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        raise JSONPathError("incompatible types for comparison")
    if ka == "bool":
        raise JSONPathError("invalid type for comparison")
    return a < b


def _compare(op: str, left, right, results: list) -> bool:
    try:
        if op == "<":
            return _lt(left, right)
        if op == ">":
            return not (_lt(left, right) or _eq(left, right))
        if op == "==":
            return _eq(left, right)
        if op == "!=":
            return not _eq(left, right)
        if op == "<=":
            return _lt(left, right) or _eq(left, right)
        if op == ">=":
            return not _lt(left, right)
    except JSONPathError as e:
        e.partial = results
        raise
    raise JSONPathError(f"unrecognized filter operator {op}", results)


def execute(nodes: list, data, *, allow_missing: bool = True, output_json: bool = False) -> str:
    """JSONPath.Execute: find every result set, then print them (nothing is printed on error)."""
    full = _Engine(nodes, allow_missing).find_results(data)
    return "".join(print_results(r, output_json) for r in full)


def print_results(results: list, output_json: bool = False) -> str:
    if output_json:
        return go_json(list(results), "    ") + "\n"
    out = []
    for r in results:
        if isinstance(r, (dict, list)):
            out.append(go_json(r))
        else:
            out.append(_text(r))
    return " ".join(out)


def _text(v) -> str:
    if v is None:
        return "null"
    return go_sprint(v)


def render_jsonpath(template: str, data, *, output_json: bool = False, allow_missing: bool = True) -> str:
    try:
        nodes = parse(template)
    except JSONPathError as e:
        raise TemplateError(f"error parsing jsonpath {template}, {e}\n") from None
    obj = data
    try:
        return execute(nodes, obj, allow_missing=allow_missing, output_json=output_json)
    except JSONPathError as e:
        buf = (f"Error executing template: {e}. Printing more information for debugging the template:\n"
               f"\ttemplate was:\n\t\t{template}\n"
               f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(obj)}\n\n")
        raise TemplateError(f"error executing jsonpath {go_quote(template)}: {buf}\n") from None
