"""A container's environment, as the kubelet and the container runtime build it.

- ``from_services``: pkg/kubelet/envvars/envvars.go FromServices, a pure function from
  services to variables ({SVC}_SERVICE_HOST, {SVC}_SERVICE_PORT[_{NAME}], {SVC}_PORT,
  {SVC}_PORT_{PORT}_{PROTO}[_PROTO|_PORT|_ADDR]).
- ``service_env_map``: pkg/kubelet/kubelet_pods.go getServiceEnvVarMap: services of the
  pod's namespace (only with enableServiceLinks) plus the ``kubernetes`` service of the
  default namespace (always), without headless/ExternalName ones (no cluster IP).
- ``make_environment_variables``: kubelet_pods.go makeEnvironmentVariables: envFrom,
  then env with ``$(VAR)`` expansion (third_party/forked/golang/expansion) and valueFrom,
  then the service variables the container did not set itself. With
  RelaxedEnvironmentVariableValidation (beta, on by default in 1.32) every envFrom key is
  used as it is (``1bad``, ``a.b``): the kubelet's InvalidEnvironmentVariableNames skip
  applies only with the gate off. A missing ConfigMap/Secret/key raises EnvError with the
  kubelet's words (``configmap "x" not found``, ``couldn't find key k in ConfigMap ns/x``)
  unless the reference is optional.
- ``container_env``: what ``env`` prints inside the container. containerd
  (internal/cri/server/container_create_linux.go) starts from PATH (oci.WithDefaultPathEnv),
  adds HOSTNAME, then the image's ENV, then the kubelet's variables, each replacing an
  existing name in place; runc adds HOME last when it is unset.

The kubelet computes the environment when it starts a container; the result is kept
(store meta ``podenv:<pod uid>``) so that a service created later is not in a running
container's environment, while a new pod (or a restarted container) sees it.
"""

from __future__ import annotations

import base64
import json
import math
import re
from fractions import Fraction

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # containerd oci.defaultUnixEnv
MASTER_SERVICE_NAMESPACE = "default"
MASTER_SERVICES = ("kubernetes",)
META_PREFIX = "podenv:"


class EnvError(Exception):
    """A variable could not be resolved (missing ConfigMap/Secret/key): the kubelet reports
    CreateContainerConfigError with this message."""


# ------------------------------------------------------------- FromServices
def make_env_variable_name(name: str) -> str:
    v = name.replace(".", "_").replace("-", "_").upper()
    if v[:1].isdigit():
        v = "_" + v
    return v


def is_service_ip_set(svc: dict) -> bool:
    ip = (svc.get("spec") or {}).get("clusterIP")
    return bool(ip) and ip != "None"


def from_services(services: list[dict]) -> list[tuple[str, str]]:
    """envvars.FromServices: services without a cluster IP are skipped."""
    result: list[tuple[str, str]] = []
    for svc in services:
        if not is_service_ip_set(svc):
            continue
        spec = svc["spec"]
        ports = spec.get("ports") or []
        if not ports:
            continue  # (validation requires a port for non-headless services)
        prefix = make_env_variable_name(svc["metadata"]["name"])
        ip = spec["clusterIP"]
        result.append((prefix + "_SERVICE_HOST", ip))
        name = prefix + "_SERVICE_PORT"
        result.append((name, str(ports[0].get("port"))))
        for sp in ports:
            if sp.get("name"):
                result.append((name + "_" + make_env_variable_name(sp["name"]), str(sp.get("port"))))
        result.extend(_link_variables(prefix, ip, ports))
    return result


def _link_variables(prefix: str, ip: str, ports: list[dict]) -> list[tuple[str, str]]:
    """makeLinkVariables: Docker-compatible link variables."""
    out: list[tuple[str, str]] = []
    for i, sp in enumerate(ports):
        proto = sp.get("protocol") or "TCP"
        port = sp.get("port")
        url = f"{proto.lower()}://{ip}:{port}"
        if i == 0:
            out.append((prefix + "_PORT", url))  # Docker special-cases the first port
        pp = f"{prefix}_PORT_{port}_{proto.upper()}"
        out += [(pp, url), (pp + "_PROTO", proto.lower()), (pp + "_PORT", str(port)), (pp + "_ADDR", ip)]
    return out


