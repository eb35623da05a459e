// Format detection, plain text, images, language detection per page, and the worker threads.
// PDF is in pdf.cc, DOCX and ODT in office.cc, image metadata in metadata.cc.
#include "extract/extract.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "extract/internal.h"
#include "extract/ocr.h"

namespace evhub::extract {
namespace internal {
namespace {

// Reads the sample lines of language detection: bel first (the language this hub is most
// about, and a model that reads Russian letters well too), then rus and eng for lines it reads
// poorly.
constexpr const char* kDetectModels = "bel+rus+eng";
// At most this many lines are read to decide; two long lines almost always do.
constexpr std::size_t kSampleLines = 3;

// Engine sets kept for reuse; more than this many idle ones (after a burst of threads) are freed.
constexpr std::size_t kMaxIdleEngines = 16;

class WorkerPool {
 public:
  std::unique_ptr<TesseractOcr> take() {
    std::lock_guard lock(mu_);
    if (idle_.empty()) return nullptr;
    std::unique_ptr<TesseractOcr> ocr = std::move(idle_.back());
    idle_.pop_back();
    return ocr;
  }
  void give_back(std::unique_ptr<TesseractOcr> ocr) {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdleEngines) idle_.push_back(std::move(ocr));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<TesseractOcr>> idle_;
};

WorkerPool& pool() {
  static WorkerPool* pool = new WorkerPool();  // never destroyed: worker threads may outlive
  return *pool;                                // static destruction at exit
}

std::string join_pages(const std::vector<std::string>& pages) {
  std::string out;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (i > 0) out += '\f';
    out += pages[i];
  }
  return out;
}

}  // namespace

OcrSlot::~OcrSlot() {
  if (ocr_) pool().give_back(std::move(ocr_));
}

Result<TesseractOcr*> OcrSlot::get() {
  if (!ocr_) ocr_ = pool().take();
  if (!ocr_) {
    EVHUB_ASSIGN_OR_RETURN(ocr_, TesseractOcr::create());
  }
  return ocr_.get();
}

Result<PageText> read_page(Ocr& ocr, const Image& page, const std::string& language) {
  PageText out;
  if (!language.empty()) {
    const std::string model = tesseract_model(language);
    EVHUB_ASSIGN_OR_RETURN(OcrResult result, ocr.recognise(page, model));
    out.text = std::move(result.text);
    out.language = language;
    out.confidence = result.confidence;
    out.parameters = result.parameters + " language=given";
    out.outcome = result.parameters + " language=given";
    return out;
  }

  // A few long lines, read with the combined model, decide the language.
  const std::vector<Image> lines = sample_lines(page, kSampleLines);
  std::string sample;
  LanguageGuess guess;
  std::size_t read = 0;
  for (const Image& line : lines) {
    EVHUB_ASSIGN_OR_RETURN(OcrResult result, ocr.recognise_line(line, kDetectModels));
    sample += result.text;
    sample += '\n';
    ++read;
    guess = detect_language(sample);
    if (!guess.language.empty()) break;
  }
  std::string how =
      fmt::format("{} line{} read with {}", read, read == 1 ? "" : "s", kDetectModels);

  OcrResult result;
  if (guess.language.empty()) {
    // The sample did not decide (few or short lines, figures, a stamp): the whole page decides.
    EVHUB_ASSIGN_OR_RETURN(result, ocr.recognise(page, kDetectModels));
    guess = detect_language(result.text);
    how = fmt::format("the page read with {}", kDetectModels);
    if (guess.language.empty()) {
      out.text = std::move(result.text);
      out.confidence = result.confidence;
      out.parameters =
          fmt::format("{} detected=none ({}: {})", result.parameters, how, guess.summary());
      out.outcome = result.parameters + " detected=none";
      return out;
    }
  }
  const std::string model = tesseract_model(guess.language);
  EVHUB_ASSIGN_OR_RETURN(result, ocr.recognise(page, model));
  out.text = std::move(result.text);
  out.language = guess.language;
  out.confidence = result.confidence;
  out.parameters = fmt::format("{} detected={} ({}: {})", result.parameters, guess.language, how,
                               guess.summary());
  out.outcome = fmt::format("{} detected={}", result.parameters, guess.language);
  return out;
}

Result<PageText> read_page(OcrSlot& slot, const Image& page, const std::string& language) {
  EVHUB_ASSIGN_OR_RETURN(TesseractOcr * ocr, slot.get());
  return read_page(*ocr, page, language);
}

int worker_count(std::size_t n, int threads) {
  std::size_t workers = threads > 0 ? static_cast<std::size_t>(threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::max<std::size_t>(1, std::min(workers, n)));
}

Status parallel_for(std::size_t n, int threads, OcrSlot& caller_slot,
                    const std::function<Status(std::size_t, int, OcrSlot&)>& fn) {
  const int workers = worker_count(n, threads);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) EVHUB_RETURN_IF_ERROR(fn(i, 0, caller_slot));
    return Status::ok();
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> lowest_failed{n};
  std::vector<Status> errors(n);
  std::mutex mu;
  std::exception_ptr exception;
  {
    std::vector<std::jthread> pool_threads;
    for (int w = 0; w < workers; ++w) {
      pool_threads.emplace_back([&, w] {
        OcrSlot slot;
        try {
          for (;;) {
            const std::size_t i = next.fetch_add(1);
            // Indices past a failure are not needed: the lowest failure is what is reported.
            if (i >= n || i > lowest_failed.load()) return;
            Status status = fn(i, w, slot);
            if (!status.is_ok()) {
              errors[i] = std::move(status);
              std::size_t seen = lowest_failed.load();
              while (i < seen && !lowest_failed.compare_exchange_weak(seen, i)) {
              }
            }
          }
        } catch (...) {
          std::lock_guard lock(mu);
          if (!exception) exception = std::current_exception();
          lowest_failed.store(0);
        }
      });
    }
  }  // joined
  if (exception) std::rethrow_exception(exception);
  const std::size_t failed = lowest_failed.load();
  if (failed < n) return errors[failed];
  return Status::ok();
}

