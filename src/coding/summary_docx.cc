// A witness summary as DOCX (Office Open XML, ECMA-376): the parts of a minimal WordprocessingML
// package written with pugixml and zipped in memory with libzip. The footer holds PAGE and
// NUMPAGES fields ("Page N of M"), which Word and LibreOffice compute when they lay the pages
// out; a DRAFT export says so in the header of every page.
#include <zip.h>
#include <pugixml.hpp>

#include <fmt/format.h>

#include <memory>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "coding/summary_internal.h"

namespace evhub::coding {
namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kRelationships =
    "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr const char* kBodyFont = "Arial";  // Liberation Sans where Arial is not installed
constexpr const char* kMonoFont = "Courier New";

std::string to_xml(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

// Starts a part: the XML declaration and the root element, which it returns. (A document is
// filled in place: its first nodes live inside the xml_document object, so it is not moved.)
pugi::xml_node start_part(pugi::xml_document& doc, const char* root_name) {
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  decl.append_attribute("standalone") = "yes";
  return doc.append_child(root_name);
}

// A run of text; line breaks become <w:br/>, tabs <w:tab/>.
void add_run(pugi::xml_node paragraph, const std::string& text, bool bold = false) {
  pugi::xml_node run = paragraph.append_child("w:r");
  if (bold) run.append_child("w:rPr").append_child("w:b");
  std::string line;
  auto flush = [&] {
    if (line.empty()) return;
    pugi::xml_node t = run.append_child("w:t");
    t.append_attribute("xml:space") = "preserve";
    t.text().set(line.c_str());
    line.clear();
  };
  for (char c : text) {
    if (c == '\n') {
      flush();
      run.append_child("w:br");
    } else if (c == '\t') {
      flush();
      run.append_child("w:tab");
    } else {
      line += c;
    }
  }
  flush();
}

pugi::xml_node add_paragraph(pugi::xml_node body, const char* style) {
  pugi::xml_node p = body.append_child("w:p");
  p.append_child("w:pPr").append_child("w:pStyle").append_attribute("w:val") = style;
  return p;
}

void add_field(pugi::xml_node paragraph, const char* instruction, const char* shown) {
  pugi::xml_node field = paragraph.append_child("w:fldSimple");
  field.append_attribute("w:instr") = instruction;
  add_run(field, shown);
}

std::string document_xml(const WitnessSummary& s, const RenderOptions& options) {
  using internal::BlockKind;
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "w:document");
  root.append_attribute("xmlns:w") = kW;
  root.append_attribute("xmlns:r") = kR;
  pugi::xml_node body = root.append_child("w:body");
  for (const internal::Block& b : internal::summary_blocks(s, options)) {
    switch (b.kind) {
      case BlockKind::kTitle:
        add_run(add_paragraph(body, "Title"), b.text);
        break;
      case BlockKind::kWatermarkNote:
        add_run(add_paragraph(body, "Draft"), b.text);
        break;
      case BlockKind::kHeading:
        add_run(add_paragraph(body, "Heading1"), b.label + " " + b.text);
        break;
      case BlockKind::kSubheading:
        add_run(add_paragraph(body, "Heading2"), b.label + " " + b.text);
        break;
      case BlockKind::kLabel:
        add_run(add_paragraph(body, "Heading3"), b.text);
        break;
      case BlockKind::kReferencesHeading:
        add_run(add_paragraph(body, "ReferencesHeading"), b.text);
        break;
      case BlockKind::kField: {
        pugi::xml_node p = add_paragraph(body, "Field");
        add_run(p, b.label + ": ", true);
        add_run(p, b.text);
        break;
      }
      case BlockKind::kParagraph:
        add_run(add_paragraph(body, "Normal"), b.text);
        break;
      case BlockKind::kEmpty:
        add_run(add_paragraph(body, "Empty"), b.text);
        break;
      case BlockKind::kReference: {
        pugi::xml_node p = add_paragraph(body, "Reference");
        add_run(p, b.label + "\t", true);
        add_run(p, b.text);
        break;
      }
      case BlockKind::kQuote:
        add_run(add_paragraph(body, "Quote"), b.text);
        break;
      case BlockKind::kNote:
        add_run(add_paragraph(body, "Note"), b.text);
        break;
    }
  }
  // A4, 2 cm margins, the header and footer of every page.
  pugi::xml_node section = body.append_child("w:sectPr");
  pugi::xml_node header = section.append_child("w:headerReference");
  header.append_attribute("w:type") = "default";
  header.append_attribute("r:id") = "rIdHeader";
  pugi::xml_node footer = section.append_child("w:footerReference");
  footer.append_attribute("w:type") = "default";
  footer.append_attribute("r:id") = "rIdFooter";
  pugi::xml_node size = section.append_child("w:pgSz");
  size.append_attribute("w:w") = "11906";
  size.append_attribute("w:h") = "16838";
  pugi::xml_node margins = section.append_child("w:pgMar");
  for (const char* side : {"w:top", "w:right", "w:bottom", "w:left"}) {
    margins.append_attribute(side) = "1134";
  }
  margins.append_attribute("w:header") = "567";
  margins.append_attribute("w:footer") = "567";
  margins.append_attribute("w:gutter") = "0";
  return to_xml(doc);
}

std::string header_xml(const WitnessSummary& s, const RenderOptions& options) {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "w:hdr");
  root.append_attribute("xmlns:w") = kW;
  root.append_attribute("xmlns:r") = kR;
  if (options.draft_watermark) {
    add_run(add_paragraph(root, "DraftHeader"),
            std::string(internal::kDraftWord) + " — not approved");
  }
  add_run(add_paragraph(root, "Header"),
          fmt::format("Witness summary {} · {} · version {} · {}", s.witness_code, s.id, s.version,
                      summary_status_name(s.status)));
  return to_xml(doc);
}

