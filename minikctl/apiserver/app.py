"""The HTTP front of `minikctl serve`: aiohttp (HTTP/1.1 with keep-alive, chunked streaming and
WebSockets, for watch, logs -f and exec to come), TLS from the cluster's CA, the kubeconfig
file, signals. Requests are handed to ONE worker thread that owns the store (rest.Backend):
SQLite connections are per thread, and one writer at a time is what the store does anyway.

aiohttp is an optional dependency (pip install "minikctl[server]"): only `minikctl serve`
imports this module.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import signal
import ssl
import tempfile

from minikctl.api.errors import UsageError

TICK_S = 1.0  # the server's timers (kubelet, probes, node monitor) catch up this often
POLL_S = 0.05  # how often the revision log is read for the open watches (writes of other processes)


class Watcher:
    """One open watch stream: the revisions of its resource reach it through `queue`; while
    its start is read (the initial state), they wait in `pending`."""

    def __init__(self, resource: str):
        self.resource = resource
        self.queue: asyncio.Queue = asyncio.Queue()
        self.pending: list | None = []
        self.seen = 0

    def offer(self, rows: list) -> None:
        if self.pending is not None:
            self.pending.extend(rows)
            return
        rows = [r for r in rows if r[0] > self.seen]
        if rows:
            self.seen = rows[-1][0]
            self.queue.put_nowait(rows)

    def go_live(self, position: int) -> None:
        pending, self.pending = self.pending or [], None
        self.seen = position
        self.offer(pending)


class Hub:
    """The open watches, fed by one poller of the revision log."""

    def __init__(self):
        self.watchers: set[Watcher] = set()
        self.position = 0
        self.wake = asyncio.Event()

    def dispatch(self, rows: list) -> None:
        by: dict[str, list] = {}
        for r in rows:
            by.setdefault(r[1], []).append(r)
        for w in list(self.watchers):
            mine = by.get(w.resource)
            if mine:
                w.offer(mine)


def kubeconfig_text(server: str, ca_pem: str | None, token: str) -> str:
    cluster = f"    server: {server}\n"
    if ca_pem:
        cluster = f"    certificate-authority-data: {base64.b64encode(ca_pem.encode()).decode()}\n" + cluster
    return ("apiVersion: v1\n"
            "clusters:\n"
            "- cluster:\n" + cluster +
            "  name: minikctl\n"
            "contexts:\n"
            "- context:\n"
            "    cluster: minikctl\n"
            "    user: minikctl\n"
            "  name: minikctl\n"
            "current-context: minikctl\n"
            "kind: Config\n"
            "preferences: {}\n"
            "users:\n"
            "- name: minikctl\n"
            "  user:\n"
            f"    token: {token}\n")


def write_private(path: str, text: str) -> None:
    """Write FILE readable by its owner only, atomically (a reader never sees half of it)."""
    d = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".minikctl-kubeconfig-", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _ssl_context(cert_pem: str, key_pem: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.TemporaryDirectory(prefix="minikctl-serve-") as d:
        cert, key = os.path.join(d, "tls.crt"), os.path.join(d, "tls.key")
        for p, text in ((cert, cert_pem), (key, key_pem)):
            fd = os.open(p, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(text)
        ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def serve(state: str | None, address: str, port: int, kubeconfig: str | None, insecure: bool, out, err,
          users: list[str] | None = None, merge: bool = False) -> int:
    try:
        from aiohttp import web
    except ImportError:
        raise UsageError('minikctl serve needs the server extra: pip install "minikctl[server]" (aiohttp)') from None
    from minikctl.apiserver import certs
    from minikctl.apiserver.rest import MAX_BODY, Backend, Request

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="minikctl-store")
    backend = Backend(state, "", "")

    def start():
        from minikctl.apiserver import watch as W

        s = backend.open()
        from minikctl.apiserver import auth

        creds = certs.ensure(s, address)
        tokens = auth.ensure_users(s, users or [])  # the students: tokens, namespaces, RoleBindings
        backend.authenticator = auth.Authenticator(creds.token, tokens)
        W.log_enabled(s.store)
        return creds, str(s.store.path), tokens

    try:
        creds, store_path, tokens = pool.submit(start).result()
    except BaseException:
        pool.submit(backend.close).result()
        pool.shutdown()
        raise
    backend.token = creds.token
    ssl_ctx = None if insecure else _ssl_context(creds.cert_pem, creds.key_pem)
    kubeconfig = kubeconfig or store_path + ".kubeconfig"

    hub: Hub | None = None
    stop: asyncio.Event | None = None
    from minikctl.apiserver import streams

    stream_ctx = streams.Context(pool, backend, state, lambda r: _response(r))

    def is_watch(request) -> bool:
        # strconv.ParseBool, as the apiserver decodes ListOptions.Watch (the Python client sends "True")
        return request.method == "GET" and request.query.get("watch") in ("1", "t", "T", "true", "True", "TRUE")

    async def watch(request, req: Request) -> "web.StreamResponse":
        from minikctl.apiserver import watch as W
        from minikctl.apiserver.rest import error_response

        loop = asyncio.get_running_loop()

        def prepare():
            t = backend.target_of(req)
            if not isinstance(t, tuple):
                return t  # a Response: not a resource path, or refused
            spec = W.spec_of(t[0], req)
            return (t[0], spec) if isinstance(spec, W.Spec) else spec

        try:
            got = await loop.run_in_executor(pool, prepare)
        except Exception as e:  # noqa: BLE001
            got = error_response(e)
        if not isinstance(got, tuple):
            return _response(got)
        target, spec = got
        w = Watcher(target.kind.plural)
        hub.watchers.add(w)
        try:
            try:
                rows, position, err = await loop.run_in_executor(pool, W.start, backend, spec)
                first = err or await loop.run_in_executor(pool, W.encode, backend, spec, rows)
            except Exception as e:  # noqa: BLE001
                return _response(error_response(e))
            resp = web.StreamResponse(status=200, headers={"Content-Type": "application/json",
                                                           "Cache-Control": "no-cache, private"})
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            if first:
                await resp.write(first)
            if err:
                return resp
            if spec.bookmarks and spec.initial:  # the end of the initial events (watch.py)
                await resp.write(W.bookmark(spec, position, initial_end=True))
            w.go_live(position)
            deadline = loop.time() + spec.timeout
            mark = W.next_bookmark(loop.time(), deadline) if spec.bookmarks else None
            while not stop.is_set():
                now = loop.time()
                if mark is not None and now >= mark:
                    if w.queue.empty():
                        await resp.write(W.bookmark(spec, max(w.seen, hub.position)))
                    mark = W.next_bookmark(now, deadline)
                left = deadline - now
                if left <= 0:
                    break
                if mark is not None:
                    left = min(left, max(mark - now, 0.0))
                getter = asyncio.ensure_future(w.queue.get())
                stopper = asyncio.ensure_future(stop.wait())
                done, _ = await asyncio.wait({getter, stopper}, timeout=left, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                if getter not in done:
                    getter.cancel()
                    if mark is not None and loop.time() < deadline and not stop.is_set():
                        continue  # a bookmark is due
                    break
                rows = getter.result()
                while not w.queue.empty():
                    rows = rows + w.queue.get_nowait()
                data = await loop.run_in_executor(pool, W.encode, backend, spec, rows)
                if data:
                    await resp.write(data)
            return resp
        except (ConnectionResetError, asyncio.CancelledError):
            raise
        finally:
            hub.watchers.discard(w)

    async def poller() -> None:
        from minikctl.apiserver import watch as W

        loop = asyncio.get_running_loop()
        changes = W.Changes(store_path)  # another process's commit, seen on the WAL file (watch.py)
        while not stop.is_set():
            await W.wait_for_change(hub.wake, changes if hub.watchers else None, POLL_S)
            hub.wake.clear()
            if not hub.watchers:  # nobody to tell: only keep up with the log's head
                try:
                    hub.position = await loop.run_in_executor(pool, lambda: W.head(backend.session.store))
                except Exception:  # noqa: BLE001
                    pass
                continue
            try:
                rows = await loop.run_in_executor(pool, W.poll, backend, hub.position)
            except Exception:  # noqa: BLE001 - a busy store: the next round reads it
                continue
            if rows:
                hub.position = rows[-1][0]
                hub.dispatch(rows)
                if len(rows) >= 2000:
                    hub.wake.set()

    def _response(resp) -> "web.Response":
        r = web.Response(status=resp.status, body=resp.body)
        for k, v in resp.headers:
            if k == "Content-Type":
                r.headers["Content-Type"] = v
            else:
                r.headers.add(k, v)
        return r

    async def handle(request: "web.Request") -> "web.StreamResponse":
        chunks, size = [], 0
        while size <= MAX_BODY:  # read past the limit by one chunk at most: rest.py answers 413
            chunk = await request.content.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        body = b"".join(chunks)
        from minikctl.apiserver.auth import flatten_headers

        req = Request(request.method, request.path, request.query_string, flatten_headers(request.headers), body)
        loop = asyncio.get_running_loop()
        target = streams.stream_target(request.path)
        if target is not None:  # pods/log, exec, attach, portforward (minikctl.apiserver.streams)
            denied = await loop.run_in_executor(pool, backend.authenticate, req)
            if denied is not None:
                return _response(denied)
            return await streams.serve(stream_ctx, request, req, *target)
        if is_watch(request):
            denied = await loop.run_in_executor(pool, backend.authenticate, req)
            if denied is not None:
                return _response(denied)
            return await watch(request, req)
        resp = await loop.run_in_executor(pool, backend.handle, req)
        if request.method != "GET" and hub.watchers:
            hub.wake.set()  # a write through the server: its watchers hear of it at once
        return _response(resp)

    async def main() -> None:
        nonlocal hub, stop
        from minikctl.apiserver import watch as W

        hub = Hub()
        stop = asyncio.Event()
        stream_ctx.stop = stop
        hub.position = await asyncio.get_running_loop().run_in_executor(pool, lambda: W.head(backend.session.store))
        app = web.Application(client_max_size=MAX_BODY + 65537)
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=5)
        await runner.setup()
        site = web.TCPSite(runner, address, port, ssl_context=ssl_ctx, reuse_address=True)
        try:
            await site.start()
        except OSError as e:
            await runner.cleanup()
            raise UsageError(f"cannot listen on {address}:{port}: {e.strerror or e}") from None
        sock = site._server.sockets[0]  # the port the kernel chose for --port 0
        real_port = sock.getsockname()[1]
        host = "127.0.0.1" if address in ("0.0.0.0", "") else ("[::1]" if address == "::" else address)
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        url = f"{'http' if insecure else 'https'}://{host}:{real_port}"
        backend.server_address = f"{host}:{real_port}"
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):  # before the URL is out: a stop right after it is never lost
            loop.add_signal_handler(sig, stop.set)
        poll_task = asyncio.ensure_future(poller())
        text = kubeconfig_text(url, None if insecure else creds.ca_pem, creds.token)
        write_private(kubeconfig, text)
        from minikctl.apiserver import auth

        lines = auth.write_user_kubeconfigs(kubeconfig, text, tokens)  # serve --users
        if merge:
            auth.merge_kubeconfig(auth.merge_target(), text)
        out.write(f"Starting to serve on {url} (kubeconfig: {kubeconfig})\n" + "".join(lines))
        out.flush()
        try:
            while not stop.is_set():
                try:
                    await asyncio.wait_for(stop.wait(), TICK_S)
                except asyncio.TimeoutError:
                    await loop.run_in_executor(pool, backend.tick)
        finally:
            stop.set()
            await poll_task
            await runner.cleanup()

    try:
        asyncio.run(main())
    finally:
        stream_ctx.close()
        pool.submit(backend.close).result()
        pool.shutdown()
    return 0
