#include "coding/passage_index.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "catalog/catalog.h"
#include "coding/annotations.h"
#include "coding/framework_store.h"
#include "core/hex.h"
#include "crypto/crypto.h"

namespace evhub::coding {
namespace {

search::IndexItem item_of(const Annotation& a, const Framework& framework,
                          const catalog::KeyDomain& domain, const std::string& object_sensitivity) {
  search::IndexItem item;
  item.id = kPassageIdPrefix + a.id;
  item.type = kPassageType;
  item.organisation_id = a.organisation_id;
  item.domain_id = domain.id;
  item.witness = domain.name;
  item.sensitivity = object_sensitivity;
  std::set<std::string> codes;
  std::string first_label;
  for (const CodeRef& ref : a.codes) {
    item.sensitivity =
        catalog::stricter_sensitivity(item.sensitivity, sensitivity_of_code(framework, ref.id));
    codes.insert(ref.id);
    for (const FrameworkCode* up : framework.path(ref.id)) codes.insert(up->id);
    if (first_label.empty()) {
      auto then = framework.code_at(ref.id, ref.revision);
      first_label = then.is_ok() ? then->label.en : ref.id;
    }
  }
  item.codes.assign(codes.begin(), codes.end());
  item.date = a.facets.date.from;
  if (!a.facets.place.empty()) item.places = {a.facets.place};
  if (!a.facets.facility.empty()) item.facilities = {a.facets.facility};
  item.persons = a.facets.persons;
  item.group = a.target.object_id;
  item.title = fmt::format("Coded passage: {}, {}", first_label, domain.name);
  item.open = "coding/" + a.target.object_id + "?annotation=" + a.id;
  item.text = a.passage;
  const nlohmann::json v = {
      item.type,   item.organisation_id, item.sensitivity, item.codes, item.date,
      item.places, item.facilities,      item.persons,     item.title, item.open,
      a.version,   framework.version(),  item.text};
  item.version = to_hex(crypto::sha256(as_bytes(v.dump()))).substr(0, 32);
  return item;
}

Result<std::vector<search::IndexItem>> items_of(hub::Hub& hub, const catalog::KeyDomain& domain) {
  std::vector<search::IndexItem> out;
  if (domain.shredded) return out;
  EVHUB_ASSIGN_OR_RETURN(auto annotations, AnnotationStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto coded, annotations->in_domain(domain.name));
  if (coded.empty()) return out;
  EVHUB_ASSIGN_OR_RETURN(auto frameworks, FrameworkStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(Framework framework, frameworks->current());
  std::map<std::string, std::string> sensitivity_of_object;
  for (Annotation& a : coded) {
    auto known = sensitivity_of_object.find(a.target.object_id);
    if (known == sensitivity_of_object.end()) {
      auto described = hub.describe(a.target.object_id);
      if (!described.is_ok()) continue;  // its object is gone: so is the passage
      known =
          sensitivity_of_object.emplace(a.target.object_id, described->record.sensitivity).first;
    }
    out.push_back(item_of(a, framework, domain, known->second));
    crypto::wipe(a.passage.data(), a.passage.size());
  }
  return out;
}

Result<std::string> text_of(hub::Hub& hub, const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(auto annotations, AnnotationStore::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto a, annotations->get(id.substr(std::string(kPassageIdPrefix).size())));
  if (!a || a->removed) return Status(Code::kNotFound, "no coded passage " + id);
  return a->passage;
}

}  // namespace

collection::IndexFeed coded_passage_feed() {
  return {kPassageIdPrefix, items_of, text_of};
}

void index_coded_passages() {
  collection::add_index_feed(coded_passage_feed());
}

}  // namespace evhub::coding
