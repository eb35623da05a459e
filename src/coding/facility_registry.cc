// The facility registry: the shipped list (data/places/facilities.json) overlaid by the hub's
// records. Each version stored in the hub is an encrypted record in the "registry" key domain;
// registry.db is a view of them rebuilt from the custody log, holding each facility's newest
// version without its note. The merged list and its name index are kept in memory and rebuilt
// whenever the view has applied events this instance has not seen (another process's too).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "coding/framework_internal.h"
#include "coding/place_names_internal.h"
#include "coding/places.h"

#include "coding/places_internal.h"
#include "coding/record_io.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "hub/log_view.h"

#ifndef EVHUB_DATA_DIR
#error "EVHUB_DATA_DIR must name the repository's data/ folder (set in CMakeLists.txt)"
#endif

namespace evhub::coding {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

constexpr const char* kRecordKind = "facility";
constexpr const char* kFacilitiesFormat = "evhub-facilities/1";
constexpr std::size_t kMaxAddressBytes = 500;
constexpr std::size_t kMaxRecordBytes = 1 << 20;

// registry.db is derived data: deleting it makes the next open replay the log.
const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "follows the custody log", hub::kViewStateSql}, {2, "facilities", R"sql(
CREATE TABLE facilities (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  facility TEXT NOT NULL  -- the newest version as JSON, without its note
);
CREATE TABLE facility_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
)sql"}};
  return kMigrations;
}

template <std::size_t N>
bool one_of(const std::string& value, const char* const (&list)[N]) {
  return std::find_if(std::begin(list), std::end(list),
                      [&](const char* v) { return value == v; }) != std::end(list);
}

template <std::size_t N>
std::string listed(const char* const (&list)[N]) {
  std::string out;
  for (const char* v : list) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

bool is_shipped_id(std::string_view id) {
  if (id.size() < 5 || id.size() > 100 || !id.starts_with("fac-") || id.back() == '-') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_country_code(const std::string& c) {
  return c.size() == 2 &&
         std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; });
}

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

}  // namespace

