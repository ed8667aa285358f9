"""cronjob-controller (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go) as of 1.32.

At each scheduled time the controller makes the Job ``NAME-<scheduled time in minutes
since the epoch>`` from spec.jobTemplate (getJobFromTemplate2), with concurrencyPolicy
Allow/Forbid/Replace, startingDeadlineSeconds (a start later than the deadline is missed),
the "too many missed start times" warning (more than 100 missed: only the latest runs),
the history limits on finished Jobs, and suspend.

The clock: each CronJob's next scheduled time is kept in one store meta key; `clock
advance` stops at each of those times in the interval (``next_wakeup``) so that an hour
makes the Jobs an hour makes, visiting only the times something is scheduled (O(runs),
never minute by minute).
"""

from __future__ import annotations

import json

from minikctl.controllers import replication as R

SOURCE = "cronjob-controller"
NEXT_META = "controllers:cronjob-next"
VIRTUAL_META = "controllers:cronjob-virtual:"  # + namespace|name: JSON [[job name, scheduled time], ...]
SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"


# ------------------------------------------------------------------- watches
def on_cronjob(api, namespace: str, name: str) -> None:
    api._enqueue("~cronjob", namespace, name)


def on_job(api, namespace: str, name: str) -> None:
    for j in (api.try_get("jobs", namespace, name), api.previous):
        if j is not None:
            ref = R.controller_ref(j)
            if ref is not None and ref.get("kind") == "CronJob":
                api._enqueue("~cronjob", namespace, ref.get("name", ""))


# --------------------------------------------------------------------- timers
def _next(api) -> dict:
    raw = api.store.meta_get(NEXT_META)
    return json.loads(raw) if raw else {}


def _set_next(api, ns: str, name: str, ts: float | None) -> None:
    nxt = _next(api)
    key = f"{ns}|{name}"
    if ts is None:
        if key not in nxt:
            return
        del nxt[key]
    else:
        if nxt.get(key) == ts:
            return
        nxt[key] = ts
    if nxt:
        api.store.meta_set(NEXT_META, json.dumps(nxt, sort_keys=True))
    else:
        api.store.meta_delete(NEXT_META)


def next_wakeup(api, after_ns: int, until_ns: int) -> int | None:
    """The earliest scheduled time in (after, until), in ns, for `clock advance` to stop at."""
    nxt = _next(api)
    if not nxt:
        return None
    t = int(min(nxt.values()) * 1_000_000_000)
    return t if after_ns < t < until_ns else None


def on_clock(api) -> None:
    now = api.clock.timestamp()
    for key, ts in sorted(_next(api).items()):
        if ts <= now:
            ns, name = key.split("|", 1)
            api._enqueue("~cronjob", ns, name)


# -------------------------------------------------------------------- helpers
def _finished(job: dict) -> str:
    for c in (job.get("status") or {}).get("conditions") or ():
        if c.get("type") in ("Complete", "Failed") and c.get("status") == "True":
            return c["type"]
    return ""


def _rfc3339(ts: float, tz=None) -> str:
    from datetime import datetime, timezone

    t = datetime.fromtimestamp(int(ts), tz or timezone.utc)
    if t.utcoffset() and t.utcoffset().total_seconds():
        return t.isoformat()
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _job_ref(job: dict) -> dict:
    m = job["metadata"]
    return {"apiVersion": "batch/v1", "kind": "Job", "name": m["name"], "namespace": m["namespace"],
            "resourceVersion": m.get("resourceVersion"), "uid": m["uid"]}


def _job_from_template(cj: dict, scheduled: float, tz) -> dict:
    """getJobFromTemplate2."""
    from minikctl.api.server import clone

    jt = (cj.get("spec") or {}).get("jobTemplate") or {}
    tmeta = jt.get("metadata") or {}
    name = f"{cj['metadata']['name']}-{int(scheduled // 60)}"
    annotations = dict(tmeta.get("annotations") or {})
    annotations[SCHEDULED_ANNOTATION] = _rfc3339(scheduled, tz)
    meta: dict = {"name": name, "namespace": cj["metadata"]["namespace"], "annotations": annotations,
                  "ownerReferences": [R.new_controller_ref(cj, "batch/v1", "CronJob")]}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": clone(jt.get("spec") or {})}


