#include "api/qr_code.h"

#include <qrencode.h>

#include <memory>

#include <fmt/format.h>

namespace evhub::api {

Result<std::string> qr_svg(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return Status(Code::kInvalidArgument, "the text is too long for a QR code");
  const int n = code->width;
  const int quiet = 4;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" shape-rendering="crispEdges">)"
      R"(<rect width="{0}" height="{0}" fill="#fff"/><path fill="#000" d=")",
      n + 2 * quiet);
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      // Bit 0 of each byte is the module's colour (1 = dark).
      if (code->data[y * n + x] & 1) svg += fmt::format("M{} {}h1v1h-1z", x + quiet, y + quiet);
    }
  }
  svg += R"("/></svg>)";
  return svg;
}

}  // namespace evhub::api
