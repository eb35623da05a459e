// Verifies a disclosure package the way `evhub package verify` reports it: a bag directory, a
// tar of one, or an age-encrypted tar (told apart by their contents, not their names). An
// archive is decrypted with the stock age and unpacked safely into a temporary directory; then
// the minisign signature over tagmanifest-sha256.txt is checked with the hub.pub the bag
// carries (and with a key the reader trusts, when given), and the bag itself with every BagIt
// rule. The same checks a recipient makes with age, tar, minisign and sha256sum.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "disclosure/age_process.h"
#include "disclosure/verification_report.h"

namespace evhub::disclosure {

struct PackageVerifyOptions {
  std::optional<std::string> age_identity_file;   // for an encrypted package
  std::optional<std::string> trusted_public_key;  // minisign public key text the reader trusts
  std::string work_dir;  // where an archive is unpacked (and removed); empty: $TMPDIR or /tmp
  AgeOptions age;
};

// A report when the package could be opened (ok() says whether it is intact); a Status when it
// could not: no such file, encrypted but no identity given (kUnauthenticated), an identity it
// was not encrypted to (kUnauthenticated), age missing (kNotFound), an archive entry refused
// or a damaged archive (kIntegrity).
Result<VerificationReport> verify_package(const std::string& path,
                                          const PackageVerifyOptions& options = {});

}  // namespace evhub::disclosure
