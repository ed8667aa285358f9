"""validation.validate: kube-apiserver 1.32 field errors, wording and order."""

from __future__ import annotations

import copy

from minikctl.api.defaults import apply_defaults
from minikctl.api.errors import Invalid
from minikctl.api.validation import validate, validate_update

DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
           "is '[a-z]([-a-z0-9]*[a-z0-9])?')")
DNS1123_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
                 "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                 "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1123_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                     "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
                     "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
RANGE = "must be between 1 and 65535, inclusive"


def errors(obj: dict, old: dict | None = None) -> list[str]:
    obj = copy.deepcopy(obj)
    apply_defaults(obj)
    if old is not None:
        old = copy.deepcopy(old)
        apply_defaults(old)
    return [str(e) for e in validate(obj, old)]


def svc(**spec) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"ports": [{"port": 80}], "selector": {"app": "web"}, **spec}}


def dep(**spec) -> dict:
    base = {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": {**base, **spec}}


# --------------------------------------------------------------------- Service


def test_valid_services_from_the_seed():
    assert errors(svc()) == []
    assert errors(svc(ports=[{"name": "http", "port": 80, "targetPort": 8080},
                             {"name": "https", "port": 443, "targetPort": 8443}])) == []
    assert errors(svc(type="NodePort", ports=[{"port": 80, "targetPort": 8000, "nodePort": 30123}])) == []
    assert errors(svc(type="LoadBalancer", externalTrafficPolicy="Local")) == []
    assert errors(svc(clusterIP="None")) == []
    assert errors(svc(type="ExternalName", externalName="someapi.somecompany.com", selector=None)) == []
    assert errors(svc(sessionAffinity="ClientIP")) == []


def test_service_name_is_a_dns1035_label():
    obj = svc()
    obj["metadata"]["name"] = "1web"
    assert errors(obj) == [f'metadata.name: Invalid value: "1web": {DNS1035}']
    obj["metadata"]["name"] = ""
    assert errors(obj) == ["metadata.name: Required value: name or generateName is required"]


def test_port_range_and_the_invalid_message():
    obj = svc(ports=[{"port": 99999, "targetPort": 8080}])
    assert errors(obj) == [f"spec.ports[0].port: Invalid value: 99999: {RANGE}"]
    e = Invalid("Service", "web", validate(_defaulted(obj)))
    assert e.render() == f'The Service "web" is invalid: spec.ports[0].port: Invalid value: 99999: {RANGE}'


def _defaulted(obj):
    obj = copy.deepcopy(obj)
    apply_defaults(obj)
    return obj


def test_ports_names_protocols_target_ports():
    obj = svc(ports=[{"port": 0}, {"name": "Http", "port": 80, "protocol": "HTTP", "targetPort": "-x-"},
                     {"name": "a", "port": 443, "targetPort": 70000}, {"name": "a", "port": 8443}])
    assert errors(obj) == [
        "spec.ports[0].name: Required value",
        f"spec.ports[0].port: Invalid value: 0: {RANGE}",
        f"spec.ports[0].targetPort: Invalid value: 0: {RANGE}",
        f'spec.ports[1].name: Invalid value: "Http": {DNS1123_LABEL}',
        'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.ports[1].targetPort: Invalid value: "-x-": must not begin or end with a hyphen',
        f"spec.ports[2].targetPort: Invalid value: 70000: {RANGE}",
        'spec.ports[3].name: Duplicate value: "a"',
    ]


def test_duplicate_ports():
    obj = svc(ports=[{"name": "a", "port": 80}, {"name": "b", "port": 80}])
    assert errors(obj) == [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), '
        'Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}']


def test_ports_required_unless_headless_or_external_name():
    assert errors(svc(ports=[])) == ["spec.ports: Required value"]
    assert errors(svc(ports=[], clusterIP="None")) == []


def test_type_and_node_port_rules():
    assert errors(svc(type="Foo")) == [
        'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']
    assert errors(svc(ports=[{"port": 80, "nodePort": 30080}])) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
    assert errors(svc(type="NodePort", clusterIP="None")) == [
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]
    assert errors(svc(type="LoadBalancer", clusterIP="None")) == [
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]
    assert errors(svc(type="NodePort", ports=[{"name": "a", "port": 80, "nodePort": 30080},
                                             {"name": "b", "port": 81, "nodePort": 30080}])) == [
        "spec.ports[1].nodePort: Duplicate value: 30080"]


