#!/usr/bin/env bash
# Creates, once, the cached virtualenv of the vendor's official Python SDKs
# that the interop tests drive unchanged: `alibabacloud-cr20181201` (signs
# V3 by default) and `aliyun-python-sdk-core` (V1). The venv lives at
# ${TAGDECK_PY_VENV:-$HOME/.cache/tagdeck/py-sdk}; it is skipped when it is
# present and complete (its marker names exactly these pins). Prints nothing
# but errors; prints the venv's path on stdout only with --print-path.
set -euo pipefail

venv="${TAGDECK_PY_VENV:-$HOME/.cache/tagdeck/py-sdk}"
pins=(alibabacloud-cr20181201==2.2.5 aliyun-python-sdk-core==2.16.1)
marker="$venv/.tagdeck-complete"

if [ "$(cat "$marker" 2>/dev/null)" != "${pins[*]}" ]; then
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

if [ "${1:-}" = "--print-path" ]; then
  echo "$venv"
fi
