"""Lexer and parser of Go's text/template (Go 1.23: src/text/template/parse/lex.go, parse.go,
node.go), with their error messages: ``template: NAME:LINE: MSG``.

Positions are byte offsets into the UTF-8 text, as Go counts them (error columns use them).
"""

from __future__ import annotations

# --- items (lex.go) ---------------------------------------------------------------------------

ERROR, BOOL, CHAR, CHARCONST, COMMENT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENT, LDELIM, LPAREN, NUMBER, \
    PIPE, RAWSTRING, RDELIM, RPAREN, SPACE, STRING, TEXT, VARIABLE = range(22)
KEYWORD = 100
BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH = range(101, 113)

_KEYS = {".": DOT, "block": BLOCK, "break": BREAK, "continue": CONTINUE, "define": DEFINE, "else": ELSE,
         "end": END, "if": IF, "range": RANGE, "nil": NIL, "template": TEMPLATE, "with": WITH}

_SPACE = " \t\r\n"


class Item:
    __slots__ = ("typ", "pos", "val", "line")

    def __init__(self, typ, pos, val, line):
        self.typ, self.pos, self.val, self.line = typ, pos, val, line

    def __str__(self) -> str:
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val.encode()) > 10:
            from minikctl.printers.gotemplate.gofmt import quote

            return quote(self.val[:10]) + "..."
        from minikctl.printers.gotemplate.gofmt import quote

        return quote(self.val)


def _is_alnum(c: str) -> bool:
    return c == "_" or c.isalpha() or c.isdigit()


