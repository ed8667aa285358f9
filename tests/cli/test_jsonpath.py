"""-o jsonpath / jsonpath-file / jsonpath-as-json through `minikctl get`, with kubectl's
output, errors and exit codes; values on stdout only, errors on stderr only."""

from __future__ import annotations

import json

import pytest

from scripting_setup import build_base, runner


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("jsonpath"))


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


def test_single_object_value_for_command_substitution(mk):
    ip = json.loads(mk("get svc web -o json").out)["spec"]["clusterIP"]
    r = mk(["get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"])
    assert (r.code, r.out, r.err) == (0, ip, "")  # no newline: `$(...)` gets exactly the IP


def test_lists_and_ranges(mk):
    r = mk(["get", "svc", "-o", "jsonpath={.items[*].metadata.name}"])
    assert (r.code, r.out, r.err) == (0, "cyberchef db ext kubernetes web", "")
    r = mk(["get", "svc", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.type}{"\\n"}{end}'])
    assert r.out == "cyberchef\tNodePort\ndb\tClusterIP\next\tExternalName\nkubernetes\tClusterIP\nweb\tClusterIP\n"
    r = mk(["get", "svc", "-o", "jsonpath={.items[?(@.spec.type==\"NodePort\")].spec.ports[0].nodePort}"])
    node_port = json.loads(mk("get svc cyberchef -o json").out)["spec"]["ports"][0]["nodePort"]
    assert r.out == str(node_port)


def test_nodes_internal_ip_filter(mk):
    r = mk(["get", "nodes", "-o", 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}'])
    assert r.out == "172.18.0.2 172.18.0.3 172.18.0.4"


def test_maps_lists_and_escaped_keys(mk):
    assert mk(["get", "svc", "web", "-o", "jsonpath={.metadata.labels}"]).out == '{"app":"web","tier":"front"}'
    r = mk(["get", "svc", "web", "-o", "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"])
    assert json.loads(r.out)["metadata"]["name"] == "web"
    r = mk(["get", "svc", "web", "-o", "jsonpath={.metadata.annotations['kubectl\\.kubernetes\\.io/last-applied-configuration']}"])
    assert json.loads(r.out)["kind"] == "Service"


def test_missing_keys_print_nothing(mk):
    r = mk(["get", "svc", "web", "-o", "jsonpath={.spec.nope}{.status.loadBalancer.ingress[0].ip}"])
    assert (r.code, r.out, r.err) == (0, "", "")
    r = mk(["get", "pods", "-l", "app=none", "-o", "jsonpath={.items[*].metadata.name}"])
    assert (r.code, r.out, r.err) == (0, "", "")


def test_parse_error_exit_1_stderr_only(mk):
    r = mk(["get", "svc", "web", "-o", "jsonpath={.spec.clusterIP"])
    assert (r.code, r.out, r.err) == (1, "", "error: error parsing jsonpath {.spec.clusterIP, unclosed action\n")


def test_execution_error_dumps_the_object_like_kubectl(mk):
    r = mk(["get", "svc", "web", "-o", "jsonpath={.spec.ports[5]}"])
    assert r.code == 1 and r.out == ""
    assert r.err.startswith('error: error executing jsonpath "{.spec.ports[5]}": Error executing template: array '
                            "index out of bounds: index 5, length 2. Printing more information for debugging the "
                            "template:\n\ttemplate was:\n\t\t{.spec.ports[5]}\n\tobject given to jsonpath engine was:"
                            '\n\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Service", ')
    assert r.err.endswith("}}\n\n\n")
    r = mk(["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"])  # no pods
    assert r.code == 1 and "array index out of bounds: index 0, length 0" in r.err


def test_empty_template_and_bad_format(mk):
    r = mk(["get", "svc", "-o", "jsonpath="])
    assert (r.code, r.err) == (1, "error: template format specified but no template given\n")
    # kubectl 1.32 (jsonpath_flags.go): a bare "jsonpath" is the format with no template
    r = mk(["get", "svc", "-o", "jsonpath"])
    assert (r.code, r.err) == (1, "error: template format specified but no template given\n")
    r = mk(["get", "svc", "-o", "jsonpaths"])
    assert r.code == 1 and r.err.startswith('error: unable to match a printer suitable for the output format "jsonpaths"')


def test_jsonpath_file(mk, tmp_path):
    f = tmp_path / "t.jsonpath"
    f.write_text('{range .items[*]}{.metadata.name}{"\\n"}{end}\n')
    r = mk(["get", "svc", "-l", "app in (web,db)", "-o", f"jsonpath-file={f}"])
    assert (r.code, r.out) == (0, "db\nweb\n\n")  # the file's own newline is printed too, as kubectl does
    r = mk(["get", "svc", "-o", f"jsonpath-file={tmp_path}/nope"])
    assert (r.code, r.out, r.err) == (1, "", f"error: error reading --template {tmp_path}/nope, open {tmp_path}/nope: "
                                             "no such file or directory\n")


def test_jsonpath_as_json(mk):
    r = mk(["get", "svc", "web", "-o", "jsonpath-as-json={.spec.ports[*].port}"])
    assert r.out == "[\n    80,\n    443\n]\n"


def test_subprocess_exit_codes_and_streams(mk_proc, base, tmp_path):
    """Through the console entry point: `$(minikctl get svc web -o jsonpath=...)` is safe."""
    import shutil

    shutil.copyfile(base, str(tmp_path / "p.db"))
    env = {"MINIKCTL_STATE": str(tmp_path / "p.db")}
    ok = mk_proc(["get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"], env=env)
    assert ok.code == 0 and ok.err == "" and ok.out.count(".") == 3
    bad = mk_proc(["get", "svc", "nope", "-o", "jsonpath={.spec.clusterIP}"], env=env)
    assert (bad.code, bad.out) == (1, "") and bad.err == 'Error from server (NotFound): services "nope" not found\n'
