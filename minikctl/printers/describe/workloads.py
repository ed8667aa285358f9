"""Workload describers (describe.go, kubectl 1.32): describeReplicaSet,
describeReplicationController, describeDeployment, describeStatefulSet, describeDaemonSet,
describeJob and describeCronJob.
"""

from __future__ import annotations

from datetime import datetime, timezone

from minikctl.printers.columns import format_label_selector, label_selector_string
from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.pod import _describe_pod_template, _int_or_string
from minikctl.printers.describe.quantity import _qstr
from minikctl.printers.describe.storage import _claim_class
from minikctl.printers.describe.writer import (
    _D,
    _L,
    _Writer,
    _controller_of,
    _creation,
    _g,
    _int,
    _name_ns,
    _print_annotations_multiline,
    _print_controller,
    _print_labels_multiline,
    rfc1123z,
)
from minikctl.printers.duration import parse_time
from minikctl.printers.table import format_labels


# ---------------------------------------------------------------------------
# workloads
# ---------------------------------------------------------------------------


def _pod_status_counts(pods, owner_uid: str | None) -> tuple[int, int, int, int]:
    """getPodStatusForController: pods controlled by ``owner_uid`` by phase."""
    running = waiting = succeeded = failed = 0
    for p in pods or _L:
        if not isinstance(p, dict):
            continue
        ref = _controller_of(p)
        if ref is None or (owner_uid is not None and ref.get("uid") != owner_uid):
            continue
        phase = _g(p, "status", "phase")
        if phase == "Running":
            running += 1
        elif phase == "Pending":
            waiting += 1
        elif phase == "Succeeded":
            succeeded += 1
        elif phase == "Failed":
            failed += 1
    return running, waiting, succeeded, failed


def _controller_conditions(w: _Writer, conditions) -> None:
    conditions = conditions or _L
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            c = c or _D
            w.write(1, "%s \t%s\t%s\n" % (c.get("type") or "", c.get("status") or "", c.get("reason") or ""))


def _spec_replicas(spec: dict) -> int:
    r = spec.get("replicas")
    return 1 if r is None else _int(r)