class _Lexer:
    """lex.go, run to completion (items are produced in the order Go's lexer emits them)."""

    def __init__(self, text: str, break_ok: bool = True, continue_ok: bool = True):
        self.input = text
        self.pos = 0
        self.start = 0
        self.items: list[Item] = []
        self.paren = 0
        self._lc = (0, 1)  # (position, line there): lines are counted incrementally
        self.break_ok, self.continue_ok = break_ok, continue_ok
        self._bytepos = None

    # Go positions are byte offsets; text is indexed by characters here and converted on emit.
    def _b(self, i: int) -> int:
        if self.input.isascii():
            return i
        return len(self.input[:i].encode())

    def _line(self, i: int) -> int:
        p, n = self._lc
        if i >= p:
            n += self.input.count("\n", p, i)
        else:
            n -= self.input.count("\n", i, p)
        self._lc = (i, n)
        return n

    def emit(self, typ) -> None:
        val = self.input[self.start:self.pos]
        self.items.append(Item(typ, self._b(self.start), val, self._line(self.start)))
        self.start = self.pos

    def ignore(self) -> None:
        self.start = self.pos

    def error(self, msg: str) -> None:
        self.items.append(Item(ERROR, self._b(self.start), msg, self._line(min(self.start, len(self.input)))))
        raise _Stop

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.pos += 1  # so backup() works uniformly
            return ""
        c = self.input[self.pos]
        self.pos += 1
        return c

    def backup(self) -> None:
        self.pos -= 1

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def run(self) -> list[Item]:
        state = self.lex_text
        try:
            while state is not None:
                state = state()
        except _Stop:
            pass
        return self.items

    def lex_text(self):
        x = self.input.find("{{", self.pos)
        if x >= 0:
            self.pos = x
            trim = 0
            if self._has_left_trim(self.input[x + 2:x + 4]):
                seg = self.input[self.start:self.pos]
                trim = len(seg) - len(seg.rstrip(_SPACE))
            self.pos -= trim
            if self.pos > self.start:
                self.emit(TEXT)
            self.pos += trim
            self.ignore()
            return self.lex_left_delim
        self.pos = len(self.input)
        if self.pos > self.start:
            self.emit(TEXT)
        self.emit(EOF)
        return None

    @staticmethod
    def _has_left_trim(s: str) -> bool:
        return len(s) >= 2 and s[0] == "-" and s[1] in _SPACE

    @staticmethod
    def _has_right_trim(s: str) -> bool:
        return len(s) >= 2 and s[0] in _SPACE and s[1] == "-"

    def at_right_delim(self):
        s = self.input
        if self._has_right_trim(s[self.pos:self.pos + 2]) and s.startswith("}}", self.pos + 2):
            return True, True
        if s.startswith("}}", self.pos):
            return True, False
        return False, False

    def lex_left_delim(self):
        self.pos += 2
        trim = self._has_left_trim(self.input[self.pos:self.pos + 2])
        after = 2 if trim else 0
        if self.input.startswith("/*", self.pos + after):
            self.pos += after
            self.ignore()
            return self.lex_comment
        self.emit(LDELIM)
        self.pos += after
        self.ignore()
        self.paren = 0
        return self.lex_inside_action

    def lex_comment(self):
        self.pos += 2
        i = self.input.find("*/", self.pos)
        if i < 0:
            self.error("unclosed comment")
        self.pos = i + 2
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
        if trim:
            self.pos += 2
        self.pos += 2
        if trim:
            rest = self.input[self.pos:]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
        self.ignore()
        return self.lex_text

    def lex_right_delim(self, trim: bool):
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += 2
        self.emit(RDELIM)
        if trim:
            rest = self.input[self.pos:]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
            self.ignore()
        return self.lex_text

    def lex_inside_action(self):
        delim, trim = self.at_right_delim()
        if delim:
            if self.paren == 0:
                return self.lex_right_delim(trim)
            self.error("unclosed left paren")
        r = self.next()
        if r == "":
            self.error("unclosed action")
        elif r in _SPACE:
            self.backup()
            return self.lex_space
        elif r == "=":
            self.emit(ASSIGN)
        elif r == ":":
            if self.next() != "=":
                self.error("expected :=")
            self.emit(DECLARE)
        elif r == "|":
            self.emit(PIPE)
        elif r == '"':
            return self.lex_quote
        elif r == "`":
            return self.lex_raw_quote
        elif r == "$":
            return self.lex_variable
        elif r == "'":
            return self.lex_char
        elif r == "." and self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
            return self.lex_field
        elif r in "+-." or "0" <= r <= "9":
            self.backup()
            return self.lex_number
        elif _is_alnum(r):
            self.backup()
            return self.lex_identifier
        elif r == "(":
            self.emit(LPAREN)
            self.paren += 1
        elif r == ")":
            if self.paren == 0:
                self.error("unexpected right paren")
            self.paren -= 1
            self.emit(RPAREN)
        elif ord(r) < 128 and r.isprintable():
            self.emit(CHAR)
        else:
            self.error(f"unrecognized character in action: {_sharp_u(r)}")
        return self.lex_inside_action

    def lex_space(self):
        n = 0
        while self.peek() and self.peek() in _SPACE:
            self.next()
            n += 1
        if self._has_right_trim(self.input[self.pos - 1:self.pos + 1]) and self.input.startswith("}}", self.pos + 1):
            self.backup()
            if n == 1:
                return self.lex_inside_action
        self.emit(SPACE)
        return self.lex_inside_action

    def lex_identifier(self):
        while True:
            r = self.next()
            if r and _is_alnum(r):
                continue
            self.backup()
            word = self.input[self.start:self.pos]
            if not self.at_terminator():
                self.error(f"bad character {_sharp_u(r)}")
            k = _KEYS.get(word)
            if k is not None and k > KEYWORD and not (k == BREAK and not self.break_ok) \
                    and not (k == CONTINUE and not self.continue_ok):
                self.emit(k)
            elif word[0] == ".":
                self.emit(FIELD)
            elif word in ("true", "false"):
                self.emit(BOOL)
            else:
                self.emit(IDENT)
            return self.lex_inside_action

    def lex_field(self):
        return self._field_or_var(FIELD)

    def lex_variable(self):
        if self.at_terminator():
            self.emit(VARIABLE)
            return self.lex_inside_action
        return self._field_or_var(VARIABLE)

    def _field_or_var(self, typ):
        if self.at_terminator():
            self.emit(VARIABLE if typ == VARIABLE else DOT)
            return self.lex_inside_action
        while True:
            r = self.next()
            if not (r and _is_alnum(r)):
                self.backup()
                break
        if not self.at_terminator():
            self.error(f"bad character {_sharp_u(r)}")
        self.emit(typ)
        return self.lex_inside_action

    def at_terminator(self) -> bool:
        r = self.peek()
        if r == "" or r in _SPACE:
            return True
        if r in ".,|:)(":
            return True
        return self.input.startswith("}}", self.pos)

    def lex_char(self):
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 != "" and r2 != "\n":
                    continue
                self.error("unterminated character constant")
            if r in ("", "\n"):
                self.error("unterminated character constant")
            if r == "'":
                break
        self.emit(CHARCONST)
        return self.lex_inside_action

    def lex_number(self):
        if not self._scan_number():
            self.error(f"bad number syntax: {_q(self.input[self.start:self.pos])}")
        if self.peek() in ("+", "-") and self.peek():
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                self.error(f"bad number syntax: {_q(self.input[self.start:self.pos])}")
            self.emit(COMPLEX)
        else:
            self.emit(NUMBER)
        return self.lex_inside_action

    def _accept(self, valid: str) -> bool:
        r = self.next()
        if r and r in valid:
            return True
        self.backup()
        return False

    def _accept_run(self, valid: str) -> None:
        while True:
            r = self.next()
            if not (r and r in valid):
                break
        self.backup()

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 10 + 1 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 16 + 6 + 1 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        r = self.peek()
        if r and _is_alnum(r):
            self.next()
            return False
        return True

    def lex_quote(self):
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 != "" and r2 != "\n":
                    continue
                self.error("unterminated quoted string")
            if r in ("", "\n"):
                self.error("unterminated quoted string")
            if r == '"':
                break
        self.emit(STRING)
        return self.lex_inside_action

    def lex_raw_quote(self):
        while True:
            r = self.next()
            if r == "":
                self.error("unterminated raw quoted string")
            if r == "`":
                break
        self.emit(RAWSTRING)
        return self.lex_inside_action


