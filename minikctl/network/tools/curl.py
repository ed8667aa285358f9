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
"""

from __future__ import annotations

import random
import re

from minikctl.network import dns

EXTERNAL_CURL = "8.5.0"          # the user's machine: Ubuntu 24.04's curl
EXTERNAL_OPENSSL = "OpenSSL/3.0.13"
DEFAULT_DIG = "9.18.30"          # bind9 on current Debian/Alpine


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
    try:
        code = fn(api, argv[1:], origin, t)
    except _Exit as e:
        code = e.code
    return code, t


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


# ------------------------------------------------------------------ origin
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


# =================================================================== curl
_CURL_ARG = {"-H": "header", "-o": "output", "-w": "write_out", "-m": "max_time", "-X": "request", "-d": "data",
             "-A": "user_agent", "-u": "user", "-e": "referer", "-x": "proxy", "-K": "config", "-b": "cookie",
             "-c": "cookie_jar", "-F": "form", "-T": "upload", "-r": "range", "-C": "continue_at", "-E": "cert",
             "-Y": "speed_limit", "-y": "speed_time", "-z": "time_cond", "-U": "proxy_user", "-Q": "quote",
             "-P": "ftp_port", "-t": "telnet_option", "-D": "dump_header"}
_CURL_FLAG = {"-s": "silent", "-S": "show_error", "-v": "verbose", "-k": "insecure", "-I": "head", "-L": "location",
              "-f": "fail", "-i": "include", "-4": "ipv4", "-6": "ipv6", "-N": "no_buffer", "-O": "remote_name",
              "-#": "progress_bar", "-G": "get", "-g": "globoff", "-l": "list_only", "-n": "netrc", "-q": "disable",
              "-Z": "parallel", "-j": "junk_session", "-0": "http1_0", "-2": "sslv2", "-3": "sslv3", "-1": "tlsv1",
              "-R": "remote_time", "-J": "remote_header_name", "-a": "append", "-B": "use_ascii", "-M": "manual",
              "-V": "version", "-h": "help_flag", "-p": "proxytunnel"}
_CURL_LONG_ARG = {"--header": "header", "--output": "output", "--write-out": "write_out", "--max-time": "max_time",
                  "--connect-timeout": "connect_timeout", "--resolve": "resolve", "--request": "request",
                  "--data": "data", "--data-raw": "data", "--data-binary": "data", "--data-ascii": "data",
                  "--data-urlencode": "data", "--json": "json",
                  "--user-agent": "user_agent", "--user": "user", "--referer": "referer", "--url": "url",
                  "--cacert": "cacert", "--retry": "retry", "--retry-delay": "retry_delay", "--proxy": "proxy",
                  "--max-redirs": "max_redirs", "--connect-to": "connect_to", "--interface": "interface",
                  "--dump-header": "dump_header", "--cookie": "cookie"}
_CURL_LONG_FLAG = {"--silent": "silent", "--show-error": "show_error", "--verbose": "verbose", "--insecure": "insecure",
                   "--head": "head", "--location": "location", "--fail": "fail", "--include": "include",
                   "--http1.1": "http1_1", "--http2": "http2", "--http1.0": "http1_0", "--no-progress-meter": "no_meter",
                   "--ipv4": "ipv4", "--ipv6": "ipv6", "--compressed": "compressed", "--no-buffer": "no_buffer",
                   "--fail-with-body": "fail_with_body", "--no-keepalive": "no_keepalive", "--globoff": "globoff",
                   "--version": "version", "--help": "help_flag", "--tcp-nodelay": "tcp_nodelay",
                   "--location-trusted": "location", "--fail-early": "fail_early", "--no-sessionid": "no_sessionid",
                   "--ssl-no-revoke": "ssl_no_revoke", "--progress-bar": "progress_bar"}
_CURL_LIST = {"header", "resolve", "data", "url"}
_CURL_UNSUPPORTED = {"proxy", "config", "cookie", "cookie_jar", "form", "upload", "cert", "netrc", "manual",
                     "connect_to", "quote", "telnet_option", "ftp_port", "remote_name", "dump_header"}
_CURL_TRY = "curl: try 'curl --help' or 'curl --manual' for more information"


_WRITE_FAILED = "\0write-failed"


class CurlOpts:
    def __init__(self):
        self.opts: dict = {"header": [], "resolve": [], "data": [], "url": []}
        self.urls: list[str] = []

    def get(self, k, d=None):
        return self.opts.get(k, d)


def parse_curl(args: list[str]) -> CurlOpts:
    """curl's command line: short flags combine (-sSL, -vk, -sSo file), values attach or follow."""
    o = CurlOpts()
    i = 0

    def setv(dest, val):
        if dest in _CURL_LIST:
            o.opts[dest].append(val)
        else:
            o.opts[dest] = val

    while i < len(args):
        a = args[i]
        if a.startswith("--") and a != "--":
            name, eq, val = a.partition("=")
            if name in _CURL_LONG_FLAG:
                o.opts[_CURL_LONG_FLAG[name]] = True
            elif name.startswith("--no-") and "--" + name[5:] in _CURL_LONG_FLAG:
                o.opts[_CURL_LONG_FLAG["--" + name[5:]]] = False
            elif name in _CURL_LONG_ARG:
                if not eq:
                    if i + 1 >= len(args):
                        raise _CurlUsage(f"curl: option {name}: requires parameter")
                    i += 1
                    val = args[i]
                setv(_CURL_LONG_ARG[name], val)
            else:
                raise _CurlUsage(f"curl: option {name}: is unknown")
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                f = "-" + a[j]
                if f in _CURL_FLAG:
                    o.opts[_CURL_FLAG[f]] = True
                    j += 1
                    continue
                if f in _CURL_ARG:
                    val = a[j + 1:]
                    if not val:
                        if i + 1 >= len(args):
                            raise _CurlUsage(f"curl: option {f}: requires parameter")
                        i += 1
                        val = args[i]
                    setv(_CURL_ARG[f], val)
                    break
                raise _CurlUsage(f"curl: option {a}: is unknown")
        else:
            o.urls.append(a)
        i += 1
    o.urls = o.opts["url"] + o.urls
    return o


class _CurlUsage(Exception):
    pass


class _CurlFail(Exception):
    def __init__(self, code: int, msg: str, verbose: list[str] | None = None):
        self.code, self.msg, self.verbose = code, msg, verbose or []


