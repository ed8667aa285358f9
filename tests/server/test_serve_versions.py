"""`minikctl serve` (issue 14): second API versions (autoscaling/v1 HPA, converted), the pods
subresources binding, eviction and ephemeralcontainers, and /openapi/v2, driven by the real
kubectl 1.32 (`drain`, `autoscale`, `debug`, `explain --output=plaintext-openapiv2`) and by raw
HTTP as a client library sends it."""

from __future__ import annotations

import json

from tests.server.serving import DEPLOY

MANUAL_POD = """apiVersion: v1
kind: Pod
metadata: {name: manual}
spec:
  schedulerName: my-scheduler
  containers: [{name: c, image: "nginx:1.27"}]
"""


def _deploy(srv, name: str, replicas: int) -> None:
    r = srv.kubectl("apply -f -", input=DEPLOY.replace("web", name).replace("replicas: 2", f"replicas: {replicas}"))
    assert r.code == 0, r


def _pods(srv, label: str) -> list[dict]:
    return json.loads(srv.mk(f"get pods -l app={label} -o json").out)["items"]


# ------------------------------------------------------------------------------ discovery
def test_discovery_lists_pod_subresources(srv):
    code, body = srv.http("GET", "/api/v1")
    subs = {r["name"]: r for r in body["resources"] if r["name"].startswith("pods/")}
    # kube-apiserver 1.32's /api/v1 entries (pkg/registry/core/pod/storage: BindingREST, EvictionREST,
    # EphemeralContainersREST)
    assert subs["pods/binding"] == {"name": "pods/binding", "singularName": "", "namespaced": True, "kind": "Binding",
                                    "verbs": ["create"]}
    assert subs["pods/eviction"] == {"name": "pods/eviction", "singularName": "", "namespaced": True,
                                     "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"]}
    assert subs["pods/ephemeralcontainers"] == {"name": "pods/ephemeralcontainers", "singularName": "",
                                                "namespaced": True, "kind": "Pod",
                                                "verbs": ["get", "patch", "update"]}
    code, body = srv.http("GET", "/api", accept="application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    pods = next(r for r in body["items"][0]["versions"][0]["resources"] if r["resource"] == "pods")
    ev = next(s for s in pods["subresources"] if s["subresource"] == "eviction")
    assert ev == {"subresource": "eviction", "responseKind": {"group": "policy", "version": "v1", "kind": "Eviction"},
                  "verbs": ["create"]}


# -------------------------------------------------------------------------------- binding
def test_binding_binds_the_pod_as_a_scheduler(srv):
    r = srv.kubectl("apply -f -", input=MANUAL_POD)
    assert r.code == 0, r
    assert srv.mk("get pod manual -o jsonpath={.status.phase}/{.spec.nodeName}").out == "Pending/"
    binding = json.dumps({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "manual"},
                          "target": {"kind": "Node", "name": "minikctl-worker"}})
    r = srv.kubectl("create --raw /api/v1/namespaces/default/pods/manual/binding -f -", input=binding)
    assert (r.code, r.out) == (0, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}\n')
    got = json.loads(srv.mk("get pod manual -o json").out)
    assert got["spec"]["nodeName"] == "minikctl-worker" and got["status"]["phase"] == "Running"
    assert any(c["type"] == "PodScheduled" and c["status"] == "True" for c in got["status"]["conditions"])
    # assignPod: a bound pod is a Conflict on pods/binding
    r = srv.kubectl("create --raw /api/v1/namespaces/default/pods/manual/binding -f -", input=binding)
    assert (r.code, r.err) == (1, 'Error from server (Conflict): Operation cannot be fulfilled on pods/binding '
                                  '"manual": pod manual is already assigned to node "minikctl-worker"\n')
    code, body = srv.http("POST", "/api/v1/namespaces/default/pods/manual/binding",
                          binding.replace('"name": "manual"', '"name": "other"').encode())
    assert (code, body["reason"], body["message"]) == (400, "BadRequest",
                                                       "name in URL does not match name in Binding object")
    r = srv.kubectl("delete pod manual")
    assert r.code == 0, r