class _Stop(Exception):
    pass


def _sharp_u(r: str) -> str:
    """fmt's %#U: U+0041 'A'."""
    if r == "":
        return "U+FFFFFFFFFFFFFFFF"
    o = ord(r)
    s = "U+%04X" % o
    if r.isprintable():
        s += f" '{r}'"
    return s


def _q(s: str) -> str:
    from minikctl.printers.gotemplate.gofmt import quote

    return quote(s)


# --- nodes (node.go) --------------------------------------------------------------------------


class Node:
    __slots__ = ("pos", "tree")
    kind = ""

    def string(self) -> str:
        raise NotImplementedError


class TextNode(Node):
    __slots__ = ("text",)
    kind = "text"

    def __init__(self, pos, text):
        self.pos, self.text = pos, text

    def string(self):
        from minikctl.printers.gotemplate.gofmt import quote

        return quote(self.text)


class CommentNode(Node):
    __slots__ = ("text",)
    kind = "comment"


class ListNode(Node):
    __slots__ = ("nodes",)
    kind = "list"

    def __init__(self, pos):
        self.pos, self.nodes = pos, []

    def string(self):
        return "".join(n.string() for n in self.nodes)


class PipeNode(Node):
    __slots__ = ("line", "is_assign", "decl", "cmds")
    kind = "pipe"

    def __init__(self, pos, line):
        self.pos, self.line, self.is_assign, self.decl, self.cmds = pos, line, False, [], []

    def string(self):
        s = ""
        if self.decl:
            s = ", ".join(v.string() for v in self.decl) + (" = " if self.is_assign else " := ")
        return s + " | ".join(c.string() for c in self.cmds)


