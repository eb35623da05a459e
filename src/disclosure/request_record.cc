// A request's own content: its vocabularies and status steps, the checks that need no hub, day
// arithmetic, and the JSON of its encrypted record.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <set>
#include <string_view>

#include "coding/framework.h"
#include "collection/consent.h"
#include "core/text.h"
#include "disclosure/requests_internal.h"

namespace evhub::disclosure {

using nlohmann::json;

namespace {

template <std::size_t N>
bool one_of(const char* const (&list)[N], const std::string& value) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* s) { return value == s; });
}

template <std::size_t N>
std::string joined(const char* const (&list)[N]) {
  std::string out;
  for (const char* s : list) out += std::string(out.empty() ? "" : ", ") + s;
  return out;
}

// The steps each status allows besides closing (see requests.h): one forward, one back.
struct Steps {
  const char* from;
  const char* forward;
  const char* back;
};
constexpr Steps kSteps[] = {
    {"received", "scoping", nullptr},        {"scoping", "collecting", nullptr},
    {"collecting", "legal-review", nullptr}, {"legal-review", "approved", "collecting"},
    {"approved", "delivered", "collecting"}, {"delivered", nullptr, "collecting"},
};

const Steps* steps_of(const std::string& status) {
  for (const auto& s : kSteps) {
    if (status == s.from) return &s;
  }
  return nullptr;
}

// "go to approved or closed, or back to collecting"
std::string allowed_steps(const Steps& s) {
  std::string out = "go to ";
  out += s.forward ? std::string(s.forward) + " or closed" : std::string("closed");
  if (s.back) out += std::string(", or back to ") + s.back;
  return out;
}

}  // namespace

bool is_requester_kind(const std::string& kind) {
  return one_of(kRequesterKinds, kind);
}

bool is_request_status(const std::string& status) {
  return one_of(kRequestStatuses, status);
}

std::optional<std::string> request_transition_problem(const std::string& from,
                                                      const std::string& to) {
  for (const std::string* s : {&from, &to}) {
    if (!is_request_status(*s)) {
      return fmt::format("unknown status \"{}\"; statuses: {}", *s, joined(kRequestStatuses));
    }
  }
  if (from == to) return std::nullopt;
  if (from == "closed") return "a closed request is final; it cannot go to " + to;
  const Steps& s = *steps_of(from);
  if (to == "closed" || (s.forward && to == s.forward) || (s.back && to == s.back)) {
    return std::nullopt;
  }
  return fmt::format("a request in {} can {}, not to {}", from, allowed_steps(s), to);
}

const char* deadline_state_name(DeadlineState state) {
  switch (state) {
    case DeadlineState::kOverdue:
      return "overdue";
    case DeadlineState::kDueSoon:
      return "due-soon";
    case DeadlineState::kLater:
      break;
  }
  return "later";
}

std::string requests_domain(const std::string& organisation_id) {
  return "requests-" + organisation_id;
}

