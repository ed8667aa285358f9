"""minikctl config ...: the contexts file, as kubectl 1.32's `config` commands print and change a
kubeconfig (staging/src/k8s.io/kubectl/pkg/cmd/config/*.go). The file and how a context selects
a store: minikctl.store.contexts."""

from __future__ import annotations

from minikctl.api.errors import UsageError
from minikctl.store import contexts as C

# get_contexts.go: printers.GetNewTabWriter (tabwriter minwidth 6, padding 3)
_TABLE_MINWIDTH, _TABLE_PADDING = 6, 3


class _Lines(UsageError):
    def render(self) -> str:
        return str(self)


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.err.write(command_help(COMMANDS["config"], ["config"]))  # DefaultSubCommandRun(streams.ErrOut)
    return 1  # cmdutil.DefaultSubCommandRun: the help, then exit 1 (kubectl 1.32)


def _usage_error(ctx, name: str, args: list[str]) -> UsageError:
    """kubectl prints the subcommand's help, then `error: Unexpected args: [...]` (exit 1)."""
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS["config"].subcommands[name], ["config", name]))
    return UsageError(f"Unexpected args: [{' '.join(args)}]")


# ------------------------------------------------------------------------------ reading
def current_context(ctx) -> int:
    """current_context.go: the file's current-context (--context does not change it)."""
    cfg = C.load()
    if not cfg["current-context"]:
        raise UsageError("current-context is not set")
    ctx.print(cfg["current-context"])
    return 0


def get_contexts(ctx) -> int:
    """get_contexts.go: a tab-written table sorted by name, `*` on the file's current context."""
    fmt = ctx.opts.get("output") or ""
    if fmt not in ("", "name"):
        raise UsageError(f"--output {fmt} is not available in minikctl config get-contexts; "
                         "resetting to default output format")
    cfg = C.load()
    wanted = ctx.args
    rows = []
    missing = []
    if wanted:
        for name in wanted:
            c = C.find(cfg, "contexts", name)
            if c is None:
                missing.append(name)
            else:
                rows.append(c)
        rows.sort(key=lambda c: c["name"])
    else:
        rows = list(cfg["contexts"])
    if fmt == "name":
        for c in rows:
            ctx.print(c["name"])
    else:
        table = [] if ctx.opts.get("no_headers") else [("CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE")]
        for c in rows:
            body = c["context"]
            table.append(("*" if c["name"] == cfg["current-context"] else "", c["name"], str(body.get("cluster") or ""),
                          str(body.get("user") or ""), str(body.get("namespace") or "")))
        if table:
            widths = [max(_TABLE_MINWIDTH, max(len(r[i]) for r in table) + _TABLE_PADDING) for i in range(4)]
            for r in table:
                ctx.print("".join(r[i].ljust(widths[i]) for i in range(4)) + r[4])
    if missing:
        if len(missing) == 1:
            raise UsageError(f"context {missing[0]} not found")
        # cmdutil.CheckErr prints an aggregate of several errors one a line, with no `error: `
        raise _Lines("\n".join(f"context {n} not found" for n in missing))
    return 0


def get_clusters(ctx) -> int:
    """get_clusters.go (kubectl prints them in Go map order; here sorted)."""
    ctx.print("NAME")
    for c in C.load()["clusters"]:
        ctx.print(c["name"])
    return 0


def get_users(ctx) -> int:
    """get_users.go: sorted."""
    ctx.print("NAME")
    for u in C.load()["users"]:
        ctx.print(u["name"])
    return 0


def _redact(cfg: dict) -> None:
    """view.go: without --raw, certificate and key data is shown as DATA+OMITTED (clientcmdapi.
    ShortenConfig), a token or password as REDACTED (RedactSecrets)."""
    for c in cfg["clusters"]:
        if c["cluster"].get("certificate-authority-data"):
            c["cluster"]["certificate-authority-data"] = "DATA+OMITTED"
    for u in cfg["users"]:
        body = u["user"]
        for k in ("client-certificate-data", "client-key-data"):
            if body.get(k):
                body[k] = "DATA+OMITTED"
        for k in ("token", "password"):
            if body.get(k):
                body[k] = "REDACTED"


