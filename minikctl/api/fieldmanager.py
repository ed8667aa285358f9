"""metadata.managedFields and server-side apply: a port of kube-apiserver's field manager
(k8s.io/apimachinery/pkg/util/managedfields/internal: fieldmanager.go, structuredmerge.go,
managedfieldsupdater.go, stripmeta.go, skipnonapplied.go, lastappliedmanager.go,
lastappliedupdater.go, managedfields.go, conflict.go; k8s.io/apiserver/pkg/endpoints/handlers
for the manager's name) over api/ssa.py's field sets.

- Every write made with a manager (API.field_manager: the CLI command's kubectl default or its
  --field-manager, the `fieldManager` query parameter or the User-Agent's product through
  `minikctl serve`, `kube-controller-manager` / `kubelet` for the controllers) records an
  `Update` entry: the fields it added or changed are its, and no longer any other manager's;
  removed fields leave every set (Updater.Update with the "current-operation" manager, whose time
  is set only when it took a field).
- apply(): server-side apply. The applied configuration is merged into the live object, the
  applier's set becomes the configuration's fields, what it applied before and no longer does is
  removed unless another manager owns it, and a change to a field another manager owns is a
  409 Conflict (`Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using
  apps/v1: .spec.replicas`) unless forced, which takes the field from it.
The entries are written sorted as kube-apiserver sorts them (operation, time, manager,
apiVersion, subresource), each in Go's field order: manager, operation, apiVersion, time,
fieldsType, fieldsV1, subresource."""

from __future__ import annotations

import json

from minikctl.api import ssa
from minikctl.api.errors import ApiError
from minikctl.api.managers import CSA_MANAGER, SSA_MANAGER  # noqa: F401 - re-exported

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# stripmeta.go: never part of a manager's set
_STRIP = ssa.FSet()
for _p in (("f:apiVersion",), ("f:kind",), ("f:metadata",)) + tuple(
        ("f:metadata", "f:" + f) for f in ("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
                                           "generation", "managedFields", "resourceVersion")):
    _STRIP.insert(_p)


class ApplyConflict(ApiError):
    """errors.NewApplyConflict: 409 Conflict, a FieldManagerConflict cause per conflict."""

    reason = "Conflict"
    code = 409

    def __init__(self, message: str, causes: list[dict]):
        super().__init__(message)
        self.status_details = {"causes": causes}


_IDENTS: dict = {}


class Entry:
    __slots__ = ("manager", "operation", "api_version", "time", "subresource", "_fields", "raw")

    def __init__(self, manager, operation, api_version, time, subresource, fields, raw=None):
        self.manager = manager
        self.operation = operation
        self.api_version = api_version
        self.time = time
        self.subresource = subresource
        self._fields = fields  # ssa.FSet, or None until first needed (raw["fieldsV1"] holds it)
        self.raw = raw  # the entry as stored, while it is unchanged

    @property
    def fields(self) -> ssa.FSet:
        if self._fields is None:
            self._fields = ssa.FSet.from_json(self.raw.get("fieldsV1"))
        return self._fields

    @fields.setter
    def fields(self, value: ssa.FSet) -> None:
        self._fields = value
        self.raw = None

    def empty(self) -> bool:
        if self._fields is None:
            return not self.raw.get("fieldsV1")
        return self._fields.empty()

    def touches(self, s: ssa.FSet) -> bool:
        """Whether the entry holds a path of s (read from the stored form, without decoding it)."""
        if self._fields is None:
            return _intersects_json(s, self.raw.get("fieldsV1") or {})
        return not self._fields.intersection(s).empty()

    def ident(self) -> str:
        """BuildManagerIdentifier: the entry without its time and fields (and, for an applier,
        without its apiVersion), as Go's encoding/json writes it."""
        key = (self.manager, self.operation, self.api_version, self.subresource)
        out = _IDENTS.get(key)
        if out is None:
            out = _IDENTS[key] = self._ident()
        return out

    def _ident(self) -> str:
        d = {}
        if self.manager:
            d["manager"] = self.manager
        if self.operation:
            d["operation"] = self.operation
        if self.api_version and self.operation != "Apply":
            d["apiVersion"] = self.api_version
        if self.subresource:
            d["subresource"] = self.subresource
        return json.dumps(d, separators=(",", ":"), ensure_ascii=False)

    def encode(self) -> dict:
        if self.raw is not None:
            return self.raw
        return _entry_dict(self.manager, self.operation, self.api_version, self.time, self.fields.to_json(),
                           self.subresource)


