#include <openssl/evp.h>

#include <stdexcept>

#include "crypto/crypto.h"

namespace evhub::crypto {

struct ChunkCipher::Impl {
  EVP_CIPHER_CTX* enc = nullptr;
  EVP_CIPHER_CTX* dec = nullptr;
};

namespace {
void make_nonce(std::uint64_t index, bool final, unsigned char nonce[12]) {
  // 11-byte big-endian counter; objects never get near 2^64 chunks, so the top 3 bytes are 0.
  for (int i = 0; i < 3; ++i) nonce[i] = 0;
  for (int i = 0; i < 8; ++i) nonce[3 + i] = static_cast<unsigned char>(index >> (56 - 8 * i));
  nonce[11] = final ? 1 : 0;
}

void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL AES-256-GCM failed: ") + what);
}
}  // namespace

ChunkCipher::ChunkCipher(const SecretKey& key) : impl_(std::make_unique<Impl>()) {
  impl_->enc = EVP_CIPHER_CTX_new();
  impl_->dec = EVP_CIPHER_CTX_new();
  if (!impl_->enc || !impl_->dec) throw std::runtime_error("OpenSSL: out of memory");
  check(EVP_EncryptInit_ex(impl_->enc, EVP_aes_256_gcm(), nullptr, key.data(), nullptr), "init");
  check(EVP_DecryptInit_ex(impl_->dec, EVP_aes_256_gcm(), nullptr, key.data(), nullptr), "init");
}

ChunkCipher::~ChunkCipher() {
  EVP_CIPHER_CTX_free(impl_->enc);
  EVP_CIPHER_CTX_free(impl_->dec);
}

void ChunkCipher::seal(std::uint64_t index, bool final, ByteSpan plaintext, std::uint8_t* out) {
  unsigned char nonce[12];
  make_nonce(index, final, nonce);
  check(EVP_EncryptInit_ex(impl_->enc, nullptr, nullptr, nullptr, nonce), "nonce");
  int len = 0;
  if (!plaintext.empty()) {
    check(EVP_EncryptUpdate(impl_->enc, out, &len, plaintext.data(),
                            static_cast<int>(plaintext.size())),
          "encrypt");
  }
  int tail = 0;
  check(EVP_EncryptFinal_ex(impl_->enc, out + len, &tail), "final");
  check(
      EVP_CIPHER_CTX_ctrl(impl_->enc, EVP_CTRL_GCM_GET_TAG, kChunkTagSize, out + plaintext.size()),
      "tag");
}

bool ChunkCipher::open(std::uint64_t index, bool final, ByteSpan sealed, std::uint8_t* out) {
  if (sealed.size() < kChunkTagSize) return false;
  const std::size_t n = sealed.size() - kChunkTagSize;
  unsigned char nonce[12];
  make_nonce(index, final, nonce);
  check(EVP_DecryptInit_ex(impl_->dec, nullptr, nullptr, nullptr, nonce), "nonce");
  int len = 0;
  if (n > 0) {
    check(EVP_DecryptUpdate(impl_->dec, out, &len, sealed.data(), static_cast<int>(n)), "decrypt");
  }
  unsigned char tag[kChunkTagSize];
  std::copy(sealed.begin() + static_cast<std::ptrdiff_t>(n), sealed.end(), tag);
  check(EVP_CIPHER_CTX_ctrl(impl_->dec, EVP_CTRL_GCM_SET_TAG, kChunkTagSize, tag), "tag");
  int tail = 0;
  return EVP_DecryptFinal_ex(impl_->dec, out + len, &tail) == 1;
}

}  // namespace evhub::crypto
