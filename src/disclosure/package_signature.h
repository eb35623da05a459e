// How a package is signed. The hub's public key travels in the bag as hub.pub (a tag file, so
// the tag manifests list it), and a minisign signature over tagmanifest-sha256.txt lies beside
// it as tagmanifest-sha256.txt.minisig — the one file no manifest can list. The tag manifest
// pins every tag file, among them manifest-sha256.txt, which pins every payload file, so one
// signature covers the whole bag. A recipient checks it from the bag's directory with
//   minisign -Vm tagmanifest-sha256.txt -p hub.pub
// and compares hub.pub's key ID with the one the hub gave them by another channel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/crypto.h"
#include "disclosure/bagit_writer.h"
#include "disclosure/verification_report.h"

namespace evhub::disclosure {

inline constexpr const char* kPublicKeyFile = "hub.pub";
inline constexpr const char* kSignedFile = "tagmanifest-sha256.txt";
inline constexpr const char* kSignatureFile = "tagmanifest-sha256.txt.minisig";
// The untrusted comment of every package signature, which package verification requires
// as it is: minisign does not sign it, and any changed byte of a package must be caught.
inline constexpr std::string_view kSignatureComment =
    "signature from Evidence Hub; check: minisign -Vm tagmanifest-sha256.txt -p hub.pub";

// Adds hub.pub to a bag being written; call before finish().
Status add_public_key(BagWriter& writer, ByteSpan public_key);

// minisign's own form, plus the bag's External-Identifier:
// "timestamp:<unix seconds>\tfile:tagmanifest-sha256.txt\thashed\tbag:<identifier>".
std::string default_trusted_comment(std::int64_t unix_seconds,
                                    std::string_view external_identifier);

// Signs the finished bag at `bag_dir` with `key`, whose public key must be the bag's hub.pub.
Status sign_bag(const std::string& bag_dir, const crypto::SigningKey& key,
                std::string_view trusted_comment);
// The same as the last step of BagWriter::finish(), so that the bag is signed before it gets
// its name. `key` must outlive the writer's finish().
BagWriter::FinalStep signing_step(const crypto::SigningKey& key, std::string trusted_comment);

// Adds to `report` whether the bag's signature holds against its hub.pub and, when given,
// whether hub.pub is `trusted_public_key` (a minisign public key the reader trusts); without
// one, a note says to confirm the key ID with the sender.
void check_bag_signature(const std::string& bag_dir,
                         const std::optional<std::string>& trusted_public_key,
                         VerificationReport& report);

}  // namespace evhub::disclosure
