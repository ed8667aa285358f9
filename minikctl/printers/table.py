"""metav1.Table model and kubectl's human-readable table rendering.

Server side (kube-apiserver) builds a ``metav1.Table``; kubectl then renders it
as text.  This module is the client half:

* ``Table``/``Column``/``Row`` mirror metav1.Table / TableColumnDefinition /
  TableRow (only the parts kubectl's printer uses).
* ``render_table`` ports ``printTable`` and ``decorateTable`` from
  staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go.
* ``tabwrite`` ports Go's text/tabwriter cell/column algorithm (format and
  writeLines in src/text/tabwriter/tabwriter.go).  kubectl uses it with the
  settings of staging/src/k8s.io/cli-runtime/pkg/printers/tabwriter.go
  (minwidth 6, tabwidth 4, padding 3, padchar ' '); ``kubectl describe`` uses
  it with (0, 8, 2, ' ') (tabbedString in kubectl/pkg/describe/describe.go).

Standard library only, no regexes, no dataclasses: imported on every ``get``.
"""

from __future__ import annotations

__all__ = [
    "Column",
    "Row",
    "Table",
    "render_table",
    "tabwrite",
    "format_labels",
    "escape_terminal",
]

# cli-runtime/pkg/printers/tabwriter.go
TABLE_MINWIDTH = 6
TABLE_TABWIDTH = 4
TABLE_PADDING = 3


class Column:
    """metav1.TableColumnDefinition (Name, Type, Format, Priority)."""

    __slots__ = ("name", "type", "priority", "format")

    def __init__(self, name: str, type: str = "string", priority: int = 0, format: str = "") -> None:
        self.name = name
        self.type = type
        self.priority = priority
        self.format = format

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "Column(%r, %r, %r)" % (self.name, self.type, self.priority)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Column)
            and self.name == other.name
            and self.type == other.type
            and self.priority == other.priority
        )


class Row:
    """metav1.TableRow: one cell per column definition, plus the source object."""

    __slots__ = ("cells", "obj")

    def __init__(self, cells: list, obj: dict | None = None) -> None:
        self.cells = cells
        self.obj = obj if obj is not None else {}

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "Row(%r)" % (self.cells,)


class Table:
    """metav1.Table: column definitions and rows."""

    __slots__ = ("columns", "rows")

    def __init__(self, columns: list[Column], rows: list[Row] | None = None) -> None:
        self.columns = columns
        self.rows = rows if rows is not None else []

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "Table(%r, %d rows)" % ([c.name for c in self.columns], len(self.rows))


# ---------------------------------------------------------------------------
# helpers shared with describe
# ---------------------------------------------------------------------------


def escape_terminal(s: str) -> str:
    """printers.WriteEscaped: terminalEscaper = NewReplacer("\\x1b", "^[", "\\r", "\\\\r")."""
    if "\x1b" in s:
        s = s.replace("\x1b", "^[")
    if "\r" in s:
        s = s.replace("\r", "\\r")
    return s


def format_labels(labels: dict | None) -> str:
    """k8s.io/apimachinery/pkg/labels.FormatLabels: sorted ``k=v`` joined by ``,``, or ``<none>``."""
    if not labels:
        return "<none>"
    return ",".join([k + "=" + _s(labels[k]) for k in sorted(labels)])


def _s(v) -> str:
    """fmt.Sprint for the JSON scalar types we meet in cells."""
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


# ---------------------------------------------------------------------------
# text/tabwriter
# ---------------------------------------------------------------------------


def tabwrite(text: str, minwidth: int = 0, tabwidth: int = 8, padding: int = 1, padchar: str = " ",
             remember: list[int] | None = None) -> str:
    """Align ``text`` exactly like Go's text/tabwriter with flags 0 and a non-tab padchar.

    Cells are tab- (or vertical-tab-) terminated; the last cell of a line is not
    part of any column and is never padded.  A column block is a run of
    consecutive lines that all have a cell in that column; each block gets its
    own width = max(minwidth, max(cell width + padding)).  Widths count runes.
    ``tabwidth`` only matters for a tab padchar (not supported here).
    ``remember`` (a list kept between calls) is github.com/liggitt/tabwriter's RememberWidths,
    which kubectl's watch uses: a column is never narrower than in an earlier call.
    """
    if "\v" in text:
        text = text.replace("\v", "\t")
    if "\f" in text:
        text = text.replace("\f", "\n")
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    _format(out, lines, [], 0, len(lines), minwidth, padding, padchar, remember)
    return "".join(out)


