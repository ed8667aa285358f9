"""Jobs through the CLI on a manual clock (issue 11).

pkg/controller/job/job_controller.go (1.32): pods up to parallelism while completions
remain, backoffLimit and activeDeadlineSeconds failures, the interim conditions 1.32 adds
before the terminal ones (SuccessCriteriaMet/FailureTarget), the pod failure back-off,
Indexed completion; pkg/controller/ttlafterfinished; printers.go printJob; batch
validation for the refusals; pkg/registry/batch/job/strategy.go generateSelector.
"""

from __future__ import annotations

import json

JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
{spec}  template:
    spec:
      restartPolicy: {restart}
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "{cmd}"]
"""


def job(name="work", spec="", restart="Never", cmd="sleep 5; echo done"):
    return JOB.format(name=name, spec=spec, restart=restart, cmd=cmd)


def _get(mk, name="work"):
    r = mk(f"get job {name} -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def _pods(mk):
    return [p for p in json.loads(mk("get pods -o json").out)["items"]]


def test_completions_and_parallelism(cluster):
    mk = cluster
    assert mk("apply -f -", input=job(spec="  completions: 3\n  parallelism: 2\n")).out == "job.batch/work created\n"
    r = mk("get jobs")
    assert r.lines == ["NAME   STATUS    COMPLETIONS   DURATION   AGE",
                         "work   Running   0/3           0s         0s"]
    assert len(_pods(mk)) == 2
    mk("clock advance 6s")
    assert mk("get jobs").lines[1] == "work   Running   2/3           6s         6s"
    assert len(_pods(mk)) == 3
    mk("clock advance 6s")
    assert mk("get jobs").lines[1] == "work   Complete   3/3           11s        12s"
    j = _get(mk)
    st = j["status"]
    assert [c["type"] for c in st["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert {c["reason"] for c in st["conditions"]} == {"CompletionsReached"}
    assert st["conditions"][1]["message"] == "Reached expected number of succeeded pods"
    assert st["succeeded"] == 3 and st["ready"] == 0 and st["terminating"] == 0
    assert st["uncountedTerminatedPods"] == {}
    assert "active" not in st and st["completionTime"]
    ev = mk("get events --field-selector involvedObject.kind=Job").out
    assert ev.count("SuccessfulCreate") == 3 and "Created pod: work-" in ev
    assert "Normal   Completed          job/work   Job completed" in ev


def test_defaults_selector_and_pod_labels(cluster):
    mk = cluster
    mk("apply -f -", input=job())
    j = _get(mk)
    uid = j["metadata"]["uid"]
    spec = j["spec"]
    assert spec["completions"] == 1 and spec["parallelism"] == 1 and spec["backoffLimit"] == 6
    assert spec["completionMode"] == "NonIndexed" and spec["suspend"] is False and spec["manualSelector"] is False
    assert spec["podReplacementPolicy"] == "TerminatingOrFailed"
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    labels = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "work",
              "controller-uid": uid, "job-name": "work"}
    assert spec["template"]["metadata"]["labels"] == labels
    assert j["metadata"]["labels"] == labels
    (pod,) = _pods(mk)
    assert pod["metadata"]["labels"] == labels
    ref = pod["metadata"]["ownerReferences"][0]
    assert ref == {"apiVersion": "batch/v1", "kind": "Job", "name": "work", "uid": uid, "controller": True,
                   "blockOwnerDeletion": True}
    r = mk("get jobs -o wide")
    assert r.lines[0].split() == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES",
                                    "SELECTOR"]
    assert r.lines[1].split()[-1] == f"batch.kubernetes.io/controller-uid={uid}"


def test_backoff_limit_exceeded(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec="  backoffLimit: 2\n", cmd="exit 3"))
    assert len(_pods(mk)) == 1
    # the replacement waits the back-off: 10s, then 20s
    mk("clock advance 9s")
    assert len(_pods(mk)) == 1
    mk("clock advance 1s")
    assert len(_pods(mk)) == 2
    mk("clock advance 19s")
    assert len(_pods(mk)) == 2
    mk("clock advance 1s")
    assert len(_pods(mk)) == 3
    r = mk("get jobs")
    assert r.lines[1].split()[:3] == ["work", "Failed", "0/1"]
    st = _get(mk)["status"]
    assert st["failed"] == 3
    assert [(c["type"], c["reason"]) for c in st["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded"), ("Failed", "BackoffLimitExceeded")]
    assert st["conditions"][1]["message"] == "Job has reached the specified backoff limit"
    assert "completionTime" not in st
    ev = mk("get events --field-selector involvedObject.kind=Job").out
    assert "Warning   BackoffLimitExceeded   job/work   Job has reached the specified backoff limit" in ev
    mk("clock advance 1h")
    assert len(_pods(mk)) == 3


def test_backoff_limit_counts_restarts_with_on_failure(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec="  backoffLimit: 2\n", restart="OnFailure", cmd="exit 1"))
    mk("clock advance 5m")
    st = _get(mk)["status"]
    assert [c["type"] for c in st["conditions"]] == ["FailureTarget", "Failed"]
    assert st["conditions"][1]["reason"] == "BackoffLimitExceeded"
    assert _pods(mk) == []  # the running pod was deleted


def test_active_deadline_seconds(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec="  activeDeadlineSeconds: 30\n", cmd="sleep 3600"))
    mk("clock advance 29s")
    assert mk("get jobs").lines[1].split()[1] == "Running"
    mk("clock advance 1s")
    assert mk("get jobs").lines[1].split()[1] == "Failed"
    st = _get(mk)["status"]
    assert [(c["type"], c["reason"], c["message"]) for c in st["conditions"]][-1] == (
        "Failed", "DeadlineExceeded", "Job was active longer than specified deadline")
    assert _pods(mk) == []
    ev = mk("get events --field-selector involvedObject.kind=Job").out
    assert "SuccessfulDelete" in ev and "Job was active longer than specified deadline" in ev


def test_ttl_seconds_after_finished(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec="  ttlSecondsAfterFinished: 60\n", cmd="sleep 5"))
    mk("clock advance 10s")
    assert mk("get jobs").lines[1].split()[1] == "Complete"
    mk("clock advance 54s")
    assert mk("get jobs").code == 0 and "work" in mk("get jobs").out
    mk("clock advance 1s")
    r = mk("get jobs")
    assert r.out == "" and r.err == "No resources found in default namespace.\n"
    assert _pods(mk) == []


def test_indexed_completion(cluster):
    mk = cluster
    spec = "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n"
    mk("apply -f -", input=job(spec=spec, cmd="echo $JOB_COMPLETION_INDEX; sleep 5"))
    pods = sorted(_pods(mk), key=lambda p: p["metadata"]["name"])
    assert [p["metadata"]["generateName"] for p in pods] == ["work-0-", "work-1-", "work-2-"]
    for i, p in enumerate(pods):
        assert p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] == str(i)
        assert p["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == str(i)
        assert p["spec"]["hostname"] == f"work-{i}"
        assert mk(f"logs {p['metadata']['name']}").out == f"{i}\n"
    mk("clock advance 6s")
    st = _get(mk)["status"]
    assert st["completedIndexes"] == "0-2" and st["succeeded"] == 3


def test_suspend(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec="  suspend: true\n"))
    assert _pods(mk) == []
    assert mk("get jobs").lines[1].split()[:3] == ["work", "Suspended", "0/1"]
    mk("patch job work -p '{\"spec\":{\"suspend\":false}}'")
    assert len(_pods(mk)) == 1
    assert mk("get jobs").lines[1].split()[1] == "Running"


def test_restart_policy_always_refused(cluster):
    mk = cluster
    before = mk("get all -o name").out
    r = mk("apply -f -", input=job(restart="Always"))
    assert r.code == 1
    assert r.err == ('The Job "work" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": '
                     'supported values: "OnFailure", "Never"\n')
    assert mk("get all -o name").out == before


def test_create_job_generator(cluster):
    """create_job.go: one container named after the job, restartPolicy Never."""
    mk = cluster
    r = mk("create job hello --image=busybox --dry-run=client -o yaml -- sh -c 'echo hi'")
    assert r.out == """apiVersion: batch/v1
