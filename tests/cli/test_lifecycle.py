"""Containers that run and exit (issue 10): a container runs its command in the simulated shell
(the pod's command/args, else the image's entrypoint and cmd), its output is its log, `sleep`
passes on the cluster clock, and the kubelet restarts it per restartPolicy with its crash-loop
back-off (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff; flowcontrol.Backoff 10 s
doubling to MaxContainerBackOff 5 min, expired after 10 min of running), kubectl's STATUS and
RESTARTS (printers.go printPod) and describe's State / Last State."""

from __future__ import annotations

import json

import pytest


def rows(mk, *names) -> list[str]:
    out = mk("get pods " + " ".join(names)).out.splitlines()
    return [" ".join(line.split()) for line in out[1:]]


def status(mk, name: str) -> dict:
    return json.loads(mk(f"get pod {name} -o json").out)["status"]


def cstate(mk, name: str) -> dict:
    return status(mk, name)["containerStatuses"][0]


# ----------------------------------------------------------------- running a command
def test_echo_completes_with_its_output_as_log(cluster):
    assert cluster("run e --image=busybox --restart=Never -- echo hello").code == 0
    assert rows(cluster, "e") == ["e 0/1 Completed 0 0s"]
    assert cluster("logs e").out == "hello\n"
    st = status(cluster, "e")
    assert st["phase"] == "Succeeded"
    term = st["containerStatuses"][0]["state"]["terminated"]
    assert (term["exitCode"], term["reason"]) == (0, "Completed")


