"""How results are shown: `lab check` as text, JSON or JUnit XML; `lab grade` as a table and CSV;
a task's text as Markdown (rich on a terminal, plain text otherwise)."""

from __future__ import annotations

import json

PASS, FAIL = "✓", "✗"


def score(results) -> tuple[int, int]:
    return sum(r.task.points for r in results if r.passed), sum(r.task.points for r in results)


def as_dict(lab, results, store: str | None = None) -> dict:
    got, top = score(results)
    out = {"lab": lab.name, "title": lab.title}
    if store is not None:
        out["store"] = store
    out.update({"score": got, "max_score": top, "passed": all(r.passed for r in results),
                "tasks": [{"name": r.task.name, "title": r.task.title, "points": r.task.points,
                           "passed": r.passed, "message": r.message} for r in results]})
    return out


def text(lab, results) -> str:
    lines = [f"Lab {lab.name}: {lab.title}"]
    for r in results:
        mark = PASS if r.passed else FAIL
        line = f"{mark} {r.task.index + 1}. {r.task.title}"
        if not r.passed:
            line += f": {r.message}"
        lines.append(line)
    got, top = score(results)
    done = sum(1 for r in results if r.passed)
    lines.append(f"{done}/{len(results)} tasks done, score {got}/{top}")
    return "\n".join(lines) + "\n"


def as_json(lab, results, store: str | None = None) -> str:
    return json.dumps(as_dict(lab, results, store), indent=2, ensure_ascii=False) + "\n"


def junit(lab, results) -> str:
    from xml.sax.saxutils import quoteattr

    failures = sum(1 for r in results if not r.passed)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name={quoteattr("minikctl lab " + lab.name)} tests="{len(results)}" failures="{failures}">',
           f'  <testsuite name={quoteattr(lab.name)} tests="{len(results)}" failures="{failures}" errors="0" skipped="0">']
    for r in results:
        head = f'    <testcase classname={quoteattr("lab." + lab.name)} name={quoteattr(r.task.name)}'
        if r.passed:
            out.append(head + "/>")
        else:
            out.append(head + ">")
            out.append(f"      <failure message={quoteattr(r.message)}/>")
            out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def grade_rows(lab, graded: list[tuple[str, list]]) -> tuple[list[str], list[list[str]]]:
    header = ["STUDENT"] + [t.name for t in lab.tasks] + ["SCORE"]
    rows = []
    for student, results in graded:
        got, top = score(results)
        rows.append([student] + [PASS if r.passed else FAIL for r in results] + [f"{got}/{top}"])
    return header, rows


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = []
    for r in [header] + rows:
        lines.append("   ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines) + "\n"


def grade_csv(lab, graded: list[tuple[str, list]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student", "lab"] + [t.name for t in lab.tasks] + ["score", "max_score"])
    for student, results in graded:
        got, top = score(results)
        w.writerow([student, lab.name] + [r.task.points if r.passed else 0 for r in results] + [got, top])
    return buf.getvalue()


def markdown(out, text: str) -> None:
    """Markdown through rich on a terminal (rich is imported only then); as written otherwise."""
    try:
        tty = out.isatty()
    except (AttributeError, ValueError, OSError):
        tty = False
    if tty:
        from rich.console import Console
        from rich.markdown import Markdown

        Console(file=out, highlight=False).print(Markdown(text))
    else:
        out.write(text if text.endswith("\n") else text + "\n")
