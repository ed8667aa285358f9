"""The streaming subresources of pods for `minikctl serve`: log (plain and follow), exec and
attach over WebSocket (the remote command sub-protocols v5.channel.k8s.io and v4.channel.k8s.io)
or, as kubectl's fallback, over SPDY/3.1 streams (minikctl.apiserver.spdy), and portforward
(minikctl.apiserver.portforward).

They call what the CLI's `logs`, `exec` and `attach` call (minikctl.kubelet.logs,
minikctl.kubelet.exec, minikctl.kubelet.shell_session): the server is one more front end, never a second
implementation. A command run in a container stays an emulation: nothing reaches the host. It
runs on a thread of its own with its own store connection, over a read snapshot; its writes are
applied afterwards in one short write transaction (minikctl.kubelet.journal), so neither the
server's store thread nor the store's write lock is held while the simulated shell computes.

Upstream: pkg/registry/core/pod/rest/log.go and pkg/registry/core/pod/strategy.go
(LogLocation, ValidateContainer), pkg/apis/core/validation ValidatePodLogOptions,
staging/src/k8s.io/apimachinery/pkg/util/remotecommand/constants.go (channels, v5 close),
staging/src/k8s.io/client-go/tools/remotecommand/websocket.go and v4.go (what kubectl expects),
pkg/kubelet/cri/streaming/remotecommand/websocket.go and httpstream.go (the exit-code Status).
"""

from __future__ import annotations

import asyncio
import json
import queue

from minikctl.api.errors import BadRequest, Invalid, MinikctlError

SUBRESOURCES = ("log", "exec", "attach", "portforward")
FOLLOW_S = 0.25  # how often a followed log (and a no-stdin attach) looks for new lines
COMMAND_THREADS = 64  # commands running in containers at once (exec, attach -i, port-forward requests)

# remotecommand constants.go
V5, V4, V3, V2 = "v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "channel.k8s.io"
STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255


def stream_target(path: str) -> tuple[str, str, str] | None:
    """(namespace, pod, subresource) when PATH is a pod's streaming subresource."""
    parts = [p for p in path.split("/") if p]
    if len(parts) == 7 and parts[:3] == ["api", "v1", "namespaces"] and parts[4] == "pods" \
            and parts[6] in SUBRESOURCES:
        return parts[3], parts[5], parts[6]
    return None


# ----------------------------------------------------------------------------- errors
def _error(e: BaseException):
    """A Response for a failure before the stream starts."""
    from minikctl.apiserver.rest import Response, error_response, status_response

    from minikctl.kubelet.exec import ExecFailed

    if type(e).__name__ == "KubeletUnreachable":
        # the apiserver's proxy to the kubelet failed: a Status without a reason ("Error from server: MSG")
        return status_response(500, "", str(e), {})
    if isinstance(e, ExecFailed):
        msg = str(e)
        prefix = "unable to upgrade connection: "
        if msg.startswith(prefix):
            # the kubelet's plain-text refusal; kubectl's SPDY fallback prints it after that prefix
            return Response(500, msg[len(prefix):] + "\n", "text/plain; charset=utf-8")
        return status_response(500, "InternalError", msg, {})
    return error_response(e)


def validate_container(pod: dict, container: str) -> str:
    """pkg/registry/core/pod/strategy.go ValidateContainer."""
    spec = pod.get("spec") or {}
    name = pod["metadata"]["name"]
    if not container:
        cs = spec.get("containers") or []
        if len(cs) == 1:
            return cs[0]["name"]
        if not cs:
            raise BadRequest(f"a container name must be specified for pod {name}")
        names = [c["name"] for key in ("initContainers", "containers", "ephemeralContainers")
                 for c in spec.get(key) or ()]
        raise BadRequest(f"a container name must be specified for pod {name}, choose one of: [{' '.join(names)}]")
    from minikctl.kubelet import exec as ex

    if ex.find_container(pod, container) is None:
        raise BadRequest(f"container {container} is not valid for pod {name}")
    return container


