#!/usr/bin/env bash
# Installs every Debian 12 package Evidence Hub needs to build, test and benchmark.
# Idempotent: packages already present are left alone, and apt is only asked when one is missing.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config clang-format
  # libraries (DESIGN.md §9)
  libsodium-dev libssl-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev libfmt-dev libboost-dev
  libqrencode-dev
  # the allocator evhub links (faster index builds; see CMakeLists.txt)
  libjemalloc-dev
  # text extraction (extract/): OCR with the Belarusian, Russian and English models, PDF, office
  # documents, image metadata; OpenMP's header comes with the compiler
  libtesseract-dev libleptonica-dev tesseract-ocr-bel tesseract-ocr-rus tesseract-ocr-eng
  libpoppler-cpp-dev libexiv2-dev libzip-dev libpugixml-dev
  # search: Xapian (and xapian-tcpsrv for remote shards), ICU for normalisation and transliteration
  libxapian-dev xapian-tools libicu-dev
  # bulk import manifests (CSV)
  libcsv-dev
  # disclosure packages: tar archives (libarchive), checked in the tests with the stock tools a
  # recipient uses (minisign; age, sha256sum and tar are below)
  libarchive-dev minisign
  # witness summaries: PDF export (pango lays out, cairo writes; DejaVu Sans from
  # fonts-dejavu-core covers Belarusian and Russian), the line diff of two versions (dtl)
  libpango1.0-dev libcairo2-dev libdtl-dev
  # bench/search_bench links libpq, and bench/ is configured by default (EVHUB_BENCH=ON); the
  # PostgreSQL server it runs against (postgresql-15) is only checked for by search_bench.sh
  libpq-dev
  # processing: machine translation (Belarusian <-> Russian)
  apertium apertium-bel-rus
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-yaml python3-jsonschema openssl sqlite3
  age time coreutils curl wrk
  # extract/ tests and bench/ocr_bench.sh: pages rendered with Pillow in DejaVu Sans, PDFs made with
  # ReportLab, EXIF written with the exiv2 command, the tesseract command as the baseline
  python3-pil python3-reportlab fonts-dejavu-core exiv2 tesseract-ocr
  # bench/disclosure_bench.sh: the videos of its synthetic hub (ffmpeg's test patterns, x264)
  ffmpeg
  # browser tests: Debian's Chromium, driven by playwright-core (never a downloaded browser);
  # pdftotext reads back the text of a witness summary exported to PDF
  chromium poppler-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The web app builds with Node.js and npm (18 or newer). Machines that have them from elsewhere
# (NodeSource) keep them: Debian's npm package would fight that install.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