def _parse_url(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, path?query, authority as typed)."""
    m = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)$", url)
    if m:
        scheme, rest = m.group(1).lower(), m.group(2)
    else:
        scheme, rest = "http", url
    if scheme not in ("http", "https"):
        raise _CurlFail(1, f'Protocol "{scheme}" not supported')
    auth, slash, path = rest.partition("/")
    path = "/" + path if slash else "/"
    q = auth.find("?")
    if q >= 0:
        auth, path = auth[:q], "/" + auth[q:]
    if "@" in auth:
        auth = auth.rsplit("@", 1)[1]
    host, colon, port_s = auth.rpartition(":") if ":" in auth else (auth, "", "")
    if not colon:
        host = auth
    if not host:
        raise _CurlFail(3, "URL rejected: No host part in the URL" if scheme else "URL using bad/illegal format or missing URL")
    default = 443 if scheme == "https" else 80
    if port_s == "":
        port = default
    else:
        if not port_s.isdigit() or int(port_s) > 65535:
            raise _CurlFail(3, "URL rejected: Port number was not a decimal number between 0 and 65535")
        port = int(port_s)
    return scheme, host.lower() if not dns.is_ipv4(host) else host, port, path, auth


_STR_COULDNT = "Couldn't connect to server"


def _connect_fail_msg(version: tuple, host: str, port: int, ms: int, errno_text: str) -> str:
    """curl's "Failed to connect" line: before 7.75 without the time; 7.87+ with
    curl_easy_strerror's text instead of the errno's (connect.c)."""
    if version < (7, 75):
        return f"Failed to connect to {host} port {port}: {errno_text}"
    return f"Failed to connect to {host} port {port} after {ms} ms: {_connect_fail_text(version, errno_text)}"


def _connect_fail_text(version: tuple, errno_text: str) -> str:
    if version >= (8, 13):
        return "Could not connect to server"
    if version >= (7, 87):
        return _STR_COULDNT
    return errno_text


def curl(api, args: list[str], origin: dict, t: _Term) -> int:
    try:
        o = parse_curl(args)
    except _CurlUsage as e:
        t.e(str(e))
        t.e(_CURL_TRY)
        return 2
    version = flavor(origin, "curl")
    v = _vtuple(version)
    if o.get("version"):
        t.o(f"curl {version} (x86_64-pc-linux-gnu) libcurl/{version} {EXTERNAL_OPENSSL} zlib/1.3 brotli/1.1.0 "
            f"zstd/1.5.5 libidn2/2.3.7 libpsl/0.21.2 nghttp2/1.59.0")
        t.o("Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtsp "
            "smb smbs smtp smtps telnet tftp")
        t.o("Features: alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IDN IPv6 Largefile libz NTLM PSL SPNEGO SSL "
            "threadsafe TLS-SRP UnixSockets zstd")
        return 0
    if o.get("help_flag"):
        t.o("Usage: curl [options...] <url>")
        t.o(" -d, --data <data>          HTTP POST data")
        t.o(" -f, --fail                 Fail fast with no output on HTTP errors")
        t.o(" -h, --help <category>      Get help for commands")
        t.o(" -i, --include              Include protocol response headers in the output")
        t.o(" -o, --output <file>        Write to file instead of stdout")
        t.o(" -O, --remote-name          Write output to a file named as the remote file")
        t.o(" -s, --silent               Silent mode")
        t.o(" -T, --upload-file <file>   Transfer local FILE to destination")
        t.o(" -u, --user <user:password> Server user and password")
        t.o(" -A, --user-agent <name>    Send User-Agent <name> to server")
        t.o(" -v, --verbose              Make the operation more talkative")
        t.o(" -V, --version              Show version number and quit")
        return 0
    for k in _CURL_UNSUPPORTED:
        if o.get(k):
            t.e(f"minikctl: curl option for {k.replace('_', '-')} is not simulated")
            return 2
    if not o.urls:
        t.e("curl: no URL specified!")
        t.e(_CURL_TRY)
        return 2
    return _Curl(api, o, origin, t, version, v).run()


class _Curl:
    def __init__(self, api, o: CurlOpts, origin: dict, t: _Term, version: str, v: tuple):
        self.api, self.o, self.origin, self.t, self.version, self.v = api, o, origin, t, version, v
        self.silent = bool(o.get("silent"))
        self.show_error = bool(o.get("show_error")) or not self.silent
        self.verbose = bool(o.get("verbose"))
        self.tty = bool(origin.get("tty"))
        self.output = o.get("output")
        self.meter = not self.silent and not o.get("no_meter") and (not self.tty or bool(self.output))
        self.vlines: list[str] = []
        self.http_code = "000"
        self.remote_ip, self.remote_port = "", 0
        self.size_download = 0
        self.redirects = 0
        self.url_effective = ""
        self.content_type = ""
        self.redirect_url = ""
        self.scheme = ""
        self.http_version = "0"
        self.conn_no = 0

    # -- output helpers
    def vb(self, line: str) -> None:
        if self.verbose:
            self.t.e(line)

    def _timeout_ms(self) -> int | None:
        vals = []
        for k in ("connect_timeout", "max_time"):
            s = self.o.get(k)
            if s is not None:
                try:
                    vals.append(float(s))
                except ValueError:
                    raise _CurlFail(2, f"curl: option --{k.replace('_', '-')}: expected a proper numerical parameter")
        return int(min(vals) * 1000) if vals else None

    def run(self) -> int:
        t = self.t
        try:
            self._timeout_ms()
        except _CurlFail as e:
            t.e(e.msg)
            t.e(_CURL_TRY)
            return 2
        if self.meter:
            t.e("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current")
            t.e("                                 Dload  Upload   Total   Spent    Left  Speed")
        code = 0
        for url in self.o.urls:
            self.meter_done = False
            if self.meter:
                # the first progress line has no newline: verbose lines and errors follow on it
                t.e("\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0", end="")
            try:
                body = self.fetch(url)
            except _CurlFail as e:
                if self.show_error:
                    t.e(f"curl: ({e.code}) {e.msg}")
                    if e.code == 60:
                        t.e("More details here: https://curl.se/docs/sslcerts.html")
                        t.e("")
                        t.e("curl failed to verify the legitimacy of the server and therefore could not")
                        t.e("establish a secure connection to it. To learn more about this situation and")
                        t.e("how to fix it, please visit the web page mentioned above.")
                    for h in e.verbose:
                        _hint(t, h)
                elif self.meter:
                    t.e("")
                code = e.code
                self._write_out()
                continue
            if body == _WRITE_FAILED:
                code = 23
            self._write_out()
        return code

    def _deliver(self, body: str) -> str | None:
        """Write the received body where -o says (stdout, /dev/null, a file in the container)."""
        if not self.output_discarded():
            self.t.out.append(body)
        elif self.output != "/dev/null":
            err = _write_file(self.origin, self.output, body)
            if err:
                if not self.silent:
                    self.t.e(f"Warning: Failed to open the file {self.output}: {err}")
                if self.show_error:
                    self.t.e("curl: (23) Failure writing output to destination")
                return _WRITE_FAILED
        return None

    def _meter_end(self) -> None:
        """The final progress line (curl prints it when the transfer is done)."""
        if self.meter and not getattr(self, "meter_done", False):
            self.meter_done = True
            n = self.size_download
            self.t.e(f"\r100 {_max5(n):>5}  100 {_max5(n):>5}    0     0  {_max5(n * 203):>5}      0 --:--:-- "
                     f"--:--:-- --:--:-- {_max5(n * 203):>5}")

    def output_discarded(self) -> bool:
        return self.output is not None and self.output != "-"

    def _write_out(self) -> None:
        fmt = self.o.get("write_out")
        if not fmt:
            return
        if fmt.startswith("@"):
            return
        vals = {"http_code": self.http_code, "response_code": self.http_code, "url_effective": self.url_effective,
                "remote_ip": self.remote_ip, "remote_port": str(self.remote_port or ""),
                "size_download": str(self.size_download), "num_redirects": str(self.redirects),
                "content_type": self.content_type, "redirect_url": self.redirect_url, "scheme": self.scheme.upper(),
                "http_version": self.http_version, "time_total": "0.004123", "time_connect": "0.000412",
                "time_namelookup": "0.000102", "time_starttransfer": "0.003921", "exitcode": "0",
                "size_header": "0", "speed_download": str(self.size_download * 203), "errormsg": ""}

        def rep(m):
            return vals.get(m.group(1), "")

        out = re.sub(r"%\{([a-z_]+)\}", rep, fmt)
        out = out.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("%%", "%")
        self.t.out.append(out)

    # -- one URL, following redirects with -L
    def fetch(self, url: str) -> str | None:
        """One URL (following redirects with -L); writes the body; _WRITE_FAILED or None."""
        method = self.o.get("request")
        data = "&".join(self.o.get("data") or []) if self.o.get("data") else None
        if self.o.get("json"):
            data = self.o.get("json")
        max_redirs = int(self.o.get("max_redirs") or 50)
        out_parts: list[str] = []
        while True:
            scheme, host, port, path, authority = _parse_url(url)
            self.scheme = scheme
            self.url_effective = f"{scheme}://{authority}{path}" if "://" not in url else url
            resp = self.one(scheme, host, port, path, authority, method, data)
            self.http_code = f"{resp['status']:03d}"
            head_text = self._header_block(resp)
            is_head = bool(self.o.get("head"))
            location = _header(resp, "Location")
            if self.o.get("location") and location and resp["status"] in (301, 302, 303, 307, 308):
                if self.redirects >= max_redirs:
                    raise _CurlFail(47, f"Maximum ({max_redirs}) redirects followed")
                if self.o.get("include") or is_head:
                    out_parts.append(head_text)
                new = _join_url(scheme, authority, path, location)
                if not is_head:
                    self.vb("* Ignoring the response-body")
                self.vb(f"* Connection #{self.conn_no} to host {host} left intact")
                self.vb(f"* Issue another request to this URL: '{new}'")
                self.redirects += 1
                if resp["status"] == 303 or (resp["status"] in (301, 302) and (method or "").upper() == "POST"):
                    method, data = None, None
                url = new
                self.conn_no += 1
                continue
            self.redirect_url = _join_url(scheme, authority, path, location) if location else ""
            if (self.o.get("fail") or self.o.get("fail_with_body")) and resp["status"] >= 400:
                self.vb(f"* The requested URL returned error: {resp['status']}")
                self.vb(f"* Closing connection")
                if self.o.get("fail_with_body"):
                    self.t.out.append(resp["body"])
                raise _CurlFail(22, f"The requested URL returned error: {resp['status']}")
            if is_head:
                body = "".join(out_parts) + head_text
            else:
                body = "".join(out_parts) + (head_text if self.o.get("include") else "") + resp["body"]
            failed = self._deliver(body)
            self._meter_end()
            self.vb(f"* Connection #{self.conn_no} to host {host} left intact")
            return failed

    def _header_block(self, resp: dict) -> str:
        h2 = resp.get("version") == "HTTP/2"
        lines = [f"HTTP/2 {resp['status']} " if h2 else f"HTTP/1.1 {resp['status']} {resp['reason']}"]
        for k, v in resp["headers"]:
            lines.append(f"{k.lower() if h2 else k}: {v}")
        return "\r\n".join(lines) + "\r\n\r\n"

    def _resolve(self, host: str, port: int) -> list[str]:
        for r in self.o.get("resolve") or ():
            parts = r.split(":")
            if len(parts) >= 3 and parts[0].lower() == host and parts[1] in (str(port), "*"):
                addrs = [a.strip("[]") for a in ":".join(parts[2:]).split(",")]
                self.vb(f"* Added {parts[0]}:{parts[1]}:{':'.join(parts[2:])} to DNS cache")
                self.vb(f"* Hostname {host} was found in DNS cache")
                return addrs
        if dns.is_ipv4(host):
            return [host]
        conf = _conf(self.api, self.origin)
        addrs, _canon = dns.getaddrinfo(self.api, host, conf, _hosts(self.origin))
        if not addrs:
            hint = ""
            if self.origin.get("kind") != "pod":
                hint = _external_name_hint(self.api, host)
            raise _CurlFail(6, f"Could not resolve host: {host}", [hint] if hint else [])
        if self.v >= (8, 8):
            self.vb(f"* Host {host}:{port} was resolved.")
            self.vb("* IPv6: (none)")
            self.vb(f"* IPv4: {', '.join(addrs)}")
        return addrs

    def one(self, scheme, host, port, path, authority, method, data) -> dict:
        from minikctl.network import proxy

        api = self.api
        addrs = self._resolve(host, port)
        ip = addrs[0] if len(addrs) == 1 else random.choice(addrs)
        self.vb(f"*   Trying {ip}:{port}...")
        conn = proxy.connect(api, ip, port, self.origin)
        self.remote_ip, self.remote_port = ip, port
        timeout = self._timeout_ms()
        if conn.state in ("refused", "unreachable"):
            errno_text = "Connection refused" if conn.state == "refused" else "No route to host"
            ms = 0 if conn.state == "refused" else 3071
            src = _src_ip(self.origin) if self.origin.get("kind") == "pod" else proxy.EXTERNAL_CLIENT_IP
            if self.v >= (8, 3):
                self.vb(f"* connect to {ip} port {port} from {src} port {random.randint(32768, 60999)} failed: {errno_text}")
            else:
                self.vb(f"* connect to {ip} port {port} failed: {errno_text}")
            msg = _connect_fail_msg(self.v, host, port, ms, errno_text)
            self.vb(f"* {msg}")
            self.vb("* Closing connection" if self.v >= (8, 3) else f"* Closing connection {self.conn_no}")
            raise _CurlFail(7, msg, [conn.hint] if conn.hint and conn.state == "refused" else [])
        if conn.state == "timeout":
            if timeout is not None:
                msg = f"Connection timed out after {timeout + 1} milliseconds"
            else:
                msg = _connect_fail_msg(self.v, host, port, 130255, "Connection timed out")
            self.vb(f"* {msg}")
            self.vb("* Closing connection" if self.v >= (8, 3) else f"* Closing connection {self.conn_no}")
            raise _CurlFail(28, msg, [conn.hint] if conn.hint else [])
        connected = f"* Connected to {host} ({ip}) port {port}"
        self.vb(connected if self.v >= (8, 3) else connected + f" (#{self.conn_no})")
        h2 = False
        if scheme == "https":
            h2 = self._tls(conn, host)
        # the request
        meth = (method or ("HEAD" if self.o.get("head") else ("POST" if data is not None else "GET"))).upper()
        host_hdr = authority.rsplit("@", 1)[-1]
        if (scheme == "http" and port == 80) or (scheme == "https" and port == 443):
            host_hdr = host_hdr.split(":")[0] if not host_hdr.startswith("[") else host_hdr
        hdrs: list[tuple[str, str]] = [("Host", host_hdr),
                                       ("User-Agent", self.o.get("user_agent") or f"curl/{self.version}"),
                                       ("Accept", "*/*")]
        if self.o.get("json"):
            hdrs += [("Content-Type", "application/json"), ("Accept", "application/json")]
        for raw in self.o.get("header") or ():
            k, sep, val = raw.partition(":")
            if not sep:
                if raw.endswith(";"):
                    hdrs.append((raw[:-1], ""))
                continue
            k, val = k.strip(), val.strip()
            hdrs = [(a, b) for a, b in hdrs if a.lower() != k.lower()]
            if val:
                hdrs.append((k, val))
        if data is not None:
            if not any(a.lower() == "content-type" for a, _ in hdrs):
                hdrs.append(("Content-Type", "application/x-www-form-urlencoded"))
            hdrs.append(("Content-Length", str(len(data.encode()))))
        if h2:
            self.vb(f"* [HTTP/2] [1] OPENED stream for {scheme}://{authority}{path}")
            self.vb(f"* [HTTP/2] [1] [:method: {meth}]")
            self.vb(f"* [HTTP/2] [1] [:scheme: {scheme}]")
            self.vb(f"* [HTTP/2] [1] [:authority: {host_hdr}]")
            self.vb(f"* [HTTP/2] [1] [:path: {path}]")
            for k, val in hdrs[1:]:
                self.vb(f"* [HTTP/2] [1] [{k.lower()}: {val}]")
        self.vb(f"> {meth} {path} {'HTTP/2' if h2 else 'HTTP/1.1'}\r")
        for k, val in hdrs:
            self.vb(f"> {k}: {val}\r")
        self.vb("> \r")
        if data is not None and not self.tty:
            self.vb("} [" + str(len(data.encode())) + " bytes data]")
        if scheme == "https":
            for _ in range(2):
                self.vb("* TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):")
                self._data("{", 265)
        host_for_server = host_hdr
        for k, val in hdrs:
            if k.lower() == "host":
                host_for_server = val
        request = {"method": meth, "path": path, "headers": {k: val for k, val in hdrs}, "host": host_for_server,
                   "body": data or ""}
        resp = proxy.http(api, conn, request, scheme)
        if resp is None:
            self.vb("* Empty reply from server")
            self.vb("* Closing connection" if self.v >= (8, 3) else f"* Closing connection {self.conn_no}")
            raise _CurlFail(52, "Empty reply from server")
        if not h2 and resp.get("version") == "HTTP/2":
            resp = {**resp, "version": "HTTP/1.1"}
        if h2:
            # HTTP/2 has no connection-specific header fields (RFC 9113 8.2.2)
            resp = {**resp, "version": "HTTP/2", "headers": [
                (k, v) for k, v in resp["headers"]
                if k.lower() not in ("connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection")]}
        self.http_version = "2" if h2 else "1.1"
        status_line = f"HTTP/2 {resp['status']} " if h2 else f"HTTP/1.1 {resp['status']} {resp['reason']}"
        self.vb(f"< {status_line}\r")
        for k, val in resp["headers"]:
            self.vb(f"< {k.lower() if h2 else k}: {val}\r")
        self.vb("< \r")
        body = resp["body"] if meth != "HEAD" else ""
        self.size_download = len(body.encode())
        self.content_type = _header(resp, "Content-Type") or ""
        if body and not self.tty:
            self._data("{", self.size_download)
        return resp

    def _data(self, arrow: str, n: int) -> None:
        if self.verbose and not self.tty:
            self.t.e(f"{arrow} [{n} bytes data]")

    def _tls(self, conn, host: str) -> bool:
        """The TLS handshake as curl -v shows it (OpenSSL 3 backend). Returns "HTTP/2 negotiated"."""
        from minikctl.network import ingress, tls

        insecure = bool(self.o.get("insecure"))
        sni = None if dns.is_ipv4(host) else host
        cert = None  # (info dict, trusted)
        if conn.kind == "ingress" and conn.target_port == 443:
            served = ingress.certificate(self.api, sni)
            cert = (tls.curl_info(served.pem), False)
            alpn_h2 = True
        elif conn.kind == "apiserver":
            cert = (_apiserver_cert(self.api), False)
            alpn_h2 = True
        elif conn.kind == "external" and conn.host is not None and conn.target_port in ((conn.host.get("tls") or {}).get("ports") or ()):
            cert = (_external_cert(conn.host), bool((conn.host.get("tls") or {}).get("trusted", True)))
            alpn_h2 = True
        else:
            alpn_h2 = False
        self.vb("* ALPN: curl offers h2,http/1.1" if self.v >= (8, 0) else "* ALPN, offering h2")
        self.vb("* TLSv1.3 (OUT), TLS handshake, Client hello (1):")
        self._data("}", 512)
        if not insecure:
            self.vb("*  CAfile: /etc/ssl/certs/ca-certificates.crt")
            self.vb("*  CApath: /etc/ssl/certs")
        if cert is None:
            # a plain-HTTP server answers the ClientHello with an HTTP error: not TLS
            self._data("{", 5)
            msg = ("error:0A00010B:SSL routines::wrong version number")
            full = f"{EXTERNAL_OPENSSL}: {msg}" if self.v >= (8, 0) else msg
            self.vb(f"* {full}")
            self.vb("* Closing connection" if self.v >= (8, 3) else f"* Closing connection {self.conn_no}")
            raise _CurlFail(35, full)
        info, trusted = cert
        self.vb("* TLSv1.3 (IN), TLS handshake, Server hello (2):")
        self._data("{", 122)
        self.vb("* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):")
        self._data("{", 15)
        self.vb("* TLSv1.3 (IN), TLS handshake, Certificate (11):")
        self._data("{", int(info.get("der_len") or 1000))
        name_ok = sni is None or _name_ok(info, host)
        if not insecure and not trusted:
            problem = "self-signed certificate" if info.get("self_signed") else "unable to get local issuer certificate"
            self.vb("* TLSv1.3 (OUT), TLS alert, unknown CA (560):")
            self._data("}", 2)
            self.vb(f"* SSL certificate problem: {problem}")
            self.vb("* Closing connection" if self.v >= (8, 3) else f"* Closing connection {self.conn_no}")
            raise _CurlFail(60, f"SSL certificate problem: {problem}")
        self.vb("* TLSv1.3 (IN), TLS handshake, CERT verify (15):")
        self._data("{", 264)
        self.vb("* TLSv1.3 (IN), TLS handshake, Finished (20):")
        self._data("{", 52)
        self.vb("* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):")
        self._data("}", 1)
        self.vb("* TLSv1.3 (OUT), TLS handshake, Finished (20):")
        self._data("}", 52)
        if self.v >= (8, 5):
            self.vb(f"* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / {info.get('sig_kx', 'RSASSA-PSS')}")
        else:
            self.vb("* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384")
        h2 = alpn_h2 and not self.o.get("http1_1")
        self.vb(f"* ALPN: server accepted {'h2' if h2 else 'http/1.1'}" if self.v >= (8, 0)
                else f"* ALPN, server accepted to use {'h2' if h2 else 'http/1.1'}")
        self.vb("* Server certificate:")
        self.vb(f"*  subject: {info['subject_curl']}")
        self.vb(f"*  start date: {info['start']}")
        self.vb(f"*  expire date: {info['expire']}")
        if not insecure:
            if not name_ok:
                self.vb(f"*  subjectAltName does not match {host}")
                self.vb(f"* SSL: no alternative certificate subject name matches target host name '{host}'")
                self.vb("* Closing connection" if self.v >= (8, 3) else f"* Closing connection {self.conn_no}")
                raise _CurlFail(60, f"SSL: no alternative certificate subject name matches target host name '{host}'")
            if sni:
                pat = next((s for s in info.get("sans") or () if _tls_match(s, host)), host)
                self.vb(f"*  subjectAltName: host \"{host}\" matched cert's \"{pat}\"")
        self.vb(f"*  issuer: {info['issuer_curl']}")
        if insecure and not trusted:
            reason = "self-signed certificate (18)" if info.get("self_signed") else "unable to get local issuer certificate (20)"
            self.vb(f"*  SSL certificate verify result: {reason}, continuing anyway.")
        else:
            self.vb("*  SSL certificate verify ok.")
        if self.v >= (8, 0) and info.get("key_type"):
            self.vb(f"*   Certificate level 0: Public key type {info['key_type']}, signed using {info['signature']}")
        if h2:
            self.vb("* using HTTP/2" if self.v >= (8, 0) else "* Using HTTP2, server supports multiplexing")
        return h2


def _name_ok(info: dict, host: str) -> bool:
    if any(_tls_match(s, host) for s in info.get("sans") or ()):
        return True
    return not info.get("sans") and bool(info.get("cn")) and _tls_match(info["cn"], host)


def _tls_match(pattern: str, host: str) -> bool:
    from minikctl.network.tls import host_matches

    return host_matches(pattern, host)


def _external_cert(h: dict) -> dict:
    from datetime import datetime

    from minikctl.network.tls import openssl_date

    tl = h.get("tls") or {}

    def d(s, default):
        try:
            return datetime.fromisoformat(str(s or default).replace("Z", "+00:00"))
        except ValueError:
            return datetime.fromisoformat(default.replace("Z", "+00:00"))

    subj = str(tl.get("subject") or f"CN={(h.get('names') or ['localhost'])[0]}")
    cn = subj.rsplit("CN=", 1)[-1] if "CN=" in subj else None
    sans = list(h.get("names") or ())
    if cn and cn.startswith("*.") and cn not in sans:
        sans.append(cn)
    return {"subject_curl": subj, "issuer_curl": str(tl.get("issuer") or subj),
            "start": openssl_date(d(tl.get("notBefore"), "2025-01-01T00:00:00Z")),
            "expire": openssl_date(d(tl.get("notAfter"), "2035-01-01T00:00:00Z")),
            "sans": sans, "cn": cn, "self_signed": not tl.get("trusted", True) and subj == tl.get("issuer"),
            "key_type": "EC/prime256v1 (256/128 Bits/secBits)", "signature": "ecdsa-with-SHA384",
            "sig_kx": "id-ecPublicKey", "der_len": 3500}


APISERVER_CERT_META = "apiserver:serving-certificate"


def _apiserver_cert(api) -> dict:
    """kube-apiserver's serving certificate (CN=kube-apiserver, issued by the cluster CA
    CN=kubernetes), generated once per cluster like the ingress fake certificate."""
    from minikctl.network import tls

    pem = api.store.meta_get(APISERVER_CERT_META)
    if not pem:
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        from minikctl.api.clock import add_capped
        from minikctl.network import index

        now = api.clock.now().replace(microsecond=0)
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes")])
        zone = dns.zone_of(api)
        names = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", f"kubernetes.default.svc.{zone}",
                 "localhost"]
        cp = index.control_plane(api)
        if cp is not None:
            names.insert(0, cp["metadata"]["name"])
        import ipaddress

        ips = [ipaddress.IPv4Address(dns.kube_dns_ip(api).rsplit(".", 1)[0] + ".1")]
        if cp is not None and index.node_ip(cp):
            ips.append(ipaddress.IPv4Address(index.node_ip(cp)))
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
                .issuer_name(ca).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(add_capped(now, datetime.timedelta(days=365)))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names] +
                                                           [x509.IPAddress(i) for i in ips]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        if api.store.in_write:
            api.store.meta_set(APISERVER_CERT_META, pem)
    return tls.curl_info(pem.encode())


def _max5(n: int) -> str:
    """curl's max5data: a size in at most 5 characters."""
    if n < 100000:
        return str(n)
    if n < 10 * 1024 * 1024:
        return f"{n // 1024}k"
    return f"{n // (1024 * 1024)}M"