def _bool(v: str | None) -> bool:
    return v in ("1", "true", "True", "t", "T", "TRUE")


# -------------------------------------------------------------------------------- log
class LogFollow:
    """What a followed log has shown so far of one container instance."""

    def __init__(self, pod: dict, cname: str, instance: int, shown: int, timestamps: bool, limit: int | None):
        self.pod, self.cname, self.instance, self.shown = pod, cname, instance, shown
        self.timestamps, self.limit = timestamps, limit


def _log_options(req, name: str) -> dict:
    """The query of a log request (PodLogOptions), validated as ValidatePodLogOptions does."""
    o = {"container": req.q("container") or "", "follow": _bool(req.q("follow")),
         "previous": _bool(req.q("previous")), "timestamps": _bool(req.q("timestamps"))}
    errs = []
    for key in ("tailLines", "sinceSeconds", "limitBytes"):
        v = req.q(key)
        if v is None or v == "":
            o[key] = None
            continue
        try:
            o[key] = int(v)
        except ValueError:
            raise BadRequest(f'{key}: Invalid value: "{v}": strconv.ParseInt: parsing "{v}": invalid syntax') \
                from None
    o["sinceTime"] = None
    if req.q("sinceTime"):
        from minikctl.kubelet.exec import parse_time

        ts = parse_time(req.q("sinceTime"))
        if ts is None:
            raise BadRequest(f'sinceTime: Invalid value: "{req.q("sinceTime")}": parsing time '
                             f'"{req.q("sinceTime")}" as "2006-01-02T15:04:05Z07:00": cannot parse')
        o["sinceTime"] = ts
    if o["tailLines"] is not None and o["tailLines"] < 0:
        errs.append(("tailLines", o["tailLines"], "must be greater than or equal to 0"))
    if o["limitBytes"] is not None and o["limitBytes"] < 1:
        errs.append(("limitBytes", o["limitBytes"], "must be greater than 0"))
    if o["sinceSeconds"] is not None and o["sinceTime"] is not None:
        raise Invalid("PodLogOptions", name, [_ferr("", "at most one of `sinceTime` or `sinceSeconds` may be "
                                                        "specified", forbidden=True)])
    if o["sinceSeconds"] is not None and o["sinceSeconds"] < 1:
        errs.append(("sinceSeconds", o["sinceSeconds"], "must be greater than 0"))
    if errs:
        raise Invalid("PodLogOptions", name, [_ferr(f, d, value=v) for f, v, d in errs])
    return o


def _ferr(field: str, detail: str, value=None, forbidden: bool = False):
    from minikctl.api.errors import FieldError

    if forbidden:
        return FieldError("Forbidden", field, None, detail, has_value=False)
    return FieldError("Invalid value", field, value, detail)


def log_start(backend, req, ns: str, name: str):
    """On the store thread: (Response) for a refusal, or (body bytes, LogFollow or None)."""
    from minikctl.controllers.nodemonitor import check_kubelet_reachable
    from minikctl.kubelet import logs

    try:
        o = _log_options(req, name)
        s = backend._fresh()
        with s.store.read():
            api = s.api
            pod = api.get("pods", ns, name)
            cname = validate_container(pod, o["container"])
            if not (pod.get("spec") or {}).get("nodeName"):
                return b"", None  # LogLocation: no node, no log (an empty body)
            check_kubelet_reachable(api, pod, "logs", cname)
            now = api.clock.timestamp()
            rows = logs.all_lines(api, pod, cname, o["previous"])
            rows = [x for x in rows if x[0] <= now]
            lines = logs.render(api, pod, cname, rows)
            since = None
            if o["sinceSeconds"] is not None:
                since = now - o["sinceSeconds"]
            elif o["sinceTime"] is not None:
                since = o["sinceTime"]
            lines = logs.select(lines, since, o["tailLines"])
            body = "".join(logs.format_line(ts, ln, o["timestamps"]) for ts, ln in lines)
            data, limit = logs.limit_bytes(body.encode("utf-8", "surrogateescape"), o["limitBytes"])
            follow = None
            if o["follow"] and not o["previous"] and (limit is None or limit > 0):
                start = logs.follow_start(api, pod, cname, now)
                if start is not None:
                    instance, shown = start
                    follow = LogFollow(pod, cname, instance, shown, o["timestamps"], limit)
            return data, follow
    except Exception as e:  # noqa: BLE001 - every failure is a Status
        return _error(e)