def _entry_dict(manager: str, operation: str, api_version: str, time, fields_v1: dict, subresource: str) -> dict:
    """A ManagedFieldsEntry as Go's encoding/json writes it (field order, omitempty)."""
    out = {}
    if manager:
        out["manager"] = manager
    out["operation"] = operation
    out["apiVersion"] = api_version
    if time:
        out["time"] = time
    out["fieldsType"] = "FieldsV1"
    out["fieldsV1"] = fields_v1
    if subresource:
        out["subresource"] = subresource
    return out


def decode(entries) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for e in entries or ():
        if not isinstance(e, dict):
            continue
        entry = Entry(e.get("manager") or "", e.get("operation") or "", e.get("apiVersion") or "", e.get("time"),
                      e.get("subresource") or "", None, e)
        key = entry.ident()
        if key in out:  # the same manager twice: one set
            out[key].fields = out[key].fields.union(entry.fields)
        else:
            out[key] = entry
    return out


def encode(managers: dict[str, Entry]) -> list[dict]:
    def key(e: Entry):
        return (e.operation, e.time or "", e.manager, e.api_version, e.subresource)

    return [e.encode() for e in sorted(managers.values(), key=key) if not e.empty()]


def _set_entries(obj: dict, managers: dict[str, Entry]) -> None:
    meta = obj.setdefault("metadata", {})
    entries = encode(managers)
    if entries:
        meta["managedFields"] = entries
    else:
        meta.pop("managedFields", None)


