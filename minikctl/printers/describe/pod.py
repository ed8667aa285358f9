"""describePod and its parts (describe.go, kubectl 1.32): containers (describeContainers,
describeStatus, resources, DescribeProbe, env and envFrom, mounts), describeVolumes, the QoS
class, topology spread constraints, and DescribePodTemplate, which the workload describers
print too.
"""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.columns import format_label_selector
from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.quantity import Quantity, _qstr, parse_quantity
from minikctl.printers.describe.writer import (
    MAX_ANNOTATION_LEN,
    _D,
    _L,
    _Writer,
    _g,
    _int,
    _name_ns,
    _print_annotations_multiline,
    _print_bool,
    _print_controller,
    _print_labels_multiline,
    _print_tolerations_multiline,
    _v,
    rfc1123z,
)
from minikctl.printers.duration import age as _age


def _describe_pod_ips(w: _Writer, pod: dict, space: str = "") -> None:
    ips = _g(pod, "status", "podIPs", default=_L)  # the v1 object: no podIP fallback
    if not ips:
        w.write(0, "%sIPs:\t<none>\n" % space)
        return
    w.write(0, "%sIPs:\n" % space)
    for info in ips:
        w.write(1, "IP:\t%s\n" % ((info or _D).get("ip") or ""))


def _container_ports(ports, host: bool) -> str:
    """describeContainerPorts / describeContainerHostPorts (kubectl 1.32 describe.go): PORT/PROTOCOL,
    without the port's name."""
    out = []
    for p in ports or _L:
        p = p or _D
        num = _int(p.get("hostPort")) if host else _int(p.get("containerPort"))
        out.append("%d/%s" % (num, p.get("protocol") or "TCP"))
    return ", ".join(out)


def _describe_status(w: _Writer, state_name: str, state: dict) -> None:
    """describeStatus."""
    state = state or _D
    running = state.get("running")
    waiting = state.get("waiting")
    term = state.get("terminated")
    if isinstance(running, dict):
        w.write(2, "%s:\tRunning\n" % state_name)
        w.write(3, "Started:\t%s\n" % rfc1123z(running.get("startedAt")))
    elif isinstance(waiting, dict):
        w.write(2, "%s:\tWaiting\n" % state_name)
        if waiting.get("reason"):
            w.write(3, "Reason:\t%s\n" % waiting["reason"])
    elif isinstance(term, dict):
        w.write(2, "%s:\tTerminated\n" % state_name)
        if term.get("reason"):
            w.write(3, "Reason:\t%s\n" % term["reason"])
        if term.get("message"):
            w.write(3, "Message:\t%s\n" % term["message"])
        w.write(3, "Exit Code:\t%d\n" % _int(term.get("exitCode")))
        if _int(term.get("signal")) > 0:
            w.write(3, "Signal:\t%d\n" % _int(term.get("signal")))
        w.write(3, "Started:\t%s\n" % rfc1123z(term.get("startedAt")))
        w.write(3, "Finished:\t%s\n" % rfc1123z(term.get("finishedAt")))
    else:
        w.write(2, "%s:\tWaiting\n" % state_name)


def _describe_resources(w: _Writer, resources, level: int) -> None:
    resources = resources or _D
    limits = resources.get("limits") or _D
    requests = resources.get("requests") or _D
    if limits:
        w.write(level, "Limits:\n")
    for name in sorted(limits):
        w.write(level + 1, "%s:\t%s\n" % (name, _qstr(limits[name])))
    if requests:
        w.write(level, "Requests:\n")
    for name in sorted(requests):
        w.write(level + 1, "%s:\t%s\n" % (name, _qstr(requests[name])))


def _int_or_string(v) -> str:
    return "" if v is None else str(v)


