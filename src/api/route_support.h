// What the route files of the API share (routes.cc: sessions, evidence, accounts, the witness
// register; collection_routes.cc: interviews, documents, contacts, translations, jobs, import):
// who may call a route, what a handler is given, and the helpers that give every answer one
// shape. Internal to api/: the gate itself stays in routes.cc, one for every route.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/routes.h"

namespace evhub::api {

// Who may call a route: anyone, anyone signed in, or holders of one of the listed roles (in
// any organisation; each record is then decided by the roles held in its own, api/policy.h).
struct Access {
  bool signed_in = true;
  std::vector<accounts::Role> roles;  // empty: any signed-in user
  // The handler runs holding the hub lock, unless it takes it itself only where needed
  // (sign-in: the slow password check must not hold up every other request).
  bool holds_hub_lock = true;
  // Changes need the CSRF token, except signing out: harmless to force, and a tab that lost
  // its token (a new tab, cleared storage) must still be able to end the session.
  bool needs_csrf = true;
};

struct Api::Context {
  const Request& request;
  const accounts::Caller* caller;  // null on public routes
};

Response json_response(int status, const nlohmann::json& body);

// Whether `text` is a non-empty run of at most `max_length` ASCII digits (ids, limits in a
// query or path; never passes a byte over 0x7f to ::isdigit).
inline bool is_small_number(const std::string& text, std::size_t max_length) {
  return !text.empty() && text.size() <= max_length &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number in a query: `fallback` when absent, nullopt when not a number up to `max`.
inline std::optional<int> number_in(const std::string& text, int fallback, int max) {
  if (text.empty()) return fallback;
  if (!is_small_number(text, 9)) return std::nullopt;
  const int n = std::stoi(text);
  return n <= max ? std::optional<int>(n) : std::nullopt;
}

// A status from the accounts, the hub or the register as an API error a person can act on.
Response status_response(const Status& st, const std::string& what);

// What a request body's fields must be. Bodies are checked whole, unknown fields included: a
// misspelt field must not silently drop what someone typed.
enum class FieldType { kText, kTextList, kFlag, kObject, kInteger, kNumber, kList };
Status check_fields(const nlohmann::json& in, const std::map<std::string, FieldType>& fields);
// The request body as a JSON object whose fields are as `fields` says; if it is not JSON at all,
// `usage` says what to send.
Result<nlohmann::json> parse_body(const std::string& body, const char* usage,
                                  const std::map<std::string, FieldType>& fields);

template <std::size_t N>
bool one_of(const std::string& value, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* s) { return value == s; });
}

bool is_object_id(const std::string& id);

// A processing job as the dashboard and the job monitor show it: id, kind, object, state,
// attempts, progress and the last error.
nlohmann::json job_json(const jobs::Job& job);

// Overwrites what a string held (personal details, the witness's own words) before it goes.
void wipe(std::string& s);
void wipe(collection::PersonalDetails& p);
// Every string in a JSON value (once a response holding the witness's words has been made).
void wipe(nlohmann::json& j);

// The sensitivity of an annotation: its object's, raised by its restricted codes (a passage
// coded as sexual violence is as restricted as material of that category).
std::string annotation_sensitivity(const coding::Framework& framework,
                                   const std::string& object_sensitivity,
                                   const std::vector<coding::CodeRef>& codes);

// The media type a browser may be given to show an object in the page (a PDF in a frame, an
// image, a recording in a player), told from its first bytes; nullptr for anything else, which
// is only ever sent as an attachment. Never HTML, SVG or script: evidence runs nothing here.
const char* inline_media_type(std::span<const std::uint8_t> head);

}  // namespace evhub::api
