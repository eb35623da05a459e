#!/usr/bin/env bash
# Evidence Hub ingest benchmark (a benchmark, not a test: it always prints a verdict and exits 0
# once it has run; it exits 1 only when it cannot run, e.g. a missing tool or too little space,
# and 2 when an evhub command failed so its figures are not valid).
#
# On the same data, in one run, it compares `evhub put` against
#   - the floor:    openssl dgst -sha256      (evhub must at least hash every byte)
#   - the pipeline: sha256sum + age -r KEY    (what a user would otherwise run by hand)
# for one large file (default 2 GiB) and for many small files (default 20,000 of 4-64 KiB),
# and records evhub's peak RSS on the large file and on a 256 MiB file (memory flat in size).
#
# Environment:
#   EVHUB_BIN          evhub binary                        (default build/evhub of this checkout)
#   BENCH_DIR          where the temp dir goes             (default /tmp)
#   BENCH_LARGE_MB     size of the large file, MiB         (default 2048)
#   BENCH_RSS_MB       size of the second file for RSS     (default 256)
#   BENCH_SMALL_FILES  number of small files               (default 20000)
#   BENCH_AGE_SAMPLE   small files age is timed on         (default 2000; extrapolated)
#   BENCH_RUNS         repetitions, best one is kept       (default 3)
#   BENCH_MIN_FREE_MB  free space needed in BENCH_DIR      (default 4 x BENCH_LARGE_MB, >= 1024)
#
# Quick check: BENCH_LARGE_MB=64 BENCH_RSS_MB=16 BENCH_SMALL_FILES=500 BENCH_AGE_SAMPLE=100 \
#              bench/ingest_bench.sh
set -uo pipefail

export EVHUB_BIN=${EVHUB_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/evhub}
BENCH_DIR=${BENCH_DIR:-/tmp}
LARGE_MB=${BENCH_LARGE_MB:-2048}
RSS_MB=${BENCH_RSS_MB:-256}
SMALL_FILES=${BENCH_SMALL_FILES:-20000}
AGE_SAMPLE=${BENCH_AGE_SAMPLE:-2000}
RUNS=${BENCH_RUNS:-3}
MIN_FREE_MB=${BENCH_MIN_FREE_MB:-$((4 * LARGE_MB > 1024 ? 4 * LARGE_MB : 1024))}
TIME_BIN=/usr/bin/time

# Targets (from the performance issue).
TARGET_LARGE_RATIO=0.70   # evhub put throughput >= 70% of openssl dgst -sha256
TARGET_SMALL_FPS=2000     # small files: >= 2,000 files/s
RSS_FLAT_SLACK_KB=16384   # "flat": peak RSS on the large file <= RSS on the small one + 16 MiB

export EVHUB_PASSPHRASE=${EVHUB_PASSPHRASE:-evhub-bench-passphrase}
export EVHUB_ACTOR=${EVHUB_ACTOR:-bench}

die() { echo "ingest_bench: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

for v in LARGE_MB RSS_MB SMALL_FILES AGE_SAMPLE RUNS MIN_FREE_MB; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || die "$v must be a positive integer (got '${!v}')"
done
((AGE_SAMPLE > SMALL_FILES)) && AGE_SAMPLE=$SMALL_FILES

# ---------------------------------------------------------------- prerequisites
[[ -x $EVHUB_BIN ]] || die "evhub binary not found at $EVHUB_BIN (build it: cd build && ninja evhub, or set EVHUB_BIN)"
for tool in openssl sha256sum age age-keygen python3 find xargs df awk; do
  command -v "$tool" >/dev/null || die "missing tool: $tool"
done
HAVE_TIME=1
if [[ ! -x $TIME_BIN ]]; then
  HAVE_TIME=0
  echo "ingest_bench: $TIME_BIN not found (Debian package 'time': apt-get install -y time);" \
       "peak RSS will not be measured" >&2
fi
[[ -d $BENCH_DIR ]] || die "BENCH_DIR $BENCH_DIR is not a directory"
free_mb=$(df -Pm "$BENCH_DIR" | awk 'NR==2 {print $4}')
if ((free_mb < MIN_FREE_MB)); then
  die "only ${free_mb} MiB free in $BENCH_DIR, need ${MIN_FREE_MB} MiB" \
      "(large file + age output + hub copy + small files); set BENCH_DIR elsewhere or lower BENCH_LARGE_MB"
fi

WORK=$(mktemp -d "$BENCH_DIR/evhub-bench.XXXXXX") || die "cannot create a temp dir in $BENCH_DIR"
cleanup() { rm -rf -- "$WORK"; }
trap cleanup EXIT
trap 'echo "ingest_bench: interrupted" >&2; exit 130' INT TERM

EVHUB_FAILED=0

# ---------------------------------------------------------------- helpers
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", b - a}'; }
# calc EXPR: floating-point arithmetic with awk.
calc() { awk "BEGIN {printf \"%.${2:-2}f\", $1}"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a >= b)}'; }
min_of() { printf '%s\n' "$@" | sort -g | head -1; }
max_of() { printf '%s\n' "$@" | sort -g | tail -1; }
verdict() { if ge "$1" "$2"; then echo PASS; else echo FAIL; fi; }

