"""Helpful errors across the CLI: did-you-mean for misspelled commands, subcommands, kinds
and flags; one line on stderr, nothing on stdout, exit code 1; cluster-info."""

from __future__ import annotations

import pytest

from scripting_setup import build_base, runner


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("hints"))


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


# cobra's "Did you mean this?" block (root commands only) and kubectl's usage lines, as kubectl 1.32
# prints them (see tests/cli/test_hygiene.py for the side-by-side comparison with the real binary).
_SEE_USAGE = "\nSee 'minikctl {} --help' for usage."
_SEE_EXAMPLES = "\nSee 'minikctl {} -h' for help and examples"


@pytest.mark.parametrize("cmd,err", [
    ("gte svc", 'error: unknown command "gte" for "minikctl"\n\nDid you mean this?\n\tget\n'),
    ("descibe svc web", 'error: unknown command "descibe" for "minikctl"\n\nDid you mean this?\n\tdescribe\n'),
    ("lgos web", 'error: unknown command "lgos" for "minikctl"\n\nDid you mean this?\n\tlogs\n'),
    # minikctl's own `lab` is within cobra's distance 2 of "lable" too (after kubectl's commands)
    ("lable svc web a=b", 'error: unknown command "lable" for "minikctl"\n\nDid you mean this?\n\tlabel\n\tlab\n'),
    ("frobnicate", 'error: unknown command "frobnicate" for "minikctl"\n'),
    ("complete", 'error: unknown command "complete" for "minikctl"\n'),  # never the hidden __complete
    # kubectl: `create` (it takes -f) says "Unexpected args", a group command "unknown command"; no hint
    ("create servce clusterip x", "error: Unexpected args: [servce clusterip x]" + _SEE_EXAMPLES.format("create") + "\n"),
    ("create service nodeprt x --tcp=80",
     'error: unknown command "nodeprt x"' + _SEE_EXAMPLES.format("create service") + "\n"),
    ("cluster crate", 'error: unknown command "crate"' + _SEE_EXAMPLES.format("cluster") + "\n"),
    ("expose deployment web --port=80 --targetPort=8080",
     "error: unknown flag: --targetPort (did you mean --target-port?)" + _SEE_USAGE.format("expose") + "\n"),
    ("get svc --sortby=.metadata.name",
     "error: unknown flag: --sortby (did you mean --sort-by?)" + _SEE_USAGE.format("get") + "\n"),
    ("get svc --all-namespace",
     "error: unknown flag: --all-namespace (did you mean --all-namespaces?)" + _SEE_USAGE.format("get") + "\n"),
    ("get svc --no-header", "error: unknown flag: --no-header (did you mean --no-headers?)" + _SEE_USAGE.format("get") + "\n"),
    ("label svc web --overwritte a=b",
     "error: unknown flag: --overwritte (did you mean --overwrite?)" + _SEE_USAGE.format("label") + "\n"),
    ("get svc --bogus-flag", "error: unknown flag: --bogus-flag" + _SEE_USAGE.format("get") + "\n"),
    ("get svc -Z", "error: unknown shorthand flag: 'Z' in -Z" + _SEE_USAGE.format("get") + "\n"),
])
def test_usage_errors_exit_1(mk, cmd, err):
    r = mk(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)


@pytest.mark.parametrize("cmd,err", [
    ("get servcies", 'error: the server doesn\'t have a resource type "servcies" (did you mean "services"?)'),
    ("get pdos", 'error: the server doesn\'t have a resource type "pdos" (did you mean "pods"?)'),
    ("describe deplyoment web", 'error: the server doesn\'t have a resource type "deplyoment" (did you mean "deployment"?)'),
    ("get svc,enpoints", 'error: the server doesn\'t have a resource type "enpoints" (did you mean "endpoints"?)'),
    ("get svcs/web", 'error: the server doesn\'t have a resource type "svcs" (did you mean "svc"?)'),
    ("get widgets", 'error: the server doesn\'t have a resource type "widgets"'),
])
def test_one_line_hint_exit_1(mk, cmd, err):
    r = mk(cmd)
    assert (r.code, r.out, r.err) == (1, "", err + "\n")


def test_errors_leave_the_store_unchanged(mk):
    before = mk("get svc -o yaml").out
    for cmd in ("lable svc web a=b", "label svc web --overwritte a=b", "patch svc web -p '{bad'",
                "label svc web app=other", "annotate svc web a- a=1"):
        assert mk(cmd).code == 1
    assert mk("get svc -o yaml").out == before


def test_stdout_is_clean_on_partial_failure(mk):
    """Successes on stdout, failures on stderr, exit 1 when any failed (kubectl's ContinueOnError)."""
    r = mk("label svc web nope db x=1")
    assert r.code == 1
    assert r.out == "service/web labeled\nservice/db labeled\n"
    assert r.err == 'Error from server (NotFound): services "nope" not found\n'


def test_cluster_info(mk):
    r = mk("cluster-info")
    assert r.code == 0 and r.err == ""
    assert r.out == ("Kubernetes control plane is running at https://172.18.0.2:6443\n"
                     "CoreDNS is running at https://172.18.0.2:6443/api/v1/namespaces/kube-system/services/"
                     "kube-dns:dns/proxy\n\n"
                     "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
