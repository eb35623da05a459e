#include "collection/import.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <csv.h>
#include <fmt/format.h>

#include "collection/processing.h"
#include "core/clock.h"
#include "core/text.h"

namespace evhub::collection {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kColumns = {
    "record",      "witness",   "organisation",    "gender",         "age_band",
    "country",     "languages", "vulnerabilities", "do_not_contact", "date",
    "by",          "scopes",    "renew_by",        "withdrawn_on",   "conditions",
    "key",         "place",     "remote",          "file",           "transcript",
    "sensitivity", "kind",      "language",        "description",    "interview"};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ';');) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// libcsv hands over fields and row ends; this keeps rows with the line each started on.
// One manifest is one import: far larger ones are refused (split them), so that a malformed
// or hostile manifest cannot make the checker hold gigabytes of cells and problems.
constexpr std::size_t kMaxFields = 2'000'000;
constexpr std::size_t kMaxProblems = 1000;

struct CsvReader {
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
  std::vector<std::string> row;
  int line = 1;      // where the current row started
  int newlines = 0;  // inside the current row's quoted fields
  std::size_t fields = 0;
  bool too_large = false;  // more than kMaxFields: the rest is not kept
  static void field(void* data, std::size_t len, void* self_ptr) {
    auto* self = static_cast<CsvReader*>(self_ptr);
    if (++self->fields > kMaxFields) {
      self->too_large = true;
      return;
    }
    std::string value(static_cast<const char*>(data), len);
    self->newlines += static_cast<int>(std::count(value.begin(), value.end(), '\n'));
    self->row.push_back(std::move(value));
  }
  static void end(int, void* self_ptr) {
    auto* self = static_cast<CsvReader*>(self_ptr);
    self->rows.push_back(std::move(self->row));
    self->lines.push_back(self->line);
    self->line += 1 + self->newlines;
    self->row.clear();
    self->newlines = 0;
  }
};

struct Checker {
  Manifest& m;
  Collection& collection;
  const std::map<std::string, std::string>& organisations;
  std::map<std::string, int> column_of;  // 1-based
  std::set<std::string> witnesses;       // registered here or before
  std::set<std::string> interview_keys;

  void problem(const ManifestRow& r, const std::string& column, const std::string& message) {
    auto it = column_of.find(column);
    m.problems.push_back({r.line, it == column_of.end() ? 0 : it->second, message});
  }
  const std::string& get(const ManifestRow& r, const std::string& column) {
    static const std::string empty;
    auto it = r.fields.find(column);
    return it == r.fields.end() ? empty : it->second;
  }
  void need(const ManifestRow& r, const std::string& column, const std::string& what) {
    if (get(r, column).empty()) problem(r, column, what + " needs " + column);
  }
  void date(const ManifestRow& r, const std::string& column, bool required) {
    const std::string& d = get(r, column);
    if (d.empty() ? required : !is_date(d)) problem(r, column, column + " must be YYYY-MM-DD");
  }
  void files(const ManifestRow& r, const std::string& column) {
    for (const auto& f : split_list(get(r, column))) {
      if (m.uploaded) {
        if (!m.uploaded->count(f)) problem(r, column, "no file " + f + " was uploaded with it");
        continue;
      }
      std::error_code ec;
      if (!fs::is_regular_file(fs::path(m.folder) / f, ec)) {
        problem(r, column, "no file " + f + " beside the manifest");
      }
    }
  }
  // A witness registered before, in an organisation the importer may not work in: nothing of
  // theirs may be added (an importer of one partner must not reach another's witnesses).
  void outside_organisations(const ManifestRow& r, const Witness& w) {
    const bool ours = std::any_of(organisations.begin(), organisations.end(),
                                  [&](const auto& o) { return o.second == w.organisation_id; });
    if (!ours) {
      problem(r, "witness", w.code + " is registered in an organisation you may not import into");
    }
  }
  void yes_no(const ManifestRow& r, const std::string& column) {
    const std::string& v = get(r, column);
    if (!v.empty() && v != "yes" && v != "no") problem(r, column, column + " must be yes or no");
  }
  void sensitivity(const ManifestRow& r) {
    const std::string& s = get(r, "sensitivity");
    if (!s.empty() && !catalog::is_sensitivity(s)) {
      problem(r, "sensitivity", "sensitivity must be normal, health or sexual-violence");
    }
  }

