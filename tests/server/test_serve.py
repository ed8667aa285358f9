"""`minikctl serve` (issue 14) driven by the real kubectl 1.32: the server runs in a subprocess on
a free port over a manual-clock cluster; kubectl talks to it with the kubeconfig it wrote, and
what kubectl prints is compared with what `minikctl` prints for the same store."""

from __future__ import annotations

import json
import os
import shlex
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.conftest import run_inprocess
from tests.server.serving import DEPLOY, KUBECTL, Server


def test_kubeconfig_written_once_serving(srv):
    text = open(srv.kubeconfig).read()
    assert os.stat(srv.kubeconfig).st_mode & 0o777 == 0o600
    assert f"    server: {srv.url}\n" in text and "certificate-authority-data: " in text
    assert "current-context: minikctl\n" in text and "    token: " in text
    r = srv.kubectl("config view --minify -o jsonpath={.contexts[0].name}/{.users[0].name}")
    assert (r.code, r.out) == (0, "minikctl/minikctl")


def test_version(srv):
    r = srv.kubectl("version")
    assert r.code == 0, r
    assert r.out.endswith("Server Version: v1.32.0\n")
    code, body = srv.http("GET", "/version")
    assert code == 200 and body["gitVersion"] == "v1.32.0" and body["minor"] == "32"


def test_health(srv):
    for path in ("/healthz", "/livez", "/readyz"):
        r = srv.kubectl(f"get --raw {path}")
        assert (r.code, r.out) == (0, "ok"), r


def test_api_resources_equal_minikctl(srv):
    for flags in ("", "-o wide", "--namespaced=false", "--api-group=apps", "-o name"):
        r = srv.kubectl(f"api-resources {flags}")
        assert r.code == 0, r
        assert r.out == srv.mk(f"api-resources {flags}").out


def test_legacy_discovery(srv):
    code, body = srv.http("GET", "/apis/apps/v1")
    assert code == 200 and body["kind"] == "APIResourceList" and body["groupVersion"] == "apps/v1"
    dep = next(r for r in body["resources"] if r["name"] == "deployments")
    assert dep == {"name": "deployments", "singularName": "deployment", "namespaced": True, "kind": "Deployment",
                   "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
                   "shortNames": ["deploy"], "categories": ["all"]}
    scale = next(r for r in body["resources"] if r["name"] == "deployments/scale")
    assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")
    code, body = srv.http("GET", "/apis")
    assert body["kind"] == "APIGroupList" and body["groups"][0]["name"] == "apps"


def test_apply_expose_and_tables_equal_minikctl(srv):
    r = srv.kubectl("apply -f -", input=DEPLOY)
    assert (r.code, r.out) == (0, "deployment.apps/web created\n"), r
    r = srv.kubectl("expose deployment web --port 80")
    assert (r.code, r.out) == (0, "service/web exposed\n"), r
    for what in ("svc,endpoints -o wide", "deploy,rs,pods -o wide", "pods -A", "nodes", "svc web",
                 "deploy --show-labels", "pods -l app=web", "pods --field-selector status.phase=Running",
                 "ns", "events"):
        k, m = srv.kubectl(f"get {what}"), srv.mk(f"get {what}")
        assert (k.code, k.out, k.err) == (m.code, m.out, m.err), what
    r = srv.kubectl("apply -f -", input=DEPLOY.replace("replicas: 2", "replicas: 3"))
    assert (r.code, r.out) == (0, "deployment.apps/web configured\n"), r
    assert srv.mk("get deploy web -o jsonpath={.spec.replicas}").out == "3"


def test_describe(srv):
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "desc"))
    k = srv.kubectl("describe deployment desc")
    assert k.code == 0, k
    m = srv.mk("describe deployment desc")
    assert k.out.splitlines()[:12] == m.out.splitlines()[:12]


