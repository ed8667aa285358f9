"""horizontal-pod-autoscaler (pkg/controller/podautoscaler/horizontal.go, replica_calculator.go
and metrics/utilization.go, kube-controller-manager 1.32 with its default flags).

Timing: the controller's work queue adds every HPA with the resync period's delay
(NewDefaultHPARateLimiter: a fixed 15 s, --horizontal-pod-autoscaler-sync-period), so an HPA is
first reconciled 15 s after it is created and then every 15 s; a spec update does not make it
sooner (the key is already queued). Each HPA's next sync time is kept in one store meta key and
`clock advance` stops at those times (``next_wakeup``), so an hour of cluster time reconciles
every HPA 240 times, each at its moment.

The controller's memory (the recommendations of the last stabilization window, the scale-up
and scale-down events of the behavior policies' periods) lives in a meta key per HPA, as the
real controller keeps it in maps keyed by namespace/name.

Metrics come from metrics-server's view (minikctl.kubelet.metrics: each container's usage,
the requests it serves included, once it has run 15 s). Defaults as kube-controller-manager's:
tolerance 0.1, downscale stabilization 5 minutes, CPU initialization period 5 minutes, initial
readiness delay 30 s.
"""

from __future__ import annotations

import json
import math

SOURCE = "horizontal-pod-autoscaler"
NEXT_META = "controllers:hpa-next"  # JSON {"ns|name": next sync time (unix seconds)}
DUE_META = "controllers:hpa-due"  # the earliest of them, for the wall clock's catch-up
STATE_META = "controllers:hpa:"  # + "ns/name": JSON {"recs": [[n, ts]], "up": [[n, ts]], "down": [[n, ts]]}
SYNC_PERIOD = 15.0
TOLERANCE = 0.1
DOWNSCALE_STABILIZATION = 300
CPU_INITIALIZATION_PERIOD = 300.0
INITIAL_READINESS_DELAY = 30.0
METRIC_WINDOW = 15.0  # metrics-server's window: the interval between the two scrapes it reports over
SCALE_UP_LIMIT_FACTOR, SCALE_UP_LIMIT_MINIMUM = 2.0, 4.0
INT32_MAX, INT32_MIN = 2**31 - 1, -(2**31)
# scaleTargetRef group -> kinds with a scale subresource
_SCALABLE = {("apps", "Deployment"): "deployments", ("apps", "ReplicaSet"): "replicasets",
             ("apps", "StatefulSet"): "statefulsets", ("", "ReplicationController"): "replicationcontrollers"}
_GROUP_KINDS = {"apps": ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ControllerRevision"),
                "": ("ReplicationController", "Pod", "Service", "ConfigMap", "Secret", "Endpoints", "Namespace",
                     "Node", "ServiceAccount", "Event", "PersistentVolumeClaim", "PersistentVolume"),
                "batch": ("Job", "CronJob")}


class MetricError(Exception):
    def __init__(self, message: str, condition: tuple[str, str, str, str] | None = None):
        super().__init__(message)
        self.condition = condition


# ------------------------------------------------------------------- watches
def on_hpa(api, namespace: str, name: str) -> None:
    """enqueueHPA / deleteHPA: AddRateLimited (the first sync one period later), Forget."""
    key = f"{namespace}|{name}"
    nxt = _next(api)
    if api.try_get("horizontalpodautoscalers", namespace, name) is None:
        if key in nxt:
            del nxt[key]
            _save_next(api, nxt)
        api.store.meta_delete(STATE_META + f"{namespace}/{name}")
        return
    if key not in nxt:
        nxt[key] = api.clock.timestamp() + SYNC_PERIOD
        _save_next(api, nxt)


def _next(api) -> dict:
    raw = api.store.meta_get(NEXT_META)
    return json.loads(raw) if raw else {}


def _save_next(api, nxt: dict) -> None:
    if nxt:
        api.store.meta_set(NEXT_META, json.dumps(nxt, sort_keys=True))
        api.store.meta_set(DUE_META, repr(float(min(nxt.values()))))
    else:
        api.store.meta_delete(NEXT_META)
        api.store.meta_delete(DUE_META)


