"""A container's filesystem: the image's files, the kubelet-managed files, and what exec wrote.

Like a real container it is layered: a read-only lower layer built from the image
catalog (files, directories, executables) plus the files the kubelet mounts
(/etc/hosts, /etc/resolv.conf, /etc/hostname, the service account), and a writable
upper layer kept in the store (table container_files, one row per changed path:
file, executable file, directory, opaque directory, or a whiteout hiding a lower path).
The upper layer belongs to one container instance: ``wipe`` forgets it when the
container restarts. Nothing here touches the host's filesystem.
"""

from __future__ import annotations

import os
import posixpath

# The image build time used as the mtime of image files (Tue, 26 Nov 2024 15:55:00 GMT).
IMAGE_MTIME = 1732636500.0
ELF = "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00"

# The most a container's writable layer holds (the bytes of the files written by exec, kept in
# the store): past it a write fails with ENOSPC, as a full disk (or an ephemeral-storage limit).
# MINIKCTL_SHELL_STORAGE overrides it (for tests).
STORAGE_LIMIT = 64 * 1024 * 1024

# upper-layer kinds (column container_files.kind)
FILE, EXEC, DIR, OPAQUE, WHITEOUT = "f", "e", "d", "o", "x"
LINK = "l"  # a symlink (in a volume the atomic writer wrote): data is its target


def _storage_limit() -> int:
    v = os.environ.get("MINIKCTL_SHELL_STORAGE", "")
    return int(v) if v.isdigit() else STORAGE_LIMIT


