"""Authentication, impersonation and authorization of `minikctl serve` (issue 14, "Auth").

Every request goes through kube-apiserver's filter chain, in its order:
  authentication  bearer tokens (staging/src/k8s.io/apiserver/pkg/authentication/request/bearertoken):
                  the admin's token is kind's kubeconfig user (kubernetes-admin in kubeadm:cluster-admins,
                  api/rbac.admin_user); `serve --users alice,bob` adds one token per student (user "alice"
                  in system:authenticated, as a static token file would); no Authorization header (or one
                  that is not a bearer token) is system:anonymous in system:unauthenticated; a token that
                  is not valid is 401 Unauthorized.
  impersonation   Impersonate-User / -Group / -Uid / -Extra-* (endpoints/filters/impersonation.go), each
                  checked with the `impersonate` verb.
  authorization   RequestInfo (endpoints/request/requestinfo.go) -> the RBAC authorizer the CLI's
                  `auth can-i` uses (api/rbac.authorize: the privileged group, then RBAC); a refusal is
                  responsewriters.Forbidden's Status (endpoints/handlers/responsewriters/errors.go).

The students' tokens are kept in the store's meta (serve:users, a JSON object name -> token), so they
stay the same across restarts of the server. Each student gets a namespace named after them and a
RoleBinding "minikctl:student" there to the `admin` ClusterRole, as a teacher would set it up with
`kubectl create rolebinding --clusterrole=admin --user=alice -n alice`: everything in their own
namespace (Roles and RoleBindings included, within RBAC's escalation rules), nothing in another's; the
cluster-scoped rights are those of every authenticated user (discovery, /version, the self reviews).

The self reviews (authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview,
authentication.k8s.io/v1 SelfSubjectReview: `kubectl auth can-i [--list]`, `kubectl auth whoami`) are
answered here (pkg/registry/authorization/selfsubjectaccessreview/rest.go, selfsubjectrulesreview/rest.go,
pkg/registry/authentication/selfsubjectreview/rest.go).
"""

from __future__ import annotations

import json
import re
import secrets

from minikctl.api import rbac
from minikctl.api.errors import UsageError

USERS_META = "serve:users"
STUDENT_BINDING = "minikctl:student"
STUDENT_ROLE = "admin"  # the ClusterRole a student's RoleBinding refers to (see the module's notes)
ANONYMOUS = "system:anonymous"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
REVIEW_GROUPS = ("authorization.k8s.io", "authentication.k8s.io")
# requestinfo.go
_NAMESPACE_SUBRESOURCES = ("status", "finalize")
_METHOD_VERBS = {"POST": "create", "GET": "get", "HEAD": "get", "PUT": "update", "PATCH": "patch",
                 "DELETE": "delete"}
# repeated request headers reach the worker joined by this (a header value never holds a newline)
MULTI_SEP = "\n"
_MULTI = ("impersonate-group",)


# ------------------------------------------------------------------------ the students
def parse_users(text: str | None) -> list[str]:
    """--users alice,bob: names that are valid namespace names (each user gets the namespace of their
    name), each once, in the order given."""
    if text is None:
        return []
    out: list[str] = []
    for name in text.split(","):
        name = name.strip()
        if not name:
            continue
        if len(name) > 63 or not _NAME.match(name):
            raise UsageError(f'--users: "{name}" is not a valid user name: it names the user\'s namespace, so it '
                             "must be a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 characters)")
        if name in ("default", "kubernetes-admin") or name.startswith("kube-") or name.startswith("system-"):
            raise UsageError(f'--users: "{name}" is reserved (the cluster\'s own namespaces and its admin)')
        if name not in out:
            out.append(name)
    return out


