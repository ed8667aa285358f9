"""minikctl serve: a Kubernetes 1.32 API server over this cluster's store (issue 14; the server
itself is minikctl.apiserver, which needs the optional extra minikctl[server])."""

from __future__ import annotations


def run(ctx) -> int:
    from minikctl.api.errors import UsageError

    if ctx.args:
        raise UsageError(f"unknown command \"{' '.join(ctx.args)}\" for \"minikctl serve\"")
    o = ctx.opts
    port = o.get("port")
    try:
        port = int(port if port is not None else 6443)
    except (TypeError, ValueError):
        raise UsageError(f'invalid argument "{port}" for "--port" flag: strconv.ParseInt: parsing "{port}": '
                         "invalid syntax") from None
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {port}")
    from minikctl.apiserver.auth import parse_users

    users = parse_users(o.get("users"))
    from minikctl.apiserver.app import serve

    return serve(o.get("state"), o.get("address") or "127.0.0.1", port, o.get("kubeconfig_out"),
                 bool(o.get("insecure_http")), ctx.out, ctx.err, users=users,
                 merge=bool(o.get("merge_kubeconfig")))
