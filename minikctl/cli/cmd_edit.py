"""minikctl edit (kubectl/pkg/cmd/util/editor/editoptions.go, editor/editor.go).

The object's YAML goes to a temporary file under kubectl's header comment; the user's
editor ($KUBE_EDITOR, else $EDITOR, else vi) is run on it. That is the user's real
editor, so it is run with subprocess; nothing simulated runs on the host. After it
exits, the file is compared with what was shown (comments ignored), parsed, and each
changed object is sent as the two-way strategic merge patch kubectl computes; the
store is only locked for that last step, never while the editor is open. A change the
apiserver refuses as invalid reopens the editor with kubectl's error comment on top.
"""

from __future__ import annotations

import json
import os

from minikctl.api.server import clone
from minikctl.api.errors import ApiError, Invalid, MinikctlError, NotFound, UsageError

HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n"
          "#\n")


class EditError(MinikctlError):
    """An error printed after kubectl's "A copy of your changes..." line, if any."""


class _Exit(MinikctlError):
    """cmdutil.ErrExit: exit 1, nothing more printed."""

    def render(self) -> str:
        return ""


def _hash_on_line_break(s: str) -> str:
    """hashOnLineBreak: continue multi-line reasons as comments."""
    out = []
    for i, ch in enumerate(s):
        if ch == "\n" and i + 1 < len(s) and s[i + 1] != "#":
            out.append("\n# ")
        else:
            out.append(ch)
    return "".join(out)


def _header(reasons: list[tuple[str, list[str]]]) -> str:
    text = HEADER
    for head, other in reasons:
        text += f"# {_hash_on_line_break(head)}:\n" if other else f"# {_hash_on_line_break(head)}\n"
        for o in other:
            text += f"# * {_hash_on_line_break(o)}\n"
        text += "#\n"
    return text


