"""The file utilities: cat, ls, touch, rm, rmdir, mkdir, cp, mv, chmod, ln."""

from __future__ import annotations

import posixpath
import re

from minikctl.kubelet.fs import FsError
from minikctl.kubelet.shell.utils_common import _gnu, _msg, _parse_flags, _q


def u_cat(sh, argv, io):
    flags, _, files, bad = _parse_flags(argv[1:])
    if not files:
        files = ["-"]
    status = 0
    number = "n" in flags
    n = 0
    for f in files:
        if f == "-":
            if not number:
                for chunk in io.stdin.chunks():
                    io.out(chunk)
                continue
            data = io.stdin.read_all()
        else:
            try:
                data = sh.fs.read(f, sh.cwd)
            except FsError as e:
                if _gnu(sh):
                    io.err(f"cat: {f}: {_msg(e)}\n")
                elif e.name == "EISDIR":
                    io.err("cat: read error: Is a directory\n")
                else:
                    io.err(f"cat: can't open '{f}': {_msg(e)}\n")
                status = 1
                continue
        if number:
            lines = data.splitlines(keepends=True)
            out = []
            for ln in lines:
                n += 1
                out.append(f"{n:6d}\t{ln}")
            data = "".join(out)
        io.out(data)
    return status


def _mode_string(node) -> str:
    mode = getattr(node, "mode", None)
    if mode is None:
        if node.is_dir:
            return "drwxr-xr-x"
        if node.executable:
            return "-rwxr-xr-x"
        return "-rw-r--r--"
    # a volume's file: its mode as the kubelet set it (defaultMode, items[].mode)
    kind = getattr(node, "kind", "")
    t = "d" if node.is_dir else "l" if kind == "l" else {"s": "s", "c": "c"}.get(getattr(node, "special", None), "-")
    bits = "".join(c if mode & (1 << (8 - i)) else "-" for i, c in enumerate("rwxrwxrwx"))
    if mode & 0o1000:
        bits = bits[:8] + ("t" if bits[8] == "x" else "T")
    return t + bits


def _ls_time(mtime: float, now: float) -> str:
    import time as _t

    t = _t.gmtime(mtime)
    if abs(now - mtime) > 182 * 86400:
        return _t.strftime("%b %e  %Y", t)
    return _t.strftime("%b %e %H:%M", t)


