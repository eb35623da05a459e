#!/usr/bin/env bash
# OCR benchmark (not a test), in one run over the same pages:
#   (a) the `tesseract` command once per page, one page after another, given each page's
#       language (as the hub would have detected it): as Debian ships it (OpenMP on), and again
#       with OMP_THREAD_LIMIT=1 (the stricter baseline: faster per page on few cores);
#   (b) extract_many() in one process (bench/ocr_bench_main.cc) on BENCH_THREADS threads
#       (default 2), the language detected per page, engines loaded once per thread.
# Prints pages/s, the ratios (target on 2 cores: (b) >= 1.8x the tesseract command) and the
# mean character error rate of each against the rendered text (target: the same accuracy).
# The three take turns over BENCH_ROUNDS rounds of pages (default 4), so load from elsewhere
# weighs on all alike. Env: BUILD_DIR (default build/; needs the ocr_bench target, built with
# EVHUB_BENCH=ON), OCR_PAGES (default 40), BENCH_THREADS (default 2), BENCH_DIR (default /tmp).
# See bench/README-ocr.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
driver="$build/bench/ocr_bench"
pages="${OCR_PAGES:-40}"
threads="${BENCH_THREADS:-2}"
python=/usr/bin/python3  # Debian's, with python3-pil
[ -x "$driver" ] || { echo "ocr_bench: no $driver (build with -DEVHUB_BENCH=ON)"; exit 1; }
command -v tesseract >/dev/null || { echo "ocr_bench: needs tesseract (apt-get install tesseract-ocr)"; exit 1; }
"$python" -c 'import PIL' 2>/dev/null || { echo "ocr_bench: needs python3-pil"; exit 1; }
work="$(mktemp -d "${BENCH_DIR:-/tmp}/ocr-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/pages" "$work/cli" "$work/cli1" "$work/lib"

echo "================ Evidence Hub OCR benchmark ================"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "tesseract: $(tesseract --version 2>&1 | head -1); models: $(dpkg-query -W -f='${Version}' tesseract-ocr-bel 2>/dev/null || echo '?') (bel)"
echo "pages: $pages (alternately Belarusian and Russian, 3 paragraphs each, half degraded)"
"$python" "$root/bench/ocr_bench_pages.py" make "$work/pages" "$pages"
mapfile -t images < <(ls "$work/pages"/p*.png "$work/pages"/p*.jpg | sort)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo

# The peer, shared with pipeline_bench.sh: $1 output dir, $2 OMP_THREAD_LIMIT or "" (as shipped).
source "$root/bench/tesseract_peer.sh"
cli() { tesseract_pages "$@"; }
lib() { "$driver" --threads "$threads" --out "$work/lib" "$@" >>"$work/lib.tsv"; }
# Wall-clock and CPU seconds (user + system, children included) of a command: "real cpu".
timed() {
  local TIMEFORMAT='%R %U %S' t
  t="$( { time "$@" >/dev/null 2>&1; } 2>&1 )"
  awk 'END { printf "%.3f %.3f\n", $1, $2 + $3 }' <<<"$t"
}
add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }

