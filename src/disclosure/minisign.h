// minisign-compatible signatures, so that a recipient checks a package with the stock tool:
// `minisign -Vm FILE -p hub.pub`. Made and checked with libsodium: Ed25519 over the BLAKE2b-512
// of the file (minisign's prehashed "ED" form, the file streamed through the hash), plus the
// global signature over signature || trusted comment that binds the comment.
//
// minisign names a key by an 8-byte key id. The hub's id is derived from its public key, so it
// never needs storing: the first 8 bytes of SHA-256(public key), stored so that minisign, which
// prints the id as a little-endian number, shows exactly the first 16 hex digits of
// `sha256sum` of the 32 key bytes (in upper case, without leading zeros).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/hex.h"
#include "core/status.h"
#include "crypto/crypto.h"

namespace evhub::disclosure::minisign {

using KeyId = std::array<std::uint8_t, 8>;

KeyId key_id_of(ByteSpan public_key);
// The key id as minisign prints it, e.g. "4A1F0C99E2B3D807".
std::string key_id_text(const KeyId& id);

struct PublicKey {
  KeyId id{};
  std::array<std::uint8_t, 32> key{};
};
// "untrusted comment: minisign public key <ID>\nRW...\n", the form `minisign -p` reads.
std::string public_key_file(ByteSpan public_key);
// A .pub file's text, or its base64 line alone (as `minisign -P` takes it).
Result<PublicKey> parse_public_key(std::string_view text);

struct Signature {
  std::string untrusted_comment;  // not signed: anyone can change it
  KeyId id{};
  std::array<std::uint8_t, 64> signature{};  // over BLAKE2b-512 of the file
  std::string trusted_comment;               // signed, with `signature`, by the global one
  std::array<std::uint8_t, 64> global_signature{};
};
// The four lines of a .minisig file, each ending in LF, as minisign writes them.
std::string to_text(const Signature& signature);
Result<Signature> parse_signature(std::string_view text);

// Signs the file at `path`. Comments are one line of UTF-8 (no CR, LF or NUL), at most 1,000
// bytes, not ending in white space; minisign's own default trusted comment is
// "timestamp:<unix seconds>\tfile:<name>\thashed".
Result<Signature> sign_file(const crypto::SigningKey& key, const std::string& path,
                            std::string_view trusted_comment,
                            std::string_view untrusted_comment = "signature from Evidence Hub");

// Checks `signature` over the file at `path` with `public_key`: the trusted comment if it
// holds, else kIntegrity with the reason (another key, the file changed, the comment changed).
Result<std::string> verify_file(const PublicKey& public_key, const std::string& path,
                                const Signature& signature);
// The same from the texts of a public key (file or base64 line) and a .minisig file;
// kInvalidArgument when one of them is not what it should be.
Result<std::string> verify_file(std::string_view public_key_text, const std::string& path,
                                std::string_view signature_text);

}  // namespace evhub::disclosure::minisign
