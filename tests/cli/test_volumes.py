"""Pod volumes through the CLI on a manual clock: configMap, secret, downwardAPI, projected
(the atomic writer's layout, pkg/volume/util/atomic_writer.go), emptyDir shared by a pod's
containers, hostPath as each node's own simulated filesystem, subPath, readOnly; ConfigMap
updates reaching mounted files after the kubelet's sync (not env, not subPath); a missing
ConfigMap/Secret/key (pkg/volume/configmap/configmap.go, secret/secret.go, the operation
executor's "MountVolume.SetUp failed for volume" message); describe; kube-apiserver's
validation of volumes (pkg/apis/core/validation/validation.go validateVolumeSource)."""

from __future__ import annotations

import json
import re

from tests.helpers import store_snapshot

OBJECTS = """apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {color: blue, app.properties: "a=1\\nb=2\\n"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: s3cret, user: admin}
"""

POD = """apiVersion: v1
kind: Pod
metadata: {name: vols, labels: {app: v, tier: web}}
spec:
  containers:
  - name: main
    image: busybox
    command: [sleep, "3600"]
    env:
    - {name: COLOR, valueFrom: {configMapKeyRef: {name: app-config, key: color}}}
    resources: {limits: {memory: 64Mi}}
    volumeMounts:
    - {name: config, mountPath: /etc/config}
    - {name: secret, mountPath: /etc/secret, readOnly: true}
    - {name: picked, mountPath: /etc/picked}
    - {name: cache, mountPath: /cache}
    - {name: info, mountPath: /etc/podinfo}
    - {name: all, mountPath: /etc/all}
    - {name: config, mountPath: /etc/color.txt, subPath: color}
  - name: side
    image: busybox
    command: [sleep, "3600"]
    volumeMounts:
    - {name: cache, mountPath: /data}
    - {name: cache, mountPath: /ro, readOnly: true}
  volumes:
  - {name: config, configMap: {name: app-config}}
  - {name: secret, secret: {secretName: creds, defaultMode: 0400}}
  - name: picked
    secret:
      secretName: creds
      items: [{key: password, path: auth/pw, mode: 0600}]
  - {name: cache, emptyDir: {}}
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: name, fieldRef: {fieldPath: metadata.name}}
      - {path: mem, resourceFieldRef: {containerName: main, resource: limits.memory, divisor: 1Mi}}
  - name: all
    projected:
      sources:
      - configMap: {name: app-config, items: [{key: color, path: color}]}
      - secret: {name: creds, items: [{key: user, path: user}]}
      - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
"""

TS = r"\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+"


def _start(mk, tmp_path):
    (tmp_path / "obj.yaml").write_text(OBJECTS)
    (tmp_path / "pod.yaml").write_text(POD)
    assert mk(f"apply -f {tmp_path / 'obj.yaml'}").code == 0
    r = mk(f"apply -f {tmp_path / 'pod.yaml'}")
    assert r.code == 0, r
    assert mk("get pod vols --no-headers").out.split()[1:3] == ["2/2", "Running"]


def sh(mk, cmd: str, container: str = "main"):
    return mk(["exec", "vols", "-c", container, "--", "sh", "-c", cmd])


def test_configmap_volume_files_and_atomic_writer_layout(cluster, tmp_path):
    _start(cluster, tmp_path)
    assert sh(cluster, "cat /etc/config/color").out == "blue"
    assert sh(cluster, "cat /etc/config/app.properties").out == "a=1\nb=2\n"
    assert sh(cluster, "ls /etc/config").out == "app.properties\ncolor\n"
    lines = sh(cluster, "ls -la /etc/config").out.splitlines()
    assert lines[0] == "total 12"
    assert re.fullmatch(r"drwxrwxrwx 2 root root 4096 .{12} \.", lines[1])
    m = re.fullmatch(rf"drwxr-xr-x 2 root root 4096 .{{12}} ({TS})", lines[3])
    assert m, lines
    ts = m.group(1)
    assert re.fullmatch(rf"lrwxrwxrwx 1 root root +{len(ts)} .{{12}} \.\.data -> {re.escape(ts)}", lines[4])
    assert re.fullmatch(r"lrwxrwxrwx 1 root root +21 .{12} app\.properties -> \.\.data/app\.properties", lines[5])
    assert re.fullmatch(r"lrwxrwxrwx 1 root root +12 .{12} color -> \.\.data/color", lines[6])
    files = sh(cluster, "ls -l /etc/config/..data/").out
    assert re.search(r"^-rw-r--r-- 1 root root 4 .{12} color$", files, re.M), files


