"""minikctl patch: strategic merge (the default), JSON merge and JSON patch, with
kubectl's messages and the apiserver's refusals. The strategic merge results themselves
are compared with `kubectl patch --local` when kubectl is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from scripting_setup import build_base, runner

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: main
        image: nginx
        ports: [{containerPort: 80, name: http}]
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
      - name: side
        image: busybox
        command: [sleep, infinity]
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("patch"), DEPLOY)


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


def obj(mk, what):
    return json.loads(mk(f"get {what} -o json").out)


def test_strategic_merge_ports_merge_by_port(mk):
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"ports":[{"port":8080,"name":"alt","targetPort":9090}]}}'])
    assert (r.code, r.out, r.err) == (0, "service/web patched\n", "")
    ports = obj(mk, "svc web")["spec"]["ports"]
    assert [(p["port"], p["name"]) for p in ports] == [(8080, "alt"), (80, "http"), (443, "https")]
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"ports":[{"port":80,"targetPort":8081}]}}'])
    assert r.out == "service/web patched\n"
    ports = obj(mk, "svc web")["spec"]["ports"]
    assert [(p["port"], p["targetPort"]) for p in ports] == [(8080, 9090), (80, 8081), (443, 8443)]
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"ports":[{"port":8080,"$patch":"delete"}]}}'])
    assert [p["port"] for p in obj(mk, "svc web")["spec"]["ports"]] == [80, 443]


def test_no_change(mk):
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"type":"ClusterIP"}}'])
    assert (r.code, r.out) == (0, "service/web patched (no change)\n")


def test_containers_merge_by_name(mk):
    r = mk(["patch", "deployment", "app", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"main",'
                                              '"image":"nginx:1.27","env":[{"name":"B","value":"3"}]}]}}}}'])
    assert r.out == "deployment.apps/app patched\n"
    spec = obj(mk, "deploy app")["spec"]["template"]["spec"]
    assert [c["name"] for c in spec["containers"]] == ["main", "side"]
    main = spec["containers"][0]
    assert main["image"] == "nginx:1.27" and main["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}]


def test_merge_patch_replaces_lists(mk):
    r = mk(["patch", "svc", "web", "--type", "merge", "-p", '{"spec":{"ports":[{"port":8080,"targetPort":80}]}}'])
    assert r.out == "service/web patched\n"
    assert [p["port"] for p in obj(mk, "svc web")["spec"]["ports"]] == [8080]
    r = mk(["patch", "svc", "web", "--type=merge", "-p", '{"metadata":{"labels":{"tier":null}}}'])
    assert "tier" not in obj(mk, "svc web")["metadata"]["labels"]


def test_json_patch(mk):
    r = mk(["patch", "svc", "web", "--type", "json", "-p",
            '[{"op":"replace","path":"/spec/ports/0/port","value":81},{"op":"add","path":"/metadata/labels/x","value":"1"},'
            '{"op":"remove","path":"/spec/ports/1"}]'])
    assert r.out == "service/web patched\n"
    svc = obj(mk, "svc web")
    assert [p["port"] for p in svc["spec"]["ports"]] == [81] and svc["metadata"]["labels"]["x"] == "1"
    r = mk(["patch", "svc", "web", "--type", "json", "-p", '[{"op":"test","path":"/spec/type","value":"NodePort"}]'])
    assert (r.code, r.err) == (1, "The request is invalid: the server rejected our request due to an error in our request\n")
    r = mk(["patch", "svc", "web", "--type", "json", "-p", '[{"op":"remove","path":"/spec/nope"}]'])
    assert r.code == 1 and r.err.startswith("The request is invalid")


def test_yaml_patch_and_patch_file(mk, tmp_path):
    r = mk(["patch", "svc", "web", "-p", "metadata:\n  labels:\n    from: yaml\n"])
    assert r.out == "service/web patched\n" and obj(mk, "svc web")["metadata"]["labels"]["from"] == "yaml"
    f = tmp_path / "p.json"
    f.write_text('{"metadata":{"labels":{"from":"file"}}}')
    r = mk(["patch", "svc", "web", "--patch-file", str(f)])
    assert r.out == "service/web patched\n" and obj(mk, "svc web")["metadata"]["labels"]["from"] == "file"


def test_type_change_allocates_node_ports(mk):
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"type":"NodePort"}}'])
    assert r.out == "service/web patched\n"
    assert all(30000 <= p["nodePort"] <= 32767 for p in obj(mk, "svc web")["spec"]["ports"])


@pytest.mark.parametrize("args,err", [
    (["-p", "{bad"], "Error from server (BadRequest): invalid character 'b' looking for beginning of object key string\n"),
    (["--type", "merge", "-p", "{bad"],
     "Error from server (BadRequest): error decoding patch: invalid character 'b' looking for beginning of object key string\n"),
    (["-p", "[1]"], "Error from server (BadRequest): json: cannot unmarshal array into Go value of type map[string]interface {}\n"),
    (["--type", "json", "-p", "{}"], "Error from server (BadRequest): error decoding patch: json: cannot unmarshal "
                                     "object into Go value of type []handlers.jsonPatchOp\n"),
    (["-p", '{"spec":{"ports":[{"targetPort":1}]}}'],
     "Error from server: map: map[targetPort:1] does not contain declared merge key: port\n"),
    (["-p", '{"spec":{"ports":[{"port":80,"$patch":"merge"}]}}'],
     "Error from server: merging lists cannot yet be specified in the patch\n"),
    (["-p", '{"metadata":{"name":"other"}}'],
     "Error from server (BadRequest): the name of the object (other) does not match the name on the URL (web)\n"),
    ([], "error: must specify --patch or --patch-file containing the contents of the patch\n"),
    (["-p", "{}", "--type", "x"], 'error: --type must be one of [json merge strategic], not "x"\n'),
])
def test_errors(mk, args, err):
    r = mk(["patch", "svc", "web", *args])
    assert (r.code, r.out, r.err) == (1, "", err)


def test_invalid_result_is_refused_with_apiserver_wording(mk):
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"type":"Foo"}}'])
    assert r.code == 1 and r.out == ""
    assert r.err.startswith('The Service "web" is invalid: spec.type: Unsupported value: "Foo": supported values: ')
    assert obj(mk, "svc web")["spec"]["type"] == "ClusterIP"


def test_unknown_field_is_dropped_with_a_warning(mk):
    r = mk(["patch", "svc", "web", "-p", '{"spec":{"bogus":1}}'])
    assert (r.code, r.out, r.err) == (0, "service/web patched (no change)\n", 'Warning: unknown field "spec.bogus"\n')


def test_targets(mk):
    assert mk(["patch", "svc", "nope", "-p", "{}"]).err == 'Error from server (NotFound): services "nope" not found\n'
    assert mk(["patch", "svc", "-p", "{}"]).err == "error: resource(s) were provided, but no name was specified\n"
    r = mk(["patch", "svc/web", "svc/db", "-p", '{"metadata":{"labels":{"p":"1"}}}', "-o", "name"])
    assert r.out == "service/web\nservice/db\n"
    r = mk(["patch", "svc", "web", "-p", '{"metadata":{"labels":{"p":"2"}}}', "--dry-run=client"])
    assert r.out == "service/web patched (dry run)\n" and obj(mk, "svc web")["metadata"]["labels"]["p"] == "1"


KUBECTL = next((p for p in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                            shutil.which("kubectl")) if p and os.path.exists(p)), None)

SMP_CASES = [
    '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}',
    '{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}',
    '{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"x"},{"$patch":"replace"}]}}}}',
    '{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":8080}],"env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}}}',
    '{"spec":{"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}}}',
    '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}',
    '{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}',
    '{"metadata":{"finalizers":["d","a"]}}',
    '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"web"},{"name":"n"}],"containers":[{"name":"n","image":"x"}]}}}}',
    '{"spec":{"template":{"spec":{"volumes":[{"name":"v1","$retainKeys":["name","hostPath"],"hostPath":{"path":"/x"}}]}}}}',
    '{"spec":{"selector":{"$patch":"replace","matchLabels":{"x":"y"}}}}',
]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl not installed")
def test_strategic_merge_same_as_kubectl_local(tmp_path):
    from minikctl.api.merge import strategic_merge

    doc = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "finalizers": ["a", "b", "c"]},
           "spec": {"selector": {"matchLabels": {"app": "web"}}, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
                    "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                        "tolerations": [{"key": "a", "operator": "Exists"}],
                        "containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}, {"containerPort": 443}],
                                        "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
                                       {"name": "side", "image": "busybox"}],
                        "volumes": [{"name": "v1", "emptyDir": {}}]}}}}
    f = tmp_path / "d.json"
    f.write_text(json.dumps(doc))
    for patch in SMP_CASES:
        r = subprocess.run([KUBECTL, "patch", "--local", "-f", str(f), "-p", patch, "-o", "json"],
                           capture_output=True, text=True, check=True)
        theirs = json.loads(r.stdout)
        theirs.pop("status", None)
        theirs["metadata"].pop("creationTimestamp", None)
        tmpl = theirs["spec"]["template"]
        tmpl["metadata"].pop("creationTimestamp", None)
        for c in tmpl["spec"].get("containers", []):
            c.pop("resources", None)
        assert strategic_merge(doc, json.loads(patch), "Deployment") == theirs, patch


@pytest.mark.parametrize("ptype,message", [
    ("strategic", "invalid JSON document"),   # apimachinery mergepatch.ErrBadJSONDoc
    ("merge", "Invalid JSON Patch"),          # json-patch errBadJSONPatch
    ("json", "invalid character 'b' looking for beginning of object key string"),
])
def test_local_patch_that_is_not_json_gets_kubectls_error(mk, tmp_path, ptype, message):
    """kubectl 1.32 `patch --local -f F -p '{bad'`: one line, exit 1 (was an internal error)."""
    f = tmp_path / "d.yaml"
    f.write_text(mk("create deployment web --image=nginx --dry-run=client -o yaml").out)
    r = mk(["patch", "--local", "-f", str(f), "--type", ptype, "-p", "{bad", "-o", "yaml"])
    assert (r.code, r.out, r.err) == (1, "", f"error: {message}\n")