# Random-ish bytes fast: AES-CTR keystream of /dev/zero.
gen_file() {  # gen_file PATH MiB SEED
  openssl enc -aes-128-ctr -pass "pass:$3" -nosalt -pbkdf2 </dev/zero 2>/dev/null |
    head -c "$(($2 * 1024 * 1024))" >"$1"
  [[ $(stat -c %s "$1") -eq $(($2 * 1024 * 1024)) ]] || die "could not write $1"
}

warm() { cat -- "$@" >/dev/null; }          # read files into the page cache
warm_dir() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

# A fresh, empty hub (init is not timed: the interactive Argon2id cost is paid there once;
# every put still opens the hub, which is part of its measured time).
fresh_hub() {
  rm -rf -- "$1"
  "$EVHUB_BIN" --hub "$1" init --kdf interactive >/dev/null || { EVHUB_FAILED=1; return 1; }
}

# ---------------------------------------------------------------- setup
log "work dir $WORK (${free_mb} MiB free); evhub: $EVHUB_BIN"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
age-keygen -o "$WORK/key.txt" 2>/dev/null || die "age-keygen failed"
RECIPIENT=$(awk '/^# public key:/ {print $4}' "$WORK/key.txt")
[[ $RECIPIENT == age1* ]] || die "could not read the age public key from $WORK/key.txt"

LARGE=$WORK/large.bin
log "generating the large file: ${LARGE_MB} MiB"
gen_file "$LARGE" "$LARGE_MB" large
LARGE_BYTES=$(stat -c %s "$LARGE")

# ================================================================ 1. large file
declare -a T_OSSL T_PIPE T_EVHUB RSS_LARGE
for ((r = 1; r <= RUNS; r++)); do
  log "large file, run $r/$RUNS"

  sync; warm "$LARGE"
  t0=$(now); openssl dgst -sha256 "$LARGE" >/dev/null || die "openssl dgst failed"; t1=$(now)
  T_OSSL+=("$(elapsed "$t0" "$t1")")

  rm -f "$WORK/large.age"; sync; warm "$LARGE"
  t0=$(now)
  sha256sum "$LARGE" >/dev/null || die "sha256sum failed"
  age -r "$RECIPIENT" -o "$WORK/large.age" "$LARGE" || die "age failed"
  t1=$(now)
  T_PIPE+=("$(elapsed "$t0" "$t1")")
  rm -f "$WORK/large.age"

  fresh_hub "$WORK/hub-large" || break
  sync; warm "$LARGE"
  t0=$(now)
  if ((HAVE_TIME)); then
    "$TIME_BIN" -f %M -o "$WORK/rss.txt" \
      "$EVHUB_BIN" --hub "$WORK/hub-large" put "$LARGE" --domain bench >/dev/null
  else
    "$EVHUB_BIN" --hub "$WORK/hub-large" put "$LARGE" --domain bench >/dev/null
  fi
  rc=$?; t1=$(now)
  if ((rc != 0)); then echo "evhub put (large) failed with exit code $rc" >&2; EVHUB_FAILED=1; break; fi
  T_EVHUB+=("$(elapsed "$t0" "$t1")")
  ((HAVE_TIME)) && RSS_LARGE+=("$(tail -1 "$WORK/rss.txt")")
  rm -rf -- "$WORK/hub-large"
done

