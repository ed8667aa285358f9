"""Config in the container's environment, through the CLI: env valueFrom (configMapKeyRef,
secretKeyRef, fieldRef, resourceFieldRef), envFrom with prefix and optional, the kubelet's
order and $(VAR) expansion (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables), and a
missing ConfigMap/Secret/key: CreateContainerConfigError with the kubelet's words until the
object appears."""

from __future__ import annotations

import json

POD = """apiVersion: v1
kind: Pod
metadata: {name: cfg, labels: {app: shop, tier: front}, annotations: {owner: "team-\\"x\\""}}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources: {requests: {cpu: 250m, memory: 64Mi}, limits: {memory: 128Mi}}
    envFrom:
    - configMapRef: {name: settings}
      prefix: CM_
    - secretRef: {name: creds, optional: true}
    env:
    - {name: LEVEL, valueFrom: {configMapKeyRef: {name: settings, key: level}}}
    - {name: MSG, value: "level=$(LEVEL) ns=$(NS) $$(LEVEL) $(NOPE)"}
    - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
    - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
    - {name: OWNER, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['owner']"}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
    - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
    - {name: HOST_IPS, valueFrom: {fieldRef: {fieldPath: status.hostIPs}}}
    - {name: CPU_REQ_M, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
    - {name: CPU_REQ, valueFrom: {resourceFieldRef: {resource: requests.cpu}}}
    - {name: CPU_LIM, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
    - {name: MEM_REQ, valueFrom: {resourceFieldRef: {resource: requests.memory}}}
    - {name: MEM_LIM_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
    - {name: EPH_LIM, valueFrom: {resourceFieldRef: {containerName: app, resource: limits.ephemeral-storage, divisor: 1Gi}}}
    - {name: OPT, valueFrom: {secretKeyRef: {name: creds, key: k, optional: true}}}
"""

SETTINGS = """apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {level: debug, 1bad: v, a.b: c, MSG: from-cm}
"""


def env_of(mk, pod: str) -> dict[str, str]:
    r = mk(["exec", pod, "--", "env"])
    assert r.code == 0, r
    return dict(line.split("=", 1) for line in r.out.splitlines())


def status_of(mk, pod: str) -> dict:
    return json.loads(mk(f"get pod {pod} -o json").out)


def test_value_from_and_env_from_in_the_kubelets_order(cluster):
    assert cluster(["apply", "-f", "-"], input=SETTINGS).code == 0
    assert cluster(["apply", "-f", "-"], input=POD).code == 0
    pod = status_of(cluster, "cfg")
    node = json.loads(cluster(f"get node {pod['spec']['nodeName']} -o json").out)
    env = env_of(cluster, "cfg")
    # envFrom first (prefix; 1.32 takes every key: RelaxedEnvironmentVariableValidation is beta, on)
    assert env["CM_level"] == "debug" and env["CM_1bad"] == "v" and env["CM_a.b"] == "c"
    assert env["CM_MSG"] == "from-cm"
    # env in order: $(VAR) sees earlier variables only, $$ escapes, unknown stays
    assert env["LEVEL"] == "debug"
    assert env["MSG"] == "level=debug ns=$(NS) $(LEVEL) $(NOPE)"
    assert env["NS"] == "default" and env["POD_NAME"] == "cfg" and env["POD_UID"] == pod["metadata"]["uid"]
    assert env["APP"] == "shop" and env["OWNER"] == 'team-"x"'
    assert env["NODE"] == pod["spec"]["nodeName"] and env["SA"] == "default"
    assert env["POD_IP"] == env["POD_IPS"] == pod["status"]["podIP"]
    assert env["HOST_IP"] == env["HOST_IPS"] == pod["status"]["hostIP"]
    # resourceFieldRef: ceil(value / divisor); limits not set are the node's allocatable
    assert env["CPU_REQ_M"] == "250" and env["CPU_REQ"] == "1"
    assert env["CPU_LIM"] == node["status"]["allocatable"]["cpu"]
    assert env["MEM_REQ"] == str(64 * 2**20) and env["MEM_LIM_MI"] == "128"
    assert env["EPH_LIM"] == "251"  # 263174212Ki / 1Gi, rounded up
    assert "OPT" not in env  # an optional secret that does not exist: the variable is skipped


def test_missing_configmap_is_create_container_config_error_until_created(cluster):
    assert cluster(["apply", "-f", "-"], input=POD).code == 0
    r = cluster("get pods")
    assert r.out == ("NAME   READY   STATUS                       RESTARTS   AGE\n"
                     "cfg    0/1     CreateContainerConfigError   0          0s\n")
    pod = status_of(cluster, "cfg")
    cs = pod["status"]["containerStatuses"][0]
    assert cs["state"] == {"waiting": {"message": 'configmap "settings" not found',
                                       "reason": "CreateContainerConfigError"}}
    assert cs["image"] == "nginx:1.27" and cs["imageID"] == "" and cs["ready"] is False
    assert pod["status"]["phase"] == "Pending"
    ev = cluster("get events --field-selector reason=Failed -o jsonpath={.items[*].message}")
    assert ev.out == 'Error: configmap "settings" not found'
    ev = json.loads(cluster("get events --field-selector reason=Failed -o json").out)["items"][0]
    assert ev["type"] == "Warning" and ev["source"]["component"] == "kubelet"
    d = cluster("describe pod cfg").out
    assert "    State:          Waiting\n      Reason:       CreateContainerConfigError\n" in d
    assert "  Warning  Failed     0s    kubelet            Error: configmap \"settings\" not found\n" in d
    r = cluster(["exec", "cfg", "--", "env"])
    assert r.code == 1
    # the ConfigMap appears: the kubelet's next sync starts the container
    assert cluster(["apply", "-f", "-"], input=SETTINGS).code == 0
    assert cluster("get pods").out.splitlines()[1].split()[:3] == ["cfg", "1/1", "Running"]
    assert env_of(cluster, "cfg")["LEVEL"] == "debug"
    assert status_of(cluster, "cfg")["status"]["phase"] == "Running"


