"""Pod volumes as the kubelet's volume manager mounts them, in the simulated filesystem.

- configMap, secret, downwardAPI and projected volumes are written by the atomic writer
  (pkg/volume/util/atomic_writer.go): the files go into a timestamped directory
  ``..2024_12_06_11_50_00.123456789``, ``..data`` is a symlink to it, and each top-level
  name is a symlink ``key -> ..data/key``. Their contents are copied at mount and at each
  sync (one row per volume, ``payload``), so an exec reads them in O(1) and sees what the
  kubelet last wrote, not the object as it is now. Since 1.10 they are mounted read-only.
- An update to a ConfigMap or Secret reaches the mounted files at the kubelet's next periodic
  sync of the pod: modelled as SYNC_DELAY (60 s, the kubelet's --sync-frequency default, with
  the watch-based cache's propagation taken as instant) after the change, on the cluster clock.
  Environment variables are never updated, and a ``subPath`` mount keeps the version that was
  current when its container started (the bind mount points at the old timestamped directory).
- emptyDir: a tree kept with the container files under (pod uid, ``vol:NAME``): shared by the
  pod's containers, kept across container restarts, gone with the pod.
- hostPath: each node's own simulated filesystem, under (node uid, ``hostpath``): two pods on
  one node see the same files. Never the host's.

The functions from a pod and objects to files are pure (``payload``, ``atomic_tree``); the
rest reads and writes the store.
"""

from __future__ import annotations

import base64
import json
import posixpath
import time

from minikctl.digest import sha256  # not hashlib: no OpenSSL at start-up

SYNC_DELAY = 60.0
DATA_TYPES = ("configMap", "secret", "downwardAPI", "projected")
TYPES = ("hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
         "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI",
         "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
         "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image")
PAYLOAD_KEY = "data:"      # + volume name: the atomic writer's versions, one row
EMPTYDIR_KEY = "vol:"      # + volume name: an emptyDir's files
HOSTPATH_KEY = "hostpath"  # with the node's uid: the node's filesystem
PV_KEY = "pv"              # with a PersistentVolume's uid: the volume's files (journal.py knows it too)
MOUNT_WAIT_META = "kubelet:mountwait"   # {pod uid: [namespace, name, first failure, attempts]}
# nestedpendingoperations.go: a failed mount is retried after 500 ms, doubling up to 2m2s
RETRY_INITIAL, RETRY_MAX = 0.5, 122.0
REFS_META = "kubelet:volrefs:"          # + namespace: {object name: {pod uid: pod name}}
SYNC_META = "kubelet:volsync"           # JSON list of [due, namespace, object name]
DEFAULT_MODE = 0o644
# what a kind node's root filesystem holds (the directories a hostPath usually names)
NODE_DIRS = ("/etc", "/var/log/pods", "/var/log/containers", "/var/lib/kubelet/pods", "/var/lib/containerd", "/tmp",
             "/run/containerd", "/opt", "/mnt", "/srv", "/home", "/root", "/usr/local/bin", "/data")
