"""minikctl events: kubectl 1.32's `events` command
(staging/src/k8s.io/kubectl/pkg/cmd/events/events.go and event_printer.go).

- the namespace's events (every namespace with -A), `--for TYPE/NAME` as the field selector
  involvedObject.kind=KIND,involvedObject.name=NAME, `--types` compared case-insensitively;
- sorted with Go's sort.Sort (not stable) on the event's time: series.lastObservedTime, else
  lastTimestamp, else eventTime (SortableEvents);
- printed by EventPrinter: LAST SEEN (`30s`, `2m (x3 over 5m)`), TYPE, REASON, OBJECT as
  `Kind/name`, MESSAGE trimmed, in printers.GetNewTabWriter (minwidth 6, padding 3);
- `-o json|yaml|name|jsonpath...` print the EventList; nothing found is
  `No events found in NS namespace.` on stderr, exit 0.
"""

from __future__ import annotations

from minikctl.api.errors import UsageError

# PrintFlags' formats for `events` (no table printer flags: no wide, no custom-columns)
_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "name",
            "template", "templatefile", "yaml")


def _check_format(fmt: str) -> None:
    head = fmt.split("=", 1)[0]
    if fmt in ("json", "yaml", "name") or (head in _FORMATS and "=" in fmt):
        return
    raise UsageError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                     + ",".join(_FORMATS))


def _typed(value, t):
    """`value` with its keys in the Go struct's field order (encoding/json of a typed object;
    kubectl's events command reads typed corev1.Events), TypeMeta's kind before apiVersion."""
    if isinstance(t, tuple) and t[0] == "S" and isinstance(value, dict):
        fields = t[2]
        order = list(fields)
        if order[:2] == ["apiVersion", "kind"]:
            order[:2] = ["kind", "apiVersion"]
        out = {k: _typed(value[k], fields[k]) for k in order if k in value}
        out.update((k, value[k]) for k in sorted(value) if k not in fields)
        return out
    if isinstance(t, tuple) and t[0] == "L" and isinstance(value, list):
        return [_typed(v, t[1]) for v in value]
    return value


def go_json(data: dict) -> str:
    """json.MarshalIndent as kubectl's JSONPrinter writes a typed EventList (<, >, & escaped)."""
    import json

    from minikctl.api.schema import EVENT

    typed = {"kind": data["kind"], "apiVersion": data["apiVersion"], "metadata": data["metadata"],
             "items": [_typed(e, EVENT) for e in data["items"]]}
    from minikctl.printers.structured import go_escape

    return go_escape(json.dumps(typed, indent=4, ensure_ascii=False)) + "\n"


def _decode_for(value: str):
    """decodeResourceTypeName: (Kind, name) or an error as kubectl words it."""
    if "/" not in value:
        raise UsageError("--for must be in resource/name form")
    seg = value.split("/")
    if len(seg) != 2:
        raise UsageError("arguments in resource/name form may not have more than one slash")
    from minikctl.api import kinds as K

    kind = K.resolve(seg[0].lower())
    if kind is None:  # meta.NoResourceMatchError: cmdutil.CheckErr prints it without `error: `
        raise _NoMatch(f"the server doesn't have a resource type \"{seg[0].lower()}\"")
    return kind, seg[1]


class _NoMatch(UsageError):
    def render(self) -> str:
        return str(self)


def event_time(ev: dict) -> tuple:
    """eventTime(): what SortableEvents compares (a zero time sorts first)."""
    from minikctl.printers.duration import parse_time

    series = ev.get("series")
    if isinstance(series, dict):
        t = parse_time(series.get("lastObservedTime"))
    else:
        t = parse_time(ev.get("lastTimestamp"))
        if t is None:
            t = parse_time(ev.get("eventTime"))
    return (0, 0.0) if t is None else (1, t.timestamp())


def sort_events(evs: list[dict]) -> list[dict]:
    from minikctl.printers.template import go_sort

    items = list(evs)
    keys = [event_time(e) for e in items]

    def less(i: int, j: int) -> bool:
        return keys[i] < keys[j]

    def swap(i: int, j: int) -> None:
        items[i], items[j] = items[j], items[i]
        keys[i], keys[j] = keys[j], keys[i]

    go_sort(len(items), less, swap)
    return items


def _escape_cell(s: str) -> str:
    """escapeCell: cut at the first \\f \\n \\r (adding ...), then EscapeTerminal."""
    from minikctl.printers.table import escape_terminal

    cut = min((k for k in (s.find(c) for c in "\f\n\r") if k >= 0), default=-1)
    if cut >= 0:
        s = s[:cut] + "..."
    return escape_terminal(s)


