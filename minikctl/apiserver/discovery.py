"""Discovery documents from the one registry of kinds (api/kinds.py), the same data
`minikctl api-resources` prints: legacy discovery (/api, /api/v1, /apis, /apis/GROUP/VERSION)
and aggregated discovery (apidiscovery.k8s.io/v2, what kubectl 1.32 asks for first,
staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated/handler.go)."""

from __future__ import annotations

from minikctl.api import kinds as K

# kube-apiserver's group priorities (pkg/controlplane/apiserver/options and
# cmd/kube-apiserver/app/aggregator.go apiVersionPriorities): the order of /apis
GROUP_ORDER = ("apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch",
               "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "storage.k8s.io",
               "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
               "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io")

# subresources served, per resource (verbs as kube-apiserver lists them)
SUBRESOURCES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}
_STATUS = ("get", "patch", "update")
# the kinds whose storage has a status subresource (pkg/registry/*/storage: NewREST's StatusREST)
_WITH_STATUS = ("Namespace", "Node", "Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController", "Ingress",
                "DaemonSet", "StatefulSet", "PersistentVolumeClaim", "PersistentVolume", "Job", "CronJob",
                "ResourceQuota", "PodDisruptionBudget", "HorizontalPodAutoscaler")
for _k in K.KINDS:
    if _k.kind in _WITH_STATUS:
        SUBRESOURCES.setdefault(_k.plural, {})["status"] = (_k.kind, _STATUS)
for _p in ("deployments", "replicasets", "statefulsets", "replicationcontrollers"):
    SUBRESOURCES.setdefault(_p, {})["scale"] = ("Scale", _STATUS)

SCALE_GROUP = ("autoscaling", "v1")


def verbs(plural: str) -> tuple[str, ...]:
    from minikctl.cli.cmd_info import verbs as _verbs

    return _verbs(plural)


def _kinds() -> tuple[K.Kind, ...]:
    """The kinds served: the stored ones and the create-only reviews (api/reviews.py)."""
    from minikctl.api import reviews

    return K.KINDS + reviews.KINDS


def groups() -> list[str]:
    """The API groups served, in kube-apiserver's order (core "" excluded)."""
    present = {k.group for k in _kinds() if k.group}
    return [g for g in GROUP_ORDER if g in present] + sorted(present - set(GROUP_ORDER))


def kinds_of(group: str, version: str) -> list[K.Kind]:
    return sorted((k for k in _kinds() if k.group == group and k.version == version), key=lambda k: k.plural)


def versions_of(group: str) -> list[str]:
    return sorted({k.version for k in _kinds() if k.group == group})


def api_versions(server_address: str) -> dict:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def api_group_list() -> dict:
    out = []
    for g in groups():
        vs = [{"groupVersion": f"{g}/{v}", "version": v} for v in versions_of(g)]
        out.append({"name": g, "versions": vs, "preferredVersion": vs[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": out}


def api_group(group: str) -> dict | None:
    vs = versions_of(group)
    if not vs:
        return None
    items = [{"groupVersion": f"{group}/{v}", "version": v} for v in vs]
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": items, "preferredVersion": items[0]}


def resource_list(group: str, version: str) -> dict | None:
    ks = kinds_of(group, version)
    if not ks:
        return None
    res = []
    for k in ks:
        r = {"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced, "kind": k.kind,
             "verbs": list(verbs(k.plural))}
        if k.short_names:
            r["shortNames"] = list(k.short_names)
        if k.categories:
            r["categories"] = list(k.categories)
        res.append(r)
        for sub, (skind, sverbs) in sorted(SUBRESOURCES.get(k.plural, {}).items()):
            s = {"name": f"{k.plural}/{sub}", "singularName": "", "namespaced": k.namespaced, "kind": skind,
                 "verbs": list(sverbs)}
            if sub == "scale":
                s["group"], s["version"] = SCALE_GROUP
            res.append(s)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": res}


def _aggregated_group(group: str) -> dict:
    versions = []
    for v in versions_of(group):
        resources = []
        for k in kinds_of(group, v):
            r = {"resource": k.plural, "responseKind": {"group": k.group, "version": k.version, "kind": k.kind},
                 "scope": "Namespaced" if k.namespaced else "Cluster", "singularResource": k.singular,
                 "verbs": list(verbs(k.plural))}
            if k.short_names:
                r["shortNames"] = list(k.short_names)
            if k.categories:
                r["categories"] = list(k.categories)
            subs = []
            for sub, (skind, sverbs) in sorted(SUBRESOURCES.get(k.plural, {}).items()):
                g, ver = SCALE_GROUP if sub == "scale" else (k.group, k.version)
                subs.append({"subresource": sub, "responseKind": {"group": g, "version": ver, "kind": skind},
                             "verbs": list(sverbs)})
            if subs:
                r["subresources"] = subs
            resources.append(r)
        versions.append({"version": v, "resources": resources, "freshness": "Current"})
    return {"metadata": {"name": group, "creationTimestamp": None}, "versions": versions}


AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def aggregated(core: bool) -> dict:
    """/api (core: the "" group) or /apis (every other group) as an APIGroupDiscoveryList."""
    items = [_aggregated_group("")] if core else [_aggregated_group(g) for g in groups()]
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
            "items": items}


def wants_aggregated(accept: str) -> bool:
    """Whether the Accept header's first acceptable type is aggregated discovery v2."""
    for part in accept.split(","):
        params = {p.split("=", 1)[0].strip(): p.split("=", 1)[1].strip() for p in part.split(";")[1:] if "=" in p}
        if params.get("as") == "APIGroupDiscoveryList" and params.get("g") == "apidiscovery.k8s.io":
            if params.get("v") == "v2":
                return True
            continue
        return False
    return False