def ensure_users(session, names: list[str]) -> dict[str, str]:
    """Every student's token (made once, kept in the store's meta), namespace and RoleBinding (created
    where missing through the object API, in one transaction). Returns {name: token} of `names`."""
    if not names:
        return {}
    store = session.store
    with session.write() as api:
        tokens = json.loads(store.meta_get(USERS_META) or "{}")
        changed = False
        for n in names:
            if n not in tokens:
                tokens[n] = secrets.token_urlsafe(32)
                changed = True
        if changed:
            store.meta_set(USERS_META, json.dumps(tokens, sort_keys=True))
        for n in names:
            if api.try_get("namespaces", "", n) is None:
                api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}})
            if api.try_get("rolebindings", n, STUDENT_BINDING) is None:
                api.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                            "metadata": {"name": STUDENT_BINDING, "namespace": n},
                            "roleRef": {"apiGroup": rbac.GROUP, "kind": "ClusterRole", "name": STUDENT_ROLE},
                            "subjects": [{"apiGroup": rbac.GROUP, "kind": "User", "name": n}]})
    return {n: tokens[n] for n in names}


def user_kubeconfig_path(admin_path: str, name: str) -> str:
    """The student's kubeconfig, beside the admin's: FILE-alice."""
    return f"{admin_path}-{name}"


# ------------------------------------------------------------------------ authentication
class Authenticator:
    """token -> rbac.User, made once at start-up (the tokens of the store's meta)."""

    def __init__(self, admin_token: str, users: dict[str, str] | None = None):
        self.admin_token = admin_token.encode()
        self.users = {t.encode(): n for n, t in (users or {}).items()}

    def user_of(self, token: str) -> "rbac.User | None":
        b = token.encode()
        if secrets.compare_digest(b, self.admin_token):
            return rbac.admin_user()
        for t, n in self.users.items():
            if secrets.compare_digest(b, t):
                return rbac.User(n, ("system:authenticated",))
        return None


def anonymous() -> "rbac.User":
    return rbac.User(ANONYMOUS, ("system:unauthenticated",))


def flatten_headers(headers) -> dict:
    """aiohttp's request headers as the plain dict rest.Request takes, repeated Impersonate-Group
    headers (kubectl --as-group a --as-group b) kept, joined by MULTI_SEP."""
    out = dict(headers)
    for k in set(headers.keys()):
        low = k.lower()
        if low in _MULTI or low.startswith("impersonate-extra-"):
            values = headers.getall(k)
            if len(values) > 1:
                out[k] = MULTI_SEP.join(values)
    return out


def _multi(value: str | None) -> list[str]:
    return value.split(MULTI_SEP) if value is not None else []


# ------------------------------------------------------------------------ request attributes
def attributes(req) -> dict:
    """RequestInfoFactory.NewRequestInfo: the authorizer's attributes of a request, in api/rbac's form
    ({"verb", "path"} for a non-resource request)."""
    parts = [p for p in req.path.split("/") if p]
    verb = _METHOD_VERBS.get(req.method, req.method.lower())
    nonresource = {"verb": req.method.lower(), "path": req.path}
    if not parts or parts[0] not in ("api", "apis"):
        return nonresource
    cur = parts[1:]
    if parts[0] == "apis":
        if len(cur) < 3:
            return nonresource
        group, version, cur = cur[0], cur[1], cur[2:]
    else:
        if len(cur) < 2:
            return nonresource
        group, version, cur = "", cur[0], cur[1:]
    if cur and cur[0] in ("watch", "proxy"):  # the deprecated /watch/ and /proxy/ prefixes
        if len(cur) < 2:
            return nonresource
        verb, cur = cur[0], cur[1:]
    namespace = ""
    if cur[0] == "namespaces":
        if len(cur) > 1:
            namespace = cur[1]
            if len(cur) > 2 and cur[2] not in _NAMESPACE_SUBRESOURCES:
                cur = cur[2:]
    resource = cur[0]
    name = cur[1] if len(cur) > 1 else ""
    sub = cur[2] if len(cur) > 2 else ""
    if not name and verb == "get":
        verb = "watch" if (req.q("watch") or "").lower() in ("1", "true") else "list"
        fs = req.q("fieldSelector") or ""
        for term in fs.split(",") if fs else ():  # fields.Selector.RequiresExactMatch("metadata.name")
            m = re.fullmatch(r"metadata\.name==?([^,=!]+)", term.strip())
            if m and _NAME_SEGMENT.match(m.group(1)):
                name = m.group(1)
    if not name and verb == "delete":
        verb = "deletecollection"
    if verb == "get" and resource == "pods" and sub in ("exec", "attach", "portforward"):
        # feature AuthorizePodWebsocketUpgradeCreatePermission (beta, on in 1.32): a WebSocket GET of a pod's
        # exec/attach/portforward is authorized as the create of the SPDY POST it replaces
        verb = "create"
    return {"verb": verb, "resource": resource, "group": group, "version": version, "subresource": sub,
            "name": name, "namespace": namespace}