def _raw(obj: dict | None) -> dict:
    """The object without its managedFields (what the field manager compares)."""
    if obj is None:
        return {}
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        obj = dict(obj)
        obj["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return obj


def _gt(kind) -> str | None:
    from minikctl.printers.structured import _gotypes

    return _gotypes()["kinds"].get(f"{kind.api_version}/{kind.kind}")


def _bare(obj: dict | None) -> dict:
    """The object as the field manager sees it: without its managedFields, in Go's typed form
    (the fields encoding/json always writes present with their zero values: printers/gotypes.json,
    as structured.typed_order, without reordering; what it does not change is shared, not copied)."""
    from minikctl.printers.structured import _gotypes

    if obj is None:
        return {}
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        obj = dict(obj)
        obj["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    g = _gotypes()
    t = g["kinds"].get(f"{obj.get('apiVersion')}/{obj.get('kind')}")
    return _fill(obj, t, g["types"]) if t else obj


def _fill(v, t, types):
    fields = types.get(t) if t is not None else None
    if fields is None:
        return v
    if isinstance(v, list):
        out = None
        for i, x in enumerate(v):
            nx = _fill(x, t, types)
            if nx is not x:
                if out is None:
                    out = list(v)
                out[i] = nx
        return v if out is None else out
    if not isinstance(v, dict):
        return v
    out = None
    for f in fields:
        name, ref = f[0], f[1]
        if name in v:
            if ref is None:
                continue
            x = v[name]
            if ref.startswith("map:"):
                if not isinstance(x, dict):
                    continue
                nx = {k: _fill(y, ref[4:], types) for k, y in x.items()}
                if all(nx[k] is x[k] for k in x):
                    continue
            else:
                nx = _fill(x, ref, types)
                if nx is x:
                    continue
        elif len(f) > 2:
            nx = _fill({}, ref, types) if f[2] == "S" else _ZERO.get(f[2])
        else:
            continue
        if out is None:
            out = dict(v)
        out[name] = nx
    return v if out is None else out


_ZERO = {"N": None, "E": "", "0": 0, "F": False, "Q": "0", "D": "0s"}
_EMPTIES: dict = {}


def _empty(api_version: str, kind: str) -> dict:
    """scope.Creater.New(kind): the zero value of the kind's Go struct (no TypeMeta). Shared: never changed."""
    key = (api_version, kind)
    out = _EMPTIES.get(key)
    if out is None:
        out = dict(_bare({"apiVersion": api_version, "kind": kind}))
        out.pop("apiVersion", None)
        out.pop("kind", None)
        _EMPTIES[key] = out
    return out


def _strip(s: ssa.FSet) -> ssa.FSet:
    return s.difference(_STRIP)


# ------------------------------------------------------------------------------------ update
def text_of(entries) -> str | None:
    """managedFields as the store keeps them beside the object (state/0006): JSON text, None for none."""
    if not entries:
        return None
    return json.dumps(entries, separators=(",", ":"), ensure_ascii=False)


def _encode_text(managers: dict[str, Entry]) -> str | None:
    return text_of(encode(managers))


_UPDATES: dict[tuple, str | None] = {}  # an update's key (_update_key) -> the managedFields it leaves
_MISS = object()


def _update_key(root, gt, kind, manager: str, subresource: str, now: str, text: str | None, lhs: dict,
                rhs: dict) -> tuple[str | None, dict]:
    """What an update's managedFields depend on: the kind, the manager, the subresource, the time,
    the entries before, and what typed.Compare finds between the old and new object
    (ssa.compare_key), a one-item list's key values (a pod's IP in podIPs) as placeholders; and
    the values those stand for. None when a value that stands for a placeholder also shows in the
    key (the entries before name it): the outcome could depend on it. The kubelet's and
    kube-scheduler's status writes of a ReplicaSet's pods have one key per kind of change (bench
    figure 5)."""
    vals: dict[str, int] = {}

    def sub(f, x):
        if not _safe_value(x):
            return x
        i = vals.get(x)
        if i is None:
            i = vals[x] = len(vals)
        return f"@@{i}@@"

    try:
        shape = json.dumps(ssa.compare_key(root, gt, lhs, rhs, _shape, sub), separators=(",", ":"),
                           check_circular=False)
    except (TypeError, ValueError):
        return None, vals
    for x in vals:
        if x in shape or (text is not None and x in text) or x in manager or x in now:
            return None, vals
    return (kind.api_version, kind.kind, manager, subresource, now, text, shape), vals


_EXACT: dict[tuple, str | None] = {}  # an update's _exact_key -> the managedFields it leaves


def _exact_key(kind, manager: str, subresource: str, now: str, text: str | None, lhs: dict, rhs: dict):
    """A first key, cheaper than _update_key's walk, for updates that are the same to the letter
    (kube-scheduler's FailedScheduling status of a ReplicaSet's pending pods): the top-level fields
    that differ, with their old and new values (typed.Compare never looks inside equal values)."""
    changed = [k for k in lhs.keys() | rhs.keys() if lhs.get(k, _MISS) is not rhs.get(k, _MISS)
               and (type(lhs.get(k, _MISS)) is not type(rhs.get(k, _MISS)) or lhs[k] != rhs[k])]
    changed.sort()
    try:
        values = json.dumps([[k, k in lhs, lhs.get(k), k in rhs, rhs.get(k)] for k in changed],
                            separators=(",", ":"), check_circular=False)
    except (TypeError, ValueError):
        return None
    return (kind.api_version, kind.kind, manager, subresource, now, text, values)


def track_update(api, kind, old: dict | None, new: dict, manager: str, subresource: str = "",
                 old_text: str | None = None) -> str | None:
    """FieldManager.Update on a create (old None) or an update: new's managedFields as JSON text
    (None: none). `old_text`: the entries old has (Store.managed). Entries new carries in
    metadata.managedFields (a client's) are taken off it and used instead, unless empty on an
    update (fieldmanager.go decodeLiveOrNew)."""
    meta_new = new.get("metadata") or {}
    given = meta_new.pop("managedFields", None) if isinstance(meta_new, dict) else None
    if old is not None and meta_new.get("deletionTimestamp") and not (old.get("metadata") or {}).get(
            "deletionTimestamp"):
        return old_text  # a graceful deletion (the registry's BeforeDelete) is no field manager's write
    managers = None
    if isinstance(given, list) and (given or old is None):
        managers = decode(given)
        text = None
    else:
        text = old_text
    if (not subresource and old is not None and manager in _STATUS_WRITERS and "status" in new
            and old.get("spec") == new.get("spec") and old.get("status") != new.get("status")):
        subresource = "status"  # the controllers write status through the status subresource
    if old is None and not (managers if managers is not None else text):
        return _track_first_write(api, kind, new, manager, subresource)
    root = ssa.root_node(kind.api_version, kind.kind)
    lhs = _raw(old) if old is not None else _empty(kind.api_version, kind.kind)
    rhs = _raw(new)
    gt = _gt(kind)
    key = vals = exact = None
    if managers is None:
        if old is not None:
            now = api.clock.rfc3339()
            exact = _exact_key(kind, manager, subresource, now, text, lhs, rhs)
            if exact is not None:
                hit = _EXACT.get(exact, _MISS)
                if hit is not _MISS:
                    return hit
            key, vals = _update_key(root, gt, kind, manager, subresource, now, text, lhs, rhs)
            if key is not None:
                hit = _UPDATES.get(key, _MISS)
                if hit is not _MISS:
                    if hit is not None:
                        for x, i in vals.items():
                            hit = hit.replace(f"@@{i}@@", x)
                    _remember(_EXACT, exact, hit)
                    return hit
        managers = decode(json.loads(text)) if text else {}
    cmp = ssa.compare(root, lhs, rhs, gt)
    _record_update(api, kind, managers, cmp, manager, subresource)
    out = _encode_text(managers)
    _remember(_EXACT, exact, out)
    if key is not None:
        template = out
        if template is not None and vals:
            if "@@" in template:
                return out
            for x, i in vals.items():  # k:{"ip":"..."} in the JSON text: \"...\"
                template = template.replace('\\"' + x + '\\"', '\\"@@' + str(i) + '@@\\"')
        _remember(_UPDATES, key, template)
    return out


def _remember(memo: dict, key, out: str | None) -> None:
    if key is not None:
        if len(memo) >= 512:  # a pod's own values make most exact keys unique: they come and go
            memo.clear()
        memo[key] = out


_FIRST_WRITES: dict[str, str | None] = {}  # the shape of a new object -> its creator's fieldsV1 (JSON)


_SAFE_KEY_VALUE = None


def _safe_value(x: str) -> bool:
    """A value that can stand for a placeholder in fieldsV1's JSON text: written as it is."""
    global _SAFE_KEY_VALUE
    if _SAFE_KEY_VALUE is None:
        import re

        _SAFE_KEY_VALUE = re.compile(r"[A-Za-z0-9._-]+\Z").match
    return _SAFE_KEY_VALUE(x) is not None


def _shape(n, v, sub):
    """What a new object's field set depends on (fieldpath.SetFromValue over the schema): map
    keys; a scalar only by its JSON type (a field is a path, not a value); an atomic list or map
    only by being there; an associative list or a set as it is (its items are named by their key
    fields' values, a set's by its values), except that a one-item associative list's plain string
    key values (an ownerReference's uid) become placeholders: sub(field, value) gives them."""
    t = type(v)
    if t is dict:
        n = ssa._deduce(n, v)
        if n.kind != "m":
            return v
        if n.atomic:
            return "{}"
        return {k: _shape(ssa.field_node(n, k), x, sub) for k, x in v.items()}
    if t is list:
        n = ssa._deduce(n, v)
        if n.kind == "l" and n.rel == "atomic":
            return "[]"
        if n.kind == "l" and n.rel == "map" and len(v) == 1 and type(v[0]) is dict and n.keys:
            en = ssa.elem_node(n)
            item = {}
            for f, x in v[0].items():
                if f in n.keys:
                    item[f] = sub(f, x) if type(x) is str else x
                else:
                    item[f] = _shape(ssa.field_node(en, f), x, sub)
            return [item]
        return v
    if t is str:
        return ""
    if t is bool:
        return False
    if t is int:
        return 0
    if t is float:
        return 0.0
    return v


def _track_first_write(api, kind, new: dict, manager: str, subresource: str) -> str | None:
    """The creator's entry of an object that had none: every field it has. Objects of one shape
    (a ReplicaSet's pods, a thousand Services that differ in names, selectors' values, ports' numbers
    outside lists) have one field set, computed once per shape: the same entry as _record_update
    makes, without walking each object again (bench figures 3 and 5)."""
    raw = _raw(new)
    root = ssa.root_node(kind.api_version, kind.kind)
    subs: list = []

    def sub(f, x):
        if not _safe_value(x):
            return x
        subs.append((f, x))
        return f"@@{len(subs) - 1}@@"

    try:
        key = json.dumps([kind.api_version, kind.kind, manager, subresource, _shape(root, raw, sub)],
                         separators=(",", ":"), check_circular=False)
    except (TypeError, ValueError):
        key = None
    fields = _FIRST_WRITES.get(key, False) if key is not None else False
    if fields is False:
        managers: dict[str, Entry] = {}
        cmp = ssa.compare(root, _empty(kind.api_version, kind.kind), raw, _gt(kind))
        _record_update(api, kind, managers, cmp, manager, subresource)
        entries = encode(managers)
        fields = json.dumps(entries[0]["fieldsV1"], separators=(",", ":")) if entries else None
        if key is not None:
            template = fields
            for i, (f, x) in enumerate(subs):  # k:{"uid":"..."} in the JSON text: \"uid\":\"...\"
                needle = '\\"' + f + '\\":\\"' + x + '\\"'
                if template is None or template.count(needle) != 1:
                    template = False  # not where it was expected: this shape is not memoised
                    break
                template = template.replace(needle, '\\"' + f + '\\":\\"@@' + str(i) + '@@\\"')
            if template is not False:
                if len(_FIRST_WRITES) >= 512:
                    _FIRST_WRITES.clear()
                _FIRST_WRITES[key] = template
    elif fields is not None:
        for i, (_, x) in enumerate(subs):
            fields = fields.replace(f"@@{i}@@", x)
    if fields is None:
        return None
    entry = json.dumps([_entry_dict(manager, "Update", kind.api_version, api.clock.rfc3339(), _SPLICE, subresource)],
                       separators=(",", ":"), ensure_ascii=False)
    return entry.replace(_SPLICED, fields, 1)


_SPLICE = "\x00fieldsV1\x00"  # where a first write's entry takes its fieldsV1 text
_SPLICED = json.dumps(_SPLICE)


_STATUS_WRITERS = ("kube-controller-manager", "kubelet", "kube-scheduler")


def track_create(api, kind, obj: dict, manager: str) -> str | None:
    """The managedFields (JSON text) of a new object: the creator's Update entry over the object as
    decoded (with its defaults), before the admission plugins and PrepareForCreate change it
    (create.go runs the field manager before admission)."""
    key = _create_key(api, kind, obj, manager)
    if key is not None:
        hit = _CREATES.get(key, _MISS)
        if hit is not _MISS:
            return hit
    out = _track_create(api, kind, obj, manager)
    if key is not None:
        if len(_CREATES) >= 512:
            _CREATES.clear()
        _CREATES[key] = out
    return out


_CREATES: dict[str, str | None] = {}  # a new object's key (_create_key) -> its managedFields


def _create_key(api, kind, obj: dict, manager: str) -> str | None:
    """What a new object's managedFields depend on: the object as given, except its name's value
    (defaulting reads only whether a Namespace has one), and the time: a ReplicaSet's pods, which
    differ only in their names' random suffixes, have one key (bench figure 5)."""
    meta = obj.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("name"), str) and meta["name"]:
        obj = {**obj, "metadata": {**meta, "name": "@"}}
    try:
        return json.dumps([kind.api_version, kind.kind, manager, api.clock.rfc3339(), obj],
                          separators=(",", ":"), check_circular=False)
    except (TypeError, ValueError):
        return None


def _track_create(api, kind, obj: dict, manager: str) -> str | None:
    from minikctl.api.defaults import apply_defaults
    from minikctl.api.server import clone

    decoded = clone(obj)
    from minikctl.api.strategy import _STATUS_ON_CREATE

    if kind.kind not in _STATUS_ON_CREATE:
        decoded.pop("status", None)
    apply_defaults(decoded)
    if kind.kind == "Namespace":  # namespaceStrategy.PrepareForCreate sets the phase and the finalizer
        decoded.pop("status", None)
        if "spec" in obj:
            decoded["spec"] = clone(obj["spec"])
        else:
            decoded.pop("spec", None)
    elif kind.kind == "Service" and isinstance(decoded.get("spec"), dict):
        given = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        for f in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):  # the REST allocator's, not defaults
            if f not in given:
                decoded["spec"].pop(f, None)
    return track_update(api, kind, None, decoded, manager)


