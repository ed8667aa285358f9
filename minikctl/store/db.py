"""The SQLite state store: one file per emulated cluster.

Only this module (and store/node_tables.py, the simulated nodes' tables it inherits) speaks
SQL. Objects are stored as their full Kubernetes JSON
with indexed side tables (labels, equality selectors, allocations), so that a
command never scans every object to find one.
"""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
from contextlib import contextmanager

from minikctl.api.errors import StoreBusy, StoreDamaged, StoreError, StoreReadOnly
from minikctl.store.node_tables import NodeTables

APPLICATION_ID = 0x6D6B6374  # "mkct": marks a file as a minikctl store
LOCK_TIMEOUT_S = 30.0  # how long a writer waits for another command's write lock (MINIKCTL_LOCK_TIMEOUT)
_SQLITE_MAGIC = b"SQLite format 3\x00"
CHECKED_SUFFIX = "-checked"  # side-car: the file's identity when minikctl last checked or wrote it


def lock_timeout() -> float:
    """Seconds a writer waits for the write lock: $MINIKCTL_LOCK_TIMEOUT, else 30."""
    raw = os.environ.get("MINIKCTL_LOCK_TIMEOUT", "").strip()
    if not raw:
        return LOCK_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:  # also refuses nan and inf
        raise StoreError(f'invalid MINIKCTL_LOCK_TIMEOUT "{raw}": expected a number of seconds '
                         "between 0 and 86400, e.g. 30 or 0.5")
    return value


WATCH_HISTORY = 100_000  # revisions a server's watch can resume from (MINIKCTL_WATCH_HISTORY)


def watch_history() -> int:
    """How many resourceVersions of history the revision log keeps (issue 14)."""
    raw = os.environ.get("MINIKCTL_WATCH_HISTORY", "").strip()
    try:
        return max(1, int(raw)) if raw else WATCH_HISTORY
    except ValueError:
        return WATCH_HISTORY


def default_path() -> Path:
    """$MINIKCTL_STATE, else the store of the context in use (--context, else the config file's
    current context: minikctl.store.contexts), else $XDG_DATA_HOME/minikctl/state.db
    (~/.local/share/minikctl/state.db)."""
    from pathlib import Path

    return Path(_default_path())


def _default_path() -> str:
    """default_path() as a string, without importing pathlib (see _clean_path)."""
    env = os.environ.get("MINIKCTL_STATE")
    if env:
        return _clean_path(env)
    from minikctl.store import contexts

    ctx_path = contexts.store_path()
    if ctx_path:
        return _clean_path(ctx_path)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return _clean_path(os.path.join(base, "minikctl", "state.db"))


def _clean_path(p) -> str:
    """str(Path(p)), the form every message prints, without importing pathlib on the way of every
    command (pathlib imports urllib.parse and ipaddress: about 3 ms of start-up). A path with
    nothing for Path to normalise (no empty or "." component, no trailing slash) is returned as
    it is; any other goes through pathlib."""
    p = os.fspath(p)
    if isinstance(p, str) and p and "//" not in p and not p.endswith("/") and "." not in p.split("/"):
        return p
    from pathlib import Path

    return str(Path(p))


class _Keep:
    __slots__ = ()

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # Store.put: the object's managedFields stay as stored
_NOT_READ = object()


def _migrations_dir() -> str:
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    packaged = os.path.join(here, "state")  # inside the wheel: minikctl/state/
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(here), "state")  # source checkout / editable install


def _migration_files() -> list[tuple[int, str]]:
    """(number, file name) of each migration, in file-name order (as sorted Path.glob gives them)."""
    out = []
    for name in sorted(n for n in os.listdir(_migrations_dir()) if n.endswith(".sql")):
        num = name.split("_", 1)[0]
        if num.isdigit():
            out.append((int(num), name))
    return out


def migrations() -> list[tuple[int, Path]]:
    from pathlib import Path

    d = Path(_migrations_dir())
    return [(n, d / name) for n, name in _migration_files()]


def schema_version() -> int:
    return max(n for n, _ in _migration_files())


