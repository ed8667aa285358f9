"""RBAC kinds (issue 12): kind's bootstrap policy, get/describe as kubectl 1.32, kube-apiserver's
validation (pkg/apis/rbac/validation/validation.go), ClusterRole aggregation
(pkg/controller/clusterroleaggregation), and the create generators (kubectl/pkg/cmd/create/create_role.go,
create_clusterrole.go, create_rolebinding.go, create_clusterrolebinding.go)."""

from __future__ import annotations

from conftest import write


def test_a_new_cluster_has_kinds_default_cluster_roles(cluster):
    r = cluster("get clusterroles -o name")
    names = r.out.split()
    for n in ("admin", "cluster-admin", "edit", "view", "system:basic-user", "system:discovery",
              "system:public-info-viewer", "system:aggregate-to-view"):
        assert f"clusterrole.rbac.authorization.k8s.io/{n}" in names
    r = cluster("get clusterrolebinding kubeadm:cluster-admins cluster-admin -o wide")
    assert r.out == (
        "NAME                     ROLE                        AGE   USERS   GROUPS                   SERVICEACCOUNTS\n"
        "kubeadm:cluster-admins   ClusterRole/cluster-admin   0s            kubeadm:cluster-admins   \n"
        "cluster-admin            ClusterRole/cluster-admin   0s            system:masters           \n")


def test_aggregated_roles_hold_the_rules_of_the_roles_they_select(cluster):
    import json

    view = json.loads(cluster("get clusterrole view -o json").out)
    edit = json.loads(cluster("get clusterrole edit -o json").out)
    agg_view = json.loads(cluster("get clusterrole system:aggregate-to-view -o json").out)
    assert view["rules"] == agg_view["rules"]
    assert all(r in edit["rules"] for r in view["rules"])  # edit aggregates view (aggregate-to-edit)
    # a new role labelled aggregate-to-view is added to view, edit and admin; removed again on delete
    m = write_role = cluster("create clusterrole extra --verb=get --resource=configmaps --dry-run=client -o json")
    obj = json.loads(m.out)
    obj["metadata"]["labels"] = {"rbac.authorization.k8s.io/aggregate-to-view": "true"}
    obj["rules"] = [{"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get"]}]
    assert cluster("apply -f -", input=json.dumps(obj)).code == 0
    for role in ("view", "edit", "admin"):
        rules = json.loads(cluster(f"get clusterrole {role} -o json").out)["rules"]
        assert obj["rules"][0] in rules, role
    assert cluster("delete clusterrole extra").code == 0
    rules = json.loads(cluster("get clusterrole view -o json").out)["rules"]
    assert obj["rules"][0] not in rules
    del write_role


def test_get_roles_and_bindings_columns(cluster):
    assert cluster("create role pod-reader --verb=get,list --resource=pods,pods/log").out == \
        "role.rbac.authorization.k8s.io/pod-reader created\n"
    assert cluster("create rolebinding rb --role=pod-reader --serviceaccount=default:default --user=jane "
                   "--group=devs").code == 0
    cluster("clock advance 90s")
    r = cluster("get roles")
    assert r.lines[0] == "NAME         CREATED AT"
    assert r.lines[1].startswith("pod-reader   ") and r.lines[1].endswith("Z")
    assert cluster("get rolebindings").out == ("NAME   ROLE              AGE\n"
                                               "rb     Role/pod-reader   90s\n")
    assert cluster("get rolebindings -o wide").out == (
        "NAME   ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\n"
        "rb     Role/pod-reader   90s   jane    devs     default/default\n")


def test_describe_role_and_binding_as_kubectl(cluster):
    cluster("create role pod-reader --verb=get,list --resource=pods,pods/log,deployments.apps --resource-name=a")
    cluster("create rolebinding rb --role=pod-reader --serviceaccount=default:default --user=jane")
    # RoleDescriber: rules broken down, compacted and sorted by PolicyRule.String() (APIGroups:[] of the
    # core group sorts before [apps]; pods/log before pods)
    assert cluster("describe role pod-reader").out == (
        "Name:         pod-reader\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources         Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------         -----------------  --------------  -----\n"
        "  pods/log          []                 [a]             [get list]\n"
        "  pods              []                 [a]             [get list]\n"
        "  deployments.apps  []                 [a]             [get list]\n")
    assert cluster("describe rolebinding rb").out == (
        "Name:         rb\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Role:\n"
        "  Kind:  Role\n"
        "  Name:  pod-reader\n"
        "Subjects:\n"
        "  Kind            Name     Namespace\n"
        "  ----            ----     ---------\n"
        "  User            jane     \n"
        "  ServiceAccount  default  default\n")


def test_describe_cluster_role_with_non_resource_urls(cluster):
    assert cluster("describe clusterrole system:public-info-viewer").out == (
        "Name:         system:public-info-viewer\n"
        "Labels:       kubernetes.io/bootstrapping=rbac-defaults\n"
        "Annotations:  rbac.authorization.kubernetes.io/autoupdate: true\n"
        "PolicyRule:\n"
        "  Resources  Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------  -----------------  --------------  -----\n"
        "             [/healthz]         []              [get]\n"
        "             [/livez]           []              [get]\n"
        "             [/readyz]          []              [get]\n"
        "             [/version/]        []              [get]\n"
        "             [/version]         []              [get]\n")


