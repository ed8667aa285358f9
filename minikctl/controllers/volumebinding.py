"""PersistentVolumeClaims and PersistentVolumes: kube-scheduler's VolumeBinding plugin,
the persistentvolume-controller (pkg/controller/volume/persistentvolume) and kind's
dynamic provisioner (rancher.io/local-path, StorageClass ``standard``,
volumeBindingMode WaitForFirstConsumer), reduced to what a user sees.

- A claim of a WaitForFirstConsumer class stays Pending ("waiting for first consumer to
  be created before binding") until a pod that uses it is scheduled: then the
  provisioner makes a PersistentVolume ``pvc-<claim uid>`` pinned to that node (local
  storage), and claim and volume are Bound to each other.
- A claim of an Immediate class is provisioned at once; a claim naming no class ("")
  binds to an Available PersistentVolume that fits (class, access modes, capacity), the
  smallest first, as the controller's findBestMatchForClaim.
- The scheduler's PreFilter (volume_binding.go): a claim that does not exist or is being
  deleted makes the pod unschedulable with that message; an unbound claim that waits for
  no consumer does too ("pod has unbound immediate PersistentVolumeClaims"); a bound
  local volume pins the pod to its node ("node(s) had volume node affinity conflict").
- A volume's files live in the store under (volume uid, ``pv``: kubelet/volumes.py PV_KEY):
  they outlive the pods that mount them and go when the volume is deleted (reclaimPolicy
  Delete, once its claim is deleted). Simplified: a hostPath or local volume's files are
  not the node's files at that path, and a claim in use is deleted at once (no
  pvc-protection wait).
"""

from __future__ import annotations

PV_CONTROLLER = "persistentvolume-controller"
PROVISIONER = "rancher.io/local-path"
PROVISIONER_SOURCE = "rancher.io/local-path_local-path-provisioner-7577fdbbfb-2lbn5_9f3b5c64-5fbb-4f6a-9b2e-8c3a0f1d2e47"
HOSTNAME_LABEL = "kubernetes.io/hostname"
REASON_CONFLICT = "node(s) had volume node affinity conflict"
REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"


def claim_names(pod: dict) -> list[str]:
    return [v["persistentVolumeClaim"].get("claimName", "") for v in (pod.get("spec") or {}).get("volumes") or ()
            if isinstance(v, dict) and isinstance(v.get("persistentVolumeClaim"), dict)]


def _class(api, name: str | None) -> dict | None:
    return api.try_get("storageclasses", "", name) if name else None


def _waits_for_consumer(api, claim: dict) -> bool:
    sc = _class(api, (claim.get("spec") or {}).get("storageClassName"))
    return bool(sc) and sc.get("volumeBindingMode") == "WaitForFirstConsumer"


