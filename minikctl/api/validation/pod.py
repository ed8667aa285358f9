"""Pods (pkg/apis/core/validation/validation.go): ValidatePodSpec, containers, ports, probes and
handlers, env and envFrom, volumeMounts; ValidatePodTemplateSpec; ValidatePodUpdate."""

from __future__ import annotations

import json

from minikctl.api.errors import FieldError, duplicate, forbidden, invalid, required, unsupported
from minikctl.api.validation.common import _i, _l, _m, _ml, _s
from minikctl.api.validation.meta import _validate_annotations, _validate_labels, validate_object_meta
from minikctl.api.validation.names import (
    NEGATIVE_ERROR, inclusive_range_error, is_config_map_key, is_dns1123_label, is_dns1123_subdomain,
    is_relaxed_env_var_name, is_valid_port_name, is_valid_port_num,
)
from minikctl.api.validation.resources import _validate_resources
from minikctl.api.validation.volumes import (
    _validate_local_descending_path, _validate_object_field_selector, _validate_volume_source,
)


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


_VALID_SPECS: set[str] = set()  # pod specs found valid (_spec_key): a ReplicaSet's pods share one
_SA_VOLUME = None


def _spec_key(spec) -> str | None:
    """The spec as JSON, its service account volume's name (kube-api-access-<5 random
    characters>, the only per-pod value in a ReplicaSet's pod specs) written as one placeholder
    when it is the spec's only value of that form: validation only checks that name's form,
    which every such name has, and that the mounts name it."""
    global _SA_VOLUME
    try:
        key = json.dumps(spec, separators=(",", ":"), check_circular=False)
    except (TypeError, ValueError):
        return None
    if "kube-api-access-" in key:
        if _SA_VOLUME is None:
            import re

            _SA_VOLUME = re.compile(r'kube-api-access-[^"]*')
        found = set(_SA_VOLUME.findall(key))
        if len(found) == 1:
            name = found.pop()
            tail = name[16:]
            if len(tail) == 5 and tail.isascii() and tail.isalnum() and tail == tail.lower():
                key = key.replace(f'"{name}"', '"kube-api-access-@"')
    return key


def _validate_pod(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Pod")
    spec = obj.get("spec")
    key = _spec_key(spec)  # validate_pod_spec reads nothing but the spec
    if key is not None and key in _VALID_SPECS:
        return errs
    spec_errs = validate_pod_spec(spec, "spec")
    if not spec_errs and key is not None:
        if len(_VALID_SPECS) >= 256:
            _VALID_SPECS.clear()
        _VALID_SPECS.add(key)
    return errs + spec_errs


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
