// Witness summaries: what one witness saw and suffered, incident by incident, written for
// prosecutors and UN bodies, with every statement tied to the exact passage (object, SHA-256,
// code points) or page it rests on. A first draft is assembled from the witness's annotations;
// people edit it; a reviewer who neither wrote nor edited it approves it (quality control);
// only an approved version is exported (PDF, DOCX) unless a DRAFT watermark is asked for.
//
// Every version is an encrypted record (kind "witness-summary") in the witness's key domain, so
// erasing the witness erases their summaries and exports; summaries.db is a view of those
// records rebuilt from the custody log, holding only what listing needs (no text).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coding/annotations.h"
#include "coding/framework.h"
#include "collection/collection.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding {

// draft -> in-review -> (changes-requested -> in-review)* -> approved; reopen: approved -> draft.
enum class SummaryStatus { kDraft, kInReview, kChangesRequested, kApproved };
const char* summary_status_name(SummaryStatus status);  // "draft", "in-review", …
std::optional<SummaryStatus> parse_summary_status(std::string_view name);

// Where a statement comes from. kind kText: code points [begin, end) of the object's UTF-8 text
// and the passage there, quoted; kRegion: a page of the object (1-based); kTime: milliseconds
// [begin, end) of a recording. The store fills in object_sha256 from the catalog and the
// passage from the object itself, so a quote can never differ from what the object says.
struct SummaryReference {
  TargetKind kind = TargetKind::kText;
  std::string annotation_id;  // the annotation it was drafted from, or empty
  std::string object_id;
  std::string object_sha256;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  int page = 0;
  std::string passage;
  bool operator==(const SummaryReference&) const = default;
};

// A free-text field and what it cites: "[n]" in the text is references[n - 1]. A marker past
// the end of the list is refused (a reader must find every reference).
struct SummaryText {
  std::string text;
  std::vector<SummaryReference> references;
  bool operator==(const SummaryText&) const = default;
};

struct SummaryIncident {
  std::string incident_id;  // an incident of the incidents register, or empty
  std::string title;
  std::string date;  // as precisely as known, in words or ISO dates ("2020-08-10 – 2020-08-12")
  SummaryText saw;
  SummaryText suffered;
  bool operator==(const SummaryIncident&) const = default;
};

// A document of the witness's material the summary rests on (object_sha256 filled by the store).
struct SummaryDocument {
  std::string object_id;
  std::string title;
  std::string object_sha256;
  bool operator==(const SummaryDocument&) const = default;
};

// The witness as the register knew them when the summary was drafted: pseudonymous, no name.
struct SummaryProfile {
  std::string gender;
  std::string age_band;
  std::string country;
  std::vector<std::string> languages;
  bool operator==(const SummaryProfile&) const = default;
};

// The consent as of drafting (the newest version then): its state (collection::kConsentStates),
// scopes and dates. Conditions stay in the consent record.
struct SummaryConsent {
  std::string as_of;  // YYYY-MM-DD
  std::string state;  // missing | withdrawn | expired | valid
  int version = 0;
  std::vector<std::string> scopes;
  std::string given_on;
  std::string renew_by;
  std::string withdrawn_on;
  bool operator==(const SummaryConsent&) const = default;
};

// A reviewer's (or anyone's) remark. `section` is empty (the whole summary), "profile",
// "consent", "incidents", "incident N" (1-based), "perpetrators", "injuries" or "documents".
struct ReviewComment {
  std::string by;
  std::string at;
  std::string section;
  std::string text;
  bool operator==(const ReviewComment&) const = default;
};

