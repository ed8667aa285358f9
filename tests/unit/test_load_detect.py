"""minikctl.kubelet.load.detect: which main processes are request loops run as a rate."""

from __future__ import annotations

import pytest

from minikctl.kubelet.load import REQUEST_SECONDS, detect


@pytest.mark.parametrize("script,url,period", [
    ("while sleep 0.01; do wget -q -O- http://php-apache; done", "http://php-apache", 0.01),
    ("while true; do curl -s http://web.default.svc.cluster.local:8080/api; sleep 1; done",
     "http://web.default.svc.cluster.local:8080/api", 1.0),
    ("while :; do wget -q -O- http://php-apache >/dev/null 2>&1; sleep 0.5; done", "http://php-apache", 0.5),
    ("while true\ndo\n  wget -q -O- http://php-apache\n  sleep 2\ndone", "http://php-apache", 2.0),
    ("while true; do curl -s http://a; echo; done", "http://a", 0.0),
])
def test_request_loops(script, url, period):
    shape = detect(["/bin/sh", "-c", script])
    assert shape is not None and shape["url"] == url and shape["period"] == pytest.approx(period)
    assert 1 / (shape["period"] + REQUEST_SECONDS) > 0


@pytest.mark.parametrize("argv", [
    ["/bin/sh", "-c", "wget -q -O- http://php-apache"],  # one request: simulated as it is
    ["/bin/sh", "-c", "while true; do date; sleep 5; done"],  # no request
    ["/bin/sh", "-c", "while true; do wget http://a; curl http://b; done"],  # two targets
    ["/bin/sh", "-c", "while true; do wget http://a; rm -f /tmp/x; done"],  # something else in the body
    ["/bin/sh", "-c", "until wget -q -O- http://a; do sleep 1; done"],  # waits for a service: not a load
    ["wget", "-q", "-O-", "http://a"],
    ["sleep", "3600"],
])
def test_not_request_loops(argv):
    assert detect(argv) is None