def test_secret_volume_modes_items_and_read_only(cluster, tmp_path):
    _start(cluster, tmp_path)
    assert sh(cluster, "cat /etc/secret/password").out == "s3cret"
    listing = sh(cluster, "ls -la /etc/secret").out
    # a secret volume is a tmpfs: sticky directory, sizes of tmpfs directories
    assert re.search(r"^drwxrwxrwt 2 root root  120 .{12} \.$", listing, re.M), listing
    assert re.search(r"^-r-------- 1 root root 6 .{12} password$", sh(cluster, "ls -l /etc/secret/..data/").out, re.M)
    assert sh(cluster, "cat /etc/picked/auth/pw").out == "s3cret"
    assert sh(cluster, "ls /etc/picked").out == "auth\n"
    assert re.search(r"^-rw------- 1 root root 6 .{12} pw$", sh(cluster, "ls -l /etc/picked/auth/").out, re.M)
    # configMap, secret, downwardAPI and projected volumes are always mounted read-only
    r = sh(cluster, "echo x > /etc/config/new")
    assert (r.code, r.err.splitlines()[0]) == (1, "sh: can't create /etc/config/new: Read-only file system"), r
    r = sh(cluster, "touch /etc/secret/password")
    assert (r.code, r.err.splitlines()[0]) == (1, "touch: /etc/secret/password: Read-only file system"), r
    r = sh(cluster, "rm /etc/config/color")
    assert r.code == 1 and "Read-only file system" in r.err, r


def test_downward_api_and_projected_volumes(cluster, tmp_path):
    _start(cluster, tmp_path)
    assert sh(cluster, "cat /etc/podinfo/labels").out == 'app="v"\ntier="web"'
    assert sh(cluster, "cat /etc/podinfo/name").out == "vols"
    assert sh(cluster, "cat /etc/podinfo/mem").out == "64"
    assert sh(cluster, "ls /etc/all").out == "color\nns\nuser\n"
    assert sh(cluster, "cat /etc/all/color /etc/all/user /etc/all/ns").out == "blueadmindefault"


def test_emptydir_shared_between_containers_and_kept_across_restart(cluster, tmp_path):
    _start(cluster, tmp_path)
    assert sh(cluster, "echo hello > /cache/msg; mkdir /cache/d; echo deep > /cache/d/f").code == 0
    assert sh(cluster, "cat /data/msg /data/d/f", "side").out == "hello\ndeep\n"
    assert sh(cluster, "echo back >> /data/msg", "side").code == 0
    assert sh(cluster, "cat /cache/msg").out == "hello\nback\n"
    r = sh(cluster, "echo no > /ro/x", "side")
    assert (r.code, r.err.splitlines()[0]) == (1, "sh: can't create /ro/x: Read-only file system"), r
    assert re.match(r"drwxrwxrwx 3 root root|drwxrwxrwx 2 root root", sh(cluster, "ls -ld /cache").out)
    # the container's own files go with a restart, the emptyDir stays
    assert sh(cluster, "echo mine > /tmp/own").code == 0
    # a new image: the kubelet kills and re-creates the container (restartCount 1)
    assert cluster(["patch", "pod", "vols", "-p", '{"spec":{"containers":[{"name":"main","image":"busybox:1.36"}]}}']).code == 0
    pod = json.loads(cluster("get pod vols -o json").out)
    assert [c["restartCount"] for c in pod["status"]["containerStatuses"]] == [1, 0]
    assert sh(cluster, "cat /tmp/own").code == 1
    assert sh(cluster, "cat /cache/msg").out == "hello\nback\n"


