"""minikctl exec: run a command in a container (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go).

The command runs in the simulated container (minikctl.kubelet.exec and shell), never on
the host, over a read snapshot of the store: what it writes (files, log lines of the servers
it talks to) is applied afterwards in one short write transaction, so other commands are not
blocked while it computes (minikctl.kubelet.journal). `exec -it POD -- sh` opens an
interactive shell: one snapshot and one short write per line typed.
"""

from __future__ import annotations

import sys

from minikctl.api.errors import NotFound, UsageError

NO_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file"


def _stdin_is_tty() -> bool:
    try:
        return bool(sys.stdin.isatty())
    except (AttributeError, ValueError):
        return False


# -------------------------------------------------------------- pod selection
_KIND_ALIASES = {
    "pod": "pods", "pods": "pods", "po": "pods",
    "deployment": "deployments", "deployments": "deployments", "deploy": "deployments",
    "replicaset": "replicasets", "replicasets": "replicasets", "rs": "replicasets",
    "replicationcontroller": "replicationcontrollers", "replicationcontrollers": "replicationcontrollers",
    "rc": "replicationcontrollers",
    "service": "services", "services": "services", "svc": "services",
    "statefulset": "statefulsets", "statefulsets": "statefulsets", "sts": "statefulsets",
    "daemonset": "daemonsets", "daemonsets": "daemonsets", "ds": "daemonsets",
    "job": "jobs", "jobs": "jobs",
}


def _selector_of(obj: dict):
    from minikctl.api import selectors

    spec = obj.get("spec") or {}
    sel = spec.get("selector")
    if obj.get("kind") in ("Service", "ReplicationController"):
        return selectors.from_map(sel) if sel else None
    if isinstance(sel, dict) and (sel.get("matchLabels") or sel.get("matchExpressions")):
        return selectors.from_label_selector(sel)
    return None


def resolve_pod(api, namespace: str, ref: str, for_logs: bool = False) -> tuple[dict, int]:
    """The pod named by POD or TYPE/NAME (a controller or service: its first pod, as kubectl's
    polymorphichelpers pick it). Returns (pod, number of candidate pods)."""
    if "/" not in ref:
        return api.get("pods", namespace, ref), 1
    kind, _, name = ref.partition("/")
    resource = _KIND_ALIASES.get(kind.lower())
    if resource is None:
        raise UsageError(f'the server doesn\'t have a resource type "{kind}"')
    if not name:
        raise UsageError("arguments in resource/name form must have a single resource and name")
    if resource == "pods":
        return api.get("pods", namespace, name), 1
    from minikctl.api import kinds as K

    if K.by_plural(resource) is None:
        raise UsageError(f'the server doesn\'t have a resource type "{kind}"')
    obj = api.get(resource, namespace, name)
    sel = _selector_of(obj)
    if sel is None:
        raise UsageError(f"cannot attach to {obj.get('kind')}: selector for {obj.get('kind')} not implemented"
                         if obj.get("kind") != "Service" else
                         f"invalid service '{name}': Service is defined without a selector")
    pods = api.list("pods", namespace, selector=sel)
    if not pods:
        raise UsageError("timed out waiting for the condition")
    pods.sort(key=_by_logging if for_logs else _active_first)
    return pods[0], len(pods)


def _ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _ready_since(pod: dict) -> str:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready" and c.get("status") == "True":
            return c.get("lastTransitionTime") or ""
    return ""


def _restarts(pod: dict) -> int:
    return max((int(c.get("restartCount") or 0) for c in (pod.get("status") or {}).get("containerStatuses") or ()),
               default=0)


_PHASE_LOG = {"Running": 0, "Unknown": 1, "Pending": 2}
_PHASE_ACTIVE = {"Running": 0, "Unknown": 1, "Pending": 2}


def _by_logging(pod: dict):
    """podutils.ByLogging: assigned, Running, ready, ready longer, more restarts, older first."""
    return (0 if (pod.get("spec") or {}).get("nodeName") else 1,
            _PHASE_LOG.get((pod.get("status") or {}).get("phase"), 3),
            0 if _ready(pod) else 1, _ready_since(pod) or "~", -_restarts(pod),
            pod["metadata"].get("creationTimestamp") or "~", pod["metadata"]["name"])


def _active_first(pod: dict):
    """sort.Reverse(podutils.ActivePods): assigned, Running, ready, ready longer, fewer restarts, older."""
    return (0 if (pod.get("spec") or {}).get("nodeName") else 1,
            _PHASE_ACTIVE.get((pod.get("status") or {}).get("phase"), 3),
            0 if _ready(pod) else 1, _ready_since(pod) or "~", _restarts(pod),
            pod["metadata"].get("creationTimestamp") or "~", pod["metadata"]["name"])


def pick_container(ctx, pod: dict, name: str | None, quiet: bool) -> str:
    """-c NAME (checked by the API server), else kubectl's default container with its notice."""
    from minikctl.kubelet import exec as ex

    if name:
        return name
    spec = pod.get("spec") or {}
    if not spec.get("containers"):
        raise UsageError(f"pod {pod['metadata'].get('namespace')}/{pod['metadata']['name']} does not have any containers")
    c, notice = ex.default_container(pod)
    if notice and not quiet:
        ctx.err.write(f'Defaulted container "{c["name"]}" out of: {ex.all_container_names(pod)}\n')
    return c["name"]


