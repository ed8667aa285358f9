"""The simulated shell and utilities inside containers: POSIX sh syntax and expansions, the
wording of dash, bash and BusyBox ash, GNU coreutils vs BusyBox messages, the container's
kubelet-managed files, and the emulated clock."""

from __future__ import annotations

import shlex

import pytest

from tests.conftest import run_inprocess

PODS = """
apiVersion: v1
kind: Pod
metadata: {name: deb}
spec:
  containers: [{name: c, image: nginx, env: [{name: NAME, value: world}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: bb}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: cu}
spec:
  containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: named}
spec:
  hostname: db-0
  subdomain: db
  hostAliases: [{ip: 10.1.2.3, hostnames: [foo.remote, bar.remote]}]
  containers: [{name: c, image: alpine, command: [sleep, infinity]}]
"""


@pytest.fixture(scope="module")
def mk(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("shell") / "state.db")

    def run(cmd, input=None):
        args = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        return run_inprocess(args, state, input)

    assert run("cluster create --clock manual").code == 0
    r = run(["apply", "-f", "-"], input=PODS)
    assert r.code == 0, r
    return run


@pytest.fixture(scope="module")
def sh(mk):
    """sh('script', pod='deb', shell='sh') -> Result of exec POD -- SHELL -c SCRIPT."""

    def run(script, pod="deb", shell="sh"):
        return mk(["exec", pod, "--", shell, "-c", script])

    return run


def out(r) -> str:
    return r.out


# ------------------------------------------------------------------ syntax and expansion
def test_quoting_and_variables(sh):
    r = sh("""echo "hello $NAME" 'hello $NAME' hello\\ \\$NAME; X=1; echo ${X} ${Y:-dflt} ${#NAME} "${NAME%ld}" """)
    assert r.out == "hello world hello $NAME hello $NAME\n1 dflt 5 wor\n"


def test_status_and_lists(sh):
    r = sh("false; echo $?; true && echo and; false || echo or; false && echo never; ! false && echo not")
    assert r.out == "1\nand\nor\nnot\n"
    assert sh("exit 42").code == 42


def test_command_substitution_and_arithmetic(sh):
    r = sh('h=$(hostname); echo "[$h]" `echo tick` $((2 + 3 * 4)) $(( (7 - 1) / 4 ))')
    assert r.out == "[deb] tick 14 1\n"


def test_field_splitting_and_globbing(sh):
    r = sh('v="a  b c"; for x in $v; do echo "<$x>"; done; for y in "$v"; do echo "<$y>"; done')
    assert r.out == "<a>\n<b>\n<c>\n<a  b c>\n"
    r = sh("cd /usr/share/nginx/html && echo *.html && echo '*.html' && echo *.none")
    assert r.out == "50x.html index.html\n*.html\n*.none\n"


def test_redirections(sh):
    r = sh("echo one > /tmp/r; echo two >> /tmp/r; cat /tmp/r; ls /nope 2>/dev/null; echo $?; "
           "ls /nope > /tmp/e 2>&1; cat /tmp/e; wc -l < /tmp/r")
    assert r.out == ("one\ntwo\n2\nls: cannot access '/nope': No such file or directory\n2\n")
    assert r.err == ""
    r = sh("echo x > /nodir/f")
    assert (r.code, r.err) == (2, "sh: 1: cannot create /nodir/f: Directory nonexistent\n"
                                  "command terminated with exit code 2\n")
    r = sh("echo x > /nodir/f", shell="bash")
    assert r.err.startswith("bash: line 1: /nodir/f: No such file or directory\n")


def test_pipes(sh):
    r = sh("cat /etc/passwd | grep root | wc -l; seq 1 10 | head -3 | tail -1; printf 'b\\na\\nb\\n' | sort | uniq -c")
    assert r.out == "1\n3\n      1 a\n      2 b\n"
    r = sh("echo Hello | tr a-z A-Z | cut -c1-3")
    assert r.out == "HEL\n"


