"""minikctl lab list|start|status|check|hint|reset|solution|lint|grade (issue 13).

Each handler finds the store and the lab, calls minikctl.labs, and prints. The store of a lab
command: --state or $MINIKCTL_STATE, else the current context's (lab start makes a context
lab-NAME current), else the default store. The lab of a store is recorded in it at lab start
(--lab names it otherwise)."""

from __future__ import annotations

import json
import os

from minikctl.api.errors import UsageError


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS["lab"], ["lab"]))
    return 0


def _lab_error(e) -> UsageError:
    """A lab file's problems: every one on its own line (FILE:LINE: ...)."""
    return UsageError("\n".join(str(x) for x in e.errors))


def _find(name: str):
    from minikctl.labs.loader import LabFileError, find

    try:
        return find(name)
    except LabFileError as e:
        raise _lab_error(e) from None


def _store_path(ctx) -> str:
    from minikctl.store.db import default_path

    return str(ctx.opts.get("state") or default_path())


def _lab_of(ctx, path: str):
    """The lab of the store at path: --lab, else the one recorded at lab start."""
    from minikctl.labs.store import read_record

    if ctx.opts.get("lab"):
        return _find(ctx.opts["lab"])
    if not os.path.exists(path):
        raise UsageError(f"no lab in progress: no store at {path}; start one with `minikctl lab start NAME`")
    rec = read_record(path)
    if rec is None:
        raise UsageError(f"{path} is not a lab's cluster: start one with `minikctl lab start NAME`, "
                         "or name the lab with --lab")
    return _find(rec.get("file") or rec["name"])


# --------------------------------------------------------------------------- list, lint
def list_labs(ctx) -> int:
    from minikctl.labs.loader import LabFileError, bundled_paths, read_file

    out = ctx.opts.get("output")
    if out not in (None, "", "name"):
        raise UsageError(f'unable to match a printer suitable for the output format "{out}", '
                         'allowed formats are: name')
    rows = []
    for name, path in bundled_paths().items():
        if out == "name":
            rows.append([name])
            continue
        try:
            lab = read_file(path)
        except LabFileError as e:
            raise _lab_error(e) from None
        rows.append([name, lab.level, lab.time, str(len(lab.tasks)), lab.title])
    if out == "name":
        for r in rows:
            ctx.print(r[0])
        return 0
    from minikctl.labs.report import table

    ctx.out.write(table(["NAME", "LEVEL", "TIME", "TASKS", "TITLE"], rows))
    return 0


def lint(ctx) -> int:
    from minikctl.labs.loader import LabFileError, read_file

    if not ctx.args:
        raise UsageError("lab lint needs a FILE: minikctl lab lint FILE...")
    bad = 0
    for path in ctx.args:
        try:
            lab = read_file(path)
        except LabFileError as e:
            bad += 1
            for x in e.errors:
                ctx.err.write(f"{x}\n")
            continue
        ctx.print(f"{path}: ok (lab {lab.name}, {len(lab.tasks)} tasks, {lab.max_score} points)")
    return 1 if bad else 0


# --------------------------------------------------------------------------- start, reset
def start(ctx) -> int:
    from minikctl.labs import runner
    from minikctl.labs.store import backup, read_record, remove_store, start_copy_path
    from minikctl.store import contexts as C

    if len(ctx.args) != 1:
        raise UsageError("lab start needs one lab: minikctl lab start NAME (minikctl lab list shows them)")
    lab = _find(ctx.args[0])
    explicit = ctx.opts.get("state") or os.environ.get("MINIKCTL_STATE")
    path = explicit or C.store_for_cluster_name(f"lab-{lab.name}")
    if os.path.exists(path):
        if read_record(path) is None:
            raise UsageError(f"{path} already holds a cluster that is not a lab's; choose another --state "
                             "(or delete that cluster with `minikctl cluster delete`)")
        remove_store(path)
    elif not explicit:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        runner.setup(lab, path)
    except BaseException:
        remove_store(path)
        raise
    backup(path, start_copy_path(path))
    context = None
    if not explicit:
        from minikctl.cli.cmd_cluster import _add_context

        context = f"lab-{lab.name}"
        _add_context(ctx, context, path)
    files = runner.write_files(lab, ctx.opts.get("dir") or os.path.join(os.getcwd(), lab.name))
    ctx.print(f"Lab {lab.name} started: {lab.title} ({lab.level}, about {lab.time}, {len(lab.tasks)} tasks)")
    ctx.print(f"Its cluster: {path}" + (f' (context "{context}", now current)' if context else ""))
    if files:
        ctx.print(f"Its files: {', '.join(files)}")
    ctx.print("")
    _show_task(ctx, lab, lab.tasks[0])
    ctx.print("")
    ctx.print("`minikctl lab check` checks your work, `minikctl lab hint` gives a hint, `minikctl lab reset` starts over.")
    return 0


