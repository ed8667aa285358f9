"""Issue 13 (w-snapshot): `cluster snapshot`, `cluster export`, `cluster import`, `cluster create --seed`."""

from __future__ import annotations

from minikctl.cli.commands import ALL_NS, COMMANDS, FILENAME
from minikctl.cli.parser import Command, Flag

_cluster = COMMANDS["cluster"]
_create = _cluster.subcommands["create"]
_create.flags = _create.flags + (
    Flag(("--seed",), "seed", "int", None,
         "seed generated names, UIDs, container IDs and allocated IPs/ports: the same seed and the same "
         "commands give the same output"),)

_cluster.subcommands["snapshot"] = Command(
    "snapshot", "cmd_snapshot:help",
    "Save, restore, list and delete named snapshots of the cluster (kept in STORE.snapshots/)",
    "minikctl cluster snapshot (save NAME | restore NAME | list | delete NAME)", subcommands={
        "save": Command("save", "cmd_snapshot:save", "Save a consistent copy of the cluster as NAME",
                        "minikctl cluster snapshot save NAME"),
        "restore": Command("restore", "cmd_snapshot:restore", "Put the cluster back as snapshot NAME was saved",
                           "minikctl cluster snapshot restore NAME"),
        "list": Command("list", "cmd_snapshot:list_", "List the snapshots (NAME, CREATED by the cluster clock, SIZE)",
                        "minikctl cluster snapshot list", aliases=("ls",)),
        "delete": Command("delete", "cmd_snapshot:delete", "Delete snapshot NAME",
                          "minikctl cluster snapshot delete NAME", aliases=("rm",)),
    })
_cluster.subcommands["export"] = Command(
    "export", "cmd_export:export",
    "Write the cluster's objects as manifests that apply unchanged to a real cluster (kind, k3s)",
    "minikctl cluster export [-n NS | -A] [-o yaml|json] [--file FILE|DIR]", (
        ALL_NS,
        Flag(("-o", "--output"), "output", "str", "yaml", "yaml or json", choices=("yaml", "json")),
        Flag(("--file",), "file", help="write to FILE, or one file per namespace into DIR (ending in /, or an "
                                       "existing directory); default standard output"),
    ))
_cluster.subcommands["import"] = Command(
    "import", "cmd_export:import_", "Apply manifests written by cluster export (server-side apply order: "
                                    "namespaces and cluster objects first)",
    "minikctl cluster import -f FILE|DIR", (FILENAME,))
_cluster.usage = _cluster.usage.replace("|node)", "|node|snapshot|export|import)")
