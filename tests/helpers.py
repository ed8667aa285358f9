"""Test helpers that look inside a store (with sqlite-utils), never through minikctl's own code."""

from __future__ import annotations

import hashlib
import os


def store_snapshot(path: str) -> tuple:
    """The store's content: every object body, allocation and meta row (not file bytes: WAL checkpoints move those)."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    try:
        objects = sorted((r["resource"], r["namespace"], r["name"], r["body"]) for r in db["objects"].rows)
        allocs = sorted((r["pool"], r["value"], r["owner"]) for r in db["allocations"].rows)
        meta = sorted((r["key"], r["value"]) for r in db["meta"].rows)
        return objects, allocs, meta
    finally:
        db.close()


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    for suffix in ("", "-wal", "-shm"):
        p = path + suffix
        if os.path.exists(p):
            with open(p, "rb") as f:
                h.update(suffix.encode() + f.read())
    return h.hexdigest()
