"""Field sets and typed values for server-side apply: a port of sigs.k8s.io/structured-merge-diff
(v4, as vendored by Kubernetes 1.32) over the Kubernetes 1.32 OpenAPI v3 schema shipped in
api/openapi_v3/ (api/openapi.py).

- the schema of a field (kube-openapi's schemaconv, precomputed in api/ssa_schema.json by
  tools/gen_ssa_schema.py): a struct or a map (`additionalProperties`)
  is granular unless `x-kubernetes-map-type: atomic`; a list is what `x-kubernetes-list-type`
  says (`atomic`, `set`, `map` keyed by `x-kubernetes-list-map-keys`), else, from the patch
  strategy, associative by `x-kubernetes-patch-merge-key`, a set with `merge` and no key, atomic
  without; IntOrString, Quantity, RawExtension and preserve-unknown-fields values are deduced
  from the value (a map is granular, a list atomic);
- FSet: fieldpath.Set (members and children by path element), its JSON form FieldsV1
  (fieldpath/serialize.go: `f:name`, `k:{"name":"x"}` with the key fields sorted and defaulted
  from the schema (typed/helpers.go keyedAssociativeListItemToPathElement), `v:"value"`, `i:0`,
  `.` for a path that is both a member and a parent) and Path.String() for conflict messages;
- to_fieldset (typed/tofieldset.go), compare (typed/compare.go: Added, Modified, Removed),
  merge (typed/merge.go, the config wins, list items in merge/update.go's shared order) and
  prune (merge/update.go prune: what the applier owned and no longer applies, unless another
  manager owns it).
Costs are O(size of the object)."""

from __future__ import annotations

import json

MISSING = object()


# ---------------------------------------------------------------------------------- schema
class Node:
    """A resolved schema type: kind 's' scalar, 'm' map/struct, 'l' list, 'u' deduced from the value."""

    __slots__ = ("kind", "fields", "elem", "atomic", "keys", "rel", "defaults")

    def __init__(self, kind: str):
        self.kind = kind
        self.fields: dict | None = None  # name -> raw type (resolved on use)
        self.elem = None  # raw type of the elements (lists, additionalProperties)
        self.atomic = False
        self.keys: tuple = ()
        self.rel = "atomic"  # lists: atomic | set | map
        self.defaults: dict = {}  # associative list: key field -> its schema default


UNTYPED = Node("u")
_SCALAR = Node("s")
_NODES: dict = {}
_SCHEMA: dict | None = None


def _schema() -> dict:
    """api/ssa_schema.json (tools/gen_ssa_schema.py): the shipped OpenAPI v3 documents as
    schemaconv converts them, without their descriptions (read once per process, ~1 ms)."""
    global _SCHEMA
    if _SCHEMA is None:
        import os

        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ssa_schema.json"), encoding="utf-8") as f:
            _SCHEMA = json.load(f)
    return _SCHEMA


def node_of(t) -> Node:
    if t is None or t == "u":
        return UNTYPED
    if t == "s":
        return _SCALAR
    key = t if isinstance(t, str) else id(t)
    n = _NODES.get(key)
    if n is not None:
        return n
    raw = _schema()["types"].get(t[1:]) if isinstance(t, str) else t
    if not isinstance(raw, dict):
        n = node_of(raw) if raw in ("s", "u") else UNTYPED
    elif "l" in raw:
        n = Node("l")
        n.rel = raw["l"]
        n.keys = tuple(raw.get("k") or ())
        n.defaults = raw.get("d") or {}
        n.elem = raw.get("e")
    else:
        n = Node("m")
        n.fields = raw.get("m") or {}
        n.elem = raw.get("e")
        n.atomic = bool(raw.get("a"))
    _NODES[key] = n
    return n


def field_node(n: Node, name: str) -> Node:
    if n.kind == "u":
        return UNTYPED
    if n.fields is not None and name in n.fields:
        return node_of(n.fields[name])
    if n.elem is not None:
        return node_of(n.elem)
    return UNTYPED


