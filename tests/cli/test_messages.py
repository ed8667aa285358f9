"""What minikctl prints in errors (issue 9): user-supplied strings are quoted as Go's %q
where Kubernetes quotes them (apimachinery/pkg/api/errors/errors.go: NewNotFound
`%s %q not found`, NewAlreadyExists, NewConflict, NewInvalid `%s %q is invalid`;
field.Error.ErrorBody `%q` for a string's bad value) and no control character reaches the
terminal raw anywhere else; huge numbers, huge selectors and duplicate keys get clear
messages; a bulk apply summarises its "selects no pods" warnings."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _no_raw_controls(*texts: str) -> None:
    for t in texts:
        assert not RAW_CONTROL.search(t), repr(t)


# ------------------------------------------------------------------ Go's %q
@pytest.mark.parametrize("s,quoted", [
    ("plain", '"plain"'),
    ("\x1b]0;PWNED\a\x1b[2J", '"\\x1b]0;PWNED\\a\\x1b[2J"'),
    ("a\x00b\x7f", '"a\\x00b\\x7f"'),
    ("\b\f\n\r\t\v", '"\\b\\f\\n\\r\\t\\v"'),
    ('q"b\\', '"q\\"b\\\\"'),
    ("\x85\u2028\u00a0", '"\\u0085\\u2028\\u00a0"'),  # C1, line separator, no-break space
    ("é日本😀", '"é日本😀"'),  # printable runes stay as they are
    ("\U000e0001", '"\\U000e0001"'),
    ("bad\udcff", '"bad\\xff"'),  # an undecodable byte of an argument: strconv.Quote's \xff
])
def test_go_quote_is_strconv_quote(s, quoted):
    from minikctl.api.errors import go_quote

    assert go_quote(s) == quoted


def test_escape_controls_keeps_newlines_and_tabs():
    from minikctl.api.errors import escape_controls

    assert escape_controls("a\tb\nc") == "a\tb\nc"
    assert escape_controls("x\x1b[2J\r\x00\x9b") == "x\\x1b[2J\\r\\x00\\u009b"


# ---------------------------------------------------------- names in errors
def test_not_found_quotes_the_name_like_kube_apiserver(cluster):
    r = cluster(["get", "pod", "\x1b]0;PWNED\a\x1b[2J"])
    assert (r.code, r.out) == (1, "")
    assert r.err == 'Error from server (NotFound): pods "\\x1b]0;PWNED\\a\\x1b[2J" not found\n'
    r = cluster(["describe", "svc", "a\x1b[2Jb"])
    assert r.err == 'Error from server (NotFound): services "a\\x1b[2Jb" not found\n'
    r = cluster(["delete", "configmap", "x\x00y"])
    assert r.err == 'Error from server (NotFound): configmaps "x\\x00y" not found\n'


def test_invalid_name_in_a_manifest_is_quoted(cluster, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\\e[2Jb"\n')
    r = cluster(["apply", "-f", str(f)])
    assert r.code == 1
    assert r.err.startswith('The ConfigMap "a\\x1b[2Jb" is invalid: metadata.name: Invalid value: "a\\x1b[2Jb": '
                            "a lowercase RFC 1123 subdomain must consist of"), r
    _no_raw_controls(r.out, r.err)
    assert "configmap/a" not in cluster("get configmaps -o name").out  # kube-root-ca.crt is there


def test_namespace_and_data_key_with_escape(cluster, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: "n\\e[2J"\ndata:\n  v: x\n')
    r = cluster(["apply", "-f", str(f)])
    assert r.err == f'Error from server (NotFound): error when creating "{f}": namespaces "n\\x1b[2J" not found\n'
    f.write_text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  "k\\e[2J": v\n')
    r = cluster(["apply", "-f", str(f)])
    assert r.err.startswith('The ConfigMap "ok" is invalid: data[k\\x1b[2J]: Invalid value: "k\\x1b[2J": '), r
    r = cluster(["get", "pods", "-n", "x\x1b[2J"])
    assert r.err == "No resources found in x\\x1b[2J namespace.\n"
    r = cluster(["create", "configmap", "c", "--from-literal=a\x1b[2J=b"])
    assert r.code == 1
    _no_raw_controls(r.out, r.err)


def test_hosts_add_quotes_a_bad_name(cluster):
    r = cluster(["hosts", "add", "1.2.3.4", "ev\x1b[2Jil.com"])
    assert (r.code, r.err) == (1, 'error: invalid host name "ev\\x1b[2Jil.com"\n')
    r = cluster(["hosts", "add", "1.2.3.4\x07", "x.com"])
    assert (r.code, r.err) == (1, 'error: invalid IP address "1.2.3.4\\a"\n')
    assert cluster("hosts list").out == cluster("hosts list").out  # nothing was added
    assert "ev" not in cluster("hosts list").out


@pytest.mark.parametrize("args", [
    ["get", "\x1b[2J"], ["get", "pods", "-o", "\x1b[2J"], ["get", "pods", "-l", "a=\x1b[2J"],
    ["label", "pod", "p\x1b[2J", "a=b"], ["scale", "deploy", "d\x1b[2J", "--replicas=1"],
    ["logs", "p\x1b[2J"], ["exec", "p\x1b[2J", "--", "ls"], ["create", "ns", "n\x1b[2J"],
    ["run", "r\x1b[2J", "--image=nginx"], ["\x1b[2J"], ["get", "pods", "--\x1b[2J"],
    ["patch", "pod", "p\x1b[2J", "-p", "{}"], ["get", "svc", "-o", "jsonpath={.\x1b[2J}"],
    ["image", "show", "i\x1b[2J"], ["clock", "advance", "\x1b[2J"], ["apply", "-f", "/nonexistent/\x1b[2J"],
    ["get", "pods", "--field-selector", "\x1b[2J"], ["create", "deployment", "d", "--image=nginx\x1b[2J"],
])
def test_no_command_writes_raw_control_characters(cluster, args):
    r = cluster(args)
    assert r.code == (0 if args[0] == "image" else 1), r  # image show: a name outside the catalog is generic
    assert "Traceback" not in r.err and "internal error" not in r.err, r
    _no_raw_controls(r.out, r.err)


def test_kubectl_quotes_a_bad_configmap_key_the_same_way():
    """kubectl's own %q of a bad key, to compare with go_quote (client side, offline)."""
    if not os.access(KUBECTL, os.X_OK):
        pytest.skip("kubectl 1.32 is not installed")
    p = subprocess.run([KUBECTL, "create", "configmap", "x", "--from-literal=a\x1b[2J=b", "--dry-run=client"],
                       capture_output=True, text=True, timeout=60)
    from minikctl.api.errors import go_quote

    assert p.stderr.startswith(f"error: {go_quote(chr(97) + chr(27) + '[2J')} is not a valid key name"), p.stderr


