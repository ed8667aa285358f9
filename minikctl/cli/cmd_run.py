"""minikctl run: kubectl 1.32's `run` (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go and the
run-pod/v1 generator in pkg/generate/versioned/run.go): a Pod labelled run=NAME.

With --replicas (or --generator=deployment/apps.v1) it makes a Deployment the way
kubectl up to 1.17 did (its default generator for restartPolicy Always), which is what
older tutorials such as the seed's `kubectl run cyberchef --image=... --replicas=3`
expect; kubectl 1.18+ no longer has --replicas (1.32: `error: unknown flag: --replicas`), which
the notice says, with the 1.32 command line (minikctl.cli.seed_forms). `--labels` tolerates
spaces after the commas (the seed writes "ver=1, env=dev").
"""

from __future__ import annotations

import json
import re

from minikctl.api.server import clone
from minikctl.api.errors import UsageError

GENERATOR_DEPRECATED = "Flag --generator has been deprecated, has no effect and will be removed in the future."
GENERATORS = ("run-pod/v1", "deployment/apps.v1")

# github.com/distribution/reference ReferenceRegexp (anchored)
_COMP = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(rf"^(?:{_DOMAIN}/)?{_COMP}(?:/{_COMP})*(?::[\w][\w.-]{{0,127}})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{{32,}})?$")


def parse_labels(spec: str) -> dict[str, str]:
    """generate.ParseLabels, but forgiving about spaces around the commas ("ver=1, env=dev")."""
    out: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        parts = item.split("=")
        if len(parts) != 2:
            raise UsageError(f"unexpected label spec: {item}")
        k, v = parts[0].strip(), parts[1].strip()
        if not k:
            raise UsageError("unexpected empty label key")
        out[k] = v
    return out


def parse_env(items: list[str]) -> list[dict]:
    """run.go parseEnvs: NAME=VALUE, the name a valid environment variable name."""
    out = []
    for item in items:
        if "=" not in item:
            raise UsageError(f"invalid env: {item}")
        k, _, v = item.partition("=")
        if not k or not re.fullmatch(r"[-._a-zA-Z][-._a-zA-Z0-9]*", k):
            raise UsageError(f"invalid env: {item}")
        out.append({"name": k, "value": v})
    return out


