#!/usr/bin/env bash
# API benchmark (not a test): `wrk` on loopback against `evhub serve`, in one run:
#   1. authenticated GET /api/v1/objects?limit=50 at 64 connections: requests/s and p99 latency
#      (target on 2 cores: >= 5,000 requests/s with p99 < 50 ms), and the server's memory
#      before and after (target: flat);
#   2. GET /api/v1/health while 500 idle connections are held open (slow clients must not stop
#      others being served).
#   3. the web app's script (the largest file index.html loads, as a browser's first visit
#      fetches it) at 64 connections: requests/s and p99 latency.
# Env: EVHUB_BIN, EVHUB_WEB (default web/dist), BENCH_SECONDS (default 60), BENCH_OBJECTS
# (default 500), BENCH_TOP=1 (print `top` during the run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
evhub="${EVHUB_BIN:-$root/build/evhub}"
web="${EVHUB_WEB:-$root/web/dist}"
[ -f "$web/index.html" ] || { echo "api_bench: no web app in $web (run scripts/build.sh)"; exit 1; }
seconds="${BENCH_SECONDS:-60}"
objects="${BENCH_OBJECTS:-500}"
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "api_bench: needs $tool (apt-get install $tool)"; exit 1; }
done
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

hub="$work/hub" key="$work/key"
ev() { "$evhub" --hub "$hub" --key-file "$key" "$@"; }
ev init >/dev/null 2>&1
ev org add "Bench Partner" >/dev/null
EVHUB_USER_PASSWORD="bench analyst password" ev user add analyst --org "Bench Partner" \
  --role analyst >/dev/null
mkdir "$work/files"
python3 - "$work/files" "$objects" <<'PY'
import os, sys
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], "f%05d" % i), "wb") as f:
        f.write(os.urandom(2048))
PY
(cd "$work/files" && ls | xargs "$evhub" --hub "$hub" --key-file "$key" put --domain W-00001 \
  --org "Bench Partner" >/dev/null)

"$evhub" --hub "$hub" --key-file "$key" serve --listen 127.0.0.1:0 --web "$web" \
  >"$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "http://" "$work/serve.out" && break; sleep 0.1; done
url="$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)"
curl -s -c "$work/jar" --data '{"username":"analyst","password":"bench analyst password"}' \
  "$url/api/v1/session" >/dev/null
cookie="$(awk '$6 == "evhub_session" {print $7}' "$work/jar")"
[ -n "$cookie" ] || { echo "api_bench: could not sign in"; exit 2; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }

echo "================ Evidence Hub API benchmark ================"
echo "machine: $(nproc) cores; server: $url; $objects objects; wrk $seconds s per run"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo
echo "---- 1. GET /api/v1/objects?limit=50, authenticated, 64 connections ----"
rss_before="$(rss)"
if [ -n "${BENCH_TOP:-}" ]; then (sleep 3; top -b -n1 | head -15 >"$work/top.txt") & fi
wrk -t2 -c64 -d"${seconds}s" --latency -H "Cookie: evhub_session=$cookie" \
  "$url/api/v1/objects?limit=50" >"$work/wrk1.txt"
rss_after="$(rss)"
if [ -n "${BENCH_TOP:-}" ]; then cat "$work/top.txt"; fi
rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk1.txt")"
p99="$(awk '$1 == "99%" {print $2}' "$work/wrk1.txt")"
non2xx="$(awk '/Non-2xx/ {print $5}' "$work/wrk1.txt")"
grep -E "Latency|Req/Sec|requests in|Non-2xx|Socket errors" "$work/wrk1.txt" | sed 's/^/  /'
echo "  requests/s: $rps   p99 latency: $p99   non-2xx: ${non2xx:-0}"
echo "  server RSS before: ${rss_before} KiB, after: ${rss_after} KiB"

echo
echo "---- 2. GET /api/v1/health while 500 idle connections are held open ----"
python3 - "$url" >"$work/idle.pid" <<'PY' &
import socket, sys, time, os
host, port = sys.argv[1][len("http://"):].split(":")
socks = []
for _ in range(500):
    s = socket.create_connection((host, int(port)))
    s.send(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")  # and never the rest
    socks.append(s)
print(os.getpid(), flush=True)
time.sleep(600)
PY
idle_pid=$!
sleep 2
wrk -t2 -c16 -d5s --latency "$url/api/v1/health" >"$work/wrk2.txt"
kill "$idle_pid" 2>/dev/null || true
rps2="$(awk '/Requests\/sec/ {print $2}' "$work/wrk2.txt")"
p99b="$(awk '$1 == "99%" {print $2}' "$work/wrk2.txt")"
echo "  with 500 stalled connections: $rps2 requests/s, p99 $p99b"

echo
asset="$(grep -o '/assets/[^"]*\.js' "$web/index.html" | head -1)"
asset_bytes="$(stat -c %s "$web$asset")"
echo "---- 3. GET $asset ($asset_bytes bytes), 64 connections ----"
wrk -t2 -c64 -d"${seconds}s" --latency "$url$asset" >"$work/wrk3.txt"
rps3="$(awk '/Requests\/sec/ {print $2}' "$work/wrk3.txt")"
p99c="$(awk '$1 == "99%" {print $2}' "$work/wrk3.txt")"
grep -E "Latency|requests in|Non-2xx|Socket errors|Transfer/sec" "$work/wrk3.txt" | sed 's/^/  /'
echo "  requests/s: $rps3   p99 latency: $p99c"

to_ms() {  # wrk prints 1.23ms, 456.00us or 1.20s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; print n }'
}
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }
p99ms="$(to_ms "$p99")"
echo
echo "================ summary ================"
echo "  objects list >= 5000 requests/s            $(verdict "$(awk -v r="$rps" 'BEGIN{print (r >= 5000)}')") ($rps)"
echo "  objects list p99 < 50 ms                   $(verdict "$(awk -v p="$p99ms" 'BEGIN{print (p < 50)}')") ($p99)"
echo "  memory flat over the run (< +16 MiB)       $(verdict "$(awk -v a="$rss_before" -v b="$rss_after" 'BEGIN{print (b - a < 16384)}')") (${rss_before} -> ${rss_after} KiB)"
echo "  served despite 500 idle connections        $(verdict "$(awk -v r="$rps2" 'BEGIN{print (r > 100)}')") ($rps2 requests/s)"
echo "  static asset ($asset_bytes bytes)          $rps3 requests/s, p99 $p99c"
