// The hub's cryptography in one small surface: SHA-256 (OpenSSL), key wrapping with
// XChaCha20-Poly1305, Argon2id passphrase keys and Ed25519 signatures (libsodium), and the
// chunked AES-256-GCM stream that encrypts objects of any size in constant memory (OpenSSL).
// Secrets live in SecretKey, which wipes itself with sodium_memzero.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/hex.h"
#include "core/status.h"

namespace evhub::crypto {

inline constexpr std::size_t kKeySize = 32;
using Digest = std::array<std::uint8_t, 32>;

// 32 secret bytes that are wiped when destroyed. Move-only.
class SecretKey {
 public:
  SecretKey();  // all zero
  static SecretKey random();
  static Result<SecretKey> from_bytes(ByteSpan bytes);
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

  const std::uint8_t* data() const { return bytes_.data(); }
  std::uint8_t* data() { return bytes_.data(); }
  ByteSpan span() const { return {bytes_.data(), bytes_.size()}; }

 private:
  std::array<std::uint8_t, kKeySize> bytes_{};
};

// Overwrites memory in a way the compiler may not optimise away (sodium_memzero).
void wipe(void* data, std::size_t size);

void random_bytes(std::span<std::uint8_t> out);
Bytes random_bytes(std::size_t n);

// Incremental SHA-256 (OpenSSL, so it uses the CPU's SHA extensions where present).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(ByteSpan data);
  Digest finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Digest sha256(ByteSpan data);

// A key encrypted under another key (XChaCha20-Poly1305). `context` is authenticated, binding
// the wrapped key to where it belongs (e.g. an object id), so it cannot be moved elsewhere.
struct WrappedKey {
  Bytes nonce;       // 24 bytes
  Bytes ciphertext;  // 32 + 16 bytes
};
WrappedKey wrap_key(const SecretKey& kek, const SecretKey& key, std::string_view context);
// kIntegrity if the wrapping key is wrong or anything was altered.
Result<SecretKey> unwrap_key(const SecretKey& kek, const WrappedKey& wrapped,
                             std::string_view context);
// Encrypts and authenticates a short secret (e.g. a signing key) the same way.
Bytes seal(const SecretKey& key, ByteSpan plaintext, std::string_view context);
Result<Bytes> open(const SecretKey& key, ByteSpan sealed, std::string_view context);

// Argon2id cost of turning a passphrase into a key. kInteractive is for tests and demos only.
struct KdfCost {
  std::uint64_t ops = 0;
  std::size_t mem_bytes = 0;
  static KdfCost interactive();
  static KdfCost moderate();
  static KdfCost sensitive();
};
Result<SecretKey> derive_key_from_passphrase(std::string_view passphrase, ByteSpan salt,
                                             const KdfCost& cost);
inline constexpr std::size_t kSaltSize = 16;
// A key file is already random: it is hashed (BLAKE2b, domain-separated) rather than stretched.
SecretKey derive_key_from_key_file(ByteSpan contents);

// A key for one purpose derived from another (BLAKE2b keyed hash of the purpose), so that e.g.
// the accounts' sealing key never equals the master key.
SecretKey derive_subkey(const SecretKey& key, std::string_view purpose);

// Ed25519.
inline constexpr std::size_t kPublicKeySize = 32;
inline constexpr std::size_t kSignatureSize = 64;
class SigningKey {
 public:
  static SigningKey generate();
  static Result<SigningKey> from_secret(ByteSpan secret);  // 64-byte libsodium secret key
  SigningKey(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();
  Bytes public_key() const;
  ByteSpan secret() const { return {secret_.data(), secret_.size()}; }
  Bytes sign(ByteSpan message) const;

 private:
  SigningKey() = default;
  std::array<std::uint8_t, 64> secret_{};
};
bool verify_signature(ByteSpan public_key, ByteSpan message, ByteSpan signature);

// Chunked authenticated encryption of one object (the STREAM construction with AES-256-GCM):
// chunk i is sealed under the object's own key with the 12-byte nonce
// big-endian(i) in bytes 0..10 and a final-chunk flag in byte 11. Reordering, dropping or
// truncating chunks therefore fails authentication. Each key encrypts exactly one object.
inline constexpr std::size_t kChunkTagSize = 16;
class ChunkCipher {
 public:
  explicit ChunkCipher(const SecretKey& key);
  ~ChunkCipher();
  ChunkCipher(const ChunkCipher&) = delete;
  ChunkCipher& operator=(const ChunkCipher&) = delete;
  // out must hold plaintext.size() + kChunkTagSize bytes.
  void seal(std::uint64_t index, bool final, ByteSpan plaintext, std::uint8_t* out);
  // out must hold sealed.size() - kChunkTagSize bytes; false if authentication fails.
  bool open(std::uint64_t index, bool final, ByteSpan sealed, std::uint8_t* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::crypto
