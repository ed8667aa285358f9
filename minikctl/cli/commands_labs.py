"""The `lab` command (issue 13: classroom labs), added to the one command table (see commands.py).
The labs themselves live in minikctl.labs; the handlers in cmd_lab.py."""

from __future__ import annotations

from minikctl.cli.commands import _add
from minikctl.cli.parser import Command, Flag

_LAB = Flag(("--lab",), "lab", help="the lab (a bundled lab's name or a lab file) when the store does not record it")
_FORMAT = Flag(("--format",), "format", "str", "text", "text|json|junit", choices=("text", "json", "junit"))

_add(Command(
    "lab", "cmd_lab:help", "Classroom labs: tasks on a cluster of their own, checked, hinted and graded",
    "minikctl lab (list | start NAME | status | check | hint | reset | solution | lint FILE | grade DIR)",
    subcommands={
        "list": Command("list", "cmd_lab:list_labs", "List the bundled labs", "minikctl lab list [-o name]",
                        (Flag(("-o", "--output"), "output", help="output format: name"),)),
        "start": Command("start", "cmd_lab:start", "Start a lab: its cluster in a store and context of its own, "
                         "then its first task", "minikctl lab start NAME|FILE [--dir DIR]",
                         (Flag(("--dir",), "dir", help="where the lab's files are written (default: ./NAME)"),)),
        "status": Command("status", "cmd_lab:status", "Show the lab in progress and its current task",
                          "minikctl lab status", (_LAB,)),
        "check": Command("check", "cmd_lab:check", "Check every task (read-only); exit 0 only when all pass",
                         "minikctl lab check [--state STORE] [--format text|json|junit]", (_LAB, _FORMAT)),
        "hint": Command("hint", "cmd_lab:hint", "Show the next hint of the current task (or of TASK)",
                        "minikctl lab hint [TASK]", (_LAB,)),
        "reset": Command("reset", "cmd_lab:reset", "Put the lab's cluster back as it was at lab start",
                         "minikctl lab reset [--dir DIR]",
                         (Flag(("--dir",), "dir", help="where the lab's files are written again (default: ./NAME)"),)),
        "solution": Command("solution", "cmd_lab:solution", "Print the solution as a bash script of minikctl commands",
                            "minikctl lab solution [TASK] [--lab NAME]", (_LAB,)),
        "lint": Command("lint", "cmd_lab:lint", "Validate a lab file (FILE:LINE: what is wrong; exit 1)",
                        "minikctl lab lint FILE..."),
        "grade": Command("grade", "cmd_lab:grade", "Check every store (*.db) in DIR: a students x tasks table",
                         "minikctl lab grade DIR [--csv FILE] [--lab NAME]",
                         (_LAB, Flag(("--csv",), "csv", help="also write the grades as CSV to FILE"))),
    }))
