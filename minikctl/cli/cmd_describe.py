"""minikctl describe: kubectl describe's text for one or many objects, with their Events."""

from __future__ import annotations

from minikctl.api.errors import NotFound


def _related(api, kind: str, obj: dict) -> dict:
    meta = obj["metadata"]
    ns = meta.get("namespace", "")
    rel: dict = {}
    if kind == "Service":
        rel["endpoints"] = api.try_get("endpoints", ns, meta["name"])
    elif kind == "Deployment":
        rel["replicasets"] = api.list("replicasets", ns, owner_uid=meta["uid"])
    elif kind in ("ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet"):
        rel["pods"] = api.list("pods", ns, owner_uid=meta["uid"])
    elif kind == "PersistentVolumeClaim":  # the pods that mount it (getPodsForPVC)
        rel["pods"] = [p for p in api.list("pods", ns) if any(
            (v.get("persistentVolumeClaim") or {}).get("claimName") == meta["name"]
            for v in (p.get("spec") or {}).get("volumes") or () if isinstance(v, dict))]
    elif kind == "Node":
        rel["pods"] = api.list("pods", None, node=meta["name"])
    elif kind == "Ingress":
        eps = {}
        for rule in (obj.get("spec") or {}).get("rules") or []:
            for path in ((rule.get("http") or {}).get("paths") or []):
                name = (((path.get("backend") or {}).get("service")) or {}).get("name")
                if name and name not in eps:
                    eps[name] = api.try_get("endpoints", ns, name)
        default = (((obj.get("spec") or {}).get("defaultBackend") or {}).get("service") or {}).get("name")
        if default and default not in eps:
            eps[default] = api.try_get("endpoints", ns, default)
        rel["endpoints"] = eps
        rel["services"] = {n: api.try_get("services", ns, n) for n in eps}
    elif kind == "Namespace":  # describeNamespace: its quotas and limit ranges (issue 11, w-quota)
        rel["resourcequotas"] = api.list("resourcequotas", meta["name"])
        rel["limitranges"] = api.list("limitranges", meta["name"])
    elif kind == "ServiceAccount":
        refs = list(obj.get("secrets") or []) + list(obj.get("imagePullSecrets") or [])
        names = {r.get("name") for r in refs if isinstance(r, dict) and r.get("name")}
        rel["secret_names"] = {n for n in names if api.store.exists("secrets", ns, n)}
    return rel


def run(ctx) -> int:
    from minikctl.cli.resources import parse_targets

    o = ctx.opts
    if o.get("filename"):
        from minikctl.cli.manifests import targets_from_files

        targets = targets_from_files(ctx)
    else:
        targets = parse_targets(ctx.args)
    session = ctx.session()
    api = session.api
    all_ns = bool(o.get("all_namespaces"))
    selector = None
    if o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    from minikctl.printers.describe import describe

    now = session.clock.now()
    blocks: list[str] = []
    errors: list[str] = []
    hint_for: list[dict] = []  # services to diagnose after the output (on stderr: stdout stays kubectl's)
    for kind, names in targets:
        ns = None if all_ns else (ctx.namespace if kind.namespaced else None)
        if names is None:
            objs = api.list(kind.plural, ns, selector=selector)
        else:
            objs = []
            for n in names:
                ob = api.try_get(kind.plural, ctx.namespace, n)
                if ob is not None:
                    objs.append(ob)
                    continue
                # kubectl describe falls back to a name prefix match
                pref = [x for x in api.list(kind.plural, ns) if x["metadata"]["name"].startswith(n)]
                if pref:
                    objs += pref
                else:
                    errors.append(NotFound.of(kind.group_resource, n).render())
        for ob in objs:
            events = api.events_for(ob) if o.get("show_events", True) else None
            if events is not None and kind.kind == "Node" and ob["metadata"].get("uid") != ob["metadata"]["name"]:
                # describe.go NodeDescriber: the kubelet's events name the node as their uid
                events = events + api.store.owned_by(ob["metadata"]["name"], "events")
            blocks.append(describe(kind.kind, ob, events, now, _related(api, kind.kind, ob)))
            if kind.kind == "Service":
                hint_for.append(ob)
    if blocks:
        from minikctl.cli.term import describe_headings

        ctx.out.write(describe_headings(ctx.out, "\n\n\n".join(b.rstrip("\n") for b in blocks) + "\n"))
    elif not errors:
        if all_ns:
            ctx.warn("No resources found")
        else:
            ctx.warn(f"No resources found in {ctx.namespace} namespace.")
    for svc in hint_for:
        from minikctl.controllers.endpoints import diagnose

        for h in diagnose(api, svc):
            ctx.warn(f"hint: {h}")
    for e in errors:
        ctx.warn(e)
    return 1 if errors else 0
