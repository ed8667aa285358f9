"""The check engine: declarative, read-only checks of a cluster's state.

A check is a mapping with one type key (its main argument) and the fields of that type:

  exists: TYPE/NAME            absent: TYPE/NAME
  jsonpath: TYPE/NAME, path: '{.spec.type}', equals: V | matches: REGEX
  readyPods: SELECTOR [count: N]        (N ready pods; default: at least one)
  endpoints: SERVICE, selector: SELECTOR  (the Service's ready endpoints are exactly those pods)
  http: URL, from: outside | SELECTOR | pod/NAME [status: 200] [body: REGEX] [insecure: true (curl -k)]
  dns: NAME, from: SELECTOR | pod/NAME [resolves: true]
  env: VARIABLE, pod: SELECTOR | pod/NAME [container: C] [value: V | matches: REGEX]
  logs: REGEX, pod: SELECTOR | pod/NAME [container: C]
  event: REASON [object: TYPE | TYPE/NAME] [message: REGEX]
  command: 'minikctl ...' [exit: 0] [output: REGEX]

Every check may have `namespace` (default: default) and `description`. Checks name objects by
their fixed names or pods by label selectors, never by generated names; a pod picked by a
selector is the first ready one by name (else the first running one, else the first).

All checks of one run read one snapshot of the store through a read-only connection; what the
simulated tools would record (access-log lines, an affinity choice) goes to a journal that is
dropped (minikctl.kubelet.journal). A `command` check runs on a copy of the store.
"""

from __future__ import annotations

import re
import shlex

# type -> (required fields, optional fields)
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "exists": ((), ()),
    "absent": ((), ()),
    "jsonpath": (("path",), ("equals", "matches")),
    "readyPods": ((), ("count",)),
    "endpoints": (("selector",), ()),
    "http": (("from",), ("status", "body", "insecure")),
    "dns": (("from",), ("resolves",)),
    "env": (("pod",), ("container", "value", "matches")),
    "logs": (("pod",), ("container",)),
    "event": ((), ("object", "message")),
    "command": ((), ("exit", "output")),
}
COMMON = ("namespace", "description")
REF_TYPES = ("exists", "absent", "jsonpath")


class CheckFailed(Exception):
    pass


# --------------------------------------------------------------------------- lint
def lint_check(check: dict) -> list[tuple[tuple, bool, str]]:
    """Problems of one check past the schema: [(subpath, at_key, message)]."""
    out: list = []
    ctype = next(k for k in TYPES if k in check)
    req, opt = TYPES[ctype]
    for k in check:
        if k != ctype and k not in req and k not in opt and k not in COMMON:
            allowed = ", ".join(sorted(set(req + opt + COMMON)))
            out.append(((k,), True, f'field "{k}" does not apply to a {ctype} check (it takes: {allowed})'))
    for k in req:
        if k not in check:
            out.append(((), False, f'a {ctype} check needs "{k}"'))
    arg = check[ctype]
    if ctype in REF_TYPES:
        msg = _ref_problem(arg)
        if msg:
            out.append(((ctype,), False, msg))
    if ctype == "jsonpath":
        if ("equals" in check) == ("matches" in check):
            out.append(((), False, 'a jsonpath check needs exactly one of "equals" and "matches"'))
        if isinstance(check.get("path"), str):
            from minikctl.printers.template import JSONPathError, parse

            try:
                parse(check["path"])
            except (JSONPathError, Exception) as e:  # noqa: BLE001 - any parse failure is the author's
                out.append((("path",), False, f"invalid JSONPath template: {e}"))
    if ctype == "env" and "value" in check and "matches" in check:
        out.append(((), False, 'an env check takes "value" or "matches", not both'))
    for k in ("readyPods", "selector"):
        if k in check and (k == ctype or k == "selector"):
            msg = _selector_problem(check[k])
            if msg:
                out.append(((k,), False, msg))
    for k in ("from", "pod"):
        if k in check and not (k == "from" and check[k] == "outside" and ctype == "http"):
            v = check[k]
            if v.startswith("pod/"):
                if not v[4:]:
                    out.append(((k,), False, "pod/ needs a pod name"))
            else:
                msg = _selector_problem(v)
                if msg:
                    out.append(((k,), False, msg + (' (or "outside")' if ctype == "http" and k == "from" else "")))
    for k in ("matches", "body", "message", "output") + (("logs",) if ctype == "logs" else ()):
        if isinstance(check.get(k), str):
            try:
                re.compile(check[k])
            except re.error as e:
                out.append(((k,), False, f"invalid regular expression: {e}"))
    if ctype == "http" and not re.match(r"^https?://[^/\s]+", arg):
        out.append(((ctype,), False, f"{arg!r} is not an http:// or https:// URL"))
    if ctype == "event" and "object" in check:
        from minikctl.api import kinds as K

        if K.resolve(check["object"].split("/", 1)[0]) is None:
            out.append((("object",), False, f'unknown resource type "{check["object"].split("/", 1)[0]}"'))
    if ctype == "command":
        msg = command_problem(arg)
        if msg:
            out.append(((ctype,), False, msg))
    return out


