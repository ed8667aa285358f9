-- minikctl store, schema version 6: metadata.managedFields kept beside the object (issue 14).
-- Every write records its field manager's entry, and a pod's entries are about half as large
-- as the pod itself; kept inside `body`, they were encoded, decoded and copied by every read
-- and write of every controller (bench figure 5: 17.7 s became 25.9 s). `managed` holds the
-- object's managedFields as a JSON list (NULL: none), read only by the field manager, server-
-- side apply, `minikctl serve`'s answers and `--show-managed-fields`; `body` no longer has them.
ALTER TABLE objects ADD COLUMN managed TEXT;
UPDATE objects SET managed = json_extract(body, '$.metadata.managedFields'),
                   body = json_remove(body, '$.metadata.managedFields')
 WHERE json_type(body, '$.metadata.managedFields') IS NOT NULL
