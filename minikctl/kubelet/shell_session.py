"""An interactive shell session in a simulated container: the read-eval-print loop behind
`exec -it`, `run -it`, `attach -it` and `debug -it`, whichever front end the terminal is on (the
CLI's, minikctl.cli.shell_tty, or `minikctl serve`'s exec stream, minikctl.apiserver.streams).

Each line is computed over a read snapshot of the store; its writes are applied after it in one
short write transaction (minikctl.kubelet.journal), with Ctrl-C held back meanwhile. bash expands
`!!` to the previous line and echoes the line it runs; bash and busybox sh keep the lines typed
for `history`.
"""

from __future__ import annotations

import posixpath
import signal
from contextlib import contextmanager


class EnterInteractive(Exception):
    """Raised inside a line's snapshot when it starts a nested interactive shell."""


# ---------------------------------------------------------------------------- history
def history_of(sh) -> list[str]:
    h = getattr(sh, "history", None)
    if h is None:
        h = sh.history = []
    return h


def expand_bang(line: str, history: list[str]) -> tuple[str | None, str | None]:
    """bash's history expansion of `!!` (the previous line), outside single quotes and not
    after a backslash: (expanded line or None when nothing was expanded, error message)."""
    if "!!" not in line:
        return None, None
    out, i, quote, changed = [], 0, None, False
    while i < len(line):
        c = line[i]
        if quote == "'":
            out.append(c)
            if c == "'":
                quote = None
            i += 1
            continue
        if c == "\\" and i + 1 < len(line):
            out.append(line[i:i + 2])
            i += 2
            continue
        if c == "'" and quote is None:
            quote = "'"
        elif c == '"':
            quote = None if quote == '"' else '"'
        if line.startswith("!!", i):
            if not history:
                return None, "!!: event not found"
            out.append(history[-1])
            changed = True
            i += 2
            continue
        out.append(c)
        i += 1
    return ("".join(out) if changed else None), None


# ---------------------------------------------------------------------------- signals
@contextmanager
def no_interrupt():
    """Hold Ctrl-C back while a line's writes are committed (delivered right after)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# ---------------------------------------------------------------------------- the session
def run_session(ctx, session, namespace, pod_name, cname, cid, shell, out_w, make_editor) -> int:
    """The read-eval-print loop of `shell` in container `cname` (its instance `cid`): a prompt, one
    line, computed over a read snapshot, then its writes in one short transaction; the shell's exit
    status (137 when the container it runs in goes away). `ctx.out` is the terminal.

    `make_editor(current_shell)` gives where the lines come from (an object with
    `read(prompt, out)` -> the line or None at Ctrl-D, raising KeyboardInterrupt on Ctrl-C, and
    `remember(line)`): the user's terminal for the CLI (minikctl.cli.shell_tty), a tty line
    discipline fed by the exec WebSocket for `minikctl serve` (minikctl.apiserver.streams).
    `current_shell()` is the shell the next line is for (a nested `sh` started from the prompt)."""
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet import journal as jn
    from minikctl.kubelet import shell as sh_mod

    stack = [shell]
    state = {"pending": ""}
    editor = make_editor(lambda: stack[-1])

    def enter(sub, io) -> int:
        stack.append(sub)
        raise EnterInteractive()

    def run_line(sh, line: str) -> tuple[str, int | None]:
        """("exit", status) when the session ends, ("next", None) otherwise."""
        if sh.flavor == "bash":
            expanded, error = expand_bang(line, history_of(sh))
            if error:
                ctx.out.write(f"{posixpath.basename(sh.name)}: {error}\n")
                return "next", None
            if expanded is not None:
                line = expanded
                ctx.out.write(line + "\n")  # bash shows the command it runs
        if sh.flavor in ("bash", "ash") and line.strip():
            history_of(sh).append(line)
            editor.remember(line)
        state["pending"] += line + "\n"
        result = None
        journal = None
        gone = incomplete = False
        try:
            # one line: computed over a read snapshot, its writes applied after it in a short write
            with jn.snapshot(session) as (api, journal):
                pod = api.try_get("pods", namespace, pod_name)
                st = ex.container_status(pod, cname) if pod is not None else None
                if pod is None or (st or {}).get("containerID") != cid or ex.running_since(pod, cname) is None:
                    gone = True  # the container this session ran in is gone (deleted, killed, restarted)
                else:
                    ectx = ex.ExecContext(api, pod, cname, tty=True)
                    ectx.repl = enter
                    ectx.terminal_out = out_w
                    for s in stack:
                        s.ctx = ectx
                    io = sh_mod.IO(sh_mod.Input(""), out_w, out_w)
                    try:
                        result = sh.run_interactive_line(state["pending"], io)
                        state["pending"] = ""
                    except sh_mod.ShellSyntaxError:
                        incomplete = True  # an open quote, if or loop: read the next line
                    except EnterInteractive:
                        state["pending"] = ""
        finally:
            with no_interrupt():  # what the line wrote so far is kept, even when interrupted
                if journal is not None:
                    jn.commit(session, journal)
        if gone:
            return "exit", 137
        if incomplete:
            return "next", None
        if result is not None:
            stack.pop()
            if not stack:
                return "exit", result
            stack[-1].status = result
        return "next", None

    while stack:
        sh = stack[-1]
        try:
            prompt = sh.prompt() if not state["pending"] else sh.vars.get("PS2", "> ")
            try:
                line = editor.read(prompt, ctx.out)
            except KeyboardInterrupt:
                ctx.out.write("^C\n")  # readline does not echo it; bash and busybox print it
                state["pending"] = ""
                sh.status = 130
                continue
            if line is None:  # Ctrl-D
                ctx.out.write("exit\n" if sh.flavor == "bash" else "\n")
                status = sh.status
                stack.pop()
                if stack:
                    stack[-1].status = status
                    continue
                return status
            what, status = run_line(sh, line)
            if what == "exit":
                return status
        except KeyboardInterrupt:
            ctx.out.write("\n")  # the terminal echoed ^C itself (ECHOCTL) while the command ran
            state["pending"] = ""
            stack[-1].status = 130
    return 0