def _ref_problem(ref: str) -> str | None:
    from minikctl.api import kinds as K

    kind, sep, name = ref.partition("/")
    if not sep or not name or not kind:
        return f"{ref!r} must be TYPE/NAME, e.g. service/web"
    if K.resolve(kind) is None:
        return f'unknown resource type "{kind}"'
    return None


def _selector_problem(text: str) -> str | None:
    from minikctl.api.errors import MinikctlError
    from minikctl.api.selectors import parse

    if not text.strip():
        return "empty label selector (it would match every pod)"
    try:
        parse(text)
    except MinikctlError as e:
        return f"invalid label selector {text!r}: {e}"
    return None


def command_problem(line: str) -> str | None:
    """A command line must be `minikctl ARGS`, words only: no pipes, redirections, substitutions."""
    try:
        lex = shlex.shlex(line, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        words = list(lex)
    except ValueError as e:
        return f"cannot split the command line: {e}"
    if not words or words[0] != "minikctl":
        return "a command line must start with minikctl"
    if re.search(r"\$[({A-Za-z_]|`", "".join(lex_unquoted(line))):
        return "a command line must not use shell substitutions ($VAR, $(...), `...`): checks never depend on generated names"
    bad = [w for w in words if w and set(w) <= set("|&;<>()")]
    if bad:
        return f"a command line must be one minikctl command, without shell operators ({bad[0]})"
    return None


def lex_unquoted(line: str) -> list[str]:
    """The parts of a command line outside single quotes (where bash would expand $ and `)."""
    return line.split("'")[0::2]


def lint_lab(data: dict) -> list[tuple[tuple, bool, str]]:
    """The lab's problems past the schema: unique task names, each check's fields, command lines."""
    out: list = []
    names: dict[str, int] = {}
    setup = data.get("setup") or {}
    for fname in setup.get("files") or {}:
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", fname):
            out.append((("setup", "files", fname), True,
                        f"{fname!r} must be a plain file name (letters, digits, . _ -): files go to the lab's directory"))
    for i, c in enumerate(setup.get("commands") or []):
        line = c if isinstance(c, str) else c.get("run", "")
        msg = command_problem(line)
        if msg:
            out.append((("setup", "commands", i), False, msg))
    for ti, task in enumerate(data.get("tasks") or []):
        if task["name"] in names:
            out.append((("tasks", ti, "name"), False, f'duplicate task name "{task["name"]}" (task {names[task["name"]] + 1})'))
        names.setdefault(task["name"], ti)
        for si, c in enumerate(task.get("solution") or []):
            line = c if isinstance(c, str) else c.get("run", "")
            msg = command_problem(line)
            if msg:
                out.append((("tasks", ti, "solution", si), False, msg))
        for ci, check in enumerate(task["checks"]):
            for sub, key, msg in lint_check(check):
                out.append((("tasks", ti, "checks", ci) + sub, key, msg))
    return out


# --------------------------------------------------------------------------- running
class Env:
    """What the checks of one run share: the API over one read snapshot, the store's path."""

    def __init__(self, api, store_path: str):
        self.api = api
        self.store_path = store_path
        self._kinds: dict = {}

    def kind(self, word: str):
        from minikctl.api import kinds as K

        return K.resolve(word)


def run_check(env: Env, check: dict) -> tuple[bool, str]:
    """(passed, message): the message says what was expected and what was found."""
    ctype = next(k for k in TYPES if k in check)
    try:
        ok, msg = _RUNNERS[ctype](env, check, check[ctype], check.get("namespace") or "default")
    except CheckFailed as e:
        ok, msg = False, str(e)
    if not ok and check.get("description"):
        msg = f"{check['description']}: {msg}"
    return ok, msg


def _obj(env: Env, ref: str, ns: str):
    kind_word, _, name = ref.partition("/")
    kind = env.kind(kind_word)
    return kind, name, env.api.try_get(kind.plural, ns, name)


def _ns_text(kind, ns: str) -> str:
    return f" in namespace {ns}" if kind.namespaced else ""


def _exists(env, check, ref, ns):
    kind, name, obj = _obj(env, ref, ns)
    if obj is None:
        return False, f"expected {kind.singular}/{name}{_ns_text(kind, ns)} to exist, found none"
    return True, f"{kind.singular}/{name} exists"


def _absent(env, check, ref, ns):
    kind, name, obj = _obj(env, ref, ns)
    if obj is not None:
        return False, f"expected no {kind.singular}/{name}{_ns_text(kind, ns)}, found one"
    return True, f"{kind.singular}/{name} is absent"


def _jsonpath(env, check, ref, ns):
    from minikctl.printers.template import execute, parse

    kind, name, obj = _obj(env, ref, ns)
    if obj is None:
        return False, f"expected {kind.singular}/{name}{_ns_text(kind, ns)} to exist, found none"
    try:
        value = execute(parse(check["path"]), obj, allow_missing=True)
    except Exception as e:  # noqa: BLE001 - a template error on this object's data
        value = f"<error: {e}>"
    where = f"{kind.singular}/{name} {check['path']}"
    if "equals" in check:
        want = _go_text(check["equals"])
        if value == want:
            return True, f"{where} is {want!r}"
        return False, f"expected {where} to be {want!r}, found {_shown(value)}"
    if re.search(check["matches"], value):
        return True, f"{where} matches {check['matches']!r}"
    return False, f"expected {where} to match {check['matches']!r}, found {_shown(value)}"


def _go_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _shown(value: str) -> str:
    if value == "":
        return "nothing"
    return repr(value if len(value) <= 200 else value[:200] + "...")


def _selector(text: str):
    from minikctl.api.selectors import parse

    return parse(text)


def pod_ready(pod: dict) -> bool:
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _pod_state(pod: dict) -> str:
    """A short word for a pod that is not ready, as `get pods` shows its STATUS."""
    st = pod.get("status") or {}
    for cs in st.get("containerStatuses") or []:
        state = cs.get("state") or {}
        for k in ("waiting", "terminated"):
            if state.get(k, {}).get("reason"):
                return state[k]["reason"]
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    phase = st.get("phase") or "Pending"
    if phase == "Running":
        return "Running, not ready"
    return phase


def _pods(env, selector_text: str, ns: str) -> list[dict]:
    return sorted(env.api.list("pods", ns, _selector(selector_text)), key=lambda p: p["metadata"]["name"])


def _ready_pods(env, check, sel, ns):
    pods = _pods(env, sel, ns)
    ready = [p for p in pods if pod_ready(p)]
    want = check.get("count")
    ok = len(ready) == want if want is not None else bool(ready)
    what = f"{want}" if want is not None else "at least 1"
    found = f"{len(ready)}"
    if pods and len(ready) < len(pods):
        states: dict[str, int] = {}
        for p in pods:
            if not pod_ready(p):
                s = _pod_state(p)
                states[s] = states.get(s, 0) + 1
        found += f" (of {len(pods)} matching; not ready: " + ", ".join(f"{n} {s}" for s, n in states.items()) + ")"
    elif not pods:
        found += " (no pod matches)"
    msg = f"expected {what} ready pod(s) matching {sel} in namespace {ns}, found {found}"
    return ok, msg if not ok else f"{len(ready)} ready pod(s) match {sel}"


def _endpoints(env, check, svc, ns):
    sel = check["selector"]
    if env.api.try_get("services", ns, svc) is None:
        return False, f"expected service/{svc} in namespace {ns} to exist, found none"
    want = {p["metadata"]["name"] for p in _pods(env, sel, ns) if pod_ready(p)}
    ep = env.api.try_get("endpoints", ns, svc) or {}
    got = set()
    for s in ep.get("subsets") or []:
        for a in s.get("addresses") or []:
            ref = a.get("targetRef") or {}
            got.add(ref.get("name") if ref.get("kind") == "Pod" else a.get("ip"))
    if want and got == want:
        return True, f"the endpoints of service/{svc} are the {len(want)} ready pod(s) matching {sel}"
    exp = f"the ready pods matching {sel} ({', '.join(sorted(want)) or 'none is ready'})"
    return False, f"expected the endpoints of service/{svc} to be {exp}, found {', '.join(sorted(got)) or 'no ready endpoint'}"


def _pick_pod(env, spec: str, ns: str) -> dict:
    if spec.startswith("pod/"):
        pod = env.api.try_get("pods", ns, spec[4:])
        if pod is None:
            raise CheckFailed(f"expected {spec} in namespace {ns}, found none")
        return pod
    pods = _pods(env, spec, ns)
    if not pods:
        raise CheckFailed(f"expected a pod matching {spec} in namespace {ns}, found none")
    for cond in (pod_ready, lambda p: (p.get("status") or {}).get("phase") == "Running"):
        for p in pods:
            if cond(p):
                return p
    return pods[0]


def _running(pod: dict, spec: str) -> None:
    if (pod.get("status") or {}).get("phase") != "Running":
        raise CheckFailed(f"expected a running pod {spec}, found {pod['metadata']['name']} {_pod_state(pod)}")


def _origin(env, spec: str, ns: str) -> dict:
    from minikctl.cli.cmd_net import _first_container, _image_entry, client_hosts, pod_hosts

    if spec == "outside":
        return {"kind": "external", "hosts": client_hosts(env.api), "tty": False}
    pod = _pick_pod(env, spec, ns)
    _running(pod, spec)
    return {"kind": "pod", "pod": pod, "container": _first_container(pod), "hosts": pod_hosts(pod),
            "image": _image_entry(env.api, pod), "tty": False}


def _last_line(text: str) -> str:
    """What a tool said last (curl's `curl: (N) ...` line before any hint minikctl adds)."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    said = [ln for ln in lines if ln.startswith(("curl:", "**", ";;"))]
    return (said or lines or [""])[-1]


_MARK = "\nhttp_code="  # curl -w: the status after the body


def _http(env, check, url, ns):
    from minikctl.network import tools

    origin = _origin(env, check["from"], ns)
    where = "from outside the cluster" if check["from"] == "outside" else f"from a pod {check['from']}"
    argv = ["curl", "-sS", "--connect-timeout", "2", "-m", "5"] + (["-k"] if check.get("insecure") else [])
    code, out, err = tools.run(env.api, argv + ["-w", _MARK + "%{http_code}", url], origin)
    body, _, status = out.rpartition(_MARK)
    want_status = int(check.get("status", 200))
    if code != 0 and status in ("", "000"):
        return False, f"expected GET {url} {where} to answer {want_status}, found: {_last_line(err) or f'curl exit code {code}'}"
    got = int(status) if status.isdigit() else 0
    if got != want_status:
        return False, f"expected GET {url} {where} to answer {want_status}, found {got}"
    if "body" in check and not re.search(check["body"], body):
        first = _last_line(body.split("\n", 1)[0]) if body else ""
        return False, (f"expected the body of GET {url} {where} to match {check['body']!r}, found "
                       f"{_shown(first) if first else 'an empty body'}")
    return True, f"GET {url} {where} answered {got}"


def _dns(env, check, name, ns):
    """nslookup from the pod: the name resolves when the answer has an address (BusyBox's nslookup
    exits 1 when any of its search-path or AAAA queries fails, even with an answer)."""
    from minikctl.network import tools

    origin = _origin(env, check["from"], ns)
    _code, out, err = tools.run(env.api, ["nslookup", name], origin)
    addrs, in_answer = [], False
    for ln in out.splitlines():
        if ln.startswith("Name:"):
            in_answer = True
        elif in_answer and ln.startswith("Address") and ":" in ln:
            addrs.append(ln.split(":", 1)[1].strip())
        elif not ln.strip():
            in_answer = False
    want = check.get("resolves", True)
    where = f"from a pod {check['from']}"
    if bool(addrs) == want:
        return True, f"{name} {'resolves' if want else 'does not resolve'} {where}"
    if want:
        said = [ln.strip() for ln in (out + err).splitlines() if ln.startswith(("**", ";;"))]
        return False, f"expected {name} to resolve {where}, found: {said[0] if said else _last_line(err or out)}"
    return False, f"expected {name} not to resolve {where}, found {', '.join(dict.fromkeys(addrs))}"


def _container(pod: dict, name: str | None) -> dict:
    cs = (pod.get("spec") or {}).get("containers") or []
    if name is None:
        return cs[0] if cs else {}
    for c in cs + list((pod.get("spec") or {}).get("initContainers") or []):
        if c.get("name") == name:
            return c
    raise CheckFailed(f"expected a container {name} in pod {pod['metadata']['name']}, found "
                      f"{', '.join(c.get('name', '') for c in cs)}")


def _env(env, check, var, ns):
    from minikctl.images import catalog
    from minikctl.kubelet import exec as ex

    pod = _pick_pod(env, check["pod"], ns)
    c = _container(pod, check.get("container"))
    img = catalog.resolve(env.api.store, c.get("image") or "")
    values = dict(ex.container_environment(env.api, pod, c, img))
    where = f"the environment of container {c.get('name')} of a pod {check['pod']}"
    if var not in values:
        near = sorted(k for k in values if k.split("_")[0] == var.split("_")[0])
        return False, f"expected {var} in {where}, found none" + (f" (similar: {', '.join(near[:5])})" if near else "")
    v = values[var]
    if "value" in check and v != str(check["value"]):
        return False, f"expected {var}={check['value']} in {where}, found {var}={v}"
    if "matches" in check and not re.search(check["matches"], v):
        return False, f"expected {var} to match {check['matches']!r} in {where}, found {var}={v}"
    return True, f"{var}={v}"


def _logs(env, check, pattern, ns):
    from minikctl.api.errors import MinikctlError
    from minikctl.kubelet import logs

    spec = check["pod"]
    pods = [_pick_pod(env, spec, ns)] if spec.startswith("pod/") else _pods(env, spec, ns)
    if not pods:
        return False, f"expected a pod matching {spec} in namespace {ns}, found none"
    rx = re.compile(pattern)
    last = ""
    why = ""
    for pod in pods:
        c = _container(pod, check.get("container"))
        try:
            lines = logs.rendered(env.api, pod, c.get("name", ""), False)
        except MinikctlError as e:
            why = str(e)
            continue
        for _, ln in lines:
            if rx.search(ln):
                return True, f"{pod['metadata']['name']} logged {ln!r}"
        if lines:
            last = lines[-1][1]
    found = f"none (last line: {last!r})" if last else (f"none ({why})" if why else "no log lines")
    return False, f"expected a log line matching {pattern!r} from pods {spec} in namespace {ns}, found {found}"


def _event(env, check, reason, ns):
    events = env.api.list("events", ns)
    kind = name = None
    if check.get("object"):
        kw, _, name = check["object"].partition("/")
        kind = env.kind(kw).kind
        name = name or None
    seen = []
    for e in events:
        io = e.get("involvedObject") or e.get("regarding") or {}
        if kind and io.get("kind") != kind or name and io.get("name") != name:
            continue
        seen.append(e.get("reason") or "")
        if e.get("reason") == reason and ("message" not in check or re.search(check["message"], e.get("message") or "")):
            return True, f"event {reason}: {e.get('message', '')}"
    about = f" about {check['object']}" if check.get("object") else ""
    msg = f" with a message matching {check['message']!r}" if "message" in check else ""
    reasons = ", ".join(sorted(set(seen)))
    return False, f"expected an event {reason}{about}{msg} in namespace {ns}, found " + (f"only {reasons}" if reasons else "none")


def _command(env, check, line, ns):
    from minikctl.labs.runner import run_on_copy

    code, out, err = run_on_copy(env.store_path, shlex.split(line)[1:])
    want = int(check.get("exit", 0))
    text = out + err
    if code != want:
        return False, f"expected `{line}` to exit {want}, found exit code {code}" + (
            f": {_last_line(err)}" if _last_line(err) else "")
    if "output" in check and not re.search(check["output"], text):
        return False, f"expected the output of `{line}` to match {check['output']!r}, found {_shown(text.strip())}"
    return True, f"`{line}` exited {code}"


_RUNNERS = {"exists": _exists, "absent": _absent, "jsonpath": _jsonpath, "readyPods": _ready_pods,
            "endpoints": _endpoints, "http": _http, "dns": _dns, "env": _env, "logs": _logs, "event": _event,
            "command": _command}


# --------------------------------------------------------------------------- a whole lab
class TaskResult:
    __slots__ = ("task", "passed", "message")

    def __init__(self, task, passed: bool, message: str):
        self.task, self.passed, self.message = task, passed, message


def check_lab(lab, store_path: str) -> list[TaskResult]:
    """Every task's result on the store at store_path, opened read-only; a task passes when all its
    checks pass, and its message is the first failing check's."""
    from minikctl.kubelet import journal as jn
    from minikctl.labs.store import open_readonly

    session = open_readonly(store_path)
    try:
        with jn.snapshot(session) as (api, _journal):  # the journal is never committed
            env = Env(api, store_path)
            results = []
            for task in lab.tasks:
                passed, message = True, ""
                for check in task.checks:
                    ok, msg = run_check(env, check)
                    if not ok:
                        passed, message = False, msg
                        break
                results.append(TaskResult(task, passed, message))
            return results
    finally:
        session.close()
