# Shared prelude for the walkthroughs: a fresh emulated cluster in a temporary store
# (your default cluster is never touched), and helpers that show each command as it runs.
set -euo pipefail

if [ -z "${MINIKCTL_STATE:-}" ]; then
  MINIKCTL_STATE="$(mktemp -d)/walkthrough.db"
fi
export MINIKCTL_STATE
WORK="$(mktemp -d)"
cd "$WORK"

# run CMD...: print the command like a shell transcript, then run it.
run() { printf '\n$ %s\n' "$*"; "$@"; }

# fails CMD...: the command is expected to fail (a mistake in the tutorial); show its error.
fails() {
  printf '\n$ %s   # expected to fail\n' "$*"
  if "$@"; then echo "walkthrough: expected '$*' to fail" >&2; exit 1; fi
}

# check DESCRIPTION CMD...: assert something about the cluster (prints nothing on success).
check() {
  local what="$1"; shift
  if ! "$@" >/dev/null 2>&1; then echo "walkthrough check failed: $what" >&2; exit 1; fi
}

contains() { grep -q -- "$2" <<<"$1"; }

minikctl cluster create --clock manual >/dev/null
