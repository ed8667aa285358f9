"""defaults.apply_defaults: kube-apiserver 1.32 defaulting, filling only empty fields."""

from __future__ import annotations

import copy

from minikctl.api.defaults import apply_defaults, image_tag


def defaulted(obj: dict) -> dict:
    obj = copy.deepcopy(obj)
    apply_defaults(obj)
    return obj


CONTAINER_DEFAULTS = {"imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
                      "terminationMessagePolicy": "File", "resources": {}}
POD_SPEC_DEFAULTS = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "securityContext": {},
                     "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler"}


def test_service_cluster_ip():
    svc = defaulted({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                     "spec": {"ports": [{"port": 80}, {"port": 443, "targetPort": "https", "protocol": "UDP"}],
                              "selector": {"app": "web"}}})
    assert svc["spec"] == {
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80},
                  {"port": 443, "targetPort": "https", "protocol": "UDP"}],
        "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP",
        "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]}
    assert svc["status"] == {"loadBalancer": {}}


def test_service_node_port_load_balancer_and_client_ip():
    np_ = defaulted({"kind": "Service", "spec": {"type": "NodePort", "ports": [{"port": 80}]}})["spec"]
    assert np_["externalTrafficPolicy"] == "Cluster" and "allocateLoadBalancerNodePorts" not in np_
    lb = defaulted({"kind": "Service", "spec": {"type": "LoadBalancer", "sessionAffinity": "ClientIP"},
                    "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}})
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True
    assert lb["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    assert lb["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4", "ipMode": "VIP"}]
    kept = defaulted({"kind": "Service", "spec": {"sessionAffinity": "ClientIP",
                                                  "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}})
    assert kept["spec"]["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"] == 60
    none = defaulted({"kind": "Service", "spec": {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}})
    assert "sessionAffinityConfig" not in none["spec"]  # dropped when affinity is None


def test_service_external_ips_make_cluster_ip_externally_accessible():
    spec = defaulted({"kind": "Service", "spec": {"externalIPs": ["1.2.3.4"]}})["spec"]
    assert spec["externalTrafficPolicy"] == "Cluster"


def test_service_headless_and_external_name():
    headless = defaulted({"kind": "Service", "spec": {"clusterIP": "None"}})["spec"]
    assert headless["clusterIPs"] == ["None"]
    assert (headless["ipFamilyPolicy"], headless["ipFamilies"]) == ("RequireDualStack", ["IPv4"])
    with_selector = defaulted({"kind": "Service", "spec": {"clusterIP": "None", "selector": {"a": "b"}}})["spec"]
    assert with_selector["ipFamilyPolicy"] == "SingleStack"
    ext = defaulted({"kind": "Service", "spec": {"type": "ExternalName", "externalName": "x.example.com"}})["spec"]
    assert "ipFamilies" not in ext and "ipFamilyPolicy" not in ext and "internalTrafficPolicy" not in ext


def test_pod():
    pod = defaulted({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "a", "image": "nginx", "ports": [{"containerPort": 80}],
         "readinessProbe": {"httpGet": {"port": 80}},
         "livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5},
         "resources": {"limits": {"cpu": "1"}},
         "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]},
        {"name": "b", "image": "nginx:1.27"},
        {"name": "c", "image": "nginx@sha256:abcd"},
        {"name": "d", "image": "registry:5000/app:latest", "imagePullPolicy": "Never"}]}})
    spec = pod["spec"]
    assert {k: spec[k] for k in POD_SPEC_DEFAULTS} == POD_SPEC_DEFAULTS
    assert spec["enableServiceLinks"] is True
    a, b, c, d = spec["containers"]
    assert a["imagePullPolicy"] == "Always" and b["imagePullPolicy"] == "IfNotPresent"
    assert c["imagePullPolicy"] == "IfNotPresent" and d["imagePullPolicy"] == "Never"
    assert {k: b[k] for k in CONTAINER_DEFAULTS} == CONTAINER_DEFAULTS
    assert a["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert a["readinessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                                   "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert a["livenessProbe"]["periodSeconds"] == 5
    assert a["resources"] == {"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}
    assert a["env"][0]["valueFrom"]["fieldRef"] == {"fieldPath": "metadata.name", "apiVersion": "v1"}


def test_pod_host_network_and_volumes():
    spec = defaulted({"kind": "Pod", "spec": {"hostNetwork": True, "containers": [
        {"name": "a", "image": "x", "ports": [{"containerPort": 8080}]}],
        "volumes": [{"name": "scratch"}, {"name": "cfg", "configMap": {"name": "c"}}, {"name": "s", "secret": {"secretName": "s"}}]}})["spec"]
    assert spec["containers"][0]["ports"][0]["hostPort"] == 8080
    assert spec["volumes"] == [{"name": "scratch", "emptyDir": {}},
                               {"name": "cfg", "configMap": {"name": "c", "defaultMode": 420}},
                               {"name": "s", "secret": {"secretName": "s", "defaultMode": 420}}]


def test_deployment_like_kube_apiserver():
    dep = defaulted({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                     "spec": {"selector": {"matchLabels": {"app": "web"}},
                              "template": {"metadata": {"labels": {"app": "web"}},
                                           "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    spec = dep["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    assert spec["template"]["metadata"] == {"labels": {"app": "web"}, "creationTimestamp": None}
    tspec = spec["template"]["spec"]
    assert {k: tspec[k] for k in POD_SPEC_DEFAULTS} == POD_SPEC_DEFAULTS
    assert "enableServiceLinks" not in tspec  # SetDefaults_Pod only, not pod templates
    assert tspec["containers"][0] == {"name": "nginx", "image": "nginx", "imagePullPolicy": "Always",
                                      **{k: v for k, v in CONTAINER_DEFAULTS.items() if k != "imagePullPolicy"}}


def test_deployment_keeps_what_is_set():
    spec = defaulted({"kind": "Deployment", "spec": {"replicas": 0, "revisionHistoryLimit": 0,
                                                     "strategy": {"type": "Recreate"}}})["spec"]
    assert spec["replicas"] == 0 and spec["revisionHistoryLimit"] == 0
    assert spec["strategy"] == {"type": "Recreate"}
    spec = defaulted({"kind": "Deployment", "spec": {"strategy": {"rollingUpdate": {"maxSurge": 0}}}})["spec"]
    assert spec["strategy"]["rollingUpdate"] == {"maxSurge": 0, "maxUnavailable": "25%"}


def test_replica_set_and_replication_controller():
    rs = defaulted({"kind": "ReplicaSet", "spec": {"template": {"metadata": {"labels": {"a": "b"}}, "spec": {}}}})
    assert rs["spec"]["replicas"] == 1 and "selector" not in rs["spec"]
    rc = defaulted({"kind": "ReplicationController", "metadata": {"name": "rc"},
                    "spec": {"template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": []}}}})
    assert rc["spec"]["selector"] == {"app": "x"} and rc["spec"]["replicas"] == 1
    assert rc["metadata"]["labels"] == {"app": "x"}


def test_secret_namespace_endpoints_and_more():
    secret = defaulted({"kind": "Secret", "stringData": {"user": "admin"}, "data": {"x": "eQ=="}})
    assert secret == {"kind": "Secret", "data": {"x": "eQ==", "user": "YWRtaW4="}, "type": "Opaque"}
    ns = defaulted({"kind": "Namespace", "metadata": {"name": "dev"}})
    assert ns == {"kind": "Namespace", "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
    ep = defaulted({"kind": "Endpoints", "subsets": [{"ports": [{"port": 80}]}]})
    assert ep["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    slice_ = defaulted({"kind": "EndpointSlice", "ports": [{"port": 80}]})
    assert slice_["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
    ing = defaulted({"kind": "Ingress", "spec": {"rules": [{"http": {"paths": [{"path": "/"}]}}]}})
    assert "pathType" not in ing["spec"]["rules"][0]["http"]["paths"][0]  # required in v1, never defaulted
    assert ing["status"] == {"loadBalancer": {}}
    ic = defaulted({"kind": "IngressClass", "spec": {"controller": "x/y", "parameters": {"kind": "K", "name": "n"}}})
    assert ic["spec"]["parameters"]["scope"] == "Cluster"
    node = defaulted({"kind": "Node", "status": {"capacity": {"cpu": "2"}}})
    assert node["status"]["allocatable"] == {"cpu": "2"}


def test_image_tag():
    assert [image_tag(i) for i in ("nginx", "nginx:1.2", "a:5000/b", "a:5000/b:c", "b@sha256:x", "b:c@sha256:x")] == [
        "latest", "1.2", "latest", "c", "", "c"]


def test_defaulting_twice_changes_nothing():
    obj = defaulted({"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "b"}]}}}})
    assert defaulted(obj) == obj


def test_malformed_input_is_left_alone():
    for obj in [{"kind": "Service", "spec": []}, {"kind": "Pod", "spec": {"containers": "x"}},
                {"kind": "Deployment", "spec": {"strategy": "x", "template": []}}, {"kind": "Secret", "stringData": 5},
                {"kind": "Pod", "spec": {"containers": [None, {"ports": "x", "readinessProbe": 3}]}}, [], None,
                {"kind": "Namespace", "metadata": "x"}, {"kind": "ReplicationController", "spec": {"template": 1}}]:
        apply_defaults(obj)
