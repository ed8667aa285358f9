"""minikctl debug (staging/src/k8s.io/kubectl/pkg/cmd/debug/debug.go): ephemeral containers in a pod,
a node debugging pod, a copy of a pod; kubectl 1.32's messages (checked against the binary where it
can answer offline: the validation errors and the legacy-profile warning)."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import store_snapshot

LEGACY = ('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly '
          'specify a profile, for example "--profile=general".\n')


@pytest.fixture
def web(cluster):
    assert cluster("run web --image=nginx").code == 0
    assert cluster("clock advance 5s").code == 0
    return cluster


def _pod(mk, name="web"):
    return json.loads(mk(f"get pod {name} -o json").out)


def test_ephemeral_container_added_and_started(web):
    r = web("debug web --image=busybox --target=web -- sleep 3600")
    assert r.code == 0
    m = re.fullmatch(r"Defaulting debug container name to (debugger-[bcdfghjklmnpqrstvwxz2456789]{5})\.\n", r.out)
    assert m, r.out
    name = m.group(1)
    assert r.err == LEGACY
    pod = _pod(web)
    (ec,) = pod["spec"]["ephemeralContainers"]
    assert ec == {"command": ["sleep", "3600"], "image": "busybox", "imagePullPolicy": "Always", "name": name,
                  "resources": {}, "targetContainerName": "web", "terminationMessagePath": "/dev/termination-log",
                  "terminationMessagePolicy": "File"}
    (st,) = pod["status"]["ephemeralContainerStatuses"]
    assert st["name"] == name and "running" in st["state"] and st["ready"] is False
    d = web("describe pod web").out
    assert re.search(rf"\nEphemeral Containers:\n  {name}:\n    Container ID: +containerd://", d)
    assert re.search(r"\n    Command:\n      sleep\n      3600\n    State: +Running\n", d)
    assert f"Started container {name}" in d
    # the pod's own containers are untouched; exec reaches the ephemeral container
    assert web(f"exec web -c {name} -- hostname").out == "web\n"
    assert web("get pod web").out.splitlines()[1].split()[1:3] == ["1/1", "Running"]


def test_debug_it_gives_the_shell_and_ends_the_container(web):
    r = web("debug web -i --image=busybox --profile=general -c dbg", input="echo in $(hostname)\nexit 4\n")
    assert r.code == 0
    assert r.out == "in web\n"  # -c given: no name notice
    assert r.err == "If you don't see a command prompt, try pressing enter.\n"
    pod = _pod(web)
    (ec,) = pod["spec"]["ephemeralContainers"]
    assert ec["securityContext"] == {"capabilities": {"add": ["SYS_PTRACE"]}} and ec["stdin"] is True
    term = pod["status"]["ephemeralContainerStatuses"][0]["state"]["terminated"]
    assert (term["exitCode"], term["reason"]) == (4, "Error")
    # an ephemeral container is never restarted
    assert web("clock advance 1m").code == 0
    assert "terminated" in _pod(web)["status"]["ephemeralContainerStatuses"][0]["state"]


def test_without_stdin_the_default_shell_exits(web):
    r = web("debug web --image=busybox -q --profile=legacy")
    assert (r.code, r.out, r.err) == (0, "", "")
    st = _pod(web)["status"]["ephemeralContainerStatuses"][0]
    assert st["state"]["terminated"]["reason"] == "Completed"


def test_debug_node(web):
    node = web("get nodes -o jsonpath={.items[1].metadata.name}").out
    r = web(f"debug node/{node} --image=busybox --profile=legacy -- sleep 1d")
    assert r.code == 0
    m = re.fullmatch(rf"Creating debugging pod (node-debugger-{node}-[bcdfghjklmnpqrstvwxz2456789]{{5}}) with "
                     rf"container debugger on node {node}\.\n", r.out)
    assert m, r.out
    pod = _pod(web, m.group(1))
    spec = pod["spec"]
    assert spec["nodeName"] == node and spec["restartPolicy"] == "Never"
    assert spec["hostNetwork"] is True and spec["hostPID"] is True and spec["hostIPC"] is True
    assert spec["tolerations"] == [{"operator": "Exists"}]
    assert spec["volumes"] == [{"hostPath": {"path": "/", "type": ""}, "name": "host-root"}] or \
        spec["volumes"][0]["hostPath"]["path"] == "/"
    assert spec["containers"][0]["volumeMounts"][0]["mountPath"] == "/host"
    assert pod["status"]["phase"] == "Running"


def test_debug_copy(web):
    r = web("debug web --copy-to=web-debug --image=busybox --profile=general -- sleep 1d")
    assert r.code == 0 and r.out.startswith("Defaulting debug container name to debugger-")
    pod = _pod(web, "web-debug")
    assert [c["name"] for c in pod["spec"]["containers"]][0] == "web"
    assert pod["spec"]["shareProcessNamespace"] is True
    assert "labels" not in pod["metadata"]  # --keep-labels is off
    r = web("debug web --copy-to=web-2 --set-image=web=nginx:1.27 --replace --profile=general")
    assert (r.code, r.out) == (0, "")
    assert web("get pod web").code == 1
    assert _pod(web, "web-2")["spec"]["containers"][0]["image"] == "nginx:1.27"


@pytest.mark.parametrize("args,err", [
    ("debug", "error: you must specify --image when not using --copy-to.\n"),
    ("debug web", "error: you must specify --image when not using --copy-to.\n"),
    ("debug --image=busybox", "error: NAME or filename is required for debug\n"),
    ("debug web --image=busybox --profile=bogus", "error: unknown profile: bogus\n"),
    ("debug web --image=busybox --target=a --copy-to=y",
     "error: --target is incompatible with --copy-to. Use --share-processes instead.\n"),
    ("debug web --image=busybox -t", "error: -i/--stdin is required for containers with -t/--tty=true\n"),
    ("debug web --image=Bad::", 'error: invalid image name "Bad::": invalid reference format\n'),
    ("debug web --image=busybox --replace", "error: --replace may only be used with --copy-to.\n"),
    ("debug web --image=busybox --image-pull-policy=Sometimes", "error: invalid image pull policy: Sometimes\n"),
])
def test_validation_as_kubectl(web, state, args, err):
    before = store_snapshot(state)
    r = web(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


@pytest.mark.parametrize("args,err", [
    ("debug web --image=busybox -c web", 'The Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate '
                                         'value: "web"\n'),
    ("debug web --image=busybox --target=nope", 'The Pod "web" is invalid: spec.ephemeralContainers[0].'
                                                'targetContainerName: Not found: "nope"\n'),
    ("debug nope --image=busybox", 'Error from server (NotFound): pods "nope" not found\n'),
    ("debug node/nope --image=busybox", 'Error from server (NotFound): nodes "nope" not found\n'),
    ("debug web --copy-to=web --image=busybox", 'Error from server (AlreadyExists): pods "web" already exists\n'),
])
def test_server_errors_change_nothing(web, state, args, err):
    before = store_snapshot(state)
    r = web(args + " --profile=general -q")
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before


def test_debug_by_file(web, tmp_path):
    f = tmp_path / "pod.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - {name: web, image: nginx}\n")
    r = web(f"debug -f {f} --image=busybox --profile=general -c from-file -- sleep 60")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert [c["name"] for c in _pod(web)["spec"]["ephemeralContainers"]] == ["from-file"]