def test_emptydir_gone_with_the_pod(cluster, tmp_path):
    _start(cluster, tmp_path)
    assert sh(cluster, "echo hello > /cache/msg").code == 0
    assert cluster("delete pod vols --wait=false").code == 0
    cluster("clock advance 60s")
    r = cluster(f"apply -f {tmp_path / 'pod.yaml'}")
    assert r.code == 0, r
    assert sh(cluster, "ls -A /cache").out == ""


def test_subpath_mounts_a_file_of_the_volume(cluster, tmp_path):
    _start(cluster, tmp_path)
    assert sh(cluster, "cat /etc/color.txt").out == "blue"
    assert re.match(r"-rw-r--r-- 1 root root 4 ", sh(cluster, "ls -l /etc/color.txt").out)


def test_configmap_update_reaches_files_after_the_sync_not_env_not_subpath(cluster, tmp_path):
    _start(cluster, tmp_path)
    before = sh(cluster, "readlink /etc/config/..data || ls -la /etc/config").out
    r = cluster(["patch", "configmap", "app-config", "-p", '{"data":{"color":"red"}}'])
    assert r.code == 0, r
    assert sh(cluster, "cat /etc/config/color").out == "blue"
    cluster("clock advance 59s")
    assert sh(cluster, "cat /etc/config/color").out == "blue"
    cluster("clock advance 1s")  # the kubelet's next sync of the pod (60 s after the change)
    assert sh(cluster, "cat /etc/config/color").out == "red"
    assert sh(cluster, "cat /etc/all/color").out == "red"  # projected too
    assert sh(cluster, "echo $COLOR").out == "blue\n"        # env is set once, at container start
    assert sh(cluster, "cat /etc/color.txt").out == "blue"    # a subPath mount keeps its file
    assert sh(cluster, "ls /etc/config").out == "app.properties\ncolor\n"
    after = sh(cluster, "ls -la /etc/config").out
    assert after != before and len(re.findall(TS, after)) == 2  # one new timestamped directory


def test_unchanged_configmap_writes_no_new_version(cluster, tmp_path):
    _start(cluster, tmp_path)
    before = sh(cluster, "ls -la /etc/config").out
    assert cluster(["label", "configmap", "app-config", "x=y"]).code == 0
    cluster("clock advance 2m")
    assert sh(cluster, "ls -la /etc/config").out == before


SECRET_UPDATE = """apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: n3w, user: admin}
"""


def test_secret_update_reaches_files(cluster, tmp_path):
    _start(cluster, tmp_path)
    (tmp_path / "s.yaml").write_text(SECRET_UPDATE)
    assert cluster(f"apply -f {tmp_path / 's.yaml'}").code == 0
    cluster("clock advance 90s")
    assert sh(cluster, "cat /etc/secret/password /etc/picked/auth/pw").out == "n3wn3w"


MISSING = """apiVersion: v1
kind: Pod
metadata: {name: waits}
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - {name: config, mountPath: /etc/config}
  volumes:
  - {name: config, configMap: {name: x}}
"""


