// Exporting an approved package, the one way a package leaves the hub: each item read from the
// hub (its redacted version where there is one) and numbered; written as a BagIt bag with the
// index, the README for recipients, the custody proofs and the hub's public key; the export
// logged; the bag signed, tarred and encrypted to the recipient's age key; the package marked
// exported. The unencrypted bag's tag files exist only in a directory of the hub's own, removed
// after; its payload is never written out unencrypted: it is hashed on a first read and
// decrypted again straight into the encrypted archive.
#pragma once

#include <string>
#include <vector>

#include "collection/collection.h"
#include "core/status.h"
#include "disclosure/packages.h"
#include "disclosure/requests.h"
#include "hub/hub.h"

namespace evhub::disclosure {

struct ExportOptions {
  std::string out_dir;                      // where <bag name>.tar.age is written
  std::vector<std::string> age_recipients;  // the recipient's age public keys (age1...)
  std::string source_organization;          // bag-info's Source-Organization
  std::string request_reference;            // bag-info's External-Identifier
  std::string prefix = "EVH";               // of production numbers
};

struct ExportedPackage {
  std::string path;      // out_dir/EVH-2026-0007.tar.age
  std::string bag_name;  // EVH-2026-0007: the directory the tar unpacks to
  std::size_t files = 0;
  std::string payload_oxum;
  std::int64_t export_event = -1;  // the custody event that logged it
  Package package;                 // as marked exported
};

// Every item passes the consent gate again for `request` as of today: a consent withdrawn or
// expired since the package was approved stops the export, with the gate's reason.
// Refused with a reason: a package not approved or not at `version`, not for `request`, no or
// malformed age recipient, an output that exists, an item the gate now blocks, an item whose
// stored bytes no longer match the catalog.
Result<ExportedPackage> export_package(hub::Hub& hub, PackageStore& packages,
                                       collection::Collection& witnesses, const Request& request,
                                       const std::string& id, int version, const std::string& by,
                                       const ExportOptions& options);

}  // namespace evhub::disclosure
