#!/bin/sh
# Regenerate the shell completion scripts from the command table (run from the repository root).
# tests/cli/test_completion.py fails when these files are stale.
set -e
python -m minikctl completion bash > completions/minikctl.bash
python -m minikctl completion zsh > completions/_minikctl
python -m minikctl completion fish > completions/minikctl.fish
