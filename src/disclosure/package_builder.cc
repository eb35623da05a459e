#include "disclosure/package_builder.h"

#include <algorithm>
#include <set>

#include "crypto/crypto.h"

namespace evhub::disclosure {

namespace {

void wipe(std::string& s) {
  crypto::wipe(s.data(), s.size());
  s.clear();
}

// The item `object_id` of `package`, or kNotFound.
Result<std::vector<PackageItem>::iterator> find_item(std::vector<PackageItem>& items,
                                                     const std::string& object_id) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const PackageItem& i) { return i.object_id == object_id; });
  if (it == items.end()) return Status(Code::kNotFound, object_id + " is not in the package");
  return it;
}

}  // namespace

std::vector<PackageItem> BuiltItems::items() const {
  std::vector<PackageItem> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) out.push_back(c.item);
  return out;
}

Result<BuiltItems> gate_candidates(hub::Hub& hub, collection::Collection& witnesses,
                                   const Request& request, const std::vector<ItemSpec>& specs,
                                   const std::string& today) {
  std::set<std::string> seen;
  std::vector<GateItem> gated;
  BuiltItems out;
  for (const auto& spec : specs) {
    if (!seen.insert(spec.object_id).second) {
      return Status(Code::kInvalidArgument, spec.object_id + " is given twice");
    }
    GatedCandidate c;
    PackageItem& item = c.item;
    item.object_id = spec.object_id;
    EVHUB_ASSIGN_OR_RETURN(auto object, hub.describe(item.object_id));
    EVHUB_ASSIGN_OR_RETURN(auto witness, witnesses.witness(object.domain));
    item.witness = witness ? object.domain : "";
    item.folder = !spec.folder.empty()   ? spec.folder
                  : item.witness.empty() ? "items"
                                         : item.witness;
    item.description = spec.description.empty() ? object.record.media_type : spec.description;
    gated.push_back({item.object_id, item.witness, object.record.sensitivity, false});
    out.candidates.push_back(std::move(c));
  }
  EVHUB_ASSIGN_OR_RETURN(auto decisions, gate_items(witnesses, request, gated, today));
  for (std::size_t i = 0; i < out.candidates.size(); ++i) {
    auto& c = out.candidates[i];
    c.item.gate.allowed = decisions[i].allowed;
    c.item.gate.reason = decisions[i].allowed ? "" : decisions[i].reason;
    if (decisions[i].allowed && !c.item.witness.empty()) {
      EVHUB_ASSIGN_OR_RETURN(auto witness, witnesses.witness(c.item.witness));
      c.item.gate.consent_version = witness && witness->consent ? witness->consent->version : 0;
    }
    EVHUB_ASSIGN_OR_RETURN(c.warnings, delivery_warnings(hub, c.item.object_id));
    c.decision = decisions[i];
  }
  out.renew = witnesses_to_renew(decisions);
  return out;
}

Result<BuiltPackage> build_package(hub::Hub& hub, collection::Collection& witnesses,
                                   PackageStore& packages, const Request& request,
                                   const std::vector<ItemSpec>& specs, const std::string& today,
                                   const std::string& by) {
  BuiltPackage out;
  EVHUB_ASSIGN_OR_RETURN(out.gated, gate_candidates(hub, witnesses, request, specs, today));
  EVHUB_ASSIGN_OR_RETURN(auto made, packages.create(request.organisation_id, request.id, by));
  EVHUB_ASSIGN_OR_RETURN(out.package,
                         packages.set_items(made.id, made.version, out.gated.items(), by));
  return out;
}

Result<BuiltPackage> replace_items(hub::Hub& hub, collection::Collection& witnesses,
                                   PackageStore& packages, const Request& request,
                                   const std::string& id, int version,
                                   const std::vector<ItemSpec>& specs, const std::string& today,
                                   const std::string& by) {
  EVHUB_ASSIGN_OR_RETURN(auto current, packages.get(id));
  if (!current) return Status(Code::kNotFound, "there is no package " + id);
  if (current->request_id != request.id) {
    return Status(Code::kInvalidArgument,
                  id + " answers " + current->request_id + ", not " + request.id);
  }
  BuiltPackage out;
  EVHUB_ASSIGN_OR_RETURN(out.gated, gate_candidates(hub, witnesses, request, specs, today));
  for (auto& c : out.gated.candidates) {
    for (const auto& old : current->items) {
      if (old.object_id != c.item.object_id) continue;
      c.item.delivered_object_id = old.delivered_object_id;
      c.item.redaction_reviewed_by = old.redaction_reviewed_by;
    }
  }
  EVHUB_ASSIGN_OR_RETURN(out.package, packages.set_items(id, version, out.gated.items(), by));
  return out;
}

Result<RedactedPackageItem> redact_package_item(hub::Hub& hub, collection::Collection& witnesses,
                                                PackageStore& packages, const Package& package,
                                                const std::string& object_id,
                                                const std::vector<RedactionBox>& boxes,
                                                const std::string& by) {
  // Checked before anything is redacted, read or stored: a redaction the package cannot take
  // would only leave a derived object behind.
  if (package.state != "draft" && package.state != "changes-requested") {
    return Status(Code::kFailedPrecondition,
                  "package " + package.id + " is " + package.state + ": this cannot be done now");
  }
  std::vector<PackageItem> items = package.items;
  EVHUB_ASSIGN_OR_RETURN(auto item, find_item(items, object_id));
  std::vector<WitnessIdentity> identities;
  if (!item->witness.empty()) {
    auto personal = witnesses.personal_details(item->witness);
    if (personal.is_ok()) {
      // Logged before the details are used; the event names the witness, never the details.
      Status logged = hub.audit(
          "witness.personal.view", "",
          {{"witness", item->witness}, {"for", "redaction"}, {"package", package.id}, {"by", by}});
      if (logged.is_ok()) {
        identities.push_back({item->witness, personal->name, personal->contacts,
                              personal->date_of_birth, personal->address});
      }
      for (std::string* s :
           {&personal->name, &personal->contacts, &personal->date_of_birth, &personal->address}) {
        wipe(*s);
      }
      EVHUB_RETURN_IF_ERROR(logged);
    } else if (personal.status().code() != Code::kNotFound) {
      return personal.status();
    }
  }
  auto redacted = redact_item(hub, object_id, identities, boxes);
  for (auto& who : identities) {
    for (std::string* s : {&who.name, &who.contacts, &who.date_of_birth, &who.address}) wipe(*s);
  }
  EVHUB_RETURN_IF_ERROR(redacted.status());
  item->delivered_object_id = redacted->object_id;
  item->redaction_reviewed_by.clear();  // a new redaction needs a new review
  RedactedPackageItem out;
  EVHUB_ASSIGN_OR_RETURN(out.package,
                         packages.set_items(package.id, package.version, std::move(items), by));
  out.redacted = std::move(redacted).value();
  return out;
}

Result<Package> review_redaction(PackageStore& packages, const Package& package,
                                 const std::string& object_id, const std::string& by) {
  std::vector<PackageItem> items = package.items;
  auto item = std::find_if(items.begin(), items.end(),
                           [&](const PackageItem& i) { return i.object_id == object_id; });
  if (item == items.end() || item->delivered_object_id.empty()) {
    return Status(Code::kFailedPrecondition, object_id + " has no redaction to review");
  }
  item->redaction_reviewed_by = by;
  return packages.set_items(package.id, package.version, std::move(items), by);
}

}  // namespace evhub::disclosure
