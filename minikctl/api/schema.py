"""Strict field validation, as kube-apiserver's ``fieldValidation=Strict`` (kubectl's default).

The apiserver decodes the JSON body kubectl sends (keys sorted, as Go marshals maps)
into the typed Go struct with sigs.k8s.io/json: a value of the wrong type stops the
decode with encoding/json's ``json: cannot unmarshal string into Go struct field
ServicePort.spec.ports.port of type int32`` (the first one only); otherwise every
field the struct does not have is listed as ``unknown field "spec.ports[0].selector"``
(k8s.io/apimachinery/pkg/runtime/serializer/json/json.go, runtime/error.go
``strict decoding error: ``). The handler wraps either as
``Service in version "v1" cannot be handled as a Service: ...``
(staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError)
and kubectl adds ``error when creating "svc.yaml": `` (kubectl/pkg/cmd/util/helpers.go
AddSourceToErr).

The schema below is the subset of the Go types (k8s.io/api core/v1, apps/v1,
networking/v1, discovery/v1, meta/v1) that minikctl's kinds use; fields whose
contents minikctl does not model (securityContext, affinity, volumes, status...)
accept any mapping.
"""

from __future__ import annotations

import re

from minikctl.api.errors import BadRequest

# ---------------------------------------------------------------------------
# Type descriptors: a leaf is its Go type name (a str); structs, lists and maps
# are tuples ("S", name, fields) / ("L", elem, goname) / ("M", elem, goname).

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1), "uint16": (0, 65535)}


def S(_name: str, /, **fields) -> tuple:
    return ("S", _name, fields)


def L(elem) -> tuple:
    return ("L", elem, "[]" + _goname(elem))


def M(elem, goname: str | None = None) -> tuple:
    return ("M", elem, goname or "map[string]" + _goname(elem))


def _goname(t) -> str:
    if isinstance(t, str):
        return t[2:] if t.startswith("{}") else t
    if t[0] == "S":
        return "v1." + t[1]
    return t[2]


STR = "string"
I32 = "int32"
I64 = "int64"
BOOL = "bool"
INTSTR = "intstr.IntOrString"
QTY = "resource.Quantity"
TIME = "v1.Time"
BYTES = "[]uint8"
ANY_LIST = L("{}v1.ManagedFieldsEntry")
STRS = L(STR)
STRMAP = M(STR)
RESOURCES = M(QTY, "v1.ResourceList")


def obj(goname: str) -> str:
    """Any mapping (contents not checked)."""
    return "{}" + goname


OWNER_REF = S("OwnerReference", apiVersion=STR, kind=STR, name=STR, uid="types.UID", controller=BOOL,
              blockOwnerDeletion=BOOL)
OBJECT_META = S(
    "ObjectMeta", name=STR, generateName=STR, namespace=STR, selfLink=STR, uid="types.UID", resourceVersion=STR,
    generation=I64, creationTimestamp=TIME, deletionTimestamp=TIME, deletionGracePeriodSeconds=I64, labels=STRMAP,
    annotations=STRMAP, ownerReferences=L(OWNER_REF), finalizers=STRS, managedFields=ANY_LIST,
)
LABEL_SELECTOR = S(
    "LabelSelector", matchLabels=STRMAP,
    matchExpressions=L(S("LabelSelectorRequirement", key=STR, operator="v1.LabelSelectorOperator", values=STRS)),
)
OBJECT_REF = S("ObjectReference", kind=STR, namespace=STR, name=STR, uid="types.UID", apiVersion=STR,
               resourceVersion=STR, fieldPath=STR)
LOCAL_REF = S("LocalObjectReference", name=STR)