def _describe_replica_set(rs: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = rs.get("metadata") or _D
    spec = rs.get("spec") or _D
    _name_ns(w, rs)
    w.write(0, "Selector:\t%s\n" % format_label_selector(spec.get("selector")))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    controlled_by = _print_controller(rs)
    if controlled_by:
        w.write(0, "Controlled By:\t%s\n" % controlled_by)
    w.write(0, "Replicas:\t%d current / %d desired\n" % (_int(_g(rs, "status", "replicas")), _spec_replicas(spec)))
    w.write(0, "Pods Status:\t")
    w.write(0, "%d Running / %d Waiting / %d Succeeded / %d Failed\n" % _pod_status_counts(related.get("pods"), meta.get("uid")))
    _describe_pod_template(w, spec.get("template"))
    _controller_conditions(w, _g(rs, "status", "conditions"))
    describe_events(events, w, now)
    return w.render()


def _describe_replication_controller(rc: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = rc.get("metadata") or _D
    spec = rc.get("spec") or _D
    _name_ns(w, rc)
    w.write(0, "Selector:\t%s\n" % format_labels(spec.get("selector")))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Replicas:\t%d current / %d desired\n" % (_int(_g(rc, "status", "replicas")), _spec_replicas(spec)))
    w.write(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n" % _pod_status_counts(related.get("pods"), meta.get("uid")))
    _describe_pod_template(w, spec.get("template"))
    _controller_conditions(w, _g(rc, "status", "conditions"))
    describe_events(events, w, now)
    return w.render()


def _strip_hash(template) -> dict:
    """EqualIgnoreHash helper: the template without the pod-template-hash label."""
    t = dict(template or _D)
    meta = dict(t.get("metadata") or _D)
    labels = dict(meta.get("labels") or _D)
    labels.pop("pod-template-hash", None)
    meta["labels"] = labels
    meta.pop("creationTimestamp", None)
    t["metadata"] = meta
    return t


def _deployment_replica_sets(d: dict, rss) -> tuple[list[dict], list[dict]]:
    """deploymentutil.GetAllReplicaSetsInChunks -> (allOldRSs, [newRS])."""
    uid = _g(d, "metadata", "uid")
    owned = []
    for rs in rss or _L:
        if not isinstance(rs, dict):
            continue
        ref = _controller_of(rs)
        if uid is not None and (ref is None or ref.get("uid") != uid):
            continue
        owned.append(rs)
    owned.sort(key=lambda r: (parse_time(_g(r, "metadata", "creationTimestamp")) or datetime.min.replace(tzinfo=timezone.utc),
                              _g(r, "metadata", "name") or ""))
    want = _strip_hash(_g(d, "spec", "template"))
    new = None
    for rs in owned:
        if _strip_hash(_g(rs, "spec", "template")) == want:
            new = rs
            break
    old = [rs for rs in owned if rs is not new]
    return old, ([new] if new is not None else [])


def _replica_sets_by_labels(rss) -> str:
    parts = ["%s (%d/%d replicas created)" % (_g(rs, "metadata", "name") or "", _int(_g(rs, "status", "replicas")),
                                             _spec_replicas(rs.get("spec") or _D)) for rs in rss]
    return ", ".join(parts) or "<none>"


def _describe_deployment(d: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = d.get("metadata") or _D
    spec = d.get("spec") or _D
    status = d.get("status") or _D
    _name_ns(w, d)
    w.write(0, "CreationTimestamp:\t%s\n" % _creation(d))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Selector:\t%s\n" % label_selector_string(spec.get("selector")))
    w.write(0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n" % (
        _spec_replicas(spec), _int(status.get("updatedReplicas")), _int(status.get("replicas")),
        _int(status.get("availableReplicas")), _int(status.get("unavailableReplicas"))))
    strategy = spec.get("strategy") or _D
    w.write(0, "StrategyType:\t%s\n" % (strategy.get("type") or "RollingUpdate"))
    w.write(0, "MinReadySeconds:\t%d\n" % _int(spec.get("minReadySeconds")))
    ru = strategy.get("rollingUpdate")
    if isinstance(ru, dict):
        w.write(0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n" % (
            _int_or_string(ru.get("maxUnavailable", "25%")), _int_or_string(ru.get("maxSurge", "25%"))))
    _describe_pod_template(w, spec.get("template"))
    _controller_conditions(w, status.get("conditions"))
    rss = related.get("replicasets")
    if rss is not None:
        old, new = _deployment_replica_sets(d, rss)
        if old or new:
            w.write(0, "OldReplicaSets:\t%s\n" % _replica_sets_by_labels(old))
            w.write(0, "NewReplicaSet:\t%s\n" % _replica_sets_by_labels(new))
    describe_events(events, w, now)
    return w.render()


# ---------------------------------------------------------------------------
# StatefulSet (issue 11): describeStatefulSet (kubectl 1.32 describe.go)
# ---------------------------------------------------------------------------


def _describe_stateful_set(sts: dict, events, now: datetime, related: dict) -> str:
    w = _Writer()
    meta = sts.get("metadata") or _D
    spec = sts.get("spec") or _D
    _name_ns(w, sts)
    w.write(0, "CreationTimestamp:\t%s\n" % _creation(sts))
    w.write(0, "Selector:\t%s\n" % format_label_selector(spec.get("selector")))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Replicas:\t%d desired | %d total\n" % (_spec_replicas(spec), _int(_g(sts, "status", "replicas"))))
    strategy = spec.get("updateStrategy") or _D
    w.write(0, "Update Strategy:\t%s\n" % (strategy.get("type") or ""))
    ru = strategy.get("rollingUpdate")
    if isinstance(ru, dict) and ru.get("partition") is not None:
        w.write(1, "Partition:\t%d\n" % _int(ru.get("partition")))
        if ru.get("maxUnavailable") is not None:
            w.write(1, "MaxUnavailable:\t%s\n" % ru["maxUnavailable"])
    w.write(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n"
            % _pod_status_counts(related.get("pods"), meta.get("uid")))
    _describe_pod_template(w, spec.get("template"))
    templates = [t for t in spec.get("volumeClaimTemplates") or _L if isinstance(t, dict)]
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
    else:
        w.write(0, "Volume Claims:\n")
        for t in templates:
            tmeta = t.get("metadata") or _D
            tspec = t.get("spec") or _D
            w.write(1, "Name:\t%s\n" % (tmeta.get("name") or ""))
            w.write(1, "StorageClass:\t%s\n" % _claim_class(t))
            _print_labels_multiline(w, "Labels", tmeta.get("labels"), "  ")
            _print_labels_multiline(w, "Annotations", tmeta.get("annotations"), "  ")
            storage = _g(tspec, "resources", "requests", "storage")
            w.write(1, "Capacity:\t%s\n" % (_qstr(storage) if storage is not None else "<default>"))
            w.write(1, "Access Modes:\t[%s]\n" % " ".join(str(m) for m in tspec.get("accessModes") or _L))
    describe_events(events, w, now)
    return w.render()


# --- issue 11: DaemonSet (w-ds)
def _describe_daemon_set(ds: dict, events, now: datetime, related: dict) -> str:
    """describeDaemonSet (related: {"pods": [Pod, ...]} of the namespace). kubectl 1.32
    prints no Namespace line here (checked against the real binary)."""
    w = _Writer()
    meta = ds.get("metadata") or _D
    spec = ds.get("spec") or _D
    status = ds.get("status") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Selector:\t%s\n" % label_selector_string(spec.get("selector")))
    w.write(0, "Node-Selector:\t%s\n" % format_labels(_g(spec, "template", "spec", "nodeSelector") or None))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Desired Number of Nodes Scheduled: %d\n" % _int(status.get("desiredNumberScheduled")))
    w.write(0, "Current Number of Nodes Scheduled: %d\n" % _int(status.get("currentNumberScheduled")))
    w.write(0, "Number of Nodes Scheduled with Up-to-date Pods: %d\n" % _int(status.get("updatedNumberScheduled")))
    w.write(0, "Number of Nodes Scheduled with Available Pods: %d\n" % _int(status.get("numberAvailable")))
    w.write(0, "Number of Nodes Misscheduled: %d\n" % _int(status.get("numberMisscheduled")))
    w.write(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n"
            % _pod_status_counts(related.get("pods"), meta.get("uid")))
    _describe_pod_template(w, spec.get("template"))
    describe_events(events, w, now)
    return w.render()


# --- issue 11: Batch (w-job)
def _describe_job(job: dict, events, now: datetime) -> str:
    """describe.go describeJob (kubectl 1.32)."""
    from minikctl.printers.duration import human_duration_ns, since_ns

    w = _Writer()
    meta = job.get("metadata") or _D
    spec = job.get("spec") or _D
    status = job.get("status") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    w.write(0, "Selector:\t%s\n" % label_selector_string(spec.get("selector")))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    controlled_by = _print_controller(job)
    if controlled_by:
        w.write(0, "Controlled By:\t%s\n" % controlled_by)
    if spec.get("parallelism") is not None:
        w.write(0, "Parallelism:\t%d\n" % _int(spec.get("parallelism")))
    if spec.get("completions") is not None:
        w.write(0, "Completions:\t%d\n" % _int(spec.get("completions")))
    else:
        w.write(0, "Completions:\t<unset>\n")
    if spec.get("completionMode") is not None:
        w.write(0, "Completion Mode:\t%s\n" % spec["completionMode"])
    if spec.get("suspend") is not None:
        w.write(0, "Suspend:\t%s\n" % ("true" if spec["suspend"] else "false"))
    if spec.get("backoffLimit") is not None:
        w.write(0, "Backoff Limit:\t%d\n" % _int(spec["backoffLimit"]))
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, "TTL Seconds After Finished:\t%d\n" % _int(spec["ttlSecondsAfterFinished"]))
    if status.get("startTime"):
        w.write(0, "Start Time:\t%s\n" % rfc1123z(status["startTime"]))
    if status.get("completionTime"):
        w.write(0, "Completed At:\t%s\n" % rfc1123z(status["completionTime"]))
    start, end = parse_time(status.get("startTime")), parse_time(status.get("completionTime"))
    if start is not None and end is not None:
        w.write(0, "Duration:\t%s\n" % human_duration_ns(since_ns(start, end)))
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, "Active Deadline Seconds:\t%ds\n" % _int(spec["activeDeadlineSeconds"]))
    if status.get("ready") is None:
        w.write(0, "Pods Statuses:\t%d Active / %d Succeeded / %d Failed\n"
                % (_int(status.get("active")), _int(status.get("succeeded")), _int(status.get("failed"))))
    else:
        w.write(0, "Pods Statuses:\t%d Active (%d Ready) / %d Succeeded / %d Failed\n"
                % (_int(status.get("active")), _int(status.get("ready")), _int(status.get("succeeded")),
                   _int(status.get("failed"))))
    if spec.get("completionMode") == "Indexed":
        idx = status.get("completedIndexes") or ""
        w.write(0, "Completed Indexes:\t%s\n" % (_cap_indexes(idx, 50) if idx else "<none>"))
    _describe_pod_template(w, spec.get("template"))
    describe_events(events, w, now)
    return w.render()


