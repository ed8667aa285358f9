"""The servers running in a pod's containers, as the image catalog describes them.

``listening(api, pod, port, client_ip)`` answers a TCP connect (curl, tcpSocket probes,
kube-proxy's target), ``handle(api, pod, port, request, client_ip)`` answers an HTTP
request with the image's response (routes, files from the container's filesystem,
404 page) and prints the image's access-log line to the container's log.

A port is open when a container of the pod runs the image's own process (not a
``command`` override such as ``sleep``), is running, has finished starting
(``startupSeconds``), and the server binds an address the client can reach: an app
bound to 127.0.0.1 answers only connections to localhost from inside its own pod (not
even its own pod IP).
"""

from __future__ import annotations

PROBE_USER_AGENT = "kube-probe/1.32"

_MIME = {".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "application/javascript",
         ".json": "application/json", ".txt": "text/plain", ".png": "image/png", ".ico": "image/x-icon",
         ".svg": "image/svg+xml", ".xml": "text/xml", ".jpg": "image/jpeg", ".gif": "image/gif"}


def _server(api, pod: dict, port: int, client_ip: str, at: float | None = None):
    """(container name, listener, image, env) serving `port` for this client, or None (refused)."""
    from minikctl.images import catalog
    from minikctl.kubelet import exec as ex

    status = pod.get("status") or {}
    if status.get("phase") != "Running" or not status.get("podIP"):
        return None
    now = api.clock.timestamp() if at is None else at
    # A socket bound to 127.0.0.1 only accepts connections made to 127.0.0.1: from inside the pod
    # through localhost (the proxy passes 127.0.0.1 as the client), never through the pod's IP.
    loopback = {"127.0.0.1", "::1", "localhost"}
    for c in (pod.get("spec") or {}).get("containers") or ():
        name = c.get("name", "")
        since = ex.running_since(pod, name)
        if since is None:
            continue
        img = catalog.resolve(api.store, c.get("image") or "")
        env = _env(api, pod, c, img)
        proc = catalog.main_process(img, c, env)
        if not proc.get("servers"):
            continue
        for lst in img.listeners(c, env):
            if lst["port"] != int(port):
                continue
            if now < since + img.startup_seconds:
                return None
            if lst["address"] in ("127.0.0.1", "::1", "localhost") and client_ip not in loopback:
                return None
            return name, lst, img, env
    return None


def _env(api, pod: dict, container: dict, img) -> dict[str, str]:
    from minikctl.kubelet import exec as ex

    return dict(ex.container_environment(api, pod, container, img))


def listening(api, pod: dict, port: int, client_ip: str, at: float | None = None) -> bool:
    """Would a TCP connect from client_ip to the pod's port be accepted?"""
    return _server(api, pod, port, client_ip, at) is not None


def handle(api, pod: dict, port: int, request: dict, client_ip: str, at: float | None = None) -> dict | None:
    """The pod's answer to an HTTP request {method, path, headers, host}: {status, reason, headers, body};
    None when nobody listens (connection refused) or a non-HTTP server closes the connection
    (curl: empty reply)."""
    found = _server(api, pod, port, client_ip, at)
    if found is None:
        return None
    name, lst, img, env = found
    ts = api.clock.timestamp() if at is None else at
    method = (request.get("method") or "GET").upper()
    raw_path = request.get("path") or "/"
    headers_in = {str(k).lower(): str(v) for k, v in (request.get("headers") or {}).items()}
    values = {
        "pod_name": pod["metadata"]["name"], "namespace": pod["metadata"].get("namespace", "default"),
        "pod_ip": (pod.get("status") or {}).get("podIP", ""), "node_name": (pod.get("spec") or {}).get("nodeName", ""),
        "image": img.ref, "port": str(lst["port"]), "client_ip": client_ip, "method": method, "path": raw_path,
        "host": request.get("host") or headers_in.get("host", ""), "user_agent": headers_in.get("user-agent", "-"),
        "referer": headers_in.get("referer", "-"),
    }
    from minikctl.kubelet.fs import pod_hostname

    values["hostname"] = pod_hostname(api, pod)[0]
    if lst.get("protocol") == "tcp":
        tcp = lst.get("tcp") or {}
        if tcp.get("log"):
            _log(api, pod, name, [_render(tcp["log"], values, env, ts)], ts)
        return None
    resp = _respond(api, pod, name, img, lst.get("http") or {}, method, raw_path, values, env, ts)
    body = resp["body"]
    values["status"] = str(resp["status"])
    values["bytes"] = str(len(body.encode("utf-8")))
    log_fmt = (lst.get("http") or {}).get("accessLog")
    if log_fmt:
        _log(api, pod, name, [_render(log_fmt, values, env, ts)], ts)
    if method == "HEAD":
        resp["body"] = ""
    return resp


