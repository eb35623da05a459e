#include "collection/collection.h"

#include "collection/records_json.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "crypto/crypto.h"
#include "hub/log_view.h"

namespace evhub::collection {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

// collection.db is derived data: deleting it makes the next open replay the log.
const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "witness register and consent", R"sql(
CREATE TABLE view_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  applied_seq INTEGER NOT NULL
);
INSERT INTO view_state VALUES (1, 0);
CREATE TABLE witnesses (
  code TEXT PRIMARY KEY,
  domain_id TEXT NOT NULL UNIQUE,
  organisation_id TEXT,
  profile TEXT NOT NULL,            -- WitnessProfile as JSON (no personal data)
  profile_version INTEGER NOT NULL,
  registered_at TEXT NOT NULL,
  registered_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  personal_object TEXT,             -- the encrypted personal details, if any
  erased_at TEXT,
  erased_by TEXT,
  erasure_reason TEXT,
  erased_objects INTEGER
);
CREATE INDEX witnesses_by_organisation ON witnesses(organisation_id);
CREATE TABLE consents (
  code TEXT NOT NULL REFERENCES witnesses(code),
  version INTEGER NOT NULL,
  given_on TEXT NOT NULL,
  taken_by TEXT NOT NULL,
  scopes TEXT NOT NULL,             -- JSON array
  renew_by TEXT NOT NULL,
  withdrawn_on TEXT NOT NULL,
  form_object TEXT NOT NULL,
  record_object TEXT NOT NULL,      -- holds the conditions too, encrypted
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (code, version)
);
)sql"},
      {2, "contact log", R"sql(
CREATE TABLE contacts (
  code TEXT NOT NULL REFERENCES witnesses(code),
  seq INTEGER NOT NULL,             -- the custody event that recorded it
  contacted_on TEXT NOT NULL,
  contacted_by TEXT NOT NULL,
  channel TEXT NOT NULL,
  planned INTEGER NOT NULL,
  record_object TEXT NOT NULL,      -- the purpose and notes, encrypted
  PRIMARY KEY (code, seq)
);
)sql"},
      {3, "interviews and witness documents", R"sql(
CREATE TABLE interviews (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL REFERENCES witnesses(code),
  record TEXT NOT NULL,             -- the interview as JSON (no personal data), newest version
  status TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX interviews_by_witness ON interviews(code);
CREATE TABLE documents (
  object_id TEXT PRIMARY KEY,
  code TEXT NOT NULL REFERENCES witnesses(code),
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  language TEXT NOT NULL,
  interview_id TEXT NOT NULL,
  record_object TEXT NOT NULL       -- holds the description, encrypted
);
CREATE INDEX documents_by_witness ON documents(code);
)sql"},
  };
  return kMigrations;
}

template <std::size_t N>
bool one_of(const std::string& value, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* s) { return value == s; });
}

json profile_json(const WitnessProfile& p) {
  return {{"gender", p.gender},
          {"age_band", p.age_band},
          {"country", p.country},
          {"languages", p.languages},
          {"vulnerabilities", p.vulnerabilities},
          {"do_not_contact", p.do_not_contact}};
}

WitnessProfile profile_from(const json& j) {
  WitnessProfile p;
  p.gender = j.value("gender", "undisclosed");
  p.age_band = j.value("age_band", "unknown");
  p.country = j.value("country", "");
  p.languages = j.value("languages", std::vector<std::string>{});
  p.vulnerabilities = j.value("vulnerabilities", std::vector<std::string>{});
  p.do_not_contact = j.value("do_not_contact", false);
  return p;
}

json personal_json(const PersonalDetails& d) {
  return {{"name", d.name},
          {"contacts", d.contacts},
          {"date_of_birth", d.date_of_birth},
          {"address", d.address},
          {"notes", d.notes}};
}

std::string today_utc() {
  return now_rfc3339().substr(0, 10);
}

// Days between two YYYY-MM-DD dates (b - a).
int days_between(const std::string& a, const std::string& b) {
  auto parse = [](const std::string& d) {
    using namespace std::chrono;
    return sys_days{year_month_day{year{std::stoi(d.substr(0, 4))},
                                   month{static_cast<unsigned>(std::stoi(d.substr(5, 2)))},
                                   day{static_cast<unsigned>(std::stoi(d.substr(8, 2)))}}};
  };
  return static_cast<int>((parse(b) - parse(a)).count());
}

}  // namespace

