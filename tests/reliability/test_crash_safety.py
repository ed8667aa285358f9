"""Crash safety: a large apply killed with SIGKILL at any moment leaves a store that passes
SQLite's integrity check and `minikctl cluster check`, and keeps working; and `cluster check`
does find each kind of inconsistency planted in a store with raw SQL."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import run_inprocess

SERVICES, DEPLOYMENTS, REPLICAS = 1000, 40, 3  # about 3,500 objects with the controllers'


def _manifest(services: int, deployments: int, prefix: str = "") -> str:
    # enableServiceLinks: false, or each container gets 7 variables per service (1,000 here)
    docs = []
    for i in range(services):
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {prefix}s{i}\nspec:\n"
                    f"  selector:\n    app: {prefix}a{i % deployments}\n  ports:\n  - port: 80\n")
    for i in range(deployments):
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {prefix}d{i}\nspec:\n"
                    f"  replicas: {REPLICAS}\n  selector:\n    matchLabels:\n      app: {prefix}a{i}\n"
                    f"  template:\n    metadata:\n      labels:\n        app: {prefix}a{i}\n    spec:\n"
                    f"      enableServiceLinks: false\n      containers:\n      - name: web\n        image: nginx\n        ports:\n"
                    f"        - containerPort: 80\n")
    return "---\n".join(docs)


def _cli(state: str, *args: str, input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "MINIKCTL_STATE": state}
    return subprocess.run([sys.executable, "-m", "minikctl", *args], input=input, capture_output=True, env=env,
                          timeout=timeout)


def _integrity(state: str) -> str:
    con = sqlite3.connect(state)
    try:
        return "; ".join(r[0] for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def _count(state: str, resource: str) -> int:
    con = sqlite3.connect(state)
    try:
        return con.execute("SELECT count(*) FROM objects WHERE resource=?", (resource,)).fetchone()[0]
    finally:
        con.close()


def _new_cluster(state: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(state + suffix):
            os.remove(state + suffix)
    # 30 nodes: room for every pod (a node runs at most 110)
    r = _cli(state, "cluster", "create", "--clock", "manual", "--nodes", "30")
    assert r.returncode == 0, r.stderr


def test_apply_killed_at_random_moments_leaves_a_consistent_working_store(tmp_path):
    manifest = tmp_path / "big.yaml"
    manifest.write_text(_manifest(SERVICES, DEPLOYMENTS))
    state = str(tmp_path / "state.db")
    env = {**os.environ, "MINIKCTL_STATE": state}
    argv = [sys.executable, "-m", "minikctl", "apply", "-f", str(manifest)]

    # the uninterrupted apply, for its duration
    _new_cluster(state)
    base = _count(state, "services")
    t = time.monotonic()
    r = subprocess.run(argv, env=env, capture_output=True, timeout=300)
    full = time.monotonic() - t
    assert r.returncode == 0, r.stderr
    assert _count(state, "services") == base + SERVICES

    rng = random.Random(os.environ.get("MINIKCTL_CRASH_SEED", "6"))
    # kill points spread over the whole run (parse, writes, controllers, commit) and beyond it
    moments = sorted(rng.uniform(0.05, 1.05) * full for _ in range(4))
    for moment in moments:
        _new_cluster(state)
        p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        assert _integrity(state) == "ok", f"killed after {moment:.2f}s"
        # all or nothing: the apply is one transaction
        assert _count(state, "services") in (base, base + SERVICES), f"killed after {moment:.2f}s"
        c = _cli(state, "cluster", "check")
        assert c.returncode == 0, f"killed after {moment:.2f}s: {c.stderr.decode()}"
        # and the cluster keeps working
        r = _cli(state, "apply", "-f", "-", input=_manifest(5, 1, prefix="after-").encode())
        assert r.returncode == 0, r.stderr
        r = _cli(state, "get", "endpoints", "after-s0", "-o", "json")
        assert r.returncode == 0 and len(json.loads(r.stdout)["subsets"][0]["addresses"]) == REPLICAS
        c = _cli(state, "cluster", "check")
        assert c.returncode == 0, c.stderr.decode()


# ------------------------------------------------------------ cluster check finds corruption
@pytest.fixture
def web(cluster, state):
    """A deployment of 2 pods, a NodePort service selecting them: a consistent cluster."""
    assert cluster("create deployment web --image=nginx --replicas=2 --port=80").code == 0
    assert cluster("create service nodeport web --tcp=80").code == 0
    r = cluster("cluster check")
    assert r.code == 0, r
    return cluster


def _sql(state: str, *statements: tuple) -> None:
    con = sqlite3.connect(state, isolation_level=None)
    try:
        for stmt in statements:
            con.execute(*stmt) if isinstance(stmt, tuple) else con.execute(stmt)
    finally:
        con.close()


def _uid(state: str, resource: str, name: str) -> str:
    con = sqlite3.connect(state)
    try:
        return con.execute("SELECT uid FROM objects WHERE resource=? AND name LIKE ?", (resource, name)).fetchone()[0]
    finally:
        con.close()


def _problems(cluster) -> list[str]:
    r = cluster("cluster check")
    assert r.code == 1, r
    lines = r.err.splitlines()
    assert lines[-1] == f"error: {len(lines) - 1} problem(s) found", r.err
    assert "Traceback" not in r.err
    return lines[:-1]


def test_check_finds_a_leaked_allocation(web, state):
    _sql(state, ("INSERT INTO allocations(pool, value, owner) VALUES ('clusterip', ?, 'no-such-uid')",
                 (0x0A60C8C8,)))  # 10.96.200.200
    assert _problems(web) == ["allocation clusterip 10.96.200.200 is leaked: its owner (uid no-such-uid) does not exist"]


def test_check_finds_an_allocation_its_owner_does_not_use(web, state):
    uid = _uid(state, "services", "web")
    _sql(state, ("INSERT INTO allocations(pool, value, owner) VALUES ('nodeport', 30999, ?)", (uid,)))
    probs = _problems(web)
    assert probs == ["allocation nodeport 30999 is leaked: its owner Service default/web does not use it"], probs


def test_check_finds_a_service_missing_its_allocations(web, state):
    uid = _uid(state, "services", "web")
    svc = json.loads(web("get svc web -o json").out)
    _sql(state, ("DELETE FROM allocations WHERE owner=?", (uid,)))
    probs = _problems(web)
    assert probs == [f"service default/web: clusterIP {svc['spec']['clusterIP']} is not allocated to it",
                     f"service default/web: nodePort {svc['spec']['ports'][0]['nodePort']} is not allocated to it"]


def test_check_finds_two_services_sharing_an_ip(web, state):
    assert web("create service clusterip other --tcp=80").code == 0
    ip = json.loads(web("get svc web -o json").out)["spec"]["clusterIP"]
    con = sqlite3.connect(state, isolation_level=None)
    body = json.loads(con.execute("SELECT body FROM objects WHERE resource='services' AND name='other'").fetchone()[0])
    body["spec"]["clusterIP"] = ip
    body["spec"]["clusterIPs"] = [ip]
    con.execute("UPDATE objects SET body=? WHERE resource='services' AND name='other'", (json.dumps(body),))
    con.close()
    probs = _problems(web)
    assert f"service default/other: clusterIP {ip} is not allocated to it (another object holds it)" in probs
    assert any(p.startswith("allocation clusterip ") and "Service default/other does not use it" in p for p in probs)


def test_check_finds_orphaned_pods(web, state):
    rs = json.loads(web("get rs -o json").out)["items"][0]
    _sql(state, ("DELETE FROM objects WHERE uid=?", (rs["metadata"]["uid"],)))
    probs = _problems(web)
    pods = sorted(p["metadata"]["name"] for p in json.loads(web("get pods -o json").out)["items"])
    assert probs == [f"Pod default/{p}: its owner ReplicaSet {rs['metadata']['name']} "
                     f"(uid {rs['metadata']['uid']}) does not exist" for p in pods]


def test_check_finds_stale_endpoints(web, state):
    _sql(state, "UPDATE objects SET body=json_remove(body, '$.subsets') WHERE resource='endpoints' AND name='web'")
    probs = _problems(web)
    assert len(probs) == 1 and probs[0].startswith("endpoints default/web: do not match the service's pods "
                                                   "(lists none; the pods give 10.244."), probs


def test_check_finds_endpoints_of_a_vanished_pod(web, state):
    pod = json.loads(web("get pods -o json").out)["items"][0]
    # the pod disappears behind the controllers' back (its IP allocation with it)
    _sql(state, ("DELETE FROM objects WHERE uid=?", (pod["metadata"]["uid"],)),
         ("DELETE FROM allocations WHERE owner=?", (pod["metadata"]["uid"],)))
    probs = _problems(web)
    assert any(p.startswith("endpoints default/web: do not match") and pod["status"]["podIP"] in p for p in probs), probs
    assert any(p.startswith("endpointslices of default/web: hold") for p in probs), probs


def test_check_finds_a_pod_without_its_ip(web, state):
    pod = json.loads(web("get pods -o json").out)["items"][0]
    _sql(state, ("DELETE FROM allocations WHERE owner=?", (pod["metadata"]["uid"],)))
    assert _problems(web) == [f"pod default/{pod['metadata']['name']}: pod IP {pod['status']['podIP']} "
                              f"is not allocated to it on node {pod['spec']['nodeName']}"]


def test_check_reports_a_corrupt_file(tmp_path):
    state = str(tmp_path / "state.db")
    assert run_inprocess(["cluster", "create"], state).code == 0
    con = sqlite3.connect(state)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='objects_uid'").fetchone()[0]
    con.close()
    with open(state, "r+b") as f:  # scribble over one index page
        f.seek((root - 1) * page + 8)
        f.write(bytes(range(7, 7 + 64)))
    r = run_inprocess(["cluster", "check"], state)
    assert r.code == 1 and "Traceback" not in r.err, r
    lines = r.err.splitlines()
    assert all(ln.startswith("sqlite") for ln in lines[:-1]) and 2 <= len(lines) <= 12, r.err
    assert lines[-1] == f"error: {len(lines) - 1} problem(s) found", r.err
