"""Image pulls as the kubelet (pkg/kubelet/images/image_manager.go, 1.32) and containerd 1.7 do
them, on the cluster clock: the catalog's repositories and tags are the registries; an unknown
repository or tag gives ErrImagePull, then ImagePullBackOff with the image back-off (10 s doubling
to 300 s); a fixed image starts at once; imagePullPolicy with a per-node image cache; Never ->
ErrImageNeverPull; InvalidImageName; `cluster create --allow-unknown-images`; `image add -f` with
tags. STATUS/READY as kubectl's printPod derives them, describe's State and aggregated events."""

from __future__ import annotations

import json
import shlex

from tests.conftest import write
from tests.helpers import store_snapshot

HUB_DENIED = ("pull access denied, repository does not exist or may require authorization: "
              "server message: insufficient_scope: authorization failed")
BAD_REPO_ERR = ('failed to pull and unpack image "docker.io/mpepping/cyberchf:latest": failed to resolve reference '
                f'"docker.io/mpepping/cyberchf:latest": {HUB_DENIED}')
BAD_TAG_ERR = ('rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/mpepping/cyberchef:nope": '
               'failed to resolve reference "docker.io/mpepping/cyberchef:nope": docker.io/mpepping/cyberchef:nope: '
               'not found')


def pod_json(mk, name: str) -> dict:
    return json.loads(mk(f"get pod {name} -o json").out)


def row(mk, name: str) -> str:
    """NAME READY STATUS RESTARTS of `get pod NAME` (AGE left out), single-spaced."""
    r = mk(f"get pod {name} --no-headers")
    assert r.code == 0, r
    return " ".join(r.out.split()[:4])


def kubelet_events(mk, name: str) -> list[str]:
    """describe's Events rows from the kubelet, columns single-spaced."""
    out = mk(f"describe pod {name}").out
    rows = out.split("Events:\n", 1)[1].splitlines()[2:]
    return [" ".join(r.split()) for r in rows if " kubelet " in r]


def waiting(mk, name: str, container: int = 0, init: bool = False) -> dict:
    st = pod_json(mk, name)["status"]["initContainerStatuses" if init else "containerStatuses"][container]
    return st["state"]["waiting"]


def test_unknown_repository_is_err_image_pull(cluster):
    mk = cluster
    assert mk("run badimg --image=mpepping/cyberchf").code == 0
    r = mk("get pods")
    assert r.out == ("NAME     READY   STATUS         RESTARTS   AGE\n"
                     "badimg   0/1     ErrImagePull   0          0s\n")
    assert waiting(mk, "badimg") == {"message": BAD_REPO_ERR, "reason": "ErrImagePull"}
    st = pod_json(mk, "badimg")["status"]
    assert st["phase"] == "Pending"
    assert st["containerStatuses"][0] == {"image": "mpepping/cyberchf", "imageID": "", "lastState": {}, "name": "badimg",
                                          "ready": False, "restartCount": 0, "started": False,
                                          "state": {"waiting": {"message": BAD_REPO_ERR, "reason": "ErrImagePull"}}}
    out = mk("describe pod badimg").out
    assert ("    Container ID:   \n"
            "    Image:          mpepping/cyberchf\n"
            "    Image ID:       \n"
            "    Port:           <none>\n"
            "    Host Port:      <none>\n"
            "    State:          Waiting\n"
            "      Reason:       ErrImagePull\n"
            "    Ready:          False\n"
            "    Restart Count:  0\n") in out
    assert kubelet_events(mk, "badimg") == [
        'Normal Pulling 0s kubelet Pulling image "mpepping/cyberchf"',
        f'Warning Failed 0s kubelet Failed to pull image "mpepping/cyberchf": {BAD_REPO_ERR}',
        "Warning Failed 0s kubelet Error: ErrImagePull",
    ]
    wide = mk("get pods -o wide").lines
    assert wide[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE",
                               "READINESS", "GATES"]
    cells = wide[1].split()
    assert cells[:5] == ["badimg", "0/1", "ErrImagePull", "0", "0s"] and cells[5] == st["podIP"]
    assert cells[6] == pod_json(mk, "badimg")["spec"]["nodeName"] and cells[7:] == ["<none>", "<none>"]
    # kubelet_pods.go validateContainerLogStatus: no log, and why
    r = mk("logs badimg")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (BadRequest): container "badimg" in pod "badimg" '
                                             "is waiting to start: image can't be pulled\n")
    # kubectl get events -o wide: the kubelet's events name the container (SUBOBJECT)
    r = mk("get events -o wide --field-selector reason=Pulling")
    assert "spec.containers{badimg}" in r.out and "kubelet, " in r.out