def describe_probe(probe: dict) -> str:
    """DescribeProbe."""
    attrs = "delay=%ds timeout=%ds period=%ds #success=%d #failure=%d" % (
        _int(probe.get("initialDelaySeconds")),
        _int(probe.get("timeoutSeconds", 1)),
        _int(probe.get("periodSeconds", 10)),
        _int(probe.get("successThreshold", 1)),
        _int(probe.get("failureThreshold", 3)),
    )
    if isinstance(probe.get("exec"), dict):
        return "exec %s %s" % (_v(probe["exec"].get("command") or []), attrs)
    if isinstance(probe.get("httpGet"), dict):
        hg = probe["httpGet"]
        scheme = (hg.get("scheme") or "HTTP").lower()
        port = _int_or_string(hg.get("port"))
        host = hg.get("host") or ""
        hostport = ("[" + host + "]" if ":" in host else host) + ":" + port if port else host
        return "http-get %s://%s%s %s" % (scheme, hostport, hg.get("path") or "", attrs)
    if isinstance(probe.get("tcpSocket"), dict):
        ts = probe["tcpSocket"]
        return "tcp-socket %s:%s %s" % (ts.get("host") or "", _int_or_string(ts.get("port")), attrs)
    if isinstance(probe.get("grpc"), dict):
        g = probe["grpc"]
        return "grpc <pod>:%d %s %s" % (_int(g.get("port")), g.get("service") or "", attrs)
    return "unknown %s" % attrs


def _field_value(pod: dict, path: str) -> str:
    """fieldpath.ExtractFieldPathAsString for the common downward-API paths."""
    meta = pod.get("metadata") or _D
    if path.startswith("metadata.labels['") and path.endswith("']"):
        return str((meta.get("labels") or _D).get(path[17:-2], ""))
    if path.startswith("metadata.annotations['") and path.endswith("']"):
        return str((meta.get("annotations") or _D).get(path[22:-2], ""))
    simple = {
        "metadata.name": meta.get("name"),
        "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"),
        "spec.nodeName": _g(pod, "spec", "nodeName"),
        "spec.serviceAccountName": _g(pod, "spec", "serviceAccountName"),
        "status.hostIP": _g(pod, "status", "hostIP"),
        "status.podIP": _g(pod, "status", "podIP"),
    }
    if path == "status.podIPs":
        return ",".join((i or _D).get("ip") or "" for i in _g(pod, "status", "podIPs", default=_L))
    if path == "status.hostIPs":
        return ",".join((i or _D).get("ip") or "" for i in _g(pod, "status", "hostIPs", default=_L))
    v = simple.get(path)
    return "" if v is None else str(v)