# ----------------------------------------------------------------------- sync
def sync(api, namespace: str, name: str) -> None:
    from minikctl.api import cron
    from minikctl.api.errors import AlreadyExists, ApiError

    cj = api.try_get("cronjobs", namespace, name)
    if cj is None or cj["metadata"].get("deletionTimestamp"):
        _set_next(api, namespace, name, None)
        api.store.meta_delete(f"{VIRTUAL_META}{namespace}|{name}")
        return
    spec = cj.get("spec") or {}
    status = dict(cj.get("status") or {})
    now = api.clock.timestamp()

    # the Jobs it owns: active ones, finished ones (SawCompletedJob), lastSuccessfulTime
    jobs = [j for j in api.store.iter_owned(cj["metadata"]["uid"], "jobs")
            if j["metadata"].get("namespace") == namespace]
    active_before = {r.get("uid") for r in status.get("active") or ()}
    active, done = [], []
    for j in jobs:
        state = _finished(j)
        if not state:
            active.append(j)
            continue
        done.append(j)
        if j["metadata"]["uid"] in active_before:
            api.record_event(cj, "Normal", "SawCompletedJob",
                             f"Saw completed job: {j['metadata']['name']}, condition: {state}", SOURCE)
        if state == "Complete":
            ct = (j.get("status") or {}).get("completionTime")
            if ct and (not status.get("lastSuccessfulTime") or ct > status["lastSuccessfulTime"]):
                status["lastSuccessfulTime"] = ct
    done += _virtual_jobs(api, cj)
    _cleanup_history(api, cj, done)

    schedule_ts = None
    tz = cron.zone(spec.get("timeZone"))
    try:
        sched = cron.parse_standard(spec.get("schedule") or "")
    except cron.CronError:
        sched = None
    if sched is not None and tz is not None and not spec.get("suspend"):
        earliest = R._parse_time(status.get("lastScheduleTime")) or R._parse_time(cj["metadata"].get("creationTimestamp")) or now
        sds = spec.get("startingDeadlineSeconds")
        if sds is not None and now - int(sds) > earliest:
            earliest = now - int(sds)
        latest, missed = _most_recent(sched, earliest, now, tz)
        if missed > 100:
            api.record_event(cj, "Warning", "TooManyMissedTimes",
                             f"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds "
                             "or check clock skew", SOURCE)
        if latest is not None:
            too_late = sds is not None and latest + int(sds) < now
            if too_late:
                api.record_event(cj, "Warning", "MissSchedule",
                                 f"Missed scheduled time to start a job: {_rfc1123z(latest, tz)}", SOURCE)
                status["lastScheduleTime"] = _rfc3339(latest)
            elif spec.get("concurrencyPolicy") == "Forbid" and active:
                api.record_event(cj, "Normal", "JobAlreadyActive",
                                 "Not starting job because prior execution is running and concurrency policy is "
                                 "Forbid", SOURCE)
            else:
                if spec.get("concurrencyPolicy") == "Replace":
                    for j in active:
                        api.delete("jobs", namespace, j["metadata"]["name"])
                        api.record_event(cj, "Normal", "SuccessfulDelete", f"Deleted job {j['metadata']['name']}",
                                         SOURCE)
                    active = []
                last = _fast_forward(api, cj, sched, tz, latest, active, done)
                if last is not None:
                    latest = now = last
                    status["lastSuccessfulTime"] = _rfc3339(last)
                else:
                    job = _job_from_template(cj, latest, tz)
                    try:
                        created = api.create(job)
                        api.record_event(cj, "Normal", "SuccessfulCreate",
                                         f"Created job {created['metadata']['name']}", SOURCE)
                        active.append(created)
                    except AlreadyExists:
                        pass
                    except ApiError as e:
                        api.record_event(cj, "Warning", "FailedCreate", f"Error creating job: {e.message}", SOURCE)
                status["lastScheduleTime"] = _rfc3339(latest)
        # (after a fast-forward its last run is ahead of the clock: the next run is after that one)
        schedule_ts = sched.next_after(max(now, earliest), tz)
    _set_next(api, namespace, name, schedule_ts)

    cj = api.get("cronjobs", namespace, name)
    new: dict = {}
    active_now = [j for j in active if api.store.exists("jobs", namespace, j["metadata"]["name"])]
    if active_now:
        new["active"] = [_job_ref(api.get("jobs", namespace, j["metadata"]["name"])) for j in active_now]
    for f in ("lastScheduleTime", "lastSuccessfulTime"):
        if status.get(f):
            new[f] = status[f]
    if new != (cj.get("status") or {}):
        cj["status"] = new
        api.update_status(cj)