def test_missing_tag_is_not_found(cluster):
    mk = cluster
    assert mk("run badtag --image=mpepping/cyberchef:nope").code == 0
    assert row(mk, "badtag") == "badtag 0/1 ErrImagePull 0"
    assert waiting(mk, "badtag") == {"message": BAD_TAG_ERR, "reason": "ErrImagePull"}
    assert kubelet_events(mk, "badtag")[1] == f'Warning Failed 0s kubelet Failed to pull image "mpepping/cyberchef:nope": {BAD_TAG_ERR}'
    # a tag the repository has pulls
    assert mk("run goodtag --image=nginx:1.27").code == 0
    assert row(mk, "goodtag") == "goodtag 1/1 Running 0"


def test_back_off_sequence_on_the_cluster_clock(cluster):
    """Syncs 1 s after the first failure, then every 10 s; pulls when the back-off (10, 20, 40, 80,
    160, 300 s) has run out: at 0, 11, 31, 71, 151, 311 s; ImagePullBackOff between them."""
    mk = cluster
    assert mk("run badimg --image=mpepping/cyberchf").code == 0
    seen = []
    for step in ("1s", "9s", "1s", "10s", "10s", "10s", "30s", "80s", "160s"):
        assert mk(f"clock advance {step}").code == 0
        seen.append(row(mk, "badimg").split()[2])
    #            1s                  10s                11s            21s                 31s
    assert seen == ["ImagePullBackOff", "ImagePullBackOff", "ErrImagePull", "ImagePullBackOff", "ErrImagePull",
                    # 41s               71s             151s            311s
                    "ImagePullBackOff", "ErrImagePull", "ErrImagePull", "ErrImagePull"]
    assert waiting(mk, "badimg")["reason"] == "ErrImagePull"
    assert mk("clock advance 10s").code == 0
    # 1.32 (kubernetes#127918): the back-off's message carries the last pull's error
    assert waiting(mk, "badimg") == {"message": f'Back-off pulling image "mpepping/cyberchf": ErrImagePull: {BAD_REPO_ERR}',
                                     "reason": "ImagePullBackOff"}


def test_back_off_events_aggregate_as_kubectl_prints_them(cluster):
    mk = cluster
    assert mk("run badimg --image=mpepping/cyberchf").code == 0
    assert mk("clock advance 1s").code == 0
    assert row(mk, "badimg") == "badimg 0/1 ImagePullBackOff 0"
    assert kubelet_events(mk, "badimg") == [
        'Normal Pulling 1s kubelet Pulling image "mpepping/cyberchf"',
        f'Warning Failed 1s kubelet Failed to pull image "mpepping/cyberchf": {BAD_REPO_ERR}',
        "Warning Failed 1s kubelet Error: ErrImagePull",
        'Normal BackOff 0s kubelet Back-off pulling image "mpepping/cyberchf"',
        "Warning Failed 0s kubelet Error: ImagePullBackOff",
    ]
    assert "      Reason:       ImagePullBackOff\n" in mk("describe pod badimg").out
    assert mk("logs badimg").err == ('Error from server (BadRequest): container "badimg" in pod "badimg" '
                                     "is waiting to start: trying and failing to pull image\n")
    assert mk("clock advance 39s").code == 0  # 40 s after creation: pulls at 0, 11 and 31 s
    out = mk("describe pod badimg").out
    events = out.split("Events:\n", 1)[1]
    lines = [ln for ln in events.splitlines() if "Scheduled" not in ln]
    assert "\n".join(lines) + "\n" == (
        "  Type     Reason     Age                From               Message\n"
        "  ----     ------     ----               ----               -------\n"
        '  Normal   BackOff    19s (x2 over 39s)  kubelet            Back-off pulling image "mpepping/cyberchf"\n'
        "  Warning  Failed     19s (x2 over 39s)  kubelet            Error: ImagePullBackOff\n"
        '  Normal   Pulling    9s (x3 over 40s)   kubelet            Pulling image "mpepping/cyberchf"\n'
        f'  Warning  Failed     9s (x3 over 40s)   kubelet            Failed to pull image "mpepping/cyberchf": {BAD_REPO_ERR}\n'
        "  Warning  Failed     9s (x3 over 40s)   kubelet            Error: ErrImagePull\n")


