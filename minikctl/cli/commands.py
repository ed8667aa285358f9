"""The command table: every verb, its flags and its handler. Help, completion and
did-you-mean are all derived from this one table."""

from __future__ import annotations

from minikctl.cli.parser import Command, Flag

OUTPUT = Flag(("-o", "--output"), "output", help="output format: json|yaml|name|wide|jsonpath=...|jsonpath-file=...|go-template=...|go-template-file=...|custom-columns=...")
SELECTOR = Flag(("-l", "--selector"), "selector", help="label selector to filter on, e.g. -l app=web,tier!=db")
ALL_NS = Flag(("-A", "--all-namespaces"), "all_namespaces", "bool", False, "list across all namespaces")
FILENAME = Flag(("-f", "--filename"), "filename", "list", None, "file, directory or - (stdin) with the manifests")
RECURSIVE = Flag(("-R", "--recursive"), "recursive", "bool", False, "process the directory given in -f recursively")
DRY_RUN = Flag(("--dry-run",), "dry_run", "str", "none", "none|client|server: only print what would be sent",
               optional_value=True)
NO_HEADERS = Flag(("--no-headers",), "no_headers", "bool", False, "don't print headers")
SHOW_LABELS = Flag(("--show-labels",), "show_labels", "bool", False, "show all labels as the last column")
FIELD_SELECTOR = Flag(("--field-selector",), "field_selector", help="field selector, e.g. status.phase=Running")
SORT_BY = Flag(("--sort-by",), "sort_by", help="JSONPath expression to sort the list by, e.g. .metadata.name")
ALL = Flag(("--all",), "all", "bool", False, "select all resources in the namespace")
VALIDATE = Flag(("--validate",), "validate", "str", "strict", "strict|warn|ignore|true|false", optional_value=True)
SAVE_CONFIG = Flag(("--save-config",), "save_config", "bool", False, "save the configuration in the last-applied annotation")

COMMANDS: dict[str, Command] = {}


def _add(cmd: Command) -> Command:
    COMMANDS[cmd.name] = cmd
    return cmd


_add(Command("get", "cmd_get:run", "Display one or many resources",
             "minikctl get (TYPE[.VERSION][.GROUP] [NAME ...] | TYPE/NAME ...) [flags]",
             (OUTPUT, SELECTOR, ALL_NS, FILENAME, RECURSIVE, NO_HEADERS, SHOW_LABELS, FIELD_SELECTOR, SORT_BY,
              Flag(("-L", "--label-columns"), "label_columns", "list", None, "labels to show as columns"),
              Flag(("--show-kind",), "show_kind", "bool", False, "list the resource type for each object"),
              Flag(("--ignore-not-found",), "ignore_not_found", "bool", False, "treat not-found as success"),
              Flag(("-w", "--watch"), "watch", "bool", False,
                   "after listing/getting the requested object, watch for changes (made by any command)"),
              # issue 12 (w-watch): kubectl's watch flags (cli/watching.py)
              Flag(("--watch-only",), "watch_only", "bool", False,
                   "watch for changes to the requested object(s), without listing/getting first"),
              Flag(("--output-watch-events",), "output_watch_events", "bool", False,
                   "output watch event objects when --watch or --watch-only is used"))))
_add(Command("describe", "cmd_describe:run", "Show details of a specific resource or group of resources",
             "minikctl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
             (SELECTOR, ALL_NS, FILENAME, RECURSIVE,
              Flag(("--show-events",), "show_events", "bool", True, "show events"))))
_add(Command("apply", "cmd_apply:apply", "Apply a configuration to a resource by file name or stdin",
             "minikctl apply -f FILENAME", (FILENAME, RECURSIVE, OUTPUT, DRY_RUN, VALIDATE,
                                             Flag(("--prune",), "prune", "bool", False, "(not supported)"),
                                             Flag(("--force",), "force", "bool", False, "delete and re-create on conflict"),
                                             # issue 14 (w-ssa): server-side apply
                                             Flag(("--server-side",), "server_side", "bool", False,
                                                  "If true, apply runs in the server instead of the client."),
                                             Flag(("--force-conflicts",), "force_conflicts", "bool", False,
                                                  "If true, server-side apply will force the changes against "
                                                  "conflicts."),
                                             Flag(("--field-manager",), "field_manager", "str", None,
                                                  "Name of the manager used to track field ownership."))))
