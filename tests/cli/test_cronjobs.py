"""CronJobs through the CLI on a manual clock (issue 11).

pkg/controller/cronjob/cronjob_controllerv2.go and utils.go (1.32): Jobs named
NAME-<scheduled minutes since the epoch> at each scheduled time as `clock advance` passes
it, concurrencyPolicy, the history limits, suspend, "too many missed start times";
robfig/cron/v3 ParseStandard's messages for a schedule that does not parse;
printers.go printCronJob; kubectl's create_cronjob.go and create_job.go --from.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

CJ = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "{schedule}"
{spec}  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: ["sh", "-c", "{cmd}"]
"""


def cj(name="tick", schedule="*/10 * * * *", spec="", cmd="sleep 30"):
    return CJ.format(name=name, schedule=schedule, spec=spec, cmd=cmd)


def _ts(s: str) -> float:
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def _created(mk, name="tick") -> float:
    return _ts(json.loads(mk(f"get cronjob {name} -o json").out)["metadata"]["creationTimestamp"])


def _row(mk, name="tick") -> list[str]:
    """The get cronjobs cells after NAME and SCHEDULE (which holds spaces)."""
    line = next(l for l in mk("get cj").lines if l.startswith(name + " "))
    sched = json.loads(mk(f"get cj {name} -o json").out)["spec"]["schedule"]
    return line.split(sched, 1)[1].split()


def _jobs(mk):
    return sorted(j["metadata"]["name"] for j in json.loads(mk("get jobs -o json").out)["items"])


