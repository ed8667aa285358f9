"""The interactive shell on the user's terminal (`exec -it`, `run -it`; `attach -it` and
`debug -it` call the same `interactive_session`).

The terminal behaves as a container's tty with bash or busybox sh on it:
- line editing and history with GNU readline (the standard library's `readline` module:
  arrows, Home/End, Ctrl-A/E/K/U/W/L/R, as bash and busybox's line editor bind them), Tab
  completion of command names (builtins, functions, executables on $PATH) and of paths, both
  in the simulated container's filesystem, never the host's;
- `history` lists the lines typed (bash: `%5d  %s` from 1; busybox: `%4d %s` from 0) and bash
  expands `!!` to the previous line, echoing the line it runs;
- Ctrl-C interrupts the line being typed or the simulated command running (`^C`, a new
  prompt, `$?` 130) and never ends the shell; Ctrl-D on an empty line or `exit` ends it with
  the shell's status; Ctrl-Z and Ctrl-\\ are ignored, as by a shell without job control.

The read-eval-print loop itself (each line over a read snapshot of the store, its writes in
one short write transaction, `!!`, history) is minikctl.kubelet.shell_session's, which
`minikctl serve`'s exec stream runs too; this is the terminal's side: readline, completion,
signals.
"""

from __future__ import annotations

import posixpath
import signal
import sys
from contextlib import contextmanager


def _stdin_tty() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError, OSError):
        return False


# ---------------------------------------------------------------------------- line editor
class LineEditor:
    """One line at a time from the terminal: GNU readline when stdin and stdout are a terminal
    (and readline is there), else a plain read of stdin."""

    def __init__(self, current_shell):
        self.current_shell = current_shell  # () -> the Shell the next line is for
        self.readline = None
        if _stdin_tty():
            try:
                import readline
            except ImportError:  # pragma: no cover - Python built without readline
                readline = None
            if readline is not None:
                self.readline = readline
                readline.clear_history()
                readline.set_auto_history(False)  # remember() adds each line once, after `!!` expansion
                readline.set_completer_delims(" \t\n;|&<>()=\"'`")
                readline.set_completer(self._complete)
                readline.parse_and_bind("tab: complete")
                readline.parse_and_bind("set show-all-if-ambiguous off")
        self._matches: list[str] = []

    def read(self, prompt: str, out) -> str | None:
        """The line (without its newline), or None at end of input (Ctrl-D). Raises
        KeyboardInterrupt on Ctrl-C."""
        if self.readline is not None:
            out.flush()
            try:
                return input(prompt)
            except EOFError:
                return None
        out.write(prompt)
        out.flush()
        try:
            line = sys.stdin.readline()
        except (OSError, ValueError):
            line = ""
        if not line:
            return None
        return line[:-1] if line.endswith("\n") else line

    def remember(self, line: str) -> None:
        if self.readline is not None and line.strip():
            self.readline.add_history(line)

    # ---------------------------------------------------------------- completion
    def _complete(self, text: str, state: int):
        try:
            if state == 0:
                rl = self.readline
                line, begin = rl.get_line_buffer(), rl.get_begidx()
                self._matches = complete(self.current_shell(), line[:begin], text)
            return self._matches[state] if state < len(self._matches) else None
        except Exception:  # never let a completion break the terminal
            return None


def complete(sh, before: str, text: str) -> list[str]:
    """Completions of `text` (the word under the cursor; `before`: the line before it) in shell
    `sh`'s container: a command name in command position, else a path. A directory ends in /,
    a unique file or command gets the space bash adds."""
    stripped = before.rstrip()
    command_position = not stripped or stripped[-1] in ";|&(" or stripped.endswith(("&&", "||"))
    if command_position and "/" not in text:
        names = set(getattr(sh, "functions", {}) or ())
        from minikctl.kubelet.shell.commands import BUILTINS

        if sh.flavor:
            names |= set(BUILTINS)
        fs, cwd = sh.fs, sh.cwd
        for d in (sh.vars.get("PATH") or "").split(":"):
            try:
                for n in fs.listdir(d or ".", cwd):
                    if n.startswith(text):
                        node = fs.stat(posixpath.join(d or ".", n), cwd)
                        if node is not None and node.executable and not node.is_dir:
                            names.add(n)
            except Exception:
                continue
        found = sorted(n for n in names if n.startswith(text))
        return [found[0] + " "] if len(found) == 1 else found
    return complete_path(sh, text)


def complete_path(sh, text: str) -> list[str]:
    fs, cwd = sh.fs, sh.cwd
    home = sh.vars.get("HOME") or "/"
    shown_dir, _, prefix = text.rpartition("/")
    real_dir = shown_dir
    if text.startswith("~"):
        real_dir = home + shown_dir[1:]
    look = (real_dir or "/") if "/" in text else "."
    try:
        names = fs.listdir(look, cwd)
    except Exception:
        return []
    out = []
    for n in sorted(names):
        if not n.startswith(prefix) or (n.startswith(".") and not prefix.startswith(".")):
            continue
        shown = f"{shown_dir}/{n}" if "/" in text else n
        is_dir = fs.is_dir(posixpath.join(look, n), cwd)
        out.append(shown + ("/" if is_dir else ""))
    if len(out) == 1 and not out[0].endswith("/"):
        out[0] += " "
    return out


# ---------------------------------------------------------------------------- signals
@contextmanager
def _terminal_signals():
    """Ctrl-C raises KeyboardInterrupt (the handler Python starts with); Ctrl-Z and Ctrl-\\ are
    ignored while the session lasts."""
    saved = {}
    for name, handler in (("SIGINT", signal.default_int_handler), ("SIGTSTP", signal.SIG_IGN),
                          ("SIGQUIT", signal.SIG_IGN)):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            saved[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread
            pass
    try:
        yield
    finally:
        for sig, handler in saved.items():
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError, TypeError):
                pass


# ---------------------------------------------------------------------------- the session
def interactive_session(ctx, session, namespace: str, pod_name: str, cname: str, cid: str | None, shell,
                        out_w) -> int:
    """The shell's read-eval-print loop on a terminal: a prompt, one line, computed over a
    snapshot, then its writes in one short transaction. Returns the shell's exit status (137
    when the container it runs in goes away)."""
    from minikctl.kubelet.shell_session import run_session

    with _terminal_signals():
        return run_session(ctx, session, namespace, pod_name, cname, cid, shell, out_w, LineEditor)


