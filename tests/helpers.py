"""Test helpers that look inside a store (with sqlite-utils), never through minikctl's own code."""

from __future__ import annotations

import hashlib
import os


def store_snapshot(path: str) -> tuple:
    """The store's content: every object body, allocation and meta row (not file bytes: WAL checkpoints move those),
    as every command sees it: what an earlier `apply -f` left to the controllers is run first (converge_pending)."""
    import sqlite_utils

    converge_pending(path)
    db = sqlite_utils.Database(path)
    try:
        objects = sorted((r["resource"], r["namespace"], r["name"], r["body"]) for r in db["objects"].rows)
        allocs = sorted((r["pool"], r["value"], r["owner"]) for r in db["allocations"].rows)
        meta = sorted((r["key"], r["value"]) for r in db["meta"].rows)
        return objects, allocs, meta
    finally:
        db.close()


def converge_pending(path: str) -> None:
    """Run the controllers' work a command left pending (`apply -f` and `create -f` return once the objects
    are stored: minikctl/api/cluster.py PENDING_META), as the next command that opens the store would."""
    import sqlite3

    if not os.path.exists(path):
        return
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        pending = con.execute("SELECT 1 FROM meta WHERE key='controllers:pending'").fetchone()
    except sqlite3.Error:
        pending = None  # not a store (yet): nothing to converge
    finally:
        con.close()
    if pending:
        from minikctl.api.cluster import Session

        Session.open(path).close()


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    for suffix in ("", "-wal", "-shm"):
        p = path + suffix
        if os.path.exists(p):
            with open(p, "rb") as f:
                h.update(suffix.encode() + f.read())
    return h.hexdigest()