kind: Job
metadata:
  creationTimestamp: null
  name: hello
spec:
  template:
    metadata:
      creationTimestamp: null
    spec:
      containers:
      - command:
        - sh
        - -c
        - echo hi
        image: busybox
        name: hello
        resources: {}
      restartPolicy: Never
status: {}
"""
    assert mk("create job hello --image=busybox -- sh -c 'echo hi'").out == "job.batch/hello created\n"
    assert mk("logs job/hello").out == "hi\n"
    r = mk("create job other")
    assert (r.code, r.err) == (1, "error: either --image or --from must be specified\n")


def test_describe_job(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec="  completions: 2\n  activeDeadlineSeconds: 100\n", cmd="sleep 5"))
    mk("clock advance 6s")
    mk("clock advance 6s")
    mk("clock advance 8s")
    out = mk("describe job work").out
    lines = out.splitlines()
    assert lines[0] == "Name:                     work"
    assert lines[1] == "Namespace:                default"
    assert lines[2].startswith("Selector:                 batch.kubernetes.io/controller-uid=")
    for want in ["Parallelism:              1", "Completions:              2", "Completion Mode:          NonIndexed",
                 "Suspend:                  false", "Backoff Limit:            6", "Duration:                 11s",
                 "Active Deadline Seconds:  100s",
                 "Pods Statuses:            0 Active (0 Ready) / 2 Succeeded / 0 Failed"]:
        assert want in lines, want
    assert "Pod Template:" in lines
    assert "  Normal  Completed         8s    job-controller  Job completed" in lines


POD_FAILURE_POLICY = """  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: {action}
      onExitCodes:
        containerName: c
        operator: In
        values: [42]
