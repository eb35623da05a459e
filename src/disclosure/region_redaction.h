// Region redaction of images and PDF pages for a recipient: the black box is burnt into the
// pixels, and the file is written anew from those pixels alone, so nothing under a box survives
// in any layer (no text layer, no metadata, no original image data, no incremental update). The
// result is a new file; the caller stores it as an object derived from the original.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub::disclosure {

// A rectangle to black out, in fractions of the page (0 to 1 from the top left), as the coding
// module keeps page regions. Images have one page.
struct RedactionBox {
  int page = 1;
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

struct RedactedFile {
  std::vector<std::uint8_t> bytes;
  std::string media_type;  // image/png or application/pdf
  int pages = 0;
};

// A PNG, JPEG or TIFF (its first page) as a PNG of the same pixels with the boxes black. EXIF,
// GPS and other metadata of the original do not survive.
Result<RedactedFile> redact_image(std::span<const std::uint8_t> bytes,
                                  const std::vector<RedactionBox>& boxes);

// A PDF as a PDF of page images rendered at `dpi`, each the size of the original page, with the
// boxes black. Every page is rendered, boxed or not: a PDF keeps text, fonts and images in
// layers a box drawn on top would not remove. Encrypted PDFs are refused.
Result<RedactedFile> redact_pdf(std::span<const std::uint8_t> bytes,
                                const std::vector<RedactionBox>& boxes, int dpi = 150);

}  // namespace evhub::disclosure
