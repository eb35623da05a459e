#!/usr/bin/env bash
# End-to-end tests of the web workspace: a throw-away hub with two partner organisations and
# four people, `evhub serve --web`, then tests/web/e2e.mjs drives Chromium against it.
#
#   tests/web/run_e2e.sh EVHUB_BINARY WEB_DIST_DIR
#
# Needs: node (18+), web/node_modules (npm ci in web/), /usr/bin/chromium (or $E2E_CHROMIUM).
# Screenshots go to $E2E_SCREENSHOTS (default build/e2e-screenshots).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 EVHUB_BINARY WEB_DIST_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
evhub="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
dist="$(cd "$2" && pwd)"
[ -x "$evhub" ] || { echo "no evhub binary at $evhub" >&2; exit 2; }
[ -f "$dist/index.html" ] || { echo "no built web app in $dist (run npm run build in web/)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/evhub-e2e.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Fictional accounts for this run only; the hub is deleted on exit.
export EVHUB_PASSPHRASE="e2e passphrase, not for real evidence"
export E2E_ANALYST_A="${E2E_ANALYST_A:-analyst-a}"
export E2E_ANALYST_A_PASSWORD="${E2E_ANALYST_A_PASSWORD:-analyst A password e2e}"
export E2E_ANALYST_B="${E2E_ANALYST_B:-analyst-b}"
export E2E_ANALYST_B_PASSWORD="${E2E_ANALYST_B_PASSWORD:-analyst B password e2e}"
export E2E_ADMIN="${E2E_ADMIN:-admin-a}"
export E2E_ADMIN_PASSWORD="${E2E_ADMIN_PASSWORD:-administrator password e2e}"
export E2E_LEAD="${E2E_LEAD:-lead-a}"
export E2E_LEAD_PASSWORD="${E2E_LEAD_PASSWORD:-lead A password e2e}"
export E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-$root/build/e2e-screenshots}"
export E2E_WEB_DIR="${E2E_WEB_DIR:-$root/web}"
mkdir -p "$E2E_SCREENSHOTS"
E2E_SCREENSHOTS="$(cd "$E2E_SCREENSHOTS" && pwd)"

hub="$work/hub"
export EVHUB_ACTOR="e2e-setup"
"$evhub" --hub "$hub" init --kdf interactive >"$work/setup.log"
"$evhub" --hub "$hub" org add "Partner A" >>"$work/setup.log"
"$evhub" --hub "$hub" org add "Partner B" >>"$work/setup.log"
EVHUB_USER_PASSWORD="$E2E_ANALYST_A_PASSWORD" "$evhub" --hub "$hub" user add "$E2E_ANALYST_A" \
  --org "Partner A" --role analyst --role intake-officer >>"$work/setup.log"
EVHUB_USER_PASSWORD="$E2E_ANALYST_B_PASSWORD" "$evhub" --hub "$hub" user add "$E2E_ANALYST_B" \
  --org "Partner B" --role analyst >>"$work/setup.log"
EVHUB_USER_PASSWORD="$E2E_ADMIN_PASSWORD" "$evhub" --hub "$hub" user add "$E2E_ADMIN" \
  --org "Partner A" --role administrator >>"$work/setup.log"
# The lead checks consent gaps and erases a witness.
EVHUB_USER_PASSWORD="$E2E_LEAD_PASSWORD" "$evhub" --hub "$hub" user add "$E2E_LEAD" \
  --org "Partner A" --role lead >>"$work/setup.log"

unset EVHUB_ACTOR

# Port 0: the server picks a free port and prints the URL it listens on.
"$evhub" --hub "$hub" serve --listen 127.0.0.1:0 --web "$dist" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'http://[^ "]*' "$work/serve.out" 2>/dev/null | head -n 1 || true)"
  [ -n "$url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "evhub serve exited before listening:" >&2
    cat "$work/serve.out" "$work/serve.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "evhub serve did not print its URL within 30 s" >&2
  cat "$work/serve.out" "$work/serve.err" >&2
  exit 1
fi

status=0
node "$here/e2e.mjs" "$url" || status=$?
if [ "$status" -ne 0 ] && [ -s "$work/serve.err" ]; then
  echo "--- evhub serve stderr (last 40 lines) ---" >&2
  tail -n 40 "$work/serve.err" >&2
fi
exit "$status"