class Store(NodeTables):
    """An open store. Use ``write()`` for every read-then-write sequence."""

    def __init__(self, path: Path | str, conn: sqlite3.Connection, created: bool):
        self._path = _clean_path(path)  # str(self._path), what every message prints
        self.conn = conn
        self.created = created
        self._in_write = False
        self._rv: int | None = None  # the resourceVersion counter while a write transaction runs
        # Objects read or written in this write transaction, as marshal bytes (a snapshot that
        # loads twice as fast as the JSON body): controllers re-read what they just wrote.
        self._cache: dict[tuple[str, str, str], bytes] = {}
        # peek(): one decoded object per cached body, shared by the readers that never change it
        self._shared: dict[tuple[str, str, str], tuple[bytes, dict]] = {}
        # Objects' managedFields (the `managed` column, JSON text or None) read or written in
        # this write transaction: the field manager reads an object's entries at each write.
        self._mcache: dict[tuple[str, str, str], str | None] = {}
        # Bumped by every write of a pod and at every transaction's end: a reader that keeps
        # a listing of pods within one write transaction knows it is still current.
        self.pod_gen = 0
        # Why this store cannot be written (read-only file, directory or file system), or None.
        self.readonly: str | None = None
        # The file's fingerprint as this process last verified or marked it (see _verify).
        self._checked: tuple | None = None
        # issue 14 (serve): whether this write transaction logs its object writes in `revisions`
        # (a server's watch reads them); read from meta 'watch:log' at each transaction's start.
        self._log = False

    @property
    def path(self) -> Path:
        """The store file, as a pathlib.Path (built on first use: see _clean_path)."""
        from pathlib import Path

        return Path(self._path)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = True) -> "Store":
        """Store._open_once, tried again while SQLite answers SQLITE_BUSY, within the lock timeout:
        while another connection turns a new file into a WAL database or recovers its WAL, SQLite
        answers BUSY at once, without its busy handler (tests/reliability/test_parallel.py: 20
        commands racing to first use a store)."""
        import time

        deadline = time.monotonic() + lock_timeout()
        while True:
            try:
                return cls._open_once(path, create=create)
            except StoreBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    @classmethod
    def _open_once(cls, path: Path | str | None = None, *, create: bool = True) -> "Store":
        # A path the user named (--state, $MINIKCTL_STATE) must be in a directory that exists: a
        # typo there must not quietly start an empty cluster in new directories. Only the
        # default location's directories are created.
        explicit = bool(path) or bool(os.environ.get("MINIKCTL_STATE"))
        path = _clean_path(path) if path else _default_path()
        timeout = lock_timeout()
        exists = os.path.exists(path)
        if not exists and not create:
            raise StoreError(f"no minikctl store at {path}")
        if exists:
            _check_header(path)
        else:
            from pathlib import Path  # creating a store: not a hot path

            parent = Path(path).parent
            if explicit and not parent.is_dir():
                why = f"{parent} is not a directory" if parent.exists() else \
                    f"directory {parent} does not exist"
                raise StoreError(f"cannot create state file {path}: {why}")
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create state directory {parent}: {_strerror(e)}") from None
            try:  # readable by its owner only from the first byte (sqlite would use 0644 & umask)
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass  # another command created it meanwhile
            except OSError as e:
                raise StoreError(f"cannot create state file {path}: {_strerror(e)}") from None
        try:
            conn = _connect(path, timeout)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open state file {path}: {e}") from None
        readonly = None
        try:
            try:
                app_id, version, has_tables = _identify(conn)
            except sqlite3.OperationalError as e:
                # WAL mode needs to create PATH-wal and PATH-shm beside the file: in a directory
                # that is not writable, SQLite cannot open the store at all. With no -wal file
                # there is nothing but the file itself to read, and nobody can be writing it:
                # open it read-only and immutable, so that reads still work.
                readonly = _unwritable_dir(path) if exists else None
                if readonly is None or _error_code(e) != 14 or os.path.exists(f"{path}-wal"):  # SQLITE_CANTOPEN
                    raise
                conn.close()
                from pathlib import Path

                conn = _connect(Path(path).absolute().as_uri() + "?mode=ro&immutable=1", timeout, uri=True)
                app_id, version, has_tables = _identify(conn)
            if app_id != APPLICATION_ID:
                if app_id != 0 or has_tables:
                    raise StoreError(f"{path} is not a minikctl store (a SQLite database of something else); "
                                     "refusing to touch it")
                # An empty SQLite file (just created by us or by another command, or by another
                # tool and left empty): initialise it. _initialise re-checks under the write lock.
                exists = False
            elif version > schema_version():
                raise StoreError(f"{path} was written by a newer minikctl (store schema {version}, "
                                 f"this version knows up to {schema_version()}); upgrade minikctl to use it")
            store = cls(path, conn, created=not exists)
            store.readonly = readonly or (None if os.access(path, os.W_OK) else _readonly_reason(path))
            if not exists:
                store._initialise()
            else:
                store._migrate(version)
            conn.execute("PRAGMA synchronous=NORMAL")
            _OPEN_HERE[str(path)] = _OPEN_HERE.get(str(path), 0) + 1
            return store
        except sqlite3.Error as e:
            conn.close()
            mapped = translate_error(e, path)
            if mapped is not None and not isinstance(mapped, StoreDamaged):
                raise mapped from None
            raise StoreError(f"{path} is not a usable minikctl store: {e}") from None
        except BaseException:
            conn.close()
            raise

    def _initialise(self) -> None:
        if self.readonly:
            raise StoreReadOnly(f"cannot write the state store {self._path}: {self.readonly}")
        try:
            os.chmod(self._path, 0o600)
        except OSError:
            pass
        self.conn.execute("PRAGMA journal_mode=WAL")
        with self.write():
            # Another process may have initialised it while we waited for the lock.
            if self.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                self.created = False
                return
            for _, p in migrations():
                for stmt in _split_sql(p.read_text()):
                    self.conn.execute(stmt)
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version={schema_version()}")
            self.conn.execute("INSERT INTO meta(key, value) VALUES ('rv', '0')")

    def _migrate(self, version: int) -> None:
        if all(n <= version for n, _ in _migration_files()):
            return  # the usual case, without building Paths
        pending = [(n, p) for n, p in migrations() if n > version]
        with self.write():
            current = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for n, p in pending:
                if n <= current:
                    continue
                for stmt in _split_sql(p.read_text()):
                    _run_migration(self.conn, stmt)
            self.conn.execute(f"PRAGMA user_version={schema_version()}")

    def close(self) -> None:
        # The last connection to close checkpoints the WAL into the file: carry the mark over.
        self._carry_mark(self.conn.close)
        key = str(self._path)
        if _OPEN_HERE.get(key):
            _OPEN_HERE[key] -= 1

    # ------------------------------------------------------------ transactions
    @contextmanager
    def write(self):
        """One write transaction (BEGIN IMMEDIATE): parallel commands queue, never interleave.

        A writer waits up to lock_timeout() seconds for another command's transaction, then
        fails with StoreBusy. Before its first write a process makes sure that the file is
        intact (_verify): a damaged store is never written to."""
        if self._in_write:
            yield self
            return
        if self.readonly:
            raise StoreReadOnly(f"cannot write the state store {self._path}: {self.readonly}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise (translate_error(e, self._path, writing=True) or e) from None
        self._in_write = True
        try:
            if self._checked is None:
                self._verify()
            self._log = self._watch_logged()
            yield self
            if self._rv is not None:
                self.conn.execute("UPDATE meta SET value=? WHERE key='rv'", (str(self._rv),))
                if self._log:
                    self._compact_revisions()
            self._in_write = False
            self._carry_mark(lambda: self.conn.execute("COMMIT"))  # may checkpoint the WAL
        except BaseException as e:
            self._in_write = False
            self._rv = None
            self._cache.clear()
            self._shared.clear()
            self._mcache.clear()
            self.pod_gen += 1
            if self.conn.in_transaction:  # SQLite rolls back by itself after some errors (disk full)
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the first error is the one to report
            if isinstance(e, sqlite3.Error):
                mapped = translate_error(e, self._path, writing=True)
                if mapped is not None:
                    raise mapped from None
            raise
        else:
            self._rv = None
            self._cache.clear()
            self._shared.clear()
            self._mcache.clear()
            self.pod_gen += 1

    def _watch_logged(self) -> bool:
        try:
            return self.conn.execute("SELECT 1 FROM meta WHERE key='watch:log'").fetchone() is not None
        except sqlite3.OperationalError:  # a store being initialised: no meta table yet
            return False

    def _compact_revisions(self) -> None:
        """Drop the revisions older than the kept history (issue 14: the watch's log)."""
        keep = watch_history()
        cur = self.conn.execute("DELETE FROM revisions WHERE rv <= ?", (self._rv - keep,))
        if cur.rowcount:
            self.meta_set("watch:compacted", str(self._rv - keep))

    def _log_revision(self, rv: int, resource: str, namespace: str, name: str, type_: str, body: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO revisions(rv, resource, namespace, name, type, body) "
                          "VALUES (?,?,?,?,?,?)", (rv, resource, namespace, name, type_, body))

    # -------------------------------------------------------- damage detection
    # A damaged file (pages overwritten by something else than SQLite) must never be written:
    # SQLite itself notices only the pages a statement reads, and a write on a damaged tree
    # spreads the damage. PRAGMA integrity_check reads the whole file (about 0.3 s for a 110 MB
    # store of 50,000 objects), too slow for every command. So minikctl keeps, beside the
    # store, the identity (device, inode, size, mtime, ctime) the file had when it was last
    # checked or written by minikctl (PATH-checked). A writer runs the full check only when
    # the file is not as minikctl left it: first use of an existing file, a file changed by
    # another program, or a command that was killed before it could record the change.
    def _verify(self) -> None:
        current = _fingerprint(self._path)
        if current is not None and current == _read_mark(self._path):
            self._checked = current
            return
        try:
            rows = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        except sqlite3.Error as e:  # a page too damaged to read at all, or the disk failing
            mapped = translate_error(e, self._path)
            raise (mapped if mapped is not None else StoreDamaged(str(e))) from None
        findings = [ln.strip() for r in rows for ln in r.splitlines() if ln.strip() and not ln.startswith("***")]
        if findings != ["ok"]:
            more = f"; {len(findings) - 1} more finding(s)" if len(findings) > 1 else ""
            raise StoreDamaged(f"integrity check: {findings[0] if findings else 'failed'}{more}")
        self._checked = _mark(self._path, current) if current is not None and current == _fingerprint(self._path) \
            else ()

    def _carry_mark(self, step) -> None:
        """Run `step` (a commit or close: it may checkpoint the WAL into the file); when the file
        was as minikctl left it before, record what the step made of it."""
        before = _fingerprint(self._path)
        trusted = before is not None and (before == self._checked or before == _read_mark(self._path))
        step()
        if trusted:
            after = _fingerprint(self._path)
            if after is not None and after != before:
                self._checked = _mark(self._path, after)
            else:
                self._checked = before

    @contextmanager
    def read(self):
        """One read transaction: a consistent snapshot while other commands write (WAL)."""
        if self._in_write:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            self.conn.execute("ROLLBACK")

    @property
    def in_write(self) -> bool:
        return self._in_write

    # -------------------------------------------------------------------- meta
    def meta_get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def meta_set(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                          (key, value))

    def meta_delete(self, key: str) -> None:
        self.conn.execute("DELETE FROM meta WHERE key=?", (key,))

    def next_rv(self) -> int:
        """The next resourceVersion. Inside a write transaction the counter is kept in memory
        and stored once at commit (one statement per transaction, not one per write)."""
        if not self._in_write:  # a write of its own (checked like any other), or inside a read
            sql = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='rv' RETURNING value"
            if self.conn.in_transaction:
                return int(self.conn.execute(sql).fetchone()[0])
            with self.write():
                row = self.conn.execute(sql).fetchone()
            return int(row[0])
        if self._rv is None:
            self._rv = int(self.meta_get("rv", "0"))
        self._rv += 1
        return self._rv

    # ----------------------------------------------------------------- objects
    _CACHE_MAX = 16384  # about 25 MB of the most recent objects

    def managed(self, resource: str, namespace: str, name: str) -> str | None:
        """The object's metadata.managedFields as stored beside it (state/0006): JSON text, or
        None when it has none or is not stored."""
        key = (resource, namespace, name)
        if self._in_write:
            text = self._mcache.get(key, _NOT_READ)
            if text is not _NOT_READ:
                return text
        try:
            row = self.conn.execute("SELECT managed FROM objects WHERE resource=? AND namespace=? AND name=?",
                                    (resource, namespace, name)).fetchone()
        except sqlite3.OperationalError:  # a schema-5 store read without migrating (lab checks,
            return None  # read-only): its bodies still hold their managedFields
        text = row[0] if row else None
        if self._in_write:
            if len(self._mcache) >= self._CACHE_MAX:
                self._mcache.clear()
            self._mcache[key] = text
        return text

    def with_managed(self, resource: str, obj: dict | None) -> dict | None:
        """`obj` (as get or list returned it: the caller's own copy) with its managedFields in
        metadata, for the readers that show them (minikctl serve, --show-managed-fields)."""
        if obj is None:
            return None
        meta = obj.get("metadata") or {}
        text = self.managed(resource, meta.get("namespace", ""), meta.get("name", ""))
        if text:
            meta["managedFields"] = json.loads(text)
        return obj

    def get(self, resource: str, namespace: str, name: str) -> dict | None:
        if self._in_write:
            hit = self._cache.get((resource, namespace, name))
            if hit is not None:
                return marshal.loads(hit)
        row = self.conn.execute("SELECT body FROM objects WHERE resource=? AND namespace=? AND name=?",
                                (resource, namespace, name)).fetchone()
        if not row:
            return None
        obj = json.loads(row[0])
        if self._in_write:
            self._remember((resource, namespace, name), obj)
        return obj

    def peek(self, resource: str, namespace: str, name: str) -> dict | None:
        """The object as stored, one decoded copy shared by every caller until the object is
        written again: for readers that never change it nor keep it (a watch hook deciding
        which controllers a pod change concerns reads the same pod as the next hook)."""
        key = (resource, namespace, name)
        if self._in_write:
            hit = self._cache.get(key)
            if hit is not None:
                shared = self._shared.get(key)
                if shared is not None and shared[0] is hit:
                    return shared[1]
                obj = marshal.loads(hit)
                if len(self._shared) >= 32:  # the hooks of one change run together: keep a few only
                    self._shared.clear()
                self._shared[key] = (hit, obj)
                return obj
        return self.get(resource, namespace, name)

    def _decode(self, resource: str, rows) -> list[dict]:
        """Objects from (namespace, name, body) rows, from the transaction's cache when there."""
        if not self._in_write:
            return [json.loads(body) for _, _, body in rows]
        out = []
        cache, loads = self._cache, marshal.loads
        for ns, name, body in rows:
            hit = cache.get((resource, ns, name))
            if hit is not None:
                out.append(loads(hit))
            else:
                obj = json.loads(body)
                self._remember((resource, ns, name), obj)
                out.append(obj)
        return out

    def _remember(self, key: tuple[str, str, str], obj: dict) -> None:
        if len(self._cache) >= self._CACHE_MAX:
            self._cache.clear()
            self._shared.clear()
            self._mcache.clear()
        try:
            self._cache[key] = marshal.dumps(obj)
        except ValueError:  # pragma: no cover - bodies are JSON data
            self._cache.pop(key, None)

    def get_by_uid(self, uid: str) -> dict | None:
        row = self.conn.execute("SELECT body FROM objects WHERE uid=?", (uid,)).fetchone()
        return json.loads(row[0]) if row else None

    def exists(self, resource: str, namespace: str, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM objects WHERE resource=? AND namespace=? AND name=?",
                                 (resource, namespace, name)).fetchone() is not None

    def list(self, resource: str, namespace: str | None = None, labels: list[tuple[str, str]] | None = None,
             label_keys: list[str] | None = None, owner_uid: str | None = None, node: str | None = None,
             names: list[str] | None = None) -> list[dict]:
        """Objects of one resource, narrowed by indexed equality filters; ordered by namespace, name."""
        drive = None
        if labels and owner_uid is None and node is None and not names:
            drive = self._driving_label(resource, namespace, labels)
            if drive is False:
                return []
        # SQLite has no statistics to tell that an owner, a node or a label is rarer than a
        # resource in a namespace: each listing names the index it should start from.
        if drive:
            # Start from the label index (a few rows) instead of every object of the resource.
            sql = ["SELECT o.namespace, o.name, o.body FROM labels d CROSS JOIN objects o ON o.id = d.obj_id "
                   "WHERE d.key=? AND d.value=? AND o.resource=?"]
            args: list = [drive[0], drive[1], resource]
            labels = [kv for kv in labels if kv != drive]
        elif owner_uid is not None:  # objects_owner; "+" keeps the planner off (resource, namespace)
            sql = ["SELECT o.namespace, o.name, o.body FROM objects o WHERE +o.resource=?"]
            args = [resource]
        elif node is not None:
            sql = ["SELECT o.namespace, o.name, o.body FROM objects o INDEXED BY objects_node WHERE o.resource=?"]
            args = [resource]
        else:
            sql = ["SELECT o.namespace, o.name, o.body FROM objects o WHERE o.resource=?"]
            args = [resource]
        if namespace is not None:
            sql.append("AND +o.namespace=?" if owner_uid is not None else "AND o.namespace=?")
            args.append(namespace)
        if owner_uid is not None:
            sql.append("AND o.owner_uid=?")
            args.append(owner_uid)
        if node is not None:
            sql.append("AND o.node=?")
            args.append(node)
        if names:
            sql.append(f"AND o.name IN ({','.join('?' * len(names))})")
            args.extend(names)
        for k, v in labels or ():
            sql.append("AND EXISTS (SELECT 1 FROM labels l WHERE l.obj_id=o.id AND l.key=? AND l.value=?)")
            args += [k, v]
        for k in label_keys or ():
            sql.append("AND EXISTS (SELECT 1 FROM labels l WHERE l.obj_id=o.id AND l.key=?)")
            args.append(k)
        sql.append("ORDER BY o.namespace, o.name")
        return self._decode(resource, self.conn.execute(" ".join(sql), args))

    def any_labeled(self, resource: str, namespace: str, labels: list[tuple[str, str]]) -> bool:
        """Whether some object of `resource` in `namespace` has all these label=value pairs
        (list(...) would say non-empty), without reading any body."""
        (k0, v0), rest = labels[0], labels[1:]
        sql = ["SELECT 1 FROM labels d CROSS JOIN objects o ON o.id = d.obj_id "
               "WHERE d.key=? AND d.value=? AND o.resource=? AND o.namespace=?"]
        args: list = [k0, v0, resource, namespace]
        for k, v in rest:
            sql.append("AND EXISTS (SELECT 1 FROM labels l WHERE l.obj_id=o.id AND l.key=? AND l.value=?)")
            args += [k, v]
        sql.append("LIMIT 1")
        return self.conn.execute(" ".join(sql), args).fetchone() is not None

    _PROBE = 64

    def _driving_label(self, resource: str, namespace: str | None, labels: list[tuple[str, str]]):
        """The label=value pair to start a listing from, or None to scan the resource (in its
        namespace), or False when some pair is on no object at all. SQLite's planner cannot
        tell a rare label (kubernetes.io/service-name=web) from a common one (managed-by=...)
        nor from the size of the resource, so count each, up to a small bound, via the indexes."""
        probe = self._PROBE
        best = None
        for k, v in labels:
            n = self.conn.execute("SELECT count(*) FROM (SELECT 1 FROM labels WHERE key=? AND value=? LIMIT ?)",
                                  (k, v, probe)).fetchone()[0]
            if n == 0:
                return False
            if best is None or n < best[0]:
                best = (n, (k, v))
        if best[0] >= probe:  # every pair is common: is the resource itself small?
            if namespace is None:
                q = ("SELECT count(*) FROM (SELECT 1 FROM objects WHERE resource=? LIMIT ?)", (resource, probe))
            else:
                q = ("SELECT count(*) FROM (SELECT 1 FROM objects WHERE resource=? AND namespace=? LIMIT ?)",
                     (resource, namespace, probe))
            if self.conn.execute(*q).fetchone()[0] < probe:
                return None
        return best[1]

    def names(self, resource: str, namespace: str | None) -> list[str]:
        if namespace is None:
            q = self.conn.execute("SELECT name FROM objects WHERE resource=? ORDER BY name", (resource,))
        else:
            q = self.conn.execute("SELECT name FROM objects WHERE resource=? AND namespace=? ORDER BY name",
                                  (resource, namespace))
        return [r[0] for r in q]

    def count(self, resource: str, namespace: str | None = None) -> int:
        if namespace is None:
            return self.conn.execute("SELECT count(*) FROM objects WHERE resource=?", (resource,)).fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM objects WHERE resource=? AND namespace=?",
                                 (resource, namespace)).fetchone()[0]

    def matching_selectors(self, resource: str, namespace: str, labels: dict[str, str]) -> list[dict]:
        """Objects of `resource` whose equality selector (all terms) is satisfied by `labels`."""
        if not labels:
            return []
        pairs = list(labels.items())
        values = ",".join("(?,?)" for _ in pairs)
        flat = [x for kv in pairs for x in kv]
        sql = (f"WITH hits(obj_id, n) AS (SELECT s.obj_id, count(*) FROM selectors s "
               f"JOIN (VALUES {values}) AS p ON s.key = p.column1 AND s.value = p.column2 GROUP BY s.obj_id) "
               "SELECT o.namespace, o.name, o.body FROM hits CROSS JOIN objects o ON o.id = hits.obj_id "
               "WHERE o.resource=? AND o.namespace=? AND o.sel_size = hits.n ORDER BY o.name")
        # SQLite names a VALUES table's columns column1, column2
        return self._decode(resource, self.conn.execute(sql, flat + [resource, namespace]))

    def put(self, resource: str, namespace: str, name: str, obj: dict, *, owner_uid: str | None = None,
            node: str | None = None, selector: dict[str, str] | None = None, exists: bool | None = None,
            reindex: bool = True, managed=KEEP) -> None:
        """Insert or replace an object and its index rows. A caller that knows whether the object
        is stored (`exists`), and that its labels and selector did not change (reindex=False),
        saves the statements that would find that out. `managed`: its managedFields as JSON text
        (None: none); KEEP leaves those stored as they are (none for a new object), unless obj
        carries metadata.managedFields, which are then stored beside it."""
        meta = obj["metadata"]
        if "managedFields" in meta:  # never in the body (state/0006)
            given = meta.get("managedFields")
            if managed is KEEP:
                managed = json.dumps(given, separators=(",", ":"), ensure_ascii=False) if given else None
            meta = {k: v for k, v in meta.items() if k != "managedFields"}
            obj = {**obj, "metadata": meta}
        if resource == "pods":
            self.pod_gen += 1
        body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
        sel_size = len(selector) if selector else 0
        execute = self.conn.execute
        key = (resource, namespace, name)
        if self._in_write:
            if resource == "events":  # written far more often than read again: not kept (the
                self._cache.pop(key, None)  # 60,000 events of figure 5 would push the pods out)
            else:
                self._remember(key, obj)
        if exists is None:
            row = execute("SELECT id FROM objects WHERE resource=? AND namespace=? AND name=?",
                          (resource, namespace, name)).fetchone()
            exists, reindex = row is not None, True
        if managed is KEEP and not exists:
            managed = None
        if self._in_write and managed is not KEEP:
            self._mcache[key] = managed
        if self._log and self._in_write:
            shown = self.managed(resource, namespace, name) if managed is KEEP else managed
            self._log_revision(int(meta["resourceVersion"]), resource, namespace, name,
                               "MODIFIED" if exists else "ADDED", _with_managed_text(obj, body, shown))
        if exists:
            if managed is KEEP:
                row = execute("UPDATE objects SET uid=?, rv=?, owner_uid=?, node=?, sel_size=?, body=? "
                              "WHERE resource=? AND namespace=? AND name=? RETURNING id",
                              (meta["uid"], int(meta["resourceVersion"]), owner_uid, node, sel_size, body,
                               resource, namespace, name)).fetchone()
            else:
                row = execute("UPDATE objects SET uid=?, rv=?, owner_uid=?, node=?, sel_size=?, body=?, managed=? "
                              "WHERE resource=? AND namespace=? AND name=? RETURNING id",
                              (meta["uid"], int(meta["resourceVersion"]), owner_uid, node, sel_size, body, managed,
                               resource, namespace, name)).fetchone()
            oid = row[0]
            if not reindex:
                return
            execute("DELETE FROM labels WHERE obj_id=?", (oid,))
            execute("DELETE FROM selectors WHERE obj_id=?", (oid,))
        else:
            oid = execute(
                "INSERT INTO objects(resource, namespace, name, uid, rv, owner_uid, node, sel_size, body, managed) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (resource, namespace, name, meta["uid"], int(meta["resourceVersion"]), owner_uid, node, sel_size, body,
                 managed),
            ).lastrowid
        labels = meta.get("labels")
        if labels:
            self.conn.executemany("INSERT INTO labels(obj_id, key, value) VALUES (?,?,?)",
                                  [(oid, k, str(v)) for k, v in labels.items()])
        if selector:
            self.conn.executemany("INSERT INTO selectors(obj_id, key, value) VALUES (?,?,?)",
                                  [(oid, k, str(v)) for k, v in selector.items()])

    def delete(self, resource: str, namespace: str, name: str) -> None:
        self._cache.pop((resource, namespace, name), None)
        self._mcache.pop((resource, namespace, name), None)
        if resource == "pods":
            self.pod_gen += 1
        logging = self._log and self._in_write
        row = self.conn.execute(f"SELECT id{', body, managed' if logging else ''} FROM objects "
                                "WHERE resource=? AND namespace=? AND name=?", (resource, namespace, name)).fetchone()
        if not row:
            return
        oid = row[0]
        if logging:  # the DELETED event: the object as it was, at the deletion's resourceVersion
            rv = self.next_rv()
            obj = json.loads(row[1])
            obj["metadata"]["resourceVersion"] = str(rv)
            self._log_revision(rv, resource, namespace, name, "DELETED", _with_managed_text(obj, None, row[2]))
        self.conn.execute("DELETE FROM labels WHERE obj_id=?", (oid,))
        self.conn.execute("DELETE FROM selectors WHERE obj_id=?", (oid,))
        self.conn.execute("DELETE FROM objects WHERE id=?", (oid,))

    def owned_by(self, owner_uid: str, resource: str | None = None) -> list[dict]:
        if resource:
            q = self.conn.execute("SELECT body FROM objects WHERE owner_uid=? AND resource=? ORDER BY name",
                                  (owner_uid, resource))
        else:
            q = self.conn.execute("SELECT body FROM objects WHERE owner_uid=? ORDER BY resource, name", (owner_uid,))
        return [json.loads(r[0]) for r in q]

    # ------------------------------------------------------------- allocations
    def allocated(self, pool: str, value: int) -> str | None:
        row = self.conn.execute("SELECT owner FROM allocations WHERE pool=? AND value=?", (pool, value)).fetchone()
        return row[0] if row else None

    def allocate(self, pool: str, value: int, owner: str) -> bool:
        cur = self.conn.execute("INSERT OR IGNORE INTO allocations(pool, value, owner) VALUES (?,?,?)",
                                (pool, value, owner))
        return cur.rowcount == 1

    def first_free(self, pool: str, start: int, end: int) -> int | None:
        """The first value in [start, end] not allocated in `pool`, walking the index (no full scan of the range)."""
        v = start
        for (taken,) in self.conn.execute(
                "SELECT value FROM allocations WHERE pool=? AND value>=? AND value<=? ORDER BY value", (pool, start, end)):
            if taken != v:
                return v
            v += 1
        return v if v <= end else None

    def pool_count(self, pool: str) -> int:
        return self.conn.execute("SELECT count(*) FROM allocations WHERE pool=?", (pool,)).fetchone()[0]

    def release(self, pool: str, value: int) -> None:
        self.conn.execute("DELETE FROM allocations WHERE pool=? AND value=?", (pool, value))

    def release_owner(self, owner: str, pool_prefix: str | None = None) -> None:
        if pool_prefix:
            self.conn.execute("DELETE FROM allocations WHERE owner=? AND pool LIKE ?", (owner, pool_prefix + "%"))
        else:
            self.conn.execute("DELETE FROM allocations WHERE owner=?", (owner,))

    def allocations_of(self, owner: str) -> list[tuple[str, int]]:
        return list(self.conn.execute("SELECT pool, value FROM allocations WHERE owner=? ORDER BY pool, value", (owner,)))

    def all_allocations(self) -> list[tuple[str, int, str]]:
        return list(self.conn.execute("SELECT pool, value, owner FROM allocations ORDER BY pool, value"))

    def integrity_check(self) -> str:
        """"ok", or SQLite's findings, one per line."""
        rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        return "\n".join(line for r in rows for line in str(r).splitlines() if line.strip())

    def dangling_owners(self) -> list[tuple[str, str, str, str]]:
        """(resource, namespace, name, owner uid) of objects (events aside) whose controller
        owner is not in the store."""
        return list(self.conn.execute(
            "SELECT o.resource, o.namespace, o.name, o.owner_uid FROM objects o "
            "WHERE o.owner_uid IS NOT NULL AND o.resource != 'events' "
            "AND NOT EXISTS (SELECT 1 FROM objects p WHERE p.uid = o.owner_uid) ORDER BY 1, 2, 3"))

    def owned_keys(self, owner_uid: str) -> list[tuple[str, str, str]]:
        """(resource, namespace, name) of the objects an owner controls (garbage collection)."""
        return list(self.conn.execute("SELECT resource, namespace, name FROM objects WHERE owner_uid=? "
                                      "ORDER BY resource, name", (owner_uid,)))

    def iter_owned(self, owner_uid: str, resource: str):
        """The objects a controller owns, by name, decoded one at a time: a controller of
        thousands of pods never holds them all. Do not write to the store while iterating."""
        cur = self.conn.execute("SELECT body FROM objects WHERE owner_uid=? AND +resource=? ORDER BY name",
                                (owner_uid, resource))
        loads = json.loads
        while True:
            rows = cur.fetchmany(256)
            if not rows:
                return
            for (body,) in rows:
                yield loads(body)

    def orphan_names(self, resource: str, namespace: str) -> list[tuple[str, str]]:
        """(namespace, name) of the objects of a namespace without a controller owner."""
        return list(self.conn.execute("SELECT namespace, name FROM objects WHERE resource=? AND namespace=? "
                                      "AND owner_uid IS NULL ORDER BY name", (resource, namespace)))

    def count_objects(self, resource: str) -> int:
        """How many objects of a resource the store holds (the emulator's pod capacity)."""
        return self.conn.execute("SELECT count(*) FROM objects WHERE resource=?", (resource,)).fetchone()[0]


