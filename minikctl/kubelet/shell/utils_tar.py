"""tar: create (c), extract (x) and list (t) archives of the container's files, to and from a
stream (f -) or a file of the container, with GNU tar's or BusyBox tar's messages and exit codes
(the image's userland). `kubectl cp` runs `tar cf - PATH` and `tar -xmf - -C DIR` through exec
(minikctl.cli.cmd_cp), so this is what it sees. Archives are real ustar/GNU tar bytes (Python's
tarfile); the shell's streams hold bytes as text with surrogateescape.
"""

from __future__ import annotations

import io as _io
import posixpath

from minikctl.kubelet.fs import FsError
from minikctl.kubelet.shell.utils_common import _gnu, _msg

_GNU_LEADING = "tar: Removing leading `/' from member names\n"
_BB_LEADING = "tar: removing leading '/' from member names\n"
_GNU_FAILED = "tar: Exiting with failure status due to previous errors\n"


def _parse(argv: list[str]):
    """(mode, archive, directory, verbose, operands, bad option) from GNU tar's option forms:
    old style (`cf -`), short (`-xmf -`, `-C DIR`) and long (`--file=-`, `--directory DIR`)."""
    args = list(argv[1:])
    mode = archive = None
    directory = None
    verbose = False
    ops: list[str] = []
    pending: list[str] = []  # options that take the next word (f, C)

    def flag(ch: str) -> str | None:
        nonlocal mode, verbose
        if ch in "cxt":
            if mode and mode != ch:
                return "conflict"
            mode = ch
        elif ch == "v":
            verbose = True
        elif ch in "fC":
            pending.append(ch)
        elif ch not in "mpoz":
            return ch
        return None

    if args and not args[0].startswith("-"):  # old style: the first word is a cluster of letters
        for ch in args.pop(0):
            bad = flag(ch)
            if bad:
                return None, None, None, False, [], bad
    while args:
        a = args.pop(0)
        if pending:  # an option's argument is the next word, whatever it is (`f -`, `-C /tmp`)
            if pending.pop(0) == "f":
                archive = a
            else:
                directory = a
            continue
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if name in ("--file", "--directory"):
                if not eq:
                    value = args.pop(0) if args else ""
                if name == "--file":
                    archive = value
                else:
                    directory = value
            elif name in ("--create", "--extract", "--get", "--list"):
                mode = {"--create": "c", "--extract": "x", "--get": "x", "--list": "t"}[name]
            elif name == "--verbose":
                verbose = True
            elif name in ("--no-same-permissions", "--no-same-owner", "--touch", "--same-owner",
                          "--preserve-permissions", "--numeric-owner"):
                pass
            else:
                return None, None, None, False, [], a
        elif a.startswith("-") and a != "-":
            for i, ch in enumerate(a[1:]):
                if ch in "fC" and a[i + 2:]:
                    value = a[i + 2:]
                    if ch == "f":
                        archive = value
                    else:
                        directory = value
                    break
                bad = flag(ch)
                if bad:
                    return None, None, None, False, [], bad
        else:
            ops.append(a)
    if pending:
        return None, None, None, False, [], "missing"
    return mode, archive, directory, verbose, ops, None


def u_tar(sh, argv, io):
    gnu = _gnu(sh)
    mode, archive, directory, verbose, ops, bad = _parse(argv)
    if bad is not None or mode is None:
        if gnu:
            if bad == "conflict":
                io.err("tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option\n"
                       "Try 'tar --help' or 'tar --usage' for more information.\n")
            elif mode is None and bad is None:
                io.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n"
                       "Try 'tar --help' or 'tar --usage' for more information.\n")
            else:
                io.err(f"tar: invalid option -- '{bad}'\nTry 'tar --help' or 'tar --usage' for more information.\n"
                       if bad not in ("missing",) and not bad.startswith("-") else
                       f"tar: unrecognized option '{bad}'\nTry 'tar --help' or 'tar --usage' for more information.\n"
                       if bad != "missing" else
                       "tar: option requires an argument\nTry 'tar --help' or 'tar --usage' for more information.\n")
            return 2
        io.err("tar: invalid option -- '{}'\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
               "Usage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...\n"
               .format(bad if bad not in (None, "conflict", "missing") else "?") if bad else
               "tar: need -c, -x, or -t\n")
        return 1
    if archive is None:
        archive = "-"
    if mode == "c":
        return _create(sh, io, gnu, archive, directory, ops)
    return _extract(sh, io, gnu, archive, directory, ops, listing=mode == "t", verbose=verbose)


