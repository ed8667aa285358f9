"""The state store: location, creation, global flags, foreign and newer files, migrations, WAL."""

from __future__ import annotations

import os
import sqlite3

from tests.conftest import run_inprocess
from tests.helpers import file_digest


def test_first_use_creates_store_and_default_cluster(mk, state):
    assert not os.path.exists(state)
    r = mk("get ns")
    assert r.code == 0, r
    assert [line.split()[0] for line in r.lines[1:]] [:1] == ["default"]
    assert {"default", "kube-node-lease", "kube-public", "kube-system"} <= {line.split()[0] for line in r.lines[1:]}
    assert os.path.exists(state)
    r = mk("get svc -A -o wide")
    cells = {line.split()[1]: line.split()[2:4] for line in r.lines[1:]}
    assert cells["kubernetes"] == ["ClusterIP", "10.96.0.1"]
    assert cells["kube-dns"] == ["ClusterIP", "10.96.0.10"]
    assert mk("get nodes --no-headers").out.count("Ready") == 3


def test_store_file_is_private_and_in_wal_mode(mk, state):
    assert mk("get ns").code == 0
    assert os.stat(state).st_mode & 0o777 == 0o600
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_state_flag_before_or_after_command_and_env(tmp_path):
    a, b, c = (str(tmp_path / n) for n in ("a.db", "b.db", "c.db"))
    env_state = str(tmp_path / "env.db")
    assert run_inprocess(["--state", a, "create", "namespace", "one"], env_state).code == 0
    assert run_inprocess(["create", "namespace", "two", "--state", b], env_state).code == 0
    assert run_inprocess(["create", "namespace", "three", f"--state={c}"], env_state).code == 0
    assert run_inprocess(["create", "namespace", "four"], env_state).code == 0
    for path, ns in ((a, "one"), (b, "two"), (c, "three"), (env_state, "four")):
        r = run_inprocess(["get", "ns", ns, "-o", "name"], path)
        assert r.out == f"namespace/{ns}\n", (path, r)
    assert run_inprocess(["get", "ns", "four"], a).code == 1


def test_namespace_flag_before_or_after(cluster):
    assert cluster("create namespace team").code == 0
    assert cluster("-n team create service clusterip web --tcp=80").code == 0
    assert cluster("get svc web -n team -o name").out == "service/web\n"
    assert cluster("--namespace=team get svc web -o name").out == "service/web\n"
    assert cluster("get -nteam svc web -o name").out == "service/web\n"
    r = cluster("get svc web")
    assert r.code == 1
    assert r.err == 'Error from server (NotFound): services "web" not found\n'


def test_cluster_create_with_options(mk):
    r = mk("cluster create --nodes 2 --service-cidr 10.0.0.0/24 --pod-cidr 10.100.0.0/16 "
           "--node-port-range 31000-31010 --cluster-domain example.local --lb-pool none --clock manual")
    assert r.code == 0, r
    svc = mk("get svc -A --no-headers").out
    assert "10.0.0.1 " in svc and "10.0.0.10 " in svc
    assert len(mk("get nodes --no-headers").lines) == 2
    info = mk("cluster info").out
    assert "example.local" in info and "31000-31010" in info and "manual" in info


def test_cluster_create_refuses_existing_cluster(mk, state):
    assert mk("cluster create").code == 0
    before = file_digest(state)
    r = mk("cluster create --nodes 5")
    assert r.code == 1
    assert r.err.startswith("error: a cluster already exists in ")
    assert r.err.count("\n") == 1
    assert file_digest(state) == before


def test_cluster_create_rejects_bad_options(mk, state):
    for args, msg in (("--nodes 0", "--nodes must be between 1 and 100"),
                      ("--service-cidr banana", 'invalid --service-cidr "banana"'),
                      ("--node-port-range 5-1", 'invalid --node-port-range "5-1"'),
                      ("--lb-pool 300.1.1.1/24", 'invalid --lb-pool "300.1.1.1/24"')):
        r = mk(f"cluster create {args}")
        assert r.code == 1 and msg in r.err and "Traceback" not in r.err, (args, r)
    # nothing was created by the refused commands
    assert mk("cluster create --nodes 1").code == 0


def test_foreign_sqlite_file_is_refused_and_untouched(mk, state):
    with sqlite3.connect(state) as db:
        db.execute("CREATE TABLE notes(x)")
        db.execute("INSERT INTO notes VALUES ('precious')")
    db.close()
    before = file_digest(state)
    r = mk("get svc")
    assert r.code == 1
    assert r.err == f"error: {state} is not a minikctl store (a SQLite database of something else); refusing to touch it\n"
    assert file_digest(state) == before
    assert not os.path.exists(state + "-wal")


def test_non_sqlite_file_is_refused_and_untouched(mk, state):
    with open(state, "w") as f:
        f.write("shopping list\n")
    before = file_digest(state)
    r = mk("get pods")
    assert r.code == 1 and "not a minikctl store" in r.err and r.err.count("\n") == 1
    assert file_digest(state) == before


def test_newer_schema_is_refused_and_untouched(mk, state):
    assert mk("get ns").code == 0
    with sqlite3.connect(state) as db:
        db.execute("PRAGMA user_version=999")
    db.close()
    before = file_digest(state)
    r = mk("get ns")
    assert r.code == 1
    assert "was written by a newer minikctl (store schema 999" in r.err
    assert file_digest(state) == before


def test_older_schema_is_migrated(mk, state):
    """A store at schema version 1 is brought up to the latest version on open."""
    from minikctl.store.db import migrations, schema_version

    assert mk("cluster create --clock manual").code == 0
    latest = schema_version()
    with sqlite3.connect(state) as db:
        # undo what the migrations after 1 created (each migration's CREATE TABLE/INDEX names)
        for n, path in migrations():
            if n > 1:
                import re

                for kind, name in re.findall(r"CREATE (TABLE|INDEX) (?:IF NOT EXISTS )?(\w+)", path.read_text()):
                    if kind == "TABLE":
                        db.execute(f"DROP TABLE IF EXISTS {name}")
        db.execute("PRAGMA user_version=1")
    db.close()
    assert mk("get ns").code == 0
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == latest


def test_directory_as_state_is_an_error(mk, tmp_path):
    r = run_inprocess(["get", "svc"], str(tmp_path))
    assert r.code == 1 and "is a directory" in r.err


def test_metadata_filled_like_kube_apiserver(cluster):
    import json

    assert cluster("create service clusterip a --tcp=80").code == 0
    assert cluster("create service clusterip b --tcp=80").code == 0
    a = json.loads(cluster("get svc a -o json").out)["metadata"]
    b = json.loads(cluster("get svc b -o json").out)["metadata"]
    assert int(b["resourceVersion"]) > int(a["resourceVersion"])
    assert len(a["uid"]) == 36 and a["uid"] != b["uid"]
    import re

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["creationTimestamp"])


def test_cluster_delete(mk, state):
    assert mk("cluster create").code == 0
    r = mk("cluster delete")
    assert r.code == 0 and not os.path.exists(state)
    assert mk("cluster delete").code == 1
