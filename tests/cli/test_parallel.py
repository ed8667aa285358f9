"""Parallel commands on one store: no lost update, no IP or port handed out twice, no 'database is locked'."""

from __future__ import annotations

import json
import os
import subprocess
import sys

WORKER = r"""
import sys
from minikctl.cli.app import main
proc, count = sys.argv[1], int(sys.argv[2])
failed = 0
for i in range(count):
    kind = "nodeport" if i % 2 else "clusterip"
    if main(["create", "service", kind, f"s{proc}-{i}", "--tcp=80"]) != 0:
        failed += 1
sys.exit(1 if failed else 0)
"""


def _spawn(state: str, procs: int, count: int):
    env = {**os.environ, "MINIKCTL_STATE": state}
    ps = [subprocess.Popen([sys.executable, "-c", WORKER, str(p), str(count)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for p in range(procs)]
    errs = []
    for p in ps:
        _, err = p.communicate(timeout=300)
        errs.append((p.returncode, err.decode()))
    return errs


def test_parallel_creates_allocate_distinct_ips_and_ports(cluster, state):
    procs, count = 8, 25
    results = _spawn(state, procs, count)
    assert all(code == 0 for code, _ in results), results
    assert not any("locked" in err for _, err in results)
    items = json.loads(cluster("get svc -o json").out)["items"]
    mine = [s for s in items if s["metadata"]["name"].startswith("s")]
    assert len(mine) == procs * count
    ips = [s["spec"]["clusterIP"] for s in items]
    assert len(set(ips)) == len(ips)
    ports = [p["nodePort"] for s in items for p in s["spec"].get("ports", []) if p.get("nodePort")]
    assert len(ports) == procs * (count // 2) and len(set(ports)) == len(ports)
    assert cluster("cluster check").code == 0
