"""minikctl cp: to and from the simulated container's filesystem through `tar` in the container, as
kubectl 1.32's cp does (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go)."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

from tests.helpers import store_snapshot

GNU_LEADING = "tar: Removing leading `/' from member names\n"


@pytest.fixture
def pods(cluster):
    assert cluster("run web --image=nginx").code == 0
    assert cluster("run bb --image=busybox -- sleep 3600").code == 0
    assert cluster("run hello --image=gcr.io/google-samples/hello-app:1.0").code == 0  # distroless: no tar
    assert cluster("clock advance 5s").code == 0
    return cluster


def test_from_pod_directory_and_file(pods, tmp_path, monkeypatch):
    mk = pods
    monkeypatch.chdir(tmp_path)
    assert mk(["exec", "web", "--", "sh", "-c", "mkdir -p /data/sub && echo one > /data/a && echo two > /data/sub/b"]).code == 0
    r = mk("cp web:/data ./out")
    # tar's stderr is kubectl's standard output (cp.go: ErrOut: t.o.Out)
    assert (r.code, r.out, r.err) == (0, GNU_LEADING, "")
    assert (tmp_path / "out" / "a").read_text() == "one\n"
    assert (tmp_path / "out" / "sub" / "b").read_text() == "two\n"
    r = mk("cp web:/data/a single.txt")
    assert (r.code, r.out) == (0, GNU_LEADING)
    assert (tmp_path / "single.txt").read_text() == "one\n"
    r = mk("cp default/web:data/sub/b rel.txt")  # namespace/pod, a path relative to the working directory
    assert (r.code, r.out) == (0, "")
    assert (tmp_path / "rel.txt").read_text() == "two\n"


def test_from_pod_busybox_wording(pods, tmp_path):
    r = pods(f"cp bb:/etc/passwd {tmp_path}/passwd")
    assert (r.code, r.out) == (0, "tar: removing leading '/' from member names\n")
    assert (tmp_path / "passwd").read_text().startswith("root:x:0:0:root:/root:/bin/sh\n")


def test_from_pod_missing_file_prints_tars_errors_and_exits_0(pods, tmp_path):
    """kubectl loses tar's exit status in its pipe (kubernetes/kubectl#980)."""
    r = pods(f"cp web:/tmp/no-such-file {tmp_path}/foo")
    assert r.code == 0
    assert r.out == (GNU_LEADING + "tar: /tmp/no-such-file: Cannot stat: No such file or directory\n"
                     "tar: Exiting with failure status due to previous errors\n")
    assert not (tmp_path / "foo").exists()
    r = pods(f"cp bb:/nope {tmp_path}/foo")
    assert (r.code, r.out) == (0, "tar: /nope: No such file or directory\n")


def test_to_pod_file_into_directory_and_renamed(pods, tmp_path):
    mk = pods
    src = tmp_path / "notes.txt"
    src.write_bytes(b"caf\xc3\xa9 \xff\xfe raw\n")
    r = mk(f"cp {src} web:/tmp")
    assert (r.code, r.out, r.err) == (0, "", "")
    assert mk("exec web -- ls /tmp").out == "notes.txt\n"
    r = mk(f"cp {src} web:/tmp/renamed.txt")
    assert r.code == 0
    back = tmp_path / "back.bin"
    assert mk(f"cp web:/tmp/renamed.txt {back}").code == 0
    assert back.read_bytes() == src.read_bytes()  # bytes survive both ways


def test_to_pod_directory_recursively(pods, tmp_path):
    mk = pods
    d = tmp_path / "site"
    (d / "css").mkdir(parents=True)
    (d / "empty").mkdir()
    (d / "index.html").write_text("<h1>hi</h1>\n")
    (d / "css" / "a.css").write_text("body{}\n")
    (d / "run.sh").write_text("#!/bin/sh\necho ran\n")
    (d / "run.sh").chmod(0o755)
    r = mk(f"cp {d} web:/usr/share/nginx/html/site")
    assert (r.code, r.err) == (0, "")
    r = mk(["exec", "web", "--", "sh", "-c", "cd /usr/share/nginx/html/site && ls && cat css/a.css && ./run.sh"])
    assert r.out == "css\nempty\nindex.html\nrun.sh\nbody{}\nran\n"
    # into an existing directory: DEST/BASENAME
    assert mk(f"cp {d} web:/tmp").code == 0
    assert mk("exec web -- ls /tmp/site").out == "css\nempty\nindex.html\nrun.sh\n"


def test_to_pod_missing_directory(pods, tmp_path, state):
    src = tmp_path / "x.txt"
    src.write_text("x\n")
    before = store_snapshot(state)
    r = pods(f"cp {src} web:/nodir/x.txt")
    assert r.code == 2
    assert r.err == ("tar: /nodir: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n"
                     "command terminated with exit code 2\n")
    r = pods(f"cp {src} bb:/nodir/x.txt")
    assert r.code == 1
    assert r.err == "tar: can't change directory to '/nodir': No such file or directory\ncommand terminated with exit code 1\n"
    assert store_snapshot(state) == before


