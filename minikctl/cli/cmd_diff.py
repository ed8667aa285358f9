"""minikctl diff -f: the live objects against what `apply -f` would make of them
(staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go).

- MERGED is the object as the server would store it: apply's three-way merge (cmd_apply.apply_doc)
  written in a dry-run transaction, so defaulting, validation, generation and allocation happen
  as on a real server-side dry run, and nothing is kept. A dry-run update keeps the live
  resourceVersion (DryRunnableStorage). An object that does not exist yet is a dry-run create;
  its LIVE file is empty.
- Both are written as YAML (managedFields left out unless --show-managed-fields; a Secret's data
  masked as kubectl's Masker does) into two temporary directories LIVE-N and MERGED-N, one file
  per object named GROUP.VERSION.KIND.NAMESPACE.NAME, and compared with `diff -u -N` (or the
  program in KUBECTL_EXTERNAL_DIFF, the user's own host tool, run without a shell on those files).
- With the default diff, the header lines name deterministic directories and the cluster clock's
  time instead of random names and file times, so the output is reproducible.
- Exit status: 0 no differences, 1 differences, 2 (kubectl's CheckDiffErr) any error.
"""

from __future__ import annotations

import os

from minikctl.api.errors import MinikctlError, UsageError

MASK = "***"
MASK_BEFORE = "*** (before)"
MASK_AFTER = "*** (after)"
_VALID_ARG = __import__("re").compile(r"^[a-zA-Z0-9\-=]+$")


def _fail(e: MinikctlError) -> MinikctlError:
    e.exit_code = 2  # cmdutil.CheckDiffErr: every error of kubectl diff exits 2
    return e


def file_name(obj: dict, kind) -> str:
    """InfoObject.Name: [GROUP.]VERSION.KIND.NAMESPACE.NAME."""
    meta = obj.get("metadata") or {}
    group = f"{kind.group}." if kind.group else ""
    ns = (meta.get("namespace") or "") if kind.namespaced else ""
    return f"{group}{kind.version}.{kind.kind}.{ns}.{meta.get('name') or ''}"


def mask_secret(live: dict | None, merged: dict | None) -> tuple[dict | None, dict | None]:
    """Masker.run: every value of a v1 Secret's data becomes ***, `*** (before)` / `*** (after)`
    where the key is in both and its value changed."""
    f = dict((live or {}).get("data") or {}) if live is not None and isinstance(live.get("data"), dict) else None
    t = dict((merged or {}).get("data") or {}) if merged is not None and isinstance(merged.get("data"), dict) else None
    for k in list(f or {}):
        if t is not None and k in t:
            if f[k] != t[k]:
                f[k], t[k] = MASK_BEFORE, MASK_AFTER
                continue
            t[k] = MASK
        f[k] = MASK
    for k in list(t or {}):
        if f is None or k not in f:
            t[k] = MASK
    if f is not None:
        live = {**live, "data": f}
    if t is not None:
        merged = {**merged, "data": t}
    return live, merged


def _yaml(obj: dict | None, show_managed: bool) -> str:
    """Printer.Print: sigs.k8s.io/yaml of the object (nothing for no object)."""
    if obj is None:
        return ""
    from minikctl.printers.structured import to_yaml

    if not show_managed and "managedFields" in (obj.get("metadata") or {}):
        obj = {**obj, "metadata": {k: v for k, v in obj["metadata"].items() if k != "managedFields"}}
    return to_yaml(obj)


def compute(ctx) -> list[tuple[str, str, str]]:
    """[(file name, LIVE yaml, MERGED yaml)] for the objects of -f, in a transaction that is rolled back."""
    from minikctl.cli.cmd_apply import apply_doc
    from minikctl.cli.manifests import load
    from minikctl.cli.resources import resolve_kind

    docs = load(ctx)
    for _, warnings in docs:
        for w in warnings:
            ctx.warn(w)
    selector = None
    if ctx.opts.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(ctx.opts["selector"])
    show_managed = bool(ctx.opts.get("show_managed_fields"))
    session = ctx.session()
    out: dict[str, tuple[str, str]] = {}
    with session.write(dry_run=True) as api:
        for doc, _ in docs:
            if selector is not None and not selector.matches((doc.obj.get("metadata") or {}).get("labels")):
                continue
            kind = resolve_kind(doc.obj["kind"])
            if ctx.opts.get("server_side"):  # issue 14 (w-ssa): the server-side apply, dry run
                from minikctl.cli.cmd_server_side_apply import dry_apply

                live, merged = dry_apply(ctx, api, doc, kind)
            else:
                live, merged = apply_doc(ctx, api, doc)
            merged = dict(merged)
            if live is not None:
                merged["metadata"] = {**merged["metadata"], "resourceVersion": live["metadata"]["resourceVersion"]}
            else:  # a dry-run create is never stored: it has no resourceVersion
                merged["metadata"] = {k: v for k, v in merged["metadata"].items() if k != "resourceVersion"}
            if kind.kind == "Secret" and kind.group == "":
                live, merged = mask_secret(live, merged)
            if live is not None and (live.get("metadata") or {}).get("deletionTimestamp"):
                ctx.err.write(f"Warning: Detected changes to resource {live['metadata'].get('name')} "
                              "which is currently being deleted.\n")  # apply.WarnIfDeleting
            out[file_name(merged, kind)] = (_yaml(live, show_managed), _yaml(merged, show_managed))
    return [(name, a, b) for name, (a, b) in sorted(out.items())]


