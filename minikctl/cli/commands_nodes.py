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

# --- issue 11: drain (w-drain): drain.go NewCmdDrain's flags
_add(Command(
    "drain", "cmd_drain:drain", "Drain node in preparation for maintenance", "minikctl drain NODE",
    (Flag(("--force",), "force", "bool", False, "Continue even if there are pods that do not declare a controller."),
     Flag(("--ignore-daemonsets",), "ignore_daemonsets", "bool", False, "Ignore DaemonSet-managed pods."),
     Flag(("--delete-emptydir-data",), "delete_emptydir_data", "bool", False,
          "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)."),
     Flag(("--grace-period",), "grace_period", "int", -1,
          "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value "
          "specified in the pod will be used."),
     Flag(("--timeout",), "timeout", "str", "0s", "The length of time to wait before giving up, zero means infinite"),
     Flag(("--pod-selector",), "pod_selector", help="Label selector to filter pods on the node"),
     Flag(("--disable-eviction",), "disable_eviction", "bool", False,
          "Force drain to use delete, even if eviction is supported. This will bypass checking "
          "PodDisruptionBudgets, use with caution."),
     Flag(("--skip-wait-for-delete-timeout",), "skip_wait_for_delete_timeout", "int", 0,
          "If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater "
          "than 0 to skip."),
     Flag(("--chunk-size",), "chunk_size", "int", 500,
          "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may "
          "change in the future."),
     DRY_RUN, _NODE_SELECTOR)))