def nbytes(text: str) -> int:
    """The size of file contents in bytes. Contents are text; a byte that is not UTF-8 is kept as
    the surrogate U+DC80..U+DCFF (Python's surrogateescape), so every byte string round-trips."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))


def to_store(data: str | None):
    """Contents as the store keeps them: TEXT, or a BLOB of the raw bytes when they are not UTF-8."""
    if data is None or data.isascii():
        return data
    try:
        data.encode("utf-8")
        return data
    except UnicodeEncodeError:
        return data.encode("utf-8", "surrogateescape")


def from_store(data):
    return data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data


class FsError(Exception):
    """errno-style failure: name is ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EACCES, EROFS, EINVAL."""

    def __init__(self, name: str, path: str):
        super().__init__(f"{name}: {path}")
        self.name = name
        self.path = path


class Node:
    __slots__ = ("kind", "data", "mtime", "program", "size", "mode", "owner", "special")

    def __init__(self, kind: str, data: str | None = None, mtime: float = IMAGE_MTIME, program: str | None = None,
                 mode: int | None = None, owner: str | None = None, special: str | None = None):
        self.kind = kind          # FILE | EXEC | DIR | LINK
        self.data = data
        self.mtime = mtime
        self.program = program    # for image executables: the program name
        self.size = nbytes(data or "") if kind != DIR else 4096
        self.mode = mode          # permission bits when not the default of the kind (volume files)
        self.owner = owner        # "root" for files the kubelet wrote
        self.special = special    # "s" socket, "c" character device (a node's filesystem)

    @property
    def is_link(self) -> bool:
        return self.kind == LINK

    @property
    def is_dir(self) -> bool:
        return self.kind == DIR

    @property
    def executable(self) -> bool:
        return self.kind == EXEC


MESSAGES = {
    "ENOENT": "No such file or directory",
    "EEXIST": "File exists",
    "ENOTDIR": "Not a directory",
    "EISDIR": "Is a directory",
    "ENOTEMPTY": "Directory not empty",
    "EACCES": "Permission denied",
    "EROFS": "Read-only file system",
    "EINVAL": "Invalid argument",
    "EBUSY": "Device or resource busy",
    "ENOSPC": "No space left on device",
}


# The lower layer each image object makes (its directories, programs and files), built once per
# process: a command starting a thousand containers of one image builds it once. Its Nodes are
# never changed (writes go to the upper layer); each container copies the dict.
_IMAGE_LAYERS: dict[int, tuple[object, dict]] = {}


class ContainerFS:
    def __init__(self, store, pod: dict, container: str, image, managed: dict[str, str], now, mounts=()):
        """`managed`: kubelet-mounted files {path: contents}; `now`: () -> cluster timestamp;
        `mounts`: the container's volumes (Mount, minikctl.kubelet.volumes.container_mounts)."""
        self.store = store
        self.pod_uid = pod["metadata"]["uid"]
        self.container = container
        self.image = image
        self.now = now
        self.links = {k.rstrip("/") or "/": v.rstrip("/") or "/" for k, v in image.links.items()}
        self.uid = image.user["uid"]
        self.home = image.user["home"]
        cached = _IMAGE_LAYERS.get(id(image))
        if cached is not None and cached[0] is image:
            self.lower = dict(cached[1])  # the image's layer is the same for every container of it
        else:
            self.lower: dict[str, Node] = {"/": Node(DIR)}
            for d in image.dirs:
                self._lower_dir(d)
            for path, prog in image.executables().items():
                self._lower_file(self._canon(path), Node(EXEC, ELF, program=prog))
            for path, data in image.files.items():
                kind = EXEC if data.startswith("#!") else FILE
                self._lower_file(self._canon(path), Node(kind, data))
            for d in (self.home, image.workdir, "/tmp", "/etc", "/var", "/dev", "/proc", "/sys"):
                self._lower_dir(d)
            _IMAGE_LAYERS[id(image)] = (image, dict(self.lower))
        for path, data in managed.items():
            self._lower_file(path, Node(FILE, data, mtime=now()))
        for link in self.links:
            self.lower.pop(link, None)
        # the mount points the runtime creates in the rootfs; longest path first for routing
        self.mounts = sorted(mounts, key=lambda m: -len(m.path))
        for m in self.mounts:
            m.path = self._canon(m.path)
            target = m.fs.node(m.base)
            if target is not None and not target.is_dir:
                self._lower_file(m.path, Node(FILE, ""))
            else:
                self._lower_dir(m.path)
        self._upper: dict[str, tuple[str, str | None, float]] | None = None
        self._used = 0  # characters of file contents in the upper layer
        self.storage_limit = _storage_limit()

    # ------------------------------------------------------------ lower layer
    def _lower_dir(self, path: str) -> None:
        path = self._canon(path)
        while path not in self.lower:
            self.lower[path] = Node(DIR)
            path = posixpath.dirname(path)

    def _lower_file(self, path: str, node: Node) -> None:
        self._lower_dir(posixpath.dirname(path))
        self.lower[path] = node

    # ------------------------------------------------------------ upper layer
    @property
    def upper(self) -> dict[str, tuple[str, str | None, float]]:
        if self._upper is None:
            self._upper = {p: (k, from_store(d), m)
                           for p, k, d, m in self.store.container_files(self.pod_uid, self.container)}
            self._used = sum(len(d) for _, d, _ in self._upper.values() if d)
        return self._upper

    def _put(self, path: str, kind: str, data: str | None) -> None:
        m = self.now()
        up = self.upper
        old = up.get(path)
        used = self._used + len(data or "") - len((old[1] if old else None) or "")
        if used > self.storage_limit and len(data or "") > len((old[1] if old else None) or ""):
            raise FsError("ENOSPC", path)
        self._used = used
        stored = to_store(data)
        if isinstance(stored, bytes):
            data = from_store(stored)  # raw bytes written apart (\303 then \251) are one character again
        up[path] = (kind, data, m)
        self.store.container_file_put(self.pod_uid, self.container, path, kind, stored, m)

    def _drop(self, path: str) -> None:
        old = self.upper.pop(path, None)
        if old is not None and old[1]:
            self._used -= len(old[1])
        self.store.container_file_delete(self.pod_uid, self.container, path)

    def wipe(self) -> None:
        self._upper = {}
        self._used = 0
        self.store.container_files_wipe(self.pod_uid, self.container)

    # ------------------------------------------------------------------ paths
    def _canon(self, path: str) -> str:
        """Normalise an absolute path and follow directory symlinks (/bin -> /usr/bin)."""
        p = posixpath.normpath(path)
        if p.startswith("//"):
            p = "/" + p.lstrip("/")
        links = getattr(self, "links", None)
        if not links:
            return p
        for _ in range(8):
            for link, target in links.items():
                if p == link or p.startswith(link + "/"):
                    p = target + p[len(link):]
                    break
            else:
                break
        return p

    def abspath(self, path: str, cwd: str = "/") -> str:
        if not path.startswith("/"):
            path = posixpath.join(cwd or "/", path)
        return self._canon(path)

    # ----------------------------------------------------------------- lookup
    def _hidden_by_upper(self, path: str) -> bool:
        """A lower path is hidden when an ancestor was deleted, replaced by a file, or made opaque."""
        up = self.upper
        if not up:
            return False
        p = posixpath.dirname(path)
        while True:
            e = up.get(p)
            if e is not None and e[0] in (WHITEOUT, FILE, EXEC, OPAQUE):
                return True
            if p == "/":
                return False
            p = posixpath.dirname(p)

    # ------------------------------------------------------------------ mounts
    def _route(self, p: str):
        """(mount, path inside its filesystem) for a canonical path under a mount, else None."""
        for m in self.mounts:
            if p == m.path or p.startswith(m.path + "/"):
                rest = p[len(m.path):]
                return m, (posixpath.normpath(m.base.rstrip("/") + rest) if rest else m.base)
        return None

    def _in_mount(self, r, shown: str, op: str, *args, write: bool = False, **kw):
        m, rel = r
        if write and m.ro:
            raise FsError("EROFS", shown)
        try:
            return getattr(m.fs, op)(rel, *args, cwd="/", **kw)
        except FsError as e:
            raise FsError(e.name, shown) from None

    def lnode(self, path: str) -> Node | None:
        """The node at a canonical path without following a symlink in its last component (lstat)."""
        r = self._route(path) if self.mounts else None
        if r is not None:
            return r[0].fs.lnode(r[1])
        return self.node(path)

    def node(self, path: str) -> Node | None:
        """The effective node at an absolute canonical path, or None."""
        if self.mounts:
            r = self._route(path)
            if r is not None:
                return r[0].fs.node(r[1])
        e = self.upper.get(path)
        if e is not None:
            kind, data, mtime = e
            if kind == WHITEOUT:
                return None
            if self._hidden_by_upper(path):
                return None
            return Node(DIR if kind in (DIR, OPAQUE) else kind, data, mtime)
        n = self.lower.get(path)
        if n is None or self._hidden_by_upper(path):
            return None
        return n

    def stat(self, path: str, cwd: str = "/") -> Node | None:
        return self.node(self.abspath(path, cwd))

    def exists(self, path: str, cwd: str = "/") -> bool:
        return self.stat(path, cwd) is not None

    def is_dir(self, path: str, cwd: str = "/") -> bool:
        n = self.stat(path, cwd)
        return n is not None and n.is_dir

    def listdir(self, path: str, cwd: str = "/") -> list[str]:
        p = self.abspath(path, cwd)
        r = self._route(p) if self.mounts else None
        if r is not None:
            return self._in_mount(r, path, "listdir")
        n = self.node(p)
        if n is None:
            raise FsError("ENOENT", path)
        if not n.is_dir:
            raise FsError("ENOTDIR", path)
        names: set[str] = set()
        prefix = p.rstrip("/") + "/"
        opaque = self.upper.get(p, ("",))[0] == OPAQUE
        if not opaque:
            for q in self.lower:
                if q.startswith(prefix) and "/" not in q[len(prefix):] and q != p:
                    names.add(q[len(prefix):])
        for q, (kind, _, _) in self.upper.items():
            if q.startswith(prefix) and "/" not in q[len(prefix):] and q != p:
                if kind == WHITEOUT:
                    names.discard(q[len(prefix):])
                else:
                    names.add(q[len(prefix):])
        if p == "/":
            names.update(link.lstrip("/") for link in self.links if posixpath.dirname(link) == "/")
        return sorted(n for n in names if self.node(posixpath.join(p, n)) is not None or
                      posixpath.join(p, n) in self.links)

    def walk(self, path: str) -> list[str]:
        """Every effective path at or below `path` (canonical), parents first."""
        out = [path]
        n = self.node(path)
        if n is not None and n.is_dir:
            for name in self.listdir(path):
                out.extend(self.walk(posixpath.join(path, name)))
        return out

    # ----------------------------------------------------------------- reads
    def read(self, path: str, cwd: str = "/") -> str:
        p = self.abspath(path, cwd)
        if p == "/dev/null":
            return ""
        r = self._route(p) if self.mounts else None
        if r is not None:
            return self._in_mount(r, path, "read")
        n = self.node(p)
        if n is None:
            self._check_parents(p, path)
            raise FsError("ENOENT", path)
        if n.is_dir:
            raise FsError("EISDIR", path)
        return n.data or ""

    def _check_parents(self, p: str, shown: str) -> None:
        parent = posixpath.dirname(p)
        while parent != "/":
            n = self.node(parent)
            if n is not None and not n.is_dir:
                raise FsError("ENOTDIR", shown)
            parent = posixpath.dirname(parent)

    # ---------------------------------------------------------------- writes
    def _writable(self, p: str, shown: str) -> None:
        if p == "/proc" or p.startswith("/proc/") or p == "/sys" or p.startswith("/sys/"):
            raise FsError("EROFS" if p.startswith("/sys") else "EACCES", shown)
        if self.uid != 0:
            home = self.home.rstrip("/")
            ok = any(p == d or p.startswith(d + "/") for d in ("/tmp", "/var/tmp", home))
            if not ok and p not in self.upper:
                parent = posixpath.dirname(p)
                if parent not in self.upper or self.upper[parent][0] not in (DIR, OPAQUE):
                    raise FsError("EACCES", shown)

    def _parent_dir(self, p: str, shown: str) -> None:
        parent = posixpath.dirname(p)
        n = self.node(parent)
        if n is None:
            self._check_parents(parent, shown)
            raise FsError("ENOENT", shown)
        if not n.is_dir:
            raise FsError("ENOTDIR", shown)

    def write(self, path: str, data: str, cwd: str = "/", append: bool = False) -> None:
        p = self.abspath(path, cwd)
        if p == "/dev/null":
            return
        if p in ("/dev/stdout", "/dev/stderr", "/proc/1/fd/1", "/proc/1/fd/2"):
            return
        r = self._route(p) if self.mounts else None
        if r is not None:
            return self._in_mount(r, path, "write", data, append=append, write=True)
        n = self.node(p)
        if n is not None and n.is_dir:
            raise FsError("EISDIR", path)
        self._parent_dir(p, path)
        self._writable(p, path)
        kind = EXEC if (n is not None and n.executable) else FILE
        old = (n.data or "") if (n is not None and append) else ""
        if len(old) + len(data) > self.storage_limit:
            raise FsError("ENOSPC", path)
        self._put(p, kind, old + data)

    def touch(self, path: str, cwd: str = "/") -> None:
        p = self.abspath(path, cwd)
        if p == "/dev/null":
            return
        r = self._route(p) if self.mounts else None
        if r is not None:
            return self._in_mount(r, path, "touch", write=True)
        n = self.node(p)
        if n is not None:
            if n.is_dir:
                # update the directory's mtime only if it is already in the upper layer
                if p in self.upper:
                    self._put(p, self.upper[p][0], None)
                return
            self._writable(p, path)
            self._put(p, EXEC if n.executable else FILE, n.data or "")
            return
        self._parent_dir(p, path)
        self._writable(p, path)
        self._put(p, FILE, "")

    def chmod_exec(self, path: str, executable: bool, cwd: str = "/") -> None:
        p = self.abspath(path, cwd)
        r = self._route(p) if self.mounts else None
        if r is not None:
            return self._in_mount(r, path, "chmod_exec", executable, write=True)
        n = self.node(p)
        if n is None:
            raise FsError("ENOENT", path)
        if n.is_dir:
            return
        self._writable(p, path)
        self._put(p, EXEC if executable else FILE, n.data or "")

    def mkdir(self, path: str, cwd: str = "/", parents: bool = False) -> None:
        p = self.abspath(path, cwd)
        r = self._route(p) if self.mounts else None
        if r is not None:
            n = r[0].fs.node(r[1])
            if n is not None and n.is_dir and parents:
                return
            return self._in_mount(r, path, "mkdir", parents=parents, write=True)
        n = self.node(p)
        if n is not None:
            if parents and n.is_dir:
                return
            raise FsError("EEXIST", path)
        if parents:
            parent = posixpath.dirname(p)
            if parent != p and self.node(parent) is None:
                self.mkdir(parent, parents=True)
            elif self.node(parent) is not None and not self.node(parent).is_dir:
                raise FsError("ENOTDIR", path)
        self._parent_dir(p, path)
        self._writable(p, path)
        # a directory re-created where a lower one was deleted must not show the old contents
        kind = OPAQUE if (self.upper.get(p, ("",))[0] == WHITEOUT or
                          (p in self.lower and self.lower[p].is_dir)) else DIR
        self._put(p, kind, None)

    def remove(self, path: str, cwd: str = "/", recursive: bool = False, dir_ok: bool = False) -> None:
        """rm (recursive for -r), rmdir (dir_ok: remove an empty directory)."""
        p = self.abspath(path, cwd)
        r = self._route(p) if self.mounts else None
        if r is not None:
            m, rel = r
            if p == m.path:
                # a mount point: rm -r empties it, then cannot remove the directory itself
                if recursive and not m.ro and r[0].fs.node(rel) is not None and r[0].fs.node(rel).is_dir:
                    for name in m.fs.listdir(rel):
                        self._in_mount((m, posixpath.join(rel, name)), path, "remove", recursive=True, write=True)
                if m.ro and recursive:
                    raise FsError("EROFS", path)
                raise FsError("EBUSY", path)
            return self._in_mount(r, path, "remove", recursive=recursive, dir_ok=dir_ok, write=True)
        n = self.node(p)
        if n is None:
            self._check_parents(p, path)
            raise FsError("ENOENT", path)
        if p == "/":
            raise FsError("EBUSY", path)
        if p in ("/proc", "/sys", "/dev") or p.startswith(("/proc/", "/sys/")):
            raise FsError("EBUSY" if p in ("/proc", "/sys", "/dev") else "EACCES", path)
        if n.is_dir:
            children = self.listdir(p)
            if not recursive:
                if not dir_ok:
                    raise FsError("EISDIR", path)
                if children:
                    raise FsError("ENOTEMPTY", path)
            self._writable(p, path)
            for q in list(self.upper):
                if q.startswith(p.rstrip("/") + "/"):
                    self._drop(q)
        else:
            self._writable(p, path)
        if p in self.lower:
            self._put(p, WHITEOUT, None)
        else:
            self._drop(p)

    def copy(self, src: str, dst: str, cwd: str = "/") -> None:
        data = self.read(src, cwd)
        d = self.abspath(dst, cwd)
        n = self.node(d)
        if n is not None and n.is_dir:
            d = posixpath.join(d, posixpath.basename(self.abspath(src, cwd)))
        self.write(d, data)

    # ------------------------------------------------------------ executables
    def find_executable(self, name: str, path_var: str, cwd: str = "/") -> str | None:
        """Resolve a command name the way execvp does: names with a slash as paths, others on $PATH."""
        if "/" in name:
            n = self.stat(name, cwd)
            return self.abspath(name, cwd) if n is not None and n.executable else None
        for d in path_var.split(":"):
            if not d:
                d = cwd
            p = self._canon(posixpath.join(d, name))
            n = self.node(p)
            if n is not None and n.executable:
                return posixpath.join(d, name)
        return None

    def program_of(self, path: str) -> str | None:
        n = self.node(self._canon(path))
        if n is None:
            return None
        return n.program


