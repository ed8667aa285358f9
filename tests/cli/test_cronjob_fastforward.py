"""A long `clock advance` over CronJobs (issue 11): once a CronJob is steady, the runs whose Jobs
the history limit deletes before the advance ends are accounted for without making them
(minikctl.controllers.cronjob._fast_forward), and a long advance commits every STOPS_PER_TXN
controller stops. Neither may change the outcome: the Jobs and pods left (names from the
schedule times), the CronJobs' status and events are those of the controller run at every
scheduled time in one transaction (pkg/controller/cronjob/cronjob_controllerv2.go)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from minikctl.cli import cmd_cluster
from minikctl.controllers import cronjob
from tests.conftest import run_inprocess

CJ = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "{schedule}"
{extra}  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: ["sh", "-c", "echo hi"]
"""


def _manifest() -> str:
    return "---\n".join([CJ.format(name="every", schedule="*/1 * * * *", extra=""),
                         CJ.format(name="five", schedule="*/5 * * * *", extra="  successfulJobsHistoryLimit: 2\n"),
                         CJ.format(name="one", schedule="*/2 * * * *", extra="  successfulJobsHistoryLimit: 1\n")])


def _outcome(state: str) -> dict:
    """What a user can see of the CronJobs' work (pod names' random suffixes and uids aside)."""
    mk = lambda cmd: run_inprocess(cmd.split(), state)  # noqa: E731
    jobs = json.loads(mk("get jobs -o json").out)["items"]
    pods = json.loads(mk("get pods -o json").out)["items"]
    cjs = json.loads(mk("get cronjobs -o json").out)["items"]
    evs = json.loads(mk("get events -o json").out)["items"]
    strip = lambda s: re.sub(r"(-\d{8})-[a-z0-9]{5}\b", r"\1-x", s)  # noqa: E731
    return {
        "jobs": sorted((j["metadata"]["name"], json.dumps(j["status"], sort_keys=True)) for j in jobs),
        "pods": sorted((strip(p["metadata"]["name"]), p["status"]["phase"], p["spec"].get("nodeName")) for p in pods),
        "cronjobs": {c["metadata"]["name"]: c["status"] for c in cjs},
        "events": sorted((e["involvedObject"]["kind"], strip(e["involvedObject"]["name"]), e["reason"],
                          strip(e["message"]), e.get("count"), e["firstTimestamp"], e["lastTimestamp"])
                         for e in evs if e["involvedObject"]["kind"] in ("CronJob", "Job", "Pod")),
        "get cj": mk("get cronjobs").out,
        "get jobs": mk("get jobs").out,
    }


def _advance(tmp_path, name: str, duration: str, monkeypatch, *, fast_forward=True, stops=None) -> dict:
    state = str(tmp_path / f"{name}.db")
    assert run_inprocess(["cluster", "create", "--clock", "manual"], state).code == 0
    # the same start on every run: the clock at a whole minute, then the CronJobs
    skipped = []
    with monkeypatch.context() as m:
        if fast_forward:
            real = cronjob._fast_forward

            def counted(*a):
                last = real(*a)
                skipped.append(last)
                return last

            m.setattr(cronjob, "_fast_forward", counted)
        else:
            m.setattr(cronjob, "_fast_forward", lambda *a, **k: None)
        if stops is not None:
            m.setattr(cmd_cluster, "STOPS_PER_TXN", stops)
        assert run_inprocess(["apply", "-f", "-"], state, _manifest()).code == 0
        r = run_inprocess(["clock", "advance", duration], state)
        assert r.code == 0, r
    if fast_forward:
        assert any(t is not None for t in skipped)  # runs were accounted for without their Jobs
    return _outcome(state)


@pytest.fixture
def frozen_start(monkeypatch):
    """Every cluster starts at the same wall-clock time (the manual clock starts from it)."""
    import time

    t0 = datetime(2026, 12, 6, 12, 0, 30, tzinfo=timezone.utc).timestamp()
    monkeypatch.setattr(time, "time", lambda: t0)
    monkeypatch.setattr(time, "time_ns", lambda: int(t0 * 1e9))


def test_fast_forward_leaves_what_every_run_would(tmp_path, monkeypatch, frozen_start):
    fast = _advance(tmp_path, "fast", "40m", monkeypatch)
    slow = _advance(tmp_path, "slow", "40m", monkeypatch, fast_forward=False)
    assert fast == slow
    # the Jobs left: the history limit's latest runs, named from their scheduled times
    # (cronjob_controllerv2.go getJobName: NAME-<minutes since the epoch>)
    start = datetime(2026, 12, 6, 12, 0, 30, tzinfo=timezone.utc).timestamp()
    end = start + 40 * 60
    minutes = lambda every: [m for m in range(int(start // 60) + 1, int(end // 60) + 1) if m % every == 0]  # noqa: E731
    want = [f"every-{m}" for m in minutes(1)[-3:]] + [f"five-{m}" for m in minutes(5)[-2:]] + \
        [f"one-{m}" for m in minutes(2)[-1:]]
    assert [n for n, _ in fast["jobs"]] == sorted(want)
    assert len(fast["pods"]) == 6 and {p[1] for p in fast["pods"]} == {"Succeeded"}
    assert fast["cronjobs"]["every"]["lastScheduleTime"] == datetime.fromtimestamp(
        minutes(1)[-1] * 60, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "active" not in fast["cronjobs"]["every"]


def test_chunked_commits_change_nothing(tmp_path, monkeypatch, frozen_start):
    one = _advance(tmp_path, "one", "25m", monkeypatch, fast_forward=False, stops=1)
    whole = _advance(tmp_path, "whole", "25m", monkeypatch, fast_forward=False, stops=10_000)
    assert one == whole
    fast_one = _advance(tmp_path, "fast1", "25m", monkeypatch, stops=1)
    assert fast_one == whole


def test_no_fast_forward_when_the_ttl_controller_deletes_the_jobs(tmp_path, monkeypatch, frozen_start):
    # ttlSecondsAfterFinished: the TTL controller, not the history limit, deletes the Jobs
    # (pkg/controller/ttlafterfinished): every run is made
    state = str(tmp_path / "ttl.db")
    assert run_inprocess(["cluster", "create", "--clock", "manual"], state).code == 0
    ttl = CJ.format(name="ttl", schedule="*/1 * * * *", extra="").replace(
        "    spec:\n      template:", "    spec:\n      ttlSecondsAfterFinished: 600\n      template:")
    assert "ttlSecondsAfterFinished: 600" in ttl
    calls = []
    real = cronjob._fast_forward
    monkeypatch.setattr(cronjob, "_fast_forward", lambda *a: calls.append(real(*a)) or calls[-1])
    assert run_inprocess(["apply", "-f", "-"], state, ttl).code == 0
    assert run_inprocess(["clock", "advance", "15m"], state).code == 0
    assert calls and all(t is None for t in calls)
