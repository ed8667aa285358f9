"""A lab as read from its file (validated by minikctl.labs.loader)."""

from __future__ import annotations

import shlex


class Command:
    """One command line of a setup or a solution: `minikctl ARGS` with optional stdin."""

    __slots__ = ("line", "stdin")

    def __init__(self, raw):
        if isinstance(raw, dict):
            self.line, self.stdin = raw["run"], raw.get("stdin")
        else:
            self.line, self.stdin = raw, None

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.line)[1:]  # without the leading `minikctl`

    def bash(self) -> str:
        if self.stdin is None:
            return self.line
        body = self.stdin if self.stdin.endswith("\n") else self.stdin + "\n"
        return f"{self.line} <<'EOF'\n{body}EOF"


class Task:
    __slots__ = ("name", "title", "text", "hints", "solution", "points", "checks", "index")

    def __init__(self, raw: dict, index: int):
        self.index = index
        self.name = raw["name"]
        self.title = raw.get("title") or raw["name"]
        self.text = raw["text"]
        self.hints = list(raw.get("hints") or [])
        self.solution = [Command(c) for c in raw.get("solution") or []]
        self.points = int(raw.get("points", 1))
        self.checks = list(raw["checks"])


class Lab:
    def __init__(self, raw: dict, path: str):
        self.raw = raw
        self.path = path
        self.name = raw["name"]
        self.title = raw["title"]
        self.level = raw["level"]
        self.time = raw["time"]
        self.description = raw.get("description") or ""
        self.tags = list(raw.get("tags") or [])
        setup = raw.get("setup") or {}
        self.cluster = dict(setup.get("cluster") or {})
        self.clock = dict(setup.get("clock") or {})
        self.images = list(setup.get("images") or [])
        self.manifests = setup.get("manifests") or ""
        self.commands = [Command(c) for c in setup.get("commands") or []]
        self.files = dict(setup.get("files") or {})
        self.tasks = [Task(t, i) for i, t in enumerate(raw["tasks"])]

    @property
    def max_score(self) -> int:
        return sum(t.points for t in self.tasks)

    def task(self, name: str) -> Task | None:
        for t in self.tasks:
            if t.name == name or str(t.index + 1) == name:
                return t
        return None

    def solution_script(self, tasks=None) -> str:
        """The solution as a bash script of minikctl command lines (`lab solution | bash`)."""
        out = ["#!/usr/bin/env bash", f"# Solution of lab {self.name}: {self.title}", "set -euo pipefail", ""]
        for t in tasks or self.tasks:
            out.append(f"# {t.index + 1}. {t.title}")
            out += [c.bash() for c in t.solution]
            out.append("")
        return "\n".join(out)