def _most_recent(sched, earliest: float, now: float, tz) -> tuple[float | None, int]:
    """utils.go mostRecentScheduleTime: the latest activation in (earliest, now] and the
    number missed, counted as the controller approximates it (elapsed / interval + 1)."""
    t1 = sched.next_after(earliest, tz)
    if t1 is None or t1 > now:
        return None, 0
    t2 = sched.next_after(t1, tz)
    if t2 is None or t2 > now:
        return t1, 1
    between = max(int(round(t2 - t1)), 1)
    missed = int(now - t1) // between + 1
    t = t1 + (missed - 2) * between
    latest = None
    while True:
        n = sched.next_after(t, tz)
        if n is None or n > now:
            break
        latest, t = n, n
    return latest, missed


def _rfc1123z(ts: float, tz) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(int(ts), tz or timezone.utc).strftime("%a, %d %b %Y %H:%M:%S %z")


def _cleanup_history(api, cj: dict, done: list[dict]) -> None:
    """cleanupFinishedJobs: the oldest finished Jobs past the history limits go."""
    spec = cj.get("spec") or {}
    for state, key in (("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")):
        limit = spec.get(key)
        if limit is None:
            continue
        js = [j for j in done if _finished(j) == state]
        if len(js) <= int(limit):
            continue
        js.sort(key=lambda j: ((j.get("status") or {}).get("startTime") or "", j["metadata"]["name"]))
        for j in js[:len(js) - int(limit)]:
            if j["metadata"].get("virtual"):
                _drop_virtual(api, cj, j["metadata"]["name"])
            else:
                api.delete("jobs", j["metadata"]["namespace"], j["metadata"]["name"])
            api.record_event(cj, "Normal", "SuccessfulDelete", f"Deleted job {j['metadata']['name']}", SOURCE)


# ------------------------------------------------- a long `clock advance`: fast-forward
# 24 hours of a CronJob that runs every minute are 1,440 Jobs, each created, run, seen complete
# and deleted again by the history limit well before the advance ends. Once a CronJob is steady
# (its latest runs each completed at their own scheduled time, nothing active, no failure), a
# run whose Job the history limit deletes before the advance ends is accounted for without the
# Job and its pod: the CronJob's events of that run (SuccessfulCreate, SawCompletedJob,
# SuccessfulDelete, through the event correlator at the run's time), its status, and a
# "virtual" finished Job in its history (VIRTUAL_META) until the history limit drops it. The
# last `successfulJobsHistoryLimit` runs of the advance are run for real, so the Jobs and pods
# left when it ends are those the controller would leave. Only during `clock advance`
# (api.advance_until: the advance's target, seconds), and the same on any machine.
def _virtual_key(cj: dict) -> str:
    return f"{VIRTUAL_META}{cj['metadata']['namespace']}|{cj['metadata']['name']}"


def _virtual_entries(api, cj: dict) -> list:
    raw = api.store.meta_get(_virtual_key(cj))
    return json.loads(raw) if raw else []


def _virtual_job(cj: dict, name: str, ts: float) -> dict:
    """A finished Job of the history that the fast-forward did not make (startTime and
    completionTime its scheduled time), for _cleanup_history."""
    t = _rfc3339(ts)
    return {"metadata": {"name": name, "namespace": cj["metadata"]["namespace"], "virtual": True},
            "status": {"startTime": t, "completionTime": t,
                       "conditions": [{"type": "Complete", "status": "True"}]}}


