"""Server-side apply through `minikctl serve` with the real kubectl 1.32 (issue 14): PATCH with
Content-Type application/apply-patch+yaml, managedFields, conflicts and --force-conflicts.

Messages from k8s.io/apimachinery/pkg/util/managedfields/internal/conflict.go (getConflictMessage,
printManager), apimachinery/pkg/api/errors NewApplyConflict (409, FieldManagerConflict causes),
apimachinery/pkg/api/validation ValidatePatchOptions ("is required for apply patch"), kubectl
pkg/cmd/apply/apply.go (the advice kubectl appends, "serverside-applied")."""

from __future__ import annotations

import json
import os

import pytest

from tests.cli.test_server_side_apply import ADVICE, deploy
from tests.server.serving import KUBECTL

pytestmark = pytest.mark.usefixtures("srv")


def test_kubectl_server_side_apply_conflicts_and_force(srv, tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text(deploy())
    r = srv.kubectl(f"apply -f {f}")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\n", "")
    before = srv.mk("get deploy web -o yaml --show-managed-fields").out
    assert "manager: kubectl-client-side-apply\n" in before
    f.write_text(deploy(replicas=3))
    r = srv.kubectl(f"apply --server-side --field-manager=ci -f {f}")
    assert (r.code, r.out) == (1, "")
    assert r.err == ('error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: '
                     ".spec.replicas\n" + ADVICE)
    assert srv.mk("get deploy web -o yaml --show-managed-fields").out == before
    r = srv.kubectl(f"apply --server-side --field-manager=ci --force-conflicts -f {f}")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    # kubectl receives the managedFields and hides them itself; both views equal minikctl's own
    for cmd in ("get deploy web -o yaml --show-managed-fields", "get deploy web -o yaml", "get deploy web -o json",
                "get deploy web -o jsonpath={.metadata.managedFields[*].manager}"):
        assert srv.kubectl(cmd).out == srv.mk(cmd).out, cmd
    assert "managedFields" not in srv.kubectl("get deploy web -o yaml").out
    entries = json.loads(srv.mk("get deploy web -o json --show-managed-fields").out)["metadata"]["managedFields"]
    assert [(e["manager"], e["operation"]) for e in entries] == [("ci", "Apply"), ("kube-controller-manager", "Update")]


def test_kubectl_server_side_apply_creates_and_matches_minikctl(srv, tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text(deploy().replace("name: web", "name: api"))
    r = srv.kubectl(f"apply --server-side -f {f}")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/api serverside-applied\n", "")
    served = srv.kubectl("get deploy api -o yaml --show-managed-fields").out
    assert served == srv.mk("get deploy api -o yaml --show-managed-fields").out
    # the same configuration applied by minikctl's own CLI to a twin gives the same entries
    f.write_text(deploy().replace("name: web", "name: api2"))
    assert srv.mk(f"apply --server-side -f {f}").out == "deployment.apps/api2 serverside-applied\n"
    twin = srv.mk("get deploy api2 -o json --show-managed-fields").out
    a = json.loads(srv.mk("get deploy api -o json --show-managed-fields").out)["metadata"]["managedFields"]
    b = json.loads(twin)["metadata"]["managedFields"]
    strip = [{k: v for k, v in e.items() if k != "time"} for e in a]
    assert strip == [{k: v for k, v in e.items() if k != "time"} for e in b]
    # kubectl's typed commands record their own managers
    assert srv.kubectl("create deployment typed --image=nginx").code == 0
    assert srv.kubectl("label deploy typed tier=x").code == 0
    managers = [e["manager"] for e in json.loads(srv.mk("get deploy typed -o json --show-managed-fields").out)[
        "metadata"]["managedFields"]]
    assert sorted(managers) == ["kube-controller-manager", "kubectl-create", "kubectl-label"]
    assert srv.kubectl("scale deploy typed --replicas=2").code == 0  # the /scale subresource, no fieldManager
    entries = json.loads(srv.mk("get deploy typed -o json --show-managed-fields").out)["metadata"]["managedFields"]
    # client-go's User-Agent names the binary (os.Args[0]: here kubectl.1.32), and so the manager
    ua = os.path.basename(KUBECTL)
    assert (ua, "Update", "scale") in [(e["manager"], e["operation"], e.get("subresource")) for e in entries]


def test_apply_patch_over_http(srv):
    path = "/apis/apps/v1/namespaces/default/deployments/raw"
    body = deploy().replace("name: web", "name: raw").encode()
    code, st = srv.http("PATCH", path, body, "application/apply-patch+yaml")
    assert (code, st["reason"], st["message"]) == (422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: '
                                                   "fieldManager: Required value: is required for apply patch")
    code, obj = srv.http("PATCH", path + "?fieldManager=tool", body, "application/apply-patch+yaml")
    assert (code, obj["metadata"]["managedFields"][0]["manager"]) == (201, "tool")
    code, obj = srv.http("PATCH", path + "?fieldManager=tool", body, "application/apply-patch+yaml")
    assert code == 200
    code, st = srv.http("PATCH", path + "?fieldManager=other", body.replace(b"replicas: 2", b"replicas: 5"),
                        "application/apply-patch+yaml")
    assert (code, st["reason"]) == (409, "Conflict")
    assert st["message"] == 'Apply failed with 1 conflict: conflict with "tool": .spec.replicas'
    assert st["details"] == {"causes": [{"reason": "FieldManagerConflict", "message": 'conflict with "tool"',
                                         "field": ".spec.replicas"}]}
    code, st = srv.http("PATCH", path + "?fieldManager=tool", body.replace(b"apps/v1", b"apps/v2"),
                        "application/apply-patch+yaml")
    assert (code, st["message"]) == (400, "Incorrect version specified in apply patch. Specified patch version: "
                                          "apps/v2, expected: apps/v1")
    code, st = srv.http("PATCH", path + "?fieldManager=other&force=true",
                        body.replace(b"replicas: 2", b"replicas: 5"), "application/apply-patch+yaml")
    assert (code, st["spec"]["replicas"]) == (200, 5)


def _entries(srv, ref, name):
    d = json.loads(srv.mk(f"get {ref} -o json --show-managed-fields").out)
    text = json.dumps([{k: v for k, v in e.items() if k != "time"} for e in d["metadata"]["managedFields"]
                       if e["manager"] != "kubelet"])  # the kubelet's entry names the pod's IP
    return text.replace(name, "NAME")


def test_minikctl_commands_record_what_kubectl_commands_record(srv):
    """The CLI's own writes record the managers and fields kubectl's would (through serve)."""
    pairs = (("create deployment {} --image=nginx --port=80", "deploy"), ("create configmap {} --from-literal=a=b", "cm"),
             ("run {} --image=nginx --port=80", "pod"), ("create ns {}", "ns"),
             ("create job {} --image=busybox", "job"))
    for cmd, ref in pairs:
        for run, name in ((srv.kubectl, "viakubectl"), (srv.mk, "viaminikctl")):
            r = run(cmd.format(name))
            assert r.code == 0, r
        assert _entries(srv, f"{ref}/viakubectl", "viakubectl") == _entries(srv, f"{ref}/viaminikctl", "viaminikctl"), cmd
        for run, name in ((srv.kubectl, "viakubectl"), (srv.mk, "viaminikctl")):
            run(f"delete {ref} {name} --wait=false")
    assert srv.kubectl("create deployment src --image=nginx").code == 0
    for run, name in ((srv.kubectl, "viakubectl"), (srv.mk, "viaminikctl")):
        assert run(f"expose deploy src --port=80 --name={name}").code == 0
    assert _entries(srv, "svc/viakubectl", "viakubectl") == _entries(srv, "svc/viaminikctl", "viaminikctl")
