"""`minikctl serve` auth (issue 14): the students of `serve --users`, RBAC on every request (the
evaluator of `minikctl auth can-i`), kube-apiserver's Forbidden and Unauthorized errors as the real
kubectl 1.32 prints them, impersonation, the self reviews behind `kubectl auth can-i` / `auth whoami`,
and `serve --merge-kubeconfig`.

Messages: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (forbiddenMessage),
staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go (NewForbidden), endpoints/filters/impersonation.go.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
import yaml

from tests.server.serving import DEPLOY, KUBECTL, Server

pytest.importorskip("aiohttp")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A HOME of its own for the servers of this module: ~/.kube/config is never touched unasked."""
    h = tmp_path_factory.mktemp("home")
    old = {k: os.environ.get(k) for k in ("HOME", "KUBECONFIG")}
    os.environ["HOME"] = str(h)
    os.environ.pop("KUBECONFIG", None)
    yield h
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="module")
def cls(tmp_path_factory, home):
    """A class: the admin and two students."""
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl 1.32 is not installed here")
    s = Server(tmp_path_factory.mktemp("class"), "--users", "alice,bob")
    s.rest = [s.proc.stdout.readline().decode(), s.proc.stdout.readline().decode()]
    yield s
    s.stop()


def as_user(srv, user: str, cmd: str, input=None):
    """kubectl with the student's kubeconfig (its context's namespace is theirs)."""
    return srv.kubectl(f"--kubeconfig {srv.kubeconfig}-{user} {cmd}", input=input)


def test_students_kubeconfigs(cls, home):
    assert cls.rest == [f'User "alice" (namespace alice): kubeconfig {cls.kubeconfig}-alice\n',
                        f'User "bob" (namespace bob): kubeconfig {cls.kubeconfig}-bob\n']
    for user in ("alice", "bob"):
        path = f"{cls.kubeconfig}-{user}"
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        doc = yaml.safe_load(open(path))
        assert doc["current-context"] == "minikctl"
        assert doc["contexts"] == [{"name": "minikctl", "context": {"cluster": "minikctl", "user": user,
                                                                    "namespace": user}}]
        assert doc["users"][0]["name"] == user and doc["users"][0]["user"]["token"] != cls.token()
        assert doc["clusters"] == yaml.safe_load(open(cls.kubeconfig))["clusters"]
    # each student's namespace and RoleBinding to the admin ClusterRole, made through the object API
    r = cls.mk("get rolebinding -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,"
               "ROLE:.roleRef.name,USER:.subjects[0].name --field-selector metadata.name=minikctl:student")
    assert r.out == ("NS      NAME               ROLE    USER\n"
                     "alice   minikctl:student   admin   alice\n"
                     "bob     minikctl:student   admin   bob\n"), r
    assert cls.mk("get ns alice bob -o name").out == "namespace/alice\nnamespace/bob\n"
    assert not os.path.exists(home / ".kube")  # ~/.kube/config is merged into only when asked


def test_student_works_in_own_namespace(cls):
    r = as_user(cls, "alice", "create deployment web --image=nginx:1.27")
    assert (r.code, r.out) == (0, "deployment.apps/web created\n"), r
    r = as_user(cls, "alice", "get deploy")
    assert r.code == 0 and r.out == cls.mk("get deploy -n alice").out, r
    r = as_user(cls, "alice", "get ns alice -o name")
    assert (r.code, r.out) == (0, "namespace/alice\n"), r
    r = as_user(cls, "alice", "create role reader --verb=get --resource=pods")
    assert (r.code, r.out) == (0, "role.rbac.authorization.k8s.io/reader created\n"), r
    assert as_user(cls, "alice", "get pods").out == cls.mk("get pods -n alice").out


FORBIDDEN = [
    ("get pods -n bob", 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the '
                        'namespace "bob"'),
    ("get pods -A", 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster '
                    'scope'),
    ("get pod web -n bob", 'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in '
                           'the namespace "bob"'),
    ("get nodes", 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster '
                  'scope'),
    ("get ns", 'namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the '
               'cluster scope'),
    ("delete ns alice", 'namespaces "alice" is forbidden: User "alice" cannot delete resource "namespaces" in API '
                        'group "" in the namespace "alice"'),
    ("get deploy -n bob", 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API '
                          'group "apps" in the namespace "bob"'),
    ("create deployment x --image=nginx -n bob", 'error: failed to create deployment: deployments.apps is forbidden: User "alice" cannot create '
                                                 'resource "deployments" in API group "apps" in the namespace "bob"'),
    ("get clusterroles", 'clusterroles.rbac.authorization.k8s.io is forbidden: User "alice" cannot list resource '
                         '"clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope'),
    ("get --raw /metrics", 'forbidden: User "alice" cannot get path "/metrics"'),
]


