"""The interpreter: Shell runs the syntax tree (lists, pipelines, compound commands, functions,
redirections) and dispatches simple commands to functions, builtins and programs."""

from __future__ import annotations

import fnmatch
import posixpath
import re

from minikctl.kubelet.fs import MESSAGES, FsError
from minikctl.kubelet.shell.budget import MEMORY_LIMIT, Budget, OutOfMemory, budget_of, guarded
from minikctl.kubelet.shell.commands import BUILTINS, SHELL_PROGRAMS
from minikctl.kubelet.shell.control import ExitShell, LoopControl, ReturnFn
from minikctl.kubelet.shell.expand import Expander, _ExpansionError
from minikctl.kubelet.shell.streams import IO, Buffer, Input, _discard, _NullList
from minikctl.kubelet.shell.syntax import ShellSyntaxError, Word, parse


class Vars(dict):
    """Shell variables, with their total size counted against the memory budget."""

    __slots__ = ("size", "limit")

    def __init__(self, *args, limit: int = MEMORY_LIMIT):
        super().__init__(*args)
        self.limit = limit
        self.size = sum(len(v) for v in self.values())

    def copy(self) -> "Vars":
        v = Vars.__new__(Vars)
        dict.update(v, self)
        v.size = self.size
        v.limit = self.limit
        return v

    def __setitem__(self, k, v) -> None:
        old = dict.get(self, k)
        size = self.size + len(v) - (len(old) if old is not None else 0)
        if size > self.limit and len(v) > (len(old) if old is not None else 0):
            raise OutOfMemory()
        self.size = size
        dict.__setitem__(self, k, v)

    def __delitem__(self, k) -> None:
        self.size -= len(dict.__getitem__(self, k))
        dict.__delitem__(self, k)

    def pop(self, k, *default):
        if k in self:
            self.size -= len(dict.__getitem__(self, k))
        return dict.pop(self, k, *default)

    def setdefault(self, k, v=None):
        if k not in self:
            self[k] = v
        return dict.__getitem__(self, k)

    def update(self, *args, **kw) -> None:
        for k, v in dict(*args, **kw).items():
            self[k] = v