NODE_FILES = {"/etc/hostname": None, "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'}
NODE_SOCKETS = ("/run/containerd/containerd.sock",)
NODE_CHARDEVS = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/kmsg")


class MountError(Exception):
    """A volume that cannot be set up: str() is the plugin's error."""


def volume_type(vol: dict) -> str | None:
    for t in TYPES:
        if vol.get(t) is not None:
            return t
    return None


# ------------------------------------------------------------------ payloads
def _secret_bytes(v) -> str:
    try:
        return base64.b64decode(str(v)).decode("utf-8", "surrogateescape")
    except (ValueError, TypeError):
        return ""


def _configmap_data(obj: dict) -> dict[str, str]:
    data = {k: str(v) for k, v in (obj.get("data") or {}).items()}
    for k, v in (obj.get("binaryData") or {}).items():
        data.setdefault(k, _secret_bytes(v))
    return data


def _project(data: dict[str, str], items, default_mode: int, optional: bool, missing: str) -> dict:
    """MakePayload (pkg/volume/configmap/configmap.go, secret/secret.go)."""
    out = {}
    if not items:
        for k, v in data.items():
            out[k] = (v, default_mode)
        return out
    for it in items:
        key = it.get("key", "")
        if key not in data:
            if optional:
                continue
            raise MountError(f"{missing}: {key}")
        mode = it.get("mode")
        out[it.get("path") or key] = (data[key], int(mode) if mode is not None else default_mode)
    return out


def _downward(api, pod: dict, items, default_mode: int) -> dict:
    """CollectData (pkg/volume/downwardapi/downwardapi.go)."""
    from minikctl.kubelet import envvars

    out = {}
    for it in items or ():
        mode = it.get("mode")
        mode = int(mode) if mode is not None else default_mode
        if isinstance(it.get("fieldRef"), dict):
            try:
                value = envvars._field_ref(api, pod, it["fieldRef"].get("fieldPath", ""))
            except envvars.EnvError as e:
                raise MountError(str(e)) from None
        elif isinstance(it.get("resourceFieldRef"), dict):
            try:
                value = envvars._resource_ref(api, pod, {}, it["resourceFieldRef"])
            except envvars.EnvError as e:
                raise MountError(str(e)) from None
        else:
            continue
        out[it.get("path", "")] = (value, mode)
    return out


def _get(api, resource: str, ns: str, name: str) -> dict | None:
    return api.store.get(resource, ns, name)


def payload(api, pod: dict, vol: dict) -> dict[str, tuple[str, int]]:
    """{relative path: (contents, mode)} of an atomic-writer volume. Raises MountError."""
    ns = pod["metadata"].get("namespace", "default")
    if isinstance(vol.get("configMap"), dict):
        src = vol["configMap"]
        mode = src.get("defaultMode")
        mode = int(mode) if mode is not None else DEFAULT_MODE
        optional = bool(src.get("optional"))
        cm = _get(api, "configmaps", ns, src.get("name") or "")
        if cm is None:
            if optional:
                return {}
            raise MountError(f'configmap "{src.get("name") or ""}" not found')
        return _project(_configmap_data(cm), src.get("items"), mode, optional,
                        "configmap references non-existent config key")
    if isinstance(vol.get("secret"), dict):
        src = vol["secret"]
        mode = src.get("defaultMode")
        mode = int(mode) if mode is not None else DEFAULT_MODE
        optional = bool(src.get("optional"))
        sec = _get(api, "secrets", ns, src.get("secretName") or "")
        if sec is None:
            if optional:
                return {}
            raise MountError(f'secret "{src.get("secretName") or ""}" not found')
        data = {k: _secret_bytes(v) for k, v in (sec.get("data") or {}).items()}
        return _project(data, src.get("items"), mode, optional, "references non-existent secret key")
    if isinstance(vol.get("downwardAPI"), dict):
        src = vol["downwardAPI"]
        mode = src.get("defaultMode")
        return _downward(api, pod, src.get("items"), int(mode) if mode is not None else DEFAULT_MODE)
    if isinstance(vol.get("projected"), dict):
        return _projected(api, pod, vol["projected"])
    return {}


def _projected(api, pod: dict, proj: dict) -> dict:
    """collectData (pkg/volume/projected/projected.go)."""
    from minikctl.kubelet import serviceaccount

    ns = pod["metadata"].get("namespace", "default")
    mode = proj.get("defaultMode")
    mode = int(mode) if mode is not None else DEFAULT_MODE
    out: dict = {}
    for src in proj.get("sources") or ():
        if not isinstance(src, dict):
            continue
        if isinstance(src.get("configMap"), dict):
            s = src["configMap"]
            cm = _get(api, "configmaps", ns, s.get("name") or "")
            if cm is None:
                if s.get("optional"):
                    continue
                raise MountError(f'configmap "{s.get("name") or ""}" not found')
            out.update(_project(_configmap_data(cm), s.get("items"), mode, bool(s.get("optional")),
                                "configmap references non-existent config key"))
        elif isinstance(src.get("secret"), dict):
            s = src["secret"]
            sec = _get(api, "secrets", ns, s.get("name") or "")
            if sec is None:
                if s.get("optional"):
                    continue
                raise MountError(f'secret "{s.get("name") or ""}" not found')
            data = {k: _secret_bytes(v) for k, v in (sec.get("data") or {}).items()}
            out.update(_project(data, s.get("items"), mode, bool(s.get("optional")),
                                "references non-existent secret key"))
        elif isinstance(src.get("downwardAPI"), dict):
            out.update(_downward(api, pod, src["downwardAPI"].get("items"), mode))
        elif isinstance(src.get("serviceAccountToken"), dict):
            s = src["serviceAccountToken"]
            out[s.get("path") or "token"] = (serviceaccount.token(api, pod), mode)
    return out


def _sources(vol: dict) -> set[str]:
    """Names of the ConfigMaps and Secrets an atomic-writer volume reads."""
    names = set()
    if isinstance(vol.get("configMap"), dict):
        names.add(vol["configMap"].get("name") or "")
    if isinstance(vol.get("secret"), dict):
        names.add(vol["secret"].get("secretName") or "")
    for src in ((vol.get("projected") or {}).get("sources") or ()) if isinstance(vol.get("projected"), dict) else ():
        if isinstance(src, dict):
            for k in ("configMap", "secret"):
                if isinstance(src.get(k), dict):
                    names.add(src[k].get("name") or "")
    names.discard("")
    return names


def is_token_volume(vol: dict) -> bool:
    """The kube-api-access-xxxxx volume the ServiceAccount admission adds: computed when read
    (its contents never change while the pod lives), so a pod start writes no row for it."""
    proj = vol.get("projected")
    if not isinstance(proj, dict) or not str(vol.get("name", "")).startswith("kube-api-access-"):
        return False
    return any(isinstance(s, dict) and isinstance(s.get("serviceAccountToken"), dict) for s in proj.get("sources") or ())


# --------------------------------------------------------------- atomic writer
def ts_dir(ts: float, salt: str) -> str:
    """The atomic writer's timestamped directory: os.MkdirTemp(dir, "..2006_01_02_15_04_05.")
    adds a random number (here a stable one from `salt`)."""
    n = int(sha256(salt.encode()).hexdigest()[:8], 16)
    return time.strftime("..%Y_%m_%d_%H_%M_%S.", time.gmtime(ts)) + str(n)


def atomic_tree(files: dict, ts: float, dirname: str, tmpfs: bool) -> dict[str, tuple]:
    """{path under the volume: (kind, data, mode)} with kind "d", "f" or "l" (a symlink, data
    its target) as the atomic writer leaves the volume's directory."""
    out: dict[str, tuple] = {"/": ("d", None, 0o1777 if tmpfs else 0o777), f"/{dirname}": ("d", None, 0o755),
                             "/..data": ("l", dirname, 0o777)}
    for rel in sorted(files):
        data, mode = files[rel]
        rel = posixpath.normpath(rel).lstrip("/")
        parts = rel.split("/")
        for i in range(1, len(parts)):
            out[f"/{dirname}/" + "/".join(parts[:i])] = ("d", None, 0o755)
        out[f"/{dirname}/{rel}"] = ("f", data, int(mode) & 0o7777)
        out["/" + parts[0]] = ("l", f"..data/{parts[0]}", 0o777)
    return out


# ------------------------------------------------------------------ the store
def _load_payload(store, uid: str, name: str) -> list | None:
    for path, _kind, data, _m in store.container_files(uid, PAYLOAD_KEY + name):
        if path == "/" and data:
            return json.loads(data)["v"]
    return None


def _save_payload(store, uid: str, name: str, versions: list, ts: float) -> None:
    store.container_file_put(uid, PAYLOAD_KEY + name, "/", "p", json.dumps({"v": versions}), ts)


def _write_version(api, pod: dict, vol: dict, files: dict, versions: list | None) -> list:
    uid = pod["metadata"]["uid"]
    ts = api.clock.timestamp()
    enc = {k: [v, m] for k, (v, m) in files.items()}
    if versions and versions[-1][2] == enc:
        return versions  # shouldWritePayload: nothing changed
    name = ts_dir(ts, f"{uid}|{vol['name']}|{ts}|{len(versions or ())}")
    versions = _pinned(pod, vol["name"], versions or []) + [[ts, name, enc]]
    _save_payload(api.store, uid, vol["name"], versions, ts)
    return versions


def _started(pod: dict, container: str) -> float | None:
    from minikctl.kubelet.exec import running_since

    return running_since(pod, container)


def _subpath_containers(pod: dict, volname: str) -> list[str]:
    spec = pod.get("spec") or {}
    return [c.get("name", "") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])
            if any(m.get("name") == volname and m.get("subPath") for m in c.get("volumeMounts") or ())]


