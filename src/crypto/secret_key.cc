#include <sodium.h>

#include <stdexcept>

#include "crypto/crypto.h"

namespace evhub::crypto {

namespace {
struct SodiumInit {
  SodiumInit() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  }
};
}  // namespace

void ensure_sodium() {
  static SodiumInit init;
}

SecretKey::SecretKey() = default;

SecretKey SecretKey::random() {
  SecretKey key;
  random_bytes(std::span<std::uint8_t>(key.bytes_));
  return key;
}

Result<SecretKey> SecretKey::from_bytes(ByteSpan bytes) {
  if (bytes.size() != kKeySize) {
    return Status(Code::kInvalidArgument, "a key must be exactly 32 bytes");
  }
  SecretKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  return key;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

SecretKey::~SecretKey() {
  sodium_memzero(bytes_.data(), bytes_.size());
}

void wipe(void* data, std::size_t size) {
  sodium_memzero(data, size);
}

void random_bytes(std::span<std::uint8_t> out) {
  ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  random_bytes(std::span<std::uint8_t>(out));
  return out;
}

}  // namespace evhub::crypto
