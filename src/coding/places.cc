// The gazetteer: read from its JSON file (every problem named by its JSON path), then read-only.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "coding/framework_internal.h"
#include "coding/place_names_internal.h"
#include "coding/places.h"
#include "coding/places_internal.h"

#ifndef EVHUB_DATA_DIR
#error "EVHUB_DATA_DIR must name the repository's data/ folder (set in CMakeLists.txt)"
#endif

namespace evhub::coding {

namespace {

using nlohmann::json;

constexpr const char* kGazetteerFormat = "evhub-gazetteer/1";
constexpr std::size_t kMaxPlaceTextBytes = 200;
constexpr std::size_t kMaxPlaceVariants = 50;

bool is_place_id(std::string_view id) {
  if (id.empty() || id.size() > 100 || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// Cities and towns first, then regions, then districts: "Hrodna" most often means the city.
int type_rank(const std::string& type) {
  if (type == "city") return 0;
  if (type == "town") return 1;
  if (type == "region") return 2;
  return 3;
}

}  // namespace

bool inside_belarus(double latitude, double longitude) {
  return std::isfinite(latitude) && std::isfinite(longitude) && latitude >= kBelarusMinLatitude &&
         latitude <= kBelarusMaxLatitude && longitude >= kBelarusMinLongitude &&
         longitude <= kBelarusMaxLongitude;
}

namespace internal {

Result<std::string> read_data_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return Status(evhub::Code::kNotFound, fmt::format("cannot read {}: {}", path, ec.message()));
  }
  if (size > kMaxFileBytes) {
    return Status(evhub::Code::kInvalidArgument,
                  fmt::format("{}: larger than {} MiB", path, kMaxFileBytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Status(evhub::Code::kNotFound, "cannot read " + path);
  return text.str();
}

Result<json> parse_json_object(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann::json says where a document stops being JSON only through its parse_error.
    std::string what = e.what();
    const auto bracket = what.find("] ");
    return invalid(
        {"not valid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2))});
  }
  if (!doc.is_object()) return invalid({"the document is not a JSON object"});
  return doc;
}

void JsonReader::problem(const std::string& path, const std::string& message) {
  problems.push_back(path + ": " + message);
}

std::string JsonReader::text(const json& j, const std::string& path, const char* field,
                             bool required, std::size_t max_bytes) {
  const std::string at = path + "." + field;
  if (!j.contains(field) || j[field].is_null()) {
    if (required) problem(at, "missing");
    return "";
  }
  if (!j[field].is_string()) {
    problem(at, "must be a string");
    return "";
  }
  std::string value = j[field].get<std::string>();
  if (required && value.empty()) problem(at, "must not be empty");
  const std::string wrong = text_problem(value, max_bytes, false);
  if (!wrong.empty()) problem(at, wrong);
  return value;
}

std::optional<double> JsonReader::number(const json& j, const std::string& path, const char* field,
                                         bool required) {
  const std::string at = path + "." + field;
  if (!j.contains(field) || j[field].is_null()) {
    if (required) problem(at, "missing");
    return std::nullopt;
  }
  if (!j[field].is_number()) {
    problem(at, "must be a number (decimal degrees)");
    return std::nullopt;
  }
  return j[field].get<double>();
}

Texts JsonReader::names(const json& j, const std::string& path, bool all_required,
                        std::size_t max_bytes) {
  Texts t;
  const std::string at = path + ".names";
  if (!j.contains("names") || !j["names"].is_object()) {
    problem(at, "missing, or not an object of en, be and ru");
    return t;
  }
  const json& n = j["names"];
  t.en = text(n, at, "en", all_required, max_bytes);
  t.be = text(n, at, "be", all_required, max_bytes);
  t.ru = text(n, at, "ru", all_required, max_bytes);
  return t;
}

std::vector<std::string> JsonReader::variants(const json& j, const std::string& path,
                                              std::size_t max_count, std::size_t max_bytes) {
  std::vector<std::string> out;
  const std::string at = path + ".variants";
  if (!j.contains("variants") || j["variants"].is_null()) return out;
  if (!j["variants"].is_array()) {
    problem(at, "must be an array of strings");
    return out;
  }
  if (j["variants"].size() > max_count) problem(at, fmt::format("more than {}", max_count));
  for (std::size_t i = 0; i < j["variants"].size(); ++i) {
    const json& v = j["variants"][i];
    const std::string vat = fmt::format("{}[{}]", at, i);
    if (!v.is_string() || v.get<std::string>().empty()) {
      problem(vat, "must be a non-empty string");
      continue;
    }
    const std::string wrong = text_problem(v.get<std::string>(), max_bytes, false);
    if (!wrong.empty()) problem(vat, wrong);
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace internal

Gazetteer::Gazetteer() : names_(std::make_unique<internal::NameIndex>()) {}
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer::~Gazetteer() = default;

std::string Gazetteer::default_path() {
  return std::string(EVHUB_DATA_DIR) + "/places/belarus.json";
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::load_default() {
  return load(default_path());
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::load(const std::string& path) {
  EVHUB_ASSIGN_OR_RETURN(std::string text, internal::read_data_file(path));
  auto gazetteer = from_json(text);
  if (!gazetteer.is_ok()) return gazetteer.status().with_context(path);
  return gazetteer;
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::from_json(std::string_view text) {
  EVHUB_ASSIGN_OR_RETURN(json doc, internal::parse_json_object(text));
  internal::JsonReader r;
  if (doc.value("format", "") != kGazetteerFormat) {
    r.problem("format", fmt::format("must be \"{}\"", kGazetteerFormat));
  }
  if (!doc.contains("places") || !doc["places"].is_array()) {
    r.problem("places", "missing, or not an array");
    return internal::invalid(r.problems);
  }
  auto g = std::shared_ptr<Gazetteer>(new Gazetteer());
  const json& places = doc["places"];
  for (std::size_t i = 0; i < places.size(); ++i) {
    const std::string at = fmt::format("places[{}]", i);
    const json& j = places[i];
    if (!j.is_object()) {
      r.problem(at, "not an object");
      continue;
    }
    Place p;
    p.id = r.text(j, at, "id", true, 100);
    if (!p.id.empty() && !is_place_id(p.id)) {
      r.problem(at + ".id", "\"" + p.id + "\" is not lower-case letters, digits and '-'");
    }
    p.type = r.text(j, at, "type", true, 20);
    if (!p.type.empty() &&
        std::find_if(std::begin(kPlaceTypes), std::end(kPlaceTypes),
                     [&](const char* t) { return p.type == t; }) == std::end(kPlaceTypes)) {
      r.problem(at + ".type", "\"" + p.type + "\" is not region, district, city or town");
    }
    p.parent = r.text(j, at, "parent", false, 100);
    const auto lat = r.number(j, at, "latitude", true);
    const auto lon = r.number(j, at, "longitude", true);
    if (lat && lon) {
      p.latitude = *lat;
      p.longitude = *lon;
      if (!inside_belarus(p.latitude, p.longitude)) {
        r.problem(at + ".latitude",
                  fmt::format("{}, {} is outside Belarus", p.latitude, p.longitude));
      }
    }
    p.names = r.names(j, at, true, kMaxPlaceTextBytes);
    p.variants = r.variants(j, at, kMaxPlaceVariants, kMaxPlaceTextBytes);
    if (!p.id.empty() && !g->by_id_.emplace(p.id, g->places_.size()).second) {
      r.problem(at + ".id", "\"" + p.id + "\" is used twice");
      continue;
    }
    g->places_.push_back(std::move(p));
  }
  // Each kind of place sits under one kind of parent, so the tree has no cycle.
  for (std::size_t i = 0; i < g->places_.size(); ++i) {
    const Place& p = g->places_[i];
    const std::string at = fmt::format("places[{}].parent", i);
    const Place* parent = p.parent.empty() ? nullptr : g->find(p.parent);
    if (!p.parent.empty() && !parent) {
      r.problem(at, "unknown place \"" + p.parent + "\"");
    } else if (p.type == "region" && parent) {
      r.problem(at, "a region has no parent");
    } else if (p.type == "district" && (!parent || parent->type != "region")) {
      r.problem(at, "a district's parent is its region");
    } else if (p.type == "town" &&
               (!parent || (parent->type != "district" && parent->type != "region"))) {
      r.problem(at, "a town's parent is its district or region");
    } else if (p.type == "city" && parent && parent->type != "region") {
      r.problem(at, "a city's parent is its region (or none, for the capital)");
    }
  }
  if (!r.problems.empty()) return internal::invalid(r.problems);
  for (std::size_t i = 0; i < g->places_.size(); ++i) {
    const Place& p = g->places_[i];
    for (const std::string* name : {&p.names.en, &p.names.be, &p.names.ru})
      g->names_->add(i, *name);
    for (const auto& v : p.variants) g->names_->add(i, v);
  }
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

const Place* Gazetteer::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &places_[it->second];
}

std::vector<const Place*> Gazetteer::children(std::string_view id) const {
  std::vector<const Place*> out;
  for (const Place& p : places_) {
    if (!p.parent.empty() && p.parent == id) out.push_back(&p);
  }
  std::sort(out.begin(), out.end(), [](const Place* a, const Place* b) {
    return std::tie(a->names.en, a->id) < std::tie(b->names.en, b->id);
  });
  return out;
}

namespace {

std::vector<const Place*> ranked(const std::vector<Place>& places,
                                 std::vector<internal::NameHit> hits, std::size_t limit) {
  std::sort(hits.begin(), hits.end(), [&](const internal::NameHit& a, const internal::NameHit& b) {
    const Place& pa = places[a.entry];
    const Place& pb = places[b.entry];
    return std::make_tuple(a.match, type_rank(pa.type), a.distance, std::cref(pa.names.en),
                           std::cref(pa.id)) < std::make_tuple(b.match, type_rank(pb.type),
                                                               b.distance, std::cref(pb.names.en),
                                                               std::cref(pb.id));
  });
  std::vector<const Place*> out;
  for (const auto& h : hits) {
    if (out.size() >= limit) break;
    out.push_back(&places[h.entry]);
  }
  return out;
}

}  // namespace

std::vector<const Place*> Gazetteer::lookup(std::string_view name) const {
  return ranked(places_, names_->lookup(name), places_.size());
}

std::vector<const Place*> Gazetteer::suggest(std::string_view prefix, std::size_t limit) const {
  return ranked(places_, names_->suggest(prefix), limit);
}

}  // namespace evhub::coding
