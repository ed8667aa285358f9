"""The object API: create / get / list / update / patch / delete over the store.

This layer is what an HTTP front serving the Kubernetes REST API would sit on:
objects in and out are exactly Kubernetes' JSON. It fills metadata the way
kube-apiserver does (uid, one cluster-wide resourceVersion counter, generation,
creationTimestamp), runs per-kind strategies (defaulting, validation, allocation;
see ``strategy``), and queues every changed key for the controllers, which the
``Session`` runs inside the same write transaction before it commits.
"""

from __future__ import annotations

import json
import marshal
from collections import deque

from minikctl.api import events, export, rand
from minikctl.api import kinds as K
from minikctl.api.errors import AlreadyExists, BadRequest, Conflict, NotFound
from minikctl.store.db import KEEP

_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand alphanums


def new_uid() -> str:
    """A random (version 4) UUID, as kube-apiserver assigns metadata.uid (without importing uuid)."""
    b = bytearray(rand.token_bytes(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def rand_suffix(n: int = 5) -> str:
    r = rand.rng()
    return "".join(r.choice(_NAME_CHARS) for _ in range(n))


def clone(obj):
    """A deep copy of JSON data (dicts, lists, str, numbers, bools, None): marshal is about
    5x faster than copy.deepcopy, which matters when every write copies its object."""
    try:
        return marshal.loads(marshal.dumps(obj))
    except ValueError:  # not plain JSON data (a subclass, a datetime): the general way
        import copy

        return copy.deepcopy(obj)


_ABSENT = object()  # API.update: the object came without metadata.managedFields
_OBSERVED = ("priorityclasses",)  # cluster-scoped kinds strategy.observe hears of (issue 11, w-quota)
_PREV_AS_OBJECTS = 1024  # previous objects kept as they are; past that many, as marshal bytes


def _freeze(obj: dict | None, waiting: int):
    return marshal.dumps(obj) if obj is not None and waiting >= _PREV_AS_OBJECTS else obj


class WorkQueue:
    """The keys the controllers still have to see. Object keys come first, in the order they
    changed; work-queue keys ("~deployment", "~service-endpoints", ...: a controller's
    "sync this later" after a burst of changes) only when no object key is left, the most
    recently queued first. A key already queued keeps its place.

    Any order converges to the same state (each controller reconciles its key from current
    state), but this one converges with far less work: a bulk apply of services and
    deployments syncs each service's endpoints once, when its pods are already running,
    instead of once empty and again for each wave of pod changes, the way a real
    controller's rate-limited queue coalesces a burst."""

    __slots__ = ("objects", "work")

    def __init__(self):
        self.objects: deque[tuple[str, str, str]] = deque()
        self.work: list[tuple[str, str, str]] = []

    def append(self, key: tuple[str, str, str]) -> None:
        (self.work if key[0][:1] == "~" else self.objects).append(key)

    def popleft(self) -> tuple[str, str, str]:
        return self.objects.popleft() if self.objects else self.work.pop()

    def __len__(self) -> int:
        return len(self.objects) + len(self.work)

    def __iter__(self):
        yield from self.objects
        yield from reversed(self.work)


def kind_of(obj: dict) -> K.Kind:
    k = K.by_kind(obj.get("kind", ""))
    if k is None:
        raise BadRequest(f'no kind "{obj.get("kind")}" is registered')
    return k


def index_fields(kind: K.Kind, obj: dict) -> dict:
    """Indexed side columns for an object: controller owner, node, equality selector."""
    meta = obj.get("metadata") or {}
    owner = None
    for ref in meta.get("ownerReferences") or ():
        if ref.get("controller"):
            owner = ref.get("uid")
            break
    if kind.kind == "Event":
        owner = (obj.get("involvedObject") or {}).get("uid") or owner
    node = None
    selector = None
    spec = obj.get("spec") or {}
    if kind.kind == "Pod":
        node = spec.get("nodeName") or None
    elif kind.kind in ("Service", "ReplicationController"):
        sel = spec.get("selector")
        selector = {k: str(v) for k, v in sel.items()} if isinstance(sel, dict) and sel else None
    elif kind.kind in ("ReplicaSet", "Deployment", "DaemonSet", "StatefulSet"):
        sel = spec.get("selector") or {}
        if isinstance(sel, dict) and not sel.get("matchExpressions") and sel.get("matchLabels"):
            selector = {k: str(v) for k, v in sel["matchLabels"].items()}
    return {"owner_uid": owner, "node": node, "selector": selector}


class API:
    """Bound to one open store and the cluster clock. Writes must run inside ``store.write()``."""

    def __init__(self, store, clock, config: dict):
        self.store = store
        self.clock = clock
        self.config = config
        if config.get("seed") is not None:  # cluster create --seed: reproducible names, UIDs, IPs
            rand.configure(config, store)
        self.queue = WorkQueue()
        self._queued: set[tuple[str, str, str]] = set()
        self.warnings: list[str] = []
        self.dry_run = False
        # Informer-style "old object" for controllers: the state of a key before its first
        # change since it was last handed to the controllers (None = it did not exist). Past
        # _PREV_AS_OBJECTS waiting, kept as marshal bytes: a burst of 20,000 pod updates holds
        # 20,000 of them at once.
        self._prev: dict[tuple[str, str, str], dict | bytes | None] = {}
        self.previous: dict | None = None
        # Namespaces seen to exist in this transaction (a bulk apply checks one per object).
        self._namespaces: set[str] = set()
        self._events = None  # the event recorders' correlator (api.events.Correlator), on first use
        # issue 14 (w-ssa): the manager this transaction's writes are recorded under in
        # metadata.managedFields (api/fieldmanager.py); None records nothing
        self.field_manager: str | None = None
        self.field_subresource = ""
        # Whether objects read and written come with metadata.managedFields (minikctl serve,
        # --show-managed-fields). The store keeps them beside each object (state/0006): the
        # controllers, and every command that does not show them, never decode them.
        self.show_managed = False

    # ------------------------------------------------------------------ reads
    def get(self, resource: str, namespace: str, name: str) -> dict:
        kind = K.by_plural(resource)
        obj = self.store.get(resource, namespace if kind.namespaced else "", name)
        if obj is None:
            raise NotFound.of(kind.group_resource, name)
        return self.store.with_managed(resource, obj) if self.show_managed else obj

    def try_get(self, resource: str, namespace: str, name: str) -> dict | None:
        kind = K.by_plural(resource)
        obj = self.store.get(resource, namespace if kind.namespaced else "", name)
        return self.store.with_managed(resource, obj) if self.show_managed and obj is not None else obj

    def peek(self, resource: str, namespace: str, name: str) -> dict | None:
        """try_get for a reader that never changes nor keeps the object (a watch hook): the
        decoded object is shared with the other such readers until it is written again."""
        kind = K.by_plural(resource)
        return self.store.peek(resource, namespace if kind.namespaced else "", name)

    def list(self, resource: str, namespace: str | None = None, selector=None, owner_uid: str | None = None,
             node: str | None = None, names: list[str] | None = None) -> list[dict]:
        """namespace None = all namespaces. `selector` is an api.selectors.Selector."""
        kind = K.by_plural(resource)
        ns = (namespace if kind.namespaced else "") if namespace is not None else None
        eq = selector.equalities() if selector else None
        keys = selector.exists_keys() if selector else None
        objs = self.store.list(resource, ns, labels=eq, label_keys=keys, owner_uid=owner_uid, node=node, names=names)
        if selector:
            objs = [o for o in objs if selector.matches((o.get("metadata") or {}).get("labels"))]
        if self.show_managed:
            for o in objs:
                self.store.with_managed(resource, o)
        return objs

    def _shown(self, obj: dict, managed: str | None) -> dict:
        """A written object as the writer gets it back: with its managedFields when shown."""
        if self.show_managed and managed:
            obj["metadata"]["managedFields"] = json.loads(managed)
        return obj

    # ----------------------------------------------------------------- writes
    def create(self, obj: dict, *, namespace: str | None = None) -> dict:
        from minikctl.api import strategy

        obj = clone(obj)
        kind = kind_of(obj)
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise BadRequest("metadata must be an object")
        obj["apiVersion"] = kind.api_version
        if kind.namespaced:
            ns = meta.get("namespace") or namespace or "default"
            meta["namespace"] = ns
            if ns and ns not in self._namespaces and kind.kind != "Event":
                if not self.store.exists("namespaces", "", ns):
                    raise NotFound.of("namespaces", ns)
                self._namespaces.add(ns)
        else:
            meta.pop("namespace", None)
            ns = ""
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + rand_suffix()
        given = export.user_given(kind.kind, obj, None) if kind.kind in export.PINNABLE else None  # issue 13: cluster export
        if self.field_manager:  # issue 14 (w-ssa): the creator's Update entry, of the object as decoded (defaulted), before admission
            from minikctl.api.fieldmanager import track_create

            managed = track_create(self, kind, obj, self.field_manager)
        else:  # entries the writer made (server-side apply) or a client gave, as they are
            given_mf = meta.get("managedFields")
            managed = json.dumps(given_mf, separators=(",", ":"), ensure_ascii=False) if given_mf else None
        strategy.prepare_for_create(self, kind, obj)
        name = meta.get("name") or ""
        strategy.validate(self, kind, obj, None)
        strategy.admit(self, kind, obj, None)
        if self.store.exists(kind.plural, ns, name):
            raise AlreadyExists.of(kind.group_resource, name)
        meta["uid"] = new_uid()
        meta["creationTimestamp"] = self.clock.rfc3339()
        if kind.kind in strategy.GENERATION_KINDS:
            meta["generation"] = 1
        for f in ("resourceVersion", "deletionTimestamp", "selfLink"):
            meta.pop(f, None)
        strategy.allocate_for_create(self, kind, obj)
        if given:
            export.note(self.store, meta["uid"], given)
        meta.pop("managedFields", None)  # kept beside the object
        self._save(kind, obj, managed=managed)
        return self._shown(obj, managed)

    def update(self, obj: dict, *, check_rv: bool = True, subresource: str | None = None,
               keep_status: bool = True) -> dict:
        """Replace an object (PUT). A stale resourceVersion is refused with kubectl's Conflict."""
        from minikctl.api import strategy

        obj = clone(obj)
        kind = kind_of(obj)
        meta = obj.setdefault("metadata", {})
        ns = meta.get("namespace", "") if kind.namespaced else ""
        name = meta.get("name", "")
        old = self.store.get(kind.plural, ns, name)
        if old is None:
            raise NotFound.of(kind.group_resource, name)
        if check_rv and meta.get("resourceVersion") and meta["resourceVersion"] != old["metadata"]["resourceVersion"]:
            raise Conflict.of(kind.group_resource, name)
        obj["apiVersion"] = kind.api_version
        given_mf = meta.pop("managedFields", _ABSENT)  # a client's entries; the stored ones otherwise
        # Fields the server owns are carried over.
        for f in ("uid", "creationTimestamp", "generation"):
            if f in old["metadata"]:
                meta[f] = old["metadata"][f]
        if kind.namespaced:
            meta["namespace"] = ns
        if subresource == "status":
            status = obj.get("status", {})
            given_mf = _ABSENT  # the status subresource keeps the entries stored
            if "status" in old and old["status"] == status:
                return self._shown(old, self.store.managed(kind.plural, ns, name) if self.show_managed else None)
            obj = clone(old)
            obj["status"] = status
            meta = obj["metadata"]
        else:
            if keep_status:
                if "status" in old:
                    obj["status"] = old["status"]
                else:
                    obj.pop("status", None)
            given = export.user_given(kind.kind, obj, old) if kind.kind == "Service" else None  # issue 13
            strategy.prepare_for_update(self, kind, obj, old)
            strategy.validate(self, kind, obj, old)
            strategy.admit(self, kind, obj, old)
            if kind.kind in strategy.GENERATION_KINDS and obj.get("spec") != old.get("spec"):
                meta["generation"] = int(old["metadata"].get("generation", 1)) + 1
            strategy.allocate_for_update(self, kind, obj, old)
            if given:
                export.note(self.store, meta["uid"], given)
        old_text = self.store.managed(kind.plural, ns, name)
        if obj == old and (given_mf is _ABSENT or not given_mf
                           or (old_text is not None and given_mf == json.loads(old_text))):
            return self._shown(old, old_text)
        if self.field_manager:  # issue 14 (w-ssa): the writer's Update entry
            from minikctl.api.fieldmanager import track_update

            if given_mf is not _ABSENT:
                meta["managedFields"] = given_mf
            managed = track_update(self, kind, old, obj, self.field_manager,
                                   "status" if subresource == "status" else self.field_subresource, old_text)
        elif given_mf is _ABSENT:
            managed = old_text
        else:  # entries the writer computed (server-side apply) or a client gave, as they are
            managed = json.dumps(given_mf, separators=(",", ":"), ensure_ascii=False) if given_mf else None
        self._save(kind, obj, old, managed=KEEP if managed == old_text else managed)
        return self._shown(obj, managed)

    def update_status(self, obj: dict) -> dict:
        return self.update(obj, check_rv=False, subresource="status")

    def delete(self, resource: str, namespace: str, name: str) -> dict:
        from minikctl.api import strategy

        kind = K.by_plural(resource)
        ns = namespace if kind.namespaced else ""
        obj = self.store.get(resource, ns, name)
        if obj is None:
            raise NotFound.of(kind.group_resource, name)
        strategy.before_delete(self, kind, obj)
        if kind.kind == "Namespace":
            self._namespaces.discard(name)
        if (resource, ns, name) not in self._prev:
            self._prev[(resource, ns, name)] = _freeze(obj, len(self._prev))
        self.store.delete(resource, ns, name)
        self.store.release_owner(obj["metadata"]["uid"])
        if kind.kind in export.PINNABLE:  # its record of user-given values (cluster export) goes with it
            self.store.meta_delete(export.PINNED + obj["metadata"]["uid"])
        self._enqueue(resource, ns, name)
        strategy.observe(self, kind, obj, None)
        self.on_delete(kind, obj)
        return obj

    def on_delete(self, kind: K.Kind, obj: dict) -> None:
        """Garbage collection (background propagation): dependents whose controller owner is gone."""
        uid = obj["metadata"]["uid"]
        # one dependent at a time: a Deployment of 20,000 pods is not read into memory at once
        for resource, ns, name in self.store.owned_keys(uid):
            dep = self.store.get(resource, ns, name)
            if dep is None:
                continue
            dk = K.by_kind(dep.get("kind", ""))
            if dk is None:
                continue
            dmeta = dep["metadata"]
            refs = dmeta.get("ownerReferences") or []
            if any(r.get("uid") == uid and r.get("controller") for r in refs) or dk.kind == "Event":
                self.delete(dk.plural, dmeta.get("namespace", ""), dmeta["name"])

    def bind(self, namespace: str, name: str, node_name: str) -> dict:
        """The pods/binding subresource (pkg/registry/core/pod/storage/storage.go assignPod):
        sets spec.nodeName and the PodScheduled=True condition in one write. Like the real
        subresource it is not a pod update, so pod-update validation does not apply."""
        old = self.store.get("pods", namespace, name)
        if old is None:
            raise NotFound.of("pods", name)
        new = clone(old)
        new["spec"]["nodeName"] = node_name
        status = new.setdefault("status", {})
        status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"] + [
            {"lastProbeTime": None, "lastTransitionTime": self.clock.rfc3339(), "status": "True",
             "type": "PodScheduled"}]
        self._save(K.by_kind("Pod"), new, old)
        return new

    def _save(self, kind: K.Kind, obj: dict, old: dict | None = None, managed=KEEP) -> None:
        """Store a created (old None) or changed object, with its managedFields (JSON text or
        None); bind and the kubelet's own writes, which record no entry, keep the stored ones."""
        meta = obj["metadata"]
        ns = meta.get("namespace", "") if kind.namespaced else ""
        key = (kind.plural, ns, meta["name"])
        if key not in self._prev:
            self._prev[key] = _freeze(old, len(self._prev))
        meta["resourceVersion"] = str(self.store.next_rv())
        fields = index_fields(kind, obj)
        if old is None:
            self.store.put(kind.plural, ns, meta["name"], obj, exists=False, managed=managed, **fields)
        else:
            same = (meta.get("labels") == old["metadata"].get("labels")
                    and fields["selector"] == index_fields(kind, old)["selector"])
            self.store.put(kind.plural, ns, meta["name"], obj, exists=True, reindex=not same,
                           managed=managed, **fields)
        self._enqueue(kind.plural, ns, meta["name"])
        if kind.plural in _OBSERVED or kind.namespaced:
            from minikctl.api import strategy

            strategy.observe(self, kind, old, obj)

    def _enqueue(self, resource: str, ns: str, name: str) -> None:
        key = (resource, ns, name)
        if key not in self._queued:
            self._queued.add(key)
            self.queue.append(key)

    def pop_queue(self) -> tuple[str, str, str] | None:
        if not self.queue:
            return None
        key = self.queue.popleft()
        self._queued.discard(key)
        prev = self._prev.pop(key, None)
        self.previous = marshal.loads(prev) if type(prev) is bytes else prev
        return key

    # ------------------------------------------------------------------ events
    def record_event(self, involved: dict, type_: str, reason: str, message: str, source: str,
                     source_host: str | None = None) -> None:
        """Record an Event the way client-go's event recorder does: through its correlator
        (minikctl.api.events: similar events aggregated, repeats counted, a source's events
        about one object rate-limited), except kube-scheduler's, written as they come."""
        meta = involved["metadata"]
        kind = K.by_kind(involved.get("kind", ""))
        ns = meta.get("namespace") or "default"
        now = self.clock.rfc3339()
        ev = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "", "namespace": ns},
            "involvedObject": {
                "kind": involved.get("kind"),
                "namespace": meta.get("namespace"),
                "name": meta["name"],
                "uid": meta.get("uid"),
                "apiVersion": kind.api_version if kind else involved.get("apiVersion"),
                "resourceVersion": meta.get("resourceVersion"),
            },
            "reason": reason,
            "message": message,
            "source": {"component": source, **({"host": source_host} if source_host else {})},
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": source,
            "reportingInstance": source_host or "",
        }
        if not ev["involvedObject"]["namespace"]:
            del ev["involvedObject"]["namespace"]
        if involved.get("_ref") or meta.get("uid") is None:
            # a hand-made ObjectReference (the taint manager's kind/namespace/name, the kubelet's
            # nodeRef with the node's name as uid): only the fields it has
            ev["involvedObject"] = {k: v for k, v in ev["involvedObject"].items()
                                    if k in ("kind", "namespace", "name", "uid") and v}

        def new_name() -> str:
            # client-go names an event "<object>.<hex unix nanoseconds>" (so a list is chronological);
            # the resourceVersion counter keeps names unique and ordered under a frozen clock.
            return f"{meta['name']}.{int(self.clock.timestamp()) * 1_000_000_000 + self.store.next_rv():x}"[:253]

        existing = None
        if source in events.UNCORRELATED_SOURCES:
            ev["metadata"]["name"] = new_name()
        else:
            if self._events is None:
                self._events = events.Correlator()
            verdict = self._events.correlate(ev, self.clock.timestamp(), new_name)
            if verdict is None:
                return  # dropped by the spam filter
            ev, existing = verdict
        kind_ev = K.by_kind("Event")
        if existing is not None:
            old = self.store.get("events", ns, existing)
            if old is not None:  # the recorder's patch: count, lastTimestamp, message
                old.update(count=ev["count"], lastTimestamp=ev["lastTimestamp"], message=ev["message"])
                old["metadata"]["resourceVersion"] = str(self.store.next_rv())
                self.store.put("events", ns, existing, old, exists=True, reindex=False, **index_fields(kind_ev, old))
                return
            ev["metadata"] = {"name": existing, "namespace": ns}  # gone meanwhile: created again
        ev["metadata"]["uid"] = new_uid()
        ev["metadata"]["creationTimestamp"] = now
        ev["metadata"]["resourceVersion"] = str(self.store.next_rv())
        self.store.put("events", ns, ev["metadata"]["name"], ev, **index_fields(kind_ev, ev))

    def events_for(self, obj: dict) -> list[dict]:
        evs = self.store.owned_by(obj["metadata"]["uid"], "events")
        evs.sort(key=lambda e: (e.get("lastTimestamp") or "", e["metadata"].get("resourceVersion", "0").zfill(12)))
        return evs


def dumps(obj: dict) -> str:
    return json.dumps(obj, indent=4, ensure_ascii=False)
