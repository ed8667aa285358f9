"""The text utilities: head, tail, wc, grep, sort, uniq, cut, tr, tee, basename, dirname, seq."""

from __future__ import annotations

import posixpath
import re

from minikctl.kubelet.fs import FsError
from minikctl.kubelet.shell.streams import Lazy, write_lazy
from minikctl.kubelet.shell.utils_common import _gnu, _msg, _parse_flags, _q, nbytes
from minikctl.kubelet.shell.utils_print import _echo_escapes


def _read_inputs(sh, io, files: list[str], prog: str, lazy: bool = False) -> tuple[list[tuple[str, str]], int]:
    """[(name, text)] of the operands ("-" standard input); with lazy, standard input is an
    Input to read a chunk at a time instead of text."""
    out = []
    status = 0
    for f in files or ["-"]:
        if f == "-":
            out.append(("-", io.stdin if lazy else io.stdin.read_all()))
            continue
        try:
            out.append((f, sh.fs.read(f, sh.cwd)))
        except FsError as e:
            if _gnu(sh):
                if prog in ("head", "tail"):
                    io.err(f"{prog}: cannot open {_q(f)} for reading: {_msg(e)}\n")
                else:
                    io.err(f"{prog}: {f}: {_msg(e)}\n")
            else:
                io.err(f"{prog}: can't open '{f}': {_msg(e)}\n")
            status = 1 if prog != "grep" else 2
    return out, status


def _count_opt(args: list[str], default: int) -> tuple[int, list[str], bool]:
    n = default
    rest = []
    from_start = False
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-n" and i + 1 < len(args):
            v = args[i + 1]
            from_start = v.startswith("+")
            n = int(v.lstrip("+-")) if v.lstrip("+-").isdigit() else n
            i += 2
            continue
        if a.startswith("-n") and a[2:].lstrip("+-").isdigit():
            from_start = a[2:].startswith("+")
            n = int(a[2:].lstrip("+-"))
        elif re.fullmatch(r"-\d+", a):
            n = int(a[1:])
        elif a.startswith("--lines="):
            n = int(a.split("=", 1)[1])
        else:
            rest.append(a)
        i += 1
    return n, rest, from_start


def _bytes_opt(args: list[str]) -> tuple[int | None, list[str]]:
    rest = []
    count = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-c" and i + 1 < len(args) and args[i + 1].lstrip("+-").isdigit():
            count = int(args[i + 1].lstrip("+-"))
            i += 2
            continue
        if a.startswith("-c") and a[2:].lstrip("+-").isdigit():
            count = int(a[2:].lstrip("+-"))
        elif a.startswith("--bytes="):
            count = int(a.split("=", 1)[1])
        else:
            rest.append(a)
        i += 1
    return count, rest


def u_head(sh, argv, io):
    nbytes, args = _bytes_opt(argv[1:])
    n, rest, _ = _count_opt(args, 10)
    files = [a for a in rest if not a.startswith("-") or a == "-"]
    inputs, status = _read_inputs(sh, io, files, "head", lazy=True)
    for i, (name, data) in enumerate(inputs):
        if len(inputs) > 1:
            io.out(("\n" if i else "") + f"==> {'standard input' if name == '-' else name} <==\n")
        if nbytes is not None:
            b = b""
            for chunk in _chunks(data):
                b += chunk.encode("utf-8", "surrogateescape")
                if len(b) >= nbytes:
                    break
            io.out(b[:nbytes].decode("utf-8", "surrogateescape"))
        else:
            lines: list[str] = []
            for line in _lines(data):
                if len(lines) >= n:
                    break
                lines.append(line)
            io.out("".join(lines))
    return status


def _chunks(data):
    """Text, or an Input read a chunk at a time."""
    if isinstance(data, str):
        return [data] if data else []
    return data.chunks()


def _lines(data):
    """The lines of text or of an Input (each with its newline; the last one may have none)."""
    if isinstance(data, str):
        yield from _split_nl(data)
        return
    carry = ""
    for chunk in data.chunks():
        text = carry + chunk
        j = text.rfind("\n")
        if j < 0:
            carry = text
            continue
        carry = text[j + 1:]
        for x in text[:j].split("\n"):
            yield x + "\n"
    if carry:
        yield carry


