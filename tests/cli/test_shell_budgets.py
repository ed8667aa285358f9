"""The simulated shell's limits (minikctl.kubelet.shell MEMORY_LIMIT, STEP_LIMIT, TIME_LIMIT):
a runaway command inside `exec` ends the way a container's limits end it (OOM-killed: exit
137; a CPU or time budget: a message and exit 124, as `timeout`), never by exhausting the
emulator. Also what was found on the way: linear-time regular expressions, printf's `*`
width, a lazy seq, and bytes (not characters) in files and streams.

Budgets are reached through step counts and sizes, never through timing; the one wall-time
test uses a tiny limit and a match that never ends, so it is deterministic too."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PODS = """
apiVersion: v1
kind: Pod
metadata: {name: deb}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: bb}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
"""

OOM = "command terminated with exit code 137\n"
STEPS = ("minikctl: the command was stopped after {n} steps: the simulated shell's CPU budget, where an endless "
         "loop ends (there is no Ctrl-C inside an exec)\n")
SECONDS = ("minikctl: the command was stopped after {n} seconds: the simulated shell's time budget, sleep included "
           "(there is no Ctrl-C inside an exec)\n")


@pytest.fixture
def pods(cluster):
    r = cluster(["apply", "-f", "-"], input=PODS)
    assert r.code == 0, r
    return cluster


def sh(mk, script, pod="deb", shell="sh", env=None):
    return mk(["exec", pod, "--", shell, "-c", script], env=env)


# ------------------------------------------------------------------ memory: OOM-killed, 137
def test_doubling_a_variable_is_oom_killed(pods):
    r = sh(pods, 'x=a; while true; do x="$x$x"; done')
    assert (r.code, r.out, r.err) == (137, "", OOM)
    # the store still works, and so does the next exec
    assert sh(pods, "echo alive").out == "alive\n"


def test_printf_huge_width_is_oom_killed(pods):
    r = pods(["exec", "deb", "--", "printf", "%02000000000d", "0"])
    assert (r.code, r.out, r.err) == (137, "", OOM)
    r = sh(pods, 'printf "%02000000000d" 0; echo never')
    assert (r.code, r.out, r.err) == (137, "", OOM)


def test_printf_star_width_and_precision(pods):
    # was an internal TypeError; dash, bash and busybox take the width and precision from the arguments
    r = sh(pods, 'printf "%*s|%-*s|%.*s|%*d|\\n" 5 x 4 y 2 abcdef -4 7')
    assert (r.code, r.out) == (0, "    x|y   |ab|7   |\n")
    r = sh(pods, 'printf "%*s|\\n" 3 a', pod="bb")
    assert (r.code, r.out) == (0, "  a|\n")
    r = sh(pods, 'printf "%*s" 2000000000 x')
    assert (r.code, r.out, r.err) == (137, "", OOM)


def test_pipe_and_substitution_buffers_are_bounded(pods):
    env = {"MINIKCTL_SHELL_MEMORY": "100000"}
    r = sh(pods, "while true; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done | tail -1", env=env)
    assert (r.code, r.out, r.err) == (137, "", OOM)
    r = sh(pods, 'x=$(seq 1 100000); echo never', env=env)
    assert (r.code, r.out, r.err) == (137, "", OOM)
    # within the budget all is well
    r = sh(pods, 'x=$(seq 1 1000); echo ${#x}', env=env)
    assert (r.code, r.out) == (0, "3892\n")


def test_many_variables_count_together(pods):
    r = sh(pods, 'x=aaaaaaaaaa; i=0; while true; do i=$((i+1)); eval "v$i=\\$x\\$i"; done',
           env={"MINIKCTL_SHELL_MEMORY": "100000"})
    assert (r.code, r.out, r.err) == (137, "", OOM)


def test_oom_at_the_prompt_ends_the_line_not_the_shell(pods, monkeypatch):
    import minikctl.cli.cmd_exec as cmd_exec

    monkeypatch.setattr(cmd_exec, "_stdin_is_tty", lambda: True)
    typed = 'x=a; while true; do x="$x$x"; done\necho $?\nwhile :; do :; done\necho $? still here\nexit 5\n'
    r = pods("exec -it deb -- bash", input=typed, env={"MINIKCTL_SHELL_STEPS": "500"})
    prompt = "root@deb:/# "
    # bash reports a foreground job killed by SIGKILL as "Killed"; a budget ends the line like Ctrl-C (130)
    assert r.out == (prompt + "Killed\n" + prompt + "137\n" + prompt + STEPS.format(n=500) + prompt
                     + "130 still here\n" + prompt + "exit\n")
    assert (r.code, r.err) == (5, "command terminated with exit code 5\n")


# ------------------------------------------------------------------ CPU steps and time: 124
def test_endless_loop_ends_at_the_step_budget(pods):
    r = sh(pods, "while true; do :; done", env={"MINIKCTL_SHELL_STEPS": "1000"})
    assert (r.code, r.out) == (124, "")
    assert r.err == STEPS.format(n="1,000") + "command terminated with exit code 124\n"
    # the whole command ends, not only the inner shell
    r = sh(pods, "sh -c 'while :; do :; done'; echo after", env={"MINIKCTL_SHELL_STEPS": "1000"})
    assert (r.code, r.out) == (124, "")


def test_real_loops_complete(pods):
    # the old limit of 1,000 loop rounds ended real scripts
    r = sh(pods, "n=0; for i in $(seq 1 5000); do n=$((n+i)); done; echo $i $n")
    assert (r.code, r.out) == (0, "5000 12502500\n")
    r = sh(pods, "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo $i")
    assert (r.code, r.out) == (0, "3000\n")


def test_sleep_counts_against_the_time_budget(pods):
    r = sh(pods, "sleep 5; echo done")
    assert (r.code, r.out) == (0, "done\n")
    r = sh(pods, "echo start; sleep infinity; echo never")
    assert (r.code, r.out, r.err) == (124, "start\n", SECONDS.format(n=60) + "command terminated with exit code 124\n")
    # `while true; do ...; sleep 1; done` ends after the budget's seconds, not after a flood of rounds
    r = sh(pods, "while true; do echo tick; sleep 1; done", env={"MINIKCTL_SHELL_SECONDS": "3.5"})
    assert (r.code, r.out) == (124, "tick\ntick\ntick\ntick\n")


def test_wall_time_interrupts_a_backtracking_match(pods):
    # a back-reference needs the backtracking engine; the time budget interrupts it
    r = sh(pods, 'echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac | grep "\\(a*\\)*\\1b"; echo never',
           env={"MINIKCTL_SHELL_SECONDS": "0.3"})
    assert (r.code, r.out) == (124, "")
    assert r.err == SECONDS.format(n=0.3) + "command terminated with exit code 124\n"


def test_runaway_recursion_is_a_crash_not_an_internal_error(pods):
    r = sh(pods, "f() { f; }; f; echo never")
    assert (r.code, r.out, r.err) == (139, "", "command terminated with exit code 139\n")
    r = sh(pods, "(" * 3000 + "echo hi" + ")" * 3000)
    assert (r.code, r.out, r.err) == (139, "", "command terminated with exit code 139\n")
    r = sh(pods, "(" * 30 + "echo hi" + ")" * 30)
    assert (r.code, r.out) == (0, "hi\n")


# ------------------------------------------------------------------ regular expressions
def test_regex_is_linear_time(pods):
    # catastrophic backtracking in a backtracking engine; RE2 answers at once, as GNU grep does
    r = sh(pods, "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | grep -E '(a*)*b'")
    assert (r.code, r.out, r.err) == (1, "", "command terminated with exit code 1\n")
    r = sh(pods, "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab | grep -E '(a*)*b'")
    assert (r.code, r.out) == (0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n")


def test_posix_regex_semantics(pods):
    script = r"""