@pytest.mark.parametrize("cmd,msg", FORBIDDEN, ids=[c for c, _ in FORBIDDEN])
def test_forbidden_as_kubectl_prints_it(cls, cmd, msg):
    r = as_user(cls, "alice", cmd)
    if not msg.startswith("error: "):  # create deployment words it its own way (kubectl 1.32 create_deployment.go)
        msg = f"Error from server (Forbidden): {msg}"
    assert (r.code, r.out, r.err) == (1, "", f"{msg}\n"), r


def test_forbidden_leaves_the_store_unchanged(cls):
    cls.mk("create deployment keep --image=nginx:1.27 -n bob")
    before = cls.mk("get deploy,rs,pods -n bob -o yaml").out
    for cmd in ("delete deploy keep -n bob", "scale deploy keep --replicas=5 -n bob",
                "label deploy keep -n bob x=y", "delete pods --all -n bob"):
        r = as_user(cls, "alice", cmd)
        assert r.code == 1 and 'is forbidden: User "alice" cannot ' in r.err, (cmd, r)
    assert cls.mk("get deploy,rs,pods -n bob -o yaml").out == before


def test_forbidden_subresources_and_status(cls):
    cls.mk("create deployment sub --image=nginx:1.27 -n bob")
    pod = cls.mk("get pods -n bob -l app=sub -o name").out.split()[0].split("/")[1]
    r = as_user(cls, "alice", f"logs {pod} -n bob")  # kubectl logs gets the pod first
    assert r.err == (f'Error from server (Forbidden): pods "{pod}" is forbidden: User "alice" cannot get resource '
                     '"pods" in API group "" in the namespace "bob"\n'), r
    alice = yaml.safe_load(open(f"{cls.kubeconfig}-alice"))["users"][0]["user"]["token"]
    code, body = cls.http("GET", f"/api/v1/namespaces/bob/pods/{pod}/log", token=alice)
    assert (code, body["message"], body["details"]) == (
        403, f'pods "{pod}" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the '
             'namespace "bob"', {"name": pod, "kind": "pods"})
    code, body = cls.http("PATCH", "/apis/apps/v1/namespaces/bob/deployments/sub/scale", b'{}',
                          "application/merge-patch+json", token=alice)
    assert (code, body["message"]) == (403, 'deployments.apps "sub" is forbidden: User "alice" cannot patch '
                                            'resource "deployments/scale" in API group "apps" in the namespace "bob"')
    code, body = cls.http("GET", "/apis/apps/v1/namespaces/bob/deployments/sub", token=alice)
    assert (code, body) == (403, {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'deployments.apps "sub" is forbidden: User "alice" cannot get resource "deployments" in API '
                   'group "apps" in the namespace "bob"',
        "reason": "Forbidden", "details": {"name": "sub", "group": "apps", "kind": "deployments"}, "code": 403})
    code, body = cls.http("GET", "/api/v1/namespaces/bob/pods", token=alice)
    assert body["details"] == {"kind": "pods"}
    code, body = cls.http("GET", f"/api/v1/namespaces/bob/pods/{pod}/exec?command=sh&stdout=true", token=alice)
    assert (code, body["message"]) == (403, f'pods "{pod}" is forbidden: User "alice" cannot create resource '
                                            '"pods/exec" in API group "" in the namespace "bob"')


