// A witness summary as PDF: pango lays the text out (DejaVu Sans, which covers Belarusian and
// Russian: ў, і, ё, ъ), cairo writes the PDF with the fonts embedded (subsets with a ToUnicode
// map, so the text can be searched and copied exactly). Lines are placed on A4 pages one by
// one, so the number of pages is known before anything is drawn and every footer can say
// "Page N of M".
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <fmt/format.h>

#include <memory>

#include "coding/summary_internal.h"

namespace evhub::coding {
namespace {

constexpr double kPageWidth = 595.276;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMarginX = 56.7;  // 20 mm
constexpr double kTop = 64;
constexpr double kBottom = kPageHeight - 64;
constexpr double kTextWidth = kPageWidth - 2 * kMarginX;
constexpr double kReferenceIndent = 30;
constexpr const char* kFamily = "DejaVu Sans";

struct GObjectDeleter {
  void operator()(gpointer p) const { g_object_unref(p); }
};
struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct FontOptionsDeleter {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};
struct AttrListDeleter {
  void operator()(PangoAttrList* l) const { pango_attr_list_unref(l); }
};
struct IterDeleter {
  void operator()(PangoLayoutIter* i) const { pango_layout_iter_free(i); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct Style {
  std::string font;
  double before = 0;
  double after = 0;
  double indent = 0;
  double grey = 0;  // 0 black .. 1 white
  bool red = false;
  bool keep_with_next = false;
};

Style style_of(internal::BlockKind kind) {
  using internal::BlockKind;
  Style s;
  s.font = std::string(kFamily) + " 10";
  switch (kind) {
    case BlockKind::kTitle:
      s.font = std::string(kFamily) + " Bold 17";
      s.after = 8;
      break;
    case BlockKind::kWatermarkNote:
      s.font = std::string(kFamily) + " Bold 11";
      s.red = true;
      s.after = 8;
      break;
    case BlockKind::kHeading:
      s.font = std::string(kFamily) + " Bold 13";
      s.before = 14;
      s.after = 5;
      s.keep_with_next = true;
      break;
    case BlockKind::kSubheading:
      s.font = std::string(kFamily) + " Bold 11";
      s.before = 9;
      s.after = 3;
      s.keep_with_next = true;
      break;
    case BlockKind::kLabel:
      s.font = std::string(kFamily) + " Bold 10";
      s.before = 6;
      s.after = 2;
      s.keep_with_next = true;
      break;
    case BlockKind::kField:
      s.font = std::string(kFamily) + " 9.5";
      s.after = 1.5;
      break;
    case BlockKind::kParagraph:
      s.after = 4;
      break;
    case BlockKind::kEmpty:
      s.font = std::string(kFamily) + " Oblique 10";
      s.grey = 0.4;
      s.after = 4;
      break;
    case BlockKind::kReferencesHeading:
      s.font = std::string(kFamily) + " Bold 8.5";
      s.before = 3;
      s.after = 2;
      s.keep_with_next = true;
      break;
    case BlockKind::kReference:
      s.font = std::string(kFamily) + " Mono 7.5";
      s.indent = kReferenceIndent;
      s.before = 2;
      s.after = 1;
      s.grey = 0.2;
      break;
    case BlockKind::kQuote:
      s.font = std::string(kFamily) + " 9";
      s.indent = kReferenceIndent;
      s.after = 3;
      break;
    case BlockKind::kNote:
      s.font = std::string(kFamily) + " 7.5";
      s.grey = 0.35;
      s.before = 16;
      break;
  }
  return s;
}

// One line of text placed on a page.
struct Placed {
  PangoLayoutLine* line = nullptr;  // owned by its layout, kept alive in Pdf::layouts
  int page = 0;
  double x = 0;
  double baseline = 0;
  double grey = 0;
  bool red = false;
};

class Pdf {
 public:
  explicit Pdf(PangoContext* context) : context_(context) {}

  LayoutPtr layout(const std::string& font, const std::string& text, double width) {
    LayoutPtr l(pango_layout_new(context_));
    std::unique_ptr<PangoFontDescription, FontDescriptionDeleter> desc(
        pango_font_description_from_string(font.c_str()));
    pango_layout_set_font_description(l.get(), desc.get());
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    return l;
  }

  // Places a block's lines, breaking pages between lines.
  void place(const internal::Block& block) {
    using internal::BlockKind;
    const Style s = style_of(block.kind);
    std::string text = block.text;
    std::size_t bold_bytes = 0;
    if (block.kind == BlockKind::kField) {
      text = block.label + ": " + block.text;
      bold_bytes = block.label.size() + 1;
    } else if (block.kind == BlockKind::kHeading || block.kind == BlockKind::kSubheading) {
      text = block.label + " " + block.text;
    }
    LayoutPtr l = layout(s.font, text, kTextWidth - s.indent);
    if (bold_bytes > 0) {
      std::unique_ptr<PangoAttrList, AttrListDeleter> attrs(pango_attr_list_new());
      PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
      bold->start_index = 0;
      bold->end_index = static_cast<guint>(bold_bytes);
      pango_attr_list_insert(attrs.get(), bold);
      pango_layout_set_attributes(l.get(), attrs.get());
    }
    if (y_ > kTop) y_ += s.before;
    int width = 0;
    int height = 0;
    pango_layout_get_size(l.get(), &width, &height);
    const double block_height = static_cast<double>(height) / PANGO_SCALE;
    // A heading is not left alone at the foot of a page.
    if (s.keep_with_next && y_ + block_height + 36 > kBottom) new_page();
    bool first = true;
    std::unique_ptr<PangoLayoutIter, IterDeleter> it(pango_layout_get_iter(l.get()));
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it.get(), nullptr, &logical);
      const double line_height = static_cast<double>(logical.height) / PANGO_SCALE;
      const double above =
          static_cast<double>(pango_layout_iter_get_baseline(it.get()) - logical.y) / PANGO_SCALE;
      if (y_ + line_height > kBottom) new_page();
      Placed p;
      p.line = pango_layout_iter_get_line_readonly(it.get());
      p.page = page_;
      p.x = kMarginX + s.indent + static_cast<double>(logical.x) / PANGO_SCALE;
      p.baseline = y_ + above;
      p.grey = s.grey;
      p.red = s.red;
      placed_.push_back(p);
      if (first && block.kind == BlockKind::kReference) {
        // The reference's number, on the baseline of its first line.
        LayoutPtr label = layout(std::string(kFamily) + " Bold 8", block.label, kReferenceIndent);
        Placed n = p;
        n.line = pango_layout_get_line_readonly(label.get(), 0);
        n.x = kMarginX;
        placed_.push_back(n);
        layouts_.push_back(std::move(label));
      }
      first = false;
      y_ += line_height;
    } while (pango_layout_iter_next_line(it.get()));
    y_ += s.after;
    layouts_.push_back(std::move(l));
  }

