"""Old API versions, converted to the ones Kubernetes 1.32 serves.

A real 1.32 cluster no longer serves ``extensions/v1beta1`` or
``networking.k8s.io/v1beta1`` Ingress (removed in 1.22), nor the beta
Deployment/ReplicaSet versions (removed in 1.16); tutorials still use them. minikctl
converts them the way the apiserver's conversion functions did
(pkg/apis/networking/v1beta1/conversion.go, pkg/apis/extensions/v1beta1/conversion.go)
and says so in warnings shaped like the apiserver's deprecation warnings
(staging/src/k8s.io/apiserver/pkg/endpoints/deprecation/deprecation.go).
"""

from __future__ import annotations

# (apiVersion, kind) -> (new apiVersion, deprecated in, removed in)
# Releases from each group's zz_generated.prerelease-lifecycle.go.
LEGACY: dict[tuple[str, str], tuple[str, str, str]] = {
    ("extensions/v1beta1", "Ingress"): ("networking.k8s.io/v1", "1.14", "1.22"),
    ("networking.k8s.io/v1beta1", "Ingress"): ("networking.k8s.io/v1", "1.19", "1.22"),
    ("extensions/v1beta1", "Deployment"): ("apps/v1", "1.8", "1.16"),
    ("apps/v1beta1", "Deployment"): ("apps/v1", "1.8", "1.16"),
    ("apps/v1beta2", "Deployment"): ("apps/v1", "1.9", "1.16"),
    ("extensions/v1beta1", "ReplicaSet"): ("apps/v1", "1.8", "1.16"),
    ("apps/v1beta2", "ReplicaSet"): ("apps/v1", "1.9", "1.16"),
    # issue 11 (w-hpa): autoscaling/v2beta2 has v2's fields (removed in 1.26)
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("autoscaling/v2", "1.23", "1.26"),
}
# Versions 1.32 still serves beside the one minikctl stores: converted without a warning.
SERVED: dict[tuple[str, str], str] = {
    ("autoscaling/v1", "HorizontalPodAutoscaler"): "autoscaling/v2",  # issue 11 (w-hpa)
}


def convert(obj: dict) -> tuple[dict, list[str]]:
    """Return (object in the served version, warning lines). Objects of a version that is
    served, or unknown here, come back unchanged (the same dict) with no warnings."""
    if not isinstance(obj, dict):
        return obj, []
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if isinstance(api_version, str) and isinstance(kind, str) and (api_version, kind) in SERVED:
        return hpa_v1_to_v2(obj), []
    target = LEGACY.get((api_version, kind)) if isinstance(api_version, str) and isinstance(kind, str) else None
    if target is None:
        return obj, []
    new_version, deprecated, removed = target
    import copy  # not at import: copy is on no other path of a small apply (issue 12)

    out = copy.deepcopy(obj)
    out["apiVersion"] = new_version
    warnings = [
        f"Warning: {api_version} {kind} is deprecated in v{deprecated}+, unavailable in v{removed}+; use {new_version} {kind}"
    ]
    spec = out.get("spec")
    if kind == "HorizontalPodAutoscaler":
        pass  # v2beta2 -> v2: the same fields
    elif kind == "Ingress":
        if isinstance(spec, dict):
            _ingress_spec(spec)
    else:
        warnings.extend(_workload(out, spec, api_version))
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) and isinstance(meta.get("name"), str) else ""
    warnings.append(
        f'Warning: minikctl converted {api_version} {kind} "{name}" to {new_version}; '
        f"{api_version} is not served since Kubernetes v{removed}, update the manifest"
    )
    return out, warnings


