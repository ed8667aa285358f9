"""`apply -f` of several documents, as kubectl 1.32 (kubectl/pkg/cmd/apply/apply.go Run): each
document is applied on its own; what the server refuses is collected, the rest is written and
printed; one error is printed as kubectl prints it alone, several one per line
(utilerrors.NewAggregate, cmdutil.CheckErr's MultipleErrors); exit 1. A syntax error or a
client-side validation error ends its file's stream (cli-runtime StreamVisitor): the documents
before it are applied, those after it are not, and it is printed before the server's errors.

Expected texts: kubectl 1.32 against `minikctl serve` with the same files (the lines of a YAML
syntax error keep minikctl's FILE:LINE form, tests/cli/test_bad_input.py)."""

from __future__ import annotations

from conftest import write
from tests.helpers import store_snapshot


def cm(name: str, extra: str = "") -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{extra}"


BAD_DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nodeploy
spec:
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: y}
    spec:
      containers: [{name: c, image: nginx}]
"""

INVALID = ('ConfigMap "Bad_One" is invalid: metadata.name: Invalid value: "Bad_One": a lowercase RFC 1123 '
           "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
           "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
DEPLOY_ERR = ('Error from server (BadRequest): error when creating "{f}": Deployment in version "v1" cannot be '
              "handled as a Deployment: json: cannot unmarshal bool into Go struct field "
              "ObjectMeta.spec.template.metadata.labels of type string\n")


def names(mk) -> list[str]:
    return [n for n in mk("get cm,deploy -o name").out.split() if n != "configmap/kube-root-ca.crt"]


def test_one_refused_document_the_others_are_applied(cluster, tmp_path):
    f = write(tmp_path, "two.yaml", "---\n".join([cm("good"), cm("Bad_One"), cm("good2")]))
    r = cluster("apply -f two.yaml".replace("two.yaml", f))
    assert (r.code, r.out, r.err) == (1, "configmap/good created\nconfigmap/good2 created\n", f"The {INVALID}\n")
    assert names(cluster) == ["configmap/good", "configmap/good2"]


def test_several_refused_documents_one_line_each(cluster, tmp_path):
    f = write(tmp_path, "twobad.yaml", "---\n".join([cm("Bad_One"), cm("good"), BAD_DEPLOY]))
    r = cluster(f"apply -f {f}")
    err = f'Error from server (Invalid): error when creating "{f}": {INVALID}\n' + DEPLOY_ERR.format(f=f)
    assert (r.code, r.out, r.err) == (1, "configmap/good created\n", err)
    assert names(cluster) == ["configmap/good"]


def test_errors_with_output_name_and_yaml(cluster, tmp_path):
    f = write(tmp_path, "twobad.yaml", "---\n".join([cm("Bad_One"), cm("good"), BAD_DEPLOY]))
    err = f'Error from server (Invalid): error when creating "{f}": {INVALID}\n' + DEPLOY_ERR.format(f=f)
    r = cluster(f"apply -f {f} -o name")
    assert (r.code, r.out, r.err) == (1, "configmap/good\n", err)
    # -o yaml prints the objects after they are all applied (printObjects): not when one failed
    r = cluster(f"apply -f {f} -o yaml")
    assert (r.code, r.out, r.err) == (1, "", err)


def test_server_dry_run_goes_on_too(cluster, state, tmp_path):
    f = write(tmp_path, "twobad.yaml", "---\n".join([cm("Bad_One"), cm("good"), BAD_DEPLOY]))
    before = store_snapshot(state)
    r = cluster(f"apply -f {f} --dry-run=server")
    err = f'Error from server (Invalid): error when creating "{f}": {INVALID}\n' + DEPLOY_ERR.format(f=f)
    assert (r.code, r.out, r.err) == (1, "configmap/good created (server dry run)\n", err)
    assert store_snapshot(state) == before


def test_client_dry_run_sends_nothing_so_the_server_checks_nothing(cluster, state, tmp_path):
    f = write(tmp_path, "uf.yaml", "---\n".join([cm("good"), cm("uf", "bogus: 1\n"), cm("Bad_One"), BAD_DEPLOY]))
    before = store_snapshot(state)
    r = cluster(f"apply -f {f} --dry-run=client")
    assert (r.code, r.err) == (0, "")
    assert r.out == ("configmap/good created (dry run)\nconfigmap/uf created (dry run)\n"
                     "configmap/Bad_One created (dry run)\ndeployment.apps/nodeploy created (dry run)\n")
    assert store_snapshot(state) == before


def test_unknown_field_refuses_that_document_only(cluster, tmp_path):
    f = write(tmp_path, "uf.yaml", "---\n".join([cm("good"), cm("uf", "bogus: 1\n"), cm("good2")]))
    r = cluster(f"apply -f {f}")
    assert (r.code, r.out) == (1, "configmap/good created\nconfigmap/good2 created\n")
    assert r.err == (f'Error from server (BadRequest): error when creating "{f}": ConfigMap in version "v1" '
                     'cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n')
    assert names(cluster) == ["configmap/good", "configmap/good2"]


def test_syntax_error_ends_the_file_documents_before_it_are_applied(cluster, tmp_path):
    f = write(tmp_path, "parse.yaml", "---\n".join([cm("good"), cm("bad", "  labels: [oops\n"), cm("good2")]))
    r = cluster(f"apply -f {f}")
    assert (r.code, r.out) == (1, "configmap/good created\n")
    assert r.err == f"error: {f}:11: error converting YAML to JSON: yaml: line 11: did not find expected ',' or ']'\n"
    assert names(cluster) == ["configmap/good"]


def test_kind_not_set_ends_the_file(cluster, tmp_path):
    f = write(tmp_path, "nokind.yaml", "---\n".join([cm("good"), "apiVersion: v1\nmetadata:\n  name: nokind\n",
                                                      cm("good2")]))
    r = cluster(f"apply -f {f}")
    assert (r.code, r.out) == (1, "configmap/good created\n")
    assert r.err == (f'error: {f}:6: error validating "{f}": error validating data: kind not set; if you choose '
                     "to ignore these errors, turn validation off with --validate=false\n")
    assert names(cluster) == ["configmap/good"]


def test_reading_errors_come_before_the_servers(cluster, tmp_path):
    f = write(tmp_path, "mix.yaml", "---\n".join([cm("Bad_One"), cm("good"), "apiVersion: v1\nkind: ConfigMap\n"
                                                  "metadata: {name: bad\n"]))
    r = cluster(f"apply -f {f}")
    assert (r.code, r.out) == (1, "configmap/good created\n")
    # in an aggregate a client-side error has no "error: " prefix (cmdutil.MultipleErrors)
    assert r.err == (f"{f}:13: error converting YAML to JSON: yaml: line 13: did not find expected ',' or '}}'\n"
                     f'Error from server (Invalid): error when creating "{f}": {INVALID}\n')


def test_a_refused_document_alone_changes_nothing(cluster, state, tmp_path):
    f = write(tmp_path, "bad.yaml", cm("Bad_One") + "---\n" + BAD_DEPLOY)
    before = store_snapshot(state)
    r = cluster(f"apply -f {f}")
    assert r.code == 1 and r.out == ""
    assert store_snapshot(state) == before


def test_create_each_object_on_its_own(cluster, tmp_path):
    # create.go RunCreate: r.Visit with ContinueOnError: the refused object is reported, the rest created
    f = write(tmp_path, "twobad.yaml", "---\n".join([cm("Bad_One"), cm("good"), BAD_DEPLOY]))
    r = cluster(f"create -f {f}")
    err = f'Error from server (Invalid): error when creating "{f}": {INVALID}\n' + DEPLOY_ERR.format(f=f)
    assert (r.code, r.out, r.err) == (1, "configmap/good created\n", err)
    assert names(cluster) == ["configmap/good"]


def test_create_client_dry_run_checks_no_fields(cluster, tmp_path):
    # nothing is sent, so the server's strict decoding does not run (kubectl prints the object as is)
    f = write(tmp_path, "uf.yaml", cm("uf", "bogus: 1\n"))
    r = cluster(f"create -f {f} --dry-run=client --validate=strict -o name")
    assert (r.code, r.out, r.err) == (0, "configmap/uf\n", "")


def test_directory_paths_are_clean(cluster, tmp_path, monkeypatch):
    # filepath.Walk joins and cleans: ./a.yaml is a.yaml in kubectl's messages
    (tmp_path / "d").mkdir()
    write(tmp_path, "d/a.yaml", cm("uf", "bogus: 1\n"))
    monkeypatch.chdir(tmp_path / "d")
    r = cluster("apply -f .")
    assert r.err.startswith('Error from server (BadRequest): error when creating "a.yaml": ')


def test_apply_argument_errors(cluster, tmp_path):
    f = write(tmp_path, "a.yaml", cm("a"))
    r = cluster(f"apply extra -f {f}")  # apply.go validateArgs
    assert (r.code, r.out, r.err) == (1, "", "error: Unexpected args: [extra]\nSee 'minikctl apply -h' for help and examples\n")
    r = cluster(f"apply -f {f} --prune")  # apply.go validatePruneAll
    assert (r.code, r.out) == (1, "") and r.err.startswith("error: all resources selected for prune without explicitly passing --all.")


def test_validate_false_kind_missing_is_the_decoders_error(cluster, tmp_path):
    # no schema check with --validate=false: the decoder's runtime.NewMissingKindErr, and the stream goes on
    f = write(tmp_path, "nokind.yaml", "apiVersion: v1\nmetadata:\n  name: nokind\ndata:\n  a: \"1\"\n---\n" + cm("good"))
    r = cluster(f"apply -f {f} --validate=false")
    assert (r.code, r.out) == (1, "configmap/good created\n")
    assert r.err == (f"error: unable to decode \"{f}\": Object 'Kind' is missing in "
                     """'{"apiVersion":"v1","data":{"a":"1"},"metadata":{"name":"nokind"}}'\n""")
