"""Small HTTP helpers shared by the data path and the client tools: dates, reason phrases,
nginx's built-in error pages (what ingress-nginx serves itself), response normalisation."""

from __future__ import annotations

REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
    301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
    307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    408: "Request Timeout", 413: "Request Entity Too Large", 429: "Too Many Requests",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}

# nginx's own status lines differ for a few codes (ngx_http_status_lines)
NGINX_REASONS = {**REASONS, 503: "Service Temporarily Unavailable", 413: "Request Entity Too Large"}

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def reason_phrase(status: int) -> str:
    return REASONS.get(int(status), "")


def http_date(dt) -> str:
    """RFC 7231 IMF-fixdate: Mon, 02 Jan 2006 15:04:05 GMT."""
    return f"{_DAYS[dt.weekday()]}, {dt.day:02d} {_MONTHS[dt.month - 1]} {dt.year} {dt:%H:%M:%S} GMT"


def nginx_page(status: int) -> str:
    """nginx's built-in error page (ngx_http_special_response.c) with server_tokens off,
    as ingress-nginx serves it: CRLF line ends, "nginx" without a version."""
    line = f"{status} {NGINX_REASONS.get(status, '')}"
    return (f"<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def normalise(resp: dict) -> dict:
    """{status, reason, headers: [(name, value)], body: str} from a server's answer (headers may
    be a mapping or pairs, body str or bytes)."""
    status = int(resp.get("status") or 200)
    headers = resp.get("headers") or []
    if isinstance(headers, dict):
        headers = list(headers.items())
    headers = [(str(k), str(v)) for k, v in headers]
    body = resp.get("body") or ""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return {"status": status, "reason": resp.get("reason") or reason_phrase(status), "headers": headers,
            "body": str(body), "version": resp.get("version") or "HTTP/1.1"}


def header(resp: dict, name: str) -> str | None:
    low = name.lower()
    for k, v in resp.get("headers") or ():
        if k.lower() == low:
            return v
    return None