def _version_for(versions: list, started: float | None) -> list:
    """The version a container started at `started` bind-mounted (the current one then)."""
    if started is None:
        return versions[-1]
    best = versions[0]
    for v in versions:
        if v[0] <= started:
            best = v
    return best


def _pinned(pod: dict, volname: str, versions: list) -> list:
    """The versions still bind-mounted by subPath mounts of running containers."""
    keep = []
    for c in _subpath_containers(pod, volname):
        if not versions:
            break
        v = _version_for(versions, _started(pod, c))
        if v not in keep:
            keep.append(v)
    return [v for v in versions if v in keep]


# ---------------------------------------------------------------- mounting
def _node_fs(store, node: dict, now):
    from minikctl.kubelet.fs import StoreFS

    fs = StoreFS(store, node["metadata"]["uid"], HOSTPATH_KEY, now, 0o755, NODE_DIRS)
    fs.add_lower_file("/etc/hostname", node["metadata"]["name"] + "\n")
    for p, data in NODE_FILES.items():
        if data is not None:
            fs.add_lower_file(p, data)
    for p in NODE_SOCKETS:
        fs.add_lower_file(p, "", special="s")
    for p in NODE_CHARDEVS:
        fs.add_lower_file(p, "", special="c")
    return fs


def _check_host_path(fs, path: str, type_: str) -> None:
    """hostPath's checkType (pkg/volume/hostpath/host_path.go)."""
    from minikctl.kubelet.fs import FsError

    p = posixpath.normpath(path) or "/"
    n = fs.node(p)
    fail = "hostPath type check failed: "
    if type_ in ("", "DirectoryOrCreate"):
        if n is None:
            try:
                fs.mkdir(p, parents=True)
            except FsError as e:
                raise MountError(f"mkdir {p}: {e}") from None
            return
        if type_ and not n.is_dir:
            raise MountError(f"{fail}{p} is not a directory")
        return
    if type_ == "FileOrCreate":
        if n is None:
            try:
                fs.mkdir(posixpath.dirname(p), parents=True)
                fs.write(p, "")
            except FsError as e:
                raise MountError(f"open {p}: {e}") from None
            return
        if n.is_dir or getattr(n, "special", None):
            raise MountError(f"{fail}{p} is not a file")
        return
    want = {"Directory": "a directory", "File": "a file", "Socket": "a socket file",
            "CharDevice": "a character device", "BlockDevice": "a block device"}.get(type_)
    if want is None:
        return
    special = getattr(n, "special", None) if n is not None else None
    ok = n is not None and {"Directory": n.is_dir, "File": not n.is_dir and not special,
                            "Socket": special == "s", "CharDevice": special == "c",
                            "BlockDevice": special == "b"}[type_]
    if not ok:
        raise MountError(f"{fail}{p} is not {want}")


