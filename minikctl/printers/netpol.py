"""NetworkPolicy printers: `get netpol` (pkg/printers/internalversion/printers.go printNetworkPolicy:
NAME POD-SELECTOR AGE) and `describe networkpolicy` (kubectl/pkg/describe/describe.go
describeNetworkPolicy, describeNetworkPolicySpec, printNetworkPolicySpecIngressFrom/EgressTo)."""

from __future__ import annotations

from datetime import datetime

_D: dict = {}


def print_network_policy(obj: dict, now: datetime) -> list:
    from minikctl.printers.columns import _age, format_label_selector

    meta = obj.get("metadata") or _D
    return [meta.get("name") or "", format_label_selector((obj.get("spec") or _D).get("podSelector") or {}),
            _age(meta.get("creationTimestamp"), now)]


def go_time_string(ts: str | None) -> str:
    """metav1.Time printed with %s: time.Time.String() in the local zone
    ("2006-01-02 15:04:05.999999999 -0700 MST")."""
    from minikctl.printers.duration import parse_time

    t = parse_time(ts)
    if t is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    t = t.astimezone()
    frac = f".{t.microsecond:06d}".rstrip("0") if t.microsecond else ""
    return t.strftime("%Y-%m-%d %H:%M:%S") + frac + t.strftime(" %z ") + (t.tzname() or "")


def _intstr(v) -> str:
    """*intstr.IntOrString with %s: its String(); <nil> for a nil pointer."""
    return "<nil>" if v is None else str(v)


def _rules(w, rules, peers_key: str, word: str, isolated: str, any_peer: str) -> None:
    ind = "    "
    if not rules:
        w.write(0, f"{ind}<none> (Selected pods are isolated for {isolated} connectivity)\n")
        return
    from minikctl.printers.columns import format_label_selector

    for i, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else _D
        ports = rule.get("ports") or []
        if not ports:
            w.write(0, f"{ind}To Port: <any> (traffic allowed to all ports)\n")
        for p in ports:
            p = p if isinstance(p, dict) else _D
            proto = p.get("protocol") or "TCP"
            if p.get("endPort") is None:
                w.write(0, f"{ind}To Port: {_intstr(p.get('port'))}/{proto}\n")
            else:
                w.write(0, f"{ind}To Port Range: {_intstr(p.get('port'))}-{p.get('endPort')}/{proto}\n")
        peers = rule.get(peers_key) or []
        if not peers:
            w.write(0, f"{ind}{word}: <any> (traffic not restricted by {any_peer})\n")
        for peer in peers:
            peer = peer if isinstance(peer, dict) else _D
            w.write(0, f"{ind}{word}:\n")
            pod, ns, ipb = peer.get("podSelector"), peer.get("namespaceSelector"), peer.get("ipBlock")
            if pod is not None and ns is not None:
                w.write(1, f"{ind}NamespaceSelector: {format_label_selector(ns)}\n")
                w.write(1, f"{ind}PodSelector: {format_label_selector(pod)}\n")
            elif pod is not None:
                w.write(1, f"{ind}PodSelector: {format_label_selector(pod)}\n")
            elif ns is not None:
                w.write(1, f"{ind}NamespaceSelector: {format_label_selector(ns)}\n")
            elif ipb is not None:
                w.write(1, f"{ind}IPBlock:\n")
                w.write(2, f"{ind}CIDR: {ipb.get('cidr') or ''}\n")
                w.write(2, f"{ind}Except: {', '.join(ipb.get('except') or [])}\n")
        if i != len(rules) - 1:
            w.write(0, f"{ind}----------\n")


def describe_network_policy(np: dict, events, now: datetime) -> str:
    from minikctl.printers.columns import format_label_selector
    from minikctl.printers.describe import _Writer, _print_annotations_multiline, _print_labels_multiline

    w = _Writer()
    meta = np.get("metadata") or _D
    spec = np.get("spec") or _D
    w.write(0, "Name:\t%s\n" % (meta.get("name") or ""))
    w.write(0, "Namespace:\t%s\n" % (meta.get("namespace") or ""))
    w.write(0, "Created on:\t%s\n" % go_time_string(meta.get("creationTimestamp")))
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Spec:\n")
    w.write(1, "PodSelector: ")
    sel = spec.get("podSelector") or _D
    if not sel.get("matchLabels") and not sel.get("matchExpressions"):
        w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
    else:
        w.write(2, format_label_selector(sel) + "\n")
    types = [t for t in spec.get("policyTypes") or [] if isinstance(t, str)]
    if "Ingress" in types:
        w.write(1, "Allowing ingress traffic:\n")
        _rules(w, spec.get("ingress"), "from", "From", "ingress", "source")
    else:
        w.write(1, "Not affecting ingress traffic\n")
    if "Egress" in types:
        w.write(1, "Allowing egress traffic:\n")
        _rules(w, spec.get("egress"), "to", "To", "egress", "destination")
    else:
        w.write(1, "Not affecting egress traffic\n")
    w.write(1, "Policy Types: %s\n" % ", ".join(types))
    return w.render()
