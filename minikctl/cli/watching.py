"""`get -w|--watch|--watch-only [--output-watch-events]` and `events -w`: the listing, then one
line (or object) per change as it happens, as kubectl 1.32 prints them
(staging/src/k8s.io/kubectl/pkg/cmd/get/get.go watch(), pkg/cmd/events/events.go runWatch()).

The changes come from the store's revision log (minikctl/store/revlog.py, the log `minikctl
serve`'s watch reads): any other process's write (`scale`, `delete`, `clock advance` in another
terminal) shows here. The watch turns the log on if it is not yet, reads the listing and the
log's position in one read transaction, then polls the rows of its resource after its position
every POLL_S seconds on the wall clock (O(changes), no write lock held while it waits). On a
wall clock it also catches up the timers that fell due (kubelet, probes, ...) once a second, as
every command does when it opens the store, so pods move on while nothing else runs.

Semantics of kube-apiserver's watch cache (apiserver/pkg/storage/cacher cacheWatcher
convertToWatchEvent): with a label or field selector, an object that starts to match is ADDED,
one that stops matching is DELETED (its previous content, at the new resourceVersion).

It ends on Ctrl-C (or SIGTERM/SIGHUP) with exit code 1 and nothing printed, as kubectl's
interrupt handler does (os.Exit(1)), and after --request-timeout when one is given (exit 0:
the server closed the watch).
"""

from __future__ import annotations

import json
import time

from minikctl.api.errors import UsageError

POLL_S = 0.05  # how often the log is read
TICK_S = 1.0  # how often the timers that fell due are caught up (wall clock)

# tableprinter.go formatEventType: the EVENT column's values are padded to one width
_EVENT_TYPE = {"ADDED": "ADDED   ", "MODIFIED": "MODIFIED", "DELETED": "DELETED ", "ERROR": "ERROR   "}


class _Stop(Exception):
    pass


# --------------------------------------------------------------------------- timeout
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def request_timeout(ctx) -> float | None:
    """--request-timeout: seconds, or None for none (kubectl's default "0"). kubectl's check
    (cli-runtime genericclioptions ConfigFlags): a plain integer is seconds, else a Go
    duration."""
    raw = ctx.opts.get("request_timeout")
    if raw in (None, "", "0"):
        return None
    raw = str(raw)
    bad = UsageError("Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by "
                     "a corresponding time unit (e.g. 1s | 2m | 3h)")
    if raw.isdigit():
        secs = float(int(raw))
    else:
        import re

        s = raw[1:] if raw[:1] in "+-" else raw
        parts = re.findall(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)", s)
        if not s or "".join(a + b for a, b in parts) != s:
            raise bad
        secs = sum(float(a) * _UNITS[b] for a, b in parts)
        if raw.startswith("-"):
            secs = -secs
    return secs if secs > 0 else None


# --------------------------------------------------------------------------- tabwriter
class TabWriter:
    """printers.GetNewTabWriter (github.com/liggitt/tabwriter, minwidth 6, padding 3, flag
    RememberWidths): each flush aligns its own lines, and a column is never narrower than it
    was in an earlier flush, so the rows of a watch line up with the header."""

    def __init__(self, out):
        self.out = out
        self.widths: list[int] = []  # remembered between flushes
        self.pending: list[str] = []

    def line(self, cells: list[str]) -> None:
        self.pending.append("\t".join(cells))

    def flush(self) -> None:
        if not self.pending:
            return
        from minikctl.printers.table import TABLE_MINWIDTH, TABLE_PADDING, TABLE_TABWIDTH, tabwrite

        text = "\n".join(self.pending) + "\n"
        self.pending = []
        self.out.write(tabwrite(text, TABLE_MINWIDTH, TABLE_TABWIDTH, TABLE_PADDING, " ", remember=self.widths))
        self.out.flush()


