"""minikctl.api.validation as a package: the names of the one-module era are all reachable from it,
every kind's validator exists, and a part is imported only when needed (start-up cost)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

from minikctl.api import validation


def test_every_part_name_is_reachable_from_the_package():
    for part, names in validation._PARTS.items():
        module = importlib.import_module(f"minikctl.api.validation.{part}")
        for name in names:
            assert name in vars(module), (part, name)  # defined there, not only imported
            assert getattr(validation, name) is getattr(module, name), (part, name)


def test_every_kind_has_its_validator():
    for kind, (part, name) in validation._VALIDATORS.items():
        assert callable(getattr(importlib.import_module(f"minikctl.api.validation.{part}"), name)), kind


def test_the_parts_stay_small():
    folder = os.path.dirname(validation.__file__)
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name)) as f:
                assert sum(1 for _ in f) < 800, name


def test_a_name_check_imports_no_kind_rules():
    # selectors.py and cmd_taint.py import is_qualified_name: that must not load the pod or
    # workload rules (nor any kind's part)
    code = ("import sys\n"
            "from minikctl.api.validation import is_qualified_name, validate\n"
            "assert is_qualified_name('a/b') == []\n"
            "print(sorted(m for m in sys.modules if m.startswith('minikctl.api.validation.')))\n"
            "validate({'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c', 'namespace': 'd'}})\n"
            "print(sorted(m for m in sys.modules if m.startswith('minikctl.api.validation.')))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.splitlines()
    base = ["minikctl.api.validation.common", "minikctl.api.validation.meta", "minikctl.api.validation.names"]
    assert first == repr(base)
    assert second == repr(sorted(base + ["minikctl.api.validation.config"]))
