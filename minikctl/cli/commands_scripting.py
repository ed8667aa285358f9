"""Commands of the scripting area, added to the one command table (see commands.py)."""

from __future__ import annotations

from minikctl.cli.commands import _add  # noqa: F401
from minikctl.cli.parser import Command, Flag  # noqa: F401
