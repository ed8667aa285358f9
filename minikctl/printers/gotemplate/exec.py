"""Execution of a parsed template (Go 1.23 src/text/template/exec.go) over decoded JSON, with
the builtin functions of funcs.go and the two kubectl adds (cli-runtime/pkg/printers/template.go:
exists, base64decode).

Go's reflect distinctions that show in output or errors are kept: a value read out of a map or
a slice is an ``interface {}`` (`Iface`) until a pipeline ends; a missing key is an invalid
value (`MISSING`, printed ``<no value>``); nil interfaces are None.
"""

from __future__ import annotations

from minikctl.printers.gotemplate import parse as P
from minikctl.printers.gotemplate.gofmt import GoInt, Uint8, quote, sprint, sprintf, sprintln, type_name


class _Missing:
    __slots__ = ()

    def __repr__(self):
        return "MISSING"


MISSING = _Missing()  # reflect.Value{} (invalid)


class Iface:
    """A value whose static type is interface {} (a map's or slice's element)."""

    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


class ExecError(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class FuncError(Exception):
    """An error returned by a template function (wrapped as `error calling NAME: ...`)."""


def indirect_interface(v):
    """indirectInterface: the dynamic value of an interface (None -> invalid)."""
    if isinstance(v, Iface):
        v = v.v
        return MISSING if v is None else v
    return v


def _static_type(v) -> str:
    if isinstance(v, Iface):
        return "interface {}"
    return type_name(v)


def _concrete(v):
    """What a pipeline hands on: an interface {} value becomes its dynamic value ("lovely!")."""
    if isinstance(v, Iface):
        v = v.v
        return MISSING if v is None else v
    return v


def is_true(v):
    """isTrue on an already indirected value; (truth, ok)."""
    if v is MISSING:
        return False, True
    if isinstance(v, Iface):
        return v.v is not None, True
    if v is True or v is False:
        return v, True
    if isinstance(v, (str, dict, list)):
        return len(v) > 0, True
    if isinstance(v, (int, float, complex)):
        return v != 0, True
    return True, True


# --- builtin functions (funcs.go) -------------------------------------------------------------
# Each takes Go-typed arguments as Python values; reflect.Value parameters get the raw
# evaluated value (Iface kept).

_BAD_TYPE = "invalid type for comparison"
_BAD_CMP = "incompatible types for comparison"
_NO_CMP = "missing argument for comparison"


def _basic_kind(v):
    if v is True or v is False:
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, complex):
        return "complex"
    if isinstance(v, str):
        return "string"
    raise FuncError(_BAD_TYPE)


def _kind_or_invalid(v):
    try:
        return _basic_kind(v)
    except FuncError:
        return "invalid"


def f_eq(arg1, *arg2):
    arg1 = indirect_interface(arg1)
    if not arg2:
        raise FuncError(_NO_CMP)
    k1 = _kind_or_invalid(arg1)
    for arg in arg2:
        arg = indirect_interface(arg)
        k2 = _kind_or_invalid(arg)
        if k1 != k2:
            if arg1 is not MISSING and arg is not MISSING:
                raise FuncError(_BAD_CMP)
            truth = False
        elif k1 == "invalid":
            if arg1 is MISSING or arg is MISSING:
                truth = arg1 is MISSING and arg is MISSING
            elif type_name(arg1) != type_name(arg):
                raise FuncError(f"non-comparable types {sprintf('%s', [arg1])}: {type_name(arg1)}, "
                                f"{type_name(arg)}: {_sprint_v(arg)}")
            else:
                raise FuncError(f"non-comparable type {sprintf('%s', [arg])}: {type_name(arg)}")
        else:
            truth = arg1 == arg
        if truth:
            return True
    return False


def _sprint_v(v) -> str:
    return sprint([v])


def f_ne(arg1, arg2):
    return not f_eq(arg1, arg2)


def f_lt(arg1, arg2):
    arg1 = indirect_interface(arg1)
    k1 = _basic_kind(arg1)
    arg2 = indirect_interface(arg2)
    k2 = _basic_kind(arg2)
    if k1 != k2:
        raise FuncError(_BAD_CMP)
    if k1 in ("bool", "complex"):
        raise FuncError(_BAD_TYPE)
    if k1 == "string":
        return arg1.encode() < arg2.encode()
    return arg1 < arg2


