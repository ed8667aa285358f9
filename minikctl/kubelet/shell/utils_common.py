"""What the utilities share: option parsing, file name quoting and error messages."""

from __future__ import annotations

from minikctl.kubelet.fs import MESSAGES, FsError


def _msg(e: FsError) -> str:
    return MESSAGES.get(e.name, e.name)


def _gnu(sh) -> bool:
    return sh.userland == "gnu"


def _q(path: str) -> str:
    """GNU coreutils quoting of a file name in messages ('name')."""
    if "'" in path:
        return '"' + path + '"'
    return "'" + path + "'"


def _parse_flags(args: list[str], with_value: str = "") -> tuple[set[str], dict[str, str], list[str], str | None]:
    """Short options clustered (-rf), long ones kept as names; returns (flags, values, operands, bad)."""
    flags: set[str] = set()
    values: dict[str, str] = {}
    ops: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            ops.extend(args[i + 1:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, val = a[2:].partition("=")
            flags.add("--" + name)
            if eq:
                values["--" + name] = val
            i += 1
            continue
        if a.startswith("-") and len(a) > 1 and not a[1:].isdigit():
            j = 1
            while j < len(a):
                ch = a[j]
                if ch in with_value:
                    val = a[j + 1:] or (args[i + 1] if i + 1 < len(args) else None)
                    if not a[j + 1:]:
                        i += 1
                    if val is None:
                        return flags, values, ops, ch
                    values[ch] = val
                    break
                flags.add(ch)
                j += 1
            i += 1
            continue
        ops.append(a)
        i += 1
    return flags, values, ops, None


def nbytes(s: str) -> int:
    """How many bytes the text is in the container (UTF-8, raw bytes kept as surrogates)."""
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))
