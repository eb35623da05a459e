#include "disclosure/minisign.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include "core/fs.h"
#include "core/text.h"
#include "disclosure/checksums.h"

namespace evhub::disclosure::minisign {

namespace {

constexpr std::string_view kUntrusted = "untrusted comment: ";
constexpr std::string_view kTrusted = "trusted comment: ";
constexpr std::size_t kMaxComment = 1000;
using Hash = std::array<std::uint8_t, crypto_generichash_BYTES_MAX>;

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

std::string base64(ByteSpan bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Exactly `size` bytes from canonical base64, or nullopt.
std::optional<Bytes> unbase64(std::string_view text, std::size_t size) {
  Bytes out(size);
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != size) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> comment_problem(std::string_view comment) {
  if (comment.size() > kMaxComment) return "it is longer than 1,000 bytes";
  if (!is_valid_utf8(comment)) return "it is not UTF-8";
  if (comment.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return "it contains a line break or NUL";
  }
  if (!comment.empty() && (comment.back() == ' ' || comment.back() == '\t')) {
    return "it ends in white space";
  }
  return std::nullopt;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// BLAKE2b-512 of the file, read in chunks: minisign's prehash.
Result<Hash> prehash(const std::string& path) {
  ensure_sodium();
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return errno_status(errno, "opening", path);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES_MAX);
  std::vector<std::uint8_t> buffer(kReadChunk);
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status(errno, "reading", path);
    if (n == 0) break;
    crypto_generichash_update(&state, buffer.data(), static_cast<std::size_t>(n));
  }
  Hash hash;
  crypto_generichash_final(&state, hash.data(), hash.size());
  return hash;
}

Bytes signed_comment(const Signature& s) {
  Bytes message(s.signature.begin(), s.signature.end());
  message.insert(message.end(), s.trusted_comment.begin(), s.trusted_comment.end());
  return message;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

Status malformed(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

}  // namespace

KeyId key_id_of(ByteSpan public_key) {
  const crypto::Digest digest = crypto::sha256(public_key);
  KeyId id;
  std::reverse_copy(digest.begin(), digest.begin() + 8, id.begin());
  return id;
}

std::string key_id_text(const KeyId& id) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < id.size(); ++i) n |= static_cast<std::uint64_t>(id[i]) << (8 * i);
  return fmt::format("{:X}", n);
}

std::string public_key_file(ByteSpan public_key) {
  const KeyId id = key_id_of(public_key);
  Bytes packed = {'E', 'd'};
  packed.insert(packed.end(), id.begin(), id.end());
  packed.insert(packed.end(), public_key.begin(), public_key.end());
  return fmt::format("{}minisign public key {}\n{}\n", kUntrusted, key_id_text(id), base64(packed));
}

Result<PublicKey> parse_public_key(std::string_view text) {
  const auto lines = lines_of(text);
  std::string_view line = lines.empty() ? "" : lines.front();
  if (line.substr(0, kUntrusted.size()) == kUntrusted) line = lines.size() > 1 ? lines[1] : "";
  const auto packed = unbase64(line, 42);
  if (!packed) return malformed("this is not a minisign public key (\"RW...\" in base64)");
  if ((*packed)[0] != 'E' || (*packed)[1] != 'd') {
    return malformed("the public key is not an Ed25519 minisign key");
  }
  PublicKey key;
  std::copy_n(packed->begin() + 2, 8, key.id.begin());
  std::copy_n(packed->begin() + 10, 32, key.key.begin());
  return key;
}

std::string to_text(const Signature& s) {
  Bytes packed = {'E', 'D'};
  packed.insert(packed.end(), s.id.begin(), s.id.end());
  packed.insert(packed.end(), s.signature.begin(), s.signature.end());
  return fmt::format("{}{}\n{}\n{}{}\n{}\n", kUntrusted, s.untrusted_comment, base64(packed),
                     kTrusted, s.trusted_comment, base64(s.global_signature));
}

Result<Signature> parse_signature(std::string_view text) {
  const auto lines = lines_of(text);
  if (lines.size() != 4 || lines[0].substr(0, kUntrusted.size()) != kUntrusted ||
      lines[2].substr(0, kTrusted.size()) != kTrusted) {
    return malformed(
        "this is not a minisign signature (four lines: untrusted comment, "
        "signature, trusted comment, global signature)");
  }
  const auto packed = unbase64(lines[1], 74);
  const auto global = unbase64(lines[3], 64);
  if (!packed || !global) return malformed("the minisign signature's base64 lines are damaged");
  if ((*packed)[0] != 'E' || (*packed)[1] != 'D') {
    return malformed(
        "the signature is not minisign's prehashed Ed25519 (\"ED\"); legacy "
        "signatures (minisign -l) are not accepted");
  }
  Signature s;
  s.untrusted_comment = std::string(lines[0].substr(kUntrusted.size()));
  std::copy_n(packed->begin() + 2, 8, s.id.begin());
  std::copy_n(packed->begin() + 10, 64, s.signature.begin());
  s.trusted_comment = std::string(lines[2].substr(kTrusted.size()));
  std::copy(global->begin(), global->end(), s.global_signature.begin());
  return s;
}

Result<Signature> sign_file(const crypto::SigningKey& key, const std::string& path,
                            std::string_view trusted_comment, std::string_view untrusted_comment) {
  for (const auto comment : {trusted_comment, untrusted_comment}) {
    if (auto problem = comment_problem(comment)) {
      return Status(Code::kInvalidArgument,
                    "cannot use the comment \"" + std::string(comment) + "\": " + *problem);
    }
  }
  EVHUB_ASSIGN_OR_RETURN(const Hash hash, prehash(path));
  Signature s;
  s.untrusted_comment = std::string(untrusted_comment);
  s.id = key_id_of(key.public_key());
  const Bytes signature = key.sign(hash);
  std::copy(signature.begin(), signature.end(), s.signature.begin());
  s.trusted_comment = std::string(trusted_comment);
  const Bytes global = key.sign(signed_comment(s));
  std::copy(global.begin(), global.end(), s.global_signature.begin());
  return s;
}

Result<std::string> verify_file(const PublicKey& public_key, const std::string& path,
                                const Signature& signature) {
  if (signature.id != public_key.id) {
    return Status(Code::kIntegrity,
                  fmt::format("the signature was made by key {}, not by the public key {}",
                              key_id_text(signature.id), key_id_text(public_key.id)));
  }
  EVHUB_ASSIGN_OR_RETURN(const Hash hash, prehash(path));
  if (!crypto::verify_signature(public_key.key, hash, signature.signature)) {
    return Status(Code::kIntegrity,
                  "the signature does not match the file: it was changed after it was signed");
  }
  if (!crypto::verify_signature(public_key.key, signed_comment(signature),
                                signature.global_signature)) {
    return Status(Code::kIntegrity, "the signature's trusted comment was changed after signing");
  }
  return signature.trusted_comment;
}

Result<std::string> verify_file(std::string_view public_key_text, const std::string& path,
                                std::string_view signature_text) {
  EVHUB_ASSIGN_OR_RETURN(const PublicKey key, parse_public_key(public_key_text));
  EVHUB_ASSIGN_OR_RETURN(const Signature signature, parse_signature(signature_text));
  return verify_file(key, path, signature);
}

}  // namespace evhub::disclosure::minisign
