#!/usr/bin/env bash
# Bounded fuzzing of every fuzz target in the repository (crates/*/fuzz, cargo-fuzz layout).
# Each target runs for FUZZ_SECONDS (default 30) from its committed seed corpus; new inputs go
# to a scratch directory, so the committed corpora stay as they are. Fails on any crash, on a
# target that does not build, and on a fuzz directory without targets.
#
#   scripts/fuzz-ci.sh                    # every target, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz-ci.sh   # longer
#   scripts/fuzz-ci.sh crates/vault/fuzz  # one fuzz directory
#
# The targets are built by cargo itself with the flags `cargo fuzz build -O` passes (libFuzzer's
# coverage instrumentation, AddressSanitizer, `--cfg fuzzing`), so cargo-fuzz need not be
# installed (on a fresh CI machine that install compiled for minutes); `cargo fuzz run` in a
# fuzz directory still works for longer sessions by hand. No nightly toolchain is needed:
# RUSTC_BOOTSTRAP=1 lets stable rustc take the sanitizer flag.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never
seconds=${FUZZ_SECONDS:-30}
# One target directory for every fuzz crate: their dependencies (the RustCrypto crates, built with
# the same sanitizer flags) are then compiled once instead of once per fuzz directory.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/fuzz}
triple=$(rustc -vV | sed -n 's/^host: //p')
# As `cargo fuzz build -O` (cargo-fuzz 0.13) sets them. With --target, they reach the fuzz crates
# and their dependencies but not build scripts or proc macros, which run on the host unsanitized.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
-Zsanitizer=address -Cllvm-args=-sanitizer-coverage-stack-depth -Ccodegen-units=1"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}

if [ $# -gt 0 ]; then dirs=("$@"); else dirs=(crates/*/fuzz); fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=()
summary=()
for dir in "${dirs[@]}"; do
  [ -f "$dir/Cargo.toml" ] || continue
  echo "=== $dir: building"
  if ! (cd "$dir" && cargo build --release --bins --target "$triple"); then
    echo "FAILED: the fuzz targets in $dir do not build" >&2
    failed+=("$dir (build)")
    continue
  fi
  # The fuzz crate's binaries ([[bin]] entries), as `cargo fuzz list` gives them.
  targets=$(cd "$dir" && cargo metadata --no-deps --format-version 1 |
    grep -o '"kind":\["bin"\][^}]*"name":"[^"]*"' | sed 's/.*"name":"\([^"]*\)"/\1/' | sort)
  if [ -z "$targets" ]; then
    echo "FAILED: $dir has no fuzz targets" >&2
    failed+=("$dir (no targets)")
    continue
  fi
  for t in $targets; do
    echo "=== $dir: $t for ${seconds}s"
    mkdir -p "$scratch/$dir/$t" "$dir/corpus/$t" "$dir/artifacts/$t"
    log="$scratch/$dir/$t.log"
    # -artifact_prefix keeps crash inputs where they can be looked at (fuzz/artifacts is ignored by git).
    if (cd "$dir" && "$CARGO_TARGET_DIR/$triple/release/$t" -artifact_prefix="artifacts/$t/" \
          -max_total_time="$seconds" -print_final_stats=1 "$scratch/$dir/$t" "corpus/$t") >"$log" 2>&1; then
      runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
      summary+=("$(printf '%-22s %-18s %10s executions in %ss' "$dir" "$t" "${runs:-?}" "$seconds")")
    else
      tail -n 40 "$log" >&2
      echo "FAILED: $dir $t crashed (inputs in $dir/artifacts/$t/)" >&2
      failed+=("$dir $t")
    fi
  done
done

echo
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "fuzzing: no crash"
