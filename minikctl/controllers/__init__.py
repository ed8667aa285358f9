"""The control plane's controllers, run inside each command's write transaction.

No daemon: after a command's writes, ``run_queue`` hands every changed key
(resource, namespace, name) to the controllers that watch that resource, each a
small reconcile function safe to run twice; their own writes queue more keys, until
nothing changes (the way a real control plane converges). Only changed keys are
visited, never a rescan of every object.

``WATCHES`` maps a resource to the reconcilers interested in its changes, as
"module:function" under minikctl.controllers, imported on first use.
"""

from __future__ import annotations

import importlib

WATCHES: dict[str, tuple[str, ...]] = {}
# Reconcilers run when the cluster clock moves (probes, provisioning delays).
CLOCK_HOOKS: tuple[str, ...] = ()

MAX_STEPS = 1_000_000

_cache: dict[str, object] = {}


def _fn(ref: str):
    f = _cache.get(ref)
    if f is None:
        mod, name = ref.split(":")
        f = getattr(importlib.import_module(f"minikctl.controllers.{mod}"), name)
        _cache[ref] = f
    return f


def run_queue(api) -> None:
    steps = 0
    while True:
        key = api.pop_queue()
        if key is None:
            return
        steps += 1
        if steps > MAX_STEPS:  # pragma: no cover - a controller bug, not user input
            raise RuntimeError("controllers did not converge")
        for ref in WATCHES.get(key[0], ()):
            _fn(ref)(api, key[1], key[2])


def on_clock(api) -> None:
    for ref in CLOCK_HOOKS:
        _fn(ref)(api)
    run_queue(api)
