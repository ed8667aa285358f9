"""minikctl scale: kubectl's scale (staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go and
pkg/scale): set spec.replicas of deployments, replica sets, replication controllers
(through their scale subresource), with the --current-replicas and --resource-version
preconditions. The controllers then create or delete pods in the same command."""

from __future__ import annotations

from minikctl.api.errors import Conflict, NotFound, UsageError

SCALABLE = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")


class PreconditionError(UsageError):
    """scale.PreconditionError."""


def _targets(ctx):
    from minikctl.cli.resources import parse_targets, resolve_kind

    o = ctx.opts
    if o.get("filename"):
        from minikctl.cli.manifests import load

        out = []
        for doc, _ in load(ctx):
            kind = resolve_kind(doc.obj.get("kind", ""))
            meta = doc.obj.get("metadata") or {}
            out.append((kind, [meta.get("name", "")], meta.get("namespace")))
        return out
    if not ctx.args:
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    out = []
    for kind, names in parse_targets(ctx.args, allow_all=False):
        if names is None and not o.get("selector") and not o.get("all"):
            raise UsageError("resource(s) were provided, but no name was specified")
        out.append((kind, names, None))
    return out


INT32_MAX = 2**31 - 1


def _scale_json(kind, obj: dict, replicas: int) -> str:
    """The Scale the API server patches (pkg/registry/apps/deployment/storage scaleFromDeployment
    and its ReplicaSet and ReplicationController twins), after kubectl's merge patch
    {"spec":{"replicas":N}}: evanphx/json-patch re-marshals the patched levels with sorted
    keys and keeps the others as they were encoded."""
    import json

    from minikctl.api import selectors

    meta, spec = obj["metadata"], obj.get("spec") or {}
    if kind.kind == "ReplicationController":
        selector = selectors.format_map(spec.get("selector") or {})
    else:
        sel = selectors.from_label_selector(spec.get("selector"))
        sel.reqs.sort(key=lambda r: r.key)  # labels.Selector keeps its requirements by key
        selector = str(sel)
    scale_meta = {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in meta}
    doc = {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": scale_meta, "spec": {"replicas": replicas},
           "status": {"replicas": int((obj.get("status") or {}).get("replicas") or 0), "selector": selector}}
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def _int32_replicas(kind, obj: dict, replicas: int, preconditions: bool) -> int:
    """--replicas is an int flag (64 bits) but Scale's spec.replicas an int32. Without
    preconditions kubectl sends the merge patch {"spec":{"replicas":N}} and the API server
    cannot decode the patched Scale; with --current-replicas or --resource-version it sends
    the whole Scale with int32(N) (pkg/scale/scale.go ScaleSimple), which wraps around."""
    from minikctl.api.errors import Invalid, invalid

    if not preconditions:
        from minikctl.cli.cmd_patch import RequestInvalidPatch
        from minikctl.printers.template import go_quote

        raise RequestInvalidPatch(f"patch: Invalid value: {go_quote(_scale_json(kind, obj, replicas))}: json: cannot "
                                  f"unmarshal number {replicas} into Go struct field ScaleSpec.spec.replicas of type int32")
    wrapped = (replicas + 2**31) % 2**32 - 2**31
    if wrapped < 0:  # ValidateScale: ValidateNonnegativeField
        raise Invalid("Scale", obj["metadata"]["name"],
                      [invalid("spec.replicas", wrapped, "must be greater than or equal to 0")])
    return wrapped


def run(ctx) -> int:
    from minikctl.cli.cmd_apply import _dry, _emit, _print_api_warnings, check_printer

    o = ctx.opts
    if o.get("replicas") is None:
        raise UsageError('required flag(s) "replicas" not set')
    if o["replicas"] < 0:
        raise UsageError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    dry = _dry(ctx)
    check_printer(ctx)  # PrintFlags.ToPrinter (in Complete): before anything is done
    targets = _targets(ctx)
    selector = None
    if o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api:
        api.field_subresource = "scale"  # issue 14 (w-ssa): kubectl scale writes the scale subresource
        for kind, names, file_ns in targets:
            ns = file_ns or ctx.namespace
            if names is None:
                objs = api.list(kind.plural, ns, selector=selector)
            else:
                objs = [api.get(kind.plural, ns, n) for n in names] if len(names) > 1 else []
                if len(names) == 1:  # scale.go: the builder's error follows "no objects passed to scale"
                    one = api.try_get(kind.plural, ns, names[0])
                    if one is None:
                        raise UsageError("no objects passed to scale "
                                         + NotFound.of(kind.group_resource, names[0]).message)
                    objs = [one]
            if not objs:
                raise UsageError("no objects passed to scale")
            for obj in objs:
                if dry == "client":  # scale.go: with --dry-run=client the object is printed as it was read
                    results.append((obj, "scaled"))  # (the scale subresource is not asked for: any kind)
                    continue
                if kind.kind not in SCALABLE:
                    # no scale subresource on this kind
                    raise NotFound("the server could not find the requested resource")
                spec = obj.setdefault("spec", {})
                current = spec.get("replicas", 1) if spec.get("replicas") is not None else 1
                if o.get("current_replicas", -1) is not None and o.get("current_replicas", -1) >= 0 \
                        and current != o["current_replicas"]:
                    raise PreconditionError(f"Expected replicas to be {o['current_replicas']}, was {current}")
                if o.get("resource_version") and obj["metadata"].get("resourceVersion") != o["resource_version"]:
                    raise Conflict.of(kind.group_resource, obj["metadata"]["name"])
                replicas = o["replicas"]
                if replicas > INT32_MAX and dry != "client":
                    replicas = _int32_replicas(kind, obj, replicas, bool(o.get("resource_version")) or
                                               (o.get("current_replicas") is not None and o["current_replicas"] >= 0))
                spec["replicas"] = replicas
                results.append((api.update(obj, check_rv=False), "scaled"))
    _emit(ctx, results, dry)
    if dry != "client":
        _print_api_warnings(ctx, session)
    return 0