# ------------------------------------------------------------------ selectors
def test_a_selector_of_a_thousand_terms_works(cluster):
    for kind in ("exists", "in", "equal", "not"):
        terms = {"exists": "k{i}", "in": "k{i} in (a,b)", "equal": "k{i}=v", "not": "k{i}!=x"}[kind]
        sel = ",".join(terms.format(i=i) for i in range(1000))
        r = cluster(["get", "pods", "-A", "-l", sel])
        assert r.code == 0, (kind, r)
        if kind == "not":
            assert "coredns" in r.out, r
        else:
            assert (r.out, r.err) == ("", "No resources found\n"), (kind, r)
    sel = "k8s-app=kube-dns," + ",".join(f"k{i}!=x,k8s-app in (kube-dns,x{i}),k8s-app" for i in range(500))
    r = cluster(["get", "pods", "-n", "kube-system", "-l", sel, "-o", "name"])
    assert r.code == 0 and r.out.count("pod/coredns-") == 2, r


def test_a_selector_term_is_validated_like_labels_new_requirement(cluster):
    r = cluster(["get", "pods", "-l", "a=\x1b[2J"])
    assert r.code == 1
    assert r.err.startswith('error: unable to parse requirement: values[0][a]: Invalid value: "\\x1b[2J": a valid label '
                            "must be an empty string or consist of alphanumeric characters"), r
    r = cluster(["get", "pods", "-l", "-a=b"])
    assert r.err.startswith('error: unable to parse requirement: key: Invalid value: "-a": name part must consist of'), r