std::string footer_xml() {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "w:ftr");
  root.append_attribute("xmlns:w") = kW;
  root.append_attribute("xmlns:r") = kR;
  pugi::xml_node p = add_paragraph(root, "Footer");
  add_run(p, "Page ");
  add_field(p, " PAGE ", "1");
  add_run(p, " of ");
  add_field(p, " NUMPAGES ", "1");
  return to_xml(doc);
}

// A paragraph style: font size in points, bold, colour (RRGGBB or empty), spacing before and
// after in points, left indent and hanging indent in points.
void add_style(pugi::xml_node styles, const char* id, const char* name, double size, bool bold,
               const char* colour, double before, double after, double indent = 0,
               double hanging = 0, const char* font = kBodyFont, bool italic = false,
               bool keep_next = false) {
  pugi::xml_node style = styles.append_child("w:style");
  style.append_attribute("w:type") = "paragraph";
  style.append_attribute("w:styleId") = id;
  if (std::string(id) == "Normal") style.append_attribute("w:default") = "1";
  style.append_child("w:name").append_attribute("w:val") = name;
  if (std::string(id) != "Normal") {
    style.append_child("w:basedOn").append_attribute("w:val") = "Normal";
  }
  style.append_child("w:qFormat");
  pugi::xml_node ppr = style.append_child("w:pPr");
  if (keep_next) ppr.append_child("w:keepNext");
  pugi::xml_node spacing = ppr.append_child("w:spacing");
  spacing.append_attribute("w:before") = std::to_string(static_cast<int>(before * 20)).c_str();
  spacing.append_attribute("w:after") = std::to_string(static_cast<int>(after * 20)).c_str();
  if (indent > 0 || hanging > 0) {
    pugi::xml_node ind = ppr.append_child("w:ind");
    ind.append_attribute("w:left") = std::to_string(static_cast<int>(indent * 20)).c_str();
    if (hanging > 0) {
      ind.append_attribute("w:hanging") = std::to_string(static_cast<int>(hanging * 20)).c_str();
    }
  }
  if (std::string(id) == "Footer") ppr.append_child("w:jc").append_attribute("w:val") = "center";
  pugi::xml_node rpr = style.append_child("w:rPr");
  pugi::xml_node fonts = rpr.append_child("w:rFonts");
  for (const char* a : {"w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"}) {
    fonts.append_attribute(a) = font;
  }
  if (bold) rpr.append_child("w:b");
  if (italic) rpr.append_child("w:i");
  if (colour != nullptr && *colour != '\0') {
    rpr.append_child("w:color").append_attribute("w:val") = colour;
  }
  const std::string half_points = std::to_string(static_cast<int>(size * 2));
  rpr.append_child("w:sz").append_attribute("w:val") = half_points.c_str();
  rpr.append_child("w:szCs").append_attribute("w:val") = half_points.c_str();
}

