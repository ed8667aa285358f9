"""The `config` command (kubectl config ...), added to the one command table (see commands.py).
Help texts are kubectl 1.32's (staging/src/k8s.io/kubectl/pkg/cmd/config/*.go)."""

from __future__ import annotations

from minikctl.cli.commands import NO_HEADERS, _add
from minikctl.cli.parser import Command, Flag

_OUT_VIEW = Flag(("-o", "--output"), "output", "str", "yaml",
                 "output format: json|yaml|name|jsonpath=...|jsonpath-file=...|jsonpath-as-json=...")
_TEMPLATE_KEYS = Flag(("--allow-missing-template-keys",), "allow_missing_template_keys", "bool", True,
                      "ignore errors in templates when a field or map key is missing")

_add(Command(
    "config", "cmd_config:help", "Modify kubeconfig files",
    "minikctl config SUBCOMMAND", subcommands={
        "current-context": Command("current-context", "cmd_config:current_context", "Display the current-context",
                                   "minikctl config current-context"),
        "delete-cluster": Command("delete-cluster", "cmd_config:delete_cluster",
                                  "Delete the specified cluster from the kubeconfig",
                                  "minikctl config delete-cluster NAME"),
        "delete-context": Command("delete-context", "cmd_config:delete_context",
                                  "Delete the specified context from the kubeconfig",
                                  "minikctl config delete-context NAME"),
        "delete-user": Command("delete-user", "cmd_config:delete_user", "Delete the specified user from the kubeconfig",
                               "minikctl config delete-user NAME"),
        "get-clusters": Command("get-clusters", "cmd_config:get_clusters", "Display clusters defined in the kubeconfig",
                                "minikctl config get-clusters"),
        "get-contexts": Command("get-contexts", "cmd_config:get_contexts", "Describe one or many contexts",
                                "minikctl config get-contexts [(-o|--output=)name)]",
                                (Flag(("-o", "--output"), "output", help="output format: name"), NO_HEADERS)),
        "get-users": Command("get-users", "cmd_config:get_users", "Display users defined in the kubeconfig",
                             "minikctl config get-users"),
        "rename-context": Command("rename-context", "cmd_config:rename_context",
                                  "Rename a context from the kubeconfig file",
                                  "minikctl config rename-context CONTEXT_NAME NEW_NAME"),
        "set-cluster": Command("set-cluster", "cmd_config:set_cluster", "Set a cluster entry in kubeconfig",
                               "minikctl config set-cluster NAME [--server=file:///PATH/TO/STORE.db]",
                               (Flag(("--server",), "server",
                                     help="the cluster's store file, as file:///PATH (minikctl has no API server)"),)),
        "set-context": Command("set-context", "cmd_config:set_context", "Set a context entry in kubeconfig",
                               "minikctl config set-context [NAME | --current] [--cluster=cluster_nickname] "
                               "[--user=user_nickname] [--namespace=namespace]",
                               (Flag(("--cluster",), "cluster", help="cluster for the context entry in kubeconfig"),
                                Flag(("--user",), "user", help="user for the context entry in kubeconfig"),
                                Flag(("--current",), "current", "bool", False, "modify the current context"))),
        "set-credentials": Command("set-credentials", "cmd_config:set_credentials", "Set a user entry in kubeconfig",
                                   "minikctl config set-credentials NAME"),
        "use-context": Command("use-context", "cmd_config:use_context", "Set the current-context in a kubeconfig file",
                               "minikctl config use-context CONTEXT_NAME", aliases=("use",)),
        "view": Command("view", "cmd_config:view", "Display merged kubeconfig settings or a specified kubeconfig file",
                        "minikctl config view [flags]",
                        (_OUT_VIEW, _TEMPLATE_KEYS,
                         Flag(("--template",), "template",  # issue 12 (w-output)
                              help="template string or path to template file to use when -o=go-template, "
                                   "-o=go-template-file"),
                         Flag(("--minify",), "minify", "bool", False,
                              "remove all information not used by the current-context from the output"),
                         Flag(("--raw",), "raw", "bool", False, "display raw byte data and sensitive data"),
                         Flag(("--flatten",), "flatten", "bool", False,
                              "flatten the resulting kubeconfig file into self-contained output"),
                         Flag(("--merge",), "merge", "str", "true", "merge the full hierarchy of kubeconfig files",
                              optional_value=True))),
    }))
