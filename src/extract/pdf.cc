// PDF: poppler's text layer page by page; a page without one is rendered and OCR'd. Pages
// are also rendered for people to look at (render_pdf_page).
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <poppler-version.h>

#include <allheaders.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "extract/internal.h"

namespace evhub::extract::internal {
namespace {

// Scanners and the tests' renderings are 300 dpi; tesseract reads body text best at 300.
constexpr int kRenderDpi = 300;

// poppler reports damaged files on stderr; the caller gets a Status instead.
void quiet_poppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

Result<std::unique_ptr<poppler::document>> open_pdf(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return Status(Code::kInvalidArgument, "PDFs over 2 GiB are not read");
  }
  // poppler reads the bytes in place; `bytes` outlives the document in every caller.
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
  if (!doc) {
    return Status(Code::kInvalidArgument, "damaged PDF: poppler cannot read its structure");
  }
  if (doc->is_locked()) {
    return Status(Code::kInvalidArgument,
                  "the PDF is encrypted with a password; add a copy without the password");
  }
  return doc;
}

Result<Image> render(poppler::document& doc, int index) {
  std::unique_ptr<poppler::page> page(doc.create_page(index));
  if (!page) return Status(Code::kInvalidArgument, "damaged PDF: a page cannot be read");
  const poppler::rectf box = page->page_rect();
  const double inches = (box.width() / 72.0) * (box.height() / 72.0);
  if (!(inches > 0)) return Status(Code::kInvalidArgument, "damaged PDF: a page has no size");
  // A huge page (a poster, or a lie) is rendered at fewer dpi rather than refused.
  double dpi = kRenderDpi;
  if (inches * dpi * dpi > static_cast<double>(kMaxImagePixels)) {
    dpi = std::floor(std::sqrt(static_cast<double>(kMaxImagePixels) / inches));
  }
  if (dpi < 10) return Status(Code::kInvalidArgument, "a PDF page is too large to render");
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image rendered = renderer.render_page(page.get(), dpi, dpi);
  if (!rendered.is_valid() || rendered.format() != poppler::image::format_gray8) {
    return Status(Code::kInvalidArgument, "damaged PDF: a page cannot be rendered");
  }
  Image image;
  image.width = rendered.width();
  image.height = rendered.height();
  image.dpi = static_cast<int>(dpi);
  image.pixels.resize(static_cast<std::size_t>(image.width) * image.height);
  const char* data = rendered.const_data();
  for (int y = 0; y < image.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint8_t*>(data + static_cast<std::ptrdiff_t>(y) *
                                                                       rendered.bytes_per_row());
    std::copy(row, row + image.width,
              image.pixels.data() + static_cast<std::size_t>(y) * image.width);
  }
  return image;
}

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\f") == std::string::npos;
}

