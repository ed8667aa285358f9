"""The Eviction API: POST pods/NAME/eviction (policy/v1 Eviction), as kube-apiserver serves it.

pkg/registry/core/pod/storage/eviction.go (Kubernetes 1.32) EvictionREST.Create:
* a pod that is Pending, Succeeded, Failed or already being deleted is deleted without
  looking at any PodDisruptionBudget (canIgnorePDB);
* otherwise the budgets of its namespace whose selector picks it are found: more than one is
  refused (a Failure status, code 500); a pod that is not ready is deleted without using up
  the budget when its unhealthyPodEvictionPolicy is AlwaysAllow, or (IfHealthyBudget, the
  default) when the budget is met (currentHealthy >= desiredHealthy > 0);
* checkAndDecrement: a budget whose status is older than its spec, or that allows no
  disruption, refuses with 429 TooManyRequests "Cannot evict pod as it would violate the
  pod's disruption budget."; else disruptionsAllowed goes down by one and the pod is
  recorded in status.disruptedPods (not on a dry run);
* addConditionAndDeletePod: the pod gets the DisruptionTarget condition (reason
  EvictionByEvictionAPI), then a DELETE with the eviction's grace period: the kubelet's
  graceful deletion (minikctl.kubelet.pods.graceful_delete), so it is Terminating until its
  containers stopped.

Every client (drain, a future HTTP front) calls ``evict``; the errors are the typed API errors.
"""

from __future__ import annotations

from minikctl.api.errors import Forbidden, StatusFailure, TooManyRequests

VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
MULTIPLE = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."


def can_ignore_pdb(pod: dict) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase in ("Succeeded", "Failed", "Pending") or bool(pod["metadata"].get("deletionTimestamp"))


def budgets_for(api, pod: dict) -> list[dict]:
    """getPodDisruptionBudgets: a nil selector picks nothing, an empty one every pod."""
    from minikctl.api.selectors import label_selector_matches

    labels = pod["metadata"].get("labels") or {}
    return [b for b in api.list("poddisruptionbudgets", pod["metadata"]["namespace"])
            if label_selector_matches((b.get("spec") or {}).get("selector"), labels)]


def _ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or ())


def evict(api, namespace: str, name: str, grace: int | None = None, dry_run: bool = False) -> float:
    """Evict a pod. Returns the seconds until it is gone (0: deleted now, or a dry run).
    Raises NotFound, TooManyRequests, StatusFailure (several budgets) or Forbidden."""
    pod = api.get("pods", namespace, name)
    if not can_ignore_pdb(pod):
        budgets = budgets_for(api, pod)
        if len(budgets) > 1:
            raise StatusFailure(MULTIPLE)
        if budgets:
            pdb = budgets[0]
            spec, status = pdb.get("spec") or {}, pdb.get("status") or {}
            skip = False
            if not _ready(pod):
                if spec.get("unhealthyPodEvictionPolicy") == "AlwaysAllow":
                    skip = True
                elif int(status.get("currentHealthy") or 0) >= int(status.get("desiredHealthy") or 0) > 0:
                    skip = True
            if not skip:
                _check_and_decrement(api, pdb, name, dry_run)
    if dry_run:
        return 0.0
    return _add_condition_and_delete(api, pod, grace)


def _too_many(cause: str, retry_after: int) -> TooManyRequests:
    """errors.NewTooManyRequests(VIOLATION, retryAfter) with its DisruptionBudget cause (the
    Status an HTTP client gets: details.causes, details.retryAfterSeconds)."""
    e = TooManyRequests(VIOLATION)
    e.causes = [{"reason": "DisruptionBudget", "message": cause}]
    e.retry_after = retry_after
    return e


def _check_and_decrement(api, pdb: dict, pod_name: str, dry_run: bool) -> None:
    from minikctl.controllers.disruption import disruption_allowed_condition

    status = dict(pdb.get("status") or {})
    name = pdb["metadata"]["name"]
    if int(status.get("observedGeneration") or 0) < int(pdb["metadata"].get("generation") or 0):
        raise _too_many(f"The disruption budget {name} is still being processed by the server.", 10)
    allowed = int(status.get("disruptionsAllowed") or 0)
    if allowed < 0:
        raise Forbidden(f'poddisruptionbudget.policy "{pdb["metadata"]["name"]}" is forbidden: '
                        "pdb disruptions allowed is negative")
    if allowed == 0:
        raise _too_many(f"The disruption budget {name} needs {int(status.get('desiredHealthy') or 0)} healthy pods "
                        f"and has {int(status.get('currentHealthy') or 0)} currently", 0)
    status["disruptionsAllowed"] = allowed - 1
    if allowed - 1 == 0:
        disruption_allowed_condition(status, api.clock.rfc3339())
    if dry_run:
        return
    status["disruptedPods"] = {**(status.get("disruptedPods") or {}), pod_name: api.clock.rfc3339()}
    new = dict(pdb)
    new["status"] = status
    api.update_status(new)


def _add_condition_and_delete(api, pod: dict, grace: int | None) -> float:
    from minikctl.api.server import clone
    from minikctl.kubelet.pods import graceful_delete

    new = clone(pod)
    status = new.setdefault("status", {})
    conds = [c for c in status.get("conditions") or () if c.get("type") != "DisruptionTarget"]
    old = next((c for c in status.get("conditions") or () if c.get("type") == "DisruptionTarget"), None)
    now = api.clock.rfc3339()
    cond = {"lastProbeTime": None,
            "lastTransitionTime": old.get("lastTransitionTime") if old and old.get("status") == "True" else now,
            "message": "Eviction API: evicting", "reason": "EvictionByEvictionAPI", "status": "True",
            "type": "DisruptionTarget"}
    status["conditions"] = conds + [cond]
    if new != pod:
        new = api.update_status(new)
    return graceful_delete(api, new, grace)