def _header(resp: dict, name: str) -> str | None:
    from minikctl.network.http import header

    return header(resp, name)


def _join_url(scheme: str, authority: str, path: str, location: str) -> str:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", location):
        return location
    if location.startswith("//"):
        return f"{scheme}:{location}"
    if location.startswith("/"):
        return f"{scheme}://{authority}{location}"
    base = path.split("?")[0].rsplit("/", 1)[0]
    return f"{scheme}://{authority}{base}/{location}"


def _external_name_hint(api, host: str) -> str:
    """A name that an Ingress serves but the user's machine cannot resolve: the seed's
    /etc/hosts step."""
    from minikctl.network import ingress, proxy

    try:
        srvs = ingress.servers(api)
    except Exception:  # pragma: no cover - never let a hint break the tool
        return ""
    srv = ingress.find_server(srvs, host)
    if srv.host == "_":
        zone = dns.zone_of(api)
        if host.endswith("." + zone) or host.count(".") == 0:
            return (f"{host} is a cluster DNS name: only pods resolve it (minikctl exec POD -- curl ...); "
                    "from outside use a NodePort, a LoadBalancer IP or an Ingress")
        return ""
    addr = proxy.ingress_address(api) or "<ingress address>"
    return (f"{host} is served by an Ingress; map it to the ingress controller's address first "
            f"(the seed's /etc/hosts step): minikctl hosts add {addr} {host}   or: --resolve {host}:80:{addr}")