# ------------------------------------------------------------------ huge numbers
BIG = "9" * 5000


def _kubectl_offline(*args: str) -> subprocess.CompletedProcess | None:
    if not os.access(KUBECTL, os.X_OK):
        return None
    return subprocess.run([KUBECTL, *args, "-s", "http://127.0.0.1:1"], capture_output=True, text=True, timeout=60)


def test_a_5000_digit_number_in_a_json_manifest_is_refused_as_kubectl_does(cluster, tmp_path):
    f = tmp_path / "big.json"
    f.write_text('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big","generation":%s}}' % BIG)
    msg = (f'error validating "{f}": error validating data: json: cannot unmarshal number {BIG} into Go value of '
           "type float64; if you choose to ignore these errors, turn validation off with --validate=false\n")
    r = cluster(["apply", "-f", str(f)])
    assert (r.code, r.out, r.err) == (1, "", f"error: {f}:1: {msg}"), r
    k = _kubectl_offline("apply", "-f", str(f), "--dry-run=client")
    if k is not None:  # kubectl decodes (and fails) before it needs a server
        assert k.stderr == f"error: {msg}"
    f.write_text('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":1e400}}')
    r = cluster(["create", "-f", str(f)])
    assert r.code == 1 and "json: cannot unmarshal number 1e400 into Go value of type float64" in r.err, r
    assert "big" not in cluster("get cm").out


def test_a_5000_digit_number_in_yaml_is_a_string_as_go_yaml_makes_it(cluster, tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  generation: {BIG}\n")
    r = cluster(["apply", "-f", str(f)])
    assert r.code == 1 and "internal error" not in r.err, r
    assert ("cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field "
            "ObjectMeta.metadata.generation of type int64") in r.err, r
    assert "hint" not in r.err
    k = _kubectl_offline("apply", "-f", str(f), "--dry-run=client", "--validate=false")
    if k is not None:
        assert ("json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64"
                in k.stderr), k.stderr
    f.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: {BIG}\n")
    assert cluster(["apply", "-f", str(f)]).code == 0
    assert cluster("get cm big -o jsonpath={.data.a}").out == BIG


@pytest.mark.parametrize("ptype,patch,prefix", [
    ("strategic", '{"metadata":{"generation":%s}}', ""),
    ("merge", '{"metadata":{"generation":%s}}', "error decoding patch: "),
    ("json", '[{"op":"add","path":"/data/x","value":%s}]', "error decoding patch: "),
])
def test_a_5000_digit_number_in_a_patch(cluster, ptype, patch, prefix):
    assert cluster("create configmap c").code == 0
    before = cluster("get cm c -o yaml").out
    r = cluster(["patch", "cm", "c", f"--type={ptype}", "-p", patch % BIG])
    assert (r.code, r.err) == (1, f"Error from server (BadRequest): {prefix}json: cannot unmarshal number {BIG} into "
                                  "Go value of type float64\n"), r
    assert cluster("get cm c -o yaml").out == before
    r = cluster(["patch", "cm", "c", "-p", f"data: {{k: {BIG}}}"])  # YAML: a string, as go-yaml reads it
    assert r.code == 0, r


# ------------------------------------------------------------------ duplicate keys
# kubectl 1.32 decodes a manifest with sigs.k8s.io/yaml (go-yaml v2, not strict) or encoding/json:
# a duplicate key keeps its last value, silently, in YAML and in JSON, at any depth. Its
# client-side NoDoubleKeySchema (labels, annotations) runs only against a server without
# server-side field validation (kubectl/pkg/validation/schema.go paramVerifyingSchema), and the
# server never sees the duplicates: kubectl sends the decoded object again.
DUPLICATES = {
    "nested.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    l: "1"\n    l: "2"\n'
                   'data:\n  x: "1"\n  x: "2"\n',
    "top.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: '0'\nmetadata:\n  name: b\n",
    "nested.json": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"l":"1","l":"2"}},'
                   '"data":{"x":"1","x":"2"}}',
    "top.json": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"0"},"metadata":{"name":"b"}}',
}
LAST_WINS = {"nested.yaml": ("a", {"l": "2"}, {"x": "2"}), "top.yaml": ("b", None, {"k": "0"}),
             "nested.json": ("a", {"l": "2"}, {"x": "2"}), "top.json": ("b", None, {"k": "0"})}