# --------------------------------------------------------------------------- the log
class Follower:
    """Reads one resource's revisions after a position, on the wall clock, without holding
    the store's write lock; catches up due timers once a second on a wall clock."""

    def __init__(self, session, resource: str, timeout: float | None):
        self.session = session
        self.store = session.store
        self.resource = resource
        self.position = 0
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.next_tick = time.monotonic() + TICK_S

    def start(self, listing):
        """Turn the log on (once per store), then call listing() and read the log's head in
        one read transaction: the listing and the position agree."""
        from minikctl.store import revlog

        if self.store.readonly is None:
            revlog.enable(self.store)
        with self.store.read():
            got = listing()
            self.position = revlog.head(self.store)
        return got

    def wait(self):
        """The next rows of the resource (blocks, polling), or None when the timeout passed."""
        from minikctl.store import revlog

        while True:
            if self.deadline is not None and time.monotonic() >= self.deadline:
                return None
            try:
                rows = revlog.of_resource(self.store, self.resource, self.position, limit=2000)
            except Exception as e:  # noqa: BLE001 - a busy store: the next round reads it
                if type(e).__module__ != "sqlite3":
                    raise
                rows = []
            if rows:
                self.position = rows[-1][0]
                self.session._clock = None  # the clock as it is now (another command may have moved it)
                return rows
            now = time.monotonic()
            if now >= self.next_tick:
                self.next_tick = now + TICK_S
                self._tick()
            pause = POLL_S
            if self.deadline is not None:
                pause = max(0.0, min(pause, self.deadline - time.monotonic()))
            time.sleep(pause)

    def _tick(self) -> None:
        """What every command does when it opens the store (Session.open): the timers that
        fell due run, through this watch's own session. (Not a second Session.open in this
        process: opening the store file again and closing it would drop the POSIX locks SQLite
        holds for this connection, whose reads could then stay on an old snapshot.)"""
        s = self.session
        s._config = s._clock = s._api = None
        if self.store.readonly is not None:
            return
        try:
            s._catch_up_probes()
            s._catch_up_kubelet()
            for key, module in (("nodes:monitor-due", "nodemonitor"), ("controllers:hpa-due", "hpa"),
                                ("controllers:lb-due", "loadbalancer")):
                if s._due(key):
                    __import__(f"minikctl.controllers.{module}")
                    import sys

                    sys.modules[f"minikctl.controllers.{module}"].catch_up(s)
        except Exception:  # noqa: BLE001 - a busy store: the next tick tries again (as serve's tick)
            pass
        finally:
            s._api = None


def _signals():
    """Ctrl-C, SIGTERM and SIGHUP end the watch (kubectl's interrupt handler). Installed
    explicitly: a process started in the background by a shell inherits SIGINT ignored, and
    Go's signal.Notify takes it back as well."""
    import signal
    import threading

    def on_term(signum, frame):
        raise _Stop()

    old = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            try:
                old[sig] = signal.signal(sig, on_term)
            except (OSError, ValueError):
                pass
    return old


def _restore(old) -> None:
    import signal

    for sig, h in old.items():
        signal.signal(sig, h)


def _loop(follower: Follower, handle) -> int:
    while True:
        rows = follower.wait()
        if rows is None:
            return 0
        handle(rows)


def _interruptible(run):
    """run() with kubectl's interrupt handling: a signal ends it with exit code 1, quietly."""
    old = _signals()
    try:
        return run()
    except (KeyboardInterrupt, _Stop):
        return 1  # kubectl's interrupt handler: os.Exit(1), nothing printed
    finally:
        _restore(old)