def _pinned_node(pv: dict) -> str | None:
    terms = ((((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {})
             .get("nodeSelectorTerms") or [])
    for t in terms:
        for e in t.get("matchExpressions") or ():
            if e.get("key") == HOSTNAME_LABEL and e.get("operator") == "In" and e.get("values"):
                return e["values"][0]
    return None


# ------------------------------------------------------------------ scheduler
def prefilter(api, pod: dict) -> tuple[str | None, str | None]:
    """(a PreFilter failure message, or None; the node the pod's bound volumes pin it to, or None)."""
    ns = pod["metadata"].get("namespace", "")
    pinned = None
    for name in claim_names(pod):
        claim = api.try_get("persistentvolumeclaims", ns, name)
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found', None
        if claim["metadata"].get("deletionTimestamp"):
            return f'persistentvolumeclaim "{name}" is being deleted', None
        vol = (claim.get("spec") or {}).get("volumeName")
        if vol and (claim.get("status") or {}).get("phase") == "Bound":
            pv = api.try_get("persistentvolumes", "", vol)
            node = _pinned_node(pv) if pv else None
            if node:
                pinned = node
        elif not _waits_for_consumer(api, claim):
            return REASON_UNBOUND_IMMEDIATE, None
    return None, pinned


def provision_for(api, pod: dict, node_name: str) -> None:
    """PreBind: the pod's unbound WaitForFirstConsumer claims are provisioned on its node."""
    ns = pod["metadata"].get("namespace", "")
    for name in claim_names(pod):
        claim = api.try_get("persistentvolumeclaims", ns, name)
        if claim is not None and (claim.get("status") or {}).get("phase") != "Bound" \
                and _waits_for_consumer(api, claim):
            claim["metadata"].setdefault("annotations", {})["volume.kubernetes.io/selected-node"] = node_name
            claim = api.update(claim, check_rv=False)
            _provision(api, claim, node_name)


# --------------------------------------------------------------- provisioning
def _provision(api, claim: dict, node_name: str | None) -> None:
    sc = _class(api, (claim.get("spec") or {}).get("storageClassName"))
    if sc is None:
        return
    meta = claim["metadata"]
    cspec = claim.get("spec") or {}
    provisioner = sc.get("provisioner", "")
    api.record_event(claim, "Normal", "ExternalProvisioning",
                     f"Waiting for a volume to be created either by the external provisioner '{provisioner}' or "
                     "manually by the system administrator. If volume creation is delayed, please verify that the "
                     "provisioner is running and correctly registered.", PV_CONTROLLER)
    src = PROVISIONER_SOURCE if provisioner == PROVISIONER else provisioner
    api.record_event(claim, "Normal", "Provisioning",
                     f'External provisioner is provisioning volume for claim "{meta["namespace"]}/{meta["name"]}"', src)
    pv_name = f"pvc-{meta['uid']}"
    storage = ((cspec.get("resources") or {}).get("requests") or {}).get("storage", "")
    pv_spec: dict = {
        "accessModes": list(cspec.get("accessModes") or []),
        "capacity": {"storage": storage},
        "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
                     "namespace": meta["namespace"], "resourceVersion": meta.get("resourceVersion", ""),
                     "uid": meta["uid"]},
    }
    if provisioner == PROVISIONER:
        pv_spec["hostPath"] = {"path": f"/var/local-path-provisioner/{pv_name}_{meta['namespace']}_{meta['name']}",
                               "type": "DirectoryOrCreate"}
    if node_name:
        pv_spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
            {"key": HOSTNAME_LABEL, "operator": "In", "values": [node_name]}]}]}}
    pv_spec["persistentVolumeReclaimPolicy"] = sc.get("reclaimPolicy") or "Delete"
    pv_spec["storageClassName"] = sc["metadata"]["name"]
    pv_spec["volumeMode"] = cspec.get("volumeMode") or "Filesystem"
    annotations = {"pv.kubernetes.io/provisioned-by": provisioner}
    if node_name and provisioner == PROVISIONER:
        annotations["local.path.provisioner/selected-node"] = node_name
    pv = {"apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": {"name": pv_name, "annotations": annotations}, "spec": pv_spec}
    pv = api.create(pv)
    api.record_event(claim, "Normal", "ProvisioningSucceeded", f"Successfully provisioned volume {pv_name}", src)
    _bind(api, claim, pv, provisioned=True)


def _bind(api, claim: dict, pv: dict, provisioned: bool) -> None:
    """bindVolumeToClaim + bindClaimToVolume: both objects point at each other and are Bound."""
    now = api.clock.rfc3339()
    meta = claim["metadata"]
    pv["spec"]["claimRef"] = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
                              "namespace": meta["namespace"], "resourceVersion": meta.get("resourceVersion", ""),
                              "uid": meta["uid"]}
    if not provisioned:
        pv["metadata"].setdefault("annotations", {})["pv.kubernetes.io/bound-by-controller"] = "yes"
    pv = api.update(pv, check_rv=False)
    pv["status"] = {"phase": "Bound", "lastPhaseTransitionTime": now}
    api.update_status(pv)
    claim = api.get("persistentvolumeclaims", meta["namespace"], meta["name"])
    ann = claim["metadata"].setdefault("annotations", {})
    ann["pv.kubernetes.io/bind-completed"] = "yes"
    ann["pv.kubernetes.io/bound-by-controller"] = "yes"
    if provisioned:
        prov = (pv["metadata"].get("annotations") or {}).get("pv.kubernetes.io/provisioned-by", "")
        ann["volume.beta.kubernetes.io/storage-provisioner"] = prov
        ann["volume.kubernetes.io/storage-provisioner"] = prov
    claim["spec"]["volumeName"] = pv["metadata"]["name"]
    claim = api.update(claim, check_rv=False)
    claim["status"] = {"phase": "Bound", "accessModes": list(pv["spec"].get("accessModes") or []),
                       "capacity": dict(pv["spec"].get("capacity") or {})}
    api.update_status(claim)