std::optional<std::string> contact_problem(const Contact& c) {
  if (!is_date(c.on)) return "the date must be YYYY-MM-DD";
  if (c.by.empty()) return "say who made (or will make) the contact";
  if (!one_of(c.channel, kContactChannels)) {
    return "channel must be in-person, phone, video, messenger, email or through-third-party";
  }
  return std::nullopt;
}

Status check_witness_code(const std::string& code) {
  const auto dash = code.find('-');
  const bool ok = dash != std::string::npos && dash >= 1 && dash <= 4 &&
                  code.size() - dash - 1 >= 3 && code.size() - dash - 1 <= 8 &&
                  std::all_of(code.begin(), code.begin() + static_cast<long>(dash),
                              [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                  std::all_of(code.begin() + static_cast<long>(dash) + 1, code.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) {
    return Status(Code::kInvalidArgument,
                  "a witness code is 1 to 4 capital letters, a hyphen and 3 to 8 digits, e.g. "
                  "W-00123 (codes, never names)");
  }
  return Status::ok();
}

Status check_profile(const WitnessProfile& p) {
  auto bad = [](const std::string& what) { return Status(Code::kInvalidArgument, what); };
  if (!one_of(p.gender, kGenders)) {
    return bad("gender must be female, male, non-binary or undisclosed");
  }
  if (!one_of(p.age_band, kAgeBands)) {
    return bad("age band must be under-18, 18-29, 30-44, 45-59, 60-plus or unknown");
  }
  if (!p.country.empty() &&
      (p.country.size() != 2 || !std::all_of(p.country.begin(), p.country.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; }))) {
    return bad("country must be a two-letter ISO 3166 code such as BY, LT or PL");
  }
  for (const auto& l : p.languages) {
    if (l.size() < 2 || l.size() > 3 ||
        !std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      return bad("languages are ISO 639 codes such as be, ru or en; got " + l);
    }
  }
  for (const auto& v : p.vulnerabilities) {
    if (!one_of(v, kVulnerabilities)) {
      std::string all;
      for (const char* k : kVulnerabilities) all += std::string(all.empty() ? "" : ", ") + k;
      return bad("unknown vulnerability " + v + "; known: " + all);
    }
  }
  return Status::ok();
}

struct Collection::Impl {
  hub::Hub& hub;
  Database db;

  // A record object's JSON, decrypted. Records are small; anything larger is not a record.
  Result<json> read_record(const std::string& id) {
    EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(id));
    if (reader->size() > (1u << 20)) {
      return Status(Code::kIntegrity, "record " + id + " is larger than any record can be");
    }
    std::string text(static_cast<std::size_t>(reader->size()), '\0');
    EVHUB_ASSIGN_OR_RETURN(
        std::size_t n,
        reader->read(0, {reinterpret_cast<std::uint8_t*>(text.data()), text.size()}));
    text.resize(n);
    json j = json::parse(text, nullptr, false);
    crypto::wipe(text.data(), text.size());
    if (j.is_discarded() || !j.is_object()) {
      return Status(Code::kIntegrity, "record " + id + " is not a JSON object");
    }
    return j;
  }

  Status store_record(const std::string& code, const std::string& organisation_id,
                      const std::string& kind, json record) {
    record["kind"] = kind;
    record["code"] = code;
    record["written_at"] = now_rfc3339();  // also keeps two equal records apart
    std::string text = record.dump();
    auto stored = hub.put_data(kind + " record of " + code, text, code,
                               hub::Intake::record_of(organisation_id, kind));
    crypto::wipe(text.data(), text.size());
    EVHUB_RETURN_IF_ERROR(stored.status());
    return sync();
  }

  Status sync();
  Status apply(const custody::Event& e);
  Status apply_record(const custody::Event& e);
  Status apply_shred(const custody::Event& e);
  Result<std::optional<Witness>> load(const std::string& code);
  Result<std::vector<Consent>> load_consents(const std::string& code);
  Result<std::vector<Contact>> load_contacts(const std::string& code);
};

Status Collection::Impl::sync() {
  return hub::follow_log(db, hub, [this](const custody::Event& e) { return apply(e); });
}

