"""minikctl port-forward: a real listener on your machine's loopback interface that forwards to a
pod's port, as kubectl 1.32 does (staging/src/k8s.io/kubectl/pkg/cmd/portforward/portforward.go,
client-go/tools/portforward/portforward.go).

- TYPE/NAME is a pod, or a service / deployment / replicaset / statefulset / ... whose first
  running pod is used; a service's ports are translated to its pods' target ports.
- Each local port listens on 127.0.0.1 and [::1] (`--address localhost`, the default) or on the
  addresses given; minikctl listens on loopback addresses only and refuses others.
- A connection is answered by the pod's simulated server (minikctl.kubelet.server.handle, the same
  responses `curl` gets inside the cluster; the pod sees the client as 127.0.0.1, as through the
  kubelet's port-forward). Each request is computed over a read snapshot of the store and its
  writes (access-log lines) applied in one short write transaction, so other commands keep working.
- A connection to a port nobody in the pod listens on ends the session as kubectl's does
  (`error: lost connection to pod`). Ctrl-C or SIGTERM stops it: listeners closed, exit 0.
"""

from __future__ import annotations

import os
import socket
import threading

from minikctl.api.errors import MinikctlError, UsageError

_SEE = "\nSee 'minikctl port-forward -h' for help and examples"
_LOOPBACK = ("127.0.0.1", "::1")


class _Stop(Exception):
    pass


def _split_port(port: str) -> tuple[str, str]:
    parts = port.split(":")
    if len(parts) == 2:
        return parts[0], parts[1]
    return parts[0], parts[0]


def _named_container_port(pod: dict, name: str) -> int:
    for c in (pod.get("spec") or {}).get("containers") or ():
        for p in c.get("ports") or ():
            if p.get("name") == name:
                return int(p.get("containerPort"))
    raise MinikctlError(f"Pod '{pod['metadata']['name']}' does not have a named port '{name}'")


def translate_service_ports(ports: list[str], svc: dict, pod: dict) -> list[str]:
    """translateServicePortToTargetPort."""
    out = []
    sports = (svc.get("spec") or {}).get("ports") or []
    for port in ports:
        local, remote = _split_port(port)
        if remote.lstrip("+-").isdigit():
            num = int(remote)
        else:
            sp = next((p for p in sports if p.get("name") == remote), None)
            if sp is None:
                raise MinikctlError(f"Service '{svc['metadata']['name']}' does not have a named port '{remote}'")
            num = int(sp.get("port"))
            if local == remote:
                local = str(num)
        sp = next((p for p in sports if int(p.get("port") or 0) == num), None)
        if sp is None:
            raise MinikctlError(f"Service {svc['metadata']['name']} does not have a service port {num}")
        tp = sp.get("targetPort")
        if tp in (None, 0, "0", ""):
            target = num
        elif isinstance(tp, int) or str(tp).isdigit():
            target = int(tp)
        else:
            target = _named_container_port(pod, str(tp))
        remote = str(target)
        out.append(f"{local}:{remote}" if local != remote else remote)
    return out


def convert_pod_named_ports(ports: list[str], pod: dict) -> list[str]:
    """convertPodNamedPortToNumber."""
    out = []
    for port in ports:
        local, remote = _split_port(port)
        if remote == "":
            raise MinikctlError("remote port cannot be empty")
        num = remote
        if not remote.lstrip("+-").isdigit():
            num = str(_named_container_port(pod, remote))
        out.append(f"{local}:{num}" if local != remote else num)
    return out


def _parse_uint16(s: str, what: str) -> int:
    """strconv.ParseUint(s, 10, 16) with client-go's wording."""
    import re

    if not re.fullmatch(r"[0-9]+", s or ""):
        raise MinikctlError(f"error parsing {what} port '{s}': strconv.ParseUint: parsing \"{s}\": invalid syntax")
    n = int(s)
    if n > 65535:
        raise MinikctlError(f"error parsing {what} port '{s}': strconv.ParseUint: parsing \"{s}\": value out of range")
    return n


