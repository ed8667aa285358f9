"""Running a command in a container (kubectl exec, exec probes): the container runtime's part.

``exec_in_container`` checks what the API server and the kubelet check before an exec
(pkg/registry/core/pod/strategy.go streamLocation, kubectl's exec.go), builds the
container's context (image, filesystem, environment, hostname) and runs the command the
way runc would: argv[0] looked up on the container's $PATH, an OCI error when it is
missing. Everything runs in the simulated shell (``shell``); nothing runs on the host.
"""

from __future__ import annotations

import calendar
import posixpath
import time

from minikctl.api.errors import BadRequest, MinikctlError
from minikctl.kubelet import shell as sh_mod
from minikctl.kubelet.fs import ContainerFS, FsError, managed_files, parse_hosts, pod_hostname

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class ExecFailed(MinikctlError):
    """Errors kubectl prints as `error: ...` (stream errors from the kubelet/runtime), exit 1."""


# ------------------------------------------------------------------ pod helpers
def find_container(pod: dict, name: str) -> dict | None:
    spec = pod.get("spec") or {}
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for c in spec.get(key) or ():
            if c.get("name") == name:
                return c
    return None


def container_status(pod: dict, name: str) -> dict | None:
    st = pod.get("status") or {}
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for c in st.get(key) or ():
            if c.get("name") == name:
                return c
    return None


def parse_time(s: str | None) -> float | None:
    if not s:
        return None
    try:
        return float(calendar.timegm(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")))
    except ValueError:
        return None


def running_since(pod: dict, name: str) -> float | None:
    """When the container's current instance started, or None when it is not running."""
    cs = container_status(pod, name)
    if not cs:
        return None
    running = (cs.get("state") or {}).get("running")
    if running is None:
        return None
    return parse_time(running.get("startedAt")) or 0.0


def instance(pod: dict, name: str) -> int:
    """Which instance of the container this is: its restartCount."""
    cs = container_status(pod, name) or {}
    return int(cs.get("restartCount") or 0)


def default_container(pod: dict) -> tuple[dict, bool]:
    """(container, notice needed) as kubectl's podcmd.FindOrDefaultContainerByName picks it."""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    ann = (pod["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/default-container")
    if ann:
        c = find_container(pod, ann)
        if c is not None:
            return c, False
    many = len(containers) > 1 or bool(spec.get("initContainers")) or bool(spec.get("ephemeralContainers"))
    return containers[0], many


def all_container_names(pod: dict) -> str:
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or ()]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or ()]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or ()]
    return ", ".join(names)


def check_not_completed(pod: dict) -> None:
    """kubectl's own refusal, before it picks a container or sets up the terminal
    (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go Run)."""
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise ExecFailed(f"cannot exec into a container in a completed pod; current phase is {phase}")


def check_exec(pod: dict, container_name: str) -> None:
    """Refuse an exec the way the API server, the kubelet and kubectl do."""
    name = pod["metadata"]["name"]
    check_not_completed(pod)
    if find_container(pod, container_name) is None:
        # pkg/registry/core/pod/strategy.go validateContainer
        raise BadRequest(f"container {container_name} is not valid for pod {name}")
    if not (pod.get("spec") or {}).get("nodeName"):
        raise BadRequest(f"pod {name} does not have a host assigned")
    if running_since(pod, container_name) is None:
        raise ExecFailed(f'unable to upgrade connection: container not found ("{container_name}")')


