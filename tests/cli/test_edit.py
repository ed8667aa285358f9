"""minikctl edit: the user's $KUBE_EDITOR / $EDITOR runs on the object's YAML under
kubectl's header; saving sends kubectl's two-way strategic merge patch; an invalid
change reopens the file with kubectl's error comment (editoptions.go). The editor here
is a small Python script that applies one scripted change per launch and keeps a copy
of what it was shown."""

from __future__ import annotations

import json
import os
import sys

import pytest

from scripting_setup import build_base, runner

HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n"
          "#\n")

EDITOR = r'''
import json, os, sys
path = sys.argv[-1]
d = os.environ["EDIT_DIR"]
n = len([f for f in os.listdir(d) if f.startswith("shown")])
text = open(path).read()
open(os.path.join(d, f"shown{n}"), "w").write(text)
steps = json.load(open(os.path.join(d, "steps.json")))
old, new = steps[min(n, len(steps) - 1)]
if old is None:
    text = new
else:
    text = text.replace(old, new)
open(path, "w").write(text)
'''


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("edit"))


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


@pytest.fixture
def editor(tmp_path):
    d = tmp_path / "ed"
    d.mkdir()
    script = d / "editor.py"
    script.write_text(EDITOR)

    def setup(*steps, var="EDITOR"):
        (d / "steps.json").write_text(json.dumps([list(s) for s in steps]))
        return {var: f"{sys.executable} {script}", "EDIT_DIR": str(d)}

    def shown(n: int) -> str:
        return (d / f"shown{n}").read_text()

    setup.shown = shown
    setup.launches = lambda: len([f for f in os.listdir(d) if f.startswith("shown")])
    return setup


def svc(mk, name):
    return json.loads(mk(f"get svc {name} -o json").out)


def test_seed_switch_to_load_balancer(mk, editor):
    """The seed's `kubectl edit service cyberchef`: spec.type NodePort -> LoadBalancer."""
    before = svc(mk, "cyberchef")
    r = mk("edit service cyberchef", env=editor(("type: NodePort", "type: LoadBalancer")))
    assert (r.code, r.out, r.err) == (0, "service/cyberchef edited\n", "")
    shown = editor.shown(0)
    assert shown.startswith(HEADER + "apiVersion: v1\nkind: Service\nmetadata:\n")
    after = svc(mk, "cyberchef")
    assert after["spec"]["type"] == "LoadBalancer"
    assert after["spec"]["ports"][0]["nodePort"] == before["spec"]["ports"][0]["nodePort"]
    assert after["spec"]["clusterIP"] == before["spec"]["clusterIP"]
    # the seed: "If you do a kubectl get services right away you'll see that the EXTERNAL-IP column for
    # cyberchef now says pending. Wait a bit and you should see a public address"
    assert mk("get svc cyberchef").out.splitlines()[1].split()[3] == "<pending>"
    mk("clock advance 3s")
    ingress = mk(["get", "svc", "cyberchef", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]).out
    assert ingress.startswith("172.18.255.")


def test_no_change_and_empty_file(mk, editor):
    r = mk("edit svc/web", env=editor(("", "")))
    assert (r.code, r.out, r.err) == (0, "", "Edit cancelled, no changes made.\n")
    r = mk("edit svc web", env=editor((None, "# nothing left\n\n")))
    assert (r.code, r.out, r.err) == (0, "", "Edit cancelled, saved file was empty.\n")


def test_invalid_reopens_with_kubectl_comment_then_succeeds(mk, editor):
    env = editor(("type: ClusterIP", "type: Foo"), ("type: Foo", "type: NodePort"))
    r = mk("edit svc web", env=env)
    assert r.code == 0
    assert r.err == 'error: services "web" is invalid\n'
    assert r.out == "service/web edited\n"
    second = editor.shown(1)
    assert second.startswith(HEADER + '# services "web" was not valid:\n# * spec.type: Unsupported value: "Foo": '
                             'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n#\n'
                             "apiVersion: v1\n")
    assert "  type: Foo\n" in second  # the user's edit is kept
    assert svc(mk, "web")["spec"]["type"] == "NodePort"


