"""kubectl apply's three-way merge (live, last-applied, desired), with strategic-merge
list semantics for the lists Kubernetes merges by key (patchMergeKey in the API types):
containers/initContainers/volumes/env/imagePullSecrets by name, container ports by
containerPort, service ports by port, tolerations/ingress rules replaced whole."""

from __future__ import annotations

import copy

MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "env": "name",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "ownerReferences": "uid",
    "conditions": "type",
}


def _merge_key(field: str, items: list, parent_path: tuple[str, ...]) -> str | None:
    if field == "ports":
        # container ports merge by containerPort, service ports by port
        if items and isinstance(items[0], dict) and "containerPort" in items[0]:
            return "containerPort"
        return "port"
    return MERGE_KEYS.get(field)


def three_way(live: dict, last: dict | None, desired: dict) -> dict:
    return _merge(copy.deepcopy(live), last or {}, desired, ())


def _merge(live, last, desired, path):
    if isinstance(desired, dict) and isinstance(live, dict):
        out = live
        for k, v in desired.items():
            out[k] = _merge(live.get(k), (last or {}).get(k) if isinstance(last, dict) else None, v, path + (k,))
        if isinstance(last, dict):
            for k in last:
                if k not in desired and k in out:
                    del out[k]
        return out
    if isinstance(desired, list) and isinstance(live, list) and path:
        key = _merge_key(path[-1], desired or live, path)
        if key and all(isinstance(x, dict) for x in desired + live):
            last_list = last if isinstance(last, list) else []
            live_by = {x.get(key): x for x in live}
            last_by = {x.get(key): x for x in last_list if isinstance(x, dict)}
            desired_keys = {x.get(key) for x in desired}
            out = [_merge(live_by.get(x.get(key)), last_by.get(x.get(key)), x, path) if x.get(key) in live_by
                   else copy.deepcopy(x) for x in desired]
            # keep live items the user never managed (not in last-applied, not in desired)
            for x in live:
                k = x.get(key)
                if k not in desired_keys and k not in last_by:
                    out.append(x)
            return out
    return copy.deepcopy(desired)


# ---------------------------------------------------------------------------
# Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch/patch.go)
#
# What kube-apiserver does with `kubectl patch` (default --type strategic) and with the
# two-way patch `kubectl edit` sends. The patch metadata comes from the Go types' struct
# tags (patchStrategy/patchMergeKey in k8s.io/api core/v1, apps/v1): lists merge by key
# only where a tag says so; every other list is replaced whole, every map is merged.