# ------------------------------------------------------------------ context
class ExecContext:
    """One container as an exec sees it: image, filesystem, environment, identity."""

    def __init__(self, api, pod: dict, container_name: str, tty: bool = False):
        from minikctl.images import catalog

        self.api = api
        self.pod = pod
        self.name = container_name
        self.container = find_container(pod, container_name) or {"name": container_name, "image": ""}
        self.image = catalog.resolve(api.store, self.container.get("image") or "")
        self.tty = tty
        self.hostname, domain = pod_hostname(api, pod)
        self.fqdn = f"{self.hostname}.{domain}" if domain else self.hostname
        self.pod_ip = (pod.get("status") or {}).get("podIP") or ""
        self.pid = 7
        self.env = container_environment(api, pod, self.container, self.image, tty)
        from minikctl.kubelet.volumes import container_mounts

        self.fs = ContainerFS(api.store, pod, container_name, self.image, managed_files(api, pod, self.container),
                              api.clock.timestamp, container_mounts(api, pod, self.container))
        self.cwd = self.container.get("workingDir") or self.image.workdir
        if not self.fs.is_dir(self.cwd):
            self.cwd = "/"
        cmd = list(self.container.get("command") or ()) + list(self.container.get("args") or ())
        self.main_command = cmd or list(self.image.process.get("command") or ["sh"])
        self.repl = None           # set by kubectl exec -it: (shell, io) -> exit code
        self.terminal_out = None   # with a TTY: the writer that is the terminal (not a pipe or a file)
        self.changed_files = False

    def now(self) -> float:
        return self.api.clock.timestamp()

    def env_dict(self) -> dict[str, str]:
        return dict(self.env)

    # -------------------------------------------------------------- programs
    def run_argv(self, argv: list[str], io: sh_mod.IO) -> int:
        """What runc does with an exec's argv: find argv[0] on $PATH, then run it."""
        name = argv[0]
        env = self.env
        path_var = dict(env).get("PATH", DEFAULT_PATH)
        path = self.fs.find_executable(name, path_var, self.cwd)
        if path is None:
            raise ExecFailed(oci_exec_error(self, name))
        program = self.fs.program_of(path)
        if program is None:
            text = self.fs.read(path, self.cwd)
            first = text.split("\n", 1)[0]
            interp = first[2:].strip().split()[0] if first.startswith("#!") else ""
            base = posixpath.basename(interp)
            if base not in sh_mod.SHELL_PROGRAMS or self.fs.find_executable(interp, path_var, self.cwd) is None:
                raise ExecFailed(oci_exec_error(self, name, exec_format=True))
            return self.run_shell_program(base, [interp, path] + argv[1:], io, env, self.cwd)
        return self.run_program(program, argv, io, env, self.cwd, None)

    def run_program(self, program: str, argv: list[str], io: sh_mod.IO, env: list[tuple[str, str]], cwd: str,
                    caller) -> int:
        if program in sh_mod.SHELL_PROGRAMS:
            return self.run_shell_program(program, argv, io, env, cwd)
        if program == "busybox":
            if len(argv) > 1 and not argv[1].startswith("-"):
                return self.run_program(argv[1], argv[1:], io, env, cwd, caller)
        if program in sh_mod.NETWORK_TOOLS:
            return self.run_network_tool(program, argv, io, caller)
        fn = sh_mod.UTILITIES.get(program)
        if fn is not None:
            plain = sh_mod.Shell(self, None, name=argv[0], env=env, cwd=cwd)
            if program in ("env", "printenv"):
                return fn(plain, [program] + argv[1:], io, env=env)
            status = fn(plain, [program] + argv[1:], io)
            return status
        return self.run_data_program(program, argv, io)

    def run_shell_program(self, program: str, argv: list[str], io: sh_mod.IO, env: list[tuple[str, str]],
                          cwd: str) -> int:
        flavor = {"bash": "bash", "dash": "dash", "ash": "ash"}.get(program)
        if flavor is None:  # sh: whatever /bin/sh is in this image
            flavor = self.image.shell if self.image.shell in ("dash", "bash", "ash") else "dash"
        name = argv[0]
        args = argv[1:]
        script = None
        script_file = None
        options: set[str] = set()
        interactive_flag = False
        while args:
            a = args[0]
            if a == "--":
                args = args[1:]
                break
            if a in ("--login", "-l", "--norc", "--noprofile", "--posix"):
                args = args[1:]
                continue
            if a.startswith("-") and len(a) > 1 and not a.startswith("--"):
                flags = a[1:]
                args = args[1:]
                for ch in flags:
                    if ch == "c":
                        if not args:
                            if flavor == "bash":
                                io.err(f"{name}: -c: option requires an argument\n")
                            else:
                                io.err(f"{name}: {'0: ' if flavor == 'dash' else ''}-c requires an argument\n")
                            return 2
                        script = args[0]
                        args = args[1:]
                    elif ch == "i":
                        interactive_flag = True
                    elif ch in "exu":
                        options.add(ch)
                    elif ch in "sl":
                        pass
                continue
            if a.startswith("--"):
                io.err(f"{name}: {a}: invalid option\n")
                return 2
            break
        if script is None and args:
            script_file = args[0]
            args = args[1:]
        shell_env = list(env)
        shell = sh_mod.Shell(self, flavor, name=name, env=shell_env, cwd=cwd)
        shell.options |= options
        if script is not None:
            if args:
                shell.name = args[0]
                shell.positional = args[1:]
            return shell.run_script(script, io)
        if script_file is not None:
            try:
                text = self.fs.read(script_file, cwd)
            except FsError as e:
                from minikctl.kubelet.fs import MESSAGES

                msg = MESSAGES.get(e.name, e.name)
                if flavor == "bash":
                    io.err(f"{name}: {script_file}: {msg}\n")
                    return 127 if e.name == "ENOENT" else 126
                if flavor == "dash":
                    io.err(f"{name}: 0: cannot open {script_file}: {'No such file' if e.name == 'ENOENT' else msg}\n")
                    return 2
                io.err(f"{name}: can't open '{script_file}': {msg}\n")
                return 2
            if text.startswith("#!"):
                text = text.split("\n", 1)[1] if "\n" in text else ""
                line = 2
            else:
                line = 1
            shell.name = script_file
            shell.positional = args
            return shell.run_script(text, io, line)
        # commands from standard input
        if (self.tty or interactive_flag) and self.repl is not None:
            shell.interactive = True
            return self.repl(shell, io)
        shell.from_stdin = True
        return shell.run_script(io.stdin.read_all(), io)

    def run_network_tool(self, program: str, argv: list[str], io: sh_mod.IO, caller) -> int:
        who = caller.name if caller is not None and caller.flavor else program
        try:
            from minikctl.network import tools  # the network engineer's module
        except ImportError:
            tools = None
        run = getattr(tools, "run", None) if tools is not None else None
        if run is None:
            io.err(f"{who}: {program}: not yet available\n" if who != program else f"{program}: not yet available\n")
            return 127
        try:
            hosts = parse_hosts(self.fs.read("/etc/hosts"))
        except FsError:
            hosts = {}
        try:
            resolv = self.fs.read("/etc/resolv.conf")
        except FsError:
            resolv = ""
        origin = {"kind": "pod", "pod": self.pod, "container": self.name, "hosts": hosts, "resolv_conf": resolv,
                  "image": self.image, "userland": self.image.userland, "fs": self.fs, "cwd": self.cwd,
                  "namespace": self.pod["metadata"].get("namespace", "default"),
                  "tty": bool(self.tty and self.terminal_out is not None and io.out is self.terminal_out),
                  "stdin": io.stdin.read_all() if program in ("nc", "telnet") else ""}
        code, out, err = run(self.api, [program] + list(argv[1:]), origin)
        if out:
            io.out(out)
        if err:
            io.err(err)
        return int(code)

    def run_data_program(self, program: str, argv: list[str], io: sh_mod.IO) -> int:
        from minikctl.images.catalog import render

        entries = self.image.programs.get(program) or []
        args = list(argv[1:])
        chosen = None
        for e in entries:
            if "args" in e and [str(x) for x in e["args"]] == args:
                chosen = e
                break
        if chosen is None:
            for e in entries:
                pre = e.get("argsPrefix")
                if pre is not None and args[:len(pre)] == [str(x) for x in pre]:
                    chosen = e
                    break
        if chosen is None:
            chosen = next((e for e in entries if "args" not in e and "argsPrefix" not in e), None)
        if chosen is None:
            io.err(f"minikctl: {argv[0]}: this program of image {self.image.name} is not simulated "
                   "(an image definition can describe it under programs:)\n")
            return 1
        values = {"pod_name": self.pod["metadata"]["name"], "hostname": self.hostname, "pod_ip": self.pod_ip,
                  "namespace": self.pod["metadata"].get("namespace", "default"), "image": self.image.ref}
        env = dict(self.env)
        if chosen.get("stdout"):
            io.out(render(str(chosen["stdout"]), values, env, self.now()))
        if chosen.get("stderr"):
            io.err(render(str(chosen["stderr"]), values, env, self.now()))
        return int(chosen.get("exit", 0))


