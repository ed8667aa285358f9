"""manifest.load_documents: YAML/JSON/List input, line numbers, kubectl's messages, guard rails."""

from __future__ import annotations

import json

import pytest

from minikctl.api.conversion import convert
from minikctl.api.manifest import ManifestError, iter_documents, load_documents

VALIDATE_TAIL = "; if you choose to ignore these errors, turn validation off with --validate=false"


def err(data, source="svc.yaml") -> str:
    with pytest.raises(ManifestError) as e:
        load_documents(data.encode() if isinstance(data, str) else data, source)
    return e.value.render()


def timed_err(data, source="big.yaml") -> str:
    # the guard refuses before reading everything; how fast it does is a figure for tests/perf,
    # not an assertion here (CI machines are shared and loaded)
    with pytest.raises(ManifestError) as e:
        load_documents(data, source)
    out = e.value.render()
    assert "\n" not in out and "Traceback" not in out
    return out


# --------------------------------------------------------------------- documents

SEED_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: cyberchef
spec:
  ports:
  - port: 80 # Host Port
    targetPort: 8000 # Container Port
  selector:
    app: cyberchef
"""


def test_single_document_and_line_of_every_key():
    [d] = load_documents(SEED_SERVICE.encode(), "svc.yaml")
    assert d.obj == {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "cyberchef"},
                     "spec": {"ports": [{"port": 80, "targetPort": 8000}], "selector": {"app": "cyberchef"}}}
    assert (d.source, d.line, d.index) == ("svc.yaml", 1, 0)
    assert d.line_of("metadata.name") == 4
    assert d.line_of("spec.ports[0]") == 7
    assert d.line_of("spec.ports[0].targetPort") == 8
    assert d.line_of("spec.selector.app") == 10
    assert d.line_of("metadata.labels[app.kubernetes.io/name]") == 3  # nearest ancestor
    assert d.line_of("spec.ports[5].port") == 6


def test_multi_document_lines_are_file_lines_and_empty_documents_skipped():
    data = "---\n# only a comment\n---\n" + SEED_SERVICE + "---\n\n---\n" + SEED_SERVICE.replace("cyberchef", "two")
    docs = load_documents(data.encode(), "multi.yaml")
    assert [d.obj["metadata"]["name"] for d in docs] == ["cyberchef", "two"]
    assert [d.index for d in docs] == [0, 1]
    assert docs[0].line == 4
    assert docs[1].line == 17
    assert docs[1].line_of("spec.ports[0].targetPort") == 24


def test_stdin_is_named_STDIN():
    [d] = load_documents(SEED_SERVICE.encode(), "-")
    assert d.source == "STDIN"
    assert err("kind: Service\n", "-") == (
        'error: STDIN:1: error validating "STDIN": error validating data: apiVersion not set' + VALIDATE_TAIL)


def test_json_documents_streamed_and_lines_computed_lazily():
    one = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}
    text = json.dumps(one, indent=2) + "\n" + json.dumps(dict(one, metadata={"name": "b"}), indent=2)
    docs = load_documents(text.encode(), "cm.json")
    assert [d.obj["metadata"]["name"] for d in docs] == ["a", "b"]
    assert docs[1].line == 11
    assert docs[0].line_of("data.k") == 8
    assert docs[1].line_of("metadata.name") == 15


def test_json_numbers_like_kubectl():
    [d] = load_documents(b'{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"ports":[{"port":80.0}]}}', "s.json")
    assert d.obj["spec"]["ports"][0]["port"] == 80 and isinstance(d.obj["spec"]["ports"][0]["port"], int)


def test_json_syntax_error_in_encoding_json_words():
    assert err(b'{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},}', "l.json") == (
        "error: l.json:1: json: offset 67: invalid character '}' looking for beginning of object key string")
    assert err(b'{"a": 1\n "b": 2}', "m.json") == (
        "error: m.json:2: json: offset 10: invalid character '\"' after object key:value pair")
    assert err(b'{"a": [1 2]}', "n.json") == "error: n.json:1: json: offset 10: invalid character '2' after array element"
    assert err(b'{"a": ', "o.json") == "error: o.json:1: json: offset 7: unexpected end of JSON input"


def test_list_and_typed_list_are_expanded():
    data = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
"""
    docs = load_documents(data.encode(), "list.yaml")
    assert [(d.obj["metadata"]["name"], d.line, d.index) for d in docs] == [("a", 4, 0), ("b", 8, 1)]
    assert docs[1].line_of("metadata.name") == 11
    typed = {"apiVersion": "v1", "kind": "ServiceList", "items": [{"metadata": {"name": "s"}, "spec": {}}]}
    [d] = load_documents(json.dumps(typed).encode(), "svcs.json")
    assert (d.obj["apiVersion"], d.obj["kind"]) == ("v1", "Service")


def test_list_item_without_apiversion():
    data = "apiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata: {name: a}\n"
    assert err(data, "i.yaml") == (
        'error: i.yaml:4: error validating "i.yaml": error validating data: apiVersion not set' + VALIDATE_TAIL)