class ActionNode(Node):
    __slots__ = ("line", "pipe")
    kind = "action"

    def __init__(self, pos, line, pipe):
        self.pos, self.line, self.pipe = pos, line, pipe

    def string(self):
        return "{{" + self.pipe.string() + "}}"


class CommandNode(Node):
    __slots__ = ("args",)
    kind = "command"

    def __init__(self, pos):
        self.pos, self.args = pos, []

    def string(self):
        return " ".join("(" + a.string() + ")" if isinstance(a, PipeNode) else a.string() for a in self.args)


class IdentifierNode(Node):
    __slots__ = ("ident",)
    kind = "identifier"

    def __init__(self, pos, ident):
        self.pos, self.ident = pos, ident

    def string(self):
        return self.ident


class VariableNode(Node):
    __slots__ = ("ident",)
    kind = "variable"

    def __init__(self, pos, ident):
        self.pos, self.ident = pos, ident.split(".")

    def string(self):
        return ".".join(self.ident)


class DotNode(Node):
    __slots__ = ()
    kind = "dot"

    def __init__(self, pos):
        self.pos = pos

    def string(self):
        return "."


class NilNode(Node):
    __slots__ = ()
    kind = "nil"

    def __init__(self, pos):
        self.pos = pos

    def string(self):
        return "nil"


class FieldNode(Node):
    __slots__ = ("ident",)
    kind = "field"

    def __init__(self, pos, ident):
        self.pos, self.ident = pos, ident[1:].split(".")

    def string(self):
        return "".join("." + i for i in self.ident)


class ChainNode(Node):
    __slots__ = ("node", "field")
    kind = "chain"

    def __init__(self, pos, node):
        self.pos, self.node, self.field = pos, node, []

    def add(self, field: str) -> None:
        if not field or field[0] != ".":
            raise ValueError("no dot in field")
        field = field[1:]
        if not field:
            raise ValueError("empty field")
        self.field.append(field)

    def string(self):
        s = self.node.string()
        if isinstance(self.node, PipeNode):
            s = "(" + s + ")"
        return s + "".join("." + f for f in self.field)


class BoolNode(Node):
    __slots__ = ("true",)
    kind = "bool"

    def __init__(self, pos, true):
        self.pos, self.true = pos, true

    def string(self):
        return "true" if self.true else "false"


class NumberNode(Node):
    __slots__ = ("is_int", "is_uint", "is_float", "is_complex", "int64", "uint64", "float64", "complex128", "text")
    kind = "number"

    def string(self):
        return self.text


class StringNode(Node):
    __slots__ = ("quoted", "text")
    kind = "string"

    def __init__(self, pos, quoted, text):
        self.pos, self.quoted, self.text = pos, quoted, text

    def string(self):
        return self.quoted


class EndNode(Node):
    __slots__ = ()
    kind = "end"

    def __init__(self, pos):
        self.pos = pos

    def string(self):
        return "{{end}}"


class ElseNode(Node):
    __slots__ = ("line",)
    kind = "else"

    def __init__(self, pos, line):
        self.pos, self.line = pos, line

    def string(self):
        return "{{else}}"


class BranchNode(Node):
    __slots__ = ("line", "pipe", "list", "else_list")
    keyword = ""

    def __init__(self, pos, line, pipe, lst, else_list):
        self.pos, self.line, self.pipe, self.list, self.else_list = pos, line, pipe, lst, else_list

    def string(self):
        s = "{{" + self.keyword + " " + self.pipe.string() + "}}" + self.list.string()
        if self.else_list is not None:
            s += "{{else}}" + self.else_list.string()
        return s + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    kind = "if"
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    kind = "range"
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    kind = "with"
    keyword = "with"


