"""The built-in ingress-nginx data path: which backend an HTTP request goes to, which
certificate a TLS connection gets, and what the controller answers itself.

Matching follows the Ingress API (networking/v1 types.go, HTTPIngressPath) as ingress-nginx
builds its servers and locations (internal/ingress/controller/controller.go, nginx.tmpl):
- hosts: an exact host's server first, then a wildcard host "*.example.com" (one DNS
  label, ingress-nginx's regex server_name), then the default server "_" (rules without a
  host and spec.defaultBackend). A host's server never falls back to another server.
- paths: Exact is an exact match; Prefix matches by path element ("/foo" matches "/foo",
  "/foo/", "/foo/bar", not "/foobar"; a trailing "/" in the rule is ignored);
  ImplementationSpecific is treated as Prefix. The longest matching path wins; on a tie
  Exact beats Prefix. No match -> the Ingress's defaultBackend if it has one, else the
  controller's default backend: 404 with nginx's page.
- a backend service that is missing, lacks the port, or has no ready endpoint -> 503.
- TLS: the host's tls entry selects the secret; a missing or invalid secret, or one whose
  certificate does not name the host, gets the controller's fake certificate. A host with
  a usable TLS entry is redirected from HTTP to HTTPS with 308 (ssl-redirect defaults to
  true), unless nginx.ingress.kubernetes.io/ssl-redirect: "false".
Routing needs every Ingress of the class, the way the controller builds nginx.conf from all
of them; that is the one list this module reads.
"""

from __future__ import annotations

from minikctl.api import rand
from dataclasses import dataclass, field

CLASS = "nginx"
CONTROLLER = "k8s.io/ingress-nginx"
ANN_CLASS = "kubernetes.io/ingress.class"
ANN_SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect"
ANN_FORCE_SSL = "nginx.ingress.kubernetes.io/force-ssl-redirect"


@dataclass
class Location:
    path: str
    path_type: str           # Exact | Prefix
    backend: dict            # networking/v1 IngressBackend
    ingress: dict


@dataclass
class Server:
    host: str                                    # "_" for the default server
    locations: list[Location] = field(default_factory=list)
    default_backend: tuple[dict, dict] | None = None   # (IngressBackend, ingress)
    tls: list[tuple[dict, str]] = field(default_factory=list)  # (ingress, secretName)
    ssl_redirect: bool = True
    force_ssl: bool = False


def _is_default_class(api) -> bool:
    ic = api.try_get("ingressclasses", "", CLASS)
    return bool(ic) and ((ic.get("metadata") or {}).get("annotations") or {}).get(
        "ingressclass.kubernetes.io/is-default-class") == "true"


def ours(api, ing: dict) -> bool:
    spec = ing.get("spec") or {}
    cls = spec.get("ingressClassName")
    ann = ((ing.get("metadata") or {}).get("annotations") or {}).get(ANN_CLASS)
    if cls:
        if cls == CLASS:
            return True
        ic = api.try_get("ingressclasses", "", cls)
        return bool(ic) and (ic.get("spec") or {}).get("controller") == CONTROLLER
    if ann:
        return ann == CLASS
    return _is_default_class(api)


def servers(api) -> dict[str, Server]:
    """The controller's servers, from every Ingress of its class (oldest first, as
    ingress-nginx sorts them by creation timestamp)."""
    ings = [i for i in api.list("ingresses") if ours(api, i)]
    ings.sort(key=lambda i: (i["metadata"].get("creationTimestamp") or "", i["metadata"]["namespace"],
                             i["metadata"]["name"]))
    out: dict[str, Server] = {"_": Server("_")}
    for ing in ings:
        spec = ing.get("spec") or {}
        ann = (ing.get("metadata") or {}).get("annotations") or {}
        for rule in spec.get("rules") or ():
            host = (rule.get("host") or "_").lower()
            srv = out.setdefault(host, Server(host))
            if ann.get(ANN_SSL_REDIRECT) == "false":
                srv.ssl_redirect = False
            if ann.get(ANN_FORCE_SSL) == "true":
                srv.force_ssl = True
            for p in ((rule.get("http") or {}).get("paths") or ()):
                path = p.get("path") or "/"
                ptype = p.get("pathType") or "ImplementationSpecific"
                ptype = "Exact" if ptype == "Exact" else "Prefix"
                if any(loc.path == path and loc.path_type == ptype for loc in srv.locations):
                    continue  # the first Ingress to define a location keeps it
                srv.locations.append(Location(path, ptype, p.get("backend") or {}, ing))
            if spec.get("defaultBackend") and srv.default_backend is None:
                srv.default_backend = (spec["defaultBackend"], ing)
        if spec.get("defaultBackend") and out["_"].default_backend is None:
            out["_"].default_backend = (spec["defaultBackend"], ing)
        for t in spec.get("tls") or ():
            for h in t.get("hosts") or ():
                srv = out.setdefault(h.lower(), Server(h.lower()))
                srv.tls.append((ing, t.get("secretName") or ""))
    return out