def test_patch_label_scale(srv):
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "pt"))
    r = srv.kubectl(["patch", "deployment", "pt", "-p",
                     '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}'])
    assert (r.code, r.out) == (0, "deployment.apps/pt patched\n"), r
    r = srv.kubectl(["patch", "deployment", "pt", "--type=merge", "-p", '{"metadata":{"annotations":{"a":"b"}}}'])
    assert (r.code, r.out) == (0, "deployment.apps/pt patched\n"), r
    r = srv.kubectl(["patch", "deployment", "pt", "--type=json", "-p",
                     '[{"op":"add","path":"/spec/minReadySeconds","value":1}]'])
    assert (r.code, r.out) == (0, "deployment.apps/pt patched\n"), r
    r = srv.kubectl("label deployment pt tier=front")
    assert (r.code, r.out) == (0, "deployment.apps/pt labeled\n"), r
    r = srv.kubectl("scale deployment pt --replicas=4")
    assert (r.code, r.out) == (0, "deployment.apps/pt scaled\n"), r
    got = json.loads(srv.mk("get deployment pt -o json").out)
    assert got["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert (got["metadata"]["annotations"]["a"], got["spec"]["minReadySeconds"]) == ("b", 1)
    assert (got["metadata"]["labels"]["tier"], got["spec"]["replicas"]) == ("front", 4)
    assert srv.mk("get rs -l app=pt --no-headers").out.count("\n") == 2  # the controllers ran: a new ReplicaSet
    r = srv.kubectl("patch deployment pt -p {bad")
    # kubectl sends it as is; kube-apiserver's strategic-merge decoder refuses it (patch.go)
    assert (r.code, r.err) == (1, "Error from server (BadRequest): invalid character 'b' looking for beginning of "
                                  "object key string\n"), r


def test_scale_subresource(srv):
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "sc"))
    code, body = srv.http("GET", "/apis/apps/v1/namespaces/default/deployments/sc/scale")
    assert code == 200 and body["kind"] == "Scale" and body["spec"] == {"replicas": 2}
    assert body["status"] == {"replicas": 2, "selector": "app=sc"}
    code, body = srv.http("PATCH", "/apis/apps/v1/namespaces/default/deployments/sc/scale",
                          b'{"spec":{"replicas":5}}', "application/merge-patch+json")
    assert code == 200 and body["spec"] == {"replicas": 5}
    assert srv.mk("get deploy sc -o jsonpath={.status.replicas}").out == "5"


def test_delete(srv):
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "gone"))
    r = srv.kubectl("delete deployment gone")
    assert (r.code, r.out) == (0, 'deployment.apps "gone" deleted\n'), r
    assert srv.mk("get rs,pods -l app=gone").err == "No resources found in default namespace.\n"
    r = srv.kubectl("delete deployment gone")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "gone" not found\n')
    srv.mk("create configmap c1 --from-literal=a=b")
    srv.mk("create configmap c2 --from-literal=a=b")
    srv.mk("label configmap c1 c2 batch=x")
    r = srv.kubectl("delete configmap -l batch=x")
    assert (r.code, r.out) == (0, 'configmap "c1" deleted\nconfigmap "c2" deleted\n'), r


def test_dry_run_server_changes_nothing(srv):
    before = srv.mk("get all -A").out
    r = srv.kubectl("apply --dry-run=server -f -", input=DEPLOY.replace("web", "dry"))
    assert (r.code, r.out) == (0, "deployment.apps/dry created (server dry run)\n"), r
    assert srv.mk("get all -A").out == before


def test_explain(srv):
    r = srv.kubectl("explain deployment.spec.replicas")
    assert r.code == 0, r
    assert r.out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n")