def _show_task(ctx, lab, task) -> None:
    from minikctl.labs.report import markdown

    ctx.print(f"Task {task.index + 1}/{len(lab.tasks)}: {task.title}")
    ctx.print("")
    ctx.out.flush()
    markdown(ctx.out, task.text)


def reset(ctx) -> int:
    from minikctl.labs import runner
    from minikctl.labs.store import restore, start_copy_path

    path = _store_path(ctx)
    lab = _lab_of(ctx, path)
    restore(start_copy_path(path), path)
    files = runner.write_files(lab, ctx.opts.get("dir") or os.path.join(os.getcwd(), lab.name))
    ctx.print(f"Lab {lab.name} reset: its cluster is as it was at lab start ({path})")
    if files:
        ctx.print(f"Its files: {', '.join(files)}")
    ctx.print("")
    _show_task(ctx, lab, lab.tasks[0])
    return 0


# --------------------------------------------------------------------------- check, status, hint
def _results(lab, path: str):
    from minikctl.labs.checks import check_lab

    return check_lab(lab, path)


def check(ctx) -> int:
    from minikctl.labs import report

    path = _store_path(ctx)
    lab = _lab_of(ctx, path)
    fmt = ctx.opts.get("format") or "text"
    if fmt not in ("text", "json", "junit"):
        raise UsageError(f'invalid argument "{fmt}" for "--format" flag: must be text, json or junit')
    results = _results(lab, path)
    if fmt == "json":
        ctx.out.write(report.as_json(lab, results))
    elif fmt == "junit":
        ctx.out.write(report.junit(lab, results))
    else:
        ctx.out.write(report.text(lab, results))
    return 0 if all(r.passed for r in results) else 1


def status(ctx) -> int:
    from minikctl.labs import report

    path = _store_path(ctx)
    lab = _lab_of(ctx, path)
    results = _results(lab, path)
    got, top = report.score(results)
    done = sum(1 for r in results if r.passed)
    ctx.print(f"Lab {lab.name}: {lab.title} ({lab.level}, about {lab.time})")
    ctx.print(f"Cluster: {path}")
    ctx.print(f"Progress: {done}/{len(results)} tasks done, score {got}/{top}")
    for r in results:
        ctx.print(f"  {report.PASS if r.passed else report.FAIL} {r.task.index + 1}. {r.task.title}")
    current = next((r.task for r in results if not r.passed), None)
    ctx.print("")
    if current is None:
        ctx.print("All tasks are done.")
    else:
        _show_task(ctx, lab, current)
    return 0


