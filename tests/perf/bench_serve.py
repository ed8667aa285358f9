"""Figure 10 of tests/perf/bench.py: `minikctl serve` (issue 14).

- a Table list (Accept: application/json;as=Table;v=v1;g=meta.k8s.io) of 100 Services: the
  server's time, measured two ways: the request handler itself (rest.Backend.handle, in this
  process over the same store), and the round-trip over a keep-alive connection less that of
  an empty request (GET /version: the same TLS, HTTP and worker-thread hop, no work);
- 1,000 ConfigMaps created through the API by 10 concurrent clients over keep-alive;
- a watch event's delay after the write: written through the API (from the POST's response),
  and by another process through the CLI's object API (from its commit: Session.write's end;
  the server notices other processes' commits on the WAL file, watch.Changes, at the latest
  every POLL_S = 50 ms).
The figures are reported beside their targets; the benchmark reports instead of failing."""

from __future__ import annotations

import base64
import http.client
import json
import os
import ssl
import statistics
import subprocess
import sys
import threading
import time

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
SERVICES, CREATES, CREATE_CLIENTS, WATCH_WRITES = 100, 1000, 10, 40


class Conn:
    def __init__(self, host: str, port: int, ctx, token: str):
        self.c = http.client.HTTPSConnection(host, port, context=ctx, timeout=60)
        self.h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: bytes | None = None, accept: str = "application/json"):
        self.c.request(method, path, body=body, headers={**self.h, "Accept": accept})
        r = self.c.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:200]!r}")
        return data


def _server(mk: list[str], env: dict, kubeconfig: str):
    p = subprocess.Popen(mk + ["serve", "--port", "0", "--kubeconfig", kubeconfig], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    line = p.stdout.readline().decode()
    if not line.startswith("Starting to serve on https://"):
        p.kill()
        raise SystemExit(f"bench: minikctl serve did not start: {line}{p.stderr.read().decode()}")
    url = line.split()[4]
    host, port = url[len("https://"):].rsplit(":", 1)
    text = open(kubeconfig).read()
    ca = base64.b64decode(text.split("certificate-authority-data: ", 1)[1].split()[0]).decode()
    token = text.split("token: ", 1)[1].split()[0]
    return p, host, int(port), ssl.create_default_context(cadata=ca), token


def _cm(name: str) -> bytes:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                      "data": {"k": "v"}}).encode()


def figure10(table, work: str, runs: int, mk: list[str], env_of, ms, new_cluster) -> None:
    state = os.path.join(work, "serve.db")
    for suffix in ("", "-wal", "-shm", ".kubeconfig"):
        if os.path.exists(state + suffix):
            os.remove(state + suffix)
    new_cluster(state)
    env = env_of(state)
    kubeconfig = os.path.join(work, "serve.kubeconfig")
    proc, host, port, ctx, token = _server(mk, env, kubeconfig)
    try:
        c = Conn(host, port, ctx, token)
        c.call("POST", "/api/v1/namespaces", json.dumps({"metadata": {"name": "bench"}}).encode())
        for i in range(SERVICES):
            c.call("POST", "/api/v1/namespaces/bench/services", json.dumps(
                {"metadata": {"name": f"s{i}", "labels": {"app": f"a{i % 10}"}},
                 "spec": {"selector": {"app": f"a{i % 10}"}, "ports": [{"port": 80, "targetPort": 8080}]}}).encode())
        _table_list(table, c, state, runs, ms)
        _creates(table, host, port, ctx, token, ms)
        _watch_delay(table, c, host, port, ctx, token, state, env, ms)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _table_list(table, c: Conn, state: str, runs: int, ms) -> None:
    reps = max(50, runs * 10)
    path = "/api/v1/namespaces/bench/services"
    rows = len(json.loads(c.call("GET", path, accept=TABLE))["rows"])
    assert rows == SERVICES, rows
    trips, empty = [], []
    for _ in range(reps):
        t = time.perf_counter()
        c.call("GET", path, accept=TABLE)
        trips.append(time.perf_counter() - t)
        t = time.perf_counter()
        c.call("GET", "/version")
        empty.append(time.perf_counter() - t)
    # the handler alone, in this process, over the same store
    from minikctl.apiserver.rest import Backend, Request

    b = Backend(state, "t", "")
    b.open()
    try:
        req = Request("GET", path, "", {"Authorization": "Bearer t", "Accept": TABLE})
        handler = []
        for _ in range(reps):
            t = time.perf_counter()
            resp = b.handle(req)
            handler.append(time.perf_counter() - t)
            assert resp.status == 200
    finally:
        b.close()
    h, rt, e = statistics.median(handler), statistics.median(trips), statistics.median(empty)
    table.add(f"10 serve: Table list of {SERVICES} Services, server time", "<= 10 ms",
              f"{ms(h)} in the handler; {ms(rt)} round-trip - {ms(e)} empty request = {ms(rt - e)}",
              h <= 0.010)