def _quantity(q) -> float:
    from minikctl.api.validation import quantity_value

    v = quantity_value(q)
    return v if v is not None else 0.0


def _find_volume(api, claim: dict) -> dict | None:
    """findBestMatchForClaim: the smallest Available volume of the claim's class, with its
    access modes, at least as large as the request."""
    cspec = claim.get("spec") or {}
    want = _quantity(((cspec.get("resources") or {}).get("requests") or {}).get("storage"))
    cls = cspec.get("storageClassName") or ""
    modes = set(cspec.get("accessModes") or [])
    best = None
    for pv in api.list("persistentvolumes"):
        spec = pv.get("spec") or {}
        ref = spec.get("claimRef")
        if ref and not (ref.get("name") == claim["metadata"]["name"]
                        and ref.get("namespace") == claim["metadata"]["namespace"]):
            continue
        if (pv.get("status") or {}).get("phase") not in (None, "Available", "Pending"):
            continue
        if (spec.get("storageClassName") or "") != cls or not modes <= set(spec.get("accessModes") or []):
            continue
        size = _quantity((spec.get("capacity") or {}).get("storage"))
        if size < want:
            continue
        if best is None or size < best[0]:
            best = (size, pv)
    return best[1] if best else None


# --------------------------------------------------------------------- watches
def on_claim(api, namespace: str, name: str) -> None:
    claim = api.try_get("persistentvolumeclaims", namespace, name)
    prev = api.previous
    if claim is None:
        vol = ((prev or {}).get("spec") or {}).get("volumeName")
        pv = api.try_get("persistentvolumes", "", vol) if vol else None
        if pv is not None and ((pv.get("spec") or {}).get("claimRef") or {}).get("uid") == prev["metadata"]["uid"]:
            if (pv.get("spec") or {}).get("persistentVolumeReclaimPolicy") == "Delete":
                api.delete("persistentvolumes", "", vol)
            else:
                pv["status"] = {"phase": "Released", "lastPhaseTransitionTime": api.clock.rfc3339()}
                api.update_status(pv)
        return
    if (claim.get("status") or {}).get("phase") == "Bound":
        return
    if prev is not None and prev["metadata"].get("uid") == claim["metadata"]["uid"]:
        return  # seen already
    # a new claim: pods the scheduler set aside for want of it are tried again
    # (the scheduling queue's PersistentVolumeClaim/Add event for the VolumeBinding plugin)
    from minikctl.controllers import scheduler

    scheduler._retry_pending(api)
    if _waits_for_consumer(api, claim):
        api.record_event(claim, "Normal", "WaitForFirstConsumer",
                         "waiting for first consumer to be created before binding", PV_CONTROLLER)
        return
    pv = _find_volume(api, claim)
    if pv is not None:
        _bind(api, claim, pv, provisioned=False)
        return
    sc = _class(api, (claim.get("spec") or {}).get("storageClassName"))
    if sc is not None:
        _provision(api, claim, None)
    elif (claim.get("spec") or {}).get("storageClassName"):
        api.record_event(claim, "Warning", "ProvisioningFailed",
                         f'storageclass.storage.k8s.io "{claim["spec"]["storageClassName"]}" not found', PV_CONTROLLER)
    else:
        api.record_event(claim, "Normal", "FailedBinding",
                         "no persistent volumes available for this claim and no storage class is set", PV_CONTROLLER)


def on_volume(api, namespace: str, name: str) -> None:
    pv = api.try_get("persistentvolumes", "", name)
    prev = api.previous
    if pv is None:
        if prev is not None:
            api.store.container_files_wipe(prev["metadata"]["uid"])  # the volume's data goes with it
        return
    if (pv.get("status") or {}).get("phase") in (None, "Pending") and not (pv.get("spec") or {}).get("claimRef"):
        pv["status"] = {"phase": "Available", "lastPhaseTransitionTime": api.clock.rfc3339()}
        api.update_status(pv)
        # the controller's periodic resync of claims: a Pending claim this volume fits binds now
        for claim in api.list("persistentvolumeclaims"):
            if (claim.get("status") or {}).get("phase") == "Pending" and not _waits_for_consumer(api, claim) \
                    and not (claim.get("spec") or {}).get("volumeName"):
                found = _find_volume(api, claim)
                if found is not None and found["metadata"]["name"] == name:
                    _bind(api, claim, found, provisioned=False)
                    from minikctl.controllers import scheduler

                    scheduler._retry_pending(api)
                    return
