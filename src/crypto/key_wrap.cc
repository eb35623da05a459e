#include <sodium.h>

#include "crypto/crypto.h"

namespace evhub::crypto {

void ensure_sodium();

namespace {
const unsigned char* ad_ptr(std::string_view ctx) {
  return reinterpret_cast<const unsigned char*>(ctx.data());
}
}  // namespace

Bytes seal(const SecretKey& key, ByteSpan plaintext, std::string_view context) {
  ensure_sodium();
  Bytes out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
            crypto_aead_xchacha20poly1305_ietf_ABYTES);
  random_bytes(std::span<std::uint8_t>(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES));
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen, plaintext.data(),
      plaintext.size(), ad_ptr(context), context.size(), nullptr, out.data(), key.data());
  return out;
}

Result<Bytes> open(const SecretKey& key, ByteSpan sealed, std::string_view context) {
  ensure_sodium();
  constexpr std::size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kOverhead) return Status(Code::kIntegrity, "sealed data is truncated");
  Bytes out(sealed.size() - kOverhead);
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &mlen, nullptr, sealed.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, ad_ptr(context),
          context.size(), sealed.data(), key.data()) != 0) {
    sodium_memzero(out.data(), out.size());
    return Status(Code::kIntegrity, "authentication failed (wrong key or altered data)");
  }
  return out;
}

WrappedKey wrap_key(const SecretKey& kek, const SecretKey& key, std::string_view context) {
  Bytes sealed = seal(kek, key.span(), context);
  WrappedKey w;
  w.nonce.assign(sealed.begin(), sealed.begin() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  w.ciphertext.assign(sealed.begin() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, sealed.end());
  return w;
}

Result<SecretKey> unwrap_key(const SecretKey& kek, const WrappedKey& wrapped,
                             std::string_view context) {
  if (wrapped.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      wrapped.ciphertext.size() != kKeySize + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Status(Code::kIntegrity, "wrapped key has the wrong size");
  }
  Bytes sealed = wrapped.nonce;
  sealed.insert(sealed.end(), wrapped.ciphertext.begin(), wrapped.ciphertext.end());
  EVHUB_ASSIGN_OR_RETURN(Bytes plain, open(kek, sealed, context));
  auto key = SecretKey::from_bytes(plain);
  sodium_memzero(plain.data(), plain.size());
  return key;
}

KdfCost KdfCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfCost KdfCost::moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfCost KdfCost::sensitive() {
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}

Result<SecretKey> derive_key_from_passphrase(std::string_view passphrase, ByteSpan salt,
                                             const KdfCost& cost) {
  ensure_sodium();
  if (salt.size() != crypto_pwhash_SALTBYTES) {
    return Status(Code::kInvalidArgument, "passphrase salt must be 16 bytes");
  }
  if (cost.ops < crypto_pwhash_OPSLIMIT_MIN || cost.mem_bytes < crypto_pwhash_MEMLIMIT_MIN) {
    return Status(Code::kInvalidArgument, "Argon2id cost is below libsodium's minimum");
  }
  SecretKey key;
  if (crypto_pwhash(key.data(), kKeySize, passphrase.data(), passphrase.size(), salt.data(),
                    cost.ops, cost.mem_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(Code::kIoError, "not enough memory to derive the key from the passphrase");
  }
  return key;
}

SecretKey derive_subkey(const SecretKey& key, std::string_view purpose) {
  ensure_sodium();
  SecretKey out;
  crypto_generichash(out.data(), kKeySize, reinterpret_cast<const unsigned char*>(purpose.data()),
                     purpose.size(), key.data(), kKeySize);
  return out;
}

SecretKey derive_key_from_key_file(ByteSpan contents) {
  ensure_sodium();
  static constexpr std::string_view kPersonal = "evhub key file v1";
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kKeySize);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kPersonal.data()),
                            kPersonal.size());
  crypto_generichash_update(&st, contents.data(), contents.size());
  SecretKey key;
  crypto_generichash_final(&st, key.data(), kKeySize);
  sodium_memzero(&st, sizeof st);
  return key;
}

}  // namespace evhub::crypto
