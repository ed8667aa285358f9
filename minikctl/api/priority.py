"""PriorityClass (scheduling.k8s.io/v1) and the Priority admission plugin.

- The built-in classes (pkg/apis/scheduling/v1/defaults.go SystemPriorityClasses, made by
  kube-apiserver's bootstrap-system-priority-classes hook): system-node-critical
  (2000001000) and system-cluster-critical (2000000000). They cannot be deleted
  (pkg/registry/scheduling/priorityclass/storage: ``this is a system priority class and
  cannot be deleted``).
- admitPod (plugin/pkg/admission/priority/admission.go): on create, spec.priority and
  spec.preemptionPolicy come from spec.priorityClassName, or from the globalDefault class
  (its name is set on the pod), else 0 and PreemptLowerPriority; an unknown class is
  ``no PriorityClass with name x was found``; a priority that disagrees with the class is
  refused. On update the old values are kept.
- validatePriorityClass: only one class may be globalDefault.

The classes are read once per transaction (a handful of objects) and kept, as the plugin's
lister does.
"""

from __future__ import annotations

SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical"
SYSTEM_NODE_CRITICAL = "system-node-critical"
SYSTEM_PRIORITY_CLASSES = (
    (SYSTEM_NODE_CRITICAL, 2000001000, "Used for system critical pods that must not be moved from their current node."),
    (SYSTEM_CLUSTER_CRITICAL, 2000000000, "Used for system critical pods that must run in the cluster, but can be "
                                          "moved to another node if necessary."),
)
HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000
SYSTEM_PREFIX = "system-"
_CACHE = "_priority_classes"


def system_class(name: str, value: int, description: str) -> dict:
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
            "value": value, "description": description, "preemptionPolicy": "PreemptLowerPriority"}


def ensure_system_classes(api) -> None:
    """The bootstrap hook: create the system classes that are missing."""
    for name, value, desc in SYSTEM_PRIORITY_CLASSES:
        if not api.store.exists("priorityclasses", "", name):
            api.create(system_class(name, value, desc))


def forget(api) -> None:
    api.__dict__.pop(_CACHE, None)


def classes(api) -> dict[str, dict]:
    cache = api.__dict__.get(_CACHE)
    if cache is None:
        cache = {pc["metadata"]["name"]: pc for pc in api.store.list("priorityclasses", "")}
        if SYSTEM_CLUSTER_CRITICAL not in cache or SYSTEM_NODE_CRITICAL not in cache:
            ensure_system_classes(api)  # a store from before PriorityClasses: the hook's work now
            cache = {pc["metadata"]["name"]: pc for pc in api.store.list("priorityclasses", "")}
        api.__dict__[_CACHE] = cache
    return cache


def _default_class(api) -> dict | None:
    """getDefaultPriorityClass: the globalDefault class (the lowest value if several)."""
    best = None
    for pc in classes(api).values():
        if pc.get("globalDefault") is True:
            if best is None or int(pc.get("value") or 0) < int(best.get("value") or 0):
                best = pc
    return best


def admit_pod(api, pod: dict, spec: dict) -> None:
    """admitPod on create; raises Forbidden."""
    from minikctl.api.errors import Forbidden

    name = spec.get("priorityClassName")
    if not isinstance(name, str) or not name:
        pc = _default_class(api)
        if pc is not None:
            spec["priorityClassName"] = pc["metadata"]["name"]
            priority, policy = int(pc.get("value") or 0), pc.get("preemptionPolicy") or "PreemptLowerPriority"
        else:
            priority, policy = 0, "PreemptLowerPriority"
    else:
        pc = classes(api).get(name)
        if pc is None:
            raise Forbidden(f'pods "{_name(pod)}" is forbidden: no PriorityClass with name {name} was found')
        priority, policy = int(pc.get("value") or 0), pc.get("preemptionPolicy")
    given = spec.get("priority")
    if given is not None and given != priority:
        raise Forbidden(f'pods "{_name(pod)}" is forbidden: the integer value of priority ({given}) must not be '
                        f"provided in pod spec; priority admission controller computed {priority} from the given "
                        "PriorityClass name")
    spec["priority"] = priority
    if policy:
        if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] != policy:
            raise Forbidden(f'pods "{_name(pod)}" is forbidden: the string value of PreemptionPolicy '
                            f"({spec['preemptionPolicy']}) must not be provided in pod spec; priority admission "
                            f"controller computed {policy} from the given PriorityClass name")
        spec["preemptionPolicy"] = policy


def keep_on_update(obj: dict, old: dict) -> None:
    """admitPod on update: the priority set at create stays."""
    spec, ospec = obj.get("spec"), old.get("spec") or {}
    if not isinstance(spec, dict):
        return
    for f in ("priority", "preemptionPolicy"):
        if spec.get(f) is None and ospec.get(f) is not None:
            spec[f] = ospec[f]


def _name(pod: dict) -> str:
    from minikctl.api.admission import _forbidden_name

    return _forbidden_name(pod.get("metadata") or {})


def admit_class(api, pc: dict, old: dict | None) -> None:
    """validatePriorityClass: a second globalDefault class is refused."""
    if pc.get("globalDefault") is not True:
        return
    from minikctl.api.errors import Forbidden

    name = (pc.get("metadata") or {}).get("name") or ""
    for other in classes(api).values():
        if other.get("globalDefault") is True and other["metadata"]["name"] != name:
            raise Forbidden(f'priorityclasses.scheduling.k8s.io "{name}" is forbidden: PriorityClass '
                            f"{other['metadata']['name']} is already marked as default. Only one default can exist")


def before_delete(api, pc: dict) -> None:
    from minikctl.api.errors import Forbidden

    name = pc["metadata"]["name"]
    if any(name == n for n, _, _ in SYSTEM_PRIORITY_CLASSES):
        raise Forbidden(f'priorityclasses.scheduling.k8s.io "{name}" is forbidden: this is a system priority '
                        "class and cannot be deleted")
    forget(api)