def _creates(table, host, port, ctx, token, ms) -> None:
    conns = [Conn(host, port, ctx, token) for _ in range(CREATE_CLIENTS)]
    for i, c in enumerate(conns):  # connected (TLS handshake) before the clock starts
        c.call("GET", "/version")
    c0 = conns[0]
    c0.call("POST", "/api/v1/namespaces", json.dumps({"metadata": {"name": "bulk"}}).encode())
    per = CREATES // CREATE_CLIENTS
    errors: list = []

    def work(i: int):
        try:
            for j in range(per):
                conns[i].call("POST", "/api/v1/namespaces/bulk/configmaps", _cm(f"cm-{i}-{j}"))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(CREATE_CLIENTS)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    dt = time.perf_counter() - t
    if errors:
        raise SystemExit(f"bench: figure 10 creates: {errors[0]}")
    rate = CREATES / dt
    table.add(f"10 serve: {CREATES:,} ConfigMaps created through the API ({CREATE_CLIENTS} clients, keep-alive)",
              ">= 500/s", f"{rate:,.0f}/s ({dt:.2f} s)", rate >= 500)


_CLI_WRITER = r"""
import json, sys, time
from minikctl.api.cluster import Session
s = Session.open(None)
for line in sys.stdin:
    name = line.strip()
    with s.write() as api:
        api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {}},
                   namespace="watched")
    print(name, time.time(), flush=True)
"""


def _watch_delay(table, c: Conn, host, port, ctx, token, state, env, ms) -> None:
    c.call("POST", "/api/v1/namespaces", json.dumps({"metadata": {"name": "watched"}}).encode())
    rv = json.loads(c.call("GET", "/api/v1/namespaces/watched/configmaps"))["metadata"]["resourceVersion"]
    w = http.client.HTTPSConnection(host, port, context=ctx, timeout=60)
    w.request("GET", f"/api/v1/namespaces/watched/configmaps?watch=1&resourceVersion={rv}",
              headers={"Authorization": f"Bearer {token}"})
    resp = w.getresponse()
    arrived: dict[str, float] = {}
    got = threading.Condition()

    def read():
        while True:
            try:
                line = resp.readline()
            except OSError:  # closed at the end
                return
            if not line:
                return
            now = time.time()
            name = json.loads(line)["object"]["metadata"]["name"]
            with got:
                arrived[name] = now
                got.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_for(name: str) -> float:
        with got:
            got.wait_for(lambda: name in arrived, timeout=30)
            return arrived[name]

    api = []
    for i in range(WATCH_WRITES):
        name = f"api-{i}"
        c.call("POST", "/api/v1/namespaces/watched/configmaps", _cm(name))
        done = time.time()
        api.append(max(0.0, wait_for(name) - done))
        time.sleep(0.013 * (i % 7))  # not in step with the poller
    cli = []
    p = subprocess.Popen([sys.executable, "-c", _CLI_WRITER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         env=env, text=True)
    for i in range(WATCH_WRITES):
        name = f"cli-{i}"
        p.stdin.write(name + "\n")
        p.stdin.flush()
        _, committed = p.stdout.readline().split()
        cli.append(max(0.0, wait_for(name) - float(committed)))
        time.sleep(0.013 * (i % 7))
    p.stdin.close()
    p.wait()
    w.close()
    for what, xs in (("through the API (after the response)", api),
                     ("by a CLI process (after its commit)", cli)):
        med, worst = statistics.median(xs), sorted(xs)[int(len(xs) * 0.95) - 1]
        table.add(f"10 serve: watch event {what}", "<= 50 ms", f"{ms(med)} median, {ms(worst)} p95", worst <= 0.050)