struct WitnessSummary {
  std::string id;  // "ws-" + 32 hex, given when drafted
  int version = 0;
  std::string witness_code;
  std::string domain;  // the witness's key domain (named by the code)
  std::string organisation_id;
  SummaryStatus status = SummaryStatus::kDraft;
  // catalog::kSensitivities: the most restricted of the material it quotes (objects, and codes
  // restricted in the framework: sgbv -> sexual-violence, others -> health). Never lowered.
  std::string sensitivity = "normal";
  std::string author;  // the user who drafted it
  std::string created_at;
  std::vector<std::string> editors;  // every user who changed its text, the author first
  // This version: who made it, what it did (drafted, edited, submitted, changes-requested,
  // approved, commented, reopened) and when.
  std::string changed_by;
  std::string change;
  std::string changed_at;
  std::string reviewer;     // who requested changes or approved, last
  std::string reviewed_at;  // when
  std::string approved_at;  // set while approved
  SummaryProfile profile;
  SummaryConsent consent;
  std::vector<SummaryIncident> incidents;
  SummaryText perpetrators;
  SummaryText injuries;
  std::vector<SummaryDocument> documents;
  std::vector<ReviewComment> comments;
};

// A row of summaries.db: enough to list, nothing of the text.
struct SummaryListing {
  std::string id;
  std::string witness_code;
  std::string organisation_id;
  SummaryStatus status = SummaryStatus::kDraft;
  int version = 0;
  std::string author;
  std::string reviewer;
  std::string sensitivity;
  std::string updated_at;
};

struct SummaryFilter {
  std::vector<std::string> organisation_ids;  // all if empty
  std::optional<SummaryStatus> status;
  std::string witness_code;  // any if empty
};

// How the caller wants passages grouped into incidents (the incidents register, when there is
// one, supplies these). Annotations in no group are grouped by their first code's top-level
// category of the framework.
struct IncidentGroup {
  std::string incident_id;  // may be empty
  std::string title;
  std::string date;
  std::vector<std::string> annotation_ids;
};

// A summary as JSON: the record the hub stores, and what the API sends and receives. Fields
// missing or of the wrong type read as empty (the store checks what it is given).
nlohmann::json summary_to_json(const WitnessSummary& summary);
WitnessSummary summary_from_json(const nlohmann::json& j);

enum class ExportFormat { kPdf, kDocx };
const char* export_format_name(ExportFormat format);  // "pdf", "docx"
std::optional<ExportFormat> parse_export_format(std::string_view name);

struct ExportOptions {
  // Exports a version that is not approved, with DRAFT on every page (and on an approved one).
  bool draft_watermark = false;
  // What to print for user ids (author, reviewer, editors); ids are printed when absent.
  std::map<std::string, std::string> people;
};

struct SummaryExport {
  std::string object_id;  // the derived object in the hub
  std::string sha256;
  std::uint64_t size = 0;
  std::string media_type;
  bool deduplicated = false;
};

// An export of a summary, as summaries.db knows it from the log.
struct SummaryExportListing {
  std::string object_id;
  int version = 0;
  std::string format;
  std::string at;
};

// Rendering, pure functions of a summary. The text rendering (one paragraph a line) is what
// diff() compares; the PDF (pango + cairo, DejaVu Sans) and DOCX (Office Open XML) carry the
// same content with numbered references after each field and "Page N of M" on every page.
struct RenderOptions {
  bool draft_watermark = false;
  bool include_comments = false;  // review comments are internal: not in exports
  bool include_version = true;    // version and time of the change (left out of diffs)
  std::string exported_at;        // printed when not empty
  std::string exported_by;
  std::map<std::string, std::string> people;
};
std::string render_summary_text(const WitnessSummary& summary, const RenderOptions& options);
Result<std::string> render_summary_pdf(const WitnessSummary& summary, const RenderOptions& options);
Result<std::string> render_summary_docx(const WitnessSummary& summary,
                                        const RenderOptions& options);
// A unified line diff ("@@ -a,b +c,d @@", lines marked ' ', '-', '+'), three lines of context;
// empty when the texts are equal.
std::string line_diff(const std::string& before, const std::string& after);