def test_list_limit_continue(srv):
    code, first = srv.http("GET", "/api/v1/namespaces?limit=2")
    assert code == 200 and len(first["items"]) == 2 and first["metadata"]["continue"]
    names = [o["metadata"]["name"] for o in first["items"]]
    token = first["metadata"]["continue"]
    code, rest = srv.http("GET", f"/api/v1/namespaces?limit=100&continue={token}")
    names += [o["metadata"]["name"] for o in rest["items"]]
    assert "continue" not in rest["metadata"]
    assert names == srv.mk("get ns -o name").out.replace("namespace/", "").split()


def test_invalid_object_is_kube_apiservers_invalid(srv):
    r = srv.kubectl("apply -f -", input=DEPLOY.replace("web", "neg").replace("replicas: 2", "replicas: -1"))
    assert (r.code, r.err) == (1, 'The Deployment "neg" is invalid: spec.replicas: Invalid value: -1: '
                                  "must be greater than or equal to 0\n"), r
    code, body = srv.http("POST", "/apis/apps/v1/namespaces/default/deployments",
                          json.dumps({"apiVersion": "apps/v1", "kind": "Deployment",
                                      "metadata": {"name": "neg"}, "spec": {"replicas": -1}}).encode())
    assert code == 422 and body["reason"] == "Invalid" and body["details"]["kind"] == "Deployment"
    assert body["details"]["group"] == "apps"
    assert {"reason": "FieldValueInvalid", "message": "Invalid value: -1: must be greater than or equal to 0",
            "field": "spec.replicas"} in body["details"]["causes"]
    assert srv.mk("get deploy neg").code == 1