echo abcd | grep -oE 'a|ab|abc'
echo ab12cd34 | grep -o '[[:digit:]]\+'
echo 'a+b' | grep 'a+b'
echo 'x{2}' | grep 'x{2}'
echo xx | grep -E '^x{2}$'
echo aab | grep 'a\{2\}b'
echo ']' | grep '[]]'
echo '*x' | grep '*x'
echo abab | grep '\(ab\)\1'
echo 'a.c' | grep -c 'a\.c'
echo 'A-z' | grep -i '^a-Z$'
echo 'foo bar' | grep -w bar
echo 'foobar' | grep -w bar || echo no-word
"""
    r = sh(pods, script)
    assert r.out == ("abc\n12\n34\na+b\nx{2}\nxx\naab\n]\n*x\nabab\n1\nA-z\nfoo bar\nno-word\n")
    r = sh(pods, "echo abc | grep 'a\\(b'; echo $?; echo abc | grep -E 'a[b'; echo abc | grep '[[:foo:]]'")
    assert r.out == "2\n"
    assert r.err == ("grep: Unmatched ( or \\(\ngrep: Unmatched [, [^, [:, [., or [=\n"
                     "grep: Invalid character class name\ncommand terminated with exit code 2\n")


# ------------------------------------------------------------------ seq, pipes
def test_seq_is_lazy(pods):
    r = sh(pods, "seq 1 100000000 | tail -1")
    assert (r.code, r.out) == (0, "100000000\n")
    r = sh(pods, "seq 1 100000000 | head -3; seq 10 -3 1 | tail -2; seq 1 100000 | wc -l")
    assert (r.code, r.out) == (0, "1\n2\n3\n4\n1\n100000\n")
    r = sh(pods, "seq 1 100000 | grep -c 7; seq 1 20000 | tail -n 2; seq 5 | tr -d 3")
    assert (r.code, r.out) == (0, "40951\n19999\n20000\n1\n2\n\n4\n5\n")


# ------------------------------------------------------------------ bytes, not characters
def test_files_and_pipes_count_bytes(pods):
    r = sh(pods, 'printf "\\377" > /y; wc -c /y; printf "\\000" | wc -c; printf "\\303\\251" | wc -c; '
                 "printf 'caf\\303\\251' > /z; wc -m < /z; cat /y /z | wc -c")
    assert (r.code, r.out) == (0, "1 /y\n1\n2\n4\n6\n")
    # the bytes come back as they were written (the shell keeps a byte that is not UTF-8 as a surrogate)
    r = pods("exec deb -- cat /y /z")
    assert r.out == b"\xffcaf\xc3\xa9".decode("utf-8", "surrogateescape")
    r = sh(pods, 'printf "%b" "\\0377x" | head -c 1 | wc -c; echo abc | head -c 2; echo; printf "ab\\377" | tail -c 1 | wc -c')
    assert r.out == "1\nab\n1\n"


def test_binary_stdin_and_stdout_through_exec(pods, state):
    data = bytes(range(256)) * 4
    r = pods("exec -i deb -- cat", input=data)
    assert r.code == 0
    assert r.out.encode("utf-8", "surrogateescape") == data
    r = pods("exec -i deb -- wc -c", input=data)
    assert r.out == "1024\n"
    # through the real console: the bytes on stdout are the bytes given on stdin
    env = {**os.environ, "MINIKCTL_STATE": state}
    p = subprocess.run([sys.executable, "-m", "minikctl", "exec", "-i", "deb", "--", "sh", "-c", "cat > /bin.dat; cat /bin.dat"],
                       input=data, capture_output=True, env=env, timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (0, data, b"")


def test_arithmetic_is_64_bit(pods):
    r = sh(pods, "echo $((2**64)) $((9223372036854775807+1)) $((1<<65))", shell="bash")
    assert (r.code, r.out) == (0, "0 -9223372036854775808 2\n")


def test_cut_range_to_infinity_is_not_materialised(pods):
    r = sh(pods, "echo abcdef | cut -c 2-2000000000; echo a:b:c | cut -d: -f 2-2000000000")
    assert (r.code, r.out) == (0, "bcdef\nb:c\n")


def test_a_full_writable_layer_is_enospc(pods):
    env = {"MINIKCTL_SHELL_STORAGE": "1000"}
    r = sh(pods, 'printf "%0600d" 0 > /a; printf "%0600d" 0 > /b; echo $?; cp /a /c; echo $?; wc -c /a /b', env=env)
    assert (r.code, r.out) == (0, "1\n1\n600 /a\n  0 /b\n600 total\n")
    assert r.err == "sh: 1: write error: No space left on device\ncp: cannot create regular file '/c': No space left on device\n"
    # what is freed can be written again
    r = sh(pods, 'rm /a; printf "%0600d" 0 > /b && wc -c /b', env=env)
    assert (r.code, r.out) == (0, "600 /b\n")
