"""Node commands (issue 11): taint, cordon, uncordon, added to the one command table
(see commands.py). Flags as kubectl 1.32 has them (taint.go, drain.go NewCmdCordon)."""

from __future__ import annotations

from minikctl.cli.commands import DRY_RUN, OUTPUT, _add
from minikctl.cli.parser import Command, Flag

_NODE_SELECTOR = Flag(("-l", "--selector"), "selector",
                      help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)")

_add(Command(
    "taint", "cmd_taint:taint", "Update the taints on one or more nodes",
    "minikctl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
    (Flag(("--all",), "all", "bool", False, "Select all nodes in the cluster"),
     _NODE_SELECTOR,
     Flag(("--overwrite",), "overwrite", "bool", False,
          "If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints."),
     Flag(("--validate",), "validate", "str", "strict", "strict|warn|ignore|true|false", optional_value=True),
     Flag(("--field-manager",), "field_manager", "str", "kubectl-taint", "Name of the manager used to track field ownership."),
     OUTPUT, DRY_RUN)))
_add(Command("cordon", "cmd_taint:cordon", "Mark node as unschedulable", "minikctl cordon NODE",
             (_NODE_SELECTOR, DRY_RUN)))
_add(Command("uncordon", "cmd_taint:uncordon", "Mark node as schedulable", "minikctl uncordon NODE",
             (_NODE_SELECTOR, DRY_RUN)))
