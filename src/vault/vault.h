// The encrypted object store's public face: seal a stream of any size into an object (SHA-256
// of the plaintext computed on the way, constant memory), and open it again, checking every
// chunk's authentication tag. Object file format (docs/architecture.md#object-format):
//   "EVHOBJ01" | chunk size (u32 LE) | object key wrapped by the domain key (24 + 48 bytes)
//   | chunks of AES-256-GCM ciphertext + 16-byte tag (crypto::ChunkCipher).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/fs.h"
#include "crypto/crypto.h"
#include "vault/keyring.h"
#include "vault/object_store.h"

namespace evhub::vault {

inline constexpr std::size_t kDefaultChunkSize = 1 << 20;
inline constexpr std::size_t kHeaderSize = 8 + 4 + 24 + 48;

struct SealedObject {
  std::string id;
  crypto::Digest sha256{};
  std::uint64_t size = 0;
  std::unique_ptr<PendingObject> pending;  // commit() makes the object visible
};

// Encrypts `in` under a fresh object key into a pending object with a new opaque id.
Result<SealedObject> seal_object(ObjectStore& store, ReadableFile& in, const std::string& domain_id,
                                 const crypto::SecretKey& domain_key, std::size_t chunk_size);

struct OpenedObject {
  crypto::Digest sha256{};
  std::uint64_t size = 0;
};

// Decrypts object `id` into `out` (nullptr: only check it). kIntegrity names the damaged part.
Result<OpenedObject> open_object(ObjectStore& store, const std::string& id,
                                 const std::string& domain_id, const crypto::SecretKey& domain_key,
                                 WritableFile* out);

// Random access to an object's plaintext, for serving byte ranges: chunks have a fixed size, so
// any range maps to the chunks that hold it, and every chunk read is authenticated (its index
// and whether it is the last are part of its nonce, and its key is bound to the object's id).
// Memory: one chunk.
class ObjectReader {
 public:
  static Result<std::unique_ptr<ObjectReader>> open(ObjectStore& store, const std::string& id,
                                                    const std::string& domain_id,
                                                    const crypto::SecretKey& domain_key);
  ~ObjectReader();
  std::uint64_t size() const { return plain_size_; }
  // Up to out.size() bytes from `offset` (fewer only at the end); kIntegrity if a chunk fails.
  Result<std::size_t> read(std::uint64_t offset, std::span<std::uint8_t> out);
  // The plaintext from the start, at most `max_bytes` of it (all of it if shorter).
  Result<std::string> read_prefix(std::uint64_t max_bytes);

 private:
  ObjectReader() = default;
  Status load_chunk(std::uint64_t index);
  std::string id_;
  std::unique_ptr<ReadableFile> file_;
  std::unique_ptr<crypto::ChunkCipher> cipher_;
  std::size_t chunk_size_ = 0;
  std::uint64_t chunks_ = 0;
  std::uint64_t plain_size_ = 0;
  std::uint64_t loaded_ = UINT64_MAX;  // index of the chunk in plain_
  Bytes sealed_, plain_;
  std::size_t plain_len_ = 0;
};

}  // namespace evhub::vault
