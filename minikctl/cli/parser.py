"""A small kubectl-style argument parser driven by the command table in ``commands``.

Why not typer/click: they cost 60-170 ms of imports on every invocation, more than the
whole latency budget of a command (see README, Performance), and kubectl's conventions
(global flags before or after the verb, ``-oyaml``, ``--flag=value``, ``-it``, ``--``
ending flags, flags interspersed with arguments) are simple to state as data. The same
table feeds help, completion and did-you-mean.
"""

from __future__ import annotations

from minikctl.api.errors import UsageError


class Flag:
    """A flag: names ("-o", "--output"), kind "bool" | "str" | "list" | "int" (int64) | "int32"; with
    optional_value, the flag alone means "1" ("-v", "--dry-run")."""

    __slots__ = ("names", "dest", "kind", "default", "help", "choices", "optional_value")

    def __init__(self, names: tuple[str, ...], dest: str, kind: str = "str", default: object = None, help: str = "",
                 choices: tuple[str, ...] = (), optional_value: bool = False):
        self.names = names
        self.dest = dest
        self.kind = kind
        self.default = default
        self.help = help
        self.choices = choices
        self.optional_value = optional_value

    @property
    def long(self) -> str:
        return next((n for n in self.names if n.startswith("--")), self.names[0])


class Command:
    """A verb: handler is "module:function" under minikctl.cli; after stop_at_positional
    positionals the rest are arguments (exec POD CMD ...)."""

    __slots__ = ("name", "handler", "help", "usage", "flags", "subcommands", "stop_at_positional", "aliases", "hidden")

    def __init__(self, name: str, handler: str, help: str, usage: str = "", flags: tuple = (),
                 subcommands: dict | None = None, stop_at_positional: int = 0, aliases: tuple[str, ...] = (),
                 hidden: bool = False):
        self.name = name
        self.handler = handler
        self.help = help
        self.usage = usage
        self.flags = flags
        self.subcommands = subcommands or {}
        self.stop_at_positional = stop_at_positional
        self.aliases = aliases
        self.hidden = hidden


class Parsed:
    """The result of parsing: dash_args is what followed "--" (None when there was none)."""

    __slots__ = ("command", "path", "args", "opts", "dash_args", "flags_seen", "kubectl_only")

    def __init__(self, command, path, args, opts, dash_args, flags_seen, kubectl_only=()):
        self.command = command
        self.path = path
        self.args = args
        self.opts = opts
        self.dash_args = dash_args
        self.flags_seen = flags_seen
        # kubectl 1.32 flags minikctl's table lacks, given on this command line (see kubectl_flags)
        self.kubectl_only = kubectl_only

    def unimplemented(self) -> str | None:
        """The first kubectl-only flag given with a value minikctl cannot honour, if any."""
        from minikctl.cli import kubectl_flags

        for f in self.kubectl_only:
            name = f.long[2:]
            if name not in kubectl_flags.NO_EFFECT and self.opts.get(f.dest) != f.default:
                return name
        return None


GLOBAL_FLAGS: tuple[Flag, ...] = (
    Flag(("--state",), "state", help="path of the cluster's state file (default: $MINIKCTL_STATE, else the context's store, "
                                     "else ~/.local/share/minikctl/state.db)"),
    Flag(("-n", "--namespace"), "namespace", help="the namespace scope for this request (default: the context's namespace, else default)"),
    Flag(("--context",), "context", help="the name of the context to use: its cluster's store and default namespace "
                                         "(see minikctl config)"),
    Flag(("--kubeconfig",), "kubeconfig", help="path of the config file with the contexts (default: $MINIKCTL_CONFIG "
                                               "or ~/.config/minikctl/config)"),
    Flag(("-v", "--v"), "verbosity", "int", 0, "log level; -v=9 shows tracebacks", optional_value=True),
    Flag(("--debug",), "debug", "bool", False, "show a traceback on internal errors"),
    Flag(("-h", "--help"), "help", "bool", False, "help for this command"),
)


def _flag_index(flags) -> dict[str, Flag]:
    out = {}
    for f in flags:
        for n in f.names:
            out[n] = f
    return out