def elem_node(n: Node) -> Node:
    if n.kind == "u" or n.elem is None:
        return UNTYPED
    return node_of(n.elem)


def _declared(n: Node, name: str) -> bool:
    return n.fields is not None and name in n.fields


def root_node(api_version: str, kind: str) -> Node:
    """The schema of a kind (its x-kubernetes-group-version-kind component), UNTYPED when not shipped."""
    name = _schema()["kinds"].get(f"{api_version}/{kind}")
    return node_of("#" + name) if name else UNTYPED


def _deduce(n: Node, v) -> Node:
    if n.kind != "u":
        return n
    if isinstance(v, dict):
        return _UNTYPED_MAP
    if isinstance(v, list):
        return _UNTYPED_LIST
    return _UNTYPED_SCALAR


_UNTYPED_MAP = Node("m")
_UNTYPED_MAP.fields = {}
_UNTYPED_MAP.elem = "u"
_UNTYPED_LIST = Node("l")
_UNTYPED_SCALAR = _SCALAR


# ----------------------------------------------------------------------------- path elements
def _go_json(v) -> str:
    s = json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if "<" in s or ">" in s or "&" in s:
        s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return s


def item_pe(n: Node, i: int, item) -> str | None:
    """listItemToPathElement: the key of an associative list's item, a set's value, else the index."""
    if n.rel == "map" and n.keys:
        if not isinstance(item, dict):
            return None
        key = {}
        for k in n.keys:
            if k in item:
                key[k] = item[k]
            elif k in n.defaults:
                key[k] = n.defaults[k]
            else:
                return None
        return "k:" + _go_json(key)
    if n.rel == "set":
        return "v:" + _go_json(item)
    return f"i:{i}"


def _value_key(v):
    if v is None:
        return (0, 0)
    if isinstance(v, bool):
        return (1, v)
    if isinstance(v, (int, float)):
        return (2, v)
    if isinstance(v, str):
        return (3, v)
    return (4, _go_json(v))


_PE_KEYS: dict = {}


def pe_key(pe: str):
    """PathElement.Less: field names, then keys, then values, then indexes."""
    k = _PE_KEYS.get(pe)
    if k is None:
        if len(_PE_KEYS) > 100_000:
            _PE_KEYS.clear()
        k = _PE_KEYS[pe] = _pe_key(pe)
    return k


def _pe_key(pe: str):
    t, body = pe[0], pe[2:]
    if t == "f":
        return (0, body)
    if t == "k":
        try:
            d = json.loads(body)
        except ValueError:
            return (1, body)
        return (1, tuple((k, _value_key(d[k])) for k in sorted(d)), len(d))
    if t == "v":
        try:
            return (2, _value_key(json.loads(body)))
        except ValueError:
            return (2, (3, body))
    try:
        return (3, int(body))
    except ValueError:
        return (4, body)


def _to_string(v) -> str:
    """value.ToString."""
    from minikctl.api.errors import go_quote

    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, (int, float)):
        return str(v)
    return _go_json(v)


def pe_string(pe: str) -> str:
    """PathElement.String() (fieldpath/element.go)."""
    t, body = pe[0], pe[2:]
    if t == "f":
        return "." + body
    if t == "k":
        d = json.loads(body)
        return "[" + ",".join(f"{k}={_to_string(d[k])}" for k in sorted(d)) + "]"
    if t == "v":
        return f"[={_to_string(json.loads(body))}]"
    return f"[{body}]"