def test_fixing_the_image_with_patch_starts_the_container(cluster):
    mk = cluster
    assert mk("run badimg --image=mpepping/cyberchf").code == 0
    assert mk("clock advance 5s").code == 0
    assert row(mk, "badimg") == "badimg 0/1 ImagePullBackOff 0"
    r = mk(["patch", "pod", "badimg", "-p", '{"spec":{"containers":[{"name":"badimg","image":"mpepping/cyberchef"}]}}'])
    assert r.code == 0, r
    # the update makes the kubelet sync the pod at once; the new image has no back-off
    assert row(mk, "badimg") == "badimg 1/1 Running 0"
    st = pod_json(mk, "badimg")["status"]
    assert st["phase"] == "Running"
    cs = st["containerStatuses"][0]
    assert cs["image"] == "docker.io/mpepping/cyberchef:latest" and cs["imageID"].startswith("docker.io/mpepping/cyberchef@sha256:")
    assert cs["state"]["running"] and cs["restartCount"] == 0 and cs["ready"] is True
    ev = kubelet_events(mk, "badimg")
    assert ev[-4] == 'Normal Pulling 0s kubelet Pulling image "mpepping/cyberchef"'
    assert ev[-3].startswith('Normal Pulled 0s kubelet Successfully pulled image "mpepping/cyberchef" in ')
    assert ev[-2:] == ["Normal Created 0s kubelet Created container: badimg", "Normal Started 0s kubelet Started container badimg"]
    # nothing is retried any more
    assert mk("clock advance 10m").code == 0
    assert row(mk, "badimg") == "badimg 1/1 Running 0"
    assert len(kubelet_events(mk, "badimg")) == len(ev)


def kubelet_timers(state: str) -> list[str]:
    """The store's kubelet re-sync and pull back-off bookkeeping (meta keys, kubelet_timers rows)."""
    import sqlite_utils

    db = sqlite_utils.Database(state)
    try:
        keys = [r["key"] for r in db["meta"].rows if r["key"].startswith("kubelet:")]
        keys += [f"timer:{r['kind']}:{r['uid']}" for r in db["kubelet_timers"].rows if r["kind"] == "resync"]
    finally:
        db.close()
    return [k for k in keys if "resync" in k or "pull-backoff" in k or k == "kubelet:due"]


def test_fixing_a_deployment_rolls_out_pods_that_start(cluster, state):
    mk = cluster
    assert mk("create deployment web --image=nginx:1.99 --replicas=2").code == 0
    rows = [" ".join(ln.split()[1:3]) for ln in mk("get pods --no-headers").out.splitlines()]
    assert rows == ["0/1 ErrImagePull", "0/1 ErrImagePull"]
    assert "docker.io/library/nginx:1.99: not found" in waiting(mk, mk("get pods -o name").out.split()[0].split("/")[1])["message"]
    assert mk("clock advance 2s").code == 0
    assert [" ".join(ln.split()[1:3]) for ln in mk("get pods --no-headers").out.splitlines()] == \
        ["0/1 ImagePullBackOff", "0/1 ImagePullBackOff"]
    assert mk(["patch", "deployment", "web", "--type=json",
               "-p", '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}]']).code == 0
    statuses = sorted(" ".join(ln.split()[1:3]) for ln in mk("get pods --no-headers").out.splitlines())
    assert statuses == ["1/1 Running", "1/1 Running"]
    assert mk("get deployment web --no-headers").out.split()[1] == "2/2"
    # the old pods' re-syncs and back-offs went with them
    assert kubelet_timers(state) == []
    assert mk("clock advance 5m").code == 0
    assert sorted(" ".join(ln.split()[1:3]) for ln in mk("get pods --no-headers").out.splitlines()) == statuses


