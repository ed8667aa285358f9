"""The simulated kubelet's pod sync: start a pod bound to this node.

What a kubelet + containerd + a host-local CNI do when a pod lands on a node, made
instant: the pod gets an IP from the node's podCIDR (host-local IPAM: the gateway .1 is
skipped, addresses are handed out round-robin after the last one reserved, so a
replacement pod gets a new IP), the images are pulled and the containers created and
started, with the kubelet's Events (pkg/kubelet/images/image_manager.go,
pkg/kubelet/kuberuntime/kuberuntime_container.go), and the pod status is written as
kubelet_pods.go generateAPIPodStatus does (conditions PodReadyToStartContainers,
Initialized, Ready, ContainersReady, PodScheduled).

Readiness: ``container_ready`` decides whether a started container is ready. Without a
readinessProbe it is ready at once; with one it starts not ready, and the probe
worker (minikctl/kubelet/probes.py) flips it through ``set_container_ready``.
"""

from __future__ import annotations

from minikctl.api.server import clone
import hashlib
import json

SOURCE = "kubelet"
IMAGES_META = "kubelet:images:"      # + node: JSON list of image refs present on the node
LAST_IP_META = "kubelet:podip-last:"  # + node: last reserved address (host-local lastReservedIP)


# ------------------------------------------------------------------- images
def normalize_image(image: str) -> str:
    """How containerd reports an image reference: docker.io/library/nginx:latest."""
    ref = image.strip()
    name, digest = (ref.split("@", 1) + [""])[:2]
    first, _, rest = name.partition("/")
    if not rest:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and not digest:
        name += ":latest"
    return f"{name}@{digest}" if digest else name


def _repo(ref: str) -> str:
    name = ref.split("@", 1)[0]
    head, _, last = name.rpartition("/")
    return f"{head}/{last.split(':', 1)[0]}" if head else last.split(":", 1)[0]


def resolve_image(api, image: str):
    """The catalog's Image for a reference (minikctl.images.catalog: built-in, user, or generic)."""
    from minikctl.images import catalog

    return catalog.resolve(api.store if api is not None else None, image)


def image_config(image: str, api=None) -> dict:
    """What the runtime knows of an image: env (["K=V", ...] from its config, in order),
    home (of its user), digest ("sha256:..."), size (bytes) and a first pull time (ms).
    Env and user come from the image catalog; digest, size and pull time are derived from
    the reference (stable per image)."""
    ref = normalize_image(image)
    h = hashlib.sha256(_repo(ref).encode() + b"|" + ref.encode()).hexdigest()
    img = resolve_image(api, image)
    info: dict = {"env": [f"{k}={v}" for k, v in img.env] or [f"PATH={_default_path()}"],
                  "home": img.user.get("home") or "/root"}
    if "@sha256:" in ref:
        info["digest"] = ref.split("@", 1)[1]
    info.setdefault("digest", "sha256:" + h)
    info.setdefault("size", 5_000_000 + int(h[:8], 16) % 120_000_000)
    info.setdefault("pull_ms", 800 + int(h[8:12], 16) % 9000)
    return info


def _default_path() -> str:
    from minikctl.kubelet.envvars import DEFAULT_PATH

    return DEFAULT_PATH


def image_id(image: str, api=None) -> str:
    ref = normalize_image(image)
    return f"{_repo(ref)}@{image_config(image, api)['digest']}"


def go_duration_ms(ms: int) -> str:
    """time.Duration.String() of a duration truncated to milliseconds."""
    if ms < 1000:
        return f"{ms}ms"
    s = ms / 1000
    if s < 60:
        return f"{s:.3f}".rstrip("0").rstrip(".") + "s"
    m, sec = divmod(ms, 60_000)
    rest = f"{sec / 1000:.3f}".rstrip("0").rstrip(".")
    if m >= 60:
        h, m = divmod(m, 60)
        return f"{h}h{m}m{rest}s"
    return f"{m}m{rest}s"


# What a kind node image holds before anything is pulled (crictl images on a fresh v1.32 kind
# node): a pod using one of these with IfNotPresent gets "already present on machine".
PRELOADED = ("docker.io/kindest/kindnetd:v20241108-5c6d2daf", "docker.io/kindest/local-path-helper:v20241108-5c6d2daf",
             "docker.io/kindest/local-path-provisioner:v20241108-5c6d2daf", "registry.k8s.io/coredns/coredns:v1.11.3",
             "registry.k8s.io/etcd:3.5.16-0", "registry.k8s.io/kube-apiserver:v1.32.0",
             "registry.k8s.io/kube-controller-manager:v1.32.0", "registry.k8s.io/kube-proxy:v1.32.0",
             "registry.k8s.io/kube-scheduler:v1.32.0", "registry.k8s.io/pause:3.10")


def _node_images(api, node: str) -> list[str]:
    raw = api.store.meta_get(IMAGES_META + node)
    return json.loads(raw) if raw else list(PRELOADED)


# ------------------------------------------------------------------ events
class _Events:
    """The kubelet's event recorder for one pod (client-go's EventCorrelator): a repeat of an
    event with the same source, object, fieldPath, type, reason and message counts up the one
    Event (`kubectl describe` prints "9s (x3 over 40s)"). Events are buffered and written on
    flush(), so catching up on many syncs at once writes each distinct event once."""

    def __init__(self, api, pod: dict, node: str):
        self.api, self.pod, self.node = api, pod, node
        self.pending: dict[tuple, list] = {}

    def add(self, type_: str, reason: str, message: str, field_path: str = "") -> None:
        now = self.api.clock.rfc3339()
        key = (field_path, type_, reason, message)
        p = self.pending.get(key)
        if p is None:
            self.pending[key] = [now, now, 1, self.api.clock.timestamp()]
        else:
            p[1] = now
            p[2] += 1

    def add_n(self, type_: str, reason: str, message: str, field_path: str, n: int, first: float,
              last: float) -> None:
        """n occurrences of one event, the first at `first`, the last at `last` (a fast-forward)."""
        if n <= 0:
            return
        from minikctl.kubelet.probes import _TickClock

        key = (field_path, type_, reason, message)
        p = self.pending.get(key)
        if p is None:
            self.pending[key] = [_TickClock(first).rfc3339(), _TickClock(last).rfc3339(), n, first]
        else:
            p[1] = _TickClock(last).rfc3339()
            p[2] += n

    def flush(self) -> None:
        if not self.pending:
            return
        from minikctl.api import kinds as K
        from minikctl.api.server import index_fields, new_uid

        api, pod = self.api, self.pod
        kind_ev = K.by_kind("Event")
        existing = {}
        for ev in api.events_for(pod):
            inv = ev.get("involvedObject") or {}
            if (ev.get("source") or {}).get("component") == SOURCE:
                existing[(inv.get("fieldPath") or "", ev.get("type"), ev.get("reason"), ev.get("message"))] = ev
        meta = pod["metadata"]
        ns = meta.get("namespace") or "default"
        for key, (first, last, count, ts) in self.pending.items():
            field_path, type_, reason, message = key
            ev = existing.get(key)
            if ev is not None:
                ev = clone(ev)
                ev["count"] = int(ev.get("count") or 1) + count
                ev["lastTimestamp"] = last
            else:
                name = f"{meta['name']}.{int(ts) * 1_000_000_000 + api.store.next_rv():x}"[:253]
                inv = {"kind": "Pod", "namespace": ns, "name": meta["name"], "uid": meta["uid"], "apiVersion": "v1",
                       "resourceVersion": meta.get("resourceVersion")}
                if field_path:
                    inv["fieldPath"] = field_path
                ev = {"apiVersion": "v1", "kind": "Event",
                      "metadata": {"name": name, "namespace": ns, "uid": new_uid(), "creationTimestamp": first},
                      "involvedObject": inv, "reason": reason, "message": message,
                      "source": {"component": SOURCE, **({"host": self.node} if self.node else {})},
                      "firstTimestamp": first, "lastTimestamp": last, "count": count, "type": type_,
                      "eventTime": None, "reportingComponent": SOURCE, "reportingInstance": self.node or ""}
            ev["metadata"]["resourceVersion"] = str(api.store.next_rv())
            m = ev["metadata"]
            api.store.put("events", m["namespace"], m["name"], ev, **index_fields(kind_ev, ev))
        self.pending = {}


def _field_path(pod: dict, c: dict) -> str:
    """GenerateContainerRef's fieldPath: spec.containers{name} or spec.initContainers{name}."""
    name = c.get("name", "")
    app = any(x.get("name") == name for x in (pod.get("spec") or {}).get("containers") or [])
    return f"spec.{'containers' if app else 'initContainers'}{{{name}}}"


# ------------------------------------------------------------------- pulls
PULL_REASONS = ("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName")
# waiting reasons after which the kubelet's next pod sync tries to start the container again
RETRY_REASONS = PULL_REASONS
PULL_BACKOFF_META = "kubelet:pull-backoff:"  # + pod uid: {image: [backoff seconds, last update]}
RESYNC_META = "kubelet:resync"  # JSON list of [due, namespace, pod, uid]: pods whose sync failed
DUE_META = "kubelet:due"  # the earliest of the re-syncs and crash-loop back-offs (a float timestamp)
RESYNC_FIRST, RESYNC_PERIOD = 1, 10
# The pod worker re-syncs a pod whose sync failed after backOffPeriod (10 s, pkg/kubelet/kubelet.go;
# the up-to-50% jitter is dropped); the first failure is followed by a sync ~1 s later (the PLEG
# relist seeing the new sandbox). The image back-off (pkg/kubelet/kubelet.go: flowcontrol.NewBackOff(
# backOffPeriod, MaxContainerBackOff)) starts at 10 s and doubles up to 300 s, so on the cluster clock
# pulls happen at 0, 11, 31, 71, 151, 311 s and every 300 s after, ImagePullBackOff in between.
PULL_BACKOFF_INITIAL, PULL_BACKOFF_MAX = 10, 300

_HUB_DENIED = ("pull access denied, repository does not exist or may require authorization: "
               "server message: insufficient_scope: authorization failed")
_KNOWN_REGISTRIES = ("docker.io", "registry.k8s.io", "k8s.gcr.io", "gcr.io", "quay.io", "ghcr.io",
                     "mcr.microsoft.com", "public.ecr.aws", "registry.gitlab.com", "nvcr.io")

