"""minikctl image: the image catalog (minikctl/images/catalog.yaml plus user images).

`image add -f FILE` validates and stores image definitions in the cluster's store, so a
teacher can describe an app that binds 127.0.0.1, starts slowly or lacks a shell; pods
created afterwards with that image behave accordingly.
"""

from __future__ import annotations

import json

from minikctl.api.errors import UsageError


def help(ctx) -> int:
    from minikctl.cli.commands import COMMANDS
    from minikctl.cli.help import command_help

    ctx.out.write(command_help(COMMANDS["image"], ["image"]))
    return 0


def _ports(img) -> str:
    listen = img.spec.get("listen")
    if listen == "containerPorts":
        return "<containerPorts>/http"
    out = []
    for item in listen or ():
        port = item.get("port")
        addr = item.get("address") or "0.0.0.0"
        where = f"{addr}:{port}" if addr not in ("0.0.0.0", "::") else str(port)
        out.append(f"{where}/{item.get('protocol') or 'http'}")
    return ",".join(out) or "<none>"


def _shells(img) -> str:
    have = {n for names in img.bin.values() for n in names}
    shells = [s for s in ("sh", "bash") if s in have]
    return ",".join(shells) or "<none>"


def list_(ctx) -> int:
    from minikctl.images import catalog

    fmt = ctx.opts.get("output") or ""
    if fmt not in ("", "wide", "yaml", "json", "name"):
        raise UsageError(f'unable to match a printer suitable for the output format "{fmt}", '
                         "allowed formats are: json,name,wide,yaml")
    store = ctx.session().store
    rows = []
    for name, source in catalog.names(store):
        img = catalog.resolve(store, name)
        rows.append((name, source, img))
    if fmt == "name":
        ctx.out.write("".join(f"image/{n}\n" for n, _, _ in rows))
        return 0
    if fmt in ("yaml", "json"):
        data = [{"name": n, "source": s, "description": img.spec.get("description", ""), "ports": _ports(img),
                 "shells": _shells(img), "startupSeconds": img.startup_seconds} for n, s, img in rows]
        if fmt == "json":
            ctx.out.write(json.dumps(data, indent=4) + "\n")
        else:
            from minikctl.printers.structured import to_yaml

            ctx.out.write(to_yaml(data))
        return 0
    headers = ["NAME", "SOURCE", "PORTS", "SHELLS"] + (["STARTUP", "DESCRIPTION"] if fmt == "wide" else [])
    table = [headers]
    for n, s, img in rows:
        row = [n, s, _ports(img), _shells(img)]
        if fmt == "wide":
            row += [f"{img.startup_seconds:g}s", img.spec.get("description", "")]
        table.append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for r in table:
        cells = [c.ljust(widths[i]) if i < len(r) - 1 else c for i, c in enumerate(r)]
        ctx.out.write("   ".join(cells).rstrip() + "\n")
    return 0


def show(ctx) -> int:
    from minikctl.images import catalog

    if len(ctx.args) != 1:
        raise UsageError("usage: minikctl image show NAME")
    store = ctx.session().store
    img = catalog.resolve(store, ctx.args[0])
    data = {"name": img.name, "source": img.source, "description": img.spec.get("description", ""),
            **{k: v for k, v in img.spec.items() if k not in ("from", "replace", "genericHttp", "description")}}
    if img.source == "generic":
        data["name"] = ctx.args[0]
        data["description"] = ("not in the catalog: a pull fails (ErrImagePull) unless the cluster was created with "
                               "--allow-unknown-images; then the generic behaviour (HTTP on the containerPorts the pod "
                               "declares; sh and the basic commands)")
    if ctx.opts.get("output") == "json":
        ctx.out.write(json.dumps(data, indent=4) + "\n")
    else:
        import yaml

        from minikctl.printers.structured import _dumper

        # the catalog's own order (name, description, then the fields as the YAML writes them)
        ctx.out.write(yaml.dump(data, Dumper=_dumper(), sort_keys=False, default_flow_style=False,
                                allow_unicode=True, width=1 << 30))
    return 0


def add(ctx) -> int:
    from minikctl.images import catalog

    files = ctx.opts.get("filename") or []
    if not files:
        raise UsageError("must specify -f FILE (a YAML file with an image, or images: [...])")
    defs = []
    for f in files:
        text = _read(f)
        defs += catalog.parse_file(text, "-" if f == "-" else f)
    session = ctx.session()
    with session.store.write():
        results = catalog.add(session.store, defs)
    for name, what in results:
        ctx.print(f"image/{name} {what}")
    return 0


def _read(path: str) -> str:
    import sys

    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise UsageError(f'the path "{path}" does not exist') from None
    except IsADirectoryError:
        raise UsageError(f'"{path}" is a directory: give the YAML file') from None
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read {path}: {e}") from None


def remove(ctx) -> int:
    from minikctl.images import catalog

    if len(ctx.args) != 1:
        raise UsageError("usage: minikctl image remove NAME")
    session = ctx.session()
    with session.store.write():
        catalog.remove(session.store, ctx.args[0])
    ctx.print(f"image/{ctx.args[0]} removed")
    return 0
