#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ one after another, at the lowest CPU
# priority so other work on the machine keeps going.
#
#   bash scripts/fuzz-smoke.sh                 # every target, 10 s each (CI smoke run)
#   bash scripts/fuzz-smoke.sh 600 decode_xml  # one target, 10 minutes
#
# The corpora (fuzz/corpus/TARGET, not in git) are seeded from the answers in
# tests/fixtures/cr/ as `Action\nbody`. A crash fails the script; libFuzzer
# leaves the input in fuzz/artifacts/TARGET/ (make it a test in
# tests/fuzz_regressions.rs). Each run's last status line (execs, coverage)
# is appended to fuzz/runs.log.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

log() { printf '\033[1;34m[fuzz]\033[0m %s\n' "$*" >&2; }

if ! rustup toolchain list | grep -q '^nightly'; then
  log "rustup toolchain install nightly"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "cargo install cargo-fuzz (about a minute, once)"
  cargo install -q cargo-fuzz
fi

seed() {
  local target=$1 ext=$2 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  for body in tests/fixtures/cr/*/response."$ext"; do
    local action
    action=$(basename "$(dirname "$body")")
    { printf '%s\n' "$action"; cat "$body"; } >"$dir/seed-$action.$ext"
  done
}

for target in "${targets[@]}"; do
  extra=()
  case $target in
    decode_xml) seed decode_xml xml ;;
    decode_json) seed decode_json json ;;
    # One emulator serves the whole run and keeps what each request leaves
    # in its state (nonces, created resources); LeakSanitizer would take
    # that for a leak after every input and slow the run a hundredfold.
    emulator_rpc) mkdir -p "fuzz/corpus/$target"; extra=(-detect_leaks=0) ;;
    *) mkdir -p "fuzz/corpus/$target" ;;
  esac
  log "$target for ${seconds}s"
  output=$(mktemp)
  status=0
  (cd fuzz && nice -n 19 cargo +nightly fuzz run -j 1 "$target" -- \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=1024 \
    -print_final_stats=1 "${extra[@]}") >"$output" 2>&1 || status=$?
  stats=$(grep -E '^(#[0-9]+.*(DONE|pulse|NEW|REDUCE)|stat::number_of_executed_units)' "$output" | tail -2 | tr '\n' ' ')
  printf '%s %s %ss %s\n' "$(date -u +%FT%TZ)" "$target" "$seconds" "$stats" >>fuzz/runs.log
  if [ $status -ne 0 ]; then
    tail -40 "$output" >&2
    log "$target FAILED (status $status); inputs in fuzz/artifacts/$target/"
    rm -f "$output"
    exit $status
  fi
  log "$target ok: $stats"
  rm -f "$output"
done
