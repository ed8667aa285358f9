"""cluster snapshot save|restore|list|delete (issue 13): SQLite's online backup API
(sqlite3.Connection.backup), snapshots kept in STORE.snapshots/."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys


def _cms(mk) -> list[str]:
    return [ln.split()[0] for ln in mk("get cm --no-headers").lines]


def test_save_list_restore_delete(cluster, state):
    mk = cluster
    assert mk("create cm before --from-literal=a=1").code == 0
    r = mk("cluster snapshot save base")
    assert r.code == 0, r
    assert r.out == f'snapshot "base" saved ({state}.snapshots/base.db)\n'
    assert os.path.isfile(f"{state}.snapshots/base.db")
    mk("clock advance 1h")
    assert mk("create cm after --from-literal=b=2").code == 0
    assert mk("cluster snapshot save later").code == 0
    r = mk("cluster snapshot list")
    assert r.code == 0, r
    lines = r.lines
    assert lines[0].split() == ["NAME", "CREATED", "SIZE"]
    assert [ln.split()[:2] for ln in lines[1:]] == [["base", "2026-03-14T15:09:26Z"], ["later", "2026-03-14T16:09:26Z"]]
    assert all(ln.split()[2][-1] in "KM" for ln in lines[1:])
    r = mk("cluster snapshot restore base")
    assert (r.code, r.out) == (0, 'snapshot "base" restored\n')
    assert _cms(mk) == ["before", "kube-root-ca.crt"]
    assert mk("clock").out == "2026-03-14T15:09:26Z (manual)\n"  # the clock comes back with the objects
    assert mk("cluster check").code == 0
    assert mk("cluster snapshot restore later").code == 0
    assert _cms(mk) == ["after", "before", "kube-root-ca.crt"]
    r = mk("cluster snapshot delete later")
    assert (r.code, r.out) == (0, 'snapshot "later" deleted\n')
    assert [ln.split()[0] for ln in mk("cluster snapshot list").lines[1:]] == ["base"]


def test_restore_missing_name_refused_store_unchanged(cluster, state):
    mk = cluster
    mk("create cm keep")
    before = _cms(mk)
    r = mk("cluster snapshot restore nope")
    assert (r.code, r.out, r.err) == (1, "", 'error: snapshot "nope" not found (see minikctl cluster snapshot list)\n')
    assert _cms(mk) == before
    r = mk("cluster snapshot delete nope")
    assert (r.code, r.err) == (1, 'error: snapshot "nope" not found (see minikctl cluster snapshot list)\n')


def test_refusals(cluster):
    mk = cluster
    assert mk("cluster snapshot save one").code == 0
    r = mk("cluster snapshot save one")
    assert (r.code, r.err) == (1, 'error: snapshot "one" already exists; delete it first: '
                                  "minikctl cluster snapshot delete one\n")
    r = mk("cluster snapshot save ../x")
    assert (r.code, r.err) == (1, 'error: invalid snapshot name "../x": use letters, digits, ".", "_" and "-", '
                                  "starting with a letter or digit\n")
    r = mk("cluster snapshot save")
    assert (r.code, r.err) == (1, "error: usage: minikctl cluster snapshot save NAME\n")


def test_list_empty(cluster, state):
    r = cluster("cluster snapshot list")
    assert (r.code, r.out, r.err) == (0, "", f"No snapshots found for {state}.\n")


WRITER = """
import sys
from minikctl.cli.app import main
for i in range(int(sys.argv[1])):
    assert main(["create", "configmap", f"w{i}", "--from-literal=k=v"]) == 0
"""


def test_save_is_consistent_while_another_process_writes(cluster, state):
    """A writer process creates ConfigMaps while snapshots are saved: each snapshot is an intact
    store holding a prefix of the writer's objects (w0..wN-1, none missing in between)."""
    mk = cluster
    env = {**os.environ, "MINIKCTL_STATE": state}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "25"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    names = []
    try:
        for i in range(4):
            r = mk(f"cluster snapshot save s{i}")
            assert r.code == 0, r
            names.append(f"s{i}")
    finally:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    for n in names:
        conn = sqlite3.connect(f"{state}.snapshots/{n}.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        got = sorted(int(r[0][1:]) for r in conn.execute(
            "SELECT name FROM objects WHERE resource='configmaps' AND name LIKE 'w%'"))
        conn.close()
        assert got == list(range(len(got)))
    assert mk(f"cluster snapshot restore {names[-1]}").code == 0
    assert mk("cluster check").code == 0
