#!/usr/bin/env bash
# Search benchmark (not a test: it exits 0 once it has run, 1 if it cannot run, 2 if a step
# failed so its figures are not valid). In one run, on the same items and the same queries:
#   1. `evhub synth --corpus` writes a corpus of fictional OSINT captions, posts and transcripts
#      in Belarusian, Russian and English (default 20,000 items; the full run: --items 2000000)
#      and `evhub synth --queries` the fixed mix of 500 queries;
#   2. a throwaway PostgreSQL 15 cluster is made in the temp dir (initdb as the `postgres` user
#      when run as root), listening only on a unix socket in that dir;
#   3. bench/search_bench (built from bench/search_bench.cc) builds and queries our index,
#      SQLite FTS5 and PostgreSQL full-text search and prints the table with the ratios and
#      PASS/FAIL against the targets.
# Everything is removed at the end. See bench/README-search.md.
#
# Usage: bench/search_bench.sh [--items N] [--seed S] [--no-pg] [--no-snippets]
#                              [--per-query OUT.tsv]  (every query's time and matches per engine)
# Env: BUILD_DIR (default build/; needs the evhub and search_bench targets), EVHUB_BIN,
#      BENCH_DIR (where the temp dir goes, default /tmp), PG_BIN (default
#      /usr/lib/postgresql/15/bin), PG_SHARED_BUFFERS (default 1GB).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
evhub="${EVHUB_BIN:-$build/evhub}"
driver="$build/bench/search_bench"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
items=20000
seed=1
use_pg=1
driver_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --items) items="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-pg) use_pg=0; shift ;;
    --no-snippets) driver_args+=(--no-snippets); shift ;;
    --per-query) driver_args+=(--per-query "$(realpath -m "$2")"); shift 2 ;;
    *) echo "usage: $0 [--items N] [--seed S] [--no-pg] [--no-snippets] [--per-query OUT.tsv]"; exit 1 ;;
  esac
done
[ -x "$evhub" ] || { echo "search_bench: no $evhub (ninja -C $build evhub)"; exit 1; }
[ -x "$driver" ] || { echo "search_bench: no $driver (ninja -C $build search_bench)"; exit 1; }
if [ "$use_pg" = 1 ] && [ ! -x "$pg_bin/initdb" ]; then
  echo "search_bench: needs PostgreSQL 15 (apt-get install postgresql-15), or run with --no-pg"
  exit 1
fi

work="$(mktemp -d "${BENCH_DIR:-/tmp}/search-bench.XXXXXX")"
pg_data="$work/pg/data"
pg_started=0
cleanup() {
  if [ "$pg_started" = 1 ]; then as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Disk: the corpus (~2.1 KB an item) and the largest store at a time (ours, ~4.5x the text,
# ~7 KB an item at 20,000 items); each store is removed once it is measured.
need_kb=$(( items * 12 ))
free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt "$need_kb" ]; then
  echo "search_bench: needs about $(( need_kb / 1048576 + 1 )) GiB free in $work, has $(( free_kb / 1048576 )) GiB"
  exit 1
fi

echo "================ Evidence Hub search benchmark ================"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
echo "versions: xapian $(pkg-config --modversion xapian-core), sqlite $(pkg-config --modversion sqlite3), $("$pg_bin/postgres" --version 2>/dev/null || echo 'no postgres')"
echo "evhub: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') ($evhub)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo

echo "---- corpus: $items items, seed $seed ----"
start=$(date +%s.%N)
"$evhub" synth --corpus "$work/corpus.jsonl" --queries "$work/queries.jsonl" --items "$items" \
  --seed "$seed" || { echo "search_bench: evhub synth failed"; exit 2; }
end=$(date +%s.%N)
awk -v n="$items" -v a="$start" -v b="$end" -v s="$(stat -c %s "$work/corpus.jsonl")" \
  'BEGIN { printf "  %.0f items/s, %.1f MB of JSON lines\n", n / (b - a), s / 1e6 }'

pg_args=()
if [ "$use_pg" = 1 ]; then
  echo "---- PostgreSQL: a throwaway cluster in $work/pg ----"
  mkdir -p "$work/pg/sock"
  chmod 755 "$work"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$work/pg"
  as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
  # A bulk-load set-up comparable to SQLite's journal_mode=OFF (nothing here must survive a
  # crash); a memory budget like the others' page cache; no JIT (short queries only).
  port=$(( 20000 + RANDOM % 20000 ))
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/log" -w \
    -o "-c listen_addresses='' -k $work/pg/sock -p $port -c shared_buffers=${PG_SHARED_BUFFERS:-1GB} -c work_mem=64MB -c maintenance_work_mem=1GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=8GB -c jit=off" \
    start >/dev/null || { cat "$work/pg/log"; exit 1; }
  pg_started=1
  pg_args=(--pg "host=$work/pg/sock port=$port user=postgres dbname=postgres")
fi

echo "---- engines ----"
mkdir -p "$work/run"
"$driver" --corpus "$work/corpus.jsonl" --queries "$work/queries.jsonl" --work "$work/run" \
  "${pg_args[@]}" "${driver_args[@]}" || { echo "search_bench: the driver failed"; exit 2; }
echo
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at the end"
exit 0
