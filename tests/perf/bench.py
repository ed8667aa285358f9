#!/usr/bin/env python3
"""minikctl benchmark (issue 6): every figure beside its target, in one table.

    python tests/perf/bench.py            # full: 11 timed runs per command, 3 bulk applies
    python tests/perf/bench.py --quick    # 5 timed runs per command, 1 bulk apply
    python tests/perf/bench.py --only 5   # only figure 5 (create deployment --replicas=20000)
    python tests/perf/bench.py --only 7   # only figure 7 (clock advance 24h over 20 CronJobs)
    python tests/perf/bench.py --only 8   # only figure 8 (1,000-pod DaemonSet/StatefulSet/Job mix)
    python tests/perf/bench.py --only 1 --wheel --runs 21
                                          # only figure 1 (start-up vs kubectl 1.32), timing a wheel
                                          # install in a scratch venv, as users run it
    python tests/perf/bench.py --only 9   # only figure 9 (lab check of 20 tasks, lab grade of 30 stores)
    python tests/perf/bench.py --only 10  # only figure 10 (minikctl serve: Table list, creates, watch delay)

Every figure is the median over several whole-process runs of the installed console
script (the process a user starts), timed with time.perf_counter around
subprocess.run; peak memory comes from /usr/bin/time -f %M. The clusters are built
first from generated manifests (one `apply -f` each), so setting up is not timed.

Before timing, the package is byte-compiled (python -m compileall), as a pip wheel
install does: this machine sets PYTHONDONTWRITEBYTECODE=1, and without .pyc files every
command would recompile each module it imports.

A command that does not exist yet (another issue still building it) is printed as a
"pending: command not available" row; the benchmark still runs everything else.
This is a script, not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

def _kubectl_132() -> str:
    """The plain upstream kubectl 1.32 binary (issue 12 compares with it). /usr/bin/kubectl on this
    machine is the Cloud SDK's version dispatcher, a wrapper that starts the real one."""
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                 shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return "/usr/bin/kubectl"


KUBECTL = _kubectl_132()
KUBECTL_WRAPPER = "/usr/bin/kubectl"  # also timed, for reference, when it is another program
KUBECTL_ARGS = ["create", "service", "clusterip", "x", "--tcp=80", "--dry-run=client", "-o", "yaml"]

BIG_SERVICES, BIG_DEPLOYMENTS = 10_000, 1_000
SMALL_SERVICES, SMALL_DEPLOYMENTS = 100, 10
REPLICAS = 3
NODE_PORT_RANGE = 2768  # 30000-32767, the default range
NODE_PORT_FILL = round(NODE_PORT_RANGE * 0.99)
# A node runs at most 110 pods (its allocatable "pods", as kind's nodes): 3,000 pods need
# 28 workers. Both clusters of figure 2 get the same nodes, so only the services differ.
NODES = "30"
PENDING = "pending: command not available"
# Figure 5: one deployment larger than the cluster. 50 nodes (49 workers x 110 pods, less
# the system pods) run about 5,400 pods; the others wait for a node (Pending).
BIG_NODES, BIG_REPLICAS, MID_REPLICAS = "50", 20_000, 5_000


# ----------------------------------------------------------------------------- running
def minikctl_path() -> list[str]:
    """The installed console script (not a pyenv shim, which adds a bash start-up)."""
    here = os.path.join(os.path.dirname(sys.executable), "minikctl")
    if os.path.isfile(here) and os.access(here, os.X_OK):
        return [here]
    found = shutil.which("minikctl")
    if found and "shims" not in found:
        return [os.path.realpath(found)]
    return [sys.executable, "-m", "minikctl"]


MK = minikctl_path()  # --minikctl PATH times another install (a wheel in a venv: what users run)


def _env(state: str) -> dict:
    env = dict(os.environ)
    env["MINIKCTL_STATE"] = state
    env.pop("MINIKCTL_NAMESPACE", None)
    return env


def run(state: str, args: list[str], *, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run(MK + args, input=input, capture_output=True, env=_env(state))
    if check and p.returncode != 0:
        raise SystemExit(f"bench: setup command failed: minikctl {' '.join(args)}\n{p.stderr.decode(errors='replace')}")
    return p


def wall(argv: list[str], env: dict | None = None) -> float:
    """Seconds of one whole-process run; raises if the command fails."""
    t = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[-6:])}: exit {p.returncode}: {p.stderr.decode(errors='replace').strip()}")
    return dt


