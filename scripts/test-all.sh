#!/usr/bin/env bash
# Runs every test of lethe: the format check (rustfmt.toml) and clippy first, then unit,
# property and integration tests of all crates, then the forensic seizure test (needs root
# for loop mounts), then a bounded fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n=== %s (%ss) ===\n' "$*" "$(( $(date +%s) - start ))"; }

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --release --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --release --workspace

step "cover text benchmark: capacity and lengths beside armor and a voice call (~1 min)"
cargo bench -p lethe-protocol --bench cover

step "SIGKILL of the real binary at random moments (ignored by default: ~3 min)"
cargo test --release -p lethe-cli --test sigkill -- --ignored --nocapture

if [ -x scripts/seizure.sh ]; then
  step "seizure test"
  scripts/seizure.sh
fi

if [ -x scripts/fuzz-ci.sh ]; then
  step "bounded fuzzing"
  FUZZ_SECONDS=${FUZZ_SECONDS:-5} scripts/fuzz-ci.sh
fi

step "all tests passed"
