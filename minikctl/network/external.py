"""The simulated internet: hosts outside the cluster, as data (external_hosts.yaml plus the
cluster's own additions from `minikctl external-hosts add`, kept in the store's meta).

It answers the upstream DNS queries CoreDNS forwards, and the connections that leave the
cluster (ExternalName targets, selector-less services' manual endpoints such as the seed's
11.11.11.11, curl from a pod to example.com). Unknown names are NXDOMAIN; unknown
addresses never answer.
"""

from __future__ import annotations

import json
from pathlib import Path

META_KEY = "external-hosts"
DEFAULT_TTL = 300


class ExternalHostsError(ValueError):
    pass


_HERE = Path(__file__).parent
_YAML, _JSON = _HERE / "external_hosts.yaml", _HERE / "external_hosts.json"


def _builtin() -> list[dict]:
    """The built-in table: external_hosts.json, the YAML compiled (JSON loads in well under a
    millisecond; YAML costs tens). Falls back to the YAML when the JSON is missing or older."""
    try:
        if _JSON.stat().st_mtime >= _YAML.stat().st_mtime:
            return list(json.loads(_JSON.read_text()).get("hosts") or [])
    except (OSError, ValueError):
        pass
    return list(load_yaml().get("hosts") or [])


def load_yaml() -> dict:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(_YAML.read_text(), Loader=loader)


def compile_table() -> Path:
    """Write external_hosts.json from external_hosts.yaml (run after editing the YAML)."""
    _JSON.write_text(json.dumps(load_yaml(), separators=(",", ":"), ensure_ascii=False))
    return _JSON


def user_hosts(api) -> list[dict]:
    raw = api.store.meta_get(META_KEY)
    return json.loads(raw) if raw else []


def hosts(api) -> list[dict]:
    """User hosts first (they override built-in names and addresses), then the built-in table."""
    cache = getattr(api, "_net_cache", None)
    if cache is not None and "external" in cache:
        return cache["external"]
    user = user_hosts(api)
    taken_names = {n.lower() for h in user for n in h.get("names") or ()}
    taken_addrs = {a for h in user for a in h.get("addresses") or ()}
    out = list(user)
    for h in _builtin():
        names = [n for n in h.get("names") or () if n.lower() not in taken_names]
        addrs = [a for a in h.get("addresses") or () if a not in taken_addrs]
        if (h.get("names") and not names) or (h.get("addresses") and not addrs):
            continue
        out.append({**h, "names": names, "addresses": addrs})
    if cache is not None:
        cache["external"] = out
    return out


def validate(entries: list) -> list[dict]:
    """Check user-supplied host entries; raise ExternalHostsError with one clear line."""
    import ipaddress

    if not isinstance(entries, list):
        raise ExternalHostsError("expected a list of hosts under `hosts:`")
    out = []
    for i, h in enumerate(entries):
        where = f"hosts[{i}]"
        if not isinstance(h, dict):
            raise ExternalHostsError(f"{where}: must be a mapping")
        unknown = set(h) - {"names", "cname", "addresses", "ttl", "ping", "ports", "tls", "http", "routes"}
        if unknown:
            raise ExternalHostsError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        names = h.get("names") or []
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise ExternalHostsError(f"{where}.names: must be a list of DNS names")
        addrs = h.get("addresses") or []
        if isinstance(addrs, str):
            addrs = [addrs]
        for a in addrs:
            try:
                ipaddress.IPv4Address(str(a))
            except ValueError:
                raise ExternalHostsError(f"{where}.addresses: {a!r} is not an IPv4 address") from None
        if not names and not addrs:
            raise ExternalHostsError(f"{where}: needs names or addresses")
        if h.get("cname") and addrs:
            raise ExternalHostsError(f"{where}: a cname host has no addresses of its own")
        ports = h.get("ports", [80])
        if not isinstance(ports, list) or not all(isinstance(p, int) and 0 < p < 65536 for p in ports):
            raise ExternalHostsError(f"{where}.ports: must be a list of port numbers")
        out.append({**h, "names": [n.rstrip(".").lower() for n in names], "addresses": [str(a) for a in addrs]})
    return out