namespace internal {

std::vector<std::pair<std::string, std::string>> facility_problems(const Facility& f,
                                                                   const Gazetteer& gazetteer) {
  std::vector<std::pair<std::string, std::string>> out;
  auto problem = [&](std::string field, std::string message) {
    out.emplace_back(std::move(field), std::move(message));
  };
  if (!one_of(f.type, kFacilityTypes)) {
    problem("type", fmt::format("\"{}\" is not a facility type (one of: {})", f.type,
                                listed(kFacilityTypes)));
  }
  if (f.names.en.empty() && f.names.be.empty() && f.names.ru.empty()) {
    problem("names", "a facility needs a name in at least one of en, be, ru");
  }
  for (auto [lang, text] : {std::pair<const char*, const std::string*>{"en", &f.names.en},
                            {"be", &f.names.be},
                            {"ru", &f.names.ru}}) {
    const std::string wrong = text_problem(*text, kMaxFacilityNameBytes, false);
    if (!wrong.empty()) problem(std::string("names.") + lang, wrong);
  }
  if (f.variants.size() > kMaxFacilityVariants) {
    problem("variants", fmt::format("more than {}", kMaxFacilityVariants));
  }
  for (std::size_t i = 0; i < f.variants.size(); ++i) {
    const std::string wrong = f.variants[i].empty()
                                  ? "is empty"
                                  : text_problem(f.variants[i], kMaxFacilityNameBytes, false);
    if (!wrong.empty()) problem(fmt::format("variants[{}]", i), wrong);
  }
  if (const std::string wrong = text_problem(f.address, kMaxAddressBytes, false); !wrong.empty()) {
    problem("address", wrong);
  }
  if (const std::string wrong = text_problem(f.note, kMaxFacilityNoteBytes, true); !wrong.empty()) {
    problem("note", wrong);
  }
  if (!one_of(f.precision, kLocationPrecisions)) {
    problem("precision", fmt::format("\"{}\" is not site, city or district", f.precision));
  }
  const bool site = f.precision == "site";
  if (!is_country_code(f.country)) {
    problem("country", fmt::format("\"{}\" is not a two-letter country code (BY)", f.country));
  } else if (f.country != "BY") {
    // Abroad: a place of flight, a border crossing. The gazetteer covers Belarus only.
    if (f.type != "other-site") {
      problem("country",
              fmt::format("a {} must be in Belarus; only an other-site can be abroad", f.type));
    }
    if (!f.place_id.empty()) {
      problem("place_id", "a site abroad has no place in the gazetteer of Belarus; leave it empty");
    }
    if (!site) problem("precision", "a site abroad is located by its own coordinates: site");
    if (site && !(std::isfinite(f.latitude) && std::isfinite(f.longitude) &&
                  std::abs(f.latitude) <= 90 && std::abs(f.longitude) <= 180)) {
      problem("latitude",
              fmt::format("{}, {} is not a latitude and longitude", f.latitude, f.longitude));
    }
    return out;
  }
  const Place* place = f.place_id.empty() ? nullptr : gazetteer.find(f.place_id);
  if (f.place_id.empty()) {
    problem("place_id", "missing: a facility in Belarus is in a place of the gazetteer");
  } else if (!place) {
    problem("place_id",
            fmt::format("unknown place \"{}\"; pick one from the gazetteer", f.place_id));
  } else if (f.precision == "city" && place->type != "city" && place->type != "town") {
    problem("precision", fmt::format("\"city\" takes the coordinates of a city or town, and {} "
                                     "is a {}",
                                     place->id, place->type));
  } else if (f.precision == "district" && place->type != "district") {
    problem("precision", fmt::format("\"district\" takes the coordinates of a district, and {} "
                                     "is a {}",
                                     place->id, place->type));
  }
  if (site && !inside_belarus(f.latitude, f.longitude)) {
    problem("latitude",
            fmt::format("{}, {} is outside Belarus ({}–{} N, {}–{} E); check for swapped "
                        "latitude and longitude, or give the country of a site abroad",
                        f.latitude, f.longitude, kBelarusMinLatitude, kBelarusMaxLatitude,
                        kBelarusMinLongitude, kBelarusMaxLongitude));
  }
  return out;
}

void locate(Facility& f, const Gazetteer& gazetteer) {
  if (f.precision == "site") return;
  if (const Place* place = gazetteer.find(f.place_id)) {
    f.latitude = place->latitude;
    f.longitude = place->longitude;
  }
}

json facility_json(const Facility& f, bool with_note) {
  json j = {{"id", f.id},
            {"version", f.version},
            {"type", f.type},
            {"names", {{"en", f.names.en}, {"be", f.names.be}, {"ru", f.names.ru}}},
            {"variants", f.variants},
            {"address", f.address},
            {"country", f.country},
            {"place_id", f.place_id},
            {"precision", f.precision},
            {"latitude", f.latitude},
            {"longitude", f.longitude},
            {"shipped", f.shipped},
            {"edited_by", f.edited_by},
            {"edited_at", f.edited_at}};
  if (with_note) j["note"] = f.note;
  return j;
}

Facility facility_from(const json& j) {
  Facility f;
  f.id = j.value("id", "");
  f.version = j.value("version", 0);
  f.type = j.value("type", "");
  const json names = j.value("names", json::object());
  f.names.en = names.value("en", "");
  f.names.be = names.value("be", "");
  f.names.ru = names.value("ru", "");
  f.variants = j.value("variants", std::vector<std::string>{});
  f.address = j.value("address", "");
  f.country = j.value("country", "BY");
  f.place_id = j.value("place_id", "");
  f.precision = j.value("precision", "city");
  f.latitude = j.value("latitude", 0.0);
  f.longitude = j.value("longitude", 0.0);
  f.note = j.value("note", "");
  f.shipped = j.value("shipped", false);
  f.edited_by = j.value("edited_by", "");
  f.edited_at = j.value("edited_at", "");
  return f;
}

namespace {

// The shipped list: every facility checked as add() checks one, each problem at its JSON path.
Result<std::vector<Facility>> shipped_from_json(std::string_view text, const Gazetteer& gazetteer) {
  EVHUB_ASSIGN_OR_RETURN(json doc, parse_json_object(text));
  JsonReader r;
  if (doc.value("format", "") != kFacilitiesFormat) {
    r.problem("format", fmt::format("must be \"{}\"", kFacilitiesFormat));
  }
  if (!doc.contains("facilities") || !doc["facilities"].is_array()) {
    r.problem("facilities", "missing, or not an array");
    return invalid(r.problems);
  }
  std::vector<Facility> out;
  std::unordered_map<std::string, std::size_t> seen;
  const json& all = doc["facilities"];
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string at = fmt::format("facilities[{}]", i);
    const json& j = all[i];
    if (!j.is_object()) {
      r.problem(at, "not an object");
      continue;
    }
    Facility f;
    f.id = r.text(j, at, "id", true, 100);
    if (!f.id.empty() && !is_shipped_id(f.id)) {
      r.problem(at + ".id", "\"" + f.id + "\" is not \"fac-\" and lower-case letters, digits, '-'");
    }
    if (!f.id.empty() && !seen.emplace(f.id, i).second) {
      r.problem(at + ".id", "\"" + f.id + "\" is used twice");
    }
    f.type = r.text(j, at, "type", true, 50);
    f.names = r.names(j, at, false, kMaxFacilityNameBytes);
    f.variants = r.variants(j, at, kMaxFacilityVariants, kMaxFacilityNameBytes);
    f.address = r.text(j, at, "address", false, kMaxAddressBytes);
    f.country = j.contains("country") ? r.text(j, at, "country", true, 2) : "BY";
    f.place_id = r.text(j, at, "place_id", false, 100);
    f.precision = r.text(j, at, "precision", true, 20);
    f.note = j.contains("note") && j["note"].is_string() ? j["note"].get<std::string>() : "";
    const auto lat = r.number(j, at, "latitude", false);
    const auto lon = r.number(j, at, "longitude", false);
    if (f.precision == "site") {
      if (!lat || !lon) r.problem(at + ".latitude", "a site needs its latitude and longitude");
    } else if (lat || lon) {
      r.problem(at + ".latitude",
                "a facility located by its " + f.precision +
                    " takes the place's coordinates: leave them out, or make precision \"site\"");
    }
    f.latitude = lat.value_or(0);
    f.longitude = lon.value_or(0);
    for (const auto& [field, message] : facility_problems(f, gazetteer)) {
      r.problem(at + "." + field, message);
    }
    f.version = 1;
    f.shipped = true;
    locate(f, gazetteer);
    out.push_back(std::move(f));
  }
  if (!r.problems.empty()) return invalid(r.problems);
  return out;
}

}  // namespace

}  // namespace internal