def _format(out, lines, widths, line0, line1, minwidth, padding, padchar, remember=None):
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        # cell exists in this column: print unprinted lines until beginning of block
        _write_lines(out, lines, widths, line0, this, padchar)
        line0 = this
        width = minwidth
        while this < line1:
            line = lines[this]
            if column >= len(line) - 1:
                break
            w = len(line[column]) + padding
            if w > width:
                width = w
            this += 1
        if remember is not None:  # liggitt/tabwriter RememberWidths
            if len(remember) < len(widths):
                remember.extend(widths[len(remember):])
            if len(remember) == len(widths):
                remember.append(width)
            elif remember[len(widths)] > width:
                width = remember[len(widths)]
            else:
                remember[len(widths)] = width
        # format and print all columns to the right of this column
        widths.append(width)
        _format(out, lines, widths, line0, this, minwidth, padding, padchar, remember)
        widths.pop()
        line0 = this
        this += 1  # Go's loop post-statement; line `this` lacks the column anyway
    _write_lines(out, lines, widths, line0, line1, padchar)


def _write_lines(out, lines, widths, line0, line1, padchar):
    last = len(lines) - 1
    nw = len(widths)
    for i in range(line0, line1):
        line = lines[i]
        for j, c in enumerate(line):
            out.append(c)
            if j < nw:
                out.append(padchar * (widths[j] - len(c)))
        if i != last:
            out.append("\n")


# ---------------------------------------------------------------------------
# tableprinter.go
# ---------------------------------------------------------------------------


def _cell_text(val) -> str:
    """printTable's per-cell formatting: truncate strings at the first \\f \\n \\r, add '...'."""
    if val is None:
        return ""
    if isinstance(val, str):
        s = val
        cut = -1
        for ch in ("\f", "\n", "\r"):
            k = s.find(ch)
            if k >= 0 and (cut < 0 or k < cut):
                cut = k
        if cut >= 0:
            return escape_terminal(s[:cut]) + "..."
        return escape_terminal(s)
    return escape_terminal(_s(val))


def render_table(
    table: Table,
    *,
    wide: bool = False,
    no_headers: bool = False,
    namespace_column: bool = False,
    show_labels: bool = False,
    with_kind: str | None = None,
    label_columns: list[str] | None = None,
) -> str:
    """Render ``table`` as ``kubectl get`` prints it (before the trailing flush).

    ``with_kind`` is the lower-cased GroupKind string kubectl prefixes names
    with when several kinds are printed (``service``, ``deployment.apps``).
    ``label_columns`` are ``-L`` label keys (one column each, header upper-cased
    last path segment, as formatLabelHeaders does).
    Returns ``""`` for a table without rows (kubectl prints nothing to stdout then).
    """
    rows = table.rows
    if not rows:
        return ""
    cols = table.columns
    visible = [i for i, c in enumerate(cols) if wide or c.priority == 0]
    label_columns = label_columns or []

    name_col = -1
    if with_kind:
        for i, c in enumerate(cols):
            if c.format == "name" and c.type == "string":
                name_col = i
                break
        if name_col < 0:
            for i, c in enumerate(cols):
                if c.name == "Name":
                    name_col = i
                    break

    lines: list[str] = []
    if not no_headers:
        header: list[str] = []
        if namespace_column:
            header.append("NAMESPACE")
        for i in visible:
            header.append(cols[i].name.upper())
        for key in label_columns:
            header.append(key.rsplit("/", 1)[-1].upper())
        if show_labels:
            header.append("LABELS")
        lines.append("\t".join(header))

    ncols = len(cols)
    for row in rows:
        cells = row.cells
        obj = row.obj or {}
        meta = obj.get("metadata") or {}
        parts: list[str] = []
        if namespace_column:
            parts.append(escape_terminal(_s(meta.get("namespace") or "")))
        for i in visible:
            if i >= len(cells) or i >= ncols:
                break
            v = cells[i]
            if i == name_col:
                v = with_kind + "/" + _s(v)
            parts.append(_cell_text(v))
        if label_columns:
            labels = meta.get("labels") or {}
            for key in label_columns:
                parts.append(escape_terminal(_s(labels.get(key, ""))))
        if show_labels:
            parts.append(escape_terminal(format_labels(meta.get("labels"))))
        lines.append("\t".join(parts))
    lines.append("")
    return tabwrite("\n".join(lines), TABLE_MINWIDTH, TABLE_TABWIDTH, TABLE_PADDING, " ")