def manual_strip(text: str) -> str:
    """cmdutil.ManualStrip: drop comment lines (but not #! lines)."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        t = line.strip()
        if t.startswith("#") and not t.startswith("#!"):
            continue
        out.append(line + ("\n" if i < len(lines) - 1 else ""))
    return "".join(out)


def strip_comments(text: str) -> str:
    """cmdutil.StripComments: YAML to JSON (key order kept), else the manual strip."""
    import yaml

    try:
        docs = [d for d in yaml.safe_load_all(text)]
    except yaml.YAMLError:
        return manual_strip(text)
    return json.dumps(docs[0] if len(docs) == 1 else docs, default=str)


def _has_lines(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("#") for line in text.splitlines())


def _editor() -> tuple[list[str], bool]:
    """editor.go defaultEnvEditor: $KUBE_EDITOR, else $EDITOR, else vi; a command with
    spaces runs through $SHELL -c (default /bin/bash)."""
    editor = ""
    for env in ("KUBE_EDITOR", "EDITOR"):
        editor = os.environ.get(env, "")
        if editor:
            break
    if not editor:
        editor = "vi"
    if " " not in editor:
        return [editor], False
    return [os.environ.get("SHELL") or "/bin/bash", "-c", editor], True


def _launch(text: str, ext: str) -> tuple[str, str]:
    """Editor.LaunchTempFile: write, run the editor (inheriting the terminal), read back."""
    import subprocess
    import sys
    import tempfile

    from minikctl.printers.template import go_quote

    fd, path = tempfile.mkstemp(prefix="minikctl-edit-", suffix=ext)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    base, shell = _editor()
    args = base[:-1] + [f"{base[-1]} {go_quote(os.path.abspath(path))}"] if shell else base + [os.path.abspath(path)]
    shown = " ".join(base)
    try:
        sys.stdout.flush()
        rc = subprocess.call(args, stdin=_stdin(), stdout=_fileno(sys.stdout), stderr=_fileno(sys.stderr))
    except FileNotFoundError:
        raise _Preserved(f"unable to launch the editor {go_quote(shown)}", "") from None
    except OSError:
        raise _Preserved(f"there was a problem with the editor {go_quote(shown)}", "") from None
    if rc != 0:
        raise _Preserved(f"there was a problem with the editor {go_quote(shown)}", "")
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return f.read(), path


def _stdin():
    import sys

    try:
        sys.stdin.fileno()
        return None
    except (AttributeError, OSError, ValueError):
        return subprocess_devnull()


def subprocess_devnull():
    import subprocess

    return subprocess.DEVNULL


def _fileno(stream):
    try:
        stream.fileno()
        return None
    except (AttributeError, OSError, ValueError):
        return subprocess_devnull()


class _Preserved(Exception):
    def __init__(self, message: str, path: str):
        super().__init__(message)
        self.message = message
        self.path = path


def run(ctx) -> int:
    try:
        return _run(ctx)
    except _Preserved as e:
        if e.path and os.path.exists(e.path):
            ctx.warn(f'A copy of your changes has been stored to "{e.path}"')
        raise EditError(e.message) from None


def _resource_label(kind) -> str:
    return f"{kind.plural}.{kind.group}" if kind.group else kind.plural


def _run(ctx) -> int:
    from minikctl.api import kinds as K
    from minikctl.cli.cmd_label import select
    from minikctl.printers.structured import as_list, to_json, to_yaml

    o = ctx.opts
    fmt = o.get("output")
    if fmt not in (None, "", "yaml", "json"):
        raise UsageError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                         "json,yaml")
    editing_json = fmt == "json"
    if not ctx.args and not o.get("filename"):
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    session = ctx.session()
    errors: list = []
    targets, _ = select(ctx, session.api, ctx.args, allow_empty_selector=True, errors=errors, use_selectors=False)
    if errors:
        from minikctl.cli.cmd_label import raise_collected

        raise_collected(errors)
    if not targets:
        raise UsageError("edit cancelled, no objects found")
    infos = [(t.kind, t.obj) for t in targets]
    original_obj = infos[0][1] if len(infos) == 1 else as_list([ob for _, ob in infos])
    shown = _strip_managed(original_obj)
    body = to_json(shown) if editing_json else to_yaml(shown)
    original = (HEADER if not editing_json else "") + body
    reasons: list[tuple[str, list[str]]] = []
    contains_error = False
    edited = ""
    prev_file = ""
    while True:
        if contains_error:
            buf = ("" if editing_json else _header(reasons)) + manual_strip(edited)
        else:
            buf = original
        edited_diff = edited
        edited, path = _launch(buf, ".json" if editing_json else ".yaml")
        if contains_error and strip_comments(edited_diff) == strip_comments(edited):
            raise _Preserved("Edit cancelled, no valid changes were saved.", path)
        if prev_file and prev_file != path:
            _remove(prev_file)
        prev_file = path
        if strip_comments(original) == strip_comments(edited):
            _remove(path)
            ctx.warn("Edit cancelled, no changes made.")
            return 0
        if not _has_lines(edited):
            _remove(path)
            ctx.warn("Edit cancelled, saved file was empty.")
            return 0
        reasons = []
        try:
            updated = _parse(edited)
        except _Syntax as e:
            contains_error = True
            reasons.append((f"The edited file had a syntax error: {e}", []))
            continue
        contains_error = False
        results = _Results()
        for obj in updated:
            kind = K.by_kind(obj.get("kind", ""))
            meta = obj.get("metadata") or {}
            if kind is not None and kind.namespaced:
                ns = meta.get("namespace") or ""
                if ns and ns != ctx.namespace:
                    raise _Preserved(f'the namespace from the provided object "{ns}" does not match the namespace '
                                     f'"{ctx.namespace}". You must pass \'--namespace={ns}\' to perform this operation.',
                                     path)
        _visit_to_patch(ctx, session, infos, updated, results, path)
        if results.retryable:
            ctx.warn(f"You can run `minikctl replace -f {path}` to try this update again.")
            raise _Exit("")
        if results.notfound:
            ctx.warn(f'The edits you made on deleted resources have been saved to "{path}"')
            raise _Exit("")
        for line in results.lines:
            ctx.print(line)
        results.lines = []
        if not results.edit:
            _remove(path)
            return 0
        reasons = results.reasons
        contains_error = True


class _Syntax(Exception):
    pass


def _parse(text: str) -> list[dict]:
    """The edited file through kubectl's builder (YAML or JSON, a List flattened)."""
    from minikctl.api.manifest import ManifestError, load_documents

    try:
        docs = load_documents(text.encode("utf-8"), "edited-file")
    except ManifestError as e:
        msg = e.message
        raise _Syntax(msg if msg.startswith(("error parsing", "unable to decode")) else f"error parsing edited-file: {msg}") from None
    objs = []
    for d in docs:
        obj = d.obj
        if obj.get("kind") == "List" or (str(obj.get("kind", "")).endswith("List") and isinstance(obj.get("items"), list)):
            objs.extend(x for x in obj.get("items") or [] if isinstance(x, dict))
        else:
            objs.append(obj)
    for obj in objs:
        from minikctl.api import schema

        typed = [f for f in schema.find(obj) if not f.unknown]
        if typed:
            raise _Syntax(f'unable to decode "edited-file": {typed[0].message}')
    return objs


