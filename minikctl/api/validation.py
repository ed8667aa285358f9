"""Validation, with kube-apiserver 1.32's field paths, wording and order.

Sources (kubernetes/kubernetes):
  staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go  (DNS names, labels, ports, IPs)
  staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go   (metadata)
  staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go (labels, selectors)
  pkg/apis/core/validation/validation.go      (Pod, Service, Endpoints, RC, Secret, ConfigMap, Namespace, Node)
  pkg/apis/apps/validation/validation.go      (Deployment, ReplicaSet)
  pkg/apis/networking/validation/validation.go (Ingress, IngressClass)
  pkg/apis/discovery/validation/validation.go (EndpointSlice)
  pkg/registry/apps/deployment/strategy.go    (immutable selector)

``validate(obj, old)`` returns every FieldError of an object after defaulting, in the
order kube-apiserver reports them (Go map iteration is random there; maps are walked
in sorted key order here). Values of the wrong JSON type are treated as Go's zero
value: the strict decoding check (schema.py) reports them first.
"""

from __future__ import annotations

import ipaddress
import re

from minikctl.api.errors import FieldError, duplicate, forbidden, invalid, required, unsupported

# --------------------------------------------------------------------- Go value rendering


class GoValue:
    """A bad value printed as Go's %#v does (field.Error.ErrorBody's fallback)."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"GoValue({self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, GoValue) and other.text == self.text


def _gq(s: str) -> str:
    """Go's %q (strconv.Quote)."""
    from minikctl.api.errors import go_quote

    return go_quote(s)


def go_string_map(m) -> GoValue:
    if not isinstance(m, dict):
        return GoValue("map[string]string(nil)")
    items = ", ".join(f"{_gq(str(k))}:{_gq(_s(v))}" for k, v in sorted(m.items()))
    return GoValue(f"map[string]string{{{items}}}")


def go_string_list(items) -> GoValue:
    if not isinstance(items, list):
        return GoValue("[]string(nil)")
    return GoValue("[]string{" + ", ".join(_gq(_s(x)) for x in items) + "}")


def _go_intstr(v) -> str:
    if isinstance(v, str):
        return f'intstr.IntOrString{{Type:1, IntVal:0, StrVal:{_gq(v)}}}'
    return f'intstr.IntOrString{{Type:0, IntVal:{_i(v)}, StrVal:""}}'


def _go_label_selector(sel) -> GoValue:
    sel = sel if isinstance(sel, dict) else {}
    ml = sel.get("matchLabels")
    ml_text = go_string_map(ml).text if isinstance(ml, dict) and ml else "map[string]string(nil)"
    exprs = sel.get("matchExpressions")
    if isinstance(exprs, list) and exprs:
        parts = []
        for e in exprs:
            e = e if isinstance(e, dict) else {}
            vals = e.get("values")
            parts.append(
                f"v1.LabelSelectorRequirement{{Key:{_gq(_s(e.get('key')))}, Operator:{_gq(_s(e.get('operator')))}, "
                f"Values:{go_string_list(vals).text if isinstance(vals, list) else '[]string(nil)'}}}"
            )
        ex_text = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    else:
        ex_text = "[]v1.LabelSelectorRequirement(nil)"
    return GoValue(f"v1.LabelSelector{{MatchLabels:{ml_text}, MatchExpressions:{ex_text}}}")


# --------------------------------------------------------------------- safe access


