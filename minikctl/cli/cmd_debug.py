"""minikctl debug: kubectl 1.32's debug (staging/src/k8s.io/kubectl/pkg/cmd/debug/debug.go, profiles.go).

- `debug POD --image=IMAGE [-c NAME] [--target=C] [-it] [-- COMMAND]` adds an ephemeral container to
  the pod (the pods/ephemeralcontainers subresource: minikctl.api.ephemeral), which the kubelet
  starts; with -i the session attaches to it (the simulated shell, as `exec -it`), and when the
  session ends its process has ended too.
- `debug node/NAME --image=IMAGE` creates the pod node-debugger-NAME-xxxxx on that node (host
  namespaces, the node's / at /host, as the legacy profile makes it).
- `debug POD --copy-to=NEW --image=IMAGE` creates a copy of the pod with a debug container added
  (--share-processes, --set-image, --replace, --same-node, --keep-*).
"""

from __future__ import annotations

import sys

from minikctl.api.errors import MinikctlError, UsageError

PROFILES = ("legacy", "general", "baseline", "restricted", "netadmin", "sysadmin")
LEGACY_WARNING = ('--profile=legacy is deprecated and will be removed in the future. It is recommended to '
                  'explicitly specify a profile, for example "--profile=general".')
_SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand


def _suffix(n: int = 5) -> str:
    from minikctl.api import rand  # issue 13: cluster create --seed makes it reproducible

    r = rand.rng()
    return "".join(r.choice(_SUFFIX_CHARS) for _ in range(n))


def _stdin_is_tty() -> bool:
    try:
        return bool(sys.stdin.isatty())
    except (AttributeError, ValueError):
        return False


def _validate(ctx) -> None:
    """DebugOptions.Validate, in its order."""
    o = ctx.opts
    copy_to = o.get("copy_to") or ""
    image = o.get("image") or ""
    if o.get("attach") and "attach" in ctx.p.flags_seen and not image and not o.get("container"):
        raise MinikctlError("you must specify --container or create a new container using --image in order to attach.")
    if copy_to:
        if not image and not o.get("set_image") and ctx.p.dash_args is None:
            raise MinikctlError("you must specify --image, --set-image or command arguments.")
    else:
        if not image:
            raise MinikctlError("you must specify --image when not using --copy-to.")
    if image:
        from minikctl.kubelet.pods import reference_error

        if reference_error(image):
            raise MinikctlError(f'invalid image name "{image}": invalid reference format')
    if not ctx.args and not o.get("filename"):
        raise MinikctlError("NAME or filename is required for debug")
    policy = o.get("image_pull_policy") or ""
    if policy and policy not in ("Always", "Never", "IfNotPresent"):
        raise MinikctlError(f"invalid image pull policy: {policy}")
    if o.get("replace") and not copy_to:
        raise MinikctlError("--replace may only be used with --copy-to.")
    for s in o.get("set_image") or ():
        if "=" not in s:
            raise MinikctlError(f"--set-image expects CONTAINER=IMAGE, got {s}")  # cmdutil.ParsePairs
    if o.get("target") and copy_to:
        raise MinikctlError("--target is incompatible with --copy-to. Use --share-processes instead.")
    if o.get("tty") and not o.get("stdin"):
        raise MinikctlError("-i/--stdin is required for containers with -t/--tty=true")
    profile = o.get("profile") or "legacy"
    if profile not in PROFILES:
        raise MinikctlError(f"unknown profile: {profile}")
    for e in o.get("env") or ():
        if "=" not in e:
            raise UsageError(f'invalid argument "{e}" for "--env" flag: {e} must be formatted as key=value'
                             "\nSee 'minikctl debug --help' for usage.")


def _env(o) -> list[dict]:
    out = []
    for e in o.get("env") or ():
        k, _, v = e.partition("=")
        out.append({"name": k, "value": v})
    return out


def _args(ctx) -> list[str] | None:
    return list(ctx.p.dash_args) if ctx.p.dash_args else None


def run(ctx) -> int:
    o = ctx.opts
    _validate(ctx)
    if "profile" not in ctx.p.flags_seen:
        ctx.err.write(LEGACY_WARNING + "\n")
    if ctx.args:
        target = ctx.args[0]
    else:  # -f: the object the file names (kubectl visits each; minikctl debugs the first)
        from minikctl.cli.manifests import load

        doc = load(ctx)[0][0].obj
        target = f"{str(doc.get('kind', '')).lower()}/{(doc.get('metadata') or {}).get('name', '')}"
        if (doc.get("metadata") or {}).get("namespace"):
            ctx.opts["namespace"] = doc["metadata"]["namespace"]
    kind, _, name = target.partition("/")
    if "/" in target and (not kind or not name):
        raise MinikctlError("arguments in resource/name form must have a single resource and name")
    if name and kind.lower() in ("node", "nodes", "no"):
        return _debug_node(ctx, name)
    if name and kind.lower() not in ("pod", "pods", "po"):
        from minikctl.cli.resources import resolve_kind

        k = resolve_kind(kind)
        with ctx.session().write(dry_run=True) as api:  # the builder gets the object first (NotFound)
            api.get(k.plural, ctx.namespace if k.namespaced else "", name)
        gvk = f"{k.group}/{k.version}, Kind={k.kind}" if k.group else f"/{k.version}, Kind={k.kind}"
        raise MinikctlError(f'"{gvk}" not supported by debug')
    pod_name = name or target
    if o.get("copy_to"):
        return _debug_copy(ctx, pod_name)
    return _debug_ephemeral(ctx, pod_name)


