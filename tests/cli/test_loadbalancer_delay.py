"""LoadBalancer provisioning takes a few seconds of cluster time (controllers/loadbalancer.py
PROVISION_SECONDS), as the seed tutorial describes it: "If you do a kubectl get services right away
you'll see that the EXTERNAL-IP column for cyberchef now says pending. Wait a bit and you should
see a public address assigned by your cloud." The service controller's events
(staging/src/k8s.io/cloud-provider/controllers/service): EnsuringLoadBalancer at once,
EnsuredLoadBalancer when the address is there."""

from __future__ import annotations

import json


LB_RANGE = "172.18.255."


def _row(mk, name: str) -> list[str]:
    return mk(f"get svc {name}").out.splitlines()[1].split()


def _events(mk, name: str) -> list[tuple[str, str, str]]:
    out = mk(f"get events --field-selector involvedObject.name={name},involvedObject.kind=Service").out
    rows = [line.split(None, 4) for line in out.splitlines()[1:]]
    return [(r[0], r[2], r[4]) for r in rows]


def _web(mk):
    assert mk("create deployment web --image=nginx --port=80").code == 0


def test_expose_load_balancer_is_pending_then_gets_its_address(cluster):
    _web(cluster)
    r = cluster("expose deployment web --type=LoadBalancer --port=80")
    assert (r.code, r.out) == (0, "service/web exposed\n")
    row = _row(cluster, "web")
    assert (row[0], row[1], row[3], row[5]) == ("web", "LoadBalancer", "<pending>", "0s")
    assert _events(cluster, "web") == [("0s", "EnsuringLoadBalancer", "Ensuring load balancer")]
    cluster("clock advance 2s")
    assert _row(cluster, "web")[3] == "<pending>"
    cluster("clock advance 1s")
    row = _row(cluster, "web")
    assert row[3].startswith(LB_RANGE) and row[5] == "3s"
    assert _events(cluster, "web") == [("3s", "EnsuringLoadBalancer", "Ensuring load balancer"),
                                       ("0s", "EnsuredLoadBalancer", "Ensured load balancer")]
    ing = json.loads(cluster("get svc web -o json").out)["status"]["loadBalancer"]["ingress"]
    assert ing == [{"ip": row[3], "ipMode": "VIP"}]
    assert cluster("cluster check").code == 0


def test_a_long_advance_stops_at_the_provisioning_time(cluster):
    # `clock advance` wakes the service controller when the load balancer is due (WAKEUP_HOOKS)
    _web(cluster)
    cluster("expose deployment web --type=LoadBalancer --port=80")
    cluster("clock advance 1m")
    assert _row(cluster, "web")[3].startswith(LB_RANGE)
    assert _events(cluster, "web") == [("60s", "EnsuringLoadBalancer", "Ensuring load balancer"),
                                       ("57s", "EnsuredLoadBalancer", "Ensured load balancer")]


def test_apply_load_balancer_and_the_seed_edit(cluster, tmp_path):
    _web(cluster)
    f = tmp_path / "lb.yaml"
    f.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: NodePort\n"
                 "  selector: {app: web}\n  ports:\n  - port: 80\n")
    assert cluster(["apply", "-f", str(f)]).code == 0
    f.write_text(f.read_text().replace("NodePort", "LoadBalancer"))
    assert cluster(["apply", "-f", str(f)]).out == "service/lb configured\n"
    assert _row(cluster, "lb")[3] == "<pending>"
    cluster("clock advance 5s")
    ip = _row(cluster, "lb")[3]
    assert ip.startswith(LB_RANGE)
    r = cluster(f"curl -s -o /dev/null -w %{{http_code}} http://{ip}/")
    assert (r.code, r.out) == (0, "200")


def test_wait_for_the_address_moves_the_manual_clock(cluster):
    _web(cluster)
    cluster("expose deployment web --type=LoadBalancer --port=80")
    r = cluster(["wait", "svc/web", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}", "--timeout=30s"])
    assert (r.code, r.out) == (0, "service/web condition met\n")
    assert _row(cluster, "web")[3].startswith(LB_RANGE)


def test_no_longer_a_load_balancer_before_it_was_provisioned(cluster):
    _web(cluster)
    cluster("expose deployment web --type=LoadBalancer --port=80")
    assert cluster(["patch", "svc", "web", "-p", '{"spec":{"type":"NodePort"}}']).code == 0
    cluster("clock advance 10s")
    assert _row(cluster, "web")[3] == "<none>"
    assert [e[1] for e in _events(cluster, "web")] == ["EnsuringLoadBalancer", "DeletingLoadBalancer",
                                                      "DeletedLoadBalancer"]
    assert cluster("cluster check").code == 0


def test_deleted_before_it_was_provisioned(cluster):
    _web(cluster)
    cluster("expose deployment web --type=LoadBalancer --port=80")
    assert cluster("delete svc web").code == 0
    cluster("clock advance 10s")
    # the next one gets the first free address: nothing was held for the deleted one
    cluster("expose deployment web --name web2 --type=LoadBalancer --port=80")
    cluster("clock advance 3s")
    assert _row(cluster, "web2")[3] == "172.18.255.202"  # .201 is ingress-nginx's, provisioned with the cluster
    assert cluster("cluster check").code == 0


def test_ingress_controller_is_provisioned_with_the_cluster(cluster):
    row = cluster("get svc -n ingress-nginx ingress-nginx-controller").out.splitlines()[1].split()
    assert row[3] == "172.18.255.201"


def test_wall_clock_catches_up_when_the_time_has_passed(mk, state):
    """On a wall clock nothing runs between commands: the first command after the due time
    provisions (Session.open's catch-up). The store's timer is moved into the past instead of
    sleeping."""
    assert mk("cluster create --clock wall").code == 0
    _web(mk)
    mk("expose deployment web --type=LoadBalancer --port=80")
    assert _row(mk, "web")[3] == "<pending>"
    from minikctl.api.cluster import Session
    from minikctl.controllers import loadbalancer

    s = Session.open(state)
    try:
        with s.write() as api:
            timers = {k: v - 3600 for k, v in loadbalancer._timers(api).items()}
            api.store.meta_set(loadbalancer.TIMERS_META, json.dumps(timers))
            api.store.meta_set(loadbalancer.DUE_META, repr(min(timers.values())))
    finally:
        s.close()
    assert _row(mk, "web")[3].startswith(LB_RANGE)
    assert mk("cluster check").code == 0
