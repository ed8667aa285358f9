"""The shell's builtins (the functions `sh` runs itself: cd, export, set, read, eval, ...);
echo, printf, test and kill are utilities that are builtins too (commands.BUILTINS)."""

from __future__ import annotations

import posixpath
import re

from minikctl.kubelet.fs import MESSAGES, FsError
from minikctl.kubelet.shell.control import ExitShell, LoopControl, ReturnFn
from minikctl.kubelet.shell.syntax import _NAME, RESERVED, ShellSyntaxError, parse


def _b_true(sh, argv, io):
    return 0


def _b_false(sh, argv, io):
    return 1


def _b_colon(sh, argv, io):
    return 0


def _b_exit(sh, argv, io):
    code = sh.status
    if len(argv) > 1:
        try:
            code = int(argv[1]) & 0xFF
        except ValueError:
            if sh.flavor == "bash":
                io.err(f"{sh.errprefix()}exit: {argv[1]}: numeric argument required\n")
                code = 2
            else:
                io.err(f"{sh.errprefix()}exit: Illegal number: {argv[1]}\n")
                code = 2
    if sh.interactive and sh.flavor == "bash":
        io.err("exit\n")
    raise ExitShell(code)


def _b_return(sh, argv, io):
    raise ReturnFn(int(argv[1]) & 0xFF if len(argv) > 1 and argv[1].lstrip("-").isdigit() else sh.status)


def _b_break(sh, argv, io):
    n = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    raise LoopControl(argv[0], max(n, 1))


def _b_cd(sh, argv, io):
    args = [a for a in argv[1:] if a not in ("-L", "-P")]
    if not args:
        target = sh.vars.get("HOME", "/")
    elif args[0] == "-":
        target = sh.vars.get("OLDPWD", sh.cwd)
        io.out(target + "\n")
    else:
        target = args[0]
    p = sh.fs.abspath(target, sh.cwd)
    shown = posixpath.normpath(target if target.startswith("/") else posixpath.join(sh.cwd, target))
    n = sh.fs.node(p)
    if n is None or not n.is_dir:
        why = "No such file or directory" if n is None else "Not a directory"
        if sh.flavor == "bash":
            io.err(f"{sh.errprefix()}cd: {target}: {why}\n")
        elif sh.flavor == "ash":
            io.err(f"{sh.errprefix()}cd: can't cd to {target}: {why}\n")
        else:
            io.err(f"{sh.errprefix()}cd: can't cd to {target}\n")
        return 1 if sh.flavor != "dash" else 2
    sh.vars["OLDPWD"] = sh.cwd
    sh.cwd = shown
    sh.vars["PWD"] = shown
    return 0


def _b_pwd(sh, argv, io):
    io.out(sh.cwd + "\n")
    return 0


def _b_export(sh, argv, io):
    args = [a for a in argv[1:] if a != "-p"]
    if not args:
        for k in sorted(sh.exported):
            if k in sh.vars:
                v = sh.vars[k].replace("'", "'\\''") if sh.flavor != "bash" else sh.vars[k].replace('"', '\\"')
                io.out(f"declare -x {k}=\"{v}\"\n" if sh.flavor == "bash" else f"export {k}='{v}'\n")
        return 0
    status = 0
    for a in args:
        name, eq, val = a.partition("=")
        if not _NAME.fullmatch(name):
            if sh.flavor == "bash":
                io.err(f"{sh.errprefix()}export: `{a}': not a valid identifier\n")
            else:
                io.err(f"{sh.errprefix()}export: {name}: bad variable name\n")
            status = 1 if sh.flavor == "bash" else 2
            continue
        if eq:
            sh.vars[name] = val
        sh.exported.add(name)
    return status


def _b_unset(sh, argv, io):
    for a in argv[1:]:
        if a in ("-v", "-f"):
            continue
        sh.vars.pop(a, None)
        sh.exported.discard(a)
        sh.functions.pop(a, None)
    return 0


def _b_set(sh, argv, io):
    args = argv[1:]
    if not args:
        for k in sorted(sh.vars):
            v = sh.vars[k]
            io.out(f"{k}='{v}'\n" if not re.fullmatch(r"[A-Za-z0-9_./:@%+,=-]*", v) else f"{k}={v}\n")
        return 0
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            sh.positional = args[i + 1:]
            return 0
        if a in ("-o", "+o") and i + 1 < len(args):
            opt = {"errexit": "e", "xtrace": "x", "nounset": "u", "pipefail": "p"}.get(args[i + 1])
            if opt:
                (sh.options.add if a == "-o" else sh.options.discard)(opt)
            i += 2
            continue
        if a.startswith("-") and len(a) > 1:
            for ch in a[1:]:
                sh.options.add(ch)
        elif a.startswith("+") and len(a) > 1:
            for ch in a[1:]:
                sh.options.discard(ch)
        else:
            sh.positional = args[i:]
            return 0
        i += 1
    return 0