namespace internal {

namespace {

constexpr std::size_t kMaxLineBytes = 500;  // a body, a reference, a name, a label

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

bool is_day(const std::string& s) {
  return collection::is_date(s);
}

Status check_day(const std::string& day, const std::string& what, bool may_be_empty) {
  if (day.empty() && may_be_empty) return Status::ok();
  if (!is_day(day)) {
    return bad(fmt::format("{} \"{}\" is not a date written YYYY-MM-DD", what, day));
  }
  return Status::ok();
}

Status check_text(const std::string& text, const std::string& what) {
  if (text.size() > kMaxRequestTextBytes || !is_valid_utf8(text)) {
    return bad(fmt::format("{} is UTF-8 text of at most {} bytes", what, kMaxRequestTextBytes));
  }
  return Status::ok();
}

Status check_line(const std::string& text, const std::string& what, bool may_be_empty) {
  if ((text.empty() && !may_be_empty) || !is_printable_text(text, kMaxLineBytes)) {
    return bad(fmt::format("{} is one line of text of {} to {} bytes", what, may_be_empty ? 0 : 1,
                           kMaxLineBytes));
  }
  return Status::ok();
}

// "application/pdf", "message/rfc822": what the custody log may name (it holds no free text).
bool is_media_type(const std::string& text) {
  const auto slash = text.find('/');
  auto token = [](std::string_view t) {
    return !t.empty() && t.size() <= 100 && std::all_of(t.begin(), t.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';
    });
  };
  return slash != std::string::npos && token(std::string_view(text).substr(0, slash)) &&
         token(std::string_view(text).substr(slash + 1));
}

// A list of the scope: at most kMaxScopeEntries lines, none twice.
Status check_names(const std::vector<std::string>& names, const std::string& what) {
  if (names.size() > kMaxScopeEntries) {
    return bad(fmt::format("at most {} {} in a request's scope", kMaxScopeEntries, what));
  }
  std::set<std::string> seen;
  for (const auto& n : names) {
    EVHUB_RETURN_IF_ERROR(check_line(n, "each of the scope's " + what, false));
    if (!seen.insert(n).second) return bad(fmt::format("{} \"{}\" is given twice", what, n));
  }
  return Status::ok();
}

Status check_requester(const Request& r) {
  if (!is_requester_kind(r.requester.kind)) {
    return bad(fmt::format("unknown requester kind \"{}\"; kinds: {}", r.requester.kind,
                           joined(kRequesterKinds)));
  }
  if (r.requester.body.empty()) {
    return bad("say which State or body is asking (the requester's body)");
  }
  EVHUB_RETURN_IF_ERROR(check_line(r.requester.body, "the requester's body", false));
  EVHUB_RETURN_IF_ERROR(check_text(r.requester.contact, "the requester's contact"));
  EVHUB_RETURN_IF_ERROR(check_line(r.reference, "the reference", true));
  return check_text(r.legal_basis, "the legal basis");
}

Status check_dates(const Request& r) {
  EVHUB_RETURN_IF_ERROR(check_day(r.received_on, "the date received", false));
  EVHUB_RETURN_IF_ERROR(check_day(r.deadline, "the deadline", true));
  if (!r.deadline.empty() && r.deadline < r.received_on) {
    return bad(fmt::format("the deadline ({}) comes before the request was received ({})",
                           r.deadline, r.received_on));
  }
  return Status::ok();
}

Status check_periods(const std::vector<Period>& periods) {
  if (periods.size() > kMaxScopeEntries) {
    return bad(fmt::format("at most {} periods in a request's scope", kMaxScopeEntries));
  }
  for (const auto& p : periods) {
    EVHUB_RETURN_IF_ERROR(check_day(p.from, "a period's start", false));
    EVHUB_RETURN_IF_ERROR(check_day(p.to, "a period's end", false));
    if (p.to < p.from) {
      return bad(fmt::format("the period {} to {} ends before it starts", p.from, p.to));
    }
  }
  return Status::ok();
}

Status check_scope(const RequestScope& s) {
  EVHUB_RETURN_IF_ERROR(check_text(s.description, "the scope's description"));
  EVHUB_RETURN_IF_ERROR(check_names(s.incidents, "incidents"));
  EVHUB_RETURN_IF_ERROR(check_names(s.persons, "persons"));
  EVHUB_RETURN_IF_ERROR(check_names(s.facilities, "facilities"));
  EVHUB_RETURN_IF_ERROR(check_names(s.places, "places"));
  EVHUB_RETURN_IF_ERROR(check_periods(s.periods));
  EVHUB_RETURN_IF_ERROR(check_names(s.violation_types, "violation types"));
  for (const auto& code : s.violation_types) {
    if (!coding::is_code_id(code)) {
      return bad("violation type \"" + code + "\" is not a code id of the coding framework");
    }
  }
  EVHUB_RETURN_IF_ERROR(check_names(s.restricted, "restricted categories"));
  for (const auto& c : s.restricted) {
    if (!one_of(kRestrictedCategories, c)) {
      return bad(fmt::format("unknown restricted category \"{}\"; a scope may cover: {}", c,
                             joined(kRestrictedCategories)));
    }
  }
  return Status::ok();
}

Status check_terms(const Terms& t) {
  EVHUB_RETURN_IF_ERROR(check_text(t.confidentiality, "the confidentiality terms"));
  EVHUB_RETURN_IF_ERROR(check_text(t.onward_sharing, "the onward sharing terms"));
  EVHUB_RETURN_IF_ERROR(check_text(t.reinterviews, "the terms on re-interviews"));
  return check_day(t.agreed_on, "the day the terms were agreed", true);
}

Status check_assignees(const std::vector<std::string>& assignees) {
  if (assignees.size() > kMaxAssignees) {
    return bad(fmt::format("at most {} assignees a request", kMaxAssignees));
  }
  std::set<std::string> seen;
  for (const auto& a : assignees) {
    if (a.empty() || !is_printable_text(a, 200)) {
      return bad("an assignee is a user id: one line of 1 to 200 bytes");
    }
    if (!seen.insert(a).second) return bad("assignee " + a + " is given twice");
  }
  return Status::ok();
}

}  // namespace

