#!/usr/bin/env bash
# The main job: installs what is needed, builds everything, creates a demo hub with fictional
# material, prints what it holds, and serves the web workspace on 127.0.0.1:8080.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo
evhub="$root/build/evhub"
hub="${DEMO_HUB:-$root/demo-hub}"
export EVHUB_PASSPHRASE="${EVHUB_PASSPHRASE:-demo passphrase, not for real evidence}"
export EVHUB_ACTOR="${EVHUB_ACTOR:-demo-intake-officer}"

if [ ! -f "$hub/hub.json" ]; then
  rm -rf "$hub"
  "$evhub" --hub "$hub" init --kdf interactive
  "$evhub" --hub "$hub" org add "Demo Partner"
  material="$(mktemp -d)"
  trap 'rm -rf "$material"' EXIT
  # Fictional material only: no real person is named.
  printf 'Interview W-00001, 2020-08-11, Minsk (fictional). Q: Where were you held? A: At the isolation centre on Akrescina street, four days, cell 3.\n' >"$material/interview-w00001.txt"
  printf 'Medical certificate (fictional): bruising on both forearms, recorded 2020-08-14.\n' >"$material/medical-w00001.txt"
  head -c 200000 /dev/urandom >"$material/photo-w00002.jpg.bin"
  printf 'Court decision (fictional), Homel district court, case 1-000/2021.\n' >"$material/court-w00002.txt"
  head -c 3000000 /dev/urandom >"$material/osint-video-capture.bin"
  "$evhub" --hub "$hub" put "$material/interview-w00001.txt" "$material/medical-w00001.txt" --domain W-00001 --org "Demo Partner"
  "$evhub" --hub "$hub" put "$material/photo-w00002.jpg.bin" "$material/court-w00002.txt" --domain W-00002 --org "Demo Partner"
  # The witness register: pseudonymous codes, fictional profiles, consent, a contact.
  printf '{"name":"Fictional Person One","contacts":"+370 600 00000 (fictional)"}\n' >"$material/w1.json"
  "$evhub" --hub "$hub" witness add W-00001 --org "Demo Partner" --gender female --age-band 30-44 \
    --country LT --language be --language ru --vulnerability relative-detained \
    --personal-file "$material/w1.json"
  "$evhub" --hub "$hub" consent add W-00001 --given-on 2026-01-15 --taken-by demo-intake-officer \
    --scope internal-analysis --scope share-un --scope share-icc --renew-by 2027-01-15
  "$evhub" --hub "$hub" witness add W-00002 --org "Demo Partner" --gender male --age-band 45-59 \
    --country PL --language ru
  "$evhub" --hub "$hub" contact add W-00001 --on 2026-02-01 --by demo-intake-officer \
    --channel video --purpose "follow-up (fictional)"
  printf 'Мяне затрымалі ў Мінску ў жніўні 2020 года і трымалі ў ізалятары на Акрэсціна.\n' \
    >"$material/statement-w00001-be.txt"
  "$evhub" --hub "$hub" put "$material/statement-w00001-be.txt" --domain W-00001 --org "Demo Partner"
  "$evhub" --hub "$hub" put "$material/osint-video-capture.bin" --domain osint-source-0001 --org "Demo Partner"
  printf 'A witness who withdrew consent (fictional).\n' >"$material/withdrawn.txt"
  "$evhub" --hub "$hub" put "$material/withdrawn.txt" --domain W-00003 --org "Demo Partner"
  "$evhub" --hub "$hub" shred W-00003 --yes --reason "witness withdrew consent (demo)"
  # Fictional staff accounts for the API (passwords are demo values, printed below).
  # The demo administrator also leads the team, so that one sign-in can upload evidence and
  # then find the upload in the audit trail.
  EVHUB_USER_PASSWORD="demo admin password" "$evhub" --hub "$hub" user add demo-admin \
    --org "Demo Partner" --role administrator --role lead
  EVHUB_USER_PASSWORD="demo analyst password" "$evhub" --hub "$hub" user add demo-analyst \
    --org "Demo Partner" --role analyst --role intake-officer
  # Witness summaries are approved by someone other than their authors.
  EVHUB_USER_PASSWORD="demo reviewer password" "$evhub" --hub "$hub" user add demo-reviewer \
    --org "Demo Partner" --role reviewer
  # A dozen more fictional witnesses with consent, contacts, interviews and documents (PDFs and
  # scans), so that every page of the workspace has something to show.
  "$evhub" --hub "$hub" synth --witnesses 12 --organisation "Demo Partner" --seed 2026
  # Text extraction, translation and search indexing of what was stored (the server also does
  # this as it runs).
  "$evhub" --hub "$hub" jobs --wait >/dev/null
fi

echo
echo "== Demo hub: $hub"
"$evhub" --hub "$hub" status
echo
echo "== Integrity check"
"$evhub" --hub "$hub" verify
echo
echo "== Custody log"
"$evhub" --hub "$hub" log show
echo
echo "== Search: a Latin spelling finds the Cyrillic testimony (see docs/search.md)"
"$evhub" --hub "$hub" search "Akrestsina date:2020" --limit 3
echo
echo "To use the demo hub from the command line:"
echo "  export EVHUB_PASSPHRASE='$EVHUB_PASSPHRASE'"
echo "  $evhub --hub $hub ls      # or: search QUERY, verify, log proof 3, get ID -o FILE, --help"
[ "${DEMO_SERVE:-1}" = 1 ] || exit 0
listen="${DEMO_LISTEN:-127.0.0.1:8080}"
url="http://$listen/"
echo
echo "== Serving the demo hub's web workspace (Ctrl-C to stop):"
echo
echo "   open      $url"
echo "   sign in   demo-admin / demo admin password      (administrator and team lead)"
echo "             demo-analyst / demo analyst password  (analyst, intake officer)"
echo "             demo-reviewer / demo reviewer password (reviewer of witness summaries)"
echo
exec "$evhub" --hub "$hub" serve --listen "$listen"
