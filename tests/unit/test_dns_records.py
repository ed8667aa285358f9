"""The cluster DNS server's answers (CoreDNS kubernetes plugin; kubernetes/dns docs/specification.md),
on objects written straight to the store."""

from __future__ import annotations

from dns_fixtures import api, make_ep, make_pod, make_svc  # noqa: F401

from minikctl.network import dns

Z = "cluster.local"


def q(api, name, t="A"):
    return dns.query(api, name, t)


def test_clusterip_service_a_record(api):
    svc = make_svc(api, "web", selector={"app": "web"})
    r = q(api, f"web.default.svc.{Z}")
    assert r.rcode == "NOERROR" and r.aa and not r.ra
    assert [(x.name, x.type, x.ttl, x.data) for x in r.answer] == [
        (f"web.default.svc.{Z}.", "A", 30, svc["spec"]["clusterIP"])]


def test_names_are_case_insensitive_and_echo_the_question(api):
    svc = make_svc(api, "web", selector={"app": "web"})
    r = q(api, f"WEB.Default.svc.{Z}")
    assert r.answer[0].data == svc["spec"]["clusterIP"]
    assert r.answer[0].name == f"WEB.Default.svc.{Z}."


def test_clusterip_service_answers_without_endpoints(api):
    # CoreDNS answers a ClusterIP service whether or not it has endpoints (no ignore empty_service)
    make_svc(api, "lonely", selector={"app": "nobody"})
    assert q(api, f"lonely.default.svc.{Z}").ok


def test_unknown_service_namespace_and_shape_are_nxdomain(api):
    assert q(api, f"nope.default.svc.{Z}").rcode == "NXDOMAIN"
    assert q(api, f"web.nonamespace.svc.{Z}").rcode == "NXDOMAIN"
    assert q(api, f"a.b.c.web.default.svc.{Z}").rcode == "NXDOMAIN"
    assert q(api, f"web.default.foo.{Z}").rcode == "NXDOMAIN"
    nx = q(api, f"nope.default.svc.{Z}")
    assert nx.authority[0].type == "SOA" and nx.authority[0].data.startswith(f"ns.dns.{Z}. hostmaster.{Z}. ")


def test_namespace_and_apex_are_nodata(api):
    for name in (f"default.svc.{Z}", f"svc.{Z}", Z):
        r = q(api, name)
        assert r.rcode == "NOERROR" and r.answer == [], name


def test_headless_service_one_a_per_ready_endpoint(api):
    make_svc(api, "db", clusterIP="None", selector={"app": "db"})
    make_ep(api, "db", [("10.244.1.4", "db-a"), ("10.244.2.5", "db-b")], not_ready=[("10.244.1.9", "db-c")])
    r = q(api, f"db.default.svc.{Z}")
    assert sorted(x.data for x in r.answer) == ["10.244.1.4", "10.244.2.5"]


def test_headless_publish_not_ready_addresses(api):
    make_svc(api, "db", clusterIP="None", selector={"app": "db"}, publishNotReadyAddresses=True)
    make_ep(api, "db", [("10.244.1.4", "db-a")], not_ready=[("10.244.1.9", "db-c")])
    assert sorted(x.data for x in q(api, f"db.default.svc.{Z}").answer) == ["10.244.1.4", "10.244.1.9"]


def test_headless_without_ready_endpoints_is_nxdomain(api):
    make_svc(api, "db", clusterIP="None", selector={"app": "db"})
    make_ep(api, "db", [], not_ready=[("10.244.1.9", "db-c")])
    assert q(api, f"db.default.svc.{Z}").rcode == "NXDOMAIN"


def test_headless_endpoint_without_ports_still_answers_a(api):
    make_svc(api, "np", clusterIP="None", ports=(), selector={"app": "x"})
    make_ep(api, "np", [("10.244.1.4",)], ports=())
    assert [x.data for x in q(api, f"np.default.svc.{Z}").answer] == ["10.244.1.4"]
    assert q(api, f"np.default.svc.{Z}", "SRV").answer == []