# ------------------------------------------------------------------- volumes
class Mount:
    """A volume mounted in a container: `fs` (StoreFS or DataFS) seen from `base` at `path`."""
    __slots__ = ("path", "fs", "base", "ro")

    def __init__(self, path: str, fs, base: str, ro: bool):
        self.path = path
        self.fs = fs
        self.base = base
        self.ro = ro


class StoreFS(ContainerFS):
    """A writable tree kept in the container_files rows of (owner uid, key) with no image: an
    emptyDir (the pod's uid, "vol:NAME") or a node's filesystem for hostPath (the node's uid,
    "hostpath")."""

    def __init__(self, store, owner: str, key: str, now, root_mode: int = 0o755, dirs=(),
                 mtime: float = IMAGE_MTIME):
        self.store = store
        self.pod_uid = owner
        self.container = key
        self.now = now
        self.links = {}
        self.uid = 0
        self.home = "/root"
        self.image = None
        self.mounts = []
        self.lower = {"/": Node(DIR, mtime=mtime, mode=root_mode, owner="root")}
        for d in dirs:
            self._lower_dir(d)
        self._upper = None
        self._used = 0
        self.storage_limit = _storage_limit()

    def add_lower_file(self, path: str, data: str, special: str | None = None) -> None:
        self._lower_file(path, Node(FILE, data, special=special, owner="root"))


