"""minikctl autoscale: kubectl 1.32's autoscale (staging/src/k8s.io/kubectl/pkg/cmd/autoscale/
autoscale.go as of release-1.32): an autoscaling/v1 HorizontalPodAutoscaler for a deployment,
replica set, stateful set or replication controller (those with a scale subresource), named
after it unless --name is given; --min only when positive (the server defaults 1),
targetCPUUtilizationPercentage only when --cpu-percent >= 0 (else the server's default policy,
80%). The object kubectl prints (-o yaml) is the autoscaling/v1 one the server returns.
(kubectl 1.33 moved to autoscaling/v2 and --cpu; 1.32 has neither.)"""

from __future__ import annotations

from minikctl.api.errors import UsageError

# discovery: the resources with a scale subresource
_SCALE = {"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"}


def _targets(ctx):
    """[(kind, name, namespace from a file)], as the resource builder visits them."""
    from minikctl.cli.resources import parse_targets, resolve_kind

    if ctx.opts.get("filename"):
        from minikctl.cli.manifests import load

        out = []
        for doc, _ in load(ctx):
            kind = resolve_kind(doc.obj.get("kind", ""))
            meta = doc.obj.get("metadata") or {}
            out.append((kind, meta.get("name", ""), meta.get("namespace")))
        return out
    if not ctx.args:
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    out = []
    for kind, names in parse_targets(ctx.args, allow_all=False):
        if not names:
            raise UsageError("resource(s) were provided, but no name was specified")
        out += [(kind, n, None) for n in names]
    return out


def _gvr(kind) -> str:
    """schema.GroupVersionResource.String()."""
    return f"{kind.group}/{kind.version}, Resource={kind.plural}"


def hpa_v1(name: str, kind, ref_name: str, o: dict, namespace: str | None) -> dict:
    """createHorizontalPodAutoscaler (autoscaling/v1)."""
    meta: dict = {"creationTimestamp": None, "name": name}
    if namespace:
        meta["namespace"] = namespace
    spec: dict = {"scaleTargetRef": {"apiVersion": kind.api_version, "kind": kind.kind, "name": ref_name}}
    if (o.get("min") or -1) > 0:
        spec["minReplicas"] = o["min"]
    spec["maxReplicas"] = o["max"]
    if o.get("cpu_percent") is not None and o["cpu_percent"] >= 0:
        spec["targetCPUUtilizationPercentage"] = o["cpu_percent"]
    return {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": meta, "spec": spec,
            "status": {"currentReplicas": 0, "desiredReplicas": 0}}


def v1_view(hpa: dict) -> dict:
    """The autoscaling/v1 representation of a stored (v2) HPA, as the server returns it to a v1
    client (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler)."""
    spec = hpa.get("spec") or {}
    status = hpa.get("status") or {}
    out_spec = {k: spec[k] for k in ("scaleTargetRef", "minReplicas", "maxReplicas") if k in spec}
    for m in spec.get("metrics") or ():
        res = m.get("resource") or {}
        target = res.get("target") or {}
        if m.get("type") == "Resource" and res.get("name") == "cpu" and target.get("averageUtilization") is not None:
            out_spec["targetCPUUtilizationPercentage"] = target["averageUtilization"]
            break
    out_status: dict = {}
    if status.get("lastScaleTime"):
        out_status["lastScaleTime"] = status["lastScaleTime"]
    out_status["currentReplicas"] = status.get("currentReplicas") or 0
    out_status["desiredReplicas"] = status.get("desiredReplicas") or 0
    for m in status.get("currentMetrics") or ():
        cur = ((m or {}).get("resource") or {})
        if cur.get("name") == "cpu" and (cur.get("current") or {}).get("averageUtilization") is not None:
            out_status["currentCPUUtilizationPercentage"] = cur["current"]["averageUtilization"]
            break
    return {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": hpa["metadata"],
            "spec": out_spec, "status": out_status}


def run(ctx) -> int:
    from minikctl.api.conversion import hpa_v1_to_v2
    from minikctl.api.server import clone
    from minikctl.cli.cmd_apply import LAST_APPLIED, _dry, _emit, _last_applied, _print_api_warnings, check_printer

    o = ctx.opts
    if o.get("max") is None:
        raise UsageError('required flag(s) "max" not set')
    dry = _dry(ctx)
    check_printer(ctx)
    mn = -1 if o.get("min") is None else o["min"]
    if o["max"] < 1:  # AutoscaleOptions.Validate
        raise UsageError(f"--max=MAXPODS is required and must be at least 1, max: {o['max']}")
    if o["max"] < mn:
        raise UsageError(f"--max=MAXPODS must be larger or equal to --min=MINPODS, max: {o['max']}, min: {mn}")
    targets = _targets(ctx)
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api:
        for kind, ref_name, file_ns in targets:
            ns = file_ns or ctx.namespace
            api.get(kind.plural, ns, ref_name)  # the builder fetches each object: NotFound first
            if kind.kind not in _SCALE:
                raise UsageError(f"cannot autoscale a {kind.kind}: could not find scale subresource for "
                                 f"{_gvr(kind)} in discovery information")
            name = o.get("name") or ref_name
            hpa = hpa_v1(name, kind, ref_name, o, ns if ctx.namespace_explicit else None)
            if dry == "client":
                results.append((hpa, "created"))
                continue
            if o.get("save_config"):
                hpa["metadata"].setdefault("annotations", {})[LAST_APPLIED] = _last_applied(hpa, _hpa_kind(), ns)
            body = clone(hpa)
            body["metadata"].pop("creationTimestamp", None)
            body.pop("status", None)
            body["metadata"]["namespace"] = ns
            created = api.create(hpa_v1_to_v2(body), namespace=ns)
            results.append((v1_view(created), "autoscaled"))
    if not results:
        raise UsageError("no objects passed to autoscale")
    _emit(ctx, results, dry, typed=True)  # autoscale.go prints the typed HPA (issue 12: key order)
    if dry != "client":
        _print_api_warnings(ctx, session)
    return 0


def _hpa_kind():
    from minikctl.api import kinds as K

    return K.by_kind("HorizontalPodAutoscaler")
