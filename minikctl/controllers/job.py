"""job-controller (pkg/controller/job/job_controller.go, indexed_job_utils.go) and the
ttl-after-finished controller (pkg/controller/ttlafterfinished) as of 1.32.

Pods are created up to spec.parallelism while completions remain; terminated pods are
counted into status.succeeded/failed. A job fails when its failed pods exceed
backoffLimit (with restartPolicy OnFailure the restarts of its running pods count:
pastBackoffLimitOnFailure) or when it ran longer than activeDeadlineSeconds on the cluster
clock. As 1.32 does (JobPodReplacementPolicy on: delayTerminalCondition), the interim
condition (SuccessCriteriaMet / FailureTarget) comes first and the terminal one
(Complete / Failed) once no pod is left running, with the same reason and message.
A failed pod's replacement waits the controller's back-off: 10s doubled per consecutive
failure, at most 10 minutes (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff).

Timers (back-off, activeDeadlineSeconds, ttlSecondsAfterFinished) are kept in one store
meta key, so a clock move only visits the jobs that wait on it.

Not modelled: the pod finalizer batch.kubernetes.io/job-tracking (terminated pods are
counted from the pods that exist: deleting a finished pod lowers the count),
podFailurePolicy, successPolicy, backoffLimitPerIndex.
"""

from __future__ import annotations

import json

from minikctl.controllers import replication as R

JOB = R.ReplicaKind("Job", "batch/v1", "jobs", "~job", "job-controller")
SOURCE = "job-controller"
TIMERS_META = "controllers:job-timers"
INDEX_KEY = "batch.kubernetes.io/job-completion-index"
BACKOFF_BASE = 10.0
BACKOFF_MAX = 600.0

MSG_COMPLETIONS = "Reached expected number of succeeded pods"
MSG_BACKOFF = "Job has reached the specified backoff limit"
MSG_DEADLINE = "Job was active longer than specified deadline"


# ------------------------------------------------------------------- watches
def on_job(api, namespace: str, name: str) -> None:
    api._enqueue(JOB.work, namespace, name)


def on_pod(api, namespace: str, name: str) -> None:
    for p in (api.peek("pods", namespace, name), api.previous):
        if p is not None:
            ref = R.controller_ref(p)
            if ref is not None and ref.get("kind") == "Job":
                api._enqueue(JOB.work, namespace, ref.get("name", ""))


# -------------------------------------------------------------------- timers
def _timers(api) -> dict:
    raw = api.store.meta_get(TIMERS_META)
    return json.loads(raw) if raw else {}


def _set_timer(api, ns: str, name: str, due: float | None) -> None:
    timers = _timers(api)
    key = f"{ns}|{name}"
    if due is None:
        if key not in timers:
            return
        del timers[key]
    else:
        if timers.get(key) == due:
            return
        timers[key] = due
    if timers:
        api.store.meta_set(TIMERS_META, json.dumps(timers, sort_keys=True))
    else:
        api.store.meta_delete(TIMERS_META)


def next_wakeup(api, after_ns: int, until_ns: int) -> int | None:
    """The earliest job timer in (after, until), ns: `clock advance` stops there."""
    timers = _timers(api)
    if not timers:
        return None
    t = int(min(timers.values()) * 1_000_000_000)
    return t if after_ns < t < until_ns else None


def on_clock(api) -> None:
    timers = _timers(api)
    if not timers:
        return
    now = api.clock.timestamp()
    for key, due in sorted(timers.items()):
        if due <= now:
            ns, name = key.split("|", 1)
            api._enqueue(JOB.work, ns, name)