# ------------------------------------------------------------------------------------- sets
class FSet:
    """fieldpath.Set: members (path elements that are in the set) and children (sub-sets)."""

    __slots__ = ("m", "c")

    def __init__(self):
        self.m: set[str] = set()
        self.c: dict[str, FSet] = {}

    def empty(self) -> bool:
        return not self.m and all(ch.empty() for ch in self.c.values())

    def insert(self, path) -> None:
        s = self
        for pe in path[:-1]:
            nxt = s.c.get(pe)
            if nxt is None:
                nxt = s.c[pe] = FSet()
            s = nxt
        if path:
            s.m.add(path[-1])

    def child(self, pe: str) -> "FSet":
        ch = self.c.get(pe)
        if ch is None:
            ch = self.c[pe] = FSet()
        return ch

    def copy(self) -> "FSet":
        out = FSet()
        out.m = set(self.m)
        out.c = {k: v.copy() for k, v in self.c.items()}
        return out

    def union(self, other: "FSet") -> "FSet":
        out = FSet()
        out.m = self.m | other.m
        out.c = {k: v.copy() for k, v in self.c.items()}
        for k, v in other.c.items():
            out.c[k] = out.c[k].union(v) if k in out.c else v.copy()
        return out

    def difference(self, other: "FSet") -> "FSet":
        out = FSet()
        out.m = self.m - other.m
        for k, v in self.c.items():
            d = v.difference(other.c[k]) if k in other.c else v.copy()
            if not d.empty():
                out.c[k] = d
        return out

    def intersection(self, other: "FSet") -> "FSet":
        out = FSet()
        out.m = self.m & other.m
        for k, v in self.c.items():
            if k in other.c:
                d = v.intersection(other.c[k])
                if not d.empty():
                    out.c[k] = d
        return out

    def paths(self, prefix=()):
        """Set.Iterate: the members (in order), then each child's paths."""
        for pe in sorted(self.m, key=pe_key):
            yield prefix + (pe,)
        for pe in sorted(self.c, key=pe_key):
            yield from self.c[pe].paths(prefix + (pe,))

    def has_member_or_named_child(self, pe: str) -> bool:
        """Membership after EnsureNamedFieldsAreMembers: a field with owned children counts."""
        if pe in self.m:
            return True
        return pe[0] == "f" and pe in self.c and not self.c[pe].empty()

    # FieldsV1 (fieldpath/serialize.go emitContentsV1)
    def to_json(self) -> dict:
        out: dict = {}
        for pe in sorted(set(self.m) | {k for k, v in self.c.items() if not v.empty()}, key=pe_key):
            ch = self.c.get(pe)
            if ch is not None and not ch.empty():
                sub = ch.to_json()
                if pe in self.m:
                    sub["."] = {}
                out[pe] = sub
            else:
                out[pe] = {}
        return out

    @classmethod
    def from_json(cls, d) -> "FSet":
        out = cls()
        if not isinstance(d, dict):
            return out
        for k, v in d.items():
            if k == ".":
                continue
            if not isinstance(v, dict) or not v or "." in v:
                out.m.add(k)
            sub = cls.from_json(v) if isinstance(v, dict) else None
            if sub is not None and not sub.empty():
                out.c[k] = sub
        return out


def path_string(path) -> str:
    return "".join(pe_string(pe) for pe in path)


# ----------------------------------------------------------------------------- to_fieldset
def to_fieldset(n: Node, v) -> FSet:
    out = FSet()
    _tofs(n, v, out)
    return out


def _tofs(n: Node, v, out: FSet) -> bool:
    """Fill out with the paths under v; True when v's own path is to be a member."""
    n = _deduce(n, v)
    if n.kind == "s":
        return True
    if n.kind == "l":
        if n.rel == "atomic":
            return True
        if not isinstance(v, list):
            return False
        e = elem_node(n)
        for i, item in enumerate(v):
            pe = item_pe(n, i, item)
            if pe is None:
                continue
            sub = FSet()
            _tofs(e, item, sub)
            out.m.add(pe)
            if not sub.empty():
                out.c[pe] = sub
        return False
    if n.atomic:
        return True
    if not isinstance(v, dict):
        return False
    for k, x in v.items():
        pe = "f:" + k
        sub = FSet()
        member = _tofs(field_node(n, k), x, sub)
        if member or x is None or (isinstance(x, dict) and not x) or not _declared(n, k):
            out.m.add(pe)
        if not sub.empty():
            out.c[pe] = sub
    return False


