"""-o custom-columns / custom-columns-file, --sort-by, --field-selector, --no-headers and
-o name through `minikctl get`, as kubectl 1.32 prints them (checked against kubectl with
a loopback fake apiserver serving the same objects)."""

from __future__ import annotations

import pytest

from scripting_setup import build_base, runner

EXTRA = """\
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: a9, labels: {q: "2"}}, spec: {clusterIP: 10.96.0.19, ports: [{port: 80}]}}
- {apiVersion: v1, kind: Service, metadata: {name: a10, labels: {q: "10"}}, spec: {clusterIP: 10.96.0.110, ports: [{port: 81}]}}
- {apiVersion: v1, kind: Service, metadata: {name: a010, labels: {q: "1Ki"}}, spec: {clusterIP: 10.96.0.200, ports: [{port: 8080}]}}
- {apiVersion: v1, kind: Service, metadata: {name: b2, labels: {q: "1500m"}}, spec: {clusterIP: 10.100.0.1, ports: [{port: 443}]}}
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("columns"), EXTRA)


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


def test_custom_columns_table(mk):
    r = mk(["get", "svc", "-l", "app", "-o",
            "custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port,SEL:.spec.selector,X:.nope"])
    assert r.code == 0 and r.err == ""
    assert r.out == ("NAME        TYPE        PORTS    SEL                  X\n"
                     "cyberchef   NodePort    80       map[app:cyberchef]   <none>\n"
                     "db          ClusterIP   5432     map[app:db]          <none>\n"
                     "web         ClusterIP   80,443   map[app:web]         <none>\n")


def test_custom_columns_single_object_and_no_headers(mk):
    r = mk(["get", "svc", "web", "-o", "custom-columns=NAME:metadata.name,PORT:{.spec.ports[0].port}"])
    assert r.out == "NAME   PORT\nweb    80\n"
    r = mk(["get", "svc", "web", "db", "--no-headers", "-o", "custom-columns=NAME:.metadata.name"])
    assert r.out == "web\ndb\n"


def test_custom_columns_file(mk, tmp_path):
    f = tmp_path / "cols"
    f.write_text("NAME   TYPE\n.metadata.name {.spec.type}\n")
    r = mk(["get", "svc", "db", "ext", "--no-headers", "-o", f"custom-columns-file={f}"])
    assert r.out == "NAME   TYPE\ndb     ClusterIP\next    ExternalName\n"  # kubectl ignores --no-headers here
    f.write_text("NAME   TYPE\n.metadata.name\n")
    r = mk(["get", "svc", "-o", f"custom-columns-file={f}"])
    assert (r.code, r.err) == (1, "error: number of headers (2) and field specifications (1) don't match\n")


@pytest.mark.parametrize("spec,err", [
    ("", "error: custom-columns format specified but no custom columns given\n"),
    ("NAME", "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"),
    ("N:{.metadata.name", "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                          "'{name1.name2}' or '{.name1.name2}'\n"),
])
def test_custom_columns_spec_errors(mk, spec, err):
    r = mk(["get", "svc", "-o", "custom-columns=" + spec])
    assert (r.code, r.out, r.err) == (1, "", err)


def test_custom_columns_execution_error_keeps_the_header(mk):
    r = mk(["get", "svc", "web", "-o", "custom-columns=N:.metadata.name,P:.spec.ports[5]"])
    assert (r.code, r.out, r.err) == (1, "N     P\n", "error: array index out of bounds: index 5, length 2\n")


def test_sort_by_table_and_name(mk):
    r = mk(["get", "svc", "-l", "q", "--sort-by=.spec.clusterIP", "--no-headers", "-o", "custom-columns=N:.metadata.name"])
    assert r.out.split() == ["b2", "a10", "a9", "a010"]  # strings compare bytewise, as kubectl 1.32
    r = mk(["get", "svc", "-l", "q", "--sort-by=.metadata.labels.q", "-o", "name"])
    assert r.out.split() == ["service/b2", "service/a9", "service/a10", "service/a010"]  # quantities: 1500m < 2 < 10 < 1Ki
    r = mk(["get", "svc", "-l", "q", "--sort-by={.spec.ports[0].port}", "--no-headers"])
    assert [line.split()[0] for line in r.out.splitlines()] == ["a9", "a10", "b2", "a010"]
    r = mk(["get", "svc", "--sort-by=.spec.clusterIP", "-o", "name"])
    assert r.out.splitlines()[0] == "service/ext"  # no clusterIP: first


def test_sort_by_missing_field_and_unsortable(mk):
    r = mk(["get", "svc", "--sort-by=.nope"])
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")  # as kubectl 1.32
    r = mk(["get", "svc", "--sort-by=.nope", "-o", "name"])
    assert (r.code, r.err) == (1, 'error: couldn\'t find any field with path "{.nope}" in the list of objects\n')
    r = mk(["get", "svc", "web", "--sort-by=.nope", "-o", "name"])
    assert (r.code, r.out) == (0, "service/web\n")  # one object: nothing to sort
    r = mk(["get", "svc", "--sort-by=.spec.selector", "-o", "name"])
    assert r.code == 1 and r.out == ""
    assert r.err.startswith("F") and r.err.rstrip().endswith(
        "sorter.go:329] Field {.spec.selector} in *unstructured.Unstructured is an unsortable type: interface, "
        "err: unsortable type: map[string]interface {}")


def test_field_selectors(mk):
    r = mk("get svc --field-selector spec.type=NodePort -o name")
    assert (r.code, r.out) == (0, "service/cyberchef\n")
    r = mk("get svc --field-selector spec.type!=ClusterIP,metadata.name!=ext -o name")
    assert r.out == "service/cyberchef\n"
    r = mk("get svc --field-selector metadata.name==web --no-headers -o custom-columns=N:.metadata.name")
    assert r.out == "web\n"
    r = mk("get ns --field-selector metadata.name=kube-system -o name")
    assert r.out == "namespace/kube-system\n"
    r = mk("get svc --field-selector spec.clusterIP=None")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")
    r = mk("get svc --field-selector spec.ports=1")
    assert r.code == 1 and r.out == ""
    assert r.err.startswith('Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label '
                            'selector "", field selector "spec.ports=1": "spec.ports" is not a known field selector')


def test_name_no_headers_sort_and_selectors_together(mk):
    r = mk("get svc -l q --field-selector metadata.name!=a9 --sort-by=.metadata.labels.q --no-headers -o name")
    assert r.out.split() == ["service/b2", "service/a10", "service/a010"]
    r = mk("get svc -l q --field-selector metadata.name!=a9 --sort-by=.metadata.labels.q --no-headers")
    assert [line.split()[0] for line in r.out.splitlines()] == ["b2", "a10", "a010"]
    assert not r.out.startswith("NAME")
