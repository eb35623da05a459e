// The steps of building a package that the CLI and the API share, so that there is one way to
// do each: candidates passed through the consent gate for the request's recipient (with the
// delivery warnings and the witnesses whose consent should be renewed), an item redacted for
// its recipient (reading the witness's personal details, logged), and a redaction reviewed; the
// last two also for many items at once, in one package version.
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

struct RedactedPackageItems {
  Package package;                      // the one new version, delivering the redacted objects
  std::vector<std::string> object_ids;  // the items redacted, in the package's order
  std::vector<RedactedItem> redacted;   // for each of them
};

// Redacts many texts of `package` (the version the caller saw) in one go, as
// redact_package_item() does each, but with each witness's personal details read once (and each
// read logged once, all under one signed head, before any is used), the redacted objects stored
// as one batch (Hub::put_derived_batch), and ONE new package version. `object_ids` empty: every
// item the gate allows that is not redacted yet and whose object is a text (by its first bytes).
// Refused before anything is read or stored: a package not in draft or changes requested, or no
// longer at package.version (kFailedPrecondition); an object not in the package (kNotFound);
// an item the gate blocks (kFailedPrecondition: it cannot go, so it is not redacted); an
// object given twice (kInvalidArgument). A named object that is no text is refused as
// redact_item() refuses it. Nothing to redact is no error: the package is returned unchanged.
Result<RedactedPackageItems> redact_package_items(hub::Hub& hub, collection::Collection& witnesses,
                                                  PackageStore& packages, const Package& package,
                                                  const std::vector<std::string>& object_ids,
                                                  const std::string& by);

// Records that `by` has read the redacted version of item `object_id` and confirms it
// (kFailedPrecondition if the item has no redaction to review).
Result<Package> review_redaction(PackageStore& packages, const Package& package,
                                 const std::string& object_id, const std::string& by);

// The same for many items in one new package version. `object_ids` empty: every redacted item
// not reviewed yet (none: the package is returned unchanged). kFailedPrecondition if a named
// item has no redaction to review, kInvalidArgument for an object given twice.
Result<Package> review_redactions(PackageStore& packages, const Package& package,
                                  const std::vector<std::string>& object_ids,
                                  const std::string& by);

}  // namespace evhub::disclosure
