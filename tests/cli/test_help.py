"""`--help`, `help` and `options` as kubectl 1.32 prints them, and every kubectl flag accepted.

kubectl_help.json is generated from the real binary (tools/kubectl_help.py); the comparison with
the binary itself runs when /usr/lib/google-cloud-sdk/bin/kubectl.1.32 is on the machine.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from minikctl.cli import kubectl_flags
from minikctl.cli.help import kubectl_layout, minikctl_name

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
needs_kubectl = pytest.mark.skipif(not os.path.exists(KUBECTL), reason="kubectl 1.32 binary not available")
OPTIONS_FOOTER = 'Use "minikctl options" for a list of global command-line options (applies to all commands).\n'


def _kubectl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KUBECTL, *args], capture_output=True, text=True,
                          env={**os.environ, "HOME": "/nonexistent-home"})


@needs_kubectl
@pytest.mark.parametrize("path", sorted(kubectl_flags.data()["commands"]))
def test_help_data_renders_kubectl_help_byte_for_byte(path):
    """The shipped data, rendered in kubectl's layout, is `kubectl PATH --help` (with minikctl's name):
    the data is neither stale nor lossy."""
    want = _kubectl(*path.split(), "--help").stdout
    assert kubectl_layout(kubectl_flags.data()["commands"][path]) == minikctl_name(want)


@needs_kubectl
def test_help_data_matches_kubectl_options_and_root():
    d = kubectl_flags.data()
    assert d["root"] == _kubectl("--help").stdout
    want = _kubectl("options").stdout
    got = "The following options can be passed to any command:\n\n" + "".join(
        f"    {'-' + f['short'] + ', ' if f['short'] else ''}--{f['name']}={f['default']}:\n\t{f['usage']}\n\n"
        for f in d["options"])
    assert got == want
    assert d["version"].startswith("v1.32.")


def test_get_help_has_kubectl_sections(mk):
    r = mk("get --help")
    assert r.code == 0 and r.err == ""
    assert r.out.startswith("Display one or many resources.\n\n Prints a table of the most important information")
    for section in ("\nExamples:\n  # List all pods in ps output format\n  minikctl get pods\n", "\nOptions:\n",
                    "\nUsage:\n  minikctl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|"
                    "templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] "
                    "(TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]\n\n"):
        assert section in r.out
    assert r.out.endswith("\n\n" + OPTIONS_FOOTER)
    # kubectl's help line; minikctl's remark on a flag it accepts without meaning
    assert ("    --chunk-size=500:\n\tReturn large lists in chunks rather than all at once. Pass 0 to disable. This "
            "flag is beta and may change in the future. (minikctl: accepted, no effect: lists are read at once from "
            "the local store)\n\n") in r.out
    assert "    -w, --watch=false:\n\tAfter listing/getting the requested object, watch for changes.\n\n" in r.out


def test_every_kubectl_flag_is_listed_in_help(mk):
    for path, kube in kubectl_flags.data()["commands"].items():
        if path == "help":
            continue
        out = mk(path + " --help").out
        for f in kube.get("flags") or ():
            head = f"    {'-' + f['short'] + ', ' if f['short'] else ''}--{f['name']}={f['default']}:\n\t{minikctl_name(f['usage'])}"
            assert head in out, (path, f["name"])


def test_help_flag_forms_agree(mk):
    assert mk("get -h").out == mk("get --help").out == mk("help get").out
    assert mk("help rollout status").out == mk("rollout status --help").out
    assert mk("help create deploy").out == mk("create deployment --help").out


def test_group_help_lists_subcommands_and_footer(mk):
    r = mk("rollout --help")
    assert r.out == (
        "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n"
        "  *  deployments\n  *  daemonsets\n  *  statefulsets\n\n"
        "Examples:\n  # Rollback to the previous deployment\n  minikctl rollout undo deployment/abc\n  \n"
        "  # Check the rollout status of a daemonset\n  minikctl rollout status daemonset/foo\n  \n"
        "  # Restart a deployment\n  minikctl rollout restart deployment/abc\n  \n"
        "  # Restart deployments with the 'app=nginx' label\n"
        "  minikctl rollout restart deployment --selector=app=nginx\n\n"
        "Available Commands:\n  history       View rollout history\n"
        "  pause         Mark the provided resource as paused\n  restart       Restart a resource\n"
        "  resume        Resume a paused resource\n  status        Show the status of the rollout\n"
        "  undo          Undo a previous rollout\n\n"
        "Usage:\n  minikctl rollout SUBCOMMAND [options]\n\n"
        'Use "minikctl rollout <command> --help" for more information about a given command.\n' + OPTIONS_FOOTER)
    assert mk("rollout").out == r.out  # cmdutil.DefaultSubCommandRun


def test_version_help_is_kubectls(mk):
    assert mk("version --help").out == (
        "Print the client and server version information for the current context.\n\n"
        "Examples:\n  # Print the client and server versions for the current context\n  minikctl version\n\n"
        "Options:\n    --client=false:\n\tIf true, shows client version only (no server required).\n\n"
        "    -o, --output='':\n\tOne of 'yaml' or 'json'.\n\n"
        "Usage:\n  minikctl version [flags] [options]\n\n" + OPTIONS_FOOTER)


def test_minikctl_own_command_help_in_kubectl_layout(mk):
    r = mk("clock --help")
    assert r.out == ("Show or move the cluster clock.\n\n"
                     "Available Commands:\n  advance      Move the cluster clock forward\n\n"
                     "Usage:\n  minikctl clock [advance DURATION] [options]\n\n"
                     'Use "minikctl clock <command> --help" for more information about a given command.\n'
                     + OPTIONS_FOOTER)
    assert "    --nodes=0:\n\tnumber of nodes (default 3)\n\n" in mk("cluster create --help").out


def test_minikctl_notes_reach_the_description(mk):
    out = mk("rollout status --help").out
    assert "\n\n minikctl: Waits on the cluster clock: on a manual clock it advances the clock" in out


def test_root_help_groups(mk):
    r = mk("--help")
    assert r.code == 0
    assert r.out.startswith("minikctl controls an emulated Kubernetes 1.32 cluster")
    assert "\nBasic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n" in r.out
    assert "  certificate " not in r.out and "  proxy " not in r.out  # kubectl's, not minikctl's (yet)
    assert "\nEmulator Commands (minikctl):\n  cluster         Create, inspect, check and delete" in r.out
    assert r.out.endswith("Usage:\n  minikctl [flags] [options]\n\n"
                          'Use "minikctl <command> --help" for more information about a given command.\n'
                          + OPTIONS_FOOTER)
    assert mk("help").out == r.out == mk("").out


def test_help_unknown_topic(mk):
    # kubectl 1.32: `kubectl help bogus` writes "Unknown help topic [`bogus`]" and the root usage to stderr, exit 0
    r = mk("help bogus")
    assert (r.code, r.out) == (0, "")
    assert r.err.startswith("Unknown help topic [`bogus`]\n\n\nBasic Commands (Beginner):\n")


def test_options_lists_kubectl_global_flags(mk):
    r = mk("options")
    assert r.code == 0
    assert r.out.startswith("The following options can be passed to any command:\n\n    --as='':\n\tUsername to "
                            "impersonate for the operation. User could be a regular user or a service account in a "
                            "namespace. (minikctl: accepted, no effect: minikctl has no authentication)\n\n")
    assert "\n    --state='':\n\tpath of the cluster's state file" in r.out
    assert "\n    -v, --v=0:\n\tnumber for the log level verbosity" in r.out
    assert r.out.endswith(":\n\tTreat warnings received from the server as errors and exit with a non-zero exit code "
                          "(minikctl: accepted with its default value only; other values are refused, not implemented "
                          "yet)\n\n")


def test_kubectl_flags_are_accepted(cluster):
    mk = cluster
    assert mk("get ns default --chunk-size=10 --request-timeout=5s --as=bob").code == 0
    r = mk("--request-timeout 5s --insecure-skip-tls-verify get ns default -o name")
    assert (r.code, r.out) == (0, "namespace/default\n")
    r = mk("create configmap x --from-literal=a=1 --append-hash=false --field-manager=me --dry-run=client -o name")
    assert (r.code, r.out, r.err) == (0, "configmap/x\n", "")


def test_kubectl_flag_with_meaning_refused_unless_default(cluster):
    mk = cluster
    mk("create deployment web --image=nginx")
    before = mk("get pods -o name").out
    assert mk("logs deploy/web --limit-bytes=0").code == 0  # its default: accepted
    r = mk("delete pods --all --interactive")
    assert (r.code, r.out) == (1, "")
    assert r.err == ('error: "minikctl delete" accepts kubectl\'s --interactive flag only with its default '
                     "value: minikctl does not implement it yet\n")
    assert mk("get pods -o name").out == before
    # --help still answers with the flag on the line
    assert mk("delete --interactive --help").code == 0


def test_unknown_flag_still_unknown(mk):
    r = mk("get pods --bogus")
    assert (r.code, r.err) == (1, "error: unknown flag: --bogus\nSee 'minikctl get --help' for usage.\n")


def test_unknown_command_did_you_mean(mk):
    # kubectl 1.32: `kubectl s` suggests set, scale, cp (Levenshtein <= 2 or prefix, in kubectl's order)
    r = mk("s")  # kubectl 1.32: set, scale, cp (Levenshtein <= 2 or prefix, in kubectl's order)
    # then minikctl's own commands, after kubectl's (issue 14: serve)
    assert (r.code, r.err) == (1, 'error: unknown command "s" for "minikctl"\n\nDid you mean this?\n\tset\n\tscale\n'
                               '\tcp\n\tserve\n')
    r = mk("gte")
    assert (r.code, r.out, r.err) == (1, "", 'error: unknown command "gte" for "minikctl"\n\nDid you mean this?\n\tget\n')
    r = mk("optins")
    assert r.err == 'error: unknown command "optins" for "minikctl"\n\nDid you mean this?\n\toptions\n'
    r = mk("hepl")  # cobra's help command is never suggested
    assert r.err == 'error: unknown command "hepl" for "minikctl"\n'


def test_flag_data_not_loaded_on_ordinary_commands():
    code = ("import sys\nfrom minikctl.cli.app import main\nmain(['version', '--client'])\n"
            "assert 'minikctl.cli.kubectl_flags' not in sys.modules, 'loaded'\n")
    env = {**os.environ, "MINIKCTL_STATE": "/nonexistent/never.db"}
    p = subprocess.run(["python3", "-c", code], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(json.dumps(kubectl_flags.data()["version"])).startswith("v1.32")