# Peak RSS on a smaller file, same settings, fresh hub.
RSS_SMALLFILE=""
if ((HAVE_TIME && !EVHUB_FAILED)); then
  log "evhub put on a ${RSS_MB} MiB file for peak RSS"
  MID=$WORK/mid.bin
  gen_file "$MID" "$RSS_MB" mid
  if fresh_hub "$WORK/hub-mid"; then
    sync; warm "$MID"
    if "$TIME_BIN" -f %M -o "$WORK/rss.txt" \
        "$EVHUB_BIN" --hub "$WORK/hub-mid" put "$MID" --domain bench >/dev/null; then
      RSS_SMALLFILE=$(tail -1 "$WORK/rss.txt")
    else
      echo "evhub put (${RSS_MB} MiB) failed" >&2; EVHUB_FAILED=1
    fi
  fi
  rm -rf -- "$WORK/hub-mid" "$MID"
fi
rm -f -- "$LARGE"

# ================================================================ 2. small files
SMALL=$WORK/small
log "generating $SMALL_FILES small files of 4-64 KiB"
python3 - "$SMALL" "$SMALL_FILES" <<'EOF' || die "could not generate the small files"
import os, random, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
for i in range(n):
    with open(os.path.join(d, f"f{i:06d}.bin"), "wb") as f:
        f.write(os.urandom(random.randint(4 * 1024, 64 * 1024)))