def oci_exec_error(ctx: ExecContext, name: str, exec_format: bool = False) -> str:
    """containerd/runc's wording when the command cannot be started (kubectl prints it after `error: `)."""
    from minikctl.api import rand

    exec_id = rand.token_hex(32)
    if exec_format:
        why = "exec format error"
    elif "/" in name:
        node = ctx.fs.stat(name, ctx.cwd)
        if node is None:
            why = f"stat {name}: no such file or directory"
        else:
            why = "permission denied"
    else:
        why = "executable file not found in $PATH"
    return ("Internal error occurred: error executing command in container: failed to exec in container: "
            f'failed to start exec "{exec_id}": OCI runtime exec failed: exec failed: unable to start container '
            f'process: exec: "{name}": {why}: unknown')


def container_environment(api, pod: dict, container: dict, image, tty: bool = False) -> list[tuple[str, str]]:
    """The process environment as containerd builds it: PATH, HOSTNAME, the image's ENV, the
    kubelet's variables (declared env, service links), then HOME (minikctl.kubelet.envvars);
    an exec with a TTY also gets TERM=xterm."""
    env: list[tuple[str, str]] | None = None
    try:
        from minikctl.kubelet.envvars import container_env
    except ImportError:  # pragma: no cover - envvars ships with the kubelet
        container_env = None
    if container_env is not None:
        env = list(container_env(api, pod, container.get("name", "")))
    if env is None:  # pragma: no cover
        hostname, _ = pod_hostname(api, pod)
        d: dict[str, str] = {"PATH": dict(image.env).get("PATH", DEFAULT_PATH), "HOSTNAME": hostname}
        for k, v in image.env:
            d[k] = v
        for e in container.get("env") or ():
            if "value" in e:
                d[e.get("name", "")] = str(e["value"])
        d.setdefault("HOME", image.user["home"])
        env = list(d.items())
    if tty and not any(k == "TERM" for k, _ in env):
        env.append(("TERM", "xterm"))
    return env