def parse_ports(ports: list[str]) -> list[list[int]]:
    """client-go parsePorts: [[local, remote]]; local 0 picks a free port."""
    out = []
    for p in ports:
        parts = p.split(":")
        if len(parts) == 2:
            local_s, remote_s = parts
            local_s = local_s or "0"
        else:
            local_s = remote_s = parts[0]
        local = _parse_uint16(local_s, "local")
        remote = _parse_uint16(remote_s, "remote")
        if remote == 0:
            raise MinikctlError("remote port must be > 0")
        if len(parts) > 2:
            raise MinikctlError(f"invalid port format '{p}'")
        out.append([local, remote])
    return out


def parse_addresses(addresses: list[str]) -> list[tuple[int, str]]:
    """client-go parseAddresses, limited to the loopback interface: [(family, address)]."""
    import ipaddress

    out: list[tuple[int, str]] = []
    for a in addresses:
        if a == "localhost":
            cand = [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")]
        else:
            try:
                ip = ipaddress.ip_address(a)
            except ValueError:
                raise MinikctlError(f"failed to create listener: Error {a} is not a valid IP") from None
            if str(ip) not in _LOOPBACK:
                raise UsageError(f"--address {a}: minikctl port-forward listens on the loopback interface only "
                                 "(localhost, 127.0.0.1 or ::1): the emulated cluster is for this machine")
            cand = [(socket.AF_INET if ip.version == 4 else socket.AF_INET6, str(ip))]
        for c in cand:
            if c not in out:
                out.append(c)
    return out


def _resolve(ctx, api, ref: str):
    """(pod, service or None), as the builder and AttachablePodForObject find them."""
    from minikctl.cli.cmd_exec import resolve_pod

    svc = None
    if "/" in ref:
        kind, _, name = ref.partition("/")
        if kind.lower() in ("svc", "service", "services"):
            svc = api.get("services", ctx.namespace, name)
    pod, _n = resolve_pod(api, ctx.namespace, ref)
    return pod, svc


def run(ctx) -> int:
    o = ctx.opts
    args = list(ctx.args)
    if len(args) < 2:
        raise UsageError("TYPE/NAME and list of ports are required for port-forward" + _SEE)
    session = ctx.session()
    api = session.api
    pod, svc = _resolve(ctx, api, args[0])
    if svc is not None:
        ports = translate_service_ports(args[1:], svc, pod)
    else:
        ports = convert_pod_named_ports(args[1:], pod)
    phase = (pod.get("status") or {}).get("phase")
    if phase != "Running":
        raise MinikctlError(f"unable to forward port because pod is not running. Current status={phase}")
    addresses = [a for v in (o.get("address") or ["localhost"]) for a in v.split(",") if a] or ["localhost"]
    families = parse_addresses(addresses)
    pairs = parse_ports(ports)
    pod_key = (pod["metadata"].get("namespace") or ctx.namespace, pod["metadata"]["name"], pod["metadata"]["uid"])
    session.close()
    ctx._session = None
    return _serve(ctx, pod_key, families, pairs)


def _listen(family: int, address: str, port: int) -> socket.socket:
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((address, port))
        s.listen(128)
    except OSError:
        s.close()
        raise
    return s


def _go_listen_error(family: int, address: str, port: int, e: OSError) -> str:
    net = "tcp4" if family == socket.AF_INET else "tcp6"
    host = f"[{address}]" if family == socket.AF_INET6 else address
    what = (e.strerror or str(e)).lower()
    return f"unable to create listener: Error listen {net} {host}:{port}: bind: {what}"


def _serve(ctx, pod_key, families, pairs) -> int:
    import selectors
    import signal

    def on_term(signum, frame):
        raise _Stop()

    old_handlers = {}
    if threading.current_thread() is threading.main_thread():
        # signal.Notify(os.Interrupt) in kubectl, before it listens; SIGTERM too. Installed explicitly:
        # a process started in the background by a shell inherits SIGINT ignored, and Go's Notify
        # takes it back as well.
        for sig in (signal.SIGINT, signal.SIGTERM):
            old_handlers[sig] = signal.signal(sig, on_term)
    try:
        return _serve_with_handlers(ctx, pod_key, families, pairs)
    except _Stop:  # stopped while the listeners were being set up (they close with the process)
        return 0
    finally:
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)