std::string styles_xml() {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "w:styles");
  root.append_attribute("xmlns:w") = kW;
  add_style(root, "Normal", "Normal", 10, false, "", 0, 4);
  add_style(root, "Title", "Title", 17, true, "", 0, 8);
  add_style(root, "Draft", "Draft", 11, true, "BF1A1A", 0, 8);
  add_style(root, "Heading1", "heading 1", 13, true, "", 14, 5, 0, 0, kBodyFont, false, true);
  add_style(root, "Heading2", "heading 2", 11, true, "", 9, 3, 0, 0, kBodyFont, false, true);
  add_style(root, "Heading3", "heading 3", 10, true, "", 6, 2, 0, 0, kBodyFont, false, true);
  add_style(root, "Field", "Field", 9.5, false, "", 0, 1.5);
  add_style(root, "Empty", "Empty", 10, false, "666666", 0, 4, 0, 0, kBodyFont, true);
  add_style(root, "ReferencesHeading", "References heading", 8.5, true, "", 3, 2, 0, 0, kBodyFont,
            false, true);
  add_style(root, "Reference", "Reference", 7.5, false, "333333", 2, 1, 30, 30, kMonoFont);
  add_style(root, "Quote", "Quoted passage", 9, false, "", 0, 3, 30);
  add_style(root, "Note", "Note", 7.5, false, "595959", 16, 0);
  add_style(root, "Header", "header", 7.5, false, "595959", 0, 0);
  add_style(root, "DraftHeader", "Draft header", 14, true, "BF1A1A", 0, 2);
  add_style(root, "Footer", "footer", 8.5, false, "595959", 0, 0);
  return to_xml(doc);
}

std::string content_types_xml() {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "Types");
  root.append_attribute("xmlns") = "http://schemas.openxmlformats.org/package/2006/content-types";
  auto by_extension = [&](const char* extension, const char* type) {
    pugi::xml_node d = root.append_child("Default");
    d.append_attribute("Extension") = extension;
    d.append_attribute("ContentType") = type;
  };
  auto by_part = [&](const char* part, const char* type) {
    pugi::xml_node o = root.append_child("Override");
    o.append_attribute("PartName") = part;
    o.append_attribute("ContentType") = type;
  };
  by_extension("rels", "application/vnd.openxmlformats-package.relationships+xml");
  by_extension("xml", "application/xml");
  const std::string wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  by_part("/word/document.xml", (wml + "document.main+xml").c_str());
  by_part("/word/styles.xml", (wml + "styles+xml").c_str());
  by_part("/word/header1.xml", (wml + "header+xml").c_str());
  by_part("/word/footer1.xml", (wml + "footer+xml").c_str());
  by_part("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
  by_part("/docProps/app.xml",
          "application/vnd.openxmlformats-officedocument.extended-properties+xml");
  return to_xml(doc);
}

std::string relationships_xml(
    const std::vector<std::tuple<const char*, std::string, const char*>>& rels) {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "Relationships");
  root.append_attribute("xmlns") = kRelationships;
  for (const auto& [id, type, target] : rels) {
    pugi::xml_node r = root.append_child("Relationship");
    r.append_attribute("Id") = id;
    r.append_attribute("Type") = type.c_str();
    r.append_attribute("Target") = target;
  }
  return to_xml(doc);
}

