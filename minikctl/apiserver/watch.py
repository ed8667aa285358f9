"""watch (`?watch=1`) over the store's revision log (state/0005_revisions.sql): the worker
thread's half. The HTTP front (app.py) keeps the open streams; one poller reads the log for
all of them and hands each stream the revisions of its resource.

Semantics (kube-apiserver's watch cache, staging/src/k8s.io/apiserver/pkg/storage/cacher):
resourceVersion unset or "0" starts with a synthetic ADDED event per existing object, then
the changes; resourceVersion=N sends the changes after N, or, when N is older than the kept
history, one ERROR event with a 410 Expired Status ("too old resource version").
"""

from __future__ import annotations

import json

from minikctl.api.errors import BadRequest
from minikctl.apiserver.rest import Request, Target, status


class Spec:
    """What one watch asks for."""
    __slots__ = ("kind", "namespace", "selector", "terms", "table", "include", "rv", "timeout", "view")

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
            self.timeout = float(req.q("timeoutSeconds") or 1800)
        except ValueError:
            raise BadRequest(f'strconv.ParseInt: parsing "{req.q("timeoutSeconds")}": invalid syntax') from None

    def matches(self, obj: dict) -> bool:
        if self.selector is not None and not self.selector.matches((obj.get("metadata") or {}).get("labels")):
            return False
        if self.terms:
            from minikctl.api import fields

            return fields.matches(obj, self.terms)
        return True


def log_enabled(store) -> None:
    """Turn the revision log on for this store (once): history starts now, so a watch from an
    older resourceVersion is told it is gone."""
    if store.meta_get("watch:log") is not None:
        return
    with store.write():
        if store.meta_get("watch:log") is None:
            store.conn.execute("DELETE FROM revisions")
            store.meta_set("watch:compacted", store.meta_get("rv", "0") or "0")
            store.meta_set("watch:log", "1")


def head(store) -> int:
    row = store.conn.execute("SELECT max(rv) FROM revisions").fetchone()
    return int(row[0] or 0)


def poll(backend, after: int, limit: int = 2000):
    """Revisions after `after`, oldest first: [(rv, resource, namespace, name, type, body)]."""
    store = backend.session.store
    return store.conn.execute("SELECT rv, resource, namespace, name, type, body FROM revisions WHERE rv > ? "
                              "ORDER BY rv LIMIT ?", (after, limit)).fetchall()


def start(backend, spec: Spec):
    """The events a new watch starts with and the log position they reach:
    (rows, position, error event bytes or None)."""
    s = backend._fresh()
    store = s.store
    with store.read():
        compacted = int(store.meta_get("watch:compacted", "0") or 0)
        pos = head(store)
        if spec.rv in ("", "0"):
            rv = int(store.meta_get("rv", "0") or 0)
            objs = s.api.list(spec.kind.plural, spec.namespace)
            rows = [(int(o["metadata"].get("resourceVersion") or 0), spec.kind.plural,
                     o["metadata"].get("namespace", ""), o["metadata"]["name"], "ADDED", o) for o in objs]
            more = store.conn.execute("SELECT rv, resource, namespace, name, type, body FROM revisions "
                                      "WHERE resource=? AND rv > ? AND rv <= ? ORDER BY rv",
                                      (spec.kind.plural, rv, pos)).fetchall()
            return rows + list(more), max(pos, rv), None
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
    for _rv, _res, ns, _name, type_, body in rows:
        if spec.namespace is not None and ns != spec.namespace:
            continue
        obj = body if isinstance(body, dict) else json.loads(body)
        if not spec.matches(obj):
            continue
        objs.append((type_, obj))
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