def test_srv_for_named_port_of_clusterip_service(api):
    svc = make_svc(api, "web", ports=((80, 8080, "http"), (443, 8443, "https")), selector={"app": "web"})
    r = q(api, f"_http._tcp.web.default.svc.{Z}", "SRV")
    assert [(x.type, x.data) for x in r.answer] == [("SRV", f"0 100 80 web.default.svc.{Z}.")]
    assert [(x.name, x.data) for x in r.additional] == [(f"web.default.svc.{Z}.", svc["spec"]["clusterIP"])]
    # without _port._proto: every port, weights split (floor(100/n))
    r = q(api, f"web.default.svc.{Z}", "SRV")
    assert sorted(x.data for x in r.answer) == [f"0 50 443 web.default.svc.{Z}.", f"0 50 80 web.default.svc.{Z}."]
    # a port name the service lacks, or the wrong protocol: NXDOMAIN
    assert q(api, f"_grpc._tcp.web.default.svc.{Z}", "SRV").rcode == "NXDOMAIN"
    assert q(api, f"_http._udp.web.default.svc.{Z}", "SRV").rcode == "NXDOMAIN"


def test_srv_per_endpoint_for_headless_service_with_hostnames(api):
    make_svc(api, "db", clusterIP="None", ports=((5432, 5432, "pg"),), selector={"app": "db"})
    make_ep(api, "db", [("10.244.1.4", "db-0", None, "db-0"), ("10.244.2.5", "x")], ports=((5432, "pg"),))
    r = q(api, f"_pg._tcp.db.default.svc.{Z}", "SRV")
    assert sorted(x.data for x in r.answer) == [f"0 50 5432 10-244-2-5.db.default.svc.{Z}.",
                                                f"0 50 5432 db-0.db.default.svc.{Z}."]
    assert sorted((x.name, x.data) for x in r.additional) == [
        (f"10-244-2-5.db.default.svc.{Z}.", "10.244.2.5"), (f"db-0.db.default.svc.{Z}.", "10.244.1.4")]


def test_endpoint_names_hostname_and_dashed_ip(api):
    make_svc(api, "db", clusterIP="None", selector={"app": "db"})
    make_ep(api, "db", [("10.244.1.4", "db-0", None, "db-0"), ("10.244.2.5", "x")])
    assert [x.data for x in q(api, f"db-0.db.default.svc.{Z}").answer] == ["10.244.1.4"]
    assert [x.data for x in q(api, f"10-244-2-5.db.default.svc.{Z}").answer] == ["10.244.2.5"]
    assert q(api, f"db-9.db.default.svc.{Z}").rcode == "NXDOMAIN"


def test_pod_hostname_subdomain_record(api):
    # a pod with hostname + subdomain under a headless service: the endpoints controller puts
    # the hostname on its address, and hostname.subdomain.ns.svc.<zone> answers
    make_pod(api, "busybox-1", "10.244.1.7", hostname="busybox-1", subdomain="sub", labels={"app": "bb"})
    make_svc(api, "sub", clusterIP="None", selector={"app": "bb"})
    make_ep(api, "sub", [("10.244.1.7", "busybox-1", None, "busybox-1")])
    assert [x.data for x in q(api, f"busybox-1.sub.default.svc.{Z}").answer] == ["10.244.1.7"]


def test_endpoint_name_query_works_for_clusterip_service_too(api):
    make_svc(api, "web", selector={"app": "web"})
    make_ep(api, "web", [("10.244.1.4", "w")])
    assert [x.data for x in q(api, f"10-244-1-4.web.default.svc.{Z}").answer] == ["10.244.1.4"]


def test_externalname_is_a_cname_then_the_upstream_answer(api):
    make_svc(api, "someapi", type="ExternalName", externalName="someapi.somecompany.com", ports=((80, 80, ""),))
    r = q(api, f"someapi.default.svc.{Z}")
    assert [(x.type, x.data) for x in r.answer] == [("CNAME", "someapi.somecompany.com."), ("A", "203.0.113.10")]
    assert r.answer[1].name == "someapi.somecompany.com."
    r = q(api, f"someapi.default.svc.{Z}", "CNAME")
    assert [(x.type, x.data) for x in r.answer] == [("CNAME", "someapi.somecompany.com.")]


def test_externalname_to_unknown_host_is_cname_only(api):
    make_svc(api, "gone", type="ExternalName", externalName="nothing.invalid", ports=((80, 80, ""),))
    r = q(api, f"gone.default.svc.{Z}")
    assert r.rcode == "NOERROR" and [x.type for x in r.answer] == ["CNAME"]


