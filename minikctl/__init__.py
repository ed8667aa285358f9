"""minikctl: a command-line Kubernetes cluster emulator."""

__version__ = "0.1.0"
