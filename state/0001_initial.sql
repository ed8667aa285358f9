-- minikctl store, schema version 1.
-- Objects are kept as their full Kubernetes JSON, keyed by (resource, namespace, name),
-- with indexed columns for what commands filter on.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE objects (
    id        INTEGER PRIMARY KEY,
    resource  TEXT NOT NULL,             -- plural, e.g. "services"
    namespace TEXT NOT NULL DEFAULT '',  -- '' for cluster-scoped kinds
    name      TEXT NOT NULL,
    uid       TEXT NOT NULL,
    rv        INTEGER NOT NULL,          -- metadata.resourceVersion
    owner_uid TEXT,                      -- controller ownerReference uid (events: involvedObject uid)
    node      TEXT,                      -- pods: spec.nodeName
    sel_size  INTEGER NOT NULL DEFAULT 0,-- number of equality selector terms in `selectors`
    body      TEXT NOT NULL,             -- the object as JSON
    UNIQUE (resource, namespace, name)
);
CREATE UNIQUE INDEX objects_uid ON objects (uid);
CREATE INDEX objects_owner ON objects (owner_uid) WHERE owner_uid IS NOT NULL;
CREATE INDEX objects_node ON objects (resource, node) WHERE node IS NOT NULL;

-- metadata.labels, one row per label: label selectors query this.
CREATE TABLE labels (
    obj_id INTEGER NOT NULL,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (obj_id, key)
) WITHOUT ROWID;
CREATE INDEX labels_kv ON labels (key, value);

-- Equality selectors of services, replica sets, replication controllers, deployments:
-- "which selectors match these labels" is an indexed lookup, not a scan.
CREATE TABLE selectors (
    obj_id INTEGER NOT NULL,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (obj_id, key)
) WITHOUT ROWID;
CREATE INDEX selectors_kv ON selectors (key, value);

-- Allocated values (cluster IPs, node ports, pod IPs, load-balancer IPs), as integers.
CREATE TABLE allocations (
    pool  TEXT NOT NULL,     -- "clusterip", "nodeport", "podip:<node>", "lbip"
    value INTEGER NOT NULL,
    owner TEXT NOT NULL,     -- uid of the owning object
    PRIMARY KEY (pool, value)
) WITHOUT ROWID;
CREATE INDEX allocations_owner ON allocations (owner);
