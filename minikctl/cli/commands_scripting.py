"""Commands of the scripting area, added to the one command table (see commands.py):
label, annotate, patch, edit, cluster-info, completion, and the hidden __complete that
the completion scripts call back into."""

from __future__ import annotations

from minikctl.cli.commands import ALL, ALL_NS, DRY_RUN, FIELD_SELECTOR, FILENAME, OUTPUT, RECURSIVE, SELECTOR, _add
from minikctl.cli.parser import Command, Flag

_OVERWRITE = Flag(("--overwrite",), "overwrite", "bool", False,
                  "allow existing values to be overwritten (otherwise such updates are refused)")
_RESOURCE_VERSION = Flag(("--resource-version",), "resource_version",
                         help="update only if this is the object's current resourceVersion (one object only)")
_LOCAL = Flag(("--local",), "local", "bool", False, "do not contact the cluster: work on the objects of -f only")


def _meta_command(name: str, what: str) -> Command:
    return Command(
        name, f"cmd_label:{name}", f"Update the {what}s on a resource",
        f"minikctl {name} [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
        (_OVERWRITE,
         Flag(("--list",), "list", "bool", False, f"display the {what}s of the resource"),
         _LOCAL, ALL, ALL_NS, SELECTOR, FIELD_SELECTOR, _RESOURCE_VERSION, FILENAME, RECURSIVE, OUTPUT, DRY_RUN))


_add(_meta_command("label", "label"))
_add(_meta_command("annotate", "annotation"))

_add(Command(
    "patch", "cmd_patch:run", "Update fields of a resource",
    "minikctl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [--type strategic|merge|json]",
    (Flag(("-p", "--patch"), "patch", help="the patch to apply: JSON or YAML"),
     Flag(("--patch-file",), "patch_file", help="a file containing the patch"),
     Flag(("--type",), "type", "str", "strategic", "the type of patch: json, merge or strategic",
          choices=("json", "merge", "strategic")),
     _LOCAL, FILENAME, RECURSIVE, OUTPUT, DRY_RUN)))

_add(Command(
    "edit", "cmd_edit:run", "Edit a resource on the server",
    "minikctl edit (RESOURCE/NAME | -f FILENAME)",
    (FILENAME, RECURSIVE,
     Flag(("-o", "--output"), "output", help="yaml|json: the format shown in the editor and printed after saving"),
     Flag(("--output-patch",), "output_patch", "bool", False, "print the patch sent for each edited object"),
     Flag(("--validate",), "validate", "str", "strict", "strict|warn|ignore|true|false", optional_value=True),
     Flag(("--save-config",), "save_config", "bool", False,
          "keep the object's configuration in its last-applied annotation"),
     Flag(("--windows-line-endings",), "windows_line_endings", "bool", False, "use CRLF line endings"))))

_add(Command("cluster-info", "cmd_misc:cluster_info", "Display cluster information",
             "minikctl cluster-info"))

_add(Command("completion", "cmd_completion:completion", "Output shell completion code for the specified shell (bash, zsh or fish)",
             "minikctl completion SHELL"))

_add(Command("__complete", "cmd_completion:complete", "Answer a completion request from the shell scripts",
             "minikctl __complete -- WORD... (the last word is the one being completed)", hidden=True))
