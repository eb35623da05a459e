// The store of witness summaries: versions as encrypted records in the witness's key domain,
// summaries.db as a view of the custody log, the quality-control workflow and exports.
//
// Versions are numbered by the writer (newest + 1) and the view accepts a record only if it is
// the next version of its summary, in log order: when two people change a summary at the same
// moment, the one logged first wins, the other is told to reload, and a rebuilt view makes the
// same choice (the losing record stays in the log, unreadable by the view).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "coding/record_io.h"
#include "coding/summary.h"
#include "coding/summary_internal.h"
#include "collection/consent.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "hub/log_view.h"

namespace evhub::coding {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

constexpr const char* kRecordKind = "witness-summary";
constexpr std::size_t kMaxCommentBytes = 20'000;
constexpr int kMaxPage = 1'000'000;

const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "follows the custody log", hub::kViewStateSql}, {2, "witness summaries", R"sql(
CREATE TABLE summaries (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  witness_code TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  status TEXT NOT NULL,
  author TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  sensitivity TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX summaries_by_witness ON summaries(witness_code);
CREATE INDEX summaries_by_domain ON summaries(domain_id);
CREATE INDEX summaries_by_organisation ON summaries(organisation_id, status);
CREATE TABLE summary_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  status TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  change TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX summary_versions_by_record ON summary_versions(record_object);
CREATE TABLE summary_exports (
  object_id TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX summary_exports_by_summary ON summary_exports(id);
)sql"}};
  return kMigrations;
}

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

// The code point offsets of `text` as byte offsets (one past the end included).
std::vector<std::size_t> code_point_starts(const std::string& text) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(text.size());
  return starts;
}

// Texts of objects read while checking references (wiped when done), and the annotations
// references name.
struct TextCache {
  std::map<std::string, std::string> texts;
  std::map<std::string, std::optional<Annotation>> annotations;
  ~TextCache() {
    for (auto& [id, text] : texts) crypto::wipe(text.data(), text.size());
  }
};

Status check_free_text(const std::string& text, const std::string& where) {
  if (text.size() > kMaxSummaryTextBytes) {
    return bad(fmt::format("{}: at most {} bytes of text", where, kMaxSummaryTextBytes));
  }
  if (!is_valid_utf8(text) || text.find('\0') != std::string::npos) {
    return bad(where + ": the text is not UTF-8 text");
  }
  return Status::ok();
}

Status check_line(const std::string& text, const std::string& where, bool required) {
  if (required && text.empty()) return bad(where + " is empty");
  if (!text.empty() && !is_printable_text(text, kMaxSummaryTitleBytes)) {
    return bad(fmt::format("{}: one line of text, at most {} bytes", where, kMaxSummaryTitleBytes));
  }
  return Status::ok();
}

// Every "[n]" marker of the text must name one of its references.
Status check_markers(const SummaryText& t, const std::string& where) {
  const std::string& s = t.text;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '[') continue;
    std::size_t j = i + 1;
    while (j < s.size() && j - i <= 6 && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1 || j >= s.size() || s[j] != ']') continue;
    const long n = std::stol(s.substr(i + 1, j - i - 1));
    if (n < 1 || static_cast<std::size_t>(n) > t.references.size()) {
      return bad(fmt::format("{}: the text cites [{}] but has {} reference{}", where, n,
                             t.references.size(), t.references.size() == 1 ? "" : "s"));
    }
  }
  return Status::ok();
}

Status check_section(const std::string& section, const WitnessSummary& s) {
  static const std::set<std::string> kSections = {
      "", "profile", "consent", "incidents", "perpetrators", "injuries", "documents"};
  if (kSections.count(section)) return Status::ok();
  if (section.rfind("incident ", 0) == 0) {
    const std::string n = section.substr(9);
    if (!n.empty() && n.size() <= 4 &&
        std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const int i = std::stoi(n);
      if (i >= 1 && static_cast<std::size_t>(i) <= s.incidents.size()) return Status::ok();
    }
  }
  return bad("a comment's section is profile, consent, incidents, incident N (1 to " +
             std::to_string(s.incidents.size()) +
             "), perpetrators, injuries, documents, or empty for the whole summary; not \"" +
             section + "\"");
}

