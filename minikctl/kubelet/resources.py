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