def _pod_on(name: str, node: str, image: str, policy: str = "") -> str:
    pol = f"\n    imagePullPolicy: {policy}" if policy else ""
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeName: {node}
  containers:
  - name: c
    image: {image}{pol}
"""


def test_if_not_present_uses_each_nodes_image_cache(cluster):
    mk = cluster
    for name, node in (("a", "minikctl-worker"), ("b", "minikctl-worker"), ("c", "minikctl-worker2")):
        assert mk(["apply", "-f", "-"], input=_pod_on(name, node, "nginx:1.27")).code == 0
    assert pod_json(mk, "a")["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    pulled = kubelet_events(mk, "a")
    assert pulled[0] == 'Normal Pulling 0s kubelet Pulling image "nginx:1.27"'
    assert pulled[1].startswith('Normal Pulled 0s kubelet Successfully pulled image "nginx:1.27" in ')
    assert pulled[1].endswith(" bytes.") and "including waiting). Image size: " in pulled[1]
    assert kubelet_events(mk, "b")[0] == 'Normal Pulled 0s kubelet Container image "nginx:1.27" already present on machine'
    assert kubelet_events(mk, "c")[0] == 'Normal Pulling 0s kubelet Pulling image "nginx:1.27"'  # another node
    # Always (the default for :latest) pulls every time, even when the node has the image
    for name in ("d", "e"):
        assert mk(["apply", "-f", "-"], input=_pod_on(name, "minikctl-worker", "nginx")).code == 0
        assert pod_json(mk, name)["spec"]["containers"][0]["imagePullPolicy"] == "Always"
        assert kubelet_events(mk, name)[0] == 'Normal Pulling 0s kubelet Pulling image "nginx"'


def test_never_pulls(cluster):
    mk = cluster
    assert mk(["apply", "-f", "-"], input=_pod_on("nv", "minikctl-worker", "nginx:1.27", "Never")).code == 0
    assert mk("get pods").out == ("NAME   READY   STATUS              RESTARTS   AGE\n"
                                  "nv     0/1     ErrImageNeverPull   0          0s\n")
    msg = 'Container image "nginx:1.27" is not present with pull policy of Never'
    assert waiting(mk, "nv") == {"message": msg, "reason": "ErrImageNeverPull"}
    assert kubelet_events(mk, "nv") == [f"Warning ErrImageNeverPull 0s kubelet {msg}",
                                        "Warning Failed 0s kubelet Error: ErrImageNeverPull"]
    # the kubelet keeps trying (every sync, no back-off): once the node has the image, it starts
    assert mk("clock advance 21s").code == 0
    assert kubelet_events(mk, "nv") == [f"Warning ErrImageNeverPull 0s (x4 over 21s) kubelet {msg}",
                                        "Warning Failed 0s (x4 over 21s) kubelet Error: ErrImageNeverPull"]
    assert mk(["apply", "-f", "-"], input=_pod_on("puller", "minikctl-worker", "nginx:1.27")).code == 0
    assert row(mk, "nv") == "nv 0/1 ErrImageNeverPull 0"
    assert mk("clock advance 10s").code == 0
    assert row(mk, "nv") == "nv 1/1 Running 0"
    assert kubelet_events(mk, "nv")[-3] == 'Normal Pulled 0s kubelet Container image "nginx:1.27" already present on machine'
    # a kind node has its own images loaded: Never finds them
    assert mk(["apply", "-f", "-"],
              input=_pod_on("dns", "minikctl-worker2", "registry.k8s.io/coredns/coredns:v1.11.3", "Never")).code == 0
    assert row(mk, "dns") == "dns 1/1 Running 0"


def test_invalid_image_name(cluster):
    mk = cluster
    assert mk(["apply", "-f", "-"], input=_pod_on("up", "minikctl-worker", "Nginx")).code == 0
    assert row(mk, "up") == "up 0/1 InvalidImageName 0"
    msg = ('Failed to apply default image tag "Nginx": couldn\'t parse image reference "Nginx": '
           "invalid reference format: repository name (library/Nginx) must be lowercase")
    assert waiting(mk, "up") == {"message": msg, "reason": "InvalidImageName"}
    assert kubelet_events(mk, "up") == [f"Warning InspectFailed 0s kubelet {msg}",
                                        "Warning Failed 0s kubelet Error: InvalidImageName"]


def test_init_container_image_pull(cluster):
    mk = cluster
    manifest = """apiVersion: v1