Status check_user(const std::string& by) {
  if (by.empty() || !is_printable_text(by, 200)) return bad("the user acting is not named");
  return Status::ok();
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

struct SummaryStore::Impl {
  hub::Hub& hub;
  collection::Collection& collection;
  AnnotationStore& annotations;
  Framework framework;
  Database db;

  Result<std::string> read_object(const std::string& id, std::int64_t max_bytes) {
    return internal::read_object_text(hub, id, max_bytes);
  }

  Result<json> read_record(const std::string& id) {
    return internal::read_record(hub, id, kMaxSummaryRecordBytes);
  }

  // A version, decrypted (nullopt if its domain was erased).
  Result<std::optional<WitnessSummary>> load(const std::string& record_object) {
    auto record = read_record(record_object);
    if (!record.is_ok()) {
      if (record.status().code() == Code::kErased) return std::optional<WitnessSummary>();
      return record.status();
    }
    return std::optional<WitnessSummary>(summary_from_json(*record));
  }

  // (version, record object) of the newest version in the view, or nothing.
  Result<std::optional<std::pair<int, std::string>>> newest(const std::string& id) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT version, record_object FROM summaries WHERE id = ?"));
    st.bind(1, id);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<std::pair<int, std::string>>();
    return std::optional<std::pair<int, std::string>>(
        std::make_pair(static_cast<int>(st.integer(0)), st.text(1)));
  }

  Result<std::optional<std::string>> version_record(const std::string& id, int version) {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("SELECT record_object FROM summary_versions WHERE id = ? AND version = ?"));
    st.bind(1, id).bind(2, std::int64_t{version});
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.text(0));
  }

  // The newest version for a change made from `version`: kNotFound, kErased, or
  // kFailedPrecondition when someone changed it since.
  Result<WitnessSummary> current(const std::string& id, int version) {
    EVHUB_RETURN_IF_ERROR(sync());
    EVHUB_ASSIGN_OR_RETURN(auto top, newest(id));
    if (!top) return Status(Code::kNotFound, "there is no witness summary " + id);
    if (top->first != version) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("witness summary {} was changed since version {} (it is at "
                                "version {}); reload it and apply your change again",
                                id, version, top->first));
    }
    EVHUB_ASSIGN_OR_RETURN(auto s, load(top->second));
    if (!s) return Status(Code::kErased, "witness summary " + id + " was erased with its witness");
    return std::move(*s);
  }

  // Stores `s` as the version after its current one.
  Result<WitnessSummary> store(WitnessSummary s, const std::string& by, const std::string& change) {
    s.version += 1;
    s.changed_by = by;
    s.change = change;
    s.changed_at = now_rfc3339();
    if (s.version == 1) s.created_at = s.changed_at;
    std::string text = summary_to_json(s).dump();
    if (text.size() > kMaxSummaryRecordBytes) {
      crypto::wipe(text.data(), text.size());
      return bad(fmt::format("the summary would be larger than {} MiB; shorten it",
                             kMaxSummaryRecordBytes >> 20));
    }
    hub::Intake intake = hub::Intake::record_of(s.organisation_id, kRecordKind);
    intake.sensitivity = s.sensitivity;
    auto stored = hub.put_data("witness summary record", text, s.domain, intake);
    crypto::wipe(text.data(), text.size());
    EVHUB_RETURN_IF_ERROR(stored.status());
    EVHUB_RETURN_IF_ERROR(sync());
    EVHUB_ASSIGN_OR_RETURN(auto top, newest(s.id));
    if (!top || top->second != stored->id) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("witness summary {} was changed by someone else at the same "
                                "moment (it is at version {}); reload it and apply your change "
                                "again",
                                s.id, top ? top->first : 0));
    }
    return s;
  }

  // Refuses a reviewer who wrote or edited the summary.
  static Status check_reviewer(const WitnessSummary& s, const std::string& by) {
    if (by == s.author) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("{} wrote witness summary {} and cannot review it: another "
                                "person must approve it or request changes",
                                by, s.id));
    }
    if (std::find(s.editors.begin(), s.editors.end(), by) != s.editors.end()) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("{} edited witness summary {} and cannot review it: another "
                                "person must approve it or request changes",
                                by, s.id));
    }
    return Status::ok();
  }

  // Checks and completes a reference: the object is the witness's material, the span lies
  // within its text and the passage is what the text says there.
  Status resolve(SummaryReference& r, WitnessSummary& s, TextCache& cache,
                 const std::string& where) {
    if (r.object_id.empty()) return bad(where + ": a reference names no object");
    auto described = hub.describe(r.object_id);
    if (!described.is_ok()) {
      if (described.status().code() == Code::kNotFound) {
        return Status(Code::kNotFound, where + ": there is no object " + r.object_id);
      }
      return described.status();
    }
    if (described->erased)
      return Status(Code::kErased, where + ": object " + r.object_id + " was erased");
    if (described->domain != s.domain || described->record.record) {
      return bad(fmt::format("{}: object {} is not part of {}'s material", where, r.object_id,
                             s.witness_code));
    }
    r.object_sha256 = described->record.sha256;
    s.sensitivity = catalog::stricter_sensitivity(s.sensitivity, described->record.sensitivity);
    switch (r.kind) {
      case TargetKind::kText: {
        auto it = cache.texts.find(r.object_id);
        if (it == cache.texts.end()) {
          EVHUB_ASSIGN_OR_RETURN(std::string text, read_object(r.object_id, kMaxCodedTextBytes));
          it = cache.texts.emplace(r.object_id, std::move(text)).first;
        }
        const std::string& text = it->second;
        if (!is_valid_utf8(text)) {
          return bad(fmt::format("{}: object {} is not UTF-8 text; cite a page or a time instead",
                                 where, r.object_id));
        }
        const auto starts = code_point_starts(text);
        const auto length = static_cast<std::int64_t>(starts.size() - 1);
        if (r.begin < 0 || r.end <= r.begin || r.end > length) {
          return bad(
              fmt::format("{}: code points [{}, {}) are not within the text of object {} "
                          "({} code points)",
                          where, r.begin, r.end, r.object_id, length));
        }
        const std::size_t from = starts[static_cast<std::size_t>(r.begin)];
        std::string passage = text.substr(from, starts[static_cast<std::size_t>(r.end)] - from);
        if (!r.passage.empty() && r.passage != passage) {
          crypto::wipe(passage.data(), passage.size());
          return bad(
              fmt::format("{}: the passage quoted is not what object {} says at code "
                          "points [{}, {}); quote it exactly or leave it empty",
                          where, r.object_id, r.begin, r.end));
        }
        r.passage = std::move(passage);
        r.page = 0;
        break;
      }
      case TargetKind::kRegion:
        if (r.page < 1 || r.page > kMaxPage) return bad(where + ": pages are numbered from 1");
        r.begin = r.end = 0;
        r.passage.clear();
        break;
      case TargetKind::kTime:
        if (r.begin < 0 || r.end <= r.begin) {
          return bad(where + ": a time range needs 0 <= begin < end, in milliseconds");
        }
        r.page = 0;
        r.passage.clear();
        break;
    }
    if (!r.annotation_id.empty()) {
      // The annotation's newest version, without its passage (the span was checked above). A
      // removed annotation still names its object: the quote stands on the object alone.
      auto known = cache.annotations.find(r.annotation_id);
      if (known == cache.annotations.end()) {
        EVHUB_ASSIGN_OR_RETURN(auto versions, annotations.history(r.annotation_id));
        std::optional<Annotation> newest;
        if (!versions.empty()) newest = std::move(versions.back());
        known = cache.annotations.emplace(r.annotation_id, std::move(newest)).first;
      }
      const std::optional<Annotation>& a = known->second;
      if (!a || a->target.object_id != r.object_id) {
        return bad(fmt::format("{}: annotation {} is not an annotation of object {}", where,
                               r.annotation_id, r.object_id));
      }
      for (const auto& c : a->codes) {
        s.sensitivity =
            catalog::stricter_sensitivity(s.sensitivity, sensitivity_of_code(framework, c.id));
      }
    }
    return Status::ok();
  }

  Status check_text(SummaryText& t, WitnessSummary& s, TextCache& cache, const std::string& where) {
    EVHUB_RETURN_IF_ERROR(check_free_text(t.text, where));
    if (t.references.size() > kMaxSummaryReferences) {
      return bad(fmt::format("{}: at most {} references", where, kMaxSummaryReferences));
    }
    for (std::size_t i = 0; i < t.references.size(); ++i) {
      EVHUB_RETURN_IF_ERROR(
          resolve(t.references[i], s, cache, fmt::format("{}, reference [{}]", where, i + 1)));
    }
    return check_markers(t, where);
  }

  // Checks every section of `s` against the hub and fills in hashes and passages.
  Status check_sections(WitnessSummary& s) {
    TextCache cache;
    if (s.incidents.size() > kMaxSummaryIncidents) {
      return bad(fmt::format("at most {} incidents", kMaxSummaryIncidents));
    }
    for (std::size_t i = 0; i < s.incidents.size(); ++i) {
      SummaryIncident& incident = s.incidents[i];
      const std::string where = fmt::format("incident {}", i + 1);
      EVHUB_RETURN_IF_ERROR(check_line(incident.title, where + ": the title", true));
      EVHUB_RETURN_IF_ERROR(check_line(incident.date, where + ": the date", false));
      EVHUB_RETURN_IF_ERROR(check_line(incident.incident_id, where + ": the incident id", false));
      EVHUB_RETURN_IF_ERROR(check_text(incident.saw, s, cache, where + ", what the witness saw"));
      EVHUB_RETURN_IF_ERROR(
          check_text(incident.suffered, s, cache, where + ", what the witness suffered"));
    }
    EVHUB_RETURN_IF_ERROR(check_text(s.perpetrators, s, cache, "perpetrators"));
    EVHUB_RETURN_IF_ERROR(check_text(s.injuries, s, cache, "injuries"));
    if (s.documents.size() > kMaxSummaryDocuments) {
      return bad(fmt::format("at most {} documents", kMaxSummaryDocuments));
    }
    for (std::size_t i = 0; i < s.documents.size(); ++i) {
      SummaryDocument& d = s.documents[i];
      const std::string where = fmt::format("document [D{}]", i + 1);
      EVHUB_RETURN_IF_ERROR(check_line(d.title, where + ": the title", true));
      SummaryReference r;
      r.kind = TargetKind::kRegion;  // the object is checked; no page is cited
      r.object_id = d.object_id;
      r.page = 1;
      EVHUB_RETURN_IF_ERROR(resolve(r, s, cache, where));
      d.object_sha256 = r.object_sha256;
    }
    return Status::ok();
  }

  // Everything a first draft is made from. The witness's material is what the register knows
  // (interviews' recordings, transcripts and translations; documents) and every object of the
  // witness's key domain that has a coding (texts extracted from documents, say), found in
  // coding.db rather than by listing the whole catalog.
  Result<internal::DraftSource> gather(const collection::Witness& w) {
    internal::DraftSource source;
    EVHUB_ASSIGN_OR_RETURN(source.consents, collection.consents(w.code));
    EVHUB_ASSIGN_OR_RETURN(auto documents, collection.documents(w.code));
    EVHUB_ASSIGN_OR_RETURN(auto interviews, collection.interviews(w.code));
    std::vector<std::string> objects;
    auto note = [&](const std::string& id) {
      if (!id.empty() && std::find(objects.begin(), objects.end(), id) == objects.end()) {
        objects.push_back(id);
      }
    };
    for (const auto& d : documents) {
      std::string title = capitalised(d.kind) + " document";
      if (!d.date.empty()) title += " of " + d.date;
      if (!d.language.empty()) title += " (" + d.language + ")";
      source.document_titles.emplace_back(d.object_id, title);
      source.object_titles[d.object_id] = title;
      if (d.kind == "medical") source.medical_documents.push_back(d.object_id);
      note(d.object_id);
    }
    for (const auto& iv : interviews) {
      const std::string of = "the interview of " + iv.on;
      if (!iv.transcript.empty()) source.object_titles[iv.transcript] = "Transcript of " + of;
      note(iv.transcript);
      for (const auto& t : iv.translations) {
        source.object_titles[t] = "Translation of the transcript of " + of;
        note(t);
      }
      for (const auto& r : iv.recordings) {
        source.object_titles[r] = "Recording of " + of;
        note(r);
      }
    }
    EVHUB_ASSIGN_OR_RETURN(auto coded, annotations.with_codes({}, {w.organisation_id}));
    for (const auto& p : coded) {
      if (p.domain == w.code) note(p.object_id);
    }
    for (const std::string& id : objects) {
      EVHUB_ASSIGN_OR_RETURN(auto o, hub.describe(id));
      if (o.erased || o.record.record || o.domain != w.code) continue;
      source.sha256[id] = o.record.sha256;
      source.object_sensitivity[id] = o.record.sensitivity;
      if (!source.object_titles.count(id)) {
        std::string title = "Object of type " + o.record.media_type;
        if (o.record.derived_from) {  // a text extracted from a document is named after it
          auto of = source.object_titles.find(*o.record.derived_from);
          title =
              "Text of " +
              (of != source.object_titles.end() ? of->second : "object " + *o.record.derived_from) +
              " (" + o.record.tool.value_or("") + ")";
        }
        source.object_titles[id] = title;
      }
      EVHUB_ASSIGN_OR_RETURN(auto on, annotations.on_object(id));
      for (auto& a : on) source.annotations.push_back(std::move(a));
    }
    return source;
  }

  Status sync();
  Status apply(const custody::Event& e);
  Status apply_record(const custody::Event& e);
  Status apply_export(const custody::Event& e);
  Status apply_shred(const custody::Event& e);
};

