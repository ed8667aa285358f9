"""minikctl exec: kubectl's forms, notices and errors (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go,
podcmd.FindOrDefaultContainerByName, pkg/registry/core/pod/strategy.go streamLocation), the
runtime's errors (containerd/runc), exit codes passed through, the interactive shell, and proof
that nothing runs on the host."""

from __future__ import annotations

import os
import re
import uuid

import pytest

PODS = """
apiVersion: v1
kind: Pod
metadata: {name: chef, labels: {app: cyberchef}}
spec:
  containers:
  - name: cyberchef
    image: mpepping/cyberchef
    ports: [{containerPort: 8000}]
    env: [{name: GREETING, value: hello world}]
---
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: web, image: nginx}
  - {name: side, image: busybox, command: [sleep, infinity]}
---
apiVersion: v1
kind: Service
metadata: {name: cyberchef}
spec:
  ports: [{port: 80, targetPort: 8000}]
  selector: {app: cyberchef}
"""


@pytest.fixture
def pods(cluster):
    r = cluster(["apply", "-f", "-"], input=PODS)
    assert r.code == 0, r
    return cluster


def test_command_after_dash_runs_in_the_container(pods):
    r = pods("exec chef -- hostname")
    assert (r.code, r.out, r.err) == (0, "chef\n", "")
    r = pods("exec chef -- printenv GREETING")
    assert (r.code, r.out) == (0, "hello world\n")


def test_env_is_the_containers_environment(pods):
    r = pods("exec chef -- env")
    assert r.code == 0
    names = [ln.split("=", 1)[0] for ln in r.lines]
    # containerd: PATH, HOSTNAME, the image's ENV, the kubelet's variables, then HOME
    assert names[0] == "PATH" and names[1] == "HOSTNAME" and names[-1] == "HOME"
    assert "HOSTNAME=chef" in r.lines and "NODE_VERSION=14.15.0" in r.lines
    assert "GREETING=hello world" in r.lines
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in r.lines


def test_deprecated_form_prints_kubectls_notice(pods):
    r = pods("exec chef env")
    assert r.code == 0
    # kubectl 1.32's error for this form (pkg/cmd/exec/exec.go), from the 1.32 binary, and the 1.32 command line
    assert r.err == ('Warning: kubectl 1.32 refuses this command line ("error: exec [POD] [COMMAND] is not supported '
                     'anymore. Use exec [POD] -- [COMMAND] instead"); minikctl runs it as kubectl 1.17 did. '
                     "With kubectl 1.32, use:\n  minikctl exec chef -- env\n")
    assert "HOSTNAME=chef" in r.lines


def test_seed_exec_it_without_dash_gets_a_hint(pods):
    r = pods("exec it chef bash")
    assert r.code == 1
    lines = r.err.splitlines()
    assert lines[0].startswith('Warning: kubectl 1.32 refuses this command line ("error: exec [POD] [COMMAND]')
    assert lines[1] == "  minikctl exec it -- chef bash"
    assert lines[2] == 'Error from server (NotFound): pods "it" not found'
    assert "minikctl exec -it chef -- bash" in lines[3]


def test_exit_code_passed_through(pods):
    r = pods("exec chef -- ls /var/ready")
    assert r.code == 2
    assert r.out == ""
    assert r.err == ("ls: cannot access '/var/ready': No such file or directory\n"
                     "command terminated with exit code 2\n")
    r = pods(["exec", "chef", "--", "sh", "-c", "echo out; echo err >&2; exit 7"])
    assert (r.code, r.out, r.err) == (7, "out\n", "err\ncommand terminated with exit code 7\n")


def test_missing_executable_is_the_runtimes_error(pods):
    r = pods("exec chef -- foo")
    assert r.code == 1
    assert re.fullmatch(
        r'error: Internal error occurred: error executing command in container: failed to exec in container: '
        r'failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container '
        r'process: exec: "foo": executable file not found in \$PATH: unknown\n', r.err), r.err
    r = pods("exec chef -- /opt/app")
    assert 'exec: "/opt/app": stat /opt/app: no such file or directory: unknown' in r.err


def test_missing_command_inside_a_shell(pods):
    r = pods(["exec", "chef", "--", "sh", "-c", "foo"])
    assert (r.code, r.err) == (127, "sh: 1: foo: not found\ncommand terminated with exit code 127\n")
    r = pods(["exec", "chef", "--", "bash", "-c", "foo"])
    assert (r.code, r.err) == (127, "bash: line 1: foo: command not found\ncommand terminated with exit code 127\n")
    # busybox: no bash at all, and ash's wording
    r = pods(["exec", "two", "-c", "side", "--", "bash"])
    assert r.code == 1 and 'exec: "bash": executable file not found in $PATH' in r.err
    r = pods(["exec", "two", "-c", "side", "--", "sh", "-c", "bash"])
    assert (r.code, r.err) == (127, "sh: bash: not found\ncommand terminated with exit code 127\n")


