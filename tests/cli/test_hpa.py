"""HorizontalPodAutoscaler through the CLI on a manual clock (issue 11).

pkg/controller/podautoscaler/horizontal.go and replica_calculator.go (1.32, default flags:
15 s sync period, tolerance 0.1, 5-minute downscale stabilization, 5-minute CPU initialization
period); printers.go printHorizontalPodAutoscaler / formatHPAMetrics; describe.go
describeHorizontalPodAutoscalerV2; pkg/apis/autoscaling/validation; kubectl 1.32's
autoscale.go (an autoscaling/v1 object). The load is the documentation's walkthrough: a
busybox request loop against php-apache (registry.k8s.io/hpa-example), simulated as a rate of
requests (minikctl.kubelet.load).
"""

from __future__ import annotations

import json
import os
import sqlite3

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHP_APACHE = os.path.join(ROOT, "examples", "manifests", "php-apache.yaml")
LOAD = ["run", "-i", "--tty", "load-generator", "--rm", "--image=busybox:1.28", "--restart=Never", "--",
        "/bin/sh", "-c", "while sleep 0.01; do wget -q -O- http://php-apache; done"]
UP = "cpu resource utilization (percentage of request) above target"


def _dump(state: str) -> list:
    """Every object and every meta value of the store: what a refused command must leave as it was."""
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        return [db.execute("SELECT * FROM objects ORDER BY 1, 2, 3").fetchall(),
                db.execute("SELECT * FROM meta ORDER BY 1").fetchall()]
    finally:
        db.close()