BAD_ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: bad
rules:
- verbs: []
  nonResourceURLs: ["/x"]
  resources: [pods]
- apiGroups: []
"""


def test_role_validation_as_kube_apiserver(cluster, tmp_path):
    r = cluster(f"apply -f {write(tmp_path, 'r.yaml', BAD_ROLE)}")
    assert r.code == 1
    assert r.err == (
        'The Role "bad" is invalid: \n'
        "* rules[0].verbs: Required value: verbs must contain at least one value\n"
        '* rules[0].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs\n'
        '* rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and '
        "non-resource URLs\n"
        "* rules[1].verbs: Required value: verbs must contain at least one value\n"
        "* rules[1].apiGroups: Required value: resource rules must supply at least one api group\n"
        "* rules[1].resources: Required value: resource rules must supply at least one resource\n")
    assert cluster("get role bad").code == 1


BAD_BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  kind: Foo
  name: a/b
subjects:
- kind: ServiceAccount
  name: sa
  apiGroup: x
- kind: Robot
  name: r
- kind: User
"""

BAD_CLUSTER_BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  kind: Role
  name: x
subjects:
- kind: ServiceAccount
  name: sa
"""


def test_binding_validation_as_kube_apiserver(cluster, tmp_path):
    r = cluster(f"apply -f {write(tmp_path, 'rb.yaml', BAD_BINDING)}")
    assert (r.code, r.err) == (1, (
        'The RoleBinding "rb" is invalid: \n'
        '* roleRef.kind: Unsupported value: "Foo": supported values: "Role", "ClusterRole"\n'
        "* roleRef.name: Invalid value: \"a/b\": may not contain '/'\n"
        '* subjects[0].apiGroup: Unsupported value: "x": supported values: ""\n'
        '* subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"\n'
        "* subjects[2].name: Required value\n"))
    r = cluster(f"apply -f {write(tmp_path, 'crb.yaml', BAD_CLUSTER_BINDING)}")
    assert (r.code, r.err) == (1, (
        'The ClusterRoleBinding "crb" is invalid: \n'
        '* roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"\n'
        "* subjects[0].namespace: Required value\n"))
    assert cluster("get rolebinding rb").code == 1 and cluster("get clusterrolebinding crb").code == 1


def test_binding_defaults_and_immutable_role_ref(cluster, tmp_path):
    doc = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n"
           "roleRef:\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: User\n  name: jane\n"
           "- kind: ServiceAccount\n  name: default\n")
    assert cluster(f"apply -f {write(tmp_path, 'rb.yaml', doc)}").code == 0
    r = cluster("get rolebinding rb -o jsonpath={.roleRef.apiGroup}|{.subjects[0].apiGroup}|{.subjects[1]}")
    assert r.out == 'rbac.authorization.k8s.io|rbac.authorization.k8s.io|{"kind":"ServiceAccount","name":"default"}'
    before = cluster("get rolebinding rb -o yaml").out
    r = cluster(["patch", "rolebinding", "rb", "-p", '{"roleRef":{"name":"edit"}}'])
    assert (r.code, r.err) == (1, 'The RoleBinding "rb" is invalid: roleRef: Invalid value: rbac.RoleRef{'
                                  'APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: '
                                  "cannot change roleRef\n")
    assert cluster("get rolebinding rb -o yaml").out == before


# ---- create generators: outputs and errors pasted from kubectl 1.32 (offline, --dry-run=client)

CLUSTERROLE_URL = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: c
rules:
- nonResourceURLs:
  - /logs/*
  verbs:
  - get
"""

CLUSTERROLE_AGG = """aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      a: b
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: c
rules: null
"""

ROLEBINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  creationTimestamp: null
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: r
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: u
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: g
- kind: ServiceAccount
  name: sa
  namespace: ns
"""

CLUSTERROLE_STAR = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: c
rules:
- nonResourceURLs:
  - /x
  verbs:
  - '*'
"""


def test_create_generators_print_what_kubectl_prints(cluster):
    def dry(cmd):
        return cluster(f"{cmd} --dry-run=client -o yaml")

    assert dry("create clusterrole c --verb=get --non-resource-url=/logs/*").out == CLUSTERROLE_URL
    assert dry("create clusterrole c --aggregation-rule=a=b").out == CLUSTERROLE_AGG
    assert dry("create rolebinding rb --role=r --user=u --group=g --serviceaccount=ns:sa").out == ROLEBINDING
    # --verb=get,* is only '*'; --resource-name is ignored for URLs; URLs are de-duplicated
    assert dry("create clusterrole c --verb=get,* --non-resource-url=/x --resource-name=a").out == CLUSTERROLE_STAR
    assert dry("create clusterrole c --verb=* --non-resource-url=/x,/x").out == CLUSTERROLE_STAR


