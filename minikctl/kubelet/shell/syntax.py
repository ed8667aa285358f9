"""The shell's syntax: the lexer (text to words and operators) and the parser (to a tree of nodes)."""

from __future__ import annotations

import re


RESERVED = {"if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
            "{", "}", "!"}


class ShellSyntaxError(Exception):
    def __init__(self, kind: str, token: str = "", line: int = 1, expecting: str = ""):
        super().__init__(kind)
        self.kind = kind          # "unexpected" | "eof" | "unterminated"
        self.token = token
        self.line = line
        self.expecting = expecting


# =============================================================== lexer
class Word:
    """A shell word: parts are ('l', text) unquoted literal, ('q', text) quoted literal,
    ('v', name, op, argword, quoted) parameter, ('c', script, quoted) command substitution,
    ('a', expr, quoted) arithmetic."""

    __slots__ = ("parts",)

    def __init__(self, parts: list):
        self.parts = parts

    def literal(self) -> str | None:
        """The text when the word is one unquoted literal (reserved words, assignments)."""
        if len(self.parts) == 1 and self.parts[0][0] == "l":
            return self.parts[0][1]
        return None

    def raw(self) -> str:
        out = []
        for p in self.parts:
            if p[0] in ("l", "q"):
                out.append(p[1])
            elif p[0] == "v":
                out.append("$" + p[1])
            elif p[0] == "c":
                out.append("$(" + p[1] + ")")
            else:
                out.append("$((" + p[1] + "))")
        return "".join(out)

    def quoted_any(self) -> bool:
        return any(p[0] == "q" or (p[0] in ("v", "c", "a") and p[-1]) for p in self.parts)

    def __repr__(self) -> str:
        return f"Word({self.parts!r})"


