# Sourced by bench/ocr_bench.sh and bench/pipeline_bench.sh: the peer every OCR figure is
# compared with, the `tesseract` command run once per page, one page after another, each page
# given its language. A page's language is in its file name: NAME-be.*, NAME-ru.*, else English.
model_of() { case "$1" in *-be.*) echo bel ;; *-ru.*) echo rus ;; *) echo eng ;; esac; }
# tesseract_pages OUT_DIR LIMIT PAGE...: each page's text to OUT_DIR/NAME.txt; LIMIT is
# OMP_THREAD_LIMIT, or "" for tesseract as Debian ships it (OpenMP on).
tesseract_pages() {
  local out="$1" limit="$2" image name; shift 2
  for image in "$@"; do
    name="$(basename "${image%.*}")"
    if [ -n "$limit" ]; then
      OMP_THREAD_LIMIT="$limit" tesseract "$image" "$out/$name" -l "$(model_of "$image")" >/dev/null 2>&1
    else
      tesseract "$image" "$out/$name" -l "$(model_of "$image")" >/dev/null 2>&1
    fi
  done
}