def interval(ev: dict, now) -> str:
    """getInterval: the first time, or `LAST (xN over FIRST)` for a repeated event."""
    from minikctl.printers.duration import age, parse_time

    first = age(ev.get("eventTime"), now)
    if parse_time(ev.get("eventTime")) is None:
        first = age(ev.get("firstTimestamp"), now)
    series = ev.get("series")
    if isinstance(series, dict):
        return f"{age(series.get('lastObservedTime'), now)} (x{int(series.get('count') or 0)} over {first})"
    count = ev.get("count")
    if isinstance(count, int) and count > 1:
        return f"{age(ev.get('lastTimestamp'), now)} (x{count} over {first})"
    return first


def render_events(evs: list[dict], now, *, no_headers: bool, all_namespaces: bool) -> str:
    from minikctl.printers.table import tabwrite

    lines = []
    if not no_headers:
        lines.append(("NAMESPACE\t" if all_namespaces else "") + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE")
    for ev in evs:
        inv = ev.get("involvedObject") or {}
        cells = [interval(ev, now), _escape_cell(ev.get("type") or ""), _escape_cell(ev.get("reason") or ""),
                 _escape_cell(inv.get("kind") or "") + "/" + _escape_cell(inv.get("name") or ""),
                 _escape_cell((ev.get("message") or "").strip())]
        if all_namespaces:
            cells.insert(0, (ev.get("metadata") or {}).get("namespace") or "")
        lines.append("\t".join(cells))
    # printers.GetNewTabWriter: minwidth 6, padding 3
    return tabwrite("\n".join(lines) + "\n", minwidth=6, padding=3)


def _keep(e: dict, for_kind, for_name, types) -> bool:
    """--for (the field selector events.go builds) and --types (filteredEventType)."""
    if for_name and tuple((e.get("involvedObject") or {}).get(f) for f in ("kind", "apiVersion", "name")) != \
            (for_kind.kind, for_kind.api_version, for_name):
        return False
    return not types or (e.get("type") or "").lower() in {t.lower() for t in types}


def run(ctx) -> int:
    o = ctx.opts
    fmt = o.get("output") or ""
    if fmt:
        _check_format(fmt)
    for_kind = for_name = None
    if o.get("for"):
        for_kind, for_name = _decode_for(o["for"])
    types = sorted(set(t for v in (o.get("types") or ()) for t in v.split(",")))
    for t in types:  # EventsOptions.Validate
        if t.lower() not in ("normal", "warning"):
            raise UsageError("valid --types are Normal or Warning")
    all_ns = bool(o.get("all_namespaces"))
    if o.get("watch"):  # issue 12: events -w (cli/watching.py)
        from minikctl.cli import watching as W

        return W.run_events(ctx, fmt, None if all_ns else ctx.namespace, lambda e: _keep(e, for_kind, for_name, types))
    session = ctx.session()
    ns = None if all_ns else ctx.namespace
    evs = session.api.list("events", ns)
    if for_name:  # involvedObject.kind, involvedObject.apiVersion and involvedObject.name
        want = (for_kind.kind, for_kind.api_version, for_name)
        evs = [e for e in evs if tuple((e.get("involvedObject") or {}).get(f) for f in ("kind", "apiVersion", "name"))
               == want]
    if types:
        wanted = {t.lower() for t in types}
        evs = [e for e in evs if (e.get("type") or "").lower() in wanted]
    if not evs:
        ctx.warn("No events found." if all_ns else f"No events found in {ctx.namespace} namespace.")
        return 0
    # kube-apiserver lists in key order (namespace, name); then SortableEvents
    evs.sort(key=lambda e: ((e.get("metadata") or {}).get("namespace") or "", (e.get("metadata") or {}).get("name") or ""))
    evs = sort_events(evs)
    if not fmt:
        ctx.out.write(render_events(evs, session.clock.now(), no_headers=bool(o.get("no_headers")),
                                    all_namespaces=all_ns))
        return 0
    for e in evs:
        e.setdefault("apiVersion", "v1")
        e.setdefault("kind", "Event")
    data = {"apiVersion": "v1", "items": evs, "kind": "EventList", "metadata": {}}
    from minikctl.printers import structured

    if fmt in ("json", "yaml") and not o.get("show_managed_fields"):  # issue 14 (w-ssa): JSONYamlPrintFlags
        data = structured.omit_managed_fields(data)

    if fmt == "json":
        ctx.out.write(go_json(data))
    elif fmt == "yaml":
        ctx.out.write(structured.to_yaml(data))
    elif fmt == "name":
        pass  # kubectl 1.32 prints nothing for `events -o name` (checked against the binary)
    elif fmt.split("=", 1)[0] in ("jsonpath", "jsonpath-as-json", "jsonpath-file"):
        from minikctl.printers import template

        ctx.out.write(template.render(fmt, data, ctx))
    else:
        raise UsageError(f"-o {fmt.split('=', 1)[0]} is not supported by minikctl yet")
    return 0