def _minify(cfg: dict) -> dict:
    """clientcmdapi.MinifyConfig: the current context, its cluster and its user only."""
    name = C.selected() or cfg["current-context"]
    if not name:
        raise UsageError("current-context must exist in order to minify")
    c = C.find(cfg, "contexts", name)
    if c is None:
        raise UsageError(f"cannot locate context {name}")
    out = C.empty()
    out["preferences"] = cfg["preferences"]
    out["current-context"] = name
    out["contexts"] = [c]
    cluster, user = str(c["context"].get("cluster") or ""), str(c["context"].get("user") or "")
    if cluster:
        found = C.find(cfg, "clusters", cluster)
        if found is None:
            raise UsageError(f"cannot locate cluster {cluster}")
        out["clusters"] = [found]
    if user:
        found = C.find(cfg, "users", user)
        if found is None:
            raise UsageError(f"cannot locate user {user}")
        out["users"] = [found]
    return out


def view(ctx) -> int:
    """view.go: the config as kubectl's printers show a v1.Config (YAML by default)."""
    o = ctx.opts
    merge = str(o.get("merge") if o.get("merge") is not None else "true").lower()
    if merge not in ("true", "false", "1", "0", "t", "f"):
        raise UsageError(f'invalid argument "{o.get("merge")}" for "--merge" flag: strconv.ParseBool: '
                         f'parsing "{o.get("merge")}": invalid syntax'
                         "\nSee 'minikctl config view --help' for usage.")
    cfg = C.load()
    if o.get("minify"):
        cfg = _minify(cfg)
    if not o.get("raw") and not o.get("flatten"):  # view.go: --flatten keeps the data as --raw does
        _redact(cfg)
    data = C.v1(cfg)
    from minikctl.printers import output

    fmt = output.output_format(ctx) or "yaml"
    head = fmt.partition("=")[0]
    if output.kind_of(fmt, ctx) in ("go-template", "jsonpath", None):
        output.check(ctx)  # kubectl's words for a format, template or file it cannot use
    if fmt == "yaml":
        from minikctl.printers.structured import to_yaml

        ctx.out.write(to_yaml(data))
    elif fmt == "json":
        import json

        from minikctl.printers.structured import go_escape

        ctx.out.write(go_escape(json.dumps(data, indent=4, ensure_ascii=False)) + "\n")
    elif fmt == "name":
        ctx.print("config/<unknown>")
    elif output.kind_of(fmt, ctx) in ("jsonpath", "go-template"):
        from minikctl.printers import template

        ctx.out.write(template.render(output.normalized(fmt, ctx), data, ctx))
    else:
        raise UsageError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                         "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
                         "template,templatefile,yaml")
    return 0


# ------------------------------------------------------------------------------ changing
def use_context(ctx) -> int:
    """use.go."""
    if len(ctx.args) != 1:
        raise _usage_error(ctx, "use-context", ctx.args)
    name = ctx.args[0]
    cfg = C.load()
    if C.find(cfg, "contexts", name) is None:
        raise UsageError(f'no context exists with the name: "{name}"')
    cfg["current-context"] = name
    C.save(cfg)
    ctx.print(f'Switched to context "{name}".')
    return 0


def _upsert(cfg: dict, key: str, inner: str, name: str) -> tuple[dict, bool]:
    found = C.find(cfg, key, name)
    if found is not None:
        return found[inner], True
    item = {"name": name, inner: {}}
    cfg[key].append(item)
    cfg[key].sort(key=lambda x: x["name"])
    return item[inner], False


def set_context(ctx) -> int:
    """create_context.go: NAME or --current; --cluster, --user, --namespace set only when given."""
    o = ctx.opts
    if len(ctx.args) > 1:
        raise _usage_error(ctx, "set-context", ctx.args)
    name = ctx.args[0] if ctx.args else ""
    cfg = C.load()
    if o.get("current"):
        if name:
            raise UsageError("you cannot specify both a context name and --current")
        if not cfg["current-context"]:
            raise UsageError("no current context is set")
        name = cfg["current-context"]
    elif not name:
        raise UsageError("you must specify a non-empty context name or --current")
    body, existed = _upsert(cfg, "contexts", "context", name)
    for dest, key in (("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")):
        if o.get(dest) is not None and (dest != "namespace" or dest in ctx.p.flags_seen):
            body[key] = o[dest]
    C.save(cfg)
    ctx.print(f'Context "{name}" {"modified" if existed else "created"}.')
    return 0


