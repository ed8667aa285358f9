"""Unit tests for minikctl.printers: duration, tabwriter, table decoration, row logic, describe helpers."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from minikctl.printers import columns, describe as describe_mod
from minikctl.printers.columns import build_table, format_label_selector, label_selector_string
from minikctl.printers.describe import describe, parse_quantity
from minikctl.printers.duration import age, human_duration
from minikctl.printers.table import Column, Row, Table, format_labels, render_table, tabwrite

NOW = datetime(2024, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


def ago(**kw) -> str:
    return (NOW - timedelta(**kw)).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# duration.HumanDuration
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (-3, "<invalid>"),
        (-1.5, "0s"),
        (0, "0s"),
        (59, "59s"),
        (119, "119s"),
        (120, "2m"),
        (121, "2m1s"),
        (599, "9m59s"),
        (600, "10m"),
        (3 * 3600 - 1, "179m"),
        (3 * 3600, "3h"),
        (3 * 3600 + 60, "3h1m"),
        (8 * 3600 - 1, "7h59m"),
        (8 * 3600, "8h"),
        (47 * 3600 + 3599, "47h"),
        (48 * 3600, "2d"),
        (5 * 86400 + 3 * 3600, "5d3h"),
        (8 * 86400 - 1, "7d23h"),
        (8 * 86400, "8d"),
        (2 * 365 * 86400 - 1, "729d"),
        (2 * 365 * 86400, "2y"),
        (3 * 365 * 86400 + 5 * 86400, "3y5d"),
        (8 * 365 * 86400, "8y"),
        (119.999, "119s"),
    ],
)
def test_human_duration(seconds, expected):
    assert human_duration(seconds) == expected


def test_age_missing_and_fractional():
    assert age(None, NOW) == "<unknown>"
    assert age("", NOW) == "<unknown>"
    assert age("not a time", NOW) == "<unknown>"
    assert age(ago(days=5, hours=3), NOW) == "5d3h"
    # MicroTime: 5h59m59.876544s ago
    assert age((NOW - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%S") + ".123456Z", NOW) == "5h59m"
    # a timestamp in the future by more than 1s
    assert age(ago(seconds=-20), NOW) == "<invalid>"


# ---------------------------------------------------------------------------
# text/tabwriter
# ---------------------------------------------------------------------------


def test_tabwrite_kubectl_settings_trailing_cell_unpadded():
    text = "NAME\tAGE\nkubernetes\t5d\n"
    assert tabwrite(text, 6, 4, 3, " ") == "NAME         AGE\nkubernetes   5d\n"


def test_tabwrite_minwidth():
    assert tabwrite("a\tb\n", 6, 4, 3, " ") == "a     b\n"


def test_tabwrite_column_blocks_are_independent():
    # A line without tabs ends a column block: widths are not shared across it.
    text = "Name:\tx\nLonger label:\ty\nplain line\nA:\tz\n"
    assert tabwrite(text, 0, 8, 2, " ") == (
        "Name:          x\n"
        "Longer label:  y\n"
        "plain line\n"
        "A:  z\n"
    )


def test_tabwrite_nested_blocks_and_empty_trailing_cells():
    text = "Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\nEndpoints:\t\n"
    assert tabwrite(text, 0, 8, 2, " ") == (
        "Port:        http  80/TCP\n"
        "TargetPort:  8080/TCP\n"
        "Endpoints:   \n"
    )


def test_tabwrite_counts_runes_not_bytes():
    assert tabwrite("é\tx\nab\ty\n", 0, 8, 1, " ") == "é  x\nab y\n"


# ---------------------------------------------------------------------------
# render_table (cli-runtime tableprinter.go)
# ---------------------------------------------------------------------------


def _table():
    cols = [Column("Name", format="name"), Column("Status"), Column("Age"), Column("Node", priority=1)]
    rows = [
        Row(["a", "Running", "5d", "node-1"], {"metadata": {"name": "a", "namespace": "default", "labels": {"z": "1", "app": "a"}}}),
        Row(["bb", "Pending", "2m", "<none>"], {"metadata": {"name": "bb", "namespace": "kube-system"}}),
    ]
    return Table(cols, rows)


def test_render_table_basic_and_wide():
    assert render_table(_table()) == "NAME   STATUS    AGE\na      Running   5d\nbb     Pending   2m\n"
    assert render_table(_table(), wide=True) == (
        "NAME   STATUS    AGE   NODE\n"
        "a      Running   5d    node-1\n"
        "bb     Pending   2m    <none>\n"
    )


def test_render_table_namespace_labels_no_headers():
    assert render_table(_table(), namespace_column=True, show_labels=True) == (
        "NAMESPACE     NAME   STATUS    AGE   LABELS\n"
        "default       a      Running   5d    app=a,z=1\n"
        "kube-system   bb     Pending   2m    <none>\n"
    )
    # minwidth 6 applies to every column, even without headers
    assert render_table(_table(), no_headers=True) == "a     Running   5d\nbb    Pending   2m\n"


def test_render_table_with_kind_and_label_columns():
    assert render_table(_table(), with_kind="pod", label_columns=["app", "example.com/z"]) == (
        "NAME     STATUS    AGE   APP   Z\n"
        "pod/a    Running   5d    a     \n"
        "pod/bb   Pending   2m          \n"
    )


def test_render_table_empty_and_cell_sanitising():
    assert render_table(Table([Column("Name")], [])) == ""
    t = Table([Column("Name"), Column("Message")], [Row(["x", "first line\nsecond"], {}), Row(["y", "esc\x1b[31m"], {})])
    assert render_table(t) == "NAME   MESSAGE\nx      first line...\ny      esc^[[31m\n"


def test_format_labels():
    assert format_labels(None) == "<none>"
    assert format_labels({}) == "<none>"
    assert format_labels({"b": "2", "a": "1"}) == "a=1,b=2"


# ---------------------------------------------------------------------------
# selectors
# ---------------------------------------------------------------------------


def test_label_selector_strings():
    sel = {
        "matchLabels": {"tier": "web", "app": "x"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "zone", "operator": "NotIn", "values": ["b"]},
            {"key": "gpu", "operator": "Exists"},
            {"key": "legacy", "operator": "DoesNotExist"},
        ],
    }
    assert label_selector_string(sel) == "app=x,env in (dev,prod),gpu,!legacy,tier=web,zone notin (b)"
    assert label_selector_string(None) == ""
    assert format_label_selector({}) == "<none>"


# ---------------------------------------------------------------------------
# printers.go row logic
# ---------------------------------------------------------------------------


def _pod(status, spec=None, **meta):
    m = {"name": "p", "namespace": "default", "creationTimestamp": ago(minutes=30)}
    m.update(meta)
    s = {"containers": [{"name": "a", "image": "busybox"}], "nodeName": "node-1"}
    s.update(spec or {})
    return {"metadata": m, "spec": s, "status": status}


def _pod_cells(pod):
    return build_table("Pod", [pod], NOW).rows[0].cells


def test_pod_status_reasons():
    running = {"phase": "Running", "containerStatuses": [{"name": "a", "ready": True, "restartCount": 0, "state": {"running": {}}}]}
    assert _pod_cells(_pod(running))[1:4] == ["1/1", "Running", "0"]
    oom = {"phase": "Running", "containerStatuses": [{"name": "a", "restartCount": 1, "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}
    assert _pod_cells(_pod(oom))[2] == "OOMKilled"
    sig = {"phase": "Running", "containerStatuses": [{"name": "a", "state": {"terminated": {"exitCode": 2, "signal": 9}}}]}
    assert _pod_cells(_pod(sig))[2] == "Signal:9"
    code = {"phase": "Running", "containerStatuses": [{"name": "a", "state": {"terminated": {"exitCode": 3}}}]}
    assert _pod_cells(_pod(code))[2] == "ExitCode:3"
    image = {"phase": "Pending", "containerStatuses": [{"name": "a", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}
    assert _pod_cells(_pod(image))[2] == "ImagePullBackOff"
    gated = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}
    assert _pod_cells(_pod(gated))[2] == "SchedulingGated"
    evicted = {"phase": "Failed", "reason": "Evicted"}
    assert _pod_cells(_pod(evicted))[2] == "Evicted"
    lost = {"phase": "Running", "reason": "NodeLost"}
    assert _pod_cells(_pod(lost, deletionTimestamp=ago(minutes=1)))[2] == "Unknown"


def test_pod_init_and_sidecar_status():
    spec = {"initContainers": [{"name": "i1", "image": "x"}, {"name": "i2", "image": "x"}]}
    st = {"phase": "Pending", "initContainerStatuses": [
        {"name": "i1", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
        {"name": "i2", "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
    assert _pod_cells(_pod(st, spec))[2:4] == ["Init:CrashLoopBackOff", "2"]
    st = {"phase": "Pending", "initContainerStatuses": [{"name": "i1", "state": {"terminated": {"exitCode": 1}}}]}
    assert _pod_cells(_pod(st, spec))[2] == "Init:ExitCode:1"
    # a restartable init container (sidecar) counts in READY
    spec = {"initContainers": [{"name": "proxy", "image": "envoy", "restartPolicy": "Always"}]}
    st = {"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
          "initContainerStatuses": [{"name": "proxy", "started": True, "ready": True, "restartCount": 1, "state": {"running": {}}}],
          "containerStatuses": [{"name": "a", "ready": True, "restartCount": 0, "state": {"running": {}}}]}
    assert _pod_cells(_pod(st, spec))[1:4] == ["2/2", "Running", "1"]


def test_pod_completed_with_running_container_and_restart_age():
    st = {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}], "containerStatuses": [
        {"name": "a", "ready": True, "restartCount": 0, "state": {"running": {}}},
        {"name": "b", "ready": False, "restartCount": 4, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
         "lastState": {"terminated": {"exitCode": 0, "finishedAt": ago(minutes=7)}}}]}
    pod = _pod(st, {"containers": [{"name": "a"}, {"name": "b"}]})
    assert _pod_cells(pod)[1:4] == ["1/2", "NotReady", "4 (7m ago)"]


def test_pod_wide_columns():
    st = {"phase": "Running", "podIPs": [{"ip": "10.0.0.9"}], "nominatedNodeName": "n2",
          "conditions": [{"type": "example.com/ready", "status": "True"}]}
    pod = _pod(st, {"readinessGates": [{"conditionType": "example.com/ready"}, {"conditionType": "other"}]})
    assert _pod_cells(pod)[5:] == ["10.0.0.9", "node-1", "n2", "1/2"]


def test_service_cells():
    def svc(spec, status=None):
        return {"metadata": {"name": "s", "creationTimestamp": ago(days=1)}, "spec": spec, "status": status or {}}

    cells = build_table("Service", [svc({"type": "ClusterIP", "clusterIP": "10.0.0.1", "externalIPs": ["1.2.3.4", "5.6.7.8"]})], NOW).rows[0].cells
    assert cells[1:5] == ["ClusterIP", "10.0.0.1", "1.2.3.4,5.6.7.8", "<none>"]
    lb = svc({"type": "LoadBalancer", "clusterIP": "10.0.0.2", "externalIPs": ["9.9.9.9"], "ports": [{"port": 53, "protocol": "UDP"}]},
             {"loadBalancer": {"ingress": [{"ip": "2.2.2.2"}, {"ip": "1.1.1.1"}]}})
    cells = build_table("Service", [lb], NOW).rows[0].cells
    assert cells[3:5] == ["1.1.1.1,2.2.2.2,9.9.9.9", "53/UDP"]
    # clusterIP wins over clusterIPs (v1 -> internal conversion); missing type/protocol are defaulted
    cells = build_table("Service", [svc({"clusterIP": "10.0.0.3", "clusterIPs": ["10.0.0.4"], "ports": [{"port": 80}]})], NOW).rows[0].cells
    assert cells[1:5] == ["ClusterIP", "10.0.0.3", "<none>", "80/TCP"]


def test_ingress_hosts_more():
    rules = [{"host": "h%d.example.com" % i} for i in range(5)] + [{}]
    ing = {"metadata": {"name": "i"}, "spec": {"rules": rules}}
    assert build_table("Ingress", [ing], NOW).rows[0].cells[2] == "h0.example.com,h1.example.com,h2.example.com + 3 more..."


def test_endpointslice_cells():
    eps = {"metadata": {"name": "e"}, "addressType": "IPv4", "ports": [{"name": "a", "port": 1}, {"name": "b"}, {}, {"port": 4}],
           "endpoints": [{"addresses": ["1.1.1.1", "1.1.1.2"]}, {"addresses": ["1.1.1.3", "1.1.1.4", "1.1.1.5"]}]}
    cells = build_table("EndpointSlice", [eps], NOW).rows[0].cells
    assert cells[1:4] == ["IPv4", "1,b,* + 1 more...", "1.1.1.1,1.1.1.2,1.1.1.3 + 2 more..."]
    empty = {"metadata": {"name": "e"}, "addressType": "IPv4"}
    assert build_table("EndpointSlice", [empty], NOW).rows[0].cells[2:4] == ["<unset>", "<unset>"]


def test_headless_endpoints_without_ports_and_ipv6():
    ep = {"metadata": {"name": "e"}, "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]},
                                                {"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 80}]}]}
    assert build_table("Endpoints", [ep], NOW).rows[0].cells[1] == "10.0.0.1,10.0.0.2,[fd00::1]:80"


def test_event_cells_singleton_and_series():
    ev = {"metadata": {"name": "e1"}, "involvedObject": {"kind": "Node", "name": ""}, "type": "Normal", "reason": "Starting",
          "message": " hi ", "eventTime": ago(minutes=5), "reportingComponent": "kubelet", "reportingInstance": "node-1"}
    cells = build_table("Event", [ev], NOW).rows[0].cells
    assert cells == ["5m", "Normal", "Starting", "node", "", "kubelet, node-1", "hi", "5m", 1, "e1"]


def test_default_table_for_unknown_kind():
    t = build_table("Widget", [{"metadata": {"name": "w", "creationTimestamp": "2024-01-01T00:00:00Z"}}], NOW)
    assert render_table(t) == "NAME   CREATED AT\nw      2024-01-01T00:00:00Z\n"


def test_missing_fields_never_raise():
    for kind in columns.COLUMNS:
        t = build_table(kind, [{}, {"metadata": None, "spec": None, "status": None}], NOW)
        render_table(t, wide=True, namespace_column=True, show_labels=True)
    for kind in describe_mod.DESCRIBABLE_KINDS:
        describe(kind, {}, [], NOW, {})
        describe(kind, {"metadata": {"name": "x"}, "spec": {}, "status": {}}, [{}], NOW, None)


# ---------------------------------------------------------------------------
# describe helpers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [("100m", "100m"), ("0.5", "500m"), ("1000", "1k"), ("1500000", "1500k"), ("128Mi", "128Mi"), ("1024Mi", "1Gi"),
     ("1.5Gi", "1536Mi"), ("0.5Ki", "512"), ("16393832Ki", "16393832Ki"), ("1e3", "1e3"), ("0", "0"), ("2", "2")],
)
def test_quantity_canonical_string(raw, expected):
    assert str(parse_quantity(raw)) == expected


def test_quantity_add_keeps_receiver_format():
    assert str(parse_quantity("100m").add(parse_quantity("650m"))) == "750m"
    assert str(parse_quantity("70Mi").add(parse_quantity("100Mi"))) == "170Mi"


def test_secret_values_never_printed():
    secret = {"metadata": {"name": "s", "namespace": "default"}, "type": "kubernetes.io/service-account-token",
              "data": {"token": "c2VjcmV0LXRva2Vu", "ca.crt": "QUJD"}, "stringData": {"extra": "plain-value"}}
    out = describe("Secret", secret, [], NOW)
    assert "secret-token" not in out and "c2VjcmV0" not in out and "plain-value" not in out
    assert out.endswith("Data\n====\nca.crt:  3 bytes\nextra:   11 bytes\ntoken:   12 bytes\n")
    assert "Events" not in out


def test_describe_events_sorted_and_annotations_folded():
    cm = {"metadata": {"name": "c", "namespace": "default",
                       "annotations": {"long": "x" * 200, "multi": "a\nb\n", "kubectl.kubernetes.io/last-applied-configuration": "{}"}}}
    evs = [
        {"type": "Normal", "reason": "Late", "message": "m2", "count": 1, "firstTimestamp": ago(minutes=1), "lastTimestamp": ago(minutes=1),
         "source": {"component": "c"}},
        {"type": "Normal", "reason": "Early", "message": "m1", "count": 3, "firstTimestamp": ago(hours=2), "lastTimestamp": ago(hours=1),
         "source": {"component": "c"}},
    ]
    out = describe("ConfigMap", cm, evs, NOW)
    assert "Annotations:  long:\n                " + "x" * 138 + "...\n              multi:\n                a\n                b\n" in out
    assert out.endswith(
        "Events:\n"
        "  Type    Reason  Age                 From  Message\n"
        "  ----    ------  ----                ----  -------\n"
        "  Normal  Early   60m (x3 over 120m)  c     m1\n"
        "  Normal  Late    60s                 c     m2\n"
    )


def test_deployment_new_and_old_replica_sets_are_picked_by_template():
    tmpl = {"metadata": {"labels": {"app": "w"}}, "spec": {"containers": [{"name": "c", "image": "v2"}]}}
    dep = {"metadata": {"name": "w", "namespace": "default", "uid": "d1", "creationTimestamp": ago(days=1)},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "w"}}, "template": tmpl}, "status": {}}

    def rs(name, image, replicas, created, owner="d1"):
        t = copy.deepcopy(tmpl)
        t["metadata"]["labels"]["pod-template-hash"] = name[-3:]
        t["spec"]["containers"][0]["image"] = image
        return {"metadata": {"name": name, "creationTimestamp": created,
                             "ownerReferences": [{"kind": "Deployment", "name": "w", "uid": owner, "controller": True}]},
                "spec": {"replicas": replicas, "template": t}, "status": {"replicas": replicas}}

    rss = [rs("w-bbb", "v2", 2, ago(hours=1)), rs("w-aaa", "v1", 0, ago(hours=5)), rs("x-ccc", "v2", 1, ago(hours=9), owner="other")]
    out = describe("Deployment", dep, [], NOW, {"replicasets": rss})
    assert "OldReplicaSets:    w-aaa (0/0 replicas created)\nNewReplicaSet:     w-bbb (2/2 replicas created)\n" in out


def test_describe_show_events_false_omits_section():
    pod = {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": []}, "status": {"phase": "Pending"}}
    assert "Events:" not in describe("Pod", pod, None, NOW)
    assert describe("Pod", pod, [], NOW).endswith("Events:          <none>\n")


def test_describe_ingress_without_services_mapping():
    ing = {"metadata": {"name": "i", "namespace": "default"},
           "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "web", "port": {"name": "http"}}}},
                                                 {"path": "/n", "backend": {"service": {"name": "gone", "port": {"number": 80}}}}]}}]}}
    eps = {"metadata": {"name": "web"}, "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"name": "http", "port": 8080}]}]}
    out = describe("Ingress", ing, [], NOW, {"endpoints": {"web": eps, "gone": None}})
    assert "/    web:http (10.0.0.1:8080)\n" in out
    assert "/n   gone:80 (<none>)\n" in out
