"""NetworkPolicy (networking.k8s.io/v1): defaulting and validation, as kube-apiserver 1.32.

defaults:   pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicyPort: protocol TCP;
            SetDefaults_NetworkPolicy: empty policyTypes -> [Ingress] plus Egress when egress rules exist)
validation: pkg/apis/networking/validation/validation.go (ValidateNetworkPolicy, ValidateNetworkPolicySpec,
            ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock)
"""

from __future__ import annotations

import ipaddress

from minikctl.api.errors import FieldError, forbidden, invalid, required, unsupported


def _m(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


# --------------------------------------------------------------------- defaults
def set_defaults(obj: dict) -> None:
    spec = obj.get("spec")
    if spec is None:
        spec = obj["spec"] = {}
    if not isinstance(spec, dict):
        return
    if spec.get("podSelector") is None:
        spec["podSelector"] = {}  # a struct, not a pointer: always serialised
    for group, peers in (("ingress", "from"), ("egress", "to")):
        for rule in _l(spec.get(group)):
            for port in _l(_m(rule).get("ports")):
                if isinstance(port, dict) and port.get("protocol") is None:
                    port["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress"] + (["Egress"] if spec.get("egress") else [])


# --------------------------------------------------------------------- validation
def _port_errors(port: dict, path: str) -> list[FieldError]:
    from minikctl.api.validation import is_valid_port_name, is_valid_port_num

    errs: list[FieldError] = []
    proto = port.get("protocol")
    if proto is not None and proto not in ("TCP", "UDP", "SCTP"):
        errs.append(unsupported(f"{path}.protocol", proto, ["TCP", "UDP", "SCTP"]))
    p, end = port.get("port"), port.get("endPort")
    if p is not None:
        if isinstance(p, int) and not isinstance(p, bool):
            errs += [invalid(f"{path}.port", p, m) for m in is_valid_port_num(p)]
            if end is not None:
                if end < p:
                    # the value shown is the port, as upstream writes it
                    errs.append(invalid(f"{path}.endPort", p, "must be greater than or equal to `port`"))
                errs += [invalid(f"{path}.endPort", end, m) for m in is_valid_port_num(end)]
        else:
            if end is not None:
                errs.append(invalid(f"{path}.endPort", end, "may not be specified when `port` is non-numeric"))
            errs += [invalid(f"{path}.port", str(p), m) for m in is_valid_port_name(str(p))]
    elif end is not None:
        errs.append(invalid(f"{path}.endPort", end, "may not be specified when `port` is not specified"))
    return errs


def _parse_cidr(text: str):
    """netutils.ParseCIDRSloppy (leading zeros allowed in IPv4 octets)."""
    from minikctl.api.validation import parse_ip

    if not isinstance(text, str) or "/" not in text:
        return None
    addr, _, bits = text.partition("/")
    ip = parse_ip(addr)
    if ip is None or not bits.isdigit():
        return None
    try:
        return ipaddress.ip_network(f"{ip}/{int(bits)}", strict=False)
    except ValueError:
        return None


def _ip_block_errors(ipb: dict, path: str) -> list[FieldError]:
    from minikctl.api.validation import is_valid_cidr

    cidr = ipb.get("cidr") or ""
    if not cidr:
        return [required(f"{path}.cidr", "")]
    errs = is_valid_cidr(f"{path}.cidr", cidr)
    net = _parse_cidr(cidr)
    if net is None:
        return errs
    for i, ex in enumerate(_l(ipb.get("except"))):
        ep = f"{path}.except[{i}]"
        errs += is_valid_cidr(ep, ex)
        exn = _parse_cidr(ex)
        if exn is None:
            continue
        if exn.version != net.version or exn.network_address not in net or net.prefixlen >= exn.prefixlen:
            errs.append(invalid(ep, ex, "must be a strict subset of `cidr`"))
    return errs


def _peer_errors(peer: dict, path: str) -> list[FieldError]:
    from minikctl.api.validation import _validate_label_selector

    errs: list[FieldError] = []
    n = 0
    if peer.get("podSelector") is not None:
        n += 1
        errs += _validate_label_selector(peer["podSelector"], f"{path}.podSelector")
    if peer.get("namespaceSelector") is not None:
        n += 1
        errs += _validate_label_selector(peer["namespaceSelector"], f"{path}.namespaceSelector")
    if peer.get("ipBlock") is not None:
        n += 1
        errs += _ip_block_errors(_m(peer["ipBlock"]), f"{path}.ipBlock")
    if n == 0:
        errs.append(required(path, "must specify a peer"))
    elif n > 1 and peer.get("ipBlock") is not None:
        errs.append(forbidden(path, "may not specify both ipBlock and another peer"))
    return errs


def validate(obj: dict) -> list[FieldError]:
    from minikctl.api.validation import GoValue, _validate_label_selector, validate_object_meta

    errs = validate_object_meta(obj, "NetworkPolicy")
    spec = _m(obj.get("spec"))
    errs += _validate_label_selector(spec.get("podSelector"), "spec.podSelector")
    for group, peers in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(_l(spec.get(group))):
            rule = _m(rule)
            rp = f"spec.{group}[{i}]"
            for j, port in enumerate(_l(rule.get("ports"))):
                errs += _port_errors(_m(port), f"{rp}.ports[{j}]")
            for j, peer in enumerate(_l(rule.get(peers))):
                errs += _peer_errors(_m(peer), f"{rp}.{peers}[{j}]")
    types = _l(spec.get("policyTypes"))
    if len(types) > 2:
        errs.append(invalid("spec.policyTypes", GoValue("&[]networking.PolicyType{" + ", ".join(
            f'"{t}"' for t in types) + "}"), "may not specify more than two policyTypes"))
        return errs
    for i, t in enumerate(types):
        if t not in ("Ingress", "Egress"):
            errs.append(unsupported(f"spec.policyTypes[{i}]", t, ["Ingress", "Egress"]))
    return errs
