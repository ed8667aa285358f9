"""schema: strict decoding errors as kube-apiserver words them, with FILE:LINE and hints."""

from __future__ import annotations

import pytest

from minikctl.api import schema
from minikctl.api.conversion import convert
from minikctl.api.errors import BadRequest
from minikctl.api.manifest import load_documents


def doc(text: str, source: str = "svc.yaml"):
    [d] = load_documents(text.encode(), source)
    return d


def rendered(text: str, source: str = "svc.yaml") -> str:
    e = schema.strict_error(doc(text, source))
    assert isinstance(e, BadRequest)
    return e.render()


SEED_LOADBALANCER = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef
spec:
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: 8000
    selector:
      app: cyberchef
"""

SEED_HEADLESS = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef-headless
spec:
  clusterIP: None
  ports:
  - port: 80
    targetPort: 8000
selector:
  app: cyberchef
"""

SEED_NODEPORT = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef-nodeport
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 8000
    nodePort: 30123
  selector:
  app: cyberchef
"""

SEED_INGRESS = """apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: cyberchef
spec:
  rules:
  - host: cyberchef.example.com
    http:
      paths:
      - path: /
        backend:
        serviceName: cyberchef-nodeport
        servicePort: 80
"""


def test_seed_selector_under_a_port():
    assert schema.check(doc(SEED_LOADBALANCER)) == ['unknown field "spec.ports[0].selector"']
    assert rendered(SEED_LOADBALANCER, "lb.yaml") == (
        'Error from server (BadRequest): error when creating "lb.yaml": Service in version "v1" cannot be handled as '
        'a Service: strict decoding error: unknown field "spec.ports[0].selector"\n'
        "hint: selector belongs directly under spec, not under a port (lb.yaml:10)")


def test_seed_selector_outside_spec():
    assert rendered(SEED_HEADLESS) == (
        'Error from server (BadRequest): error when creating "svc.yaml": Service in version "v1" cannot be handled as '
        'a Service: strict decoding error: unknown field "selector"\n'
        "hint: indent selector under spec (svc.yaml:10)")


def test_seed_selector_left_empty():
    assert rendered(SEED_NODEPORT) == (
        'Error from server (BadRequest): error when creating "svc.yaml": Service in version "v1" cannot be handled as '
        'a Service: strict decoding error: unknown field "spec.app"\n'
        "hint: indent app under selector (svc.yaml:12)")


def test_seed_backend_badly_indented_as_written():
    assert rendered(SEED_INGRESS, "ing.yaml") == (
        'Error from server (BadRequest): error when creating "ing.yaml": Ingress in version "v1beta1" cannot be handled '
        'as a Ingress: strict decoding error: unknown field "spec.rules[0].http.paths[0].serviceName", unknown field '
        '"spec.rules[0].http.paths[0].servicePort"\n'
        "hint: indent serviceName and servicePort under backend (ing.yaml:12, 13)")


def test_seed_backend_badly_indented_after_conversion():
    d = doc(SEED_INGRESS, "ing.yaml")
    d.obj, _ = convert(d.obj)
    assert rendered_doc(d) == (
        'Error from server (BadRequest): error when creating "ing.yaml": Ingress in version "v1" cannot be handled '
        'as a Ingress: strict decoding error: unknown field "spec.rules[0].http.paths[0].serviceName", unknown field '
        '"spec.rules[0].http.paths[0].servicePort"\n'
        "hint: indent serviceName and servicePort under backend (ing.yaml:12, 13)")


def rendered_doc(d) -> str:
    return schema.strict_error(d).render()


def test_beta_backend_fields_in_a_v1_ingress():
    text = SEED_INGRESS.replace("extensions/v1beta1", "networking.k8s.io/v1").replace(
        "        backend:\n        serviceName: cyberchef-nodeport\n        servicePort: 80\n",
        "        pathType: Prefix\n        backend:\n          serviceName: cyberchef-nodeport\n          servicePort: 80\n")
    assert rendered(text) == (
        'Error from server (BadRequest): error when creating "svc.yaml": Ingress in version "v1" cannot be handled '
        'as a Ingress: strict decoding error: unknown field "spec.rules[0].http.paths[0].backend.serviceName", unknown '
        'field "spec.rules[0].http.paths[0].backend.servicePort"\n'
        "hint: networking.k8s.io/v1 writes a backend as service: {name: NAME, port: {number: PORT}} (svc.yaml:13, 14)")


def test_valid_seed_objects_pass():
    multi = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef
spec:
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: https
    port: 443
    targetPort: 8443
  selector:
    app: cyberchef
"""
    endpoints = """apiVersion: v1
kind: Endpoints
metadata:
  name: cyberchef-service
subsets:
  - addresses:
    - ip: 11.11.11.11
    - ip: 22.22.22.22
    ports:
    - port: 80
"""
    for text in (multi, endpoints, SEED_INGRESS.replace("        backend:\n        s", "        backend:\n          s")
                 .replace("\n        servicePort", "\n          servicePort")):
        assert schema.check(doc(text)) == []
        assert schema.strict_error(doc(text)) is None


def test_unknown_fields_sorted_as_the_json_kubectl_sends():
    text = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicass: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        imagee: x
  containers: []
