"""Concurrency through `minikctl serve` (issue 14, "Done means"): 20 kubectl-like clients (threads
over keep-alive HTTPS: create, get, patch, optimistic-concurrency update, delete) and the real
kubectl 1.32 in a loop (create, label, get, delete), and 20 watchers
for MINIKCTL_CONCURRENCY_SECONDS (default 60, the issue's minute) while CLI processes
(`python -m minikctl`) write the same store. Asserts:
- no lost update: shared counters are incremented by read + PUT with the resourceVersion read
  (409 Conflict answered and retried, as client-go's RetryOnConflict) and by the CLI's JSON patch
  with a "test" op; each final count equals the number of successful increments;
- every watcher sees every change of the namespace's ConfigMaps, in order: its events equal the
  revision log of the store, one for one (resourceVersion, type, name);
- no client gets a 5xx, a 429 or a `database is locked`; every CLI command exits as expected."""

from __future__ import annotations

import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.server.serving import KUBECTL, Server
from tests.server.streams import Stream, ssl_context

NS = "busy"
CM = f"/api/v1/namespaces/{NS}/configmaps"
COUNTERS = 4
CLIENTS = 20
WATCHERS = 20
CLI_WRITERS = 2


class Client:
    """One kubectl-like client: a keep-alive HTTPS connection."""

    def __init__(self, srv):
        u = urlsplit(srv.url)
        self.conn = http.client.HTTPSConnection(u.hostname, u.port, context=ssl_context(srv.kubeconfig), timeout=60)
        self.auth = f"Bearer {srv.token()}"
        self.bad: list = []  # answers no client should ever get

    def call(self, method: str, path: str, body=None, ctype="application/json", ok=(200, 201)) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers={"Authorization": self.auth, "Content-Type": ctype,
                                                            "Accept": "application/json"})
        r = self.conn.getresponse()
        raw = r.read()
        if r.status not in ok or b"database is locked" in raw:
            self.bad.append((method, path, r.status, raw[:300]))
        return r.status, json.loads(raw)

    def close(self):
        self.conn.close()


def _client(srv, idx: int, until: float, increments: list, errors: list) -> None:
    c = Client(srv)
    rnd = random.Random(idx)
    try:
        i = 0
        while time.monotonic() < until:
            i += 1
            # an object of its own: create, get, merge patch, strategic patch, delete
            name = f"c{idx}-{i}"
            c.call("POST", CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name,
                                "labels": {"client": str(idx)}}, "data": {"i": str(i)}})
            c.call("GET", f"{CM}/{name}")
            c.call("PATCH", f"{CM}/{name}", {"data": {"patched": "yes"}}, "application/merge-patch+json")
            c.call("PATCH", f"{CM}/{name}", {"metadata": {"labels": {"step": "2"}}},
                   "application/strategic-merge-patch+json")
            c.call("DELETE", f"{CM}/{name}")
            # a shared counter: read, then update with the resourceVersion read; 409: read again
            k = rnd.randrange(COUNTERS)
            while True:
                _, cur = c.call("GET", f"{CM}/counter-{k}")
                cur["data"]["n"] = str(int(cur["data"]["n"]) + 1)
                code, _ = c.call("PUT", f"{CM}/counter-{k}", cur, ok=(200, 409))
                if code == 200:
                    increments[k] += 1
                    break
    except Exception as e:  # noqa: BLE001 - reported by the test
        errors.append(f"client {idx}: {type(e).__name__}: {e}")
    finally:
        errors.extend(f"client {idx}: {b}" for b in c.bad)
        c.close()


def _cli(srv, idx: int, until: float, increments: list, errors: list) -> None:
    env = {**os.environ, "MINIKCTL_STATE": srv.state, "MINIKCTL_CONFIG": str(srv.root / "config")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "minikctl", *args], capture_output=True, text=True, env=env,
                              timeout=120)

    rnd = random.Random(1000 + idx)
    i = 0
    try:
        while time.monotonic() < until:
            i += 1
            name = f"cli{idx}-{i}"
            for args in (("create", "configmap", name, "-n", NS, "--from-literal=k=v"),
                         ("label", "configmap", name, "-n", NS, "via=cli"),
                         ("delete", "configmap", name, "-n", NS)):
                p = run(*args)
                if p.returncode != 0 or p.stderr:
                    errors.append(f"cli {args}: {p.returncode} {p.stderr}")
            k = rnd.randrange(COUNTERS)
            while True:  # compare-and-swap: a JSON patch whose "test" op fails when another wrote first
                n = run("get", "configmap", f"counter-{k}", "-n", NS, "-o", "jsonpath={.data.n}").stdout
                p = run("patch", "configmap", f"counter-{k}", "-n", NS, "--type=json", "-p", json.dumps(
                    [{"op": "test", "path": "/data/n", "value": n},
                     {"op": "replace", "path": "/data/n", "value": str(int(n) + 1)}]))
                if p.returncode == 0:
                    increments[k] += 1
                    break
                if "the server rejected our request due to an error in our request" not in p.stderr:
                    errors.append(f"cli patch: {p.returncode} {p.stderr}")
                    break
    except Exception as e:  # noqa: BLE001
        errors.append(f"cli {idx}: {type(e).__name__}: {e}")