# ------------------------------------------------------------ the kubelet's part
def services_for_pod(api, namespace: str, enable_service_links: bool) -> list[dict]:
    """getServiceEnvVarMap's selection: same-namespace services only with enableServiceLinks;
    the master services from the default namespace always (a same-named service of the
    pod's namespace wins). Ordered by name (the kubelet ranges over a Go map)."""
    chosen: dict[str, dict] = {}
    for name in MASTER_SERVICES:
        svc = api.try_get("services", MASTER_SERVICE_NAMESPACE, name)
        if svc is not None and is_service_ip_set(svc):
            chosen[name] = svc
    if enable_service_links:
        for svc in api.list("services", namespace):
            if is_service_ip_set(svc):
                chosen[svc["metadata"]["name"]] = svc
    return [chosen[k] for k in sorted(chosen)]


def service_env_map(api, namespace: str, enable_service_links: bool = True) -> dict[str, str]:
    return dict(from_services(services_for_pod(api, namespace, enable_service_links)))


def expand(text: str, mapping) -> str:
    """expansion.Expand: $(VAR) is replaced when VAR is known, $$ escapes a $, anything else stays."""
    out: list[str] = []
    i, n = 0, len(text)
    checkpoint = 0
    while i < n:
        if text[i] == "$" and i + 1 < n:
            out.append(text[checkpoint:i])
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                advance = 1
            elif nxt == "(":
                j = text.find(")", i + 2)
                if j == -1:
                    out.append("$(")
                    advance = 1
                else:
                    out.append(mapping(text[i + 2:j]))
                    advance = j - i
            else:
                out.append("$" + nxt)
                advance = 1
            i += advance
            checkpoint = i + 1
        i += 1
    return "".join(out) + text[checkpoint:]


def _mapping_for(*contexts):
    def mapping(name: str) -> str:
        for ctx in contexts:
            if name in ctx:
                return ctx[name]
        return f"$({name})"

    return mapping


