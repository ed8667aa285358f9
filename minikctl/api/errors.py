"""Typed API errors, shaped like apimachinery's StatusError.

Rendering to kubectl's wording happens in one place: ``render``. The text
follows kubectl's ``cmdutil.CheckErr`` / ``StandardErrorMessage``
(staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go): Status errors print as
``Error from server (Reason): message``; Invalid errors print as
``The Kind "name" is invalid: field: message`` (several field errors go on
separate ``* `` lines, kubectl's MultilineError).
"""

from __future__ import annotations


class FieldError:
    """One entry of a field.ErrorList (k8s.io/apimachinery/pkg/util/validation/field/errors.go).

    type: "Invalid value", "Required value", "Unsupported value", "Duplicate value",
    "Forbidden", "Too long", "Not found", "Internal error"; field: e.g. "spec.ports[0].port".
    """

    __slots__ = ("type", "field", "bad_value", "detail", "has_value")

    def __init__(self, type: str, field: str, bad_value: object = None, detail: str = "", has_value: bool = True):
        self.type = type
        self.field = field
        self.bad_value = bad_value
        self.detail = detail
        self.has_value = has_value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldError) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    def __repr__(self) -> str:
        return f"FieldError({self})"

    def __str__(self) -> str:
        # field.Error.Error(): "<field>: <ErrorBody()>"
        return f"{self.field}: {self.body()}"

    def body(self) -> str:
        # field.Error.ErrorBody()
        t = self.type
        if t in ("Required value", "Forbidden", "Too long", "Internal error") or not self.has_value:
            s = t
        else:
            s = f"{t}: {_go_value(self.bad_value)}"
        if self.detail:
            s += f": {self.detail}"
        return s


