"""Numbers in -o json / -o yaml as kubectl 1.32 prints them: encoding/json's floatEncoder
(encode.go: strconv 'f' shortest, 'e' below 1e-6 or from 1e21 with the exponent's leading zero
dropped), apimachinery's json decoding (a number whose text is an int64 becomes one, a bigger
integer a float64), and sigs.k8s.io/yaml (the JSON read back by go-yaml v2, floats written with
strconv 'g'). Expected texts are kubectl 1.32's output for the same file
(`kubectl label -f floats.yaml --local -o json|yaml a=b`)."""

from __future__ import annotations

from conftest import write

FLOATS = """\
apiVersion: v1
kind: Pod
metadata:
  name: floats
spec:
  x: [1e-7, 1.5e-7, 100.0, -0.0, 1234567.5, 0.5, 1180591620717411303424, 3, 1e21, -1e-5, 9223372036854775808, 0.000001, 1e20, 123456789012345678]
"""

KUBECTL_JSON = ('{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "metadata": {\n        "labels": {\n'
                '            "a": "b"\n        },\n        "name": "floats"\n    },\n    "spec": {\n        "x": [\n'
                '            1e-7,\n            1.5e-7,\n            100,\n            0,\n            1234567.5,\n'
                '            0.5,\n            1.1805916207174113e+21,\n            3,\n            1e+21,\n'
                '            -0.00001,\n            9223372036854776000,\n            0.000001,\n'
                '            100000000000000000000,\n            123456789012345678\n        ]\n    }\n}\n')

KUBECTL_YAML_X = """\
  x:
  - 1e-07
  - 1.5e-07
  - 100
  - 0
  - 1.2345675e+06
  - 0.5
  - 1.1805916207174113e+21
  - 3
  - 1e+21
  - -1e-05
  - 9223372036854776000
  - 1e-06
  - 1e+20
  - 123456789012345678
"""


def test_json_floats_as_encoding_json(mk, tmp_path):
    f = write(tmp_path, "floats.yaml", FLOATS)
    r = mk(f"label -f {f} --local -o json a=b")
    assert (r.code, r.out, r.err) == (0, KUBECTL_JSON, "")


def test_yaml_floats_as_sigs_yaml(mk, tmp_path):
    f = write(tmp_path, "floats.yaml", FLOATS)
    r = mk(f"label -f {f} --local -o yaml a=b")
    assert r.code == 0 and r.err == ""
    assert r.out.endswith("spec:\n" + KUBECTL_YAML_X)


def test_number_helpers():
    from minikctl.printers.structured import go_json, go_json_float, yaml_number

    assert [go_json_float(f) for f in (1e-7, 2.5e-10, 1e-6, 1e20, 1e21, 1.234e22, 0.1, -0.0)] == \
        ["1e-7", "2.5e-10", "0.000001", "100000000000000000000", "1e+21", "1.234e+22", "0.1", "-0"]
    assert [yaml_number(v) for v in (1e-7, 100.0, -0.0, 1234567.5, 2 ** 63, 2 ** 70, 5)] == \
        ["1e-07", "100", "0", "1.2345675e+06", "9223372036854776000", "1.1805916207174113e+21", "5"]
    # compact form (last-applied-configuration) and strings that only look like numbers stay strings
    assert go_json({"b": [0.5, 1e-7], "a": "1e-07"}, sort_keys=True, indent=None) == '{"a":"1e-07","b":[0.5,1e-7]}'
