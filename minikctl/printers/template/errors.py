"""The errors of kubectl's template printers, and how they read their template files."""

from __future__ import annotations

from minikctl.api.errors import MinikctlError


class TemplateError(MinikctlError):
    """A printer error printed exactly as kubectl does (trailing newlines included)."""

    verbatim = True

    def __init__(self, text: str, prefix: str = "error: "):
        super().__init__(text)
        self.text = text
        self.prefix = prefix

    def render(self) -> str:
        return self.prefix + self.text


class JSONPathError(Exception):
    """An error of the jsonpath engine; `partial` is what the Go function returns with it."""

    def __init__(self, message: str, partial=None):
        super().__init__(message)
        self.partial = partial if partial is not None else []


def _read_file(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except IsADirectoryError:
        raise TemplateError(f"error reading {what} {path}, read {path}: is a directory\n") from None
    except OSError as e:
        msg = (e.strerror or str(e)).lower()
        raise TemplateError(f"error reading {what} {path}, open {path}: {msg}\n") from None
