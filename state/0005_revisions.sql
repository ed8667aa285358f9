-- minikctl store, schema version 5: the revision log behind `minikctl serve`'s watch (issue 14).
-- One row per object write while a server is (or was) attached to the store (meta 'watch:log'):
-- the object as written at that resourceVersion, or as it was when deleted (type DELETED, with
-- the deletion's resourceVersion). Compacted on commit: revisions older than the kept history
-- are dropped and meta 'watch:compacted' says up to which resourceVersion (a watch from before
-- it gets 410 Gone, as from kube-apiserver's compacted etcd).
CREATE TABLE IF NOT EXISTS revisions (
    rv        INTEGER PRIMARY KEY,
    resource  TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    type      TEXT NOT NULL,  -- ADDED | MODIFIED | DELETED
    body      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_resource ON revisions (resource, rv)
