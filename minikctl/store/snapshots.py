"""Named snapshots of a store (``minikctl cluster snapshot save|restore|list|delete NAME``).

A snapshot is a complete copy of the store made with SQLite's online backup API
(sqlite3.Connection.backup), which copies a consistent state of the file while other
commands keep reading and writing it (WAL: a writer does not wait for the copy, the copy
sees the store as of one transaction). Snapshots are kept beside the store, in the
directory ``STORE.snapshots/`` (``state.db`` -> ``state.db.snapshots/NAME.db``), so that
each cluster (each context's store) has its own. Restoring copies a snapshot back over the
live store with the same API, as one write: a command running meanwhile sees the store
before or after, never half of it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from minikctl.api.errors import UsageError
from minikctl.store.db import APPLICATION_ID, _connect, _identify, lock_timeout, schema_version

SUFFIX = ".snapshots"
CREATED_KEY = "snapshot:created"  # the cluster clock's time at save (RFC 3339), in the copy's meta
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,252}")


def directory(store_path: Path | str) -> Path:
    return Path(f"{store_path}{SUFFIX}")


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise UsageError(f'invalid snapshot name "{name}": use letters, digits, ".", "_" and "-", '
                         "starting with a letter or digit")
    return name


def path_of(store_path, name: str) -> Path:
    return directory(store_path) / f"{check_name(name)}.db"


def save(store, name: str, created: str) -> Path:
    """Copy the live store (a minikctl.store.db.Store) to snapshot NAME; refuses an existing NAME."""
    dest = path_of(store.path, name)
    if dest.exists():
        raise UsageError(f'snapshot "{name}" already exists; delete it first: '
                         f"minikctl cluster snapshot delete {name}")
    try:
        dest.parent.mkdir(mode=0o700, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create snapshot directory {dest.parent}: {e.strerror}") from None
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
        out = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            store.conn.backup(out)  # pages=-1: the whole file in one step, one consistent read
            out.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside it
            out.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (CREATED_KEY, created))
        finally:
            out.close()
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as e:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise UsageError(f"cannot save snapshot {name}: {getattr(e, 'strerror', None) or e}") from None
    return dest


def restore(store, name: str) -> None:
    """Copy snapshot NAME over the live store, in one write (the backup API takes the
    destination's write lock, waiting as long as any other writer would)."""
    src_path = path_of(store.path, name)
    if not src_path.exists():
        raise UsageError(f'snapshot "{name}" not found (see minikctl cluster snapshot list)')
    src = _connect(src_path.absolute().as_uri() + "?mode=ro", lock_timeout(), uri=True)
    try:
        app_id, version, _ = _identify(src)
        if app_id != APPLICATION_ID:
            raise UsageError(f"{src_path} is not a minikctl snapshot; refusing to restore it")
        if version > schema_version():
            raise UsageError(f"snapshot {name} was written by a newer minikctl (store schema {version})")
        store._carry_mark(lambda: src.backup(store.conn))
        store.conn.execute("DELETE FROM meta WHERE key=?", (CREATED_KEY,))
        store._cache.clear()
    except sqlite3.Error as e:
        from minikctl.store.db import translate_error

        raise (translate_error(e, store.path, writing=True) or UsageError(f"cannot restore {name}: {e}")) from None
    finally:
        src.close()


def delete(store_path, name: str) -> None:
    p = path_of(store_path, name)
    try:
        os.remove(p)
    except FileNotFoundError:
        raise UsageError(f'snapshot "{name}" not found (see minikctl cluster snapshot list)') from None


def entries(store_path) -> list[tuple[str, str, int]]:
    """(name, created, size in bytes) of every snapshot, by name."""
    d = directory(store_path)
    try:
        files = sorted(f for f in os.listdir(d) if f.endswith(".db") and not f.startswith("."))
    except FileNotFoundError:
        return []
    out = []
    for f in files:
        p = d / f
        created = ""
        try:
            conn = sqlite3.connect(p.absolute().as_uri() + "?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT value FROM meta WHERE key=?", (CREATED_KEY,)).fetchone()
                created = row[0] if row else ""
            finally:
                conn.close()
            size = p.stat().st_size
        except (OSError, sqlite3.Error):
            size = 0
        out.append((f[:-3], created or "<unknown>", size))
    return out


def human_size(n: int) -> str:
    """Sizes as `ls -lh` prints them (1024-based, one decimal under 10): 4.0K, 312K, 1.5M."""
    if n < 1024:
        return str(n)
    for unit in "KMGTP":
        n /= 1024
        if n < 1024 or unit == "P":
            break
    import math

    return f"{math.ceil(n * 10) / 10:.1f}{unit}" if n < 10 else f"{math.ceil(n):d}{unit}"
