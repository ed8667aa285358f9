"""The store's tables for what runs on the simulated nodes and waits for one, beside the
objects (Store, minikctl.store.db, inherits these): container files and logs and probe states
(state/0002, used by minikctl.kubelet), the scheduling queue (state/0003, used by
minikctl.controllers.scheduler) and the kubelet's timers (state/0004, minikctl.kubelet.pods.timers).
"""

from __future__ import annotations

import json


class NodeTables:
    """Methods of Store over self.conn (one sqlite3 connection, inside or outside a write)."""

    # ------------------------------------------- kubelet: container runtime state
    # (schema: state/0002_container_files.sql; used by minikctl.kubelet)
    def container_files(self, pod_uid: str, container: str) -> list[tuple[str, str, str | None, float]]:
        """The files a container wrote or deleted: (path, kind 'f'|'d'|'x', data, mtime)."""
        return list(self.conn.execute(
            "SELECT path, kind, data, mtime FROM container_files WHERE pod_uid=? AND container=? ORDER BY path",
            (pod_uid, container)))

    def container_file_put(self, pod_uid: str, container: str, path: str, kind: str, data: str | None,
                           mtime: float) -> None:
        self.conn.execute(
            "INSERT INTO container_files(pod_uid, container, path, kind, data, mtime) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(pod_uid, container, path) DO UPDATE SET kind=excluded.kind, data=excluded.data, "
            "mtime=excluded.mtime", (pod_uid, container, path, kind, data, mtime))

    def container_file_delete(self, pod_uid: str, container: str, path: str) -> None:
        self.conn.execute("DELETE FROM container_files WHERE pod_uid=? AND container=? AND path=?",
                          (pod_uid, container, path))

    def container_files_wipe(self, pod_uid: str, container: str | None = None) -> None:
        if container is None:
            self.conn.execute("DELETE FROM container_files WHERE pod_uid=?", (pod_uid,))
        else:
            self.conn.execute("DELETE FROM container_files WHERE pod_uid=? AND container=?", (pod_uid, container))

    def container_log_append(self, pod_uid: str, container: str, instance: int, ts: float,
                             lines: list[str], keep: int = 5000) -> None:
        """Append log lines; keep only the newest `keep` lines of that container instance."""
        self.conn.executemany(
            "INSERT INTO container_logs(pod_uid, container, instance, ts, line) VALUES (?,?,?,?,?)",
            [(pod_uid, container, instance, ts, ln) for ln in lines])
        row = self.conn.execute(
            "SELECT id FROM container_logs WHERE pod_uid=? AND container=? AND instance=? "
            "ORDER BY id DESC LIMIT 1 OFFSET ?", (pod_uid, container, instance, keep)).fetchone()
        if row:
            self.conn.execute("DELETE FROM container_logs WHERE pod_uid=? AND container=? AND instance=? AND id<=?",
                              (pod_uid, container, instance, row[0]))

    def container_log(self, pod_uid: str, container: str, instance: int,
                      tail: int | None = None) -> list[tuple[float, str]]:
        """(ts, line) in order; tail = only the last N lines."""
        if tail is not None and tail >= 0:
            rows = list(self.conn.execute(
                "SELECT ts, line FROM container_logs WHERE pod_uid=? AND container=? AND instance=? "
                "ORDER BY id DESC LIMIT ?", (pod_uid, container, instance, tail)))
            rows.reverse()
            return rows
        return list(self.conn.execute(
            "SELECT ts, line FROM container_logs WHERE pod_uid=? AND container=? AND instance=? ORDER BY id",
            (pod_uid, container, instance)))

    def container_log_drop(self, pod_uid: str, container: str, below_instance: int) -> None:
        """Forget logs of container instances older than the previous one (the kubelet keeps one dead container)."""
        self.conn.execute("DELETE FROM container_logs WHERE pod_uid=? AND container=? AND instance<?",
                          (pod_uid, container, below_instance))

    def probe_states(self, pod_uid: str) -> dict[tuple[str, str], tuple[dict, float | None]]:
        """{(container, probe): (state, next_due)} for one pod."""
        return {(c, p): (json.loads(s), d) for c, p, s, d in self.conn.execute(
            "SELECT container, probe, state, next_due FROM probe_state WHERE pod_uid=?", (pod_uid,))}

    def probe_state_put(self, pod_uid: str, container: str, probe: str, namespace: str, pod: str, state: dict,
                        next_due: float | None) -> None:
        self.conn.execute(
            "INSERT INTO probe_state(pod_uid, container, probe, namespace, pod, state, next_due) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(pod_uid, container, probe) DO UPDATE SET namespace=excluded.namespace, pod=excluded.pod, "
            "state=excluded.state, next_due=excluded.next_due",
            (pod_uid, container, probe, namespace, pod, json.dumps(state, separators=(",", ":")), next_due))

    def probe_state_delete(self, pod_uid: str, container: str | None = None) -> None:
        if container is None:
            self.conn.execute("DELETE FROM probe_state WHERE pod_uid=?", (pod_uid,))
        else:
            self.conn.execute("DELETE FROM probe_state WHERE pod_uid=? AND container=?", (pod_uid, container))

    def probes_due(self, until: float) -> list[tuple[str, str, str]]:
        """Pods with a probe due at or before `until`: (pod_uid, namespace, name), earliest first."""
        return list(self.conn.execute(
            "SELECT pod_uid, namespace, pod FROM probe_state WHERE next_due IS NOT NULL AND next_due<=? "
            "GROUP BY pod_uid ORDER BY min(next_due)", (until,)))

    def probe_next_due(self) -> float | None:
        row = self.conn.execute("SELECT min(next_due) FROM probe_state WHERE next_due IS NOT NULL").fetchone()
        return row[0] if row else None

    def kubelet_gc(self) -> None:
        """Forget runtime state of pods that no longer exist (indexed on objects.uid)."""
        for table in ("container_files", "container_logs", "probe_state"):
            self.conn.execute(f"DELETE FROM {table} WHERE pod_uid NOT IN (SELECT uid FROM objects)")


    # ------------------------------------------ scheduler: pods waiting for a node
    # (schema: state/0003_scheduling_queue.sql; used by minikctl.controllers.scheduler)
    def sched_queue_add(self, namespace: str, name: str) -> None:
        """Queue a pod no node could take (a pod already queued keeps its place)."""
        self.conn.execute("INSERT OR IGNORE INTO scheduling_queue(namespace, name) VALUES (?,?)", (namespace, name))

    def sched_queue_remove(self, namespace: str, name: str) -> bool:
        """Take a pod off the queue; True when it was queued."""
        return self.conn.execute("DELETE FROM scheduling_queue WHERE namespace=? AND name=?",
                                 (namespace, name)).rowcount == 1


    def sched_queue_page(self, after: int = 0, limit: int = 256) -> list[tuple[int, str, str]]:
        """(position, namespace, name) of queued pods after `after`, in queue order."""
        return list(self.conn.execute("SELECT id, namespace, name FROM scheduling_queue WHERE id>? ORDER BY id LIMIT ?",
                                      (after, limit)))


    # ------------------------------------------------ kubelet: timers
    # (schema: state/0004_kubelet_timers.sql; used by minikctl.kubelet.pods.timers). Rows are
    # (due, namespace, name, uid, container, mark, extra), in time order.
    _TIMER_ORDER = " ORDER BY due, namespace, name, uid, container"

    def kubelet_timers(self, kind: str, upto: float | None = None, uid: str | None = None) -> list[tuple]:
        """The timers of a kind: those due by `upto` (an index range scan), or one pod's."""
        sql, args = "SELECT due, namespace, name, uid, container, mark, extra FROM kubelet_timers WHERE kind=?", [kind]
        if uid is not None:
            sql += " AND uid=?"
            args.append(uid)
        if upto is not None:
            sql += " AND due<=?"
            args.append(upto)
        return list(self.conn.execute(sql + self._TIMER_ORDER, args))

    def kubelet_timers_marked(self, kind: str, mark_upto: float, due_after: float) -> list[tuple]:
        """The timers of a kind not due yet whose mark is at most `mark_upto` (a crash-loop
        back-off whose next BackOff sync event fell due)."""
        return list(self.conn.execute(
            "SELECT due, namespace, name, uid, container, mark, extra FROM kubelet_timers "
            "WHERE kind=? AND mark IS NOT NULL AND mark<=? AND due>?" + self._TIMER_ORDER, (kind, mark_upto, due_after)))

    def kubelet_timer_put(self, kind: str, uid: str, container: str, due: float, namespace: str, name: str,
                          mark: float | None = None, extra: str | None = None) -> None:
        """Set a pod's (container's) timer of a kind, replacing the one it had."""
        self.conn.execute("INSERT OR REPLACE INTO kubelet_timers(kind, uid, container, due, namespace, name, mark, "
                          "extra) VALUES (?,?,?,?,?,?,?,?)", (kind, uid, container, due, namespace, name, mark, extra))

    def kubelet_timer_delete(self, kind: str, uid: str | None = None, container: str | None = None,
                             upto: float | None = None) -> int:
        """Drop a pod's timers of a kind (one container's), or all those due by `upto`; how many went."""
        sql, args = "DELETE FROM kubelet_timers WHERE kind=?", [kind]
        if uid is not None:
            sql += " AND uid=?"
            args.append(uid)
        if container is not None:
            sql += " AND container=?"
            args.append(container)
        if upto is not None:
            sql += " AND due<=?"
            args.append(upto)
        return self.conn.execute(sql, args).rowcount

    def kubelet_timer_next(self) -> float | None:
        """The earliest due time of any kubelet timer."""
        return self.conn.execute("SELECT min(due) FROM kubelet_timers").fetchone()[0]

    def container_log_append_rows(self, rows: list[tuple[str, str, int, float, str]], keep: int = 5000) -> None:
        """Append log lines (pod_uid, container, instance, ts, line) of any containers at once, in
        order (a journal of a simulated command); keep only the newest `keep` lines of each
        container instance, as container_log_append does."""
        self.conn.executemany("INSERT INTO container_logs(pod_uid, container, instance, ts, line) VALUES (?,?,?,?,?)",
                              rows)
        for uid, container, instance in dict.fromkeys((r[0], r[1], r[2]) for r in rows):
            row = self.conn.execute(
                "SELECT id FROM container_logs WHERE pod_uid=? AND container=? AND instance=? "
                "ORDER BY id DESC LIMIT 1 OFFSET ?", (uid, container, instance, keep)).fetchone()
            if row:
                self.conn.execute("DELETE FROM container_logs WHERE pod_uid=? AND container=? AND instance=? "
                                  "AND id<=?", (uid, container, instance, row[0]))
