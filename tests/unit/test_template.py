"""kubectl's JSONPath, custom columns and --sort-by as pure functions (printers/template.py).

Expected values were taken from kubectl 1.32 (`kubectl create ... --dry-run=client -o
jsonpath=...` and `kubectl get` against a loopback fake apiserver); the last test re-runs
that comparison when a kubectl binary is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from minikctl.printers import template as T

SVC = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "app.kubernetes.io/name": "web-ui"},
                 "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"a\":1}\n"},
                 "creationTimestamp": None},
    "spec": {"clusterIP": "10.96.0.20", "type": "ClusterIP", "selector": {"app": "web"},
             "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080},
                       {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}]},
    "status": {"loadBalancer": {}},
}
NODES = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
    {"kind": "Node", "metadata": {"name": "n1"}, "status": {"addresses": [
        {"type": "InternalIP", "address": "172.18.0.2"}, {"type": "Hostname", "address": "n1"}]}},
    {"kind": "Node", "metadata": {"name": "n2"}, "status": {"addresses": [
        {"type": "InternalIP", "address": "172.18.0.3"}, {"type": "Hostname", "address": "n2"}]}},
]}


def jp(template: str, data=SVC, **kw) -> str:
    return T.render_jsonpath(template, data, **kw)


# ------------------------------------------------------------------ client-go parser.go / jsonpath.go

@pytest.mark.parametrize("template,want", [
    ("{.spec.clusterIP}", "10.96.0.20"),
    ("{.spec.ports[*].port}", "80 443"),
    ("{.spec.ports[0].port}{.spec.ports[0].targetPort}", "808080"),
    ('{range .spec.ports[*]}{.name}{"\\t"}{.port}{"\\n"}{end}', "http\t80\nhttps\t443\n"),
    ("{range .spec.ports[*]}[{.port}]{end}{\"|\"}{.kind}", "[80][443]|Service"),
    ("{.spec.ports[-1:].name}", "https"),
    ("{.spec.ports[-1].port} {.spec.ports[-2].port}", "443 80"),
    ("{.spec.ports[0:2:2].port}", "80"),
    ("{.spec.ports[1:1]}", ""),
    ("{.spec.ports[0,1].port}", "80 443"),
    ("{.spec.ports[?(@.name=='http')].port}", "80"),
    ('{.spec.ports[?(@.port==443)].name}', "https"),
    ('{.spec.ports[?(@.port>100)].name}', "https"),
    ('{.spec.ports[?(@.targetPort)].port}', "80 443"),
    ('{.spec.ports[?(@.nope)].port}', ""),
    ("{..port}", "80 443"),
    ("{.metadata..name}", "web"),
    ("{.spec.selector.*}", "web"),
    ("{.metadata.labels.app\\.kubernetes\\.io/name}", "web-ui"),
    ("{.metadata.labels['app\\.kubernetes\\.io/name']}", "web-ui"),
    ("{.metadata.labels['app.kubernetes.io/name']}", ""),  # the dots split the key, as in kubectl
    ("{.metadata.annotations['kubectl\\.kubernetes\\.io/last-applied-configuration']}", '{"a":1}\n'),
    ("{.spec.selector}", '{"app":"web"}'),
    ("{.spec.ports[0]}", '{"name":"http","port":80,"protocol":"TCP","targetPort":8080}'),
    ("{.status}", '{"loadBalancer":{}}'),
    ("{.metadata.creationTimestamp}", "null"),
    ("{.nope}{.spec.type.foo}{.spec.ports.port}", ""),
    ('{"a\\tb"}{\'c\\nd\'}', "a\tbc\nd"),
    ("{$.kind}{@.kind}{ .kind }", "ServiceServiceService"),
    ("{true} {1.5} {-1}", "true 1.5 -1"),
    ("plain {.kind} text\\n", "plain Service text\\n"),
    ("{range .nope}a{end}{.kind}", "Service"),
    ("{range .spec.ports[*]}{.port}{\"\\n\"}", "80\n443\n\n"),
    ("{range .spec.ports[*]}{range .name}{@}{end}{end}", "httphttps"),
])
def test_jsonpath_values(template, want):
    assert jp(template) == want


def test_jsonpath_filters_on_lists():
    t = '{.items[*].status.addresses[?(@.type=="InternalIP")].address}'
    assert jp(t, NODES) == "172.18.0.2 172.18.0.3"
    t = '{range .items[*]}{.metadata.name}{"\\t"}{.status.addresses[0].address}{"\\n"}{end}'
    assert jp(t, NODES) == "n1\t172.18.0.2\nn2\t172.18.0.3\n"
    assert jp("{.items[*].metadata.name}", {**NODES, "items": []}) == ""


@pytest.mark.parametrize("template,message", [
    ("{.foo", "error: error parsing jsonpath {.foo, unclosed action\n"),
    ("{.a,.b}", "error: error parsing jsonpath {.a,.b}, unrecognized character in action: U+002C ','\n"),
    ("{.a[x]}", "error: error parsing jsonpath {.a[x]}, invalid array index x\n"),
    ('{.a["x","y"]}', 'error: error parsing jsonpath {.a["x","y"]}, invalid array index "x"\n'),
    ('{"\\q"}', 'error: error parsing jsonpath {"\\q"}, unquote string "\\q" error invalid syntax\n'),
    ("{....}", "error: error parsing jsonpath {....}, invalid multiple recursive descent\n"),
    ("{.a[?(@.b)]", "error: error parsing jsonpath {.a[?(@.b)], unclosed action\n"),
])
def test_jsonpath_parse_errors(template, message):
    with pytest.raises(T.TemplateError) as e:
        jp(template)
    assert e.value.render() == message


@pytest.mark.parametrize("template,reason", [
    ("{.spec.ports[5]}", "array index out of bounds: index 5, length 2"),
    ("{.spec.ports[-3].port}", "array index out of bounds: index -1, length 2"),
    ("{.spec.ports[0:5]}", "array index out of bounds: index 4, length 2"),
    ("{.spec.ports[1:0]}", "starting index 1 is greater than ending index 0"),
    ("{.spec.ports[::-1]}", "step must be > 0"),
    ("{.spec[0]}", "map[string]interface {} is not array or slice"),
    ("{end}", "not in range, nothing to end"),
    ("{foo}", "unrecognized identifier foo"),
    ('{.spec.ports[?(@.port>"a")]}', "incompatible types for comparison"),
    ('{.spec.ports[?(@.name=1)]}', "unrecognized filter operator ="),
])
def test_jsonpath_execution_errors(template, reason):
    with pytest.raises(T.TemplateError) as e:
        jp(template)
    text = e.value.render()
    assert text.startswith(f"error: error executing jsonpath {T.go_quote(template)}: Error executing template: "
                           f"{reason}. Printing more information for debugging the template:\n"
                           f"\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t"
                           'map[string]interface {}{"apiVersion":"v1", "kind":"Service", "metadata":')
    assert text.endswith("}}\n\n\n")


def test_missing_keys_error_when_not_allowed():
    with pytest.raises(T.TemplateError) as e:
        jp("{.spec.nope}", allow_missing=False)
    assert "Error executing template: nope is not found." in e.value.render()


def test_jsonpath_as_json():
    assert jp("{.spec.ports[*].port}", output_json=True) == "[\n    80,\n    443\n]\n"
    assert jp("{.nope}", output_json=True) == "[]\n"
    assert jp("{.spec.selector}", output_json=True) == '[\n    {\n        "app": "web"\n    }\n]\n'


def test_go_formatting():
    assert T.go_sprint({"b": [1, 2.5, None], "a": {"x": True}}) == "map[a:map[x:true] b:[1 2.5 <nil>]]"
    assert T.go_json({"b": "<&>", "a": [1.0, 1e21, 1e-7]}) == '{"a":[1,1e+21,1e-7],"b":"\\u003c\\u0026\\u003e"}'
    assert T.go_float_v(1e6) == "1e+06" and T.go_float_v(123456.0) == "123456" and T.go_float_v(0.5) == "0.5"
    assert T.go_quote('a"b\n\x01é') == '"a\\"b\\n\\x01é"'
    assert T.go_sharp_v({"a": [None, "x", 1]}) == 'map[string]interface {}{"a":[]interface {}{interface {}(nil), "x", 1}}'


# ------------------------------------------------------------------ customcolumn.go

class _Ctx:
    def __init__(self, **opts):
        self.opts = opts
        self.out = None


def test_custom_columns():
    data = {"apiVersion": "v1", "kind": "List", "metadata": {}, "items": [SVC, {**SVC, "metadata": {"name": "db"},
                                                                                "spec": {"type": "ExternalName"}}]}
    out = T.render("custom-columns=NAME:.metadata.name,IP:spec.clusterIP,PORTS:{.spec.ports[*].port},SEL:.spec.selector",
                   data, _Ctx())
    assert out == ("NAME   IP           PORTS    SEL\n"
                   "web    10.96.0.20   80,443   map[app:web]\n"
                   "db     <none>       <none>   <none>\n")
    assert T.render("custom-columns=N:.metadata.name", data, _Ctx(no_headers=True)) == "web\ndb\n"


@pytest.mark.parametrize("spec,message", [
    ("", "custom-columns format specified but no custom columns given"),
    ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
    ("N:{.a", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"),
    ("N:.a[x]", "invalid array index x"),
])
def test_custom_columns_errors(spec, message):
    with pytest.raises(T.TemplateError) as e:
        T.render("custom-columns=" + spec, SVC, _Ctx())
    assert e.value.render() == "error: " + message


def test_relaxed_jsonpath():
    for expr in ("metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"):
        assert T.relaxed(expr) == "{.metadata.name}"


# ------------------------------------------------------------------ sorter.go + Go's sort.Sort

def _svc(name, ip=None, q=None):
    o = {"kind": "Service", "metadata": {"name": name, "labels": {}}, "spec": {}}
    if ip:
        o["spec"]["clusterIP"] = ip
    if q:
        o["metadata"]["labels"]["q"] = q
    return o


def names(objs):
    return [o["metadata"]["name"] for o in objs]


def test_sort_by_strings_bytewise_missing_first_reversed():
    objs = [_svc("a010", "10.96.0.200"), _svc("a10", "10.96.0.110"), _svc("a9", "10.96.0.19"), _svc("ext"),
            _svc("kubernetes", "10.96.0.1"), _svc("zz")]
    # kubectl 1.32: plain string order; objects without the field come first, in reverse (insertion sort)
    assert names(T.sort_by(objs, ".spec.clusterIP")) == ["zz", "ext", "kubernetes", "a10", "a9", "a010"]


def test_sort_by_quantities_and_numbers():
    objs = [_svc("a", q="10"), _svc("b", q="1Ki"), _svc("c", q="2"), _svc("d", q="1500m")]
    assert names(T.sort_by(objs, "metadata.labels.q")) == ["d", "c", "a", "b"]
    ports = [{"kind": "Service", "metadata": {"name": n}, "spec": {"ports": [{"port": p}]}} for n, p in
             (("x", 8080), ("y", 80), ("z", 443))]
    assert names(T.sort_by(ports, "{.spec.ports[0].port}")) == ["y", "z", "x"]


def test_sort_by_rules():
    one = [_svc("a")]
    assert T.sort_by(one, ".nope") == one  # one row or object: left alone
    two = [_svc("a"), _svc("b")]
    assert T.sort_by(two, ".nope") == []  # table path: kubectl prints nothing
    with pytest.raises(T.TemplateError) as e:
        T.sort_by(two, ".nope", table=False)
    assert e.value.render() == 'error: couldn\'t find any field with path "{.nope}" in the list of objects'
    with pytest.raises(T.TemplateError) as e:
        T.sort_by(two, ".metadata.name", named=True)
    assert "couldn't find any field" in e.value.render()
    with pytest.raises(T.TemplateError) as e:
        T.sort_by([SVC, SVC], ".spec.selector", table=False)
    text = e.value.render()
    assert text.startswith("F") and text.endswith(
        "sorter.go:329] Field {.spec.selector} in *unstructured.Unstructured is an unsortable type: interface, "
        "err: unsortable type: map[string]interface {}")


def test_go_sort_matches_sorted_for_total_orders():
    import random

    rnd = random.Random(7)
    for n in (0, 1, 5, 12, 13, 50, 200, 1000):
        data = [rnd.randrange(50) for _ in range(n)]
        items = list(data)

        def swap(i, j):
            items[i], items[j] = items[j], items[i]

        T.go_sort(len(items), lambda i, j: items[i] < items[j], swap)
        assert items == sorted(data)


# ------------------------------------------------------------------ against the real kubectl

KUBECTL = next((p for p in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                            shutil.which("kubectl")) if p and os.path.exists(p)), None)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl not installed")
def test_same_output_as_kubectl_dry_run():
    """kubectl prints a client-side object through the same jsonpath printer; its numbers are
    float64 there (so no numeric filters here)."""
    args = ["create", "service", "clusterip", "web", "--tcp=80:8080", "--tcp=443:8443", "--dry-run=client"]
    base = json.loads(subprocess.run([KUBECTL, *args, "-o", "json"], capture_output=True, text=True, check=True).stdout)
    templates = ["{.spec.ports[*].port}", '{range .spec.ports[*]}{.name}{"\\t"}{.port}{"\\n"}{end}',
                 "{.spec.ports[-1:].name}", "{.metadata.labels['app']}", "{.spec.ports[0]}", "{@}",
                 "{.spec.ports[?(@.name==\"80-8080\")].targetPort}", "{.foo", "{.spec.ports[5]}", "{end}",
                 "{range .nope}a{end}{.kind}", "{.metadata}"]
    for t in templates:
        for mode in ("jsonpath", "jsonpath-as-json"):
            want = subprocess.run([KUBECTL, *args, "-o", f"{mode}={t}"], capture_output=True, text=True)
            try:
                got_out, got_err = T.render_jsonpath(t, _floats(base), output_json=mode != "jsonpath"), ""
            except T.TemplateError as e:
                got_out, got_err = "", e.render()
            assert (got_out, got_err) == (want.stdout, want.stderr), (mode, t)


def _floats(v):
    if isinstance(v, dict):
        return {k: _floats(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_floats(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v