Status Collection::Impl::apply(const custody::Event& e) {
  if (e.action == "put" && e.details.is_object() && e.details.contains("record")) {
    return apply_record(e);
  }
  if (e.action == "shred") return apply_shred(e);
  return Status::ok();
}

Status Collection::Impl::apply_record(const custody::Event& e) {
  const std::string kind = e.details.value("record", "");
  const std::string domain_id = e.details.value("domain_id", "");
  // Other records (signed consent forms, other modules' records) are not this view's to read.
  static const std::vector<std::string> kKinds = {"witness", "personal",  "consent",
                                                  "contact", "interview", "document"};
  if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end()) return Status::ok();
  auto record = read_record(e.object);
  // A record whose domain was shredded later in the log cannot be read any more. Only the
  // witness's registration matters then: it is what the shred that follows turns into the
  // tombstone (the code is the domain's name, the organisation the domain's).
  json r;
  if (record.is_ok()) {
    r = std::move(record).value();
  } else if (record.status().code() == Code::kErased && kind == "witness") {
    EVHUB_ASSIGN_OR_RETURN(auto described, hub.describe(e.object));
    r = {{"code", e.details.value("domain", "")},
         {"organisation_id", described.organisation_id.value_or("")}};
  } else if (record.status().code() == Code::kErased) {
    return Status::ok();
  } else {
    return record.status();
  }
  const std::string code = r.value("code", "");
  if (kind == "witness") {
    const std::string profile = r.value("profile", json::object()).dump();
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("INSERT INTO witnesses(code, domain_id, organisation_id, profile, "
                   "profile_version, registered_at, registered_by, updated_at) "
                   "VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
                   "profile = excluded.profile, profile_version = profile_version + 1, "
                   "updated_at = excluded.updated_at"));
    st.bind(1, code).bind(2, domain_id).bind(3, r.value("organisation_id", ""));
    st.bind(4, profile).bind(5, e.time).bind(6, e.actor).bind(7, e.time);
    return st.run();
  }
  if (kind == "personal") {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("UPDATE witnesses SET personal_object = ? WHERE code = ?"));
    st.bind(1, e.object).bind(2, code);
    return st.run();
  }
  if (kind == "consent") {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("INSERT INTO consents(code, version, given_on, taken_by, scopes, renew_by, "
                   "withdrawn_on, form_object, record_object, recorded_at) VALUES (?, "
                   "(SELECT coalesce(max(version), 0) + 1 FROM consents WHERE code = ?), "
                   "?, ?, ?, ?, ?, ?, ?, ?)"));
    st.bind(1, code)
        .bind(2, code)
        .bind(3, r.value("given_on", ""))
        .bind(4, r.value("taken_by", ""));
    st.bind(5, r.value("scopes", json::array()).dump()).bind(6, r.value("renew_by", ""));
    st.bind(7, r.value("withdrawn_on", "")).bind(8, r.value("form_object", ""));
    st.bind(9, e.object).bind(10, e.time);
    return st.run();
  }
  if (kind == "interview") {
    json iv = r.value("interview", json::object());
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("INSERT INTO interviews(id, code, record, status, recorded_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                   "record = excluded.record, status = excluded.status, "
                   "updated_at = excluded.updated_at"));
    st.bind(1, iv.value("id", "")).bind(2, code).bind(3, iv.dump());
    st.bind(4, iv.value("status", "recorded")).bind(5, e.time).bind(6, e.time);
    return st.run();
  }
  if (kind == "document") {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("INSERT INTO documents(object_id, code, kind, date, language, interview_id, "
                   "record_object) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(object_id) DO UPDATE "
                   "SET kind = excluded.kind, date = excluded.date, language = "
                   "excluded.language, interview_id = excluded.interview_id, record_object = "
                   "excluded.record_object"));
    st.bind(1, r.value("object_id", "")).bind(2, code).bind(3, r.value("document_kind", ""));
    st.bind(4, r.value("date", "")).bind(5, r.value("language", ""));
    st.bind(6, r.value("interview_id", "")).bind(7, e.object);
    return st.run();
  }
  if (kind == "contact") {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("INSERT INTO contacts(code, seq, contacted_on, contacted_by, channel, planned, "
                   "record_object) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st.bind(1, code).bind(2, static_cast<std::int64_t>(e.seq)).bind(3, r.value("on", ""));
    st.bind(4, r.value("by", "")).bind(5, r.value("channel", ""));
    st.bind(6, std::int64_t{r.value("planned", false)}).bind(7, e.object);
    return st.run();
  }
  return Status::ok();
}

