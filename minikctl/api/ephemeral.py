"""The pods/ephemeralcontainers subresource (kubectl debug): only spec.ephemeralContainers may
change, existing ephemeral containers may not, and a new one is validated as
pkg/apis/core/validation ValidatePodEphemeralContainersUpdate / validateEphemeralContainers do
(name unique among all the pod's containers, an image, targetContainerName naming a container,
no ports, probes, lifecycle or resources). Then the kubelet starts it in the running pod
(minikctl.kubelet.pods.containers._start_container), as its status.ephemeralContainerStatuses show.
"""

from __future__ import annotations

from minikctl.api import errors as E


def _err(kind: str, field: str, value, detail: str = "", has_value: bool = True) -> E.FieldError:
    words = {"Required": "Required value", "Invalid": "Invalid value", "Duplicate": "Duplicate value",
             "NotFound": "Not found"}
    return E.FieldError(words[kind], field, value, detail, has_value=has_value)


def validate(pod: dict, new: list[dict], old: list[dict]) -> list[E.FieldError]:
    import re

    errs: list[E.FieldError] = []
    spec = pod.get("spec") or {}
    if len(new) < len(old) or any(a != b for a, b in zip(new, old)):
        errs.append(E.forbidden("spec.ephemeralContainers", "existing ephemeral containers may not be changed"))
        return errs
    names = {c.get("name") for c in (spec.get("containers") or []) + (spec.get("initContainers") or [])}
    names |= {c.get("name") for c in old}
    regular = {c.get("name") for c in (spec.get("containers") or []) + (spec.get("initContainers") or [])}
    for i in range(len(old), len(new)):
        c = new[i]
        p = f"spec.ephemeralContainers[{i}]"
        name = c.get("name") or ""
        if not name:
            errs.append(_err("Required", f"{p}.name", None, "", has_value=False))
        elif len(name) > 63 or not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name):
            errs.append(_err("Invalid", f"{p}.name", name,
                             "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                             "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
                             "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"))
        elif name in names:
            errs.append(_err("Duplicate", f"{p}.name", name))
        names.add(name)
        if not c.get("image"):
            errs.append(_err("Required", f"{p}.image", None, "", has_value=False))
        target = c.get("targetContainerName")
        if target and target not in regular:
            errs.append(_err("NotFound", f"{p}.targetContainerName", target))
        for field in ("ports", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"):
            if c.get(field):
                errs.append(E.forbidden(f"{p}.{field}", "cannot be set for an Ephemeral Container"))
        if c.get("resources"):
            errs.append(E.forbidden(f"{p}.resources", "cannot be set for an Ephemeral Container"))
    return errs


def add(api, namespace: str, name: str, container: dict) -> dict:
    """PATCH pods/NAME/ephemeralcontainers adding one container; the kubelet then starts it.
    Returns the pod as written."""
    from minikctl.api import kinds as K
    from minikctl.api.server import clone

    old = api.get("pods", namespace, name)
    pod = clone(old)
    spec = pod.setdefault("spec", {})
    before = list(spec.get("ephemeralContainers") or [])
    from minikctl.api.defaults import _container as container_defaults  # SetDefaults_Container and friends

    c = {"name": container.get("name", ""), **{k: v for k, v in container.items() if k != "name"}}
    container_defaults(c)
    spec["ephemeralContainers"] = before + [c]
    errs = validate(pod, spec["ephemeralContainers"], before)
    if errs:
        raise E.Invalid("Pod", name, errs)
    kind = K.by_kind("Pod")
    api._save(kind, pod, old)
    return _start(api, pod, c)


def _start(api, pod: dict, c: dict) -> dict:
    """The kubelet's part: start the new ephemeral container in a running pod."""
    from minikctl.api.server import clone
    from minikctl.kubelet.pods.containers import _start_container

    if (pod.get("status") or {}).get("phase") != "Running" or not (pod.get("spec") or {}).get("nodeName"):
        return pod
    pod = clone(pod)
    status = pod.setdefault("status", {})
    st = _start_container(api, pod, c, pod["spec"]["nodeName"], 0)
    st["ready"] = False
    statuses = list(status.get("ephemeralContainerStatuses") or [])
    statuses.append(st)
    status["ephemeralContainerStatuses"] = statuses
    return api.update_status(pod)


def replace(api, namespace: str, name: str, wanted: list, dry_run: bool = False) -> dict:
    """PUT or PATCH of pods/NAME/ephemeralcontainers (pkg/registry/core/pod/storage
    EphemeralContainersREST, podEphemeralContainersStrategy): only spec.ephemeralContainers is
    taken from the new pod; the ones added are defaulted, validated and started. Returns the pod."""
    from minikctl.api import kinds as K
    from minikctl.api.defaults import _container as container_defaults
    from minikctl.api.server import clone

    old = api.get("pods", namespace, name)
    before = list((old.get("spec") or {}).get("ephemeralContainers") or [])
    if not isinstance(wanted, list) or not all(isinstance(c, dict) for c in wanted):
        raise E.BadRequest("spec.ephemeralContainers must be a list of containers")
    pod = clone(old)
    spec = pod.setdefault("spec", {})
    added = [dict(c) for c in wanted[len(before):]]
    for c in added:
        container_defaults(c)
    new = [dict(c) for c in wanted[:len(before)]] + added
    # the existing ones as stored (defaults included) compare equal to what a client sent back
    errs = validate(pod, [b if i < len(before) and _same(b, c) else c for i, (b, c) in
                          enumerate(zip(before + [None] * len(added), new))], before)
    if errs:
        raise E.Invalid("Pod", name, errs)
    if not added:
        return old
    spec["ephemeralContainers"] = before + added
    if dry_run:
        return pod
    api._save(K.by_kind("Pod"), pod, old)
    for c in added:
        pod = _start(api, pod, c)
    return pod


def _same(stored: dict | None, sent: dict) -> bool:
    """An existing ephemeral container sent back unchanged (a client may leave out defaults)."""
    if stored is None:
        return False
    return all(stored.get(k) == v for k, v in sent.items())