def _split_nl(text: str):
    """Lines ending at \\n only (what the utilities count as lines)."""
    parts = text.split("\n")
    for x in parts[:-1]:
        yield x + "\n"
    if parts[-1]:
        yield parts[-1]


def _tail_start(text: str, n: int) -> int:
    """Where the last n lines of text start."""
    pos = len(text) - 1 if text.endswith("\n") else len(text)
    for _ in range(n):
        pos = text.rfind("\n", 0, pos)
        if pos < 0:
            return 0
    return pos + 1


def u_tail(sh, argv, io):
    nbytes, args = _bytes_opt(argv[1:])
    n, rest, from_start = _count_opt(args, 10)
    files = [a for a in rest if not a.startswith("-") or a == "-"]
    inputs, status = _read_inputs(sh, io, files, "tail", lazy=True)
    for i, (name, data) in enumerate(inputs):
        if len(inputs) > 1:
            io.out(("\n" if i else "") + f"==> {'standard input' if name == '-' else name} <==\n")
        if nbytes is not None:
            text = data if isinstance(data, str) else data.read_all()
            b = text.encode("utf-8", "surrogateescape")
            io.out((b[-nbytes:] if nbytes else b"").decode("utf-8", "surrogateescape"))
            continue
        if from_start:
            text = data if isinstance(data, str) else data.read_all()
            io.out("".join(text.splitlines(keepends=True)[max(n, 1) - 1:]))
            continue
        if n == 0:
            continue
        if not isinstance(data, str):
            computed = data.last_lines(n)
            if computed is not None:
                io.out(computed)
                continue
        # keep only the last n lines while reading, a chunk at a time
        keep = ""
        for chunk in _chunks(data):
            keep += chunk
            if len(keep) > 1 << 20 and n <= 10000:
                keep = keep[_tail_start(keep, n):]
            sh.budget.size(len(keep))
        io.out(keep[_tail_start(keep, n):])
    return status


def u_wc(sh, argv, io):
    flags, _, files, _ = _parse_flags(argv[1:])
    sel = [k for k in "lwc" if k in flags] or (["m"] if "m" in flags else ["l", "w", "c"])
    inputs, status = _read_inputs(sh, io, files, "wc", lazy=True)
    rows = []
    totals = {"l": 0, "w": 0, "c": 0, "m": 0}
    for name, data in inputs:
        counts = {"l": 0, "w": 0, "c": 0, "m": 0}
        tail = ""
        for chunk in _chunks(data):
            # words are counted on whole words: a chunk's last word waits for the next chunk
            text = tail + chunk
            cut = max(text.rfind(" "), text.rfind("\n"), text.rfind("\t"))
            tail = text[cut + 1:]
            counts["w"] += len(text[:cut + 1].split())
            counts["l"] += chunk.count("\n")
            counts["c"] += nbytes(chunk)
            counts["m"] += len(chunk)
        counts["w"] += len(tail.split())
        for k in totals:
            totals[k] += counts[k]
        rows.append((counts, "" if name == "-" else name))
    if len(inputs) > 1:
        rows.append((totals, "total"))
    only_stdin = len(inputs) == 1 and inputs[0][0] == "-"
    if len(sel) == 1 and (only_stdin or not _gnu(sh)):
        width = 1 if _gnu(sh) else 1
    elif only_stdin:
        width = 7
    else:
        width = max(len(str(c[k])) for c, _ in rows for k in sel)
    for counts, name in rows:
        cells = [str(counts[k]).rjust(width) for k in sel]
        io.out(" ".join(cells) + (f" {name}" if name else "") + "\n")
    return status