class BreakNode(Node):
    __slots__ = ("line",)
    kind = "break"

    def __init__(self, pos, line):
        self.pos, self.line = pos, line

    def string(self):
        return "{{break}}"


class ContinueNode(Node):
    __slots__ = ("line",)
    kind = "continue"

    def __init__(self, pos, line):
        self.pos, self.line = pos, line

    def string(self):
        return "{{continue}}"


class TemplateNode(Node):
    __slots__ = ("line", "name", "pipe")
    kind = "template"

    def __init__(self, pos, line, name, pipe):
        self.pos, self.line, self.name, self.pipe = pos, line, name, pipe

    def string(self):
        from minikctl.printers.gotemplate.gofmt import quote

        if self.pipe is None:
            return "{{template " + quote(self.name) + "}}"
        return "{{template " + quote(self.name) + " " + self.pipe.string() + "}}"


# --- parser (parse.go) ------------------------------------------------------------------------


class ParseError(Exception):
    pass


class _Tree:
    def __init__(self, name: str, p: "_Parser"):
        self.name = name
        self.root: ListNode | None = None
        self.p = p


def _is_empty_tree(n) -> bool:
    if n is None:
        return True
    if isinstance(n, ListNode):
        return all(_is_empty_tree(x) for x in n.nodes)
    if isinstance(n, TextNode):
        return not n.text.strip(" \t\n\r\v\f\x85\xa0")
    return False


