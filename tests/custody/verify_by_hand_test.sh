#!/usr/bin/env bash
# Proves that the procedure of docs/custody.md, "Checking a proof by hand", works with stock
# tools only: python3 (standard library), openssl (>= 3.0) and coreutils; xxd is used only when
# present. evhub makes a hub and prints proofs. Every check of those proofs runs
# data/custody/verify_proof.py (the file the document points to, and that every disclosure
# package carries) and the audit_heads.sh block extracted from docs/custody.md itself, so the
# document and this test cannot drift apart.
#
#   EVHUB_BIN=/path/to/evhub tests/custody/verify_by_hand_test.sh
#
# Prints one PASS/FAIL line per check and ends with "verify_by_hand: N passed, M failed". The
# exit status is non-zero if any check failed.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
doc="$root/docs/custody.md"
EVHUB_BIN="${EVHUB_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/evhub}"
work="$(mktemp -d "${TMPDIR:-/tmp}/verify_by_hand.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'echo "FAIL  line $LINENO: a command failed unexpectedly: $BASH_COMMAND" >&2' ERR

passed=0
failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
# expect_ok WHAT COMMAND...: the command must succeed (its output is shown if it does not).
expect_ok() {
  local what="$1"; shift
  if "$@" > "$work/last.out" 2>&1; then pass "$what"; else
    fail "$what"; sed 's/^/      /' "$work/last.out"; fi
}
# expect_fail WHAT COMMAND...: the command must fail (a tampered input must be rejected).
expect_fail() {
  local what="$1"; shift
  if "$@" > "$work/last.out" 2>&1; then
    fail "$what (it was accepted)"; sed 's/^/      /' "$work/last.out"; else pass "$what"; fi
}
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
expect_ne() {
  if [ "$2" != "$3" ]; then pass "$1"; else fail "$1: both are '$2'"; fi
}
finish() {
  echo "verify_by_hand: $passed passed, $failed failed"
  if [ "$failed" -eq 0 ]; then exit 0; else exit 1; fi
}

# field JSON KEY: a top-level field of a JSON object given as a string.
field() { printf '%s' "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"; }
# unhex HEX: the bytes (the python3 alternative to `xxd -r -p` shown in the document).
unhex() { python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$1"; }
# flip_byte FILE OFFSET: XOR one byte of FILE with 0x01.
flip_byte() {
  python3 -c 'import sys
p, off = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); b[off] ^= 1; open(p, "wb").write(b)' "$1" "$2"
}
# extract MARKER LANG: the fenced block of docs/custody.md whose first line starts with MARKER.
extract() {
  awk -v marker="$1" -v fence='```'"$2" '
    $0 == fence { if ((getline first) > 0 && index(first, marker) == 1) { grab = 1; print first }
                  next }
    grab && $0 == "```" { exit }
    grab { print }' "$doc"
}

echo "== tools and the document"
for tool in python3 openssl sha256sum od awk sed; do
  if command -v "$tool" > /dev/null; then pass "$tool is installed"; else fail "$tool is missing"; fi
done
if [ ! -x "$EVHUB_BIN" ]; then fail "no evhub binary at $EVHUB_BIN (set EVHUB_BIN)"; finish; fi
if [ ! -f "$doc" ]; then fail "no $doc"; finish; fi
script="$work/verify_proof.py"
cp "$root/data/custody/verify_proof.py" "$script"
audit="$work/audit_heads.sh"
extract '# audit_heads.sh' bash > "$audit"
if [ -s "$script" ] && python3 -m py_compile "$script"; then
  pass "data/custody/verify_proof.py ($(wc -l < "$script") lines) compiles"
else
  fail "data/custody/verify_proof.py is missing or does not compile"; finish
fi
if grep -q '(../data/custody/verify_proof.py)' "$doc"; then
  pass "docs/custody.md points to data/custody/verify_proof.py"
else
  fail "docs/custody.md does not link data/custody/verify_proof.py"
fi
if [ -s "$audit" ] && bash -n "$audit"; then
  pass "docs/custody.md holds the audit_heads.sh loop"
else
  fail "docs/custody.md has no fenced bash block starting with '# audit_heads.sh'"; finish
fi
vp() { python3 "$script" "$@"; }