def _m(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


def _s(v) -> str:
    return v if isinstance(v, str) else ""


def _i(v) -> int:
    if isinstance(v, bool):
        return 0
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return 0


def _ml(parent, key) -> list[dict]:
    """The list parent[key], each item a mapping (others become {})."""
    v = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(v, list):
        return []
    return [x if isinstance(x, dict) else {} for x in v]


# --------------------------------------------------------------------- apimachinery util/validation

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE_FMT = "(" + _QNAME_FMT + ")?"
_WILDCARD_FMT = "\\*\\." + _DNS1123_SUBDOMAIN_FMT
_CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
_PERCENT_FMT = "[0-9]+%"

_RE_DNS1123_LABEL = re.compile(f"^{_DNS1123_LABEL_FMT}$")
_RE_DNS1123_SUBDOMAIN = re.compile(f"^{_DNS1123_SUBDOMAIN_FMT}$")
_RE_DNS1035_LABEL = re.compile(f"^{_DNS1035_LABEL_FMT}$")
_RE_QNAME = re.compile(f"^{_QNAME_FMT}$")
_RE_LABEL_VALUE = re.compile(f"^{_LABEL_VALUE_FMT}$")
_RE_WILDCARD = re.compile(f"^{_WILDCARD_FMT}$")
_RE_CONFIG_KEY = re.compile(f"^{_CONFIG_KEY_FMT}$")
_RE_PERCENT = re.compile(f"^{_PERCENT_FMT}$")
_RE_PORT_NAME_CHARS = re.compile("^[-a-z0-9]+$")
_RE_LETTER = re.compile("[a-z]")


def max_len_error(n: int) -> str:
    return f"must be no more than {n} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    ex = " or ".join(f"'{e}'" for e in examples)
    return f"{msg} (e.g. {ex}, regex used for validation is '{fmt}')"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


EMPTY_ERROR = "must be non-empty"
NEGATIVE_ERROR = "must be greater than or equal to 0"  # apimachinery validation IsNegativeErrorMsg
IMMUTABLE_ERROR = "field is immutable"  # apimachinery validation FieldImmutableErrorMsg


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _RE_DNS1123_LABEL.match(value):
        if _RE_DNS1123_SUBDOMAIN.match(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                "and must start and end with an alphanumeric character", _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _RE_DNS1123_SUBDOMAIN.match(value):
        errs.append(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character", _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _RE_DNS1035_LABEL.match(value):
        errs.append(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character", _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _RE_WILDCARD.match(value):
        errs.append(regex_error(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must "
            "consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
            _WILDCARD_FMT, "*.example.com"))
    return errs


_QNAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
              "alphanumeric character")


_VALID_QNAMES: set = set()  # names is_qualified_name accepted (a pure check): labels repeat


def is_qualified_name(value: str) -> list[str]:
    if type(value) is str and value in _VALID_QNAMES:
        return []
    errs = _is_qualified_name(value)
    if not errs and type(value) is str and len(_VALID_QNAMES) < 8192:
        _VALID_QNAMES.add(value)
    return errs


def _is_qualified_name(value: str) -> list[str]:
    errs = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + EMPTY_ERROR)
        else:
            errs += ["prefix part " + m for m in is_dns1123_subdomain(prefix)]
    else:
        return ["a qualified name " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part " + EMPTY_ERROR)
    elif len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _RE_QNAME.match(name):
        errs.append("name part " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _RE_LABEL_VALUE.match(value):
        errs.append(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character", _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _RE_PORT_NAME_CHARS.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _RE_LETTER.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_config_map_key(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _RE_CONFIG_KEY.match(value):
        errs.append(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                _CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    # hasChDirPrefix
    if value == ".":
        errs.append("must not be '.'")
    elif value == "..":
        errs.append("must not be '..'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def is_relaxed_env_var_name(value: str) -> list[str]:
    # RelaxedEnvironmentVariableValidation is beta (on) in 1.32
    errs = []
    if not value:
        errs.append("environment variable name " + EMPTY_ERROR)
    if any(ord(c) > 126 or ord(c) < 32 or c == "=" for c in value):
        errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
    return errs


_IP_CACHE: dict[str, object] = {}  # value -> parsed address (immutable) or None; per process


def parse_ip(value: str):
    """netutils.ParseIPSloppy: IPv4 may have leading zeros. Parsed addresses are immutable,
    so each string is parsed once per command (a bulk apply validates each pod IP in its
    Endpoints and in its EndpointSlice)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return _IP_CACHE[value]
    except KeyError:
        pass
    ip = _parse_ip(value)
    if len(_IP_CACHE) >= 8192:
        _IP_CACHE.clear()
    _IP_CACHE[value] = ip
    return ip


def _parse_ip(value: str):
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        pass
    parts = value.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) < 256 for p in parts):
        return ipaddress.ip_address(".".join(str(int(p)) for p in parts))
    return None


def is_valid_ip(path: str, value: str) -> list[FieldError]:
    if parse_ip(value) is None:
        return [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


def validate_non_special_ip(value: str, path: str) -> list[FieldError]:
    ip = parse_ip(value)
    if ip is None:
        return [invalid(path, value, "must be a valid IP address")]
    if ip in _ORDINARY_IPS:
        return []
    errs = []
    if ip.is_unspecified:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local:
        errs.append(invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if ip.is_multicast and (ip in ipaddress.ip_network("224.0.0.0/24") if ip.version == 4
                            else ip in ipaddress.ip_network("ff02::/16")):
        errs.append(invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
    if not errs and len(_ORDINARY_IPS) < 8192:
        _ORDINARY_IPS.add(ip)
    return errs


_ORDINARY_IPS: set = set()  # addresses validate_non_special_ip found in no special range


def is_valid_cidr(path: str, value: str) -> list[FieldError]:
    try:
        ipaddress.ip_network(value, strict=False)
        if "/" not in value:
            raise ValueError
    except ValueError:
        return [invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    return []


# --------------------------------------------------------------------- metadata

_NAME_FNS = {
    "Service": is_dns1035_label,  # ValidateServiceName = NameIsDNS1035Label
    "Namespace": is_dns1123_label,  # ValidateNamespaceName = NameIsDNSLabel
}
_CLUSTER_SCOPED = {"Namespace", "Node", "IngressClass"}
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


def _validate_labels(labels, path: str) -> list[FieldError]:
    errs = []
    for k, v in sorted(_m(labels).items()):
        errs += [invalid(path, k, m) for m in is_qualified_name(k)]
        errs += [invalid(path, _s(v), m) for m in is_valid_label_value(_s(v))]
    return errs


def _validate_annotations(annotations, path: str) -> list[FieldError]:
    errs = []
    ann = _m(annotations)
    for k in sorted(ann):
        errs += [invalid(path, k, m) for m in is_qualified_name(k.lower())]
    size = sum(len(k.encode()) + len(_s(v).encode()) for k, v in ann.items())
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(FieldError("Too long", path, None, f"may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes",
                               has_value=False))
    return errs


def validate_object_meta(obj: dict, kind: str, path: str = "metadata") -> list[FieldError]:
    """objectmeta.go ValidateObjectMetaAccessor."""
    meta = _m(obj.get("metadata"))
    name_fn = _NAME_FNS.get(kind, is_dns1123_subdomain)
    errs = []
    gen = _s(meta.get("generateName"))
    if gen:
        masked = gen[:-1] + "a" if gen.endswith("-") else gen  # maskTrailingDash
        errs += [invalid(f"{path}.generateName", gen, m) for m in name_fn(masked)]
    name = _s(meta.get("name"))
    if not name:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    else:
        errs += [invalid(f"{path}.name", name, m) for m in name_fn(name)]
    ns = _s(meta.get("namespace"))
    if kind in _CLUSTER_SCOPED:
        if ns:
            errs.append(forbidden(f"{path}.namespace", "not allowed on this type"))
    elif ns:  # the server fills an empty namespace from the request before validating
        errs += [invalid(f"{path}.namespace", ns, m) for m in is_dns1123_label(ns)]
    if _i(meta.get("generation")) < 0:
        errs.append(invalid(f"{path}.generation", _i(meta.get("generation")), NEGATIVE_ERROR))
    errs += _validate_labels(meta.get("labels"), f"{path}.labels")
    errs += _validate_annotations(meta.get("annotations"), f"{path}.annotations")
    for i, f in enumerate(_l(meta.get("finalizers"))):
        errs += [invalid(f"{path}.finalizers", _s(f), m) for m in is_qualified_name(_s(f))]
    return errs


def validate_object_meta_update(obj: dict, old: dict, path: str = "metadata") -> list[FieldError]:
    meta, ometa = _m(obj.get("metadata")), _m(old.get("metadata"))
    errs = []
    for key in ("name", "namespace", "uid"):
        if ometa.get(key) and meta.get(key) != ometa.get(key):
            errs.append(invalid(f"{path}.{key}", _s(meta.get(key)), IMMUTABLE_ERROR))
    if ometa.get("creationTimestamp") and meta.get("creationTimestamp") not in (None, ometa.get("creationTimestamp")):
        errs.append(invalid(f"{path}.creationTimestamp", GoValue(_s(meta.get("creationTimestamp"))), IMMUTABLE_ERROR))
    return errs


# --------------------------------------------------------------------- selectors


def _validate_label_selector(sel, path: str) -> list[FieldError]:
    """meta/v1/validation ValidateLabelSelector."""
    sel = _m(sel)
    errs = []
    for i, e in enumerate(_ml(sel, "matchExpressions")):
        p = f"{path}.matchExpressions[{i}]"
        op = _s(e.get("operator"))
        values = _l(e.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{p}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{p}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(f"{p}.operator", op, "not a valid selector operator"))
        errs += [invalid(f"{p}.key", _s(e.get("key")), m) for m in is_qualified_name(_s(e.get("key")))]
    errs += _validate_labels(sel.get("matchLabels"), f"{path}.matchLabels")
    return errs


def selector_matches(sel, labels) -> bool:
    """metav1.LabelSelectorAsSelector(sel).Matches(labels); a missing selector matches nothing."""
    from minikctl.api.selectors import label_selector_matches

    return label_selector_matches(sel, labels)


def _selector_empty(sel) -> bool:
    sel = _m(sel)
    return not sel.get("matchLabels") and not sel.get("matchExpressions")


# --------------------------------------------------------------------- pods

_PROTOCOLS = ["SCTP", "TCP", "UDP"]  # sets.List(supportedPortProtocols)


def _validate_port_num_or_name(port, path: str) -> list[FieldError]:
    if isinstance(port, str):
        return [invalid(path, port, m) for m in is_valid_port_name(port)]
    n = _i(port)
    return [invalid(path, n, m) for m in is_valid_port_num(n)]


def _validate_handler(h: dict, path: str) -> list[FieldError]:
    errs = []
    count = 0
    for kind in ("exec", "httpGet", "tcpSocket", "grpc", "sleep"):
        if h.get(kind) is None:
            continue
        if count:
            errs.append(forbidden(f"{path}.{kind}", "may not specify more than 1 handler type"))
            continue
        count += 1
        a = _m(h.get(kind))
        p = f"{path}.{kind}"
        if kind == "exec":
            if not _l(a.get("command")):
                errs.append(required(f"{p}.command"))
        elif kind == "httpGet":
            if not _s(a.get("path")):
                errs.append(required(f"{p}.path"))
            errs += _validate_port_num_or_name(a.get("port"), f"{p}.port")
            scheme = _s(a.get("scheme"))
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(unsupported(f"{p}.scheme", scheme, ["HTTP", "HTTPS"]))
        elif kind == "tcpSocket":
            errs += _validate_port_num_or_name(a.get("port"), f"{p}.port")
        elif kind == "grpc":
            errs += _validate_port_num_or_name(_i(a.get("port")), f"{p}.port")
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _validate_probe(probe, path: str, which: str) -> list[FieldError]:
    if probe is None:
        return []
    p = _m(probe)
    errs = _validate_handler(p, path)
    for f in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        if _i(p.get(f)) < 0:
            errs.append(invalid(f"{path}.{f}", _i(p.get(f)), NEGATIVE_ERROR))
    tgps = p.get("terminationGracePeriodSeconds")
    if tgps is not None and _i(tgps) <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", _i(tgps), "must be greater than 0"))
    if which in ("liveness", "startup") and _i(p.get("successThreshold")) != 1:
        errs.append(invalid(f"{path}.successThreshold", _i(p.get("successThreshold")), "must be 1"))
    if which == "readiness" and tgps is not None:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", _i(tgps), "must not be set for readinessProbes"))
    return errs


_ENV_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
                    "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
                    "status.podIPs"]
_RE_SUBSCRIPT = re.compile(r"^(metadata\.(labels|annotations))\['?([^\]']*)'?\]$")


def _validate_env(env, path: str) -> list[FieldError]:
    errs = []
    for i, ev in enumerate(_ml({"e": env}, "e")):
        p = f"{path}[{i}]"
        name = _s(ev.get("name"))
        if not name:
            errs.append(required(f"{p}.name"))
        errs += [invalid(f"{p}.name", name, m) for m in is_relaxed_env_var_name(name)]
        vf = ev.get("valueFrom")
        if vf is None:
            continue
        vf = _m(vf)
        vp = f"{p}.valueFrom"
        n = 0
        for src in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"):
            if vf.get(src) is None:
                continue
            n += 1
            s = _m(vf.get(src))
            sp = f"{vp}.{src}"
            if src == "fieldRef":
                errs += _validate_object_field_selector(s, _ENV_FIELD_PATHS, sp)
            elif src == "resourceFieldRef":
                if not _s(s.get("resource")):
                    errs.append(required(f"{sp}.resource"))
            else:
                if not _s(s.get("name")):
                    errs.append(required(f"{sp}.name"))
                key = _s(s.get("key"))
                if not key:
                    errs.append(required(f"{sp}.key"))
                else:
                    errs += [invalid(f"{sp}.key", key, m) for m in is_config_map_key(key)]
        if n == 0:
            errs.append(invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
        elif _s(ev.get("value")):
            errs.append(invalid(vp, "", "may not be specified when `value` is not empty"))
        elif n > 1:
            errs.append(invalid(vp, "", "may not have more than one field specified at a time"))
    return errs


_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_SUFFIX = {"": 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
           "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def quantity_value(q) -> float | None:
    """A resource.Quantity as a number (None when it does not parse)."""
    if isinstance(q, bool):
        return None
    if isinstance(q, (int, float)):
        return float(q)
    if not isinstance(q, str):
        return None
    m = _QUANTITY.match(q.strip())
    if not m:
        return None
    num, suffix = m.groups()
    try:
        base = float(num)
    except ValueError:
        return None
    if suffix in _SUFFIX:
        return base * _SUFFIX[suffix]
    if suffix[:1] in "eE":
        try:
            return base * 10.0 ** int(suffix[1:])
        except ValueError:
            return None
        except OverflowError:  # 1e400: beyond a float, still a (huge) quantity
            return float("inf") if base > 0 else float("-inf") if base < 0 else 0.0
    return None


def _q_text(q) -> str:
    return q if isinstance(q, str) else str(q)


def _validate_resources(res, path: str) -> list[FieldError]:
    res = _m(res)
    errs = []
    limits, requests = _m(res.get("limits")), _m(res.get("requests"))
    for group, items in (("limits", limits), ("requests", requests)):
        for name in sorted(items):
            v = quantity_value(items[name])
            if v is not None and v < 0:
                errs.append(invalid(f"{path}.{group}[{name}]", _q_text(items[name]), NEGATIVE_ERROR))
            if group == "requests" and name in limits:
                lv = quantity_value(limits[name])
                if v is not None and lv is not None and v > lv:
                    errs.append(invalid(f"{path}.requests", _q_text(items[name]),
                                        f"must be less than or equal to {name} limit of {_q_text(limits[name])}"))
    return errs


def _validate_container_common(c: dict, path: str, volumes: set) -> list[FieldError]:
    errs = []
    name = _s(c.get("name"))
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += [invalid(f"{path}.name", name, m) for m in is_dns1123_label(name)]
    if not _s(c.get("image")):
        errs.append(required(f"{path}.image"))
    tmp = _s(c.get("terminationMessagePolicy"))
    if not tmp:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif tmp not in ("File", "FallbackToLogsOnError"):
        errs.append(unsupported(f"{path}.terminationMessagePolicy", tmp, ["File", "FallbackToLogsOnError"]))
    # validateContainerPorts
    names: set = set()
    for i, port in enumerate(_ml(c, "ports")):
        pp = f"{path}.ports[{i}]"
        pname = _s(port.get("name"))
        if pname:
            msgs = is_valid_port_name(pname)
            if msgs:
                errs += [invalid(f"{pp}.name", pname, m) for m in msgs]
            elif pname in names:
                errs.append(duplicate(f"{pp}.name", pname))
            else:
                names.add(pname)
        cp = _i(port.get("containerPort"))
        if cp == 0:
            errs.append(required(f"{pp}.containerPort"))
        else:
            errs += [invalid(f"{pp}.containerPort", cp, m) for m in is_valid_port_num(cp)]
        hp = _i(port.get("hostPort"))
        if hp:
            errs += [invalid(f"{pp}.hostPort", hp, m) for m in is_valid_port_num(hp)]
        proto = _s(port.get("protocol"))
        if not proto:
            errs.append(required(f"{pp}.protocol"))
        elif proto not in _PROTOCOLS:
            errs.append(unsupported(f"{pp}.protocol", proto, _PROTOCOLS))
    errs += _validate_env(c.get("env"), f"{path}.env")
    for i, ef in enumerate(_ml(c, "envFrom")):
        ep = f"{path}.envFrom[{i}]"
        prefix = _s(ef.get("prefix"))
        if prefix:
            errs += [invalid(f"{ep}.prefix", prefix, m) for m in is_relaxed_env_var_name(prefix)]
        refs = [r for r in ("configMapRef", "secretRef") if ef.get(r) is not None]
        if not refs:
            errs.append(invalid(ep, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif len(refs) > 1:
            errs.append(invalid(ep, "", "may not have more than one field specified at a time"))
        else:
            ref = _m(ef.get(refs[0]))
            rname = _s(ref.get("name"))
            if not rname:
                errs.append(required(f"{ep}.{refs[0]}.name"))
            else:
                errs += [invalid(f"{ep}.{refs[0]}.name", rname, m) for m in is_dns1123_subdomain(rname)]
    # ValidateVolumeMounts
    mount_paths: set = set()
    for i, vm in enumerate(_ml(c, "volumeMounts")):
        vp = f"{path}.volumeMounts[{i}]"
        vname = _s(vm.get("name"))
        if not vname:
            errs.append(required(f"{vp}.name"))
        if vname not in volumes:
            errs.append(FieldError("Not found", f"{vp}.name", vname))
        mp = _s(vm.get("mountPath"))
        if not mp:
            errs.append(required(f"{vp}.mountPath"))
        if mp in mount_paths:
            errs.append(invalid(f"{vp}.mountPath", mp, "must be unique"))
        mount_paths.add(mp)
        sub = _s(vm.get("subPath"))
        if sub:
            # upstream reports it at volumeMounts.subPath, without the index
            errs += _validate_local_descending_path(sub, f"{path}.volumeMounts.subPath")
    pull = _s(c.get("imagePullPolicy"))
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in ("Always", "IfNotPresent", "Never"):
        errs.append(unsupported(f"{path}.imagePullPolicy", pull, ["Always", "IfNotPresent", "Never"]))
    errs += _validate_resources(c.get("resources"), f"{path}.resources")
    return errs


# ----------------------------------------------------------------------------- volumes
# pkg/apis/core/validation/validation.go validateVolumeSource and the per-type validators
_VOLUME_TYPES = ("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
                 "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte",
                 "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume",
                 "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi",
                 "ephemeral", "image")
# the field names of the "more than 1" errors (upstream spells two of them differently)
_VOLUME_TYPE_PATHS = {"downwardAPI": "downwarAPI", "cephfs": "cephFS"}
FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
_HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
_VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                       "metadata.uid"]


def _validate_path_no_backsteps(target: str, path: str) -> list[FieldError]:
    if ".." in target.split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def _validate_local_descending_path(target: str, path: str) -> list[FieldError]:
    errs = []
    if target.startswith("/"):
        errs.append(invalid(path, target, "must be a relative path"))
    return errs + _validate_path_no_backsteps(target, path)


def _validate_local_non_reserved_path(target: str, path: str) -> list[FieldError]:
    errs = _validate_local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid(path, target, "must not start with '..'"))
    return errs


def _validate_mode(src: dict, key: str, path: str) -> list[FieldError]:
    mode = src.get(key)
    if mode is not None and isinstance(mode, int) and not 0 <= mode <= 0o777:
        return [invalid(f"{path}.{key}", mode, FILE_MODE_ERROR)]
    return []


def _validate_key_to_path(kp: dict, path: str) -> list[FieldError]:
    errs = []
    if not _s(kp.get("key")):
        errs.append(required(f"{path}.key"))
    p = _s(kp.get("path"))
    if not p:
        errs.append(required(f"{path}.path"))
    errs += _validate_local_non_reserved_path(p, f"{path}.path")
    return errs + _validate_mode(kp, "mode", path)


def _validate_object_field_selector(fs: dict, allowed, path: str) -> list[FieldError]:
    """validateObjectFieldSelector (pkg/apis/core/validation): apiVersion, then fieldPath, each
    required (the first missing one is the only error), then the path checked against the ones
    the caller allows (env vars and downwardAPI volumes allow different sets)."""
    if not _s(fs.get("apiVersion")):
        return [required(f"{path}.apiVersion")]
    fp = _s(fs.get("fieldPath"))
    if not fp:
        return [required(f"{path}.fieldPath")]
    m = _RE_SUBSCRIPT.match(fp)
    if m:
        return [invalid(f"{path}.fieldPath", m.group(3), msg) for msg in is_qualified_name(m.group(3).lower())]
    if fp not in allowed:
        return [unsupported(f"{path}.fieldPath", fp, allowed)]
    return []


def _validate_downward_file(f: dict, path: str) -> list[FieldError]:
    errs = []
    p = _s(f.get("path"))
    if not p:
        errs.append(required(f"{path}.path"))
    errs += _validate_local_non_reserved_path(p, f"{path}.path")
    if f.get("fieldRef") is not None:
        errs += _validate_object_field_selector(_m(f.get("fieldRef")), _VOLUME_FIELD_PATHS, f"{path}.fieldRef")
        if f.get("resourceFieldRef") is not None:
            errs.append(invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
    elif f.get("resourceFieldRef") is not None:
        if not _s(_m(f.get("resourceFieldRef")).get("resource")):
            errs.append(required(f"{path}.resourceFieldRef.resource"))
    else:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    return errs + _validate_mode(f, "mode", path)


def _validate_volume_source(v: dict, path: str) -> list[FieldError]:
    errs = []
    n = 0
    for t in _VOLUME_TYPES:
        if v.get(t) is None:
            continue
        if n > 0:
            errs.append(forbidden(f"{path}.{_VOLUME_TYPE_PATHS.get(t, t)}", "may not specify more than 1 volume type"))
            continue
        n += 1
        src = _m(v.get(t))
        tp = f"{path}.{t}"
        if t == "emptyDir":
            if src.get("sizeLimit") is not None and (quantity_value(src["sizeLimit"]) or 0) < 0:
                errs.append(forbidden(f"{tp}.sizeLimit", "SizeLimit field must be a valid resource quantity"))
        elif t == "hostPath":
            hp = _s(src.get("path"))
            if not hp:
                errs.append(required(f"{tp}.path"))
                continue
            errs += _validate_path_no_backsteps(hp, f"{tp}.path")
            if src.get("type") is not None and _s(src.get("type")) not in _HOST_PATH_TYPES:
                errs.append(unsupported(f"{tp}.type", _s(src.get("type")), _HOST_PATH_TYPES))
        elif t in ("secret", "configMap"):
            key = "secretName" if t == "secret" else "name"
            if not _s(src.get(key)):
                errs.append(required(f"{tp}.{key}"))
            errs += _validate_mode(src, "defaultMode", tp)
            for i, kp in enumerate(_ml(src, "items")):
                errs += _validate_key_to_path(kp, f"{tp}.items[{i}]")
        elif t == "persistentVolumeClaim":
            if not _s(src.get("claimName")):
                errs.append(required(f"{tp}.claimName"))
        elif t == "nfs":
            if not _s(src.get("server")):
                errs.append(required(f"{tp}.server"))
            if not _s(src.get("path")):
                errs.append(required(f"{tp}.path"))
            if not _s(src.get("path")).startswith("/"):
                errs.append(invalid(f"{tp}.path", _s(src.get("path")), "must be an absolute path"))
        elif t == "downwardAPI":
            errs += _validate_mode(src, "defaultMode", tp)
            for f in _ml(src, "items"):
                errs += _validate_downward_file(f, tp)  # upstream passes the volume's path, not the item's
        elif t == "projected":
            errs += _validate_mode(src, "defaultMode", tp)
            errs += _validate_projection_sources(src, tp)
    if n == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def _validate_projection_sources(proj: dict, path: str) -> list[FieldError]:
    errs = []
    seen: set = set()
    for i, source in enumerate(_ml(proj, "sources")):
        sp = f"{path}.sources[{i}]"
        n = 0
        for kind, key in (("secret", "name"), ("configMap", "name")):
            if source.get(kind) is None:
                continue
            n += 1
            s = _m(source.get(kind))
            if not _s(s.get("name")):
                errs.append(required(f"{sp}.{kind}.name"))
            for j, kp in enumerate(_ml(s, "items")):
                errs += _validate_key_to_path(kp, f"{sp}.{kind}.items[{j}]")
                p = _s(kp.get("path"))
                if p:
                    if p in seen:
                        errs.append(invalid(path, _s(s.get("name")), "conflicting duplicate paths"))
                    seen.add(p)
        if source.get("downwardAPI") is not None:
            n += 1
            for f in _ml(_m(source.get("downwardAPI")), "items"):
                errs += _validate_downward_file(f, f"{sp}.downwardAPI")
                p = _s(f.get("path"))
                if p:
                    if p in seen:
                        errs.append(invalid(path, p, "conflicting duplicate paths"))
                    seen.add(p)
        if source.get("serviceAccountToken") is not None:
            n += 1
            s = _m(source.get("serviceAccountToken"))
            exp = _i(s.get("expirationSeconds")) if s.get("expirationSeconds") is not None else 3600
            if exp < 600:
                errs.append(invalid(f"{sp}.serviceAccountToken.expirationSeconds", exp,
                                    "may not specify a duration less than 10 minutes"))
            if exp > 1 << 32:
                errs.append(invalid(f"{sp}.serviceAccountToken.expirationSeconds", exp,
                                    "may not specify a duration larger than 2^32 seconds"))
            p = _s(s.get("path"))
            if not p:
                errs.append(required(f"{path}.path"))
            else:
                errs += _validate_local_non_reserved_path(p, f"{path}.path")
        if n > 1:
            errs.append(forbidden(sp, "may not specify more than 1 volume type per source"))
    return errs


def validate_pod_spec(spec, path: str) -> list[FieldError]:
    """ValidatePodSpec (the parts minikctl models)."""
    spec = _m(spec)
    errs = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    # ValidateVolumes: the source's errors, then the name's; a volume with errors is not
    # known to the volumeMounts (they then say Not found too)
    volumes: set = set()
    for i, v in enumerate(_ml(spec, "volumes")):
        vp = f"{path}.volumes[{i}]"
        vname = _s(v.get("name"))
        el = _validate_volume_source(v, vp)
        if not vname:
            el.append(required(f"{vp}.name"))
        else:
            el += [invalid(f"{vp}.name", vname, m) for m in is_dns1123_label(vname)]
        if vname in volumes:
            el.append(duplicate(f"{vp}.name", vname))
        if not el:
            volumes.add(vname)
        errs += el
    # validateContainers
    containers = _ml(spec, "containers")
    cpath = f"{path}.containers"
    if not containers:
        errs.append(required(cpath))
    names: set = set()
    for i, c in enumerate(containers):
        p = f"{cpath}[{i}]"
        errs += _validate_container_common(c, p, volumes)
        cname = _s(c.get("name"))
        if cname in names:
            errs.append(duplicate(f"{p}.name", cname))
        else:
            names.add(cname)
        errs += _validate_probe(c.get("livenessProbe"), f"{p}.livenessProbe", "liveness")
        errs += _validate_probe(c.get("readinessProbe"), f"{p}.readinessProbe", "readiness")
        errs += _validate_probe(c.get("startupProbe"), f"{p}.startupProbe", "startup")
        if c.get("restartPolicy") is not None:
            errs.append(forbidden(f"{p}.restartPolicy", "may not be set for non-init containers"))
    for i, c in enumerate(_ml(spec, "initContainers")):
        p = f"{path}.initContainers[{i}]"
        errs += _validate_container_common(c, p, volumes)
        cname = _s(c.get("name"))
        if cname in names:
            errs.append(duplicate(f"{p}.name", cname))
        else:
            names.add(cname)
    rp = _s(spec.get("restartPolicy"))
    if not rp:
        errs.append(required(f"{path}.restartPolicy"))
    elif rp not in ("Always", "OnFailure", "Never"):
        errs.append(unsupported(f"{path}.restartPolicy", rp, ["Always", "OnFailure", "Never"]))
    dp = _s(spec.get("dnsPolicy"))
    if not dp:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dp not in ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"):
        errs.append(unsupported(f"{path}.dnsPolicy", dp, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]))
    errs += _validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    sa = _s(spec.get("serviceAccountName"))
    if sa:
        errs += [invalid(f"{path}.serviceAccountName", sa, m) for m in is_dns1123_subdomain(sa)]
    node = _s(spec.get("nodeName"))
    if node:
        errs += [invalid(f"{path}.nodeName", node, m) for m in is_dns1123_subdomain(node)]
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and not 1 <= _i(ads) <= 2**31 - 1:
        errs.append(invalid(f"{path}.activeDeadlineSeconds", _i(ads), inclusive_range_error(1, 2**31 - 1)))
    for f in ("hostname", "subdomain"):
        v = _s(spec.get(f))
        if v:
            errs += [invalid(f"{path}.{f}", v, m) for m in is_dns1123_label(v)]
    return errs


def validate_pod_template(template, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec."""
    t = _m(template)
    meta = _m(t.get("metadata"))
    errs = _validate_labels(meta.get("labels"), f"{path}.labels")
    errs += _validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += validate_pod_spec(t.get("spec"), f"{path}.spec")
    if _l(_m(t.get("spec")).get("ephemeralContainers")):
        errs.append(forbidden(f"{path}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    return errs


def _validate_pod(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Pod")
    errs += validate_pod_spec(obj.get("spec"), "spec")
    return errs


# --------------------------------------------------------------------- services


def _cluster_ips(spec: dict) -> list:
    ips = _l(spec.get("clusterIPs"))
    if not ips and _s(spec.get("clusterIP")):
        ips = [spec["clusterIP"]]  # the strategy syncs clusterIPs from clusterIP before validating
    return ips


def _is_headless(spec: dict) -> bool:
    ips = _cluster_ips(spec)
    return len(ips) == 1 and ips[0] == "None"


def _externally_accessible(spec: dict) -> bool:
    t = spec.get("type")
    return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(_l(spec.get("externalIPs"))))


def _go_service_port(p: dict) -> GoValue:
    """The core.ServicePort{Protocol, Port} key ValidateService reports as a duplicate (%#v)."""
    return GoValue(
        f'core.ServicePort{{Name:"", Protocol:{_gq(_s(p.get("protocol")))}, AppProtocol:(*string)(nil), '
        f'Port:{_i(p.get("port"))}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, NodePort:0}}'
    )


def _validate_service(obj: dict) -> list[FieldError]:
    """ValidateService."""
    errs = validate_object_meta(obj, "Service")
    spec = _m(obj.get("spec"))
    stype = _s(spec.get("type"))
    ports = _ml(spec, "ports")
    headless = _is_headless(spec)
    ips = _cluster_ips(spec)
    if not ports and not headless and stype != "ExternalName":
        errs.append(required("spec.ports"))
    if stype == "LoadBalancer" and headless:
        errs.append(invalid("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for LoadBalancer services"))
    elif stype == "NodePort" and headless:
        errs.append(invalid("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for NodePort services"))
    elif stype == "ExternalName":
        if ips:
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if _l(spec.get("ipFamilies")):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = _s(spec.get("externalName"))
        cname = cname[:-1] if cname.endswith(".") else cname
        if cname:
            errs += [invalid("spec.externalName", cname, m) for m in is_dns1123_subdomain(cname)]
        else:
            errs.append(required("spec.externalName"))
    # validateServicePort
    names: set = set()
    for i, p in enumerate(ports):
        pp = f"spec.ports[{i}]"
        pname = _s(p.get("name"))
        if len(ports) > 1 and not pname:
            errs.append(required(f"{pp}.name"))
        elif pname:
            errs += [invalid(f"{pp}.name", pname, m) for m in is_dns1123_label(pname)]
            if pname in names:
                errs.append(duplicate(f"{pp}.name", pname))
            else:
                names.add(pname)
        port = _i(p.get("port"))
        errs += [invalid(f"{pp}.port", port, m) for m in is_valid_port_num(port)]
        proto = _s(p.get("protocol"))
        if not proto:
            errs.append(required(f"{pp}.protocol"))
        elif proto not in _PROTOCOLS:
            errs.append(unsupported(f"{pp}.protocol", proto, _PROTOCOLS))
        errs += _validate_port_num_or_name(p.get("targetPort"), f"{pp}.targetPort")
        ap = p.get("appProtocol")
        if isinstance(ap, str):
            errs += [invalid(f"{pp}.appProtocol", ap, m) for m in is_qualified_name(ap)]
    if spec.get("selector") is not None:
        errs += _validate_labels(spec.get("selector"), "spec.selector")
    aff = _s(spec.get("sessionAffinity"))
    if not aff:
        errs.append(required("spec.sessionAffinity"))
    elif aff not in ("ClientIP", "None"):
        errs.append(unsupported("spec.sessionAffinity", aff, ["ClientIP", "None"]))
    if aff == "ClientIP":
        # validateClientIPAffinityConfig
        cfg = spec.get("sessionAffinityConfig")
        when = "when session affinity type is ClientIP"
        client = _m(cfg).get("clientIP")
        if cfg is None:
            errs.append(required("spec.sessionAffinityConfig", when))
        elif client is None:
            errs.append(required("spec.sessionAffinityConfig.clientIP", when))
        elif _m(client).get("timeoutSeconds") is None:
            errs.append(required("spec.sessionAffinityConfig.clientIP.timeoutSeconds", when))
        else:
            t = _i(_m(client).get("timeoutSeconds"))
            if t <= 0 or t > 86400:
                errs.append(invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", t,
                                    "must be greater than 0 and less than 86400"))
    elif aff == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    errs += _validate_cluster_ips(spec)
    for i, ip in enumerate(_l(spec.get("externalIPs"))):
        p = f"spec.externalIPs[{i}]"
        bad = is_valid_ip(p, _s(ip))
        errs += bad or validate_non_special_ip(_s(ip), p)
    if not stype:
        errs.append(required("spec.type"))
    elif stype not in ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"):
        errs.append(unsupported("spec.type", stype, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]))
    if stype == "ClusterIP":
        for i, p in enumerate(ports):
            if _i(p.get("nodePort")):
                errs.append(forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"))
    seen_np: set = set()
    for i, p in enumerate(ports):
        np_ = _i(p.get("nodePort"))
        if not np_:
            continue
        key = (_s(p.get("protocol")), np_)
        if key in seen_np:
            errs.append(duplicate(f"spec.ports[{i}].nodePort", np_))
        seen_np.add(key)
    seen: set = set()
    for i, p in enumerate(ports):
        key = (_s(p.get("protocol")), _i(p.get("port")))
        if key in seen:
            errs.append(duplicate(f"spec.ports[{i}]", _go_service_port(p)))
        seen.add(key)
    ranges = _l(spec.get("loadBalancerSourceRanges"))
    if ranges:
        fp = "spec.LoadBalancerSourceRanges"
        if stype != "LoadBalancer":
            errs.append(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"))
        for i, r in enumerate(ranges):
            errs += is_valid_cidr(f"{fp}[{i}]", _s(r).strip())
    if spec.get("allocateLoadBalancerNodePorts") is not None and stype != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    if stype == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    lbc = spec.get("loadBalancerClass")
    if isinstance(lbc, str):
        if stype != "LoadBalancer":
            errs.append(forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"))
        else:
            errs += [invalid("spec.loadBalancerClass", lbc, m) for m in is_qualified_name(lbc)]
    # validateServiceExternalTrafficPolicy
    etp = _s(spec.get("externalTrafficPolicy"))
    if not _externally_accessible(spec):
        if etp:
            errs.append(invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"))
    elif not etp:
        errs.append(required("spec.externalTrafficPolicy"))
    elif etp not in ("Cluster", "Local"):
        errs.append(unsupported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]))
    hc = _i(spec.get("healthCheckNodePort"))
    if not (stype == "LoadBalancer" and etp == "Local"):
        if hc:
            errs.append(invalid("spec.healthCheckNodePort", hc,
                                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif hc:
        errs += [invalid("spec.healthCheckNodePort", hc, m) for m in is_valid_port_num(hc)]
    # validateServiceInternalTrafficFieldsValue
    itp = spec.get("internalTrafficPolicy")
    if itp is None:
        if stype in ("NodePort", "LoadBalancer", "ClusterIP"):
            errs.append(required("spec.internalTrafficPolicy"))
    elif _s(itp) not in ("Cluster", "Local"):
        errs.append(unsupported("spec.internalTrafficPolicy", _s(itp), ["Cluster", "Local"]))
    td = spec.get("trafficDistribution")
    if td is not None and td != "PreferClose":
        errs.append(unsupported("spec.trafficDistribution", _s(td), ["PreferClose"]))
    return errs


def _validate_cluster_ips(spec: dict) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields (clusterIPs synced from clusterIP, as the strategy does)."""
    if spec.get("type") == "ExternalName":
        return []
    errs = []
    ips = _cluster_ips(spec)
    cip = _s(spec.get("clusterIP"))
    if cip and ips and ips[0] != cip:
        errs.append(invalid("spec.clusterIPs", go_string_list(ips), "first value must match `clusterIP`"))
    elif not cip and _l(spec.get("clusterIPs")):
        errs.append(invalid("spec.clusterIPs", go_string_list(ips), "must be empty when `clusterIP` is not specified"))
    seen: set = set()
    for i, fam in enumerate(_l(spec.get("ipFamilies"))):
        if fam not in ("IPv4", "IPv6"):
            errs.append(unsupported(f"spec.ipFamilies[{i}]", _s(fam), ["IPv4", "IPv6"]))
        if fam in seen:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", _s(fam)))
        seen.add(fam)
    pol = spec.get("ipFamilyPolicy")
    if pol is not None and pol not in ("PreferDualStack", "RequireDualStack", "SingleStack"):
        errs.append(unsupported("spec.ipFamilyPolicy", _s(pol), ["PreferDualStack", "RequireDualStack", "SingleStack"]))
    bad = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                bad = True
                errs.append(invalid("spec.clusterIPs", go_string_list(ips), "'None' must be the first and only value"))
            continue
        e = is_valid_ip(f"spec.clusterIPs[{i}]", _s(ip))
        bad = bad or bool(e)
        errs += e
    if len(ips) > 2:
        errs.append(invalid("spec.clusterIPs", go_string_list(ips), "may only hold up to 2 values"))
    if bad:
        return errs
    if len(ips) > 1:
        versions = {parse_ip(_s(ip)).version for ip in ips}
        if len(versions) != len(ips):
            errs.append(invalid("spec.clusterIPs", go_string_list(ips), "may specify no more than one IP for each IP family"))
    fams = _l(spec.get("ipFamilies"))
    if not _is_headless(spec):
        for i, ip in enumerate(ips[: len(fams)]):
            v6 = parse_ip(_s(ip)).version == 6
            if fams[i] == "IPv4" and v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip, f"expected an IPv4 value as indicated by `ipFamilies[{i}]`"))
            if fams[i] == "IPv6" and not v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip, f"expected an IPv6 value as indicated by `ipFamilies[{i}]`"))
    return errs


def _validate_service_update(obj: dict, old: dict) -> list[FieldError]:
    """validateUpgradeDowngradeClusterIPs / IPFamilies and the healthCheckNodePort rule of ValidateServiceUpdate."""
    spec, ospec = _m(obj.get("spec")), _m(old.get("spec"))
    errs = []
    if spec.get("type") == "ExternalName" or ospec.get("type") == "ExternalName":
        return errs
    new_ips, old_ips = _cluster_ips(spec), _cluster_ips(ospec)
    if not (_is_headless(spec) and _is_headless(ospec)):
        if len(old_ips) == len(new_ips):
            for i, ip in enumerate(old_ips):
                if ip != new_ips[i]:
                    errs.append(invalid(f"spec.clusterIPs[{i}]", go_string_list(new_ips), "may not change once set"))
        elif len(old_ips) > len(new_ips):
            if not new_ips:
                errs.append(invalid("spec.clusterIPs[0]", go_string_list(new_ips), "primary clusterIP can not be unset"))
            elif new_ips[0] != old_ips[0]:
                errs.append(invalid("spec.clusterIPs[0]", go_string_list(new_ips), "may not change once set"))
        elif old_ips and new_ips[0] != old_ips[0]:
            errs.append(invalid("spec.clusterIPs[0]", go_string_list(new_ips), "may not change once set"))
    if _is_headless(spec) == _is_headless(ospec) and not _is_headless(spec):
        nf, of = _l(spec.get("ipFamilies")), _l(ospec.get("ipFamilies"))
        if len(nf) == len(of) and nf != of:
            errs.append(invalid("spec.ipFamilies[0]", GoValue("[]core.IPFamily{" + ", ".join(_gq(_s(f)) for f in nf) + "}"),
                                "may not change once set"))
    def needs_hc(s):
        return s.get("type") == "LoadBalancer" and s.get("externalTrafficPolicy") == "Local"
    if needs_hc(spec) and needs_hc(ospec) and _i(spec.get("healthCheckNodePort")) != _i(ospec.get("healthCheckNodePort")):
        errs.append(forbidden("spec.healthCheckNodePort", IMMUTABLE_ERROR))
    return errs


# --------------------------------------------------------------------- endpoints


def _validate_endpoints(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Endpoints")
    for i, ss in enumerate(_ml(obj, "subsets")):
        p = f"subsets[{i}]"
        if not _l(ss.get("addresses")) and not _l(ss.get("notReadyAddresses")):
            errs.append(required(p, "must specify `addresses` or `notReadyAddresses`"))
        for group in ("addresses", "notReadyAddresses"):
            for j, a in enumerate(_ml(ss, group)):
                ap = f"{p}.{group}[{j}]"
                ip = _s(a.get("ip"))
                errs += is_valid_ip(f"{ap}.ip", ip)
                host = _s(a.get("hostname"))
                if host:
                    errs += [invalid(f"{ap}.hostname", host, m) for m in is_dns1123_label(host)]
                node = a.get("nodeName")
                if isinstance(node, str):
                    errs += [invalid(f"{ap}.nodeName", node, m) for m in is_dns1123_subdomain(node)]
                errs += validate_non_special_ip(ip, f"{ap}.ip")
        ports = _ml(ss, "ports")
        for j, port in enumerate(ports):
            pp = f"{p}.ports[{j}]"
            pname = _s(port.get("name"))
            if len(ports) > 1 and not pname:
                errs.append(required(f"{pp}.name"))
            elif pname:
                errs += [invalid(f"{pp}.name", pname, m) for m in is_dns1123_label(pname)]
            n = _i(port.get("port"))
            errs += [invalid(f"{pp}.port", n, m) for m in is_valid_port_num(n)]
            proto = _s(port.get("protocol"))
            if not proto:
                errs.append(required(f"{pp}.protocol"))
            elif proto not in _PROTOCOLS:
                errs.append(unsupported(f"{pp}.protocol", proto, _PROTOCOLS))
    return errs


def _validate_endpoint_slice(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "EndpointSlice")
    at = _s(obj.get("addressType"))
    if at not in ("FQDN", "IPv4", "IPv6"):
        errs.append(unsupported("addressType", at, ["FQDN", "IPv4", "IPv6"]))
    for i, ep in enumerate(_ml(obj, "endpoints")):
        p = f"endpoints[{i}].addresses"
        addrs = _l(ep.get("addresses"))
        if not addrs:
            errs.append(required(p, "must contain at least 1 address"))
        for j, a in enumerate(addrs):
            ip = parse_ip(_s(a))
            if at == "IPv4" and (ip is None or ip.version != 4 or _s(a) != str(ip)):
                errs.append(invalid(f"{p}[{j}]", _s(a), "must be a valid IPv4 address"))
            elif at == "IPv6" and (ip is None or ip.version != 6):
                errs.append(invalid(f"{p}[{j}]", _s(a), "must be a valid IPv6 address"))
    for i, port in enumerate(_ml(obj, "ports")):
        n = port.get("port")
        if n is not None:
            errs += [invalid(f"ports[{i}].port", _i(n), m) for m in is_valid_port_num(_i(n))]
        proto = port.get("protocol")
        if proto is not None and proto not in _PROTOCOLS:
            errs.append(unsupported(f"ports[{i}].protocol", _s(proto), _PROTOCOLS))
    return errs


# --------------------------------------------------------------------- workloads


def _validate_template_for_rs(spec: dict, selector_ok: bool, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (and ...ForRC); selector_ok: the selector matches the labels."""
    errs = []
    template = spec.get("template")
    if template is None:
        return [required(path)]
    t = _m(template)
    if not selector_ok:
        labels = _m(t.get("metadata")).get("labels")
        errs.append(invalid(f"{path}.metadata.labels", go_string_map(labels), "`selector` does not match template `labels`"))
    errs += validate_pod_template(t, path)
    tspec = _m(t.get("spec"))
    rp = _s(tspec.get("restartPolicy"))
    if rp != "Always":
        errs.append(unsupported(f"{path}.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(invalid(f"{path}.spec.activeDeadlineSeconds", _i(tspec.get("activeDeadlineSeconds")), "must not be specified"))
    return errs


def _validate_selector_and_template(spec: dict) -> list[FieldError]:
    errs = []
    sel = spec.get("selector")
    if sel is None:
        errs.append(required("spec.selector"))
    else:
        errs += _validate_label_selector(sel, "spec.selector")
        if _selector_empty(sel):
            errs.append(invalid("spec.selector", _go_label_selector(sel), "empty selector is invalid for deployment"))
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    # an empty selector selects everything; a missing one nothing (labels.Nothing())
    ok = sel is not None and (_selector_empty(sel) or selector_matches(sel, labels))
    errs += _validate_template_for_rs(spec, ok, "spec.template")
    return errs


def _int_or_percent(v, path: str) -> list[FieldError]:
    """apps ValidatePositiveIntOrPercent."""
    if isinstance(v, str):
        if not _RE_PERCENT.match(v):
            return [invalid(path, GoValue(_go_intstr(v)), regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'", _PERCENT_FMT, "1%", "93%"))]
        return []
    n = _i(v)
    return [invalid(path, n, NEGATIVE_ERROR)] if n < 0 else []


def _percent_value(v) -> int | None:
    if isinstance(v, str) and _RE_PERCENT.match(v):
        return int(v[:-1])
    return None


INT32_MAX = 2**31 - 1
# The emulator's capacity (README, "Capacity"): a workload may ask for at most this many
# pods, and the replica controllers create no pod beyond it in a cluster. Kubernetes'
# own tested limit is 150,000 pods per cluster; an emulated pod costs about a millisecond
# of one command's write transaction, so this bound keeps any command under a minute.
MAX_PODS = 50_000
_WORKLOADS = {"Deployment": "deployments.apps", "ReplicaSet": "replicasets.apps",
              "ReplicationController": "replicationcontrollers", "StatefulSet": "statefulsets.apps"}


def _replicas_errors(spec: dict) -> list[FieldError]:
    """ValidateNonnegativeField; and int32's upper bound, which the API server's decoder
    enforces first (json: cannot unmarshal number ... of type int32): a value past it that
    reaches validation some other way is refused here instead of being acted on."""
    n = _i(spec.get("replicas"))
    if n < 0:
        return [invalid("spec.replicas", n, NEGATIVE_ERROR)]
    if n > INT32_MAX:
        return [invalid("spec.replicas", n, f"must be less than or equal to {INT32_MAX}")]
    return []


def admit_capacity(obj: dict) -> None:
    """The emulator's admission check, after validation (as kube-apiserver's validating
    admission plugins run after the type's validation): a workload that asks for more pods
    than the emulator runs is refused before anything is written, as ResourceQuota refuses
    an object over quota (Forbidden)."""
    resource = _WORKLOADS.get(obj.get("kind"))
    if resource is None:
        return
    n = _i(_m(obj.get("spec")).get("replicas"))
    if n > MAX_PODS:
        from minikctl.api.errors import Forbidden

        name = _s(_m(obj.get("metadata")).get("name"))
        raise Forbidden(f'{resource} "{name}" is forbidden: spec.replicas: {n} is more than this emulator runs: '
                        f"at most {MAX_PODS} pods per cluster")


def _validate_deployment(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Deployment")
    spec = _m(obj.get("spec"))
    errs += _replicas_errors(spec)
    errs += _validate_selector_and_template(spec)
    strategy = _m(spec.get("strategy"))
    st = _s(strategy.get("type"))
    if st == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
    elif st == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            errs.append(required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"))
        else:
            ru = _m(ru)
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _int_or_percent(mu, "spec.strategy.rollingUpdate.maxUnavailable")
            errs += _int_or_percent(ms, "spec.strategy.rollingUpdate.maxSurge")
            def value(v):
                p = _percent_value(v)
                return p if p is not None else (_i(v) if not isinstance(v, str) else 0)
            if value(mu) == 0 and value(ms) == 0:
                errs.append(invalid("spec.strategy.rollingUpdate.maxUnavailable", GoValue(_go_intstr(mu)),
                                    "may not be 0 when `maxSurge` is 0"))
            pv = _percent_value(mu)
            if pv is not None and pv > 100:
                errs.append(invalid("spec.strategy.rollingUpdate.maxUnavailable", GoValue(_go_intstr(mu)),
                                    "must not be greater than 100%"))
    else:
        errs.append(unsupported("spec.strategy.type", st, ["Recreate", "RollingUpdate"]))
    mrs = _i(spec.get("minReadySeconds"))
    if mrs < 0:
        errs.append(invalid("spec.minReadySeconds", mrs, NEGATIVE_ERROR))
    rhl = spec.get("revisionHistoryLimit")
    if rhl is not None and _i(rhl) < 0:
        errs.append(invalid("spec.revisionHistoryLimit", _i(rhl), NEGATIVE_ERROR))
    pds = spec.get("progressDeadlineSeconds")
    if pds is not None:
        if _i(pds) < 0:
            errs.append(invalid("spec.progressDeadlineSeconds", _i(pds), NEGATIVE_ERROR))
        if _i(pds) <= mrs:
            errs.append(invalid("spec.progressDeadlineSeconds", _i(pds), "must be greater than minReadySeconds"))
    return errs


def _validate_replica_set(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ReplicaSet")
    spec = _m(obj.get("spec"))
    errs += _replicas_errors(spec)
    if _i(spec.get("minReadySeconds")) < 0:
        errs.append(invalid("spec.minReadySeconds", _i(spec.get("minReadySeconds")), NEGATIVE_ERROR))
    errs += _validate_selector_and_template(spec)
    return errs


def _validate_replication_controller(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ReplicationController")
    spec = _m(obj.get("spec"))
    if _i(spec.get("minReadySeconds")) < 0:
        errs.append(invalid("spec.minReadySeconds", _i(spec.get("minReadySeconds")), NEGATIVE_ERROR))
    sel = _m(spec.get("selector"))
    if not sel:
        errs.append(required("spec.selector"))
    errs += _replicas_errors(spec)
    labels = _m(_m(_m(spec.get("template")).get("metadata")).get("labels"))
    ok = not sel or all(labels.get(k) == v for k, v in sel.items())
    errs += _validate_template_for_rs(spec, ok, "spec.template")
    if spec.get("template") is not None and _m(_m(spec.get("template")).get("spec")).get("activeDeadlineSeconds") is not None:
        # ValidatePodTemplateSpecForRC words it differently from the ReplicaSet check
        errs = [e for e in errs if e.field != "spec.template.spec.activeDeadlineSeconds"]
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in ReplicationController is not Supported"))
    return errs


# --- issue 11: DaemonSet (w-ds)
def _validate_daemon_set(obj: dict) -> list[FieldError]:
    """pkg/apis/apps/validation ValidateDaemonSet / ValidateDaemonSetSpec (1.32)."""
    errs = validate_object_meta(obj, "DaemonSet")
    spec = _m(obj.get("spec"))
    sel = spec.get("selector")
    if sel is not None:
        errs += _validate_label_selector(sel, "spec.selector")
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    # LabelSelectorAsSelector(nil) is labels.Nothing(): a missing selector matches no labels
    if sel is None or not (_selector_empty(sel) or selector_matches(sel, labels)):
        errs.append(invalid("spec.template.metadata.labels", go_string_map(labels),
                            "`selector` does not match template `labels`"))
    if sel is not None and _selector_empty(sel):
        errs.append(invalid("spec.selector", _go_label_selector(sel), "empty selector is invalid for daemonset"))
    t = _m(spec.get("template"))
    errs += validate_pod_template(t, "spec.template")
    tspec = _m(t.get("spec"))
    rp = _s(tspec.get("restartPolicy"))
    if rp != "Always":
        errs.append(unsupported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in DaemonSet is not Supported"))
    mrs = _i(spec.get("minReadySeconds"))
    if mrs < 0:
        errs.append(invalid("spec.minReadySeconds", mrs, NEGATIVE_ERROR))
    strategy = _m(spec.get("updateStrategy"))
    st = _s(strategy.get("type"))
    if st == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            errs.append(required("spec.updateStrategy.rollingUpdate"))
        else:
            ru = _m(ru)
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _int_or_percent(mu, "spec.updateStrategy.rollingUpdate.maxUnavailable")
            errs += _int_or_percent(ms, "spec.updateStrategy.rollingUpdate.maxSurge")
            for v, f in ((mu, "maxUnavailable"), (ms, "maxSurge")):
                pv = _percent_value(v)
                if pv is not None and pv > 100:
                    errs.append(invalid(f"spec.updateStrategy.rollingUpdate.{f}", GoValue(_go_intstr(v)),
                                        "must not be greater than 100%"))

            def value(v):
                p = _percent_value(v)
                return p if p is not None else (_i(v) if not isinstance(v, str) else 0)
            if value(mu) and value(ms):
                errs.append(invalid("spec.updateStrategy.rollingUpdate.maxSurge", GoValue(_go_intstr(ms)),
                                    "may not be set when maxUnavailable is non-zero"))
            elif not value(mu) and not value(ms):
                errs.append(required("spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif st != "OnDelete":
        errs.append(unsupported("spec.updateStrategy.type", st, ["OnDelete", "RollingUpdate"]))
    rhl = spec.get("revisionHistoryLimit")
    if rhl is not None and _i(rhl) < 0:
        errs.append(invalid("spec.revisionHistoryLimit", _i(rhl), NEGATIVE_ERROR))
    return errs


# --------------------------------------------------------------------- networking

_PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]


def _validate_ingress_backend(b: dict, path: str) -> list[FieldError]:
    has_resource, has_service = b.get("resource") is not None, b.get("service") is not None
    if has_resource and has_service:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if has_resource:
        r = _m(b.get("resource"))
        errs = []
        if not _s(r.get("kind")):
            errs.append(required(f"{path}.resource.kind"))
        if not _s(r.get("name")):
            errs.append(required(f"{path}.resource.name"))
        return errs
    if not has_service:
        return [invalid(path, "", "resource or service backend is required")]
    svc = _m(b.get("service"))
    errs = []
    name = _s(svc.get("name"))
    if not name:
        errs.append(required(f"{path}.service.name"))
    else:
        errs += [invalid(f"{path}.service.name", name, m) for m in is_dns1035_label(name)]
    port = _m(svc.get("port"))
    pname, pnum = _s(port.get("name")), _i(port.get("number"))
    if pname and pnum:
        errs.append(invalid(path, "", "cannot set both port name & port number"))
    elif pname:
        errs += [invalid(f"{path}.service.port.name", pname, m) for m in is_valid_port_name(pname)]
    elif pnum:
        errs += [invalid(f"{path}.service.port.number", pnum, m) for m in is_valid_port_num(pnum)]
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _validate_ingress(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Ingress")
    spec = _m(obj.get("spec"))
    rules = _ml(spec, "rules")
    if not rules and spec.get("defaultBackend") is None:
        errs.append(invalid("spec", GoValue("[]networking.IngressRule(nil)"), "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += _validate_ingress_backend(_m(spec.get("defaultBackend")), "spec.defaultBackend")
    for i, rule in enumerate(rules):
        rp = f"spec.rules[{i}]"
        host = _s(rule.get("host"))
        if host:
            if parse_ip(host) is not None:
                errs.append(invalid(f"{rp}.host", host, "must be a DNS name, not an IP address"))
            check = is_wildcard_dns1123_subdomain if "*" in host else is_dns1123_subdomain
            errs += [invalid(f"{rp}.host", host, m) for m in check(host)]
        http = rule.get("http")
        if http is None:
            continue
        paths = _ml(http, "paths")
        if not paths:
            errs.append(required(f"{rp}.http.paths"))
        for j, p in enumerate(paths):
            pp = f"{rp}.http.paths[{j}]"
            pt = p.get("pathType")
            if pt is None:
                errs.append(required(f"{pp}.pathType", "pathType must be specified"))
                continue
            path = _s(p.get("path"))
            if pt in ("Exact", "Prefix"):
                if not path.startswith("/"):
                    errs.append(invalid(f"{pp}.path", path, "must be an absolute path"))
                if path:
                    for seq in ("//", "/./", "/../", "%2f", "%2F"):
                        if seq in path:
                            errs.append(invalid(f"{pp}.path", path, f"must not contain '{seq}'"))
                    for suf in ("/..", "/."):
                        if path.endswith(suf):
                            errs.append(invalid(f"{pp}.path", path, f"cannot end with '{suf}'"))
            elif pt == "ImplementationSpecific":
                if path and not path.startswith("/"):
                    errs.append(invalid(f"{pp}.path", path, "must be an absolute path"))
            else:
                errs.append(unsupported(f"{pp}.pathType", _s(pt), _PATH_TYPES))
            errs += _validate_ingress_backend(_m(p.get("backend")), f"{pp}.backend")
    for i, tls in enumerate(_ml(spec, "tls")):
        for j, host in enumerate(_l(tls.get("hosts"))):
            host = _s(host)
            check = is_wildcard_dns1123_subdomain if "*" in host else is_dns1123_subdomain
            errs += [invalid(f"spec.tls[{i}].hosts[{j}]", host, m) for m in check(host)]
        secret = _s(tls.get("secretName"))
        if secret:
            errs += [invalid(f"spec.tls[{i}].secretName", secret, m) for m in is_dns1123_subdomain(secret)]
    icn = spec.get("ingressClassName")
    if isinstance(icn, str):
        errs += [invalid("spec.ingressClassName", icn, m) for m in is_dns1123_subdomain(icn)]
    ann = _m(_m(obj.get("metadata")).get("annotations")).get("kubernetes.io/ingress.class")
    if isinstance(ann, str) and isinstance(icn, str) and ann != icn:
        errs.append(invalid("annotations.kubernetes.io/ingress.class", ann, "must match `ingressClassName` when both are specified"))
    return errs


def _validate_ingress_class(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "IngressClass")
    spec = _m(obj.get("spec"))
    ctrl = _s(spec.get("controller"))
    if not ctrl:
        errs.append(required("spec.controller"))
    elif len(ctrl) > 250:
        errs.append(FieldError("Too long", "spec.controller", None, "may not be more than 250 bytes", has_value=False))
    elif "/" not in ctrl or not ctrl.split("/", 1)[0]:
        errs.append(invalid("spec.controller", ctrl, 'must be a domain-prefixed path (such as "acme.io/foo")'))
    return errs


# --------------------------------------------------------------------- config


MAX_SECRET_SIZE = 1024 * 1024


def _validate_secret(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Secret")
    data = _m(obj.get("data"))
    total = 0
    for key in sorted(data):
        errs += [invalid(f"data[{key}]", key, m) for m in is_config_map_key(key)]
        total += len(_s(data[key])) * 3 // 4
    if total > MAX_SECRET_SIZE:
        errs.append(FieldError("Too long", "data", None, f"may not be more than {MAX_SECRET_SIZE} bytes", has_value=False))
    t = _s(obj.get("type"))
    ann = _m(_m(obj.get("metadata")).get("annotations"))
    if t == "kubernetes.io/service-account-token":
        if not _s(ann.get("kubernetes.io/service-account.name")):
            errs.append(required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif t in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if t == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            errs.append(required(f"data[{key}]"))
        else:
            # ValidateSecret: the content must be a JSON object; the value is never shown
            problem = _json_object_problem(_s(data[key]))
            if problem:
                errs.append(invalid(f"data[{key}]", "<secret contents redacted>", problem))
    elif t == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs.append(required("data[username]"))
            errs.append(required("data[password]"))
    elif t == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(required("data[ssh-privatekey]"))
    elif t == "kubernetes.io/tls":
        if "tls.crt" not in data:
            errs.append(required("data[tls.crt]"))
        if "tls.key" not in data:
            errs.append(required("data[tls.key]"))
    return errs


def _json_object_problem(b64: str) -> str | None:
    """Go's json.Unmarshal(data, &map[string]interface{}{}) error for a base64 data value, or None."""
    import base64
    import binascii
    import json

    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return "illegal base64 data"
    text = raw.decode("utf-8", "replace")
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        return "unexpected end of JSON input"
    try:
        value = json.loads(text)
    except ValueError:
        if stripped[0] not in '{["-0123456789tfn':
            return f"invalid character {_go_char(stripped[0])} looking for beginning of value"
        return "unexpected end of JSON input"
    if not isinstance(value, dict):
        kind = {str: "string", list: "array", bool: "bool", int: "number", float: "number"}.get(type(value), "null")
        if kind == "null":
            return None
        return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return None


def _go_char(c: str) -> str:
    return "'\\''" if c == "'" else f"'{c}'"


def _validate_config_map(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ConfigMap")
    data, binary = _m(obj.get("data")), _m(obj.get("binaryData"))
    total = 0
    for key in sorted(data):
        errs += [invalid(f"data[{key}]", key, m) for m in is_config_map_key(key)]
        if key in binary:
            errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(_s(data[key]).encode())
    for key in sorted(binary):
        errs += [invalid(f"binaryData[{key}]", key, m) for m in is_config_map_key(key)]
        total += len(_s(binary[key])) * 3 // 4
    if total > MAX_SECRET_SIZE:
        errs.append(FieldError("Too long", "", None, f"may not be more than {MAX_SECRET_SIZE} bytes", has_value=False))
    return errs


def _validate_immutable_data(obj: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    errs = []
    if old.get("immutable") is True:
        msg = "field is immutable when `immutable` is set"
        if obj.get("immutable") is not True:
            errs.append(forbidden("immutable", msg))
        for k in keys:
            if (obj.get(k) or None) != (old.get(k) or None):
                errs.append(forbidden(k, msg))
    return errs


def _validate_namespace(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Namespace")
    for i, f in enumerate(_l(_m(obj.get("spec")).get("finalizers"))):
        errs += [invalid(f"spec.finalizers[{i}]", _s(f), m) for m in is_qualified_name(_s(f))]
    return errs


def _validate_node(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Node")
    for i, cidr in enumerate(_l(_m(obj.get("spec")).get("podCIDRs"))):
        errs += is_valid_cidr(f"spec.podCIDRs[{i}]", _s(cidr))
    return errs


def _validate_event(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Event")
    io = _m(obj.get("involvedObject"))
    meta_ns = _s(_m(obj.get("metadata")).get("namespace"))
    if io.get("namespace") and meta_ns and io.get("namespace") != meta_ns:
        errs.append(invalid("involvedObject.namespace", _s(io.get("namespace")), "does not match event.namespace"))
    return errs


# --------------------------------------------------------------------- storage and StatefulSet (issue 11)
# pkg/apis/apps/validation/validation.go ValidateStatefulSet(Spec|Update) and
# pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaim(Spec), reduced.

_PVC_ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]


def _validate_pvc_spec(spec: dict, path: str) -> list[FieldError]:
    errs = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(required(f"{path}.accessModes", "at least 1 access mode is required"))
    for m in modes if isinstance(modes, list) else []:
        if m not in _PVC_ACCESS_MODES:
            errs.append(unsupported(f"{path}.accessModes", _s(m), _PVC_ACCESS_MODES))
    requests = _m(_m(spec.get("resources")).get("requests"))
    if "storage" not in requests:
        errs.append(required(f"{path}.resources[storage]", ""))
    return errs


def _validate_persistent_volume_claim(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "PersistentVolumeClaim")
    return errs + _validate_pvc_spec(_m(obj.get("spec")), "spec")


def _validate_persistent_volume(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "PersistentVolume")
    spec = _m(obj.get("spec"))
    if not spec.get("accessModes"):
        errs.append(required("spec.accessModes", ""))
    if "storage" not in _m(spec.get("capacity")):
        errs.append(required("spec.capacity", ""))
    return errs


def _validate_storage_class(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "StorageClass")
    if not _s(obj.get("provisioner")):
        errs.append(required("provisioner", ""))
    mode = obj.get("volumeBindingMode")
    if mode is not None and mode not in ("Immediate", "WaitForFirstConsumer"):
        errs.append(unsupported("volumeBindingMode", _s(mode), ["Immediate", "WaitForFirstConsumer"]))
    return errs


def _validate_stateful_set(obj: dict) -> list[FieldError]:
    """ValidateStatefulSetSpec (1.32). serviceName may be empty or name no Service: the
    apiserver accepts both (the pods then have no per-pod DNS names)."""
    errs = validate_object_meta(obj, "StatefulSet")
    spec = _m(obj.get("spec"))
    pmp = _s(spec.get("podManagementPolicy"))
    if pmp == "":
        errs.append(required("spec.podManagementPolicy", ""))
    elif pmp not in ("OrderedReady", "Parallel"):
        errs.append(invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"))
    strategy = _m(spec.get("updateStrategy"))
    st = _s(strategy.get("type"))
    if st == "":
        errs.append(required("spec.updateStrategy", ""))
    elif st == "OnDelete":
        if strategy.get("rollingUpdate") is not None:
            errs.append(invalid("spec.updateStrategy.rollingUpdate", GoValue("nil"),
                                "only allowed for updateStrategy 'RollingUpdate'"))
    elif st == "RollingUpdate":
        part = _m(strategy.get("rollingUpdate")).get("partition")
        if part is not None and _i(part) < 0:
            errs.append(invalid("spec.updateStrategy.rollingUpdate.partition", _i(part), NEGATIVE_ERROR))
    else:
        errs.append(invalid("spec.updateStrategy", _s(st), "must be 'RollingUpdate' or 'OnDelete'"))
    policy = _m(spec.get("persistentVolumeClaimRetentionPolicy"))
    for f in ("whenDeleted", "whenScaled"):
        v = policy.get(f)
        if v is not None and v not in ("Retain", "Delete"):
            errs.append(unsupported(f"spec.persistentVolumeClaimRetentionPolicy.{f}", _s(v), ["Retain", "Delete"]))
    errs += _replicas_errors(spec)
    mrs = _i(spec.get("minReadySeconds"))
    if mrs < 0:
        errs.append(invalid("spec.minReadySeconds", mrs, NEGATIVE_ERROR))
    ordinals = _m(spec.get("ordinals"))
    if ordinals and _i(ordinals.get("start")) < 0:
        errs.append(invalid("spec.ordinals.start", _i(ordinals.get("start")), NEGATIVE_ERROR))
    sel = spec.get("selector")
    if sel is None:
        errs.append(required("spec.selector", ""))
    else:
        errs += _validate_label_selector(sel, "spec.selector")
        if _selector_empty(sel):
            errs.append(invalid("spec.selector", _go_label_selector(sel), "empty selector is invalid for statefulset"))
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    ok = sel is not None and (_selector_empty(sel) or selector_matches(sel, labels))
    if sel is not None and not ok:
        errs.append(invalid("spec.template.metadata.labels", go_string_map(labels),
                            "`selector` does not match template `labels`"))
    t = _m(spec.get("template"))
    # ValidatePodTemplateSpecForStatefulSet checks the template's labels and annotations, not its
    # pod spec (whose volumeMounts may name volumeClaimTemplates)
    tmeta = _m(t.get("metadata"))
    errs += _validate_labels(tmeta.get("labels"), "spec.template.labels")
    errs += _validate_annotations(tmeta.get("annotations"), "spec.template.annotations")
    tspec = _m(t.get("spec"))
    rp = _s(tspec.get("restartPolicy"))
    if rp != "Always":
        errs.append(unsupported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in StatefulSet is not Supported"))
    for i, vct in enumerate(spec.get("volumeClaimTemplates") or []):
        errs += _validate_pvc_spec(_m(_m(vct).get("spec")), f"spec.volumeClaimTemplates[{i}].spec")
    return errs


def _validate_stateful_set_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidateStatefulSetUpdate: only these spec fields may change."""
    mutable = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
               "minReadySeconds")
    a = {k: v for k, v in _m(obj.get("spec")).items() if k not in mutable}
    b = {k: v for k, v in _m(old.get("spec")).items() if k not in mutable}
    if a != b:
        return [forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                                  "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                                  "'minReadySeconds' are forbidden")]
    return []


_VALIDATORS = {
    "Pod": _validate_pod,
    "Service": _validate_service,
    "Endpoints": _validate_endpoints,
    "EndpointSlice": _validate_endpoint_slice,
    "Deployment": _validate_deployment,
    "ReplicaSet": _validate_replica_set,
    "ReplicationController": _validate_replication_controller,
    "Ingress": _validate_ingress,
    "IngressClass": _validate_ingress_class,
    "Secret": _validate_secret,
    "ConfigMap": _validate_config_map,
    "Namespace": _validate_namespace,
    "Node": _validate_node,
    "Event": _validate_event,
    "DaemonSet": _validate_daemon_set,  # issue 11 (w-ds)
    # issue 11
    "StatefulSet": _validate_stateful_set,
    "PersistentVolumeClaim": _validate_persistent_volume_claim,
    "PersistentVolume": _validate_persistent_volume,
    "StorageClass": _validate_storage_class,
}

# ---- NetworkPolicy block (minikctl/api/netpol.py) ----


def _validate_network_policy(obj: dict) -> list[FieldError]:
    from minikctl.api import netpol

    return netpol.validate(obj)


_VALIDATORS["NetworkPolicy"] = _validate_network_policy
# ---- end NetworkPolicy ----


# --------------------------------------------------------------------- entry points


def validate_update(obj: dict, old: dict) -> list[FieldError]:
    """The rules that only an update has: immutable fields (metadata.name, a Service's clusterIPs,
    a Deployment's selector, an immutable ConfigMap's data, a Secret's type, ...)."""
    if not isinstance(obj, dict) or not isinstance(old, dict):
        return []
    kind = obj.get("kind")
    errs = validate_object_meta_update(obj, old)
    if kind == "Service":
        errs += _validate_service_update(obj, old)
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        # pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go ValidateUpdate (ValidateImmutableField)
        sel, osel = _m(obj.get("spec")).get("selector"), _m(old.get("spec")).get("selector")
        if (sel or None) != (osel or None):
            errs.append(invalid("spec.selector", _go_label_selector(sel), IMMUTABLE_ERROR))
    elif kind == "ConfigMap":
        errs += _validate_immutable_data(obj, old, ("data", "binaryData"))
    elif kind == "Secret":
        errs += _validate_immutable_data(obj, old, ("data",))
        if _s(obj.get("type")) != _s(old.get("type")):
            errs.append(invalid("type", _s(obj.get("type")), IMMUTABLE_ERROR))
    elif kind == "EndpointSlice":
        if obj.get("addressType") != old.get("addressType"):
            errs.append(invalid("addressType", _s(obj.get("addressType")), IMMUTABLE_ERROR))
    elif kind == "Pod":
        errs += _validate_pod_update(obj, old)
    elif kind == "StatefulSet":
        errs += _validate_stateful_set_update(obj, old)
    return errs


def _validate_pod_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidatePodUpdate: only image, activeDeadlineSeconds, tolerations, terminationGracePeriodSeconds may change."""
    def mutable_removed(spec: dict, binding: bool) -> dict:
        out = {k: v for k, v in spec.items()
               if k not in ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds")}
        if binding:  # the scheduler's binding sets nodeName once
            out.pop("nodeName", None)
        for group in ("containers", "initContainers"):
            out[group] = [{k: v for k, v in _m(c).items() if k != "image"} for c in _l(spec.get(group))]
        return out

    ospec = _m(old.get("spec"))
    binding = not ospec.get("nodeName")
    spec, ospec = mutable_removed(_m(obj.get("spec")), binding), mutable_removed(ospec, binding)
    if spec != ospec:
        return [forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,"
                                  "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
                                  "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                                  "(allow it to be set to 1 if it was previously negative)")]
    return []


def validate(obj: dict, old: dict | None = None) -> list[FieldError]:
    """Every FieldError of ``obj`` (defaults applied), in kube-apiserver's order; with ``old``,
    the update rules come first, as ValidateXUpdate puts them."""
    if not isinstance(obj, dict):
        return [required("metadata.name", "name or generateName is required")]
    fn = _VALIDATORS.get(obj.get("kind"))
    errs = validate_update(obj, old) if isinstance(old, dict) else []
    if obj.get("kind") in ("Deployment", "ReplicaSet", "DaemonSet") and errs:
        # the selector rule comes from the strategy, after the type's own validation
        selector_errs = [e for e in errs if e.field == "spec.selector"]
        errs = [e for e in errs if e.field != "spec.selector"]
        return errs + (fn(obj) if fn else []) + selector_errs
    if fn is None:
        return errs + validate_object_meta(obj, _s(obj.get("kind")))
    errs += fn(obj)
    if not errs:
        admit_capacity(obj)
    return errs


# --- issue 11: Batch (w-job)
def _validate_job(obj: dict) -> list[FieldError]:
    """pkg/apis/batch/validation ValidateJob / validateJobSpec (1.32); the selector was
    generated by the strategy (generateSelector) unless spec.manualSelector is true."""
    errs = validate_object_meta(obj, "Job")
    spec = _m(obj.get("spec"))
    for f in ("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"):
        v = spec.get(f)
        if v is not None and _i(v) < 0:
            errs.append(invalid(f"spec.{f}", _i(v), NEGATIVE_ERROR))
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and _i(ads) <= 0:
        errs.append(invalid("spec.activeDeadlineSeconds", _i(ads), "must be greater than 0"))
    mode = _s(spec.get("completionMode"))
    if mode not in ("NonIndexed", "Indexed"):
        errs.append(unsupported("spec.completionMode", mode, ["NonIndexed", "Indexed"]))
    if mode == "Indexed":
        if spec.get("completions") is None:
            errs.append(required("spec.completions", "when completion mode is Indexed"))
        elif _i(spec.get("completions")) > 100000:
            errs.append(invalid("spec.completions", _i(spec.get("completions")),
                                "must be less than or equal to 100000 when completion mode is Indexed"))
    sel = spec.get("selector")
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    if sel is None:
        errs.append(required("spec.selector", ""))
    else:
        errs += _validate_label_selector(sel, "spec.selector")
        if not selector_matches(sel, labels) or _selector_empty(sel):
            errs.append(invalid("spec.template.metadata.labels", go_string_map(labels),
                                "`selector` does not match template `labels`"))
    t = _m(spec.get("template"))
    errs += validate_pod_template(t, "spec.template")
    rp = _s(_m(t.get("spec")).get("restartPolicy"))
    if rp not in ("OnFailure", "Never"):
        errs.append(unsupported("spec.template.spec.restartPolicy", rp, ["OnFailure", "Never"]))
    elif spec.get("podFailurePolicy") is not None and rp != "Never":
        errs.append(invalid("spec.template.spec.restartPolicy", rp,
                            'only "Never" is supported when podFailurePolicy is specified'))
    return errs


_VALIDATORS["Job"] = _validate_job


def _validate_cron_job(obj: dict) -> list[FieldError]:
    """ValidateCronJobCreate / validateCronJobSpec (1.32); the schedule is parsed by
    robfig/cron ParseStandard (minikctl/api/cron.py) and its error is the message."""
    from minikctl.api import cron

    errs = validate_object_meta(obj, "CronJob")
    name = _s(_m(obj.get("metadata")).get("name"))
    if len(name) > 52:
        errs.append(invalid("metadata.name", name, "must be no more than 52 characters"))
    spec = _m(obj.get("spec"))
    schedule = _s(spec.get("schedule"))
    if schedule == "":
        errs.append(required("spec.schedule", ""))
    else:
        try:
            cron.parse_standard(schedule)
        except cron.CronError as e:
            errs.append(invalid("spec.schedule", schedule, str(e)))
        if "TZ" in schedule:
            errs.append(invalid("spec.schedule", schedule,
                                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    tz = spec.get("timeZone")
    if tz is not None:
        tz = _s(tz)
        if tz.lower() == "local":
            errs.append(invalid("spec.timeZone", tz,
                                "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
        elif cron.zone(tz) is None:
            errs.append(invalid("spec.timeZone", tz, f"unknown time zone {tz}"))
    for f in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        v = spec.get(f)
        if v is not None and _i(v) < 0:
            errs.append(invalid(f"spec.{f}", _i(v), NEGATIVE_ERROR))
    cp = _s(spec.get("concurrencyPolicy"))
    if cp not in ("Allow", "Forbid", "Replace"):
        errs.append(unsupported("spec.concurrencyPolicy", cp, ["Allow", "Forbid", "Replace"]))
    jt = _m(spec.get("jobTemplate"))
    jspec = _m(jt.get("spec"))
    t = _m(jspec.get("template"))
    errs += validate_pod_template(t, "spec.jobTemplate.spec.template")
    rp = _s(_m(t.get("spec")).get("restartPolicy"))
    if rp not in ("OnFailure", "Never"):
        errs.append(unsupported("spec.jobTemplate.spec.template.spec.restartPolicy", rp, ["OnFailure", "Never"]))
    if jspec.get("manualSelector") is not True and jspec.get("selector") is not None:
        errs.append(invalid("spec.jobTemplate.spec.selector", _go_label_selector(jspec["selector"]),
                            "`selector` will be auto-generated"))
    return errs


_VALIDATORS["CronJob"] = _validate_cron_job


# --- issue 11: disruptions (w-drain)
_UNHEALTHY_POD_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]  # sets.List: sorted


def _go_pdb_spec(spec: dict) -> GoValue:
    """%#v of the internal policy.PodDisruptionBudgetSpec: its pointer fields print as addresses
    (these are made up: kube-apiserver's change from request to request too)."""
    def ptr(t: str, present: bool, addr: int) -> str:
        return f"(*{t})(0xc00{addr:07x})" if present else f"(*{t})(nil)"

    base = 0x4a3b100
    return GoValue("policy.PodDisruptionBudgetSpec{"
                   f"MinAvailable:{ptr('intstr.IntOrString', spec.get('minAvailable') is not None, base)}, "
                   f"Selector:{ptr('v1.LabelSelector', spec.get('selector') is not None, base + 0x20)}, "
                   f"MaxUnavailable:{ptr('intstr.IntOrString', spec.get('maxUnavailable') is not None, base + 0x10)}, "
                   "UnhealthyPodEvictionPolicy:"
                   f"{ptr('policy.UnhealthyPodEvictionPolicyType', spec.get('unhealthyPodEvictionPolicy') is not None, base + 0x30)}}}")


def _not_more_than_100_percent(v, path: str) -> list[FieldError]:
    """apps IsNotMoreThan100Percent."""
    p = _percent_value(v)
    if p is None or p <= 100:
        return []
    return [invalid(path, GoValue(_go_intstr(v)), "must not be greater than 100%")]


def _validate_pod_disruption_budget(obj: dict) -> list[FieldError]:
    """pkg/apis/policy/validation ValidatePodDisruptionBudget / ValidatePodDisruptionBudgetSpec
    (1.32), after the strategy's ValidateObjectMeta."""
    errs = validate_object_meta(obj, "PodDisruptionBudget")
    spec = _m(obj.get("spec"))
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(invalid("spec", _go_pdb_spec(spec), "minAvailable and maxUnavailable cannot be both set"))
    for f in ("minAvailable", "maxUnavailable"):
        if spec.get(f) is not None:
            errs += _int_or_percent(spec[f], f"spec.{f}")
            errs += _not_more_than_100_percent(spec[f], f"spec.{f}")
    errs += _validate_label_selector(spec.get("selector"), "spec.selector")
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in _UNHEALTHY_POD_EVICTION_POLICIES:
        errs.append(unsupported("spec.unhealthyPodEvictionPolicy", _s(policy), _UNHEALTHY_POD_EVICTION_POLICIES))
    return errs


_VALIDATORS["PodDisruptionBudget"] = _validate_pod_disruption_budget
