"""Entry point: find the verb, parse its flags, call its handler, render errors in one place.

Imports are deliberately lazy: a command loads only the modules it uses.
"""

from __future__ import annotations

import os
import sys


class Ctx:
    """What a handler gets: parsed arguments, output streams, and the cluster session on demand."""

    def __init__(self, parsed, out, err):
        self.p = parsed
        self.args = parsed.args
        self.opts = parsed.opts
        self.out = out
        self.err = err
        self._session = None
        self.from_process = False  # the console script's own process (main() without argv)

    @property
    def namespace(self) -> str:
        ns = self.opts.get("namespace") or os.environ.get("MINIKCTL_NAMESPACE")
        if ns:
            return ns
        from minikctl.store import contexts

        return contexts.namespace(bool(self.opts.get("state"))) or "default"

    @property
    def namespace_explicit(self) -> bool:
        return bool(self.opts.get("namespace"))

    def session(self, *, bootstrap: bool = True):
        if self._session is None:
            from minikctl.api.cluster import Session

            self._session = Session.open(self.opts.get("state"), bootstrap=bootstrap)
            from minikctl.api.managers import cli_manager  # issue 14 (w-ssa): managedFields

            self._session.field_manager = cli_manager(getattr(self.p, "path", None) or (), self.opts)
            self._session.show_managed = _shows_managed(self.opts)
        return self._session

    def print(self, text: str = "", end: str = "\n") -> None:
        self.out.write(text + end)

    def warn(self, text: str) -> None:
        text = _safe(text)
        if _tty(self.err):
            from minikctl.cli.term import decorate

            text = decorate(self.err, text)
        self.err.write(text + "\n")

    def close(self) -> None:
        if self._session is not None:
            self._session.close(leave_deferred=self.from_process)


def _shows_managed(opts: dict) -> bool:
    """Whether the command's output may show metadata.managedFields, which the store keeps
    beside each object (state/0006) and reads only then: --show-managed-fields, or a template
    (jsonpath, go-template, custom-columns: kubectl hides them only from json and yaml), or
    `get -w --output-watch-events` (its WatchEvents keep them)."""
    if opts.get("show_managed_fields") or opts.get("output_watch_events") or opts.get("template"):
        return True
    out = opts.get("output")
    return isinstance(out, str) and out.startswith(("jsonpath", "go-template", "template", "custom-columns"))


def _safe(text: str) -> str:
    """No control character of a user-supplied string reaches the terminal raw."""
    from minikctl.api.errors import escape_controls

    return escape_controls(str(text))


def _tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _store_path(ctx) -> str:
    session = getattr(ctx, "_session", None)
    if session is not None:
        return str(session.store.path)
    from minikctl.store.db import default_path

    return str((ctx.opts.get("state") if ctx is not None else None) or default_path())


def _check_subcommand(cmd, path: list[str], args: list[str]) -> None:
    """Arguments left over where a subcommand was expected (`cluster snapshot`, `create servce x`)
    are refused as kubectl refuses them: a group command's cmdutil.DefaultSubCommandRun says
    `unknown command "ARGS"`, `create` (it also takes -f) says `Unexpected args: [ARGS]`, each with
    cmdutil.UsageErrorf's second line (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go,
    pkg/cmd/create/create.go ValidateArgs). No did-you-mean: cobra suggests for root commands only."""
    from minikctl.api.errors import UsageError

    if any(f.dest == "filename" for f in cmd.flags):
        raise UsageError(f"Unexpected args: [{' '.join(args)}]" + _see_examples(path))
    raise UsageError(f'unknown command "{" ".join(args)}"' + _see_examples(path))


def _see_examples(path: list[str]) -> str:
    """cmdutil.UsageErrorf's second line, for an argument error."""
    return f"\nSee 'minikctl {' '.join(path)} -h' for help and examples"


def _see_usage(path: list[str]) -> str:
    """kubectl's flag-error line (its root command's SetFlagErrorFunc), for a flag error."""
    return f"\nSee 'minikctl {' '.join(path)} --help' for usage."


# Argument errors that kubectl raises with cmdutil.UsageErrorf (so with `See '... -h' ...` after them).
_USAGE_ERRORF = ("exactly one NAME is required, got ",  # pkg/cmd/create: NameFromCommandArgs
                 "NAME is required for run",  # pkg/cmd/run/run.go
                 "Unsupported shell type ")  # pkg/cmd/completion/completion.go


def main(argv: list[str] | None = None) -> int:
    rc = _main(argv)
    cluster = sys.modules.get("minikctl.api.cluster")
    if argv is None and cluster is not None and cluster._LEFT_OPEN:
        # a deferred `apply` (api/cluster.py): its controllers run in a process started now, and
        # this one leaves without closing the store (no WAL checkpoint) nor tearing down the
        # interpreter; what it printed is flushed first
        if not cluster.converge_in_background():
            for store in cluster._LEFT_OPEN:
                store.close()  # the next command converges it
        cluster._LEFT_OPEN.clear()
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:  # noqa: BLE001 - a closed pipe: nothing more to say
                pass
        os._exit(rc)
    if cluster is not None:
        cluster._DEFERRED.clear()  # an in-process call (tests, lab setup): the next command converges
    return rc


