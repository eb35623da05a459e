// Internal to the witness summaries (summary*.cc): the record's JSON, the document model the
// three renderings (text, PDF, DOCX) share, and the assembly of a first draft.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/summary.h"

namespace evhub::coding::internal {

// A document as a sequence of blocks; each rendering decides their look.
enum class BlockKind {
  kTitle,
  kWatermarkNote,  // "DRAFT — not approved": under the title of a watermarked export
  kHeading,        // a numbered section
  kSubheading,     // an incident
  kLabel,          // "What the witness saw"
  kField,          // label: text
  kParagraph,      // free text, may hold line breaks
  kEmpty,          // "(none)"
  kReferencesHeading,
  kReference,  // label "[1]", text: where (object, SHA-256, span or page)
  kQuote,      // the quoted passage of the reference before it
  kNote,       // small print at the end
};
struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::string label;
  std::string text;
};
std::vector<Block> summary_blocks(const WitnessSummary& summary, const RenderOptions& options);

// Text fit for display: CR LF and lone CR become LF, a form feed (a page break of extracted
// text) becomes LF, other control characters but tab become a space, U+FFFE and U+FFFF become
// U+FFFD. Stored quotes keep their bytes; only what is drawn changes.
std::string display_text(std::string_view text);

// "Page 3 of 7": the footer both exports carry.
std::string page_of(int page, int pages);

// The first words of a document: its title line and what the DRAFT watermark says.
inline constexpr const char* kDraftWord = "DRAFT";

// What a first draft is made from; assemble_draft is a pure function of it.
struct DraftSource {
  const collection::Witness* witness = nullptr;
  std::vector<collection::Consent> consents;
  std::string today;  // YYYY-MM-DD
  // Annotations (not removed) on the witness's material, with passages for text targets.
  std::vector<Annotation> annotations;
  // Titles of the witness's objects (documents, transcripts) by object id, in the order the
  // documents section lists them; sha256 by object id.
  std::vector<std::pair<std::string, std::string>> document_titles;
  std::map<std::string, std::string> object_titles;  // any object of the witness, by id
  std::map<std::string, std::string> sha256;
  std::map<std::string, std::string> object_sensitivity;
  std::vector<std::string> medical_documents;  // object ids of documents of kind medical
  const Framework* framework = nullptr;
  std::vector<IncidentGroup> groups;
};
// Sections, profile, consent and sensitivity of a first draft (ids, versions and people are the
// store's). kInvalidArgument if a group names an annotation that is not on the witness's material.
Result<WitnessSummary> assemble_draft(const DraftSource& source);

// The tool versions an export's provenance names: the export format's version and the
// libraries that drew it ("1; pango 1.50.12, cairo 1.16.0").
std::string pdf_tool_version();
std::string docx_tool_version();

}  // namespace evhub::coding::internal