def test_go_yaml_v2_scalars_as_kubectl_reads_them():
    # checked against `kubectl label --local -f cm.yaml a=b -o json` (kubectl 1.32); the key n is false
    data = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: y, b: 0x10, c: 1e3, d: 2020-01-01, "
            "e: 1:30, f: 0o17, g: 017, h: 1_000, i: .5, j: +12, k: 1e400, l: !!str 12, m: ~, n: on}\n")
    [d] = load_documents(data.encode(), "cm.yaml")
    assert d.obj["data"] == {"a": True, "b": 16, "c": 1000, "d": "2020-01-01", "e": "1:30", "f": 15, "g": 15,
                             "h": 1000, "i": 0.5, "j": 12, "k": "1e400", "l": "12", "m": None, "false": True}


def test_scalar_keys_become_strings_and_merge_keys():
    data = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  1: a\n  yes: b\n  base: &b {p: 1, q: 2}\n  m:\n    q: 9\n    <<: *b\n    p: 3\n"
    [d] = load_documents(data.encode(), "cm.yaml")
    assert d.obj["data"]["1"] == "a" and d.obj["data"]["true"] == "b"
    assert d.obj["data"]["m"] == {"q": 2, "p": 3}


def test_null_key_and_nan_are_refused():
    assert err("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ~: a\n", "cm.yaml") == (
        "error: cm.yaml:5: error converting YAML to JSON: unsupported map key of type: <nil>, key: <nil>")
    assert err("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: .nan\n", "cm.yaml") == (
        "error: cm.yaml:5: error converting YAML to JSON: json: unsupported value: NaN")


# --------------------------------------------------------------------- kubectl's own checks


def test_yaml_syntax_errors_name_file_and_line():
    assert err("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  foo: bar: baz\n") == (
        "error: svc.yaml:5: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context")
    assert err("apiVersion: v1\nkind: Service\nmetadata: {name: x\n") == (
        "error: svc.yaml:3: error converting YAML to JSON: yaml: line 3: did not find expected ',' or '}'")
    assert err("a:\n  b: 1\n c: 2\n") == (
        "error: svc.yaml:3: error converting YAML to JSON: yaml: line 3: did not find expected key")
    assert err("a: b\n\tc: d\n") == (
        "error: svc.yaml:2: error converting YAML to JSON: yaml: line 2: found a tab character that violates indentation")
    assert err('a: "abc\n') == "error: svc.yaml:1: error converting YAML to JSON: yaml: line 1: found unexpected end of stream"


def test_syntax_error_in_a_later_document_uses_the_file_line():
    data = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  foo: bar: baz\n"
    assert err(data) == (
        "error: svc.yaml:10: error converting YAML to JSON: yaml: line 10: mapping values are not allowed in this context")
    items = list(iter_documents(data.encode(), "svc.yaml"))
    assert items[0].obj["metadata"]["name"] == "a" and isinstance(items[1], ManifestError)


def test_seed_session_affinity_snippet_with_ellipsis():
    data = "apiVersion: v1\nkind: Service\nspec:\n  sessionAffinity: ClientIP\n  ...\n"
    assert err(data) == "error: svc.yaml:5: error converting YAML to JSON: yaml: line 5: could not find expected ':'"


def test_seed_file_name_glued_to_the_separator():
    # the seed writes "---cyberchef_service.yml" above its manifest
    assert err("---cyberchef_service.yml\n" + SEED_SERVICE, "cyberchef_service.yml") == (
        "error: cyberchef_service.yml:1: invalid Yaml document separator: cyberchef_service.yml")


def test_missing_apiversion_and_kind():
    assert err("metadata:\n  name: x\n") == (
        'error: svc.yaml:1: error validating "svc.yaml": error validating data: [apiVersion not set, kind not set]'
        + VALIDATE_TAIL)
    assert err("apiVersion: 1\nmetadata:\n  name: x\n") == (
        'error: svc.yaml:1: error validating "svc.yaml": error validating data: '
        "[apiVersion isn't string type, kind not set]" + VALIDATE_TAIL)


def test_seed_rules_without_object_and_a_bare_list():
    # "Exposing diff services to diff hosts": only a spec
    assert err("---\nspec:\n  rules:\n  - host: cyberchef.example.com\n") == (
        'error: svc.yaml:2: error validating "svc.yaml": error validating data: [apiVersion not set, kind not set]'
        + VALIDATE_TAIL)
    # "Exposing multiple services through the same ingress": a sequence, not an object
    assert err("---\n- host: apps.example.com\n  http:\n    paths: []\n") == (
        'error: svc.yaml:2: error validating "svc.yaml": error validating data: invalid object to validate' + VALIDATE_TAIL)


def test_unknown_kind_and_version():
    assert err("apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n", "f.yaml") == (
        'error: f.yaml:1: resource mapping not found for name: "x" namespace: "" from "f.yaml": '
        'no matches for kind "Foo" in version "v1"; ensure CRDs are installed first')
    assert 'no matches for kind "Deployment" in version "v1"' in err(
        "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: dev\n")
    assert 'namespace: "dev"' in err("apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: dev\n")