echo "== the document's own samples check"
# after_line PREFIX: the line that follows the first line starting with PREFIX in the document.
after_line() { P="$1" awk 'found { print; exit } index($0, ENVIRON["P"]) == 1 { found = 1 }' "$doc"; }
after_line '$ cat proof-2.json' > "$work/doc-proof.json"
after_line '$ cat consistency-5-7.json' > "$work/doc-cons.json"
expect_ok "the sample proof-2.json passes verify_proof.py inclusion" vp inclusion "$work/doc-proof.json"
expect_ok "the sample consistency-5-7.json passes verify_proof.py consistency" \
  vp consistency "$work/doc-cons.json"
doc_proof="$(cat "$work/doc-proof.json")"
# The sample key (hex, from step 1) as a PEM SubjectPublicKeyInfo: the RFC 8410 prefix + 32 bytes.
doc_key="$(after_line '$ openssl pkey -pubin -in signing-key.pem -outform DER')"
{ echo "-----BEGIN PUBLIC KEY-----"; unhex "302a300506032b6570032100$doc_key" | base64 -w0; echo
  echo "-----END PUBLIC KEY-----"; } > "$work/doc-key.pem"
vp message "$(field "$doc_proof" hub_id)" "$(printf '{"tree_size":%s,"root":"%s","time":"%s"}' \
  "$(field "$doc_proof" tree_size)" "$(field "$doc_proof" root)" "$(field "$doc_proof" head_time)")" \
  > "$work/doc-message.txt"
unhex "$(field "$doc_proof" signature)" > "$work/doc-sig.bin"
expect_ok "the sample head's signature checks under the sample key (step 1's hex)" \
  openssl pkeyutl -verify -pubin -inkey "$work/doc-key.pem" -rawin -in "$work/doc-message.txt" \
  -sigfile "$work/doc-sig.bin"
awk 'state == 2 && /^```$/ { exit } state == 2 { print } state == 1 && /^```$/ { state = 2 }
     /^these 163 bytes:$/ { state = 1 }' "$doc" \
  > "$work/doc-message-printed.txt"
expect_ok "the 163-byte message printed in the document is the signed one" \
  cmp "$work/doc-message-printed.txt" "$work/doc-message.txt"
expect_eq "the fold in bash alone (fold_by_hand.sh) reaches the sample root" \
  "$(extract '# fold_by_hand.sh' bash | bash | cut -d' ' -f1)" "$(field "$doc_proof" root)"

echo "== a hub with two domains, a duplicate and a read"
hub="$work/hub"
mkdir "$work/files"
head -c 3000 /dev/urandom > "$work/files/photo-1.bin"
head -c 70000 /dev/urandom > "$work/files/recording.bin"
printf 'Interview transcript, witness T-0001, generated by the test.\n' > "$work/files/interview.txt"
head -c 123 /dev/urandom > "$work/files/capture-1.bin"
head -c 4567 /dev/urandom > "$work/files/capture-2.bin"
export EVHUB_PASSPHRASE=some-long-test-passphrase EVHUB_ACTOR=test.intake
unset EVHUB_HUB
ev() { "$EVHUB_BIN" --hub "$hub" "$@"; }
expect_ok "evhub init" ev init --kdf interactive
ev --json put --domain witness-T-0001 "$work/files/photo-1.bin" "$work/files/recording.bin" \
  "$work/files/interview.txt" > "$work/put1.jsonl"
ev --json put --domain osint-T-0002 "$work/files/capture-1.bin" > "$work/put2.jsonl"
ev --json put --domain osint-T-0002 "$work/files/capture-2.bin" > "$work/put3.jsonl"
ev --json put --domain osint-T-0002 "$work/files/capture-1.bin" > "$work/put4.jsonl"
get_id="$(field "$(head -n 1 "$work/put1.jsonl")" id)"
expect_ok "evhub get of a stored object" ev get "$get_id" -o "$work/files/photo-1.out"
unset EVHUB_PASSPHRASE   # from here on only the read-only log commands, which need none

custody="$hub/custody"
events="$custody/events.jsonl"
heads="$custody/heads.jsonl"
count="$(wc -l < "$events")"
nheads="$(wc -l < "$heads")"
echo "      $count events, $nheads signed heads of sizes $(python3 -c 'import json,sys
print(" ".join(str(json.loads(l)["tree_size"]) for l in open(sys.argv[1])))' "$heads")"
expect_ok "the log holds the 10 events made above (init, 2 domain.create, 6 put, get)" \
  test "$count" -ge 10
ev --json log show > "$work/show.jsonl"
expect_ok "'evhub --json log show' prints events.jsonl byte for byte, without a passphrase" \
  cmp "$work/show.jsonl" "$events"
