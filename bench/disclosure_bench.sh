#!/usr/bin/env bash
# Disclosure package benchmark (a benchmark, not a test: it exits 0 once it has run, 1 if it
# cannot run, 2 if an evhub command failed so its figures are not valid). Issue 7, item 9. In
# one run, on the same files:
#   1. set-up (not timed): fictional witnesses with personal details and consent covering a
#      national prosecution service; their files (transcripts, PDFs, photos, scans, videos:
#      bench/disclosure_gen.py and ffmpeg) stored with `evhub put`; a request registered;
#   2. the hub (timed, step by step): `evhub package build` with every file as an item (the
#      consent gate), `package redact --all-texts` (text redaction of every transcript, one
#      command), `package review --all`, `submit`, `approve` by a second legal officer, `export`
#      (BagIt bag with both
#      manifests, index, proofs, minisign signature, tar, age);
#   3. the peer (timed): what a person would otherwise run on the same files: `cp -r` into a
#      directory, `sha256sum` of everything into a manifest, `tar -cf`, `age -r`.
# Prints each step's time, both totals and their ratio (target: the hub's build..export at most
# 1.5 x the peer). See bench/README-disclosure.md.
#
# Usage: bench/disclosure_bench.sh [--small] [--perf] [--keep DIR]
#   --small     60 files, about 80 MB (to develop with); default 1,502 files, about 2 GB
#   --perf      also record `perf record -g` of the export into DIR/export.perf (with --keep)
#   --keep DIR  work in DIR and keep it
# Env: EVHUB_BIN (default build/evhub of this checkout), BENCH_DIR (where the temp dir goes,
#      default /tmp), BENCH_SEED (default 1).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
evhub="${EVHUB_BIN:-$root/build/evhub}"
python=/usr/bin/python3
seed="${BENCH_SEED:-1}"
# witnesses transcripts pdfs jpegs pngs videos video-MB
sizes=(100 400 500 450 100 52 26)
keep="" perf=0
while [ $# -gt 0 ]; do
  case "$1" in
    --small) sizes=(4 16 20 14 6 4 15); shift ;;
    --perf) perf=1; shift ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "usage: $0 [--small] [--perf] [--keep DIR]"; exit 1 ;;
  esac
done
read -r witnesses transcripts pdfs jpegs pngs videos video_mb <<<"${sizes[*]}"
total_files=$((transcripts + pdfs + jpegs + pngs + videos))

die() { echo "disclosure_bench: $*" >&2; exit 1; }
[ -x "$evhub" ] || die "no evhub binary at $evhub (build it, or set EVHUB_BIN)"
for tool in ffmpeg age age-keygen tar sha256sum "$python"; do
  command -v "$tool" >/dev/null || die "missing tool: $tool (scripts/install-deps.sh)"
done
[ "$perf" = 0 ] || command -v perf >/dev/null || die "--perf needs perf"
[ "$perf" = 0 ] || [ -n "$keep" ] || die "--perf needs --keep DIR (the profile is kept there)"
if [ -n "$keep" ]; then
  work="$(realpath -m "$keep")"
  mkdir -p "$work" || die "cannot create $work"
  [ -z "$(ls -A "$work")" ] || die "$work is not empty"
else
  work="$(mktemp -d "${BENCH_DIR:-/tmp}/disclosure-bench.XXXXXX")" || die "cannot create a temp dir"
  trap 'rm -rf "$work"' EXIT
