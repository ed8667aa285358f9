"""Start-up guards (issue 12: every command keeps today's start-up cost; the timings themselves are in
tests/perf/bench.py, figure 1). Every command is a new process, so a module imported on the way of
`get` or `apply -f` costs every user every time. These tests are deterministic: they assert which
modules a command imports, never how long it takes.

Each command runs in a fresh interpreter started with -S (no site hooks: this machine's .pth files
import modules of their own), with the package and the site-packages of the interpreter running the
tests on its path; only the modules the command itself added are compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Never on any of these paths: heavy third-party packages only some commands need (rich for colour,
# cryptography for certificates, re2 for user regexes), importlib.metadata (what a generated console
# script could pull in), and standard modules that cost milliseconds for little: dataclasses (imports
# inspect, ast, dis, tokenize), typing, hashlib (loads OpenSSL), _strptime (locale, calendar).
NEVER = {"rich", "cryptography", "re2", "importlib.metadata", "dataclasses", "inspect", "typing", "hashlib",
         "_hashlib", "hmac", "secrets", "_strptime", "locale"}
# ... and on the way of `get svc`, which reads and prints: no YAML, no pathlib (it imports urllib.parse
# and ipaddress), nothing that only a write needs.
GET_NEVER = NEVER | {"yaml", "pathlib", "urllib.parse", "ipaddress", "random", "copy", "decimal", "fractions",
                     "importlib", "minikctl.api.manifest", "minikctl.api.validation", "minikctl.controllers"}
APPLY_NEVER = NEVER | {"pathlib", "urllib.parse", "ipaddress"}

_PROBE = r"""
import json, os, sys
sys.path[:0] = json.loads(sys.argv[1])
before = set(sys.modules)
args = json.loads(sys.argv[2])
sys.argv = ["minikctl"] + args

def report():
    sys.stdout.flush()
    sys.stderr.write("\n#MODULES " + json.dumps(sorted(set(sys.modules) - before)) + "\n")
    sys.stderr.flush()

_exit = os._exit
def leave(rc):  # a deferred apply leaves with os._exit (minikctl/cli/app.py main)
    report()
    _exit(rc)
os._exit = leave
from minikctl.cli.app import main
rc = main()
report()
sys.exit(rc)
"""


def imported_by(args: list[str], state: str) -> set[str]:
    """The modules a fresh `minikctl ARGS` process imports beyond the interpreter's own start-up."""
    paths = [ROOT] + [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MINIKCTL_NAMESPACE")}
    env.update({"MINIKCTL_STATE": state, "NO_COLOR": "1"})
    p = subprocess.run([sys.executable, "-S", "-c", _PROBE, json.dumps(paths), json.dumps(args)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    tail = p.stderr.rsplit("#MODULES ", 1)
    assert len(tail) == 2, p.stderr
    return set(json.loads(tail[1]))


def _heavy(mods: set[str], never: set[str]) -> list[str]:
    return sorted(m for m in mods if m in never or m.split(".")[0] in {"rich", "cryptography", "re2"})


def test_get_svc_imports_no_heavy_module(cluster, state):
    assert cluster("create service clusterip web --tcp=80").code == 0
    mods = imported_by(["get", "svc"], state)
    assert "minikctl.cli.cmd_get" in mods and "sqlite3" in mods  # the probe did run the command
    assert _heavy(mods, GET_NEVER) == []


def test_apply_of_one_deployment_imports_no_heavy_module(cluster, state, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"
                        "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
                        "      labels: {app: web}\n    spec:\n      containers:\n      - {name: web, image: nginx}\n")
    mods = imported_by(["apply", "-f", str(manifest)], state)
    assert "yaml" in mods and "minikctl.api.validation" in mods  # read the manifest, validated the object
    assert _heavy(mods, APPLY_NEVER) == []
    # the controllers (and the kubelet) run after the command returns, as kube-apiserver answers
    # once the object is stored (api/cluster.py: Session.write(defer=True))
    assert not any(m.startswith(("minikctl.controllers", "minikctl.kubelet")) for m in mods)
    # nor, in a namespace without a ResourceQuota, the quota module (fractions, decimal, the describe
    # package); nor, for a create, the three-way merge (copy); nor importlib (validation's parts)
    assert sorted(mods & {"minikctl.api.quota", "fractions", "decimal", "minikctl.printers.describe",
                          "minikctl.api.merge", "copy", "importlib"}) == []
    # ... and the next command finds the cluster converged
    assert cluster("get deploy web -o jsonpath={.status.readyReplicas}").out == "2"


def test_yaml_imported_by_apply_still_matches_with_its_patterns():
    # manifest.py imports PyYAML with the patterns its modules compile at import made lazy (about
    # 5 ms of apply's start-up): in a fresh process, they still match as the real ones do (the
    # resolver's implicit tags, the constructor's timestamps, the reader's printable check)
    code = r"""
import datetime, json, sys
sys.path[:0] = json.loads(sys.argv[1])
import minikctl.api.manifest
import yaml
assert type(yaml.reader.Reader.NON_PRINTABLE).__name__ == "_LazyPattern"
assert yaml.safe_load("a: yes\nb: 1.5\nc: 2001-12-14\nd: ~\ne: 0x1f\n") == {
    "a": True, "b": 1.5, "c": datetime.date(2001, 12, 14), "d": None, "e": 31}
try:
    yaml.load("a: \x07", Loader=yaml.Loader)
except yaml.YAMLError as e:
    assert "special characters are not allowed" in str(e), e
else:
    raise AssertionError("the reader accepted a control character")
import re
assert isinstance(re.compile("x"), re.Pattern)  # the real re.compile is back
print("ok")
"""
    paths = [ROOT] + [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    p = subprocess.run([sys.executable, "-S", "-c", code, json.dumps(paths)], capture_output=True, text=True,
                       timeout=120)
    assert (p.returncode, p.stdout, p.stderr) == (0, "ok\n", "")