_NAME_SEGMENT = re.compile(r"^(?!\.\.?$)[^/%]+$")  # path.IsValidPathSegmentName


def forbidden_message(user_name: str, attrs: dict) -> str:
    """responsewriters.forbiddenMessage."""
    if attrs.get("path") is not None:
        return f'User {_q(user_name)} cannot {attrs["verb"]} path {_q(attrs["path"])}'
    resource = attrs["resource"] + ("/" + attrs["subresource"] if attrs.get("subresource") else "")
    if attrs.get("namespace"):
        return (f'User {_q(user_name)} cannot {attrs["verb"]} resource {_q(resource)} in API group '
                f'{_q(attrs.get("group") or "")} in the namespace {_q(attrs["namespace"])}')
    return (f'User {_q(user_name)} cannot {attrs["verb"]} resource {_q(resource)} in API group '
            f'{_q(attrs.get("group") or "")} at the cluster scope')


def _q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)


def forbidden(user_name: str, attrs: dict, reason: str):
    """responsewriters.Forbidden -> apierrors.NewForbidden(GroupResource, name, err)."""
    from minikctl.apiserver.rest import status_response

    msg = forbidden_message(user_name, attrs)
    if reason:
        msg = f"{msg}: {reason}"
    if attrs.get("path") is not None:
        return status_response(403, "Forbidden", f"forbidden: {msg}", {})
    group, resource, name = attrs.get("group") or "", attrs["resource"], attrs.get("name") or ""
    qual = f"{resource}.{group}" if group else resource
    details: dict = {}
    if name:
        details["name"] = name
        text = f"{qual} {_q(name)} is forbidden: {msg}"
    else:
        text = f"{qual} is forbidden: {msg}"
    if group:
        details["group"] = group
    details["kind"] = resource
    return status_response(403, "Forbidden", text, details)


# ------------------------------------------------------------------------ the filter chain
def check(backend, req):
    """Authentication, impersonation and authorization of one request: the Response refusing it, or
    None (backend.user is then the request's user)."""
    from minikctl.apiserver.rest import status_response

    backend.user = None
    header = (req.headers.get("authorization") or "").strip()
    parts = header.split(" ", 2)
    if len(parts) >= 2 and parts[0].lower() == "bearer" and parts[1]:
        user = backend.authenticator.user_of(parts[1])
        if user is None:
            return status_response(401, "Unauthorized", "Unauthorized", None)
    else:
        user = anonymous()
    api = backend.session.api
    with backend.session.store.read():
        user, refused = _impersonate(api, user, req)
        if refused is not None:
            return refused
        attrs = attributes(req)
        allowed, reason = rbac.authorize(api, user, attrs)
    if not allowed:
        return forbidden(user.name, attrs, reason)
    backend.user = user
    if attrs.get("group") == rbac.GROUP and attrs["verb"] in ("create", "update", "patch") and not attrs["subresource"]:
        from minikctl.api import rbac_escalation  # the RBAC registry's escalation checks, for this user

        rbac_escalation.set_request(user, attrs["resource"], attrs["namespace"], attrs["name"])
    return None