class DataFS:
    """A read-only tree the atomic writer wrote (configMap, secret, downwardAPI, projected):
    {path: (kind, data, mode)} with symlinks (..data, key -> ..data/key)."""

    def __init__(self, tree: dict, mtime: float, tmpfs: bool = False):
        self.entries: dict[str, Node] = {}
        self.children: dict[str, list[str]] = {}
        for p, (kind, data, mode) in tree.items():
            k = {"d": DIR, "f": FILE, "l": LINK}[kind]
            n = Node(k, data, mtime, mode=mode, owner="root")
            self.entries[p] = n
            if p != "/":
                self.children.setdefault(posixpath.dirname(p), []).append(posixpath.basename(p))
        if tmpfs:
            # a tmpfs directory's size: 2 + one per entry, 20 bytes each (BOGO_DIRENT_SIZE, mm/shmem.c)
            for p, n in self.entries.items():
                if n.is_dir:
                    n.size = 40 + 20 * len(self.children.get(p, ()))

    def resolve(self, p: str, follow: bool = True) -> str | None:
        parts = [x for x in p.split("/") if x]
        cur, i, hops = "/", 0, 0
        while i < len(parts):
            name = parts[i]
            if name in (".", ".."):
                cur = posixpath.dirname(cur) if name == ".." else cur
                i += 1
                continue
            nxt = posixpath.join(cur, name)
            n = self.entries.get(nxt)
            if n is not None and n.kind == LINK and (follow or i < len(parts) - 1):
                hops += 1
                if hops > 40:
                    return None
                parts = [x for x in (n.data or "").split("/") if x] + parts[i + 1:]
                i = 0
                continue
            cur = nxt
            i += 1
        return cur

    def node(self, p: str, cwd: str = "/") -> Node | None:
        q = self.resolve(p)
        return self.entries.get(q) if q is not None else None

    def lnode(self, p: str, cwd: str = "/") -> Node | None:
        q = self.resolve(p, follow=False)
        return self.entries.get(q) if q is not None else None

    def listdir(self, p: str, cwd: str = "/") -> list[str]:
        q = self.resolve(p)
        n = self.entries.get(q) if q is not None else None
        if n is None:
            raise FsError("ENOENT", p)
        if not n.is_dir:
            raise FsError("ENOTDIR", p)
        return sorted(self.children.get(q, ()))

    def read(self, p: str, cwd: str = "/") -> str:
        n = self.node(p)
        if n is None:
            raise FsError("ENOENT", p)
        if n.is_dir:
            raise FsError("EISDIR", p)
        return n.data or ""

    def _rofs(self, p: str, *a, **kw):
        raise FsError("EROFS", p)

    write = touch = chmod_exec = mkdir = remove = _rofs