_KEY_REF = dict(name=STR, key=STR, optional=BOOL)
ENV_VAR = S(
    "EnvVar", name=STR, value=STR,
    valueFrom=S(
        "EnvVarSource",
        fieldRef=S("ObjectFieldSelector", apiVersion=STR, fieldPath=STR),
        resourceFieldRef=S("ResourceFieldSelector", containerName=STR, resource=STR, divisor=QTY),
        configMapKeyRef=S("ConfigMapKeySelector", **_KEY_REF),
        secretKeyRef=S("SecretKeySelector", **_KEY_REF),
    ),
)
ENV_FROM = S(
    "EnvFromSource", prefix=STR,
    configMapRef=S("ConfigMapEnvSource", name=STR, optional=BOOL),
    secretRef=S("SecretEnvSource", name=STR, optional=BOOL),
)
PROBE = S(
    "Probe",
    exec=S("ExecAction", command=STRS),
    httpGet=S("HTTPGetAction", path=STR, port=INTSTR, host=STR, scheme="v1.URIScheme",
              httpHeaders=L(S("HTTPHeader", name=STR, value=STR))),
    tcpSocket=S("TCPSocketAction", port=INTSTR, host=STR),
    grpc=S("GRPCAction", port=I32, service=STR),
    initialDelaySeconds=I32, timeoutSeconds=I32, periodSeconds=I32, successThreshold=I32, failureThreshold=I32,
    terminationGracePeriodSeconds=I64,
)
CONTAINER = S(
    "Container", name=STR, image=STR, command=STRS, args=STRS, workingDir=STR,
    ports=L(S("ContainerPort", name=STR, hostPort=I32, containerPort=I32, protocol="v1.Protocol", hostIP=STR)),
    envFrom=L(ENV_FROM), env=L(ENV_VAR),
    resources=S("ResourceRequirements", limits=RESOURCES, requests=RESOURCES, claims=L(obj("v1.ResourceClaim"))),
    resizePolicy=L(obj("v1.ContainerResizePolicy")), restartPolicy="v1.ContainerRestartPolicy",
    volumeMounts=L(S("VolumeMount", name=STR, readOnly=BOOL, recursiveReadOnly="v1.RecursiveReadOnlyMode",
                     mountPath=STR, subPath=STR, mountPropagation="v1.MountPropagationMode", subPathExpr=STR)),
    volumeDevices=L(obj("v1.VolumeDevice")),
    livenessProbe=PROBE, readinessProbe=PROBE, startupProbe=PROBE, lifecycle=obj("v1.Lifecycle"),
    terminationMessagePath=STR, terminationMessagePolicy="v1.TerminationMessagePolicy",
    imagePullPolicy="v1.PullPolicy", securityContext=obj("v1.SecurityContext"), stdin=BOOL, stdinOnce=BOOL, tty=BOOL,
)
POD_SPEC = S(
    "PodSpec", volumes=L(obj("v1.Volume")), initContainers=L(CONTAINER), containers=L(CONTAINER),
    ephemeralContainers=L(obj("v1.EphemeralContainer")), restartPolicy="v1.RestartPolicy",
    terminationGracePeriodSeconds=I64, activeDeadlineSeconds=I64, dnsPolicy="v1.DNSPolicy", nodeSelector=STRMAP,
    serviceAccountName=STR, serviceAccount=STR, automountServiceAccountToken=BOOL, nodeName=STR, hostNetwork=BOOL,
    hostPID=BOOL, hostIPC=BOOL, shareProcessNamespace=BOOL, securityContext=obj("v1.PodSecurityContext"),
    imagePullSecrets=L(LOCAL_REF), hostname=STR, subdomain=STR, affinity=obj("v1.Affinity"), schedulerName=STR,
    tolerations=L(obj("v1.Toleration")), hostAliases=L(S("HostAlias", ip=STR, hostnames=STRS)),
    priorityClassName=STR, priority=I32, dnsConfig=obj("v1.PodDNSConfig"), readinessGates=L(obj("v1.PodReadinessGate")),
    runtimeClassName=STR, enableServiceLinks=BOOL, preemptionPolicy="v1.PreemptionPolicy", overhead=RESOURCES,
    topologySpreadConstraints=L(obj("v1.TopologySpreadConstraint")), setHostnameAsFQDN=BOOL, os=obj("v1.PodOS"),
    hostUsers=BOOL, schedulingGates=L(obj("v1.PodSchedulingGate")), resourceClaims=L(obj("v1.PodResourceClaim")),
    resources=obj("v1.ResourceRequirements"),
)
POD_TEMPLATE = S("PodTemplateSpec", metadata=OBJECT_META, spec=POD_SPEC)


def _top(_name: str, /, **fields) -> tuple:
    return S(_name, apiVersion=STR, kind=STR, metadata=OBJECT_META, **fields)


SERVICE_PORT = S("ServicePort", name=STR, protocol="v1.Protocol", appProtocol=STR, port=I32, targetPort=INTSTR,
                 nodePort=I32)
SERVICE = _top(
    "Service",
    spec=S(
        "ServiceSpec", ports=L(SERVICE_PORT), selector=STRMAP, clusterIP=STR, clusterIPs=STRS, type="v1.ServiceType",
        externalIPs=STRS, sessionAffinity="v1.ServiceAffinity", loadBalancerIP=STR, loadBalancerSourceRanges=STRS,
        externalName=STR, externalTrafficPolicy="v1.ServiceExternalTrafficPolicy", healthCheckNodePort=I32,
        publishNotReadyAddresses=BOOL,
        sessionAffinityConfig=S("SessionAffinityConfig", clientIP=S("ClientIPConfig", timeoutSeconds=I32)),
        ipFamilies=L("v1.IPFamily"), ipFamilyPolicy="v1.IPFamilyPolicy", allocateLoadBalancerNodePorts=BOOL,
        loadBalancerClass=STR, internalTrafficPolicy="v1.ServiceInternalTrafficPolicy", trafficDistribution=STR,
    ),
    status=obj("v1.ServiceStatus"),
)
ENDPOINT_ADDRESS = S("EndpointAddress", ip=STR, hostname=STR, nodeName=STR, targetRef=OBJECT_REF)
ENDPOINTS = _top(
    "Endpoints",
    subsets=L(S("EndpointSubset", addresses=L(ENDPOINT_ADDRESS), notReadyAddresses=L(ENDPOINT_ADDRESS),
                ports=L(S("EndpointPort", name=STR, port=I32, protocol="v1.Protocol", appProtocol=STR)))),
)
ENDPOINT_SLICE = _top(
    "EndpointSlice", addressType="v1.AddressType",
    endpoints=L(S("Endpoint", addresses=STRS,
                  conditions=S("EndpointConditions", ready=BOOL, serving=BOOL, terminating=BOOL),
                  hostname=STR, targetRef=OBJECT_REF, deprecatedTopology=STRMAP, nodeName=STR, zone=STR,
                  hints=obj("v1.EndpointHints"))),
    ports=L(S("EndpointPort", name=STR, protocol="v1.Protocol", port=I32, appProtocol=STR)),
)
_STRATEGY = S("DeploymentStrategy", type="v1.DeploymentStrategyType",
              rollingUpdate=S("RollingUpdateDeployment", maxUnavailable=INTSTR, maxSurge=INTSTR))