def _mode_of(node) -> int:
    if node.mode is not None:
        return node.mode & 0o7777
    if node.is_dir:
        return 0o755
    return 0o755 if node.executable else 0o644


def _create(sh, io, gnu: bool, archive: str, directory: str | None, ops: list[str]) -> int:
    import tarfile

    if not ops:
        io.err("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more "
               "information.\n" if gnu else "tar: empty archive\n")
        return 2 if gnu else 1
    cwd = sh.cwd
    if directory is not None:
        if not sh.fs.is_dir(directory, cwd):
            io.err(f"tar: {directory}: Cannot open: No such file or directory\ntar: Error is not recoverable: "
                   "exiting now\n" if gnu else f"tar: can't change directory to '{directory}': No such file or "
                                               "directory\n")
            return 2 if gnu else 1
        cwd = sh.fs.abspath(directory, cwd)
    buf = _io.BytesIO()
    status = 0
    warned = False
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for op in ops:
            name = op
            if gnu and name.startswith("/") and not warned:  # GNU warns before it looks at the file
                io.err(_GNU_LEADING)
                warned = True
            node = sh.fs.stat(op, cwd)
            if node is None:
                io.err(f"tar: {op}: Cannot stat: No such file or directory\n" if gnu else
                       f"tar: {op}: No such file or directory\n")
                status = 2 if gnu else 1
                continue
            if not gnu and name.startswith("/") and not warned:
                io.err(_BB_LEADING)
                warned = True
            member = posixpath.normpath(name).lstrip("/") or "."
            root = sh.fs.abspath(op, cwd)
            for p in sh.fs.walk(root):
                n = sh.fs.lnode(p)
                if n is None:
                    continue
                rel = member + p[len(root):] if p != root else member
                info = tarfile.TarInfo(rel)
                info.mtime = int(n.mtime)
                info.mode = _mode_of(n)
                info.uname = info.gname = "root"
                if n.is_link:
                    info.type = tarfile.SYMTYPE
                    info.linkname = n.data or ""
                    tf.addfile(info)
                elif n.is_dir:
                    info.type = tarfile.DIRTYPE
                    tf.addfile(info)
                else:
                    data = (n.data or "").encode("utf-8", "surrogateescape")
                    info.size = len(data)
                    tf.addfile(info, _io.BytesIO(data))
    text = buf.getvalue().decode("utf-8", "surrogateescape")
    if archive == "-":
        io.out(text)
    else:
        try:
            sh.fs.write(archive, text, sh.cwd)
        except FsError as e:
            io.err(f"tar: {archive}: Cannot open: {_msg(e)}\ntar: Error is not recoverable: exiting now\n" if gnu
                   else f"tar: can't open '{archive}': {_msg(e)}\n")
            return 2 if gnu else 1
    if status and gnu:
        io.err(_GNU_FAILED)
    return status


