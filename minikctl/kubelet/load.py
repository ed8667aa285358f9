"""Request load as a rate (issue 11: the HPA walkthrough's load generator).

A client pod whose main process is a request loop (the documentation's
``while sleep 0.01; do wget -q -O- http://php-apache; done``, or ``while true; do curl -s URL;
sleep 1; done``) would make tens of requests a second for as long as it runs: far too many to
simulate one by one. Instead the kubelet recognises the loop's shape when it starts the
container (``detect``) and registers a *rate source*: requests per second toward a Service
(``register``). The source lives as long as that container runs: it is dropped when the pod
goes (``forget``) and ignored once the container is no longer running.

What a serving pod uses is derived from the sources (``container_cpu``): each source's rate is
spread over the ready endpoints of its Service, and each request costs the CPU the serving
image's catalog entry says (``usage.cpuPerRequest``, millicore-seconds per request: the
hpa-example image burns ~13 ms of CPU per request). metrics-server's view (``top``, the HPA)
adds it to the container's own usage, capped by its CPU limit (CFS quota).

The loop's rate: one request per (seconds slept per round + REQUEST_SECONDS), as a closed loop
of one client makes them.
"""

from __future__ import annotations

import json
import re
import shlex

META = "load:sources"  # JSON {"<pod uid>/<container>": {namespace, pod, uid, container, host, port, rate, url}}
REQUEST_SECONDS = 0.01  # one request's round trip (busybox wget start-up, connection, the response)
_CLIENTS = ("wget", "curl")
_IGNORED = ("echo", "true", ":", "date", "printf")


def _sleep_seconds(words: list[str]) -> float | None:
    if len(words) != 2 or words[0] != "sleep":
        return None
    m = re.fullmatch(r"([0-9]*\.?[0-9]+)(s?)", words[1])
    return float(m.group(1)) if m else None


def _strip_redirections(words: list[str]) -> list[str]:
    out, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if re.fullmatch(r"[0-9]*[<>]{1,2}(&[0-9-])?", w):
            skip = not w.endswith(("&1", "&2", "&-"))
            continue
        if re.fullmatch(r"[0-9]*[<>]{1,2}&?\S+", w):
            continue
        out.append(w)
    return out


def _url_of(words: list[str]) -> str | None:
    urls = [w for w in words[1:] if re.match(r"^https?://", w)]
    if len(urls) != 1:
        return None
    return urls[0]


def detect(argv: list[str]) -> dict | None:
    """The loop's shape: {"url", "period"} when argv is `sh -c 'while COND; do BODY; done'`
    whose body requests one http URL with wget or curl (and may sleep, echo); None otherwise."""
    if len(argv) < 3 or argv[0].rsplit("/", 1)[-1] not in ("sh", "bash", "ash", "dash") or argv[1] != "-c":
        return None
    script = argv[2].strip()
    m = re.fullmatch(r"while\s+(?P<cond>[^;\n]+?)\s*[;\n]\s*do\s+(?P<body>.+?)\s*[;\n]?\s*done\s*;?", script, re.S)
    if m is None:
        return None
    period = 0.0
    try:
        cond = shlex.split(m.group("cond"))
    except ValueError:
        return None
    if cond in (["true"], [":"]):
        pass
    elif _sleep_seconds(cond) is not None:
        period += _sleep_seconds(cond)
    else:
        return None
    url = client = command = None
    for part in re.split(r"\s*(?:;|&&|\n)\s*", m.group("body")):
        if not part:
            continue
        try:
            words = _strip_redirections(shlex.split(part))
        except ValueError:
            return None
        if not words:
            continue
        s = _sleep_seconds(words)
        if s is not None:
            period += s
        elif words[0].rsplit("/", 1)[-1] in _CLIENTS:
            u = _url_of(words)
            if u is None or url is not None:
                return None
            url, client, command = u, words[0], words
        elif words[0] not in _IGNORED:
            return None
    if url is None:
        return None
    return {"url": url, "period": period, "client": client, "command": command}


def _split_url(url: str) -> tuple[str, int, str]:
    m = re.match(r"^(https?)://([^/:?#]+)(?::([0-9]+))?([^?#]*)", url)
    if m is None:
        return "", 0, "/"
    port = int(m.group(3)) if m.group(3) else (443 if m.group(1) == "https" else 80)
    return m.group(2).lower(), port, m.group(4) or "/"


# ------------------------------------------------------------------ the sources
def _sources(api) -> dict:
    raw = api.store.meta_get(META)
    return json.loads(raw) if raw else {}