std::string summarise_pages(const std::vector<const PageText*>& pages,
                            const std::vector<int>& page_numbers) {
  if (pages.size() == 1) return pages[0]->parameters;
  // Runs of consecutive pages with the same outcome: "pages 1-3: lang=bel detected=be".
  std::string out;
  std::size_t i = 0;
  while (i < pages.size()) {
    std::size_t j = i;
    while (j + 1 < pages.size() && pages[j + 1]->outcome == pages[i]->outcome &&
           page_numbers[j + 1] == page_numbers[j] + 1) {
      ++j;
    }
    if (!out.empty()) out += "; ";
    if (i == j) {
      out += fmt::format("page {}: {}", page_numbers[i], pages[i]->outcome);
    } else {
      out += fmt::format("pages {}-{}: {}", page_numbers[i], page_numbers[j], pages[i]->outcome);
    }
    i = j + 1;
  }
  return out;
}

std::string tidy_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    out.append(line);
    out.push_back('\n');
    start = end + 1;
  }
  // poppler ends a page with a form feed; it and empty lines at the end carry nothing.
  while (!out.empty() && (out.back() == '\n' || out.back() == '\f' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = b(i);
    std::size_t len = 0;
    char32_t min = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > text.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((b(i + k) & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace internal

namespace {

using internal::OcrSlot;
using internal::PageText;

enum class Format { kPdf, kZip, kPng, kJpeg, kTiff, kOther };

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

Format detect_format(std::span<const std::uint8_t> bytes) {
  // A PDF may have bytes before its header (readers look in the first 1024), but text that
  // merely mentions "%PDF-" near its start is text.
  const std::size_t head = std::min<std::size_t>(bytes.size(), 1024);
  const std::string_view start(reinterpret_cast<const char*>(bytes.data()), head);
  if (const std::size_t pdf = start.find("%PDF-"); pdf != std::string_view::npos) {
    const std::string_view before = start.substr(0, pdf);
    const bool text_before = pdf > 0 && before.find('\0') == std::string_view::npos &&
                             internal::first_invalid_utf8(before) == std::string_view::npos;
    if (!text_before) return Format::kPdf;
  }
  if (starts_with(bytes, "PK\x03\x04")) return Format::kZip;
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return Format::kPng;
  if (starts_with(bytes, "\xff\xd8\xff")) return Format::kJpeg;
  if (starts_with(bytes, std::string_view("II*\0", 4)) ||
      starts_with(bytes, std::string_view("MM\0*", 4))) {
    return Format::kTiff;
  }
  return Format::kOther;
}

}  // namespace

const char* media_type_of(std::span<const std::uint8_t> head) {
  switch (detect_format(head)) {
    case Format::kPdf:
      return "application/pdf";
    case Format::kZip:
      return "application/zip";
    case Format::kPng:
      return "image/png";
    case Format::kJpeg:
      return "image/jpeg";
    case Format::kTiff:
      return "image/tiff";
    case Format::kOther:
      break;
  }
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  // A cut in the middle of a character at the end of `head` is not invalid text.
  const std::size_t bad = internal::first_invalid_utf8(text);
  const bool utf8 = bad == std::string_view::npos || bad + 4 > text.size();
  return utf8 && text.find('\0') == std::string_view::npos ? "text/plain; charset=utf-8"
                                                           : "application/octet-stream";
}

namespace {

constexpr const char* kUnknownFormat =
    "not a PDF, DOCX, ODT, PNG, JPEG or TIFF file, nor UTF-8 text";

Result<ExtractedText> extract_plain_text(std::span<const std::uint8_t> bytes) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // byte-order mark
  if (const std::size_t bad = internal::first_invalid_utf8(text); bad != std::string_view::npos) {
    return Status(Code::kInvalidArgument,
                  fmt::format("{} (byte {} is not UTF-8); convert it to one of these first",
                              kUnknownFormat, bad + (bytes.size() - text.size())));
  }
  // Valid UTF-8 can still be binary: NUL bytes or many control characters.
  std::size_t controls = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) {
      return Status(Code::kInvalidArgument,
                    fmt::format("{} (it holds NUL bytes: binary data)", kUnknownFormat));
    }
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) ++controls;
  }
  if (controls * 100 > text.size()) {
    return Status(Code::kInvalidArgument,
                  fmt::format("{} ({} control characters: binary data)", kUnknownFormat, controls));
  }
  ExtractedText out;
  out.text.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.text.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.text.push_back(text[i]);
    }
  }
  out.tool = "evhub-extract";
  out.tool_version = "1";
  out.parameters = "encoding=utf-8 newlines=lf";
  return out;
}