# --------------------------------------------------------------------------- get -w
class _Printer:
    """kubectl's printer for one watched kind: tables (header once, remembered widths, EVENT
    column), custom columns, -o name, json, yaml and templates, one object or event at a time."""

    def __init__(self, ctx, kind, fmt: str, all_ns: bool):
        o = ctx.opts
        self.ctx = ctx
        self.kind = kind
        self.fmt = fmt
        self.events = bool(o.get("output_watch_events"))
        self.tw = TabWriter(ctx.out)
        self.headers_printed = False
        self.no_headers = bool(o.get("no_headers"))
        self.namespace_column = all_ns and kind.namespaced
        self.printed = 0  # objects printed (YAMLPrinter's `---` between documents)
        self.cc = None
        if fmt.startswith("custom-columns"):
            self.cc = _custom_columns(fmt, ctx)

    def objects(self, items: list[tuple[str, dict]], now) -> None:
        """Print [(event type, object)] and flush."""
        if not items:
            return
        fmt = self.fmt
        if fmt in ("", "wide"):
            self._table(items, now)
        elif self.cc is not None:
            self._custom(items)
        else:
            out = self.ctx.out
            for type_, obj in items:
                out.write(self._one(type_, obj))
            out.flush()

    def _one(self, type_: str, obj: dict) -> str:
        from minikctl.printers import structured

        fmt = self.fmt
        if fmt in ("json", "yaml") and not self.events and not self.ctx.opts.get("show_managed_fields"):
            # OmitManagedFieldsPrinter (JSONYamlPrintFlags); a WatchEvent has no ObjectMeta: kept as is
            obj = structured.omit_managed_fields(obj)
        data = {"type": type_, "object": obj} if self.events else obj
        if fmt == "name":
            return structured.name_of(obj) + "\n"
        if fmt == "json":
            if self.events:  # JSONPrinter: a WatchEvent is json.Marshal'd on one line
                body = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                return structured.go_escape('{"type":' + json.dumps(type_) + ',"object":' + body + "}") + "\n"
            return structured.to_json(obj)
        if fmt == "yaml":
            self.printed += 1
            return ("---\n" if self.printed > 1 else "") + structured.to_yaml(data)
        from minikctl.printers import template

        return template.render(fmt, data, self.ctx)

    def _table(self, items, now) -> None:
        from minikctl.printers.columns import build_table
        from minikctl.printers.table import _cell_text, _s, escape_terminal, format_labels

        o = self.ctx.opts
        wide = self.fmt == "wide"
        table = build_table(self.kind.kind, [obj for _, obj in items], now)
        cols = table.columns
        visible = [i for i, c in enumerate(cols) if wide or c.priority == 0]
        label_columns = [c for lc in (o.get("label_columns") or []) for c in lc.split(",") if c]
        show_labels = bool(o.get("show_labels"))
        with_kind = None
        if o.get("show_kind"):
            k = self.kind
            with_kind = f"{k.kind.lower()}.{k.group}" if k.group else k.kind.lower()
        name_col = next((i for i, c in enumerate(cols) if c.format == "name" and c.type == "string"), -1)
        if name_col < 0:
            name_col = next((i for i, c in enumerate(cols) if c.name == "Name"), -1)
        if not self.no_headers and not self.headers_printed:
            header = ["EVENT"] if self.events else []
            if self.namespace_column:
                header.append("NAMESPACE")
            header += [cols[i].name.upper() for i in visible]
            header += [key.rsplit("/", 1)[-1].upper() for key in label_columns]
            if show_labels:
                header.append("LABELS")
            self.tw.line(header)
        self.headers_printed = True
        for (type_, _), row in zip(items, table.rows):
            meta = (row.obj or {}).get("metadata") or {}
            parts = [_EVENT_TYPE.get(type_, type_)] if self.events else []
            if self.namespace_column:
                parts.append(escape_terminal(_s(meta.get("namespace") or "")))
            for i in visible:
                if i >= len(row.cells):
                    break
                v = row.cells[i]
                if with_kind and i == name_col:
                    v = with_kind + "/" + _s(v)
                parts.append(_cell_text(v))
            labels = meta.get("labels") or {}
            parts += [escape_terminal(_s(labels.get(key, ""))) for key in label_columns]
            if show_labels:
                parts.append(escape_terminal(format_labels(meta.get("labels"))))
            self.tw.line(parts)
        self.tw.flush()

    def _custom(self, items) -> None:
        columns, engines, no_headers = self.cc
        from minikctl.printers.table import escape_terminal
        from minikctl.printers.template.errors import JSONPathError, TemplateError
        from minikctl.printers.template.govalues import go_sprint

        if not no_headers and not self.headers_printed:
            self.tw.line([h for h, _ in columns])
        self.headers_printed = True
        try:
            for type_, obj in items:
                data = {"type": type_, "object": obj} if self.events else obj
                cells = []
                for eng in engines:
                    values = eng.find_results(data)
                    strs = ["<none>"] if not values or not values[0] else []
                    for vs in values:
                        strs.extend(escape_terminal(go_sprint(v)) for v in vs)
                    cells.append(",".join(strs))
                self.tw.line(cells)
        except JSONPathError as e:
            self.tw.flush()
            raise TemplateError(str(e)) from None
        self.tw.flush()