def test_watch_is_authorized(cls):
    r = as_user(cls, "alice", "get pods -n bob -w")  # kubectl get -w lists first, then watches
    assert (r.code, r.err) == (1, 'Error from server (Forbidden): pods is forbidden: User "alice" cannot list '
                                  'resource "pods" in API group "" in the namespace "bob"\n'), r
    alice = yaml.safe_load(open(f"{cls.kubeconfig}-alice"))["users"][0]["user"]["token"]
    code, body = cls.http("GET", "/api/v1/namespaces/bob/pods?watch=1", token=alice)
    assert (code, body["message"]) == (403, 'pods is forbidden: User "alice" cannot watch resource "pods" in API '
                                            'group "" in the namespace "bob"')
    code, body = cls.http("GET", "/api/v1/namespaces/bob/pods?watch=true&fieldSelector=metadata.name%3Dx",
                          token=alice)
    assert (code, body["message"]) == (403, 'pods "x" is forbidden: User "alice" cannot watch resource "pods" in '
                                            'API group "" in the namespace "bob"')
    r = cls.kubectl("get pods -n bob -w --as alice --request-timeout=5s")
    assert r.code == 1 and "is forbidden" in r.err, r


def test_bad_token_is_unauthorized(cls):
    path = f"{cls.kubeconfig}-alice"
    text = open(path).read().replace(yaml.safe_load(open(path))["users"][0]["user"]["token"], "stale-token")
    bad = os.path.join(os.path.dirname(path), "stale-kubeconfig")
    with open(bad, "w") as f:
        f.write(text)
    r = cls.kubectl(f"--kubeconfig {bad} get pods")
    assert (r.code, r.out, r.err) == (1, "", "error: You must be logged in to the server (Unauthorized)\n"), r
    code, body = cls.http("GET", "/api/v1/namespaces/alice/pods", token="stale-token")
    assert (code, body) == (401, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                  "message": "Unauthorized", "reason": "Unauthorized", "code": 401})


def test_anonymous_gets_rbac_answers(cls):
    import ssl
    import urllib.error
    import urllib.request

    import base64

    ca = base64.b64decode(yaml.safe_load(open(cls.kubeconfig))["clusters"][0]["cluster"]
                          ["certificate-authority-data"]).decode()
    ctx = ssl.create_default_context(cadata=ca)
    with urllib.request.urlopen(cls.url + "/version", context=ctx, timeout=30) as r:
        assert r.status == 200  # system:public-info-viewer
    for path, msg in (("/api/v1/namespaces/alice/pods", 'pods is forbidden: User "system:anonymous" cannot list '
                                                        'resource "pods" in API group "" in the namespace "alice"'),
                      ("/apis", 'forbidden: User "system:anonymous" cannot get path "/apis"')):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(cls.url + path, context=ctx, timeout=30)
        assert (e.value.code, json.loads(e.value.read())["message"]) == (403, msg)


def test_admin_impersonates(cls):
    r = cls.kubectl("get pods -n bob --as alice")
    assert r.err == ('Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in '
                     'API group "" in the namespace "bob"\n'), r
    r = cls.kubectl("get deploy -n alice --as alice")
    assert r.code == 0 and r.out == cls.mk("get deploy -n alice").out, r
    r = cls.kubectl("get pods -n bob --as alice --as-group kubeadm:cluster-admins")  # the group's rights
    assert r.code == 0 and r.out == cls.mk("get pods -n bob").out, r
    r = as_user(cls, "alice", "get pods --as bob")
    assert r.err == ('Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate '
                     'resource "users" in API group "" at the cluster scope\n'), r
    r = as_user(cls, "alice", "get pods --as system:serviceaccount:bob:default")
    assert r.err == ('Error from server (Forbidden): serviceaccounts "default" is forbidden: User "alice" cannot '
                     'impersonate resource "serviceaccounts" in API group "" in the namespace "bob"\n'), r


WHOAMI = [("", ""), ("--as alice", "--as alice"), ("--as alice --as-group g1 --as-group g2",
                                                   "--as alice --as-group g1 --as-group g2"),
          ("--as system:serviceaccount:alice:default", "--as system:serviceaccount:alice:default")]


@pytest.mark.parametrize("k,m", WHOAMI, ids=[k or "admin" for k, _ in WHOAMI])
def test_whoami_equals_minikctl(cls, k, m):
    for out in ("", " -o yaml", " -o json"):
        a, b = cls.kubectl(f"auth whoami {k}{out}"), cls.mk(f"auth whoami {m}{out}")
        assert (a.code, a.out, a.err) == (b.code, b.out, b.err), out


def test_student_whoami(cls):
    r = as_user(cls, "alice", "auth whoami")
    assert (r.code, r.out) == (0, "ATTRIBUTE   VALUE\nUsername    alice\nGroups      [system:authenticated]\n"), r


