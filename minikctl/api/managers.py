"""Which manager a write is recorded under in metadata.managedFields (issue 14, w-ssa): small and
free of imports, as every CLI command that opens the store asks it (api/fieldmanager.py does the
recording)."""

from __future__ import annotations

CSA_MANAGER = "kubectl-client-side-apply"
SSA_MANAGER = "kubectl"


def manager_from_request(field_manager: str | None, user_agent: str | None) -> str:
    """handlers/rest.go managerOrUserAgent: the fieldManager parameter, else the User-Agent's
    product (`kubectl/v1.32.0 (linux/amd64) kubernetes/...` -> `kubectl`)."""
    if field_manager:
        return field_manager
    return (user_agent or "").split("/")[0]


# kubectl 1.32's --field-manager defaults (kubectl_help.json); commands without the flag send
# none, and kube-apiserver names them after kubectl's User-Agent: "kubectl"
CLI_DEFAULTS = {"create": "kubectl-create", "apply": CSA_MANAGER, "annotate": "kubectl-annotate",
                "autoscale": "kubectl-autoscale", "edit": "kubectl-edit", "expose": "kubectl-expose",
                "label": "kubectl-label", "patch": "kubectl-patch", "replace": "kubectl-replace",
                "rollout": "kubectl-rollout", "run": "kubectl-run", "set": "kubectl-set", "taint": "kubectl-taint"}


def cli_manager(path, opts: dict) -> str | None:
    given = opts.get("field_manager")
    verb = path[0] if path else ""
    if verb in ("delete", "cluster"):  # a deletion records no entry; the cluster's bootstrap is the installer's
        return None
    if verb == "apply" and opts.get("server_side"):
        return given if given and given != CSA_MANAGER else SSA_MANAGER
    if verb == "rollout" and len(path) > 1 and path[1] not in ("pause", "restart", "resume"):
        return "kubectl"
    return given or CLI_DEFAULTS.get(verb, "kubectl")


def controller_manager(ref: str) -> str | None:
    """The manager a controller's writes record: the kubelet's are "kubelet"'s, the scheduler
    binds (a binding records no entry), the others are kube-controller-manager's."""
    mod = ref.split(":", 1)[0]
    if mod.startswith("kubelet") or mod.endswith("probes"):
        return "kubelet"
    if mod == "scheduler":
        return "kube-scheduler"
    return "kube-controller-manager"