std::string FacilityRegistry::default_path() {
  return std::string(EVHUB_DATA_DIR) + "/places/facilities.json";
}

struct FacilityRegistry::Impl {
  hub::Hub& hub;
  Database db;
  std::shared_ptr<const Gazetteer> gazetteer;
  std::vector<Facility> shipped;
  std::unordered_map<std::string, std::size_t> shipped_at;
  // The newest version of each facility, by English name, and the record of hub versions.
  std::vector<Facility> current;
  std::unordered_map<std::string, std::size_t> current_at;
  std::unordered_map<std::string, std::string> record_of;  // id -> record object (hub versions)
  internal::NameIndex names;
  std::int64_t seen_seq = -1;  // the view's applied_seq when `current` was built

  Result<json> read_record(const std::string& object_id) {
    return internal::read_record(hub, object_id, kMaxRecordBytes);
  }

  Status sync();
  Status apply(const custody::Event& e);
  Status apply_record(const custody::Event& e);
  Status apply_shred(const custody::Event& e);
  Status rebuild();
  Status store(Facility& f);
  Status check(const Facility& f);
  Status check_unique(const Facility& f);
  std::vector<Facility> ranked(std::vector<internal::NameHit> hits, std::size_t limit) const;
};

Status FacilityRegistry::Impl::sync() {
  EVHUB_RETURN_IF_ERROR(
      hub::follow_log(db, hub, [this](const custody::Event& e) { return apply(e); }));
  std::int64_t applied = 0;
  {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare("SELECT applied_seq FROM view_state"));
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    applied = row ? st.integer(0) : 0;
  }
  if (applied == seen_seq) return Status::ok();
  EVHUB_RETURN_IF_ERROR(rebuild());
  seen_seq = applied;
  return Status::ok();
}

