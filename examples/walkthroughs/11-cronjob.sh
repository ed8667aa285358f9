#!/usr/bin/env bash
# (beyond the tutorial) Jobs and a CronJob on the cluster clock: the Kubernetes documentation's
# "Running Automated Tasks with a CronJob" (the `hello` CronJob every minute), a Job that runs
# to completion, one that fails until its backoffLimit, and `create job --from=cronjob/...`.
source "$(dirname "$0")/lib.sh"

# 1. A Job: three completions, two at a time; each pod sleeps 5 s.
cat > job.yaml <<'YAML'
apiVersion: batch/v1
kind: Job
metadata:
  name: countdown
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: counter
        image: busybox
        command: ["sh", "-c", "for i in 3 2 1; do echo $i; done; sleep 5"]
YAML
run minikctl apply -f job.yaml
run minikctl get jobs
run minikctl clock advance 6s
run minikctl clock advance 6s
run minikctl get jobs
check "the job completed" contains "$(minikctl get jobs)" "countdown   Complete   3/3"
run minikctl get pods -l job-name=countdown
run minikctl logs job/countdown

# 2. A Job whose command fails: the replacement pods wait the back-off (10 s, 20 s, ...)
#    until the failed pods exceed backoffLimit.
run minikctl create job broken --image=busybox -- sh -c 'echo oops; exit 1'
# 6 retries: 10+20+40+80+160+320 s of back-off
run minikctl clock advance 11m
run minikctl get jobs broken
check "backoffLimit reached" contains "$(minikctl get jobs broken)" "Failed"
run minikctl get events --field-selector involvedObject.name=broken
check "BackoffLimitExceeded event" contains "$(minikctl get events --field-selector involvedObject.name=broken)" \
  "Job has reached the specified backoff limit"

# 3. The documentation's CronJob: a Job every minute that prints the date and a greeting.
cat > cronjob.yaml <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command:
            - /bin/sh
            - -c
            - date; echo Hello from the Kubernetes cluster
          restartPolicy: OnFailure
YAML
run minikctl apply -f cronjob.yaml
run minikctl get cronjob hello
# An hour of the cluster clock runs sixty Jobs; the last three successful ones are kept
# (successfulJobsHistoryLimit 3), each named hello-<scheduled time in minutes since the epoch>.
run minikctl clock advance 1h
run minikctl get cronjob hello
run minikctl get jobs
check "history limit: three hello jobs" test "$(minikctl get jobs -o name | grep -c job.batch/hello-)" = 3
last=job/$(minikctl get jobs -o name | grep job.batch/hello- | tail -1 | cut -d/ -f2)
run minikctl logs "$last"
check "the job printed its greeting" contains "$(minikctl logs "$last")" "Hello from the Kubernetes cluster"

# 4. Run it now, by hand.
run minikctl create job hello-now --from=cronjob/hello
run minikctl get job hello-now -o jsonpath='{.metadata.annotations}'
echo

# 5. A schedule that does not parse is refused with the apiserver's (robfig/cron's) message.
fails minikctl create cronjob bad --image=busybox --schedule='61 * * * *'
out=$(minikctl create cronjob bad --image=busybox --schedule='61 * * * *' 2>&1 || true)
check "bad schedule message" contains "$out" 'spec.schedule: Invalid value: "61 \* \* \* \*": end of range (61) above maximum (59): 61'

# 6. Suspend it: no more Jobs.
run minikctl patch cronjob hello -p '{"spec":{"suspend":true}}'
before=$(minikctl get jobs -o name | wc -l)
run minikctl clock advance 10m
check "suspended: no new jobs" test "$(minikctl get jobs -o name | wc -l)" = "$before"
run minikctl get cronjob hello