DEPLOYMENT_SPEC_FIELDS = dict(
    replicas=I32, selector=LABEL_SELECTOR, template=POD_TEMPLATE, strategy=_STRATEGY, minReadySeconds=I32,
    revisionHistoryLimit=I32, paused=BOOL, progressDeadlineSeconds=I32,
)
DEPLOYMENT = _top("Deployment", spec=S("DeploymentSpec", **DEPLOYMENT_SPEC_FIELDS), status=obj("v1.DeploymentStatus"))
# extensions/v1beta1 and apps/v1beta1 also had spec.rollbackTo
DEPLOYMENT_BETA = _top(
    "Deployment", spec=S("DeploymentSpec", rollbackTo=S("RollbackConfig", revision=I64), **DEPLOYMENT_SPEC_FIELDS),
    status=obj("v1beta1.DeploymentStatus"),
)
REPLICA_SET = _top(
    "ReplicaSet",
    spec=S("ReplicaSetSpec", replicas=I32, minReadySeconds=I32, selector=LABEL_SELECTOR, template=POD_TEMPLATE),
    status=obj("v1.ReplicaSetStatus"),
)
REPLICATION_CONTROLLER = _top(
    "ReplicationController",
    spec=S("ReplicationControllerSpec", replicas=I32, minReadySeconds=I32, selector=STRMAP, template=POD_TEMPLATE),
    status=obj("v1.ReplicationControllerStatus"),
)
POD = _top("Pod", spec=POD_SPEC, status=obj("v1.PodStatus"))
# --- issue 11: DaemonSet (w-ds)
DAEMON_SET = _top(
    "DaemonSet",
    spec=S("DaemonSetSpec", selector=LABEL_SELECTOR, template=POD_TEMPLATE,
           updateStrategy=S("DaemonSetUpdateStrategy", type="v1.DaemonSetUpdateStrategyType",
                            rollingUpdate=S("RollingUpdateDaemonSet", maxUnavailable=INTSTR, maxSurge=INTSTR)),
           minReadySeconds=I32, revisionHistoryLimit=I32),
    status=obj("v1.DaemonSetStatus"),
)

_TYPED_REF = S("TypedLocalObjectReference", apiGroup=STR, kind=STR, name=STR)
_TYPED_REF_CORE = _TYPED_REF
INGRESS_BACKEND = S(
    "IngressBackend",
    service=S("IngressServiceBackend", name=STR, port=S("ServiceBackendPort", name=STR, number=I32)),
    resource=_TYPED_REF,
)
INGRESS_BACKEND_BETA = S("IngressBackend", serviceName=STR, servicePort=INTSTR, resource=_TYPED_REF)


def _ingress(backend: tuple, default_field: str) -> tuple:
    return _top(
        "Ingress",
        spec=S(
            "IngressSpec", ingressClassName=STR, **{default_field: backend},
            tls=L(S("IngressTLS", hosts=STRS, secretName=STR)),
            rules=L(S("IngressRule", host=STR, http=S(
                "HTTPIngressRuleValue",
                paths=L(S("HTTPIngressPath", path=STR, pathType="v1.PathType", backend=backend))))),
        ),
        status=obj("v1.IngressStatus"),
    )


INGRESS = _ingress(INGRESS_BACKEND, "defaultBackend")
INGRESS_BETA = _ingress(INGRESS_BACKEND_BETA, "backend")
INGRESS_CLASS = _top(
    "IngressClass",
    spec=S("IngressClassSpec", controller=STR,
           parameters=S("IngressClassParametersReference", apiGroup=STR, kind=STR, name=STR, scope=STR,
                        namespace=STR)),
)
SECRET = _top("Secret", immutable=BOOL, data=M(BYTES), stringData=STRMAP, type="v1.SecretType")
CONFIG_MAP = _top("ConfigMap", immutable=BOOL, data=STRMAP, binaryData=M(BYTES))
SERVICE_ACCOUNT = _top("ServiceAccount", secrets=L(OBJECT_REF), imagePullSecrets=L(LOCAL_REF),
                       automountServiceAccountToken=BOOL)
NAMESPACE = _top("Namespace", spec=S("NamespaceSpec", finalizers=L("v1.FinalizerName")),
                 status=obj("v1.NamespaceStatus"))
NODE = _top(
    "Node",
    spec=S("NodeSpec", podCIDR=STR, podCIDRs=STRS, providerID=STR, unschedulable=BOOL, taints=L(obj("v1.Taint")),
           configSource=obj("v1.NodeConfigSource"), externalID=STR),
    status=obj("v1.NodeStatus"),
)
EVENT = _top(
    "Event", involvedObject=OBJECT_REF, reason=STR, message=STR,
    source=S("EventSource", component=STR, host=STR), firstTimestamp=TIME, lastTimestamp=TIME, count=I32, type=STR,
    eventTime="v1.MicroTime", series=obj("v1.EventSeries"), action=STR, related=OBJECT_REF, reportingComponent=STR,
    reportingInstance=STR,
)

# ---- NetworkPolicy (networking.k8s.io/v1; k8s.io/api/networking/v1/types.go) ----
_NP_PEER = S("NetworkPolicyPeer", podSelector=LABEL_SELECTOR, namespaceSelector=LABEL_SELECTOR,
             ipBlock=S("IPBlock", cidr=STR, **{"except": STRS}))