class _Parser:
    def __init__(self, name: str, text: str, funcs):
        self.parse_name = name
        self.text = text
        self.funcs = funcs
        self.items = _Lexer(text, "break" not in funcs, "continue" not in funcs).run()
        self.i = 0  # index of the next item to read
        self.fetched = 0  # how many items the lexer has handed out (token[0] is the last one)
        self.vars = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.tree_set: dict[str, ListNode] = {}

    # token stream
    def _fetch(self, i: int) -> Item:
        if i + 1 > self.fetched:
            self.fetched = i + 1
        return self.items[min(i, len(self.items) - 1)]

    def next(self) -> Item:
        it = self._fetch(self.i)
        self.i += 1
        return it

    def backup(self, n: int = 1) -> None:
        self.i -= n

    def peek(self) -> Item:
        return self._fetch(self.i)

    def next_non_space(self) -> Item:
        while True:
            t = self.next()
            if t.typ != SPACE:
                return t

    def peek_non_space(self) -> Item:
        t = self.next_non_space()
        self.backup()
        return t

    def errorf(self, msg: str):
        line = self.items[min(self.fetched, len(self.items)) - 1].line if self.fetched else 1
        raise ParseError(f"template: {self.parse_name}:{line}: {msg}")

    def expect(self, typ, context) -> Item:
        t = self.next_non_space()
        if t.typ != typ:
            self.unexpected(t, context)
        return t

    def unexpected(self, token: Item, context: str):
        if token.typ == ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token.line:
                extra = f" in action started at {self.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # structure
    def parse(self) -> dict[str, ListNode]:
        root = ListNode(self.peek().pos)
        while self.peek().typ != EOF:
            if self.peek().typ == LDELIM:
                self.next()
                if self.next_non_space().typ == DEFINE:
                    self.parse_definition()
                    continue
                # backup2: the delimiter and the token after it are read again
                self.i = self._index_of_ldelim()
            n = self.text_or_action()
            if n.kind in ("end", "else"):
                self.errorf(f"unexpected {n.string()}")
            root.nodes.append(n)
        self.add(self.parse_name, root)
        return self.tree_set

    def _index_of_ldelim(self) -> int:
        j = self.i - 1
        while self.items[j].typ != LDELIM:
            j -= 1
        return j

    def add(self, name: str, root: ListNode) -> None:
        tree = self.tree_set.get(name)
        if tree is None or _is_empty_tree(tree):
            self.tree_set[name] = root
            return
        if not _is_empty_tree(root):
            from minikctl.printers.gotemplate.gofmt import quote

            self.errorf(f"template: multiple definition of template {quote(name)}")

    def parse_definition(self) -> None:
        context = "define clause"
        t = self.next_non_space()
        if t.typ not in (STRING, RAWSTRING):
            self.unexpected(t, context)
        name = self.unquote(t.val)
        self.expect(RDELIM, context)
        saved = self.vars
        self.vars = ["$"]
        root, end = self.item_list()
        self.vars = saved
        if end.kind != "end":
            self.errorf(f"unexpected {end.string()} in {context}")
        self.add(name, root)

    def item_list(self):
        lst = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != EOF:
            n = self.text_or_action()
            if n.kind in ("end", "else"):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")

    def text_or_action(self):
        t = self.next_non_space()
        if t.typ == TEXT:
            return TextNode(t.pos, t.val)
        if t.typ == LDELIM:
            self.action_line = t.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        self.unexpected(t, "input")

    def action(self):
        t = self.next_non_space()
        typ = t.typ
        if typ == BLOCK:
            return self.block_control()
        if typ == BREAK:
            return self.break_control(t.pos, t.line, "break")
        if typ == CONTINUE:
            return self.break_control(t.pos, t.line, "continue")
        if typ == ELSE:
            return self.else_control()
        if typ == END:
            return EndNode(self.expect(RDELIM, "end").pos)
        if typ == IF:
            return IfNode(*self.parse_control("if"))
        if typ == RANGE:
            return RangeNode(*self.parse_control("range"))
        if typ == TEMPLATE:
            return self.template_control()
        if typ == WITH:
            return WithNode(*self.parse_control("with"))
        self.backup()
        tok = self.peek()
        return ActionNode(tok.pos, tok.line, self.pipeline("command", RDELIM))

    def break_control(self, pos, line, word):
        t = self.next_non_space()
        if t.typ != RDELIM:
            self.unexpected(t, "{{" + word + "}}")
        if self.range_depth == 0:
            self.errorf("{{" + word + "}} outside {{range}}")
        return BreakNode(pos, line) if word == "break" else ContinueNode(pos, line)

    def pipeline(self, context: str, end) -> PipeNode:
        tok = self.peek_non_space()
        pipe = PipeNode(tok.pos, tok.line)
        while True:  # decls
            v = self.peek_non_space()
            if v.typ != VARIABLE:
                break
            self.next_non_space()
            after = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (ASSIGN, DECLARE):
                pipe.is_assign = nxt.typ == ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val))
                self.vars.append(v.val)
                break
            if nxt.typ == CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (VARIABLE, RDELIM, RPAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            # not a declaration: push the variable (and the space after it) back
            self.i = self._index_of(v)
            break
        while True:
            t = self.next_non_space()
            if t.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if t.typ in (BOOL, CHARCONST, COMPLEX, DOT, FIELD, IDENT, NUMBER, NIL, RAWSTRING, STRING, VARIABLE,
                         LPAREN):
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(t, context)

    def _index_of(self, item: Item) -> int:
        j = self.i - 1
        while self.items[j] is not item:
            j -= 1
        return j

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if c.args[0].kind in ("bool", "dot", "nil", "number", "string"):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def parse_control(self, context: str):
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, RDELIM)
            if context == "range":
                self.range_depth += 1
            lst, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list = None
            if nxt.kind == "else":
                if context == "if" and self.peek().typ == IF:
                    self.next()
                    else_list = ListNode(nxt.pos)
                    else_list.nodes.append(IfNode(*self.parse_control("if")))
                elif context == "with" and self.peek().typ == WITH:
                    self.next()
                    else_list = ListNode(nxt.pos)
                    else_list.nodes.append(WithNode(*self.parse_control("with")))
                else:
                    else_list, nxt = self.item_list()
                    if nxt.kind != "end":
                        self.errorf(f"expected end; found {nxt.string()}")
            return pipe.pos, pipe.line, pipe, lst, else_list
        finally:
            del self.vars[mark:]

    def else_control(self):
        peek = self.peek_non_space()
        if peek.typ in (IF, WITH):
            return ElseNode(peek.pos, peek.line)
        t = self.expect(RDELIM, "else")
        return ElseNode(t.pos, t.line)

    def block_control(self):
        context = "block clause"
        t = self.next_non_space()
        name = self.template_name(t, context)
        pipe = self.pipeline(context, RDELIM)
        saved, saved_depth = self.vars, self.range_depth
        self.vars, self.range_depth = ["$"], 0
        root, end = self.item_list()
        self.vars, self.range_depth = saved, saved_depth
        if end.kind != "end":
            self.errorf(f"unexpected {end.string()} in {context}")
        self.add(name, root)
        return TemplateNode(t.pos, t.line, name, pipe)

    def template_control(self):
        context = "template clause"
        t = self.next_non_space()
        name = self.template_name(t, context)
        pipe = None
        if self.next_non_space().typ != RDELIM:
            self.backup()
            pipe = self.pipeline(context, RDELIM)
        return TemplateNode(t.pos, t.line, name, pipe)

    def template_name(self, t: Item, context: str) -> str:
        if t.typ in (STRING, RAWSTRING):
            return self.unquote(t.val)
        self.unexpected(t, context)

    def unquote(self, s: str) -> str:
        from minikctl.printers.gotemplate.gofmt import unquote

        try:
            return unquote(s)
        except ValueError as e:
            self.errorf(str(e))

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            op = self.operand()
            if op is not None:
                cmd.args.append(op)
            t = self.next()
            if t.typ == SPACE:
                continue
            if t.typ in (RDELIM, RPAREN):
                self.backup()
            elif t.typ == PIPE:
                pass
            else:
                self.unexpected(t, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self):
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == FIELD:
            chain = ChainNode(self.peek().pos, node)
            while self.peek().typ == FIELD:
                chain.add(self.next().val)
            k = node.kind
            if k == "field":
                node = FieldNode(chain.pos, chain.string())
            elif k == "variable":
                node = VariableNode(chain.pos, chain.string())
            elif k in ("bool", "string", "number", "nil", "dot"):
                from minikctl.printers.gotemplate.gofmt import quote

                self.errorf(f"unexpected . after term {quote(node.string())}")
            else:
                node = chain
        return node

    def term(self):
        t = self.next_non_space()
        typ = t.typ
        if typ == IDENT:
            if t.val not in self.funcs:
                from minikctl.printers.gotemplate.gofmt import quote

                self.errorf(f"function {quote(t.val)} not defined")
            return IdentifierNode(t.pos, t.val)
        if typ == DOT:
            return DotNode(t.pos)
        if typ == NIL:
            return NilNode(t.pos)
        if typ == VARIABLE:
            v = VariableNode(t.pos, t.val)
            if v.ident[0] not in self.vars:
                from minikctl.printers.gotemplate.gofmt import quote

                self.errorf(f"undefined variable {quote(v.ident[0])}")
            return v
        if typ == FIELD:
            return FieldNode(t.pos, t.val)
        if typ == BOOL:
            return BoolNode(t.pos, t.val == "true")
        if typ in (CHARCONST, COMPLEX, NUMBER):
            try:
                return new_number(t.pos, t.val, typ)
            except ValueError as e:
                self.errorf(str(e))
        if typ == LPAREN:
            return self.pipeline("parenthesized pipeline", RPAREN)
        if typ in (STRING, RAWSTRING):
            return StringNode(t.pos, t.val, self.unquote(t.val))
        self.backup()
        return None


