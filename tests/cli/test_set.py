"""set image|env|resources|selector|serviceaccount|subject through the CLI (issue 12).

Expected texts are kubectl 1.32's (`kubectl.1.32 set ... --local -f FILE`, offline), and
staging/src/k8s.io/kubectl/pkg/cmd/set (set_image.go, set_env.go, env/env_parse.go,
set_resources.go, set_selector.go, set_serviceaccount.go, set_subject.go, helper.go).
"""

from __future__ import annotations

import json

from tests.conftest import write
from tests.helpers import store_snapshot

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""
SVC = """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - name: "80"
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  type: ClusterIP
status:
  loadBalancer: {}
"""


def _files(tmp_path):
    return write(tmp_path, "d.yaml", DEPLOY), write(tmp_path, "s.yaml", SVC)


# ------------------------------------------------------------------ --local, as kubectl 1.32 prints it
def test_local_image(mk, tmp_path):
    d, s = _files(tmp_path)
    assert mk(f"set image -f {d} nginx=nginx:2 --local").out == "deployment.apps/web image updated\n"
    assert mk(f"set image -f {d} nginx=nginx:2 --local --dry-run=client").out == \
        "deployment.apps/web image updated (dry run)\n"
    assert mk(f"set image -f {d} '*=nginx:2' --local -o name").out == "deployment.apps/web\n"
    r = mk(f"set image -f {d} nginx=nginx:2 --local -o yaml")
    assert r.out == DEPLOY.replace("- image: nginx\n", "- image: nginx:2\n")
    assert mk(f"set image -f {d} nginx=nginx --local").out == ""  # nothing changed, nothing printed
    r = mk(f"set image -f {d} nginx=nginx:2 x=y --local")
    assert (r.code, r.out, r.err) == (1, "deployment.apps/web image updated\n",
                                      'error: unable to find container named "x"\n')
    r = mk(f"set image -f {s} nginx=nginx:2 --local")
    assert (r.code, r.err) == (1, "error: service/web the object is not a pod or does not have a pod template: "
                                  "*v1.Service\n")


