"""minikctl wait, as kubectl 1.32's (staging/src/k8s.io/kubectl/pkg/cmd/wait: wait.go,
condition.go, delete.go, json.go, create.go).

The objects are visited in order, each waited for until the condition holds (printed
`pod/x condition met`) or the command's --timeout (one deadline for all of them) passes
(`error: timed out waiting for the condition on pods/x`, exit 1, the next ones not visited).
The wait is on the cluster clock (minikctl.api.ticker): a manual clock is advanced step by
step, each step its own short transaction; a wall clock is polled.
"""

from __future__ import annotations

from minikctl.api.errors import MinikctlError, NotFound, UsageError

WEEK_NS = 168 * 3600 * 1_000_000_000


class _Plain(MinikctlError):
    def render(self) -> str:
        return str(self)


def _condition(text: str):
    """conditionFuncFor: (kind, data)."""
    from minikctl.printers import template as T

    low = text.lower()
    if low == "delete":
        return "delete", None
    if low == "create":
        return "create", None
    if text.startswith("condition="):
        name = text[len("condition="):]
        value = "true"
        if "=" in name:
            name, _, value = name.partition("=")
        return "condition", (name, value)
    if text.startswith("jsonpath="):
        parts = _split_jsonpath(text[len("jsonpath="):])
        if len(parts) < 1 or len(parts) > 2:
            raise UsageError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                             "--for=jsonpath='{.status.readyReplicas}'")
        expr = T.relaxed(parts[0])
        value = ""
        if len(parts) == 2:
            value = parts[1].strip("'\"")
            if not value:
                raise UsageError("jsonpath wait has to have a value after equal sign, like "
                                 "--for=jsonpath='{.status.readyReplicas}'=3")
        if not expr:
            raise UsageError("jsonpath expression cannot be empty")
        try:
            nodes = T.parse(expr)
        except T.JSONPathError as e:
            raise UsageError(str(e)) from None
        return "jsonpath", (nodes, value)
    raise UsageError(f"unrecognized condition: {T.go_quote(text)}")


def _split_jsonpath(s: str) -> list[str]:
    """splitJSONPathInput: '=' splits, '==' stays."""
    out, cur, i = [], [], 0
    while i < len(s):
        if s[i] == "=":
            if i < len(s) - 1 and s[i + 1] == "=":
                cur.append("==")
                i += 2
                continue
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(s[i])
        i += 1
    out.append("".join(cur))
    return out


def _check(kind: str, data, obj: dict) -> bool:
    if kind == "condition":
        name, value = data
        meta = obj.get("metadata") or {}
        for c in (obj.get("status") or {}).get("conditions") or []:
            if not isinstance(c, dict) or str(c.get("type", "")).casefold() != name.casefold():
                continue
            if not isinstance(c.get("status"), str):
                continue
            gen = meta.get("generation")
            if isinstance(gen, int):
                observed = c.get("observedGeneration")
                if not isinstance(observed, int):
                    observed = (obj.get("status") or {}).get("observedGeneration")
                if isinstance(observed, int) and observed < gen:
                    return False
            return c["status"].casefold() == value.casefold()
        return False
    if kind == "jsonpath":
        from minikctl.printers import template as T

        nodes, value = data
        try:
            results = T._Engine(nodes, True).find_results(obj)
        except T.JSONPathError as e:
            raise _Plain(f"error: {e}") from None
        if not results or not results[0]:
            return False
        if len(results) > 1:
            raise _Plain("error: given jsonpath expression matches more than one list")
        if len(results[0]) > 1:
            raise _Plain("error: given jsonpath expression matches more than one value")
        if not value:
            return True
        r = results[0][0]
        if isinstance(r, (dict, list)):
            raise _Plain("error: jsonpath leads to a nested object or list which is not supported")
        return T._text(r).strip() == value.strip()
    return True


def run(ctx) -> int:
    from minikctl.api import ticker
    from minikctl.cli.cmd_rollout import _print, _timeout

    o = ctx.opts
    kind, data = _condition(o.get("for") or "")
    timeout = o.get("timeout")
    text = "30s" if timeout in (None, "") else str(timeout)
    negative = text.startswith("-")
    ns = WEEK_NS if negative else _timeout(text, "30s")
    if not ctx.args and not o.get("filename"):
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n   '<resource>'")
    from minikctl.cli.cmd_apply import check_printer

    check_printer(ctx)
    session = ctx.session()
    start = session.clock.now_ns()
    manual = ticker.manual(session)
    import time

    wall_start = time.monotonic()

    def remaining() -> int:
        if manual:
            return ns - (session.clock.now_ns() - start)
        return ns - int((time.monotonic() - wall_start) * 1e9)

    def find(api, errors):
        from minikctl.cli.cmd_label import select

        return select(ctx, api, ctx.args, allow_empty_selector=bool(o.get("all")), errors=errors)[0]

    if kind == "create":
        def created(api):
            errors: list = []
            find(api, errors)
            if any(isinstance(e, NotFound) for e in errors):
                return None
            return True

        if created(ticker._fresh(session)) is None:
            if ns == 0 or ticker.wait_until(session, created, max(remaining(), 1)) is None:
                raise UsageError("timed out waiting for the condition")
    api = ticker._fresh(session)
    errors: list = []
    targets = find(api, errors)
    if errors:
        if kind == "delete":
            errors = [e for e in errors if not isinstance(e, NotFound)]
        if errors:
            from minikctl.cli.cmd_label import raise_collected

            raise_collected(errors[:1])
    if not targets and kind != "delete":
        raise UsageError("no matching resources found")
    for t in targets:
        name = t.name
        label = f"{t.kind.plural}/{name}"
        uid = t.obj["metadata"].get("uid")
        if kind == "create":
            _print(ctx, t.obj, "condition met")
            continue
        if kind == "delete":
            def gone(api, t=t, uid=uid):
                cur = api.try_get(t.kind.plural, t.namespace, t.name)
                return True if cur is None or cur["metadata"].get("uid") != uid else None

            if gone(ticker._fresh(session)):
                _print(ctx, t.obj, "condition met")
                continue
            if ns == 0:
                raise UsageError(f"condition not met for {label}")
            left = remaining()
            if left <= 0 or ticker.wait_until(session, gone, left) is None:
                raise UsageError(f"timed out waiting for the condition on {label}")
            _print(ctx, t.obj, "condition met")
            continue
        holder = {}

        def met(api, t=t, holder=holder):
            cur = api.try_get(t.kind.plural, t.namespace, t.name)
            if cur is None:
                return None  # deleted meanwhile: wait on (it may come back)
            holder["obj"] = cur
            return True if _check(kind, data, cur) else None

        if met(ticker._fresh(session)):
            _print(ctx, holder["obj"], "condition met")
            continue
        if ns == 0:
            if "obj" not in holder:
                raise NotFound.of(t.kind.group_resource, name)
            raise UsageError(f"condition not met for {label}")
        left = remaining()
        if left <= 0 or ticker.wait_until(session, met, left) is None:
            raise UsageError(f"timed out waiting for the condition on {label}")
        _print(ctx, holder["obj"], "condition met")
    return 0
