"""`run` and `expose` through the CLI: the seed's commands as written, and kubectl 1.32's
generated objects and errors (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go,
pkg/cmd/expose/expose.go, polymorphichelpers). The expected YAML below is what kubectl 1.32
prints for the same flags with --dry-run=client."""

from __future__ import annotations

import json

SEED_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef
spec:
  ports:
  - port: 80 # Host Port
    targetPort: 8000 # Container Port
  selector:
    app: cyberchef
"""

SEED_RUN = ["run", "cyberchef", "--image=mpepping/cyberchef", "--replicas=3", "--port=8000", "--labels=ver=1, env=dev"]


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


# ------------------------------------------------------------------- the seed
def test_seed_run_with_replicas_makes_a_deployment_as_kubectl_1_17(cluster):
    r = cluster(SEED_RUN)
    assert r.code == 0, r
    assert r.out == "deployment.apps/cyberchef created\n"
    # kubectl 1.32 refuses it ("error: unknown flag: --replicas", from the 1.32 binary): the notice says so
    # and gives the 1.32 command line
    assert r.err == ('Warning: kubectl 1.32 refuses this command line ("error: unknown flag: --replicas"); minikctl '
                     "runs it as kubectl 1.17 did and creates a Deployment. With kubectl 1.32, use:\n"
                     "  minikctl create deployment cyberchef --image=mpepping/cyberchef --replicas=3 --port=8000\n"
                     "  (create deployment has no --labels: it labels the Deployment and its pods app=cyberchef; "
                     "set the rest afterwards, e.g. with minikctl label, minikctl set env)\n")
    d = jget(cluster, "get deploy cyberchef")
    labels = {"ver": "1", "env": "dev"}  # "ver=1, env=dev": the space after the comma is fine
    assert d["metadata"]["labels"] == labels
    assert d["spec"]["selector"] == {"matchLabels": labels}
    assert d["spec"]["replicas"] == 3
    c = d["spec"]["template"]["spec"]["containers"][0]
    assert (c["name"], c["image"], c["ports"]) == ("cyberchef", "mpepping/cyberchef",
                                                   [{"containerPort": 8000, "protocol": "TCP"}])
    pods = jget(cluster, "get pods -l ver=1,env=dev")["items"]
    assert len(pods) == 3 and all(p["status"]["phase"] == "Running" for p in pods)


def test_seed_service_selects_no_pod_and_says_so(cluster):
    assert cluster(SEED_RUN).code == 0
    r = cluster(["create", "-f", "-"], input=SEED_SERVICE)
    assert r.code == 0
    assert r.out == "service/cyberchef created\n"
    assert r.err == ('Warning: service "cyberchef" selects no pods: no pod in namespace "default" has the labels '
                     "app=cyberchef, so its endpoints will be empty\n")
    row = cluster("get svc cyberchef -o wide").out.splitlines()[1].split()
    assert row[4:] == ["80/TCP", "0s", "app=cyberchef"]
    assert cluster("get ep cyberchef").out.splitlines()[1].split()[1] == "<none>"


def test_seed_expose_with_targetPort_gets_a_hint(cluster):
    assert cluster(SEED_RUN).code == 0
    r = cluster("expose deployment cyberchef --type=NodePort --port=80 --targetPort=8000")
    assert (r.code, r.out) == (1, "")
    assert r.err == ("error: unknown flag: --targetPort (did you mean --target-port?)\n"
                     "See 'minikctl expose --help' for usage.\n")
    assert cluster("get svc cyberchef").code == 1  # nothing was created


def test_seed_expose_after_the_seed_service_already_exists(cluster):
    assert cluster(SEED_RUN).code == 0
    assert cluster(["create", "-f", "-"], input=SEED_SERVICE).code == 0
    r = cluster("expose deployment cyberchef --type=NodePort --port=80 --target-port=8000")
    assert (r.code, r.err) == (1, 'Error from server (AlreadyExists): services "cyberchef" already exists\n')


def test_seed_expose_corrected(cluster):
    assert cluster(SEED_RUN).code == 0
    r = cluster("expose deployment cyberchef --type=NodePort --port=80 --target-port=8000")
    assert (r.code, r.out, r.err) == (0, "service/cyberchef exposed\n", "")
    s = jget(cluster, "get svc cyberchef")
    assert s["spec"]["selector"] == {"ver": "1", "env": "dev"}
    assert s["metadata"]["labels"] == {"ver": "1", "env": "dev"}
    p = s["spec"]["ports"][0]
    assert (p["port"], p["targetPort"], p["protocol"]) == (80, 8000, "TCP") and 30000 <= p["nodePort"] <= 32767
    ep = jget(cluster, "get ep cyberchef")
    assert len(ep["subsets"][0]["addresses"]) == 3
    assert ep["subsets"][0]["ports"] == [{"port": 8000, "protocol": "TCP"}]


# ----------------------------------------------------------------------- run
RUN_POD_YAML = """apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - image: nginx
    name: x
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""


