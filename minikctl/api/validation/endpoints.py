"""Endpoints (pkg/apis/core/validation/validation.go ValidateEndpoints) and EndpointSlice
(pkg/apis/discovery/validation/validation.go)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, invalid, required, unsupported
from minikctl.api.validation.common import _i, _l, _ml, _s
from minikctl.api.validation.ip import is_valid_ip, parse_ip, validate_non_special_ip
from minikctl.api.validation.meta import validate_object_meta
from minikctl.api.validation.names import is_dns1123_label, is_dns1123_subdomain, is_valid_port_num
from minikctl.api.validation.pod import _PROTOCOLS


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