def _impersonate(api, user, req):
    """filters.WithImpersonation: (the user the request acts as, None) or (_, the refusal)."""
    from minikctl.apiserver.rest import status_response

    h = req.headers
    name = h.get("impersonate-user")
    groups = _multi(h.get("impersonate-group"))
    uid = h.get("impersonate-uid")
    extra: dict[str, list[str]] = {}
    for k, v in h.items():
        if k.startswith("impersonate-extra-"):
            from urllib.parse import unquote

            extra[unquote(k[len("impersonate-extra-"):])] = _multi(v)
    if name is None and uid is None and not groups and not extra:
        return user, None
    if name is None:
        what = "groups" if groups else ("user-extra" if extra else "uid")
        return user, status_response(400, "BadRequest", f"requested {what} without impersonating a user", {})
    checks: list[dict] = []
    sa = rbac.split_sa_username(name)
    if sa:
        checks.append({"verb": "impersonate", "resource": "serviceaccounts", "group": "", "namespace": sa[0],
                       "name": sa[1], "subresource": ""})
    else:
        checks.append({"verb": "impersonate", "resource": "users", "group": "", "namespace": "", "name": name,
                       "subresource": ""})
    for g in groups:
        checks.append({"verb": "impersonate", "resource": "groups", "group": "", "namespace": "", "name": g,
                       "subresource": ""})
    for k in sorted(extra):
        for v in extra[k]:
            checks.append({"verb": "impersonate", "resource": "userextras", "subresource": k,
                           "group": "authentication.k8s.io", "namespace": "", "name": v})
    if uid is not None:
        checks.append({"verb": "impersonate", "resource": "uids", "group": "authentication.k8s.io",
                       "namespace": "", "name": uid, "subresource": ""})
    for attrs in checks:
        allowed, reason = rbac.authorize(api, user, attrs)
        if not allowed:
            return user, forbidden(user.name, attrs, reason)
    new = rbac.impersonate(name, groups)
    new.extra = extra
    return new, None


# ------------------------------------------------------------------------ the self reviews
_REVIEWS = {("authorization.k8s.io", "selfsubjectaccessreviews"): "SelfSubjectAccessReview",
            ("authorization.k8s.io", "selfsubjectrulesreviews"): "SelfSubjectRulesReview",
            ("authorization.k8s.io", "subjectaccessreviews"): "SubjectAccessReview",
            ("authorization.k8s.io", "localsubjectaccessreviews"): "LocalSubjectAccessReview",
            ("authentication.k8s.io", "selfsubjectreviews"): "SelfSubjectReview",
            ("authentication.k8s.io", "tokenreviews"): "TokenReview"}
# the audiences of the API server's own tokens (kube-apiserver --api-audiences, kind's default)
API_AUDIENCES = ["https://kubernetes.default.svc.cluster.local"]