def log_more(backend, f: LogFollow) -> tuple[bytes, bool]:
    """On the store thread: the lines written since (their time has come on the cluster clock), and
    whether the followed instance has ended (the stream ends as the kubelet's does)."""
    from minikctl.kubelet import logs

    s = backend._fresh()
    with s.store.read():
        api = s.api
        now = api.clock.timestamp()
        meta = f.pod["metadata"]
        rows = logs.written(api, meta["uid"], f.cname, f.instance, now)
        cur = api.try_get("pods", meta.get("namespace", "default"), meta["name"])
        new = rows[f.shown:]
        f.shown = max(f.shown, len(rows))
        data = b""
        if new:
            text = "".join(logs.format_line(ts, ln, f.timestamps)
                           for ts, ln in logs.render(api, f.pod, f.cname, new))
            data, f.limit = logs.limit_bytes(text.encode("utf-8", "surrogateescape"), f.limit)
        ended = logs.instance_ended(cur, meta["uid"], f.cname, f.instance) or \
            (f.limit is not None and f.limit <= 0)
        return data, ended


async def serve_log(server, request, req, ns: str, name: str):
    from aiohttp import web

    loop = asyncio.get_running_loop()
    got = await loop.run_in_executor(server.pool, log_start, server.backend, req, ns, name)
    if not isinstance(got, tuple):
        return server.respond(got)
    data, follow = got
    headers = {"Content-Type": "text/plain", "Cache-Control": "no-cache, private"}
    if follow is None:
        return web.Response(status=200, body=data, headers=headers)
    resp = web.StreamResponse(status=200, headers=headers)
    resp.enable_chunked_encoding()
    await resp.prepare(request)
    try:
        await _follow_log(server, resp, data, follow)
    except ConnectionResetError:  # the client went away (kubectl logs -f ended)
        pass
    return resp


async def _follow_log(server, resp, data: bytes, follow: LogFollow) -> None:
    loop = asyncio.get_running_loop()
    if data:
        await resp.write(data)
    while not server.stop.is_set():
        try:
            await asyncio.wait_for(server.stop.wait(), FOLLOW_S)
            break
        except asyncio.TimeoutError:
            pass
        try:
            data, ended = await loop.run_in_executor(server.pool, log_more, server.backend, follow)
        except Exception:  # noqa: BLE001 - a busy store: the next round reads it
            continue
        if data:
            await resp.write(data)
        if ended:
            break


# ---------------------------------------------------------------------------- dispatch
class Context:
    """What the streams need of the server: its store thread and backend, the state path (a
    command in a container opens its own connection), its stop event, and how a rest.Response
    becomes an aiohttp one."""

    def __init__(self, pool, backend, state, respond):
        self.pool, self.backend, self.state, self.respond = pool, backend, state, respond
        self.stop: asyncio.Event | None = None
        self._commands = None

    @property
    def commands(self):
        """The threads commands in containers run on (an interactive shell keeps one for as long as
        it is open; asyncio's default pool has only a few)."""
        if self._commands is None:
            import concurrent.futures

            self._commands = concurrent.futures.ThreadPoolExecutor(max_workers=COMMAND_THREADS,
                                                                   thread_name_prefix="minikctl-command")
        return self._commands

    def close(self) -> None:
        if self._commands is not None:
            self._commands.shutdown(wait=False, cancel_futures=True)


