"""The describe.go plumbing every describer writes through.

From staging/src/k8s.io/kubectl/pkg/describe/describe.go (release 1.32): the
prefixWriter (``_Writer``; indent of two spaces per level, then
printers.WriteEscaped, the buffer aligned by text/tabwriter with
``Init(buf, 0, 8, 2, ' ', 0)`` as tabbedString does), RFC1123Z times in the
local time zone, and the shared helpers: printLabelsMultiline,
printAnnotationsMultiline, printTolerationsMultiline, printTaintsMultiline,
the Name/Namespace header and the "Controlled By" owner reference.
"""

from __future__ import annotations

from minikctl.printers.columns import _g, _int  # nested lookups shared with the table printers
from minikctl.printers.duration import parse_time
from minikctl.printers.table import escape_terminal, tabwrite

_D: dict = {}
_L: tuple = ()

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _v(x) -> str:
    """fmt's %v for JSON values."""
    if x is None:
        return "<nil>"
    if x is True:
        return "true"
    if x is False:
        return "false"
    if isinstance(x, (list, tuple)):
        return "[" + " ".join(_v(i) for i in x) + "]"
    if isinstance(x, dict):
        return "map[" + " ".join(k + ":" + _v(x[k]) for k in sorted(x)) + "]"
    return str(x)


def _print_bool(b) -> str:
    return "True" if b else "False"


def rfc1123z(ts: str | None) -> str:
    """t.Format(time.RFC1123Z) of a metav1.Time (local time zone; zero time for missing)."""
    t = parse_time(ts)
    if t is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    try:
        t = t.astimezone()
    except OverflowError:
        # local time of 9999-12-31 east of UTC (or 0001-01-01 west of it) is past datetime's
        # years; Go formats it anyway (year 10000): do the same through time.gmtime
        import calendar
        import time as _t

        ts = calendar.timegm(t.replace(tzinfo=None).timetuple()) - int(t.utcoffset().total_seconds())
        off = _t.localtime(ts).tm_gmtoff
        tm = _t.gmtime(ts + off)
        return (_t.strftime("%a, %d %b ", tm) + f"{tm.tm_year:04d}" + _t.strftime(" %H:%M:%S ", tm)
                + f"{'-' if off < 0 else '+'}{abs(off) // 3600:02d}{abs(off) % 3600 // 60:02d}")
    return t.strftime("%a, %d %b %Y %H:%M:%S %z")


def _creation(obj: dict) -> str:
    return rfc1123z(_g(obj, "metadata", "creationTimestamp"))


class _Writer:
    """describe.go prefixWriter over a buffer later aligned by tabwriter."""

    __slots__ = ("buf",)

    def __init__(self) -> None:
        self.buf: list[str] = []

    def write(self, level: int, text: str) -> None:
        if level:
            text = "  " * level + text
        self.buf.append(escape_terminal(text))

    def line(self, text: str = "") -> None:
        """WriteLine(a...): fmt.Sprintln."""
        self.buf.append(escape_terminal(text + "\n"))

    def render(self) -> str:
        return tabwrite("".join(self.buf), 0, 8, 2, " ")


# ---------------------------------------------------------------------------
# shared describe.go helpers
# ---------------------------------------------------------------------------


def _print_labels_multiline(w: _Writer, title: str, labels, initial_indent: str = "", inner_indent: str = "\t") -> None:
    """printLabelsMultilineWithIndent."""
    w.write(0, initial_indent + title + ":" + inner_indent)
    labels = labels or _D
    keys = sorted(labels)
    if not keys:
        w.line("<none>")
        return
    for i, k in enumerate(keys):
        if i != 0:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, "%s=%s\n" % (k, _v(labels[k]) if labels[k] is not None else ""))


def _blen(s: str) -> int:
    return len(s.encode("utf-8"))


def _shorten(s: str, max_length: int) -> str:
    b = s.encode("utf-8")
    if len(b) > max_length:
        return b[:max_length].decode("utf-8", "ignore") + "..."
    return s


def _print_annotations_multiline(w: _Writer, title: str, annotations) -> None:
    """printAnnotationsMultiline (skips last-applied-configuration, folds long values)."""
    w.write(0, title + ":\t")
    annotations = annotations or _D
    keys = sorted(k for k in annotations if k != LAST_APPLIED)
    if not keys:
        w.line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i != 0:
            w.write(0, indent)
        value = annotations[key]
        value = "" if value is None else str(value)
        if value.endswith("\n"):
            value = value[:-1]
        if _blen(value) + _blen(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, key + ":\n")
            for s in value.split("\n"):
                w.write(0, indent + "  " + _shorten(s, MAX_ANNOTATION_LEN - 2) + "\n")
        else:
            w.write(0, key + ": " + value + "\n")


def _toleration_string(t: dict) -> str:
    s = t.get("key") or ""
    if t.get("value"):
        s += "=" + str(t["value"])
    if t.get("effect"):
        s += ":" + str(t["effect"])
    if t.get("operator") == "Exists" and not t.get("value"):
        if t.get("key") or t.get("effect"):
            s += " op=Exists"
        else:
            s += "op=Exists"
    if t.get("tolerationSeconds") is not None:
        s += " for %ds" % _int(t.get("tolerationSeconds"))
    return s


def _print_tolerations_multiline(w: _Writer, title: str, tolerations, initial_indent: str = "", inner_indent: str = "\t") -> None:
    """printTolerationsMultilineWithIndent (sorted by key, stable)."""
    w.write(0, initial_indent + title + ":" + inner_indent)
    tols = [t for t in tolerations or _L if isinstance(t, dict)]
    if not tols:
        w.line("<none>")
        return
    tols.sort(key=lambda t: t.get("key") or "")
    for i, t in enumerate(tols):
        if i != 0:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, _toleration_string(t) + "\n")


def _taint_string(t: dict) -> str:
    """Taint.ToString: key[=value]:effect."""
    s = t.get("key") or ""
    if t.get("value"):
        s += "=" + str(t["value"])
    return s + ":" + (t.get("effect") or "")


def _print_taints_multiline(w: _Writer, title: str, taints) -> None:
    w.write(0, title + ":\t")
    taints = [t for t in taints or _L if isinstance(t, dict)]
    if not taints:
        w.line("<none>")
        return
    taints.sort(key=lambda t: (t.get("effect") or "") + "," + (t.get("key") or ""))
    for i, t in enumerate(taints):
        if i != 0:
            w.write(0, "\t")
        w.write(0, _taint_string(t) + "\n")


def _name_ns(w: _Writer, obj: dict) -> None:
    meta = obj.get("metadata") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))


def _controller_of(obj: dict) -> dict | None:
    for ref in _g(obj, "metadata", "ownerReferences", default=_L):
        if isinstance(ref, dict) and ref.get("controller") is True:
            return ref
    return None


def _print_controller(obj: dict) -> str:
    ref = _controller_of(obj)
    if ref:
        return "%s/%s" % (ref.get("kind") or "", ref.get("name") or "")
    return ""
