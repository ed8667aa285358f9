"""A raw watch stream for the `minikctl serve` tests: one HTTPS connection reading the chunked
body line by line, as client-go's StreamWatcher does (issue 14)."""

from __future__ import annotations

import base64
import http.client
import json
import ssl
from urllib.parse import urlsplit


def ssl_context(kubeconfig: str) -> ssl.SSLContext:
    ca = base64.b64decode(next(ln.split()[-1] for ln in open(kubeconfig)
                               if "certificate-authority-data" in ln)).decode()
    return ssl.create_default_context(cadata=ca)


class Stream:
    """GET `path` and read its watch events; `next()` waits at most `timeout` seconds."""

    def __init__(self, srv, path: str, timeout: float = 30, accept: str = "application/json"):
        u = urlsplit(srv.url)
        self.conn = http.client.HTTPSConnection(u.hostname, u.port, context=ssl_context(srv.kubeconfig),
                                                timeout=timeout)
        self.conn.request("GET", path, headers={"Authorization": f"Bearer {srv.token()}", "Accept": accept})
        self.resp = self.conn.getresponse()
        self.status = self.resp.status

    def body(self) -> dict:
        """A refused watch's Status."""
        return json.loads(self.resp.read())

    def next(self) -> dict | None:
        """The next event, or None at the end of the stream."""
        line = self.resp.readline()
        if not line:
            return None
        return json.loads(line)

    def take(self, n: int) -> list[dict]:
        out = []
        for _ in range(n):
            e = self.next()
            assert e is not None, f"the stream ended after {out}"
            out.append(e)
        return out

    def rest(self) -> list[dict]:
        """Every event up to the end of the stream (the server's timeout)."""
        out = []
        while (e := self.next()) is not None:
            out.append(e)
        return out

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