def _parse_go_int(text: str) -> int:
    """strconv.ParseInt(text, 0, 64) / ParseUint's syntax (base prefixes, underscores)."""
    s = text
    neg = False
    if s[:1] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if not s:
        raise ValueError
    base = 10
    low = s[:2].lower()
    if low in ("0x", "0o", "0b"):
        base = {"0x": 16, "0o": 8, "0b": 2}[low]
        s = s[2:]
    elif len(s) > 1 and s[0] == "0":
        base = 8
        s = s[1:]
    if "_" in s:
        if s.startswith("_") or s.endswith("_") or "__" in s:
            if not (base == 8 and text.lstrip("+-").startswith("0_")):
                raise ValueError
        s = s.replace("_", "")
    v = int(s, base)
    return -v if neg else v


def _parse_go_float(text: str) -> float:
    s = text.replace("_", "")
    if s.lower().lstrip("+-").startswith("0x"):
        return float.fromhex(s)
    if s.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        raise ValueError
    return float(s)


def new_number(pos: int, text: str, typ) -> NumberNode:
    """node.go newNumber: which of int/uint/float/complex the constant can be."""
    n = NumberNode()
    n.pos, n.text = pos, text
    n.is_int = n.is_uint = n.is_float = n.is_complex = False
    n.int64 = n.uint64 = 0
    n.float64 = 0.0
    n.complex128 = 0j
    if typ == CHARCONST:
        from minikctl.printers.gotemplate.gofmt import unquote_char

        try:
            r = unquote_char(text)
        except ValueError:
            raise ValueError(f"malformed character constant: {text}") from None
        n.int64 = n.uint64 = r
        n.float64 = float(r)
        n.is_int = n.is_uint = n.is_float = True
        return n
    if typ == COMPLEX:
        try:
            c = complex(text.replace("i", "j"))
        except ValueError:
            raise ValueError(f"illegal number syntax: {_q(text)}") from None
        n.is_complex, n.complex128 = True, c
        _simplify_complex(n)
        return n
    if text.endswith("i"):
        try:
            f = _parse_go_float(text[:-1])
        except ValueError:
            raise ValueError(f"illegal number syntax: {_q(text)}") from None
        n.is_complex, n.complex128 = True, complex(0, f)
        _simplify_complex(n)
        return n
    try:
        u = _parse_go_int(text)
        if 0 <= u < 1 << 64 and not text.startswith("-"):
            n.is_uint, n.uint64 = True, u
    except ValueError:
        pass
    try:
        i = _parse_go_int(text)
        if -(1 << 63) <= i < 1 << 63:
            n.is_int, n.int64 = True, i
            if i == 0:
                n.is_uint, n.uint64 = True, 0
    except ValueError:
        pass
    if n.is_int:
        n.is_float, n.float64 = True, float(n.int64)
    elif n.is_uint:
        n.is_float, n.float64 = True, float(n.uint64)
    else:
        try:
            f = _parse_go_float(text)
            if not any(c in text for c in ".eEpP"):
                raise _Overflow(f"integer overflow: {_q(text)}")
            n.is_float, n.float64 = True, f
            if f == int(f) and abs(f) < 2 ** 63:
                n.is_int, n.int64 = True, int(f)
                if f >= 0:
                    n.is_uint, n.uint64 = True, int(f)
        except _Overflow as e:
            raise ValueError(str(e)) from None
        except (ValueError, OverflowError):
            pass
    if not (n.is_int or n.is_uint or n.is_float):
        raise ValueError(f"illegal number syntax: {_q(text)}")
    return n


class _Overflow(Exception):
    pass


def _simplify_complex(n: NumberNode) -> None:
    if n.complex128.imag == 0:
        n.is_float, n.float64 = True, n.complex128.real
        if n.float64 == int(n.float64):
            n.is_int, n.int64 = True, int(n.float64)
            if n.float64 >= 0:
                n.is_uint, n.uint64 = True, int(n.float64)


def parse(name: str, text: str, funcs) -> dict[str, ListNode]:
    """parse.Parse: the trees of `text` (the top-level one named `name`, and every {{define}})."""
    return _Parser(name, text, funcs).parse()