CAN_I = ["list pods", "list pods -n bob", "create deployments.apps", "get pods/log", "get pods --subresource=log",
         "create pods --subresource=exec -n bob", "delete namespaces", "get nodes", "list pods -A", "get /version",
         "get /metrics", "create rolebindings", "impersonate users", "'*' '*'", "get pods/web", "--list",
         "--list -n bob", "--list --no-headers", "list secrets -q", "create selfsubjectaccessreviews", "frob pods",
         "get widgets", "get nodes -A", "post /healthz", "frob /healthz"]


@pytest.mark.parametrize("args", CAN_I)
def test_can_i_equals_minikctl(cls, args):
    """kubectl auth can-i against the server = minikctl auth can-i for the same user."""
    a, b = as_user(cls, "alice", f"auth can-i {args}"), cls.mk(f"auth can-i {args} --as alice -n alice")
    if "-n bob" in args or "-A" in args:
        b = cls.mk(f"auth can-i {args} --as alice")
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err), args
    a, b = cls.kubectl(f"auth can-i {args}"), cls.mk(f"auth can-i {args}")  # the admin
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err), args


def test_self_access_review_raw(cls):
    alice = yaml.safe_load(open(f"{cls.kubeconfig}-alice"))["users"][0]["user"]["token"]
    body = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "bob"}}}
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                         json.dumps(body).encode(), token=alice)
    assert (code, out) == (201, {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                                 "metadata": {"creationTimestamp": None}, "spec": body["spec"],
                                 "status": {"allowed": False}})
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                         b'{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{}}',
                         token=alice)
    assert (code, out["message"]) == (422, 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: '
                                           'spec.resourceAttributes: Invalid value: "null": exactly one of '
                                           'nonResourceAttributes or resourceAttributes must be specified')
    code, out = cls.http("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", token=alice)
    assert (code, out["message"]) == (403, 'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "alice" '
                                           'cannot list resource "selfsubjectaccessreviews" in API group '
                                           '"authorization.k8s.io" at the cluster scope')
    code, out = cls.http("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")  # the admin: create only
    assert (code, out["reason"]) == (405, "MethodNotAllowed")


def test_bad_users_flag(cls):
    for arg, msg in (("Alice", '--users: "Alice" is not a valid user name: it names the user\'s namespace, so it '
                               "must be a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 characters)"),
                     ("kube-system", '--users: "kube-system" is reserved (the cluster\'s own namespaces and its '
                                     'admin)')):
        r = cls.mk(f"serve --users {arg}")
        assert (r.code, r.out, r.err) == (1, "", f"error: {msg}\n"), r


