"""curl: its options, URLs, HTTP and HTTPS through the emulated network (certificates as the
apiserver, an Ingress or an external host presents them), -v, -w, -o; writing a download to a file
(shared with wget)."""

from __future__ import annotations

import re

from minikctl.api import rand
from minikctl.network import dns
from minikctl.network.tools.common import (
    EXTERNAL_OPENSSL, _conf, _hint, _hosts, _src_ip, _Term, _vtuple, flavor,
)


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
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        # lib/urlapi.c junkscan: control characters anywhere in a URL are refused
        raise _CurlFail(3, "URL rejected: Malformed input to a URL function")
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
        if not addrs and conf.unreachable and all(n in conf.unreachable for n in conf.nameservers):
            # no DNS reply at all (a NetworkPolicy drops the queries): with a limit curl's own
            # timer fires first (28); without, the resolver gives up (EAI_AGAIN: 6)
            timeout = self._timeout_ms()
            if timeout is not None:
                raise _CurlFail(28, f"Resolving timed out after {timeout + 1} milliseconds")
            raise _CurlFail(6, f"Could not resolve host: {host}")
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
        ip = addrs[0] if len(addrs) == 1 else rand.rng().choice(addrs)
        self.vb(f"*   Trying {ip}:{port}...")
        conn = proxy.connect(api, ip, port, self.origin)
        self.remote_ip, self.remote_port = ip, port
        timeout = self._timeout_ms()
        if conn.state in ("refused", "unreachable"):
            errno_text = "Connection refused" if conn.state == "refused" else "No route to host"
            ms = 0 if conn.state == "refused" else 3071
            src = _src_ip(self.origin) if self.origin.get("kind") == "pod" else proxy.EXTERNAL_CLIENT_IP
            if self.v >= (8, 3):
                self.vb(f"* connect to {ip} port {port} from {src} port {rand.rng().randint(32768, 60999)} failed: {errno_text}")
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