Status SummaryStore::Impl::sync() {
  return hub::follow_log(db, hub, [this](const custody::Event& e) { return apply(e); });
}

Status SummaryStore::Impl::apply(const custody::Event& e) {
  if (e.action == "put" && e.details.is_object()) {
    if (e.details.value("record", "") == std::string(kRecordKind)) return apply_record(e);
    if (e.details.value("tool", "") == std::string(kSummaryExportTool)) return apply_export(e);
    return Status::ok();
  }
  if (e.action == "shred") return apply_shred(e);
  return Status::ok();
}

Status SummaryStore::Impl::apply_record(const custody::Event& e) {
  auto record = read_record(e.object);
  // Erased later in the log: the shred that follows removes whatever this would have added.
  if (!record.is_ok() && record.status().code() == Code::kErased) return Status::ok();
  EVHUB_RETURN_IF_ERROR(record.status());
  const WitnessSummary s = summary_from_json(*record);
  EVHUB_ASSIGN_OR_RETURN(auto top, newest(s.id));
  // Only the next version counts: a record written from a version someone else had already
  // replaced (or logged twice) is not part of the summary's history.
  if (s.id.empty() || s.version != (top ? top->first + 1 : 1)) return Status::ok();
  EVHUB_ASSIGN_OR_RETURN(
      Statement up,
      db.prepare("INSERT INTO summaries(id, version, record_object, domain_id, witness_code, "
                 "organisation_id, status, author, reviewer, sensitivity, created_at, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO "
                 "UPDATE SET version = excluded.version, record_object = "
                 "excluded.record_object, status = excluded.status, reviewer = "
                 "excluded.reviewer, sensitivity = excluded.sensitivity, updated_at = "
                 "excluded.updated_at"));
  up.bind(1, s.id).bind(2, std::int64_t{s.version}).bind(3, e.object);
  up.bind(4, e.details.value("domain_id", "")).bind(5, s.witness_code).bind(6, s.organisation_id);
  up.bind(7, std::string(summary_status_name(s.status))).bind(8, s.author).bind(9, s.reviewer);
  up.bind(10, s.sensitivity).bind(11, s.created_at).bind(12, s.changed_at);
  EVHUB_RETURN_IF_ERROR(up.run());
  EVHUB_ASSIGN_OR_RETURN(
      Statement version,
      db.prepare("INSERT OR REPLACE INTO summary_versions(id, version, record_object, status, "
                 "changed_by, change, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  version.bind(1, s.id).bind(2, std::int64_t{s.version}).bind(3, e.object);
  version.bind(4, std::string(summary_status_name(s.status))).bind(5, s.changed_by);
  version.bind(6, s.change).bind(7, s.changed_at);
  return version.run();
}

Status SummaryStore::Impl::apply_export(const custody::Event& e) {
  EVHUB_ASSIGN_OR_RETURN(
      Statement find,
      db.prepare("SELECT id, version FROM summary_versions WHERE record_object = ?"));
  find.bind(1, e.details.value("derived_from", ""));
  EVHUB_ASSIGN_OR_RETURN(bool row, find.step());
  if (!row) return Status::ok();
  const std::string id = find.text(0);
  const std::int64_t version = find.integer(1);
  const json parameters = json::parse(e.details.value("tool_parameters", ""), nullptr, false);
  std::string format;
  if (parameters.is_object()) format = parameters.value("format", "");
  EVHUB_ASSIGN_OR_RETURN(Statement add,
                         db.prepare("INSERT OR IGNORE INTO summary_exports(object_id, id, "
                                    "version, format, domain_id, at) VALUES (?, ?, ?, ?, ?, ?)"));
  add.bind(1, e.object).bind(2, id).bind(3, version).bind(4, format);
  add.bind(5, e.details.value("domain_id", "")).bind(6, e.time);
  return add.run();
}

Status SummaryStore::Impl::apply_shred(const custody::Event& e) {
  const std::string domain_id = e.details.value("domain_id", "");
  for (const char* sql :
       {"DELETE FROM summary_versions WHERE id IN (SELECT id FROM summaries WHERE domain_id = ?)",
        "DELETE FROM summary_exports WHERE domain_id = ?",
        "DELETE FROM summaries WHERE domain_id = ?"}) {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(sql));
    st.bind(1, domain_id);
    EVHUB_RETURN_IF_ERROR(st.run());
  }
  return Status::ok();
}

SummaryStore::SummaryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SummaryStore::~SummaryStore() = default;

Result<std::unique_ptr<SummaryStore>> SummaryStore::open(hub::Hub& hub,
                                                         collection::Collection& collection,
                                                         AnnotationStore& annotations,
                                                         Framework framework) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(hub.layout().summaries(), true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "summaries.db"));
  auto store = std::unique_ptr<SummaryStore>(new SummaryStore(std::unique_ptr<Impl>(
      new Impl{hub, collection, annotations, std::move(framework), std::move(db)})));
  EVHUB_RETURN_IF_ERROR(store->sync());
  return store;
}