MAX_UPDATE_MANAGERS = 10  # fieldmanager.go DefaultMaxUpdateManagers


def _cap_update_managers(managers: dict[str, Entry]) -> None:
    """capmanagers.go: past 10 Update entries, the oldest are merged into an "ancient-changes"
    entry per apiVersion."""
    updaters = [k for k, e in managers.items() if e.operation != "Apply"]
    if len(updaters) <= MAX_UPDATE_MANAGERS:
        return
    updaters.sort(key=lambda k: (managers[k].time or "", k))
    first: dict[str, str] = {}
    length = len(updaters)
    for key in updaters:
        if length <= MAX_UPDATE_MANAGERS:
            break
        e = managers[key]
        bucket = Entry("ancient-changes", "Update", e.api_version, e.time, "", ssa.FSet())
        bkey = bucket.ident()
        if e.api_version in first:
            if bkey not in managers:
                f = managers.pop(first[e.api_version])
                managers[bkey] = Entry("ancient-changes", "Update", f.api_version, f.time, "", f.fields)
            b = managers[bkey]
            b.fields = e.fields.union(b.fields)
            b.time = e.time
            del managers[key]
            length -= 1
        else:
            first[e.api_version] = key


def _drop_reset(s: ssa.FSet, subresource: str) -> ssa.FSet:
    """The strategies' GetResetFields as the Updater's IgnoreFilter: a write of the main resource
    owns nothing under status, one of the status subresource nothing under spec."""
    top = {"": "f:status", "status": "f:spec"}.get(subresource)
    if top is not None:
        s.m.discard(top)
        s.c.pop(top, None)
    return s


