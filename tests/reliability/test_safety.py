"""Safety: exec is simulated and never touches the host; the store is readable by its
owner only; Secret values never show in describe or in an error message."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import uuid

import pytest


SECRET = "Sup3r-S3cret-Value-0451"


def has_command(verb: str) -> bool:
    from minikctl.cli.commands import COMMANDS

    return verb in COMMANDS
SECRET_B64 = base64.b64encode(SECRET.encode()).decode()


# ---------------------------------------------------------------------- exec
@pytest.fixture
def pod(cluster):
    if not has_command("exec"):
        pytest.skip("exec is not available yet")
    r = cluster("run web --image=nginx")
    assert r.code == 0, r
    return "web"


@pytest.fixture
def no_host_processes(monkeypatch):
    """Any attempt to start a process on the host fails the test."""
    import pty

    def refuse(*a, **k):
        raise AssertionError(f"a host process was started: {a!r}")

    for mod, names in ((subprocess, ("Popen", "run", "call", "check_call", "check_output", "getoutput")),
                       (os, ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execlp",
                             "spawnv", "spawnve", "spawnvp", "posix_spawn", "posix_spawnp", "fork", "forkpty")),
                       (pty, ("spawn", "fork"))):
        for name in names:
            if hasattr(mod, name):
                monkeypatch.setattr(mod, name, refuse)


def test_exec_never_touches_the_host(cluster, pod, tmp_path, no_host_processes):
    tag = uuid.uuid4().hex
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("host data")
    markers = [f"/tmp/minikctl-marker-{tag}-{i}" for i in range(4)]
    commands = [
        ["touch", markers[0]],
        ["sh", "-c", f"echo owned > {markers[1]}"],
        ["sh", "-c", f"mkdir -p {markers[2]} && echo x >> {markers[3]}"],
        ["rm", "-rf", str(victim)],
        ["sh", "-c", f"rm -rf {victim} /tmp/* ; true"],
        ["bash", "-c", f"cd {tmp_path} && rm -rf victim"],
    ]
    for cmd in commands:
        r = cluster(["exec", pod, "--", *cmd])
        assert "Traceback" not in r.err, r
        if cmd[0] == "touch":  # the container's own filesystem got the file instead
            r = cluster(["exec", pod, "--", "ls", "/tmp"])
            assert r.code == 0 and f"minikctl-marker-{tag}-0" in r.out, r
    for m in markers:
        assert not os.path.exists(m), m
    assert (victim / "keep.txt").read_text() == "host data"
    # what the container sees is the simulated pod, not the host
    r = cluster(["exec", pod, "--", "hostname"])
    assert r.out.strip() == pod and r.out.strip() != os.uname().nodename


def test_exec_with_stdin_script_never_touches_the_host(cluster, pod, tmp_path, no_host_processes):
    marker = tmp_path / "from-script"
    r = cluster(["exec", "-i", pod, "--", "sh"], input=f"touch {marker}\necho done > {marker}.2\nexit 0\n")
    assert "Traceback" not in r.err, r
    assert not marker.exists() and not os.path.exists(f"{marker}.2")


# --------------------------------------------------------------------- store
def _mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_store_files_are_owner_only_even_with_a_permissive_umask(tmp_path):
    # the default location (its directories are created; an explicit --state's must exist)
    state = str(tmp_path / "xdg" / "minikctl" / "state.db")
    code = (
        "import os, stat, sys\n"
        "os.umask(0)\n"
        "from minikctl.api.cluster import Session\n"
        "s = Session.open(None)\n"  # first use: creates the store and a default cluster
        "with s.write() as api:\n"
        "    api.create({'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'x'}})\n"
        "modes = {sfx: stat.S_IMODE(os.stat(sys.argv[1] + sfx).st_mode)\n"
        "         for sfx in ('', '-wal', '-shm') if os.path.exists(sys.argv[1] + sfx)}\n"
        "print(sorted(modes.items()))\n"
        "s.close()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MINIKCTL_STATE"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    p = subprocess.run([sys.executable, "-c", code, state], capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 0, p.stderr
    modes = dict(eval(p.stdout))  # noqa: S307 - our own printout
    assert set(modes) == {"", "-wal", "-shm"}, modes  # WAL mode, while the connection is open
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}, {k: oct(v) for k, v in modes.items()}
    assert _mode(state) == 0o600


def test_store_created_by_the_console_script_is_owner_only(tmp_path):
    state = str(tmp_path / "state.db")
    p = subprocess.run([sys.executable, "-m", "minikctl", "get", "svc"], capture_output=True, timeout=60,
                       env={**os.environ, "MINIKCTL_STATE": state}, preexec_fn=lambda: os.umask(0))
    assert p.returncode == 0, p.stderr
    assert _mode(state) == 0o600
    for sfx in ("-wal", "-shm"):
        if os.path.exists(state + sfx):
            assert _mode(state + sfx) == 0o600


# ------------------------------------------------------------------- secrets
def _assert_no_secret(*texts: str) -> None:
    for t in texts:
        assert SECRET not in t and SECRET_B64 not in t, t


def test_describe_never_shows_secret_values(cluster):
    r = cluster(["create", "secret", "generic", "s", f"--from-literal=password={SECRET}", "--from-literal=user=me"])
    assert r.code == 0, r
    _assert_no_secret(r.out, r.err)
    for args in (["describe", "secret", "s"], ["describe", "secrets"], ["describe", "secret/s"], ["get", "secret", "s"],
                 ["get", "secrets"], ["describe", "ns", "default"]):
        r = cluster(args)
        assert r.code == 0, r
        _assert_no_secret(r.out, r.err)
    out = cluster("describe secret s").out
    assert f"password:  {len(SECRET)} bytes" in out


def test_a_pod_using_the_secret_does_not_leak_it_in_describe(cluster):
    assert cluster(["create", "secret", "generic", "s", f"--from-literal=password={SECRET}"]).code == 0
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "nginx",
                                    "env": [{"name": "PW", "valueFrom": {"secretKeyRef": {"name": "s", "key": "password"}}}],
                                    "envFrom": [{"secretRef": {"name": "s"}}]}]}}
    r = cluster(["apply", "-f", "-"], input=json.dumps(pod))
    assert r.code == 0, r
    for args in (["describe", "pod", "p"], ["get", "pod", "p", "-o", "wide"], ["get", "events"]):
        r = cluster(args)
        _assert_no_secret(r.out, r.err)


BAD_SECRETS = {
    "bad_key": {"data": {"bad key": SECRET_B64}},
    "bad_base64": {"data": {"pw": SECRET + "!"}},
    "bad_string_key": {"stringData": {"bad key": SECRET}},
    "tls_missing_key": {"type": "kubernetes.io/tls", "stringData": {"tls.crt": SECRET}},
    "basic_auth_bad": {"type": "kubernetes.io/basic-auth", "stringData": {"password": SECRET, "x y": SECRET}},
    "ssh_missing": {"type": "kubernetes.io/ssh-auth", "stringData": {"other": SECRET}},
    "wrong_type": {"data": {"pw": 12345}, "stringData": {"x": SECRET}},
    "unknown_field": {"stringData": {"pw": SECRET}, "secretz": {"pw": SECRET}},
    "bad_name": {"metadata": {"name": "Bad_Name"}, "stringData": {"pw": SECRET}},
    "immutable_type": {"immutable": "yes", "stringData": {"pw": SECRET}},
}


@pytest.mark.parametrize("case", sorted(BAD_SECRETS))
@pytest.mark.parametrize("verb", ["apply", "create", "replace"])
def test_errors_about_a_secret_never_show_its_values(cluster, case, verb):
    if verb == "replace":
        assert cluster(["create", "secret", "generic", "bad", "--from-literal=pw=old"]).code == 0
    doc = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad"}}
    extra = dict(BAD_SECRETS[case])
    doc["metadata"].update(extra.pop("metadata", {}))
    doc.update(extra)
    for text in (json.dumps(doc), _yaml(doc)):
        r = cluster([verb, "-f", "-"], input=text)
        assert r.code == 1, r
        assert "Traceback" not in r.err
        _assert_no_secret(r.out, r.err)


def test_secret_values_stay_out_of_other_errors(cluster):
    assert cluster(["create", "secret", "generic", "s", f"--from-literal=password={SECRET}"]).code == 0
    for args in (["create", "secret", "generic", "s", f"--from-literal=password={SECRET}"],  # AlreadyExists
                 ["create", "secret", "generic", "t", f"--from-literal=pass word={SECRET}"],  # bad key
                 ["create", "secret", "tls", "v", "--cert=/nonexistent", "--key=/nonexistent"],
                 ["get", "secret", SECRET], ["describe", "secret", SECRET]):
        r = cluster(args)
        assert r.code == 1, r
        assert "Traceback" not in r.err
        text = r.out + r.err.replace(f'"{SECRET}"', "")  # the name the user typed may be echoed back
        _assert_no_secret(text)
    # a stale replace of a secret: a Conflict names the secret, not its data
    stale = cluster("get secret s -o json").out
    assert cluster("label secret s a=b").code == 0
    r = cluster(["replace", "-f", "-"], input=stale)
    assert r.code == 1 and "Conflict" in r.err
    _assert_no_secret(r.err)


def _yaml(doc: dict) -> str:
    import yaml

    return yaml.safe_dump(doc)


def test_invalid_dockerconfigjson_is_refused_without_its_value(cluster):
    doc = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "reg"}, "type": "kubernetes.io/dockerconfigjson",
           "stringData": {".dockerconfigjson": SECRET}}
    r = cluster(["apply", "-f", "-"], input=json.dumps(doc))
    assert r.code == 1, r
    assert 'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>"' in r.err, r
    _assert_no_secret(r.err)


# ------------------------------------------------- secrets in patch, edit, apply errors (issue 9)
# kube-apiserver answers a patch whose result does not decode with `patch: Invalid value: ...`
# (apiserver/pkg/endpoints/handlers/patch.go): the user's strategic patch as %+v, or the
# patched object's JSON for a merge or JSON patch. The stored values must never show there.
PATCHES = [
    ("strategic", '{"immutable":"x"}'),
    ("merge", '{"immutable":"x"}'),
    ("json", '[{"op":"add","path":"/immutable","value":"x"}]'),
    ("strategic", '{"data":{"other":"!!!"}}'),
    ("merge", '{"data":{"other":"!!!"}}'),
    ("json", '[{"op":"add","path":"/data/other","value":"!!!"}]'),
    ("strategic", '{"data":{"other":5}}'),
    ("json", '[{"op":"replace","path":"/data/password","value":"%%%"}]'),
    ("strategic", '{"data":{"password":"' + SECRET + '!"}}'),  # the user's own bad value is redacted too
    ("merge", '{"stringData":{"password":7}}'),
]


@pytest.mark.parametrize("ptype,patch", PATCHES)
@pytest.mark.parametrize("verbose", [False, True])
def test_patch_errors_never_show_secret_data(cluster, ptype, patch, verbose):
    assert cluster(["create", "secret", "generic", "gen", f"--from-literal=password={SECRET}"]).code == 0
    before = cluster("get secret gen -o json").out
    args = ["patch", "secret", "gen", f"--type={ptype}", "-p", patch] + (["-v=9"] if verbose else [])
    r = cluster(args)
    assert r.code == 1, r
    assert "Traceback" not in r.err and "internal error" not in r.err, r
    _assert_no_secret(r.out, r.err)
    assert cluster("get secret gen -o json").out == before


def test_patch_error_shows_the_users_patch_not_the_object(cluster):
    assert cluster(["create", "secret", "generic", "gen", f"--from-literal=password={SECRET}"]).code == 0
    r = cluster(["patch", "secret", "gen", "-p", '{"immutable":"x"}'])
    assert r.err == ('The request is invalid: patch: Invalid value: "map[immutable:x]": json: cannot unmarshal '
                     "string into Go struct field Secret.immutable of type bool\n"), r
    r = cluster(["patch", "secret", "gen", "-p", '{"data":{"other":"!!!"}}'])
    assert r.err == ('The request is invalid: patch: Invalid value: "map[data:map[other:<secret contents redacted>]]": '
                     "illegal base64 data at input byte 0\n"), r
    # a merge patch shows the patched object (as kube-apiserver does), its Secret values redacted
    r = cluster(["patch", "secret", "gen", "--type=merge", "-p", '{"immutable":"x"}'])
    assert r.code == 1 and '\\"data\\":{\\"password\\":\\"\\\\u003csecret contents redacted\\\\u003e\\"}' in r.err, r
    _assert_no_secret(r.err)


EDITOR_SCRIPT = r'''
import json, os, sys
path = sys.argv[-1]
here = os.path.dirname(sys.argv[0])
if not os.path.exists(os.path.join(here, "done")):  # one change; reopened with the error, saved unchanged
    open(os.path.join(here, "done"), "w").close()
    old, new = json.load(open(os.path.join(here, "change.json")))
    text = open(path).read()
    assert old in text, text
    open(path, "w").write(text.replace(old, new))
'''


@pytest.mark.parametrize("old,new", [("type: Opaque", "type: Opaque\nimmutable: x"),
                                     ("  uid: ", "  uid: 0000"),  # "no original object found for ..."
                                     (SECRET_B64, "%%%" + SECRET),
                                     ("type: Opaque", "type: Opaque\nstringData:\n  other: [1]")])
def test_edit_errors_never_show_secret_data(cluster, tmp_path, monkeypatch, old, new):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # edit's saved copy stays in the test's folder
    assert cluster(["create", "secret", "generic", "gen", f"--from-literal=password={SECRET}"]).code == 0
    before = cluster("get secret gen -o json").out
    script = tmp_path / "ed.py"
    script.write_text(EDITOR_SCRIPT)
    (tmp_path / "change.json").write_text(json.dumps([old, new]))
    env = {"KUBE_EDITOR": f"{sys.executable} {script}"}
    r = cluster(["edit", "secret", "gen"], env=env)
    assert r.code == 1, r
    assert "Traceback" not in r.err and "internal error" not in r.err, r
    _assert_no_secret(r.out, r.err)
    assert cluster("get secret gen -o json").out == before


@pytest.mark.parametrize("verb", ["apply", "replace"])
@pytest.mark.parametrize("extra", [{"immutable": "x"}, {"data": {"password": "!!!"}}, {"stringData": {"password": 5}},
                                   {"data": {"password": SECRET_B64}, "spec": {"x": 1}}])
def test_apply_and_replace_errors_over_a_stored_secret_never_show_it(cluster, verb, extra):
    assert cluster(["create", "secret", "generic", "gen", f"--from-literal=password={SECRET}"]).code == 0
    assert cluster(["apply", "view-last-applied", "secret", "gen"]).code in (0, 1)
    before = cluster("get secret gen -o json").out
    doc = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "gen"}, **extra}
    for text in (json.dumps(doc), _yaml(doc)):
        for args in ([verb, "-f", "-"], [verb, "-f", "-", "-v=9"], ["create", "-f", "-"]):
            r = cluster(args, input=text)
            assert r.code == 1, (args, r)
            assert "Traceback" not in r.err and "internal error" not in r.err, r
            _assert_no_secret(r.out, r.err)
    assert cluster("get secret gen -o json").out == before
