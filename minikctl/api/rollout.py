"""kubectl's polymorphic rollout helpers over the object API (no printing, no CLI).

Ported from staging/src/k8s.io/kubectl/pkg/polymorphichelpers (1.32): rollout_status.go
(the status viewers), history.go (the history viewers), rollback.go (the rollbackers),
objectpauser.go, objectresumer.go, objectrestarter.go. Errors are RolloutError, whose text is
kubectl's message; the CLI prints it after ``error: ``.
"""

from __future__ import annotations

from minikctl.api.errors import MinikctlError

CHANGE_CAUSE = "kubernetes.io/change-cause"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
# rollback.go annotationsToSkip: kept from the deployment, never copied from the replica set
ANNOTATIONS_TO_SKIP = ("kubectl.kubernetes.io/last-applied-configuration", REVISION,
                       "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                       "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to")
KINDS = ("Deployment", "DaemonSet", "StatefulSet")


class RolloutError(MinikctlError):
    """A polymorphichelpers error: printed as ``error: MESSAGE``, exit 1."""


def group_kind(kind) -> str:
    """schema.GroupKind.String(): Kind, or Kind.group."""
    return f"{kind.kind}.{kind.group}" if kind.group else kind.kind


# pkg/apps/kind_visitor.go GroupKindElement.Accept: the kinds with a visitor method
_VISITED = {("apps", "DaemonSet"), ("apps", "Deployment"), ("batch", "Job"), ("", "Pod"), ("apps", "ReplicaSet"),
            ("", "ReplicationController"), ("apps", "StatefulSet"), ("batch", "CronJob")}


def _no_helper(kind, what: str, retrieving: str) -> RolloutError:
    """HistoryViewerFor / RollbackerFor: a kind without a visitor method (the error prints the
    GroupKindElement with %v: `{group Kind}`), or with one that sets no helper."""
    if (kind.group, kind.kind) not in _VISITED:
        return RolloutError(f'error retrieving {retrieving} for "{group_kind(kind)}", no visitor method exists for '
                            f"{{{kind.group} {kind.kind}}}")
    return RolloutError(f'no {what} has been implemented for "{group_kind(kind)}"')


def _int(v) -> int:
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


# ----------------------------------------------------------------- deployments
def _strip_hash(template: dict) -> dict:
    from minikctl.api.server import clone

    t = clone(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
        if not labels:
            t["metadata"].pop("labels")
    meta = t.get("metadata")
    if isinstance(meta, dict):
        meta.pop("creationTimestamp", None)
        if not meta:
            t.pop("metadata")
    return t


def equal_ignore_hash(a: dict, b: dict) -> bool:
    """rollback.go equalIgnoreHash (apiequality.Semantic: an empty map equals a missing one)."""
    return _strip_hash(a) == _strip_hash(b)


def rs_revision(rs: dict) -> int | None:
    """deploymentutil.Revision: None when the annotation is missing or not a number."""
    v = (rs["metadata"].get("annotations") or {}).get(REVISION)
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def deployment_replica_sets(api, d: dict) -> tuple[dict | None, list[dict]]:
    """deploymentutil.GetAllReplicaSets: (new, old) of the replica sets the deployment controls."""
    from minikctl.api.selectors import from_label_selector

    sel = from_label_selector((d.get("spec") or {}).get("selector") or {})
    owned = [rs for rs in api.list("replicasets", d["metadata"]["namespace"], owner_uid=d["metadata"]["uid"])
             if sel.matches(rs["metadata"].get("labels"))]
    owned.sort(key=lambda r: (r["metadata"].get("creationTimestamp") or "", r["metadata"]["name"]))
    template = (d.get("spec") or {}).get("template") or {}
    new = next((rs for rs in owned if equal_ignore_hash((rs.get("spec") or {}).get("template") or {}, template)), None)
    return new, [rs for rs in owned if rs is not new]


def controller_revisions(api, obj: dict) -> list[dict]:
    """controlledHistory: the ControllerRevisions the object controls (and its selector selects)."""
    from minikctl.api.selectors import from_label_selector

    sel = from_label_selector((obj.get("spec") or {}).get("selector") or {})
    out = []
    for cr in api.list("controllerrevisions", obj["metadata"]["namespace"], owner_uid=obj["metadata"]["uid"]):
        ref = next((r for r in cr["metadata"].get("ownerReferences") or [] if r.get("controller")), None)
        if ref is not None and ref.get("uid") == obj["metadata"]["uid"] and sel.matches(cr["metadata"].get("labels")):
            out.append(cr)
    return out


def _cr_template(cr: dict) -> dict:
    t = ((cr.get("data") or {}).get("spec") or {}).get("template") or {}
    return {k: v for k, v in t.items() if k != "$patch"}


# --------------------------------------------------------------------- history
def history(api, kind, obj: dict, revision: int):
    """HistoryViewer.ViewHistory: a list of (revision, change-cause or None) — None in place of
    the causes for a StatefulSet, whose viewer prints revisions alone — or, with revision > 0,
    that revision's pod template. "No rollout history found." as a string when there is none."""
    if kind.kind == "Deployment":
        new, old = deployment_replica_sets(api, obj)
        info: dict[int, dict] = {}
        for rs in old + ([new] if new else []):
            v = rs_revision(rs)
            if v is None:
                continue
            from minikctl.api.server import clone

            t = clone((rs.get("spec") or {}).get("template") or {})
            cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
            meta = t.setdefault("metadata", {})
            meta.setdefault("annotations", {})
            if cause:
                meta["annotations"][CHANGE_CAUSE] = cause
            info[v] = t
        if not info:
            return "No rollout history found."
        if revision > 0:
            if revision not in info:
                raise RolloutError("unable to find the specified revision")
            return info[revision]
        return [(r, (info[r].get("metadata") or {}).get("annotations", {}).get(CHANGE_CAUSE) or "") for r in sorted(info)]
    if kind.kind in ("DaemonSet", "StatefulSet"):
        revs = {_int(cr.get("revision")): cr for cr in controller_revisions(api, obj)}
        if not revs:
            return "No rollout history found."
        if revision > 0:
            if revision not in revs:
                raise RolloutError("unable to find the specified revision")
            return _cr_template(revs[revision])
        if kind.kind == "StatefulSet":
            return [(r, None) for r in sorted(revs)]
        return [(r, (revs[r]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE) or "") for r in sorted(revs)]
    raise _no_helper(kind, "history viewer", "history")


# -------------------------------------------------------------------- rollback
def _not_found(r: int) -> RolloutError:
    return RolloutError(f"unable to find specified revision {r} in history")


def rollback(api, kind, obj: dict, to_revision: int, dry: str | None):
    """Rollbacker.Rollback: ("rolled back" | "skipped rollback (...)", changed object or None),
    or with --dry-run=client the text kubectl prints in place of the operation."""
    name = obj["metadata"]["name"]
    if kind.kind not in KINDS:
        raise _no_helper(kind, "rollbacker", "rollbacker")
    if to_revision < 0:
        raise _not_found(to_revision)
    if kind.kind == "Deployment":
        new, old = deployment_replica_sets(api, obj)
        target = None
        latest, latest_rev, previous, previous_rev = None, -1, None, -1
        for rs in old + ([new] if new else []):
            v = rs_revision(rs)
            if v is None:
                continue
            if to_revision == 0:
                if latest_rev < v:
                    previous, previous_rev, latest, latest_rev = latest, latest_rev, rs, v
                elif previous_rev < v:
                    previous, previous_rev = rs, v
            elif to_revision == v:
                target = rs
                break
        if target is None:
            if to_revision > 0:
                raise _not_found(to_revision)
            if previous is None:
                raise RolloutError(f'no rollout history found for deployment "{name}"')
            target = previous
        template = (target.get("spec") or {}).get("template") or {}
        if dry == "client":
            return pod_template_text(template), None
        if (obj.get("spec") or {}).get("paused"):
            raise RolloutError(f"you cannot rollback a paused deployment; resume it first with "
                               f"'kubectl rollout resume deployment/{name}' and try again")
        if equal_ignore_hash(template, (obj.get("spec") or {}).get("template") or {}):
            return f"skipped rollback (current template already matches revision {to_revision})", None
        from minikctl.api.server import clone

        t = clone(template)
        labels = (t.get("metadata") or {}).get("labels")
        if isinstance(labels, dict):
            labels.pop(HASH_LABEL, None)
        ann = {k: v for k, v in (obj["metadata"].get("annotations") or {}).items() if k in ANNOTATIONS_TO_SKIP}
        for k, v in (target["metadata"].get("annotations") or {}).items():
            if k not in ANNOTATIONS_TO_SKIP:
                ann[k] = v
        changed = clone(obj)
        changed["spec"]["template"] = t
        changed["metadata"]["annotations"] = ann
        if not ann:
            changed["metadata"].pop("annotations")
        return "rolled back", changed
    # DaemonSet, StatefulSet: ControllerRevisions
    revs = controller_revisions(api, obj)
    if to_revision == 0 and len(revs) <= 1:
        raise RolloutError("no last revision to roll back to")
    revs.sort(key=lambda cr: _int(cr.get("revision")))
    if to_revision == 0:
        target = revs[-2]
    else:
        target = next((cr for cr in revs if _int(cr.get("revision")) == to_revision), None)
        if target is None:
            raise _not_found(to_revision)
    template = _cr_template(target)
    if dry == "client":
        return "will roll back to " + pod_template_text(template), None
    if template == ((obj.get("spec") or {}).get("template") or {}):
        return f"skipped rollback (current template already matches revision {to_revision})", None
    from minikctl.api.server import clone

    changed = clone(obj)
    changed["spec"]["template"] = clone(template)
    return "rolled back", changed


def pod_template_text(template: dict) -> str:
    """printTemplate: describe.DescribePodTemplate through a PrefixWriter (no tabwriter)."""
    from minikctl.printers.describe.pod import _describe_pod_template
    from minikctl.printers.describe.writer import _Writer

    w = _Writer()
    _describe_pod_template(w, template)
    return "".join(w.buf)


# ----------------------------------------------------- pause, resume, restart
def pause(kind, obj: dict) -> None:
    """objectpauser.go: sets spec.paused on a deployment (in place)."""
    if kind.kind != "Deployment":
        raise RolloutError("pausing is not supported")
    if (obj.get("spec") or {}).get("paused"):
        raise RolloutError("is already paused")
    obj.setdefault("spec", {})["paused"] = True


def resume(kind, obj: dict) -> None:
    """objectresumer.go."""
    if kind.kind != "Deployment":
        raise RolloutError("resuming is not supported")
    if not (obj.get("spec") or {}).get("paused"):
        raise RolloutError("is not paused")
    obj["spec"].pop("paused", None)


def restart(kind, obj: dict, now: str) -> None:
    """objectrestarter.go: the restartedAt annotation of the pod template, with the cluster
    clock's time (kubectl writes its own machine's time.Now() in RFC 3339)."""
    if kind.kind not in KINDS:
        raise RolloutError("restarting is not supported")
    if kind.kind == "Deployment" and (obj.get("spec") or {}).get("paused"):
        raise RolloutError("can't restart paused deployment (run rollout resume first)")
    meta = obj.setdefault("spec", {}).setdefault("template", {}).setdefault("metadata", {})
    ann = meta.get("annotations")
    if not isinstance(ann, dict):
        ann = meta["annotations"] = {}
    ann[RESTARTED_AT] = now


# ---------------------------------------------------------------------- status
def status(api, kind, obj: dict, revision: int) -> tuple[str, bool]:
    """StatusViewer.Status: (message with its newline, done). Raises RolloutError."""
    name = obj["metadata"]["name"]
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    gen, observed = _int(obj["metadata"].get("generation")), _int(st.get("observedGeneration"))
    if kind.kind == "Deployment":
        if revision > 0:
            rev = (obj["metadata"].get("annotations") or {}).get(REVISION)
            try:
                rev_int = int(rev or "")
            except ValueError:
                # deploymentutil.Revision: strconv.ParseInt's error
                from minikctl.printers.template import go_quote

                raise RolloutError(f'cannot get the revision of deployment "{name}": strconv.ParseInt: '
                                   f'parsing {go_quote(rev or "")}: invalid syntax') from None
            if rev_int != revision:
                raise RolloutError(f"desired revision ({revision}) is different from the running revision ({rev_int})")
        if gen <= observed:
            cond = next((c for c in st.get("conditions") or [] if c.get("type") == "Progressing"), None)
            if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
                raise RolloutError(f'deployment "{name}" exceeded its progress deadline')
            replicas = spec.get("replicas", 1)
            updated, total, available = (_int(st.get("updatedReplicas")), _int(st.get("replicas")),
                                         _int(st.get("availableReplicas")))
            if replicas is not None and updated < replicas:
                msg = (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas '
                       "have been updated...\n")
                return _append_warning(api, obj, msg), False
            if total > updated:
                msg = f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending termination...\n'
                return _append_warning(api, obj, msg), False
            if available < updated:
                msg = f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas are available...\n'
                return _append_warning(api, obj, msg), False
            return f'deployment "{name}" successfully rolled out\n', True
        return _append_warning(api, obj, "Waiting for deployment spec update to be observed...\n"), False
    if kind.kind == "DaemonSet":
        if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
            raise RolloutError("rollout status is only available for RollingUpdate strategy type")
        if gen <= observed:
            upd, desired, avail = (_int(st.get("updatedNumberScheduled")), _int(st.get("desiredNumberScheduled")),
                                   _int(st.get("numberAvailable")))
            if upd < desired:
                return (f'Waiting for daemon set "{name}" rollout to finish: {upd} out of {desired} new pods have '
                        "been updated...\n"), False
            if avail < desired:
                return f'Waiting for daemon set "{name}" rollout to finish: {avail} of {desired} updated pods are available...\n', False
            return f'daemon set "{name}" successfully rolled out\n', True
        return "Waiting for daemon set spec update to be observed...\n", False
    if kind.kind == "StatefulSet":
        strategy = spec.get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            raise RolloutError("rollout status is only available for RollingUpdate strategy type")
        if observed == 0 or gen > observed:
            return "Waiting for statefulset spec update to be observed...\n", False
        replicas = spec.get("replicas", 1)
        ready = _int(st.get("readyReplicas"))
        if replicas is not None and ready < replicas:
            return f"Waiting for {replicas - ready} pods to be ready...\n", False
        ru = strategy.get("rollingUpdate")
        if isinstance(ru, dict):
            if replicas is not None and ru.get("partition") is not None:
                want = replicas - _int(ru.get("partition"))
                if _int(st.get("updatedReplicas")) < want:
                    return (f"Waiting for partitioned roll out to finish: {_int(st.get('updatedReplicas'))} out of "
                            f"{want} new pods have been updated...\n"), False
            return f"partitioned roll out complete: {_int(st.get('updatedReplicas'))} new pods have been updated...\n", True
        if st.get("updateRevision") != st.get("currentRevision"):
            return (f"waiting for statefulset rolling update to complete {_int(st.get('updatedReplicas'))} pods at "
                    f"revision {st.get('updateRevision') or ''}...\n"), False
        return (f"statefulset rolling update complete {_int(st.get('currentReplicas'))} pods at revision "
                f"{st.get('currentRevision') or ''}...\n"), True
    raise RolloutError(f"no status viewer has been implemented for {group_kind(kind)}")


_WAITING_REASONS = ("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError",
                    "CreateContainerError")


def _append_warning(api, d: dict, msg: str) -> str:
    """DeploymentStatusViewer.appendWarning: the first pod of the deployment's selector that
    cannot be scheduled or whose container waits for a known bad reason."""
    from minikctl.api.selectors import from_label_selector

    try:
        sel = from_label_selector((d.get("spec") or {}).get("selector") or {})
    except Exception:
        return msg
    for pod in api.list("pods", d["metadata"]["namespace"], selector=sel):
        pst = pod.get("status") or {}
        for c in pst.get("conditions") or []:
            if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("reason") == "Unschedulable":
                return f"{msg.strip()} (Warning: {c.get('message') or ''})\n"
        for cs in pst.get("containerStatuses") or []:
            waiting = (cs.get("state") or {}).get("waiting")
            if isinstance(waiting, dict) and waiting.get("reason") in _WAITING_REASONS:
                return f"{msg.strip()} (Warning: {waiting['reason']} - {waiting.get('message') or ''})\n"
    return msg
