"""cluster-info (kubectl/pkg/cmd/clusterinfo/clusterinfo.go)."""

from __future__ import annotations


def _join_scheme_name_port(scheme: str, name: str, port: str) -> str:
    """k8s.io/apimachinery/pkg/util/net JoinSchemeNamePort."""
    if scheme:
        return f"{scheme}:{name}:{port}"
    if port:
        return f"{name}:{port}"
    return name


def cluster_info(ctx) -> int:
    from minikctl.allocators.ranges import CIDR
    from minikctl.api import selectors
    from minikctl.cli import term

    if ctx.args:
        from minikctl.api.errors import UsageError

        raise UsageError(f'unknown command "{ctx.args[0]}" for "minikctl cluster-info"')
    session = ctx.session()
    api = session.api
    host = f"https://{CIDR(api.config['nodeNetwork']).nth(2)}:6443"
    ns = ctx.opts.get("namespace") or "kube-system"
    green = term.style(ctx.out, "green")
    yellow = term.style(ctx.out, "yellow")
    reset = term.style(ctx.out, "reset")

    def line(name: str, link: str) -> None:
        ctx.print(f"{green}{name}{reset} is running at {yellow}{link}{reset}")

    line("Kubernetes control plane", host)
    for svc in api.list("services", ns, selector=selectors.parse("kubernetes.io/cluster-service=true")):
        meta, spec = svc["metadata"], svc.get("spec") or {}
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        if ingress:
            ip = ingress[0].get("ip") or ingress[0].get("hostname") or ""
            link = "".join(f"http://{ip}:{p.get('port')} " for p in spec.get("ports") or [])
        else:
            name = meta["name"]
            ports = spec.get("ports") or []
            if ports:
                port = ports[0]
                scheme = "https" if port.get("name") == "https" or port.get("port") == 443 else ""
                name = _join_scheme_name_port(scheme, meta["name"], port.get("name") or "")
            link = f"{host}/api/v1/namespaces/{meta.get('namespace')}/services/{name}/proxy"
        line((meta.get("labels") or {}).get("kubernetes.io/name") or meta["name"], link)
    ctx.print()
    ctx.print("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
    return 0
