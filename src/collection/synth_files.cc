// The files of `evhub synth`: PDFs with a text layer, written by hand, and scans of them.
//
// PDF. No PDF-writing library is among the project's dependencies (cairo is on the machine
// without its headers, poppler only reads), and the format needed here is small: one font,
// lines of text. The font is DejaVu Sans Mono by name, not embedded (a 300 KB font in each of
// thousands of small files would be most of their bytes); viewers and poppler find it through
// fontconfig (fonts-dejavu-core). Monospace makes every advance width the same (602/1000 em),
// so /Widths is exact without reading the font. A one-byte encoding covers ASCII and the
// Belarusian and Russian letters (/Differences with uniXXXX names for rendering, a ToUnicode
// map for text extraction). Nothing varies between runs: no dates, no ids in the file.
//
// Scans. The first page is rendered with poppler at 300 dpi (what scanners give and tesseract
// reads best), then leptonica turns it slightly, tints the paper, adds specks and encodes it.
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <allheaders.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "collection/synth_internal.h"

namespace evhub::collection::synth {
namespace {

constexpr int kFirstExtraCode = 128;
// The code points beyond ASCII that the texts use, in code order from 128.
const std::vector<char32_t>& extra_code_points() {
  static const std::vector<char32_t> points = [] {
    std::vector<char32_t> p;
    for (char32_t c = 0x410; c <= 0x44F; ++c) p.push_back(c);  // А-я
    for (char32_t c : {0x401, 0x451, 0x406, 0x456, 0x40E, 0x45E, 0x2116, 0x16C, 0x16D, 0x2019}) {
      p.push_back(c);  // Ё ё І і Ў ў № Ŭ ŭ ’
    }
    return p;
  }();
  return points;
}

std::vector<char32_t> decode_utf8(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra && i + static_cast<std::size_t>(k) < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// A PDF literal string of the line in the font's one-byte encoding.
std::string pdf_string(const std::vector<char32_t>& line) {
  const auto& extra = extra_code_points();
  std::string out = "(";
  for (char32_t c : line) {
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      auto it = std::find(extra.begin(), extra.end(), c);
      // The templates use no other characters; a stray one shows as '?', never as garbage.
      if (it == extra.end()) {
        out += '?';
      } else {
        out += fmt::format("\\{:03o}", kFirstExtraCode + (it - extra.begin()));
      }
    }
  }
  return out + ")";
}

// Breaks a paragraph into lines of at most `width` characters, at spaces.
std::vector<std::vector<char32_t>> wrap(const std::string& paragraph, std::size_t width) {
  std::vector<std::vector<char32_t>> lines;
  std::vector<char32_t> line, word;
  auto flush_word = [&] {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line.push_back(' ');
    line.insert(line.end(), word.begin(), word.end());
    word.clear();
  };
  for (char32_t c : decode_utf8(paragraph)) {
    if (c == ' ') {
      if (!word.empty()) flush_word();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) flush_word();
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string to_unicode_cmap() {
  const auto& extra = extra_code_points();
  std::string m =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
      "1 beginbfrange\n<20> <7E> <0020>\nendbfrange\n";
  m += fmt::format("{} beginbfchar\n", extra.size());
  for (std::size_t i = 0; i < extra.size(); ++i) {
    m += fmt::format("<{:02X}> <{:04X}>\n", kFirstExtraCode + i, static_cast<unsigned>(extra[i]));
  }
  m += "endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return m;
}

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

}  // namespace

std::string make_pdf(const std::string& title, const std::vector<std::string>& paragraphs,
                     bool small_page) {
  // A4 with 10 pt type, or A5 with 11 pt for the short forms that become scans.
  const int page_w = small_page ? 420 : 595, page_h = small_page ? 595 : 842;
  const int margin = small_page ? 40 : 56;
  const double size = small_page ? 11 : 10;
  const double leading = size * 1.4;
  const auto width = static_cast<std::size_t>((page_w - 2 * margin) / (size * 0.602));
  const auto per_page = static_cast<std::size_t>((page_h - 2 * margin) / leading);

  std::vector<std::vector<char32_t>> lines = wrap(title, width);
  for (const auto& p : paragraphs) {
    lines.emplace_back();  // a blank line between paragraphs
    for (auto& l : wrap(p, width)) lines.push_back(std::move(l));
  }
  std::vector<std::string> contents;
  for (std::size_t first = 0; first < lines.size(); first += per_page) {
    std::string c = fmt::format("BT\n/F1 {} Tf\n{:.1f} TL\n{} {:.1f} Td\n", size, leading, margin,
                                page_h - margin - size);
    for (std::size_t i = first; i < std::min(lines.size(), first + per_page); ++i) {
      c += (i == first ? "" : "T*\n") + pdf_string(lines[i]) + " Tj\n";
    }
    contents.push_back(c + "ET\n");
  }

  // Objects 1-5 are shared; each page adds a page object and its content stream.
  std::vector<std::string> objects;
  std::string kids;
  for (std::size_t p = 0; p < contents.size(); ++p) kids += fmt::format("{} 0 R ", 6 + 2 * p);
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back(fmt::format("<< /Type /Pages /Count {} /Kids [{}] >>", contents.size(), kids));
  const auto& extra = extra_code_points();
  std::string differences, widths;
  for (char32_t c : extra) differences += fmt::format("/uni{:04X} ", static_cast<unsigned>(c));
  const int last_code = kFirstExtraCode + static_cast<int>(extra.size()) - 1;
  for (int code = 32; code <= last_code; ++code) widths += "602 ";
  objects.push_back(fmt::format(
      "<< /Type /Font /Subtype /TrueType /BaseFont /DejaVuSansMono /FirstChar 32 /LastChar {} "
      "/Widths [{}] /FontDescriptor 4 0 R /Encoding << /Type /Encoding /BaseEncoding "
      "/WinAnsiEncoding /Differences [{} {}] >> /ToUnicode 5 0 R >>",
      last_code, widths, kFirstExtraCode, differences));
  objects.push_back(
      "<< /Type /FontDescriptor /FontName /DejaVuSansMono /Flags 33 /FontBBox [-558 -375 718 "
      "1042] /ItalicAngle 0 /Ascent 760 /Descent -240 /CapHeight 729 /StemV 80 >>");
  const std::string cmap = to_unicode_cmap();
  objects.push_back(fmt::format("<< /Length {} >>\nstream\n{}endstream", cmap.size(), cmap));
  for (std::size_t p = 0; p < contents.size(); ++p) {
    objects.push_back(fmt::format(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 3 0 R >> "
        ">> /Contents {} 0 R >>",
        page_w, page_h, 7 + 2 * p));
    objects.push_back(
        fmt::format("<< /Length {} >>\nstream\n{}endstream", contents[p].size(), contents[p]));
  }
  objects.push_back("<< /Producer (evhub synth: fictional data) >>");

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects[i]);
  }
  const std::size_t xref = pdf.size();
  pdf += fmt::format("xref\n0 {}\n0000000000 65535 f \n", objects.size() + 1);
  for (std::size_t off : offsets) pdf += fmt::format("{:010} 00000 n \n", off);
  pdf += fmt::format("trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{}\n%%EOF\n",
                     objects.size() + 1, objects.size(), xref);
  return pdf;
}

Result<std::string> make_scan(const std::string& pdf, Rng& rng, bool tiff) {
  constexpr int kDpi = 300;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc || doc->pages() < 1)
    return Status(Code::kFailedPrecondition, "synth: cannot read its own PDF");
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image image = renderer.render_page(page.get(), kDpi, kDpi);
  if (!image.is_valid())
    return Status(Code::kFailedPrecondition, "synth: cannot render its own PDF");
  const int w = image.width(), h = image.height();
  PixPtr grey(pixCreate(w, h, 8));
  if (!grey) return Status(Code::kFailedPrecondition, "synth: out of memory for a scan");
  // Paper is not white: a light tint, darker ink spots here and there.
  const int paper = rng.between(232, 248);
  l_uint32* pixels = pixGetData(grey.get());
  const int wpl = pixGetWpl(grey.get());
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const std::uint8_t*>(
        image.const_data() + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row());
    l_uint32* line = pixels + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, static_cast<l_uint8>(row[x] * paper / 255));
  }
  const int specks = w * h / 40000;
  for (int i = 0; i < specks; ++i) {
    const int x = rng.below(w - 2), y = rng.below(h - 2);
    const auto dark = static_cast<l_uint32>(rng.between(40, 160));
    pixSetPixel(grey.get(), x, y, dark);
    pixSetPixel(grey.get(), x + 1, y, dark);
    pixSetPixel(grey.get(), x, y + 1, dark);
  }
  // Up to 1.5 degrees either way, as a page laid on a scanner by hand.
  const double degrees = (rng.unit() * 3.0 - 1.5);
  PixPtr turned(pixRotate(grey.get(), static_cast<l_float32>(degrees * 3.14159265358979 / 180.0),
                          L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  if (!turned) return Status(Code::kFailedPrecondition, "synth: cannot turn a scan");
  PixPtr out;
  if (tiff) {
    out.reset(pixConvertTo1(turned.get(), 150));
  } else {
    out.reset(pixClone(turned.get()));
  }
  if (!out) return Status(Code::kFailedPrecondition, "synth: cannot convert a scan");
  pixSetResolution(out.get(), kDpi, kDpi);
  l_uint8* data = nullptr;
  std::size_t size = 0;
  if (pixWriteMem(&data, &size, out.get(), tiff ? IFF_TIFF_G4 : IFF_PNG) != 0 || !data) {
    return Status(Code::kFailedPrecondition, "synth: cannot encode a scan");
  }
  std::string bytes(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return bytes;
}

}  // namespace evhub::collection::synth
