"""`apply --server-side [--force-conflicts] [--field-manager NAME]` (issue 14, w-ssa): each object
is sent whole to the object API's server-side apply (api/fieldmanager.py), as kubectl 1.32's
applyOneObject does (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go):

1. the apply patch, by --field-manager (default "kubectl"); a conflict is printed with kubectl's
   advice text;
2. saveLastApplyAnnotationIfNecessary: with the default manager, a last-applied-configuration
   annotation no applier owns is applied by "kubectl-last-applied", so it outlives the move;
3. migrateToSSAIfNecessary (csaupgrade.UpgradeManagedFields): the Update managers that own the
   annotation (client-side apply's) are merged into the applier's entry, and the apply is sent
   again so the fields it no longer lists go.
"""

from __future__ import annotations

from minikctl.api.errors import UsageError

CONFLICT_ADVICE = """
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"""

LAST_APPLIED_MANAGER = "kubectl-last-applied"


def check(ctx, dry: str | None) -> None:
    """apply.go Validate: what --server-side refuses before anything is sent."""
    o = ctx.opts
    if o.get("force_conflicts") and not o.get("server_side"):
        raise UsageError("--force-conflicts only works with --server-side")
    if not o.get("server_side"):
        return
    if dry == "client":
        raise UsageError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
    if o.get("prune"):
        raise UsageError("--prune is in alpha and doesn't currently work on objects created by server-side apply")


def run(ctx, docs, dry: str | None) -> int:
    from minikctl.api import fieldmanager
    from minikctl.api.errors import ApiError
    from minikctl.cli.cmd_apply import _emit, _kept, _print_api_warnings, _target_ns
    from minikctl.cli.resources import resolve_kind
    from minikctl.cli.term import progress

    manager = fieldmanager.cli_manager(("apply",), ctx.opts)
    force = bool(ctx.opts.get("force_conflicts"))
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api, progress(docs, "Applying", ctx.err) as bar:
        for doc, _ in bar:
            cfg = doc.obj
            kind = resolve_kind(cfg["kind"])
            ns = _target_ns(ctx, cfg, kind)
            name = (cfg.get("metadata") or {}).get("name") or ""
            try:
                _, written = fieldmanager.apply(api, kind, ns, name, cfg, manager, force)
            except ApiError as e:
                if e.code == 409 and e.reason == "Conflict":  # apply.go: errors.IsConflict gets the advice
                    raise UsageError(e.message + CONFLICT_ADVICE) from None
                raise
            written = _after_apply(api, kind, ns, name, cfg, manager, force, written)
            results.append((_kept(ctx, written), "serverside-applied"))
    _emit(ctx, results, dry, as_list=True)
    _print_api_warnings(ctx, session)
    return 0


def _after_apply(api, kind, ns, name, cfg, manager, force, written):
    from minikctl.api import fieldmanager
    from minikctl.api.fieldmanager import LAST_APPLIED, SSA_MANAGER

    ann = (written.get("metadata") or {}).get("annotations") or {}
    if manager == SSA_MANAGER and LAST_APPLIED in ann and not _owners(written, "Apply"):
        just = {"apiVersion": kind.api_version, "kind": kind.kind,
                "metadata": {"name": name, "annotations": {LAST_APPLIED: ann[LAST_APPLIED]}}}
        if kind.namespaced:
            just["metadata"]["namespace"] = ns
        _, written = fieldmanager.apply(api, kind, ns, name, just, LAST_APPLIED_MANAGER, False)
    csa = {e.get("manager") for e in _owners(written, "Update")}
    if not csa:
        return written
    entries = _upgraded(written["metadata"].get("managedFields") or [], csa, manager)
    if entries is None:
        return written
    new = dict(written)
    new["metadata"] = {**written["metadata"], "managedFields": entries}
    saved = api.field_manager
    api.field_manager = None  # csaupgrade's JSON patch only rewrites managedFields
    try:
        api.update(new, check_rv=False)
    finally:
        api.field_manager = saved
    _, written = fieldmanager.apply(api, kind, ns, name, cfg, manager, force)
    return written


def _owners(obj: dict, operation: str) -> list[dict]:
    """csaupgrade.FindFieldsOwners of the last-applied annotation for one operation."""
    from minikctl.api.fieldmanager import LAST_APPLIED

    out = []
    for e in (obj.get("metadata") or {}).get("managedFields") or ():
        if e.get("operation") != operation:
            continue
        f = ((e.get("fieldsV1") or {}).get("f:metadata") or {}).get("f:annotations") or {}
        if "f:" + LAST_APPLIED in f:
            out.append(e)
    return out


def _upgraded(entries: list[dict], csa_names: set, ssa_name: str) -> list[dict] | None:
    """csaupgrade.UpgradeManagedFields: each client-side manager's Update entry is merged into
    the applier's Apply entry (or becomes it), and dropped. None when nothing changes."""
    from minikctl.api import ssa

    entries = [dict(e) for e in entries]
    changed = False
    for csa in sorted(csa_names):
        target = next((i for i, e in enumerate(entries) if e.get("manager") == ssa_name
                       and e.get("operation") == "Apply" and not e.get("subresource")), None)
        if target is None:
            target = next((i for i, e in enumerate(entries) if e.get("manager") == csa
                           and e.get("operation") == "Update" and not e.get("subresource")), None)
            if target is None:
                continue
            entries[target] = {**entries[target], "operation": "Apply", "manager": ssa_name}
        t = entries[target]
        src = next((e for e in entries if e.get("manager") == csa and e.get("operation") == "Update"
                    and not e.get("subresource") and e.get("apiVersion") == t.get("apiVersion")), None)
        fields = ssa.FSet.from_json(t.get("fieldsV1"))
        if src is not None:
            fields = fields.union(ssa.FSet.from_json(src.get("fieldsV1")))
        entries[target] = {**t, "fieldsV1": fields.to_json()}
        entries = [e for e in entries if not (e.get("manager") == csa and e.get("operation") == "Update"
                                              and not e.get("subresource"))]
        changed = True
    return entries if changed else None


def dry_apply(ctx, api, doc, kind):
    """diff --server-side (kubectl diff.go: the apply patch with dryRun=All): (live, merged).
    A conflict is the server's error, as kubectl diff prints it."""
    from minikctl.api import fieldmanager
    from minikctl.api.server import clone
    from minikctl.cli.cmd_apply import _target_ns

    cfg = doc.obj
    ns = _target_ns(ctx, cfg, kind)
    name = (cfg.get("metadata") or {}).get("name") or ""
    live = api.try_get(kind.plural, ns, name)
    live = clone(live) if live is not None else None
    manager = fieldmanager.cli_manager(("apply",), ctx.opts)
    _, merged = fieldmanager.apply(api, kind, ns, name, cfg, manager, bool(ctx.opts.get("force_conflicts")))
    return live, merged