def test_external_name():
    assert errors(svc(type="ExternalName", selector=None)) == ["spec.externalName: Required value"]
    assert errors(svc(type="ExternalName", externalName="Bad_Name")) == [
        f'spec.externalName: Invalid value: "Bad_Name": {DNS1123_SUBDOMAIN}']
    assert errors(svc(type="ExternalName", externalName="x.example.com.", clusterIP="10.0.0.1")) == [
        "spec.clusterIPs: Forbidden: may not be set for ExternalName services"]


def test_session_affinity():
    assert errors(svc(sessionAffinity="Sticky")) == [
        'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']
    assert errors(svc(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 90000}})) == [
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400"]


def test_traffic_policies_and_external_ips():
    assert errors(svc(externalTrafficPolicy="Local")) == [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']
    assert errors(svc(type="NodePort", externalTrafficPolicy="Nearest")) == [
        'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"']
    assert errors(svc(internalTrafficPolicy="Near")) == [
        'spec.internalTrafficPolicy: Unsupported value: "Near": supported values: "Cluster", "Local"']
    assert errors(svc(externalIPs=["1.2.3.4", "nope", "127.0.0.1"])) == [
        'spec.externalIPs[1]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'spec.externalIPs[2]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']
    assert errors(svc(clusterIP="10.0.0.300")) == [
        'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']


def test_selector_labels():
    assert errors(svc(selector={"app": "we b"})) == [
        "spec.selector: Invalid value: \"we b\": a valid label must be an empty string or consist of alphanumeric "
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]


def test_service_update_keeps_cluster_ip():
    old = svc(clusterIP="10.96.0.10")
    assert errors(svc(clusterIP="10.96.0.10"), old) == []
    assert errors(svc(clusterIP="10.96.0.11"), old) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']
    # changing to or from ExternalName may drop or take a clusterIP
    assert errors(svc(type="ExternalName", externalName="a.b", selector=None), old) == []
    assert [str(e) for e in validate_update(_defaulted(svc(clusterIP="10.96.0.11")), _defaulted(old))] == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']


def test_metadata_labels_annotations_and_namespace():
    obj = svc()
    obj["metadata"]["labels"] = {"bad key!": "v", "ok": "x" * 64}
    obj["metadata"]["annotations"] = {"big": "x" * (256 * 1024)}
    obj["metadata"]["namespace"] = "Dev"
    assert errors(obj) == [
        f'metadata.namespace: Invalid value: "Dev": {DNS1123_LABEL}',
        "metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
        "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        f'metadata.labels: Invalid value: "{"x" * 64}": must be no more than 63 characters',
        "metadata.annotations: Too long: may not be more than 262144 bytes",
    ]


def test_name_update_is_immutable():
    new = svc()
    new["metadata"]["name"] = "other"
    assert errors(new, svc()) == ['metadata.name: Invalid value: "other": field is immutable']


# --------------------------------------------------------------------- Pod


def test_pod_containers():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": {}}
    assert errors(pod) == ["spec.containers: Required value"]
    pod["spec"]["containers"] = [
        {"name": "Web", "image": "", "ports": [{"containerPort": 70000, "name": "http_1"}],
         "env": [{"name": ""}, {"name": "A=B"}],
         "readinessProbe": {"httpGet": {"port": 0}},
         "livenessProbe": {"tcpSocket": {"port": 80}, "successThreshold": 2},
         "startupProbe": {}},
        {"name": "Web", "image": "nginx", "imagePullPolicy": "Sometimes", "volumeMounts": [{"name": "v", "mountPath": "/x"}]}]
    assert errors(pod) == [
        f'spec.containers[0].name: Invalid value: "Web": {DNS1123_LABEL}',
        "spec.containers[0].image: Required value",
        'spec.containers[0].ports[0].name: Invalid value: "http_1": must contain only alpha-numeric characters '
        "(a-z, 0-9), and hyphens (-)",
        f"spec.containers[0].ports[0].containerPort: Invalid value: 70000: {RANGE}",
        "spec.containers[0].env[0].name: Required value",
        'spec.containers[0].env[0].name: Invalid value: "": environment variable name must be non-empty',
        'spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only '
        "of printable ASCII characters other than '='",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        f"spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: {RANGE}",
        "spec.containers[0].startupProbe: Required value: must specify a handler type",
        f'spec.containers[1].name: Invalid value: "Web": {DNS1123_LABEL}',
        'spec.containers[1].volumeMounts[0].name: Not found: "v"',
        'spec.containers[1].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"IfNotPresent", "Never"',
        'spec.containers[1].name: Duplicate value: "Web"',
    ]


def test_pod_spec_fields():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
           "spec": {"containers": [{"name": "a", "image": "b", "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "2"}}}],
                    "restartPolicy": "Sometimes", "dnsPolicy": "Google", "hostname": "Host", "nodeName": "node_1"}}
    assert errors(pod) == [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
        '"Default", "None"',
        f'spec.nodeName: Invalid value: "node_1": {DNS1123_SUBDOMAIN}',
        f'spec.hostname: Invalid value: "Host": {DNS1123_LABEL}',
    ]


def test_pod_update_allows_only_image_changes():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
           "spec": {"containers": [{"name": "a", "image": "nginx:1"}]}}
    new = copy.deepcopy(pod)
    new["spec"]["containers"][0]["image"] = "nginx:2"
    new["spec"]["nodeName"] = "node-1"  # binding
    assert errors(new, pod) == []
    new["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    assert errors(new, pod)[0].startswith("spec: Forbidden: pod updates may not change fields other than "
                                          "`spec.containers[*].image`")


# --------------------------------------------------------------------- Deployment, ReplicaSet, RC


def test_deployment_valid():
    assert errors(dep()) == []


def test_deployment_selector_required_and_must_match():
    obj = dep()
    del obj["spec"]["selector"]
    assert errors(obj) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        "template `labels`",
    ]
    assert errors(dep(selector={"matchLabels": {"app": "api"}})) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match '
        "template `labels`"]
    assert errors(dep(selector={})) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]


