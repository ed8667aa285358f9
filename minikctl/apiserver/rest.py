"""One HTTP request -> one response, through the same object API as the CLI.

Everything here runs on ONE worker thread that owns the store's SQLite connection (the HTTP
front, minikctl.apiserver.app, hands requests over). Each request is one short transaction:
a read (a consistent WAL snapshot) or a write (session.write(): the write, then the
controllers until their queue drains, then commit), exactly as one CLI command. Errors are
kube-apiserver's metav1.Status objects, built from minikctl's typed errors (api/errors.py).

Paths follow kube-apiserver's RequestInfoFactory (staging/src/k8s.io/apiserver/pkg/endpoints/
request/requestinfo.go); handlers follow staging/src/k8s.io/apiserver/pkg/endpoints/handlers
(get.go, create.go, update.go, patch.go, delete.go).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from urllib.parse import parse_qs

from minikctl.api import kinds as K
from minikctl.api.errors import (AlreadyExists, ApiError, BadRequest, Conflict, Invalid, MinikctlError, NotFound,
                                 StoreBusy, StoreError, UsageError)

JSON = "application/json"
PROTOBUF = "application/vnd.kubernetes.protobuf"
MAX_BODY = 3 * 1024 * 1024  # kube-apiserver's MaxRequestBodyBytes (3 MiB)


class Request:
    __slots__ = ("method", "path", "query", "headers", "body")

    def __init__(self, method: str, path: str, query: str | dict, headers: dict, body: bytes = b""):
        self.method = method.upper()
        self.path = path
        self.query = parse_qs(query, keep_blank_values=True) if isinstance(query, str) else query
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body

    def q(self, name: str, default: str | None = None) -> str | None:
        v = self.query.get(name)
        return v[-1] if v else default


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, body: bytes | str | dict = b"", ctype: str = JSON, headers=None):
        self.status = status
        if isinstance(body, dict):
            body = json.dumps(body, separators=(",", ":"), ensure_ascii=False) + "\n"
        if isinstance(body, str):
            body = body.encode()
        self.body = body
        self.headers = [("Content-Type", ctype), ("Cache-Control", "no-cache, private"),
                        ("Audit-Id", str(uuid.uuid4()))] + list(headers or ())


# --------------------------------------------------------------------------------- Status
_CAUSE_REASON = {"Invalid value": "FieldValueInvalid", "Required value": "FieldValueRequired",
                 "Unsupported value": "FieldValueNotSupported", "Duplicate value": "FieldValueDuplicate",
                 "Forbidden": "FieldValueForbidden", "Too long": "FieldValueTooLong", "Too many": "FieldValueTooMany",
                 "Not found": "FieldValueNotFound", "Internal error": "InternalError"}
_NAMED = re.compile(r'^(?:Operation cannot be fulfilled on )?([a-z0-9.-]+) "((?:[^"\\]|\\.)*)"')


def status(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    """metav1.Status of a failure (k8s.io/apimachinery/pkg/api/errors)."""
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message}
    if reason:
        s["reason"] = reason
    if details is not None:
        s["details"] = details
    s["code"] = code
    return s


def status_response(code: int, reason: str, message: str, details: dict | None = None, headers=None) -> Response:
    return Response(code, status(code, reason, message, details), headers=headers)


def error_response(e: BaseException) -> Response:
    """A typed minikctl error as kube-apiserver's Status."""
    if isinstance(e, Invalid):
        k = K.by_kind(e.kind)
        group = k.group if k else ""
        qual = f"{e.kind}.{group}" if group else e.kind
        body = str(e.errors[0]) if len(e.errors) == 1 else "[" + ", ".join(str(x) for x in e.errors) + "]"
        causes = [{"reason": _CAUSE_REASON.get(x.type, "FieldValueInvalid"), "message": x.body(), "field": x.field}
                  for x in e.errors]
        details = {"name": e.name, "kind": e.kind, "causes": causes}
        if group:
            details = {"name": e.name, "group": group, "kind": e.kind, "causes": causes}
        return status_response(422, "Invalid", f'{qual} "{e.name}" is invalid: {body}', details)
    if isinstance(e, StoreBusy):
        return status_response(429, "TooManyRequests", f"storage is busy: {e}", {"retryAfterSeconds": 1},
                               headers=[("Retry-After", "1")])
    if isinstance(e, ApiError):
        details = None
        if isinstance(e, (NotFound, AlreadyExists, Conflict)):
            m = _NAMED.match(e.message)
            if m:
                resource, _, group = m.group(1).partition(".")
                details = {"name": json.loads(f'"{m.group(2)}"'), "kind": resource}
                if group:
                    details = {"name": details["name"], "group": group, "kind": resource}
        if getattr(e, "status_details", None) is not None:  # issue 14 (w-ssa): an apply conflict's causes
            details = e.status_details
        return status_response(e.code, e.reason, e.message, details if details is not None else {})
    from minikctl.cli.cmd_patch import RequestInvalid

    if isinstance(e, RequestInvalid):
        return status_response(422, "Invalid", e.message, {})
    if isinstance(e, UsageError):
        return status_response(400, "BadRequest", str(e), {})
    if isinstance(e, StoreError):
        return status_response(500, "InternalError", f"Internal error occurred: {e}",
                               {"causes": [{"message": str(e)}]})
    if isinstance(e, MinikctlError):
        return status_response(400, "BadRequest", str(e), {})
    return status_response(500, "InternalError", f"Internal error occurred: {type(e).__name__}: {e}",
                           {"causes": [{"message": f"{type(e).__name__}: {e}"}]})


