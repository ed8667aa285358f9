"""A container's limits on one command of the simulated shell, and how a command ends at them."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minikctl.kubelet.shell.streams import IO


# A container's limits, as the simulated shell enforces them on one exec (one line of `exec -it`).
# Nothing here runs on the host, so these are what stands between a runaway script and the
# emulator's own memory and time; they end the command the way the kernel or `timeout` would:
#
# MEMORY_LIMIT  the most one value may hold, in bytes: a variable, an expanded word or argument list,
#               a command substitution, a pipe's buffered data, the output redirected to a file, a
#               printf field, and all the shell's variables together. Going over it is an OOM kill:
#               the command ends with exit code 137 (SIGKILL), as a container over its memory limit.
# STEP_LIMIT    simulated CPU work: one step per command, loop round and chunk of data a utility
#               processes. Going over it ends the command with a message on stderr and exit code 124,
#               as `timeout` does (an endless `while true; do :; done` ends here, deterministically).
# TIME_LIMIT    seconds of wall-clock time, plus what `sleep` pretends to wait (time does not pass
#               inside an exec, so sleep returns at once but counts here): message and exit code 124.
#               A long regular expression or a huge string operation is interrupted too (SIGALRM).
# The environment variables MINIKCTL_SHELL_MEMORY, MINIKCTL_SHELL_STEPS and MINIKCTL_SHELL_SECONDS
# override them (for tests).
MEMORY_LIMIT = 64 * 1024 * 1024
STEP_LIMIT = 1_000_000
TIME_LIMIT = 60.0
STOP_MESSAGE = "minikctl: the command was stopped after {what}: {why} (there is no Ctrl-C inside an exec)\n"


class BudgetExceeded(Exception):
    """A container limit was reached: the whole command ends (see MEMORY_LIMIT, STEP_LIMIT, TIME_LIMIT)."""

    code = 124


class OutOfMemory(BudgetExceeded):
    """The OOM killer: SIGKILL, exit code 137, nothing printed by the process itself."""

    code = 137


class StepLimit(BudgetExceeded):
    def __init__(self, what: str, why: str):
        super().__init__(what)
        self.what = what
        self.why = why

    def message(self) -> str:
        return STOP_MESSAGE.format(what=self.what, why=self.why)


def _limit(env: str, default):
    import os

    v = os.environ.get(env)
    if not v:
        return default
    try:
        return type(default)(float(v)) if isinstance(default, int) else float(v)
    except ValueError:
        return default


class Budget:
    """The limits of one exec (one line of an interactive shell): shared by the shell, its
    subshells, pipelines and the utilities it runs. Independent of any store transaction."""

    def __init__(self, seconds: float | None = None):
        """`seconds`: a shorter time budget (an exec probe's timeoutSeconds); set it as the
        context's `shell_budget` before running the command."""
        self.memory = _limit("MINIKCTL_SHELL_MEMORY", MEMORY_LIMIT)
        self.max_steps = _limit("MINIKCTL_SHELL_STEPS", STEP_LIMIT)
        self.seconds = _limit("MINIKCTL_SHELL_SECONDS", TIME_LIMIT)
        if seconds is not None:
            self.seconds = min(self.seconds, float(seconds))
        self.steps = 0
        self.slept = 0.0
        self.started = time.monotonic()
        self.depth = 0          # nested guarded entry points; the outermost one handles the end
        self.alarm = False      # SIGALRM armed by the outermost guard
        self.ended: BudgetExceeded | None = None  # the limit that ended the command (set by that guard)

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.max_steps:
            raise StepLimit(f"{self.max_steps:,} steps", "the simulated shell's CPU budget, where an endless loop ends")
        if time.monotonic() - self.started + self.slept > self.seconds:
            raise self.time_up()

    def time_up(self) -> StepLimit:
        return StepLimit(f"{self.seconds:g} seconds", "the simulated shell's time budget, sleep included")

    def sleep(self, seconds: float) -> None:
        """What sleep would have waited (the next step checks it together with the wall clock)."""
        if self.slept + seconds > self.seconds:
            raise self.time_up()
        self.slept += seconds

    def size(self, n: int) -> None:
        """A value of n bytes (characters) is about to exist."""
        if n > self.memory:
            raise OutOfMemory()


def budget_of(ctx) -> Budget:
    b = getattr(ctx, "shell_budget", None)
    if b is None:
        b = Budget()
        try:
            ctx.shell_budget = b
        except AttributeError:  # pragma: no cover - a context without attributes
            pass
    return b


class _Guard:
    """The outermost entry of a command (a shell script, a utility run directly by the runtime):
    arms a SIGALRM for the time budget (in the main thread) and turns a budget's end into the
    exit code. Inner entries let the exception go up so that the whole command ends."""

    def __init__(self, budget: Budget):
        self.b = budget
        self.outer = False
        self.old = None

    def __enter__(self):
        b = self.b
        b.depth += 1
        self.outer = b.depth == 1
        if self.outer:
            self._arm()
        return self

    def _arm(self) -> None:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            return
        try:
            if signal.getitimer(signal.ITIMER_REAL)[0]:
                return  # someone else's timer: leave it alone (the cooperative checks still apply)
            b = self.b

            def on_alarm(_sig, _frame):
                if b.alarm:
                    b.alarm = False
                    raise b.time_up()

            self.old = signal.signal(signal.SIGALRM, on_alarm)
            left = b.seconds - (time.monotonic() - b.started + b.slept)
            b.alarm = True
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
        except (ValueError, OSError):  # pragma: no cover - no signals here
            self.b.alarm = False

    def _disarm(self) -> None:
        if not self.b.alarm and self.old is None:
            return
        import signal

        self.b.alarm = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        if self.old is not None:
            signal.signal(signal.SIGALRM, self.old)
            self.old = None

    def __exit__(self, *exc):
        self.b.depth -= 1
        if self.outer:
            self._disarm()
        return False


def guarded(ctx, io: "IO", fn, interactive: bool = False) -> int:
    """Run fn() as one command under the container's budgets; returns its exit code."""
    b = budget_of(ctx)
    g = _Guard(b)
    try:
        with g:
            return fn()
    except BudgetExceeded as e:
        if not g.outer:
            raise
        b.ended = e
        return _ended(e, io, interactive)
    except RecursionError:
        if not g.outer:
            raise
        # a function calling itself without end: the stack overflows (SIGSEGV)
        if interactive:
            io.err("Segmentation fault\n")
        return 139


def _ended(e: BudgetExceeded, io: "IO", interactive: bool) -> int:
    if isinstance(e, OutOfMemory):
        if interactive:
            io.err("Killed\n")  # what the shell says about a foreground job ended by SIGKILL
        return 137
    io.err(e.message())
    return 130 if interactive else 124  # at the prompt it ends the line as Ctrl-C would
