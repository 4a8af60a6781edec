#!/usr/bin/env bash
# Sets everything up and runs the main job: the emulator with demo data,
# serving the tag dashboard. Prints the URL and the demo credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
cargo build -q --profile emulator -p tagdeck-emulator
exec ./target/emulator/tagdeck-emulator --listen "${TAGDECK_LISTEN:-127.0.0.1:8080}" --seed demo "$@"