def review(backend, req, group: str, version: str, rest: list[str]):
    """The create-only reviews of api/reviews.py (authorization.k8s.io/v1 and authentication.k8s.io/v1),
    or None for another path."""
    from minikctl.apiserver.rest import _decode_body, status_response

    namespace = ""
    if len(rest) == 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    kind = _REVIEWS.get((group, rest[0])) if len(rest) == 1 and version == "v1" else None
    if kind is None or (kind == "LocalSubjectAccessReview") != bool(namespace):
        return None
    if req.method != "POST":
        return status_response(405, "MethodNotAllowed",
                               "the server does not allow this method on the requested resource", {})
    _register_proto()
    body = _decode_body(req)
    if not isinstance(body, dict):
        body = {}
    user = backend.user or anonymous()
    api = backend.session.api
    meta = dict(body.get("metadata") or {}) if isinstance(body.get("metadata"), dict) else {}
    if namespace and not meta.get("namespace"):
        meta["namespace"] = namespace  # rest.EnsureObjectNamespaceMatchesRequestNamespace
    if namespace and meta["namespace"] != namespace:
        return status_response(400, "BadRequest", "the namespace of the provided object does not match the "
                               "namespace sent on the request", {})
    meta["creationTimestamp"] = None
    out = {"kind": kind, "apiVersion": f"{group}/{version}", "metadata": meta}
    spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}

    def invalid(field: str, value: str, detail: str):
        msg = f"Invalid value: {_q(value)}: {detail}"
        return status_response(422, "Invalid", f'{kind}.{group} {_q(meta.get("name") or "")} is invalid: '
                                f"{field}: {msg}",
                                {"group": group, "kind": kind,
                                 "causes": [{"reason": "FieldValueInvalid", "message": msg, "field": field}]})

    if kind == "SelfSubjectReview":
        out["status"] = {"userInfo": _user_info(user)}
        return _created(out)
    if kind == "TokenReview":
        token = str(spec.get("token") or "")
        found = backend.authenticator.user_of(token) if token else None
        if found is None:
            st = {"user": {}, "error": "[invalid bearer token, token lookup failed]"}
        else:
            st = {"authenticated": True, "user": _user_info(found), "audiences": list(spec.get("audiences") or
                                                                                      API_AUDIENCES)}
        out["spec"] = spec
        out["status"] = st
        return _created(out)
    if kind == "SelfSubjectRulesReview":
        return _rules_review(backend, api, user, spec, out)
    # the access reviews: ValidateSelfSubjectAccessReviewSpec / ValidateSubjectAccessReviewSpec
    ra, nra = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    if isinstance(ra, dict) and isinstance(nra, dict):
        return invalid("spec.nonResourceAttributes", "object", "cannot be specified in combination with "
                       "resourceAttributes")
    if not isinstance(ra, dict) and not isinstance(nra, dict):
        return invalid("spec.resourceAttributes", "null", "exactly one of nonResourceAttributes or "
                       "resourceAttributes must be specified")
    if kind in ("SubjectAccessReview", "LocalSubjectAccessReview"):
        groups = [str(g) for g in spec.get("groups") or []] if isinstance(spec.get("groups"), list) else []
        if not spec.get("user") and not groups:
            return invalid("spec.user", "", "at least one of user or group must be specified")
        if kind == "LocalSubjectAccessReview":  # ValidateLocalSubjectAccessReview
            if isinstance(nra, dict):
                return invalid("spec.nonResourceAttributes", "object", "disallowed on this kind of request")
            if str(ra.get("namespace") or "") != namespace:
                return invalid("spec.resourceAttributes.namespace", str(ra.get("namespace") or ""),
                               "must match metadata.namespace")
        extra = spec.get("extra") if isinstance(spec.get("extra"), dict) else {}
        user = rbac.User(str(spec.get("user") or ""), groups, extra)  # exactly the user asked about
    if isinstance(ra, dict):
        attrs = {"verb": str(ra.get("verb") or ""), "resource": str(ra.get("resource") or ""),
                 "group": str(ra.get("group") or ""), "subresource": str(ra.get("subresource") or ""),
                 "name": str(ra.get("name") or ""), "namespace": str(ra.get("namespace") or "")}
    else:
        attrs = {"verb": str(nra.get("verb") or ""), "path": str(nra.get("path") or "")}
    with backend.session.store.read():
        allowed, reason = rbac.authorize(api, user, attrs)
    st: dict = {"allowed": allowed}
    if reason:
        st["reason"] = reason
    out["spec"] = spec
    out["status"] = st
    return _created(out)


def _user_info(user) -> dict:
    ui: dict = {"username": user.name}
    if user.groups:
        ui["groups"] = list(user.groups)
    if user.extra:
        ui["extra"] = user.extra
    return ui


def _rules_review(backend, api, user, spec: dict, out: dict):
    """selfsubjectrulesreview/rest.go: the union of the privileged-group and RBAC rule resolvers."""
    from minikctl.apiserver.rest import status_response

    namespace = str(spec.get("namespace") or "")
    if not namespace:
        return status_response(400, "BadRequest", "no namespace on request", {})
    with backend.session.store.read():
        rules, incomplete, evaluation_error = rbac.subject_rules(api, user, namespace)
    res, nonres = [], []
    for r in rules:
        if r.get("resources"):
            x = {"verbs": list(r.get("verbs") or [])}
            for k in ("apiGroups", "resources", "resourceNames"):
                if r.get(k):
                    x[k] = list(r[k])
            res.append(x)
        if r.get("nonResourceURLs"):
            nonres.append({"verbs": list(r.get("verbs") or []), "nonResourceURLs": list(r["nonResourceURLs"])})
    st = {"resourceRules": res, "nonResourceRules": nonres, "incomplete": incomplete}
    if evaluation_error:
        st["evaluationError"] = evaluation_error
    out["spec"] = spec
    out["status"] = st
    return _created(out)