class _Results:
    def __init__(self):
        self.reasons: list[tuple[str, list[str]]] = []
        self.retryable = 0
        self.notfound = 0
        self.edit: list = []
        self.lines: list[str] = []


def _strip_managed(obj: dict) -> dict:
    obj = clone(obj)
    for item in obj.get("items", [obj]) if obj.get("kind") == "List" else [obj]:
        (item.get("metadata") or {}).pop("managedFields", None)
    return obj


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _visit_to_patch(ctx, session, infos, updated: list[dict], results: _Results, path: str) -> None:
    from minikctl.api import merge
    from minikctl.cli.cmd_apply import LAST_APPLIED, _last_applied
    from minikctl.cli.cmd_patch import server_patch
    from minikctl.printers.structured import name_of, to_json, to_yaml
    from minikctl.printers.template import go_sharp_v

    fmt = ctx.opts.get("output")
    by_uid = {(ob.get("metadata") or {}).get("uid"): (kind, ob) for kind, ob in infos}
    for obj in updated:
        uid = (obj.get("metadata") or {}).get("uid")
        if uid not in by_uid:
            from minikctl.cli.cmd_patch import redact_secret  # kubectl would print a Secret's data here

            shown = redact_secret(obj, obj.get("kind"))
            raise _Preserved(f"no original object found for &unstructured.Unstructured{{Object:{go_sharp_v(shown)}}}", path)
        kind, orig = by_uid[uid]
        if ctx.opts.get("save_config"):
            obj.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = _last_applied(
                obj, kind, (obj.get("metadata") or {}).get("namespace", ""))
        if _normalized(orig) == _normalized(obj):
            results.lines.append(_printed(obj, "skipped", fmt, name_of, to_json, to_yaml))
            continue
        try:
            patch = merge.two_way_patch(_strip_managed(orig), obj, kind.kind)
        except merge.PatchError as e:
            raise _Preserved(e.message, path) from None
        if any(k in patch for k in ("apiVersion", "kind", "managedFields")) or "name" in (patch.get("metadata") or {}):
            raise _Preserved("At least one of apiVersion, kind and name was changed", path)
        if ctx.opts.get("output_patch"):
            from minikctl.printers.template import go_json

            results.lines.append(f"Patch: {go_json(patch)}")
        ns = (orig.get("metadata") or {}).get("namespace", "")
        name = orig["metadata"]["name"]
        label = _resource_label(kind)
        validate = str(ctx.opts.get("validate", "strict")).lower()
        validation = {"warn": "Warn", "ignore": "Ignore", "false": "Ignore"}.get(validate, "Strict")
        try:
            with session.write() as api:
                _, after = server_patch(api, kind, ns, name, "strategic", json.dumps(patch), validation=validation)
                warnings = list(api.warnings)
        except Invalid as e:
            results.edit.append(obj)
            results.reasons.append((f'{label} "{name}" was not valid', [str(fe) for fe in e.errors]))
            _flush(ctx, results)
            ctx.warn(f'error: {label} "{name}" is invalid')
            continue
        except NotFound:
            results.notfound += 1
            _flush(ctx, results)
            ctx.warn(f'error: {label} "{name}" could not be found on the server')
            continue
        except (ApiError, MinikctlError) as e:
            results.retryable += 1
            _flush(ctx, results)
            text = e.message if isinstance(e, ApiError) else str(e)
            ctx.warn(f'error: {label} "{name}" could not be patched: {text}')
            continue
        for w in warnings:
            ctx.warn(w if w.startswith("Warning:") else f"Warning: {w}")
        results.lines.append(_printed(after, "edited", fmt, name_of, to_json, to_yaml))


def _flush(ctx, results: _Results) -> None:
    for line in results.lines:
        ctx.print(line)
    results.lines = []


def _printed(obj: dict, op: str, fmt, name_of, to_json, to_yaml) -> str:
    if fmt == "yaml":
        return to_yaml(obj).rstrip("\n")
    if fmt == "json":
        return to_json(obj).rstrip("\n")
    return f"{name_of(obj)} {op}"


def _normalized(obj: dict) -> str:
    o = clone(obj)
    (o.get("metadata") or {}).pop("managedFields", None)
    return json.dumps(o, sort_keys=True)