def _save(api, items: dict) -> None:
    if items:
        api.store.meta_set(META, json.dumps(items, sort_keys=True))
    else:
        api.store.meta_delete(META)


def register(api, pod: dict, container: dict, shape: dict) -> dict:
    """Record the loop of `container` in `pod` as a rate source; returns it."""
    meta = pod["metadata"]
    host, port, path = _split_url(shape["url"])
    src = {"namespace": meta.get("namespace", "default"), "pod": meta["name"], "uid": meta["uid"],
           "container": container.get("name", ""), "url": shape["url"], "host": host, "port": port, "path": path,
           "rate": round(1.0 / (shape["period"] + REQUEST_SECONDS), 6), "command": shape.get("command") or []}
    items = _sources(api)
    items[f"{meta['uid']}/{src['container']}"] = src
    _save(api, items)
    return src


def forget(api, uid: str) -> None:
    """The pod is gone: its sources go with it."""
    items = _sources(api)
    if not items:
        return
    kept = {k: v for k, v in items.items() if v.get("uid") != uid}
    if len(kept) != len(items):
        _save(api, kept)


def source_of(api, pod: dict, container_name: str) -> dict | None:
    return _sources(api).get(f"{pod['metadata']['uid']}/{container_name}")


def _running(api, src: dict) -> bool:
    pod = api.try_get("pods", src["namespace"], src["pod"])
    if pod is None or pod["metadata"].get("uid") != src["uid"]:
        return False
    for st in (pod.get("status") or {}).get("containerStatuses") or ():
        if st.get("name") == src["container"]:
            return "running" in (st.get("state") or {})
    return False


def _service_of(api, src: dict, domain: str) -> tuple[str, str] | None:
    """(namespace, name) of the Service the source's host names, as the client pod's resolver
    (search path <ns>.svc.<domain>, svc.<domain>, <domain>) finds it."""
    host = src["host"]
    parts = host.split(".")
    if len(parts) == 1:
        return src["namespace"], host
    suffix = "." + domain
    if host.endswith(suffix):
        parts = host[: -len(suffix)].split(".")
    if len(parts) == 2 or (len(parts) == 3 and parts[2] == "svc"):
        return parts[1], parts[0]
    return None


def _cluster_domain(api) -> str:
    cfg = getattr(api, "config", None) or {}
    return cfg.get("cluster_domain") or cfg.get("clusterDomain") or "cluster.local"


def _ready_endpoints(api, ns: str, name: str, port: int) -> list[str]:
    """The names of the pods behind the Service's ready endpoints for `port` (what kube-proxy
    spreads the connections over)."""
    svc = api.try_get("services", ns, name)
    if svc is None:
        return []
    ports = (svc.get("spec") or {}).get("ports") or []
    sp = next((p for p in ports if p.get("port") == port), None)
    if sp is None:
        return []
    eps = api.try_get("endpoints", ns, name)
    out = []
    for subset in (eps or {}).get("subsets") or ():
        if sp.get("name") and not any(p.get("name") == sp.get("name") for p in subset.get("ports") or ()):
            continue
        for a in subset.get("addresses") or ():
            ref = a.get("targetRef") or {}
            if ref.get("kind") == "Pod" and ref.get("name"):
                out.append(ref["name"])
    return out


def pod_request_rates(api, pod: dict) -> float:
    """Requests per second the rate sources send to `pod` now."""
    items = _sources(api)
    if not items:
        return 0.0
    name = pod["metadata"]["name"]
    ns = pod["metadata"].get("namespace", "default")
    domain = _cluster_domain(api)
    total = 0.0
    for src in items.values():
        target = _service_of(api, src, domain)
        if target is None or target[0] != ns or not _running(api, src):
            continue
        ready = _ready_endpoints(api, target[0], target[1], src["port"])
        if name in ready:
            total += float(src["rate"]) / len(ready)
    return total


def container_cpu(api, pod: dict, container: dict, image) -> int:
    """Millicores the requests reaching `pod` cost in `container` (the first container whose
    image has usage.cpuPerRequest), before its CPU limit."""
    from minikctl.kubelet.resources import milli

    usage = ((getattr(image, "spec", None) or {}).get("usage") or {})
    cost = usage.get("cpuPerRequest") if isinstance(usage, dict) else None
    if not cost:
        return 0
    rate = pod_request_rates(api, pod)
    if not rate:
        return 0
    return int(round(rate * milli(cost)))
