"""auth can-i | whoami (issue 12): kubectl 1.32's cani.go and whoami.go over the RBAC authorizer
(plugin/pkg/auth/authorizer/rbac/rbac.go). The default user is kind's kubeconfig user."""

from __future__ import annotations

import pytest

WHOAMI = (
    "ATTRIBUTE                                           VALUE\n"
    "Username                                            kubernetes-admin\n"
    "Groups                                              [kubeadm:cluster-admins system:authenticated]\n"
    "Extra: authentication.kubernetes.io/credential-id   "
    "[X509SHA256=6a4a1c0c2e1d0bdf5f7b6e6f2b9c8a0d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b]\n")


def test_whoami_is_kinds_admin(cluster):
    assert cluster("auth whoami").out == WHOAMI


def test_whoami_as_a_service_account(cluster):
    r = cluster("auth whoami --as=system:serviceaccount:default:default")
    assert r.out == ("ATTRIBUTE   VALUE\n"
                     "Username    system:serviceaccount:default:default\n"
                     "Groups      [system:serviceaccounts system:serviceaccounts:default system:authenticated]\n")
    r = cluster("auth whoami --as=jane --as-group=devs -o yaml")
    assert r.out == ("apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n"
                     "  creationTimestamp: null\nstatus:\n  userInfo:\n    groups:\n    - devs\n"
                     "    - system:authenticated\n    username: jane\n")


def test_the_admin_can_do_everything(cluster):
    for cmd in ("auth can-i get pods", "auth can-i delete nodes -A", "auth can-i '*' '*'", "auth can-i get /metrics",
                "auth can-i create deployments.apps -n kube-system"):
        r = cluster(cmd)
        assert (r.code, r.out) == (0, "yes\n"), cmd


def test_a_service_account_needs_a_binding(cluster):
    sa = "--as=system:serviceaccount:default:default"
    r = cluster(f"auth can-i list pods {sa}")
    assert (r.code, r.out, r.err) == (1, "no\n", "")
    cluster("create role pod-reader --verb=get,list --resource=pods")
    cluster("create rolebinding rb --role=pod-reader --serviceaccount=default:default")
    assert cluster(f"auth can-i list pods {sa}").out == "yes\n"
    assert cluster(f"auth can-i list pods {sa} -n kube-system").out == "no\n"
    assert cluster(f"auth can-i delete pods {sa}").out == "no\n"
    assert cluster(f"auth can-i get pods --subresource=log {sa}").out == "no\n"
    r = cluster(f"auth can-i delete pods {sa} -q")
    assert (r.code, r.out) == (1, "")
    # a ClusterRole bound in one namespace (the namespace of the subject defaults to the binding's)
    cluster("create rolebinding viewers --clusterrole=view --serviceaccount=kube-system:default -n kube-system")
    kube_sa = "--as=system:serviceaccount:kube-system:default"
    assert cluster(f"auth can-i get deployments.apps -n kube-system {kube_sa}").out == "yes\n"
    assert cluster(f"auth can-i get secrets -n kube-system {kube_sa}").out == "no\n"  # view has no secrets


def test_resource_names_groups_and_non_resource_urls(cluster):
    cluster("create clusterrole one-cm --verb=get --resource=configmaps --resource-name=app")
    cluster("create clusterrole metrics --verb=get --non-resource-url=/metrics/*")
    cluster("create clusterrolebinding b1 --clusterrole=one-cm --user=jane")
    cluster("create clusterrolebinding b2 --clusterrole=metrics --group=ops")
    assert cluster("auth can-i get configmaps/app --as=jane").out == "yes\n"
    assert cluster("auth can-i get configmaps/other --as=jane").out == "no\n"
    assert cluster("auth can-i get configmaps --as=jane").out == "no\n"
    assert cluster("auth can-i get /metrics/slis --as=jane --as-group=ops").out == "yes\n"
    assert cluster("auth can-i get /metrics/slis --as=jane").out == "no\n"
    # every authenticated user may read the discovery and health URLs (system:discovery, public-info-viewer)
    assert cluster("auth can-i get /healthz --as=jane").out == "yes\n"
    assert cluster("auth can-i post /healthz --as=jane").out == "no\n"


def test_a_binding_to_a_missing_role_gives_the_reason(cluster):
    cluster("create rolebinding broken --role=nope --user=jane")
    r = cluster("auth can-i delete pods --as=jane")
    assert (r.code, r.out) == (1, 'no - RBAC: role.rbac.authorization.k8s.io "nope" not found\n')


def test_list(cluster):
    cluster("create role pod-reader --verb=get,list --resource=pods,pods/log")
    cluster("create rolebinding rb --role=pod-reader --user=jane")
    r = cluster("auth can-i --list --as=jane")
    assert r.code == 0
    assert r.lines[:6] == [
        "Resources                                       Non-Resource URLs   Resource Names   Verbs",
        "selfsubjectreviews.authentication.k8s.io        []                  []               [create]",
        "selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]",
        "selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]",
        "pods/log                                        []                  []               [get list]",
        "pods                                            []                  []               [get list]",
    ]
    # the non-resource rules of system:discovery and system:public-info-viewer, duplicates kept
    assert r.lines[6:11] == [
        "                                                [/api/*]            []               [get]",
        "                                                [/api]              []               [get]",
        "                                                [/apis/*]           []               [get]",
        "                                                [/apis]             []               [get]",
        "                                                [/healthz]          []               [get]",
    ]
    assert r.lines.count("                                                [/healthz]          []               [get]") == 2
    admin = cluster("auth can-i --list --no-headers")
    assert admin.lines[:3] == [  # cluster-admin's rules (kubeadm:cluster-admins), then system:basic-user's
        "*.*                                             []             []    [*]",
        "                                                [*]            []    [*]",
        "selfsubjectreviews.authentication.k8s.io        []             []    [create]",
    ]


