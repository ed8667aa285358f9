"""minikctl diff -f: live against merged, as kubectl 1.32's diff (staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go):
exit 0 no differences, 1 differences, 2 errors; KUBECTL_EXTERNAL_DIFF; Secret values masked."""

from __future__ import annotations

import os
import re
import shutil
import sys

import pytest

from tests.conftest import write
from tests.helpers import store_snapshot

pytestmark = pytest.mark.skipif(shutil.which("diff") is None, reason="needs diff(1), as kubectl does")

WEB = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""

HEADER = re.compile(r"^diff -u -N (/\S+)/LIVE-\d+/apps\.v1\.Deployment\.default\.web (/\S+)/MERGED-\d+/"
                    r"apps\.v1\.Deployment\.default\.web$")


def test_no_differences_exit_0(cluster, tmp_path):
    f = write(tmp_path, "web.yaml", WEB)
    assert cluster(f"apply -f {f}").code == 0
    r = cluster(f"diff -f {f}")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_changes_unified_diff_exit_1_store_unchanged(cluster, tmp_path, state):
    f = write(tmp_path, "web.yaml", WEB)
    assert cluster(f"apply -f {f}").code == 0
    g = write(tmp_path, "web2.yaml", WEB.replace("replicas: 2", "replicas: 3").replace("1.27", "1.28"))
    before = store_snapshot(state)
    r = cluster(f"diff -f {g}")
    assert r.code == 1 and r.err == ""
    lines = r.lines
    assert HEADER.match(lines[0]), lines[0]
    now = cluster("clock").out.split()[0]  # 2026-...T..Z
    stamp = now[:10] + " " + now[11:19] + ".000000000 +0000"
    live_path, merged_path = lines[0].split()[3:5]
    assert lines[1] == f"--- {live_path}\t{stamp}"
    assert lines[2] == f"+++ {merged_path}\t{stamp}"
    body = "\n".join(lines[3:])
    assert "-  generation: 1\n+  generation: 2" in body  # kubectl diff shows the server's generation bump
    assert "-  replicas: 2\n+  replicas: 3" in body
    assert "-      - image: nginx:1.27\n+      - image: nginx:1.28" in body
    assert '+      {"apiVersion":"apps/v1","kind":"Deployment"' in body  # the new last-applied annotation
    assert "managedFields" not in r.out
    # the same inputs give the same output (the directories' names come from the contents)
    assert cluster(f"diff -f {g}").out == r.out
    assert store_snapshot(state) == before


def test_new_object_is_a_dry_run_create(cluster, tmp_path):
    f = write(tmp_path, "web.yaml", WEB)
    r = cluster(f"diff -f {f}")
    assert r.code == 1
    assert r.lines[3] == "@@ -0,0 +1,43 @@"
    assert "+  generation: 1" in r.lines and "+apiVersion: apps/v1" in r.lines
    assert not any("resourceVersion" in line for line in r.lines)  # never stored
    assert any(line.startswith("+  uid: ") for line in r.lines)
    assert cluster("get deploy").err == "No resources found in default namespace.\n"


def test_cluster_scoped_name_and_stdin(cluster):
    r = cluster("diff -f -", input="apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n")
    assert r.code == 1
    assert re.match(r"^diff -u -N /\S+/LIVE-\d+/v1\.Namespace\.\.team /\S+/MERGED-\d+/v1\.Namespace\.\.team$", r.lines[0])


def test_secret_values_are_masked(cluster, tmp_path):
    s1 = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YQ==\n  b: Yg==\n"
    f = write(tmp_path, "s.yaml", s1)
    assert cluster(f"apply -f {f}").code == 0
    g = write(tmp_path, "s2.yaml", s1.replace("b: Yg==", "b: Yw==") + "  c: Yw==\n")
    r = cluster(f"diff -f {g}")
    assert r.code == 1
    data = r.out.split("\n kind: Secret")[0].split("@@")[-1]  # kubectl leaves the last-applied annotation as it is
    assert "YQ==" not in data and "Yw==" not in data
    assert "   a: '***'\n-  b: '*** (before)'\n+  b: '*** (after)'\n+  c: '***'" in r.out