_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_REFERENCE = None


def reference_error(image: str) -> str | None:
    """distribution/reference.ParseNormalizedNamed, as the kubelet's applyDefaultImageTag calls it:
    the error text for an image reference it cannot parse, else None."""
    global _REFERENCE
    import re

    if _REFERENCE is None:
        _REFERENCE = re.compile(rf"^((?:{_DOMAIN}/)?{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*)"
                                r"(?::([\w][\w.-]{0,127}))?"
                                r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")
    if re.fullmatch(r"[a-f0-9]{64}", image):
        return f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
    first, sep, rest = image.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        remainder = rest
    else:
        remainder = image if sep else f"library/{image}"
    remote = remainder.split(":", 1)[0] if ":" in remainder.split("@", 1)[0] else remainder.split("@", 1)[0]
    if remote.lower() != remote:
        return f"invalid reference format: repository name ({remote}) must be lowercase"
    m = _REFERENCE.match(image)
    if not m:
        return "invalid reference format"
    if len(m.group(1)) > 255:
        return "repository name must not be more than 255 characters"
    digest = m.group(3)
    if digest and digest.startswith("sha256:") and len(digest) != 71:
        return "invalid checksum digest length"
    return None


def pull_error(api, image: str) -> str | None:
    """What containerd 1.7 answers to a CRI PullImage of `image` (kubelet's error text: a status
    with code Unknown loses its "rpc error: code = Unknown desc = " prefix, pkg/kubelet/cri/remote/
    remote_image.go), or None when the pull succeeds. Registries are the image catalog: a
    repository it does not know does not exist, unless the cluster allows unknown images."""
    if (getattr(api, "config", None) or {}).get("allowUnknownImages"):
        return None
    from minikctl.images import catalog

    outcome = catalog.pull_check(api.store if api is not None else None, image)
    if outcome == "ok":
        return None
    ref = normalize_image(image)
    head = f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
    host = ref.split("/", 1)[0]
    if outcome == "repository" and host == "docker.io":
        return head + _HUB_DENIED
    if outcome == "repository" and host not in _KNOWN_REGISTRIES:
        name, _, _ = host.partition(":")
        path = ref.split("/", 1)[1].split("@", 1)[0]
        repo, _, tag = path.rpartition(":") if ":" in path else (path, "", "latest")
        if "@" in ref:
            tag = ref.split("@", 1)[1]
        if name in ("localhost", "127.0.0.1"):
            port = host.partition(":")[2] or "443"
            where = f"dial tcp 127.0.0.1:{port}: connect: connection refused"
        else:
            # the node's resolver: a kind node asks Docker's DNS at its network's gateway
            where = f"dial tcp: lookup {name} on {_node_resolver(api)}:53: no such host"
        return head + f'failed to do request: Head "https://{host}/v2/{repo}/manifests/{tag}": {where}'
    return f"rpc error: code = NotFound desc = {head}{ref}: not found"


def _node_resolver(api) -> str:
    from minikctl.allocators.ranges import CIDR

    try:
        return CIDR((getattr(api, "config", None) or {}).get("nodeNetwork") or "172.18.0.0/16").nth(1)
    except ValueError:
        return "172.18.0.1"


def _backoff_message(image: str, entry: list) -> str:
    msg = f'Back-off pulling image "{image}"'
    return f"{msg}: {entry[2]}" if len(entry) > 2 and entry[2] else msg


def _backoffs_of(api, uid: str) -> dict:
    raw = api.store.meta_get(PULL_BACKOFF_META + uid)
    return json.loads(raw) if raw else {}


def _pull(api, pod: dict, container: dict, node: str, ev: "_Events | None" = None) -> tuple[str, str] | None:
    """EnsureImageExists (pkg/kubelet/images/image_manager.go, 1.32) and the Error event
    startContainer records when it fails. Returns (waiting reason, message) when the image cannot
    be had, None when it is on the node."""
    own = ev is None
    if own:
        ev = _Events(api, pod, node)
    try:
        return _ensure_image(api, pod, container, node, ev)
    finally:
        if own:
            ev.flush()


def _ensure_image(api, pod: dict, container: dict, node: str, ev: "_Events") -> tuple[str, str] | None:
    image = container.get("image", "")
    fp = _field_path(pod, container)
    bad = reference_error(image)
    if bad:
        msg = f'Failed to apply default image tag "{image}": couldn\'t parse image reference "{image}": {bad}'
        ev.add("Warning", "InspectFailed", msg, fp)
        ev.add("Warning", "Failed", "Error: InvalidImageName", fp)
        return "InvalidImageName", msg
    ref = normalize_image(image)
    present = _node_images(api, node)
    have = ref in present
    policy = container.get("imagePullPolicy") or ("Always" if ref.endswith(":latest") else "IfNotPresent")
    if policy == "Never" or (policy == "IfNotPresent" and have):
        if have:
            ev.add("Normal", "Pulled", f'Container image "{image}" already present on machine', fp)
            return None
        msg = f'Container image "{image}" is not present with pull policy of Never'
        ev.add("Warning", "ErrImageNeverPull", msg, fp)
        ev.add("Warning", "Failed", "Error: ErrImageNeverPull", fp)
        return "ErrImageNeverPull", msg
    uid = pod["metadata"]["uid"]
    now = api.clock.timestamp()
    backoffs = _backoffs_of(api, uid)
    entry = backoffs.get(image)
    # flowcontrol.Backoff: IsInBackOffSinceUpdate (an entry idle for 2 x max has expired)
    if entry is not None and now - entry[1] <= 2 * PULL_BACKOFF_MAX and now - entry[1] < entry[0]:
        msg = f'Back-off pulling image "{image}"'
        ev.add("Normal", "BackOff", msg, fp)
        ev.add("Warning", "Failed", "Error: ImagePullBackOff", fp)
        # 1.32 (kubernetes#127918): the waiting message wraps the last pull's error
        return "ImagePullBackOff", _backoff_message(image, entry)
    ev.add("Normal", "Pulling", f'Pulling image "{image}"', fp)
    err = pull_error(api, image)
    if err is not None:
        ev.add("Warning", "Failed", f'Failed to pull image "{image}": {err}', fp)
        ev.add("Warning", "Failed", "Error: ErrImagePull", fp)
        # Backoff.Next: the first failure (or one after the entry expired) waits 10 s, then doubles
        if entry is None or now - entry[1] > 2 * PULL_BACKOFF_MAX:
            delay = PULL_BACKOFF_INITIAL
        else:
            delay = min(entry[0] * 2, PULL_BACKOFF_MAX)
        backoffs[image] = [delay, now, f"ErrImagePull: {err}"]
        api.store.meta_set(PULL_BACKOFF_META + uid, json.dumps(backoffs, sort_keys=True))
        return "ErrImagePull", err
    cfg = image_config(image, api)
    ms = int(cfg["pull_ms"]) if not have else max(150, int(cfg["pull_ms"]) // 7)
    d = go_duration_ms(ms)
    ev.add("Normal", "Pulled",
           f'Successfully pulled image "{image}" in {d} ({d} including waiting). Image size: {cfg["size"]} bytes.', fp)
    if not have:
        api.store.meta_set(IMAGES_META + node, json.dumps(sorted(present + [ref])))
    return None


# ------------------------------------------------------------------- pod IPs
_CIDR_BOUNDS: dict[str, tuple[int, int]] = {}  # podCIDR -> (first, last) host-local addresses, per process


def _pod_ip(api, pod: dict, node: dict) -> str | None:
    """host-local IPAM over the node's podCIDR: from .2 up (the .1 gateway, the network and
    broadcast addresses never), starting after the last address reserved."""
    from minikctl.allocators.ranges import CIDR, int_to_ip

    name = node["metadata"]["name"]
    cidr_text = (node.get("spec") or {}).get("podCIDR")
    if not cidr_text:
        return None
    bounds = _CIDR_BOUNDS.get(cidr_text)
    if bounds is None:
        cidr = CIDR(cidr_text)
        bounds = _CIDR_BOUNDS[cidr_text] = (cidr.base + 2, cidr.base + cidr.num - 2)
    first, last = bounds
    if last < first:
        return None
    pool = f"podip:{name}"
    uid = pod["metadata"]["uid"]
    for held_pool, value in api.store.allocations_of(uid):
        if held_pool == pool:
            return int_to_ip(value)
    raw = api.store.meta_get(LAST_IP_META + name)
    start = int(raw) + 1 if raw else first
    if not first <= start <= last:
        start = first
    for a, b in ((start, last), (first, start - 1)):
        if a > b:
            continue
        v = api.store.first_free(pool, a, b)
        if v is not None and api.store.allocate(pool, v, uid):
            api.store.meta_set(LAST_IP_META + name, str(v))
            return int_to_ip(v)
    return None


def _host_ip(node: dict) -> str:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == "InternalIP":
            return a.get("address", "")
    return ""


# ---------------------------------------------------------------- readiness
def container_ready(api, pod: dict, container_spec: dict, status: dict) -> bool:
    """Whether a started container is ready. The plug-in point for probes
    (minikctl/kubelet/probes.py): without a readinessProbe a running container is ready;
    with one it starts not ready (the prober's initial readiness result is Failure)."""
    if not (status.get("state") or {}).get("running"):
        return False
    if container_spec.get("readinessProbe") or container_spec.get("livenessProbe") or \
            container_spec.get("startupProbe"):
        from minikctl.kubelet import probes

        return probes.on_container_start(api, pod, container_spec, status)
    return True


def _cond(type_: str, ok: bool, now: str, old: list, reason: str = "", message: str = "") -> dict:
    prev = next((c for c in old if c.get("type") == type_), None)
    status = "True" if ok else "False"
    ltt = prev.get("lastTransitionTime") if prev and prev.get("status") == status else now
    c: dict = {"lastProbeTime": None, "lastTransitionTime": ltt}
    if not ok and message:
        c["message"] = message
    if not ok and reason:
        c["reason"] = reason
    c["status"] = status
    c["type"] = type_
    return c


def compute_conditions(api, pod: dict) -> list[dict]:
    """generateAPIPodStatus' conditions from the container statuses."""
    now = api.clock.rfc3339()
    status = pod.get("status") or {}
    old = status.get("conditions") or []
    spec = pod.get("spec") or {}
    sandbox = bool(status.get("podIP")) or bool(spec.get("hostNetwork") and status.get("hostIP"))
    inits = status.get("initContainerStatuses") or []
    pending_init = [s["name"] for s in inits
                    if not ((s.get("state") or {}).get("terminated") or {}).get("exitCode") == 0]
    css = status.get("containerStatuses") or []
    unready = [s["name"] for s in css if not s.get("ready")]
    names = [c.get("name") for c in spec.get("containers") or []]
    unready += [n for n in names if n not in {s["name"] for s in css}]
    msg = f"containers with unready status: [{' '.join(unready)}]"
    init_msg = f"containers with incomplete status: [{' '.join(pending_init)}]"
    sched = next((c for c in old if c.get("type") == "PodScheduled"), None) or \
        {"lastProbeTime": None, "lastTransitionTime": now, "status": "True", "type": "PodScheduled"}
    if status.get("phase") in ("Succeeded", "Failed"):
        # generatePodReadyCondition: a finished pod is not ready, with reason PodCompleted
        return [_cond("PodReadyToStartContainers", False, now, old),
                _cond("Initialized", not pending_init, now, old, "ContainersNotInitialized", init_msg),
                _cond("Ready", False, now, old, "PodCompleted"),
                _cond("ContainersReady", False, now, old, "PodCompleted"),
                sched]
    return [
        _cond("PodReadyToStartContainers", sandbox, now, old),
        _cond("Initialized", not pending_init, now, old, "ContainersNotInitialized", init_msg),
        _cond("Ready", not unready and not pending_init, now, old, "ContainersNotReady", msg),
        _cond("ContainersReady", not unready and not pending_init, now, old, "ContainersNotReady", msg),
        sched,
    ]


def set_container_ready(api, pod: dict, container_name: str, ready: bool) -> dict:
    """Flip one container's readiness (what the prober's result does) and recompute the
    pod's Ready/ContainersReady conditions; writes the status only when it changes."""

    new = clone(pod)
    status = new.setdefault("status", {})
    for cs in status.get("containerStatuses") or []:
        if cs.get("name") == container_name:
            cs["ready"] = bool(ready) and bool((cs.get("state") or {}).get("running"))
    status["conditions"] = compute_conditions(api, new)
    if new.get("status") == pod.get("status"):
        return pod
    return api.update_status(new)


# --------------------------------------------------------------------- start
def _new_container_id() -> str:
    from minikctl.api import rand

    return "containerd://" + rand.token_hex(32)


def _start_container(api, pod: dict, c: dict, node: str, restart_count: int = 0, ev: "_Events | None" = None) -> dict:
    """Pull, create and start one container, run its main process; returns its v1.ContainerStatus.
    `ev`: the sync's event buffer (flushed here when the caller gave none)."""
    own = ev is None
    if own:
        ev = _Events(api, pod, node)
    try:
        return _create_and_start(api, pod, c, node, restart_count, ev)
    finally:
        if own:
            ev.flush()


def _create_and_start(api, pod: dict, c: dict, node: str, restart_count: int, ev: "_Events") -> dict:
    name = c.get("name", "")
    now = api.clock.rfc3339()
    base = {"image": normalize_image(c.get("image", "")), "imageID": "", "lastState": {}, "name": name,
            "ready": False, "restartCount": restart_count, "started": False}
    failed = _pull(api, pod, c, node, ev)
    if failed:
        # a container that was never created: its status shows the image as the spec writes it
        base["image"] = c.get("image", "")
        base["state"] = {"waiting": {"message": failed[1], "reason": failed[0]}}
        return base
    from minikctl.kubelet import envvars

    fp = _field_path(pod, c)
    try:
        envvars.snapshot(api, pod, [c])
    except envvars.EnvError as e:
        # kuberuntime startContainer: generateContainerConfig failed -> CreateContainerConfigError;
        # the container was never created, so its status shows the spec's image.
        ev.add("Warning", "Failed", f"Error: {e}", fp)
        base["image"] = c.get("image", "")
        base["state"] = {"waiting": {"message": str(e), "reason": "CreateContainerConfigError"}}
        _config_wait(api, pod, True)
        return base
    ev.add("Normal", "Created", f"Created container: {name}", fp)
    cid = _new_container_id()
    st = {"containerID": cid, **base, "imageID": image_id(c.get("image", ""), api),
          "started": not bool(c.get("startupProbe")), "state": {"running": {"startedAt": now}}}
    # key order as the API server serialises v1.ContainerStatus
    order = ("containerID", "image", "imageID", "lastState", "name", "ready", "restartCount", "started", "state")
    st = {k: st[k] for k in order}
    uid = pod["metadata"]["uid"]
    if restart_count > 1:
        api.store.container_log_drop(uid, name, restart_count - 1)  # the kubelet keeps one dead container
    proc = _main_process(api, pod, c, restart_count)
    # [resources] over its memory limit the main process is OOM-killed (minikctl.kubelet.resources)
    from minikctl.kubelet.resources import oom_kill

    proc = oom_kill(resolve_image(api, c.get("image", "")), c, proc)
    # [/resources]
    if proc.get("startError"):
        # runc could not start the process (kuberuntime startContainer: StartContainer failed)
        msg = proc["startError"]
        ev.add("Warning", "Failed", f"Error: {msg}", fp)
        st["state"] = {"terminated": {"containerID": cid, "exitCode": 128, "finishedAt": now, "message": msg,
                                      "reason": "StartError", "startedAt": "1970-01-01T00:00:00Z"}}
        st["started"] = False
        return st
    ev.add("Normal", "Started", f"Started container {name}", fp)
    if not proc["runs"] or (proc.get("exitCode") is not None and not proc.get("after")):
        # the main process exits at once (busybox's sh without a terminal, `echo hello`, `exit 3`...)
        code = int(proc.get("exitCode") or 0)
        st["state"] = {"terminated": {"containerID": cid, "exitCode": code, "finishedAt": now,
                                      "reason": proc.get("reason") or ("Completed" if code == 0 else "Error"),
                                      "startedAt": now}}
        st["started"] = False
        return st
    if proc.get("exitCode") is not None and proc.get("after"):
        # it exits later on the cluster clock (it sleeps): the kubelet sees the exit at that time
        _schedule_exit(api, pod, name, cid, api.clock.timestamp() + float(proc["after"]), int(proc["exitCode"]))
    if proc.get("argv_run") and proc.get("exitCode") is None and _is_init(pod, c) and not _is_sidecar(c):
        _polling(api, pod, name, cid, True)
    failed_hook = _post_start(api, pod, c, st, ev)
    if failed_hook:
        # kuberuntime startContainer: a failed postStart hook kills the container (FailedPostStartHook)
        exits = _exits(api)
        if any(x[5] == cid for x in exits):
            _save_exits(api, [x for x in exits if x[5] != cid])
        _drop_future_logs(api, pod, name, restart_count, api.clock.timestamp())
        st["state"] = {"terminated": {"containerID": cid, "exitCode": 137, "finishedAt": now, "reason": "Error",
                                      "startedAt": now}}
        st["started"] = False
        return st
    if _is_init(pod, c) and not _is_sidecar(c):
        return st  # an init container is not probed and not ready: it runs to its end
    st["ready"] = container_ready(api, pod, c, st)
    return st


def _post_start(api, pod: dict, c: dict, st: dict, ev: "_Events") -> bool:
    """The container's postStart exec hook, run in the container once it started
    (pkg/kubelet/lifecycle/handlers.go); True when it failed (Warning FailedPostStartHook and
    the container is killed). An httpGet hook is not simulated (it succeeds)."""
    hook = ((c.get("lifecycle") or {}).get("postStart") or {}).get("exec")
    if not hook:
        return False
    cmd = [str(x) for x in hook.get("command") or ()]
    name = c.get("name", "")
    view = clone(pod)
    found = _statuses_of(view, name)
    if found is None:
        view.setdefault("status", {}).setdefault(
            "initContainerStatuses" if _is_init(pod, c) else "containerStatuses", []).append(st)
    else:
        found[0][found[1]] = st
    from minikctl.kubelet.exec import probe_exec

    code, out = probe_exec(api, view, name, cmd) if cmd else (None, "missing exec command")
    if code == 0:
        return False
    # 1.32 does not put the hook's output in the event ("so that secrets won't leak from the server")
    msg = "PostStartHook failed"
    fp = _field_path(pod, c)
    ev.add("Warning", "FailedPostStartHook", msg, fp)
    ev.add("Normal", "Killing", "FailedPostStartHook", fp)
    return True


def _main_process(api, pod: dict, c: dict, instance: int) -> dict:
    """What the container's main process does (minikctl.images.catalog.main_process): an image's
    own process from the catalog's data, any other command run in the simulated shell
    (minikctl.kubelet.exec.run_main_process). Its output is appended to the container's log,
    each line at the time it is printed (a line printed after a sleep is in the future until the
    clock reaches it)."""
    from minikctl.images import catalog
    from minikctl.kubelet import envvars

    img = resolve_image(api, c.get("image", ""))
    env = dict(envvars.container_env(api, pod, c.get("name", "")))
    proc = catalog.main_process(img, c, env)
    uid, name = pod["metadata"]["uid"], c.get("name", "")
    if proc.get("argv") and c.get("stdin"):
        # stdin open (run -i, attach): the process waits for its input; `run -i` runs it through
        # exec with the terminal's input (minikctl.cli.cmd_run _attach)
        return {"runs": True, "servers": False, "exitCode": None, "after": None, "startError": None}
    if proc.get("argv"):
        from minikctl.kubelet.exec import run_main_process

        res = run_main_process(api, pod, c, proc["argv"])
        if res["log"]:
            api.store.container_log_append_rows([(uid, name, instance, ts, ln) for ts, ln in res["log"]])
        runs = res["exitCode"] is None or bool(res["after"])
        return {"runs": runs, "servers": False, "exitCode": res["exitCode"], "after": res["after"],
                "startError": res["startError"], "argv_run": True}
    lines = [str(x) for x in proc.get("log") or ()]
    if lines:
        api.store.container_log_append(uid, name, instance, api.clock.timestamp(), lines)
    if proc["runs"]:
        return {**proc, "exitCode": None, "after": None}  # a server: it runs until it is stopped
    return {**proc, "after": 0.0}


def _is_init(pod: dict, c: dict) -> bool:
    name = c.get("name")
    return any(x.get("name") == name for x in (pod.get("spec") or {}).get("initContainers") or ())


def _is_sidecar(c: dict) -> bool:
    """A restartable init container (restartPolicy: Always, 1.29+): it keeps running beside the app."""
    return c.get("restartPolicy") == "Always"


def _drop_future_logs(api, pod: dict, name: str, instance: int, after: float) -> None:
    """A process killed at `after` prints nothing later: its simulated-ahead lines go."""
    api.store.conn.execute("DELETE FROM container_logs WHERE pod_uid=? AND container=? AND instance=? AND ts>?",
                           (pod["metadata"]["uid"], name, instance, after))


# ------------------------------------------------------------ restarts/back-off
BACKOFF_META = "kubelet:backoff"  # JSON list of [due, namespace, pod, uid, container, delay, events through]
EXITS_META = "kubelet:exits"  # JSON list of [due, namespace, pod, uid, container, containerID, exit code]
CRASH_BACKOFF_META = "kubelet:crash-backoff:"  # + pod uid: {container: [backoff seconds, last update]}
# pkg/kubelet/kubelet.go: flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff): 10 s doubling up to
# 5 minutes; an entry whose container ran longer than 2 x MaxContainerBackOff (10 min) since its last
# update has expired (flowcontrol hasExpired), so the next crash restarts at once with 10 s again.
BACKOFF_INITIAL, BACKOFF_MAX = 10, 300
SYNC_PERIOD = 10  # a pod in back-off is synced again every backOffPeriod: one BackOff event each time


def _restart_allowed(pod: dict, exit_code: int, c: dict | None = None) -> bool:
    """kuberuntime_manager.go computePodActions / ShouldContainerBeRestarted: an init container
    is restarted only after a failure (never when the pod's policy is Never); a sidecar always."""
    policy = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    if c is not None and _is_init(pod, c):
        if _is_sidecar(c):
            return True
        return policy != "Never" and exit_code != 0
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)


def _backoffs(api) -> list:
    raw = api.store.meta_get(BACKOFF_META)
    return json.loads(raw) if raw else []


def _save_backoffs(api, items: list) -> None:
    if items:
        api.store.meta_set(BACKOFF_META, json.dumps(sorted(items)))
    else:
        api.store.meta_delete(BACKOFF_META)
    _update_due(api, None, items)


def _exits(api) -> list:
    raw = api.store.meta_get(EXITS_META)
    return json.loads(raw) if raw else []


def _save_exits(api, items: list) -> None:
    if items:
        api.store.meta_set(EXITS_META, json.dumps(sorted(items)))
    else:
        api.store.meta_delete(EXITS_META)
    _update_due(api, None, None, items)


def _schedule_exit(api, pod: dict, name: str, cid: str, at: float, code: int) -> None:
    m = pod["metadata"]
    items = [x for x in _exits(api) if not (x[3] == m["uid"] and x[4] == name)]
    items.append([at, m.get("namespace", "default"), m["name"], m["uid"], name, cid, code])
    _save_exits(api, items)


def _clear_backoff(api, uid: str, container: str | None = None) -> None:
    items = _backoffs(api)
    keep = [b for b in items if not (b[3] == uid and (container is None or b[4] == container))]
    if len(keep) != len(items):
        _save_backoffs(api, keep)
    items = _exits(api)
    keep = [b for b in items if not (b[3] == uid and (container is None or b[4] == container))]
    if len(keep) != len(items):
        _save_exits(api, keep)
    if container is None:
        api.store.meta_delete(CRASH_BACKOFF_META + uid)


def _crash_entries(api, uid: str) -> dict:
    raw = api.store.meta_get(CRASH_BACKOFF_META + uid)
    return json.loads(raw) if raw else {}


def _save_crash_entries(api, uid: str, d: dict) -> None:
    api.store.meta_set(CRASH_BACKOFF_META + uid, json.dumps(d, sort_keys=True))


def _who(pod: dict) -> str:
    m = pod["metadata"]
    return f"{m['name']}_{m.get('namespace', 'default')}({m['uid']})"  # format.Pod


def go_seconds(sec: float) -> str:
    """time.Duration.String() of whole seconds: 10s, 1m20s, 5m0s."""
    sec = int(sec)
    if sec < 60:
        return f"{sec}s"
    m, s = divmod(sec, 60)
    if m < 60:
        return f"{m}m{s}s"
    h, m = divmod(m, 60)
    return f"{h}h{m}m{s}s"


def _handle_exit(api, pod: dict, c: dict, st: dict, node: str, ev: "_Events | None" = None) -> dict:
    """A container's process ended (its status is terminated, at the clock's now): restart it
    per restartPolicy, at once or after the kubelet's crash-loop back-off
    (kuberuntime_manager.go doBackOff: IsInBackOffSince(key, finishedAt), else Next and start)."""
    term = (st.get("state") or {}).get("terminated")
    if not term or not _restart_allowed(pod, int(term.get("exitCode") or 0), c):
        return st
    own = ev is None
    if own:
        ev = _Events(api, pod, node)
    try:
        return _crash(api, pod, c, st, node, ev)
    finally:
        if own:
            ev.flush()


def _crash(api, pod: dict, c: dict, st: dict, node: str, ev: "_Events") -> dict:
    name = c.get("name", "")
    uid = pod["metadata"]["uid"]
    term = st["state"]["terminated"]
    now = api.clock.timestamp()
    entries = _crash_entries(api, uid)
    entry = entries.get(name)
    if entry is None or now - entry[1] > 2 * BACKOFF_MAX:
        # not in back-off: Next (a new or expired entry starts at 10 s) and start it again now
        entries[name] = [BACKOFF_INITIAL, now]
        _save_crash_entries(api, uid, entries)
        api.store.container_files_wipe(uid, name)  # a new container: what the old one wrote is gone
        new = _start_container(api, pod, c, node, int(st.get("restartCount") or 0) + 1, ev)
        new["lastState"] = {"terminated": term}
        if "terminated" in (new.get("state") or {}):
            return _crash(api, pod, c, new, node, ev) if _restart_allowed(
                pod, int(new["state"]["terminated"].get("exitCode") or 0), c) else new
        return new
    delay = entry[0]
    ev.add("Warning", "BackOff", f"Back-off restarting failed container {name} in pod {_who(pod)}", _field_path(pod, c))
    st = dict(st)
    st["lastState"] = {"terminated": term}
    st["ready"] = False
    st["started"] = False
    st["state"] = {"waiting": {"message": f"back-off {go_seconds(delay)} restarting failed container={name} "
                                          f"pod={_who(pod)}", "reason": "CrashLoopBackOff"}}
    m = pod["metadata"]
    items = [b for b in _backoffs(api) if not (b[3] == uid and b[4] == name)]
    items.append([now + delay, m.get("namespace", "default"), m["name"], uid, name, delay, now])
    _save_backoffs(api, items)
    return st


def on_clock(api) -> None:
    """Kubelet timers that fell due: a container's process exits (a sleep ended), a crash-loop
    back-off ran out (the container starts again), a pod whose sync failed (an image pull) is
    synced again. Each pod's timers run in time order on their own ticks; its events are
    aggregated and written once, its status once."""
    from minikctl.kubelet import volumes

    volumes.on_clock(api)  # mounted ConfigMaps/Secrets updated at the pods' next sync
    _resync_due(api)
    _terminate_due(api)
    now = api.clock.timestamp()
    exits, backs = _exits(api), _backoffs(api)
    due: dict[str, tuple] = {}
    for x in exits + backs:
        if x[0] <= now and (x[3] not in due or x[0] < due[x[3]][0]):
            due[x[3]] = (x[0], x[1], x[2])
    waiting = [b for b in backs if b[0] > now and b[6] + SYNC_PERIOD <= now and b[3] not in due]
    for uid, (_at, ns, name) in sorted(due.items(), key=lambda kv: kv[1]):
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            _clear_backoff(api, uid)
            continue
        from minikctl.controllers.nodemonitor import is_stopped  # issue 11 (w-node)

        if is_stopped(api, (pod.get("spec") or {}).get("nodeName")):
            continue  # a stopped kubelet's timers wait for it (they run when it starts)
        if not api.store.probe_states(uid):
            _advance_pod(api, pod, now)
            continue
        _advance_with_probes(api, pod, now)
    if waiting:
        _backoff_syncs(api, waiting, now)


def _advance_with_probes(api, pod: dict, now: float) -> None:
    """A pod with probes: its probe ticks and its kubelet timers interleave in time order (a liveness
    kill cancels an exit due later; an exit stops the probes of that container)."""
    from minikctl.kubelet import probes
    from minikctl.kubelet.probes import _TickClock

    uid = pod["metadata"]["uid"]
    ns, name = pod["metadata"].get("namespace", "default"), pod["metadata"]["name"]
    real = api.clock
    for _ in range(10_000):
        t = _next_timer(api, uid, now)
        if t is None:
            break
        at = t[1][0]
        api.clock = _TickClock(at)
        try:
            probes.run_due(api, only_uid=uid)
        finally:
            api.clock = real
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            return
        _advance_pod(api, pod, at)
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            return


def _backoff_syncs(api, entries: list, now: float) -> None:
    """Pods still in a crash-loop back-off: the syncs since the last one each record the BackOff event."""
    items = _backoffs(api)
    by_key = {(b[3], b[4]): b for b in items}
    for e in entries:
        b = by_key.get((e[3], e[4]))
        if b is None:
            continue
        pod = api.try_get("pods", b[1], b[2])
        if pod is None or pod["metadata"]["uid"] != b[3]:
            continue
        ev = _Events(api, pod, (pod.get("spec") or {}).get("nodeName") or "")
        b[6] = _backoff_events(pod, b, ev, now)
        ev.flush()
    _save_backoffs(api, list(by_key.values()))


def _backoff_events(pod: dict, b: list, ev: "_Events", upto: float) -> float:
    """The BackOff events of the syncs after b[6] (the last one recorded) up to `upto`, before the
    restart at b[0]; returns the time of the last one."""
    last = min(upto, b[0] - SYNC_PERIOD)
    n = int((last - b[6]) // SYNC_PERIOD)
    if n <= 0:
        return b[6]
    c = _spec_container(pod, b[4]) or {"name": b[4]}
    end = b[6] + n * SYNC_PERIOD
    ev.add_n("Warning", "BackOff", f"Back-off restarting failed container {b[4]} in pod {_who(pod)}",
             _field_path(pod, c), n, b[6] + SYNC_PERIOD, end)
    return end


def _spec_container(pod: dict, name: str) -> dict | None:
    spec = pod.get("spec") or {}
    return next((x for x in (spec.get("initContainers") or []) + (spec.get("containers") or [])
                 if x.get("name") == name), None)


def _statuses_of(pod: dict, name: str) -> tuple[list, int] | None:
    status = pod.get("status") or {}
    for key in ("initContainerStatuses", "containerStatuses"):
        lst = status.get(key) or []
        for i, x in enumerate(lst):
            if x.get("name") == name:
                return lst, i
    return None


def _next_timer(api, uid: str, until: float):
    exits = [("exit", x) for x in _exits(api) if x[3] == uid and x[0] <= until]
    backs = [("restart", x) for x in _backoffs(api) if x[3] == uid and x[0] <= until]
    timers = sorted(exits + backs, key=lambda t: (t[1][0], t[0] != "exit"))
    return timers[0] if timers else None


def _advance_pod(api, pod: dict, until: float) -> None:
    """Run one pod's kubelet timers due up to `until`, each on its own tick."""
    from minikctl.kubelet.probes import _TickClock

    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    uid = pod["metadata"]["uid"]
    before = pod.get("status")
    pod = clone(pod)
    pod.setdefault("status", {})
    real = api.clock
    ev = _Events(api, pod, node)
    steps = 0
    try:
        while True:
            t = _next_timer(api, uid, until)
            if t is None or pod["metadata"].get("deletionTimestamp"):
                break
            steps += 1
            if steps > 10_000:  # pragma: no cover - a safety net: steady loops are fast-forwarded
                break
            kind, x = t
            api.clock = _TickClock(x[0])
            if kind == "exit":
                _save_exits(api, [e for e in _exits(api) if not (e[3] == uid and e[4] == x[4])])
                _apply_exit(api, pod, x[4], x[5], int(x[6]), node, ev)
            else:
                _save_backoffs(api, [b for b in _backoffs(api) if not (b[3] == uid and b[4] == x[4])])
                _backoff_events(pod, x, ev, x[0])
                _apply_restart(api, pod, x[4], node, ev, until)
            _finish_status(api, pod, resync=False)
        ev.flush()
    finally:
        api.clock = real
    if _needs_resync(pod):
        _schedule_resync(api, pod, api.clock.timestamp() + RESYNC_FIRST)
    if pod.get("status") != before:
        api.update_status(pod)


def _apply_exit(api, pod: dict, name: str, cid: str, code: int, node: str, ev: "_Events") -> None:
    """The container's process exited with `code` at the clock's now."""
    found = _statuses_of(pod, name)
    c = _spec_container(pod, name)
    if found is None or c is None:
        return
    lst, i = found
    st = clone(lst[i])
    running = (st.get("state") or {}).get("running")
    if running is None or st.get("containerID") != cid:
        return  # that container is gone already (killed, restarted)
    now = api.clock.rfc3339()
    st["state"] = {"terminated": {"containerID": cid, "exitCode": code, "finishedAt": now,
                                  "reason": "Completed" if code == 0 else "Error",
                                  "startedAt": running.get("startedAt", now)}}
    st["ready"] = False
    st["started"] = False
    lst[i] = _handle_exit(api, pod, c, st, node, ev)
    if _is_init(pod, c):
        _run_containers(api, pod, node, ev)  # the next init container, or the app containers


def _apply_restart(api, pod: dict, name: str, node: str, ev: "_Events", until: float) -> None:
    """A crash-loop back-off ran out: Next (the back-off doubles) and start the container again."""
    found = _statuses_of(pod, name)
    c = _spec_container(pod, name)
    if found is None or c is None:
        return
    lst, i = found
    old = lst[i]
    if ((old.get("state") or {}).get("waiting") or {}).get("reason") != "CrashLoopBackOff":
        return
    uid = pod["metadata"]["uid"]
    now = api.clock.timestamp()
    entries = _crash_entries(api, uid)
    entry = entries.get(name) or [BACKOFF_INITIAL, now]
    finished = _ts(((old.get("lastState") or {}).get("terminated") or {}).get("finishedAt")) or now
    if finished - entry[1] > 2 * BACKOFF_MAX:
        entry = [BACKOFF_INITIAL, now]
    else:
        entry = [min(entry[0] * 2, BACKOFF_MAX), now]
    entries[name] = entry
    _save_crash_entries(api, uid, entries)
    count = int(old.get("restartCount") or 0) + 1
    skipped = _fast_forward_crash(api, pod, c, old, entry, ev, until)
    if skipped:
        count += skipped
        now = api.clock.timestamp()
    api.store.container_files_wipe(uid, name)
    new = _start_container(api, pod, c, node, count, ev)
    new["lastState"] = old.get("lastState") or {}
    if "terminated" in (new.get("state") or {}):
        new = _handle_exit(api, pod, c, new, node, ev)
    lst[i] = new


def _fast_forward_crash(api, pod: dict, c: dict, old: dict, entry: list, ev: "_Events", until: float) -> int:
    """A crash loop at the 5-minute cap whose container exits as it starts repeats the same cycle
    (pull check, Created, Started, exit, 30 BackOff syncs) every 300 s: account for all but the
    last two cycles up to `until` at once (events counted, restartCount), so a long `clock advance`
    costs O(1) per pod. Returns the cycles skipped (the clock is moved to the last one)."""
    from minikctl.kubelet.probes import _TickClock

    last = (old.get("lastState") or {}).get("terminated") or {}
    if entry[0] != BACKOFF_MAX or not last or last.get("startedAt") != last.get("finishedAt"):
        return 0
    now = api.clock.timestamp()
    cycles = int((until - now) // BACKOFF_MAX)
    if cycles < 3:
        return 0
    skip = cycles - 2
    # one cycle's events, as the last one recorded them
    name = c.get("name", "")
    fp = _field_path(pod, c)
    per = [(k, v[2]) for k, v in ev.pending.items() if k[0] == fp and k[2] in ("Pulled", "Pulling", "Created",
                                                                                  "Started", "Failed")]
    if not per:
        return 0
    for (fpath, type_, reason, message), _n in per:
        ev.add_n(type_, reason, message, fpath, skip, now, now + (skip - 1) * BACKOFF_MAX)
    ev.add_n("Warning", "BackOff", f"Back-off restarting failed container {name} in pod {_who(pod)}", fp,
             skip * (BACKOFF_MAX // SYNC_PERIOD), now, now + skip * BACKOFF_MAX - SYNC_PERIOD)
    t = now + skip * BACKOFF_MAX
    api.clock = _TickClock(t)
    uid = pod["metadata"]["uid"]
    entries = _crash_entries(api, uid)
    entries[name] = [BACKOFF_MAX, t]
    _save_crash_entries(api, uid, entries)
    return skip


def _ts(text: str | None) -> float | None:
    from minikctl.kubelet.exec import parse_time

    return parse_time(text)


def _finish_status(api, pod: dict, resync: bool = True) -> None:
    """Phase (kubelet_pods.go getPhase) and conditions from the container statuses; a pod with a
    container to retry (an image pull) is synced again (RESYNC_FIRST seconds later)."""
    status = pod["status"]
    if resync and _needs_resync(pod):
        _schedule_resync(api, pod, api.clock.timestamp() + RESYNC_FIRST)
    status["phase"] = _phase(pod)
    if status["phase"] in ("Succeeded", "Failed"):
        _release_ip(api, pod)
        _clear_backoff(api, pod["metadata"]["uid"])
    status["conditions"] = compute_conditions(api, pod)


def _phase(pod: dict) -> str:
    """kubelet_pods.go getPhase (1.32)."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    policy = spec.get("restartPolicy") or "Always"
    inits = {c.get("name"): c for c in spec.get("initContainers") or []}
    pending_init = failed_init = 0
    init_st = {x.get("name"): x for x in status.get("initContainerStatuses") or []}
    for name, c in inits.items():
        x = init_st.get(name)
        if x is None:
            pending_init += 1
            continue
        state = x.get("state") or {}
        if _is_sidecar(c):
            if not x.get("started") and "running" not in state:
                pending_init += 1
            continue
        term = state.get("terminated")
        if term is not None and int(term.get("exitCode") or 0) == 0:
            continue
        if term is not None or (((state.get("waiting") or {}).get("reason")) and
                                (x.get("lastState") or {}).get("terminated")):
            failed_init += 1
        pending_init += 1
    if failed_init and policy == "Never":
        return "Failed"
    running = waiting = stopped = succeeded = 0
    regular_started = False
    for x in status.get("containerStatuses") or []:
        state = x.get("state") or {}
        if "running" in state:
            running += 1
            regular_started = True
        elif "terminated" in state:
            stopped += 1
            regular_started = True
            if int(state["terminated"].get("exitCode") or 0) == 0:
                succeeded += 1
        elif (x.get("lastState") or {}).get("terminated"):
            stopped += 1
            regular_started = True
        else:
            waiting += 1
    waiting += len(spec.get("containers") or []) - len(status.get("containerStatuses") or [])
    if (pending_init and not regular_started) or waiting > 0:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if policy == "Never":
            return "Failed"
        return "Running"
    return "Pending"


def _release_ip(api, pod: dict) -> None:
    """A finished pod's sandbox is torn down: the CNI gives its address back."""
    uid = pod["metadata"]["uid"]
    node = (pod.get("spec") or {}).get("nodeName") or ""
    api.store.release_owner(uid, f"podip:{node}")


def start_pod(api, pod: dict, node: dict) -> dict:
    """Sandbox (pod IP), init containers to completion, then the containers."""

    node_name = node["metadata"]["name"]
    spec = pod.get("spec") or {}
    pod = clone(pod)
    status = pod.setdefault("status", {})
    now = api.clock.rfc3339()
    # [resources] kubelet admission: a pod bound past what the node has left is rejected
    from minikctl.kubelet.resources import admission_reject

    if admission_reject(api, pod, node, now):
        return api.update_status(pod)
    # [/resources]
    # --- volumes (minikctl/kubelet/volumes.py): WaitForAttachAndMount, before the sandbox
    from minikctl.kubelet import volumes

    failed = volumes.mount_pod(api, pod, node)
    if failed:
        volumes.mount_failed(api, pod, node_name, failed)
        return api.update_status(volumes.waiting_status(api, pod, node))
    now = status.get("startTime") or now  # a pod that waited on its volumes keeps its start time
    # --- end volumes
    host_ip = _host_ip(node)
    if spec.get("hostNetwork"):
        ip = host_ip
    else:
        ip = _pod_ip(api, pod, node)
    status["hostIP"] = host_ip
    status["hostIPs"] = [{"ip": host_ip}] if host_ip else []
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    else:
        api.record_event(pod, "Warning", "FailedCreatePodSandBox",
                         "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for "
                         f'sandbox: plugin type="host-local" failed (add): failed to allocate for range 0: '
                         f"no IP addresses available in range set: {(node.get('spec') or {}).get('podCIDR')}",
                         SOURCE, node_name)
        status["conditions"] = compute_conditions(api, pod)
        return api.update_status(pod)
    status["startTime"] = now
    _run_containers(api, pod, node_name)
    status.setdefault("qosClass", "BestEffort")
    _finish_status(api, pod)
    return api.update_status(pod)


def _retry(st: dict | None) -> bool:
    """A container whose last start failed in a way the next sync retries (an image pull)."""
    return (((st or {}).get("state") or {}).get("waiting") or {}).get("reason") in RETRY_REASONS


def _run_containers(api, pod: dict, node_name: str, ev: "_Events | None" = None) -> None:
    """SyncPod's start steps (kuberuntime_manager.go computePodActions): the init containers in
    order, each to completion before the next; then every app container not created yet or whose
    last start failed with a RETRY_REASONS reason (an image pull). Containers that exist keep
    their status; a failed start of an app container does not stop the others."""
    spec = pod.get("spec") or {}
    status = pod["status"]
    old_inits = {x.get("name"): x for x in status.get("initContainerStatuses") or []}
    old_cs = {x.get("name"): x for x in status.get("containerStatuses") or []}
    inits = []
    blocked = False
    for c in spec.get("initContainers") or []:
        old = old_inits.get(c.get("name"))
        if old is not None and not _retry(old):
            st = old
        else:
            count = int((old or {}).get("restartCount") or 0)
            st = _start_container(api, pod, c, node_name, count, ev)
            if old is not None and old.get("lastState"):
                st["lastState"] = old["lastState"]
            st = _handle_exit(api, pod, c, st, node_name, ev)
        state = st.get("state") or {}
        if _is_sidecar(c):
            # a sidecar lets the next init container start once it runs (started, with a startupProbe)
            blocked = not ("running" in state and st.get("started", True) is not False)
        elif "terminated" in state and not state["terminated"].get("exitCode"):
            blocked = False
        else:
            blocked = True  # running to its end, failed, or waiting (to pull, to restart)
        inits.append(st)
        if blocked:
            break
    if inits:
        status["initContainerStatuses"] = inits
    containers = []
    for c in spec.get("containers") or []:
        old = old_cs.get(c.get("name"))
        if blocked:
            containers.append({"image": c.get("image", ""), "imageID": "", "lastState": {}, "name": c.get("name", ""),
                               "ready": False, "restartCount": 0, "started": False,
                               "state": {"waiting": {"reason": "PodInitializing"}}})
            continue
        pending = old is None or _retry(old) or \
            ((old.get("state") or {}).get("waiting") or {}).get("reason") == "PodInitializing"
        if not pending:
            containers.append(old)
            continue
        # a container that ran before (and was killed to change its image) starts as its next instance
        count = int((old or {}).get("restartCount") or 0) + (1 if ((old or {}).get("lastState") or {}).get("terminated")
                                                               else 0)
        st = _start_container(api, pod, c, node_name, count, ev)
        if old is not None and old.get("lastState"):
            st["lastState"] = old["lastState"]
            if _retry(st):
                st["restartCount"] = int(old.get("restartCount") or 0)
        containers.append(_handle_exit(api, pod, c, st, node_name, ev))
    status["containerStatuses"] = containers


# ------------------------------------------------------------------ re-syncs
def _resyncs(api) -> list:
    raw = api.store.meta_get(RESYNC_META)
    return json.loads(raw) if raw else []


def _save_resyncs(api, items: list) -> None:
    if items:
        api.store.meta_set(RESYNC_META, json.dumps(sorted(items)))
    else:
        api.store.meta_delete(RESYNC_META)
    _update_due(api, items, None)


def _update_due(api, resyncs: list | None, backoffs: list | None, exits: list | None = None) -> None:
    """DUE_META: the earliest kubelet timer (a re-sync, a crash-loop back-off, a process's exit),
    read by every command on a wall clock (minikctl.api.cluster.Session) to catch up on what fell due."""
    times = [x[0] for x in (resyncs if resyncs is not None else _resyncs(api))]
    times += [x[0] for x in (backoffs if backoffs is not None else _backoffs(api))]
    times += [x[0] for x in (exits if exits is not None else _exits(api))]
    times += [x[0] for x in _terminatings(api)]
    from minikctl.kubelet import volumes

    times += volumes.due_times(api)  # ConfigMap/Secret updates reaching mounted volumes
    if times:
        api.store.meta_set(DUE_META, repr(float(min(times))))
    else:
        api.store.meta_delete(DUE_META)


def catch_up(session) -> None:
    """Kubelet timers that fell due while no command ran (wall clock), in one write transaction."""
    with session.write() as api:
        raw = api.store.meta_get(DUE_META)
        if raw is not None and float(raw) <= api.clock.timestamp():
            on_clock(api)


def _needs_resync(pod: dict) -> bool:
    status = pod.get("status") or {}
    return any(_retry(x) for x in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []))


def _schedule_resync(api, pod: dict, at: float) -> None:
    """The pod worker requeues a pod whose sync failed; one entry per pod (the earliest)."""
    m = pod["metadata"]
    items = _resyncs(api)
    mine = [x for x in items if x[3] == m["uid"]]
    if mine and min(x[0] for x in mine) <= at:
        return
    items = [x for x in items if x[3] != m["uid"]]
    items.append([at, m.get("namespace", "default"), m["name"], m["uid"]])
    _save_resyncs(api, items)


def _resync_due(api) -> None:
    """Pods whose re-sync fell due: run each sync between then and now on its own tick (the
    events of all of them aggregated and written once; the status written once)."""
    now = api.clock.timestamp()
    items = _resyncs(api)
    due = [x for x in items if x[0] <= now]
    if not due:
        return
    _save_resyncs(api, [x for x in items if x[0] > now])
    again = []
    for at, ns, name, uid in sorted(due):
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            api.store.meta_delete(PULL_BACKOFF_META + uid)
            continue
        nxt = _resync_pod(api, pod, at, now)
        if nxt is not None:
            again.append([nxt, ns, name, uid])
    if again:
        # one write of the list for all of them (a pod re-synced by an update meanwhile keeps its entry)
        items = _resyncs(api)
        have = {x[3] for x in items}
        _save_resyncs(api, items + [x for x in again if x[3] not in have])


FAST_FORWARD_AFTER = 600  # seconds of syncs still to run before a steady pod is fast-forwarded


def _fast_forward(api, pod: dict, ev: "_Events", t: float, until: float) -> float | None:
    """Account at once for every sync from `t` to `until` when each would repeat what the last
    did: a pull that keeps failing with its back-off at the 5-minute cap (a pull every 300 s,
    ImagePullBackOff at the syncs between), ErrImageNeverPull and InvalidImageName (the same
    events every sync). Returns the time of the sync after `until`, or None when not steady."""
    from minikctl.kubelet.probes import _TickClock

    status = pod["status"]
    spec = pod.get("spec") or {}
    specs = {c.get("name"): c for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])}
    uid = pod["metadata"]["uid"]
    backoffs = _backoffs_of(api, uid)
    steady = []
    for st in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        if not _retry(st):
            continue
        c = specs.get(st.get("name"))
        if c is None:
            return None
        reason = st["state"]["waiting"]["reason"]
        err = None
        if reason not in PULL_REASONS:
            return None  # another retried failure: run its syncs one by one
        if reason in ("ErrImagePull", "ImagePullBackOff"):
            b = backoffs.get(c.get("image", ""))
            err = pull_error(api, c.get("image", ""))
            if b is None or b[0] != PULL_BACKOFF_MAX or err is None or t - b[1] > 2 * PULL_BACKOFF_MAX:
                return None
        steady.append((st, c, reason, err))
    if not steady:
        return None
    eps = 1e-6
    n = int((until - t + eps) // RESYNC_PERIOD) + 1
    last = t + (n - 1) * RESYNC_PERIOD
    for st, c, reason, err in steady:
        fp = _field_path(pod, c)
        image = c.get("image", "")
        waiting = st["state"]["waiting"]
        if reason == "ErrImageNeverPull":
            ev.add_n("Warning", "ErrImageNeverPull", waiting.get("message", ""), fp, n, t, last)
            ev.add_n("Warning", "Failed", "Error: ErrImageNeverPull", fp, n, t, last)
            continue
        if reason == "InvalidImageName":
            ev.add_n("Warning", "InspectFailed", waiting.get("message", ""), fp, n, t, last)
            ev.add_n("Warning", "Failed", "Error: InvalidImageName", fp, n, t, last)
            continue
        since = backoffs[image][1]
        pulls = int((last - since + eps) // PULL_BACKOFF_MAX)
        last_pull = since + pulls * PULL_BACKOFF_MAX
        first_pull = since + PULL_BACKOFF_MAX
        ev.add_n("Normal", "Pulling", f'Pulling image "{image}"', fp, pulls, first_pull, last_pull)
        ev.add_n("Warning", "Failed", f'Failed to pull image "{image}": {err}', fp, pulls, first_pull, last_pull)
        ev.add_n("Warning", "Failed", "Error: ErrImagePull", fp, pulls, first_pull, last_pull)
        pulled_last = abs(last - last_pull) < eps
        ev.add_n("Normal", "BackOff", f'Back-off pulling image "{image}"', fp, n - pulls, t,
                 last - RESYNC_PERIOD if pulled_last else last)
        ev.add_n("Warning", "Failed", "Error: ImagePullBackOff", fp, n - pulls, t,
                 last - RESYNC_PERIOD if pulled_last else last)
        backoffs[image] = [PULL_BACKOFF_MAX, last_pull, f"ErrImagePull: {err}"]
        st["state"] = {"waiting": {"message": err, "reason": "ErrImagePull"} if pulled_last else
                       {"message": _backoff_message(image, backoffs[image]), "reason": "ImagePullBackOff"}}
    api.store.meta_set(PULL_BACKOFF_META + uid, json.dumps(backoffs, sort_keys=True))
    api.clock = _TickClock(last)
    _finish_status(api, pod, resync=False)
    return last + RESYNC_PERIOD


def _resync_pod(api, pod: dict, at: float, until: float) -> float | None:
    """The syncs of one pod from `at` to `until`; returns the time of its next sync, if any."""
    from minikctl.kubelet.probes import _TickClock

    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    if not node or pod["metadata"].get("deletionTimestamp") or \
            (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") or not _needs_resync(pod):
        return None
    before = pod.get("status")
    pod = clone(pod)
    real = api.clock
    ev = _Events(api, pod, node)
    t = at
    try:
        while True:
            api.clock = _TickClock(t)
            _run_containers(api, pod, node, ev)
            _finish_status(api, pod, resync=False)
            t += RESYNC_PERIOD
            if not _needs_resync(pod) or t > until:
                break
            if until - t >= FAST_FORWARD_AFTER:
                nxt = _fast_forward(api, pod, ev, t, until)
                if nxt is not None:
                    t = nxt
                    break
        ev.flush()
    finally:
        api.clock = real
    if pod.get("status") != before:
        api.update_status(pod)  # the status manager writes a status that changed, only
    return t if _needs_resync(pod) else None


def restart_container(api, pod: dict, container_name: str, kill_message: str | None = None,
                      exit_code: int = 137, reason: str = "Error", backoff: bool = True) -> dict:
    """Kill one container, as the kubelet does when its liveness (or startup) probe fails: Killing
    event, then what follows any exit (restartPolicy; at once the first time, then with the
    crash-loop back-off: a container that keeps failing its probe ends in CrashLoopBackOff).
    backoff=False: its definition changed (a new image): killed and started again at once, a new
    container (fresh environment, files and readiness), restartCount + 1."""

    pod = clone(pod)
    spec = pod.get("spec") or {}
    node = spec.get("nodeName", "")
    c = next((x for x in spec.get("containers") or [] if x.get("name") == container_name), None)
    if c is None:
        return pod
    status = pod.setdefault("status", {})
    css = status.setdefault("containerStatuses", [])
    old = next((x for x in css if x.get("name") == container_name), None) or {}
    api.record_event(pod, "Normal", "Killing", kill_message or f"Stopping container {container_name}", SOURCE, node)
    if backoff and (old.get("state") or {}).get("running"):
        # SyncPod kills and starts in one sync; start's doBackOff looks at the newest container that
        # had exited before: the previous instance (none the first time: no back-off, no Next)
        uid = pod["metadata"]["uid"]
        policy = spec.get("restartPolicy") or "Always"
        prev = _ts(((old.get("lastState") or {}).get("terminated") or {}).get("finishedAt"))
        entries = _crash_entries(api, uid)
        entry = entries.get(container_name)
        t = api.clock.timestamp()
        in_backoff = prev is not None and entry is not None and prev - entry[1] <= 2 * BACKOFF_MAX and \
            t - prev < entry[0]
        if policy == "Never" or in_backoff:
            return terminate_container(api, pod, container_name, exit_code, reason)
        if prev is not None:
            expired = entry is None or prev - entry[1] > 2 * BACKOFF_MAX
            entries[container_name] = [BACKOFF_INITIAL if expired else min(entry[0] * 2, BACKOFF_MAX), t]
            _save_crash_entries(api, uid, entries)
    now = api.clock.rfc3339()
    last = old.get("lastState") or {}
    running = (old.get("state") or {}).get("running")
    if running:
        last = {"terminated": {"containerID": old.get("containerID", ""), "exitCode": exit_code, "finishedAt": now,
                               "reason": reason, "startedAt": running.get("startedAt", now)}}
    _clear_backoff(api, pod["metadata"]["uid"], container_name)
    if running:
        _drop_future_logs(api, pod, container_name, int(old.get("restartCount") or 0), api.clock.timestamp())
    api.store.container_files_wipe(pod["metadata"]["uid"], container_name)
    new = _start_container(api, pod, c, node, int(old.get("restartCount", 0)) + 1)
    if "terminated" in (new.get("state") or {}):
        new["lastState"] = last
        new = _handle_exit(api, pod, c, new, node)
    else:
        new["lastState"] = last
        if _retry(new):
            # no new container was created (its image could not be had): the count is the old one's
            new["restartCount"] = int(old.get("restartCount", 0))
    status["containerStatuses"] = [new if x.get("name") == container_name else x for x in css]
    _finish_status(api, pod)
    return api.update_status(pod)


def terminate_container(api, pod: dict, name: str, exit_code: int, reason: str, message: str | None = None) -> dict:
    """The runtime ended a running container's process at the clock's now (the OOM killer:
    exit_code 137, reason "OOMKilled"): its state becomes terminated with that code and reason,
    a pending exit and the output it would still have printed are dropped, and the kubelet
    restarts it per restartPolicy with the crash-loop back-off, as after any exit. Returns the
    pod as written (unchanged when the container is not running)."""
    pod = clone(pod)
    pod.setdefault("status", {})
    found = _statuses_of(pod, name)
    c = _spec_container(pod, name)
    if found is None or c is None:
        return pod
    lst, i = found
    st = clone(lst[i])
    running = (st.get("state") or {}).get("running")
    if running is None:
        return pod
    uid = pod["metadata"]["uid"]
    node = (pod.get("spec") or {}).get("nodeName") or ""
    exits = _exits(api)
    if any(x[3] == uid and x[4] == name for x in exits):
        _save_exits(api, [x for x in exits if not (x[3] == uid and x[4] == name)])
    now = api.clock.rfc3339()
    _drop_future_logs(api, pod, name, int(st.get("restartCount") or 0), api.clock.timestamp())
    term = {"containerID": st.get("containerID", ""), "exitCode": int(exit_code), "finishedAt": now}
    if message:
        term["message"] = message
    term.update({"reason": reason, "startedAt": running.get("startedAt", now)})
    st["state"] = {"terminated": term}
    st["ready"] = False
    st["started"] = False
    ev = _Events(api, pod, node)
    lst[i] = _handle_exit(api, pod, c, st, node, ev)
    if _is_init(pod, c):
        _run_containers(api, pod, node, ev)
    ev.flush()
    _finish_status(api, pod)
    return api.update_status(pod)


# ------------------------------------------------- init containers that poll
POLLING_META = "kubelet:polling:"  # + namespace: JSON {"uid/container": [pod, containerID]}


def _polling(api, pod: dict, name: str, cid: str, on: bool) -> None:
    """Remember an init container whose process still runs after its simulated hour (a loop that
    polls: `until nslookup mysvc; do sleep 2; done`), per namespace."""
    m = pod["metadata"]
    key = POLLING_META + m.get("namespace", "default")
    raw = api.store.meta_get(key)
    items = json.loads(raw) if raw else {}
    k = f"{m['uid']}/{name}"
    if on:
        items[k] = [m["name"], cid]
    elif items.pop(k, None) is None:
        return
    if items:
        api.store.meta_set(key, json.dumps(items, sort_keys=True))
    else:
        api.store.meta_delete(key)


def retry_polling(api, namespace: str) -> None:
    """A Service of the namespace changed: an init container polling for one (the documentation's
    `until nslookup myservice; do sleep 2; done`) was simulated against the cluster as it was; its
    loop is simulated again from now, against the cluster as it is now (what it would print from
    now on replaces what was simulated ahead), so it ends once what it waits for exists."""
    raw = api.store.meta_get(POLLING_META + namespace)
    if not raw:
        return
    for k, (pod_name, cid) in sorted(json.loads(raw).items()):
        uid, _, cname = k.partition("/")
        pod = api.try_get("pods", namespace, pod_name)
        st = None
        if pod is not None and pod["metadata"]["uid"] == uid and not pod["metadata"].get("deletionTimestamp"):
            found = _statuses_of(pod, cname)
            st = found[0][found[1]] if found else None
        if st is None or st.get("containerID") != cid or "running" not in (st.get("state") or {}):
            _polling(api, {"metadata": {"name": pod_name, "uid": uid, "namespace": namespace}}, cname, cid, False)
            continue
        _repoll(api, pod, cname, st)


def _repoll(api, pod: dict, name: str, st: dict) -> None:
    from minikctl.images import catalog
    from minikctl.kubelet import envvars
    from minikctl.kubelet.exec import run_main_process

    c = _spec_container(pod, name) or {}
    img = resolve_image(api, c.get("image", ""))
    proc = catalog.main_process(img, c, dict(envvars.container_env(api, pod, name)))
    if not proc.get("argv"):
        return
    instance = int(st.get("restartCount") or 0)
    now = api.clock.timestamp()
    _drop_future_logs(api, pod, name, instance, now)
    res = run_main_process(api, pod, c, proc["argv"])
    uid = pod["metadata"]["uid"]
    if res["log"]:
        api.store.container_log_append_rows([(uid, name, instance, ts, ln) for ts, ln in res["log"]])
    if res["exitCode"] is None:
        return  # still polling
    _polling(api, pod, name, st.get("containerID", ""), False)
    _schedule_exit(api, pod, name, st.get("containerID", ""), now + float(res["after"] or 0), int(res["exitCode"]))
    if not res["after"]:
        _advance_pod(api, pod, now)


# ----------------------------------------------------------- graceful deletion
TERMINATING_META = "kubelet:terminating"  # JSON list of [due, namespace, pod, uid]: pods going away


def _terminatings(api) -> list:
    raw = api.store.meta_get(TERMINATING_META)
    return json.loads(raw) if raw else []


def _save_terminatings(api, items: list) -> None:
    if items:
        api.store.meta_set(TERMINATING_META, json.dumps(sorted(items)))
    else:
        api.store.meta_delete(TERMINATING_META)
    _update_due(api, None, None)


def graceful_delete(api, pod: dict, grace: int | None) -> float:
    """DELETE of a pod with a grace period (pkg/registry/core/pod/strategy.go CheckGracefulDelete)
    and the kubelet's killing of its containers (kuberuntime_container.go killContainer): a pod not
    bound to a node, finished, or deleted with grace 0 goes at once. Otherwise it gets its
    deletionTimestamp (Terminating) and each running container is stopped: its preStop exec hook
    runs (its sleeps take their time on the cluster clock), then SIGTERM, which a server image
    handles by exiting at once while a command run as PID 1 (`sleep`, a shell script) ignores it and
    is killed when the grace period ends. The pod is removed when its last container stopped.
    Returns the seconds until it is gone (0: deleted now)."""
    from minikctl.api import kinds as K

    spec = pod.get("spec") or {}
    meta = pod["metadata"]
    ns, name = meta.get("namespace", "default"), meta["name"]
    if grace is None or grace < 0:
        grace = int(spec.get("terminationGracePeriodSeconds") if spec.get("terminationGracePeriodSeconds")
                    is not None else 30)
    phase = (pod.get("status") or {}).get("phase")
    if meta.get("deletionTimestamp"):
        return _terminating_left(api, meta["uid"])
    if not spec.get("nodeName") or phase in ("Succeeded", "Failed") or grace <= 0:
        api.delete("pods", ns, name)
        return 0.0
    node = spec.get("nodeName") or ""
    ev = _Events(api, pod, node)
    end = 0.0
    for c in spec.get("containers") or []:
        cs = next((x for x in (pod.get("status") or {}).get("containerStatuses") or []
                   if x.get("name") == c.get("name")), None)
        if cs is None or "running" not in (cs.get("state") or {}):
            continue
        ev.add("Normal", "Killing", f"Stopping container {c.get('name', '')}", _field_path(pod, c))
        t = _pre_stop_seconds(api, pod, c, grace)
        end = max(end, t if _handles_sigterm(api, pod, c) else float(grace))
    ev.flush()
    if end <= 0:
        api.delete("pods", ns, name)
        return 0.0
    from minikctl.kubelet.probes import _TickClock

    now = api.clock.timestamp()
    new = clone(pod)
    new["metadata"]["deletionTimestamp"] = _TickClock(now + grace).rfc3339()
    new["metadata"]["deletionGracePeriodSeconds"] = grace
    api._save(K.by_kind("Pod"), new, pod)
    items = [x for x in _terminatings(api) if x[3] != meta["uid"]]
    items.append([now + end, ns, name, meta["uid"]])
    _save_terminatings(api, items)
    return end


def _terminating_left(api, uid: str) -> float:
    for x in _terminatings(api):
        if x[3] == uid:
            return max(0.0, x[0] - api.clock.timestamp())
    return 0.0


def _handles_sigterm(api, pod: dict, c: dict) -> bool:
    """A server image's process exits on SIGTERM; a command run as PID 1 has no handler and ignores it."""
    from minikctl.images import catalog
    from minikctl.kubelet import envvars

    img = resolve_image(api, c.get("image", ""))
    env = dict(envvars.container_env(api, pod, c.get("name", "")))
    proc = catalog.main_process(img, c, env)
    return bool(proc.get("servers"))


def _pre_stop_seconds(api, pod: dict, c: dict, grace: int) -> float:
    """Run the preStop exec hook in the container; the seconds it takes (its sleeps), at most the grace period."""
    hook = ((c.get("lifecycle") or {}).get("preStop") or {}).get("exec")
    cmd = [str(x) for x in (hook or {}).get("command") or ()]
    if not cmd:
        return 0.0
    from minikctl.kubelet.exec import ExecFailed, MainContext, MainBudget

    ctx = MainContext(api, pod, c, api.clock.timestamp())
    ctx.shell_budget = MainBudget(horizon=float(grace))
    from minikctl.kubelet import shell as sh_mod

    io = sh_mod.IO(sh_mod.Input(""), lambda s: None, lambda s: None)
    try:
        sh_mod.guarded(ctx, io, lambda: ctx.run_argv(cmd, io))
    except ExecFailed:
        return 0.0
    return min(float(grace), ctx.shell_budget.slept)


def _terminate_due(api) -> None:
    """Pods whose containers all stopped: the kubelet removes them (a delete with grace 0)."""
    now = api.clock.timestamp()
    items = _terminatings(api)
    due = [x for x in items if x[0] <= now]
    if not due:
        return
    _save_terminatings(api, [x for x in items if x[0] > now])
    for _at, ns, name, uid in due:
        pod = api.try_get("pods", ns, name)
        if pod is not None and pod["metadata"]["uid"] == uid:
            api.delete("pods", ns, name)


# --------------------------------------------------------------------- sync
def sync_pod(api, pod: dict) -> None:
    """One kubelet sync of a pod bound to a node: start it if it has not started; restart
    containers whose image changed (the only mutable part of a running container spec)."""
    spec = pod.get("spec") or {}
    node_name = spec.get("nodeName")
    if not node_name or pod["metadata"].get("deletionTimestamp"):
        return
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return
    node = api.try_get("nodes", "", node_name)
    if node is None:
        return  # a node that does not exist runs nothing: the pod stays Pending
    if not status.get("startTime"):
        start_pod(api, pod, node)
        return
    statuses = {x.get("name"): x for x in (status.get("initContainerStatuses") or []) +
                (status.get("containerStatuses") or [])}
    if any(_retry(statuses.get(c.get("name"))) and statuses[c.get("name")].get("image") != c.get("image")
           for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])):
        # the pod's image was changed (patch, edit, apply, set image): the update makes the
        # kubelet sync the pod now, and a new image has no back-off
        pod = clone(pod)
        _run_containers(api, pod, node_name)
        _finish_status(api, pod)
        pod = api.update_status(pod)
        status = pod.get("status") or {}
    for c in spec.get("containers") or []:
        cs = next((x for x in status.get("containerStatuses") or [] if x.get("name") == c.get("name")), None)
        if cs and cs.get("imageID") and cs.get("image") != normalize_image(c.get("image", "")):
            pod = restart_container(api, pod, c["name"],
                                    f"Container {c['name']} definition changed, will be restarted", 0, "Completed",
                                    backoff=False)


# ------------------------------------------------------- config errors: retry
CONFIG_WAIT_META = "kubelet:configwait:"  # + namespace: JSON {pod name: uid} of pods with a config error


def _config_wait(api, pod: dict, waiting: bool) -> None:
    """Remember (or forget) a pod whose container could not be configured, per namespace, so
    that a ConfigMap or Secret change there retries it without scanning pods."""
    m = pod["metadata"]
    key = CONFIG_WAIT_META + m.get("namespace", "default")
    raw = api.store.meta_get(key)
    items = json.loads(raw) if raw else {}
    if waiting:
        if items.get(m["name"]) == m["uid"]:
            return
        items[m["name"]] = m["uid"]
    elif items.pop(m["name"], None) is None:
        return
    if items:
        api.store.meta_set(key, json.dumps(items, sort_keys=True))
    else:
        api.store.meta_delete(key)


def _config_error(st: dict | None) -> bool:
    return ((st or {}).get("state") or {}).get("waiting", {}).get("reason") == "CreateContainerConfigError"


def retry_config_errors(api, namespace: str) -> None:
    """A ConfigMap or Secret of the namespace changed: the kubelet's next sync of each pod
    waiting with CreateContainerConfigError builds its containers' configuration again
    (volumes: minikctl.kubelet.volumes.on_config, called by the controller)."""
    raw = api.store.meta_get(CONFIG_WAIT_META + namespace)
    if not raw:
        return
    for name, uid in sorted(json.loads(raw).items()):
        pod = api.try_get("pods", namespace, name)
        if pod is None or pod["metadata"]["uid"] != uid or pod["metadata"].get("deletionTimestamp"):
            _config_wait(api, {"metadata": {"name": name, "uid": uid, "namespace": namespace}}, False)
            continue
        _retry_config(api, pod)


def _retry_config(api, pod: dict) -> dict:
    """syncPod again for a pod whose start stopped at a container's configuration: init
    containers from the first one not done, then the app containers not started."""
    pod = clone(pod)
    spec = pod.get("spec") or {}
    node = spec.get("nodeName") or ""
    status = pod.setdefault("status", {})
    _config_wait(api, pod, False)
    now = api.clock.rfc3339()
    old_inits = {s.get("name"): s for s in status.get("initContainerStatuses") or []}
    inits, blocked = [], False
    for c in spec.get("initContainers") or []:
        old = old_inits.get(c.get("name"))
        if blocked:
            if old is not None:
                inits.append(old)
            continue
        if old is not None and not _config_error(old):
            inits.append(old)
            state = old.get("state") or {}
            blocked = "running" not in state if _is_sidecar(c) else \
                not ("terminated" in state and not state["terminated"].get("exitCode"))
            continue
        st = _handle_exit(api, pod, c, _start_container(api, pod, c, node), node)
        state = st.get("state") or {}
        if _is_sidecar(c):
            blocked = "running" not in state
        else:
            blocked = not ("terminated" in state and not state["terminated"].get("exitCode"))
        inits.append(st)
    if inits:
        status["initContainerStatuses"] = inits
    old_css = {s.get("name"): s for s in status.get("containerStatuses") or []}
    containers = []
    for c in spec.get("containers") or []:
        old = old_css.get(c.get("name"))
        pending = old is None or _config_error(old) or \
            ((old.get("state") or {}).get("waiting") or {}).get("reason") == "PodInitializing"
        if blocked or not pending:
            containers.append(old if old is not None else
                              {"image": c.get("image", ""), "imageID": "", "lastState": {}, "name": c.get("name", ""),
                               "ready": False, "restartCount": 0, "started": False,
                               "state": {"waiting": {"reason": "PodInitializing"}}})
            continue
        st = _start_container(api, pod, c, node)
        containers.append(_handle_exit(api, pod, c, st, node))
    status["containerStatuses"] = containers
    _finish_status(api, pod)
    return api.update_status(pod)


def forget_pod(api, uid: str) -> None:
    """A pod is gone: drop what the kubelet kept for it (its IP is released with its uid)."""
    from minikctl.kubelet import envvars

    envvars.forget(api, uid)
    _clear_backoff(api, uid)
    api.store.meta_delete(PULL_BACKOFF_META + uid)
    items = _resyncs(api)
    if any(x[3] == uid for x in items):
        _save_resyncs(api, [x for x in items if x[3] != uid])
    items = _terminatings(api)
    if any(x[3] == uid for x in items):
        _save_terminatings(api, [x for x in items if x[3] != uid])
