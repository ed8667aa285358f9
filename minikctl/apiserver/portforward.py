"""pods/portforward for `minikctl serve`: kubectl 1.32 port-forward (KUBECTL_PORT_FORWARD_WEBSOCKETS,
on by default) tunnels SPDY/3.1 through a WebSocket (`SPDY/3.1+portforward.k8s.io`,
client-go/tools/portforward/tunneling_dialer.go); over it, each local connection opens an error
stream and a data stream with the headers streamType, port and requestID (portforward.k8s.io,
pkg/kubelet/cri/streaming/portforward/httpstream.go).

The data stream is answered by the pod's simulated server, as `minikctl port-forward` answers a
local connection (minikctl.cli.cmd_port_forward, minikctl.kubelet.server.handle): each HTTP
request is computed on a thread of its own over a read snapshot of the store, its writes (access-log
lines) applied after it in one short write transaction. Nothing reaches the host's network. A port
nobody in the pod listens on gets the runtime's message on the error stream, as the kubelet sends it
(minikctl.kubelet.portforward, which the CLI's port-forward prints too).
"""

from __future__ import annotations

import asyncio

from minikctl.apiserver import spdy

V1 = "portforward.k8s.io"  # PortForwardProtocolV1Name
PROTOCOL = "SPDY/3.1+" + V1  # WebsocketsSPDYTunnelingPrefix + PortForwardProtocolV1Name


def pf_start(backend, ns: str, name: str):
    """On the store thread: the pod (its key) or the refusal (a Response)."""
    from minikctl.apiserver.rest import error_response
    from minikctl.apiserver.streams import _error
    from minikctl.api.errors import BadRequest
    from minikctl.controllers.nodemonitor import check_kubelet_reachable

    try:
        s = backend._fresh()
        with s.store.read():
            api = s.api
            pod = api.get("pods", ns, name)
            if not (pod.get("spec") or {}).get("nodeName"):
                # pkg/registry/core/pod/strategy.go PortForwardLocation
                raise BadRequest(f"pod {name} does not have a host assigned")
            check_kubelet_reachable(api, pod)
            return (ns, name, pod["metadata"]["uid"]),
    except Exception as e:  # noqa: BLE001
        try:
            return _error(e)
        except Exception:  # noqa: BLE001
            return error_response(e)


def _parse_request(buf: bytearray) -> dict | None:
    """One complete HTTP/1.x request at the start of `buf` (removed from it), else None."""
    while buf[:2] == b"\r\n":
        del buf[:2]
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).decode("latin-1").split("\r\n")
    parts = head[0].split()
    headers: list[tuple[str, str]] = []
    for h in head[1:]:
        k, _, v = h.partition(":")
        headers.append((k.strip(), v.strip()))
    hmap = {k.lower(): v for k, v in headers}
    n = hmap.get("content-length", "")
    size = int(n) if n.isdigit() else 0
    if len(buf) < end + 4 + size:
        return None
    body = bytes(buf[end + 4:end + 4 + size])
    del buf[:end + 4 + size]
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return {"bad": True, "_h": hmap, "version": "HTTP/1.1", "method": "GET"}
    return {"method": parts[0], "path": parts[1], "version": parts[2], "headers": dict(headers),
            "host": hmap.get("host", ""), "body": body.decode("utf-8", "surrogateescape"), "_h": hmap}


def answer(state, pod_key, port: int, req: dict, first: bool) -> tuple[bytes | None, str | None]:
    """On a thread of its own: (the response bytes, or None when the server closes the
    connection; the error stream's message, "" when the connection ends after the response, or
    None)."""
    from minikctl.kubelet import portforward

    data, error, close = portforward.exchange(state, pod_key, port, req, first, busy_ms=5000)
    if error is not None or data is None:
        return data, error
    return data, ("" if close else None)


class _Forward:
    """One local connection: its data stream (and the error stream of the same requestID)."""

    def __init__(self, port: int):
        self.port = port
        self.data_id = 0
        self.error_id = 0
        self.queue: asyncio.Queue = asyncio.Queue()
        self.task: asyncio.Task | None = None
        self.done = False