def _go_value(v: object) -> str:
    """Render a bad value the way field.Error does (%q for strings, %d/%v otherwise)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _go_quote(v)
    if v is None:
        return '"null"'
    if isinstance(v, (list, tuple)):
        # Go's %#v of a []string, e.g. []string{"10.96.0.5"}
        return "[]string{" + ", ".join(_go_quote(str(x)) for x in v) + "}"
    if isinstance(v, dict):
        return "map[string]string{" + ", ".join(f"{_go_quote(str(k))}:{_go_quote(str(x))}" for k, x in v.items()) + "}"
    return str(v)


_QUOTE_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
              "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def _escape_rune(ch: str) -> str:
    """How strconv.Quote writes a rune it does not print as is."""
    o = ord(ch)
    if ch in _QUOTE_ESC:
        return _QUOTE_ESC[ch]
    if 0xDC80 <= o <= 0xDCFF:  # an undecodable byte of a command-line argument (surrogateescape)
        return "\\x%02x" % (o - 0xDC00)
    if o < 0x20 or o == 0x7F:
        return "\\x%02x" % o
    if o < 0x10000:
        return "\\u%04x" % o
    return "\\U%08x" % o


def _printable(ch: str) -> bool:
    # unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space
    return ch == " " or (ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)


def go_quote(s: str) -> str:
    """Go's %q of a string (strconv.Quote): what apimachinery's errors use for names
    (NewNotFound's `%s %q not found`) and field.Error for a string's bad value."""
    if not isinstance(s, str):
        s = str(s)
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'
    return '"' + "".join(ch if ch not in _QUOTE_ESC and _printable(ch) else _escape_rune(ch) for ch in s) + '"'


_go_quote = go_quote


def _is_control(ch: str) -> bool:
    o = ord(ch)
    return (o < 0x20 and ch not in "\n\t") or 0x7F <= o <= 0x9F or 0xDC80 <= o <= 0xDCFF


def escape_controls(text: str) -> str:
    """The last line of defence before a message reaches the terminal: every C0 or C1 control
    character but newline and tab (ESC, BEL, CR, NUL...) is written as Go's %q would write
    it (\\x1b, \\a, \\r, \\x00), so no user-supplied string can move the cursor, clear the
    screen or retitle the terminal. Messages that quote with go_quote already never need it."""
    if text.isprintable() or not any(_is_control(ch) for ch in text):
        return text
    return "".join(_escape_rune(ch) if _is_control(ch) else ch for ch in text)


def invalid(field: str, value: object, detail: str) -> FieldError:
    return FieldError("Invalid value", field, value, detail)


def required(field: str, detail: str = "") -> FieldError:
    return FieldError("Required value", field, None, detail, has_value=False)


def unsupported(field: str, value: object, valid: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(f'"{v}"' for v in valid)
    return FieldError("Unsupported value", field, value, detail)


def duplicate(field: str, value: object) -> FieldError:
    return FieldError("Duplicate value", field, value, "")


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("Forbidden", field, None, detail, has_value=False)


class MinikctlError(Exception):
    """Base of every error that reaches the user as one clean line (exit 1)."""

    exit_code = 1

    def render(self) -> str:
        return f"error: {self}"


class UsageError(MinikctlError):
    """Client-side errors, printed by kubectl as ``error: ...``."""


class ApiError(MinikctlError):
    reason = "InternalError"
    code = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        return f"Error from server ({self.reason}): {self.message}"


class NotFound(ApiError):
    reason = "NotFound"
    code = 404

    @classmethod
    def of(cls, resource: str, name: str) -> "NotFound":
        return cls(f"{resource} {go_quote(name)} not found")


class AlreadyExists(ApiError):
    reason = "AlreadyExists"
    code = 409

    @classmethod
    def of(cls, resource: str, name: str) -> "AlreadyExists":
        return cls(f"{resource} {go_quote(name)} already exists")


class Conflict(ApiError):
    reason = "Conflict"
    code = 409

    @classmethod
    def of(cls, resource: str, name: str) -> "Conflict":
        return cls(
            f"Operation cannot be fulfilled on {resource} {go_quote(name)}: the object has been modified; "
            "please apply your changes to the latest version and try again"
        )


class BadRequest(ApiError):
    reason = "BadRequest"
    code = 400


class Forbidden(ApiError):
    reason = "Forbidden"
    code = 403


class Invalid(ApiError):
    reason = "Invalid"
    code = 422

    def __init__(self, kind: str, name: str, errors: list[FieldError]):
        self.kind = kind
        self.name = name
        self.errors = list(errors)
        super().__init__(self.render())

    def render(self) -> str:
        prefix = f"The {self.kind} {go_quote(self.name or '')} is invalid: "
        if len(self.errors) == 1:
            return prefix + str(self.errors[0])
        return prefix + "\n" + "".join(f"* {e}\n" for e in self.errors).rstrip("\n")


class InternalError(ApiError):
    reason = "InternalError"
    code = 500

    def __init__(self, message: str):
        super().__init__(f"Internal error occurred: {message}")


class StoreError(MinikctlError):
    """The state file cannot be used (foreign file, newer schema, unreadable)."""

    def render(self) -> str:
        return f"error: {self}"


class StoreBusy(StoreError):
    """Another command held the store's write lock for longer than the lock timeout
    (MINIKCTL_LOCK_TIMEOUT, minikctl.store.db.lock_timeout)."""

    def __init__(self):
        super().__init__("the cluster is busy: another minikctl command is writing; try again")


class StoreDamaged(StoreError):
    """The file fails SQLite's integrity check, or SQLite found a malformed page."""

    def __init__(self, detail: str):
        super().__init__(f"the state store is damaged ({detail}); 'minikctl cluster check' lists what is wrong")


class StoreReadOnly(StoreError):
    """The store can be read but not written (read-only file, directory or file system)."""


# --- issue 11: disruptions (w-drain)
class TooManyRequests(ApiError):
    """429: an eviction a PodDisruptionBudget does not allow now (errors.NewTooManyRequests)."""
    reason = "TooManyRequests"
    code = 429


class StatusFailure(ApiError):
    """A metav1.Status of Failure with a code and no reason (the eviction subresource's
    "more than one PodDisruptionBudget" answer): kubectl shows it as `Error from server: ...`."""
    reason = ""
    code = 500

    def render(self) -> str:
        return f"Error from server: {self.message}"