def _container_resource_value(ref: dict, container: dict) -> str:
    """ExtractContainerResourceValue for the env var resourceFieldRef case."""
    resource = ref.get("resource") or ""
    divisor = parse_quantity(ref.get("divisor") or "1")
    if divisor.value == 0:
        divisor = Quantity(1)
    res = container.get("resources") or _D
    kind, _, name = resource.partition(".")
    q = parse_quantity(((res.get(kind) or _D)).get(name)) if kind in ("limits", "requests") else Quantity(0)
    if name == "cpu":
        v = q.milli_value()
        d = divisor.milli_value() or 1
        return str(-((-v) // d))
    v = q.value_int()
    d = divisor.value_int() or 1
    return str(-((-v) // d))


def _describe_container_env(w: _Writer, container: dict, pod: dict | None) -> None:
    env = container.get("env") or _L
    w.write(2, "Environment:%s\n" % ("" if env else "\t<none>"))
    for e in env:
        e = e or _D
        name = e.get("name") or ""
        vf = e.get("valueFrom")
        if not isinstance(vf, dict):
            for i, s in enumerate(str(e.get("value") or "").split("\n")):
                if i == 0:
                    w.write(3, "%s:\t%s\n" % (name, s))
                else:
                    w.write(3, "\t%s\n" % s)
            continue
        if isinstance(vf.get("fieldRef"), dict):
            fr = vf["fieldRef"]
            value = _field_value(pod, fr.get("fieldPath") or "") if pod is not None else ""
            w.write(3, "%s:\t%s (%s:%s)\n" % (name, value, fr.get("apiVersion") or "v1", fr.get("fieldPath") or ""))
        elif isinstance(vf.get("resourceFieldRef"), dict):
            rf = vf["resourceFieldRef"]
            value = _container_resource_value(rf, container)
            resource = rf.get("resource") or ""
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, "%s:\t%s (%s)\n" % (name, value, resource))
        elif isinstance(vf.get("secretKeyRef"), dict):
            r = vf["secretKeyRef"]
            w.write(3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %s\n" % (
                name, r.get("key") or "", r.get("name") or "", "true" if r.get("optional") else "false"))
        elif isinstance(vf.get("configMapKeyRef"), dict):
            r = vf["configMapKeyRef"]
            w.write(3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %s\n" % (
                name, r.get("key") or "", r.get("name") or "", "true" if r.get("optional") else "false"))


def _describe_container_env_from(w: _Writer, container: dict) -> None:
    env_from = container.get("envFrom") or _L
    w.write(2, "Environment Variables from:%s\n" % ("" if env_from else "\t<none>"))
    for e in env_from:
        e = e or _D
        frm = name = ""
        optional = False
        if isinstance(e.get("configMapRef"), dict):
            frm, name, optional = "ConfigMap", e["configMapRef"].get("name") or "", bool(e["configMapRef"].get("optional"))
        elif isinstance(e.get("secretRef"), dict):
            frm, name, optional = "Secret", e["secretRef"].get("name") or "", bool(e["secretRef"].get("optional"))
        opt = "true" if optional else "false"
        if not e.get("prefix"):
            w.write(3, "%s\t%s\tOptional: %s\n" % (name, frm, opt))
        else:
            w.write(3, "%s\t%s with prefix '%s'\tOptional: %s\n" % (name, frm, e["prefix"], opt))


def _describe_container_volumes(w: _Writer, container: dict) -> None:
    mounts = [m for m in container.get("volumeMounts") or _L if isinstance(m, dict)]
    none = "" if mounts else "\t<none>"
    w.write(2, "Mounts:%s\n" % none)
    mounts.sort(key=lambda m: m.get("mountPath") or "")
    for m in mounts:
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append('path="%s"' % m["subPath"])
        w.write(3, "%s from %s (%s)\n" % (m.get("mountPath") or "", m.get("name") or "", ",".join(flags)))
    devices = [d for d in container.get("volumeDevices") or _L if isinstance(d, dict)]
    if devices:
        w.write(2, "Devices:%s\n" % none)
        devices.sort(key=lambda d: d.get("devicePath") or "")
        for d in devices:
            w.write(3, "%s from %s\n" % (d.get("devicePath") or "", d.get("name") or ""))


def _describe_containers(w: _Writer, label: str, containers, statuses, pod: dict | None, space: str) -> None:
    """describeContainers (pod: statuses + env resolution; template: neither)."""
    by_name = {}
    for st in statuses or _L:
        if isinstance(st, dict):
            by_name[st.get("name")] = st
    containers = [c for c in containers or _L if isinstance(c, dict)]
    w.write(0, "%s%s:%s\n" % (space, label, "" if containers else " <none>"))
    name_indent = " " if space else ""
    for c in containers:
        st = by_name.get(c.get("name"))
        ok = st is not None
        # describeContainerBasicInfo
        w.write(1, "%s%s:\n" % (name_indent, c.get("name") or ""))
        if ok:
            w.write(2, "Container ID:\t%s\n" % (st.get("containerID") or ""))
        w.write(2, "Image:\t%s\n" % (c.get("image") or ""))
        if ok:
            w.write(2, "Image ID:\t%s\n" % (st.get("imageID") or ""))
        ports = _container_ports(c.get("ports"), False)
        if "," in ports:
            w.write(2, "Ports:\t%s\n" % ports)
        else:
            w.write(2, "Port:\t%s\n" % (ports or "<none>"))
        host_ports = _container_ports(c.get("ports"), True)
        if "," in host_ports:
            w.write(2, "Host Ports:\t%s\n" % host_ports)
        else:
            w.write(2, "Host Port:\t%s\n" % (host_ports or "<none>"))
        seccomp = _g(c, "securityContext", "seccompProfile")
        if isinstance(seccomp, dict):
            w.write(2, "SeccompProfile:\t%s\n" % (seccomp.get("type") or ""))
            if seccomp.get("type") == "Localhost":
                w.write(3, "LocalhostProfile:\t%s\n" % (seccomp.get("localhostProfile") or ""))
        # describeContainerCommand
        if c.get("command"):
            w.write(2, "Command:\n")
            for cmd in c["command"]:
                for s in str(cmd).split("\n"):
                    w.write(3, "%s\n" % s)
        if c.get("args"):
            w.write(2, "Args:\n")
            for arg in c["args"]:
                for s in str(arg).split("\n"):
                    w.write(3, "%s\n" % s)
        if ok:
            _describe_status(w, "State", st.get("state"))
            if isinstance(_g(st, "lastState", "terminated"), dict):
                _describe_status(w, "Last State", st.get("lastState"))
            w.write(2, "Ready:\t%s\n" % _print_bool(st.get("ready")))
            w.write(2, "Restart Count:\t%d\n" % _int(st.get("restartCount")))
        _describe_resources(w, c.get("resources"), 2)
        for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")):
            if isinstance(c.get(key), dict):
                w.write(2, "%s:\t%s\n" % (title, describe_probe(c[key])))
        if c.get("envFrom"):
            _describe_container_env_from(w, c)
        _describe_container_env(w, c, pod)
        _describe_container_volumes(w, c)


def _describe_volumes(w: _Writer, volumes, space: str = "") -> None:
    """describeVolumes for the volume sources minikctl supports (others print <unknown>)."""
    volumes = [v for v in volumes or _L if isinstance(v, dict)]
    if not volumes:
        w.write(0, "%sVolumes:\t<none>\n" % space)
        return
    w.write(0, "%sVolumes:\n" % space)
    name_indent = " " if space else ""
    for vol in volumes:
        w.write(1, "%s%s:\n" % (name_indent, vol.get("name") or ""))
        if isinstance(vol.get("hostPath"), dict):
            hp = vol["hostPath"]
            w.write(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n    HostPathType:\t%s\n" % (
                hp.get("path") or "", hp.get("type") if hp.get("type") is not None else "<none>"))
        elif isinstance(vol.get("emptyDir"), dict):
            ed = vol["emptyDir"]
            size = "<unset>"
            if ed.get("sizeLimit") is not None and parse_quantity(ed["sizeLimit"]).value > 0:
                size = _qstr(ed["sizeLimit"])
            w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t%s\n    SizeLimit:\t%s\n" % (
                ed.get("medium") or "", size))
        elif isinstance(vol.get("secret"), dict):
            s = vol["secret"]
            w.write(2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%s\n    Optional:\t%s\n" % (
                s.get("secretName") or "", "true" if s.get("optional") else "false"))
        elif isinstance(vol.get("configMap"), dict):
            cm = vol["configMap"]
            w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%s\n    Optional:\t%s\n" % (
                cm.get("name") or "", "true" if cm.get("optional") else "false"))
        elif isinstance(vol.get("persistentVolumeClaim"), dict):
            pvc = vol["persistentVolumeClaim"]
            w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
                       "    ClaimName:\t%s\n    ReadOnly:\t%s\n" % (pvc.get("claimName") or "", "true" if pvc.get("readOnly") else "false"))
        elif isinstance(vol.get("nfs"), dict):
            nfs = vol["nfs"]
            w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t%s\n    Path:\t%s\n    ReadOnly:\t%s\n" % (
                nfs.get("server") or "", nfs.get("path") or "", "true" if nfs.get("readOnly") else "false"))
        elif isinstance(vol.get("projected"), dict):
            # 1.32 printProjectedVolumeSource: the *bool Optional fields are printed with %v.
            w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
            for src in vol["projected"].get("sources") or _L:
                src = src or _D
                if isinstance(src.get("secret"), dict):
                    w.write(2, "SecretName:\t%s\n    SecretOptionalName:\t%s\n" % (
                        src["secret"].get("name") or "", _ptr_bool(src["secret"].get("optional"))))
                elif isinstance(src.get("downwardAPI"), dict):
                    w.write(2, "DownwardAPI:\ttrue\n")
                elif isinstance(src.get("configMap"), dict):
                    w.write(2, "ConfigMapName:\t%s\n    ConfigMapOptional:\t%s\n" % (
                        src["configMap"].get("name") or "", _ptr_bool(src["configMap"].get("optional"))))
                elif isinstance(src.get("serviceAccountToken"), dict):
                    w.write(2, "TokenExpirationSeconds:\t%d\n" % _int(src["serviceAccountToken"].get("expirationSeconds", 3600)))
        elif isinstance(vol.get("downwardAPI"), dict):
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in vol["downwardAPI"].get("items") or _L:
                item = item or _D
                if isinstance(item.get("fieldRef"), dict):
                    w.write(3, "%s -> %s\n" % (item["fieldRef"].get("fieldPath") or "", item.get("path") or ""))
                if isinstance(item.get("resourceFieldRef"), dict):
                    w.write(3, "%s -> %s\n" % (item["resourceFieldRef"].get("resource") or "", item.get("path") or ""))
        elif isinstance(vol.get("csi"), dict):
            csi = vol["csi"]
            w.write(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t%s\n    FSType:\t%s\n    ReadOnly:\t%s\n" % (
                csi.get("driver") or "", csi.get("fsType") or "", "true" if csi.get("readOnly") else "false"))
            attrs = csi.get("volumeAttributes") or _D
            w.write(2, "VolumeAttributes:\t")
            if not attrs:
                w.line("<none>")
            else:
                for i, k in enumerate(sorted(attrs)):
                    if i != 0:
                        w.write(2, "")
                        w.write(2, "\t")
                    line = "%s=%s" % (k, attrs[k])
                    w.write(2, (line[:MAX_ANNOTATION_LEN] + "...\n") if len(line) > MAX_ANNOTATION_LEN else line + "\n")
        else:
            w.write(1, "<unknown>\n")