Status SummaryStore::sync() {
  return impl_->sync();
}

void SummaryStore::set_framework(Framework framework) {
  impl_->framework = std::move(framework);
}

Result<WitnessSummary> SummaryStore::draft_from_annotations(
    const std::string& witness_code, const std::string& by,
    const std::vector<IncidentGroup>& incident_groups) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  for (std::size_t i = 0; i < incident_groups.size(); ++i) {
    const IncidentGroup& g = incident_groups[i];
    const std::string where = fmt::format("incident group {}", i + 1);
    EVHUB_RETURN_IF_ERROR(check_line(g.title, where + ": the title", true));
    EVHUB_RETURN_IF_ERROR(check_line(g.date, where + ": the date", false));
    EVHUB_RETURN_IF_ERROR(check_line(g.incident_id, where + ": the incident id", false));
  }
  if (incident_groups.size() > kMaxSummaryIncidents) {
    return bad(fmt::format("at most {} incidents", kMaxSummaryIncidents));
  }
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto witness, impl_->collection.witness(witness_code));
  if (!witness) return Status(Code::kNotFound, "there is no witness " + witness_code);
  if (witness->erased) {
    return Status(Code::kErased,
                  witness_code + " was erased on " + witness->erased_at + "; nothing is left");
  }
  EVHUB_ASSIGN_OR_RETURN(internal::DraftSource source, impl_->gather(*witness));
  source.witness = &*witness;
  source.today = now_rfc3339().substr(0, 10);
  source.framework = &impl_->framework;
  source.groups = incident_groups;
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, internal::assemble_draft(source));
  for (auto& a : source.annotations) crypto::wipe(a.passage.data(), a.passage.size());
  s.id = "ws-" + random_name();
  s.version = 0;
  s.status = SummaryStatus::kDraft;
  s.author = by;
  s.editors = {by};
  return impl_->store(std::move(s), by, "drafted");
}