  int pages() const { return page_ + 1; }

  void draw(cairo_t* cr, const std::string& header, bool watermark) {
    const int total = pages();
    std::size_t next = 0;
    for (int page = 0; page < total; ++page) {
      if (watermark) draw_watermark(cr);
      cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
      draw_text(cr, std::string(kFamily) + " 7.5", header, kMarginX, 36, false);
      draw_text(cr, std::string(kFamily) + " 8.5", internal::page_of(page + 1, total), kMarginX,
                kPageHeight - 36, true);
      for (; next < placed_.size() && placed_[next].page == page; ++next) {
        const Placed& p = placed_[next];
        if (p.red) {
          cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
        } else {
          cairo_set_source_rgb(cr, p.grey, p.grey, p.grey);
        }
        cairo_move_to(cr, p.x, p.baseline);
        pango_cairo_show_layout_line(cr, p.line);
      }
      cairo_show_page(cr);
    }
  }

 private:
  void new_page() {
    ++page_;
    y_ = kTop;
  }

  // A line at (x, top); centred across the text width if `centre`.
  void draw_text(cairo_t* cr, const std::string& font, const std::string& text, double x,
                 double top, bool centre) {
    LayoutPtr l = layout(font, text, kTextWidth);
    if (centre) pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
    cairo_move_to(cr, x, top);
    pango_cairo_show_layout(cr, l.get());
  }