def test_exit_code_fails_the_pod(cluster):
    cluster("run x --image=busybox --restart=Never -- sh -c 'echo oops >&2; exit 3'")
    assert rows(cluster, "x") == ["x 0/1 Error 0 0s"]
    assert cluster("logs x").out == "oops\n"
    st = status(cluster, "x")
    assert st["phase"] == "Failed"
    assert st["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 3
    d = cluster("describe pod x").out
    assert "    State:          Terminated\n      Reason:       Error\n      Exit Code:    3\n" in d


def test_issue_example_curl_probe_completes_with_the_page(cluster):
    """issue 10: `run probe1 --image=curlimages/curl --restart=Never -- curl -s http://cyberchef`."""
    assert cluster("run cyberchef --image=mpepping/cyberchef --port=8000").code == 0
    assert cluster("expose pod cyberchef --port=80 --target-port=8000").code == 0
    assert cluster("run probe1 --image=curlimages/curl --restart=Never -- curl -s http://cyberchef").code == 0
    assert rows(cluster, "probe1") == ["probe1 0/1 Completed 0 0s"]
    log = cluster("logs probe1").out
    assert "CyberChef" in log and log.lstrip().startswith("<!")


def test_curl_entrypoint_takes_bare_arguments(cluster):
    """curlimages/curl's /entrypoint.sh: arguments that start with '-' are curl's."""
    cluster("run cyberchef --image=mpepping/cyberchef --port=8000 --expose")
    cluster("run p --image=curlimages/curl --restart=Never -- -s -o /dev/null -w %{http_code} http://cyberchef:8000")
    assert cluster("logs p").out == "200\n"  # containerd logs a last partial line as a full one
    cluster("run q --image=curlimages/curl --restart=Never -- curl -s http://nowhere")
    assert rows(cluster, "q") == ["q 0/1 Error 0 0s"]
    assert cstate(cluster, "q")["state"]["terminated"]["exitCode"] == 6


def test_server_image_keeps_running(cluster):
    cluster("run web --image=nginx")
    cluster("clock advance 1h")
    assert rows(cluster, "web") == ["web 1/1 Running 0 60m"]


def test_sleep_ends_on_the_cluster_clock(cluster):
    cluster("run s --image=busybox --restart=Never -- sh -c 'echo a; sleep 30; echo b; exit 4'")
    assert rows(cluster, "s") == ["s 1/1 Running 0 0s"]
    assert cluster("logs s").out == "a\n"  # b is printed 30 s later
    cluster("clock advance 29s")
    assert rows(cluster, "s") == ["s 1/1 Running 0 29s"]
    assert cluster("logs s").out == "a\n"
    cluster("clock advance 1s")
    assert rows(cluster, "s") == ["s 0/1 Error 0 30s"]
    assert cluster("logs s").out == "a\nb\n"
    term = cstate(cluster, "s")["state"]["terminated"]
    assert term["exitCode"] == 4
    from minikctl.kubelet.exec import parse_time

    assert parse_time(term["finishedAt"]) - parse_time(term["startedAt"]) == 30
    ts = [ln.split()[0] for ln in cluster("logs s --timestamps").lines]
    assert parse_time(ts[1]) - parse_time(ts[0]) == 30


@pytest.mark.parametrize("cmd", ["sleep infinity", "sleep 86400", "sh -c 'while true; do echo tick; sleep 1; done'",
                                 "sh -c 'while :; do :; done'"])
def test_long_running_commands_keep_running(cluster, cmd):
    cluster(f"run l --image=busybox -- {cmd}")
    cluster("clock advance 2h")
    assert rows(cluster, "l") == ["l 1/1 Running 0 120m"]


def test_loop_output_is_bounded_to_the_simulated_hour(cluster):
    cluster("run l --image=busybox -- sh -c 'i=0; while true; do i=$((i+1)); echo $i; sleep 60; done'")
    assert cluster("logs l").out == "1\n"
    cluster("clock advance 5m")
    assert cluster("logs l").lines == ["1", "2", "3", "4", "5", "6"]
    cluster("clock advance 5h")
    assert cluster("logs l").lines[-1] == "61"  # MAIN_HORIZON: one hour (0 s ... 3600 s) is simulated ahead


def test_missing_executable_is_a_start_error(cluster):
    cluster("run bad --image=busybox --restart=Never -- nosuch")
    assert rows(cluster, "bad") == ["bad 0/1 StartError 0 0s"]
    d = cluster("describe pod bad").out
    assert ('      Reason:       StartError\n      Message:      failed to create containerd task: failed to create '
            'shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: '
            '"nosuch": executable file not found in $PATH: unknown\n      Exit Code:    128\n') in d
    assert "Started:      Thu, 01 Jan 1970 00:00:00 +0000" in d


def test_sleeping_container_killed_by_a_restart_prints_nothing_more(cluster):
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: k}
spec:
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo start; sleep 100; echo late']
    livenessProbe: {exec: {command: ["false"]}, periodSeconds: 10, failureThreshold: 1}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    cluster("clock advance 15s")
    assert cstate(cluster, "k")["restartCount"] == 1
    cluster("clock advance 200s")
    assert "late" not in cluster("logs k -p").out


# ------------------------------------------------------------------- restarts
def test_crash_loop_back_off_timeline(cluster):
    """Restarts at 0, 10, 30, 70, 150, 310 s, then every 5 minutes."""
    cluster("run c --image=busybox -- sh -c 'echo crash; exit 1'")
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 1 (0s ago) 0s"]
    w = cstate(cluster, "c")["state"]["waiting"]
    uid = json.loads(cluster("get pod c -o json").out)["metadata"]["uid"]
    assert w == {"message": f"back-off 10s restarting failed container=c pod=c_default({uid})",
                 "reason": "CrashLoopBackOff"}
    cluster("clock advance 9s")
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 1 (9s ago) 9s"]
    cluster("clock advance 1s")
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 2 (0s ago) 10s"]
    assert cstate(cluster, "c")["state"]["waiting"]["message"].startswith("back-off 20s ")
    cluster("clock advance 140s")  # 150 s
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 5 (0s ago) 2m30s"]
    assert cstate(cluster, "c")["state"]["waiting"]["message"].startswith("back-off 2m40s ")
    cluster("clock advance 160s")  # 310 s
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 6 (0s ago) 5m10s"]
    assert cstate(cluster, "c")["state"]["waiting"]["message"].startswith("back-off 5m0s ")
    cluster("clock advance 1h")  # 3910 s: 12 more restarts at 610 ... 3910
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 18 (0s ago) 65m"]
    assert cluster("logs c").out == "crash\n"
    assert cluster("logs c -p").out == "crash\n"
    assert status(cluster, "c")["phase"] == "Running"


