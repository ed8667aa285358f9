"""The RBAC authorizer's matching (plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows and
pkg/apis/rbac/v1/evaluation_helpers.go) and kubectl's rule table (kubectl/pkg/util/rbac/rbac.go)."""

from __future__ import annotations

from minikctl.api import rbac


def _res(verb, resource, group="", sub="", name=""):
    return {"verb": verb, "resource": resource, "group": group, "subresource": sub, "name": name, "namespace": "ns"}


def test_resource_rules():
    rule = {"apiGroups": [""], "resources": ["pods", "*/status"], "verbs": ["get"]}
    assert rbac.rule_allows(_res("get", "pods"), rule)
    assert not rbac.rule_allows(_res("list", "pods"), rule)
    assert not rbac.rule_allows(_res("get", "pods", sub="log"), rule)  # pods does not cover pods/log
    assert rbac.rule_allows(_res("get", "deployments", sub="status"), {**rule, "apiGroups": ["*"]})
    assert not rbac.rule_allows(_res("get", "deployments", group="apps"), rule)
    named = {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["*"], "resourceNames": ["a"]}
    assert rbac.rule_allows(_res("delete", "configmaps", name="a"), named)
    assert not rbac.rule_allows(_res("list", "configmaps"), named)


def test_non_resource_rules():
    rule = {"nonResourceURLs": ["/healthz", "/logs/*"], "verbs": ["get"]}
    assert rbac.rule_allows({"verb": "get", "path": "/healthz"}, rule)
    assert rbac.rule_allows({"verb": "get", "path": "/logs/x/y"}, rule)
    assert not rbac.rule_allows({"verb": "get", "path": "/healthz/x"}, rule)
    assert not rbac.rule_allows({"verb": "post", "path": "/healthz"}, rule)


def test_impersonated_users_groups():
    sa = rbac.impersonate("system:serviceaccount:ns:app", [])
    assert sa.groups == ("system:serviceaccounts", "system:serviceaccounts:ns", "system:authenticated")
    assert rbac.impersonate("jane", ["devs"]).groups == ("devs", "system:authenticated")
    assert rbac.impersonate("jane", ["system:unauthenticated"]).groups == ("system:unauthenticated",)
    assert rbac.impersonate("system:anonymous", []).groups == ("system:unauthenticated",)


def test_subjects():
    sa = rbac.User("system:serviceaccount:ns:app", ())
    assert rbac.applies_to(sa, {"kind": "ServiceAccount", "name": "app"}, "ns")  # the binding's namespace
    assert not rbac.applies_to(sa, {"kind": "ServiceAccount", "name": "app"}, "")
    assert rbac.applies_to(sa, {"kind": "ServiceAccount", "name": "app", "namespace": "ns"}, "")


def test_rule_table_sorts_as_kubectl():
    rows = rbac.rule_table([{"apiGroups": ["apps", ""], "resources": ["deployments"], "verbs": ["get", "list"]},
                            {"nonResourceURLs": ["/a"], "verbs": ["get"]}])
    assert rows == [("deployments", "[]", "[]", "[get list]"), ("deployments.apps", "[]", "[]", "[get list]"),
                    ("", "[/a]", "[]", "[get]")]