def u_ls(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    long = "l" in flags
    show_all = "a" in flags
    almost = "A" in flags
    dir_only = "d" in flags
    one = "1" in flags or long or not sh.ctx.tty
    classify = "F" in flags or "p" in flags
    status = 0
    if not ops:
        ops = ["."]
    files: list[str] = []
    dirs: list[str] = []
    for op in ops:
        node = sh.fs.stat(op, sh.cwd)
        if node is None:
            if _gnu(sh):
                io.err(f"ls: cannot access {_q(op)}: No such file or directory\n")
                status = 2
            else:
                io.err(f"ls: {op}: No such file or directory\n")
                status = 1
            continue
        if node.is_dir and not dir_only:
            dirs.append(op)
        else:
            files.append(op)
    now = sh.ctx.now()
    user = sh.ctx.image.user["name"]

    def fmt_entries(entries: list[tuple[str, object]]) -> list[str]:
        if not long:
            names = [n + ("/" if classify and node.is_dir else "*" if "F" in flags and node.executable else "")
                     for n, node in entries]
            if one:
                return [n + "\n" for n in names]
            return [_columns(names)] if names else []
        lines = []
        width = max((len(str(node.size)) for _, node in entries), default=1)
        for n, node in entries:
            size = str(node.size).rjust(width)
            owner = getattr(node, "owner", None) or (user if node.mtime != 1732636500.0 else "root")
            link = f" -> {node.data}" if getattr(node, "kind", "") == "l" else ""
            lines.append(f"{_mode_string(node)} {'2' if node.is_dir else '1'} {owner} {owner} {size} "
                         f"{_ls_time(node.mtime, now)} {n}{link}\n")
        return lines

    out: list[str] = []
    lnode = getattr(sh.fs, "lnode", sh.fs.node)  # ls shows a symlink itself (lstat), not its target
    if files:
        out.extend(fmt_entries([(f, lnode(sh.fs.abspath(f, sh.cwd))) for f in sorted(files)]))
    recursive = "R" in flags or "--recursive" in flags
    if recursive:
        expanded = []
        for d in sorted(dirs):
            base = sh.fs.abspath(d, sh.cwd)
            for p in sh.fs.walk(base):
                node = sh.fs.node(p)
                if node is not None and node.is_dir and (show_all or almost or
                                                         not any(seg.startswith(".") for seg in p[len(base):].split("/"))):
                    expanded.append(d.rstrip("/") + p[len(base):] if p != base else d)
        dirs = expanded
    for i, d in enumerate(dirs if recursive else sorted(dirs)):
        try:
            names = sh.fs.listdir(d, sh.cwd)
        except FsError as e:
            io.err(f"ls: cannot open directory {_q(d)}: {_msg(e)}\n")
            status = 2
            continue
        if not (show_all or almost):
            names = [n for n in names if not n.startswith(".")]
        base = sh.fs.abspath(d, sh.cwd)
        entries = [(n, lnode(sh.fs.abspath(posixpath.join(base, n)))) for n in names]
        entries = [(n, e) for n, e in entries if e is not None]
        if show_all:
            entries = [(".", sh.fs.node(base)), ("..", sh.fs.node(posixpath.dirname(base)) or sh.fs.node(base))] + entries
        if "t" in flags:
            entries.sort(key=lambda x: -x[1].mtime)
        if "r" in flags:
            entries.reverse()
        if len(dirs) + len(files) > 1 or recursive:
            if out or i:
                out.append("\n")
            out.append(f"{d}:\n")
        if long:
            blocks = sum(4 if e.is_dir else 0 if getattr(e, "kind", "") == "l" else max(0, (e.size + 4095) // 4096 * 4)
                         for _, e in entries)
            out.append(f"total {blocks}\n")
        out.extend(fmt_entries(entries))
    io.out("".join(out))
    return status


def _columns(names: list[str], width: int = 80) -> str:
    """GNU ls' vertical column layout for a terminal."""
    if not names:
        return ""
    n = len(names)
    for cols in range(n, 0, -1):
        rows = (n + cols - 1) // cols
        colw = []
        for c in range(cols):
            col = names[c * rows:(c + 1) * rows]
            if not col:
                break
            colw.append(max(len(x) for x in col) + 2)
        if sum(colw) - 2 <= width or cols == 1:
            lines = []
            for r in range(rows):
                cells = []
                for c in range(len(colw)):
                    idx = c * rows + r
                    if idx < n:
                        last = c == len(colw) - 1 or (c + 1) * rows + r >= n
                        cells.append(names[idx] if last else names[idx].ljust(colw[c]))
                lines.append("".join(cells).rstrip())
            return "\n".join(lines) + "\n"
    return "\n".join(names) + "\n"


def u_touch(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    if not ops:
        io.err("touch: missing file operand\nTry 'touch --help' for more information.\n" if _gnu(sh) else
               "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: touch [-c] [-d DATE] [-t DATE] [-r FILE] FILE...\n")
        return 1
    status = 0
    for f in ops:
        if "c" in flags and not sh.fs.exists(f, sh.cwd):
            continue
        try:
            sh.fs.touch(f, sh.cwd)
        except FsError as e:
            io.err(f"touch: cannot touch {_q(f)}: {_msg(e)}\n" if _gnu(sh) else f"touch: {f}: {_msg(e)}\n")
            status = 1
    return status


def u_rm(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    recursive = bool(flags & {"r", "R", "--recursive"})
    force = bool(flags & {"f", "--force"})
    dir_ok = "d" in flags
    if not ops:
        if force:
            return 0
        io.err("rm: missing operand\nTry 'rm --help' for more information.\n" if _gnu(sh) else
               "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: rm [-irf] FILE...\n")
        return 1
    status = 0
    for f in ops:
        p = sh.fs.abspath(f, sh.cwd)
        if recursive and p == "/" and "--no-preserve-root" not in flags:
            if _gnu(sh):
                io.err("rm: it is dangerous to operate recursively on '/'\n"
                       "rm: use --no-preserve-root to override this failsafe\n")
            else:
                io.err("rm: can't remove '/': Device or resource busy\n")
            status = 1
            continue
        if posixpath.basename(f.rstrip("/")) in (".", ".."):
            io.err(f"rm: refusing to remove '.' or '..' directory: skipping {_q(f)}\n" if _gnu(sh) else
                   f"rm: can't remove '{f}': Invalid argument\n")
            status = 1
            continue
        try:
            sh.fs.remove(f, sh.cwd, recursive=recursive, dir_ok=dir_ok)
        except FsError as e:
            if e.name == "ENOENT" and force:
                continue
            if _gnu(sh):
                io.err(f"rm: cannot remove {_q(f)}: {_msg(e)}\n")
            elif e.name == "EISDIR":
                io.err(f"rm: '{f}' is a directory\n")
            else:
                io.err(f"rm: can't remove '{f}': {_msg(e)}\n")
            status = 1
    return status


def u_rmdir(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    status = 0
    for f in ops:
        try:
            n = sh.fs.stat(f, sh.cwd)
            if n is not None and not n.is_dir:
                raise FsError("ENOTDIR", f)
            sh.fs.remove(f, sh.cwd, dir_ok=True)
        except FsError as e:
            io.err(f"rmdir: failed to remove {_q(f)}: {_msg(e)}\n" if _gnu(sh) else f"rmdir: '{f}': {_msg(e)}\n")
            status = 1
    return status


def u_mkdir(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:], with_value="m")
    parents = bool(flags & {"p", "--parents"})
    if not ops:
        io.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n" if _gnu(sh) else
               "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: mkdir [-m MODE] [-p] DIRECTORY...\n")
        return 1
    status = 0
    for d in ops:
        try:
            sh.fs.mkdir(d, sh.cwd, parents=parents)
        except FsError as e:
            io.err(f"mkdir: cannot create directory {_q(d)}: {_msg(e)}\n" if _gnu(sh) else
                   f"mkdir: can't create directory '{d}': {_msg(e)}\n")
            status = 1
    return status


def u_cp(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    if len(ops) < 2:
        io.err("cp: missing file operand\nTry 'cp --help' for more information.\n" if _gnu(sh) else
               "cp: missing file operand\n")
        return 1
    *srcs, dst = ops
    status = 0
    for s in srcs:
        n = sh.fs.stat(s, sh.cwd)
        if n is None:
            io.err(f"cp: cannot stat {_q(s)}: No such file or directory\n" if _gnu(sh) else
                   f"cp: can't stat '{s}': No such file or directory\n")
            status = 1
            continue
        if n.is_dir:
            if not flags & {"r", "R", "a"}:
                io.err(f"cp: -r not specified; omitting directory {_q(s)}\n" if _gnu(sh) else
                       f"cp: omitting directory '{s}'\n")
                status = 1
                continue
            _copy_tree(sh, s, dst)
            continue
        try:
            sh.fs.copy(s, dst, sh.cwd)
        except FsError as e:
            io.err(f"cp: cannot create regular file {_q(dst)}: {_msg(e)}\n" if _gnu(sh) else
                   f"cp: can't create '{dst}': {_msg(e)}\n")
            status = 1
    return status


def _copy_tree(sh, src: str, dst: str) -> None:
    s = sh.fs.abspath(src, sh.cwd)
    d = sh.fs.abspath(dst, sh.cwd)
    if sh.fs.is_dir(d):
        d = posixpath.join(d, posixpath.basename(s))
    for p in sh.fs.walk(s):
        target = d + p[len(s):]
        node = sh.fs.node(p)
        if node.is_dir:
            sh.fs.mkdir(target, parents=True)
        else:
            sh.fs.write(target, node.data or "")


def u_mv(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    if len(ops) < 2:
        io.err("mv: missing file operand\nTry 'mv --help' for more information.\n" if _gnu(sh) else
               "mv: missing file operand\n")
        return 1
    *srcs, dst = ops
    status = 0
    for s in srcs:
        n = sh.fs.stat(s, sh.cwd)
        if n is None:
            io.err(f"mv: cannot stat {_q(s)}: No such file or directory\n" if _gnu(sh) else
                   f"mv: can't rename '{s}': No such file or directory\n")
            status = 1
            continue
        try:
            if n.is_dir:
                _copy_tree(sh, s, dst)
            else:
                sh.fs.copy(s, dst, sh.cwd)
                if n.executable:
                    d = sh.fs.abspath(dst, sh.cwd)
                    if sh.fs.is_dir(d):
                        d = posixpath.join(d, posixpath.basename(sh.fs.abspath(s, sh.cwd)))
                    sh.fs.chmod_exec(d, True)
            sh.fs.remove(s, sh.cwd, recursive=True)
        except FsError as e:
            io.err(f"mv: cannot move {_q(s)} to {_q(dst)}: {_msg(e)}\n" if _gnu(sh) else
                   f"mv: can't rename '{s}': {_msg(e)}\n")
            status = 1
    return status


def u_chmod(sh, argv, io):
    args = argv[1:]
    if len(args) < 2:
        io.err("chmod: missing operand\n")
        return 1
    mode, files = args[0], args[1:]
    status = 0
    for f in files:
        n = sh.fs.stat(f, sh.cwd)
        if n is None:
            io.err(f"chmod: cannot access {_q(f)}: No such file or directory\n" if _gnu(sh) else
                   f"chmod: {f}: No such file or directory\n")
            status = 1
            continue
        if re.fullmatch(r"[0-7]{3,4}", mode):
            exe = bool(int(mode[-3], 8) & 1)
        elif "+x" in mode or "+rwx" in mode or mode.endswith("x") and "+" in mode:
            exe = True
        elif "-x" in mode:
            exe = False
        else:
            exe = n.executable
        try:
            sh.fs.chmod_exec(f, exe, sh.cwd)
        except FsError as e:
            io.err(f"chmod: changing permissions of {_q(f)}: {_msg(e) if e.name != 'EACCES' else 'Operation not permitted'}\n")
            status = 1
    return status


def u_ln(sh, argv, io):
    flags, _, ops, _ = _parse_flags(argv[1:])
    if len(ops) < 2:
        io.err("ln: missing file operand\n")
        return 1
    target, link = ops[0], ops[1]
    try:
        data = sh.fs.read(target, sh.cwd) if sh.fs.exists(target, sh.cwd) else ""
        if sh.fs.exists(link, sh.cwd) and not flags & {"f"}:
            io.err(f"ln: failed to create {'symbolic ' if 's' in flags else 'hard '}link {_q(link)}: File exists\n")
            return 1
        sh.fs.write(link, data, sh.cwd)
    except FsError as e:
        io.err(f"ln: failed to create link {_q(link)}: {_msg(e)}\n")
        return 1
    return 0