def _field_ref(api, pod: dict, path: str) -> str:
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    m = re.fullmatch(r"metadata\.(labels|annotations)\['([^']*)'\]", path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    if path in ("metadata.labels", "metadata.annotations"):
        # fieldpath.FormatMap: key=%q per line, sorted
        return "\n".join(f"{k}={json.dumps(str(v), ensure_ascii=False)}"
                         for k, v in sorted((meta.get(path.split(".")[1]) or {}).items()))
    simple = {
        "metadata.name": meta.get("name", ""), "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.podIP": status.get("podIP", ""),
        "status.podIPs": ",".join(p.get("ip", "") for p in status.get("podIPs") or []),
        "status.hostIP": status.get("hostIP", ""),
        "status.hostIPs": ",".join(p.get("ip", "") for p in status.get("hostIPs") or []),
    }
    if path in simple:
        return simple[path] or ""
    raise EnvError(f"unsupported fieldPath: {path}")


_SUFFIXES = {"": 1, "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000), "k": 10**3,
             "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
             "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_QTY = re.compile(r"^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$")


def parse_quantity(value) -> Fraction:
    """resource.Quantity's exact value (validation has refused anything unparsable)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Fraction(str(value))
    m = _QTY.match(str(value or "0").strip())
    if not m:
        return Fraction(0)
    num = Fraction(m.group(1))
    if m.group(2):
        return num * Fraction(10) ** int(m.group(2)[1:])
    return num * _SUFFIXES[m.group(3) or ""]


_NODE_DEFAULTS = {"cpu": "8", "memory": "32827164Ki", "ephemeral-storage": "263174212Ki"}


def _resource_ref(api, pod: dict, container: dict, ref: dict) -> str:
    """containerResourceRuntimeValue on the pod as defaultPodLimitsForDownwardAPI leaves it:
    a container limit that is not set is the node's allocatable. cpu is ceil(milli / divisor
    milli), memory and ephemeral-storage ceil(value / divisor) (resource.ExtractContainerResourceValue)."""
    name = ref.get("containerName") or ""
    c = container
    if name:
        spec = pod.get("spec") or {}
        c = next((x for x in list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
                  if x.get("name") == name), None)
        if c is None:
            raise EnvError(f"container {name} not found")
    res = ref.get("resource", "")
    kind, _, what = res.partition(".")
    if kind not in ("limits", "requests") or what not in ("cpu", "memory", "ephemeral-storage"):
        raise EnvError(f"unsupported container resource : {res}")
    val = ((c.get("resources") or {}).get(kind) or {}).get(what)
    if val is None and kind == "limits":
        node = api.try_get("nodes", "", (pod.get("spec") or {}).get("nodeName") or "") if api is not None else None
        val = ((node or {}).get("status") or {}).get("allocatable", {}).get(what, _NODE_DEFAULTS[what])
    q = parse_quantity(val if val is not None else "0")
    divisor = parse_quantity(ref.get("divisor") or "0") or Fraction(1)
    if what == "cpu":
        # MilliValue() rounds up to a whole milli-unit
        return str(math.ceil(math.ceil(q * 1000) / max(math.ceil(divisor * 1000), 1)))
    return str(math.ceil(math.ceil(q) / max(math.ceil(divisor), 1)))


def make_environment_variables(api, pod: dict, container: dict) -> list[tuple[str, str]]:
    """makeEnvironmentVariables: the container's own variables (envFrom, then env in order),
    then the service variables it did not define itself. Raises EnvError like the kubelet."""
    ns = pod["metadata"].get("namespace", "default")
    spec = pod.get("spec") or {}
    links = spec.get("enableServiceLinks")
    service_env = service_env_map(api, ns, True if links is None else bool(links))
    tmp: dict[str, str] = {}
    configmaps: dict[str, dict | None] = {}
    secrets: dict[str, dict | None] = {}

    def get_cm(name: str) -> dict | None:
        if name not in configmaps:
            configmaps[name] = api.try_get("configmaps", ns, name)
        return configmaps[name]

    def get_secret(name: str) -> dict | None:
        if name not in secrets:
            secrets[name] = api.try_get("secrets", ns, name)
        return secrets[name]

    for src in container.get("envFrom") or []:
        prefix = src.get("prefix") or ""
        if src.get("configMapRef"):
            ref = src["configMapRef"]
            cm = get_cm(ref.get("name", ""))
            if cm is None:
                if ref.get("optional"):
                    continue
                raise EnvError(f'configmap "{ref.get("name", "")}" not found')
            for k, v in (cm.get("data") or {}).items():
                tmp[prefix + k] = v
        elif src.get("secretRef"):
            ref = src["secretRef"]
            sec = get_secret(ref.get("name", ""))
            if sec is None:
                if ref.get("optional"):
                    continue
                raise EnvError(f'secret "{ref.get("name", "")}" not found')
            for k, v in (sec.get("data") or {}).items():
                tmp[prefix + k] = _b64(v)

    mapping = _mapping_for(tmp, service_env)
    for ev in container.get("env") or []:
        name = ev.get("name", "")
        value = ev.get("value") or ""
        if value:
            value = expand(value, mapping)
        elif ev.get("valueFrom"):
            vf = ev["valueFrom"]
            if vf.get("fieldRef"):
                value = _field_ref(api, pod, vf["fieldRef"].get("fieldPath", ""))
            elif vf.get("resourceFieldRef"):
                value = _resource_ref(api, pod, container, vf["resourceFieldRef"])
            elif vf.get("configMapKeyRef"):
                ref = vf["configMapKeyRef"]
                cm = get_cm(ref.get("name", ""))
                if cm is None:
                    if ref.get("optional"):
                        continue
                    raise EnvError(f'configmap "{ref.get("name", "")}" not found')
                data = cm.get("data") or {}
                if ref.get("key") not in data:
                    if ref.get("optional"):
                        continue
                    raise EnvError(f"couldn't find key {ref.get('key')} in ConfigMap {ns}/{ref.get('name')}")
                value = data[ref["key"]]
            elif vf.get("secretKeyRef"):
                ref = vf["secretKeyRef"]
                sec = get_secret(ref.get("name", ""))
                if sec is None:
                    if ref.get("optional"):
                        continue
                    raise EnvError(f'secret "{ref.get("name", "")}" not found')
                data = sec.get("data") or {}
                if ref.get("key") not in data:
                    if ref.get("optional"):
                        continue
                    raise EnvError(f"couldn't find key {ref.get('key')} in Secret {ns}/{ref.get('name')}")
                value = _b64(data[ref["key"]])
        tmp[name] = value
    result = list(tmp.items())
    result += [(k, v) for k, v in service_env.items() if k not in tmp]
    return result


def _b64(v: str) -> str:
    try:
        return base64.b64decode(v).decode("utf-8", "replace")
    except (ValueError, TypeError):
        return ""


# ------------------------------------------------------------------ snapshot
def snapshot(api, pod: dict, containers: list[dict] | None = None) -> dict[str, list]:
    """Compute and keep the kubelet's variables of the pod's containers (all, or those given),
    as at container start. Raises EnvError for the first container that cannot start."""
    uid = pod["metadata"]["uid"]
    spec = pod.get("spec") or {}
    todo = containers if containers is not None else list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
    saved = _load(api, uid)
    for c in todo:
        saved[c.get("name", "")] = [list(kv) for kv in make_environment_variables(api, pod, c)]
    text = json.dumps(saved, separators=(",", ":"))
    api.store.meta_set(META_PREFIX + uid, text)
    written = _written(api)
    if len(written) >= 16:  # the container's start reads it back at once (its main process)
        written.clear()
    written[uid] = text
    return saved


def _written(api) -> dict[str, str]:
    """The snapshots this transaction wrote, by pod uid (api lives for one transaction)."""
    memo = getattr(api, "_env_snapshots", None)
    if memo is None:
        memo = api._env_snapshots = {}
    return memo


def _load(api, uid: str) -> dict:
    raw = _written(api).get(uid)
    if raw is None:
        raw = api.store.meta_get(META_PREFIX + uid)
    return json.loads(raw) if raw else {}


def forget(api, uid: str) -> None:
    _written(api).pop(uid, None)
    api.store.meta_delete(META_PREFIX + uid)


def kubelet_env(api, pod: dict, container_name: str) -> list[tuple[str, str]]:
    """The kubelet's variables for a container as computed at its start (computed now if the
    container never started here)."""
    saved = _load(api, pod["metadata"]["uid"])
    if container_name in saved:
        return [(k, v) for k, v in saved[container_name]]
    spec = pod.get("spec") or {}
    for c in list(spec.get("initContainers") or []) + list(spec.get("containers") or []):
        if c.get("name") == container_name:
            try:
                return make_environment_variables(api, pod, c)
            except EnvError:
                return []
    return []


def _find_container(pod: dict, name: str) -> dict | None:
    spec = pod.get("spec") or {}
    for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
        if c.get("name") == name:
            return c
    return None


def container_env(api, pod: dict, container_name: str) -> list[tuple[str, str]]:
    """The environment a process in the container sees, in the order `env` prints it."""
    from minikctl.kubelet.pods import image_config

    c = _find_container(pod, container_name) or {}
    img = image_config(c.get("image", ""), api)
    env: list[list[str]] = [["PATH", DEFAULT_PATH]]
    where: dict[str, int] = {"PATH": 0}

    def put(k: str, v: str) -> None:
        # oci.WithEnv / replaceOrAppendEnvValues: an existing name keeps its place
        i = where.get(k)
        if i is not None:
            env[i][1] = v
            return
        where[k] = len(env)
        env.append([k, v])

    if c.get("tty"):
        put("TERM", "xterm")
    put("HOSTNAME", hostname(pod))
    for item in img.get("env") or []:
        k, _, v = item.partition("=")
        put(k, v)
    for k, v in kubelet_env(api, pod, container_name):
        put(k, v)
    if "HOME" not in where:
        env.append(["HOME", img.get("home") or "/root"])
    return [(k, v) for k, v in env]


def hostname(pod: dict) -> str:
    """The pod's hostname (kubelet GeneratePodHostNameAndDomain): spec.hostname, else the
    pod name, truncated to 63 characters."""
    h = (pod.get("spec") or {}).get("hostname") or pod["metadata"]["name"]
    return h[:63].rstrip("-.")