def _hpa(mk, name="php-apache") -> dict:
    r = mk(f"get hpa {name} -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def _conditions(mk, name="php-apache") -> list:
    return [(c["type"], c["status"], c["reason"]) for c in _hpa(mk, name)["status"].get("conditions") or ()]


def _row(mk, name="php-apache") -> str:
    return mk(f"get hpa {name} --no-headers").out.split("\n")[0]


def _replicas(mk, name="php-apache") -> int:
    return json.loads(mk(f"get deploy {name} -o json").out)["spec"]["replicas"]


def _events(mk) -> list[tuple[str, str, str]]:
    items = json.loads(mk("get events -o json").out)["items"]
    return [(e["type"], e["reason"], e["message"]) for e in items
            if e["involvedObject"]["kind"] == "HorizontalPodAutoscaler"]


def _walkthrough(mk):
    assert mk(["apply", "-f", "https://k8s.io/examples/application/php-apache.yaml"]).out == (
        "deployment.apps/php-apache created\nservice/php-apache created\n")
    r = mk("autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10")
    assert (r.code, r.out, r.err) == (0, "horizontalpodautoscaler.autoscaling/php-apache autoscaled\n", "")


# ------------------------------------------------------------------ the walkthrough
def test_walkthrough_scales_out_under_load_and_back_after_the_window(cluster):
    mk = cluster
    _walkthrough(mk)
    # before the controller's first sync (15 s after the HPA was added): no status yet
    assert mk("get hpa").lines == [
        "NAME         REFERENCE               TARGETS              MINPODS   MAXPODS   REPLICAS   AGE",
        "php-apache   Deployment/php-apache   cpu: <unknown>/50%   1         10        0          0s"]
    assert _hpa(mk)["status"] == {"currentMetrics": None, "desiredReplicas": 0}
    mk("clock advance 15s")
    assert mk("get hpa").lines[1] == \
        "php-apache   Deployment/php-apache   cpu: 0%/50%   1         10        1          15s"
    # the documentation's load generator; without a terminal it runs on detached
    r = mk(LOAD)
    assert r.code == 0 and r.out == ""  # attached: kubectl prints no "created" line
    assert r.err == ("Unable to use a TTY - input is not a terminal or the right kind of file\n"
                     "minikctl: pod load-generator runs its request loop on in the cluster as a load of 50 "
                     "requests/s toward http://php-apache (not attached: no terminal); "
                     "`minikctl delete pod load-generator` stops it\n")
    # 50 requests/s x 13m of CPU each = 650m, capped by the pod's 500m limit: 250% of its 200m request
    mk("clock advance 15s")
    # REPLICAS is status.currentReplicas: what the target had when the controller looked
    assert _row(mk) == "php-apache   Deployment/php-apache   cpu: 250%/50%   1     10    1     30s"
    assert _replicas(mk) == 4  # 5 wanted, the scale-up limit without a behavior: max(2 x 1, 4)
    assert _hpa(mk)["status"]["desiredReplicas"] == 4
    assert _conditions(mk) == [("AbleToScale", "True", "SucceededRescale"),
                               ("ScalingActive", "True", "ValidMetricFound"),
                               ("ScalingLimited", "True", "ScaleUpLimit")]
    mk("clock advance 15s")
    # 650m over 4 ready endpoints: 81% -> ceil(1.62 x 4) = 7
    assert _row(mk) == "php-apache   Deployment/php-apache   cpu: 81%/50%   1     10    4     45s"
    mk("clock advance 1m")
    # 650m / 7 = 93m, plus the image's own 1m: 47%, within the 0.1 tolerance of 50%
    assert _row(mk) == "php-apache   Deployment/php-apache   cpu: 47%/50%   1     10    7     105s"
    assert mk("get deployment php-apache").lines[1].startswith("php-apache   7/7     7            7")
    assert _events(mk) == [("Normal", "SuccessfulRescale", f"New size: 4; reason: {UP}"),
                           ("Normal", "SuccessfulRescale", f"New size: 7; reason: {UP}")]
    # stopping the generator: the load is gone at once, the replicas stay for the stabilization window
    assert mk("delete pod load-generator").out == 'pod "load-generator" deleted\n'
    mk("clock advance 15s")
    assert _row(mk) == "php-apache   Deployment/php-apache   cpu: 0%/50%   1     10    7     2m30s"
    assert _conditions(mk)[0] == ("AbleToScale", "True", "ScaleDownStabilized")
    mk("clock advance 4m")
    assert _replicas(mk) == 7
    mk("clock advance 1m")
    assert _replicas(mk) == 1
    assert _events(mk)[-1] == ("Normal", "SuccessfulRescale", "New size: 1; reason: All metrics below target")
    assert _conditions(mk)[2] == ("ScalingLimited", "True", "TooFewReplicas")


def test_describe_hpa(cluster):
    mk = cluster
    _walkthrough(mk)
    mk("clock advance 15s")
    mk(LOAD)
    mk("clock advance 15s")
    r = mk("describe hpa php-apache")
    created = mk("get hpa php-apache -o jsonpath={.metadata.creationTimestamp}").out
    assert r.code == 0
    lines = r.out.split("\n")
    assert lines[0] == "Name:                                                  php-apache"
    assert lines[5:] == [
        "Reference:                                             Deployment/php-apache",
        "Metrics:                                               ( current / target )",
        "  resource cpu on pods  (as a percentage of request):  250% (500m) / 50%",
        "Min replicas:                                          1",
        "Max replicas:                                          10",
        "Deployment pods:                                       1 current / 4 desired",
        "Conditions:",
        "  Type            Status  Reason            Message",
        "  ----            ------  ------            -------",
        "  AbleToScale     True    SucceededRescale  the HPA controller was able to update the target scale to 4",
        "  ScalingActive   True    ValidMetricFound  the HPA was able to successfully calculate a replica count "
        "from cpu resource utilization (percentage of request)",
        "  ScalingLimited  True    ScaleUpLimit      the desired replica count is increasing faster than the maximum "
        "scale rate",
        "Events:",
        "  Type    Reason             Age   From                       Message",
        "  ----    ------             ----  ----                       -------",
        f"  Normal  SuccessfulRescale  0s    horizontal-pod-autoscaler  New size: 4; reason: {UP}",
        ""]
    assert created


def test_top_shows_the_served_load_spread_over_the_ready_endpoints(cluster):
    mk = cluster
    mk(["apply", "-f", PHP_APACHE])
    mk("scale deployment php-apache --replicas=2")
    mk(LOAD)
    mk("clock advance 15s")
    rows = [line.split() for line in mk("top pods").lines[1:]]
    assert sorted(r[1] for r in rows if r[0].startswith("php-apache")) == ["326m", "326m"]  # 650m / 2 + the image's 1m


# ------------------------------------------------------------------ the algorithm
STRESS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: busy
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: busy}}}}
  template:
    metadata: {{labels: {{app: busy}}}}
    spec:
      containers:
      - name: stress
        image: vish/stress
        args: ["-cpus", "1"]
        resources:
          requests: {{cpu: {req}{memory}}}
"""
HPA = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: busy
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: busy}}
  minReplicas: {min}
  maxReplicas: {max}
  metrics:
  - type: Resource
    resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 50}}}}
{extra}"""


