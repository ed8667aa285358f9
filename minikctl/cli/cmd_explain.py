"""explain and api-versions: what the emulated API server's discovery and /openapi/v3 would tell kubectl.

kubectl 1.32 staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go (Complete, Validate, Run),
pkg/explain/explain.go (SplitAndParseResourceRequest[WithMatchingPrefix]) and pkg/explain/v2 (the template,
ported in minikctl/printers/explain.py); pkg/cmd/apiresources/apiversions.go.
"""

from __future__ import annotations

from minikctl.api.errors import MinikctlError, UsageError


class _Plain(MinikctlError):
    """An error kubectl prints without adding ``error: `` (its message has it already, or never had it)."""

    def render(self) -> str:
        return str(self)


# Group-versions kube-apiserver 1.32 serves by default beside the preferred one a kind is registered with
# (pkg/controlplane/apiserver/options, DefaultAPIResourceConfigSource): autoscaling/v1 next to autoscaling/v2.
_ALSO_SERVED = {"autoscaling/v2": ("autoscaling/v1",)}


def served_group_versions() -> set[str]:
    """What discovery lists (``api-versions``): the group/versions of the served kinds."""
    from minikctl.api import kinds as K

    gvs = {k.api_version for k in K.KINDS}
    return gvs.union(*(_ALSO_SERVED.get(gv, ()) for gv in gvs))


def served_paths() -> set[str]:
    """The /openapi/v3 paths the emulated API server serves: one per served group-version."""
    from minikctl.api.openapi import gv_path

    return {gv_path(*gv.rpartition("/")[::2]) for gv in served_group_versions()}


def _resource_for(resource: str):
    """The RESTMapper's ResourcesFor(Resource: resource) over the served kinds (case-insensitive plural,
    singular or short name), with kubectl explain's error when nothing matches."""
    from minikctl.api import kinds as K

    k = K.resolve(resource) if "." not in resource else None
    if k is None:
        raise _Plain(f'the server doesn\'t have a resource type "{resource}"')
    return k


def _jsonpath_nodes(text: str) -> list:
    """pkg/explain/explain.go jsonPathParse: the nodes of ``{.<text>}`` (a trailing period removed)."""
    from minikctl.printers.template import JSONPathError, parse

    text = text[:-1] if text.endswith(".") else text
    try:
        root = parse("{." + text + "}")
    except JSONPathError as e:
        raise UsageError(str(e)) from None
    if len(root) != 1 or root[0][0] != "list":
        raise UsageError("must pass in 1 jsonpath string")
    return root[0][1]


def split_resource_request(arg: str, matching_prefix: bool):
    """(kind, field path) of ``pods.spec.containers``, ``deployments.apps.spec``, ``deploy.spec``."""
    nodes = _jsonpath_nodes(arg)
    if not nodes or nodes[0][0] != "field":
        raise UsageError("invalid jsonpath syntax, first node must be field node")
    kind = _resource_for(nodes[0][1])
    if not matching_prefix:  # SplitAndParseResourceRequest (with --api-version)
        fields = []
        for n in nodes[1:]:
            if n[0] != "field":
                raise UsageError("invalid jsonpath syntax, all nodes must be field nodes")
            fields.append(n[1])
        return kind, fields
    # SplitAndParseResourceRequestWithMatchingPrefix: strip the group/resource (deployments.apps) when the
    # argument starts with it, else take the fields after the first node
    gr = kind.group_resource
    if arg.startswith(gr):
        suffix = arg[len(gr):]
        rest = _jsonpath_nodes(suffix)[1:] if suffix else []
    else:
        rest = nodes[1:]
    fields = []
    for n in rest:
        if n[0] != "field":
            raise UsageError("invalid jsonpath syntax, first node must be field node")
        fields.append(n[1])
    return kind, fields


def _parse_group_version(gv: str) -> tuple[str, str]:
    """apimachinery schema.ParseGroupVersion."""
    if not gv or gv == "/":
        return "", ""
    if gv.count("/") == 0:
        return "", gv
    if gv.count("/") == 1:
        g, _, v = gv.partition("/")
        return g, v
    raise UsageError(f"unexpected GroupVersion string: {gv}")


def explain(ctx) -> int:
    args = ctx.args
    if not args:
        raise UsageError('You must specify the type of resource to explain. Use "minikctl api-resources" for a '
                         "complete list of supported resources.")
    if len(args) > 1:
        raise UsageError("We accept only this format: explain RESOURCE")
    api_version = ctx.opts.get("api_version") or ""
    kind, fields = split_resource_request(args[0], matching_prefix=not api_version)
    fmt = ctx.opts.get("output")
    fmt = "plaintext" if fmt is None else fmt
    if fmt == "plaintext-openapiv2":
        raise UsageError("--output=plaintext-openapiv2 is not supported: minikctl's API server serves the "
                         "OpenAPI v3 schema only (use the default --output=plaintext)")
    group, version = kind.group, kind.version
    if api_version:
        group, version = _parse_group_version(api_version)
    from minikctl.api import openapi

    path = openapi.gv_path(group, version)
    doc = openapi.document(path) if path in served_paths() else None
    if doc is None:
        raise UsageError(f'couldn\'t find resource for "{group}/{version}, Resource={kind.plural}"')
    if fmt != "plaintext":
        raise UsageError(f"unrecognized format: {fmt}")
    from minikctl.printers.explain import ExplainError, render

    try:
        text = render(doc, group, version, kind.plural, fields, bool(ctx.opts.get("recursive")))
    except ExplainError as e:
        # kubectl's template writes to stdout as it runs: what came before the error is printed
        ctx.out.write(e.partial)
        raise _Plain(str(e)) from None
    ctx.out.write(text)
    return 0


def api_versions(ctx) -> int:
    """pkg/cmd/apiresources/apiversions.go: the group/versions of the served kinds, sorted (sort.Strings)."""
    if ctx.args:
        raise UsageError(f"unexpected arguments: [{' '.join(ctx.args)}]\n"
                         "See 'minikctl api-versions -h' for help and examples")
    from minikctl.api import reviews

    for gv in sorted(served_group_versions() | {k.api_version for k in reviews.KINDS}):  # + the reviews' groups
        ctx.print(gv)
    return 0
