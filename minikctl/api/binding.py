"""The pods/binding subresource: POST a core/v1 Binding and the pod is bound to the node it
names, as a scheduler binds it (pkg/registry/core/pod/storage/storage.go BindingREST.Create,
assignPod, setPodHostAndAnnotations; pkg/apis/core/validation ValidatePodBinding).

The same write as minikctl's own scheduler (API.bind: spec.nodeName and PodScheduled=True in
one write); the pod then leaves the scheduling queue and the kubelet of that node starts it."""

from __future__ import annotations

from minikctl.api.errors import BadRequest, Conflict, FieldError, Invalid, NotFound


def validate(binding: dict) -> list[FieldError]:
    """ValidatePodBinding: the target's kind is empty or Node, its name is required."""
    errs = []
    target = binding.get("target") if isinstance(binding.get("target"), dict) else {}
    kind = target.get("kind") or ""
    if kind and kind != "Node":
        errs.append(FieldError("Invalid value", "target.kind", kind, "must be empty or 'Node'"))
    if not target.get("name"):
        errs.append(FieldError("Required value", "target.name", None, "", has_value=False))
    return errs


def assign(api, namespace: str, name: str, binding: dict, dry_run: bool = False) -> dict:
    """Bind pod NAME to binding.target.name. Returns the pod as bound (as it would be, on a dry
    run). Raises BadRequest, Invalid, NotFound or Conflict as kube-apiserver answers."""
    meta = binding.get("metadata") if isinstance(binding.get("metadata"), dict) else {}
    if meta.get("name", "") != name:
        raise BadRequest("name in URL does not match name in Binding object")
    errs = validate(binding)
    if errs:
        raise Invalid("Binding", name, errs)
    pod = api.try_get("pods", namespace, name)
    if pod is None:
        raise NotFound.of("pods", name)
    pmeta, spec = pod["metadata"], pod.get("spec") or {}
    node = binding["target"]["name"]

    def conflict(why: str) -> Conflict:
        return Conflict(f'Operation cannot be fulfilled on pods/binding "{name}": {why}')

    if meta.get("uid") and meta["uid"] != pmeta.get("uid"):  # preconditions of the GuaranteedUpdate
        raise conflict(f"Precondition failed: UID in precondition: {meta['uid']}, UID in object meta: "
                       f"{pmeta.get('uid')}")
    if pmeta.get("deletionTimestamp"):
        raise conflict(f"pod {name} is being deleted, cannot be assigned to a host")
    if spec.get("nodeName"):
        raise conflict(f'pod {name} is already assigned to node "{spec["nodeName"]}"')
    if spec.get("schedulingGates"):
        raise conflict(f"pod {name} has non-empty .spec.schedulingGates")
    if dry_run:
        return pod
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else None
    if annotations:  # the binding's annotations are copied onto the pod
        from minikctl.api.server import clone

        new = clone(pod)
        new["metadata"].setdefault("annotations", {}).update(annotations)
        pod = api.update(new, check_rv=False)
    bound = api.bind(namespace, name, node)
    api.store.sched_queue_remove(namespace, name)
    return bound