Status check_content(const Request& r) {
  if (r.updated_by.empty() || !is_printable_text(r.updated_by, 200)) {
    return bad("say who is making this change (updated_by)");
  }
  if (!is_request_status(r.status)) {
    return bad(
        fmt::format("unknown status \"{}\"; statuses: {}", r.status, joined(kRequestStatuses)));
  }
  EVHUB_RETURN_IF_ERROR(check_requester(r));
  EVHUB_RETURN_IF_ERROR(check_dates(r));
  EVHUB_RETURN_IF_ERROR(check_scope(r.scope));
  EVHUB_RETURN_IF_ERROR(check_terms(r.terms));
  return check_assignees(r.assignees);
}

Status check_correspondence(const Correspondence& c) {
  if (!one_of(kDirections, c.direction)) {
    return bad("correspondence goes \"in\" (from the requester) or \"out\" (from us), not \"" +
               c.direction + "\"");
  }
  EVHUB_RETURN_IF_ERROR(check_day(c.on, "the letter's date", false));
  EVHUB_RETURN_IF_ERROR(check_line(c.label, "the letter's label", false));
  if (!c.media_type.empty() && !is_media_type(c.media_type)) {
    return bad("the letter's media type is written type/subtype (\"application/pdf\"), not \"" +
               c.media_type + "\"");
  }
  return Status::ok();
}

int days_between(const std::string& from, const std::string& to) {
  auto day = [](const std::string& d) {
    using namespace std::chrono;
    const year_month_day ymd{year{std::stoi(d.substr(0, 4))},
                             month{static_cast<unsigned>(std::stoi(d.substr(5, 2)))},
                             std::chrono::day{static_cast<unsigned>(std::stoi(d.substr(8, 2)))}};
    return sys_days(ymd);
  };
  return static_cast<int>((day(to) - day(from)).count());
}

