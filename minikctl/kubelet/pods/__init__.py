"""The simulated kubelet's pod sync: start a pod bound to this node.

What a kubelet + containerd + a host-local CNI do when a pod lands on a node, made
instant: the pod gets an IP from the node's podCIDR (host-local IPAM: the gateway .1 is
skipped, addresses are handed out round-robin after the last one reserved, so a
replacement pod gets a new IP), the images are pulled and the containers created and
started, with the kubelet's Events (pkg/kubelet/images/image_manager.go,
pkg/kubelet/kuberuntime/kuberuntime_container.go), and the pod status is written as
kubelet_pods.go generateAPIPodStatus does (conditions PodReadyToStartContainers,
Initialized, Ready, ContainersReady, PodScheduled).

Readiness: ``container_ready`` decides whether a started container is ready. Without a
readinessProbe it is ready at once; with one it starts not ready, and the probe
worker (minikctl/kubelet/probes.py) flips it through ``set_container_ready``.

The package's parts, as the kubelet organises them:
- images: image references, what a node holds, pulls and their back-off (pkg/kubelet/images)
- events: the per-pod event recorder (client-go EventCorrelator)
- network: the sandbox's pod IP (host-local IPAM) and host IP
- status: readiness, conditions, phase (status manager, kubelet_pods.go)
- containers: starting the sandbox, init containers (and sidecars) in order, then the app containers
  (kuberuntime_manager.go SyncPod, kuberuntime_container.go startContainer)
- backoff: process exits, restarts per restartPolicy, the crash-loop back-off
- kill: killing a container (failed liveness probe, changed image, OOM)
- timers: the kubelet's timers (table kubelet_timers) and running those due on the cluster clock
- resync: the pod worker's re-syncs of a pod whose sync failed
- polling / configwait: pods waiting on a Service / a ConfigMap or Secret of their namespace
- termination: graceful deletion (preStop, SIGTERM, grace period)
- sync: one kubelet sync of a pod; forgetting a pod that is gone
"""

from __future__ import annotations

from minikctl.kubelet.pods.events import SOURCE, _Events, go_duration_ms, go_seconds  # noqa: F401
from minikctl.kubelet.pods.images import (  # noqa: F401
    IMAGES_META, PRELOADED, PULL_BACKOFF_INITIAL, PULL_BACKOFF_MAX, PULL_BACKOFF_META, PULL_REASONS, RETRY_REASONS,
    image_config, image_id, normalize_image, pull_error, reference_error, resolve_image)
from minikctl.kubelet.pods.network import LAST_IP_META, _host_ip  # noqa: F401
from minikctl.kubelet.pods.status import compute_conditions, container_ready, set_container_ready  # noqa: F401
from minikctl.kubelet.pods.containers import start_pod  # noqa: F401
from minikctl.kubelet.pods.backoff import (  # noqa: F401
    BACKOFF_INITIAL, BACKOFF_MAX, CRASH_BACKOFF_META, SYNC_PERIOD)
from minikctl.kubelet.pods.kill import restart_container, terminate_container  # noqa: F401
from minikctl.kubelet.pods.timers import (  # noqa: F401
    BACKOFF, DUE_META, EXIT, RESYNC, RESYNC_FIRST, RESYNC_PERIOD, TERMINATING, _update_due, catch_up, on_clock)
from minikctl.kubelet.pods.resync import FAST_FORWARD_AFTER  # noqa: F401
from minikctl.kubelet.pods.polling import POLLING_META, retry_polling  # noqa: F401
from minikctl.kubelet.pods.termination import graceful_delete  # noqa: F401
from minikctl.kubelet.pods.configwait import CONFIG_WAIT_META, retry_config_errors  # noqa: F401
from minikctl.kubelet.pods.sync import forget_pod, sync_pod  # noqa: F401