def test_bad_requests(srv):
    r = srv.kubectl("get pods", token="not-the-token")
    assert (r.code, r.err) == (1, "error: You must be logged in to the server (Unauthorized)\n")
    code, body = srv.http("GET", "/api/v1/pods", token="not-the-token")
    assert (code, body) == (401, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                  "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
    r = srv.kubectl("get widgets")
    assert (r.code, r.err) == (1, 'error: the server doesn\'t have a resource type "widgets"\n')
    code, body = srv.http("GET", "/api/v1/namespaces/default/widgets")
    assert (code, body["reason"], body["message"]) == (404, "NotFound", "the server could not find the requested resource")
    before = srv.mk("get cm").out
    code, body = srv.http("POST", "/api/v1/namespaces/default/configmaps", b'{"kind": "ConfigMap", bad')
    assert (code, body["reason"]) == (400, "BadRequest")
    assert body["message"] == ("couldn't get version/kind; json parse error: invalid character 'b' looking for "
                               "beginning of object key string")
    code, body = srv.http("POST", "/api/v1/namespaces/default/configmaps", b"<x/>", "application/xml")
    assert (code, body["reason"]) == (415, "UnsupportedMediaType")
    assert body["message"] == ("the body of the request was in an unknown format - accepted media types include: "
                               "application/json, application/yaml, application/vnd.kubernetes.protobuf")
    code, body = srv.http("POST", "/api/v1/namespaces/default/configmaps", b"x" * (3 * 1024 * 1024 + 10))
    assert (code, body["reason"]) == (413, "RequestEntityTooLarge")
    assert srv.mk("get cm").out == before
    r = srv.kubectl("get pod nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): pods "nope" not found\n')


def _normal(obj: dict, name: str) -> str:
    """An object without what differs between two creations (uid, times, versions, allocated IPs)."""
    meta = obj["metadata"]
    uid = meta.get("uid")
    for k in ("uid", "resourceVersion", "creationTimestamp", "managedFields"):
        meta.pop(k, None)
    obj.pop("status", None)  # the controllers' (a ReplicaSet's name hashes the template, which has the name)
    spec = obj.get("spec") or {}
    for k in ("clusterIP", "clusterIPs"):
        spec.pop(k, None)
    return json.dumps(obj, sort_keys=True).replace(name, "NAME").replace(uid or "NAME", "UID")


TYPED = [("deployment", "deployments", "--image=nginx:1.27 --replicas=2 --port=80"),
         ("namespace", "namespaces", ""),
         ("service clusterip", "services", "--tcp=80:8080 --tcp=443:8443"),
         ("configmap", "configmaps", "--from-literal=a=b --from-literal=c=d"),
         ("secret generic", "secrets", "--from-literal=password=s3cr3t --type=Opaque"),
         ("serviceaccount", "serviceaccounts", ""),
         ("job", "jobs", "--image=busybox -- echo hi"),
         ("cronjob", "cronjobs", "--image=busybox --schedule=*/5_*_*_*_* --restart=OnFailure -- date"),
         ("quota", "resourcequotas", "--hard=pods=10,cpu=2,memory=1Gi"),
         ("poddisruptionbudget", "poddisruptionbudgets", "--selector=app=web --min-available=50%"),
         ("priorityclass", "priorityclasses", "--value=1000 --description=high --preemption-policy=Never")]


@pytest.mark.parametrize("cmd,resource,args", TYPED, ids=[t[0].replace(" ", "-") for t in TYPED])
def test_typed_create_sends_protobuf(srv, cmd, resource, args):
    """kubectl 1.32's typed create commands send their object as protobuf (client-go's default for
    built-in kinds; a declined body is not retried as JSON): decoded from Kubernetes' .proto
    tables, it makes the same object as `minikctl create` with the same arguments."""
    # in a namespace of their own: the quota must not limit the other tests' pods
    srv.mk("create namespace typed") if srv.mk("get ns typed").code else None
    words = cmd.split() + ["NAME", "-n", "typed"] + [a.replace("_", " ") for a in shlex.split(args)]
    name_k, name_m = f"pb-{resource[:6]}-k", f"pb-{resource[:6]}-m"
    k = srv.kubectl([w if w != "NAME" else name_k for w in ["create", *words]])
    assert k.code == 0, k
    m = srv.mk([w if w != "NAME" else name_m for w in ["create", *words]])
    assert m.code == 0, m
    assert k.out.replace(name_k, "NAME") == m.out.replace(name_m, "NAME")
    got_k = json.loads(srv.mk(["get", resource, name_k, "-n", "typed", "-o", "json"]).out)
    got_m = json.loads(srv.mk(["get", resource, name_m, "-n", "typed", "-o", "json"]).out)
    assert _normal(got_k, name_k) == _normal(got_m, name_m)


def test_malformed_protobuf_is_bad_request(srv):
    before = srv.mk("get cm").out
    code, body = srv.http("POST", "/api/v1/namespaces/default/configmaps", b"k8s\x00\x0a\xff",
                          "application/vnd.kubernetes.protobuf")
    assert (code, body["reason"]) == (400, "BadRequest")
    code, body = srv.http("POST", "/api/v1/namespaces/default/configmaps", b"\x0a\x02",
                          "application/vnd.kubernetes.protobuf")
    assert (code, body["reason"]) == (400, "BadRequest")
    assert body["message"] == ("failed to decode protobuf body: provided data does not appear to be a protobuf "
                               "message, expected prefix [107 56 115 0]")
    code, body = srv.http("POST", "/api/v1/namespaces/default/configmaps", b"\xa1", "application/cbor")
    assert (code, body["reason"]) == (415, "UnsupportedMediaType")
    assert srv.mk("get cm").out == before


def test_cli_keeps_working_beside_server(srv):
    r = srv.mk("create configmap side --from-literal=k=v")
    assert r.code == 0, r
    r = srv.kubectl("get configmap side -o jsonpath={.data.k}")
    assert (r.code, r.out) == (0, "v")


def test_sigterm_stops_cleanly(tmp_path):
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl 1.32 is not installed here")
    s = Server(tmp_path)
    assert s.stop() == 0
    assert s.proc.returncode == 0


def test_get_watch_sees_cli_writes(srv):
    """kubectl get -w: the list, then one line per change another process makes (bounded: the
    test reads the lines it expects, then stops kubectl)."""
    srv.mk("create configmap w0 --from-literal=a=b")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(srv.root), "KUBECONFIG": srv.kubeconfig}
    p = subprocess.Popen([KUBECTL, "get", "configmaps", "-w", "-l", "watched=yes"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, bufsize=0)  # unbuffered: select() sees every line
    try:
        import select

        def line() -> str:
            ready, _, _ = select.select([p.stdout], [], [], 30)
            assert ready, "no watch event within 30 s"
            return p.stdout.readline().decode()

        srv.mk("create configmap w1 --from-literal=a=b")
        srv.mk("label configmap w1 watched=yes")
        assert line() == "NAME   DATA   AGE\n"
        assert line() == "w1     1      0s\n"
        srv.mk(["patch", "configmap", "w1", "-p", '{"data":{"b":"c"}}'])
        assert line() == "w1     2      0s\n"
        srv.mk("delete configmap w1")
        assert line() == "w1     2      0s\n"
    finally:
        p.terminate()
        p.wait(timeout=30)
        p.stdout.close()
        p.stderr.close()


def test_rollout_status_and_wait(srv):
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "ro"))
    r = srv.kubectl("rollout status deployment/ro --timeout=30s")
    assert (r.code, r.out) == (0, 'deployment "ro" successfully rolled out\n'), r
    r = srv.kubectl("set image deployment/ro nginx=nginx:1.26")
    assert (r.code, r.out) == (0, "deployment.apps/ro image updated\n"), r
    r = srv.kubectl("rollout status deployment/ro --timeout=30s")
    assert r.code == 0 and r.out.endswith('deployment "ro" successfully rolled out\n'), r
    r = srv.kubectl("wait --for=condition=Available deployment/ro --timeout=30s")
    assert (r.code, r.out) == (0, "deployment.apps/ro condition met\n"), r