def _extract(sh, io, gnu: bool, archive: str, directory: str | None, ops: list[str], *, listing: bool,
             verbose: bool) -> int:
    import tarfile

    if archive == "-":
        data = io.stdin.read_all()
    else:
        try:
            data = sh.fs.read(archive, sh.cwd)
        except FsError as e:
            io.err(f"tar: {archive}: Cannot open: {_msg(e)}\ntar: Error is not recoverable: exiting now\n" if gnu
                   else f"tar: can't open '{archive}': {_msg(e)}\n")
            return 2 if gnu else 1
    cwd = sh.cwd
    if directory is not None and not listing:
        if not sh.fs.is_dir(directory, cwd):
            io.err(f"tar: {directory}: Cannot open: No such file or directory\ntar: Error is not recoverable: "
                   "exiting now\n" if gnu else f"tar: can't change directory to '{directory}': No such file or "
                                               "directory\n")
            return 2 if gnu else 1
        cwd = sh.fs.abspath(directory, cwd)
    raw = data.encode("utf-8", "surrogateescape")
    if not raw.strip(b"\0"):
        return 0  # an empty archive (or only end-of-archive blocks)
    try:
        tf = tarfile.open(fileobj=_io.BytesIO(raw), mode="r:")
        members = tf.getmembers()
    except (tarfile.TarError, EOFError):
        io.err("tar: This does not look like a tar archive\n" + _GNU_FAILED if gnu else "tar: invalid tar magic\n")
        return 2 if gnu else 1
    status = 0
    warned = False
    for m in members:
        name = m.name
        if listing:
            shown = name + ("/" if m.isdir() and not name.endswith("/") else "")
            io.out((_verbose_line(m, shown, gnu) if verbose else shown) + "\n")
            continue
        if name.startswith("/"):
            if not warned:
                io.err(_GNU_LEADING if gnu else _BB_LEADING)
                warned = True
            name = name.lstrip("/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if ".." in parts:
            io.err(f"tar: Skipping to next header\ntar: {m.name}: Member name contains '..'\n" if gnu else
                   f"tar: skipping unsafe path '{m.name}'\n")
            status = 2 if gnu else 1
            continue
        if ops and not any(name == o.strip("/") or name.startswith(o.strip("/") + "/") for o in ops):
            continue
        if verbose:
            io.out(m.name + "\n")
        target = posixpath.join(cwd, *parts) if parts else cwd
        try:
            parent = posixpath.dirname(target)
            if parent != target and not sh.fs.is_dir(parent):
                sh.fs.mkdir(parent, parents=True)
            if m.isdir():
                sh.fs.mkdir(target, parents=True)
            elif m.issym():
                io.err(f"tar: {m.name}: Cannot create symlink to '{m.linkname}': Operation not supported\n" if gnu
                       else f"tar: can't create symlink '{m.name}' to '{m.linkname}': Operation not supported\n")
                status = 2 if gnu else 1
            elif m.isfile():
                f = tf.extractfile(m)
                content = (f.read() if f is not None else b"").decode("utf-8", "surrogateescape")
                node = sh.fs.node(target)
                if node is not None and node.is_dir:
                    raise FsError("EISDIR", m.name)
                sh.fs.write(target, content)
                if m.mode & 0o111:
                    sh.fs.chmod_exec(target, True)
        except FsError as e:
            io.err(f"tar: {m.name}: Cannot open: {_msg(e)}\n" if gnu else
                   f"tar: can't open '{m.name}': {_msg(e)}\n")
            status = 2 if gnu else 1
            if not gnu:
                return status
    if status and gnu:
        io.err(_GNU_FAILED)
    return status


def _verbose_line(m, shown: str, gnu: bool) -> str:
    """`tar tv`: GNU tar's `-rw-r--r-- root/root         3 2024-11-26 15:55 name` (owner and size
    right-aligned in 19 columns), BusyBox's `-rw-r--r-- 0/0 3 2024-11-26 15:55:00 name`."""
    import stat
    import time

    kind = "d" if m.isdir() else "l" if m.issym() else "-"
    perms = stat.filemode(m.mode)[1:]
    when = time.gmtime(m.mtime)
    size = str(m.size)
    link = f" -> {m.linkname}" if m.issym() else ""
    if gnu:
        owner = f"{m.uname or m.uid}/{m.gname or m.gid}"
        return f"{kind}{perms} {owner} {size:>{max(1, 19 - len(owner) - 1)}} {time.strftime('%Y-%m-%d %H:%M', when)} " \
               f"{shown}{link}"
    owner = f"{m.uname or m.uid}/{m.gname or m.gid}"
    return f"{kind}{perms} {owner} {size:>9} {time.strftime('%Y-%m-%d %H:%M:%S', when)} {shown}{link}"
