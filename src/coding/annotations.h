// Annotations: codes of the coding framework applied to a span of a text, a region of a page or
// image, or a time range of a recording, with facets (when, where, which facility, who) and a
// memo. Each version of an annotation is an encrypted record in the key domain of the material
// it codes, so erasing a witness erases their codings too; coding.db is a view of those records
// rebuilt from the custody log, holding only what retrieval needs (no memo, no descriptions of
// victims or perpetrators, no persons' names).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding {

// What an annotation points at. Offsets are stable because stored objects never change: a new
// transcript is a new object, and `object_sha256` names the exact text that was coded.
enum class TargetKind { kText, kRegion, kTime };
const char* target_kind_name(TargetKind kind);

struct Target {
  std::string object_id;
  std::string object_sha256;  // filled in by the store from the catalog
  TargetKind kind = TargetKind::kText;
  // kText: Unicode code points [begin, end) of the object's UTF-8 text.
  // kTime: milliseconds [begin, end) of the recording.
  std::int64_t begin = 0;
  std::int64_t end = 0;
  // kRegion: page (1-based; 1 for an image) and a rectangle in fractions of the page, 0 to 1.
  int page = 0;
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

// A code as applied: its id and the revision of the code the coder saw. A framework edit never
// changes what an old coding meant; the revision tells the reader it has changed since.
struct CodeRef {
  std::string id;
  int revision = 1;
};

// When it happened, as precisely as the witness could say.
inline constexpr const char* kDatePrecisions[] = {"day", "month", "year", "approximate"};
struct IncidentDate {
  std::string from;  // YYYY-MM-DD, YYYY-MM or YYYY; empty if unknown
  std::string to;    // the end of a range, or empty
  std::string precision = "day";
};

struct Facets {
  IncidentDate date;
  std::string place;                 // a gazetteer name (free text until the gazetteer)
  std::string facility;              // a facility registry name (free text until the registry)
  std::vector<std::string> persons;  // named perpetrators or officials, free text for now
  std::vector<std::string> units;
  std::string victims;       // description, kept only in the encrypted record
  std::string perpetrators;  // description, kept only in the encrypted record
};

struct Annotation {
  std::string id;  // "an-" + 32 hex, given when it is first stored
  int version = 0;
  std::string domain;  // the key domain of the coded object (a witness's code)
  std::string organisation_id;
  Target target;
  std::vector<CodeRef> codes;
  Facets facets;
  std::string memo;
  std::string coder;     // the user who coded it (id)
  std::string coded_at;  // when this version was stored
  bool removed = false;
  // For text targets, the coded passage (read from the object; not stored twice).
  std::string passage;
};

// A row of retrieval: where a code was applied (no decryption needed).
struct CodedPassage {
  std::string annotation_id;
  std::string domain;
  std::string organisation_id;
  std::string object_id;
  TargetKind kind = TargetKind::kText;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::string code_id;
  int code_revision = 1;
  std::string incident_from;
  std::string place;
  std::string facility;
  std::string coder;
  std::string sensitivity;  // the coded object's (a restricted code may raise it further)
};

// Where a passage stands in the order of retrieval: by object, then position, then annotation.
struct PassageCursor {
  std::string object_id;
  std::int64_t begin = 0;
  std::string annotation_id;
};

// An organisation whose coded passages a reader may list: the sensitivities of the coded
// objects they may read there, the codes asked for that they are cleared for there, and the
// codes they are not cleared for (a passage carrying any of them is neither listed nor counted,
// whatever other codes it has).
struct PassageScope {
  std::string organisation_id;
  std::vector<std::string> sensitivities;
  std::vector<std::string> code_ids;
  std::vector<std::string> hidden_code_ids;
};

struct PassagePage {
  // Each annotation once, with the first (by id) of its codes that was asked for.
  std::vector<CodedPassage> passages;
  std::int64_t total = 0;             // the passages of every page
  std::optional<PassageCursor> next;  // the last of this page, when more follow
};

// Texts longer than this cannot be coded as text (they are not transcripts).
inline constexpr std::int64_t kMaxCodedTextBytes = 64 << 20;

// The JSON of a target (object_id, object_sha256, kind, and begin/end or page and rectangle)
// and of facets: the shapes the records keep and the API sends.
nlohmann::json target_json(const Target& target);
nlohmann::json facets_json(const Facets& facets);

class AnnotationStore {
 public:
  // Opens coding.db beside the catalog (creating it) and catches up with the log.
  static Result<std::unique_ptr<AnnotationStore>> open(hub::Hub& hub);
  ~AnnotationStore();

  Status sync();

  // Stores a new annotation (id and version given here) on an object of the hub: the span must
  // lie within its text (or the region within the page), with at least one code. The caller
  // has checked the codes against the framework and the coder's rights.
  Result<Annotation> add(Annotation annotation);
  // A new version of an existing annotation; `annotation.version` must be the newest (someone
  // else's change in between is kFailedPrecondition, never silently overwritten).
  Result<Annotation> update(Annotation annotation);
  // Marks it removed (a new version: the log keeps every one).
  Result<Annotation> remove(const std::string& id, int version, const std::string& by);

  // The newest version, decrypted (nullopt if unknown or its domain was erased).
  Result<std::optional<Annotation>> get(const std::string& id);
  // Every version, oldest first.
  Result<std::vector<Annotation>> history(const std::string& id);
  // The annotations of an object, not removed, in the order of their position.
  Result<std::vector<Annotation>> on_object(const std::string& object_id);
  // The annotations in a key domain (a witness's material), not removed, with their passages,
  // ordered by object and position: what the search index holds of the domain's coding.
  Result<std::vector<Annotation>> in_domain(const std::string& domain);
  // Where these codes (every code if empty) were applied (annotations not removed), in the
  // given organisations (all if empty), from the view alone.
  Result<std::vector<CodedPassage>> with_codes(const std::vector<std::string>& code_ids,
                                               const std::vector<std::string>& organisation_ids);
  // One page of at most `limit` passages within the scopes, in order of object and position,
  // after `after` (from the start if nullopt), and how many there are in all. Each (code,
  // organisation) is one range of the clustered view, merged here, so a page costs its own
  // length and not the number of passages before it; the total is one count in SQL.
  Result<PassagePage> passages(const std::vector<PassageScope>& scopes,
                               const std::optional<PassageCursor>& after, int limit);

 private:
  struct Impl;
  explicit AnnotationStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::coding