def not_found_path() -> Response:
    return status_response(404, "NotFound", "the server could not find the requested resource", {})


def _decode_body(req: Request):
    """The request body as JSON (or YAML), as the apiserver's serializers decode it."""
    ctype = (req.headers.get("content-type") or JSON).split(";")[0].strip().lower()
    if ctype not in (JSON, "application/yaml", "*/*", "", PROTOBUF):
        raise UnsupportedMediaType(ctype)
    if len(req.body) > MAX_BODY:
        raise RequestTooLarge()
    if ctype == PROTOBUF:  # kubectl's typed commands (client-go's default for built-in kinds)
        from minikctl.apiserver import proto

        try:
            return proto.decode(req.body)
        except (proto.ProtoError, ValueError, UnicodeDecodeError) as e:
            raise BadRequest(f"failed to decode protobuf body: {e}") from None
    text = req.body.decode("utf-8", "replace")
    if ctype == "application/yaml":
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise BadRequest(f"error converting YAML to JSON: {e}") from None
    from minikctl.api.manifest import BadNumber, loads

    try:
        return loads(text)
    except json.JSONDecodeError as e:
        from minikctl.cli.cmd_patch import go_json_error

        raise BadRequest(f"couldn't get version/kind; json parse error: {go_json_error(text, e)}") from None
    except BadNumber as e:
        raise BadRequest(e.message) from None


class UnsupportedMediaType(ApiError):
    """415 (apimachinery errors.NewUnsupportedMediaTypeError): e.g. a CBOR body (client-go then
    retries as JSON)."""
    reason = "UnsupportedMediaType"
    code = 415

    def __init__(self, ctype: str):
        super().__init__(f"the body of the request was in an unknown format - accepted media types include: "
                         "application/json, application/yaml, application/vnd.kubernetes.protobuf")


class RequestTooLarge(ApiError):
    reason = "RequestEntityTooLarge"
    code = 413

    def __init__(self):
        super().__init__("Request entity too large: limit is 3145728")


class MethodNotSupported(ApiError):
    reason = "MethodNotAllowed"
    code = 405


# ------------------------------------------------------------------------------- routing
class Target:
    """RequestInfo: which kind, namespace, name and subresource a resource path names."""
    __slots__ = ("kind", "namespace", "name", "sub", "view")

    def __init__(self, kind: K.Kind, namespace: str | None, name: str | None, sub: str | None,
                 view: str | None = None):
        self.kind, self.namespace, self.name, self.sub = kind, namespace, name, sub
        self.view = view  # the apiVersion asked for when it is not the stored one (apiserver/versions.py)


