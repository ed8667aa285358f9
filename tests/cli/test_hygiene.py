"""Hygiene a new user meets first (issue 12): an explicit --state in a missing directory, unknown
subcommands, kubectl's usage lines after flag and argument errors, `version -o`, and the README's
tour followed in order.

Where kubectl 1.32 can answer offline, the expected text is also checked against the real binary
(skipped when it is not installed): minikctl prints kubectl's text with "minikctl" for "kubectl".
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from helpers import store_snapshot


def _find_kubectl() -> str | None:
    for cand in (os.environ.get("MINIKCTL_KUBECTL_132"), "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
                 shutil.which("kubectl.1.32")):
        if cand and os.path.exists(cand):
            return cand
    return None


KUBECTL = _find_kubectl()


def kubectl(tmp_path, args: list[str]) -> tuple[int, str, str]:
    """The real kubectl 1.32, with an empty kubeconfig (nothing here reaches a server)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "kubeconfig")}
    p = subprocess.run([KUBECTL, *args], capture_output=True, text=True, env=env, timeout=30)
    return p.returncode, p.stdout, p.stderr


def same_as_kubectl(tmp_path, kargs: list[str], expected_err: str) -> None:
    """kubectl 1.32 prints expected_err (with kubectl for minikctl) and exits 1."""
    if KUBECTL is None:
        return  # the minikctl half of the test still ran
    code, _, err = kubectl(tmp_path, kargs)
    assert (code, err) == (1, expected_err.replace("minikctl", "kubectl")), kargs


# ------------------------------------------------------------------ an explicit --state
@pytest.mark.parametrize("how", ["flag", "env"])
def test_explicit_state_in_a_missing_directory_is_refused(mk_proc, tmp_path, how):
    path = tmp_path / "nope" / "deeper" / "x.db"
    args, env = (f"--state {path} get pods", None) if how == "flag" else ("get pods", {"MINIKCTL_STATE": str(path)})
    r = mk_proc(args, env=env)
    assert (r.code, r.out) == (1, "")
    assert r.err == f"error: cannot create state file {path}: directory {path.parent} does not exist\n"
    assert not (tmp_path / "nope").exists()  # no directories, no empty cluster


def test_explicit_state_under_a_file_is_refused(mk, tmp_path):
    (tmp_path / "afile").write_text("")
    path = tmp_path / "afile" / "x.db"
    r = mk(f"--state {path} get pods")
    assert (r.code, r.out) == (1, "")
    assert r.err == f"error: cannot create state file {path}: {tmp_path / 'afile'} is not a directory\n"


def test_explicit_state_in_an_existing_directory_is_created(mk, tmp_path):
    path = tmp_path / "x.db"
    r = mk(f"--state {path} get pods")
    assert (r.code, r.err) == (0, "No resources found in default namespace.\n")
    assert path.exists()


