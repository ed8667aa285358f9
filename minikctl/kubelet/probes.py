"""Readiness, liveness and startup probes on the cluster clock (pkg/kubelet/prober).

One worker per (pod, container, probe type), as prober/worker.go: it ticks every
periodSeconds from the moment the container first started; a tick is skipped during
initialDelaySeconds, while the worker is on hold after a liveness/startup failure, and
(readiness, liveness) until the startup probe succeeded. A result changes the
container's state only after successThreshold/failureThreshold equal results in a row
(worker.resultRun). Initial results: readiness Failure, liveness Success, startup
Unknown. The prober manager probes readiness at once when a container starts
(prober_manager.go UpdatePodStatus' manual trigger).

Effects, as the kubelet applies them: readiness flips the container's ready flag and the
pod's Ready/ContainersReady conditions (minikctl.kubelet.pods.set_container_ready), which
the endpoints controller follows; a liveness (or startup) failure kills and restarts the
container (pods.restart_container: restartCount + 1, lastState.terminated, its written
files gone). Each failed probe records a Warning ``Unhealthy`` event
(``Readiness probe failed: ...``), aggregated by count like client-go's event correlator.

Time: nothing runs in the background. Ticks that fell due are run by ``run_due``, from the
``clock advance`` hook and at the start of any command once the wall clock passed the
earliest due time (the meta key ``kubelet:probes-due``). Each tick runs with the cluster
clock set to the tick's own time, so events and transitions carry the right timestamps.
"""

from __future__ import annotations

from minikctl.api.server import clone

DUE_META = "kubelet:probes-due"
TYPES = ("startup", "readiness", "liveness")
FIELD = {"readiness": "readinessProbe", "liveness": "livenessProbe", "startup": "startupProbe"}
INITIAL = {"readiness": "failure", "liveness": "success", "startup": "unknown"}
MAX_TICKS = 5000  # per pod and run_due call: a safety net (steady probes are fast-forwarded long before)
SOURCE = "kubelet"


class _TickClock:
    """The cluster clock frozen at a tick's time (events and timestamps of that tick)."""

    mode = "manual"

    def __init__(self, ts: float):
        self.ts = ts

    def timestamp(self) -> float:
        return self.ts

    def now(self):
        from datetime import datetime, timezone

        return datetime.fromtimestamp(int(self.ts), tz=timezone.utc)

    def rfc3339(self) -> str:
        import time as _t

        return _t.strftime("%Y-%m-%dT%H:%M:%SZ", _t.gmtime(int(self.ts)))


def spec_of(container: dict, kind: str) -> dict | None:
    p = container.get(FIELD[kind])
    if not p:
        return None
    return {
        "initialDelaySeconds": int(p.get("initialDelaySeconds") or 0),
        "periodSeconds": max(1, int(p.get("periodSeconds") or 10)),
        "timeoutSeconds": max(1, int(p.get("timeoutSeconds") or 1)),
        "successThreshold": max(1, int(p.get("successThreshold") or 1)),
        "failureThreshold": max(1, int(p.get("failureThreshold") or 3)),
        "probe": p,
    }


def _status(pod: dict, name: str) -> dict | None:
    for cs in (pod.get("status") or {}).get("containerStatuses") or ():
        if cs.get("name") == name:
            return cs
    return None


def _container(pod: dict, name: str) -> dict | None:
    for c in (pod.get("spec") or {}).get("containers") or ():
        if c.get("name") == name:
            return c
    return None