def _b_shift(sh, argv, io):
    n = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    if n > len(sh.positional):
        if sh.flavor == "dash":
            io.err(f"{sh.errprefix()}shift: can't shift that many\n")
            return 2
        return 1
    sh.positional = sh.positional[n:]
    return 0


def _b_read(sh, argv, io):
    args = argv[1:]
    raw = False
    prompt = None
    names = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-r":
            raw = True
        elif a == "-p" and i + 1 < len(args):
            prompt = args[i + 1]
            i += 1
        else:
            names.append(a)
        i += 1
    if prompt and sh.flavor == "bash":
        io.err(prompt)
    line = io.stdin.readline()
    if line is None:
        for n in names or ["REPLY"]:
            sh.vars[n] = ""
        return 1
    line = line.rstrip("\n")
    if not raw:
        line = line.replace("\\", "")
    names = names or ["REPLY"]
    if len(names) == 1:
        sh.vars[names[0]] = line.strip() if names[0] != "REPLY" else line
        return 0
    fields = line.split(None, len(names) - 1)
    for j, n in enumerate(names):
        sh.vars[n] = fields[j] if j < len(fields) else ""
    return 0


def _b_source(sh, argv, io):
    if len(argv) < 2:
        io.err(f"{sh.errprefix()}{argv[0]}: filename argument required\n")
        return 2
    try:
        text = sh.fs.read(argv[1], sh.cwd)
    except FsError as e:
        if sh.flavor == "bash":
            io.err(f"{sh.errprefix()}{argv[1]}: {MESSAGES.get(e.name, e.name)}\n")
            return 1
        io.err(f"{sh.errprefix()}{argv[0]}: cannot open {argv[1]}: {MESSAGES.get(e.name, e.name)}\n")
        return 2
    tree = parse(text)
    return sh.exec_node(tree, io)


def _b_eval(sh, argv, io):
    text = " ".join(argv[1:])
    try:
        tree = parse(text, sh.line)
    except ShellSyntaxError as e:
        return sh.syntax_error(e, text, io)
    return sh.exec_node(tree, io)


def _b_exec(sh, argv, io):
    if len(argv) == 1:
        return 0
    status = sh.run_command(argv[1:], io)
    raise ExitShell(status)


def _b_type(sh, argv, io):
    from minikctl.kubelet.shell.commands import BUILTINS  # the table imports this module

    status = 0
    for n in argv[1:]:
        if n in RESERVED:
            io.out(f"{n} is a shell keyword\n")
        elif n in sh.functions:
            io.out(f"{n} is a function\n" if sh.flavor != "bash" else f"{n} is a function\n")
        elif n in BUILTINS:
            io.out(f"{n} is a shell builtin\n")
        else:
            p = sh.fs.find_executable(n, sh.vars.get("PATH", ""), sh.cwd)
            if p:
                io.out(f"{n} is {p}\n")
            else:
                if sh.flavor == "bash":
                    io.err(f"{sh.errprefix()}type: {n}: not found\n")
                else:
                    io.out(f"{n}: not found\n")
                status = 1 if sh.flavor == "bash" else 127
    return status


def _b_command(sh, argv, io):
    from minikctl.kubelet.shell.commands import BUILTINS  # the table imports this module

    args = argv[1:]
    if args and args[0] in ("-v", "-V"):
        status = 0
        for n in args[1:]:
            if n in BUILTINS or n in sh.functions:
                io.out(n + "\n")
            else:
                p = sh.fs.find_executable(n, sh.vars.get("PATH", ""), sh.cwd)
                if p:
                    io.out(p + "\n")
                else:
                    status = 127 if sh.flavor == "dash" else 1
        return status
    if not args:
        return 0
    saved = sh.functions
    sh.functions = {}
    try:
        return sh.run_command(args, io)
    finally:
        sh.functions = saved


def _b_wait(sh, argv, io):
    return 0


def _b_umask(sh, argv, io):
    if len(argv) == 1:
        io.out("0022\n")
    return 0


def _b_trap(sh, argv, io):
    return 0


def _b_hash(sh, argv, io):
    return 0


def _b_alias(sh, argv, io):
    return 0


def _b_local(sh, argv, io):
    for a in argv[1:]:
        name, eq, val = a.partition("=")
        sh.vars[name] = val if eq else sh.vars.get(name, "")
    return 0


def _b_history(sh, argv, io):
    """The lines typed at an interactive prompt (minikctl.cli.shell_tty keeps them): bash numbers
    them from 1 (`%5d  %s`), busybox from 0 (lineedit.c show_history: `%4d %s`)."""
    lines = getattr(sh, "history", None) or []
    if sh.flavor == "bash":
        io.out("".join(f"{i:5d}  {ln}\n" for i, ln in enumerate(lines, 1)))
    elif sh.flavor == "ash":
        io.out("".join(f"{i:4d} {ln}\n" for i, ln in enumerate(lines)))
    return 0