def test_deployment_numbers_and_strategy():
    assert errors(dep(replicas=-1, minReadySeconds=-2, revisionHistoryLimit=-3)) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0",
        "spec.revisionHistoryLimit: Invalid value: -3: must be greater than or equal to 0",
    ]
    assert errors(dep(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}})) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: '
        "may not be 0 when `maxSurge` is 0"]
    assert errors(dep(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "50"}})) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"50"}: '
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used "
        "for validation is '[0-9]+%')"]
    assert errors(dep(strategy={"type": "Recreate", "rollingUpdate": {}})) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]
    assert errors(dep(progressDeadlineSeconds=5, minReadySeconds=10)) == [
        "spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds"]
    obj = dep()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert errors(obj) == ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']


def test_deployment_selector_is_immutable():
    new = dep(selector={"matchLabels": {"app": "web", "tier": "x"}})
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    assert errors(new, dep()) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]
    assert errors(dep(replicas=5), dep()) == []


def test_replica_set_and_replication_controller():
    rs = dep()
    rs["kind"] = "ReplicaSet"
    del rs["spec"]["selector"]
    assert errors(rs)[0] == "spec.selector: Required value"
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc", "namespace": "default"},
          "spec": {"selector": {"app": "x"}, "template": {"metadata": {"labels": {"app": "y"}},
                                                        "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    assert errors(rc) == ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: '
                          "`selector` does not match template `labels`"]
    rc["spec"]["selector"] = {}
    rc["spec"]["template"]["metadata"]["labels"] = {}
    assert errors(rc) == ["spec.selector: Required value"]


def test_match_expressions():
    obj = dep(selector={"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "In"}, {"key": "x", "operator": "Exists", "values": ["a"]},
        {"key": "y", "operator": "Near"}]})
    assert errors(obj)[:3] == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or "
        "'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]


# --------------------------------------------------------------------- Ingress


def ingress(**spec) -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "cyberchef", "namespace": "default"}, "spec": spec}


def rule(host="cyberchef.example.com", **path) -> dict:
    p = {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "cyberchef", "port": {"number": 80}}}}
    p.update(path)
    return {"host": host, "http": {"paths": [p]}}


def test_ingress_valid_and_converted_seed():
    assert errors(ingress(rules=[rule()])) == []
    assert errors(ingress(rules=[rule(pathType="ImplementationSpecific")],
                          tls=[{"hosts": ["cyberchef.example.com"], "secretName": "tls-secret"}])) == []
    assert errors(ingress(defaultBackend={"service": {"name": "x", "port": {"name": "http"}}})) == []