# ------------------------------------------------------------------ entry points
def exec_in_container(api, pod: dict, container_name: str, argv: list[str], *, stdin: str = "", tty: bool = False,
                      out=None, err=None, repl=None) -> int:
    """Run argv in the container; output goes to out/err (callables). Returns the exit code.
    Raises ExecFailed/BadRequest for what kubectl reports as errors (exit 1)."""
    check_exec(pod, container_name)
    ctx = ExecContext(api, pod, container_name, tty=tty)
    ctx.repl = repl
    outs: list[str] = []
    errs: list[str] = []
    io = sh_mod.IO(sh_mod.Input(stdin), out or outs.append, err or errs.append)
    ctx.terminal_out = io.out if tty else None
    return ctx.run_argv(list(argv), io)


class ExecTimedOut(Exception):
    """An exec probe's command ran past its timeout (the kubelet's exec.TimeoutError)."""


def probe_exec(api, pod: dict, container_name: str, command: list[str],
               timeout: float | None = None) -> tuple[int | None, str]:
    """An exec probe: (exit code, combined output); exit code None when the runtime could not start it.
    `timeout` (the probe's timeoutSeconds) is ExecSync's: the command's time budget, and ExecTimedOut
    when the command reaches it or its CPU budget (an endless loop would run into the timeout)."""
    ctx = ExecContext(api, pod, container_name)
    budget = None
    if timeout is not None:
        budget = ctx.shell_budget = sh_mod.Budget(seconds=timeout)
    buf: list[str] = []
    io = sh_mod.IO(sh_mod.Input(""), buf.append, buf.append)
    try:
        code = ctx.run_argv(list(command), io)
    except ExecFailed as e:
        return None, "rpc error: code = Unknown desc = " + str(e).split(": ", 2)[-1]
    if budget is not None and isinstance(budget.ended, sh_mod.StepLimit):
        from minikctl.printers.template import go_quote  # strconv.Quote

        # k8s.io/cri-client/pkg/remote_runtime.go ExecSync: the runtime's DeadlineExceeded becomes
        # exec.NewTimeoutError(fmt.Errorf("command %q timed out", strings.Join(cmd, " ")), timeout)
        raise ExecTimedOut(f"command {go_quote(' '.join(command))} timed out")
    return code, "".join(buf)


# ------------------------------------------------------------------ main process
# A container's main process (its command, or the image's entrypoint and cmd) runs in the simulated
# shell when the kubelet starts it; nothing runs in the background afterwards, so the run is simulated
# ahead at once, on the cluster clock:
#   - `sleep N` makes no wall time pass: it adds N seconds to the process's own clock (MainBudget.slept).
#     What the process prints is logged at start + the seconds slept so far (a line printed after
#     `sleep 30` carries the time 30 s after the start, and `logs` shows it once the clock reaches it),
#     and the process exits at start + the seconds it slept in all: a deferred exit, which the kubelet
#     applies at the `clock advance` that reaches it.
#   - The run is simulated ahead for at most MAIN_HORIZON seconds of its own clock (and within the
#     shell's step budget, MAIN_WALL seconds of real time and the MAIN_LOG_LINES lines a log keeps). A process that would go on longer
#     (`sleep infinity`, `sleep 86400`, `while true; do date; sleep 5; done`, a busy loop) keeps running:
#     its log holds what it printed within that horizon and nothing after. (A real loop prints for
#     ever; a bounded simulation must stop somewhere: one hour of output is what a student looks at.)
MAIN_HORIZON = 3600.0
MAIN_LOG_LINES, MAIN_LOG_BYTES = 5000, 4 * 1024 * 1024  # what the store keeps of one container instance
MAIN_WALL = 5.0
MAIN_STEPS = 200_000