def hint(ctx) -> int:
    from minikctl.labs.store import HINTS_META, read_meta_json, write_meta

    path = _store_path(ctx)
    lab = _lab_of(ctx, path)
    if ctx.args:
        task = lab.task(ctx.args[0])
        if task is None:
            raise UsageError(f'lab {lab.name} has no task "{ctx.args[0]}" (tasks: {", ".join(t.name for t in lab.tasks)})')
    else:
        task = next((r.task for r in _results(lab, path) if not r.passed), None)
        if task is None:
            ctx.print("All tasks are done: no hint needed.")
            return 0
    shown = read_meta_json(path, HINTS_META)
    n = int(shown.get(task.name, 0))
    if not task.hints:
        ctx.print(f"Task {task.index + 1} ({task.title}) has no hints; `minikctl lab solution {task.name}` shows its solution.")
        return 0
    if n >= len(task.hints):
        ctx.print(f"No more hints for task {task.index + 1} ({task.title}); "
                  f"`minikctl lab solution {task.name}` shows its solution.")
        n = len(task.hints) - 1
    else:
        shown[task.name] = n + 1
        write_meta(path, {HINTS_META: json.dumps(shown, sort_keys=True)})
    ctx.print(f"Hint {n + 1}/{len(task.hints)} for task {task.index + 1} ({task.title}):")
    ctx.out.flush()
    from minikctl.labs.report import markdown

    markdown(ctx.out, task.hints[n])
    return 0


def solution(ctx) -> int:
    if ctx.opts.get("lab"):
        lab = _find(ctx.opts["lab"])
    else:
        lab = _lab_of(ctx, _store_path(ctx))
    tasks = None
    if ctx.args:
        task = lab.task(ctx.args[0])
        if task is None:
            raise UsageError(f'lab {lab.name} has no task "{ctx.args[0]}" (tasks: {", ".join(t.name for t in lab.tasks)})')
        tasks = [task]
    ctx.out.write(lab.solution_script(tasks))
    return 0


# --------------------------------------------------------------------------- grade
def grade(ctx) -> int:
    from minikctl.api.errors import MinikctlError
    from minikctl.labs import report
    from minikctl.labs.checks import check_lab
    from minikctl.labs.store import read_record

    if len(ctx.args) != 1:
        raise UsageError("lab grade needs one DIR: minikctl lab grade DIR [--csv FILE]")
    d = ctx.args[0]
    if not os.path.isdir(d):
        raise UsageError(f"{d} is not a directory")
    stores = sorted(f for f in os.listdir(d) if f.endswith(".db"))
    if not stores:
        raise UsageError(f"no student stores (*.db) in {d}")
    by_lab: dict[str, tuple] = {}
    failed = 0
    fixed = _find(ctx.opts["lab"]) if ctx.opts.get("lab") else None
    for f in stores:
        path = os.path.join(d, f)
        student = f[:-3]
        try:
            lab = fixed
            if lab is None:
                rec = read_record(path)
                if rec is None:
                    raise UsageError("not a lab's cluster (no lab recorded; name it with --lab)")
                key = rec.get("file") or rec["name"]
                lab = by_lab[key][0] if key in by_lab else _find(key)
            results = check_lab(lab, path)
        except MinikctlError as e:
            failed += 1
            ctx.warn(f"warning: {path}: {str(e).splitlines()[0]}")
            continue
        by_lab.setdefault(lab.path, (lab, []))[1].append((student, results))
    blocks = sorted(by_lab.values(), key=lambda x: x[0].name)
    csv_text = ""
    for i, (lab, graded) in enumerate(blocks):
        if len(blocks) > 1:
            ctx.print(("" if i == 0 else "\n") + f"Lab {lab.name}: {lab.title}")
        header, rows = report.grade_rows(lab, graded)
        ctx.out.write(report.table(header, rows))
        csv_text += report.grade_csv(lab, graded) if not csv_text else \
            report.grade_csv(lab, graded).split("\n", 1)[1] if _same_tasks(blocks[0][0], lab) else \
            "\n" + report.grade_csv(lab, graded)
    if ctx.opts.get("csv"):
        try:
            with open(ctx.opts["csv"], "w", encoding="utf-8", newline="") as fh:
                fh.write(csv_text)
        except OSError as e:
            raise UsageError(f"cannot write {ctx.opts['csv']}: {e.strerror or e}") from None
    return 1 if failed else 0


def _same_tasks(a, b) -> bool:
    return [t.name for t in a.tasks] == [t.name for t in b.tasks]