def test_run_dry_run_client_yaml_is_kubectls(cluster):
    r = cluster("run x --image=nginx --port=80 --dry-run=client -o yaml")
    assert (r.code, r.out, r.err) == (0, RUN_POD_YAML, "")


def test_run_env_command_and_restart_like_kubectl(cluster):
    r = cluster(["run", "x", "--image=nginx", "--env", "A=1", "--env", "B=2", "--dry-run=client", "-o", "yaml"])
    assert "  - env:\n    - name: A\n      value: \"1\"\n    - name: B\n      value: \"2\"\n" in r.out
    r = cluster("run x --image=nginx --command --dry-run=client -o yaml -- sleep 10")
    assert "  - command:\n    - sleep\n    - \"10\"\n" in r.out
    r = cluster("run x --image=nginx --restart=Never --annotations=a=b --image-pull-policy=Always --privileged "
                "--dry-run=client -o yaml -- sleep 10")
    assert r.out == """apiVersion: v1
kind: Pod
metadata:
  annotations:
    a: b
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - args:
    - sleep
    - "10"
    image: nginx
    imagePullPolicy: Always
    name: x
    resources: {}
    securityContext:
      privileged: true
  dnsPolicy: ClusterFirst
  restartPolicy: Never
status: {}
"""


def test_run_creates_a_pod_labelled_run_name(cluster):
    r = cluster("run nginx --image=nginx --port=80")
    assert (r.code, r.out, r.err) == (0, "pod/nginx created\n", "")
    pod = jget(cluster, "get pod nginx")
    assert pod["metadata"]["labels"] == {"run": "nginx"}
    assert pod["status"]["phase"] == "Running"
    assert "ownerReferences" not in pod["metadata"]


def test_run_generator_run_pod_v1_is_accepted_with_a_deprecation_warning(cluster):
    r = cluster("run old --image=nginx --generator=run-pod/v1")
    assert (r.code, r.out) == (0, "pod/old created\n")
    assert r.err == "Flag --generator has been deprecated, has no effect and will be removed in the future.\n"
    r = cluster("run older --image=nginx --generator=deployment/apps.v1")
    assert r.out == "deployment.apps/older created\n"
    r = cluster("run bad --image=nginx --generator=job/v1")
    assert r.code == 1 and r.err.endswith('error: generator "job/v1" not found.\n')


def test_run_expose_creates_the_service_first(cluster):
    r = cluster("run x --image=nginx --port=80 --expose")
    assert (r.code, r.out) == (0, "service/x created\npod/x created\n")
    s = jget(cluster, "get svc x")
    assert s["spec"]["selector"] == {"run": "x"}
    assert s["spec"]["ports"][0]["port"] == 80 and s["spec"]["ports"][0]["targetPort"] == 80
    assert len(jget(cluster, "get ep x")["subsets"][0]["addresses"]) == 1
    r = cluster("run y --image=nginx --port=80 --expose --dry-run=client -o yaml")
    assert r.out.startswith("apiVersion: v1\nkind: Service\n")
    assert "\n---\napiVersion: v1\nkind: Pod\n" in r.out


def test_run_errors_as_kubectl_reports_them(cluster):
    cases = {
        "run x": 'error: required flag(s) "image" not set\n',
        "run --image=nginx": "error: NAME is required for run\nSee 'minikctl run -h' for help and examples\n",
        "run x --image=Nginx:$": 'error: Invalid image name "Nginx:$": invalid reference format\n',
        "run x --image=nginx --restart=Sometimes": "error: invalid restart policy: Sometimes\nSee 'minikctl run -h' for help and examples\n",
        "run x --image=nginx -t": "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'minikctl run -h' for help and examples\n",
        "run x --image=nginx --rm": "error: --rm should only be used for attached containers\nSee 'minikctl run -h' for help and examples\n",
        "run x --image=nginx --labels=abc": "error: unexpected label spec: abc\n",
        "run x --image=nginx --env=FOO": "error: invalid env: FOO\n",
        "run x --image=nginx --image-pull-policy=Sometimes": "error: invalid image pull policy: Sometimes\nSee 'minikctl run -h' for help and examples\n",
        "run x --image=nginx --port=abc": 'error: strconv.Atoi: parsing "abc": invalid syntax\n',
        "run x --image=nginx --expose": "error: --port must be set when exposing a service\nSee 'minikctl run -h' for help and examples\n",
    }
    for cmd, err in cases.items():
        r = cluster(cmd)
        assert (cmd, r.code, r.err) == (cmd, 1, err)
    assert cluster("get pods").out == ""


