#include "disclosure/package_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
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

namespace {

// Redacted bytes stored per batch (one custody append and signed head each): bounds the memory
// a package of many large texts takes; a package's transcripts fit in one.
constexpr std::size_t kRedactionBatchBytes = std::size_t{64} << 20;

struct Wanted {
  std::string object_id;
  std::vector<RedactionBox> boxes;
};

// The witnesses' personal details as the redaction looks for them, wiped when done with.
struct Identities {
  std::map<std::string, std::vector<WitnessIdentity>> by_witness;
  const std::vector<WitnessIdentity> none;
  const std::vector<WitnessIdentity>& of(const std::string& witness) const {
    auto found = by_witness.find(witness);
    return found == by_witness.end() ? none : found->second;
  }
  Identities() = default;
  Identities(const Identities&) = delete;
  Identities& operator=(const Identities&) = delete;
  ~Identities() {
    for (auto& [code, list] : by_witness) {
      for (auto& who : list) {
        for (std::string* s : {&who.name, &who.contacts, &who.date_of_birth, &who.address}) {
          wipe(*s);
        }
      }
    }
  }
};

// Reads each witness's personal details once; the reads are logged, under one signed head,
// before any detail is used. The events name the witness, never the details.
Status read_identities(hub::Hub& hub, collection::Collection& witnesses,
                       const std::set<std::string>& codes, const std::string& package_id,
                       const std::string& by, Identities& out) {
  std::vector<hub::AuditEntry> reads;
  for (const std::string& code : codes) {
    auto personal = witnesses.personal_details(code);
    if (!personal.is_ok()) {
      if (personal.status().code() == Code::kNotFound) continue;
      return personal.status();
    }
    out.by_witness[code].push_back(
        {code, personal->name, personal->contacts, personal->date_of_birth, personal->address});
    for (std::string* s :
         {&personal->name, &personal->contacts, &personal->date_of_birth, &personal->address}) {
      wipe(*s);
    }
    reads.push_back(
        {"witness.personal.view",
         "",
         {{"witness", code}, {"for", "redaction"}, {"package", package_id}, {"by", by}}});
  }
  return hub.audit_all(reads);
}

// Refuses a package that cannot take a redaction or a review now, before anything is done.
Status check_editable(PackageStore& packages, const Package& package) {
  if (package.state != "draft" && package.state != "changes-requested") {
    return Status(Code::kFailedPrecondition,
                  "package " + package.id + " is " + package.state + ": this cannot be done now");
  }
  EVHUB_ASSIGN_OR_RETURN(auto current, packages.get(package.id));
  if (!current) return Status(Code::kNotFound, "there is no package " + package.id);
  if (current->version != package.version) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("package {} was changed since version {} (it is at version {}); "
                              "reload it and apply your change again",
                              package.id, package.version, current->version));
  }
  return Status::ok();
}

Result<RedactedPackageItems> redact_wanted(hub::Hub& hub, collection::Collection& witnesses,
                                           PackageStore& packages, const Package& package,
                                           const std::vector<Wanted>& wanted,
                                           const std::string& by) {
  std::vector<PackageItem> items = package.items;
  std::vector<std::size_t> at;  // wanted[i] is items[at[i]]
  std::set<std::string> seen, codes;
  for (const Wanted& w : wanted) {
    if (!seen.insert(w.object_id).second) {
      return Status(Code::kInvalidArgument, w.object_id + " is given twice");
    }
    EVHUB_ASSIGN_OR_RETURN(auto item, find_item(items, w.object_id));
    if (!item->gate.allowed) {
      return Status(Code::kFailedPrecondition,
                    w.object_id + " is blocked (" + item->gate.reason +
                        "): it cannot go, so it is not redacted; take it out or renew the consent");
    }
    at.push_back(static_cast<std::size_t>(item - items.begin()));
    if (!item->witness.empty()) codes.insert(item->witness);
  }
  RedactedPackageItems out;
  if (wanted.empty()) {
    out.package = package;
    return out;
  }
  Identities identities;
  EVHUB_RETURN_IF_ERROR(read_identities(hub, witnesses, codes, package.id, by, identities));
  std::vector<PreparedRedaction> batch;
  std::size_t batch_bytes = 0;
  auto flush = [&]() -> Status {
    EVHUB_ASSIGN_OR_RETURN(auto stored, store_redactions(hub, batch));
    for (auto& r : stored) out.redacted.push_back(std::move(r));
    batch.clear();
    batch_bytes = 0;
    return Status::ok();
  };
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const PackageItem& item = items[at[i]];
    auto prepared =
        prepare_redaction(hub, item.object_id, identities.of(item.witness), wanted[i].boxes);
    if (!prepared.is_ok()) {
      return wanted.size() == 1 ? prepared.status()
                                : prepared.status().with_context("redacting " + item.object_id);
    }
    batch_bytes += prepared->derived.data.size();
    batch.push_back(std::move(prepared).value());
    if (batch_bytes >= kRedactionBatchBytes) EVHUB_RETURN_IF_ERROR(flush());
  }
  if (!batch.empty()) EVHUB_RETURN_IF_ERROR(flush());
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    PackageItem& item = items[at[i]];
    item.delivered_object_id = out.redacted[i].object_id;
    item.redaction_reviewed_by.clear();  // a new redaction needs a new review
    out.object_ids.push_back(item.object_id);
  }
  EVHUB_ASSIGN_OR_RETURN(out.package,
                         packages.set_items(package.id, package.version, std::move(items), by));
  return out;
}

}  // namespace