def u_grep(sh, argv, io):
    from minikctl.kubelet.shell.regex import Regex, RegexError  # only grep matches patterns

    flags, values, ops, _ = _parse_flags(argv[1:], with_value="em")
    patterns = []
    if "e" in values:
        patterns.append(values["e"])
    elif ops:
        patterns.append(ops.pop(0))
    else:
        io.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
               if _gnu(sh) else "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
               "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n")
        return 2
    ext = "E" in flags or argv[0] == "egrep"
    fixed = "F" in flags or argv[0] == "fgrep"
    icase = "i" in flags or "--ignore-case" in flags
    try:
        rx = [Regex(p, ext, fixed, icase, word="w" in flags, whole="x" in flags) for p in patterns]
    except RegexError as e:
        io.err(f"grep: {e}\n" if _gnu(sh) else "grep: bad regex\n")
        return 2
    invert = "v" in flags
    inputs, status = _read_inputs(sh, io, ops, "grep", lazy=True)
    many = len(inputs) > 1 and "h" not in flags
    matched_any = False
    budget = sh.budget
    for name, data in inputs:
        count = 0
        for ln_no, line in enumerate(_lines(data), 1):
            if not ln_no & 1023:
                budget.step()
            line = line[:-1] if line.endswith("\n") else line
            hit = any(r.search(line) for r in rx)
            if hit == invert:
                continue
            count += 1
            matched_any = True
            if "q" in flags:
                return 0
            if "l" in flags or "c" in flags:
                continue
            prefix = ("(standard input):" if name == "-" else f"{name}:") if many else ""
            if "n" in flags:
                prefix += f"{ln_no}:"
            if "o" in flags and not invert:
                for r in rx:
                    for m in r.finditer(line):
                        if m.group(0):
                            io.out(prefix + m.group(0) + "\n")
            else:
                io.out(prefix + line + "\n")
        if "c" in flags:
            io.out((f"{name}:" if many else "") + f"{count}\n")
        if "l" in flags and count:
            io.out(("(standard input)" if name == "-" else name) + "\n")
    if status and "s" not in flags:
        return 2 if not matched_any else status
    return 0 if matched_any else 1


def u_sort(sh, argv, io):
    flags, values, files, _ = _parse_flags(argv[1:], with_value="kt")
    inputs, status = _read_inputs(sh, io, files, "sort")
    lines = [ln for _, d in inputs for ln in d.splitlines()]
    def numeric(s):
        m = re.match(r"\s*(-?\d+(\.\d+)?)", s)
        return (float(m.group(1)) if m else 0.0, s)

    lines.sort(key=numeric if "n" in flags else None, reverse="r" in flags)
    if "u" in flags:
        seen = set()
        lines = [x for x in lines if not (x in seen or seen.add(x))]
    io.out("".join(x + "\n" for x in lines))
    return status


def u_uniq(sh, argv, io):
    flags, _, files, _ = _parse_flags(argv[1:])
    inputs, status = _read_inputs(sh, io, files[:1], "uniq")
    lines = [ln for _, d in inputs for ln in d.splitlines()]
    groups: list[list] = []
    for ln in lines:
        if groups and groups[-1][0] == ln:
            groups[-1][1] += 1
        else:
            groups.append([ln, 1])
    for ln, c in groups:
        if "d" in flags and c < 2 or "u" in flags and c > 1:
            continue
        io.out((f"{c:7d} {ln}\n" if "c" in flags else ln + "\n"))
    return status


def u_cut(sh, argv, io):
    flags, values, files, bad = _parse_flags(argv[1:], with_value="dfc")
    delim = values.get("d", "\t")
    inputs, status = _read_inputs(sh, io, files, "cut")

    def ranges(spec: str, n: int) -> list[int]:
        idx = []
        for part in spec.split(","):
            if "-" in part:
                a, b = part.split("-", 1)
                a = int(a) if a else 1
                b = min(int(b), n) if b else n
                idx.extend(range(a, b + 1))
            elif part.isdigit():
                idx.append(int(part))
        return idx

    if "f" not in values and "c" not in values:
        io.err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n")
        return 1
    for _, data in inputs:
        for line in data.splitlines():
            if "c" in values:
                io.out("".join(line[i - 1] for i in ranges(values["c"], len(line)) if 0 < i <= len(line)) + "\n")
            else:
                if delim not in line:
                    if "s" not in flags:
                        io.out(line + "\n")
                    continue
                fs = line.split(delim)
                io.out(delim.join(fs[i - 1] for i in ranges(values["f"], len(fs)) if 0 < i <= len(fs)) + "\n")
    return status