def _custom_columns(fmt: str, ctx):
    from minikctl.printers.template.custom_columns import _columns_from_spec, _columns_from_template
    from minikctl.printers.template.errors import TemplateError, _read_file
    from minikctl.printers.template.jsonpath import _Engine, parse

    head, _, value = fmt.partition("=")
    if not value:
        raise TemplateError("custom-columns format specified but no custom columns given")
    if head == "custom-columns-file":
        columns = _columns_from_template(_read_file(value, "template"))
        no_headers = False
    else:
        columns = _columns_from_spec(value)
        no_headers = bool(ctx.opts.get("no_headers"))
    return columns, [_Engine(parse(spec), True) for _, spec in columns], no_headers


def run_get(ctx, fmt: str, targets) -> int:
    """get.go watch(): one resource type; the listing (unless --watch-only), then the changes."""
    return _interruptible(lambda: _run_get(ctx, fmt, targets))


def _run_get(ctx, fmt: str, targets) -> int:
    from minikctl.api.errors import NotFound

    o = ctx.opts
    if len({k.plural for k, _ in targets}) > 1:  # resource.Builder SingleResourceType()
        raise UsageError("you may only specify a single resource type")
    kind = targets[0][0]
    names = None
    for _, n in targets:
        if n is not None:
            names = (names or []) + list(n)
    watch_only = bool(o.get("watch_only"))  # get.go: outputObjects = !WatchOnly, with -w or without
    if o.get("sort_by"):
        flag = "--watch" if o.get("watch") else "--watch-only"
        ignored = "will be ignored for watch events received" if o.get("watch") else "will be ignored"
        ctx.warn(f"warning: {flag} requested, --sort-by {ignored}")
    timeout = request_timeout(ctx)
    all_ns = bool(o.get("all_namespaces"))
    ns = (None if all_ns else ctx.namespace) if kind.namespaced else None
    selector = terms = None
    if o.get("selector"):
        from minikctl.api import selectors

        selector = selectors.parse(o["selector"])
    if o.get("field_selector"):
        from minikctl.api import fields

        terms = fields.parse(o["field_selector"], kind.kind, kind.plural)
    session = ctx.session()
    api = session.api

    def matches(obj: dict) -> bool:
        meta = obj.get("metadata") or {}
        if names is not None and meta.get("name") not in names:
            return False
        if selector is not None and not selector.matches(meta.get("labels")):
            return False
        if terms:
            from minikctl.api import fields

            return fields.matches(obj, terms)
        return True

    def listing():
        objs = api.list(kind.plural, ns, selector=selector, names=names)
        if terms:
            objs = [ob for ob in objs if matches(ob)]
        return objs

    follower = Follower(session, kind.plural, timeout)
    objs = follower.start(listing)
    if names is not None:
        found = {ob["metadata"]["name"] for ob in objs}
        missing = [n for n in names if n not in found]
        if missing:  # the builder's Latest(): the first name not found ends the command
            raise NotFound.of(kind.group_resource, missing[0])
        objs.sort(key=lambda ob: names.index(ob["metadata"]["name"]))
    if o.get("sort_by") and fmt in ("", "wide") and not watch_only:
        from minikctl.cli.cmd_get import sort_objects

        objs = sort_objects(objs, o["sort_by"], named=names is not None)
    printer = _Printer(ctx, kind, fmt, all_ns)
    if not watch_only:
        printer.objects([("ADDED", ob) for ob in objs], session.clock.now())
    if names is not None and len(names) > 1:  # resource.Result.Watch: one object or one list only
        raise UsageError("you may only watch a single resource or type of resource at a time")
    # the watch cache's filter: which objects pass now (their last content, for a DELETED
    # event when one stops matching); without a selector nothing stops matching but by deletion
    filtered = selector is not None or bool(terms) or names is not None
    passing = {(ob["metadata"].get("namespace", ""), ob["metadata"]["name"]): ob for ob in objs} if filtered else None

    def handle(rows) -> None:
        items = []
        for rv, _res, rns, name, type_, body in rows:
            if ns is not None and rns != ns:
                continue
            obj = json.loads(body) if isinstance(body, str) else body
            if passing is None:
                items.append((type_, obj))
                continue
            key = (rns, name)
            cur = type_ != "DELETED" and matches(obj)
            old = passing.get(key)
            if cur:
                passing[key] = obj
                items.append(("MODIFIED" if old is not None and type_ != "ADDED" else "ADDED", obj))
            elif old is not None:
                del passing[key]
                if type_ != "DELETED":  # the previous content at the event's resourceVersion
                    old = json.loads(json.dumps(old))
                    old.setdefault("metadata", {})["resourceVersion"] = str(rv)
                    obj = old
                items.append(("DELETED", obj))
        printer.objects(items, session.clock.now())

    return _loop(follower, handle)