namespace {

json periods_json(const std::vector<Period>& periods) {
  json out = json::array();
  for (const auto& p : periods) out.push_back({{"from", p.from}, {"to", p.to}});
  return out;
}

json scope_json(const RequestScope& s) {
  return {{"description", s.description},
          {"incidents", s.incidents},
          {"persons", s.persons},
          {"facilities", s.facilities},
          {"places", s.places},
          {"periods", periods_json(s.periods)},
          {"violation_types", s.violation_types},
          {"restricted", s.restricted}};
}

json terms_json(const Terms& t) {
  return {{"confidential", t.confidential},
          {"confidentiality", t.confidentiality},
          {"onward_sharing_allowed", t.onward_sharing_allowed},
          {"onward_sharing", t.onward_sharing},
          {"minimise_reinterviews", t.minimise_reinterviews},
          {"reinterviews", t.reinterviews},
          {"agreed_on", t.agreed_on}};
}

json correspondence_json(const std::vector<Correspondence>& letters) {
  json out = json::array();
  for (const auto& c : letters) {
    out.push_back({{"object_id", c.object_id},
                   {"direction", c.direction},
                   {"on", c.on},
                   {"label", c.label},
                   {"media_type", c.media_type},
                   {"added_by", c.added_by},
                   {"added_at", c.added_at}});
  }
  return out;
}

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

bool flag_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

const json& part_of(const json& j, const char* key, json::value_t type) {
  static const json kObject = json::object();
  static const json kArray = json::array();
  const auto it = j.find(key);
  if (it != j.end() && it->type() == type) return *it;
  return type == json::value_t::array ? kArray : kObject;
}

RequestScope scope_from(const json& j) {
  RequestScope s;
  s.description = text_of(j, "description");
  s.incidents = texts_of(j, "incidents");
  s.persons = texts_of(j, "persons");
  s.facilities = texts_of(j, "facilities");
  s.places = texts_of(j, "places");
  for (const auto& p : part_of(j, "periods", json::value_t::array)) {
    if (p.is_object()) s.periods.push_back({text_of(p, "from"), text_of(p, "to")});
  }
  s.violation_types = texts_of(j, "violation_types");
  s.restricted = texts_of(j, "restricted");
  return s;
}

Terms terms_from(const json& j) {
  Terms t;
  t.confidential = flag_of(j, "confidential");
  t.confidentiality = text_of(j, "confidentiality");
  t.onward_sharing_allowed = flag_of(j, "onward_sharing_allowed");
  t.onward_sharing = text_of(j, "onward_sharing");
  t.minimise_reinterviews = flag_of(j, "minimise_reinterviews");
  t.reinterviews = text_of(j, "reinterviews");
  t.agreed_on = text_of(j, "agreed_on");
  return t;
}

Correspondence letter_from(const json& j) {
  Correspondence c;
  c.object_id = text_of(j, "object_id");
  c.direction = text_of(j, "direction");
  c.on = text_of(j, "on");
  c.label = text_of(j, "label");
  c.media_type = text_of(j, "media_type");
  c.added_by = text_of(j, "added_by");
  c.added_at = text_of(j, "added_at");
  return c;
}

}  // namespace

json request_json(const Request& r) {
  return {
      {"id", r.id},
      {"version", r.version},
      {"organisation_id", r.organisation_id},
      {"requester",
       {{"kind", r.requester.kind}, {"body", r.requester.body}, {"contact", r.requester.contact}}},
      {"received_on", r.received_on},
      {"reference", r.reference},
      {"legal_basis", r.legal_basis},
      {"scope", scope_json(r.scope)},
      {"terms", terms_json(r.terms)},
      {"deadline", r.deadline},
      {"assignees", r.assignees},
      {"status", r.status},
      {"correspondence", correspondence_json(r.correspondence)},
      {"created_by", r.created_by},
      {"created_at", r.created_at},
      {"updated_by", r.updated_by},
      {"updated_at", r.updated_at}};
}

Request request_from(const json& j) {
  Request r;
  r.id = text_of(j, "id");
  const auto version = j.find("version");
  r.version = version != j.end() && version->is_number_integer() ? version->get<int>() : 0;
  r.organisation_id = text_of(j, "organisation_id");
  const json& who = part_of(j, "requester", json::value_t::object);
  r.requester = {text_of(who, "kind"), text_of(who, "body"), text_of(who, "contact")};
  r.received_on = text_of(j, "received_on");
  r.reference = text_of(j, "reference");
  r.legal_basis = text_of(j, "legal_basis");
  r.scope = scope_from(part_of(j, "scope", json::value_t::object));
  r.terms = terms_from(part_of(j, "terms", json::value_t::object));
  r.deadline = text_of(j, "deadline");
  r.assignees = texts_of(j, "assignees");
  r.status = text_of(j, "status");
  for (const auto& c : part_of(j, "correspondence", json::value_t::array)) {
    if (c.is_object()) r.correspondence.push_back(letter_from(c));
  }
  r.created_by = text_of(j, "created_by");
  r.created_at = text_of(j, "created_at");
  r.updated_by = text_of(j, "updated_by");
  r.updated_at = text_of(j, "updated_at");
  return r;
}

}  // namespace internal
}  // namespace evhub::disclosure
