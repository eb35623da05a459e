#include "extract/ocr.h"

#include "extract/internal.h"

#include <allheaders.h>
#include <omp.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <utility>

#include <fmt/format.h>

namespace evhub::extract {
namespace {

constexpr int kMaxTiffPages = 2000;
// Resolution assumed when a file does not state a plausible one; tesseract needs one to size
// its filters, and 300 dpi is what scanners and our own PDF rendering produce.
constexpr int kDefaultDpi = 300;

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// leptonica reports every unreadable file on stderr; the caller gets a Status instead.
void quiet_leptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

// Debian's libtesseract is built with OpenMP and opens a team of four threads inside every
// text line's LSTM step. On two cores that made a page five times slower (946 ms instead of
// 183 ms), and worse with our own worker threads on top. A max-active-levels of 0 runs those
// regions on the calling thread alone, as OMP_THREAD_LIMIT=1 would (which the OpenMP runtime
// only reads when it starts). The setting belongs to the calling thread, so each OCR call sets
// it; it costs nothing.
void one_thread_per_engine() {
  omp_set_max_active_levels(0);
}

bool is_tiff(std::span<const std::uint8_t> b) {
  return b.size() >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) ||
                           (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42));
}

Status check_size(std::int64_t width, std::int64_t height) {
  if (width <= 0 || height <= 0) return Status(Code::kInvalidArgument, "the image has no pixels");
  if (width * height > kMaxImagePixels) {
    return Status(Code::kInvalidArgument,
                  fmt::format("the image is {}x{} pixels, more than the {} megapixels OCR accepts; "
                              "scan at a lower resolution",
                              width, height, kMaxImagePixels / 1'000'000));
  }
  return Status::ok();
}

// Any depth, colour map or alpha channel -> 8-bit grey on white.
Result<Image> to_grey(Pix* pix) {
  PixPtr blended;
  if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4) {
    // Transparent pixels are often stored black; seen through, the page is white.
    blended.reset(pixAlphaBlendUniform(pix, 0xffffff00));
    if (blended) pix = blended.get();
  }
  PixPtr grey(pixConvertTo8(pix, 0));
  if (!grey) return Status(Code::kInvalidArgument, "the image's pixel format cannot be read");
  Image image;
  image.width = static_cast<int>(pixGetWidth(grey.get()));
  image.height = static_cast<int>(pixGetHeight(grey.get()));
  image.dpi = static_cast<int>(pixGetXRes(grey.get()));
  image.pixels.resize(static_cast<std::size_t>(image.width) * image.height);
  const l_uint32* data = pixGetData(grey.get());
  const int wpl = pixGetWpl(grey.get());
  for (int y = 0; y < image.height; ++y) {
    const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    std::uint8_t* out = image.pixels.data() + static_cast<std::size_t>(y) * image.width;
    for (int x = 0; x < image.width; ++x)
      out[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
  }
  return image;
}

// Tesseract ends lines with "\n" and paragraphs with an empty line; trailing spaces on a line
// and at the end carry nothing.
std::string tidy(const char* raw) {
  return raw == nullptr ? std::string() : internal::tidy_lines(raw);
}