_add(Command("replace", "cmd_apply:replace", "Replace a resource by file name or stdin",
             "minikctl replace -f FILENAME", (FILENAME, RECURSIVE, OUTPUT, DRY_RUN, VALIDATE, SAVE_CONFIG,
                                               Flag(("--force",), "force", "bool", False, "delete and re-create"))))
_add(Command("delete", "cmd_delete:run", "Delete resources by file names, stdin, resources and names, or by label selector",
             "minikctl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)])",
             (FILENAME, RECURSIVE, SELECTOR, ALL, ALL_NS, OUTPUT, DRY_RUN,  # DRY_RUN: issue 12 (w-parity)
              Flag(("--ignore-not-found",), "ignore_not_found", "bool", False, "treat not-found as success"),
              Flag(("--now",), "now", "bool", False, "signal the pods to stop at once (grace period 1)"),
              Flag(("--force",), "force", "bool", False,
                   "with --grace-period=0: remove at once, without waiting for the containers to stop"),
              Flag(("--grace-period",), "grace_period", "int", -1,
                   "seconds a pod has to stop (-1: its terminationGracePeriodSeconds)"),
              Flag(("--wait",), "wait", "bool", True,
                   "wait until the pods are gone (on a manual clock: the clock moves to the end of their grace period)"),
              Flag(("--cascade",), "cascade", "str", "background", "background|foreground|orphan", optional_value=True))))

