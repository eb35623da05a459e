// Disclosure packages: what a legal officer assembles to answer a request for assistance —
// documents, transcripts, witness summaries — each item passed through the consent gate for the
// request's recipient and, where it must be, redacted and the redaction reviewed; approved by a
// legal officer who did not build it; then exported once, as a signed and encrypted bag.
//
// Each version of a package is an encrypted record (kind "package") in the organisation's
// hub-wide key domain "disclosure-<organisation id>". packages.db is the view of those records
// rebuilt from the custody log: packages and their items' witnesses, objects and consent
// versions, so that "where has this testimony gone" is answered without decrypting anything.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hub/hub.h"

namespace evhub::disclosure {

// draft -> in-review -> approved -> exported, with in-review -> changes-requested -> in-review.
// Items change only in draft and changes-requested; exported is final.
inline constexpr const char* kPackageStates[] = {"draft", "in-review", "changes-requested",
                                                 "approved", "exported"};

// The consent gate's decision on an item for the request's recipient, when it was last checked.
struct GateResult {
  bool allowed = false;
  std::string reason;       // "W-00123: consent v2 does not cover lawyers"; empty when allowed
  int consent_version = 0;  // the witness's consent version that permits it (0: not a witness's)
};

struct PackageItem {
  std::string object_id;    // the original in the hub
  std::string witness;      // the witness's code when it is their material, else empty
  std::string folder;       // where it goes under data/: a witness's or an incident's code
  std::string description;  // what the index says it is
  GateResult gate;
  // The redacted object to deliver (derived from object_id), or empty to deliver the original;
  // a redacted item needs the user who reviewed the redaction before the package is submitted.
  std::string delivered_object_id;
  std::string redaction_reviewed_by;
};

struct Package {
  std::string id;  // "pk-" + 32 hex, given when it is first stored
  int version = 0;
  std::string organisation_id;
  std::string request_id;
  // Its production numbers are EVH-<year>-<number>-<item>: the year it was created and its
  // place among that year's packages of the hub.
  int year = 0;
  int number = 0;
  std::string state = "draft";
  std::vector<PackageItem> items;
  std::string note;                  // the reviewer's reason when changes are requested
  std::vector<std::string> editors;  // who built it and who changed its items, builder first
  std::string approved_by;
  std::string updated_by;  // the user making this version (required)
  std::string updated_at;  // set by the store
};

// One item of an exported package, for the disclosure log.
struct Disclosure {
  std::string package_id;
  std::string request_id;
  std::string organisation_id;
  std::string object_id;
  std::string witness;
  int consent_version = 0;
  std::string exported_at;
};

class PackageStore {
 public:
  // Opens packages.db (creating it) and catches up with the log.
  static Result<std::unique_ptr<PackageStore>> open(hub::Hub& hub);
  ~PackageStore();

  Status sync();

  // A new, empty package in draft answering `request_id` (the caller has checked the request).
  Result<Package> create(const std::string& organisation_id, const std::string& request_id,
                         const std::string& by);
  // Its items replaced; only in draft or changes-requested, with the version seen.
  Result<Package> set_items(const std::string& id, int version, std::vector<PackageItem> items,
                            const std::string& by);
  // To review: refused while an item is blocked by the gate or redacted without a review.
  Result<Package> submit(const std::string& id, int version, const std::string& by);
  Result<Package> request_changes(const std::string& id, int version, const std::string& by,
                                  const std::string& note);
  // By someone who never stored a version of it (kFailedPrecondition otherwise).
  Result<Package> approve(const std::string& id, int version, const std::string& by);
  // After its bag has been written and logged; only once, only when approved.
  Result<Package> mark_exported(const std::string& id, int version, const std::string& by);

  Result<std::optional<Package>> get(const std::string& id);
  Result<std::vector<Package>> history(const std::string& id);  // oldest first
  // Packages of these organisations (all if empty), newest change first, without items.
  Result<std::vector<Package>> list(const std::vector<std::string>& organisation_ids);
  // Every exported item of the witness's material, oldest export first.
  Result<std::vector<Disclosure>> disclosures_of(const std::string& witness);
  // The disclosure log: every exported item of the packages of these organisations (none if
  // the list is empty: a log is always asked for someone's organisations), oldest export
  // first, material of no witness included.
  Result<std::vector<Disclosure>> disclosures(const std::vector<std::string>& organisation_ids);
  // The requests whose recipients hold some of the witness's material (exported packages),
  // each once, oldest first: who to notify when the witness withdraws consent.
  Result<std::vector<std::string>> requests_holding(const std::string& witness);

 private:
  struct Impl;
  explicit PackageStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

std::string disclosure_domain(const std::string& organisation_id);

}  // namespace evhub::disclosure
