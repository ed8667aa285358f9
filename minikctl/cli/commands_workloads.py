"""Commands of the workloads area, added to the one command table (see commands.py):
run, expose, scale."""

from __future__ import annotations

from minikctl.cli.commands import DRY_RUN, FILENAME, OUTPUT, RECURSIVE, SAVE_CONFIG, SELECTOR, _add
from minikctl.cli.parser import Command, Flag

_add(Command(
    "run", "cmd_run:run", "Run a particular image on the cluster",
    "minikctl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] "
    "[--overrides=inline-json] [--command] -- [COMMAND] [args...]",
    (Flag(("--image",), "image", help="the image for the container to run"),
     Flag(("--port",), "port", help="the port that this container exposes"),
     Flag(("-l", "--labels"), "labels", help="comma separated labels to apply to the pod (spaces after commas are fine)"),
     Flag(("--env",), "env", "list", None, "environment variables to set in the container (KEY=VALUE, repeatable)"),
     Flag(("--annotations",), "annotations", "list", None, "annotations to apply to the pod (KEY=VALUE, repeatable)"),
     Flag(("--replicas", "-r"), "replicas", "int32", None,
          "create a Deployment of N replicas, as kubectl up to 1.17 did (the seed's form); without it, a Pod"),
     Flag(("--command",), "command", "bool", False, "use the arguments after -- as the container's command, not its args"),
     Flag(("--restart",), "restart", help="the restart policy for this Pod: Always, OnFailure or Never"),
     Flag(("--image-pull-policy",), "image_pull_policy", help="the image pull policy for the container"),
     Flag(("--generator",), "generator", help="(deprecated, no effect except run-pod/v1 and deployment/apps.v1)"),
     Flag(("--expose",), "expose", "bool", False, "also create a ClusterIP service for the pod (needs --port)"),
     Flag(("--privileged",), "privileged", "bool", False, "run the container in privileged mode"),
     Flag(("--overrides",), "overrides", help="an inline JSON override for the generated object"),
     Flag(("-i", "--stdin"), "stdin", "bool", False, "keep stdin open on the container"),
     Flag(("-t", "--tty"), "tty", "bool", False, "allocate a TTY for the container"),
     Flag(("--attach",), "attach", "bool", False, "wait for the pod to start, then attach to it"),
     Flag(("--rm",), "rm", "bool", False, "delete the pod after it exits (only with --attach or -i)"),
     Flag(("-q", "--quiet"), "quiet", "bool", False, "suppress prompt messages"),
     Flag(("--pod-running-timeout",), "pod_running_timeout", help="(accepted; pods start at once here)"),
     OUTPUT, DRY_RUN, SAVE_CONFIG)))

_add(Command(
    "expose", "cmd_expose:run",
    "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
    "minikctl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] "
    "[--name=name] [--external-ip=external-ip-of-service] [--type=type]",
    (Flag(("--port",), "port", help="the port that the service should serve on (copied from the resource if unset)"),
     Flag(("--target-port",), "target_port", help="name or number of the container port the service sends traffic to"),
     Flag(("--container-port",), "container_port", help="(deprecated) synonym for --target-port"),
     Flag(("--type",), "type", help="ClusterIP, NodePort, LoadBalancer, or ExternalName (default ClusterIP)"),
     Flag(("--name",), "name", help="the name for the new service"),
     Flag(("--protocol",), "protocol", help="the network protocol of the service (default TCP)"),
     Flag(("--selector",), "svc_selector", help="the label selector for the service (equality terms only); "
                                                "default: the exposed resource's selector"),
     Flag(("--session-affinity",), "session_affinity", help="None or ClientIP"),
     Flag(("--cluster-ip",), "cluster_ip", help="ClusterIP to assign, or None for a headless service"),
     Flag(("--external-ip",), "external_ip", help="an additional external IP address to accept for the service"),
     Flag(("--load-balancer-ip",), "load_balancer_ip", help="IP to assign to the LoadBalancer"),
     Flag(("-l", "--labels"), "labels", help="labels to apply to the service (default: the resource's labels)"),
     Flag(("--overrides",), "overrides", help="an inline JSON override for the generated object"),
     FILENAME, RECURSIVE, OUTPUT, DRY_RUN, SAVE_CONFIG)))

_add(Command(
    "scale", "cmd_scale:run", "Set a new size for a deployment, replica set, replication controller, or stateful set",
    "minikctl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
    (Flag(("--replicas",), "replicas", "int", None, "the new desired number of replicas (required)"),
     Flag(("--current-replicas",), "current_replicas", "int", -1,
          "precondition: scale only if the current size is this (-1: no precondition)"),
     Flag(("--resource-version",), "resource_version", help="precondition: scale only if this is the resourceVersion"),
     Flag(("--all",), "all", "bool", False, "select all resources of the type in the namespace"),
     Flag(("--timeout",), "timeout", "str", "0s", help="(accepted; scaling is immediate here)"),
     SELECTOR, FILENAME, RECURSIVE, OUTPUT, DRY_RUN)))

# --- issue 11: HorizontalPodAutoscaler (w-hpa)
_add(Command(
    "autoscale", "cmd_autoscale:run",
    "Auto-scale a deployment, replica set, stateful set, or replication controller",
    "minikctl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU]",
    (Flag(("--min",), "min", "int32", None,
          "the lower limit for the number of pods that can be set by the autoscaler (unset or negative: the "
          "server's default, 1)"),
     Flag(("--max",), "max", "int32", None,
          "the upper limit for the number of pods that can be set by the autoscaler (required)"),
     Flag(("--cpu-percent",), "cpu_percent", "int32", -1,
          "the target average CPU utilization (percent of requested CPU) over all the pods (unset or negative: "
          "the default autoscaling policy, 80%)"),
     Flag(("--name",), "name", help="the name for the new object (default: the name of the input resource)"),
     Flag(("--field-manager",), "field_manager", help="(accepted) name of the manager used to track field ownership"),
     FILENAME, RECURSIVE, OUTPUT, DRY_RUN, SAVE_CONFIG)))