def test_ingress_errors():
    assert errors(ingress()) == [
        "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]
    assert errors(ingress(rules=[rule(pathType=None)])) == [
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]
    assert errors(ingress(rules=[rule(pathType="Regex")])) == [
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", '
        '"ImplementationSpecific", "Prefix"']
    assert errors(ingress(rules=[rule(path="api")])) == [
        'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']
    assert errors(ingress(rules=[rule(host="10.0.0.1")]))[0] == (
        'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address')
    assert errors(ingress(rules=[rule(host="*.Example.com")])) == [
        "spec.rules[0].host: Invalid value: \"*.Example.com\": a wildcard DNS-1123 subdomain must start with '*.', "
        "followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and "
        "end with an alphanumeric character (e.g. '*.example.com', regex used for validation is "
        "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
    assert errors(ingress(rules=[rule(host="*.example.com")])) == []
    assert errors(ingress(rules=[rule(backend={"service": {"name": "Svc"}})])) == [
        f'spec.rules[0].http.paths[0].backend.service.name: Invalid value: "Svc": {DNS1035}',
        "spec.rules[0].http.paths[0].backend: Required value: port name or number is required"]
    assert errors(ingress(rules=[rule(backend={})])) == [
        'spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required']
    assert errors(ingress(rules=[rule()], tls=[{"secretName": "Bad"}])) == [
        f'spec.tls[0].secretName: Invalid value: "Bad": {DNS1123_SUBDOMAIN}']


# --------------------------------------------------------------------- Endpoints, Secret, ConfigMap, Namespace


def test_endpoints_from_the_seed_and_errors():
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "cyberchef-service", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "11.11.11.11"}, {"ip": "22.22.22.22"}], "ports": [{"port": 80}]}]}
    assert errors(ep) == []
    ep["subsets"] = [{"addresses": [{"ip": "300.1.1.1"}], "ports": [{"port": 0}]}, {"ports": [{"port": 80}]}]
    assert errors(ep) == [
        'subsets[0].addresses[0].ip: Invalid value: "300.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].addresses[0].ip: Invalid value: "300.1.1.1": must be a valid IP address',
        f"subsets[0].ports[0].port: Invalid value: 0: {RANGE}",
        "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`",
    ]


def test_secret_types():
    sec = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls", "namespace": "default"},
           "type": "kubernetes.io/tls", "data": {}}
    assert errors(sec) == ["data[tls.crt]: Required value", "data[tls.key]: Required value"]
    sec["stringData"] = {"tls.crt": "c", "tls.key": "k"}
    assert errors(sec) == []
    sec = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default"}, "data": {"a b": ""}}
    assert errors(sec)[0].startswith('data[a b]: Invalid value: "a b": a valid config key must consist of')


def test_config_map_keys_and_immutability():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"},
          "data": {"..x": "1", "ok.key": "2"}, "binaryData": {"ok.key": "Mg=="}}
    assert errors(cm) == ['data[..x]: Invalid value: "..x": must not start with \'..\'',
                          'data[ok.key]: Invalid value: "ok.key": duplicate of key present in binaryData']
    old = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"},
           "data": {"a": "1"}, "immutable": True}
    new = copy.deepcopy(old)
    new["data"]["a"] = "2"
    del new["immutable"]
    assert errors(new, old) == ["immutable: Forbidden: field is immutable when `immutable` is set",
                                "data: Forbidden: field is immutable when `immutable` is set"]


def test_namespace_name_is_a_dns1123_label():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "my.ns"}}
    assert errors(ns) == ['metadata.name: Invalid value: "my.ns": must not contain dots']
    ns["metadata"]["namespace"] = "default"
    assert errors(ns)[-1] == "metadata.namespace: Forbidden: not allowed on this type"


def test_generate_name():
    obj = dep()
    obj["metadata"] = {"generateName": "web-", "namespace": "default"}
    assert errors(obj) == ["metadata.name: Required value: name or generateName is required"]
    obj["metadata"]["generateName"] = "Web-"
    assert errors(obj)[0] == f'metadata.generateName: Invalid value: "Web-": {DNS1123_SUBDOMAIN}'


def test_malformed_objects_never_raise():
    for obj in [{"kind": "Service", "spec": [], "metadata": "x"}, {"kind": "Pod", "spec": {"containers": "x"}},
                {"kind": "Deployment", "spec": {"strategy": "x", "template": [], "selector": 5}},
                {"kind": "Ingress", "spec": {"rules": [1, {"http": {"paths": [None, {"pathType": 3}]}}]}},
                {"kind": "Service", "spec": {"ports": [{"port": "80", "targetPort": 1.5}], "clusterIPs": ["x", "y", "z"]}},
                {"kind": "Endpoints", "subsets": "x"}, {"kind": "Secret", "data": []}, {"kind": "Unknown"}, {}, []]:
        validate(obj)
        validate(obj, obj)