def mount_pod(api, pod: dict, node: dict) -> list[tuple[str, str]]:
    """The volume manager's WaitForAttachAndMount: set up every volume the pod's containers
    mount. Returns [(volume name, error)] of those that failed (the pod does not start)."""
    spec = pod.get("spec") or {}
    used = {m.get("name") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])
            for m in c.get("volumeMounts") or () if isinstance(m, dict)}
    errors = []
    refs: set[str] = set()
    for vol in spec.get("volumes") or ():
        if not isinstance(vol, dict) or vol.get("name") not in used:
            continue
        try:
            t = volume_type(vol)
            if t in DATA_TYPES and not is_token_volume(vol):
                refs |= _sources(vol)
                files = payload(api, pod, vol)
                versions = _load_payload(api.store, pod["metadata"]["uid"], vol["name"])
                _write_version(api, pod, vol, files, versions)
            elif t == "hostPath":
                hp = vol["hostPath"]
                fs = _node_fs(api.store, node, api.clock.timestamp)
                _check_host_path(fs, hp.get("path") or "/", hp.get("type") or "")
                _make_subpaths(pod, vol["name"], fs, posixpath.normpath("/" + (hp.get("path") or "/").strip("/")))
            elif t == "persistentVolumeClaim":
                fs = _claim_fs(api, pod, vol)  # issue 11: the bound PersistentVolume's files
                _make_subpaths(pod, vol["name"], fs, "/")
            elif t is not None:
                from minikctl.kubelet.fs import StoreFS

                fs = StoreFS(api.store, pod["metadata"]["uid"], EMPTYDIR_KEY + vol["name"], api.clock.timestamp, 0o777)
                _make_subpaths(pod, vol["name"], fs, "/")
        except MountError as e:
            errors.append((vol["name"], str(e)))
    if refs:
        _add_refs(api, pod, refs)
    if not errors:
        _mount_wait(api, pod, None)
    return errors


