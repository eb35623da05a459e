// Pieces of extract/ shared between its files; not for other modules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "extract/extract.h"
#include "extract/ocr.h"

namespace evhub::extract::internal {

// The OCR engines a thread uses, borrowed on first use from a process-wide pool (so models are
// loaded once per process, not per call or per thread) and returned when the slot goes.
class OcrSlot {
 public:
  OcrSlot() = default;
  ~OcrSlot();
  OcrSlot(const OcrSlot&) = delete;
  OcrSlot& operator=(const OcrSlot&) = delete;
  Result<TesseractOcr*> get();

 private:
  std::unique_ptr<TesseractOcr> ocr_;
};

// One page's OCR: the text and what produced it.
struct PageText {
  std::string text;
  std::string language;    // "be", "ru", "en" or ""
  std::string parameters;  // "lang=bel psm=3 dpi=300 oem=lstm detected=be …"
  std::string outcome;     // without the letter counts, for documents of many pages
  double confidence = 0;
};

// Reads a page with the given language ("be", "ru", "en") or detects it (empty); see extract.h.
Result<PageText> read_page(Ocr& ocr, const Image& page, const std::string& language);
Result<PageText> read_page(OcrSlot& slot, const Image& page, const std::string& language);

// How many workers parallel_for() uses for `n` items: `threads` (0 = one per core), at most n.
int worker_count(std::size_t n, int threads);
// Calls fn(index, worker, slot) for every index in [0, n) on worker_count(n, threads) threads,
// each with its own OcrSlot; with one worker, on the calling thread with `caller_slot`. Returns
// the error of the lowest index that failed (later indices are then skipped); an exception in
// a worker is rethrown here.
Status parallel_for(std::size_t n, int threads, OcrSlot& caller_slot,
                    const std::function<Status(std::size_t index, int worker, OcrSlot& slot)>& fn);

// Joins per-page OCR outcomes into one parameters string: a page's own parameters for one page,
// "pages 1-3: lang=bel psm=3 dpi=300 oem=lstm detected=be; page 4: …" for more.
std::string summarise_pages(const std::vector<const PageText*>& pages,
                            const std::vector<int>& page_numbers);

Result<ExtractedText> extract_pdf(std::span<const std::uint8_t> bytes,
                                  const ExtractOptions& options, int threads, OcrSlot& slot);
// DOCX or ODT: `bytes` start with a ZIP local file header.
Result<ExtractedText> extract_office(std::span<const std::uint8_t> bytes);

// Strips trailing spaces on every line, and empty lines and form feeds at the end.
std::string tidy_lines(std::string_view text);
// The offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace evhub::extract::internal