last_head="$(tail -n 1 "$heads")"
size="$(field "$last_head" tree_size)"
signed_root="$(field "$last_head" root)"
expect_eq "the newest head covers every event" "$size" "$count"

echo "== step 1: the key and the hub id"
hub_id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hub_id"])' "$hub/hub.json")"
event0="$(head -n 1 "$events")"
expect_eq "hub.json's hub_id is event 0's" \
  "$(printf '%s' "$event0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["details"]["hub_id"])')" \
  "$hub_id"
pem_hex="$(openssl pkey -pubin -in "$custody/signing-key.pem" -outform DER | tail -c 32 |
  od -An -tx1 -v | tr -d ' \n')"
expect_eq "signing-key.pem holds the key of signing-key.pub" "$pem_hex" "$(tr -d '\n' < "$custody/signing-key.pub")"
expect_eq "event 0 records the same signing key" \
  "$(printf '%s' "$event0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["details"]["signing_key"])')" \
  "$pem_hex"
cp "$custody/signing-key.pem" "$work/pinned.pem"   # what a recipient got through another channel

echo "== step 2: each stored file is the object of its put event"
for put in "$work/put1.jsonl" "$work/put2.jsonl" "$work/put3.jsonl"; do
  while IFS= read -r line; do
    path="$(field "$line" path)"
    id="$(field "$line" id)"
    event_sha="$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["action"] == "put" and e["object"] == sys.argv[2]:
        print(e["sha256"]); break' "$events" "$id")"
    expect_eq "sha256sum $(basename "$path") = the sha256 of its put event" \
      "$(sha256sum "$path" | cut -d' ' -f1)" "$event_sha"
  done < "$put"
done

echo "== steps 3 and 4: leaf hashes and audit paths of every event, against the newest head"
for ((n = 0; n < count; n++)); do
  ev --json log proof "$n" > "$work/proof-$n.json"
  proof="$(cat "$work/proof-$n.json")"
  line="$(sed -n "$((n + 1))p" "$events" | tr -d '\n')"
  expect_eq "event $n: the proof's event is line $((n + 1)) of events.jsonl" "$(field "$proof" event)" "$line"
  leaf_sha256sum="$({ printf '\000'; printf '%s' "$line"; } | sha256sum | cut -d' ' -f1)"
  leaf_openssl="$({ printf '\000'; printf '%s' "$line"; } | openssl dgst -sha256 | sed 's/.*= //')"
  expect_eq "event $n: leaf hash by printf|sha256sum = evhub's" "$leaf_sha256sum" "$(field "$proof" leaf_hash)"
  expect_eq "event $n: leaf hash by openssl dgst and by verify_proof.py leaf agree" \
    "$leaf_openssl $(vp leaf "$line")" "$leaf_sha256sum $leaf_sha256sum"
  expect_eq "event $n: the proof is against the newest signed head" \
    "$(field "$proof" tree_size) $(field "$proof" root) $(field "$proof" hub_id)" "$size $signed_root $hub_id"
  expect_ok "event $n: verify_proof.py inclusion folds the audit path to the signed root" \
    vp inclusion "$work/proof-$n.json" "$events"
done

echo "== step 5: the newest head's signature, with openssl pkeyutl"
head_time="$(field "$last_head" time)"
printf 'evhub tree head v1\nhub %s\nsize %s\nroot %s\ntime %s\n' "$hub_id" "$size" "$signed_root" \
  "$head_time" > "$work/message.txt"
vp message "$hub_id" "$last_head" > "$work/message-script.txt"
expect_ok "the message typed with printf = verify_proof.py message" \
  cmp "$work/message.txt" "$work/message-script.txt"
unhex "$(field "$last_head" signature)" > "$work/sig.bin"
vp signature "$last_head" > "$work/sig-script.bin"
expect_ok "the signature converted with python3 = verify_proof.py signature" \
  cmp "$work/sig.bin" "$work/sig-script.bin"
expect_eq "the signature has 64 bytes" "$(wc -c < "$work/sig.bin" | tr -d ' ')" 64
if command -v xxd > /dev/null; then
  printf '%s' "$(field "$last_head" signature)" | xxd -r -p > "$work/sig-xxd.bin"
  expect_ok "xxd -r -p gives the same bytes" cmp "$work/sig.bin" "$work/sig-xxd.bin"
else
  echo "SKIP  xxd is not installed (optional)"
