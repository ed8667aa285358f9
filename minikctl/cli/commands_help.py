"""`help` and `options` (issue 12), added to the one command table (see commands.py). Their
texts are kubectl 1.32's (minikctl.cli.help, kubectl_help.json)."""

from __future__ import annotations

from minikctl.cli.commands import _add
from minikctl.cli.parser import Command

# cobra's help command: not listed in the root help nor suggested for a typo (IsAvailableCommand)
_add(Command("help", "help:help_command", "Help about any command", "minikctl help [command] [flags]",
             hidden=True))
_add(Command("options", "help:options_command", "Print the list of flags inherited by all commands",
             "minikctl options [flags]"))
