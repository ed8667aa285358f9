"""The network client tools (being split into a package: see curl.py for now)."""

from minikctl.network.tools.curl import _dig_question, _dig_rr, run, run_interleaved  # noqa: F401
