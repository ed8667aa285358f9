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
