"""Shell completion: the __complete machinery (what a TAB answers), the generated scripts in
completions/ (a test fails when they are stale), and the bash script itself run by a real
bash with COMP_WORDS/COMP_CWORD set."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from minikctl.cli.cmd_completion import SHELLS, script
from scripting_setup import build_base, runner

ROOT = Path(__file__).resolve().parents[2]
FILES = {"bash": "minikctl.bash", "zsh": "_minikctl", "fish": "minikctl.fish"}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return build_base(tmp_path_factory.mktemp("completion"))


@pytest.fixture
def mk(base, tmp_path):
    return runner(base, tmp_path)


def complete(mk, line: str):
    """Candidates (values only) and the directive for the last word of `line` (a trailing
    space means an empty word is being completed)."""
    words = shlex.split(line)
    if line.endswith(" ") or not line:
        words.append("")
    r = mk(["__complete", "--", *words])
    assert r.code == 0 and r.err == "", r
    lines = r.out.splitlines()
    assert lines[-1].startswith(":")
    return [x.split("\t")[0] for x in lines[:-1]], int(lines[-1][1:])


def test_commands_and_subcommands(mk):
    cands, d = complete(mk, "")
    from minikctl.cli.commands import COMMANDS

    assert cands == [n for n, c in COMMANDS.items() if not c.hidden] and "__complete" not in cands
    assert d == 4
    assert complete(mk, "ge")[0] == ["get"]
    assert complete(mk, "create ")[0][:3] == ["service", "deployment", "namespace"]
    assert complete(mk, "create service n")[0] == ["nodeport"]
    assert complete(mk, "completion ")[0] == list(SHELLS)


def test_descriptions_for_zsh_and_fish(mk):
    r = mk(["__complete", "--", "lab"])
    assert r.out == ("label\tUpdate the labels on a resource\n"
                     "lab\tClassroom labs: tasks on a cluster of their own, checked, hinted and graded\n:4\n")


def test_resource_types_and_names(mk):
    assert complete(mk, "get s")[0] == ["sa", "sc", "secrets", "serviceaccounts", "services", "statefulsets",
                                        "storageclasses", "sts", "svc"]
    assert complete(mk, "get svc ")[0] == ["cyberchef", "db", "ext", "kubernetes", "web"]
    assert complete(mk, "get services w")[0] == ["web"]
    assert complete(mk, "describe svc c")[0] == ["cyberchef"]
    assert complete(mk, "get svc/")[0] == ["svc/cyberchef", "svc/db", "svc/ext", "svc/kubernetes", "svc/web"]
    assert complete(mk, "get svc web ")[0] == ["cyberchef", "db", "ext", "kubernetes"]  # not twice
    assert complete(mk, "get nodes ")[0] == ["minikctl-control-plane", "minikctl-worker", "minikctl-worker2"]
    assert complete(mk, "label svc web ")[0] == ["cyberchef", "db", "ext", "kubernetes"]
    assert complete(mk, "label svc web app=x ")[0] == []


def test_namespace_flags_on_the_line(mk):
    assert complete(mk, "get svc -n kube-system ")[0] == ["kube-dns"]
    assert complete(mk, "-n kube-system get svc k")[0] == ["kube-dns"]
    assert complete(mk, "get svc --namespace=kube-system ")[0] == ["kube-dns"]
    assert "kube-dns" in complete(mk, "get svc -A ")[0] and "web" in complete(mk, "get svc -A ")[0]
    assert complete(mk, "get -n kube-")[0] == ["kube-node-lease", "kube-public", "kube-system"]
    assert complete(mk, "describe deploy -n kube-system ")[0] == ["coredns"]


def test_pods_for_exec_and_logs(mk):
    pods = complete(mk, "exec -n kube-system ")[0]
    assert pods and all(p.startswith("coredns-") for p in pods)
    assert complete(mk, "logs -n kube-system coredns")[0] == pods
    pod = pods[0]
    assert complete(mk, f"exec -n kube-system {pod} -c ")[0] == ["coredns"]


def test_flags_and_values(mk):
    cands, d = complete(mk, "get svc --sh")
    assert cands == ["--show-labels", "--show-kind", "--show-managed-fields"] and d == 4
    assert "-o" in complete(mk, "get -")[0] and "--output" in complete(mk, "get -")[0]
    assert complete(mk, "get svc -o ")[0] == ["json", "yaml", "name", "wide", "go-template=", "go-template-file=",
                                              "template=", "templatefile=", "jsonpath=", "jsonpath-file=",
                                              "jsonpath-as-json=", "custom-columns=", "custom-columns-file="]
    assert complete(mk, "get svc --output=y")[0] == ["--output=yaml"]
    assert complete(mk, "patch svc web --type ")[0] == ["json", "merge", "strategic"]
    assert complete(mk, "apply --dry-run=")[0] == ["--dry-run=none", "--dry-run=server", "--dry-run=client"]
    assert complete(mk, "apply -f ") == ([], 8)  # file names: the shell completes them


def test_state_flag_on_the_line(mk, tmp_path):
    missing = tmp_path / "other.db"
    assert complete(mk, f"--state {missing} get svc ")[0] == []
    assert complete(mk, f"get svc --state={mk.state} w")[0] == ["web"]
    assert not missing.exists()


def test_no_store_no_names_and_nothing_created(tmp_path):
    from conftest import run_inprocess

    state = str(tmp_path / "absent.db")
    r = run_inprocess(["__complete", "--", "get", "svc", ""], state)
    assert (r.code, r.out) == (0, ":4\n") and not os.path.exists(state)


@pytest.mark.parametrize("shell", SHELLS)
def test_generated_scripts_are_current(shell):
    path = ROOT / "completions" / FILES[shell]
    assert path.read_text() == script(shell), f"stale {path}: run sh completions/regenerate.sh"


def test_completion_command(mk):
    r = mk("completion bash")
    assert r.code == 0 and r.out == script("bash") and "complete -o default -F __minikctl_complete minikctl" in r.out
    assert mk("completion").err == "error: Shell not specified.\nSee 'minikctl completion -h' for help and examples\n"
    assert mk("completion tcsh").err == ('error: Unsupported shell type "tcsh".\n'
                                         "See 'minikctl completion -h' for help and examples\n")  # kubectl 1.32


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="bash not installed")
@pytest.mark.parametrize("words,cword,want", [
    (["minikctl", "get", "svc", ""], 3, ["cyberchef", "db", "ext", "kubernetes", "web"]),
    (["minikctl", "get", "svc", "w"], 3, ["web"]),
    (["minikctl", "g"], 1, ["get"]),
    (["minikctl", "get", "svc", "-n", "kube-system", ""], 5, ["kube-dns"]),
    (["minikctl", "get", "svc/d"], 2, ["svc/db"]),
    # bash splits "--output=y" at "=": the reply must be the part after it
    (["minikctl", "get", "svc", "--output", "=", "y"], 5, ["yaml"]),
    (["minikctl", "get", "svc", "--output", "="], 4, ["json", "yaml", "name", "wide", "go-template=", "go-template-file=",
                                                        "template=", "templatefile=", "jsonpath=", "jsonpath-file=",
                                                        "jsonpath-as-json=", "custom-columns=", "custom-columns-file="]),
])
def test_bash_script_in_a_real_bash(base, tmp_path, words, cword, want):
    state = tmp_path / "state.db"
    shutil.copyfile(base, state)
    script_path = ROOT / "completions" / FILES["bash"]
    words_q = " ".join(shlex.quote(w) for w in words)
    program = (f"minikctl() {{ {shlex.quote(sys.executable)} -m minikctl \"$@\"; }}\n"
               f"source {shlex.quote(str(script_path))}\n"
               f"COMP_WORDS=({words_q}); COMP_CWORD={cword}; COMP_LINE={shlex.quote(' '.join(words))}\n"
               "__minikctl_complete\n"
               'printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "MINIKCTL_STATE": str(state), "PYTHONPATH": str(ROOT)}
    p = subprocess.run([BASH, "--norc", "--noprofile", "-c", program], capture_output=True, text=True, env=env,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    assert [x for x in p.stdout.splitlines() if x] == want
