"""Commands for inspecting and reaching into a running cluster (issue 12): events, diff, cp,
attach, port-forward, debug. Added to the one command table (see commands.py)."""

from __future__ import annotations

from minikctl.cli.commands import ALL_NS, NO_HEADERS, _add
from minikctl.cli.parser import Command, Flag

_TEMPLATE_FLAGS = (
    Flag(("--allow-missing-template-keys",), "allow_missing_template_keys", "bool", True,
         "if true, ignore any errors in templates when a field or map key is missing in the template"),
    Flag(("--show-managed-fields",), "show_managed_fields", "bool", False,
         "if true, keep the managedFields when printing objects in JSON or YAML format"),
    Flag(("--template",), "template", help="template string or path to template file to use when -o=go-template"),
)

# ------------------------------------------------------------------ events (cmd_events)
_add(Command(
    "events", "cmd_events:run", "List events",
    "minikctl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
    "jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]",
    (ALL_NS, NO_HEADERS,
     Flag(("-o", "--output"), "output", help="output format: json|yaml|name|jsonpath=...|jsonpath-file=..."),
     Flag(("--for",), "for", help="filter events to only those pertaining to the specified resource"),
     Flag(("--types",), "types", "list", None, "output only events of given types (Normal, Warning)",
          choices=("Normal", "Warning")),
     Flag(("-w", "--watch"), "watch", "bool", False, "after listing the requested events, watch for more events"),
     Flag(("--chunk-size",), "chunk_size", "int", 500, "(no effect: the list is read at once)"))
    + _TEMPLATE_FLAGS))

# ------------------------------------------------------------------ diff (cmd_diff)
_add(Command(
    "diff", "cmd_diff:run", "Diff the live version against a would-be applied version",
    "minikctl diff -f FILENAME",
    (Flag(("-f", "--filename"), "filename", "list", None,
          "filename, directory, or - (stdin) containing the configuration to diff"),
     Flag(("-R", "--recursive"), "recursive", "bool", False, "process the directory used in -f recursively"),
     Flag(("-k", "--kustomize"), "kustomize", help="(not supported: build the kustomization and pass it with -f)"),
     Flag(("-l", "--selector"), "selector", help="selector (label query) to filter on"),
     Flag(("--server-side",), "server_side", "bool", False,
          "If true, apply runs in the server instead of the client."),
     Flag(("--field-manager",), "field_manager", "str", "kubectl-client-side-apply",
          "name of the manager used to track field ownership"),
     Flag(("--force-conflicts",), "force_conflicts", "bool", False, "with --server-side: force the changes"),
     Flag(("--show-managed-fields",), "show_managed_fields", "bool", False, "include managed fields in the diff"),
     Flag(("--concurrency",), "concurrency", "int", 1, "(no effect: objects are diffed in one transaction)"),
     Flag(("--prune",), "prune", "bool", False, "(alpha in kubectl; not supported)"),
     Flag(("--prune-allowlist",), "prune_allowlist", "list", None, "(with --prune; not supported)"))))

# ------------------------------------------------------------------ cp (cmd_cp)
_CONTAINER = Flag(("-c", "--container"), "container",
                  help="container name; if omitted, use the kubectl.kubernetes.io/default-container annotation "
                       "or the first container in the pod")
_add(Command(
    "cp", "cmd_cp:run", "Copy files and directories to and from containers",
    "minikctl cp <file-spec-src> <file-spec-dest>  (a file-spec is LOCAL_PATH or [NAMESPACE/]POD:PATH; "
    "the container needs tar)",
    (_CONTAINER,
     Flag(("--no-preserve",), "no_preserve", "bool", False,
          "the copied file/directory's ownership and permissions will not be preserved in the container"),
     Flag(("--retries",), "retries", "int", 0,
          "(no effect: a copy from the simulated container is never interrupted)"))))

