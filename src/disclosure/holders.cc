#include "disclosure/holders.h"

#include <map>

namespace evhub::disclosure {

Result<std::vector<Holder>> holders_of(PackageStore& packages, RequestRegister& requests,
                                       const std::string& witness) {
  EVHUB_ASSIGN_OR_RETURN(auto ids, packages.requests_holding(witness));
  std::vector<Holder> out;
  if (ids.empty()) return out;
  EVHUB_ASSIGN_OR_RETURN(auto listed, requests.list({}, {}));
  std::map<std::string, const ListedRequest*> by_id;
  for (const auto& r : listed) by_id[r.id] = &r;
  for (const auto& id : ids) {
    Holder h;
    h.request_id = id;
    if (auto it = by_id.find(id); it != by_id.end()) {
      h.requester_kind = it->second->requester_kind;
      h.body = it->second->body;
      h.reference = it->second->reference;
      h.status = it->second->status;
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace evhub::disclosure