class PatchError(Exception):
    """A patch the apiserver refuses. status: "BadRequest" (400), "Unprocessable" (422 with
    kubectl's generic text) or "" (a plain error: "Error from server: ...")."""

    def __init__(self, message: str, status: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status


_META = "ObjectMeta"
# type -> {json field: (element/child type or None, patchStrategy, patchMergeKey)}
PATCH_META: dict[str, dict[str, tuple]] = {
    "ObjectMeta": {"finalizers": (None, "merge", ""), "ownerReferences": (None, "merge", "uid")},
    "Pod": {"metadata": (_META, "", ""), "spec": ("PodSpec", "", ""), "status": ("PodStatus", "", "")},
    "PodTemplateSpec": {"metadata": (_META, "", ""), "spec": ("PodSpec", "", "")},
    "PodSpec": {
        "volumes": (None, "merge,retainKeys", "name"),
        "initContainers": ("Container", "merge", "name"),
        "containers": ("Container", "merge", "name"),
        "ephemeralContainers": ("Container", "merge", "name"),
        "imagePullSecrets": (None, "merge", "name"),
        "hostAliases": (None, "merge", "ip"),
        "topologySpreadConstraints": (None, "merge", "topologyKey"),
        "schedulingGates": (None, "merge", "name"),
        "resourceClaims": (None, "merge,retainKeys", "name"),
    },
    "Container": {
        "ports": (None, "merge", "containerPort"),
        "env": (None, "merge", "name"),
        "volumeMounts": (None, "merge", "mountPath"),
        "volumeDevices": (None, "merge", "devicePath"),
    },
    "PodStatus": {"conditions": (None, "merge", "type"), "podIPs": (None, "merge", "ip"),
                  "hostIPs": (None, "merge", "ip")},
    "Service": {"metadata": (_META, "", ""), "spec": ("ServiceSpec", "", ""), "status": ("Conditions", "", "")},
    "ServiceSpec": {"ports": (None, "merge", "port")},
    "Conditions": {"conditions": (None, "merge", "type")},
    "Deployment": {"metadata": (_META, "", ""), "spec": ("DeploymentSpec", "", ""), "status": ("Conditions", "", "")},
    "DeploymentSpec": {"template": ("PodTemplateSpec", "", ""), "strategy": (None, "retainKeys", "")},
    "ReplicaSet": {"metadata": (_META, "", ""), "spec": ("Templated", "", ""), "status": ("Conditions", "", "")},
    "ReplicationController": {"metadata": (_META, "", ""), "spec": ("Templated", "", ""),
                              "status": ("Conditions", "", "")},
    "Templated": {"template": ("PodTemplateSpec", "", "")},
    "Node": {"metadata": (_META, "", ""), "spec": ("NodeSpec", "", ""), "status": ("NodeStatus", "", "")},
    "NodeSpec": {"podCIDRs": (None, "merge", "")},
    "NodeStatus": {"conditions": (None, "merge", "type"), "addresses": (None, "merge", "type")},
    "Namespace": {"metadata": (_META, "", ""), "status": ("Conditions", "", "")},
}
_ANY = {"metadata": (_META, "", "")}


def _lookup(t: str | None, key: str) -> tuple:
    """forkedjson.LookupPatchMetadata: (child type, strategy, merge key) of a field."""
    fields = PATCH_META.get(t, _ANY) if t is not None else {}
    return fields.get(key, (None, "", ""))


def _strategy(s: str) -> str:
    """extractRetainKeysPatchStrategy: the strategy other than retainKeys."""
    parts = [p for p in s.split(",") if p and p != "retainKeys"]
    return parts[0] if parts else ""


_DIRECTIVE = "$patch"
_RETAIN = "$retainKeys"
_DELETE_PRIMITIVE = "$deleteFromPrimitiveList"
_SET_ORDER = "$setElementOrder"


def _go_type(v) -> str:
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    return "nil"


def _sprint(v) -> str:
    from minikctl.printers.template import go_sprint

    return go_sprint(v)


def _no_merge_key(m: dict, key: str) -> PatchError:
    return PatchError(f"map: {_sprint(m)} does not contain declared merge key: {key}")


def strategic_merge(original: dict, patch: dict, kind: str) -> dict:
    """StrategicMergeMapPatch: apply a strategic merge patch to an object of `kind`."""
    if not isinstance(patch, dict):
        raise PatchError("invalid JSON document", "BadRequest")
    return _merge_map(copy.deepcopy(original), copy.deepcopy(patch), kind)


def _merge_map(original, patch: dict, t) -> dict:
    if _DIRECTIVE in patch:
        directive = patch[_DIRECTIVE]
        if directive == "replace":
            del patch[_DIRECTIVE]
            return patch
        if directive == "delete":
            return {}
        raise PatchError(f"unknown patch type: {directive} in map: {_sprint(patch)}")
    if original is None:
        original = {}
    _apply_retain_keys(original, patch)
    _merge_set_element_order(original, patch, t)
    for k in list(patch):
        pv = patch[k]
        is_delete_list = False
        if k.startswith(_DELETE_PRIMITIVE):
            key = _extract_key(k, _DELETE_PRIMITIVE)
            k, is_delete_list = key, True
        if pv is None:
            original.pop(k, None)
            continue
        if k not in original:
            original[k] = _prune_nulls(pv)
            continue
        ov = original[k]
        if _go_type(ov) != _go_type(pv):
            original[k] = _prune_nulls(pv)
            continue
        child, strategy, merge_key = _lookup(t, k)
        strategy = _strategy(strategy)
        if isinstance(ov, dict):
            original[k] = _prune_nulls(pv) if strategy == "replace" else _merge_map(ov, pv, child)
        elif isinstance(ov, list):
            if strategy == "merge":
                original[k] = _merge_slice(ov, pv, child, merge_key, is_delete_list)
            else:
                original[k] = _prune_nulls(pv)
        else:
            original[k] = pv
    return original


def _prune_nulls(v):
    if isinstance(v, dict):
        return {k: _prune_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_prune_nulls(x) for x in v]
    return v


def _extract_key(s: str, prefix: str) -> str:
    head, sep, rest = s.partition("/")
    if not sep or head != prefix:
        if prefix == _DELETE_PRIMITIVE:
            raise PatchError("invalid patch format of primitive list", "BadRequest")
        raise PatchError("invalid patch format of setElementOrder list", "BadRequest")
    return rest


def _apply_retain_keys(original: dict, patch: dict) -> None:
    if _RETAIN not in patch:
        return
    keep = patch.pop(_RETAIN)
    if not isinstance(keep, list):
        raise PatchError("invalid patch format of retainKeys", "BadRequest")
    allowed = set(map(str, keep))
    for k, v in patch.items():
        if v is None or k.startswith((_DELETE_PRIMITIVE, _SET_ORDER)):
            continue
        if k not in allowed:
            raise PatchError("invalid patch format of retainKeys", "BadRequest")
    for k in list(original):
        if k not in allowed:
            del original[k]


def _element_kind(*lists) -> str:
    """sliceElementType: "map" or "scalar" (lists of lists are refused)."""
    prev = None
    for lst in lists:
        for v in lst:
            cur = _go_type(v)
            if prev is None:
                prev = cur
                if cur == "slice":
                    raise PatchError("lists of lists are not supported", "Unprocessable")
            elif prev != cur:
                raise PatchError(f"list element types are not identical: {_sprint(list(lists))}")
    if prev is None:
        raise PatchError("no elements in any of the given slices")
    return "map" if prev == "map" else "scalar"


def _merge_slice(original: list, patch: list, elem_type, merge_key: str, is_delete_list: bool) -> list:
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    if kind != "map":
        if is_delete_list:
            drop = list(patch)
            return [x for x in original if x not in drop]
        merged = _dedupe_scalars(list(original) + list(patch))
    else:
        if not merge_key:
            raise PatchError("cannot merge lists without merge key for type map")
        original, patch = _merge_slice_special(original, patch, merge_key)
        merged = _merge_slice_plain(original, patch, merge_key, elem_type)
    patch_items, server_only = _partition(merged, patch, merge_key, kind)
    return _normalize_element_order(patch_items, server_only, patch, original, merge_key, kind)


def _dedupe_scalars(s: list) -> list:
    """deduplicateScalars, with its reordering (a duplicate is replaced by the last element)."""
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if s[i] == s[j] and type(s[i]) is type(s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _merge_slice_special(original: list, patch: list, merge_key: str) -> tuple[list, list]:
    """mergeSliceWithSpecialElements: $patch: delete / replace items of a merging list."""
    plain = []
    replace = False
    for v in patch:
        if _DIRECTIVE not in v:
            plain.append(v)
            continue
        d = v[_DIRECTIVE]
        if d == "delete":
            if merge_key not in v:
                raise _no_merge_key(v, merge_key)
            original = [x for x in original if not (isinstance(x, dict) and merge_key in x and x[merge_key] == v[merge_key])]
        elif d == "replace":
            replace = True
        elif d == "merge":
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise PatchError(f"unknown patch type: {d} in map: {_sprint(v)}")
    if replace:
        return plain, []
    return original, plain


def _find(items: list, key: str, value) -> int:
    for i, x in enumerate(items):
        if not isinstance(x, dict):
            raise PatchError(f"value for key {i} is not a map.")
        if key in x and x[key] == value and _go_type(x[key]) == _go_type(value):
            return i
    return -1


def _merge_slice_plain(original: list, patch: list, merge_key: str, elem_type) -> list:
    original = list(original)
    for v in patch:
        if merge_key not in v:
            raise _no_merge_key(v, merge_key)
        i = _find(original, merge_key, v[merge_key])
        if i >= 0:
            original[i] = _merge_map(original[i], v, elem_type)
        else:
            original.append(_prune_nulls(v))
    return original


def _index(items: list, val, merge_key: str, kind: str) -> int:
    def get(x):
        if kind == "map":
            return x.get(merge_key) if isinstance(x, dict) else None
        return x

    want = get(val)
    for i, v in enumerate(items):
        got = get(v)
        if got == want and _go_type(got) == _go_type(want):
            return i
    return -1


def _partition(merged: list, by: list, merge_key: str, kind: str) -> tuple[list, list]:
    patch_items, server_only = [], []
    for v in merged:
        if kind == "map":
            if merge_key not in v:
                raise _no_merge_key(v, merge_key)
            found = _find(by, merge_key, v[merge_key]) >= 0
        else:
            found = v in by
        (patch_items if found else server_only).append(v)
    return patch_items, server_only


def _normalize_slice_order(to_sort: list, order: list, merge_key: str, kind: str) -> list:
    to_delete = []
    if kind == "map":
        for lst in (to_sort, order):
            for item in lst:
                if not isinstance(item, dict):
                    raise PatchError(f"expected a map[string]interface {{}}, but received a {type(item).__name__}")
                if merge_key not in item:
                    raise _no_merge_key(item, merge_key)
        to_delete = [v for v in to_sort if v.get(_DIRECTIVE) == "delete"]
        to_sort = [v for v in to_sort if v.get(_DIRECTIVE) != "delete"]
    # sort.SliceStable with "in order? by index : true"; every item is found in its order list here
    keyed = [(_index(order, v, merge_key, kind), n, v) for n, v in enumerate(to_sort)]
    if all(k >= 0 for k, _, _ in keyed):
        keyed.sort(key=lambda t: (t[0], t[1]))
    return [v for _, _, v in keyed] + to_delete


def _normalize_element_order(patch: list, server_only: list, patch_order: list, server_order: list,
                             merge_key: str, kind: str) -> list:
    """normalizeElementOrder + mergeSortedSlice: patch items in patch order, server-only items
    in live order, interleaved where both are known to the live list."""
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    out = []
    i = j = 0
    left, right = server_only, patch
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind)
            ri = _index(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _merge_set_element_order(original: dict, patch: dict, t) -> None:
    """mergePatchIntoOriginal: the $setElementOrder/<list> directives."""
    for key in [k for k in patch if k.startswith(_SET_ORDER)]:
        order = patch.pop(key)
        if not isinstance(order, list):
            raise PatchError("invalid patch format of setElementOrder list", "BadRequest")
        okey = _extract_key(key, _SET_ORDER)
        orig_list = original.get(okey)
        patch_list = patch.get(okey)
        if orig_list is not None and not isinstance(orig_list, list) or patch_list is not None and not isinstance(patch_list, list):
            raise PatchError("invalid patch format of setElementOrder list", "BadRequest")
        child, strategy, merge_key = _lookup(t, okey)
        strategy = _strategy(strategy)
        if orig_list is not None and patch_list is not None:
            merged = _merge_slice(orig_list, patch_list, child, merge_key, False) if strategy == "merge" else patch_list
        elif patch_list is not None:
            merged = patch_list
        elif orig_list is not None:
            merged = orig_list
        else:
            continue
        kind = _element_kind(orig_list or [], patch_list or [])
        items = [v for v in merged if not (kind == "map" and isinstance(v, dict) and v.get(_DIRECTIVE) == "delete")]
        patch_items, server_only = _partition(items, order, merge_key if kind == "map" else "", kind)
        original[okey] = _normalize_element_order(patch_items, server_only, order, orig_list or [],
                                                  merge_key if kind == "map" else "", kind)
        patch.pop(okey, None)


# --- two-way diff (CreateTwoWayMergePatch), what `kubectl edit` sends -------------------

def two_way_patch(original: dict, modified: dict, kind: str) -> dict:
    """strategicpatch.CreateTwoWayMergePatch(original, modified) with SetElementOrder."""
    return _diff_maps(original, modified, kind, False)


def _diff_maps(original: dict, modified: dict, t, retain: bool) -> dict:
    patch: dict = {}
    retain_list = []
    for key, mv in modified.items():
        if retain and mv is not None:
            retain_list.append(key)
        if key not in original:
            patch[key] = mv
            continue
        ov = original[key]
        if _go_type(ov) != _go_type(mv):
            patch[key] = mv
            continue
        child, strategy, merge_key = _lookup(t, key)
        retain_child = "retainKeys" in strategy.split(",")
        strategy = _strategy(strategy)
        if isinstance(ov, dict):
            if strategy == "replace":
                if ov != mv:
                    patch[key] = mv
            else:
                sub = _diff_maps(ov, mv, child, retain_child)
                if sub:
                    patch[key] = sub
        elif isinstance(ov, list):
            if strategy == "merge":
                add, delete, order = _diff_lists(ov, mv, child, merge_key, retain_child)
                if add:
                    patch[key] = add
                if delete:
                    patch[f"{_DELETE_PRIMITIVE}/{key}"] = delete
                if order:
                    patch[f"{_SET_ORDER}/{key}"] = order
            elif ov != mv:
                patch[key] = mv
        elif ov != mv or _go_type(ov) != _go_type(mv):
            patch[key] = mv
    for key in original:
        if key not in modified:
            patch[key] = None
    if retain_list and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[_RETAIN] = sorted(retain_list, key=_sprint)
    return patch


def _diff_lists(original: list, modified: list, elem_type, merge_key: str, retain: bool = False) -> tuple[list, list, list]:
    if not original:
        return (list(modified), [], []) if modified else ([], [], [])
    kind = _element_kind(original, modified)
    if kind == "map":
        key = lambda x: _sprint(x.get(merge_key))  # noqa: E731 - sortMergeListsByNameArray
        for x in original + modified:
            if merge_key not in x:
                raise _no_merge_key(x, merge_key)
        o_sorted, m_sorted = sorted(original, key=key), sorted(modified, key=key)
        patch, deletions = [], []
        i = j = 0
        while i < len(o_sorted) or j < len(m_sorted):
            if i < len(o_sorted) and j < len(m_sorted) and key(o_sorted[i]) == key(m_sorted[j]):
                sub = _diff_maps(o_sorted[i], m_sorted[j], elem_type, retain)
                if sub:
                    sub[merge_key] = m_sorted[j][merge_key]
                    patch.append(sub)
                i += 1
                j += 1
            elif i >= len(o_sorted) or (j < len(m_sorted) and key(o_sorted[i]) > key(m_sorted[j])):
                patch.append(m_sorted[j])
                j += 1
            else:
                deletions.append({merge_key: o_sorted[i][merge_key], _DIRECTIVE: "delete"})
                i += 1
        patch = _normalize_slice_order(patch, modified, merge_key, "map")
        order_same = len(original) == len(modified) and all(
            a.get(merge_key) == b.get(merge_key) for a, b in zip(original, modified))
        patch = patch + deletions
        order = [{merge_key: v[merge_key]} for v in modified] if (patch or not order_same) else []
        return patch, [], order
    o_s = sorted(original, key=_sprint)
    m_s = sorted(modified, key=_sprint)
    add, delete = [], []
    i = j = 0
    while i < len(o_s) or j < len(m_s):
        a = _sprint(o_s[i]) if i < len(o_s) else None
        b = _sprint(m_s[j]) if j < len(m_s) else None
        if a is not None and b is not None and a == b:
            i += 1
            j += 1
        elif a is None or (b is not None and a > b):
            add.append(m_s[j])
            j += 1
        else:
            delete.append(o_s[i])
            i += 1
    add = _normalize_slice_order(add, modified, "", "scalar")
    order = list(modified) if (delete or original != modified) else []
    return add, _dedupe_scalars(delete), order


# ---------------------------------------------------------------------------
# JSON merge patch (RFC 7386, github.com/evanphx/json-patch MergePatch)

def json_merge_patch(doc, patch):
    if not isinstance(patch, dict):
        if patch is None:
            raise PatchError("Invalid JSON Patch", "BadRequest")
        return _prune_nulls(patch)
    if not isinstance(doc, dict):
        return _prune_nulls(patch)
    doc = copy.deepcopy(doc)
    _merge_docs(doc, patch)
    return doc


def _merge_docs(doc: dict, patch: dict) -> None:
    for k, v in patch.items():
        if v is None:
            doc.pop(k, None)
        elif k not in doc or doc[k] is None or not isinstance(doc[k], dict) or not isinstance(v, dict):
            doc[k] = _prune_nulls(copy.deepcopy(v))
        else:
            _merge_docs(doc[k], v)


# ---------------------------------------------------------------------------
# JSON patch (RFC 6902, gopkg.in/evanphx/json-patch.v4 Apply)

def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"invalid path: {path}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _container(doc, parts: list[str], op: str, path: str):
    cur = doc
    for p in parts[:-1]:
        if isinstance(cur, dict) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and p.lstrip("-").isdigit() and -len(cur) <= int(p) < len(cur):
            cur = cur[int(p)]
        else:
            raise PatchError(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")
        if not isinstance(cur, (dict, list)):
            raise PatchError(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")
    return cur


def _list_index(lst: list, key: str, op: str, allow_end: bool) -> int:
    if not key.lstrip("-").isdigit():
        raise PatchError(f"{op}: invalid array index {key}")
    i = int(key)
    n = len(lst) + (1 if allow_end else 0)
    if i < -len(lst) or i >= n:
        raise PatchError(f"Unable to access invalid index: {i}: invalid index referenced")
    return i + len(lst) if i < 0 else i


def _get(doc, path: str):
    parts = _pointer(path)
    if not parts:
        return doc
    con = _container(doc, parts, "get", path)
    key = parts[-1]
    if isinstance(con, dict):
        if key not in con:
            raise PatchError(f"unable to get nonexistent key: {key}: missing value")
        return con[key]
    return con[_list_index(con, key, "get", False)]


def _add(doc, path: str, value):
    parts = _pointer(path)
    if not parts:
        return copy.deepcopy(value)
    con = _container(doc, parts, "add", path)
    key = parts[-1]
    if isinstance(con, dict):
        con[key] = copy.deepcopy(value)
    elif key == "-":
        con.append(copy.deepcopy(value))
    else:
        con.insert(_list_index(con, key, "add", True), copy.deepcopy(value))
    return doc


def _remove(doc, path: str, op: str = "remove"):
    parts = _pointer(path)
    if not parts:
        raise PatchError(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")
    con = _container(doc, parts, op, path)
    key = parts[-1]
    if isinstance(con, dict):
        if key not in con:
            raise PatchError(f"error in remove for path: '{path}': Unable to remove nonexistent key: {key}: missing value")
        return con.pop(key)
    return con.pop(_list_index(con, key, op, False))


def json_patch(doc, ops) -> dict:
    """Apply RFC 6902 operations (add, remove, replace, move, copy, test)."""
    if not isinstance(ops, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch", "BadRequest")
    doc = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict):
            raise PatchError("json: cannot unmarshal into Go value of type jsonpatch.Operation", "BadRequest")
        kind = op.get("op", "unknown")
        path = op.get("path")
        if path is None and kind in ("add", "remove", "replace", "move", "copy", "test"):
            raise PatchError(f"{kind} operation failed to decode path")
        if kind == "add":
            doc = _add(doc, path, op.get("value"))
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "replace":
            parts = _pointer(path)
            if not parts:
                doc = copy.deepcopy(op.get("value"))
                continue
            con = _container(doc, parts, "replace", path)
            key = parts[-1]
            if isinstance(con, dict):
                if key not in con:
                    raise PatchError(f"replace operation does not apply: doc is missing key: {path}: missing value")
                con[key] = copy.deepcopy(op.get("value"))
            else:
                con[_list_index(con, key, "replace", False)] = copy.deepcopy(op.get("value"))
        elif kind in ("move", "copy"):
            src = op.get("from")
            if src is None:
                raise PatchError(f"{kind} operation failed to decode from")
            value = _remove(doc, src, kind) if kind == "move" else copy.deepcopy(_get(doc, src))
            doc = _add(doc, path, value)
        elif kind == "test":
            try:
                got = _get(doc, path)
            except PatchError:
                got = None
            if not _json_equal(got, op.get("value")):
                raise PatchError(f"testing value {path} failed: test failed")
        else:
            raise PatchError(f"Unexpected kind: {kind}")
    return doc


def _json_equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b