# ------------------------------------------------------------------ attach (cmd_attach)
_add(Command(
    "attach", "cmd_attach:run", "Attach to a running container",
    "minikctl attach (POD | TYPE/NAME) -c CONTAINER",
    (_CONTAINER,
     Flag(("-i", "--stdin"), "stdin", "bool", False, "pass stdin to the container"),
     Flag(("-t", "--tty"), "tty", "bool", False, "stdin is a TTY"),
     Flag(("-q", "--quiet"), "quiet", "bool", False, "only print output from the remote session"),
     Flag(("--pod-running-timeout",), "pod_running_timeout", "str", "1m0s",
          "time to wait for a pod to be running (pods start at once here)"))))

# ------------------------------------------------------------------ port-forward (cmd_port_forward)
_add(Command(
    "port-forward", "cmd_port_forward:run", "Forward one or more local ports to a pod",
    "minikctl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
    (Flag(("--address",), "address", "list", None,
          "addresses to listen on (comma separated): localhost (127.0.0.1 and ::1, the default), 127.0.0.1 or ::1; "
          "minikctl listens on the loopback interface only"),
     Flag(("--pod-running-timeout",), "pod_running_timeout", "str", "1m0s",
          "time to wait for at least one pod to be running (pods start at once here)"))))

# ------------------------------------------------------------------ debug (cmd_debug)
_add(Command(
    "debug", "cmd_debug:run", "Create debugging sessions for troubleshooting workloads and nodes",
    "minikctl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ]",
    (Flag(("--arguments-only",), "arguments_only", "bool", False,
          "if specified, everything after -- will be passed to the new container as Args instead of Command"),
     Flag(("--attach",), "attach", "bool", False, "wait for the container to start running, and then attach "
                                                  "as if 'minikctl attach ...' were called (default with -i)"),
     Flag(("-c", "--container"), "container", help="container name to use for debug container"),
     Flag(("--copy-to",), "copy_to", help="create a copy of the target Pod with this name"),
     Flag(("--custom",), "custom", help="(not supported: a JSON/YAML container spec to apply)"),
     Flag(("--env",), "env", "list", None, "environment variables to set in the container (KEY=VALUE)"),
     Flag(("-f", "--filename"), "filename", "list", None, "identifying the resource to debug"),
     Flag(("--image",), "image", help="container image to use for debug container"),
     Flag(("--image-pull-policy",), "image_pull_policy", help="the image pull policy for the container",
          choices=("Always", "IfNotPresent", "Never")),
     Flag(("--keep-annotations",), "keep_annotations", "bool", False, "with --copy-to: keep the annotations"),
     Flag(("--keep-init-containers",), "keep_init_containers", "bool", True,
          "with --copy-to: keep the init containers"),
     Flag(("--keep-labels",), "keep_labels", "bool", False, "with --copy-to: keep the labels"),
     Flag(("--keep-liveness",), "keep_liveness", "bool", False, "with --copy-to: keep the liveness probes"),
     Flag(("--keep-readiness",), "keep_readiness", "bool", False, "with --copy-to: keep the readiness probes"),
     Flag(("--keep-startup",), "keep_startup", "bool", False, "with --copy-to: keep the startup probes"),
     Flag(("--profile",), "profile", "str", "legacy",
          "options are \"legacy\", \"general\", \"baseline\", \"netadmin\", \"restricted\" or \"sysadmin\"",
          choices=("legacy", "general", "baseline", "netadmin", "restricted", "sysadmin")),
     Flag(("-q", "--quiet"), "quiet", "bool", False, "if true, suppress informational messages"),
     Flag(("--replace",), "replace", "bool", False, "when used with '--copy-to', delete the original Pod"),
     Flag(("--same-node",), "same_node", "bool", False,
          "when used with '--copy-to', schedule the copy of target Pod on the same node"),
     Flag(("--set-image",), "set_image", "list", None,
          "when used with '--copy-to', a list of name=image pairs for changing container images"),
     Flag(("--share-processes",), "share_processes", "bool", True,
          "when used with '--copy-to', enable process namespace sharing in the copy"),
     Flag(("-i", "--stdin"), "stdin", "bool", False, "keep stdin open on the container(s) in the pod"),
     Flag(("--target",), "target", help="when using an ephemeral container, target processes in this container name"),
     Flag(("-t", "--tty"), "tty", "bool", False, "allocate a TTY for the debugging container"))))
