"""Commands for inspecting and reaching into a running cluster (issue 12): events, diff, cp,
attach, port-forward, debug. Added to the one command table (see commands.py)."""

from __future__ import annotations

from minikctl.cli.commands import ALL_NS, NO_HEADERS, _add
from minikctl.cli.parser import Command, Flag

_TEMPLATE_FLAGS = (
    Flag(("--allow-missing-template-keys",), "allow_missing_template_keys", "bool", True,
         "if true, ignore any errors in templates when a field or map key is missing in the template"),
    Flag(("--show-managed-fields",), "show_managed_fields", "bool", False,
         "if true, keep the managedFields when printing objects in JSON or YAML format"),
    Flag(("--template",), "template", help="template string or path to template file to use when -o=go-template"),
)

# ------------------------------------------------------------------ events (cmd_events)
_add(Command(
    "events", "cmd_events:run", "List events",
    "minikctl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
    "jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]",
    (ALL_NS, NO_HEADERS,
     Flag(("-o", "--output"), "output", help="output format: json|yaml|name|jsonpath=...|jsonpath-file=..."),
     Flag(("--for",), "for", help="filter events to only those pertaining to the specified resource"),
     Flag(("--types",), "types", "list", None, "output only events of given types (Normal, Warning)",
          choices=("Normal", "Warning")),
     Flag(("-w", "--watch"), "watch", "bool", False, "(not supported: the emulator has no watch stream)"),
     Flag(("--chunk-size",), "chunk_size", "int", 500, "(no effect: the list is read at once)"))
    + _TEMPLATE_FLAGS))