def _claim_fs(api, pod: dict, vol: dict, mtime: float | None = None):
    """A persistentVolumeClaim volume: the files of the PersistentVolume the claim is bound
    to, kept under (volume uid, "pv") so that they outlive the pod (minikctl.controllers.volumebinding)."""
    from minikctl.kubelet.fs import StoreFS

    name = (vol.get("persistentVolumeClaim") or {}).get("claimName", "")
    claim = api.store.get("persistentvolumeclaims", pod["metadata"].get("namespace", ""), name)
    if claim is None:
        raise MountError(f'error processing PVC {pod["metadata"].get("namespace", "")}/{name}: '
                         f'PVC is not bound')  # pkg/kubelet/volumemanager/desired_state_of_world_populator.go
    pv_name = (claim.get("spec") or {}).get("volumeName")
    pv = api.store.get("persistentvolumes", "", pv_name) if pv_name else None
    if pv is None or (claim.get("status") or {}).get("phase") != "Bound":
        raise MountError(f'error processing PVC {claim["metadata"]["namespace"]}/{name}: PVC is not bound')
    args = (mtime,) if mtime is not None else ()
    return StoreFS(api.store, pv["metadata"]["uid"], PV_KEY, api.clock.timestamp, 0o777, (), *args)


def _make_subpaths(pod: dict, volname: str, fs, base: str) -> None:
    """The kubelet creates a subPath that does not exist in the volume as a directory
    (kubelet_pods.go makeMounts: MkdirAll of the volume path + subPath)."""
    from minikctl.kubelet.fs import FsError

    spec = pod.get("spec") or {}
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        for m in c.get("volumeMounts") or ():
            sub = str(m.get("subPath") or "").strip("/") if isinstance(m, dict) and m.get("name") == volname else ""
            if sub and fs.node(posixpath.normpath(f"{base}/{sub}")) is None:
                try:
                    fs.mkdir(posixpath.normpath(f"{base}/{sub}"), parents=True)
                except FsError:
                    pass


def failed_mount_message(volume: str, err: str) -> str:
    """operation_generator.go: volumeToMount.GenerateError("MountVolume.SetUp failed", err)
    (generateVolumeMsg: "%v for volume %q %v" with the suffix ": <err>")."""
    return f'MountVolume.SetUp failed for volume "{volume}" : {err}'