# --------------------------------------------------------------------------- events -w
def run_events(ctx, fmt: str, ns: str | None, keep) -> int:
    """events.go runWatch(): a watch from now on (the current events first, in the store's key
    order, as the watch cache sends them), the events `keep` accepts, DELETED ones skipped."""
    return _interruptible(lambda: _run_events(ctx, fmt, ns, keep))


def _run_events(ctx, fmt: str, ns: str | None, keep) -> int:
    from minikctl.cli import cmd_events as E

    o = ctx.opts
    timeout = request_timeout(ctx)
    all_ns = ns is None
    session = ctx.session()
    api = session.api
    follower = Follower(session, "events", timeout)
    evs = follower.start(lambda: api.list("events", ns))
    evs.sort(key=lambda e: ((e.get("metadata") or {}).get("namespace") or "", (e.get("metadata") or {}).get("name") or ""))
    tw = TabWriter(ctx.out)
    state = {"headers": False, "printed": 0}

    def show(items) -> None:
        items = [e for e in items if keep(e)]
        if not items:
            return
        if not fmt:
            now = session.clock.now()
            if not o.get("no_headers") and not state["headers"]:
                tw.line((["NAMESPACE"] if all_ns else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
            state["headers"] = True
            for ev in items:
                inv = ev.get("involvedObject") or {}
                cells = [E.interval(ev, now), E._escape_cell(ev.get("type") or ""), E._escape_cell(ev.get("reason") or ""),
                         E._escape_cell(inv.get("kind") or "") + "/" + E._escape_cell(inv.get("name") or ""),
                         E._escape_cell((ev.get("message") or "").strip())]
                if all_ns:
                    cells.insert(0, (ev.get("metadata") or {}).get("namespace") or "")
                tw.line(cells)
            tw.flush()
            return
        from minikctl.printers import structured

        out = ctx.out
        for ev in items:
            ev.setdefault("apiVersion", "v1")
            ev.setdefault("kind", "Event")
            if fmt in ("json", "yaml") and not o.get("show_managed_fields"):  # OmitManagedFieldsPrinter
                ev = structured.omit_managed_fields(ev)
            if fmt == "json":
                from minikctl.api.schema import EVENT

                out.write(structured.go_escape(json.dumps(E._typed(ev, EVENT), indent=4, ensure_ascii=False)) + "\n")
            elif fmt == "yaml":
                state["printed"] += 1
                out.write(("---\n" if state["printed"] > 1 else "") + structured.to_yaml(ev))
            elif fmt == "name":
                out.write(structured.name_of(ev) + "\n")
            else:
                from minikctl.printers import template

                out.write(template.render(fmt, ev, ctx))
        out.flush()

    show(evs)

    def handle(rows) -> None:
        items = []
        for _rv, _res, rns, _name, type_, body in rows:
            if type_ == "DELETED" or (ns is not None and rns != ns):
                continue  # events are deleted after an hour: kubectl does not print that
            items.append(json.loads(body) if isinstance(body, str) else body)
        show(items)

    return _loop(follower, handle)