def test_image_without_tar(pods, tmp_path, state):
    src = tmp_path / "x.txt"
    src.write_text("x\n")
    before = store_snapshot(state)
    for args in (f"cp hello:/etc/hosts {tmp_path}/h", f"cp {src} hello:/tmp"):
        r = pods(args)
        assert (r.code, r.out) == (1, "")
        assert r.err.startswith("error: Internal error occurred: error executing command in container: failed to "
                                "exec in container: failed to start exec ")
        assert r.err.endswith('OCI runtime exec failed: exec failed: unable to start container process: exec: "tar": '
                              "executable file not found in $PATH: unknown\n")
    assert not (tmp_path / "h").exists()
    assert store_snapshot(state) == before


@pytest.mark.parametrize("args,err", [
    ("cp a", "error: source and destination are required\n"),
    ("cp a b c", "error: source and destination are required\n"),
    ("cp a b", "error: one of src or dest must be a remote file specification\n"),
    ("cp web:/a bb:/b", "error: one of src or dest must be a local file specification\n"),
    ("cp :x y", "error: filespec must match the canonical format: [[namespace/]pod:]file/path\n"),
    ("cp a/b/c:x y", "error: filespec must match the canonical format: [[namespace/]pod:]file/path\n"),
    ("cp web: y", "error: filepath can not be empty\n"),
    ("cp /no/such/local web:/tmp", "error: /no/such/local doesn't exist in local filesystem\n"),
    ("cp web:/etc/hosts x -c nope", "Error from server (BadRequest): container nope is not valid for pod web\n"),
    ("cp nopod:/etc/hosts x", 'Error from server (NotFound): pods "nopod" not found\n'),
])
def test_bad_input(pods, state, tmp_path, monkeypatch, args, err):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = store_snapshot(state)
    r = pods(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before
    assert os.listdir(work) == []


@pytest.mark.parametrize("direction", ["from", "to"])
def test_container_the_pod_does_not_have_strategy_go_validate_container(pods, state, tmp_path, monkeypatch,
                                                                        direction):
    # cp.go execute sets ExecOptions.ContainerName to -c; the exec is refused by the API server
    # (pkg/registry/core/pod/strategy.go validateContainer: BadRequest "container %s is not valid
    # for pod %s") and cmdutil.CheckErr prints it, exit 1 (copyToPod ignores checkDestinationIsDir's
    # error and reports the tar's). Checked against the real kubectl 1.32 talking to `minikctl serve`.
    (tmp_path / "local.txt").write_text("hi\n")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = store_snapshot(state)
    args = ["cp", "web:/etc/hostname", "out", "-c", "nope"] if direction == "from" else \
        ["cp", str(tmp_path / "local.txt"), "web:/tmp/x", "-c", "nope"]
    r = pods(args)
    assert (r.code, r.out, r.err) == (1, "", "Error from server (BadRequest): container nope is not valid for pod web\n")
    assert store_snapshot(state) == before
    assert os.listdir(work) == []


def test_completed_pod_is_refused_before_the_default_container_notice(cluster, tmp_path):
    # exec.go Run (which cp.go execute calls): the completed-pod check comes before
    # FindOrDefaultContainerByName and its "Defaulted container" notice
    r = cluster(["apply", "-f", "-"], input="""
apiVersion: v1
kind: Pod
metadata: {name: done}
spec:
  restartPolicy: Never
  containers: [{name: a, image: busybox, command: ["true"]}, {name: b, image: busybox, command: ["true"]}]
""")
    assert r.code == 0, r
    assert cluster("clock advance 10s").code == 0
    (tmp_path / "local.txt").write_text("hi\n")
    done = "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"
    for args in (["cp", "done:/etc/hostname", str(tmp_path / "out")], ["cp", str(tmp_path / "local.txt"), "done:/tmp/x"],
                 ["cp", "done:/etc/hostname", str(tmp_path / "out"), "-c", "nope"]):
        r = cluster(args)
        assert (r.code, r.out, r.err) == (1, "", done), args
    assert not (tmp_path / "out").exists()


def test_local_write_errors_are_gos(pods, tmp_path):
    (tmp_path / "adir").mkdir()
    r = pods(f"cp web:/etc/hostname {tmp_path}/adir")
    assert (r.code, r.err) == (1, f"error: open {tmp_path}/adir: is a directory\n")


def test_untar_never_writes_outside_the_destination(tmp_path):
    """untarAll: an entry that would land outside LOCAL is skipped with kubectl's warning."""
    from minikctl.cli import cmd_cp

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in (("tmp/d/ok", b"ok"), ("tmp/d/../../../evil", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    errs = io.StringIO()
    ctx = type("C", (), {"err": errs, "out": io.StringIO()})()
    dest = tmp_path / "dest"
    cmd_cp._untar_all(ctx, "default", "p", "tmp/d", "/tmp/d", str(dest), buf.getvalue())
    assert (dest / "ok").read_bytes() == b"ok"
    evil = os.path.normpath(os.path.join(dest, "../../../evil"))
    assert not os.path.exists(evil)
    assert errs.getvalue() == f'warning: file "{evil}" is outside target destination, skipping\n'


def test_tar_in_exec(pods):
    """The container's tar is also there for exec (what cp runs)."""
    r = pods(["exec", "web", "--", "sh", "-c", "mkdir -p /d && echo x > /d/f && tar cf - /d 2>/dev/null | tar tvf -"])
    assert r.code == 0
    lines = r.lines
    assert lines[0].startswith("drwxr-xr-x root/root         0 ") and lines[0].endswith(" d/")
    assert lines[1].startswith("-rw-r--r-- root/root         2 ") and lines[1].endswith(" d/f")