def waiting_status(api, pod: dict, node: dict) -> dict:
    """The status the kubelet reports while the pod's volumes are not mounted: no sandbox (no
    pod IP), containers waiting ContainerCreating (init containers PodInitializing)."""
    from minikctl.kubelet import pods

    spec = pod.get("spec") or {}
    status = pod.setdefault("status", {})
    host_ip = pods._host_ip(node)
    status["hostIP"] = host_ip
    status["hostIPs"] = [{"ip": host_ip}] if host_ip else []
    status.setdefault("startTime", api.clock.rfc3339())

    def waiting(c: dict, reason: str) -> dict:
        return {"image": c.get("image", ""), "imageID": "", "lastState": {}, "name": c.get("name", ""),
                "ready": False, "restartCount": 0, "started": False, "state": {"waiting": {"reason": reason}}}

    inits = spec.get("initContainers") or []
    if inits:
        status["initContainerStatuses"] = [waiting(c, "PodInitializing") for c in inits]
    reason = "PodInitializing" if inits else "ContainerCreating"
    status["containerStatuses"] = [waiting(c, reason) for c in spec.get("containers") or []]
    status["phase"] = "Pending"
    status.setdefault("qosClass", "BestEffort")
    status["conditions"] = pods.compute_conditions(api, pod)
    return pod


def attempt_time(t0: float, k: int) -> float:
    """When the volume manager's reconciler tries the k-th time (0: the first failure)."""
    t, d = t0, RETRY_INITIAL
    for _ in range(min(k, 9)):
        t += d
        d = min(d * 2, RETRY_MAX)
    return t + max(0, k - 9) * RETRY_MAX


