"""The state store: location, creation, global flags, foreign and newer files, migrations, WAL;
a damaged file refuses writes; a busy, read-only or full store fails with one line naming the cause."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import run_inprocess
from tests.helpers import file_digest, store_snapshot


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
                for table, column in re.findall(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", path.read_text()):
                    db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
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
    assert not os.path.exists(state + "-checked")
    assert mk("cluster delete").code == 1


# ----------------------------------------------------------------- a damaged store (issue 9)
DAMAGED = "error: the state store is damaged ("
DAMAGED_END = "); 'minikctl cluster check' lists what is wrong\n"


def _many_objects(mk) -> None:
    docs = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: {'x' * 1500}\n"
                        for i in range(300))
    assert mk(["apply", "-f", "-"], input=docs).code == 0
    assert mk("create deployment many --image=nginx --replicas=2").code == 0


def _scribble_leaf_pages(state: str, count: int = 3) -> None:
    """Overwrite the cell pointers of a few table leaf pages in the second half of the file,
    far from the pages `scale deploy many` reads and writes (as a stray write or a bad disk would)."""
    con = sqlite3.connect(state)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page, pages = con.execute("PRAGMA page_size").fetchone()[0], con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    hit = 0
    with open(state, "r+b") as f:
        for n in range(pages // 2, pages):
            f.seek(n * page)
            if f.read(1) == b"\x0d":  # a table b-tree leaf page
                f.seek(n * page + 8)
                f.write(bytes((i * 37 + 11) % 256 for i in range(24)))
                hit += 1
                if hit == count:
                    break
    assert hit == count


def test_damaged_store_refuses_writes_and_is_left_byte_for_byte_unchanged(cluster, state):
    _many_objects(cluster)
    con = sqlite3.connect(state, isolation_level=None)  # probe ticks fell due: a read would catch up (a write)
    con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('kubelet:probes-due', '0')")
    con.close()
    _scribble_leaf_pages(state)
    con = sqlite3.connect(state)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    con.close()
    before = file_digest(state)
    for cmd in ("scale deploy many --replicas=3", "create namespace after", "delete cm cm1"):
        r = cluster(cmd)
        assert (r.code, r.out) == (1, ""), (cmd, r)
        assert r.err.startswith(DAMAGED + "integrity check: ") and r.err.endswith(DAMAGED_END), r
        assert r.err.count("\n") == 1, r
        assert file_digest(state) == before, cmd
    # reads carry on where SQLite can still answer
    assert cluster("get deploy many -o jsonpath={.spec.replicas}").out == "2"
    assert file_digest(state) == before
    r = cluster("cluster check")
    assert r.code == 1 and r.err.startswith("sqlite integrity_check: "), r
    assert file_digest(state) == before


def test_store_changed_by_another_program_is_checked_then_written(cluster, state):
    """A valid change made with another tool (here the sqlite3 module) passes the full check
    once; the store records its identity beside it (PATH-checked) and takes writes as usual."""
    assert cluster("create namespace one").code == 0
    con = sqlite3.connect(state, isolation_level=None)
    con.execute("UPDATE meta SET value=value WHERE key='rv'")
    con.execute("VACUUM")  # rewrites every page: the file is not as minikctl left it
    con.close()
    assert cluster("create namespace two").code == 0
    assert cluster("create namespace three").code == 0
    with open(state + "-checked") as f:
        words = f.read().split()
    st = os.stat(state)
    assert words[:2] == ["minikctl-checked", "1"]
    assert [int(w) for w in words[2:]] == [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    assert os.stat(state + "-checked").st_mode & 0o777 == 0o600
    assert cluster("get ns two three -o name").out == "namespace/two\nnamespace/three\n"


def test_file_size_limit_names_the_cause(cluster, state):
    """A write beyond the process's file size limit (ulimit -f) fails with EFBIG, which SQLite
    reports as a bare "disk I/O error": the message names the limit; nothing is written."""
    import resource
    import signal

    before = store_snapshot(state)
    docs = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: {'x' * 2000}\n"
                        for i in range(100))
    limit = os.path.getsize(state) + 8192

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write(2) fails with EFBIG instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    p = subprocess.run([sys.executable, "-m", "minikctl", "apply", "-f", "-"], input=docs, text=True, capture_output=True,
                       env={**os.environ, "MINIKCTL_STATE": state}, preexec_fn=small_files, timeout=120)
    assert (p.returncode, p.stdout) == (1, ""), p
    assert p.stderr == (f"error: cannot write the state store {state}: file too large "
                        f"(the file size limit, ulimit -f, is {limit} bytes)\n")
    assert store_snapshot(state) == before
    assert cluster("create configmap after").code == 0


def test_first_use_while_another_command_commits_the_initialisation(mk, state, monkeypatch):
    """Issue 9: another command's initialisation of a new store (one transaction: tables,
    application id, schema version) commits while this command is identifying the file.
    Deterministic: the commit happens when this command's first statement that reads the
    schema starts. The file is seen either before or after, never half."""
    from minikctl.store import db

    os.makedirs(os.path.dirname(state), exist_ok=True)
    other = sqlite3.connect(state, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("BEGIN IMMEDIATE")
    for _, path in db.migrations():
        for stmt in db._split_sql(path.read_text()):
            other.execute(stmt)
    other.execute(f"PRAGMA application_id={db.APPLICATION_ID}")
    other.execute(f"PRAGMA user_version={db.schema_version()}")
    other.execute("INSERT INTO meta(key, value) VALUES ('rv', '0')")
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)

        def commit_the_other(sql: str) -> None:
            if "sqlite_master" in sql and other.in_transaction:
                other.execute("COMMIT")

        conn.set_trace_callback(commit_the_other)
        return conn

    monkeypatch.setattr(db.sqlite3, "connect", connect)
    try:
        r = mk("get ns default -o name")
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert (r.code, r.out, r.err) == (0, "namespace/default\n", "")


# ------------------------------------------------------------ the write lock (issue 9)
BUSY = "error: the cluster is busy: another minikctl command is writing; try again\n"


def test_writer_waits_for_the_lock_then_says_the_cluster_is_busy(cluster, state, mk_proc):
    assert cluster("create namespace one").code == 0
    before = store_snapshot(state)
    holder = sqlite3.connect(state, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command writing
    try:
        r = mk_proc("create namespace two", env={"MINIKCTL_LOCK_TIMEOUT": "0.2"})
        assert (r.code, r.out, r.err) == (1, "", BUSY)
        r = cluster("label ns one a=b", env={"MINIKCTL_LOCK_TIMEOUT": "0"})
        assert (r.code, r.out, r.err) == (1, "", BUSY)
        r = cluster("get ns one -o name", env={"MINIKCTL_LOCK_TIMEOUT": "0"})  # readers do not wait
        assert (r.code, r.out, r.err) == (0, "namespace/one\n", "")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store_snapshot(state) == before
    assert cluster("create namespace two", env={"MINIKCTL_LOCK_TIMEOUT": "0.2"}).code == 0


def test_first_use_while_the_lock_is_held_says_busy(mk, state):
    assert mk("cluster create --clock manual").code == 0
    os.remove(state)  # a store nobody has initialised yet, locked by another process
    holder = sqlite3.connect(state, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = mk("get ns", env={"MINIKCTL_LOCK_TIMEOUT": "0.1"})
        assert (r.code, r.out, r.err) == (1, "", BUSY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert mk("get ns default -o name").out == "namespace/default\n"


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", "1e9"])
def test_lock_timeout_must_be_a_number_of_seconds(mk, value):
    r = mk("get ns", env={"MINIKCTL_LOCK_TIMEOUT": value})
    assert (r.code, r.out) == (1, "")
    assert r.err == (f'error: invalid MINIKCTL_LOCK_TIMEOUT "{value}": expected a number of seconds '
                     "between 0 and 86400, e.g. 30 or 0.5\n")


# ------------------------------------- read-only and full file systems (issue 9), for real
# Tests run as root here, and root ignores permission bits: the file systems are made
# read-only or full with mounts inside a private mount namespace (unshare -m), which vanish
# with the process. Elsewhere (not root, no unshare) these tests are skipped; the mapping
# itself is covered by test_translate_error below.
_DRIVER = r"""
import hashlib, json, os, sqlite3, subprocess, sys
steps, out = json.loads(sys.stdin.read()), []
for step in steps:
    if step[0] == "sh":  # mounts and file-system set-up: must succeed
        subprocess.run(step[1], shell=True, check=True, stdout=sys.stderr)
        out.append(None)
    elif step[0] == "mk":
        p = subprocess.run([sys.executable, "-m", "minikctl", *step[2]], env={**os.environ, "MINIKCTL_STATE": step[1]},
                           capture_output=True, text=True, input=step[3] if len(step) > 3 else "", timeout=120)
        out.append([p.returncode, p.stdout, p.stderr])
    elif step[0] == "fill":  # a file that takes every free block
        with open(step[1], "wb", buffering=0) as f:
            try:
                while True:
                    f.write(bytes(65536))
            except OSError:
                pass
        out.append(None)
    elif step[0] == "content":  # the store's rows, read without minikctl
        con = sqlite3.connect("file:" + step[1] + "?mode=ro", uri=True)
        rows = sorted(json.dumps([t, *r]) for t in ("objects", "allocations", "meta") for r in con.execute(f"SELECT * FROM {t}"))
        con.close()
        out.append(hashlib.sha256("\n".join(rows).encode()).hexdigest())