def _apply_profile(profile: str, container: dict, pod: dict | None = None, node: bool = False) -> None:
    """profiles.go: what each profile sets on the debug container (and the node debug pod)."""
    sc = None
    if profile == "general":
        sc = {"capabilities": {"add": ["SYS_PTRACE"]}} if not node else None
    elif profile == "netadmin":
        sc = {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}}
    elif profile == "sysadmin":
        sc = {"privileged": True}
    elif profile == "restricted":
        sc = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True,
              "seccompProfile": {"type": "RuntimeDefault"}}
    if sc:
        container["securityContext"] = sc
    if node and pod is not None and profile in ("legacy", "general", "sysadmin", "netadmin"):
        spec = pod["spec"]
        spec["hostIPC"] = profile != "netadmin" or spec.get("hostIPC", False)
        spec["hostNetwork"] = True
        spec["hostPID"] = True
        if profile != "netadmin":
            spec["volumes"] = [{"name": "host-root", "hostPath": {"path": "/"}}]
            container["volumeMounts"] = [{"mountPath": "/host", "name": "host-root"}]
        if profile == "netadmin":
            spec.pop("hostIPC", None)


def _debug_container(ctx, name: str) -> dict:
    o = ctx.opts
    c = {"name": name}
    if o.get("env"):
        c["env"] = _env(o)
    c["image"] = o.get("image")
    if o.get("image_pull_policy"):
        c["imagePullPolicy"] = o["image_pull_policy"]
    if o.get("stdin"):
        c["stdin"] = True
    c["terminationMessagePolicy"] = "File"
    if o.get("tty"):
        c["tty"] = True
    args = _args(ctx)
    if args:
        c["args" if o.get("arguments_only") else "command"] = args
    return c


def _computed_name(ctx, taken: set[str]) -> str:
    """computeDebugContainerName, with its notice on stdout."""
    name = ""
    while not name or name in taken:
        name = f"debugger-{_suffix()}"
    if not ctx.opts.get("quiet"):
        ctx.out.write(f"Defaulting debug container name to {name}.\n")
    return name


def _names(pod: dict) -> set[str]:
    spec = pod.get("spec") or {}
    return {c.get("name") for k in ("containers", "initContainers", "ephemeralContainers") for c in spec.get(k) or ()}


def _debug_ephemeral(ctx, pod_name: str) -> int:
    from minikctl.api import ephemeral

    o = ctx.opts
    session = ctx.session()
    ns = ctx.namespace
    with session.write() as api:
        pod = api.get("pods", ns, pod_name)
        name = o.get("container") or _computed_name(ctx, _names(pod))
        c = _debug_container(ctx, name)
        if o.get("target"):
            c["targetContainerName"] = o["target"]
        _apply_profile(o.get("profile") or "legacy", c)
        ephemeral.add(api, ns, pod_name, c)
    ctx.out.flush()
    if o.get("stdin") or o.get("attach"):
        return _attach(ctx, session, ns, pod_name, name, ephemeral_container=True)
    return 0


def _debug_node(ctx, node_name: str) -> int:
    o = ctx.opts
    session = ctx.session()
    ns = ctx.namespace
    with session.write() as api:
        api.get("nodes", "", node_name)
        cname = o.get("container") or "debugger"
        pod_name = f"node-debugger-{node_name}-{_suffix()}"
        if not o.get("quiet"):
            ctx.out.write(f"Creating debugging pod {pod_name} with container {cname} on node {node_name}.\n")
        c = _debug_container(ctx, cname)
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": pod_name, "namespace": ns},
               "spec": {"containers": [c], "nodeName": node_name, "restartPolicy": "Never",
                        "tolerations": [{"operator": "Exists"}]}}
        _apply_profile(o.get("profile") or "legacy", c, pod, node=True)
        api.create(pod, namespace=ns)
    ctx.out.flush()
    if o.get("stdin") or o.get("attach"):
        return _attach(ctx, session, ns, pod_name, cname)
    return 0