std::vector<std::string> split_langs(const std::string& langs) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= langs.size()) {
    std::size_t end = langs.find('+', start);
    if (end == std::string::npos) end = langs.size();
    out.push_back(langs.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<Image>> decode_image(std::span<const std::uint8_t> bytes) {
  quiet_leptonica();
  std::vector<Image> pages;
  if (is_tiff(bytes)) {
    for (int n = 0; n < kMaxTiffPages; ++n) {
      l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
      if (readHeaderMemTiff(bytes.data(), bytes.size(), n, &w, &h, &bps, &spp, &res, &cmap,
                            &format) != 0) {
        break;  // no page n: the end of the file
      }
      EVHUB_RETURN_IF_ERROR(check_size(w, h));
      PixPtr pix(pixReadMemTiff(bytes.data(), bytes.size(), n));
      if (!pix) break;
      EVHUB_ASSIGN_OR_RETURN(Image page, to_grey(pix.get()));
      pages.push_back(std::move(page));
    }
    if (pages.empty()) {
      return Status(Code::kInvalidArgument, "damaged TIFF: no page of it can be decoded");
    }
    return pages;
  }
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(bytes.data(), bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) {
    return Status(Code::kInvalidArgument, "damaged image: its header cannot be read");
  }
  EVHUB_RETURN_IF_ERROR(check_size(w, h));
  PixPtr pix(pixReadMem(bytes.data(), bytes.size()));
  if (!pix) return Status(Code::kInvalidArgument, "damaged image: it cannot be decoded");
  EVHUB_ASSIGN_OR_RETURN(Image page, to_grey(pix.get()));
  pages.push_back(std::move(page));
  return pages;
}

std::string tesseract_model(const std::string& language) {
  if (language == "be") return "bel";
  if (language == "ru") return "rus";
  if (language == "en") return "eng";
  return "";
}

void TesseractOcr::EngineDeleter::operator()(tesseract::TessBaseAPI* api) const {
  api->End();
  delete api;
}

TesseractOcr::~TesseractOcr() = default;

std::string TesseractOcr::version() {
  return tesseract::TessBaseAPI::Version();
}

Result<std::unique_ptr<TesseractOcr>> TesseractOcr::create() {
  namespace fs = std::filesystem;
  std::vector<std::string> candidates;
  // Tesseract 5 reads TESSDATA_PREFIX as the tessdata directory itself; an operator who sets it
  // (models of their own) is obeyed.
  if (const char* env = std::getenv("TESSDATA_PREFIX"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  // Debian 12's tesseract-ocr-bel/-rus/-eng (model version 4.1.0, read by tesseract 5) install
  // here; 4.00 is where Debian 11 put them.
  candidates.emplace_back("/usr/share/tesseract-ocr/5/tessdata");
  candidates.emplace_back("/usr/share/tesseract-ocr/4.00/tessdata");
  candidates.emplace_back("/usr/share/tessdata");
  std::error_code ec;
  for (const std::string& dir : candidates) {
    for (const char* lang : {"bel", "rus", "eng"}) {
      if (fs::is_regular_file(fs::path(dir) / (std::string(lang) + ".traineddata"), ec)) {
        return std::unique_ptr<TesseractOcr>(new TesseractOcr(dir));
      }
    }
  }
  return Status(Code::kFailedPrecondition,
                "no tesseract language data found in /usr/share/tesseract-ocr/5/tessdata (or "
                "$TESSDATA_PREFIX); install tesseract-ocr-bel, tesseract-ocr-rus and "
                "tesseract-ocr-eng");
}

Result<tesseract::TessBaseAPI*> TesseractOcr::engine(const std::string& langs) {
  if (auto it = engines_.find(langs); it != engines_.end()) return it->second.get();
  std::error_code ec;
  for (const std::string& lang : split_langs(langs)) {
    if (lang.empty() || lang.find_first_of("/.") != std::string::npos) {
      return Status(Code::kInvalidArgument, fmt::format("bad tesseract languages '{}'", langs));
    }
    if (!std::filesystem::is_regular_file(tessdata_ + "/" + lang + ".traineddata", ec)) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("tesseract has no '{}' model in {}; install the Debian package "
                                "tesseract-ocr-{}",
                                lang, tessdata_, lang));
    }
  }
  Engine api(new tesseract::TessBaseAPI());
  if (api->Init(tessdata_.c_str(), langs.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    return Status(
        Code::kFailedPrecondition,
        fmt::format("tesseract could not load the '{}' models from {}", langs, tessdata_));
  }
  // Warnings ("Empty page!!") go nowhere: what matters reaches the caller as a Status.
  api->SetVariable("debug_file", "/dev/null");
  tesseract::TessBaseAPI* raw = api.get();
  engines_.emplace(langs, std::move(api));
  return raw;
}

namespace {
int usable_dpi(const Image& page) {
  return page.dpi >= 70 && page.dpi <= 2400 ? page.dpi : kDefaultDpi;
}
}  // namespace

Result<OcrResult> TesseractOcr::recognise(const Image& page, const std::string& tesseract_langs) {
  return run(page, tesseract_langs, false);
}

Result<OcrResult> TesseractOcr::recognise_line(const Image& line,
                                               const std::string& tesseract_langs) {
  return run(line, tesseract_langs, true);
}

Result<OcrResult> TesseractOcr::run(const Image& image, const std::string& langs,
                                    bool single_line) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
    return Status(Code::kInvalidArgument, "OCR of an empty or malformed image");
  }
  one_thread_per_engine();
  EVHUB_ASSIGN_OR_RETURN(tesseract::TessBaseAPI * api, engine(langs));
  const tesseract::PageSegMode psm = single_line ? tesseract::PSM_SINGLE_LINE : tesseract::PSM_AUTO;
  api->SetPageSegMode(psm);
  // Tesseract copies the pixels.
  api->SetImage(image.pixels.data(), image.width, image.height, 1, image.width);
  api->SetSourceResolution(usable_dpi(image));
  if (api->Recognize(nullptr) != 0) {
    api->Clear();
    return Status(Code::kInvalidArgument,
                  fmt::format("tesseract could not read a {}x{} image", image.width, image.height));
  }
  std::unique_ptr<char[]> text(api->GetUTF8Text());
  OcrResult result;
  result.text = tidy(text.get());
  result.confidence = api->MeanTextConf();
  result.parameters = fmt::format("lang={} psm={} dpi={} oem=lstm", langs, static_cast<int>(psm),
                                  usable_dpi(image));
  api->Clear();  // frees the image and its results now, not at the next call
  return result;
}

}  // namespace evhub::extract
