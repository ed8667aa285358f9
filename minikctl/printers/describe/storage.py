"""Storage describers (describe.go, kubectl 1.32): describePersistentVolumeClaim,
describePersistentVolume and StorageClassDescriber.
"""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.quantity import _qstr
from minikctl.printers.describe.writer import (
    _D,
    _L,
    _Writer,
    _g,
    _name_ns,
    _print_annotations_multiline,
    _print_labels_multiline,
)
from minikctl.printers.duration import age as _age
from minikctl.printers.table import format_labels


def _claim_class(pvc: dict) -> str:
    """storageutil.GetPersistentVolumeClaimClass."""
    ann = _g(pvc, "metadata", "annotations", default=_D)
    if "volume.beta.kubernetes.io/storage-class" in ann:
        return ann["volume.beta.kubernetes.io/storage-class"]
    return _g(pvc, "spec", "storageClassName", default="") or ""


def _finalizers(meta: dict) -> str:
    return "[%s]" % " ".join(meta.get("finalizers") or _L)


def _describe_persistent_volume_claim(pvc: dict, events, now: datetime, related: dict) -> str:
    from minikctl.printers.columns import access_modes_string

    w = _Writer()
    meta = pvc.get("metadata") or _D
    spec = pvc.get("spec") or _D
    status = pvc.get("status") or _D
    _name_ns(w, pvc)
    w.write(0, "StorageClass:\t%s\n" % _claim_class(pvc))
    if meta.get("deletionTimestamp"):
        w.write(0, "Status:\tTerminating (lasts %s)\n" % _age(meta["deletionTimestamp"], now))
    else:
        w.write(0, "Status:\t%s\n" % (status.get("phase") or ""))
    w.write(0, "Volume:\t%s\n" % (spec.get("volumeName") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Finalizers:\t%s\n" % _finalizers(meta))
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes_string(status.get("accessModes"))
        capacity = _qstr(_g(status, "capacity", "storage") or "0")
    w.write(0, "Capacity:\t%s\n" % capacity)
    w.write(0, "Access Modes:\t%s\n" % modes)
    if spec.get("volumeMode") is not None:
        w.write(0, "VolumeMode:\t%s\n" % spec["volumeMode"])
    users = sorted(p["metadata"]["name"] for p in related.get("pods") or _L)
    w.write(0, "Used By:\t")
    if not users:
        w.write(0, "<none>\n")
    for i, name in enumerate(users):
        if i:
            w.write(0, "\t")
        w.write(0, "%s\n" % name)
    describe_events(events, w, now)
    return w.render()


def _describe_persistent_volume(pv: dict, events, now: datetime) -> str:
    from minikctl.printers.columns import access_modes_string

    w = _Writer()
    meta = pv.get("metadata") or _D
    spec = pv.get("spec") or _D
    status = pv.get("status") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Finalizers:\t%s\n" % _finalizers(meta))
    w.write(0, "StorageClass:\t%s\n" % (spec.get("storageClassName") or _g(
        meta, "annotations", "volume.beta.kubernetes.io/storage-class", default="")))
    if meta.get("deletionTimestamp"):
        w.write(0, "Status:\tTerminating (lasts %s)\n" % _age(meta["deletionTimestamp"], now))
    else:
        w.write(0, "Status:\t%s\n" % (status.get("phase") or ""))
    ref = spec.get("claimRef")
    w.write(0, "Claim:\t%s\n" % ("%s/%s" % (ref.get("namespace") or "", ref.get("name") or "")
                                  if isinstance(ref, dict) else ""))
    w.write(0, "Reclaim Policy:\t%s\n" % (spec.get("persistentVolumeReclaimPolicy") or ""))
    w.write(0, "Access Modes:\t%s\n" % access_modes_string(spec.get("accessModes")))
    if spec.get("volumeMode") is not None:
        w.write(0, "VolumeMode:\t%s\n" % spec["volumeMode"])
    w.write(0, "Capacity:\t%s\n" % _qstr(_g(spec, "capacity", "storage") or "0"))
    w.write(0, "Node Affinity:\t")
    required = _g(spec, "nodeAffinity", "required")
    if not isinstance(required, dict):
        w.write(0, "<none>\n")
    else:
        w.write(0, "\n")
        terms = required.get("nodeSelectorTerms") or _L
        w.write(1, "Required Terms:\t")
        w.write(0, "<none>\n" if not terms else "\n")
        for i, term in enumerate(terms):
            w.write(2, "Term %d:\t" % i)
            exprs = (term or _D).get("matchExpressions") or _L
            if not exprs:
                w.write(0, "<none>\n")
            for j, e in enumerate(exprs):
                if j:
                    w.write(2, "\t")
                text = "%s %s" % (e.get("key") or "", (e.get("operator") or "").lower())
                if e.get("values"):
                    text += " [%s]" % ", ".join(e["values"])
                w.write(0, "%s\n" % text)
    w.write(0, "Message:\t%s\n" % (status.get("message") or ""))
    w.write(0, "Source:\n")
    if isinstance(spec.get("hostPath"), dict):
        hp = spec["hostPath"]
        w.write(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n    HostPathType:\t%s\n" % (
            hp.get("path") or "", hp.get("type") if hp.get("type") is not None else "<none>"))
    elif isinstance(spec.get("local"), dict):
        w.write(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t%s\n"
                % (spec["local"].get("path") or ""))
    describe_events(events, w, now)
    return w.render()


def _describe_storage_class(sc: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = sc.get("metadata") or _D
    ann = meta.get("annotations") or _D
    default = ann.get("storageclass.kubernetes.io/is-default-class") == "true" or \
        ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true"
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "IsDefaultClass:\t%s\n" % ("Yes" if default else "No"))
    w.write(0, "Annotations:\t%s\n" % format_labels(ann))
    w.write(0, "Provisioner:\t%s\n" % (sc.get("provisioner") or ""))
    w.write(0, "Parameters:\t%s\n" % format_labels(sc.get("parameters")))
    ave = sc.get("allowVolumeExpansion")
    w.write(0, "AllowVolumeExpansion:\t%s\n" % ("<unset>" if ave is None else ("True" if ave else "False")))
    opts = sc.get("mountOptions") or _L
    w.write(0, "MountOptions:\t%s\n" % ("<none>" if not opts else ""))
    for o in opts:
        w.write(1, "%s\n" % o)
    if sc.get("reclaimPolicy") is not None:
        w.write(0, "ReclaimPolicy:\t%s\n" % sc["reclaimPolicy"])
    if sc.get("volumeBindingMode") is not None:
        w.write(0, "VolumeBindingMode:\t%s\n" % sc["volumeBindingMode"])
    describe_events(events, w, now)
    return w.render()
