"""Config describers (describe.go, kubectl 1.32): describeSecret (values never printed, only
``key:  N bytes``), ConfigMapDescriber and describeServiceAccount.
"""

from __future__ import annotations

import base64
from datetime import datetime

from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.writer import (
    _D,
    _L,
    _Writer,
    _name_ns,
    _print_annotations_multiline,
    _print_labels_multiline,
)

# ---------------------------------------------------------------------------
# config & namespaces
# ---------------------------------------------------------------------------


def _b64len(v) -> int:
    if not isinstance(v, str):
        return 0
    try:
        return len(base64.b64decode(v, validate=False))
    except (ValueError, TypeError):
        return len(v)


def _describe_secret(secret: dict) -> str:
    w = _Writer()
    meta = secret.get("metadata") or _D
    _name_ns(w, secret)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nType:\t%s\n" % (secret.get("type") or "Opaque"))
    w.write(0, "\nData\n====\n")
    sizes = {k: _b64len(v) for k, v in (secret.get("data") or _D).items()}
    for k, v in (secret.get("stringData") or _D).items():  # merged into data on write
        sizes[k] = len(str(v).encode("utf-8"))
    for k in sorted(sizes):
        # Values are never shown (kubectl shows a service-account token; minikctl does not).
        w.write(0, "%s:\t%d bytes\n" % (k, sizes[k]))
    return w.render()


def _describe_config_map(cm: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = cm.get("metadata") or _D
    _name_ns(w, cm)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or _D
    for k in sorted(data):
        w.write(0, "%s:\n----\n" % k)
        w.write(0, "%s\n" % ("" if data[k] is None else data[k]))
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    bdata = cm.get("binaryData") or _D
    for k in sorted(bdata):
        w.write(0, "%s: %d bytes\n" % (k, _b64len(bdata[k])))
    w.write(0, "\n")
    describe_events(events, w, now)
    return w.render()


def _describe_service_account(sa: dict, events, now: datetime, related: dict) -> str:
    """describeServiceAccount: pull, mountable and token secrets under their headers, in the
    headers' sorted order, a Secret that does not exist marked "(not found)" (related
    "secret_names": the namespace's Secrets). Token Secrets (the legacy kind) are none."""
    w = _Writer()
    meta = sa.get("metadata") or _D
    _name_ns(w, sa)
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    existing = related.get("secret_names")
    sections = (("Image pull secrets:", sa.get("imagePullSecrets")), ("Mountable secrets: ", sa.get("secrets")),
                ("Tokens:            ", []))
    for header, refs in sections:
        names = [r.get("name") or "" for r in refs or _L if isinstance(r, dict)]
        if not names:
            w.write(0, "%s\t<none>\n" % header)
            continue
        prefix = header
        for n in names:
            missing = existing is not None and n not in existing
            w.write(0, "%s\t%s%s\n" % (prefix, n, " (not found)" if missing else ""))
            prefix = " " * 19
    describe_events(events, w, now)
    return w.render()