def _ingress_spec(spec: dict) -> None:
    # Convert_v1beta1_IngressSpec_To_networking_IngressSpec: spec.backend -> spec.defaultBackend
    if "backend" in spec:
        backend = spec.pop("backend")
        if "defaultBackend" not in spec:
            spec["defaultBackend"] = _backend(backend)
    rules = spec.get("rules")
    if not isinstance(rules, list):
        return
    for rule in rules:
        http = rule.get("http") if isinstance(rule, dict) else None
        paths = http.get("paths") if isinstance(http, dict) else None
        if not isinstance(paths, list):
            continue
        for path in paths:
            if not isinstance(path, dict):
                continue
            # networking/v1beta1 and extensions/v1beta1 SetDefaults_HTTPIngressPath
            if path.get("pathType") is None:
                path["pathType"] = "ImplementationSpecific"
            if "backend" in path:
                path["backend"] = _backend(path["backend"])


def _backend(backend):
    """Convert_v1beta1_IngressBackend_To_networking_IngressBackend."""
    if not isinstance(backend, dict):
        return backend
    out = {k: v for k, v in backend.items() if k not in ("serviceName", "servicePort")}
    if "serviceName" in backend or "servicePort" in backend:
        port = backend.get("servicePort")
        if isinstance(port, bool) or not isinstance(port, (int, str)) and port is not None:
            svc_port = {"number": port}  # a wrong type: left for the strict check to name
        elif isinstance(port, str):
            svc_port = {"name": port} if port else {}
        elif port:
            svc_port = {"number": port}
        else:
            svc_port = {}
        name = backend.get("serviceName")
        out["service"] = {"name": "" if name is None else name, "port": svc_port}
    return out


def _workload(obj: dict, spec, api_version: str) -> list[str]:
    """Deployment / ReplicaSet of a beta version -> apps/v1."""
    warnings = []
    if not isinstance(spec, dict):
        return warnings
    template = spec.get("template")
    labels = template.get("metadata", {}).get("labels") if isinstance(template, dict) and isinstance(template.get("metadata"), dict) else None
    if api_version in ("extensions/v1beta1", "apps/v1beta1"):
        # extensions/v1beta1 and apps/v1beta1 SetDefaults_Deployment / SetDefaults_ReplicaSet:
        # the selector and the object's labels default to the template's labels.
        if spec.get("selector") is None and isinstance(labels, dict) and labels:
            spec["selector"] = {"matchLabels": dict(labels)}
        meta = obj.get("metadata")
        if isinstance(meta, dict) and not meta.get("labels") and isinstance(labels, dict) and labels:
            meta["labels"] = dict(labels)
    if "rollbackTo" in spec:
        # Deployment.spec.rollbackTo has no apps/v1 field: kubectl rollout undo replaces it
        spec.pop("rollbackTo")
        warnings.append("Warning: spec.rollbackTo is not supported in apps/v1 and was dropped; use kubectl rollout undo")
    return warnings


def hpa_v1_to_v2(obj: dict) -> dict:
    """autoscaling/v1 HorizontalPodAutoscaler -> autoscaling/v2, as the apiserver converts it
    (pkg/apis/autoscaling/v1/conversion.go Convert_v1_HorizontalPodAutoscalerSpec_To_autoscaling_
    HorizontalPodAutoscalerSpec): targetCPUUtilizationPercentage becomes a Resource cpu metric
    with an Utilization target; the other fields keep their names (an unknown one stays, for the
    strict decoding check to name)."""
    import copy

    out = copy.deepcopy(obj)
    out["apiVersion"] = "autoscaling/v2"
    spec = out.get("spec")
    if isinstance(spec, dict) and "targetCPUUtilizationPercentage" in spec:
        pct = spec.pop("targetCPUUtilizationPercentage")
        new = {k: spec[k] for k in ("scaleTargetRef", "minReplicas", "maxReplicas") if k in spec}
        if pct is not None:
            new["metrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "target": {"type": "Utilization", "averageUtilization": pct}}}]
        new.update({k: v for k, v in spec.items() if k not in new})
        out["spec"] = new
    status = out.get("status")
    if isinstance(status, dict):
        status.pop("currentCPUUtilizationPercentage", None)
    return out
