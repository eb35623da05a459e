#!/usr/bin/env bash
# Every test: installs what is needed, builds, runs the whole suite with ctest, then the unit
# tests again under AddressSanitizer and UndefinedBehaviorSanitizer. Ends with ctest's summary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
jobs="$(nproc)"

echo "== sanitizer build (ASan + UBSan): unit tests"
EVHUB_SKIP_WEB=1 BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug \
  -DEVHUB_SANITIZE=ON -DEVHUB_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs" -LE "slow|browser"

echo "== release build: all tests"
"$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The browser tests first, in full (they print "N passed, N failed"); then everything else, so
# that the output ends with ctest's summary. Both run even if the first fails.
status=0
ctest --test-dir "$root/build" --output-on-failure -V -L browser || status=1
ctest --test-dir "$root/build" --output-on-failure -j "$jobs" -LE browser || status=1
exit "$status"