# =================================================================== wget
def wget(api, args: list[str], origin: dict, t: _Term) -> int:
    busy = flavor(origin, "wget") == "busybox"
    quiet = False
    out_file = None
    headers: list[str] = []
    timeout = None
    spider = False
    urls: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-q", "--quiet"):
            quiet = True
        elif a.startswith("-O") and a != "-O":
            out_file = a[2:]
        elif a in ("-O", "--output-document"):
            i += 1
            out_file = args[i] if i < len(args) else None
        elif a.startswith("--output-document="):
            out_file = a.split("=", 1)[1]
        elif a in ("-qO-", "-qO", "-Oq"):
            quiet = True
            if a == "-qO-":
                out_file = "-"
            else:
                i += 1
                out_file = args[i] if i < len(args) else None
        elif a in ("-T", "--timeout"):
            i += 1
            timeout = args[i] if i < len(args) else None
        elif a.startswith("--timeout=") or (a.startswith("-T") and len(a) > 2):
            timeout = a.split("=", 1)[1] if "=" in a else a[2:]
        elif a in ("--header",):
            i += 1
            headers.append(args[i] if i < len(args) else "")
        elif a.startswith("--header="):
            headers.append(a.split("=", 1)[1])
        elif a in ("--spider", "-S", "--server-response", "-c", "--no-check-certificate", "-nv", "--no-verbose"):
            spider = spider or a == "--spider"
        elif a.startswith("-") and len(a) > 1:
            flags = a[1:]
            if set(flags) <= set("qO-"):
                quiet = quiet or "q" in flags
                if "O" in flags:
                    rest = flags.split("O", 1)[1]
                    if rest.startswith("-"):
                        out_file = "-"
                    elif rest:
                        out_file = rest
                    else:
                        i += 1
                        out_file = args[i] if i < len(args) else None
            else:
                if busy:
                    t.e(f"wget: unrecognized option '{a}'" if a.startswith("--") else f"wget: invalid option -- '{a[1]}'")
                    t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
                    t.e("")
                    t.e("Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]")
                    t.e("\t[--post-data STR | --post-file FILE] [-Y on/off]")
                    t.e("\t[-P DIR] [-U AGENT] [-T SEC] URL...")
                    return 1
                t.e(f"wget: invalid option -- '{a[1]}'" if not a.startswith("--") else f"wget: unrecognized option '{a}'")
                t.e("Usage: wget [OPTION]... [URL]...")
                t.e("")
                t.e("Try `wget --help' for more options.")
                return 2
        else:
            urls.append(a)
        i += 1
    if not urls:
        if busy:
            t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
            t.e("")
            t.e("Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]")
            return 1
        t.e("wget: missing URL")
        t.e("Usage: wget [OPTION]... [URL]...")
        t.e("")
        t.e("Try `wget --help' for more options.")
        return 1
    from minikctl.network import proxy

    code = 0
    for url in urls:
        try:
            scheme, host, port, path, authority = _parse_url(url if "://" in url else "http://" + url)
        except _CurlFail:
            t.e(f"wget: unsupported scheme in URL: {url}" if busy else f"{url}: Unsupported scheme.")
            code = 1
            continue
        full = f"{scheme}://{authority}{path}"
        if dns.is_ipv4(host):
            addrs = [host]
        else:
            addrs, _ = dns.getaddrinfo(api, host, _conf(api, origin), _hosts(origin))
        if not busy and not quiet:
            t.e(f"--{_clf_time(api)}--  {full}")
        if not addrs:
            if busy:
                t.e(f"wget: bad address '{host}'")
                return 1
            if not quiet:
                t.e(f"Resolving {host} ({host})... failed: Name or service not known.")
            t.e(f"wget: unable to resolve host address '{host}'")
            return 4
        ip = addrs[0]
        if busy and not quiet:
            t.e(f"Connecting to {authority} ({ip}:{port})")
        if not busy and not quiet:
            if not dns.is_ipv4(host):
                t.e(f"Resolving {host} ({host})... {', '.join(addrs)}")
            t.e(f"Connecting to {host} ({host})|{ip}|:{port}... ", end="")
        conn = proxy.connect(api, ip, port, origin)
        if conn.state in ("refused", "unreachable"):
            err = "Connection refused" if conn.state == "refused" else "No route to host"
            if busy:
                t.e(f"wget: can't connect to remote host ({ip}): {err}")
                return 1
            if quiet:
                return 4
            t.e(f"failed: {err}.")
            return 4
        if conn.state == "timeout":
            if busy:
                t.e("wget: download timed out")
                return 1
            if not quiet:
                t.e("failed: Connection timed out.")
                t.e("Retrying.")
            return 4
        if scheme == "https" and conn.kind not in ("ingress", "apiserver", "external"):
            t.e("wget: error getting response: Connection reset by peer" if busy else
                f"GnuTLS: An unexpected TLS packet was received.\nUnable to establish SSL connection.")
            return 1 if busy else 4
        if scheme == "https" and conn.kind in ("ingress", "apiserver") and not busy:
            t.e("connected.")
            t.e(f"ERROR: The certificate of '{host}' is not trusted.")
            t.e(f"ERROR: The certificate of '{host}' doesn't have a known issuer.")
            return 5
        if not busy and not quiet:
            t.e("connected.")
        hdrs = {"Host": authority if port not in (80, 443) else host,
                "User-Agent": "Wget" if busy else "Wget/1.21.3", "Accept": "*/*"}
        if not busy:
            hdrs["Accept-Encoding"] = "identity"
            hdrs["Connection"] = "Keep-Alive"
        else:
            hdrs["Connection"] = "close"
        for h in headers:
            k, _, v = h.partition(":")
            hdrs[k.strip()] = v.strip()
        resp = proxy.http(api, conn, {"method": "HEAD" if spider else "GET", "path": path, "headers": hdrs,
                                      "host": hdrs["Host"]}, scheme)
        if resp is None:
            t.e("wget: error getting response" if busy else "HTTP request sent, awaiting response... No data received.")
            return 1 if busy else 4
        st = resp["status"]
        if not busy and not quiet:
            t.e(f"HTTP request sent, awaiting response... {st} {resp['reason']}")
        if st >= 400:
            if busy:
                t.e(f"wget: server returned error: HTTP/1.1 {st} {resp['reason']}")
                return 1
            if not quiet:
                t.e(f"{_clf_time(api)} ERROR {st}: {resp['reason']}.")
                t.e("")
            return 8
        body = resp["body"]
        n = len(body.encode())
        if out_file in ("-", "/dev/stdout"):
            if busy and not quiet:
                t.e("writing to stdout")
            t.out.append(body)
            if busy and not quiet:
                t.e(f"-                    100% |********************************| {n:>5}  0:00:00 ETA")
                t.e("written to stdout")
            elif not busy and not quiet:
                t.e(f"Length: {n} [{_header(resp, 'Content-Type') or 'text/plain'}]")
                t.e("Saving to: 'STDOUT'")
                t.e("")
                t.e(f"-                   100%[===================>]  {n:>6}  --.-KB/s    in 0s      ")
                t.e("")
                t.e(f"{_clf_time(api)} (153 MB/s) - written to stdout [{n}/{n}]")
                t.e("")
        else:
            target = out_file or (path.split("?")[0].rsplit("/", 1)[-1] or "index.html")
            if target != "/dev/null":
                err = _write_file(origin, target, body)
                if err:
                    t.e(f"wget: can't open '{target}': {err}" if busy else f"{target}: {err}")
                    return 1 if busy else 3
            if not quiet:
                if busy:
                    t.e(f"saving to '{target}'")
                    t.e(f"{target[:20]:<20} 100% |********************************| {n:>5}  0:00:00 ETA")
                    t.e(f"'{target}' saved")
                else:
                    t.e(f"Length: {n} [{_header(resp, 'Content-Type') or 'text/plain'}]")
                    t.e(f"Saving to: '{target}'")
                    t.e("")
                    t.e(f"{target[:20]:<20}100%[===================>]  {n:>6}  --.-KB/s    in 0s      ")
                    t.e("")
                    t.e(f"{_clf_time(api)} (153 MB/s) - '{target}' saved [{n}/{n}]")
                    t.e("")
    return code