def test_missing_configmap_keeps_pod_container_creating_until_created(cluster, tmp_path):
    (tmp_path / "p.yaml").write_text(MISSING)
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    r = cluster("get pod waits -o wide --no-headers")
    assert r.out.split()[1:6] == ["0/1", "ContainerCreating", "0", "0s", "<none>"], r
    pod = json.loads(cluster("get pod waits -o json").out)
    st = pod["status"]
    assert st["phase"] == "Pending" and "podIP" not in st
    assert st["containerStatuses"][0]["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert [c["status"] for c in st["conditions"]] == ["False", "True", "False", "False", "True"]
    d = cluster("describe pod waits").out
    assert ('Warning  FailedMount  0s    kubelet            '
            'MountVolume.SetUp failed for volume "config" : configmap "x" not found') in d, d
    cluster("clock advance 30s")
    assert cluster("create configmap x --from-literal=k=v").code == 0
    r = cluster("get pod waits --no-headers")
    assert r.out.split()[1:3] == ["1/1", "Running"], r
    assert cluster(["exec", "waits", "--", "cat", "/etc/config/k"]).out == "v"
    # the pod started when the kubelet first synced it
    assert json.loads(cluster("get pod waits -o json").out)["status"]["startTime"] == st["startTime"]


MISSING_KEY = """apiVersion: v1
kind: Pod
metadata: {name: nokey}
spec:
  containers:
  - name: app
    image: busybox
    command: [sleep, "3600"]
    volumeMounts:
    - {name: config, mountPath: /etc/config}
    - {name: sec, mountPath: /etc/sec}
    - {name: opt, mountPath: /etc/opt}
  volumes:
  - {name: config, configMap: {name: app-config, items: [{key: k, path: k}]}}
  - {name: sec, secret: {secretName: nosuch}}
  - {name: opt, configMap: {name: nosuch, optional: true}}
"""


def test_missing_key_and_secret_messages_optional_mounts_empty(cluster, tmp_path):
    (tmp_path / "obj.yaml").write_text(OBJECTS)
    (tmp_path / "p.yaml").write_text(MISSING_KEY)
    assert cluster(f"apply -f {tmp_path / 'obj.yaml'}").code == 0
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    d = cluster("describe pod nokey").out
    assert ('MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: k'
            in d), d
    assert 'MountVolume.SetUp failed for volume "sec" : secret "nosuch" not found' in d
    assert "opt" not in re.findall(r'volume "(\w+)"', d)
    # fix both: the key appears in the ConfigMap, the Secret is created
    assert cluster(["patch", "configmap", "app-config", "-p", '{"data":{"k":"here"}}']).code == 0
    assert cluster("get pod nokey --no-headers").out.split()[2] == "ContainerCreating"
    assert cluster("create secret generic nosuch --from-literal=a=b").code == 0
    assert cluster("get pod nokey --no-headers").out.split()[2] == "Running"
    assert cluster(["exec", "nokey", "--", "cat", "/etc/config/k", "/etc/sec/a"]).out == "hereb"
    # an optional volume whose ConfigMap is missing is empty (the atomic writer's ..data only)
    assert re.fullmatch(rf"{TS}\n\.\.data\n", cluster(["exec", "nokey", "--", "ls", "-A", "/etc/opt"]).out)
    # an optional ConfigMap created later appears at the next sync
    assert cluster("create configmap nosuch --from-literal=late=yes").code == 0
    cluster("clock advance 1m")
    assert cluster(["exec", "nokey", "--", "cat", "/etc/opt/late"]).out == "yes"


def _host_pod(name: str, node: str, path: str = "/srv/shared", type_: str = "DirectoryOrCreate") -> str:
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeName: {node}
  containers:
  - name: app
    image: busybox
    command: [sleep, "3600"]
    volumeMounts:
    - {{name: h, mountPath: /h}}
    - {{name: logs, mountPath: /logs, readOnly: true}}
  volumes:
  - {{name: h, hostPath: {{path: {path}, type: {type_}}}}}
  - {{name: logs, hostPath: {{path: /var/log}}}}
"""


def test_host_path_is_per_node(cluster, tmp_path):
    for name, node in (("a", "minikctl-worker"), ("b", "minikctl-worker"), ("c", "minikctl-worker2")):
        (tmp_path / f"{name}.yaml").write_text(_host_pod(name, node))
        assert cluster(f"apply -f {tmp_path / f'{name}.yaml'}").code == 0
    assert cluster(["exec", "a", "--", "sh", "-c", "echo from-a > /h/f"]).code == 0
    assert cluster(["exec", "b", "--", "cat", "/h/f"]).out == "from-a\n"
    r = cluster(["exec", "c", "--", "cat", "/h/f"])
    assert (r.code, r.err) == (1, "cat: can't open '/h/f': No such file or directory\ncommand terminated with exit code 1\n"), r
    r = cluster(["exec", "a", "--", "touch", "/logs/x"])
    assert r.code == 1 and "touch: /logs/x: Read-only file system" in r.err, r
    # the files outlive the pods: a new pod on the node sees them
    assert cluster("delete pod a b --wait=false").code == 0
    (tmp_path / "d.yaml").write_text(_host_pod("d", "minikctl-worker"))
    assert cluster(f"apply -f {tmp_path / 'd.yaml'}").code == 0
    assert cluster(["exec", "d", "--", "cat", "/h/f"]).out == "from-a\n"


def test_host_path_type_checks(cluster, tmp_path):
    (tmp_path / "p.yaml").write_text(_host_pod("strict", "minikctl-worker", "/no/such", "Directory"))
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    assert cluster("get pod strict --no-headers").out.split()[2] == "ContainerCreating"
    assert ('MountVolume.SetUp failed for volume "h" : hostPath type check failed: /no/such is not a directory'
            in cluster("describe pod strict").out)
    (tmp_path / "f.yaml").write_text(_host_pod("file", "minikctl-worker", "/etc/hostname", "File"))
    assert cluster(f"apply -f {tmp_path / 'f.yaml'}").code == 0
    assert cluster(["exec", "file", "--", "cat", "/h"]).out == "minikctl-worker\n"
    (tmp_path / "s.yaml").write_text(_host_pod("sock", "minikctl-worker", "/run/containerd/containerd.sock", "File"))
    assert cluster(f"apply -f {tmp_path / 's.yaml'}").code == 0
    assert ("hostPath type check failed: /run/containerd/containerd.sock is not a file"
            in cluster("describe pod sock").out)


def test_describe_volumes_and_mounts(cluster, tmp_path):
    _start(cluster, tmp_path)
    d = cluster("describe pod vols").out
    assert """    Mounts:
      /cache from cache (rw)
      /etc/all from all (rw)
      /etc/color.txt from config (rw,path="color")
      /etc/config from config (rw)
      /etc/picked from picked (rw)
      /etc/podinfo from info (rw)
      /etc/secret from secret (ro)
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-""" in d, d
    assert """Volumes:
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      app-config
    Optional:  false
  secret:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  creds
    Optional:    false
""" in d, d
    assert """  cache:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  info:
    Type:  DownwardAPI (a volume populated by information about the pod)
    Items:
      metadata.labels -> labels
      metadata.name -> name
      limits.memory -> mem
""" in d, d


BAD = """apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - name: main
    image: busybox
    volumeMounts:
    - {name: cfg, mountPath: /etc/config}
    - {name: data, mountPath: /x, subPath: /abs}
  volumes:
  - {name: data, emptyDir: {}}
  - {name: data, emptyDir: {}}
  - {name: h, hostPath: {path: /x, type: Foo}}
  - {name: two, hostPath: {path: /x}, emptyDir: {}}
  - {name: c, configMap: {name: "", defaultMode: 1000, items: [{key: a, path: ../b}]}}
  - {name: d, downwardAPI: {items: [{path: nn, fieldRef: {fieldPath: spec.nodeName}}]}}
"""


def test_validation_of_volumes(cluster, tmp_path, state):
    (tmp_path / "bad.yaml").write_text(BAD)
    before = store_snapshot(state)
    r = cluster(f"apply -f {tmp_path / 'bad.yaml'}")
    assert r.code == 1
    assert r.err == '''The Pod "bad" is invalid: 
* spec.volumes[1].name: Duplicate value: "data"
* spec.volumes[2].hostPath.type: Unsupported value: "Foo": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"
* spec.volumes[3].hostPath: Forbidden: may not specify more than 1 volume type
* spec.volumes[4].configMap.name: Required value
* spec.volumes[4].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive
* spec.volumes[4].configMap.items[0].path: Invalid value: "../b": must not contain '..'
* spec.volumes[5].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"
* spec.containers[0].volumeMounts[0].name: Not found: "cfg"
* spec.containers[0].volumeMounts.subPath: Invalid value: "/abs": must be a relative path
''', r.err
    assert store_snapshot(state) == before


def test_volume_without_a_source_is_an_emptydir(cluster, tmp_path):
    # SetDefaults_Volume: a volume with no source is an emptyDir (so "must specify a volume
    # type" is never reached through the API)
    (tmp_path / "p.yaml").write_text("""apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: scratch, mountPath: /scratch}]}
  volumes:
  - {name: scratch}