def test_no_command_and_no_pod(pods):
    r = pods("exec chef")
    assert (r.code, r.err) == (1, "error: you must specify at least one command for the container\n")
    r = pods("exec -- ls")
    assert (r.code, r.err) == (1, "error: pod, type/name or --filename must be specified\n")
    r = pods("exec nope -- ls")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): pods "nope" not found\n')


def test_containers_default_and_wrong_name(pods):
    r = pods("exec two -- hostname")
    assert (r.code, r.out, r.err) == (0, "two\n", 'Defaulted container "web" out of: web, side\n')
    r = pods("exec two -c side -- hostname")
    assert (r.code, r.out, r.err) == (0, "two\n", "")
    r = pods("exec two -c nope -- hostname")
    assert (r.code, r.err) == (1, "Error from server (BadRequest): container nope is not valid for pod two\n")


# kubectl 1.32 sends -c as it is (exec.go Run looks a container up only when -c is empty); the API
# server refuses a name the pod does not have: pkg/registry/core/pod/strategy.go validateContainer,
# errors.NewBadRequest("container %s is not valid for pod %s"), printed by cmdutil.CheckErr as
# "Error from server (BadRequest): ...", exit 1, nothing on stdout. Checked against the real
# kubectl 1.32 talking to `minikctl serve`.
NOT_VALID = "Error from server (BadRequest): container nope is not valid for pod {}\n"
NO_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file\n"


@pytest.mark.parametrize("args,pod", [("exec chef -c nope -- env", "chef"), ("exec two -c nope -- env", "two"),
                                      ("exec -i two -c nope -- sh", "two"), ("exec -q -it two -c nope -- sh", "two"),
                                      ("exec -t two -c nope -- sh", "two"), ("exec --container=nope two -- env", "two"),
                                      ("exec svc/cyberchef -c nope -- env", "chef")])
def test_container_the_pod_does_not_have_strategy_go_validate_container(pods, state, args, pod):
    from tests.helpers import store_snapshot

    before = store_snapshot(state)
    r = pods(args, input="echo hi\n")
    assert (r.code, r.out, r.err) == (1, "", NOT_VALID.format(pod))
    assert store_snapshot(state) == before


def test_it_notice_comes_after_the_pod_and_its_default_container_exec_go_run(pods, cluster):
    # exec.go Run: the pod's GET, the completed-pod check and FindOrDefaultContainerByName's notice
    # come before SetupTTY ("Unable to use a TTY"), which comes before the request the server refuses
    r = pods("exec -it two -c nope -- sh", input="echo hi\n")
    assert (r.code, r.out, r.err) == (1, "", NO_TTY + NOT_VALID.format("two"))
    r = pods("exec -it two -- sh", input="echo hi\n")
    assert (r.code, r.out, r.err) == (0, "hi\n", 'Defaulted container "web" out of: web, side\n' + NO_TTY)
    for args in ("exec -it nopod -- sh", "exec -it nopod -c nope -- sh"):
        r = pods(args, input="echo hi\n")
        assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): pods "nopod" not found\n')
    r = pods("exec -it deploy/nope -c nope -- sh", input="")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): deployments.apps "nope" not found\n')
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: done2}
spec:
  restartPolicy: Never
  containers: [{name: a, image: busybox, command: ["true"]}, {name: b, image: busybox, command: ["true"]}]
""")
    assert r.code == 0, r
    assert cluster("clock advance 10s").code == 0
    done = "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"
    for args in ("exec -it done2 -- sh", "exec -it done2 -c nope -- sh", "exec done2 -- sh"):
        r = pods(args, input="")
        assert (r.code, r.out, r.err) == (1, "", done), args


def test_not_running_and_completed_pods(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers: [{name: box, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: done}
spec:
  restartPolicy: Never
  containers: [{name: box, image: busybox, command: ["true"]}]
""")
    assert r.code == 0, r
    r = cluster("exec crash -- ls")
    assert (r.code, r.err) == (1, 'error: unable to upgrade connection: container not found ("box")\n')
    r = cluster("exec done -- ls")
    assert (r.code, r.err) == (1, "error: cannot exec into a container in a completed pod; current phase is Succeeded\n")


def test_unscheduled_pod(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: lost}
spec:
  nodeSelector: {disk: none}
  containers: [{name: c, image: nginx}]
""")
    assert r.code == 0, r
    r = cluster("exec lost -- ls")
    assert (r.code, r.err) == (1, "Error from server (BadRequest): pod lost does not have a host assigned\n")


def test_exec_through_a_controller(cluster):
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 2
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers: [{name: kubia, image: luksa/kubia}]
""")
    assert r.code == 0, r
    r = cluster("exec deploy/kubia -- hostname")
    assert r.code == 0 and r.out.startswith("kubia-")
    r = cluster("exec deploy/nope -- hostname")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_files_belong_to_their_container(pods):
    assert pods(["exec", "chef", "--", "sh", "-c", "echo kept > /tmp/note"]).code == 0
    assert pods("exec chef -- cat /tmp/note").out == "kept\n"
    # another container (another pod here) does not see it
    r = pods("exec two -c side -- cat /tmp/note")
    assert (r.code, r.err) == (1, "cat: can't open '/tmp/note': No such file or directory\n"
                                  "command terminated with exit code 1\n")