def test_invalid_then_unchanged_gives_up(mk, editor, tmp_path):
    r = mk("edit svc web", env=editor(("type: ClusterIP", "type: Foo"), ("", "")))
    assert r.code == 1 and r.out == ""
    lines = r.err.splitlines()
    assert lines[0] == 'error: services "web" is invalid'
    assert lines[1].startswith('A copy of your changes has been stored to "') and lines[1].endswith('.yaml"')
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    kept = lines[1].split('"')[1]
    assert "# * spec.type: Unsupported value" in open(kept).read()
    os.remove(kept)
    assert svc(mk, "web")["spec"]["type"] == "ClusterIP"


def test_syntax_error_reopens(mk, editor):
    r = mk("edit svc web", env=editor(("  selector:\n", "  selector: [\n"), ("  selector: [\n", "  selector:\n")))
    assert (r.code, r.out, r.err) == (0, "", "Edit cancelled, no changes made.\n")
    second = editor.shown(1)
    assert second.startswith(HEADER + "# The edited file had a syntax error: error parsing edited-file: error "
                                      "converting YAML to JSON: yaml: line ")


def test_name_change_refused(mk, editor):
    r = mk("edit svc web", env=editor(("  name: web\n", "  name: web2\n")))
    assert r.code == 1
    lines = r.err.splitlines()
    assert lines[0].startswith('A copy of your changes has been stored to "')
    assert lines[1] == "error: At least one of apiVersion, kind and name was changed"
    os.remove(lines[0].split('"')[1])


def test_several_objects_and_kube_editor_first(mk, editor):
    env = editor(("tier: front", "tier: middle"), var="KUBE_EDITOR")
    env["EDITOR"] = "false"
    r = mk("edit svc web db", env=env)
    assert (r.code, r.out) == (0, "service/web edited\nservice/db skipped\n")
    assert editor.shown(0).startswith(HEADER + "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n")
    assert svc(mk, "web")["metadata"]["labels"]["tier"] == "middle"


def test_json_editing(mk, editor):
    r = mk("edit svc db -o json", env=editor(('"app": "db"', '"app": "db2"')))
    assert r.code == 0 and json.loads(r.out)["metadata"]["labels"]["app"] == "db2"
    assert editor.shown(0).startswith("{\n")  # no comment header in JSON


def test_editor_failures(mk):
    r = mk("edit svc web", env={"EDITOR": "false"})
    assert (r.code, r.err) == (1, 'error: there was a problem with the editor "false"\n')
    r = mk("edit svc web", env={"EDITOR": "no-such-editor-anywhere"})
    assert (r.code, r.err) == (1, 'error: unable to launch the editor "no-such-editor-anywhere"\n')


def test_targets(mk):
    r = mk("edit svc nope", env={"EDITOR": "true"})
    assert (r.code, r.err) == (1, 'Error from server (NotFound): services "nope" not found\n')
    r = mk("edit", env={"EDITOR": "true"})
    assert r.code == 1 and r.err.startswith("error: You must provide one or more resources by argument or filename.")


def test_unknown_fields_follow_validate(mk, editor):
    """--validate=strict (kubectl edit's default) makes the apiserver refuse unknown fields;
    that is not an invalid object, so kubectl suggests `replace -f` with the kept file."""
    add = ("\nspec:\n", "\nspec:\n  bogus: 1\n")
    r = mk("edit svc web", env=editor(add))
    assert r.code == 1 and r.out == ""
    lines = r.err.splitlines()
    assert lines[0] == 'error: services "web" could not be patched: strict decoding error: unknown field "spec.bogus"'
    assert lines[1].startswith("You can run `minikctl replace -f /") and lines[1].endswith(".yaml` to try this update again.")
    os.remove(lines[1].split("replace -f ")[1].split("`")[0])
    r = mk("edit svc web --validate=warn", env=editor(add))
    assert (r.code, r.out, r.err) == (0, "service/web edited\n", 'Warning: unknown field "spec.bogus"\n')
    r = mk("edit svc db --validate=false", env=editor(add))
    assert (r.code, r.out, r.err) == (0, "service/db edited\n", "")
    assert "bogus" not in svc(mk, "db")["spec"]
