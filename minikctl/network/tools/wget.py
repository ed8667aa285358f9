"""wget, GNU's and BusyBox's."""

from __future__ import annotations

from minikctl.network import dns
from minikctl.network.tools.common import _conf, _hosts, _Term, flavor
from minikctl.network.tools.curl import _CurlFail, _header, _parse_url, _write_file


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


def _clf_time(api) -> str:
    return api.clock.now().strftime("%Y-%m-%d %H:%M:%S")
