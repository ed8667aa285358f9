"""The system utilities: sleep, env, printenv, hostname, id, whoami, uname, date, which, kill, ps, df."""

from __future__ import annotations

import posixpath
import re

from minikctl.kubelet.shell.syntax import _NAME
from minikctl.kubelet.shell.utils_common import _gnu, _parse_flags, _q


def u_sleep(sh, argv, io):
    args = argv[1:]
    if not args:
        io.err("sleep: missing operand\nTry 'sleep --help' for more information.\n" if _gnu(sh) else
               "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: sleep [N]...\n")
        return 1
    for a in args:
        if a in ("infinity", "inf") or re.fullmatch(r"\d+(\.\d*)?[smhd]?|\.\d+[smhd]?", a):
            continue
        io.err(f"sleep: invalid time interval {_q(a)}\nTry 'sleep --help' for more information.\n" if _gnu(sh)
               else f"sleep: invalid number '{a}'\n")
        return 1
    # The emulated clock does not move while a command runs: sleep returns at once, but what it
    # would have waited counts against the time budget (a `while true; ...; sleep 1; done` ends).
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    total = 0.0
    for a in args:
        if a in ("infinity", "inf"):
            total = float("inf")
            break
        total += float(a.rstrip("smhd") or 0) * units.get(a[-1:], 1)
    sh.budget.sleep(total)
    return 0


def u_env(sh, argv, io, env: list[tuple[str, str]] | None = None):
    env = list(env if env is not None else sh.env_list())
    args = argv[1:]
    ignore = False
    while args and args[0].startswith("-") and args[0] != "-":
        if args[0] in ("-i", "--ignore-environment"):
            ignore = True
        elif args[0] in ("-u",) and len(args) > 1:
            env = [(k, v) for k, v in env if k != args[1]]
            args = args[1:]
        args = args[1:]
    if args and args[0] == "-":
        ignore = True
        args = args[1:]
    if ignore:
        env = []
    d = dict(env)
    while args and "=" in args[0] and _NAME.fullmatch(args[0].split("=", 1)[0]):
        k, v = args[0].split("=", 1)
        if k not in d:
            env.append((k, v))
        d[k] = v
        args = args[1:]
    env = [(k, d[k]) for k, _ in env]
    if not args:
        io.out("".join(f"{k}={v}\n" for k, v in env))
        return 0
    # env runs a program directly (no builtins)
    path_var = dict(env).get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    if sh.fs.find_executable(args[0], path_var, sh.cwd) is None:
        io.err(f"env: {_q(args[0])}: No such file or directory\n" if _gnu(sh) else
               f"env: can't execute '{args[0]}': No such file or directory\n")
        return 127
    from minikctl.kubelet.shell.interp import Shell  # interp imports the utilities

    plain = Shell(sh.ctx, None, env=env, cwd=sh.cwd)
    return plain.exec_program(args, io, env)


def u_printenv(sh, argv, io, env: list[tuple[str, str]] | None = None):
    env = env if env is not None else sh.env_list()
    names = [a for a in argv[1:] if not a.startswith("-")]
    if not names:
        io.out("".join(f"{k}={v}\n" for k, v in env))
        return 0
    d = dict(env)
    status = 0
    for n in names:
        if n in d:
            io.out(d[n] + "\n")
        else:
            status = 1
    return status


def u_hostname(sh, argv, io):
    args = argv[1:]
    if args and args[0] in ("-i", "--ip-address"):
        io.out((sh.ctx.pod_ip or "") + "\n")
        return 0
    if args and args[0] in ("-I", "--all-ip-addresses"):
        io.out((sh.ctx.pod_ip or "") + " \n")
        return 0
    if args and args[0] in ("-f", "--fqdn", "--long"):
        io.out(sh.ctx.fqdn + "\n")
        return 0
    if args and args[0] in ("-d", "--domain"):
        io.out(sh.ctx.fqdn.partition(".")[2] + "\n")
        return 0
    if args and args[0] in ("-s", "--short"):
        io.out(sh.ctx.hostname.split(".")[0] + "\n")
        return 0
    if args and not args[0].startswith("-"):
        io.err("hostname: you must be root to change the host name\n" if sh.ctx.image.user["uid"] else
               "hostname: you must be root to change the host name\n")
        return 1
    io.out(sh.ctx.hostname + "\n")
    return 0


