"""How control leaves a command early: `exit`, `break`/`continue` and `return` (raised by the
builtins, caught by the interpreter)."""

from __future__ import annotations


class ExitShell(Exception):
    def __init__(self, code: int):
        self.code = code


class LoopControl(Exception):
    def __init__(self, kind: str, n: int = 1):
        self.kind = kind
        self.n = n


class ReturnFn(Exception):
    def __init__(self, code: int):
        self.code = code
