"""minikctl drain: kubectl 1.32's drain (issue 11).

staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go RunDrain with pkg/drain/drain.go and
filters.go: the nodes are cordoned first (cmd_taint's cordon, which kubectl leaves in place
when the drain then fails); the pods on each node (all namespaces, --pod-selector) pass the
filters in kubectl's order (skip-deleted, DaemonSet, mirror, local storage, unreplicated),
whose errors stop the node's drain with kubectl's messages and whose warnings print as
``Warning: ...``; the others are evicted through the Eviction API (minikctl.api.eviction,
which honours PodDisruptionBudgets), or deleted with --disable-eviction, and kubectl waits
for each to go (``pod/x evicted``), then prints ``node/x drained``.

kubectl runs one goroutine per pod: print ``evicting pod ns/x``, evict, on 429 print the
retry line and sleep 5 s, then poll every second until the pod is gone. Here those pods run
in step on the cluster clock: each moment's evictions in pod order, then the polls. On a
manual clock the waits are the clock moving (controllers and kubelet timers run as they
would meanwhile, so a ReplicaSet's replacement on another node becoming ready lets a retry
through), all in one transaction; on a wall clock they are real sleeps between transactions.
``--timeout`` bounds the whole wait as kubectl's context does. Without it kubectl retries a
refused eviction until interrupted; on a manual clock minikctl stops once the budget's status
has not changed for a minute of cluster time (saying so), since nothing would change later.
"""

from __future__ import annotations

from minikctl.api.errors import ApiError, MinikctlError, NotFound, UsageError

S = 1_000_000_000  # ns
RETRY_NS = 5 * S  # "will retry after 5s"
POLL_NS = 1 * S  # waitForDelete's interval
QUIET_NS = 60 * S  # manual clock, no --timeout: a refusal that lasts this long with nothing changing stops

_DAEMON_SET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
_DAEMON_SET_WARNING = "ignoring DaemonSet-managed Pods"
_LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
_LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
_UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
_UNMANAGED_WARNING = "deleting Pods that declare no controller"
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


