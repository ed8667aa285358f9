-- minikctl store, schema version 2: the kubelet's per-container runtime state.
-- Rows are keyed by the pod's uid, so a re-created pod with the same name starts clean;
-- rows of deleted pods are collected lazily (Store.kubelet_gc).

-- Files a container wrote (or deleted) on top of its image's filesystem; wiped when the
-- container restarts, as a real container's writable layer is.
CREATE TABLE container_files (
    pod_uid   TEXT NOT NULL,
    container TEXT NOT NULL,
    path      TEXT NOT NULL,            -- absolute, normalised
    kind      TEXT NOT NULL,            -- 'f' file, 'd' directory, 'x' deleted (whiteout of an image path)
    data      TEXT,                     -- file contents
    mtime     REAL NOT NULL DEFAULT 0,  -- cluster clock
    PRIMARY KEY (pod_uid, container, path)
) WITHOUT ROWID;

-- What each container printed (kubectl logs): one row per line, per container instance.
CREATE TABLE container_logs (
    id        INTEGER PRIMARY KEY,
    pod_uid   TEXT NOT NULL,
    container TEXT NOT NULL,
    instance  INTEGER NOT NULL,         -- restartCount of the container that printed it
    ts        REAL NOT NULL,            -- cluster clock
    line      TEXT NOT NULL
);
CREATE INDEX container_logs_key ON container_logs (pod_uid, container, instance, id);

-- Probe workers (pkg/kubelet/prober/worker.go): state as JSON, next due time indexed.
CREATE TABLE probe_state (
    pod_uid   TEXT NOT NULL,
    container TEXT NOT NULL,
    probe     TEXT NOT NULL,            -- readiness | liveness | startup
    namespace TEXT NOT NULL,
    pod       TEXT NOT NULL,
    state     TEXT NOT NULL,            -- JSON
    next_due  REAL,                     -- cluster clock, NULL when nothing is scheduled
    PRIMARY KEY (pod_uid, container, probe)
) WITHOUT ROWID;
CREATE INDEX probe_state_due ON probe_state (next_due) WHERE next_due IS NOT NULL;