kind: Pod
metadata: {name: withinit}
spec:
  initContainers:
  - {name: setup, image: busybox:9.9, command: [sh, -c, "true"]}
  containers:
  - {name: app, image: nginx:1.27}
"""
    assert mk(["apply", "-f", "-"], input=manifest).code == 0
    assert row(mk, "withinit") == "withinit 0/1 Init:ErrImagePull 0"
    assert waiting(mk, "withinit") == {"reason": "PodInitializing"}
    assert mk("clock advance 1s").code == 0
    assert row(mk, "withinit") == "withinit 0/1 Init:ImagePullBackOff 0"
    assert kubelet_events(mk, "withinit")[0] == 'Normal Pulling 1s kubelet Pulling image "busybox:9.9"'
    assert "spec.initContainers{setup}" in mk("get events -o wide --field-selector reason=BackOff").out
    out = mk("describe pod withinit").out
    assert "Init Containers:\n  setup:\n" in out and "      Reason:       ImagePullBackOff\n" in out
    assert "      Reason:       PodInitializing\n" in out
    # an init container's image is mutable too
    assert mk(["patch", "pod", "withinit", "--type=json",
               "-p", '[{"op":"replace","path":"/spec/initContainers/0/image","value":"busybox:1.36"}]']).code == 0
    assert row(mk, "withinit") == "withinit 1/1 Running 0"


def test_allow_unknown_images(mk):
    assert mk("cluster create --clock manual --allow-unknown-images").out.endswith(
        "clock manual, unknown images allowed)\n")
    assert "Unknown images:     allowed (generic behaviour)\n" in mk("cluster info").out
    assert mk("run app --image=example.com/team/app:1.0 --port=5000").code == 0
    assert row(mk, "app") == "app 1/1 Running 0"
    ev = kubelet_events(mk, "app")
    assert ev[1].startswith('Normal Pulled 0s kubelet Successfully pulled image "example.com/team/app:1.0" in ')
    assert mk("run tag --image=nginx:0.0.0-nope").code == 0
    assert row(mk, "tag") == "tag 1/1 Running 0"


def test_unknown_images_are_refused_by_default(cluster):
    mk = cluster
    assert "Unknown images:     refused (ErrImagePull; see minikctl image list)\n" in mk("cluster info").out
    # another registry that cannot be resolved from the node, and a known registry without the image
    assert mk("run app --image=example.com/team/app:1.0").code == 0
    assert waiting(mk, "app")["message"] == (
        'failed to pull and unpack image "example.com/team/app:1.0": failed to resolve reference '
        '"example.com/team/app:1.0": failed to do request: Head "https://example.com/v2/team/app/manifests/1.0": '
        "dial tcp: lookup example.com on 172.18.0.1:53: no such host")
    assert mk("run hello --image=gcr.io/google-samples/hello-app").code == 0  # it has 1.0 and 2.0, no latest
    assert waiting(mk, "hello")["message"] == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "gcr.io/google-samples/hello-app:latest": '
        'failed to resolve reference "gcr.io/google-samples/hello-app:latest": '
        "gcr.io/google-samples/hello-app:latest: not found")
    assert mk("run hello2 --image=gcr.io/google-samples/hello-app:2.0").code == 0
    assert row(mk, "hello2") == "hello2 1/1 Running 0"


MY_IMAGE = """name: school/app
description: the class's own app
from: nginx
tags: [v1, v2, "rc-*"]
"""


def test_image_add_registers_tags(cluster, tmp_path):
    mk = cluster
    assert mk("run early --image=school/app:v2").code == 0
    assert row(mk, "early") == "early 0/1 ErrImagePull 0"
    assert HUB_DENIED in waiting(mk, "early")["message"]
    assert mk(f"image add -f {write(tmp_path, 'img.yaml', MY_IMAGE)}").out == "image/school/app created\n"
    assert "tags:\n- v1\n- v2\n- rc-*\n" in mk("image show school/app").out
    for name, image in (("one", "school/app:v1"), ("rc", "school/app:rc-3")):
        assert mk(f"run {name} --image={image}").code == 0
        assert row(mk, name) == f"{name} 1/1 Running 0"
    assert mk("run three --image=school/app:v3").code == 0
    assert waiting(mk, "three")["message"].endswith('"docker.io/school/app:v3": docker.io/school/app:v3: not found')
    assert mk("run latest --image=school/app").code == 0  # no latest tag listed
    assert row(mk, "latest") == "latest 0/1 ErrImagePull 0"
    # the pod that was backing off pulls at its next attempt (11 s after the first)
    assert mk("clock advance 10s").code == 0
    assert row(mk, "early") == "early 0/1 ImagePullBackOff 0"
    assert mk("clock advance 1s").code == 0
    assert row(mk, "early") == "early 1/1 Running 0"


def test_image_add_refuses_bad_tags(cluster, tmp_path, state):
    mk = cluster
    before = store_snapshot(state)
    bad = "name: school/app\nfrom: nginx\ntags: [v1, 'not a tag']\n"
    r = mk(f"image add -f {write(tmp_path, 'bad.yaml', bad)}")
    assert (r.code, r.out) == (1, "")
    assert r.err == ('error: image "school/app": tags: "not a tag" is not a tag (letters, digits, _ . -, '
                     "at most 128; * ? [..] as patterns)\n")
    r = mk(f"image add -f {write(tmp_path, 'num.yaml', 'name: school/app' + chr(10) + 'tags: [v1, 1.10]' + chr(10))}")
    assert (r.code, r.err) == (1, 'error: image "school/app": tags: 1.1 must be quoted ("1.1"): YAML reads it as a number\n')
    r = mk(f"image add -f {write(tmp_path, 'bad2.yaml', 'name: school/app:v1' + chr(10) + 'tags: [v2]' + chr(10))}")
    assert r.code == 1 and "an image named with a tag (school/app:v1) has that tag only" in r.err
    assert store_snapshot(state) == before


def test_deleting_a_backing_off_pod_forgets_it(cluster, state):
    mk = cluster
    assert mk("run badimg --image=mpepping/cyberchf").code == 0
    assert len(kubelet_timers(state)) == 3  # the re-sync, its due time, the pod's back-off
    assert mk("delete pod badimg").code == 0
    assert kubelet_timers(state) == []
    assert mk("clock advance 1m").code == 0
    assert mk("get pods").err == "No resources found in default namespace.\n"


def _kubelet_event_table(mk) -> list[tuple]:
    items = json.loads(mk("get events -o json").out)["items"]
    return sorted((e["involvedObject"]["name"], e["involvedObject"].get("fieldPath"), e["reason"], e["message"],
                   e["count"], e["firstTimestamp"], e["lastTimestamp"])
                  for e in items if e["source"]["component"] == "kubelet")


def test_a_long_advance_counts_as_every_sync_did(tmp_path):
    """Hours of back-off in one `clock advance` are fast-forwarded once steady (a pull every 300 s,
    ImagePullBackOff between; ErrImageNeverPull every sync): the same events, counts, times and
    status as advancing 5 minutes at a time."""
    from tests.conftest import run_inprocess

    results = []
    for steps in (["2h"], ["5m"] * 24):
        state = str(tmp_path / f"s{len(steps)}.db")

        def mk(cmd, input=None, state=state):
            return run_inprocess(shlex.split(cmd) if isinstance(cmd, str) else cmd, state, input)

        assert mk("cluster create --clock manual").code == 0
        assert mk(["apply", "-f", "-"], input=_pod_on("nv", "minikctl-worker", "nginx:1.2", "Never")).code == 0
        two = """apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  nodeName: minikctl-worker2
  containers: [{name: c, image: "nosuch/app"}, {name: d, image: "nginx:0.1"}]
