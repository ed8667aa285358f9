"""watch (`?watch=1`) over the store's revision log (state/0005_revisions.sql): the worker
thread's half. The HTTP front (app.py) keeps the open streams; one poller reads the log for
all of them and hands each stream the revisions of its resource.

Semantics (kube-apiserver's watch cache, staging/src/k8s.io/apiserver/pkg/storage/cacher):
- resourceVersion unset or "0" starts with a synthetic ADDED event per existing object, then
  the changes; resourceVersion=N sends the changes after N, or, when N is older than the kept
  history, one ERROR event with a 410 Expired Status ("too old resource version").
- sendInitialEvents=true (with resourceVersionMatch=NotOlderThan, the WatchList feature, beta
  and on in 1.32) starts with the ADDED events of the current state whatever the
  resourceVersion; sendInitialEvents=false starts at the resourceVersion (unset or "0": now)
  without them (watch_cache.go getAllEventsSinceLocked). A watch with "" or "0" and neither
  option is defaulted to sendInitialEvents=true (internalversion/defaults.go
  SetListOptionsDefaults), so it too ends its initial events with the bookmark below.
- allowWatchBookmarks=true: BOOKMARK events whose object is an empty object of the kind with
  only metadata.resourceVersion: one right after the initial events (annotated
  k8s.io/initial-events-end: "true"), then about every minute and 2 s before the watch's
  timeout (cache_watcher.go nextBookmarkTime).
- label and field selectors filter by the object before and after each change
  (cache_watcher.go convertToWatchEvent): an object that starts to match is ADDED, one that
  stops matching is DELETED (its last matching state at the change's resourceVersion).
"""

from __future__ import annotations

import json
import os

from minikctl.api.errors import BadRequest, FieldError
from minikctl.apiserver.rest import Request, Response, Target, status

BOOKMARK_S = float(os.environ.get("MINIKCTL_WATCH_BOOKMARK_S") or 60)  # cacher's defaultBookmarkFrequency
INITIAL_EVENTS_END = "k8s.io/initial-events-end"
_TRUE = ("true", "1", "True", "TRUE", "t", "T")  # strconv.ParseBool's true values


