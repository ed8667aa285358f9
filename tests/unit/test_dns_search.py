"""The stub resolver: resolv.conf from dnsPolicy/dnsConfig, the search list and ndots
(glibc res_nsearch; bind9 dighost.c for nslookup/host)."""

from __future__ import annotations

from dns_fixtures import api, make_svc  # noqa: F401

from minikctl.network import dns

Z = "cluster.local"
CONF = dns.ResolvConf(["10.96.0.10"], [f"default.svc.{Z}", f"svc.{Z}", Z], 5)


def test_short_names_try_the_search_list_first():
    assert dns.candidates("web", CONF) == [f"web.default.svc.{Z}.", f"web.svc.{Z}.", f"web.{Z}.", "web."]


def test_names_with_ndots_dots_are_tried_as_is_first():
    name = "a.b.c.d.e.f"
    assert dns.candidates(name, CONF)[0] == "a.b.c.d.e.f."
    assert dns.candidates(name, CONF)[1] == f"a.b.c.d.e.f.default.svc.{Z}."
    # four dots is still fewer than ndots:5
    assert dns.candidates("a.b.c.d.e", CONF)[0] == f"a.b.c.d.e.default.svc.{Z}."


def test_trailing_dot_is_absolute():
    assert dns.candidates("web.", CONF) == ["web."]


def test_search_finds_service_in_own_and_other_namespaces(api):
    web = make_svc(api, "web", selector={"app": "web"})
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    cart = make_svc(api, "cart", ns="shop", selector={"app": "cart"})
    res = dns.search(api, "web", "A", CONF)
    assert res.ok and res.reply.answer[0].data == web["spec"]["clusterIP"]
    assert [n for n, _ in res.tried] == [f"web.default.svc.{Z}."]
    res = dns.search(api, "cart.shop", "A", CONF)
    assert res.reply.answer[0].data == cart["spec"]["clusterIP"]
    assert [n for n, _ in res.tried] == [f"cart.shop.default.svc.{Z}.", f"cart.shop.svc.{Z}."]
    assert dns.search(api, "cart", "A", CONF).reply.rcode == "NXDOMAIN"  # other namespace needs cart.shop


def test_search_falls_back_to_the_name_as_is(api):
    res = dns.search(api, "example.com", "A", CONF)
    assert res.ok and res.reply.answer[0].data == "93.184.215.14"
    assert [n for n, _ in res.tried][-1] == "example.com."
    assert len(res.tried) == 4


def test_failed_search_reports_the_last_name_tried(api):
    res = dns.search(api, "nothere", "A", CONF)
    assert res.reply.rcode == "NXDOMAIN" and res.reply.qname == "nothere."


def test_nodata_continues_for_libc_but_stops_for_bind(api):
    make_svc(api, "web", selector={"app": "web"})
    assert len(dns.search(api, "web", "TXT", CONF).tried) == 4
    assert len(dns.search(api, "web", "TXT", CONF, stop_on_nodata=True).tried) == 1


def test_getaddrinfo_reads_hosts_first(api):
    make_svc(api, "web", selector={"app": "web"})
    assert dns.getaddrinfo(api, "web", CONF, {"web": "10.1.2.3"}) == (["10.1.2.3"], "web")
    assert dns.getaddrinfo(api, "10.9.9.9", CONF) == (["10.9.9.9"], "10.9.9.9")
    assert dns.getaddrinfo(api, "nothere", CONF) == ([], "nothere")


def test_resolv_conf_cluster_first(api):
    pod = {"metadata": {"name": "p", "namespace": "shop"}, "spec": {}}
    conf = dns.resolv_conf(api, pod)
    assert conf.text() == (f"search shop.svc.{Z} svc.{Z} {Z}\nnameserver 10.96.0.10\noptions ndots:5\n")


def test_resolv_conf_default_and_host_network(api):
    for spec in ({"dnsPolicy": "Default"}, {"hostNetwork": True}):
        conf = dns.resolv_conf(api, {"metadata": {"name": "p", "namespace": "default"}, "spec": spec})
        assert conf.nameservers == [dns.NODE_RESOLVER] and conf.search == []
    conf = dns.resolv_conf(api, {"metadata": {"name": "p", "namespace": "default"},
                                 "spec": {"hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet"}})
    assert conf.nameservers == ["10.96.0.10"]


def test_resolv_conf_dns_config(api):
    pod = {"metadata": {"name": "p", "namespace": "default"},
           "spec": {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.2.3.4"], "searches": ["corp.example"],
                                                      "options": [{"name": "ndots", "value": "2"},
                                                                  {"name": "edns0"}]}}}
    conf = dns.resolv_conf(api, pod)
    assert conf.text() == "search corp.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n"


def test_parse_resolv_conf_round_trip():
    conf = dns.parse_resolv_conf(CONF.text())
    assert (conf.nameservers, conf.search, conf.ndots) == (CONF.nameservers, CONF.search, 5)


def test_dns_policy_default_cannot_resolve_cluster_names(api):
    make_svc(api, "web", selector={"app": "web"})
    conf = dns.resolv_conf(api, {"metadata": {"name": "p", "namespace": "default"}, "spec": {"dnsPolicy": "Default"}})
    assert not dns.search(api, "web", "A", conf).ok
    assert not dns.search(api, f"web.default.svc.{Z}", "A", conf).ok
