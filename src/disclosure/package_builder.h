// The steps of building a package that the CLI and the API share, so that there is one way to
// do each: candidates passed through the consent gate for the request's recipient (with the
// delivery warnings and the witnesses whose consent should be renewed), an item redacted for
// its recipient (reading the witness's personal details, logged), and a redaction reviewed.
#pragma once

#include <string>
#include <vector>

#include "collection/collection.h"
#include "core/status.h"
#include "disclosure/consent_gate.h"
#include "disclosure/packages.h"
#include "disclosure/redact_item.h"
#include "disclosure/requests.h"
#include "hub/hub.h"

namespace evhub::disclosure {

// An object someone wants in a package: where it goes and what the index says it is are
// optional (empty: the witness's code, or "items" for material of no witness; the object's
// media type).
struct ItemSpec {
  std::string object_id;
  std::string folder;
  std::string description;
};

// One candidate after the gate: the item as the package would hold it (gate result and the
// consent version that permits it filled in), the gate's decision (whose reason also says what
// allowed an allowed item), and what a person should know before delivering it whole
// (delivery_warnings(): "gps", "date_time_original").
struct GatedCandidate {
  PackageItem item;
  GateDecision decision;
  std::vector<std::string> warnings;
};

struct BuiltItems {
  std::vector<GatedCandidate> candidates;  // in the order given
  std::vector<std::string> renew;          // witnesses_to_renew() of the decisions
  std::vector<PackageItem> items() const;  // the candidates' items, blocked ones included
};

// Describes each object (kNotFound for an unknown one), takes the witness whose material it is
// from its key domain, and passes every item through the consent gate for `request` as of
// `today` (YYYY-MM-DD). Blocked items are kept with their reason: the builder sees them.
// kInvalidArgument for an object given twice (items are named by their object).
Result<BuiltItems> gate_candidates(hub::Hub& hub, collection::Collection& witnesses,
                                   const Request& request, const std::vector<ItemSpec>& specs,
                                   const std::string& today);

struct BuiltPackage {
  Package package;
  BuiltItems gated;
};

// A new package in draft answering `request`, holding the gated candidates (blocked ones
// too: submit() refuses them until they are taken out or their consent renewed).
Result<BuiltPackage> build_package(hub::Hub& hub, collection::Collection& witnesses,
                                   PackageStore& packages, const Request& request,
                                   const std::vector<ItemSpec>& specs, const std::string& today,
                                   const std::string& by);

// The items of package `id` (at `version`, for `request`) replaced by the gated candidates. An
// object that stays keeps its redaction and the review of it: the redacted file is the same.
Result<BuiltPackage> replace_items(hub::Hub& hub, collection::Collection& witnesses,
                                   PackageStore& packages, const Request& request,
                                   const std::string& id, int version,
                                   const std::vector<ItemSpec>& specs, const std::string& today,
                                   const std::string& by);

struct RedactedPackageItem {
  Package package;  // the new version, delivering the redacted object
  RedactedItem redacted;
};

// Redacts item `object_id` of `package` (the version the caller saw): a text pseudonymised for
// its witness (whose personal details are read for it, and the read logged as
// "witness.personal.view" for "redaction", naming `by` but no personal data), a PDF or image
// boxed. The item then delivers the redacted object and needs a new review. kNotFound if the
// object is not in the package; set_items() refuses a package not in draft or changes
// requested, or no longer at package.version.
Result<RedactedPackageItem> redact_package_item(hub::Hub& hub, collection::Collection& witnesses,
                                                PackageStore& packages, const Package& package,
                                                const std::string& object_id,
                                                const std::vector<RedactionBox>& boxes,
                                                const std::string& by);

// Records that `by` has read the redacted version of item `object_id` and confirms it
// (kFailedPrecondition if the item has no redaction to review).
Result<Package> review_redaction(PackageStore& packages, const Package& package,
                                 const std::string& object_id, const std::string& by);

}  // namespace evhub::disclosure