""")
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    assert json.loads(cluster("get pod plain -o json").out)["spec"]["volumes"][0] == {"emptyDir": {}, "name": "scratch"}
    assert cluster(["exec", "plain", "--", "sh", "-c", "echo x > /scratch/y; cat /scratch/y"]).out == "x\n"


def test_failed_mount_is_retried_with_the_reconcilers_back_off(cluster, tmp_path):
    # nestedpendingoperations: retries after 0.5 s doubling to 2m2s: attempts at 0, 0.5, 1.5,
    # 3.5, 7.5, 15.5, 31.5, 63.5, 127.5 s (9 by 3 minutes), then every 122 s
    (tmp_path / "p.yaml").write_text(MISSING)
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    cluster("clock advance 3m")
    line = [x for x in cluster("describe pod waits").out.splitlines() if "FailedMount" in x]
    assert line == ['  Warning  FailedMount  53s (x9 over 3m)  kubelet            MountVolume.SetUp failed for volume '
                    '"config" : configmap "x" not found'], line
    assert cluster("get pod waits --no-headers").out.split()[2] == "ContainerCreating"


def test_host_path_directory_created_by_another_pod_mounts_at_the_next_retry(cluster, tmp_path):
    (tmp_path / "p.yaml").write_text(_host_pod("strict", "minikctl-worker", "/srv/made", "Directory"))
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    assert cluster("get pod strict --no-headers").out.split()[2] == "ContainerCreating"
    (tmp_path / "m.yaml").write_text(_host_pod("maker", "minikctl-worker", "/srv/made", "DirectoryOrCreate"))
    assert cluster(f"apply -f {tmp_path / 'm.yaml'}").code == 0
    assert cluster("get pod strict --no-headers").out.split()[2] == "ContainerCreating"
    cluster("clock advance 1s")
    assert cluster("get pod strict --no-headers").out.split()[1:3] == ["1/1", "Running"]


def test_a_server_serves_files_from_a_configmap_volume(cluster, tmp_path):
    assert cluster(["create", "configmap", "site", "--from-literal=index.html=<h1>from configmap</h1>"]).code == 0
    (tmp_path / "p.yaml").write_text("""apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: nginx
    image: nginx
    volumeMounts: [{name: site, mountPath: /usr/share/nginx/html, readOnly: true}]
  volumes: [{name: site, configMap: {name: site}}]
""")
    assert cluster(f"apply -f {tmp_path / 'p.yaml'}").code == 0
    ip = cluster("get pod web -o jsonpath={.status.podIP}").out
    assert cluster("run c --image=curlimages/curl --restart=Never --command -- sleep 3600").code == 0
    assert cluster(["exec", "c", "--", "curl", "-s", f"http://{ip}/"]).out == "<h1>from configmap</h1>"