fi
expect_ok "openssl pkeyutl -verify accepts the newest head's signature" \
  openssl pkeyutl -verify -pubin -inkey "$work/pinned.pem" -rawin -in "$work/message.txt" \
  -sigfile "$work/sig.bin"
vp head "$work/proof-0.json" "$work/message-head.txt" "$work/sig-head.bin" > /dev/null
expect_ok "verify_proof.py head writes the same message from a proof" \
  cmp "$work/message.txt" "$work/message-head.txt"
expect_ok "verify_proof.py head writes the same signature from a proof" \
  cmp "$work/sig.bin" "$work/sig-head.bin"

echo "== every head: signature and recomputed root (the document's audit loop)"
mkdir "$work/auditor"
cp -a "$custody" "$work/auditor/custody"
cp "$work/pinned.pem" "$work/auditor/signing-key.pem"
cp "$script" "$work/auditor/verify_proof.py"
audit_out="$(cd "$work/auditor" && bash "$audit")"
expect_eq "audit_heads.sh finds nothing wrong" "$audit_out" "checked $nheads heads"

echo "== step 6: consistency proofs between signed heads"
mapfile -t sizes < <(python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["tree_size"])' "$heads")
mapfile -t roots < <(python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["root"])' "$heads")
pairs=()
for ((i = 0; i + 1 < nheads; i++)); do
  pairs+=("$i $((i + 1))")
  if ((i + 1 < nheads - 1)); then pairs+=("$i $((nheads - 1))"); fi
done
pow2_seen=0
other_seen=0
for pair in "${pairs[@]}"; do
  read -r i j <<< "$pair"
  old="${sizes[$i]}"
  new="${sizes[$j]}"
  if ((old & (old - 1))); then other_seen=1; else pow2_seen=1; fi
  ev --json log consistency "$old" "$new" > "$work/cons-$old-$new.json"
  cons="$(cat "$work/cons-$old-$new.json")"
  expect_eq "consistency $old -> $new: its roots are those of the signed heads" \
    "$(field "$cons" old_root) $(field "$cons" new_root)" "${roots[$i]} ${roots[$j]}"
  expect_ok "consistency $old -> $new: verify_proof.py consistency accepts it" \
    vp consistency "$work/cons-$old-$new.json"
done
expect_eq "old sizes that are and are not powers of two were both checked" "$pow2_seen$other_seen" 11

echo "== tampering is caught"
# One byte of event 3 (inside its sha256 value) changes in a copy of the log.
tampered="$work/tampered"
mkdir "$tampered"
cp -a "$custody" "$tampered/custody"
cp "$work/pinned.pem" "$tampered/signing-key.pem"
cp "$script" "$tampered/verify_proof.py"
offset=$(( $(head -n 3 "$events" | wc -c) + $(sed -n 4p "$events" | grep -bo '"sha256":"' | cut -d: -f1) + 12 ))
flip_byte "$tampered/custody/events.jsonl" "$offset"
expect_eq "the copy differs from the log in exactly one byte" \
  "$(cmp -l "$events" "$tampered/custody/events.jsonl" | wc -l | tr -d ' ')" 1
expect_eq "the untouched log gives the signed root" "$(vp root "$events" "$size")" "$signed_root"
expect_ne "the log with one flipped byte in event 3 does not" \
  "$(vp root "$tampered/custody/events.jsonl" "$size")" "$signed_root"
k=0
for ((i = 0; i < nheads; i++)); do if ((sizes[i] <= 3)); then k=$i; fi; done
expect_eq "the events before it still give the root of the head of size ${sizes[k]}" \
  "$(vp root "$tampered/custody/events.jsonl" "${sizes[k]}")" "${roots[k]}"
bad_heads="$(cd "$tampered" && bash "$audit" | grep -c 'do not give the signed root' || true)"
expect_eq "audit_heads.sh flags every head covering event 3, and no other" "$bad_heads" \
  "$(python3 -c 'import sys; print(sum(1 for s in sys.argv[1:] if int(s) > 3))' "${sizes[@]}")"
expect_fail "verify_proof.py inclusion rejects event 3's proof against the tampered log" \
  vp inclusion "$work/proof-3.json" "$tampered/custody/events.jsonl"
python3 -c 'import json,sys
p = json.load(open(sys.argv[1])); e = p["event"]
p["event"] = e.replace("\"size\":", "\"size\":1", 1)
json.dump(p, open(sys.argv[2], "w"))' "$work/proof-3.json" "$work/proof-3-event.json"
expect_fail "verify_proof.py inclusion rejects a proof whose event was edited" \
  vp inclusion "$work/proof-3-event.json"