def test_control_flow_and_functions(sh):
    script = """
greet() { echo "hi $1"; return 3; }
greet you; echo rc=$?
i=0
while [ $i -lt 3 ]; do i=$((i+1)); done; echo i=$i
for n in 1 2 3 4; do if [ $n = 2 ]; then continue; fi; [ $n = 4 ] && break; echo n=$n; done
case deb in d*) echo matched;; *) echo no;; esac
"""
    r = sh(script)
    assert r.out == "hi you\nrc=3\ni=3\nn=1\nn=3\nmatched\n"


def test_here_document(sh):
    r = sh("cat <<EOF\nname=$NAME\nEOF\ncat <<'EOF'\nname=$NAME\nEOF")
    assert r.out == "name=world\nname=$NAME\n"


def test_syntax_errors_per_shell(sh):
    r = sh("if true; then echo")
    assert (r.code, r.err) == (2, 'sh: 1: Syntax error: end of file unexpected (expecting "fi")\n'
                                  "command terminated with exit code 2\n")
    r = sh("echo 'open")
    assert r.err.startswith("sh: 1: Syntax error: Unterminated quoted string\n")
    r = sh("echo 'open", shell="bash")
    assert r.err.startswith("bash: -c: line 1: unexpected EOF while looking for matching `''\n")
    r = sh("fi", pod="bb")
    assert r.code == 127 or r.err.startswith("sh: syntax error")


def test_echo_flavours(sh):
    assert sh(r"echo 'a\tb'").out == "a\tb\n"          # dash interprets escapes
    assert sh(r"echo -e 'a\tb'").out == "-e a\tb\n"    # and has no -e
    assert sh(r"echo -e 'a\tb'", shell="bash").out == "a\tb\n"
    assert sh(r"echo 'a\tb'", shell="bash").out == "a\\tb\n"
    assert sh("echo -n x; echo y").out == "xy\n"


def test_cd_errors(sh):
    assert sh("cd /nope").err.startswith("sh: 1: cd: can't cd to /nope\n")
    assert sh("cd /nope", shell="bash").err.startswith("bash: line 1: cd: /nope: No such file or directory\n")
    assert sh("cd /nope", pod="bb").err.startswith("sh: cd: can't cd to /nope: No such file or directory\n")


# ----------------------------------------------------------------------- utilities
def test_ls_gnu_and_busybox(sh):
    r = sh("ls /var/ready")
    assert (r.code, r.err) == (2, "ls: cannot access '/var/ready': No such file or directory\n"
                                  "command terminated with exit code 2\n")
    r = sh("ls /var/ready", pod="bb")
    assert (r.code, r.err) == (1, "ls: /var/ready: No such file or directory\ncommand terminated with exit code 1\n")
    r = sh("ls -l /usr/share/nginx/html")
    assert r.out == ("total 8\n"
                     "-rw-r--r-- 1 root root 497 Nov 26  2024 50x.html\n"
                     "-rw-r--r-- 1 root root 615 Nov 26  2024 index.html\n")


def test_files_touch_rm_mkdir(sh):
    script = ("mkdir -p /data/a/b && touch /data/a/b/f && ls -R /data | head -1; rm /data/a; echo rc=$?; "
              "rm -r /data; ls /data; rm -f /data/none; echo f=$?; rm /data/none; mkdir /tmp; touch /no/such")
    r = sh(script)
    assert r.out.splitlines()[1:] == ["rc=1", "f=0"]
    assert r.err.splitlines() == [
        "rm: cannot remove '/data/a': Is a directory",
        "ls: cannot access '/data': No such file or directory",
        "rm: cannot remove '/data/none': No such file or directory",
        "mkdir: cannot create directory '/tmp': File exists",
        "touch: cannot touch '/no/such': No such file or directory",
        "command terminated with exit code 1",
    ]
    r = sh("rm /etc/nope; mkdir /tmp; cat /etc", pod="bb")
    assert r.err.splitlines()[:3] == ["rm: can't remove '/etc/nope': No such file or directory",
                                      "mkdir: can't create directory '/tmp': File exists",
                                      "cat: read error: Is a directory"]


def test_image_files_can_be_deleted_and_restored(sh):
    r = sh("rm /usr/share/nginx/html/50x.html && ls /usr/share/nginx/html && "
           "echo new > /usr/share/nginx/html/50x.html && cat /usr/share/nginx/html/50x.html")
    assert r.out == "index.html\nnew\n"
    r = sh("rm -rf /etc/nginx && mkdir /etc/nginx && ls /etc/nginx | wc -l")
    assert r.out == "0\n"