def _serve_with_handlers(ctx, pod_key, families, pairs) -> int:
    import selectors

    out = ctx.out
    listeners: list[tuple[socket.socket, int, int]] = []  # (socket, local port, remote port)
    failed = []
    for pair in pairs:
        errors = []
        for family, address in families:
            try:
                s = _listen(family, address, pair[0])
            except OSError as e:
                errors.append(_go_listen_error(family, address, pair[0], e))
                continue
            pair[0] = s.getsockname()[1]  # a random port (0) is fixed by the first listener
            host = f"[{address}]" if family == socket.AF_INET6 else address
            out.write(f"Forwarding from {host}:{pair[0]} -> {pair[1]}\n")
            listeners.append((s, pair[0], pair[1]))
        if len(errors) == len(families):
            ctx.err.write(f"Unable to listen on port {pair[0]}: Listeners failed to create with the following "
                          f"errors: [{' '.join(errors)}]\n")
            failed.append(pair)
    out.flush()
    if not listeners:
        for s, _, _ in listeners:
            s.close()
        raise MinikctlError("unable to listen on any of the requested ports: ["
                            + " ".join(f"{{{a} {b}}}" for a, b in pairs) + "]")
    stop = threading.Event()
    lost: list[str] = []
    lock = threading.Lock()

    sel = selectors.DefaultSelector()
    for s, local, remote in listeners:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, (local, remote))
    try:
        while not stop.is_set():
            for key, _ in sel.select(timeout=0.5):
                local, remote = key.data
                try:
                    conn, _addr = key.fileobj.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                conn.setblocking(True)
                with lock:
                    out.write(f"Handling connection for {local}\n")
                    out.flush()
                threading.Thread(target=_handle_connection, daemon=True,
                                 args=(ctx, pod_key, conn, local, remote, stop, lost, lock)).start()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        sel.close()
        for s, _, _ in listeners:
            s.close()
    if lost:
        raise MinikctlError("lost connection to pod")
    return 0


# ------------------------------------------------------------------ one connection
def _read_request(f) -> dict | None:
    """One HTTP/1.x request from the client: {method, path, version, headers, host, body}."""
    line = f.readline(65537)
    while line in (b"\r\n", b"\n"):
        line = f.readline(65537)
    if not line:
        return None
    parts = line.decode("latin-1").strip().split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return {"bad": True}
    headers: list[tuple[str, str]] = []
    while True:
        h = f.readline(65537)
        if not h or h in (b"\r\n", b"\n"):
            break
        k, _, v = h.decode("latin-1").partition(":")
        headers.append((k.strip(), v.strip()))
    hmap = {k.lower(): v for k, v in headers}
    body = b""
    n = hmap.get("content-length", "")
    if n.isdigit():
        body = f.read(int(n))
    return {"method": parts[0], "path": parts[1], "version": parts[2], "headers": dict(headers),
            "host": hmap.get("host", ""), "body": body.decode("utf-8", "surrogateescape"), "_h": hmap}


def _handle_connection(ctx, pod_key, conn, local: int, remote: int, stop, lost, lock) -> None:
    from minikctl.kubelet import portforward

    try:
        f = conn.makefile("rb")
        first = True
        while not stop.is_set():
            req = _read_request(f)
            if req is None:
                return
            data, error, close = portforward.exchange(ctx.opts.get("state"), pod_key, remote, req, first)
            if error is not None:
                _lose(ctx, lost, lock, stop, f"an error occurred forwarding {local} -> {remote}: {error}")
                return
            first = False
            if data is None:  # a server that is not HTTP: it closes the connection
                return
            conn.sendall(data)
            if close:
                return
    except OSError:
        return
    finally:
        try:
            conn.close()
        except OSError:
            pass


def _lose(ctx, lost, lock, stop, message: str) -> None:
    """runtime.HandleError's klog line, then the stream is closed: kubectl ends the session."""
    import time

    from minikctl.printers.template import go_quote

    t = time.time()
    lt = time.localtime(t)
    stamp = time.strftime("%m%d %H:%M:%S", lt) + f".{int((t % 1) * 1e6):06d}"
    with lock:
        ctx.out.flush()
        ctx.err.write(f'E{stamp} {os.getpid():>7} portforward.go:424] "Unhandled Error" err={go_quote(message)}\n')
        ctx.err.flush()
        lost.append(message)
    stop.set()  # the accept loop sees it within half a second and closes the listeners