def test_run_existing_name_is_already_exists(cluster):
    assert cluster("run x --image=nginx").code == 0
    r = cluster("run x --image=nginx")
    assert (r.code, r.err) == (1, 'Error from server (AlreadyExists): pods "x" already exists\n')


def test_run_in_another_namespace_and_server_dry_run(cluster):
    assert cluster("create namespace team").code == 0
    assert cluster("run x --image=nginx -n team").code == 0
    assert jget(cluster, "get pod x -n team")["metadata"]["namespace"] == "team"
    r = cluster("run y --image=nginx --dry-run=server")
    assert (r.code, r.out) == (0, "pod/y created (server dry run)\n")
    assert cluster("get pod y").code == 1


# -------------------------------------------------------------------- expose
OBJECTS = """apiVersion: apps/v1
kind: Deployment
metadata: {name: multi, labels: {app: multi}}
spec:
  replicas: 1
  selector: {matchLabels: {app: multi}}
  template:
    metadata: {labels: {app: multi}}
    spec:
      containers:
      - name: c
        image: nginx
        ports: [{containerPort: 8080, name: http}, {containerPort: 8443, name: https}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: udp, labels: {app: udp}}
spec:
  replicas: 1
  selector: {matchLabels: {app: udp}}
  template:
    metadata: {labels: {app: udp}}
    spec:
      containers:
      - name: c
        image: coredns/coredns
        ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: noports, labels: {app: np}}
spec:
  replicas: 1
  selector: {matchLabels: {app: np}}
  template:
    metadata: {labels: {app: np}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: both}
spec:
  replicas: 1
  selector:
    matchLabels: {app: b}
    matchExpressions: [{key: x, operator: Exists}]
  template:
    metadata: {labels: {app: b, x: "1"}}
    spec:
      containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1}
spec:
  replicas: 1
  selector: {app: rc1}
  template:
    metadata: {labels: {app: rc1}}
    spec:
      containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: nolabels}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: lab, labels: {run: lab}}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: svc1, labels: {app: s}}
spec:
  selector: {app: s}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: nosel}
spec:
  ports: [{port: 80, targetPort: 8080}]
"""


def objects(mk):
    r = mk(["apply", "-f", "-"], input=OBJECTS)
    assert r.code == 0, r