@pytest.mark.parametrize("cmd,err", [
    ("auth can-i get", "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
                       "See 'minikctl auth can-i -h' for help and examples.\n"),
    ("auth can-i --list x", "error: list option must be specified with no arguments\n"),
    ("auth can-i --list -q", "error: list option can't be specified with neither quiet, all-namespaces nor "
                             "subresource options\n"),
    ("auth can-i get pods --no-headers", "error: --no-headers cannot be set without --list specified\n"),
    ("auth can-i get /x --subresource=log", "error: --subresource can not be used with NonResourceURL\n"),
    ("auth can-i get pods --as-group=x",
     "error: requesting uid, groups or user-extra for  without impersonating a user\n"),
])
def test_can_i_errors_as_kubectl(cluster, cmd, err):
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_can_i_warnings(cluster):
    r = cluster("auth can-i frob foos")
    # each followed by a blank line, as kubectl 1.32 prints them (cani.go's "...\n" + WarningPrinter's newline)
    assert (r.code, r.out, r.err) == (0, "yes\n", "Warning: the server doesn't have a resource type 'foos'\n\n"
                                                  "Warning: verb 'frob' is not a known verb\n\n")
    r = cluster("auth can-i get nodes --as=jane")
    assert (r.code, r.out, r.err) == (1, "no\n", "Warning: resource 'nodes' is not namespace scoped\n\n")
    r = cluster("auth can-i get clusterroles --as=jane -A")
    assert (r.code, r.out, r.err) == (1, "no\n", "")


RECONCILE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
  namespace: newns
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: newns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: jane
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ignored
"""


def test_reconcile_creates_then_adds_what_is_missing(cluster, tmp_path):
    from conftest import write

    path = write(tmp_path, "rbac.yaml", RECONCILE)
    r = cluster(f"auth reconcile -f {path}")
    assert (r.code, r.out) == (0, "role.rbac.authorization.k8s.io/r reconciled\n"
                                  "rolebinding.rbac.authorization.k8s.io/rb reconciled\n")
    assert r.err == ("\treconciliation required create\n"
                     "\tmissing rules added:\n"
                     "\t\t{Verbs:[get list] APIGroups:[] Resources:[pods] ResourceNames:[] NonResourceURLs:[]}\n"
                     "\treconciliation required create\n"
                     "\tmissing subjects added:\n"
                     "\t\t{Kind:User APIGroup:rbac.authorization.k8s.io Name:jane Namespace:}\n")
    assert cluster("get ns newns").code == 0  # RoleModifier creates the namespace
    assert cluster("get configmap ignored").code == 1  # not an RBAC object: skipped
    assert cluster("auth can-i list pods -n newns --as=jane").out == "yes\n"
    # nothing to do the second time
    r = cluster(f"auth reconcile -f {path}")
    assert (r.code, r.err) == (0, "")
    # a role with more: the missing rule is added, the extra ones kept unless asked
    cluster("delete role r -n newns")
    cluster("create role r -n newns --verb=get,delete --resource=pods,services")
    r = cluster(f"auth reconcile -f {path} --dry-run=client")
    assert r.out.startswith("role.rbac.authorization.k8s.io/r reconciled (dry run)\n")
    assert r.err == ("\treconciliation required update\n"
                     "\tmissing rules added:\n"
                     "\t\t{Verbs:[list] APIGroups:[] Resources:[pods] ResourceNames:[] NonResourceURLs:[]}\n")
    r = cluster(f"auth reconcile -f {path} --remove-extra-permissions")
    assert r.err == ("\treconciliation required update\n"
                     "\tmissing rules added:\n"
                     "\t\t{Verbs:[list] APIGroups:[] Resources:[pods] ResourceNames:[] NonResourceURLs:[]}\n"
                     "\textra rules removed:\n"
                     "\t\t{Verbs:[delete] APIGroups:[] Resources:[pods] ResourceNames:[] NonResourceURLs:[]}\n"
                     "\t\t{Verbs:[get] APIGroups:[] Resources:[services] ResourceNames:[] NonResourceURLs:[]}\n"
                     "\t\t{Verbs:[delete] APIGroups:[] Resources:[services] ResourceNames:[] NonResourceURLs:[]}\n")
    assert cluster("get role r -n newns -o jsonpath={.rules}").out == \
        '[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]'


def test_reconcile_recreates_a_binding_whose_role_changed(cluster, tmp_path):
    from conftest import write

    cluster("create ns newns")
    cluster("create rolebinding rb -n newns --clusterrole=view --user=bob")
    r = cluster(f"auth reconcile -f {write(tmp_path, 'rbac.yaml', RECONCILE)}")
    assert r.err.endswith("\treconciliation required recreate\n")
    assert cluster("get rolebinding rb -n newns -o wide").lines[1].split()[:4] == ["rb", "Role/r", "0s", "jane"]


def test_reconcile_leaves_an_opted_out_object_alone(cluster, tmp_path):
    from conftest import write

    cluster("create ns newns")
    cluster("create role r -n newns --verb=get --resource=pods")
    cluster("annotate role r -n newns rbac.authorization.kubernetes.io/autoupdate=false")
    r = cluster(f"auth reconcile -f {write(tmp_path, 'rbac.yaml', RECONCILE)}")
    assert r.err.startswith("\treconciliation required update, but object opted out "
                            "(rbac.authorization.kubernetes.io/autoupdate: false)\n")
    assert cluster("get role r -n newns -o jsonpath={.rules[0].verbs}").out == '["get"]'