Result<RedactedPackageItems> redact_package_items(hub::Hub& hub, collection::Collection& witnesses,
                                                  PackageStore& packages, const Package& package,
                                                  const std::vector<std::string>& object_ids,
                                                  const std::string& by) {
  // Checked before anything is redacted, read or stored: a redaction the package cannot take
  // would only leave a derived object behind.
  EVHUB_RETURN_IF_ERROR(check_editable(packages, package));
  std::vector<Wanted> wanted;
  if (!object_ids.empty()) {
    for (const auto& id : object_ids) wanted.push_back({id, {}});
  } else {
    for (const auto& item : package.items) {
      if (!item.gate.allowed || !item.delivered_object_id.empty()) continue;
      EVHUB_ASSIGN_OR_RETURN(bool text, is_redactable_text(hub, item.object_id));
      if (text) wanted.push_back({item.object_id, {}});
    }
  }
  return redact_wanted(hub, witnesses, packages, package, wanted, by);
}

Result<RedactedPackageItem> redact_package_item(hub::Hub& hub, collection::Collection& witnesses,
                                                PackageStore& packages, const Package& package,
                                                const std::string& object_id,
                                                const std::vector<RedactionBox>& boxes,
                                                const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_editable(packages, package));
  EVHUB_ASSIGN_OR_RETURN(
      auto done, redact_wanted(hub, witnesses, packages, package, {Wanted{object_id, boxes}}, by));
  RedactedPackageItem out;
  out.package = std::move(done.package);
  out.redacted = std::move(done.redacted.front());
  return out;
}

Result<Package> review_redactions(PackageStore& packages, const Package& package,
                                  const std::vector<std::string>& object_ids,
                                  const std::string& by) {
  std::vector<PackageItem> items = package.items;
  bool changed = false;
  if (object_ids.empty()) {
    for (auto& item : items) {
      if (item.delivered_object_id.empty() || !item.redaction_reviewed_by.empty()) continue;
      item.redaction_reviewed_by = by;
      changed = true;
    }
    if (!changed) return package;
  }
  std::set<std::string> seen;
  for (const auto& object_id : object_ids) {
    if (!seen.insert(object_id).second) {
      return Status(Code::kInvalidArgument, object_id + " is given twice");
    }
    auto item = std::find_if(items.begin(), items.end(),
                             [&](const PackageItem& i) { return i.object_id == object_id; });
    if (item == items.end() || item->delivered_object_id.empty()) {
      return Status(Code::kFailedPrecondition, object_id + " has no redaction to review");
    }
    item->redaction_reviewed_by = by;
  }
  return packages.set_items(package.id, package.version, std::move(items), by);
}

Result<Package> review_redaction(PackageStore& packages, const Package& package,
                                 const std::string& object_id, const std::string& by) {
  return review_redactions(packages, package, {object_id}, by);
}

}  // namespace evhub::disclosure