def _exclude_reset(cmp: ssa.Comparison, subresource: str) -> None:
    for s in (cmp.added, cmp.modified, cmp.removed):
        _drop_reset(s, subresource)


def _record_update(api, kind, managers: dict[str, Entry], cmp: ssa.Comparison, manager: str,
                   subresource: str) -> None:
    _exclude_reset(cmp, subresource)
    changed = cmp.modified.union(cmp.added)
    gone = changed.union(cmp.removed)
    if not gone.empty():
        for key in list(managers):
            e = managers[key]
            if not e.touches(gone):
                continue
            e.fields = e.fields.difference(gone)
            if e.fields.empty():
                del managers[key]
    mine = _strip(changed)
    if mine.empty():
        return
    e = Entry(manager, "Update", kind.api_version, api.clock.rfc3339(), subresource, mine)
    prev = managers.get(e.ident())
    if prev is not None:
        e.fields = mine.union(prev.fields)
    managers[e.ident()] = e
    _cap_update_managers(managers)


# ------------------------------------------------------------------------------------- apply
def _conflict_error(conflicts: list[tuple[str, Entry, tuple]]) -> ApplyConflict:
    """internal/conflict.go NewConflictError, getConflictMessage, printManager."""

    def who(e: Entry) -> str:
        from minikctl.api.errors import go_quote

        s = go_quote(e.manager)
        if e.subresource:
            s = f"{s} with subresource {go_quote(e.subresource)}"
        if e.operation == "Update":
            return f"{s} using {e.api_version}"  # the identifier carries no time
        return s

    causes = [{"reason": "FieldManagerConflict", "message": f"conflict with {who(e)}", "field": ssa.path_string(p)}
              for _, e, p in conflicts]
    if len(conflicts) == 1:
        _, e, p = conflicts[0]
        msg = f"Apply failed with 1 conflict: conflict with {who(e)}: {ssa.path_string(p)}"
    else:
        lines = []
        for key in sorted({k for k, _, _ in conflicts}):
            e = next(e for k, e, _ in conflicts if k == key)
            lines.append(f"conflicts with {who(e)}:")
            lines.extend(f"- {ssa.path_string(p)}" for k, _, p in conflicts if k == key)
        msg = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return ApplyConflict(msg, causes)