_OM = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_AZ = "k8s.io.api.authorization.v1."
# the review messages kubectl sends as protobuf (k8s.io/api authorization/v1 and authentication/v1
# generated.proto), in proto_schema.json.gz's form: field number -> [json name, type, o(ptional)|r(epeated)]
_PROTO_MESSAGES = {
    _AZ + "SelfSubjectAccessReview": {"1": ["metadata", _OM, "o"], "2": ["spec", _AZ + "SelfSubjectAccessReviewSpec", "o"]},
    _AZ + "SelfSubjectAccessReviewSpec": {"1": ["resourceAttributes", _AZ + "ResourceAttributes", "o"],
                                          "2": ["nonResourceAttributes", _AZ + "NonResourceAttributes", "o"]},
    _AZ + "ResourceAttributes": {"1": ["namespace", "string", "o"], "2": ["verb", "string", "o"],
                                 "3": ["group", "string", "o"], "4": ["version", "string", "o"],
                                 "5": ["resource", "string", "o"], "6": ["subresource", "string", "o"],
                                 "7": ["name", "string", "o"]},
    _AZ + "NonResourceAttributes": {"1": ["path", "string", "o"], "2": ["verb", "string", "o"]},
    _AZ + "SelfSubjectRulesReview": {"1": ["metadata", _OM, "o"], "2": ["spec", _AZ + "SelfSubjectRulesReviewSpec", "o"]},
    _AZ + "SelfSubjectRulesReviewSpec": {"1": ["namespace", "string", "o"]},
    "k8s.io.api.authentication.v1.SelfSubjectReview": {"1": ["metadata", _OM, "o"]},
}


def _register_proto() -> None:
    from minikctl.apiserver import proto

    if "authorization.k8s.io" not in proto._PACKAGES:
        proto.schema().update(_PROTO_MESSAGES)
        proto._PACKAGES["authorization.k8s.io"] = "authorization"
        proto._PACKAGES["authentication.k8s.io"] = "authentication"


def _created(obj: dict):
    from minikctl.apiserver.rest import Response

    return Response(201, obj)


# ------------------------------------------------------------------------ ~/.kube/config
def merge_target() -> str:
    """clientcmd's precedence for writing: $KUBECONFIG's first file, else ~/.kube/config."""
    import os

    env = os.environ.get("KUBECONFIG") or ""
    for p in env.split(os.pathsep):
        if p:
            return p
    return os.path.join(os.path.expanduser("~"), ".kube", "config")


def merge_kubeconfig(path: str, text: str) -> None:
    """Merge the cluster, user and context named `minikctl` of kubeconfig `text` into the file at
    `path` (replacing entries of those names, keeping every other one), current-context minikctl,
    written 0600 (as `kind create cluster` does to the same file)."""
    import os

    import yaml

    from minikctl.apiserver.app import write_private

    new = yaml.safe_load(text)
    try:
        with open(path) as f:
            cur = yaml.safe_load(f) or {}
    except FileNotFoundError:
        cur = {}
    except (OSError, yaml.YAMLError) as e:
        raise UsageError(f"cannot merge the kubeconfig into {path}: {e}") from None
    if not isinstance(cur, dict):
        raise UsageError(f"cannot merge the kubeconfig into {path}: it is not a kubeconfig")
    cur.setdefault("apiVersion", "v1")
    cur.setdefault("kind", "Config")
    cur.setdefault("preferences", {})
    for key in ("clusters", "contexts", "users"):
        items = [e for e in (cur.get(key) or []) if not (isinstance(e, dict) and e.get("name") == "minikctl")]
        cur[key] = items + list(new[key])
    cur["current-context"] = "minikctl"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_private(path, yaml.safe_dump(cur, default_flow_style=False, sort_keys=True))


def user_kubeconfig_text(admin_text: str, name: str, token: str) -> str:
    """The admin's kubeconfig with the student as its user and their namespace as the context's."""
    import yaml

    doc = yaml.safe_load(admin_text)
    doc["users"] = [{"name": name, "user": {"token": token}}]
    doc["contexts"] = [{"name": "minikctl", "context": {"cluster": "minikctl", "user": name, "namespace": name}}]
    return yaml.safe_dump(doc, default_flow_style=False, sort_keys=True)


def write_user_kubeconfigs(admin_path: str, admin_text: str, tokens: dict[str, str]) -> list[str]:
    """Each student's kubeconfig (0600, beside the admin's); the start-up lines naming them."""
    from minikctl.apiserver.app import write_private

    lines = []
    for name, token in tokens.items():
        path = user_kubeconfig_path(admin_path, name)
        write_private(path, user_kubeconfig_text(admin_text, name, token))
        lines.append(f'User "{name}" (namespace {name}): kubeconfig {path}\n')
    return lines
