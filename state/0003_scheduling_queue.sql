-- minikctl store, schema version 3: the scheduler's queue of pods waiting for a node.
-- One row per pod that no node could take (kube-scheduler's unschedulable pods), in the
-- order they first failed; retried when a node changes or a bound pod goes. Replaces the
-- JSON list kept in meta['scheduler:unschedulable'], which every scheduling attempt read,
-- sorted and rewrote whole.
CREATE TABLE scheduling_queue (
    id        INTEGER PRIMARY KEY,      -- queue order: first failure first
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (namespace, name)
);

-- A store written by an older minikctl: its waiting pods keep waiting, in their old order.
INSERT OR IGNORE INTO scheduling_queue (namespace, name)
    SELECT substr(value, 1, instr(value, '/') - 1), substr(value, instr(value, '/') + 1)
    FROM json_each(coalesce((SELECT value FROM meta WHERE key = 'scheduler:unschedulable'
                             AND json_valid(value) AND json_type(value) = 'array'), '[]'))
    WHERE type = 'text' AND instr(value, '/') > 0
    ORDER BY key;
DELETE FROM meta WHERE key = 'scheduler:unschedulable'