async def serve(server: Context, request, req, ns: str, name: str, sub: str):
    from minikctl.apiserver.rest import status_response

    if sub == "log":
        if req.method != "GET":
            return server.respond(status_response(405, "MethodNotAllowed", "the server does not allow this method "
                                                  "on the requested resource", {}))
        return await serve_log(server, request, req, ns, name)
    if sub in ("exec", "attach"):
        return await serve_remotecommand(server, request, req, ns, name, sub)
    from minikctl.apiserver import portforward

    return await portforward.serve(server, request, req, ns, name)


# ------------------------------------------------------------------- exec and attach
class StreamOptions:
    """The query of an exec or attach request (PodExecOptions / PodAttachOptions)."""

    def __init__(self, req, sub: str):
        self.sub = sub
        self.container = req.q("container") or ""
        self.command = list(req.query.get("command") or ())
        self.stdin = _bool(req.q("stdin"))
        self.stdout = _bool(req.q("stdout"))
        self.stderr = _bool(req.q("stderr"))
        self.tty = _bool(req.q("tty"))


def rc_start(backend, opts: StreamOptions, ns: str, name: str):
    """On the store thread, before the upgrade: the refusals of the apiserver and the kubelet
    (a Response), else (container name, what to run: argv, or None to stream the main process's
    output, the pod's LogFollow start for that)."""
    from minikctl.controllers.nodemonitor import check_kubelet_reachable
    from minikctl.kubelet import exec as ex

    try:
        if not (opts.stdin or opts.stdout or opts.stderr):
            # pkg/apis/core/validation: ValidatePodExecOptions / ValidatePodAttachOptions
            raise BadRequest("you must specify at least 1 of stdin, stdout, stderr")
        if opts.sub == "exec" and not opts.command:
            raise BadRequest("you must specify at least one command for the container")
        if opts.tty and opts.stderr:
            raise BadRequest("stdin, stdout, stderr, tty: Invalid value: true: tty and stderr cannot both be true")
        s = backend._fresh()
        with s.store.read():
            api = s.api
            pod = api.get("pods", ns, name)
            cname = validate_container(pod, opts.container)
            ex.check_exec(pod, cname)
            check_kubelet_reachable(api, pod)
            if opts.sub == "exec":
                return cname, list(opts.command), None
            container = ex.find_container(pod, cname) or {}
            if opts.stdin and container.get("stdin"):
                argv = list(container.get("command") or ()) + list(container.get("args") or ())
                if not argv:
                    from minikctl.kubelet.pods import resolve_image

                    argv = list((resolve_image(api, container.get("image") or "").process or {}).get("command")
                                or ["sh"])
                return cname, argv, None
            # attach without stdin: the main process's output (its log) from now on; on a manual
            # clock what it has written so far first, as `minikctl attach` shows it
            from minikctl.kubelet import logs

            now = api.clock.timestamp()
            cs = ex.container_status(pod, cname) or {}
            instance = int(cs.get("restartCount") or 0)
            rows = logs.written(api, pod["metadata"]["uid"], cname, instance, now)
            first = b""
            if s.clock.mode == "manual":
                first = "".join(ln + "\n" for _, ln in logs.render(api, pod, cname, rows)).encode(
                    "utf-8", "surrogateescape")
            return cname, None, (first, LogFollow(pod, cname, instance, len(rows), False, None))
    except Exception as e:  # noqa: BLE001
        return _error(e)


class _Stdin:
    """The stdin channel as the command's thread reads it: bytes, None at its end (v5's close
    signal, or the connection's end)."""

    def __init__(self):
        self.q: queue.Queue = queue.Queue()
        self.ended = False
        self.pending = b""

    def put(self, data: bytes | None) -> None:
        self.q.put(data)

    def read_all(self) -> bytes:
        chunks = [self.pending]
        self.pending = b""
        while not self.ended:
            data = self.q.get()
            if data is None:
                self.ended = True
                break
            chunks.append(data)
        return b"".join(chunks)

    def byte(self) -> int | None:
        while not self.pending:
            if self.ended:
                return None
            data = self.q.get()
            if data is None:
                self.ended = True
                return None
            self.pending = data
        b, self.pending = self.pending[0], self.pending[1:]
        return b