_NP_PORT = S("NetworkPolicyPort", protocol="v1.Protocol", port=INTSTR, endPort=I32)
NETWORK_POLICY = _top(
    "NetworkPolicy",
    spec=S("NetworkPolicySpec", podSelector=LABEL_SELECTOR,
           ingress=L(S("NetworkPolicyIngressRule", ports=L(_NP_PORT), **{"from": L(_NP_PEER)})),
           egress=L(S("NetworkPolicyEgressRule", ports=L(_NP_PORT), to=L(_NP_PEER))),
           policyTypes=L("v1.PolicyType")),
)
# ---- end NetworkPolicy ----
# --- stateful workloads and storage (issue 11): core/v1 PersistentVolume(Claim),
# storage.k8s.io/v1 StorageClass, apps/v1 StatefulSet and ControllerRevision
PVC_SPEC = S(
    "PersistentVolumeClaimSpec", accessModes=L("v1.PersistentVolumeAccessMode"), selector=LABEL_SELECTOR,
    resources=S("VolumeResourceRequirements", limits=RESOURCES, requests=RESOURCES), volumeName=STR,
    storageClassName=STR, volumeMode="v1.PersistentVolumeMode", dataSource=_TYPED_REF_CORE,
    dataSourceRef=obj("v1.TypedObjectReference"), volumeAttributesClassName=STR,
)
PERSISTENT_VOLUME_CLAIM = _top("PersistentVolumeClaim", spec=PVC_SPEC, status=obj("v1.PersistentVolumeClaimStatus"))
PERSISTENT_VOLUME = _top(
    "PersistentVolume",
    spec=S("PersistentVolumeSpec", capacity=RESOURCES, accessModes=L("v1.PersistentVolumeAccessMode"),
           claimRef=OBJECT_REF, persistentVolumeReclaimPolicy="v1.PersistentVolumeReclaimPolicy",
           storageClassName=STR, mountOptions=STRS, volumeMode="v1.PersistentVolumeMode",
           nodeAffinity=obj("v1.VolumeNodeAffinity"), volumeAttributesClassName=STR,
           hostPath=obj("v1.HostPathVolumeSource"), local=obj("v1.LocalVolumeSource"), nfs=obj("v1.NFSVolumeSource"),
           csi=obj("v1.CSIPersistentVolumeSource"), iscsi=obj("v1.ISCSIPersistentVolumeSource"),
           fc=obj("v1.FCVolumeSource"), gcePersistentDisk=obj("v1.GCEPersistentDiskVolumeSource"),
           awsElasticBlockStore=obj("v1.AWSElasticBlockStoreVolumeSource")),
    status=obj("v1.PersistentVolumeStatus"),
)
STORAGE_CLASS = _top(
    "StorageClass", provisioner=STR, parameters=STRMAP, reclaimPolicy="v1.PersistentVolumeReclaimPolicy",
    mountOptions=STRS, allowVolumeExpansion=BOOL, volumeBindingMode="v1.VolumeBindingMode",
    allowedTopologies=L(obj("v1.TopologySelectorTerm")),
)
STATEFUL_SET = _top(
    "StatefulSet",
    spec=S("StatefulSetSpec", replicas=I32, selector=LABEL_SELECTOR, template=POD_TEMPLATE,
           volumeClaimTemplates=L(S("PersistentVolumeClaim", apiVersion=STR, kind=STR, metadata=OBJECT_META,
                                    spec=PVC_SPEC, status=obj("v1.PersistentVolumeClaimStatus"))),
           serviceName=STR, podManagementPolicy="v1.PodManagementPolicyType",
           updateStrategy=S("StatefulSetUpdateStrategy", type="v1.StatefulSetUpdateStrategyType",
                            rollingUpdate=S("RollingUpdateStatefulSetStrategy", partition=I32,
                                            maxUnavailable=INTSTR)),
           revisionHistoryLimit=I32, minReadySeconds=I32,
           persistentVolumeClaimRetentionPolicy=S(
               "StatefulSetPersistentVolumeClaimRetentionPolicy",
               whenDeleted="v1.PersistentVolumeClaimRetentionPolicyType",
               whenScaled="v1.PersistentVolumeClaimRetentionPolicyType"),
           ordinals=S("StatefulSetOrdinals", start=I32)),
    status=obj("v1.StatefulSetStatus"),
)
CONTROLLER_REVISION = _top("ControllerRevision", data=obj("runtime.RawExtension"), revision=I64)
_STATEFUL_SCHEMAS = {"StatefulSet": STATEFUL_SET, "ControllerRevision": CONTROLLER_REVISION,
                     "PersistentVolumeClaim": PERSISTENT_VOLUME_CLAIM, "PersistentVolume": PERSISTENT_VOLUME,
                     "StorageClass": STORAGE_CLASS}

# --- issue 11: Batch (w-job): batch/v1 Job (k8s.io/api/batch/v1/types.go)
_JOB_SPEC_FIELDS = dict(
    parallelism=I32, completions=I32, activeDeadlineSeconds=I64,
    podFailurePolicy=obj("v1.PodFailurePolicy"), successPolicy=obj("v1.SuccessPolicy"), backoffLimit=I32,
    backoffLimitPerIndex=I32, maxFailedIndexes=I32, selector=LABEL_SELECTOR, manualSelector=BOOL,
    template=POD_TEMPLATE, ttlSecondsAfterFinished=I32, completionMode="v1.CompletionMode", suspend=BOOL,
    podReplacementPolicy="v1.PodReplacementPolicy", managedBy=STR,
)
JOB = _top("Job", spec=S("JobSpec", **_JOB_SPEC_FIELDS), status=obj("v1.JobStatus"))
CRON_JOB = _top(
    "CronJob",
    spec=S("CronJobSpec", schedule=STR, timeZone=STR, startingDeadlineSeconds=I64,
           concurrencyPolicy="v1.ConcurrencyPolicy", suspend=BOOL,
           jobTemplate=S("JobTemplateSpec", metadata=OBJECT_META, spec=S("JobSpec", **_JOB_SPEC_FIELDS)),
           successfulJobsHistoryLimit=I32, failedJobsHistoryLimit=I32),
    status=obj("v1.CronJobStatus"),
)