# ------------------------------------------------------------------------------- eviction
def test_eviction_subresource_and_budget(srv):
    _deploy(srv, "evi", 2)
    r = srv.kubectl("create pdb evi --selector=app=evi --min-available=2")
    assert r.code == 0, r
    pod = _pods(srv, "evi")[0]["metadata"]["name"]
    ev = json.dumps({"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": pod}}).encode()
    code, body = srv.http("POST", f"/api/v1/namespaces/default/pods/{pod}/eviction", ev)
    # pkg/registry/core/pod/storage/eviction.go checkAndDecrement: 429 with the budget's cause
    assert (code, body) == (429, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                  "message": "Cannot evict pod as it would violate the pod's disruption budget.",
                                  "reason": "TooManyRequests",
                                  "details": {"causes": [{"reason": "DisruptionBudget", "message":
                                                          "The disruption budget evi needs 2 healthy pods and has "
                                                          "2 currently"}]},
                                  "code": 429})
    assert srv.mk(f"get pod {pod} -o name").out == f"pod/{pod}\n"
    r = srv.kubectl("delete pdb evi")
    assert r.code == 0, r
    code, body = srv.http("POST", f"/api/v1/namespaces/default/pods/{pod}/eviction?dryRun=All", ev)
    assert (code, body["status"]) == (201, "Success")
    assert srv.mk(f"get pod {pod} -o name").out == f"pod/{pod}\n"
    code, body = srv.http("POST", f"/api/v1/namespaces/default/pods/{pod}/eviction", ev)
    assert (code, body) == (201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                  "code": 201})
    assert pod not in srv.mk("get pods -l app=evi -o name").out  # nginx exits on SIGTERM: gone at once
    code, body = srv.http("POST", "/api/v1/namespaces/default/pods/nope/eviction",
                          ev.replace(pod.encode(), b"nope"))
    assert (code, body["message"]) == (404, 'pods "nope" not found')
    r = srv.kubectl("delete deploy evi")
    assert r.code == 0, r


def test_drain_evicts_through_the_api(srv):
    _deploy(srv, "dr", 4)
    on_worker = sorted(p["metadata"]["name"] for p in json.loads(srv.mk("get pods -A -o json").out)["items"]
                       if p["spec"].get("nodeName") == "minikctl-worker")
    assert on_worker
    r = srv.kubectl("drain minikctl-worker --ignore-daemonsets")
    assert r.code == 0, r
    lines = r.out.splitlines()
    # drain.go: cordon, one "evicting pod" per pod, then each pod's "evicted" (in the order they go)
    assert lines[0] == "node/minikctl-worker cordoned" and lines[-1] == "node/minikctl-worker drained"
    assert sorted(ln.rpartition("/")[2] for ln in lines if ln.startswith("evicting pod ")) == on_worker
    assert sorted(ln[4:-8] for ln in lines if ln.endswith(" evicted")) == on_worker
    left = [p for p in json.loads(srv.mk("get pods -A -o json").out)["items"]
            if p["spec"].get("nodeName") == "minikctl-worker"]
    assert left == []
    assert all(p["spec"]["nodeName"] == "minikctl-worker2" for p in _pods(srv, "dr"))
    assert srv.mk("get node minikctl-worker -o jsonpath={.spec.unschedulable}").out == "true"
    # a budget that allows nothing: drain retries until its --timeout (kubectl's own messages)
    r = srv.kubectl("create pdb dr --selector=app=dr --min-available=4")
    assert r.code == 0, r
    r = srv.kubectl("drain minikctl-worker2 --ignore-daemonsets --pod-selector=app=dr --timeout=1s")
    assert r.code == 1, r
    assert ("error when evicting pods/\"" in r.err and '(will retry after 5s): Cannot evict pod as it would violate '
            "the pod's disruption budget.\n" in r.err), r.err
    assert 'error: unable to drain node "minikctl-worker2" due to error: ' in r.err
    assert len(_pods(srv, "dr")) == 4
    for cmd in ("uncordon minikctl-worker", "uncordon minikctl-worker2", "delete pdb dr", "delete deploy dr"):
        r = srv.kubectl(cmd)
        assert r.code == 0, r