def _kubectl(srv, until: float, errors: list) -> None:
    """The real kubectl 1.32 among the clients: typed create (protobuf), label, get, delete."""
    i = 0
    try:
        while time.monotonic() < until:
            i += 1
            name = f"kubectl-{i}"
            for cmd in (f"create configmap {name} -n {NS} --from-literal=k=v", f"label configmap {name} -n {NS} x=y",
                        f"get configmap {name} -n {NS} -o name", f"delete configmap {name} -n {NS}"):
                r = srv.kubectl(cmd)
                if r.code != 0 or r.err:
                    errors.append(f"kubectl {cmd}: {r.code} {r.err}")
    except Exception as e:  # noqa: BLE001
        errors.append(f"kubectl: {type(e).__name__}: {e}")


def _watcher(srv, rv: str, timeout: int, out: list, errors: list, idx: int) -> None:
    try:
        with Stream(srv, f"{CM}?watch=1&resourceVersion={rv}&timeoutSeconds={timeout}", timeout=timeout + 60) as s:
            while (e := s.next()) is not None:
                meta = e["object"]["metadata"]
                out.append((int(meta["resourceVersion"]), e["type"], meta["name"],
                            (e["object"].get("data") or {}).get("n")))
                if e["type"] == "ADDED" and meta["name"] == "the-end":
                    return
        errors.append(f"watcher {idx}: the stream ended before the last write")
    except Exception as e:  # noqa: BLE001
        errors.append(f"watcher {idx}: {type(e).__name__}: {e}")


def test_clients_watchers_and_cli_at_once(tmp_path):
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl 1.32 is not installed here")
    seconds = float(os.environ.get("MINIKCTL_CONCURRENCY_SECONDS") or 60)
    srv = Server(tmp_path)
    try:
        assert srv.mk(f"create namespace {NS}").code == 0
        for k in range(COUNTERS):
            assert srv.mk(f"create configmap counter-{k} -n {NS} --from-literal=n=0").code == 0
        code, listed = srv.http("GET", CM)
        start = listed["metadata"]["resourceVersion"]
        errors: list[str] = []
        seen: list[list] = [[] for _ in range(WATCHERS)]
        watchers = [threading.Thread(target=_watcher, args=(srv, start, int(seconds) + 600, seen[i], errors, i))
                    for i in range(WATCHERS)]
        for t in watchers:
            t.start()
        api_inc = [[0] * COUNTERS for _ in range(CLIENTS)]
        cli_inc = [[0] * COUNTERS for _ in range(CLI_WRITERS)]
        until = time.monotonic() + seconds
        writers = [threading.Thread(target=_client, args=(srv, i, until, api_inc[i], errors)) for i in range(CLIENTS)]
        writers += [threading.Thread(target=_cli, args=(srv, i, until, cli_inc[i], errors))
                    for i in range(CLI_WRITERS)]
        writers.append(threading.Thread(target=_kubectl, args=(srv, until, errors)))
        for t in writers:
            t.start()
        for t in writers:
            t.join()
        assert srv.http("POST", CM, json.dumps({"metadata": {"name": "the-end"}}).encode())[0] == 201
        for t in watchers:
            t.join(timeout=120)
        assert not errors, errors[:20]

        # no lost update
        for k in range(COUNTERS):
            want = sum(x[k] for x in api_inc) + sum(x[k] for x in cli_inc)
            got = srv.mk(f"get configmap counter-{k} -n {NS} -o jsonpath={{.data.n}}").out
            assert int(got) == want, (k, got, want)
        assert sum(map(sum, cli_inc)) > 0 and sum(map(sum, api_inc)) > 0

        # every watcher saw every change, in order: the revision log, one for one
        db = sqlite3.connect(f"file:{srv.state}?mode=ro", uri=True)
        log = [(rv, ty, name, json.loads(body).get("data", {}).get("n") if name.startswith("counter-") else None)
               for rv, ty, name, body in db.execute(
                   "SELECT rv, type, name, body FROM revisions WHERE resource='configmaps' AND namespace=? AND rv > ? "
                   "ORDER BY rv", (NS, int(start)))]
        db.close()
        assert log[-1][2] == "the-end" and len(log) > 100
        print(f"\n{seconds:.0f} s: {len(log)} revisions, API increments {sum(map(sum, api_inc))}, "
              f"CLI increments {sum(map(sum, cli_inc))}, {WATCHERS} watchers saw all")
        for i, events in enumerate(seen):
            got = [(rv, ty, name, n if name.startswith("counter-") else None) for rv, ty, name, n in events]
            assert got == log, f"watcher {i}: {len(got)} events, the log has {len(log)}"
        # the counters' values as each watcher saw them: 1, 2, 3, ... with no gap
        for k in range(COUNTERS):
            ns_ = [int(n) for _, ty, name, n in log if name == f"counter-{k}" and ty == "MODIFIED"]
            assert ns_ == list(range(1, len(ns_) + 1)), k
    finally:
        srv.stop()