def test_crash_loop_events_are_aggregated(cluster):
    cluster("run c --image=busybox:1.36 -- sh -c 'exit 1'")
    cluster("clock advance 70s")
    ev = cluster("describe pod c").out.split("Events:")[1]
    uid = json.loads(cluster("get pod c -o json").out)["metadata"]["uid"]
    assert f"Warning  BackOff    0s (x8 over 70s)  kubelet            Back-off restarting failed container c in pod c_default({uid})" in ev
    assert "Normal   Created    0s (x5 over 70s)  kubelet            Created container: c" in ev
    assert "Normal   Pulled     0s (x4 over 70s)  kubelet            Container image \"busybox:1.36\" already present on machine" in ev


def test_describe_last_state(cluster):
    cluster("run c --image=busybox -- sh -c 'exit 7'")
    cluster("clock advance 5s")
    d = cluster("describe pod c").out
    assert ("    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n"
            "      Reason:       Error\n      Exit Code:    7\n") in d
    assert "    Restart Count:  1\n" in d


def test_on_failure_restarts_failures_only(cluster):
    cluster("run ok --image=busybox --restart=OnFailure -- true")
    cluster("run no --image=busybox --restart=OnFailure -- false")
    assert rows(cluster, "no", "ok") == ["no 0/1 CrashLoopBackOff 1 (0s ago) 0s", "ok 0/1 Completed 0 0s"]
    assert status(cluster, "ok")["phase"] == "Succeeded"
    assert status(cluster, "no")["phase"] == "Running"