class Shell(Expander):
    """One shell process (or the runtime's direct exec of a program when `flavor` is None)."""

    def __init__(self, ctx, flavor: str | None, name: str = "sh", env: list[tuple[str, str]] | None = None,
                 cwd: str | None = None, interactive: bool = False):
        self.ctx = ctx                    # exec.ExecContext: fs, image, pod, api, network
        self.flavor = flavor              # "dash" | "bash" | "ash" | None (no shell)
        self.name = name                  # $0
        self.vars: dict[str, str] = Vars(limit=budget_of(ctx).memory)
        self.exported: set[str] = set()
        for k, v in (env if env is not None else ctx.env):
            self.vars[k] = v
            self.exported.add(k)
        self.cwd = cwd or ctx.cwd
        self.positional: list[str] = []
        self.status = 0
        self.functions: dict[str, tuple] = {}
        self.interactive = interactive
        self.from_stdin = False
        self.options: set[str] = set()
        self.line = 1
        if flavor:
            self.vars["PWD"] = self.cwd
            self.exported.add("PWD")
            if flavor == "bash":
                self.vars["SHLVL"] = str(int(self.vars.get("SHLVL", "0") or 0) + 1)
                self.exported.add("SHLVL")
            self.vars.setdefault("IFS", " \t\n")
            self.vars.setdefault("PS1", self._default_ps1())

    # ------------------------------------------------------------------ names
    @property
    def budget(self) -> Budget:
        return budget_of(self.ctx)

    @property
    def fs(self):
        return self.ctx.fs

    @property
    def userland(self) -> str:
        return self.ctx.image.userland

    def env_list(self) -> list[tuple[str, str]]:
        return [(k, self.vars[k]) for k in self.vars if k in self.exported and k in self.vars]

    def _default_ps1(self) -> str:
        root = self.ctx.image.user["uid"] == 0
        if self.flavor == "bash":
            return "\\u@\\h:\\w\\$ "
        if self.flavor == "ash":
            return "\\w \\$ "
        return "# " if root else "$ "

    def prompt(self) -> str:
        ps1 = self.vars.get("PS1", "$ ")
        if self.flavor not in ("bash", "ash"):
            return ps1
        root = self.ctx.image.user["uid"] == 0
        home = self.vars.get("HOME", "")
        cwd = self.cwd
        w = "~" + cwd[len(home):] if home and home != "/" and (cwd == home or cwd.startswith(home + "/")) else cwd
        rep = {"\\u": self.ctx.image.user["name"], "\\h": self.ctx.hostname.split(".")[0], "\\H": self.ctx.hostname,
               "\\w": w, "\\W": posixpath.basename(w) or w, "\\$": "#" if root else "$", "\\n": "\n"}
        return re.sub(r"\\[uhHwW$n]", lambda m: rep[m.group(0)], ps1)

    # ------------------------------------------------------------ messages
    def errprefix(self) -> str:
        """How this shell prefixes its own errors: dash 'sh: 1: ', bash 'bash: line 1: ', ash 'sh: '."""
        if self.flavor == "dash":
            return f"{self.name}: {self.line}: "
        if self.flavor == "bash":
            # bash's get_name_for_error: $0 when non-interactive, the basename of argv[0] interactively
            # (commands read from standard input are named like an interactive shell's: bash 5.2)
            if self.interactive or self.from_stdin:
                return f"{posixpath.basename(self.name)}: "
            return f"{self.name}: line {self.line}: "
        return f"{self.name}: "

    def not_found(self, cmd: str, io: IO) -> int:
        if "/" in cmd:
            if self.flavor == "bash":
                io.err(f"{self.errprefix()}{cmd}: No such file or directory\n")
            else:
                io.err(f"{self.errprefix()}{cmd}: not found\n")
            return 127
        if self.flavor == "bash":
            io.err(f"{self.errprefix()}{cmd}: command not found\n")
        else:
            io.err(f"{self.errprefix()}{cmd}: not found\n")
        return 127

    def syntax_error(self, e: ShellSyntaxError, source: str, io: IO) -> int:
        if self.flavor == "bash":
            where = f"{self.name}: " if self.interactive else f"{self.name}: -c: "
            if e.kind == "unterminated":
                q = e.token
                close = {"(": ")", "{": "}"}.get(q, q)
                io.err(f"{where}line {e.line}: unexpected EOF while looking for matching `{close}'\n")
            elif e.kind == "eof":
                io.err(f"{where}line {e.line}: syntax error: unexpected end of file\n")
            elif e.kind == "badsubst":
                io.err(f"{self.name}: {e.token}: bad substitution\n")
                return 1
            else:
                io.err(f"{where}line {e.line}: syntax error near unexpected token `{e.token}'\n")
                lines = source.splitlines()
                if 0 < e.line <= len(lines):
                    io.err(f"{where}line {e.line}: `{lines[e.line - 1]}'\n")
            return 2
        if self.flavor == "ash":
            if e.kind == "unterminated":
                io.err(f"{self.name}: syntax error: unterminated quoted string\n")
            elif e.kind == "eof":
                io.err(f"{self.name}: syntax error: unexpected end of file (expecting \"{e.expecting}\")\n")
            elif e.kind == "badsubst":
                io.err(f"{self.name}: syntax error: bad substitution\n")
            else:
                io.err(f"{self.name}: syntax error: unexpected \"{e.token}\"\n")
            return 2
        if e.kind == "unterminated":
            io.err(f"{self.name}: {e.line}: Syntax error: Unterminated quoted string\n")
        elif e.kind == "eof":
            exp = f' (expecting "{e.expecting}")' if e.expecting else ""
            io.err(f"{self.name}: {e.line}: Syntax error: end of file unexpected{exp}\n")
        elif e.kind == "badsubst":
            io.err(f"{self.name}: {e.line}: Syntax error: Bad substitution\n")
        else:
            tok = "newline" if e.token == "newline" else e.token
            io.err(f"{self.name}: {e.line}: Syntax error: \"{tok}\" unexpected\n" if tok != "newline" else
                   f"{self.name}: {e.line}: Syntax error: newline unexpected\n")
        return 2

    # ------------------------------------------------------------- entry points
    def run_script(self, text: str, io: IO, line: int = 1) -> int:
        """Parse and run a whole script (sh -c TEXT, a script file, stdin of sh -s)."""

        def run() -> int:
            try:
                tree = parse(text, line)  # nesting too deep for the parser: a crash, as below
            except ShellSyntaxError as e:
                return self.syntax_error(e, text, io)
            try:
                self.status = self.exec_node(tree, io)
            except ExitShell as e:
                self.status = e.code
            except (LoopControl, ReturnFn):
                pass
            return self.status

        self.status = guarded(self.ctx, io, run)
        return self.status

    def run_interactive_line(self, text: str, io: IO) -> int | None:
        """One line typed at the prompt; returns the exit code when the shell exits, else None.
        Each line has its own budgets; reaching one ends the line (as Ctrl-C or the OOM killer
        would end the foreground job), not the shell."""
        try:
            tree = parse(text, self.line)
        except ShellSyntaxError as e:
            if e.kind in ("eof", "unterminated"):
                raise  # the caller reads a continuation line
            self.status = self.syntax_error(e, text, io)
            self.line += text.count("\n") + 1
            return None
        except RecursionError:
            io.err("Segmentation fault\n")  # the shell itself crashes: the session ends
            return 139
        exited: list[int] = []

        def run() -> int:
            try:
                self.status = self.exec_node(tree, io)
            except ExitShell as e:
                exited.append(e.code)
            except (LoopControl, ReturnFn):
                pass
            return self.status

        try:
            self.ctx.shell_budget = Budget()
        except AttributeError:  # pragma: no cover
            pass
        try:
            status = guarded(self.ctx, io, run, interactive=True)
        finally:
            self.line += text.count("\n") + (0 if text.endswith("\n") else 1)
        if exited:
            return exited[0]
        self.status = status
        return None

    # ---------------------------------------------------------------- executor
    def _step(self) -> None:
        self.budget.step()

    def exec_node(self, node, io: IO) -> int:
        kind = node[0]
        if kind == "list":
            status = self.status
            for ao, _async in node[1]:
                status = self.exec_node(ao, io)
                self.status = status
            return status
        if kind == "andor":
            status = self.exec_cond(node[1], io) if node[2] else self.exec_node(node[1], io)
            for op, pipe in node[2]:
                self.status = status
                if (op == "&&" and status == 0) or (op == "||" and status != 0):
                    status = self.exec_node(pipe, io) if pipe is node[2][-1][1] else self.exec_cond(pipe, io)
            return status
        if kind == "pipe":
            return self.exec_pipe(node, io)
        if kind == "simple":
            return self.exec_simple(node, io)
        if kind == "compound":
            return self.with_redirs(node[2], io, lambda sub: self.exec_compound(node[1], sub))
        if kind == "func":
            self.functions[node[1]] = node[2]
            return 0
        raise AssertionError(kind)

    def exec_cond(self, node, io: IO) -> int:
        """A command whose failure must not trigger set -e (conditions, && and || operands)."""
        had = "e" in self.options
        self.options.discard("e")
        try:
            return self.exec_node(node, io)
        finally:
            if had:
                self.options.add("e")

    def exec_pipe(self, node, io: IO) -> int:
        _, negate, cmds = node
        if len(cmds) == 1:
            status = self.exec_node(cmds[0], io)
        else:
            data = None
            status = 0
            for i, cmd in enumerate(cmds):
                last = i == len(cmds) - 1
                buf = Buffer(self.budget)
                stdin = data if data is not None else io.stdin
                sub_io = IO(stdin, io.out if last else buf.append, io.err)
                child = self.subshell()
                status = child._run_sub(cmd, sub_io)
                if not last:
                    data = buf.input()
            if negate:
                return 0 if status else 1
            return status
        if negate:
            return 0 if status else 1
        return status

    def subshell(self) -> "Shell":
        sub = Shell.__new__(Shell)
        sub.__dict__.update(self.__dict__)
        sub.vars = self.vars.copy()
        sub.exported = set(self.exported)
        sub.functions = dict(self.functions)
        sub.options = set(self.options)
        sub.positional = list(self.positional)
        return sub

    def _run_sub(self, node, io: IO) -> int:
        try:
            return self.exec_node(node, io)
        except ExitShell as e:
            return e.code
        except (LoopControl, ReturnFn):
            return self.status
        finally:
            # steps are shared so that loops inside pipelines and substitutions are bounded too
            pass

    def exec_compound(self, node, io: IO) -> int:
        kind = node[0]
        if kind == "group":
            return self.exec_node(node[1], io)
        if kind == "subshell":
            sub = self.subshell()
            return sub._run_sub(node[1], io)
        if kind == "if":
            for cond, body in node[1]:
                if self.exec_cond(cond, io) == 0:
                    return self.exec_node(body, io)
            if node[2] is not None:
                return self.exec_node(node[2], io)
            return 0
        if kind == "while":
            _, cond, body, until = node
            status = 0
            while True:
                self._step()
                c = self.exec_cond(cond, io)
                if (c == 0) == until:
                    break
                try:
                    status = self.exec_node(body, io)
                except LoopControl as lc:
                    if lc.n > 1:
                        lc.n -= 1
                        raise
                    if lc.kind == "break":
                        break
            return status
        if kind == "for":
            _, var, words, body = node
            items = self.expand_words(words, io) if words is not None else list(self.positional)
            status = 0
            for it in items:
                self._step()
                self.vars[var] = it
                try:
                    status = self.exec_node(body, io)
                except LoopControl as lc:
                    if lc.n > 1:
                        lc.n -= 1
                        raise
                    if lc.kind == "break":
                        break
            return status
        if kind == "case":
            _, subject, items = node
            s = self.expand_word_nosplit(subject, io)
            for pats, body in items:
                for p in pats:
                    if fnmatch.fnmatchcase(s, self.expand_pattern(p, io)):
                        return self.exec_node(body, io)
            return 0
        raise AssertionError(kind)

    # ----------------------------------------------------------- simple command
    def exec_simple(self, node, io: IO) -> int:
        _, assigns, words, redirs, line = node
        self._step()
        self.line = line
        self._last_subst_status = None
        try:
            argv = self.expand_words(words, io)
            values = [(n, self.expand_word_nosplit(w, io, assign=True)) for n, w in assigns]
        except _ExpansionError as e:
            io.err(e.message)
            return e.code
        if "x" in self.options and (argv or values):
            io.err("+ " + " ".join([f"{n}={v}" for n, v in values] + [_xtrace_quote(a) for a in argv]) + "\n")
        if not argv:
            for n, v in values:
                if n in self.readonly_names():
                    io.err(f"{self.errprefix()}{n}: is read only\n")
                    return 2
                self.vars[n] = v
            if redirs:
                return self.with_redirs(redirs, io, lambda sub: 0)
            return self._last_subst_status if self._last_subst_status is not None else 0

        def run(sub_io: IO) -> int:
            return self.run_command(argv, sub_io, values)

        status = self.with_redirs(redirs, io, run)
        if status != 0 and "e" in self.options:
            raise ExitShell(status)
        return status

    _last_subst_status = None

    def readonly_names(self) -> set[str]:
        return set()

    def run_command(self, argv: list[str], io: IO, assigns: list[tuple[str, str]] = ()) -> int:
        name = argv[0]
        if name in self.functions and self.flavor:
            saved = self.positional
            self.positional = argv[1:]
            try:
                return self.exec_node(self.functions[name], io)
            except ReturnFn as r:
                return r.code
            finally:
                self.positional = saved
        builtin = BUILTINS.get(name) if self.flavor else None
        if builtin is not None:
            saved = {n: self.vars.get(n) for n, _ in assigns}
            for n, v in assigns:
                self.vars[n] = v
            try:
                return builtin(self, argv, io)
            finally:
                if name not in ("export", "readonly"):
                    for n, v in saved.items():
                        if v is None:
                            self.vars.pop(n, None)
                        else:
                            self.vars[n] = v
        env = self.env_list()
        if assigns:
            d = dict(env)
            d.update(assigns)
            env = list(d.items())
        return self.exec_program(argv, io, env)

    def exec_program(self, argv: list[str], io: IO, env: list[tuple[str, str]]) -> int:
        """Run an executable from the container's filesystem."""
        name = argv[0]
        path_var = dict(env).get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        path = self.fs.find_executable(name, path_var, self.cwd)
        if path is None:
            if "/" in name and self.fs.exists(name, self.cwd):
                node = self.fs.stat(name, self.cwd)
                if node.is_dir:
                    msg = "Is a directory"
                else:
                    msg = "Permission denied"
                io.err(f"{self.errprefix()}{name}: {msg}\n")
                return 126
            return self.not_found(name, io)
        if self.flavor == "bash":
            env = [kv for kv in env if kv[0] != "_"] + [("_", path)]  # bash exports $_ = the program's path
        program = self.fs.program_of(path)
        if program is None:
            # a script written into the container: run it with the interpreter its #! names
            text = self.fs.read(path, self.cwd)
            first = text.split("\n", 1)[0]
            interp = first[2:].strip().split()[0] if first.startswith("#!") else "/bin/sh"
            base = posixpath.basename(interp)
            if base not in SHELL_PROGRAMS:
                io.err(f"{self.errprefix()}{name}: {interp}: bad interpreter: No such file or directory\n")
                return 126
            return self.ctx.run_shell_program(base, [interp, path] + argv[1:], io, env, self.cwd)
        return self.ctx.run_program(program, argv, io, env, self.cwd, self)

    # -------------------------------------------------------------- redirections
    def with_redirs(self, redirs: list, io: IO, fn) -> int:
        if not redirs:
            return fn(io)
        fds = {0: ("in", io.stdin), 1: ("out", io.out), 2: ("out", io.err)}
        files: list[tuple[str, list[str], bool]] = []
        try:
            for fd, op, target in redirs:
                if op == "<<":
                    text = self.expand_word_nosplit(target, io) if isinstance(target, Word) else ""
                    fds[fd] = ("in", Input(text))
                    continue
                t = self.expand_word_nosplit(target, io)
                if op in (">&", "<&"):
                    if t == "-":
                        fds[fd] = ("out", _discard)
                        continue
                    if t.isdigit():
                        src = fds.get(int(t))
                        if src is None:
                            io.err(f"{self.errprefix()}{t}: Bad file descriptor\n")
                            return 2 if self.flavor == "dash" else 1
                        fds[fd] = src
                        continue
                    op = ">"  # >&file (bash): stdout and stderr to the file
                    if fd == 1:
                        buf = self._open_out(t, False, files)
                        fds[1] = fds[2] = ("out", buf.append)
                        continue
                if op in ("&>", "&>>"):
                    buf = self._open_out(t, op == "&>>", files)
                    fds[1] = fds[2] = ("out", buf.append)
                    continue
                if op in ("<", "<>"):
                    try:
                        fds[fd] = ("in", Input(self.fs.read(t, self.cwd)))
                    except FsError as e:
                        io.err(self._redir_error(t, e, "open"))
                        return 1 if self.flavor != "dash" else 2
                    continue
                buf = self._open_out(t, op == ">>", files)
                fds[fd] = ("out", buf.append)
        except FsError as e:
            io.err(self._redir_error(e.path, e, "create"))
            return 1 if self.flavor != "dash" else 2
        stdin = fds[0][1] if fds[0][0] == "in" else io.stdin
        sub = IO(stdin, fds[1][1] if fds[1][0] == "out" else io.out, fds[2][1] if fds[2][0] == "out" else io.err)
        status = None
        try:
            status = fn(sub)
        finally:
            for path, buf, append in files:
                if buf:
                    try:
                        self.fs.write(path, buf.text(), self.cwd, append=True)
                    except FsError as e:
                        if e.name == "ENOSPC":  # the file system is full: the write fails
                            io.err(f"{self.errprefix()}write error: {MESSAGES['ENOSPC']}\n")
                            status = 1
        return status

    def _open_out(self, path: str, append: bool, files: list) -> list[str]:
        p = self.fs.abspath(path, self.cwd)
        if p == "/dev/null":
            return _NullList()
        if p in ("/dev/stdout", "/proc/self/fd/1"):
            return _NullList()
        if not append:
            self.fs.write(path, "", self.cwd)
        else:
            self.fs.write(path, "", self.cwd, append=True)
        buf = Buffer(self.budget)
        files.append((path, buf, True))
        return buf

    def _redir_error(self, path: str, e: FsError, what: str) -> str:
        msg = MESSAGES.get(e.name, e.name)
        if self.flavor == "dash":
            if e.name == "ENOENT":
                msg = "Directory nonexistent" if what == "create" else "No such file"
            return f"{self.errprefix()}cannot {what} {path}: {msg}\n"
        if self.flavor == "ash":
            if e.name == "ENOENT" and what == "create":
                msg = "nonexistent directory"
            return f"{self.name}: can't {what} {path}: {msg}\n"
        return f"{self.errprefix()}{path}: {msg}\n"


def _xtrace_quote(a: str) -> str:
    if a and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", a):
        return a
    return "'" + a.replace("'", "'\\''") + "'"