def _write_file(origin: dict, path: str, data: str) -> str:
    """Write a downloaded file into the container (its writable layer); the error text or ""."""
    writer = origin.get("write_file")
    if writer is not None:
        try:
            writer(path, data)
        except Exception as e:  # pragma: no cover - a writer's own failure
            return str(e)
        return ""
    fs = origin.get("fs")
    if fs is None:
        return "No such file or directory" if origin.get("kind") == "pod" else "Read-only file system"
    try:
        fs.write(path, data, origin.get("cwd") or "/")
    except Exception as e:
        return _STRERROR.get(getattr(e, "name", ""), "No such file or directory")
    return ""


_STRERROR = {"ENOENT": "No such file or directory", "EEXIST": "File exists", "ENOTDIR": "Not a directory",
             "EISDIR": "Is a directory", "EACCES": "Permission denied", "EROFS": "Read-only file system",
             "EINVAL": "Invalid argument", "ENOTEMPTY": "Directory not empty",
             "ENOSPC": "No space left on device"}


def _clf_time(api) -> str:
    return api.clock.now().strftime("%Y-%m-%d %H:%M:%S")


# =============================================================== nslookup
def nslookup(api, args: list[str], origin: dict, t: _Term) -> int:
    conf = _conf(api, origin)
    busy = flavor(origin, "nslookup") == "busybox"
    qtype = None
    names: list[str] = []
    for a in args:
        if a.startswith("-"):
            opt, _, val = a[1:].partition("=")
            if opt in ("type", "querytype", "query", "q", "ty", "qu") and val:
                if val.upper() not in dns.QTYPES:
                    if busy:
                        t.e(f'nslookup: invalid query type "{val}"')
                        return 1
                    t.o(f"unknown query type: {val}")
                    continue
                qtype = val.upper()
            elif opt in ("debug", "nodebug", "recurse", "norecurse", "search", "nosearch", "vc", "novc", "fail",
                         "nofail", "sil") or opt.startswith(("timeout", "retry", "port", "ndots", "t")):
                if opt.startswith("ndots") and val.isdigit():
                    conf = dns.ResolvConf(conf.nameservers, conf.search, int(val))
                if opt == "nosearch":
                    conf = dns.ResolvConf(conf.nameservers, [], conf.ndots)
            else:
                if busy:
                    return _busybox_nslookup_usage(t)
                t.o(f"*** Invalid option: {a[1:]}")
        else:
            names.append(a)
    if not names:
        if busy:
            return _busybox_nslookup_usage(t)
        t.e("minikctl: nslookup's interactive mode is not simulated; give a name: nslookup NAME")
        return 1
    name = names[0]
    server = names[1] if len(names) > 1 else (conf.nameservers[0] if conf.nameservers else dns.kube_dns_ip(api))
    if busy:
        return _nslookup_busybox(api, name, qtype, conf, server, t)
    return _nslookup_bind(api, name, qtype, conf, server, t)