  void check(const ManifestRow& r) {
    const std::string& record = get(r, "record");
    const std::string& code = get(r, "witness");
    if (Status st = check_witness_code(code); !st.is_ok()) problem(r, "witness", st.message());
    if (record == "witness") {
      if (!organisations.count(get(r, "organisation"))) {
        problem(r, "organisation", "no organisation \"" + get(r, "organisation") + "\"");
      }
      WitnessProfile p = profile_of(r);
      if (Status st = check_profile(p); !st.is_ok()) problem(r, "", st.message());
      yes_no(r, "do_not_contact");
      if (auto known = collection.witness(code); known.is_ok() && *known) {
        if ((*known)->erased) {
          problem(r, "witness", code + " belonged to an erased witness; codes are never reused");
        } else {
          outside_organisations(r, **known);
        }
      }
      witnesses.insert(code);
      return;
    }
    if (!witnesses.count(code)) {
      auto known = collection.witness(code);
      if (!known.is_ok() || !*known || (*known)->erased) {
        problem(r, "witness", code + " is neither registered nor a witness row above");
      } else {
        outside_organisations(r, **known);
      }
      witnesses.insert(code);
    }
    if (record == "consent") {
      // consent_problem() stops at the first fault; here each one is named at its column.
      date(r, "date", true);
      date(r, "renew_by", false);
      date(r, "withdrawn_on", false);
      need(r, "by", "a consent");
      for (const auto& scope : split_list(get(r, "scopes"))) {
        if (!is_scope(scope)) problem(r, "scopes", "unknown scope " + scope);
      }
      const Consent c = consent_of(r);
      if (is_date(c.given_on) && is_date(c.renew_by) && c.renew_by < c.given_on) {
        problem(r, "renew_by", "renew_by comes before the date it was given");
      }
    } else if (record == "interview") {
      date(r, "date", true);
      need(r, "by", "an interview");
      yes_no(r, "remote");
      if (get(r, "place").empty() && get(r, "remote") != "yes") {
        problem(r, "place", "give the place, or remote = yes");
      }
      files(r, "file");
      files(r, "transcript");
      sensitivity(r);
      if (!get(r, "key").empty() && !interview_keys.insert(get(r, "key")).second) {
        problem(r, "key", "interview key " + get(r, "key") + " is used twice");
      }
    } else if (record == "document") {
      need(r, "file", "a document");
      files(r, "file");
      const std::string& kind = get(r, "kind");
      if (std::none_of(std::begin(kDocumentKinds), std::end(kDocumentKinds),
                       [&](const char* k) { return kind == k; })) {
        problem(r, "kind", "kind must be medical, court, official, photo, video, audio or other");
      }
      date(r, "date", false);
      sensitivity(r);
      if (!get(r, "interview").empty() && !interview_keys.count(get(r, "interview"))) {
        problem(r, "interview", "no interview row above has key " + get(r, "interview"));
      }
    } else {
      problem(r, "record", "record must be witness, consent, interview or document");
    }
  }

  WitnessProfile profile_of(const ManifestRow& r) {
    WitnessProfile p;
    if (!get(r, "gender").empty()) p.gender = get(r, "gender");
    if (!get(r, "age_band").empty()) p.age_band = get(r, "age_band");
    p.country = get(r, "country");
    p.languages = split_list(get(r, "languages"));
    p.vulnerabilities = split_list(get(r, "vulnerabilities"));
    p.do_not_contact = get(r, "do_not_contact") == "yes";
    return p;
  }
  Consent consent_of(const ManifestRow& r) {
    Consent c;
    c.given_on = get(r, "date");
    c.taken_by = get(r, "by");
    c.scopes = split_list(get(r, "scopes"));
    c.renew_by = get(r, "renew_by");
    c.withdrawn_on = get(r, "withdrawn_on");
    c.conditions = get(r, "conditions");
    return c;
  }
};

