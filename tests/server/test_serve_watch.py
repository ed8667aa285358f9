"""watch through `minikctl serve` (issue 14), raw HTTP as client-go sends it: bookmarks,
sendInitialEvents, selector transitions, timeoutSeconds and resourceVersion semantics, after
kube-apiserver's watch cache (staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go,
watch_cache.go) and ListOptions validation (apimachinery/pkg/apis/meta/internalversion/validation)."""

from __future__ import annotations

import json
import os

import pytest

from tests.server.serving import KUBECTL, Server
from tests.server.streams import Stream

CM = "/api/v1/namespaces/{ns}/configmaps"
END = {"k8s.io/initial-events-end": "true"}


def _rv(srv, ns: str) -> str:
    code, body = srv.http("GET", CM.format(ns=ns))
    assert code == 200, body
    return body["metadata"]["resourceVersion"]


def _cm(name: str, labels: dict | None = None, data: dict | None = None) -> bytes:
    meta = {"name": name, **({"labels": labels} if labels else {})}
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data or {}}).encode()


def _ns(srv, name: str) -> str:
    assert srv.mk(f"create namespace {name}").code == 0
    return name


def _brief(events: list[dict]) -> list[tuple]:
    return [(e["type"], e["object"]["metadata"].get("name"), (e["object"].get("metadata") or {}).get("labels"))
            for e in events]


def _initial(stream) -> tuple[list[dict], dict | None]:
    """The initial events up to the initial-events-end bookmark (each namespace also holds the
    kube-root-ca.crt ConfigMap, left out), and that bookmark (None: the stream ended)."""
    events = []
    while (e := stream.next()) is not None:
        if e["type"] == "BOOKMARK":
            return events, e
        if e["object"]["metadata"]["name"] != "kube-root-ca.crt":
            events.append(e)
    return events, None


def test_bookmark_before_timeout_then_end(srv):
    """allowWatchBookmarks: one BOOKMARK 2 s before the timeout (the minute's heartbeat comes
    later), the kind's empty object with only the resourceVersion; the stream then ends."""
    ns = _ns(srv, "bm")
    rv = _rv(srv, ns)
    with Stream(srv, f"{CM.format(ns=ns)}?watch=1&allowWatchBookmarks=true&resourceVersion={rv}"
                     "&timeoutSeconds=3") as s:
        assert s.status == 200
        events = s.rest()
    assert len(events) == 1, events
    (bm,) = events
    assert bm["type"] == "BOOKMARK"
    assert int(bm["object"]["metadata"]["resourceVersion"]) >= int(rv)
    bm["object"]["metadata"]["resourceVersion"] = "RV"
    assert bm["object"] == {"kind": "ConfigMap", "apiVersion": "v1",
                            "metadata": {"resourceVersion": "RV", "creationTimestamp": None}}


def test_no_bookmarks_unless_allowed(srv):
    ns = _ns(srv, "nobm")
    with Stream(srv, f"{CM.format(ns=ns)}?watch=1&resourceVersion={_rv(srv, ns)}&timeoutSeconds=3") as s:
        assert s.rest() == []


def test_bookmarks_every_period_and_after_changes(tmp_path, monkeypatch):
    """The periodic bookmark (cacher: about every minute; MINIKCTL_WATCH_BOOKMARK_S here) carries
    a resourceVersion at least that of every event sent before it."""
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl 1.32 is not installed here")
    monkeypatch.setenv("MINIKCTL_WATCH_BOOKMARK_S", "0.5")
    srv = Server(tmp_path)
    try:
        rv = _rv(srv, "default")
        with Stream(srv, f"/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=1&resourceVersion={rv}"
                         "&timeoutSeconds=4") as s:
            assert srv.mk("run p1 --image=busybox").code == 0
            events = s.rest()
        marks = [e for e in events if e["type"] == "BOOKMARK"]
        assert len(marks) >= 2, _brief(events)
        assert marks[0]["object"]["spec"] == {"containers": None} and marks[0]["object"]["status"] == {}
        last = 0
        for e in events:
            v = int(e["object"]["metadata"]["resourceVersion"])
            assert v >= last, _brief(events)
            last = v
        assert any(e["type"] == "ADDED" and e["object"]["metadata"]["name"] == "p1" for e in events)
    finally:
        srv.stop()


