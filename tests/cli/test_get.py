"""get: kubectl 1.32's tables (pkg/printers/internalversion/printers.go), -o yaml/json/name, selectors."""

from __future__ import annotations

import json


def _svc(cluster, name, ip, *extra):
    r = cluster(["create", "service", "clusterip", name, "--tcp=80:8080", f"--clusterip={ip}", *extra])
    assert r.code == 0, r


def test_get_services_table_exact(cluster):
    _svc(cluster, "web", "10.96.100.100")
    r = cluster("get svc")
    assert r.code == 0
    assert r.out == (
        "NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n"
        "kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP   0s\n"
        "web          ClusterIP   10.96.100.100   <none>        80/TCP    0s\n"
    )
    assert r.err == ""


def test_get_services_wide_shows_selector(cluster):
    _svc(cluster, "web", "10.96.100.100")
    r = cluster("get svc web -o wide")
    assert r.out == (
        "NAME   TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE   SELECTOR\n"
        "web    ClusterIP   10.96.100.100   <none>        80/TCP    0s    app=web\n"
    )


def test_age_follows_the_cluster_clock(cluster):
    _svc(cluster, "web", "10.96.100.100")
    assert cluster("clock advance 90s").code == 0
    assert cluster("get svc web --no-headers").out.split()[-1] == "90s"
    assert cluster("clock advance 2h").code == 0
    assert cluster("get svc web --no-headers").out.split()[-1] == "121m"
    assert cluster("clock advance 30h").code == 0
    assert cluster("get svc web --no-headers").out.split()[-1] == "32h"


def test_all_namespaces_adds_namespace_column(cluster):
    r = cluster("get svc -A")
    assert r.lines[0].split() == ["NAMESPACE", "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    rows = {(line.split()[0], line.split()[1]): line for line in r.lines[1:]}
    assert rows[("default", "kubernetes")].split()[2:4] == ["ClusterIP", "10.96.0.1"]
    assert "53/UDP,53/TCP,9153/TCP" in rows[("kube-system", "kube-dns")]


def test_no_resources_message_on_stderr(cluster):
    assert cluster("create namespace empty").code == 0
    r = cluster("get svc -n empty")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in empty namespace.\n")
    r = cluster("get svc -A -l nothing=here")
    assert (r.code, r.out, r.err) == (0, "", "No resources found\n")


def test_not_found_is_kubectl_error(cluster):
    r = cluster("get svc nope")
    assert (r.code, r.out) == (1, "")
    assert r.err == 'Error from server (NotFound): services "nope" not found\n'
    r = cluster("get deploy nope")
    assert r.err == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_found_and_missing_names_together(cluster):
    _svc(cluster, "web", "10.96.100.100")
    r = cluster("get svc web nope")
    assert r.code == 1
    assert "web " in r.out
    assert r.err == 'Error from server (NotFound): services "nope" not found\n'


def test_unknown_resource_type(cluster):
    r = cluster("get widgets")
    assert r.code == 1
    assert r.err == 'error: the server doesn\'t have a resource type "widgets"\n'
    r = cluster("get servcies")
    assert r.err == 'error: the server doesn\'t have a resource type "servcies" (did you mean "services"?)\n'


def test_type_slash_name_and_several_kinds(cluster):
    _svc(cluster, "web", "10.96.100.100")
    r = cluster("get svc/web ns/default")
    assert r.code == 0
    assert "service/web" in r.out and "namespace/default" in r.out
    assert "\n\nNAME" in r.out  # one table per kind, separated by a blank line
    r = cluster("get svc,ns -o name")
    assert "service/kubernetes\nservice/web\n" in r.out and "namespace/kube-system\n" in r.out


def test_output_yaml_single_object_and_list(cluster):
    _svc(cluster, "web", "10.96.100.100")
    r = cluster("get svc web -o yaml")
    assert r.out.startswith("apiVersion: v1\nkind: Service\nmetadata:\n")
    assert "  clusterIP: 10.96.100.100\n" in r.out
    assert "  - name: 80-8080\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n" in r.out
    r = cluster("get svc -o yaml")
    assert r.out.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n")
    assert r.out.endswith("kind: List\nmetadata:\n  resourceVersion: \"\"\n")


def test_output_json(cluster):
    _svc(cluster, "web", "10.96.100.100")
    obj = json.loads(cluster("get svc web -o json").out)
    assert obj["kind"] == "Service" and obj["spec"]["clusterIP"] == "10.96.100.100"
    assert cluster("get svc web -o json").out.startswith('{\n    "apiVersion": "v1",\n')
    lst = json.loads(cluster("get svc -o json").out)
    assert lst["kind"] == "List" and [i["metadata"]["name"] for i in lst["items"]] == ["kubernetes", "web"]


def test_label_selectors_equality_and_set_based(cluster):
    _svc(cluster, "web", "10.96.100.100")
    _svc(cluster, "api", "10.96.100.101")
    assert cluster("get svc -l app=web -o name").out == "service/web\n"
    assert cluster("get svc -l 'app in (web,api)' -o name").out == "service/api\nservice/web\n"
    assert cluster("get svc -l 'app notin (web)' -o name").out == "service/api\nservice/kubernetes\n"
    assert cluster("get svc -l app!=web -o name").out == "service/api\nservice/kubernetes\n"
    assert cluster("get svc -l app -o name").out == "service/api\nservice/web\n"
    assert cluster("get svc -l '!app' -o name").out == "service/kubernetes\n"
    r = cluster("get svc -l 'app in web'")
    assert r.code == 1 and r.err.startswith("error: unable to parse requirement")


def test_show_labels_and_no_headers(cluster):
    _svc(cluster, "web", "10.96.100.100")
    r = cluster("get svc web --show-labels --no-headers")
    assert r.out == "web   ClusterIP   10.96.100.100   <none>   80/TCP   0s    app=web\n"


def test_unknown_output_format(cluster):
    r = cluster("get svc -o xml")
    assert r.code == 1
    assert r.err.startswith('error: unable to match a printer suitable for the output format "xml", allowed formats are: ')


def test_get_nodes_wide(cluster):
    r = cluster("get nodes -o wide")
    assert r.lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
                                  "KERNEL-VERSION", "CONTAINER-RUNTIME"]
    assert r.lines[1].split()[:6] == ["minikctl-control-plane", "Ready", "control-plane", "0s", "v1.32.0", "172.18.0.2"]
    assert r.lines[2].split()[:3] == ["minikctl-worker", "Ready", "<none>"]


def test_field_selector(cluster):
    _svc(cluster, "web", "10.96.100.100")
    assert cluster("get svc --field-selector metadata.name=web -o name").out == "service/web\n"
    assert cluster("get svc --field-selector spec.type=ClusterIP,metadata.name!=web -o name").out == "service/kubernetes\n"
    r = cluster("get svc --field-selector spec.bogus=1")
    assert r.code == 1 and '"spec.bogus" is not a known field selector' in r.err


def test_bool_shorthand_with_a_value_as_pflag_reads_it(cluster):
    """pflag parseSingleShortArg: `-A=false` is --all-namespaces=false; `-w=maybe` fails as
    strconv.ParseBool does (was `unknown shorthand flag: '='`)."""
    mk = cluster
    assert mk("get pods -A=false").out == ""  # stdout empty, the namespace's "No resources" on stderr
    r = mk("get pods -w=maybe")
    assert (r.code, r.err.splitlines()[0]) == (
        1, 'error: invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax')