class DrainFailed(MinikctlError):
    """RunDrain's aggregate, printed by cmdutil.CheckErr as MultipleErrors: one message per
    line, without "error: " (the aggregate of the failed nodes' aggregates)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))

    def render(self) -> str:
        return "\n".join(self.lines)


def _see(cmd: str = "drain") -> str:
    return f"\nSee 'minikctl {cmd} -h' for help and examples"


def aggregate_text(msgs: list[str]) -> str:
    """utilerrors.aggregate.Error(): one message alone, else "[a, b]" without repeats."""
    seen: list[str] = []
    for m in msgs:
        if m not in seen:
            seen.append(m)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


# ----------------------------------------------------------------- filters
class _Options:
    __slots__ = ("force", "ignore_ds", "delete_emptydir", "grace", "timeout_ns", "pod_selector",
                 "disable_eviction", "skip_wait", "dry")


def _controller_ref(pod: dict) -> dict | None:
    for ref in pod["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def _finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _should_skip(pod: dict, skip_wait: int, now_ts: float) -> bool:
    """shouldSkipPod: deleted more than --skip-wait-for-delete-timeout seconds ago."""
    from minikctl.controllers.replication import _parse_time

    ts = pod["metadata"].get("deletionTimestamp")
    t = _parse_time(ts) if ts else None
    return skip_wait > 0 and t is not None and int(now_ts - t) > skip_wait


def _filter(api, pod: dict, o: _Options, now_ts: float) -> tuple[bool, str, str]:
    """makeFilters, short-circuited at the first that does not delete: (delete, reason, message)."""
    okay = (True, "Okay", "")
    # skipDeletedFilter
    if _should_skip(pod, o.skip_wait, now_ts):
        return False, "Skip", ""
    status = okay
    # daemonSetFilter
    ref = _controller_ref(pod)
    if ref is not None and ref.get("kind") == "DaemonSet" and not _finished(pod):
        if api.try_get("daemonsets", pod["metadata"]["namespace"], ref.get("name", "")) is None:
            msg = NotFound.of("daemonsets.apps", ref.get("name", "")).message
            if not o.force:
                return False, "Error", msg
            status = (True, "Warning", msg)
        elif not o.ignore_ds:
            return False, "Error", _DAEMON_SET_FATAL
        else:
            return False, "Warning", _DAEMON_SET_WARNING
    # mirrorPodFilter
    if MIRROR_ANNOTATION in (pod["metadata"].get("annotations") or {}):
        return False, "Skip", ""
    # localStorageFilter
    if any("emptyDir" in (v or {}) for v in (pod.get("spec") or {}).get("volumes") or ()) and not _finished(pod):
        if not o.delete_emptydir:
            return False, "Error", _LOCAL_STORAGE_FATAL
        status = (True, "Warning", _LOCAL_STORAGE_WARNING)
    else:
        status = okay if status[1] != "Warning" else status
    # unreplicatedFilter (its verdict replaces an earlier warning, as kubectl's does)
    if _finished(pod) or ref is not None:
        return okay
    if o.force:
        return True, "Warning", _UNMANAGED_WARNING
    return False, "Error", _UNMANAGED_FATAL


def pods_for_deletion(api, node: str, o: _Options) -> tuple[list[dict], list[str], list[str]]:
    """GetPodsForDeletion: (pods to delete, warnings text parts, errors), errors in kubectl's
    wording (``cannot delete <msg>: ns/a, ns/b``). kubectl groups them through Go maps (their
    order varies from run to run); here they come in the order of their first pod."""
    now_ts = api.clock.timestamp()
    pods = api.list("pods", None, selector=o.pod_selector, node=node)
    pods.sort(key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]))
    delete: list[dict] = []
    warnings: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for pod in pods:
        ok, reason, msg = _filter(api, pod, o, now_ts)
        ref = f"{pod['metadata'].get('namespace', '')}/{pod['metadata']['name']}"
        if reason == "Warning":
            warnings.setdefault(msg, []).append(ref)
        elif reason == "Error":
            errors.setdefault(msg or "unexpected error", []).append(ref)
        if ok:
            delete.append(pod)
    errs = []
    for msg, refs in errors.items():
        prefix = "" if msg.lower().startswith("cannot delete") else "cannot delete "
        errs.append(f"{prefix}{msg}: {', '.join(refs)}")
    warns = [f"{msg}: {', '.join(refs)}" for msg, refs in warnings.items()]
    return delete, warns, errs


# --------------------------------------------------------------- the command
def _parse_options(ctx) -> _Options:
    from minikctl.api import selectors
    from minikctl.api.clock import parse_duration
    from minikctl.cli.cmd_apply import _dry

    o = ctx.opts
    opts = _Options()
    opts.force = bool(o.get("force"))
    opts.ignore_ds = bool(o.get("ignore_daemonsets"))
    opts.delete_emptydir = bool(o.get("delete_emptydir_data"))
    opts.disable_eviction = bool(o.get("disable_eviction"))
    grace = o.get("grace_period")
    opts.grace = -1 if grace is None else int(grace)
    skip = o.get("skip_wait_for_delete_timeout")
    opts.skip_wait = 0 if skip is None else int(skip)
    text = o.get("timeout")
    opts.timeout_ns = 0
    if text not in (None, ""):
        try:
            opts.timeout_ns = parse_duration(text)
        except ValueError as e:
            raise UsageError(f'invalid argument "{text}" for "--timeout" flag: {e}'
                             "\nSee 'minikctl drain --help' for usage.") from None
    selector = o.get("selector") or ""
    if not ctx.args and not selector:
        raise UsageError("USAGE: drain NODE [flags]" + _see())
    if ctx.args and selector:
        raise UsageError("cannot specify both a node name and a --selector option" + _see())
    opts.dry = _dry(ctx)
    opts.pod_selector = None
    if o.get("pod_selector"):
        try:
            opts.pod_selector = selectors.parse(o["pod_selector"])
        except UsageError:
            raise UsageError("--pod-selector=<pod_selector> must be a valid label selector") from None
    return opts


def drain(ctx) -> int:
    """RunDrain."""
    from minikctl.cli.cmd_apply import _suffix
    from minikctl.cli.cmd_taint import _cordon, _nodes

    opts = _parse_options(ctx)
    _cordon(ctx, True)  # RunCordonOrUncordon(true): a missing node fails here, before anything
    session = ctx.session()
    errors: list = []
    names = [n["metadata"]["name"] for n in _nodes(session.api, list(ctx.args), ctx.opts.get("selector") or "", errors)]
    fatal: list[list[str]] = []
    remaining: list[str] = []
    for name in names:
        errs = _drain_node(ctx, session, name, opts)
        if not errs:
            ctx.print(f"node/{name} drained{_suffix(opts.dry)}")
            continue
        ctx.warn(f'error: unable to drain node "{name}" due to error: {aggregate_text(errs)}, continuing command...')
        fatal.append(errs)
        remaining.append(name)
    if remaining:
        ctx.warn("There are pending nodes to be drained:")
        for name in remaining:
            ctx.warn(f" {name}")
    if not fatal:
        return 0
    if len(fatal) == 1:
        raise DrainFailed(_unique(fatal[0]))
    raise DrainFailed([aggregate_text(errs) for errs in fatal])


def _unique(msgs: list[str]) -> list[str]:
    out: list[str] = []
    for m in msgs:
        if m not in out:
            out.append(m)
    return out


def _drain_node(ctx, session, name: str, o: _Options) -> list[str]:
    """deleteOrEvictPodsSimple: the node's error messages, [] when drained."""
    pods, warns, errs = pods_for_deletion(session.api, name, o)  # GetPodsForDeletion: reads only
    if errs:
        return errs
    if warns:
        ctx.warn("Warning: " + "; ".join(warns))
    if o.dry == "client":
        for pod in pods:
            ctx.print(f"evicting pod {pod['metadata']['namespace']}/{pod['metadata']['name']} (dry run)")
        return []
    if not pods:
        return []
    errs = _Run(ctx, session, name, pods, o).run()
    if errs:
        pending, _, new_errs = pods_for_deletion(session.api, name, o)
        if pending:
            ctx.warn(f'There are pending pods in node "{name}" when an error occurred: {aggregate_text(errs)}')
            for p in pending:
                ctx.warn(f"pod/{p['metadata']['name']}")
        if new_errs:
            ctx.warn("Following errors occurred while getting the list of pods to delete:\n"
                     + aggregate_text(new_errs))
    return errs


