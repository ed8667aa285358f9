"""Networking: Ingress and IngressClass (pkg/apis/networking/validation/validation.go); NetworkPolicy
is minikctl/api/netpol.py's."""

from __future__ import annotations

from minikctl.api.errors import FieldError, invalid, required, unsupported
from minikctl.api.validation.common import GoValue, _i, _l, _m, _ml, _s
from minikctl.api.validation.ip import parse_ip
from minikctl.api.validation.meta import validate_object_meta
from minikctl.api.validation.names import (
    is_dns1035_label, is_dns1123_subdomain, is_valid_port_name, is_valid_port_num, is_wildcard_dns1123_subdomain,
)


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


# ---- NetworkPolicy block (minikctl/api/netpol.py) ----


def _validate_network_policy(obj: dict) -> list[FieldError]:
    from minikctl.api import netpol

    return netpol.validate(obj)


# ---- end NetworkPolicy ----