def find_command(table: dict[str, Command], argv: list[str]) -> tuple[Command | None, list[str], list[str]]:
    """Locate the (sub)command words among argv, skipping global flags. Returns (command, path, rest)."""
    gidx = _flag_index(GLOBAL_FLAGS)
    rest: list[str] = []
    cmd: Command | None = None
    path: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            rest.extend(argv[i:])
            break
        if tok.startswith("-") and tok != "-":
            rest.append(tok)
            name = tok.split("=", 1)[0]
            f = gidx.get(name)
            if f is None and cmd is None and name.startswith("--") and "=" not in tok:
                f = _kubectl_flag([], name, {})  # kubectl's global options: --request-timeout 5s get pods
            if f is not None and f.kind != "bool" and "=" not in tok and not f.optional_value and i + 1 < len(argv):
                rest.append(argv[i + 1])
                i += 1
            i += 1
            continue
        if cmd is None:
            cmd = table.get(tok) or next((c for c in table.values() if tok in c.aliases), None)
            if cmd is None:
                return None, [tok], argv
            path.append(tok)
        elif cmd.subcommands and len(path) < 3 and (
                tok in cmd.subcommands or any(tok in c.aliases for c in cmd.subcommands.values())):
            # a subcommand by name or alias (create ns, create cm, create sa), named as cobra does
            cmd = cmd.subcommands.get(tok) or next(c for c in cmd.subcommands.values() if tok in c.aliases)
            path.append(cmd.name)
        else:
            rest.extend(argv[i:])
            break
        i += 1
    return cmd, path, rest


def parse(cmd: Command, path: list[str], argv: list[str]) -> Parsed:
    flags = tuple(cmd.flags) + GLOBAL_FLAGS
    idx = _flag_index(GLOBAL_FLAGS + tuple(cmd.flags))  # a command's own flag wins (curl -v is --verbose)
    opts: dict = {}
    for f in flags:
        opts[f.dest] = list(f.default or []) if f.kind == "list" else f.default
    args: list[str] = []
    dash: list[str] | None = None
    seen: set[str] = set()
    kubectl_only: list[Flag] = []

    def fallback(name: str) -> Flag | None:
        f = _kubectl_flag(path, name, idx)
        if f is not None:
            opts.setdefault(f.dest, list(f.default or []) if f.kind == "list" else f.default)
            kubectl_only.append(f)
        return f
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            dash = argv[i + 1:]
            break
        if cmd.stop_at_positional and len(args) >= cmd.stop_at_positional:
            args.extend(argv[i:])
            break
        if not tok.startswith("-") or tok == "-":
            args.append(tok)
            i += 1
            continue
        if tok.startswith("--"):
            name, eq, value = tok.partition("=")
            f = idx.get(name) or fallback(name)
            if f is None:
                raise UsageError(_unknown_flag(name, flags, cmd, path))
            if f.kind == "bool":
                opts[f.dest] = _bool(value, _display(f)) if eq else True
            elif eq:
                _set(opts, f, value, name)
            elif f.optional_value:
                _set(opts, f, "1", name)
            else:
                if i + 1 >= len(argv):
                    raise UsageError(f"flag needs an argument: {name}")
                i += 1
                _set(opts, f, argv[i], name)
            seen.add(f.dest)
            i += 1
            continue
        # short flags: -o yaml, -oyaml, -o=yaml, -it, -n ns, -A
        j = 1
        while j < len(tok):
            ch = "-" + tok[j]
            f = idx.get(ch) or fallback(ch)
            if f is None:
                raise UsageError(_unknown_short(tok[j], tok, flags, cmd, path))
            seen.add(f.dest)
            if f.kind == "bool":
                if tok[j + 1:j + 2] == "=" and len(tok) > j + 2:  # pflag: "-w=false" (parseSingleShortArg)
                    opts[f.dest] = _bool(tok[j + 2:], _display(f))
                    break
                opts[f.dest] = True
                j += 1
                continue
            value = tok[j + 1:]
            if value.startswith("=") and len(value) > 1:  # pflag: "-o=x" is x, but "-o=" is "="
                value = value[1:]
            if value:
                _set(opts, f, value, ch)
            elif f.optional_value:
                _set(opts, f, "1", ch)
            else:
                if i + 1 >= len(argv):
                    raise UsageError(f"flag needs an argument: '{tok[j]}' in {tok}")
                i += 1
                _set(opts, f, argv[i], ch)
            break
        i += 1
    return Parsed(cmd, path, args, opts, dash, seen, tuple(kubectl_only))


def _kubectl_flag(path: list[str], name: str, idx: dict) -> Flag | None:
    """A flag kubectl 1.32 has on this command (or among its global options) that minikctl's
    table lacks: accepted as kubectl parses it (the data loads only here, never on a command
    line of minikctl's own flags)."""
    from minikctl.cli import kubectl_flags

    hit = kubectl_flags.find(path, name)
    if hit is None:
        return None
    f = kubectl_flags.as_flag(hit[0])
    for n in f.names:
        idx.setdefault(n, f)
    return f


