"""The interactive shell through a real pseudo-terminal (issue 13): `exec -it` and `run -it`
spawn minikctl on a pty; keys are sent as a user types them and the screen is read back.
Each step waits for the text it expects (no fixed sleeps); TERM and INPUTRC are fixed so
readline draws the same way everywhere."""

from __future__ import annotations

import os
import select
import sys
import time

import pytest

from minikctl.kubelet.shell_session import expand_bang

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")

UP, LEFT, RIGHT = "\x1b[A", "\x1b[D", "\x1b[C"
CTRL_A, CTRL_C, CTRL_D, CTRL_E, CTRL_U, CTRL_Z = "\x01", "\x03", "\x04", "\x05", "\x15", "\x1a"
BASH = "root@web:/# "
ASH = "/ # "


def _waiting_for_input(pid: int) -> bool:
    """Sleeping in select/poll (readline's wait for a key), when the kernel says where."""
    try:
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read().strip()
    except OSError:
        return True
    return wchan in ("", "0") or "select" in wchan or "poll" in wchan or "wait_woken" in wchan or "n_tty" in wchan


class Term:
    def __init__(self, args: list[str], state: str):
        import pty

        env = {**os.environ, "MINIKCTL_STATE": state, "TERM": "xterm", "INPUTRC": "/dev/null",
               "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execve(sys.executable, [sys.executable, "-m", "minikctl", *args], env)
        self.screen = ""

    def expect(self, text: str, timeout: float = 60.0) -> str:
        """Read until `text` has appeared after what earlier expects consumed; returns what came
        before it (ANSI cursor moves and backspaces included)."""
        end = time.monotonic() + timeout
        while text not in self.screen:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen; screen: {self.screen!r}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    raise AssertionError(f"{text!r} not seen before the end; screen: {self.screen!r}")
                self.screen += data.decode("utf-8", "replace")
        before, _, self.screen = self.screen.partition(text)
        return before

    def send(self, keys: str, idle: bool = True) -> None:
        """Type `keys`; first (idle) wait until minikctl sleeps waiting for input, as a person
        types: a Ctrl-C that came while readline was between showing the prompt and select()
        would trip Python's signal flag without waking it (CPython's readline checks signals
        only when select is interrupted)."""
        if idle:
            self.wait_idle()
        os.write(self.fd, keys.encode())

    def wait_idle(self, timeout: float = 60.0) -> None:
        stat = f"/proc/{self.pid}/stat"
        if not os.path.exists(stat):
            return
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with open(stat) as f:
                state = f.read().rpartition(")")[2].split()[0]
            if state == "S" and _waiting_for_input(self.pid):
                return
            select.select([], [], [], 0.005)
        raise AssertionError("minikctl never waited for input")

    def line(self, keys: str, prompt: str) -> str:
        """Type a line and Enter; the output up to the next prompt, without the echoed line."""
        self.send(keys + "\r")
        out = self.expect(prompt)
        return out.split("\r\n", 1)[1] if "\r\n" in out else ""

    def wait(self) -> int:
        try:
            while True:  # drain: the child must not block on a full pty
                r, _, _ = select.select([self.fd], [], [], 60)
                if not r:
                    break
                data = os.read(self.fd, 4096)
                if not data:
                    break
                self.screen += data.decode("utf-8", "replace")
        except OSError:
            pass
        _, st = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(st)


@pytest.fixture
def pods(cluster, state):
    for cmd in ("run web --image nginx", "run bb --image busybox -- sleep 3600"):
        assert cluster(cmd).code == 0
    return state


def test_prompts_as_the_images_shells_print_them(pods):
    t = Term(["exec", "-it", "web", "--", "bash"], pods)
    t.expect(BASH)
    assert t.line("cd /usr/share", "root@web:/usr/share# ") == ""
    t.send("exit\r")
    assert t.wait() == 0
    t = Term(["exec", "-it", "bb", "--", "sh"], pods)
    t.expect(ASH)
    assert t.line("cd /etc", "/etc # ") == ""
    t.send(CTRL_D)
    assert t.wait() == 0


def test_ctrl_c_interrupts_the_line_or_the_command_never_the_shell(pods):
    t = Term(["exec", "-it", "web", "--", "bash"], pods)
    t.expect(BASH)
    t.send("echo half-typed" + CTRL_C)
    assert t.expect(BASH).endswith("^C\r\n")
    assert t.line("echo $?", BASH) == "130\r\n"
    t.line("echo kept > /tmp/f", BASH)
    t.send("echo looping; while :; do :; done\r")
    t.expect("looping\r\n")  # the line is running
    t.send(CTRL_C, idle=False)  # while the loop runs
    assert t.expect(BASH).endswith("\r\n")  # ^C is the terminal's own echo (ECHOCTL)
    assert t.line("echo $?; cat /tmp/f", BASH) == "130\r\nkept\r\n"
    t.send(CTRL_Z)  # ignored: no job control
    assert t.line("echo still here", BASH) == "still here\r\n"
    t.send("exit 3\r")
    assert t.wait() == 3
    assert "command terminated with exit code 3" in t.screen


def test_ctrl_d_ends_the_shell_with_its_status(pods):
    t = Term(["exec", "-it", "web", "--", "bash"], pods)
    t.expect(BASH)
    t.line("false", BASH)
    t.send(CTRL_D)
    assert t.expect("exit\r\n") == ""
    assert t.wait() == 1


def test_arrows_and_editing_keys(pods):
    t = Term(["exec", "-it", "web", "--", "bash"], pods)
    t.expect(BASH)
    assert t.line("echo ac" + LEFT + "b", BASH) == "abc\r\n"
    assert t.line("cho start" + CTRL_A + "e" + CTRL_E + "ed", BASH) == "started\r\n"
    assert t.line("echo wrong" + CTRL_U + "echo right", BASH) == "right\r\n"
    assert t.line(UP + UP, BASH) == "started\r\n"  # history: two lines back
    assert t.line(UP + LEFT * 2 + "-x" + RIGHT * 2 + "!", BASH) == "start-xed!\r\n"
    t.send("exit\r")
    assert t.wait() == 0


def test_history_and_bang_bang(pods):
    t = Term(["exec", "-it", "web", "--", "bash"], pods)
    t.expect(BASH)
    t.line("echo one", BASH)
    assert t.line("!!", BASH) == "echo one\r\none\r\n"  # bash echoes the expanded line
    assert t.line("echo '!!' \\!!", BASH) == "!! !!\r\n"  # quoted or escaped: not expanded
    assert t.line("history", BASH) == ("    1  echo one\r\n    2  echo one\r\n"
                                       "    3  echo '!!' \\!!\r\n    4  history\r\n")
    t.send("exit\r")
    assert t.wait() == 0
    t = Term(["exec", "-it", "bb", "--", "sh"], pods)  # busybox: numbered from 0 (lineedit.c)
    t.expect(ASH)
    t.line("echo a", ASH)
    assert t.line("history", ASH) == "   0 echo a\r\n   1 history\r\n"
    t.send("exit\r")
    assert t.wait() == 0


def test_tab_completes_commands_and_paths_of_the_container(pods):
    t = Term(["exec", "-it", "web", "--", "bash"], pods)
    t.expect(BASH)
    t.send("ls /et\t")
    assert t.expect("ls /etc/") == ""  # a directory: completed with its slash
    t.send("hostn\t")
    t.expect("hostname")
    t.send("\r")
    out = t.expect(BASH)
    assert out.endswith("\r\n/etc/hostname\r\n"), out
    t.send("hostnam\t")  # a command on $PATH, completed with the space bash adds
    t.expect("hostname ")
    t.send("\r")
    assert t.expect(BASH).endswith("\r\nweb\r\n")
    t.send("exit\r")
    assert t.wait() == 0


def test_run_it_gets_the_same_terminal(cluster, state):
    t = Term(["run", "-it", "tmp", "--image", "busybox", "--rm", "--", "sh"], state)
    t.expect(ASH)
    assert t.line("hostname", ASH) == "tmp\r\n"
    t.send("ab" + CTRL_C)
    assert t.expect(ASH).endswith("^C\r\n")
    t.send(CTRL_D)  # the shell's status: the interrupted line's 130
    assert t.wait() == 130
    assert 'pod "tmp" deleted' in t.screen


def test_debug_it_gets_the_same_terminal(pods):
    """debug -it (and attach -it) reach the shell through exec's session: minikctl.cli.shell_tty (minikctl.kubelet.shell_session)."""
    t = Term(["debug", "-it", "web", "--image=busybox", "--target=web", "--profile=general", "--", "sh"], pods)
    t.expect(ASH)
    t.send("ab" + CTRL_C)
    assert t.expect(ASH).endswith("^C\r\n")
    assert t.line("echo $?", ASH) == "130\r\n"
    t.send(CTRL_D)
    assert t.wait() == 0  # attach's stream carries no exit status
    assert "Session ended, the ephemeral container will not be restarted" in t.screen


def test_exec_i_without_a_tty_reads_a_script_from_stdin(pods, mk):
    r = mk("exec -i bb -- sh", input="cd /etc\npwd\nls | grep -c host\nexit 2\n")
    assert (r.code, r.out, r.err) == (2, "/etc\n2\n", "command terminated with exit code 2\n")


@pytest.mark.parametrize("line,history,want", [
    ("echo !!", ["ls"], ("echo ls", None)),
    ("!! | wc -l", ["ls -a"], ("ls -a | wc -l", None)),
    ("echo '!!'", ["ls"], (None, None)),
    ('echo "!!"', ["ls"], ('echo "ls"', None)),  # double quotes do not stop history expansion
    ("echo \\!!", ["ls"], (None, None)),
    ("!!", [], (None, "!!: event not found")),
    ("echo hi", ["ls"], (None, None)),
])
def test_expand_bang(line, history, want):
    assert expand_bang(line, history) == want