def test_identity_and_system(sh, mk):
    assert sh("id; whoami; hostname; uname; uname -r").out == (
        "uid=0(root) gid=0(root) groups=0(root)\nroot\ndeb\nLinux\n6.8.0-minikctl\n")
    r = sh("id; whoami; pwd; touch /etc/x", pod="cu")
    assert r.out == "uid=100(curl_user) gid=101(curl_user) groups=101(curl_user)\ncurl_user\n/home/curl_user\n"
    assert r.err.startswith("touch: /etc/x: Permission denied\n")
    # date is the cluster clock: frozen until `clock advance`
    d1 = sh("date +%s").out
    assert mk("clock advance 1h").code == 0
    d2 = sh("date +%s").out
    assert int(d2) - int(d1) == 3600
    assert sh("sleep 5; echo done").out == "done\n"  # sleep infinity: tests/cli/test_shell_budgets.py


def test_which_and_printenv(sh):
    r = sh("which curl ls nosuch; echo $?; printenv NAME; printenv NOPE; echo $?")
    assert r.out == "/usr/bin/curl\n/usr/bin/ls\n1\nworld\n1\n"
    assert sh("which curl; echo $?", pod="bb").out == "1\n"


def test_kubelet_managed_files(sh):
    r = sh("cat /etc/resolv.conf")
    assert r.out == ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                     "nameserver 10.96.0.10\noptions ndots:5\n")
    r = sh("cat /etc/hosts; cat /etc/hostname; hostname -f", pod="named")
    lines = r.out.splitlines()
    assert lines[0] == "# Kubernetes-managed hosts file."
    assert lines[7].endswith("\tdb-0.db.default.svc.cluster.local\tdb-0")
    assert lines[8:11] == ["", "# Entries added by HostAliases.", "10.1.2.3\tfoo.remote\tbar.remote"]
    assert lines[11:] == ["db-0", "db-0.db.default.svc.cluster.local"]
    assert sh("cat /var/run/secrets/kubernetes.io/serviceaccount/namespace").out == "default"


def test_scripts_written_in_the_container_run(sh):
    r = sh("printf '#!/bin/sh\\necho script $1\\n' > /tmp/s.sh; chmod +x /tmp/s.sh; /tmp/s.sh arg; sh /tmp/s.sh two; "
           "printf 'echo x\\n' > /tmp/n; /tmp/n")
    assert r.out == "script arg\nscript two\n"
    assert r.err.startswith("sh: 1: /tmp/n: Permission denied\n")


def test_image_programs(sh, mk):
    assert sh("nginx -v").err.startswith("nginx version: nginx/1.27.3\n")
    r = mk(["apply", "-f", "-"], input="apiVersion: v1\nkind: Pod\nmetadata: {name: rd}\nspec:\n"
                                       "  containers: [{name: r, image: redis}]\n")
    assert r.code == 0
    assert mk("exec rd -- redis-cli ping").out == "PONG\n"


def test_installing_packages_is_explained(sh):
    r = sh("apt-get install -y procps")
    assert r.code == 100 and r.err.startswith("minikctl: installing packages is not simulated")
    r = sh("apk add curl", pod="named")
    assert r.code == 1 and "installing packages is not simulated" in r.err


def test_bash_names_itself_as_5_2_does(mk):
    """bash 5.2: `-c` and script files say `line N`, commands from stdin do not."""
    r = mk(["exec", "deb", "--", "bash", "-c", "true; foo"])
    assert r.err.startswith("bash: line 1: foo: command not found\n")
    r = mk(["exec", "-i", "deb", "--", "bash"], input="true\nfoo\n")
    assert r.err.startswith("bash: foo: command not found\n")
    mk(["exec", "deb", "--", "sh", "-c", "printf 'echo a\\nfoo\\n' > /tmp/s.sh"])
    r = mk(["exec", "deb", "--", "bash", "/tmp/s.sh"])
    assert (r.out, r.err.splitlines()[0]) == ("a\n", "/tmp/s.sh: line 2: foo: command not found")
