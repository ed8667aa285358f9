"""Bad input: one clear line, exit 1, no traceback, and the store exactly as it was."""

from __future__ import annotations

import os

import pytest

from tests.conftest import write
from tests.helpers import store_snapshot

CASES = {
    "broken_yaml": (b"apiVersion: v1\nkind: Service\nmetadata: {name: x\n", "STDIN:3: error converting YAML to JSON"),
    "binary": (bytes(range(256)) * 4, "binary data is not a manifest"),
    "invalid_utf8": (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n", "STDIN"),
    "deep_nesting": (b"a: " + b"[" * 10000, "exceeded max depth"),
    "alias_bomb": (b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                   b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                   b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                   b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n", "aliasing"),
    "no_kind": (b"apiVersion: v1\nmetadata:\n  name: x\n", "kind not set"),
    "no_api_version": (b"kind: Service\nmetadata:\n  name: x\n", "apiVersion not set"),
    "unknown_kind": (b"apiVersion: v1\nkind: Widget\nmetadata:\n  name: x\n", 'no matches for kind "Widget" in version "v1"'),
    "scalar_document": (b"just a string\n", "STDIN"),
    "wrong_type": (b"apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: eighty\n",
                   "cannot unmarshal string into Go struct field"),
    "json_garbage": (b'{"apiVersion": "v1", "kind": ', "STDIN"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_manifest_is_one_clean_line(cluster, state, name):
    data, needle = CASES[name]
    before = store_snapshot(state)
    r = cluster("apply -f -", input=data)
    assert r.code == 1, r
    assert r.out == ""
    assert needle in r.err, r.err
    assert r.err.count("\n") == 1, r.err
    assert "Traceback" not in r.err
    assert store_snapshot(state) == before


def test_huge_file_is_refused_fast(cluster, state, tmp_path):
    p = tmp_path / "huge.yaml"
    with open(p, "wb") as f:
        f.write(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  k: ")
        f.write(b"x" * (50 * 1024 * 1024))
    before = store_snapshot(state)
    r = cluster(["apply", "-f", str(p)])
    assert r.code == 1 and "larger than" in r.err and r.err.count("\n") == 1
    assert store_snapshot(state) == before


def test_missing_file_and_url(cluster):
    r = cluster("apply -f /nonexistent/x.yaml")
    assert (r.code, r.err) == (1, 'error: the path "/nonexistent/x.yaml" does not exist\n')
    r = cluster("apply -f https://example.com/x.yaml")
    assert r.code == 1 and "does not fetch URLs" in r.err


def test_invalid_name_uses_apiserver_wording(cluster):
    r = cluster("create service clusterip Web_1 --tcp=80")
    assert r.code == 1
    assert r.err.startswith('The Service "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a DNS-1035 label '
                            "must consist of lower case alphanumeric characters or '-', start with an alphabetic "
                            "character, and end with an alphanumeric character")


def test_unknown_command_and_flag_hints(cluster):
    r = cluster("gte svc")
    assert (r.code, r.err) == (1, 'error: unknown command "gte" for "minikctl"\n\nDid you mean this?\n\tget\n')
    r = cluster("get svc --no-header")
    assert r.code == 1 and r.err == ("error: unknown flag: --no-header (did you mean --no-headers?)\n"
                                     "See 'minikctl get --help' for usage.\n")
    r = cluster("get svc -Z")
    assert r.code == 1 and r.err == "error: unknown shorthand flag: 'Z' in -Z\nSee 'minikctl get --help' for usage.\n"


def test_internal_errors_never_show_tracebacks(cluster, tmp_path):
    # A directory of garbage files: every one is refused cleanly.
    d = tmp_path / "junk"
    d.mkdir()
    (d / "a.yaml").write_bytes(os.urandom(2048))
    r = cluster(["apply", "-f", str(d)])
    assert r.code == 1 and "Traceback" not in r.err and r.err.count("\n") == 1


def test_beta_ingress_is_converted_with_a_warning(cluster, tmp_path):
    seed = """apiVersion: extensions/v1beta1
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
    f = write(tmp_path, "ing.yaml", seed)
    r = cluster(f"apply -f {f}")
    assert r.code == 0, r
    assert r.out == "ingress.networking.k8s.io/cyberchef created\n"
    assert r.err.startswith("Warning: extensions/v1beta1 Ingress is deprecated")
    import json

    ing = json.loads(cluster("get ing cyberchef -o json").out)
    assert ing["apiVersion"] == "networking.k8s.io/v1"
    path = ing["spec"]["rules"][0]["http"]["paths"][0]
    assert path["backend"] == {"service": {"name": "cyberchef-nodeport", "port": {"number": 80}}}
    assert path["pathType"] == "ImplementationSpecific"


def test_seed_badly_indented_ingress_backend_is_explained(cluster, tmp_path):
    seed = """apiVersion: extensions/v1beta1
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
    f = write(tmp_path, "ing.yaml", seed)
    r = cluster(f"apply -f {f}")
    assert r.code == 1
    assert f"{f}:12" in r.err and "serviceName" in r.err
