"""Waiting on the cluster clock, for the commands that wait (`rollout status`, `wait`).

kubectl blocks on a watch until a condition holds or its timeout passes. Here nothing runs
between commands, so a waiting command makes time pass itself:

- on a manual clock it advances the cluster clock by steps (one second; ten seconds after ten
  minutes, a minute after an hour, ten after a day: step_for), each step its own short write
  transaction (the same stops at controller wake-ups as `clock advance`), and looks again after
  each; the outcome depends only on the store, never on how fast the machine is, and no step
  holds the write lock for long;
- on a wall clock it polls: it sleeps POLL seconds of real time and looks again (the
  session's catch-up of kubelet timers and probes runs before each look).

``wait_until(session, check, timeout_ns)`` calls ``check(api)`` (a read: it must not write)
until it returns something other than None, and returns that, or None once the timeout passed.
"""

from __future__ import annotations

import time

NS = 1_000_000_000
STEP = NS  # a manual clock moves one second at a time ...


def step_for(moved_ns: int) -> int:
    """... for the first ten minutes of a wait, then ten seconds, a minute after an hour, ten
    minutes after a day (a wait of --timeout=-1, a week, stays a few thousand short transactions)."""
    if moved_ns < 600 * NS:
        return STEP
    if moved_ns < 3600 * NS:
        return 10 * NS
    if moved_ns < 86400 * NS:
        return 60 * NS
    return 600 * NS


POLL = 1.0  # seconds between looks on a wall clock
MANUAL_CAP = 3600 * NS  # "no timeout" on a manual clock: at most an hour of cluster time


def advance(session, ns: int) -> None:
    """Move the cluster clock forward by ``ns`` in one write transaction, stopping at each
    moment a controller asked to be woken, as `clock advance` does (cli/cmd_cluster.py)."""
    with session.write() as api:
        clock = session.clock
        ns = min(ns, clock.headroom_ns())
        from minikctl.controllers import next_wakeup, on_clock

        target, moved = clock.now_ns() + ns, 0
        while (t := next_wakeup(api, clock.now_ns(), target)) is not None:
            step = min(max(t - clock.now_ns(), 0), ns - moved)
            clock.advance(step)
            moved += step
            on_clock(api)
            if moved >= ns:
                break
        clock.advance(ns - moved)
        session.store.meta_set("clock", clock.to_meta())
        on_clock(api)


def _fresh(session):
    """The session's view re-read: another transaction (ours or another command's) moved on."""
    session._api = None
    session._clock = None
    session._config = None
    return session.api


def manual(session) -> bool:
    return session.clock.mode == "manual"


def wait_until(session, check, timeout_ns: int, *, on_step=None):
    """See the module docstring. ``timeout_ns`` 0 means no timeout (on a manual clock: MANUAL_CAP).
    ``on_step(api)`` runs after each look that was not final (progress lines)."""
    api = _fresh(session)
    result = check(api)
    if result is not None:
        return result
    if manual(session):
        budget = timeout_ns if timeout_ns > 0 else MANUAL_CAP
        moved = 0
        while moved < budget:
            if session.clock.headroom_ns() <= 0:
                return None
            step = min(step_for(moved), budget - moved)
            advance(session, step)
            moved += step
            api = _fresh(session)
            result = check(api)
            if result is not None:
                return result
            if on_step is not None:
                on_step(api)
        return None
    deadline = time.monotonic() + timeout_ns / NS if timeout_ns > 0 else None
    while True:
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            return None
        time.sleep(POLL if deadline is None else max(0.0, min(POLL, deadline - now)))
        try:
            session._catch_up_probes()
            session._catch_up_kubelet()
        except Exception:  # a busy store: look again at the next poll
            pass
        api = _fresh(session)
        result = check(api)
        if result is not None:
            return result
        if on_step is not None:
            on_step(api)
