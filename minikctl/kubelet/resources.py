"""Compute resources: quantities, a pod's requests, its QoS class, and what a container uses.

Pure functions (objects in, numbers out), shared by the scheduler (NodeResourcesFit), the API
server (status.qosClass), the kubelet (OOM kills) and `top`:

- ``milli``/``value``: resource.Quantity's MilliValue()/Value() (rounded up, exact).
- ``pod_requests``: component-helpers/resource PodRequests as kube-scheduler computes it
  (containers summed, init containers by the max rule with restartable (sidecar) init
  containers added to both, plus spec.overhead): cpu in millicores, the rest in units.
- ``qos_class``: pkg/apis/core/helper/qos GetPodQOS.
- ``container_usage`` / ``oom_killed``: what a container of a catalog image uses (the image's
  ``usage`` in catalog.yaml, or what its command asks for: ``stress --vm-bytes``, ``vish/stress
  -mem-total``/``-cpus``), capped by its CPU limit (CFS quota); over its memory limit the
  kernel's OOM killer ends it (exit 137, reason OOMKilled).
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_BIN = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


@lru_cache(maxsize=4096)
def _parse(text: str) -> Fraction | None:
    m = _QUANTITY.match(text.strip())
    if not m:
        return None
    num, suffix = m.groups()
    try:
        v = Fraction(num)
    except (ValueError, ZeroDivisionError):
        return None
    if suffix in _BIN:
        return v * 2 ** _BIN[suffix]
    if suffix in _DEC:
        return v * Fraction(10) ** _DEC[suffix]
    if suffix[:1] in "eE" and len(suffix) > 1:
        try:
            return v * Fraction(10) ** int(suffix[1:])
        except ValueError:
            return None
    return None


def parse(q) -> Fraction | None:
    """The exact value of a quantity (str or number), None when it does not parse."""
    if isinstance(q, bool) or q is None:
        return None
    if isinstance(q, int):
        return Fraction(q)
    if isinstance(q, float):
        return Fraction(q).limit_denominator(10**9)
    if not isinstance(q, str):
        return None
    return _parse(q)


def _ceil(v: Fraction) -> int:
    return -((-v.numerator) // v.denominator)


def milli(q) -> int:
    """Quantity.MilliValue(): rounded up; 0 for what does not parse."""
    v = parse(q)
    return 0 if v is None else _ceil(v * 1000)


def value(q) -> int:
    """Quantity.Value(): rounded up; 0 for what does not parse."""
    v = parse(q)
    return 0 if v is None else _ceil(v)


def amount(name: str, q) -> int:
    """The scheduler's integer for resource `name`: millicores for cpu, units otherwise."""
    return milli(q) if name == "cpu" else value(q)


def _resources(c, field: str) -> dict:
    if not isinstance(c, dict):
        return {}
    res = c.get("resources")
    rl = res.get(field) if isinstance(res, dict) else None
    return rl if isinstance(rl, dict) else {}


def _add(into: dict, rl: dict) -> None:
    for k, v in rl.items():
        into[k] = into.get(k, 0) + v


def _max(into: dict, rl: dict) -> None:
    for k, v in rl.items():
        if v > into.get(k, 0):
            into[k] = v


def _ints(rl: dict) -> dict:
    return {k: amount(k, v) for k, v in rl.items()}


def pod_resources(pod: dict, field: str = "requests") -> dict[str, int]:
    """resourcehelper.PodRequests (field "requests") / PodLimits ("limits") in integers."""
    spec = pod.get("spec") if isinstance(pod, dict) else None
    spec = spec if isinstance(spec, dict) else {}
    total: dict[str, int] = {}
    for c in spec.get("containers") or ():
        _add(total, _ints(_resources(c, field)))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for c in spec.get("initContainers") or ():
        rl = _ints(_resources(c, field))
        if isinstance(c, dict) and c.get("restartPolicy") == "Always":
            _add(total, rl)
            _add(sidecars, rl)
            rl = dict(sidecars)
        else:
            tmp = dict(rl)
            _add(tmp, sidecars)
            rl = tmp
        _max(init_max, rl)
    _max(total, init_max)
    overhead = spec.get("overhead")
    if field == "requests" and isinstance(overhead, dict):
        _add(total, _ints(overhead))
    return total


def pod_requests(pod: dict) -> dict[str, int]:
    return pod_resources(pod, "requests")


