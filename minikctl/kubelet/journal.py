"""What a simulated command writes, kept in memory until it has finished computing.

A command run in a container (``exec``, ``curl`` from a pod or from outside, the tools behind
``nslookup`` and ``dig``) may compute for a long time: a loop, a big grep, many requests
through services. It must not hold the store's write lock meanwhile, or every other command
that writes waits and then fails. So it runs over a ``Journal``:

- reads come from one read transaction (WAL: a consistent snapshot while others write);
- writes (the container's upper filesystem layer, log lines of the servers it talked to,
  cluster-level meta such as a session-affinity choice or a generated certificate) are
  recorded in the journal, which is also what the command reads back: the journal is an
  overlay over the snapshot (``echo x > /f; cat /f``, or a server in the same pod serving
  the file just written);
- afterwards ``commit`` applies them in one short write transaction.

A command takes no time on the cluster clock: it ran at its snapshot, and whatever other
commands did since happened after it. So the files a container wrote are dropped when that
container is gone or was restarted meanwhile (its upper layer went with it: deleted pod, new
containerID), log lines when their pod is gone (its logs went with it), and a meta value
when another command set that key meanwhile (its value stands).

The journal stands in for ``minikctl.store.db.Store`` (same read methods, delegated): the
code that runs the command does not know the difference. It reports ``in_write`` so that
code recording only inside a write transaction records here. Object writes (create,
update, delete, allocations) have no place in a command's run and are refused.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

# (pod uid, container): the key of a container's files and logs
Key = tuple[str, str]


class JournalWriteError(RuntimeError):
    """A simulated command tried to write an object: a bug in the code it ran."""


class Journal:
    in_write = True  # writes are recorded (here), not skipped as in a read-only caller

    def __init__(self, store):
        self.store = store
        self._files: dict[Key, dict[str, tuple | None]] = {}   # path -> row after the path, None = deleted
        self._wiped: set[Key] = set()
        self._logs: list[tuple] = []                             # (uid, container, instance, ts, line)
        self._meta: dict[str, str | None] = {}                   # None = deleted
        self._meta_base: dict[str, str | None] = {}              # the value in the snapshot
        self._owners: dict[Key, tuple | None] = {}              # the container instance in the snapshot

    def __getattr__(self, name: str):
        # every read of the store, as the store answers it in the snapshot
        return getattr(self.store, name)

    @property
    def empty(self) -> bool:
        return not (self._files or self._wiped or self._logs or self._meta)

    # ------------------------------------------------------------ container files
    def _own(self, key: Key) -> None:
        if key not in self._owners:
            self._owners[key] = _instance(self.store, *key)

    def container_files(self, pod_uid: str, container: str) -> list[tuple]:
        key = (pod_uid, container)
        changed = self._files.get(key)
        base = [] if key in self._wiped else self.store.container_files(pod_uid, container)
        if not changed:
            return base
        rows = {r[0]: r for r in base}
        for path, row in changed.items():
            if row is None:
                rows.pop(path, None)
            else:
                rows[path] = (path, *row)
        return [rows[p] for p in sorted(rows)]

    def container_file_put(self, pod_uid: str, container: str, path: str, *row) -> None:
        """Same arguments as Store.container_file_put: the row after the path (kind, data, mtime)."""
        self._own((pod_uid, container))
        self._files.setdefault((pod_uid, container), {})[path] = row

    def container_file_delete(self, pod_uid: str, container: str, path: str) -> None:
        self._own((pod_uid, container))
        self._files.setdefault((pod_uid, container), {})[path] = None

    def container_files_wipe(self, pod_uid: str, container: str | None = None) -> None:
        if container is None:
            raise JournalWriteError("a simulated command cannot remove a pod's containers")
        key = (pod_uid, container)
        self._own(key)
        self._wiped.add(key)
        self._files.pop(key, None)

    # ------------------------------------------------------------------- logs
    def container_log_append(self, pod_uid: str, container: str, instance: int, ts: float,
                             lines: list[str], keep: int = 5000) -> None:
        self._logs.extend((pod_uid, container, instance, ts, ln) for ln in lines)

    def container_log(self, pod_uid: str, container: str, instance: int,
                      tail: int | None = None) -> list[tuple[float, str]]:
        rows = self.store.container_log(pod_uid, container, instance)
        rows += [(ts, ln) for u, c, i, ts, ln in self._logs if (u, c, i) == (pod_uid, container, instance)]
        if tail is not None and tail >= 0:
            rows = rows[max(0, len(rows) - tail):] if tail else []
        return rows

    # ------------------------------------------------------------------- meta
    def meta_get(self, key: str, default: str | None = None) -> str | None:
        if key in self._meta:
            v = self._meta[key]
            return default if v is None else v
        return self.store.meta_get(key, default)

    def meta_set(self, key: str, value: str) -> None:
        if key not in self._meta_base:
            self._meta_base[key] = self.store.meta_get(key)
        self._meta[key] = value

    def meta_delete(self, key: str) -> None:
        if key not in self._meta_base:
            self._meta_base[key] = self.store.meta_get(key)
        self._meta[key] = None

    # -------------------------------------------------------- refused writes
    def _refuse(self, *args, **kwargs):
        raise JournalWriteError("a simulated command cannot write objects, allocations or probe state")

    put = delete = allocate = release = release_owner = next_rv = _refuse
    container_log_drop = probe_state_put = probe_state_delete = kubelet_gc = _refuse

    # ------------------------------------------------------------------ apply
    def apply(self, store) -> dict[str, int]:
        """Apply the recorded writes to `store`, inside its write transaction. Returns what
        was dropped because the store moved on: {"files": n, "logs": n, "meta": n}."""
        dropped = {"files": 0, "logs": 0, "meta": 0}
        now: dict[Key, tuple | None] = {}

        def current(key: Key):
            if key not in now:
                now[key] = _instance(store, *key)
            return now[key]

        def same_container(key: Key) -> bool:
            was = self._owners.get(key)
            return was is not None and current(key) == was

        for key in self._wiped:
            if same_container(key):
                store.container_files_wipe(*key)
        for key, changes in self._files.items():
            if not same_container(key):
                dropped["files"] += len(changes)
                continue
            for path, row in changes.items():
                if row is None:
                    store.container_file_delete(key[0], key[1], path)
                else:
                    store.container_file_put(key[0], key[1], path, *row)
        if self._logs:
            gone: dict[str, bool] = {}
            rows = []
            for row in self._logs:
                inst = current((row[0], row[1]))
                if inst is None and row[0] not in gone:
                    gone[row[0]] = _pod_gone(store, row[0])
                # the pod is gone (and its logs with it), or the kubelet no longer keeps that instance
                if (inst is None and gone[row[0]]) or (inst is not None and row[2] < inst[2] - 1):
                    dropped["logs"] += 1
                    continue
                rows.append(row)
            if rows:
                store.container_log_append_rows(rows)
        for k, v in self._meta.items():
            if store.meta_get(k) != self._meta_base.get(k):
                dropped["meta"] += 1  # another command set it meanwhile: its value stands
            elif v is None:
                store.meta_delete(k)
            else:
                store.meta_set(k, v)
        return dropped


def _instance(store, pod_uid: str, container: str) -> tuple | None:
    """(containerID, startedAt, restartCount) of a running container, or None (no such pod,
    or the container does not run)."""
    pod = store.get_by_uid(pod_uid)
    if container == "hostpath" and pod is not None and pod.get("kind") == "Node":
        return ("node",)  # a node's filesystem (hostPath volumes) lives as long as the node
    if container == "pv" and pod is not None and pod.get("kind") == "PersistentVolume":
        return ("pv",)    # a PersistentVolume's files live as long as the volume
    if pod is None or pod.get("kind") != "Pod":
        return None
    if container.startswith("vol:"):
        return ("pod",)   # an emptyDir lives as long as the pod
    from minikctl.kubelet.exec import container_status

    cs = container_status(pod, container) or {}
    running = (cs.get("state") or {}).get("running")
    if running is None:
        return None
    return cs.get("containerID"), running.get("startedAt"), int(cs.get("restartCount") or 0)


def _pod_gone(store, pod_uid: str) -> bool:
    pod = store.get_by_uid(pod_uid)
    return pod is None or pod.get("kind") != "Pod"


# ----------------------------------------------------------------- running
@contextmanager
def snapshot(session):
    """(api, journal) for a simulated command: the object API over a read transaction of the
    session's store and a journal of its writes. Commit the journal after the block."""
    from minikctl.api.clock import Clock
    from minikctl.api.server import API

    store = session.store
    with store.read():
        # what a concurrent command may have changed since the session opened (clock advance)
        raw = store.meta_get("cluster")
        config = json.loads(raw) if raw else session.config
        clock = Clock.from_meta(store.meta_get("clock"))
        journal = Journal(store)
        yield API(journal, clock, config), journal


def commit(session, journal: Journal) -> dict[str, int] | None:
    """Apply a journal in one short write transaction (none when it is empty)."""
    if journal.empty:
        return None
    with session.store.write():
        return journal.apply(session.store)