# --------------------------------------------------------------------------------- compare
class Comparison:
    __slots__ = ("added", "modified", "removed")

    def __init__(self):
        self.added = FSet()
        self.modified = FSet()
        self.removed = FSet()


def compare(n: Node, lhs, rhs, gotype: str | None = None) -> Comparison:
    """typed.Compare of two objects as Go's typed values: `gotype` (printers/gotypes.json) names
    the struct whose always-written fields (not omitempty: creationTimestamp: null, status: {},
    resources: {} ...) count as present with their zero value where a side lacks them, filled in
    only where the walk meets them (structured.typed_order without building the typed copies)."""
    c = Comparison()
    _cmp(n, gotype, lhs, rhs, (), c)
    return c


def _same(a, b) -> bool:
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                       and not isinstance(a, bool) and not isinstance(b, bool)):
        return False
    return a == b


_GO_ZERO = {"N": None, "E": "", "0": 0, "F": False, "Q": "0", "D": "0s"}
_ALWAYS: dict = {}
_GOFIELDS: dict = {}


def _gotypes() -> dict:
    from minikctl.printers.structured import _gotypes as load

    return load()["types"]


def _always(gt: str | None) -> dict:
    """name -> zero value code of the fields encoding/json always writes for Go struct gt."""
    if gt is None:
        return _NONE
    out = _ALWAYS.get(gt)
    if out is None:
        fields = _gotypes().get(gt) or ()
        out = _ALWAYS[gt] = {f[0]: f[2] for f in fields if len(f) > 2}
        _GOFIELDS[gt] = {f[0]: f[1] for f in fields}
    return out


_NONE: dict = {}


def _child_gt(gt: str | None, key: str) -> str | None:
    if gt is None:
        return None
    if gt.startswith("map:"):
        return gt[4:]
    _always(gt)
    return (_GOFIELDS.get(gt) or {}).get(key)


def _zero(code: str):
    return {} if code == "S" else _GO_ZERO.get(code)


def _cmp(n: Node, gt, lhs, rhs, path, c: Comparison) -> None:
    if lhs is rhs or (type(lhs) is type(rhs) and lhs == rhs):  # nothing below changed
        return
    n = _deduce(n, rhs if rhs is not MISSING else lhs)
    leaf = False
    if n.kind == "s":
        leaf = True
    elif n.kind == "l":
        ll = lhs if isinstance(lhs, list) else None
        rl = rhs if isinstance(rhs, list) else None
        if n.rel == "atomic" or (not ll and not rl):
            leaf = True
        elif (lhs not in (MISSING, None) and ll is None) or (rhs not in (MISSING, None) and rl is None):
            leaf = True
        else:
            e = elem_node(n)
            lidx = _index(n, ll)
            ridx = _index(n, rl)
            for pe, item in lidx.items():
                _cmp(e, gt, item, ridx.get(pe, MISSING), path + (pe,), c)
            for pe, item in ridx.items():
                if pe not in lidx:
                    _cmp(e, gt, MISSING, item, path + (pe,), c)
    else:
        lm = lhs if isinstance(lhs, dict) else None
        rm = rhs if isinstance(rhs, dict) else None
        always = _always(gt) if gt is not None and not gt.startswith("map:") else _NONE
        if n.atomic or ((not lm and not (lm is not None and always)) and (not rm and not (rm is not None and always))):
            leaf = True
        elif (lhs not in (MISSING, None) and lm is None) or (rhs not in (MISSING, None) and rm is None):
            leaf = True
        else:
            for k, lv, rv in _field_pairs(lm, rm, always):
                _cmp(field_node(n, k), _child_gt(gt, k), lv, rv, path + ("f:" + k,), c)
    if not path:
        return
    if lhs is MISSING:
        c.added.insert(path)
    elif rhs is MISSING:
        c.removed.insert(path)
    elif leaf and not _same(lhs, rhs) and not _zero_same(gt, lhs, rhs):
        c.modified.insert(path)


