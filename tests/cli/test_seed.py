"""cluster create --seed N (issue 13): generated names, UIDs, container IDs and allocated IPs and
ports come from one seeded source (minikctl.api.rand), so the same seed and the same commands
give the same output."""

from __future__ import annotations

import re

from tests.conftest import CLOCK_START, run_inprocess

COMMANDS = [
    ["create", "deployment", "web", "--image", "nginx", "--replicas", "3"],
    ["expose", "deployment", "web", "--port", "80", "--type", "NodePort"],
    ["create", "job", "once", "--image", "busybox", "--", "echo", "hi"],
]
SHOW = [
    ["get", "pods,svc,rs", "-o", "wide"],
    ["get", "pods,svc,jobs", "-o", "jsonpath={.items[*].metadata.uid}"],
    ["get", "pods", "-o", "jsonpath={.items[*].status.containerStatuses[*].containerID}"],
    ["exec", "deploy/web", "--", "sh", "-c", "echo $RANDOM"],
]


def _session(path: str, seed: str | None) -> list[str]:
    create = ["cluster", "create", "--clock", "manual", "--clock-start", CLOCK_START]
    if seed is not None:
        create += ["--seed", seed]
    assert run_inprocess(create, path).code == 0
    for c in COMMANDS:
        r = run_inprocess(c, path)
        assert r.code == 0, (c, r)
    outs = []
    for c in SHOW:
        r = run_inprocess(c, path)
        assert r.code == 0, (c, r)
        outs.append(r.out)
    return outs


def test_same_seed_same_output(tmp_path):
    a = _session(str(tmp_path / "a.db"), "42")
    b = _session(str(tmp_path / "b.db"), "42")
    assert a == b
    assert re.search(r"web-[a-z0-9]{10}-[a-z0-9]{5}", a[0]) and re.search(r"80:3\d{4}/TCP", a[0])


def test_other_seed_or_no_seed_differs(tmp_path):
    a = _session(str(tmp_path / "a.db"), "42")
    c = _session(str(tmp_path / "c.db"), "7")
    d = _session(str(tmp_path / "d.db"), None)
    assert a[1] != c[1] and a[1] != d[1]  # the UIDs


def test_seed_shown_and_refused_when_not_a_number(mk):
    r = mk("cluster create --seed x")
    assert r.code == 1 and r.err.startswith('error: invalid argument "x" for "--seed" flag'), r
    assert mk("cluster create --seed 5 --clock manual").code == 0
    assert "Seed:" in mk("cluster info").out and mk("cluster info -o json").out.count('"seed": 5') == 1
