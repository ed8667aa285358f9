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
