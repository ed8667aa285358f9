"""Field selectors (k8s.io/apimachinery/pkg/fields), over the fields kube-apiserver
supports for the kinds here: metadata.name, metadata.namespace everywhere; pods
status.phase, spec.nodeName, spec.restartPolicy, spec.schedulerName, status.podIP;
services spec.type, spec.clusterIP; events involvedObject.*, reason, type."""

from __future__ import annotations

from minikctl.api.errors import BadRequest

_SUPPORTED = {
    "Pod": {"status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "status.podIP",
            "spec.serviceAccountName", "status.nominatedNodeName"},
    "Service": {"spec.type", "spec.clusterIP"},
    "Event": {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
              "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
              "reason", "reportingComponent", "source", "type"},
    "Secret": {"type"},
    "Node": {"spec.unschedulable"},
    "ReplicaSet": {"status.replicas"},
    "ReplicationController": {"status.replicas"},
    "Namespace": {"status.phase"},
}


def parse(text: str, kind: str, plural: str) -> list[tuple[str, str, str]]:
    terms = []
    for part in [p for p in text.split(",") if p.strip()]:
        if "!=" in part:
            k, v = part.split("!=", 1)
            op = "!="
        elif "==" in part:
            k, v = part.split("==", 1)
            op = "="
        elif "=" in part:
            k, v = part.split("=", 1)
            op = "="
        else:
            raise BadRequest(f'invalid selector: \'{text}\'; can\'t understand \'{part}\'')
        k = k.strip()
        if k not in ("metadata.name", "metadata.namespace") and k not in _SUPPORTED.get(kind, ()):
            raise BadRequest(f'Unable to find "/v1, Resource={plural}" that match label selector "", '
                             f'field selector "{text}": "{k}" is not a known field selector: only "metadata.name", '
                             f'"metadata.namespace"')
        terms.append((k, op, v.strip()))
    return terms


def value_of(obj: dict, path: str) -> str:
    cur: object = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def matches(obj: dict, terms: list[tuple[str, str, str]]) -> bool:
    for k, op, v in terms:
        got = value_of(obj, k)
        if (got == v) != (op == "="):
            return False
    return True