def wall_cpu(argv: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process: user + system) of one whole-process run. On a
    machine shared with other work the CPU time shows what the command itself costs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    dt = wall(argv, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return dt, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternate_samples(reps: int, *commands) -> list[list[float]]:
    """Seconds of every timed run of each (argv_factory, env) pair, timed alternately (A B C A B C
    ...: load from other work hits every command alike), after one warm-up run each. A command
    may be (argv_factory, env, after): after(started) runs once it returned, untimed (figure 1
    waits there for the controllers `apply` left to a background process)."""
    times: list[list[float]] = [[] for _ in commands]
    for i in range(reps + 1):
        for j, (factory, env, *after) in enumerate(commands):
            started = time.perf_counter()
            dt = wall(factory(i), env)
            if after:
                after[0](started)
            if i:
                times[j].append(dt)
    return times


PENDING_META = "controllers:pending"  # minikctl/api/cluster.py: the controllers' work a command left


def wait_converged(state: str, timeout: float = 30.0) -> float:
    """Wait until no controller work is pending in the store (`apply` returns once its objects
    are stored; a process it forks runs the controllers): returns the time it was seen done."""
    deadline = time.perf_counter() + timeout
    while True:
        con = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=timeout)
        try:
            pending = con.execute("SELECT 1 FROM meta WHERE key=?", (PENDING_META,)).fetchone()
        finally:
            con.close()
        now = time.perf_counter()
        if not pending or now > deadline:
            return now
        time.sleep(0.001)


def alternate(reps: int, *commands) -> list[float]:
    """Median seconds of each (argv_factory, env) pair, timed alternately (one warm-up run each)."""
    return [statistics.median(t) for t in alternate_samples(reps, *commands)]


def spread(samples: list[float]) -> str:
    """The middle half of the runs (first to third quartile), in ms."""
    q = statistics.quantiles(samples, n=4)
    return f"{q[0] * 1000:.0f}-{q[2] * 1000:.0f}"


def has_command(verb: str) -> bool:
    with tempfile.TemporaryDirectory() as d:
        p = run(os.path.join(d, "probe.db"), [verb, "--help"], check=False)
    return p.returncode == 0 and b"unknown command" not in p.stderr


# --------------------------------------------------------------------------- manifests
def services_yaml(n: int, apps: int, prefix: str = "s", svc_type: str = "ClusterIP") -> str:
    docs = []
    for i in range(n):
        sel = f"  selector:\n    app: a{i % apps}\n" if apps else ""
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {prefix}{i}\n  labels:\n    bench: svc\n"
                    f"spec:\n  type: {svc_type}\n{sel}  ports:\n  - name: http\n    port: 80\n    targetPort: 80\n")
    return "---\n".join(docs)


def deployments_yaml(n: int, replicas: int) -> str:
    # enableServiceLinks: false, as one sets it in a namespace of 10,000 services: with
    # service links each container would get ~70,000 variables (7 per service), in
    # Kubernetes as here, and a real runtime refuses an environment that large.
    docs = []
    for i in range(n):
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: d{i}
  labels:
    app: a{i}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: a{i}
  template:
    metadata:
      labels:
        app: a{i}
    spec:
      enableServiceLinks: false
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
""")
    return "---\n".join(docs)


def one_deployment_yaml(name: str) -> str:
    """A small Deployment manifest (2 replicas, one container), as one applies by hand."""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
"""


def write(path: str, text: str) -> str:
    with open(path, "w") as f:
        f.write(text)
    return path


def write_split(directory: str, docs: list[str], per_file: int = 1000) -> str:
    """The documents as files of `per_file` documents in one directory, for one `apply -f DIR`:
    minikctl's manifest reader refuses a single file of more than 200,000 values (a guard
    against YAML bombs), and 11,000 objects hold about 250,000."""
    os.makedirs(directory, exist_ok=True)
    for i in range(0, len(docs), per_file):
        write(os.path.join(directory, f"{i // per_file:03d}.yaml"), "---\n".join(docs[i:i + per_file]))
    return directory


