"""Classroom labs (issue 13, "Labs"): the lab format and its lint (FILE:LINE errors, exit 1), every
check type passing and failing (with what it expected and what it found), lab start / status /
check / hint / reset / solution / list / grade through the real entry point, JSON and JUnit
output, and the proof that a check never writes the store it reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import CLOCK_START, run_inprocess
from tests.helpers import file_digest

MINI_LAB = """\
name: mini
title: A small lab
level: beginner
time: 5m
setup:
  clock: {mode: manual, start: "2026-01-05T09:00:00Z"}
  commands:
    - minikctl create deployment web --image=nginx --port=80
  files:
    notes.txt: |
      expose web on port 80
tasks:
  - name: expose
    title: Expose web
    text: |
      Expose the Deployment **web** on port 80.
    hints:
      - "`minikctl expose --help`"
      - "`minikctl expose deployment web --port=80`"
    solution:
      - minikctl expose deployment web --port=80
    checks:
      - endpoints: web
        selector: app=web
  - name: scale
    title: Scale web
    points: 2
    text: Scale **web** to 2 replicas.
    solution:
      - minikctl scale deployment web --replicas=2
    checks:
      - readyPods: app=web
        count: 2
"""


@pytest.fixture
def lab_env(tmp_path, monkeypatch):
    """A home of its own (config file, data directory) and a working directory for lab files."""
    monkeypatch.chdir(tmp_path)
    env = {"MINIKCTL_CONFIG": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    monkeypatch.setenv("MINIKCTL_CONFIG", env["MINIKCTL_CONFIG"])
    monkeypatch.setenv("XDG_DATA_HOME", env["XDG_DATA_HOME"])
    return tmp_path


def write_lab(tmp_path, text: str, name: str = "lab.yaml") -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


# --------------------------------------------------------------------------- format and lint
def test_lint_accepts_a_valid_lab(mk, tmp_path):
    path = write_lab(tmp_path, MINI_LAB)
    r = mk(["lab", "lint", path])
    assert (r.code, r.out, r.err) == (0, f"{path}: ok (lab mini, 2 tasks, 3 points)\n", "")


BAD_LABS = [
    # (text, expected lines after "FILE:")
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks: []\n",
     ["5: tasks: must have at least 1 item(s)"]),
    ("name: x\ntitle: t\nlevel: expert\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks: [{exists: pod/a}]\n",
     ["3: level: must be one of beginner, intermediate, advanced, not 'expert'"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checkz: []\n",
     ['6: tasks[0]: missing required field "checks"',
      '8: tasks[0].checkz: unknown field "checkz" (known: checks, hints, name, points, solution, text, title)']),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks:\n  - exists: pod/a\n    absent: pod/b\n",
     ["9: tasks[0].checks[0]: must have exactly one check type (exists, absent, jsonpath, readyPods, endpoints, "
      "http, dns, env, logs, event, command); it has 2: exists, absent"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks:\n  - jsonpath: svc/web\n"
     "    path: '{.spec'\n    equals: x\n",
     ["10: tasks[0].checks[0].path: invalid JSONPath template: unclosed action"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks:\n  - readyPods: app=web\n"
     "    selector: app=web\n",
     ['10: tasks[0].checks[0].selector: field "selector" does not apply to a readyPods check (it takes: count, '
      'description, namespace)']),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks:\n  - exists: pods\n",
     ["9: tasks[0].checks[0].exists: 'pods' must be TYPE/NAME, e.g. service/web"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks:\n  - logs: '(['\n    pod: app=x\n",
     ["9: tasks[0].checks[0].logs: invalid regular expression: unterminated character set at position 1"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  solution:\n"
     "  - minikctl get pods | grep web\n  checks: [{exists: pod/a}]\n",
     ["9: tasks[0].solution[0]: a command line must be one minikctl command, without shell operators (|)"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks:\n"
     "  - command: minikctl exec $(minikctl get pods -o name) -- ls\n",
     ["9: tasks[0].checks[0].command: a command line must not use shell substitutions ($VAR, $(...), `...`): "
      "checks never depend on generated names"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\nsetup:\n  files:\n    ../etc/passwd: x\ntasks:\n- name: a\n"
     "  text: t\n  checks: [{exists: pod/a}]\n",
     ["7: setup.files.../etc/passwd: '../etc/passwd' must be a plain file name (letters, digits, . _ -): "
      "files go to the lab's directory"]),
    ("name: x\ntitle: t\ntitle: u\nlevel: beginner\n", ['3: duplicate key "title" (first at line 2)']),
    ("name: x\ntitle: [t\n", ["3: invalid YAML: did not find expected ',' or ']'"]),
    ("name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks:\n- name: a\n  text: t\n  checks: [{exists: pod/a}]\n"
     "- name: a\n  text: t\n  checks: [{exists: pod/a}]\n", ['9: tasks[1].name: duplicate task name "a" (task 1)']),
]


@pytest.mark.parametrize("text,expected", BAD_LABS)
def test_lint_reports_file_and_line(mk, tmp_path, text, expected):
    path = write_lab(tmp_path, text)
    r = mk(["lab", "lint", path])
    assert r.code == 1
    assert r.out == ""
    assert r.err.splitlines() == [f"{path}:{e}" for e in expected]


def test_lint_several_files_and_a_missing_one(mk, tmp_path):
    good = write_lab(tmp_path, MINI_LAB, "good.yaml")
    r = mk(["lab", "lint", good, str(tmp_path / "none.yaml")])
    assert r.code == 1
    assert r.out == f"{good}: ok (lab mini, 2 tasks, 3 points)\n"
    assert r.err == f"{tmp_path / 'none.yaml'}:0: no such file\n"


def test_start_with_a_malformed_lab_is_one_error_per_problem_and_creates_nothing(mk, tmp_path, state):
    path = write_lab(tmp_path, "name: x\ntitle: t\nlevel: beginner\ntime: 5m\ntasks: []\n")
    r = mk(["lab", "start", path])
    assert (r.code, r.out, r.err) == (1, "", f"error: {path}:5: tasks: must have at least 1 item(s)\n")
    assert not os.path.exists(state)


def test_schema_is_shipped_and_documents_every_check_type():
    from minikctl.labs.checks import TYPES
    from minikctl.labs.loader import schema

    s = schema()
    branches = [b["required"][0] for b in s["$defs"]["check"]["oneOf"]]
    assert branches == list(TYPES)
    props = s["$defs"]["check"]["properties"]
    for req, opt in TYPES.values():
        assert set(req + opt) <= set(props)


# --------------------------------------------------------------------------- every check type
@pytest.fixture(scope="module")
def checked_store(tmp_path_factory):
    """A cluster with something for every check type: a Deployment and its Service, a client pod
    with an env var, a ConfigMap, a crash-looping pod (logs, BackOff event)."""
    state = str(tmp_path_factory.mktemp("checks") / "state.db")
    for cmd in (["cluster", "create", "--clock", "manual", "--clock-start", CLOCK_START],
                ["create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80"],
                ["expose", "deployment", "web", "--port=80"],
                ["run", "client", "--image=curlimages/curl", "--labels=role=client", "--env=GREETING=hello",
                 "--command", "--", "sleep", "infinity"],
                ["create", "configmap", "cfg", "--from-literal=mode=fast"],
                ["run", "crasher", "--image=busybox", "--", "sh", "-c", "echo boom; exit 1"],
                ["clock", "advance", "30s"]):
        r = run_inprocess(cmd, state)
        assert r.code == 0, r
    return state


CHECKS = [
    # (check, passes, message or None when it depends on generated names)
    ({"exists": "deployment/web"}, True, "deployment/web exists"),
    ({"exists": "deployment/nope"}, False, "expected deployment/nope in namespace default to exist, found none"),
    ({"exists": "node/minikctl-worker"}, True, "node/minikctl-worker exists"),
    ({"absent": "service/nope"}, True, "service/nope is absent"),
    ({"absent": "svc/web"}, False, "expected no service/web in namespace default, found one"),
    ({"jsonpath": "service/web", "path": "{.spec.ports[0].port}", "equals": 80}, True,
     "service/web {.spec.ports[0].port} is '80'"),
    ({"jsonpath": "service/web", "path": "{.spec.ports[0].port}", "equals": 81}, False,
     "expected service/web {.spec.ports[0].port} to be '81', found '80'"),
    ({"jsonpath": "configmap/cfg", "path": "{.data.mode}", "matches": "^f"}, True,
     "configmap/cfg {.data.mode} matches '^f'"),
    ({"jsonpath": "configmap/cfg", "path": "{.data.nothing}", "matches": "."}, False,
     "expected configmap/cfg {.data.nothing} to match '.', found nothing"),
    ({"jsonpath": "configmap/none", "path": "{.data}", "equals": ""}, False,
     "expected configmap/none in namespace default to exist, found none"),
    ({"readyPods": "app=web", "count": 2}, True, "2 ready pod(s) match app=web"),
    ({"readyPods": "app=web", "count": 3}, False,
     "expected 3 ready pod(s) matching app=web in namespace default, found 2"),
    ({"readyPods": "run=crasher"}, False,
     "expected at least 1 ready pod(s) matching run=crasher in namespace default, found 0 "
     "(of 1 matching; not ready: 1 CrashLoopBackOff)"),
    ({"readyPods": "app=nothing"}, False,
     "expected at least 1 ready pod(s) matching app=nothing in namespace default, found 0 (no pod matches)"),
    ({"endpoints": "web", "selector": "app=web"}, True, "the endpoints of service/web are the 2 ready pod(s) matching app=web"),
    ({"endpoints": "web", "selector": "role=client"}, False, None),
    ({"endpoints": "nope", "selector": "app=web"}, False, "expected service/nope in namespace default to exist, found none"),
    ({"http": "http://web", "from": "role=client", "body": "Welcome to nginx"}, True,
     "GET http://web from a pod role=client answered 200"),
    ({"http": "http://web/nope", "from": "pod/client", "status": 404}, True,
     "GET http://web/nope from a pod pod/client answered 404"),
    ({"http": "http://web/nope", "from": "role=client"}, False,
     "expected GET http://web/nope from a pod role=client to answer 200, found 404"),
    ({"http": "http://web", "from": "role=client", "body": "^Hello"}, False,
     "expected the body of GET http://web from a pod role=client to match '^Hello', found '<!DOCTYPE html>'"),
    ({"http": "http://10.96.0.10/", "from": "outside"}, False,
     "expected GET http://10.96.0.10/ from outside the cluster to answer 200, found: "
     "curl: (28) Connection timed out after 2001 milliseconds"),
    ({"http": "http://web", "from": "role=nobody"}, False,
     "expected a pod matching role=nobody in namespace default, found none"),
    ({"dns": "web.default.svc.cluster.local", "from": "role=client"}, True,
     "web.default.svc.cluster.local resolves from a pod role=client"),
    ({"dns": "nope", "from": "role=client", "resolves": False}, True, "nope does not resolve from a pod role=client"),
    ({"dns": "nope.default.svc.cluster.local", "from": "role=client"}, False,
     "expected nope.default.svc.cluster.local to resolve from a pod role=client, found: "
     "** server can't find nope.default.svc.cluster.local: NXDOMAIN"),
    ({"dns": "kubernetes.default.svc.cluster.local", "from": "pod/client", "resolves": False}, False,
     "expected kubernetes.default.svc.cluster.local not to resolve from a pod pod/client, found 10.96.0.1"),
    ({"dns": "web", "from": "role=client"}, True, "web resolves from a pod role=client"),
    ({"env": "GREETING", "pod": "role=client", "value": "hello"}, True, "GREETING=hello"),
    ({"env": "WEB_SERVICE_HOST", "pod": "pod/client", "matches": r"^10\."}, True, None),
    ({"env": "GREETING", "pod": "role=client", "value": "bye"}, False,
     "expected GREETING=bye in the environment of container client of a pod role=client, found GREETING=hello"),
    ({"env": "GREET", "pod": "role=client"}, False,
     "expected GREET in the environment of container client of a pod role=client, found none"),
    ({"logs": "^boom$", "pod": "run=crasher"}, True, "crasher logged 'boom'"),
    ({"logs": "ready", "pod": "pod/crasher"}, False,
     "expected a log line matching 'ready' from pods pod/crasher in namespace default, found none (last line: 'boom')"),
    ({"event": "BackOff", "object": "pod/crasher"}, True, None),
    ({"event": "Killing", "object": "pod/crasher"}, False,
     "expected an event Killing about pod/crasher in namespace default, found only BackOff, Created, Pulled, "
     "Pulling, Scheduled, Started"),
    ({"event": "Scheduled", "message": "to minikctl-nowhere"}, False, None),
    ({"command": "minikctl get svc web -o name"}, True, "`minikctl get svc web -o name` exited 0"),
    ({"command": "minikctl get svc nope", "exit": 1, "output": "NotFound"}, True,
     "`minikctl get svc nope` exited 1"),
    ({"command": "minikctl get svc nope"}, False,
     '`minikctl get svc nope` to exit 0, found exit code 1: Error from server (NotFound): services "nope" not found'),
    ({"command": "minikctl get svc web -o name", "output": "^pod/"}, False,
     "expected the output of `minikctl get svc web -o name` to match '^pod/', found 'service/web'"),
    ({"exists": "deployment/nope", "description": "the web app"}, False,
     "the web app: expected deployment/nope in namespace default to exist, found none"),
]


@pytest.mark.parametrize("check,passes,message", CHECKS, ids=[f"{next(iter(c))}-{i}" for i, (c, _, _) in enumerate(CHECKS)])
def test_check_types(checked_store, check, passes, message):
    from minikctl.kubelet import journal as jn
    from minikctl.labs.checks import Env, lint_check, run_check
    from minikctl.labs.store import open_readonly

    assert lint_check(check) == []
    before = file_digest(checked_store)
    session = open_readonly(checked_store)
    try:
        with jn.snapshot(session) as (api, _journal):
            ok, msg = run_check(Env(api, checked_store), check)
    finally:
        session.close()
    assert ok is passes, msg
    if message is not None:
        if check.get("command") and not passes and message.startswith("`"):
            assert msg == f"expected {message}"
        else:
            assert msg == message
    else:
        assert ("expected" in msg) is not passes
    assert file_digest(checked_store) == before


def test_endpoints_check_names_what_it_expected_and_found(checked_store):
    from minikctl.kubelet import journal as jn
    from minikctl.labs.checks import Env, run_check
    from minikctl.labs.store import open_readonly

    session = open_readonly(checked_store)
    try:
        with jn.snapshot(session) as (api, _):
            pods = sorted(p["metadata"]["name"] for p in api.list("pods", "default") if p["metadata"]["name"].startswith("web-"))
            ok, msg = run_check(Env(api, checked_store), {"endpoints": "web", "selector": "role=client"})
    finally:
        session.close()
    assert not ok
    assert msg == ("expected the endpoints of service/web to be the ready pods matching role=client (client), "
                   f"found {', '.join(pods)}")


# --------------------------------------------------------------------------- a check never writes
def test_lab_check_never_writes_the_store_it_reads(checked_store, tmp_path):
    """http and dns checks run the simulated tools (which journal access-log lines), a command check
    runs a command that would write: the store's files stay byte for byte as they were."""
    lab = write_lab(tmp_path, textwrap.dedent("""\
        name: ro
        title: read-only
        level: beginner
        time: 1m
        tasks:
          - name: all
            text: everything at once
            checks:
              - http: http://web
                from: role=client
              - http: http://web
                from: role=client
              - dns: web
                from: role=client
              - logs: boom
                pod: run=crasher
              - command: minikctl label pod client touched=yes
                output: labeled
              - command: minikctl exec client -- sh -c 'echo x > /tmp/x'
              - absent: pod/never
        """))
    files = {s: open(checked_store + s, "rb").read() for s in ("", "-wal", "-shm") if os.path.exists(checked_store + s)}
    mtimes = {s: os.stat(checked_store + s).st_mtime_ns for s in files}
    r = run_inprocess(["lab", "check", "--lab", lab], checked_store)
    assert r.code == 0, r
    assert {s: open(checked_store + s, "rb").read() for s in files} == files
    assert {s: os.stat(checked_store + s).st_mtime_ns for s in files} == mtimes
    r = run_inprocess(["get", "pod", "client", "--show-labels", "--no-headers"], checked_store)
    assert "touched" not in r.out


