"""The `srv` fixture: one `minikctl serve` per test module (tests/server/serving.py)."""

from __future__ import annotations

import os

import pytest

from tests.server.serving import KUBECTL, Server

pytest.importorskip("aiohttp")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl 1.32 is not installed here")
    s = Server(tmp_path_factory.mktemp("serve"))
    yield s
    s.stop()