Status Collection::Impl::apply_shred(const custody::Event& e) {
  const std::string domain_id = e.details.value("domain_id", "");
  EVHUB_ASSIGN_OR_RETURN(Statement find,
                         db.prepare("SELECT code FROM witnesses WHERE domain_id = ?"));
  find.bind(1, domain_id);
  EVHUB_ASSIGN_OR_RETURN(bool row, find.step());
  if (!row) return Status::ok();
  const std::string code = find.text(0);
  for (const char* table : {"consents", "contacts", "interviews", "documents"}) {
    EVHUB_ASSIGN_OR_RETURN(Statement drop,
                           db.prepare(fmt::format("DELETE FROM {} WHERE code = ?", table)));
    drop.bind(1, code);
    EVHUB_RETURN_IF_ERROR(drop.run());
  }
  // The profile goes too: only what the tombstone needs stays.
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      db.prepare("UPDATE witnesses SET profile = '{}', personal_object = NULL, erased_at = ?, "
                 "erased_by = ?, erasure_reason = ?, erased_objects = ? WHERE code = ?"));
  st.bind(1, e.time).bind(2, e.actor).bind(3, e.details.value("reason", ""));
  st.bind(4, e.details.value("objects", std::int64_t{0})).bind(5, code);
  return st.run();
}

Result<std::optional<Witness>> Collection::Impl::load(const std::string& code) {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      db.prepare("SELECT code, organisation_id, profile, profile_version, registered_at, "
                 "registered_by, updated_at, personal_object, erased_at, erased_by, "
                 "erasure_reason, erased_objects, "
                 "(SELECT count(*) FROM consents c WHERE c.code = w.code) "
                 "FROM witnesses w WHERE code = ?"));
  st.bind(1, code);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return std::optional<Witness>();
  Witness w;
  w.code = st.text(0);
  w.organisation_id = st.text(1);
  w.profile = profile_from(json::parse(st.text(2), nullptr, false));
  w.profile_version = static_cast<int>(st.integer(3));
  w.registered_at = st.text(4);
  w.registered_by = st.text(5);
  w.updated_at = st.text(6);
  w.has_personal_details = st.optional_text(7).has_value();
  w.erased = st.optional_text(8).has_value();
  w.erased_at = st.optional_text(8).value_or("");
  w.erased_by = st.optional_text(9).value_or("");
  w.erasure_reason = st.optional_text(10).value_or("");
  w.erased_objects = st.integer(11);
  w.consent_versions = static_cast<int>(st.integer(12));
  if (w.consent_versions > 0) {
    EVHUB_ASSIGN_OR_RETURN(auto all, load_consents(code));
    w.consent = all.back();
  }
  return std::optional<Witness>(std::move(w));
}

Result<std::vector<Consent>> Collection::Impl::load_consents(const std::string& code) {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      db.prepare("SELECT version, given_on, taken_by, scopes, renew_by, withdrawn_on, form_object "
                 "FROM consents WHERE code = ? ORDER BY version"));
  st.bind(1, code);
  std::vector<Consent> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    Consent c;
    c.version = static_cast<int>(st.integer(0));
    c.given_on = st.text(1);
    c.taken_by = st.text(2);
    c.scopes = json::parse(st.text(3), nullptr, false).get<std::vector<std::string>>();
    c.renew_by = st.text(4);
    c.withdrawn_on = st.text(5);
    c.form_object = st.text(6);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Contact>> Collection::Impl::load_contacts(const std::string& code) {
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         db.prepare("SELECT contacted_on, contacted_by, channel, planned FROM "
                                    "contacts WHERE code = ? ORDER BY contacted_on, seq"));
  st.bind(1, code);
  std::vector<Contact> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    Contact c;
    c.on = st.text(0);
    c.by = st.text(1);
    c.channel = st.text(2);
    c.planned = st.integer(3) != 0;
    out.push_back(std::move(c));
  }
  return out;
}

Collection::Collection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Collection::~Collection() = default;