def rename_context(ctx) -> int:
    """rename_context.go."""
    if len(ctx.args) != 2:
        raise _usage_error(ctx, "rename-context", ctx.args)
    old, new = ctx.args
    path = C.config_path()
    cfg = C.load()
    item = C.find(cfg, "contexts", old)
    if item is None:
        raise UsageError(f'cannot rename the context "{old}", it\'s not in {path}')
    if C.find(cfg, "contexts", new) is not None:
        raise UsageError(f'cannot rename the context "{old}", the context "{new}" already exists in {path}')
    item["name"] = new
    cfg["contexts"].sort(key=lambda x: x["name"])
    if cfg["current-context"] == old:
        cfg["current-context"] = new
    C.save(cfg)
    ctx.print(f'Context "{old}" renamed to "{new}".')
    return 0


def _delete(ctx, key: str, what: str) -> int:
    """delete_context.go, delete_cluster.go, delete_user.go: with no NAME, the help (exit 0)."""
    if len(ctx.args) != 1:
        if not ctx.args:
            from minikctl.cli.commands import COMMANDS
            from minikctl.cli.help import command_help

            name = f"delete-{what}"
            ctx.out.write(command_help(COMMANDS["config"].subcommands[name], ["config", name]))
            return 0
        raise _usage_error(ctx, f"delete-{what}", ctx.args)
    name = ctx.args[0]
    path = C.config_path()
    cfg = C.load()
    if C.find(cfg, key, name) is None:
        raise UsageError(f"cannot delete {what} {name}, not in {path}")
    if what == "context" and cfg["current-context"] == name:
        ctx.err.write('warning: this removed your active context, use "minikctl config use-context" '
                      "to select a different one\n")
    cfg[key] = [x for x in cfg[key] if x["name"] != name]
    C.save(cfg)
    ctx.print(f"deleted {what} {name} from {path}")
    return 0


def delete_context(ctx) -> int:
    return _delete(ctx, "contexts", "context")


def delete_cluster(ctx) -> int:
    return _delete(ctx, "clusters", "cluster")


def delete_user(ctx) -> int:
    return _delete(ctx, "users", "user")


def set_cluster(ctx) -> int:
    """create_cluster.go: `Cluster "NAME" set.`; the server of a minikctl cluster is its store file."""
    if len(ctx.args) != 1:
        raise _usage_error(ctx, "set-cluster", ctx.args)
    name = ctx.args[0]
    server = ctx.opts.get("server")
    if server is not None and server and not server.startswith(C.FILE_SCHEME):
        raise UsageError(f'--server must name a store file as file:///PATH/TO/STORE.db: minikctl has no API server '
                         f'to reach at "{server}"')
    cfg = C.load()
    body, _ = _upsert(cfg, "clusters", "cluster", name)
    if server is not None:
        body["server"] = server
    C.save(cfg)
    ctx.print(f'Cluster "{name}" set.')
    return 0


def set_credentials(ctx) -> int:
    """create_authinfo.go: `User "NAME" set.` (minikctl has no authentication: the entry is empty)."""
    if len(ctx.args) != 1:
        raise _usage_error(ctx, "set-credentials", ctx.args)
    name = ctx.args[0]
    o = ctx.opts
    if o.get("token") and (o.get("username") or o.get("password")):
        raise UsageError("you cannot specify more than one authentication method at the same time: "
                         "--token, --username/--password")
    cfg = C.load()
    body, _ = _upsert(cfg, "users", "user", name)
    for dest, key in (("client_certificate", "client-certificate"), ("client_key", "client-key"),
                      ("token", "token"), ("username", "username"), ("password", "password")):
        if o.get(dest) is not None:  # create_authinfo.go modifyAuthInfo: a flag given sets (or, empty, clears)
            if o[dest]:
                body[key] = o[dest]
            else:
                body.pop(key, None)
    set_token = bool(o.get("token"))
    set_basic = bool(o.get("username") or o.get("password"))
    if set_token or set_basic:  # "make sure any other existing auth types are cleared"
        for key in (() if set_token else ("token",)) + (() if set_basic else ("username", "password")):
            body.pop(key, None)
    C.save(cfg)
    ctx.print(f'User "{name}" set.')
    return 0