def apply(api, kind, namespace: str, name: str, config: dict, manager: str, force: bool = False,
          subresource: str = "") -> tuple[dict | None, dict]:
    """Server-side apply of `config` (the body of an application/apply-patch+yaml PATCH) by
    `manager`: (the live object or None when it is created, the object as written)."""
    from minikctl.api.server import clone

    config = clone(config)
    cmeta = config.setdefault("metadata", {})
    if cmeta.get("managedFields") is not None:  # fieldmanager.go Apply
        from minikctl.api.errors import BadRequest

        raise BadRequest("metadata.managedFields must be nil")
    cmeta.pop("managedFields", None)
    if kind.namespaced:
        cmeta["namespace"] = namespace
    else:
        cmeta.pop("namespace", None)
    cmeta["name"] = name
    live = api.try_get(kind.plural, namespace, name)
    root = ssa.root_node(kind.api_version, kind.kind)
    if live is not None and "managedFields" not in (live.get("metadata") or {}):
        api.store.with_managed(kind.plural, live)  # kept beside the object (state/0006)
    managers = decode(((live or {}).get("metadata") or {}).get("managedFields"))
    if live is not None and not managers:  # skipnonapplied.go: the fields so far are "before-first-apply"'s
        cmp = ssa.compare(root, _empty(kind.api_version, kind.kind), _raw(live), _gt(kind))
        _record_update(api, kind, managers, cmp, "before-first-apply", "")
    base = {k: v for k, v in live.items()} if live is not None else {}
    if live is not None:
        base["metadata"] = {k: v for k, v in live["metadata"].items() if k != "managedFields"}
    merged = ssa.merge(root, base if live is not None else {}, config)
    applied = _drop_reset(ssa.to_fieldset(root, config), subresource)
    me = Entry(manager, "Apply", kind.api_version, None, subresource, applied)
    key = me.ident()
    last = managers.get(key)
    prev_time = last.time if last is not None else None
    managers[key] = me
    if last is not None and not last.fields.empty():
        keep = ssa.FSet()
        for e in managers.values():
            keep = keep.union(e.fields)
        ssa.prune(root, merged, last.fields, keep)
    lhs = _raw(live) if live is not None else _empty(kind.api_version, kind.kind)
    cmp = ssa.compare(root, lhs, _raw(merged), _gt(kind))
    _exclude_reset(cmp, subresource)
    changed = cmp.modified.union(cmp.added)
    conflicts = []
    for k, e in managers.items():
        if k == key:
            continue
        both = e.fields.intersection(changed)
        if not both.empty():
            conflicts.extend((k, e, p) for p in both.paths())
    if conflicts and not force and manager == SSA_MANAGER and live is not None:
        # lastappliedmanager.go: kubectl's first server-side apply may take the fields its
        # client-side apply's last-applied configuration held
        allowed = _last_applied_set(root, live)
        if allowed is not None:
            rest = [c for c in conflicts if not _in_set(allowed, c[2])]
            if not rest:
                force = True
            conflicts = rest
    if conflicts and not force:
        raise _conflict_error(conflicts)
    rv = cmeta.get("resourceVersion")
    if rv and live is not None and rv != live["metadata"].get("resourceVersion"):  # the storage's precondition
        from minikctl.api.errors import Conflict

        raise Conflict.of(kind.group_resource, name)
    for k in list(managers):
        if k == key:
            continue
        e = managers[k]
        e.fields = e.fields.difference(changed).difference(cmp.removed)
        if e.fields.empty():
            del managers[k]
    me.fields = _strip(me.fields)
    if me.fields.empty():
        del managers[key]
    unchanged = live is not None and _raw(merged) == _raw(live)
    me.time = prev_time if unchanged and prev_time else api.clock.rfc3339()
    if manager == SSA_MANAGER:  # lastappliedupdater.go: kubectl keeps the annotation in step
        ann = (merged.get("metadata") or {}).get("annotations") or {}
        if LAST_APPLIED in ann:
            merged["metadata"]["annotations"] = dict(ann)
            merged["metadata"]["annotations"][LAST_APPLIED] = _build_last_applied(config)
    _set_entries(merged, managers)
    saved = api.field_manager
    api.field_manager = None  # the entries are computed: the write itself adds none
    try:
        if live is None:
            written = api.create(merged, namespace=namespace or None)
        else:
            merged["metadata"]["resourceVersion"] = live["metadata"].get("resourceVersion")
            written = api.update(merged, check_rv=False)
    finally:
        api.field_manager = saved
    if "managedFields" not in written["metadata"]:  # the writer sees the entries it made
        written = api.store.with_managed(kind.plural, written)
    return live, written