def _tr_set(s: str) -> str:
    s, _ = _echo_escapes(s)
    classes = {"[:lower:]": "abcdefghijklmnopqrstuvwxyz", "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               "[:digit:]": "0123456789", "[:space:]": " \t\n\r\f\v", "[:blank:]": " \t"}
    for k, v in classes.items():
        s = s.replace(k, v)
    out = []
    i = 0
    while i < len(s):
        if i + 2 < len(s) and s[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(s[i]), ord(s[i + 2]) + 1))
            i += 3
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def u_tr(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    if "d" in flags and ops:
        table = dict.fromkeys(map(ord, _tr_set(ops[0])))
        for chunk in io.stdin.chunks():  # a chunk at a time: tr never holds its whole input
            io.out(chunk.translate(table))
        return 0
    if len(ops) < 2:
        io.err("tr: missing operand\nTry 'tr --help' for more information.\n")
        return 1
    a, b = _tr_set(ops[0]), _tr_set(ops[1])
    if b:
        b = b + b[-1] * max(0, len(a) - len(b))
    table = {ord(x): y for x, y in zip(a, b)}
    if "s" not in flags:
        for chunk in io.stdin.chunks():
            io.out(chunk.translate(table))
        return 0
    out = io.stdin.read_all().translate(table)
    out = re.sub("([" + re.escape(b) + r"])\1+", r"\1", out)
    io.out(out)
    return 0


def u_tee(sh, argv, io):
    flags, _, files, _ = _parse_flags(argv[1:])
    data = io.stdin.read_all()
    io.out(data)
    status = 0
    for f in files:
        try:
            sh.fs.write(f, data, sh.cwd, append="a" in flags)
        except FsError as e:
            io.err(f"tee: {f}: {_msg(e)}\n" if _gnu(sh) else f"tee: can't open '{f}': {_msg(e)}\n")
            status = 1
    return status


def u_basename(sh, argv, io):
    args = argv[1:]
    if not args:
        io.err("basename: missing operand\n")
        return 1
    b = posixpath.basename(args[0].rstrip("/")) or "/"
    if len(args) > 1 and b.endswith(args[1]) and b != args[1]:
        b = b[:-len(args[1])]
    io.out(b + "\n")
    return 0


def u_dirname(sh, argv, io):
    args = argv[1:]
    if not args:
        io.err("dirname: missing operand\n")
        return 1
    for a in args:
        d = posixpath.dirname(a.rstrip("/")) or ("/" if a.startswith("/") else ".")
        io.out(d + "\n")
    return 0


def u_seq(sh, argv, io):
    args = [a for a in argv[1:] if not (a.startswith("-") and not a[1:].replace(".", "").isdigit())]
    try:
        nums = [int(a) for a in args]
    except ValueError:
        bad = next((a for a in args if not a.lstrip("-").isdigit()), args[0] if args else "")
        io.err(f"seq: invalid floating point argument: {_q(bad)}\nTry 'seq --help' for more information.\n"
               if _gnu(sh) else f"seq: invalid number '{bad}'\n")
        return 1
    if len(nums) == 1:
        first, step, last = 1, 1, nums[0]
    elif len(nums) == 2:
        first, step, last = nums[0], 1, nums[1]
    elif len(nums) == 3:
        first, step, last = nums
    else:
        io.err("seq: missing operand\n")
        return 1
    if step == 0:
        io.err("seq: invalid Zero increment value: '0'\n")
        return 1
    write_lazy(io, _SeqLines(first, step, last), sh.budget)
    return 0


class _SeqLines(Lazy):
    """seq's output, made a chunk at a time; its last lines are computed."""

    CHUNK = 8192

    def __init__(self, first: int, step: int, last: int):
        self.first = first
        self.step = step
        self.count = max(0, (last - first) // step + 1)

    def chunks(self):
        v, step = self.first, self.step
        left = self.count
        while left > 0:
            k = min(left, self.CHUNK)
            yield "\n".join(map(str, range(v, v + k * step, step))) + "\n"
            v += k * step
            left -= k

    def last_lines(self, n: int) -> str:
        k = min(n, self.count)
        start = self.first + (self.count - k) * self.step
        return "".join(f"{v}\n" for v in range(start, start + k * self.step, self.step))
