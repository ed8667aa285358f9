"""Policy describers (describe.go, kubectl 1.32): describePodDisruptionBudgetV1 (issue 11, w-drain)."""

from __future__ import annotations

from datetime import datetime

from minikctl.printers.columns import format_label_selector
from minikctl.printers.describe.events import describe_events
from minikctl.printers.describe.writer import _D, _Writer, _int


def _describe_pod_disruption_budget(pdb: dict, events, now: datetime) -> str:
    w = _Writer()
    meta = pdb.get("metadata") or _D
    spec = pdb.get("spec") or _D
    status = pdb.get("status") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    if spec.get("minAvailable") is not None:
        w.write(0, "Min available:\t%s\n" % spec["minAvailable"])
    elif spec.get("maxUnavailable") is not None:
        w.write(0, "Max unavailable:\t%s\n" % spec["maxUnavailable"])
    if spec.get("selector") is not None:
        w.write(0, "Selector:\t%s\n" % format_label_selector(spec.get("selector")))
    else:
        w.write(0, "Selector:\t<unset>\n")
    w.write(0, "Status:\n")
    w.write(2, "Allowed disruptions:\t%d\n" % _int(status.get("disruptionsAllowed")))
    w.write(2, "Current:\t%d\n" % _int(status.get("currentHealthy")))
    w.write(2, "Desired:\t%d\n" % _int(status.get("desiredHealthy")))
    w.write(2, "Total:\t%d\n" % _int(status.get("expectedPods")))
    describe_events(events, w, now)
    return w.render()