"""
    d = doc(text, "STDIN")
    assert schema.check(d) == ['unknown field "spec.containers"', 'unknown field "spec.replicass"',
                               'unknown field "spec.template.spec.containers[0].imagee"']
    assert rendered(text, "dep.yaml").splitlines() == [
        'Error from server (BadRequest): error when creating "dep.yaml": Deployment in version "v1" cannot be handled '
        'as a Deployment: strict decoding error: unknown field "spec.containers", unknown field "spec.replicass", '
        'unknown field "spec.template.spec.containers[0].imagee"',
        "hint: indent containers under template.spec (dep.yaml:17, 6, 16)",
    ]


def test_type_errors_in_kube_apiserver_words():
    text = SEED_LOADBALANCER.replace("  - port: 80\n", '  - port: "80"\n').replace(
        "    selector:\n      app: cyberchef\n", "")
    assert schema.check(doc(text)) == [
        "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"]
    assert rendered(text) == (
        'Error from server (BadRequest): error when creating "svc.yaml": Service in version "v1" cannot be handled as '
        "a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"
        "\nhint: write spec.ports[0].port as a number, without quotes: 80 (svc.yaml:8)")


@pytest.mark.parametrize("yaml_value, message", [
    ("{a: 1}", "json: cannot unmarshal object into Go struct field ServicePort.spec.ports.port of type int32"),
    ("1.5", "json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.port of type int32"),
    ("3000000000", "json: cannot unmarshal number 3000000000 into Go struct field ServicePort.spec.ports.port of type int32"),
    ("true", "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.port of type int32"),
])
def test_type_error_variants(yaml_value, message):
    text = f"apiVersion: v1\nkind: Service\nmetadata: {{name: x}}\nspec:\n  ports:\n  - port: {yaml_value}\n"
    assert schema.check(doc(text)) == [message]


def test_type_errors_of_other_shapes():
    def check(obj):
        return schema.check_object(obj)

    base = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    assert check({**base, "data": {"a": {"b": 1}}}) == [
        "json: cannot unmarshal object into Go struct field ConfigMap.data of type string"]
    assert check({**base, "metadata": []}) == [
        "json: cannot unmarshal array into Go struct field ConfigMap.metadata of type v1.ObjectMeta"]
    assert check({**base, "metadata": {"name": "c", "labels": {"a": 1}}}) == [
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"]
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}
    assert check({**svc, "spec": {"ports": {"port": 80}}}) == [
        "json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort"]
    assert check({**svc, "spec": {"ports": [{"port": 80, "targetPort": True}]}}) == [
        "json: cannot unmarshal bool into Go value of type int32"]
    assert check({**svc, "spec": {"type": 5}}) == [
        "json: cannot unmarshal number into Go struct field ServiceSpec.spec.type of type v1.ServiceType"]
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"template": {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": "80"}]}]}}}}
    assert check(dep) == ["json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec."
                          "containers.ports.containerPort of type int32"]
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "lots"}}}]}}
    assert check(pod) == ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "not base64!"}}
    assert check(secret) == ["illegal base64 data at input byte 3"]


def test_type_error_wins_over_unknown_fields():
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "bogus": 1, "spec": {"ports": [{"port": "x"}]}}
    assert schema.check_object(obj) == [
        "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"]


def test_open_fields_accept_any_mapping_and_status_is_free():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "managedFields": [{"x": 1}]},
           "spec": {"securityContext": {"runAsUser": 1, "anything": {"goes": True}}, "affinity": {"x": 1},
                    "tolerations": [{"key": "k"}], "volumes": [{"name": "v", "emptyDir": {}}],
                    "containers": [{"name": "c", "image": "nginx", "readinessProbe": {
                        "exec": {"command": ["ls"]}, "httpGet": {"port": "http", "path": "/"}, "tcpSocket": {"port": 80},
                        "grpc": {"port": 9000}, "initialDelaySeconds": 1, "periodSeconds": 2}}]},
           "status": {"phase": "Running", "whatever": [1, 2]}}
    assert schema.check_object(pod) == []


def test_strict_error_for_objects_without_a_file():
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"portz": []}}
    e = schema.strict_error_for(obj, verb="patching")
    assert e.render() == ('Error from server (BadRequest): Service in version "v1" cannot be handled as a Service: '
                          'strict decoding error: unknown field "spec.portz"')
    e = schema.strict_error_for(obj, source="svc.yaml", verb="replacing")
    assert e.render().startswith('Error from server (BadRequest): error when replacing "svc.yaml": Service')
    assert schema.strict_error_for({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}) is None


def test_raise_for():
    with pytest.raises(schema.StrictError) as e:
        schema.raise_for(doc(SEED_LOADBALANCER))
    assert e.value.code == 400 and e.value.reason == "BadRequest"
    schema.raise_for(doc(SEED_HEADLESS.replace("selector:\n  app", "  selector:\n    app")))


def test_every_registered_kind_has_a_schema():
    from minikctl.api.kinds import KINDS

    assert {k.kind for k in KINDS} <= set(schema.SCHEMAS)


def test_odd_values_never_raise():
    for obj in [{"kind": "Service"}, {"kind": "Service", "spec": None}, {"kind": "Pod", "spec": {"containers": [None, 1]}},
                {"kind": "Ingress", "spec": {"rules": "x"}}, {"kind": "Nope"}, {}]:
        schema.check_object(obj)