def _busybox_nslookup_usage(t: _Term) -> int:
    t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
    t.e("")
    t.e("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]")
    t.e("")
    t.e("Query DNS about HOST")
    t.e("")
    t.e("QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any")
    return 1


def _server_conf(conf: dns.ResolvConf, server: str) -> dns.ResolvConf:
    return dns.ResolvConf([server], conf.search, conf.ndots)


def _nslookup_bind(api, name: str, qtype: str | None, conf, server: str, t: _Term) -> int:
    """bind9's nslookup (9.9-9.18 output): header, then the answer; exit 1 on an error rcode."""
    conf = _server_conf(conf, server)
    if qtype is None and dns.is_ipv4(name):
        qtype, name = "PTR", dns.reverse_name(name)
        res = dns.Lookup(dns.query(api, name, "PTR", server), [])
    else:
        qtype = qtype or "A"
        if qtype == "PTR" and dns.is_ipv4(name):
            name = dns.reverse_name(name)
        res = dns.search(api, name, qtype, conf, stop_on_nodata=True)
    rep = res.reply
    t.o(f"Server:\t\t{server}")
    t.o(f"Address:\t{server}#53")
    t.o("")
    if rep.rcode != "NOERROR":
        t.o(f"** server can't find {dns.bare(rep.qname)}: {rep.rcode}")
        t.o("")
        return 1
    if not rep.aa and rep.answer:
        t.o("Non-authoritative answer:")
    if not rep.answer:
        t.o(f"*** Can't find {name}: No answer")
        t.o("")
        return 0
    for rr in rep.answer:
        t.o(_nslookup_rr(rr))
    t.o("")
    return 0


def _nslookup_rr(rr: dns.RR) -> str:
    n = dns.bare(rr.name)
    if rr.type == "A":
        return f"Name:\t{n}\nAddress: {rr.data}"
    if rr.type == "CNAME":
        return f"{n}\tcanonical name = {rr.data}"
    if rr.type == "PTR":
        return f"{n}\tname = {rr.data}"
    if rr.type == "SRV":
        return f"{n}\tservice = {rr.data}"
    if rr.type == "TXT":
        return f"{n}\ttext = {rr.data}"
    if rr.type == "NS":
        return f"{n}\tnameserver = {rr.data}"
    if rr.type == "SOA":
        f = rr.data.split()
        return (f"{n}\n\torigin = {f[0]}\n\tmail addr = {f[1]}\n\tserial = {f[2]}\n\trefresh = {f[3]}\n"
                f"\tretry = {f[4]}\n\texpire = {f[5]}\n\tminimum = {f[6]}")
    return f"{n}\t{rr.type} = {rr.data}"


def _nslookup_busybox(api, name: str, qtype: str | None, conf, server: str, t: _Term) -> int:
    """BusyBox 1.3x nslookup: A and AAAA queries, the search list only for dotless names and
    then every search domain (add_query_with_search); every reply is printed; exit 1 when any
    query failed."""
    if qtype is None and dns.is_ipv4(name):
        queries = [(dns.reverse_name(name), "PTR")]
    else:
        types = [qtype] if qtype else ["A", "AAAA"]
        if "." in name or not conf.search or qtype == "PTR":
            names = [name]
        else:
            names = [f"{name}.{d}" for d in conf.search]
        queries = [(n, ty) for ty in types for n in names]
    t.o(f"Server:\t\t{server}")
    t.o(f"Address:\t{server}:53")
    t.o("")
    code = 0
    for qn, ty in queries:
        rep = dns.query(api, qn, ty, server)
        if rep.rcode != "NOERROR":
            t.o(f"** server can't find {qn}: {rep.rcode}")
            code = 1
        else:
            if not rep.aa:
                t.o("Non-authoritative answer:")
            if not rep.answer:
                t.o(f"*** Can't find {qn}: No answer")
            for rr in rep.answer:
                t.o(_nslookup_rr(rr) if rr.type != "SRV" else f"{dns.bare(rr.name)}\tservice = {rr.data}")
        t.o("")
    return code


# =================================================================== host
def host(api, args: list[str], origin: dict, t: _Term) -> int:
    conf = _conf(api, origin)
    qtype = None
    names = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-t" and i + 1 < len(args):
            qtype = args[i + 1].upper()
            i += 2
            continue
        if a.startswith("-t") and len(a) > 2:
            qtype = a[2:].upper()
        elif a == "-a":
            qtype = "ANY"
        elif a.startswith("-"):
            pass
        else:
            names.append(a)
        i += 1
    if not names:
        t.e("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]")
        t.e("            [-R number] [-m flag] [-p port] hostname [server]")
        return 1
    name = names[0]
    server = names[1] if len(names) > 1 else conf.nameservers[0]
    conf = _server_conf(conf, server)
    if dns.is_ipv4(name):
        rep = dns.query(api, dns.reverse_name(name), "PTR", server)
        if rep.rcode != "NOERROR" or not rep.answer:
            t.o(f"Host {dns.reverse_name(name)} not found: {_rcode_num(rep.rcode)}")
            return 1
        for rr in rep.answer:
            t.o(f"{dns.bare(rr.name)} domain name pointer {rr.data}")
        return 0
    types = [qtype] if qtype else ["A", "AAAA", "MX"]
    first = dns.search(api, name, types[0], conf, stop_on_nodata=True)
    if first.reply.rcode != "NOERROR":
        t.o(f"Host {name} not found: {_rcode_num(first.reply.rcode)}")
        return 1
    fq = first.reply.qname
    printed = False
    for ty in types:
        rep = first.reply if ty == types[0] else dns.query(api, fq, ty, server)
        for rr in rep.answer:
            n = dns.bare(rr.name)
            if rr.type == "A":
                t.o(f"{n} has address {rr.data}")
            elif rr.type == "CNAME":
                if ty == types[0]:
                    t.o(f"{n} is an alias for {rr.data}")
            elif rr.type == "SRV":
                t.o(f"{n} has SRV record {rr.data}")
            elif rr.type == "PTR":
                t.o(f"{n} domain name pointer {rr.data}")
            elif rr.type == "TXT":
                t.o(f"{n} descriptive text {rr.data}")
            else:
                t.o(f"{n} has {rr.type} record {rr.data}")
            printed = True
    if not printed and qtype:
        t.o(f"{dns.bare(fq)} has no {qtype} record")
    return 0


