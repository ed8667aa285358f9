"""`apply -f` / `create -f` return once the objects are stored (issue 12: apply's start-up cost), as
kube-apiserver answers before the controllers react: the controllers' queue is kept in the store
(meta controllers:pending, api/cluster.py) and run by a process the command forks as it exits, or
at the latest by the next command that opens the store, before it reads. Every command therefore
sees a converged cluster, whoever converged it."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import write

PENDING = "controllers:pending"

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


def meta(state: str, key: str) -> str | None:
    con = sqlite3.connect(state)
    try:
        row = con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def count(state: str, resource: str) -> int:
    con = sqlite3.connect(state)
    try:
        return con.execute("SELECT count(*) FROM objects WHERE resource=? AND namespace='default'",
                           (resource,)).fetchone()[0]
    finally:
        con.close()


def test_apply_stores_the_deployment_and_the_next_command_converges_first(cluster, state, tmp_path):
    r = cluster(["apply", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)])
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\n", "")
    # stored, its controllers not run yet: no ReplicaSet, no pod
    pending = json.loads(meta(state, PENDING))
    assert pending["keys"] == [["deployments", "default", "web"]] and pending["prev"] == [None]
    assert (count(state, "deployments"), count(state, "replicasets"), count(state, "pods")) == (1, 0, 0)
    # any command that opens the store runs them before it reads
    r = cluster("get deploy web")
    assert r.out.splitlines()[1].split()[:4] == ["web", "2/2", "2", "2"]
    assert meta(state, PENDING) is None
    assert (count(state, "replicasets"), count(state, "pods")) == (1, 2)


def test_pods_are_created_at_the_apply_time_on_a_manual_clock(cluster, tmp_path):
    # the next command converges before it moves the clock: the pods are as old as the apply
    assert cluster(["apply", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)]).code == 0
    assert cluster("clock advance 1h").code == 0
    ages = {ln.split()[-1] for ln in cluster("get pods -l app=web").lines[1:]}
    assert ages == {"60m"}
    assert cluster("get rs -l app=web").lines[1].split()[-1] == "60m"


def test_an_update_keeps_the_old_object_for_the_rollout(cluster, state, tmp_path):
    path = write(tmp_path, "web.yaml", DEPLOYMENT)
    assert cluster(["apply", "-f", path]).code == 0
    assert cluster("get deploy web").code == 0  # converged
    path = write(tmp_path, "web.yaml", DEPLOYMENT.replace("nginx:1.27", "nginx:1.28"))
    r = cluster(["apply", "-f", path])
    assert (r.code, r.out) == (0, "deployment.apps/web configured\n")
    pending = json.loads(meta(state, PENDING))
    assert pending["keys"] == [["deployments", "default", "web"]]
    assert pending["prev"][0]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    r = cluster("rollout history deployment/web")
    assert [ln.split()[0] for ln in r.lines[2:] if ln.strip()] == ["1", "2"]
    images = cluster("get pods -l app=web -o jsonpath={.items[*].spec.containers[0].image}").out.split()
    assert images == ["nginx:1.28", "nginx:1.28"]


def test_what_the_command_itself_reports_is_not_deferred(cluster, state, tmp_path):
    # a Service's "selects no pods" warning belongs to the command that created it
    svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  selector:\n    app: nobody\n" \
          "  ports:\n  - port: 80\n"
    r = cluster(["apply", "-f", write(tmp_path, "svc.yaml", svc)])
    assert r.code == 0 and 'Warning: service "lonely" selects no pods' in r.err
    assert meta(state, PENDING) is None
    # a dry run stores nothing, so leaves nothing pending
    r = cluster(["apply", "--dry-run=server", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)])
    assert (r.code, r.out) == (0, "deployment.apps/web created (server dry run)\n")
    assert meta(state, PENDING) is None and count(state, "deployments") == 0


def test_a_big_rollout_converges_before_the_command_returns(cluster, state, tmp_path):
    r = cluster(["apply", "-f", write(tmp_path, "big.yaml", DEPLOYMENT.replace("replicas: 2", "replicas: 21"))])
    assert r.code == 0
    assert meta(state, PENDING) is None and count(state, "pods") == 21


def test_create_f_defers_too(cluster, state, tmp_path):
    r = cluster(["create", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)])
    assert (r.code, r.out) == (0, "deployment.apps/web created\n")
    assert meta(state, PENDING) is not None
    assert len(cluster("get pods -l app=web -o name").lines) == 2


def test_as_a_process_the_cluster_converges_after_apply_returns(mk_proc, state, tmp_path):
    assert mk_proc("cluster create --clock manual --nodes 2").code == 0
    r = mk_proc(["apply", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)])
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\n", "")
    # whether the process apply forked or this command converged it, the pods are there
    r = mk_proc("get pods -l app=web --no-headers")
    assert r.code == 0 and [ln.split()[1:3] for ln in r.lines] == [["1/1", "Running"]] * 2
    assert meta(state, PENDING) is None


def test_the_process_apply_starts_converges_the_store_by_itself(mk_proc, state, tmp_path):
    import time

    assert mk_proc("cluster create --clock manual --nodes 2").code == 0
    assert mk_proc(["apply", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)]).code == 0
    # no other command runs: the detached process converges it (polled, with a generous bound:
    # the outcome is asserted, not how long it takes)
    deadline = time.monotonic() + 60
    while meta(state, PENDING) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert meta(state, PENDING) is None
    assert (count(state, "replicasets"), count(state, "pods")) == (1, 2)


def test_minikctl_sync_controllers_leaves_it_to_the_next_command(mk_proc, state, tmp_path):
    assert mk_proc("cluster create --clock manual --nodes 2").code == 0
    r = mk_proc(["apply", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)], env={"MINIKCTL_SYNC_CONTROLLERS": "1"})
    assert r.code == 0
    assert meta(state, PENDING) is not None and count(state, "pods") == 0  # nobody converged it yet
    r = mk_proc("get deploy web --no-headers")
    assert r.out.split()[:4] == ["web", "2/2", "2", "2"]
    assert meta(state, PENDING) is None


def test_lab_check_sees_the_converged_cluster(cluster, state, tmp_path):
    from minikctl.labs.store import open_readonly

    assert cluster(["apply", "-f", write(tmp_path, "web.yaml", DEPLOYMENT)]).code == 0
    assert meta(state, PENDING) is not None
    session = open_readonly(state)
    try:
        assert len(session.api.list("pods", "default")) == 2
    finally:
        session.close()


def test_the_converging_process_creates_no_store_where_there_is_none(tmp_path):
    # `cluster delete` right after an apply: the process it started finds no store, and makes none
    from minikctl.api.cluster import converge_main

    gone = tmp_path / "gone.db"
    converge_main([str(gone)])
    assert not gone.exists()