# --- issue 11: HorizontalPodAutoscaler (w-hpa): autoscaling/v2 and v1 (k8s.io/api/autoscaling/v{1,2}/types.go)
_HPA_REF = S("CrossVersionObjectReference", kind=STR, name=STR, apiVersion=STR)
_HPA_IDENT = S("MetricIdentifier", name=STR, selector=LABEL_SELECTOR)
_HPA_TARGET = S("MetricTarget", type="v2.MetricTargetType", value=QTY, averageValue=QTY, averageUtilization=I32)
_HPA_POLICY = S("HPAScalingPolicy", type="v2.HPAScalingPolicyType", value=I32, periodSeconds=I32)
_HPA_RULES = S("HPAScalingRules", stabilizationWindowSeconds=I32, selectPolicy="v2.ScalingPolicySelect",
               policies=L(_HPA_POLICY))
HORIZONTAL_POD_AUTOSCALER = _top(
    "HorizontalPodAutoscaler",
    spec=S("HorizontalPodAutoscalerSpec", scaleTargetRef=_HPA_REF, minReplicas=I32, maxReplicas=I32,
           metrics=L(S("MetricSpec", type="v2.MetricSourceType",
                       object=S("ObjectMetricSource", describedObject=_HPA_REF, target=_HPA_TARGET, metric=_HPA_IDENT),
                       pods=S("PodsMetricSource", metric=_HPA_IDENT, target=_HPA_TARGET),
                       resource=S("ResourceMetricSource", name="v1.ResourceName", target=_HPA_TARGET),
                       containerResource=S("ContainerResourceMetricSource", name="v1.ResourceName",
                                           target=_HPA_TARGET, container=STR),
                       external=S("ExternalMetricSource", metric=_HPA_IDENT, target=_HPA_TARGET))),
           behavior=S("HorizontalPodAutoscalerBehavior", scaleUp=_HPA_RULES, scaleDown=_HPA_RULES)),
    status=obj("v2.HorizontalPodAutoscalerStatus"),
)
HORIZONTAL_POD_AUTOSCALER_V1 = _top(
    "HorizontalPodAutoscaler",
    spec=S("HorizontalPodAutoscalerSpec", scaleTargetRef=_HPA_REF, minReplicas=I32, maxReplicas=I32,
           targetCPUUtilizationPercentage=I32),
    status=obj("v1.HorizontalPodAutoscalerStatus"),
)
# --- issue 11: policy (w-quota): core/v1 ResourceQuota, LimitRange; scheduling.k8s.io/v1 PriorityClass
_SCOPE_SELECTOR = S("ScopeSelector", matchExpressions=L(S("ScopedResourceSelectorRequirement",
                                                          scopeName="v1.ResourceQuotaScope",
                                                          operator="v1.ScopeSelectorOperator", values=STRS)))
RESOURCE_QUOTA = _top(
    "ResourceQuota",
    spec=S("ResourceQuotaSpec", hard=RESOURCES, scopes=L("v1.ResourceQuotaScope"), scopeSelector=_SCOPE_SELECTOR),
    status=S("ResourceQuotaStatus", hard=RESOURCES, used=RESOURCES),
)
LIMIT_RANGE = _top(
    "LimitRange",
    spec=S("LimitRangeSpec", limits=L(S("LimitRangeItem", type="v1.LimitType", max=RESOURCES, min=RESOURCES,
                                         default=RESOURCES, defaultRequest=RESOURCES,
                                         maxLimitRequestRatio=RESOURCES))),
)
PRIORITY_CLASS = _top("PriorityClass", value=I32, globalDefault=BOOL, description=STR,
                      preemptionPolicy="v1.PreemptionPolicy")
# --- issue 11: disruptions (w-drain): policy/v1 PodDisruptionBudget (k8s.io/api/policy/v1/types.go)
POD_DISRUPTION_BUDGET = _top(
    "PodDisruptionBudget",
    spec=S("PodDisruptionBudgetSpec", minAvailable=INTSTR, selector=LABEL_SELECTOR, maxUnavailable=INTSTR,
           unhealthyPodEvictionPolicy="v1.UnhealthyPodEvictionPolicyType"),
    status=obj("v1.PodDisruptionBudgetStatus"),
)
# --- issue 12: RBAC (w-rbac): rbac.authorization.k8s.io/v1 (k8s.io/api/rbac/v1/types.go)
_POLICY_RULE = S("PolicyRule", verbs=STRS, apiGroups=STRS, resources=STRS, resourceNames=STRS, nonResourceURLs=STRS)
_SUBJECT = S("Subject", kind=STR, apiGroup=STR, name=STR, namespace=STR)
_ROLE_REF = S("RoleRef", apiGroup=STR, kind=STR, name=STR)
_RBAC_SCHEMAS = {
    "Role": _top("Role", rules=L(_POLICY_RULE)),
    "ClusterRole": _top("ClusterRole", rules=L(_POLICY_RULE),
                        aggregationRule=S("AggregationRule", clusterRoleSelectors=L(LABEL_SELECTOR))),
    "RoleBinding": _top("RoleBinding", subjects=L(_SUBJECT), roleRef=_ROLE_REF),
    "ClusterRoleBinding": _top("ClusterRoleBinding", subjects=L(_SUBJECT), roleRef=_ROLE_REF),
}

