"""The kubelet's side of a port-forward (pkg/kubelet/cri/streaming/portforward, and the container
runtime's PortForward: containerd's internal/cri/server/sandbox_portforward_linux.go): the errors
it writes on a forwarded connection's error stream (kubectl prints them after "an error occurred
forwarding LOCAL -> REMOTE: "), and one request's exchange with the pod's simulated server.

Every front end takes them from here: `minikctl port-forward` (minikctl.cli.cmd_port_forward) and
`minikctl serve`'s portforward subresource (minikctl.apiserver.portforward).
"""

from __future__ import annotations


def refused(pod: dict, port: int) -> str:
    """What the kubelet's port-forward (containerd) says when nothing listens on the pod's port."""
    import hashlib

    uid = pod["metadata"]["uid"]
    sandbox = hashlib.sha256(("sandbox:" + uid).encode()).hexdigest()
    netns = "cni-" + uid
    return (f"error forwarding port {port} to pod {sandbox}, "
            f"uid : failed to execute portforward in network namespace \"/var/run/netns/{netns}\": failed to connect "
            f"to localhost:{port} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: "
            f"connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection refused ")


def pod_not_found(ns: str, name: str, uid: str, port: int) -> str:
    """What it says when the pod it forwards to is gone (or no longer running)."""
    return f'error forwarding port {port} to pod {uid}, uid : pod not found ("{name}_{ns}")'


def exchange(state, pod_key: tuple[str, str, str], port: int, req: dict, first: bool,
             busy_ms: int | None = None) -> tuple[bytes | None, str | None, bool]:
    """One HTTP request forwarded to the pod's port (a dict as minikctl.kubelet.server.handle
    takes it; "bad": not HTTP), run over a snapshot of the store (kubelet.journal): (the response
    bytes, or None when the server closes the connection; the kubelet's error for the error
    stream, or None; whether the connection ends after this response)."""
    from minikctl.api.cluster import Session
    from minikctl.kubelet import journal as jn
    from minikctl.kubelet import server

    ns, name, uid = pod_key
    session = Session.open(state, bootstrap=False)
    try:
        if busy_ms is not None:
            session.store.conn.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        with jn.snapshot(session) as (api, journal):
            pod = api.try_get("pods", ns, name)
            if pod is None or pod["metadata"].get("uid") != uid or \
                    (pod.get("status") or {}).get("phase") != "Running":
                return None, pod_not_found(ns, name, uid, port), True
            if first and not server.listening(api, pod, port, "127.0.0.1"):
                return None, refused(pod, port), True
            resp = None if req.get("bad") else server.handle(api, pod, port, req, "127.0.0.1")
        jn.commit(session, journal)
    finally:
        session.close()
    if resp is None:  # not an HTTP server: it closes the connection
        return None, None, True
    from minikctl.network.http import normalise

    resp = normalise(resp)
    body = resp["body"].encode("utf-8", "surrogateescape") if req["method"].upper() != "HEAD" else b""
    head = f"{resp.get('version') or 'HTTP/1.1'} {resp['status']} {resp['reason']}\r\n"
    has_length = False
    for k, v in resp["headers"]:
        head += f"{k}: {v}\r\n"
        has_length = has_length or k.lower() == "content-length"
    head += "\r\n"
    close = req["_h"].get("connection", "").lower() == "close" or req["version"] == "HTTP/1.0" or not has_length
    return head.encode("latin-1", "replace") + body, None, close