def u_id(sh, argv, io):
    u = sh.ctx.image.user
    groups = f"groups={u['gid']}({u['name'] if u['uid'] else 'root'})"
    if "-u" in argv:
        io.out((u["name"] if "-n" in argv else str(u["uid"])) + "\n")
        return 0
    if "-g" in argv:
        io.out((u["name"] if "-n" in argv else str(u["gid"])) + "\n")
        return 0
    gname = "root" if u["gid"] == 0 else u["name"]
    io.out(f"uid={u['uid']}({u['name']}) gid={u['gid']}({gname}) {groups}\n")
    return 0


def u_whoami(sh, argv, io):
    io.out(sh.ctx.image.user["name"] + "\n")
    return 0


KERNEL = "6.8.0-minikctl"
KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Mon Jan  6 00:00:00 UTC 2025"


def u_uname(sh, argv, io):
    flags, _, _, _ = _parse_flags(argv[1:])
    host = sh.ctx.hostname
    fields = {"s": "Linux", "n": host, "r": KERNEL, "v": KERNEL_VERSION, "m": "x86_64",
              "o": "GNU/Linux" if _gnu(sh) else "Linux"}
    if "a" in flags or "--all" in flags:
        order = ["s", "n", "r", "v", "m", "o"]
        io.out(" ".join(fields[k] for k in order) + "\n")
        return 0
    picked = [k for k in "snrvmo" if k in flags]
    if "p" in flags or "i" in flags:
        picked.append("m")
    io.out(" ".join(fields[k] for k in (picked or ["s"])) + "\n")
    return 0


def u_date(sh, argv, io):
    import time as _t

    ts = sh.ctx.now()
    args = argv[1:]
    fmt = None
    for a in args:
        if a.startswith("+"):
            fmt = a[1:]
        elif a in ("-u", "--utc", "-R", "-I", "--iso-8601"):
            if a == "-R":
                fmt = "%a, %d %b %Y %H:%M:%S +0000"
            elif a in ("-I", "--iso-8601"):
                fmt = "%Y-%m-%d"
    t = _t.gmtime(ts)
    if fmt is None:
        io.out(_t.strftime("%a %b %e %H:%M:%S UTC %Y", t) + "\n")
        return 0
    fmt = fmt.replace("%N", "000000000").replace("%s", str(int(ts))).replace("%Z", "UTC").replace("%z", "+0000")
    io.out(_t.strftime(fmt, t) + "\n")
    return 0


def u_which(sh, argv, io):
    args = [a for a in argv[1:] if not a.startswith("-")]
    all_ = "-a" in argv
    status = 0
    path_var = sh.vars.get("PATH", "")
    for n in args:
        found = False
        if "/" in n:
            node = sh.fs.stat(n, sh.cwd)
            if node is not None and node.executable:
                io.out(n + "\n")
                found = True
        else:
            for d in path_var.split(":"):
                p = posixpath.join(d or ".", n)
                node = sh.fs.node(sh.fs.abspath(p, sh.cwd))
                if node is not None and node.executable:
                    io.out(p + "\n")
                    found = True
                    if not all_:
                        break
        if not found:
            status = 1
    return status


def u_kill(sh, argv, io):
    pids = [a for a in argv[1:] if not a.startswith("-")]
    if not pids:
        io.err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n"
               if sh.flavor == "bash" else "kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]...\n")
        return 2 if sh.flavor != "bash" else 2
    status = 0
    for p in pids:
        if p == "1":
            continue  # PID 1 ignores signals it has no handler for
        io.err(f"{sh.errprefix() if sh.flavor else ''}kill: ({p}) - No such process\n" if sh.flavor == "bash" else
               f"{sh.errprefix() if sh.flavor else ''}kill: No such process\n")
        status = 1
    return status


def u_ps(sh, argv, io):
    main = " ".join(sh.ctx.main_command) or "sh"
    if _gnu(sh):
        io.out("    PID TTY          TIME CMD\n      1 ?        00:00:00 " + main.split()[0].rsplit("/", 1)[-1] + "\n"
               f"{sh.ctx.pid:7d} ?        00:00:00 ps\n")
    else:
        io.out("PID   USER     TIME  COMMAND\n"
               f"    1 {sh.ctx.image.user['name']:<8s}  0:00 {main}\n"
               f"{sh.ctx.pid:5d} {sh.ctx.image.user['name']:<8s}  0:00 ps\n")
    return 0


def u_df(sh, argv, io):
    io.out("Filesystem     1K-blocks     Used Available Use% Mounted on\n"
           "overlay        263174212 41238712 208493140  17% /\n"
           "tmpfs              65536        0     65536   0% /dev\n"
           "/dev/sda1      263174212 41238712 208493140  17% /etc/hosts\n")
    return 0