_OPS = ("&&", "||", ";;", ">>", "<<-", "<<", ">&", "<&", "&>>", "&>", ">|", "<>", ";", "&", "|", "(", ")", "<", ">")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Lexer:
    def __init__(self, text: str, line: int = 1):
        self.s = text
        self.i = 0
        self.line = line
        self.tokens: list[tuple] = []
        self.heredocs: list[list] = []  # pending [delim, strip_tabs, quoted, token_index]

    def tokenize(self) -> list[tuple]:
        s = self.s
        n = len(s)
        while self.i < n:
            c = s[self.i]
            if c in " \t":
                self.i += 1
                continue
            if c == "\\" and self.i + 1 < n and s[self.i + 1] == "\n":
                self.i += 2
                self.line += 1
                continue
            if c == "\n":
                self.tokens.append(("NL", "\n", self.line))
                self.i += 1
                self.line += 1
                if self.heredocs:
                    self._read_heredocs()
                continue
            if c == "#":
                while self.i < n and s[self.i] != "\n":
                    self.i += 1
                continue
            op = self._op()
            if op:
                continue
            self._word()
        if self.heredocs:
            self._read_heredocs()
        self.tokens.append(("EOF", "", self.line))
        return self.tokens

    def _op(self) -> bool:
        s = self.s
        for op in _OPS:
            if s.startswith(op, self.i):
                self.i += len(op)
                if op in ("<<", "<<-"):
                    self.tokens.append(("OP", op, self.line))
                    # the delimiter word follows
                    while self.i < len(s) and s[self.i] in " \t":
                        self.i += 1
                    start = self.i
                    w = self._read_word()
                    raw = self.s[start:self.i]
                    quoted = any(ch in raw for ch in "'\"\\")
                    delim = "".join(p[1] for p in w.parts if p[0] in ("l", "q"))
                    self.tokens.append(("HEREDOC", None, self.line))
                    self.heredocs.append([delim, op == "<<-", quoted, len(self.tokens) - 1])
                else:
                    self.tokens.append(("OP", op, self.line))
                return True
        return False

    def _read_heredocs(self) -> None:
        s = self.s
        for delim, strip, quoted, idx in self.heredocs:
            lines = []
            while self.i < len(s):
                j = s.find("\n", self.i)
                if j < 0:
                    j = len(s)
                ln = s[self.i:j]
                self.i = j + 1
                self.line += 1
                check = ln.lstrip("\t") if strip else ln
                if check == delim:
                    break
                lines.append(check if strip else ln)
            body = "".join(x + "\n" for x in lines)
            if quoted:
                word = Word([("q", body)])
            else:
                word = Lexer(body).read_dquoted_body(body)
            t = self.tokens[idx]
            self.tokens[idx] = ("HEREDOC", word, t[2])
        self.heredocs = []

    def read_dquoted_body(self, text: str) -> Word:
        """Here-document contents: expansions as in double quotes, but quotes are literal."""
        self.s = text
        self.i = 0
        parts: list = []
        buf: list[str] = []
        while self.i < len(text):
            c = text[self.i]
            if c == "\\" and self.i + 1 < len(text) and text[self.i + 1] in "$`\\\n":
                if text[self.i + 1] != "\n":
                    buf.append(text[self.i + 1])
                self.i += 2
                continue
            if c in "$`":
                p = self._dollar(True) if c == "$" else self._backtick(True)
                if p is None:
                    buf.append(c)
                    self.i += 1
                    continue
                if buf:
                    parts.append(("q", "".join(buf)))
                    buf = []
                parts.append(p)
                continue
            buf.append(c)
            self.i += 1
        if buf:
            parts.append(("q", "".join(buf)))
        return Word(parts)

    def _word(self) -> None:
        line = self.line
        start = self.i
        w = self._read_word()
        raw = self.s[start:self.i]
        # IO number: 2>file, 2>&1
        if raw.isdigit() and self.i < len(self.s) and self.s[self.i] in "<>":
            self.tokens.append(("IONUM", int(raw), line))
            return
        self.tokens.append(("WORD", w, line))

    def _read_word(self) -> Word:
        s = self.s
        n = len(s)
        parts: list = []
        buf: list[str] = []

        def flush(kind="l"):
            nonlocal buf
            if buf:
                parts.append((kind, "".join(buf)))
                buf = []

        while self.i < n:
            c = s[self.i]
            if c in " \t\n;&|()<>":
                break
            if c == "\\":
                if self.i + 1 < n:
                    if s[self.i + 1] == "\n":
                        self.i += 2
                        self.line += 1
                        continue
                    flush()
                    parts.append(("q", s[self.i + 1]))
                    self.i += 2
                else:
                    self.i += 1
                continue
            if c == "'":
                j = s.find("'", self.i + 1)
                if j < 0:
                    raise ShellSyntaxError("unterminated", "'", self.line)
                flush()
                parts.append(("q", s[self.i + 1:j]))
                self.line += s.count("\n", self.i, j)
                self.i = j + 1
                continue
            if c == '"':
                flush()
                self.i += 1
                parts.extend(self._dquote())
                continue
            if c == "$":
                p = self._dollar(False)
                if p is None:
                    buf.append("$")
                    self.i += 1
                    continue
                flush()
                parts.append(p)
                continue
            if c == "`":
                flush()
                parts.append(self._backtick(False))
                continue
            buf.append(c)
            self.i += 1
        flush()
        if not parts:
            parts.append(("q", ""))
        return Word(parts)

    def _dquote(self) -> list:
        s = self.s
        parts: list = []
        buf: list[str] = []
        while True:
            if self.i >= len(s):
                raise ShellSyntaxError("unterminated", '"', self.line)
            c = s[self.i]
            if c == '"':
                self.i += 1
                break
            if c == "\\" and self.i + 1 < len(s) and s[self.i + 1] in '$`"\\\n':
                if s[self.i + 1] == "\n":
                    self.line += 1
                else:
                    buf.append(s[self.i + 1])
                self.i += 2
                continue
            if c in "$`":
                p = self._dollar(True) if c == "$" else self._backtick(True)
                if p is None:
                    buf.append(c)
                    self.i += 1
                    continue
                if buf:
                    parts.append(("q", "".join(buf)))
                    buf = []
                parts.append(p)
                continue
            if c == "\n":
                self.line += 1
            buf.append(c)
            self.i += 1
        if buf or not parts:
            parts.append(("q", "".join(buf)))
        return parts

    def _matching(self, start: int, open_: str, close: str) -> int:
        """Index of the `close` matching an already-consumed `open_`, honouring quotes."""
        s = self.s
        depth = 1
        i = start
        while i < len(s):
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if c == "'":
                j = s.find("'", i + 1)
                if j < 0:
                    break
                i = j + 1
                continue
            if c == '"':
                i += 1
                while i < len(s) and s[i] != '"':
                    i += 2 if s[i] == "\\" else 1
                i += 1
                continue
            if c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        raise ShellSyntaxError("unterminated", open_, self.line)

    def _dollar(self, quoted: bool):
        s = self.s
        i = self.i + 1
        if i >= len(s):
            return None
        c = s[i]
        if s.startswith("((", i):
            end = self._matching(i + 2, "(", ")")
            if end + 1 < len(s) and s[end + 1] == ")":
                self.i = end + 2
                return ("a", s[i + 2:end], quoted)
        if c == "(":
            end = self._matching(i + 1, "(", ")")
            self.line += s.count("\n", i, end)
            self.i = end + 1
            return ("c", s[i + 1:end], quoted)
        if c == "{":
            end = self._matching(i + 1, "{", "}")
            inner = s[i + 1:end]
            self.i = end + 1
            return self._brace(inner, quoted)
        m = _NAME.match(s, i)
        if m:
            self.i = m.end()
            return ("v", m.group(0), None, None, quoted)
        if c in "?$#@*!-0123456789":
            self.i = i + 1
            return ("v", c, None, None, quoted)
        return None

    def _brace(self, inner: str, quoted: bool):
        if inner.startswith("#") and len(inner) > 1 and (_NAME.fullmatch(inner[1:]) or inner[1:] in "?#@*"):
            return ("v", inner[1:], "len", None, quoted)
        m = _NAME.match(inner) or re.match(r"[?$#@*!\-0-9]", inner)
        if not m:
            raise ShellSyntaxError("badsubst", "${" + inner + "}", self.line)
        name = m.group(0)
        rest = inner[m.end():]
        if not rest:
            return ("v", name, None, None, quoted)
        for op in (":-", ":=", ":+", ":?", "-", "=", "+", "?", "##", "#", "%%", "%"):
            if rest.startswith(op):
                arg = Lexer(rest[len(op):]).read_arg_word()
                return ("v", name, op, arg, quoted)
        raise ShellSyntaxError("badsubst", "${" + inner + "}", self.line)

    def read_arg_word(self) -> Word:
        """The word inside ${x:-word}: may contain spaces and quotes."""
        parts: list = []
        while self.i < len(self.s):
            if self.s[self.i] in " \t":
                parts.append(("q", self.s[self.i]))
                self.i += 1
                continue
            w = self._read_word()
            parts.extend(w.parts)
            if self.i < len(self.s) and self.s[self.i] not in " \t":
                parts.append(("q", self.s[self.i]))
                self.i += 1
        return Word(parts or [("q", "")])

    def _backtick(self, quoted: bool):
        s = self.s
        j = self.i + 1
        buf = []
        while j < len(s) and s[j] != "`":
            if s[j] == "\\" and j + 1 < len(s) and s[j + 1] in "`\\$":
                buf.append(s[j + 1])
                j += 2
                continue
            buf.append(s[j])
            j += 1
        if j >= len(s):
            raise ShellSyntaxError("unterminated", "`", self.line)
        self.i = j + 1
        return ("c", "".join(buf), quoted)