class _TtyOut:
    """The container's terminal (ONLCR: a newline goes out as CR LF) on the stdout channel."""

    def __init__(self, send):
        self.send = send

    def write(self, s: str) -> int:
        if s:
            self.send(STDOUT, s.encode("utf-8", "surrogateescape").replace(b"\n", b"\r\n"))
        return len(s)

    def flush(self) -> None:
        pass


class TtyLineEditor:
    """A pseudo-terminal's line discipline in canonical mode with echo, as the shell in the
    container sees its terminal: the client's terminal is raw (kubectl exec -t), so this side
    echoes what is typed, erases with DEL/BS and Ctrl-U, ends a line with CR or LF, turns Ctrl-C
    into an interrupt and Ctrl-D on an empty line into the end of input. Escape sequences
    (arrows) are consumed and ignored."""

    def __init__(self, stdin: _Stdin):
        self.stdin = stdin

    def read(self, prompt: str, out) -> str | None:
        out.write(prompt)
        buf = bytearray()
        while True:
            b = self.stdin.byte()
            if b is None:
                if buf:
                    out.write("\n")
                    return buf.decode("utf-8", "surrogateescape")
                return None
            if b in (13, 10):
                out.write("\n")
                return buf.decode("utf-8", "surrogateescape")
            if b == 3:
                raise KeyboardInterrupt
            if b == 4:
                if not buf:
                    return None
                continue
            if b in (127, 8):
                if buf:
                    while buf and (buf.pop() & 0xC0) == 0x80:  # a whole UTF-8 character
                        pass
                    out.write("\b \b")
                continue
            if b == 21:
                out.write("\b \b" * len(buf.decode("utf-8", "replace")))
                buf.clear()
                continue
            if b == 27:
                nxt = self.stdin.byte()
                if nxt in (91, 79):  # CSI / SS3: up to the final byte
                    while True:
                        c = self.stdin.byte()
                        if c is None or 0x40 <= c <= 0x7E:
                            break
                continue
            if b < 32:
                continue
            buf.append(b)
            out.write(bytes([b]).decode("utf-8", "surrogateescape"))

    def remember(self, line: str) -> None:
        pass


class _LoopCtx:
    def __init__(self, out):
        self.out = out
        self.err = out


class _EnterInteractive(Exception):
    pass


def run_command(state, ns: str, name: str, cname: str, argv: list[str], opts: StreamOptions, stdin: _Stdin,
                send) -> int:
    """On a thread of its own (its own store connection): the command in the simulated container,
    as `minikctl exec` runs it: over a read snapshot, its writes journaled and applied after it in
    one short write (minikctl.kubelet.journal); an interactive shell on a tty gets the CLI's
    read-eval-print loop (minikctl.kubelet.shell_session), a line at a time. Returns the exit status;
    raises what kubectl reports as an error."""
    from minikctl.api.cluster import Session
    from minikctl.kubelet import exec as ex
    from minikctl.kubelet import journal as jn

    tty = opts.tty
    tty_out = _TtyOut(send)

    def out_w(s: str) -> None:
        if tty:
            tty_out.write(s)
        elif opts.stdout and s:
            send(STDOUT, s.encode("utf-8", "surrogateescape"))

    def err_w(s: str) -> None:
        if tty:
            tty_out.write(s)  # a terminal carries both streams
        elif opts.stderr and s:
            send(STDERR, s.encode("utf-8", "surrogateescape"))

    stdin_text = ""
    if opts.stdin and not tty:
        stdin_text = stdin.read_all().decode("utf-8", "surrogateescape")
    entered: list = []

    def enter(shell, io) -> int:
        entered.append(shell)
        raise _EnterInteractive()

    session = Session.open(state, bootstrap=False)
    try:
        session.store.conn.execute("PRAGMA busy_timeout=5000")
        with jn.snapshot(session) as (api, journal):
            pod = api.get("pods", ns, name)
            ex.check_exec(pod, cname)
            cid = (ex.container_status(pod, cname) or {}).get("containerID")
            try:
                code = ex.exec_in_container(api, pod, cname, argv, stdin=stdin_text, tty=tty, out=out_w,
                                            err=err_w, repl=enter if tty and opts.stdin else None)
            except _EnterInteractive:
                code = None
        jn.commit(session, journal)
        if code is None:
            from minikctl.kubelet.shell_session import run_session

            code = run_session(_LoopCtx(tty_out), session, ns, name, cname, cid, entered[0], out_w,
                               lambda current_shell: TtyLineEditor(stdin))
        return code
    finally:
        session.close()