def f_le(arg1, arg2):
    if f_lt(arg1, arg2):
        return True
    return f_eq(arg1, arg2)


def f_gt(arg1, arg2):
    return not f_le(arg1, arg2)


def f_ge(arg1, arg2):
    return not f_lt(arg1, arg2)


def f_not(arg):
    truth, _ = is_true(indirect_interface(arg))
    return not truth


def _index_arg(index, cap: int) -> int:
    if index is MISSING:
        raise FuncError("cannot index slice/array with nil")
    if isinstance(index, Iface):
        raise FuncError("cannot index slice/array with type interface {}")
    if index is True or index is False or not isinstance(index, int):
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > cap:
        raise FuncError(f"index out of range: {index}")
    return int(index)


def f_index(item, *indexes):
    item = indirect_interface(item)
    if item is MISSING:
        raise FuncError("index of untyped nil")
    for index in indexes:
        index = indirect_interface(index)
        if isinstance(item, Iface):
            if item.v is None:
                raise FuncError("index of nil pointer")
            item = item.v
        if isinstance(item, (list, str)):
            x = _index_arg(index, len(item))
            if x == len(item):
                raise FuncError("reflect: slice index out of range" if isinstance(item, list)
                                else "reflect: string index out of range")
            if isinstance(item, str):
                item = Uint8(item.encode()[x]) if not item.isascii() else Uint8(ord(item[x]))
            else:
                item = Iface(item[x])
        elif isinstance(item, dict):
            if index is MISSING:
                raise FuncError("value is nil; should be of type string")
            if not isinstance(index, str):
                raise FuncError(f"value has type {type_name(index)}; should be string")
            item = Iface(item.get(index))
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


def f_slice(item, *indexes):
    item = indirect_interface(item)
    if item is MISSING:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        b = item.encode()
        cap = len(b)
    elif isinstance(item, list):
        cap = len(item)
    else:
        raise FuncError(f"can't slice item of type {type_name(item)}")
    idx = [0, cap if not isinstance(item, str) else len(item.encode()), 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, cap)
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if isinstance(item, str):
        return item.encode()[idx[0]:idx[1]].decode("utf-8", "replace")
    return item[idx[0]:idx[1]]


def f_len(item):
    if isinstance(item, Iface):
        if item.v is None:
            raise FuncError("len of nil pointer")
        item = item.v
    if item is MISSING:
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return GoInt(len(item.encode()))
    if isinstance(item, (list, dict)):
        return GoInt(len(item))
    raise FuncError(f"len of type {type_name(item)}")


def _eval_args(args) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(list(args))