def test_send_initial_events_then_end_bookmark(srv):
    """sendInitialEvents=true&resourceVersionMatch=NotOlderThan: the current state as ADDED events,
    then a BOOKMARK annotated k8s.io/initial-events-end at the list's resourceVersion, then the
    changes; whatever resourceVersion (not older than) is given."""
    ns = _ns(srv, "init")
    for n in ("b", "a"):
        assert srv.http("POST", CM.format(ns=ns), _cm(n))[0] == 201
    rv = _rv(srv, ns)
    for i, start in enumerate(("", "&resourceVersion=0", f"&resourceVersion={rv}", "&resourceVersion=1")):
        with Stream(srv, f"{CM.format(ns=ns)}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                         f"&allowWatchBookmarks=true{start}") as s:
            assert s.status == 200
            events, end = _initial(s)
            assert _brief(events) == [("ADDED", "a", None), ("ADDED", "b", None)], start
            assert end is not None and end["type"] == "BOOKMARK", start
            assert end["object"]["metadata"]["annotations"] == END
            assert int(end["object"]["metadata"]["resourceVersion"]) >= int(rv)
            code, _ = srv.http("PATCH", CM.format(ns=ns) + "/a", b'{"data":{"k":"v%d"}}' % i,
                               "application/merge-patch+json")
            assert code == 200
            (ev,) = s.take(1)
            assert (ev["type"], ev["object"]["metadata"]["name"], ev["object"]["data"]) == ("MODIFIED", "a", {"k": f"v{i}"})
            assert int(ev["object"]["metadata"]["resourceVersion"]) > int(end["object"]["metadata"]["resourceVersion"])


def test_send_initial_events_false_starts_now(srv):
    """sendInitialEvents=false with resourceVersion unset: no initial events, the changes from now."""
    ns = _ns(srv, "noinit")
    assert srv.http("POST", CM.format(ns=ns), _cm("old"))[0] == 201
    with Stream(srv, f"{CM.format(ns=ns)}?watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan"
                     "&allowWatchBookmarks=true") as s:
        assert s.status == 200
        assert srv.http("POST", CM.format(ns=ns), _cm("new"))[0] == 201
        (ev,) = s.take(1)
        assert _brief([ev]) == [("ADDED", "new", None)]


def test_legacy_watch_is_defaulted_to_initial_events(srv):
    """resourceVersion "" or "0" with neither option: the current state as ADDED events
    (SetListOptionsDefaults turns sendInitialEvents on: with bookmarks allowed, the end bookmark too)."""
    ns = _ns(srv, "legacy")
    assert srv.http("POST", CM.format(ns=ns), _cm("one"))[0] == 201
    for q in ("", "&resourceVersion=0"):
        with Stream(srv, f"{CM.format(ns=ns)}?watch=1&timeoutSeconds=1{q}") as s:
            assert _initial(s) == ([{"type": "ADDED", "object": json.loads(srv.mk(
                f"get cm one -n {ns} -o json").out)}], None)
        with Stream(srv, f"{CM.format(ns=ns)}?watch=1&allowWatchBookmarks=true{q}") as s:
            events, end = _initial(s)
            assert _brief(events) == [("ADDED", "one", None)]
            assert end["object"]["metadata"]["annotations"] == END


@pytest.mark.parametrize("query,message,causes", [
    ("sendInitialEvents=true",
     'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting '
     "resourceVersionMatch to NotOlderThan",
     [("FieldValueForbidden", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]),
    ("resourceVersionMatch=NotOlderThan",
     'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for '
     "watch unless sendInitialEvents is provided",
     [("FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is "
                              "provided")]),
    ("sendInitialEvents=true&resourceVersionMatch=Exact",
     'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting '
     'resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: '
     '"NotOlderThan"]',
     [("FieldValueForbidden", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
      ("FieldValueNotSupported", 'Unsupported value: "Exact": supported values: "NotOlderThan"')]),
])
def test_watch_options_invalid(srv, query, message, causes):
    with Stream(srv, f"{CM.format(ns='default')}?watch=1&{query}") as s:
        assert s.status == 422
        body = s.body()
    assert body["message"] == message and body["reason"] == "Invalid" and body["code"] == 422
    assert body["details"]["kind"] == "ListOptions" and body["details"]["group"] == "meta.k8s.io"
    assert [(c["reason"], c["message"]) for c in body["details"]["causes"]] == causes
    assert all(c["field"] == "resourceVersionMatch" for c in body["details"]["causes"])


def test_label_selector_transitions(srv):
    """An object that starts to match is ADDED, one that changes while matching MODIFIED, one that
    stops matching DELETED with its last matching state at the change's resourceVersion
    (cache_watcher.go convertToWatchEvent); changes outside the selector are not sent."""
    ns = _ns(srv, "sel")
    path = CM.format(ns=ns)
    assert srv.http("POST", path, _cm("x", {"app": "other"}))[0] == 201
    rv = _rv(srv, ns)
    merge = "application/merge-patch+json"
    with Stream(srv, f"{path}?watch=1&labelSelector=app%3Dweb&resourceVersion={rv}") as s, \
            Stream(srv, f"{path}?watch=1&labelSelector=app%3Dweb") as legacy:
        assert srv.http("PATCH", f"{path}/x", b'{"metadata":{"labels":{"app":"web"}}}', merge)[0] == 200
        assert srv.http("PATCH", f"{path}/x", b'{"data":{"k":"1"}}', merge)[0] == 200
        code, moved = srv.http("PATCH", f"{path}/x", b'{"metadata":{"labels":{"app":"db"}},"data":{"k":"2"}}', merge)
        assert code == 200
        assert srv.http("PATCH", f"{path}/x", b'{"data":{"k":"3"}}', merge)[0] == 200
        assert srv.http("POST", path, _cm("y", {"app": "web"}))[0] == 201
        assert srv.http("DELETE", f"{path}/y")[0] == 200
        for stream in (s, legacy):
            events = stream.take(5)
            assert _brief(events) == [("ADDED", "x", {"app": "web"}), ("MODIFIED", "x", {"app": "web"}),
                                      ("DELETED", "x", {"app": "web"}), ("ADDED", "y", {"app": "web"}),
                                      ("DELETED", "y", {"app": "web"})]
            gone = events[2]["object"]
            assert gone["data"] == {"k": "1"}  # the last state that matched ...
            assert gone["metadata"]["resourceVersion"] == moved["metadata"]["resourceVersion"]  # ... at the change


def test_label_selector_from_resource_version_uses_history(srv):
    """A watch resumed from a resourceVersion knows from the revision log whether an object
    matched before its first change in the stream."""
    ns = _ns(srv, "selrv")
    path = CM.format(ns=ns)
    merge = "application/merge-patch+json"
    assert srv.http("POST", path, _cm("z", {"app": "web"}))[0] == 201
    rv = _rv(srv, ns)
    assert srv.http("PATCH", f"{path}/z", b'{"metadata":{"labels":{"app":"db"}}}', merge)[0] == 200
    assert srv.http("PATCH", f"{path}/z", b'{"metadata":{"labels":{"app":"web"}}}', merge)[0] == 200
    with Stream(srv, f"{path}?watch=1&labelSelector=app%3Dweb&resourceVersion={rv}") as s:
        assert _brief(s.take(2)) == [("DELETED", "z", {"app": "web"}), ("ADDED", "z", {"app": "web"})]


def test_field_selector_watch(srv):
    ns = _ns(srv, "fsel")
    path = CM.format(ns=ns)
    with Stream(srv, f"{path}?watch=1&fieldSelector=metadata.name%3Dkeep&resourceVersion={_rv(srv, ns)}") as s:
        for n in ("drop", "keep"):
            assert srv.http("POST", path, _cm(n))[0] == 201
        assert srv.http("DELETE", f"{path}/keep")[0] == 200
        assert _brief(s.take(2)) == [("ADDED", "keep", None), ("DELETED", "keep", None)]


def test_timeout_seconds(srv):
    ns = _ns(srv, "tmo")
    with Stream(srv, f"{CM.format(ns=ns)}?watch=1&timeoutSeconds=1&resourceVersion={_rv(srv, ns)}") as s:
        assert s.status == 200 and s.rest() == []
    with Stream(srv, f"{CM.format(ns=ns)}?watch=1&timeoutSeconds=soon") as s:
        assert s.status == 400
        assert s.body()["message"] == 'strconv.ParseInt: parsing "soon": invalid syntax'


def test_watch_sees_cli_writes_of_another_process(srv):
    ns = _ns(srv, "cliw")
    with Stream(srv, f"{CM.format(ns=ns)}?watch=1&resourceVersion={_rv(srv, ns)}") as s:
        assert srv.mk(f"create configmap c1 -n {ns} --from-literal=a=b").code == 0
        assert srv.mk(f"delete configmap c1 -n {ns}").code == 0
        assert _brief(s.take(2)) == [("ADDED", "c1", None), ("DELETED", "c1", None)]
