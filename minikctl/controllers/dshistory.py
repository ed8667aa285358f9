"""The DaemonSet's ControllerRevisions (pkg/controller/daemon/update.go constructHistory,
cleanupHistory, getPatch; controller_history.go): one revision per template the set has had,
named ``<set>-<hash>`` with the pods' controller-revision-hash, its data the patch
``{"spec":{"template":{...,"$patch":"replace"}}}``, the set's annotations copied at creation
(`rollout history` shows their kubernetes.io/change-cause), numbered from 1; a template the set
goes back to (`rollout undo`) gets the next number again. revisionHistoryLimit (default 10)
old revisions are kept besides those of live pods."""

from __future__ import annotations

from minikctl.api.server import clone
from minikctl.controllers import replication as R

HASH_LABEL = "controller-revision-hash"


def _revisions(api, ds: dict) -> list[dict]:
    return api.list("controllerrevisions", ds["metadata"]["namespace"], owner_uid=ds["metadata"]["uid"])


def _data(ds: dict) -> dict:
    t = clone((ds.get("spec") or {}).get("template") or {})
    t["$patch"] = "replace"
    return {"spec": {"template": t}}


def construct_history(api, ds: dict, hash_: str) -> None:
    """constructHistory: the current revision exists and holds the highest number."""
    revs = _revisions(api, ds)
    top = max((int(cr.get("revision") or 0) for cr in revs), default=0)
    name = f"{ds['metadata']['name']}-{hash_}"
    cur = next((cr for cr in revs if cr["metadata"]["name"] == name), None)
    if cur is None:
        labels = dict((((ds.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {})
        labels[HASH_LABEL] = hash_
        meta = {"name": name, "namespace": ds["metadata"]["namespace"], "labels": labels,
                "ownerReferences": [R.new_controller_ref(ds, "apps/v1", "DaemonSet")]}
        if ds["metadata"].get("annotations"):
            meta["annotations"] = dict(ds["metadata"]["annotations"])
        api.create({"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta,
                    "data": _data(ds), "revision": top + 1})
    elif int(cur.get("revision") or 0) < top:
        cur["revision"] = top + 1
        api.update(cur, check_rv=False)


def cleanup_history(api, ds: dict, hash_: str, live_hashes: set) -> None:
    """cleanupHistory: keep revisionHistoryLimit revisions that no pod runs, the newest."""
    limit = (ds.get("spec") or {}).get("revisionHistoryLimit")
    limit = 10 if limit is None else int(limit)
    old = [cr for cr in _revisions(api, ds)
           if (cr["metadata"].get("labels") or {}).get(HASH_LABEL) not in live_hashes | {hash_}]
    extra = len(old) - limit
    if extra <= 0:
        return
    for cr in sorted(old, key=lambda c: int(c.get("revision") or 0))[:extra]:
        api.delete("controllerrevisions", cr["metadata"]["namespace"], cr["metadata"]["name"])