def _cap_indexes(s: str, limit: int) -> str:
    """capIndexesListOrNone: at most `limit` characters, cut at a comma, then "..."."""
    if len(s) <= limit:
        return s
    cut = s[:limit]
    i = cut.rfind(",")
    return (cut[:i] if i >= 0 else cut) + ",..."


def _describe_cron_job(cj: dict, events, now: datetime) -> str:
    """describe.go describeCronJob, describeJobTemplate and printActiveJobs (kubectl 1.32)."""
    w = _Writer()
    meta = cj.get("metadata") or _D
    spec = cj.get("spec") or _D
    status = cj.get("status") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Schedule:\t%s\n" % (spec.get("schedule") or ""))
    w.write(0, "Concurrency Policy:\t%s\n" % (spec.get("concurrencyPolicy") or ""))
    sus = spec.get("suspend")
    w.write(0, "Suspend:\t%s\n" % ("<unset>" if sus is None else ("True" if sus else "False")))
    for label, key in (("Successful Job History Limit", "successfulJobsHistoryLimit"),
                       ("Failed Job History Limit", "failedJobsHistoryLimit")):
        v = spec.get(key)
        w.write(0, "%s:\t%s\n" % (label, "<unset>" if v is None else _int(v)))
    sds = spec.get("startingDeadlineSeconds")
    w.write(0, "Starting Deadline Seconds:\t%s\n" % ("<unset>" if sds is None else f"{_int(sds)}s"))
    jspec = _g(spec, "jobTemplate", "spec") or _D
    sel = jspec.get("selector")
    w.write(0, "Selector:\t%s\n" % (label_selector_string(sel) if sel is not None else "<unset>"))
    for label, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        v = jspec.get(key)
        w.write(0, "%s:\t%s\n" % (label, "<unset>" if v is None else _int(v)))
    if jspec.get("activeDeadlineSeconds") is not None:
        w.write(0, "Active Deadline Seconds:\t%ds\n" % _int(jspec["activeDeadlineSeconds"]))
    _describe_pod_template(w, jspec.get("template"))
    last = status.get("lastScheduleTime")
    w.write(0, "Last Schedule Time:\t%s\n" % (rfc1123z(last) if last else "<unset>"))
    active = [a.get("name") or "" for a in status.get("active") or ()]
    w.write(0, "Active Jobs:\t%s\n" % (", ".join(active) if active else "<none>"))
    describe_events(events, w, now)
    return w.render()