def _busy(mk, req="1", replicas=1, min_=1, max_=10, extra="", memory=""):
    """A Deployment whose pods each keep one core busy (vish/stress -cpus 1), requesting `req`."""
    assert mk("apply -f -", input=STRESS.format(replicas=replicas, req=req, memory=memory)).code == 0
    r = mk("apply -f -", input=HPA.format(min=min_, max=max_, extra=extra))
    assert r.code == 0, r


def test_within_tolerance_no_rescale(cluster):
    mk = cluster
    _busy(mk, req="1852m")  # 1000m of 1852m: 53%, 1.06 x the 50% target
    mk("clock advance 1m")
    assert _row(mk, "busy") == "busy   Deployment/busy   cpu: 53%/50%   1     10    1     60s"
    assert _replicas(mk, "busy") == 1 and _events(mk) == []


def test_beyond_tolerance_rescales(cluster):
    mk = cluster
    _busy(mk, req="1666m", replicas=2)  # 60%: 1.2 x the target -> ceil(1.2 x 2) = 3
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 3
    assert _events(mk) == [("Normal", "SuccessfulRescale", f"New size: 3; reason: {UP}")]


def test_max_replicas_caps_the_scale_up(cluster):
    mk = cluster
    _busy(mk, replicas=2, max_=3)  # 100%: 4 wanted, at most 3
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 3
    assert _conditions(mk, "busy")[2] == ("ScalingLimited", "True", "TooManyReplicas")
    h = _hpa(mk, "busy")
    limited = h["status"]["conditions"][2]
    assert limited["message"] == "the desired replica count is more than the maximum replica count"


def test_replicas_outside_min_max_are_brought_back(cluster):
    mk = cluster
    _busy(mk, replicas=5, min_=1, max_=3)
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 3
    assert _events(mk) == [("Normal", "SuccessfulRescale",
                            "New size: 3; reason: Current number of replicas above Spec.MaxReplicas")]
    mk("scale deployment busy --replicas=1")
    mk("apply -f -", input=HPA.format(min=2, max=3, extra=""))
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 2
    assert _events(mk)[-1] == ("Normal", "SuccessfulRescale",
                               "New size: 2; reason: Current number of replicas below Spec.MinReplicas")


def test_scaling_disabled_at_zero_replicas(cluster):
    mk = cluster
    _busy(mk, replicas=0)
    mk("clock advance 15s")
    assert _conditions(mk, "busy") == [("AbleToScale", "True", "SucceededGetScale"),
                                       ("ScalingActive", "False", "ScalingDisabled")]
    assert _hpa(mk, "busy")["status"]["conditions"][1]["message"] == \
        "scaling is disabled since the replica count of the target is zero"


