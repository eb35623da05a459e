#include "disclosure/package_signature.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>

#include "core/fs.h"
#include "disclosure/minisign.h"

namespace evhub::disclosure {

namespace {

constexpr std::uint64_t kMaxKeyFileSize = 64u << 10;

// A small regular file (never through a link), or nullopt.
std::optional<std::string> read_small_file(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::uint64_t>(st.st_size) > kMaxKeyFileSize) {
    return std::nullopt;
  }
  auto text = read_text_file(local_fs(), path);
  if (!text.is_ok()) return std::nullopt;
  return std::move(text).value();
}

// A trusted comment as a reader sees it: minisign separates its parts with tabs.
std::string shown(std::string comment) {
  std::replace(comment.begin(), comment.end(), '\t', ' ');
  return printable(comment);
}

Result<minisign::PublicKey> bag_key(const std::string& bag_dir) {
  const auto text = read_small_file(join_path(bag_dir, kPublicKeyFile));
  if (!text) return Status(Code::kNotFound, "hub.pub, the hub's public key, is missing");
  auto key = minisign::parse_public_key(*text);
  if (!key.is_ok()) return Status(Code::kInvalidArgument, "hub.pub: " + key.status().message());
  return key;
}

Result<minisign::Signature> bag_signature(const std::string& bag_dir) {
  const auto text = read_small_file(join_path(bag_dir, kSignatureFile));
  if (!text) return Status(Code::kNotFound, std::string(kSignatureFile) + " is missing");
  auto signature = minisign::parse_signature(*text);
  if (!signature.is_ok()) {
    return Status(Code::kInvalidArgument,
                  std::string(kSignatureFile) + ": " + signature.status().message());
  }
  if (minisign::to_text(*signature) != *text || signature->untrusted_comment != kSignatureComment) {
    return Status(Code::kIntegrity, std::string(kSignatureFile) +
                                        " is not as the hub writes it: its untrusted comment or "
                                        "its layout was changed");
  }
  return signature;
}

void check_trusted_key(const minisign::PublicKey& shipped, const std::optional<std::string>& text,
                       VerificationReport& report) {
  const std::string id = minisign::key_id_text(shipped.id);
  if (!text) {
    report.note(
        fmt::format("hub.pub was not compared with a key you trust: confirm its key ID "
                    "{} with the sender by another channel",
                    id));
    return;
  }
  const auto trusted = minisign::parse_public_key(*text);
  if (!trusted.is_ok()) {
    report.fail("the key you trust is not a minisign public key: " + trusted.status().message());
  } else if (trusted->key != shipped.key || trusted->id != shipped.id) {
    report.fail(
        fmt::format("hub.pub (key ID {}) is not the key you trust (key ID {}): the package "
                    "was signed by someone else",
                    id, minisign::key_id_text(trusted->id)));
  } else {
    report.pass(fmt::format("hub.pub is the key you trust (key ID {})", id));
  }
}

}  // namespace

Status add_public_key(BagWriter& writer, ByteSpan public_key) {
  return writer.add_tag_file(kPublicKeyFile, minisign::public_key_file(public_key));
}

std::string default_trusted_comment(std::int64_t unix_seconds,
                                    std::string_view external_identifier) {
  return fmt::format("timestamp:{}\tfile:{}\thashed\tbag:{}", unix_seconds, kSignedFile,
                     external_identifier);
}

Status sign_bag(const std::string& bag_dir, const crypto::SigningKey& key,
                std::string_view trusted_comment) {
  const auto shipped = read_small_file(join_path(bag_dir, kPublicKeyFile));
  if (!shipped || *shipped != minisign::public_key_file(key.public_key())) {
    return Status(Code::kFailedPrecondition,
                  "the bag's hub.pub is not this key's public key: add it before finishing");
  }
  EVHUB_ASSIGN_OR_RETURN(auto signature, minisign::sign_file(key, join_path(bag_dir, kSignedFile),
                                                             trusted_comment, kSignatureComment));
  return write_file_atomic(local_fs(), join_path(bag_dir, kSignatureFile),
                           as_bytes(minisign::to_text(signature)));
}

BagWriter::FinalStep signing_step(const crypto::SigningKey& key, std::string trusted_comment) {
  return [&key, comment = std::move(trusted_comment)](const std::string& work_dir) {
    return sign_bag(work_dir, key, comment);
  };
}

void check_bag_signature(const std::string& bag_dir,
                         const std::optional<std::string>& trusted_public_key,
                         VerificationReport& report) {
  const auto key = bag_key(bag_dir);
  const auto signature = bag_signature(bag_dir);
  if (!key.is_ok()) report.fail(key.status().message());
  if (!signature.is_ok()) report.fail(signature.status().message());
  if (!key.is_ok() || !signature.is_ok()) return;
  const auto verified = minisign::verify_file(*key, join_path(bag_dir, kSignedFile), *signature);
  if (verified.is_ok()) {
    report.pass(
        fmt::format("the minisign signature over {} holds for hub.pub (key ID {}); "
                    "trusted comment: {}",
                    kSignedFile, minisign::key_id_text(key->id), shown(*verified)));
  } else {
    report.fail(fmt::format("the minisign signature over {} does not hold: {}", kSignedFile,
                            verified.status().message()));
  }
  check_trusted_key(*key, trusted_public_key, report);
}

}  // namespace evhub::disclosure