# ------------------------------------------------------------------------ QoS
_QOS_RESOURCES = ("cpu", "memory")


def qos_class(pod: dict) -> str:
    """GetPodQOS (pkg/apis/core/helper/qos/qos.go): BestEffort when no container (init ones
    included) requests or limits cpu or memory; Guaranteed when every container limits both
    and the requests (defaulted to the limits) equal the limits; Burstable otherwise."""
    spec = pod.get("spec") if isinstance(pod, dict) else None
    spec = spec if isinstance(spec, dict) else {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    is_guaranteed = True
    for c in list(spec.get("containers") or ()) + list(spec.get("initContainers") or ()):
        for name, q in _resources(c, "requests").items():
            if name in _QOS_RESOURCES:
                v = parse(q)
                if v is not None and v > 0:
                    requests[name] = requests.get(name, 0) + v
        qos_limits = set()
        for name, q in _resources(c, "limits").items():
            if name in _QOS_RESOURCES:
                v = parse(q)
                if v is not None and v > 0:
                    qos_limits.add(name)
                    limits[name] = limits.get(name, 0) + v
        if qos_limits != set(_QOS_RESOURCES):
            is_guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if is_guaranteed:
        for name, v in requests.items():
            if limits.get(name) != v:
                is_guaranteed = False
                break
    if is_guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


# ------------------------------------------------------------ simulated usage
OOM_EXIT_CODE = 137  # 128 + SIGKILL: the kernel's OOM killer
_IDLE_MEMORY = 1 << 20  # an image without `usage` in the catalog: 1Mi, no CPU
_STRESS_SIZE = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _argv(image, container: dict) -> list[str]:
    """The container's process: command (or the image's ENTRYPOINT/CMD) followed by args."""
    command = [str(x) for x in container.get("command") or ()]
    args = [str(x) for x in container.get("args") or ()]
    if not command:
        command = [str(x) for x in (getattr(image, "process", None) or {}).get("command") or ()]
    return command + args


def _stress_size(text: str) -> int:
    """stress 1.0.4 atoll_b: a number with an optional b/k/m/g suffix (powers of 1024)."""
    t = text.strip().lower()
    mult = _STRESS_SIZE.get(t[-1:], None)
    num = t[:-1] if mult else t
    try:
        return int(num) * (mult or 1)
    except ValueError:
        return 0


def _stress(args: list[str]) -> tuple[int, int]:
    """polinux/stress (stress 1.0.4, GNU getopt): --cpu N workers spin (a core each), --vm N
    workers each hold --vm-bytes (default 256M); with --vm-hang they mostly sleep."""
    opts: dict[str, str] = {}
    names = {"-c": "cpu", "--cpu": "cpu", "-m": "vm", "--vm": "vm", "--vm-bytes": "vm-bytes",
             "--vm-hang": "vm-hang", "-i": "io", "--io": "io", "-d": "hdd", "--hdd": "hdd"}
    i = 0
    while i < len(args):
        a = args[i]
        key, val = (a.split("=", 1) + [None])[:2] if a.startswith("--") else (a, None)
        if key in names:
            if val is None and i + 1 < len(args):
                i += 1
                val = args[i]
            opts[names[key]] = val or ""
        i += 1

    def num(k: str) -> int:
        try:
            return max(0, int(opts.get(k) or 0))
        except ValueError:
            return 0

    vm = num("vm")
    vm_bytes = _stress_size(opts["vm-bytes"]) if "vm-bytes" in opts else 256 << 20
    cpu = num("cpu") * 1000 + num("io") * 100 + num("hdd") * 100
    cpu += vm * (50 if num("vm-hang") else 1000)
    return cpu, vm * vm_bytes


def _vish_stress(args: list[str]) -> tuple[int, int]:
    """vish/stress (Go flags): -cpus N busy cores, -mem-total Q allocated (in -mem-alloc-size
    steps; counted whole here)."""
    opts: dict[str, str] = {}
    i = 0
    while i < len(args):
        a = args[i].lstrip("-")
        key, val = (a.split("=", 1) + [None])[:2]
        if key in ("cpus", "mem-total", "mem-alloc-size", "mem-alloc-sleep"):
            if val is None and i + 1 < len(args):
                i += 1
                val = args[i]
            opts[key] = val or ""
        i += 1
    try:
        cpus = max(0, int(opts.get("cpus") or 0))
    except ValueError:
        cpus = 0
    return cpus * 1000, value(opts.get("mem-total") or "0")


def container_usage(image, container: dict, extra_cpu: int = 0) -> tuple[int, int]:
    """(CPU in millicores, memory in bytes) a running container of `image` uses, as
    metrics-server would report it: the image's `usage` (catalog.yaml) plus what a stress
    program asks for, plus `extra_cpu` (the requests it serves: minikctl.kubelet.load), its CPU
    capped by the container's CPU limit (CFS quota). Memory is not capped here: over the limit
    the container is OOM-killed (oom_kill)."""
    spec = getattr(image, "spec", None) or {}
    usage = spec.get("usage") if isinstance(spec.get("usage"), dict) else {}
    cpu = milli(usage.get("cpu", 0)) + extra_cpu
    mem = value(usage["memory"]) if "memory" in usage else _IDLE_MEMORY
    model = usage.get("model")
    argv = _argv(image, container)
    if model and argv:
        prog = argv[0].rsplit("/", 1)[-1]
        if model == "stress" and prog == "stress":
            c, m = _stress(argv[1:])
            cpu, mem = cpu + c, mem + m
        elif model == "vish-stress" and (prog == "stress" or argv[0].startswith("-")):
            c, m = _vish_stress(argv[1:] if prog == "stress" else argv)
            cpu, mem = cpu + c, mem + m
    limit = _resources(container, "limits").get("cpu")
    if limit is not None and parse(limit) is not None:
        cpu = min(cpu, milli(limit))
    return cpu, mem


def memory_limit(container: dict) -> int | None:
    q = _resources(container, "limits").get("memory")
    v = parse(q) if q is not None else None
    return _ceil(v) if v is not None and v > 0 else None


def oom_killed(image, container: dict) -> bool:
    """The kernel's OOM killer ends the container: its memory use is over its limit."""
    limit = memory_limit(container)
    return limit is not None and container_usage(image, container)[1] > limit


def oom_kill(image, container: dict, proc: dict) -> dict:
    """The kubelet's view of a main process (minikctl.images.catalog.main_process) once the
    memory limit applies: a running process over it ends with exit code 137, reason OOMKilled."""
    if proc.get("runs") and oom_killed(image, container):
        return {**proc, "runs": False, "servers": False, "exitCode": OOM_EXIT_CODE, "reason": "OOMKilled"}
    return proc


# ------------------------------------------------------------ kubelet admission
def admission_rejection(requests: dict[str, int], allocatable: dict[str, int], used: dict[str, int]) -> tuple[str, str] | None:
    """The kubelet's predicate admission (pkg/kubelet/lifecycle/predicate.go): the first
    resource the node's admitted pods leave too little of, as (reason "OutOf<resource>",
    InsufficientResourceError's message), in noderesources.Fits' order; None when the pod fits.
    The scheduler never binds such a pod: this is for pods whose spec.nodeName the user set."""
    if not any(requests.values()):
        return None
    names = ["cpu", "memory", "ephemeral-storage"] + [r for r in requests if r not in ("cpu", "memory", "ephemeral-storage")]
    for r in names:
        want, have, cap = requests.get(r, 0), used.get(r, 0), allocatable.get(r, 0)
        if cap < want + have:
            return (f"OutOf{r}", f"Node didn't have enough resource: {r}, requested: {want}, used: {have}, "
                                 f"capacity: {cap}")
    return None


def admission_reject(api, pod: dict, node: dict, now: str) -> bool:
    """Reject `pod` (being started on `node`) when it does not fit: kubelet rejectPod writes
    phase Failed, the reason and "Pod was rejected: <message>", and a Warning event."""
    from minikctl.controllers.scheduler import _allocatable, node_requested

    requests = {k: v for k, v in pod_requests(pod).items() if v}
    if not requests:
        return False
    used = node_requested(api, node["metadata"]["name"])
    for k, v in requests.items():  # the scheduler's sums hold this pod already
        used[k] = used.get(k, 0) - v
    rejected = admission_rejection(requests, _allocatable(node), used)
    if rejected is None:
        return False
    reason, message = rejected
    api.record_event(pod, "Warning", reason, message, "kubelet", node["metadata"]["name"])
    status = pod.setdefault("status", {})
    status.update({"message": f"Pod was rejected: {message}", "phase": "Failed", "reason": reason, "startTime": now})
    return True
