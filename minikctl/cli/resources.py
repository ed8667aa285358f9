"""Turning `TYPE NAME ...`, `TYPE/NAME ...`, `TYPE1,TYPE2` and `all` into kinds and names,
with kubectl's errors (resource.Builder) and did-you-mean."""

from __future__ import annotations

from minikctl.api import kinds as K
from minikctl.api.errors import UsageError


def resolve_kind(word: str) -> K.Kind:
    k = K.resolve(word)
    if k is not None and "." in word and K.resolve(word.split(".", 1)[0]) is k and not _group_matches(word, k):
        # kubectl names only the resource of RESOURCE.GROUP it cannot map (no hint: the resource is known)
        raise UsageError(f'the server doesn\'t have a resource type "{word.split(".", 1)[0]}"')
    if k is None:
        from minikctl.cli.parser import suggest

        if "." in word and K.resolve(word) is None:
            word = word.split(".", 1)[0]
        s = suggest(word.lower(), K.all_aliases())
        hint = f' (did you mean "{s}"?)' if s else ""
        raise UsageError(f'the server doesn\'t have a resource type "{word}"{hint}')
    _warn_ambiguous_short_name(word, k)
    return k


_WARNED: set = set()  # emptied at the start of each command (cli/app.py _main)


def _warn_ambiguous_short_name(word: str, k: K.Kind) -> None:
    """client-go restmapper/shortcut.go expandResourceShortcut: a short name that another served
    group also declares (events.events.k8s.io's `ev`, issue 14's api/kinds.py ALSO_SERVED) maps to
    the preferred resource, and kubectl warns once that it could also match the other one."""
    w = word.lower()
    for other in getattr(K, "ALSO_SERVED", ()):
        if w in other.short_names and (other.group, other.plural) != (k.group, k.plural):
            long_form = f"{other.plural}.{other.group}" if other.group else other.plural
            if long_form not in _WARNED:  # once per command, as kubectl's deduplicating warning writer
                _WARNED.add(long_form)
                import sys

                sys.stderr.write(f'Warning: short name "{w}" could also match lower priority resource {long_form}\n')


def _group_matches(word: str, k: K.Kind) -> bool:
    """RESOURCE.GROUP or RESOURCE.VERSION.GROUP as kubectl maps it (apimachinery schema.ParseResourceArg:
    two dots or more are first a full GroupVersionResource, then a GroupResource; the shortcut
    expander takes a group that is the start of the resource's: ing.networking)."""
    rest = word.split(".", 1)[1].lower()
    if rest.count(".") >= 1:
        version, group = rest.split(".", 1)
        if version == k.version and (group == k.group or k.group.startswith(group + ".")):
            return True
    return rest == k.group or (bool(k.group) and k.group.startswith(rest + "."))


def parse_targets(args: list[str], *, allow_all: bool = True) -> list[tuple[K.Kind, list[str] | None]]:
    """[(kind, names or None)] in the order given. names None means 'every object of this kind'."""
    if not args:
        raise UsageError("You must specify the type of resource to get. Use \"minikctl api-resources\" for a "
                         "complete list of supported resources.")
    if any("/" in a for a in args):
        out: list[tuple[K.Kind, list[str] | None]] = []
        for a in args:
            if "/" not in a:
                raise UsageError("there is no need to specify a resource type as a separate argument when passing "
                                 "arguments in resource/name form (e.g. 'minikctl get resource/<resource_name>' instead "
                                 "of 'minikctl get resource resource/<resource_name>'")
            t, _, name = a.partition("/")
            if not name:
                raise UsageError("arguments in resource/name form must have a single resource and name")
            kind = resolve_kind(t)
            if out and out[-1][0] == kind and out[-1][1] is not None:
                out[-1][1].append(name)
            else:
                out.append((kind, [name]))
        return out
    types = [t for t in args[0].split(",") if t]
    names = args[1:] or None
    kinds: list[K.Kind] = []
    for t in types:
        if t == "all" and allow_all:
            kinds += [K.by_plural(p) for p in K.ALL_CATEGORY]
        else:
            kinds.append(resolve_kind(t))
    if names and len(kinds) > 1:
        # kubectl accepts `get svc,ep web`: the names apply to each type
        pass
    return [(k, list(names) if names else None) for k in kinds]
