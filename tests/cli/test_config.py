"""minikctl config ... and the --context global flag, through the CLI.

Each `config` command runs against a temporary config file; where the real kubectl 1.32 binary
is installed, the same command line runs with KUBECONFIG at an identical file and both answers
(stdout, stderr, exit code) and the files they leave must match byte for byte, kubectl's name
and file path aside (staging/src/k8s.io/kubectl/pkg/cmd/config/*.go).
"""

from __future__ import annotations

import os
import shlex
import subprocess

import pytest

from tests.conftest import run_inprocess

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
HAVE_KUBECTL = os.access(KUBECTL, os.X_OK)

SAMPLE = """apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster:
    server: file:///srv/minikctl/dev.db
- name: minikctl
  cluster:
    server: file:///srv/minikctl/state.db
contexts:
- name: dev
  context: {cluster: dev, user: dev, namespace: team}
- name: minikctl
  context: {cluster: minikctl, user: minikctl}
current-context: dev
users:
- name: dev
  user: {}
- name: minikctl
  user: {}
"""


@pytest.fixture
def env(tmp_path):
    """The environment of a user with no --state: config and data under tmp_path."""
    return {"MINIKCTL_STATE": "", "MINIKCTL_CONFIG": str(tmp_path / "mk" / "config"),
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_DATA_HOME": str(tmp_path / "xdg-data")}


@pytest.fixture
def mkc(env, state):
    def _run(cmd, input=None, extra=None):
        args = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        return run_inprocess(args, state, input, {**env, **(extra or {})})

    return _run


class Pair:
    """One config file for minikctl, one for kubectl, same content; run() runs a line on both."""

    def __init__(self, tmp_path, mkc, content: str | None):
        self.mk_path = tmp_path / "mk" / "config"
        self.k_path = tmp_path / "k" / "config"
        self.mk_path.parent.mkdir(exist_ok=True)
        self.k_path.parent.mkdir(exist_ok=True)
        if content is not None:
            self.mk_path.write_text(content)
            self.k_path.write_text(content)
        self.mkc = mkc

    def run(self, line: str):
        ours = self.mkc(line)
        if not HAVE_KUBECTL:
            return ours, None
        p = subprocess.run([KUBECTL, *shlex.split(line)], capture_output=True, text=True, timeout=60,
                           env={"PATH": os.environ.get("PATH", ""), "HOME": str(self.k_path.parent),
                                "KUBECONFIG": str(self.k_path)})
        theirs = (p.returncode, p.stdout.replace(str(self.k_path), str(self.mk_path)),
                  p.stderr.replace(str(self.k_path), str(self.mk_path)).replace("kubectl", "minikctl"))
        assert (ours.code, ours.out, ours.err) == theirs, line
        return ours, theirs

    def files_match(self):
        from minikctl.store import contexts

        assert contexts.fast_load(self.mk_path.read_text()) is not None  # no YAML import to resolve
        if HAVE_KUBECTL:
            assert self.mk_path.read_text() == self.k_path.read_text()


@pytest.fixture
def pair(tmp_path, mkc):
    return lambda content=None: Pair(tmp_path, mkc, content)


# ------------------------------------------------------------------ each subcommand vs kubectl
def test_no_config_file_view_and_tables(pair):
    p = pair()
    r, _ = p.run("config view")
    assert r.out == ('apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\n'
                     "preferences: {}\nusers: null\n")
    r, _ = p.run("config current-context")
    assert (r.code, r.err) == (1, "error: current-context is not set\n")
    r, _ = p.run("config get-contexts")
    assert r.out == "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n"
    p.run("config get-clusters")
    p.run("config get-users")
    assert not p.mk_path.exists()  # reading never creates the file


def test_view_of_a_config_as_kubectl_prints_it(pair):
    p = pair(SAMPLE)
    r, _ = p.run("config view")
    assert "    server: file:///srv/minikctl/dev.db\n  name: dev\n" in r.out
    assert "    namespace: team\n" in r.out
    p.run("config view -o json")
    p.run("config view --minify")
    p.run("config view --minify --context minikctl")
    p.run("config view --raw --flatten")
    p.run("config view -o jsonpath={.contexts[*].name}")
    r, _ = p.run("config view --minify -o jsonpath={.clusters[0].cluster.server}")
    assert r.out == "file:///srv/minikctl/dev.db"
    r, _ = p.run("config view --minify --context nope")
    assert (r.code, r.err) == (1, "error: cannot locate context nope\n")


FOREIGN = """apiVersion: v1
kind: Config
clusters:
- name: k
  cluster:
    server: https://1.2.3.4:6443
    certificate-authority-data: QUJD
    insecure-skip-tls-verify: false
    extensions:
    - name: cluster_info
      extension:
        provider: minikube.sigs.k8s.io
        version: v1.32.0
contexts:
- name: k
  context: {cluster: k, user: k, namespace: "123"}
current-context: k
preferences: {colors: true}
users:
- name: k
  user:
    client-certificate-data: QUJD
    client-key-data: QUJD
    token: abc
- name: p
  user:
    username: admin
    password: pw
"""


def test_view_of_a_foreign_kubeconfig_redacts_as_kubectl(pair):
    p = pair(FOREIGN)
    r, _ = p.run("config view")
    assert "    client-key-data: DATA+OMITTED\n" in r.out and "    token: REDACTED\n" in r.out
    r, _ = p.run("config view --raw")
    assert "    token: abc\n" in r.out
    p.run("config view -o json")
    p.run("config get-contexts")


def test_a_network_server_cannot_be_a_store(mkc, env):
    os.makedirs(os.path.dirname(env["MINIKCTL_CONFIG"]))
    with open(env["MINIKCTL_CONFIG"], "w") as f:
        f.write(FOREIGN)
    r = mkc("get pods")
    assert (r.code, r.out) == (1, "")
    assert r.err == ('error: cluster "k" has server "https://1.2.3.4:6443": minikctl works on a store file '
                     "(server: file:///PATH/TO/STORE.db), it has no API server to reach\n")


def test_get_contexts_table_names_and_errors(pair):
    p = pair(SAMPLE)
    r, _ = p.run("config get-contexts")
    assert r.out == ("CURRENT   NAME       CLUSTER    AUTHINFO   NAMESPACE\n"
                     "*         dev        dev        dev        team\n"
                     "          minikctl   minikctl   minikctl   \n")
    p.run("config get-contexts minikctl")
    p.run("config get-contexts -o name")
    p.run("config get-contexts --no-headers")
    r, _ = p.run("config get-contexts zz")
    assert (r.code, r.err) == (1, "error: context zz not found\n")
    r, _ = p.run("config get-contexts -o wide")
    assert r.code == 1
    r, _ = p.run("config get-contexts x y")
    assert r.err == "context x not found\ncontext y not found\n"
    p.run("config get-contexts dev x")


def test_view_flag_and_format_errors(pair):
    p = pair(SAMPLE)
    p.run("config view --merge=bogus")
    p.run("config view -o wide")
    p.run("config view -o jsonpath={.bogus}")
    r, _ = p.run("config view --minify -o jsonpath={.contexts[0].context.namespace} --allow-missing-template-keys=false")
    assert r.out == "team"
    p.run("config view --context minikctl --minify -o jsonpath={.contexts[0].context.namespace} "
          "--allow-missing-template-keys=false")


def test_use_set_rename_delete_context_as_kubectl(pair):
    p = pair()
    r, _ = p.run("config set-context a --cluster=ca --namespace=ns1")
    assert r.out == 'Context "a" created.\n'
    p.run("config set-context b")
    r, _ = p.run("config set-context --current --namespace=foo")
    assert (r.code, r.err) == (1, "error: no current context is set\n")
    r, _ = p.run("config use-context a")
    assert r.out == 'Switched to context "a".\n'
    r, _ = p.run("config use-context zz")
    assert (r.code, r.err) == (1, 'error: no context exists with the name: "zz"\n')
    r, _ = p.run("config set-context --current --namespace=foo")
    assert r.out == 'Context "a" modified.\n'
    p.run("config set-context a --current")
    p.run("config set-context")
    r, _ = p.run("config rename-context b c")
    assert r.out == 'Context "b" renamed to "c".\n'
    p.run("config rename-context zz y")
    p.run("config rename-context a c")
    p.run("config get-contexts")
    p.run("config current-context")
    r, _ = p.run("config delete-context a")
    assert r.out == f"deleted context a from {p.mk_path}\n"
    assert r.err == ('warning: this removed your active context, use "minikctl config use-context" '
                     "to select a different one\n")
    r, _ = p.run("config delete-context a")
    assert (r.code, r.err) == (1, f"error: cannot delete context a, not in {p.mk_path}\n")
    p.run("config current-context")  # still names the deleted context, as kubectl leaves it
    p.run("config view")
    p.files_match()


def test_clusters_and_users_as_kubectl(pair):
    p = pair()
    r, _ = p.run("config set-cluster c1 --server=file:///tmp/x.db")
    assert r.out == 'Cluster "c1" set.\n'
    p.run("config set-cluster c1 --server=file:///tmp/y.db")
    p.run("config set-credentials u")
    p.run("config get-clusters")
    p.run("config get-users")
    p.run("config view")
    p.run("config delete-user u")
    p.run("config delete-cluster c1")
    p.run("config delete-cluster c1")
    p.files_match()


def test_bad_config_file_is_one_error_line(mkc, env):
    os.makedirs(os.path.dirname(env["MINIKCTL_CONFIG"]))
    with open(env["MINIKCTL_CONFIG"], "w") as f:
        f.write("apiVersion: v1\nkind: Config\ncontexts: [\n")
    r = mkc("config view")
    assert r.code == 1 and r.err.startswith(f'error: error loading config file "{env["MINIKCTL_CONFIG"]}": yaml: ')
    assert r.err.count("\n") == 1
    r = mkc("get pods")
    assert r.code == 1 and r.err.startswith("error: error loading config file")


def test_set_cluster_refuses_a_network_server(mkc, env):
    r = mkc("config set-cluster c --server=https://1.2.3.4")
    assert r.code == 1 and "file:///PATH/TO/STORE.db" in r.err
    assert not os.path.exists(env["MINIKCTL_CONFIG"])


# ------------------------------------------------------------------ contexts select stores
def test_cluster_create_name_makes_a_context_with_its_own_store(mkc, env):
    r = mkc("cluster create --name dev --clock manual")
    assert r.code == 0, r
    store = os.path.join(env["XDG_DATA_HOME"], "minikctl", "dev.db")
    assert r.out.startswith(f'cluster "dev" created in {store} ')
    assert r.out.endswith('Switched to context "dev".\n')
    r = mkc("config get-contexts")
    assert r.out == ("CURRENT   NAME       CLUSTER    AUTHINFO   NAMESPACE\n"
                     "*         dev        dev        dev        \n"
                     "          minikctl   minikctl   minikctl   \n")
    r = mkc("config view --minify -o jsonpath={.clusters[0].cluster.server}")
    assert r.out == "file://" + store
    assert mkc("create deploy web --image=nginx").code == 0
    assert mkc("get deploy -o name").out == "deployment.apps/web\n"
    # the default cluster (state.db) is another store: it does not have web
    r = mkc("--context minikctl get deploy")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")
    assert os.path.exists(os.path.join(env["XDG_DATA_HOME"], "minikctl", "state.db"))
    assert mkc("config use-context minikctl").code == 0
    assert mkc("get deploy").out == ""
    assert mkc("get deploy --context=dev -o name").out == "deployment.apps/web\n"


def test_context_namespace_is_the_default_and_n_wins(mkc):
    assert mkc("cluster create --name dev --clock manual").code == 0
    assert mkc("create ns team").code == 0
    assert mkc("config set-context --current --namespace=team").out == 'Context "dev" modified.\n'
    r = mkc("create deploy web --image=nginx")
    assert r.out == "deployment.apps/web created\n"
    assert mkc("get deploy -o name").out == "deployment.apps/web\n"
    assert mkc("get deploy -n team -o name").out == "deployment.apps/web\n"
    r = mkc("get deploy -n default")
    assert (r.out, r.err) == ("", "No resources found in default namespace.\n")
    assert mkc("get deploy -o jsonpath={.items[0].metadata.namespace}").out == "team"
    # a context with no cluster: the default store, with its namespace
    assert mkc("config set-context other --namespace=kube-system").code == 0
    r = mkc("--context other get deploy -o name")
    assert r.out == "deployment.apps/coredns\n"


def test_unknown_context_is_refused_before_anything_runs(mkc, env):
    r = mkc("--context nope get pods")
    assert (r.code, r.out, r.err) == (1, "", "Error in configuration: context was not found for specified context: nope\n")
    assert not os.path.exists(os.path.join(env["XDG_DATA_HOME"], "minikctl"))
    # a current-context the file does not define, as kubectl
    assert mkc("config set-context a").code == 0
    assert mkc("config use-context a").code == 0
    assert mkc("config delete-context a").code == 0
    r = mkc("get pods")
    assert (r.code, r.err) == (1, "Error in configuration: context was not found for specified context: a\n")


def test_state_overrides_the_context_store(mkc, env, state, tmp_path):
    assert mkc("cluster create --name dev --clock manual").code == 0
    assert mkc("create ns team").code == 0
    assert mkc("config set-context dev --namespace=team").code == 0
    other = str(tmp_path / "other.db")
    assert mkc(f"--state {other} cluster create --clock manual").code == 0
    # --state: that store; the config file is not read (no context namespace either)
    r = mkc(f"--state {other} get ns team")
    assert r.code == 1 and 'namespaces "team" not found' in r.err
    r = mkc(f"--state {other} create deploy a --image=nginx")
    assert r.out == "deployment.apps/a created\n"
    assert mkc(f"--state {other} get deploy -n default -o name").out == "deployment.apps/a\n"
    # $MINIKCTL_STATE likewise
    r = mkc("get deploy -o name", extra={"MINIKCTL_STATE": other})
    assert r.out == "deployment.apps/a\n"
    # with --context too: the store of --state, the namespace of the context
    r = mkc(f"--state {other} --context dev get deploy")
    assert r.err == "No resources found in team namespace.\n"


def test_no_config_file_keeps_the_default_store(mkc, env):
    r = mkc("cluster create --clock manual")
    assert r.code == 0
    assert f"created in {os.path.join(env['XDG_DATA_HOME'], 'minikctl', 'state.db')} " in r.out
    assert mkc("create deploy web --image=nginx").code == 0
    assert mkc("get deploy -o name").out == "deployment.apps/web\n"
    assert not os.path.exists(env["MINIKCTL_CONFIG"])
    assert not os.path.exists(os.path.join(env["XDG_CONFIG_HOME"], "minikctl"))


def test_config_path_defaults_to_xdg_config_home(mkc, env):
    e = {"MINIKCTL_CONFIG": ""}
    assert mkc("config set-context a", extra=e).code == 0
    path = os.path.join(env["XDG_CONFIG_HOME"], "minikctl", "config")
    assert os.path.exists(path)
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert mkc("config get-contexts -o name", extra=e).out == "a\n"
    assert mkc("config get-contexts -o name").out == ""  # $MINIKCTL_CONFIG names another file
    assert mkc(f"--kubeconfig {path} config get-contexts -o name").out == "a\n"


def test_cluster_create_with_state_leaves_the_config_alone(cluster, tmp_path):
    # the test fixtures' $MINIKCTL_STATE: --name only names the nodes, no context is written
    r = cluster("cluster create --name other", env={"MINIKCTL_CONFIG": str(tmp_path / "cfg")})
    assert r.code == 1
    assert not (tmp_path / "cfg").exists()


@pytest.mark.skipif(not HAVE_KUBECTL, reason="kubectl 1.32 not installed")
def test_kubectl_reads_the_file_minikctl_writes(mkc, env):
    assert mkc("cluster create --name dev --clock manual").code == 0
    assert mkc("config set-context --current --namespace=team").code == 0
    ours = mkc("config view")
    p = subprocess.run([KUBECTL, "config", "view"], capture_output=True, text=True, timeout=60,
                       env={"PATH": os.environ.get("PATH", ""), "KUBECONFIG": env["MINIKCTL_CONFIG"]})
    assert (p.returncode, p.stdout) == (0, ours.out)
    with open(env["MINIKCTL_CONFIG"]) as f:
        assert f.read() == ours.out  # the file is what view prints


def test_completion_of_context_names(mkc):
    assert mkc("config set-context alpha").code == 0
    assert mkc("config set-context beta").code == 0
    r = mkc(["__complete", "--", "config", "use-context", ""])
    assert "alpha" in r.out.split() and "beta" in r.out.split()
    r = mkc(["__complete", "--", "get", "pods", "--context", "al"])
    assert "alpha" in r.out.split()




def test_completion_reads_the_store_and_namespace_of_the_context(mkc):
    assert mkc("cluster create --name dev --clock manual").code == 0
    assert mkc("create ns team").code == 0
    assert mkc("config set-context dev --namespace=team").code == 0
    assert mkc("create deploy web --image=nginx").code == 0
    assert "web" in mkc(["__complete", "--", "get", "deploy", ""]).out.split()
    assert "web" not in mkc(["__complete", "--", "--context", "minikctl", "get", "deploy", ""]).out.split()
    assert "web" not in mkc(["__complete", "--", "get", "deploy", "-n", "default", ""]).out.split()


def test_cluster_delete_of_a_named_cluster_forgets_its_context(mkc, env):
    assert mkc("cluster create --name dev --clock manual").code == 0
    store = os.path.join(env["XDG_DATA_HOME"], "minikctl", "dev.db")
    r = mkc("cluster delete")
    assert r.out == f"cluster deleted ({store})\ndeleted context dev from {env['MINIKCTL_CONFIG']}\n"
    assert not os.path.exists(store)
    assert mkc("config current-context").out == "minikctl\n"
    assert mkc("config get-contexts -o name").out == "minikctl\n"
    assert mkc("config get-clusters").out == "NAME\nminikctl\n"
    assert mkc("config get-users").out == "NAME\nminikctl\n"


def _full(text, tmp_path):
    from minikctl.store import contexts

    p = tmp_path / "full"
    p.write_text(text)
    cfg = contexts.load(str(p))
    return {k: cfg[k] for k in ("clusters", "contexts", "current-context")}


def test_fast_reader_agrees_with_the_yaml_loader_or_steps_aside(mkc, env, tmp_path):
    """Resolving a context reads the file without importing a YAML parser when it is in the
    layout kubectl and minikctl write; any other YAML goes to the loader."""
    from minikctl.store import contexts

    assert mkc("cluster create --name dev --clock manual").code == 0
    assert mkc("config set-context --current --namespace=team").code == 0
    assert mkc('config set-context "odd name" --namespace=123 --cluster=true').code == 0
    assert mkc("config set-cluster x '--server=file:///a: b/c #d.db'").code == 0
    text = open(env["MINIKCTL_CONFIG"]).read()
    fast = contexts.fast_load(text)
    assert fast is not None
    assert {k: fast[k] for k in ("clusters", "contexts", "current-context")} == _full(text, tmp_path)
    assert contexts.fast_load(SAMPLE) is None  # flow mappings: the YAML loader's job
    for odd in ("current-context: &a x\n", "contexts:\n- context:\n    cluster: 'a'b'\n  name: a\n",
                "clusters:\n- cluster:\n    extensions:\n    - name: x\n  name: a\n", "contexts: [a]\n",
                "current-context: a\ncurrent-context: b\n", "current-context: |\n  x\n"):
        assert contexts.fast_load(odd) is None, odd


def test_state_given_the_config_file_is_not_read(mkc, env, tmp_path):
    """--state / $MINIKCTL_STATE without --context: not even a broken config file matters."""
    os.makedirs(os.path.dirname(env["MINIKCTL_CONFIG"]))
    with open(env["MINIKCTL_CONFIG"], "w") as f:
        f.write("contexts: [\n")
    other = str(tmp_path / "other.db")
    assert mkc(f"--state {other} cluster create --clock manual").code == 0
    r = mkc(f"--state {other} get ns default -o name")
    assert (r.code, r.out, r.err) == (0, "namespace/default\n", "")
    r = mkc("get ns default -o name", extra={"MINIKCTL_STATE": other})
    assert (r.code, r.out, r.err) == (0, "namespace/default\n", "")
    r = mkc(f"--state {other} --context x get ns")
    assert r.code == 1 and r.err.startswith("error: error loading config file")


def test_set_unset_and_credentials_as_kubectl(pair):
    """config set / unset (set.go, unset.go: a dot-delimited path; a new entry's name runs up to the first
    field name, `contexts.x.y.cluster` names context "x.y") and set-credentials' credential flags
    (create_authinfo.go: a token clears basic auth and the other way round). Issue 12 (w-parity)."""
    p = pair(SAMPLE)
    r, _ = p.run("config set contexts.dev.namespace other")
    assert (r.code, r.out) == (0, 'Property "contexts.dev.namespace" set.\n')
    p.run("config set contexts.x.y.cluster dev")
    p.run("config set clusters.dev.insecure-skip-tls-verify true")
    p.run("config set current-context minikctl")
    p.run("config set users.dev.client-key-data hello --set-raw-bytes")
    r, _ = p.run("config unset contexts.minikctl")
    assert (r.code, r.out) == (0, 'Property "contexts.minikctl" unset.\n')
    p.run("config unset contexts.dev.namespace")
    p.run("config unset current-context")
    r, _ = p.run("config set-credentials dev --token=abc")
    assert r.out == 'User "dev" set.\n'
    p.run("config set-credentials dev --username=u --password=pw")
    p.run("config view --raw")
    p.files_match()
    text = p.mk_path.read_text()
    assert "name: x.y" in text and "client-key-data: aGVsbG8=" in text and "token" not in text
