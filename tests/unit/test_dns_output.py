"""nslookup, dig and host print what the real tools print (bind9 9.x; BusyBox 1.3x nslookup)."""

from __future__ import annotations

from dns_fixtures import api, make_ep, make_svc  # noqa: F401

from minikctl.network import dns, tools

Z = "cluster.local"
POD = {"kind": "pod", "pod": {"metadata": {"name": "dnsutils", "namespace": "default"}, "spec": {},
                              "status": {"podIP": "10.244.1.2"}}, "hosts": {}}
BUSYBOX = {**POD, "image": {"userland": "busybox", "bin": {"/bin": ["sh", "nslookup", "wget", "ping"]}}}


def run(api, cmd, origin=POD):
    return tools.run(api, cmd.split(), origin)


def test_nslookup_bind_a_record(api):
    svc = make_svc(api, "cyberchef", selector={"app": "cyberchef"})
    code, out, err = run(api, "nslookup cyberchef")
    assert (code, err) == (0, "")
    assert out == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
                   f"Name:\tcyberchef.default.svc.{Z}\nAddress: {svc['spec']['clusterIP']}\n\n")


def test_nslookup_bind_headless_lists_each_address(api):
    make_svc(api, "cyberchef-headless", clusterIP="None", selector={"app": "cyberchef"})
    make_ep(api, "cyberchef-headless", [("10.244.1.4", "a"), ("10.244.2.5", "b")])
    code, out, _ = run(api, "nslookup cyberchef-headless")
    assert code == 0
    assert out.endswith(f"Name:\tcyberchef-headless.default.svc.{Z}\nAddress: 10.244.1.4\n"
                        f"Name:\tcyberchef-headless.default.svc.{Z}\nAddress: 10.244.2.5\n\n")


def test_nslookup_bind_nxdomain_exit_1(api):
    code, out, err = run(api, "nslookup nothere")
    assert code == 1 and err == ""
    assert out == "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nothere: NXDOMAIN\n\n"


def test_nslookup_bind_cname_and_external(api):
    make_svc(api, "someapi", type="ExternalName", externalName="someapi.somecompany.com", ports=((80, 80, ""),))
    _, out, _ = run(api, "nslookup someapi")
    assert out.endswith(f"someapi.default.svc.{Z}\tcanonical name = someapi.somecompany.com.\n"
                        "Name:\tsomeapi.somecompany.com\nAddress: 203.0.113.10\n\n")
    assert "Non-authoritative" not in out
    _, out, _ = run(api, "nslookup example.com")
    assert "Non-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\n" in out


def test_nslookup_bind_reverse_and_srv(api):
    make_svc(api, "web", ports=((80, 8080, "http"),), selector={"app": "web"})
    _, out, _ = run(api, "nslookup 10.96.0.1")
    assert f"1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.{Z}.\n" in out
    _, out, _ = run(api, f"nslookup -type=SRV _http._tcp.web.default.svc.{Z}")
    assert f"_http._tcp.web.default.svc.{Z}\tservice = 0 100 80 web.default.svc.{Z}.\n" in out
    code, out, _ = run(api, "nslookup 10.244.9.9")
    assert code == 1 and "** server can't find 9.9.244.10.in-addr.arpa: NXDOMAIN" in out


def test_nslookup_bind_no_answer(api):
    make_svc(api, "web", selector={"app": "web"})
    code, out, _ = run(api, "nslookup -type=TXT web")
    assert code == 0 and "*** Can't find web: No answer\n" in out


def test_nslookup_busybox_queries_every_search_domain(api):
    svc = make_svc(api, "cyberchef", selector={"app": "cyberchef"})
    code, out, _ = run(api, "nslookup cyberchef", BUSYBOX)
    assert out.startswith("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                          f"Name:\tcyberchef.default.svc.{Z}\nAddress: {svc['spec']['clusterIP']}\n\n"
                          f"** server can't find cyberchef.svc.{Z}: NXDOMAIN\n\n"
                          f"** server can't find cyberchef.{Z}: NXDOMAIN\n\n"
                          f"*** Can't find cyberchef.default.svc.{Z}: No answer\n\n")
    assert code == 1  # BusyBox exits 1 when any of its queries failed


def test_nslookup_busybox_dotted_names_skip_the_search_list(api):
    make_svc(api, "web", selector={"app": "web"})
    code, out, _ = run(api, "nslookup web.default", BUSYBOX)
    assert code == 1 and "** server can't find web.default: NXDOMAIN" in out
    code, out, _ = run(api, f"nslookup web.default.svc.{Z}", BUSYBOX)
    assert f"Name:\tweb.default.svc.{Z}\n" in out


def test_dig_full_output(api):
    code, out, _ = run(api, f"dig kubernetes.default.svc.{Z}")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "" and lines[1] == f"; <<>> DiG 9.18.30 <<>> kubernetes.default.svc.{Z}"
    assert ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: " in out
    assert ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n" in out
    assert ";; WARNING: recursion requested but not available\n" in out
    assert f";; QUESTION SECTION:\n;kubernetes.default.svc.{Z}. IN A\n" in out
    assert f";; ANSWER SECTION:\nkubernetes.default.svc.{Z}. 30 IN A\t10.96.0.1\n" in out
    assert ";; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n" in out


def test_dig_column_layout_follows_bind():
    assert tools._dig_rr(dns.RR("example.com.", "A", 3600, "93.184.215.14")) == "example.com.\t\t3600\tIN\tA\t93.184.215.14"
    assert tools._dig_question("example.com.", "A") == ";example.com.\t\t\tIN\tA"


def test_dig_does_not_search_without_plus_search(api):
    make_svc(api, "web", selector={"app": "web"})
    _, out, _ = run(api, "dig web")
    assert "status: NXDOMAIN" in out and "flags: qr rd ra;" in out
    _, out, _ = run(api, "dig +search +short web")
    assert out.strip() == api.get("services", "default", "web")["spec"]["clusterIP"]


def test_dig_short_srv_ptr_any(api):
    make_svc(api, "db", clusterIP="None", ports=((5432, 5432, "pg"),), selector={"app": "db"})
    make_ep(api, "db", [("10.244.1.4", "db-0", None, "db-0")], ports=((5432, "pg"),))
    _, out, _ = run(api, f"dig +short SRV _pg._tcp.db.default.svc.{Z}")
    assert out == f"0 100 5432 db-0.db.default.svc.{Z}.\n"
    _, out, _ = run(api, "dig +short -x 10.96.0.10")
    assert out == f"kube-dns.kube-system.svc.{Z}.\n"
    _, out, _ = run(api, f"dig db.default.svc.{Z} ANY")
    assert "ANSWER: 0" in out and ";; AUTHORITY SECTION:" in out
    _, out, _ = run(api, f"dig _pg._tcp.db.default.svc.{Z} SRV")
    assert ";; ADDITIONAL SECTION:\n" in out


def test_host_output(api):
    svc = make_svc(api, "web", selector={"app": "web"})
    code, out, _ = run(api, "host web")
    assert code == 0 and out == f"web.default.svc.{Z} has address {svc['spec']['clusterIP']}\n"
    code, out, _ = run(api, "host nothere")
    assert code == 1 and out == "Host nothere not found: 3(NXDOMAIN)\n"
    code, out, _ = run(api, "host 10.96.0.10")
    assert out == f"10.0.96.10.in-addr.arpa domain name pointer kube-dns.kube-system.svc.{Z}.\n"


def test_unknown_tool_is_command_not_found(api):
    assert tools.run(api, ["traceroute6"], POD)[0] == 127