def test_the_default_location_is_created_with_its_directories(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MINIKCTL_STATE"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    import sys

    p = subprocess.run([sys.executable, "-m", "minikctl", "get", "pods"], capture_output=True, text=True, env=env,
                       timeout=60)
    assert (p.returncode, p.stderr) == (0, "No resources found in default namespace.\n")
    assert (tmp_path / "xdg" / "minikctl" / "state.db").exists()


# ------------------------------------------------------------------ unknown subcommands
# kubectl: a group command (config, rollout, create secret, create service) runs
# cmdutil.DefaultSubCommandRun: `unknown command "ARGS"` + UsageErrorf's line; `create` (it takes -f)
# says `Unexpected args: [ARGS]` (pkg/cmd/create/create.go ValidateArgs).
_EX = "\nSee '{} -h' for help and examples\n"


@pytest.mark.parametrize("cmd,err,kubectl_cmd", [
    ("cluster snapshots", 'error: unknown command "snapshots"' + _EX.format("minikctl cluster"), "config snapshots"),  # snapshot exists (issue 13)
    ("clock bogus", 'error: unknown command "bogus"' + _EX.format("minikctl clock"), "rollout bogus"),
    ("image frobnicate", 'error: unknown command "frobnicate"' + _EX.format("minikctl image"), "set frobnicate"),
    ("hosts bogus extra", 'error: unknown command "bogus extra"' + _EX.format("minikctl hosts"), "auth bogus extra"),
    ("create secret bogus", 'error: unknown command "bogus"' + _EX.format("minikctl create secret"), None),
    ("create service nodeprt x", 'error: unknown command "nodeprt x"' + _EX.format("minikctl create service"), None),
    ("create bogus", "error: Unexpected args: [bogus]" + _EX.format("minikctl create"), None),
    ("create deploymnt web", "error: Unexpected args: [deploymnt web]" + _EX.format("minikctl create"), None),
    # the flags are parsed first: `create` has no --image
    ("create deploymnt web --image=x", "error: unknown flag: --image\nSee 'minikctl create --help' for usage.\n",
     None),
])
def test_unknown_subcommand_is_an_error(cluster, state, tmp_path, cmd, err, kubectl_cmd):
    before = store_snapshot(state)
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before
    if kubectl_cmd is None:  # a kubectl command: the same line
        same_as_kubectl(tmp_path, cmd.split(), err)
    else:  # a minikctl group: the same words as kubectl's own group commands
        group = kubectl_cmd.split()[0]
        words = err.split('"')[1] if "unknown command" in err else None
        same_as_kubectl(tmp_path, kubectl_cmd.split(), f'error: unknown command "{words}"' + _EX.format(f"minikctl {group}"))


def test_the_parent_commands_still_work_alone(cluster):
    assert cluster("clock").code == 0
    assert cluster("cluster").code == 0
    assert cluster("clock snapshot --help").code == 0  # --help wins, as in kubectl


@pytest.mark.parametrize("cmd,err", [
    ("gte pods", 'error: unknown command "gte" for "minikctl"\n\nDid you mean this?\n\tget\n'),
    ("labell x", 'error: unknown command "labell" for "minikctl"\n\nDid you mean this?\n\tlabel\n'),
    ("frobnicate", 'error: unknown command "frobnicate" for "minikctl"\n'),
])
def test_unknown_root_command_has_cobras_suggestions(mk, tmp_path, cmd, err):
    r = mk(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)
    same_as_kubectl(tmp_path, cmd.split(), err)


def test_suggestions_list_every_close_command_in_kubectls_order(mk):
    from minikctl.cli.commands import COMMANDS

    # kubectl 1.32 `kubectl ex`: expose, set, explain, get, exec, cp (the order it adds its commands);
    # minikctl's own commands (external-hosts) come after kubectl's
    kubectls = [c for c in ("expose", "set", "explain", "get", "exec", "cp") if c in COMMANDS]
    err = mk("ex").err
    assert err == ('error: unknown command "ex" for "minikctl"\n\nDid you mean this?\n'
                   + "".join(f"\t{c}\n" for c in kubectls + ["external-hosts"]))


# ------------------------------------------------------------------ the usage line after flag errors
# kubectl's root command sets a flag error func: "<pflag error>\nSee '<command path> --help' for usage."
@pytest.mark.parametrize("cmd,err", [
    ("get --bogus", "error: unknown flag: --bogus\nSee 'minikctl get --help' for usage.\n"),
    ("get pods -Q", "error: unknown shorthand flag: 'Q' in -Q\nSee 'minikctl get --help' for usage.\n"),
    ("get pods -n", "error: flag needs an argument: 'n' in -n\nSee 'minikctl get --help' for usage.\n"),
    ("get pods --namespace", "error: flag needs an argument: --namespace\nSee 'minikctl get --help' for usage.\n"),
    ("version --bogus", "error: unknown flag: --bogus\nSee 'minikctl version --help' for usage.\n"),
    ("api-resources --bogus", "error: unknown flag: --bogus\nSee 'minikctl api-resources --help' for usage.\n"),
    ("create configmap x --from-literal",
     "error: flag needs an argument: --from-literal\nSee 'minikctl create configmap --help' for usage.\n"),
    ("create deployment web --image=x --replicas=abc",
     'error: invalid argument "abc" for "-r, --replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\n'
     "See 'minikctl create deployment --help' for usage.\n"),
    ("create deploy web --image=x --replicas=abc",  # an alias: cobra names the command by its name
     'error: invalid argument "abc" for "-r, --replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\n'
     "See 'minikctl create deployment --help' for usage.\n"),
    ("scale deploy x --replicas=abc",
     'error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\n'
     "See 'minikctl scale --help' for usage.\n"),
])
def test_flag_errors_have_kubectls_usage_line(cluster, state, tmp_path, cmd, err):
    before = store_snapshot(state)
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before
    same_as_kubectl(tmp_path, cmd.split(), err)


# cmdutil.UsageErrorf: "<message>\nSee '<command path> -h' for help and examples"
@pytest.mark.parametrize("cmd,err", [
    ("create deployment --image=x",
     "error: exactly one NAME is required, got 0\nSee 'minikctl create deployment -h' for help and examples\n"),
    ("create deployment a b --image=x",
     "error: exactly one NAME is required, got 2\nSee 'minikctl create deployment -h' for help and examples\n"),
    ("create ns", "error: exactly one NAME is required, got 0\nSee 'minikctl create namespace -h' for help and examples\n"),
    ("create configmap",
     "error: exactly one NAME is required, got 0\nSee 'minikctl create configmap -h' for help and examples\n"),
    ("create secret generic",
     "error: exactly one NAME is required, got 0\nSee 'minikctl create secret generic -h' for help and examples\n"),
    ("create service clusterip",
     "error: exactly one NAME is required, got 0\nSee 'minikctl create service clusterip -h' for help and examples\n"),
    ("run --image=x", "error: NAME is required for run\nSee 'minikctl run -h' for help and examples\n"),
    ("logs", "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required "
             "argument for the logs command\nSee 'minikctl logs -h' for help and examples\n"),
])
def test_argument_errors_have_kubectls_usage_line(cluster, state, tmp_path, cmd, err):
    before = store_snapshot(state)
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert store_snapshot(state) == before
    same_as_kubectl(tmp_path, cmd.split(), err)


@pytest.mark.parametrize("cmd,err", [
    ("create deployment web", 'error: required flag(s) "image" not set\n'),
    ("exec", "error: pod, type/name or --filename must be specified\n"),
    ("label", "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
])
def test_errors_kubectl_prints_without_a_usage_line(cluster, tmp_path, cmd, err):
    r = cluster(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)
    same_as_kubectl(tmp_path, cmd.split(), err)


# ------------------------------------------------------------------ the README, followed in order
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
# lines a test cannot follow: an interactive shell, an editor, a change to the user's shell setup
_INTERACTIVE = ("exec -it", "edit ", "source <(", "> ~/")


def _sh_block(text: str, after: str) -> list[str]:
    """The command lines of the first ```sh block after the heading or sentence `after`."""
    i = text.index(after)
    start = text.index("```sh\n", i) + len("```sh\n")
    block = text[start:text.index("```", start)]
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def readme_steps() -> list[str]:
    text = (ROOT / "README.md").read_text()
    first = _sh_block(text, "Install and run")
    assert len(first) == 1 and first[0].startswith("pip install . && "), first
    steps = [first[0][len("pip install . && "):]]
    for section in ("## A short tour", "### Scripting"):
        steps += [line for line in _sh_block(text, section) if not any(s in line for s in _INTERACTIVE)]
    return steps


def test_readme_steps_are_found():
    steps = readme_steps()
    assert steps[0] == "minikctl apply -R -f examples/manifests && minikctl get svc -o wide"
    assert any(s.startswith("minikctl create deployment cyberchef") for s in steps)
    assert any("clock advance" in s for s in steps) and any("patch svc cyberchef" in s for s in steps)


def test_readme_first_command_then_the_tour_in_order(tmp_path):
    """The README's first command (the examples into the default cluster), then every command of the
    tour and of Scripting, in order, in one shell: each must succeed (exit 0 with pipefail) and none may
    print an error. A stale README (a renamed flag, a colliding name) fails here."""
    import shlex
    import sys

    lines = ["set -o pipefail", f"minikctl() {{ {shlex.quote(sys.executable)} -m minikctl \"$@\"; }}"]
    for n, step in enumerate(readme_steps()):
        lines.append(f"echo '>>> step {n}' >&2")
        # eval: a step's trailing comment must not swallow the check; its variables (POD=...) stay set
        lines.append(f"eval {shlex.quote(step)} || {{ echo 'FAILED (exit '$?'): '{shlex.quote(step)} >&2; exit 1; }}")
    env = {k: v for k, v in os.environ.items() if k not in ("MINIKCTL_STATE", "MINIKCTL_NAMESPACE")}
    env.update({"XDG_DATA_HOME": str(tmp_path / "xdg"), "TMPDIR": str(tmp_path), "HOME": str(tmp_path),
                "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))})
    p = subprocess.run(["bash", "-c", "\n".join(lines)], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, f"{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    assert "error" not in p.stderr.lower() and "Traceback" not in p.stderr, p.stderr
    # the first command went to the default store, the tour to its own
    assert (tmp_path / "xdg" / "minikctl" / "state.db").exists()


# ------------------------------------------------------------------ version -o
@pytest.mark.parametrize("args,err", [
    ("version -o bogus", "error: --output must be 'yaml' or 'json'\n"),
    ("version --client -o wide", "error: --output must be 'yaml' or 'json'\n"),
    ("version --client -o YAML", "error: --output must be 'yaml' or 'json'\n"),
    ("version --client -o=", "error: --output must be 'yaml' or 'json'\n"),  # pflag reads "-o=" as "="
    ("version x -o bogus", "error: extra arguments: [x]\n"),  # Complete runs before Validate
    ("version a b", "error: extra arguments: [a b]\n"),
])
def test_version_output_refused_as_kubectl_refuses_it(mk, state, tmp_path, args, err):
    r = mk(args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert not os.path.exists(state)  # refused before the store is opened
    same_as_kubectl(tmp_path, args.split(), err)


def test_version_accepts_yaml_json_and_empty(mk):
    for args in (["version", "--client", "-o", "yaml"], ["version", "--client", "-o", "json"],
                 ["version", "--client", "-o", ""]):
        r = mk(args)
        assert (r.code, r.err) == (0, ""), args


# ------------------------------------------------------------------ create -o
_NO_PRINTER = ('error: unable to match a printer suitable for the output format "{}", allowed formats are: '
               "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
               "templatefile,yaml\n")


@pytest.mark.parametrize("output,code,out,err", [
    ("jsonpath={.metadata.name}", 0, "web", ""),
    ("jsonpath={.kind} {.spec.replicas} {.spec.template.metadata}", 0,
     'Deployment 1 {"creationTimestamp":null,"labels":{"app":"web"}}', ""),
    ("jsonpath-as-json={.metadata.name}", 0, '[\n    "web"\n]\n', ""),
    ("jsonpath={.bogus}", 0, "", ""),
    ("name", 0, "deployment.apps/web\n", ""),
    ("", 0, "deployment.apps/web created (dry run)\n", ""),
    ("jsonpath", 1, "", "error: template format specified but no template given\n"),
    ("jsonpath=", 1, "", "error: template format specified but no template given\n"),
    ("jsonpath={.metadata.name", 1, "", "error: error parsing jsonpath {.metadata.name, unclosed action\n"),
    ("jsonpath-file=/nonexistent/t", 1, "",
     "error: error reading --template /nonexistent/t, open /nonexistent/t: no such file or directory\n"),
    ("wide", 1, "", _NO_PRINTER.format("wide")),
    ("custom-columns=N:.metadata.name", 1, "", _NO_PRINTER.format("custom-columns=N:.metadata.name")),
    ("bogus", 1, "", _NO_PRINTER.format("bogus")),
])
def test_create_dry_run_output_as_kubectl(cluster, state, tmp_path, output, code, out, err):
    args = ["create", "deployment", "web", "--image=nginx", "--dry-run=client", "-o", output]
    r = cluster(args)
    assert (r.code, r.out, r.err) == (code, out, err)
    if KUBECTL is not None:
        assert kubectl(tmp_path, args) == (code, out, err)


def test_create_alias_and_jsonpath_for_scripts(cluster, state):
    r = cluster(["create", "deploy", "web", "--image=nginx", "-o", "jsonpath={.metadata.name}"])
    assert (r.code, r.out, r.err) == (0, "web", "")
    assert cluster("get deployment web -o name").out == "deployment.apps/web\n"
    r = cluster(["create", "cm", "c", "--from-literal=a=b", "-o", "jsonpath={.data.a}"])
    assert (r.code, r.out, r.err) == (0, "b", "")


@pytest.mark.parametrize("verb", ["create", "apply", "replace"])
def test_write_commands_refuse_an_unprintable_format_before_writing(cluster, state, tmp_path, verb):
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    if verb == "replace":
        assert cluster(f"create -f {f}").code == 0
    before = store_snapshot(state)
    r = cluster(f"{verb} -f {f} -o wide")
    assert (r.code, r.out, r.err) == (1, "", _NO_PRINTER.format("wide"))
    assert store_snapshot(state) == before


def test_create_and_apply_print_each_object_with_jsonpath(cluster, tmp_path):
    f = tmp_path / "two.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
    r = cluster(["create", "-f", str(f), "-o", "jsonpath={.metadata.name}"])
    assert (r.code, r.out, r.err) == (0, "ab", "")
    g = tmp_path / "two-more.yaml"
    g.write_text(f.read_text().replace("name: a", "name: c").replace("name: b", "name: d"))
    # apply prints two or more objects as one v1 List (kubectl/pkg/cmd/apply/apply.go printObjects;
    # kubectl 1.32 prints ";" here, checked against a stub API server)
    r = cluster(["apply", "-f", str(g), "-o", "jsonpath={.metadata.name};"])
    assert (r.code, r.out, r.err) == (0, ";", "")
    r = cluster(["apply", "-f", str(g), "-o", "jsonpath={.items[*].metadata.name}"])
    assert (r.code, r.out, r.err) == (0, "c d", "")


# ------------------------------------------------------------------ global flags alone
@pytest.mark.parametrize("args,code,err", [
    ("--bogus", 1, "error: unknown flag: --bogus\nSee 'minikctl --help' for usage.\n"),
    ("-Q", 1, "error: unknown shorthand flag: 'Q' in -Q\nSee 'minikctl --help' for usage.\n"),
    ("--namespace", 1, "error: flag needs an argument: --namespace\nSee 'minikctl --help' for usage.\n"),
    ("-n x", 0, ""),  # kubectl -n x: the root help, exit 0
    ("-v=3", 0, ""),
])
def test_global_flags_without_a_command(mk, tmp_path, args, code, err):
    r = mk(args)
    assert (r.code, r.err) == (code, err)
    assert (r.out == "") == (code == 1)
    if KUBECTL is not None:
        kcode, _, kerr = kubectl(tmp_path, args.split())
        assert (kcode, kerr) == (code, err.replace("minikctl", "kubectl"))


def _mask_build(text: str) -> str:
    """The build fields differ between two builds: compare the layout, not the values."""
    import re

    text = re.sub(r'("?(gitCommit|buildDate|goVersion|gitVersion)"?: )"?[^"\n,]*"?', r"\1X", text)
    return text


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_version_structured_output_has_kubectls_layout(mk, tmp_path, output):
    r = mk(["version", "--client", "-o", output])
    assert (r.code, r.err) == (0, "")
    if output == "json":
        assert r.out.startswith('{\n  "clientVersion": {\n    "major": "1",\n    "minor": "32",\n')
        assert r.out.endswith('  "kustomizeVersion": "v5.5.0"\n}\n')
    else:
        assert r.out.startswith('clientVersion:\n  buildDate: "') and r.out.endswith("kustomizeVersion: v5.5.0\n\n")
    if KUBECTL is not None:
        code, out, _ = kubectl(tmp_path, ["version", "--client", "-o", output])
        assert code == 0 and _mask_build(r.out) == _mask_build(out)


# ------------------------------------------------------------------ more argument and flag errors
@pytest.mark.parametrize("cmd,err", [
    ("api-resources x -o bogus",  # Complete before Validate
     "error: unexpected arguments: [x]\nSee 'minikctl api-resources -h' for help and examples\n"),
    ("api-resources -o json", "error: --output json is not available\n"),
    ("completion bogus", 'error: Unsupported shell type "bogus".\nSee \'minikctl completion -h\' for help and examples\n'),
    ("get pods --all-namespaces=maybe",  # pflag names the flag with its shorthand
     'error: invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": '
     "invalid syntax\nSee 'minikctl get --help' for usage.\n"),
    ("get pods --show-labels=maybe",
     'error: invalid argument "maybe" for "--show-labels" flag: strconv.ParseBool: parsing "maybe": '
     "invalid syntax\nSee 'minikctl get --help' for usage.\n"),
])
def test_more_usage_errors_as_kubectl(mk, state, tmp_path, cmd, err):
    r = mk(cmd)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert not os.path.exists(state)
    same_as_kubectl(tmp_path, cmd.split(), err)


def test_run_and_expose_print_jsonpath_and_refuse_wide_before_writing(cluster, state, tmp_path):
    args = ["run", "a", "--image=nginx", "--dry-run=client", "-o", "wide"]
    r = cluster(args)
    assert (r.code, r.out, r.err) == (1, "", _NO_PRINTER.format("wide"))
    if KUBECTL is not None:
        assert kubectl(tmp_path, args) == (1, "", _NO_PRINTER.format("wide"))
    r = cluster(["run", "a", "--image=nginx", "-o", "jsonpath={.spec.containers[0].image}"])
    assert (r.code, r.out, r.err) == (0, "nginx", "")
    before = store_snapshot(state)
    r = cluster("expose pod a --port=80 -o wide")
    assert (r.code, r.out, r.err) == (1, "", _NO_PRINTER.format("wide"))
    assert store_snapshot(state) == before
    r = cluster(["expose", "pod", "a", "--port=80", "--target-port=8080", "-o", "jsonpath={.spec.ports[0].targetPort}"])
    assert (r.code, r.out, r.err) == (0, "8080", "")