def _serve_again(srv, *extra, env=None):
    """A second `minikctl serve` over the same store (after the first stopped)."""
    e = {**os.environ, "MINIKCTL_STATE": srv.state, "MINIKCTL_CONFIG": str(srv.root / "config"), **(env or {})}
    p = subprocess.Popen([sys.executable, "-m", "minikctl", "serve", "--port", "0", "--kubeconfig", srv.kubeconfig,
                          *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
    line = p.stdout.readline().decode()
    assert line.startswith("Starting to serve on https://"), (line, p.stderr.read())
    srv.proc, srv.url = p, line.split()[4]
    return p


def test_tokens_survive_a_restart_and_merge_only_when_asked(tmp_path, home):
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl 1.32 is not installed here")
    kube = tmp_path / "kube"
    kube.mkdir()
    mine = kube / "first"
    other = {"apiVersion": "v1", "kind": "Config", "preferences": {}, "current-context": "prod",
             "clusters": [{"name": "prod", "cluster": {"server": "https://prod.example:6443"}},
                          {"name": "minikctl", "cluster": {"server": "https://stale:1"}}],
             "contexts": [{"name": "prod", "context": {"cluster": "prod", "user": "ops"}}],
             "users": [{"name": "ops", "user": {"token": "ops-token"}}]}
    mine.write_text(yaml.safe_dump(other))
    os.chmod(mine, 0o644)
    (tmp_path / "srv").mkdir()
    s = Server(tmp_path / "srv", "--users", "carol")
    try:
        token = yaml.safe_load(open(f"{s.kubeconfig}-carol"))["users"][0]["user"]["token"]
        assert not os.path.exists(home / ".kube") and yaml.safe_load(mine.read_text()) == other
    finally:
        s.stop()
    _serve_again(s, "--users", "carol,dave", "--merge-kubeconfig",
                 env={"KUBECONFIG": f"{mine}{os.pathsep}{kube / 'second'}"})
    try:
        assert yaml.safe_load(open(f"{s.kubeconfig}-carol"))["users"][0]["user"]["token"] == token
        r = as_user(s, "carol", "get pods")
        assert (r.code, r.err) == (0, "No resources found in carol namespace.\n"), r
        merged = yaml.safe_load(mine.read_text())
        admin = yaml.safe_load(open(s.kubeconfig))
        assert merged["current-context"] == "minikctl"
        assert merged["clusters"] == [other["clusters"][0]] + admin["clusters"]
        assert merged["contexts"] == other["contexts"] + admin["contexts"]
        assert merged["users"] == other["users"] + admin["users"]
        assert stat.S_IMODE(os.stat(mine).st_mode) == 0o600
        assert not os.path.exists(kube / "second") and not os.path.exists(home / ".kube")
        p = subprocess.run([KUBECTL, "get", "ns", "dave", "-o", "name"], capture_output=True,
                           env={"PATH": os.environ["PATH"], "HOME": str(home), "KUBECONFIG": str(mine)})
        assert (p.returncode, p.stdout) == (0, b"namespace/dave\n"), p
    finally:
        s.stop()


def test_reviews_in_discovery_equal_minikctl(cls):
    for what in ("api-resources --api-group=authorization.k8s.io -o wide", "api-resources --verbs=create -o name",
                 "api-resources --api-group=authentication.k8s.io"):
        k, m = cls.kubectl(what), cls.mk(what)
        assert (k.code, k.out, k.err) == (m.code, m.out, m.err), what
    assert "selfsubjectaccessreviews.authorization.k8s.io\n" in cls.kubectl("api-resources -o name").out
    versions = cls.kubectl("api-versions").out.split()
    assert "authentication.k8s.io/v1" in versions and "authorization.k8s.io/v1" in versions
    for args in ("create selfsubjectaccessreviews", "create localsubjectaccessreviews", "create tokenreviews"):
        a, b = as_user(cls, "alice", f"auth can-i {args}"), cls.mk(f"auth can-i {args} --as alice -n alice")
        assert (a.code, a.out, a.err) == (b.code, b.out, b.err), args


def test_subject_access_and_token_reviews(cls):
    """The admin's reviews of another user (what webhooks and the kubelet ask kube-apiserver)."""
    sar = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
           "spec": {"user": "alice", "groups": ["system:authenticated"],
                    "resourceAttributes": {"verb": "delete", "resource": "pods", "namespace": "alice"}}}
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", json.dumps(sar).encode())
    assert (code, out["status"]) == (201, {"allowed": True})
    sar["spec"]["resourceAttributes"]["namespace"] = "bob"
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/namespaces/bob/localsubjectaccessreviews",
                         json.dumps({**sar, "kind": "LocalSubjectAccessReview"}).encode())
    assert (code, out["metadata"], out["status"]) == (201, {"namespace": "bob", "creationTimestamp": None},
                                                      {"allowed": False})
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/namespaces/alice/localsubjectaccessreviews",
                         json.dumps({**sar, "kind": "LocalSubjectAccessReview"}).encode())
    assert (code, out["message"]) == (422, 'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: '
                                           'spec.resourceAttributes.namespace: Invalid value: "bob": must match '
                                           'metadata.namespace')
    del sar["spec"]["user"], sar["spec"]["groups"]
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", json.dumps(sar).encode())
    assert (code, out["message"]) == (422, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: '
                                           'Invalid value: "": at least one of user or group must be specified')
    alice = yaml.safe_load(open(f"{cls.kubeconfig}-alice"))["users"][0]["user"]["token"]
    code, out = cls.http("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", json.dumps(sar).encode(),
                         token=alice)
    assert (code, out["message"]) == (403, 'subjectaccessreviews.authorization.k8s.io is forbidden: User "alice" '
                                           'cannot create resource "subjectaccessreviews" in API group '
                                           '"authorization.k8s.io" at the cluster scope')
    tr = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": alice}}
    code, out = cls.http("POST", "/apis/authentication.k8s.io/v1/tokenreviews", json.dumps(tr).encode())
    assert (code, out["status"]) == (201, {"authenticated": True,
                                           "user": {"username": "alice", "groups": ["system:authenticated"]},
                                           "audiences": ["https://kubernetes.default.svc.cluster.local"]})
    tr["spec"]["token"] = "nope"
    code, out = cls.http("POST", "/apis/authentication.k8s.io/v1/tokenreviews", json.dumps(tr).encode())
    assert (code, out["status"]) == (201, {"user": {}, "error": "[invalid bearer token, token lookup failed]"})


