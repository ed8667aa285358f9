"""The network client tools as they print in a container or on the user's machine:
curl, wget, nslookup, dig, host, ping. Nothing touches the host's network: names resolve
through dns.py, connections go through proxy.py.

``run(api, argv, origin)`` -> (exit code, stdout, stderr). ``origin`` is where the tool
runs: ``{"kind": "pod", "pod": pod, "container": name, "hosts": {name: ip}, "image": entry,
"tty": bool}`` inside a container (the exec shell calls this), or ``{"kind": "external",
"hosts": {...}}`` for minikctl's top-level commands (the user's machine).

Which implementation an image ships (bind9's nslookup or BusyBox's, GNU wget or BusyBox's,
iputils ping or BusyBox's, the curl version) is image data: ``image.tools`` in the catalog
wins; otherwise it follows the image's userland and what it installs.

One file per tool family, as busybox's networking/ has one applet per file:

  common.py   the terminal a tool writes to, its origin (image, resolver, hosts), flavor()
  curl.py     curl (HTTP and HTTPS, TLS certificates, -v); writing a download to a file
  wget.py     wget (GNU and BusyBox)
  lookup.py   nslookup (bind9 and BusyBox), host, dig
  ping.py     ping (iputils and BusyBox), traceroute
  nc.py       nc, telnet (raw TCP; HTTP spoken by hand)

and here: run(), run_interleaved() and TOOLS, the table of tools by name.
"""

from __future__ import annotations

from minikctl.network.tools.common import (  # noqa: F401 - the package's public names
    DEFAULT_DIG, EXTERNAL_CURL, EXTERNAL_OPENSSL, _Exit, _Term, flavor,
)
from minikctl.network.tools.curl import APISERVER_CERT_META, CurlOpts, curl, parse_curl  # noqa: F401
from minikctl.network.tools.lookup import _dig_question, _dig_rr, dig, host, nslookup  # noqa: F401 - tests
from minikctl.network.tools.nc import nc, telnet
from minikctl.network.tools.ping import ping, traceroute
from minikctl.network.tools.wget import wget


def run(api, argv: list[str], origin: dict) -> tuple[int, str, str]:
    code, t = _run(api, argv, origin)
    return code, "".join(t.out), "".join(t.err)


def run_interleaved(api, argv: list[str], origin: dict) -> tuple[int, list[tuple[str, str]]]:
    """Like run(), with the output as (stream, text) chunks in the order the tool wrote them
    ("out" | "err"), for a caller that writes both streams to one terminal."""
    code, t = _run(api, argv, origin)
    return code, t.chunks


def _run(api, argv: list[str], origin: dict):
    t = _Term()
    if not argv:
        return 0, t
    name = argv[0].rsplit("/", 1)[-1]
    fn = TOOLS.get(name)
    if fn is None:
        t.e(f"{name}: command not found")
        return 127, t
    origin = {**origin, "_api": api}
    args = argv[1:]
    if name in ("nslookup", "dig", "host"):
        # names in DNS presentation format: a byte that is not printable is \DDD (BIND's
        # dns_name_totext), so a name typed with control characters never reaches the terminal raw
        args = [_dns_escape(a) for a in args]
    try:
        code = fn(api, args, origin, t)
    except _Exit as e:
        code = e.code
    return code, t


def _dns_escape(arg: str) -> str:
    if not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in arg):
        return arg
    return "".join(f"\\{ord(ch):03d}" if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 else ch for ch in arg)


TOOLS = {"curl": curl, "wget": wget, "nslookup": nslookup, "dig": dig, "host": host, "ping": ping, "nc": nc,
         "telnet": telnet, "traceroute": traceroute}
