"""Terminal niceties never change what scripts see: tables are byte-identical on a
terminal and in a pipe; colour (error:/Warning: prefixes, cluster-info, describe headings)
appears only on a terminal and never with NO_COLOR; apply's progress bar is drawn on
stderr only when stderr is a terminal. Terminals are real pseudo-terminals (pty)."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import tty

import pytest

from scripting_setup import build_base

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")

RED = "\x1b[1;31merror:\x1b[0m"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("terminal"))


@pytest.fixture
def env(base, tmp_path):
    state = tmp_path / "state.db"
    shutil.copyfile(base, state)
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    e.update(MINIKCTL_STATE=str(state), TERM="xterm-256color", COLUMNS="120")
    return e


def run(args, env, *, out_tty: bool, err_tty: bool, input: str | None = None) -> tuple[int, str, str]:
    """Run minikctl with stdout/stderr on pseudo-terminals (raw mode: no \\r added) or pipes."""
    fds = {}
    child = {}
    for name, want in (("out", out_tty), ("err", err_tty)):
        if want:
            master, slave = pty.openpty()
            tty.setraw(slave)
            fds[name], child[name] = master, slave
        else:
            r, w = os.pipe()
            fds[name], child[name] = r, w
    p = subprocess.Popen([sys.executable, "-m", "minikctl", *args], stdin=subprocess.PIPE if input else subprocess.DEVNULL,
                         stdout=child["out"], stderr=child["err"], env=env)
    for fd in child.values():
        os.close(fd)
    if input:
        p.stdin.write(input.encode())
        p.stdin.close()
    data = {"out": b"", "err": b""}
    open_fds = {fds["out"]: "out", fds["err"]: "err"}
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 30)
        if not ready:
            break
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the pty's other end is closed
                chunk = b""
            if chunk:
                data[open_fds[fd]] += chunk
            else:
                os.close(fd)
                del open_fds[fd]
    code = p.wait(timeout=30)
    return code, data["out"].decode(), data["err"].decode()


def test_tables_are_byte_identical_on_a_terminal(env):
    for args in (["get", "svc"], ["get", "svc", "-o", "wide"], ["get", "nodes", "--show-labels"],
                 ["get", "svc", "-o", "jsonpath={.items[*].metadata.name}"]):
        piped = run(args, env, out_tty=False, err_tty=False)
        term = run(args, env, out_tty=True, err_tty=True)
        assert piped == term and "\x1b" not in term[1], args


def test_error_prefix_coloured_only_on_a_terminal(env):
    code, out, err = run(["get", "svc", "--sortby=x"], env, out_tty=True, err_tty=True)
    see = "See 'minikctl get --help' for usage.\n"
    assert code == 1 and err == RED + " unknown flag: --sortby (did you mean --sort-by?)\n" + see
    code, out, err = run(["get", "svc", "--sortby=x"], env, out_tty=True, err_tty=False)
    assert err == "error: unknown flag: --sortby (did you mean --sort-by?)\n" + see
    code, out, err = run(["get", "svc", "--sortby=x"], {**env, "NO_COLOR": "1"}, out_tty=True, err_tty=True)
    assert err == "error: unknown flag: --sortby (did you mean --sort-by?)\n" + see
    code, out, err = run(["get", "svc", "--sortby=x"], {**env, "TERM": "dumb"}, out_tty=True, err_tty=True)
    assert "\x1b" not in err


def test_server_errors_and_warnings(env):
    code, out, err = run(["get", "svc", "nope"], env, out_tty=True, err_tty=True)
    assert err == '\x1b[1;31mError from server\x1b[0m (NotFound): services "nope" not found\n'
    svc = "apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec: {selector: {app: none}, ports: [{port: 80}]}\n"
    code, out, err = run(["apply", "-f", "-"], env, out_tty=False, err_tty=True, input=svc)
    assert code == 0 and out == "service/lonely created\n"
    assert err.startswith("\x1b[1;33mWarning:\x1b[0m ")
    code, out, err = run(["delete", "svc", "lonely"], env, out_tty=False, err_tty=False)
    code, out, err = run(["apply", "-f", "-"], {**env, "NO_COLOR": "yes"}, out_tty=False, err_tty=True, input=svc)
    assert err.startswith("Warning: ")


def test_cluster_info_colours(env):
    code, out, err = run(["cluster-info"], env, out_tty=True, err_tty=True)
    assert out.startswith("\x1b[32mKubernetes control plane\x1b[0m is running at \x1b[33mhttps://172.18.0.2:6443\x1b[0m\n")
    for e, tty_out in ((env, False), ({**env, "NO_COLOR": "1"}, True)):
        code, out, err = run(["cluster-info"], e, out_tty=tty_out, err_tty=True)
        assert out.startswith("Kubernetes control plane is running at https://172.18.0.2:6443\n") and "\x1b" not in out


def _many_services(n: int) -> str:
    return "".join(f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: bulk{i}}}\nspec: {{ports: [{{port: 80}}]}}\n"
                   for i in range(n))


def test_progress_bar_only_when_stderr_is_a_terminal(env):
    docs = _many_services(12)
    code, out, err = run(["apply", "-f", "-"], env, out_tty=False, err_tty=True, input=docs)
    assert code == 0 and out.splitlines() == [f"service/bulk{i} created" for i in range(12)]
    assert "Applying" in err and "12/12" in err
    code, out2, err2 = run(["apply", "-f", "-"], env, out_tty=False, err_tty=False, input=docs)
    assert out2.splitlines() == [f"service/bulk{i} unchanged" for i in range(12)] and err2 == ""


def test_describe_headings_helper():
    from minikctl.cli.term import describe_headings

    class Tty:
        def isatty(self):
            return True

    text = "Name:              web\nLabels:            app=web\n  sub: x\nEvents:            <none>\n"
    old = os.environ.pop("NO_COLOR", None)
    try:
        os.environ["TERM"] = "xterm"
        painted = describe_headings(Tty(), text)
        assert painted.startswith("\x1b[1mName:\x1b[0m              web\n") and "  sub: x\n" in painted
        os.environ["NO_COLOR"] = "1"
        assert describe_headings(Tty(), text) == text
    finally:
        os.environ.pop("NO_COLOR", None)
        if old is not None:
            os.environ["NO_COLOR"] = old