class _Horizon(sh_mod.StepLimit):
    """The main process's run went past what is simulated ahead: it keeps running, silently."""

    def message(self) -> str:
        return ""


class MainBudget(sh_mod.Budget):
    """The budget of a container's main process: sleep moves the process's own clock (up to
    MAIN_HORIZON) instead of counting against the wall-clock limit."""

    def __init__(self, horizon: float = MAIN_HORIZON):
        super().__init__()
        self.horizon = horizon
        self.seconds = min(self.seconds, MAIN_WALL)
        self.max_steps = min(self.max_steps, MAIN_STEPS)

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.max_steps:
            raise _Horizon("steps", "busy")
        if time.monotonic() - self.started > self.seconds:
            raise _Horizon("seconds", "busy")

    def time_up(self):
        return _Horizon("seconds", "busy")

    def sleep(self, seconds: float) -> None:
        if self.slept + seconds > self.horizon:
            self.slept = self.horizon
            raise _Horizon("horizon", "sleeping")
        self.slept += seconds


class MainContext(ExecContext):
    """A container's main process: an exec context whose clock is the start time plus what it slept."""

    def __init__(self, api, pod: dict, container: dict, started: float):
        spec_pod = pod
        if find_container(pod, container.get("name", "")) is None:  # pragma: no cover - defensive
            spec_pod = clone_with(pod, container)
        super().__init__(api, spec_pod, container.get("name", ""))
        self.started = started
        self.shell_budget = MainBudget()

    def now(self) -> float:
        return self.started + self.shell_budget.slept


def clone_with(pod: dict, container: dict) -> dict:  # pragma: no cover - defensive
    import copy

    p = copy.deepcopy(pod)
    p.setdefault("spec", {}).setdefault("containers", []).append(container)
    return p


def run_main_process(api, pod: dict, container: dict, argv: list[str]) -> dict:
    """Run a container's main process (argv) in the simulated shell from the cluster clock's now.
    Returns {"exitCode": int | None (still running), "after": seconds until it exits,
    "log": [(ts, line)], "startError": message | None (runc could not start argv[0])}."""
    started = api.clock.timestamp()
    ctx = MainContext(api, pod, container, started)
    budget = ctx.shell_budget
    log: list[tuple[float, str]] = []
    part: list[str] = []
    size = [0]

    def write(text: str) -> None:
        if not text:
            return
        size[0] += len(text)
        ts = started + budget.slept
        pieces = text.split("\n")
        for p in pieces[:-1]:
            part.append(p)
            log.append((ts, "".join(part)))
            part.clear()
        if pieces[-1]:
            part.append(pieces[-1])
        if len(log) >= MAIN_LOG_LINES or size[0] > MAIN_LOG_BYTES:
            raise _Horizon("output", "the log kept")  # as much as the log keeps: simulated no further

    io = sh_mod.IO(sh_mod.Input(""), write, write)
    try:
        code = sh_mod.guarded(ctx, io, lambda: ctx.run_argv(list(argv), io))
    except ExecFailed as e:
        return {"exitCode": 128, "after": 0.0, "log": [], "startError": _start_error(str(e))}
    if part:
        log.append((started + budget.slept, "".join(part)))
    if isinstance(budget.ended, _Horizon):
        return {"exitCode": None, "after": None, "log": log, "startError": None}
    return {"exitCode": int(code), "after": float(budget.slept), "log": log, "startError": None}


def _start_error(exec_error: str) -> str:
    """runc's create error for a process it cannot start, as containerd 1.7 reports StartError."""
    why = exec_error.split("unable to start container process: ", 1)[-1]
    return ("failed to create containerd task: failed to create shim task: OCI runtime create failed: "
            f"runc create failed: unable to start container process: {why}")