def new_cluster(state: str, *extra: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(state + suffix):
            os.remove(state + suffix)
    run(state, ["cluster", "create", "--clock", "manual", *extra])


def object_count(state: str) -> tuple[int, int]:
    """(objects in the store, resourceVersion counter = writes so far), read directly."""
    con = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        n = con.execute("SELECT count(*) FROM objects").fetchone()[0]
        rv = int(con.execute("SELECT value FROM meta WHERE key='rv'").fetchone()[0])
        return n, rv
    finally:
        con.close()


def first_pod(state: str, app: str) -> str | None:
    p = run(state, ["get", "pods", "-l", f"app={app}", "-o", "name"], check=False)
    names = p.stdout.decode().split()
    return names[0].split("/", 1)[1] if p.returncode == 0 and names else None


# ----------------------------------------------------------------------------- figures
class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, figure: str, target: str, measured: str, ok: bool | None) -> None:
        status = "ok" if ok else ("MISSED" if ok is False else "-")
        self.rows.append((figure, target, measured, status))
        print(f"  {figure}: {measured} (target {target}) {status}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = ("figure", "target", "measured (median)", "met")
        w = [max(len(r[i]) for r in self.rows + [head]) for i in range(4)]
        line = lambda r: "  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip()  # noqa: E731
        return "\n".join([line(head), line(tuple("-" * x for x in w))] + [line(r) for r in self.rows])


def ms(s: float) -> str:
    return f"{s * 1000:.0f} ms"


def ratio_row(table: Table, figure: str, limit: float, big: float, small: float, what=("", "")) -> None:
    r = big / small
    table.add(figure, f"<= {limit:.1f}x", f"{r:.2f}x ({ms(big)}{what[0]} / {ms(small)}{what[1]})", r <= limit)


def figure1(table: Table, work: str, small: str, reps: int) -> float:
    """Start-up cost (issue 12): `get svc` on the 100-service cluster and `apply -f` of one small
    Deployment into it (a new one each run: validated, admitted and stored when the command
    returns, as kube-apiserver answers; its ReplicaSet and pods are made, scheduled and started by
    the controllers in a process the command forks, waited for untimed after each run and shown
    in a reference row), against kubectl 1.32's offline `create service clusterip
    --dry-run=client -o yaml` (the plain binary; the /usr/bin/kubectl dispatcher is timed too, for
    reference). All of them side by side, alternately, in one run. Returns kubectl's median."""
    k_env = dict(os.environ)
    k_env["KUBECONFIG"] = os.path.join(work, "no-kubeconfig")
    manifests = [write(os.path.join(work, f"one-{i}.yaml"), one_deployment_yaml(f"bench-one-{i}"))
                 for i in range(reps + 1)]
    converged: list[float] = []

    def after_apply(started: float) -> None:
        # `apply` returns once the Deployment is stored; the controllers (ReplicaSet, pods
        # scheduled and started) run in a process it forks. Wait for them, untimed, so that no
        # timed command shares the CPU with them; their time is shown in a reference row.
        converged.append(wait_converged(small) - started)

    commands = [(lambda i: MK + ["get", "svc"], _env(small)),
                (lambda i: MK + ["apply", "-f", manifests[i]], _env(small), after_apply),
                (lambda i: [KUBECTL] + KUBECTL_ARGS, k_env)]
    wrapper = os.path.realpath(KUBECTL_WRAPPER) != os.path.realpath(KUBECTL) and os.path.exists(KUBECTL_WRAPPER)
    if wrapper:
        commands.append((lambda i: [KUBECTL_WRAPPER] + KUBECTL_ARGS, k_env))
    samples = alternate_samples(reps, *commands)
    get_s, apply_s, k_s = samples[:3]
    mk_get, mk_apply, k_t = (statistics.median(x) for x in (get_s, apply_s, k_s))
    kname = "kubectl 1.32" if KUBECTL.endswith("1.32") else "kubectl"
    for label, limit, t, ts in (
            (f"get svc (100 services) vs {kname} create svc --dry-run=client -o yaml", 1.0, mk_get, get_s),
            ("apply -f one Deployment (into that cluster) vs the same kubectl command", 1.3, mk_apply, apply_s)):
        r = t / k_t
        table.add(f"1  {label}", f"<= {limit:.1f}x",
                  f"{r:.2f}x ({ms(t)} minikctl / {ms(k_t)} kubectl; middle half {spread(ts)} / {spread(k_s)} ms)",
                  r <= limit)
    conv = converged[1:]  # the warm-up run is not counted
    table.add("1  (reference) that apply, until its controllers are done in the background",
              "-", f"{ms(statistics.median(conv))} (middle half {spread(conv)} ms; pods running; apply returned before)",
              None)
    if wrapper:
        w_s = samples[3]
        w_t = statistics.median(w_s)
        table.add(f"1  (reference) {KUBECTL_WRAPPER}, the version dispatcher, same command", "-",
                  f"{ms(w_t)} (middle half {spread(w_s)} ms): get svc {mk_get / w_t:.2f}x, apply {mk_apply / w_t:.2f}x",
                  None)
    return k_t


def figure5(table: Table, work: str, runs: int) -> None:
    """create deployment big --replicas=N on a fresh 50-node cluster: the whole command
    (pods created, scheduled, started or left Pending, events), its peak memory, and the
    cost per pod at 5,000 and 20,000 replicas."""
    state = os.path.join(work, "replicas.db")
    times: dict[int, list[float]] = {MID_REPLICAS: [], BIG_REPLICAS: []}
    peaks: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        for n in (MID_REPLICAS, BIG_REPLICAS):
            new_cluster(state, "--nodes", BIG_NODES)
            memf = os.path.join(work, "replicas.mem")
            argv = ["/usr/bin/time", "-f", "%M", "-o", memf] + MK + [
                "create", "deployment", "big", "--image=nginx", f"--replicas={n}"]
            dt, cpu = wall_cpu(argv, _env(state))
            times[n].append(dt)
            if n == BIG_REPLICAS:
                cpus.append(cpu)
                with open(memf) as f:
                    peaks.append(int(f.read().split()[-1]) / 1024)
    big, mid = statistics.median(times[BIG_REPLICAS]), statistics.median(times[MID_REPLICAS])
    table.add(f"5  create deployment --replicas={BIG_REPLICAS:,} on {BIG_NODES} nodes", "<= 20 s",
              f"{big:.1f} s (cpu {statistics.median(cpus):.1f} s)", big <= 20)
    peak = statistics.median(peaks)
    table.add("5  peak memory of that create", "<= 300 MiB", f"{peak:.0f} MiB", peak <= 300)
    per_big, per_mid = big / BIG_REPLICAS, mid / MID_REPLICAS
    r = per_big / per_mid
    table.add(f"5  cost per pod: {BIG_REPLICAS:,} vs {MID_REPLICAS:,} replicas", "<= 1.3x",
              f"{r:.2f}x ({per_big * 1000:.2f} ms / {per_mid * 1000:.2f} ms; {mid:.1f} s for {MID_REPLICAS:,})",
              r <= 1.3)


LIFE_RUNNING, LIFE_CRASHING, LIFE_NODES = 1_000, 100, "12"


def lifecycle_yaml(running: int, crashing: int) -> str:
    """`running` nginx pods with HTTP readiness and liveness probes, `crashing` busybox pods that
    exit 1 as they start (CrashLoopBackOff)."""
    probe = "{httpGet: {path: /, port: 80}, periodSeconds: 10}"
    docs = [f"apiVersion: v1\nkind: Pod\nmetadata: {{name: run-{i}}}\nspec:\n  containers:\n"
            f"  - {{name: web, image: nginx:1.27, readinessProbe: {probe}, livenessProbe: {probe}}}\n"
            for i in range(running)]
    docs += [f"apiVersion: v1\nkind: Pod\nmetadata: {{name: crash-{i}}}\nspec:\n  containers:\n"
             f"  - {{name: c, image: busybox:1.36, command: [sh, -c, 'echo crash; exit 1']}}\n"
             for i in range(crashing)]
    return "---\n".join(docs)


def figure6(table: Table, work: str, runs: int) -> None:
    """clock advance 1h on 1,000 running pods with readiness and liveness probes and 100 crash-looping
    pods (issue 10): each pod's probes and timers are fast-forwarded once steady, so the work is
    O(events), not O(ticks x pods). Each run starts from a copy of the same cluster."""
    base = os.path.join(work, "life.db")
    new_cluster(base, "--nodes", LIFE_NODES)
    run(base, ["apply", "-f", write(os.path.join(work, "life.yaml"), lifecycle_yaml(LIFE_RUNNING, LIFE_CRASHING))])
    run(base, ["clock", "advance", "1m"])  # past the start: probes steady, back-offs running
    times = []
    for i in range(runs):
        state = os.path.join(work, f"life-{i}.db")
        con = sqlite3.connect(base)
        try:
            con.execute("VACUUM INTO ?", (state,))
        finally:
            con.close()
        times.append(wall(MK + ["clock", "advance", "1h"], _env(state)))
    t = statistics.median(times)
    table.add(f"6  clock advance 1h, {LIFE_RUNNING:,} pods with probes + {LIFE_CRASHING} crash-looping", "<= 5 s",
              f"{t:.2f} s", t <= 5.0)

LAB_TASKS, LAB_STUDENTS = 20, 30
# The checks of figure 7's lab, one list per task, cycled over its 20 tasks: every read-only
# check type (a `command` check runs a whole command on a copy of the store, so one of them).
_LAB_CHECKS = [
    "[{exists: deployment/web}, {jsonpath: service/web, path: '{.spec.ports[0].port}', equals: 80}]",
    "[{readyPods: app=web, count: 3}]",
    "[{endpoints: web, selector: app=web}]",
    "[{http: 'http://web', from: role=client, body: nginx}]",
    "[{dns: web.default.svc.cluster.local, from: role=client}]",
    "[{env: GREETING, pod: role=client, value: hello}]",
    "[{logs: boom, pod: run=crasher}, {event: BackOff, object: pod/crasher}]",
    "[{absent: service/nope}, {jsonpath: configmap/cfg, path: '{.data.mode}', matches: '^f'}]",
    "[{http: 'http://web/nope', from: pod/client, status: 404}]",
    "[{dns: nope.default.svc.cluster.local, from: role=client, resolves: false}]",
]


def lab_yaml(tasks: int) -> str:
    """A lab of `tasks` tasks whose setup already solves them all."""
    out = ["name: bench", "title: bench", "level: beginner", "time: 5m", "setup:",
           "  clock: {mode: manual, start: '2026-01-05T09:00:00Z'}", "  commands:",
           "    - minikctl create deployment web --image=nginx --replicas=3 --port=80",
           "    - minikctl expose deployment web --port=80",
           "    - minikctl run client --image=curlimages/curl --labels=role=client --env=GREETING=hello "
           "--command -- sleep infinity",
           "    - minikctl create configmap cfg --from-literal=mode=fast",
           "    - minikctl run crasher --image=busybox -- sh -c 'echo boom; exit 1'",
           "    - minikctl clock advance 30s", "tasks:"]
    for i in range(tasks):
        checks = _LAB_CHECKS[i % len(_LAB_CHECKS)]
        if i == tasks - 1:
            checks = "[{command: 'minikctl get svc web -o name', output: service/web}]"
        out += [f"  - name: t{i}", "    text: t", f"    checks: {checks}"]
    return "\n".join(out) + "\n"


def figure9(table: Table, work: str, runs: int) -> None:
    """`lab check` of a 20-task lab on its store (whole process: read-only open, every check type,
    one `command` check on a copy), and `lab grade` of a folder of 30 such student stores."""
    lab = write(os.path.join(work, "bench-lab.yaml"), lab_yaml(LAB_TASKS))
    state = os.path.join(work, "lab.db")
    for suffix in ("", "-lab-start"):
        if os.path.exists(state + suffix):
            os.remove(state + suffix)
    run(state, ["lab", "start", lab, "--dir", os.path.join(work, "lab-files")])
    reps = max(5, runs)
    t = alternate(reps, (lambda i: MK + ["lab", "check"], _env(state)))[0]
    table.add(f"9  lab check, a lab of {LAB_TASKS} tasks", "<= 1 s", ms(t), t <= 1.0)
    klass = os.path.join(work, "class")
    os.makedirs(klass, exist_ok=True)
    for i in range(LAB_STUDENTS):
        con = sqlite3.connect(state)
        try:
            con.execute("VACUUM INTO ?", (os.path.join(klass, f"student{i:02d}.db"),))
        finally:
            con.close()
    g = alternate(runs, (lambda i: MK + ["lab", "grade", klass], _env(state)))[0]
    table.add(f"9  lab grade, {LAB_STUDENTS} student stores of that lab", "<= 10 s", f"{g:.2f} s", g <= 10.0)


def figure10(table: Table, work: str, runs: int) -> None:
    """`minikctl serve` (issue 14): tests/perf/bench_serve.py."""
    try:
        import aiohttp  # noqa: F401 - the server extra
    except ImportError:
        table.add("10 serve", "-", 'pending: needs the server extra (pip install "minikctl[server]")', None)
        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_serve import figure10 as serve_figure

    serve_figure(table, work, runs, MK, _env, ms, new_cluster)


CRON_JOBS, CRON_ADVANCE = 20, "24h"


def cronjobs_yaml(n: int) -> str:
    """n CronJobs running every minute, each Job's pod done at once (issue 11), default history limits."""
    return "---\n".join(f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: cron{i}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: ["sh", "-c", "echo hi"]
""" for i in range(n))


def figure7(table: Table, work: str, runs: int) -> None:
    """clock advance 24h over 20 CronJobs scheduled every minute (issue 11): 28,800 runs, of which
    the history limits keep 3 Jobs each. Each run starts from a copy of the same cluster; the
    history limits are checked after it."""
    base = os.path.join(work, "cron.db")
    new_cluster(base)
    run(base, ["apply", "-f", write(os.path.join(work, "cron.yaml"), cronjobs_yaml(CRON_JOBS))])
    times, cpus = [], []
    for i in range(runs):
        state = os.path.join(work, f"cron-{i}.db")
        con = sqlite3.connect(base)
        try:
            con.execute("VACUUM INTO ?", (state,))
        finally:
            con.close()
        dt, cpu = wall_cpu(MK + ["clock", "advance", CRON_ADVANCE], _env(state))
        times.append(dt)
        cpus.append(cpu)
        jobs = run(state, ["get", "jobs", "--no-headers"]).stdout.decode().splitlines()
        if len(jobs) != 3 * CRON_JOBS or any(" Complete " not in j for j in jobs):
            raise SystemExit(f"bench: figure 7: {len(jobs)} Jobs left, expected {3 * CRON_JOBS} complete ones")
    t, cpu = statistics.median(times), statistics.median(cpus)
    table.add(f"7  clock advance {CRON_ADVANCE}, {CRON_JOBS} CronJobs every minute (history limits kept)", "<= 10 s",
              f"{t:.2f} s (cpu {cpu:.2f} s)", t <= 10.0)


MIX_NODES, MIX_DAEMONSETS, MIX_STATEFULSETS, MIX_STS_REPLICAS, MIX_JOBS, MIX_JOB_PODS = "50", 4, 10, 30, 10, 50


def workload_mix_yaml() -> str:
    """4 DaemonSets (one pod per worker: 196 pods), 10 StatefulSets x 30 and 10 Jobs of 50 pods run
    in parallel: about 1,000 pods (issue 11)."""
    docs = []
    for i in range(MIX_DAEMONSETS):
        docs.append(f"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: ds{i}}}\nspec:\n"
                    f"  selector: {{matchLabels: {{app: ds{i}}}}}\n"
                    f"  template:\n    metadata: {{labels: {{app: ds{i}}}}}\n    spec:\n      containers:\n"
                    f"      - {{name: agent, image: 'busybox:1.36', command: [sleep, infinity]}}\n")
    for i in range(MIX_STATEFULSETS):
        docs.append(f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: sts{i}}}\nspec:\n"
                    f"  serviceName: sts{i}\n  replicas: {MIX_STS_REPLICAS}\n"
                    f"  selector: {{matchLabels: {{app: sts{i}}}}}\n"
                    f"  template:\n    metadata: {{labels: {{app: sts{i}}}}}\n    spec:\n      containers:\n"
                    f"      - {{name: web, image: 'nginx:1.27'}}\n")
    for i in range(MIX_JOBS):
        docs.append(f"apiVersion: batch/v1\nkind: Job\nmetadata: {{name: job{i}}}\nspec:\n"
                    f"  completions: {MIX_JOB_PODS}\n  parallelism: {MIX_JOB_PODS}\n"
                    f"  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
                    f"      - {{name: work, image: 'busybox:1.36', command: [sh, -c, echo done]}}\n")
    return "---\n".join(docs)


def figure8(table: Table, work: str, runs: int) -> None:
    """One `apply -f` of ~1,000 pods' worth of DaemonSets, StatefulSets and Jobs on 50 nodes
    (issue 11): the command returns when every controller converged (pods created, scheduled,
    started; the Jobs complete)."""
    path = write(os.path.join(work, "mix.yaml"), workload_mix_yaml())
    state = os.path.join(work, "mix.db")
    times, cpus, pods = [], [], 0
    for _ in range(runs):
        new_cluster(state, "--nodes", MIX_NODES)
        dt, cpu = wall_cpu(MK + ["apply", "-f", path], _env(state))
        times.append(dt)
        cpus.append(cpu)
        con = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        try:
            pods = con.execute("SELECT count(*) FROM objects WHERE resource='pods' AND namespace='default'").fetchone()[0]
        finally:
            con.close()
    t, cpu = statistics.median(times), statistics.median(cpus)
    table.add(f"8  apply -f: DaemonSets + StatefulSets + Jobs, {pods:,} pods on {MIX_NODES} nodes", "<= 3 s",
              f"{t:.2f} s (cpu {cpu:.2f} s)", t <= 3.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (5 timed runs, 1 bulk apply)")
    ap.add_argument("--keep", metavar="DIR", help="build the clusters in DIR and keep them")
    ap.add_argument("--only", choices=["1", "5", "6", "7", "8", "9", "10"], help="time only this figure (1: start-up)")
    ap.add_argument("--minikctl", metavar="PATH", help="the console script to time, e.g. a wheel install's "
                    "(python -m venv V && V/bin/pip install .; --minikctl V/bin/minikctl)")
    ap.add_argument("--wheel", action="store_true", help="install this checkout into a scratch venv "
                    "(python -m venv, pip install) and time that console script: what users run, without the "
                    "editable install's finder and this interpreter's other .pth hooks")
    ap.add_argument("--runs", type=int, metavar="N", help="timed runs per command (default 11, --quick 5)")
    opts = ap.parse_args()
    reps = opts.runs or (5 if opts.quick else 11)
    bulk_runs = 1 if opts.quick else 3
    global MK
    if opts.minikctl:
        MK = [os.path.abspath(opts.minikctl)]
    if opts.wheel:
        venv = tempfile.mkdtemp(prefix="minikctl-bench-venv-")
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        print(f"bench: pip install {repo} into a scratch venv {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", repo], check=True)
        MK = [os.path.join(venv, "bin", "minikctl")]
        _SCRATCH.append(venv)

    # the package the timed script runs (its interpreter's), byte-compiled as a wheel install does
    with open(MK[0], "rb") as f:
        first = f.readline()
    py = first[2:].decode().strip().split()[0] if first.startswith(b"#!") else sys.executable
    pkg = subprocess.run([py, "-c", "import minikctl, os; print(os.path.dirname(minikctl.__file__))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    print(f"bench: python -m compileall -q {pkg} (byte-compile first, as a wheel install does)", file=sys.stderr)
    subprocess.run([py, "-m", "compileall", "-q", pkg], check=True, stdout=subprocess.DEVNULL)
    work = opts.keep or tempfile.mkdtemp(prefix="minikctl-bench-")
    os.makedirs(work, exist_ok=True)
    print(f"bench: {' '.join(MK)}; clusters in {work}", file=sys.stderr)
    table = Table()
    if opts.only in ("5", "6", "7", "8", "9", "10"):
        {"5": figure5, "6": figure6, "7": figure7, "8": figure8, "9": figure9,
         "10": figure10}[opts.only](table, work, bulk_runs)
        print()
        print(table.render())
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 1 if any(r[3] == "MISSED" for r in table.rows) else 0
    have_exec, have_nslookup = has_command("exec"), has_command("nslookup")

    # ---- clusters: small (100 services, 10 deployments x3), empty, node ports 99% taken
    small = os.path.join(work, "small.db")
    new_cluster(small, "--nodes", NODES)
    run(small, ["apply", "-f", write(os.path.join(work, "small.yaml"),
                                     services_yaml(SMALL_SERVICES, SMALL_DEPLOYMENTS) + "---\n"
                                     + deployments_yaml(SMALL_DEPLOYMENTS, REPLICAS))])
    empty = os.path.join(work, "empty.db")
    new_cluster(empty)

    # ---- figure 1: start-up, get svc and apply -f of one object vs kubectl 1.32
    k_t = figure1(table, work, small, reps)
    if opts.only == "1":
        return finish(table, opts, work, reps, bulk_runs, k_t, py)

    # ---- figure 3: bulk apply (its last cluster is the 10,000-service cluster of figure 2)
    big_yaml = write_split(os.path.join(work, "big"), services_yaml(BIG_SERVICES, BIG_DEPLOYMENTS).split("---\n")
                           + deployments_yaml(BIG_DEPLOYMENTS, REPLICAS).split("---\n"))
    big = os.path.join(work, "big.db")
    rates, peaks, counts, cpus = [], [], [], []
    for _ in range(bulk_runs):
        new_cluster(big, "--nodes", NODES)
        n0, rv0 = object_count(big)
        memf = os.path.join(work, "apply.mem")
        argv = ["/usr/bin/time", "-f", "%M", "-o", memf] + MK + ["apply", "-f", big_yaml]
        dt, cpu = wall_cpu(argv, _env(big))
        cpus.append(cpu)
        n1, rv1 = object_count(big)
        with open(memf) as f:
            peaks.append(int(f.read().split()[-1]) / 1024)
        rates.append((n1 - n0) / dt)
        counts.append((n1 - n0, rv1 - rv0, dt))

    # ---- figure 2: scaling, 10,000 vs 100 services
    big_env, small_env = _env(big), _env(small)
    tables2 = [("get svc NAME", lambda i: MK + ["get", "svc", "s50"])]
    ratio_cmds = []
    for label, factory in tables2:
        b, s = alternate(reps, (factory, big_env), (factory, small_env))
        ratio_cmds.append((label, b, s))
    if have_exec:
        pb, ps = first_pod(big, "a50"), first_pod(small, "a5")
        if pb and ps:
            b, s = alternate(reps, (lambda i: MK + ["exec", pb, "--", "env"], big_env),
                             (lambda i: MK + ["exec", ps, "--", "env"], small_env))
            ratio_cmds.append(("exec POD -- env", b, s))
        else:
            ratio_cmds.append(("exec POD -- env", None, "pending: no running pods (controllers not available)"))
    else:
        ratio_cmds.append(("exec POD -- env", None, PENDING))
    if have_nslookup:
        b, s = alternate(reps, (lambda i: MK + ["nslookup", "s50"], big_env),
                         (lambda i: MK + ["nslookup", "s50"], small_env))
        ratio_cmds.append(("nslookup NAME", b, s))
    else:
        ratio_cmds.append(("nslookup NAME", None, PENDING))
    b, s = alternate(reps, (lambda i: MK + ["create", "service", "clusterip", f"bench-{i}", "--tcp=80"], big_env),
                     (lambda i: MK + ["create", "service", "clusterip", f"bench-{i}", "--tcp=80"], small_env))
    ratio_cmds.append(("create service clusterip", b, s))
    for label, b, s in ratio_cmds:
        fig = f"2  {label}: 10,000 vs 100 services"
        if b is None:
            table.add(fig, "<= 1.3x", s, None)
        else:
            ratio_row(table, fig, 1.3, b, s)

    n, writes, dt = counts[len(counts) // 2]
    rate = statistics.median(rates)
    table.add(f"3  apply -f DIR: {BIG_SERVICES:,} Services + {BIG_DEPLOYMENTS:,} Deployments x{REPLICAS}", ">= 2,000 objects/s",
              f"{rate:,.0f} objects/s ({n:,} objects, {writes:,} writes, {dt:.1f} s; cpu {statistics.median(cpus):.1f} s)",
              rate >= 2000)
    peak = statistics.median(peaks)
    table.add("3  peak memory of that apply", "<= 200 MiB", f"{peak:.0f} MiB", peak <= 200)
    for what in ("svc", "endpoints"):
        t = alternate(reps, (lambda i: MK + ["get", what, "-A"], big_env))[0]
        table.add(f"3  get {what} -A on that cluster", "<= 1.0 s", f"{t:.2f} s", t <= 1.0)

    # ---- figure 4: allocation under pressure vs an empty cluster
    full_np = os.path.join(work, "nodeports.db")
    new_cluster(full_np)
    run(full_np, ["apply", "-f", write(os.path.join(work, "nodeports.yaml"),
                                       services_yaml(NODE_PORT_FILL, 0, prefix="np", svc_type="NodePort"))])
    b, s = alternate(reps, (lambda i: MK + ["create", "service", "nodeport", f"bench-np-{i}", "--tcp=80"], _env(full_np)),
                     (lambda i: MK + ["create", "service", "nodeport", f"bench-np-{i}", "--tcp=80"], _env(empty)))
    ratio_row(table, f"4  create service nodeport, {NODE_PORT_FILL:,}/{NODE_PORT_RANGE:,} node ports taken vs empty",
              1.3, b, s)
    b, s = alternate(reps, (lambda i: MK + ["create", "service", "clusterip", f"bench-ip-{i}", "--tcp=80"], big_env),
                     (lambda i: MK + ["create", "service", "clusterip", f"bench-ip-{i}", "--tcp=80"], _env(empty)))
    ratio_row(table, f"4  create service clusterip, {BIG_SERVICES:,}+ IPs taken in a /12 vs empty", 1.3, b, s)

    # ---- figure 5: one deployment of 20,000 replicas
    figure5(table, work, bulk_runs)
    # ---- figure 6: the kubelet's timers over an hour (probes, crash loops)
    figure6(table, work, bulk_runs)
    # ---- figure 7: a day of CronJobs; figure 8: a thousand pods of DaemonSets, StatefulSets, Jobs
    figure7(table, work, bulk_runs)
    figure8(table, work, bulk_runs)
    # ---- figure 9: classroom labs (issue 13): lab check of 20 tasks, lab grade of 30 stores
    figure9(table, work, bulk_runs)
    # ---- figure 10: minikctl serve (issue 14): Table list, creates through the API, watch delay
    figure10(table, work, bulk_runs)

    return finish(table, opts, work, reps, bulk_runs, k_t, py)


def main_cleaning_up() -> int:
    try:
        return main()
    finally:
        for d in _SCRATCH:
            shutil.rmtree(d, ignore_errors=True)


_SCRATCH: list[str] = []  # scratch venvs (--wheel), removed at the end


def finish(table: Table, opts, work: str, reps: int, bulk_runs: int, k_t: float, py: str) -> int:
    """The table, then the context: python's own start-up (with and without `site`) beside kubectl."""
    py_t, py_s = alternate(reps, (lambda i: [py, "-c", "pass"], None), (lambda i: [py, "-S", "-c", "pass"], None))
    print()
    print(table.render())
    print()
    print(f"{'quick' if opts.quick else 'full'} run: {reps} timed runs per command (after one warm-up), "
          f"{bulk_runs} bulk apply(s); {os.cpu_count()} CPUs; minikctl {' '.join(MK)}; "
          f"python start-up alone {ms(py_t)} ({ms(py_s)} with -S); kubectl {ms(k_t)} ({KUBECTL})")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    missed = [r for r in table.rows if r[3] == "MISSED"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main_cleaning_up())
