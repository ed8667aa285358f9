"""Reading -f arguments (files, directories with -R, stdin) into parsed, checked documents.

Every document of every file is parsed, converted and strictly validated before the
caller writes anything: a refused document leaves the store exactly as it was.
"""

from __future__ import annotations

import os
import sys

from minikctl.api.errors import UsageError

MAX_BYTES = 20 * 1024 * 1024
_EXTS = (".yaml", ".yml", ".json")


# Manifests of the Kubernetes documentation that minikctl ships (examples/manifests), read in
# place of the URL the documentation gives: its walkthroughs then run as written, offline.
KNOWN_URLS = {
    "https://k8s.io/examples/application/php-apache.yaml": "php-apache.yaml",  # issue 11 (w-hpa)
    "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/php-apache.yaml":
        "php-apache.yaml",
}


def _examples_dir():
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent
    packaged = here / "examples"  # inside the wheel: minikctl/examples/
    if packaged.is_dir():
        return packaged
    return here.parent / "examples" / "manifests"  # source checkout / editable install


def sources(ctx, specs: list[str]):
    """(name, contents) of each file -f names (a directory's manifests, - for standard input as
    STDIN), read one at a time in order."""
    for spec in specs:
        paths = _paths(spec, bool(ctx.opts.get("recursive")))
        if not paths and os.path.isdir(spec):
            raise UsageError(f'error reading "{spec}": no manifests (.yaml, .yml, .json) in the directory')
        for p in paths:
            yield (p if p != "-" else "STDIN"), read_source(p)


def decode(doc) -> list[str]:
    """A manifest document's object as kube-apiserver decodes it: an older apiVersion converted,
    metadata: null as an empty ObjectMeta (as in Go). Returns the conversion's warnings."""
    from minikctl.api import conversion

    obj, warnings = conversion.convert(doc.obj)
    if isinstance(obj, dict) and "metadata" in obj and obj["metadata"] is None:
        obj["metadata"] = {}
    doc.obj = obj
    return warnings


def _paths(spec: str, recursive: bool) -> list[str]:
    if spec == "-":
        return ["-"]
    if spec in KNOWN_URLS:
        return [str(_examples_dir() / KNOWN_URLS[spec])]
    if spec.startswith(("http://", "https://")):
        raise UsageError(f'cannot read "{spec}": minikctl does not fetch URLs; download the file and pass its path')
    if not os.path.exists(spec):
        raise UsageError(f'the path "{spec}" does not exist')
    if os.path.isdir(spec):
        out = []
        if recursive:
            for root, dirs, files in os.walk(spec):
                dirs.sort()
                out += [os.path.join(root, f) for f in sorted(files) if f.endswith(_EXTS)]
        else:
            out = [os.path.join(spec, f) for f in sorted(os.listdir(spec))
                   if f.endswith(_EXTS) and os.path.isfile(os.path.join(spec, f))]
        return [os.path.normpath(p) for p in out]  # Go's filepath.Join cleans them: ./a.yaml is a.yaml
    return [spec]


def read_source(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_BYTES + 1)
        except IsADirectoryError:
            raise UsageError(f'error reading "{path}": is a directory') from None
        except OSError as e:
            raise UsageError(f'error reading "{path}": {e.strerror}') from None
    if len(data) > MAX_BYTES:
        name = "STDIN" if path == "-" else path
        raise UsageError(f"{name}: file is larger than {MAX_BYTES // (1024 * 1024)} MiB; refusing to read it")
    return data


def validation_directive(ctx) -> str:
    """--validate as kubectl 1.32 reads it (cmdutil.GetValidationDirective,
    staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go): strconv.ParseBool's spellings, else
    exactly strict, warn or ignore; the bare flag is strict (minikctl's parser gives it "1")."""
    v = ctx.opts.get("validate")
    if v is None or v is True:
        return "Strict"
    v = str(v)
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        return "Strict"
    if v in ("0", "f", "F", "FALSE", "false", "False"):
        return "Ignore"
    if v in ("strict", "warn", "ignore"):
        return v.capitalize()
    raise UsageError(f"invalid - validate option {_go_q(v)}; must be one of: strict (or true), warn, ignore (or false)")


def _go_q(s: str) -> str:
    from minikctl.api.errors import go_quote

    return go_quote(s)


def load(ctx, *, strict: bool | None = None) -> list:
    """All documents named by -f, parsed and checked. Returns [(Document, warnings)].

    Field validation is kube-apiserver's fieldValidation (kubectl sends its --validate):
    Strict refuses unknown fields (schema.StrictError); Warn and Ignore drop them, as the
    apiserver's decoder does, Warn with one `Warning: unknown field "spec.foo"` line each
    (the apiserver's warning headers, which kubectl prints); a value of the wrong type is
    refused whatever the directive (a decode error, not a strict-decoding one)."""
    from minikctl.api import manifest, schema

    specs = ctx.opts.get("filename") or []
    if not specs:
        raise UsageError("must specify one of -f and -k")
    directive = validation_directive(ctx)
    if strict is None:
        strict = directive == "Strict"
        lenient = True
    else:
        lenient = False  # callers that only read names (get -f, describe -f)
    docs = []
    for label, data in sources(ctx, specs):
        for doc in manifest.load_documents(data, label):
            warnings = decode(doc)
            if strict:
                schema.raise_for(doc)
            elif lenient:
                dropped = schema.drop_unknown(doc)
                if directive == "Warn":
                    warnings = list(warnings) + [f"Warning: {m}" for m in dropped]
            docs.append((doc, warnings))
    if not docs:
        raise UsageError("no objects passed to " + ctx.p.path[0])
    return docs


def targets_from_files(ctx):
    from minikctl.cli.resources import resolve_kind

    out = []
    for doc, _ in load(ctx, strict=False):
        kind = resolve_kind(doc.obj.get("kind", ""))
        out.append((kind, [doc.obj.get("metadata", {}).get("name", "")]))
    return out
