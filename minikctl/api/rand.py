"""The cluster's one source of randomness: generated names (generateName suffixes), UIDs,
container IDs, allocated ClusterIPs/NodePorts, and the simulated network's choices
(kube-proxy's endpoint pick, DNS query ids, ephemeral ports, $RANDOM).

Unseeded (the default), it is the process's ``random`` module and ``os.urandom``, as a real
cluster is unpredictable. ``cluster create --seed N`` stores N in the cluster's configuration;
then every command draws from a ``random.Random`` seeded with N and the store's
resourceVersion when the command first opens the object API, so the same seed and the same
commands give the same names, UIDs and IPs (a lab text or a doc can show exact output). A
command that changes nothing leaves the resourceVersion alone: the same read-only command
twice on an unchanged cluster makes the same choices.
"""

from __future__ import annotations

import os

# `random` is imported when first needed (about 1 ms): a read-only command never draws.
_rng = None  # the seeded random.Random of this process, once configured
_seeded = False


def configure(config: dict, store) -> None:
    """Called when a command opens the object API (api.server.API): seeds this process's
    source once, from the cluster's seed and the store's resourceVersion."""
    global _rng, _seeded
    if _seeded:
        return
    seed = config.get("seed")
    if seed is None:
        return
    try:
        rv = store.meta_get("rv", "0")
    except Exception:  # a store without meta yet (bootstrap)
        rv = "0"
    import random

    _rng = random.Random(f"minikctl:{seed}:{rv}")
    _seeded = True


def reset() -> None:
    """Forget the seeded source (tests running several commands in one process)."""
    global _rng, _seeded
    _rng, _seeded = None, False


def rng():
    """The generator to draw from: the seeded one, else the ``random`` module itself."""
    if _rng is not None:
        return _rng
    import random

    return random


def token_bytes(n: int) -> bytes:
    return _rng.randbytes(n) if _rng is not None else os.urandom(n)


def token_hex(n: int) -> str:
    return token_bytes(n).hex()