def _watch_lines(srv, path: str, n: int) -> list[dict]:
    import base64

    ca = base64.b64decode(next(ln.split()[-1] for ln in open(srv.kubeconfig)
                               if "certificate-authority-data" in ln)).decode()
    req = urllib.request.Request(srv.url + path, headers={"Authorization": f"Bearer {srv.token()}"})
    with urllib.request.urlopen(req, context=ssl.create_default_context(cadata=ca), timeout=30) as r:
        return [json.loads(r.readline()) for _ in range(n)]


def test_watch_from_resource_version_and_410(srv):
    rv = json.loads(srv.mk("create configmap r1 -o json").out)["metadata"]["resourceVersion"]
    srv.mk("label configmap r1 x=1")
    srv.mk("delete configmap r1")
    events = _watch_lines(srv, f"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}"
                               "&fieldSelector=metadata.name%3Dr1&timeoutSeconds=5", 2)
    assert [(e["type"], e["object"]["metadata"].get("labels")) for e in events] == [("MODIFIED", {"x": "1"}),
                                                                                    ("DELETED", {"x": "1"})]
    assert int(events[1]["object"]["metadata"]["resourceVersion"]) > int(events[0]["object"]["metadata"]["resourceVersion"])
    # a short history (MINIKCTL_WATCH_HISTORY) compacts the log: the old version is gone
    for i in range(3):
        run_inprocess(["create", "configmap", f"old{i}"], srv.state, None,
                      {"MINIKCTL_CONFIG": str(srv.root / "config"), "MINIKCTL_WATCH_HISTORY": "2"})
    compacted = int(srv.mk("get configmap old2 -o jsonpath={.metadata.resourceVersion}").out) - 2
    (event,) = _watch_lines(srv, f"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}", 1)
    assert event == {"type": "ERROR", "object": {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": f"too old resource version: {rv} ({compacted})", "reason": "Expired", "code": 410}}


def test_edit_and_annotate(srv, tmp_path):
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "ed"))
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/replicas: 2/replicas: 3/' \"$1\"\n")
    editor.chmod(0o755)
    env_editor = {"KUBE_EDITOR": str(editor)}
    p = subprocess.run([KUBECTL, "edit", "deployment", "ed"], capture_output=True, timeout=60,
                       env={"PATH": os.environ.get("PATH", ""), "HOME": str(srv.root), "KUBECONFIG": srv.kubeconfig,
                            **env_editor})
    assert (p.returncode, p.stdout.decode()) == (0, "deployment.apps/ed edited\n"), p.stderr
    r = srv.kubectl("annotate deployment ed note=hello")
    assert (r.code, r.out) == (0, "deployment.apps/ed annotated\n"), r
    got = json.loads(srv.mk("get deployment ed -o json").out)
    assert (got["spec"]["replicas"], got["metadata"]["annotations"]["note"]) == (3, "hello")