# ------------------------------------------------------------------- helpers
def _cond(job: dict, type_: str) -> dict | None:
    for c in (job.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_ and c.get("status") == "True":
            return c
    return None


def is_finished(job: dict) -> bool:
    return _cond(job, "Complete") is not None or _cond(job, "Failed") is not None


def _new_cond(type_: str, reason: str, message: str, now: str) -> dict:
    return {"lastProbeTime": now, "lastTransitionTime": now, "message": message, "reason": reason,
            "status": "True", "type": type_}


def _finish_time(pod: dict) -> float:
    """The latest container termination (or the pod's creation)."""
    best = ""
    for cs in (pod.get("status") or {}).get("containerStatuses") or ():
        t = ((cs.get("state") or {}).get("terminated") or {}).get("finishedAt") or ""
        best = max(best, t)
    return R._parse_time(best or pod["metadata"].get("creationTimestamp")) or 0.0


def _restarts(pod: dict) -> int:
    st = pod.get("status") or {}
    return sum(int(cs.get("restartCount") or 0)
               for cs in (st.get("initContainerStatuses") or []) + (st.get("containerStatuses") or []))


def _index(pod: dict) -> int | None:
    v = ((pod["metadata"].get("annotations") or {}).get(INDEX_KEY)
         or (pod["metadata"].get("labels") or {}).get(INDEX_KEY))
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _indexes_string(idx: list[int]) -> str:
    """indexed_job_utils.go: intervals "1,3-5,7"."""
    out, i = [], 0
    idx = sorted(set(idx))
    while i < len(idx):
        j = i
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1:
            j += 1
        out.append(str(idx[i]) if i == j else f"{idx[i]}-{idx[j]}")
        i = j + 1
    return ",".join(out)


def _pod_for(job: dict, index: int | None) -> dict:
    """GetPodFromTemplate, and for Indexed jobs addCompletionIndexAnnotation,
    addCompletionIndexLabel, addCompletionIndexEnvVariables and the hostname."""
    spec = job.get("spec") or {}
    pod = R.pod_from_template(job, spec.get("template") or {}, JOB)
    if index is None:
        return pod
    name = job["metadata"]["name"]
    meta = pod["metadata"]
    meta["generateName"] = f"{name}-{index}-"[:R.MAX_GENERATED_PREFIX]
    meta.setdefault("annotations", {})[INDEX_KEY] = str(index)
    meta.setdefault("labels", {})[INDEX_KEY] = str(index)
    env_var = {"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "fieldPath": f"metadata.annotations['{INDEX_KEY}']"}}}
    pspec = pod["spec"]
    for group in ("initContainers", "containers"):
        for c in pspec.get(group) or ():
            env = list(c.get("env") or [])
            if not any(e.get("name") == "JOB_COMPLETION_INDEX" for e in env):
                env.append(dict(env_var))
            c["env"] = env
    if not pspec.get("hostname"):
        pspec["hostname"] = f"{name}-{index}"
    return pod


def _create(api, job: dict, index: int | None) -> bool:
    from minikctl.api.errors import AlreadyExists, ApiError

    pod = _pod_for(job, index)
    if not R._take_pod_slot(api):
        return False
    for _attempt in range(5):
        try:
            created = api.create(pod)
            break
        except AlreadyExists:
            continue
        except ApiError as e:
            api.record_event(job, "Warning", "FailedCreate", f"Error creating: {e.message}", SOURCE)
            return False
    else:  # pragma: no cover
        return False
    api.record_event(job, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}", SOURCE)
    return True


def _delete_active(api, job: dict, active: list[dict]) -> None:
    for p in active:
        api.delete("pods", p["metadata"]["namespace"], p["metadata"]["name"])
        api.record_event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}", SOURCE)


# ---------------------------------------------------------------------- sync
def sync(api, namespace: str, name: str) -> None:
    job = api.try_get("jobs", namespace, name)
    if job is None or job["metadata"].get("deletionTimestamp"):
        _set_timer(api, namespace, name, None)
        return
    now_ts = api.clock.timestamp()
    now = api.clock.rfc3339()
    spec = job.get("spec") or {}
    status = dict(job.get("status") or {})
    if is_finished(job):
        _ttl(api, job, status, now_ts)
        return

    pods = [p for p in api.store.iter_owned(job["metadata"]["uid"], "pods")
            if p["metadata"].get("namespace") == namespace]
    active = [p for p in pods if R.is_pod_active(p)]
    succeeded_pods = [p for p in pods if (p.get("status") or {}).get("phase") == "Succeeded"]
    failed_pods = [p for p in pods if (p.get("status") or {}).get("phase") == "Failed"]
    indexed = spec.get("completionMode") == "Indexed"
    completions = spec.get("completions")
    parallelism = int(spec.get("parallelism") or 0)
    backoff_limit = int(spec.get("backoffLimit") if spec.get("backoffLimit") is not None else 6)
    restart_policy = ((spec.get("template") or {}).get("spec") or {}).get("restartPolicy")
    conditions = list(status.get("conditions") or [])
    timer: float | None = None

    suspended = bool(spec.get("suspend"))
    if suspended:
        if _cond(job, "Suspended") is None:
            conditions = [c for c in conditions if c.get("type") != "Suspended"]
            conditions.append(_new_cond("Suspended", "JobSuspended", "Job suspended", now))
            api.record_event(job, "Normal", "Suspended", "Job suspended", SOURCE)
        _delete_active(api, job, active)
        active = []
        status.pop("startTime", None)
    else:
        if _cond(job, "Suspended") is not None:
            conditions = [c for c in conditions if c.get("type") != "Suspended"]
            conditions.append({**_new_cond("Suspended", "JobResumed", "Job resumed", now), "status": "False"})
            api.record_event(job, "Normal", "Resumed", "Job resumed", SOURCE)
        status.setdefault("startTime", now)

    if indexed:
        done = sorted({i for i in map(_index, succeeded_pods) if i is not None and i < int(completions or 0)})
        n_succeeded = len(done)
    else:
        done = []
        n_succeeded = len(succeeded_pods)
    # podFailurePolicy: a FailJob match fails the job, an Ignore match is not counted
    pfp_msg = None
    all_failed = failed_pods  # the back-off counts every failure, ignored ones too
    if spec.get("podFailurePolicy"):
        counted = []
        for p in sorted(failed_pods, key=_finish_time):
            msg, action = match_pod_failure_policy(spec["podFailurePolicy"], p)
            if action == "Ignore":
                continue
            if action == "FailJob" and pfp_msg is None:
                pfp_msg = msg
            counted.append(p)
        failed_pods = counted
    n_failed = len(failed_pods)

    # failure: backoffLimit (pastBackoffLimitOnFailure) or activeDeadlineSeconds
    finished: tuple[str, str, str] | None = None  # (interim, terminal, reason, message) below
    if not suspended and pfp_msg is not None:
        finished = ("Failed", "PodFailurePolicy", pfp_msg)
    elif not suspended:
        exceeds = n_failed > backoff_limit
        if restart_policy == "OnFailure" and not exceeds:
            restarts = sum(_restarts(p) for p in active)
            exceeds = restarts > 0 if backoff_limit == 0 else restarts >= backoff_limit
        if exceeds:
            finished = ("Failed", "BackoffLimitExceeded", MSG_BACKOFF)
        else:
            ads = spec.get("activeDeadlineSeconds")
            start = R._parse_time(status.get("startTime"))
            if ads is not None and start is not None:
                if now_ts - start >= int(ads):
                    finished = ("Failed", "DeadlineExceeded", MSG_DEADLINE)
                else:
                    timer = start + int(ads)
    if finished is None:
        if completions is None:
            complete = n_succeeded > 0 and not active
        else:
            complete = n_succeeded >= int(completions)
        if complete:
            finished = ("Complete", "CompletionsReached", MSG_COMPLETIONS)

    if finished is not None:
        terminal, reason, message = finished
        # the controller reacts as the last pod terminates (or at the deadline), not when
        # the clock command that carried past that moment ends
        at = now_ts
        if reason == "DeadlineExceeded":
            at = min(now_ts, R._parse_time(status.get("startTime")) + int(spec["activeDeadlineSeconds"]))
        elif reason != "BackoffLimitExceeded" or restart_policy != "OnFailure":  # also PodFailurePolicy
            ended = [_finish_time(p) for p in (succeeded_pods if terminal == "Complete" else failed_pods)]
            if ended:
                at = min(now_ts, max(ended))
        now = _rfc3339(at)
        _delete_active(api, job, active)
        active = []
        interim = "SuccessCriteriaMet" if terminal == "Complete" else "FailureTarget"
        conditions.append(_new_cond(interim, reason, message, now))
        conditions.append(_new_cond(terminal, reason, message, now))
        if terminal == "Complete":
            status["completionTime"] = now
            api.record_event(job, "Normal", "Completed", "Job completed", SOURCE)
        else:
            api.record_event(job, "Warning", reason, message, SOURCE)
        timer = None
    elif not suspended:
        # manageJob: the pods still wanted
        if completions is None:
            want = 0 if n_succeeded > 0 else parallelism
        else:
            want = min(parallelism, int(completions) - n_succeeded)
        want = max(want, 0)
        if len(active) > want:
            _delete_active(api, job, sorted(active, key=lambda p: p["metadata"]["name"])[want:])
            active = active[:want]
        elif len(active) < want:
            ready_at = _backoff_ready_at(succeeded_pods, all_failed)
            if ready_at > now_ts:
                timer = ready_at if timer is None else min(timer, ready_at)
            else:
                if indexed:
                    busy = set(done) | {_index(p) for p in active}
                    free = [i for i in range(int(completions)) if i not in busy]
                    for i in free[:want - len(active)]:
                        if not _create(api, job, i):
                            break
                else:
                    for _ in range(want - len(active)):
                        if not _create(api, job, None):
                            break
                active = [p for p in api.store.iter_owned(job["metadata"]["uid"], "pods")
                          if p["metadata"].get("namespace") == namespace and R.is_pod_active(p)]
    _set_timer(api, namespace, name, timer)

    # status, in batch/v1 JobStatus field order
    new: dict = {}
    if conditions:
        new["conditions"] = conditions
    for f in ("startTime", "completionTime"):
        if status.get(f):
            new[f] = status[f]
    if active:
        new["active"] = len(active)
    if n_succeeded:
        new["succeeded"] = n_succeeded
    if n_failed:
        new["failed"] = n_failed
    new["terminating"] = 0
    if indexed and done:
        new["completedIndexes"] = _indexes_string(done)
    new["uncountedTerminatedPods"] = {}
    new["ready"] = sum(1 for p in active if R.is_pod_ready(p))
    job = api.get("jobs", namespace, name)
    if new != (job.get("status") or {}):
        job["status"] = new
        job = api.update_status(job)
    if is_finished(job):
        _ttl(api, job, new, now_ts)


def _rfc3339(ts: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(int(ts), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def match_pod_failure_policy(policy: dict, pod: dict) -> tuple[str | None, str | None]:
    """pod_failure_policy.go matchPodFailurePolicy: (message for FailJob, action) of the
    first rule the failed pod matches, or (None, None)."""
    meta = pod["metadata"]
    st = pod.get("status") or {}
    statuses = (st.get("initContainerStatuses") or []) + (st.get("containerStatuses") or [])
    for index, rule in enumerate(policy.get("rules") or ()):
        action = rule.get("action")
        req = rule.get("onExitCodes")
        if req:
            for cs in statuses:
                term = (cs.get("state") or {}).get("terminated")
                if term is None or (req.get("containerName") and req["containerName"] != cs.get("name")):
                    continue
                code = int(term.get("exitCode") or 0)
                if code != 0 and ((code in (req.get("values") or ())) == (req.get("operator") == "In")):
                    msg = (f"Container {cs.get('name')} for pod {meta['namespace']}/{meta['name']} failed with "
                           f"exit code {code} matching {action} rule at index {index}")
                    return msg, action
        for pc in rule.get("onPodConditions") or ():
            for c in st.get("conditions") or ():
                if c.get("type") == pc.get("type") and c.get("status") == (pc.get("status") or "True"):
                    msg = (f"Pod {meta['namespace']}/{meta['name']} has condition {pc.get('type')} matching "
                           f"{action} rule at index {index}")
                    return msg, action
    return None, None


def _backoff_ready_at(succeeded: list[dict], failed: list[dict]) -> float:
    """getRemainingTime of the pod failure back-off: 10s * 2^(n-1), n the failures since
    the last success, from the last failure's finish time."""
    last_success = max((_finish_time(p) for p in succeeded), default=0.0)
    times = sorted(t for t in map(_finish_time, failed) if t >= last_success)
    if not times:
        return 0.0
    delay = min(BACKOFF_BASE * (2 ** (len(times) - 1)), BACKOFF_MAX)
    return times[-1] + delay


def _ttl(api, job: dict, status: dict, now_ts: float) -> None:
    """ttlafterfinished: delete the job ttlSecondsAfterFinished after it finished."""
    ns, name = job["metadata"]["namespace"], job["metadata"]["name"]
    ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
    if ttl is None:
        _set_timer(api, ns, name, None)
        return
    finished_at = None
    for c in status.get("conditions") or ():
        if c.get("type") in ("Complete", "Failed") and c.get("status") == "True":
            finished_at = R._parse_time(c.get("lastTransitionTime"))
    if finished_at is None:
        return
    due = finished_at + int(ttl)
    if now_ts >= due:
        _set_timer(api, ns, name, None)
        api.delete("jobs", ns, name)
    else:
        _set_timer(api, ns, name, due)