def _intersects_json(s: ssa.FSet, j: dict) -> bool:
    for pe in s.m:
        x = j.get(pe)
        if x is not None and (not x or "." in x):
            return True
    for pe, ch in s.c.items():
        x = j.get(pe)
        if x and _intersects_json(ch, x):
            return True
    return False


def _in_set(s: ssa.FSet, path) -> bool:
    for pe in path[:-1]:
        s = s.c.get(pe)
        if s is None:
            return False
    return path[-1] in s.m


def _last_applied_set(root, live: dict):
    raw = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
    if not raw:
        return None
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    return ssa.to_fieldset(root, obj)


def _build_last_applied(config: dict) -> str:
    """buildLastApplied: the applied configuration without the annotation, as
    unstructured.UnstructuredJSONScheme encodes it (sorted keys, a newline at the end)."""
    from minikctl.printers.structured import go_escape

    obj = dict(config)
    meta = obj.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        meta = obj["metadata"] = dict(meta)
        meta["annotations"] = {k: v for k, v in meta["annotations"].items() if k != LAST_APPLIED}
    return go_escape(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)) + "\n"


# ---------------------------------------------------------------------------------- managers
from minikctl.api.managers import (CLI_DEFAULTS, cli_manager, controller_manager,  # noqa: E402,F401 - re-exported
                                   manager_from_request)


