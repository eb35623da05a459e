// Checks a BagIt bag (RFC 8493) on disk and reports every problem, in words a recipient
// understands: no bagit.txt, a listed file missing, a file not listed, a checksum that does
// not match (which file, which algorithm), a Payload-Oxum that does not add up, a tag manifest
// that does not match, malformed lines. It never stops at the first problem.
#pragma once

#include <string>
#include <vector>

#include "disclosure/verification_report.h"

namespace evhub::disclosure {

struct BagCheckOptions {
  // Require the bag to be exactly as BagWriter makes it: manifests and tag manifests for both
  // sha256 and sha512, every manifest line canonical (lowercase hex, two spaces, LF), bagit.txt
  // byte for byte, the bag-info.txt fields it requires, every tag file in the tag manifests.
  // Packages are checked this way: a looser form would let an edit through that changes no
  // checksum (e.g. upper-case hex in tagmanifest-sha512.txt, which nothing else covers).
  bool hub_form = false;
  // Tag files at the bag root that the tag manifests may leave out (a signature over them).
  std::vector<std::string> unlisted_tag_files;
};

VerificationReport verify_bag(const std::string& dir, const BagCheckOptions& options = {});

}  // namespace evhub::disclosure