"""


def test_pod_failure_policy_fail_job(cluster):
    """pod_failure_policy.go: a FailJob rule fails the job at the first matching exit code."""
    mk = cluster
    mk("apply -f -", input=job(spec=POD_FAILURE_POLICY.format(action="FailJob"), cmd="exit 42"))
    st = _get(mk)["status"]
    (pod,) = _pods(mk)
    msg = f"Container c for pod default/{pod['metadata']['name']} failed with exit code 42 matching FailJob rule at index 0"
    assert [(c["type"], c["reason"], c["message"]) for c in st["conditions"]] == [
        ("FailureTarget", "PodFailurePolicy", msg), ("Failed", "PodFailurePolicy", msg)]
    assert st["failed"] == 1


def test_pod_failure_policy_ignore_is_not_counted(cluster):
    mk = cluster
    mk("apply -f -", input=job(spec=POD_FAILURE_POLICY.format(action="Ignore"), cmd="exit 42"))
    mk("clock advance 1m")
    st = _get(mk)["status"]
    assert "failed" not in st and "conditions" not in st
    # ignored failures are not counted, but the replacements still wait the back-off (0, 10, 30 s)
    assert len(_pods(mk)) == 3


def test_pod_failure_policy_needs_restart_policy_never(cluster):
    mk = cluster
    r = mk("apply -f -", input=job(spec=POD_FAILURE_POLICY.format(action="FailJob"), restart="OnFailure"))
    assert (r.code, r.err) == (1, 'The Job "work" is invalid: spec.template.spec.restartPolicy: Invalid value: '
                                  '"OnFailure": only "Never" is supported when podFailurePolicy is specified\n')
    assert mk("get jobs").err == "No resources found in default namespace.\n"