def test_always_restarts_a_completed_container(cluster):
    cluster("run e --image=busybox -- echo hi")
    assert rows(cluster, "e") == ["e 0/1 CrashLoopBackOff 1 (0s ago) 0s"]
    last = cstate(cluster, "e")["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (0, "Completed")


def test_back_off_resets_after_ten_minutes_of_running(cluster):
    cluster("run c --image=busybox -- sh -c 'sleep 700; exit 1'")
    cluster("clock advance 700s")
    # it ran more than 10 minutes since the back-off's last update: restarted at once, back-off 10 s
    assert rows(cluster, "c") == ["c 1/1 Running 1 (0s ago) 11m"]
    cluster("clock advance 700s")
    assert rows(cluster, "c") == ["c 1/1 Running 2 (0s ago) 23m"]


def test_short_running_crash_loop_backs_off(cluster):
    cluster("run c --image=busybox -- sh -c 'sleep 5; exit 1'")
    cluster("clock advance 5s")
    assert rows(cluster, "c") == ["c 1/1 Running 1 (0s ago) 5s"]
    cluster("clock advance 5s")
    assert rows(cluster, "c") == ["c 0/1 CrashLoopBackOff 1 (0s ago) 10s"]
    cluster("clock advance 10s")
    # RESTARTS' age is the last termination's finishedAt (printers.go printPod)
    assert rows(cluster, "c") == ["c 1/1 Running 2 (10s ago) 20s"]


# ------------------------------------------------------------------------ logs
def test_logs_previous_and_errors(cluster):
    cluster("run c --image=busybox -- sh -c 'date +%s; sleep 5; exit 1'")
    cluster("run n --image=nginx")
    r = cluster("logs n -p")
    assert (r.code, r.err) == (1, 'Error from server (BadRequest): previous terminated container "n" in pod "n" not found\n')
    cluster("clock advance 5s")  # restarted at once: the current instance runs, the previous one ended
    cur, prev = cluster("logs c").out, cluster("logs c --previous").out
    assert int(cur) - int(prev) == 5
    cluster("clock advance 5s")  # in CrashLoopBackOff both show the instance that just ended
    assert cluster("logs c").out == cluster("logs c -p").out == cur


def test_logs_since_tail_timestamps(cluster):
    cluster("run l --image=busybox -- sh -c 'for i in 1 2 3 4; do echo $i; sleep 10; done; sleep infinity'")
    cluster("clock advance 35s")
    assert cluster("logs l").lines == ["1", "2", "3", "4"]
    assert cluster("logs l --since=20s").lines == ["3", "4"]
    assert cluster("logs l --tail=1").lines == ["4"]
    assert cluster("logs l --tail=1 --timestamps").out.endswith(".000000000Z 4\n")
    r = cluster("logs l --since=5s --since-time=2026-01-01T00:00:00Z")
    assert (r.code, r.err) == (1, "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n")


def test_logs_follow_on_a_manual_clock_returns_at_once(cluster):
    cluster("run l --image=busybox -- sh -c 'echo one; sleep 10; echo two; sleep infinity'")
    r = cluster("logs -f l")
    assert (r.code, r.out, r.err) == (0, "one\n", "")


# ------------------------------------------------------------ init containers
INIT = """
apiVersion: v1
kind: Pod
metadata: {name: ini}
spec:
  restartPolicy: %s
  initContainers:
  - {name: one, image: busybox, command: [sh, -c, 'echo first; sleep 10']}
  - {name: two, image: busybox, command: [sh, -c, '%s']}
  containers:
  - {name: app, image: nginx}
"""


def test_init_containers_run_in_order(cluster):
    assert cluster(["apply", "-f", "-"], input=INIT % ("Always", "sleep 5")).code == 0
    assert rows(cluster, "ini") == ["ini 0/1 Init:0/2 0 0s"]
    cluster("clock advance 10s")
    assert rows(cluster, "ini") == ["ini 0/1 Init:1/2 0 10s"]
    cluster("clock advance 5s")
    assert rows(cluster, "ini") == ["ini 1/1 Running 0 15s"]
    assert cluster("logs ini -c one").out == "first\n"


def test_init_container_failure(cluster):
    assert cluster(["apply", "-f", "-"], input=INIT % ("Never", "exit 2")).code == 0
    cluster("clock advance 10s")
    assert rows(cluster, "ini") == ["ini 0/1 Init:Error 0 10s"]
    assert status(cluster, "ini")["phase"] == "Failed"


def test_init_container_crash_loop(cluster):
    assert cluster(["apply", "-f", "-"], input=INIT % ("Always", "exit 2")).code == 0
    cluster("clock advance 10s")
    assert rows(cluster, "ini") == ["ini 0/1 Init:CrashLoopBackOff 1 (0s ago) 10s"]
    assert status(cluster, "ini")["phase"] == "Pending"


def test_sidecar_init_container_keeps_running(cluster):
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: sc}
spec:
  initContainers:
  - {name: side, image: busybox, restartPolicy: Always, command: [sleep, infinity]}
  containers:
  - {name: app, image: nginx}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    cluster("clock advance 1m")
    assert rows(cluster, "sc") == ["sc 2/2 Running 0 60s"]