class _Pod:
    __slots__ = ("ns", "name", "uid", "due", "phase", "refusals", "budget_rv", "quiet_since")

    def __init__(self, pod: dict, now: int):
        self.ns, self.name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        self.uid = pod["metadata"]["uid"]
        self.due = now
        self.phase = "evict"
        self.budget_rv: str | None = None
        self.quiet_since = now


class _Run:
    """evictPods / deletePods with their waitForDelete, on the cluster clock."""

    def __init__(self, ctx, session, node: str, pods: list[dict], o: _Options):
        self.ctx, self.session, self.node, self.o = ctx, session, node, o
        self.pods = pods
        self.errors: list[str] = []

    # -- time
    def _advance_to(self, api, t: int) -> None:
        """Manual clock: move it to t, waking the controllers on the way (as clock advance does)."""
        from minikctl.controllers import next_wakeup, on_clock

        clock = self.session.clock
        while (w := next_wakeup(api, clock.now_ns(), t)) is not None and w < t:
            clock.advance(max(w - clock.now_ns(), 0))
            on_clock(api)
        clock.advance(max(t - clock.now_ns(), 0))
        self.session.store.meta_set("clock", clock.to_meta())
        on_clock(api)

    def run(self) -> list[str]:
        manual = self.session.clock.mode == "manual"
        if manual:
            with self.session.write() as api:
                self._loop(api, manual=True)
        else:
            self._loop(None, manual=False)
        return self.errors

    def _loop(self, api, manual: bool) -> None:
        import time

        o = self.o
        start = self.session.clock.now_ns()
        deadline = start + o.timeout_ns if o.timeout_ns > 0 else None
        evicting = not o.disable_eviction
        runs = [_Pod(p, start) for p in self.pods]
        started = False
        now = start
        while True:
            if manual:
                if now > self.session.clock.now_ns():
                    self._advance_to(api, now)
                self._step(api, runs, now, deadline, evicting, started)
                self.session.reconcile()  # the controllers react before the next moment
            else:
                with self.session.write() as wapi:
                    from minikctl.controllers import on_clock

                    now = self.session.clock.now_ns()
                    on_clock(wapi)
                    self._step(wapi, runs, now, deadline, evicting, started)
            started = True
            live = [r for r in runs if r.phase != "done"]
            if not live:
                return
            nxt = min(r.due for r in live)
            if deadline is not None and any(r.phase == "wait" for r in live):
                nxt = min(nxt, max(deadline, now))
            if not manual:
                self.ctx.out.flush()
                time.sleep(max(0.0, (nxt - self.session.clock.now_ns()) / S))
            now = max(nxt, now + 1)

    def _step(self, api, runs: list[_Pod], now: int, deadline, evicting: bool, started: bool) -> None:
        from minikctl.api.eviction import evict

        o = self.o
        grace = None if o.grace < 0 else o.grace
        if not evicting and not started:
            from minikctl.kubelet.pods import graceful_delete

            for r in runs:  # deletePods: every DELETE first, then one wait for them all
                pod = api.try_get("pods", r.ns, r.name)
                if pod is not None and o.dry != "server":
                    graceful_delete(api, pod, grace)
                # a server dry run deletes nothing: kubectl would then wait for ever; minikctl does not
                r.phase = "wait" if o.dry != "server" else "done"
        for r in runs:
            if r.phase != "evict" or r.due > now:
                continue
            if o.dry == "server":
                self.ctx.print(f"evicting pod {r.ns}/{r.name} (server dry run)")
            else:
                self.ctx.print(f"evicting pod {r.ns}/{r.name}")
            if deadline is not None and now >= deadline:
                self._fail(r, f'error when evicting pods/"{r.name}" -n "{r.ns}": global timeout reached: '
                              f"{_go_duration(o.timeout_ns)}")
                continue
            try:
                evict(api, r.ns, r.name, grace, dry_run=o.dry == "server")
            except NotFound:
                r.phase = "done"
                continue
            except ApiError as e:
                if e.reason == "TooManyRequests":
                    if self._stuck(api, r, now, deadline):
                        self._fail(r, f'error when evicting pods/"{r.name}" -n "{r.ns}": {e.message} (minikctl: '
                                      f"nothing changed in {_go_duration(QUIET_NS)} of cluster time; kubectl would "
                                      "retry until interrupted: see --timeout)")
                        continue
                    self.ctx.warn(f'error when evicting pods/"{r.name}" -n "{r.ns}" (will retry after 5s): {e.message}')
                    r.due = now + RETRY_NS
                    continue
                self._fail(r, f'error when evicting pods/"{r.name}" -n "{r.ns}": {e.message}')
                continue
            if o.dry == "server":
                r.phase = "done"
                continue
            r.phase, r.due = "wait", now
        verb = "evicted" if evicting else "deleted"
        for r in runs:
            if r.phase != "wait" or r.due > now:
                continue
            pod = api.try_get("pods", r.ns, r.name)
            if pod is None or pod["metadata"]["uid"] != r.uid:
                self.ctx.print(f"pod/{r.name} {verb}")
                r.phase = "done"
            elif _should_skip(pod, o.skip_wait, now / S):
                self.ctx.print(f'pod "{r.name}" has DeletionTimestamp older than {o.skip_wait} seconds, skipping')
                r.phase = "done"
            elif deadline is not None and now >= deadline:
                if evicting:
                    self._fail(r, f'error when waiting for pod "{r.name}" in namespace "{r.ns}" to terminate: '
                                  "context deadline exceeded")
                else:
                    self._fail(r, "context deadline exceeded")
            else:
                r.due = now + POLL_NS

    def _stuck(self, api, r: _Pod, now: int, deadline) -> bool:
        """Manual clock without --timeout: the budget refusing this pod has not changed for
        QUIET_NS of cluster time (kubectl would retry forever)."""
        if deadline is not None or self.session.clock.mode != "manual":
            return False
        from minikctl.api.eviction import budgets_for

        pod = api.try_get("pods", r.ns, r.name)
        budgets = budgets_for(api, pod) if pod is not None else []
        rv = budgets[0]["metadata"].get("resourceVersion") if budgets else None
        if rv != r.budget_rv:
            r.budget_rv, r.quiet_since = rv, now
            return False
        return now - r.quiet_since >= QUIET_NS

    def _fail(self, r: _Pod, msg: str) -> None:
        r.phase = "done"
        if msg not in self.errors:
            self.errors.append(msg)


def _go_duration(ns: int) -> str:
    from minikctl.api.clock import format_duration

    return format_duration(ns)