def _virtual_jobs(api, cj: dict) -> list[dict]:
    return [_virtual_job(cj, n, ts) for n, ts in _virtual_entries(api, cj)]


def _drop_virtual(api, cj: dict, name: str) -> None:
    left = [e for e in _virtual_entries(api, cj) if e[0] != name]
    if left:
        api.store.meta_set(_virtual_key(cj), json.dumps(left))
    else:
        api.store.meta_delete(_virtual_key(cj))


def _steady(api, cj: dict, sched, tz, first: float, done: list[dict]) -> bool:
    """The runs before `first` each completed at their own scheduled time (the two latest, or
    the one a history limit of 1 keeps), one after the other, and no run failed."""
    limit = int(cj["spec"]["successfulJobsHistoryLimit"])
    if any(_finished(j) != "Complete" for j in done):
        return False
    recent = sorted(done, key=lambda j: ((j.get("status") or {}).get("startTime") or "", j["metadata"]["name"]))
    recent = recent[-min(limit, 2):]
    if len(recent) < min(limit, 2):
        return False
    t = first
    for j in reversed(recent):
        st = j.get("status") or {}
        scheduled = R._parse_time(st.get("startTime"))
        if scheduled is None or st.get("completionTime") != st.get("startTime") or \
                sched.next_after(scheduled, tz) != t or \
                j["metadata"]["name"] != f"{cj['metadata']['name']}-{int(scheduled // 60)}":
            return False
        if not j["metadata"].get("virtual") and \
                ((j["metadata"].get("annotations") or {}).get(SCHEDULED_ANNOTATION) != _rfc3339(scheduled, tz)):
            return False
        t = scheduled
    return True


def _fast_forward(api, cj: dict, sched, tz, first: float, active: list, done: list[dict]) -> float | None:
    """Account for the runs from `first` on whose Jobs the history limit deletes before the
    advance ends; the time of the last one, or None (run `first` for real)."""
    until = getattr(api, "advance_until", None)
    spec = cj.get("spec") or {}
    limit = spec.get("successfulJobsHistoryLimit")
    if until is None or active or limit is None or int(limit) < 1 or first > until:
        return None
    if ((spec.get("jobTemplate") or {}).get("spec") or {}).get("ttlSecondsAfterFinished") is not None:
        return None  # the TTL controller, not the history limit, deletes its Jobs
    from minikctl.controllers.nodemonitor import stopped

    if stopped(api) or not _steady(api, cj, sched, tz, first, done):
        return None  # (a stopped node may change what a run does)
    limit = int(limit)
    times = [first]
    while True:
        n = sched.next_after(times[-1], tz)
        if n is None or n > until:
            break
        times.append(n)
    runs = times[:max(len(times) - limit, 0)]
    if not runs:
        return None
    from minikctl.kubelet.probes import _TickClock

    base = cj["metadata"]["name"]
    history = sorted(done, key=lambda j: ((j.get("status") or {}).get("startTime") or "", j["metadata"]["name"]))
    kept = {e[0]: e for e in _virtual_entries(api, cj)}
    real_clock = api.clock
    try:
        for t in runs:
            api.clock = _TickClock(t)
            name = f"{base}-{int(t // 60)}"
            api.record_event(cj, "Normal", "SuccessfulCreate", f"Created job {name}", SOURCE)
            api.record_event(cj, "Normal", "SawCompletedJob", f"Saw completed job: {name}, condition: Complete", SOURCE)
            history.append(_virtual_job(cj, name, t))
            kept[name] = [name, t]
            for j in history[:len(history) - limit]:
                jm = j["metadata"]
                if jm.get("virtual"):
                    kept.pop(jm["name"], None)
                else:
                    api.delete("jobs", jm["namespace"], jm["name"])
                api.record_event(cj, "Normal", "SuccessfulDelete", f"Deleted job {jm['name']}", SOURCE)
            history = history[len(history) - limit:] if len(history) > limit else history
    finally:
        api.clock = real_clock
    if kept:
        api.store.meta_set(_virtual_key(cj), json.dumps(sorted(kept.values(), key=lambda e: e[1])))
    else:
        api.store.meta_delete(_virtual_key(cj))
    return runs[-1]