Result<std::unique_ptr<Collection>> Collection::open(hub::Hub& hub) {
  const std::string path = hub.layout().collection();
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(path, true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "collection.db"));
  auto c = std::unique_ptr<Collection>(
      new Collection(std::unique_ptr<Impl>(new Impl{hub, std::move(db)})));
  EVHUB_RETURN_IF_ERROR(c->sync());
  return c;
}

Status Collection::sync() {
  return impl_->sync();
}

Result<Witness> Collection::register_witness(const std::string& code,
                                             const std::string& organisation_id,
                                             const WitnessProfile& profile,
                                             const std::optional<PersonalDetails>& personal) {
  EVHUB_RETURN_IF_ERROR(check_witness_code(code));
  EVHUB_RETURN_IF_ERROR(check_profile(profile));
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto existing, impl_->load(code));
  if (existing) {
    return Status(Code::kAlreadyExists,
                  existing->erased ? code +
                                         " belonged to a witness who was erased; codes are "
                                         "never reused"
                                   : code + " is already registered");
  }
  EVHUB_RETURN_IF_ERROR(impl_->store_record(
      code, organisation_id, "witness",
      {{"organisation_id", organisation_id}, {"profile", profile_json(profile)}}));
  if (personal) EVHUB_RETURN_IF_ERROR(set_personal_details(code, *personal));
  EVHUB_ASSIGN_OR_RETURN(auto w, impl_->load(code));
  if (!w) return Status(Code::kIntegrity, "the new witness " + code + " is not in the register");
  return *w;
}

Result<Witness> Collection::update_profile(const std::string& code, const WitnessProfile& profile) {
  EVHUB_RETURN_IF_ERROR(check_profile(profile));
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code);
  if (w->erased) return Status(Code::kErased, code + " was erased on " + w->erased_at);
  EVHUB_RETURN_IF_ERROR(impl_->store_record(
      code, w->organisation_id, "witness",
      {{"organisation_id", w->organisation_id}, {"profile", profile_json(profile)}}));
  EVHUB_ASSIGN_OR_RETURN(auto updated, impl_->load(code));
  return *updated;
}

Status Collection::set_personal_details(const std::string& code, const PersonalDetails& personal) {
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code);
  if (w->erased) return Status(Code::kErased, code + " was erased on " + w->erased_at);
  return impl_->store_record(code, w->organisation_id, "personal",
                             {{"details", personal_json(personal)}});
}

Result<PersonalDetails> Collection::personal_details(const std::string& code) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT personal_object, erased_at FROM witnesses "
                                           "WHERE code = ?"));
  st.bind(1, code);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "no witness " + code);
  if (st.optional_text(1)) return Status(Code::kErased, code + " was erased");
  auto object = st.optional_text(0);
  if (!object) return Status(Code::kNotFound, "no personal details are recorded for " + code);
  EVHUB_ASSIGN_OR_RETURN(json r, impl_->read_record(*object));
  const json d = r.value("details", json::object());
  PersonalDetails p{d.value("name", ""), d.value("contacts", ""), d.value("date_of_birth", ""),
                    d.value("address", ""), d.value("notes", "")};
  return p;
}

Result<std::optional<Witness>> Collection::witness(const std::string& code) {
  EVHUB_RETURN_IF_ERROR(sync());
  return impl_->load(code);
}

Result<std::vector<Witness>> Collection::witnesses(
    const std::vector<std::string>& organisation_ids) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT code, organisation_id FROM witnesses "
                                           "ORDER BY code"));
  std::vector<std::string> codes;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    if (!organisation_ids.empty() && std::find(organisation_ids.begin(), organisation_ids.end(),
                                               st.text(1)) == organisation_ids.end()) {
      continue;
    }
    codes.push_back(st.text(0));
  }
  std::vector<Witness> out;
  for (const auto& code : codes) {
    EVHUB_ASSIGN_OR_RETURN(auto w, impl_->load(code));
    if (w) out.push_back(std::move(*w));
  }
  return out;
}

Result<Consent> Collection::add_consent(const std::string& code, const Consent& consent) {
  if (auto problem = consent_problem(consent)) {
    return Status(Code::kInvalidArgument, "consent for " + code + ": " + *problem);
  }
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code);
  if (w->erased) return Status(Code::kErased, code + " was erased on " + w->erased_at);
  EVHUB_RETURN_IF_ERROR(
      impl_->store_record(code, w->organisation_id, "consent", consent_json(consent, true)));
  EVHUB_ASSIGN_OR_RETURN(auto all, impl_->load_consents(code));
  return all.back();
}