def catch_up(session) -> None:
    """Syncs that fell due while no command ran (wall clock): each due HPA reconciled once, now
    (minikctl.api.cluster.Session.open checks DUE_META: one meta read per command)."""
    from minikctl.controllers import run_queue

    with session.write() as api:
        on_clock(api)
        run_queue(api)


def next_wakeup(api, after_ns: int, until_ns: int) -> int | None:
    nxt = _next(api)
    if not nxt:
        return None
    t = int(round(min(nxt.values()) * 1_000_000_000))
    return t if after_ns < t < until_ns else None


def on_clock(api) -> None:
    now = api.clock.timestamp()
    for key, ts in sorted(_next(api).items()):
        if ts <= now + 1e-6:
            ns, name = key.split("|", 1)
            api._enqueue("~hpa", ns, name)


# ----------------------------------------------------------------- the state
def _state(api, ns: str, name: str) -> dict:
    raw = api.store.meta_get(STATE_META + f"{ns}/{name}")
    st = json.loads(raw) if raw else {}
    for k in ("recs", "up", "down"):
        st.setdefault(k, [])
    return st


def _save_state(api, ns: str, name: str, st: dict) -> None:
    api.store.meta_set(STATE_META + f"{ns}/{name}", json.dumps(st, sort_keys=True))


# ------------------------------------------------------------------ the sync
def sync(api, namespace: str, name: str) -> None:
    from minikctl.api.server import clone

    key = f"{namespace}|{name}"
    nxt = _next(api)
    now = api.clock.timestamp()
    due = nxt.get(key)
    if due is None or due > now + 1e-6:
        return  # not due (a stale work key)
    hpa = api.try_get("horizontalpodautoscalers", namespace, name)
    if hpa is None:
        del nxt[key]
        _save_next(api, nxt)
        return
    nxt[key] = now + SYNC_PERIOD  # processNextWorkItem: AddRateLimited again
    _save_next(api, nxt)
    original = clone(hpa.get("status") or {})
    hpa = clone(hpa)
    hpa["status"] = clone(original)
    state = _state(api, namespace, name)
    try:
        _reconcile(api, hpa, state, now)
    finally:
        _save_state(api, namespace, name, state)
    if hpa["status"] != original:
        api.update_status(hpa)


def _set_condition(api, hpa: dict, ctype: str, status: str, reason: str, message: str) -> None:
    """setConditionInList: the condition's place kept, lastTransitionTime moved only when the
    status changes."""
    conds = hpa["status"].get("conditions") or []
    for c in conds:
        if c.get("type") == ctype:
            break
    else:
        c = {"type": ctype}
        conds.append(c)
    if c.get("status") != status:
        c["lastTransitionTime"] = api.clock.rfc3339()
    new = {"type": ctype, "status": status, "lastTransitionTime": c.get("lastTransitionTime"),
           "reason": reason, "message": message}
    c.clear()
    c.update(new)
    hpa["status"]["conditions"] = conds


def _event(api, hpa: dict, type_: str, reason: str, message: str) -> None:
    api.record_event(hpa, type_, reason, message, SOURCE)


def _set_status(api, hpa: dict, current: int, desired: int, metrics, rescale: bool) -> None:
    """setStatus: the status rebuilt (v2 field order), lastScaleTime now when it rescaled."""
    old = hpa["status"]
    st: dict = {}
    last = api.clock.rfc3339() if rescale else old.get("lastScaleTime")
    if last:
        st["lastScaleTime"] = last
    if current:
        st["currentReplicas"] = current
    st["desiredReplicas"] = desired
    st["currentMetrics"] = metrics
    if old.get("conditions"):
        st["conditions"] = old["conditions"]
    hpa["status"] = st