class Spec:
    """What one watch asks for."""
    __slots__ = ("kind", "namespace", "selector", "terms", "table", "include", "rv", "timeout", "bookmarks",
                 "initial", "matching", "view")

    def __init__(self, t: Target, req: Request):
        from minikctl.api import fields, selectors
        from minikctl.apiserver.handlers import _wants_table

        self.kind = t.kind
        self.view = getattr(t, "view", None)  # another served version: objects converted (api/conversion.py)
        self.namespace = t.namespace if t.kind.namespaced else None
        self.selector = None
        label = req.q("labelSelector")
        if label:
            try:
                self.selector = selectors.parse(label)
            except Exception as e:  # noqa: BLE001
                raise BadRequest(f"unable to parse requirement: {e}") from None
        field = req.q("fieldSelector") or ""
        if t.name:  # the deprecated /watch-by-name form: a field selector on the name
            field = ",".join(x for x in (field, f"metadata.name={t.name}") if x)
        self.terms = fields.parse(field, t.kind.kind, t.kind.plural) if field else None
        self.table = _wants_table(req)
        self.include = req.q("includeObject") or "Metadata"
        self.rv = req.q("resourceVersion") or ""
        try:
            self.timeout = float(int(req.q("timeoutSeconds") or 1800))
        except ValueError:
            raise BadRequest(f'strconv.ParseInt: parsing "{req.q("timeoutSeconds")}": invalid syntax') from None
        if self.timeout <= 0:
            self.timeout = 1800.0
        self.bookmarks = (req.q("allowWatchBookmarks") or "") in _TRUE
        sie = req.q("sendInitialEvents")
        self.initial = None if sie is None else sie in _TRUE
        match = req.q("resourceVersionMatch") or ""
        if self.initial is None and not match and self.rv in ("", "0"):
            self.initial, match = True, "NotOlderThan"  # SetListOptionsDefaults (WatchList on)
        self._validate(match, req.q("continue") or "")
        # the keys of the objects this watch last saw match its selectors, with what they were
        # (for the DELETED event of an object that stops matching); None: no selector
        self.matching: dict | None = {} if (self.selector is not None or self.terms) else None

    def _validate(self, match: str, cont: str) -> None:
        """validateWatchOptions (apimachinery/pkg/apis/meta/internalversion/validation/validation.go)."""
        errs = []
        if self.initial is not None and match != "NotOlderThan":
            errs.append(FieldError("Forbidden", "resourceVersionMatch", None,
                                   "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
        if match:
            if self.initial is None:
                errs.append(FieldError("Forbidden", "resourceVersionMatch", None,
                                       "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
            if match != "NotOlderThan":
                errs.append(FieldError("Unsupported value", "resourceVersionMatch", match,
                                       'supported values: "NotOlderThan"'))
            if cont:
                errs.append(FieldError("Forbidden", "resourceVersionMatch", None,
                                       "resourceVersionMatch is forbidden when continue is provided"))
        if errs:
            raise OptionsInvalid(errs)

    def matches(self, obj: dict) -> bool:
        if self.selector is not None and not self.selector.matches((obj.get("metadata") or {}).get("labels")):
            return False
        if self.terms:
            from minikctl.api import fields

            return fields.matches(obj, self.terms)
        return True


class OptionsInvalid(Exception):
    """422 for ListOptions (handlers/get.go: errors.NewInvalid(ListOptions.meta.k8s.io, "", errs))."""

    def __init__(self, errors: list):
        super().__init__()
        self.errors = errors

    def response(self) -> Response:
        from minikctl.apiserver.rest import _CAUSE_REASON

        body = str(self.errors[0]) if len(self.errors) == 1 else "[" + ", ".join(str(x) for x in self.errors) + "]"
        causes = [{"reason": _CAUSE_REASON.get(x.type, "FieldValueInvalid"), "message": x.body(), "field": x.field}
                  for x in self.errors]
        return Response(422, status(422, "Invalid", f'ListOptions.meta.k8s.io "" is invalid: {body}',
                                    {"group": "meta.k8s.io", "kind": "ListOptions", "causes": causes}))


def spec_of(t: Target, req: Request):
    """The Spec of a watch request, or the Response refusing its options."""
    try:
        return Spec(t, req)
    except OptionsInvalid as e:
        return e.response()


def log_enabled(store) -> None:
    """Turn the revision log on for this store (once): store/revlog.py, shared with the CLI's watch."""
    from minikctl.store import revlog

    revlog.enable(store)


STAT_S = 0.005  # while watches are open: how often the WAL file is looked at for other processes' commits


class Changes:
    """Notices that another process committed to the store without asking SQLite: a commit
    appends to the -wal file (or, after a checkpoint, rewrites it from its start), so its size
    or modification time changes. A stat() in the event loop costs microseconds; the revision
    log is then read at once instead of at the next POLL_S round."""

    def __init__(self, db_path: str):
        self.paths = (db_path + "-wal", db_path)
        self.last = self._sig()

    def _sig(self):
        out = []
        for p in self.paths:
            try:
                st = os.stat(p)
                out.append((st.st_size, st.st_mtime_ns, st.st_ino))
            except OSError:
                out.append(None)
        return tuple(out)

    def changed(self) -> bool:
        sig = self._sig()
        if sig != self.last:
            self.last = sig
            return True
        return False


async def wait_for_change(wake, changes: Changes | None, limit: float) -> None:
    """Return when `wake` is set (a write through this server), when `changes` notices another
    process's commit (looked at every STAT_S), or after `limit` seconds."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not wake.is_set():
        left = end - loop.time()
        if left <= 0:
            return
        step = min(STAT_S, left) if changes is not None else left
        try:
            await asyncio.wait_for(wake.wait(), step)
            return
        except asyncio.TimeoutError:
            pass
        if changes is not None and changes.changed():
            return


def head(store) -> int:
    from minikctl.store import revlog

    return revlog.head(store)


def poll(backend, after: int, limit: int = 2000):
    """Revisions after `after`, oldest first: [(rv, resource, namespace, name, type, body)]."""
    from minikctl.store import revlog

    return revlog.after(backend.session.store, after, limit)


def start(backend, spec: Spec):
    """The events a new watch starts with and the log position they reach:
    (rows, position, error event bytes or None)."""
    s = backend._fresh()
    store = s.store
    with store.read():
        compacted = int(store.meta_get("watch:compacted", "0") or 0)
        pos = head(store)
        if spec.initial or (spec.initial is None and spec.rv in ("", "0")):
            rv = int(store.meta_get("rv", "0") or 0)
            objs = s.api.list(spec.kind.plural, spec.namespace)
            rows = [(int(o["metadata"].get("resourceVersion") or 0), spec.kind.plural,
                     o["metadata"].get("namespace", ""), o["metadata"]["name"], "ADDED", o) for o in objs]
            more = store.conn.execute("SELECT rv, resource, namespace, name, type, body FROM revisions "
                                      "WHERE resource=? AND rv > ? AND rv <= ? ORDER BY rv",
                                      (spec.kind.plural, rv, pos)).fetchall()
            return rows + list(more), max(pos, rv), None
        if spec.rv in ("", "0"):  # sendInitialEvents=false: from now on, without the current state
            return [], max(pos, int(store.meta_get("rv", "0") or 0)), None
        try:
            since = int(spec.rv)
        except ValueError:
            raise BadRequest(f'invalid resource version "{spec.rv}"') from None  # kube: strconv error text
        if since < compacted:
            err = status(410, "Expired", f"too old resource version: {since} ({compacted})")
            return [], pos, (json.dumps({"type": "ERROR", "object": err}, separators=(",", ":")) + "\n").encode()
        rows = store.conn.execute("SELECT rv, resource, namespace, name, type, body FROM revisions "
                                  "WHERE resource=? AND rv > ? AND rv <= ? ORDER BY rv",
                                  (spec.kind.plural, since, pos)).fetchall()
        return list(rows), pos, None


def encode(backend, spec: Spec, rows) -> bytes:
    """The watch events of `rows` that the watch selects, one JSON line each (Tables where asked)."""
    out = []
    objs = []
    seen = spec.matching
    for rv, res, ns, name, type_, body in rows:
        if spec.namespace is not None and ns != spec.namespace:
            continue
        obj = body if isinstance(body, dict) else json.loads(body)
        if seen is None:
            objs.append((type_, obj))
            continue
        # convertToWatchEvent: the object before and after the change against the selectors
        key = (ns, name)
        if type_ == "ADDED":
            prev = False
        else:
            prev = seen.pop(key, None)
            if prev is None:  # not seen by this watch yet: what the log says it was
                prev = _previous(backend, spec, res, ns, name, rv) if not isinstance(body, dict) else False
        now_passes = type_ != "DELETED" and spec.matches(obj)
        if prev is None:  # older than the log: as the object is now (unknown before)
            prev = obj if (now_passes or (type_ == "DELETED" and spec.matches(obj))) else False
        seen[key] = obj if now_passes else False
        if now_passes:
            objs.append(("MODIFIED" if prev is not False else "ADDED", obj))
        elif prev is not False:
            if type_ == "DELETED" and spec.matches(obj):
                objs.append(("DELETED", obj))
            else:  # the last state that matched, at this change's resourceVersion
                old = dict(prev)
                old["metadata"] = {**(prev.get("metadata") or {}), "resourceVersion": str(rv)}
                objs.append(("DELETED", old))
    if not objs:
        return b""
    now = backend.session.clock.now() if spec.table else None
    for type_, obj in objs:
        if spec.table:
            obj = _table_of(spec, obj, now)
        elif spec.view:
            from minikctl.api.conversion import to_view

            obj = to_view(obj, spec.view)
        out.append(json.dumps({"type": type_, "object": obj}, separators=(",", ":"), ensure_ascii=False))
    return ("\n".join(out) + "\n").encode()


def _previous(backend, spec: Spec, resource: str, ns: str, name: str, rv: int):
    """The object before revision `rv` as the watch's selectors see it: the object when it
    matched, False when it did not (or did not exist), None when the log does not know."""
    row = backend.session.store.conn.execute(
        "SELECT type, body FROM revisions WHERE resource=? AND namespace=? AND name=? AND rv < ? "
        "ORDER BY rv DESC LIMIT 1", (resource, ns, name, rv)).fetchone()
    if row is None:
        return None
    if row[0] == "DELETED":
        return False
    obj = json.loads(row[1])
    return obj if spec.matches(obj) else False


# empty objects of these kinds as Go's encoding/json writes them (the fields without omitempty,
# and struct fields, which omitempty does not drop); every other kind: metadata only (cacher's
# bookmark is the kind's new, empty object; the Pod's is the one in the API concepts docs)
_EMPTY = {
    "Pod": {"spec": {"containers": None}, "status": {}},
    "Deployment": {"spec": {"selector": None, "template": {"metadata": {"creationTimestamp": None},
                                                           "spec": {"containers": None}},
                            "strategy": {}}, "status": {}},
    "ReplicaSet": {"spec": {"selector": None, "template": {"metadata": {"creationTimestamp": None},
                                                           "spec": {"containers": None}}},
                   "status": {"replicas": 0}},
    "DaemonSet": {"spec": {"selector": None, "template": {"metadata": {"creationTimestamp": None},
                                                          "spec": {"containers": None}},
                           "updateStrategy": {}},
                  "status": {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0,
                             "numberReady": 0}},
    "Job": {"spec": {"template": {"metadata": {"creationTimestamp": None}, "spec": {"containers": None}}},
            "status": {}},
    "Service": {"spec": {}, "status": {"loadBalancer": {}}},
    "Node": {"spec": {}, "status": {"daemonEndpoints": {"kubeletEndpoint": {"Port": 0}},
                                    "nodeInfo": {"machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "",
                                                 "osImage": "", "containerRuntimeVersion": "", "kubeletVersion": "",
                                                 "kubeProxyVersion": "", "operatingSystem": "",
                                                 "architecture": ""}}},
    "Namespace": {"spec": {}, "status": {}},
    "PersistentVolumeClaim": {"spec": {"resources": {}}, "status": {}},
}


def bookmark(spec: Spec, rv: int, initial_end: bool = False) -> bytes:
    """One BOOKMARK event at `rv` (cacher.go: the kind's empty object with only its
    resourceVersion; storage.AnnotateInitialEventsEndBookmark for the end of the initial events)."""
    meta: dict = {"resourceVersion": str(rv), "creationTimestamp": None}
    if initial_end:
        meta["annotations"] = {INITIAL_EVENTS_END: "true"}
    if spec.table:
        obj = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": str(rv)},
               "columnDefinitions": None, "rows": None}
    else:
        obj = {"kind": spec.kind.kind, "apiVersion": spec.view or spec.kind.api_version, "metadata": meta,
               **json.loads(json.dumps(_EMPTY.get(spec.kind.kind, {})))}
    return (json.dumps({"type": "BOOKMARK", "object": obj}, separators=(",", ":")) + "\n").encode()


def next_bookmark(now: float, deadline: float) -> float | None:
    """cache_watcher.go nextBookmarkTime: about every minute, and 2 s before the deadline."""
    t = now + BOOKMARK_S
    t = min(t, deadline - 2.0)
    return None if t < now else t


def _table_of(spec: Spec, obj: dict, now) -> dict:
    from minikctl.apiserver.handlers import _cell, _DESCRIPTIONS
    from minikctl.printers.columns import build_table

    table = build_table(spec.kind.kind, [obj], now)
    cols = [{"name": c.name, "type": c.type, "format": c.format, "description": _DESCRIPTIONS.get(c.name, ""),
             "priority": c.priority} for c in table.columns]
    row = {"cells": [_cell(c) for c in table.rows[0].cells]}
    if spec.include == "Object":
        row["object"] = obj
    elif spec.include == "Metadata":
        row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                         "metadata": obj.get("metadata", {})}
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": (obj.get("metadata") or {}).get("resourceVersion", "")},
            "columnDefinitions": cols, "rows": [row]}
