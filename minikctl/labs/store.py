"""A lab's store: read-only opening for checks, the lab's record in the store, and the copy made
at `lab start` that `lab reset` goes back to (SQLite's online backup API:
sqlite3.Connection.backup, consistent while other commands run)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from minikctl.api.errors import StoreError, UsageError

LAB_META = "lab"  # {"name", "title", "file"}: which lab a store was started for
HINTS_META = "lab:hints"  # {task name: hints shown}
START_SUFFIX = "-lab-start"  # beside the store: the copy made at lab start


def open_readonly(path: str):
    """A Session over the store opened read-only (SQLite URI mode=ro): nothing it does can write
    the file. Foreign files and stores of a newer minikctl are refused as Store.open refuses them."""
    from minikctl.api.cluster import Session
    from minikctl.store import db

    p = Path(path)
    if not p.exists():
        raise StoreError(f"no minikctl store at {p}")
    db._check_header(p)
    _converge_pending(p)
    # With no PATH-wal, every change is in the file itself and no command is writing: open it
    # immutable, so that not even SQLite's -shm index is created. Otherwise read the WAL too
    # (a reader marks its snapshot in PATH-shm; neither the file nor the WAL is written).
    query = "?mode=ro" if os.path.exists(f"{p}-wal") else "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(p.absolute().as_uri() + query, uri=True, timeout=db.lock_timeout(),
                               isolation_level=None, check_same_thread=False)
        app_id, version, has_tables = db._identify(conn)
    except sqlite3.Error as e:
        raise StoreError(f"cannot open state file {p}: {e}") from None
    if app_id != db.APPLICATION_ID:
        conn.close()
        raise StoreError(f"{p} is not a minikctl store" + (" (an empty file)" if not has_tables else "")
                         + "; refusing to touch it")
    if version > db.schema_version():
        conn.close()
        raise StoreError(f"{p} was written by a newer minikctl (store schema {version}, "
                         f"this version knows up to {db.schema_version()}); upgrade minikctl to use it")
    store = db.Store(p, conn, created=False)
    store.readonly = "lab checks open the store read-only"
    return Session(store)


def _converge_pending(p: Path) -> None:
    """A command that returned before its controllers ran (`apply -f`: api/cluster.py PENDING_META)
    left the store to converge: the check sees the cluster as it is once they ran, as any other
    command would (the controllers write, not the check). One read when nothing is pending."""
    from minikctl.api.cluster import PENDING_META, Session

    try:
        query = "?mode=ro" if os.path.exists(f"{p}-wal") else "?mode=ro&immutable=1"  # as open_readonly
        conn = sqlite3.connect(p.absolute().as_uri() + query, uri=True)
        try:
            pending = conn.execute("SELECT 1 FROM meta WHERE key=?", (PENDING_META,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # not a store (refused below), or one being written: read as it is
    if pending and os.access(p, os.W_OK):
        try:
            Session.open(str(p)).close()
        except Exception:  # noqa: BLE001 - a store that cannot converge now is checked as it is
            pass


def lab_record(session) -> dict | None:
    raw = session.store.meta_get(LAB_META)
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def read_record(path: str) -> dict | None:
    session = open_readonly(path)
    try:
        return lab_record(session)
    finally:
        session.close()


def read_meta_json(path: str, key: str) -> dict:
    session = open_readonly(path)
    try:
        raw = session.store.meta_get(key)
    finally:
        session.close()
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        value = {}
    return value if isinstance(value, dict) else {}


def write_meta(path: str, values: dict[str, str]) -> None:
    from minikctl.store.db import Store

    store = Store.open(path, create=False)
    try:
        with store.write():
            for k, v in values.items():
                store.meta_set(k, v)
    finally:
        store.close()


def start_copy_path(path: str) -> str:
    return str(path) + START_SUFFIX


def backup(src_path: str, dst_path: str) -> None:
    """Copy a store with SQLite's online backup API (a consistent snapshot, WAL pages included)."""
    tmp = f"{dst_path}.tmp.{os.getpid()}"
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(tmp + suffix)
        except FileNotFoundError:
            pass
    query = "?mode=ro" if os.path.exists(f"{src_path}-wal") else "?mode=ro&immutable=1"
    src = sqlite3.connect(Path(src_path).absolute().as_uri() + query, uri=True)
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, dst_path)


def restore(copy_path: str, store_path: str) -> None:
    """Put the copy made at start back into the store, through the backup API (under SQLite's
    locks: a command running meanwhile sees the store before or after, never half of it)."""
    if not os.path.exists(copy_path):
        raise UsageError(f"no copy of the lab's start at {copy_path}: start the lab again with `minikctl lab start`")
    src = sqlite3.connect(Path(copy_path).absolute().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(store_path, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()
    from minikctl.store.db import CHECKED_SUFFIX

    try:  # the file changed under minikctl's mark: the next write checks it once
        os.remove(store_path + CHECKED_SUFFIX)
    except FileNotFoundError:
        pass


def remove_store(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-checked", START_SUFFIX):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