Result<WitnessSummary> SummaryStore::update(const WitnessSummary& edited, const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, impl_->current(edited.id, edited.version));
  if (s.status == SummaryStatus::kInReview) {
    return Status(Code::kFailedPrecondition,
                  "witness summary " + s.id +
                      " is in review: it cannot be edited until the reviewer approves it or "
                      "requests changes");
  }
  if (s.status == SummaryStatus::kApproved) {
    return Status(Code::kFailedPrecondition,
                  "witness summary " + s.id +
                      " is approved: approved summaries are not edited; reopen it to make a new "
                      "draft");
  }
  s.incidents = edited.incidents;
  s.perpetrators = edited.perpetrators;
  s.injuries = edited.injuries;
  s.documents = edited.documents;
  EVHUB_RETURN_IF_ERROR(impl_->check_sections(s));
  if (std::find(s.editors.begin(), s.editors.end(), by) == s.editors.end()) {
    s.editors.push_back(by);
  }
  return impl_->store(std::move(s), by, "edited");
}

Result<WitnessSummary> SummaryStore::submit(const std::string& id, int version,
                                            const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, impl_->current(id, version));
  if (s.status == SummaryStatus::kInReview) {
    return Status(Code::kFailedPrecondition, "witness summary " + id + " is already in review");
  }
  if (s.status == SummaryStatus::kApproved) {
    return Status(Code::kFailedPrecondition,
                  "witness summary " + id + " is approved; reopen it to change it");
  }
  s.status = SummaryStatus::kInReview;
  return impl_->store(std::move(s), by, "submitted");
}

