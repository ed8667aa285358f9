"""api/ssa.py: structured-merge-diff's field sets over the shipped schema (issue 14, w-ssa)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from minikctl.api import ssa

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_ssa_schema_is_generated_from_the_shipped_openapi(tmp_path):
    with open(os.path.join(ROOT, "minikctl", "api", "ssa_schema.json"), encoding="utf-8") as f:
        shipped = f.read()
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_ssa_schema.py")], check=True)
    with open(os.path.join(ROOT, "minikctl", "api", "ssa_schema.json"), encoding="utf-8") as f:
        assert f.read() == shipped


def test_fieldsv1_round_trip_and_order():
    # fieldpath/serialize.go: members and children in PathElement order, `.` for a member with children
    d = {"f:spec": {"f:ports": {'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}},
                                'k:{"port":443,"protocol":"TCP"}': {}},
                    "f:finalizers": {'v:"a"': {}}, "f:x": {"i:0": {}}}}
    s = ssa.FSet.from_json(d)
    out = s.to_json()
    assert out == d
    assert list(out["f:spec"]) == ["f:finalizers", "f:ports", "f:x"]
    assert list(out["f:spec"]["f:ports"]) == ['k:{"port":80,"protocol":"TCP"}', 'k:{"port":443,"protocol":"TCP"}']
    paths = [ssa.path_string(p) for p in s.paths()]
    # Set.Iterate: a level's members first (in order), then its children's paths
    assert paths == ['.spec.finalizers[="a"]', '.spec.ports[port=80,protocol="TCP"]',
                     '.spec.ports[port=443,protocol="TCP"]', '.spec.ports[port=80,protocol="TCP"].port',
                     ".spec.x[0]"]


def test_list_map_keys_take_the_schema_default():
    root = ssa.root_node("v1", "Pod")
    pod = {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}]}}
    fs = ssa.to_fieldset(root, pod).to_json()
    assert fs == {"f:spec": {"f:containers": {'k:{"name":"c"}': {
        ".": {}, "f:name": {}, "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}}}}}}


def test_merge_keeps_live_items_and_config_order():
    root = ssa.root_node("v1", "Pod")
    live = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}
    cfg = {"spec": {"containers": [{"name": "b", "image": "z"}, {"name": "c", "image": "w"}]}}
    merged = ssa.merge(root, live, cfg)
    assert json.dumps(merged["spec"]["containers"]) == json.dumps(
        [{"name": "a", "image": "x"}, {"name": "b", "image": "z"}, {"name": "c", "image": "w"}])