Result<std::vector<Consent>> Collection::consents(const std::string& code) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto all, impl_->load_consents(code));
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare("SELECT record_object FROM consents WHERE code = ? ORDER BY version"));
  st.bind(1, code);
  for (auto& c : all) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    EVHUB_ASSIGN_OR_RETURN(json r, impl_->read_record(st.text(0)));
    c.conditions = r.value("conditions", "");
  }
  return all;
}

Result<ConsentDecision> Collection::allows(const std::string& code, Purpose purpose,
                                           Recipient recipient, const std::string& today) {
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code);
  if (w->erased) return ConsentDecision{false, code + ": erased on " + w->erased_at};
  EVHUB_ASSIGN_OR_RETURN(auto history, impl_->load_consents(code));
  return consent_allows(code, history, purpose, recipient, today.empty() ? today_utc() : today);
}

Result<std::vector<ConsentGap>> Collection::consent_gaps(
    const std::vector<std::string>& organisation_ids, Purpose purpose, Recipient recipient,
    const std::string& today, int within_days) {
  const std::string day = today.empty() ? today_utc() : today;
  EVHUB_ASSIGN_OR_RETURN(auto all, witnesses(organisation_ids));
  std::vector<ConsentGap> gaps;
  for (const auto& w : all) {
    if (w.erased) continue;
    EVHUB_ASSIGN_OR_RETURN(auto history, impl_->load_consents(w.code));
    const ConsentDecision d = consent_allows(w.code, history, purpose, recipient, day);
    if (!d.allowed) {
      // Refused with a valid consent: it does not cover this purpose.
      const std::string state = consent_state(w.consent, day);
      gaps.push_back(
          {w.code, w.organisation_id, state == "valid" ? "too-narrow" : state, d.reason});
    } else if (!history.back().renew_by.empty() &&
               days_between(day, history.back().renew_by) <= within_days) {
      gaps.push_back({w.code, w.organisation_id, "expiring",
                      fmt::format("{}: consent v{} must be renewed by {}", w.code,
                                  history.back().version, history.back().renew_by)});
    }
  }
  return gaps;
}

std::vector<std::string> Collection::contact_warnings(const Witness& w,
                                                      const std::vector<Contact>& history,
                                                      const std::string& on) {
  std::vector<std::string> warnings;
  if (w.profile.do_not_contact) warnings.push_back(w.code + " is marked not to be contacted");
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->planned || it->on > on) continue;
    const int days = days_between(it->on, on);
    if (days <= kRecentContactDays) {
      warnings.push_back(
          fmt::format("{} was contacted {} days before, on {} by {} ({}); avoid "
                      "interviewing them again",
                      w.code, days, it->on, it->by, it->channel));
    }
    break;
  }
  std::vector<Consent> consents;
  if (w.consent) consents.push_back(*w.consent);
  const ConsentDecision d =
      consent_allows(w.code, consents, Purpose::kRecontact, Recipient::kNone, on);
  if (!d.allowed && !consents.empty()) warnings.push_back(d.reason);
  return warnings;
}

Result<std::vector<std::string>> Collection::check_contact(const std::string& code,
                                                           const std::string& on) {
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code);
  if (w->erased) return Status(Code::kErased, code + " was erased on " + w->erased_at);
  EVHUB_ASSIGN_OR_RETURN(auto history, impl_->load_contacts(code));
  return contact_warnings(*w, history, on.empty() ? today_utc() : on);
}

Result<std::vector<std::string>> Collection::log_contact(const std::string& code,
                                                         const Contact& contact) {
  if (auto problem = contact_problem(contact)) {
    return Status(Code::kInvalidArgument, "contact with " + code + ": " + *problem);
  }
  EVHUB_ASSIGN_OR_RETURN(auto warnings, check_contact(code, contact.on));
  EVHUB_ASSIGN_OR_RETURN(auto w, impl_->load(code));
  EVHUB_RETURN_IF_ERROR(impl_->store_record(code, w->organisation_id, "contact",
                                            {{"on", contact.on},
                                             {"by", contact.by},
                                             {"channel", contact.channel},
                                             {"planned", contact.planned},
                                             {"purpose", contact.purpose}}));
  return warnings;
}