async def serve(server, request, req, ns: str, name: str):
    from aiohttp import WSMsgType, web

    from minikctl.apiserver.rest import status_response

    loop = asyncio.get_running_loop()
    got = await loop.run_in_executor(server.pool, pf_start, server.backend, ns, name)
    if not isinstance(got, tuple):
        return server.respond(got)
    pod_key = got[0]
    from minikctl.apiserver.streams import RawUpgrade, _offered_protocols, spdy_upgrade_requested

    ws = web.WebSocketResponse(protocols=(PROTOCOL,), autoping=True, heartbeat=None, max_msg_size=64 * 1024 * 1024)
    ready = ws.can_prepare(request)
    raw = None
    if ready.ok and ready.protocol == PROTOCOL:
        await ws.prepare(request)
        response = ws
    elif spdy_upgrade_requested(request) and V1 in _offered_protocols(request):
        # kubectl's SPDY dialer (KUBECTL_PORT_FORWARD_WEBSOCKETS=false, or an older kubectl): the same frames
        raw = await RawUpgrade.accept(request, V1)
        response = raw.response
    else:
        return server.respond(status_response(400, "BadRequest", "Upgrade request required", {}))

    async def messages():
        if raw is not None:
            while True:
                data = await raw.recv()
                if data is None:
                    return
                yield data
        async for msg in ws:
            if msg.type == WSMsgType.BINARY:
                yield msg.data

    conn = spdy.Connection()
    lock = asyncio.Lock()
    forwards: dict[str, _Forward] = {}   # requestID -> forward
    by_stream: dict[int, _Forward] = {}  # data stream id -> forward

    async def send(data: bytes) -> None:
        if raw is not None:
            raw.write(data)
            return
        async with lock:
            if not ws.closed:
                try:
                    await ws.send_bytes(data)
                except (ConnectionResetError, RuntimeError):
                    pass

    async def finish(fw: _Forward, error: str | None) -> None:
        if fw.done:
            return
        fw.done = True
        out = b""
        if error and fw.error_id:
            out += conn.data(fw.error_id, error.encode())
        if fw.data_id:
            out += conn.data(fw.data_id, b"", fin=True)
        if fw.error_id:
            out += conn.data(fw.error_id, b"", fin=True)
        await send(out)

    async def pump(fw: _Forward) -> None:
        """The data stream's bytes: HTTP requests answered in order by the pod's server."""
        buf = bytearray()
        first = True
        while True:
            chunk = await fw.queue.get()
            if chunk is None:  # the client closed its side
                await finish(fw, None)
                return
            buf += chunk
            while True:
                parsed = _parse_request(buf)
                if parsed is None:
                    break
                data, error = await loop.run_in_executor(server.commands, answer, server.state, pod_key, fw.port, parsed, first)
                first = False
                if data:
                    await send(conn.data(fw.data_id, data))
                if data is None or error is not None:
                    await finish(fw, error or None)
                    return

    async def on_frame(f: spdy.Frame) -> bool:
        if f.kind == spdy.SYN_STREAM:
            h = f.headers
            await send(conn.syn_reply(f.stream))
            rid = h.get("requestid", "")
            try:
                port = int(h.get("port", ""))
            except ValueError:
                port = 0
            fw = forwards.get(rid)
            if fw is None:
                fw = forwards[rid] = _Forward(port)
            if h.get("streamtype") == "error":
                fw.error_id = f.stream
            elif h.get("streamtype") == "data":
                fw.data_id = f.stream
                by_stream[f.stream] = fw
                fw.task = asyncio.ensure_future(pump(fw))
            else:
                await send(conn.rst(f.stream, spdy.PROTOCOL_ERROR))
        elif f.kind == "data":
            fw = by_stream.get(f.stream)
            if fw is not None and not fw.done:
                if f.data:
                    fw.queue.put_nowait(f.data)
                if f.fin:
                    fw.queue.put_nowait(None)
        elif f.kind == spdy.PING:
            await send(conn.ping(f.value))
        elif f.kind == spdy.RST_STREAM:
            fw = by_stream.pop(f.stream, None)
            if fw is not None:
                fw.done = True
                if fw.task is not None:
                    fw.task.cancel()
        elif f.kind == spdy.GOAWAY:
            return False
        return True

    try:
        async for data in messages():
            try:
                frames = conn.feed(data)
            except Exception:  # noqa: BLE001 - a broken peer (spdy.ProtocolError, a short frame)
                await send(conn.goaway(0, 1))
                break
            go_on = True
            for f in frames:
                go_on = await on_frame(f) and go_on
            if not go_on or server.stop.is_set():
                break
    finally:
        for fw in forwards.values():
            if fw.task is not None:
                fw.task.cancel()
        if raw is not None:
            await raw.close()
        elif not ws.closed:
            await ws.close()
    return response