SCHEMAS: dict[str, tuple] = {
    "Pod": POD, "Service": SERVICE, "Endpoints": ENDPOINTS, "EndpointSlice": ENDPOINT_SLICE,
    "Deployment": DEPLOYMENT, "ReplicaSet": REPLICA_SET, "ReplicationController": REPLICATION_CONTROLLER,
    "Ingress": INGRESS, "IngressClass": INGRESS_CLASS, "Secret": SECRET, "ConfigMap": CONFIG_MAP,
    "ServiceAccount": SERVICE_ACCOUNT,
    "Namespace": NAMESPACE, "Node": NODE, "Event": EVENT,
    "NetworkPolicy": NETWORK_POLICY,  # NetworkPolicy block
    "DaemonSet": DAEMON_SET,  # issue 11 (w-ds)
    **_STATEFUL_SCHEMAS,
    "Job": JOB, "CronJob": CRON_JOB,  # issue 11 (w-job)
    "HorizontalPodAutoscaler": HORIZONTAL_POD_AUTOSCALER,  # issue 11 (w-hpa)
    "ResourceQuota": RESOURCE_QUOTA, "LimitRange": LIMIT_RANGE, "PriorityClass": PRIORITY_CLASS,  # issue 11 (w-quota)
    "PodDisruptionBudget": POD_DISRUPTION_BUDGET,  # issue 11 (w-drain)
    **_RBAC_SCHEMAS,  # issue 12 (w-rbac)
}
# Versions that conversion.py turns into served ones are checked as written.
LEGACY_SCHEMAS: dict[tuple[str, str], tuple] = {
    ("extensions/v1beta1", "Ingress"): INGRESS_BETA,
    ("networking.k8s.io/v1beta1", "Ingress"): INGRESS_BETA,
    ("extensions/v1beta1", "Deployment"): DEPLOYMENT_BETA,
    ("apps/v1beta1", "Deployment"): DEPLOYMENT_BETA,
    ("apps/v1beta2", "Deployment"): DEPLOYMENT,
    ("extensions/v1beta1", "ReplicaSet"): REPLICA_SET,
    ("apps/v1beta2", "ReplicaSet"): REPLICA_SET,
    ("autoscaling/v1", "HorizontalPodAutoscaler"): HORIZONTAL_POD_AUTOSCALER_V1,  # issue 11 (w-hpa)
}


def schema_for(obj: dict) -> tuple | None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(kind, str):
        return None
    legacy = LEGACY_SCHEMAS.get((api_version, kind)) if isinstance(api_version, str) else None
    return legacy or SCHEMAS.get(kind)


# ---------------------------------------------------------------------------
# The check


class Finding:
    """One decode problem: an unknown field, or a value of the wrong type."""

    __slots__ = ("path", "message", "unknown")

    def __init__(self, path: list, message: str, unknown: bool):
        self.path = path  # ["spec", "ports", 0, "selector"]
        self.message = message
        self.unknown = unknown

    def __repr__(self) -> str:
        return f"Finding({self.message!r})"


def find(obj: dict) -> list[Finding]:
    """Every unknown field and the first type error, in the order the apiserver meets them."""
    schema = schema_for(obj)
    if schema is None:
        return []
    out: list[Finding] = []
    state = {"type_error": False}
    _walk(obj, schema, [], [], None, out, state)
    return out


def check(doc) -> list[str]:
    """Strict decoding errors for a manifest Document (or a plain object), as the
    apiserver words them: the type error alone when there is one, else every unknown field."""
    obj = doc.obj if hasattr(doc, "obj") else doc
    return _messages(find(obj))


def check_object(obj: dict) -> list[str]:
    """The same check for an object with no file behind it (edit, patch)."""
    return _messages(find(obj))


def _reported(findings: list[Finding]) -> list[Finding]:
    """What the apiserver reports: the (first) type error alone, else every unknown field."""
    typed = [f for f in findings if not f.unknown]
    return typed[:1] if typed else findings


def _messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in _reported(findings)]


def _walk(value, t, path: list, gopath: list, struct: str | None, out: list, state: dict) -> None:
    if value is None:  # null is the zero value for every Go type
        return
    if isinstance(t, str):
        _leaf(value, t, path, gopath, struct, out, state)
        return
    tag = t[0]
    if tag == "S":
        if not isinstance(value, dict):
            _type_error(value, _goname(t), path, gopath, struct, out, state)
            return
        fields = t[2]
        for key in sorted(value):
            sub = fields.get(key)
            if sub is None:
                out.append(Finding(path + [key], f"unknown field {_go_quote(format_path(path + [key]))}", True))
                continue
            _walk(value[key], sub, path + [key], gopath + [key], t[1], out, state)
    elif tag == "L":
        if not isinstance(value, list):
            _type_error(value, t[2], path, gopath, struct, out, state)
            return
        for i, item in enumerate(value):
            _walk(item, t[1], path + [i], gopath, struct, out, state)
    else:  # map
        if not isinstance(value, dict):
            _type_error(value, t[2], path, gopath, struct, out, state)
            return
        for key in sorted(value):
            _walk(value[key], t[1], path + [key], gopath, struct, out, state)


def _json_kind(v) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "object"
    return "array"