Status FacilityRegistry::Impl::apply(const custody::Event& e) {
  if (e.action == "put" && e.details.is_object() &&
      e.details.value("record", "") == std::string(kRecordKind)) {
    return apply_record(e);
  }
  if (e.action == "shred") return apply_shred(e);
  return Status::ok();
}

Status FacilityRegistry::Impl::apply_record(const custody::Event& e) {
  auto record = read_record(e.object);
  // Erased later in the log: the shred that follows removes whatever this would have added.
  if (!record.is_ok() && record.status().code() == Code::kErased) return Status::ok();
  EVHUB_RETURN_IF_ERROR(record.status());
  const Facility f = internal::facility_from(*record);
  const std::string domain_id = e.details.value("domain_id", "");
  EVHUB_ASSIGN_OR_RETURN(
      Statement up,
      db.prepare("INSERT INTO facilities(id, version, record_object, domain_id, facility) VALUES "
                 "(?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, "
                 "record_object = excluded.record_object, domain_id = excluded.domain_id, "
                 "facility = excluded.facility"));
  up.bind(1, f.id).bind(2, std::int64_t{f.version}).bind(3, e.object).bind(4, domain_id);
  up.bind(5, internal::facility_json(f, false).dump());
  EVHUB_RETURN_IF_ERROR(up.run());
  EVHUB_ASSIGN_OR_RETURN(Statement version,
                         db.prepare("INSERT OR REPLACE INTO facility_versions(id, version, "
                                    "record_object, domain_id) VALUES (?, ?, ?, ?)"));
  version.bind(1, f.id).bind(2, std::int64_t{f.version}).bind(3, e.object).bind(4, domain_id);
  return version.run();
}

Status FacilityRegistry::Impl::apply_shred(const custody::Event& e) {
  const std::string domain_id = e.details.value("domain_id", "");
  for (const char* sql : {"DELETE FROM facilities WHERE domain_id = ?",
                          "DELETE FROM facility_versions WHERE domain_id = ?"}) {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(sql));
    st.bind(1, domain_id);
    EVHUB_RETURN_IF_ERROR(st.run());
  }
  return Status::ok();
}

Status FacilityRegistry::Impl::rebuild() {
  std::vector<Facility> merged = shipped;
  std::unordered_map<std::string, std::string> records;
  {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT record_object, facility FROM facilities"));
    for (;;) {
      EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      json j = json::parse(st.text(1), nullptr, false);
      if (!j.is_object()) {
        return Status(Code::kIntegrity,
                      "registry.db holds a facility that is not JSON; delete "
                      "registry.db to rebuild it from the log");
      }
      Facility f = internal::facility_from(j);
      records[f.id] = st.text(0);
      auto it = shipped_at.find(f.id);
      if (it != shipped_at.end()) {
        merged[it->second] = std::move(f);  // the hub's correction replaces the shipped one
      } else {
        merged.push_back(std::move(f));
      }
    }
  }
  std::sort(merged.begin(), merged.end(), [](const Facility& a, const Facility& b) {
    return std::tie(a.names.en, a.id) < std::tie(b.names.en, b.id);
  });
  current = std::move(merged);
  record_of = std::move(records);
  current_at.clear();
  names = internal::NameIndex();
  for (std::size_t i = 0; i < current.size(); ++i) {
    const Facility& f = current[i];
    current_at[f.id] = i;
    for (const std::string* name : {&f.names.en, &f.names.be, &f.names.ru}) names.add(i, *name);
    for (const auto& v : f.variants) names.add(i, v);
  }
  return Status::ok();
}

