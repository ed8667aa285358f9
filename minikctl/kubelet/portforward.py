"""The kubelet's side of a port-forward (pkg/kubelet/cri/streaming/portforward, and the container
runtime's PortForward: containerd's internal/cri/server/sandbox_portforward_linux.go): the errors
it writes on a forwarded connection's error stream. kubectl prints them after "an error occurred
forwarding LOCAL -> REMOTE: ".

Every front end takes them from here: `minikctl port-forward` (minikctl.cli.cmd_port_forward) and
`minikctl serve`'s portforward subresource (minikctl.apiserver.portforward).
"""

from __future__ import annotations


def refused(pod: dict, port: int) -> str:
    """What the kubelet's port-forward (containerd) says when nothing listens on the pod's port."""
    import hashlib

    uid = pod["metadata"]["uid"]
    sandbox = hashlib.sha256(("sandbox:" + uid).encode()).hexdigest()
    netns = "cni-" + uid
    return (f"error forwarding port {port} to pod {sandbox}, "
            f"uid : failed to execute portforward in network namespace \"/var/run/netns/{netns}\": failed to connect "
            f"to localhost:{port} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: "
            f"connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection refused ")


def pod_not_found(ns: str, name: str, uid: str, port: int) -> str:
    """What it says when the pod it forwards to is gone (or no longer running)."""
    return f'error forwarding port {port} to pod {uid}, uid : pod not found ("{name}_{ns}")'