def test_create_role_maps_resources_through_discovery(cluster):
    r = cluster("create role r --verb=get,list --resource=pods,deployments.apps,pods/log,rs --resource-name=a "
                "--dry-run=client -o yaml")
    assert r.out == ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  creationTimestamp: null\n"
                     "  name: r\nrules:\n- apiGroups:\n  - \"\"\n  resourceNames:\n  - a\n  resources:\n  - pods\n"
                     "  - pods/log\n  verbs:\n  - get\n  - list\n- apiGroups:\n  - apps\n  resourceNames:\n  - a\n"
                     "  resources:\n  - deployments\n  - replicasets\n  verbs:\n  - get\n  - list\n")


def test_create_generator_errors_as_kubectl(cluster):
    cases = {
        "create role r --verb=get": "error: at least one resource must be specified\n",
        "create role r --resource=pods": "error: at least one verb must be specified\n",
        "create role": "error: exactly one NAME is required, got 0\nSee 'minikctl create role -h' for help and examples\n",
        "create role r --verb=get --resource=foo": 'the server doesn\'t have a resource type "foo"\n',
        "create role r --verb=bind --resource=pods": "error: can not perform 'bind' on 'pods' in group ''\n",
        "create clusterrole c --verb=get": "error: one of resource or nonResourceURL must be specified\n",
        "create clusterrole c --non-resource-url=/x": "error: at least one verb must be specified\n",
        "create clusterrole c --verb=get --non-resource-url=logs": "error: nonResourceURL should start with /\n",
        "create clusterrole c --verb=list --non-resource-url=/logs": "error: invalid verb: 'list' for nonResourceURL\n",
        "create clusterrole c --verb=get --non-resource-url=/x/*/y":
            "error: nonResourceURL only supports wildcard matches when '*' is at the end\n",
        "create clusterrole c --verb=get --aggregation-rule=a=b --non-resource-url=/x":
            "error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n",
        "create clusterrole c --aggregation-rule=a":
            'error: invalid argument "a" for "--aggregation-rule" flag: malformed pair, expect string=string\n'
            "See 'minikctl create clusterrole --help' for usage.\n",
        "create rolebinding rb": "error: exactly one of clusterrole or role must be specified\n",
        "create rolebinding rb --role=a --clusterrole=b": "error: exactly one of clusterrole or role must be specified\n",
        "create clusterrolebinding rb": 'error: required flag(s) "clusterrole" not set\n',
        "create rolebinding rb --clusterrole=view --serviceaccount=a:b:c": "error: serviceaccount must be <namespace>:<name>\n",
        "create rolebinding rb --role=r --serviceaccount=:sa": "error: serviceaccount must be <namespace>:<name>\n",
    }
    before = cluster("get roles,rolebindings,clusterroles,clusterrolebindings -A -o name").out
    for cmd, err in cases.items():
        r = cluster(cmd)
        assert (r.code, r.out, r.err) == (1, "", err), cmd
    assert cluster("get roles,rolebindings,clusterroles,clusterrolebindings -A -o name").out == before


def test_create_role_warns_on_a_non_standard_verb(cluster):
    r = cluster("create role r --verb=frob --resource=pods")
    assert (r.code, r.err, r.out) == (0, "Warning: 'frob' is not a standard resource verb\n",
                                      "role.rbac.authorization.k8s.io/r created\n")


def test_create_clusterrolebinding_and_api_resources(cluster):
    r = cluster("create clusterrolebinding crb --clusterrole=view --group=g --group=g --serviceaccount=ns:sa")
    assert r.out == "clusterrolebinding.rbac.authorization.k8s.io/crb created\n"
    assert cluster("get clusterrolebinding crb -o wide").lines[1].split() == \
        ["crb", "ClusterRole/view", "0s", "g,", "g", "ns/sa"]
    lines = [ln.split() for ln in cluster("api-resources --api-group=rbac.authorization.k8s.io").lines[1:]]
    assert lines == [["clusterrolebindings", "rbac.authorization.k8s.io/v1", "false", "ClusterRoleBinding"],
                     ["clusterroles", "rbac.authorization.k8s.io/v1", "false", "ClusterRole"],
                     ["rolebindings", "rbac.authorization.k8s.io/v1", "true", "RoleBinding"],
                     ["roles", "rbac.authorization.k8s.io/v1", "true", "Role"]]


def test_create_clusterrole_for_impersonation_needs_no_discovery(cluster):
    # create_role.go validateResource: a special verb's resource (users, groups) clears the mapper's error
    r = cluster("create clusterrole imp --verb=impersonate --resource=users,groups,serviceaccounts "
                "--dry-run=client -o yaml")
    assert r.out == ("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                     "  creationTimestamp: null\n  name: imp\nrules:\n- apiGroups:\n  - \"\"\n  resources:\n"
                     "  - users\n  - groups\n  - serviceaccounts\n  verbs:\n  - impersonate\n")
