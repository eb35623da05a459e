// An incident's own content: partial dates, the checks that need no hub, and the JSON of its
// encrypted record.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "coding/incidents_internal.h"
#include "core/text.h"

namespace evhub::coding {

using nlohmann::json;

const char* placement_name(Placement placement) {
  switch (placement) {
    case Placement::kDay:
      return "day";
    case Placement::kStartOfMonth:
      return "start-of-month";
    case Placement::kStartOfYear:
      return "start-of-year";
    case Placement::kApproximate:
      return "approximate";
    case Placement::kUndated:
      break;
  }
  return "undated";
}

const char* evidence_state_name(EvidenceState state) {
  switch (state) {
    case EvidenceState::kRemoved:
      return "removed";
    case EvidenceState::kErased:
      return "erased";
    case EvidenceState::kPresent:
      break;
  }
  return "present";
}

std::string incidents_domain(const std::string& organisation_id) {
  return "incidents-" + organisation_id;
}

namespace internal {

namespace {

constexpr std::size_t kMaxTitleBytes = 500;
constexpr std::size_t kMaxNameBytes = 500;     // a place, a facility, a person, a unit
constexpr std::size_t kMaxTextBytes = 20'000;  // a victim's description or harm, perpetrators'

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
  return s.size() >= from + n && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(from),
                                             s.begin() + static_cast<std::ptrdiff_t>(from + n),
                                             [](char c) { return c >= '0' && c <= '9'; });
}

int number(const std::string& s, std::size_t from, std::size_t n) {
  int v = 0;
  for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

const char* const kPrecisionByRank[4] = {"day", "month", "year", "approximate"};

int date_granularity(const std::string& d) {
  if (!digits(d, 0, 4) || number(d, 0, 4) < 1) return -1;
  if (d.size() == 4) return 2;
  if (d.size() < 7 || d[4] != '-' || !digits(d, 5, 2)) return -1;
  const int month = number(d, 5, 2);
  if (month < 1 || month > 12) return -1;
  if (d.size() == 7) return 1;
  if (d.size() != 10 || d[7] != '-' || !digits(d, 8, 2)) return -1;
  const int day = number(d, 8, 2);
  return day >= 1 && day <= days_in_month(number(d, 0, 4), month) ? 0 : -1;
}

std::string first_day(const std::string& d) {
  switch (date_granularity(d)) {
    case 0:
      return d;
    case 1:
      return d + "-01";
    case 2:
      return d + "-01-01";
    default:
      return "";
  }
}

std::string last_day(const std::string& d) {
  switch (date_granularity(d)) {
    case 0:
      return d;
    case 1:
      return fmt::format("{}-{:02}", d, days_in_month(number(d, 0, 4), number(d, 5, 2)));
    case 2:
      return d + "-12-31";
    default:
      return "";
  }
}

std::string coarsen(const std::string& day, int granularity) {
  if (granularity >= 2) return day.substr(0, 4);
  if (granularity == 1) return day.substr(0, 7);
  return day;
}

int precision_rank(const std::string& precision) {
  for (int i = 0; i < 4; ++i) {
    if (precision == kPrecisionByRank[i]) return i;
  }
  return -1;
}

std::pair<std::string, std::string> date_span(const IncidentDate& date) {
  if (date.from.empty()) return {};
  return {first_day(date.from), last_day(date.to.empty() ? date.from : date.to)};
}

Placement placement_of(const IncidentDate& date) {
  if (date.from.empty()) return Placement::kUndated;
  switch (precision_rank(date.precision)) {
    case 0:
      return Placement::kDay;
    case 1:
      return Placement::kStartOfMonth;
    case 2:
      return Placement::kStartOfYear;
    default:
      return Placement::kApproximate;
  }
}

Status check_date(const IncidentDate& date, const std::string& what) {
  const int rank = precision_rank(date.precision);
  if (rank < 0) {
    return bad(what + ": precision must be day, month, year or approximate, not \"" +
               date.precision + "\"");
  }
  if (date.from.empty()) {
    if (!date.to.empty()) return bad(what + ": a date range needs its start");
    return Status::ok();
  }
  for (const auto* d : {&date.from, &date.to}) {
    if (d->empty()) continue;
    const int g = date_granularity(*d);
    if (g < 0) {
      return bad(what + ": \"" + *d + "\" is not a date of the calendar written YYYY-MM-DD, " +
                 "YYYY-MM or YYYY");
    }
    // An approximate date may be written at any granularity; the others say how fine it is.
    if (rank < 3 && g != rank) {
      static constexpr const char* kForms[] = {"YYYY-MM-DD", "YYYY-MM", "YYYY"};
      return bad(fmt::format(
          "{}: a date of precision \"{}\" is written {}, not \"{}\" (choose the precision the "
          "witnesses could give)",
          what, date.precision, kForms[rank], *d));
    }
  }
  const auto [first, last] = date_span(date);
  if (last < first) {
    return bad(what + ": the range ends (" + date.to + ") before it starts (" + date.from + ")");
  }
  return Status::ok();
}

Status check_content(const Incident& in) {
  if (in.updated_by.empty() || !is_printable_text(in.updated_by, 200)) {
    return bad("say who is making this change (updated_by)");
  }
  if (!is_printable_text(in.title, kMaxTitleBytes)) {
    return bad(
        fmt::format("the title is one line of UTF-8 text of at most {} bytes", kMaxTitleBytes));
  }
  if (in.title.empty() && in.acts.empty()) {
    return bad("an incident needs a title or at least one act");
  }
  if (in.acts.size() > kMaxIncidentActs) {
    return bad(fmt::format("at most {} acts an incident", kMaxIncidentActs));
  }
  std::set<std::string> acts;
  for (const auto& c : in.acts) {
    if (c.id.empty() || !is_printable_text(c.id, 200))
      return bad("an act's code id is empty or not one line of text");
    if (c.revision < 1) return bad("act " + c.id + ": revisions count from 1");
    if (!acts.insert(c.id).second) return bad("act " + c.id + " is given twice");
  }
  EVHUB_RETURN_IF_ERROR(check_date(in.date, "date"));
  for (const auto* name : {&in.place, &in.facility}) {
    if (!name->empty() && !is_printable_text(*name, kMaxNameBytes)) {
      return bad(fmt::format("place and facility are one line of text of at most {} bytes",
                             kMaxNameBytes));
    }
  }
  if (in.victims.size() > kMaxIncidentVictims) {
    return bad(fmt::format("at most {} victims an incident", kMaxIncidentVictims));
  }
  for (std::size_t i = 0; i < in.victims.size(); ++i) {
    const Victim& v = in.victims[i];
    if (v.witness.empty() && v.description.empty()) {
      return bad(fmt::format("victim {}: give a witness code or a description", i + 1));
    }
    if (!v.witness.empty() && !is_printable_text(v.witness, 200)) {
      return bad(fmt::format("victim {}: the witness code is not one line of text", i + 1));
    }
    for (const auto* text : {&v.description, &v.harm}) {
      if (text->size() > kMaxTextBytes || !is_valid_utf8(*text)) {
        return bad(fmt::format("victim {}: description and harm are UTF-8 text of at most {} bytes",
                               i + 1, kMaxTextBytes));
      }
    }
  }
  for (const auto* names : {&in.perpetrators.persons, &in.perpetrators.units}) {
    if (names->size() > kMaxIncidentNames) {
      return bad(
          fmt::format("at most {} persons and {} units", kMaxIncidentNames, kMaxIncidentNames));
    }
    for (const auto& n : *names) {
      if (n.empty() || !is_printable_text(n, kMaxNameBytes)) {
        return bad(fmt::format("a perpetrator person or unit is one line of text of 1 to {} bytes",
                               kMaxNameBytes));
      }
    }
  }
  if (in.perpetrators.description.size() > kMaxTextBytes ||
      !is_valid_utf8(in.perpetrators.description)) {
    return bad(fmt::format("the perpetrators' description is UTF-8 text of at most {} bytes",
                           kMaxTextBytes));
  }
  if (in.summary.size() > kMaxIncidentSummaryBytes || !is_valid_utf8(in.summary)) {
    return bad(
        fmt::format("the summary is UTF-8 text of at most {} bytes", kMaxIncidentSummaryBytes));
  }
  if (in.evidence.size() > kMaxIncidentEvidence) {
    return bad(fmt::format("at most {} passages an incident", kMaxIncidentEvidence));
  }
  std::set<std::string> cited;
  for (const auto& e : in.evidence) {
    if (e.annotation_id.empty() || !is_printable_text(e.annotation_id, 100)) {
      return bad("an evidence annotation id is empty or not one line of text");
    }
    if (std::none_of(std::begin(kEvidenceRoles), std::end(kEvidenceRoles),
                     [&](const char* r) { return e.role == r; })) {
      return bad("evidence " + e.annotation_id + ": the role is supports or contradicts, not \"" +
                 e.role + "\"");
    }
    if (!cited.insert(e.annotation_id).second) {
      return bad("annotation " + e.annotation_id + " is cited twice");
    }
  }
  return Status::ok();
}

json incident_json(const Incident& in) {
  json acts = json::array();
  for (const auto& c : in.acts) acts.push_back({{"id", c.id}, {"revision", c.revision}});
  json victims = json::array();
  for (const auto& v : in.victims) {
    victims.push_back({{"witness", v.witness}, {"description", v.description}, {"harm", v.harm}});
  }
  json evidence = json::array();
  for (const auto& e : in.evidence) {
    evidence.push_back({{"annotation_id", e.annotation_id},
                        {"role", e.role},
                        {"domain", e.domain},
                        {"object_id", e.object_id}});
  }
  return {{"id", in.id},
          {"version", in.version},
          {"organisation_id", in.organisation_id},
          {"title", in.title},
          {"acts", acts},
          {"date", {{"from", in.date.from}, {"to", in.date.to}, {"precision", in.date.precision}}},
          {"place", in.place},
          {"facility", in.facility},
          {"victims", victims},
          {"perpetrators",
           {{"persons", in.perpetrators.persons},
            {"units", in.perpetrators.units},
            {"description", in.perpetrators.description}}},
          {"summary", in.summary},
          {"evidence", evidence},
          {"created_by", in.created_by},
          {"created_at", in.created_at},
          {"updated_by", in.updated_by},
          {"updated_at", in.updated_at},
          {"removed", in.removed}};
}

namespace {

std::string text_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> texts_of(const json& j, const char* key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& s : *it) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

int int_of(const json& j, const char* key, int fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

const json& object_of(const json& j, const char* key) {
  static const json kEmpty = json::object();
  const auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

const json& array_of(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

}  // namespace

// Reads a record leniently (a field of the wrong type reads as empty): records are written by
// this module and authenticated by the vault, so a surprise here is a bug, not an attack, and
// must not take the view down.
Incident incident_from(const json& j) {
  Incident in;
  in.id = text_of(j, "id");
  in.version = int_of(j, "version", 0);
  in.organisation_id = text_of(j, "organisation_id");
  in.title = text_of(j, "title");
  for (const auto& c : array_of(j, "acts")) {
    if (c.is_object()) in.acts.push_back({text_of(c, "id"), int_of(c, "revision", 1)});
  }
  const json& d = object_of(j, "date");
  in.date.from = text_of(d, "from");
  in.date.to = text_of(d, "to");
  in.date.precision = text_of(d, "precision");
  if (in.date.precision.empty()) in.date.precision = "day";
  in.place = text_of(j, "place");
  in.facility = text_of(j, "facility");
  for (const auto& v : array_of(j, "victims")) {
    if (!v.is_object()) continue;
    Victim victim;
    victim.witness = text_of(v, "witness");
    victim.description = text_of(v, "description");
    victim.harm = text_of(v, "harm");
    in.victims.push_back(std::move(victim));
  }
  const json& p = object_of(j, "perpetrators");
  in.perpetrators.persons = texts_of(p, "persons");
  in.perpetrators.units = texts_of(p, "units");
  in.perpetrators.description = text_of(p, "description");
  in.summary = text_of(j, "summary");
  for (const auto& e : array_of(j, "evidence")) {
    if (!e.is_object()) continue;
    Evidence ev;
    ev.annotation_id = text_of(e, "annotation_id");
    ev.role = text_of(e, "role");
    ev.domain = text_of(e, "domain");
    ev.object_id = text_of(e, "object_id");
    in.evidence.push_back(std::move(ev));
  }
  in.created_by = text_of(j, "created_by");
  in.created_at = text_of(j, "created_at");
  in.updated_by = text_of(j, "updated_by");
  in.updated_at = text_of(j, "updated_at");
  const auto removed = j.find("removed");
  in.removed = removed != j.end() && removed->is_boolean() && removed->get<bool>();
  return in;
}

}  // namespace internal
}  // namespace evhub::coding
