#include "disclosure/region_redaction.h"

#include <allheaders.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace evhub::disclosure {

namespace {

// The largest raster made: an A3 page at 600 dpi fits (as extract/ decodes for OCR).
constexpr std::int64_t kMaxPixels = 100'000'000;

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

Status check_boxes(const std::vector<RedactionBox>& boxes, int pages) {
  for (const auto& b : boxes) {
    if (b.page < 1 || b.page > pages) {
      return bad(fmt::format("a box is on page {}, but the file has {}", b.page, pages));
    }
    if (!(b.x >= 0 && b.y >= 0 && b.width > 0 && b.height > 0 && b.x + b.width <= 1.0 + 1e-9 &&
          b.y + b.height <= 1.0 + 1e-9)) {
      return bad("a box must lie within its page: x, y, width and height are fractions of it");
    }
  }
  return Status::ok();
}

// A box in pixels, grown outwards to whole pixels so that it covers all it was drawn over.
struct PixelBox {
  int left, top, right, bottom;  // [left, right) x [top, bottom)
};
PixelBox to_pixels(const RedactionBox& b, int width, int height) {
  auto clamp = [](double v, int max) { return std::clamp(static_cast<int>(v), 0, max); };
  return {clamp(std::floor(b.x * width), width), clamp(std::floor(b.y * height), height),
          clamp(std::ceil((b.x + b.width) * width), width),
          clamp(std::ceil((b.y + b.height) * height), height)};
}

// Black, opaque, in every 32-bit pixel of the boxes on `page` (rows of `stride` bytes).
void burn(std::uint8_t* pixels, int width, int height, int stride,
          const std::vector<RedactionBox>& boxes, int page, std::uint32_t black) {
  for (const auto& b : boxes) {
    if (b.page != page) continue;
    const PixelBox p = to_pixels(b, width, height);
    for (int y = p.top; y < p.bottom; ++y) {
      auto* row =
          reinterpret_cast<std::uint32_t*>(pixels + static_cast<std::ptrdiff_t>(y) * stride);
      std::fill(row + p.left, row + p.right, black);
    }
  }
}

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<RedactedFile> redact_image(std::span<const std::uint8_t> bytes,
                                  const std::vector<RedactionBox>& boxes) {
  EVHUB_RETURN_IF_ERROR(check_boxes(boxes, 1));
  l_int32 w = 0, h = 0;
  if (pixReadHeaderMem(bytes.data(), bytes.size(), nullptr, &w, &h, nullptr, nullptr, nullptr) !=
      0) {
    return bad("the file is not an image this hub can read (PNG, JPEG or TIFF)");
  }
  if (static_cast<std::int64_t>(w) * h > kMaxPixels) return bad("the image is too large");
  PixPtr original(pixReadMem(bytes.data(), bytes.size()));
  if (!original) return bad("the image cannot be decoded");
  PixPtr rgb(pixConvertTo32(original.get()));
  if (!rgb) return Status(Code::kIoError, "the image cannot be converted to RGB");
  // Leptonica keeps 32-bit pixels as RGBA words: 0x000000ff is opaque black.
  burn(reinterpret_cast<std::uint8_t*>(pixGetData(rgb.get())), w, h, pixGetWpl(rgb.get()) * 4,
       boxes, 1, 0x000000ffU);
  pixSetSpp(rgb.get(), 3);
  l_uint8* png = nullptr;
  size_t size = 0;
  if (pixWriteMem(&png, &size, rgb.get(), IFF_PNG) != 0 || !png) {
    return Status(Code::kIoError, "the redacted image cannot be written");
  }
  RedactedFile out{{png, png + size}, "image/png", 1};
  lept_free(png);
  return out;
}

Result<RedactedFile> redact_pdf(std::span<const std::uint8_t> bytes,
                                const std::vector<RedactionBox>& boxes, int dpi) {
  if (dpi < 72 || dpi > 600) return bad("render redacted PDFs at 72 to 600 dpi");
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
  if (!doc) return bad("the file is not a PDF this hub can read");
  if (doc->is_locked()) return bad("the PDF is encrypted: remove its password first");
  const int pages = doc->pages();
  EVHUB_RETURN_IF_ERROR(check_boxes(boxes, pages));
  RedactedFile out{{}, "application/pdf", pages};
  cairo_surface_t* pdf = cairo_pdf_surface_create_for_stream(append_bytes, &out.bytes, 595, 842);
  cairo_t* cr = cairo_create(pdf);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_argb32);
  Status status = Status::ok();
  for (int i = 0; i < pages && status.is_ok(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    const poppler::rectf size = page ? page->page_rect() : poppler::rectf();
    if (!page || size.width() <= 0 || size.height() <= 0 ||
        size.width() * size.height() * dpi * dpi / (72.0 * 72.0) > kMaxPixels) {
      status = bad(fmt::format("page {} cannot be rendered", i + 1));
      break;
    }
    poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid()) {
      status = bad(fmt::format("page {} cannot be rendered", i + 1));
      break;
    }
    // argb32 is one native 32-bit word a pixel, as cairo keeps RGB24: 0xff000000 is black.
    burn(reinterpret_cast<std::uint8_t*>(image.data()), image.width(), image.height(),
         image.bytes_per_row(), boxes, i + 1, 0xff000000U);
    if (image.bytes_per_row() != cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, image.width())) {
      status = Status(Code::kIoError, "poppler rendered a page cairo cannot take");
      break;
    }
    cairo_surface_t* raster = cairo_image_surface_create_for_data(
        reinterpret_cast<unsigned char*>(image.data()), CAIRO_FORMAT_RGB24, image.width(),
        image.height(), image.bytes_per_row());
    cairo_pdf_surface_set_size(pdf, size.width(), size.height());
    cairo_save(cr);
    cairo_scale(cr, size.width() / image.width(), size.height() / image.height());
    cairo_set_source_surface(cr, raster, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_show_page(cr);
    cairo_surface_destroy(raster);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
      status = Status(Code::kIoError, fmt::format("page {} cannot be written", i + 1));
    }
  }
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  const bool written = cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(pdf);
  if (!status.is_ok()) return status;
  if (!written) return Status(Code::kIoError, "the redacted PDF cannot be written");
  return out;
}

}  // namespace evhub::disclosure
