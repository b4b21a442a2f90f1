#!/usr/bin/env bash
# Runs a command with TMPDIR set to a fresh folder, removed afterwards: what
# the tests (and `swift test` itself, which leaves TemporaryDirectory.*
# folders) put in the temporary folder goes with it.
set -uo pipefail
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/caseledger-run.XXXXXX")"
chmod 755 "$SCRATCH"
cleanup() {
  # Unmount anything a test left mounted before removing the folder.
  if command -v findmnt >/dev/null 2>&1; then
    findmnt -rn -o TARGET | grep "^$SCRATCH" | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
  fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
TMPDIR="$SCRATCH" "$@"