def exit_status(code: int, argv: list[str]) -> dict:
    """The error channel's Status (v4 and v5): pkg/kubelet/cri/streaming/remotecommand/httpstream.go
    v4WriteStatusFunc; the message is the runtime's CodeExitError."""
    if not code:
        return {"metadata": {}, "status": "Success"}
    return {"metadata": {}, "status": "Failure",
            "message": f"command terminated with non-zero exit code: error executing command "
                       f"[{' '.join(argv)}], exit code {code}",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}


def failure_status(message: str) -> dict:
    return {"metadata": {}, "status": "Failure", "message": message}


async def serve_remotecommand(server: Context, request, req, ns: str, name: str, sub: str):
    from aiohttp import web

    from minikctl.apiserver.rest import status_response

    loop = asyncio.get_running_loop()
    opts = StreamOptions(req, sub)
    got = await loop.run_in_executor(server.pool, rc_start, server.backend, opts, ns, name)
    if not isinstance(got, tuple):
        return server.respond(got)
    ws = web.WebSocketResponse(protocols=(V5, V4, V3, V2), autoping=True, heartbeat=None,
                               max_msg_size=16 * 1024 * 1024)
    if ws.can_prepare(request).ok:
        await ws.prepare(request)
        channels = _WsChannels(ws, opts)
    elif spdy_upgrade_requested(request):
        # kubectl's SPDY executor (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false, or an older kubectl):
        # the same channels as SPDY streams (pkg/kubelet/cri/streaming/remotecommand/httpstream.go)
        offered = _offered_protocols(request)
        proto = next((p for p in offered if p in (V4, V3, V2)), None)
        if proto is None:
            return server.respond(status_response(403, "Forbidden", f"unable to upgrade: unable to negotiate "
                                                  f"protocol: client supports {offered}, server supports "
                                                  f"[{V4} {V3} {V2}]", {}))
        raw = await RawUpgrade.accept(request, proto)
        channels = _SpdyChannels(raw, opts, proto)
    else:
        return server.respond(status_response(400, "BadRequest", "Upgrade request required", {}))
    try:
        await _remotecommand(server, channels, opts, ns, name, sub, got)
    finally:
        await channels.close()
    return channels.response


async def _remotecommand(server: Context, channels, opts: StreamOptions, ns: str, name: str, sub: str, got) -> None:
    loop = asyncio.get_running_loop()
    cname, argv, attach_log = got
    stdin = channels.stdin
    read_task = asyncio.ensure_future(channels.reader())
    write_task = asyncio.ensure_future(channels.writer())
    stopper = asyncio.ensure_future(server.stop.wait())
    stopper.add_done_callback(lambda _: stdin.put(None))  # the server stops: an open shell reads its end
    try:
        if not await channels.ready():
            return
        if argv is None:
            status = await _attach_output(server, attach_log, channels.send, channels.gone)
        else:
            def work():
                try:
                    return exit_status(run_command(server.state, ns, name, cname, argv, opts, stdin, channels.send),
                                       argv)
                except MinikctlError as e:
                    return failure_status(str(e))
                except Exception as e:  # noqa: BLE001 - a Status, never a traceback
                    return failure_status(f"Internal error occurred: {type(e).__name__}: {e}")

            status = await loop.run_in_executor(server.commands, work)
            if sub == "attach":
                status = {"metadata": {}, "status": "Success"}  # an attach carries no exit status
        if status is not None:
            if channels.protocol in (V4, V5):
                channels.send(ERROR, json.dumps(status, separators=(",", ":")).encode())
            elif status.get("status") == "Failure":
                channels.send(ERROR, status.get("message", "").encode())
        channels.outq.put_nowait(None)
        await write_task
    finally:
        stdin.put(None)
        stopper.cancel()
        read_task.cancel()
        write_task.cancel()


