"""Validation messages as kube-apiserver 1.32 and kubectl 1.32 word them.

- apiserver: k8s.io/apimachinery/pkg/util/validation/validation.go (RegexError's quirk: every example
  is written "'x', " and the next prefixed with " or ", so two read "'my-name',  or 'abc-123', ").
- kubectl: ConfigMap/Secret keys (create_configmap.go addKeyFromLiteralToConfigMap, create_secret.go
  addKeyFromLiteralToSecret), `version -o`, `--validate` (cmdutil.GetValidationDirective): texts
  pasted from the kubectl 1.32 binary (offline, --dry-run=client).
- --validate=warn|ignore as kube-apiserver's fieldValidation Warn/Ignore: unknown fields dropped,
  Warn with one `Warning: unknown field "..."` line each (the apiserver's warning headers).
"""

from __future__ import annotations

import json

import pytest

from helpers import store_snapshot

_DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
            "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
            "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
              "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
_LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
                "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
                "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
_QNAME = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
          "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
_CONFIG_KEY = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
               "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")


def test_regex_error_quirk():
    from minikctl.api.validation.names import regex_error

    assert regex_error("m", "f") == "m (regex used for validation is 'f')"
    assert regex_error("m", "f", "a") == "m (e.g. 'a', regex used for validation is 'f')"
    assert regex_error("m", "f", "a", "b") == "m (e.g. 'a',  or 'b', regex used for validation is 'f')"


def test_service_name_dns1035_two_examples(cluster, state):
    before = store_snapshot(state)
    r = cluster("create service clusterip Bad --tcp=80")
    assert (r.code, r.out) == (1, "")
    assert r.err == f'The Service "Bad" is invalid: metadata.name: Invalid value: "Bad": {_DNS1035}\n'
    assert store_snapshot(state) == before


def test_deployment_name_subdomain_one_example(cluster):
    r = cluster("create deployment Bad_Name --image=nginx")
    assert r.err == ('error: failed to create deployment: Deployment.apps "Bad_Name" is invalid: metadata.name: '
                     f'Invalid value: "Bad_Name": {_SUBDOMAIN}\n')
    r = cluster(["apply", "-f", "-"], input='{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"Bad_Name"}}')
    assert f'metadata.name: Invalid value: "Bad_Name": {_SUBDOMAIN}' in r.err


def test_label_key_and_value(cluster):
    r = cluster(["label", "ns", "default", "a b=c"])
    assert r.code == 1
    assert r.err == f'The Namespace "default" is invalid: metadata.labels: Invalid value: "a b": {_QNAME}\n'
    r = cluster(["label", "ns", "default", "a=-x"])
    assert r.code == 1
    assert _LABEL_VALUE in r.err


@pytest.mark.parametrize("args,err", [
    (["create", "configmap", "x", "--from-literal=a b=1"],
     f'error: "a b" is not a valid key name for a ConfigMap: {_CONFIG_KEY}\n'),
    (["create", "configmap", "x", "--from-literal=a=1", "--from-literal=a=2"],
     'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "x"\n'),
    (["create", "configmap", "x", "--from-literal=..a=1"],
     'error: "..a" is not a valid key name for a ConfigMap: must not start with \'..\'\n'),
    (["create", "configmap", "x", "--from-literal=..a b=1"],
     f'error: "..a b" is not a valid key name for a ConfigMap: {_CONFIG_KEY},must not start with \'..\'\n'),
    (["create", "secret", "generic", "x", "--from-literal=a b=1"],
     f'error: "a b" is not valid key name for a Secret {_CONFIG_KEY}\n'),
    (["create", "secret", "generic", "x", "--from-literal=..a b=1"],
     f'error: "..a b" is not valid key name for a Secret {_CONFIG_KEY};must not start with \'..\'\n'),
    (["create", "secret", "generic", "x", "--from-literal=a=1", "--from-literal=a=2"],
     "error: cannot add key a, another key by that name already exists\n"),
    (["create", "configmap", "x", "--from-literal=a"], "error: invalid literal source a, expected key=value\n"),
    (["version", "-o", "bogus"], "error: --output must be 'yaml' or 'json'\n"),
    (["version", "--client", "-o", "bogus"], "error: --output must be 'yaml' or 'json'\n"),
])
def test_kubectl_client_side_refusals(cluster, state, args, err):
    for dry in ([], ["--dry-run=client"]) if args[0] == "create" else ([],):
        before = store_snapshot(state)
        r = cluster(args + dry)
        assert (r.code, r.out, r.err) == (1, "", err)
        assert store_snapshot(state) == before