def test_terminate_container_hook_restarts_per_policy(cluster, state):
    """pods.terminate_container: how the resources helper marks a container OOMKilled."""
    cluster("run m --image=busybox -- sh -c 'echo up; sleep 600; echo never'")
    from minikctl.api.cluster import Session
    from minikctl.kubelet import pods

    s = Session.open(state)
    try:
        with s.write() as api:
            pods.terminate_container(api, api.get("pods", "default", "m"), "m", 137, "OOMKilled")
    finally:
        s.store.close()
    cs = cstate(cluster, "m")
    assert cs["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert cs["lastState"]["terminated"]["exitCode"] == 137
    assert rows(cluster, "m") == ["m 1/1 Running 1 (0s ago) 0s"]
    cluster("clock advance 20m")
    # the killed instance printed nothing after it was killed (the next one did, 600 s later)
    assert cluster("logs m -p").out == "up\nnever\n"
    assert cluster("describe pod m").out.count("OOMKilled") == 0


def test_failing_liveness_probe_ends_in_crash_loop_back_off(cluster):
    """SyncPod kills and starts in one sync, and doBackOff looks at the previous dead instance:
    kills at 10, 20 and 30 s restart at once, the one at 40 s waits (back-off 20 s) until 60 s."""
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: lv}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, infinity]
    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 2}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    cluster("clock advance 30s")
    assert rows(cluster, "lv") == ["lv 1/1 Running 3 (0s ago) 30s"]
    cluster("clock advance 10s")
    assert rows(cluster, "lv") == ["lv 0/1 CrashLoopBackOff 3 (0s ago) 40s"]
    assert cstate(cluster, "lv")["lastState"]["terminated"]["exitCode"] == 137
    cluster("clock advance 20s")
    assert rows(cluster, "lv") == ["lv 1/1 Running 4 (20s ago) 60s"]


def test_liveness_kill_with_restart_policy_never_fails_the_pod(cluster):
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: lvn}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: [sleep, infinity]
    livenessProbe: {exec: {command: ["false"]}, periodSeconds: 5, failureThreshold: 1}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    cluster("clock advance 5s")
    assert rows(cluster, "lvn") == ["lvn 0/1 Error 0 5s"]
    assert status(cluster, "lvn")["phase"] == "Failed"


def test_post_start_hook_runs_in_the_container(cluster):
    """The documentation's lifecycle-events example: postStart writes a file the container then has."""
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: lifecycle-demo}
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"]
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    assert rows(cluster, "lifecycle-demo") == ["lifecycle-demo 1/1 Running 0 0s"]
    r = cluster("exec lifecycle-demo -- cat /usr/share/message")
    assert (r.code, r.out) == (0, "Hello from the postStart handler\n")


def test_failed_post_start_hook_kills_the_container(cluster):
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: hook}
spec:
  containers:
  - name: c
    image: nginx
    lifecycle: {postStart: {exec: {command: [sh, -c, "echo no >&2; exit 1"]}}}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    assert rows(cluster, "hook") == ["hook 0/1 CrashLoopBackOff 1 (0s ago) 0s"]
    ev = cluster("describe pod hook").out
    # kuberuntime_container.go startContainer: the event does not carry the hook's output
    assert "Warning  FailedPostStartHook  0s (x2 over 0s)  kubelet            PostStartHook failed\n" in ev
    assert "Normal   Killing              0s (x2 over 0s)  kubelet            FailedPostStartHook\n" in ev
    assert "FailedPostStartHook" in ev


# ------------------------------------------------------------------ deletion
def test_delete_waits_for_the_grace_period_of_a_command_that_ignores_sigterm(cluster):
    """`sleep` as PID 1 has no SIGTERM handler: it is killed when terminationGracePeriodSeconds
    (30 s) ends; kubectl delete waits for the pod to go, so on a manual clock the clock moves."""
    cluster("run s --image=busybox -- sleep infinity")
    before = cluster("clock").out.split()[0]
    r = cluster("delete pod s")
    assert (r.code, r.out, r.err) == (0, 'pod "s" deleted\n', "")
    assert cluster("get pod s").code == 1
    after = cluster("clock").out.split()[0]
    from minikctl.kubelet.exec import parse_time

    assert parse_time(after) - parse_time(before) == 30