// Checks the manifest's text into `m` (which says where its files are).
Result<Manifest> check_text(const std::string& csv, Manifest m, Collection& collection,
                            const std::map<std::string, std::string>& organisations) {
  if (!is_valid_utf8(csv)) {
    m.problems.push_back({1, 0, "the manifest is not UTF-8 text"});
    return m;
  }
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return Status(Code::kIoError, "cannot start the CSV parser");
  }
  CsvReader reader;
  const std::size_t used =
      csv_parse(&parser, csv.data(), csv.size(), CsvReader::field, CsvReader::end, &reader);
  const bool parsed =
      used == csv.size() && csv_fini(&parser, CsvReader::field, CsvReader::end, &reader) == 0;
  const std::string error = parsed ? "" : csv_strerror(csv_error(&parser));
  csv_free(&parser);
  if (!parsed) {
    m.problems.push_back({reader.line, 0, "not valid CSV here: " + error});
    return m;
  }
  if (reader.too_large) {
    m.problems.push_back(
        {1, 0,
         fmt::format("the manifest has more than {} fields; split it into several imports",
                     kMaxFields)});
    return m;
  }
  if (reader.rows.empty()) {
    m.problems.push_back({1, 0, "the manifest is empty; it needs a header row"});
    return m;
  }
  Checker checker{m, collection, organisations, {}, {}, {}};
  const auto& header = reader.rows[0];
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (std::find(kColumns.begin(), kColumns.end(), header[c]) == kColumns.end()) {
      m.problems.push_back({1, static_cast<int>(c + 1), "unknown column \"" + header[c] + "\""});
    } else if (!checker.column_of.emplace(header[c], static_cast<int>(c + 1)).second) {
      m.problems.push_back({1, static_cast<int>(c + 1), "column " + header[c] + " appears twice"});
    }
  }
  for (const char* needed : {"record", "witness"}) {
    if (!checker.column_of.count(needed)) {
      m.problems.push_back({1, 0, std::string("the header needs a column ") + needed});
    }
  }
  if (!m.problems.empty()) return m;
  for (std::size_t i = 1; i < reader.rows.size(); ++i) {
    const auto& cells = reader.rows[i];
    ManifestRow row;
    row.line = reader.lines[i];
    if (cells.size() == 1 && cells[0].empty()) continue;  // a blank line
    if (cells.size() > header.size()) {
      m.problems.push_back(
          {row.line, static_cast<int>(header.size() + 1),
           fmt::format("{} fields, but the header has {}", cells.size(), header.size())});
      continue;
    }
    for (std::size_t c = 0; c < cells.size(); ++c) row.fields[header[c]] = cells[c];
    checker.check(row);
    m.rows.push_back(std::move(row));
  }
  std::stable_sort(m.problems.begin(), m.problems.end(),
                   [](const ManifestProblem& a, const ManifestProblem& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (m.problems.size() > kMaxProblems) {
    const std::size_t more = m.problems.size() - kMaxProblems;
    m.problems.resize(kMaxProblems);
    m.problems.push_back(
        {m.problems.back().line, 0,
         fmt::format("and {} more problems; correct these and check the manifest again", more)});
  }
  return m;
}

}  // namespace

Result<Manifest> read_manifest(const std::string& path, Collection& collection,
                               const std::map<std::string, std::string>& organisations) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kNotFound, "cannot read the manifest " + path);
  std::ostringstream text;
  text << in.rdbuf();
  Manifest m;
  m.folder = fs::path(path).parent_path().string();
  return check_text(std::move(text).str(), std::move(m), collection, organisations);
}

Result<Manifest> check_manifest(const std::string& csv, std::shared_ptr<const UploadedFiles> files,
                                Collection& collection,
                                const std::map<std::string, std::string>& organisations) {
  Manifest m;
  m.uploaded = std::move(files);
  if (!m.uploaded) m.uploaded = std::make_shared<const UploadedFiles>();
  return check_text(csv, std::move(m), collection, organisations);
}

