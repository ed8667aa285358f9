"""Commands of the discovery area (issue 12), added to the one command table (see commands.py):
explain (from the shipped Kubernetes 1.32 OpenAPI v3 schema) and api-versions."""

from __future__ import annotations

from minikctl.cli.commands import _add
from minikctl.cli.parser import Command, Flag

_add(Command(
    "explain", "cmd_explain:explain", "Get documentation for a resource",
    "minikctl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] "
    "[-o|--output=plaintext|plaintext-openapiv2]",
    (Flag(("--recursive",), "recursive", "bool", False,
          "When true, print the name of all the fields recursively. Otherwise, print the available fields with "
          "their description."),
     Flag(("--api-version",), "api_version", help="Use given api-version (group/version) of the resource."),
     Flag(("-o", "--output"), "output", "str", "plaintext",
          "Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2). "
          "(plaintext-openapiv2 is refused: minikctl serves the OpenAPI v3 schema only)"))))
_add(Command(
    "api-versions", "cmd_explain:api_versions",
    "Print the supported API versions on the server, in the form of \"group/version\"", "minikctl api-versions"))