def _next_tick(t0: float, period: int, after: float) -> float:
    """The first tick t0 + k*period strictly after `after`."""
    if after < t0:
        return t0
    k = int((after - t0) // period) + 1
    return t0 + k * period


# ----------------------------------------------------------- container start
def on_container_start(api, pod: dict, container: dict, status: dict) -> bool:
    """The kubelet started (or restarted) a container with probes: (re)arm its workers and,
    as the prober manager does, probe readiness at once. Returns the container's readiness."""
    from minikctl.kubelet.exec import parse_time

    if not (status.get("state") or {}).get("running"):
        return False
    name = container.get("name", "")
    uid = pod["metadata"]["uid"]
    started_at = parse_time(status["state"]["running"].get("startedAt")) or api.clock.timestamp()
    # the pod as it will be once this status is written
    view = clone(pod)
    st = view.setdefault("status", {})
    css = [c for c in st.get("containerStatuses") or () if c.get("name") != name]
    css.append(status)
    st["containerStatuses"] = css
    st.setdefault("phase", "Running")
    if st.get("phase") == "Pending":
        st["phase"] = "Running"
    states = api.store.probe_states(uid)
    ready = True
    for kind in TYPES:
        spec = spec_of(container, kind)
        if spec is None:
            continue
        state, _due = states.get((name, kind), (None, None))
        if state is None:
            state = {"t0": started_at, "last": None, "run": 0}
        state.update({"cid": status.get("containerID", ""), "result": INITIAL[kind], "hold": False})
        due = _next_tick(state["t0"], spec["periodSeconds"], started_at)
        if kind == "readiness":
            ready = False
            if spec["initialDelaySeconds"] == 0 and status.get("started", True) is not False:
                _probe_tick(api, view, name, kind, spec, state, started_at, apply=False)
                ready = state["result"] == "success"
        _save(api, pod, name, kind, state, due)
    _update_due(api)
    if spec_of(container, "startup") is not None and status.get("started") is False:
        return False
    return ready


def _save(api, pod: dict, name: str, kind: str, state: dict, due: float | None) -> None:
    m = pod["metadata"]
    api.store.probe_state_put(m["uid"], name, kind, m.get("namespace", "default"), m["name"], state, due)


def _update_due(api) -> None:
    due = api.store.probe_next_due()
    if due is None:
        api.store.meta_delete(DUE_META)
    else:
        api.store.meta_set(DUE_META, repr(float(due)))


# ------------------------------------------------------------------- ticking
def on_clock(api) -> None:
    """CLOCK_HOOKS entry: run every probe tick that fell due."""
    api.store.kubelet_gc()
    run_due(api)


def due_now(store, clock) -> bool:
    """The cheap check at command start: has the earliest probe tick passed?"""
    raw = store.meta_get(DUE_META)
    if raw is None:
        return False
    try:
        return float(raw) <= clock.timestamp()
    except ValueError:
        return True


def catch_up(session) -> None:
    """Run the ticks that fell due while no command ran (wall clock), in one write transaction."""
    with session.write() as api:
        if due_now(api.store, api.clock):
            run_due(api)


def run_due(api, only_uid: str | None = None) -> None:
    now = api.clock.timestamp()
    for uid, ns, name in api.store.probes_due(now):
        if only_uid is not None and uid != only_uid:
            continue
        pod = api.try_get("pods", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            api.store.probe_state_delete(uid)
            continue
        from minikctl.controllers.nodemonitor import is_stopped  # issue 11 (w-node)

        if is_stopped(api, (pod.get("spec") or {}).get("nodeName")):
            continue  # a stopped kubelet probes nothing
        _run_pod(api, pod, now)
    _update_due(api)


def _run_pod(api, pod: dict, now: float) -> None:
    uid = pod["metadata"]["uid"]
    real_clock = api.clock
    ticks = 0
    try:
        while True:
            states = api.store.probe_states(uid)
            due = [(d, c, k, s) for (c, k), (s, d) in states.items() if d is not None and d <= now]
            if not due:
                return
            # startup before readiness before liveness at the same instant
            due.sort(key=lambda x: (x[0], TYPES.index(x[2])))
            d, cname, kind, state = due[0]
            container = _container(pod, cname)
            spec = spec_of(container, kind) if container is not None else None
            if spec is None or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                api.store.probe_state_delete(uid, cname) if spec is None else \
                    _save(api, pod, cname, kind, state, None)
                continue
            ticks += 1
            if ticks > MAX_TICKS:
                # fast-forward: the remaining ticks would repeat the same result
                for (c, k), (s, dd) in states.items():
                    sp = spec_of(_container(pod, c) or {}, k)
                    if dd is not None and dd <= now and sp is not None:
                        _save(api, pod, c, k, s, _next_tick(s["t0"], sp["periodSeconds"], now))
                return
            api.clock = _TickClock(d)
            pod = api.try_get("pods", pod["metadata"].get("namespace", "default"), pod["metadata"]["name"]) or pod
            outcome = _probe_tick(api, pod, cname, kind, spec, state, d, apply=True)
            last = d
            if outcome is not None and _steady(api, pod, cname, kind, spec, state, outcome, d):
                # every remaining tick up to now would give this same, already applied result:
                # account for them at once (run length, the event's count) instead of one by one
                skip = int((now - d) // spec["periodSeconds"])
                if skip > 0:
                    last = d + skip * spec["periodSeconds"]
                    state["run"] = int(state.get("run") or 0) + skip
                    if outcome[0] == "failure":
                        api.clock = _TickClock(last)
                        _event(api, pod, cname, "Warning", "Unhealthy",
                               f"{kind.capitalize()} probe failed: {outcome[1]}", times=skip)
            nxt = _next_tick(state["t0"], spec["periodSeconds"], last)
            _save(api, pod, cname, kind, state, nxt)
            api.clock = real_clock
            pod = api.try_get("pods", pod["metadata"].get("namespace", "default"), pod["metadata"]["name"])
            if pod is None or pod["metadata"]["uid"] != uid:
                return
    finally:
        api.clock = real_clock


def _probe_tick(api, pod: dict, name: str, kind: str, spec: dict, state: dict, at: float, apply: bool) -> None:
    """worker.doProbe at time `at`; `apply` writes the effects (status, restarts)."""
    from minikctl.kubelet.exec import parse_time

    cs = _status(pod, name)
    if cs is None or not cs.get("containerID"):
        return
    if cs.get("containerID") != state.get("cid"):
        state.update({"cid": cs.get("containerID"), "result": INITIAL[kind], "hold": False})
    if state.get("hold"):
        return
    running = (cs.get("state") or {}).get("running")
    if running is None:
        state["result"] = "failure" if kind != "liveness" else state["result"]
        return
    started_at = parse_time(running.get("startedAt")) or at
    if int(at - started_at) < spec["initialDelaySeconds"]:
        return
    if cs.get("started") is False and kind != "startup":
        return
    if cs.get("started") and kind == "startup":
        return
    result, output = run_probe(api, pod, name, kind, spec, at)
    if result is None:
        _event(api, pod, name, "Warning", "Unhealthy", f"{kind.capitalize()} probe errored: {output}")
        return None
    outcome = (result, output)
    if result == "failure":
        _event(api, pod, name, "Warning", "Unhealthy", f"{kind.capitalize()} probe failed: {output}")
    if state.get("last") == result:
        state["run"] = int(state.get("run") or 0) + 1
    else:
        state["last"] = result
        state["run"] = 1
    if (result == "failure" and state["run"] < spec["failureThreshold"]) or \
            (result == "success" and state["run"] < spec["successThreshold"]):
        return outcome
    changed = state.get("result") != result
    state["result"] = result
    if kind in ("liveness", "startup") and result == "failure":
        state["hold"] = True
        state["run"] = 0
    if not apply:
        return outcome
    if kind == "readiness" and changed:
        from minikctl.kubelet.pods import set_container_ready

        set_container_ready(api, pod, name, result == "success")
    elif kind == "startup" and result == "success" and not cs.get("started"):
        _set_started(api, pod, name, at)
    elif kind in ("liveness", "startup") and result == "failure":
        from minikctl.kubelet.pods import restart_container

        word = "liveness" if kind == "liveness" else "startup"
        restart_container(api, pod, name, f"Container {name} failed {word} probe, will be restarted")
    return outcome


STEADY_RUN = 2  # equal results beyond the threshold before the remaining ticks are fast-forwarded


def _steady(api, pod: dict, name: str, kind: str, spec: dict, state: dict, outcome: tuple, at: float) -> bool:
    """Whether the next ticks cannot change anything: the same result has been applied and seen
    a few times in a row, the container is past its start-up, and nothing is on hold."""
    result = outcome[0]
    if kind == "startup" or state.get("hold") or state.get("result") != result or state.get("last") != result:
        return False
    threshold = spec["failureThreshold"] if result == "failure" else spec["successThreshold"]
    if int(state.get("run") or 0) < threshold + STEADY_RUN:
        return False
    from minikctl.images import catalog
    from minikctl.kubelet.exec import running_since

    since = running_since(pod, name)
    if since is None:
        return False
    container = _container(pod, name) or {}
    img = catalog.resolve(api.store, container.get("image") or "")
    return at >= since + img.startup_seconds + spec["periodSeconds"]


def _set_started(api, pod: dict, name: str, at: float) -> None:
    """The startup probe succeeded: the container counts as started; readiness is probed at once."""
    new = clone(pod)
    for cs in (new.get("status") or {}).get("containerStatuses") or ():
        if cs.get("name") == name:
            cs["started"] = True
    new = api.update_status(new)
    container = _container(new, name) or {}
    spec = spec_of(container, "readiness")
    if spec is None:
        from minikctl.kubelet.pods import set_container_ready

        set_container_ready(api, new, name, True)
        return
    states = api.store.probe_states(new["metadata"]["uid"])
    state, due = states.get((name, "readiness"), (None, None))
    if state is not None and int(at - (_started(new, name) or at)) >= spec["initialDelaySeconds"]:
        _probe_tick(api, new, name, "readiness", spec, state, at, apply=True)
        _save(api, new, name, "readiness", state, due)


def _started(pod: dict, name: str) -> float | None:
    from minikctl.kubelet.exec import running_since

    return running_since(pod, name)


# ------------------------------------------------------------------ probing
def run_probe(api, pod: dict, name: str, kind: str, spec: dict, at: float) -> tuple[str | None, str]:
    """One probe execution: ("success" | "failure", output) or (None, error) when it errored."""
    p = spec["probe"]
    container = _container(pod, name) or {}
    if p.get("exec") is not None:
        from minikctl.kubelet.exec import ExecTimedOut, probe_exec

        cmd = [str(x) for x in (p["exec"].get("command") or [])]
        if not cmd:
            return None, "missing probe handler"
        try:
            code, out = probe_exec(api, pod, name, cmd, timeout=spec["timeoutSeconds"])
        except ExecTimedOut as e:
            # pkg/probe/exec/exec.go: a timeout is a failure whose output is the error's text
            return "failure", str(e)
        if code is None:
            return None, out
        return ("success" if code == 0 else "failure"), out.rstrip("\n")
    if p.get("httpGet") is not None:
        return _http_probe(api, pod, container, p["httpGet"], spec, at)
    if p.get("tcpSocket") is not None:
        return _tcp_probe(api, pod, container, p["tcpSocket"], at)
    if p.get("grpc") is not None:
        port = int(p["grpc"].get("port") or 0)
        ip = (pod.get("status") or {}).get("podIP", "")
        from minikctl.kubelet import server

        if not server.listening(api, pod, port, server.probe_client_ip(api, pod), at):
            return "failure", (f'timeout: failed to connect service "{ip}:{port}" within '
                               f"{spec['timeoutSeconds']}s: context deadline exceeded")
        return "success", ""
    return None, "missing probe handler"


def _port(container: dict, value) -> int | None:
    if isinstance(value, int):
        return value
    s = str(value or "")
    for p in container.get("ports") or ():
        if p.get("name") == s:
            return int(p.get("containerPort") or 0)
    return int(s) if s.isdigit() else None


def _http_probe(api, pod: dict, container: dict, h: dict, spec: dict, at: float) -> tuple[str | None, str]:
    """pkg/probe/http: 200-399 is success, redirects to the same host are followed."""
    from minikctl.kubelet import server

    port = _port(container, h.get("port"))
    if port is None or not 0 < port < 65536:
        return None, f"port {h.get('port')} not found" if not str(h.get("port", "")).isdigit() else \
            f"invalid port number: {h.get('port')}"
    scheme = str(h.get("scheme") or "HTTP").lower()
    ip = (pod.get("status") or {}).get("podIP", "")
    host = h.get("host") or ip
    path = h.get("path") or "/"
    if not path.startswith("/"):
        path = "/" + path
    hostport = f"{host}:{port}"
    url = f"{scheme}://{hostport}{path}"
    client = server.probe_client_ip(api, pod)
    headers = {"Host": hostport, "User-Agent": server.PROBE_USER_AGENT, "Accept": "*/*", "Connection": "close"}
    for hh in h.get("httpHeaders") or ():
        headers[hh.get("name", "")] = hh.get("value", "")
    if host != ip:
        return "failure", f'Get "{url}": dial tcp {hostport}: connect: connection refused'
    for _ in range(10):
        resp = server.handle(api, pod, port, {"method": "GET", "path": path, "headers": headers,
                                              "host": headers.get("Host", hostport)}, client, at)
        if resp is None:
            if server.listening(api, pod, port, client, at):
                return "failure", f'Get "{url}": EOF'
            return "failure", f'Get "{url}": dial tcp {hostport}: connect: connection refused'
        status = int(resp["status"])
        if 300 <= status < 400:
            loc = next((v for k, v in resp["headers"] if k.lower() == "location"), None)
            if loc and loc.startswith("/"):
                path = loc
                url = f"{scheme}://{hostport}{path}"
                continue
            return "success", ""
        if 200 <= status < 400:
            return "success", ""
        return "failure", f"HTTP probe failed with statuscode: {status}"
    return "failure", f'Get "{url}": stopped after 10 redirects'


def _tcp_probe(api, pod: dict, container: dict, t: dict, at: float) -> tuple[str | None, str]:
    from minikctl.kubelet import server

    port = _port(container, t.get("port"))
    if port is None or not 0 < port < 65536:
        return None, f"port {t.get('port')} not found"
    ip = t.get("host") or (pod.get("status") or {}).get("podIP", "")
    if server.listening(api, pod, port, server.probe_client_ip(api, pod), at):
        return "success", ""
    return "failure", f"dial tcp {ip}:{port}: connect: connection refused"


# -------------------------------------------------------------------- events
def _event(api, pod: dict, container: str, type_: str, reason: str, message: str, times: int = 1) -> None:
    """Record a kubelet event for the pod; a repeat of the last identical one only counts up
    (client-go's EventCorrelator), as `kubectl describe` shows "(x5 over 50s)"."""
    from minikctl.api.server import index_fields
    from minikctl.api import kinds as K

    node = (pod.get("spec") or {}).get("nodeName") or None
    for ev in reversed(api.events_for(pod)):
        if ev.get("reason") == reason and ev.get("message") == message and ev.get("type") == type_ \
                and (ev.get("source") or {}).get("component") == SOURCE:
            ev = clone(ev)
            ev["count"] = int(ev.get("count") or 1) + times
            ev["lastTimestamp"] = api.clock.rfc3339()
            ev["metadata"]["resourceVersion"] = str(api.store.next_rv())
            m = ev["metadata"]
            api.store.put("events", m["namespace"], m["name"], ev, **index_fields(K.by_kind("Event"), ev))
            return
    api.record_event(pod, type_, reason, message, SOURCE, node)
    if times > 1:
        _event(api, pod, container, type_, reason, message, times - 1)