def test_status_subresource(srv):
    srv.mk("create namespace st")
    code, ns = srv.http("GET", "/api/v1/namespaces/st/status")
    assert code == 200 and ns["status"] == {"phase": "Active"}
    srv.kubectl("apply -f -", input=DEPLOY.replace("web", "stat"))
    code, body = srv.http("PATCH", "/apis/apps/v1/namespaces/default/deployments/stat/status",
                          b'{"status":{"observedGeneration":7},"spec":{"replicas":9}}', "application/merge-patch+json")
    assert code == 200 and body["status"]["observedGeneration"] == 7
    assert body["spec"]["replicas"] == 2  # the status subresource changes the status only


def test_anonymous_is_forbidden(srv):
    import base64

    ca = base64.b64decode(next(ln.split()[-1] for ln in open(srv.kubeconfig)
                               if "certificate-authority-data" in ln)).decode()
    ctx = ssl.create_default_context(cadata=ca)
    with urllib.request.urlopen(srv.url + "/healthz", context=ctx, timeout=30) as r:
        assert (r.status, r.read()) == (200, b"ok")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(srv.url + "/api/v1/pods", context=ctx, timeout=30)
    assert e.value.code == 403
    # the RBAC authorizer's answer (auth.py; more in test_serve_auth.py)
    assert json.loads(e.value.read())["message"] == ('pods is forbidden: User "system:anonymous" cannot list resource '
                                                     '"pods" in API group "" at the cluster scope')


def test_field_validation(srv):
    bad = DEPLOY.replace("web", "fv").replace("  replicas: 2\n", "  replicas: 2\n  replica: 3\n")
    r = srv.kubectl("apply -f -", input=bad)  # kubectl's default: --validate=strict, checked by the server
    assert (r.code, r.err) == (1, 'Error from server (BadRequest): error when creating "STDIN": Deployment in '
                                  'version "v1" cannot be handled as a Deployment: strict decoding error: unknown '
                                  'field "spec.replica"\n'), r
    assert srv.mk("get deploy fv").code == 1
    r = srv.kubectl("apply --validate=warn -f -", input=bad)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/fv created\n", 'Warning: unknown field "spec.replica"\n')
    r = srv.kubectl("apply -f -", input=bad.replace("replicas: 2", "replicas: two"))
    assert r.code == 1 and "json: cannot unmarshal string into Go struct field" in r.err, r


def test_without_the_server_extra(tmp_path, monkeypatch):
    """Without aiohttp (pip install minikctl, no [server] extra): one clear line, exit 1."""
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    r = run_inprocess(["serve", "--port", "0"], str(tmp_path / "state.db"))
    assert (r.code, r.out, r.err) == (1, "", 'error: minikctl serve needs the server extra: pip install '
                                             '"minikctl[server]" (aiohttp)\n')


def test_bad_port(tmp_path):
    r = run_inprocess(["serve", "--port", "70000"], str(tmp_path / "state.db"))
    assert (r.code, r.err) == (1, "error: --port must be between 0 and 65535, got 70000\n")
