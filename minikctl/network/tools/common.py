"""What every tool shares: the terminal it writes to (_Term), where it runs (the origin: image,
resolver, hosts, source address) and which implementation the image ships (flavor)."""

from __future__ import annotations

import re

from minikctl.network import dns


EXTERNAL_CURL = "8.5.0"          # the user's machine: Ubuntu 24.04's curl
EXTERNAL_OPENSSL = "OpenSSL/3.0.13"
DEFAULT_DIG = "9.18.30"          # bind9 on current Debian/Alpine


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


class _Stream(list):
    """One output stream that also records its writes, in order, in the terminal's chunks."""

    def __init__(self, name: str, chunks: list):
        super().__init__()
        self.name, self.chunks = name, chunks

    def append(self, text: str) -> None:
        super().append(text)
        self.chunks.append((self.name, text))


class _Term:
    def __init__(self):
        self.chunks: list[tuple[str, str]] = []
        self.out = _Stream("out", self.chunks)
        self.err = _Stream("err", self.chunks)

    def o(self, s: str = "", end: str = "\n") -> None:
        self.out.append(s + end)

    def e(self, s: str = "", end: str = "\n") -> None:
        self.err.append(s + end)


def _image(origin: dict) -> dict:
    """The image's catalog entry: an images.catalog.Image (its .spec), a plain dict, or the
    catalog name (resolved once, with the store the origin was built for)."""
    img = origin.get("image") or {}
    if isinstance(img, str):
        cached = origin.get("_image_spec")
        if cached is None:
            cached = {}
            api = origin.get("_api")
            try:
                from minikctl.images import catalog

                cached = catalog.resolve(api.store if api is not None else None, img).spec
            except Exception:  # pragma: no cover - an unknown catalog shape: behave generically
                cached = {}
            origin["_image_spec"] = cached
        img = cached
    spec = getattr(img, "spec", None)
    out = spec if isinstance(spec, dict) else (img if isinstance(img, dict) else {})
    if origin.get("userland") and "userland" not in out:
        out = {**out, "userland": origin["userland"]}
    return out


def _has(origin: dict, exe: str) -> bool:
    for d, names in (_image(origin).get("bin") or {}).items():
        if exe in (names or ()):
            return True
    return False


def flavor(origin: dict, tool: str) -> str:
    """bind | busybox (nslookup, host), gnu | busybox (wget), iputils | busybox (ping),
    a version string (curl, dig)."""
    img = _image(origin)
    explicit = (img.get("tools") or {}).get(tool)
    if explicit:
        return str(explicit)
    busy = img.get("userland") == "busybox"
    if origin.get("kind") != "pod":
        return {"curl": EXTERNAL_CURL, "dig": DEFAULT_DIG}.get(tool, "bind" if tool in ("nslookup", "host")
                                                             else "gnu" if tool == "wget" else "iputils")
    if tool in ("nslookup", "host"):
        return "bind" if (not busy or _has(origin, "dig")) else "busybox"
    if tool in ("wget", "nc"):
        return "busybox" if busy else ("gnu" if tool == "wget" else "openbsd")
    if tool == "ping":
        return "busybox" if busy else "iputils"
    if tool == "curl":
        env = img.get("env") or {}
        tag = str(env.get("CURL_RELEASE_TAG") or env.get("CURL_VERSION") or "")
        m = re.search(r"(\d+)[._](\d+)[._](\d+)", tag)
        if m:
            return ".".join(m.groups())
        files = img.get("files") or {}
        if "/etc/alpine-release" in files:
            return "8.11.1"
        osr = str(files.get("/etc/os-release") or "")
        for vid, ver in (('"12"', "7.88.1"), ('"11"', "7.74.0"), ('"10"', "7.64.0"), ('"9"', "7.52.1"),
                         ('"8"', "7.38.0"), ('"14.04"', "7.35.0"), ('"16.04"', "7.47.0"), ('"18.04"', "7.58.0"),
                         ('"20.04"', "7.68.0"), ('"22.04"', "7.81.0"), ('"24.04"', "8.5.0")):
            if f"VERSION_ID={vid}" in osr:
                return ver
        return EXTERNAL_CURL if not busy else "8.11.1"
    if tool == "dig":
        files = img.get("files") or {}
        if 'VERSION_ID="14.04"' in str(files.get("/etc/os-release") or ""):
            return "9.9.5-3ubuntu0.2-Ubuntu"
        return DEFAULT_DIG
    return ""


def _vtuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3]) or (8, 5, 0)


def _conf(api, origin: dict) -> dns.ResolvConf:
    conf = _conf_file(api, origin)
    if origin.get("kind") == "pod":
        blocked = frozenset(s for s in conf.nameservers if not dns_reachable(api, origin, s))
        if blocked:
            conf.unreachable = blocked
    return conf


def dns_reachable(api, origin: dict, server: str) -> bool:
    """Does a DNS query from this origin reach `server` (NetworkPolicy egress/ingress on UDP 53)?"""
    from minikctl.network.proxy import dns_verdict

    return bool(dns_verdict(api, origin, server))


def dns_timeout_lines(origin: dict, server: str) -> list[str]:
    """What nslookup/host print when no reply comes back: bind 9.18+ (netmgr) reports each of
    its 3 tries (dighost.c: "communications error to %s: %s"), then "no servers could be
    reached"; older bind and BusyBox print one line."""
    if flavor(origin, "nslookup") == "busybox":
        return [";; connection timed out; no servers could be reached", ""]
    if _vtuple(flavor(origin, "dig")) >= (9, 18):
        return [f";; communications error to {server}#53: timed out"] * 3 + [";; no servers could be reached"]
    return [";; connection timed out; no servers could be reached", ""]


def _conf_file(api, origin: dict) -> dns.ResolvConf:
    if origin.get("kind") == "pod":
        if origin.get("resolv_conf") is not None:  # the container's /etc/resolv.conf as it is now
            return dns.parse_resolv_conf(origin["resolv_conf"])
        fs = origin.get("fs")
        if fs is not None:
            try:
                return dns.parse_resolv_conf(fs.read("/etc/resolv.conf"))
            except Exception:  # no (readable) /etc/resolv.conf: glibc's defaults
                return dns.ResolvConf(["127.0.0.1"], [], 1)
        return dns.resolv_conf(api, origin.get("pod"), origin.get("namespace"))
    # The user's machine: its own resolver, which knows only the internet.
    return dns.ResolvConf([dns.NODE_RESOLVER], [], 1)


def _hosts(origin: dict) -> dict[str, str]:
    h = {"localhost": "127.0.0.1"}
    h.update(origin.get("hosts") or {})
    return h


def _src_ip(origin: dict) -> str:
    from minikctl.network.proxy import origin_ip

    return origin_ip(origin)


def _hint(t: _Term, text: str) -> None:
    if text:
        t.e(f"hint: {text}")
