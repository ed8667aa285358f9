"""LimitRange through the CLI (issue 11).

Sources (Kubernetes 1.32): plugin/pkg/admission/limitranger/admission.go (defaults, the
kubernetes.io/limit-ranger annotation, min/max/maxLimitRequestRatio messages aggregated as
utilerrors.NewAggregate), pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem,
pkg/apis/core/validation ValidateLimitRange, kubectl describe.go describeLimitRange and
DescribeLimitRanges.
"""

from __future__ import annotations

import json

LR = """apiVersion: v1
kind: LimitRange
metadata:
  name: lr
spec:
  limits:
  - type: Container
    min: {cpu: 100m, memory: 32Mi}
    max: {cpu: "1", memory: 1Gi}
    defaultRequest: {cpu: 200m}
    default: {cpu: 500m, memory: 256Mi}
    maxLimitRequestRatio: {cpu: "4"}
  - type: Pod
    max: {cpu: "2"}
"""

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: {name}
    image: nginx
{resources}"""


def pod(name: str, resources: str = "") -> str:
    return POD.format(name=name, resources=f"    resources: {resources}\n" if resources else "")


def jget(mk, args: str) -> dict:
    r = mk(args + " -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def snapshot(mk) -> str:
    return mk("get pods,limits,pvc -o yaml").out


def test_defaults_are_applied_and_annotated(cluster):
    mk = cluster
    assert mk("apply -f -", input=LR).out == "limitrange/lr created\n"
    assert mk("run web --image=nginx").code == 0
    p = jget(mk, "get pod web")
    assert p["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == (
        "LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web")
    assert p["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "500m", "memory": "256Mi"},
                                                       "requests": {"cpu": "200m", "memory": "256Mi"}}
    assert p["status"]["qosClass"] == "Burstable"  # computed after the defaults
    # a container that states a request keeps it; only the missing values are set
    assert mk("apply -f -", input=pod("own", "{requests: {cpu: 300m}}")).code == 0
    p = jget(mk, "get pod own")
    assert p["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == (
        "LimitRanger plugin set: memory request for container own; cpu, memory limit for container own")
    assert p["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "300m", "memory": "256Mi"}


def test_limit_range_item_defaults(cluster):
    mk = cluster
    lr = """apiVersion: v1
kind: LimitRange
metadata: {name: d}
spec:
  limits:
  - type: Container
    max: {cpu: "1"}
    min: {memory: 64Mi}
