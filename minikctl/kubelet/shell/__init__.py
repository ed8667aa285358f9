"""The simulated shell (being split into a package: see syntax.py for now)."""

from minikctl.kubelet.shell.syntax import (  # noqa: F401
    IO, NETWORK_TOOLS, SHELL_PROGRAMS, UTILITIES, Input, Shell, ShellSyntaxError,
)