# =============================================================== parser
class Parser:
    def __init__(self, tokens: list[tuple]):
        self.t = tokens
        self.i = 0

    def peek(self) -> tuple:
        return self.t[self.i]

    def next(self) -> tuple:
        tok = self.t[self.i]
        self.i += 1
        return tok

    def _is_word(self, tok, value: str) -> bool:
        return tok[0] == "WORD" and tok[1].literal() == value

    def _skip_nl(self) -> None:
        while self.peek()[0] == "NL":
            self.i += 1

    def _unexpected(self, tok, expecting: str = ""):
        if tok[0] == "EOF":
            raise ShellSyntaxError("eof", "", tok[2], expecting)
        text = tok[1] if tok[0] in ("OP",) else ("newline" if tok[0] == "NL" else
                                                 tok[1].raw() if tok[0] == "WORD" else str(tok[1]))
        raise ShellSyntaxError("unexpected", text, tok[2], expecting)

    def parse_program(self):
        self._skip_nl()
        if self.peek()[0] == "EOF":
            return ("list", [])
        node = self.parse_list(())
        if self.peek()[0] != "EOF":
            self._unexpected(self.peek())
        return node

    def parse_list(self, terminators: tuple):
        items = []
        while True:
            self._skip_nl()
            tok = self.peek()
            if tok[0] == "EOF":
                break
            if tok[0] == "WORD" and tok[1].literal() in terminators:
                break
            if tok[0] == "OP" and tok[1] in (")", ";;") and (tok[1] in terminators):
                break
            if tok[0] == "OP" and tok[1] in (";", "&", "|", "&&", "||", ")", ";;"):
                self._unexpected(tok)
            ao = self.parse_and_or(terminators)
            asynchronous = False
            tok = self.peek()
            if tok[0] == "OP" and tok[1] in (";", "&"):
                asynchronous = tok[1] == "&"
                self.next()
            elif tok[0] not in ("NL", "EOF") and not (tok[0] == "WORD" and tok[1].literal() in terminators) \
                    and not (tok[0] == "OP" and tok[1] in terminators):
                self._unexpected(tok)
            items.append((ao, asynchronous))
        return ("list", items)

    def parse_and_or(self, terminators: tuple):
        first = self.parse_pipeline(terminators)
        rest = []
        while self.peek()[0] == "OP" and self.peek()[1] in ("&&", "||"):
            op = self.next()[1]
            self._skip_nl()
            rest.append((op, self.parse_pipeline(terminators)))
        return ("andor", first, rest)

    def parse_pipeline(self, terminators: tuple):
        negate = False
        if self._is_word(self.peek(), "!"):
            self.next()
            negate = True
        cmds = [self.parse_command(terminators)]
        while self.peek()[0] == "OP" and self.peek()[1] == "|":
            self.next()
            self._skip_nl()
            cmds.append(self.parse_command(terminators))
        return ("pipe", negate, cmds)

    def parse_command(self, terminators: tuple):
        tok = self.peek()
        lit = tok[1].literal() if tok[0] == "WORD" else None
        if lit == "if":
            return self._with_redirs(self.parse_if())
        if lit in ("while", "until"):
            return self._with_redirs(self.parse_while(lit == "until"))
        if lit == "for":
            return self._with_redirs(self.parse_for())
        if lit == "case":
            return self._with_redirs(self.parse_case())
        if lit == "{":
            self.next()
            body = self.parse_list(("}",))
            self._expect_word("}")
            return self._with_redirs(("group", body))
        if tok[0] == "OP" and tok[1] == "(":
            self.next()
            body = self.parse_list((")",))
            if not (self.peek()[0] == "OP" and self.peek()[1] == ")"):
                self._unexpected(self.peek(), ")")
            self.next()
            return self._with_redirs(("subshell", body))
        # function definition: name ( ) compound
        if tok[0] == "WORD" and lit and _NAME.fullmatch(lit) and self.t[self.i + 1][0] == "OP" \
                and self.t[self.i + 1][1] == "(" and self.t[self.i + 2][0] == "OP" and self.t[self.i + 2][1] == ")":
            self.i += 3
            self._skip_nl()
            body = self.parse_command(terminators)
            return ("func", lit, body)
        return self.parse_simple()

    def _expect_word(self, w: str) -> None:
        tok = self.peek()
        if not self._is_word(tok, w):
            self._unexpected(tok, w)
        self.next()

    def _with_redirs(self, node):
        redirs = self._redirs()
        return ("compound", node, redirs)

    def _redirs(self) -> list:
        out = []
        while True:
            r = self._redir()
            if r is None:
                return out
            out.append(r)

    def _redir(self):
        tok = self.peek()
        fd = None
        if tok[0] == "IONUM":
            fd = tok[1]
            self.next()
            tok = self.peek()
        if tok[0] == "OP" and tok[1] in ("<", ">", ">>", ">&", "<&", ">|", "<>", "&>", "&>>", "<<", "<<-"):
            op = self.next()[1]
            if op in ("<<", "<<-"):
                body = self.next()
                return (fd if fd is not None else 0, "<<", body[1])
            target = self.next()
            if target[0] != "WORD":
                self._unexpected(target)
            if fd is None:
                fd = 0 if op in ("<", "<&", "<>") else 1
            return (fd, op, target[1])
        if fd is not None:
            self._unexpected(tok)
        return None

    def parse_simple(self):
        assigns = []
        words = []
        redirs = []
        line = self.peek()[2]
        while True:
            tok = self.peek()
            if tok[0] in ("IONUM",) or (tok[0] == "OP" and tok[1] in ("<", ">", ">>", ">&", "<&", ">|", "<>", "&>",
                                                                       "&>>", "<<", "<<-")):
                redirs.append(self._redir())
                continue
            if tok[0] != "WORD":
                break
            w = tok[1]
            if not words:
                first = w.parts[0]
                if first[0] == "l" and "=" in first[1] and _NAME.fullmatch(first[1].split("=", 1)[0]):
                    name, val = first[1].split("=", 1)
                    assigns.append((name, Word(([("l", val)] if val else []) + w.parts[1:])))
                    self.next()
                    continue
            words.append(w)
            self.next()
        if not assigns and not words and not redirs:
            self._unexpected(self.peek())
        return ("simple", assigns, words, redirs, line)

    def parse_if(self):
        self.next()  # if
        clauses = []
        cond = self.parse_list(("then",))
        self._expect_word("then")
        body = self.parse_list(("elif", "else", "fi"))
        clauses.append((cond, body))
        else_body = None
        while True:
            tok = self.peek()
            if self._is_word(tok, "elif"):
                self.next()
                cond = self.parse_list(("then",))
                self._expect_word("then")
                body = self.parse_list(("elif", "else", "fi"))
                clauses.append((cond, body))
            elif self._is_word(tok, "else"):
                self.next()
                else_body = self.parse_list(("fi",))
            else:
                break
        self._expect_word("fi")
        return ("if", clauses, else_body)

    def parse_while(self, until: bool):
        self.next()
        cond = self.parse_list(("do",))
        self._expect_word("do")
        body = self.parse_list(("done",))
        self._expect_word("done")
        return ("while", cond, body, until)

    def parse_for(self):
        self.next()
        tok = self.next()
        if tok[0] != "WORD" or not tok[1].literal() or not _NAME.fullmatch(tok[1].literal()):
            self._unexpected(tok)
        var = tok[1].literal()
        words = None
        self._skip_nl()
        if self._is_word(self.peek(), "in"):
            self.next()
            words = []
            while self.peek()[0] == "WORD":
                words.append(self.next()[1])
        tok = self.peek()
        if tok[0] == "OP" and tok[1] == ";":
            self.next()
        self._skip_nl()
        self._expect_word("do")
        body = self.parse_list(("done",))
        self._expect_word("done")
        return ("for", var, words, body)

    def parse_case(self):
        self.next()
        tok = self.next()
        if tok[0] != "WORD":
            self._unexpected(tok)
        subject = tok[1]
        self._skip_nl()
        self._expect_word("in")
        items = []
        while True:
            self._skip_nl()
            if self._is_word(self.peek(), "esac"):
                self.next()
                break
            if self.peek()[0] == "OP" and self.peek()[1] == "(":
                self.next()
            pats = []
            while True:
                tok = self.next()
                if tok[0] != "WORD":
                    self._unexpected(tok)
                pats.append(tok[1])
                if self.peek()[0] == "OP" and self.peek()[1] == "|":
                    self.next()
                    continue
                break
            if not (self.peek()[0] == "OP" and self.peek()[1] == ")"):
                self._unexpected(self.peek(), ")")
            self.next()
            body = self.parse_list(("esac", ";;"))
            items.append((pats, body))
            if self.peek()[0] == "OP" and self.peek()[1] == ";;":
                self.next()
        return ("case", subject, items)


def parse(text: str, line: int = 1):
    return Parser(Lexer(text, line).tokenize()).parse_program()