def compare_key(n: Node, gt, lhs, rhs, shape, sub):
    """What compare(n, lhs, rhs, gt) finds, as JSON data, for a memo of its outcome: two calls
    with equal keys have equal comparisons, once the placeholders sub(field, value) gave (a
    one-item associative list's key values) are put back. It walks as _cmp walks (keep the two
    in step): nothing for equal values (a map leaves its equal fields out), shape(n, value, sub)
    for what is only on one side (which fields it has, not their values), whether a leaf changed,
    and the path elements of the items of a list found on both sides."""
    if lhs is rhs or (type(lhs) is type(rhs) and lhs == rhs):
        return 0
    if lhs is MISSING:
        return [1, shape(n, rhs, sub)]
    if rhs is MISSING:
        return [2, shape(n, lhs, sub)]
    n = _deduce(n, rhs)
    if n.kind == "l":
        ll = lhs if isinstance(lhs, list) else None
        rl = rhs if isinstance(rhs, list) else None
        if not (n.rel == "atomic" or (not ll and not rl) or (lhs is not None and ll is None)
                or (rhs is not None and rl is None)):
            e = elem_node(n)
            lidx = _index(n, ll)
            ridx = _index(n, rl)
            one = len(lidx) <= 1 and len(ridx) <= 1 and n.rel == "map" and n.keys
            out = []
            for pe, item in lidx.items():
                out.append([_pe_key_shape(n, item, sub) if one else pe,
                            compare_key(e, gt, item, ridx.get(pe, MISSING), shape, sub)])
            for pe, item in ridx.items():
                if pe not in lidx:
                    out.append([_pe_key_shape(n, item, sub) if one else pe, compare_key(e, gt, MISSING, item, shape, sub)])
            return [3, out]
    elif n.kind != "s":
        lm = lhs if isinstance(lhs, dict) else None
        rm = rhs if isinstance(rhs, dict) else None
        always = _always(gt) if gt is not None and not gt.startswith("map:") else _NONE
        if not (n.atomic or ((not lm and not (lm is not None and always)) and (not rm and not (rm is not None and always)))
                or (lhs is not None and lm is None) or (rhs is not None and rm is None)):
            return [4, [[k, compare_key(field_node(n, k), _child_gt(gt, k), lv, rv, shape, sub)]
                        for k, lv, rv in _field_pairs(lm, rm, always)
                        if not (type(lv) is type(rv) and lv == rv)]]  # an equal field adds nothing
    return [5, not _same(lhs, rhs) and not _zero_same(gt, lhs, rhs)]


def _pe_key_shape(n: Node, item, sub) -> str:
    """item_pe of an associative list's item, its plain string key values as placeholders."""
    key = {}
    for k in n.keys:
        x = item[k] if k in item else n.defaults[k]
        key[k] = sub(k, x) if type(x) is str else x
    return "k:" + _go_json(key)


def _field_pairs(lm, rm, always):
    """(name, old value, new value) of each field of two maps (None: not a map), the fields Go's
    encoding/json always writes filled in with their zero value where a map lacks them; MISSING
    for a field a side does not have. Fields neither side has are left out."""
    keys = dict.fromkeys(lm or ())
    keys.update(dict.fromkeys(rm or ()))
    keys.update(dict.fromkeys(always))
    for k in keys:
        lv = lm.get(k, MISSING) if lm is not None else MISSING
        rv = rm.get(k, MISSING) if rm is not None else MISSING
        if lv is MISSING and lm is not None and k in always:
            lv = _zero(always[k])
        if rv is MISSING and rm is not None and k in always:
            rv = _zero(always[k])
        if lv is not MISSING or rv is not MISSING:
            yield k, lv, rv


def _zero_same(gt, a, b) -> bool:
    """Two leaves (atomic maps) equal once Go's zero fields are filled in."""
    if gt is None or not isinstance(a, dict) or not isinstance(b, dict):
        return False
    from minikctl.api.fieldmanager import _fill

    types = _gotypes()
    return _fill(a, gt, types) == _fill(b, gt, types)