def test_externalname_to_a_cluster_name_is_chased_internally(api):
    svc = make_svc(api, "web", selector={"app": "web"})
    make_svc(api, "alias", type="ExternalName", externalName=f"web.default.svc.{Z}", ports=((80, 80, ""),))
    r = q(api, f"alias.default.svc.{Z}")
    assert [(x.type, x.data) for x in r.answer] == [("CNAME", f"web.default.svc.{Z}."),
                                                    ("A", svc["spec"]["clusterIP"])]


def test_ptr_for_service_ip(api):
    svc = make_svc(api, "web", selector={"app": "web"})
    ip = svc["spec"]["clusterIP"]
    r = q(api, dns.reverse_name(ip), "PTR")
    assert [(x.name, x.data) for x in r.answer] == [(dns.reverse_name(ip) + ".", f"web.default.svc.{Z}.")]
    assert q(api, "10.0.96.10.in-addr.arpa", "PTR").answer[0].data == f"kube-dns.kube-system.svc.{Z}."


def test_ptr_for_pod_ip_through_its_endpoints(api):
    make_pod(api, "web-1", "10.244.1.4", labels={"app": "web"})
    make_svc(api, "web", selector={"app": "web"})
    make_ep(api, "web", [("10.244.1.4", "web-1")])
    r = q(api, "4.1.244.10.in-addr.arpa", "PTR")
    assert [x.data for x in r.answer] == [f"10-244-1-4.web.default.svc.{Z}."]


def test_ptr_for_pod_outside_any_service_is_nxdomain(api):
    make_pod(api, "loner", "10.244.1.8", labels={"app": "loner"})
    assert q(api, "8.1.244.10.in-addr.arpa", "PTR").rcode == "NXDOMAIN"


def test_pod_a_records_insecure_mode(api):
    r = q(api, f"10-244-1-5.default.pod.{Z}")
    assert [x.data for x in r.answer] == ["10.244.1.5"]
    assert q(api, f"10-244-1-5.nonamespace.pod.{Z}").rcode == "NXDOMAIN"
    assert q(api, f"10-244-1.default.pod.{Z}").rcode == "NXDOMAIN"
    assert q(api, f"300-1-1-1.default.pod.{Z}").rcode == "NXDOMAIN"


def test_any_query_is_nodata_as_coredns_answers_it(api):
    make_svc(api, "web", selector={"app": "web"})
    r = q(api, f"web.default.svc.{Z}", "ANY")
    assert r.rcode == "NOERROR" and r.answer == []
    assert q(api, f"web.default.svc.{Z}", "TXT").answer == []


def test_dns_version_record(api):
    r = q(api, f"dns-version.{Z}", "TXT")
    assert [x.data for x in r.answer] == ['"1.1.0"']


def test_upstream_names_are_non_authoritative(api):
    r = q(api, "example.com")
    assert r.rcode == "NOERROR" and not r.aa and r.ra
    assert [x.data for x in r.answer] == ["93.184.215.14"]
    r = q(api, "no-such-host.example.org")
    assert r.rcode == "NXDOMAIN" and not r.aa and r.authority[0].name == "."


def test_user_external_hosts_override_and_extend(api):
    from minikctl.network import external

    external.add(api, external.validate([{"names": ["api.corp.internal"], "addresses": ["198.51.100.7"]},
                                         {"names": ["example.com"], "addresses": ["198.51.100.8"]}]))
    assert q(api, "api.corp.internal").answer[0].data == "198.51.100.7"
    assert q(api, "example.com").answer[0].data == "198.51.100.8"


def test_service_ip_reverse_lookup_uses_the_allocation_index(api, monkeypatch):
    # PTR must never list every service: the allocation table answers by value
    svc = make_svc(api, "web", selector={"app": "web"})
    calls = []
    orig = api.list

    def spy(resource, *a, **kw):
        calls.append(resource)
        return orig(resource, *a, **kw)

    monkeypatch.setattr(api, "list", spy)
    dns.query(api, dns.reverse_name(svc["spec"]["clusterIP"]), "PTR")
    assert "services" not in calls
