"""minikctl port-forward: a real listener on the loopback interface serving the pod's simulated
HTTP responses, with kubectl 1.32's messages (staging/src/k8s.io/kubectl/pkg/cmd/portforward,
client-go/tools/portforward). The forwarder runs in a subprocess on an ephemeral port; the test
waits for its `Forwarding from` lines (no sleeps) and stops it with SIGTERM or Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.helpers import store_snapshot


def _ipv6() -> bool:
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


IPV6 = _ipv6()


@pytest.fixture
def web(cluster):
    assert cluster("run web --image=nginx --port=80").code == 0
    assert cluster("expose pod web --name=websvc --port=8081 --target-port=80").code == 0
    assert cluster("clock advance 5s").code == 0
    return cluster


class Forwarder:
    def __init__(self, state: str, *args: str, background: bool = False):
        env = {**os.environ, "MINIKCTL_STATE": state}
        # background: started as a shell starts `cmd &`, with SIGINT ignored
        pre = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if background else None
        self.p = subprocess.Popen([sys.executable, "-m", "minikctl", "port-forward", *args], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=pre)
        self.lines: list[str] = []

    def read_line(self) -> str:
        line = self.p.stdout.readline()
        self.lines.append(line)
        return line

    def wait_forwarding(self, n: int) -> list[str]:
        """The `Forwarding from` lines: the listeners are up once they are printed."""
        got = [self.read_line() for _ in range(n)]
        assert all(g.startswith("Forwarding from ") for g in got), (got, self.p.stderr.read() if self.p.poll() else "")
        return got

    def stop(self, sig=signal.SIGTERM) -> tuple[int, str, str]:
        if self.p.poll() is None:
            self.p.send_signal(sig)
        out, err = self.p.communicate(timeout=30)
        return self.p.returncode, "".join(self.lines) + out, err


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_pod_random_port_serves_the_simulated_http(web, state):
    fw = Forwarder(state, "pod/web", ":80")
    try:
        lines = fw.wait_forwarding(2 if IPV6 else 1)
        m = re.fullmatch(r"Forwarding from 127\.0\.0\.1:(\d+) -> 80\n", lines[0])
        assert m, lines
        port = int(m.group(1))
        if IPV6:
            assert lines[1] == f"Forwarding from [::1]:{port} -> 80\n"
        status, headers, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and headers["Server"].startswith("nginx/")
        assert b"<title>Welcome to nginx!</title>" in body
        assert fw.read_line() == f"Handling connection for {port}\n"
        status, _, body = _get(f"http://localhost:{port}/missing")
        assert status == 404 and b"404 Not Found" in body
    finally:
        code, out, err = fw.stop(signal.SIGTERM)
    assert (code, err) == (0, "")
    # the pod saw the requests from 127.0.0.1 (the kubelet's port-forward), and logged them
    log = web("logs web --tail 2").out.splitlines()
    assert log[0].startswith('127.0.0.1 - - [') and '"GET / HTTP/1.1" 200 615' in log[0]
    assert '"GET /missing HTTP/1.1" 404' in log[1]


def test_service_port_is_translated_and_ctrl_c_stops(web, state):
    fw = Forwarder(state, "svc/websvc", ":8081", "--address", "127.0.0.1")
    try:
        (line,) = fw.wait_forwarding(1)
        m = re.fullmatch(r"Forwarding from 127\.0\.0\.1:(\d+) -> 80\n", line)  # the service's targetPort
        assert m, line
        status, _, _ = _get(f"http://127.0.0.1:{m.group(1)}/")
        assert status == 200
    finally:
        code, out, err = fw.stop(signal.SIGINT)
    assert (code, err) == (0, "")
    assert out.endswith(f"Handling connection for {m.group(1)}\n")


def test_interrupt_stops_a_background_forwarder(web, state):
    """kubectl's signal.Notify(os.Interrupt) catches SIGINT even when the shell started it ignored."""
    fw = Forwarder(state, "web", ":80", "--address=127.0.0.1", background=True)
    fw.wait_forwarding(1)
    code, out, err = fw.stop(signal.SIGINT)
    assert (code, err) == (0, "")