"""
    assert mk("apply -f -", input=lr).code == 0
    item = jget(mk, "get limitrange d")["spec"]["limits"][0]
    # SetDefaults_LimitRangeItem: default limit = max; default request = default limit, else min
    assert item == {"type": "Container", "max": {"cpu": "1"}, "min": {"memory": "64Mi"},
                    "default": {"cpu": "1"}, "defaultRequest": {"cpu": "1", "memory": "64Mi"}}


def test_get_and_describe(cluster):
    mk = cluster
    mk("apply -f -", input=LR)
    r = mk("get limits")
    assert r.lines[0] == "NAME   CREATED AT" and r.lines[1].startswith("lr     ")
    assert mk("get limitranges -o name").out == "limitrange/lr\n"
    assert mk("describe limitrange lr").out == (
        "Name:       lr\n"
        "Namespace:  default\n"
        "Type        Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio\n"
        "----        --------  ---   ---  ---------------  -------------  -----------------------\n"
        "Container   cpu       100m  1    200m             500m           4\n"
        "Container   memory    32Mi  1Gi  256Mi            256Mi          -\n"
        "Pod         cpu       -     2    -                -              -\n")
    ns = mk("describe namespace default").out
    assert ns.endswith(
        "No resource quota.\n\n"
        "Resource Limits\n"
        " Type       Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio\n"
        " ----       --------  ---   ---  ---------------  -------------  -----------------------\n"
        " Container  cpu       100m  1    200m             500m           4\n"
        " Container  memory    32Mi  1Gi  256Mi            256Mi          -\n"
        " Pod        cpu       -     2    -                -              -\n")


def test_min_max_and_ratio_refusals_are_aggregated(cluster):
    mk = cluster
    mk("apply -f -", input=LR)
    before = snapshot(mk)
    r = mk("apply -f -", input=pod("small", "{requests: {cpu: 50m}, limits: {cpu: '2', memory: 2Gi}}"))
    assert r.code == 1 and r.out == ""
    assert r.err == (
        'Error from server (Forbidden): error when creating "STDIN": pods "small" is forbidden: ['
        "minimum cpu usage per Container is 100m, but request is 50m, "
        "maximum cpu usage per Container is 1, but limit is 2, "
        "maximum memory usage per Container is 1Gi, but limit is 2Gi, "
        "cpu max limit to request ratio per Container is 4, but provided ratio is 40.000000]\n")
    assert snapshot(mk) == before
    # one failure: no brackets
    r = mk("apply -f -", input=pod("one", "{requests: {cpu: 100m}, limits: {cpu: 800m}}"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": pods "one" is forbidden: '
                     "cpu max limit to request ratio per Container is 4, but provided ratio is 8.000000\n")
    assert snapshot(mk) == before


def test_pod_type_limit_and_a_replicaset_refused_by_it(cluster):
    mk = cluster
    lr = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: p}\nspec:\n  limits:\n  - type: Pod\n    max: {cpu: '1'}\n"
    assert mk("apply -f -", input=lr).code == 0
    r = mk("run x --image=nginx")
    assert r.err == ('Error from server (Forbidden): pods "x" is forbidden: maximum cpu usage per Pod is 1.  '
                     "No limit is specified\n")
    assert mk("create deployment d --image=nginx").code == 0
    rs = jget(mk, "get rs")["items"][0]
    cond = rs["status"]["conditions"][0]
    assert (cond["type"], cond["reason"]) == ("ReplicaFailure", "FailedCreate")
    assert cond["message"].endswith('" is forbidden: maximum cpu usage per Pod is 1.  No limit is specified')
    assert "Error creating: pods " in mk("describe rs").out


def test_persistent_volume_claim_min_and_max(cluster):
    mk = cluster
    lr = ("apiVersion: v1\nkind: LimitRange\nmetadata: {name: storage}\nspec:\n  limits:\n"
          "  - type: PersistentVolumeClaim\n    min: {storage: 1Gi}\n    max: {storage: 2Gi}\n")
    assert mk("apply -f -", input=lr).code == 0
    claim = ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {n}}}\nspec:\n"
             "  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: {s}}}}}\n")
    r = mk("apply -f -", input=claim.format(n="big", s="5Gi"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "big" is '
                     "forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi\n")
    r = mk("apply -f -", input=claim.format(n="tiny", s="500Mi"))
    assert r.err == ('Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "tiny" is '
                     "forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi\n")
    assert mk("apply -f -", input=claim.format(n="ok", s="1Gi")).code == 0
    assert mk("get pvc -o name").out == "persistentvolumeclaim/ok\n"
    assert mk("describe limits storage").out == (
        "Name:                  storage\n"
        "Namespace:             default\n"
        "Type                   Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio\n"
        "----                   --------  ---  ---  ---------------  -------------  -----------------------\n"
        "PersistentVolumeClaim  storage   1Gi  2Gi  -                -              -\n")


def test_validation(cluster):
    mk = cluster
    bad = """apiVersion: v1
kind: LimitRange
metadata: {name: bad}
spec:
  limits:
  - type: Container
    max: {cpu: 500m}
    defaultRequest: {cpu: 600m}
  - type: Pod
    default: {cpu: 1}
  - type: Foo
    min: {cpu: 1}
  - type: Foo
"""
    r = mk("apply -f -", input=bad)
    q600 = ('resource.Quantity{i:resource.int64Amount{value:600, scale:-3}, d:resource.infDecAmount'
            '{Dec:(*inf.Dec)(nil)}, s:"600m", Format:"DecimalSI"}')
    assert r.code == 1
    assert r.err == (
        'The LimitRange "bad" is invalid: \n'
        f"* spec.limits[0].defaultRequest[cpu]: Invalid value: {q600}: default request value 600m is greater "
        "than max value 500m\n"
        f"* spec.limits[0].defaultRequest[cpu]: Invalid value: {q600}: default request value 600m is greater "
        "than default limit value 500m\n"
        "* spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'\n"
        '* spec.limits[2].type: Invalid value: "Foo": must be a standard limit type or fully qualified\n'
        '* spec.limits[3].type: Invalid value: "Foo": must be a standard limit type or fully qualified\n'
        '* spec.limits[3].type: Duplicate value: "Foo"\n')
    r = mk("apply -f -", input=("apiVersion: v1\nkind: LimitRange\nmetadata: {name: s}\nspec:\n  limits:\n"
                                "  - type: PersistentVolumeClaim\n    default: {storage: 1Gi}\n"))
    assert r.err == ('The LimitRange "s" is invalid: spec.limits[0].limits: Required value: either minimum or '
                     "maximum storage value is required, but neither was provided\n")
    assert mk("get limits").err == "No resources found in default namespace.\n"
