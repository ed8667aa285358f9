"""The API server's own `kubernetes` Service, Endpoints and EndpointSlice in `default`
(pkg/controlplane/controller/kubernetesservice/controller.go; the endpoint reconciler writes the
slice beside the Endpoints: pkg/controlplane/reconcilers/endpointsadapter.go): created at start-up
and put back when deleted, with the first address of the service CIDR, port 443 (https) to the
control plane's 6443."""

from __future__ import annotations


def service(cfg: dict) -> dict:
    from minikctl.allocators.ranges import CIDR

    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": CIDR(cfg["serviceCIDR"]).nth(1),
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                     "sessionAffinity": "None", "type": "ClusterIP"}}


def endpoints(cfg: dict) -> dict:
    from minikctl.allocators.ranges import CIDR

    return {"apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": CIDR(cfg["nodeNetwork"]).nth(2)}],
                         "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}


def endpoint_slice(cfg: dict) -> dict:
    """endpointsadapter.go endpointSliceFromEndpoints: named as the Endpoints, labelled with the
    service name only (no managed-by: neither slice controller touches it)."""
    from minikctl.allocators.ranges import CIDR

    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [CIDR(cfg["nodeNetwork"]).nth(2)], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}


def ensure(api, namespace: str, name: str) -> None:
    """Watches services and endpoints: put back default/kubernetes when it is deleted."""
    if (namespace, name) != ("default", "kubernetes"):
        return
    if not api.store.exists("namespaces", "", "default"):
        return  # bootstrap has not created the namespace yet
    if api.try_get("services", "default", "kubernetes") is None:
        api.create(service(api.config))
    if api.try_get("endpoints", "default", "kubernetes") is None:
        api.create(endpoints(api.config))
    if api.try_get("endpointslices", "default", "kubernetes") is None:
        api.create(endpoint_slice(api.config))