def test_configmap_duplicate_between_file_and_literal(cluster, tmp_path):
    f = tmp_path / "a"
    f.write_text("hi\n")
    r = cluster(["create", "configmap", "x", f"--from-file=a={f}", "--from-literal=a=1"])
    assert r.err == 'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "x"\n'
    r = cluster(["create", "secret", "generic", "x", f"--from-file=a={f}", "--from-literal=a=1"])
    assert r.err == "error: cannot add key a, another key by that name already exists\n"


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vx
spec:
  foo: 1
  selector:
    matchLabels: {app: vx}
  template:
    metadata:
      labels: {app: vx}
    spec:
      containers:
      - name: c
        image: nginx
        bar: 2
"""
_STRICT = ('Error from server (BadRequest): error when creating "x.yaml": Deployment in version "v1" cannot be handled '
           'as a Deployment: strict decoding error: unknown field "spec.foo", unknown field '
           '"spec.template.spec.containers[0].bar"\n')


@pytest.fixture
def xyaml(tmp_path, monkeypatch):
    (tmp_path / "x.yaml").write_text(DEPLOY)
    monkeypatch.chdir(tmp_path)
    return "x.yaml"


@pytest.mark.parametrize("flag", [None, "--validate=strict", "--validate=true", "--validate=T", "--validate=1",
                                  "--validate"])
def test_validate_strict_fails(cluster, state, xyaml, flag):
    before = store_snapshot(state)
    r = cluster(["create", "-f", xyaml] + ([flag] if flag else []))
    assert (r.code, r.out, r.err) == (1, "", _STRICT)
    assert store_snapshot(state) == before


def test_validate_warn_warns_and_drops_unknown_fields(cluster, xyaml):
    r = cluster(["apply", "-f", xyaml, "--validate=warn"])
    assert (r.code, r.out) == (0, "deployment.apps/vx created\n")
    assert r.err == ('Warning: unknown field "spec.foo"\n'
                     'Warning: unknown field "spec.template.spec.containers[0].bar"\n')
    d = json.loads(cluster("get deploy vx -o json").out)
    assert "foo" not in d["spec"] and "bar" not in d["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.parametrize("flag", ["--validate=ignore", "--validate=false", "--validate=F"])
def test_validate_ignore_drops_silently(cluster, xyaml, flag):
    r = cluster(["create", "-f", xyaml, flag])
    assert (r.code, r.out, r.err) == (0, "deployment.apps/vx created\n", "")
    d = json.loads(cluster("get deploy vx -o json").out)
    assert "foo" not in d["spec"]


def test_validate_ignore_still_refuses_a_wrong_type(cluster, xyaml, tmp_path):
    (tmp_path / "x.yaml").write_text(DEPLOY.replace("foo: 1", "replicas: three"))
    r = cluster(["create", "-f", xyaml, "--validate=ignore"])
    assert r.code == 1
    assert r.err.startswith('Error from server (BadRequest): error when creating "x.yaml": Deployment in version '
                            '"v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct '
                            "field DeploymentSpec.spec.replicas of type int32")


@pytest.mark.parametrize("value", ["bogus", "STRICT", ""])
def test_validate_bad_value(cluster, state, xyaml, value):
    # kubectl 1.32: error: invalid - validate option "bogus"; must be one of: strict (or true), warn, ignore (or false)
    before = store_snapshot(state)
    for args in (["create", "-f", xyaml], ["apply", "-f", xyaml],
                 ["create", "deployment", "d", "--image=nginx", "--dry-run=client"]):
        r = cluster(args + [f"--validate={value}"])
        assert (r.code, r.out, r.err) == (1, "", f'error: invalid - validate option "{value}"; must be one of: '
                                                 "strict (or true), warn, ignore (or false)\n")
    assert store_snapshot(state) == before