Status FacilityRegistry::Impl::check(const Facility& f) {
  const auto problems = internal::facility_problems(f, *gazetteer);
  if (problems.empty()) return Status::ok();
  std::vector<std::string> messages;
  for (const auto& [field, message] : problems) messages.push_back(field + ": " + message);
  return internal::invalid(messages);
}

// Two facilities of one name in one place would make every later choice between them a guess.
Status FacilityRegistry::Impl::check_unique(const Facility& f) {
  for (const std::string* name : {&f.names.en, &f.names.be, &f.names.ru}) {
    if (name->empty()) continue;
    for (const auto& hit : names.lookup(*name)) {
      const Facility& other = current[hit.entry];
      if (hit.match != internal::Match::kExact || other.id == f.id ||
          other.place_id != f.place_id || other.country != f.country) {
        continue;
      }
      return Status(
          Code::kAlreadyExists,
          fmt::format("{} in {} is already named \"{}\"; correct that facility instead "
                      "of adding another",
                      other.id, other.place_id.empty() ? other.country : other.place_id, *name));
    }
  }
  return Status::ok();
}

Status FacilityRegistry::Impl::store(Facility& f) {
  f.edited_at = now_rfc3339();
  std::string text = internal::facility_json(f, true).dump();
  auto stored = hub.put_data("facility record", text, kRegistryDomain,
                             hub::Intake::record_of("", kRecordKind));
  crypto::wipe(text.data(), text.size());
  EVHUB_RETURN_IF_ERROR(stored.status());
  return sync();
}

std::vector<Facility> FacilityRegistry::Impl::ranked(std::vector<internal::NameHit> hits,
                                                     std::size_t limit) const {
  std::sort(hits.begin(), hits.end(), [&](const internal::NameHit& a, const internal::NameHit& b) {
    const Facility& fa = current[a.entry];
    const Facility& fb = current[b.entry];
    return std::make_tuple(a.match, a.distance, std::cref(fa.names.en), std::cref(fa.id)) <
           std::make_tuple(b.match, b.distance, std::cref(fb.names.en), std::cref(fb.id));
  });
  std::vector<Facility> out;
  for (const auto& h : hits) {
    if (out.size() >= limit) break;
    out.push_back(current[h.entry]);
  }
  return out;
}

FacilityRegistry::FacilityRegistry(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FacilityRegistry::~FacilityRegistry() = default;

Result<std::unique_ptr<FacilityRegistry>> FacilityRegistry::open(
    hub::Hub& hub, std::shared_ptr<const Gazetteer> gazetteer, const std::string& facilities_path) {
  if (!gazetteer) return bad("the facility registry needs the gazetteer");
  EVHUB_ASSIGN_OR_RETURN(std::string text, internal::read_data_file(facilities_path));
  auto shipped = internal::shipped_from_json(text, *gazetteer);
  if (!shipped.is_ok()) return shipped.status().with_context(facilities_path);
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(hub.layout().registry(), true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "registry.db"));
  auto impl = std::unique_ptr<Impl>(new Impl{
      hub, std::move(db), std::move(gazetteer), std::move(*shipped), {}, {}, {}, {}, {}, -1});
  for (std::size_t i = 0; i < impl->shipped.size(); ++i) impl->shipped_at[impl->shipped[i].id] = i;
  auto registry = std::unique_ptr<FacilityRegistry>(new FacilityRegistry(std::move(impl)));
  EVHUB_RETURN_IF_ERROR(registry->sync());
  return registry;
}

Status FacilityRegistry::sync() {
  return impl_->sync();
}

Result<Facility> FacilityRegistry::add(Facility facility, const std::string& by) {
  if (by.empty()) return bad("a facility is stored by a user: say who");
  EVHUB_RETURN_IF_ERROR(sync());
  facility.id = "fac-" + random_name();
  facility.version = 1;
  facility.shipped = false;
  facility.edited_by = by;
  EVHUB_RETURN_IF_ERROR(impl_->check(facility));
  EVHUB_RETURN_IF_ERROR(impl_->check_unique(facility));
  internal::locate(facility, *impl_->gazetteer);
  EVHUB_RETURN_IF_ERROR(impl_->store(facility));
  return facility;
}

