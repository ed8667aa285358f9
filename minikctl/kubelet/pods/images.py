"""Images: reference parsing and normalization, what a node holds, pulls and their back-off
(pkg/kubelet/images/image_manager.go EnsureImageExists, containerd's PullImage errors).
"""

from __future__ import annotations

import json

from minikctl.digest import sha256 as _sha256  # not hashlib: no OpenSSL at start-up
from minikctl.kubelet.pods.events import _Events, _field_path, go_duration_ms


IMAGES_META = "kubelet:images:"      # + node: JSON list of image refs present on the node


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
    img = resolve_image(api, image)
    hit = _CONFIGS.get((image, id(img)))
    if hit is not None and hit[0] is img:  # computed 3 times per container start: once per process
        return {**hit[1], "env": list(hit[1]["env"])}
    ref = normalize_image(image)
    h = _sha256(_repo(ref).encode() + b"|" + ref.encode()).hexdigest()
    info: dict = {"env": [f"{k}={v}" for k, v in img.env] or [f"PATH={_default_path()}"],
                  "home": img.user.get("home") or "/root"}
    if "@sha256:" in ref:
        info["digest"] = ref.split("@", 1)[1]
    info.setdefault("digest", "sha256:" + h)
    info.setdefault("size", 5_000_000 + int(h[:8], 16) % 120_000_000)
    info.setdefault("pull_ms", 800 + int(h[8:12], 16) % 9000)
    _CONFIGS[(image, id(img))] = (img, {**info, "env": list(info["env"])})
    return info


# image_config by (reference, catalog image object): the catalog's image objects are per process
_CONFIGS: dict[tuple[str, int], tuple[object, dict]] = {}


def _default_path() -> str:
    from minikctl.kubelet.envvars import DEFAULT_PATH

    return DEFAULT_PATH


def image_id(image: str, api=None) -> str:
    ref = normalize_image(image)
    return f"{_repo(ref)}@{image_config(image, api)['digest']}"


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


PULL_REASONS = ("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName")
# waiting reasons after which the kubelet's next pod sync tries to start the container again
RETRY_REASONS = PULL_REASONS
PULL_BACKOFF_META = "kubelet:pull-backoff:"  # + pod uid: {image: [backoff seconds, last update]}
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