def _connect(target: str, timeout: float, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri)
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return conn


def _identify(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(application_id, user_version, number of schema entries), read in ONE statement: one
    snapshot, so that a store another command is initialising right now (one transaction
    that creates the tables and sets the application id) is seen either before or after."""
    return conn.execute("SELECT (SELECT application_id FROM pragma_application_id), "
                        "(SELECT user_version FROM pragma_user_version), "
                        "(SELECT count(*) FROM sqlite_master)").fetchone()


# ------------------------------------------------------------------ the mark
def _fingerprint(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read_mark(path: Path) -> tuple | None:
    try:
        with open(f"{path}{CHECKED_SUFFIX}", "rb") as f:
            words = f.read(200).split()
    except OSError:
        return None
    if len(words) != 7 or words[0] != b"minikctl-checked" or words[1] != b"1":
        return None
    try:
        return tuple(int(w) for w in words[2:])
    except ValueError:
        return None


def _mark(path: Path, fp: tuple) -> tuple:
    """Record that the file, as it is now (`fp`), is intact. Its mtime is first moved by one
    nanosecond, a value no later write can give it (file systems stamp writes with a clock
    tick, and a write in the same tick as ours would otherwise leave mtime unchanged).
    Returns the fingerprint recorded, or () when none could be (then the next writer checks)."""
    try:
        st = os.stat(path)
        if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) != fp:
            return ()  # changed meanwhile: leave the check to the next writer
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
        now = _fingerprint(path)
        if now is None or now[3] != st.st_mtime_ns + 1 or now[:3] != fp[:3]:
            return ()  # a file system with coarse timestamps: always check
        fd = os.open(f"{path}{CHECKED_SUFFIX}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, ("minikctl-checked 1 " + " ".join(str(v) for v in now) + "\n").encode())
        finally:
            os.close(fd)
        return now
    except OSError:
        return ()


# ------------------------------------------------------------ error mapping
def _error_code(e: BaseException) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _strerror(e: OSError) -> str:
    """An OS error as Go words it (syscall.Errno.Error(): lower case), e.g. "permission denied"."""
    text = e.strerror or str(e)
    return text[:1].lower() + text[1:]


def _fs_cause(directory: Path) -> str:
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "permission denied"


def _unwritable_dir(path: Path | str) -> str | None:
    from pathlib import Path  # an error path: pathlib is not imported on every command

    path = Path(path)
    directory = path.absolute().parent
    if os.access(directory, os.W_OK):
        return None
    return (f"its directory {directory} is not writable ({_fs_cause(directory)}), "
            f"and SQLite needs to create {path.name}-wal and {path.name}-shm there")


def _readonly_reason(path: Path) -> str:
    """Why SQLite could open the file for reading only."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as e:
        return f"the file is read-only ({_strerror(e)})"
    return _unwritable_dir(path) or "the file is read-only"


def _space_cause(path: Path | str) -> str | None:
    from pathlib import Path

    try:
        st = os.statvfs(Path(path).absolute().parent)
        if st.f_bavail * st.f_frsize < 1 << 20:
            return "no space left on device"
    except OSError:
        pass
    import resource

    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if soft != resource.RLIM_INFINITY:
        return f"file too large (the file size limit, ulimit -f, is {soft} bytes)"
    return None


def translate_error(e: BaseException, path: Path | str, *, writing: bool = False) -> StoreError | None:
    """The one-line error a user sees for a SQLite error, naming its real cause; None for an
    error that is not about the store file (a bug: reported as an internal error)."""
    from pathlib import Path

    code, msg = _error_code(e), str(e)
    path = Path(path)
    if code in (5, 6) or msg.startswith(("database is locked", "database is busy", "database table is locked")):
        return StoreBusy()  # SQLITE_BUSY, SQLITE_LOCKED: the lock timeout ran out
    if code == 8 or "readonly database" in msg:  # SQLITE_READONLY
        reason = _readonly_reason(path) if os.path.exists(path) else msg
        return StoreReadOnly(f"cannot write the state store {path}: {reason}")
    if code == 13 or msg.startswith("database or disk is full"):  # SQLITE_FULL
        return StoreError(f"cannot write the state store {path}: {_space_cause(path) or 'no space left on device'}")
    if code == 10 or msg.startswith("disk I/O error"):  # SQLITE_IOERR
        return StoreError(f"cannot {'write' if writing else 'read'} the state store {path}: "
                          f"{_space_cause(path) or 'disk I/O error'}")
    if code in (11, 26) or msg in ("database disk image is malformed", "file is not a database"):
        return StoreDamaged(msg)  # SQLITE_CORRUPT, SQLITE_NOTADB
    if code == 14 or msg.startswith("unable to open database file"):  # SQLITE_CANTOPEN
        reason = _unwritable_dir(path)
        if reason:
            return StoreReadOnly(f"cannot open the state store {path}: {reason}")
        return StoreError(f"cannot open the state store {path}: {msg}")
    if type(e).__name__ == "DatabaseError":  # SQLite's other complaints about the file's content
        return StoreDamaged(msg)
    return None


_OPEN_HERE: dict[str, int] = {}  # path -> connections this process has open on it


def _check_header(path: Path) -> None:
    # Once per process and path: closing any descriptor of the file drops every POSIX lock this
    # process holds on it, the SHARED lock of an open WAL connection included; `minikctl serve`
    # opens more connections while one is open (a command in a container runs on its own), and a
    # CLI command closing the last connection it knows of would then checkpoint and delete the
    # WAL under them (SQLITE_IOERR_SHORT_READ).
    if _OPEN_HERE.get(str(path)):
        return  # checked when the first of them was opened
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except IsADirectoryError:
        raise StoreError(f"{path} is a directory, not a minikctl store") from None
    except OSError as e:
        raise StoreError(f"cannot read state file {path}: {_strerror(e)}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a minikctl store (not a SQLite database); refusing to touch it")


def _with_managed_text(obj: dict, body: str | None, managed: str | None) -> str:
    """The object's JSON with its managedFields (JSON text or None) in metadata, as a watch
    event carries it; `body` is obj's JSON when already encoded."""
    if not managed:
        return body if body is not None else json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    full = {**obj, "metadata": {**obj["metadata"], "managedFields": json.loads(managed)}}
    return json.dumps(full, separators=(",", ":"), ensure_ascii=False)


def _run_migration(conn, stmt: str) -> None:
    """One statement of a migration. Each may meet what it makes already made (a store whose
    schema version was set back, as tests do), as CREATE ... IF NOT EXISTS allows: an ALTER TABLE
    ADD COLUMN whose column is there is skipped."""
    try:
        conn.execute(stmt)
    except sqlite3.OperationalError as e:
        if not (stmt.lstrip().upper().startswith("ALTER TABLE") and "duplicate column name" in str(e)):
            raise


def _split_sql(text: str) -> list[str]:
    """Split a migration file into statements (no semicolons inside our string literals)."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