Result<ExtractedText> extract_image(std::span<const std::uint8_t> bytes,
                                    const ExtractOptions& options, int threads,
                                    OcrSlot& caller_slot) {
  EVHUB_ASSIGN_OR_RETURN(std::vector<Image> images, decode_image(bytes));
  std::vector<PageText> pages(images.size());
  EVHUB_RETURN_IF_ERROR(internal::parallel_for(
      images.size(), threads, caller_slot, [&](std::size_t i, int, OcrSlot& slot) -> Status {
        EVHUB_ASSIGN_OR_RETURN(pages[i], internal::read_page(slot, images[i], options.language));
        std::vector<std::uint8_t>().swap(images[i].pixels);  // done with it
        return Status::ok();
      }));
  ExtractedText out;
  std::vector<std::string> texts;
  std::vector<const PageText*> page_ptrs;
  std::vector<int> numbers;
  double confidence = 0;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    texts.push_back(pages[i].text);
    page_ptrs.push_back(&pages[i]);
    numbers.push_back(static_cast<int>(i + 1));
    confidence += pages[i].confidence;
  }
  out.text = internal::join_pages(texts);
  out.pages = static_cast<int>(pages.size());
  out.confidence = confidence / static_cast<double>(pages.size());
  out.tool = "tesseract";
  out.tool_version = TesseractOcr::version();
  out.parameters = internal::summarise_pages(page_ptrs, numbers);
  if (pages.size() == 1) {
    out.language = pages[0].language;
  } else {
    out.language = options.language.empty() ? detect_language(out.text).language : options.language;
  }
  return out;
}

Result<ExtractedText> extract_one(std::span<const std::uint8_t> bytes,
                                  const ExtractOptions& options, int page_threads, OcrSlot& slot) {
  if (bytes.empty()) return Status(Code::kInvalidArgument, "the document is empty (0 bytes)");
  Result<ExtractedText> result = Status(Code::kInvalidArgument, kUnknownFormat);
  switch (detect_format(bytes)) {
    case Format::kPdf:
      result = internal::extract_pdf(bytes, options, page_threads, slot);
      break;
    case Format::kZip:
      result = internal::extract_office(bytes);
      break;
    case Format::kPng:
    case Format::kJpeg:
    case Format::kTiff:
      result = extract_image(bytes, options, page_threads, slot);
      break;
    case Format::kOther:
      result = extract_plain_text(bytes);
      break;
  }
  if (!result.is_ok()) return result;
  // Text that was not OCR'd gets its language from its letters, like OCR'd text.
  if (result->confidence < 0) {
    result->language =
        options.language.empty() ? detect_language(result->text).language : options.language;
  }
  return result;
}

Status check_options(const ExtractOptions& options) {
  if (!options.language.empty() && tesseract_model(options.language).empty()) {
    return Status(Code::kInvalidArgument,
                  fmt::format("unknown language '{}': use be, ru, en, or none to detect it",
                              options.language));
  }
  if (options.threads < 0) {
    return Status(Code::kInvalidArgument, "threads must be 0 (one per core) or more");
  }
  return Status::ok();
}

}  // namespace

Result<ExtractedText> extract_text(std::span<const std::uint8_t> bytes,
                                   const ExtractOptions& options) {
  EVHUB_RETURN_IF_ERROR(check_options(options));
  OcrSlot slot;
  return extract_one(bytes, options, options.threads, slot);
}

Result<std::vector<ExtractedText>> extract_many(
    const std::vector<std::span<const std::uint8_t>>& docs, const ExtractOptions& options) {
  EVHUB_RETURN_IF_ERROR(check_options(options));
  std::vector<ExtractedText> out(docs.size());
  OcrSlot caller_slot;
  // Documents go to the workers whole; within one, pages are read one after another, so the
  // threads are never more than options.threads.
  Status status = internal::parallel_for(
      docs.size(), options.threads, caller_slot, [&](std::size_t i, int, OcrSlot& slot) -> Status {
        Result<ExtractedText> text = extract_one(docs[i], options, 1, slot);
        if (!text.is_ok()) return text.status().with_context(fmt::format("document {}", i + 1));
        out[i] = std::move(text).value();
        return Status::ok();
      });
  if (!status.is_ok()) return status;
  return out;
}

}  // namespace evhub::extract
