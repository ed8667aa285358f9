"""Workloads: Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job, CronJob.
  pkg/apis/apps/validation/validation.go      (Deployment, ReplicaSet, DaemonSet, StatefulSet)
  pkg/apis/core/validation/validation.go      (ReplicationController)
  pkg/apis/batch/validation/validation.go     (Job, CronJob)
The emulator's pod capacity (MAX_PODS, admit_capacity) lives in the package's __init__."""

from __future__ import annotations

from minikctl.api.errors import FieldError, forbidden, invalid, required, unsupported
from minikctl.api.validation.common import GoValue, _go_intstr, _go_label_selector, _i, _m, _s, go_string_map
from minikctl.api.validation.meta import (
    _selector_empty, _validate_annotations, _validate_label_selector, _validate_labels, selector_matches,
    validate_object_meta,
)
from minikctl.api.validation.names import NEGATIVE_ERROR, _PERCENT_FMT, _RE_PERCENT, regex_error
from minikctl.api.validation.pod import validate_pod_template
from minikctl.api.validation.storage import _validate_pvc_spec


def _validate_template_for_rs(spec: dict, selector_ok: bool, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (and ...ForRC); selector_ok: the selector matches the labels."""
    errs = []
    template = spec.get("template")
    if template is None:
        return [required(path)]
    t = _m(template)
    if not selector_ok:
        labels = _m(t.get("metadata")).get("labels")
        errs.append(invalid(f"{path}.metadata.labels", go_string_map(labels), "`selector` does not match template `labels`"))
    errs += validate_pod_template(t, path)
    tspec = _m(t.get("spec"))
    rp = _s(tspec.get("restartPolicy"))
    if rp != "Always":
        errs.append(unsupported(f"{path}.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(invalid(f"{path}.spec.activeDeadlineSeconds", _i(tspec.get("activeDeadlineSeconds")), "must not be specified"))
    return errs


def _validate_selector_and_template(spec: dict) -> list[FieldError]:
    errs = []
    sel = spec.get("selector")
    if sel is None:
        errs.append(required("spec.selector"))
    else:
        errs += _validate_label_selector(sel, "spec.selector")
        if _selector_empty(sel):
            errs.append(invalid("spec.selector", _go_label_selector(sel), "empty selector is invalid for deployment"))
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    # an empty selector selects everything; a missing one nothing (labels.Nothing())
    ok = sel is not None and (_selector_empty(sel) or selector_matches(sel, labels))
    errs += _validate_template_for_rs(spec, ok, "spec.template")
    return errs


def _int_or_percent(v, path: str) -> list[FieldError]:
    """apps ValidatePositiveIntOrPercent."""
    if isinstance(v, str):
        if not _RE_PERCENT.match(v):
            return [invalid(path, GoValue(_go_intstr(v)), regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'", _PERCENT_FMT, "1%", "93%"))]
        return []
    n = _i(v)
    return [invalid(path, n, NEGATIVE_ERROR)] if n < 0 else []


def _percent_value(v) -> int | None:
    if isinstance(v, str) and _RE_PERCENT.match(v):
        return int(v[:-1])
    return None


INT32_MAX = 2**31 - 1


def _replicas_errors(spec: dict) -> list[FieldError]:
    """ValidateNonnegativeField; and int32's upper bound, which the API server's decoder
    enforces first (json: cannot unmarshal number ... of type int32): a value past it that
    reaches validation some other way is refused here instead of being acted on."""
    n = _i(spec.get("replicas"))
    if n < 0:
        return [invalid("spec.replicas", n, NEGATIVE_ERROR)]
    if n > INT32_MAX:
        return [invalid("spec.replicas", n, f"must be less than or equal to {INT32_MAX}")]
    return []


def _validate_deployment(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "Deployment")
    spec = _m(obj.get("spec"))
    errs += _replicas_errors(spec)
    errs += _validate_selector_and_template(spec)
    strategy = _m(spec.get("strategy"))
    st = _s(strategy.get("type"))
    if st == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
    elif st == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            errs.append(required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"))
        else:
            ru = _m(ru)
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _int_or_percent(mu, "spec.strategy.rollingUpdate.maxUnavailable")
            errs += _int_or_percent(ms, "spec.strategy.rollingUpdate.maxSurge")
            def value(v):
                p = _percent_value(v)
                return p if p is not None else (_i(v) if not isinstance(v, str) else 0)
            if value(mu) == 0 and value(ms) == 0:
                errs.append(invalid("spec.strategy.rollingUpdate.maxUnavailable", GoValue(_go_intstr(mu)),
                                    "may not be 0 when `maxSurge` is 0"))
            pv = _percent_value(mu)
            if pv is not None and pv > 100:
                errs.append(invalid("spec.strategy.rollingUpdate.maxUnavailable", GoValue(_go_intstr(mu)),
                                    "must not be greater than 100%"))
    else:
        errs.append(unsupported("spec.strategy.type", st, ["Recreate", "RollingUpdate"]))
    mrs = _i(spec.get("minReadySeconds"))
    if mrs < 0:
        errs.append(invalid("spec.minReadySeconds", mrs, NEGATIVE_ERROR))
    rhl = spec.get("revisionHistoryLimit")
    if rhl is not None and _i(rhl) < 0:
        errs.append(invalid("spec.revisionHistoryLimit", _i(rhl), NEGATIVE_ERROR))
    pds = spec.get("progressDeadlineSeconds")
    if pds is not None:
        if _i(pds) < 0:
            errs.append(invalid("spec.progressDeadlineSeconds", _i(pds), NEGATIVE_ERROR))
        if _i(pds) <= mrs:
            errs.append(invalid("spec.progressDeadlineSeconds", _i(pds), "must be greater than minReadySeconds"))
    return errs


def _validate_replica_set(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ReplicaSet")
    spec = _m(obj.get("spec"))
    errs += _replicas_errors(spec)
    if _i(spec.get("minReadySeconds")) < 0:
        errs.append(invalid("spec.minReadySeconds", _i(spec.get("minReadySeconds")), NEGATIVE_ERROR))
    errs += _validate_selector_and_template(spec)
    return errs


def _validate_replication_controller(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj, "ReplicationController")
    spec = _m(obj.get("spec"))
    if _i(spec.get("minReadySeconds")) < 0:
        errs.append(invalid("spec.minReadySeconds", _i(spec.get("minReadySeconds")), NEGATIVE_ERROR))
    sel = _m(spec.get("selector"))
    if not sel:
        errs.append(required("spec.selector"))
    errs += _replicas_errors(spec)
    labels = _m(_m(_m(spec.get("template")).get("metadata")).get("labels"))
    ok = not sel or all(labels.get(k) == v for k, v in sel.items())
    errs += _validate_template_for_rs(spec, ok, "spec.template")
    if spec.get("template") is not None and _m(_m(spec.get("template")).get("spec")).get("activeDeadlineSeconds") is not None:
        # ValidatePodTemplateSpecForRC words it differently from the ReplicaSet check
        errs = [e for e in errs if e.field != "spec.template.spec.activeDeadlineSeconds"]
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in ReplicationController is not Supported"))
    return errs


# --- issue 11: DaemonSet (w-ds)
def _validate_daemon_set(obj: dict) -> list[FieldError]:
    """pkg/apis/apps/validation ValidateDaemonSet / ValidateDaemonSetSpec (1.32)."""
    errs = validate_object_meta(obj, "DaemonSet")
    spec = _m(obj.get("spec"))
    sel = spec.get("selector")
    if sel is not None:
        errs += _validate_label_selector(sel, "spec.selector")
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    # LabelSelectorAsSelector(nil) is labels.Nothing(): a missing selector matches no labels
    if sel is None or not (_selector_empty(sel) or selector_matches(sel, labels)):
        errs.append(invalid("spec.template.metadata.labels", go_string_map(labels),
                            "`selector` does not match template `labels`"))
    if sel is not None and _selector_empty(sel):
        errs.append(invalid("spec.selector", _go_label_selector(sel), "empty selector is invalid for daemonset"))
    t = _m(spec.get("template"))
    errs += validate_pod_template(t, "spec.template")
    tspec = _m(t.get("spec"))
    rp = _s(tspec.get("restartPolicy"))
    if rp != "Always":
        errs.append(unsupported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in DaemonSet is not Supported"))
    mrs = _i(spec.get("minReadySeconds"))
    if mrs < 0:
        errs.append(invalid("spec.minReadySeconds", mrs, NEGATIVE_ERROR))
    strategy = _m(spec.get("updateStrategy"))
    st = _s(strategy.get("type"))
    if st == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            errs.append(required("spec.updateStrategy.rollingUpdate"))
        else:
            ru = _m(ru)
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _int_or_percent(mu, "spec.updateStrategy.rollingUpdate.maxUnavailable")
            errs += _int_or_percent(ms, "spec.updateStrategy.rollingUpdate.maxSurge")
            for v, f in ((mu, "maxUnavailable"), (ms, "maxSurge")):
                pv = _percent_value(v)
                if pv is not None and pv > 100:
                    errs.append(invalid(f"spec.updateStrategy.rollingUpdate.{f}", GoValue(_go_intstr(v)),
                                        "must not be greater than 100%"))

            def value(v):
                p = _percent_value(v)
                return p if p is not None else (_i(v) if not isinstance(v, str) else 0)
            if value(mu) and value(ms):
                errs.append(invalid("spec.updateStrategy.rollingUpdate.maxSurge", GoValue(_go_intstr(ms)),
                                    "may not be set when maxUnavailable is non-zero"))
            elif not value(mu) and not value(ms):
                errs.append(required("spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif st != "OnDelete":
        errs.append(unsupported("spec.updateStrategy.type", st, ["OnDelete", "RollingUpdate"]))
    rhl = spec.get("revisionHistoryLimit")
    if rhl is not None and _i(rhl) < 0:
        errs.append(invalid("spec.revisionHistoryLimit", _i(rhl), NEGATIVE_ERROR))
    return errs


# --------------------------------------------------------------------- StatefulSet (issue 11)
# pkg/apis/apps/validation/validation.go ValidateStatefulSet(Spec|Update)


def _validate_stateful_set(obj: dict) -> list[FieldError]:
    """ValidateStatefulSetSpec (1.32). serviceName may be empty or name no Service: the
    apiserver accepts both (the pods then have no per-pod DNS names)."""
    errs = validate_object_meta(obj, "StatefulSet")
    spec = _m(obj.get("spec"))
    pmp = _s(spec.get("podManagementPolicy"))
    if pmp == "":
        errs.append(required("spec.podManagementPolicy", ""))
    elif pmp not in ("OrderedReady", "Parallel"):
        errs.append(invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"))
    strategy = _m(spec.get("updateStrategy"))
    st = _s(strategy.get("type"))
    if st == "":
        errs.append(required("spec.updateStrategy", ""))
    elif st == "OnDelete":
        if strategy.get("rollingUpdate") is not None:
            errs.append(invalid("spec.updateStrategy.rollingUpdate", GoValue("nil"),
                                "only allowed for updateStrategy 'RollingUpdate'"))
    elif st == "RollingUpdate":
        part = _m(strategy.get("rollingUpdate")).get("partition")
        if part is not None and _i(part) < 0:
            errs.append(invalid("spec.updateStrategy.rollingUpdate.partition", _i(part), NEGATIVE_ERROR))
    else:
        errs.append(invalid("spec.updateStrategy", _s(st), "must be 'RollingUpdate' or 'OnDelete'"))
    policy = _m(spec.get("persistentVolumeClaimRetentionPolicy"))
    for f in ("whenDeleted", "whenScaled"):
        v = policy.get(f)
        if v is not None and v not in ("Retain", "Delete"):
            errs.append(unsupported(f"spec.persistentVolumeClaimRetentionPolicy.{f}", _s(v), ["Retain", "Delete"]))
    errs += _replicas_errors(spec)
    mrs = _i(spec.get("minReadySeconds"))
    if mrs < 0:
        errs.append(invalid("spec.minReadySeconds", mrs, NEGATIVE_ERROR))
    ordinals = _m(spec.get("ordinals"))
    if ordinals and _i(ordinals.get("start")) < 0:
        errs.append(invalid("spec.ordinals.start", _i(ordinals.get("start")), NEGATIVE_ERROR))
    sel = spec.get("selector")
    if sel is None:
        errs.append(required("spec.selector", ""))
    else:
        errs += _validate_label_selector(sel, "spec.selector")
        if _selector_empty(sel):
            errs.append(invalid("spec.selector", _go_label_selector(sel), "empty selector is invalid for statefulset"))
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    ok = sel is not None and (_selector_empty(sel) or selector_matches(sel, labels))
    if sel is not None and not ok:
        errs.append(invalid("spec.template.metadata.labels", go_string_map(labels),
                            "`selector` does not match template `labels`"))
    t = _m(spec.get("template"))
    # ValidatePodTemplateSpecForStatefulSet checks the template's labels and annotations, not its
    # pod spec (whose volumeMounts may name volumeClaimTemplates)
    tmeta = _m(t.get("metadata"))
    errs += _validate_labels(tmeta.get("labels"), "spec.template.labels")
    errs += _validate_annotations(tmeta.get("annotations"), "spec.template.annotations")
    tspec = _m(t.get("spec"))
    rp = _s(tspec.get("restartPolicy"))
    if rp != "Always":
        errs.append(unsupported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in StatefulSet is not Supported"))
    for i, vct in enumerate(spec.get("volumeClaimTemplates") or []):
        errs += _validate_pvc_spec(_m(_m(vct).get("spec")), f"spec.volumeClaimTemplates[{i}].spec")
    return errs


def _validate_stateful_set_update(obj: dict, old: dict) -> list[FieldError]:
    """ValidateStatefulSetUpdate: only these spec fields may change."""
    mutable = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
               "minReadySeconds")
    a = {k: v for k, v in _m(obj.get("spec")).items() if k not in mutable}
    b = {k: v for k, v in _m(old.get("spec")).items() if k not in mutable}
    if a != b:
        return [forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                                  "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                                  "'minReadySeconds' are forbidden")]
    return []


# --- issue 11: Batch (w-job)
def _validate_job(obj: dict) -> list[FieldError]:
    """pkg/apis/batch/validation ValidateJob / validateJobSpec (1.32); the selector was
    generated by the strategy (generateSelector) unless spec.manualSelector is true."""
    errs = validate_object_meta(obj, "Job")
    spec = _m(obj.get("spec"))
    for f in ("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"):
        v = spec.get(f)
        if v is not None and _i(v) < 0:
            errs.append(invalid(f"spec.{f}", _i(v), NEGATIVE_ERROR))
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and _i(ads) <= 0:
        errs.append(invalid("spec.activeDeadlineSeconds", _i(ads), "must be greater than 0"))
    mode = _s(spec.get("completionMode"))
    if mode not in ("NonIndexed", "Indexed"):
        errs.append(unsupported("spec.completionMode", mode, ["NonIndexed", "Indexed"]))
    if mode == "Indexed":
        if spec.get("completions") is None:
            errs.append(required("spec.completions", "when completion mode is Indexed"))
        elif _i(spec.get("completions")) > 100000:
            errs.append(invalid("spec.completions", _i(spec.get("completions")),
                                "must be less than or equal to 100000 when completion mode is Indexed"))
    sel = spec.get("selector")
    labels = _m(_m(spec.get("template")).get("metadata")).get("labels")
    if sel is None:
        errs.append(required("spec.selector", ""))
    else:
        errs += _validate_label_selector(sel, "spec.selector")
        if not selector_matches(sel, labels) or _selector_empty(sel):
            errs.append(invalid("spec.template.metadata.labels", go_string_map(labels),
                                "`selector` does not match template `labels`"))
    t = _m(spec.get("template"))
    errs += validate_pod_template(t, "spec.template")
    rp = _s(_m(t.get("spec")).get("restartPolicy"))
    if rp not in ("OnFailure", "Never"):
        errs.append(unsupported("spec.template.spec.restartPolicy", rp, ["OnFailure", "Never"]))
    elif spec.get("podFailurePolicy") is not None and rp != "Never":
        errs.append(invalid("spec.template.spec.restartPolicy", rp,
                            'only "Never" is supported when podFailurePolicy is specified'))
    return errs


def _validate_cron_job(obj: dict) -> list[FieldError]:
    """ValidateCronJobCreate / validateCronJobSpec (1.32); the schedule is parsed by
    robfig/cron ParseStandard (minikctl/api/cron.py) and its error is the message."""
    from minikctl.api import cron

    errs = validate_object_meta(obj, "CronJob")
    name = _s(_m(obj.get("metadata")).get("name"))
    if len(name) > 52:
        errs.append(invalid("metadata.name", name, "must be no more than 52 characters"))
    spec = _m(obj.get("spec"))
    schedule = _s(spec.get("schedule"))
    if schedule == "":
        errs.append(required("spec.schedule", ""))
    else:
        try:
            cron.parse_standard(schedule)
        except cron.CronError as e:
            errs.append(invalid("spec.schedule", schedule, str(e)))
        if "TZ" in schedule:
            errs.append(invalid("spec.schedule", schedule,
                                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    tz = spec.get("timeZone")
    if tz is not None:
        tz = _s(tz)
        if tz.lower() == "local":
            errs.append(invalid("spec.timeZone", tz,
                                "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
        elif cron.zone(tz) is None:
            errs.append(invalid("spec.timeZone", tz, f"unknown time zone {tz}"))
    for f in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        v = spec.get(f)
        if v is not None and _i(v) < 0:
            errs.append(invalid(f"spec.{f}", _i(v), NEGATIVE_ERROR))
    cp = _s(spec.get("concurrencyPolicy"))
    if cp not in ("Allow", "Forbid", "Replace"):
        errs.append(unsupported("spec.concurrencyPolicy", cp, ["Allow", "Forbid", "Replace"]))
    jt = _m(spec.get("jobTemplate"))
    jspec = _m(jt.get("spec"))
    t = _m(jspec.get("template"))
    errs += validate_pod_template(t, "spec.jobTemplate.spec.template")
    rp = _s(_m(t.get("spec")).get("restartPolicy"))
    if rp not in ("OnFailure", "Never"):
        errs.append(unsupported("spec.jobTemplate.spec.template.spec.restartPolicy", rp, ["OnFailure", "Never"]))
    if jspec.get("manualSelector") is not True and jspec.get("selector") is not None:
        errs.append(invalid("spec.jobTemplate.spec.selector", _go_label_selector(jspec["selector"]),
                            "`selector` will be auto-generated"))
    return errs
