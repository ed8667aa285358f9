"""IP addresses and CIDRs: k8s.io/apimachinery/pkg/util/validation (ip.go: IsValidIP, IsValidCIDR;
netutils.ParseIPSloppy) and pkg/apis/core/validation ValidateNonSpecialIP."""

from __future__ import annotations

import ipaddress

from minikctl.api.errors import FieldError, invalid


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