def test_external_diff(cluster, tmp_path):
    f = write(tmp_path, "web.yaml", WEB)
    assert cluster(f"apply -f {f}").code == 0
    g = write(tmp_path, "web2.yaml", WEB.replace("replicas: 2", "replicas: 5"))
    prog = tmp_path / "mydiff"
    prog.write_text(f"#!{sys.executable}\nimport sys, os\n"
                    "a, b = sys.argv[-2:]\n"
                    "print(sys.argv[1:-2], sorted(os.listdir(a)), os.path.basename(a)[:5], os.path.basename(b)[:7])\n"
                    "print(open(os.path.join(b, os.listdir(b)[0])).read().count('replicas: 5'))\n"
                    "sys.exit(1)\n")
    prog.chmod(0o755)
    r = cluster(f"diff -f {g}", env={"KUBECTL_EXTERNAL_DIFF": f"{prog} -u --color=never a/b"})
    assert r.code == 1
    assert r.out == "['-u', '--color=never'] ['apps.v1.Deployment.default.web'] LIVE- MERGED-\n1\n"
    assert r.err == ("Warning: invalid argument is ignored: a/b, only Alphanumeric (case-insensitive), dash and "
                     "equal are allowed\n")
    # the temporary directories are gone
    assert not [p for p in os.listdir(os.path.dirname(str(tmp_path))) if p.startswith(("LIVE-", "MERGED-"))]


def test_external_diff_failures_exit_2(cluster, tmp_path):
    f = write(tmp_path, "web.yaml", WEB)
    r = cluster(f"diff -f {f}", env={"KUBECTL_EXTERNAL_DIFF": "no-such-differ"})
    assert (r.code, r.out) == (2, "")
    assert r.err == 'error: failed to run "no-such-differ": exec: "no-such-differ": executable file not found in $PATH\n'
    prog = tmp_path / "bad"
    prog.write_text("#!/bin/sh\nexit 3\n")
    prog.chmod(0o755)
    r = cluster(f"diff -f {f}", env={"KUBECTL_EXTERNAL_DIFF": str(prog)})
    assert (r.code, r.err) == (2, f'error: failed to run "{prog}": exit status 3\n')


@pytest.mark.parametrize("args,err", [
    ("diff", "error: must specify one of -f and -k\n"),
    ("diff x -f y.yaml", "error: Unexpected args: [x]\nSee 'minikctl diff -h' for help and examples\n"),
    ("diff --bogus", "error: unknown flag: --bogus\nSee 'minikctl diff -h' for help and examples\n"),
    ("diff -f /nonexistent.yaml", 'error: the path "/nonexistent.yaml" does not exist\n'),
    ("diff -f web.yaml --force-conflicts", "error: --force-conflicts only works with --server-side\n"),
])
def test_bad_input_exit_2(cluster, tmp_path, state, monkeypatch, args, err):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "web.yaml", WEB)
    before = store_snapshot(state)
    r = cluster(args)
    assert (r.code, r.out, r.err) == (2, "", err)
    assert store_snapshot(state) == before


def test_invalid_object_is_the_servers_error(cluster, tmp_path, state):
    f = write(tmp_path, "web.yaml", WEB)
    assert cluster(f"apply -f {f}").code == 0
    g = write(tmp_path, "bad.yaml", WEB.replace("replicas: 2", "replicas: -3"))
    before = store_snapshot(state)
    r = cluster(f"diff -f {g}")
    assert (r.code, r.out) == (2, "")
    assert r.err == ('The Deployment "web" is invalid: spec.replicas: Invalid value: -3: must be greater than or '
                     "equal to 0\n")
    assert store_snapshot(state) == before


def test_selector_filters_objects(cluster, tmp_path):
    f = write(tmp_path, "two.yaml", WEB + "---\n" + WEB.replace("name: web", "name: api").replace("app: web", "app: api"))
    r = cluster(f"diff -f {f} -l app=api")
    assert r.code == 1
    assert "apps.v1.Deployment.default.api" in r.lines[0]
    assert "apps.v1.Deployment.default.web" not in r.out