# The three contenders take turns over rounds of pages, so a load that comes and goes on the
# machine weighs on all of them alike. Each round of (b) is a fresh process: its engines are
# loaded inside the timing, as the tesseract command loads its models inside its own.
rounds="${BENCH_ROUNDS:-4}"
per_round=$(( (pages + rounds - 1) / rounds ))
cli_s=0 cli1_s=0 lib_s=0 cli_cpu=0 cli1_cpu=0 lib_cpu=0
: >"$work/lib.tsv"
echo "---- $rounds rounds of up to $per_round pages: (a) tesseract command as shipped, (a') with OMP_THREAD_LIMIT=1, (b) extract_many on $threads threads ----"
for (( r = 0; r < rounds; r++ )); do
  batch=("${images[@]:$(( r * per_round )):$per_round}")
  [ ${#batch[@]} -gt 0 ] || break
  read -r real cpu < <(timed cli "$work/cli" "" "${batch[@]}")
  cli_s="$(add "$cli_s" "$real")"; cli_cpu="$(add "$cli_cpu" "$cpu")"
  read -r real cpu < <(timed cli "$work/cli1" 1 "${batch[@]}")
  cli1_s="$(add "$cli1_s" "$real")"; cli1_cpu="$(add "$cli1_cpu" "$cpu")"
  read -r real cpu < <(timed lib "${batch[@]}")
  lib_s="$(add "$lib_s" "$real")"; lib_cpu="$(add "$lib_cpu" "$cpu")"
  echo "  round $((r + 1)): ${#batch[@]} pages; wall so far (a) $cli_s s, (a') $cli1_s s, (b) $lib_s s; load $(cut -d' ' -f1 /proc/loadavg)"
done
wrong=0
while IFS=$'\t' read -r name language _ _; do
  [[ "$name" == pages=* ]] && continue
  [ "${name##*-}" = "$language" ] || { wrong=$((wrong + 1)); echo "  wrong language: $name -> '$language'"; }
done <"$work/lib.tsv"
echo "  (b) detected the language wrongly on $wrong of $pages pages"

read -r cer_cli cer_cli_max < <("$python" "$root/bench/ocr_bench_pages.py" cer "$work/pages" "$work/cli")
read -r cer_cli1 cer_cli1_max < <("$python" "$root/bench/ocr_bench_pages.py" cer "$work/pages" "$work/cli1")
read -r cer_lib cer_lib_max < <("$python" "$root/bench/ocr_bench_pages.py" cer "$work/pages" "$work/lib")

rate() { awk -v n="$pages" -v s="$1" 'BEGIN { printf "%.2f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
per_page() { awk -v n="$pages" -v s="$1" 'BEGIN { printf "%.3f", s / n }'; }
echo
echo "================ summary ================"
printf "  %-44s %8s %8s %12s %16s\n" "" "pages/s" "ratio" "CPU s/page" "CER mean (max)"
printf "  %-44s %8s %8s %12s %16s\n" "(a) tesseract command, as shipped" "$(rate "$cli_s")" "1.00" "$(per_page "$cli_cpu")" "$cer_cli % ($cer_cli_max)"
printf "  %-44s %8s %8s %12s %16s\n" "(a') tesseract command, OMP_THREAD_LIMIT=1" "$(rate "$cli1_s")" "$(ratio "$cli_s" "$cli1_s")" "$(per_page "$cli1_cpu")" "$cer_cli1 % ($cer_cli1_max)"
printf "  %-44s %8s %8s %12s %16s\n" "(b) extract_many, $threads threads, detecting" "$(rate "$lib_s")" "$(ratio "$cli_s" "$lib_s")" "$(per_page "$lib_cpu")" "$cer_lib % ($cer_lib_max)"
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }
echo
echo "  >= 1.8x the tesseract command (as shipped)   $(verdict "$(awk -v a="$cli_s" -v b="$lib_s" 'BEGIN{print (a / b >= 1.8)}')") ($(ratio "$cli_s" "$lib_s")x)"
echo "  >= 1.8x the command with OMP_THREAD_LIMIT=1  $(verdict "$(awk -v a="$cli1_s" -v b="$lib_s" 'BEGIN{print (a / b >= 1.8)}')") ($(ratio "$cli1_s" "$lib_s")x)"
echo "  same accuracy (mean CER within 0.1 points)   $(verdict "$(awk -v a="$cer_cli" -v b="$cer_lib" 'BEGIN{print (b - a <= 0.1)}')") ($cer_lib % vs $cer_cli %)"
echo "  CPU per page, (b) against (a'): $(ratio "$lib_cpu" "$cli1_cpu")x (language detection and"
echo "  $threads threads' overhead); on an idle machine with $threads free cores (b) would be up to"
echo "  $(awk -v a="$cli1_cpu" -v b="$lib_cpu" -v t="$threads" 'BEGIN { printf "%.2f", t * a / b }')x (a') — the wall-clock ratio above falls short of that when other work shares the cores."