def _respond(api, pod: dict, cname: str, img, http: dict, method: str, raw_path: str, values: dict,
             env: dict, ts: float) -> dict:
    from http import HTTPStatus

    path = raw_path.split("?", 1)[0].split("#", 1)[0] or "/"
    route = None
    for r in http.get("routes") or ():
        rp = r.get("path") or "/"
        if (r.get("match") or "Prefix") == "Exact":
            ok = path == rp
        else:
            ok = path == rp or path.startswith(rp.rstrip("/") + "/") or rp == "/"
        methods = r.get("methods")
        if ok and (not methods or method in [m.upper() for m in methods]):
            route = r
            break
    file_info = None
    if route is None and http.get("docroot"):
        file_info = _docroot_file(api, pod, cname, img, http, path)
    if route is not None:
        status = int(route.get("status") or 200)
        body_t = str(route.get("body") or "")
        headers_t = route.get("headers") if route.get("headers") is not None else (http.get("headers") or {})
        ctype = "text/plain"
    elif file_info is not None:
        status = 200
        body_t, ctype, mtime = file_info
        headers_t = http.get("headers") or {}
        import time as _t

        size = len(body_t.encode("utf-8"))
        values = {**values, "last_modified": _t.strftime("%a, %d %b %Y %H:%M:%S GMT", _t.gmtime(int(mtime))),
                  "etag": f'"{int(mtime):x}-{size:x}"'}
    else:
        nf = http.get("notFound") or {}
        status = int(nf.get("status") or 404)
        body_t = str(nf.get("body") if nf.get("body") is not None else "404 page not found\n")
        headers_t = nf.get("headers") or {"Content-Type": "text/plain; charset=utf-8",
                                          "Content-Length": "{content_length}"}
        ctype = "text/plain"
    body = body_t if file_info is not None else _render(body_t, values, env, ts)
    values = {**values, "content_length": str(len(body.encode("utf-8"))), "content_type": ctype}
    headers = [(str(k), _render(str(v), values, env, ts)) for k, v in headers_t.items()]
    reason = (route or {}).get("reason")
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return {"status": status, "reason": reason, "headers": headers, "body": body}


def _docroot_file(api, pod: dict, cname: str, img, http: dict, path: str):
    """(contents, content type, mtime) of the file a static server sends for `path`, or None."""
    import posixpath
    from urllib.parse import unquote

    from minikctl.kubelet.exec import ExecContext

    ctx = ExecContext(api, pod, cname)
    root = http["docroot"].rstrip("/") or "/"
    rel = posixpath.normpath("/" + unquote(path).lstrip("/"))
    p = posixpath.normpath(root + rel)
    node = ctx.fs.stat(p)
    if node is not None and node.is_dir:
        for idx in http.get("index") or ("index.html",):
            cand = posixpath.join(p, idx)
            n2 = ctx.fs.stat(cand)
            if n2 is not None and not n2.is_dir:
                p, node = cand, n2
                break
        else:
            return None
    if node is None or node.is_dir:
        return None
    ext = posixpath.splitext(p)[1].lower()
    return node.data or "", _MIME.get(ext, "application/octet-stream"), node.mtime


def _render(text: str, values: dict, env: dict, ts: float) -> str:
    from minikctl.images.catalog import render

    return render(text, values, env, ts)


def _log(api, pod: dict, container: str, lines: list[str], ts: float) -> None:
    from minikctl.kubelet import exec as ex

    if not api.store.in_write:
        return  # a read-only caller: the request is answered but not logged
    api.store.container_log_append(pod["metadata"]["uid"], container, ex.instance(pod, container), ts, lines)


def probe_client_ip(api, pod: dict) -> str:
    """Where the kubelet's probes come from: the node's address on the pod network (podCIDR .1)."""
    node = api.try_get("nodes", "", (pod.get("spec") or {}).get("nodeName") or "")
    cidr = ((node or {}).get("spec") or {}).get("podCIDR")
    if not cidr:
        return "10.244.0.1"
    base = cidr.split("/")[0].split(".")
    return ".".join(base[:3] + [str(int(base[3]) + 1)])
