"""`minikctl serve` (issue 14): the pods' streaming subresources driven by the real kubectl 1.32:
log (plain, follow, previous, tail, timestamps), exec and attach over WebSocket
(v5.channel.k8s.io), cp (exec tar) and port-forward. What kubectl prints is compared with what
`minikctl` prints for the same store (minikctl.apiserver.streams)."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import time

import pytest

from tests.server.serving import KUBECTL

PODS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  containers:
  - name: tick
    image: busybox
    command: [sh, -c, 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 5; done']
---
apiVersion: v1
kind: Pod
metadata: {name: chef}
spec:
  containers:
  - {name: cyberchef, image: mpepping/cyberchef}
  - {name: side, image: busybox, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: bb}
spec:
  containers: [{name: bb, image: busybox, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  containers: [{name: sh, image: busybox, command: [sh], stdin: true, tty: true}]
---
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers: [{name: c, image: example/never:1, imagePullPolicy: Never}]
"""


@pytest.fixture(scope="module")
def pods(srv):
    r = srv.mk(["apply", "-f", "-"], input=PODS)
    assert r.code == 0, r
    assert srv.mk("clock advance 12s").code == 0
    return srv


def _web_pods(srv) -> list[str]:
    return sorted(p["metadata"]["name"] for p in json.loads(srv.mk("get pods -l app=web -o json").out)["items"])


# ----------------------------------------------------------------------------------- log
@pytest.mark.parametrize("args", ["ticker", "ticker --tail 2", "ticker --tail=0", "ticker --timestamps",
                                  "ticker --timestamps --tail 1", "chef", "chef -c side", "chef -c cyberchef",
                                  "ticker --since=6s", "chef --all-containers", "chef --all-containers --prefix",
                                  "-l app=web --prefix", "-l app=web --tail 2 --timestamps", "deploy/web -c nginx",
                                  "deploy/web --tail 3", "never", "chef -c side -p",
                                  "ticker --previous"])
def test_logs_equal_minikctl(pods, args):
    want = pods.mk(f"logs {args}")
    got = pods.kubectl(f"logs {args}")
    if args.startswith("-l"):  # kubectl reads the pods' logs in Go map order (logsforobject.go): any order
        got.out, want.out = sorted(got.out.splitlines(True)), sorted(want.out.splitlines(True))
    assert (got.code, got.out) == (want.code, want.out), (got, want)
    if "deploy/" in args:
        assert re.fullmatch(r"Found 2 pods, using pod/web-\w+-\w+\n", got.err)
    else:
        assert got.err == want.err, (got, want)


def test_logs_limit_bytes(pods):
    # the kubelet cuts the stream after limitBytes bytes (minikctl logs does not take the flag)
    r = pods.kubectl("logs ticker --limit-bytes=9")
    assert (r.code, r.out, r.err) == (0, "tick 0\nti", "")


def test_logs_errors_kubectl_words_itself(pods):
    # kubectl 1.32 reads the pod (and checks -c) before it asks for the log: its own words, not the CLI's
    r = pods.kubectl("logs nope")
    assert (r.code, r.out, r.err) == (1, "", 'error: error from server (NotFound): pods "nope" not found in '
                                             'namespace "default"\n')
    r = pods.kubectl("logs chef -c nope")
    assert (r.code, r.out, r.err) == (1, "", "error: container nope is not valid for pod chef\n")


def test_log_errors_as_the_apiserver_words_them(pods):
    # pkg/registry/core/pod/strategy.go ValidateContainer, pkg/apis/core/validation ValidatePodLogOptions
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/chef/log")
    assert (code, body["reason"], body["message"]) == (
        400, "BadRequest", "a container name must be specified for pod chef, choose one of: [cyberchef side]")
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/chef/log?container=nope")
    assert (code, body["message"]) == (400, "container nope is not valid for pod chef")
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/ticker/log?tailLines=-1")
    assert (code, body["reason"], body["message"]) == (
        422, "Invalid", 'PodLogOptions "ticker" is invalid: tailLines: Invalid value: -1: must be greater than or '
                        'equal to 0')
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/nope/log")
    assert (code, body["reason"], body["message"]) == (404, "NotFound", 'pods "nope" not found')
    code, body = pods.http("GET", "/api/v1/namespaces/default/pods/never/log")
    assert (code, body["message"]) == (400, 'container "c" in pod "never" is waiting to start: ErrImageNeverPull')


