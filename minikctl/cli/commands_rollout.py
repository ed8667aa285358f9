"""Commands of the rollout area (issue 12), added to the one command table (see commands.py):
rollout status|history|undo|restart|pause|resume, set image|env|resources|selector|
serviceaccount|subject, wait. Flags and their help follow kubectl 1.32's."""

from __future__ import annotations

from minikctl.cli.commands import DRY_RUN, FIELD_SELECTOR, FILENAME, OUTPUT, RECURSIVE, SELECTOR, _add
from minikctl.cli.parser import Command, Flag

_ALLOW_MISSING = Flag(("--allow-missing-template-keys",), "allow_missing_template_keys", "bool", True,
                      "If true, ignore any errors in templates when a field or map key is missing in the template. "
                      "Only applies to golang and jsonpath output formats.")
_SHOW_MANAGED = Flag(("--show-managed-fields",), "show_managed_fields", "bool", False,
                     "If true, keep the managedFields when printing objects in JSON or YAML format "
                     "(no effect: minikctl keeps no managedFields).")
_TEMPLATE = Flag(("--template",), "template", help="Template string or path to template file to use when "
                                                  "-o=go-template, -o=go-template-file.")
_KUSTOMIZE = Flag(("-k", "--kustomize"), "kustomize", help="Process the kustomization directory (not supported by minikctl: refused when given).")
_PRINT = (_ALLOW_MISSING, OUTPUT, _SHOW_MANAGED, _TEMPLATE)
_ROLLOUT_FM = Flag(("--field-manager",), "field_manager", "str", "kubectl-rollout",
                   "Name of the manager used to track field ownership.")
_SET_FM = Flag(("--field-manager",), "field_manager", "str", "kubectl-set",
               "Name of the manager used to track field ownership.")
_FILES = (FILENAME, _KUSTOMIZE, RECURSIVE)

_add(Command(
    "rollout", "cmd_rollout_help:help", "Manage the rollout of a resource",
    "minikctl rollout SUBCOMMAND", subcommands={
        "history": Command("history", "cmd_rollout:history", "View rollout history",
                           "minikctl rollout history (TYPE NAME | TYPE/NAME) [flags]",
                           _PRINT + _FILES + (SELECTOR, Flag(("--revision",), "revision", "int", 0,
                                                            "See the details, including podTemplate of the revision "
                                                            "specified"))),
        "pause": Command("pause", "cmd_rollout:pause", "Mark the provided resource as paused",
                         "minikctl rollout pause RESOURCE", _PRINT + _FILES + (SELECTOR, _ROLLOUT_FM)),
        "restart": Command("restart", "cmd_rollout:restart", "Restart a resource",
                           "minikctl rollout restart RESOURCE  (the restartedAt annotation holds the cluster clock's time)",
                           _PRINT + _FILES + (SELECTOR, _ROLLOUT_FM)),
        "resume": Command("resume", "cmd_rollout:resume", "Resume a paused resource",
                          "minikctl rollout resume RESOURCE", _PRINT + _FILES + (SELECTOR, _ROLLOUT_FM)),
        "status": Command(
            "status", "cmd_rollout:status", "Show the status of the rollout",
            "minikctl rollout status (TYPE NAME | TYPE/NAME) [flags]\n\n"
            "  Waits on the cluster clock: on a manual clock it advances the clock one second at a time\n"
            "  (ten seconds after ten minutes; each step its own transaction) until the rollout is done\n"
            "  or --timeout passes (with no --timeout, at most one hour of cluster time); on a wall clock\n"
            "  it polls every second.",
            _FILES + (SELECTOR,
                      Flag(("--revision",), "revision", "int", 0,
                           "Pin to a specific revision for showing its status. Defaults to 0 (last revision)."),
                      Flag(("--timeout",), "timeout", "str", "0s",
                           "The length of time to wait before ending watch, zero means never (on a manual clock: "
                           "one hour of cluster time). Any other values should contain a corresponding time unit "
                           "(e.g. 1s, 2m, 3h)."),
                      Flag(("-w", "--watch"), "watch", "bool", True,
                           "Watch the status of the rollout until it's done."))),
        "undo": Command("undo", "cmd_rollout:undo", "Undo a previous rollout",
                        "minikctl rollout undo (TYPE NAME | TYPE/NAME) [flags]",
                        _PRINT + _FILES + (DRY_RUN, SELECTOR,
                                           Flag(("--to-revision",), "to_revision", "int", 0,
                                                "The revision to rollback to. Default to 0 (last revision)."))),
    }))

_SET_COMMON = (Flag(("--all",), "all", "bool", False, "Select all resources, in the namespace of the specified "
                                                       "resource types"),
               _ALLOW_MISSING, DRY_RUN, _SET_FM) + _FILES + (
    Flag(("--local",), "local", "bool", False, "If true, set will NOT contact api-server but run locally."),
    OUTPUT, _SHOW_MANAGED, _TEMPLATE)
