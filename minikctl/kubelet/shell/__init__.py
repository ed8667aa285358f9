"""A POSIX-ish shell and the basic utilities, simulated against a container's filesystem.

Nothing here runs on the host: every command is interpreted in Python against the
container's virtual filesystem (``fs.ContainerFS``), its environment and the emulated
network. The shell understands what a student types into ``kubectl exec``: lists
(``;``, ``&&``, ``||``, newlines), pipelines, quoting, ``$VAR``/``${VAR:-x}``/``$?``/
``$(cmd)``/``$((1+2))`` expansion with field splitting and globbing, redirections
(``>``, ``>>``, ``<``, ``2>``, ``2>&1``, ``&>``, here-documents), ``if``/``for``/``while``/
``until``/``case``, ``{ }``, ``( )`` and functions; plus the builtins and utilities listed
in ``UTILITIES``. Messages follow the shell that /bin/sh is in the image (dash, bash or
BusyBox ash) and its userland (GNU coreutils or BusyBox).

Tokenising is our own small lexer (not shlex): shlex drops the quoting a shell needs to
decide what is expanded, split and globbed.

A command runs under a container's limits (``Budget``: MEMORY_LIMIT, STEP_LIMIT, TIME_LIMIT
in budget.py): over memory it is OOM-killed (exit 137), over its CPU steps or time it is stopped
with a message (exit 124). Pipelines run their stages one after the other; a stage's output is kept
in a ``Buffer`` (bounded) or, for ``seq``, as a ``Lazy`` producer the next stage reads a chunk
at a time. Text is str; a byte that is not UTF-8 is the surrogate U+DC80+byte (surrogateescape),
so files and streams keep bytes and ``wc -c`` counts them.

The package is split by stage, as mvdan/sh is (syntax, expand, interp), with the utilities
grouped by area, as busybox's applets are. At run time each module imports only those listed above it,
but for two look-ups made when a command runs (env starts a Shell; type and command read BUILTINS):

  budget.py        the container's limits on one command (memory, CPU steps, time) and their end
  syntax.py        Word, Lexer, Parser, parse(): text to a tree; ShellSyntaxError, RESERVED
  streams.py       IO, Input, Buffer, Lazy: a command's standard streams and pipes
  control.py       ExitShell, LoopControl, ReturnFn: exit, break/continue and return
  regex.py         POSIX BRE/ERE translated to RE2 (or Python's re) and matched (imported by grep)
  utils_common.py  what the utilities share: option parsing, quoting, error messages
  utils_print.py   echo, printf
  utils_fs.py      cat, ls, touch, rm, rmdir, mkdir, cp, mv, chmod, ln
  utils_text.py    head, tail, wc, grep, sort, uniq, cut, tr, tee, basename, dirname, seq
  utils_sys.py     sleep, env, printenv, hostname, id, whoami, uname, date, which, kill, ps, df
  utils_test.py    test and [
  builtins.py      the shell's own commands (cd, export, set, read, eval, ...)
  commands.py      the dispatch tables: BUILTINS, UTILITIES, SHELL_PROGRAMS, NETWORK_TOOLS
  expand.py        word expansion (parameters, command substitution, arithmetic, splitting, globbing)
  interp.py        Shell: runs the tree (lists, pipelines, compound commands, redirections)
"""

from minikctl.kubelet.shell.budget import (  # noqa: F401 - the package's public names
    MEMORY_LIMIT, STEP_LIMIT, TIME_LIMIT, Budget, BudgetExceeded, OutOfMemory, StepLimit, budget_of, guarded,
)
from minikctl.kubelet.shell.commands import BUILTINS, NETWORK_TOOLS, SHELL_PROGRAMS, UTILITIES  # noqa: F401
from minikctl.kubelet.shell.control import ExitShell, LoopControl, ReturnFn  # noqa: F401
from minikctl.kubelet.shell.interp import Shell, Vars  # noqa: F401
from minikctl.kubelet.shell.streams import IO, Buffer, Input, Lazy, write_lazy  # noqa: F401
from minikctl.kubelet.shell.syntax import RESERVED, ShellSyntaxError, Word, parse  # noqa: F401
from minikctl.kubelet.shell.utils_common import nbytes  # noqa: F401
