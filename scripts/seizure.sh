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
# Run the binaries this build made: cargo writes them where CARGO_TARGET_DIR or a
# build.target-dir setting says, not necessarily ./target (an old ./target/release/seizure
# and lethe would be tested instead, silently).
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [ -z "$target_dir" ] || [ ! -x "$target_dir/release/seizure" ] || [ ! -x "$target_dir/release/lethe" ]; then
  echo "seizure: cannot find the binaries just built (target directory: '${target_dir}')" >&2
  exit 2
fi
echo "seizure: testing $target_dir/release/lethe" >&2
"$target_dir/release/seizure" --self-test-naive
"$target_dir/release/seizure" --lethe "$target_dir/release/lethe"