# ------------------------------------------------------------- kubelet files
def managed_files(api, pod: dict, container: dict) -> dict[str, str]:
    """The files the kubelet mounts into every container of the pod."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    hostname, domain = pod_hostname(api, pod)
    ip = status.get("podIP") or ""
    hosts = ["# Kubernetes-managed hosts file.", "127.0.0.1\tlocalhost",
             "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::0\tip6-localnet", "fe00::0\tip6-mcastprefix",
             "fe00::1\tip6-allnodes", "fe00::2\tip6-allrouters"]
    # pkg/kubelet/kubelet_pods.go managedHostsFileContent
    if ip:
        hosts.append(f"{ip}\t{hostname}.{domain}\t{hostname}" if domain else f"{ip}\t{hostname}")
    aliases = spec.get("hostAliases") or []
    if aliases:
        hosts.append("")
        hosts.append("# Entries added by HostAliases.")
        for a in aliases:
            hosts.append(f"{a.get('ip', '')}\t" + "\t".join(a.get("hostnames") or []))
    files = {"/etc/hosts": "\n".join(hosts) + "\n", "/etc/hostname": hostname + "\n",
             "/etc/resolv.conf": resolv_conf(api, pod)}
    # the kube-api-access volume is mounted with the pod's other volumes (minikctl.kubelet.volumes)
    return files


def pod_hostname(api, pod: dict) -> tuple[str, str]:
    """(hostname, domain) as the kubelet computes them (GeneratePodHostNameAndDomain)."""
    spec = pod.get("spec") or {}
    meta = pod["metadata"]
    hostname = spec.get("hostname") or meta["name"]
    hostname = hostname[:63].rstrip("-.")
    domain = ""
    if spec.get("subdomain"):
        domain = f"{spec['subdomain']}.{meta.get('namespace', 'default')}.svc.{api.config.get('clusterDomain', 'cluster.local')}"
    return hostname, domain


def resolv_conf(api, pod: dict) -> str:
    """/etc/resolv.conf for the pod's dnsPolicy and dnsConfig (pkg/kubelet/network/dns/dns.go)."""
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if spec.get("hostNetwork") and policy == "ClusterFirst":
        policy = "Default"
    domain = api.config.get("clusterDomain", "cluster.local")
    ns = pod["metadata"].get("namespace", "default")
    nameservers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        svc = api.try_get("services", "kube-system", "kube-dns")
        ip = ((svc or {}).get("spec") or {}).get("clusterIP") or "10.96.0.10"
        nameservers = [ip]
        searches = [f"{ns}.svc.{domain}", f"svc.{domain}", domain]
        options = ["ndots:5"]
    elif policy == "Default":
        net = api.config.get("nodeNetwork", "172.18.0.0/16").split("/")[0].rsplit(".", 2)[0]
        nameservers = [f"{net}.0.1"]
    cfg = spec.get("dnsConfig") or {}
    for n in cfg.get("nameservers") or ():
        if n not in nameservers:
            nameservers.append(n)
    for s in cfg.get("searches") or ():
        if s not in searches:
            searches.append(s)
    for o in cfg.get("options") or ():
        name = o.get("name", "")
        options = [x for x in options if x.split(":", 1)[0] != name]
        options.append(f"{name}:{o['value']}" if o.get("value") is not None else name)
    lines = []
    if searches:
        lines.append("search " + " ".join(searches))
    lines += [f"nameserver {n}" for n in nameservers[:3]]
    if options:
        lines.append("options " + " ".join(options))
    return "\n".join(lines) + "\n"


def parse_hosts(text: str) -> dict[str, str]:
    """{name: ip} from a hosts file (first entry wins, as glibc's files backend)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        for name in parts[1:]:
            out.setdefault(name.lower(), parts[0])
    return out