# ------------------------------------------------------------------------- ephemeral containers
def test_debug_adds_an_ephemeral_container(srv):
    _deploy(srv, "dbg", 1)
    pod = _pods(srv, "dbg")[0]["metadata"]["name"]
    r = srv.kubectl(f"debug {pod} --image=busybox -c debugger")
    assert (r.code, r.out) == (0, ""), r
    got = json.loads(srv.mk(f"get pod {pod} -o json").out)
    assert got["spec"]["ephemeralContainers"] == [{"image": "busybox", "imagePullPolicy": "Always",
                                                   "name": "debugger", "resources": {},
                                                   "terminationMessagePath": "/dev/termination-log",
                                                   "terminationMessagePolicy": "File"}]
    assert [s["name"] for s in got["status"]["ephemeralContainerStatuses"]] == ["debugger"]
    # the same name again: kubectl's strategic merge patch merges into it (merge key name): no change
    r = srv.kubectl(f"debug {pod} --image=busybox -c debugger")
    assert r.code == 0, r
    assert len(json.loads(srv.mk(f"get pod {pod} -o json").out)["spec"]["ephemeralContainers"]) == 1
    code, body = srv.http("GET", f"/api/v1/namespaces/default/pods/{pod}/ephemeralcontainers")
    assert code == 200 and body["metadata"]["name"] == pod
    # only spec.ephemeralContainers changes through this subresource
    patch = json.dumps({"metadata": {"labels": {"x": "y"}}, "spec": {"ephemeralContainers": [
        {"name": "debugger", "image": "busybox"}, {"name": "two", "image": "busybox", "ports": [{"containerPort": 1}]}]}})
    code, body = srv.http("PATCH", f"/api/v1/namespaces/default/pods/{pod}/ephemeralcontainers", patch.encode(),
                          ctype="application/strategic-merge-patch+json")
    assert (code, body["reason"], body["message"]) == (
        422, "Invalid", f'Pod "{pod}" is invalid: spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an '
                        "Ephemeral Container")
    assert srv.mk(f"get pod {pod} -o jsonpath={{.metadata.labels.x}}").out == ""
    r = srv.kubectl("delete deploy dbg")
    assert r.code == 0, r