std::string core_xml(const WitnessSummary& s, const RenderOptions& options) {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "cp:coreProperties");
  root.append_attribute("xmlns:cp") =
      "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
  root.append_attribute("xmlns:dc") = "http://purl.org/dc/elements/1.1/";
  root.append_attribute("xmlns:dcterms") = "http://purl.org/dc/terms/";
  root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
  root.append_child("dc:title")
      .text()
      .set(fmt::format("Witness summary {} ({}, version {})", s.witness_code, s.id, s.version)
               .c_str());
  root.append_child("dc:creator").text().set("Evidence Hub");
  if (!options.exported_at.empty()) {
    pugi::xml_node created = root.append_child("dcterms:created");
    created.append_attribute("xsi:type") = "dcterms:W3CDTF";
    // W3CDTF without milliseconds: 2026-11-21T23:30:13Z.
    std::string at = options.exported_at;
    if (at.size() > 19) at = at.substr(0, 19) + "Z";
    created.text().set(at.c_str());
  }
  return to_xml(doc);
}

std::string app_xml() {
  pugi::xml_document doc;
  pugi::xml_node root = start_part(doc, "Properties");
  root.append_attribute("xmlns") =
      "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
  root.append_child("Application").text().set("Evidence Hub");
  return to_xml(doc);
}

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct SourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

// Zips the parts, in order, into memory.
Result<std::string> zip_parts(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceFree> buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) {
    zip_error_fini(&error);
    return Status(Code::kIoError, "libzip cannot make a buffer");
  }
  std::unique_ptr<zip_t, ZipDiscard> archive(
      zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error));
  if (!archive) {
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status(Code::kIoError, "libzip cannot write an archive: " + why);
  }
  zip_error_fini(&error);
  zip_source_keep(buffer.get());  // zip_close would free it; we still read it afterwards
  for (const auto& [name, data] : parts) {
    zip_source_t* part = zip_source_buffer(archive.get(), data.data(), data.size(), 0);
    if (part == nullptr ||
        zip_file_add(archive.get(), name.c_str(), part, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      if (part != nullptr) zip_source_free(part);
      return Status(Code::kIoError,
                    fmt::format("libzip cannot add {}: {}", name, zip_strerror(archive.get())));
    }
  }
  if (zip_close(archive.get()) < 0) {
    return Status(Code::kIoError,
                  fmt::format("libzip cannot finish the archive: {}", zip_strerror(archive.get())));
  }
  (void)archive.release();  // closed: zip_close freed it
  std::string out;
  if (zip_source_open(buffer.get()) < 0) return Status(Code::kIoError, "libzip cannot read back");
  char chunk[65536];
  for (;;) {
    const zip_int64_t n = zip_source_read(buffer.get(), chunk, sizeof chunk);
    if (n < 0) {
      zip_source_close(buffer.get());
      return Status(Code::kIoError, "libzip cannot read back the archive");
    }
    if (n == 0) break;
    out.append(chunk, static_cast<std::size_t>(n));
  }
  zip_source_close(buffer.get());
  return out;
}

}  // namespace

namespace internal {

std::string docx_tool_version() {
  return fmt::format("1; libzip {}, pugixml {}.{}", zip_libzip_version(), PUGIXML_VERSION / 1000,
                     PUGIXML_VERSION % 1000 / 10);
}

}  // namespace internal

Result<std::string> render_summary_docx(const WitnessSummary& summary,
                                        const RenderOptions& options) {
  const std::string office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::vector<std::pair<std::string, std::string>> parts;
  parts.emplace_back("[Content_Types].xml", content_types_xml());
  parts.emplace_back(
      "_rels/.rels",
      relationships_xml({{"rId1", office + "officeDocument", "word/document.xml"},
                         {"rId2",
                          "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                          "core-properties",
                          "docProps/core.xml"},
                         {"rId3", office + "extended-properties", "docProps/app.xml"}}));
  parts.emplace_back("word/document.xml", document_xml(summary, options));
  parts.emplace_back("word/_rels/document.xml.rels",
                     relationships_xml({{"rIdStyles", office + "styles", "styles.xml"},
                                        {"rIdHeader", office + "header", "header1.xml"},
                                        {"rIdFooter", office + "footer", "footer1.xml"}}));
  parts.emplace_back("word/styles.xml", styles_xml());
  parts.emplace_back("word/header1.xml", header_xml(summary, options));
  parts.emplace_back("word/footer1.xml", footer_xml());
  parts.emplace_back("docProps/core.xml", core_xml(summary, options));
  parts.emplace_back("docProps/app.xml", app_xml());
  return zip_parts(parts);
}

}  // namespace evhub::coding