_create_common = (OUTPUT, DRY_RUN, VALIDATE, SAVE_CONFIG)
_svc_flags = _create_common + (
    Flag(("--tcp",), "tcp", "list", None, "port pairs port:targetPort, e.g. --tcp=80:8080"),
    Flag(("--node-port",), "node_port", "int", 0, "port used to expose the service on each node"),
    Flag(("--clusterip",), "clusterip", help="assign your own ClusterIP or 'None' for a headless service"),
    Flag(("--external-name",), "external_name", help="external name of the service"),
)
_add(Command("create", "cmd_apply:create", "Create a resource from a file or from stdin",
             "minikctl create -f FILENAME | minikctl create KIND ...",
             (FILENAME, RECURSIVE) + _create_common,
             subcommands={
                 "service": Command("service", "cmd_create:service", "Create a service using a specified subcommand",
                                    "minikctl create service (clusterip|nodeport|loadbalancer|externalname) NAME [--tcp=port:targetPort]",
                                    _svc_flags, aliases=("svc",),
                                    subcommands={t: Command(t, f"cmd_create:service_{t}", f"Create a {t} service",
                                                            f"minikctl create service {t} NAME [--tcp=<port>:<targetPort>]",
                                                            _svc_flags)
                                                 for t in ("clusterip", "nodeport", "loadbalancer", "externalname")}),
                 "deployment": Command("deployment", "cmd_create:deployment", "Create a deployment with the specified name",
                                       "minikctl create deployment NAME --image=image -- [COMMAND] [args...]",
                                       _create_common + (Flag(("--image",), "image", "list", None, "image names"),
                                                         Flag(("--replicas", "-r"), "replicas", "int32", 1, "number of replicas"),
                                                         Flag(("--port",), "port", "int", -1, "the containerPort to expose")),
                                       aliases=("deploy",)),
                 "namespace": Command("namespace", "cmd_create:namespace", "Create a namespace with the specified name",
                                      "minikctl create namespace NAME", _create_common, aliases=("ns",)),
                 "serviceaccount": Command("serviceaccount", "cmd_create:serviceaccount",
                                           "Create a service account with the specified name",
                                           "minikctl create serviceaccount NAME", _create_common, aliases=("sa",)),
                 "secret": Command("secret", "cmd_create:secret", "Create a secret using a specified subcommand",
                                   "minikctl create secret (generic|tls) NAME", _create_common, subcommands={
                                       "tls": Command("tls", "cmd_create:secret_tls", "Create a TLS secret",
                                                      "minikctl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file",
                                                      _create_common + (Flag(("--cert",), "cert"), Flag(("--key",), "key"))),
                                       "generic": Command("generic", "cmd_create:secret_generic", "Create a secret from a local file, directory, or literal value",
                                                          "minikctl create secret generic NAME [--from-literal=key1=value1]",
                                                          _create_common + (Flag(("--from-literal",), "from_literal", "list", None),
                                                                            Flag(("--from-file",), "from_file", "list", None),
                                                                            Flag(("--type",), "type"))),
                                   }),
                 "configmap": Command("configmap", "cmd_create:configmap", "Create a config map from a local file, directory or literal value",
                                      "minikctl create configmap NAME [--from-literal=key1=value1]",
                                      _create_common + (Flag(("--from-literal",), "from_literal", "list", None),
                                                        Flag(("--from-file",), "from_file", "list", None)), aliases=("cm",)),
                 # --- issue 11: Batch (w-job)
                 "job": Command("job", "cmd_create:job", "Create a job with the specified name",
                                "minikctl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]",
                                _create_common + (Flag(("--image",), "image", help="Image name to run."),
                                                  Flag(("--from",), "from", help="The name of the resource to create a "
                                                       "Job from (only cronjob is supported)."))),
                 "cronjob": Command("cronjob", "cmd_create:cronjob", "Create a cron job with the specified name",
                                    "minikctl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...]",
                                    _create_common + (Flag(("--image",), "image", help="Image name to run."),
                                                      Flag(("--schedule",), "schedule",
                                                           help="A schedule in the Cron format the job should be run with."),
                                                      Flag(("--restart",), "restart", help="job's restart policy. "
                                                           "supported values: OnFailure, Never")),
                                    aliases=("cj",)),
                 # --- issue 11: ResourceQuota and PriorityClass (w-quota)
                 "quota": Command("quota", "cmd_create:quota", "Create a quota with the specified name",
                                  "minikctl create quota NAME [--hard=key1=value1] [--scopes=Scope1,Scope2]",
                                  _create_common + (Flag(("--hard",), "hard", help="A comma-delimited set of "
                                                         "resource=quantity pairs that define a hard limit."),
                                                    Flag(("--scopes",), "scopes", help="A comma-delimited set of "
                                                         "quota scopes that must all match each object tracked by "
                                                         "the quota.")),
                                  aliases=("resourcequota",)),
                 "priorityclass": Command("priorityclass", "cmd_create:priorityclass",
                                          "Create a priority class with the specified name",
                                          "minikctl create priorityclass NAME --value=VALUE --global-default=BOOL",
                                          _create_common + (
                                              Flag(("--value",), "value", "int32", 0, "the value of this priority class."),
                                              Flag(("--global-default",), "global_default", "bool", False,
                                                   "global-default specifies whether this PriorityClass should be "
                                                   "considered as the default priority."),
                                              Flag(("--description",), "description", help="description is an "
                                                   "arbitrary string that usually provides guidelines on when this "
                                                   "priority class should be used."),
                                              Flag(("--preemption-policy",), "preemption_policy",
                                                   "str", "PreemptLowerPriority",
                                                   "preemption-policy is the policy for preempting pods with lower "
                                                   "priority.")),
                                          aliases=("pc",)),
                 # --- issue 11: disruptions (w-drain): create_pdb.go
                 "poddisruptionbudget": Command(
                     "poddisruptionbudget", "cmd_create:poddisruptionbudget",
                     "Create a pod disruption budget with the specified name",
                     "minikctl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N "
                     "[--dry-run=server|client|none]",
                     _create_common + (
                         Flag(("--selector",), "selector", help="A label selector to use for this budget. Only "
                              "equality-based selector requirements are supported."),
                         Flag(("--min-available",), "min_available", help="The minimum number or percentage of "
                              "available pods this budget requires."),
                         Flag(("--max-unavailable",), "max_unavailable", help="The maximum number or percentage "
                              "of unavailable pods this budget requires.")),
                     aliases=("pdb",)),
             }))