def spec_of(mk, args: str) -> dict:
    r = mk(f"expose {args} --dry-run=client -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def test_expose_dry_run_yaml_is_kubectls(cluster):
    assert cluster(SEED_RUN).code == 0
    r = cluster("expose deployment cyberchef --type=NodePort --port=80 --target-port=8000 --dry-run=client -o yaml")
    assert r.out == """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    env: dev
    ver: "1"
  name: cyberchef
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 8000
  selector:
    env: dev
    ver: "1"
  type: NodePort
status:
  loadBalancer: {}
"""
    r = cluster("expose deploy cyberchef --dry-run=client")
    assert r.out == "service/cyberchef exposed (dry run)\n"
    assert cluster("get svc cyberchef").code == 1


def test_expose_derives_ports_and_protocols_like_kubectl(cluster):
    objects(cluster)
    s = spec_of(cluster, "deployment multi")["spec"]
    assert s["ports"] == [{"name": "port-1", "port": 8080, "protocol": "TCP", "targetPort": 8080},
                          {"name": "port-2", "port": 8443, "protocol": "TCP", "targetPort": 8443}]
    s = spec_of(cluster, "deployment multi --port=80")["spec"]
    assert s["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    s = spec_of(cluster, "deployment udp")["spec"]
    assert s["ports"] == [{"name": "port-1-udp", "port": 53, "protocol": "UDP", "targetPort": 53},
                          {"name": "port-1-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}]
    s = spec_of(cluster, "deployment noports --cluster-ip=None")["spec"]
    assert s == {"clusterIP": "None", "selector": {"app": "np"}}
    s = spec_of(cluster, "deployment multi --port=80,81")["spec"]
    assert [p["name"] for p in s["ports"]] == ["port-1", "port-2"]
    s = spec_of(cluster, "deployment multi --port=80 --target-port=http")["spec"]
    assert s["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": "http"}]


def test_expose_other_kinds_and_flags(cluster):
    objects(cluster)
    svc = spec_of(cluster, "rc rc1 --port=80 --target-port=8000 --name=x --protocol=UDP "
                           "--session-affinity=ClientIP --external-ip=1.2.3.4 --labels=a=b,c=d")
    assert svc["metadata"] == {"creationTimestamp": None, "labels": {"a": "b", "c": "d"}, "name": "x"}
    assert svc["spec"] == {"externalIPs": ["1.2.3.4"], "ports": [{"port": 80, "protocol": "UDP", "targetPort": 8000}],
                           "selector": {"app": "rc1"}, "sessionAffinity": "ClientIP"}
    svc = spec_of(cluster, "svc svc1 --name=s2")
    assert svc["spec"] == {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}], "selector": {"app": "s"}}
    assert svc["metadata"]["labels"] == {"app": "s"}
    svc = spec_of(cluster, "deployment multi --port=80 --type=LoadBalancer --load-balancer-ip=1.1.1.1")
    assert svc["spec"]["loadBalancerIP"] == "1.1.1.1" and svc["spec"]["type"] == "LoadBalancer"
    svc = spec_of(cluster, "deployment/multi --port=80 --selector=tier=front")
    assert svc["spec"]["selector"] == {"tier": "front"}


def test_expose_errors_as_kubectl_reports_them(cluster):
    objects(cluster)
    cases = {
        "expose deployment noports":
            "error: couldn't find port via --port flag or introspection\n",
        "expose pod nolabels":
            "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and "
            "cannot be exposed\n",
        "expose pod lab": "error: couldn't find port via --port flag or introspection\n",
        "expose svc nosel":
            "error: couldn't retrieve selectors via --selector flag or introspection: the service has no pod "
            "selector set\n",
        "expose rs both":
            "error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions "
            '- "[{Key:x Operator:Exists Values:[]}]" to map-based selector format\n',
        "expose node minikctl-worker --port=80": "error: cannot expose a Node\n",
        "expose deployment multi --session-affinity=Bad": "error: unknown session affinity: Bad\n",
        "expose deployment multi --port=abc": 'error: strconv.Atoi: parsing "abc": invalid syntax\n',
        "expose deployment multi --labels=a": "error: unexpected label spec: a\n",
        "expose deployment missing": 'Error from server (NotFound): deployments.apps "missing" not found\n',
        "expose deployment": "error: resource(s) were provided, but no name was specified\n",
    }
    for cmd, err in cases.items():
        r = cluster(cmd)
        assert (cmd, r.code, r.err) == (cmd, 1, err)


def test_expose_pod_gets_endpoints_and_no_warning(cluster):
    assert cluster("run web --image=nginx --port=80").code == 0
    r = cluster("expose pod web --port=8080 --target-port=80 --name=web-svc")
    assert (r.code, r.out, r.err) == (0, "service/web-svc exposed\n", "")
    ep = jget(cluster, "get ep web-svc")
    assert ep["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]


def test_expose_selecting_nothing_warns(cluster):
    objects(cluster)
    r = cluster("expose deployment multi --port=80 --selector=app=ghost --name=ghost")
    assert r.code == 0
    assert r.err == ('Warning: service "ghost" selects no pods: no pod in namespace "default" has the labels '
                     "app=ghost, so its endpoints will be empty\n")


def test_run_attached_runs_the_command_and_rm_deletes_the_pod(cluster):
    r = cluster("run t -i --rm --image=busybox --restart=Never -- echo hello")
    assert (r.code, r.out) == (0, 'hello\npod "t" deleted\n')
    assert cluster("get pod t").code == 1
    r = cluster(["run", "t2", "-i", "--rm", "--image=busybox", "--", "sh"], input="echo hi from $HOSTNAME; exit 3\n")
    assert r.code == 3
    assert r.out == 'hi from t2\npod "t2" deleted\n'
    r = cluster("run t3 -i --image=busybox --dry-run=client -- sh")
    assert r.err == ("error: --dry-run=[server|client] can't be used with attached containers options "
                     "(--attach, --stdin, or --tty)\nSee 'minikctl run -h' for help and examples\n")  # cmdutil.UsageErrorf


def test_seed_generator_notice_gives_the_1_32_command(cluster):
    # kubectl 1.32 accepts --generator with its deprecation line but ignores it (a Pod); minikctl makes the
    # Deployment kubectl 1.17 made and says how 1.32 would
    r = cluster("run c3 --image=nginx --generator=deployment/apps.v1 --dry-run=client -o name -- sh -c 'echo a b'")
    assert (r.code, r.out) == (0, "deployment.apps/c3\n")
    assert r.err == ("Flag --generator has been deprecated, has no effect and will be removed in the future.\n"
                     "Warning: kubectl 1.32 ignores --generator and creates a Pod; minikctl runs it as kubectl 1.17 "
                     "did and creates a Deployment. With kubectl 1.32, use:\n"
                     "  minikctl create deployment c3 --image=nginx --dry-run=client -o name -- sh -c 'echo a b'\n"
                     "  (create deployment makes the words after -- the container's command; run without --command "
                     "made them its args)\n")