def test_host_is_never_touched(pods):
    """exec POD -- touch /tmp/marker-<random> and sh -c 'rm -rf /tmp/x' run in the emulated
    container: the host's real /tmp/x keeps its file and no marker appears on the host."""
    marker = f"/tmp/marker-{uuid.uuid4().hex}"
    made_dir = not os.path.exists("/tmp/x")
    if made_dir:
        os.makedirs("/tmp/x")
    if os.path.isdir("/tmp/x"):
        keep = os.path.join("/tmp/x", f"precious-{uuid.uuid4().hex}.txt")
        with open(keep, "w") as f:
            f.write("do not delete")
    else:  # something else already owns /tmp/x on this machine: it must survive as it is
        keep = None
        before = os.stat("/tmp/x")
    try:
        r = pods(["exec", "chef", "--", "touch", marker])
        assert r.code == 0, r
        r = pods(["exec", "chef", "--", "sh", "-c", "mkdir -p /tmp/x && touch /tmp/x/f && rm -rf /tmp/x"])
        assert r.code == 0, r
        r = pods(["exec", "chef", "--", "ls", marker])
        assert (r.code, r.out) == (0, marker + "\n")  # it exists inside the container
        assert pods(["exec", "chef", "--", "ls", "/tmp/x"]).code == 2  # and /tmp/x is gone there
        assert not os.path.exists(marker)

        def host_intact() -> bool:
            if keep is not None:
                return os.path.isfile(keep) and open(keep).read() == "do not delete"
            now = os.stat("/tmp/x")
            return (now.st_ino, now.st_size, now.st_mtime) == (before.st_ino, before.st_size, before.st_mtime)

        assert host_intact()
        r = pods(["exec", "chef", "--", "sh", "-c", "rm -rf / ; echo $?"])
        assert r.out == "1\n" and "rm: it is dangerous to operate recursively on '/'" in r.err
        r = pods(["exec", "chef", "--", "rm", "-rf", "--no-preserve-root", "/"])
        assert r.code == 1  # /proc and /sys resist, the rest of the container's files go
        assert host_intact()
    finally:
        if keep is not None and os.path.exists(keep):
            os.remove(keep)
        if made_dir:
            os.rmdir("/tmp/x")


def test_pipe_a_script_to_sh(pods):
    script = "cd /tmp\necho one > a\ncat a\nfoo\necho status $?\n"
    r = pods("exec -i chef -- sh", input=script)
    assert (r.code, r.out) == (0, "one\nstatus 127\n")
    assert r.err == "sh: 4: foo: not found\n"
    r = pods("exec -i chef -- cat", input="piped\n")
    assert r.out == "piped\n"
    # without -i, the container gets no standard input
    r = pods("exec chef -- cat", input="ignored\n")
    assert (r.code, r.out) == (0, "")


def test_it_without_a_terminal(pods):
    r = pods("exec -it chef -- sh", input="hostname\n")
    assert r.out == "chef\n"
    assert r.err == "Unable to use a TTY - input is not a terminal or the right kind of file\n"


def test_interactive_shell_on_a_terminal(pods, monkeypatch):
    import minikctl.cli.cmd_exec as cmd_exec

    monkeypatch.setattr(cmd_exec, "_stdin_is_tty", lambda: True)
    typed = "hostname\ncd /tmp\nif true\nthen echo multi\nfi\nsh\necho inner\nexit 4\necho back $?\nexit 3\n"
    r = pods("exec -it chef -- bash", input=typed)
    prompt = "root@chef:/srv/cyberchef# "
    assert r.out == (prompt + "chef\n" + prompt + "root@chef:/tmp# " + "> > multi\n" + "root@chef:/tmp# "
                     + "# inner\n# " + "root@chef:/tmp# back 4\n" + "root@chef:/tmp# exit\n")
    assert (r.code, r.err) == (3, "command terminated with exit code 3\n")
    # end of input (Ctrl-D): bash says exit; the status is the last command's
    r = pods("exec -it chef -- bash", input="ls /nope\n")
    assert r.out.endswith("No such file or directory\n" + prompt + "exit\n")
    assert (r.code, r.err) == (2, "command terminated with exit code 2\n")
    # busybox's ash prompt
    r = pods("exec -it two -c side -- sh", input="pwd\n")
    assert r.out == "/ # /\n/ # \n"


def test_curl_from_a_pod_reaches_the_service(pods):
    """The seed: exec POD -- curl -s http://CLUSTER-IP shows CyberChef's page."""
    import json

    ip = json.loads(pods("get svc cyberchef -o json").out)["spec"]["clusterIP"]
    r = pods(f"exec chef -- curl -s http://{ip}")
    assert r.code == 0
    assert r.out.startswith("<!--\n    CyberChef - The Cyber Swiss Army Knife\n")
    r = pods(["exec", "chef", "--", "sh", "-c", "curl -s http://cyberchef.default.svc.cluster.local | head -2"])
    assert r.out == "<!--\n    CyberChef - The Cyber Swiss Army Knife\n"