def _send(loop, outq: asyncio.Queue, channel: int, data: bytes) -> None:
    """Queue a channel's data in order, from the event loop or from the command's thread."""
    try:
        on_loop = asyncio.get_running_loop() is loop
    except RuntimeError:
        on_loop = False
    if on_loop:
        outq.put_nowait((channel, data))
    else:
        loop.call_soon_threadsafe(outq.put_nowait, (channel, data))


class _WsChannels:
    """The channels as WebSocket messages: the channel's byte, then its data."""

    def __init__(self, ws, opts: StreamOptions):
        self.ws, self.opts, self.response = ws, opts, ws
        self.protocol = ws.ws_protocol or ""
        self.outq: asyncio.Queue = asyncio.Queue()
        self.stdin = _Stdin()
        self.gone = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def send(self, channel: int, data: bytes) -> None:
        _send(self._loop, self.outq, channel, data)

    async def ready(self) -> bool:
        return True

    async def reader(self) -> None:
        from aiohttp import WSMsgType

        try:
            async for msg in self.ws:
                if msg.type != WSMsgType.BINARY or not msg.data:
                    continue
                ch, data = msg.data[0], msg.data[1:]
                if ch == STDIN and self.opts.stdin and not self.stdin.ended:
                    if data:
                        self.stdin.put(bytes(data))
                elif ch == CLOSE and self.protocol == V5 and data[:1] == bytes([STDIN]):
                    self.stdin.put(None)  # v5: the client half-closed stdin
                # RESIZE: the simulated terminal has no size to change
        finally:
            self.stdin.put(None)
            self.gone.set()

    async def writer(self) -> None:
        while True:
            item = await self.outq.get()
            if item is None:
                return
            ch, data = item
            if self.ws.closed:
                continue
            try:
                await self.ws.send_bytes(bytes([ch]) + data)
            except (ConnectionResetError, RuntimeError):
                pass

    async def close(self) -> None:
        await self.ws.close()


# ------------------------------------------------------------------ SPDY (the fallback)
def spdy_upgrade_requested(request) -> bool:
    return request.headers.get("Upgrade", "").lower().startswith("spdy/3.1")


def _offered_protocols(request) -> list[str]:
    return [p.strip() for v in request.headers.getall("X-Stream-Protocol-Version", []) for p in v.split(",")
            if p.strip()]


class RawUpgrade:
    """An HTTP/1.1 connection switched to SPDY/3.1 (101 Switching Protocols): the bytes in and out,
    below aiohttp's HTTP parser (apimachinery/pkg/util/httpstream/spdy/upgrade.go)."""

    def __init__(self, request, resp):
        self.request, self.response = request, resp
        self.queue: asyncio.Queue = asyncio.Queue()

    @classmethod
    async def accept(cls, request, protocol: str) -> "RawUpgrade":
        from aiohttp import web

        resp = web.StreamResponse(status=101, headers={"Connection": "Upgrade", "Upgrade": "SPDY/3.1",
                                                       "X-Stream-Protocol-Version": protocol})
        await resp.prepare(request)
        raw = cls(request, resp)
        request.protocol.set_parser(_RawParser(raw.queue))
        return raw

    async def recv(self) -> bytes | None:
        return await self.queue.get()

    def write(self, data: bytes) -> None:
        t = self.request.transport
        if t is not None and not t.is_closing():
            t.write(data)

    async def close(self) -> None:
        t = self.request.transport
        if t is not None and not t.is_closing():
            t.close()