fi
# The files, the hub's copy, the exported package, and the peer's copy, tar and age file.
need_mb=$(( (videos * video_mb + (pdfs + jpegs + pngs) * 7 / 10 + 100) * 6 ))
free_mb=$(df -Pm "$work" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || die "needs about $need_mb MB free in $work ($free_mb MB)"

hub="$work/hub" key="$work/key"
ev() { "$evhub" --hub "$hub" --key-file "$key" --actor legal-1 "$@"; }
fail() { echo "disclosure_bench: evhub failed: $*" >&2; exit 2; }
ms() { local t="$EPOCHREALTIME"; echo "${t/./}" | cut -c1-13; }
declare -A took
# step NAME COMMAND...: runs it, records its wall time in ms.
step() {
  local name="$1"; shift
  local t0; t0="$(ms)"
  "$@" || return 1
  took[$name]=$(( $(ms) - t0 ))
}
warm() { find "$@" -type f -print0 | xargs -0 cat >/dev/null; }

echo "================ Evidence Hub disclosure package benchmark ================"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "tools: $(age --version 2>&1 | head -1) (age), $(tar --version | head -1), $(sha256sum --version | head -1)"
echo "data: $total_files files of $witnesses witnesses: $transcripts transcripts, $pdfs PDFs, $jpegs JPEG photos, $pngs PNG scans, $videos videos of ~$video_mb MB"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at start"

# ---- 1. set-up (not timed) ----
t_setup="$(ms)"
"$python" "$root/bench/disclosure_gen.py" "$work" "$witnesses" "$transcripts" "$pdfs" "$jpegs" \
  "$pngs" "$seed" >"$work/files.tsv" || die "generating the files failed"
mkdir -p "$work/clips"
base_clips=$(( videos < 4 ? videos : 4 ))
patterns=(testsrc2 smptehdbars rgbtestsrc testsrc)
for ((k = 0; k < base_clips; k++)); do
  # 8 Mbit/s of noisy test pattern and a tone: about 1 MB a second, as a phone's video is.
  ffmpeg -v error -f lavfi -i "${patterns[$k]}=size=1280x720:rate=25,noise=alls=25:allf=t+u" \
    -f lavfi -i "sine=frequency=$((300 + 100 * k)):sample_rate=44100" -t "$video_mb" \
    -c:v libx264 -preset ultrafast -b:v 8M -maxrate 8M -bufsize 8M -pix_fmt yuv420p \
    -c:a aac -b:a 128k -movflags +faststart "$work/clips/base-$k.mp4" ||
    die "ffmpeg could not make a test video"
done
codes=("$work"/files/W-*)
for ((n = 0; n < videos; n++)); do
  code="$(basename "${codes[$(( (n + 3) % ${#codes[@]} ))]}")"
  path="$work/files/$code/video-$(printf %04d $((n + 1))).mp4"
  # Each video its own bytes (a player ignores what follows the last box).
  { cat "$work/clips/base-$((n % base_clips)).mp4"; head -c 65536 /dev/urandom; } >"$path"
  printf '%s\tvideo\t%s\n' "$code" "$path" >>"$work/files.tsv"
done
rm -rf "$work/clips"
bytes="$(du -sb "$work/files" | cut -f1)"
echo "files: $(wc -l <"$work/files.tsv") files, $((bytes / 1000000)) MB, made in $(( ($(ms) - t_setup) / 1000 )) s"

ev init --kdf interactive >/dev/null 2>&1 || fail "init"
ev org add "Bench Partner" >/dev/null || fail "org add"
for dir in "$work"/files/W-*; do
  code="$(basename "$dir")"
  ev witness add "$code" --org "Bench Partner" --personal-file "$work/personal/$code.json" \
    >/dev/null || fail "witness add $code"
  ev consent add "$code" --given-on 2024-02-01 --taken-by intake-1 \
    --scope internal-analysis --scope share-national-prosecutor >/dev/null ||
    fail "consent add $code"
done
t_put="$(ms)"
for dir in "$work"/files/W-*; do
  code="$(basename "$dir")"
  ev --json put "$dir"/* --domain "$code" --org "Bench Partner" >>"$work/put.jsonl" ||
    fail "put $code"
done
took[ingest]=$(( $(ms) - t_put ))
ev --json request add --org "Bench Partner" --kind national-prosecution-service \
  --body "Prosecutor's office (bench)" --reference BENCH-2026/1 --deadline 2099-12-31 \
  >"$work/request.json" || fail "request add"
request="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/request.json")"
age-keygen -o "$work/recipient.key" 2>/dev/null
recipient="$(age-keygen -y "$work/recipient.key")"
# Items (OBJECT:FOLDER) and the transcripts among them, from what put printed.
"$python" - "$work/put.jsonl" "$work/files.tsv" "$work/items.txt" "$work/texts.txt" <<'EOF'
import json, sys
put, files, items, texts = sys.argv[1:]
kind = {}
for line in open(files):
    code, k, path = line.rstrip("\n").split("\t")
    kind[path] = (code, k)
with open(items, "w") as i, open(texts, "w") as t:
    for line in open(put):
        p = json.loads(line)
        code, k = kind[p["path"]]
        i.write(f"{p['id']}:{code}\n")
        if k == "text":
            t.write(p["id"] + "\n")
EOF
[ "$(wc -l <"$work/items.txt")" -eq "$total_files" ] || fail "put stored $(wc -l <"$work/items.txt") of $total_files files"
echo "hub: $witnesses witnesses with consent, $total_files objects stored in $(( took[ingest] / 1000 )) s (not counted); request $request"

# ---- 2. the hub ----
sync; warm "$hub/objects"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) before the hub's steps"
mapfile -t item_args < <(sed 's/^/--item=/' "$work/items.txt")
step build ev --json package build --request "$request" "${item_args[@]}" >"$work/build.json" ||
  fail "package build"
package="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/build.json")"
blocked="$("$python" -c 'import json,sys; print(sum(not i["allowed"] for i in json.load(open(sys.argv[1]))["items"]))' "$work/build.json")"
[ "$blocked" = 0 ] || fail "the consent gate blocked $blocked items"
# Every transcript redacted in one command and one package version (the texts are found by
# their first bytes, as the hub decides what a text is), then every redaction reviewed in one.
redact_all() {
  ev --json package redact "$package" --all-texts >"$work/redact.json" || return 1
  local n
  n="$("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["redacted"]))' "$work/redact.json")"
  [ "$n" -eq "$(wc -l <"$work/texts.txt")" ] || { echo "redacted $n texts" >&2; return 1; }
}
review_all() {
  ev --json package review "$package" --all >/dev/null
}
step redact redact_all || fail "package redact"
step review review_all || fail "package review"
step submit ev --json package submit "$package" >/dev/null || fail "package submit"
step approve "$evhub" --hub "$hub" --key-file "$key" --actor legal-2 --json package approve \
  "$package" >/dev/null || fail "package approve"
mkdir -p "$work/out"
if [ "$perf" = 1 ]; then
  step export perf record -g -o "$work/export.perf" -- "$evhub" --hub "$hub" --key-file "$key" \
    --actor legal-1 --json package export "$package" --recipient "$recipient" \
    --out-dir "$work/out" >"$work/export.json" 2>"$work/perf.err" || fail "package export"
else
  step export ev --json package export "$package" --recipient "$recipient" --out-dir "$work/out" \
    >"$work/export.json" || fail "package export"
fi
package_file="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"])' "$work/export.json")"
package_bytes="$(stat -c %s "$package_file")"
removals="$("$python" -c 'import json,sys; print(sum(r["removals"] for r in json.load(open(sys.argv[1]))["redacted"]))' "$work/redact.json")"

# ---- 3. the peer ----
sync; warm "$work/files"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) before the peer's steps"
mkdir -p "$work/peer/EVH-peer"
step cp cp -r "$work/files" "$work/peer/EVH-peer/data" || die "cp failed"
step sha256sum sh -c 'cd "$1" && find data -type f -print0 | sort -z | xargs -0 sha256sum >manifest-sha256.txt' \
  sh "$work/peer/EVH-peer" || die "sha256sum failed"
step tar tar -cf "$work/peer/EVH-peer.tar" -C "$work/peer" EVH-peer || die "tar failed"
step age age -r "$recipient" -o "$work/peer/EVH-peer.tar.age" "$work/peer/EVH-peer.tar" ||
  die "age failed"
step sync sync
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at the end"

# ---- checks (not timed): the package is sound and holds every file ----
verified="$("$evhub" --json package verify "$package_file" --identity "$work/recipient.key")"
ok="$(printf '%s' "$verified" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["ok"])')"
[ "$ok" = True ] || fail "evhub package verify: $verified"

echo
"$python" - "$total_files" "$bytes" "$(wc -l <"$work/texts.txt")" "$removals" "$package_bytes" \
  "${took[build]}" "${took[redact]}" "${took[review]}" "${took[submit]}" "${took[approve]}" \
  "${took[export]}" "${took[cp]}" "${took[sha256sum]}" "${took[tar]}" "${took[age]}" \
  "${took[sync]}" <<'EOF'
import sys
files, size, texts, removals, package = map(int, sys.argv[1:6])
build, redact, review, submit, approve, export, cp, sha, tar, age, sync = map(int, sys.argv[6:])
def row(name, ms, note=""):
    mbs = size / 1e6 / (ms / 1000) if ms else float("nan")
    print(f"  {name:<44} {ms / 1000:>8.1f} s {mbs:>9.1f} MB/s  {note}")
print("================ summary ================")
print(f"  {files} files, {size / 1e6:.0f} MB; {texts} transcripts redacted ({removals} removals); package {package / 1e6:.0f} MB")
print("  the hub (evhub package ...)")
row("build (every item through the consent gate)", build, f"{files} items")
row("redact (text redaction, --all-texts)", redact, f"{texts} texts in one command and version")
row("review (a person's confirmation, --all)", review, f"{texts} reviews in one command")
row("submit + approve (by a second user)", submit + approve)
row("export (bag, proofs, signature, tar, age)", export)
machine = build + redact + export
hub = machine + review + submit + approve
row("HUB: build + redact + export", machine)
row("HUB: every step", hub)
print("  the peer")
row("cp -r", cp)
row("sha256sum (a manifest)", sha)
row("tar -cf", tar)
row("age -r", age)
peer = cp + sha + tar + age
row("PEER: cp + sha256sum + tar + age", peer)
row("PEER, then sync (its files on disk)", peer + sync)
print(f"  ratio hub (build + redact + export) / peer: {machine / peer:.2f}  (target <= 1.5: "
      f"{'PASS' if machine <= 1.5 * peer else 'FAIL'})")
print(f"  ratio hub (export alone) / peer:            {export / peer:.2f}")
print(f"  ratio hub (every step) / peer:              {hub / peer:.2f}")
print(f"  ratio hub (build + redact + export) / (peer + sync): {machine / (peer + sync):.2f}")
EOF
if [ "$perf" = 1 ]; then
  { perf report -i "$work/export.perf" --no-children --sort comm,dso -g none --stdio
    perf report -i "$work/export.perf" --no-children --sort comm,dso,symbol -g none --stdio; } \
    2>/dev/null | grep '%' | sed 's/ *$//' | cut -c1-120 >"$work/export.perf.txt"
  echo; echo "export profile (perf, self time by program and library; more in $work/export.perf.txt):"
  head -12 "$work/export.perf.txt"
fi
exit 0
