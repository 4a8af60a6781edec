#!/usr/bin/env bash
# The demo: the emulator with demo data, serving the tag dashboard. Installs
# what is missing, builds only what is out of date, and ends with the URL
# and the demo credentials on their own, last. Ctrl-C stops it.
#
#   TAGDECK_LISTEN=HOST:PORT     where to listen [default: 127.0.0.1:8080];
#                                port 0 picks a free one (the URL says which)
#   TAGDECK_EMULATOR_PROFILE=P   the emulator's cargo profile [default: emulator,
#                                optimized]; `dev` reuses the tests' debug build
#
# Further arguments go to tagdeck-emulator (`--state FILE`, `--throttle-rate R`,
# ...; see its --help). Build output goes to target/demo-build.log and is
# shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

listen=${TAGDECK_LISTEN:-127.0.0.1:8080}
profile=${TAGDECK_EMULATOR_PROFILE:-emulator}
target=${CARGO_TARGET_DIR:-target}
log="$target/demo-build.log"

say() { printf '\033[1;34m[demo]\033[0m %s\n' "$*" >&2; }
# Checked before anything is built, and by its name.
if ! [[ "$listen" =~ ^.+:[0-9]+$ ]]; then
  say "TAGDECK_LISTEN must be HOST:PORT (e.g. 127.0.0.1:9090), got \"$listen\""
  exit 2
fi
# Runs a build step with its output in the log; on failure shows the end of it.
quietly() {
  if ! "$@" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    say "failed: $* (the whole output: $log)"
    exit 1
  fi
}

bash scripts/setup.sh
mkdir -p "$target"
: >"$log"

# wasm-pack rebuilds every time; the package is rebuilt only when a file it
# is made from is newer than it.
pkg_sources=(src build build.rs Cargo.toml Cargo.lock .cargo pkg-template scripts/build-pkg.sh)
if [ -f pkg/package.json ] && [ -f pkg/tagdeck_bg.wasm ] &&
  [ -z "$(find "${pkg_sources[@]}" -newer pkg/package.json -print -quit 2>/dev/null)" ]; then
  say "the package (pkg/) is up to date"
else
  say "building the package (pkg/), about a minute"
  quietly bash scripts/build-pkg.sh
fi
# cargo rebuilds only what changed (a few minutes the first time).
say "building the emulator if needed (cargo, profile $profile)"
quietly cargo build --profile "$profile" -p tagdeck-emulator
emulator="$target/$([ "$profile" = dev ] && echo debug || echo "$profile")/tagdeck-emulator"

# The emulator's banner (`listening on URL`, then `name: value` lines up to
# `state: ...`) becomes the closing block; nothing is printed after it.
present() {
  local line url="" key value
  local -A banner=()
  while IFS= read -r line; do
    case "$line" in
      "tagdeck-emulator listening on "*) url=${line#tagdeck-emulator listening on } ;;
      *": "*)
        key=${line%%: *}
        value=${line#*: }
        banner[$key]=$value
        ;;
    esac
    [[ "$line" == "state: "* ]] && break
  done
  [ -n "$url" ] || return 0 # it did not start; its own error says why
  row() { printf '  %-24s %s\n' "$1" "$2"; }
  printf '\ntagdeck demo: the dashboard with demo data (state: %s). Ctrl-C stops it;\n' "${banner[state]:-in memory}"
  printf 'TAGDECK_LISTEN=HOST:PORT ./scripts/demo.sh listens elsewhere. Open the URL and connect with:\n\n'
  row "Dashboard" "${banner[dashboard]:-$url/}"
  row "Alibaba Cloud CR EE" "region ${banner[region-id]:-cn-hangzhou}, mode Direct, Endpoint as filled in"
  row "  AccessKey ID" "${banner[access-key-id]}"
  row "  AccessKey secret" "${banner[access-key-secret]}"
  if [ -n "${banner[security-token]:-}" ]; then row "  STS security token" "${banner[security-token]}"; fi
  row "Scaleway, OTC SWR" "Secret key / IAM token ${banner[auth-token]}"
  cat >/dev/null # keep reading, so the emulator never writes into a closed pipe
}

fifo_dir=$(mktemp -d)
trap 'rm -rf "$fifo_dir"' EXIT
mkfifo "$fifo_dir/banner"
"$emulator" --listen "$listen" --seed demo "$@" >"$fifo_dir/banner" &
emulator_pid=$!
present <"$fifo_dir/banner" &
# Ctrl-C or a TERM to this script stops the emulator (a background process
# of a script does not get the terminal's Ctrl-C by itself).
trap 'kill "$emulator_pid" 2>/dev/null || true' INT TERM
status=0
wait "$emulator_pid" || status=$?
wait || true # the presenter; and the emulator, when a signal cut the first wait short
exit "$status"