def find_server(srvs: dict[str, Server], host: str | None) -> Server:
    h = (host or "").lower().rstrip(".")
    if h in srvs and h != "_":
        return srvs[h]
    first, _, rest = h.partition(".")
    if first and rest and f"*.{rest}" in srvs:
        return srvs[f"*.{rest}"]
    return srvs["_"]


def path_matches(loc_path: str, path_type: str, req_path: str) -> bool:
    if path_type == "Exact":
        return req_path == loc_path
    p = loc_path.rstrip("/")
    if not p:
        return True  # "/" matches everything
    return req_path == p or req_path.startswith(p + "/")


def find_location(srv: Server, req_path: str) -> Location | None:
    best = None
    for loc in srv.locations:
        if not path_matches(loc.path, loc.path_type, req_path):
            continue
        key = (len(loc.path.rstrip("/") if loc.path_type != "Exact" else loc.path), loc.path_type == "Exact")
        if best is None or key > best[0]:
            best = (key, loc)
    return best[1] if best else None


# ------------------------------------------------------------------ TLS
@dataclass
class ServedCert:
    pem: bytes
    source: str   # "secret:<ns>/<name>" | "fake"


def tls_state(api, srv: Server) -> tuple[bytes | None, bool]:
    """(certificate for this server or None for the default one, redirect-to-HTTPS?)."""
    from minikctl.network import tls

    if not srv.tls:
        return None, srv.force_ssl
    for ing, secret in srv.tls:
        if not secret:
            return None, srv.ssl_redirect or srv.force_ssl
        pem = tls.secret_certificate(api, ing["metadata"]["namespace"], secret)
        if pem is None:
            return None, srv.ssl_redirect or srv.force_ssl
        if srv.host != "_" and not tls.cert_covers(pem, srv.host.replace("*", "wildcard", 1)
                                                   if srv.host.startswith("*.") else srv.host):
            return None, srv.force_ssl
        return pem, srv.ssl_redirect or srv.force_ssl
    return None, srv.force_ssl


def certificate(api, sni: str | None) -> ServedCert:
    """The certificate presented for a TLS connection with this SNI (no SNI: the default)."""
    from minikctl.network import tls

    if sni:
        srvs = servers(api)
        srv = find_server(srvs, sni)
        if srv.host != "_":
            pem, _ = tls_state(api, srv)
            if pem is not None:
                ing, secret = srv.tls[0]
                return ServedCert(pem, f"secret:{ing['metadata']['namespace']}/{secret}")
    return ServedCert(tls.fake_certificate(api), "fake")


# ------------------------------------------------------------------ HTTP
def _nginx_response(api, status: int, extra: list[tuple[str, str]] | None = None, head: bool = False) -> dict:
    from minikctl.network.http import NGINX_REASONS, http_date, nginx_page, normalise

    body = nginx_page(status)
    headers = [("Date", http_date(api.clock.now())), ("Content-Type", "text/html"),
               ("Content-Length", str(len(body))), ("Connection", "keep-alive")] + (extra or [])
    return normalise({"status": status, "reason": NGINX_REASONS.get(status, ""), "headers": headers,
                      "body": "" if head else body})