def add(api, entries: list[dict]) -> None:
    current = user_hosts(api)
    new_names = {n for h in entries for n in h.get("names") or ()}
    new_addrs = {a for h in entries for a in h.get("addresses") or ()}
    kept = [h for h in current
            if not (set(h.get("names") or ()) & new_names) and not (set(h.get("addresses") or ()) & new_addrs)]
    api.store.meta_set(META_KEY, json.dumps(kept + entries))
    if hasattr(api, "_net_cache"):
        api._net_cache.pop("external", None)


# ------------------------------------------------------------------ DNS
def by_name(api, name: str) -> dict | None:
    low = name.rstrip(".").lower()
    for h in hosts(api):
        if low in (n.lower() for n in h.get("names") or ()):
            return h
    return None


def by_address(api, ip: str) -> dict | None:
    for h in hosts(api):
        if ip in (h.get("addresses") or ()):
            return h
    return None


def dns_answer(api, name: str, qtype: str, depth: int = 0):
    """Records for an upstream query: None = NXDOMAIN, [] = NODATA."""
    from minikctl.network.dns import RR, fqdn, ip_from_reverse

    qname = fqdn(name)
    ip = ip_from_reverse(qname)
    if ip is not None:
        h = by_address(api, ip)
        if h is None or not h.get("names") or qtype not in ("PTR", "ANY"):
            return None if h is None else []
        return [RR(qname, "PTR", int(h.get("ttl") or DEFAULT_TTL), fqdn(h["names"][0]))]
    h = by_name(api, qname)
    if h is None:
        return None
    ttl = int(h.get("ttl") or DEFAULT_TTL)
    if h.get("cname"):
        cname = RR(qname, "CNAME", ttl, fqdn(h["cname"]))
        if qtype == "CNAME" or depth > 7:
            return [cname]
        rest = dns_answer(api, h["cname"], qtype, depth + 1)
        return [cname] + (rest or [])
    if qtype in ("A", "ANY"):
        return [RR(qname, "A", ttl, a) for a in h.get("addresses") or ()]
    return []


# ----------------------------------------------------------------- HTTP
def open_port(h: dict, port: int) -> bool:
    return port in (h.get("ports") or [80])


def respond(api, h: dict, request: dict, scheme: str, client_ip: str, address: str) -> dict:
    """The host's answer to an HTTP request (placeholders filled in)."""
    from minikctl.network.http import http_date

    path = request.get("path") or "/"
    ans = None
    for r in h.get("routes") or ():
        rp = str(r.get("path") or "/")
        if (r.get("match") == "Exact" and path.split("?")[0] == rp) or \
                (r.get("match") != "Exact" and path.split("?")[0].startswith(rp)):
            ans = r
            break
    if ans is None:
        ans = h.get("http") or {"status": 200, "headers": {"Content-Type": "text/plain", "Content-Length": "{content_length}"},
                                 "body": "Hello from {host} (simulated external host)\n"}
    values = {"host": request.get("host") or address, "path": path, "method": request.get("method") or "GET",
              "client_ip": client_ip, "address": address, "time_http": http_date(api.clock.now()), "scheme": scheme}
    body = _fill(str(ans.get("body") or ""), values)
    values["content_length"] = str(len(body.encode()))
    headers = [(k, _fill(str(v), values)) for k, v in (ans.get("headers") or {}).items()]
    status = int(ans.get("status") or 200)
    from minikctl.network.http import reason_phrase

    return {"status": status, "reason": ans.get("reason") or reason_phrase(status), "headers": headers,
            "body": "" if request.get("method") == "HEAD" else body}


def _fill(text: str, values: dict) -> str:
    for k, v in values.items():
        text = text.replace("{" + k + "}", str(v))
    return text