// Sizes that refuse absurd input.
inline constexpr std::size_t kMaxSummaryTextBytes = 200'000;  // one free-text field
inline constexpr std::size_t kMaxSummaryTitleBytes = 500;
inline constexpr std::size_t kMaxSummaryIncidents = 500;
inline constexpr std::size_t kMaxSummaryReferences = 2'000;  // of one field
inline constexpr std::size_t kMaxSummaryDocuments = 2'000;
inline constexpr std::size_t kMaxSummaryComments = 5'000;
inline constexpr std::size_t kMaxSummaryRecordBytes = 16 << 20;

// The tool named in an export's provenance.
inline constexpr const char* kSummaryExportTool = "evhub-summary-export";

class SummaryStore {
 public:
  // Opens summaries.db beside the catalog (creating it) and catches up with the log. The
  // collection and annotation stores must outlive this one; `framework` gives codes' labels and
  // which codes are restricted.
  static Result<std::unique_ptr<SummaryStore>> open(hub::Hub& hub,
                                                    collection::Collection& collection,
                                                    AnnotationStore& annotations,
                                                    Framework framework);
  ~SummaryStore();

  Status sync();
  // The framework drafts are labelled with from now on.
  void set_framework(Framework framework);

  // A first draft (version 1, status draft, author `by`) from every annotation on the witness's
  // material: the witness's profile and consent as of today, incidents (the groups given, then
  // one per top-level code category for the rest), each passage quoted with its reference,
  // codes' labels, dates, places and facilities; perpetrators from the persons, units and
  // descriptions; injuries from the physical (and health) codes; the witness's documents.
  Result<WitnessSummary> draft_from_annotations(const std::string& witness_code,
                                                const std::string& by,
                                                const std::vector<IncidentGroup>& incident_groups);
  // New text: the incidents, perpetrators, injuries and documents of `edited` (the rest is kept).
  // Only a draft or a summary with changes requested is edited; `edited.version` must be the
  // newest (kFailedPrecondition "it is at version N; reload" otherwise).
  Result<WitnessSummary> update(const WitnessSummary& edited, const std::string& by);
  // draft or changes-requested -> in-review.
  Result<WitnessSummary> submit(const std::string& id, int version, const std::string& by);
  // in-review -> changes-requested, with a comment saying what to change. The reviewer may not
  // be the author or anyone who edited it.
  Result<WitnessSummary> request_changes(const std::string& id, int version, const std::string& by,
                                         const std::string& section, const std::string& text);
  // in-review -> approved; same rule for the reviewer.
  Result<WitnessSummary> approve(const std::string& id, int version, const std::string& by);
  // A remark (a new version with the same text), in any status but approved.
  Result<WitnessSummary> comment(const std::string& id, int version, const std::string& by,
                                 const std::string& section, const std::string& text);
  // approved -> a new draft version; the approved one stays in the history.
  Result<WitnessSummary> reopen(const std::string& id, int version, const std::string& by);

  // The newest version (nullopt if unknown or erased with its witness).
  Result<std::optional<WitnessSummary>> get(const std::string& id);
  // One version (nullopt if there is no such version).
  Result<std::optional<WitnessSummary>> get_version(const std::string& id, int version);
  // Every version, oldest first.
  Result<std::vector<WitnessSummary>> history(const std::string& id);
  // What changed from version v1 to v2: line_diff of their text renderings (with comments).
  Result<std::string> diff(const std::string& id, int v1, int v2);
  // From the view alone, newest change first.
  Result<std::vector<SummaryListing>> list(const SummaryFilter& filter);

  // Renders version `version` and stores it as an object derived from that version's record
  // (tool kSummaryExportTool, its version, parameters {summary, version, format, watermark,
  // exported_by}), in the witness's domain with the summary's sensitivity: logged, with its
  // provenance, and erased with the witness. Only an approved version, unless
  // options.draft_watermark.
  Result<SummaryExport> export_summary(const std::string& id, int version, ExportFormat format,
                                       const std::string& by, const ExportOptions& options);
  // The exports made of a summary, oldest first.
  Result<std::vector<SummaryExportListing>> exports(const std::string& id);

 private:
  struct Impl;
  explicit SummaryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::coding