def test_missing_key_then_added_by_an_update(cluster):
    assert cluster(["apply", "-f", "-"], input=SETTINGS.replace("level: debug, ", "")).code == 0
    assert cluster(["apply", "-f", "-"], input=POD).code == 0
    cs = status_of(cluster, "cfg")["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"]["message"] == "couldn't find key level in ConfigMap default/settings"
    assert cluster(["apply", "-f", "-"], input=SETTINGS).code == 0
    assert status_of(cluster, "cfg")["status"]["containerStatuses"][0]["state"].get("running")


SECRET_POD = """apiVersion: v1
kind: Pod
metadata: {name: sec}
spec:
  containers:
  - name: app
    image: nginx:1.27
    env:
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
"""


def test_secret_key_ref_missing_secret_missing_key_and_value(cluster):
    assert cluster(["apply", "-f", "-"], input=SECRET_POD).code == 0
    cs = status_of(cluster, "sec")["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"] == {"message": 'secret "db" not found', "reason": "CreateContainerConfigError"}
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {user: admin}\n"
    assert cluster(["apply", "-f", "-"], input=secret).code == 0
    cs = status_of(cluster, "sec")["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"]["message"] == "couldn't find key password in Secret default/db"
    assert cluster(["apply", "-f", "-"], input=secret.replace("user: admin", "password: s3cr3t")).code == 0
    assert env_of(cluster, "sec")["PASSWORD"] == "s3cr3t"


def test_optional_refs_never_block_the_start(cluster):
    pod = """apiVersion: v1
kind: Pod
metadata: {name: opt}
spec:
  containers:
  - name: app
    image: nginx:1.27
    envFrom:
    - configMapRef: {name: nothere, optional: true}
    env:
    - {name: A, valueFrom: {configMapKeyRef: {name: nothere, key: a, optional: true}}}
    - {name: B, value: "b"}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    env = env_of(cluster, "opt")
    assert "A" not in env and env["B"] == "b"


def test_a_configmap_update_does_not_reach_a_running_containers_env(cluster):
    assert cluster(["apply", "-f", "-"], input=SETTINGS).code == 0
    assert cluster(["apply", "-f", "-"], input=POD).code == 0
    assert cluster(["apply", "-f", "-"], input=SETTINGS.replace("level: debug", "level: info")).code == 0
    assert env_of(cluster, "cfg")["LEVEL"] == "debug"


def test_an_env_name_with_an_equals_sign_is_refused_and_nothing_is_stored(cluster):
    pod = SECRET_POD.replace("name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}", "name: A=B, value: x")
    r = cluster(["apply", "-f", "-"], input=pod)
    assert r.code == 1 and r.out == ""
    assert r.err == ('The Pod "sec" is invalid: spec.containers[0].env[0].name: Invalid value: "A=B": a valid '
                     "environment variable name must consist only of printable ASCII characters other than '='\n")
    assert cluster("get pods").err == "No resources found in default namespace.\n"
    # 1.32 accepts names that are not C identifiers (relaxed validation)
    ok = SECRET_POD.replace("name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}", "name: 1st.var-x, value: \"yes-y\"")
    assert cluster(["apply", "-f", "-"], input=ok).code == 0
    assert env_of(cluster, "sec")["1st.var-x"] == "yes-y"


def test_resource_field_ref_rounding_as_the_kubelet():
    """resource.ExtractContainerResourceValue: ceil(MilliValue / divisor MilliValue) for cpu,
    ceil(Value / divisor Value) for memory and ephemeral-storage; divisor 0 means 1."""
    from minikctl.kubelet.envvars import _resource_ref

    pod = {"spec": {"containers": [{"name": "c", "resources": {
        "limits": {"cpu": "0.5", "memory": "1Gi", "ephemeral-storage": "2G"},
        "requests": {"cpu": "1m", "memory": "1e3"}}}]}}
    c = pod["spec"]["containers"][0]

    def v(resource, divisor=None):
        ref = {"resource": resource, **({"divisor": divisor} if divisor is not None else {})}
        return _resource_ref(None, pod, c, ref)

    assert v("limits.cpu") == "1" and v("limits.cpu", "100m") == "5" and v("limits.cpu", "1m") == "500"
    assert v("requests.cpu") == "1" and v("requests.cpu", "0") == "1"
    assert v("limits.memory", "1M") == "1074" and v("limits.memory", "1Ki") == "1048576"
    assert v("requests.memory") == "1000" and v("limits.ephemeral-storage", "1Gi") == "2"