def run(ctx) -> int:
    o = ctx.opts
    try:
        if not o.get("filename"):
            if o.get("kustomize"):
                raise UsageError("-k (kustomize) is not supported by minikctl: build the manifests first and pass "
                                 "them with -f")
            raise UsageError("must specify one of -f and -k")
        if o.get("force_conflicts") and not o.get("server_side"):
            raise UsageError("--force-conflicts only works with --server-side")
        if ctx.args:
            raise UsageError(f"Unexpected args: [{' '.join(ctx.args)}]\nSee 'minikctl diff -h' for help and examples")
        if o.get("prune"):
            raise UsageError("--prune (alpha in kubectl 1.32) is not supported by minikctl")
        files = compute(ctx)
        return _run_diff(ctx, files)
    except MinikctlError as e:
        raise _fail(e) from None


def _run_diff(ctx, files) -> int:
    import shutil
    import subprocess
    import tempfile

    env = os.environ.get("KUBECTL_EXTERNAL_DIFF", "")
    if env:
        words = env.split(" ")
        program, args = words[0], []
        for w in words[1:]:
            if _VALID_ARG.match(w):
                args.append(w)
            else:
                ctx.warn(f"Warning: invalid argument is ignored: {w}, only Alphanumeric (case-insensitive), "
                         "dash and equal are allowed")
    else:
        program, args = "diff", ["-u", "-N"]
    base = tempfile.gettempdir()
    live_dir = merged_dir = None
    try:
        live_dir, merged_dir = _mkdtemp(base, "LIVE-"), _mkdtemp(base, "MERGED-")
        for name, a, b in files:
            for d, text in ((live_dir, a), (merged_dir, b)):
                fd = os.open(os.path.join(d, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o700)
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
        exe = shutil.which(program) if os.sep not in program else program
        if exe is None or not os.path.exists(exe):
            raise UsageError(f'failed to run "{program}": exec: "{program}": executable file not found in $PATH')
        try:
            p = subprocess.run([program, *args, live_dir, merged_dir], executable=exe, capture_output=True,
                               stdin=subprocess.DEVNULL)
        except OSError as e:
            raise UsageError(f'failed to run "{program}": {e.strerror}') from None
        out = p.stdout.decode("utf-8", "replace")
        if not env:
            out = _stable_headers(ctx, out, live_dir, merged_dir, base, files)
        ctx.out.write(out)
        if p.stderr:
            ctx.err.write(p.stderr.decode("utf-8", "replace"))
        if p.returncode < 0:
            raise UsageError(f'failed to run "{program}": signal: {_signal_name(-p.returncode)}')
        if p.returncode > 1:
            raise UsageError(f'failed to run "{program}": exit status {p.returncode}')
        return p.returncode
    finally:
        for d in (live_dir, merged_dir):
            if d is not None:
                shutil.rmtree(d, ignore_errors=True)


def _mkdtemp(base: str, prefix: str) -> str:
    """os.MkdirTemp(base, prefix + "*"): the prefix and a random uint32 in decimal, mode 0700."""
    import random

    for _ in range(10000):
        path = os.path.join(base, f"{prefix}{random.getrandbits(32)}")
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
        except OSError as e:
            raise UsageError(f"mkdir {path}: {e.strerror.lower()}") from None
    raise UsageError(f"mkdir {base}/{prefix}*: file exists")


def _signal_name(n: int) -> str:
    import signal

    try:
        return {signal.SIGKILL: "killed", signal.SIGTERM: "terminated", signal.SIGINT: "interrupt"}.get(
            signal.Signals(n), signal.Signals(n).name)
    except ValueError:
        return str(n)


def _stable_headers(ctx, out: str, live_dir: str, merged_dir: str, base: str, files) -> str:
    """GNU diff's header lines name random directories and the files' times: give them names
    derived from the contents (as Go's os.MkdirTemp, decimal digits) and the cluster clock's time."""
    import zlib

    live_n = zlib.crc32("".join(n + a for n, a, _ in files).encode())
    merged_n = zlib.crc32("".join(n + b for n, _, b in files).encode())
    stable_live, stable_merged = os.path.join(base, f"LIVE-{live_n}"), os.path.join(base, f"MERGED-{merged_n}")
    now = ctx.session().clock.now()
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond:06d}000 +0000"
    lines = out.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("diff ") and f" {live_dir}/" in line:
            lines[i] = line.replace(live_dir + "/", stable_live + "/").replace(merged_dir + "/", stable_merged + "/")
        elif line.startswith("--- " + live_dir + "/"):
            lines[i] = "--- " + stable_live + line[4 + len(live_dir):].split("\t", 1)[0] + "\t" + stamp
        elif line.startswith("+++ " + merged_dir + "/"):
            lines[i] = "+++ " + stable_merged + line[4 + len(merged_dir):].split("\t", 1)[0] + "\t" + stamp
    return "\n".join(lines)