def test_can_i_list_incomplete_only_for_a_node(cls):
    """cani.go warns when the review says incomplete: the Node authorizer's rules for a node; RBAC's
    dangling role reference is only an evaluationError (authorizer/union.go, rbac.go RulesFor)."""
    r = cls.mk("create rolebinding ghost --role=ghost --user=alice -n alice")
    assert r.code == 0, r
    a, b = as_user(cls, "alice", "auth can-i --list"), cls.mk("auth can-i --list --as alice -n alice")
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err) and a.err == ""
    a, b = as_user(cls, "alice", "auth can-i list secrets"), cls.mk("auth can-i list secrets --as alice -n alice")
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err) == (0, "yes\n", "")
    a = as_user(cls, "alice", "auth can-i list secrets -n bob")
    assert (a.code, a.out) == (1, "no\n")
    node = "--as system:node:kind-worker --as-group system:nodes"
    a, b = cls.kubectl(f"auth can-i --list {node}"), cls.mk(f"auth can-i --list {node}")
    assert (a.code, a.out, a.err) == (b.code, b.out, b.err)
    assert a.err == "Warning: the list may be incomplete: node authorizer does not support user rule resolution\n"
    cls.mk("delete rolebinding ghost -n alice")


ESCALATION = [
    ("create rolebinding boss --clusterrole=cluster-admin --user=alice",
     'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "boss" is forbidden: user "alice" '
     '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n'
     '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}\n'),
    ("create role q --verb=update,patch --resource=resourcequotas,pods",
     'Error from server (Forbidden): roles.rbac.authorization.k8s.io "q" is forbidden: user "alice" '
     '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n'
     '{APIGroups:[""], Resources:["resourcequotas"], Verbs:["update" "patch"]}\n'),
    ("create rolebinding ghost --role=nope --user=bob",
     'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "ghost" is forbidden: '
     'role.rbac.authorization.k8s.io "nope" not found\n'),
]


@pytest.mark.parametrize("cmd,err", ESCALATION, ids=[c for c, _ in ESCALATION])
def test_no_escalation_in_own_namespace(cls, cmd, err):
    """pkg/registry/rbac/*/policybased/storage.go: a student's admin role lets them grant what they hold, no
    more (validation.ConfirmNoEscalation's message; kubectl create rolebinding wraps it)."""
    before = cls.mk("get roles,rolebindings -n alice -o name").out
    r = as_user(cls, "alice", cmd)
    assert (r.code, r.out, r.err) == (1, "", err), r
    assert cls.mk("get roles,rolebindings -n alice -o name").out == before


def test_granting_what_one_holds(cls):
    r = as_user(cls, "alice", "create rolebinding viewer --clusterrole=view --user=bob")
    assert (r.code, r.out) == (0, "rolebinding.rbac.authorization.k8s.io/viewer created\n"), r
    r = cls.kubectl("get pods -n alice --as bob")
    assert (r.code, r.out) == (0, cls.mk("get pods -n alice").out), r
    r = as_user(cls, "alice", "create role secrets --verb=get,list --resource=secrets,pods")
    assert (r.code, r.out) == (0, "role.rbac.authorization.k8s.io/secrets created\n"), r
    r = cls.kubectl("create rolebinding boss --clusterrole=cluster-admin --user=alice -n bob")  # the admin may
    assert (r.code, r.out) == (0, "rolebinding.rbac.authorization.k8s.io/boss created\n"), r
    r = as_user(cls, "alice", "get pods -n bob")
    assert (r.code, r.out) == (0, cls.mk("get pods -n bob").out), r
    assert cls.mk("delete rolebinding boss -n bob").code == 0