def test_local_image_refusals(mk, tmp_path):
    d, _ = _files(tmp_path)
    r = mk("set image deploy/web nginx=nginx:2 --local")
    assert (r.code, r.err) == (1, "error: you must specify resources by --filename when --local is set.\n"
                                  "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                                  "   '--filename=rsrc.json'\n")
    assert mk(f"set image -f {d} --local").err == "error: at least one image update is required\n"
    assert mk(f"set image -f {d} nginx=nginx:2 --local --dry-run=server").err == \
        "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n"
    assert mk(f"set image -f {d} '*=nginx:2' x=y --local").err == \
        "error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n"


def test_local_env(mk, tmp_path):
    d, _ = _files(tmp_path)
    r = mk(f"set env -f {d} --local A=1 B=2 -o yaml")
    assert r.out == DEPLOY.replace("      - image: nginx\n", "      - env:\n        - name: A\n          value: \"1\"\n"
                                   "        - name: B\n          value: \"2\"\n        image: nginx\n")
    assert mk(f"set env -f {d} --local A=1 --list").out == "# Deployment web, container nginx\nA=1\n"
    r = mk(f"set env -f {d} --local A=1 -c x")
    assert (r.code, r.out, r.err) == (0, "", 'Warning: Deployment/web does not have any containers matching "x"\n')
    r = mk(f"set env -f {d} --local 1A=1")
    assert r.err == ('error: "1A" is not a valid key name: a valid environment variable name must consist of '
                     "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. "
                     "'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
                     "'[-._a-zA-Z][-._a-zA-Z0-9]*')\n")
    assert mk(f"set env -f {d} --local A=1 A-").err == \
        "error: can not both modify and remove the same environment variable in the same command\n"
    assert mk(f"set env -f {d} --local --keys=a").err == \
        "error: when specifying --keys, a configmap or secret must be provided with --from\n"
    assert mk(f"set env -f {d} --local A=1 --list -o yaml").err == \
        "error: --list and --output may not be specified together\n"
    r = mk(f"set env -f {d} --local A=1 --prefix=P_ -o jsonpath={{.spec.template.spec.containers[0].env[0].name}}")
    assert r.out == "P_A"
    r = mk(f"set env -f {d} --local -e X=1 -e Y=2 -o jsonpath={{.spec.template.spec.containers[0].env[*].name}}")
    assert r.out == "X Y"
    assert mk(f"set env -f {d} --local --from=configmap/cfg").err == "error: unsupported resource specified in --from\n"


def test_local_resources_serviceaccount_selector(mk, tmp_path):
    d, s = _files(tmp_path)
    r = mk(f"set resources -f {d} --local --limits=cpu=200m,memory=512Mi --requests=cpu=0.1 -o yaml")
    assert r.out == DEPLOY.replace("        resources: {}\n", "        resources:\n          limits:\n            cpu: 200m\n"
                                   "            memory: 512Mi\n          requests:\n            cpu: 100m\n")
    assert mk(f"set resources -f {d} --local --limits=cpu=1").out == \
        "deployment.apps/web resource requirements updated\n"
    assert mk(f"set resources -f {d} --local").err == \
        "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n"
    assert mk(f"set resources -f {d} --local --limits=cpu=abc").err == \
        "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"
    assert mk(f"set resources -f {d} --local --limits=cpu").err == \
        "error: Invalid argument syntax cpu, expected <resource>=<value>\n"
    assert mk(f"set resources -f {d} --local --limits=cpu=1 -c x").err == "error: unable to find container named x\n"
    assert mk(f"set serviceaccount -f {d} --local sa1").out == "deployment.apps/web serviceaccount updated\n"
    assert mk(f"set sa -f {d} --local").err == "error: serviceaccount is required\n"
    assert mk(f"set selector -f {s} --local app=x").out == "service/web selector updated\n"
    assert mk(f"set selector -f {s} --local app=x -o yaml").out == SVC.replace("    app: web\n  type", "    app: x\n  type")
    assert mk(f"set selector -f {d} --local app=x").err == "error: setting a selector is only supported for Services\n"
    assert mk(f"set selector -f {s} --local").err == "error: one selector is required\n"


# ------------------------------------------------------------------ against the cluster
def _image(mk, name="web"):
    return json.loads(mk(f"get deploy {name} -o json").out)["spec"]["template"]["spec"]["containers"][0]["image"]


def test_set_image_on_the_cluster(cluster, state):
    mk = cluster
    mk("create deployment web --image=nginx:1.25 --replicas=2")
    assert mk("set image deployment/web nginx=nginx:1.26").out == "deployment.apps/web image updated\n"
    assert _image(mk) == "nginx:1.26"
    assert {p["spec"]["containers"][0]["image"] for p in json.loads(mk("get pods -o json").out)["items"]} == \
        {"nginx:1.26"}
    before = store_snapshot(state)
    assert mk("set image deploy web nginx=nginx:1.26").out == ""  # unchanged
    r = mk("set image deploy/web x=nginx:1.27")
    assert (r.code, r.out, r.err) == (1, "", 'error: unable to find container named "x"\n')
    r = mk("set image deploy/nope nginx=x")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "nope" not found\n')
    r = mk("set image deploy/web nginx=nginx:1.27 --dry-run=server")
    assert r.out == "deployment.apps/web image updated (server dry run)\n"
    r = mk("set image deploy/web nginx=nginx:1.27 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].image}")
    assert r.out == "nginx:1.27"
    r = mk("set image deploy/web nginx=nginx:1.27 --all -l app=web")
    assert r.err == "error: cannot set --all and --selector at the same time\n"
    assert store_snapshot(state) == before
    mk("create deployment api --image=nginx:1.25")
    assert mk("set image deploy --all '*=nginx:1.27'").out == ("deployment.apps/api image updated\n"
                                                              "deployment.apps/web image updated\n")
    assert mk("set image deploy -l app=api nginx=nginx:1.25").out == "deployment.apps/api image updated\n"


def test_set_env_on_the_cluster(cluster, state):
    mk = cluster
    mk("create deployment web --image=nginx:1.25")
    mk("create configmap cfg --from-literal=db-host=db --from-literal=port=5432")
    r = mk("set env deploy/web --from=configmap/cfg --prefix=APP_")
    assert r.out == "deployment.apps/web env updated\n"
    assert r.err == "Warning: key db-host transferred to DB_HOST\nWarning: key port transferred to PORT\n"
    assert mk("set env deploy/web --list").out == ("# Deployment web, container nginx\n"
                                                  "# APP_DB_HOST from configmap cfg, key db-host\n"
                                                  "# APP_PORT from configmap cfg, key port\n")
    assert mk("set env deploy/web --list --resolve").out == ("# Deployment web, container nginx\n"
                                                            "APP_DB_HOST=db\nAPP_PORT=5432\n")
    assert mk("set env deploy/web MODE=prod APP_PORT-").out == "deployment.apps/web env updated\n"
    assert mk("set env deploy/web --list").out == ("# Deployment web, container nginx\n"
                                                  "# APP_DB_HOST from configmap cfg, key db-host\nMODE=prod\n")
    before = store_snapshot(state)
    r = mk("set env deploy/web MODE=dev --overwrite=false")
    assert (r.code, r.err) == (1, "error: deployments/web 'MODE' already has a value (prod), and --overwrite is false\n")
    r = mk("set env deploy/web --from=configmap/nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "nope" not found\n')
    r = mk("set env A=1 deploy/web")
    assert r.err == "error: all resources must be specified before environment changes: A=1 deploy/web\n"
    assert store_snapshot(state) == before
    mk("create secret generic s --from-literal=token=abc")
    mk("set env deploy/web --from=secret/s --keys=token")
    env = json.loads(mk("get deploy web -o json").out)["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env[-1] == {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "token"}}}
    pod = json.loads(mk("get pods -o json").out)["items"][0]["metadata"]["name"]
    assert "TOKEN=abc" in mk(f"exec {pod} -- env").out


def test_set_resources_serviceaccount_selector_on_the_cluster(cluster, state):
    mk = cluster
    mk("create deployment web --image=nginx:1.25")
    r = mk("set resources deploy web -c=nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m")
    assert r.out == "deployment.apps/web resource requirements updated\n"
    c = json.loads(mk("get deploy web -o json").out)["spec"]["template"]["spec"]["containers"][0]
    assert c["resources"] == {"limits": {"cpu": "200m", "memory": "512Mi"}, "requests": {"cpu": "100m"}}
    mk("create serviceaccount builder")
    assert mk("set sa deploy web builder").out == "deployment.apps/web serviceaccount updated\n"
    spec = json.loads(mk("get deploy web -o json").out)["spec"]["template"]["spec"]
    assert spec["serviceAccountName"] == "builder"
    mk("expose deploy web --port=80")
    assert mk("set selector svc web app=other").out == "service/web selector updated\n"
    assert json.loads(mk("get svc web -o json").out)["spec"]["selector"] == {"app": "other"}
    before = store_snapshot(state)
    r = mk("set selector deploy web app=x")
    assert (r.code, r.err) == (1, "error: setting a selector is only supported for Services\n")
    r = mk("set selector svc web 'a b'")
    assert r.err.startswith('error: couldn\'t parse the selector string "a b": ')
    assert store_snapshot(state) == before


ROLE_BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ops
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
"""


def test_set_subject(cluster, state):
    mk = cluster
    r = mk("apply -f -", input=ROLE_BINDING)
    assert r.out == "rolebinding.rbac.authorization.k8s.io/ops created\n", r
    assert [line.rstrip() for line in mk("get rolebinding ops -o wide").lines] == [
        "NAME   ROLE         AGE   USERS   GROUPS   SERVICEACCOUNTS",
        "ops    Role/admin   0s    alice"]
    r = mk("set subject rolebinding ops --user=bob --serviceaccount=:robot --group=devs")
    assert r.out == "rolebinding.rbac.authorization.k8s.io/ops subjects updated\n"
    subjects = json.loads(mk("get rolebinding ops -o json").out)["subjects"]
    assert subjects == [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"},
                        {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob"},
                        {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"},
                        {"kind": "ServiceAccount", "name": "robot", "namespace": "default"}]
    before = store_snapshot(state)
    assert mk("set subject rolebinding ops --user=bob").out == ""  # already there
    r = mk("set subject rolebinding ops")
    assert r.err == "error: you must specify at least one value of user, group or serviceaccount\n"
    r = mk("set subject rolebinding ops --serviceaccount=robot")
    assert r.err == "error: serviceaccount must be <namespace>:<name>\n"
    mk("create deployment web --image=nginx")
    assert store_snapshot(state) != before
    before = store_snapshot(state)
    r = mk("set subject deploy web --user=x")
    assert r.err == "error: deployments/web setting subjects is only supported for RoleBinding/ClusterRoleBinding\n"
    assert store_snapshot(state) == before
    crb = ROLE_BINDING.replace("kind: RoleBinding", "kind: ClusterRoleBinding").replace("kind: Role\n",
                                                                                       "kind: ClusterRole\n")
    mk("apply -f -", input=crb)
    before = store_snapshot(state)
    r = mk("set subject clusterrolebinding ops --serviceaccount=:robot")
    assert r.err == "error: serviceaccount must be <namespace>:<name>, namespace must be specified\n"
    assert store_snapshot(state) == before
    r = mk("set subject clusterrolebinding ops --serviceaccount=kube-system:robot -o name")
    assert r.out == "clusterrolebinding.rbac.authorization.k8s.io/ops\n"
    assert mk("get clusterrolebinding ops -o wide").lines[1].split()[-1] == "kube-system/robot"


def test_set_help_and_group(cluster):
    r = cluster("set")  # kubectl 1.32: the group's help on stderr, exit 1 (DefaultSubCommandRun(streams.ErrOut))
    assert (r.code, r.out) == (1, "")
    assert "Available Commands:" in r.err and "image" in r.err and "subject" in r.err
    assert cluster("set image --help").code == 0
