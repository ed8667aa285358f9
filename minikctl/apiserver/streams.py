"""The streaming subresources of pods for `minikctl serve`: log (plain and follow), exec and
attach over WebSocket (the remote command sub-protocols v5.channel.k8s.io and v4.channel.k8s.io),
and portforward (minikctl.apiserver.portforward).

They call what the CLI's `logs`, `exec` and `attach` call (minikctl.cli.cmd_logs,
minikctl.kubelet.exec, minikctl.cli.shell_tty): the server is one more front end, never a second
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
import threading

from minikctl.api.errors import BadRequest, Invalid, MinikctlError

SUBRESOURCES = ("log", "exec", "attach", "portforward")
FOLLOW_S = 0.25  # how often a followed log (and a no-stdin attach) looks for new lines

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
    from minikctl.cli import cmd_logs
    from minikctl.controllers.nodemonitor import check_kubelet_reachable
    from minikctl.kubelet import exec as ex

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
            rows = cmd_logs._all_lines(api, pod, cname, o["previous"])
            rows = [x for x in rows if x[0] <= now]
            lines = cmd_logs._render(api, pod, cname, rows)
            since = None
            if o["sinceSeconds"] is not None:
                since = now - o["sinceSeconds"]
            elif o["sinceTime"] is not None:
                since = o["sinceTime"]
            if since is not None:
                lines = [x for x in lines if x[0] >= since]
            if o["tailLines"] is not None:
                lines = lines[-o["tailLines"]:] if o["tailLines"] else []
            body = "".join(_log_line(ts, ln, o["timestamps"]) for ts, ln in lines)
            data = body.encode("utf-8", "surrogateescape")
            limit = o["limitBytes"]
            if limit is not None:
                data = data[:limit]
                limit -= len(data)
            follow = None
            if o["follow"] and not o["previous"] and (limit is None or limit > 0):
                cs = ex.container_status(pod, cname) or {}
                if "running" in (cs.get("state") or {}):
                    instance = int(cs.get("restartCount") or 0)
                    shown = sum(1 for x in api.store.container_log(pod["metadata"]["uid"], cname, instance)
                                if x[0] <= now)
                    follow = LogFollow(pod, cname, instance, shown, o["timestamps"], limit)
            return data, follow
    except Exception as e:  # noqa: BLE001 - every failure is a Status
        return _error(e)


def _log_line(ts: float, line: str, timestamps: bool) -> str:
    from minikctl.cli.cmd_logs import _rfc3339nano

    return (_rfc3339nano(ts) + " " if timestamps else "") + line + "\n"


def log_more(backend, f: LogFollow) -> tuple[bytes, bool]:
    """On the store thread: the lines written since (their time has come on the cluster clock), and
    whether the followed instance has ended (the stream ends as the kubelet's does)."""
    from minikctl.cli import cmd_logs
    from minikctl.kubelet import exec as ex

    s = backend._fresh()
    with s.store.read():
        api = s.api
        now = api.clock.timestamp()
        meta = f.pod["metadata"]
        rows = [x for x in api.store.container_log(meta["uid"], f.cname, f.instance) if x[0] <= now]
        cur = api.try_get("pods", meta.get("namespace", "default"), meta["name"])
        new = rows[f.shown:]
        f.shown = max(f.shown, len(rows))
        data = b""
        if new:
            text = "".join(_log_line(ts, ln, f.timestamps) for ts, ln in cmd_logs._render(api, f.pod, f.cname, new))
            data = text.encode("utf-8", "surrogateescape")
            if f.limit is not None:
                data = data[:f.limit]
                f.limit -= len(data)
        cs = ex.container_status(cur, f.cname) if cur is not None and cur["metadata"]["uid"] == meta["uid"] else None
        ended = cs is None or "running" not in (cs.get("state") or {}) or \
            int(cs.get("restartCount") or 0) != f.instance or (f.limit is not None and f.limit <= 0)
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
    return resp


# ---------------------------------------------------------------------------- dispatch
class Context:
    """What the streams need of the server: its store thread and backend, the state path (a
    command in a container opens its own connection), its stop event, and how a rest.Response
    becomes an aiohttp one."""

    def __init__(self, pool, backend, state, respond):
        self.pool, self.backend, self.state, self.respond = pool, backend, state, respond
        self.stop: asyncio.Event | None = None


async def serve(server: Context, request, req, ns: str, name: str, sub: str):
    from minikctl.apiserver.rest import status_response

    if sub == "log":
        if req.method != "GET":
            return server.respond(status_response(405, "MethodNotAllowed", "the server does not allow this method "
                                                  "on the requested resource", {}))
        return await serve_log(server, request, req, ns, name)
    if sub in ("exec", "attach") and "serve_remotecommand" in globals():
        return await serve_remotecommand(server, request, req, ns, name, sub)
    return server.respond(status_response(404, "NotFound", "the server could not find the requested resource", {}))
