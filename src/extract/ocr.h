// OCR behind a small interface, so language detection and page handling (extract.cc) do not
// depend on tesseract, and a TesseractOcr that implements it with libtesseract's C++ API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tesseract {
class TessBaseAPI;
}

namespace evhub::extract {

// The largest raster decoded or rendered for OCR: an A3 page scanned at 600 dpi fits with room
// to spare, and a tiny file claiming a huge raster is refused before it is decoded.
inline constexpr std::int64_t kMaxImagePixels = 100'000'000;

// An 8-bit greyscale raster: OCR reads grey, so colour is converted once, on decoding.
struct Image {
  int width = 0;
  int height = 0;
  int dpi = 0;                       // 0 when the file does not say
  std::vector<std::uint8_t> pixels;  // width * height bytes, row after row, 0 = black
};

// Up to `max_lines` images cut around text lines of `page`, found from its ink (no OCR), for
// language detection: lines of typical height from the middle of the page first (headings and
// page numbers say little), each cut between words from the middle 80 % of the text's width
// (on a slightly turned page a whole line's box would also cut through its neighbours).
std::vector<Image> sample_lines(const Image& page, std::size_t max_lines);

// Decodes PNG, JPEG or TIFF (every page of a multi-page TIFF) with leptonica. Refuses images
// over kMaxImagePixels before decoding them.
Result<std::vector<Image>> decode_image(std::span<const std::uint8_t> bytes);

struct OcrResult {
  std::string text;        // UTF-8, lines separated by "\n", trailing whitespace removed
  double confidence = 0;   // mean word confidence, 0-100
  std::string parameters;  // "lang=bel psm=3 dpi=300 oem=lstm"
};

class Ocr {
 public:
  virtual ~Ocr() = default;
  // Reads `page` as a page (automatic layout) with tesseract language codes such as "bel" or
  // "bel+rus+eng" (the first is tried first on each line, the others when it reads poorly).
  virtual Result<OcrResult> recognise(const Image& page, const std::string& tesseract_langs) = 0;
  // Reads one text line (an image cut around it) as a single line; cheaper than a page, for
  // language detection.
  virtual Result<OcrResult> recognise_line(const Image& line,
                                           const std::string& tesseract_langs) = 0;
};

// Not thread-safe: one per thread at a time (extract.cc lends them to its OCR threads from a
// pool). Engines are loaded on first use of a language combination and kept.
class TesseractOcr final : public Ocr {
 public:
  // Finds the tessdata directory: $TESSDATA_PREFIX when set, else where Debian's
  // tesseract-ocr-* packages put it (/usr/share/tesseract-ocr/5/tessdata, then 4.00).
  static Result<std::unique_ptr<TesseractOcr>> create();
  ~TesseractOcr() override;
  TesseractOcr(const TesseractOcr&) = delete;
  TesseractOcr& operator=(const TesseractOcr&) = delete;

  Result<OcrResult> recognise(const Image& page, const std::string& tesseract_langs) override;
  Result<OcrResult> recognise_line(const Image& line, const std::string& tesseract_langs) override;

  static std::string version();  // libtesseract's, e.g. "5.3.0"
  const std::string& tessdata_dir() const { return tessdata_; }

 private:
  struct EngineDeleter {
    void operator()(tesseract::TessBaseAPI* api) const;
  };
  using Engine = std::unique_ptr<tesseract::TessBaseAPI, EngineDeleter>;

  explicit TesseractOcr(std::string tessdata) : tessdata_(std::move(tessdata)) {}
  Result<tesseract::TessBaseAPI*> engine(const std::string& langs);
  Result<OcrResult> run(const Image& image, const std::string& langs, bool single_line);

  std::string tessdata_;
  std::map<std::string, Engine> engines_;
};

// The tesseract model for a language code: "be" -> "bel", "ru" -> "rus", "en" -> "eng";
// empty for anything else.
std::string tesseract_model(const std::string& language);

}  // namespace evhub::extract