def test_iter_documents_goes_on_after_a_refused_object():
    data = "apiVersion: v1\nkind: Foo\nmetadata: {name: x}\n---\n" + SEED_SERVICE
    items = list(iter_documents(data.encode(), "svc.yaml"))
    assert isinstance(items[0], ManifestError) and items[1].obj["kind"] == "Service"


def test_seed_extensions_v1beta1_ingress_is_accepted_and_converted():
    data = """apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: cyberchef
spec:
  tls:
  - hosts:
    - cyberchef.example.com
    secretName: tls-secret
  rules:
  - host: cyberchef.example.com
    http:
      paths:
      - path: /
        backend:
          serviceName: cyberchef-nodeport
          servicePort: 80
"""
    [d] = load_documents(data.encode(), "ing.yaml")
    obj, warnings = convert(d.obj)
    assert obj["apiVersion"] == "networking.k8s.io/v1"
    assert obj["spec"]["rules"][0]["http"]["paths"][0] == {
        "path": "/", "pathType": "ImplementationSpecific",
        "backend": {"service": {"name": "cyberchef-nodeport", "port": {"number": 80}}}}
    assert warnings[0] == ("Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
                           "use networking.k8s.io/v1 Ingress")
    assert warnings[1].startswith('Warning: minikctl converted extensions/v1beta1 Ingress "cyberchef" to networking.k8s.io/v1')


# --------------------------------------------------------------------- guard rails


def test_file_over_the_size_limit_is_refused_before_parsing():
    assert timed_err(b"#" * (50 * 1024 * 1024)) == (
        "error: big.yaml: file is too large: 52428800 bytes (the limit is 20 MiB)")


def test_alias_bomb():
    bomb = 'apiVersion: v1\nkind: ConfigMap\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghi":
        bomb += f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = n
    assert timed_err(bomb.encode(), "bomb.yaml") == (
        "error: bomb.yaml:8: error converting YAML to JSON: yaml: line 8: document contains excessive aliasing")


def test_alias_errors():
    assert err("a: *x\n") == "error: svc.yaml:1: error converting YAML to JSON: yaml: line 1: unknown anchor 'x' referenced"
    assert err("a: &x [*x]\n") == (
        "error: svc.yaml:1: error converting YAML to JSON: yaml: line 1: anchor 'x' value contains itself")


def test_deep_nesting_flow_block_and_json():
    assert timed_err(b"[" * 10000 + b"]" * 10000, "deep.yaml") == (
        "error: deep.yaml:1: error converting YAML to JSON: yaml: line 1: exceeded max depth of 100")
    block = b"".join(b" " * i + b"a:\n" for i in range(3000))
    assert timed_err(block, "block.yaml") == (
        "error: block.yaml:101: error converting YAML to JSON: yaml: line 101: exceeded max depth of 100")
    assert timed_err(b'{"a":' * 10000 + b"1" + b"}" * 10000, "deep.json") == "error: deep.json:1: json: exceeded max depth of 100"
    assert timed_err(b'{"a":' * 500 + b"1" + b"}" * 500, "deep2.json") == "error: deep2.json:1: json: exceeded max depth of 100"


def test_too_many_values():
    data = b"apiVersion: v1\nkind: ConfigMap\ndata: [" + b"1," * 2_000_000 + b"]\n"
    assert timed_err(data, "flat.yaml") == (
        "error: flat.yaml:3: error converting YAML to JSON: yaml: line 3: document is too large: more than 400000 values")


def test_binary_and_invalid_utf8():
    assert timed_err(b"apiVersion: v1\n\x00\x01\x02", "bin.dat") == (
        "error: bin.dat:2: binary data is not a manifest: found a NUL byte; expected YAML or JSON text")
    assert timed_err(b"apiVersion: v1\nkind: \xff\n", "latin.yaml") == (
        "error: latin.yaml:2: error converting YAML to JSON: yaml: line 2: invalid leading UTF-8 octet (byte 0xff); "
        "the file is not UTF-8 text")
    assert err(b"a: b\x01\n") == "error: svc.yaml:1: error converting YAML to JSON: yaml: line 1: control characters are not allowed"


def test_utf16_with_bom_and_utf8_bom_are_read():
    [d] = load_documents(SEED_SERVICE.encode("utf-16"), "u16.yaml")
    assert d.obj["metadata"]["name"] == "cyberchef"
    [d] = load_documents(b"\xef\xbb\xbf" + SEED_SERVICE.encode(), "bom.yaml")
    assert d.obj["kind"] == "Service"


def test_empty_input_gives_no_documents():
    assert load_documents(b"", "e.yaml") == []
    assert load_documents(b"# nothing\n---\n---\n", "e.yaml") == []


def test_odd_inputs_never_raise_anything_but_manifest_error():
    for data in [b"{", b"[", b"}", b"- a\n", b"123", b"? [a]\n: b\n", b"!!binary x: y", b"a: !!int x", b"%YAML 1.1\n%YAML 1.1\n",
                 b"*a", b"&a", b"a: [*b]", b"\xfe\xff\x00", b"{}", b'{"a": NaN}', "é: ü".encode()]:
        try:
            load_documents(data, "odd.yaml")
        except ManifestError as e:
            assert e.render().startswith("error: odd.yaml")