def test_delete_wait_false_leaves_the_pod_terminating(cluster):
    cluster("run s --image=busybox -- sleep infinity")
    assert cluster("delete pod s --wait=false").out == 'pod "s" deleted\n'
    assert rows(cluster, "s") == ["s 1/1 Terminating 0 0s"]
    d = cluster("describe pod s").out
    assert "Termination Grace Period:  30s" in d
    assert "Stopping container s" in d
    cluster("clock advance 29s")
    assert rows(cluster, "s") == ["s 1/1 Terminating 0 29s"]
    cluster("clock advance 1s")
    assert cluster("get pod s").code == 1


def test_server_image_stops_at_once_and_grace_period_flags(cluster):
    cluster("run w --image=nginx")
    before = cluster("clock").out
    assert cluster("delete pod w").out == 'pod "w" deleted\n'
    assert cluster("clock").out == before
    cluster("run g --image=busybox -- sleep infinity")
    assert cluster("delete pod g --grace-period=5 --wait=false").code == 0
    cluster("clock advance 5s")
    assert cluster("get pod g").code == 1
    cluster("run f --image=busybox -- sleep infinity")
    r = cluster("delete pod f --force --grace-period=0")
    assert (r.code, r.out) == (0, 'pod "f" force deleted\n')
    assert r.err == ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                     "terminated. The resource may continue to run on the cluster indefinitely.\n")
    r = cluster("delete pod x --now --grace-period=3")
    assert (r.code, r.err) == (1, "error: --now and --grace-period cannot be specified together\n")


def test_pre_stop_hook_takes_its_time(cluster):
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: ps}
spec:
  containers:
  - name: web
    image: nginx
    lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 8"]}}}
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    cluster("delete pod ps --wait=false")
    cluster("clock advance 7s")
    assert rows(cluster, "ps") == ["ps 1/1 Terminating 0 7s"]
    cluster("clock advance 1s")
    assert cluster("get pod ps").code == 1


def test_docs_init_containers_wait_for_their_services(cluster):
    """The documentation's init-container example (myapp-pod): Init:0/2 until myservice exists,
    Init:1/2 until mydb exists, then Running."""
    pod = """
apiVersion: v1
kind: Pod
metadata: {name: myapp-pod, labels: {app.kubernetes.io/name: MyApp}}
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
"""
    svc = """
apiVersion: v1
kind: Service
metadata: {name: %s}
spec:
  ports: [{protocol: TCP, port: 80, targetPort: %d}]
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    cluster("clock advance 10s")
    assert rows(cluster, "myapp-pod") == ["myapp-pod 0/1 Init:0/2 0 10s"]
    assert "waiting for myservice" in cluster("logs myapp-pod -c init-myservice").out
    assert cluster(["apply", "-f", "-"], input=svc % ("myservice", 9376)).code == 0
    assert rows(cluster, "myapp-pod") == ["myapp-pod 0/1 Init:1/2 0 10s"]
    assert cluster(["apply", "-f", "-"], input=svc % ("mydb", 9377)).code == 0
    assert rows(cluster, "myapp-pod") == ["myapp-pod 1/1 Running 0 10s"]
    assert cluster("logs myapp-pod").out == "The app is running!\n"


def test_logs_by_selector_since(cluster):
    cluster("run l --image=busybox --labels=app=l -- sh -c 'echo early; sleep 30; echo late; sleep infinity'")
    cluster("clock advance 40s")
    assert cluster("logs -l app=l --since=15s").out == "late\n"


def test_logs_follow_on_the_wall_clock_prints_until_the_container_ends(mk_proc):
    """On the wall clock -f prints each line when its time comes and returns when the container ends."""
    assert mk_proc("cluster create").code == 0
    assert mk_proc(["run", "f", "--image=busybox", "--restart=Never", "--",
                    "sh", "-c", "echo 1; sleep 1; echo 2; sleep 1; echo 3"]).code == 0
    r = mk_proc("logs -f f", timeout=30)
    assert (r.code, r.out) == (0, "1\n2\n3\n")