EOF
SMALL_BYTES=$(find "$SMALL" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
# The age subset: a fixed random sample, listed once so every run uses the same files.
(cd "$SMALL" && find . -type f -name '*.bin' -printf '%f\n' | shuf -n "$AGE_SAMPLE" >"$WORK/age-sample.txt")
SAMPLE_BYTES=$(cd "$SMALL" && xargs -a "$WORK/age-sample.txt" stat -c %s | awk '{s += $1} END {print s}')

# Largest argument list xargs may build, so that evhub put gets every file in one command when
# the system allows it (paths are relative and short).
XARGS_S=$(( $(getconf ARG_MAX) - 65536 ))

declare -a S_OSSL S_SHA S_AGE S_EVHUB S_BATCHES RSS_SMALLRUN
for ((r = 1; r <= RUNS; r++)); do
  log "small files, run $r/$RUNS"

  sync; warm_dir "$SMALL"
  t0=$(now)
  (cd "$SMALL" && find . -type f -print0 | xargs -0 -s "$XARGS_S" openssl dgst -sha256 >/dev/null) ||
    die "openssl dgst failed"
  t1=$(now); S_OSSL+=("$(elapsed "$t0" "$t1")")

  # sha256sum over every file (a user runs it once over all of them) ...
  sync; warm_dir "$SMALL"
  t0=$(now)
  (cd "$SMALL" && find . -type f -print0 | xargs -0 -s "$XARGS_S" sha256sum >/dev/null) ||
    die "sha256sum failed"
  t1=$(now); S_SHA+=("$(elapsed "$t0" "$t1")")
  # ... and age once per file, timed on the sample and extrapolated to all files.
  rm -rf -- "$WORK/age-out"; mkdir "$WORK/age-out"
  t0=$(now)
  (cd "$SMALL" && while IFS= read -r f; do
     age -r "$RECIPIENT" -o "$WORK/age-out/$f.age" "$f" || exit 1
   done <"$WORK/age-sample.txt") || die "age failed"
  t1=$(now); S_AGE+=("$(elapsed "$t0" "$t1")")
  rm -rf -- "$WORK/age-out"

  # evhub: all files in one put (xargs splits only if the argument list is too long).
  fresh_hub "$WORK/hub-small" || break
  : >"$WORK/batches.txt"; : >"$WORK/rss-small.txt"; : >"$WORK/put-out.txt"
  sync; warm_dir "$SMALL"
  t0=$(now)
  (cd "$SMALL" && find . -type f -print0 |
     xargs -0 -s "$XARGS_S" bash -c '
       echo "$#" >>"$0/batches.txt"
       if [[ -x /usr/bin/time ]]; then
         exec /usr/bin/time -a -o "$0/rss-small.txt" -f %M "$EVHUB_BIN" --hub "$0/hub-small" put --domain small "$@"
       else
         exec "$EVHUB_BIN" --hub "$0/hub-small" put --domain small "$@"
       fi' "$WORK" >"$WORK/put-out.txt")
  rc=$?; t1=$(now)
  stored=$(wc -l <"$WORK/put-out.txt")
  if ((rc != 0 || stored != SMALL_FILES)); then
    echo "evhub put (small files) failed: exit $rc, $stored of $SMALL_FILES files reported stored" >&2
    EVHUB_FAILED=1; break
  fi
  S_EVHUB+=("$(elapsed "$t0" "$t1")")
  S_BATCHES+=("$(wc -l <"$WORK/batches.txt")")
  [[ -s $WORK/rss-small.txt ]] && RSS_SMALLRUN+=("$(sort -g "$WORK/rss-small.txt" | tail -1)")
  if ((r == RUNS)); then
    status_objects=$("$EVHUB_BIN" --hub "$WORK/hub-small" --json status |
                     python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"])' 2>/dev/null)
  fi
  rm -rf -- "$WORK/hub-small"
done

# ================================================================ report
mbps() { calc "$1 / $2 / 1000000"; }
runs_list() { local out="" t; for t in "$@"; do out+="${out:+, }$(calc "$t" 3)s"; done; echo "$out"; }

echo
echo "================ Evidence Hub ingest benchmark ================"
echo "machine: $(nproc) cores, $(lscpu 2>/dev/null | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')"
echo "evhub:   $EVHUB_BIN;  openssl: $(openssl version | awk '{print $2}');  age: $(age --version)"
echo "timing:  best of $RUNS runs (wall clock), page cache warmed before each; MB = 10^6 bytes"
echo "         evhub put time includes opening the hub (Argon2id 'interactive') and fsyncs;"
echo "         hub init is not timed."
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load:    average $LOAD_START at start, $LOAD_END at end (1, 5, 15 min)"
if awk -v a="${LOAD_START%% *}" 'BEGIN {exit !(a > 0.5)}'; then
  echo "WARNING: other processes were using the CPU when it started; evhub's large-file put"
  echo "         runs on two threads and suffers more from that than single-threaded openssl:"
  echo "         rerun on a quiet machine."
fi
echo

LARGE_RESULT=FAIL; SMALL_RESULT=FAIL; MEM_RESULT=SKIP
echo "---- 1. large file: $(calc "$LARGE_BYTES / 1048576" 0) MiB ----"
if ((${#T_OSSL[@]} && ${#T_PIPE[@]})); then
  b_ossl=$(min_of "${T_OSSL[@]}"); b_pipe=$(min_of "${T_PIPE[@]}")
  m_ossl=$(mbps "$LARGE_BYTES" "$b_ossl"); m_pipe=$(mbps "$LARGE_BYTES" "$b_pipe")
  printf '  %-34s %9s MB/s   (runs: %s)\n' "openssl dgst -sha256" "$m_ossl" "$(runs_list "${T_OSSL[@]}")"
  printf '  %-34s %9s MB/s   (runs: %s)\n' "sha256sum + age -r" "$m_pipe" "$(runs_list "${T_PIPE[@]}")"
  if ((${#T_EVHUB[@]} == RUNS)); then
    b_ev=$(min_of "${T_EVHUB[@]}"); m_ev=$(mbps "$LARGE_BYTES" "$b_ev")
    printf '  %-34s %9s MB/s   (runs: %s)\n' "evhub put" "$m_ev" "$(runs_list "${T_EVHUB[@]}")"
    r_ossl=$(calc "$m_ev / $m_ossl"); r_pipe=$(calc "$m_ev / $m_pipe")
    LARGE_RESULT=$(verdict "$r_ossl" "$TARGET_LARGE_RATIO")
    echo "  ratio evhub / openssl dgst:        $r_ossl   (target >= $TARGET_LARGE_RATIO: $LARGE_RESULT)"
    echo "  ratio evhub / (sha256sum + age):   $r_pipe   (> 1 means evhub is faster)"
  else
    echo "  evhub put:                         ERROR (see above)"
  fi
fi
if ((HAVE_TIME)); then
  if ((${#RSS_LARGE[@]})) && [[ -n $RSS_SMALLFILE ]]; then
    rss_l=$(max_of "${RSS_LARGE[@]}")
    printf '  peak RSS, evhub put %6s MiB file:  %8s KiB (%s MiB)\n' \
      "$(calc "$LARGE_BYTES / 1048576" 0)" "$rss_l" "$(calc "$rss_l / 1024" 1)"
    printf '  peak RSS, evhub put %6s MiB file:  %8s KiB (%s MiB)\n' \
      "$RSS_MB" "$RSS_SMALLFILE" "$(calc "$RSS_SMALLFILE / 1024" 1)"
    if ((rss_l <= RSS_SMALLFILE + RSS_FLAT_SLACK_KB)); then MEM_RESULT=PASS; else MEM_RESULT=FAIL; fi
    echo "  memory flat in file size (large <= small + $((RSS_FLAT_SLACK_KB / 1024)) MiB): $MEM_RESULT"
  else
    MEM_RESULT=FAIL
    echo "  peak RSS: not measured (evhub put failed)"
  fi
else
  echo "  peak RSS: not measured ($TIME_BIN missing: apt-get install -y time)"
fi
echo

echo "---- 2. small files: $SMALL_FILES files, 4-64 KiB, $(calc "$SMALL_BYTES / 1048576" 1) MiB ----"
if ((${#S_OSSL[@]} && ${#S_SHA[@]} && ${#S_AGE[@]})); then
  b_sossl=$(min_of "${S_OSSL[@]}")
  # Per run: sha256sum over all files + age time extrapolated from the sample to all files.
  declare -a S_PIPE
  for ((i = 0; i < ${#S_SHA[@]}; i++)); do
    S_PIPE+=("$(calc "${S_SHA[i]} + ${S_AGE[i]} * $SMALL_FILES / $AGE_SAMPLE" 4)")
  done
  b_spipe=$(min_of "${S_PIPE[@]}")
  f_ossl=$(calc "$SMALL_FILES / $b_sossl" 0); f_pipe=$(calc "$SMALL_FILES / $b_spipe" 0)
  printf '  %-34s %9s files/s  (%s MB/s; runs: %s)\n' "openssl dgst -sha256 (xargs)" "$f_ossl" \
    "$(mbps "$SMALL_BYTES" "$b_sossl")" "$(runs_list "${S_OSSL[@]}")"
  printf '  %-34s %9s files/s  (%s MB/s; runs: %s)\n' "sha256sum (xargs) + age per file" "$f_pipe" \
    "$(mbps "$SMALL_BYTES" "$b_spipe")" "$(runs_list "${S_PIPE[@]}")"
  echo "      age timed on a random $AGE_SAMPLE of the $SMALL_FILES files ($(calc "$SAMPLE_BYTES / 1048576" 1) MiB)," \
       "extrapolated x$(calc "$SMALL_FILES / $AGE_SAMPLE" 2);"
  echo "      age alone: $(calc "$AGE_SAMPLE / $(min_of "${S_AGE[@]}")" 0) files/s," \
       "sha256sum alone: $(calc "$SMALL_FILES / $(min_of "${S_SHA[@]}")" 0) files/s"
  if ((${#S_EVHUB[@]} == RUNS)); then
    b_sev=$(min_of "${S_EVHUB[@]}"); f_ev=$(calc "$SMALL_FILES / $b_sev" 0)
    printf '  %-34s %9s files/s  (%s MB/s; runs: %s)\n' "evhub put (all files)" "$f_ev" \
      "$(mbps "$SMALL_BYTES" "$b_sev")" "$(runs_list "${S_EVHUB[@]}")"
    echo "      $(max_of "${S_BATCHES[@]}") evhub put command(s) per run; $SMALL_FILES files reported stored" \
         "each run${status_objects:+; evhub status: $status_objects objects}"
    ((${#RSS_SMALLRUN[@]})) && echo "      peak RSS of the put: $(max_of "${RSS_SMALLRUN[@]}") KiB ($(calc "$(max_of "${RSS_SMALLRUN[@]}") / 1024" 1) MiB)"
    echo "  ratio evhub / openssl dgst:        $(calc "$f_ev / $f_ossl")"
    echo "  ratio evhub / (sha256sum + age):   $(calc "$f_ev / $f_pipe")   (> 1 means evhub is faster)"
    SMALL_RESULT=$(verdict "$f_ev" "$TARGET_SMALL_FPS")
    echo "  target >= $TARGET_SMALL_FPS files/s: $SMALL_RESULT"
  else
    echo "  evhub put:                         ERROR (see above)"
  fi
fi
echo

echo "================ summary ================"
printf '  %-58s %s\n' "large-file ingest >= 70% of openssl dgst -sha256" \
  "$LARGE_RESULT${r_ossl:+ ($(calc "$r_ossl * 100" 0)%)}"
printf '  %-58s %s\n' "small files >= $TARGET_SMALL_FPS files/s" "$SMALL_RESULT${f_ev:+ ($f_ev files/s)}"
printf '  %-58s %s\n' "memory flat in file size (peak RSS)" \
  "$MEM_RESULT${rss_l:+ (${rss_l} KiB vs ${RSS_SMALLFILE} KiB)}"
if ((EVHUB_FAILED)); then
  echo "  NOTE: an evhub command failed; the figures above are incomplete."
  exit 2
fi
exit 0