def html_escape(s: str) -> str:
    if not any(c in s for c in "'\"&<>\0"):
        return s
    out = []
    for c in s:
        out.append({'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}.get(c, c))
    return "".join(out)


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}


def js_escape(s: str) -> str:
    out = []
    for c in s:
        o = ord(c)
        if c in _JS:
            out.append(_JS[c])
        elif o < 0x20:
            out.append("\\u00%02X" % o)
        elif o < 0x80:
            out.append(c)
        elif c.isprintable() and not 0xD800 <= o <= 0xDFFF:
            out.append(c)
        else:
            out.append("\\u%04X" % o)
    return "".join(out)


def query_escape(s: str) -> str:
    """url.QueryEscape."""
    out = []
    for b in s.encode():
        c = chr(b)
        if c.isascii() and (c.isalnum() or c in "-_.~"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def f_base64decode(v: str) -> str:
    try:
        data = _b64_std_decode(v)
    except ValueError as e:
        raise FuncError(f"base64 decode failed: {e}") from None
    return data.decode("utf-8", "replace")


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64_std_decode(s: str) -> bytes:
    """base64.StdEncoding.DecodeString (src/encoding/base64/base64.go decodeQuantum), with Go's
    CorruptInputError offsets ("illegal base64 data at input byte N")."""
    src = s.encode()
    out = bytearray()
    si = 0
    n = len(src)
    while True:
        dbuf = [0, 0, 0, 0]
        dlen = 4
        j = 0
        err = None
        while j < 4:
            if si == n:
                if j == 0:
                    return bytes(out)
                raise ValueError(f"illegal base64 data at input byte {si - j}")
            c = src[si]
            si += 1
            k = _B64.find(chr(c)) if c < 128 else -1
            if k >= 0:
                dbuf[j] = k
                j += 1
                continue
            if c in (10, 13):
                continue
            if c != 61:
                raise ValueError(f"illegal base64 data at input byte {si - 1}")
            if j in (0, 1):
                raise ValueError(f"illegal base64 data at input byte {si - 1}")
            if j == 2:
                while si < n and src[si] in (10, 13):
                    si += 1
                if si == n:
                    raise ValueError(f"illegal base64 data at input byte {n}")
                if src[si] != 61:
                    raise ValueError(f"illegal base64 data at input byte {si - 1}")
                si += 1
            while si < n and src[si] in (10, 13):
                si += 1
            if si < n:
                err = f"illegal base64 data at input byte {si}"
            dlen = j
            break
        x = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3]
        b = bytes([(x >> 16) & 255, (x >> 8) & 255, x & 255])
        out += b[:dlen - 1]
        if err:
            raise ValueError(err)
        if dlen < 4:
            return bytes(out)


def f_exists(item, *indices) -> bool:
    v = item
    for i in indices:
        if isinstance(v, Iface):
            if v.v is None:
                return False
            v = v.v
        if v is None or v is MISSING:
            return False
        if isinstance(v, (list, str)):
            if i is True or i is False or not isinstance(i, int):
                return False
            if i < 0 or i >= len(v):
                return False
            v = Iface(v[i]) if isinstance(v, list) else Uint8(ord(v[i]))
        elif isinstance(v, dict):
            if i is None:
                i = ""
            if not isinstance(i, str):
                return False
            v = Iface(v.get(i))
        else:
            return False
    if isinstance(v, Iface) and v.v is None:
        return False
    return v is not None


# name -> (callable, kind of each fixed parameter, variadic element kind or None)
# kinds: "value" (reflect.Value), "any" (interface {}), "string"
BUILTINS = {
    "and": (None, ("value",), "value"),
    "or": (None, ("value",), "value"),
    "call": (None, ("value",), "value"),
    "html": (lambda *a: html_escape(_eval_args(a)), (), "any"),
    "index": (f_index, ("value",), "value"),
    "slice": (f_slice, ("value",), "value"),
    "js": (lambda *a: js_escape(_eval_args(a)), (), "any"),
    "len": (f_len, ("value",), None),
    "not": (f_not, ("value",), None),
    "print": (lambda *a: sprint(list(a)), (), "any"),
    "printf": (lambda f, *a: sprintf(f, list(a)), ("string",), "any"),
    "println": (lambda *a: sprintln(list(a)), (), "any"),
    "urlquery": (lambda *a: query_escape(_eval_args(a)), (), "any"),
    "eq": (f_eq, ("value",), "value"),
    "ge": (f_ge, ("value", "value"), None),
    "gt": (f_gt, ("value", "value"), None),
    "le": (f_le, ("value", "value"), None),
    "lt": (f_lt, ("value", "value"), None),
    "ne": (f_ne, ("value", "value"), None),
    # kubectl's (cli-runtime/pkg/printers/template.go)
    "exists": (f_exists, ("any",), "any"),
    "base64decode": (f_base64decode, ("string",), None),
}

MAX_EXEC_DEPTH = 100000


# --- the executor -----------------------------------------------------------------------------


class _State:
    def __init__(self, name: str, tmpl, trees: dict, text: str, parse_name: str, missing_error: bool, out: list):
        self.name = name
        self.trees = trees
        self.text = text
        self.parse_name = parse_name
        self.missing_error = missing_error
        self.out = out
        self.vars: list[list] = []
        self.node = None
        self.depth = 0

    # errors (exec.go errorf + parse.ErrorContext)
    def errorf(self, msg: str):
        node = self.node
        if node is None:
            raise ExecError(f"template: {self.name}: {msg}")
        pos = node.pos
        b = self.text.encode()[:pos].decode("utf-8", "replace") if not self.text.isascii() else self.text[:pos]
        nl = b.rfind("\n")
        col = pos if nl == -1 else pos - len(b[:nl + 1].encode())
        line = 1 + b.count("\n")
        raise ExecError(f"template: {self.parse_name}:{line}:{col}: executing {quote(self.name)} at "
                        f"<{node.string()}>: {msg}")

    # variables
    def push(self, name, value):
        self.vars.append([name, value])

    def mark(self) -> int:
        return len(self.vars)

    def pop(self, mark: int) -> None:
        del self.vars[mark:]

    def set_var(self, name, value) -> None:
        for v in reversed(self.vars):
            if v[0] == name:
                v[1] = value
                return
        self.errorf(f"undefined variable: {name}")

    def set_top_var(self, n: int, value) -> None:
        self.vars[len(self.vars) - n][1] = value

    def var_value(self, name):
        for v in reversed(self.vars):
            if v[0] == name:
                return v[1]
        self.errorf(f"undefined variable: {name}")

    # walking
    def walk(self, dot, node) -> None:
        self.node = node
        k = node.kind
        if k == "text":
            self.out.append(node.text)
        elif k == "action":
            val = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.print_value(node, val)
        elif k == "list":
            for n in node.nodes:
                self.walk(dot, n)
        elif k in ("if", "with"):
            self.walk_if_or_with(k, dot, node)
        elif k == "range":
            self.walk_range(dot, node)
        elif k == "template":
            self.walk_template(dot, node)
        elif k == "break":
            raise _Break
        elif k == "continue":
            raise _Continue
        elif k == "comment":
            pass
        else:
            self.errorf(f"unknown node: {node.string()}")

    def walk_if_or_with(self, kind, dot, node) -> None:
        mark = self.mark()
        try:
            val = self.eval_pipeline(dot, node.pipe)
            truth, ok = is_true(indirect_interface(val))
            if not ok:
                self.errorf(f"if/with can't use {_sprint_v(val)}")
            if truth:
                if kind == "with":
                    self.walk(val, node.list)
                else:
                    self.walk(dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            self.pop(mark)

    def walk_range(self, dot, r) -> None:
        self.node = r
        outer = self.mark()
        try:
            val = self.eval_pipeline(dot, r.pipe)
            val = _concrete(val)
            mark = self.mark()
            decl = r.pipe.decl

            def one(index, elem) -> None:
                if decl:
                    if r.pipe.is_assign:
                        if len(decl) > 1:
                            self.set_var(decl[0].ident[0], index)
                        else:
                            self.set_var(decl[0].ident[0], elem)
                    else:
                        self.set_top_var(1, elem)
                if len(decl) > 1:
                    if r.pipe.is_assign:
                        self.set_var(decl[1].ident[0], elem)
                    else:
                        self.set_top_var(2, index)
                try:
                    self.walk(elem, r.list)
                except _Continue:
                    pass
                finally:
                    self.pop(mark)

            try:
                if isinstance(val, list):
                    if val:
                        for i, e in enumerate(val):
                            one(GoInt(i), Iface(e))
                        return
                elif isinstance(val, dict):
                    if val:
                        for k in sorted(val, key=lambda s: s.encode()):
                            one(k, Iface(val[k]))
                        return
                elif val is MISSING:
                    pass
                else:
                    self.errorf(f"range can't iterate over {_sprint_v(val)}")
            except _Break:
                return
            if r.else_list is not None:
                self.walk(dot, r.else_list)
        finally:
            self.pop(outer)

    def walk_template(self, dot, t) -> None:
        self.node = t
        tree = self.trees.get(t.name)
        if tree is None:
            self.errorf(f"template {quote(t.name)} not defined")
        dot = self.eval_pipeline(dot, t.pipe) if t.pipe is not None else MISSING
        if self.depth >= MAX_EXEC_DEPTH:
            self.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        ns = _State(t.name, None, self.trees, self.text, self.parse_name, self.missing_error, self.out)
        ns.depth = self.depth + 1
        ns.vars = [["$", dot]]
        ns.walk(dot, tree)

    # evaluation
    def eval_pipeline(self, dot, pipe):
        if pipe is None:
            return MISSING
        self.node = pipe
        value = MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            value = _concrete(value)
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.push(var.ident[0], value)
        return value

    def not_a_function(self, args, final) -> None:
        if (args is not None and len(args) > 1) or final is not MISSING:
            self.errorf(f"can't give argument to non-function {args[0].string()}")

    def eval_command(self, dot, cmd, final):
        first = cmd.args[0]
        k = first.kind
        if k == "field":
            return self.eval_field_node(dot, first, cmd.args, final)
        if k == "chain":
            return self.eval_chain_node(dot, first, cmd.args, final)
        if k == "identifier":
            return self.eval_function(dot, first, cmd, cmd.args, final)
        if k == "pipe":
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        if k == "variable":
            return self.eval_variable_node(dot, first, cmd.args, final)
        self.node = first
        self.not_a_function(cmd.args, final)
        if k == "bool":
            return first.true
        if k == "dot":
            return dot
        if k == "nil":
            self.errorf("nil is not a command")
        if k == "number":
            return self.ideal_constant(first)
        if k == "string":
            return first.text
        self.errorf(f"can't evaluate command {quote(first.string())}")

    def ideal_constant(self, c):
        self.node = c
        if c.is_complex:
            return c.complex128
        t = c.text
        if c.is_float and not _is_hex_int(t) and not t.startswith("'") and any(ch in t for ch in ".eEpP"):
            return c.float64
        if c.is_int:
            return GoInt(c.int64)
        if c.is_uint:
            self.errorf(f"{t} overflows int")
        return MISSING

    def eval_field_node(self, dot, field, args, final):
        self.node = field
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(self, dot, chain, args, final):
        self.node = chain
        if chain.node.kind == "nil":
            self.errorf(f"indirection through explicit nil in {chain.string()}")
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, chain, chain.field, args, final)

    def eval_variable_node(self, dot, variable, args, final):
        self.node = variable
        value = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def eval_field_chain(self, dot, receiver, node, ident, args, final):
        n = len(ident)
        for i in range(n - 1):
            receiver = self.eval_field(dot, ident[i], node, None, MISSING, receiver)
        return self.eval_field(dot, ident[n - 1], node, args, final, receiver)

    def eval_field(self, dot, name, node, args, final, receiver):
        if receiver is MISSING:
            if self.missing_error:
                self.errorf(f"nil data; no entry for key {quote(name)}")
            return MISSING
        typ = _static_type(receiver)
        if isinstance(receiver, Iface):
            if receiver.v is None:
                self.errorf(f"nil pointer evaluating {typ}.{name}")
            receiver = receiver.v
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if isinstance(receiver, dict):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            if name in receiver:
                return Iface(receiver[name])
            if self.missing_error:
                self.errorf(f"map has no entry for key {quote(name)}")
            return MISSING
        self.errorf(f"can't evaluate field {name} in type {typ}")

    def eval_function(self, dot, node, cmd, args, final):
        self.node = node
        name = node.ident
        return self.eval_call(dot, name, cmd, args, final)

    def eval_call(self, dot, name, node, args, final):
        fn, fixed, variadic = BUILTINS[name]
        args = args[1:] if args else []
        num_in = len(args) + (0 if final is MISSING else 1)
        if variadic is not None:
            if num_in < len(fixed):
                self.errorf(f"wrong number of args for {name}: want at least {len(fixed)} got {len(args)}")
        elif num_in != len(fixed):
            self.errorf(f"wrong number of args for {name}: want {len(fixed)} got {num_in}")

        def kind_of(i):
            return fixed[i] if i < len(fixed) else variadic

        if name in ("and", "or"):
            v = MISSING
            for a in args:
                v = self.eval_arg(dot, "value", a)
                if is_true(indirect_interface(v))[0] == (name == "or"):
                    return v
            if final is not MISSING:
                v = final
            return v
        argv = [self.eval_arg(dot, kind_of(i), a) for i, a in enumerate(args)]
        if final is not MISSING:
            argv.append(self.validate_type(final, kind_of(len(args))))
        if name == "call":
            return self.call_fn(node, args, argv)
        try:
            v = fn(*argv)
        except FuncError as e:
            self.node = node
            self.errorf(f"error calling {name}: {e}")
        except RecursionError:
            self.node = node
            self.errorf(f"error calling {name}: stack overflow")
        return v

    def call_fn(self, node, args, argv):
        fn = indirect_interface(argv[0])
        self.node = node
        if fn is MISSING:
            self.errorf("error calling call: call of nil")
        self.errorf(f"error calling call: non-function {args[0].string() if args else '<nil>'} of type {type_name(fn)}")

    def validate_type(self, value, kind):
        if kind == "value" or kind is None:
            return value
        if value is MISSING:
            if kind == "any":
                return None
            self.errorf(f"invalid value; expected {kind}")
        if kind == "any":
            return indirect_interface(value) if not (isinstance(value, Iface) and value.v is None) else None
        # string
        if isinstance(value, Iface):
            if value.v is None:
                self.errorf(f"wrong type for value; expected {kind}; got interface {{}}")
            value = value.v
        if not isinstance(value, str):
            self.errorf(f"wrong type for value; expected {kind}; got {type_name(value)}")
        return value

    def eval_arg(self, dot, kind, n):
        self.node = n
        k = n.kind
        if k == "dot":
            return self.validate_type(dot, kind)
        if k == "nil":
            if kind in ("any", "value"):
                return None if kind == "any" else MISSING
            self.errorf(f"cannot assign nil to {kind}")
        if k == "field":
            return self.validate_type(self.eval_field_node(dot, n, [n], MISSING), kind)
        if k == "variable":
            return self.validate_type(self.eval_variable_node(dot, n, None, MISSING), kind)
        if k == "pipe":
            return self.validate_type(self.eval_pipeline(dot, n), kind)
        if k == "identifier":
            return self.validate_type(self.eval_function(dot, n, n, None, MISSING), kind)
        if k == "chain":
            return self.validate_type(self.eval_chain_node(dot, n, None, MISSING), kind)
        if kind == "string":
            if k == "string":
                return n.text
            self.errorf(f"expected string; found {n.string()}")
        # interface {} / reflect.Value: evalEmptyInterface
        if k == "bool":
            return n.true
        if k == "number":
            return self.ideal_constant(n)
        if k == "string":
            return n.text
        self.errorf(f"can't handle {n.string()} for arg of type {kind}")

    def print_value(self, node, v) -> None:
        self.node = node
        if isinstance(v, Iface):
            v = v.v
        if v is MISSING:
            self.out.append("<no value>")
            return
        self.out.append(sprint([v]))


def _is_hex_int(s: str) -> bool:
    return len(s) > 2 and s[0] == "0" and s[1] in "xX" and not any(c in s for c in ".pP")


class Template:
    """A parsed template: text/template.New(name).Funcs(kubectl's).Parse(text)."""

    def __init__(self, text: str, name: str = "output"):
        self.name = name
        self.text = text
        try:
            self.trees = P.parse(name, text, BUILTINS)
        except P.ParseError as e:
            raise TemplateSyntaxError(str(e)) from None

    def execute(self, data, *, missing_error: bool = False) -> str:
        """The output, or ExecError carrying the output written before the error in `partial`."""
        out: list[str] = []
        tree = self.trees.get(self.name)
        st = _State(self.name, self, self.trees, self.text, self.name, missing_error, out)
        st.vars = [["$", data]]
        try:
            if tree is None:  # only {{define}}s: text/template's Execute refuses it
                raise ExecError(f"template: {self.name}: {quote(self.name)} is an incomplete or empty template")
            st.walk(data, tree)
        except ExecError as e:
            e.partial = "".join(out)
            raise
        except RecursionError:
            e = ExecError("caught panic: runtime error: stack overflow")
            e.partial = "".join(out)
            raise e from None
        return "".join(out)


class TemplateSyntaxError(Exception):
    pass
