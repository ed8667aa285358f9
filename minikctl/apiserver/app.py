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


def serve(state: str | None, address: str, port: int, kubeconfig: str | None, insecure: bool, out, err) -> int:
    try:
        from aiohttp import web
    except ImportError:
        raise UsageError('minikctl serve needs the server extra: pip install "minikctl[server]" (aiohttp)') from None
    from minikctl.apiserver import certs
    from minikctl.apiserver.rest import MAX_BODY, Backend, Request

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="minikctl-store")
    backend = Backend(state, "", "")

    def start():
        s = backend.open()
        creds = certs.ensure(s, address)
        return creds, str(s.store.path)

    try:
        creds, store_path = pool.submit(start).result()
    except BaseException:
        pool.submit(backend.close).result()
        pool.shutdown()
        raise
    backend.token = creds.token
    ssl_ctx = None if insecure else _ssl_context(creds.cert_pem, creds.key_pem)
    kubeconfig = kubeconfig or store_path + ".kubeconfig"

    async def handle(request: "web.Request") -> "web.StreamResponse":
        chunks, size = [], 0
        while size <= MAX_BODY:  # read past the limit by one chunk at most: rest.py answers 413
            chunk = await request.content.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        body = b"".join(chunks)
        req = Request(request.method, request.path, request.query_string, dict(request.headers), body)
        loop = asyncio.get_running_loop()
        resp = await loop.run_in_executor(pool, backend.handle, req)
        r = web.Response(status=resp.status, body=resp.body)
        for k, v in resp.headers:
            if k == "Content-Type":
                r.headers["Content-Type"] = v
            else:
                r.headers.add(k, v)
        return r

    async def main() -> None:
        app = web.Application(client_max_size=MAX_BODY + 65537)
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
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
        write_private(kubeconfig, kubeconfig_text(url, None if insecure else creds.ca_pem, creds.token))
        out.write(f"Starting to serve on {url} (kubeconfig: {kubeconfig})\n")
        out.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            while not stop.is_set():
                try:
                    await asyncio.wait_for(stop.wait(), TICK_S)
                except asyncio.TimeoutError:
                    await loop.run_in_executor(pool, backend.tick)
        finally:
            await runner.cleanup()

    try:
        asyncio.run(main())
    finally:
        pool.submit(backend.close).result()
        pool.shutdown()
    return 0
