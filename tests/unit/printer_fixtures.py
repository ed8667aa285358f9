"""Realistic Kubernetes JSON objects for the printer tests (timestamps relative to NOW)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

NOW = datetime(2024, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


def ts(**kw) -> str:
    return (NOW - timedelta(**kw)).strftime("%Y-%m-%dT%H:%M:%SZ")


def meta(name, ns="default", uid=None, created=None, **kw):
    m = {"name": name, "namespace": ns, "uid": uid or ("uid-" + name), "resourceVersion": "1",
         "creationTimestamp": created or ts(days=5, hours=3)}
    m.update(kw)
    return m


SVC_NODEPORT = {
    "kind": "Service", "apiVersion": "v1",
    "metadata": meta("web", labels={"app": "web", "tier": "frontend"},
                     annotations={"note": "hello", "kubectl.kubernetes.io/last-applied-configuration": "{}"}),
    "spec": {"type": "NodePort", "selector": {"app": "web"}, "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
             "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
             "ports": [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080, "protocol": "TCP"},
                       {"name": "https", "port": 443, "targetPort": "https", "nodePort": 30443, "protocol": "TCP"}],
             "sessionAffinity": "None", "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"},
    "status": {"loadBalancer": {}},
}
SVC_KUBERNETES = {
    "kind": "Service", "apiVersion": "v1",
    "metadata": meta("kubernetes", created=ts(days=40), labels={"component": "apiserver", "provider": "kubernetes"}),
    "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
             "ports": [{"name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"}],
             "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
}
SVC_HEADLESS = {
    "kind": "Service", "apiVersion": "v1", "metadata": meta("db", created=ts(minutes=1, seconds=30)),
    "spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"], "selector": {"app": "db"},
             "ports": [{"port": 5432, "targetPort": 5432, "protocol": "TCP"}], "sessionAffinity": "None",
             "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
}
SVC_LB_PENDING = {
    "kind": "Service", "apiVersion": "v1", "metadata": meta("lb-pending", created=ts(hours=7, minutes=5)),
    "spec": {"type": "LoadBalancer", "clusterIP": "10.96.3.3", "clusterIPs": ["10.96.3.3"], "selector": {"app": "web"},
             "ports": [{"port": 80, "targetPort": 80, "nodePort": 31000, "protocol": "TCP"}], "sessionAffinity": "None",
             "externalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
    "status": {"loadBalancer": {}},
}
SVC_LB = {
    "kind": "Service", "apiVersion": "v1", "metadata": meta("lb", created=ts(days=400)),
    "spec": {"type": "LoadBalancer", "clusterIP": "10.96.3.4", "clusterIPs": ["10.96.3.4"], "selector": {"app": "web"},
             "ports": [{"name": "http", "port": 80, "targetPort": 80, "nodePort": 31001, "protocol": "TCP"},
                       {"name": "dns", "port": 53, "targetPort": 53, "nodePort": 31002, "protocol": "UDP"}],
             "sessionAffinity": "None", "externalTrafficPolicy": "Local", "healthCheckNodePort": 32000,
             "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
    "status": {"loadBalancer": {"ingress": [{"hostname": "a1b2c3d4e5f6-1234567890.us-east-1.elb.amazonaws.com"}]}},
}
SVC_EXTERNAL_NAME = {
    "kind": "Service", "apiVersion": "v1", "metadata": meta("ext", created=ts(days=5, hours=3)),
    "spec": {"type": "ExternalName", "externalName": "example.com", "sessionAffinity": "None"},
}

ENDPOINTS_WEB = {
    "kind": "Endpoints", "apiVersion": "v1", "metadata": meta("web", labels={"app": "web"}),
    "subsets": [{"addresses": [{"ip": "10.244.0.%d" % i} for i in range(5, 10)],
                 "notReadyAddresses": [{"ip": "10.244.0.20"}],
                 "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "https", "port": 8443, "protocol": "TCP"}]}],
}
ENDPOINTS_DB = {
    "kind": "Endpoints", "apiVersion": "v1", "metadata": meta("db", created=ts(minutes=1, seconds=30)),
    "subsets": [{"addresses": [{"ip": "10.244.1.7"}], "ports": [{"port": 5432, "protocol": "TCP"}]}],
}
ENDPOINTS_EMPTY = {"kind": "Endpoints", "apiVersion": "v1", "metadata": meta("lb-pending", created=ts(hours=7, minutes=5))}

EPS_WEB = {
    "kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1",
    "metadata": meta("web-abc12", labels={"kubernetes.io/service-name": "web"}),
    "addressType": "IPv4",
    "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "https", "port": 8443, "protocol": "TCP"}],
    "endpoints": [{"addresses": ["10.244.0.%d" % i], "conditions": {"ready": True, "serving": True, "terminating": False},
                   "nodeName": "node-1", "targetRef": {"kind": "Pod", "name": "web-%d" % i, "namespace": "default"}}
                  for i in range(5, 10)] + [{"addresses": ["10.244.0.20"], "conditions": {"ready": False}}],
}

EVENTS_WEB = [
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("web.1"),
     "involvedObject": {"kind": "Service", "namespace": "default", "name": "web", "uid": "uid-web", "apiVersion": "v1"},
     "reason": "Type", "message": "ClusterIP -> NodePort", "type": "Normal", "count": 1,
     "firstTimestamp": ts(hours=3), "lastTimestamp": ts(hours=3), "source": {"component": "service-controller"}},
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("web.2"),
     "involvedObject": {"kind": "Service", "namespace": "default", "name": "web", "uid": "uid-web", "apiVersion": "v1"},
     "reason": "EnsuringLoadBalancer", "message": "Ensuring load balancer  ", "type": "Warning", "count": 4,
     "firstTimestamp": ts(hours=5), "lastTimestamp": ts(minutes=40), "source": {"component": "service-controller"}},
]

POD_WEB = {
    "kind": "Pod", "apiVersion": "v1",
    "metadata": meta("web-7d4b9c-abcde", labels={"app": "web", "pod-template-hash": "7d4b9c"},
                     ownerReferences=[{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c", "uid": "uid-rs",
                                       "controller": True, "blockOwnerDeletion": True}]),
    "spec": {
        "containers": [{
            "name": "nginx", "image": "nginx:1.27", "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
            "env": [{"name": "A", "value": "1"}, {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
            "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10,
                               "successThreshold": 1, "failureThreshold": 3},
            "volumeMounts": [{"name": "kube-api-access-abcde", "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
        }],
        "volumes": [{"name": "kube-api-access-abcde", "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
        "nodeName": "node-1", "serviceAccountName": "default", "restartPolicy": "Always",
        "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
    },
    "status": {
        "phase": "Running", "hostIP": "192.168.49.2", "podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}],
        "startTime": ts(days=5, hours=3), "qosClass": "Burstable",
        "conditions": [{"type": "PodReadyToStartContainers", "status": "True"}, {"type": "Initialized", "status": "True"},
                       {"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"},
                       {"type": "PodScheduled", "status": "True"}],
        "containerStatuses": [{
            "name": "nginx", "ready": True, "started": True, "restartCount": 3, "image": "nginx:1.27",
            "imageID": "docker.io/library/nginx@sha256:abc", "containerID": "containerd://123",
            "state": {"running": {"startedAt": ts(hours=2)}},
            "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": ts(hours=4), "finishedAt": ts(hours=2, minutes=1)}},
        }],
    },
}


def pod(name, status, spec=None, **mk):
    sp = {"containers": [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"], "resources": {}}],
          "restartPolicy": "Always", "serviceAccountName": "default", "nodeName": "node-1"}
    if spec:
        sp.update(spec)
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta(name, **mk), "spec": sp, "status": status}


POD_PENDING = pod("pending", {"phase": "Pending", "qosClass": "BestEffort",
                              "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                              "message": "0/1 nodes are available"}]}, {"nodeName": None})
POD_CRASH = pod("crash", {
    "phase": "Running", "hostIP": "192.168.49.2", "podIP": "10.244.0.30", "podIPs": [{"ip": "10.244.0.30"}], "startTime": ts(hours=6),
    "conditions": [{"type": "Ready", "status": "False"}],
    "containerStatuses": [{"name": "app", "ready": False, "restartCount": 12, "image": "busybox:1.36", "imageID": "",
                           "containerID": "containerd://x",
                           "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}},
                           "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(minutes=50),
                                                        "finishedAt": ts(minutes=49)}}}]}, created=ts(hours=6))
POD_INIT = pod("init", {
    "phase": "Pending", "hostIP": "192.168.49.2", "podIP": "10.244.0.31", "podIPs": [{"ip": "10.244.0.31"}], "startTime": ts(hours=1),
    "initContainerStatuses": [{"name": "setup", "ready": False, "restartCount": 0, "image": "busybox", "imageID": "",
                               "state": {"running": {"startedAt": ts(hours=1)}}}],
    "containerStatuses": [{"name": "app", "ready": False, "restartCount": 0, "image": "busybox:1.36", "imageID": "",
                           "state": {"waiting": {"reason": "PodInitializing"}}}]},
    {"initContainers": [{"name": "setup", "image": "busybox", "command": ["sh", "-c", "sleep 10"]}]}, created=ts(hours=1))
POD_DONE = pod("done", {
    "phase": "Succeeded", "hostIP": "192.168.49.2", "podIP": "10.244.0.32", "startTime": ts(days=1),
    "containerStatuses": [{"name": "app", "ready": False, "restartCount": 0, "image": "busybox:1.36", "imageID": "x",
                           "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": ts(days=1),
                                                    "finishedAt": ts(hours=23)}}}]}, {"restartPolicy": "Never"}, created=ts(days=1))
POD_DYING = pod("dying", {
    "phase": "Running", "hostIP": "192.168.49.2", "podIP": "10.244.0.33", "startTime": ts(days=1),
    "containerStatuses": [{"name": "app", "ready": True, "restartCount": 0, "image": "busybox:1.36", "imageID": "x",
                           "state": {"running": {"startedAt": ts(days=1)}}}]},
    deletionTimestamp=ts(seconds=-20), deletionGracePeriodSeconds=30, created=ts(days=1))

DEP_TEMPLATE = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}
DEPLOYMENT = {
    "kind": "Deployment", "apiVersion": "apps/v1",
    "metadata": meta("web", uid="uid-dep", labels={"app": "web"}, annotations={"deployment.kubernetes.io/revision": "2"}),
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": DEP_TEMPLATE,
             "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}, "minReadySeconds": 0},
    "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2, "unavailableReplicas": 1,
               "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                              {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]},
}
_rs_t = copy.deepcopy(DEP_TEMPLATE)
_rs_t["metadata"]["labels"]["pod-template-hash"] = "7d4b9c"
RS_NEW = {
    "kind": "ReplicaSet", "apiVersion": "apps/v1",
    "metadata": meta("web-7d4b9c", uid="uid-rs", labels={"app": "web", "pod-template-hash": "7d4b9c"},
                     annotations={"deployment.kubernetes.io/revision": "2"},
                     ownerReferences=[{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "uid-dep", "controller": True}]),
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7d4b9c"}}, "template": _rs_t},
    "status": {"replicas": 3, "readyReplicas": 2, "availableReplicas": 2},
}
_old_t = copy.deepcopy(DEP_TEMPLATE)
_old_t["metadata"]["labels"]["pod-template-hash"] = "5f6g7h"
_old_t["spec"]["containers"][0]["image"] = "nginx:1.26"
RS_OLD = {
    "kind": "ReplicaSet", "apiVersion": "apps/v1",
    "metadata": meta("web-5f6g7h", uid="uid-rs-old", labels={"app": "web", "pod-template-hash": "5f6g7h"}, created=ts(days=6),
                     ownerReferences=[{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "uid-dep", "controller": True}]),
    "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5f6g7h"}}, "template": _old_t},
    "status": {"replicas": 0},
}
RC = {
    "kind": "ReplicationController", "apiVersion": "v1", "metadata": meta("legacy", uid="uid-rc", labels={"app": "legacy"}),
    "spec": {"replicas": 2, "selector": {"app": "legacy"}, "template": {"metadata": {"labels": {"app": "legacy"}}, "spec": {
        "containers": [{"name": "app", "image": "nginx",
                        "env": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}}],
                        "envFrom": [{"configMapRef": {"name": "cfg"}}], "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
        "volumes": [{"name": "data", "emptyDir": {}}], "nodeSelector": {"disk": "ssd"}}}},
    "status": {"replicas": 2, "readyReplicas": 1},
}
INGRESS = {
    "kind": "Ingress", "apiVersion": "networking.k8s.io/v1",
    "metadata": meta("web-ing", annotations={"nginx.ingress.kubernetes.io/rewrite-target": "/"}),
    "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example.com"], "secretName": "tls-a"}],
             "rules": [{"host": "a.example.com", "http": {"paths": [
                 {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                 {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "missing", "port": {"name": "http"}}}}]}},
                 {"http": {"paths": [{"path": "/x", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"name": "https"}}}}]}}]},
    "status": {"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}},
}
INGRESS_BARE = {"kind": "Ingress", "apiVersion": "networking.k8s.io/v1", "metadata": meta("bare", created=ts(minutes=3)),
                "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}}
INGRESS_CLASS = {
    "kind": "IngressClass", "apiVersion": "networking.k8s.io/v1",
    "metadata": {"name": "nginx", "uid": "uid-ic", "creationTimestamp": ts(days=9),
                 "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
    "spec": {"controller": "k8s.io/ingress-nginx",
             "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}},
}
SECRET = {"kind": "Secret", "apiVersion": "v1", "metadata": meta("creds"), "type": "Opaque",
          "data": {"password": "c2VjcmV0", "user": "YWRtaW4="}}
SECRET_TLS = {"kind": "Secret", "apiVersion": "v1", "metadata": meta("tls-a", created=ts(hours=30)), "type": "kubernetes.io/tls",
              "data": {"tls.crt": "QUJD", "tls.key": "REVGRw=="}}
CONFIGMAP = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta("cfg"), "data": {"a": "1", "b.conf": "x=1\ny=2\n"}}
CONFIGMAP_BIN = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta("bin"), "binaryData": {"blob": "AAEC"}}
NAMESPACE = {"kind": "Namespace", "apiVersion": "v1",
             "metadata": {"name": "default", "uid": "ns1", "creationTimestamp": ts(days=30),
                          "labels": {"kubernetes.io/metadata.name": "default"}},
             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
NAMESPACE_TERMINATING = {"kind": "Namespace", "apiVersion": "v1",
                         "metadata": {"name": "old", "uid": "ns3", "creationTimestamp": ts(days=2)}, "status": {"phase": "Terminating"}}
NODE = {
    "kind": "Node", "apiVersion": "v1",
    "metadata": {"name": "node-1", "uid": "uid-node", "creationTimestamp": ts(days=30),
                 "labels": {"kubernetes.io/hostname": "node-1", "node-role.kubernetes.io/control-plane": "", "kubernetes.io/os": "linux"},
                 "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
    "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"],
             "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
    "status": {
        "capacity": {"cpu": "2", "memory": "8148716Ki", "pods": "110", "ephemeral-storage": "61202244Ki", "hugepages-2Mi": "0"},
        "allocatable": {"cpu": "2", "memory": "8148716Ki", "pods": "110", "ephemeral-storage": "61202244Ki", "hugepages-2Mi": "0"},
        "conditions": [{"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": ts(minutes=1), "lastTransitionTime": ts(days=30),
                        "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
                       {"type": "Ready", "status": "True", "lastHeartbeatTime": ts(minutes=1), "lastTransitionTime": ts(days=30),
                        "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
        "addresses": [{"type": "InternalIP", "address": "192.168.49.2"}, {"type": "Hostname", "address": "node-1"}],
        "nodeInfo": {"machineID": "m1", "systemUUID": "s1", "bootID": "b1", "kernelVersion": "6.1.0", "osImage": "Ubuntu 22.04.4 LTS",
                     "containerRuntimeVersion": "containerd://1.7.22", "kubeletVersion": "v1.32.0", "kubeProxyVersion": "v1.32.0",
                     "operatingSystem": "linux", "architecture": "amd64"},
    },
}
NODE_WORKER = {
    "kind": "Node", "apiVersion": "v1",
    "metadata": {"name": "worker-2", "uid": "uid-node2", "creationTimestamp": ts(hours=50), "labels": {"kubernetes.io/hostname": "worker-2"}},
    "spec": {"unschedulable": True},
    "status": {"conditions": [{"type": "Ready", "status": "False"}],
               "addresses": [{"type": "InternalIP", "address": "192.168.49.3"}, {"type": "ExternalIP", "address": "203.0.113.7"}],
               "nodeInfo": {"kubeletVersion": "v1.32.0"}},
}
LEASE = {"kind": "Lease", "apiVersion": "coordination.k8s.io/v1", "metadata": meta("node-1", ns="kube-node-lease"),
         "spec": {"holderIdentity": "node-1", "renewTime": ts(seconds=5)[:-1] + ".000000Z"}}
EVENTS_CRASH = [
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("crash.1"),
     "involvedObject": {"kind": "Pod", "namespace": "default", "name": "crash", "uid": "uid-crash", "apiVersion": "v1",
                        "fieldPath": "spec.containers{app}"},
     "reason": "BackOff", "message": "Back-off restarting failed container app in pod crash_default(uid-crash)", "type": "Warning",
     "count": 250, "firstTimestamp": ts(hours=6), "lastTimestamp": ts(minutes=3), "source": {"component": "kubelet", "host": "node-1"}},
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("crash.2"),
     "involvedObject": {"kind": "Pod", "namespace": "default", "name": "crash", "uid": "uid-crash", "apiVersion": "v1"},
     "reason": "Scheduled", "message": "Successfully assigned default/crash to node-1", "type": "Normal",
     "eventTime": ts(hours=6, minutes=1)[:-1] + ".123456Z", "reportingComponent": "default-scheduler",
     "reportingInstance": "default-scheduler-node-1", "action": "Binding", "source": {}},
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("crash.3"),
     "involvedObject": {"kind": "Pod", "namespace": "default", "name": "crash", "uid": "uid-crash", "apiVersion": "v1",
                        "fieldPath": "spec.containers{app}"},
     "reason": "Pulled", "message": "Container image \"busybox:1.36\" already present on machine", "type": "Normal",
     "eventTime": ts(hours=5, minutes=2)[:-1] + ".500000Z", "series": {"count": 12, "lastObservedTime": ts(minutes=9)[:-1] + ".000000Z"},
     "reportingComponent": "kubelet", "reportingInstance": "node-1", "source": {"component": "kubelet", "host": "node-1"}},
]

ALL_PODS = [POD_WEB, POD_PENDING, POD_CRASH, POD_INIT, POD_DONE, POD_DYING]
ALL_SERVICES = [SVC_KUBERNETES, SVC_NODEPORT, SVC_HEADLESS, SVC_LB_PENDING, SVC_LB, SVC_EXTERNAL_NAME]

# Config and identity (issue 10): a pod whose container cannot be configured, as kube-apiserver
# 1.32 admits it (ServiceAccount and DefaultTolerationSeconds admission) and the kubelet reports it.
POD_CONFIG_ERROR = {
    "kind": "Pod", "apiVersion": "v1",
    "metadata": meta("cfgerr", labels={"app": "shop"}, created=ts(minutes=4)),
    "spec": {
        "containers": [{
            "name": "app", "image": "nginx:1.27",
            "envFrom": [{"prefix": "CM_", "configMapRef": {"name": "settings"}}, {"secretRef": {"name": "creds", "optional": True}}],
            "env": [{"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "level"}}},
                    {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": True}}},
                    {"name": "NS", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                    {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                    {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "0"}}},
                    {"name": "MSG", "value": "level=$(LEVEL)"}],
            "resources": {"limits": {"memory": "128Mi"}, "requests": {"memory": "128Mi"}},
            "volumeMounts": [{"name": "kube-api-access-x7k2p", "readOnly": True,
                              "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
        }],
        "volumes": [{"name": "kube-api-access-x7k2p", "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
        "nodeName": "node-1", "serviceAccountName": "builder", "serviceAccount": "builder", "restartPolicy": "Always",
        "nodeSelector": {"disk": "ssd", "kubernetes.io/os": "linux"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "shop", "effect": "NoSchedule"},
                        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
    },
    "status": {
        "phase": "Pending", "hostIP": "192.168.49.2", "hostIPs": [{"ip": "192.168.49.2"}], "podIP": "10.244.0.40",
        "podIPs": [{"ip": "10.244.0.40"}], "startTime": ts(minutes=4), "qosClass": "Burstable",
        "conditions": [{"type": "PodReadyToStartContainers", "status": "True"}, {"type": "Initialized", "status": "True"},
                       {"type": "Ready", "status": "False", "reason": "ContainersNotReady",
                        "message": "containers with unready status: [app]"},
                       {"type": "ContainersReady", "status": "False", "reason": "ContainersNotReady",
                        "message": "containers with unready status: [app]"},
                       {"type": "PodScheduled", "status": "True"}],
        "containerStatuses": [{
            "name": "app", "ready": False, "started": False, "restartCount": 0, "image": "nginx:1.27", "imageID": "",
            "lastState": {},
            "state": {"waiting": {"reason": "CreateContainerConfigError", "message": 'configmap "settings" not found'}},
        }],
    },
}
EVENTS_CONFIG_ERROR = [
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("cfgerr.1"),
     "involvedObject": {"kind": "Pod", "namespace": "default", "name": "cfgerr", "uid": "uid-cfgerr", "apiVersion": "v1",
                        "fieldPath": "spec.containers{app}"},
     "reason": "Failed", "message": 'Error: configmap "settings" not found', "type": "Warning", "count": 3,
     "firstTimestamp": ts(minutes=4), "lastTimestamp": ts(minutes=1), "source": {"component": "kubelet", "host": "node-1"}},
]
SA_DEFAULT = {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": meta("default", created=ts(days=9))}
SA_BUILDER = {"kind": "ServiceAccount", "apiVersion": "v1",
              "metadata": meta("builder", created=ts(hours=2), labels={"team": "shop"},
                               annotations={"owner": "ci"}),
              "automountServiceAccountToken": False,
              "secrets": [{"name": "creds"}, {"name": "gone"}],
              "imagePullSecrets": [{"name": "regcred"}, {"name": "mirror"}]}
# a pod with one volume of each type minikctl mounts, waiting on a missing ConfigMap
POD_VOLUMES = {
    "kind": "Pod", "apiVersion": "v1", "metadata": meta("vols", uid="uid-vols", created=ts(minutes=2)),
    "spec": {
        "containers": [{
            "name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"], "resources": {},
            "volumeMounts": [
                {"name": "config", "readOnly": True, "mountPath": "/etc/config"},
                {"name": "config", "mountPath": "/etc/app.conf", "subPath": "app.conf"},
                {"name": "creds", "mountPath": "/etc/creds"},
                {"name": "cache", "mountPath": "/cache"},
                {"name": "mem", "mountPath": "/mem"},
                {"name": "host", "readOnly": True, "mountPath": "/host/logs", "subPath": "pods"},
                {"name": "sock", "mountPath": "/run/containerd.sock"},
                {"name": "info", "mountPath": "/etc/podinfo"},
                {"name": "all", "mountPath": "/etc/all"},
            ]}],
        "volumes": [
            {"name": "config", "configMap": {"name": "app-config", "defaultMode": 420}},
            {"name": "creds", "secret": {"secretName": "creds", "defaultMode": 256, "optional": True,
                                         "items": [{"key": "password", "path": "pw", "mode": 384}]}},
            {"name": "cache", "emptyDir": {}},
            {"name": "mem", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
            {"name": "host", "hostPath": {"path": "/var/log", "type": ""}},
            {"name": "sock", "hostPath": {"path": "/run/containerd/containerd.sock", "type": "Socket"}},
            {"name": "info", "downwardAPI": {"defaultMode": 420, "items": [
                {"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}},
                {"path": "mem", "resourceFieldRef": {"containerName": "app", "resource": "limits.memory",
                                                     "divisor": "1Mi"}}]}},
            {"name": "all", "projected": {"defaultMode": 420, "sources": [
                {"configMap": {"name": "app-config"}},  # (optional would print a *bool address)
                {"secret": {"name": "creds", "items": [{"key": "user", "path": "user"}]}},
                {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"apiVersion": "v1",
                                                                      "fieldPath": "metadata.namespace"}}]}},
                {"serviceAccountToken": {"expirationSeconds": 7200, "path": "token"}}]}},
        ],
        "nodeName": "node-1", "serviceAccountName": "default", "restartPolicy": "Always",
    },
    "status": {
        "phase": "Pending", "hostIP": "192.168.49.2", "hostIPs": [{"ip": "192.168.49.2"}],
        "startTime": ts(minutes=2), "qosClass": "BestEffort",
        "conditions": [{"type": "PodReadyToStartContainers", "status": "False"}, {"type": "Initialized", "status": "True"},
                       {"type": "Ready", "status": "False", "reason": "ContainersNotReady",
                        "message": "containers with unready status: [app]"},
                       {"type": "ContainersReady", "status": "False", "reason": "ContainersNotReady",
                        "message": "containers with unready status: [app]"},
                       {"type": "PodScheduled", "status": "True"}],
        "containerStatuses": [{
            "name": "app", "ready": False, "started": False, "restartCount": 0, "image": "busybox:1.36", "imageID": "",
            "lastState": {}, "state": {"waiting": {"reason": "ContainerCreating"}},
        }],
    },
}
EVENTS_VOLUMES = [
    {"apiVersion": "v1", "kind": "Event", "metadata": meta("vols.1"),
     "involvedObject": {"kind": "Pod", "namespace": "default", "name": "vols", "uid": "uid-vols", "apiVersion": "v1"},
     "reason": "FailedMount", "message": 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
     "type": "Warning", "count": 1, "firstTimestamp": ts(minutes=2), "lastTimestamp": ts(minutes=2),
     "source": {"component": "kubelet", "host": "node-1"}},
]

# Resources (issue 10): a kind worker created with --node-cpu 2 --node-memory 4Gi, running pods
# with requests and limits (containers, init containers by the max rule, a sidecar, overhead).
NODE_RES = {
    "kind": "Node", "apiVersion": "v1",
    "metadata": {"name": "kind-worker", "uid": "uid-node-res", "creationTimestamp": ts(days=3),
                 "labels": {"kubernetes.io/hostname": "kind-worker", "kubernetes.io/os": "linux"},
                 "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
    "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"], "providerID": "kind://docker/kind/kind-worker"},
    "status": {
        "capacity": {"cpu": "2", "ephemeral-storage": "263174212Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                     "memory": "4Gi", "pods": "110"},
        "allocatable": {"cpu": "2", "ephemeral-storage": "263174212Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                        "memory": "4Gi", "pods": "110"},
        "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": ts(minutes=1), "lastTransitionTime": ts(days=3),
                        "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
        "addresses": [{"type": "InternalIP", "address": "172.18.0.3"}, {"type": "Hostname", "address": "kind-worker"}],
        "nodeInfo": {"kubeletVersion": "v1.32.0", "kubeProxyVersion": "v1.32.0", "operatingSystem": "linux",
                     "architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.24"},
    },
}


def _res_pod(name, spec, qos, created):
    sp = {"restartPolicy": "Always", "serviceAccountName": "default", "nodeName": "kind-worker", **spec}
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta(name, ns="res", created=created), "spec": sp,
            "status": {"phase": "Running", "qosClass": qos, "startTime": created}}


PODS_RES = [
    _res_pod("burstable", {"containers": [
        {"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "500m", "memory": "128Mi"},
                                                       "limits": {"cpu": "1", "memory": "256Mi"}}},
        {"name": "log", "image": "busybox", "resources": {"requests": {"cpu": "50m"}}}]}, "Burstable", ts(hours=3)),
    _res_pod("guaranteed", {
        "initContainers": [{"name": "init", "image": "busybox", "resources": {"requests": {"cpu": "1500m", "memory": "64Mi"},
                                                                          "limits": {"cpu": "1500m", "memory": "64Mi"}}},
                           {"name": "side", "image": "busybox", "restartPolicy": "Always",
                            "resources": {"requests": {"cpu": "100m", "memory": "1Gi"}, "limits": {"cpu": "100m", "memory": "1Gi"}}}],
        "containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "250m", "memory": "100M"},
                                                                      "limits": {"cpu": "250m", "memory": "100M"}}}],
        "overhead": {"cpu": "10m", "memory": "2Mi"}}, "Guaranteed", ts(minutes=20)),
    _res_pod("besteffort", {"containers": [{"name": "app", "image": "nginx", "resources": {}}]}, "BestEffort", ts(days=1)),
    _res_pod("done", {"containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "1"}}}]},
             "Burstable", ts(days=2)),
]
PODS_RES[-1]["status"]["phase"] = "Succeeded"  # not a non-terminated pod: left out
# ---- NetworkPolicy fixtures (kubectl describe.go describeNetworkPolicy) ----
NETPOL = {
    "kind": "NetworkPolicy", "apiVersion": "networking.k8s.io/v1",
    "metadata": meta("test-network-policy", labels={"tier": "db"}, annotations={"owner": "team-db"}),
    "spec": {
        "podSelector": {"matchLabels": {"role": "db"}, "matchExpressions": [{"key": "env", "operator": "In", "values": ["a", "b"]}]},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [
            {"from": [{"ipBlock": {"cidr": "172.17.0.0/16", "except": ["172.17.1.0/24", "172.17.2.0/24"]}},
                      {"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
                      {"namespaceSelector": {"matchLabels": {"team": "a"}}, "podSelector": {}},
                      {"podSelector": {"matchLabels": {"role": "frontend"}}}],
             "ports": [{"protocol": "TCP", "port": 6379}, {"protocol": "UDP", "port": "dns"}]},
            {},
        ],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}],
                    "ports": [{"protocol": "TCP", "port": 5978}, {"protocol": "TCP", "port": 32000, "endPort": 32768}, {"protocol": "SCTP"}]}],
    },
}
NETPOL_DENY = {
    "kind": "NetworkPolicy", "apiVersion": "networking.k8s.io/v1",
    "metadata": meta("deny-all", created=ts(minutes=7)),
    "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
}
NETPOL_EGRESS_ONLY = {
    "kind": "NetworkPolicy", "apiVersion": "networking.k8s.io/v1",
    "metadata": meta("egress-only", created=ts(hours=2)),
    "spec": {"podSelector": {"matchLabels": {"app": "x"}}, "policyTypes": ["Egress"]},
}
ALL_NETPOLS = [NETPOL, NETPOL_DENY, NETPOL_EGRESS_ONLY]
# --- issue 11: DaemonSet (w-ds)
DAEMONSET = {
    "kind": "DaemonSet", "apiVersion": "apps/v1",
    "metadata": meta("agent", uid="uid-ds", labels={"app": "agent"},
                     annotations={"deprecated.daemonset.template.generation": "2"}, created=ts(hours=3)),
    "spec": {"selector": {"matchLabels": {"app": "agent"}},
             "template": {"metadata": {"labels": {"app": "agent"}},
                          "spec": {"nodeSelector": {"disk": "ssd", "kubernetes.io/os": "linux"},
                                   "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
                                                    "effect": "NoSchedule"}],
                                   "containers": [{"name": "agent", "image": "busybox:1.36",
                                                   "command": ["sh", "-c", "sleep 3600"]},
                                                  {"name": "side", "image": "nginx:1.27"}]}},
             "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
             "revisionHistoryLimit": 10},
    "status": {"currentNumberScheduled": 3, "numberMisscheduled": 1, "desiredNumberScheduled": 3, "numberReady": 2,
               "observedGeneration": 2, "updatedNumberScheduled": 2, "numberAvailable": 2, "numberUnavailable": 1},
}
DAEMONSET_BARE = {
    "kind": "DaemonSet", "apiVersion": "apps/v1", "metadata": meta("bare-ds", created=ts(minutes=7)),
    "spec": {"selector": {"matchLabels": {"name": "b"}, "matchExpressions": [{"key": "tier", "operator": "In",
                                                                               "values": ["x", "y"]}]},
             "template": {"metadata": {"labels": {"name": "b", "tier": "x"}},
                          "spec": {"containers": [{"name": "c", "image": "pause"}]}},
             "updateStrategy": {"type": "OnDelete"}},
    "status": {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0},
}
POD_DS = pod("agent-x7k2p", {"phase": "Running", "qosClass": "BestEffort"},
             labels={"app": "agent", "controller-revision-hash": "6b9f7c8d5", "pod-template-generation": "2"},
             ownerReferences=[{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "uid-ds",
                               "controller": True}])
POD_DS_PENDING = pod("agent-q4w9z", {"phase": "Pending", "qosClass": "BestEffort"},
                     labels={"app": "agent", "controller-revision-hash": "6b9f7c8d5", "pod-template-generation": "2"},
                     ownerReferences=[{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "uid-ds",
                                       "controller": True}])
EVENTS_DS = [
    {"kind": "Event", "apiVersion": "v1", "metadata": meta("agent.1", created=ts(minutes=2)),
     "involvedObject": {"kind": "DaemonSet", "namespace": "default", "name": "agent", "uid": "uid-ds",
                        "apiVersion": "apps/v1"},
     "reason": "SuccessfulCreate", "message": "Created pod: agent-x7k2p", "source": {"component": "daemonset-controller"},
     "firstTimestamp": ts(minutes=2), "lastTimestamp": ts(minutes=2), "count": 1, "type": "Normal"},
]
# --- issue 11: HorizontalPodAutoscaler (w-hpa)
_CPU50 = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}
HPA_WEB = {
    "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
    "metadata": meta("php-apache", uid="uid-hpa", created=ts(minutes=3)),
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
             "minReplicas": 1, "maxReplicas": 10, "metrics": [_CPU50]},
    "status": {"lastScaleTime": ts(minutes=2), "currentReplicas": 1, "desiredReplicas": 4,
               "currentMetrics": [{"type": "Resource", "resource": {
                   "name": "cpu", "current": {"averageValue": "500m", "averageUtilization": 250}}}],
               "conditions": [
                   {"type": "AbleToScale", "status": "True", "lastTransitionTime": ts(minutes=2),
                    "reason": "SucceededRescale", "message": "the HPA controller was able to update the target scale to 4"},
                   {"type": "ScalingActive", "status": "True", "lastTransitionTime": ts(minutes=2),
                    "reason": "ValidMetricFound", "message": "the HPA was able to successfully calculate a replica count "
                                                             "from cpu resource utilization (percentage of request)"},
                   {"type": "ScalingLimited", "status": "True", "lastTransitionTime": ts(minutes=2),
                    "reason": "ScaleUpLimit",
                    "message": "the desired replica count is increasing faster than the maximum scale rate"}]},
}
HPA_BARE = {
    "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
    "metadata": meta("many", created=ts(seconds=5)),
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db"}, "maxReplicas": 3,
             "metrics": [
                 {"type": "Resource", "resource": {"name": "memory",
                                                   "target": {"type": "AverageValue", "averageValue": "500Mi"}}},
                 {"type": "Pods", "pods": {"metric": {"name": "packets-per-second"},
                                           "target": {"type": "AverageValue", "averageValue": "1k"}}},
                 {"type": "Object", "object": {"metric": {"name": "requests-per-second"},
                                               "describedObject": {"apiVersion": "networking.k8s.io/v1",
                                                                   "kind": "Ingress", "name": "main-route"},
                                               "target": {"type": "Value", "value": "10k"}}},
                 {"type": "External", "external": {"metric": {"name": "queue_messages_ready"},
                                                   "target": {"type": "AverageValue", "averageValue": "30"}}}],
             "behavior": {"scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                                      "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                                   {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                          "scaleDown": {"selectPolicy": "Min",
                                        "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}]}}},
    "status": {"currentMetrics": None, "desiredReplicas": 0},
}
EVENTS_HPA = [
    {"kind": "Event", "apiVersion": "v1", "metadata": meta("php-apache.1", created=ts(minutes=2)),
     "involvedObject": {"kind": "HorizontalPodAutoscaler", "namespace": "default", "name": "php-apache",
                        "uid": "uid-hpa", "apiVersion": "autoscaling/v2"},
     "reason": "SuccessfulRescale",
     "message": "New size: 4; reason: cpu resource utilization (percentage of request) above target",
     "source": {"component": "horizontal-pod-autoscaler"},
     "firstTimestamp": ts(minutes=2), "lastTimestamp": ts(minutes=2), "count": 1, "type": "Normal"},
]

# --- issue 11: disruptions (w-drain): PodDisruptionBudgets
def _pdb_status(healthy, desired, expected, allowed):
    return {"currentHealthy": healthy, "desiredHealthy": desired, "expectedPods": expected,
            "disruptionsAllowed": allowed, "observedGeneration": 1,
            "conditions": [{"type": "DisruptionAllowed", "status": "True" if allowed else "False",
                            "reason": "SufficientPods" if allowed else "InsufficientPods", "message": "",
                            "observedGeneration": 1, "lastTransitionTime": ts(minutes=7)}]}


PDB_MIN = {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1",
           "metadata": meta("web-pdb", uid="uid-pdb", created=ts(minutes=7), generation=1),
           "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}},
           "status": _pdb_status(3, 2, 3, 1)}
PDB_MAX = {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1",
           "metadata": meta("db-pdb", created=ts(hours=30), generation=1),
           "spec": {"maxUnavailable": "25%", "selector": {"matchExpressions": [
               {"key": "tier", "operator": "In", "values": ["db", "cache"]}]},
               "unhealthyPodEvictionPolicy": "AlwaysAllow"},
           "status": _pdb_status(1, 1, 1, 0)}
PDB_ALL = {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1",
           "metadata": meta("everything", created=ts(seconds=40), generation=1),
           "spec": {"selector": {}},
           "status": _pdb_status(0, 0, 0, 0)}
PDB_NONE = {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1",
            "metadata": meta("no-selector", created=ts(seconds=40), generation=1),
            "spec": {"minAvailable": "50%"},
            "status": _pdb_status(0, 0, 0, 0)}
ALL_PDBS = [PDB_MIN, PDB_MAX, PDB_ALL, PDB_NONE]
EVENTS_PDB = [
    {"kind": "Event", "apiVersion": "v1", "metadata": meta("web-pdb.1", created=ts(minutes=7)),
     "involvedObject": {"kind": "PodDisruptionBudget", "namespace": "default", "name": "web-pdb", "uid": "uid-pdb",
                        "apiVersion": "policy/v1"},
     "reason": "NoPods", "message": "No matching pods found", "source": {"component": "controllermanager"},
     "firstTimestamp": ts(minutes=7), "lastTimestamp": ts(minutes=6), "count": 2, "type": "Normal"},
]