print(json.dumps(out))
"""


def _in_mount_namespace(steps: list) -> list:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("mount"):
        pytest.skip("needs root and unshare(1) to mount a read-only or full file system")
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m is not permitted here: {probe.stderr.decode().strip()}")
    p = subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable, "-c", _DRIVER],
                       input=json.dumps(steps), capture_output=True, text=True, timeout=600)
    if p.returncode != 0 and "mount" in p.stderr:
        pytest.skip(f"cannot mount here: {p.stderr.strip().splitlines()[-1]}")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.splitlines()[-1])


def test_read_only_store_file_is_read_but_not_written(cluster, state):
    assert cluster("create namespace one").code == 0
    before = store_snapshot(state)
    out = _in_mount_namespace([
        ["sh", f"mount --bind -o ro '{state}' '{state}'"],
        ["mk", state, ["get", "ns", "one", "-o", "name"]],
        ["mk", state, ["create", "namespace", "two"]],
        ["mk", state, ["get", "pods", "-A", "-o", "name"]],
    ])
    assert out[1] == [0, "namespace/one\n", ""]
    assert out[2] == [1, "", f"error: cannot write the state store {state}: the file is read-only "
                             "(read-only file system)\n"]
    assert out[3][0] == 0 and out[3][1].count("pod/") == 3 and out[3][2] == "", out[3]  # coredns x2, ingress
    assert store_snapshot(state) == before
    assert cluster("create namespace two").code == 0  # writable again outside the namespace


def test_writable_store_in_a_read_only_directory(cluster, state, tmp_path):
    """SQLite's WAL mode needs PATH-wal and PATH-shm beside the store: reads still work
    (the file is opened read-only and immutable), writes say what is wrong."""
    assert cluster("create namespace one").code == 0
    before = store_snapshot(state)
    view = tmp_path / "view"  # the store's directory, mounted read-only; the file itself stays writable
    view.mkdir()
    src = os.path.dirname(state)
    seen = str(view / "state.db")
    out = _in_mount_namespace([
        ["sh", f"mount --bind '{src}' '{view}' && mount -o remount,bind,ro '{view}' && mount --bind '{state}' '{seen}'"],
        ["mk", seen, ["get", "ns", "one", "-o", "name"]],
        ["mk", seen, ["create", "namespace", "two"]],
        ["mk", seen, ["get", "pods", "-A", "-o", "name"]],
    ])
    assert out[1] == [0, "namespace/one\n", ""]
    assert out[2] == [1, "", f"error: cannot write the state store {seen}: its directory {view} is not writable "
                             "(read-only file system), and SQLite needs to create state.db-wal and state.db-shm there\n"]
    assert out[3][0] == 0 and out[3][1].count("pod/") == 3, out[3]
    assert store_snapshot(state) == before


def test_full_disk_names_the_cause_and_leaves_the_store_usable(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    state = str(disk / "state.db")
    docs = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: {'x' * 2000}\n"
                        for i in range(50))
    full = f"error: cannot write the state store {state}: no space left on device\n"
    out = _in_mount_namespace([
        ["sh", f"mount -t tmpfs -o size=2m tmpfs '{disk}'"],
        ["mk", state, ["cluster", "create", "--clock", "manual"]],
        ["content", state],
        ["fill", str(disk / "filler")],
        ["mk", state, ["apply", "-f", "-"], docs],
        ["mk", state, ["create", "namespace", "x"]],
        ["mk", state, ["get", "ns", "default", "-o", "name"]],
        ["content", state],
        ["sh", f"rm '{disk}/filler'"],
        ["mk", state, ["apply", "-f", "-"], docs],
        ["mk", state, ["cluster", "check"]],
    ])
    assert out[1][0] == 0, out[1]
    assert out[4] == [1, "", full]
    assert out[5] == [1, "", full]
    assert out[6] == [0, "namespace/default\n", ""]
    assert out[7] == out[2]  # nothing was written
    assert out[9][0] == 0 and out[9][1].count(" created\n") == 50, out[9]
    assert out[10] == [0, "ok: store integrity and cluster consistency checks passed\n", ""]


# --------------------------------------------------- the error mapping, unit level
def _sqlite_error(cls, message: str, code: int):
    e = cls(message)
    e.sqlite_errorcode = code
    return e


@pytest.mark.parametrize("cls, message, code, expected", [
    (sqlite3.OperationalError, "database is locked", 5, "error: the cluster is busy: another minikctl command is writing; try again"),
    (sqlite3.OperationalError, "database is locked", 517, "error: the cluster is busy: another minikctl command is writing; try again"),
    (sqlite3.OperationalError, "database table is locked", 6, "error: the cluster is busy: another minikctl command is writing; try again"),
    (sqlite3.OperationalError, "database or disk is full", 13, "error: cannot write the state store {p}: no space left on device"),
    (sqlite3.DatabaseError, "database disk image is malformed", 11,
     "error: the state store is damaged (database disk image is malformed); 'minikctl cluster check' lists what is wrong"),
    (sqlite3.DatabaseError, "file is not a database", 26,
     "error: the state store is damaged (file is not a database); 'minikctl cluster check' lists what is wrong"),
    (sqlite3.OperationalError, "no such table: nothing", 1, None),
])
def test_translate_error(tmp_path, cls, message, code, expected):
    from minikctl.store.db import translate_error

    p = tmp_path / "state.db"
    mapped = translate_error(_sqlite_error(cls, message, code), p)
    assert (mapped.render() if mapped else None) == (expected.format(p=p) if expected else None)


def test_translate_error_names_the_cause_of_an_io_error(tmp_path, monkeypatch):
    from minikctl.store import db

    p = tmp_path / "state.db"
    e = _sqlite_error(sqlite3.OperationalError, "disk I/O error", 778)  # SQLITE_IOERR_WRITE
    assert db.translate_error(e, p, writing=True).render() == f"error: cannot write the state store {p}: disk I/O error"
    assert db.translate_error(e, p).render() == f"error: cannot read the state store {p}: disk I/O error"

    class Full:
        f_bavail, f_frsize, f_flag = 3, 4096, 0

    monkeypatch.setattr(db.os, "statvfs", lambda path: Full())
    assert db.translate_error(e, p, writing=True).render() == f"error: cannot write the state store {p}: no space left on device"
    ro = _sqlite_error(sqlite3.OperationalError, "attempt to write a readonly database", 8)
    p.write_bytes(b"")
    assert db.translate_error(ro, p).render() == f"error: cannot write the state store {p}: the file is read-only"


def test_schema_5_store_keeps_its_managed_fields_beside_the_objects(mk, state):
    """state/0006: a store written before schema 6 held metadata.managedFields inside each
    object's body; opening it moves them to the `managed` column, and they read the same."""
    assert mk("cluster create --clock manual").code == 0
    assert mk("create deployment web --image=nginx").code == 0
    managers = mk("get deploy web -o jsonpath={.metadata.managedFields[*].manager}").out
    assert managers == "kube-controller-manager kubectl-create"
    full = json.loads(mk("get deploy web -o json --show-managed-fields").out)
    with sqlite3.connect(state) as db:  # as schema 5 kept them: inside the body
        db.execute("UPDATE objects SET body = json_set(body, '$.metadata.managedFields', json(managed)) "
                   "WHERE managed IS NOT NULL")
        db.execute("ALTER TABLE objects DROP COLUMN managed")
        db.execute("PRAGMA user_version=5")
    db.close()
    assert mk("get deploy web -o jsonpath={.metadata.managedFields[*].manager}").out == managers
    assert json.loads(mk("get deploy web -o json --show-managed-fields").out) == full
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT count(*) FROM objects WHERE body LIKE '%managedFields%'").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM objects WHERE managed IS NOT NULL").fetchone()[0] > 0
    db.close()


def test_schema_5_store_read_without_migrating_still_shows_managed_fields(mk, state):
    """lab checks open a student's store read-only, without migrating it (labs/store.py): a
    schema-5 store's bodies still hold their managedFields, and a reader that shows them (a
    jsonpath or --show-managed-fields command check) finds them there."""
    assert mk("cluster create --clock manual").code == 0
    assert mk("create deployment web --image=nginx").code == 0
    with sqlite3.connect(state) as db:
        db.execute("UPDATE objects SET body = json_set(body, '$.metadata.managedFields', json(managed)) "
                   "WHERE managed IS NOT NULL")
        db.execute("ALTER TABLE objects DROP COLUMN managed")
        db.execute("PRAGMA user_version=5")
    db.close()
    from minikctl.labs.store import open_readonly

    session = open_readonly(state)
    try:
        session.show_managed = True
        obj = session.api.get("deployments", "default", "web")
    finally:
        session.store.close()
    assert [e["manager"] for e in obj["metadata"]["managedFields"]] == ["kube-controller-manager", "kubectl-create"]
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 5  # not migrated
    db.close()
