"""The version.Info both front ends report (k8s.io/apimachinery/pkg/version): `minikctl version`'s
clientVersion and serverVersion, and `minikctl serve`'s /version."""

from __future__ import annotations


def version_info(git: str) -> dict:
    """version.Info of a Kubernetes build `git` ("v1.32.0"), as kube-apiserver 1.32.0's and
    kubectl 1.32.0's release binaries report it."""
    return {"major": "1", "minor": git.split(".")[1], "gitVersion": git, "gitCommit": "", "gitTreeState": "clean",
            "buildDate": "2024-12-11T18:04:20Z", "goVersion": "go1.23.3", "compiler": "gc",
            "platform": "linux/amd64"}