_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _leaf(value, goname: str, path, gopath, struct, out, state) -> None:
    if goname.startswith("{}"):
        if not isinstance(value, dict):
            _type_error(value, goname[2:], path, gopath, struct, out, state)
        return
    rng = _INT_RANGES.get(goname)
    if rng is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _type_error(value, goname, path, gopath, struct, out, state)
        elif isinstance(value, float) and not value.is_integer() or not rng[0] <= value <= rng[1]:
            _type_error(value, goname, path, gopath, struct, out, state, number=True)
        return
    if goname == BOOL:
        if not isinstance(value, bool):
            _type_error(value, goname, path, gopath, struct, out, state)
        return
    if goname == INTSTR:
        # intstr.IntOrString.UnmarshalJSON: a string, else json.Unmarshal into int32 (no field context)
        if isinstance(value, str):
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _raw_error(f"json: cannot unmarshal {_json_kind(value)} into Go value of type int32", path, out, state)
        elif isinstance(value, float) and not value.is_integer() or not -(2**31) <= value < 2**31:
            _raw_error(f"json: cannot unmarshal number {_go_number(value)} into Go value of type int32", path, out, state)
        return
    if goname == QTY:
        # resource.Quantity.UnmarshalJSON -> ParseQuantity: ErrFormatWrong
        # (staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go)
        text = value if isinstance(value, str) else None if isinstance(value, (bool, dict, list)) else _go_number(value)
        if text is None or not _QUANTITY.match(text.strip()):
            _raw_error(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                path, out, state,
            )
        return
    if goname in (TIME, "v1.MicroTime"):
        if not isinstance(value, str):
            _raw_error(f"json: cannot unmarshal {_json_kind(value)} into Go value of type string", path, out, state)
        return
    if goname == BYTES:
        if not isinstance(value, str):
            _type_error(value, goname, path, gopath, struct, out, state)
            return
        bad = _base64_error(value)
        if bad is not None:
            _raw_error(f"illegal base64 data at input byte {bad}", path, out, state)
        return
    # every other leaf is a string type (string, v1.Protocol, v1.ServiceType, types.UID, ...)
    if not isinstance(value, str):
        _type_error(value, goname, path, gopath, struct, out, state)


def _base64_error(s: str) -> int | None:
    """Offset of the first byte encoding/base64 StdEncoding rejects (CR and LF are skipped)."""
    clean = s.replace("\r", "").replace("\n", "")
    m = _B64.match(clean)
    if m.end() != len(clean):
        return m.end()
    if len(clean) % 4:
        return len(clean) - len(clean) % 4 if "=" not in clean else clean.index("=")
    if "=" in clean and clean.index("=") < len(clean) - 2:
        return clean.index("=")
    return None


def _go_number(v) -> str:
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        return repr(v)
    return str(v)


def _type_error(value, goname, path, gopath, struct, out, state, number=False) -> None:
    what = f"number {_go_number(value)}" if number else _json_kind(value)
    if struct is None:
        msg = f"json: cannot unmarshal {what} into Go value of type {goname}"
    else:
        msg = f"json: cannot unmarshal {what} into Go struct field {struct}.{'.'.join(map(str, gopath))} of type {goname}"
    _raw_error(msg, path, out, state)


def _raw_error(msg: str, path, out, state) -> None:
    if state["type_error"]:
        return
    state["type_error"] = True
    out.append(Finding(list(path), msg, False))


def format_path(path: list) -> str:
    s = ""
    for p in path:
        if isinstance(p, int):
            s += f"[{p}]"
        else:
            s += ("." if s else "") + p
    return s


# ---------------------------------------------------------------------------
# Hints for misplaced fields


_ITEM_WORDS = {"ports": "a port", "containers": "a container", "initContainers": "a container", "rules": "a rule",
               "paths": "a path", "env": "an env entry", "subsets": "a subset", "tls": "a tls entry",
               "volumeMounts": "a volume mount", "addresses": "an address", "endpoints": "an endpoint"}


def hints(obj: dict, findings: list[Finding]) -> list[str]:
    """Short advice for unknown fields that sit at the wrong indentation."""
    schema = schema_for(obj)
    if schema is None:
        return []
    out: list[str] = []
    grouped: dict[str, list[str]] = {}
    for f in findings:
        if not f.unknown:
            h = _type_hint(obj, f)
            if h:
                out.append(h)
            continue
        parent_path, name = f.path[:-1], f.path[-1]
        parent_value = _get(obj, parent_path)
        parent_type = _type_at(schema, parent_path)
        if parent_type is None or not isinstance(parent_value, dict):
            continue
        # 0. a beta field inside a v1 backend
        if parent_type[0] == "S" and name in _BETA_FIELDS.get(parent_type[1], ()) and name not in parent_type[2]:
            out.append("hint: networking.k8s.io/v1 writes a backend as service: {name: NAME, port: {number: PORT}}")
            continue
        # 1. the field just before it (in file order) was left empty: ``backend:`` or
        #    ``selector:`` with what belongs under it not indented
        target = None
        if parent_type[0] == "S":
            empty = None
            for sib, sib_val in parent_value.items():
                if sib == name:
                    st = parent_type[2].get(empty) if empty else None
                    if st is not None and _accepts(st, name):
                        target = empty
                    break
                if sib in parent_type[2]:
                    empty = sib if sib_val is None else None
        # 2. a field of a sibling structure, one or two levels down (``selector`` outside ``spec``)
        if target is None and parent_type[0] == "S":
            target = _find_home(parent_type, name)
        if target is not None:
            grouped.setdefault(target, []).append(name)
            continue
        # 3. a field of the structure that holds this list (``selector`` under a port)
        if len(parent_path) >= 2 and isinstance(parent_path[-1], int):
            holder_path = parent_path[:-2]
            holder = _type_at(schema, holder_path)
            if holder is not None and holder[0] == "S" and name in holder[2]:
                where = format_path(holder_path) or "the top level"
                item = _ITEM_WORDS.get(parent_path[-2], f"an item of {parent_path[-2]}")
                out.append(f"hint: {name} belongs directly under {where}, not under {item}")
    for target, names in grouped.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        out.insert(0, f"hint: indent {listed} under {target}")
    return list(dict.fromkeys(out))