Result<ImportReport> import_manifest(const Manifest& m, Collection& collection, hub::Hub& hub,
                                     jobs::JobQueue& queue,
                                     const std::map<std::string, std::string>& organisations,
                                     const std::function<void(int, int)>& progress) {
  if (!m.problems.empty()) {
    return Status(Code::kInvalidArgument, "the manifest has problems; nothing was imported");
  }
  Manifest unused{};
  Checker fields{unused, collection, organisations, {}, {}, {}};
  ImportReport report;
  std::map<std::string, std::string> interview_ids;  // manifest key -> interview id
  // Stores files (deduplicated by the hub) in the witness's domain; new ones are queued.
  auto store = [&](const Witness& w, const std::vector<std::string>& files,
                   const std::string& sensitivity) -> Result<std::vector<std::string>> {
    const auto intake =
        hub::Intake::evidence(w.organisation_id, sensitivity.empty() ? "normal" : sensitivity);
    if (!m.uploaded) {
      std::vector<std::string> paths;
      for (const auto& f : files) paths.push_back((fs::path(m.folder) / f).string());
      return store_for_processing(hub, queue, paths, w.code, intake);
    }
    // Files uploaded with the manifest (the API's import) are stored from memory.
    std::vector<std::string> ids;
    for (const auto& f : files) {
      EVHUB_ASSIGN_OR_RETURN(auto s, hub.put_data(f, m.uploaded->at(f), w.code, intake));
      ids.push_back(s.id);
      if (!s.deduplicated) EVHUB_RETURN_IF_ERROR(enqueue_processing(queue, s.id, now_millis()));
    }
    return ids;
  };
  int done = 0;
  for (const ManifestRow& r : m.rows) {
    const std::string& record = fields.get(r, "record");
    const std::string& code = fields.get(r, "witness");
    const auto context = fmt::format("line {}", r.line);
    EVHUB_ASSIGN_OR_RETURN(auto existing, collection.witness(code));
    if (record == "witness") {
      if (existing) {
        ++report.skipped;
      } else {
        auto w = collection.register_witness(code, organisations.at(fields.get(r, "organisation")),
                                             fields.profile_of(r), std::nullopt);
        if (!w.is_ok()) return w.status().with_context(context);
        ++report.witnesses;
      }
    } else if (record == "consent") {
      const Consent c = fields.consent_of(r);
      EVHUB_ASSIGN_OR_RETURN(auto history, collection.consents(code));
      const bool present = std::any_of(history.begin(), history.end(), [&](const Consent& h) {
        return h.given_on == c.given_on && h.taken_by == c.taken_by && h.scopes == c.scopes &&
               h.withdrawn_on == c.withdrawn_on && h.renew_by == c.renew_by;
      });
      if (present) {
        ++report.skipped;
      } else {
        auto added = collection.add_consent(code, c);
        if (!added.is_ok()) return added.status().with_context(context);
        ++report.consents;
      }
    } else if (record == "interview") {
      EVHUB_ASSIGN_OR_RETURN(auto recordings, store(*existing, split_list(fields.get(r, "file")),
                                                    fields.get(r, "sensitivity")));
      EVHUB_ASSIGN_OR_RETURN(
          auto transcript,
          store(*existing, split_list(fields.get(r, "transcript")), fields.get(r, "sensitivity")));
      EVHUB_ASSIGN_OR_RETURN(auto held, collection.interviews(code));
      auto same = std::find_if(held.begin(), held.end(), [&](const Interview& iv) {
        return iv.on == fields.get(r, "date") && iv.interviewer == fields.get(r, "by") &&
               iv.recordings == recordings;
      });
      if (same != held.end()) {
        ++report.skipped;
        interview_ids[fields.get(r, "key")] = same->id;
      } else {
        Interview iv;
        iv.code = code;
        iv.on = fields.get(r, "date");
        iv.interviewer = fields.get(r, "by");
        iv.place = fields.get(r, "place");
        iv.remote = fields.get(r, "remote") == "yes";
        iv.languages = split_list(fields.get(r, "languages"));
        iv.recordings = recordings;
        if (!transcript.empty()) {
          iv.transcript = transcript.front();
          iv.status = "transcribed";
        }
        auto recorded = collection.record_interview(iv);
        if (!recorded.is_ok()) return recorded.status().with_context(context);
        interview_ids[fields.get(r, "key")] = recorded->id;
        ++report.interviews;
      }
    } else if (record == "document") {
      std::string sensitivity = fields.get(r, "sensitivity");
      if (sensitivity.empty() && fields.get(r, "kind") == "medical") sensitivity = "health";
      EVHUB_ASSIGN_OR_RETURN(auto ids,
                             store(*existing, split_list(fields.get(r, "file")), sensitivity));
      EVHUB_ASSIGN_OR_RETURN(auto held, collection.documents(code));
      for (const auto& id : ids) {
        if (std::any_of(held.begin(), held.end(),
                        [&](const WitnessDocument& d) { return d.object_id == id; })) {
          ++report.skipped;
          continue;
        }
        const std::string key = fields.get(r, "interview");
        WitnessDocument d{id,
                          code,
                          fields.get(r, "kind"),
                          fields.get(r, "date"),
                          fields.get(r, "language"),
                          fields.get(r, "description"),
                          key.empty() ? "" : interview_ids[key]};
        auto added = collection.add_document(d);
        if (!added.is_ok()) return added.status().with_context(context);
        ++report.documents;
      }
    }
    if (progress) progress(++done, static_cast<int>(m.rows.size()));
  }
  return report;
}

}  // namespace evhub::collection