def _ptr_bool(v) -> str:
    """%v of a *bool: <nil>, else a pointer value (unknowable; kubectl prints an address)."""
    if v is None:
        return "<nil>"
    return "0xc000010000" if v else "0xc000010001"


def _pod_qos(pod: dict) -> str:
    """kubectl/pkg/util/qos.GetPodQOS."""
    q = _g(pod, "status", "qosClass")
    if q:
        return q
    requests: dict = {}
    limits: dict = {}
    guaranteed = True
    spec = pod.get("spec") or _D
    for c in list(spec.get("containers") or _L) + list(spec.get("initContainers") or _L):
        res = (c or _D).get("resources") or _D
        for name, qty in (res.get("requests") or _D).items():
            if name not in ("cpu", "memory"):
                continue
            v = parse_quantity(qty).value
            if v > 0:
                requests[name] = requests.get(name, 0) + v
        found = set()
        for name, qty in (res.get("limits") or _D).items():
            if name not in ("cpu", "memory"):
                continue
            v = parse_quantity(qty).value
            if v > 0:
                found.add(name)
                limits[name] = limits.get(name, 0) + v
        if not {"cpu", "memory"} <= found:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, req in requests.items():
            if limits.get(name) != req:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _describe_pod(pod: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = pod.get("metadata") or _D
    spec = pod.get("spec") or _D
    status = pod.get("status") or _D
    _name_ns(w, pod)
    if spec.get("priority") is not None:
        w.write(0, "Priority:\t%d\n" % _int(spec.get("priority")))
    if spec.get("priorityClassName"):
        w.write(0, "Priority Class Name:\t%s\n" % spec["priorityClassName"])
    if spec.get("runtimeClassName"):
        w.write(0, "Runtime Class Name:\t%s\n" % spec["runtimeClassName"])
    if spec.get("serviceAccountName"):
        w.write(0, "Service Account:\t%s\n" % spec["serviceAccountName"])
    if not spec.get("nodeName"):
        w.write(0, "Node:\t<none>\n")
    else:
        w.write(0, "Node:\t%s\n" % (spec["nodeName"] + "/" + (status.get("hostIP") or "")))
    if status.get("startTime"):
        w.write(0, "Start Time:\t%s\n" % rfc1123z(status["startTime"]))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase") or ""
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, "Status:\tTerminating (lasts %s)\n" % _age(meta["deletionTimestamp"], now))
        w.write(0, "Termination Grace Period:\t%ds\n" % _int(meta.get("deletionGracePeriodSeconds")))
    else:
        w.write(0, "Status:\t%s\n" % phase)
    if status.get("reason"):
        w.write(0, "Reason:\t%s\n" % status["reason"])
    if status.get("message"):
        w.write(0, "Message:\t%s\n" % status["message"])
    seccomp = _g(spec, "securityContext", "seccompProfile")
    if isinstance(seccomp, dict):
        w.write(0, "SeccompProfile:\t%s\n" % (seccomp.get("type") or ""))
        if seccomp.get("type") == "Localhost":
            w.write(0, "LocalhostProfile:\t%s\n" % (seccomp.get("localhostProfile") or ""))
    w.write(0, "IP:\t%s\n" % (status.get("podIP") or ""))
    _describe_pod_ips(w, pod)
    controlled_by = _print_controller(pod)
    if controlled_by:
        w.write(0, "Controlled By:\t%s\n" % controlled_by)
    if status.get("nominatedNodeName"):
        w.write(0, "NominatedNodeName:\t%s\n" % status["nominatedNodeName"])
    if isinstance(spec.get("resources"), dict):
        w.write(0, "Resources:\n")
        _describe_resources(w, spec["resources"], 1)
    if spec.get("initContainers"):
        _describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"), pod, "")
    _describe_containers(w, "Containers", spec.get("containers"), status.get("containerStatuses"), pod, "")
    if spec.get("ephemeralContainers"):
        _describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"], status.get("ephemeralContainerStatuses"), pod, "")
    gates = spec.get("readinessGates") or _L
    if gates:
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for g in gates:
            ctype = (g or _D).get("conditionType")
            st = "<none>"
            for c in status.get("conditions") or _L:
                if isinstance(c, dict) and c.get("type") == ctype:
                    st = c.get("status") or ""
                    break
            w.write(1, "%s \t%s \n" % (ctype or "", st))
    conds = status.get("conditions") or _L
    if conds:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conds:
            c = c or _D
            w.write(1, "%s \t%s \n" % (c.get("type") or "", c.get("status") or ""))
    _describe_volumes(w, spec.get("volumes"), "")
    w.write(0, "QoS Class:\t%s\n" % _pod_qos(pod))
    _print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _describe_topology_spread(w, spec.get("topologySpreadConstraints"), "")
    describe_events(events, w, now)
    return w.render()