@pytest.mark.parametrize("name", sorted(DUPLICATES))
def test_duplicate_keys_keep_the_last_value_as_kubectl_does(cluster, tmp_path, name):
    f = tmp_path / name
    f.write_text(DUPLICATES[name])
    r = cluster(["label", "--local", "-f", str(f), "z=1", "-o", "json"])
    assert (r.code, r.err) == (0, ""), r
    k = _kubectl_offline("label", "--local", "-f", str(f), "z=1", "-o", "json")
    if k is not None:  # the same decoding, byte for byte
        assert (k.returncode, k.stderr) == (0, ""), k
        assert json.loads(r.out) == json.loads(k.stdout)
    obj_name, labels, data = LAST_WINS[name]
    for verb in ("apply", "create"):
        r = cluster([verb, "-f", str(f)])
        assert (r.code, r.err) == (0, ""), r
        assert r.out == f"configmap/{obj_name} created\n"
        obj = json.loads(cluster(["get", "cm", obj_name, "-o", "json"]).out)
        assert obj["data"] == data and obj["metadata"].get("labels") == labels
        assert cluster(["delete", "cm", obj_name]).code == 0


# ------------------------------------------------------------------ warnings
def _services(n: int) -> str:
    return "".join(f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i:03d}\nspec:\n  selector:\n"
                   f"    app: a{i:03d}\n  ports:\n  - port: 80\n" for i in range(n))


def test_a_bulk_apply_summarises_services_that_select_no_pods(cluster):
    r = cluster(["apply", "-f", "-"], input=_services(40))
    assert r.code == 0 and r.out.count(" created\n") == 40, r
    lines = r.err.splitlines()
    assert lines[:5] == [f'Warning: service "s{i:03d}" selects no pods: no pod in namespace "default" has the labels '
                         f"app=a{i:03d}, so its endpoints will be empty" for i in range(5)], r.err
    assert lines[5:] == ["Warning: ... and 35 more services select no pods, so their endpoints will be empty"]


def test_a_few_services_that_select_no_pods_each_get_their_warning(cluster):
    r = cluster(["create", "-f", "-"], input=_services(5))
    assert r.code == 0 and len(r.err.splitlines()) == 5 and "more service" not in r.err, r
    r = cluster(["apply", "-f", "-"], input=_services(6).replace("s00", "t00").replace("a00", "b00"))
    assert r.err.splitlines()[-1] == "Warning: ... and 1 more service selects no pods, so its endpoints will be empty"


def test_in_cluster_tools_never_echo_control_characters(cluster):
    """curl refuses a URL with control characters (lib/urlapi.c junkscan); nslookup, dig and
    host print names in DNS presentation format (\\DDD), as BIND's tools do."""
    assert cluster("run c --image=curlimages/curl -- sleep 3600").code == 0
    assert cluster("run d --image=busybox -- sleep 3600").code == 0
    r = cluster(["exec", "c", "--", "curl", "-sS", "http://ev\x1b[2Jil.com/"])
    assert (r.code, r.out) == (3, "")
    assert r.err == "curl: (3) URL rejected: Malformed input to a URL function\ncommand terminated with exit code 3\n"
    r = cluster(["exec", "d", "--", "nslookup", "ev\x1b[2Jil.com"])
    assert "ev\\027[2Jil.com" in r.out + r.err
    _no_raw_controls(r.out, r.err)
    r = cluster(["logs", "-l", "app=x", "-n", "a\x1b[2J"])
    _no_raw_controls(r.out, r.err)