# ------------------------------------------------------------------------------ minikctl serve
def request_manager(req) -> str | None:
    """The manager of a write through `minikctl serve`: none for a read or a delete (deletion
    records no entry)."""
    if req.method not in ("POST", "PUT", "PATCH"):
        return None
    return manager_from_request(req.q("fieldManager"), req.headers.get("user-agent"))


def _validate_patch_options(req, apply_patch: bool) -> None:
    """apimachinery/pkg/api/validation ValidatePatchOptions and ValidateFieldManager, refused as
    errors.NewInvalid(PatchOptions.meta.k8s.io, "")."""
    from minikctl.api.errors import FieldError

    errs = []
    force = req.q("force")
    manager = req.q("fieldManager") or ""
    if not apply_patch:
        if force is not None:
            errs.append(FieldError("Forbidden", "force", None, "may not be specified for non-apply patch", False))
    elif not manager:
        errs.append(FieldError("Required value", "fieldManager", None, "is required for apply patch", False))
    if len(manager) > 128:
        errs.append(FieldError("Too long", "fieldManager", manager, "may not be more than 128 bytes", False))
    elif any(not ch.isprintable() for ch in manager):
        errs.append(FieldError("Invalid value", "fieldManager", manager, "must only contain printable characters"))
    if errs:
        raise PatchOptionsInvalid(errs)


class PatchOptionsInvalid(ApiError):
    reason = "Invalid"
    code = 422

    def __init__(self, errs):
        body = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
        super().__init__(f'PatchOptions.meta.k8s.io "" is invalid: {body}')
        self.status_details = {"group": "meta.k8s.io", "kind": "PatchOptions",
                               "causes": [{"reason": _CAUSE.get(e.type, "FieldValueInvalid"), "message": e.body(),
                                           "field": e.field} for e in errs]}


_CAUSE = {"Required value": "FieldValueRequired", "Forbidden": "FieldValueForbidden", "Too long": "FieldValueTooLong",
          "Invalid value": "FieldValueInvalid"}


def serve_apply(backend, req, t, dry_run: bool, respond):
    """PATCH with Content-Type application/apply-patch+yaml (handlers/patch.go applyPatcher):
    200 with the object, 201 when the apply created it."""
    from minikctl.api.errors import BadRequest
    from minikctl.apiserver.rest import MAX_BODY, RequestTooLarge

    _validate_patch_options(req, True)
    if len(req.body) > MAX_BODY:
        raise RequestTooLarge()
    force = (req.q("force") or "").lower() in ("true", "1")
    import yaml

    try:
        patch = yaml.safe_load(req.body.decode("utf-8", "replace"))
    except yaml.YAMLError as e:
        raise BadRequest(f"error decoding YAML: {e}") from None
    if not isinstance(patch, dict):
        raise BadRequest("error decoding YAML: the apply configuration must be an object")
    version = patch.get("apiVersion") or ""
    if version != t.kind.api_version:
        raise BadRequest(f"Incorrect version specified in apply patch. Specified patch version: {version}, expected: "
                         f"{t.kind.api_version}")
    meta = patch.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise BadRequest("metadata must be an object")
    if meta and meta.get("name") and meta["name"] != t.name:
        raise BadRequest(f"the name of the object ({meta['name']}) does not match the name on the URL ({t.name})")
    if t.kind.namespaced and meta and meta.get("namespace") and meta["namespace"] != t.namespace:
        raise BadRequest("the namespace of the provided object does not match the namespace sent on the request")
    s = backend._fresh()
    with s.write(dry_run=dry_run) as api:
        live, written = apply(api, t.kind, t.namespace or "", t.name, patch, req.q("fieldManager"), force)
    return respond(written, 201 if live is None else 200, api)