def _describe_topology_spread(w: _Writer, tscs, space: str) -> None:
    tscs = [t for t in tscs or _L if isinstance(t, dict)]
    if not tscs:
        return
    tscs.sort(key=lambda t: t.get("topologyKey") or "")
    w.write(0, "%sTopology Spread Constraints:\t" % space)
    for i, t in enumerate(tscs):
        if i != 0:
            w.write(0, space)
            w.write(0, "\t")
        w.write(0, "%s:" % (t.get("topologyKey") or ""))
        w.write(0, t.get("whenUnsatisfiable") or "")
        w.write(0, " when max skew %d is exceeded" % _int(t.get("maxSkew")))
        if isinstance(t.get("labelSelector"), dict):
            w.write(0, " for selector %s" % format_label_selector(t["labelSelector"]))
        w.write(0, "\n")


def _describe_pod_template(w: _Writer, template) -> None:
    """DescribePodTemplate."""
    w.write(0, "Pod Template:\n")
    if not isinstance(template, dict):
        w.write(1, "<unset>")
        return
    meta = template.get("metadata") or _D
    spec = template.get("spec") or _D
    _print_labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        _print_annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, "Service Account:\t%s\n" % spec["serviceAccountName"])
    if spec.get("initContainers"):
        _describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ")
    _describe_containers(w, "Containers", spec.get("containers"), None, None, "  ")
    _describe_volumes(w, spec.get("volumes"), "  ")
    _describe_topology_spread(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, "Priority Class Name:\t%s\n" % spec["priorityClassName"])
    _print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