python3 -c 'import json,sys
p = json.load(open(sys.argv[1])); h = p["audit_path"][0]
p["audit_path"][0] = ("1" if h[0] == "0" else "0") + h[1:]
json.dump(p, open(sys.argv[2], "w"))' "$work/proof-3.json" "$work/proof-3-path.json"
expect_fail "verify_proof.py inclusion rejects a proof with an altered audit path" \
  vp inclusion "$work/proof-3-path.json"
python3 -c 'import json,sys
p = json.load(open(sys.argv[1])); p["leaf_index"] = 4
json.dump(p, open(sys.argv[2], "w"))' "$work/proof-5.json" "$work/proof-5-moved.json"
expect_fail "verify_proof.py inclusion rejects event 5's path presented as event 4's" \
  vp inclusion "$work/proof-5-moved.json"

cp "$work/sig.bin" "$work/sig-flipped.bin"
flip_byte "$work/sig-flipped.bin" 17
expect_fail "openssl rejects the signature with one flipped byte" \
  openssl pkeyutl -verify -pubin -inkey "$work/pinned.pem" -rawin -in "$work/message.txt" \
  -sigfile "$work/sig-flipped.bin"
printf 'evhub tree head v1\nhub %s\nsize %s\nroot %s\ntime %s\n' "$hub_id" "$((size + 1))" \
  "$signed_root" "$head_time" > "$work/message-size.txt"
expect_fail "openssl rejects the signature over a message with another size" \
  openssl pkeyutl -verify -pubin -inkey "$work/pinned.pem" -rawin -in "$work/message-size.txt" \
  -sigfile "$work/sig.bin"
printf 'evhub tree head v1\nhub %s\nsize %s\nroot %s\ntime %s\n' "0123456789abcdef0123456789abcdef" \
  "$size" "$signed_root" "$head_time" > "$work/message-hub.txt"
expect_fail "openssl rejects the signature under another hub id" \
  openssl pkeyutl -verify -pubin -inkey "$work/pinned.pem" -rawin -in "$work/message-hub.txt" \
  -sigfile "$work/sig.bin"
printf 'evhub tree head v1\nhub %s\nsize %s\nroot %s\ntime %s' "$hub_id" "$size" "$signed_root" \
  "$head_time" > "$work/message-nonl.txt"
expect_fail "openssl rejects the message without its final newline" \
  openssl pkeyutl -verify -pubin -inkey "$work/pinned.pem" -rawin -in "$work/message-nonl.txt" \
  -sigfile "$work/sig.bin"
openssl genpkey -algorithm ed25519 2> /dev/null | openssl pkey -pubout > "$work/other.pem"
expect_fail "openssl rejects the signature under another Ed25519 key" \
  openssl pkeyutl -verify -pubin -inkey "$work/other.pem" -rawin -in "$work/message.txt" \
  -sigfile "$work/sig.bin"

cons_file="$work/cons-${sizes[1]}-${sizes[nheads - 1]}.json"
python3 -c 'import json,sys
c = json.load(open(sys.argv[1])); r = c["old_root"]
c["old_root"] = ("1" if r[0] == "0" else "0") + r[1:]
json.dump(c, open(sys.argv[2], "w"))' "$cons_file" "$work/cons-oldroot.json"
expect_fail "verify_proof.py consistency rejects another old root (a fork)" \
  vp consistency "$work/cons-oldroot.json"
python3 -c 'import json,sys
c = json.load(open(sys.argv[1])); c["proof"] = c["proof"][:-1]
json.dump(c, open(sys.argv[2], "w"))' "$cons_file" "$work/cons-short.json"
expect_fail "verify_proof.py consistency rejects a shortened proof" \
  vp consistency "$work/cons-short.json"

head -n $((count - 1)) "$events" > "$work/events-cut.jsonl"
expect_fail "verify_proof.py root notices a log cut below the signed size" \
  vp root "$work/events-cut.jsonl" "$size"
cp "$events" "$work/events-torn.jsonl"
printf '{"seq":%s,"time":"2026-' "$count" >> "$work/events-torn.jsonl"
expect_eq "a torn last line (no newline) is not an event: the root is unchanged" \
  "$(vp root "$work/events-torn.jsonl")" "$signed_root"

finish