def _index(n: Node, items) -> dict:
    out: dict = {}
    for i, item in enumerate(items or ()):
        pe = item_pe(n, i, item)
        if pe is not None and pe not in out:
            out[pe] = item
    return out


# ----------------------------------------------------------------------------------- merge
def merge(n: Node, lhs, rhs):
    """typed.Merge with the config (rhs) winning: maps and granular lists merged item by item."""
    if rhs is MISSING:
        return lhs
    if lhs is MISSING or lhs is None or rhs is None:
        return _copy(rhs)
    n = _deduce(n, rhs)
    if n.kind == "s" or n.atomic:
        return _copy(rhs)
    if n.kind == "l":
        if n.rel == "atomic" or not isinstance(lhs, list) or not isinstance(rhs, list):
            return _copy(rhs)
        return _merge_list(n, lhs, rhs)
    if not isinstance(lhs, dict) or not isinstance(rhs, dict):
        return _copy(rhs)
    out = dict(lhs)
    for k, x in rhs.items():
        out[k] = merge(field_node(n, k), lhs.get(k, MISSING), x)
    return out


def _merge_list(n: Node, lhs: list, rhs: list) -> list:
    """typed/merge.go visitListItems: shared items in the config's order, live-only items kept in place."""
    e = elem_node(n)
    lpes, lobs = _order(n, lhs)
    rpes, robs = _order(n, rhs)
    shared = [pe for pe in rpes if pe in lobs]
    si = 0
    next_shared = shared[si] if shared else None
    out = []
    merged_r: set = set()
    li = ri = 0
    while li < len(lpes) or ri < len(rpes):
        if li < len(lpes) and ri < len(rpes):
            pe = lpes[li]
            if pe == rpes[ri]:
                merged_r.add(pe)
                out.append(merge(e, lobs[pe], robs[pe]))
                li += 1
                ri += 1
                si += 1
                next_shared = shared[si] if si < len(shared) else None
                continue
            if pe in robs and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lpes):
            pe = lpes[li]
            if pe not in robs:
                out.append(_copy(lobs[pe]))
                li += 1
                continue
            if pe in merged_r:
                li += 1
                continue
        if ri < len(rpes):
            pe = rpes[ri]
            merged_r.add(pe)
            out.append(merge(e, lobs.get(pe, MISSING), robs[pe]))
            ri += 1
            if next_shared is not None and next_shared == pe:
                si += 1
                next_shared = shared[si] if si < len(shared) else None
    return out


def _order(n: Node, items: list):
    pes, obs = [], {}
    for i, item in enumerate(items):
        pe = item_pe(n, i, item)
        if pe is None:
            pe = f"i:{i}"
        if pe in obs:
            continue
        obs[pe] = item
        pes.append(pe)
    return pes, obs


def _copy(v):
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


# ----------------------------------------------------------------------------------- prune
def prune(n: Node, v, last: FSet, keep: FSet):
    """What `last` (the applier's previous set) holds and nobody (`keep`: every manager's set, the
    applier's new one included) owns any more is removed from v, in place (merge/update.go prune,
    addBackOwnedItems, addBackDanglingItems)."""
    n = _deduce(n, v)
    if n.kind == "m" and isinstance(v, dict):
        for k in list(v):
            pe = "f:" + k
            if not (last.has_member_or_named_child(pe) or pe in last.c):
                continue
            if last.has_member_or_named_child(pe) and not keep.has_member_or_named_child(pe):
                del v[k]
            elif pe in last.c:
                prune(field_node(n, k), v[k], last.c[pe], keep.c.get(pe) or _EMPTY)
    elif n.kind == "l" and isinstance(v, list) and n.rel != "atomic":
        e = elem_node(n)
        kept = []
        for i, item in enumerate(v):
            pe = item_pe(n, i, item)
            if pe is not None and pe in last.m and pe not in keep.m:
                continue
            if pe is not None and pe in last.c:
                prune(e, item, last.c[pe], keep.c.get(pe) or _EMPTY)
            kept.append(item)
        v[:] = kept
    return v


_EMPTY = FSet()