Result<std::vector<Contact>> Collection::contacts(const std::string& code) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto all, impl_->load_contacts(code));
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare(
          "SELECT record_object FROM contacts WHERE code = ? ORDER BY contacted_on, seq"));
  st.bind(1, code);
  for (auto& c : all) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    EVHUB_ASSIGN_OR_RETURN(json r, impl_->read_record(st.text(0)));
    c.purpose = r.value("purpose", "");
  }
  return all;
}

namespace {

Interview interview_from(const std::string& code, const json& j) {
  Interview iv;
  iv.id = j.value("id", "");
  iv.code = code;
  iv.on = j.value("on", "");
  iv.place = j.value("place", "");
  iv.remote = j.value("remote", false);
  iv.interviewer = j.value("interviewer", "");
  iv.languages = j.value("languages", std::vector<std::string>{});
  iv.recordings = j.value("recordings", std::vector<std::string>{});
  iv.transcript = j.value("transcript", "");
  iv.translations = j.value("translations", std::vector<std::string>{});
  iv.status = j.value("status", "recorded");
  return iv;
}

int status_rank(const std::string& status) {
  for (int i = 0; i < static_cast<int>(std::size(kInterviewStatuses)); ++i) {
    if (status == kInterviewStatuses[i]) return i;
  }
  return -1;
}

}  // namespace

Status Collection::check_objects_of(const std::string& code, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (id.empty()) continue;
    auto d = impl_->hub.describe(id);
    if (!d.is_ok() || d->domain != code || d->record.record) {
      return Status(Code::kInvalidArgument,
                    "object " + id + " is not evidence in the key domain of " + code);
    }
  }
  return Status::ok();
}

Result<Interview> Collection::store_interview(const Interview& iv, const Witness& w) {
  if (!is_date(iv.on))
    return Status(Code::kInvalidArgument, "the interview date must be YYYY-MM-DD");
  if (iv.interviewer.empty()) return Status(Code::kInvalidArgument, "name the interviewer");
  if (!iv.remote && iv.place.empty()) {
    return Status(Code::kInvalidArgument, "give the place, or say the interview was remote");
  }
  if (status_rank(iv.status) < 0) {
    return Status(Code::kInvalidArgument,
                  "status must be recorded, transcribed, translated, "
                  "coded or summarised");
  }
  std::vector<std::string> objects = iv.recordings;
  objects.push_back(iv.transcript);
  objects.insert(objects.end(), iv.translations.begin(), iv.translations.end());
  EVHUB_RETURN_IF_ERROR(check_objects_of(iv.code, objects));
  EVHUB_RETURN_IF_ERROR(impl_->store_record(iv.code, w.organisation_id, "interview",
                                            {{"interview", interview_json(iv)}}));
  return iv;
}

Result<Interview> Collection::record_interview(Interview iv) {
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(iv.code));
  if (!w) return Status(Code::kNotFound, "no witness " + iv.code);
  if (w->erased) return Status(Code::kErased, iv.code + " was erased on " + w->erased_at);
  iv.id = "iv-" + random_name();
  return store_interview(iv, *w);
}

Result<Interview> Collection::update_interview(const Interview& iv) {
  EVHUB_ASSIGN_OR_RETURN(auto all, interviews(iv.code));
  auto old =
      std::find_if(all.begin(), all.end(), [&](const Interview& i) { return i.id == iv.id; });
  if (old == all.end()) return Status(Code::kNotFound, "no interview " + iv.id + " of " + iv.code);
  if (status_rank(iv.status) < status_rank(old->status)) {
    return Status(Code::kFailedPrecondition, "interview " + iv.id + " is already " + old->status +
                                                 "; its status only moves forward");
  }
  EVHUB_ASSIGN_OR_RETURN(auto w, impl_->load(iv.code));
  return store_interview(iv, *w);
}

Result<std::vector<Interview>> Collection::interviews(const std::string& code) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT record FROM interviews WHERE code = ? "
                                           "ORDER BY recorded_at, id"));
  st.bind(1, code);
  std::vector<Interview> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(interview_from(code, json::parse(st.text(0), nullptr, false)));
  }
  return out;
}

Result<std::optional<Interview>> Collection::interview(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT code, record FROM interviews WHERE id = ?"));
  st.bind(1, id);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return std::optional<Interview>();
  return std::optional<Interview>(
      interview_from(st.text(0), json::parse(st.text(1), nullptr, false)));
}