  void draw_watermark(cairo_t* cr) {
    cairo_save(cr);
    LayoutPtr l = layout(std::string(kFamily) + " Bold 120", internal::kDraftWord, kPageHeight);
    pango_layout_set_width(l.get(), -1);
    int width = 0;
    int height = 0;
    pango_layout_get_size(l.get(), &width, &height);
    cairo_translate(cr, kPageWidth / 2, kPageHeight / 2);
    cairo_rotate(cr, -0.9);
    cairo_move_to(cr, -static_cast<double>(width) / PANGO_SCALE / 2,
                  -static_cast<double>(height) / PANGO_SCALE / 2);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    pango_cairo_show_layout(cr, l.get());
    cairo_restore(cr);
  }

  PangoContext* context_;
  std::vector<LayoutPtr> layouts_;
  std::vector<Placed> placed_;
  int page_ = 0;
  double y_ = kTop;
};

}  // namespace

namespace internal {

std::string pdf_tool_version() {
  return fmt::format("1; pango {}, cairo {}", pango_version_string(), cairo_version_string());
}

}  // namespace internal

Result<std::string> render_summary_pdf(const WitnessSummary& summary,
                                       const RenderOptions& options) {
  std::string out;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(append_to_string, &out, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status(Code::kIoError, std::string("cairo cannot make a PDF: ") +
                                      cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  const std::string title = fmt::format("Witness summary {} ({}, version {})", summary.witness_code,
                                        summary.id, summary.version);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Evidence Hub");
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));

  // A font map of our own: the default one is per thread and never freed.
  std::unique_ptr<PangoFontMap, GObjectDeleter> fonts(pango_cairo_font_map_new());
  std::unique_ptr<PangoContext, GObjectDeleter> context(pango_font_map_create_context(fonts.get()));
  pango_cairo_update_context(cr.get(), context.get());
  pango_cairo_context_set_resolution(context.get(), 72);  // sizes in points = PDF units
  std::unique_ptr<cairo_font_options_t, FontOptionsDeleter> font_options(
      cairo_font_options_create());
  cairo_font_options_set_hint_metrics(font_options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(font_options.get(), CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context.get(), font_options.get());

  // The font must be there: fontconfig would silently substitute one without Cyrillic.
  {
    std::unique_ptr<PangoFontDescription, FontDescriptionDeleter> wanted(
        pango_font_description_from_string(kFamily));
    std::unique_ptr<PangoFont, GObjectDeleter> font(
        pango_font_map_load_font(fonts.get(), context.get(), wanted.get()));
    std::string family;
    if (font) {
      std::unique_ptr<PangoFontDescription, FontDescriptionDeleter> got(
          pango_font_describe(font.get()));
      const char* name = pango_font_description_get_family(got.get());
      family = name != nullptr ? name : "";
    }
    if (family != kFamily) {
      return Status(Code::kFailedPrecondition,
                    "the DejaVu Sans font is not installed (Debian package fonts-dejavu-core); "
                    "PDF exports need it for Belarusian and Russian text");
    }
  }

  Pdf pdf(context.get());
  for (const internal::Block& b : internal::summary_blocks(summary, options)) pdf.place(b);
  std::string header =
      fmt::format("Witness summary {} · {} · version {} · {}", summary.witness_code, summary.id,
                  summary.version, summary_status_name(summary.status));
  if (options.draft_watermark) header += std::string(" · ") + internal::kDraftWord;
  pdf.draw(cr.get(), header, options.draft_watermark);

  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status(Code::kIoError, std::string("cairo could not write the PDF: ") +
                                      cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  surface.reset();
  return out;
}

}  // namespace evhub::coding