# ------------------------------------------------------------------- exec
def run(ctx) -> int:
    o = ctx.opts
    args = list(ctx.args)
    dash = ctx.p.dash_args
    quiet = bool(o.get("quiet"))
    if dash is not None:
        pod_ref = args[0] if args else ""
        command = list(dash)
    else:
        pod_ref = args[0] if args else ""
        command = args[1:]
        if command and not quiet:
            from minikctl.cli.seed_forms import exec_notice

            ctx.err.write(exec_notice(ctx, pod_ref, command))
    if not pod_ref:
        raise UsageError("pod, type/name or --filename must be specified")
    if not command:
        raise UsageError("you must specify at least one command for the container")
    want_stdin = bool(o.get("stdin"))
    tty = bool(o.get("tty"))
    no_tty_notice = False
    if not want_stdin:
        tty = False
    elif tty and not _stdin_is_tty():
        # printed once kubectl has the pod and its container (exec.go Run: SetupTTY comes after the
        # pod's GET, the completed-pod check and the default container's notice, before the request)
        no_tty_notice = not quiet
        tty = False
    session = ctx.session()
    from minikctl.kubelet import exec as ex

    stdin_text = ""
    if want_stdin and not tty:
        try:
            stdin_text = _read_bytes(sys.stdin)
        except (OSError, ValueError):
            stdin_text = ""

    def out_w(s: str) -> None:
        _write_bytes(ctx.out, s)

    def err_w(s: str) -> None:
        if tty:
            _write_bytes(ctx.out, s)  # a terminal carries both streams (kubectl sets ErrOut to nil)
        else:
            ctx.out.flush()
            _write_bytes(ctx.err, s)

    entered: list = []

    def enter(shell, io) -> int:
        entered.append(shell)
        raise _EnterInteractive()

    namespace = ctx.namespace
    code = 0
    from minikctl.kubelet import journal as jn

    # The command computes over a read snapshot; what it writes is kept in a journal and
    # applied afterwards in one short write transaction (minikctl.kubelet.journal).
    with jn.snapshot(session) as (api, journal):
        try:
            pod, _n = resolve_pod(api, namespace, pod_ref)
        except NotFound as e:
            if dash is None and pod_ref in ("it", "ti", "i", "t") and command:
                ctx.out.flush()
                ctx.err.write(e.render() + "\n")
                ctx.err.write(f'hint: "{pod_ref}" was taken as the pod name; the flags need a dash: '
                              f"minikctl exec -{pod_ref} {command[0]} -- {' '.join(command[1:]) or 'sh'}\n")
                return 1
            raise
        ex.check_not_completed(pod)
        cname = pick_container(ctx, pod, o.get("container"), quiet)
        if no_tty_notice:
            ctx.err.write(NO_TTY + "\n")
        ex.check_exec(pod, cname)  # the API server's and the kubelet's refusals
        from minikctl.controllers.nodemonitor import check_kubelet_reachable  # issue 11 (w-node)

        check_kubelet_reachable(api, pod)
        pod_name = pod["metadata"]["name"]
        cid = (ex.container_status(pod, cname) or {}).get("containerID")
        try:
            code = ex.exec_in_container(api, pod, cname, command, stdin=stdin_text, tty=tty, out=out_w, err=err_w,
                                        repl=enter if tty else None)
        except _EnterInteractive:
            code = None
    jn.commit(session, journal)
    if code is None:
        code = _interactive(ctx, session, namespace, pod_name, cname, cid, entered[0], out_w)
    ctx.out.flush()
    if code:
        ctx.err.write(f"command terminated with exit code {code}\n")
    return code


def _read_bytes(stream) -> str:
    """Standard input as the container gets it: bytes; those that are not UTF-8 are kept as
    surrogates (surrogateescape), the simulated shell's representation of raw bytes."""
    buf = getattr(stream, "buffer", None)
    if buf is None:
        return stream.read()
    return buf.read().decode("utf-8", "surrogateescape")


def _write_bytes(stream, s: str) -> None:
    """The container's output written as the bytes it stands for (raw bytes included)."""
    buf = getattr(stream, "buffer", None)
    if buf is None or s.isascii() or not _has_surrogates(s):
        stream.write(s)
        return
    stream.flush()
    buf.write(s.encode("utf-8", "surrogateescape"))
    buf.flush()


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


class _EnterInteractive(Exception):
    """Raised inside the first snapshot when the command is an interactive shell."""


def _interactive(ctx, session, namespace: str, pod_name: str, cname: str, cid: str | None, shell, out_w) -> int:
    """The shell's read-eval-print loop on the terminal (minikctl.cli.shell_tty, shared with
    attach -it and debug -it)."""
    from minikctl.cli.shell_tty import interactive_session

    return interactive_session(ctx, session, namespace, pod_name, cname, cid, shell, out_w)
