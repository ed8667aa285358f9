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