std::string page_list(const std::vector<int>& numbers) {
  std::string out;
  std::size_t i = 0;
  while (i < numbers.size()) {
    std::size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += i == j ? fmt::format("{}", numbers[i]) : fmt::format("{}-{}", numbers[i], numbers[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<ExtractedText> extract_pdf(std::span<const std::uint8_t> bytes,
                                  const ExtractOptions& options, int threads, OcrSlot& slot) {
  quiet_poppler();
  // A PDF ends with %%EOF (readers look in the last 1024 bytes). poppler would rebuild a cut
  // file and return what it can, silently missing pages; a cut upload should be sent again.
  const std::size_t tail = std::min<std::size_t>(bytes.size(), 1024);
  const std::string_view end(reinterpret_cast<const char*>(bytes.data()) + bytes.size() - tail,
                             tail);
  if (end.find("%%EOF") == std::string_view::npos) {
    return Status(Code::kInvalidArgument,
                  "truncated PDF: it does not end with %%EOF (cut short in transfer?); add the "
                  "complete file");
  }
  EVHUB_ASSIGN_OR_RETURN(std::unique_ptr<poppler::document> doc, open_pdf(bytes));
  const int count = doc->pages();
  if (count <= 0) return Status(Code::kInvalidArgument, "damaged PDF: it has no pages");

  std::vector<std::string> texts(static_cast<std::size_t>(count));
  std::vector<int> text_pages;  // 1-based, for the parameters
  std::vector<int> scanned;     // 0-based indices of pages without a text layer
  for (int i = 0; i < count; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      return Status(Code::kInvalidArgument,
                    fmt::format("damaged PDF: page {} of {} cannot be read", i + 1, count));
    }
    const poppler::byte_array utf8 = page->text().to_utf8();
    std::string text = tidy_lines(std::string_view(utf8.data(), utf8.size()));
    if (blank(text)) {
      scanned.push_back(i);
    } else {
      texts[static_cast<std::size_t>(i)] = std::move(text);
      text_pages.push_back(i + 1);
    }
  }

  // Pages without text are rendered and OCR'd in parallel; poppler documents are not
  // thread-safe, so each worker opens its own (cheap next to OCR).
  std::vector<PageText> ocr(scanned.size());
  std::vector<std::unique_ptr<poppler::document>> docs(
      static_cast<std::size_t>(worker_count(scanned.size(), threads)));
  docs[0] = std::move(doc);  // this thread waits meanwhile, so worker 0 may have it
  EVHUB_RETURN_IF_ERROR(parallel_for(
      scanned.size(), threads, slot, [&](std::size_t k, int worker, OcrSlot& own) -> Status {
        auto& mine = docs[static_cast<std::size_t>(worker)];
        if (!mine) {
          EVHUB_ASSIGN_OR_RETURN(mine, open_pdf(bytes));
        }
        EVHUB_ASSIGN_OR_RETURN(Image image, render(*mine, scanned[k]));
        Result<PageText> page = read_page(own, image, options.language);
        if (!page.is_ok()) {
          return page.status().with_context(fmt::format("page {}", scanned[k] + 1));
        }
        ocr[k] = std::move(page).value();
        return Status::ok();
      }));

  ExtractedText out;
  out.pages = count;
  std::vector<const PageText*> ocr_pages;
  std::vector<int> ocr_numbers;
  double confidence = 0;
  for (std::size_t k = 0; k < scanned.size(); ++k) {
    texts[static_cast<std::size_t>(scanned[k])] = ocr[k].text;
    ocr_pages.push_back(&ocr[k]);
    ocr_numbers.push_back(scanned[k] + 1);
    confidence += ocr[k].confidence;
  }
  for (int i = 0; i < count; ++i) {
    if (i > 0) out.text += '\f';
    out.text += texts[static_cast<std::size_t>(i)];
  }
  if (scanned.empty()) {
    out.tool = "poppler";
    out.tool_version = poppler::version_string();
    out.parameters = "text layer";
    return out;  // language: from the text, by the caller
  }
  out.tool = "poppler+tesseract";
  out.tool_version = poppler::version_string() + "+" + TesseractOcr::version();
  out.parameters = text_pages.empty() ? "" : "text layer: pages " + page_list(text_pages) + "; ";
  out.parameters += "rendered and OCR'd: ";
  if (ocr_pages.size() == 1 && count > 1)
    out.parameters += fmt::format("page {}: ", ocr_numbers[0]);
  out.parameters += summarise_pages(ocr_pages, ocr_numbers);
  out.confidence = confidence / static_cast<double>(scanned.size());
  out.language = options.language.empty() ? detect_language(out.text).language : options.language;
  return out;
}

}  // namespace evhub::extract::internal

namespace evhub::extract {

Result<int> pdf_page_count(std::span<const std::uint8_t> bytes) {
  internal::quiet_poppler();
  EVHUB_ASSIGN_OR_RETURN(std::unique_ptr<poppler::document> doc, internal::open_pdf(bytes));
  if (doc->pages() <= 0) return Status(Code::kInvalidArgument, "damaged PDF: it has no pages");
  return doc->pages();
}

Result<RenderedPage> render_pdf_page(std::span<const std::uint8_t> bytes, int page, int dpi) {
  internal::quiet_poppler();
  EVHUB_ASSIGN_OR_RETURN(std::unique_ptr<poppler::document> doc, internal::open_pdf(bytes));
  RenderedPage out;
  out.pages = doc->pages();
  if (page < 1 || page > out.pages) {
    return Status(Code::kNotFound,
                  fmt::format("the PDF has no page {} (it has {})", page, out.pages));
  }
  std::unique_ptr<poppler::page> p(doc->create_page(page - 1));
  if (!p) return Status(Code::kInvalidArgument, "damaged PDF: the page cannot be read");
  const poppler::rectf box = p->page_rect();
  const double inches = (box.width() / 72.0) * (box.height() / 72.0);
  if (!(inches > 0)) return Status(Code::kInvalidArgument, "damaged PDF: the page has no size");
  double at = std::clamp(dpi, 10, 600);
  // A poster-sized page is shown at fewer dpi: a screen has far fewer pixels than kMaxImagePixels.
  constexpr double kMaxShownPixels = 16'000'000;
  if (inches * at * at > kMaxShownPixels) at = std::floor(std::sqrt(kMaxShownPixels / inches));
  if (at < 1) return Status(Code::kInvalidArgument, "the PDF page is too large to show");
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_argb32);
  const poppler::image rendered = renderer.render_page(p.get(), at, at);
  if (!rendered.is_valid() || rendered.format() != poppler::image::format_argb32) {
    return Status(Code::kInvalidArgument, "damaged PDF: the page cannot be rendered");
  }
  out.width = rendered.width();
  out.height = rendered.height();
  std::unique_ptr<PIX, void (*)(PIX*)> pix(pixCreate(out.width, out.height, 32),
                                           [](PIX* x) { pixDestroy(&x); });
  if (!pix) return Status(Code::kIoError, "no memory to encode the page");
  pixSetSpp(pix.get(), 3);
  // poppler's argb32 is one native word 0xAARRGGBB a pixel; leptonica's is 0xRRGGBBAA.
  for (int y = 0; y < out.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(
        rendered.const_data() + static_cast<std::ptrdiff_t>(y) * rendered.bytes_per_row());
    l_uint32* line = pixGetData(pix.get()) + static_cast<std::ptrdiff_t>(y) * pixGetWpl(pix.get());
    for (int x = 0; x < out.width; ++x) line[x] = (row[x] << 8) | 0xffU;
  }
  l_uint8* png = nullptr;
  std::size_t size = 0;
  if (pixWriteMem(&png, &size, pix.get(), IFF_PNG) != 0 || !png) {
    return Status(Code::kIoError, "the page cannot be encoded as PNG");
  }
  out.png.assign(reinterpret_cast<const char*>(png), size);
  lept_free(png);
  return out;
}

}  // namespace evhub::extract