Result<Facility> FacilityRegistry::update(Facility facility, const std::string& by) {
  if (by.empty()) return bad("a facility is stored by a user: say who");
  EVHUB_RETURN_IF_ERROR(sync());
  auto it = impl_->current_at.find(facility.id);
  if (it == impl_->current_at.end()) {
    return Status(Code::kNotFound, "there is no facility " + facility.id);
  }
  const int newest = impl_->current[it->second].version;
  if (facility.version != newest) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("facility {} was changed since version {} (it is at version {}); "
                              "reload it and apply your change again",
                              facility.id, facility.version, newest));
  }
  facility.shipped = false;
  facility.edited_by = by;
  EVHUB_RETURN_IF_ERROR(impl_->check(facility));
  EVHUB_RETURN_IF_ERROR(impl_->check_unique(facility));
  internal::locate(facility, *impl_->gazetteer);
  facility.version = newest + 1;
  EVHUB_RETURN_IF_ERROR(impl_->store(facility));
  return facility;
}

Result<std::optional<Facility>> FacilityRegistry::get(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  auto it = impl_->current_at.find(id);
  if (it == impl_->current_at.end()) return std::optional<Facility>();
  auto record = impl_->record_of.find(id);
  if (record == impl_->record_of.end()) {
    return std::optional<Facility>(impl_->current[it->second]);  // as shipped
  }
  EVHUB_ASSIGN_OR_RETURN(json j, impl_->read_record(record->second));
  return std::optional<Facility>(internal::facility_from(j));
}

Result<std::vector<Facility>> FacilityRegistry::history(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  std::vector<Facility> out;
  if (auto it = impl_->shipped_at.find(id); it != impl_->shipped_at.end()) {
    out.push_back(impl_->shipped[it->second]);
  }
  EVHUB_ASSIGN_OR_RETURN(
      auto objects,
      impl_->db.texts("SELECT record_object FROM facility_versions WHERE id = ? ORDER BY version",
                      id));
  for (const auto& o : objects) {
    EVHUB_ASSIGN_OR_RETURN(json j, impl_->read_record(o));
    out.push_back(internal::facility_from(j));
  }
  return out;
}

Result<std::vector<Facility>> FacilityRegistry::all() {
  EVHUB_RETURN_IF_ERROR(sync());
  return impl_->current;
}

Result<std::vector<Facility>> FacilityRegistry::lookup(std::string_view name) {
  EVHUB_RETURN_IF_ERROR(sync());
  return impl_->ranked(impl_->names.lookup(name), impl_->current.size());
}

Result<std::vector<Facility>> FacilityRegistry::suggest(std::string_view prefix,
                                                        std::size_t limit) {
  EVHUB_RETURN_IF_ERROR(sync());
  return impl_->ranked(impl_->names.suggest(prefix), limit);
}

Result<std::optional<Facility>> FacilityRegistry::resolve(std::string_view text) {
  EVHUB_RETURN_IF_ERROR(sync());
  if (auto it = impl_->current_at.find(std::string(text)); it != impl_->current_at.end()) {
    return std::optional<Facility>(impl_->current[it->second]);
  }
  const auto hits = impl_->names.lookup(text);
  // Spelled exactly so wins over spelled otherwise; two facilities at the same level are a
  // guess the registry does not make.
  for (internal::Match level : {internal::Match::kExact, internal::Match::kSameKey}) {
    const internal::NameHit* found = nullptr;
    int count = 0;
    for (const auto& h : hits) {
      if (h.match != level) continue;
      found = &h;
      ++count;
    }
    if (count == 1) return std::optional<Facility>(impl_->current[found->entry]);
    if (count > 1) return std::optional<Facility>();
  }
  return std::optional<Facility>();
}

}  // namespace evhub::coding