Result<WitnessSummary> SummaryStore::request_changes(const std::string& id, int version,
                                                     const std::string& by,
                                                     const std::string& section,
                                                     const std::string& text) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, impl_->current(id, version));
  if (s.status != SummaryStatus::kInReview) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("witness summary {} is {}: changes are requested of a summary in "
                              "review",
                              id, summary_status_name(s.status)));
  }
  EVHUB_RETURN_IF_ERROR(Impl::check_reviewer(s, by));
  if (text.empty()) return bad("say what should change: the comment is empty");
  if (text.size() > kMaxCommentBytes || !is_valid_utf8(text)) {
    return bad(fmt::format("a comment is UTF-8 text of at most {} bytes", kMaxCommentBytes));
  }
  EVHUB_RETURN_IF_ERROR(check_section(section, s));
  if (s.comments.size() >= kMaxSummaryComments) return bad("this summary has too many comments");
  const std::string now = now_rfc3339();
  s.comments.push_back(ReviewComment{by, now, section, text});
  s.status = SummaryStatus::kChangesRequested;
  s.reviewer = by;
  s.reviewed_at = now;
  return impl_->store(std::move(s), by, "changes-requested");
}

Result<WitnessSummary> SummaryStore::approve(const std::string& id, int version,
                                             const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, impl_->current(id, version));
  if (s.status != SummaryStatus::kInReview) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("witness summary {} is {}: only a summary in review is approved", id,
                              summary_status_name(s.status)));
  }
  EVHUB_RETURN_IF_ERROR(Impl::check_reviewer(s, by));
  const std::string now = now_rfc3339();
  s.status = SummaryStatus::kApproved;
  s.reviewer = by;
  s.reviewed_at = now;
  s.approved_at = now;
  return impl_->store(std::move(s), by, "approved");
}