_add(Command("cluster", "cmd_cluster:help", "Create, inspect, check and delete the emulated cluster",
             "minikctl cluster (create|info|delete|check|node)", subcommands={
                 "create": Command("create", "cmd_cluster:create", "Create the emulated cluster in the state file",
                                   "minikctl cluster create [--nodes N] [--service-cidr CIDR] ...", (
                                       Flag(("--nodes",), "nodes", "int", None, "number of nodes (default 3)"),
                                       Flag(("--service-cidr",), "service_cidr", help="service CIDR (default 10.96.0.0/12)"),
                                       Flag(("--pod-cidr",), "pod_cidr", help="pod CIDR (default 10.244.0.0/16)"),
                                       Flag(("--node-port-range",), "node_port_range", help="node port range (default 30000-32767)"),
                                       Flag(("--cluster-domain",), "cluster_domain", help="cluster DNS domain (default cluster.local)"),
                                       Flag(("--lb-pool",), "lb_pool", help="load-balancer IP pool CIDR, or none (default 172.18.255.200/29)"),
                                       Flag(("--clock",), "clock", "str", "wall", "wall|manual", choices=("wall", "manual")),
                                       Flag(("--clock-start",), "clock_start",
                                            help="the cluster clock's time at creation, RFC 3339 (default: now); "
                                                 "with --clock manual, the same commands then print the same times"),
                                       Flag(("--name",), "name", help="cluster name, used in node names (default minikctl)"),
                                       Flag(("--node-cpu",), "node_cpu", help="each node's CPUs, its capacity and allocatable cpu (default 8)"),
                                       Flag(("--node-memory",), "node_memory",
                                            help="each node's memory as a quantity, e.g. 4Gi (default 32827164Ki)"),
                                       Flag(("--allow-unknown-images",), "allow_unknown_images", "bool", False,
                                            "pulls of images the catalog does not know succeed (generic behaviour) "
                                            "instead of failing with ErrImagePull"),
                                   )),
                 "info": Command("info", "cmd_cluster:info", "Show the emulated cluster's configuration", "minikctl cluster info",
                                 (OUTPUT,)),
                 "delete": Command("delete", "cmd_cluster:delete", "Delete the emulated cluster (its state file)", "minikctl cluster delete"),
                 "check": Command("check", "cmd_cluster:check", "Check the store's integrity and consistency", "minikctl cluster check"),
             }))
# --- issue 11 (w-node): fault injection for teaching, `cluster node stop|start|add|remove`
COMMANDS["cluster"].subcommands["node"] = Command(
    "node", "cmd_cluster:node_help",
    "Stop, start, add or remove a node (fault injection: NotReady after 50s, evictions 300s later)",
    "minikctl cluster node (stop NAME | start NAME | add [NAME] | remove NAME)", subcommands={
        "stop": Command("stop", "cmd_cluster:node_stop", "Stop a node's kubelet (NotReady after the node-monitor grace period, 50s)",
                        "minikctl cluster node stop NAME"),
        "start": Command("start", "cmd_cluster:node_start", "Start a stopped node's kubelet again (Ready, taints removed)",
                         "minikctl cluster node start NAME"),
        "add": Command("add", "cmd_cluster:node_add", "Add a worker node (default name: the next NAME-workerN)",
                       "minikctl cluster node add [NAME]"),
        "remove": Command("remove", "cmd_cluster:node_remove", "Delete a worker node; its pods are garbage-collected",
                          "minikctl cluster node remove NAME"),
    })
_add(Command("clock", "cmd_cluster:clock_show", "Show or move the cluster clock", "minikctl clock [advance DURATION]",
             subcommands={"advance": Command("advance", "cmd_cluster:clock_advance", "Move the cluster clock forward",
                                             "minikctl clock advance 30s")}))
_TOP_SORT = Flag(("--sort-by",), "sort_by", help="sort by cpu or memory (descending)")
_add(Command("top", "cmd_top:help", "Display resource (CPU/memory) usage", "minikctl top (pod | node)", subcommands={
    "pod": Command("pod", "cmd_top:top_pod", "Display resource (CPU/memory) usage of pods",
                   "minikctl top pod [NAME | -l label]",
                   (SELECTOR, ALL_NS, NO_HEADERS, FIELD_SELECTOR, _TOP_SORT,
                    Flag(("--containers",), "containers", "bool", False, "print usage of containers within a pod"),
                    Flag(("--sum",), "sum", "bool", False, "print the sum of the resource usage"),
                    Flag(("--use-protocol-buffers",), "use_protocol_buffers", "bool", True, "(no effect)")),
                   aliases=("pods", "po")),
    "node": Command("node", "cmd_top:top_node", "Display resource (CPU/memory) usage of nodes",
                    "minikctl top node [NAME | -l label]",
                    (SELECTOR, NO_HEADERS, _TOP_SORT,
                     Flag(("--show-capacity",), "show_capacity", "bool", False,
                          "percentages of the nodes' capacity instead of their allocatable"),
                     Flag(("--use-protocol-buffers",), "use_protocol_buffers", "bool", True, "(no effect)")),
                    aliases=("nodes", "no")),
}))
_add(Command("version", "cmd_info:version", "Print the client and server version information", "minikctl version",
             (OUTPUT, Flag(("--client",), "client", "bool", False, "client version only"))))
