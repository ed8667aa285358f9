"""The dispatch tables: which function runs a builtin or a utility, by name, and which programs
are shells or network tools (run by kubelet/exec.py)."""

from __future__ import annotations

from minikctl.kubelet.shell.budget import guarded
from minikctl.kubelet.shell.builtins import (
    _b_alias, _b_break, _b_cd, _b_colon, _b_command, _b_eval, _b_exec, _b_exit, _b_export, _b_false, _b_hash,
    _b_history, _b_local, _b_pwd, _b_read, _b_return, _b_set, _b_shift, _b_source, _b_trap, _b_true, _b_type,
    _b_umask, _b_unset, _b_wait,
)
from minikctl.kubelet.shell.utils_fs import u_cat, u_chmod, u_cp, u_ln, u_ls, u_mkdir, u_mv, u_rm, u_rmdir, u_touch
from minikctl.kubelet.shell.utils_print import u_echo, u_printf
from minikctl.kubelet.shell.utils_sys import (
    u_date, u_df, u_env, u_hostname, u_id, u_kill, u_printenv, u_ps, u_sleep, u_uname, u_which, u_whoami,
)
from minikctl.kubelet.shell.utils_tar import u_tar
from minikctl.kubelet.shell.utils_test import u_test
from minikctl.kubelet.shell.utils_text import (
    u_basename, u_cut, u_dirname, u_grep, u_head, u_seq, u_sort, u_tail, u_tee, u_tr, u_uniq, u_wc,
)


NETWORK_TOOLS = ("curl", "wget", "nslookup", "dig", "host", "ping", "nc", "telnet", "traceroute")
SHELL_PROGRAMS = ("sh", "bash", "dash", "ash")


BUILTINS = {
    ":": _b_colon, "true": _b_true, "false": _b_false, "exit": _b_exit, "return": _b_return,
    "break": _b_break, "continue": _b_break, "cd": _b_cd, "pwd": _b_pwd, "export": _b_export,
    "readonly": _b_export, "unset": _b_unset, "set": _b_set, "shift": _b_shift, "read": _b_read,
    ".": _b_source, "source": _b_source, "eval": _b_eval, "exec": _b_exec, "type": _b_type,
    "command": _b_command, "wait": _b_wait, "umask": _b_umask, "trap": _b_trap, "hash": _b_hash,
    "alias": _b_alias, "unalias": _b_alias, "local": _b_local, "history": _b_history,
    "echo": u_echo, "printf": u_printf, "test": u_test, "[": u_test, "kill": u_kill,
}

UTILITIES = {
    "echo": u_echo, "printf": u_printf, "cat": u_cat, "ls": u_ls, "touch": u_touch, "rm": u_rm,
    "rmdir": u_rmdir, "mkdir": u_mkdir, "cp": u_cp, "mv": u_mv, "chmod": u_chmod, "ln": u_ln,
    "sleep": u_sleep, "env": u_env, "printenv": u_printenv, "hostname": u_hostname, "id": u_id,
    "whoami": u_whoami, "uname": u_uname, "date": u_date, "which": u_which, "head": u_head,
    "tail": u_tail, "wc": u_wc, "grep": u_grep, "egrep": u_grep, "fgrep": u_grep, "sort": u_sort,
    "uniq": u_uniq, "cut": u_cut, "tr": u_tr, "tee": u_tee, "basename": u_basename,
    "dirname": u_dirname, "seq": u_seq, "test": u_test, "[": u_test, "true": _b_true,
    "false": _b_false, "kill": u_kill, "ps": u_ps, "df": u_df, "pwd": _b_pwd,
    "tar": u_tar,
}


def _entry(fn):
    """A utility as the container runtime starts it: the outermost command of an exec runs under
    the budgets (inside a shell, the shell's own guard applies)."""

    def run(sh, argv, io, **kw):
        return guarded(sh.ctx, io, lambda: fn(sh, argv, io, **kw))

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


UTILITIES = {name: _entry(fn) for name, fn in UTILITIES.items()}
