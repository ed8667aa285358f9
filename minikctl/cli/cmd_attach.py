"""minikctl attach: attach to a container's main process, as kubectl 1.32's attach
(staging/src/k8s.io/kubectl/pkg/cmd/attach/attach.go, pkg/cmd/exec/exec.go StreamOptions.SetupTTY).

What the simulated main process writes is its log (minikctl.kubelet: a process's output is
simulated ahead on the cluster clock). Attached without stdin, minikctl shows that stream: on a
manual clock nothing happens until another command moves the clock, so it prints what the main
process has written and returns; on the wall clock it prints new lines as their time comes, until
the container's instance ends or Ctrl-C (as `logs -f`). With -i to a container that keeps stdin
open (`stdin: true`, as `run -i` makes it), the main process is run with your input, as `run -it`
does (a shell gets the simulated shell, as `exec -it`).
"""

from __future__ import annotations

import sys

from minikctl.api.errors import MinikctlError, UsageError

PROMPT_HINT = "If you don't see a command prompt, try pressing enter."
NO_TTY_INPUT = "Unable to use a TTY - input is not a terminal or the right kind of file"


def _stdin_is_tty() -> bool:
    try:
        return bool(sys.stdin.isatty())
    except (AttributeError, ValueError):
        return False


def run(ctx) -> int:
    from minikctl.cli.cmd_exec import pick_container, resolve_pod
    from minikctl.kubelet import exec as ex

    o = ctx.opts
    args = list(ctx.args)
    if not args:
        raise MinikctlError("at least 1 argument is required for attach")
    if len(args) > 2:
        raise MinikctlError(f"expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {len(args)}: "
                            f"[{' '.join(args)}]")
    timeout = o.get("pod_running_timeout") or "1m0s"
    from minikctl.api.clock import parse_duration

    try:
        if parse_duration(timeout) <= 0:
            raise MinikctlError("--pod-running-timeout must be higher than zero")
    except ValueError as e:
        raise UsageError(f"{e}\nSee 'minikctl attach -h' for help and examples") from None
    ref = args[0] if len(args) == 1 else f"{args[0]}/{args[1]}"  # POD, TYPE/NAME or TYPE NAME
    quiet = bool(o.get("quiet"))
    session = ctx.session()
    api = session.api
    pod, _n = resolve_pod(api, ctx.namespace, ref)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise MinikctlError(f"cannot attach a container in a completed pod; current phase is {phase}")
    name = o.get("container")
    if name and ex.find_container(pod, name) is None:
        raise MinikctlError(f"cannot attach to the container: container {name} not found in pod "
                            f"{pod['metadata']['name']}")
    cname = pick_container(ctx, pod, name, quiet)
    container = ex.find_container(pod, cname) or {}
    stdin = bool(o.get("stdin"))
    tty = bool(o.get("tty"))
    if tty and not container.get("tty"):
        tty = False
        if not quiet:
            ctx.err.write(f"error: Unable to use a TTY - container {cname} did not allocate one\n")
    elif not tty and container.get("tty"):
        tty = True  # the container was started with a TTY: attach must use one
    # StreamOptions.SetupTTY
    if not stdin:
        tty = False
    elif tty and not _stdin_is_tty():
        tty = False
        if not quiet:
            ctx.err.write(NO_TTY_INPUT + "\n")
    raw = tty
    if not quiet:
        ctx.err.write(PROMPT_HINT + "\n")
    # the stream: the kubelet refuses a container that is not running (as for exec)
    ex.check_exec(pod, cname)
    from minikctl.controllers.nodemonitor import check_kubelet_reachable

    check_kubelet_reachable(api, pod)
    if stdin and container.get("stdin"):
        code = _interactive(ctx, session, pod, cname, container, tty)
    else:
        _stream(ctx, session, pod, cname)
        code = 0
    if not quiet and stdin and raw and (pod.get("spec") or {}).get("restartPolicy") == "Always":
        ephemeral = any(c.get("name") == cname for c in (pod.get("spec") or {}).get("ephemeralContainers") or ())
        if ephemeral:
            ctx.print(f"Session ended, the ephemeral container will not be restarted but may be reattached using "
                      f"'minikctl attach {pod['metadata']['name']} -c {cname} -i -t' if it is still running")
        else:
            ctx.print(f"Session ended, resume using 'minikctl attach {pod['metadata']['name']} -c {cname} -i -t' "
                      "command when the pod is running")
    return code


def _stream(ctx, session, pod: dict, cname: str) -> None:
    """The main process's output: what it has written (manual clock), or what it writes from now
    on until its instance ends (wall clock)."""
    from minikctl.cli import cmd_logs
    from minikctl.kubelet import logs

    api = session.api
    if session.clock.mode == "manual":
        for _ts, line in logs.rendered(api, pod, cname, False):
            ctx.out.write(line + "\n")
        return
    cmd_logs._follow(ctx, session, pod, cname, False, "")


def _interactive(ctx, session, pod: dict, cname: str, container: dict, tty: bool, status: bool = False) -> int:
    """stdin to a main process that reads it: the process runs with your input (run -it's way)."""
    from minikctl.cli import cmd_exec
    from minikctl.cli.app import Ctx
    from minikctl.cli.parser import Parsed
    from minikctl.kubelet.pods import resolve_image

    argv = list(container.get("command") or ()) + list(container.get("args") or ())
    if not argv:
        argv = list((resolve_image(session.api, container.get("image") or "").process or {}).get("command") or ["sh"])
    opts = {"stdin": True, "tty": tty, "quiet": True, "container": cname,
            "namespace": pod["metadata"].get("namespace"), "state": ctx.opts.get("state")}
    sub = Ctx(Parsed(ctx.p.command, ctx.p.path, [pod["metadata"]["name"]], opts, argv, set()), ctx.out,
              _NoExitStatus(ctx.err))
    sub._session = session
    code = cmd_exec.run(sub)
    # an attach stream carries no exit status: kubectl attach ends with 0 when the process ends
    # (`status`: the caller wants the process's status, to record it)
    return code if status else 0


class _NoExitStatus:
    """ctx.err for the attached process: exec's `command terminated with exit code N` is not
    something attach says."""

    def __init__(self, err):
        self._err = err

    def write(self, s: str) -> int:
        if s.startswith("command terminated with exit code "):
            return len(s)
        return self._err.write(s)

    def flush(self) -> None:
        self._err.flush()

    def isatty(self) -> bool:
        try:
            return self._err.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def buffer(self):
        return getattr(self._err, "buffer", None)
