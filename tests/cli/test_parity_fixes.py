"""Small differences from kubectl 1.32 found by tests/parity (each test names the kubectl source
it follows; the expected texts are kubectl 1.32's for the same command line)."""

from __future__ import annotations


def test_get_one_missing_object_structured_prints_only_the_error(cluster):
    # get.go printGeneric: one TYPE NAME implies a single item: its error alone, no empty List
    r = cluster("get svc nope -o yaml")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): services "nope" not found\n')
    r = cluster("get svc nope other -o yaml")  # two names: the empty List, then the errors
    assert r.code == 1 and r.out.startswith("apiVersion: v1\nitems: []\nkind: List\n")


def test_get_ignore_not_found_prints_nothing(cluster):
    # get.go: "No resources found" only when not ignoring NotFound; printGeneric prints nothing
    for line in ("get deploy nope --ignore-not-found", "get deploy -l app=nope --ignore-not-found",
                 "get deploy nope -o yaml --ignore-not-found", "get deploy -l app=nope -o json --ignore-not-found"):
        r = cluster(line)
        assert (r.code, r.out, r.err) == (0, "", ""), line


def test_resource_with_a_group_that_does_not_map(cluster):
    # apimachinery schema.ParseResourceArg + the RESTMapper: the group (or version.group) must be the
    # resource's; kubectl then names only the resource part
    for word, res in (("deploy.nope", "deploy"), ("pods.v1", "pods"), ("svc.v2", "svc"),
                      ("cronjobs.v2.batch", "cronjobs"), ("deployment.extensions", "deployment")):
        r = cluster(f"get {word}")
        assert (r.code, r.out, r.err) == (1, "", f'error: the server doesn\'t have a resource type "{res}"\n'), word
    for word in ("deploy.apps", "Deployment.apps", "deployments.v1.apps", "cronjobs.v1.batch",
                 "ingresses.networking.k8s.io", "ing.networking"):
        assert cluster(f"get {word}").code == 0, word
