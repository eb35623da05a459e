#!/usr/bin/env bash
# Whole-pipeline benchmark (a benchmark, not a test: it exits 0 once it has run, 1 if it cannot
# run, 2 if an evhub command failed so its figures are not valid). In one run:
#   1. intake:     `evhub synth` makes fictional witnesses, each with interviews (plain-text
#                  transcripts) and documents (PDFs with a text layer; BENCH_SCANS of them PNG or
#                  TIFF scans), stored encrypted and queued for processing;
#   2. processing: `evhub jobs --wait --threads BENCH_THREADS` extracts the text of everything
#                  (poppler for PDFs, tesseract for scans), then translates Belarusian into
#                  Russian (apertium);
#   3. the peer:   the `tesseract` command once per page, page after page, over a sample of the
#                  same scans (bench/tesseract_peer.sh, the peer of bench/ocr_bench.sh).
# Prints documents/s for the whole pipeline and per stage, and OCR pages/s against the peer.
# Per-stage figures come from the queue itself: a job's time is from the previous completion on
# the same worker to its own (a worker claims its next job at once), summed per stage; a stage's
# rate is jobs x workers / that sum, what the stage would do alone on those workers.
#
# Environment (defaults make a quick smoke run of about a minute; see bench/README-pipeline.md):
#   EVHUB_BIN                     evhub binary            (default build/evhub of this checkout)
#   BENCH_DIR                     where the temp dir goes (default /tmp)
#   BENCH_WITNESSES               witnesses               (default 20; the full run: 2000)
#   BENCH_INTERVIEWS_PER_WITNESS  interviews each         (default 1)
#   BENCH_DOCS_PER_WITNESS        documents each          (default 10)
#   BENCH_SCANS                   fraction of scans       (default 0.1)
#   BENCH_THREADS                 processing workers      (default 2)
#   BENCH_OCR_SAMPLE              scans the peer reads    (default 20)
#   BENCH_SEED                    synth's seed            (default 1)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
evhub="${EVHUB_BIN:-$root/build/evhub}"
witnesses="${BENCH_WITNESSES:-20}"
interviews="${BENCH_INTERVIEWS_PER_WITNESS:-1}"
docs="${BENCH_DOCS_PER_WITNESS:-10}"
scans="${BENCH_SCANS:-0.1}"
threads="${BENCH_THREADS:-2}"
sample="${BENCH_OCR_SAMPLE:-20}"
seed="${BENCH_SEED:-1}"
python=/usr/bin/python3

die() { echo "pipeline_bench: $*" >&2; exit 1; }
[ -x "$evhub" ] || die "no evhub binary at $evhub (build it, or set EVHUB_BIN)"
for tool in tesseract apertium "$python"; do
  command -v "$tool" >/dev/null || die "missing tool: $tool"
done
work="$(mktemp -d "${BENCH_DIR:-/tmp}/pipeline-bench.XXXXXX")" || die "cannot create a temp dir"
trap 'rm -rf "$work"' EXIT
hub="$work/hub" key="$work/key"
ev() { "$evhub" --hub "$hub" --key-file "$key" --actor bench "$@"; }
fail() { echo "pipeline_bench: evhub failed: $*" >&2; exit 2; }
ms() { local t="$EPOCHREALTIME"; echo "${t/./}" | cut -c1-13; }

echo "================ Evidence Hub pipeline benchmark ================"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "tesseract: $(tesseract --version 2>&1 | head -1); apertium-bel-rus $(dpkg-query -W -f='${Version}' apertium-bel-rus 2>/dev/null || echo '?')"
echo "data: $witnesses witnesses x ($interviews interviews + $docs documents), scans $scans, seed $seed; $threads workers"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at start"
ev init --kdf interactive >/dev/null 2>&1 || fail "init"
ev org add "Bench Partner" >/dev/null || fail "org add"

t0="$(ms)"
ev synth --witnesses "$witnesses" --interviews-per-witness "$interviews" \
  --documents-per-witness "$docs" --scans "$scans" --seed "$seed" \
  --ground-truth "$work/truth.jsonl" --json >"$work/synth.json" || fail "synth"
t1="$(ms)"
echo "intake done in $(( (t1 - t0) / 1000 )) s: $(cat "$work/synth.json")"
ev jobs --wait --threads "$threads" --json --limit 100000000 >"$work/jobs.jsonl" 2>"$work/jobs.err" ||
  fail "jobs --wait: $(tail -1 "$work/jobs.err")"
t2="$(ms)"
echo "processing done in $(( (t2 - t1) / 1000 )) s; load $(cut -d' ' -f1-3 /proc/loadavg)"

