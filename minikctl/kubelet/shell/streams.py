"""A command's standard streams: its input (text and Lazy producers), the buffers of pipes,
command substitutions and redirections, and the output sinks that discard."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minikctl.kubelet.shell.budget import Budget


class Lazy:
    """Output produced on demand (seq's lines): a pipe holds it instead of the text, so that
    `seq 1 100000000 | tail -1` does not build the whole output. `chunks()` yields text."""

    def chunks(self):  # pragma: no cover - an interface
        return iter(())

    def last_lines(self, n: int) -> str | None:
        """The last n lines, when they can be computed without producing the rest."""
        return None


class Input:
    """A command's standard input: text consumed by reads. From a pipe it may end with
    Lazy producers, read a chunk at a time (each chunk a step of the budget)."""

    __slots__ = ("data", "pos", "pending", "budget")

    def __init__(self, data: str = "", pending: list | None = None, budget: "Budget | None" = None):
        self.data = data
        self.pos = 0
        self.pending = pending or []   # Lazy producers or iterators of chunks, in order
        self.budget = budget

    def _pull(self) -> str | None:
        """The next chunk from the pending producers, or None at the end."""
        while self.pending:
            head = self.pending[0]
            if isinstance(head, Lazy):
                head = self.pending[0] = iter(head.chunks())
            chunk = next(head, None)
            if chunk is None:
                self.pending.pop(0)
                continue
            if self.budget is not None:
                self.budget.step()
            return chunk
        return None

    def read_all(self) -> str:
        s = self.data[self.pos:]
        if self.pending:
            parts = [s]
            size = len(s)
            while True:
                c = self._pull()
                if c is None:
                    break
                size += len(c)
                if self.budget is not None:
                    self.budget.size(size)
                parts.append(c)
            s = "".join(parts)
        self.data = ""
        self.pos = 0
        return s

    def chunks(self):
        """The rest of the input, a chunk at a time."""
        s = self.data[self.pos:]
        self.data = ""
        self.pos = 0
        if s:
            yield s
        while True:
            c = self._pull()
            if c is None:
                return
            yield c

    def last_lines(self, n: int) -> str | None:
        """The last n lines when the rest of the input is one Lazy producer that can compute them."""
        if self.pos >= len(self.data) and len(self.pending) == 1 and isinstance(self.pending[0], Lazy):
            text = self.pending[0].last_lines(n)
            if text is not None:
                self.pending = []
                self.data = ""
                self.pos = 0
            return text
        return None

    def readline(self) -> str | None:
        while self.data.find("\n", self.pos) < 0 and self.pending:
            c = self._pull()
            if c is None:
                break
            self.data = self.data[self.pos:] + c
            self.pos = 0
        if self.pos >= len(self.data):
            return None
        j = self.data.find("\n", self.pos)
        if j < 0:
            s = self.data[self.pos:]
            self.pos = len(self.data)
        else:
            s = self.data[self.pos:j + 1]
            self.pos = j + 1
        return s


class Buffer(list):
    """What a pipe, a command substitution or a redirection to a file holds until it is read:
    text (counted against the memory budget) and Lazy producers (counted when read)."""

    __slots__ = ("size", "budget")

    def __init__(self, budget: "Budget"):
        super().__init__()
        self.size = 0
        self.budget = budget

    def append(self, s) -> None:
        if isinstance(s, str):
            self.size += len(s)
            self.budget.size(self.size)
        super().append(s)

    def text(self) -> str:
        """Everything as text (Lazy producers produced now)."""
        if all(isinstance(x, str) for x in self):
            return "".join(self)
        return self.input().read_all()

    def input(self) -> Input:
        """The buffered output as the next command's standard input."""
        if all(isinstance(x, str) for x in self):
            return Input("".join(self), budget=self.budget)
        head: list[str] = []
        i = 0
        while i < len(self) and isinstance(self[i], str):
            head.append(self[i])
            i += 1
        pending = [x if isinstance(x, Lazy) else iter((x,)) for x in self[i:]]
        return Input("".join(head), pending, self.budget)


def write_lazy(io: "IO", producer: Lazy, budget: "Budget") -> None:
    """Send a producer's output: kept lazy into a pipe, else written a chunk at a time."""
    sink = getattr(io.out, "__self__", None)
    if isinstance(sink, Buffer):
        sink.append(producer)
        return
    if isinstance(sink, _NullList) or io.out is _discard:
        return  # > /dev/null: nothing reads it
    held = 0
    for chunk in producer.chunks():
        budget.step()
        if isinstance(sink, list):  # a caller that keeps the output (an exec probe) holds it in memory
            held += len(chunk)
            budget.size(held)
        io.out(chunk)


class IO:
    __slots__ = ("stdin", "out", "err")

    def __init__(self, stdin: Input, out, err):
        self.stdin = stdin
        self.out = out    # callable(str)
        self.err = err


class _NullList(list):
    def append(self, _x) -> None:  # noqa: D401 - a sink
        pass


def _discard(_s: str) -> None:
    pass