def _find_home(parent_type: tuple, name: str) -> str | None:
    """Where ``name`` is a field: a structure under the parent, or one under that."""
    for sib, st in parent_type[2].items():
        if isinstance(st, tuple) and st[0] == "S" and name in st[2]:
            return sib
    for sib, st in parent_type[2].items():
        if isinstance(st, tuple) and st[0] == "S":
            for sub, st2 in st[2].items():
                if isinstance(st2, tuple) and st2[0] == "S" and name in st2[2]:
                    return f"{sib}.{sub}"
    return None


# Fields of the beta versions, for hints on objects conversion.py already converted.
_BETA_FIELDS = {"IngressBackend": ("serviceName", "servicePort")}


def _accepts(t, name: str) -> bool:
    if isinstance(t, tuple):
        return (t[0] == "S" and (name in t[2] or name in _BETA_FIELDS.get(t[1], ()))) or t[0] == "M"
    return t.startswith("{}")


def _type_hint(obj: dict, f: Finding) -> str | None:
    value = _get(obj, f.path)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18 \
            and "cannot unmarshal string" in f.message:  # a longer one is no int64: YAML made it a string
        return f"hint: write {format_path(f.path)} as a number, without quotes: {value.strip()}"
    return None


def _get(obj, path: list):
    for p in path:
        if isinstance(p, int):
            if not isinstance(obj, list) or p >= len(obj):
                return None
        elif not isinstance(obj, dict):
            return None
        obj = obj[p] if isinstance(p, int) else obj.get(p)
    return obj


def _type_at(schema: tuple, path: list):
    t = schema
    for p in path:
        if not isinstance(t, tuple):
            return None
        if t[0] == "S":
            if not isinstance(p, str):
                return None
            t = t[2].get(p)
        elif t[0] == "L" and isinstance(p, int):
            t = t[1]
        elif t[0] == "M":
            t = t[1]
        else:
            return None
        if t is None:
            return None
    return t if isinstance(t, tuple) else None


# ---------------------------------------------------------------------------
# The error


class StrictError(BadRequest):
    """kubectl's line for a body the apiserver cannot decode, with FILE:LINE and hints:

    Error from server (BadRequest): error when creating "svc.yaml": Service in version "v1"
    cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].selector"
    hint: selector belongs directly under spec, not under a port (svc.yaml:12)
    """

    def __init__(self, kind: str, version: str, errors: list[str], source: str | None = None,
                 lines: list[int] | None = None, hints: list[str] | None = None, verb: str = "creating"):
        self.kind = kind
        self.version = version
        self.errors = list(errors)
        self.source = source
        self.lines = list(lines or [])
        self.hints = list(hints or [])
        self.verb = verb
        if self.errors and self.errors[0].startswith("unknown field"):
            body = "strict decoding error: " + ", ".join(self.errors)
        else:
            body = "; ".join(self.errors)
        msg = f"{kind} in version {_q(version)} cannot be handled as a {kind}: {body}"
        if source:
            msg = f"error when {verb} {_q(source)}: {msg}"
        super().__init__(msg)

    def render(self) -> str:
        # the first line is kubectl's, byte for byte; what probably went wrong follows as
        # minikctl's hints, the first with where the fields are in the file
        hints = list(self.hints)
        if hints and self.source and self.lines:
            hints[0] += f" ({self.source}:{', '.join(str(n) for n in self.lines)})"
        return "\n".join([super().render(), *hints])


def _q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)


def _version(obj: dict) -> str:
    api_version = obj.get("apiVersion")
    return api_version.rsplit("/", 1)[-1] if isinstance(api_version, str) else ""


def raise_for(doc, verb: str = "creating") -> None:
    """Raise the StrictError of a manifest Document, if it has one."""
    err = strict_error(doc, verb)
    if err is not None:
        raise err


def strict_error(doc, verb: str = "creating") -> StrictError | None:
    """The StrictError for a manifest Document, or None when it decodes cleanly."""
    obj = doc.obj
    shown = _reported(find(obj))
    if not shown:
        return None
    lines: list[int] = []
    for f in shown:
        n = doc.line_of(format_path(f.path))
        if n not in lines:
            lines.append(n)
    return StrictError(obj.get("kind"), _version(obj), [f.message for f in shown], doc.source, lines,
                       hints(obj, shown), verb)


def drop_unknown(doc) -> list[str]:
    """fieldValidation=Warn|Ignore: the apiserver's decoder drops the fields its struct does not
    have (a value of the wrong type still fails the decode: raised as with Strict). Returns the
    `unknown field "spec.foo"` messages, in the order the decoder meets them."""
    findings = find(doc.obj)
    if not findings:
        return []
    if any(not f.unknown for f in findings):
        raise_for(doc)
    for f in reversed(findings):  # later paths first: list indexes stay valid
        parent = _get(doc.obj, f.path[:-1])
        key = f.path[-1]
        if isinstance(parent, dict) and key in parent:
            del parent[key]
    return [f.message for f in findings]


def strict_error_for(obj: dict, source: str | None = None, verb: str = "creating") -> StrictError | None:
    """The same for an object with no file behind it (edit, patch): no line numbers."""
    shown = _reported(find(obj))
    if not shown:
        return None
    return StrictError(obj.get("kind"), _version(obj), [f.message for f in shown], source, [], hints(obj, shown), verb)


def _go_quote(s: str) -> str:
    """Go's %q: a double-quoted string with control characters escaped (strict decoding's field names)."""
    from minikctl.api.errors import go_quote

    return go_quote(s)
# issue 12: RoleBinding/ClusterRoleBinding (added minimally by w-rollout for `set subject`) are in
# _RBAC_SCHEMAS above (w-rbac's full RBAC).
