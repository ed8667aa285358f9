"""auth can-i | whoami: kubectl's SelfSubjectAccessReview / SelfSubjectRulesReview / SelfSubjectReview
clients (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go, whoami.go) over the emulated cluster's
RBAC authorizer (minikctl/api/rbac.py). The user is kind's kubeconfig user, kubernetes-admin in the
kubeadm:cluster-admins group, or the one --as/--as-group impersonate."""

from __future__ import annotations

from minikctl.api.errors import UsageError

# cani.go
RESOURCE_VERBS = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind",
                  "impersonate", "*", "approve", "sign", "escalate", "attest"}
NON_RESOURCE_VERBS = {"get", "put", "post", "head", "options", "delete", "patch", "*"}
NON_STANDARD_RESOURCES = {"users", "groups"}


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.err.write(command_help(COMMANDS["auth"], ["auth"]))  # DefaultSubCommandRun(streams.ErrOut)
    return 1  # cmdutil.DefaultSubCommandRun: the help, then exit 1 (kubectl 1.32)


def _user(ctx):
    from minikctl.api import rbac

    who = ctx.opts.get("as")
    groups = ctx.opts.get("as_group") or []
    if not who:
        if groups:
            # client-go transport/round_trippers.go NewImpersonatingRoundTripper (the user name is empty)
            raise UsageError("requesting uid, groups or user-extra for  without impersonating a user")
        return rbac.admin_user()
    return rbac.impersonate(who, list(groups))


def can_i(ctx) -> int:
    from minikctl.api import kinds as K
    from minikctl.api import rbac

    o = ctx.opts
    args = ctx.args
    lst, quiet, all_ns, sub = o.get("list"), o.get("quiet"), o.get("all_namespaces"), o.get("subresource") or ""
    warnings: list[str] = []
    verb = resource = group = name = path = ""
    kind = None
    if lst:
        if args:
            raise UsageError("list option must be specified with no arguments")
    else:
        if len(args) != 2:
            raise UsageError("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                             "See 'minikctl auth can-i -h' for help and examples.")
        verb = args[0]
        if args[1].startswith("/"):
            path = args[1]
        else:
            token, _, name = args[1].partition("/")
            if token == "*":
                resource = "*"
            else:
                low = token.lower()
                kind = K.resolve(low)
                if kind is not None and "." in low and low.split(".", 1)[1] not in (kind.group, f"{kind.version}.{kind.group}"):
                    kind = None
                if kind is None:  # the create-only review kinds discovery lists too (api/reviews.py)
                    from minikctl.api import reviews

                    kind = reviews.resolve(low)
                if kind is None:
                    res, _, grp = low.partition(".")
                    if low not in NON_STANDARD_RESOURCES:
                        warnings.append(f"the server doesn't have a resource type '{res}'" +
                                        (f" in group '{grp}'" if grp else ""))
                    resource = token
                else:
                    resource, group = kind.plural, kind.group
    namespace = "" if all_ns else ctx.namespace
    # Validate
    if lst:
        if quiet or all_ns or sub:
            raise UsageError("list option can't be specified with neither quiet, all-namespaces nor subresource options")
    else:
        if path:
            if sub:
                raise UsageError("--subresource can not be used with NonResourceURL")
            if verb not in NON_RESOURCE_VERBS:
                warnings.append(f"verb '{verb}' is not a known verb")
        elif resource:
            if kind is not None and not kind.namespaced and not all_ns:
                warnings.append(f"resource '{kind.plural}' is not namespace scoped" +
                                (f" in group '{kind.group}'" if kind.group else ""))
            if verb not in RESOURCE_VERBS:
                warnings.append(f"verb '{verb}' is not a known verb")
        if o.get("no_headers"):
            raise UsageError("--no-headers cannot be set without --list specified")
    user = _user(ctx)
    for w in warnings:
        # cani.go prints each with a "\n" of its own, after which WarningPrinter adds its newline: a blank
        # line follows every warning (as the real kubectl 1.32 prints it)
        ctx.warn(f"Warning: {w}\n")
    api = ctx.session().api
    if lst:
        return _list(ctx, api, user, namespace)
    if path:
        attrs = {"verb": verb, "path": path}
    else:
        attrs = {"verb": verb, "resource": resource, "group": group, "subresource": sub, "name": name,
                 "namespace": namespace}
    allowed, reason = rbac.authorize(api, user, attrs)
    if not quiet:
        ctx.out.write("yes\n" if allowed else "no" + (f" - {reason}" if reason else "") + "\n")
    return 0 if allowed else 1


def _list(ctx, api, user, namespace: str) -> int:
    from minikctl.api import rbac
    from minikctl.printers.table import tabwrite

    rules, incomplete, evaluation_error = rbac.subject_rules(api, user, namespace)
    if incomplete:  # cani.go printStatus: only an incomplete list is warned of (a node's, not RBAC's errors)
        ctx.warn(f"Warning: the list may be incomplete: {evaluation_error}")
    # SubjectRulesReviewStatus: resource rules first, then the non-resource ones (convertToPolicyRule)
    res = [r for r in rules if not r.get("nonResourceURLs")]
    nonres = [{"verbs": r.get("verbs"), "nonResourceURLs": r.get("nonResourceURLs")} for r in rules
              if r.get("nonResourceURLs")]
    lines = [] if ctx.opts.get("no_headers") else ["Resources\tNon-Resource URLs\tResource Names\tVerbs"]
    lines += ["\t".join(row) for row in rbac.rule_table(res + nonres)]
    ctx.out.write(tabwrite("\n".join(lines) + "\n", 6, 4, 3))
    return 0


def whoami(ctx) -> int:
    """whoami.go: a SelfSubjectReview answered with the request's user, as a table (or -o yaml|json)."""
    user = _user(ctx)
    out = ctx.opts.get("output") or ""
    ui: dict = {"username": user.name, "groups": list(user.groups)}
    if user.extra:
        ui["extra"] = user.extra
    if out in ("yaml", "json"):
        obj = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview",
               "metadata": {"creationTimestamp": None}, "status": {"userInfo": ui}}
        from minikctl.printers import structured

        # whoami.go prints the typed authenticationv1.SelfSubjectReview: JSON in its struct's field order
        ctx.out.write(structured.to_yaml(obj) if out == "yaml" else structured.to_json(obj, typed=True))
        return 0
    if out:
        raise UsageError(f'unable to match a printer suitable for the output format "{out}", allowed formats are: '
                         "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                         "templatefile,yaml")
    from minikctl.api.rbac import go_list
    from minikctl.printers.table import tabwrite

    lines = ["ATTRIBUTE\tVALUE", f"Username\t{user.name}"]
    if user.groups:
        lines.append(f"Groups\t{go_list(user.groups)}")
    for k in sorted(user.extra):
        lines.append(f"Extra: {k}\t{go_list(user.extra[k])}")
    ctx.out.write(tabwrite("\n".join(lines) + "\n", 6, 4, 3))
    return 0
