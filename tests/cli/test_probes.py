"""Probes on the cluster clock as the kubelet runs them (pkg/kubelet/prober/worker.go, prober.go,
prober_manager.go): exec, httpGet and tcpSocket; initialDelaySeconds, periodSeconds,
successThreshold, failureThreshold; readiness -> pod conditions -> Endpoints; liveness ->
restart (restartCount, lastState, files gone, events); startup probes; the wall clock."""

from __future__ import annotations

import json

SEED_RC = """
apiVersion: v1
kind: ReplicationController
metadata: {name: cyberchef}
spec:
  replicas: 2
  selector: {app: cyberchef}
  template:
    metadata: {labels: {app: cyberchef}}
    spec:
      containers:
      - name: cyberchef
        image: mpepping/cyberchef
        ports: [{containerPort: 8000}]
        readinessProbe:
          exec:
            command:
            - ls
            - /var/ready
---
apiVersion: v1
kind: Service
metadata: {name: cyberchef}
spec:
  ports: [{port: 80, targetPort: 8000}]
  selector: {app: cyberchef}
"""


def pod_json(mk, name: str) -> dict:
    return json.loads(mk(f"get pod {name} -o json").out)


def ready(mk, name: str) -> bool:
    return pod_json(mk, name)["status"]["containerStatuses"][0]["ready"]


def endpoints(mk, name: str) -> tuple[list[str], list[str]]:
    ep = json.loads(mk(f"get endpoints {name} -o json").out)
    ready_, not_ready = [], []
    for s in ep.get("subsets") or ():
        ready_ += [a["ip"] for a in s.get("addresses") or ()]
        not_ready += [a["ip"] for a in s.get("notReadyAddresses") or ()]
    return sorted(ready_), sorted(not_ready)


def names(mk, selector: str) -> list[str]:
    return sorted(p["metadata"]["name"] for p in json.loads(mk(f"get pods -l {selector} -o json").out)["items"])


def test_seed_readiness_probe_ls_var_ready(cluster):
    """The seed's mock readiness probe: not ready until `touch /var/ready` and the next period;
    unready again after `rm` and failureThreshold (3) failed periods."""
    assert cluster(["apply", "-f", "-"], input=SEED_RC).code == 0
    a, b = names(cluster, "app=cyberchef")
    ip_a = pod_json(cluster, a)["status"]["podIP"]
    assert not ready(cluster, a) and not ready(cluster, b)
    assert endpoints(cluster, "cyberchef")[0] == []
    cond = {c["type"]: c for c in pod_json(cluster, a)["status"]["conditions"]}
    assert cond["Ready"]["status"] == "False" and cond["Ready"]["reason"] == "ContainersNotReady"
    assert cond["Ready"]["message"] == "containers with unready status: [cyberchef]"

    assert cluster(f"exec {a} -- touch /var/ready").code == 0
    assert not ready(cluster, a)                      # not before the next probe period
    assert cluster("clock advance 10s").code == 0
    assert ready(cluster, a) and not ready(cluster, b)
    assert endpoints(cluster, "cyberchef")[0] == [ip_a]
    r = cluster("get pods")
    assert {ln.split()[0]: ln.split()[1] for ln in r.lines[1:]} == {a: "1/1", b: "0/1"}
    assert cluster(f"exec {a} -- curl -s http://cyberchef").out.startswith("<!--\n    CyberChef")

    assert cluster(f"exec {a} -- rm /var/ready").code == 0
    assert cluster("clock advance 20s").code == 0
    assert ready(cluster, a)                          # two failures: below failureThreshold 3
    assert cluster("clock advance 10s").code == 0
    assert not ready(cluster, a)
    assert endpoints(cluster, "cyberchef") == ([], sorted([ip_a, pod_json(cluster, b)["status"]["podIP"]]))

    r = cluster(f"describe pod {b}")
    assert ("Readiness probe failed: ls: cannot access '/var/ready': No such file or directory" in r.out)
    ev = [e for e in json.loads(cluster("get events -o json").out)["items"]
          if e["involvedObject"]["name"] == b and e["reason"] == "Unhealthy"]
    assert len(ev) == 1 and ev[0]["count"] == 5 and ev[0]["type"] == "Warning"
    assert ev[0]["source"]["component"] == "kubelet"


def probe_pod(name: str, image: str, probes: str, extra: str = "") -> str:
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  containers:
  - name: main
    image: {image}
{extra}{probes}"""


def test_http_readiness_with_initial_delay_and_success_threshold(cluster):
    probes = """    readinessProbe:
      httpGet: {path: /, port: 80}
      initialDelaySeconds: 15
      periodSeconds: 5
      successThreshold: 2
