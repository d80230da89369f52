#!/usr/bin/env bash
# The forensic seizure test (docs/SEIZURE.md): needs root (loop mounts) and the examiner's
# tools. First the bed checks itself against a deliberately leaky store (every lethe row must
# be able to catch a leak), then it runs every scenario against the real lethe binary.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "seizure: needs root for loop mounts; run: sudo $0" >&2
  exit 2
fi
sh scripts/seizure-deps.sh
cargo build --release -p lethe-cli -p seizure
target/release/seizure --self-test-naive
target/release/seizure
