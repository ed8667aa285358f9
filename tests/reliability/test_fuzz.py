"""Bad input, generated: hypothesis throws mutated manifests and random command lines at
minikctl. Every case ends in success or in a clean error (exit 1, error lines only, no
traceback, never an internal error), and a refused command leaves the store's content
exactly as it was.

A few hundred cases by default; MINIKCTL_FUZZ_EXAMPLES=5000 asks for more (per test).
Plus a fixed corpus of hostile inputs (YAML alias bombs, a 50 MB file, 10,000-deep nesting,
invalid UTF-8, binary) through every verb that reads -f, from stdin and from a file, each
refused cleanly (tests/cli/test_bad_input.py covers `apply -f -`).
"""

from __future__ import annotations

import json
import os

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import run_inprocess
from tests.helpers import store_snapshot

EXAMPLES = int(os.environ.get("MINIKCTL_FUZZ_EXAMPLES", "250"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="MINIKCTL_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# stderr lines a clean refusal may print (kubectl's forms), besides "Warning: ..." lines
ERROR_PREFIXES = ("error:", "Error from server", "The ", "Error:", "error when", "unable to", "Unable to",
                  "You must specify the type of resource to get.")  # get.go's notice before its usage error


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    """One small cluster for all the cases of this module (a case that succeeds changes it,
    which only widens what the next cases meet)."""
    path = str(tmp_path_factory.mktemp("fuzz") / "state.db")
    setup = [
        ["cluster", "create", "--clock", "manual"],
        ["create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80"],
        ["expose", "deployment", "web", "--port=80"],
        ["create", "configmap", "cfg", "--from-literal=k=v"],
        ["create", "secret", "generic", "sec", "--from-literal=pw=hunter2"],
        ["create", "service", "nodeport", "np", "--tcp=80"],
    ]
    for args in setup:
        r = run_inprocess(args, path)
        assert r.code == 0, (args, r)
    return path


def _check(state: str, args: list[str], data: bytes | None, *, one_line: bool) -> None:
    before = store_snapshot(state)
    r = run_inprocess(args, state, data)
    shown = f"minikctl {args!r} <<< {data[:300]!r}" if data is not None else f"minikctl {args!r}"
    assert "Traceback" not in r.err and "Traceback" not in r.out, f"{shown}\n{r}"
    assert "internal error" not in r.err, f"{shown}\n{r}"
    assert r.code in (0, 1), f"{shown}\n{r}"
    if r.code == 1 and args[0] in ("nslookup", "dig"):
        return  # the tool's own output (NXDOMAIN, "*** Invalid option"), exit 1, as nslookup prints it
    if r.code == 1:
        # "hint: ..." lines follow some errors (e.g. a field indented at the wrong level)
        # kubectl's usage line after a flag or argument error ("See 'minikctl scale --help' for usage.")
        lines = [ln for ln in r.err.split("\n")  # only \n ends a line on a terminal
                 if ln.strip() and not ln.startswith(("Warning:", "hint:", "See 'minikctl "))]
        assert lines, f"{shown}\n{r}"
        # kube-apiserver's several field errors: 'The Service "x" is invalid: ' then '* field: ...' lines
        lines = [ln for i, ln in enumerate(lines)
                 if not (ln.startswith("* ") and any(p.endswith("is invalid: ") for p in lines[:i]))]
        if one_line:
            assert len(lines) == 1, f"{shown}\n{r}"
        else:  # kubectl's usage errors add lines ("See 'kubectl logs -h' for help and examples")
            assert lines[0].startswith(ERROR_PREFIXES), f"{shown}\n{r}"
        if not r.out:  # refused outright (a partial delete prints what it did and exits 1, like kubectl)
            assert store_snapshot(state) == before, f"{shown}\n{r}"


# ------------------------------------------------------------------- manifests
BASES = [
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "fz-svc", "labels": {"app": "fz"}},
     "spec": {"type": "NodePort", "selector": {"app": "fz"},
              "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}]}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "fz-dep"},
     "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "fz"}},
              "template": {"metadata": {"labels": {"app": "fz"}},
                           "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                                                    "env": [{"name": "A", "value": "b"}]}]}}}},
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "fz-pod", "labels": {"app": "fz"}},
     "spec": {"containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"],
                              "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5}}]}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "fz-cm"}, "data": {"k": "v", "n": "1"}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "fz-sec"}, "type": "Opaque",
     "stringData": {"user": "me"}, "data": {"pw": "aHVudGVyMg=="}},
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fz-ns"}},
    {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "fz-ext"},
     "subsets": [{"addresses": [{"ip": "11.11.11.11"}], "ports": [{"port": 80}]}]},
    {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "fz-ing"},
     "spec": {"rules": [{"host": "a.example.com", "http": {"paths": [
         {"path": "/", "pathType": "Prefix",
          "backend": {"service": {"name": "fz-svc", "port": {"number": 80}}}}]}}],
              "tls": [{"hosts": ["a.example.com"], "secretName": "fz-sec"}]}},
    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "fz-rs"},
     "spec": {"replicas": 1, "selector": {"matchLabels": {"rs": "fz"}},
              "template": {"metadata": {"labels": {"rs": "fz"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
    {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "fz-rc"},
     "spec": {"replicas": 1, "selector": {"rc": "fz"},
              "template": {"metadata": {"labels": {"rc": "fz"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "fz-ext"},
     "spec": {"type": "ExternalName", "externalName": "example.com"}},
]

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 70000), st.sampled_from([2**31, -(2**31) - 1, 2**63, 0.5, -1e300]),
    st.text(max_size=12), st.sampled_from(["", "None", "10.96.0.10", "30080", "80", "http", "TCP", "UDP", "SCTP",
                                            "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "Exists",
                                            "a" * 300, "${X}", "$(A)", "ünïcödé", "-", "*", "/", "0x1F", "1e3",
                                            "v1", "apps/v1", "Service", "null", "~", "yes"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _parent(doc, path):
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node


@st.composite
def mutated_manifests(draw) -> tuple[str, bytes]:
    doc = json.loads(json.dumps(draw(st.sampled_from(BASES))))
    for _ in range(draw(st.integers(0, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["replace", "delete", "add", "rename", "dup"]))
        if key == "replicas" and action == "replace":
            # a valid huge replica count would make the controllers create that many pods
            parent[key] = draw(st.sampled_from([-1, 0, 3, "3", None, 2**31, 1.5]))
        elif action == "replace":
            parent[key] = draw(VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(VALUES)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["nam", "Name", "spec", "metadata", "kind", "selector", "x-y"]))] = parent.pop(key)
        elif action == "dup" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
    fmt = draw(st.sampled_from(["yaml", "json", "yaml-multi"]))
    if fmt == "json":
        text = json.dumps(doc)
    elif fmt == "yaml":
        text = yaml.safe_dump(doc, allow_unicode=True)
    else:
        text = "---\n" + yaml.safe_dump(doc, allow_unicode=True) + "---\n" + yaml.safe_dump(draw(st.sampled_from(BASES)))
    data = text.encode()
    for _ in range(draw(st.integers(0, 2)) if draw(st.booleans()) else 0):
        pos = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "truncate", "flip"]))
        if kind == "insert":
            data = data[:pos] + draw(st.binary(min_size=1, max_size=6)) + data[pos:]
        elif kind == "truncate":
            data = data[:pos]
        elif data:
            i = min(pos, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
    verb = draw(st.sampled_from(["apply", "apply", "create", "replace"]))
    return verb, data


@FUZZ
@given(case=mutated_manifests())
def test_mutated_manifests(state, case):
    verb, data = case
    args = [verb, "-f", "-"]
    # several documents may each be refused on their own line only by kubectl's per-object
    # errors; one document gets one line
    _check(state, args, data, one_line=data.count(b"---\n") < 2)


# --------------------------------------------------------------- command lines
VERBS = ["get", "describe", "create", "delete", "label", "annotate", "scale", "expose", "run", "patch", "logs",
         "nslookup", "dig", "version", "api-resources", "clock", "image", "cluster", "completion", "__complete",
         "hosts", "external-hosts", "cluster-info", "apply", "replace", "explain", "gte", ""]
WORDS = ["pods", "po", "pod/web", "svc", "services", "service", "deploy", "deployment/web", "rs", "ep", "endpoints",
         "endpointslices", "ns", "nodes", "secrets", "secret", "cm", "configmaps", "ing", "events", "all", "foo",
         "web", "np", "cfg", "sec", "kubernetes", "x", "", "Web_1", "-", "--", "..", "ünï", "a" * 300, "clusterip",
         "nodeport", "loadbalancer", "externalname", "generic", "tls", "info", "check", "advance", "30s", "-5m",
         "list", "bash", "zsh", "k=v", "app=web", "app-", "a=b=c", "=", "web.default.svc.cluster.local", "10.96.0.1"]
FLAGS = ["-o", "-ojson", "-o=yaml", "--output=name", "-o=wide", "-o=jsonpath={.items[*].metadata.name}",
         "-o=jsonpath={.bad", "-o=custom-columns=N:.metadata.name", "-o=custom-columns=", "-o=go-template={{.x}}",
         "-l", "-l=app=web", "--selector=app in (web,x)", "-l=!app", "-l=a==b==c", "-n", "-n=kube-system", "-n=nope",
         "--namespace=Bad_NS", "-A", "--all", "--all-namespaces", "--field-selector=metadata.name=web",
         "--field-selector=status.phase!=Running", "--sort-by=.metadata.name", "--sort-by={.x", "--show-labels",
         "--no-headers", "--dry-run=client", "--dry-run=server", "--dry-run=bogus", "--tcp=80:8080", "--tcp=x",
         "--port=80", "--port=-1", "--target-port=8080", "--image=nginx", "--image=", "--replicas=3", "--replicas=-2",
         "--replicas=abc", "--type=NodePort", "--type=Bogus", "--overwrite", "--cascade=orphan", "--grace-period=0",
         "--force", "--now", "--ignore-not-found", "-p", '-p={"metadata":{"labels":{"a":"b"}}}', "-p={",
         '--patch=[{"op":"add","path":"/metadata/labels/z","value":"1"}]', "--type=json", "--type=merge",
         "--type=strategic", "--from-literal=a=b", "--from-literal=bad", "--tail=5", "--tail=x", "-c", "--previous",
         "--help", "-h", "--v=3", "--record", "--unknown-flag", "-Z", "--name=other", "--selector=", "--clusterip=None",
         "--labels=a=b,c=d", "--env=A=B", "--restart=Never", "--command", "--expose", "--current-replicas=1",
         "--short", "--type=A", "--type=SRV", "--from=web"]
# verbs left out: exec and curl mirror the simulated process's exit code, edit starts an
# editor, cluster create/delete replace the store under test


@st.composite
def command_lines(draw) -> list[str]:
    args = [draw(st.sampled_from(VERBS))]
    for _ in range(draw(st.integers(0, 6))):
        args.append(draw(st.one_of(st.sampled_from(WORDS), st.sampled_from(FLAGS), st.text(max_size=10))))
    if args[0] == "cluster" and any(a in ("create", "delete") for a in args):
        args = ["cluster", "check"]
    if "--state" in " ".join(args):
        args = ["version"]
    return args


@FUZZ
@given(args=command_lines())
def test_random_command_lines(state, args):
    _check(state, args, b"", one_line=False)


# ------------------------------------------------------------ the fixed corpus
def _names(letters: str) -> list[bytes]:
    return [ch.encode() for ch in letters]


def _corpus(tmp_path) -> dict[str, bytes]:
    nest = 10_000
    return {
        "yaml_alias_bomb": (b'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + b"".join(
            b"%s: &%s [%s]\n" % (c, c, b",".join([b"*" + p] * 10)) for p, c in zip(_names("abcdefgh"), _names("bcdefghi")))),
        "yaml_merge_key_bomb": (b"a: &a {k0: 1, k1: 2}\n" + b"".join(
            b"%s: &%s {<<: *%s, x%s: 1}\n" % (c, c, p, c) for p, c in zip(_names("abcdefgh"), _names("bcdefghi")))
            + b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n"),
        "json_deep_nesting": b'{"a": ' + b"[" * nest + b"]" * nest + b"}",
        "yaml_deep_nesting_maps": b"a: " + b"{b: " * nest + b"1" + b"}" * nest + b"\n",
        "yaml_deep_block_nesting": b"".join(b" " * i + b"- \n" for i in range(0, 2 * 3000, 2)),
        "invalid_utf8_json": b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "\xc3\x28"}}',
        "utf16_without_bom": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\n".encode("utf-16-le"),
        "nul_bytes": b"apiVersion: v1\x00\nkind: ConfigMap\nmetadata:\n  name: n\n",
        "binary_random": bytes((i * 7919 + 13) % 256 for i in range(65536)),
        "elf_like": b"\x7fELF\x02\x01\x01" + bytes(4096),
        "only_separators": b"---\n---\n---\n",
    }


VERBS_WITH_F = ["apply", "create", "replace", "delete", "get", "describe"]


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    files = []
    for name, data in _corpus(d).items():
        (d / f"{name}.yaml").write_bytes(data)
        files.append((name, str(d / f"{name}.yaml"), data))
    huge = d / "file_50mb.yaml"
    with open(huge, "wb") as f:
        f.write(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  k: ")
        f.write(b"x" * (50 * 1024 * 1024))
    files.append(("file_50mb", str(huge), None))
    yield files
    os.remove(huge)


@pytest.mark.parametrize("verb", VERBS_WITH_F)
def test_fixed_corpus_refused_fast_and_cleanly(state, corpus_files, verb):
    for name, path, data in corpus_files:
        sources = [(["-f", path], None)] + ([(["-f", "-"], data)] if data is not None else [])
        for flags, stdin in sources:
            before = store_snapshot(state)
            r = run_inprocess([verb, *flags], state, stdin)
            what = f"{verb} {flags} {name}"
            assert "Traceback" not in r.err and "internal error" not in r.err, f"{what}: {r}"
            assert r.code == 1, f"{what}: {r}"
            lines = [ln for ln in r.err.split("\n") if ln and not ln.startswith(("Warning:", "hint:"))]
            assert len(lines) == 1, f"{what}: {r}"
            assert store_snapshot(state) == before, what


# ------------------------------------------- found by the random runs, still open
def test_unknown_field_names_are_quoted_like_go(state):
    r = run_inprocess(["apply", "-f", "-"], state,
                      b"? \"a\\nb\"\n: 1\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\n")
    assert r.code == 1 and r.err.count("\n") == 1 and 'unknown field "a\\nb"' in r.err, r


def test_float_map_keys_are_refused_cleanly(state):
    r = run_inprocess(["apply", "-f", "-"], state, b"apiVersion:\n  1E100: null\nkind: Service\nmetadata:\n  name: f\n")
    assert r.code == 1 and "internal error" not in r.err, r


# ------------------------------------------------------- clock advance durations
# Go's time.ParseDuration grammar, bent: signs, digits (up to int64 overflow and past it),
# fractions, real and wrong units (d, e, µ alone, spaces, control characters, non-UTF-8).
_DUR_PIECES = st.one_of(
    st.sampled_from(["", "-", "+", ".", "0", "00", "1", "5", ".5", "1.", "2562047", "2562048", "9223372036854775807",
                     "9223372036854775808", "99999999999999999999999", "0.830103483285477580700", "1e3", "1e400"]),
    st.integers(0, 10**20).map(str),
    st.sampled_from(["ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "y", "µ", "S", "H", " ", "\x1b[2J", "\x00",
                     "\udcff", "\ufffd", '"', "\\", "inf", "nan"]),
    st.text(max_size=4))


@FUZZ
@given(pieces=st.lists(_DUR_PIECES, max_size=6), dash=st.booleans())
def test_clock_advance_durations(state, pieces, dash):
    """Any duration: exit 0 or 1, never an internal error; a refusal leaves the store and the clock
    as they were; the cluster answers `get pods` afterwards."""
    text = "".join(pieces)
    before = run_inprocess(["clock"], state)
    assert before.code == 0 and before.err == "", before
    args = ["clock", "advance", "--", text] if dash else ["clock", "advance", text]
    _check(state, args, None, one_line=True)
    r = run_inprocess(["clock"], state)
    assert r.code == 0 and r.err == "", r
    if r.out != before.out:  # it moved: only forward, and never past the last RFC 3339 second
        assert before.out < r.out <= "9999-12-31T23:59:59Z (manual)\n", (text, before, r)
    r = run_inprocess(["get", "pods"], state)
    assert r.code == 0 and "error" not in r.err, (text, r)


# -------------------------------------------------------------- replica counts
# Small counts (which succeed and stay quick) and everything past what a flag, the API
# server's int32 or the emulator's capacity (50,000 pods) takes, in the forms strconv.ParseInt
# reads (signs, base prefixes, leading-zero octal) and some it does not.
REPLICA_VALUES = st.one_of(
    st.integers(-3, 4).map(str),
    st.integers(50_001, 2**80).map(str),
    st.integers(-(2**80), -4).map(str),
    st.sampled_from([2**31 - 1, 2**31, 2**32 + 2, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1]).map(str),
    st.sampled_from(["0x3", "+2", "02", "08", "0b1", "1_0", " 1", "1.0", "1e3", "", "-", "١", "9" * 5000]),
    st.integers(50_001, 2**40).map(hex),
)


@FUZZ
@given(value=REPLICA_VALUES, precondition=st.booleans())
def test_scale_replica_values(state, value, precondition):
    args = ["scale", "deployment", "web", f"--replicas={value}"]
    if precondition:
        # with a precondition kubectl sends int32(N): keep that small too (a quick success)
        try:
            n = int(value, 0) if len(value) < 100 else None
        except ValueError:
            n = None
        assume(n is None or not 4 < (n + 2**31) % 2**32 - 2**31 <= 50_000)
        live = json.loads(run_inprocess(["get", "deployment", "web", "-o", "json"], state).out)
        args.append(f"--current-replicas={live['spec'].get('replicas', 1)}")
    _check(state, args, None, one_line=True)


# ------------------------------------------------------------ resource quantities
# resource.Quantity's grammar, bent: signs, digits (past int64 and float64), fractions,
# exponents, every suffix and some that are not, in strings and as YAML numbers.
_QTY_PIECES = st.one_of(
    st.sampled_from(["", "-", "+", ".", "0", "1", "100", "1.5", ".5", "5.", "9223372036854775807",
                     "9223372036854775808", "9" * 400, "1e3", "1e400", "1E-3", "0x10"]),
    st.integers(-10**20, 10**20).map(str),
    st.sampled_from(["m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "x", "i",
                     "KiB", " ", "e", "e+", "\x1b[2J", "\x00", "µ", "Mi2"]),
    st.text(max_size=3))


@FUZZ
@given(pieces=st.lists(_QTY_PIECES, min_size=1, max_size=4), where=st.sampled_from(
    ["limits/cpu", "limits/memory", "requests/cpu", "requests/memory", "requests/ephemeral-storage"]),
    quoted=st.booleans())
def test_resource_quantities(state, pieces, where, quoted):
    """Any quantity in a container's resources: applied, or refused in one clean line with the
    store unchanged; never an internal error."""
    text = "".join(pieces)
    kind, res = where.split("/")
    value = json.dumps(text) if quoted else text
    doc = (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
           f"    resources:\n      {kind}:\n        {res}: {value}\n").encode("utf-8", "surrogatepass")
    _check(state, ["apply", "-f", "-"], doc, one_line=False)
    run_inprocess(["delete", "pod", "q", "--ignore-not-found"], state)
