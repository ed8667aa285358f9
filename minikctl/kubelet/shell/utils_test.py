"""test and [: conditions on files, strings and integers."""

from __future__ import annotations

import posixpath


def u_test(sh, argv, io):
    args = argv[1:]
    if argv[0] == "[":
        if not args or args[-1] != "]":
            io.err(f"{sh.errprefix() if sh.flavor else ''}[: missing ]\n" if sh.flavor != "bash" else
                   f"{sh.errprefix()}[: missing `]'\n")
            return 2
        args = args[:-1]
    try:
        return 0 if _test_eval(sh, args) else 1
    except _TestError as e:
        io.err(f"{sh.errprefix() if sh.flavor else ''}{argv[0]}: {e}\n")
        return 2


class _TestError(Exception):
    pass


def _test_eval(sh, args: list[str]) -> bool:
    if not args:
        return False
    if "-o" in args:
        i = args.index("-o")
        return _test_eval(sh, args[:i]) or _test_eval(sh, args[i + 1:])
    if "-a" in args[1:] and len(args) > 3:
        i = args.index("-a", 1)
        return _test_eval(sh, args[:i]) and _test_eval(sh, args[i + 1:])
    if args[0] == "!":
        return not _test_eval(sh, args[1:])
    if args[0] == "(" and args[-1] == ")":
        return _test_eval(sh, args[1:-1])
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        op, a = args
        if op == "-z":
            return a == ""
        if op == "-n":
            return a != ""
        node = sh.fs.stat(a, sh.cwd) if op in "-e-f-d-s-x-r-w-L-h" else None
        if op == "-e":
            return node is not None
        if op == "-f":
            return node is not None and not node.is_dir
        if op == "-d":
            return node is not None and node.is_dir
        if op == "-s":
            return node is not None and (node.is_dir or node.size > 0)
        if op == "-x":
            return node is not None and (node.executable or node.is_dir)
        if op in ("-r", "-w"):
            return node is not None
        if op in ("-L", "-h"):
            return sh.fs.abspath(a, sh.cwd) != posixpath.normpath(a) and False
        raise _TestError(f"{op}: unary operator expected")
    if len(args) == 3:
        a, op, b = args
        if op in ("=", "=="):
            return a == b
        if op == "!=":
            return a != b
        if op in ("-eq", "-ne", "-lt", "-gt", "-le", "-ge"):
            try:
                x, y = int(a), int(b)
            except ValueError:
                bad = a if not a.lstrip("-").isdigit() else b
                raise _TestError(f"{bad}: integer expression expected" if sh.flavor == "bash" else
                                 f"Illegal number: {bad}") from None
            return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-gt": x > y, "-le": x <= y, "-ge": x >= y}[op]
        raise _TestError(f"{op}: binary operator expected")
    raise _TestError("too many arguments")