Result<WitnessSummary> SummaryStore::comment(const std::string& id, int version,
                                             const std::string& by, const std::string& section,
                                             const std::string& text) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, impl_->current(id, version));
  if (s.status == SummaryStatus::kApproved) {
    return Status(Code::kFailedPrecondition,
                  "witness summary " + id + " is approved and takes no comments; reopen it");
  }
  if (text.empty()) return bad("the comment is empty");
  if (text.size() > kMaxCommentBytes || !is_valid_utf8(text)) {
    return bad(fmt::format("a comment is UTF-8 text of at most {} bytes", kMaxCommentBytes));
  }
  EVHUB_RETURN_IF_ERROR(check_section(section, s));
  if (s.comments.size() >= kMaxSummaryComments) return bad("this summary has too many comments");
  s.comments.push_back(ReviewComment{by, now_rfc3339(), section, text});
  return impl_->store(std::move(s), by, "commented");
}

Result<WitnessSummary> SummaryStore::reopen(const std::string& id, int version,
                                            const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_ASSIGN_OR_RETURN(WitnessSummary s, impl_->current(id, version));
  if (s.status != SummaryStatus::kApproved) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("witness summary {} is {}: only an approved summary is reopened", id,
                              summary_status_name(s.status)));
  }
  s.status = SummaryStatus::kDraft;
  s.reviewer.clear();
  s.reviewed_at.clear();
  s.approved_at.clear();
  return impl_->store(std::move(s), by, "reopened");
}

Result<std::optional<WitnessSummary>> SummaryStore::get(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto top, impl_->newest(id));
  if (!top) return std::optional<WitnessSummary>();
  return impl_->load(top->second);
}

Result<std::optional<WitnessSummary>> SummaryStore::get_version(const std::string& id,
                                                                int version) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto record, impl_->version_record(id, version));
  if (!record) return std::optional<WitnessSummary>();
  return impl_->load(*record);
}

Result<std::vector<WitnessSummary>> SummaryStore::history(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(
      auto records,
      impl_->db.texts("SELECT record_object FROM summary_versions WHERE id = ? ORDER BY version",
                      id));
  std::vector<WitnessSummary> out;
  for (const auto& r : records) {
    EVHUB_ASSIGN_OR_RETURN(auto s, impl_->load(r));
    if (s) out.push_back(std::move(*s));
  }
  return out;
}

Result<std::string> SummaryStore::diff(const std::string& id, int v1, int v2) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto top, impl_->newest(id));
  if (!top) return Status(Code::kNotFound, "there is no witness summary " + id);
  std::vector<WitnessSummary> both;
  for (int v : {v1, v2}) {
    if (v < 1 || v > top->first) {
      return Status(Code::kNotFound, fmt::format("witness summary {} has no version {} (it has "
                                                 "versions 1 to {})",
                                                 id, v, top->first));
    }
    EVHUB_ASSIGN_OR_RETURN(auto s, get_version(id, v));
    if (!s) return Status(Code::kErased, "witness summary " + id + " was erased with its witness");
    both.push_back(std::move(*s));
  }
  RenderOptions options;
  options.include_comments = true;
  options.include_version = false;
  const std::string before = render_summary_text(both[0], options);
  const std::string after = render_summary_text(both[1], options);
  std::string out;
  for (int i = 0; i < 2; ++i) {
    const WitnessSummary& s = both[static_cast<std::size_t>(i)];
    out +=
        fmt::format("{} {} version {} ({}; {} by {} at {})\n", i == 0 ? "---" : "+++", id,
                    s.version, summary_status_name(s.status), s.change, s.changed_by, s.changed_at);
  }
  return out + line_diff(before, after);
}