def _readline(proc, timeout=30.0) -> str:
    """One line of a running kubectl's stdout (fails rather than hangs)."""
    fd = proc.stdout.fileno()
    buf = b""
    deadline = time.monotonic() + timeout
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        assert left > 0, f"no line from kubectl; so far {buf!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            ch = os.read(fd, 1)
            assert ch, f"kubectl ended; so far {buf!r}"
            buf += ch
    return buf.decode()


def test_logs_follow_sees_lines_as_the_clock_moves(pods):
    before = pods.mk("logs ticker").lines
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(pods.root), "KUBECONFIG": pods.kubeconfig}
    proc = subprocess.Popen([KUBECTL, "logs", "-f", "ticker", "--tail", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        assert _readline(proc) == before[-1] + "\n"
        # a `clock advance` from another terminal: the simulated container prints on the cluster clock
        assert pods.mk("clock advance 10s").code == 0
        got = [_readline(proc), _readline(proc)]
        after = pods.mk("logs ticker").lines
        assert after[:len(before)] == before and got == [ln + "\n" for ln in after[len(before):len(before) + 2]]
        assert proc.poll() is None  # still following
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert pods.kubectl("get --raw /healthz").out == "ok"  # the server carried on


def test_logs_previous_after_a_restart(pods):
    r = pods.mk(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: nginx
    image: nginx
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      periodSeconds: 10
      failureThreshold: 1
""")
    assert r.code == 0
    assert pods.mk("clock advance 10s").code == 0
    for args in ("probed -p", "probed --previous --tail 1", "probed", "probed --timestamps -p"):
        want = pods.mk(f"logs {args}")
        got = pods.kubectl(f"logs {args}")
        assert (got.code, got.out, got.err) == (0, want.out, ""), args
    assert '"GET /healthz HTTP/1.1" 404' in pods.kubectl("logs probed -p --tail 1").out


# ------------------------------------------------------------------- exec and attach
def _env(srv) -> dict:
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(srv.root), "KUBECONFIG": srv.kubeconfig}


@pytest.mark.parametrize("args", ["bb -- env", "bb -- sh -c 'echo out; echo err >&2; exit 3'",
                                  "bb -c bb -- sh -c 'cd /etc && pwd; exit 0'", "chef -c side -- hostname",
                                  "bb -c nope -- true", "bb -- nosuch"])
def test_exec_equal_minikctl(pods, args):
    want = pods.mk(f"exec {args}")
    got = pods.kubectl(f"exec {args}")
    assert (got.code, got.out) == (want.code, want.out), (got, want)
    if "nosuch" in args:  # the runtime's exec id differs from run to run
        assert re.sub(r'exec "\w+"', "ID", got.err) == re.sub(r'exec "\w+"', "ID", want.err)
    else:
        assert got.err == want.err, (got, want)


def test_exec_exit_code(pods):
    r = pods.kubectl(["exec", "bb", "--", "sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (r.code, r.out, r.err) == (3, "out\n", "err\ncommand terminated with exit code 3\n")


def test_exec_stdin(pods, tmp_path):
    data = "".join(f"line {i}\n" for i in range(2000))
    r = pods.kubectl("exec -i bb -- cat", input=data)
    assert (r.code, r.out, r.err) == (0, data, "")
    r = pods.kubectl("exec -i bb -- sh -c 'wc -l; exit 2'", input=data)
    assert (r.code, r.out.split(), r.err) == (2, ["2000"], "command terminated with exit code 2\n")
    # what the command wrote is applied after it (minikctl.kubelet.journal): the CLI sees it
    r = pods.kubectl("exec -i bb -- sh -c 'cat > /tmp/in.txt'", input="kept\n")
    assert r.code == 0, r
    assert pods.mk("exec bb -- cat /tmp/in.txt").out == "kept\n"


def _pty_run(argv: list[str], env: dict, steps: list[tuple[bytes, bytes]], timeout=30.0) -> tuple[bytes, int]:
    """Run kubectl on a pseudo-terminal: wait for each step's expected bytes, then type its input."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(KUBECTL, [KUBECTL, *argv], env)
    out = b""
    try:
        for want, typed in steps:
            deadline = time.monotonic() + timeout
            while want not in out:
                left = deadline - time.monotonic()
                assert left > 0, out
                ready, _, _ = select.select([fd], [], [], left)
                if ready:
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        chunk = b""
                    assert chunk, out
                    out += chunk
            if typed:
                os.write(fd, typed)
        while True:  # the rest, until kubectl ends
            ready, _, _ = select.select([fd], [], [], timeout)
            assert ready, out
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        _, st = os.waitpid(pid, 0)
        return out, os.waitstatus_to_exitcode(st)
    finally:
        os.close(fd)


def test_exec_it_through_a_pseudo_terminal(pods):
    out, code = _pty_run(["exec", "-it", "bb", "--", "sh"], _env(pods),
                         [(b"/ # ", b"echo hi $((1+2))\r"), (b"hi 3\r\n/ # ", b"cd /tmp; echo x > t; ls\r"),
                          (b"t\r\n/tmp # ", b"exit 4\r")])
    # the container's terminal echoes what is typed and ends lines with CR LF; kubectl says the status
    assert out == (b"/ # echo hi $((1+2))\r\nhi 3\r\n/ # cd /tmp; echo x > t; ls\r\nin.txt  t\r\n/tmp # exit 4\r\n"
                   b"command terminated with exit code 4\r\n")
    assert code == 4
    assert pods.mk("exec bb -- cat /tmp/t").out == "x\n"


def test_exec_it_line_editing(pods):
    # DEL erases (echo BS SP BS), an arrow key's escape sequence is ignored, Ctrl-C gives a new prompt,
    # Ctrl-D on an empty line ends the shell with its status
    out, code = _pty_run(["exec", "-it", "bb", "--", "sh"], _env(pods),
                         [(b"/ # ", b"echo abX\x7fc\x1b[A\r"), (b"abc\r\n/ # ", b"sleep\x03"),
                          (b"^C\r\n/ # ", b"\x04")])
    assert out == b"/ # echo abX\x08 \x08c\r\nabc\r\n/ # sleep^C\r\n/ # \r\ncommand terminated with exit code 130\r\n"
    assert code == 130


def test_cp_to_and_from_a_pod(pods, tmp_path):
    src = tmp_path / "f.txt"
    src.write_text("hello cp\n")
    r = pods.kubectl(["cp", str(src), "bb:/tmp/f.txt"])
    assert (r.code, r.out, r.err) == (0, "", ""), r
    assert pods.mk("exec bb -- cat /tmp/f.txt").out == "hello cp\n"
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a").write_text("a\n")
    (d / "sub" / "b").write_text("b\n")
    assert pods.kubectl(["cp", str(d), "bb:/tmp/d"]).code == 0
    back = tmp_path / "back"
    r = pods.kubectl(["cp", "bb:/tmp/d", str(back)])
    want = pods.mk(["cp", "bb:/tmp/d", str(tmp_path / "back2")])
    assert (r.code, r.out, r.err) == (0, want.out, want.err)
    assert (back / "a").read_text() == "a\n" and (back / "sub" / "b").read_text() == "b\n"
    r = pods.kubectl(["cp", "bb:/tmp/f.txt", str(tmp_path / "f2.txt")])
    assert (r.code, r.out, r.err) == (0, "tar: removing leading '/' from member names\n", "")
    assert (tmp_path / "f2.txt").read_text() == "hello cp\n"


def test_attach_streams_the_main_process(pods):
    before = pods.mk("logs ticker").lines
    proc = subprocess.Popen([KUBECTL, "attach", "ticker"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(pods))
    try:
        # on a manual clock what the process has written so far (as `minikctl attach`), then what it writes
        assert [_readline(proc) for _ in before] == [ln + "\n" for ln in before]
        assert pods.mk("clock advance 5s").code == 0
        assert _readline(proc) == pods.mk("logs ticker").lines[len(before)] + "\n"
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_attach_it_to_a_shell(pods):
    out, code = _pty_run(["attach", "-it", "shell"], _env(pods), [(b"/ # ", b"echo hi\r"), (b"hi\r\n/ # ", b"exit\r")])
    assert out == (b"If you don't see a command prompt, try pressing enter.\r\n/ # echo hi\r\nhi\r\n/ # exit\r\n"
                   b"Session ended, resume using 'kubectl attach shell -c sh -i -t' command when the pod is running\r\n")
    assert code == 0


def _ws_exec(srv, query: str, protocol: str, send: list[bytes] = ()) -> list[tuple[int, bytes]]:
    """A raw WebSocket client (as the official Python client, v4.channel.k8s.io): the frames it gets."""
    import asyncio
    import base64
    import ssl

    import aiohttp

    ca = base64.b64decode(next(ln.split()[-1] for ln in open(srv.kubeconfig)
                               if "certificate-authority-data" in ln)).decode()
    ctx = ssl.create_default_context(cadata=ca)

    async def go():
        frames = []
        async with aiohttp.ClientSession() as s:
            async with s.ws_connect(srv.url + "/api/v1/namespaces/default/pods/bb/exec?" + query, ssl=ctx,
                                    protocols=(protocol,), headers={"Authorization": f"Bearer {srv.token()}"}) as ws:
                assert ws.protocol == protocol
                for m in send:
                    await ws.send_bytes(m)
                async for msg in ws:
                    frames.append((msg.data[0], msg.data[1:]))
        return frames

    return asyncio.run(go())


def test_exec_v4_channels_and_exit_status(pods):
    q = "command=sh&command=-c&command=echo+out%3B+echo+err+%3E%262%3B+exit+3&stdout=true&stderr=true"
    frames = _ws_exec(pods, q, "v4.channel.k8s.io")
    assert frames[:2] == [(1, b"out\n"), (2, b"err\n")]
    assert frames[2][0] == 3 and json.loads(frames[2][1]) == {
        "metadata": {}, "status": "Failure", "reason": "NonZeroExitCode",
        "message": "command terminated with non-zero exit code: error executing command [sh -c echo out; echo err "
                   ">&2; exit 3], exit code 3",
        "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}}
    assert len(frames) == 3
    frames = _ws_exec(pods, "command=true&stdout=true", "v4.channel.k8s.io")
    assert frames == [(3, b'{"metadata":{},"status":"Success"}')]


def test_exec_v5_stdin_close_signal(pods):
    # v5.channel.k8s.io adds the CLOSE signal (255, stream id): stdin ends, the command runs
    frames = _ws_exec(pods, "command=wc&command=-c&stdin=true&stdout=true", "v5.channel.k8s.io",
                      [b"\x00hello ", b"\x00world", b"\xff\x00"])
    assert [f for f in frames if f[0] == 1] and b"".join(d for c, d in frames if c == 1).split() == [b"11"]
    assert frames[-1] == (3, b'{"metadata":{},"status":"Success"}')


# ----------------------------------------------------------------------------- port-forward
def _port_forward(argv: list[str], env: dict) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    line = _readline(proc)
    m = re.fullmatch(r"Forwarding from 127\.0\.0\.1:(\d+) -> \d+\n", line)
    assert m, line
    return proc, int(m.group(1))


def _stop(proc: subprocess.Popen) -> tuple[str, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out.decode(), err.decode()


def _get(port: int, paths: list[str]) -> list[tuple[int, dict, bytes]]:
    """HTTP GETs on one keep-alive connection to 127.0.0.1:PORT."""
    import http.client

    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    try:
        for p in paths:
            c.request("GET", p)
            r = c.getresponse()
            out.append((r.status, {k: v for k, v in r.getheaders() if k != "Date"}, r.read()))
    finally:
        c.close()
    return out


def test_port_forward_pod_answers_as_minikctl(pods):
    import sys

    pod = _web_pods(pods)[0]
    kube, kport = _port_forward([KUBECTL, "port-forward", f"pod/{pod}", ":80"], _env(pods))
    env = {**os.environ, "MINIKCTL_STATE": pods.state, "MINIKCTL_CONFIG": str(pods.root / "config")}
    mini, mport = _port_forward([sys.executable, "-m", "minikctl", "port-forward", f"pod/{pod}", ":80"], env)
    try:
        got = _get(kport, ["/", "/nope", "/"])
        want = _get(mport, ["/", "/nope", "/"])
    finally:
        kout, kerr = _stop(kube)
        _stop(mini)
    assert got == want
    assert got[0][0] == 200 and b"<title>Welcome to nginx!</title>" in got[0][2] and got[1][0] == 404
    assert kout.endswith(f"Handling connection for {kport}\n") and kout.count("Handling connection") == 1, kout
    # the requests reached the simulated nginx: its access log has them
    assert pods.mk(f"logs {pod} --tail 1").out.startswith('127.0.0.1 - - [')


def test_port_forward_service_port(pods):
    r = pods.mk("expose deploy web --name web-svc --port 8080 --target-port 80")
    assert r.code == 0, r
    proc, port = _port_forward([KUBECTL, "port-forward", "svc/web-svc", ":8080"], _env(pods))
    try:
        (status, headers, body), = _get(port, ["/"])
    finally:
        _stop(proc)
    assert status == 200 and headers["Server"] == "nginx/1.27.3" and b"Welcome to nginx!" in body


def test_port_forward_refused_port_ends_the_session(pods):
    import urllib.request

    proc, port = _port_forward([KUBECTL, "port-forward", "pod/bb", ":81"], _env(pods))
    try:
        with pytest.raises(Exception):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read()
        proc.wait(timeout=30)
    finally:
        out, err = _stop(proc)
    # the kubelet's message on the error stream; kubectl reports it and ends (minikctl port-forward words it alike)
    assert proc.returncode == 1
    assert 'portforward.go:424] "Unhandled Error" err="an error occurred forwarding ' in err
    assert "dial tcp4 127.0.0.1:81: connect: connection refused" in err and err.endswith("error: lost connection to pod\n")


def test_official_python_client_streams_exec_and_logs(pods):
    k8s = pytest.importorskip("kubernetes")
    from kubernetes.stream import stream

    client = k8s.config.new_client_from_config(config_file=pods.kubeconfig)
    core = k8s.client.CoreV1Api(client)
    out = stream(core.connect_get_namespaced_pod_exec, "bb", "default", command=["sh", "-c", "echo hi; echo oops >&2"],
                 stdout=True, stderr=True, stdin=False, tty=False)
    assert out == "hi\noops\n"  # the client joins both channels
    resp = stream(core.connect_get_namespaced_pod_exec, "bb", "default", command=["sh", "-c", "exit 5"],
                  stdout=True, stderr=True, stdin=False, tty=False, _preload_content=False)
    resp.run_forever(timeout=30)
    assert resp.returncode == 5
    assert core.read_namespaced_pod_log("ticker", "default", tail_lines=2) == \
        "".join(ln + "\n" for ln in pods.mk("logs ticker --tail 2").lines)


# ------------------------------------------------------------------ SPDY (kubectl's fallback)
def test_spdy_exec_when_websockets_are_off(pods, tmp_path):
    # KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false: kubectl upgrades to SPDY/3.1 (v4.channel.k8s.io streams)
    env = {**_env(pods), "KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"}

    def run(argv, input=None):
        p = subprocess.run([KUBECTL, *argv], input=input, capture_output=True, env=env, timeout=60)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    assert run(["exec", "bb", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]) == (
        3, "out\n", "err\ncommand terminated with exit code 3\n")
    assert run(["exec", "-i", "bb", "--", "wc", "-l"], input=b"a\nb\n")[:2] == (0, "2\n")
    src = tmp_path / "s.txt"
    src.write_text("over spdy\n")
    assert run(["cp", str(src), "bb:/tmp/s.txt"]) == (0, "", "")
    assert run(["cp", "bb:/tmp/s.txt", str(tmp_path / "back.txt")])[0] == 0
    assert (tmp_path / "back.txt").read_text() == "over spdy\n"
    out, code = _pty_run(["exec", "-it", "bb", "--", "sh"], env, [(b"/ # ", b"echo $((6*7))\r"), (b"42\r\n/ # ", b"exit\r")])
    assert (out, code) == (b"/ # echo $((6*7))\r\n42\r\n/ # exit\r\n", 0)


def test_spdy_port_forward_when_websockets_are_off(pods):
    env = {**_env(pods), "KUBECTL_PORT_FORWARD_WEBSOCKETS": "false"}
    proc, port = _port_forward([KUBECTL, "port-forward", f"pod/{_web_pods(pods)[0]}", ":80"], env)
    try:
        got = _get(port, ["/", "/nope"])
    finally:
        _stop(proc)
    assert [g[0] for g in got] == [200, 404] and b"Welcome to nginx!" in got[0][2]
