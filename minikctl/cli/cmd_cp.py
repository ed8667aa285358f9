"""minikctl cp: copy files and directories to and from a container, as kubectl 1.32's cp does it
(staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go): through exec of `tar` in the container.

- POD:/path LOCAL runs `tar cf - /path` in the (simulated) container; its stderr is printed on
  kubectl's standard output (cp.go gives the exec ErrOut: o.Out), so GNU tar's
  ``tar: Removing leading `/' from member names`` appears there; the archive is unpacked under
  LOCAL as untarAll does (contents of a directory straight into LOCAL, nothing outside it, symlinks
  skipped with a warning). A missing remote file prints tar's messages and exits 0, as kubectl
  does (kubernetes/kubectl#980).
- LOCAL POD:/path packs LOCAL as makeTar does (names relative to the destination's directory;
  into /path/BASENAME when `test -d /path` succeeds in the container) and runs
  `tar -xmf - -C DIR` in the container with it on stdin.
- The container needs `tar` (the image catalog says which images have it); without it the exec
  fails as on a real node.

Only the LOCAL path the user named (and what is below it) is read or written on the host;
everything inside the pod happens in the simulated container.
"""

from __future__ import annotations

import os
import posixpath

from minikctl.api.errors import MinikctlError, UsageError

_FORMAT = "filespec must match the canonical format: [[namespace/]pod:]file/path"


class CpError(MinikctlError):
    """An error kubectl's cp prints as `error: ...` (exit 1)."""


class _Exit(MinikctlError):
    """The container's command failed: kubectl prints `command terminated with exit code N`."""

    def __init__(self, code: int):
        super().__init__(f"command terminated with exit code {code}")
        self.exit_code = code

    def render(self) -> str:
        return str(self)


def extract_file_spec(arg: str) -> tuple[str, str, str, bool]:
    """extractFileSpec: (namespace, pod, file, remote)."""
    i = arg.find(":")
    if i == 0:
        raise CpError(_FORMAT)
    if i == -1:
        return "", "", arg, False
    pod, file = arg[:i], arg[i + 1:]
    pieces = pod.split("/")
    if len(pieces) == 1:
        return "", pieces[0], file, True
    if len(pieces) == 2:
        return pieces[0], pieces[1], file, True
    raise CpError(_FORMAT)


def strip_path_shortcuts(p: str) -> str:
    """stripPathShortcuts: drop leading ../, a lone . or .., and a leading /."""
    new = p
    trimmed = new[3:] if new.startswith("../") else new
    while trimmed != new:
        new = trimmed
        trimmed = new[3:] if new.startswith("../") else new
    if new in (".", ".."):
        new = ""
    return new[1:] if new.startswith("/") else new


def run(ctx) -> int:
    args = ctx.args
    if len(args) != 2:
        raise CpError("source and destination are required")
    src_ns, src_pod, src_file, src_remote = extract_file_spec(args[0])
    dst_ns, dst_pod, dst_file, dst_remote = extract_file_spec(args[1])
    if src_pod and dst_pod:
        raise CpError("one of src or dest must be a local file specification")
    if not src_file or not dst_file:
        raise CpError("filepath can not be empty")
    if src_pod:
        return _from_pod(ctx, src_ns or ctx.namespace, src_pod, src_file.replace("\\", "/"), dst_file)
    if dst_pod:
        return _to_pod(ctx, src_file, dst_ns or ctx.namespace, dst_pod, dst_file.replace("\\", "/"))
    raise CpError("one of src or dest must be a remote file specification")


def _exec(ctx, namespace: str, pod_name: str, argv: list[str], *, stdin: str = "", out, err,
          quiet_notice: bool = False) -> int:
    """kubectl's ExecOptions.Run for cp: the pod (NotFound as the API server says it), the default
    container with its notice on `err`, then the command in the simulated container."""
    from minikctl.cli.cmd_exec import pick_container
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet import journal as jn

    session = ctx.session()

    class _Notice:
        def write(self, s: str) -> None:
            if not quiet_notice:
                err(s)

    with jn.snapshot(session) as (api, journal):
        pod = api.get("pods", namespace, pod_name)
        ex.check_not_completed(pod)  # exec.go Run: before the default container's notice
        notice_ctx = type("C", (), {"err": _Notice()})()
        cname = pick_container(notice_ctx, pod, ctx.opts.get("container"), False)
        ex.check_exec(pod, cname)
        from minikctl.controllers.nodemonitor import check_kubelet_reachable

        check_kubelet_reachable(api, pod)
        code = ex.exec_in_container(api, pod, cname, argv, stdin=stdin, out=out, err=err)
    jn.commit(session, journal)
    return code


# ------------------------------------------------------------------ from the pod
def _from_pod(ctx, namespace: str, pod: str, src: str, dest: str) -> int:
    chunks: list[str] = []

    def to_stdout(s: str) -> None:  # tar's stderr: kubectl's standard output (cp.go initReadFrom)
        ctx.out.write(s)

    _exec(ctx, namespace, pod, ["tar", "cf", "-", src], out=chunks.append, err=to_stdout)
    # the exec's exit status is lost in kubectl's tar pipe (kubectl#980): only the stream counts
    data = "".join(chunks).encode("utf-8", "surrogateescape")
    prefix = strip_path_shortcuts(posixpath.normpath(src.lstrip("/\\")))
    _untar_all(ctx, namespace, pod, prefix, src, dest, data)
    return 0