def _main(argv: list[str] | None) -> int:
    from_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or any(a.startswith(("-v=", "--v=")) and a.split("=", 1)[1] in ("9", "10") for a in argv)
    out, err = sys.stdout, sys.stderr
    ctx = None
    from minikctl.api.errors import MinikctlError, UsageError

    if "minikctl.store.contexts" in sys.modules:  # a previous in-process run (tests) chose a context
        sys.modules["minikctl.store.contexts"].reset()
    if "minikctl.cli.resources" in sys.modules:  # ... and warned of an ambiguous short name
        sys.modules["minikctl.cli.resources"]._WARNED.clear()
    if "minikctl.api.rand" in sys.modules:  # ... and seeded its source of randomness (cluster create --seed)
        sys.modules["minikctl.api.rand"].reset()
    try:
        from minikctl.cli.commands import COMMANDS
        from minikctl.cli.parser import find_command, parse

        cmd, path, rest = find_command(COMMANDS, argv)
        if cmd is None:
            if not path:
                # only global flags (kubectl -n x, kubectl -v=3): the root command's help, after
                # its flags parse as kubectl's root command parses them
                from minikctl.cli.help import root_help
                from minikctl.cli.parser import Command

                try:
                    parse(Command("", "", ""), [], rest)
                except MinikctlError as e:
                    raise type(e)(str(e) + "\nSee 'minikctl --help' for usage.") from None
                out.write(root_help())
                return 0
            from minikctl.cli.help import unknown_command

            raise unknown_command(path[0])
        try:
            parsed = parse(cmd, path, rest)
        except MinikctlError as e:
            if path == ["diff"]:  # diff.go's SetFlagErrorFunc: a usage error, exit 2 (1 means "differences")
                usage = type(e)(str(e) + _see_examples(path))
                usage.exit_code = 2
                raise usage from None
            raise type(e)(str(e) + _see_usage(path)) from None
        if cmd.subcommands and parsed.args and not parsed.opts.get("help"):
            _check_subcommand(cmd, path, parsed.args)
        if parsed.opts.get("help"):
            from minikctl.cli.help import command_help

            out.write(command_help(cmd, path))
            return 0
        bad = parsed.unimplemented() if parsed.kubectl_only else None
        if bad:
            from minikctl.cli.kubectl_flags import unimplemented_error

            raise UsageError(unimplemented_error(bad, path))
        module, func = cmd.handler.split(":")
        # __import__ rather than importlib.import_module: importlib (and warnings) would be two
        # more modules on every command's start-up
        __import__(f"minikctl.cli.{module}")
        handler = getattr(sys.modules[f"minikctl.cli.{module}"], func)
        if parsed.opts.get("context") or parsed.opts.get("kubeconfig"):
            from minikctl.store import contexts

            contexts.reset(parsed.opts.get("context"), parsed.opts.get("kubeconfig"))
        ctx = Ctx(parsed, out, err)
        ctx.from_process = from_process
        try:
            rc = handler(ctx)
        except UsageError as e:
            if str(e).startswith(_USAGE_ERRORF) and "\n" not in str(e):
                raise UsageError(str(e) + _see_examples(path)) from None
            raise
        out.flush()
        return int(rc or 0)
    except MinikctlError as e:
        try:
            out.flush()
        except Exception:
            pass
        text = _safe(e.render())
        if _tty(err):
            from minikctl.cli.term import decorate

            text = decorate(err, text)
        # kubectl prints some errors with trailing blank lines (jsonpath's debugging dump)
        err.write(text if getattr(e, "verbatim", False) and text.endswith("\n") else text.rstrip("\n") + "\n")
        return e.exit_code
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        err.write("\n")
        return 130
    except RecursionError:
        err.write("error: input is nested too deeply\n")
        return 1
    except MemoryError:
        err.write("error: out of memory while processing the input\n")
        return 1
    except Exception as e:  # a bug: never show a traceback unless asked
        if debug:
            import traceback

            traceback.print_exc()
        if type(e).__module__ == "sqlite3":
            # the store file (busy, damaged, read-only, disk full), not a bug of ours
            from minikctl.store.db import translate_error

            mapped = translate_error(e, _store_path(ctx))
            if mapped is not None:
                text = _safe(mapped.render())
                if _tty(err):
                    from minikctl.cli.term import decorate

                    text = decorate(err, text)
                err.write(text + "\n")
                return mapped.exit_code
        err.write(_safe(f"error: internal error: {type(e).__name__}: {e} (run with --debug for a traceback)") + "\n")
        return 1
    finally:
        if ctx is not None:
            ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
