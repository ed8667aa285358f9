"""apply / create -f / replace -f / delete -f: kubectl's messages, last-applied, all-or-nothing."""

from __future__ import annotations

import json

from tests.conftest import write
from tests.helpers import store_snapshot

SVC = """apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
    tier: front
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: web
"""


def test_apply_created_unchanged_configured(cluster, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    r = cluster(f"apply -f {f}")
    assert (r.code, r.out) == (0, "service/web created\n"), r
    ip = json.loads(cluster("get svc web -o json").out)["spec"]["clusterIP"]
    r = cluster(f"apply -f {f}")
    assert r.out == "service/web unchanged\n"
    write(tmp_path, "svc.yaml", SVC.replace("targetPort: 8080", "targetPort: 9090").replace("    tier: front\n", ""))
    r = cluster(f"apply -f {f}")
    assert r.out == "service/web configured\n"
    svc = json.loads(cluster("get svc web -o json").out)
    assert svc["spec"]["ports"][0]["targetPort"] == 9090
    assert svc["spec"]["clusterIP"] == ip  # server-allocated values survive re-apply
    assert "tier" not in svc["metadata"]["labels"]  # removed from the manifest -> removed from the object


def test_apply_records_last_applied_configuration(cluster, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    assert cluster(f"apply -f {f}").code == 0
    svc = json.loads(cluster("get svc web -o json").out)
    last = svc["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert last.endswith("}\n")
    cfg = json.loads(last)
    assert cfg["metadata"] == {"annotations": {}, "labels": {"app": "web", "tier": "front"}, "name": "web",
                               "namespace": "default"}
    assert cfg["spec"]["ports"] == [{"port": 80, "targetPort": 8080}]


def test_apply_from_stdin_multi_document_and_json_and_list(cluster):
    docs = SVC + "---\n" + SVC.replace("name: web", "name: api") + "---\n"
    r = cluster("apply -f -", input=docs)
    assert r.out == "service/web created\nservice/api created\n", r
    lst = {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v"}}]}
    r = cluster("apply -f -", input=json.dumps(lst))
    assert r.out == "configmap/a created\nconfigmap/b created\n", r


def test_apply_directory_recursive(cluster, tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    write(tmp_path, "d/one.yaml", SVC)
    write(tmp_path, "d/sub/two.yaml", SVC.replace("name: web", "name: two"))
    write(tmp_path, "d/notes.txt", "not a manifest")
    d = str(tmp_path / "d")
    assert cluster(f"apply -f {d}").out == "service/web created\n"
    assert cluster(f"apply -R -f {d}").out == "service/web unchanged\nservice/two created\n"


def test_refused_document_is_not_written_the_others_are(cluster, state, tmp_path):
    # kubectl 1.32 applies each document on its own (apply.go Run): the refused one is reported
    # and left out, the others are written (tests/cli/test_apply_multi.py has the details)
    bad = SVC.replace("name: web", "name: good") + "---\n" + SVC.replace("port: 80", "port: 99999")
    f = write(tmp_path, "mixed.yaml", bad)
    r = cluster(f"apply -f {f}")
    assert r.code == 1 and r.out == "service/good created\n"
    assert r.err.endswith('The Service "web" is invalid: spec.ports[0].port: Invalid value: 99999: '
                          "must be between 1 and 65535, inclusive\n")
    assert "Traceback" not in r.err
    assert cluster("get svc good").code == 0
    assert cluster("get svc web").code == 1


def test_unknown_field_names_file_and_line(cluster, state, tmp_path):
    # the seed's mistake: selector nested under ports
    seed = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef
spec:
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: 8000
    selector:
      app: cyberchef
"""
    f = write(tmp_path, "lb.yaml", seed)
    before = store_snapshot(state)
    r = cluster(f"apply -f {f}")
    assert r.code == 1
    assert 'unknown field "spec.ports[0].selector"' in r.err
    assert f"{f}:10" in r.err
    assert store_snapshot(state) == before


def test_create_existing_is_already_exists(cluster, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    assert cluster(f"create -f {f}").out == "service/web created\n"
    r = cluster(f"create -f {f}")
    assert r.code == 1
    assert r.err == f'Error from server (AlreadyExists): error when creating "{f}": services "web" already exists\n'


def test_dry_run_writes_nothing(cluster, state, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    before = store_snapshot(state)
    assert cluster(f"apply -f {f} --dry-run=client").out == "service/web created (dry run)\n"
    assert cluster(f"apply -f {f} --dry-run=server").out == "service/web created (server dry run)\n"
    assert store_snapshot(state) == before


def test_replace_and_delete_from_file(cluster, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    r = cluster(f"replace -f {f}")
    assert r.code == 1 and 'services "web" not found' in r.err
    assert cluster(f"create -f {f}").code == 0
    write(tmp_path, "svc.yaml", SVC.replace("targetPort: 8080", "targetPort: 7070"))
    assert cluster(f"replace -f {f}").out == "service/web replaced\n"
    assert json.loads(cluster("get svc web -o json").out)["spec"]["ports"][0]["targetPort"] == 7070
    assert cluster(f"delete -f {f}").out == 'service "web" deleted\n'
    r = cluster(f"delete -f {f}")
    assert r.code == 1 and r.err == 'Error from server (NotFound): services "web" not found\n'


def test_delete_by_name_label_and_all(cluster):
    for n in ("a", "b", "c"):
        assert cluster(f"create service clusterip {n} --tcp=80").code == 0
    assert cluster("delete svc a").out == 'service "a" deleted\n'
    assert cluster("delete svc -l app=b").out == 'service "b" deleted\n'
    assert cluster("delete svc --all").out == 'service "c" deleted\nservice "kubernetes" deleted\n'
    r = cluster("delete svc")
    assert r.code == 1 and "resource(s) were provided, but no name was specified" in r.err


def test_namespace_mismatch_is_refused(cluster, tmp_path):
    assert cluster("create namespace other").code == 0
    f = write(tmp_path, "svc.yaml", SVC.replace("  name: web\n", "  name: web\n  namespace: other\n"))
    r = cluster(f"apply -f {f} -n default")
    assert r.code == 1
    assert 'the namespace from the provided object "other" does not match the namespace "default"' in r.err
    assert cluster(f"apply -f {f}").out == "service/web created\n"
    assert cluster("get svc web -n other -o name").out == "service/web\n"


def test_missing_namespace(cluster, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    r = cluster(f"apply -f {f} -n nowhere")
    assert r.code == 1
    assert r.err == f'Error from server (NotFound): error when creating "{f}": namespaces "nowhere" not found\n'


def test_create_client_dry_run_does_not_ask_the_server(cluster, tmp_path):
    f = write(tmp_path, "svc.yaml", SVC)
    assert cluster(f"create -f {f}").code == 0
    r = cluster(f"create -f {f} --dry-run=client")
    assert (r.code, r.out) == (0, "service/web created (dry run)\n")


def test_yaml_output_quotes_strings_go_yaml_reads_as_booleans(cluster):
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: \"y\"\n  b: \"no\"\n  c: \"80\"\n  d: plain\n"
    assert cluster("apply -f -", input=cm).code == 0
    out = cluster("get cm cm -o yaml").out
    assert '  a: "y"\n  b: "no"\n  c: "80"\n  d: plain\n' in out