def test_behavior_policies_limit_the_rate(cluster):
    mk = cluster
    behavior = ("  behavior:\n    scaleUp:\n      policies:\n      - {type: Pods, value: 1, periodSeconds: 60}\n"
                "    scaleDown:\n      stabilizationWindowSeconds: 30\n      policies:\n"
                "      - {type: Percent, value: 50, periodSeconds: 60}\n")
    _busy(mk, replicas=1, extra=behavior)
    h = _hpa(mk, "busy")
    assert h["spec"]["behavior"] == {  # defaulted: the scale-up window 0 and selectPolicy Max
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]},
        "scaleDown": {"stabilizationWindowSeconds": 30, "selectPolicy": "Max",
                      "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}]}}
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 2  # 2 wanted at 100%... and one pod a minute
    assert _conditions(mk, "busy")[2] == ("ScalingLimited", "False", "DesiredWithinRange")
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 2
    assert _conditions(mk, "busy")[2] == ("ScalingLimited", "True", "ScaleUpLimit")
    mk("clock advance 45s")
    assert _replicas(mk, "busy") == 3
    r = mk("describe hpa busy")
    assert ("Behavior:\n"
            "  Scale Up:\n"
            "    Stabilization Window: 0 seconds\n"
            "    Select Policy: Max\n"
            "    Policies:\n"
            "      - Type: Pods  Value: 1  Period: 60 seconds\n"
            "  Scale Down:\n"
            "    Stabilization Window: 30 seconds\n"
            "    Select Policy: Max\n"
            "    Policies:\n"
            "      - Type: Percent  Value: 50  Period: 60 seconds\n") in r.out


def test_disabled_scale_up(cluster):
    mk = cluster
    _busy(mk, extra="  behavior:\n    scaleUp: {selectPolicy: Disabled}\n")
    mk("clock advance 30s")
    assert _replicas(mk, "busy") == 1
    assert _conditions(mk, "busy")[2] == ("ScalingLimited", "True", "ScaleUpLimit")


def test_memory_average_value(cluster):
    mk = cluster
    text = HPA.format(min=1, max=5, extra="").replace(
        "resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}",
        "resource: {name: memory, target: {type: AverageValue, averageValue: 512Ki}}")
    assert mk("apply -f -", input=STRESS.format(replicas=1, req="1", memory="")).code == 0
    assert mk("apply -f -", input=text).code == 0
    mk("clock advance 15s")
    # vish/stress uses 1Mi: twice the 512Ki target
    assert _row(mk, "busy") == "busy   Deployment/busy   memory: 1048576/512Ki   1     5     1     15s"
    assert _replicas(mk, "busy") == 2


# ------------------------------------------------------------------ unknown metrics
def test_unknown_metrics_without_cpu_requests(cluster):
    mk = cluster
    mk("create deployment web --image=nginx")
    assert mk("autoscale deployment web --cpu-percent=50 --max=3").code == 0
    mk("clock advance 15s")
    assert mk("get hpa").lines[1] == "web    Deployment/web   cpu: <unknown>/50%   1         3         1          15s"
    pod = mk("get pods -o name").out.strip().split("/")[1]
    err = f"failed to get cpu utilization: missing request for cpu in container nginx of Pod {pod}"
    assert _events(mk) == [
        ("Warning", "FailedGetResourceMetric", err),
        ("Warning", "FailedComputeMetricsReplicas",
         f"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {err}")]
    h = _hpa(mk, "web")
    assert h["status"]["currentMetrics"] is None
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in h["status"]["conditions"]] == [
        ("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale"),
        ("ScalingActive", "False", "FailedGetResourceMetric", f"the HPA was unable to compute the replica count: {err}")]


def test_no_metrics_yet_and_missing_target(cluster):
    mk = cluster
    mk("apply -f -", input=HPA.format(min=1, max=3, extra=""))
    mk("clock advance 15s")
    assert _events(mk) == [("Warning", "FailedGetScale", 'deployments.apps "busy" not found')]
    assert _conditions(mk, "busy") == [("AbleToScale", "False", "FailedGetScale")]
    mk("clock advance 5s")
    assert mk("apply -f -", input=STRESS.format(replicas=1, req="1", memory="")).code == 0
    mk("clock advance 10s")  # the next sync, 10 s after the pod started: metrics-server has not scraped it
    err = "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from " \
          "resource metrics API"
    assert _events(mk)[-2:] == [
        ("Warning", "FailedGetResourceMetric", err),
        ("Warning", "FailedComputeMetricsReplicas",
         f"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {err}")]
    assert _row(mk, "busy") == "busy   Deployment/busy   cpu: <unknown>/50%   1     3     1     30s"