def _annotations(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        k, sep, v = item.partition("=")
        if not sep or not k:
            raise UsageError(f"invalid annotation spec: {item}")
        out[k] = v
    return out


_GO_TYPEMETA = ('struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
                 'Kind string "json:\\"kind,omitempty\\"" }')


def overrides_patch(text: str) -> dict:
    """--overrides as cmdutil.Merge reads it: JSON that is not an object is refused as kubectl
    refuses it (an array fails yaml.Unmarshal into TypeMeta first; anything else is an invalid patch)."""
    try:
        patch = json.loads(text)
    except ValueError:
        raise UsageError("Invalid JSON Patch") from None
    if isinstance(patch, list):
        raise UsageError("couldn't get version/kind; json parse error: json: cannot unmarshal array into Go "
                         f"value of type {_GO_TYPEMETA}")
    if not isinstance(patch, dict):
        raise UsageError("Invalid JSON Patch")
    return patch


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch (kubectl --overrides with --override-type=merge)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = merge_patch(result.get(k), v)
    return result


def _port(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise UsageError(f'strconv.Atoi: parsing "{value}": invalid syntax') from None


def build_container(name: str, o: dict, args: list[str]) -> dict:
    c: dict = {}
    if args:
        c["command" if o.get("command") else "args"] = list(args)
    if o.get("env"):
        c["env"] = parse_env(o["env"])
    c["image"] = o["image"]
    if o.get("image_pull_policy"):
        c["imagePullPolicy"] = o["image_pull_policy"]
    c["name"] = name
    port = _port(o.get("port"))
    if port is not None and port != -1:
        c["ports"] = [{"containerPort": port}]
    c["resources"] = {}
    if o.get("privileged"):
        c["securityContext"] = {"privileged": True}
    if o.get("stdin"):
        c["stdin"] = True
        c["stdinOnce"] = True
    if o.get("tty"):
        c["tty"] = True
    return c


def run(ctx) -> int:
    from minikctl.cli.cmd_apply import LAST_APPLIED, _dry, _emit, _last_applied, _print_api_warnings, check_printer

    o = ctx.opts
    if not o.get("image"):
        raise UsageError('required flag(s) "image" not set')
    if not ctx.args:
        raise UsageError("NAME is required for run")
    name = ctx.args[0]
    args = list(ctx.args[1:]) + list(ctx.p.dash_args or [])
    dry = _dry(ctx)
    check_printer(ctx)  # PrintFlags.ToPrinter: before anything is written
    image = o["image"]
    if not _REFERENCE.match(image):
        raise UsageError(f'Invalid image name "{image}": invalid reference format')
    if o.get("tty") and not o.get("stdin"):
        raise UsageError("-i/--stdin is required for containers with -t/--tty=true\nSee 'minikctl run -h' for help and examples")  # run.go: cmdutil.UsageErrorf
    if o.get("expose") and not o.get("port"):
        raise UsageError("--port must be set when exposing a service\nSee 'minikctl run -h' for help and examples")  # run.go: cmdutil.UsageErrorf
    attach = bool(o.get("attach") or o.get("stdin"))
    restart = o.get("restart") or ("OnFailure" if o.get("stdin") else "Always")
    if restart not in ("Always", "OnFailure", "Never"):
        raise UsageError(f"invalid restart policy: {restart}\nSee 'minikctl run -h' for help and examples")  # run.go: cmdutil.UsageErrorf
    if o.get("rm") and not attach:
        raise UsageError("--rm should only be used for attached containers\nSee 'minikctl run -h' for help and examples")  # run.go: cmdutil.UsageErrorf
    if attach and dry:
        raise UsageError("--dry-run=[server|client] can't be used with attached containers options "
                         "(--attach, --stdin, or --tty)\nSee 'minikctl run -h' for help and examples")  # cmdutil.UsageErrorf
    if o.get("image_pull_policy") not in (None, "", "Always", "IfNotPresent", "Never"):
        raise UsageError(f"invalid image pull policy: {o['image_pull_policy']}\nSee 'minikctl run -h' for help and examples")  # run.go: cmdutil.UsageErrorf
    generator = o.get("generator")
    if generator is not None:
        ctx.warn(GENERATOR_DEPRECATED)
        if generator not in GENERATORS:
            raise UsageError(f'generator "{generator}" not found.')
    make_deployment = generator == "deployment/apps.v1" or (generator is None and o.get("replicas") is not None)
    if generator == "run-pod/v1" and o.get("replicas") is not None:
        raise UsageError("--replicas cannot be used with --generator=run-pod/v1: a Pod has no replicas "
                         "(drop --generator to create a Deployment of N replicas)")
    if make_deployment and restart != "Always":
        raise UsageError(f"--restart={restart} makes a bare Pod, which has no replicas: drop --replicas")
    if o.get("replicas") is not None and o["replicas"] < 0:
        raise UsageError("--replicas must be a non-negative number")

    labels = parse_labels(o["labels"]) if o.get("labels") else {"run": name}
    container = build_container(name, o, args)
    annotations = _annotations(o.get("annotations") or [])
    if make_deployment:
        from minikctl.cli.seed_forms import run_notice

        ctx.err.write(run_notice(ctx, name, args))
        meta: dict = {"creationTimestamp": None, "labels": dict(labels), "name": name}
        tmeta: dict = {"creationTimestamp": None, "labels": dict(labels)}
        if annotations:
            tmeta["annotations"] = annotations
        obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
               "spec": {"replicas": 1 if o.get("replicas") is None else o["replicas"],
                        "selector": {"matchLabels": dict(labels)}, "strategy": {},
                        "template": {"metadata": tmeta, "spec": {"containers": [container]}}},
               "status": {}}
    else:
        meta = {}
        if annotations:
            meta["annotations"] = annotations
        meta.update({"creationTimestamp": None, "labels": dict(labels), "name": name})
        obj = {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
               "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
               "status": {}}
    if o.get("overrides"):
        obj = merge_patch(obj, overrides_patch(o["overrides"]))

    service = None
    if o.get("expose"):
        port = _port(o.get("port"))
        smeta: dict = {"creationTimestamp": None, "name": name}
        if o.get("labels"):
            smeta["labels"] = dict(labels)
        service = {"apiVersion": "v1", "kind": "Service", "metadata": smeta,
                   "spec": {"ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
                            "selector": dict(labels)},
                   "status": {"loadBalancer": {}}}

    objs = [x for x in (service, obj) if x is not None]
    ns = ctx.namespace
    if o.get("save_config"):
        from minikctl.api import kinds as K

        for x in objs:
            x["metadata"].setdefault("annotations", {})[LAST_APPLIED] = _last_applied(x, K.by_kind(x["kind"]), ns)
    if dry == "client":
        if ctx.namespace_explicit:  # run.go: enforceNamespace sets it on what is printed
            for x in objs:
                x["metadata"]["namespace"] = ns
        _print(ctx, [(x, "created") for x in objs], dry)
        return 0
    session = ctx.session()
    results = []
    with session.write(dry_run=bool(dry)) as api:
        for x in objs:
            body = clone(x)
            body["metadata"].pop("creationTimestamp", None)
            body.pop("status", None)
            body["metadata"]["namespace"] = ns
            results.append((api.create(body, namespace=ns), "created"))
    if attach and not make_deployment:
        _print_api_warnings(ctx, session)
        _print(ctx, results[:-1], dry)
        return _attach(ctx, session, name, container, args)
    _print(ctx, results, dry)
    _print_api_warnings(ctx, session)
    return 0


def _attach(ctx, session, name: str, container: dict, args: list[str]) -> int:
    """-i/-t/--attach: attach to the new pod's main process, simulated by running that process
    (the container's command and args, else the image's default command) through exec;
    --rm deletes the pod afterwards, as kubectl does."""
    from minikctl.cli import cmd_exec
    from minikctl.cli.app import Ctx
    from minikctl.cli.parser import Parsed

    o = ctx.opts
    loop = _request_loop_source(session, ctx.namespace, name)
    if loop is not None:
        return _attach_request_loop(ctx, session, name, loop)
    argv = list(args)
    if not argv:
        from minikctl.kubelet.pods import resolve_image

        with session.write() as api:
            argv = list((resolve_image(api, container["image"]).process or {}).get("command") or ["sh"])
    if o.get("tty") and o.get("stdin") and not o.get("quiet"):
        ctx.err.write("If you don't see a command prompt, try pressing enter.\n")
    opts = {"stdin": bool(o.get("stdin")), "tty": bool(o.get("tty")), "quiet": bool(o.get("quiet")),
            "container": name, "namespace": ctx.opts.get("namespace"), "state": ctx.opts.get("state")}
    sub = Ctx(Parsed(ctx.p.command, ctx.p.path, [name], opts, argv, set()), ctx.out, ctx.err)
    sub._session = session
    code = cmd_exec.run(sub)
    if o.get("rm"):
        with session.write() as api:
            if api.try_get("pods", ctx.namespace, name) is not None:
                api.delete("pods", ctx.namespace, name)
        ctx.out.write(f'pod "{name}" deleted\n')
    return code


def _print(ctx, results, dry) -> None:
    """run.go: one printer for the Service of --expose and the Pod; after the Service, a `---`
    line of its own when -o is exactly "yaml" (so two of them, with the printer's)."""
    from minikctl.cli.cmd_apply import _suffix
    from minikctl.printers.output import Printer

    p = Printer(ctx, dry_suffix=_suffix(dry))
    for i, (obj, verb) in enumerate(results):
        p.print(obj, typed=True, operation=verb)
        if obj.get("kind") == "Service" and i < len(results) - 1 and ctx.opts.get("output") == "yaml":
            ctx.out.write("---\n")


# --- issue 11 (w-hpa): a request loop (the HPA walkthrough's load generator) runs as a rate
def _request_loop_source(session, namespace: str, name: str) -> dict | None:
    """The rate source the kubelet registered for the new pod's main process, if it is a request
    loop (minikctl.kubelet.load)."""
    from minikctl.kubelet import load

    with session.write() as api:
        pod = api.try_get("pods", namespace, name)
        return load.source_of(api, pod, name) if pod is not None else None


def _attach_request_loop(ctx, session, name: str, src: dict) -> int:
    """Attach to a request loop. On a terminal it streams what the loop prints (one request's
    output, at the loop's pace) until Ctrl-C, then --rm deletes the pod, as kubectl does. Without
    a terminal (a script, a test) there is nothing to wait for: the loop runs on in the cluster
    as its rate of requests, and minikctl says how to stop it (--rm does not apply: the pod keeps
    generating the load until it is deleted)."""
    import sys
    import time

    from minikctl.cli.cmd_exec import NO_TTY, _stdin_is_tty

    o = ctx.opts
    rate = float(src.get("rate") or 0)
    interactive = _stdin_is_tty() and bool(getattr(sys.stdout, "isatty", lambda: False)())
    if not interactive:
        if o.get("tty"):
            ctx.err.write(NO_TTY + "\n")
        ctx.err.write(f"minikctl: pod {name} runs its request loop on in the cluster as a load of {rate:g} "
                      f"requests/s toward {src.get('url')} (not attached: no terminal); "
                      f"`minikctl delete pod {name}` stops it\n")
        return 0
    if o.get("tty") and not o.get("quiet"):
        ctx.err.write("If you don't see a command prompt, try pressing enter.\n")
    text = _one_request(session, ctx.namespace, name, src)
    per_tick = max(1, round(rate * 0.1))
    try:
        while True:
            ctx.out.write(text * per_tick)
            ctx.out.flush()
            time.sleep(0.1)
    except KeyboardInterrupt:
        ctx.out.write("\n")
    if o.get("rm"):
        with session.write() as api:
            if api.try_get("pods", ctx.namespace, name) is not None:
                api.delete("pods", ctx.namespace, name)
        ctx.out.write(f'pod "{name}" deleted\n')
    return 0


def _one_request(session, namespace: str, name: str, src: dict) -> str:
    """What one round of the loop prints: its client command run once in the pod."""
    from minikctl.kubelet.exec import exec_in_container

    out: list[str] = []
    try:
        with session.write() as api:
            pod = api.get("pods", namespace, name)
            exec_in_container(api, pod, src.get("container") or name, list(src.get("command") or []),
                              out=out.append, err=out.append)
    except Exception:  # noqa: BLE001 - only what is shown while attached
        return ""
    return "".join(out)