_add(Command("api-resources", "cmd_info:api_resources", "Print the supported API resources on the server",
             "minikctl api-resources", (
                 Flag(("-o", "--output"), "output", help="Output format. One of: (wide, name)."), NO_HEADERS,
                 Flag(("--namespaced",), "namespaced", "bool", True,
                      "If false, non-namespaced resources will be returned, otherwise returning namespaced resources "
                      "by default."),
                 Flag(("--api-group",), "api_group", help="Limit to resources in the specified API group."),
                 Flag(("--verbs",), "verbs", "list", None, "Limit to resources that support the specified verbs."),
                 Flag(("--categories",), "categories", "list", None,
                      "Limit to resources that belong to the specified categories."),
                 Flag(("--sort-by",), "sort_by", help="If non-empty, sort list of resources using specified field. "
                                                      "The field can be either 'name' or 'kind'."),
                 Flag(("--cached",), "cached", "bool", False, "Use the cached list of resources if available. "
                                                               "(no effect: discovery is local)"))))

# Each area registers its verbs in its own module (kept apart so they can grow independently).
from minikctl.cli import commands_incluster, commands_scripting, commands_workloads  # noqa: E402,F401
from minikctl.cli import commands_config  # noqa: E402,F401
from minikctl.cli import commands_nodes  # noqa: E402,F401  (issue 11: taint, cordon, uncordon)
from minikctl.cli import commands_rollout  # noqa: E402,F401  (issue 12: rollout, set, wait)
from minikctl.cli import commands_explain  # noqa: E402,F401  (issue 12: explain, api-versions)
from minikctl.cli import commands_debugging  # noqa: E402,F401  (issue 12: events, diff, cp, attach, port-forward, debug)
from minikctl.cli import commands_rbac  # noqa: E402,F401  (issue 12: auth, create role/...binding)
from minikctl.cli import commands_create2  # noqa: E402,F401  (issue 12: ingress, token, docker-registry, ...)
from minikctl.cli import commands_help  # noqa: E402,F401  (issue 12: help, options)
from minikctl.cli import commands_serve  # noqa: E402,F401  (issue 14: serve)
from minikctl.cli import commands_labs  # noqa: E402,F401  (issue 13: lab)
from minikctl.cli import commands_snapshot  # noqa: E402,F401  (issue 13: cluster snapshot/export/import, --seed)

# --- issue 12 (w-output): every command that prints objects with -o takes kubectl's template
# flags too (genericclioptions.GoTemplatePrintFlags.AddFlags, PrintFlags' --show-managed-fields).
TEMPLATE = Flag(("--template",), "template",
                help="template string or path to template file to use when -o=go-template, -o=go-template-file "
                     "(golang templates, http://golang.org/pkg/text/template/#pkg-overview)")
ALLOW_MISSING_TEMPLATE_KEYS = Flag(("--allow-missing-template-keys",), "allow_missing_template_keys", "bool", True,
                                   "if true, ignore any errors in templates when a field or map key is missing in "
                                   "the template; only applies to golang and jsonpath output formats")
SHOW_MANAGED_FIELDS = Flag(("--show-managed-fields",), "show_managed_fields", "bool", False,
                           "if true, keep the managedFields when printing objects in JSON or YAML format "
                           "(minikctl's objects carry none)")


_NO_TEMPLATE_FLAGS = ("delete", "version", "api-resources", "cluster")  # -o there is not PrintFlags'


def _add_template_flags(cmd: Command) -> None:
    if cmd.name in _NO_TEMPLATE_FLAGS:
        return
    if OUTPUT in cmd.flags:
        have = {n for f in cmd.flags for n in f.names}
        cmd.flags = tuple(cmd.flags) + tuple(f for f in (TEMPLATE, ALLOW_MISSING_TEMPLATE_KEYS, SHOW_MANAGED_FIELDS)
                                             if f.names[0] not in have)
    for sub in cmd.subcommands.values():
        _add_template_flags(sub)


for _cmd in list(COMMANDS.values()):
    _add_template_flags(_cmd)