def parse_resource_path(group: str, version: str, parts: list[str]) -> Target | None:
    ns = None
    if parts and parts[0] == "namespaces" and len(parts) > 1:
        ns = parts[1]
        if len(parts) > 2 and parts[2] not in ("status", "finalize"):
            parts = parts[2:]
        else:  # the namespace itself (or its status)
            ns = None
    if not parts:
        return None
    kind = next((k for k in K.KINDS if k.plural == parts[0] and k.group == group and k.version == version), None)
    if kind is None or len(parts) > 3:
        return None
    if kind.namespaced is False:
        ns = None
    name = parts[1] if len(parts) > 1 else None
    sub = parts[2] if len(parts) > 2 else None
    return Target(kind, ns, name, sub)


class Backend:
    """The server's half that touches the store: created and used on one thread only."""

    def __init__(self, state: str | None, token: str, server_address: str):
        self.state = state
        self.token = token
        self.server_address = server_address
        self.session = None
        self.authenticator = None  # auth.Authenticator: the admin's and the students' tokens
        self.user = None  # the user of the request being handled (auth.check)

    # -------------------------------------------------------------- session handling
    def open(self):
        from minikctl.api.cluster import Session

        self.session = Session.open(self.state)
        self.session.show_managed = True  # kube-apiserver answers with metadata.managedFields
        # a writer waits a bounded time for another command's write lock, then answers 429
        self.session.store.conn.execute("PRAGMA busy_timeout=5000")
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def _fresh(self):
        """What every CLI command does when it opens the store: re-read the configuration and
        clock, and catch up the kubelet's and the probes' timers that fell due (wall clock)."""
        s = self.session
        s._config = s._clock = s._api = None
        try:
            s.catch_up_pending()  # issue 12: what a deferred `apply` left to the controllers
            s._catch_up_probes()
            s._catch_up_kubelet()
            if s._due("nodes:monitor-due"):
                from minikctl.controllers import nodemonitor

                nodemonitor.catch_up(s)
        except StoreError:
            pass
        return s

    def tick(self) -> None:
        """The server's clock: timers that fell due run even while no request comes."""
        try:
            self._fresh()
        except Exception:  # noqa: BLE001 - a failing timer must not stop the server; the next request reports it
            pass

    # ---------------------------------------------------------------------- dispatch
    def authenticate(self, req: Request) -> Response | None:
        try:
            return self._authenticate(req)
        except Exception as e:  # noqa: BLE001
            return error_response(e)

    def target_of(self, req: Request):
        """(Target,) for a resource collection path, else the Response to answer with."""
        parts = [p for p in req.path.split("/") if p]
        if parts[:1] == ["api"] and len(parts) >= 3:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 4:
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return not_found_path()
        t = parse_resource_path(group, version, rest)
        if t is None:
            from minikctl.apiserver import versions  # a watch of autoscaling/v1 HPAs, events.k8s.io Events

            t = versions.target(group, version, rest)
        if t is None or t.sub is not None:
            return not_found_path()
        return (t,)

    def handle(self, req: Request) -> Response:
        try:
            auth = self._authenticate(req)
            if auth is not None:
                return auth
            return self._route(req)
        except Exception as e:  # noqa: BLE001 - every failure is a Status, never a traceback
            return error_response(e)
        finally:
            from minikctl.api.rbac_escalation import clear_request

            clear_request()  # the request's user checked RBAC writes for escalation (auth.check)

    def _authenticate(self, req: Request) -> Response | None:
        """Authentication, impersonation and authorization (apiserver/auth.py)."""
        from minikctl.apiserver import auth

        if self.authenticator is None:
            self.authenticator = auth.Authenticator(self.token)
        return auth.check(self, req)

    def _route(self, req: Request) -> Response:
        path = req.path
        parts = [p for p in path.split("/") if p]
        if path in ("/healthz", "/livez", "/readyz") or path.startswith(("/healthz/", "/livez/", "/readyz/")):
            return Response(200, "ok", "text/plain; charset=utf-8")
        if path == "/version":
            from minikctl.api.version import version_info

            s = self.session
            raw = s.store.meta_get("cluster")
            ver = json.loads(raw).get("kubernetesVersion", "v1.32.0") if raw else "v1.32.0"
            return Response(200, json.dumps(version_info(ver), indent=2))
        if parts[:1] == ["openapi"]:
            return self._openapi(req, parts[1:])
        from minikctl.apiserver import discovery as D

        accept = req.headers.get("accept", "")
        if parts == ["api"] or parts == ["apis"]:
            if req.method != "GET":
                return status_response(405, "MethodNotAllowed", f"the server does not allow this method on the "
                                       "requested resource", {})
            if D.wants_aggregated(accept):
                return Response(200, D.aggregated(parts == ["api"]), D.AGGREGATED_V2,
                                headers=[("Vary", "Accept")])
            return Response(200, D.api_versions(self.server_address) if parts == ["api"] else D.api_group_list(),
                            headers=[("Vary", "Accept")])
        if parts[:1] == ["api"] and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 2:
            if len(parts) == 2:
                g = D.api_group(parts[1])
                return Response(200, g) if g else not_found_path()
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return not_found_path()
        if group in ("authorization.k8s.io", "authentication.k8s.io") and rest:
            from minikctl.apiserver import auth

            got = auth.review(self, req, group, version, rest)
            if got is not None:
                return got
        if not rest:
            rl = D.resource_list(group, version)
            return Response(200, rl) if rl else not_found_path()
        target = parse_resource_path(group, version, rest)
        if target is None:
            from minikctl.apiserver import versions  # a second version of a kind (autoscaling/v1 HPA)

            r = versions.serve(self, req, group, version, rest)
            return r if r is not None else not_found_path()
        from minikctl.apiserver import handlers

        return handlers.serve(self, req, target)

    def _openapi(self, req: Request, parts: list[str]) -> Response:
        """/openapi/v3 (the index) and /openapi/v3/<group-version path> (the shipped 1.32
        documents, gzip-compressed as stored: sent as is to a client that accepts gzip)."""
        from minikctl.api import openapi

        if parts == ["v2"]:  # the Swagger 2.0 document (apiserver/openapi_v2.py)
            from minikctl.apiserver import openapi_v2

            return openapi_v2.answer(req)
        if parts == ["v3"]:
            paths = {}
            for p in openapi.paths():
                digest = _hash(p)
                paths[p] = {"serverRelativeURL": f"/openapi/v3/{p}?hash={digest}"}
            return Response(200, {"paths": paths})
        if parts[:1] == ["v3"] and len(parts) > 1:
            p = "/".join(parts[1:])
            if not openapi.has(p):
                return Response(404, "404 page not found\n", "text/plain; charset=utf-8")
            raw = openapi.raw(p)
            extra = [("Etag", f'"{_hash(p)}"'), ("Vary", "Accept")]
            if req.q("hash"):
                extra.append(("Expires", "Thu, 31 Dec 2099 23:59:59 GMT"))
                extra.append(("Cache-Control", "public, immutable"))
            if "gzip" in req.headers.get("accept-encoding", ""):
                r = Response(200, raw, JSON, headers=extra + [("Content-Encoding", "gzip")])
            else:
                import gzip

                r = Response(200, gzip.decompress(raw), JSON, headers=extra)
            return r
        return Response(404, "404 page not found\n", "text/plain; charset=utf-8")


_HASHES: dict[str, str] = {}


def _hash(path: str) -> str:
    """The document's hash in its serverRelativeURL and ETag (computed once per process)."""
    h = _HASHES.get(path)
    if h is None:
        import hashlib

        from minikctl.api import openapi

        h = _HASHES[path] = hashlib.sha512(openapi.raw(path)).hexdigest().upper()
    return h


def _verb(req: Request) -> str:
    return {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"}.get(req.method,
                                                                                                  req.method.lower())


def encode_continue(rv: str, ns: str, name: str) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": int(rv or 0), "start": f"{ns}/{name}\x00"})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_continue(token: str) -> tuple[str, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        ns, _, name = raw["start"].rstrip("\x00").partition("/")
        return ns, name
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
                         ) from None
