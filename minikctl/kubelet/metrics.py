"""metrics-server's view of a pod (the Metrics API's PodMetrics), shared by `top` and the
horizontal pod autoscaler: a container's usage is what its image uses
(minikctl.kubelet.resources.container_usage: the catalog's `usage`, stress programs'
arguments) plus the requests it serves (minikctl.kubelet.load), CPU capped by its limit.
metrics-server scrapes every 15 s (--metric-resolution), so a container has metrics once it
has run that long on the cluster clock."""

from __future__ import annotations

METRIC_RESOLUTION = 15.0  # metrics-server --metric-resolution: its first scrape of a container


def _started(st: dict) -> float | None:
    from minikctl.printers.duration import parse_time

    run = (st.get("state") or {}).get("running")
    if not isinstance(run, dict) or not run.get("startedAt"):
        return None
    try:
        return parse_time(run["startedAt"]).timestamp()
    except (TypeError, ValueError):
        return None


def pod_metrics(api, pod: dict, now: float, delay: float = METRIC_RESOLUTION) -> list[tuple[str, int, int]] | None:
    """PodMetrics.containers as [(name, millicores, bytes)], None when metrics-server has none."""
    from minikctl.kubelet.pods import resolve_image
    from minikctl.kubelet.resources import container_usage

    if (pod.get("status") or {}).get("phase") != "Running":
        return None
    spec = pod.get("spec") or {}
    specs = {c.get("name"): c for c in list(spec.get("initContainers") or ()) + list(spec.get("containers") or ())}
    status = pod.get("status") or {}
    out = []
    served = False
    for st in list(status.get("initContainerStatuses") or ()) + list(status.get("containerStatuses") or ()):
        c = specs.get(st.get("name"))
        t = _started(st)
        if c is None or t is None or now - t < delay:
            continue
        image = resolve_image(api, c.get("image", ""))
        extra = 0
        if not served:
            from minikctl.kubelet.load import container_cpu

            extra = container_cpu(api, pod, c, image)
            served = bool(extra)
        cpu, mem = container_usage(image, c, extra)
        out.append((c.get("name", ""), cpu, mem))
    return out or None