def _rcode_num(rcode: str) -> str:
    return {"NXDOMAIN": "3(NXDOMAIN)", "SERVFAIL": "2(SERVFAIL)", "REFUSED": "5(REFUSED)"}.get(rcode, rcode)


# ==================================================================== dig
def dig(api, args: list[str], origin: dict, t: _Term) -> int:
    conf = _conf(api, origin)
    server = conf.nameservers[0]
    qtype = None
    name = None
    short = False
    use_search = False
    sections = {"cmd": True, "comments": True, "question": True, "answer": True, "authority": True,
                "additional": True, "stats": True}
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("@"):
            server = a[1:]
        elif a == "-x" and i + 1 < len(args):
            name, qtype = dns.reverse_name(args[i + 1]), "PTR"
            i += 1
        elif a == "-t" and i + 1 < len(args):
            qtype = args[i + 1].upper()
            i += 1
        elif a.startswith("+"):
            opt = a[1:].lower()
            neg = opt.startswith("no")
            key = opt[2:] if neg else opt
            if key == "short":
                short = not neg
            elif key == "search":
                use_search = not neg
            elif key == "all":
                for k in sections:
                    sections[k] = not neg
            elif key in sections:
                sections[key] = not neg
        elif a.upper() in dns.QTYPES and qtype is None:
            qtype = a.upper()
        elif a.upper() == "IN":
            pass
        else:
            name = a
        i += 1
    if name is None:
        name, qtype = ".", qtype or "NS"
    qtype = qtype or "A"
    version = flavor(origin, "dig")
    if use_search and not name.endswith("."):
        rep = dns.search(api, name, qtype, _server_conf(conf, server), stop_on_nodata=True).reply
    else:
        rep = dns.query(api, dns.fqdn(name), qtype, server)
    if short:
        for rr in rep.answer:
            t.o(rr.data)
        return 0
    qid = random.randint(1, 65535)
    if sections["cmd"]:
        t.o("")
        t.o(f"; <<>> DiG {version} <<>> {' '.join(args)}")
        t.o(";; global options: +cmd")
    if sections["comments"]:
        t.o(";; Got answer:")
        t.o(f";; ->>HEADER<<- opcode: QUERY, status: {rep.rcode}, id: {qid}")
        flags = "qr" + (" aa" if rep.aa else "") + " rd" + (" ra" if rep.ra else "")
        t.o(f";; flags: {flags}; QUERY: 1, ANSWER: {len(rep.answer)}, AUTHORITY: {len(rep.authority)}, "
            f"ADDITIONAL: {len(rep.additional) + 1}")
        if not rep.ra:
            t.o(";; WARNING: recursion requested but not available")
        t.o("")
        t.o(";; OPT PSEUDOSECTION:")
        t.o("; EDNS: version: 0, flags:; udp: 1232" if _vtuple(version) >= (9, 16) else "; EDNS: version: 0, flags:; udp: 4096")
    if sections["question"]:
        t.o(";; QUESTION SECTION:")
        t.o(_dig_question(rep.qname, qtype))
    for sect, rrs in (("ANSWER", rep.answer), ("AUTHORITY", rep.authority), ("ADDITIONAL", rep.additional)):
        if rrs and sections[sect.lower()]:
            t.o("")
            t.o(f";; {sect} SECTION:")
            for rr in rrs:
                t.o(_dig_rr(rr))
    if sections["stats"]:
        t.o("")
        t.o(";; Query time: 0 msec")
        proto = " (UDP)" if _vtuple(version) >= (9, 16) else ""
        t.o(f";; SERVER: {server}#53({server}){proto}")
        t.o(f";; WHEN: {api.clock.now():%a %b %d %H:%M:%S} UTC {api.clock.now().year}")
        t.o(f";; MSG SIZE  rcvd: {_msg_size(rep)}")
        t.o("")
    return 0