"""
    assert cluster(["apply", "-f", "-"], input=probe_pod("web", "nginx", probes)).code == 0
    assert not ready(cluster, "web")
    cluster("clock advance 10s")
    assert not ready(cluster, "web")          # still in the initial delay
    cluster("clock advance 5s")
    assert not ready(cluster, "web")          # one success of the two needed
    cluster("clock advance 5s")
    assert ready(cluster, "web")
    probe_lines = [ln for ln in cluster("logs web").lines if "kube-probe/1.32" in ln]
    assert len(probe_lines) == 2 and probe_lines[0].startswith("10.244.")


def test_http_probe_failure_message_and_refused_port(cluster):
    probes = """    readinessProbe:
      httpGet: {path: /nope, port: 80}
    livenessProbe:
      tcpSocket: {port: 81}
      periodSeconds: 10
      failureThreshold: 5
"""
    assert cluster(["apply", "-f", "-"], input=probe_pod("web", "nginx", probes)).code == 0
    cluster("clock advance 10s")
    ip = pod_json(cluster, "web")["status"]["podIP"]
    msgs = {e["message"] for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "Unhealthy"}
    assert msgs == {"Readiness probe failed: HTTP probe failed with statuscode: 404",
                    f"Liveness probe failed: dial tcp {ip}:81: connect: connection refused"}


def test_liveness_failure_restarts_the_container_and_wipes_its_files(cluster):
    probes = """    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 5
      periodSeconds: 5
      failureThreshold: 2
"""
    extra = "    command: [sleep, infinity]\n"
    assert cluster(["apply", "-f", "-"], input=probe_pod("live", "busybox", probes, extra)).code == 0
    assert cluster(["exec", "live", "--", "sh", "-c", "touch /tmp/healthy /tmp/mine"]).code == 0
    cluster("clock advance 20s")
    st = pod_json(cluster, "live")["status"]["containerStatuses"][0]
    assert st["restartCount"] == 0
    assert cluster("exec live -- rm /tmp/healthy").code == 0
    cluster("clock advance 5s")
    assert pod_json(cluster, "live")["status"]["containerStatuses"][0]["restartCount"] == 0  # 1 failure of 2
    cluster("clock advance 5s")
    st = pod_json(cluster, "live")["status"]["containerStatuses"][0]
    assert st["restartCount"] == 1
    assert st["lastState"]["terminated"]["exitCode"] == 137
    assert st["state"]["running"]
    r = cluster("exec live -- ls /tmp")
    assert (r.code, r.out) == (0, "")                   # the new container has none of the old files
    r = cluster("get pod live")
    assert r.lines[1].split()[3] == "1"
    events = [(e["reason"], e["message"]) for e in json.loads(cluster("get events -o json").out)["items"]
              if e["involvedObject"]["name"] == "live"]
    assert ("Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory") in events
    assert ("Killing", "Container main failed liveness probe, will be restarted") in events
    # the new container starts its own probe cycle: initial delay, then failures again
    cluster("clock advance 10s")
    assert pod_json(cluster, "live")["status"]["containerStatuses"][0]["restartCount"] == 2


def test_tcp_probes(cluster):
    probes = """    readinessProbe:
      tcpSocket: {port: 6379}
    livenessProbe:
      tcpSocket: {port: redis}
"""
    extra = "    ports: [{name: redis, containerPort: 6379}]\n"
    assert cluster(["apply", "-f", "-"], input=probe_pod("cache", "redis", probes, extra)).code == 0
    assert ready(cluster, "cache")
    cluster("clock advance 60s")
    assert pod_json(cluster, "cache")["status"]["containerStatuses"][0]["restartCount"] == 0


def test_startup_probe_gates_the_others(cluster, tmp_path):
    f = tmp_path / "slow.yaml"
    f.write_text("name: school/slow-web\nfrom: nginx\nstartupSeconds: 25\n")
    assert cluster(f"image add -f {f}").code == 0
    probes = """    startupProbe:
      httpGet: {path: /, port: 80}
      periodSeconds: 10
      failureThreshold: 5
    readinessProbe:
      httpGet: {path: /, port: 80}
"""
    assert cluster(["apply", "-f", "-"], input=probe_pod("slow", "school/slow-web", probes)).code == 0
    st = pod_json(cluster, "slow")["status"]["containerStatuses"][0]
    assert (st["started"], st["ready"]) == (False, False)
    cluster("clock advance 20s")
    st = pod_json(cluster, "slow")["status"]["containerStatuses"][0]
    assert (st["started"], st["ready"]) == (False, False)
    cluster("clock advance 10s")
    st = pod_json(cluster, "slow")["status"]["containerStatuses"][0]
    assert (st["started"], st["ready"]) == (True, True)


def test_probe_that_cannot_run_errors(cluster):
    probes = """    readinessProbe:
      exec:
        command: [/healthcheck]