_CONTAINERS = Flag(("-c", "--containers"), "containers", "str", "*",
                   "The names of containers in the selected pod templates to change - may use wildcards")

_add(Command(
    "set", "cmd_rollout_help:set_help", "Set specific features on objects", "minikctl set SUBCOMMAND",
    subcommands={
        "env": Command("env", "cmd_set:env", "Update environment variables on a pod template",
                       "minikctl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N",
                       _SET_COMMON + (SELECTOR, _CONTAINERS,
                                      Flag(("-e", "--env"), "env", "list", None,
                                           "Specify a key-value pair for an environment variable to set into "
                                           "each container."),
                                      Flag(("--from",), "from", help="The name of a resource from which to inject "
                                                                     "environment variables"),
                                      Flag(("--keys",), "keys", "list", None,
                                           "Comma-separated list of keys to import from specified resource"),
                                      Flag(("--list",), "list", "bool", False,
                                           "If true, display the environment and any changes in the standard format."),
                                      Flag(("--overwrite",), "overwrite", "bool", True,
                                           "If true, allow environment to be overwritten, otherwise reject updates "
                                           "that overwrite existing environment."),
                                      Flag(("--prefix",), "prefix", help="Prefix to append to variable names"),
                                      Flag(("--resolve",), "resolve", "bool", False,
                                           "If true, show secret or configmap references when listing variables"))),
        "image": Command("image", "cmd_set:image", "Update the image of a pod template",
                         "minikctl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... "
                         "CONTAINER_NAME_N=CONTAINER_IMAGE_N",
                         _SET_COMMON + (SELECTOR,)),
        "resources": Command("resources", "cmd_set:resources", "Update resource requests/limits on objects with pod "
                             "templates",
                             "minikctl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & "
                             "--requests=REQUESTS]",
                             _SET_COMMON + (SELECTOR, _CONTAINERS,
                                            Flag(("--limits",), "limits", help="The resource requirement requests for "
                                                 "this container.  For example, 'cpu=100m,memory=256Mi'."),
                                            Flag(("--requests",), "requests", help="The resource requirement requests "
                                                 "for this container.  For example, 'cpu=100m,memory=256Mi'."))),
        "selector": Command("selector", "cmd_set:selector", "Set the selector on a resource",
                            "minikctl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]",
                            tuple(f for f in _SET_COMMON if f.dest != "recursive") + (
                                Flag(("-R", "--recursive"), "recursive", "bool", True,
                                     "Process the directory used in -f, --filename recursively."),
                                Flag(("--resource-version",), "resource_version",
                                     help="If non-empty, the selectors update will only succeed if this is the "
                                          "current resource-version for the object. Only valid when specifying a "
                                          "single resource."))),
        "serviceaccount": Command("serviceaccount", "cmd_set:serviceaccount",
                                  "Update the service account of a resource",
                                  "minikctl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT",
                                  _SET_COMMON, aliases=("sa",)),
        "subject": Command("subject", "cmd_set:subject",
                           "Update the user, group, or service account in a role binding or cluster role binding",
                           "minikctl set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] "
                           "[--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]",
                           _SET_COMMON + (SELECTOR,
                                          Flag(("--group",), "group", "list", None, "Groups to bind to the role"),
                                          Flag(("--serviceaccount",), "serviceaccount", "list", None,
                                               "Service accounts to bind to the role"),
                                          Flag(("--user",), "user", "list", None, "Usernames to bind to the role"))),
    }))

_add(Command(
    "wait", "cmd_wait:run", "Experimental: Wait for a specific condition on one or many resources",
    "minikctl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) "
    "[--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]\n\n"
    "  Waits on the cluster clock: on a manual clock it advances the clock one second at a time\n"
    "  (ten seconds after ten minutes, a minute after an hour, ten after a day; each step its own\n"
    "  transaction) until the condition holds or --timeout passes; on a wall clock it polls every\n"
    "  second.",
    (Flag(("--all",), "all", "bool", False, "Select all resources in the namespace of the specified resource types"),
     Flag(("-A", "--all-namespaces"), "all_namespaces", "bool", False,
          "If present, list the requested object(s) across all namespaces."),
     _ALLOW_MISSING, FIELD_SELECTOR, FILENAME,
     Flag(("--for",), "for", help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]"
                                  "|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value "
                                  "is true.  Condition values are compared after Unicode simple case folding, which "
                                  "is a more general form of case-insensitivity."),
     Flag(("--local",), "local", "bool", False, "If true, annotation will NOT contact api-server but run locally."),
     OUTPUT,
     Flag(("-R", "--recursive"), "recursive", "bool", True,
          "Process the directory used in -f, --filename recursively."),
     SELECTOR, _SHOW_MANAGED, _TEMPLATE,
     Flag(("--timeout",), "timeout", "str", "30s",
          "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait "
          "for a week (on a manual clock the cluster clock advances; on a wall clock minikctl polls)."))))
