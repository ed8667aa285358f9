"""The store's revision log (state/0005_revisions.sql): one row per object write while the log
is on (meta 'watch:log'), read by every watch: `minikctl serve`'s `?watch=1` streams
(apiserver/watch.py) and the CLI's `get -w` / `events -w` (cli/watching.py).

The log is turned on once per store (enable) and stays on: from then on every write
transaction also records the object as written (Store._log_revision) and compacts the log to
the kept history (MINIKCTL_WATCH_HISTORY) on commit. Readers never take the write lock: they
read the rows after their position through the (rv) primary key or the (resource, rv) index,
so a poll costs O(changes), never a scan of the log or of the objects.
"""

from __future__ import annotations

_COLS = "SELECT rv, resource, namespace, name, type, body FROM revisions "


def enabled(store) -> bool:
    return store.meta_get("watch:log") is not None


def enable(store) -> None:
    """Turn the revision log on for this store (once): history starts now, so a watch from an
    older resourceVersion is told it is gone. One meta read when it is already on."""
    if enabled(store):
        return
    with store.write():
        if store.meta_get("watch:log") is None:
            store.conn.execute("DELETE FROM revisions")
            store.meta_set("watch:compacted", store.meta_get("rv", "0") or "0")
            store.meta_set("watch:log", "1")


def head(store) -> int:
    """The newest logged resourceVersion (0 for an empty log)."""
    row = store.conn.execute("SELECT max(rv) FROM revisions").fetchone()
    return int(row[0] or 0)


def compacted(store) -> int:
    """Up to which resourceVersion the log was dropped (a watch from before it is gone)."""
    return int(store.meta_get("watch:compacted", "0") or 0)


def after(store, position: int, limit: int = 2000):
    """Revisions after `position`, oldest first: [(rv, resource, namespace, name, type, body)]."""
    return store.conn.execute(_COLS + "WHERE rv > ? ORDER BY rv LIMIT ?", (position, limit)).fetchall()


def of_resource(store, resource: str, position: int, upto: int | None = None, limit: int = -1):
    """One resource's revisions after `position` (up to `upto` when given), oldest first."""
    if upto is None:
        return store.conn.execute(_COLS + "WHERE resource=? AND rv > ? ORDER BY rv LIMIT ?",
                                  (resource, position, limit)).fetchall()
    return store.conn.execute(_COLS + "WHERE resource=? AND rv > ? AND rv <= ? ORDER BY rv LIMIT ?",
                              (resource, position, upto, limit)).fetchall()