def _reconcile(api, hpa: dict, state: dict, now: float) -> None:
    """reconcileAutoscaler."""
    spec = hpa.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    kind, ref_name = ref.get("kind") or "", ref.get("name") or ""
    ns = hpa["metadata"].get("namespace", "default")
    api_version = ref.get("apiVersion") or ""
    if api_version.count("/") > 1:
        err = f"unexpected GroupVersion string: {api_version}"
        _failed_get_scale(api, hpa, err)
        return
    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    resource = _SCALABLE.get((group, kind))
    if resource is None:
        if kind in _GROUP_KINDS.get(group, ()):
            # a kind without a scale subresource: the scale client's NotFound
            err = "the server could not find the requested resource"
        else:
            err = f'no matches for kind "{kind}" in group "{group}"'
        _failed_get_scale(api, hpa, err)
        return
    target = api.try_get(resource, ns, ref_name)
    if target is None:
        from minikctl.api import kinds as K

        _failed_get_scale(api, hpa, f'{K.by_plural(resource).group_resource} "{ref_name}" not found')
        return
    _set_condition(api, hpa, "AbleToScale", "True", "SucceededGetScale",
                   "the HPA controller was able to get the target's current scale")
    tspec = target.get("spec") or {}
    current = int(tspec.get("replicas") if tspec.get("replicas") is not None else 1)
    if not state["recs"]:  # recordInitialRecommendation
        state["recs"] = [[current, now]]
    min_r = int(spec["minReplicas"]) if spec.get("minReplicas") is not None else 1
    max_r = int(spec.get("maxReplicas") or 0)
    metric_statuses = None
    rescale = True
    reason = ""
    if current == 0 and min_r != 0:
        desired = 0
        rescale = False
        _set_condition(api, hpa, "ScalingActive", "False", "ScalingDisabled",
                       "scaling is disabled since the replica count of the target is zero")
    elif current > max_r:
        reason, desired = "Current number of replicas above Spec.MaxReplicas", max_r
    elif current < min_r:
        reason, desired = "Current number of replicas below Spec.MinReplicas", min_r
    else:
        try:
            proposal, metric, metric_statuses = _replicas_for_metrics(api, hpa, target, resource, current, now)
        except MetricError as e:
            _set_status(api, hpa, current, int(hpa["status"].get("desiredReplicas") or 0),
                        hpa["status"].get("currentMetrics"), False)
            _event(api, hpa, "Warning", "FailedComputeMetricsReplicas", str(e))
            return
        desired = 0
        rescale_metric = ""
        if proposal > desired:
            desired, rescale_metric = proposal, metric
        if desired > current:
            reason = f"{rescale_metric} above target"
        if desired < current:
            reason = "All metrics below target"
        if spec.get("behavior") is None:
            desired = _normalize(api, hpa, state, current, desired, min_r, max_r, now)
        else:
            desired = _normalize_with_behaviors(api, hpa, state, current, desired, min_r, max_r, now)
        rescale = desired != current
    if rescale:
        target = api.get(resource, ns, ref_name)
        target.setdefault("spec", {})["replicas"] = desired
        api.update(target, check_rv=False)
        _set_condition(api, hpa, "AbleToScale", "True", "SucceededRescale",
                       f"the HPA controller was able to update the target scale to {desired}")
        _event(api, hpa, "Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
        _store_scale_event(spec.get("behavior"), state, current, desired, now)
    else:
        desired = current
    _set_status(api, hpa, current, desired, metric_statuses, rescale)


def _failed_get_scale(api, hpa: dict, err: str) -> None:
    _event(api, hpa, "Warning", "FailedGetScale", err)
    _set_condition(api, hpa, "AbleToScale", "False", "FailedGetScale",
                   f"the HPA controller was unable to get the target's current scale: {err}")


# ---------------------------------------------------------------- metrics
def _selector(target: dict, resource: str):
    from minikctl.api import selectors

    sel = (target.get("spec") or {}).get("selector")
    if resource == "replicationcontrollers":
        return selectors.from_map(sel) if sel else None
    if isinstance(sel, dict) and (sel.get("matchLabels") or sel.get("matchExpressions")):
        return selectors.from_label_selector(sel)
    return None


def _replicas_for_metrics(api, hpa: dict, target: dict, resource: str, spec_replicas: int, now: float):
    """computeReplicasForMetrics: the largest proposal of the metrics; MetricError when all
    fail (or some fail and the rest would scale down)."""
    sel = _selector(target, resource)
    if sel is None:
        _event(api, hpa, "Warning", "SelectorRequired", "selector is required")
        _set_condition(api, hpa, "ScalingActive", "False", "InvalidSelector",
                       "the HPA target's scale is missing a selector")
        raise MetricError("selector is required")
    specs = (hpa.get("spec") or {}).get("metrics") or []
    statuses: list[dict] = [{"type": ""} for _ in specs]
    replicas, metric = 0, ""
    invalid = 0
    first_err: MetricError | None = None
    ns = hpa["metadata"].get("namespace", "default")
    pods = None
    for i, m in enumerate(specs):
        try:
            if pods is None:
                pods = sorted(api.list("pods", ns, selector=sel), key=lambda p: p["metadata"]["name"])
            proposal, name, status = _replicas_for_metric(api, hpa, m, spec_replicas, pods, now)
        except MetricError as e:
            if invalid == 0:
                first_err = e
            invalid += 1
            continue
        statuses[i] = status
        if replicas == 0 or proposal > replicas:
            replicas, metric = proposal, name
    if invalid >= len(specs) or (invalid > 0 and replicas < spec_replicas):
        if first_err is not None and first_err.condition is not None:
            _set_condition(api, hpa, *first_err.condition)
        raise MetricError(f"invalid metrics ({invalid} invalid out of {len(specs)}), first error is: {first_err}")
    _set_condition(api, hpa, "ScalingActive", "True", "ValidMetricFound",
                   f"the HPA was able to successfully calculate a replica count from {metric}")
    return replicas, metric, statuses


def _unable(api, hpa: dict, reason: str, err: str) -> MetricError:
    """getUnableComputeReplicaCountCondition: a Warning event and the ScalingActive=False condition."""
    _event(api, hpa, "Warning", reason, err)
    return MetricError(err, ("ScalingActive", "False", reason, f"the HPA was unable to compute the replica count: {err}"))


_NO_CUSTOM = "unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered"


def _replicas_for_metric(api, hpa: dict, m: dict, current: int, pods: list, now: float):
    """computeReplicasForMetric. Pods and Object metrics need a custom metrics API, External ones
    an external metrics API: the emulated cluster runs metrics-server only, so they fail as
    kube-controller-manager reports it when no adapter is registered."""
    typ = m.get("type") if isinstance(m, dict) else None
    ns = hpa["metadata"].get("namespace", "default")
    if typ == "Resource":
        return _resource_metric(api, hpa, m, "resource", current, pods, now)
    if typ == "ContainerResource":
        return _resource_metric(api, hpa, m, "containerResource", current, pods, now)
    if typ == "Pods":
        n = ((m.get("pods") or {}).get("metric") or {}).get("name") or ""
        err = _unable(api, hpa, "FailedGetPodsMetric", f"unable to get metric {n}: {_NO_CUSTOM}")
        raise MetricError(f"failed to get pods metric value: {err}", err.condition)
    if typ == "Object":
        src = m.get("object") or {}
        n = (src.get("metric") or {}).get("name") or ""
        obj = src.get("describedObject") or {}
        # replica_calculator.go's format puts the kind where the error goes
        inner = f"unable to get metric {n}: {obj.get('kind') or ''} on {ns} {obj.get('name') or ''}/{_NO_CUSTOM}"
        if (src.get("target") or {}).get("type") == "AverageValue":
            inner = f"failed to get {n} object metric: {inner}"
        err = _unable(api, hpa, "FailedGetObjectMetric", inner)
        raise MetricError(f"failed to get object metric value: {err}", err.condition)
    if typ == "External":
        src = m.get("external") or {}
        n = (src.get("metric") or {}).get("name") or ""
        inner = (f"unable to get external metric {ns}/{n}/nil: unable to fetch metrics from external metrics API: "
                 f"the server could not find the requested resource (get {n}.external.metrics.k8s.io)")
        err = _unable(api, hpa, "FailedGetExternalMetric", inner)
        wrapped = (f"failed to get {n} external metric: {err}" if (src.get("target") or {}).get("averageValue")
                   is not None else f"failed to get external metric {n}: {err}")
        raise MetricError(f"failed to get {n} external metric value: {wrapped}", err.condition)
    err = _unable(api, hpa, "InvalidMetricSourceType", f'unknown metric source type "{typ}"')
    raise MetricError(str(err), err.condition)


def _resource_metric(api, hpa: dict, m: dict, key: str, current: int, pods: list, now: float):
    """computeStatusForResourceMetric(Generic) with GetResourceReplicas / GetRawResourceReplicas."""
    src = m.get(key) or {}
    res = src.get("name") or ""
    container = src.get("container") or "" if key == "containerResource" else ""
    target = src.get("target") or {}
    reason = "FailedGetResourceMetric" if key == "resource" else "FailedGetContainerResourceMetric"
    outer = (f"failed to get {res} resource metric value: " if key == "resource"
             else f"failed to get {container} container metric value: ")
    try:
        if target.get("averageValue") is not None:
            from minikctl.kubelet.resources import milli

            try:
                n, raw = _raw_resource_replicas(api, current, milli(target["averageValue"]), res, pods, container, now)
            except MetricError as e:
                raise MetricError(f"failed to get {res} usage: {e}") from None
            status = {"type": "Resource" if key == "resource" else "ContainerResource",
                      key: {"name": res, **({"container": container} if container else {}),
                            "current": {"averageValue": _milli_quantity(raw)}}}
            return n, f"{res} resource", status
        if target.get("averageUtilization") is None:
            raise MetricError("invalid resource metric source: neither an average utilization target nor an "
                              "average value (usage) target was set")
        try:
            n, util, raw = _resource_replicas(api, current, int(target["averageUtilization"]), res, pods, container,
                                              now)
        except MetricError as e:
            raise MetricError(f"failed to get {res} utilization: {e}") from None
    except MetricError as e:
        err = _unable(api, hpa, reason, str(e))
        raise MetricError(outer + str(e), err.condition) from None
    name = (f"{res} resource utilization (percentage of request)" if key == "resource"
            else f"{res} container resource utilization (percentage of request)")
    status = {"type": "Resource" if key == "resource" else "ContainerResource",
              key: {"name": res, **({"container": container} if container else {}),
                    "current": {"averageValue": _milli_quantity(raw), "averageUtilization": util}}}
    return n, name, status


def _milli_quantity(v: int) -> str:
    from fractions import Fraction

    from minikctl.printers.describe.quantity import Quantity, quantity_string

    return quantity_string(Quantity(Fraction(v, 1000)))


def _pod_metrics(api, pods: list, res: str, container: str, now: float) -> dict:
    """The Metrics API's PodMetrics of the pods (getPodMetrics / getContainerMetrics), in
    milli-units, with the time of metrics-server's last scrape."""
    from minikctl.kubelet.metrics import pod_metrics

    out = {}
    items = 0
    for p in pods:
        ms = pod_metrics(api, p, now)
        if not ms:
            continue
        items += 1
        total, missing = 0, False
        for cname, cpu, mem in ms:
            if container and cname != container:
                continue
            total += cpu if res == "cpu" else (mem * 1000 if res == "memory" else 0)
            if res not in ("cpu", "memory"):
                missing = True
        if container and not any(c == container for c, _, _ in ms):
            missing = True
        if not missing:
            out[p["metadata"]["name"]] = total
    if not items:
        raise MetricError("no metrics returned from resource metrics API")
    return out


def _ts(s) -> float | None:
    from minikctl.printers.duration import parse_time

    if not s:
        return None
    try:
        return parse_time(s).timestamp()
    except (TypeError, ValueError):
        return None


def _group_pods(pods: list, metrics: dict, res: str, now: float):
    """groupPods: (ready count, unready, missing, ignored)."""
    ready = 0
    unready, missing, ignored = set(), set(), set()
    for p in pods:
        name = p["metadata"]["name"]
        status = p.get("status") or {}
        if p["metadata"].get("deletionTimestamp") or status.get("phase") == "Failed":
            ignored.add(name)
            continue
        if status.get("phase") == "Pending":
            unready.add(name)
            continue
        if name not in metrics:
            missing.add(name)
            continue
        if res == "cpu":
            cond = next((c for c in status.get("conditions") or () if c.get("type") == "Ready"), None)
            start = _ts(status.get("startTime"))
            if cond is None or start is None:
                is_unready = True
            else:
                changed = _ts(cond.get("lastTransitionTime")) or 0.0
                if start + CPU_INITIALIZATION_PERIOD > now:
                    # metric.Timestamp (metrics-server's last scrape: now) before the transition + window
                    is_unready = cond.get("status") == "False" or now < changed + METRIC_WINDOW
                else:
                    is_unready = cond.get("status") == "False" and start + INITIAL_READINESS_DELAY > changed
            if is_unready:
                unready.add(name)
                continue
        ready += 1
    return ready, unready, missing, ignored


def _requests(pods: list, container: str, res: str) -> dict:
    """calculatePodRequests."""
    from minikctl.kubelet.resources import milli

    out = {}
    for p in pods:
        total = 0
        for c in (p.get("spec") or {}).get("containers") or ():
            if container and c.get("name") != container:
                continue
            reqs = ((c.get("resources") or {}).get("requests") or {})
            if res not in reqs:
                raise MetricError(f"missing request for {res} in container {c.get('name', '')} of Pod "
                                  f"{p['metadata']['name']}")
            total += milli(reqs[res])
        out[p["metadata"]["name"]] = total
    return out


def _utilization_ratio(metrics: dict, requests: dict, target: int):
    """metrics.GetResourceUtilizationRatio."""
    m_total = r_total = n = 0
    for name, v in metrics.items():
        if name not in requests:
            continue
        m_total += v
        r_total += requests[name]
        n += 1
    if r_total == 0:
        raise MetricError("no metrics returned matched known pods")
    util = _go_div(m_total * 100, r_total)
    return util / target, util, _go_div(m_total, n)


def _go_div(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _ceil(x: float) -> int:
    return int(math.ceil(x))


def _ready_metrics(api, pods: list, res: str, container: str, now: float):
    """The part GetResourceReplicas and GetRawResourceReplicas share (replica_calculator.go):
    the pods' metrics without the ignored and unready pods, and how the pods group."""
    try:
        metrics = _pod_metrics(api, pods, res, container, now)
    except MetricError as e:
        raise MetricError(f"unable to get metrics for resource {res}: {e}") from None
    if not pods:
        raise MetricError("no pods returned by selector while calculating replica count")
    ready, unready, missing, ignored = _group_pods(pods, metrics, res, now)
    for n in ignored | unready:
        metrics.pop(n, None)
    if not metrics:
        raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
    return metrics, ready, unready, missing


def _resource_replicas(api, current: int, target: int, res: str, pods: list, container: str, now: float):
    """GetResourceReplicas."""
    metrics, ready, unready, missing = _ready_metrics(api, pods, res, container, now)
    requests = _requests(pods, container, res)
    ratio, util, raw = _utilization_ratio(metrics, requests, target)
    scale_up_unready = bool(unready) and ratio > 1.0
    if not scale_up_unready and not missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return current, util, raw
        return _ceil(ratio * ready), util, raw
    if missing:
        if ratio < 1.0:
            fallback = max(100, target)
            for n in missing:
                metrics[n] = _go_div(requests[n] * fallback, 100)
        elif ratio > 1.0:
            for n in missing:
                metrics[n] = 0
    if scale_up_unready:
        for n in unready:
            metrics[n] = 0
    new_ratio, _, _ = _utilization_ratio(metrics, requests, target)
    if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or (ratio > 1.0 > new_ratio):
        return current, util, raw
    n = _ceil(new_ratio * len(metrics))
    if (new_ratio < 1.0 and n > current) or (new_ratio > 1.0 and n < current):
        return current, util, raw
    return n, util, raw


def _raw_resource_replicas(api, current: int, target: int, res: str, pods: list, container: str, now: float):
    """GetRawResourceReplicas -> calcPlainMetricReplicas."""
    metrics, ready, unready, missing = _ready_metrics(api, pods, res, container, now)

    def usage_ratio(ms: dict):
        usage = _go_div(sum(ms.values()), len(ms))
        return usage / target, usage

    ratio, usage = usage_ratio(metrics)
    scale_up_unready = bool(unready) and ratio > 1.0
    if not scale_up_unready and not missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return current, usage
        return _ceil(ratio * ready), usage
    if missing:
        for n in missing:
            metrics[n] = target if ratio < 1.0 else 0
        if ratio == 1.0:
            for n in missing:
                metrics.pop(n, None)
    if scale_up_unready:
        for n in unready:
            metrics[n] = 0
    new_ratio, _ = usage_ratio(metrics)
    if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or (ratio > 1.0 > new_ratio):
        return current, usage
    n = _ceil(new_ratio * len(metrics))
    if (new_ratio < 1.0 and n > current) or (new_ratio > 1.0 and n < current):
        return current, usage
    return n, usage


# --------------------------------------------------------------- normalizing
def _normalize(api, hpa: dict, state: dict, current: int, desired: int, min_r: int, max_r: int, now: float) -> int:
    """normalizeDesiredReplicas: the highest recommendation of the downscale stabilization
    window, then min/max and the scale-up limit (twice the replicas, at least 4)."""
    stabilized = _stabilize(state, desired, now)
    if stabilized != desired:
        _set_condition(api, hpa, "AbleToScale", "True", "ScaleDownStabilized",
                       "recent recommendations were higher than current one, applying the highest recent "
                       "recommendation")
    else:
        _set_condition(api, hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
    n, reason, message = _convert_with_rules(current, stabilized, min_r, max_r)
    _set_condition(api, hpa, "ScalingLimited", "False" if n == stabilized else "True", reason, message)
    return n


def _stabilize(state: dict, desired: int, now: float) -> int:
    """stabilizeRecommendation."""
    best = desired
    cutoff = now - DOWNSCALE_STABILIZATION
    old = None
    recs = state["recs"]
    for i, (rec, ts) in enumerate(recs):
        if ts < cutoff:
            old = i
        elif rec > best:
            best = rec
    if old is not None:
        recs[old] = [desired, now]
    else:
        recs.append([desired, now])
    return best


def _convert_with_rules(current: int, desired: int, min_r: int, max_r: int) -> tuple[int, str, str]:
    """convertDesiredReplicasWithRules."""
    limit = int(max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM))
    if max_r > limit:
        max_allowed, cond, msg = limit, "ScaleUpLimit", "the desired replica count is increasing faster than the " \
                                                        "maximum scale rate"
    else:
        max_allowed, cond, msg = max_r, "TooManyReplicas", "the desired replica count is more than the maximum " \
                                                           "replica count"
    if desired < min_r:
        return min_r, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
    if desired > max_allowed:
        return max_allowed, cond, msg
    return desired, "DesiredWithinRange", "the desired count is within the acceptable range"


def _normalize_with_behaviors(api, hpa: dict, state: dict, current: int, desired: int, min_r: int, max_r: int,
                              now: float) -> int:
    """normalizeDesiredReplicasWithBehaviors."""
    behavior = (hpa.get("spec") or {}).get("behavior") or {}
    up = behavior.get("scaleUp") or {}
    down = dict(behavior.get("scaleDown") or {})
    if down.get("stabilizationWindowSeconds") is None:  # maybeInitScaleDownStabilizationWindow
        down["stabilizationWindowSeconds"] = DOWNSCALE_STABILIZATION
    stabilized, reason, message = _stabilize_with_behaviors(state, current, desired, up, down, now)
    if stabilized != desired:
        _set_condition(api, hpa, "AbleToScale", "True", reason, message)
    else:
        _set_condition(api, hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
    n, reason, message = _convert_with_behavior_rate(state, current, stabilized, min_r, max_r, up, down, now)
    _set_condition(api, hpa, "ScalingLimited", "False" if n == stabilized else "True", reason, message)
    return n


def _stabilize_with_behaviors(state: dict, current: int, desired: int, up: dict, down: dict, now: float):
    up_rec = down_rec = desired
    up_cutoff = now - int(up.get("stabilizationWindowSeconds") or 0)
    down_cutoff = now - int(down.get("stabilizationWindowSeconds") or 0)
    old = None
    recs = state["recs"]
    for i, (rec, ts) in enumerate(recs):
        if ts > up_cutoff:
            up_rec = min(rec, up_rec)
        if ts > down_cutoff:
            down_rec = max(rec, down_rec)
        if ts < up_cutoff and ts < down_cutoff:
            old = i
    rec = current
    if rec < up_rec:
        rec = up_rec
    if rec > down_rec:
        rec = down_rec
    if old is not None:
        recs[old] = [desired, now]
    else:
        recs.append([desired, now])
    if desired >= current:
        return rec, "ScaleUpStabilized", ("recent recommendations were lower than current one, applying the lowest "
                                          "recent recommendation")
    return rec, "ScaleDownStabilized", ("recent recommendations were higher than current one, applying the highest "
                                        "recent recommendation")


def _changes_in_period(period: int, events: list, now: float) -> int:
    """getReplicasChangePerPeriod."""
    cutoff = now - period
    return sum(ch for ch, ts in events if ts > cutoff)


def _scale_up_limit(current: int, up_events: list, down_events: list, rules: dict, now: float) -> int:
    """calculateScaleUpLimitWithScalingRules."""
    select = rules.get("selectPolicy") or "Max"
    if select == "Disabled":
        return current
    result = INT32_MAX if select == "Min" else INT32_MIN
    for p in rules.get("policies") or ():
        period = int(p.get("periodSeconds") or 0)
        start = current - _changes_in_period(period, up_events, now) + _changes_in_period(period, down_events, now)
        if p.get("type") == "Pods":
            proposed = start + int(p.get("value") or 0)
        else:
            proposed = _ceil(float(start) * (1 + float(p.get("value") or 0) / 100))
        result = min(result, proposed) if select == "Min" else max(result, proposed)
    return result


def _scale_down_limit(current: int, up_events: list, down_events: list, rules: dict, now: float) -> int:
    """calculateScaleDownLimitWithBehaviors."""
    select = rules.get("selectPolicy") or "Max"
    if select == "Disabled":
        return current
    result = INT32_MIN if select == "Min" else INT32_MAX
    for p in rules.get("policies") or ():
        period = int(p.get("periodSeconds") or 0)
        start = current - _changes_in_period(period, up_events, now) + _changes_in_period(period, down_events, now)
        if p.get("type") == "Pods":
            proposed = start - int(p.get("value") or 0)
        else:
            proposed = int(float(start) * (1 - float(p.get("value") or 0) / 100))
        result = max(result, proposed) if select == "Min" else min(result, proposed)
    return result


def _convert_with_behavior_rate(state: dict, current: int, desired: int, min_r: int, max_r: int, up: dict,
                                down: dict, now: float) -> tuple[int, str, str]:
    """convertDesiredReplicasWithBehaviorRate."""
    ups = [(e[0], e[1]) for e in state["up"]]
    downs = [(e[0], e[1]) for e in state["down"]]
    if desired > current:
        limit = max(_scale_up_limit(current, ups, downs, up, now), current)
        if max_r > limit:
            allowed, reason, message = limit, "ScaleUpLimit", ("the desired replica count is increasing faster than "
                                                               "the maximum scale rate")
        else:
            allowed, reason, message = max_r, "TooManyReplicas", ("the desired replica count is more than the maximum "
                                                                  "replica count")
        if desired > allowed:
            return allowed, reason, message
    elif desired < current:
        limit = min(_scale_down_limit(current, ups, downs, down, now), current)
        if min_r < limit:
            allowed, reason, message = limit, "ScaleDownLimit", ("the desired replica count is decreasing faster "
                                                                 "than the maximum scale rate")
        else:
            allowed, reason, message = min_r, "TooFewReplicas", ("the desired replica count is less than the minimum "
                                                                 "replica count")
        if desired < allowed:
            return allowed, reason, message
    return desired, "DesiredWithinRange", "the desired count is within the acceptable range"


def _store_scale_event(behavior, state: dict, prev: int, new: int, now: float) -> None:
    """storeScaleEvent: only with a behavior; an event older than the longest policy period is
    replaced (markScaleEventsOutdated), else appended."""
    if not isinstance(behavior, dict):
        return
    key, rules, change = ("up", behavior.get("scaleUp") or {}, new - prev) if new > prev else \
        ("down", behavior.get("scaleDown") or {}, prev - new)
    longest = max((int(p.get("periodSeconds") or 0) for p in rules.get("policies") or ()), default=0)
    events = state[key]
    cutoff = now - longest
    old = None
    for i, (_, ts) in enumerate(events):
        if ts < cutoff:
            old = i
    if old is not None:
        events[old] = [change, now]
    else:
        events.append([change, now])
