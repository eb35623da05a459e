// DOCX and ODT: a ZIP archive (libzip) whose main XML part (pugixml) holds the text, one
// paragraph per line.
#include <zip.h>
#include <pugixml.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "extract/internal.h"

namespace evhub::extract::internal {
namespace {

// The text part of a very large document is tens of MB; past this it is a ZIP bomb.
constexpr zip_uint64_t kMaxPartBytes = 256ull << 20;

struct ZipDeleter {
  void operator()(zip_t* archive) const { zip_discard(archive); }  // read-only: nothing to write
};
struct ZipFileDeleter {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDeleter>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileDeleter>;

Result<ZipPtr> open_zip(std::span<const std::uint8_t> bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return Status(Code::kInvalidArgument, "damaged ZIP archive (DOCX or ODT)");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);  // on failure it is still ours
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status(Code::kInvalidArgument,
                  fmt::format("damaged ZIP archive (DOCX or ODT): {}", why));
  }
  zip_error_fini(&error);
  return ZipPtr(archive);
}

// The member `name`, or nullopt when the archive has none.
Result<std::optional<std::string>> read_member(zip_t* archive, const char* name) {
  const zip_int64_t index = zip_name_locate(archive, name, 0);
  if (index < 0) return std::optional<std::string>();
  ZipFilePtr file(zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0));
  if (!file) {
    return Status(Code::kInvalidArgument, fmt::format("damaged archive: {} cannot be opened ({})",
                                                      name, zip_strerror(archive)));
  }
  std::string data;
  char buffer[65536];
  for (;;) {
    const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
    if (n < 0) {
      // Also a CRC mismatch at the end of the member.
      return Status(Code::kInvalidArgument, fmt::format("damaged archive: {} cannot be read ({})",
                                                        name, zip_file_strerror(file.get())));
    }
    if (n == 0) break;
    if (data.size() + static_cast<zip_uint64_t>(n) > kMaxPartBytes) {
      return Status(
          Code::kInvalidArgument,
          fmt::format("{} is larger than {} MiB unpacked; not read", name, kMaxPartBytes >> 20));
    }
    data.append(buffer, static_cast<std::size_t>(n));
  }
  return std::optional<std::string>(std::move(data));
}

// Collects paragraphs as lines while walking the XML tree.
class Lines {
 public:
  void start_paragraph() {
    if (!line_.empty()) end_paragraph();  // a paragraph inside one (a text box, a note)
  }
  void end_paragraph() {
    while (!line_.empty() && (line_.back() == ' ' || line_.back() == '\t')) line_.pop_back();
    if (!text_.empty()) text_ += '\n';
    text_ += line_;
    line_.clear();
    space_ = false;
  }
  void add(std::string_view s) {
    line_.append(s);
    space_ = false;
  }
  // ODF collapses runs of white space in text to one space, and drops it at a line's start.
  void add_collapsing(std::string_view s) {
    for (const char c : s) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (!space_ && !line_.empty()) line_ += ' ';
        space_ = true;
      } else {
        line_ += c;
        space_ = false;
      }
    }
  }
  // Empty paragraphs at the start (never appended) and the end (trimmed) carry nothing.
  std::string finish() {
    if (!line_.empty()) end_paragraph();
    return tidy_lines(text_);
  }

 private:
  std::string text_;
  std::string line_;
  bool space_ = false;
};

// Walks `root`'s subtree without recursion (a hostile file may nest deeply): enter() says
// whether to go into a node's children; leave() is called for every node entered that way.
template <typename Enter, typename Leave>
void walk(pugi::xml_node root, Enter enter, Leave leave) {
  pugi::xml_node node = root.first_child();
  while (node) {
    if (enter(node)) {
      if (node.first_child()) {
        node = node.first_child();
        continue;
      }
      leave(node);
    }
    while (!node.next_sibling()) {
      node = node.parent();
      if (!node || node == root) return;
      leave(node);
    }
    node = node.next_sibling();
  }
}

Result<pugi::xml_document> parse(const std::string& xml, const char* what) {
  pugi::xml_document doc;
  // White-space-only text is kept: in DOCX, <w:t xml:space="preserve"> </w:t> is a space.
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed) {
    return Status(Code::kInvalidArgument, fmt::format("damaged {}: bad XML at byte {} ({})", what,
                                                      parsed.offset, parsed.description()));
  }
  return doc;
}

