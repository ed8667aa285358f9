"""explain and api-versions through the CLI (issue 12).

Expected texts are kubectl 1.32's own output against a server serving the same Kubernetes 1.32 OpenAPI v3
documents (tests/unit/test_explain_kubectl.py runs that comparison live when the binary is installed):
staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go, pkg/explain/explain.go and
pkg/explain/v2/templates/plaintext.tmpl.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PORTS = (
    'KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <[]ContainerPort>\n\n\nDESCRIPTION:\n    List of ports to expose '
    'from the container. Not specifying a port here DOES\n    NOT prevent that port from being exposed. Any port which '
    'is listening on the\n    default "0.0.0.0" address inside a container will be accessible from the\n    network. '
    'Modifying this array with strategic merge patch may corrupt the\n    data. For more information See\n    '
    'https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.\n    ContainerPort represents a network '
    'port in a single container.\n    \nFIELDS:\n  containerPort\t<integer> -required-\n    Number of port to expose on '
    "the pod's IP address. This must be a valid port\n    number, 0 < x < 65536.\n\n  hostIP\t<string>\n    What host "
    "IP to bind the external port to.\n\n  hostPort\t<integer>\n    Number of port to expose on the host. If specified, "
    "this must be a valid\n    port number, 0 < x < 65536. If HostNetwork is specified, this must match\n    "
    "ContainerPort. Most containers do not need this.\n\n  name\t<string>\n    If specified, this must be an "
    "IANA_SVC_NAME and unique within the pod. Each\n    named port in a pod must have a unique name. Name for the port "
    'that can be\n    referred to by services.\n\n  protocol\t<string>\n    Protocol for port. Must be UDP, TCP, or '
    'SCTP. Defaults to "TCP".\n\n\n')

STRATEGY_RECURSIVE = (
    "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n\n\n"
    "DESCRIPTION:\n    The deployment strategy to use to replace existing pods with new ones.\n    DeploymentStrategy "
    "describes how to replace existing pods with new ones.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n"
    "    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n\n")


def test_explain_field_of_an_array_of_objects(mk, state):
    r = mk("explain pods.spec.containers.ports")
    assert (r.code, r.out, r.err) == (0, PORTS, "")
    assert not os.path.exists(state)  # explain asks discovery and /openapi/v3, never the store


@pytest.mark.parametrize("arg", ["deployments.spec.strategy", "deploy.spec.strategy", "deployments.apps.spec.strategy",
                                 "Deployment.spec.strategy"])
def test_explain_recursive_and_resource_aliases(mk, arg):
    r = mk(f"explain {arg} --recursive")
    assert (r.code, r.out, r.err) == (0, STRATEGY_RECURSIVE, "")


def test_explain_same_with_api_version(mk):
    r = mk("explain deployments.spec.strategy --recursive --api-version=apps/v1")
    assert (r.code, r.out, r.err) == (0, STRATEGY_RECURSIVE, "")


def test_explain_kind_header_and_fields(mk):
    r = mk("explain cronjobs")
    assert r.code == 0, r
    assert r.out.startswith("GROUP:      batch\nKIND:       CronJob\nVERSION:    v1\n\nDESCRIPTION:\n"
                            "    CronJob represents the configuration of a single cron job.\n    \nFIELDS:\n"
                            "  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation "
                            "of an object.\n    Servers should convert recognized schemas to the latest internal value, "
                            "and\n")
    assert "\n  spec\t<CronJobSpec>\n" in r.out and r.out.endswith("\n\n\n")


def test_explain_unknown_field_prints_the_header_then_the_error(mk):
    # kubectl's template writes to stdout while it runs: the header is out before the error
    r = mk("explain pods.spec.foo.bar")
    assert (r.code, r.out, r.err) == (1, "KIND:       Pod\nVERSION:    v1\n\n", 'error: field "bar" does not exist\n')
    r = mk("explain deployments.v1.apps")
    assert (r.code, r.err) == (1, 'error: field "apps" does not exist\n')
    assert r.out == "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"


@pytest.mark.parametrize("line,err", [
    ("explain foo", 'the server doesn\'t have a resource type "foo"\n'),
    ("explain", 'error: You must specify the type of resource to explain. Use "minikctl api-resources" for a complete '
                "list of supported resources.\n"),
    ("explain pods svc", "error: We accept only this format: explain RESOURCE\n"),
    ("explain pods -o json", "error: unrecognized format: json\n"),
    ("explain pods --api-version=v2", 'error: couldn\'t find resource for "/v2, Resource=pods"\n'),
    ("explain deployments --api-version=apps/v1beta1",
     'error: couldn\'t find resource for "apps/v1beta1, Resource=deployments"\n'),
    ("explain svc --api-version=apps/v1", "error: GVR (apps/v1, Resource=services) not found in OpenAPI schema\n"),
    ("explain pods --api-version=a/b/c", "error: unexpected GroupVersion string: a/b/c\n"),
    ("explain pods.spec.containers[0]", "error: invalid jsonpath syntax, first node must be field node\n"),
    ("explain pods.spec.containers[0] --api-version=v1",
     "error: invalid jsonpath syntax, all nodes must be field nodes\n"),
    ("explain pods.spec.{x}", "error: unrecognized character in action: U+007B '{'\n"),
    ("explain pods --recursive=maybe", 'error: invalid argument "maybe" for "--recursive" flag: strconv.ParseBool: '
                                       "parsing \"maybe\": invalid syntax\nSee 'minikctl explain --help' for usage.\n"),
])
def test_explain_errors(mk, line, err):
    r = mk(line)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_explain_openapiv2_output_is_refused_plainly(mk):
    r = mk("explain pods -o plaintext-openapiv2")
    assert r.code == 1 and r.out == ""
    assert r.err == ("error: --output=plaintext-openapiv2 is not supported: minikctl's API server serves the OpenAPI "
                     "v3 schema only (use the default --output=plaintext)\n")


def test_api_versions(mk):
    r = mk("api-versions")
    assert (r.code, r.out, r.err) == (
        0, "apps/v1\nauthentication.k8s.io/v1\nauthorization.k8s.io/v1\nautoscaling/v1\nautoscaling/v2\nbatch/v1\n"
           "discovery.k8s.io/v1\nnetworking.k8s.io/v1\npolicy/v1\n"
           "rbac.authorization.k8s.io/v1\nscheduling.k8s.io/v1\nstorage.k8s.io/v1\nv1\n", "")  # autoscaling (w-hpa), rbac (w-rollout), scheduling (w-quota), the reviews (w-auth)
    r = mk("api-versions x")
    assert (r.code, r.out, r.err) == (
        1, "", "error: unexpected arguments: [x]\nSee 'minikctl api-versions -h' for help and examples\n")


def test_api_resources_wide_and_filters(mk):
    r = mk("api-resources -o wide --api-group=")
    assert r.code == 0, r
    assert r.lines[0] == ("NAME                     SHORTNAMES   APIVERSION   NAMESPACED   KIND                    "
                          "VERBS                                                        CATEGORIES")
    assert "namespaces               ns           v1           false        Namespace               " \
           "create,delete,get,list,patch,update,watch                    " in r.lines
    assert "pods                     po           v1           true         Pod                     " \
           "create,delete,deletecollection,get,list,patch,update,watch   all" in r.lines
    assert all(" v1 " in line for line in r.lines[1:])
    r = mk("api-resources --namespaced=false -o name")
    assert r.out == ("namespaces\nnodes\npersistentvolumes\nselfsubjectreviews.authentication.k8s.io\n"
                     "tokenreviews.authentication.k8s.io\nselfsubjectaccessreviews.authorization.k8s.io\n"
                     "selfsubjectrulesreviews.authorization.k8s.io\nsubjectaccessreviews.authorization.k8s.io\n"
                     "ingressclasses.networking.k8s.io\n"
                     "clusterrolebindings.rbac.authorization.k8s.io\nclusterroles.rbac.authorization.k8s.io\n"
                     "priorityclasses.scheduling.k8s.io\n"
                     "storageclasses.storage.k8s.io\n")
    r = mk("api-resources --api-group=batch --no-headers")
    assert r.out == "cronjobs   cj    batch/v1   true   CronJob\njobs             batch/v1   true   Job\n"
    r = mk("api-resources --sort-by=age")
    assert (r.code, r.err) == (1, "error: --sort-by accepts only name or kind\n")


def test_every_served_kind_has_its_shipped_schema():
    """A kind added to api/kinds.py needs its group-version in tools/openapi_v3.py (then run it)."""
    from minikctl.api import kinds as K
    from minikctl.api import openapi

    missing = [k.kind for k in K.KINDS if openapi.schema_for_kind(k.group, k.version, k.kind) is None]
    assert missing == []


def test_the_shipped_schema_is_kubernetes_1_32():
    from minikctl.api import openapi

    schemas = openapi.document("api/v1")["components"]["schemas"]
    assert "resources" in schemas["io.k8s.api.core.v1.PodSpec"]["properties"]  # new in 1.32 (alpha)
    assert "stopSignal" not in schemas["io.k8s.api.core.v1.Lifecycle"]["properties"]  # new in 1.33
    assert "hostnameOverride" not in schemas["io.k8s.api.core.v1.PodSpec"]["properties"]  # new in 1.34


def test_other_commands_do_not_load_the_schema(tmp_path):
    """explain's data stays off every other command's start-up path."""
    code = ("import sys; from minikctl.cli.app import main; main(['get', 'pods', '-A']); "
            "print(sorted(m for m in sys.modules if m in ('minikctl.api.openapi', 'minikctl.printers.explain', "
            "'minikctl.cli.cmd_explain', 'gzip')))")
    env = dict(os.environ, MINIKCTL_STATE=str(tmp_path / "s.db"),
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert p.stdout.strip().splitlines()[-1] == "[]", p