# The peer reads a sample of the same scans, named with their language for model_of.
source "$root/bench/tesseract_peer.sh"
mkdir -p "$work/scans" "$work/peer"
"$python" - "$work/truth.jsonl" "$sample" >"$work/sample.txt" <<'EOF'
import json, sys
n = int(sys.argv[2])
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t["media"] in ("png", "tiff") and n > 0:
        print(t["object_id"], t["language"], "tif" if t["media"] == "tiff" else "png")
        n -= 1
EOF
pages=()
while read -r id lang ext; do
  ev get "$id" -o "$work/scans/$id-$lang.$ext" >/dev/null || fail "get $id"
  pages+=("$work/scans/$id-$lang.$ext")
done <"$work/sample.txt"
peer_s=0 peer1_s=0
if [ ${#pages[@]} -gt 0 ]; then
  p0="$(ms)"; tesseract_pages "$work/peer" "" "${pages[@]}"; p1="$(ms)"
  tesseract_pages "$work/peer" 1 "${pages[@]}"; p2="$(ms)"
  peer_s=$(( p1 - p0 )) peer1_s=$(( p2 - p1 ))
fi

echo
"$python" - "$work/truth.jsonl" "$work/jobs.jsonl" "$t0" "$t1" "$t2" "$threads" \
  "${#pages[@]}" "$peer_s" "$peer1_s" <<'EOF'
import collections, json, sys
truth_path, jobs_path = sys.argv[1], sys.argv[2]
t0, t1, t2, threads, peer_pages, peer_ms, peer1_ms = map(int, sys.argv[3:])
media = {}
for line in open(truth_path):
    t = json.loads(line)
    media[t["object_id"]] = t["media"]
jobs = [json.loads(l) for l in open(jobs_path) if l.strip()]
failed = [j for j in jobs if j["state"] != "done"]
stage_of = {"text": "transcripts (plain text)", "pdf": "extraction (PDF text layer)",
            "png": "OCR (scans)", "tiff": "OCR (scans)"}
by_worker = collections.defaultdict(list)
for j in jobs:
    if j["state"] == "done":
        by_worker[j["worker"]].append(j)
busy = collections.Counter()
count = collections.Counter()
for worker, js in by_worker.items():
    js.sort(key=lambda j: j["updated_ms"])
    previous = t1
    for j in js:
        stage = "translation (be->ru)" if j["kind"] == "translate" else stage_of[media[j["object"]]]
        busy[stage] += max(0, j["updated_ms"] - previous)
        count[stage] += 1
        previous = j["updated_ms"]
docs = len(media)
scans = sum(1 for m in media.values() if m in ("png", "tiff"))
def rate(n, ms):
    return n / (ms / 1000.0) if ms > 0 else float("nan")
print("================ summary ================")
print(f"  {'stage':<34} {'items':>7} {'busy s':>9} {'docs/s':>9}")
print(f"  {'intake (evhub synth, 1 process)':<34} {docs:>7} {(t1 - t0) / 1000:>9.1f} {rate(docs, t1 - t0):>9.1f}")
for stage in ["transcripts (plain text)", "extraction (PDF text layer)", "OCR (scans)",
              "translation (be->ru)"]:
    # busy is summed over the workers: the stage alone on `threads` workers takes busy/threads.
    print(f"  {stage:<34} {count[stage]:>7} {busy[stage] / 1000:>9.1f} "
          f"{rate(count[stage] * threads, busy[stage]):>9.2f}")
print(f"  {'processing (jobs --wait, wall)':<34} {len(jobs):>7} {(t2 - t1) / 1000:>9.1f} {rate(docs, t2 - t1):>9.2f}")
print(f"  {'WHOLE PIPELINE (intake..translation)':<34} {docs:>7} {(t2 - t0) / 1000:>9.1f} {rate(docs, t2 - t0):>9.2f}")
print(f"  documents: {docs} ({scans} scans); jobs: {len(jobs)}, not done: {len(failed)}")
for j in failed[:5]:
    print(f"    {j['kind']} {j['object']}: {j['state']} {j['error']}")
if peer_pages:
    ocr = rate(count["OCR (scans)"] * threads, busy["OCR (scans)"])
    print()
    print(f"  OCR against the tesseract command on {peer_pages} of the same scans, page after page:")
    print(f"    tesseract command, as shipped          {rate(peer_pages, peer_ms):6.2f} pages/s   1.00")
    print(f"    tesseract command, OMP_THREAD_LIMIT=1  {rate(peer_pages, peer1_ms):6.2f} pages/s   {rate(peer_pages, peer1_ms) / rate(peer_pages, peer_ms):.2f}")
    print(f"    pipeline OCR stage, {threads} workers           {ocr:6.2f} pages/s   {ocr / rate(peer_pages, peer_ms):.2f}"
          f"  ({ocr / rate(peer_pages, peer1_ms):.2f}x the OMP_THREAD_LIMIT=1 command)")
    print("    (the stage also decrypts each scan, detects its language, stores the text and")
    print("     reads image metadata; the command reads plain files given their language)")
EOF