def _debug_copy(ctx, pod_name: str) -> int:
    from minikctl.api.server import clone

    o = ctx.opts
    session = ctx.session()
    ns = ctx.namespace
    with session.write() as api:
        pod = api.get("pods", ns, pod_name)
        spec = clone(pod.get("spec") or {})
        meta = {"name": o["copy_to"], "namespace": ns}
        if o.get("keep_labels") and pod["metadata"].get("labels"):
            meta["labels"] = dict(pod["metadata"]["labels"])
        if o.get("keep_annotations") and pod["metadata"].get("annotations"):
            meta["annotations"] = dict(pod["metadata"]["annotations"])
        if not o.get("same_node"):
            spec.pop("nodeName", None)
        spec.pop("ephemeralContainers", None)
        if not o.get("keep_init_containers", True):
            spec.pop("initContainers", None)
        for c in spec.get("containers") or ():
            for probe, keep in (("livenessProbe", "keep_liveness"), ("readinessProbe", "keep_readiness"),
                                ("startupProbe", "keep_startup")):
                if not o.get(keep):
                    c.pop(probe, None)
        spec["shareProcessNamespace"] = bool(o.get("share_processes", True))
        images = dict(s.split("=", 1) for s in o.get("set_image") or ())
        for c in spec.get("containers") or []:
            if "*" in images:
                c["image"] = images["*"]
            if c.get("name") in images:
                c["image"] = images[c["name"]]
        by_name = {c.get("name"): c for k in ("containers", "initContainers") for c in spec.get(k) or ()}
        cname = o.get("container") or ""
        c = by_name.get(cname)
        if c is None:  # adding a new debug container (generatePodCopyWithDebugContainer)
            if not o.get("image"):
                if o.get("set_image"):
                    cname = ""  # a --set-image only invocation
                else:
                    raise MinikctlError("you must specify image when creating new container")
            else:
                if not cname:
                    cname = _computed_name(ctx, set(by_name))
                c = {"name": cname, "terminationMessagePolicy": "File"}
                spec.setdefault("containers", []).append(c)
        if c is not None:
            if o.get("image_pull_policy"):
                c["imagePullPolicy"] = o["image_pull_policy"]
            args = _args(ctx)
            if args:
                if o.get("arguments_only"):
                    c["args"] = args
                else:
                    c["command"] = args
                    c.pop("args", None)
            if o.get("env"):
                c["env"] = list(c.get("env") or []) + _env(o)
            if o.get("image"):
                c["image"] = o["image"]
            c.pop("stdin", None)
            c.pop("tty", None)
            if o.get("stdin"):
                c["stdin"] = True
            if o.get("tty"):
                c["tty"] = True
            _apply_profile(o.get("profile") or "legacy", c)
        copy = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
        api.create(copy, namespace=ns)
        if o.get("replace"):  # debugByCopy: the original goes after the copy is created (grace period 0)
            api.delete("pods", ns, pod_name)
    ctx.out.flush()
    if (o.get("stdin") or o.get("attach")) and cname:
        return _attach(ctx, session, ns, o["copy_to"], cname)
    return 0


def _attach(ctx, session, ns: str, pod_name: str, cname: str, ephemeral_container: bool = False) -> int:
    """handleAttachPod: the container's session (a shell gets the simulated shell, as `exec -it`), or
    its logs when it has already ended."""
    from minikctl.kubelet import exec as ex

    o = ctx.opts
    api = session.api
    pod = api.get("pods", ns, pod_name)
    st = ex.container_status(pod, cname) or {}
    state = st.get("state") or {}
    if "terminated" in state:  # "Ephemeral container terminated, falling back to logs"
        from minikctl.kubelet import logs

        for _ts, line in logs.rendered(api, pod, cname, False):
            ctx.out.write(line + "\n")
        return 0
    if "running" not in state:
        reason = (state.get("waiting") or {}).get("reason") or "ContainerCreating"
        if not o.get("quiet") and (state.get("waiting") or {}).get("message"):
            ctx.err.write(f"Warning: container {cname}: {state['waiting']['message']}\n")
        raise MinikctlError(f'unable to upgrade connection: container not found ("{cname}") (it is {reason})')
    tty = bool(o.get("tty"))
    if tty and not _stdin_is_tty():
        tty = False
        if not o.get("quiet"):
            ctx.err.write("Unable to use a TTY - input is not a terminal or the right kind of file\n")
    if not o.get("quiet"):
        ctx.err.write("If you don't see a command prompt, try pressing enter.\n")
    from minikctl.cli import cmd_attach

    container = ex.find_container(pod, cname) or {}
    code = cmd_attach._interactive(ctx, session, pod, cname, container, tty, status=True)
    if ephemeral_container:
        _ended(session, ns, pod_name, cname, code)
    code = 0  # as attach: the session's end is not an error
    if tty and not o.get("quiet"):
        if ephemeral_container:
            ctx.print(f"Session ended, the ephemeral container will not be restarted but may be reattached using "
                      f"'minikctl attach {pod_name} -c {cname} -i -t' if it is still running")
        elif (pod.get("spec") or {}).get("restartPolicy") == "Always":
            ctx.print(f"Session ended, resume using 'minikctl attach {pod_name} -c {cname} -i -t' command when "
                      "the pod is running")
    return code


def _ended(session, ns: str, pod_name: str, cname: str, code: int) -> None:
    """The debug shell's process ended with the session: the ephemeral container terminates."""
    from minikctl.kubelet import pods as kp

    with session.write() as api:
        pod = api.try_get("pods", ns, pod_name)
        if pod is not None:
            kp.terminate_container(api, pod, cname, code, "Completed" if code == 0 else "Error")