def serve(api, request: dict, scheme: str, client_ip: str) -> dict:
    """ingress-nginx's answer to one request arriving at the controller."""
    from minikctl.network import proxy

    host = (request.get("host") or "").split(":")[0].lower()
    full_path = request.get("path") or "/"
    path = full_path.split("?")[0] or "/"
    head = request.get("method") == "HEAD"
    srvs = servers(api)
    srv = find_server(srvs, host)
    pem, redirect = tls_state(api, srv)
    if scheme == "http" and redirect and srv.host != "_":
        loc = f"https://{host}{full_path}"
        return _nginx_response(api, 308, [("Location", loc)], head)
    loc = find_location(srv, path)
    if loc is not None:
        backend, ing = loc.backend, loc.ingress
    elif srv.default_backend is not None:
        backend, ing = srv.default_backend
    else:
        return _nginx_response(api, 404, head=head)
    target = _backend_endpoint(api, ing, backend)
    if target is None:
        return _nginx_response(api, 503, head=head)
    hsts = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")] if scheme == "https" and pem else []
    fwd = dict(request.get("headers") or {})
    fwd.update({"X-Request-ID": "%032x" % rand.rng().getrandbits(128), "X-Real-IP": client_ip,
                "X-Forwarded-For": client_ip, "X-Forwarded-Host": host or "",
                "X-Forwarded-Port": "443" if scheme == "https" else "80", "X-Forwarded-Proto": scheme,
                "X-Forwarded-Scheme": scheme, "X-Scheme": scheme})
    upstream_req = {**request, "headers": fwd}
    ctl_ip = next((p["status"]["podIP"] for p in proxy.ingress_pods(api) if (p.get("status") or {}).get("podIP")),
                  client_ip)
    conn = proxy._to_endpoint(api, target, ctl_ip)
    if conn.target_ip and conn.state != "timeout":
        # the controller pod's own NetworkPolicy egress (the backend's ingress is checked in _to_endpoint)
        ctl = next((p for p in proxy.ingress_pods(api) if (p.get("status") or {}).get("podIP") == ctl_ip), None)
        if ctl is not None and not proxy.policy_verdict(api, ctl_ip, ctl, conn.target_ip, conn.pod, conn.target_port,
                                                        check_ingress=False):
            conn.state = "timeout"
    if not conn.ok:
        return _nginx_response(api, 502 if conn.state == "refused" else 504, head=head)
    resp = proxy.http(api, conn, upstream_req, "http")
    if resp is None:
        return _nginx_response(api, 502, head=head)
    from minikctl.network.http import http_date

    headers = [("Date", http_date(api.clock.now()))]
    for k, v in resp["headers"]:
        if k.lower() in ("date", "server", "connection", "keep-alive", "transfer-encoding"):
            continue
        headers.append((k, v))
    headers.append(("Connection", "keep-alive"))
    resp["headers"] = headers + hsts
    return resp


def _backend_endpoint(api, ing: dict, backend: dict):
    """A random ready endpoint of the backend's service port (ingress-nginx balances over
    the endpoints itself, round robin), or None (-> 503)."""
    from minikctl.network import proxy

    svc_ref = backend.get("service") or {}
    name = svc_ref.get("name") or backend.get("serviceName")
    port = svc_ref.get("port") or {}
    if not port and backend.get("servicePort") is not None:
        sp_ = backend["servicePort"]
        port = {"number": sp_} if isinstance(sp_, int) else {"name": sp_}
    if not name:
        return None
    svc = api.try_get("services", ing["metadata"]["namespace"], name)
    if svc is None:
        return None
    if (svc.get("spec") or {}).get("type") == "ExternalName":
        from minikctl.network import external

        h = external.by_name(api, (svc.get("spec") or {}).get("externalName") or "")
        if not h or not h.get("addresses"):
            return None
        num = int(port.get("number") or 80)
        return proxy.Endpoint(h["addresses"][0], num)
    if port.get("number") is not None:
        sp = proxy._service_port(svc, port=int(port["number"]))
    else:
        sp = proxy._service_port(svc, name=str(port.get("name") or ""))
    if sp is None:
        return None
    eps = proxy.ready_endpoints(api, svc, sp)
    return rand.rng().choice(eps) if eps else None
