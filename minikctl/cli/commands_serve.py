"""issue 14: `minikctl serve`, the API server mode. Added to the one command table (see commands.py)."""

from __future__ import annotations

from minikctl.cli.commands import _add
from minikctl.cli.parser import Command, Flag

_add(Command(
    "serve", "cmd_serve:run", "Serve the Kubernetes API of this cluster to kubectl and client libraries",
    "minikctl serve [--address 127.0.0.1] [--port 6443] [--kubeconfig FILE] [--insecure-http] [--users alice,bob] "
    "[--merge-kubeconfig]",
    (Flag(("--address",), "address", "str", "127.0.0.1", "the IP address to listen on"),
     Flag(("--port",), "port", "str", "6443", "the port to listen on (0: a free port the system picks)"),
     Flag(("--kubeconfig",), "kubeconfig_out", "str", None,
          "the kubeconfig file to write (context minikctl, the cluster's CA, a bearer token) once the server "
          "accepts connections (default: the state file's path + .kubeconfig)"),
     Flag(("--insecure-http",), "insecure_http", "bool", False,
          "serve plain HTTP instead of HTTPS (local experiments only: the token travels in clear)"),
     Flag(("--users",), "users", "str", None,
          "comma-separated students: each gets a token, a namespace of their name where they may do everything "
          "(a RoleBinding to the admin ClusterRole) and a kubeconfig FILE-NAME beside the admin's"),
     Flag(("--merge-kubeconfig",), "merge_kubeconfig", "bool", False,
          "also merge the cluster, user and context minikctl into $KUBECONFIG's first file or ~/.kube/config "
          "and make minikctl its current context (never touched otherwise)"))))