Result<WitnessDocument> Collection::add_document(const WitnessDocument& d) {
  if (!one_of(d.kind, kDocumentKinds)) {
    return Status(Code::kInvalidArgument,
                  "kind must be medical, court, official, photo, video, audio or other");
  }
  if (!d.date.empty() && !is_date(d.date)) {
    return Status(Code::kInvalidArgument, "the document date must be YYYY-MM-DD");
  }
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(d.code));
  if (!w) return Status(Code::kNotFound, "no witness " + d.code);
  if (w->erased) return Status(Code::kErased, d.code + " was erased on " + w->erased_at);
  EVHUB_RETURN_IF_ERROR(check_objects_of(d.code, {d.object_id}));
  if (!d.interview_id.empty()) {
    EVHUB_ASSIGN_OR_RETURN(auto all, interviews(d.code));
    if (std::none_of(all.begin(), all.end(),
                     [&](const Interview& i) { return i.id == d.interview_id; })) {
      return Status(Code::kNotFound, "no interview " + d.interview_id + " of " + d.code);
    }
  }
  EVHUB_RETURN_IF_ERROR(impl_->store_record(d.code, w->organisation_id, "document",
                                            {{"object_id", d.object_id},
                                             {"document_kind", d.kind},
                                             {"date", d.date},
                                             {"language", d.language},
                                             {"description", d.description},
                                             {"interview_id", d.interview_id}}));
  return d;
}

Result<std::vector<WitnessDocument>> Collection::documents(const std::string& code) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare("SELECT object_id, kind, date, language, interview_id, record_object "
                        "FROM documents WHERE code = ? ORDER BY date, object_id"));
  st.bind(1, code);
  std::vector<WitnessDocument> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    WitnessDocument d{st.text(0), code, st.text(1), st.text(2), st.text(3), "", st.text(4)};
    EVHUB_ASSIGN_OR_RETURN(json rec, impl_->read_record(st.text(5)));
    d.description = rec.value("description", "");
    out.push_back(std::move(d));
  }
  return out;
}

Result<hub::ShredReport> Collection::erase(const std::string& code, const std::string& reason) {
  EVHUB_ASSIGN_OR_RETURN(auto w, witness(code));
  if (!w) return Status(Code::kNotFound, "no witness " + code);
  if (w->erased) return Status(Code::kErased, code + " was already erased on " + w->erased_at);
  EVHUB_ASSIGN_OR_RETURN(auto report, impl_->hub.shred(code, reason));
  EVHUB_RETURN_IF_ERROR(sync());
  return report;
}

json witness_json(const Witness& w) {
  json j = {{"code", w.code}, {"erased", w.erased}};
  if (w.erased) {
    j["erased_at"] = w.erased_at;
    j["erased_by"] = w.erased_by;
    j["erasure_reason"] = w.erasure_reason;
    j["erased_objects"] = w.erased_objects;
    return j;
  }
  j["gender"] = w.profile.gender;
  j["age_band"] = w.profile.age_band;
  j["country"] = w.profile.country;
  j["languages"] = w.profile.languages;
  j["vulnerabilities"] = w.profile.vulnerabilities;
  j["do_not_contact"] = w.profile.do_not_contact;
  j["registered_at"] = w.registered_at;
  j["has_personal_details"] = w.has_personal_details;
  j["consent_versions"] = w.consent_versions;
  return j;
}

json consent_json(const Consent& c, bool with_conditions) {
  json j = {
      {"given_on", c.given_on}, {"taken_by", c.taken_by},         {"scopes", c.scopes},
      {"renew_by", c.renew_by}, {"withdrawn_on", c.withdrawn_on}, {"form_object", c.form_object}};
  if (c.version > 0) j["version"] = c.version;
  if (with_conditions) j["conditions"] = c.conditions;
  return j;
}

json interview_json(const Interview& iv) {
  return {{"id", iv.id},
          {"on", iv.on},
          {"place", iv.place},
          {"remote", iv.remote},
          {"interviewer", iv.interviewer},
          {"languages", iv.languages},
          {"recordings", iv.recordings},
          {"transcript", iv.transcript},
          {"translations", iv.translations},
          {"status", iv.status}};
}

}  // namespace evhub::collection
