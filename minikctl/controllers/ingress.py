"""The built-in ingress-nginx controller's status updater (ingress-nginx
internal/ingress/status/status.go): every Ingress of its class gets
``status.loadBalancer.ingress`` = the controller's address, so `get ingress` shows an
ADDRESS.

Its class: the IngressClass whose spec.controller is ``k8s.io/ingress-nginx`` (``nginx``
at bootstrap), named by spec.ingressClassName or the legacy
``kubernetes.io/ingress.class`` annotation; an Ingress without any class is served when
that IngressClass is the default one. The address is the controller Service's
load-balancer ingress (``--publish-service=ingress-nginx/ingress-nginx-controller``);
while that has none (no LB pool), the addresses of the nodes running the controller
pods, which listen on host ports 80/443 (the runningAddresses fallback, as on kind or
minikube).
"""

from __future__ import annotations

CONTROLLER = "k8s.io/ingress-nginx"
NAMESPACE = "ingress-nginx"
SERVICE = "ingress-nginx-controller"
POD_SELECTOR = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
                "app.kubernetes.io/name": "ingress-nginx"}
DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"
LEGACY_CLASS = "kubernetes.io/ingress.class"


def _our_classes(api) -> tuple[set[str], bool]:
    names, default = set(), False
    for ic in api.list("ingressclasses"):
        if (ic.get("spec") or {}).get("controller") == CONTROLLER:
            names.add(ic["metadata"]["name"])
            if (ic["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true":
                default = True
    return names, default


def is_ours(api, ing: dict, classes: tuple[set[str], bool] | None = None) -> bool:
    names, default = classes or _our_classes(api)
    cls = (ing.get("spec") or {}).get("ingressClassName")
    if cls:
        return cls in names
    legacy = (ing["metadata"].get("annotations") or {}).get(LEGACY_CLASS)
    if legacy:
        return legacy in names or legacy == "nginx"
    return default


def controller_address(api) -> list[dict]:
    svc = api.try_get("services", NAMESPACE, SERVICE)
    if svc is not None:
        lb = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        out = []
        for i in lb:
            if i.get("ip"):
                out.append({"ip": i["ip"]})
            elif i.get("hostname"):
                out.append({"hostname": i["hostname"]})
        if out:
            return out
        ext = (svc.get("spec") or {}).get("externalIPs") or []
        if ext:
            return [{"ip": ip} for ip in sorted(ext)]
    from minikctl.api.selectors import from_map

    ips = set()
    for pod in api.list("pods", NAMESPACE, selector=from_map(POD_SELECTOR)):
        ip = (pod.get("status") or {}).get("hostIP")
        if ip and (pod.get("status") or {}).get("phase") == "Running":
            ips.add(ip)
    return [{"ip": ip} for ip in sorted(ips)]


def sync(api, namespace: str, name: str, classes=None, address=None) -> None:
    ing = api.try_get("ingresses", namespace, name)
    if ing is None or not is_ours(api, ing, classes):
        return
    addr = controller_address(api) if address is None else address
    status = ing.get("status") or {}
    want = {"ingress": addr} if addr else {}
    if (status.get("loadBalancer") or {}) == want:
        return
    ing["status"] = {**status, "loadBalancer": want}
    api.update_status(ing)


def _sync_all(api) -> None:
    classes = _our_classes(api)
    addr = controller_address(api)
    for ing in api.list("ingresses"):
        sync(api, ing["metadata"]["namespace"], ing["metadata"]["name"], classes, addr)


def on_service(api, namespace: str, name: str) -> None:
    if namespace == NAMESPACE and name == SERVICE:
        _sync_all(api)


def on_pod(api, namespace: str, name: str) -> None:
    if namespace != NAMESPACE:
        return
    pod = api.try_get("pods", namespace, name) or api.previous
    if pod is None:
        return
    labels = pod["metadata"].get("labels") or {}
    if all(labels.get(k) == v for k, v in POD_SELECTOR.items()):
        api._enqueue("~ingress-all", "", "")


def on_class(api, namespace: str, name: str) -> None:
    api._enqueue("~ingress-all", "", "")


def sync_all(api, namespace: str, name: str) -> None:
    _sync_all(api)


def bootstrap_objects(cfg: dict) -> list[dict]:
    """What the controller needs in the cluster: its namespace, a Deployment running the
    controller pod (host ports 80/443, as kind's ingress-nginx manifest) and the
    LoadBalancer Service it publishes its address through (the cloud manifest)."""
    labels = dict(POD_SELECTOR, **{"app.kubernetes.io/part-of": "ingress-nginx", "app.kubernetes.io/version": "1.12.0"})
    image = "registry.k8s.io/ingress-nginx/controller:v1.12.0"
    return [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": NAMESPACE, "labels": {"app.kubernetes.io/instance": "ingress-nginx",
                                                    "app.kubernetes.io/name": "ingress-nginx",
                                                    "kubernetes.io/metadata.name": NAMESPACE}}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": SERVICE, "namespace": NAMESPACE, "labels": dict(labels)},
         "spec": {"replicas": 1, "minReadySeconds": 0, "revisionHistoryLimit": 10,
                  "selector": {"matchLabels": dict(POD_SELECTOR)},
                  "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
                  "template": {"metadata": {"labels": dict(labels)},
                               "spec": {"containers": [{
                                   "name": "controller", "image": image, "imagePullPolicy": "IfNotPresent",
                                   "args": ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader",
                                            "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx",
                                            "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                                            "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
                                            "--validating-webhook=:8443",
                                            "--validating-webhook-certificate=/usr/local/certificates/cert",
                                            "--validating-webhook-key=/usr/local/certificates/key"],
                                   "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                           {"name": "POD_NAMESPACE",
                                            "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                                           {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"}],
                                   "ports": [{"containerPort": 80, "hostPort": 80, "name": "http", "protocol": "TCP"},
                                             {"containerPort": 443, "hostPort": 443, "name": "https", "protocol": "TCP"},
                                             {"containerPort": 8443, "name": "webhook", "protocol": "TCP"}]}],
                                   "nodeSelector": {"kubernetes.io/os": "linux"},
                                   "terminationGracePeriodSeconds": 300,
                                   "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane",
                                                    "operator": "Equal"}]}}}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": SERVICE, "namespace": NAMESPACE, "labels": dict(labels)},
         "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local", "ipFamilyPolicy": "SingleStack",
                  "ipFamilies": ["IPv4"], "selector": dict(POD_SELECTOR),
                  "ports": [{"appProtocol": "http", "name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
                            {"appProtocol": "https", "name": "https", "port": 443, "protocol": "TCP",
                             "targetPort": "https"}]}},
    ]