"""
        assert mk(["apply", "-f", "-"], input=two).code == 0
        start = json.loads(mk("get pod two -o json").out)["metadata"]["creationTimestamp"]
        for s in steps:
            assert mk(f"clock advance {s}").code == 0
        pods = {p["metadata"]["name"]: [c["state"] for c in p["status"]["containerStatuses"]]
                for p in json.loads(mk("get pods -o json").out)["items"]}
        results.append((start, _kubelet_event_table(mk), pods))
    (s1, ev1, pods1), (s2, ev2, pods2) = results
    assert pods1 == pods2
    assert pods1["two"][0]["waiting"]["reason"] == "ImagePullBackOff"

    def rel(ev, start):
        from datetime import datetime

        t0 = datetime.fromisoformat(start.replace("Z", "+00:00"))
        f = lambda x: (datetime.fromisoformat(x.replace("Z", "+00:00")) - t0).total_seconds()  # noqa: E731
        return [e[:5] + (f(e[5]), f(e[6])) for e in ev]

    assert rel(ev1, s1) == rel(ev2, s2)
    pulling = [e for e in rel(ev1, s1) if e[2] == "Pulling" and e[0] == "two"]
    # pulls at 0, 11, 31, 71, 151, 311 s, then every 300 s up to 2 h (7200 s): 6 + 22
    assert [(e[1], e[4], e[5], e[6]) for e in pulling] == [("spec.containers{c}", 28, 0, 6911),
                                                           ("spec.containers{d}", 28, 0, 6911)]


def test_one_bad_image_among_two_containers(cluster):
    mk = cluster
    manifest = """apiVersion: v1
