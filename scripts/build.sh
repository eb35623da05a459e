#!/usr/bin/env bash
# Builds the web app (web/dist, with npm ci from the committed lock file), then configures and
# builds into BUILD_DIR (default build/) with Ninja; extra arguments go to cmake.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
if [ -f "$root/web/package.json" ] && [ "${EVHUB_SKIP_WEB:-0}" != 1 ]; then
  (
    cd "$root/web"
    # npm ci starts from scratch; skip it when node_modules already matches the lock file.
    if ! cmp -s package-lock.json node_modules/.evhub-lock 2>/dev/null; then
      npm ci --no-audit --no-fund --loglevel=error
      cp package-lock.json node_modules/.evhub-lock
    fi
    npm run --silent build
  )
fi
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