def _expected(created: float, period_min: int, horizon_s: int, name="tick") -> list[str]:
    out = []
    t = (int(created) // (period_min * 60) + 1) * period_min * 60
    while t <= created + horizon_s:
        out.append(f"{name}-{t // 60}")
        t += period_min * 60
    return out


def test_clock_advance_makes_the_jobs_an_hour_makes(cluster):
    mk = cluster
    assert mk("apply -f -", input=cj()).out == "cronjob.batch/tick created\n"
    assert mk("get cj").lines == ["NAME   SCHEDULE       TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE",
                                  "tick   */10 * * * *   <none>     False     0        <none>          0s"]
    created = _created(mk)
    mk("clock advance 1h")
    made = _expected(created, 10, 3600)
    assert len(made) == 6
    # successfulJobsHistoryLimit 3: the three latest stay
    assert _jobs(mk) == made[-3:]
    ev = mk("get events --field-selector involvedObject.kind=CronJob").out
    for n in made:
        assert f"Created job {n}" in ev
    assert f"Deleted job {made[0]}" in ev
    assert f"Saw completed job: {made[0]}, condition: Complete" in ev
    j = json.loads(mk(f"get job {made[-1]} -o json").out)
    assert j["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    assert j["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == \
        datetime.fromtimestamp(int(made[-1].rsplit("-", 1)[1]) * 60, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    st = json.loads(mk("get cj tick -o json").out)["status"]
    assert st["lastScheduleTime"] == j["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
    assert "lastSuccessfulTime" in st and "active" not in st


def test_a_long_advance_is_by_runs_not_minutes(cluster):
    mk = cluster
    mk("apply -f -", input=cj(schedule="@daily", spec="  successfulJobsHistoryLimit: 2\n"))
    mk("clock advance 720h")
    assert len(_jobs(mk)) == 2


def test_forbid_skips_while_a_job_runs(cluster):
    mk = cluster
    mk("apply -f -", input=cj(schedule="*/5 * * * *", spec="  concurrencyPolicy: Forbid\n", cmd="sleep 3600"))
    mk("clock advance 30m")
    assert len(_jobs(mk)) == 1
    assert _row(mk)[2] == "1"  # ACTIVE
    ev = mk("get events --field-selector involvedObject.kind=CronJob").out
    assert "JobAlreadyActive" in ev
    assert "Not starting job because prior execution is running and concurrency policy is Forbid" in ev


def test_allow_runs_concurrently_and_replace_replaces(cluster):
    mk = cluster
    mk("apply -f -", input=cj(name="allow", schedule="*/5 * * * *", cmd="sleep 3600"))
    mk("apply -f -", input=cj(name="repl", schedule="*/5 * * * *", spec="  concurrencyPolicy: Replace\n",
                              cmd="sleep 3600"))
    mk("clock advance 16m")
    jobs = _jobs(mk)
    assert [j for j in jobs if j.startswith("allow-")] == _expected(_created(mk, "allow"), 5, 16 * 60, "allow")
    repl = [j for j in jobs if j.startswith("repl-")]
    assert len(repl) == 1
    assert repl == _expected(_created(mk, "repl"), 5, 16 * 60, "repl")[-1:]
    assert "Deleted job repl-" in mk("get events --field-selector involvedObject.name=repl").out


def test_failed_history_limit(cluster):
    mk = cluster
    mk("apply -f -", input=cj(schedule="*/10 * * * *", cmd="exit 1",
                              spec="  jobTemplate_placeholder: 0\n".replace("  jobTemplate_placeholder: 0\n", "")))
    # backoffLimit 0 through a patch of the template: the jobs fail at once
    mk("patch cj tick --type=merge -p '{\"spec\":{\"jobTemplate\":{\"spec\":{\"backoffLimit\":0}}}}'")
    mk("clock advance 1h")
    jobs = json.loads(mk("get jobs -o json").out)["items"]
    assert len(jobs) == 1  # failedJobsHistoryLimit 1
    assert jobs[0]["status"]["conditions"][-1]["type"] == "Failed"


def test_suspend_and_too_many_missed_start_times(cluster):
    mk = cluster
    mk("apply -f -", input=cj(schedule="* * * * *", spec="  suspend: true\n"))
    mk("clock advance 3h")
    assert _jobs(mk) == []
    assert _row(mk)[1] == "True"
    mk("patch cj tick -p '{\"spec\":{\"suspend\":false}}'")
    jobs = _jobs(mk)
    assert len(jobs) == 1  # only the latest missed time runs
    ev = mk("get events --field-selector involvedObject.kind=CronJob").out
    assert "Warning   TooManyMissedTimes" in ev
    assert "too many missed start times: 180. Set or decrease .spec.startingDeadlineSeconds or check clock skew" in ev


def test_starting_deadline_limits_the_missed_runs(cluster):
    mk = cluster
    mk("apply -f -", input=cj(schedule="* * * * *", spec="  suspend: true\n  startingDeadlineSeconds: 200\n"))
    mk("clock advance 3h")
    mk("patch cj tick -p '{\"spec\":{\"suspend\":false}}'")
    assert len(_jobs(mk)) == 1
    assert "TooManyMissedTimes" not in mk("get events").out


def test_time_zone(cluster):
    mk = cluster
    mk("apply -f -", input=cj(schedule="0 9 * * *", spec="  timeZone: Asia/Tokyo\n"))
    assert _row(mk)[0] == "Asia/Tokyo"
    mk("clock advance 24h")
    (name,) = _jobs(mk)
    t = int(name.rsplit("-", 1)[1]) * 60
    assert datetime.fromtimestamp(t, timezone.utc).strftime("%H:%M") == "00:00"  # 09:00 in Tokyo


def test_create_cronjob_and_job_from_it(cluster):
    mk = cluster
    r = mk("create cronjob hello --image=busybox --schedule='*/1 * * * *' -- date")
    assert r.out == "cronjob.batch/hello created\n"
    assert mk("get cronjob hello -o jsonpath={.spec.jobTemplate.spec.template.spec.restartPolicy}").out == "OnFailure"
    r = mk("create job manual --from=cronjob/hello")
    assert r.out == "job.batch/manual created\n"
    j = json.loads(mk("get job manual -o json").out)
    assert j["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    assert j["metadata"]["ownerReferences"][0]["name"] == "hello"
    r = mk("create cronjob x --image=busybox")
    assert (r.code, r.err) == (1, 'error: required flag(s) "schedule" not set\n')


@pytest.mark.parametrize("schedule,message", [
    ("61 * * * *", "end of range (61) above maximum (59): 61"),
    ("* * *", "expected exactly 5 fields, found 3: [* * *]"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
])
def test_bad_schedule_refused(cluster, schedule, message):
    mk = cluster
    before = mk("get all -o name").out
    r = mk("apply -f -", input=cj(schedule=schedule))
    assert r.code == 1
    assert r.err == f'The CronJob "tick" is invalid: spec.schedule: Invalid value: "{schedule}": {message}\n'
    assert mk("get all -o name").out == before


def test_descriptors_accepted(cluster):
    mk = cluster
    for i, s in enumerate(("@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight",
                           "@every 90m", "0 9 * * MON-FRI", "0 0 1 jan,jul *")):
        r = mk("apply -f -", input=cj(name=f"c{i}", schedule=s))
        assert r.code == 0, (s, r)


def test_describe_cronjob(cluster):
    mk = cluster
    mk("apply -f -", input=cj(cmd="sleep 3600"))
    mk("clock advance 10m")
    (name,) = _jobs(mk)
    lines = mk("describe cronjob tick").out.splitlines()
    assert lines[:4] == [
        "Name:                          tick",
        "Namespace:                     default",
        "Labels:                        <none>",
        "Annotations:                   <none>",  # describe leaves out last-applied-configuration
    ]
    for want in ["Schedule:                      */10 * * * *", "Concurrency Policy:            Allow",
                 "Suspend:                       False", "Successful Job History Limit:  3",
                 "Failed Job History Limit:      1", "Starting Deadline Seconds:     <unset>",
                 "Selector:                      <unset>", "Parallelism:                   <unset>"]:
        assert want in lines, want
    # after the pod template the tabwriter aligns a new block
    assert f"Active Jobs:         {name}" in lines
    assert any(l.startswith("  Normal  SuccessfulCreate") and l.endswith(f"Created job {name}") for l in lines)