def _untar_all(ctx, namespace: str, pod: str, prefix: str, src: str, dest: str, data: bytes) -> None:
    import io
    import tarfile

    if not data.strip(b"\0"):
        return
    try:
        tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:")
    except (tarfile.TarError, EOFError):
        raise CpError("archive/tar: invalid tar header") from None
    symlink_warned = False
    dest_clean = os.path.normpath(dest)
    for m in tf:
        if not m.name.startswith(prefix):
            raise CpError("tar contents corrupted")
        rel = m.name[len(prefix):].replace("\\", "/")
        target = os.path.normpath(os.path.join(dest_clean, rel.lstrip("/"))) if rel.strip("/") else dest_clean
        if not _is_relative(dest_clean, target):
            ctx.err.write(f'warning: file "{target}" is outside target destination, skipping\n')
            continue
        try:
            os.makedirs(os.path.dirname(target) or ".", 0o755, exist_ok=True)
            if m.isdir():
                os.makedirs(target, 0o755, exist_ok=True)
                continue
            if m.issym():
                if not symlink_warned:
                    ctx.err.write(f'warning: skipping symlink: "{target}" -> "{m.linkname}" (consider using '
                                  f'"minikctl exec -n "{namespace}" "{pod}" -- tar cf - "{src}" | tar xf -")\n')
                    symlink_warned = True
                    continue
                ctx.err.write(f'warning: skipping symlink: "{target}" -> "{m.linkname}"\n')
                continue
            f = tf.extractfile(m)
            payload = f.read() if f is not None else b""
            with open(target, "wb") as out:  # os.Create: mode 0666 before the umask
                out.write(payload)
        except OSError as e:
            raise CpError(_go_path_error(e, target)) from None


def _is_relative(base: str, target: str) -> bool:
    rel = os.path.relpath(target, base)
    return not (rel == ".." or rel.startswith(".." + os.sep))


def _go_path_error(e: OSError, path: str) -> str:
    """Go's *PathError text: `open PATH: permission denied`."""
    import errno

    op = "mkdir" if e.errno in (errno.EEXIST, errno.ENOTDIR) and e.filename != path else "open"
    return f"{op} {e.filename or path}: {(e.strerror or str(e)).lower()}"


# ------------------------------------------------------------------ to the pod
def _to_pod(ctx, src: str, namespace: str, pod: str, dest: str) -> int:
    if not os.path.lexists(src):
        raise CpError(f"{src} doesn't exist in local filesystem")
    src_clean = os.path.normpath(src)
    dest_file = dest
    # checkDestinationIsDir: `test -d DEST` in the container; any failure means "not a directory"
    try:
        if _exec(ctx, namespace, pod, ["test", "-d", dest], out=lambda s: None, err=lambda s: None,
                 quiet_notice=True) == 0:
            dest_file = posixpath.join(dest, os.path.basename(src_clean))
    except MinikctlError:
        pass
    data = _make_tar(src_clean, dest_file)
    argv = ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-"] if ctx.opts.get("no_preserve") \
        else ["tar", "-xmf", "-"]
    dest_dir = posixpath.dirname(posixpath.normpath(dest_file)) or "."
    argv += ["-C", dest_dir]

    def out(s: str) -> None:
        ctx.out.write(s)

    def err(s: str) -> None:
        ctx.out.flush()
        ctx.err.write(s)

    code = _exec(ctx, namespace, pod, argv, stdin=data.decode("utf-8", "surrogateescape"), out=out, err=err)
    if code:
        raise _Exit(code)
    return 0


def _make_tar(src: str, dest_file: str) -> bytes:
    """makeTar / recursiveTar: entries named after the destination (relative to its directory);
    a directory's files under it, an empty directory as an entry of its own."""
    import glob
    import io
    import tarfile

    buf = io.BytesIO()
    dest_base = posixpath.basename(posixpath.normpath(dest_file))

    def add(tf, fpath: str, name: str) -> None:
        st = os.lstat(fpath)
        import stat as S

        if S.S_ISDIR(st.st_mode):
            entries = sorted(os.listdir(fpath))
            if not entries:
                info = tf.gettarinfo(fpath, arcname=name)
                tf.addfile(info)
            for f in entries:
                add(tf, os.path.join(fpath, f), posixpath.join(name, f))
            return
        info = tf.gettarinfo(fpath, arcname=name)
        if info.isfile():
            with open(fpath, "rb") as fh:
                tf.addfile(info, fh)
        elif info.issym():
            tf.addfile(info)

    try:
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
            matches = sorted(glob.glob(glob.escape(src) if not glob.has_magic(src) else src)) or [src]
            for fpath in matches:
                add(tf, fpath, dest_base)
    except OSError as e:
        raise CpError(_go_path_error(e, e.filename or src)) from None
    return buf.getvalue()
