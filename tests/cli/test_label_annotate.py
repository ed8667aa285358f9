"""minikctl label / annotate: kubectl 1.32's messages and rules (label.go, annotate.go),
checked against kubectl with a loopback fake apiserver serving the same objects."""

from __future__ import annotations

import json

import pytest

from scripting_setup import build_base, runner


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("label"))


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


def labels(mk, name, kind="svc"):
    return json.loads(mk(f"get {kind} {name} -o json").out)["metadata"].get("labels") or {}


def annotations(mk, name):
    return json.loads(mk(f"get svc {name} -o json").out)["metadata"].get("annotations") or {}


def test_label_add_overwrite_remove(mk):
    assert mk("label svc web env=dev").out == "service/web labeled\n"
    assert labels(mk, "web")["env"] == "dev"
    r = mk("label svc web env=prod")
    assert (r.code, r.out, r.err) == (1, "", "error: 'env' already has a value (dev), and --overwrite is false\n")
    assert labels(mk, "web")["env"] == "dev"
    assert mk("label svc web env=dev").out == "service/web not labeled\n"  # the same value needs no --overwrite
    assert mk("label svc web env=prod --overwrite").out == "service/web labeled\n"
    assert mk("label svc web env-").out == "service/web unlabeled\n"
    assert "env" not in labels(mk, "web")
    r = mk("label svc web zzz-")
    assert (r.code, r.out) == (0, 'label "zzz" not found.\nservice/web not labeled\n')


def test_label_selectors_all_and_names(mk):
    r = mk("label svc -l app=web,tier=front tier=back --overwrite")
    assert r.out == "service/web labeled\n"
    r = mk("label svc -l app=nothing x=y")
    assert (r.code, r.out, r.err) == (0, "", "")
    r = mk("label svc --all team=a")
    assert r.out.splitlines() == ["service/cyberchef labeled", "service/db labeled", "service/ext labeled",
                                  "service/kubernetes labeled", "service/web labeled"]
    r = mk("label svc/web svc/db team=b --overwrite")
    assert r.out == "service/web labeled\nservice/db labeled\n"
    r = mk("label nodes minikctl-worker disk=ssd")
    assert r.out == "node/minikctl-worker labeled\n" and labels(mk, "minikctl-worker", "node")["disk"] == "ssd"


def test_label_errors_come_after_the_others(mk):
    r = mk("label svc web nope x=y")
    assert (r.code, r.out, r.err) == (1, "service/web labeled\n", 'Error from server (NotFound): services "nope" not found\n')
    r = mk("label svc web db tier=a app=b")
    assert r.code == 1 and r.out == ""
    assert r.err.splitlines() == [
        "['app' already has a value (web), and --overwrite is false, 'tier' already has a value (front), and "
        "--overwrite is false]",
        "'app' already has a value (db), and --overwrite is false"]


@pytest.mark.parametrize("cmd,err", [
    ("label svc x=y", "error: resource(s) were provided, but no name was specified\n"),
    ("label svc web x", "error: at least one label update is required\n"),
    ("label svc web =y", "error: at least one label update is required\n"),
    ("label svc web x=y a b=c", "error: all resources must be specified before label changes: a\n"),
    ("label svc web x=y=z", "error: invalid label spec: x=y=z\n"),
    ("label svc web app- app=x", "error: can not both modify and remove a label in the same command\n"),
    ("label svc --all -l app=web x=y", "error: cannot set --all and --selector at the same time\n"),
    ("label svc web --list -o name", "error: --list and --output may not be specified together\n"),
    ("label svc web -A x=1", "error: a resource cannot be retrieved by name across all namespaces\n"),
    ("label x=1", "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
    ("label svcs web x=1", 'error: the server doesn\'t have a resource type "svcs" (did you mean "svc"?)\n'),
    ("annotate svc web a- a=1",
     "error: can not both modify and remove the following annotation(s) in the same command: a\n"),
    ("annotate svc web a", "error: at least one annotation update is required\n"),
])
def test_argument_errors(mk, cmd, err):
    r = mk(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_label_value_is_validated_like_kubectl(mk):
    r = mk(["label", "svc", "web", "k=bad value"])
    assert r.code == 1 and r.err == (
        'error: invalid label value: "k=bad value": a valid label must be an empty string or consist of alphanumeric '
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n")


def test_list(mk):
    assert mk("label svc web --list").out == "app=web\ntier=front\n"
    r = mk("label svc web db --list")
    assert r.out == "Listing labels for Service./web:\n app=web\n tier=front\nListing labels for Service./db:\n app=db\n"
    assert mk("label svc web x=1 --list").out == "app=web\ntier=front\nx=1\n"
    assert "x" not in labels(mk, "web")  # --list only shows the result


def test_dry_run_and_output(mk):
    assert mk("label svc/web svc/db w=1 --dry-run=client").out == \
        "service/web labeled (dry run)\nservice/db labeled (dry run)\n"
    assert mk("label svc web w=1 --dry-run=server").out == "service/web labeled (server dry run)\n"
    assert "w" not in labels(mk, "web")
    assert mk("label svc web w=1 -o name").out == "service/web\n"
    out = json.loads(mk("label svc web w=2 --overwrite -o json").out)
    assert out["metadata"]["labels"]["w"] == "2"


def test_label_changes_what_selectors_see(mk):
    mk("label svc db tier=back")
    r = mk(["get", "svc", "-l", "tier", "-o", "jsonpath={.items[*].metadata.name}"])
    assert r.out == "db web"


def test_annotate(mk):
    assert mk("annotate svc web a=1").out == "service/web annotated\n"
    r = mk("annotate svc web a=2 b=3")
    assert (r.code, r.err) == (1, "error: --overwrite is false but found the following declared annotation(s): "
                                  "'a' already has a value (1)\n")
    assert mk("annotate svc web a=1 b=3").out == "service/web annotated\n"
    assert mk(["annotate", "svc", "web", "note=has spaces = and more", "--overwrite"]).out == "service/web annotated\n"
    assert annotations(mk, "web")["note"] == "has spaces = and more"
    assert mk("annotate svc web zz-").out == "service/web annotated\n"
    assert mk("annotate svc web a-").out == "service/web annotated\n"
    assert "a" not in annotations(mk, "web")
    r = mk("annotate svc web --list")
    assert r.out.startswith("b=3\nkubectl.kubernetes.io/last-applied-configuration={") and r.out.endswith("}\n\nnote=has spaces = and more\n")


def test_local_files(mk, tmp_path):
    f = tmp_path / "svc.yaml"
    f.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: {app: x}\nspec:\n  ports: [{port: 80}]\n")
    r = mk(f"label --local -f {f} env=dev -o yaml")
    assert r.code == 0 and "env: dev" in r.out and mk("get svc x").code == 1
    r = mk(f"label --local -f {f} app=y")
    assert r.err == "error: 'app' already has a value (x), and --overwrite is false\n"
    r = mk(f"label --local svc web -f {f} a=b")
    assert r.err == "error: can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set\n"
