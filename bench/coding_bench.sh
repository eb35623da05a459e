#!/usr/bin/env bash
# Coding benchmark (not a test: it exits 0 once it has run, 1 if it cannot run, 2 if a step
# failed so its figures are not valid). In one run, bench/coding_bench (built from
# bench/coding_bench.cc) measures, each against a peer:
#   1. the coding workspace through the API on loopback (Api + Server as `evhub serve` runs
#      them): load a 30,000-word transcript with 500 annotations, save annotations (POST, PUT),
#      against the same work in process without HTTP;
#   2. retrieval of every passage coded with a code over 2,800 synth interviews (GET
#      /api/v1/coding/passages and AnnotationStore::with_codes), against a plain SQL query over
#      the same annotations in ordinary SQLite tables.
# Part 2's annotations are made through AnnotationStore::add (encrypted records and the custody
# log), about 5 minutes at full size on 2 cores: by default it makes 10,000; --full 100,000.
# See bench/README-coding.md.
#
# Usage: bench/coding_bench.sh [--full] [--passages N] [--interviews N] [--requests N]
#                              [--keep DIR] [--reuse DIR]
#   --keep DIR   build in DIR and keep it (part 2's hub can then be queried again)
#   --reuse DIR  query part 2's hub kept in DIR by an earlier --keep run (same sizes)
# Env: BUILD_DIR (default build/; needs the coding_bench target), BENCH_DIR (where the temp
#      dir goes, default /tmp).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
driver="$build/bench/coding_bench"
passages=10000
interviews=2800
requests=200
keep=""
reuse=0
while [ $# -gt 0 ]; do
  case "$1" in
    --full) passages=100000; shift ;;
    --passages) passages="$2"; shift 2 ;;
    --interviews) interviews="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --reuse) keep="$2"; reuse=1; shift 2 ;;
    *) echo "usage: $0 [--full] [--passages N] [--interviews N] [--requests N] [--keep DIR] [--reuse DIR]"
       exit 1 ;;
  esac
done
[ -x "$driver" ] || { echo "coding_bench: no $driver (cmake --build $build --target coding_bench)"; exit 1; }

if [ -n "$keep" ]; then
  work="$(realpath -m "$keep")"
  mkdir -p "$work"
else
  work="$(mktemp -d "${BENCH_DIR:-/tmp}/coding-bench.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
# Disk: about 7 KB a stored annotation (its encrypted record, log event, view and catalog rows,
# and the plain tables; 710 MB at 100,000), and the interviews and part 1's hub.
need_kb=$(( passages * 8 + 200000 ))
free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt "$need_kb" ]; then
  echo "coding_bench: needs about $(( need_kb / 1024 + 1 )) MiB free in $work"
  exit 1
fi

echo "================ Evidence Hub coding benchmark ================"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
echo "versions: sqlite $(pkg-config --modversion sqlite3)"
echo "evhub: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') ($driver)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo

args=(--work "$work" --interviews "$interviews" --passages "$passages" --requests "$requests")
[ "$reuse" = 1 ] && args+=(--reuse)
"$driver" "${args[@]}" || { echo "coding_bench: the driver failed"; exit 2; }
echo
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at the end"
exit 0