Result<std::vector<SummaryListing>> SummaryStore::list(const SummaryFilter& filter) {
  EVHUB_RETURN_IF_ERROR(sync());
  std::string sql =
      "SELECT id, witness_code, organisation_id, status, version, author, reviewer, "
      "sensitivity, updated_at FROM summaries WHERE 1 = 1";
  std::vector<std::string> values;
  if (!filter.organisation_ids.empty()) {
    std::string marks(filter.organisation_ids.size() * 2 - 1, ',');
    for (std::size_t i = 0; i < filter.organisation_ids.size(); ++i) marks[i * 2] = '?';
    sql += " AND organisation_id IN (" + marks + ")";
    values = filter.organisation_ids;
  }
  if (filter.status) {
    sql += " AND status = ?";
    values.push_back(summary_status_name(*filter.status));
  }
  if (!filter.witness_code.empty()) {
    sql += " AND witness_code = ?";
    values.push_back(filter.witness_code);
  }
  sql += " ORDER BY updated_at DESC, id";
  EVHUB_ASSIGN_OR_RETURN(Statement st, impl_->db.prepare(sql));
  for (std::size_t i = 0; i < values.size(); ++i) st.bind(static_cast<int>(i) + 1, values[i]);
  std::vector<SummaryListing> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    SummaryListing l;
    l.id = st.text(0);
    l.witness_code = st.text(1);
    l.organisation_id = st.text(2);
    l.status = parse_summary_status(st.text(3)).value_or(SummaryStatus::kDraft);
    l.version = static_cast<int>(st.integer(4));
    l.author = st.text(5);
    l.reviewer = st.text(6);
    l.sensitivity = st.text(7);
    l.updated_at = st.text(8);
    out.push_back(std::move(l));
  }
  return out;
}

Result<SummaryExport> SummaryStore::export_summary(const std::string& id, int version,
                                                   ExportFormat format, const std::string& by,
                                                   const ExportOptions& options) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto record, impl_->version_record(id, version));
  if (!record) {
    return Status(Code::kNotFound,
                  fmt::format("there is no version {} of witness summary {}", version, id));
  }
  EVHUB_ASSIGN_OR_RETURN(auto s, impl_->load(*record));
  if (!s) return Status(Code::kErased, "witness summary " + id + " was erased with its witness");
  if (s->status != SummaryStatus::kApproved && !options.draft_watermark) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("version {} of witness summary {} is {}, not approved: only an "
                              "approved version is exported, or a draft with DRAFT on every page",
                              version, id, summary_status_name(s->status)));
  }
  RenderOptions render;
  render.draft_watermark = options.draft_watermark;
  render.people = options.people;
  render.exported_at = now_rfc3339();
  render.exported_by = by;
  hub::Intake provenance;
  provenance.tool = kSummaryExportTool;
  std::string bytes;
  if (format == ExportFormat::kPdf) {
    EVHUB_ASSIGN_OR_RETURN(bytes, render_summary_pdf(*s, render));
    provenance.tool_version = internal::pdf_tool_version();
    provenance.media_type = "application/pdf";
  } else {
    EVHUB_ASSIGN_OR_RETURN(bytes, render_summary_docx(*s, render));
    provenance.tool_version = internal::docx_tool_version();
    provenance.media_type =
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  }
  provenance.tool_parameters = json{
      {"summary", id},
      {"version", version},
      {"format", export_format_name(format)},
      {"draft_watermark", options.draft_watermark},
      {"exported_by", by}}.dump();
  auto stored = impl_->hub.put_derived(fmt::format("export of witness summary {} v{}", id, version),
                                       bytes, *record, provenance);
  crypto::wipe(bytes.data(), bytes.size());
  EVHUB_RETURN_IF_ERROR(stored.status());
  EVHUB_RETURN_IF_ERROR(sync());
  SummaryExport out;
  out.object_id = stored->id;
  out.sha256 = stored->sha256;
  out.size = stored->size;
  out.media_type = provenance.media_type;
  out.deduplicated = stored->deduplicated;
  return out;
}

Result<std::vector<SummaryExportListing>> SummaryStore::exports(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT object_id, version, format, at FROM "
                                           "summary_exports WHERE id = ? ORDER BY at, object_id"));
  st.bind(1, id);
  std::vector<SummaryExportListing> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    SummaryExportListing l;
    l.object_id = st.text(0);
    l.version = static_cast<int>(st.integer(1));
    l.format = st.text(2);
    l.at = st.text(3);
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace evhub::coding