def attempts_by(t0: float, now: float) -> int:
    """How many attempts were made from t0 up to now."""
    if now < t0:
        return 0
    k = 1
    while k <= 9 and attempt_time(t0, k) <= now + 1e-9:
        k += 1
    if k <= 9:
        return k
    return 10 + int((now - attempt_time(t0, 9) + 1e-9) // RETRY_MAX)


def _waits(api) -> dict:
    raw = api.store.meta_get(MOUNT_WAIT_META)
    return json.loads(raw) if raw else {}


def _save_waits(api, items: dict) -> None:
    from minikctl.kubelet import pods

    if items:
        api.store.meta_set(MOUNT_WAIT_META, json.dumps(items, sort_keys=True))
    else:
        api.store.meta_delete(MOUNT_WAIT_META)
    pods._update_due(api, None, None)


def _mount_wait(api, pod: dict, entry: list | None) -> None:
    uid = pod["metadata"]["uid"]
    items = _waits(api)
    if entry is None:
        if items.pop(uid, None) is None:
            return
    elif items.get(uid) == entry:
        return
    else:
        items[uid] = entry
    _save_waits(api, items)


def mount_failed(api, pod: dict, node_name: str, failed: list[tuple[str, str]]) -> None:
    """The first failed WaitForAttachAndMount of a pod: the FailedMount events, and the
    reconciler's retries scheduled (``on_clock``)."""
    from minikctl.kubelet.pods import SOURCE

    for vol_name, err in failed:
        api.record_event(pod, "Warning", "FailedMount", failed_mount_message(vol_name, err), SOURCE, node_name)
    m = pod["metadata"]
    if m["uid"] not in _waits(api):
        _mount_wait(api, pod, [m.get("namespace", "default"), m["name"], api.clock.timestamp(), 1])


def _retry(api, uid: str, entry: list, now: float, on_clock: bool) -> None:
    """Try the pod's volumes again: start the pod when they mount; on the clock, count the
    failed attempts since the last one as the reconciler's events."""
    from minikctl.api.server import clone
    from minikctl.kubelet import pods

    ns, name, t0, done = entry
    pod = api.try_get("pods", ns, name)
    node_name = ((pod or {}).get("spec") or {}).get("nodeName") or ""
    node = api.try_get("nodes", "", node_name) if node_name else None
    if pod is None or pod["metadata"]["uid"] != uid or pod["metadata"].get("deletionTimestamp") or node is None:
        _mount_wait(api, {"metadata": {"uid": uid}}, None)
        return
    due = attempts_by(t0, now) if on_clock else done
    if on_clock and due <= done:
        return
    failed = mount_pod(api, pod, node)
    if not failed:
        pod = clone(pod)
        for key in ("containerStatuses", "initContainerStatuses"):
            pod.get("status", {}).pop(key, None)  # the ContainerCreating placeholders: none was created
        pods.start_pod(api, pod, node)
        return
    if not on_clock:
        return  # a ConfigMap or Secret changed, not the one missing: the reconciler's schedule stands
    ev = pods._Events(api, pod, node_name)
    first, last = attempt_time(t0, done), attempt_time(t0, due - 1)
    for vol_name, err in failed:
        ev.add_n("Warning", "FailedMount", failed_mount_message(vol_name, err), "", due - done, first, last)
    ev.flush()
    _mount_wait(api, pod, [ns, name, t0, due])


def retry_mounts(api, namespace: str) -> None:
    """A ConfigMap or Secret of the namespace changed: pods waiting on a volume start if their
    volumes mount now."""
    now = api.clock.timestamp()
    for uid, entry in sorted(_waits(api).items()):
        if entry[0] == namespace:
            _retry(api, uid, entry, now, False)


def retry_due(api) -> None:
    """The reconciler's retries that fell due (the clock advanced)."""
    now = api.clock.timestamp()
    for uid, entry in sorted(_waits(api).items()):
        if attempt_time(entry[2], entry[3]) <= now + 1e-9:
            _retry(api, uid, entry, now, True)


def mount_due_times(api) -> list[float]:
    return [attempt_time(e[2], e[3]) for e in _waits(api).values()]


# ------------------------------------------------------------------ updates
def _add_refs(api, pod: dict, names: set[str]) -> None:
    m = pod["metadata"]
    key = REFS_META + m.get("namespace", "default")
    raw = api.store.meta_get(key)
    items = json.loads(raw) if raw else {}
    changed = False
    for n in names:
        d = items.setdefault(n, {})
        if d.get(m["uid"]) != m["name"]:
            d[m["uid"]] = m["name"]
            changed = True
    if changed:
        api.store.meta_set(key, json.dumps(items, sort_keys=True))


def _syncs(api) -> list:
    raw = api.store.meta_get(SYNC_META)
    return json.loads(raw) if raw else []


def _save_syncs(api, items: list) -> None:
    from minikctl.kubelet import pods

    if items:
        api.store.meta_set(SYNC_META, json.dumps(sorted(items)))
    else:
        api.store.meta_delete(SYNC_META)
    pods._update_due(api, None, None)


def due_times(api) -> list[float]:
    return [x[0] for x in _syncs(api)] + mount_due_times(api)


def on_config(api, namespace: str, name: str) -> None:
    """A ConfigMap or Secret changed: the pods that mount it get the new files at their next
    sync (SYNC_DELAY later). Pods waiting on it to mount try again now."""
    retry_mounts(api, namespace)
    raw = api.store.meta_get(REFS_META + namespace)
    if not raw or name not in json.loads(raw):
        return
    items = _syncs(api)
    if any(x[1] == namespace and x[2] == name for x in items):
        return  # one sync pending already: it reads the object as it is then
    items.append([api.clock.timestamp() + SYNC_DELAY, namespace, name])
    _save_syncs(api, items)


def on_clock(api) -> None:
    """Syncs that fell due: rewrite the volumes whose contents changed; retry volumes that
    could not be mounted."""
    retry_due(api)
    now = api.clock.timestamp()
    items = _syncs(api)
    due = [x for x in items if x[0] <= now]
    if not due:
        return
    _save_syncs(api, [x for x in items if x[0] > now])
    from minikctl.kubelet.probes import _TickClock

    real = api.clock
    try:
        for at, ns, name in sorted(due):
            api.clock = _TickClock(at)
            _sync_refs(api, ns, name)
    finally:
        api.clock = real


def _sync_refs(api, ns: str, name: str) -> None:
    key = REFS_META + ns
    raw = api.store.meta_get(key)
    items = json.loads(raw) if raw else {}
    pods_ = items.get(name) or {}
    gone = []
    for uid, pod_name in sorted(pods_.items()):
        pod = api.try_get("pods", ns, pod_name)
        if pod is None or pod["metadata"]["uid"] != uid:
            gone.append(uid)
            continue
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") or not (pod.get("status") or {}).get("podIP"):
            continue
        for vol in (pod.get("spec") or {}).get("volumes") or ():
            if not isinstance(vol, dict) or name not in _sources(vol) or is_token_volume(vol):
                continue
            versions = _load_payload(api.store, uid, vol["name"])
            if versions is None:
                continue
            try:
                files = payload(api, pod, vol)
            except MountError as e:
                # the volume stays as it was; the kubelet reports the failed remount
                api.record_event(pod, "Warning", "FailedMount", failed_mount_message(vol["name"], str(e)),
                                 "kubelet", (pod.get("spec") or {}).get("nodeName") or "")
                continue
            _write_version(api, pod, vol, files, versions)
    if gone:
        for uid in gone:
            pods_.pop(uid, None)
        if not pods_:
            items.pop(name, None)
        if items:
            api.store.meta_set(key, json.dumps(items, sort_keys=True))
        else:
            api.store.meta_delete(key)


# ------------------------------------------------------------- container view
def _pod_start(pod: dict) -> float:
    from minikctl.printers.duration import parse_time

    st = parse_time((pod.get("status") or {}).get("startTime") or "")
    return st.timestamp() if st is not None else 0.0


def container_mounts(api, pod: dict, container: dict) -> list:
    """The container's mounts for its filesystem (minikctl.kubelet.fs.Mount), outermost first."""
    from minikctl.kubelet.fs import DataFS, Mount

    spec = pod.get("spec") or {}
    vols = {v.get("name"): v for v in spec.get("volumes") or () if isinstance(v, dict)}
    uid = pod["metadata"]["uid"]
    now = api.clock.timestamp
    out = []
    node_fs = None
    for vm in container.get("volumeMounts") or ():
        if not isinstance(vm, dict) or not vm.get("mountPath"):
            continue
        vol = vols.get(vm.get("name"))
        if vol is None:
            continue
        t = volume_type(vol)
        sub = str(vm.get("subPath") or "").strip("/")
        ro = bool(vm.get("readOnly"))
        if t in DATA_TYPES:
            if is_token_volume(vol):
                ts = _pod_start(pod)
                try:
                    files = payload(api, pod, vol)
                except MountError:
                    files = {}
                version = [ts, ts_dir(ts, f"{uid}|{vol['name']}"), {k: list(v) for k, v in files.items()}]
            else:
                versions = _load_payload(api.store, uid, vol["name"])
                if not versions:
                    continue
                version = _version_for(versions, _started(pod, container.get("name", ""))) if sub else versions[-1]
            files = {k: (v[0], v[1]) for k, v in version[2].items()}
            tmpfs = t == "secret" or is_token_volume(vol)  # secrets are on tmpfs (a memory emptyDir)
            fs = DataFS(atomic_tree(files, version[0], version[1], tmpfs), version[0], tmpfs)
            base = fs.resolve("/" + sub) if sub else "/"
            out.append(Mount(vm["mountPath"], fs, base or "/" + sub, True))
        elif t == "hostPath":
            if node_fs is None:
                node_name = spec.get("nodeName") or ""
                node = api.store.get("nodes", "", node_name) if node_name else None
                if node is None:
                    continue
                node_fs = _node_fs(api.store, node, now)
            base = posixpath.normpath("/" + (vol["hostPath"].get("path") or "/").strip("/") + ("/" + sub if sub else ""))
            out.append(Mount(vm["mountPath"], node_fs, base, ro))
        elif t == "persistentVolumeClaim":
            try:
                fs = _claim_fs(api, pod, vol, _pod_start(pod))
            except MountError:
                continue
            ro = ro or bool(vol["persistentVolumeClaim"].get("readOnly"))
            out.append(Mount(vm["mountPath"], fs, "/" + sub if sub else "/", ro))
        else:
            from minikctl.kubelet.fs import StoreFS

            fs = StoreFS(api.store, uid, EMPTYDIR_KEY + vol.get("name", ""), now, 0o777, (), _pod_start(pod))
            out.append(Mount(vm["mountPath"], fs, "/" + sub if sub else "/", ro))
    return out
