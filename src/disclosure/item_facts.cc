#include "disclosure/item_facts.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

namespace evhub::disclosure {
namespace {

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

// The range of the dates coded on the object: the earliest "from", the latest "to" or "from".
Result<std::string> coded_dates(coding::AnnotationStore& annotations,
                                const std::string& object_id) {
  EVHUB_ASSIGN_OR_RETURN(auto on, annotations.on_object(object_id));
  std::string first, last;
  for (const auto& a : on) {
    if (a.removed || a.facets.date.from.empty()) continue;
    const std::string& from = a.facets.date.from;
    const std::string& to = a.facets.date.to.empty() ? from : a.facets.date.to;
    if (first.empty() || from < first) first = from;
    if (last.empty() || to > last) last = to;
  }
  if (first.empty()) return std::string();
  return first == last ? first : fmt::format("{} – {}", first, last);
}

// The language a derived text records: extraction's "language", a translation's "to".
std::string recorded_language(const catalog::ObjectRecord& record) {
  if (!record.tool_parameters) return "";
  auto j = nlohmann::json::parse(*record.tool_parameters, nullptr, false);
  if (!j.is_object()) return "";
  for (const char* key : {"language", "to"}) {
    if (j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  }
  return "";
}

}  // namespace

ItemFactsReader::ItemFactsReader(hub::Hub& hub, collection::Collection& witnesses,
                                 coding::AnnotationStore* annotations)
    : hub_(hub), witnesses_(witnesses), annotations_(annotations) {}

Result<ItemFacts> ItemFactsReader::facts(const std::string& object_id, const std::string& witness) {
  ItemFacts facts;
  if (annotations_) {
    EVHUB_ASSIGN_OR_RETURN(facts.dates, coded_dates(*annotations_, object_id));
  }
  EVHUB_ASSIGN_OR_RETURN(auto object, hub_.describe(object_id));
  facts.language = recorded_language(object.record);
  if (witness.empty()) return facts;
  if (!documents_.count(witness)) {
    EVHUB_ASSIGN_OR_RETURN(documents_[witness], witnesses_.documents(witness));
    EVHUB_ASSIGN_OR_RETURN(interviews_[witness], witnesses_.interviews(witness));
  }
  for (const auto& d : documents_[witness]) {
    if (d.object_id != object_id) continue;
    if (facts.dates.empty()) facts.dates = d.date;
    if (facts.language.empty()) facts.language = d.language;
    return facts;
  }
  for (const auto& iv : interviews_[witness]) {
    const bool recording =
        std::find(iv.recordings.begin(), iv.recordings.end(), object_id) != iv.recordings.end();
    if (iv.transcript != object_id && !recording) continue;
    if (facts.dates.empty()) facts.dates = iv.on;
    if (facts.language.empty()) facts.language = joined(iv.languages);
    return facts;
  }
  return facts;
}

}  // namespace evhub::disclosure