"""
    assert cluster(["apply", "-f", "-"], input=probe_pod("odd", "nginx", probes)).code == 0
    assert not ready(cluster, "odd")
    msgs = [e["message"] for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "Unhealthy"]
    assert len(msgs) == 1
    assert msgs[0].startswith("Readiness probe errored: rpc error: code = Unknown desc = failed to exec in container: ")
    assert 'exec: "/healthcheck": stat /healthcheck: no such file or directory: unknown' in msgs[0]


def test_wall_clock_probes_catch_up_at_the_next_command(mk, monkeypatch):
    """With the default wall clock, probe periods pass in real time: the next command runs the
    ticks that fell due (here time is moved forward instead of waiting)."""
    import time

    assert mk("cluster create").code == 0
    assert mk(["apply", "-f", "-"], input=SEED_RC.replace("replicas: 2", "replicas: 1")).code == 0
    (pod,) = names(mk, "app=cyberchef")
    assert mk(f"exec {pod} -- touch /var/ready").code == 0
    assert not ready(mk, pod)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11)
    assert ready(mk, pod)
    assert mk("get endpoints cyberchef").lines[1].split()[1].endswith(":8000")


def test_many_periods_in_one_advance(cluster):
    """A long `clock advance` runs every period in order (timestamps of the tick, not of the command)."""
    assert cluster(["apply", "-f", "-"], input=SEED_RC.replace("replicas: 2", "replicas: 1")).code == 0
    cluster("clock advance 1h")
    ev = [e for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "Unhealthy"]
    assert len(ev) == 1 and ev[0]["count"] == 361
    assert ev[0]["firstTimestamp"] != ev[0]["lastTimestamp"]


def test_a_day_of_probes(cluster):
    """A day of 10 s periods (8640 ticks per probe): steady probes are fast-forwarded, and the
    counts come out as if every tick ran (how long it takes is a figure for tests/perf)."""
    rc = SEED_RC.replace("replicas: 2", "replicas: 3").replace(
        "            - /var/ready\n",
        "            - /var/ready\n        livenessProbe:\n          tcpSocket: {port: 8000}\n")
    assert cluster(["apply", "-f", "-"], input=rc).code == 0
    assert cluster("clock advance 24h").code == 0
    ev = [e for e in json.loads(cluster("get events -o json").out)["items"] if e["reason"] == "Unhealthy"]
    assert sorted(e["count"] for e in ev) == [8641, 8641, 8641]
    assert all(not ready(cluster, p) for p in names(cluster, "app=cyberchef"))


def test_exec_probe_endless_loop_times_out(cluster):
    """An exec probe's command gets timeoutSeconds, not an exec's whole budget: past it the probe
    fails with the CRI client's message (k8s.io/cri-client/pkg/remote_runtime.go ExecSync:
    `command %q timed out`; pkg/probe/exec/exec.go turns the timeout into a failure with that text).
    An endless loop runs into its time or its CPU budget, whichever comes first: both are the
    timeout (here the CPU budget is made small so that the loop ends at once)."""
    probes = """    startupProbe:
      exec:
        command: [sh, -c, "while :; do :; done"]
      timeoutSeconds: 3
      failureThreshold: 1
"""
    extra = "    command: [sleep, infinity]\n"
    assert cluster(["apply", "-f", "-"], input=probe_pod("slow", "busybox", probes, extra)).code == 0

    def unhealthy() -> list[str]:
        return [e["message"] for e in json.loads(cluster("get events -o json").out)["items"]
                if e["reason"] == "Unhealthy"]

    assert cluster("clock advance 10s", env={"MINIKCTL_SHELL_STEPS": "1000"}).code == 0
    assert unhealthy() == ['Startup probe failed: command "sh -c while :; do :; done" timed out']
    st = pod_json(cluster, "slow")["status"]["containerStatuses"][0]
    assert st["restartCount"] == 1 and not st["started"]


def test_exec_probe_timeout_fails_liveness_and_a_quick_command_passes(cluster):
    """sleep counts against the time budget at once: past timeoutSeconds (default 1) it times out."""
    probes = """    livenessProbe:
      exec:
        command: [sh, -c, sleep 5]
      periodSeconds: 10
      failureThreshold: 2
    readinessProbe:
      exec:
        command: [sleep, "1"]
      timeoutSeconds: 2
"""
    extra = "    command: [sleep, infinity]\n"
    assert cluster(["apply", "-f", "-"], input=probe_pod("slow", "busybox", probes, extra)).code == 0
    cluster("clock advance 10s")
    assert ready(cluster, "slow")                       # sleep 1 within timeoutSeconds: 2
    assert pod_json(cluster, "slow")["status"]["containerStatuses"][0]["restartCount"] == 0  # 1 failure of 2
    cluster("clock advance 10s")
    assert pod_json(cluster, "slow")["status"]["containerStatuses"][0]["restartCount"] == 1
    events = [(e["reason"], e["message"]) for e in json.loads(cluster("get events -o json").out)["items"]
              if e["involvedObject"]["name"] == "slow"]
    assert ("Unhealthy", 'Liveness probe failed: command "sh -c sleep 5" timed out') in events
    assert ("Killing", "Container main failed liveness probe, will be restarted") in events
