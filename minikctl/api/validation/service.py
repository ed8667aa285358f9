"""Services (pkg/apis/core/validation/validation.go ValidateService, validateServicePort,
ValidateServiceClusterIPsRelatedFields, ValidateServiceUpdate)."""

from __future__ import annotations

from minikctl.api.errors import FieldError, duplicate, forbidden, invalid, required, unsupported
from minikctl.api.validation.common import GoValue, _gq, _i, _l, _m, _ml, _s, go_string_list
from minikctl.api.validation.ip import is_valid_cidr, is_valid_ip, parse_ip, validate_non_special_ip
from minikctl.api.validation.meta import _validate_labels, validate_object_meta
from minikctl.api.validation.names import (
    IMMUTABLE_ERROR, is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_port_num,
)
from minikctl.api.validation.pod import _PROTOCOLS, _validate_port_num_or_name


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
