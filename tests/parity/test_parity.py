"""Everyday kubectl 1.32 command lines, run side by side with the real kubectl 1.32 and with minikctl.

The lines are data (``commands.txt``); each is one test. Both tools run in the same throwaway
directory (holding copies of ``files/``); kubectl talks to a stub API server on 127.0.0.1 that serves
the objects minikctl made when it ran the ``[setup]`` section (discovery and OpenAPI from
tests/unit/test_explain_kubectl.py's stub, objects and server-side Tables as
tests/unit/test_printers_kubectl.py serves them), so ``get``, ``describe``, ``explain`` and
``api-resources`` print the same objects; offline lines (``--dry-run=client``, ``--local``,
``config`` on a throwaway kubeconfig, ``version --client``, ``completion``) never reach it.

Compared: stdout, stderr and the exit code, and for lines naming ``{kubeconfig}`` the kubeconfig file
afterwards. In kubectl's output the word ``kubectl`` used as the command's name (``See 'kubectl get
--help'``, ``Usage:\n  kubectl ...``, examples) reads ``minikctl``; ``kubectl.kubernetes.io/...``
and ``kubectl-create`` stay.

Lines known to differ today are listed in ``known_differences.txt`` with a reason each; they are
xfail(strict=True), so a fix makes its test fail until the line is removed there.
Skipped when the kubectl 1.32 binary is not installed. Summary: tests/parity/README.md
(``python3 tests/parity/test_parity.py --summary`` prints it).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # conftest's run_inprocess
sys.path.insert(0, str(HERE.parent / "unit"))  # the stub servers to reuse

# How far before the real "now" the setup's cluster clock starts: ages print as "2d1h" for an hour,
# so a slow run and kubectl's wall clock agree with minikctl's manual clock.
SETUP_AGE = timedelta(hours=49)
KUBECTL_ARG0 = re.compile(r"\bkubectl(?=[\s'\"`]|$)", re.M)


def _find_kubectl() -> str | None:
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                 shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return None


KUBECTL = _find_kubectl()


# ----------------------------------------------------------------------------- data files
def read_commands(path: Path = HERE / "commands.txt") -> tuple[list[str], list[str]]:
    """(setup lines, compared lines). '#' starts a comment line; sections [setup] and [lines]."""
    setup: list[str] = []
    lines: list[str] = []
    cur = lines
    for raw in path.read_text().splitlines():
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        if s == "[setup]":
            cur = setup
        elif s == "[lines]":
            cur = lines
        else:
            cur.append(s)
    return setup, lines


def read_known(path: Path = HERE / "known_differences.txt") -> dict[str, str]:
    """line -> reason; each entry is `LINE  ## REASON`."""
    known: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        line, sep, reason = raw.partition("  ## ")
        assert sep and reason.strip(), f"known_differences.txt: no reason for {raw!r}"
        known[line.strip()] = reason.strip()
    return known


SETUP, LINES = read_commands()
KNOWN = read_known()


# ----------------------------------------------------------------------------- the stub API server
# kube-aggregator's default group priorities (pkg/controlplane/apiserver/aggregator.go), highest first
_GROUP_ORDER = ["apiregistration.k8s.io", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
                "autoscaling", "batch", "certificates.k8s.io", "networking.k8s.io", "policy",
                "rbac.authorization.k8s.io", "storage.k8s.io", "admissionregistration.k8s.io",
                "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io",
                "discovery.k8s.io", "flowcontrol.apiserver.k8s.io"]


_SCALABLE = ("deployments", "replicasets", "statefulsets", "replicationcontrollers")


def _group_rank(name: str) -> int:
    return _GROUP_ORDER.index(name) if name in _GROUP_ORDER else len(_GROUP_ORDER)


def _stub_class():
    import test_explain_kubectl as ex
    from test_printers_kubectl import _matches

    from minikctl.api import kinds as K

    class Stub(ex._Api):
        """Discovery and OpenAPI as test_explain_kubectl serves them, plus the objects of a minikctl store."""

        objects: dict = {}  # (apiVersion, plural) -> [objects]
        now: datetime = datetime.now(timezone.utc)

        def _send(self, code, body, raw=None):
            """Discovery in kube-apiserver's order (which `get all` follows): groups by their priority
            (aggregator's default group priorities), each group's resources by name."""
            if isinstance(body, dict) and body.get("kind") == "APIGroupList":
                body = dict(body, groups=sorted(body["groups"], key=lambda g: _group_rank(g["name"])))
            elif isinstance(body, dict) and body.get("kind") == "APIResourceList":
                res = list(body["resources"])
                for r in body["resources"]:  # the scale subresource (kubectl autoscale and scale look for it)
                    if r["name"] in _SCALABLE:
                        res.append({"name": r["name"] + "/scale", "singularName": "", "namespaced": True,
                                    "group": "autoscaling", "version": "v1", "kind": "Scale",
                                    "verbs": ["get", "patch", "update"]})
                body = dict(body, resources=sorted(res, key=lambda r: r["name"]))
            return super()._send(code, body, raw)

        def _status(self, code, reason, message, details=None):
            body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": message, "reason": reason, "code": code}
            if details:
                body["details"] = details
            return self._send(code, body)

        def do_GET(self):  # noqa: C901 - a router
            u = urllib.parse.urlparse(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            parts = [p for p in u.path.split("/") if p]
            if parts[:1] == ["api"] and len(parts) > 2:
                gv, rest = "v1", parts[2:]
            elif parts[:1] == ["apis"] and len(parts) > 3:
                gv, rest = parts[1] + "/" + parts[2], parts[3:]
            else:
                return super().do_GET()
            ns = None
            if len(rest) >= 3 and rest[0] == "namespaces":
                ns, rest = rest[1], rest[2:]
            if gv == "coordination.k8s.io/v1" and rest[0] == "leases" and ns == "kube-node-lease" and len(rest) > 1:
                # a node's lease, as minikctl's describe assumes it (the kubelet holds it; times unset)
                if any(n["metadata"]["name"] == rest[1] for n in self.objects.get("nodes", [])):
                    return self._send(200, {"kind": "Lease", "apiVersion": gv, "spec": {"holderIdentity": rest[1]},
                                            "metadata": {"name": rest[1], "namespace": ns}})
            kind = next((k for k in K.KINDS if k.api_version == gv and k.plural == rest[0]), None)
            if kind is None:
                return self._status(404, "NotFound", "the server could not find the requested resource")
            items = [o for o in self.objects.get(rest[0], [])
                     if ns is None or (o.get("metadata") or {}).get("namespace") == ns]
            table = "as=Table" in self.headers.get("Accept", "")
            if len(rest) > 1:
                hit = next((o for o in items if o["metadata"]["name"] == rest[1]), None)
                if hit is None:
                    res = kind.plural if not kind.group else f"{kind.plural}.{kind.group}"
                    return self._status(404, "NotFound", f'{res} "{rest[1]}" not found',
                                        {"name": rest[1], "group": kind.group, "kind": kind.plural})
                if not table:
                    return self._send(200, hit)
                items = [hit]
            else:
                items = [o for o in items if _matches(o, q.get("labelSelector"), False)
                         and _matches(o, q.get("fieldSelector"), True)]
            if table:
                from minikctl.printers.columns import build_table

                t = build_table(kind.kind, items, self.now)
                return self._send(200, {
                    "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
                    "columnDefinitions": [{"name": c.name, "type": c.type, "format": c.format, "description": "",
                                           "priority": c.priority} for c in t.columns],
                    "rows": [{"cells": r.cells, "object": {"kind": "PartialObjectMetadata",
                                                           "apiVersion": "meta.k8s.io/v1",
                                                           "metadata": r.obj.get("metadata", {})}}
                             for r in t.rows]})
            return self._send(200, {"kind": kind.kind + "List", "apiVersion": gv,
                                    "metadata": {"resourceVersion": "1"}, "items": items})

        def _refuse(self):
            """Writes are refused, except that a named object which is not there is NotFound, as
            kube-apiserver answers (delete, patch or replace of a missing object)."""
            u = urllib.parse.urlparse(self.path)
            parts = [p for p in u.path.split("/") if p]
            gv, rest = None, []
            if parts[:1] == ["api"] and len(parts) > 2:
                gv, rest = "v1", parts[2:]
            elif parts[:1] == ["apis"] and len(parts) > 3:
                gv, rest = parts[1] + "/" + parts[2], parts[3:]
            ns = None
            if len(rest) >= 3 and rest[0] == "namespaces":
                ns, rest = rest[1], rest[2:]
            kind = next((k for k in K.KINDS if k.api_version == gv and rest and k.plural == rest[0]), None)
            if kind is not None and len(rest) >= 2 and self.command != "POST":
                found = any(o["metadata"]["name"] == rest[1] and (ns is None or o["metadata"].get("namespace") == ns)
                            for o in self.objects.get(rest[0], []))
                if not found:
                    res = kind.plural if not kind.group else f"{kind.plural}.{kind.group}"
                    return self._status(404, "NotFound", f'{res} "{rest[1]}" not found',
                                        {"name": rest[1], "group": kind.group, "kind": kind.plural})
            self._status(405, "MethodNotAllowed", "the stub API server only reads")

        do_POST = do_PUT = do_PATCH = do_DELETE = _refuse

    return Stub


def _run_minikctl(args: list[str], state: str, cwd: str, config: str) -> tuple[int, str, str]:
    from conftest import run_inprocess

    old = os.getcwd()
    os.chdir(cwd)
    try:
        r = run_inprocess(args, state, env={"MINIKCTL_CONFIG": config, "TZ": "UTC"})
    finally:
        os.chdir(old)
    return r.code, r.out, r.err


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    yield from make_world(tmp_path_factory.mktemp("parity"))


def make_world(base: Path):
    """The setup's store (made once), the stub server serving its objects, kubectl's kubeconfig."""
    state = str(base / "setup.db")
    config = str(base / "minikctl-config")
    start = (datetime.now(timezone.utc) - SETUP_AGE).strftime("%Y-%m-%dT%H:%M:%SZ")
    for line in [f"cluster create --clock manual --clock-start {start}", *SETUP]:
        line = line.replace("{age}", f"{int(SETUP_AGE.total_seconds())}s")
        code, out, err = _run_minikctl(shlex.split(line), state, str(HERE / "files"), config)
        assert code == 0, (line, out, err)

    from minikctl.api import kinds as K
    from minikctl.api.cluster import Session

    s = Session.open(state)
    s.show_managed = True  # a kube-apiserver's objects carry their managedFields
    try:
        Stub = _stub_class()
        Stub.now = s.clock.now()
        Stub.objects = {k.plural: s.api.list(k.plural) for k in K.KINDS}
    finally:
        s.store.close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kubeconfig = base / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:%d\"}\n  name: c\n"
        "contexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\n"
        "users:\n- name: u\n  user: {}\n" % server.server_address[1])
    home = base / "home"
    home.mkdir()
    yield {"state": state, "kubeconfig": str(kubeconfig), "home": str(home)}
    server.shutdown()
    server.server_close()


# A kubeconfig for `config` lines: each tool gets its own copy, compared after the command too.
THROWAWAY_KUBECONFIG = """\
apiVersion: v1
clusters:
- cluster:
    server: https://127.0.0.1:6443
  name: dev
- cluster:
    certificate-authority-data: REDACTED
    server: https://10.0.0.1:6443
  name: prod
contexts:
- context:
    cluster: dev
    namespace: team-a
    user: alice
  name: dev
- context:
    cluster: prod
    user: bob
  name: prod
current-context: dev
kind: Config
preferences: {}
users:
- name: alice
  user:
    token: secret-token
- name: bob
  user:
    client-certificate-data: REDACTED
    client-key-data: REDACTED
"""


def _as_minikctl(text: str) -> str:
    text = text.replace(os.path.basename(KUBECTL or "kubectl") + " ", "minikctl ")  # os.Args[0] in messages
    return KUBECTL_ARG0.sub("minikctl", text)


def run_both(world, line: str, tmp: Path):
    """((code, out, err[, kubeconfig after]) of kubectl, the same of minikctl) for one line."""
    results = []
    for tool in ("kubectl", "minikctl"):
        cwd = tmp / tool
        shutil.copytree(HERE / "files", cwd)
        kcfg = cwd / "kubeconfig"
        kcfg.write_text(THROWAWAY_KUBECONFIG)
        args = [a.replace("{kubeconfig}", "kubeconfig") for a in shlex.split(line)]
        if tool == "kubectl":
            env = dict(os.environ, KUBECONFIG=world["kubeconfig"], HOME=world["home"], TZ="UTC")
            env.pop("KUBECTL_EXTERNAL_DIFF", None)
            r = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60,
                               stdin=subprocess.DEVNULL)
            got = [r.returncode, _as_minikctl(r.stdout), _as_minikctl(r.stderr)]
        else:
            state = str(tmp / "state.db")
            shutil.copyfile(world["state"], state)
            got = list(_run_minikctl(args, state, str(cwd), str(tmp / "minikctl-config")))
        if "{kubeconfig}" in line:
            got.append(kcfg.read_text())
        results.append(tuple(got))
    return results[0], results[1]


def _params():
    out = []
    for line in LINES:
        marks = [pytest.mark.xfail(reason=KNOWN[line], strict=True)] if line in KNOWN else []
        out.append(pytest.param(line, marks=marks, id=line))
    return out


@pytest.mark.skipif(KUBECTL is None, reason="kubectl 1.32 binary not available")
@pytest.mark.parametrize("line", _params())
def test_same_as_kubectl(world, tmp_path, line):
    theirs, ours = run_both(world, line, tmp_path)
    assert ours == theirs


def test_data_files_are_consistent():
    assert len(LINES) == len(set(LINES)), [x for x in LINES if LINES.count(x) > 1]
    stale = sorted(set(KNOWN) - set(LINES))
    assert not stale, f"known_differences.txt lists lines commands.txt does not have: {stale}"


def _first_difference(theirs, ours) -> str:
    names = ("exit code", "stdout", "stderr", "kubeconfig")
    for name, a, b in zip(names, theirs, ours):
        if a == b:
            continue
        if name == "exit code":
            return f"exit code {b} (kubectl: {a})"
        al, bl = str(a).splitlines(), str(b).splitlines()
        for i, (x, y) in enumerate(zip(al, bl)):
            if x != y:
                return f"{name} line {i + 1}: {y[:90]!r} (kubectl: {x[:90]!r})"
        return f"{name}: {len(bl)} lines (kubectl: {len(al)})" + (f", ends {bl[len(al)][:60]!r}" if len(bl) > len(al) else f", kubectl goes on {al[len(bl)][:60]!r}")
    return "same"


def _update_known(results: dict[str, str]) -> None:
    """Drop the lines that now match from known_differences.txt; add new differences, the reason being
    the first difference (edit it into a real reason)."""
    path = HERE / "known_differences.txt"
    keep = []
    for raw in path.read_text().splitlines():
        line = raw.partition("  ## ")[0].strip()
        if raw.strip() and not raw.lstrip().startswith("#") and results.get(line) == "same":
            continue
        keep.append(raw)
    for line, diff in results.items():
        if diff != "same" and line not in KNOWN:
            keep.append(f"{line}  ## {diff}")
    path.write_text("\n".join(keep) + "\n")


def main(argv: list[str]) -> int:
    """python3 tests/parity/test_parity.py [--summary|--diff|--update-known] [SUBSTRING...]: each line's result (same,
    or its first difference), --diff the differences in full, --summary only the counts for README.md,
    --update-known drops the lines that now match from known_differences.txt and adds new differences."""
    import tempfile

    want = [a for a in argv if not a.startswith("--")]
    results: dict[str, str] = {}
    lines = [x for x in LINES if not want or any(w in x for w in want)]
    with tempfile.TemporaryDirectory() as d:
        gen = make_world(Path(d))
        w = next(gen)
        same = 0
        for i, line in enumerate(lines):
            tmp = Path(d) / f"t{i}"
            tmp.mkdir()
            theirs, ours = run_both(w, line, tmp)
            diff = _first_difference(theirs, ours)
            same += diff == "same"
            results[line] = diff
            if "--diff" in argv and diff != "same":
                import difflib

                for name, a, b in zip(("exit code", "stdout", "stderr", "kubeconfig"), theirs, ours):
                    if a != b:
                        print(f"== {line}: {name} (- kubectl, + minikctl)")
                        print("".join(difflib.unified_diff(str(a).splitlines(True), str(b).splitlines(True), n=2)))
            elif "--summary" not in argv:
                print(f"{line}\t{diff}", flush=True)
        gen.close()
    if "--update-known" in argv:
        _update_known(results)
    print(f"{same} same / {len(lines) - same} different (of {len(lines)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
