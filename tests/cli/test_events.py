"""minikctl events: kubectl 1.32's events command (staging/src/k8s.io/kubectl/pkg/cmd/events/events.go,
event_printer.go). Expected texts were checked against kubectl 1.32 reading the same events from a stub
API server (see test_sort_order_matches_kubectl for the order of events with equal times)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import store_snapshot


def _node(mk, pod):
    return mk(f"get pod {pod} -o jsonpath={{.spec.nodeName}}").out


@pytest.fixture
def two_pods(cluster):
    assert cluster("run web --image=nginx").code == 0
    assert cluster("run bad --image=nginxx").code == 0
    assert cluster("clock advance 40s").code == 0
    return cluster


PULL_ERR = ('Failed to pull image "nginxx": failed to pull and unpack image "docker.io/library/nginxx:latest": '
            'failed to resolve reference "docker.io/library/nginxx:latest": pull access denied, repository does not '
            'exist or may require authorization: server message: insufficient_scope: authorization failed')


def test_events_table_sorted_by_last_seen(two_pods):
    mk = two_pods
    r = mk("events")
    assert r.code == 0 and r.err == ""
    web, bad = _node(mk, "web"), _node(mk, "bad")
    assert r.out == (
        "LAST SEEN           TYPE      REASON      OBJECT    MESSAGE\n"
        f"40s                 Normal    Scheduled   Pod/bad   Successfully assigned default/bad to {bad}\n"
        f"40s                 Normal    Scheduled   Pod/web   Successfully assigned default/web to {web}\n"
        "40s                 Normal    Pulling     Pod/web   Pulling image \"nginx\"\n"
        "40s                 Normal    Pulled      Pod/web   Successfully pulled image \"nginx\" in 8.812s (8.812s including "
        "waiting). Image size: 120562919 bytes.\n"
        "40s                 Normal    Created     Pod/web   Created container: web\n"
        "40s                 Normal    Started     Pod/web   Started container web\n"
        "19s (x2 over 39s)   Normal    BackOff     Pod/bad   Back-off pulling image \"nginxx\"\n"
        "19s (x2 over 39s)   Warning   Failed      Pod/bad   Error: ImagePullBackOff\n"
        "9s (x3 over 40s)    Normal    Pulling     Pod/bad   Pulling image \"nginxx\"\n"
        f"9s (x3 over 40s)    Warning   Failed      Pod/bad   {PULL_ERR}\n"
        "9s (x3 over 40s)    Warning   Failed      Pod/bad   Error: ErrImagePull\n")


def test_events_for_types_all_namespaces_no_headers(two_pods):
    mk = two_pods
    r = mk("events -A --for pod/bad --types=warning --no-headers")
    assert r.code == 0
    assert r.out == ("default   19s (x2 over 39s)   Warning   Failed   Pod/bad   Error: ImagePullBackOff\n"
                     f"default   9s (x3 over 40s)    Warning   Failed   Pod/bad   {PULL_ERR}\n"
                     "default   9s (x3 over 40s)    Warning   Failed   Pod/bad   Error: ErrImagePull\n")
    r = mk("events -A --for po/web --types Normal,Warning")
    assert r.lines[0].split() == ["NAMESPACE", "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert len(r.lines) == 6 and all("Pod/web" in line for line in r.lines[1:])


def test_events_for_kind_checks_api_version_and_name(two_pods):
    mk = two_pods
    assert mk("create deployment d --image=nginx").code == 0
    r = mk("events --for Deployment.apps/d")
    assert r.lines[1:] == ["0s          Normal   ScalingReplicaSet   Deployment/d   "
                           + r.lines[1].split("Deployment/d   ", 1)[1]]
    assert "Scaled up replica set d-" in r.out
    r = mk("events --for deploy/nope")
    assert (r.code, r.out, r.err) == (0, "", "No events found in default namespace.\n")


def test_no_events(cluster):
    r = cluster("events -n empty")
    assert (r.code, r.out, r.err) == (0, "", "No events found in empty namespace.\n")
    r = cluster("events -A --types Warning")
    assert (r.code, r.out, r.err) == (0, "", "No events found.\n")


def test_events_json_is_a_typed_event_list(two_pods):
    r = two_pods("events --for pod/web -o json")
    assert r.code == 0
    assert r.out.startswith('{\n    "kind": "EventList",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": [\n'
                            '        {\n            "kind": "Event",\n            "apiVersion": "v1",\n'
                            '            "metadata": {\n                "name": "web.')
    data = json.loads(r.out)
    ev = data["items"][0]
    assert list(ev) == ["kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source",
                        "firstTimestamp", "lastTimestamp", "count", "type", "eventTime", "reportingComponent",
                        "reportingInstance"]
    r = two_pods("events --for pod/web -o yaml")
    assert r.out.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  count: 1\n  eventTime: null\n")
    assert r.out.endswith("kind: EventList\nmetadata: {}\n")
    r = two_pods("events --for pod/web -o jsonpath={.items[*].reason}")
    assert r.out == "Scheduled Pulling Pulled Created Started"
    # kubectl 1.32 prints nothing for `events -o name`
    assert two_pods("events -o name").out == ""


@pytest.mark.parametrize("args,err", [
    ("events --types=Info", "error: valid --types are Normal or Warning\n"),
    ("events --for pod", "error: --for must be in resource/name form\n"),
    ("events --for a/b/c", "error: arguments in resource/name form may not have more than one slash\n"),
    ("events --for foo/bar", 'the server doesn\'t have a resource type "foo"\n'),
    ("events -o wide", 'error: unable to match a printer suitable for the output format "wide", allowed formats are: '
                       "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                       "templatefile,yaml\n"),
    ("events --bogus", "error: unknown flag: --bogus\nSee 'minikctl events --help' for usage.\n"),
])
def test_events_bad_input(two_pods, state, args, err):
    before = store_snapshot(state)
    r = two_pods(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


def test_get_events_agrees(two_pods):
    """`get events` lists the same events (unsorted, kind in lower case, as kubectl get prints them)."""
    ev = two_pods("events --no-headers").lines
    get = two_pods("get events --no-headers").lines
    assert len(ev) == len(get)
    assert sorted(line.split()[-1] for line in ev) == sorted(line.split()[-1] for line in get)
    assert any("pod/bad" in line for line in get)


# kubectl 1.32's order for events with these times (seconds), read in this order (names e000, e001, ...):
# Go's sort.Sort is pdqsort, not stable; its pattern-breaking xorshift decides where equal events land.
KUBECTL_ORDERS = [
    ([1] + [0] * 13, [6, 8, 2, 3, 4, 5, 1, 13, 10, 9, 7, 11, 12, 0]),
    ([0] * 6 + [1] + [0] * 10, [8, 4, 0, 3, 9, 5, 16, 10, 2, 1, 7, 11, 12, 13, 14, 15, 6]),
    ([2, 0, 1, 1, 0, 1, 2, 2, 0, 0, 2, 2, 1, 0, 2, 1], [8, 1, 13, 4, 9, 12, 2, 3, 15, 5, 6, 11, 10, 7, 14, 0]),
]


@pytest.mark.parametrize("times,order", KUBECTL_ORDERS)
def test_sort_order_matches_kubectl(times, order):
    from minikctl.cli.cmd_events import sort_events

    evs = [{"metadata": {"name": f"e{i:03d}"}, "lastTimestamp": f"2026-01-01T00:00:{t:02d}Z"} for i, t in enumerate(times)]
    assert [int(e["metadata"]["name"][1:]) for e in sort_events(evs)] == order
