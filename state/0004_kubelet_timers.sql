-- minikctl store, schema version 4: the kubelet's timers, one row each.
-- A pod's re-sync after a failed sync (kind 'resync'), a container's crash-loop back-off
-- ('backoff'), a container process's exit ('exit') and a terminating pod's removal
-- ('terminating'). Replaces the JSON lists kept in meta['kubelet:resync'], ['kubelet:backoff'],
-- ['kubelet:exits'] and ['kubelet:terminating'], which every timer change read, sorted and
-- rewrote whole: the timers due by a time are now an index range scan.
CREATE TABLE IF NOT EXISTS kubelet_timers (
    kind      TEXT NOT NULL,            -- resync | backoff | exit | terminating
    uid       TEXT NOT NULL,            -- the pod's uid
    container TEXT NOT NULL DEFAULT '', -- '' for a pod's timer (resync, terminating)
    due       REAL NOT NULL,            -- cluster-clock timestamp it falls due
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,            -- the pod's name
    mark      REAL,                     -- backoff: when its last BackOff sync event was recorded
    extra     TEXT,                     -- JSON list: backoff [delay], exit [containerID, exit code]
    PRIMARY KEY (kind, uid, container)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kubelet_timers_due ON kubelet_timers (kind, due);
CREATE INDEX IF NOT EXISTS kubelet_timers_next ON kubelet_timers (due);
CREATE INDEX IF NOT EXISTS kubelet_timers_mark ON kubelet_timers (kind, mark) WHERE mark IS NOT NULL;

-- A store written by an older minikctl: its timers carry over.
INSERT OR REPLACE INTO kubelet_timers (kind, uid, container, due, namespace, name, mark, extra)
    SELECT 'resync', json_extract(value, '$[3]'), '', json_extract(value, '$[0]'), json_extract(value, '$[1]'),
           json_extract(value, '$[2]'), NULL, NULL
    FROM json_each(coalesce((SELECT value FROM meta WHERE key = 'kubelet:resync' AND json_valid(value)), '[]'))
    WHERE type = 'array';
INSERT OR REPLACE INTO kubelet_timers (kind, uid, container, due, namespace, name, mark, extra)
    SELECT 'terminating', json_extract(value, '$[3]'), '', json_extract(value, '$[0]'), json_extract(value, '$[1]'),
           json_extract(value, '$[2]'), NULL, NULL
    FROM json_each(coalesce((SELECT value FROM meta WHERE key = 'kubelet:terminating' AND json_valid(value)), '[]'))
    WHERE type = 'array';
INSERT OR REPLACE INTO kubelet_timers (kind, uid, container, due, namespace, name, mark, extra)
    SELECT 'backoff', json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[0]'),
           json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[6]'),
           json_array(json_extract(value, '$[5]'))
    FROM json_each(coalesce((SELECT value FROM meta WHERE key = 'kubelet:backoff' AND json_valid(value)), '[]'))
    WHERE type = 'array';
INSERT OR REPLACE INTO kubelet_timers (kind, uid, container, due, namespace, name, mark, extra)
    SELECT 'exit', json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[0]'),
           json_extract(value, '$[1]'), json_extract(value, '$[2]'), NULL,
           json_array(json_extract(value, '$[5]'), json_extract(value, '$[6]'))
    FROM json_each(coalesce((SELECT value FROM meta WHERE key = 'kubelet:exits' AND json_valid(value)), '[]'))
    WHERE type = 'array';
DELETE FROM meta WHERE key IN ('kubelet:resync', 'kubelet:terminating', 'kubelet:backoff', 'kubelet:exits')