def _bool(value: str, name: str) -> bool:
    v = value.lower()
    if v in ("1", "t", "true"):
        return True
    if v in ("0", "f", "false"):
        return False
    raise UsageError(f'invalid argument "{value}" for "{name}" flag: strconv.ParseBool: parsing "{value}": invalid syntax')


def _set(opts: dict, f: Flag, value: str, name: str) -> None:
    if f.kind == "list":
        opts[f.dest].append(value)
    elif f.kind in ("int", "int32"):
        # pflag's IntVar / Int32Var: strconv.ParseInt(value, 0, 64 or 32)
        bits = 32 if f.kind == "int32" else 64
        n = _parse_int(value)
        if n is None:
            raise UsageError(f'invalid argument "{value}" for "{_display(f)}" flag: strconv.ParseInt: '
                             f'parsing "{value}": invalid syntax')
        if not -(1 << (bits - 1)) <= n < (1 << (bits - 1)):
            raise UsageError(f'invalid argument "{value}" for "{_display(f)}" flag: strconv.ParseInt: '
                             f'parsing "{value}": value out of range')
        opts[f.dest] = n
    else:
        if f.kind == "str" and isinstance(f.default, str) and _looks_like_duration(f.default):
            # pflag's DurationVar (its default prints as 0s, 30s, 1m0s): time.ParseDuration at parse time
            from minikctl.api.clock import parse_duration

            try:
                parse_duration(value)
            except ValueError as e:
                raise UsageError(f'invalid argument "{value}" for "{_display(f)}" flag: {e}') from None
        opts[f.dest] = value  # `choices` feed completion; handlers report kubectl's own message for bad values


def _looks_like_duration(default: str) -> bool:
    """A default as time.Duration.String() prints it: 0s, 30s, 1m0s, 2h0m0s, 500ms."""
    import re

    return bool(re.fullmatch(r"0s|(\d+h)?(\d+m)?\d+(\.\d+)?(s|ms|µs|ns)", default))


def _parse_int(value: str) -> int | None:
    """strconv.ParseInt(value, 0, ...): an optional sign, then decimal, 0x hex, 0o or
    leading-0 octal, 0b binary (underscores aside); None for a syntax error. A value too
    long to be an int64 comes back as 2**64 (out of range) without converting it."""
    import re

    m = re.fullmatch(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([1-9][0-9]*|0))", value)
    if m is None:
        return None
    sign, *groups = m.groups()
    for digits, base in zip(groups, (16, 8, 2, 8, 10)):
        if digits is not None:
            n = 1 << 64 if len(digits) > 64 else int(digits, base)
            return -n if sign == "-" else n
    return None


def _display(f: Flag) -> str:
    shorts = [n for n in f.names if not n.startswith("--")]
    return f"{shorts[0]}, {f.long}" if shorts and f.long.startswith("--") else f.long


def _normalise(name: str) -> str:
    import re

    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower().replace("_", "-")


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
    so "gte" is one edit from "get" and "servcies" one from "services"."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def suggest(word: str, candidates) -> str | None:
    """The candidate a typo most likely meant (cobra suggests within edit distance 2 or by
    prefix): kubectl's camelCase-free flag spelling first (--targetPort -> --target-port), then
    the nearest by edit distance (1 for words of 3 letters or fewer), then a unique-ish prefix."""
    cands = list(candidates)
    norm = _normalise(word)
    if norm != word and norm in cands:
        return norm
    low = norm.lower()
    limit = 1 if len(low.lstrip("-")) <= 3 else 2
    best = None
    for c in cands:
        d = _distance(low, c.lower())
        if d <= limit:
            rank = (d, c[:1] != word[:1], len(c), c)
            if best is None or rank < best[0]:
                best = (rank, c)
    if best is not None:
        return best[1]
    if len(low.lstrip("-")) >= 3:
        starts = sorted((c for c in cands if c.lower().startswith(low)), key=lambda c: (len(c), c))
        if starts:
            return starts[0]
    return None


def _unknown_flag(name: str, flags, cmd: Command, path: list[str]) -> str:
    names = [n for f in flags for n in f.names if n.startswith("--")]
    s = suggest(name, names)
    hint = f" (did you mean {s}?)" if s else ""
    return f"unknown flag: {name}{hint}"


def _unknown_short(ch: str, tok: str, flags, cmd: Command, path: list[str]) -> str:
    return f"unknown shorthand flag: '{ch}' in {tok}"
