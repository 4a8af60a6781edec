#!/usr/bin/env bash
# Creates, once, the cached virtualenv of the vendor's official Python SDKs
# that the interop tests drive unchanged: `alibabacloud-cr20181201` (signs
# V3 by default) and `aliyun-python-sdk-core` (V1). The venv lives at
# ${TAGDECK_PY_VENV:-$HOME/.cache/tagdeck/py-sdk}; it is skipped when it is
# present and complete (its marker names exactly these pins). Prints nothing
# but errors; prints the venv's path on stdout only with --print-path.
# With --no-install (for tests, which never reach the network) a missing or
# incomplete venv is an error instead.
set -euo pipefail

print_path=false
install=true
for arg in "$@"; do
  case "$arg" in
    --print-path) print_path=true ;;
    --no-install) install=false ;;
    *) echo "python-env: unknown option $arg (use --print-path, --no-install)" >&2; exit 2 ;;
  esac
done

venv="${TAGDECK_PY_VENV:-$HOME/.cache/tagdeck/py-sdk}"
pins=(alibabacloud-cr20181201==2.2.5 aliyun-python-sdk-core==2.16.1)
marker="$venv/.tagdeck-complete"

if [ "$(cat "$marker" 2>/dev/null)" != "${pins[*]}" ]; then
  if ! $install; then
    echo "python-env: no complete venv at $venv: run bash scripts/python-env.sh (or scripts/setup.sh) first" >&2
    exit 1
  fi
  python="$(command -v python3 || true)"
  [ -n "$python" ] || { echo "python-env: python3 is not installed" >&2; exit 1; }
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  # A half-made venv (an interrupted install) is made again from scratch.
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  if ! { "$python" -m venv "$venv" \
      && "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input "${pins[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "python-env: could not install ${pins[*]} into $venv" >&2
    exit 1
  fi
  printf '%s' "${pins[*]}" > "$marker"
fi

if $print_path; then
  echo "$venv"
fi