def _indent(col: int, to: int) -> tuple[str, int]:
    """bind9 masterdump.c indent(): tabs (width 8) then spaces to reach column `to`; at least one."""
    if to < col + 1:
        to = col + 1
    ntabs = to // 8 - col // 8
    s = ""
    if ntabs > 0:
        s = "\t" * ntabs
        col = (to // 8) * 8
    s += " " * (to - col)
    return s, to


def _dig_question(qname: str, qtype: str) -> str:
    s = ";" + qname
    pad, col = _indent(len(s), 32)
    s += pad + "IN"
    pad, col = _indent(col + 2, 40)
    return s + pad + qtype


def _dig_rr(rr: dns.RR) -> str:
    s = rr.name
    pad, col = _indent(len(s), 24)
    ttl = str(rr.ttl)
    s += pad + ttl
    pad, col = _indent(col + len(ttl), 32)
    s += pad + "IN"
    pad, col = _indent(col + 2, 40)
    s += pad + rr.type
    pad, col = _indent(col + len(rr.type), 48)
    data = rr.data
    return s + pad + data


def _wire_name(name: str, seen: dict[str, int], offset: int) -> int:
    """Length of `name` on the wire with RFC 1035 compression against names already written."""
    labels = [x for x in dns.bare(name).lower().split(".") if x] if name != "." else []
    length = 0
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in seen:
            return length + 2
        seen[suffix] = offset + length
        length += 1 + len(labels[i])
    return length + 1


def _msg_size(rep: dns.Reply) -> int:
    seen: dict[str, int] = {}
    size = 12
    size += _wire_name(rep.qname, seen, size) + 4
    for rr in rep.answer + rep.authority + rep.additional:
        size += _wire_name(rr.name, seen, size) + 10
        if rr.type == "A":
            size += 4
        elif rr.type in ("CNAME", "PTR", "NS"):
            size += _wire_name(rr.data, seen, size)
        elif rr.type == "SRV":
            size += 6 + _wire_name(rr.data.split()[-1], seen, size + 6)
        elif rr.type == "TXT":
            size += len(rr.data.strip('"')) + 1
        elif rr.type == "SOA":
            f = rr.data.split()
            size += _wire_name(f[0], seen, size)
            size += _wire_name(f[1], seen, size) + 20
        else:
            size += len(rr.data)
    return size + 11  # the OPT record


# =================================================================== ping
def ping(api, args: list[str], origin: dict, t: _Term) -> int:
    busy = flavor(origin, "ping") == "busybox"
    count = None
    target = None
    size = 56
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-c" and i + 1 < len(args):
            count = args[i + 1]
            i += 1
        elif a.startswith("-c") and len(a) > 2:
            count = a[2:]
        elif a in ("-s",) and i + 1 < len(args):
            size = int(args[i + 1]) if args[i + 1].isdigit() else size
            i += 1
        elif a in ("-W", "-w", "-i", "-t") and i + 1 < len(args):
            i += 1
        elif a.startswith("-"):
            pass
        else:
            target = a
        i += 1
    if count is not None and (not str(count).isdigit() or int(count) == 0):
        if busy:
            t.e(f"ping: invalid number '{count}'")
            return 1
        t.e(f"ping: invalid argument: '{count}'")
        return 1
    n = int(count) if count else 4
    if target is None:
        if busy:
            t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
            t.e("")
            t.e("Usage: ping [OPTIONS] HOST")
            return 1
        t.e("ping: usage error: Destination address required")
        return 1
    if dns.is_ipv4(target):
        addrs, canon = [target], target
    else:
        addrs, canon = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        if busy:
            t.e(f"ping: bad address '{target}'")
            return 1
        t.e(f"ping: {target}: Name or service not known")
        return 2
    from minikctl.network import proxy

    ip = addrs[0]
    answers, ttl, hint = proxy.ping(api, ip, origin)
    shown = canon if not dns.is_ipv4(target) else ip
    if busy:
        t.o(f"PING {target} ({ip}): {size} data bytes")
    else:
        t.o(f"PING {shown} ({ip}) {size}({size + 28}) bytes of data.")
    times = []
    if answers:
        rnd = random.Random(hash(ip) & 0xffff)
        for s in range(n):
            ms = round(0.04 + rnd.random() * 0.12, 3)
            times.append(ms)
            if busy:
                t.o(f"{size + 8} bytes from {ip}: seq={s} ttl={ttl} time={ms:.3f} ms")
            else:
                who = f"{canon} ({ip})" if not dns.is_ipv4(target) and canon != ip else ip
                t.o(f"{size + 8} bytes from {who}: icmp_seq={s + 1} ttl={ttl} time={ms:.3f} ms")
    t.o("")
    t.o(f"--- {target if busy else shown} ping statistics ---")
    got = len(times)
    loss = 100 - (got * 100 // n)
    if busy:
        t.o(f"{n} packets transmitted, {got} packets received, {loss}% packet loss")
        if got:
            t.o(f"round-trip min/avg/max = {min(times):.3f}/{sum(times) / got:.3f}/{max(times):.3f} ms")
    else:
        span = (n - 1) * 1000 + (n * 25 if got else 40 * n)
        t.o(f"{n} packets transmitted, {got} received, {loss}% packet loss, time {span}ms")
        if got:
            avg = sum(times) / got
            mdev = (sum((x - avg) ** 2 for x in times) / got) ** 0.5
            t.o(f"rtt min/avg/max/mdev = {min(times):.3f}/{avg:.3f}/{max(times):.3f}/{mdev:.3f} ms")
    if not got:
        _hint(t, hint)
        return 1
    return 0


# ============================================================= nc, telnet
def _raw_http(api, conn, data: str) -> str:
    """What an HTTP server sends back for raw bytes written to it (nc/telnet): parse the
    request line and headers, answer with a raw response; non-HTTP input gets nothing."""
    from minikctl.network import proxy

    head = data.replace("\r\n", "\n").split("\n\n", 1)[0]
    lines = head.split("\n")
    m = re.match(r"^([A-Z]+) (\S+) (HTTP/1\.[01])$", lines[0].strip()) if lines else None
    if not m:
        return ""
    hdrs = {}
    for ln in lines[1:]:
        k, sep, v = ln.partition(":")
        if sep:
            hdrs[k.strip()] = v.strip()
    host_h = next((v for k, v in hdrs.items() if k.lower() == "host"), "")
    resp = proxy.http(api, conn, {"method": m.group(1), "path": m.group(2), "headers": hdrs, "host": host_h}, "http")
    if resp is None:
        return ""
    out = [f"HTTP/1.1 {resp['status']} {resp['reason']}"] + [f"{k}: {v}" for k, v in resp["headers"]]
    return "\r\n".join(out) + "\r\n\r\n" + resp["body"]


def nc(api, args: list[str], origin: dict, t: _Term) -> int:
    busy = flavor(origin, "nc") == "busybox"
    zero = verbose = False
    pos: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-w", "-W", "-p", "-s", "-q", "-i") and i + 1 < len(args):
            i += 2
            continue
        if a.startswith("-") and len(a) > 1:
            zero = zero or "z" in a
            verbose = verbose or "v" in a
            if "u" in a:
                t.e("minikctl: nc -u (UDP) is not simulated")
                return 1
            if "l" in a:
                t.e("minikctl: nc -l (listening) is not simulated")
                return 1
        else:
            pos.append(a)
        i += 1
    if len(pos) < 2:
        if busy:
            t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
            t.e("")
            t.e("Usage: nc [OPTIONS] HOST PORT  - connect")
            return 1
        t.e("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]")
        return 1
    target, port_s = pos[0], pos[1]
    if not port_s.isdigit():
        t.e(f"nc: bad port '{port_s}'" if busy else f"nc: port number invalid: {port_s}")
        return 1
    port = int(port_s)
    addrs, _ = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        t.e(f"nc: bad address '{target}'" if busy else
            f'nc: getaddrinfo for host "{target}" port {port}: Name or service not known')
        return 1
    ip = addrs[0]
    from minikctl.network import proxy

    conn = proxy.connect(api, ip, port, origin)
    if conn.state != "open":
        err = {"refused": "Connection refused", "unreachable": "No route to host"}.get(conn.state, "Connection timed out")
        if busy:
            t.e(f"nc: {target} ({ip}:{port}): {err}" if zero else f"nc: can't connect to remote host ({ip}): {err}")
        else:
            t.e(f"nc: connect to {target} ({ip}) port {port} (tcp) failed: {err}")
        return 1
    if verbose or zero:
        if busy:
            if verbose:
                t.e(f"{target} ({ip}:{port}) open")
        elif verbose:
            svc = {80: "http", 443: "https", 53: "domain", 22: "ssh", 5432: "postgresql", 6379: "redis"}.get(port, "*")
            t.e(f"Connection to {target} ({ip}) {port} port [tcp/{svc}] succeeded!")
    if zero:
        return 0
    data = origin.get("stdin") or ""
    if data and conn.kind in ("pod", "external", "ingress", "apiserver", "healthcheck"):
        t.out.append(_raw_http(api, conn, data))
    return 0


def telnet(api, args: list[str], origin: dict, t: _Term) -> int:
    pos = [a for a in args if not a.startswith("-")]
    if not pos:
        t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
        t.e("")
        t.e("Usage: telnet [-a] [-l USER] HOST [PORT]")
        return 1
    target = pos[0]
    port = int(pos[1]) if len(pos) > 1 and pos[1].isdigit() else 23
    addrs, _ = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        t.e(f"telnet: bad address '{target}'")
        return 1
    from minikctl.network import proxy

    conn = proxy.connect(api, addrs[0], port, origin)
    if conn.state != "open":
        err = {"refused": "Connection refused", "unreachable": "No route to host"}.get(conn.state, "Connection timed out")
        t.e(f"telnet: can't connect to remote host ({addrs[0]}): {err}")
        return 1
    data = origin.get("stdin") or ""
    if data:
        t.out.append(_raw_http(api, conn, data))
    t.e("Connection closed by foreign host")
    return 1


def traceroute(api, args: list[str], origin: dict, t: _Term) -> int:
    pos = [a for a in args if not a.startswith("-")]
    if not pos:
        t.e("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.")
        t.e("")
        t.e("Usage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT] HOST [BYTES]")
        return 1
    target = pos[0]
    addrs, _ = dns.getaddrinfo(api, target, _conf(api, origin), _hosts(origin))
    if not addrs:
        t.e(f"traceroute: bad address '{target}'")
        return 1
    from minikctl.network import index, proxy

    ip = addrs[0]
    t.e(f"traceroute to {target} ({ip}), 30 hops max, 46 byte packets")
    rnd = random.Random(hash(ip) & 0xffff)

    def hop(n, addr):
        ms = [f"{0.004 + rnd.random() / 20:.3f} ms" for _ in range(3)]
        t.o(f"{n:2d}  {addr} ({addr})  {'  '.join(ms)}")

    answers, ttl, _hint_text = proxy.ping(api, ip, origin)
    if not answers:
        for n in range(1, 31):
            t.o(f"{n:2d}  *  *  *")
        return 0
    me = origin.get("pod") or {}
    mine = (me.get("spec") or {}).get("nodeName")
    pod = index.pod_by_ip(api, ip) if index.in_cidr(ip, api.config.get("podCIDR")) else None
    n = 1
    if origin.get("kind") == "pod" and ip != (me.get("status") or {}).get("podIP"):
        node = index.node_named(api, mine) if mine else None
        if pod is None or (pod.get("spec") or {}).get("nodeName") != mine:
            if node is not None and index.node_ip(node) and index.node_ip(node) != ip:
                hop(n, index.node_ip(node))
                n += 1
            if pod is not None:
                other = index.node_named(api, (pod.get("spec") or {}).get("nodeName") or "")
                if other is not None and index.node_ip(other):
                    hop(n, index.node_ip(other))
                    n += 1
    hop(n, ip)
    return 0


TOOLS = {"curl": curl, "wget": wget, "nslookup": nslookup, "dig": dig, "host": host, "ping": ping, "nc": nc,
         "telnet": telnet, "traceroute": traceroute}