kind: Pod
metadata: {name: pair}
spec:
  containers:
  - {name: web, image: nginx:1.27}
  - {name: side, image: busybox:nope, command: [sleep, infinity]}
"""
    assert mk(["apply", "-f", "-"], input=manifest).code == 0
    # a failed start does not stop the other container; printPod shows the waiting reason
    assert row(mk, "pair") == "pair 1/2 ErrImagePull 0"
    st = pod_json(mk, "pair")["status"]
    # kubelet_pods.go getPhase: a container that never started (waiting, no last termination) keeps
    # the pod Pending
    assert st["phase"] == "Pending"
    assert [c["name"] for c in st["containerStatuses"] if c["ready"]] == ["web"]
    assert mk("clock advance 1s").code == 0
    assert row(mk, "pair") == "pair 1/2 ImagePullBackOff 0"


def test_pause_image_is_on_every_kind_node(cluster):
    mk = cluster
    assert mk("run p --image=registry.k8s.io/pause:3.10 --image-pull-policy=Never").code == 0
    assert row(mk, "p") == "p 1/1 Running 0"
    assert kubelet_events(mk, "p")[0] == \
        'Normal Pulled 0s kubelet Container image "registry.k8s.io/pause:3.10" already present on machine'
    assert "executable file not found" in mk("exec p -- sh").err


def test_wall_clock_back_off_catches_up_at_the_next_command(mk, monkeypatch):
    """With the default wall clock the kubelet's re-syncs happen in real time: the next command
    runs those that fell due (here time is moved forward instead of waiting)."""
    import time

    assert mk("cluster create").code == 0
    assert mk("run badimg --image=mpepping/cyberchf").code == 0
    assert row(mk, "badimg") == "badimg 0/1 ErrImagePull 0"
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 2)
    assert row(mk, "badimg") == "badimg 0/1 ImagePullBackOff 0"
    monkeypatch.setattr(time, "time", lambda: real() + 12)
    assert row(mk, "badimg") == "badimg 0/1 ErrImagePull 0"
    assert [e.split()[1] for e in kubelet_events(mk, "badimg")] == ["BackOff", "Failed", "Pulling", "Failed", "Failed"]
    assert "(x2 over " in kubelet_events(mk, "badimg")[2]


def test_changing_a_running_containers_image_to_a_bad_one(cluster):
    """The kubelet kills the container to change its image; the pull fails: ErrImagePull with the
    killed container as lastState and its restart count until a new container is created."""
    mk = cluster
    assert mk("run web --image=nginx:1.27").code == 0
    assert mk("clock advance 1m").code == 0
    assert mk(["patch", "pod", "web", "-p", '{"spec":{"containers":[{"name":"web","image":"nginx:1.99"}]}}']).code == 0
    assert row(mk, "web") == "web 0/1 ErrImagePull 0"
    cs = pod_json(mk, "web")["status"]["containerStatuses"][0]
    assert (cs["image"], cs["imageID"], cs["restartCount"]) == ("nginx:1.99", "", 0)
    assert cs["lastState"]["terminated"]["reason"] == "Completed"
    assert mk("clock advance 15s").code == 0
    assert row(mk, "web") == "web 0/1 ErrImagePull 0"  # the second pull, 11 s after the first
    assert pod_json(mk, "web")["status"]["containerStatuses"][0]["restartCount"] == 0
    assert mk(["patch", "pod", "web", "-p", '{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}']).code == 0
    assert mk("get pod web --no-headers").out.split()[:6] == ["web", "1/1", "Running", "1", "(15s", "ago)"]
    ev = kubelet_events(mk, "web")
    assert "Normal Killing 15s kubelet Container web definition changed, will be restarted" in ev
    assert 'Normal Pulling 4s (x2 over 15s) kubelet Pulling image "nginx:1.99"' in ev


def test_fixing_the_image_with_apply(cluster):
    mk = cluster
    bad = _pod_on("app", "minikctl-worker", "nginx:1.277")
    assert mk(["apply", "-f", "-"], input=bad).code == 0
    assert mk("clock advance 3s").code == 0
    assert row(mk, "app") == "app 0/1 ImagePullBackOff 0"
    r = mk(["apply", "-f", "-"], input=bad.replace("nginx:1.277", "nginx:1.27"))
    assert (r.code, r.out) == (0, "pod/app configured\n")
    assert row(mk, "app") == "app 1/1 Running 0"
    assert kubelet_events(mk, "app")[-4] == 'Normal Pulling 0s kubelet Pulling image "nginx:1.27"'


def test_well_known_repositories_pull_with_the_generic_behaviour(cluster, tmp_path):
    mk = cluster
    assert mk("run db --image=mysql:8.0 --port=3306").code == 0
    assert row(mk, "db") == "db 1/1 Running 0"
    assert "description: MySQL (behaviour not modelled; the generic image)\n" in mk("image show mysql").out
    assert mk("run old --image=mysql:4.1").code == 0
    assert row(mk, "old") == "old 0/1 ErrImagePull 0"
    # a user image can say the same: it exists, with the generic behaviour
    mine = "name: school/api\nfrom: generic\ntags: [v1]\n"
    assert mk(f"image add -f {write(tmp_path, 'api.yaml', mine)}").code == 0
    assert mk("run api --image=school/api:v1 --port=8080").code == 0
    assert row(mk, "api") == "api 1/1 Running 0"
    assert mk("run client --image=curlimages/curl -- sleep infinity").code == 0
    ip = pod_json(mk, "api")["status"]["podIP"]
    assert mk(f"exec client -- curl -s http://{ip}:8080/").out == "Hello from api (image school/api:v1, port 8080)\n"
