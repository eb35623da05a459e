// Text from a document's bytes, with what a derived object's provenance needs: which tool read
// it, which version, with which parameters, and in which language.
//
//   evhub::extract::ExtractOptions options;            // language detected, all cores
//   EVHUB_ASSIGN_OR_RETURN(auto text, evhub::extract::extract_text(bytes, options));
//   // text.text, text.language ("be"), text.tool ("tesseract"), text.parameters, ...
//
// The format comes from the bytes (magic numbers), never from a file name:
//   PDF         poppler reads the text layer of each page; a page without one is rendered at
//               300 dpi and OCR'd. Pages are separated by a form feed ("\f"), as pdftotext does.
//   DOCX, ODT   the text of word/document.xml or content.xml, one line per paragraph.
//   PNG, JPEG,  OCR with tesseract (every page of a multi-page TIFF, separated by "\f").
//   TIFF
//   UTF-8 text  as it is (a byte-order mark is dropped, CRLF becomes LF); binary is refused.
// Anything else, or a damaged file, is a kInvalidArgument Status that says what was wrong.
//
// Language. options.language "be", "ru" or "en" picks tesseract's bel, rus or eng model. Left
// empty, the language is detected, because the model matters: tesseract's Russian model reads
// Belarusian with 7-9 % of characters wrong (і, ў and the apostrophe are not in it), the
// Belarusian one with under 0.5 %. Rule, per page: up to three text lines from the middle of
// the page (found from the ink, no OCR) are read one by one with the combined model
// bel+rus+eng until their letters decide (detect_language below; usually one line does):
// і ў and an apostrophe between letters are Belarusian only, и щ ъ Russian only; mostly Latin
// letters is English. The page is then read with the one model of that language. When the
// sample does not decide (a table of figures, a stamp), the whole page is read with bel+rus+eng
// and counted; if that still does not decide, its text is kept and `language` stays empty.
// The choice and the letter counts are recorded in `parameters`. For text that needs no OCR
// (PDF text layers, DOCX, ODT, plain text) the same counting fills `language`.
//
// Threads: a TessBaseAPI is not thread-safe, so each OCR thread borrows its own set of engines
// from a process-wide pool; models are loaded once per process, not per page (loading them per
// page, and its OpenMP threads, are what make the tesseract command slow; see ocr.cc).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace evhub::extract {

struct ExtractOptions {
  std::string language;  // "be", "ru", "en", or "" to detect
  int threads = 0;       // OCR worker threads; 0 = one per core
};

// Everything a derived text object's provenance needs (the caller adds the source object id).
struct ExtractedText {
  std::string text;          // UTF-8
  std::string language;      // "be", "ru", "en" or "" when undecided
  std::string tool;          // "tesseract", "poppler", "poppler+tesseract", "libzip+pugixml",
                             // "evhub"
  std::string tool_version;  // e.g. "5.3.0", or "22.12.0+5.3.0" for poppler+tesseract
  std::string parameters;    // e.g. "lang=bel psm=3 dpi=300 oem=lstm detected=be(і/ў/'=14 …)"
  int pages = 0;             // PDF pages, TIFF pages, 1 for an image, 0 for unpaged text
  double confidence = -1;    // tesseract's mean word confidence (0-100) over OCR'd pages; -1
                             // when nothing was OCR'd
};

// Detects the format and extracts the text; see the top of this file.
Result<ExtractedText> extract_text(std::span<const std::uint8_t> bytes,
                                   const ExtractOptions& options);

// extract_text() for many documents on options.threads worker threads (0 = one per core), each
// with its own engines. Results are in the order of `docs`; the first document that fails (by
// index) fails the call, its Status naming the document ("document 3: …", counting from 1). Callers
// that want every document's outcome call extract_text() per document instead.
Result<std::vector<ExtractedText>> extract_many(
    const std::vector<std::span<const std::uint8_t>>& docs, const ExtractOptions& options);

// EXIF, IPTC and XMP metadata of an image (JPEG, PNG, TIFF, WebP, ...) read with exiv2:
//   {"exif": {"Exif.Image.Make": "…", …}, "iptc": {…}, "xmp": {…},
//    "gps": {"latitude": 53.9, "longitude": 27.56, "altitude": 220.0},   // only when present
//    "date_time_original": "2020:08:10 14:32:00",                         // only when present
//    "flags": ["gps", "date_time_original"]}
// "gps" says where a photo was taken (it may reveal a witness's home) and "date_time_original"
// when the camera says it was taken; both are flagged so a reviewer notices them. Values are
// exiv2's text of the raw value (a GPS latitude is "53/1 54/1 0/1"); binary values longer
// than 64 bytes become "(N bytes)".
Result<nlohmann::json> image_metadata(std::span<const std::uint8_t> bytes);

// What the bytes are, by their magic numbers as extract_text() tells them apart: one of
// "application/pdf", "application/zip" (DOCX, ODT), "image/png", "image/jpeg", "image/tiff",
// "text/plain; charset=utf-8" (valid UTF-8 without NUL bytes) or "application/octet-stream".
// `head` is the start of the file; the first 1,024 bytes are enough.
const char* media_type_of(std::span<const std::uint8_t> head);

// A page of a PDF for people to look at: the coding workspace draws page regions on it, in
// fractions of the page, so any resolution will do. `page` counts from 1; the page is rendered
// in colour at `dpi` (fewer for a page too large) and encoded as PNG. Refused with a reason: not
// a PDF poppler can read, encrypted, no such page.
struct RenderedPage {
  std::string png;
  int pages = 0;  // how many pages the PDF has
  int width = 0;  // pixels
  int height = 0;
};
Result<RenderedPage> render_pdf_page(std::span<const std::uint8_t> bytes, int page, int dpi);

// How many pages a PDF has (the same refusals as render_pdf_page).
Result<int> pdf_page_count(std::span<const std::uint8_t> bytes);

// The letter counts behind language detection, and the decision.
struct LanguageGuess {
  std::string language;         // "be", "ru", "en" or "" when the text does not decide
  int belarusian = 0;           // і ў (either case) and apostrophes between Cyrillic letters
  int russian = 0;              // и щ ъ (either case)
  int cyrillic = 0;             // all Cyrillic letters
  int latin = 0;                // a-z, A-Z
  std::string summary() const;  // "і/ў/'=14 и/щ/ъ=0 cyrillic=301 latin=0"
};
// English when at least 8 letters and half of them Latin; otherwise Belarusian or Russian when
// that side has at least 2 distinctive letters and the other none (in 20 Cyrillic letters or
// more: about a line), or at least 3 and twice as many as the other side.
LanguageGuess detect_language(std::string_view utf8);

}  // namespace evhub::extract