bool is_text(pugi::xml_node node) {
  return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

std::string docx_text(const pugi::xml_document& doc) {
  Lines lines;
  int in_t = 0;
  walk(
      doc,
      [&](pugi::xml_node node) {
        if (is_text(node)) {
          if (in_t > 0) lines.add(node.value());
          return false;
        }
        const std::string_view name = node.name();
        if (name == "w:p") {
          lines.start_paragraph();
        } else if (name == "w:t") {
          ++in_t;
        } else if (name == "w:tab") {
          lines.add("\t");
        } else if (name == "w:br" || name == "w:cr") {
          lines.add("\n");
        } else if (name == "w:noBreakHyphen") {
          lines.add("-");
        } else if (name == "w:pPr" || name == "w:rPr" || name == "w:sectPr" || name == "w:del" ||
                   name == "w:delText" || name == "w:instrText" || name == "mc:Fallback") {
          // Properties (their w:tab are tab stops), deleted text, field codes, and the
          // fallback copy of content that mc:Choice already holds.
          return false;
        }
        return true;
      },
      [&](pugi::xml_node node) {
        const std::string_view name = node.name();
        if (name == "w:p") lines.end_paragraph();
        if (name == "w:t") --in_t;
      });
  return lines.finish();
}

std::string odt_text(const pugi::xml_document& doc) {
  Lines lines;
  int in_paragraph = 0;
  walk(
      doc,
      [&](pugi::xml_node node) {
        if (is_text(node)) {
          if (in_paragraph > 0) lines.add_collapsing(node.value());
          return false;
        }
        const std::string_view name = node.name();
        if (name == "text:p" || name == "text:h") {
          lines.start_paragraph();
          ++in_paragraph;
        } else if (name == "text:s") {
          const int count = node.attribute("text:c").as_int(1);
          lines.add(std::string(static_cast<std::size_t>(std::clamp(count, 1, 1000)), ' '));
        } else if (name == "text:tab") {
          lines.add("\t");
        } else if (name == "text:line-break") {
          lines.add("\n");
        } else if (name == "text:tracked-changes" || name == "office:annotation" ||
                   name == "office:annotation-end") {
          // Deleted text kept for change tracking, and comments: not the document's text.
          return false;
        }
        return true;
      },
      [&](pugi::xml_node node) {
        const std::string_view name = node.name();
        if (name == "text:p" || name == "text:h") {
          lines.end_paragraph();
          --in_paragraph;
        }
      });
  return lines.finish();
}

std::string versions() {
  return fmt::format("{}+{}.{}", LIBZIP_VERSION, PUGIXML_VERSION / 1000,
                     (PUGIXML_VERSION % 1000) / 10);
}

}  // namespace

Result<ExtractedText> extract_office(std::span<const std::uint8_t> bytes) {
  EVHUB_ASSIGN_OR_RETURN(ZipPtr archive, open_zip(bytes));
  ExtractedText out;
  out.tool = "libzip+pugixml";
  out.tool_version = versions();

  EVHUB_ASSIGN_OR_RETURN(std::optional<std::string> document,
                         read_member(archive.get(), "word/document.xml"));
  if (document) {
    EVHUB_ASSIGN_OR_RETURN(pugi::xml_document doc, parse(*document, "DOCX"));
    out.text = docx_text(doc);
    out.parameters = "format=docx part=word/document.xml paragraphs=lines";
    return out;
  }

  EVHUB_ASSIGN_OR_RETURN(std::optional<std::string> mimetype,
                         read_member(archive.get(), "mimetype"));
  if (mimetype && !mimetype->starts_with("application/vnd.oasis.opendocument.text")) {
    return Status(Code::kInvalidArgument,
                  fmt::format("an OpenDocument file of type {}: only text documents (ODT) are "
                              "read; save it as ODT, DOCX or PDF",
                              mimetype->substr(0, 80)));
  }
  EVHUB_ASSIGN_OR_RETURN(std::optional<std::string> content,
                         read_member(archive.get(), "content.xml"));
  if (!content) {
    return Status(Code::kInvalidArgument,
                  "a ZIP archive that is neither DOCX (no word/document.xml) nor ODT (no "
                  "content.xml); only DOCX and ODT documents are read from archives");
  }
  EVHUB_ASSIGN_OR_RETURN(pugi::xml_document doc, parse(*content, "ODT"));
  if (!doc.child("office:document-content").child("office:body").child("office:text")) {
    return Status(Code::kInvalidArgument,
                  "an OpenDocument file that is not a text document (no office:text); save it "
                  "as ODT, DOCX or PDF");
  }
  out.text = odt_text(doc);
  out.parameters = "format=odt part=content.xml paragraphs=lines";
  return out;
}

}  // namespace evhub::extract::internal