# ------------------------------------------------------------------------ autoscaling/v1 HPA
def test_discovery_lists_autoscaling_v2_and_v1(srv):
    code, body = srv.http("GET", "/apis/autoscaling")
    # kube-apiserver 1.32: v2 is preferred, v1 still served (apiVersionPriorities)
    assert body == {"kind": "APIGroup", "apiVersion": "v1", "name": "autoscaling",
                    "versions": [{"groupVersion": "autoscaling/v2", "version": "v2"},
                                 {"groupVersion": "autoscaling/v1", "version": "v1"}],
                    "preferredVersion": {"groupVersion": "autoscaling/v2", "version": "v2"}}
    code, body = srv.http("GET", "/apis/autoscaling/v1")
    assert [r["name"] for r in body["resources"]] == ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]
    assert body["resources"][0]["shortNames"] == ["hpa"]
    code, body = srv.http("GET", "/apis", accept="application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    group = next(g for g in body["items"] if g["metadata"]["name"] == "autoscaling")
    assert [v["version"] for v in group["versions"]] == ["v2", "v1"]
    r = srv.kubectl("api-resources --api-group=autoscaling")
    assert r.out == srv.mk("api-resources --api-group=autoscaling").out


def test_kubectl_autoscale_posts_autoscaling_v1(srv):
    _deploy(srv, "as", 1)
    # kubectl 1.32 autoscale POSTs an autoscaling/v1 object (protobuf): stored as v2, as `minikctl autoscale`
    r = srv.kubectl("autoscale deployment as --max=5 --cpu-percent=50")
    assert (r.code, r.out) == (0, "horizontalpodautoscaler.autoscaling/as autoscaled\n"), r
    got = json.loads(srv.mk("get hpa as -o json").out)
    assert got["apiVersion"] == "autoscaling/v2"
    assert got["spec"] == {"maxReplicas": 5, "metrics": [{"resource": {"name": "cpu", "target": {
        "averageUtilization": 50, "type": "Utilization"}}, "type": "Resource"}], "minReplicas": 1,
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "as"}}
    for what in ("hpa", "hpa as -o wide"):
        k, m = srv.kubectl(f"get {what}"), srv.mk(f"get {what}")
        assert (k.code, k.out) == (m.code, m.out), what
    r = srv.kubectl("autoscale deployment as --max=5 --cpu-percent=50")
    assert (r.code, r.err) == (1, 'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "as" '
                                  "already exists\n")
    # the v1 view: targetCPUUtilizationPercentage (pkg/apis/autoscaling/v1/conversion.go)
    r = srv.kubectl("get horizontalpodautoscalers.v1.autoscaling as -o jsonpath={.apiVersion}/"
                    "{.spec.targetCPUUtilizationPercentage}/{.spec.maxReplicas}")
    assert (r.code, r.out) == (0, "autoscaling/v1/50/5"), r
    code, body = srv.http("GET", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers")
    assert (code, body["kind"], body["apiVersion"]) == (200, "HorizontalPodAutoscalerList", "autoscaling/v1")
    assert [i["apiVersion"] for i in body["items"]] == ["autoscaling/v1"]
    r = srv.kubectl("delete hpa as")
    assert r.code == 0, r
    r = srv.kubectl("delete deploy as")
    assert r.code == 0, r


HPA_V2 = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: rt}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: rt}
  minReplicas: 2
  maxReplicas: 6
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
"""


def test_hpa_v1_view_keeps_what_v1_has_no_field_for(srv):
    r = srv.kubectl("apply -f -", input=HPA_V2)
    assert r.code == 0, r
    path = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/rt"
    code, v1 = srv.http("GET", path)
    assert code == 200 and v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"] == {"scaleTargetRef": {"kind": "Deployment", "name": "rt", "apiVersion": "apps/v1"},
                          "minReplicas": 2, "maxReplicas": 6, "targetCPUUtilizationPercentage": 60}
    # the metric v1 has no field for rides in the alpha annotation, as Go's json.Marshal writes it
    assert v1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"] == \
        '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]'
    before = json.loads(srv.mk("get hpa rt -o json").out)
    # PUT the v1 object back: nothing is lost
    v1["spec"]["maxReplicas"] = 7
    code, got = srv.http("PUT", path, json.dumps(v1).encode())
    assert (code, got["apiVersion"], got["spec"]["maxReplicas"]) == (200, "autoscaling/v1", 7), got
    after = json.loads(srv.mk("get hpa rt -o json").out)
    assert after["spec"]["metrics"] == before["spec"]["metrics"] and after["spec"]["maxReplicas"] == 7
    assert not any(a.startswith("autoscaling.alpha") for a in after["metadata"]["annotations"])
    # a merge patch of the v1 form
    code, got = srv.http("PATCH", path, b'{"spec":{"targetCPUUtilizationPercentage":70}}',
                         ctype="application/merge-patch+json")
    assert (code, got["spec"]["targetCPUUtilizationPercentage"]) == (200, 70), got
    after = json.loads(srv.mk("get hpa rt -o json").out)
    assert [m["resource"]["name"] for m in after["spec"]["metrics"]] == ["memory", "cpu"]
    assert after["spec"]["metrics"][1]["resource"]["target"]["averageUtilization"] == 70
    # a body of the other version is refused, as the apiserver's decoder does
    v2 = json.loads(srv.mk("get hpa rt -o json").out)
    code, got = srv.http("PUT", path, json.dumps(v2).encode())
    assert (code, got["message"]) == (400, "the API version in the data (autoscaling/v2) does not match the expected "
                                           "API version (autoscaling/v1)")
    r = srv.kubectl("delete horizontalpodautoscalers.v1.autoscaling rt")
    assert (r.code, r.out) == (0, 'horizontalpodautoscaler.autoscaling "rt" deleted\n'), r


# ----------------------------------------------------------------------------- events.k8s.io/v1
def test_events_k8s_io_v1_is_a_view_of_core_events(srv):
    code, body = srv.http("GET", "/apis/events.k8s.io")
    assert body["preferredVersion"] == {"groupVersion": "events.k8s.io/v1", "version": "v1"}
    r = srv.kubectl("api-resources")
    assert (r.code, r.out) == (0, srv.mk("api-resources").out)
    assert ["events", "ev", "events.k8s.io/v1", "true", "Event"] in [ln.split() for ln in r.out.splitlines()]
    _deploy(srv, "evk", 1)
    core = json.loads(srv.mk("get events -o json").out)["items"]
    code, body = srv.http("GET", "/apis/events.k8s.io/v1/namespaces/default/events")
    assert (code, body["kind"], body["apiVersion"]) == (200, "EventList", "events.k8s.io/v1")
    assert len(body["items"]) == len(core)
    c = next(e for e in core if e["reason"] == "Scheduled")
    v1 = next(e for e in body["items"] if e["metadata"]["name"] == c["metadata"]["name"])
    # pkg/apis/events/v1/conversion.go: the renamed fields
    assert v1 == {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": c["metadata"],
                  "eventTime": None, "reportingController": "default-scheduler", "reason": "Scheduled",
                  "regarding": c["involvedObject"], "note": c["message"], "type": "Normal",
                  "deprecatedSource": {"component": "default-scheduler"},
                  "deprecatedFirstTimestamp": c["firstTimestamp"], "deprecatedLastTimestamp": c["lastTimestamp"],
                  "deprecatedCount": 1}
    # the Table is the core one (the same printer), so kubectl prints the same
    k = srv.kubectl("get events.v1.events.k8s.io --field-selector reason=Scheduled")
    m = srv.mk("get events --field-selector reason=Scheduled")
    assert (k.code, k.out) == (m.code, m.out)
    r = srv.kubectl("delete deploy evk")
    assert r.code == 0, r


# --------------------------------------------------------------------------------- /openapi/v2
def test_openapi_v2_document(srv):
    code, doc = srv.http("GET", "/openapi/v2")
    assert code == 200 and doc["swagger"] == "2.0" and doc["info"] == {"title": "Kubernetes", "version": "unversioned"}
    pod = doc["definitions"]["io.k8s.api.core.v1.Pod"]
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    # Swagger 2.0 references: $ref beside its description (the v3 document's allOf undone)
    assert pod["properties"]["spec"] == {
        "$ref": "#/definitions/io.k8s.api.core.v1.PodSpec",
        "description": "Specification of the desired behavior of the pod. More info: "
                       "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"
                       "#spec-and-status"}
    assert "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler" in doc["definitions"]


def test_kubectl_explain_openapiv2_equals_minikctl(srv):
    # kubectl 1.32 reads /openapi/v2 as gnostic protobuf (application/com.github.proto-openapi.spec.v2@v1.0+protobuf)
    for what in ("pods", "pods.spec.containers.ports", "deployments.spec --recursive", "hpa.spec.metrics",
                 "pods.metadata.labels", "svc.spec.ports.targetPort", "pods.spec.nope",
                 "hpa --api-version=autoscaling/v1", "cronjobs.spec.jobTemplate"):
        k = srv.kubectl(f"explain {what} --output=plaintext-openapiv2")
        m = srv.mk(f"explain {what} --output=plaintext-openapiv2")
        assert (k.code, k.out, k.err) == (m.code, m.out, m.err), what
    k = srv.kubectl("explain pods.spec.os")
    assert k.code == 0 and k.out.startswith("KIND:       Pod\n")  # the default (v3) explain is unchanged


def test_watch_through_another_version(srv):
    import subprocess

    from tests.server.serving import KUBECTL

    _deploy(srv, "wv", 1)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(srv.root), "KUBECONFIG": srv.kubeconfig}
    p = subprocess.Popen([KUBECTL, "get", "horizontalpodautoscalers.v1.autoscaling", "-w", "--output-watch-events",
                          "--field-selector=metadata.name=wv",
                          "-o", "jsonpath={.type} {.object.apiVersion} {.object.metadata.name} "
                          "{.object.spec.targetCPUUtilizationPercentage}{\"\\n\"}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        r = srv.kubectl("autoscale deployment wv --max=3 --cpu-percent=40")
        assert r.code == 0, r
        line = p.stdout.readline()
        assert line == "ADDED autoscaling/v1 wv 40\n", (line, p.stderr)
    finally:
        p.kill()
        p.communicate(timeout=30)
    for cmd in ("delete hpa wv", "delete deploy wv"):
        r = srv.kubectl(cmd)
        assert r.code == 0, r


def test_drain_disable_eviction_deletes_with_a_protobuf_delete_options(srv):
    _deploy(srv, "dd", 2)
    on_worker = sorted(p["metadata"]["name"] for p in _pods(srv, "dd") if p["spec"]["nodeName"] == "minikctl-worker")
    assert on_worker  # the scheduler spreads the two replicas over the two workers
    # kubectl sends DeleteOptions as protobuf ("v1" DeleteOptions, a meta/v1 type) in each DELETE
    r = srv.kubectl("drain minikctl-worker --ignore-daemonsets --disable-eviction --pod-selector=app=dd")
    assert r.code == 0, r
    assert sorted(ln[4:-8] for ln in r.out.splitlines() if ln.endswith(" deleted")) == on_worker
    assert not [p for p in _pods(srv, "dd") if p["spec"]["nodeName"] == "minikctl-worker"]
    for cmd in ("uncordon minikctl-worker", "delete deploy dd"):
        r = srv.kubectl(cmd)
        assert r.code == 0, r


def test_server_side_apply_through_autoscaling_v1(srv):
    hpa = """apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: ssa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ssa}
  maxReplicas: 4
  targetCPUUtilizationPercentage: 30
"""
    r = srv.kubectl("apply --server-side -f -", input=hpa)
    assert (r.code, r.out) == (0, "horizontalpodautoscaler.autoscaling/ssa serverside-applied\n"), r
    got = json.loads(srv.mk("get hpa ssa -o json").out)
    assert got["spec"]["maxReplicas"] == 4
    assert got["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 30
    r = srv.kubectl("delete hpa ssa")
    assert r.code == 0, r