class _RawParser:
    """aiohttp's payload parser slot of an upgraded connection: every byte to a queue."""

    def __init__(self, queue: asyncio.Queue):
        self.queue = queue

    def feed_data(self, data: bytes):
        self.queue.put_nowait(bytes(data))
        return False, b""

    def feed_eof(self) -> None:
        self.queue.put_nowait(None)


_STREAM_CHANNEL = {"stdin": STDIN, "stdout": STDOUT, "stderr": STDERR, "error": ERROR, "resize": RESIZE}


class _SpdyChannels:
    """The channels as SPDY streams, one per channel, named by their streamType header."""

    def __init__(self, raw: RawUpgrade, opts: StreamOptions, protocol: str):
        from minikctl.apiserver import spdy

        self.raw, self.opts, self.protocol, self.response = raw, opts, protocol, raw.response
        self.conn = spdy.Connection()
        self.outq: asyncio.Queue = asyncio.Queue()
        self.stdin = _Stdin()
        self.gone = asyncio.Event()
        self._ready = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self.ids: dict[int, int] = {}  # channel -> stream id
        self.want = {ERROR} | ({STDIN} if opts.stdin else set()) | ({STDOUT} if opts.stdout else set()) | \
            ({STDERR} if opts.stderr and not opts.tty else set()) | ({RESIZE} if opts.tty else set())

    def send(self, channel: int, data: bytes) -> None:
        _send(self._loop, self.outq, channel, data)

    async def ready(self) -> bool:
        """Wait for the client's streams (streamTypes of the options), as the kubelet does."""
        try:
            await asyncio.wait_for(self._ready.wait(), 30)
        except asyncio.TimeoutError:
            return False
        return not self.gone.is_set()

    async def reader(self) -> None:
        from minikctl.apiserver import spdy

        conn = self.conn
        try:
            while True:
                data = await self.raw.recv()
                if data is None:
                    return
                for f in conn.feed(data):
                    if f.kind == spdy.SYN_STREAM:
                        self.raw.write(conn.syn_reply(f.stream))
                        ch = _STREAM_CHANNEL.get(f.headers.get("streamtype", ""))
                        if ch is not None:
                            self.ids[ch] = f.stream
                        if self.want <= set(self.ids):
                            self._ready.set()
                    elif f.kind == "data":
                        if f.stream == self.ids.get(STDIN) and not self.stdin.ended:
                            if f.data:
                                self.stdin.put(f.data)
                            if f.fin:
                                self.stdin.put(None)  # the client closed stdin
                    elif f.kind == spdy.PING:
                        self.raw.write(conn.ping(f.value))
                    elif f.kind == spdy.GOAWAY:
                        return
        except Exception:  # noqa: BLE001 - a broken peer: the session ends
            return
        finally:
            self.stdin.put(None)
            self.gone.set()
            self._ready.set()

    async def writer(self) -> None:
        while True:
            item = await self.outq.get()
            if item is None:
                break
            ch, data = item
            sid = self.ids.get(ch)
            if sid is not None and data:
                self.raw.write(self.conn.data(sid, data))
        # the end: every stream of ours half-closed, the error stream after the others
        for ch in (STDOUT, STDERR, ERROR):
            if ch in self.ids:
                self.raw.write(self.conn.data(self.ids[ch], b"", fin=True))

    async def close(self) -> None:
        await asyncio.sleep(0)
        await self.raw.close()


async def _attach_output(server: Context, attach_log, send, gone: asyncio.Event):
    """attach without stdin: the main process's output as it is written, until its instance ends."""
    loop = asyncio.get_running_loop()
    first, follow = attach_log
    if first:
        send(STDOUT, first)
    while not server.stop.is_set() and not gone.is_set():
        try:
            await asyncio.wait_for(gone.wait(), FOLLOW_S)
            return None
        except asyncio.TimeoutError:
            pass
        try:
            data, ended = await loop.run_in_executor(server.pool, log_more, server.backend, follow)
        except Exception:  # noqa: BLE001
            continue
        if data:
            send(STDOUT, data)
        if ended:
            break
    return {"metadata": {}, "status": "Success"}