# ------------------------------------------------------------------ kubectl autoscale
def test_autoscale_dry_run_prints_the_v1_object(cluster):
    mk = cluster
    _walkthrough(mk)
    r = mk("autoscale deployment php-apache --name=other --min=2 --max=5 --dry-run=client -o yaml")
    assert r.out == ("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n"
                     "  creationTimestamp: null\n  name: other\nspec:\n  maxReplicas: 5\n  minReplicas: 2\n"
                     "  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: php-apache\n"
                     "status:\n  currentReplicas: 0\n  desiredReplicas: 0\n")
    assert mk("autoscale deploy/php-apache --name=other --max=5 --dry-run=client").out == \
        "horizontalpodautoscaler.autoscaling/other created (dry run)\n"
    # without --cpu-percent the server's default policy: 80%
    mk("autoscale deploy/php-apache --name=other --max=5")
    assert _hpa(mk, "other")["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]


def test_autoscale_refusals_leave_the_store_unchanged(cluster, state):
    mk = cluster
    _walkthrough(mk)
    mk("create configmap cfg")
    before = _dump(state)
    cases = [
        ("autoscale deployment php-apache --cpu-percent=50", 'error: required flag(s) "max" not set\n'),
        ("autoscale deployment php-apache --max=0",
         "error: --max=MAXPODS is required and must be at least 1, max: 0\n"),
        ("autoscale deployment php-apache --min=5 --max=3",
         "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5\n"),
        ("autoscale deployment php-apache --max=3",
         'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "php-apache" already exists\n'),
        ("autoscale deployment nope --max=3", 'Error from server (NotFound): deployments.apps "nope" not found\n'),
        ("autoscale service php-apache --max=3",
         "error: cannot autoscale a Service: could not find scale subresource for /v1, Resource=services in "
         "discovery information\n"),
        ("autoscale configmap cfg --max=3",
         "error: cannot autoscale a ConfigMap: could not find scale subresource for /v1, Resource=configmaps in "
         "discovery information\n"),
        ("autoscale deployment php-apache --name=x --max=3 --cpu-percent=0",
         'The HorizontalPodAutoscaler "x" is invalid: spec.metrics[0].resource.target.averageUtilization: '
         "Invalid value: 0: must be greater than 0\n"),
        ("autoscale --max=3", "error: You must provide one or more resources by argument or filename.\n"
         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
         "   '<resource> <name>'\n   '<resource>'\n"),
    ]
    for cmd, err in cases:
        r = mk(cmd)
        assert (r.code, r.out, r.err) == (1, "", err), cmd
        assert _dump(state) == before, cmd


def test_invalid_hpa_manifests_are_refused(cluster, state):
    mk = cluster
    before = _dump(state)
    r = mk("apply -f -", input=HPA.format(min=0, max=3, extra=""))
    assert (r.code, r.err) == (1, 'The HorizontalPodAutoscaler "busy" is invalid: spec.minReplicas: Invalid value: 0: '
                                  "must be greater than or equal to 1\n")
    r = mk("apply -f -", input=HPA.format(min=4, max=3, extra=""))
    assert r.err == ('The HorizontalPodAutoscaler "busy" is invalid: spec.maxReplicas: Invalid value: 3: '
                     "must be greater than or equal to `minReplicas`\n")
    bad = HPA.format(min=1, max=3, extra="  behavior:\n    scaleDown:\n      selectPolicy: Fast\n"
                                         "      policies: [{type: Pods, value: 0, periodSeconds: 1801}]\n")
    r = mk("apply -f -", input=bad)
    assert r.err == (
        'The HorizontalPodAutoscaler "busy" is invalid: \n'
        '* spec.behavior.scaleDown.selectPolicy: Unsupported value: "Fast": supported values: "Disabled", "Max", '
        '"Min"\n'
        "* spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero\n"
        "* spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to "
        "1800\n")
    assert _dump(state) == before


def test_v1_manifest_is_served_as_v2(cluster):
    mk = cluster
    v1 = ("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
          "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 4\n"
          "  targetCPUUtilizationPercentage: 60\n")
    assert mk("apply -f -", input=v1).out == "horizontalpodautoscaler.autoscaling/web created\n"
    h = _hpa(mk, "web")
    assert h["apiVersion"] == "autoscaling/v2"
    assert h["spec"]["minReplicas"] == 1
    assert h["spec"]["metrics"][0]["resource"]["target"] == {"type": "Utilization", "averageUtilization": 60}
    assert mk("get hpa web").lines[1] == "web    Deployment/web   cpu: <unknown>/60%   1         4         0          0s"
    assert "horizontalpodautoscaler.autoscaling/web" in mk("get all").out


def test_a_custom_metric_without_an_adapter_does_not_stop_a_scale_up(cluster):
    """Pods metrics need a custom metrics API (none here): computeReplicasForMetrics still scales
    up on the metrics it could read, and its status has an empty entry for the failed one."""
    mk = cluster
    pods_metric = ("  - type: Pods\n    pods:\n      metric: {name: packets-per-second}\n"
                   "      target: {type: AverageValue, averageValue: 1k}\n")
    _busy(mk, replicas=1, extra=pods_metric)  # a second item of spec.metrics
    mk("clock advance 15s")
    assert _replicas(mk, "busy") == 2
    assert _row(mk, "busy") == "busy   Deployment/busy   cpu: 100%/50%, <unknown>/1k   1     10    1     15s"
    err = ("unable to get metric packets-per-second: unable to fetch metrics from custom metrics API: "
           "no custom metrics API (custom.metrics.k8s.io) registered")
    assert _events(mk) == [("Warning", "FailedGetPodsMetric", err),
                           ("Normal", "SuccessfulRescale", f"New size: 2; reason: {UP}")]
    h = _hpa(mk, "busy")
    assert h["status"]["currentMetrics"][1] == {"type": ""}
    assert _conditions(mk, "busy")[1] == ("ScalingActive", "True", "ValidMetricFound")