# ------------------------------------------------------------------------------ set / unset (issue 12, w-parity)
# set.go, unset.go, navigation_step_parser.go: PROPERTY_NAME is dot-delimited through the v1 Config's
# json names; clusters/contexts/users are maps whose keys are the entries' names (a name may hold dots).
_ENTRY = {"clusters": "cluster", "contexts": "context", "users": "user"}
_FIELDS = {
    "cluster": {"server": "str", "tls-server-name": "str", "insecure-skip-tls-verify": "bool",
                "certificate-authority": "str", "certificate-authority-data": "bytes", "proxy-url": "str",
                "disable-compression": "bool"},
    "context": {"cluster": "str", "user": "str", "namespace": "str"},
    "user": {"client-certificate": "str", "client-certificate-data": "bytes", "client-key": "str",
             "client-key-data": "bytes", "token": "str", "tokenFile": "str", "as": "str", "as-uid": "str",
             "username": "str", "password": "str"},
}


def _navigate(cfg: dict, prop: str) -> tuple[str, str | None, str | None]:
    """(top-level field or section, entry name, field in the entry)."""
    steps = prop.split(".")
    head = steps[0]
    if head == "current-context" and len(steps) == 1:
        return head, None, None
    if head not in _ENTRY and head not in ("current-context", "preferences", "extensions"):
        # navigation_step_parser.go: no field of the Config struct has that json name
        raise UsageError(f"unable to parse {prop} after [] at api.Config")
    if head not in _ENTRY or len(steps) < 2:
        raise UsageError(f"unable to locate path {prop}")
    rest = steps[1:]
    known = _FIELDS[_ENTRY[head]]
    # findNameStep: the name runs up to the first step (after its first) that is a field name
    cut = next((i for i in range(1, len(rest)) if rest[i] in known), len(rest))
    name, field = ".".join(rest[:cut]), rest[cut:]
    if len(field) > 1 or (field and field[0] not in _FIELDS[_ENTRY[head]]):
        raise UsageError(f"unable to locate path {'.'.join(field)}")
    return head, name, field[0] if field else None


def set_(ctx) -> int:
    """set.go: `Property "NAME" set.`"""
    if len(ctx.args) != 2:
        raise _usage_error(ctx, "set", ctx.args)
    prop, value = ctx.args
    cfg = C.load()
    head, name, field = _navigate(cfg, prop)
    if head == "current-context":
        cfg["current-context"] = value
    else:
        if field is None:
            raise UsageError(f"can't set a map to a value: {value}")
        body, _ = _upsert(cfg, head, _ENTRY[head], name)
        kind = _FIELDS[_ENTRY[head]][field]
        if kind == "bool":
            low = value.lower()
            if value not in ("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"):
                raise UsageError(f'strconv.ParseBool: parsing "{value}": invalid syntax')
            body[field] = low in ("1", "t", "true")
        elif kind == "bytes" and str(ctx.opts.get("set_raw_bytes")) in ("1", "t", "T", "true", "TRUE", "True"):
            import base64

            body[field] = base64.b64encode(value.encode()).decode()
        else:
            body[field] = value
    C.save(cfg)
    ctx.print(f'Property "{prop}" set.')
    return 0


def unset(ctx) -> int:
    """unset.go: `Property "NAME" unset.`"""
    if len(ctx.args) != 1:
        raise _usage_error(ctx, "unset", ctx.args)
    prop = ctx.args[0]
    cfg = C.load()
    head, name, field = _navigate(cfg, prop)
    if head == "current-context":
        cfg["current-context"] = ""
    else:
        entry = C.find(cfg, head, name)
        if entry is None:
            raise UsageError(f"current map key `{name}` is invalid")
        if field is None:
            cfg[head] = [x for x in cfg[head] if x["name"] != name]
        else:
            entry[_ENTRY[head]].pop(field, None)
    C.save(cfg)
    ctx.print(f'Property "{prop}" unset.')
    return 0
