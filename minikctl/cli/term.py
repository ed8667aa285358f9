"""Terminal niceties that never change what scripts see.

Colour only when the stream is a terminal, NO_COLOR is unset (https://no-color.org:
present and not empty turns colour off) and TERM is not "dumb"; tables and every
other output stay plain. rich is imported only when colour or a progress bar is
actually drawn (rich.style costs ~8 ms, rich.progress ~60 ms).
"""

from __future__ import annotations

import os

_ANSI = {"green": "\x1b[32m", "yellow": "\x1b[33m", "red": "\x1b[31m", "bold": "\x1b[1m", "reset": "\x1b[0m"}


def is_tty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return is_tty(stream)


def style(stream, name: str) -> str:
    """An ANSI code for `name` (green, yellow, red, bold, reset) when `stream` gets colour, else ""."""
    return _ANSI.get(name, "") if colour(stream) else ""


def _paint(text: str, spec: str) -> str:
    from rich.style import Style

    return Style.parse(spec).render(text, color_system="standard")


_PREFIXES = (("error:", "bold red"), ("Error from server", "bold red"), ("Warning:", "bold yellow"),
             ("The request is invalid", "bold red"))


def decorate(stream, text: str) -> str:
    """Colour the "error:" / "Warning:" prefix of each line of a message for stderr."""
    if not text or not colour(stream):
        return text
    out = []
    for line in text.split("\n"):
        for prefix, spec in _PREFIXES:
            if line.startswith(prefix):
                line = _paint(prefix, spec) + line[len(prefix):]
                break
        else:
            if line.startswith("The ") and " is invalid" in line:
                head, sep, rest = line.partition(" is invalid")
                line = _paint(head + sep, "bold red") + rest
        out.append(line)
    return "\n".join(out)


def heading(stream, line: str) -> str:
    """A describe heading ("Name:", "Events:") in bold on a terminal."""
    if not colour(stream):
        return line
    key, sep, rest = line.partition(":")
    return _paint(key + sep, "bold") + rest if sep else line


def describe_headings(stream, text: str) -> str:
    """Bold the top-level "Key:" headings of kubectl describe output on a terminal."""
    if not colour(stream):
        return text
    out = []
    for line in text.split("\n"):
        if line and not line[0].isspace() and ":" in line:
            line = heading(stream, line)
        out.append(line)
    return "\n".join(out)


class _NoProgress:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __iter__(self):
        return iter(self.items)


class _Progress:
    """A rich progress bar on stderr, removed when done (it never reaches a pipe)."""

    def __init__(self, items, label: str, stream):
        self.items = items
        self.label = label
        self.stream = stream
        self._progress = None

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(file=self.stream, force_terminal=True, no_color=bool(os.environ.get("NO_COLOR")))
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  console=console, transient=True)
        self._progress.__enter__()
        self._task = self._progress.add_task(self.label, total=len(self.items))
        return self

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)

    def __iter__(self):
        for item in self.items:
            yield item
            self._progress.advance(self._task)


PROGRESS_MIN = 10  # below this many objects a bar would only flicker


def progress(items: list, label: str, stream=None):
    """`with progress(docs, "Applying") as it: for doc in it: ...` shows a bar on stderr when
    stderr is a terminal and there are many objects; otherwise it is a plain iterable."""
    import sys

    stream = stream if stream is not None else sys.stderr
    if len(items) < PROGRESS_MIN or not is_tty(stream) or os.environ.get("TERM") == "dumb":
        return _NoProgress(items)
    return _Progress(items, label, stream)