def test_check_refuses_a_file_that_is_not_a_store(mk, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("hello")
    r = mk(["lab", "check", "--state", str(bad), "--lab", write_lab(tmp_path, MINI_LAB)])
    assert (r.code, r.out) == (1, "")
    assert r.err == f"error: {bad} is not a minikctl store (not a SQLite database); refusing to touch it\n"
    assert bad.read_text() == "hello"


# --------------------------------------------------------------------------- the commands
def test_list_and_list_names(mk):
    from minikctl.labs.loader import bundled_paths

    r = mk("lab list -o name")
    assert r.code == 0
    assert r.lines == list(bundled_paths())
    assert {"sd-01-service", "ts-selector", "ckad-netpol"} <= set(r.lines)
    r = mk("lab list")
    assert r.lines[0].split() == ["NAME", "LEVEL", "TIME", "TASKS", "TITLE"]
    assert [ln.split()[0] for ln in r.lines[1:]] == list(bundled_paths())
    assert r.lines[1 + list(bundled_paths()).index("ts-selector")].split()[:4] == ["ts-selector", "beginner", "10m", "2"]
    r = mk("lab list -o yaml")
    assert (r.code, r.err) == (1, 'error: unable to match a printer suitable for the output format "yaml", '
                                  "allowed formats are: name\n")


def test_start_check_hint_reset_in_a_context_of_its_own(mk, lab_env):
    """lab start makes the lab's store and a context lab-NAME current: later commands without
    --state act on it; the student's default store is untouched; --state still wins."""
    path = write_lab(lab_env, MINI_LAB)
    no_state = {"MINIKCTL_STATE": ""}
    r = mk(["lab", "start", path], env=no_state)
    store = str(lab_env / "data" / "minikctl" / "lab-mini.db")
    assert r.code == 0, r
    assert r.out == textwrap.dedent(f"""\
        Lab mini started: A small lab (beginner, about 5m, 2 tasks)
        Its cluster: {store} (context "lab-mini", now current)
        Its files: {lab_env / 'mini' / 'notes.txt'}

        Task 1/2: Expose web

        Expose the Deployment **web** on port 80.

        `minikctl lab check` checks your work, `minikctl lab hint` gives a hint, `minikctl lab reset` starts over.
        """)
    assert (lab_env / "mini" / "notes.txt").read_text() == "expose web on port 80\n"
    assert mk("config current-context", env=no_state).out == "lab-mini\n"
    assert mk("get deploy web -o name", env=no_state).out == "deployment.apps/web\n"

    r = mk("lab check", env=no_state)
    assert r.code == 1
    assert r.out == textwrap.dedent("""\
        Lab mini: A small lab
        ✗ 1. Expose web: expected service/web in namespace default to exist, found none
        ✗ 2. Scale web: expected 2 ready pod(s) matching app=web in namespace default, found 1
        0/2 tasks done, score 0/3
        """)

    # progressive hints of the current task, then the pointer to the solution
    assert mk("lab hint", env=no_state).out == "Hint 1/2 for task 1 (Expose web):\n`minikctl expose --help`\n"
    assert mk("lab hint", env=no_state).out == "Hint 2/2 for task 1 (Expose web):\n`minikctl expose deployment web --port=80`\n"
    assert mk("lab hint", env=no_state).out == (
        "No more hints for task 1 (Expose web); `minikctl lab solution expose` shows its solution.\n"
        "Hint 2/2 for task 1 (Expose web):\n`minikctl expose deployment web --port=80`\n")
    assert mk("lab hint scale", env=no_state).out == (
        "Task 2 (Scale web) has no hints; `minikctl lab solution scale` shows its solution.\n")

    assert mk("expose deployment web --port=80", env=no_state).code == 0
    r = mk("lab status", env=no_state)
    assert r.code == 0
    assert r.out == textwrap.dedent(f"""\
        Lab mini: A small lab (beginner, about 5m)
        Cluster: {store}
        Progress: 1/2 tasks done, score 1/3
          ✓ 1. Expose web
          ✗ 2. Scale web

        Task 2/2: Scale web

        Scale **web** to 2 replicas.
        """)
    assert mk("scale deployment web --replicas=2", env=no_state).code == 0
    r = mk("lab check", env=no_state)
    assert (r.code, r.lines[-1]) == (0, "2/2 tasks done, score 3/3")
    assert mk("lab hint", env=no_state).out == "All tasks are done: no hint needed.\n"

    # reset: back to the start (the service is gone, the hints count again), files written again
    (lab_env / "mini" / "notes.txt").write_text("scribbles")
    r = mk("lab reset", env=no_state)
    assert r.code == 0
    assert r.lines[0] == f"Lab mini reset: its cluster is as it was at lab start ({store})"
    assert (lab_env / "mini" / "notes.txt").read_text() == "expose web on port 80\n"
    assert mk("get svc web", env=no_state).code == 1
    assert mk("lab check", env=no_state).lines[-1] == "0/2 tasks done, score 0/3"
    assert mk("lab hint", env=no_state).out.startswith("Hint 1/2 for task 1")
    assert mk("expose deployment web --port=80", env=no_state).code == 0  # the reset store is writable

    # the default store and an explicit --state are not the lab's
    default = lab_env / "data" / "minikctl" / "state.db"
    assert not default.exists()
    r = mk(["lab", "check", "--state", str(lab_env / "other.db")], env=no_state)
    assert (r.code, r.err) == (1, f"error: no lab in progress: no store at {lab_env / 'other.db'}; "
                                  "start one with `minikctl lab start NAME`\n")
    assert mk("config use-context minikctl", env=no_state).code == 0
    r = mk("lab check", env=no_state)
    assert r.code == 1 and "no lab in progress" in r.err


def test_start_again_replaces_the_lab_store_but_never_a_cluster_that_is_not_a_lab(mk, tmp_path, state):
    path = write_lab(tmp_path, MINI_LAB)
    assert mk(["lab", "start", path, "--dir", str(tmp_path / "files")]).code == 0
    assert mk("expose deployment web --port=80").code == 0
    assert mk(["lab", "start", path, "--dir", str(tmp_path / "files")]).code == 0
    assert mk("get svc web").code == 1  # a fresh start
    other = str(tmp_path / "mine.db")
    assert run_inprocess(["cluster", "create"], other).code == 0
    before = file_digest(other)
    r = run_inprocess(["lab", "start", path], other)
    assert (r.code, r.out) == (1, "")
    assert r.err == (f"error: {other} already holds a cluster that is not a lab's; choose another --state "
                     "(or delete that cluster with `minikctl cluster delete`)\n")
    assert file_digest(other) == before


def test_a_failing_setup_says_which_step_and_leaves_no_store(mk, tmp_path, state):
    path = write_lab(tmp_path, MINI_LAB.replace("--image=nginx --port=80", "--image=nginx --port=eighty"))
    r = mk(["lab", "start", path])
    assert r.code == 1
    assert r.err == ("error: the setup of lab mini failed at `minikctl create deployment web --image=nginx "
                     "--port=eighty`: error: invalid argument \"eighty\" for \"--port\" flag: strconv.ParseInt: "
                     "parsing \"eighty\": invalid syntax\nSee 'minikctl create deployment --help' for usage.\n")
    assert not os.path.exists(state)


def test_solution_is_a_bash_script(mk, tmp_path):
    path = write_lab(tmp_path, MINI_LAB)
    r = mk(["lab", "solution", "--lab", path])
    assert r.code == 0
    assert r.out == textwrap.dedent("""\
        #!/usr/bin/env bash
        # Solution of lab mini: A small lab
        set -euo pipefail

        # 1. Expose web
        minikctl expose deployment web --port=80

        # 2. Scale web
        minikctl scale deployment web --replicas=2
        """)
    r = mk(["lab", "solution", "scale", "--lab", path])
    assert r.out.splitlines()[4:] == ["# 2. Scale web", "minikctl scale deployment web --replicas=2"]
    r = mk(["lab", "solution", "nope", "--lab", path])
    assert (r.code, r.err) == (1, 'error: lab mini has no task "nope" (tasks: expose, scale)\n')
    r = mk("lab solution --lab ts-netpol-dns")
    assert "minikctl apply -f - <<'EOF'\napiVersion: networking.k8s.io/v1\n" in r.out
    assert r.out.endswith("          app: web\nEOF\n")


def test_check_json_and_junit(mk, tmp_path, state):
    path = write_lab(tmp_path, MINI_LAB)
    assert mk(["lab", "start", path, "--dir", str(tmp_path / "f")]).code == 0
    assert mk("expose deployment web --port=80").code == 0
    r = mk("lab check --format json")
    assert r.code == 1
    assert json.loads(r.out) == {
        "lab": "mini", "title": "A small lab", "score": 1, "max_score": 3, "passed": False,
        "tasks": [{"name": "expose", "title": "Expose web", "points": 1, "passed": True, "message": ""},
                  {"name": "scale", "title": "Scale web", "points": 2, "passed": False,
                   "message": "expected 2 ready pod(s) matching app=web in namespace default, found 1"}]}
    assert mk("lab check --format json").out == r.out  # deterministic
    r = mk("lab check --format junit")
    assert r.code == 1
    assert r.out == textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="minikctl lab mini" tests="2" failures="1">
          <testsuite name="mini" tests="2" failures="1" errors="0" skipped="0">
            <testcase classname="lab.mini" name="expose"/>
            <testcase classname="lab.mini" name="scale">
              <failure message="expected 2 ready pod(s) matching app=web in namespace default, found 1"/>
            </testcase>
          </testsuite>
        </testsuites>
        """)
    r = mk("lab check --format yaml")
    assert r.code == 1 and "yaml" in r.err


def test_grade_a_class(mk, tmp_path):
    """Three students' stores (one done, one half done, one untouched), a non-store: the table,
    the CSV, a warning for the file that is not a lab's store."""
    path = write_lab(tmp_path, MINI_LAB)
    klass = tmp_path / "class"
    klass.mkdir()
    for student, cmds in (("alice", ["expose deployment web --port=80", "scale deployment web --replicas=2"]),
                          ("bob", ["expose deployment web --port=80"]), ("carol", [])):
        st = str(klass / f"{student}.db")
        assert run_inprocess(["lab", "start", path, "--dir", str(tmp_path / "f")], st).code == 0
        for c in cmds:
            assert run_inprocess(c.split(), st).code == 0
    (klass / "zed.db").write_text("not a store")
    digests = {f: file_digest(str(klass / f)) for f in os.listdir(klass) if f.endswith(".db")}
    csv = tmp_path / "grades.csv"
    r = mk(["lab", "grade", str(klass), "--csv", str(csv)])
    assert r.code == 1  # one store could not be graded
    assert r.out == textwrap.dedent("""\
        STUDENT   expose   scale   SCORE
        alice     ✓        ✓       3/3
        bob       ✓        ✗       1/3
        carol     ✗        ✗       0/3
        """)
    assert r.err == f"warning: {klass / 'zed.db'}: {klass / 'zed.db'} is not a minikctl store (not a SQLite database); refusing to touch it\n"
    assert csv.read_text() == ("student,lab,expose,scale,score,max_score\n"
                               "alice,mini,1,2,3,3\nbob,mini,1,0,1,3\ncarol,mini,0,0,0,3\n")
    assert {f: file_digest(str(klass / f)) for f in digests} == digests
    os.remove(klass / "zed.db")
    r2 = mk(["lab", "grade", str(klass)])
    assert (r2.code, r2.out, r2.err) == (0, r.out, "")
    r = mk(["lab", "grade", str(tmp_path / "f")])
    assert (r.code, r.err) == (1, f"error: no student stores (*.db) in {tmp_path / 'f'}\n")


def test_start_prints_plain_text_when_piped_and_imports_rich_only_on_a_terminal(tmp_path):
    env = {**os.environ, "MINIKCTL_STATE": str(tmp_path / "s.db"), "MINIKCTL_CONFIG": str(tmp_path / "config")}
    code = ("import sys; from minikctl.cli.app import main; rc = main(['lab', 'start', 'ts-selector', '--dir', "
            f"{str(tmp_path / 'f')!r}]); sys.stderr.write('rich imported: %s\\n' % ('rich' in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "\x1b[" not in p.stdout
    assert "`minikctl exec client -- curl -sS http://web` fails although both `web` pods run." in p.stdout
    assert p.stderr == "rich imported: False\n"


def test_markdown_on_a_terminal_goes_through_rich():
    import io

    from minikctl.labs.report import markdown

    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    markdown(out, "Expose the Deployment **web**.")
    assert "\x1b[1m" in out.getvalue()  # bold
    assert "**" not in out.getvalue()


def test_lab_commands_refuse_bad_input(mk, tmp_path, state):
    r = mk("lab start nosuchlab")
    assert (r.code, r.err) == (1, 'error: lab "nosuchlab" not found; `minikctl lab list` shows the bundled labs\n')
    assert not os.path.exists(state)
    r = mk("lab start")
    assert (r.code, r.err) == (1, "error: lab start needs one lab: minikctl lab start NAME (minikctl lab list shows them)\n")
    r = mk("lab lint")
    assert (r.code, r.err) == (1, "error: lab lint needs a FILE: minikctl lab lint FILE...\n")
    assert mk("cluster create").code == 0
    r = mk("lab check")
    assert (r.code, r.err) == (1, f"error: {state} is not a lab's cluster: start one with `minikctl lab start NAME`, "
                                  "or name the lab with --lab\n")
    r = mk(["lab", "grade", str(tmp_path / "none")])
    assert (r.code, r.err) == (1, f"error: {tmp_path / 'none'} is not a directory\n")
    r = mk("lab frobnicate")
    assert (r.code, r.err) == (1, "error: unknown command \"frobnicate\"\nSee 'minikctl lab -h' for help and examples\n")
