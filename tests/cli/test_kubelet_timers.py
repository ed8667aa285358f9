"""The kubelet's timers are rows of the store's kubelet_timers table (state/0004_kubelet_timers.sql),
found by due time with an index; a store written by an older minikctl (JSON lists in meta keys)
keeps its timers when it is migrated."""

from __future__ import annotations

import json
import sqlite3


def _downgrade_to_v3(state: str) -> dict:
    """Rewrite the store as schema 3 kept it: the timers as JSON lists in meta keys."""
    keys = {"resync": "kubelet:resync", "terminating": "kubelet:terminating", "backoff": "kubelet:backoff",
            "exit": "kubelet:exits"}
    lists: dict = {k: [] for k in keys}
    with sqlite3.connect(state) as db:
        for kind, uid, container, due, ns, name, mark, extra in db.execute(
                "SELECT kind, uid, container, due, namespace, name, mark, extra FROM kubelet_timers"):
            entry = [due, ns, name, uid]
            if kind == "backoff":
                entry += [container, json.loads(extra)[0], mark]
            elif kind == "exit":
                entry += [container, *json.loads(extra)]
            lists[kind].append(entry)
        db.execute("DROP TABLE kubelet_timers")
        for kind, items in lists.items():
            if items:
                db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (keys[kind], json.dumps(sorted(items))))
        db.execute("PRAGMA user_version=3")
    return lists


def _rows(state: str) -> list:
    with sqlite3.connect(state) as db:
        return list(db.execute("SELECT kind, name, container FROM kubelet_timers ORDER BY due"))


def test_timers_are_rows_found_by_an_index(cluster, state):
    assert cluster("run sleeper --image=busybox --restart=Never -- sleep 30").code == 0
    assert _rows(state) == [("exit", "sleeper", "sleeper")]
    with sqlite3.connect(state) as db:
        plan = " ".join(r[-1] for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM kubelet_timers WHERE kind='exit' AND due<=1e12 "
            "ORDER BY due, namespace, name, uid, container"))
        assert "USING INDEX kubelet_timers_due (kind=? AND due<?)" in plan
        assert db.execute("SELECT count(*) FROM meta WHERE key IN ('kubelet:exits', 'kubelet:resync', "
                          "'kubelet:backoff', 'kubelet:terminating')").fetchone()[0] == 0
    assert cluster("clock advance 30s").code == 0
    assert _rows(state) == []
    assert cluster("get pod sleeper --no-headers").out.split()[2] == "Completed"


def test_an_older_store_keeps_its_timers(cluster, state):
    # a crash loop (back-off), a sleeping container (exit), a pod whose image pull fails (re-sync)
    # and a terminating pod, written by schema 3 as JSON lists
    assert cluster("run crash --image=busybox -- sh -c 'exit 1'").code == 0
    assert cluster("run sleeper --image=busybox --restart=Never -- sleep 30").code == 0
    assert cluster("run bad --image=nginx:1.99").code == 0
    assert cluster("run term --image=busybox -- sleep 3600").code == 0
    assert cluster("delete pod term --wait=false").code == 0
    before = sorted(_rows(state))
    assert [(k, n) for k, n, _c in before] == [("backoff", "crash"), ("exit", "sleeper"), ("exit", "term"),
                                                ("resync", "bad"), ("terminating", "term")]
    lists = _downgrade_to_v3(state)
    assert {k: len(v) for k, v in lists.items()} == {"resync": 1, "terminating": 1, "backoff": 1, "exit": 2}
    assert cluster("get pods --no-headers").code == 0  # opening the store migrates it
    assert sorted(_rows(state)) == before
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 4
        assert db.execute("SELECT count(*) FROM meta WHERE key IN ('kubelet:exits', 'kubelet:resync', "
                          "'kubelet:backoff', 'kubelet:terminating')").fetchone()[0] == 0
    assert cluster("clock advance 31s").code == 0  # the image is pulled again at 31 s (0, 11, 31, ...)
    rows = {n: ln.split()[2] for ln in cluster("get pods --no-headers").out.splitlines() for n in [ln.split()[0]]}
    assert rows == {"bad": "ErrImagePull", "crash": "CrashLoopBackOff", "sleeper": "Completed"}