def test_port_the_pod_does_not_serve_loses_the_connection(web, state):
    fw = Forwarder(state, "web", ":81", "--address=127.0.0.1")
    (line,) = fw.wait_forwarding(1)
    port = int(re.search(r":(\d+) ->", line).group(1))
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert s.recv(100) == b""  # closed without an answer (curl: Empty reply from server)
    s.close()
    code, out, err = fw.p.wait(timeout=30), "".join(fw.lines) + fw.p.stdout.read(), fw.p.stderr.read()
    assert code == 1
    assert out.endswith(f"Handling connection for {port}\n")
    lines = err.splitlines()
    assert re.match(r'^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ portforward\.go:424\] "Unhandled Error" err="an error '
                    rf'occurred forwarding {port} -> 81: error forwarding port 81 to pod [0-9a-f]{{64}}, uid : failed '
                    r'to execute portforward in network namespace .*dial tcp4 127\.0\.0\.1:81: connect: connection '
                    r'refused IPv6 dial tcp6 \[::1\]:81: connect: connection refused "$', lines[0]), lines[0]
    assert lines[1:] == ["error: lost connection to pod"]


def test_port_in_use(web, state):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        r = web(f"port-forward web {port}:80 --address 127.0.0.1")
    finally:
        busy.close()
    assert (r.code, r.out) == (1, "")
    assert r.err == (f"Unable to listen on port {port}: Listeners failed to create with the following errors: "
                     f"[unable to create listener: Error listen tcp4 127.0.0.1:{port}: bind: address already in use]\n"
                     f"error: unable to listen on any of the requested ports: [{{{port} 80}}]\n")


@pytest.mark.parametrize("args,err", [
    ("port-forward web", "error: TYPE/NAME and list of ports are required for port-forward\n"
                         "See 'minikctl port-forward -h' for help and examples\n"),
    ("port-forward web 80 --address 0.0.0.0",
     "error: --address 0.0.0.0: minikctl port-forward listens on the loopback interface only (localhost, 127.0.0.1 "
     "or ::1): the emulated cluster is for this machine\n"),
    ("port-forward web 80 --address 192.168.1.5,localhost",
     "error: --address 192.168.1.5: minikctl port-forward listens on the loopback interface only (localhost, "
     "127.0.0.1 or ::1): the emulated cluster is for this machine\n"),
    ("port-forward web 80 --address foo", "error: failed to create listener: Error foo is not a valid IP\n"),
    ("port-forward web x:80", "error: error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax\n"),
    ("port-forward web 70000", "error: error parsing local port '70000': strconv.ParseUint: parsing \"70000\": "
                               "value out of range\n"),
    ("port-forward web 80:0", "error: remote port must be > 0\n"),
    ("port-forward web 8080:", "error: remote port cannot be empty\n"),
    ("port-forward web http", "error: Pod 'web' does not have a named port 'http'\n"),
    ("port-forward svc/websvc 9999", "error: Service websvc does not have a service port 9999\n"),
    ("port-forward svc/websvc 8080:http", "error: Service 'websvc' does not have a named port 'http'\n"),
    ("port-forward nope 80", 'Error from server (NotFound): pods "nope" not found\n'),
    ("port-forward svc/nope 80", 'Error from server (NotFound): services "nope" not found\n'),
])
def test_bad_input(web, state, args, err):
    before = store_snapshot(state)
    r = web(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


def test_pod_not_running(cluster):
    assert cluster("run typo --image=nginx:no-such-tag").code == 0
    r = cluster("port-forward typo 8080:80")
    assert (r.code, r.out, r.err) == (1, "", "error: unable to forward port because pod is not running. "
                                             "Current status=Pending\n")
