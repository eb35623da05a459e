// Places and facilities (docs/openapi.yaml: /places, /facilities): the gazetteer of Belarus and
// the registry of detention facilities and other sites, from which coders pick an annotation's
// place and facility. Any signed-in user looks them up; those who code or register material
// (analysts, intake officers, leads) add and correct facilities, logged by id.
#include <nlohmann/json.hpp>

#include "api/policy.h"
#include "api/route_support.h"
#include "coding/places.h"

namespace evhub::api {

using coding::Facility;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxSuggestions = 50;

json texts_json(const coding::Texts& t) {
  return {{"en", t.en}, {"be", t.be}, {"ru", t.ru}};
}

json place_json(const coding::Place& p) {
  return {{"id", p.id},
          {"type", p.type},
          {"parent", p.parent},
          {"names", texts_json(p.names)},
          {"variants", p.variants},
          {"latitude", p.latitude},
          {"longitude", p.longitude}};
}

json facility_json(const Facility& f, const std::map<std::string, std::string>& usernames) {
  auto by = usernames.find(f.edited_by);
  return {{"id", f.id},
          {"version", f.version},
          {"type", f.type},
          {"names", texts_json(f.names)},
          {"variants", f.variants},
          {"address", f.address},
          {"country", f.country},
          {"place_id", f.place_id},
          {"precision", f.precision},
          {"latitude", f.latitude},
          {"longitude", f.longitude},
          {"note", f.note},
          {"shipped", f.shipped},
          {"edited_by", by == usernames.end() ? f.edited_by : by->second},
          {"edited_at", f.edited_at}};
}

Result<Facility> parse_facility(const std::string& body, bool with_version) {
  using enum FieldType;
  std::map<std::string, FieldType> fields = {
      {"type", kText},        {"names", kObject},  {"variants", kTextList}, {"address", kText},
      {"country", kText},     {"place_id", kText}, {"precision", kText},    {"latitude", kNumber},
      {"longitude", kNumber}, {"note", kText}};
  if (with_version) fields["version"] = kInteger;
  EVHUB_ASSIGN_OR_RETURN(
      json in,
      parse_body(body, R"(send {"type": …, "names": {"en": …}, "place_id": …} as JSON)", fields));
  Facility f;
  f.version = in.value("version", 0);
  f.type = in.value("type", "");
  const json names = in.value("names", json::object());
  EVHUB_RETURN_IF_ERROR(check_fields(names, {{"en", kText}, {"be", kText}, {"ru", kText}}));
  f.names = {names.value("en", ""), names.value("be", ""), names.value("ru", "")};
  f.variants = in.value("variants", std::vector<std::string>{});
  f.address = in.value("address", "");
  f.country = in.value("country", "BY");
  f.place_id = in.value("place_id", "");
  f.precision = in.value("precision", "city");
  f.latitude = in.value("latitude", 0.0);
  f.longitude = in.value("longitude", 0.0);
  f.note = in.value("note", "");
  return f;
}

std::size_t limit_in(const Request& request) {
  const std::string text = request.query("limit");
  if (!is_small_number(text, 3)) return 10;
  return std::min<std::size_t>(std::stoul(text), kMaxSuggestions);
}

}  // namespace

Result<const coding::Gazetteer*> Api::gazetteer() {
  if (!gazetteer_) {
    EVHUB_ASSIGN_OR_RETURN(gazetteer_, coding::Gazetteer::load_default());
  }
  return gazetteer_.get();
}

Result<coding::FacilityRegistry*> Api::facility_registry() {
  if (!facilities_) {
    EVHUB_ASSIGN_OR_RETURN(const coding::Gazetteer* places, gazetteer());
    (void)places;
    EVHUB_ASSIGN_OR_RETURN(facilities_, coding::FacilityRegistry::open(hub_, gazetteer_));
  }
  return facilities_.get();
}

void Api::add_places_routes(const AddRoute& route) {
  const Access any_signed_in{true, {}};

  // ?q=: places whose name (in any script or transliteration) starts so, best first; without
  // it, the regions.
  route("GET", "/api/v1/places", any_signed_in, [this](Context& c) {
    auto places = gazetteer();
    if (!places.is_ok()) return status_response(places.status(), "reading the gazetteer");
    const std::string q = c.request.query("q");
    json list = json::array();
    if (q.empty()) {
      for (const auto& p : (*places)->all()) {
        if (p.parent.empty()) list.push_back(place_json(p));
      }
    } else {
      for (const auto* p : (*places)->suggest(q, limit_in(c.request)))
        list.push_back(place_json(*p));
    }
    return json_response(200, {{"places", std::move(list)}});
  });

  route("GET", "/api/v1/facilities", any_signed_in, [this](Context& c) {
    auto registry = facility_registry();
    if (!registry.is_ok()) return status_response(registry.status(), "reading the registry");
    const std::string q = c.request.query("q");
    auto found = q.empty() ? (*registry)->all() : (*registry)->suggest(q, limit_in(c.request));
    if (!found.is_ok()) return status_response(found.status(), "reading the registry");
    const auto names = usernames();
    json list = json::array();
    for (const auto& f : *found) list.push_back(facility_json(f, names));
    return json_response(200, {{"facilities", std::move(list)}});
  });

  route("GET", "/api/v1/facilities/{id}", any_signed_in, [this](Context& c) {
    auto registry = facility_registry();
    if (!registry.is_ok()) return status_response(registry.status(), "reading the registry");
    auto versions = (*registry)->history(c.request.params.at("id"));
    if (!versions.is_ok()) return status_response(versions.status(), "reading the facility");
    if (versions->empty()) return error_response(404, "not_found", "no such facility");
    const auto names = usernames();
    json list = json::array();
    for (const auto& f : *versions) list.push_back(facility_json(f, names));
    return json_response(200, {{"facility", list.back()}, {"versions", list}});
  });

  route("POST", "/api/v1/facilities", Access{true, facility_editors()}, [this](Context& c) {
    auto f = parse_facility(c.request.body, false);
    if (!f.is_ok()) return error_response(400, "bad_request", f.status().message());
    auto registry = facility_registry();
    if (!registry.is_ok()) return status_response(registry.status(), "reading the registry");
    auto added = (*registry)->add(std::move(*f), c.caller->user.id);
    if (!added.is_ok()) return status_response(added.status(), "adding the facility");
    (void)hub_.audit("facility.add", added->id, {{"user_id", c.caller->user.id}});
    return json_response(201, facility_json(*added, usernames()));
  });

  route("PUT", "/api/v1/facilities/{id}", Access{true, facility_editors()}, [this](Context& c) {
    auto f = parse_facility(c.request.body, true);
    if (!f.is_ok()) return error_response(400, "bad_request", f.status().message());
    f->id = c.request.params.at("id");
    auto registry = facility_registry();
    if (!registry.is_ok()) return status_response(registry.status(), "reading the registry");
    auto updated = (*registry)->update(std::move(*f), c.caller->user.id);
    if (!updated.is_ok()) return status_response(updated.status(), "correcting the facility");
    (void)hub_.audit("facility.change", updated->id,
                     {{"user_id", c.caller->user.id}, {"version", updated->version}});
    return json_response(200, facility_json(*updated, usernames()));
  });
}

}  // namespace evhub::api
