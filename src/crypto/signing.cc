#include <sodium.h>

#include <algorithm>

#include "crypto/crypto.h"

namespace evhub::crypto {

void ensure_sodium();

SigningKey SigningKey::generate() {
  ensure_sodium();
  SigningKey key;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, key.secret_.data());
  return key;
}

Result<SigningKey> SigningKey::from_secret(ByteSpan secret) {
  if (secret.size() != crypto_sign_SECRETKEYBYTES) {
    return Status(Code::kIntegrity, "signing key has the wrong size");
  }
  SigningKey key;
  std::copy(secret.begin(), secret.end(), key.secret_.begin());
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept : secret_(other.secret_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey::~SigningKey() {
  sodium_memzero(secret_.data(), secret_.size());
}

Bytes SigningKey::public_key() const {
  Bytes pk(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_ed25519_sk_to_pk(pk.data(), secret_.data());
  return pk;
}

Bytes SigningKey::sign(ByteSpan message) const {
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool verify_signature(ByteSpan public_key, ByteSpan message, ByteSpan signature) {
  ensure_sodium();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace evhub::crypto
